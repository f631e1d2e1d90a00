// Constants that libs 0.25.2 cannot parse as the compared field's type (value_parser.cpp string_to_rawval, filter.cpp
// add_filtercheck_value): Falco rejects the rule (LOAD_ERR_COMPILE_CONDITION). Numbers are read by sscanf("%d%c"):
// leading blanks and a sign are fine, anything after the digits is not; booleans are true or false; IPv4 addresses
// and networks go through inet_pton; bcontains/bstartswith take hex. The field-as-value warning of the same value does
// not appear then (Falco's error discards it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { valueError } from '../../server/src/service/rules/compileWarnings';
import { MemoryHost, rulesDoc } from './rules-host';

const LOCAL = '/ws/falco_rules.local.yaml';

function diagnose(text: string): Diagnostic[] {
  const service = createRulesService(new MemoryHost({}, { ruleFiles: [] }));
  return service.diagnostics(rulesDoc(LOCAL, text));
}

function rule(condition: string, extra = ''): string {
  return `${extra}- rule: Values\n  desc: d\n  condition: evt.type = execve and ${condition}\n  output: x %proc.name\n  priority: WARNING\n`;
}

/** The invalid-value findings of a text, as [covered text, message]; other findings of codes in `allowed` only. */
function invalid(text: string, allowed: string[] = []): [string, string, number][] {
  const diags = diagnose(text);
  const others = diags.filter((d) => d.code !== 'invalid-value' && !allowed.includes(String(d.code)));
  assert.deepEqual(others.map((d) => `${d.code} ${d.message}`), [], text);
  const lines = text.split('\n');
  return diags.filter((d) => d.code === 'invalid-value').map((d) => [
    lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), String(d.message), d.severity ?? 0,
  ]);
}

test('numbers as sscanf reads them: sign and leading blanks yes; hex, decimals, trailing text no', () => {
  for (const good of ['0', '12', '-1', '+7', '  3', '\t4', '99999999999999999999']) assert.equal(valueError('INT64', '=', good), undefined, good);
  for (const bad of ['', 'abc', '0x10', '1.5', '12 ', '1e3', '--1', 'proc.ppid']) assert.ok(valueError('UINT32', '=', bad), bad);
  for (const type of ['INT8', 'INT16', 'INT32', 'UINT8', 'UINT16', 'UINT64', 'RELTIME', 'ABSTIME', 'DOUBLE', 'MODE', 'ERRNO', 'FD', 'PID', 'L4PROTO', 'FLAGS32', 'UID', 'GID'] as const) {
    assert.ok(valueError(type, '=', 'x'), type);
  }
  // Strings and ports (looked up in the host's services) are not judged.
  assert.equal(valueError('CHARBUF', '=', 'x'), undefined);
  assert.equal(valueError('PORT', '=', 'https'), undefined);
});

test('booleans, IPv4 addresses and networks, hex values', () => {
  assert.equal(valueError('BOOL', '=', 'true'), undefined);
  assert.ok(valueError('BOOL', '=', 'True'));
  assert.ok(valueError('BOOL', '=', '1'));
  assert.equal(valueError('IPADDR', '=', '10.0.0.1'), undefined);
  for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.01', '1.2.3.4/8']) assert.ok(valueError('IPADDR', '=', bad), bad);
  assert.equal(valueError('IPADDR', '=', '::1'), undefined);
  for (const good of ['10.0.0.0/8', '0.0.0.0/0', '192.168.0.0/32', '10.0.0.0/256']) assert.equal(valueError('IPNET', '=', good), undefined, good);
  for (const bad of ['10.0.0.0', '10.0.0/8', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/-1']) assert.ok(valueError('IPNET', '=', bad), bad);
  assert.equal(valueError('CHARBUF', 'bcontains', '0aFF'), undefined);
  for (const bad of ['abc', '0g', 'x']) assert.ok(valueError('CHARBUF', 'bcontains', bad), bad);
  assert.ok(valueError('BYTEBUF', 'bstartswith', '7'));
});

test('a bad constant is an error on the value (LOAD_ERR_COMPILE_CONDITION)', () => {
  const found = invalid(rule('proc.pid = abc'));
  assert.equal(found.length, 1);
  assert.equal(found[0][0], 'abc');
  assert.equal(found[0][2], 1);
  assert.match(found[0][1], /^'abc' is not a valid number .* for proc\.pid \(INT64\): Falco rejects the condition\. \(LOAD_ERR_COMPILE_CONDITION\)$/);
  assert.deepEqual(invalid(rule('evt.is_open_read = yes')).map((f) => f[0]), ['yes']);
  assert.deepEqual(invalid(rule('fd.sip = "10.0.0.300"')).map((f) => f[0]), ['"10.0.0.300"']);
  assert.deepEqual(invalid(rule('fd.net != 10.0.0.0')).map((f) => f[0]), ['10.0.0.0']);
  assert.deepEqual(invalid(rule('evt.buffer bcontains xyz')).map((f) => f[0]), ['xyz']);
  assert.deepEqual(invalid(rule('proc.pid > 0x10')).map((f) => f[0]), ['0x10']);
});

test('a field name as a number value is an error only: no field-as-value warning for it', () => {
  const text = rule('proc.pid = proc.ppid');
  assert.deepEqual(invalid(text).map((f) => f[0]), ['proc.ppid']);
  assert.deepEqual(diagnose(text).filter((d) => d.code === 'field-as-value'), []);
  // A string field keeps the warning.
  assert.equal(diagnose(rule('proc.name = proc.pname')).filter((d) => d.code === 'field-as-value').length, 1);
});

test('list values are checked item by item, and a list used with in is checked through its items', () => {
  assert.deepEqual(invalid(rule('proc.pid in (1, two, 3)')).map((f) => f[0]), ['two']);
  const withList = rule('proc.pid in (known_pids)', '- list: known_pids\n  items: [1, "x1", 3]\n');
  const found = invalid(withList);
  assert.deepEqual(found.map((f) => f[0]), ['known_pids']);
  assert.match(found[0][1], /^'x1' \(an item of the list 'known_pids'\) is not a valid number/);
  // A bare word that names no list is a value.
  assert.deepEqual(invalid(rule('proc.pid in (unknown_pids)'), ['unknown-list']).map((f) => f[0]), ['unknown_pids']);
});

test('a value in a macro is reported on the macro', () => {
  const text = '- macro: bad_pid\n  condition: proc.pid = x\n' + rule('bad_pid');
  const diags = diagnose(text).filter((d) => d.code === 'invalid-value');
  assert.equal(diags.length, 1);
  assert.equal(diags[0].range.start.line, 1);
});

test('accepted constants: numbers, booleans, addresses, networks, strings, transformers and fields on the left', () => {
  for (const condition of ['proc.pid = 1', 'proc.pid in (1, -2, +3)', 'evt.is_open_read = true', 'fd.sip = 10.0.0.1', 'fd.net = "10.0.0.0/8"',
    'fd.sip = ::1', 'proc.name = abc', 'evt.buffer bcontains 0aff', 'evt.buffer bstartswith 7f45', 'len(proc.name) > 3', 'evt.rawarg.res < 0',
    'fd.sport = ssh', 'proc.pid exists']) {
    assert.deepEqual(invalid(rule(condition)), [], condition);
  }
});

test('exception values are checked against their field, on the value', () => {
  const ex = (fields: string, comps: string, values: string, lists = '') => rule('proc.name = bash', lists).replace(/\n$/, '\n') + `  exceptions:\n    - name: e\n      fields: ${fields}\n      comps: ${comps}\n      values: ${values}\n`;
  assert.deepEqual(invalid(ex('[proc.name, proc.pid]', '[=, =]', '[[bash, abc]]')).map((f) => f[0]), ['abc']);
  assert.deepEqual(invalid(ex('[proc.pid]', '[in]', '[[[1, two]]]')).map((f) => f[0]), ['two']);
  assert.deepEqual(invalid(ex('proc.pid', 'in', '[1, x2]')).map((f) => f[0]), ['x2']);
  assert.deepEqual(invalid(ex('[proc.pid]', '[=]', '[[proc.ppid]]')).map((f) => f[0]), ['proc.ppid']);
  const viaList = invalid(ex('[proc.pid]', '[in]', '[[pids]]', '- list: pids\n  items: [1, y]\n'));
  assert.deepEqual(viaList.map((f) => f[0]), ['pids']);
  assert.match(viaList[0][1], /^'y' \(an item of the list 'pids'\)/);
  assert.deepEqual(invalid(ex('[proc.pid, fd.sip]', '[=, =]', '[[1, 10.0.0.1]]')), []);
  assert.deepEqual(invalid(ex('[tolower(proc.name)]', '[=]', '[[abc]]')), []);
});
