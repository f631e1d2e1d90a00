// A rule's own `capture` and `capture_duration` before Falco 0.42.0, which added them: the reader never decodes them
// (rule_loader_reader.cpp 0.41.0 names neither; 0.42.0 decode_optional_val of both in a new rule), so any value is
// ignored, no type error; the rules schema of 0.39-0.41 (rule_json_schema.h, additionalProperties false, no such
// property) fails on the key, a warning; 0.37 and 0.38 have no schema: an information. From 0.42 a bad value is
// decoded and refuses the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (extra: string) => `- rule: n\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n${extra}`;
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);

function defined(text: string, target: string): boolean {
  const host = new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] });
  host.config = { ...host.config, falcoVersion: target };
  return new RulesWorkspaceIndex(host).load().final.rules.has('n');
}

test('before 0.42 a bad capture or capture_duration is ignored: the key is said, not its value', () => {
  for (const [extra, key] of [['  capture: maybe\n', 'capture'], ['  capture: [a]\n', 'capture'], ['  capture:\n', 'capture'], ['  capture_duration: -5\n', 'capture_duration']]) {
    for (const target of ['0.37', '0.38']) assert.deepEqual(codes(findingsAt(FILE, rule(extra), target)), [`3 unknown-key ${key}`], `${extra} ${target}`);
    for (const target of ['0.39', '0.41']) {
      const found = findingsAt(FILE, rule(extra), target);
      assert.deepEqual(codes(found), [`2 unknown-key ${key}`], `${extra} ${target}`);
      assert.match(found[0], /schema validation: failed/);
    }
    for (const target of ['0.37', '0.41']) assert.equal(defined(rule(extra), target), true, `${extra} ${target}`);
    // From 0.42 the value is decoded: a type error, and the rule is refused.
    for (const target of ['0.42', '0.44']) {
      assert.deepEqual(codes(findingsAt(FILE, rule(extra), target)).map((c) => c.split(' ').slice(0, 2).join(' ')), ['1 invalid-value-type'], `${extra} ${target}`);
      assert.equal(defined(rule(extra), target), false, `${extra} ${target}`);
    }
  }
  // A good value: the key alone, at every older target.
  assert.deepEqual(codes(findingsAt(FILE, rule('  capture: true\n'), '0.40')), ['2 unknown-key capture']);
  assert.deepEqual(findingsAt(FILE, rule('  capture: true\n  capture_duration: 100\n'), '0.44'), []);
});
