// A ConfigMap's falco.yaml: its config_files paths are matched with the ConfigMap's entries as the pod's file system
// resolves them (Falco hands each path to std::filesystem as written, configuration.cpp merge_config_files 0.38-0.44:
// `//` and `/./` name the same file, a trailing '/' a folder only), and a YAML file it names that no entry is gets an
// information (the pod's file, which Falco Lens does not have).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { podPath } from '../../server/src/service/embedded/configMap';
import { MemoryHost } from './rules-host';
import { openHost, textAt, message } from './embedded-helpers';

function configMap(entries: Record<string, string>): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: falco', 'data:'];
  for (const [key, text] of Object.entries(entries)) lines.push(`  ${key}: |-`, ...text.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : `    ${l}`)));
  return `${lines.join('\n')}\n`;
}

const MAIN = (path: string) => `config_files:\n  - ${path}\n  - /etc/falco/config.d\nrules_files:\n  - /etc/falco/falco_rules.yaml\nstdout_output:\n  enabled: false\n`;
const OUTPUTS = 'stdout_output:\n  enabled: true\n';

function diagnostics(text: string) {
  const host = new MemoryHost({}, { ruleFiles: [], folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  return service.embedded.diagnostics(openHost(service, text, 'file:///ws/falco-cm.yaml')).map((d) => [String(d.code), textAt(text, d), message(d)]);
}

test('podPath: the path as the pod resolves it, or undefined where Falco Lens cannot place it', () => {
  assert.deepEqual(['/etc//falco/./a.yaml', '/etc/falco/a.yaml/', '/etc/falco/config.d/.', 'a.yaml', './a.yaml', '/etc/falco/x/../a.yaml', '/'].map(podPath),
    ['/etc/falco/a.yaml', '/etc/falco/a.yaml/', '/etc/falco/config.d/', undefined, undefined, undefined, '/']);
});

test('config_files entries of a ConfigMap\'s falco.yaml are the entries at the paths Falco resolves', () => {
  // The same file written with // and /./: merged (its stdout_output replaces falco.yaml's).
  const same = diagnostics(configMap({ 'falco.yaml': MAIN('/etc/falco//config.d/./outputs.yaml'), 'outputs.yaml': OUTPUTS }));
  assert.deepEqual(same.map(([code, text]) => [code, text]), [['config-overridden', 'stdout_output']]);
  // A trailing '/' names a folder: Falco finds no such file (ENOTDIR), so no output is enabled and it refuses to start.
  const folder = diagnostics(configMap({ 'falco.yaml': MAIN('/etc/falco/config.d/outputs.yaml/'), 'outputs.yaml': OUTPUTS }));
  assert.deepEqual(folder.map(([code]) => code), ['config-start-fails']);
  assert.match(folder[0][2], /files of the pod/);
});

test('a YAML file config_files names that no entry of the ConfigMap is: an information at the path', () => {
  const found = diagnostics(configMap({ 'falco.yaml': MAIN('/etc/falco/config.d/other.yaml'), 'outputs.yaml': OUTPUTS }));
  const unfound = found.filter(([code]) => code === 'embedded-configmap-include-unfound');
  assert.deepEqual(unfound.map(([, text, m]) => [text, m]), [[
    '/etc/falco/config.d/other.yaml',
    'No entry of ConfigMap \'falco\' is at /etc/falco/config.d/other.yaml: Falco Lens takes an entry for the file config_files names by its key (as if the ConfigMap were mounted as a folder there: no workload of this manifest mounts it), and this ConfigMap has no \'other.yaml\'. Falco reads the pod\'s file at that path, which Falco Lens does not have, and skips it without a word where it does not exist.',
  ]]);
});
