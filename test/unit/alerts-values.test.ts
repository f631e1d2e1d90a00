// Field values shown for an alert come from the JSON output_fields when the alert has them; text alerts take them
// from the matched rule template, and only fall back to `key=value` tokens when no template matched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { alignWithFields } from '../../server/src/service/alerts/view';
import { TestHost, alertDoc, fakeRules, fixture, ruleSummaries, hostileProblems, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';

const CMDLINE = 'bash -c [x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>';
const md = (h: Hover | null | undefined) => (h ? (h.contents as { value: string }).value : '');

function whatHappened(report: string): string {
  const start = report.indexOf('### What happened');
  return report.slice(start, report.indexOf('\n### ', start + 1));
}

test('JSON alert: "What happened" shows proc.cmdline whole, from output_fields, with no bogus keys (no rules loaded)', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(fixture('falco-terminal-host.json'), 'file:///logs/t.json');
  const section = whatHappened(report);
  assert.ok(section.includes(`- \`proc.cmdline\` = \`${CMDLINE}\``), section);
  assert.ok(!section.includes('(unmapped)'), section);
  assert.doesNotMatch(section, /`src`|`onerror`/);
  // Each field once, in the order of the rule's output (not output_fields' alphabetical order).
  const fields = [...section.matchAll(/^- `([^`]+)` = /gm)].map((m) => m[1]);
  assert.equal(new Set(fields).size, fields.length);
  assert.ok(fields.indexOf('evt.type') < fields.indexOf('proc.cmdline') && fields.indexOf('proc.cmdline') < fields.indexOf('container.id'), fields.join(' '));
  assert.deepEqual(hostileProblems(report), []);
});

test('JSON alert with rules loaded: the same whole value, and the template match agrees with output_fields', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  const section = whatHappened(s.report(fixture('falco-terminal-host.json'), 'file:///logs/t.json'));
  assert.ok(section.includes(`- \`proc.cmdline\` = \`${CMDLINE}\``), section);
  assert.ok(!section.includes('(unmapped)'), section);
});

test('a hover inside the command line of a JSON alert\'s output explains proc.cmdline, not a key "src"', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const text = fixture('falco-terminal-host.json');
  const col = text.indexOf('src=x onerror');
  assert.ok(col > 0 && col < text.indexOf('"output_fields"'), 'the needle is inside "output"');
  const hover = md(s.hover!(alertDoc('t.json', text), { line: 0, character: col + 1 }));
  assert.match(hover, /`proc\.cmdline`/);
  assert.ok(hover.includes(`Value: \`${CMDLINE}\``), hover);
  const terminal = md(s.hover!(alertDoc('t.json', text), { line: 0, character: text.indexOf('terminal=34816') + 'terminal='.length }));
  assert.match(terminal, /`proc\.tty`/);
  assert.match(terminal, /Value: `34816`/);
});

test('text alert: the rule template gives proc.cmdline whole; "key=value" tokens are used only when no template matched', { skip: !corpusExists && 'corpus absent' }, () => {
  const text = fixture('falco-terminal-host.log');
  const identified = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES))).report(text, 'file:///logs/t.log');
  assert.match(identified, /## 1\. Terminal shell in container/);
  const section = whatHappened(identified);
  assert.ok(section.includes(`- \`proc.cmdline\` = \`${CMDLINE}\``), section);
  assert.ok(!section.includes('(unmapped)'), section);
  // Without the rules, the line is unidentified and read by its tokens (and says so).
  const unidentified = createAlertsService(new TestHost(), fakeRules([])).report(text, 'file:///logs/t.log');
  assert.match(unidentified, /The rule is unidentified/);
  assert.match(whatHappened(unidentified), /`src` \(unmapped\)/);
});

test('alignWithFields stretches a token to its output_fields value and drops the keys inside it', () => {
  const line = 'cmd=a b=c d=e user=root';
  const tokens = [
    { field: 'proc.cmdline', key: 'cmd', keyStart: 0, start: 4, end: 5, how: 'catalog' as const },
    { key: 'b', keyStart: 6, start: 8, end: 9, how: 'unknown' as const },
    { key: 'd', keyStart: 10, start: 12, end: 13, how: 'unknown' as const },
    { field: 'user.name', key: 'user', keyStart: 14, start: 19, end: 23, how: 'catalog' as const },
  ];
  const aligned = alignWithFields(line, tokens, new Map([['proc.cmdline', 'a b=c d=e'], ['user.name', 'root']]));
  assert.deepEqual(aligned.map((t) => [t.key, line.slice(t.start, t.end)]), [['cmd', 'a b=c d=e'], ['user', 'root']]);
  // A value that the text does not start with (rendered differently) leaves the tokens as they are.
  assert.equal(alignWithFields(line, tokens, new Map([['proc.cmdline', 'zzz']])).length, 4);
});
