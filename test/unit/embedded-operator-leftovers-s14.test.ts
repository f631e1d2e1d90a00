// The Falco Operator's node selectors, session 13's leftovers:
// 1. An append to a macro or a list written on nodes where no Rulesfile defines it: Falco refuses it there
//    (ERROR_NO_PREVIOUS_MACRO / _LIST, rule_loader_collector.cpp 0.44.0:189,200) and stops. Only rule overrides were
//    reported; a macro's or list's `override: …: replace` is a definition and stays quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exampleText, nodesOutside } from '../../server/src/service/embedded/selectors';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { message, openHost, operatorRulesfile, textAt } from './embedded-helpers';
import { GPU, OFFICIAL_OCI, service } from './operator-tuning-helpers';

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
