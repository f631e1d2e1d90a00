// Falco's configuration inside ConfigMaps: a `falco.yaml` data entry (the file the chart renders and mounts at
// /etc/falco/falco.yaml) is checked as the whole configuration Falco reads, and a config.d-style entry as a file of
// config_files; every answer lands on the host's lines and columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments } from 'yaml';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { MemoryHost, applyEdits } from './rules-host';
import { openHost, positionOf, textAt, message } from './embedded-helpers';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'helm');
const RENDERED = fs.readFileSync(path.join(FIXTURES, 'rendered-configmaps.yaml'), 'utf8');
const HOST_URI = 'file:///ws/deploy/falco.rendered.yaml';

function serviceWith(files: Record<string, string> = {}, falcoVersion = '0.44') {
  const host = new MemoryHost(files, { ruleFiles: [], folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion };
  return { host, service: new FalcoLanguageService(host) };
}

function applyAction(text: string, action: CodeAction): string {
  const edits = action.edit?.changes?.[HOST_URI] as TextEdit[] | undefined;
  assert.ok(edits && edits.length > 0, `${action.title} edits the host`);
  assert.deepEqual(Object.keys(action.edit!.changes!), [HOST_URI]);
  return applyEdits(text, edits);
}

/** The data entries of the ConfigMap named `name` once the host is read as YAML (what Kubernetes stores). */
function configMapData(text: string, name: string): Record<string, string> {
  for (const doc of parseAllDocuments(text) as unknown as { errors: unknown[]; toJS(): any }[]) {
    assert.deepEqual(doc.errors, [], 'the host is valid YAML');
    const js = doc.toJS();
    if (js?.kind === 'ConfigMap' && js.metadata?.name === name) return js.data;
  }
  throw new Error(`no ConfigMap ${name}`);
}

/** A ConfigMap of the given data entries, each a literal block. */
function configMap(entries: Record<string, string>): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: falco', 'data:'];
  for (const [key, text] of Object.entries(entries)) {
    lines.push(`  ${key}: |-`, ...text.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : `    ${l}`)));
  }
  return `${lines.join('\n')}\n`;
}

const open = (service: FalcoLanguageService, text: string, uri = HOST_URI): TextDocument => openHost(service, text, uri);

test('the chart\'s rendered ConfigMap: falco.yaml is embedded whole; falcoctl.yaml is not Falco\'s configuration', () => {
  const { files, problems } = analyzeHost(RENDERED);
  assert.deepEqual(problems, []);
  assert.deepEqual(files.map((f) => [f.kind, f.holder, f.key, f.indent]), [['config', 'configMap', 'falco.yaml', 4]]);
  const [file] = files;
  assert.equal(file.firstLine, positionOf(RENDERED, 'append_output:').line);
  // The embedded text keeps the block's last line break, which `|-` leaves out of the value.
  assert.equal(file.text.replace(/\n$/, ''), configMapData(RENDERED, 'falco')['falco.yaml']);
  // The chart's default configuration is clean for Falco 0.44 (its config_files folder is the pod's).
  const { service } = serviceWith();
  assert.deepEqual(service.embedded.diagnostics(open(service, RENDERED)).map((d) => [d.code, message(d)]), []);
});

test('a ConfigMap\'s falco.yaml is the whole configuration: what it lacks is judged, at the host\'s positions', () => {
  // No output enabled: the chart's values (an overlay) would not be judged on it, the rendered file is.
  const text = RENDERED.replace('    stdout_output:\n      enabled: true\n', '').replace('    syslog_output:\n      enabled: true\n', '    syslog_output:\n      enabled: false\n');
  const { service } = serviceWith();
  const doc = open(service, text);
  const found = service.embedded.diagnostics(doc);
  assert.deepEqual(found.map((d) => [d.code, textAt(text, d)]), [['config-start-fails', 'false']]);
  assert.equal(found[0].range.start.line, positionOf(text, '    syslog_output:').line + 1);
  assert.match(message(found[0]), /no output is enabled/);
  // config_files names a folder of the pod: the message says the verdict reads the configuration without it.
  assert.match(message(found[0]), /without '\/etc\/falco\/config\.d' of config_files \(files of the pod that this ConfigMap does not hold\)/);
  // The quick fix turns syslog_output on, in the block.
  const fix = service.embedded.codeActions!(doc, found[0].range, { diagnostics: found }).find((a) => a.title === 'Enable syslog_output');
  assert.ok(fix);
  const fixed = applyAction(text, fix);
  assert.match(configMapData(fixed, 'falco')['falco.yaml'], /^syslog_output:\n {2}enabled: true$/m);
  assert.deepEqual(service.embedded.diagnostics(open(service, fixed)), []);
});

test('diagnostics, hover, completion and quick fixes of a ConfigMap\'s falco.yaml', () => {
  const text = RENDERED.replace('    priority: debug', '    priority: warn').replace('    json_output: false', '    json_ouput: false')
    .replace('listen_address: 0.0.0.0', 'listen_address: localhost');
  const { service } = serviceWith();
  const doc = open(service, text);
  const found = service.embedded.diagnostics(doc);
  assert.deepEqual(found.map((d) => [d.code, textAt(text, d)]), [
    ['config-unknown-key', 'json_ouput'], ['config-start-fails', 'warn'], ['config-start-fails', 'localhost'],
  ]);
  // Host columns: the block is indented by 4, engine's keys by 6.
  assert.deepEqual(found.map((d) => [d.range.start.line, d.range.start.character]), [
    [positionOf(text, 'json_ouput').line, 4], [positionOf(text, 'priority: warn').line, 14], [positionOf(text, 'listen_address: localhost').line, 22],
  ]);
  const rename = service.embedded.codeActions!(doc, found[0].range, { diagnostics: [found[0]] }).find((a) => a.title === 'Change to \'json_output\'');
  assert.ok(rename);
  assert.match(configMapData(applyAction(text, rename), 'falco')['falco.yaml'], /^json_output: false$/m);
  const priority = service.embedded.codeActions!(doc, found[1].range, { diagnostics: [found[1]] }).find((a) => a.title === 'Change to \'warning\'');
  assert.ok(priority);
  assert.match(applyAction(text, priority), /^ {4}priority: warning$/m);

  const hover = service.embedded.hover!(doc, positionOf(text, 'rule_matching: first', 2));
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  assert.match(hover.contents.value, /\*\*rule\\_matching\*\* \(Falco configuration\)/);
  assert.equal(textAt(text, { range: hover.range! }), 'rule_matching');
  assert.equal(service.embedded.hover!(doc, positionOf(text, 'namespace: falco', 2)), null, 'the ConfigMap\'s own keys are left to the YAML tooling');

  // Completion of a key being typed under engine: in host columns.
  const typed = text.replace('      kind: modern_ebpf\n', '      kind: modern_ebpf\n      rep\n');
  const typedDoc = open(service, typed);
  const list = service.embedded.completion!(typedDoc, positionOf(typed, '      rep\n', 9));
  const replay = list?.items.find((i) => i.label === 'replay');
  assert.ok(replay && replay.textEdit && 'range' in replay.textEdit, JSON.stringify(list?.items.map((i) => i.label)));
  assert.equal(textAt(typed, { range: replay.textEdit.range }), 'rep');
  // A value: engine.kind's kinds.
  const kinds = service.embedded.completion!(doc, positionOf(text, 'kind: modern_ebpf', 6));
  assert.ok(kinds?.items.some((i) => i.label === 'kmod'));
});

test('an empty-of-outputs falco.yaml gets the quick fix that adds stdout_output inside its block, which stays valid', () => {
  const text = configMap({ 'falco.yaml': 'rules_files:\n  - /etc/falco/falco_rules.yaml\njson_output: true\n', 'README.md': 'Falco\'s configuration.\n' });
  const { service } = serviceWith();
  const doc = open(service, text);
  const found = service.embedded.diagnostics(doc);
  assert.deepEqual(found.map((d) => [d.code, textAt(text, d)]), [['config-start-fails', 'rules_files']]);
  const add = service.embedded.codeActions!(doc, found[0].range, { diagnostics: found }).find((a) => a.title === 'Add stdout_output with enabled: true');
  assert.ok(add);
  const fixed = applyAction(text, add);
  const data = configMapData(fixed, 'falco');
  assert.equal(data['falco.yaml'], 'rules_files:\n  - /etc/falco/falco_rules.yaml\njson_output: true\nstdout_output:\n  enabled: true');
  assert.equal(data['README.md'], 'Falco\'s configuration.');
  assert.deepEqual(service.embedded.diagnostics(open(service, fixed)), []);
});

test('config.d entries: merged into falco.yaml when its config_files names them by file, else read alone', () => {
  const main = 'config_files:\n  - /etc/falco/config.d/outputs.yaml\nrules_files:\n  - /etc/falco/falco_rules.yaml\nstdout_output:\n  enabled: false\n';
  const outputs = 'stdout_output:\n  enabled: true\nlog_level: verbose\n';
  const text = configMap({ 'falco.yaml': main, 'outputs.yaml': outputs, 'extra.yaml': 'json_output: true\nload_plugins: [k8saudit]\n' });
  const { files } = analyzeHost(text);
  assert.deepEqual(files.map((f) => [f.kind, f.key]), [['config', 'extra.yaml'], ['config', 'falco.yaml'], ['config', 'outputs.yaml']]);
  const { service } = serviceWith();
  const found = service.embedded.diagnostics(open(service, text));
  assert.deepEqual(found.map((d) => [d.code, textAt(text, d)]), [
    // falco.yaml's stdout_output is replaced by outputs.yaml's: no refusal for want of an output, an information.
    ['config-overridden', 'stdout_output'],
    // outputs.yaml is judged inside falco.yaml; extra.yaml, which falco.yaml does not include, alone (its
    // load_plugins may name a plugin defined elsewhere: not judged).
    ['config-start-fails', 'verbose'],
  ]);
  // Placed by its key (no workload of the manifest mounts the ConfigMap), and said so where it is named.
  assert.match(message(found[0]), /ConfigMap entry 'outputs\.yaml' \(taken for \/etc\/falco\/config\.d\/outputs\.yaml by its name: no workload of this manifest mounts this ConfigMap, so the pod's mounts decide which file Falco reads there\), merged after this file/);
  // Without the entry, falco.yaml has no output and the entry it names is a file of the pod.
  const alone = configMap({ 'falco.yaml': main });
  const refused = service.embedded.diagnostics(open(service, alone, 'file:///ws/alone.yaml'));
  assert.deepEqual(refused.map((d) => d.code), ['embedded-configmap-include-unfound', 'config-start-fails']);
  assert.match(message(refused[1]), /files of the pod/);
});

test('paths in a ConfigMap\'s falco.yaml are the pod\'s: not looked for on this machine; including itself still refuses', () => {
  const text = configMap({ 'falco.yaml': 'config_files:\n  - /etc/falco/falco.yaml\nrules_files:\n  - /etc/falco/rules.d/missing.yaml\nstdout_output:\n  enabled: true\n' });
  const { service } = serviceWith({ '/etc/falco/rules.d/other.yaml': '- list: x\n  items: []\n' });
  const found = service.embedded.diagnostics(open(service, text));
  assert.deepEqual(found.map((d) => [d.code, textAt(text, d)]), [['config-start-fails', '/etc/falco/falco.yaml']]);
  assert.match(message(found[0]), /includes this configuration file itself/);
});

test('a folded or one-line falco.yaml gets the holder\'s note; a Helm template of the ConfigMap is not checked', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: >\n    stdout_output:\n      enabled: true\n  other.yaml: "json_output: true"\n';
  const found = analyzeHost(text);
  assert.deepEqual(found.files, []);
  assert.deepEqual(found.problems.map((p) => [p.code, text.slice(p.span[0], p.span[1])]), [
    ['embedded-not-literal-block', 'falco.yaml'], ['embedded-not-literal-block', 'other.yaml'],
  ]);
  assert.match(found.problems[0].message, /Falco configuration file written as a literal block/);
  assert.match(found.problems[0].message, /folded block/);
  const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "falco.fullname" . }}\ndata:\n  falco.yaml: |-\n    {{- include "falco.engineConfiguration" . -}}\n    {{- toYaml .Values.falco | nindent 4 }}\n';
  assert.deepEqual(analyzeHost(template).files, []);
  // Another application's configuration in a ConfigMap is not Falco's.
  assert.deepEqual(analyzeHost(configMap({ 'app.yaml': 'server:\n  port: 8080\ndatabase:\n  url: postgres://db\nlog_level: info\n' })).files, []);
});
