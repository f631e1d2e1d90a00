// The Falco Operator's resources, session 14's leftovers:
// 1. kubectl reads a manifest as YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2, resolve.go): a plain `0777`, `0x1F`,
//    `1_000`, `0b101`, `yes` or `.inf` is a number or a boolean there, which the CRD refuses as a label value, while
//    the yaml package read `1_000` and `0b101` as strings and said nothing. `1:30` and timestamps stay strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { droppedFields } from '../../server/src/service/embedded/selectors';
import { kubectlPlain, kubectlWords } from '../../server/src/service/kubectlYaml';
import { yamlString } from '../../server/src/service/yamlText';
import { officialFilesDefining } from '../../server/src/knowledge';
import { message, openHost, operatorRulesfile, textAt } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { IMAGE_FIX, MANIFEST, NEW_FILE, SHELL_ALERT, actionsFor, created, documents, service } from './operator-tuning-helpers';

const MANIFEST_URI = 'file:///ws/deploy/falco/rulesfiles.yaml';

/** The selector findings of a Rulesfile with these selector lines: [severity, text of the span, message]. */
function selectorNotes(selector: string): [string, string, string][] {
  const doc = operatorRulesfile('x', `priority: 60\n${selector}inlineRules:\n  - list: l\n    items: [a]\n`);
  return analyzeHost(doc).problems.filter((p) => p.code === 'embedded-operator-selector').map((p) => [p.severity, doc.slice(p.span[0], p.span[1]), p.message]);
}

test('go-yaml v2\'s resolver, as kubectl reads a plain scalar', () => {
  const read = (text: string) => kubectlWords(kubectlPlain(text));
  const cases: [string, string][] = [
    ['0777', 'the number 511'], ['0x1F', 'the number 31'], ['-0x1F', 'the number -31'], ['0o17', 'the number 15'], ['0b101', 'the number 5'],
    ['1_000', 'the number 1000'], ['+12', 'the number 12'], ['08', 'the number 8'], ['1.5', 'the number 1.5'], ['1_000.5', 'the number 1000.5'],
    ['.5', 'the number 0.5'], ['1e3', 'the number 1000'], ['.inf', 'the number +Inf'], ['-.Inf', 'the number -Inf'], ['.NaN', 'the number NaN'],
    ['yes', 'the boolean true'], ['Off', 'the boolean false'], ['y', 'the boolean true'], ['N', 'the boolean false'], ['~', 'null'], ['NULL', 'null'], ['', 'null'],
    // Strings: sexagesimal numbers (dropped on purpose), timestamps (kept as text in interface{}), other casings,
    // a float past the largest double (ParseFloat's range error), and numbers past uint64 with a sign.
    ['1:30', 'the string \'1:30\''], ['2024-01-02', 'the string \'2024-01-02\''], ['yEs', 'the string \'yEs\''], ['.inf5', 'the string \'.inf5\''],
    ['1e999', 'the string \'1e999\''], ['0x', 'the string \'0x\''], ['<<', 'the string \'<<\''], ['gpu', 'the string \'gpu\''], ['-', 'the string \'-\''],
    ['18446744073709551615', 'the number 18446744073709551615'], ['-9223372036854775809', 'the number -9223372036854776000'],
  ];
  for (const [text, words] of cases) assert.equal(read(text), words, text);
});

test('a label value kubectl reads as a number or a boolean: an error at the value, with a quick fix quoting it', () => {
  const at = (selector: string) => selectorNotes(selector).map(([severity, text]) => [severity, text]);
  const labels = (...values: string[]) => `selector:\n  matchLabels:\n${values.map((v, i) => `    k${i}: ${v}\n`).join('')}`;
  // Refused: each non-string form; `1:30`, a timestamp and quoted values are strings (a colon is no label character:
  // the operator cannot read `1:30`, a warning of its own).
  assert.deepEqual(at(labels('0777', '0x1F', '1_000', '0b101', 'on', 'NO', '.inf', '"0777"', '\'1_000\'', '2024-01-02', 'gpu')),
    ['0777', '0x1F', '1_000', '0b101', 'on', 'NO', '.inf'].map((v) => ['error', v]));
  assert.deepEqual(at(labels('1:30')), [['warning', '1:30']]);
  assert.deepEqual(at('selector:\n  matchExpressions:\n    - {key: pool, operator: In, values: [gpu, 1_000, 0b1, "0b1"]}\n'), [['error', '1_000'], ['error', '0b1']]);
  const [octal] = selectorNotes(labels('0777'));
  assert.equal(octal[2], 'Kubernetes refuses this Rulesfile: the value of label \'k0\' in matchLabels must be a string, not 0777 (kubectl reads it as the number 511): write it quoted (the CRD\'s schema of spec.selector, a Kubernetes label selector).');
  assert.match(selectorNotes(labels('1_000'))[0][2], /must be a string, not 1_000 \(kubectl reads it as the number 1000\): write it quoted/);
  // A string that is no selector at all is named as a string.
  assert.match(selectorNotes('selector: pool=gpu\n')[0][2], /spec\.selector is 'pool=gpu', a string, not a mapping/);
  // A label key kubectl reads as a boolean or a number is sent as its text: another label than the one written.
  const [key] = selectorNotes('selector:\n  matchLabels:\n    yes: gpu\n');
  assert.deepEqual(key.slice(0, 2), ['warning', 'yes']);
  assert.match(key[2], /^kubectl reads the label key yes as the boolean true and sends the key 'true': this Rulesfile's nodes need the label 'true', not 'yes'/);
  // The quick fix, through the service: the value quoted, the finding gone.
  const manifest = operatorRulesfile('x', `priority: 60\n${labels('0777')}inlineRules:\n  - list: l\n    items: [a]\n`);
  const { service: s } = service({});
  const doc = openHost(s, manifest, MANIFEST_URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code === 'embedded-operator-selector');
  assert.deepEqual(found.map((d) => textAt(manifest, d)), ['0777'], found.map(message).join('\n'));
  const [fix, ...more] = s.embedded.codeActions!(doc, found[0].range, { diagnostics: found });
  assert.deepEqual(more, []);
  assert.equal(fix.title, 'Quote the value ("0777")');
  const fixed = applyEdits(manifest, fix.edit!.changes![MANIFEST_URI]);
  assert.ok(fixed.includes('    k0: "0777"\n'), fixed);
  assert.deepEqual(selectorNotes(`${labels('"0777"')}`), []);
});

test('spec.priority as kubectl reads it: 062 is octal 50, 5_0 and 0b110010 are 50', () => {
  const placed = (priority: string) => {
    const host = analyzeHost(operatorRulesfile('x', `priority: ${priority}\ninlineRules:\n  - list: l\n    items: [a]\n`));
    return [host.files[0]?.key, host.problems.filter((p) => p.code === 'embedded-operator-priority').map((p) => [p.severity, p.message])];
  };
  const [key, [[severity, text]]] = placed('062') as [string, [string, string][]];
  assert.equal(key, '50-03-x-inline.yaml');
  assert.equal(severity, 'warning');
  assert.match(text, /^kubectl reads spec\.priority 062 as the octal number 50 \(YAML 1\.1, as Kubernetes' clients read a manifest\), not 62: the operator names this Rulesfile's files with 50\./);
  // Accepted by Kubernetes (no longer "refused"), at the place kubectl's number gives.
  assert.deepEqual(placed('5_0'), ['50-03-x-inline.yaml', []]);
  assert.deepEqual(placed('0b111100'), ['60-03-x-inline.yaml', []]);
  assert.deepEqual(placed('0x3C'), ['60-03-x-inline.yaml', []]);
  // Quoted, it is a string: refused as before.
  assert.equal((placed('"60"')[1] as [string, string][])[0][0], 'error');
});

test('values written into YAML are quoted where kubectl would read them as no string', () => {
  for (const v of ['0b101', '0b1_0', '1_000', '0777', 'yes', '1e3']) assert.equal(yamlString(v), `"${v}"`, v);
  for (const v of ['bash', '2024-01-02', 'nginx-1.25', 'web_shells']) assert.equal(yamlString(v), v, v);
});

// 2. Only the first official file defining a macro or a list was known: falco-incubating_rules.yaml and
//    falco-sandbox_rules.yaml define spawned_process, shell_binaries and others again (each loads without
//    falco_rules.yaml), and sandbox defines rename again after incubating. An append on nodes that have such a file's
//    OCI artifact only was flagged as lacking the definition.

const artifact = (name: string, repository: string, selector: string) => operatorRulesfile(name, `ociArtifact:\n  image:\n    repository: ${repository}\n    tag: "4"\n  registry:\n    name: ghcr.io\npriority: 50\n${selector}`);
const NOT_GPU = 'selector:\n  matchExpressions:\n    - {key: pool, operator: NotIn, values: [gpu]}\n';
const GPU_ONLY = 'selector:\n  matchLabels:\n    pool: gpu\n';

function nodeNotes(manifest: string): [string, string][] {
  const { service: s } = service({});
  return s.embedded.diagnostics(openHost(s, manifest, MANIFEST_URI)).filter((d) => d.code === 'embedded-operator-override-nodes').map((d) => [textAt(manifest, d), message(d)]);
}

test('every official file defining a macro or a list counts, in load order', () => {
  assert.deepEqual(officialFilesDefining('macro', 'spawned_process'), ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']);
  assert.deepEqual(officialFilesDefining('macro', 'rename'), ['falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']);
  assert.deepEqual(officialFilesDefining('list', 'cron_binaries'), ['falco_rules.yaml', 'falco-incubating_rules.yaml']);
  assert.deepEqual(officialFilesDefining('macro', 'access_log_files'), ['falco_rules.yaml']);
  assert.deepEqual(officialFilesDefining('rule', 'Create Disallowed Pod'), ['k8s_audit_rules.yaml']);
  assert.deepEqual(officialFilesDefining('macro', 'no_such_macro'), []);
  const append = (name: string, kind: 'macro' | 'list') => operatorRulesfile('tuning', `priority: 70\ninlineRules:\n  - ${kind}: ${name}\n    ${kind === 'macro' ? 'condition: or proc.name = x' : 'items: [x]'}\n    append: true\n`);
  // The stable rules on the gpu nodes, the incubating (or sandbox) ones on the others: every node has the macro.
  const stableAndIncubating = [artifact('stable', 'falcosecurity/rules/falco-rules', GPU_ONLY), artifact('incubating', 'falcosecurity/rules/falco-incubating-rules', NOT_GPU)];
  assert.deepEqual(nodeNotes([...stableAndIncubating, append('spawned_process', 'macro')].join('---\n')), []);
  assert.deepEqual(nodeNotes([...stableAndIncubating, append('shell_binaries', 'list')].join('---\n')), []);
  const incubatingAndSandbox = [artifact('incubating', 'falcosecurity/rules/falco-incubating-rules', GPU_ONLY), artifact('sandbox', 'falcosecurity/rules/falco-sandbox-rules', NOT_GPU)];
  assert.deepEqual(nodeNotes([...incubatingAndSandbox, append('rename', 'macro')].join('---\n')), []);
  // A list the sandbox file does not define: still flagged on its nodes, naming only the file that defines it.
  const stableAndSandbox = [artifact('stable', 'falcosecurity/rules/falco-rules', GPU_ONLY), artifact('sandbox', 'falcosecurity/rules/falco-sandbox-rules', NOT_GPU)];
  const [[at, text], ...more] = nodeNotes([...stableAndSandbox, append('cron_binaries', 'list')].join('---\n'));
  assert.deepEqual(more, []);
  assert.equal(at, 'cron_binaries');
  assert.match(text, /the list is defined by \/etc\/falco\/rules\.d\/50-01-stable-oci\.yaml on the nodes of spec\.selector pool=gpu\./);
});

// 3. A selector with a field a label selector does not have was "unclear" (the operator cannot read it) in node
//    comparisons: no override finding, and the tuning fix greyed out. Kubernetes stores the resource without that
//    field (session 14's finding says so at the field): it is compared as stored, and the finding says so.

test('a selector with an unknown field is compared as the API server stores it, and the finding says so', () => {
  const typo = 'selector:\n  matchLabels:\n    pool: gpu\n  matchLabel:\n    zone: a\n';
  assert.deepEqual(droppedFields(analyzeHost(artifact('d', 'falcosecurity/rules/falco-rules', typo)).oci?.[0].selector), ['spec.selector.matchLabel']);
  const override = operatorRulesfile('tuning', 'priority: 70\ninlineRules:\n  - rule: Terminal shell in container\n    enabled: false\n');
  const [[at, text], ...more] = nodeNotes([artifact('falco-rules', 'falcosecurity/rules/falco-rules', typo), override].join('---\n'));
  assert.deepEqual(more, []);
  assert.equal(at, 'Terminal shell in container');
  assert.match(text, /\(a node without the label pool, for one\): .* on the nodes of spec\.selector pool=gpu\. /);
  assert.ok(text.endsWith(' The selectors are compared as the API server stores them, without \'spec.selector.matchLabel\', which a label selector does not have (kubectl apply refuses such a resource unless told not to validate it strictly).'), text);
  // An unknown field of a requirement: dropped too; the same nodes as the definition, no finding.
  const item = 'selector:\n  matchExpressions:\n    - {key: pool, operator: In, values: [gpu], weight: 2}\n';
  assert.deepEqual(nodeNotes([artifact('falco-rules', 'falcosecurity/rules/falco-rules', GPU_ONLY), override.replace('priority: 70\n', `priority: 70\n${item}`)].join('---\n')), []);
  // Tuning an alert of the rule: offered in a new Rulesfile with the stored selector (it was greyed out as unclear).
  const { actions, titles } = actionsFor(service({ [MANIFEST]: artifact('falco-rules', 'falcosecurity/rules/falco-rules', typo) }).service, SHELL_ALERT);
  const add = actions.find((a) => a.title === IMAGE_FIX('new Rulesfile \'falco-lens-tuning\' (deploy/falco/falco-lens-tuning.yaml, spec.selector pool=gpu)'));
  assert.ok(add, titles.join('\n'));
  assert.deepEqual(documents(created(add, NEW_FILE))[0].spec.selector, { matchLabels: { pool: 'gpu' } });
});

// 4. A ConfigMap named by two Rulesfiles of its manifest: the operator writes its rules.yaml once per Rulesfile, at each
//    one's place; Falco Lens checks it at the first only, and now says so at the second reference.

test('a ConfigMap that two Rulesfiles name: an information at the second reference, naming both files', () => {
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: falco\ndata:\n  rules.yaml: |-\n    - list: l\n      items: [a]\n';
  const ref = (name: string, priority: number) => operatorRulesfile(name, `priority: ${priority}\nconfigMapRef:\n  name: shared\n`);
  const doc = [ref('early', 40), ref('late', 60), configMap].join('---\n');
  const notes = analyzeHost(doc).problems.filter((p) => p.code === 'embedded-operator-configmap-again');
  assert.deepEqual(notes.map((p) => [p.severity, doc.slice(p.span[0], p.span[1])]), [['information', 'shared']]);
  assert.equal(notes[0].span[0], doc.indexOf('shared', doc.indexOf('name: late')));
  assert.match(notes[0].message, /^The operator writes the rules\.yaml of ConfigMap 'shared' again for Rulesfile 'late', as \/etc\/falco\/rules\.d\/60-02-late-configmap\.yaml, besides \/etc\/falco\/rules\.d\/40-02-early-configmap\.yaml for Rulesfile 'early': Falco reads it twice/);
  assert.deepEqual(analyzeHost([ref('early', 40), configMap].join('---\n')).problems, []);
});
