// skip-if-unknown-filter, the leftovers of session 15: what Falco says once libsinsp's compiler stops at an unknown
// field of a rule's condition, a skip whose text a later item replaces, skips across files, and lists named by lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, output = 'o', extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const SKIP = '  skip-if-unknown-filter: true\n';
const RELEASES = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'];
const SKIPPED = 'The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)';
const FOO_SKIP = `2 unknown-field proc.foo: 'proc.foo' is not a supported filter field. ${SKIPPED}`;
const INVALID = "'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64).";
const PAST_FOO = 'Falco does not compile the condition past proc.foo: under skip-if-unknown-filter it skips the rule there';

// --- 1. after an unknown field of the condition: the compiler stopped ------------------------------------------------

test('a compile error after the unknown field a rule is skipped at is a warning at every release: libsinsp stops at its first throw', () => {
  for (const target of RELEASES) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x and proc.pid = abc', 'o', SKIP), target), [
      FOO_SKIP,
      `2 invalid-value abc: ${INVALID} ${PAST_FOO}, earlier in the condition; where Falco knows proc.foo, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
    ], target);
    assert.match(findingsAt(FILE, rule('evt.type = open and proc.foo = x and proc.pid contains 1', 'o', SKIP), target)[1]!,
      /^2 operator-type contains: .* Falco does not compile the condition past proc\.foo: .* fails to load here \(LOAD_ERR_COMPILE_CONDITION\)\.$/, target);
    // The exceptions are pasted after the condition (build_rule_exception_infos), and an appended condition after the rule's.
    const exceptions = `${SKIP}  exceptions:\n    - name: e\n      fields: [proc.name, proc.pid]\n      values: [[a, abc]]\n`;
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x', 'o', exceptions), target), [
      `2 invalid-value abc: ${INVALID} ${PAST_FOO}, in the condition, which it compiles before the exceptions; where Falco knows proc.foo, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
      FOO_SKIP,
    ], target);
    const appended = rule('evt.type = open and proc.foo = x', 'o', SKIP) + '- rule: r\n  condition: and proc.pid = abc\n  override:\n    condition: append\n';
    assert.equal(findingsAt(FILE, appended, target)[1], `2 invalid-value abc: ${INVALID} ${PAST_FOO}, earlier in the condition; where Falco knows proc.foo, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`, target);
    // Before the unknown field the error is thrown first: the load fails there.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.pid = abc and proc.foo = x', 'o', SKIP), target)[1],
      `1 invalid-value abc: 'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64): Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`, target);
  }
});

test('a skip at a field argument the target release does not read names the field with its argument', () => {
  const found = findingsAt(FILE, rule('evt.type = open and proc.args[3] = x and proc.pid = abc', 'o', SKIP), '0.40');
  assert.match(found.find((f) => f.includes("invalid-value"))!, /^2 invalid-value abc: .* Falco does not compile the condition past proc\.args\[3\]: .* where Falco knows proc\.args\[3\], it fails to load here/);
});

test('what Falco finds before the compile stays after a condition skip: syntax errors, undefined macros', () => {
  for (const target of RELEASES) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x and (proc.name = y', 'o', SKIP), target),
      ["1 condition-syntax (: Condition syntax: unbalanced parentheses: this '(' is never closed. (LOAD_ERR_COMPILE_CONDITION)", FOO_SKIP], target);
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.foo = x and not m', 'o', SKIP), target),
      ["1 undefined-macro m: Undefined macro 'm' used in filter. (LOAD_ERR_VALIDATE)", FOO_SKIP], target);
  }
});

test('the compiler\'s warnings and the event-type count are not given for a rule skipped in its condition, wherever they are', () => {
  const warned = "Falco gives the compiler's warnings only for a condition it compiled: under skip-if-unknown-filter it skips the rule at proc.foo, where the compile stops; it says this (LOAD_COMPILE_CONDITION) only where it knows proc.foo.";
  for (const target of ['0.40', '0.44']) {
    // Before the unknown field too: the warnings are given after the compile succeeded.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.name = proc.exe and proc.foo = x', 'o', SKIP), target), [
      FOO_SKIP,
      `3 field-as-value proc.exe: 'proc.exe' is compared as a constant string, but it is also a field name: to compare with the value of that field, write val(proc.exe). ${warned}`,
    ], target);
    assert.match(findingsAt(FILE, rule('evt.type = open and proc.foo = x and proc.name regex abc', 'o', SKIP), target)[1]!, /^3 regex-simpler-operator abc: .* Falco gives the compiler's warnings only/, target);
  }
  for (const target of RELEASES) {
    assert.match(findingsAt(FILE, rule('proc.foo = x and proc.name = y', 'o', SKIP), target)[1]!,
      /^3 no-evttype condition: .* Falco counts the event types only for a condition it compiled: under skip-if-unknown-filter it skips the rule at proc\.foo, where the compile stops; it says this \(LOAD_NO_EVTTYPE\) only where it knows proc\.foo\.$/, target);
  }
});

// --- 3. an output a later item of the file replaces ---------------------------------------------------------------------

test('an output its own file replaces (override: output: replace, a redefinition) is never checked: no skip there, the final output decides', () => {
  const replace = (output: string) => `- rule: r\n  output: ${output}\n  override:\n    output: replace\n`;
  const defs = '- list: l\n  items: [a, b]\n- macro: m\n  condition: proc.name = x\n';
  const never = (by: string, line: number) => `Falco never checks this text: ${by} of rule 'r' at line ${line} replaces the rule's output before Falco compiles the file.`;
  const barInfo = (by: string, line: number) => `3 unknown-field proc.bar: 'proc.bar' is not a supported output field. ${never(by, line)}`;
  for (const target of RELEASES) {
    // The rule is compiled with the new output: the condition's error fails the load, the macro and list are used.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.pid = abc', 'o %proc.bar', SKIP) + replace('o %proc.name'), target), [
      `1 invalid-value abc: ${INVALID.slice(0, -1)}: Falco rejects the condition. (LOAD_ERR_COMPILE_CONDITION)`,
      barInfo('the override', 7),
    ], target);
    assert.deepEqual(findingsAt(FILE, defs + rule('evt.type = open and m and proc.name in (l)', 'o %proc.bar', SKIP) + replace('o %proc.name'), target), [barInfo('the override', 11)], target);
    const redefined = rule('evt.type = open', 'o %proc.bar', SKIP) + rule('evt.type = open', 'o', SKIP);
    assert.deepEqual(findingsAt(FILE, redefined, target).filter((f) => !f.includes(' redefinition ')), [barInfo('the definition', 7)], target);
    // Without the key too: an error Falco never meets is a warning.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.bar') + replace('o'), target),
      [`2 unknown-field proc.bar: 'proc.bar' is not a supported output field. ${never('the override', 6)}`], target);
    // The replacing output skips the rule: the condition is not compiled, from 0.38 its macro and list are unused.
    const found = findingsAt(FILE, defs + rule('evt.type = open and m and proc.name in (l) and proc.pid = abc', 'o', SKIP) + replace('o %proc.bar'), target);
    assert.deepEqual(found.map((f) => f.split(':')[0]), [
      '2 invalid-value abc', '2 unknown-field proc.bar', ...(target === '0.37' ? [] : ['3 unused-list l', '3 unused-macro m']),
    ], target);
    // An appended output keeps the rule's: the skip stays.
    const appended = findingsAt(FILE, rule('evt.type = open', 'o %proc.bar', SKIP) + '- rule: r\n  output: and more\n  override:\n    output: append\n', target);
    assert.deepEqual(appended, [`2 unknown-field proc.bar: 'proc.bar' is not a supported output field. ${SKIPPED}`], target);
  }
});

// --- 4. lists named by lists ----------------------------------------------------------------------------------------------

test('a list named by a later list is used, whether that list is used or not (compile_list_infos); one named by an earlier list is not', () => {
  const unused = (name: string) => `3 unused-list ${name}: List '${name}' is not referred to by any rule, macro or list of the loaded rules files. (LOAD_UNUSED_LIST)`;
  for (const target of RELEASES) {
    assert.deepEqual(findingsAt(FILE, '- list: a_list\n  items: [x]\n- list: b_list\n  items: [a_list]\n', target), [unused('b_list')], target);
    // compile_list_infos pastes only lists before the naming list's last definition or append: a_list stays a word.
    assert.deepEqual(findingsAt(FILE, '- list: b_list\n  items: [a_list]\n- list: a_list\n  items: [x]\n', target), [unused('b_list'), unused('a_list')], target);
  }
});

test('a list pasted only into rules skipped at their output, through a list coming before it, is unused from 0.38; a list named by a later list stays used', () => {
  const skipped = rule('evt.type = open and proc.name in (k_list)', 'o %proc.bar', SKIP);
  const kUnused = "3 unused-list k_list: List 'k_list' is referred to only by rule 'r', which Falco skips at %proc.bar in its output under skip-if-unknown-filter before it parses the condition (from Falco 0.38): that use does not count, and Falco warns that the list is unused. (LOAD_UNUSED_LIST)";
  for (const target of RELEASES) {
    const pasted = findingsAt(FILE, '- list: k_list\n  items: [m_list]\n- list: m_list\n  items: [x]\n' + skipped, target);
    const expanded = findingsAt(FILE, '- list: m_list\n  items: [x]\n- list: k_list\n  items: [m_list]\n' + skipped, target);
    if (target === '0.37') {
      assert.deepEqual(pasted.slice(1), [], target);
      assert.deepEqual(expanded.slice(1), [], target);
      continue;
    }
    assert.deepEqual(pasted.slice(1), [
      kUnused,
      "3 unused-list m_list: List 'm_list' is pasted only into the condition of rule 'r', through the items of list 'k_list', and Falco skips it at %proc.bar in its output under skip-if-unknown-filter before it parses the condition (from Falco 0.38): Falco warns that the list is unused. (LOAD_UNUSED_LIST)",
    ], target);
    assert.deepEqual(expanded.slice(1), [kUnused], target);
    // A rule Falco compiles pastes it too: used.
    const compiled = rule('evt.type = open and proc.name in (k_list)', 'o', SKIP).replace('rule: r', 'rule: q');
    assert.deepEqual(findingsAt(FILE, '- list: k_list\n  items: [m_list]\n- list: m_list\n  items: [x]\n' + skipped + compiled, target).slice(1), [], target);
  }
});
