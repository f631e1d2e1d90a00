// Session 22: a boolean key whose value yaml-cpp cannot read as a boolean (`buffered_outputs: ture`) gets a "Did you
// mean" and a quick fix where the value is within two edits of true or false, or one of yaml-cpp's boolean words in a
// casing it refuses (src/convert.cpp convert<bool>::decode and IsFlexibleCase at c2bec4c: y/yes/true/on, n/no/false/off
// in lower case, upper case or capitalized only). Falco reads such a value with get_scalar<bool>'s default
// (configuration.cpp:459 at 0.44.0, `buffered_outputs`), and its schema validation fails on it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STARTS, doc, message, service, show } from './config-service-helpers';
import { applyEdits, editsFor } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

const MAIN = '/etc/falco/falco.yaml';

function fixed(snippet: string): { message: string; titles: string[]; after: string } {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d);
  assert.equal(found.length, 1, show(found));
  assert.equal(found[0].code, 'config-wrong-type');
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  const after = actions.length === 1 ? applyEdits(text, editsFor(actions[0].edit!, d.uri)) : text;
  if (actions.length === 1) {
    const again = s.config.diagnostics(doc(MAIN, after, 2));
    assert.deepEqual(again, [], show(again));
  }
  return { message: message(found[0]), titles: actions.map((a) => a.title), after: after.slice(STARTS.length) };
}

test('a boolean typo: Did you mean, and a fix writing the boolean (quotes and comment handled)', () => {
  const ture = fixed('buffered_outputs: ture\n');
  assert.equal(ture.message, 'buffered_outputs should be true or false, not a string. Falco cannot convert it and silently uses the default (false), and its schema validation fails on it. Did you mean \'true\'?');
  assert.deepEqual([ture.titles, ture.after], [['Change to \'true\''], 'buffered_outputs: true\n']);
  assert.equal(fixed('json_output: flase # loud\n').after, 'json_output: false # loud\n');
  assert.equal(fixed('json_output: "tru"\n').after, 'json_output: true\n');
  assert.equal(fixed('file_output:\n  enabled: true\n  filename: /tmp/x\n  keep_alive: fasle\n').after, 'file_output:\n  enabled: true\n  filename: /tmp/x\n  keep_alive: false\n');
  assert.equal(fixed('syslog_output:\n  enabled: treu\n').after, 'syslog_output:\n  enabled: true\n');
  // A word of yaml-cpp's in a casing it does not read.
  assert.equal(fixed('time_format_iso_8601: tRUE\n').after, 'time_format_iso_8601: true\n');
  assert.equal(fixed('log_stderr: oN\n').after, 'log_stderr: true\n');
  assert.equal(fixed('log_syslog: nO\n').after, 'log_syslog: false\n');
});

test('no suggestion where the value is not near a boolean, nor for other types', () => {
  for (const snippet of ['buffered_outputs: nope\n', 'buffered_outputs: 1\n', 'output_timeout: 2000ms\n', 'falco_libs:\n  snaplen: 80b\n']) {
    const result = fixed(snippet);
    assert.doesNotMatch(result.message, /Did you mean/, snippet);
    assert.deepEqual(result.titles, [], snippet);
  }
});

test('the chart\'s falco: values get the fix on the host\'s line', () => {
  const { service: s } = service({});
  const host = 'falco:\n  json_output: ture\n  stdout_output:\n    enabled: true\n';
  const d = openHost(s, host, 'file:///ws/values.yaml');
  const found = s.embedded.diagnostics(d).filter((x) => x.code === 'config-wrong-type');
  assert.deepEqual(found.map((x) => textAt(host, x)), ['ture']);
  const actions = s.embedded.codeActions!(d, found[0].range, { diagnostics: found });
  assert.deepEqual(actions.map((a) => a.title), ['Change to \'true\'']);
  assert.equal(applyEdits(host, editsFor(actions[0].edit!, d.uri)), host.replace('ture', 'true'));
});
