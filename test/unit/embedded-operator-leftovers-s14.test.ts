// The Falco Operator's node selectors, session 13's leftovers:
// 1. An append to a macro or a list written on nodes where no Rulesfile defines it: Falco refuses it there
//    (ERROR_NO_PREVIOUS_MACRO / _LIST, rule_loader_collector.cpp 0.44.0:189,200) and stops. Only rule overrides were
//    reported; a macro's or list's `override: …: replace` is a definition and stays quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
