// Session 25: http_output.max_consecutive_timeouts. Falco 0.41.0-0.44.1 read it with get_scalar<uint8_t>(…, 5)
// (configuration.cpp) and retry a post while curl says CURLE_OPERATION_TIMEDOUT and a uint8_t count of the posts is
// `<=` the value (outputs_http.cpp output()): N gives N retries, 0 none, and 255 never ends (the count is always at
// most 255 and wraps to 0). loadChecks.ts checkHttpRetries (config-endless), the value's hover (httpRetriesReading).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { applyEdits } from './rules-host';
import { STARTS, at, check, doc, message, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const http = (value: string, enabled = true) => `${STARTS}http_output:\n  enabled: ${enabled}\n  url: http://sidekick:2801/\n  max_consecutive_timeouts: ${value}\n`;

test('255 retries a timed-out post without end: a warning with a fix writing 254', () => {
  for (const value of ['255', '0xff', '0377', '"255"']) {
    // 0xff and 0377 are 255 to yaml-cpp (the schema's check says it wants plain digits: config-wrong-type).
    const found = check({}, MAIN, { text: http(value) }).filter((d) => d.code !== 'config-wrong-type');
    assert.deepEqual(at(found), [['config-endless', 5, 28]], `${value}\n${show(found)}`);
    assert.match(message(found[0]), /sets no limit: Falco counts the posts of an alert in one byte, which is always at most 255, so while the server times out it posts the same alert again without end, and every other output waits behind it/);
    const { service: s } = service({});
    const d = doc(MAIN, http(value));
    const fix = s.config.codeActions!(d, found[0].range, { diagnostics: [found[0]] }).find((a) => a.edit);
    assert.equal(fix?.title, 'Write 254 (the most retries that end)');
    assert.equal(applyEdits(http(value), Object.values(fix!.edit!.changes!)[0]), http('254'));
  }
  // The output off: the same value, said for when it is turned on.
  const off = check({}, MAIN, { text: `${STARTS}http_output:\n  enabled: false\n  max_consecutive_timeouts: 255\n` });
  assert.deepEqual(at(off), [['config-endless', 4, 28]], show(off));
  assert.match(message(off[0]), /without end \(once http_output is enabled\)/);
});

test('values that end are not flagged; past one byte is the schema check\'s (Falco uses 5); before 0.41 the key is not read', () => {
  for (const value of ['0', '5', '254']) assert.deepEqual(check({}, MAIN, { text: http(value) }), [], value);
  assert.deepEqual(at(check({}, MAIN, { text: http('256') })), [['config-out-of-range', 5, 28]]);
  const old = check({}, MAIN, { text: http('255'), falcoVersion: '0.40' });
  assert.deepEqual(old.filter((d) => d.code === 'config-endless'), [], show(old));
});

test('the value\'s hover says how many posts Falco makes', () => {
  const hover = (value: string, version = '0.44') => {
    const { service: s } = service({}, version);
    const h = s.config.hover!(doc(MAIN, http(value)), { line: 5, character: 29 });
    return (h?.contents as MarkupContent | undefined)?.value ?? '';
  };
  assert.match(hover('255'), /^Falco 0\\\.44 reads `255` as 255, which sets no limit: the count of posts, one byte, is always at most 255, so a post that keeps timing out is retried without end/);
  assert.match(hover('0'), /^Falco 0\\\.44 reads `0` as 0, so an alert whose post times out is not posted again: Falco logs "libcurl failed to perform call" and goes on\. Only timeouts are retried\./);
  assert.match(hover('3'), /posted again up to 3 times \(4 posts in all\)/);
  assert.match(hover('1'), /posted again up to 1 time \(2 posts in all\)/);
  assert.match(hover('300'), /^Falco 0\\\.44 cannot read `300` as one byte \(0–255\) and uses 5, without a word, so an alert whose post times out is posted again up to 5 times \(6 posts in all\)/);
  // The key's own hover follows; 0.40 does not read the key: only the key's hover.
  assert.ok(hover('3').includes('**http\\_output\\.max\\_consecutive\\_timeouts** (Falco configuration)'), hover('3'));
  assert.match(hover('255', '0.40'), /^\*\*http/);
});
