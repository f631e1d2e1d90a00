// Errors of the compile in macro text that a rule of another file compiles, in Falco's order. Falco compiles every
// rule again after each file (falco_engine.cpp load_rules), pastes each macro's condition where the condition names
// it (rule_loader_compiler.cpp compile_condition 0.44.0:360-407, 0.38.0:426-462; compile_rule_infos 0.37.0:442-495)
// and libsinsp compiles the tree in order, stopping at its first throw (libs filter.cpp): under skip-if-unknown-filter
// an unknown field met first skips the rule, and an error met first fails the load. Session 23 (b5372e2) placed an
// unknown field of the macro in that order; an error (a value the field's type does not take) stayed an error though
// the rule of the other file is skipped before Falco comes to it, and a compile warning stayed a warning though
// Falco gives them only for a condition that compiled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOfFiles } from './rules-host';

const TARGETS = ['0.37', '0.40', '0.44'];
const user = (condition: string, output = 'o', skip = true) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${skip ? '  skip-if-unknown-filter: true\n' : ''}`;
/** a.yaml's findings on the macro's text (not its name), as `severity message`. */
const inMacro = (macro: string, b: string, target: string) => findingsOfFiles({ '/ws/a.yaml': macro, '/ws/b.yaml': b }, target)['/ws/a.yaml']
  .filter((f) => !f.includes('unused-macro')).map((f) => `${f.split(' ')[0]} ${f.slice(f.indexOf(': ') + 2)}`);
const BAD_VALUE = '- macro: m\n  condition: proc.pid = abc\n';

test('an error in macro text is not Falco\'s where the other file\'s rule is skipped before it', () => {
  for (const target of TARGETS) {
    const [skippedFirst] = inMacro(BAD_VALUE, user('evt.type = execve and proc.bad = x and m'), target);
    assert.match(skippedFirst, /^2 'abc' is not a valid number .* for proc\.pid \(INT64\)\. Falco does not compile this text: under skip-if-unknown-filter it skips rule 'R' at proc\.bad \(line 3 of b\.yaml\), before it comes to this text; where Falco knows proc\.bad, it fails to load here \(LOAD_ERR_COMPILE_CONDITION\)\.$/, target);
    // The output is checked before the condition.
    const [atOutput] = inMacro(BAD_VALUE, user('evt.type = execve and m', 'o %proc.nope'), target);
    assert.match(atOutput, /^2 .* skips rule 'R' at %proc\.nope \(line 4 of b\.yaml\) in its output, which it checks before the condition; where Falco knows %proc\.nope, it fails to load here/, target);
  }
});

test('an error in macro text met first, or by a rule without skip-if-unknown-filter, stays an error', () => {
  for (const target of TARGETS) {
    assert.match(inMacro(BAD_VALUE, user('evt.type = execve and m and proc.bad = x'), target)[0], /^1 'abc' is not a valid number .*: Falco rejects the condition\. \(LOAD_ERR_COMPILE_CONDITION\)$/, target);
    assert.match(inMacro(BAD_VALUE, user('evt.type = execve and m'), target)[0], /^1 /, target);
    assert.match(inMacro(BAD_VALUE, user('evt.type = execve and proc.bad = x and m', 'o', false), target)[0], /^1 /, target);
  }
});

test('a compile warning in macro text is not given where the other file\'s rule is skipped anywhere', () => {
  const regex = '- macro: m\n  condition: proc.name regex "^sshd$"\n';
  for (const target of ['0.40', '0.44']) {
    assert.deepEqual(inMacro(regex, user('evt.type = execve and m'), target).map((f) => f.slice(0, 2)), ['2 '], target);
    const [later] = inMacro(regex, user('evt.type = execve and m and proc.bad = x'), target);
    assert.match(later, /^3 .* Falco gives the compiler's warnings only for a condition it compiled: under skip-if-unknown-filter it skips rule 'R' at proc\.bad \(line 3 of b\.yaml\), where the compile stops/, target);
  }
});
