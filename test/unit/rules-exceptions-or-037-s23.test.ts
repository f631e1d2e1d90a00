// Falco 0.37 adds a rule's exceptions to its condition as written (rule_loader_compiler.cpp 0.37.0
// build_rule_exception_infos: `condition += " and not " + icond`), and 'and' binds tighter than 'or': for `a or b` the
// exceptions apply to `b` alone. From 0.38.0 the condition is put in parentheses first (`condition = "(" + condition +
// ")"`). At target 0.37 a rule item adding exceptions with values to such a condition gets exceptions-last-or-branch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, findingsOfFiles } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, exceptions = '  exceptions:\n    - name: known\n      fields: [proc.name]\n      values: [[backup]]\n') =>
  `- rule: Shell or curl\n  desc: d\n  condition: ${condition}\n  output: o %proc.name\n  priority: INFO\n${exceptions}`;
const lastOr = (f: string) => f.includes('exceptions-last-or-branch');

test('at 0.37 the exceptions of a rule whose condition is an or outside parentheses apply to its last branch only: a warning at exceptions', () => {
  const found = findingsAt(FILE, rule('evt.type = execve and proc.name = bash or evt.type = connect and proc.name = curl'), '0.37').filter(lastOr);
  assert.deepEqual(found, [
    "2 exceptions-last-or-branch exceptions: Falco 0.37 adds the exceptions to the rule's condition as it is written, '<condition> and not (...)', and 'and' binds tighter than 'or': the condition is an 'or' outside parentheses, so these exceptions apply only to its last branch ('evt.type = connect and proc.name = curl'), and alerts of the other branches are not excepted. Falco 0.38 and later put the condition in parentheses first; for this release, write the whole condition in parentheses.",
  ]);
  // 0.38 and later wrap the condition; in parentheses, or with no or at the top, or with no values, nothing is said.
  for (const target of ['0.38', '0.44']) assert.deepEqual(findingsAt(FILE, rule('evt.type = execve or evt.type = connect'), target).filter(lastOr), []);
  assert.deepEqual(findingsAt(FILE, rule('(evt.type = execve or evt.type = connect)'), '0.37').filter(lastOr), []);
  assert.deepEqual(findingsAt(FILE, rule('evt.type in (execve, connect) and (proc.name = a or proc.name = b)'), '0.37').filter(lastOr), []);
  assert.deepEqual(findingsAt(FILE, rule('evt.type = execve or evt.type = connect', '  exceptions:\n    - name: known\n      fields: [proc.name]\n'), '0.37').filter(lastOr), []);
});

test('at 0.37 an override appending exceptions to an official-style rule whose condition is an or: the warning is at the override', () => {
  const base = '- rule: Shell or curl\n  desc: d\n  condition: evt.type = execve or evt.type = connect\n  output: o %proc.name\n  priority: INFO\n';
  const local = '- rule: Shell or curl\n  exceptions:\n    - name: known\n      fields: [proc.name]\n      values: [[backup]]\n  override:\n    exceptions: append\n';
  const found = findingsOfFiles({ '/ws/base_rules.yaml': base, '/ws/local_rules.yaml': local }, '0.37');
  assert.deepEqual(found['/ws/base_rules.yaml'].filter(lastOr), []);
  assert.deepEqual(found['/ws/local_rules.yaml'].filter(lastOr).map((f) => f.split(':')[0]), ['2 exceptions-last-or-branch exceptions']);
  assert.match(found['/ws/local_rules.yaml'].filter(lastOr)[0], /apply only to its last branch \('evt\.type = connect'\)/);
  // A condition appended with 'or' makes the compiled condition an or too.
  const appended = findingsOfFiles({ '/ws/base_rules.yaml': base.replace(' or evt.type = connect', ''), '/ws/local_rules.yaml': `- rule: Shell or curl\n  condition: or evt.type = connect\n  override:\n    condition: append\n${local}` }, '0.37');
  assert.deepEqual(appended['/ws/local_rules.yaml'].filter(lastOr).map((f) => f.split(':')[0]), ['2 exceptions-last-or-branch exceptions']);
});
