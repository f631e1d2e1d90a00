// A condition starting with `and`/`or` is read as the fragment its author meant only where Falco's reader refuses the
// item, so that the text is never compiled; what the reader refuses follows the target release: an override that
// replaces `capture` before 0.42 ("cannot be replaced", rule_loader_reader.cpp 0.41.0 decode_overrides), a rule
// override's `source` that is a mapping from 0.40 (0.40.0:618-619), a new rule's `capture: maybe` from 0.42 (0.42.0
// decode_optional_val of capture). Where the item is read, Falco compiles the text whole and fails at the `and`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const FILE = '/ws/rules.yaml';
const BASE = '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';
const syntaxAtAnd = (text: string, target: string) => findingsAt(FILE, text, target).some((f) => f.startsWith('1 condition-syntax and'));

test('whether a leading and/or is a fragment or a syntax error follows the target', () => {
  const cases: [string, string, string[], string[]][] = [
    ['an override replacing capture', `${BASE}- rule: r\n  condition: and proc.name = x\n  capture: true\n  override:\n    condition: replace\n    capture: replace\n`, ['0.37', '0.39', '0.41'], ['0.42', '0.44']],
    ['an override whose source is a mapping', `${BASE}- rule: r\n  condition: and proc.name = x\n  source: {a: b}\n  override:\n    condition: replace\n`, ['0.40', '0.44'], ['0.37', '0.38', '0.39']],
    ['a new rule with capture: maybe', '- rule: n\n  desc: d\n  condition: and proc.name = x\n  output: o\n  priority: INFO\n  capture: maybe\n', ['0.42', '0.44'], ['0.37', '0.41']],
  ];
  for (const [what, text, refusedAt, compiledAt] of cases) {
    for (const target of refusedAt) assert.equal(syntaxAtAnd(text, target), false, `${what} ${target}`);
    for (const target of compiledAt) assert.equal(syntaxAtAnd(text, target), true, `${what} ${target}`);
  }
  // The release's own error stands beside it.
  assert.ok(findingsAt(FILE, cases[0][1], '0.41').some((f) => f.startsWith('1 cannot-replace capture')));
});
