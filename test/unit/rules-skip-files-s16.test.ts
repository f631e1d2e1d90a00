// skip-if-unknown-filter across files: Falco compiles every rule collected so far after each file (falco_engine.cpp
// load_rules), so a rule an earlier file's text skips is skipped there again when a later file appends to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOfFiles as findings } from './rules-host';

const A = '/ws/a.yaml';
const B = '/ws/b.yaml';
const RELEASES = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43', '0.44'];

const rule = (condition: string, output = 'o', extra = '') => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const SKIP = '  skip-if-unknown-filter: true\n';
const APPEND = '- rule: r\n  condition: and proc.pid = abc and proc.fo2 = y\n  override:\n    condition: append\n';
const LEGACY = '- rule: r\n  condition: and proc.pid = abc and proc.fo2 = y\n  append: true\n';
const INVALID = "'abc' is not a valid number (decimal digits, optionally signed) for proc.pid (INT64)";
const FO2 = "'proc.fo2' is not a supported filter field.";
const mine = (found: string[]) => found.filter((f) => !f.includes(' deprecated-append '));

test('a rule an earlier file skips in its condition: what a later file appends comes after the skip', () => {
  const foo = 'proc.foo (line 3 of a.yaml)';
  for (const target of RELEASES) {
    for (const append of [APPEND, LEGACY]) {
      const found = findings({ [A]: rule('evt.type = open and proc.foo = x', 'o', SKIP), [B]: append }, target);
      assert.deepEqual(found[A].map((f) => f.split(':')[0]), ['2 unknown-field proc.foo'], target);
      assert.deepEqual(mine(found[B]), [
        `3 unknown-field proc.fo2: ${FO2} Falco does not check this: under skip-if-unknown-filter it skips the rule at ${foo}, earlier in the condition, and warns once.`,
        `2 invalid-value abc: ${INVALID}. Falco does not compile the condition past ${foo}: under skip-if-unknown-filter it skips the rule there, earlier in the condition; where Falco knows proc.foo, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
      ], target);
    }
    // Parse errors and undefined macros come before the compile: errors still.
    const parsed = findings({ [A]: rule('evt.type = open and proc.foo = x', 'o', SKIP), [B]: '- rule: r\n  condition: and (proc.name = y and not m\n  override:\n    condition: append\n' }, target)[B];
    assert.deepEqual(parsed.map((f) => f.split(':')[0]), ['1 condition-syntax (', '1 undefined-macro m'], target);
    // A condition the later file replaces: the earlier text is gone, this file's own skip is the first.
    const replaced = findings({ [A]: rule('evt.type = open and proc.foo = x', 'o', SKIP), [B]: APPEND.replace('append\n', 'replace\n').replace('and proc.pid', 'evt.type = open and proc.pid') }, target)[B];
    assert.deepEqual(replaced.map((f) => f.split(':')[0]).sort(), ['1 invalid-value abc', '2 unknown-field proc.fo2'], target);
  }
});

test('a rule an earlier file skips at its output: nothing of its condition is compiled, also what a later file appends', () => {
  const foo = '%proc.foo (line 4 of a.yaml)';
  for (const target of RELEASES) {
    const found = findings({ [A]: rule('evt.type = open', 'o %proc.foo', SKIP), [B]: APPEND }, target);
    assert.deepEqual(found[A].map((f) => f.split(':')[0]), ['2 unknown-field proc.foo'], target);
    assert.deepEqual(found[B], [
      `3 unknown-field proc.fo2: ${FO2} Falco does not check this: under skip-if-unknown-filter it skips the rule at ${foo} in the output, which it checks before the condition, and warns once.`,
      `2 invalid-value abc: ${INVALID}. Falco does not compile the rule's condition: under skip-if-unknown-filter it skips the rule at ${foo} in the output, which it checks first; where Falco knows %proc.foo, it fails to load here (LOAD_ERR_COMPILE_CONDITION).`,
    ], target);
    // From 0.38 the condition is parsed after the output: a syntax error of the appended text is not Falco's then.
    const parsed = findings({ [A]: rule('evt.type = open', 'o %proc.foo', SKIP), [B]: '- rule: r\n  condition: and (proc.name = y\n  override:\n    condition: append\n' }, target)[B];
    assert.deepEqual(parsed.map((f) => f.split(':')[0]), [target === '0.37' ? '1 condition-syntax (' : '2 condition-syntax ('], target);
    // An output the later file replaces: the skip at the old output is gone.
    const output = findings({ [A]: rule('evt.type = open', 'o %proc.foo', SKIP), [B]: APPEND + '- rule: r\n  output: fine\n  override:\n    output: replace\n' }, target)[B];
    assert.deepEqual(output.map((f) => f.split(':')[0]).sort(), ['1 invalid-value abc', '2 unknown-field proc.fo2'], target);
  }
});

test('a list an earlier file defines, used only by a rule a later file makes skipped at its output: Falco warns while loading that file (from 0.38)', () => {
  const replace = '- rule: r\n  output: o %proc.foo\n  override:\n    output: replace\n';
  const defs = '- list: l\n  items: [a]\n- macro: m\n  condition: proc.name = x\n';
  const unused = (kind: string, name: string) => `3 unused-${kind.toLowerCase()} ${name}: ${kind} '${name}' is referred to, up to b.yaml, only by rule 'r', which Falco skips at %proc.foo (line 2 of b.yaml) in its output under skip-if-unknown-filter when it compiles the rules again after loading b.yaml, before it parses the condition (from Falco 0.38): Falco warns then that the ${kind.toLowerCase()} is unused. (LOAD_UNUSED_${kind.toUpperCase()})`;
  for (const target of RELEASES) {
    const found = findings({ [A]: defs + rule('evt.type = open and m and proc.name in (l)', 'o', SKIP), [B]: replace }, target);
    assert.deepEqual(found[A], target === '0.37' ? [] : [unused('List', 'l'), unused('Macro', 'm')], target);
    assert.deepEqual(found[B].map((f) => f.split(':')[0]), ['2 unknown-field proc.foo'], target);
    // Another rule that uses them, or a replaced output that Falco knows: used.
    const other = rule('evt.type = open and m and proc.name in (l)', 'o').replace('rule: r', 'rule: q');
    assert.deepEqual(findings({ [A]: defs + rule('evt.type = open and m and proc.name in (l)', 'o', SKIP) + other, [B]: replace }, target)[A], [], target);
    assert.deepEqual(findings({ [A]: defs + rule('evt.type = open and m and proc.name in (l)', 'o', SKIP), [B]: replace.replace('%proc.foo', '%proc.name') }, target)[A], [], target);
  }
});
