// The Falco Operator's Configs merged as Falco reads them: the artifact operator writes each Config of its pod's
// namespace into /etc/falco/config.d as <priority>-<sub-priority>-<name>-<medium>.yaml, the operator's own falco.yaml
// includes that folder, and Falco merges its files in name order (a later file's key replaces an earlier one's, a
// list is appended from 0.41). The Configs of one folder and namespace (open, or closed files read from disk) are
// checked together with the operator's falco.yaml; a Config with a node selector only with those of every node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Diagnostic } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { operatorFalcoConfig } from '../../server/src/knowledge/operatorFalcoConfig';
import { MemoryHost } from './rules-host';
import { openHost, operatorConfig, textAt, message } from './embedded-helpers';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'operator');
const CONFIGS = fs.readFileSync(path.join(FIXTURES, 'configs.yaml'), 'utf8');
const BASE = '/etc/falco/falco_rules.yaml';
const URI = 'file:///ws/deploy/falco/configs.yaml';

function serviceWith(files: Record<string, string> = {}) {
  const host = new MemoryHost({ [BASE]: fs.readFileSync(path.join(FIXTURES, 'falco-rules.yaml'), 'utf8'), ...files }, { ruleFiles: [BASE], folders: ['/ws'] });
  return { host, service: new FalcoLanguageService(host) };
}

const configFindings = (found: Diagnostic[]) => found.filter((d) => String(d.code).startsWith('config-'));
const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length - 1;


test('operator facts: the operator\'s falco.yaml includes /etc/falco/config.d, and the Configs\' files are named by priority, medium and name', () => {
  const base = operatorFalcoConfig();
  assert.deepEqual(base.config_files, ['/etc/falco/config.d']);
  assert.deepEqual(base.rules_files, ['/etc/falco/rules.d']);
  assert.deepEqual([(base.engine as { kind: string }).kind, (operatorFalcoConfig('Deployment').engine as { kind: string }).kind], ['modern_ebpf', 'nodriver']);
  const { files } = analyzeHost(CONFIGS);
  const placed = files.filter((f) => f.kind === 'config').map((f) => [f.holder, f.operator?.fileName, f.operator?.selector]);
  assert.deepEqual(placed, [
    ['configMap', '50-02-config-both-configmap.yaml', undefined],
    ['operatorConfig', '50-03-config-both-inline.yaml', undefined],
    ['operatorConfig', '50-03-config-structured-inline.yaml', undefined],
    ['operatorConfig', '90-03-config-debug-node-inline.yaml', JSON.stringify({ matchLabels: { 'kubernetes.io/hostname': 'node1' } })],
  ]);
  // The manifest is the operator's shape.
  for (const doc of parseAllDocuments(CONFIGS) as unknown as { errors: unknown[] }[]) assert.deepEqual(doc.errors, []);
});

test('a key that a later Config of the namespace replaces: an information on it naming that Config, at the host\'s lines', () => {
  const { service } = serviceWith();
  const found = configFindings(service.embedded.diagnostics(openHost(service, CONFIGS, URI))).sort((a, b) => a.range.start.line - b.range.start.line);
  const expected = `Config 'config-structured' (configs.yaml:${lineOf(CONFIGS, 'config:', CONFIGS.indexOf('name: config-structured')) + 1}, written as /etc/falco/config.d/50-03-config-structured-inline.yaml)`;
  // The ConfigMap's config.yaml (50-02) and config-both's engine (50-03-config-both) come before config-structured.
  assert.deepEqual(found.map((d) => [d.code, d.severity, d.range.start.line, textAt(CONFIGS, d)]), [
    ['config-overridden', 3, lineOf(CONFIGS, '    output_timeout: 2000'), 'output_timeout'],
    ['config-overridden', 3, lineOf(CONFIGS, '    buffered_outputs: false'), 'buffered_outputs'],
    ['config-overridden', 3, lineOf(CONFIGS, '    outputs_queue:'), 'outputs_queue'],
    ['config-overridden', 3, lineOf(CONFIGS, '    engine:'), 'engine'],
  ]);
  for (const d of found) assert.ok(message(d).includes(`${expected}, merged after this file`), message(d));
  assert.match(message(found[3]), /^Falco does not use this 'engine': Config 'config-structured' /);
});

test('Configs of closed files of the same folder and namespace merge too; other folders and namespaces do not', () => {
  const kmod = operatorConfig('engine-kmod', 70, 'engine:\n  kind: kmod\n  kmod:\n    buf_size_preset: 4');
  const { service } = serviceWith({ '/ws/deploy/falco/kmod.yaml': kmod, '/ws/deploy/falco/other-ns.yaml': kmod.replace('namespace: falco', 'namespace: other').replace('engine-kmod', 'engine-other') });
  const found = configFindings(service.embedded.diagnostics(openHost(service, CONFIGS, URI)));
  const structuredEngine = found.find((d) => d.range.start.line === lineOf(CONFIGS, '    engine:', CONFIGS.indexOf('name: config-structured')));
  assert.ok(structuredEngine, JSON.stringify(found.map(message)));
  assert.equal(message(structuredEngine), `Falco does not use this 'engine': Config 'engine-kmod' (kmod.yaml:7, written as /etc/falco/config.d/70-03-engine-kmod-inline.yaml), merged after this file, sets 'engine' again and replaces it whole (config_files merges top-level keys only).`);
  assert.equal(found.filter((d) => textAt(CONFIGS, d) === 'engine').length, 2, 'config-both\'s and config-structured\'s');
  // The same manifest in another folder (another cluster's overlay) does not read kmod.yaml.
  const staging = configFindings(service.embedded.diagnostics(openHost(service, CONFIGS, 'file:///ws/deploy/staging/configs.yaml')));
  assert.equal(staging.filter((d) => textAt(CONFIGS, d) === 'engine').length, 1);
});

test('the whole configuration is checked merged: outputs turned off by one Config, kept on by another\'s', () => {
  const quiet = operatorConfig('quiet', 80, 'stdout_output:\n  enabled: false\nsyslog_output:\n  enabled: false');
  const uri = 'file:///ws/deploy/falco/quiet.yaml';
  const { service, host } = serviceWith();
  const found = configFindings(service.embedded.diagnostics(openHost(service, quiet, uri)));
  assert.deepEqual(found.map((d) => [d.code, d.severity, d.range.start.line, textAt(quiet, d)]), [['config-start-fails', 1, lineOf(quiet, 'enabled: false'), 'false']]);
  assert.match(message(found[0]), /^Falco refuses to start: no output is enabled/);
  const enable = service.embedded.codeActions!(openHost(service, quiet, uri), found[0].range, { diagnostics: found }).find((a) => a.title === 'Enable stdout_output');
  assert.ok(enable);
  // The operator's docs' http-output Config, in a closed file of the folder: Falco has an output.
  const http = 'apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Config\nmetadata:\n  name: http-output\n  namespace: falco\nspec:\n  config:\n    http_output:\n      enabled: true\n      url: "http://falcosidekick.falco.svc:2801"\n  priority: 50\n';
  assert.equal(parse(http).spec.config.http_output.enabled, true);
  host.files.set('/ws/deploy/falco/http-output.yaml', http);
  service.didChangeWatchedFiles(['file:///ws/deploy/falco/http-output.yaml']);
  assert.deepEqual(configFindings(service.embedded.diagnostics(openHost(service, quiet.replace('80', '81'), uri))), []);
});

test('a Config with a node selector merges with the Configs of every node; Configs of other selectors stay apart', () => {
  const node1 = '  selector:\n    matchLabels:\n      kubernetes.io/hostname: "node1"\n';
  const node2 = '  selector:\n    matchLabels:\n      kubernetes.io/hostname: "node2"\n';
  const text = [
    operatorConfig('debug-node1', 90, 'libs_logger:\n  enabled: true\n  severity: debug', node1),
    operatorConfig('trace-node2', 95, 'libs_logger:\n  enabled: true\n  severity: trace', node2),
    operatorConfig('logs-everywhere', 99, 'libs_logger:\n  enabled: false'),
  ].join('---\n');
  const { service } = serviceWith();
  const found = configFindings(service.embedded.diagnostics(openHost(service, text, 'file:///ws/deploy/falco/logs.yaml')));
  // Each selector Config is replaced by the Config of every node (priority 99); neither by the other's.
  assert.deepEqual(found.map((d) => [d.range.start.line, textAt(text, d)]), [
    [lineOf(text, 'libs_logger:'), 'libs_logger'],
    [lineOf(text, 'libs_logger:', text.indexOf('trace-node2')), 'libs_logger'],
  ]);
  for (const d of found) assert.match(message(d), /Config 'logs-everywhere' \(logs\.yaml:\d+, written as \/etc\/falco\/config\.d\/99-03-logs-everywhere-inline\.yaml\)/);
});

test('a Config\'s ConfigMap in another file: its config.yaml is written at the Config\'s place and merged there', () => {
  const docs = CONFIGS.split('\n---\n');
  const configMap = docs.find((d) => d.includes('kind: ConfigMap'))!.replace(/^#.*\n/gm, '');
  const rest = docs.filter((d) => !d.includes('kind: ConfigMap')).join('\n---\n');
  const { service } = serviceWith({ '/ws/deploy/falco/configmaps.yaml': configMap });
  openHost(service, rest, URI);
  const found = configFindings(service.embedded.diagnostics(openHost(service, configMap, 'file:///ws/deploy/falco/configmaps.yaml')));
  assert.deepEqual(found.map((d) => [d.code, textAt(configMap, d)]).sort(), [['config-overridden', 'buffered_outputs'], ['config-overridden', 'output_timeout'], ['config-overridden', 'outputs_queue']]);
  assert.match(message(found[0]), /Config 'config-structured' \(configs\.yaml:\d+, written as \/etc\/falco\/config\.d\/50-03-config-structured-inline\.yaml\)/);
});
