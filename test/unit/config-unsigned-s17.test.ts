// Integer keys Falco reads into unsigned C++ types (configuration.cpp at 0.44.1): yaml-cpp refuses a leading '-' and a
// value past the type (convert.h at c2bec4c), and get_scalar then gives the default; the schema's `integer` passes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STARTS, at, check, message, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

test('a negative or too large value of an unsigned key: Falco silently uses the default', () => {
  const text = `${STARTS}webserver:\n  threadiness: -1\n  listen_port: 8765\noutputs_queue:\n  capacity: 10\n`
    + 'engine:\n  kind: modern_ebpf\n  modern_ebpf:\n    cpus_for_each_buffer: 70000\nhttp_output:\n  max_consecutive_timeouts: 255\n'
    + 'output_timeout: 4294967296\nfalco_libs:\n  snaplen: 18446744073709551615\n';
  const found = check({}, MAIN, { text });
  // 255 converts (one byte), but sets no limit to the retries: config-endless (config-http-retries-s25).
  assert.deepEqual(at(found), [['config-out-of-range', 3, 15], ['config-out-of-range', 10, 26], ['config-out-of-range', 13, 16], ['config-endless', 12, 28]], show(found));
  assert.match(message(found[0]), /^Falco reads webserver\.threadiness as an unsigned 32-bit integer \(0 to 4294967295\), which '-1' does not convert to: it silently uses the default \(0\), and its schema validation does not object\.$/);
  assert.match(message(found[1]), /unsigned 16-bit integer \(0 to 65535\), which '70000' does not convert to: it silently uses the default \(2\)/);
  assert.match(message(found[2]), /output_timeout as an unsigned 32-bit integer/);
  // Before 0.39 there is no schema to speak of.
  const old = check({}, MAIN, { text: `stdout_output: {enabled: true}\nrules_files: [/etc/falco/falco_rules.yaml]\nwebserver:\n  threadiness: -0\n`, falcoVersion: '0.38' });
  assert.equal(old.length, 1, show(old));
  assert.match(message(old[0]), /which '-0' does not convert to: it silently uses the default \(0\)\.$/);
});
