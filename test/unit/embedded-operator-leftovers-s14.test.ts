// The Falco Operator's node selectors, session 13's leftovers:
// 1. An append to a macro or a list written on nodes where no Rulesfile defines it: Falco refuses it there
//    (ERROR_NO_PREVIOUS_MACRO / _LIST, rule_loader_collector.cpp 0.44.0:189,200) and stops. Only rule overrides were
//    reported; a macro's or list's `override: …: replace` is a definition and stays quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, nodesKey, nodesOutside } from '../../server/src/service/embedded/selectors';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { message, openHost, operatorConfig, operatorRulesfile, textAt } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { GPU, IMAGE_FIX, MANIFEST, OFFICIAL_OCI, SHELL_ALERT, WEB_RULES, actionsFor, afterWriting, documents, edits, service } from './operator-tuning-helpers';

const MANIFEST_URI = 'file:///ws/deploy/falco/rulesfiles.yaml';

/** The override-nodes findings of a manifest: [severity, text of the range, message]. */
function overrideNotes(manifest: string): [number | undefined, string, string][] {
  const { service: s } = service({});
  return s.embedded.diagnostics(openHost(s, manifest, MANIFEST_URI))
    .filter((d) => d.code === 'embedded-operator-override-nodes').map((d) => [d.severity, textAt(manifest, d), message(d)]);
}
const OFFICIAL_GPU = operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n${GPU}`);
const EDGE = 'selector:\n  matchLabels:\n    pool: edge\n';

test('an append to an official list or macro on nodes without the official rules: a warning, an error where none has them', () => {
  // A legacy list append on every node; the official rules (which define shell_binaries) on the gpu nodes only.
  const list = [OFFICIAL_GPU, operatorRulesfile('shells', 'priority: 70\ninlineRules:\n  - list: shell_binaries\n    items: [fish]\n    append: true\n')].join('---\n');
  const [warning, ...more] = overrideNotes(list);
  assert.deepEqual(more, []);
  assert.equal(warning[0], 2);
  assert.equal(warning[1], 'shell_binaries');
  assert.equal(warning[2], 'Falco refuses to start on the nodes where this append to list \'shell_binaries\' is written without the list\'s definition (a node without the label pool, for one): '
    + 'the operator writes Rulesfile \'shells\' (/etc/falco/rules.d/70-03-shells-inline.yaml) on every node (no spec.selector), and the list is defined by '
    + '/etc/falco/rules.d/50-01-falco-rules-oci.yaml on the nodes of spec.selector pool=gpu. Each Falco pod\'s artifact operator writes a Rulesfile only where its spec.selector matches '
    + 'its node\'s labels, and Falco refuses to start on an append to a list that no earlier rules file defines (\'List uses \'append\' or \'override.items: append\' but no list by that name already exists\'). '
    + 'Give this Rulesfile the spec.selector of the definition, or one that picks fewer nodes.');
  // override.condition: append to spawned_process on the edge nodes: none has the macro, an error.
  const macro = [OFFICIAL_GPU, operatorRulesfile('procs', `priority: 70\n${EDGE}inlineRules:\n  - macro: spawned_process\n    condition: or evt.type = execveat\n    override:\n      condition: append\n`)].join('---\n');
  const [error] = overrideNotes(macro);
  assert.equal(error[0], 1);
  assert.equal(error[1], 'spawned_process');
  assert.match(error[2], /^Falco refuses to start on every node where this append to macro 'spawned_process' is written: none of them has the macro's definition \(a node labelled pool=edge, for one\): .*\('Macro uses 'append' or 'override\.condition: append' but no macro by that name already exists'\)/);
});

test('a macro defined by a team\'s Rulesfile on some nodes, appended on others; replaces and own definitions stay quiet', () => {
  const team = operatorRulesfile('team', `priority: 40\n${GPU}inlineRules:\n  - macro: team_procs\n    condition: proc.name = x\n  - list: team_images\n    items: [a]\n`);
  const append = operatorRulesfile('tuning', 'priority: 60\ninlineRules:\n  - macro: team_procs\n    condition: or proc.name = y\n    append: true\n  - list: team_images\n    items: [b]\n    override:\n      items: append\n');
  assert.deepEqual(overrideNotes([team, append].join('---\n')).map(([severity, at]) => [severity, at]), [[2, 'team_procs'], [2, 'team_images']]);
  const quiet = [
    // A replace is a definition: Falco defines the macro anew there.
    [OFFICIAL_GPU, operatorRulesfile('procs', 'priority: 70\ninlineRules:\n  - macro: spawned_process\n    condition: evt.type = execve\n    override:\n      condition: replace\n')],
    // The same nodes as the definition.
    [team, append.replace('priority: 60\n', `priority: 60\n${GPU}`)],
    // Defined before in the same file.
    [OFFICIAL_GPU, operatorRulesfile('shells', 'priority: 70\ninlineRules:\n  - list: shell_binaries\n    items: [sh]\n  - list: shell_binaries\n    items: [fish]\n    append: true\n')],
    // A macro no earlier file defines: the rules checks' case.
    [OFFICIAL_GPU, operatorRulesfile('x', 'priority: 70\ninlineRules:\n  - macro: nowhere_defined\n    condition: or proc.name = y\n    append: true\n')],
  ];
  for (const docs of quiet) assert.deepEqual(overrideNotes(docs.join('---\n')), [], docs.join('---\n'));
});

// 3. nodesOutside tried every combination of label states and gave up past 4,096 (eight keys of one value each):
//    an override written on nodes without its rule went unreported. It now follows only the states that change which
//    selectors still pick the node, exactly; where its bound is spent it says it cannot tell (an information), never
//    a finding.

/** A selector's lines requiring each label of `labels` (matchLabels). */
const labelled = (labels: Record<string, string>) => `selector:\n  matchLabels:\n${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`).join('')}`;
const OVERRIDE = 'inlineRules:\n  - rule: Terminal shell in container\n    enabled: false\n';
const official = (name: string, selector: string) => operatorRulesfile(name, `${OFFICIAL_OCI}priority: 50\n${selector}`);

test('selectors of eight label keys, past the old bound of 4,096 states: the override is reported, with a node\'s labels', () => {
  const manifest = [
    official('falco-rules', labelled({ pool: 'gpu', zone: 'a', tier: 't', team: 'x' })),
    operatorRulesfile('tuning', `priority: 70\n${labelled({ env: 'prod', region: 'eu', rack: 'r1', os: 'linux' })}${OVERRIDE}`),
  ].join('---\n');
  const [note, ...more] = overrideNotes(manifest);
  assert.deepEqual(more, []);
  assert.equal(note[0], 2);
  assert.match(note[2], /\(a node labelled env=prod, os=linux, rack=r1, region=eu and without the labels pool, team, tier, zone, for one\)/);
  // The same definition on the override's nodes too (its requirements a subset): no finding, whatever the keys.
  const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, 'v']));
  const covered = [official('falco-rules', labelled({ k0: 'v' })), operatorRulesfile('tuning', `priority: 70\n${labelled(wide)}${OVERRIDE}`)].join('---\n');
  assert.deepEqual(overrideNotes(covered), []);
});

test('many selectors whose requirements cross: an exact answer where it is cheap, "cannot tell" past the bound, never a finding', () => {
  // Keys x0..x(m-1), y0..y(m-1), each a or b on the override's nodes. Definitions on x_i=a,y_i=b and on x_i=b,y_i=a
  // for each i, and on y0=a and on y0=b: every node of the override has one (y0 is a or b), so the honest answers are
  // "none outside" and "cannot tell".
  const keyOf = (doc: string) => analyzeHost(doc).oci?.[0].selector;
  const instance = (m: number) => {
    const keys = Array.from({ length: m }, (_, i) => [`x${i}`, `y${i}`]).flat();
    const pick = `selector:\n  matchExpressions:\n${keys.map((k) => `    - {key: ${k}, operator: In, values: [a, b]}\n`).join('')}`;
    const defs = [...Array.from({ length: m }, (_, i) => [labelled({ [`x${i}`]: 'a', [`y${i}`]: 'b' }), labelled({ [`x${i}`]: 'b', [`y${i}`]: 'a' })]).flat(), labelled({ y0: 'a' }), labelled({ y0: 'b' })];
    return { pick, defs };
  };
  const small = instance(4);
  assert.equal(nodesOutside(keyOf(official('p', small.pick)), small.defs.map((d) => keyOf(official('d', d)))), undefined);
  // The same search with a bound too small for it says so.
  assert.equal(nodesOutside(keyOf(official('p', small.pick)), small.defs.map((d) => keyOf(official('d', d))), 20), 'unknown');
  // Without y0's two definitions a node escapes (y_i = x_i), found at once.
  const escape = nodesOutside(keyOf(official('p', small.pick)), small.defs.slice(0, -2).map((d) => keyOf(official('d', d))));
  assert.ok(escape && escape !== 'unknown');
  assert.equal(exampleText(escape.example), 'labelled x0=a, x1=a, x2=a, x3=a, y0=a, y1=a, y2=a, y3=a');
  // Through the service, twelve pairs: an information, not a warning.
  const big = instance(12);
  const manifest = [...big.defs.map((d, i) => official(`falco-rules-${String(i).padStart(2, '0')}`, d)), operatorRulesfile('tuning', `priority: 70\n${big.pick}${OVERRIDE}`)].join('---\n');
  const notes = overrideNotes(manifest);
  assert.deepEqual(notes.map(([severity, at]) => [severity, at]), [[3, 'Terminal shell in container']]);
  assert.match(notes[0][2], /^Falco Lens cannot tell whether every node where this override of rule 'Terminal shell in container' is written has the rule's definition: the selectors name too many label combinations to compare/);
});

// 2. A selector that Kubernetes refuses, changes, or that the operator cannot read had no finding of its own: it only
//    made Falco Lens's comparisons unclear. Each is now said at its key or value, with what happens.

/** The selector findings of a Rulesfile whose spec has the lines `selector`: [severity, text of the span, message]. */
function selectorNotes(selector: string, kind: 'Rulesfile' | 'Config' = 'Rulesfile'): [string, string, string][] {
  const doc = kind === 'Rulesfile' ? operatorRulesfile('x', `priority: 60\n${selector}inlineRules:\n  - list: l\n    items: [a]\n`) : operatorConfig('x', 60, 'engine:\n  kind: kmod', selector.replace(/^(?=.)/gm, '  '));
  return analyzeHost(doc).problems.filter((p) => p.code === 'embedded-operator-selector').map((p) => [p.severity, doc.slice(p.span[0], p.span[1]), p.message]);
}
const expressions = (...items: string[]) => `selector:\n  matchExpressions:\n${items.map((i) => `    - ${i}\n`).join('')}`;

test('a selector the operator cannot read: a warning at the operator, values, key or value, saying it is written on no node', () => {
  const [lower] = selectorNotes(expressions('{key: pool, operator: in, values: [gpu]}'));
  assert.deepEqual(lower.slice(0, 2), ['warning', 'in']);
  assert.equal(lower[2], 'The operator writes this Rulesfile on no node: each Falco pod\'s artifact operator fails to read spec.selector ("in" is not a valid label selector operator: In, NotIn, Exists or DoesNotExist), '
    + 'logs the error and tries again, and files it wrote for an earlier selector stay. Kubernetes accepts the resource: its CRD does not check this.');
  const at = (selector: string) => selectorNotes(selector).map(([severity, text]) => [severity, text]);
  assert.deepEqual(at(expressions('{key: pool, operator: Exists, values: [gpu]}')), [['warning', '[gpu]']]);
  assert.deepEqual(at(expressions('{key: pool, operator: In}')), [['warning', 'In']]);
  assert.deepEqual(at(expressions('{key: pool, operator: NotIn, values: []}')), [['warning', '[]']]);
  assert.deepEqual(at(expressions('{key: pool, operator: In, values: }')), [['warning', 'In']]);
  assert.deepEqual(at(expressions('{key: -pool, operator: Exists}')), [['warning', '-pool']]);
  assert.deepEqual(at('selector:\n  matchLabels:\n    pool: "a b"\n    example.com//x: gpu\n'), [['warning', '"a b"'], ['warning', 'example.com//x']]);
  assert.match(selectorNotes(expressions('{key: pool, operator: In}'))[0][2], /\(In needs values: "for 'in', 'notin' operators, values set can't be empty"\)/);
});

test('a selector Kubernetes refuses (the CRD\'s schema), drops a part of, or kubectl refuses: said at the offending key or value', () => {
  const at = (selector: string, kind?: 'Rulesfile' | 'Config') => selectorNotes(selector, kind).map(([severity, text]) => [severity, text]);
  // Label values that are no strings: a number, a boolean, and `yes`, which kubectl reads as YAML 1.1's true.
  assert.deepEqual(at('selector:\n  matchLabels:\n    pool: 1\n    gpu: true\n    spot: yes\n    zone: "yes"\n'), [['error', '1'], ['error', 'true'], ['error', 'yes']]);
  assert.equal(selectorNotes('selector:\n  matchLabels:\n    pool: 1\n')[0][2], 'Kubernetes refuses this Rulesfile: the value of label \'pool\' in matchLabels must be a string, not 1, a number: write it quoted (the CRD\'s schema of spec.selector, a Kubernetes label selector).');
  assert.deepEqual(at('selector: pool=gpu\n'), [['error', 'pool=gpu']]);
  assert.deepEqual(at('selector:\n  matchLabels: [pool, gpu]\n'), [['error', '[pool, gpu]']]);
  assert.deepEqual(at(expressions('{key: pool, values: [a]}')), [['error', '{key: pool, values: [a]}']]);
  assert.deepEqual(at(expressions('{key: pool, operator: In, values: [1, a]}')), [['error', '1']]);
  assert.deepEqual(at(expressions('{key: 7, operator: Exists}')), [['error', '7']]);
  // An empty item: at its place, right after the dash.
  const empty = selectorNotes('selector:\n  matchExpressions:\n    -\n    - {key: pool, operator: Exists}\n');
  assert.deepEqual(empty.map(([severity, text]) => [severity, text]), [['error', '']]);
  assert.match(empty[0][2], /an item of matchExpressions is empty, not a mapping/);
  // Unknown fields: kubectl's strict validation refuses them; others have them dropped.
  assert.deepEqual(at('selector:\n  matchLabel:\n    pool: gpu\n'), [['warning', 'matchLabel']]);
  assert.deepEqual(at(expressions('{key: pool, operator: In, value: [gpu]}')), [['warning', 'value'], ['warning', 'In']]);
  // A label without a value is dropped by the API server: a warning, and the selector picks every node.
  const [dropped] = selectorNotes('selector:\n  matchLabels:\n    pool:\n');
  assert.deepEqual(dropped.slice(0, 2), ['warning', 'pool']);
  assert.match(dropped[2], /^The label 'pool' has no value: the API server drops it/);
  assert.equal(nodesKey(analyzeHost(operatorRulesfile('x', `${OFFICIAL_OCI}selector:\n  matchLabels:\n    pool:\n`)).oci?.[0].selector), '');
  // A Config is named as such.
  assert.match(selectorNotes(expressions('{key: pool, operator: Equals, values: [a]}'), 'Config')[0][2], /^The operator writes this Config on no node/);
  // Selectors that are fine: none.
  for (const fine of [GPU, expressions('{key: pool, operator: In, values: [gpu, ""]}', '{key: spot, operator: DoesNotExist}', '{key: zone, operator: Exists, values: }'), 'selector: {}\n', 'selector:\n', 'selector:\n  matchLabels:\n  matchExpressions: []\n']) {
    assert.deepEqual(selectorNotes(fine), [], fine);
  }
});

test('selector findings through the service, at the host\'s range', () => {
  const manifest = [OFFICIAL_GPU, operatorRulesfile('tuning', `priority: 70\n${expressions('{key: pool, operator: in, values: [gpu]}')}${OVERRIDE}`)].join('---\n');
  const { service: s } = service({});
  const found = s.embedded.diagnostics(openHost(s, manifest, MANIFEST_URI)).filter((d) => d.code === 'embedded-operator-selector' || d.code === 'embedded-operator-override-nodes');
  // The unreadable selector gets its finding; the override check has nothing to compare.
  assert.deepEqual(found.map((d) => [d.code, d.severity, textAt(manifest, d)]), [['embedded-operator-selector', 2, 'in']]);
});

// 4. The second tuning Rulesfile was appended at the end of the manifest holding falco-lens-tuning, after whatever
//    documents follow it. It now goes right after the namespace's last tuning Rulesfile of that manifest, with the `---`
//    lines it needs, the user's documents untouched, and a second run adds nothing.

const OWN_GPU = operatorRulesfile('falco-lens-tuning', `priority: 99\n${GPU}inlineRules:\n  - list: unused\n    items: []\n`);
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n  namespace: falco\ndata:\n  a: b\n';
const EVERY_NODE = IMAGE_FIX('new Rulesfile \'falco-lens-tuning-every-node\' (deploy/falco/rulesfiles.yaml, every node)');

test('the second tuning Rulesfile goes right after falco-lens-tuning, before the user\'s next documents, once', () => {
  const head = `${[operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n`), OWN_GPU].join('---\n')}# end of the tuning\n`;
  const tail = `---\n# notes of the team\n${CONFIG_MAP}---\n${WEB_RULES}`;
  const manifest = head + tail;
  const { host, service: s } = service({ [MANIFEST]: manifest });
  const first = actionsFor(s, SHELL_ALERT);
  const add = first.actions.find((a) => a.title === EVERY_NODE);
  assert.ok(add, first.titles.join('\n'));
  const [edit, ...others] = edits(add, MANIFEST);
  assert.deepEqual(others, []);
  const text = applyEdits(manifest, [edit]);
  // One insertion between the tuning document (its trailing comment kept with it) and the next document's `---`.
  assert.ok(text.startsWith(`${head}---\n# Tuning of rules that Falco reads before this file`), text);
  assert.ok(text.endsWith(`\n${tail}`), text);
  assert.deepEqual(documents(text).map((d) => d.metadata.name), ['falco-rules', 'falco-lens-tuning', 'falco-lens-tuning-every-node', 'notes', 'web-rules']);
  // Twice: nothing more is offered for this alert; "Disable rule" edits the added Rulesfile where it is.
  const again = afterWriting(host, s, MANIFEST, text);
  assert.ok(!again.titles.some((t) => t.includes('new Rulesfile') || t.startsWith(IMAGE_FIX(''))), again.titles.join('\n'));
  const disable = again.actions.find((a) => a.title.startsWith('Disable rule'));
  const disabled = applyEdits(text, edits(disable, MANIFEST));
  assert.ok(disabled.endsWith(`\n${tail}`) && disabled.startsWith(head));
  assert.deepEqual(documents(disabled)[2].spec.inlineRules.length, 2);
  // A third set of nodes (the exception is already there for them: "Disable rule" is offered): after the last tuning
  // Rulesfile, falco-lens-tuning-every-node.
  const edgeRules = text.replace(`name: falco-rules\n  namespace: falco\nspec:\n  ociArtifact`, 'name: falco-rules\n  namespace: falco\nspec:\n  selector:\n    matchLabels:\n      pool: edge\n  ociArtifact');
  assert.notEqual(edgeRules, text);
  const third = afterWriting(host, s, MANIFEST, edgeRules);
  const addEdge = third.actions.find((a) => a.title === 'Disable rule "Terminal shell in container" in new Rulesfile \'falco-lens-tuning-pool-edge\' (deploy/falco/rulesfiles.yaml, spec.selector pool=edge) (last resort: it stops all its alerts)');
  assert.ok(addEdge, third.titles.join('\n'));
  const written = applyEdits(edgeRules, edits(addEdge, MANIFEST));
  assert.ok(written.endsWith(`\n${tail}`));
  assert.deepEqual(documents(written).map((d) => d.metadata.name), ['falco-rules', 'falco-lens-tuning', 'falco-lens-tuning-every-node', 'falco-lens-tuning-pool-edge', 'notes', 'web-rules']);
});

test('the second tuning Rulesfile: in the file holding falco-lens-tuning, CRLF kept, a document after `...` kept apart', () => {
  // The official rules in one file, falco-lens-tuning in another with a ConfigMap after it (CRLF), which takes the edit.
  const tuning = `${OWN_GPU}---\n${CONFIG_MAP}`.replace(/\n/g, '\r\n');
  const files = { [MANIFEST]: operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n`), '/ws/deploy/falco/tuning.yaml': tuning };
  const { service: s } = service(files);
  const { actions, titles } = actionsFor(s, SHELL_ALERT);
  const add = actions.find((a) => a.title === IMAGE_FIX('new Rulesfile \'falco-lens-tuning-every-node\' (deploy/falco/tuning.yaml, every node)'));
  assert.ok(add, titles.join('\n'));
  assert.deepEqual(Object.keys(add.edit?.changes ?? {}), ['file:///ws/deploy/falco/tuning.yaml']);
  const text = applyEdits(tuning, edits(add, '/ws/deploy/falco/tuning.yaml'));
  assert.ok(!/[^\r]\n/.test(text) && text.startsWith(`${OWN_GPU.replace(/\n/g, '\r\n')}---\r\n# Tuning`) && text.endsWith(`\r\n---\r\n${CONFIG_MAP.replace(/\n/g, '\r\n')}`), JSON.stringify(text));
  assert.deepEqual(documents(text).map((d) => d.metadata.name), ['falco-lens-tuning', 'falco-lens-tuning-every-node', 'notes']);
  // A document ending with `...` and a next one without `---`: the new one gets a `---` after it too.
  const ended = `${OWN_GPU}...\n${CONFIG_MAP}`;
  const { service: s2 } = service({ [MANIFEST]: operatorRulesfile('falco-rules', `${OFFICIAL_OCI}priority: 50\n`), '/ws/deploy/falco/tuning.yaml': ended });
  const add2 = actionsFor(s2, SHELL_ALERT).actions.find((a) => a.title === IMAGE_FIX('new Rulesfile \'falco-lens-tuning-every-node\' (deploy/falco/tuning.yaml, every node)'));
  const text2 = applyEdits(ended, edits(add2, '/ws/deploy/falco/tuning.yaml'));
  assert.ok(text2.startsWith(`${OWN_GPU}...\n---\n# Tuning`) && text2.endsWith(`---\n${CONFIG_MAP}`), text2);
  assert.deepEqual(documents(text2).map((d) => d.metadata.name), ['falco-lens-tuning', 'falco-lens-tuning-every-node', 'notes']);
});
