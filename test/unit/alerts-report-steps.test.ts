// AlertsService.reportSteps: the incident report in steps, for the Alert Explorer, which lets other requests in
// between them and may stop early. Each step is bounded (it never runs the whole report), the result is the report
// `report` gives, and `fileLines` gives the alerts the lines of the file they were read from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, fakeRules, fixture, ruleSummaries, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';

function drive(steps: Generator<void, string, void>): { markdown: string; steps: number } {
  let n = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return { markdown: step.value, steps: n };
    n++;
  }
}

const uri = 'file:///logs/falco.log';

test('reportSteps gives the report that report gives, in many steps', () => {
  const s = createAlertsService(new TestHost(), fakeRules(corpusExists ? ruleSummaries(STABLE_RULES) : []));
  const lines = fixture('falco-0.44.json').split('\n').filter((l) => l.startsWith('{'));
  // 600 alerts: more than a few steps of views, and a section per rule.
  const text = Array.from({ length: 200 }, () => lines.join('\n')).join('\n') + '\n';
  const whole = s.report(text, uri);
  const stepped = drive(s.reportSteps(text, uri));
  assert.equal(stepped.markdown, whole);
  assert.match(whole, /^# Falco incident report\n\n600 alerts from `falco\.log`/);
  // The reading (one step), the views (a step per hundred alerts), the summary and each rule's section.
  const rules = (whole.match(/^## \d+\. /gm) ?? []).length;
  assert.ok(rules >= 2, `${rules} rules`);
  assert.ok(stepped.steps >= 1 + 600 / 100 + 1 + rules, `${stepped.steps} steps`);
});

test('reportSteps with fileLines numbers the alerts by the file\'s lines; dropping it midway leaves the service as it was', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const [a, b, c] = fixture('falco-0.44.json').split('\n').filter((l) => l.startsWith('{'));
  // The alerts at lines 4, 5 and 12 of a file (1-based), read one after another with a blank line where they are apart.
  const text = `${a}\n${b}\n\n${c}\n`;
  const fileLines = [3, 4, 10, 11];
  const { markdown } = drive(s.reportSteps(text, uri, fileLines));
  const rows = markdown.split('\n').filter((l) => /^\| \d+ \| \d+ \|/.test(l)).map((l) => l.split('|')[2].trim());
  assert.deepEqual(rows, ['4', '5', '12']);
  // The padded text report gives the same numbers, and an abandoned generator changes nothing for the next report.
  const padded = `${'\n'.repeat(3)}${a}\n${b}\n${'\n'.repeat(6)}${c}\n`;
  const abandoned = s.reportSteps(text, uri, fileLines);
  abandoned.next();
  abandoned.next();
  assert.equal(drive(s.reportSteps(text, uri, fileLines)).markdown, markdown);
  assert.equal(s.report(padded, uri), markdown);
});
