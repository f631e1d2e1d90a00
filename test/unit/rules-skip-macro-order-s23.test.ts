// skip-if-unknown-filter across files, through macros: Falco compiles every rule again after each file (falco_engine.cpp
// load_rules), parsing its condition's texts joined in order, pasting each macro's condition where the condition
// names it (rule_loader_compiler.cpp compile_condition, resolve_macros; filter_macro_resolver) and compiling the tree in
// the text's order, stopping at its first unknown field. So a rule an earlier file defines, whose condition reaches a
// macro naming an unknown field, is skipped at that field when Falco compiles it after a later file that appends to it:
// the later file's own unknown field is never checked (information), and a field the rule's own text names before
// the macro's use is the skip instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOfFiles } from './rules-host';

const rule = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n  skip-if-unknown-filter: true\n`;
const append = '- rule: R\n  condition: and proc.foo = y\n  override:\n    condition: append\n';
const TARGETS = ['0.37', '0.40', '0.44'];
/** b.yaml's finding on proc.foo: `severity message`. */
const later = (a: string, target: string) => findingsOfFiles({ '/ws/a.yaml': a, '/ws/b.yaml': append }, target)['/ws/b.yaml'].map((f) => `${f.split(' ')[0]} ${f.slice(f.indexOf(': ') + 2)}`);

test('an earlier file\'s macro text skips the rule before a later append', () => {
  for (const target of TARGETS) {
    const [finding] = later(`- macro: m\n  condition: proc.nonexistent = x\n${rule('evt.type = execve and m')}`, target);
    assert.match(finding, /^3 'proc\.foo' is not a supported filter field\. Falco does not check this: under skip-if-unknown-filter it skips the rule at proc\.nonexistent \(line 2 of a\.yaml, in macro 'm'\), earlier in the condition, and warns once\.$/, target);
    // A macro inside a macro, where the outer one is named.
    const nested = `- macro: inner\n  condition: proc.nonexistent = x\n- macro: outer\n  condition: evt.type = execve and inner\n${rule('outer and proc.name = a')}`;
    assert.match(later(nested, target)[0], /^3 .* skips the rule at proc\.nonexistent \(line 2 of a\.yaml, in macro 'inner'\)/, target);
  }
});

test('the rule\'s own field before the macro\'s use is met first', () => {
  for (const target of TARGETS) {
    const [finding] = later(`- macro: m\n  condition: proc.nonexistent = x\n${rule('evt.type = execve and proc.bad = z and m')}`, target);
    assert.match(finding, /^3 .* skips the rule at proc\.bad \(line 5 of a\.yaml\), earlier in the condition/, target);
    // A macro without an unknown field changes nothing.
    assert.match(later(`- macro: m\n  condition: proc.name = x\n${rule('evt.type = execve and m')}`, target)[0], /^2 'proc\.foo' is not a supported filter field\. The rule is skipped because of skip-if-unknown-filter\./, target);
  }
});

// A macro's unknown field that a rule of a later file compiles: that rule's own text before the macro's use (or its
// output, checked first) skips it there, so Falco never meets the macro's field (it was said as the rule's skip).
test('an unknown field in a macro that a later file\'s rule meets only after its own skip', () => {
  const macro = '- macro: m\n  condition: proc.bad2 = abc\n';
  const user = (condition: string, output = 'o') => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n  skip-if-unknown-filter: true\n`;
  const inMacro = (b: string, target: string) => findingsOfFiles({ '/ws/a.yaml': macro, '/ws/b.yaml': b }, target)['/ws/a.yaml'].filter((f) => f.includes('proc.bad2'));
  for (const target of TARGETS) {
    assert.deepEqual(inMacro(user('evt.type = execve and proc.bad = x and m'), target).map((f) => f.slice(0, 2)), ['3 '], target);
    assert.match(inMacro(user('evt.type = execve and proc.bad = x and m'), target)[0], /Falco does not check this: under skip-if-unknown-filter it skips rule 'R' at proc\.bad \(line 3 of b\.yaml\), before it comes to this text, and warns once\.$/, target);
    assert.match(inMacro(user('evt.type = execve and m', 'o %proc.nope'), target)[0], /^3 .* skips rule 'R' at %proc\.nope \(line 4 of b\.yaml\) in its output, which it checks before the condition/, target);
    // Met first: the macro's field is the rule's skip, as before.
    assert.match(inMacro(user('evt.type = execve and m and proc.bad = x'), target)[0], /^2 .* Falco skips rule 'R', which uses macro 'm', because of skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/, target);
  }
});
