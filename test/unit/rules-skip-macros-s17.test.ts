// skip-if-unknown-filter through macros: Falco pastes each macro's parsed condition where a rule's condition names it
// (resolve_macros) and libsinsp's compiler walks the whole tree in the text's order, stopping at its first unknown
// field, so a skip inside a macro has its place in the rule's order, and what comes after it in the macro text or the
// rule's text is not Falco's (rule_loader_compiler.cpp compile_condition, 0.44.0:360-407; 0.37.0:442-495).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const RELEASES = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'];
const SKIP = '  skip-if-unknown-filter: true\n';
const rule = (condition: string, name = 'r', extra = SKIP) => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
const macro = (condition: string, name = 'm') => `- macro: ${name}\n  condition: ${condition}\n`;
const SKIPPED = 'The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)';
const INVALID = "'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64)";
const FOO = "'proc.foo' is not a supported filter field.";
const BAR = "'proc.bar' is not a supported filter field.";

test('a compile error in macro text that a rule meets after its skip point is a warning; met before it, an error', () => {
  for (const target of RELEASES) {
    // The rule's condition names m after proc.foo: the compile stops before m's text.
    assert.deepEqual(findingsAt(FILE, macro('proc.pid = abc') + rule('evt.type = open and proc.foo = x and m'), target), [
      `2 invalid-value abc: ${INVALID}. Falco does not compile this text: under skip-if-unknown-filter it skips rule 'r' at proc.foo (line 5), before it comes to this text; where Falco knows proc.foo, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
      `2 unknown-field proc.foo: ${FOO} ${SKIPPED}`,
    ], target);
    // Before it: the error is thrown first and the load fails, as Falco says.
    assert.deepEqual(findingsAt(FILE, macro('proc.pid = abc') + rule('evt.type = open and m and proc.foo = x'), target)[0],
      `1 invalid-value abc: ${INVALID}: Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`, target);
    // Through another macro, named after the skip point.
    const nested = macro('proc.pid = abc') + macro('proc.name = y and m', 'outer') + rule('evt.type = open and proc.foo = x and outer');
    assert.match(findingsAt(FILE, nested, target)[0], /^2 invalid-value abc: .* Falco does not compile this text: under skip-if-unknown-filter it skips rule 'r' at proc\.foo \(line 7\), before it comes to this text;/, target);
    // Another rule compiles the text without a skip before it: Falco fails there.
    const other = macro('proc.pid = abc') + rule('evt.type = open and proc.foo = x and m') + rule('evt.type = open and m', 'q');
    assert.equal(findingsAt(FILE, other, target)[0], `1 invalid-value abc: ${INVALID}: Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`, target);
  }
});

test('libsinsp\'s compile warnings in macro text are not given for rules skipped in their condition', () => {
  for (const target of ['0.40', '0.44']) {
    assert.deepEqual(findingsAt(FILE, macro('proc.name = proc.exe') + rule('evt.type = open and proc.foo = x and m'), target)[0],
      "3 field-as-value proc.exe: 'proc.exe' is compared as a constant string, but it is also a field name: to compare with the value of that field, write val(proc.exe). Falco gives the compiler's warnings only for a condition it compiled: under skip-if-unknown-filter it skips rule 'r' at proc.foo (line 5), where the compile stops; it says this (LOAD_COMPILE_CONDITION) only where it knows proc.foo.", target);
  }
});

test('a skip inside a macro has its place in the rule\'s order: skips and compile errors after it are not Falco\'s', () => {
  for (const target of RELEASES) {
    // a and m and b: the rule is skipped in m; the error after m is past the skip point.
    assert.deepEqual(findingsAt(FILE, macro('proc.bar = y') + rule('evt.type = open and m and proc.pid = abc'), target), [
      `2 unknown-field proc.bar: ${BAR} Falco skips rule 'r', which uses macro 'm', because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`,
      `2 invalid-value abc: ${INVALID}. Falco does not compile the condition past proc.bar (line 2, in macro 'm'): under skip-if-unknown-filter it skips the rule there, earlier in the condition; where Falco knows proc.bar, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
    ], target);
    // The rule's own unknown field after m: a later skip.
    assert.deepEqual(findingsAt(FILE, macro('proc.bar = y') + rule('evt.type = open and m and proc.foo = x'), target)[1],
      `3 unknown-field proc.foo: ${FOO} Falco does not check this: under skip-if-unknown-filter it skips the rule at proc.bar (line 2, in macro 'm'), earlier in the condition, and warns once.`, target);
    // The macro's unknown field after the rule's: a later skip, said in the macro.
    assert.deepEqual(findingsAt(FILE, macro('proc.bar = y') + rule('evt.type = open and proc.foo = x and m'), target), [
      `3 unknown-field proc.bar: ${BAR} Falco does not check this: under skip-if-unknown-filter it skips rule 'r' at proc.foo (line 5), before it comes to this text, and warns once.`,
      `2 unknown-field proc.foo: ${FOO} ${SKIPPED}`,
    ], target);
    // In the macro's own text, past its first unknown field.
    assert.deepEqual(findingsAt(FILE, macro('proc.bar = y and proc.pid = abc') + rule('evt.type = open and m'), target)[1],
      `2 invalid-value abc: ${INVALID}. Falco does not compile this text: under skip-if-unknown-filter it skips rule 'r' at proc.bar (line 2, in macro 'm'), before it comes to this text; where Falco knows proc.bar, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`, target);
    // One rule meets the macro's field first, another its own field: a warning, for the first, naming both.
    const two = macro('proc.bar = y') + rule('evt.type = open and proc.foo = x and m') + rule('evt.type = open and m', 'q');
    assert.equal(findingsAt(FILE, two, target)[0], `2 unknown-field proc.bar: ${BAR} Falco skips rule 'q', which uses macro 'm', here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER). It does not check this for rule 'r': it skips that rule at proc.foo (line 5), before it comes to this text, and warns once there.`, target);
  }
});
