// Session 22 alerts audit (helper D): each test pins what the old code said or did wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { KEY_ALERT, TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

const KEY_RULE = { name: 'Backup tool reads keys', source: 'syscall', tags: [], enabled: true, desc: 'A backup tool opened a private key' };
const section = (report: string, n: number) => report.slice(report.indexOf(`## ${n}. `), report.indexOf(`## ${n + 1}. `) < 0 ? undefined : report.indexOf(`## ${n + 1}. `));

// 1. A report's section of several alerts of one rule showed the first alert's values under "What happened", filled
// its commands and tuning with them, and said "An exception on this alert's values": nothing said which alert, that
// the others had other values, nor how many of them the exception would silence.
test('a report section of several alerts says its values are the first alert\'s, which differ, and how many the exception covers', () => {
  const s = createAlertsService(new TestHost(), fakeRules([KEY_RULE]));
  const other = KEY_ALERT.replace(/restic/g, 'borg').replace('10:20:30.123456789', '10:21:30.123456789').replace('1746613230123456789', '1746613290123456789');
  const same = KEY_ALERT.replace('10:20:30.123456789', '10:22:30.123456789').replace('1746613230123456789', '1746613350123456789');
  const report = s.report(`${KEY_ALERT}\n${other}\n${same}\n`, 'file:///logs/keys.json');
  const part = section(report, 1);
  assert.match(part, /Warning, 3 alerts \(lines 1, 2, 3\)\./);
  assert.match(part, /are those of the first of these 3 alerts \(line 1\); a field marked with a count of values has other values in the others\./, part);
  assert.match(part, /^- `proc\.name` = `restic` \(this alert's: 2 different values among the 3 alerts\) — /m, part);
  assert.match(part, /^- `fd\.name` = `\/etc\/ssl\/private\/k\.pem` — /m, part);
  assert.match(part, /^- `evt\.time` = `\d+` — /m, part);
  assert.match(part, /An exception on the first alert's values \([^)]*\), which silences every alert of this rule with the same values \(2 of the 3 alerts of this section have them\)/, part);
  // Alerts with the same values: all of them; a section of one alert keeps its wording.
  const twice = section(s.report(`${KEY_ALERT}\n${same}\n`, 'file:///logs/keys.json'), 1);
  assert.match(twice, /\(both alerts of this section have them\)/, twice);
  assert.ok(!/different values among/.test(twice), twice);
  const one = section(s.report(`${KEY_ALERT}\n`, 'file:///logs/keys.json'), 1);
  assert.match(one, /An exception on this alert's values \([^)]*\), which silences every alert of this rule with the same values; /, one);
  assert.ok(!one.includes('first of these'), one);
});

// 2. A value that is the text `null` (a JSON string "null", a text alert's `process=null`: a process may name itself
// so) was explained as "Not available: the JSON form of <NA>", the meaning of JSON's null.
test('the text null is a value, JSON null is none', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const alert = JSON.stringify({
    hostname: 'n1', output: '10:00:00.000000001: Notice Custom (process=null parent=<NA>)', output_fields: { 'proc.name': 'null', 'proc.pname': null },
    priority: 'Notice', rule: 'Custom', source: 'syscall', tags: [], time: '2026-01-01T10:00:00.000000001Z',
  });
  const hover = (text: string, needle: string) => ((s.hover!(alertDoc(text.startsWith('{') ? 'n.json' : 'n.log', text), { line: 0, character: text.indexOf(needle) + 1 })?.contents as { value: string } | undefined)?.value ?? '');
  const text = hover(alert, '"null"');
  assert.match(text, /^`proc\.name` → field `proc\.name`/, text);
  assert.ok(!text.includes('Not available'), text);
  const none = hover(alert, 'null}');
  assert.match(none, /^`proc\.pname` → field `proc\.pname`/, none);
  assert.match(none, /Not available\\: the JSON form of \\<NA\\>/, none);
  const line = '10:00:00.000000001: Notice Custom (process=null parent=<NA>)';
  const inText = hover(line, 'null');
  assert.match(inText, /^`process` → field `proc\.name`/, inText);
  assert.ok(!inText.includes('Not available'), inText);
});
