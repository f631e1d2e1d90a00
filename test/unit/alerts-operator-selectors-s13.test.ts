// The Falco Operator's node selectors, session 12's leftovers:
// 1. Selectors are compared by the nodes they pick (embedded/selectors.ts): matchLabels `{pool: gpu}` and
//    matchExpressions `[{key: pool, operator: In, values: [gpu]}]` are one selector, whatever the order of keys and
//    values; an empty selector is a missing one (every node). Compared as written, two spellings greyed the tuning fix out,
//    and two Configs of one selector spelled differently were merged apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodesKey, nodesName, nodesOutside, exampleText, sameNodes } from '../../server/src/service/embedded/selectors';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { message, openHost, operatorConfig, operatorRulesfile, textAt } from './embedded-helpers';
import { applyEdits } from './rules-host';
import {
  GPU, IMAGE_FIX, MANIFEST, NEW_FILE, OFFICIAL_OCI, SELECTOR_BLOCK, SELECTORS_BLOCK, SHELL_ALERT, WEB_RULES, actionsFor, afterWriting, created, documents, edits, service,
} from './operator-tuning-helpers';

/** The selector key of a Rulesfile whose spec has the lines `selector` (as regions.ts reads it). */
function keyOf(selector: string): string | undefined {
  return analyzeHost(operatorRulesfile('x', `${OFFICIAL_OCI}${selector}`)).oci?.[0].selector;
}

const IN_GPU = 'selector:\n  matchExpressions:\n    - key: pool\n      operator: In\n      values: [gpu]\n';

test('selectors by meaning: matchLabels as In, keys and values in any order, requirements of one key intersected', () => {
  assert.ok(sameNodes(keyOf(GPU), keyOf(IN_GPU)));
  const a = keyOf('selector:\n  matchExpressions:\n    - key: zone\n      operator: In\n      values: [b, a, b]\n    - key: pool\n      operator: Exists\n');
  const b = keyOf('selector:\n  matchExpressions:\n    - key: pool\n      operator: Exists\n    - {key: zone, operator: In, values: [a, b]}\n');
  assert.ok(sameNodes(a, b));
  // pool In [gpu, edge] and pool NotIn [edge] is pool=gpu; Exists and In is In.
  assert.ok(sameNodes(keyOf(GPU), keyOf('selector:\n  matchExpressions:\n    - {key: pool, operator: In, values: [gpu, edge]}\n    - {key: pool, operator: NotIn, values: [edge]}\n')));
  assert.ok(sameNodes(keyOf(GPU), keyOf('selector:\n  matchLabels: {pool: gpu}\n  matchExpressions:\n    - {key: pool, operator: Exists}\n')));
  // An empty selector, or one whose lists are empty, is every node, as no selector is.
  for (const empty of ['selector: {}\n', 'selector:\n  matchLabels: {}\n  matchExpressions: []\n', 'selector:\n']) assert.ok(sameNodes(keyOf(empty), undefined), empty);
  // Different nodes.
  assert.ok(!sameNodes(keyOf(GPU), undefined));
  assert.ok(!sameNodes(keyOf(GPU), keyOf('selector:\n  matchExpressions:\n    - {key: pool, operator: In, values: [gpu, edge]}\n')));
  assert.ok(!sameNodes(keyOf(GPU), keyOf('selector:\n  matchExpressions:\n    - {key: pool, operator: NotIn, values: [edge]}\n')));
  // A selector the operator cannot read (LabelSelectorAsSelector fails: nothing is written) equals no other.
  const lower = keyOf('selector:\n  matchExpressions:\n    - {key: pool, operator: in, values: [gpu]}\n');
  for (const bad of [lower, keyOf('selector:\n  matchExpressions:\n    - {key: pool, operator: In}\n'), keyOf('selector:\n  matchExpressions:\n    - {key: pool, operator: Exists, values: [gpu]}\n'), keyOf('selector:\n  matchLabels: {pool: "a b"}\n')]) {
    assert.ok(nodesKey(bad).startsWith('?'), bad);
    assert.ok(!sameNodes(bad, keyOf(GPU)));
  }
});

test('the nodes one selector picks that others do not, with a node\'s labels as example', () => {
  const gpu = keyOf(GPU);
  const gpuOrEdge = keyOf('selector:\n  matchExpressions:\n    - {key: pool, operator: In, values: [gpu, edge]}\n');
  assert.equal(nodesOutside(gpu, [gpuOrEdge]), undefined);
  assert.equal(nodesOutside(gpu, [undefined]), undefined);
  const wider = nodesOutside(gpuOrEdge, [gpu]);
  assert.ok(wider && wider !== 'unknown');
  assert.equal(exampleText(wider.example), 'labelled pool=edge');
  assert.equal(wider.overlap, true);
  const everywhere = nodesOutside(undefined, [gpu]);
  assert.ok(everywhere && everywhere !== 'unknown');
  assert.equal(exampleText(everywhere.example), 'without the label pool');
  const edge = nodesOutside(keyOf('selector:\n  matchLabels: {pool: edge}\n'), [gpu]);
  assert.deepEqual(edge, { example: [['pool', 'edge']], overlap: false });
  // Two selectors that together pick every node.
  assert.equal(nodesOutside(undefined, [keyOf('selector:\n  matchExpressions: [{key: pool, operator: Exists}]\n'), keyOf('selector:\n  matchExpressions: [{key: pool, operator: DoesNotExist}]\n')]), undefined);
  const notGpu = nodesOutside(keyOf('selector:\n  matchExpressions: [{key: pool, operator: Exists}]\n'), [gpu]);
  assert.ok(notGpu && notGpu !== 'unknown');
  assert.equal(exampleText(notGpu.example), 'labelled pool=<any value but gpu>');
});

test('a name for a selector: the same for every spelling, a Kubernetes name, cut with a hash', () => {
  assert.equal(nodesName('falco-lens-tuning', keyOf(GPU)!), 'falco-lens-tuning-pool-gpu');
  assert.equal(nodesName('falco-lens-tuning', keyOf(IN_GPU)!), 'falco-lens-tuning-pool-gpu');
  const long = keyOf('selector:\n  matchExpressions:\n    - {key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a, eu-west-1b]}\n    - {key: node.kubernetes.io/instance-type, operator: NotIn, values: [t3.small]}\n')!;
  const name = nodesName('falco-lens-tuning', long)!;
  assert.ok(name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name), name);
  assert.match(name, /^falco-lens-tuning-node-kubernetes-io-instance-type-[-a-z0-9]*-[0-9a-f]{8}$/);
  assert.match(nodesName('falco-lens-tuning', keyOf(GPU)!, true)!, /^falco-lens-tuning-pool-gpu-[0-9a-f]{8}$/);
  assert.equal(nodesName('falco-lens-tuning', keyOf('selector:\n  matchExpressions: [{key: pool, operator: in, values: [gpu]}]\n')!), undefined);
});

test('tuning: the falco-lens-tuning Rulesfile whose selector is the definition\'s, spelled otherwise, takes the tuning', () => {
  const spelled = [
    IN_GPU,
    // Another order of keys and values, and the same key twice.
    'selector:\n  matchExpressions:\n    - {operator: In, values: [gpu], key: pool}\n    - {key: pool, operator: Exists}\n',
  ];
  for (const selector of spelled) {
    const own = operatorRulesfile('falco-lens-tuning', `priority: 99\n${selector}inlineRules:\n  - list: unused\n    items: []\n`);
    const manifest = [operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n${GPU}`), WEB_RULES, own].join('---\n');
    const { actions, titles } = actionsFor(service({ [MANIFEST]: manifest }).service, SHELL_ALERT);
    assert.ok(!actions.some((a) => a.disabled), titles.join('\n'));
    const add = actions.find((a) => a.title === IMAGE_FIX('deploy/falco/rulesfiles.yaml, Rulesfile \'falco-lens-tuning\' inlineRules'));
    assert.ok(add, titles.join('\n'));
    const written = documents(applyEdits(manifest, edits(add, MANIFEST)))[2];
    assert.equal(written.spec.inlineRules.length, 2);
  }
  // An empty selector is no selector: the definition on every node, falco-lens-tuning with `selector: {}`.
  const empty = operatorRulesfile('falco-lens-tuning', 'priority: 99\nselector:\n  matchLabels: {}\ninlineRules:\n  - list: unused\n    items: []\n');
  const { titles } = actionsFor(service({ [MANIFEST]: [operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n`), empty].join('---\n') }).service, SHELL_ALERT);
  assert.ok(titles.includes(IMAGE_FIX('deploy/falco/rulesfiles.yaml, Rulesfile \'falco-lens-tuning\' inlineRules')), titles.join('\n'));
});

test('tuning: definitions on one set of nodes spelled twice, or one holding the other\'s nodes, give the new Rulesfile that selector', () => {
  const label = (selector: string) => `new Rulesfile 'falco-lens-tuning' (deploy/falco/falco-lens-tuning.yaml, spec.selector ${selector})`;
  const selectorOf = (manifest: string) => {
    const { actions, titles } = actionsFor(service({ [MANIFEST]: manifest }).service, SHELL_ALERT);
    const add = actions.find((a) => a.title.startsWith(IMAGE_FIX('new Rulesfile')));
    assert.ok(add, titles.join('\n'));
    return { title: add.title, selector: documents(created(add, NEW_FILE))[0].spec.selector };
  };
  const official = (name: string, selector: string) => operatorRulesfile(name, `${OFFICIAL_OCI}priority: 50\n${selector}`);
  // The same nodes: the first definition's spelling (by the operator's file order) is written.
  assert.deepEqual(selectorOf([official('falco-rules-a', GPU), official('falco-rules-b', IN_GPU)].join('---\n')), { title: IMAGE_FIX(label('pool=gpu')), selector: { matchLabels: { pool: 'gpu' } } });
  // pool in (gpu, edge) holds pool=gpu: the rule is on the nodes of the wider one.
  const wide = 'selector:\n  matchExpressions:\n    - key: pool\n      operator: In\n      values: [gpu, edge]\n';
  assert.deepEqual(selectorOf([official('falco-rules-a', GPU), official('falco-rules-b', wide)].join('---\n')), {
    title: IMAGE_FIX(label('pool in (gpu,edge)')), selector: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['gpu', 'edge'] }] },
  });
  // Judgement re-checked: one definition without a selector (every node) and one with: the rule is on every node, and
  // the tuning Rulesfile gets none.
  const every = actionsFor(service({ [MANIFEST]: [official('falco-rules-a', GPU), official('falco-rules-b', '')].join('---\n') }).service, SHELL_ALERT);
  const add = every.actions.find((a) => a.title === IMAGE_FIX('new Rulesfile \'falco-lens-tuning\' (deploy/falco/falco-lens-tuning.yaml)'));
  assert.ok(add, every.titles.join('\n'));
  assert.equal(documents(created(add, NEW_FILE))[0].spec.selector, undefined);
  // A selector the operator cannot read (an operator spelled `in`): Falco Lens cannot tell its nodes, greyed out.
  const refused = actionsFor(service({ [MANIFEST]: official('falco-rules', 'selector:\n  matchExpressions:\n    - {key: pool, operator: in, values: [gpu]}\n') }).service, SHELL_ALERT);
  assert.ok(!refused.actions.some((a) => a.edit && a.title.includes('falco-lens-tuning')), refused.titles.join('\n'));
  assert.equal(refused.actions.find((a) => a.disabled)?.title, SELECTORS_BLOCK('new Rulesfile \'falco-lens-tuning\' (deploy/falco/falco-lens-tuning.yaml)'));
});

test('Configs of one selector spelled two ways are merged together', () => {
  const inGpu = '  selector:\n    matchExpressions:\n      - {key: pool, operator: In, values: [gpu]}\n';
  const text = [
    operatorConfig('gpu-a', 60, 'engine:\n  kind: kmod', `  ${GPU.replace(/\n(?=.)/g, '\n  ')}`),
    operatorConfig('gpu-b', 70, 'engine:\n  kind: modern_ebpf', inGpu),
  ].join('---\n');
  const { service: s } = service({});
  const found = s.embedded.diagnostics(openHost(s, text, 'file:///ws/deploy/falco/configs.yaml')).filter((d) => d.code === 'config-overridden');
  assert.deepEqual(found.map((d) => textAt(text, d)), ['engine']);
  assert.match(message(found[0]), /Config 'gpu-b' \(configs\.yaml:\d+, written as \/etc\/falco\/config\.d\/70-03-gpu-b-inline\.yaml\), merged after this file, sets 'engine' again/);
});

// 2. An override Rulesfile whose selector picks nodes that its rule's definitions do not: Falco refuses the override
//    there and stops (rule_loader_collector.cpp 0.44.0:230,300,376). It had no finding.

/** The override-nodes findings of a manifest opened as MANIFEST: [severity, text of the range, message]. */
function overrideNotes(manifest: string, files: Record<string, string> = {}): [number | undefined, string, string][] {
  const { service: s } = service(files);
  return s.embedded.diagnostics(openHost(s, manifest, 'file:///ws/deploy/falco/rulesfiles.yaml'))
    .filter((d) => d.code === 'embedded-operator-override-nodes').map((d) => [d.severity, textAt(manifest, d), message(d)]);
}
const SHELL_OVERRIDE = 'inlineRules:\n  - rule: Terminal shell in container\n    exceptions:\n      - name: ops\n        fields: [proc.name]\n        values: [[zsh]]\n    override:\n      exceptions: append\n';
const OFFICIAL_GPU = operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n${GPU}`);

test('an override Rulesfile written on nodes without the rule\'s definition: a warning, or an error where none has it', () => {
  // The override on every node, the official rules on the gpu nodes only.
  const everywhere = [OFFICIAL_GPU, operatorRulesfile('shell-tuning', `priority: 70\n${SHELL_OVERRIDE}`)].join('---\n');
  assert.deepEqual(overrideNotes(everywhere), [[2, 'Terminal shell in container',
    'Falco refuses to start on the nodes where this override of rule \'Terminal shell in container\' is written without the rule\'s definition (a node without the label pool, for one): '
    + 'the operator writes Rulesfile \'shell-tuning\' (/etc/falco/rules.d/70-03-shell-tuning-inline.yaml) on every node (no spec.selector), and the rule is defined by '
    + '/etc/falco/rules.d/50-01-falco-rules-oci.yaml on the nodes of spec.selector pool=gpu. Each Falco pod\'s artifact operator writes a Rulesfile only where its spec.selector matches '
    + 'its node\'s labels, and Falco refuses to start on an override of a rule that no earlier rules file defines. Give this Rulesfile the spec.selector of the definition, or one that picks fewer nodes.']]);
  // On the edge nodes: no node it is written on has the rule. An error.
  const edge = [OFFICIAL_GPU, operatorRulesfile('shell-tuning', `priority: 70\nselector:\n  matchLabels:\n    pool: edge\n${SHELL_OVERRIDE}`)].join('---\n');
  const [error] = overrideNotes(edge);
  assert.equal(error[0], 1);
  assert.match(error[2], /^Falco refuses to start on every node where this override of rule 'Terminal shell in container' is written: none of them has the rule's definition \(a node labelled pool=edge, for one\): the operator writes Rulesfile 'shell-tuning' \(\/etc\/falco\/rules\.d\/70-03-shell-tuning-inline\.yaml\) on the nodes of spec\.selector pool=edge, /);
  // The wider pool in (gpu, edge): a warning naming a node of the edge pool.
  const wider = edge.replace('  matchLabels:\n    pool: edge\n', '  matchExpressions:\n    - {key: pool, operator: In, values: [gpu, edge]}\n');
  assert.match(overrideNotes(wider)[0][2], /\(a node labelled pool=edge, for one\)/);
  // A legacy append and an enabled-only item are overrides too; one finding per rule.
  const legacy = [OFFICIAL_GPU, operatorRulesfile('shell-tuning', 'priority: 70\ninlineRules:\n  - rule: Terminal shell in container\n    enabled: false\n  - rule: Terminal shell in container\n    append: true\n    condition: and proc.name != zsh\n')].join('---\n');
  assert.deepEqual(overrideNotes(legacy).map(([severity, at]) => [severity, at]), [[2, 'Terminal shell in container']]);
});

test('an override on the definition\'s nodes, or fewer, or after its definition in the same file: no finding', () => {
  const quiet = [
    // The same nodes, spelled otherwise; fewer nodes.
    [OFFICIAL_GPU, operatorRulesfile('shell-tuning', `priority: 70\n${'selector:\n  matchExpressions:\n    - {key: pool, operator: In, values: [gpu]}\n'}${SHELL_OVERRIDE}`)],
    [OFFICIAL_GPU, operatorRulesfile('shell-tuning', `priority: 70\nselector:\n  matchLabels:\n    pool: gpu\n    zone: a\n${SHELL_OVERRIDE}`)],
    // The definition on every node.
    [operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n`), operatorRulesfile('shell-tuning', `priority: 70\n${GPU}${SHELL_OVERRIDE}`)],
    // An OCI artifact whose rules Falco Lens does not have, on every node: it may define the rule there.
    [OFFICIAL_GPU, operatorRulesfile('vendor', 'ociArtifact:\n  image:\n    repository: example.com/vendor/rules\npriority: 40\n'), operatorRulesfile('shell-tuning', `priority: 70\n${SHELL_OVERRIDE}`)],
    // Its own definition first.
    [OFFICIAL_GPU, operatorRulesfile('shells', `priority: 70\ninlineRules:\n${['- rule: Terminal shell in container', '  desc: d', '  condition: evt.type = execve', '  output: o', '  priority: NOTICE', ''].join('\n').replace(/^(?=.)/gm, '  ')}${SHELL_OVERRIDE.slice('inlineRules:\n'.length)}`)],
  ];
  for (const docs of quiet) assert.deepEqual(overrideNotes(docs.join('---\n')), [], docs.join('---\n'));
});

test('an override in a ConfigMap\'s rules.yaml is written on its Rulesfile\'s nodes', () => {
  const override = '- rule: Terminal shell in container\n  enabled: false\n  override:\n    enabled: replace\n';
  const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shells\n  namespace: falco\ndata:\n  rules.yaml: |\n${override.replace(/^(?=.)/gm, '    ')}`;
  const manifest = [OFFICIAL_GPU, operatorRulesfile('shells', 'configMapRef:\n  name: shells\npriority: 70\n'), configMap].join('---\n');
  const [note] = overrideNotes(manifest);
  assert.equal(note[1], 'Terminal shell in container');
  assert.match(note[2], /the operator writes Rulesfile 'shells' \(\/etc\/falco\/rules\.d\/70-02-shells-configmap\.yaml\) on every node \(no spec\.selector\)/);
});

// 3. One falco-lens-tuning Rulesfile per namespace: a rule defined on other nodes than its selector's had its tuning
//    greyed out. A second tuning Rulesfile, named after the definition's nodes, is appended to falco-lens-tuning's
//    manifest.

const OWN_GPU = operatorRulesfile('falco-lens-tuning', `priority: 99\n${GPU}inlineRules:\n  - list: unused\n    items: []\n`);
const OWN_EVERY = operatorRulesfile('falco-lens-tuning', `priority: 99\n${SHELL_OVERRIDE}`);

test('falco-lens-tuning on other nodes than the definition: a second tuning Rulesfile in its manifest, tuned again in place', () => {
  // The official rules on every node, falco-lens-tuning on the gpu nodes (a comment and no final line break kept).
  const manifest = `# Falco rules of the cluster\n${[operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n`), OWN_GPU].join('---\n')}  # end`;
  const { host, service: s } = service({ [MANIFEST]: manifest });
  const label = 'new Rulesfile \'falco-lens-tuning-every-node\' (deploy/falco/rulesfiles.yaml, every node)';
  const first = actionsFor(s, SHELL_ALERT);
  assert.ok(!first.actions.some((a) => a.disabled), first.titles.join('\n'));
  const add = first.actions.find((a) => a.title === IMAGE_FIX(label));
  assert.ok(add, first.titles.join('\n'));
  const [edit] = edits(add, MANIFEST);
  assert.equal(edits(add, MANIFEST).length, 1);
  const text = applyEdits(manifest, [edit]);
  // Appended after the last document, which is kept as it was.
  assert.ok(text.startsWith(`${manifest}\n---\n# Tuning of rules that Falco reads before this file: the operator writes it as /etc/falco/rules.d/99-03-falco-lens-tuning-every-node-inline.yaml.\n`), text);
  const added = documents(text)[2];
  assert.deepEqual(added.metadata, { name: 'falco-lens-tuning-every-node', namespace: 'falco' });
  assert.equal(added.spec.priority, 99);
  assert.equal(added.spec.selector, undefined);
  assert.deepEqual(added.spec.inlineRules.map((i: { rule: string }) => i.rule), ['Terminal shell in container']);
  assert.deepEqual(analyzeHost(text).files.map((f) => f.key), ['99-03-falco-lens-tuning-every-node-inline.yaml', '99-03-falco-lens-tuning-inline.yaml']);
  // Written: the same exception is not offered again (one item), the next fix edits the same resource.
  const again = afterWriting(host, s, MANIFEST, text);
  assert.ok(!again.titles.some((t) => t.startsWith(IMAGE_FIX('')) || t.includes('new Rulesfile')), again.titles.join('\n'));
  const disable = again.actions.find((a) => a.title.startsWith('Disable rule'));
  assert.equal(disable?.title, 'Disable rule "Terminal shell in container" in deploy/falco/rulesfiles.yaml, Rulesfile \'falco-lens-tuning-every-node\' inlineRules (last resort: it stops all its alerts)');
  const disabled = applyEdits(text, edits(disable, MANIFEST));
  assert.deepEqual(documents(disabled).map((d) => d.metadata.name), ['falco-rules', 'falco-lens-tuning', 'falco-lens-tuning-every-node']);
  assert.equal(documents(disabled)[2].spec.inlineRules.length, 2);
});

test('the second tuning Rulesfile copies the definition\'s selector, is found again by its nodes, keeps CRLF', () => {
  const manifest = [OFFICIAL_GPU, OWN_EVERY].join('---\n').replace(/\n/g, '\r\n');
  const { host, service: s } = service({ [MANIFEST]: manifest });
  const label = 'new Rulesfile \'falco-lens-tuning-pool-gpu\' (deploy/falco/rulesfiles.yaml, spec.selector pool=gpu)';
  const first = actionsFor(s, SHELL_ALERT);
  const add = first.actions.find((a) => a.title === IMAGE_FIX(label));
  assert.ok(add, first.titles.join('\n'));
  const text = applyEdits(manifest, edits(add, MANIFEST));
  assert.ok(text.startsWith(`${manifest}---\r\n# Tuning`) && !/[^\r]\n/.test(text), JSON.stringify(text.slice(manifest.length)));
  const added = documents(text)[2];
  assert.equal(added.metadata.name, 'falco-lens-tuning-pool-gpu');
  assert.deepEqual(added.spec.selector, { matchLabels: { pool: 'gpu' } });
  // The definition spelled as pool In [gpu]: the same nodes, the same Rulesfile takes the next tuning.
  const respelled = text.replace('  selector:\r\n    matchLabels:\r\n      pool: gpu\r\n', '  selector:\r\n    matchExpressions:\r\n      - {key: pool, operator: In, values: [gpu]}\r\n');
  assert.notEqual(respelled, text);
  const again = afterWriting(host, s, MANIFEST, respelled);
  assert.ok(!again.titles.some((t) => t.includes('new Rulesfile')), again.titles.join('\n'));
  assert.equal(again.actions.find((a) => a.title.startsWith('Disable rule'))?.title, 'Disable rule "Terminal shell in container" in deploy/falco/rulesfiles.yaml, Rulesfile \'falco-lens-tuning-pool-gpu\' inlineRules (last resort: it stops all its alerts)');
});

test('the second tuning Rulesfile\'s name taken by another resource: its hashed name, else greyed out with why', () => {
  const taken = (name: string) => operatorRulesfile(name, 'ociArtifact:\n  image:\n    repository: example.com/other\npriority: 10\n');
  const hashed = nodesName('falco-lens-tuning', keyOf(GPU)!, true)!;
  const one = actionsFor(service({ [MANIFEST]: [OFFICIAL_GPU, OWN_EVERY, taken('falco-lens-tuning-pool-gpu')].join('---\n') }).service, SHELL_ALERT);
  assert.ok(one.titles.includes(IMAGE_FIX(`new Rulesfile '${hashed}' (deploy/falco/rulesfiles.yaml, spec.selector pool=gpu)`)), one.titles.join('\n'));
  const both = actionsFor(service({ [MANIFEST]: [OFFICIAL_GPU, OWN_EVERY, taken('falco-lens-tuning-pool-gpu'), taken(hashed)].join('---\n') }).service, SHELL_ALERT);
  assert.ok(!both.actions.some((a) => a.edit && a.title.startsWith(IMAGE_FIX(''))), both.titles.join('\n'));
  const blocked = both.actions.find((a) => a.disabled);
  assert.equal(blocked?.title, SELECTOR_BLOCK('deploy/falco/rulesfiles.yaml, Rulesfile \'falco-lens-tuning\' inlineRules'));
  assert.match(blocked.disabled!.reason, /^the operator writes \/etc\/falco\/rules\.d\/99-03-falco-lens-tuning-inline\.yaml on every node \(no spec\.selector\), and the rule's definitions on other nodes: \/etc\/falco\/rules\.d\/50-01-falco-rules-oci\.yaml on the nodes of spec\.selector pool=gpu;/);
});
