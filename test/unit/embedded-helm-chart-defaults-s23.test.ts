// Session 23: a null in the chart's falco: values was always taken for a value given to the chart, which Helm removes
// (coalesce.go coalesceTablesFullKey). A chart's own values.yaml (the file Helm's loader takes as the chart's values,
// beside Chart.yaml: pkg/chart/loader/load.go at v3.19.5) holds the chart's defaults instead: where the values given
// at install leave the key out, coalescing copies the default, null too (`dst[key] = val`, every release), and the
// chart's toYaml writes `null` into falco.yaml. What is possible: the file's place tells the chart's defaults from
// values given to the chart; which values an install gives over them is not known. So a chart's own values.yaml is
// checked with its nulls as falco.yaml holds them, and the information about Helm removing a null key says which
// releases keep a key the chart has no value for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

const VALUES = 'falco:\n  stdout_output:\n    enabled: true\n  log_level: ~\n';
const CHART = 'apiVersion: v2\nname: falco\nversion: 9.1.0\n';

function checked(files: Record<string, string>, uri: string, text = VALUES): [string, string, string][] {
  const s = new FalcoLanguageService(new MemoryHost(files, { folders: ['/ws'] }));
  const doc = openHost(s, text, uri);
  return s.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(text, d), String(d.message)]);
}

test('a chart\'s own values.yaml: its nulls are the chart\'s defaults, written into falco.yaml as null and checked so', () => {
  const found = checked({ '/ws/charts/falco/Chart.yaml': CHART }, 'file:///ws/charts/falco/values.yaml');
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['config-wrong-type', '~'], ['config-start-fails', '~']]);
  assert.match(found[1][2], /^Falco refuses to start: unknown log level 'null'/);
});

test('a values file given to the chart (no Chart.yaml beside it, or another name): the null key is removed', () => {
  const removal = 'Helm removes a key set to null from the values it lays over the chart\'s (a value given to the chart: the chart\'s own default of it goes too), so falco.yaml has no \'log_level\' and Falco uses its own default. Falco Lens checks the values without it. (Where the chart\'s values.yaml does not have the key, Helm 3.19.5 to 4.1 remove it too, and other releases write it into falco.yaml as null.)';
  assert.deepEqual(checked({}, 'file:///ws/deploy/values.yaml'), [['embedded-helm-null-key', 'log_level', removal]]);
  assert.deepEqual(checked({ '/ws/charts/falco/Chart.yaml': CHART }, 'file:///ws/charts/falco/values-prod.yaml'), [['embedded-helm-null-key', 'log_level', removal]]);
  // An umbrella chart's own values.yaml: its falco: key is the subchart's values, given to it, whose nulls go.
  const umbrella = `falco:\n${VALUES.replace(/^/gm, '  ').trimEnd()}\n`;
  assert.deepEqual(checked({ '/ws/umbrella/Chart.yaml': CHART }, 'file:///ws/umbrella/values.yaml', umbrella).map(([code, at]) => [code, at]), [['embedded-helm-null-key', 'log_level']]);
});
