// Falco's rules reader decodes enabled, append, capture, warn_evttypes and skip-if-unknown-filter with yaml-cpp's
// as<bool>() (rule_loader_reader.cpp decode_val), which reads y/yes/true/on and n/no/false/off in lower, Capitalised
// or UPPER case, whatever the scalar's quoting (yaml-cpp convert.cpp IsFlexibleCase and convert<bool>::decode, at
// 0.7.0 and c2bec4c). Since 0.39 Falco also checks the file against its rules schema (rule_json_schema.h:
// "type": "boolean"), with valijson's weak types that grant a boolean only to the text true or false: the value is
// loaded and Falco logs "schema validation: failed" at WARNING (load_rules_files.cpp:69-74 at 0.44.0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { MemoryHost, findingsAt, fixesAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const BASE = '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';
const codes = (f: string[]) => f.map((x) => x.split(':')[0]);

function finalRule(text: string) {
  return new RulesWorkspaceIndex(new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] })).load().final.rules.get('r');
}

test('enabled written as yaml-cpp reads a boolean is applied', () => {
  for (const word of ['no', 'No', 'NO', 'n', 'N', 'off', 'Off', 'OFF', 'False', 'FALSE', '"false"', "'no'"]) {
    assert.equal(finalRule(`${BASE}- rule: r\n  enabled: ${word}\n`)?.enabled, false, word);
    assert.equal(finalRule(`${BASE}- rule: r\n  override:\n    enabled: replace\n  enabled: ${word}\n`)?.enabled, false, `override ${word}`);
  }
  assert.equal(finalRule(`- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  enabled: Off\n`)?.enabled, false);
  for (const word of ['nO', 'oFF', 'maybe', '0']) assert.equal(finalRule(`${BASE}- rule: r\n  enabled: ${word}\n`)?.enabled, true, word);
});

test('a legacy append written yes appends', () => {
  assert.equal(finalRule(`${BASE}- rule: r\n  condition: or proc.name = x\n  append: yes\n`)?.condition, 'evt.type = open or proc.name = x');
});

test('a yaml-cpp boolean other than true/false: no error, a warning from 0.39 (Falco\'s schema validation fails)', () => {
  const typeFindings = (text: string, target: string) => codes(findingsAt(FILE, text, target)).filter((c) => c.includes('invalid-value-type'));
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(typeFindings(`${BASE}- rule: r\n  enabled: "false"\n`, target), [], target);
    assert.deepEqual(typeFindings(`${BASE}- rule: r\n  enabled: maybe\n`, target), ['1 invalid-value-type maybe'], target);
    assert.deepEqual(typeFindings(`${BASE}- rule: r\n  enabled: oFF\n`, target), ['1 invalid-value-type oFF'], target);
  }
  const said = findingsAt(FILE, `${BASE}- rule: r\n  enabled: no\n`, '0.44').filter((f) => f.includes('invalid-value-type'));
  assert.deepEqual(codes(said), ['2 invalid-value-type no']);
  assert.match(said[0], /reads 'enabled: no' as false.*schema validation: failed.*Write false\./);
  assert.deepEqual(codes(findingsAt(FILE, `${BASE.replace('priority: INFO\n', 'priority: INFO\n  warn_evttypes: Yes\n')}`, '0.44')), ['2 invalid-value-type Yes']);
});

test('the schema warning only where the target\'s rules schema types the key, with a fix writing what Falco reads', () => {
  const warned = (extra: string, target: string) => codes(findingsAt(FILE, `${BASE}${extra}`, target)).filter((c) => c.includes('invalid-value-type'));
  // rule_json_schema.h: enabled and append from 0.39.0 (no schema before), capture from 0.42.0, warn_evttypes and
  // skip-if-unknown-filter from 0.44.0.
  for (const [target, expected] of [['0.37', []], ['0.38', []], ['0.39', ['2 invalid-value-type no']], ['0.44', ['2 invalid-value-type no']]] as const) {
    assert.deepEqual(warned('- rule: r\n  enabled: no\n', target), expected, `enabled at ${target}`);
  }
  const warnEvttypes = `- rule: r2\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  warn_evttypes: Yes\n`;
  assert.deepEqual(warned(warnEvttypes, '0.43'), [], 'warn_evttypes at 0.43');
  assert.deepEqual(warned(warnEvttypes, '0.44'), ['2 invalid-value-type Yes'], 'warn_evttypes at 0.44');
  assert.match(findingsAt(FILE, `${BASE}${warnEvttypes}`, '0.44').find((f) => f.includes('invalid-value-type'))!, /from 0\.44 its rules schema validation/);

  const fixes = fixesAt(FILE, `${BASE}- rule: r\n  enabled: 'Off'\n`, '0.44', 'invalid-value-type', /Change to value/);
  assert.deepEqual(fixes.map((f) => f.title), ["Change to value 'false'"]);
  assert.ok(fixes[0]!.fixed.endsWith('- rule: r\n  enabled: false\n'), fixes[0]!.fixed);
  // An anchored value is read by its aliases too (here by enabled, whose finding sits at the anchored text): no fix.
  assert.deepEqual(fixesAt(FILE, `${BASE}- rule: r\n  warn_evttypes: &b yes\n  enabled: *b\n`, '0.44', 'invalid-value-type', /Change to value/), []);
  assert.equal(fixesAt(FILE, `${BASE}- rule: r\n  enabled: nope\n`, '0.44', 'invalid-value-type', /Change to value/).length, 0, 'no fix for a value that is no boolean');
});
