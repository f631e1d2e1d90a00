// Keys of Falco's first configuration schema (0.39.0) that Falco 0.37 or 0.38 does not read yet: the schema marks
// them all 0.39, falcoConfigLegacy.ts says which came with 0.38 or 0.39 (configuration.cpp at 0.37.0, 0.38.0, 0.39.0).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-types';
import { STARTS_037, check, doc, message, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'falco-config');

/** The keys reported too new in Falco's own falco.yaml of `release`, read at `target`. */
function tooNew(release: string, target: string): string[] {
  const text = fs.readFileSync(path.join(FIXTURES, `falco-${release}.yaml`), 'utf8');
  return check({ [MAIN]: text }, MAIN, { falcoVersion: target })
    .filter((d) => d.code === 'config-key-too-new')
    .map((d) => `${String((d.data as { path?: string; key?: string }).path ?? (d.data as { key?: string }).key)} ${(d.data as { since: string }).since}`);
}

test('falco.yaml of 0.40.0 read by 0.38 and 0.37: the keys that came with 0.38 and 0.39 are said to be ignored', () => {
  assert.deepEqual(tooNew('0.40.0', '0.38'), [
    'buffer_format_base64 0.40', 'json_include_message_property 0.39', 'append_output 0.39',
    'metrics.kernel_event_counters_per_cpu_enabled 0.39', 'metrics.plugins_metrics_enabled 0.39', 'metrics.jemalloc_stats_enabled 0.40',
    'falco_libs.snaplen 0.40', 'container_engines 0.39',
  ]);
  const at037 = tooNew('0.40.0', '0.37');
  for (const key of ['falco_libs 0.38', 'webserver.prometheus_metrics_enabled 0.38', 'metrics.rules_counters_enabled 0.38', 'append_output 0.39', 'container_engines 0.39']) {
    assert.ok(at037.includes(key), `${key} in ${at037.join(', ')}`);
  }
  // config_files and rules_files are told once each, by the load checks, in their own words.
  assert.equal(at037.filter((k) => k.startsWith('config_files')).length, 1, at037.join('\n'));
  assert.equal(at037.filter((k) => k.startsWith('rules_files')).length, 1, at037.join('\n'));
  // Each release's own file is clean at its release (the 0.38 list is exactly what 0.38.0 reads and 0.37.0 does not).
  assert.deepEqual(tooNew('0.38.0', '0.38'), []);
  assert.deepEqual(tooNew('0.39.0', '0.39'), []);
});

test('a key every release reads: no "Falco ≥ 0.39" in its hover or completion at 0.37; an unknown key gets a suggestion', () => {
  const { service: s } = service({}, '0.37');
  const text = `${STARTS_037}priority: debug\nmetrics:\n  `;
  const hover = s.config.hover!(doc(MAIN, text), { line: 2, character: 3 });
  const value = (hover!.contents as MarkupContent).value;
  assert.match(value, /\*\*priority\*\*/);
  assert.doesNotMatch(value, /Falco ≥|does not read it/, value);
  // The default shown is 0.44's falco.yaml (0.37's says `debug` too, but engine.kind's differ): the hover says whose.
  assert.match(value, /Default in Falco 0\.44's falco\.yaml: `debug`/, value);
  const items = s.config.completion!(doc(MAIN, text), { line: 4, character: 2 })!.items;
  const detail = (label: string): string | undefined => items.find((i) => i.label === label)?.detail;
  assert.equal(detail('enabled'), 'boolean');
  assert.equal(detail('rules_counters_enabled'), 'Falco ≥ 0.38');
  assert.equal(detail('plugins_metrics_enabled'), 'Falco ≥ 0.39');
  const appendHover = s.config.hover!(doc(MAIN, `${STARTS_037}append_output: []\n`), { line: 2, character: 3 });
  assert.match((appendHover!.contents as MarkupContent).value, /Falco ≥ 0\\\.39 \(the target, Falco 0\\\.37, does not read it\)/);
  const typo = check({}, MAIN, { text: `${STARTS_037}prority: debug\n`, falcoVersion: '0.37' });
  assert.equal(typo.length, 1, show(typo));
  assert.match(message(typo[0]), /silently ignores it\. Did you mean 'priority'\?/);
});
