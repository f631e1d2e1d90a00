// What an incident report states of its alerts is true of them: over seeded random logs of JSON alerts (a few rules,
// each now and then at another priority, as after an override or on another Falco), the header's count, each rule's
// section (its count, its priorities with their counts, its lines) and the sections' order (most severe first) are
// checked against the alerts themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';
import { prng } from './rules-random-edits';

const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
const RULES = ['Shell in pod', 'Key read by backup tool', 'Outbound to mining pool', 'Package installed at runtime'];

interface Alert { line: number; rule: string; priority: number }

function randomLog(random: () => number, count: number): { text: string; alerts: Alert[] } {
  const usual = new Map(RULES.map((r) => [r, Math.floor(random() * 8)]));
  const alerts: Alert[] = [];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const rule = RULES[Math.floor(random() * RULES.length)];
    const priority = random() < 0.2 ? Math.floor(random() * 8) : usual.get(rule)!;
    const time = new Date(Date.parse('2026-11-20T10:00:00Z') + i * 1000).toISOString();
    lines.push(JSON.stringify({ hostname: 'node-1', output: `${time.slice(11, 23)}000000: ${PRIORITIES[priority]} ${rule} (n=${i})`, output_fields: { 'proc.name': 'x' }, priority: PRIORITIES[priority], rule, source: 'syscall', tags: [], time }));
    alerts.push({ line: i + 1, rule, priority });
  }
  return { text: `${lines.join('\n')}\n`, alerts };
}

function checkReport(markdown: string, alerts: Alert[], where: string) {
  const header = /^(\d+) alerts? from /m.exec(markdown);
  assert.equal(Number(header?.[1]), alerts.length, `${where}: header`);
  const sections = [...markdown.matchAll(/^## \d+\. (.+)\n\n(.+?), (\d+) alerts? \(lines? ([^)]*)\)\./gm)];
  assert.equal(sections.reduce((n, s) => n + Number(s[3]), 0), alerts.length, `${where}: the sections' counts`);
  let previousWorst = -1;
  for (const [, rule, priorities, count, lines] of sections) {
    const own = alerts.filter((a) => a.rule === rule);
    assert.equal(Number(count), own.length, `${where}: ${rule}'s count`);
    // Its priorities: one name when all agree, else each with its count, most severe first.
    const expected = [...new Set(own.map((a) => a.priority))].sort((a, b) => a - b);
    const said = expected.length === 1 ? PRIORITIES[expected[0]] : expected.map((p) => `${PRIORITIES[p]} (${own.filter((a) => a.priority === p).length})`).join(', ');
    assert.equal(priorities, said, `${where}: ${rule}'s priorities`);
    assert.ok(expected[0] >= previousWorst, `${where}: ${rule} is after a section less severe than it`);
    previousWorst = expected[0];
    const listed = lines.replace(/, …$/, '').split(', ').map(Number);
    assert.deepEqual(listed, own.slice(0, 10).map((a) => a.line), `${where}: ${rule}'s lines`);
    // Each priority of the section is explained once.
    const sectionText = markdown.slice(markdown.indexOf(`## `, markdown.indexOf(rule)) >= 0 ? markdown.indexOf(rule) : 0);
    for (const p of expected) assert.match(sectionText, new RegExp(`Priority ${PRIORITIES[p]}: `), `${where}: ${rule} explains ${PRIORITIES[p]}`);
  }
}

test('a report\'s counts, priorities, lines and order are those of its alerts, also where a rule\'s priority changed in the log', () => {
  const host = new TestHost();
  const alertsService = createAlertsService(host, fakeRules([]));
  for (const seed of [6, 13, 21, 34]) {
    const random = prng(seed);
    const { text, alerts } = randomLog(random, 5 + Math.floor(random() * 40));
    const doc = alertDoc(`r${seed}.json`, text);
    checkReport(alertsService.report(doc, doc.uri), alerts, `seed ${seed}`);
  }
});

test('a rule whose alerts have two priorities: both are said, with their counts, and the section sorts by the worse', () => {
  const line = (rule: string, priority: string, n: number) => JSON.stringify({ hostname: 'a', output: `10:00:0${n}.000000000: ${priority} ${rule}`, output_fields: {}, priority, rule, source: 'syscall', tags: [], time: `2026-11-20T10:00:0${n}.000000000Z` });
  const text = [line('Quiet rule', 'Error', 0), line('Changed rule', 'Warning', 1), line('Changed rule', 'Critical', 2), line('Changed rule', 'Warning', 3)].join('\n');
  const report = createAlertsService(new TestHost(), fakeRules([])).report(alertDoc('mixed.json', text), 'file:///logs/mixed.json');
  assert.match(report, /## 1\. Changed rule\n\nCritical \(1\), Warning \(2\), 3 alerts \(lines 2, 3, 4\)\./);
  assert.match(report, /## 2\. Quiet rule\n\nError, 1 alert \(line 1\)\./);
  assert.match(report, /Priority Critical: [^\n]*\n\nPriority Warning: /);
});
