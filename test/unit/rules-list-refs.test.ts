// Bare list items that may name a list (listRefsOf): every unquoted item whose first character is not a digit, '+'
// or '-' (a character test that replaced a regular expression per item; same answers, non-ASCII included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listRefsOf, parseCondition } from '../../server/src/service/rules/condition';

test('list items that may name a list: not numbers, not signed, not quoted', () => {
  const refs = listRefsOf(parseCondition('proc.name in (shell_binaries, +x, -y, 7z, "quoted_list", é_list, _under, .dot) and fd.name in allowed_files').ast);
  assert.deepEqual(refs.map((r) => r.text), ['shell_binaries', 'é_list', '_under', '.dot', 'allowed_files']);
  for (const item of ['a', 'Z9', '9a', '+', '-', '0', '😀x', '%x', 'x y']) {
    const condition = `proc.name in (${item.includes(' ') ? `"${item}"` : item})`;
    const expected = !item.includes(' ') && /^[^\d+\-]/.test(item);
    assert.equal(listRefsOf(parseCondition(condition).ast).length === 1, expected, item);
  }
});
