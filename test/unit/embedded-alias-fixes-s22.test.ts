// Session 22: a quick fix at an alias of a Falco Operator resource whose anchor is outside inlineRules or config. kubectl
// puts a copy of the anchored node in place of the alias (go-yaml v2, operatorScalars.ts mergeExpansion), and Falco
// Lens checks that copy, showing a finding in it on the whole alias. The fix was computed on the whole copy (the host
// range mapped back) and wrote its text over the alias: `condition: *cond` became `condition: proc.name`, the rest of
// the condition and the link to the anchor lost. Now the fix is computed on the finding's own range and written at the
// anchor where that is exact (the anchored scalar reads back, as kubectl reads it, the fixed text), its title naming
// the anchor; anything else is shown greyed out, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { openHost, operatorConfig, operatorRulesfile, textAt } from './embedded-helpers';
import { service } from './operator-tuning-helpers';
import { applyEdits, editsFor } from './rules-host';

const URI = 'file:///ws/deploy/falco/resources.yaml';
const rulesfile = (inline: string[], annotations: string[]) => operatorRulesfile('x', ['inlineRules:', ...inline.map((l) => `  ${l}`), 'priority: 60', ''].join('\n'))
  .replace('metadata:\n', `metadata:\n  annotations:\n${annotations.map((a) => `    ${a}\n`).join('')}`);
const RULE = ['- rule: r', '  desc: d', '  condition: evt.type = open and m', '  output: o'];

function fixesOf(host: string, code: string): { actions: CodeAction[]; found: string[]; recheck(text: string): string[] } {
  const { service: s } = service({});
  const doc = openHost(s, host, URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code === code);
  assert.equal(found.length, 1, found.map((d) => d.message).join('\n'));
  return {
    // The quick fixes of the finding (not the tuning actions of the rule under it).
    actions: s.embedded.codeActions!(doc, found[0].range, { diagnostics: found }).filter((a) => a.title.startsWith('Change to')),
    found: found.map((d) => textAt(host, d)),
    recheck: (text) => s.embedded.diagnostics(openHost(s, text, URI)).filter((d) => d.code === code).map((d) => textAt(text, d)),
  };
}

test('a fix inside an alias\'s copy edits the anchor, naming it; the alias stays', () => {
  const host = rulesfile(['- macro: m', '  condition: *cond', ...RULE, '  priority: INFO'], ['cond: &cond proc.nmae = x']);
  const { actions, found, recheck } = fixesOf(host, 'unknown-field');
  assert.deepEqual(found, ['*cond']);
  assert.equal(actions[0].title, 'Change to field \'proc.name\' (at its anchor &cond, line 5)');
  const after = applyEdits(host, editsFor(actions[0].edit, URI));
  assert.equal(after, host.replace('&cond proc.nmae = x', '&cond proc.name = x'));
  assert.deepEqual(recheck(after), []);
  // Quoted at the anchor: the quotes stay.
  const quoted = host.replace('&cond proc.nmae = x', '&cond \'proc.nmae = x\'');
  assert.equal(applyEdits(quoted, editsFor(fixesOf(quoted, 'unknown-field').actions[0].edit, URI)), quoted.replace('proc.nmae', 'proc.name'));
});

test('a fix replacing the alias\'s whole value: written at the anchor where it stays a string, else greyed out', () => {
  const priority = rulesfile(['- macro: m', '  condition: evt.type = open', ...RULE, '  priority: *p'], ['p: &p warn']);
  const fixed = fixesOf(priority, 'invalid-priority');
  assert.deepEqual(fixed.actions.map((a) => a.title), ['Change to priority \'WARNING\' (at its anchor &p, line 5)']);
  const after = applyEdits(priority, editsFor(fixed.actions[0].edit, URI));
  assert.equal(after, priority.replace('&p warn', '&p WARNING'));
  assert.deepEqual(fixed.recheck(after), []);
  // `yes` made `true` would give the annotation a boolean (Kubernetes refuses it): not written.
  const enabled = rulesfile(['- macro: m', '  condition: evt.type = open', ...RULE, '  priority: INFO', '  enabled: *e'], ['e: &e "yes"']);
  const refused = fixesOf(enabled, 'invalid-value-type').actions;
  assert.deepEqual(refused.map((a) => [a.title, a.edit, a.disabled?.reason]), [[
    'Change to value \'true\'', undefined,
    'Falco receives here the copy of the anchor &e (line 5) that kubectl puts in place of *e: the fix writes a boolean where the anchor holds a text, which the anchor\'s other readers would get too. Edit the anchor or the alias by hand.',
  ]]);
});

test('an anchor whose text has escapes is not edited in place: greyed out', () => {
  const host = rulesfile(['- macro: m', '  condition: *cond', ...RULE, '  priority: INFO'], ['cond: &cond "proc.nmae = \\"x\\""']);
  const { actions } = fixesOf(host, 'unknown-field');
  assert.ok(actions.length > 0);
  for (const a of actions) {
    assert.equal(a.edit, undefined);
    assert.match(a.disabled!.reason, /^Falco receives here the copy of the anchor &cond \(line 5\) that kubectl puts in place of \*cond: the anchor holds no scalar the fix can edit in place/);
  }
});

test('a Config\'s config: a near miss read through an alias is fixed at the anchor', () => {
  const host = operatorConfig('levels', 10, 'log_level: *lvl').replace('metadata:\n', 'metadata:\n  annotations:\n    lvl: &lvl information\n');
  const { actions, found, recheck } = fixesOf(host, 'config-start-fails');
  assert.deepEqual(found, ['*lvl']);
  assert.deepEqual(actions.map((a) => a.title), ['Change to \'info\' (at its anchor &lvl, line 5)']);
  const after = applyEdits(host, editsFor(actions[0].edit, URI));
  assert.equal(after, host.replace('&lvl information', '&lvl info'));
  assert.deepEqual(recheck(after), []);
});
