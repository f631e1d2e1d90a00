// The workspace's Helm values and manifests that hold Falco rules are known to the alerts service while they are
// closed, as the workspace's closed rules files are: found by the walk that finds the rules files, read within a
// budget, read again when the client reports them changed, and tuned with edits exact against their text on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { scanOrder } from '../../server/src/service/embedded';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, applyEdits } from './rules-host';

const VALUES = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'helm', 'values.yaml'), 'utf8');
const VALUES_PATH = '/ws/deploy/values.yaml';
const VALUES_URI = pathToUri(VALUES_PATH);
const RULE = 'Shell spawned by nginx';
const TEXT_ALERT = '2026-03-02T08:00:01.123456789+0000: Warning Shell under nginx (command=sh -c id parent=nginx container=web-7f9c image=docker.io/library/nginx)';
const JSON_ALERT = JSON.stringify({
  hostname: 'node-1', output: '08:00:01.123456789: Warning Shell under nginx (command=sh -c id parent=nginx container=web-7f9c image=docker.io/library/nginx)',
  output_fields: { 'container.id': '3f2a1b0c9d8e', 'container.name': 'web-7f9c', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772438401123456789, 'proc.cmdline': 'sh -c id', 'proc.name': 'sh', 'proc.pname': 'nginx' },
  priority: 'Warning', rule: RULE, source: 'syscall', tags: ['container'], time: '2026-03-02T08:00:01.123456789Z',
});

/** A host that counts the files it reads. */
class CountingHost extends MemoryHost {
  readonly reads: string[] = [];
  override readFile(p: string): string | undefined { this.reads.push(p); return super.readFile(p); }
}

function workspace(files: Record<string, string>) {
  const host = new CountingHost(files, { folders: ['/ws'] });
  return { host, service: new FalcoLanguageService(host) };
}

function openLog(service: FalcoLanguageService, text: string, uri = 'file:///logs/falco.log'): TextDocument {
  const log = TextDocument.create(uri, 'falco-alerts', 1, `${text}\n`);
  service.alerts.didOpenOrChange?.(log);
  return log;
}

function hoverText(service: FalcoLanguageService, log: TextDocument, character: number): string {
  const hover = service.alerts.hover!(log, { line: 0, character });
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

test('a closed values file of the workspace: its rules explain alerts, and tuning edits it exactly', () => {
  const { service } = workspace({ [VALUES_PATH]: VALUES });
  const log = openLog(service, TEXT_ALERT);
  const at = TEXT_ALERT.indexOf('Shell under') + 3;
  assert.match(hoverText(service, log, at), /Shell spawned by nginx/);
  const definitions = service.alerts.definition!(log, { line: 0, character: at });
  const ruleLine = VALUES.split('\n').findIndex((l) => l.includes(`- rule: ${RULE}`));
  assert.deepEqual(definitions.map((l) => [l.uri, l.range.start.line]), [[VALUES_URI, ruleLine]]);

  const json = openLog(service, JSON_ALERT, 'file:///logs/events.json');
  const actions = service.alerts.codeActions!(json, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const add = actions.find((a) => a.title.startsWith('Add exception for this process + container image'));
  assert.ok(add, actions.map((a) => a.title).join('\n'));
  assert.match(add.title, /to deploy\/values\.yaml, customRules 'rules-nginx\.yaml'$/);
  assert.deepEqual(Object.keys(add.edit?.changes ?? {}), [VALUES_URI], 'the closed values file is the one edited');
  // The edit is exact against the text on disk: the block gains the exception and the file stays the chart's values.
  const tuned = applyEdits(VALUES, add.edit!.changes![VALUES_URI] as TextEdit[]);
  const doc = parseDocument(tuned);
  assert.deepEqual(doc.errors.map((e) => e.message), []);
  const block = String((doc.toJS() as { customRules: Record<string, string> }).customRules['rules-nginx.yaml']);
  const items = parseDocument(block).toJS() as { rule?: string; override?: unknown; exceptions?: { values: unknown }[] }[];
  assert.equal(items[items.length - 1].rule, RULE);
  assert.deepEqual(items[items.length - 1].override, { exceptions: 'append' });
  assert.deepEqual(items[items.length - 1].exceptions?.[0].values, [['sh', 'docker.io/library/nginx']]);
  // The rules files of the workspace never see the values file's definitions (a deployment of its own).
  const local = '- rule: Uses the chart\'s macro\n  desc: d\n  condition: evt.type = execve and nginx_container\n  output: "o | p=%proc.name"\n  priority: INFO\n';
  const localDoc = TextDocument.create(pathToUri('/ws/falco_rules.local.yaml'), 'falco-rules', 1, local);
  service.rules.didOpenOrChange?.(localDoc);
  assert.deepEqual(service.rules.diagnostics(localDoc).map((d) => d.code), ['undefined-macro']);
});

test('open, the editor\'s text of a values file is read; closed again, the disk\'s', () => {
  const { service } = workspace({ [VALUES_PATH]: VALUES });
  const log = openLog(service, TEXT_ALERT);
  const at = TEXT_ALERT.indexOf('Shell under') + 3;
  assert.match(hoverText(service, log, at), /Shell spawned by nginx/);
  const renamed = VALUES.replace(`- rule: ${RULE}`, '- rule: Shell under an nginx worker');
  const open = TextDocument.create(VALUES_URI, 'yaml', 2, renamed);
  service.embedded.didOpenOrChange?.(open);
  service.alerts.didOpenOrChange?.(TextDocument.create(log.uri, 'falco-alerts', 2, log.getText()));
  const renamedHover = hoverText(service, TextDocument.create(log.uri, 'falco-alerts', 2, log.getText()), at);
  assert.match(renamedHover, /Shell under an nginx worker/);
  assert.doesNotMatch(renamedHover, /Shell spawned by nginx/);
  // Closed without saving: the file on disk holds the first name.
  service.embedded.didClose?.(VALUES_URI);
  const again = TextDocument.create(log.uri, 'falco-alerts', 3, log.getText());
  service.alerts.didOpenOrChange?.(again);
  assert.match(hoverText(service, again, at), /Shell spawned by nginx/);
});

test('a closed values file is read once, and again only when the client reports it changed', () => {
  const { host, service } = workspace({ [VALUES_PATH]: VALUES, '/ws/deploy/other.yaml': 'apiVersion: v1\nkind: Service\n' });
  const log = openLog(service, JSON_ALERT);
  const reads = () => host.reads.filter((p) => p === VALUES_PATH).length;
  assert.ok(service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).length > 0);
  assert.equal(reads(), 1);
  service.alerts.hover!(log, { line: 0, character: 5 });
  service.alerts.diagnostics(log);
  assert.equal(reads(), 1, 'nothing changed: not read again');
  // Another YAML file changed: only that one is read again.
  service.didChangeWatchedFiles([pathToUri('/ws/deploy/other.yaml')]);
  service.alerts.diagnostics(log);
  assert.equal(reads(), 1);
  assert.equal(host.reads.filter((p) => p === '/ws/deploy/other.yaml').length, 2);
  // The values file renamed its rule on disk.
  host.files.set(VALUES_PATH, VALUES.replace(`- rule: ${RULE}`, '- rule: Shell under an nginx worker'));
  service.didChangeWatchedFiles([VALUES_URI]);
  assert.ok(service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] })
    .every((a) => !/customRules 'rules-nginx\.yaml'/.test(a.title)), 'the rule of the alert is no longer defined there');
  assert.equal(reads(), 2);
  // Removed from disk: forgotten.
  host.files.set(VALUES_PATH, VALUES);
  service.didChangeWatchedFiles([VALUES_URI]);
  assert.ok(service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).some((a) => /customRules/.test(a.title)));
  host.files.delete(VALUES_PATH);
  service.didChangeWatchedFiles([VALUES_URI]);
  assert.ok(service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).every((a) => !/customRules/.test(a.title)));
});

test('which files are read: YAML files not named as Falco files, outside skipped folders, within the budget', () => {
  const files: Record<string, string> = {
    '/ws/falco_rules.local.yaml': '- macro: m\n  condition: proc.name = x\n',
    '/ws/falco.yaml': 'stdout_output:\n  enabled: true\n',
    '/ws/node_modules/pkg/values.yaml': VALUES,
    '/ws/notes.txt': 'customRules',
  };
  // 600 manifests first in the walk's order, then the values file and a ConfigMap-like file named nothing special.
  for (let i = 0; i < 600; i++) files[`/ws/a/m${String(i).padStart(3, '0')}.yaml`] = `kind: Deployment\nmetadata:\n  name: d${i}\n`;
  files['/ws/z/values.yaml'] = VALUES;
  files['/ws/z/zz.yaml'] = VALUES.replace(`- rule: ${RULE}`, '- rule: Another rule');
  const { host, service } = workspace(files);
  const names = service.alerts.codeActions!(openLog(service, JSON_ALERT), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }).map((a) => a.title);
  assert.ok(names.some((t) => /customRules 'rules-nginx\.yaml'/.test(t)), 'the values file is read first, whatever its place in the walk');
  const read = new Set(host.reads);
  assert.ok(!read.has('/ws/node_modules/pkg/values.yaml') && !read.has('/ws/notes.txt'));
  assert.ok(!read.has('/ws/falco.yaml'), 'Falco\'s configuration is not a host');
  const yamlRead = host.reads.filter((p) => /\/ws\/[az]\//.test(p));
  assert.equal(yamlRead.length, 500, 'at most 500 YAML files are read');
  assert.ok(!read.has('/ws/z/zz.yaml'), 'a file past the budget is not read');
  assert.ok(host.logs.some((m) => /read 500 of the workspace's 602 YAML files/.test(m)), host.logs.join('\n'));
  assert.deepEqual(scanOrder(['/ws/a/x.yaml', '/ws/b/values-prod.yaml', '/ws/deploy/falco/cm.yaml', '/ws/c/y.yml'], ['/ws']), ['/ws/deploy/falco/cm.yaml', '/ws/b/values-prod.yaml', '/ws/a/x.yaml', '/ws/c/y.yml']);
  // A workspace folder named after Falco does not make every file look like Falco's.
  assert.deepEqual(scanOrder(['/falco-ws/a.yaml', '/falco-ws/values.yaml'], ['/falco-ws']), ['/falco-ws/values.yaml', '/falco-ws/a.yaml']);
});

test('falcoLens.embeddedRules off: closed values files are not read', () => {
  const { host, service } = workspace({ [VALUES_PATH]: VALUES });
  host.config = { ...host.config, embeddedRules: false };
  const log = openLog(service, TEXT_ALERT);
  assert.doesNotMatch(hoverText(service, log, TEXT_ALERT.indexOf('Shell under') + 3), /Shell spawned by nginx/);
  assert.ok(!host.reads.includes(VALUES_PATH));
});

test('the configuration service does not count the rules of closed values files, whether the alerts read them or not', () => {
  const { service } = workspace({ [VALUES_PATH]: VALUES });
  const config = TextDocument.create(pathToUri('/ws/falco.yaml'), 'falco-config', 1, `rules:\n  - disable:\n      rule: ${RULE}\n`);
  const hover = () => {
    const h = service.config.hover!(config, { line: 2, character: 14 });
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  const before = hover();
  assert.match(before, /No rules are loaded/);
  // The alerts service reads the closed file's rules: the configuration's answer is the same.
  const log = openLog(service, TEXT_ALERT);
  assert.match(hoverText(service, log, TEXT_ALERT.indexOf('Shell under') + 3), /Shell spawned by nginx/);
  assert.equal(hover(), before);
  // Open, the values file's rules are still not this falco.yaml's: it names no rules file (config/index.ts
  // loadedRules), and a chart's customRules are files of the chart's pod.
  service.embedded.didOpenOrChange?.(TextDocument.create(VALUES_URI, 'yaml', 1, VALUES));
  assert.equal(hover(), before);
  // falco.yaml in an open ConfigMap (a configuration service of its own, the pod's configuration) counts the open
  // values file's customRules, and not those of a closed one.
  const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |-\n    stdout_output:\n      enabled: true\n    rules:\n      - disable:\n          rule: ${RULE}\n`;
  const cm = TextDocument.create(pathToUri('/ws/other/cm.yaml'), 'yaml', 1, configMap);
  const cmHover = () => {
    service.embedded.didOpenOrChange?.(cm);
    const h = service.embedded.hover!(cm, { line: 10, character: 18 });
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  assert.match(cmHover(), /Disables 1 of the 1 loaded rules/);
  service.embedded.didClose?.(VALUES_URI);
  const other = openLog(service, TEXT_ALERT, 'file:///logs/other.log');
  assert.match(hoverText(service, other, TEXT_ALERT.indexOf('Shell under') + 3), /Shell spawned by nginx/);
  assert.equal(hover(), before);
  assert.match(cmHover(), /No rules are loaded/);
});
