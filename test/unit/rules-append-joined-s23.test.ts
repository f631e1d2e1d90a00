// Falco's collector joins an appended condition to the one before with a blank (rule_loader_collector.cpp
// 0.37.0:208-209 and 263-264, 0.44.0:201-202 and 247-248) and compiles the joined text after each file (falco_engine.cpp
// load_rules). A text one item leaves open that an append of the same file closes (a quoted bracket argument, a
// parenthesis) is no error then; the field the join makes is checked as Falco compiles it. libsinsp reads a bracket
// argument as a quoted string or a bare word up to a blank, then wants ']' (filter/parser.cpp
// parse_optional_field_arg, libs 0.14.2 and 0.25.2): a bare argument cut by the join's blank stays an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, findingsOfFiles } from './rules-host';

const FILE = '/ws/rules.yaml';
const TARGETS = ['0.37', '0.40', '0.44'];
const define = (cond: string) => `- rule: r\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: INFO\n`;
const append = (cond: string) => `- rule: r\n  condition: ${cond}\n  override:\n    condition: append\n`;
const macro = (cond: string) => `- macro: m\n  condition: ${cond}\n- macro: m\n  condition: proc.name = b)\n  override:\n    condition: append\n- rule: r\n  desc: d\n  condition: evt.type = execve and m\n  output: o\n  priority: INFO\n`;
/** `severity code covered-text` of the findings but information. */
const codes = (found: string[]) => found.filter((f) => !f.startsWith('3 ')).map((f) => f.split(':')[0]);

test('a quoted bracket argument an append of the same file closes', () => {
  for (const target of TARGETS) {
    // Falco compiles `k8s.pod.label["app name"] = x`.
    assert.deepEqual(codes(findingsAt(FILE, define('evt.type = execve and k8s.pod.label["app') + append(`'name"] = x'`), target)), [], target);
    // The field the join makes is checked on the joined text, at the part the item holds.
    assert.deepEqual(codes(findingsAt(FILE, define('evt.type = execve and k8s.pod.labl["app') + append(`'name"] = x'`), target)), ['1 unknown-field k8s.pod.labl'], target);
    // A bare argument is cut by the blank: `proc.aname[2 ] = x` does not parse.
    assert.deepEqual(codes(findingsAt(FILE, define('evt.type = execve and proc.aname[2') + append(`'] = x'`), target)).map((f) => f.split(' ')[1]), ['condition-syntax', 'condition-syntax'], target);
  }
});

test('a parenthesis an append of the same file closes, a macro\'s too', () => {
  for (const target of TARGETS) {
    assert.deepEqual(codes(findingsAt(FILE, define('evt.type = execve and (proc.name = a') + append('or proc.name = b)'), target)), [], target);
    assert.deepEqual(codes(findingsAt(FILE, macro('(proc.name = a or'), target)), [], target);
  }
});

test('a text an earlier file leaves open stays an error in both files', () => {
  // Falco compiles the first file alone, and fails there; once that is fixed, the second file's ')' is unmatched.
  const out = findingsOfFiles({ '/ws/a.yaml': define('evt.type = execve and (proc.name = a'), '/ws/b.yaml': append('or proc.name = b)') }, '0.44');
  assert.deepEqual(codes(out['/ws/a.yaml']).map((f) => f.split(' ')[1]), ['condition-syntax']);
  assert.deepEqual(codes(out['/ws/b.yaml']).map((f) => f.split(' ')[1]), ['condition-syntax']);
});
