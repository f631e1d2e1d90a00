// LOAD_UNUSED_LIST for a list named only as an item of another list (pin: Falco Lens already followed it).
// compile_list_infos (rule_loader_compiler.cpp, the same logic at 0.37.0 and 0.44.0:300-324) expands into each list
// the items of a list it names that is visible to it (defined, or last appended to, before it: ref->index <
// list.visibility; define_info and append_info set visibility, rule_loader_collector.cpp 0.44.0:57-79) and marks that
// list used, whether or not the outer list is used anywhere. A name no visible list has stays a plain item, and the
// list of that name is then used only if a condition names it: parse_condition resolves every list in every macro's
// condition, an unused macro's too, and in a rule's condition after the lists before it were pasted in (resolve_list,
// 0.44.0:182-237, 284-290).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const unused = (text: string, target: string) => findingsAt(FILE, text, target).filter((f) => / unused-/.test(f)).map((f) => f.split(':')[0]);

test('a list named only in the items of a list defined after it is used, even when that list is unused', () => {
  for (const target of ['0.37', '0.40', '0.44']) {
    assert.deepEqual(unused('- list: a\n  items: [x]\n- list: b\n  items: [a, y]\n' + rule('evt.type = open'), target), ['3 unused-list b'], target);
    assert.deepEqual(unused('- list: a\n  items: [x]\n- list: b\n  items: [a, y]\n' + rule('evt.type = open and proc.name in (b)'), target), [], target);
    // Named by a list defined before it: a plain item, so unused with that list.
    assert.deepEqual(unused('- list: b\n  items: [a, y]\n- list: a\n  items: [x]\n' + rule('evt.type = open'), target), ['3 unused-list b', '3 unused-list a'], target);
    // ... unless a rule's condition names that list, whose pasted items then name it.
    assert.deepEqual(unused('- list: b\n  items: [a, y]\n- list: a\n  items: [x]\n' + rule('evt.type = open and proc.name in (b)'), target), [], target);
    // Appended to after it is defined: visible to the append.
    assert.deepEqual(unused('- list: b\n  items: [y]\n- list: a\n  items: [x]\n- list: b\n  items: [a]\n  override:\n    items: append\n' + rule('evt.type = open'), target), ['3 unused-list b'], target);
    // In an unused macro's condition: used (every macro's condition is parsed), the macro unused.
    assert.deepEqual(unused('- list: a\n  items: [x]\n- macro: m\n  condition: proc.name in (a)\n' + rule('evt.type = open'), target), ['3 unused-macro m'], target);
  }
});
