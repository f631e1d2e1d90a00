// skip-if-unknown-filter, the leftovers of cced1ff (session 15): what Falco does not compile once it skips a rule at
// its output (the rule's condition and exceptions, the macros only such rules use), and the skip findings of a
// condition appended in another item, which Falco compiles as one condition with the rule's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (condition: string, output = 'o', extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const SKIP = '  skip-if-unknown-filter: true\n';
const RELEASES = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'];
const SKIPPED = 'The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)';
const OUTPUT_SKIP = `2 unknown-field proc.bar: 'proc.bar' is not a supported output field. ${SKIPPED}`;
const NOT_COMPILED = "Falco does not compile the rule's condition: under skip-if-unknown-filter it skips the rule at %proc.bar in the output, which it checks first;";
const exceptions = (values: string) => `${SKIP}  exceptions:\n    - name: e\n      fields: [proc.name, proc.pid]\n      values: [${values}]\n`;

// --- 1. the condition and exceptions of a rule skipped at its output -----------------------------------------------

test('a compile error in the condition or exceptions of a rule skipped at its output is a warning: Falco never compiles it, and fails there once it knows the field', () => {
  const invalid = "'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64).";
  for (const target of RELEASES) {
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.pid = abc', 'o %proc.bar', SKIP), target), [
      `2 invalid-value abc: ${invalid} ${NOT_COMPILED} where Falco knows %proc.bar, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
      OUTPUT_SKIP,
    ], target);
    // Exception values are pasted into the condition: compiled with it.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.bar', exceptions('[a, abc]')), target), [
      `2 invalid-value abc: ${invalid} ${NOT_COMPILED} where Falco knows %proc.bar, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
      OUTPUT_SKIP,
    ], target);
    // An exception's shape is found as the exceptions are pasted in, before the output is checked: an error.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open', 'o %proc.bar', exceptions('[a]')), target), [
      '1 exception-arity [a]: This value has 1 item but the exception has 2 fields. (LOAD_ERR_VALIDATE)',
      OUTPUT_SKIP,
    ], target);
    // Without the key the output fails the load, and so does the condition once the output is fixed: both errors.
    assert.deepEqual(findingsAt(FILE, rule('evt.type = open and proc.pid = abc', 'o %proc.bar'), target).map((f) => f.split(':')[0]), ['1 invalid-value abc', '1 unknown-field proc.bar'], target);
  }
});

test('a condition syntax error or an undefined macro after an output skip: an error at Falco 0.37 (parsed before the output), a warning from 0.38', () => {
  for (const target of RELEASES) {
    const syntax = findingsAt(FILE, rule('evt.type = open and (proc.name = x', 'o %proc.bar', SKIP), target);
    const macro = findingsAt(FILE, rule('evt.type = open and not m', 'o %proc.bar', SKIP), target);
    if (target === '0.37') {
      assert.deepEqual(syntax, ["1 condition-syntax (: Condition syntax: unbalanced parentheses: this '(' is never closed. (LOAD_ERR_COMPILE_CONDITION)", OUTPUT_SKIP]);
      assert.deepEqual(macro, ["1 undefined-macro m: Undefined macro 'm' used in filter. (LOAD_ERR_VALIDATE)", OUTPUT_SKIP]);
    } else {
      assert.deepEqual(syntax, [`2 condition-syntax (: Condition syntax: unbalanced parentheses: this '(' is never closed. ${NOT_COMPILED} where Falco knows %proc.bar, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`, OUTPUT_SKIP], target);
      assert.deepEqual(macro, [`2 undefined-macro m: Undefined macro 'm' used in filter. ${NOT_COMPILED} where Falco knows %proc.bar, it fails to load here (LOAD_ERR_VALIDATE).`, OUTPUT_SKIP], target);
    }
  }
});

test('an error in the output before the unknown field fails the load there: the condition\'s error stays an error', () => {
  // Falco 0.42's container plugin throws on the argument of %container.name[a"b] whatever the key says (52401a4),
  // before the formatter reaches %proc.bar.
  const found = findingsAt(FILE, rule('evt.type = open and proc.pid = abc', '\'o %container.name[a"b] %proc.bar\'', SKIP), '0.42');
  assert.deepEqual(found.map((f) => f.split(':')[0]), ['1 invalid-value abc', '2 unknown-field proc.bar', '1 field-argument [a"b]']);
});

// --- 2. a macro only rules skipped at their output use ---------------------------------------------------------------

test('an unknown field or a compile error in a macro that only rules skipped at their output use: Falco does not compile it', () => {
  const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;
  const because = "Falco does not compile this text: under skip-if-unknown-filter it skips rule 'r' at %proc.bar in its output, which it checks before the condition;";
  for (const target of ['0.37', '0.40', '0.44']) {
    // From 0.38 the macro is also unused for Falco (section 4).
    const unused = target === '0.37' ? [] : ["3 unused-macro m: Macro 'm' is referred to only by rule 'r', which Falco skips at %proc.bar in its output under skip-if-unknown-filter before it parses the condition (from Falco 0.38): that use does not count, and Falco warns that the macro is unused. (LOAD_UNUSED_MACRO)"];
    assert.deepEqual(findingsAt(FILE, macro('proc.foo = x') + rule('evt.type = open and m', 'o %proc.bar', SKIP), target), [
      `3 unknown-field proc.foo: 'proc.foo' is not a supported filter field. ${because} where Falco knows %proc.bar, it skips the rule here instead (LOAD_UNKNOWN_FILTER).`,
      OUTPUT_SKIP,
      ...unused,
    ], target);
    assert.deepEqual(findingsAt(FILE, macro('proc.pid = abc') + rule('evt.type = open and m', 'o %proc.bar', SKIP), target), [
      `2 invalid-value abc: 'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64). ${because} where Falco knows %proc.bar, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
      OUTPUT_SKIP,
      ...unused,
    ], target);
    // Another rule compiles the macro: the finding is Falco's, the skip of rule 'q' at the macro (r's is at its output).
    const other = '- rule: q\n  desc: d\n  condition: evt.type = open and m\n  output: o\n  priority: INFO\n  skip-if-unknown-filter: true\n';
    assert.match(findingsAt(FILE, macro('proc.foo = x') + rule('evt.type = open and m', 'o %proc.bar', SKIP) + other, target)[0]!,
      /^2 unknown-field proc\.foo: .* Falco skips rule 'q', which uses macro 'm', here because of skip-if-unknown-filter \(LOAD_UNKNOWN_FILTER\)\. It does not check this for rule 'r': it skips that rule at %proc\.bar in the output, before it comes to this text, and warns once there\.$/, target);
  }
});

// --- 3. a condition appended in another item ---------------------------------------------------------------------------

test('skip findings of a condition appended in another item are counted with the rule\'s: one warning per rule', () => {
  const appendOverride = '- rule: r\n  condition: and proc.fo2 = y\n  override:\n    condition: append\n';
  const appendLegacy = '- rule: r\n  condition: and proc.fo2 = y\n  append: true\n';
  for (const target of ['0.37', '0.40', '0.44']) {
    for (const append of [appendOverride, appendLegacy]) {
      const found = findingsAt(FILE, rule('evt.type = open and proc.foo = x', 'o', SKIP) + append, target).filter((f) => !f.includes('deprecated-append'));
      assert.deepEqual(found, [
        `2 unknown-field proc.foo: 'proc.foo' is not a supported filter field. ${SKIPPED}`,
        "3 unknown-field proc.fo2: 'proc.fo2' is not a supported filter field. Falco does not check this: under skip-if-unknown-filter it skips the rule at proc.foo (line 3), earlier in the condition, and warns once.",
      ], target);
      // The output of the definition comes first; an error in the appended condition is not compiled either.
      const afterOutput = findingsAt(FILE, rule('evt.type = open', 'o %proc.bar', SKIP) + append.replace('proc.fo2 = y', 'proc.fo2 = y and proc.pid = abc'), target).filter((f) => !f.includes('deprecated-append'));
      assert.deepEqual(afterOutput.map((f) => f.split(':')[0]), ['2 unknown-field proc.bar', '3 unknown-field proc.fo2', '2 invalid-value abc'], target);
      assert.match(afterOutput[1]!, /it skips the rule at %proc\.bar \(line 4\) in the output, which it checks before the condition, and warns once\.$/, target);
      assert.match(afterOutput[2]!, /it skips the rule at %proc\.bar in the output, which it checks first; where Falco knows %proc\.bar, it fails to load here \(LOAD_ERR_COMPILE_CONDITION\)\.$/, target);
    }
  }
  // A redefinition replaces the rule: its skips are its own.
  const redefined = rule('evt.type = open and proc.foo = x', 'o', SKIP) + rule('evt.type = open and proc.fo2 = y', 'o', SKIP);
  assert.equal(findingsAt(FILE, redefined, '0.44').at(-1), `2 unknown-field proc.fo2: 'proc.fo2' is not a supported filter field. ${SKIPPED}`);
});

// --- 4. macros and lists only rules skipped at their output use --------------------------------------------------------

test('a macro or list only rules skipped at their output use is unused for Falco from 0.38 (parsed after the output), used at 0.37 (parsed before)', () => {
  const defs = '- list: l\n  items: [a, b]\n- macro: m\n  condition: proc.name = x\n';
  const skipped = rule('evt.type = open and m and proc.name in (l)', 'o %proc.bar', SKIP);
  const unusedList = "3 unused-list l: List 'l' is referred to only by rule 'r', which Falco skips at %proc.bar in its output under skip-if-unknown-filter before it parses the condition (from Falco 0.38): that use does not count, and Falco warns that the list is unused. (LOAD_UNUSED_LIST)";
  const unusedMacro = "3 unused-macro m: Macro 'm' is referred to only by rule 'r', which Falco skips at %proc.bar in its output under skip-if-unknown-filter before it parses the condition (from Falco 0.38): that use does not count, and Falco warns that the macro is unused. (LOAD_UNUSED_MACRO)";
  const other = (condition: string, output = 'o', extra = '') => rule(condition, output, extra).replace('rule: r', 'rule: q');
  for (const target of RELEASES) {
    const found = findingsAt(FILE, defs + skipped, target);
    if (target === '0.37') {
      // parse_condition and resolve_macros mark them used before is_format_valid (rule_loader_compiler.cpp 0.37.0:442-463).
      assert.deepEqual(found, [OUTPUT_SKIP], target);
      continue;
    }
    assert.deepEqual(found, [OUTPUT_SKIP, unusedList, unusedMacro], target);
    // A list pasted from a skipped rule's exception values is not used either.
    assert.deepEqual(findingsAt(FILE, '- list: l\n  items: [a, b]\n' + rule('evt.type = open', 'o %proc.bar', `${SKIP}  exceptions:\n    - name: e\n      fields: proc.name\n      comps: in\n      values: [l]\n`), target), [OUTPUT_SKIP, unusedList], target);
    // Another rule compiled, or a macro (every macro is parsed and resolved), still uses them.
    assert.deepEqual(findingsAt(FILE, defs + skipped + other('evt.type = open and m and proc.name in (l)'), target), [OUTPUT_SKIP], target);
    assert.deepEqual(findingsAt(FILE, defs + skipped + '- macro: n\n  condition: m and proc.name in (l)\n' + other('evt.type = open and n'), target), [OUTPUT_SKIP], target);
    // Two rules skipped at their outputs: named each.
    assert.match(findingsAt(FILE, defs + skipped + other('evt.type = open and m', 'o %proc.baz', SKIP), target).at(-1)!,
      /^3 unused-macro m: Macro 'm' is referred to only by rules 'r' and 'q', which Falco skips at %proc\.bar and %proc\.baz in their outputs /, target);
  }
});
