// Items Falco's reader or collector refuses, which change nothing of the model, and what is said of them, per release.
// rule_loader_reader.cpp read_item (0.37.0:349-726, 0.44.0:443-965) reads a rule's `append` (and from 0.40.0 its
// `source`) before the override, a macro's condition and a list's items first; read_rule_exceptions (0.37.0:271-321,
// 0.44.0:327-394) throws on exceptions that are no list of named mappings; the collector (rule_loader_collector.cpp
// append 0.44.0:267-292) refuses an appended exception new to the rule without fields or values, or with comps it does
// not take, and fields or comps given again for one the rule has. Falco stops at the error (reader::read): the item
// contributes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const BASE = '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  exceptions:\n    - name: known\n      fields: [proc.name]\n      values: [[a]]\n';
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);

function loaded(text: string, target = '0.44') {
  const host = new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] });
  host.config = { ...host.config, falcoVersion: target };
  return new RulesWorkspaceIndex(host).load().final;
}

const appendingExceptions = (exceptions: string, how = '  override:\n    condition: append\n    exceptions: append\n') =>
  `- rule: r\n  condition: and proc.name = x\n  exceptions:\n${exceptions}${how}`;
const LEGACY = '  append: true\n';

// Each with the one finding said of it (at 0.44).
const REFUSED_EXCEPTIONS: Record<string, [string, string]> = {
  'exceptions that are no list': ['- rule: r\n  condition: and proc.name = x\n  exceptions: foo\n  override:\n    condition: append\n    exceptions: append\n', '1 exception-invalid foo'],
  'an exception with no name': [appendingExceptions('    - fields: [proc.name]\n      values: [[b]]\n'), '1 exception-invalid fields'],
  'an exception that is no mapping': [appendingExceptions('    - foo\n'), '1 exception-invalid foo'],
  'values that are no list (replaced)': [appendingExceptions('    - name: e2\n      fields: [proc.name]\n      values: foo\n', '  override:\n    condition: append\n    exceptions: replace\n'), '1 exception-invalid foo'],
  'values that are no list (append: true, no fields)': [appendingExceptions('    - name: known\n      values: foo\n', LEGACY), '1 exception-invalid foo'],
  'a new exception without fields': [appendingExceptions('    - name: e2\n      values: [[b]]\n'), '1 exception-invalid e2'],
  'a new exception with a comp Falco does not know': [appendingExceptions('    - name: e2\n      fields: [proc.name]\n      comps: [bogus]\n      values: [[b]]\n'), '1 exception-comps bogus'],
  'fields given again for an exception the rule has': [appendingExceptions('    - name: known\n      fields: [proc.name]\n      values: [[b]]\n'), '1 exception-invalid fields'],
  'a new exception without fields (append: true)': [appendingExceptions('    - name: e2\n      values: [[b]]\n', LEGACY), '1 exception-invalid e2'],
};

test('an override or append: true whose exceptions Falco refuses leaves the earlier rule as it was', () => {
  for (const [what, [item]] of Object.entries(REFUSED_EXCEPTIONS)) {
    for (const target of ['0.37', '0.44']) {
      const r = loaded(BASE + item, target).rules.get('r');
      assert.equal(r?.condition, 'evt.type = open', `${what} ${target}`);
      assert.equal(r?.contributions.length, 1, `${what} ${target}`);
    }
    const said = codes(findingsAt(FILE, BASE + item, '0.44')).filter((c) => !c.includes('deprecated-append'));
    assert.deepEqual(said, [REFUSED_EXCEPTIONS[what][1]], what);
  }
  // Exceptions Falco takes are merged: values for the exception the rule has, a complete new one.
  const merged = loaded(BASE + appendingExceptions('    - name: known\n      values: [[b]]\n    - name: e2\n      fields: proc.pname\n      values: [sshd]\n')).rules.get('r');
  assert.equal(merged?.condition, 'evt.type = open and proc.name = x');
});

test('an append Falco cannot read as a boolean refuses the item before anything else: one error, nothing changed', () => {
  const rule = `${BASE}- rule: r\n  condition: and proc.name = x\n  append: maybe\n`;
  assert.equal(loaded(rule).rules.get('r')?.condition, 'evt.type = open');
  for (const target of ['0.37', '0.44']) assert.deepEqual(codes(findingsAt(FILE, rule, target)), ['1 invalid-value-type maybe'], target);
  const overridden = `${BASE}- rule: r\n  condition: and proc.name = x\n  append: ""\n  override:\n    condition: append\n`;
  assert.equal(loaded(overridden).rules.get('r')?.condition, 'evt.type = open');
  // A macro: not redefined by its fragment, no syntax error at its leading 'or', no event-type warning of the rule.
  const macro = '- macro: m\n  condition: evt.type = open\n- macro: m\n  condition: or evt.type = close\n  append: maybe\n- rule: u\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n';
  assert.equal(loaded(macro).macros.get('m')?.condition, 'evt.type = open');
  assert.deepEqual(codes(findingsAt(FILE, macro, '0.44')), ['1 invalid-value-type maybe']);
  // `append: false` (or a word yaml-cpp reads as one) is read, and the override applies.
  assert.equal(loaded(`${BASE}- rule: r\n  condition: and proc.name = x\n  append: no\n  override:\n    condition: append\n`).rules.get('r')?.condition, 'evt.type = open and proc.name = x');
});

test("a rule override's source that is a list or mapping: refused from 0.40, not read before (0.39's schema warns)", () => {
  const item = `${BASE}- rule: r\n  condition: and proc.name = x\n  source: {a: b}\n  override:\n    condition: append\n`;
  for (const target of ['0.40', '0.44']) {
    assert.equal(loaded(item, target).rules.get('r')?.condition, 'evt.type = open', target);
    assert.deepEqual(codes(findingsAt(FILE, item, target)), ['1 invalid-value-type {a'], target);
  }
  for (const target of ['0.37', '0.38', '0.39']) assert.equal(loaded(item, target).rules.get('r')?.condition, 'evt.type = open and proc.name = x', target);
  assert.deepEqual(findingsAt(FILE, item, '0.38'), []);
  const schema = findingsAt(FILE, item, '0.39');
  assert.deepEqual(codes(schema), ['2 invalid-value-type {a']);
  assert.match(schema[0], /schema validation: failed/);
});

test('an empty source: refused in a new rule, read as none in an override (no unknown source)', () => {
  const override = `${BASE}- rule: r\n  condition: and proc.name = x\n  source: ""\n  override:\n    condition: append\n`;
  assert.deepEqual(findingsAt(FILE, override, '0.44'), []);
  assert.equal(loaded(override).rules.get('r')?.condition, 'evt.type = open and proc.name = x');
  const empty = '- rule: n\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  source: ""\n';
  assert.deepEqual(codes(findingsAt(FILE, empty, '0.44')), ['1 empty-value ""']);
  assert.equal(loaded(empty).rules.get('n'), undefined);
  const none = '- rule: n\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  source:\n';
  assert.deepEqual(codes(findingsAt(FILE, none, '0.37')), ['1 empty-value source']);
});

test("empty values of a definition: Falco's two messages at their places, one finding each, nothing defined", () => {
  const rule = (key: string, value: string) => {
    const keys: Record<string, string> = { desc: 'd', condition: 'evt.type = open', output: 'o', priority: 'INFO', [key]: value };
    return `- rule: n\n${Object.entries(keys).map(([k, v]) => `  ${k}: ${v}\n`).join('')}`;
  };
  for (const target of ['0.37', '0.39', '0.44']) {
    for (const key of ['condition', 'output', 'desc', 'priority']) {
      const empty = findingsAt(FILE, rule(key, '""'), target);
      assert.deepEqual(codes(empty), ['1 empty-value ""'], `${key} "" ${target}`);
      assert.match(empty[0], /must be non-empty/);
      const nothing = findingsAt(FILE, rule(key, ''), target);
      assert.deepEqual(codes(nothing), [`1 empty-value ${key}`], `${key} null ${target}`);
      assert.match(nothing[0], new RegExp(`Mapping for key '${key}' is empty`));
      assert.equal(loaded(rule(key, '""'), target).rules.get('n'), undefined);
    }
    // A condition of blanks is read, and fails to compile.
    assert.deepEqual(codes(findingsAt(FILE, rule('condition', '" "'), target)), ['1 condition-syntax '], target);
    // A list's items with no value is no sequence; [] is a list of no items.
    assert.deepEqual(codes(findingsAt(FILE, '- list: l\n  items:\n', target)), ['1 invalid-value-type '], target);
    assert.deepEqual(codes(findingsAt(FILE, '- list: l\n  items: []\n', target)), ['3 unused-list l'], target);
    // A refused macro or list defines nothing: no "unused".
    assert.deepEqual(codes(findingsAt(FILE, '- macro: m\n  condition: ""\n', target)), ['1 empty-value ""'], target);
  }
});

test("a new rule's tags with no value: refused with Falco's error, not silently", () => {
  const text = '- rule: n\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  tags:\n';
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(codes(findingsAt(FILE, text, target)), ['1 invalid-value-type tags'], target);
    assert.equal(loaded(text, target).rules.get('n'), undefined, target);
  }
  // `tags: []` is a list of no tags.
  assert.deepEqual(findingsAt(FILE, text.replace('tags:\n', 'tags: []\n'), '0.44'), []);
});
