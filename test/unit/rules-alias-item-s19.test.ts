// Session 19: an item that is an alias (`- *r`: yaml-cpp gives the anchored node itself as the item, NodeBuilder::
// OnAlias) is checked as that node, so its findings lie in the anchored text; each also points at the alias (related
// information, and the message names it), so that the user sees both places (validate.ts AliasAttribution,
// itemAliases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkspace, textAt } from './rules-nav-helpers';

test('the findings of an item written as an alias point at the alias too', () => {
  const text = '- &r\n  macro: m\n  condition: proc.nme = x\n- &s\n  rule: r\n  desc: d\n  condition: m and evt.type = open\n  output: o\n  priority: INFO\n- *r\n- *s\n';
  const { service, docs } = openWorkspace({ '/ws/rules.yaml': text });
  const found = service.diagnostics(docs['/ws/rules.yaml']);
  const related = (code: string, at: string) => {
    const d = found.find((x) => x.code === code && textAt(text, x.range) === at);
    assert.ok(d, `${code} at ${at}`);
    return { message: String(d.message), related: (d.relatedInformation ?? []).map((r) => [r.location.range.start.line, textAt(text, r.location.range), r.message]) };
  };
  // The second definition of m is the alias item `- *r` (line 10): said at the anchored name, pointing at *r.
  const again = related('redefinition', 'm');
  assert.match(again.message, /Macro 'm' reads this text again through \*r \(line 10\)\.$/);
  assert.deepEqual(again.related, [[9, '*r', 'macro \'m\' reads this text again here, through *r']]);
  const rule = related('redefinition', 'r');
  assert.deepEqual(rule.related, [[10, '*s', 'rule \'r\' reads this text again here, through *s']]);
  // A condition finding the alias item makes as well is one diagnostic, pointing at the alias.
  const field = found.filter((x) => x.code === 'unknown-field');
  assert.ok(field.some((d) => (d.relatedInformation ?? []).some((r) => textAt(text, r.location.range) === '*r')), JSON.stringify(field));
});
