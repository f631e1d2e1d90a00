// Session 19: a ConfigMap's falco.yaml is the configuration Falco reads where the manifest's workload mounts it: at
// the path its Falco command's `-c` names (options.cpp, cxxopts short option `c`), else at /etc/falco/falco.yaml
// (FALCO_INSTALL_CONF_FILE, the chart's mount), else at its one mount (configMap.ts podMainPath); without the workload,
// at /etc/falco/falco.yaml as before. falco.yaml mounted a second time where config_files reads (the ConfigMap
// mounted as a folder too) is read again as an included file, whose config_files makes Falco refuse to start
// (yaml_helper.h include_config_file, "'config_files' directive in included config file", 0.38.0-0.44.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { message, openHost, positionOf, textAt } from './embedded-helpers';
import { unescapedMarkdown } from './rules-nav-helpers';

function configMap(main: string): string {
  return ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: falco', 'data:', '  falco.yaml: |-', ...main.replace(/\n$/, '').split('\n').map((l) => `    ${l}`), ''].join('\n');
}

function daemonSet(mounts: string[], args: string[] = ['/usr/bin/falco']): string {
  return ['---', 'apiVersion: apps/v1', 'kind: DaemonSet', 'metadata:', '  name: falco', 'spec:', '  template:', '    spec:', '      containers:',
    '        - name: falco', '          image: falcosecurity/falco:0.44.0', `          args: [${args.join(', ')}]`, '          volumeMounts:', ...mounts.map((m) => `            - ${m}`),
    '      volumes:', '        - name: config', '          configMap:', '            name: falco', ''].join('\n');
}

const MAIN = (include: string) => `config_files:\n  - ${include}\nrules_files:\n  - /etc/falco/falco_rules.yaml\nstdout_output:\n  enabled: true\n`;

function check(text: string) {
  const service = new FalcoLanguageService(new MemoryHost({}, { ruleFiles: [], folders: ['/ws'] }));
  const doc = openHost(service, text, 'file:///ws/falco.yaml');
  return { service, doc, found: service.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(text, d), message(d)]) };
}

test('falco.yaml mounted where -c names it is the configuration file at that path', () => {
  const mount = '{name: config, mountPath: /etc/falco-cm/falco.yaml, subPath: falco.yaml}';
  // It includes itself: Falco refuses to start.
  const self = check(configMap(MAIN('/etc/falco-cm/falco.yaml')) + daemonSet([mount], ['/usr/bin/falco', '-c', '/etc/falco-cm/falco.yaml']));
  assert.deepEqual(self.found.map(([code, at]) => [code, at]), [['config-start-fails', '/etc/falco-cm/falco.yaml']]);
  assert.match(self.found[0][2], /includes this configuration file itself/);
  // /etc/falco/falco.yaml is then the image's file, not this entry: no entry of the ConfigMap is there.
  const image = check(configMap(MAIN('/etc/falco/falco.yaml')) + daemonSet([mount], ['/usr/bin/falco', '-c/etc/falco-cm/falco.yaml']));
  assert.deepEqual(image.found.map(([code, at]) => [code, at]), [['embedded-configmap-include-unfound', '/etc/falco/falco.yaml']]);
  // A shell's -c before Falco's command is not Falco's; its one mount is still where it is read.
  const shell = check(configMap(MAIN('/etc/falco-cm/falco.yaml')) + daemonSet([mount], ['/bin/sh', '-c', '/usr/bin/falco']));
  assert.deepEqual(shell.found.map(([code]) => code), ['config-start-fails']);
});

test('falco.yaml mounted again in a folder config_files reads: Falco reads it as an included file and refuses to start', () => {
  const mounts = ['{name: config, mountPath: /etc/falco/falco.yaml, subPath: falco.yaml}', '{name: config, mountPath: /etc/falco/config.d}'];
  const text = configMap(MAIN('/etc/falco/config.d')) + daemonSet(mounts);
  const { found, service, doc } = check(text);
  // (Its keys merged again replace this file's: said too.)
  assert.deepEqual(found.map(([code, at]) => [code, at]), [['config-start-fails', '/etc/falco/config.d'], ['config-overridden', 'stdout_output']]);
  assert.equal(found[0][2], 'Falco refuses to start: ConfigMap entry \'falco.yaml\', this configuration again (DaemonSet \'falco\' (container \'falco\') mounts it at /etc/falco/config.d/falco.yaml too), which this entry includes, lists config_files, and an included file cannot ("\'config_files\' directive in included config file").');
  // Named by a file path, the same; the hover says which file of the pod it is.
  const direct = configMap(MAIN('/etc/falco/config.d/falco.yaml')) + daemonSet(mounts);
  assert.deepEqual(check(direct).found.map(([code, at]) => [code, at]).slice(0, 1), [['config-start-fails', '/etc/falco/config.d/falco.yaml']]);
  const h = service.embedded.hover!(doc, positionOf(text, '/etc/falco/config.d', 3));
  assert.match(unescapedMarkdown((h!.contents as MarkupContent).value), /^In the pod: the folder DaemonSet 'falco' \(container 'falco'\) mounts this ConfigMap as \('falco\.yaml'\)\./);
  const inDirect = check(direct);
  const hd = inDirect.service.embedded.hover!(inDirect.doc, positionOf(direct, '/etc/falco/config.d/falco.yaml', 3));
  assert.match(unescapedMarkdown((hd!.contents as MarkupContent).value), /^In the pod: ConfigMap entry 'falco\.yaml', this configuration again \(DaemonSet 'falco' \(container 'falco'\) mounts it at \/etc\/falco\/config\.d\/falco\.yaml too\)\./);
  // Mounted at /etc/falco/falco.yaml only (the chart): no finding.
  assert.deepEqual(check(configMap(MAIN('/etc/falco/config.d')) + daemonSet([mounts[0]])).found, []);
});
