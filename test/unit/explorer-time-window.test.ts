// The Alert Explorer's time filter choices: windows end at the log's latest alert; typed times are UTC unless they
// carry an offset; bad input is an error message, not a filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWindow, lastWindow, parseBetween } from '../../client/src/explorer/timeWindow';

const T = (iso: string) => Date.parse(iso);

test('a window ends at the latest alert of the log', () => {
  assert.deepEqual(lastWindow(T('2026-01-02T13:00:00Z'), 3600_000), { since: T('2026-01-02T12:00:00Z'), until: T('2026-01-02T13:00:00Z') });
});

test('typed times: UTC by default, offsets honoured, open ends, nanoseconds cut to milliseconds', () => {
  assert.deepEqual(parseBetween('2026-01-02T12:00Z 2026-01-02T13:00Z'), { since: T('2026-01-02T12:00:00Z'), until: T('2026-01-02T13:00:00Z') });
  assert.deepEqual(parseBetween('2026-01-02T12:00 2026-01-02T13:30:15'), { since: T('2026-01-02T12:00:00Z'), until: T('2026-01-02T13:30:15Z') }, 'no offset: UTC, as Falco writes');
  assert.deepEqual(parseBetween('2026-01-02T14:00+02:00'), { since: T('2026-01-02T12:00:00Z') });
  assert.deepEqual(parseBetween('2026-01-02T14:00:00.5+0200'), { since: T('2026-01-02T12:00:00.5Z') }, 'Falco text alerts write +0000');
  assert.deepEqual(parseBetween('.. 2026-01-02T13:00:00.123456789Z'), { until: T('2026-01-02T13:00:00.123Z') });
  assert.deepEqual(parseBetween('2026-01-02'), { since: T('2026-01-02T00:00:00Z') });
});

test('bad input is an error message', () => {
  for (const bad of ['', 'yesterday', '2026-01-02T13:00Z 2026-01-02T12:00Z', '.. ..', 'a b c', '2026-13-45T99:99Z']) {
    const got = parseBetween(bad);
    assert.ok('error' in got, `${JSON.stringify(bad)} → ${JSON.stringify(got)}`);
  }
});

test('the view message names the window', () => {
  assert.equal(describeWindow(T('2026-01-02T12:00:00Z'), T('2026-01-02T13:00:00Z')), '2026-01-02 12:00:00Z to 2026-01-02 13:00:00Z');
  assert.equal(describeWindow(T('2026-01-02T12:00:00.5Z'), undefined), 'from 2026-01-02 12:00:00.500Z');
  assert.equal(describeWindow(undefined, undefined), undefined);
});
