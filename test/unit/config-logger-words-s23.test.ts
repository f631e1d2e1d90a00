// Session 23: a log level or sinsp severity that abbreviates one word is that word, before a far typo (`emerg` is
// three edits from `alert`: closest.ts nearMiss), and a word of Falco's other logger is the word of its rank
// (engine/logger.cpp set_level and decode_sinsp_severity at 0.44.0; logger.h falco_logger::level EMERG = 0 … DEBUG,
// falcosecurity_log_severity FATAL = 1 … TRACE = 8). Each gets "Did you mean" and the quick fix writing the word.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { doc, message, service, show, STARTS } from './config-service-helpers';
import { applyEdits, editsFor } from './rules-host';

const MAIN = '/etc/falco/falco.yaml';

/** The one start refusal of a snippet, its quick fixes' titles and the text after the first (which must be clean). */
function fixed(snippet: string): { message: string; titles: string[]; after: string } {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-start-fails');
  assert.equal(found.length, 1, show(found));
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
  const after = applyEdits(text, editsFor(actions[0].edit!, d.uri));
  const again = s.config.diagnostics(doc(MAIN, after, 2));
  assert.deepEqual(again, [], show(again));
  return { message: message(found[0]), titles: actions.map((a) => a.title), after: after.slice(STARTS.length) };
}

const LIBS = (severity: string) => `libs_logger:\n  enabled: true\n  severity: ${severity}\n`;

test('syslog\'s short names are the words they abbreviate, not a far typo', () => {
  const emerg = fixed('log_level: emerg\n');
  assert.match(emerg.message, /unknown log level 'emerg' .* Did you mean 'emergency'\?$/);
  assert.deepEqual([emerg.titles, emerg.after], [['Change to \'emergency\''], 'log_level: emergency\n']);
  assert.equal(fixed('priority: emerg\n').after, 'priority: emergency\n');
  assert.equal(fixed('log_level: Emerg # pager\n').after, 'log_level: emergency # pager\n');
});

test('a word of the other logger is the word of its rank', () => {
  const fatal = fixed('log_level: fatal\n');
  assert.equal(fatal.message, 'Falco refuses to start: unknown log level \'fatal\' (emergency, alert, critical, error, warning, notice, info, debug, in lower case). \'fatal\' is a word of libs_logger.severity: its rank here is \'alert\'. Did you mean \'alert\'?');
  assert.equal(fatal.after, 'log_level: alert\n');
  const trace = fixed('log_level: trace\n');
  assert.match(trace.message, /'trace' is a word of libs_logger.severity: the nearest rank here is 'debug'\. Did you mean 'debug'\?$/);
  assert.equal(trace.after, 'log_level: debug\n');
  assert.equal(fixed(LIBS('alert')).after, LIBS('fatal'));
  assert.match(fixed(LIBS('emergency')).message, /'emergency' is a word of log_level: the nearest rank here is 'fatal'\. Did you mean 'fatal'\?$/);
  assert.equal(fixed(LIBS('Emergency')).after, LIBS('fatal'));
});
