// A time filter cannot place a text alert whose time is a time of day alone (`10:00:00.123456789: Warning …`, as
// Falco writes with time_format_iso_8601: false): in a log mixing such alerts with dated ones, the filter leaves
// them out and says how many, in the groups answer, a selection's answer (the report's) and the view's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { MemorySource } from '../helpers/memorySource';
import { viewTexts } from '../../client/src/explorer/treeText';
import type { ExplorerLogInfo } from '../../server/src/protocol';

const json = (rule: string, priority: string, time: string, output: string) =>
  `{"hostname":"node-1","output":"${time.slice(11, 29)}: ${priority} ${output}","output_fields":{},"priority":"${priority}","rule":"${rule}","source":"syscall","tags":[],"time":"${time}"}`;

const LOG = [
  json('Terminal shell in container', 'Notice', '2026-03-02T09:00:00.000000001Z', 'A shell was spawned | process=bash'),
  json('Terminal shell in container', 'Notice', '2026-03-02T09:00:05.000000002Z', 'A shell was spawned | process=sh'),
  '10:00:00.123456789: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat',
  '10:00:01.123456789: Warning Sensitive file opened for reading by non-trusted program | file=/etc/sudoers process=cat',
  '10:00:02.123456789: Debug Sensitive file opened for reading by non-trusted program | file=/etc/passwd process=less',
  // A text alert with a date is placed by the window like a JSON one.
  '2026-03-02T09:00:06.000000000+0000: Warning Sensitive file opened for reading by non-trusted program | file=/etc/group process=cat',
  '',
].join('\n');

const WINDOW = { since: Date.parse('2026-03-02T09:00:04Z'), until: Date.parse('2026-03-02T09:00:10Z') };
const SENSITIVE = 'Sensitive file opened for reading by non-trusted program';

function store(): AlertStore {
  const s = new AlertStore(new MemorySource(LOG));
  s.indexMore();
  return s;
}

test('a time filter says how many alerts without a date it left out, of those passing the rest of the filter', () => {
  const s = store();
  assert.equal(s.total, 6);
  const windowed = s.groups('rule', WINDOW);
  assert.equal(windowed.matching, 2, 'the dated alerts in the window');
  assert.equal(windowed.undated, 3);
  assert.equal(s.groups('rule', { ...WINDOW, minPriority: 4 }).undated, 2, 'the Debug one fails the priority filter anyway');
  assert.equal(s.groups('rule', { since: WINDOW.since, text: 'process=cat' }).undated, 2, 'a text filter counts as the rest of the filter');
  assert.equal(s.groups('rule', { until: WINDOW.until, rules: ['Terminal shell in container'] }).undated, 0);
  // No time bound: nothing is left out for lack of a date, and the answer has no count.
  assert.equal(s.groups('rule').undated, undefined);
  assert.equal(s.groups('rule', { minPriority: 4 }).undated, undefined);
});

test('a selection\'s latest alerts (the report\'s) count the undated alerts of its group only', () => {
  const s = store();
  const sensitive = s.latestMatching('rule', SENSITIVE, WINDOW, 10);
  assert.deepEqual([sensitive.ids.length, sensitive.total, sensitive.undated], [1, 1, 3]);
  const shell = s.latestMatching('rule', 'Terminal shell in container', WINDOW, 10);
  assert.deepEqual([shell.total, shell.undated], [1, 0]);
  assert.equal(s.latestMatching(undefined, undefined, WINDOW, 10).undated, 3);
  assert.equal(s.latestMatching(undefined, undefined, undefined, 10).undated, undefined);
});

test('the view\'s message says how many undated alerts the time window left out', () => {
  const log: ExplorerLogInfo = { logId: '1', path: '/var/log/falco.log', total: 6, indexedBytes: 10, totalBytes: 10, done: true, following: false, unparsed: 0 };
  const filter = { ...WINDOW };
  const window = '2026-03-02T09:00:04Z to 2026-03-02T09:00:10Z';
  assert.equal(viewTexts(log, 'rule', true, filter, window, 3).message,
    `6 alerts · by rule · duplicates folded · filter ${window} · 3 alerts without a date (time of day only) left out by the time filter`);
  assert.match(viewTexts(log, 'rule', true, filter, window, 1).message, / 1 alert without a date/);
  assert.doesNotMatch(viewTexts(log, 'rule', true, filter, window, 0).message, /without a date/);
  assert.doesNotMatch(viewTexts(log, 'rule', true, {}, undefined, 3).message, /without a date/, 'no window, nothing said');
});
