// Session 10: the corpus's alert samples that the earlier audits left out, read through the alerts service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAlertsService } from '../../server/src/service/alerts';
import { CORPUS, TestHost, alertDoc, corpusExists, fakeRules } from '../fixtures/alerts/helpers';

const hoverAt = (s: ReturnType<typeof createAlertsService>, text: string, name: string, needle: string): string => {
  const hover = s.hover!(alertDoc(name, text), { line: 0, character: text.indexOf(needle) + 1 });
  return (hover?.contents as { value: string } | undefined)?.value ?? '';
};

// falcosidekick's PagerDuty test payload: an output with no time and priority in front (Falco writes them before the
// rule's text, formats.cpp:64-74 at 0.44.1), and output_fields with a `hostname` key, which is no field of Falco's
// (a custom name of append_output's extra_fields, falco.yaml:775-781, or the sender's own).
test('a JSON alert\'s output without Falco\'s prefix, and an output_fields key with no class, are not called Falco\'s', { skip: !corpusExists && 'corpus absent' }, () => {
  const text = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__falcosidekick', 'outputs_pagerduty_test_falcoTestInput.json'), 'utf8');
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const output = hoverAt(s, text, 'pagerduty.json', '"output"');
  assert.match(output, /^\*\*output\*\*: the rule's output, without the time and priority that Falco writes in front of it/, output);
  const key = hoverAt(s, text, 'pagerduty.json', '"hostname": ');
  assert.match(key, /Not a Falco field name \(those are `class\.name`\): a custom name from falco\.yaml's `append_output` `extra_fields`/, key);
  assert.ok(!key.includes('a plugin field, or a field of a newer Falco'), key);
  // A field of a dotted name keeps its catalog entry; Falco's own output keeps its wording.
  assert.match(hoverAt(s, text, 'pagerduty.json', '"proc.name"'), /^`proc\.name` → field `proc\.name` \(CHARBUF\)/);
  const falco = fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8');
  assert.match(hoverAt(s, falco, 'collector.json', '"output"'), /^\*\*output\*\*: the rule's output rendered by Falco, with the time and priority in front/);
});
