// An override Falco's reader refuses stops the load at its error (rule_loader_reader.cpp read_item, the same order at
// 0.37.0 and 0.44.0:577-857): the model keeps the earlier definition as it was, so nothing later (findings, hovers,
// the rule's effective condition) shows the refused text merged, even where Falco's collector had appended it before
// the reader threw; and a `condition: and ...` of such an item, replaced or not, is no condition Falco compiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
const BASE = rule('evt.type = open');
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);

function finalDefs(text: string) {
  const host = new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] });
  return new RulesWorkspaceIndex(host).load().final;
}

// Each refused rule override after the rule, with Falco's one error.
const REFUSED_RULE: Record<string, [string, string]> = {
  'a replaced key missing beside an append (after collector.append)': ['  condition: or proc.name = x\n  override:\n    condition: append\n    priority: replace\n', '1 override-without-key priority'],
  'a key with no entry under override (after the collector)': ['  condition: or proc.name = x\n  output: more\n  override:\n    condition: append\n', '1 missing-override-entry output'],
  'a key that cannot be appended to': ['  condition: or proc.name = x\n  enabled: false\n  override:\n    condition: append\n    enabled: append\n', '1 cannot-append append'],
  'append: true beside an override': ['  condition: or proc.name = x\n  append: true\n  override:\n    condition: append\n', '1 append-with-override append'],
  'a misspelt operation beside an append': ['  condition: or proc.name = x\n  output: more\n  override:\n    condition: append\n    output: appned\n', '1 invalid-override appned'],
  'an unparsable replaced priority beside an append': ['  condition: or proc.name = x\n  priority: urgent\n  override:\n    condition: append\n    priority: replace\n', '1 invalid-priority urgent'],
};

test('a refused rule override leaves the earlier rule as it was', () => {
  for (const [what, [body]] of Object.entries(REFUSED_RULE)) {
    const r = finalDefs(BASE + `- rule: r\n${body}`).rules.get('r');
    assert.equal(r?.condition, 'evt.type = open', what);
    assert.equal(r?.output, 'o', what);
    assert.equal(r?.priority, 'INFO', what);
    assert.equal(r?.enabled, true, what);
    assert.equal(r?.contributions.length, 1, what);
  }
  // An accepted override still changes it.
  assert.equal(finalDefs(BASE + '- rule: r\n  condition: or proc.name = x\n  override:\n    condition: append\n').rules.get('r')?.condition, 'evt.type = open or proc.name = x');
});

test('a refused rule override: Falco\'s one error, no finding of the refused text merged into the rule', () => {
  // Merged, `or proc.name = x` took the rule's event-type restriction away (no-evttype on the rule).
  for (const target of ['0.37', '0.44']) {
    for (const [what, [body, said]] of Object.entries(REFUSED_RULE)) {
      assert.deepEqual(codes(findingsAt(FILE, BASE + `- rule: r\n${body}`, target)), [said], `${what} ${target}`);
    }
  }
});

test('a refused macro or list override leaves the earlier definition as it was', () => {
  const macro = '- macro: m\n  condition: evt.type = open\n' + rule('m');
  const refusedMacros: Record<string, string> = {
    'append: true beside an override': '- macro: m\n  condition: or proc.name = x\n  append: true\n  override:\n    condition: append\n',
    'an operation Falco does not know': '- macro: m\n  condition: proc.name = x\n  override:\n    condition: redefine\n',
  };
  for (const [what, item] of Object.entries(refusedMacros)) {
    assert.equal(finalDefs(macro + item).macros.get('m')?.condition, 'evt.type = open', what);
    for (const target of ['0.37', '0.44']) assert.equal(codes(findingsAt(FILE, macro + item, target)).length, 1, `${what} ${target}`);
  }
  const list = '- list: l\n  items: [a]\n' + rule('evt.type = open and proc.name in (l)');
  const refusedLists: Record<string, string> = {
    'append: true beside an override': '- list: l\n  items: [b]\n  append: true\n  override:\n    items: append\n',
    'an operation Falco does not know': '- list: l\n  items: [b]\n  override:\n    items: bogus\n',
    'a key a list cannot override': '- list: l\n  items: [b]\n  override:\n    items: append\n    condition: replace\n',
  };
  for (const [what, item] of Object.entries(refusedLists)) {
    assert.deepEqual(finalDefs(list + item).lists.get('l')?.items, ['a'], what);
    assert.equal(codes(findingsAt(FILE, list + item, '0.44')).length, 1, what);
  }
});

test('a refused override\'s replaced `condition: and ...` is not parsed as a whole condition', () => {
  for (const target of ['0.37', '0.44']) {
    const refused = BASE + '- rule: r\n  condition: and proc.name = x\n  enabled: false\n  override:\n    condition: replace\n    enabled: append\n';
    assert.deepEqual(codes(findingsAt(FILE, refused, target)), ['1 cannot-append append'], target);
    const afterCollector = BASE + '- rule: r\n  condition: or proc.name = x\n  output: more\n  desc: zz\n  override:\n    condition: replace\n    output: append\n';
    assert.deepEqual(codes(findingsAt(FILE, afterCollector, target)), ['1 missing-override-entry desc'], target);
    // Accepted, the replaced text is compiled as written.
    const accepted = BASE + '- rule: r\n  condition: and proc.name = x\n  output: more\n  override:\n    condition: replace\n    output: append\n';
    assert.deepEqual(codes(findingsAt(FILE, accepted, target)), ['1 condition-syntax and'], target);
  }
});

test('an unparsable replaced priority: the reader\'s error, or the collector\'s first where something is appended', () => {
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(codes(findingsAt(FILE, '- rule: r\n  priority: urgent\n  override:\n    priority: replace\n', target)), ['1 invalid-priority urgent'], target);
    assert.deepEqual(codes(findingsAt(FILE, '- rule: r\n  priority: urgent\n  output: x\n  override:\n    priority: replace\n    output: append\n', target)), ['1 no-previous-definition r'], target);
  }
});

test('a key no override could change is no unexpected key', () => {
  // expected_keys holds the appendable and replaceable keys the item has (rule_loader_reader.cpp 0.44.0:704-716): `source` is not one.
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(codes(findingsAt(FILE, BASE + '- rule: r\n  source: syscall\n  condition: and proc.name = x\n  override:\n    condition: append\n', target)), [], target);
  }
});
