// A rule override whose appended or replaced value Falco's reader cannot decode is refused, and the item changes
// nothing: read_item decodes each overridden key before its collector takes the item (decode_val: null, no scalar,
// empty text, no boolean or number of the key's type, an invalid priority; decode_tags: no sequence, an item that is no
// scalar), the same at 0.37.0 (rule_loader_reader.cpp 31-100, 540-646) and 0.44.0 (52-170, 700-846). A value Falco
// decodes is merged (yaml-cpp reads `yes` as a boolean, a number as a string).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;
const BASE = rule('evt.type = open');
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);
const withAppend = (key: string, value: string, op: string) => `- rule: r\n  condition: or proc.name = x\n  ${key}: ${value}\n  override:\n    condition: append\n    ${key}: ${op}\n`;

function finalRule(text: string) {
  return new RulesWorkspaceIndex(new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] })).load().final.rules.get('r');
}

// Each refused override (beside an appended condition, which Falco's collector would have appended), with Falco's error.
const REFUSED: Record<string, [string, string]> = {
  'enabled that is no boolean': [withAppend('enabled', 'maybe', 'replace'), '1 invalid-value-type maybe'],
  'enabled with no value': [withAppend('enabled', '', 'replace'), '1 invalid-value-type '],
  'warn_evttypes that is a number': [withAppend('warn_evttypes', '3', 'replace'), '1 invalid-value-type 3'],
  'tags that are no list (appended)': [withAppend('tags', 'foo', 'append'), '1 invalid-value-type foo'],
  'tags with no value': [withAppend('tags', '', 'append'), '1 empty-value tags'],
  'a tag that is a list': [withAppend('tags', '[a, [b]]', 'replace'), '1 invalid-value-type [b]'],
  'output that is a mapping': [withAppend('output', '{a: b}', 'replace'), '1 invalid-value-type {a'],
  'an empty output': [withAppend('output', '""', 'replace'), '1 empty-value ""'],
  'an empty appended condition': ['- rule: r\n  condition: ""\n  output: more\n  override:\n    condition: append\n    output: append\n', '1 empty-value ""'],
};

test('an override whose value Falco cannot decode leaves the earlier rule as it was', () => {
  for (const [what, [item]] of Object.entries(REFUSED)) {
    const r = finalRule(BASE + item);
    assert.equal(r?.condition, 'evt.type = open', what);
    assert.equal(r?.output, 'o', what);
    assert.equal(r?.enabled, true, what);
    assert.deepEqual(r?.tags, [], what);
    assert.equal(r?.contributions.length, 1, what);
  }
});

test('an override whose value Falco cannot decode: Falco\'s one error, nothing of the merged rule', () => {
  // Merged, `or proc.name = x` took the rule's event-type restriction away (no-evttype), or nothing was said at all.
  for (const target of ['0.37', '0.44']) {
    for (const [what, [item, said]] of Object.entries(REFUSED)) assert.deepEqual(codes(findingsAt(FILE, BASE + item, target)), [said], `${what} ${target}`);
  }
});

test('with no earlier rule: an undecodable appended value is the reader\'s error, a replaced one beside an append the collector\'s', () => {
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(codes(findingsAt(FILE, withAppend('tags', 'foo', 'append'), target)), ['1 invalid-value-type foo'], target);
    assert.deepEqual(codes(findingsAt(FILE, withAppend('enabled', 'maybe', 'replace'), target)), ['1 no-previous-definition r'], target);
    assert.deepEqual(codes(findingsAt(FILE, withAppend('output', '""', 'replace'), target)), ['1 no-previous-definition r'], target);
  }
});

test('a value Falco decodes is merged', () => {
  assert.equal(finalRule(BASE + withAppend('enabled', 'yes', 'replace'))?.condition, 'evt.type = open or proc.name = x');
  assert.equal(finalRule(BASE + withAppend('output', '123', 'replace'))?.output, '123');
  assert.deepEqual(finalRule(BASE + withAppend('tags', '[a, 1]', 'append'))?.tags, ['a', '1']);
  assert.equal(finalRule(BASE + withAppend('enabled', 'false', 'replace'))?.enabled, false);
});
