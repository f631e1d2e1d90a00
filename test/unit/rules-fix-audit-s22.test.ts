// Session 22's audit of the rules quick fixes: every fix offered for a finding, applied, leaves no new finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, fixesAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const BASE = '- rule: Shell Spawned\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: WARNING\n';

/** The findings of a text other than the unused macros and lists. */
const findings = (text: string) => findingsAt(FILE, text, '0.44').filter((f) => !/unused-(macro|list)/.test(f));

// Falco gives no default comps to the exceptions an `override: exceptions: replace` brings (the collector's
// selective_replace skips validate_exception_info, rule_loader_collector.cpp 0.44.0): 'replace' was offered for an
// exception without comps, and applying it was an error (one field) or a crash (a list of fields).
test("a missing override entry for exceptions without comps: 'append' only", () => {
  for (const fields of ['[proc.name]', 'proc.name']) {
    const source = `${BASE}- rule: Shell Spawned\n  priority: ERROR\n  exceptions:\n    - name: e\n      fields: ${fields}\n      values: [${fields === 'proc.name' ? 'a' : '[a]'}]\n  override:\n    priority: replace\n`;
    const titles = fixesAt(FILE, source, '0.44', 'missing-override-entry', /^Add '/).map((f) => f.title);
    assert.deepEqual(titles, ["Add 'exceptions: append' under 'override'"], fields);
    for (const f of fixesAt(FILE, source, '0.44', 'missing-override-entry', /^Add '/)) assert.deepEqual(findings(f.fixed), [], f.title);
  }
  // With comps, both.
  const withComps = `${BASE}- rule: Shell Spawned\n  priority: ERROR\n  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [=]\n      values: [[a]]\n  override:\n    priority: replace\n`;
  const both = fixesAt(FILE, withComps, '0.44', 'missing-override-entry', /^Add '/);
  assert.deepEqual(both.map((f) => f.title), ["Add 'exceptions: append' under 'override'", "Add 'exceptions: replace' under 'override'"]);
  for (const f of both) assert.deepEqual(findings(f.fixed), [], f.title);
});

test("a mistyped comp: only the operators the field at its place takes are suggested", () => {
  const comp = (fields: string, comps: string) => `${BASE}- rule: Shell Spawned\n  exceptions:\n    - name: e\n      fields: ${fields}\n      comps: ${comps}\n      values: [[a, b]]\n  override:\n    exceptions: append\n`;
  // A string field: no bstartswith (it was suggested, and was an operator-type error).
  const string = fixesAt(FILE, comp('[proc.name, proc.pname]', '[startwith, =]'), '0.44', 'exception-comps', /^Change to/);
  assert.deepEqual(string.map((f) => f.title), ["Change to operator 'startswith'"]);
  for (const f of string) assert.deepEqual(findings(f.fixed), [], f.title);
  // A buffer field takes bstartswith.
  const buffer = fixesAt(FILE, comp('[proc.name, evt.buffer]', '[=, bstartwith]'), '0.44', 'exception-comps', /^Change to/);
  assert.ok(buffer.some((f) => f.title === "Change to operator 'bstartswith'"), buffer.map((f) => f.title).join());
});

test('a mistyped field: the suggestions fit its argument and its place', () => {
  const rule = (condition: string, output: string) => `${BASE}- rule: R\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n`;
  const cases: [string, string, string[]][] = [
    // An argument follows: fields that take one (proc.name took none: "Falco prints %proc.name followed by '[2]'").
    [rule('evt.type = execve', 'x %proc.anaem[2]'), 'proc.anaem', ['proc.aname']],
    [rule('evt.type = execve and proc.aeex[2] = x', 'o'), 'proc.aeex', ['proc.aexe', 'proc.aenv']],
    // No argument: not evt.arg, which needs one.
    [rule('evt.type = execve', 'x %evt.arsg'), 'evt.arsg', ['evt.args']],
    // An output: not fd.port, which has no value there.
    [rule('evt.type = connect', 'x %fd.lpotr'), 'fd.lpotr', ['fd.lport', 'fd.cport', 'fd.sport']],
  ];
  for (const [source, typo, expected] of cases) {
    const fixes = fixesAt(FILE, source, '0.44', 'unknown-field', /^Change to field/);
    assert.deepEqual(fixes.map((f) => f.title.replace(/^Change to field '(.*)'$/, '$1')), expected, typo);
    for (const f of fixes) assert.deepEqual(findings(f.fixed), [], `${typo}: ${f.title}`);
  }
});
