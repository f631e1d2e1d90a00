// Falco writes a rule's exceptions into its condition as text (build_rule_exception_infos, rule_loader_compiler.cpp
// 0.37.0:74-155, 0.44.0:100-161): ` and not (field comp (v1, v2))`, or for a list of fields
// ` and not (( f1 c1 v1 and f2 c2 v2) or (...))`, and then expands lists on the whole text (parse_condition runs
// resolve_list for every list, 0.37.0:294-304, 0.44.0:276-283). So a list named like an exception's field, its
// operator or one of the keywords Falco writes there replaces it, as in a condition, though the collector accepted
// the field's name before anything compiled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, findingsOfFiles } from './rules-host';

const FILE = '/ws/rules.yaml';
const TARGETS = ['0.37', '0.40', '0.44'];
const rule = (lists: string, exceptions: string, condition = 'evt.type = execve and proc.name = bash') =>
  `${lists}- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n  exceptions:\n${exceptions}`;
/** `severity code covered-text` of the findings but information. */
const found = (text: string, target: string) => findingsAt(FILE, text, target).filter((f) => !f.startsWith('3 ')).map((f) => f.split(':')[0]);

test('a list named like a single exception field', () => {
  const single = '    - name: e\n      fields: proc.pname\n      values: [sshd]\n';
  for (const target of TARGETS) {
    // Two items: `(a, b in (sshd))` does not parse.
    const two = rule('- list: proc.pname\n  items: [a, b]\n', single);
    assert.deepEqual(found(two, target), ['1 list-name-expanded proc.pname'], target);
    const [message] = findingsAt(FILE, two, target).filter((f) => f.includes('list-name-expanded'));
    assert.match(message, /as `and not \(proc\.pname in \(sshd\)\)` .* here the exception field 'proc\.pname' is replaced by the items of list 'proc\.pname', and the condition Falco parses, `… and not \( a, b in \(sshd\)\)`, does not compile .*Rename the list\. \(LOAD_ERR_COMPILE_CONDITION\)$/, target);
    // The list is used: Falco marks it so when it pastes it.
    assert.ok(!findingsAt(FILE, two, target).some((f) => f.includes('unused-list')), target);
    // One item that is a field: it compiles, comparing another field.
    const one = rule('- list: proc.pname\n  items: [proc.aname]\n', single);
    assert.deepEqual(found(one, target), ['2 list-name-expanded proc.pname'], target);
    assert.match(findingsAt(FILE, one, target).find((f) => f.includes('list-name-expanded'))!, /Falco parses `… and not \( proc\.aname in \(sshd\)\)`, not the exception as written/);
  }
});

test('a list named like a field or an operator of a list of fields', () => {
  const pair = '    - name: e\n      fields: [proc.pname, fd.name]\n      comps: [=, startswith]\n      values: [[sshd, /tmp], [cron, /var]]\n';
  for (const target of TARGETS) {
    assert.deepEqual(found(rule('- list: fd.name\n  items: [a, b]\n', pair), target), ['1 list-name-expanded fd.name'], target);
    assert.deepEqual(found(rule('- list: startswith\n  items: [a, b]\n', pair), target), ['1 list-name-expanded startswith'], target);
    // A keyword Falco writes: 'or' between the tuples (the condition has none), said at the exception's name.
    assert.deepEqual(found(rule('- list: or\n  items: [x]\n', pair), target), ['1 list-name-expanded e'], target);
  }
});

test('no finding without a list of that name, nor for an exception without values', () => {
  for (const target of TARGETS) {
    assert.deepEqual(found(rule('', '    - name: e\n      fields: proc.pname\n      values: [sshd]\n'), target), [], target);
    const empty = findingsAt(FILE, rule('- list: proc.pname\n  items: [a, b]\n', '    - name: e\n      fields: proc.pname\n      values: []\n'), target);
    assert.ok(!empty.some((f) => f.includes('list-name-expanded')), `${target}: ${empty.join('\n')}`);
  }
});

test('values added in a later file to an exception without values: said at the adding exception', () => {
  const files = {
    '/ws/a.yaml': '- list: proc.pname\n  items: [a, b]\n- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: proc.pname\n',
    '/ws/b.yaml': '- rule: r\n  exceptions:\n    - name: e\n      values: [sshd]\n  override:\n    exceptions: append\n',
  };
  const out = findingsOfFiles(files, '0.44');
  assert.deepEqual(out['/ws/a.yaml'].filter((f) => !f.startsWith('3 ')).map((f) => f.split(':')[0]), []);
  assert.deepEqual(out['/ws/b.yaml'].filter((f) => !f.startsWith('3 ')).map((f) => f.split(':')[0]), ['1 list-name-expanded e']);
});
