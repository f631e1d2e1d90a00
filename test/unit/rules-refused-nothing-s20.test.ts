// A macro or list override Falco's reader refuses, with no earlier definition of its name, collects nothing: the
// reader throws in decode_overrides (an unknown operation, a key the kind cannot change) or at `append: true` beside
// the override before it calls collector.define or collector.append (rule_loader_reader.cpp read_item, the macro and
// list branches: 0.37.0:450-652, 0.44.0:577-857). So the name stays undefined: no use resolves to the item, and it is
// no macro or list that is unused; a use of it is no second error (Falco stops at the item's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);

function finalDefs(text: string) {
  return new RulesWorkspaceIndex(new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] })).load().final;
}

const MACROS: Record<string, [string, string]> = {
  'an operation Falco does not know': ['- macro: m\n  condition: proc.name = x\n  override:\n    condition: redefine\n', '1 invalid-override redefine'],
  'append: true beside an override': ['- macro: m\n  condition: or proc.name = x\n  append: true\n  override:\n    condition: append\n', '1 append-with-override append'],
  'a key a macro cannot override': ['- macro: m\n  condition: proc.name = x\n  override:\n    condition: replace\n    output: replace\n', '1 cannot-replace output'],
};
const LISTS: Record<string, [string, string]> = {
  'an operation Falco does not know': ['- list: l\n  items: [b]\n  override:\n    items: bogus\n', '1 invalid-override bogus'],
  'append: true beside an override': ['- list: l\n  items: [b]\n  append: true\n  override:\n    items: append\n', '1 append-with-override append'],
  'a key a list cannot override': ['- list: l\n  items: [b]\n  override:\n    items: replace\n    condition: replace\n', '1 cannot-replace condition'],
};

test('a refused macro or list override with no earlier definition defines nothing', () => {
  for (const [what, [item]] of Object.entries(MACROS)) assert.equal(finalDefs(item + rule('evt.type = open and m')).macros.has('m'), false, what);
  for (const [what, [item]] of Object.entries(LISTS)) assert.equal(finalDefs(item + rule('evt.type = open and proc.name in (l)')).lists.has('l'), false, what);
  // Accepted, the same items define their names.
  assert.equal(finalDefs('- macro: m\n  condition: proc.name = x\n  override:\n    condition: replace\n').macros.get('m')?.condition, 'proc.name = x');
  assert.deepEqual(finalDefs('- list: l\n  items: [b]\n  override:\n    items: replace\n').lists.get('l')?.items, ['b']);
});

test('a refused macro or list is no unused definition', () => {
  for (const target of ['0.37', '0.44']) {
    for (const [what, [item, said]] of Object.entries({ ...MACROS, ...LISTS })) {
      assert.deepEqual(codes(findingsAt(FILE, item + rule('evt.type = open'), target)), [said], `${what} ${target}`);
    }
  }
});

test('a use of a refused macro says nothing more than Falco\'s one error', () => {
  // Falco stops at the refused item before it compiles the rule; fixed, the item defines the macro.
  for (const target of ['0.37', '0.44']) {
    for (const [what, [item, said]] of Object.entries(MACROS)) {
      assert.deepEqual(codes(findingsAt(FILE, item + rule('evt.type = open and m'), target)), [said], `${what} ${target}`);
    }
  }
  // A macro no item defines is still undefined.
  assert.deepEqual(codes(findingsAt(FILE, rule('evt.type = open and m'), '0.44')), ['1 undefined-macro m']);
});
