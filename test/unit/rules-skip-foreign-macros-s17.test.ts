// skip-if-unknown-filter through a macro of another file (session 17, round 2, item 3): a local rule with the key
// that uses an official macro holding an unknown field. Falco compiles the rules after each file with every macro
// collected so far (falco_engine.cpp load_rules 0.44.0:172-182), pastes each macro's parsed condition where the rule's
// condition names it (resolve_macros, rule_loader_compiler.cpp 0.44.0:240-271) and compiles the tree in order,
// stopping at its first throw (compile_condition 0.44.0:360-407; 0.37.0 compile_rule_infos :442-495): where the
// macro's text comes decides whether the rule's own later text is reached, whichever file the macro is in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOfFiles } from './rules-host';

const macro = (name: string, condition: string) => `- macro: ${name}\n  condition: ${condition}\n`;
const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n  skip-if-unknown-filter: true\n`;
const local = (official: string, condition: string, target = '0.44') => findingsOfFiles({ '/ws/a.yaml': official, '/ws/b.yaml': rule(condition) }, target)['/ws/b.yaml'];

test("a local rule's text after an official macro's unknown field is not checked by Falco: a later skip is information, an error a warning", () => {
  const official = macro('m', 'proc.foo = x');
  for (const target of ['0.37', '0.40', '0.44']) {
    assert.deepEqual(local(official, 'evt.type = open and m and proc.bar = y', target), [
      "3 unknown-field proc.bar: 'proc.bar' is not a supported filter field. Falco does not check this: under skip-if-unknown-filter it skips the rule at proc.foo (line 2 of a.yaml, in macro 'm'), earlier in the condition, and warns once.",
    ], target);
  }
  assert.deepEqual(local(official, 'evt.type = open and m and proc.pid = abc'), [
    "2 invalid-value abc: 'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64). Falco does not compile the condition past proc.foo (line 2 of a.yaml, in macro 'm'): under skip-if-unknown-filter it skips the rule there, earlier in the condition; where Falco knows proc.foo, it fails to load here (LOAD_ERR_COMPILE_CONDITION).",
  ]);
  // Through a macro of the local file that names the official one: the compile meets it there too.
  const inner = findingsOfFiles({ '/ws/a.yaml': official, '/ws/b.yaml': `${macro('n', 'm')}${rule('evt.type = open and n and proc.bar = y')}` }, '0.44')['/ws/b.yaml'];
  assert.deepEqual(inner, ["3 unknown-field proc.bar: 'proc.bar' is not a supported filter field. Falco does not check this: under skip-if-unknown-filter it skips the rule at proc.foo (line 2 of a.yaml, in macro 'm'), earlier in the condition, and warns once."]);
});

test("a local rule's own text before the official macro is checked first: its skip and its errors stay", () => {
  const official = macro('m', 'proc.foo = x');
  assert.deepEqual(local(official, 'evt.type = open and proc.bar = y and m'),
    ["2 unknown-field proc.bar: 'proc.bar' is not a supported filter field. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)"]);
  assert.deepEqual(local(official, 'evt.type = open and proc.pid = abc and m'),
    ["1 invalid-value abc: 'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)"]);
  // A macro the rule's file defines after the official one wins (the collector holds the last definition): no skip there.
  assert.deepEqual(findingsOfFiles({ '/ws/a.yaml': official, '/ws/b.yaml': `${macro('m', 'proc.name = x')}${rule('evt.type = open and m and proc.bar = y')}` }, '0.44')['/ws/b.yaml'],
    ["2 unknown-field proc.bar: 'proc.bar' is not a supported filter field. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)"]);
});
