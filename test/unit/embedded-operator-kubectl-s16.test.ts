// Session 16 leftovers of the Falco Operator's kubectl reading (embedded-operator-kubectl-s15 has the values): mapping
// keys of inlineRules and config that kubectl reads as no string, which JSON turns into text keys (sigs.k8s.io/yaml
// YAMLToJSON) or refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { openHost, operatorConfig, operatorRulesfile, textAt } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { service } from './operator-tuning-helpers';

const CODE = 'embedded-kubectl-scalar';
const notes = (doc: string) => analyzeHost(doc).problems.filter((p) => p.code === CODE).map((p) => [p.severity, doc.slice(p.span[0], p.span[1]), p.message] as const);

test('a key kubectl reads as a boolean or a number reaches Falco as JSON\'s text key; null is refused', () => {
  const rules = operatorRulesfile('x', [
    'inlineRules:',
    '  - rule: r',
    '    desc: d',
    '    condition: evt.type = open',
    '    output: o',
    '    priority: WARNING',
    '    on: x',
    '    "yes": quoted',
    '    Off: yy',
    '    0777: z',
    '    ~: w',
    '',
  ].join('\n'));
  assert.deepEqual(notes(rules).map(([s, t, m]) => [s, t, m.replace(/^.*Falco reads the key /, '').replace(/\. Quote.*$/, '')]), [
    ['warning', 'on', '\'true\', not \'on\' as written'],
    ['warning', 'Off', '\'false\', not \'Off\' as written'],
    ['warning', '0777', '\'511\', not \'0777\' as written'],
    ['error', '~', 'kubectl refuses this manifest: it reads the key ~ as null (YAML 1.1, as Kubernetes\' clients read a manifest), which a JSON object cannot have as a key (\'unsupported map key of type: <nil>\')'],
  ]);
  assert.equal(notes(rules)[0][2], 'kubectl reads the key on as the boolean true (YAML 1.1, as Kubernetes\' clients read a manifest), and JSON keys are text: the operator writes it back as the key \'true\' into /etc/falco/rules.d, so Falco reads the key \'true\', not \'on\' as written. Quote it to keep what is written.');
  // A plugin's init_config keys are the plugin's: a float key is written with float32 digits, a uint64 one refused.
  const config = operatorConfig('c', 60, [
    'plugins:',
    '  - name: p',
    '    init_config:',
    '      y: 1',
    '      3.14159265358979: pi',
    '      1e3: k',
    '      18446744073709551615: big',
    '      9223372036854775807: max',
    '      plain: v',
  ].join('\n'));
  assert.deepEqual(notes(config).map(([s, t, m]) => [s, t, /'unsupported map key of type: \w+'/.exec(m)?.[0] ?? /the key '[^']*' into/.exec(m)?.[0]]), [
    ['warning', 'y', 'the key \'true\' into'],
    ['warning', '3.14159265358979', 'the key \'3.1415927\' into'],
    ['warning', '1e3', 'the key \'1000\' into'],
    ['error', '18446744073709551615', '\'unsupported map key of type: uint64\''],
    ['warning', '9223372036854775807', 'the key \'9223372036854775807\' into'],
  ]);
});

test('the key\'s quick fix quotes it', () => {
  const uri = 'file:///ws/deploy/falco/rulesfiles.yaml';
  const manifest = operatorRulesfile('x', 'inlineRules:\n  - list: l\n    items: [a]\n    on: x\n');
  const { service: s } = service({});
  const doc = openHost(s, manifest, uri);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code === CODE);
  assert.deepEqual(found.map((d) => textAt(manifest, d)), ['on']);
  const fix = s.embedded.codeActions!(doc, found[0].range, { diagnostics: found }).find((a) => a.title.startsWith('Quote'));
  assert.equal(fix?.title, 'Quote the key ("on")');
  const fixed = applyEdits(manifest, fix!.edit!.changes![uri]);
  assert.ok(fixed.includes('    "on": x\n'), fixed);
  assert.deepEqual(notes(fixed), []);
});

const checked = (manifest: string, uri: string) => {
  const { service: s } = service({});
  const doc = openHost(s, manifest, uri);
  return s.embedded.diagnostics(doc).filter((d) => d.code !== CODE).map((d) => [String(d.code), textAt(manifest, d), typeof d.message === 'string' ? d.message : d.message.value]);
};

test('inlineRules are checked as Falco receives them: a name kubectl changes is the name Falco knows, positions after it still fit', () => {
  // The operator writes the rule back as `rule: 1000`, so the override finds it; 'on' is the key 'true' for Falco.
  const manifest = operatorRulesfile('x', [
    'inlineRules:',
    '  - {rule: 1_000, desc: d, condition: evt.type = opn, output: o, priority: WARNING, on: 1}',
    '  - rule: 1000',
    '    enabled: false',
    '    override: {enabled: replace}',
    '',
  ].join('\n'));
  const found = checked(manifest, 'file:///ws/deploy/rules.yaml');
  assert.deepEqual(found.map(([code, text]) => [code, text]), [['unknown-key', 'on'], ['unknown-evttype', 'opn']]);
  assert.match(found[0][2], /Unknown key 'true' in a rule/);
});

test('a Config\'s config is checked as Falco receives it: 1_000 is the integer 1000, yes the boolean true, 0777 the text 511', () => {
  const manifest = operatorConfig('c', 60, [
    'outputs_queue:',
    '  capacity: 1_000',
    'buffered_outputs: yes',
    'metrics:',
    '  enabled: on',
    '  interval: 0777',
  ].join('\n'));
  const found = checked(manifest, 'file:///ws/deploy/config.yaml');
  assert.deepEqual(found.map(([code, text]) => [code, text]), [['config-start-fails', '0777']]);
  assert.match(found[0][2], /metrics\.interval '511' has no time unit/);
});

test('a ConfigMap\'s name and namespace are checked as the other resources\' are, and all names by the API server\'s rules', () => {
  const problems = (doc: string) => analyzeHost(doc).problems.filter((p) => p.code === CODE || p.code === 'embedded-resource-name').map((p) => [p.code, p.severity, doc.slice(p.span[0], p.span[1]), p.message]);
  const configMap = (name: string, namespace: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  rules.yaml: |-\n    - list: l\n      items: [a]\n`;
  assert.deepEqual(problems(configMap('yes', '0777')).map(([code, , text, message]) => [code, text, message]), [
    [CODE, 'yes', 'Kubernetes refuses this ConfigMap: metadata.name must be a string, and kubectl reads yes as the boolean true (YAML 1.1, as Kubernetes\' clients read a manifest). Write it quoted.'],
    [CODE, '0777', 'Kubernetes refuses this ConfigMap: metadata.namespace must be a string, and kubectl reads 0777 as the number 511 (YAML 1.1, as Kubernetes\' clients read a manifest). Write it quoted.'],
  ]);
  assert.deepEqual(problems(configMap('Team_Rules', 'falco.prod')).map(([code, severity, text, message]) => [code, severity, text, message]), [
    ['embedded-resource-name', 'error', 'Team_Rules', 'Kubernetes refuses this ConfigMap: metadata.name \'Team_Rules\' must be a lowercase RFC 1123 subdomain: lower case letters, digits, \'-\' and \'.\', starting and ending with a letter or a digit, of at most 253 characters.'],
    ['embedded-resource-name', 'error', 'falco.prod', 'Kubernetes refuses this ConfigMap: metadata.namespace \'falco.prod\' must be a lowercase RFC 1123 label: lower case letters, digits and \'-\', starting and ending with a letter or a digit, of at most 63 characters.'],
  ]);
  assert.deepEqual(problems(configMap(`${'a'.repeat(250)}.bc`, 'b'.repeat(63))), []);
  assert.deepEqual(problems(configMap(`${'a'.repeat(251)}.bc`, 'b'.repeat(64))).map(([, , , message]) => /\(it has \d+\)/.exec(message as string)?.[0]), ['(it has 254)', '(it has 64)']);
  assert.deepEqual(problems(configMap('"falco-rules.v1"', 'falco')), []);
  // A Rulesfile's name is a subdomain too (apiextensions-apiserver validates custom resources' names so).
  assert.deepEqual(problems(operatorRulesfile('-team', 'inlineRules:\n  - list: l\n    items: [a]\n')).map(([code, , text]) => [code, text]), [['embedded-resource-name', '-team']]);
});
