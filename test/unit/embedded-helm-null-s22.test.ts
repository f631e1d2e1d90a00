// Session 22: a key of the chart's `falco:` values set to null (`~`, `null`, nothing) is removed by Helm when it lays
// the values given to the chart over the chart's own, the chart's default with it (helm pkg/chartutil/coalesce.go
// coalesceTablesFullKey at v3.19.5), so falco.yaml does not have it and Falco uses its own default: that is how a
// values file drops one of the chart's settings. Falco Lens read the null as written, as yaml-cpp would: false errors
// ('log_level should be a string, not an empty value', "unknown log level 'null'"). Now the pair is left out of the
// text checked, with an information at its key; a block mapping left empty is `{}`, as toYaml writes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { MemoryHost } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

function checked(text: string): [string, string, string][] {
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(s, text, 'file:///ws/values.yaml');
  return s.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(text, d), typeof d.message === 'string' ? d.message : '']);
}

test('a null value removes the key: an information, and no finding of the null', () => {
  const values = 'falco:\n  stdout_output:\n    enabled: true\n  log_level: ~\n  rules_files: null\n  webserver:\n  http_output: {enabled: ~, url: "http://x"}\n';
  const found = checked(values);
  assert.deepEqual(found.map(([code, at]) => [code, at]), [
    ['embedded-helm-null-key', 'log_level'], ['embedded-helm-null-key', 'rules_files'], ['embedded-helm-null-key', 'webserver'], ['embedded-helm-null-key', 'enabled'],
  ]);
  assert.equal(found[3][2], 'Helm removes a key set to null from the values it lays over the chart\'s (a value given to the chart: the chart\'s own default of it goes too), so falco.yaml has no \'http_output.enabled\' and Falco uses its own default. Falco Lens checks the values without it. (Where the chart\'s values.yaml does not have the key, Helm 3.19.5 to 4.1 remove it too, and other releases write it into falco.yaml as null.)');
  // Positions stay: the pairs are blanked, the same length.
  assert.deepEqual(analyzeHost(values).files.map((f) => f.text), ['stdout_output:\n  enabled: true\n            \n                 \n          \nhttp_output: {            url: "http://x"}\n']);
});

test('a mapping whose keys are all null is written as {}', () => {
  const values = 'falco:\n  stdout_output:\n    enabled: true\n  syslog_output:\n    enabled: ~\n  log_level: info\n';
  assert.deepEqual(analyzeHost(values).files.map((f) => f.text), ['stdout_output:\n  enabled: true\nsyslog_output:\n  {}        \nlog_level: info\n']);
  assert.deepEqual(checked(values).map(([code, at]) => [code, at]), [['embedded-helm-null-key', 'enabled']]);
});
