// A skip-if-unknown-filter finding in text several rules read through YAML aliases, the first skip of some of them
// and a later one of others (session 16, helper D round 2): a warning, as Falco warns for the first, that says which
// rules Falco skips there and which it skips earlier, without checking this text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseAt, rulesDoc } from './rules-host';

const FILE = '/ws/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const said = (text: string) => {
  const doc = rulesDoc(FILE, text);
  return diagnoseAt(FILE, text, '0.44').filter((d) => d.code === 'unknown-field')
    .map((d) => `${d.range.start.line} ${d.severity} ${doc.getText(d.range)}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
};
const RULE = (name: string, condition: string, output: string) =>
  ['- rule: ' + name, '  desc: d', `  condition: ${condition}`, `  output: ${output}`, '  priority: INFO', '  skip-if-unknown-filter: true'];

test('the anchor\'s rule is skipped at the shared text, its readers earlier at their outputs', () => {
  const text = lines(
    ...RULE('B', '&c evt.type = open and proc.bar = x', 'o'),
    ...RULE('A', '*c', 'o %proc.foo'),
    ...RULE('C', '*c', 'o %proc.baz'),
  );
  assert.deepEqual(said(text), [
    "2 2 proc.bar: 'proc.bar' is not a supported filter field. Falco skips rule 'B' here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER). "
      + "It does not check this for rules 'A' and 'C': it skips rule 'A' at %proc.foo and rule 'C' at %proc.baz, each before this, and warns once there. "
      + "Also for rule 'A' (*c, line 9) and rule 'C' (*c, line 15), which read this text through aliases.",
    "9 2 proc.foo: 'proc.foo' is not a supported output field. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)",
    "15 2 proc.baz: 'proc.baz' is not a supported output field. The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)",
  ]);
});

test('a reader is skipped at the shared text, the anchor\'s rule earlier at its output; a macro\'s text read by two rules', () => {
  const text = lines(...RULE('B', '&c evt.type = open and proc.bar = x', 'o %proc.foo'), ...RULE('A', '*c', 'o'));
  assert.equal(said(text)[0], "2 2 proc.bar: 'proc.bar' is not a supported filter field. Falco skips rule 'A' here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER). "
    + "It does not check this for rule 'B': it skips that rule at %proc.foo in the output, which it checks before the condition, and warns once there. "
    + "Also for rule 'A' (*c, line 9), which reads this text through an alias.");
  const macro = lines('- macro: m', '  condition: &c evt.type = open and proc.bar = x', ...RULE('B', '*c', 'o %proc.foo'), ...RULE('A', '*c', 'o'), ...RULE('D', '*c', 'o'));
  const shared = said(macro).filter((d) => d.includes("Falco skips rule"));
  assert.equal(shared.length, 1, said(macro).join('\n'));
  assert.match(shared[0], /^1 2 proc\.bar: .* Falco skips rules 'A' and 'D' here because of skip-if-unknown-filter \(LOAD_UNKNOWN_FILTER\)\. It does not check this for rule 'B': it skips that rule at %proc\.foo in the output, which it checks before the condition, and warns once there\. For rule 'B' \(\*c, line 5\), rule 'A' \(\*c, line 11\) and rule 'D' \(\*c, line 17\), which read this text through aliases\.$/);
});

test('a finding that is a later skip of every reader stays information', () => {
  const text = lines(...RULE('B', '&c evt.type = open and proc.bar = x', 'o %proc.foo'), ...RULE('A', '*c', 'o %proc.baz'));
  const got = said(text);
  assert.equal(got.length, 3, got.join('\n'));
  assert.match(got[0], /^2 3 proc\.bar: .* Falco does not check this: under skip-if-unknown-filter it skips rule 'B' at %proc\.foo and rule 'A' at %proc\.baz, each before this, and warns once per rule\./);
});
