// Session 18: a value that is none of a key's words gets a "Did you mean" and its quick fix where one word stands
// out (closest.ts nearMiss): another case (`INFO`), a typo, or a word it starts with (`information` → `info`).
// Falco compares log_level exactly (userspace/engine/logger.cpp set_level at 0.44.0: "Unknown log level").
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { doc, message, service, show, STARTS } from './config-service-helpers';
import { applyEdits, editsFor } from './rules-host';

const MAIN = '/etc/falco/falco.yaml';

function fixed(snippet: string, code: string): { message: string; titles: string[]; after: string } {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === code);
  assert.equal(found.length, 1, show(found));
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
  const after = applyEdits(text, editsFor(actions[0].edit!, d.uri));
  const again = s.config.diagnostics(doc(MAIN, after, 2));
  assert.deepEqual(again, [], show(again));
  return { message: message(found[0]), titles: actions.map((a) => a.title), after: after.slice(STARTS.length) };
}

test('log_level near misses: a word it starts with, another case, a typo', () => {
  const information = fixed('log_level: information\n', 'config-start-fails');
  assert.match(information.message, /unknown log level 'information' .* Did you mean 'info'\?$/);
  assert.deepEqual([information.titles, information.after], [['Change to \'info\''], 'log_level: info\n']);
  assert.equal(fixed('log_level: INFO # loud\n', 'config-start-fails').after, 'log_level: info # loud\n');
  assert.equal(fixed('log_level: "warn"\n', 'config-start-fails').after, 'log_level: warning\n');
  assert.equal(fixed('log_level: crit\n', 'config-start-fails').after, 'log_level: critical\n');
  assert.equal(fixed('libs_logger:\n  enabled: true\n  severity: Warn\n', 'config-start-fails').after, 'libs_logger:\n  enabled: true\n  severity: warning\n');
  assert.equal(fixed('engine:\n  kind: KMOD\n', 'config-start-fails').after, 'engine:\n  kind: kmod\n');
});

test('a value two findings judge gets one quick fix (the schema\'s enumeration and the start check)', () => {
  const text = `${STARTS}capture:\n  mode: rule\n`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d);
  assert.deepEqual(found.map((x) => [x.code, message(x).endsWith('Did you mean \'rules\'?')]), [['config-not-in-enum', true], ['config-start-fails', true]]);
  assert.deepEqual(s.config.codeActions!(d, found[0].range, { diagnostics: found }).map((a) => a.title), ['Change to \'rules\'']);
});

test('no "Did you mean" where no word stands out', () => {
  const text = `${STARTS}log_level: loud\n`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d);
  assert.equal(found.length, 1, show(found));
  assert.doesNotMatch(message(found[0]), /Did you mean/);
  assert.deepEqual(s.config.codeActions!(d, found[0].range, { diagnostics: found }), []);
});
