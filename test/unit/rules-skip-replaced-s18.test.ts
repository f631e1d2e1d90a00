// Skips under skip-if-unknown-filter and texts that later items replace. Falco checks a rule's output, then compiles
// its condition and stops at the first unknown field (rule_loader_compiler.cpp compile_rule_infos, 0.37.0:463-500,
// 0.44.0:496-536), on the texts the collector holds after each file (falco_engine.cpp load_rules compiles every rule
// again after each file). A skip in text its own file replaces skips nothing; a skip in an output a later file
// replaces holds for the files before that one only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, findingsOfFiles } from './rules-host';

const FILE = '/ws/rules.yaml';
const A = '/ws/a.yaml';
const B = '/ws/b.yaml';
const SKIP = '  skip-if-unknown-filter: true\n';
const rule = (condition: string, output: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${SKIP}`;
const REPLACE_OUTPUT = '- rule: r\n  output: fine\n  override:\n    output: replace\n';

test('an unknown field in a condition its own file replaces skips nothing: information, without the skip', () => {
  for (const target of ['0.37', '0.44']) {
    const found = findingsAt(FILE, rule('evt.type = open and proc.other = y', '"o %proc.nosuch"') + '- rule: r\n  condition: evt.type = open\n  override:\n    condition: replace\n', target);
    assert.deepEqual(found, [
      "3 unknown-field proc.other: 'proc.other' is not a supported filter field. Falco never compiles this text: the override of rule 'r' at line 7 replaces the rule's condition before Falco compiles the file.",
      "2 unknown-field proc.nosuch: 'proc.nosuch' is not a supported output field. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)",
    ], target);
  }
});

test('a skip in an output a later file replaces: that file\'s compile meets the condition\'s first skip', () => {
  for (const target of ['0.37', '0.44']) {
    const found = findingsOfFiles({ [A]: rule('evt.type = open and proc.other = y and proc.third = z', '"o %proc.nosuch"'), [B]: REPLACE_OUTPUT }, target);
    assert.deepEqual(found[A].slice(0, 2), [
      "2 unknown-field proc.other: 'proc.other' is not a supported filter field. Falco skips the rule here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER) when it loads b.yaml, whose override at line 1 of b.yaml replaces the output; when it loads this file, it skips the rule at %proc.nosuch in the output first.",
      "3 unknown-field proc.third: 'proc.third' is not a supported filter field. Falco does not check this: under skip-if-unknown-filter it skips the rule at %proc.nosuch in the output, which it checks before the condition, and warns once.",
    ], target);
    assert.deepEqual(found[B], [], target);
    // The new output skips too, the later file redefines the rule or replaces its condition: nothing compiles it.
    for (const later of [REPLACE_OUTPUT.replace('fine', 'fine %proc.nope'), rule('evt.type = open', 'fine'), REPLACE_OUTPUT.replace('    output: replace\n', '    output: replace\n    condition: replace\n').replace('  output: fine\n', '  output: fine\n  condition: evt.type = open\n')]) {
      assert.match(findingsOfFiles({ [A]: rule('evt.type = open and proc.other = y', '"o %proc.nosuch"'), [B]: later }, target)[A][0], /^3 unknown-field proc\.other: .* Falco does not check this: /, target);
    }
  }
});

// Pins (Falco Lens already followed the compile order): a compile error after the condition's first skip is not
// Falco's where it does not know the skipped field, and macro text the compile meets after the skip neither.
test('pins: what the compile meets after a condition skip, in the condition and in macro text', () => {
  const after = findingsAt(FILE, rule('evt.type = open and proc.nosuch = x and proc.pid startswith 1', 'o'), '0.44');
  assert.match(after[1], /^2 operator-type startswith: .* Falco does not compile the condition past proc\.nosuch: under skip-if-unknown-filter it skips the rule there, earlier in the condition; where Falco knows proc\.nosuch, it fails to load here \(LOAD_ERR_COMPILE_CONDITION\)\.$/);
  const macro = findingsAt(FILE, '- macro: m\n  condition: proc.pid startswith 1\n' + rule('evt.type = open and proc.nosuch = x and m', 'o'), '0.44');
  assert.match(macro[0], /^2 operator-type startswith: .* Falco does not compile this text: under skip-if-unknown-filter it skips rule 'r' at proc\.nosuch \(line 5\), before it comes to this text;/);
  // The macro met before the skip: its error fails the load.
  const before = findingsAt(FILE, '- macro: m\n  condition: proc.pid startswith 1\n' + rule('evt.type = open and m and proc.nosuch = x and m', 'o'), '0.44');
  assert.match(before[0], /^1 operator-type startswith: .*\(LOAD_ERR_COMPILE_CONDITION\)$/);
});
