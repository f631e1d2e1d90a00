// Falco's reader takes only the condition and the exceptions of a rule item with `append: true` (rule_loader_reader.cpp
// 0.37.0:655-677, 0.44.0:859-881; the throw for an item with neither is commented out in both): an `output` there is
// never read, so it is not appended, and its fields are never compiled. `override: {output: append}` appends it
// (rule_loader_collector.cpp selective_append, `output += " " + text`, 0.37.0:267-270, 0.44.0:251-253), and the rule's
// output is checked as Falco builds it (outputTail: a field read only at the very end of the output is not at the end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';

const BASE = '- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: x %proc.env\n  priority: INFO\n';
const LEGACY = `${BASE}- rule: r\n  condition: and proc.name = a\n  output: y %proc.nada\n  desc: more\n  append: true\n`;
const OVERRIDE = `${BASE}- rule: r\n  output: y %proc.name\n  override:\n    output: append\n`;
const codes = (text: string, target: string) => findingsAt('/ws/r.yaml', text, target).map((f) => f.split(':')[0]);

test('an output in an append: true item is ignored, not checked, and appends nothing', () => {
  for (const target of ['0.37', '0.41', '0.44']) {
    // No unknown-field for %proc.nada (never compiled), and %proc.env stays at the end of the output (no tail note).
    assert.deepEqual(codes(LEGACY, target), ['2 deprecated-append append', '2 append-key-ignored output', '2 append-key-ignored desc'], target);
    const [message] = findingsAt('/ws/r.yaml', LEGACY, target).filter((f) => f.includes('append-key-ignored output'));
    assert.match(message, /Falco ignores 'output' in a rule with 'append: true': it appends only the condition and the exceptions\. To append to the output, write 'override:' with 'output: append'/);
  }
  // Under skip-if-unknown-filter, the ignored output skips nothing either.
  const skipping = LEGACY.replace('  priority: INFO\n', '  priority: INFO\n  skip-if-unknown-filter: true\n');
  assert.ok(!findingsAt('/ws/r.yaml', skipping, '0.44').some((f) => f.includes('unknown-field')));
});

test('an output appended by an override is checked as Falco builds the output', () => {
  // %proc.env is read without an argument only at the very end of the output before 0.42.1: the appended text follows.
  for (const target of ['0.37', '0.41']) assert.ok(codes(OVERRIDE, target).includes('2 field-argument proc.env'), target);
  assert.ok(!codes(OVERRIDE, '0.44').some((c) => c.includes('field-argument')));
});

test('the append: true quick fix is greyed out while the item has a key Falco would then refuse', async () => {
  const { createRulesService } = await import('../../server/src/service/rules');
  const { MemoryHost, rulesDoc } = await import('./rules-host');
  const svc = createRulesService(new MemoryHost({ '/ws/r.yaml': LEGACY }, { folders: ['/ws'] }));
  const doc = rulesDoc('/ws/r.yaml', LEGACY);
  svc.didOpenOrChange?.(doc);
  const d = svc.diagnostics(doc).find((x) => x.code === 'deprecated-append')!;
  const [action] = svc.codeActions!(doc, d.range, { diagnostics: [d], only: ['quickfix'] }).filter((a) => /^Replace 'append: true'/.test(a.title));
  assert.equal(action.edit, undefined);
  assert.match(action.disabled?.reason ?? '', /The item also has 'output', 'desc', which Falco ignores beside 'append: true' but refuses beside an 'override:'/);
});
