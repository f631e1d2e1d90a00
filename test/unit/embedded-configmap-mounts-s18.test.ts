// Session 18: which file of the pod a ConfigMap's entry is depends on the pod's volumes and mounts (core/v1: a
// configMap volume holds each key as a file of its name, or only its `items` under their `path`; a volumeMount puts
// the volume at mountPath, or with `subPath` one file of it). Where the manifest holds the workload that mounts the
// ConfigMap, config_files paths are matched with the entries at the paths it mounts them (Falco hands the path to
// std::filesystem as written, configuration.cpp merge_config_files 0.38.0-0.44.1); otherwise Falco Lens still takes
// an entry for the path naming its key, and says so in the findings naming it and in the path's hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { message, openHost, positionOf, textAt } from './embedded-helpers';

function configMap(entries: Record<string, string>): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: falco', 'data:'];
  for (const [key, text] of Object.entries(entries)) lines.push(`  ${key}: |-`, ...text.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : `    ${l}`)));
  return `${lines.join('\n')}\n`;
}

/** A DaemonSet whose container falco mounts volume `config` (ConfigMap falco, `items` if given) as `mounts` say. */
function daemonSet(mounts: string[], items?: [string, string][]): string {
  const itemLines = items ? ['        items:', ...items.flatMap(([key, path]) => [`          - key: ${key}`, `            path: ${path}`])] : [];
  return ['---', 'apiVersion: apps/v1', 'kind: DaemonSet', 'metadata:', '  name: falco', 'spec:', '  template:', '    spec:', '      containers:',
    '        - name: falco', '          image: falcosecurity/falco:0.44.0', '          volumeMounts:', ...mounts.map((m) => `            - ${m}`),
    '      volumes:', '        - name: config', '          configMap:', '            name: falco', ...itemLines.map((l) => `    ${l}`), ''].join('\n');
}

const MAIN = (include: string) => `config_files:\n  - ${include}\nrules_files:\n  - /etc/falco/falco_rules.yaml\nstdout_output:\n  enabled: false\n`;
const OUTPUTS = 'stdout_output:\n  enabled: true\n';
const SUBPATH_MAIN = '{name: config, mountPath: /etc/falco/falco.yaml, subPath: falco.yaml}';

function check(text: string) {
  const service = new FalcoLanguageService(new MemoryHost({}, { ruleFiles: [], folders: ['/ws'] }));
  const doc = openHost(service, text, 'file:///ws/falco.yaml');
  return { service, doc, found: service.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(text, d), message(d)]) };
}

test('the chart\'s mounts (falco.yaml alone, by items and subPath): an entry named like a config_files path is not that file', () => {
  const text = configMap({ 'falco.yaml': MAIN('/etc/falco/config.d/outputs.yaml'), 'outputs.yaml': OUTPUTS })
    + daemonSet([SUBPATH_MAIN], [['falco.yaml', 'falco.yaml']]);
  const { found } = check(text);
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['embedded-configmap-include-unfound', '/etc/falco/config.d/outputs.yaml'], ['config-start-fails', 'false']]);
  assert.equal(found[0][2], 'No entry of ConfigMap \'falco\' is at /etc/falco/config.d/outputs.yaml: DaemonSet \'falco\' (container \'falco\') mounts its entries at /etc/falco/falco.yaml (\'falco.yaml\'), and none there. Falco reads the pod\'s file at that path, which Falco Lens does not have, and skips it without a word where it does not exist.');
});

test('a ConfigMap mounted as a folder: an entry is the file at its path there, items renaming it; a folder of config_files reads them all', () => {
  const mounts = [SUBPATH_MAIN, '{name: config, mountPath: /etc/falco/extra}'];
  // At the folder it is mounted as: merged (falco.yaml's stdout_output replaced).
  const merged = check(configMap({ 'falco.yaml': MAIN('/etc/falco/extra/outputs.yaml'), 'outputs.yaml': OUTPUTS }) + daemonSet(mounts));
  assert.deepEqual(merged.found.map(([code, at]) => [code, at]), [['config-overridden', 'stdout_output']]);
  assert.match(merged.found[0][2], /ConfigMap entry 'outputs\.yaml' \(DaemonSet 'falco' \(container 'falco'\) mounts it at \/etc\/falco\/extra\/outputs\.yaml\), merged after this file/);
  // A path naming the key elsewhere is no entry: the pod's mounts say so.
  const elsewhere = check(configMap({ 'falco.yaml': MAIN('/etc/falco/config.d/outputs.yaml'), 'outputs.yaml': OUTPUTS }) + daemonSet(mounts));
  assert.deepEqual(elsewhere.found.map(([code]) => code), ['embedded-configmap-include-unfound', 'config-start-fails']);
  // items give the entry another name in the folder.
  const items: [string, string][] = [['falco.yaml', 'falco.yaml'], ['outputs.yaml', '10-outputs.yaml']];
  const renamed = check(configMap({ 'falco.yaml': MAIN('/etc/falco/extra/10-outputs.yaml'), 'outputs.yaml': OUTPUTS }) + daemonSet(mounts, items));
  assert.deepEqual(renamed.found.map(([code]) => code), ['config-overridden']);
  // The folder itself: Falco reads its files (sorted), the entry among them.
  const folder = check(configMap({ 'falco.yaml': MAIN('/etc/falco/extra'), 'outputs.yaml': OUTPUTS }) + daemonSet(['{name: config, mountPath: /etc/falco/extra}'], [['outputs.yaml', '10-outputs.yaml']]));
  assert.deepEqual(folder.found.map(([code]) => code), ['config-overridden']);
  // With falco.yaml in that folder too, it is merged after 10-outputs.yaml, and its stdout_output wins; but its
  // config_files makes Falco refuse the included file (session 19: said at the entry including it).
  const both = check(configMap({ 'falco.yaml': MAIN('/etc/falco/extra'), 'outputs.yaml': OUTPUTS }) + daemonSet(mounts, items));
  assert.deepEqual(both.found.map(([code]) => code), ['config-start-fails', 'config-overridden', 'config-start-fails']);
  assert.match(both.found[0][2], /this configuration again .* lists config_files, and an included file cannot/);
  assert.match(both.found[2][2], /This comes from ConfigMap entry 'falco\.yaml', this configuration again \(DaemonSet 'falco' \(container 'falco'\) mounts it at \/etc\/falco\/extra\/falco\.yaml too\), whose 'stdout_output' replaces this one whole/);
});

test('without the workload, an entry is taken for a path by its key, and the path\'s hover says so', () => {
  const text = configMap({ 'falco.yaml': MAIN('/etc/falco/config.d/outputs.yaml'), 'outputs.yaml': OUTPUTS });
  const { service, doc, found } = check(text);
  assert.deepEqual(found.map(([code]) => code), ['config-overridden']);
  const hover = service.embedded.hover!(doc, positionOf(text, '/etc/falco/config.d/outputs.yaml', 3));
  const value = (hover?.contents as { value: string }).value.replace(/\\/g, '');
  assert.match(value, /^In the pod: ConfigMap entry 'outputs\.yaml' \(taken for \/etc\/falco\/config\.d\/outputs\.yaml by its name: no workload of this manifest mounts this ConfigMap, so the pod's mounts decide which file Falco reads there\)\./);
  // With the workload, the hover names the mount.
  const mounted = configMap({ 'falco.yaml': MAIN('/etc/falco/extra/outputs.yaml'), 'outputs.yaml': OUTPUTS }) + daemonSet([SUBPATH_MAIN, '{name: config, mountPath: /etc/falco/extra}']);
  const m = check(mounted);
  const said = (m.service.embedded.hover!(m.doc, positionOf(mounted, '/etc/falco/extra/outputs.yaml', 3))?.contents as { value: string }).value.replace(/\\/g, '');
  assert.match(said, /^In the pod: ConfigMap entry 'outputs\.yaml' \(DaemonSet 'falco' \(container 'falco'\) mounts it at \/etc\/falco\/extra\/outputs\.yaml\)\./);
});
