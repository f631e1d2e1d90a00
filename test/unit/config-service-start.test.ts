// Values Falco reads differently from how they look: an empty value reads as the text 'null' (yaml-cpp), and
// libs_logger is on when its `enabled` is absent (0.41+).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OUTPUT, at, check, message, show } from './config-service-helpers';

test('an empty value reads as the text null (yaml-cpp as<std::string>): refused where a word is needed, a name elsewhere', () => {
  // A filename 'null' is a file named null: no refusal (the schema still warns that the value is empty).
  const empty = check({}, '/work/falco.yaml', { text: `${OUTPUT}file_output:\n  enabled: true\n  filename:\n` });
  assert.ok(!empty.some((d) => d.code === 'config-start-fails'), show(empty));
  for (const [text, expected] of [
    ['log_level:\n', /unknown log level 'null' \(an empty value reads as the text 'null'\)/],
    ['priority: ~\n', /unknown priority 'null'/],
    ['webserver:\n  listen_address: ""\n', /listen address is empty/],
  ] as const) {
    const found = check({}, '/work/falco.yaml', { text: OUTPUT + text }).filter((d) => d.code === 'config-start-fails');
    assert.equal(found.length, 1, text);
    assert.match(message(found[0]), expected);
  }
  // libs_logger is on when `enabled` is absent from 0.41 on: its severity is then read.
  const severity = `${OUTPUT}libs_logger:\n  severity: verbose\n`;
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: severity })).map((x) => x[0]), ['config-start-fails']);
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: severity, falcoVersion: '0.40' })), []);
});
