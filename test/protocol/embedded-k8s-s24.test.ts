// Session 24, through the bundled server: Kubernetes manifests and Helm charts holding Falco's files. A ConfigMap of
// the official rules that client-side kubectl apply cannot apply (its last-applied-configuration annotation over
// 256 KiB) is warned at its data key, and a null data entry's finding names what each way of applying does. An
// umbrella chart's values for Falco's chart (its Chart.yaml's dependency, under its alias) are the chart's values:
// their falco: is checked as falco.yaml whatever its keys look like, and a condition turning it off is said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import { corpusDir } from '../helpers/corpus';

const corpus = corpusDir();
const indented = (text: string) => text.replace(/^(?=.)/gm, '    ');

test('a ConfigMap of the official rules: the apply-size warning and the null entry at the host\'s lines', { skip: !corpus && 'corpus absent' }, async () => {
  const rules = path.join(corpus!, 'rules', 'falcosecurity__rules', 'tags', 'falco-rules-3.0.0');
  const files = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => [f, fs.readFileSync(path.join(rules, f), 'utf8')]);
  for (const plugin of ['k8saudit/k8s_audit_rules.yaml', 'gcpaudit/gcp_auditlog_rules.yaml']) {
    files.push([path.basename(plugin), fs.readFileSync(path.join(corpus!, 'rules', 'falcosecurity__plugins', plugin), 'utf8')]);
  }
  const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco-rules\n  namespace: falco\ndata:\n  falco_rules.local.yaml:\n${files.map(([key, text]) => `  ${key}: |\n${indented(text)}`).join('')}`;
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-hE-k8s-'));
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const uri = `file://${path.join(ws, 'falco-rules-configmap.yaml')}`;
    const first = server.nextDiagnostics(uri, undefined, 60000);
    server.open(uri, 'yaml', manifest);
    const found = (await first).diagnostics.filter((d) => String(d.code).startsWith('embedded-configmap'));
    assert.deepEqual(found.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]), [
      ['embedded-configmap-empty-entry', 3, 6, 2, 24],
      ['embedded-configmap-apply-too-large', 2, 5, 0, 4],
    ]);
    assert.match(String(found[1].message), /^kubectl apply without --server-side fails on ConfigMap 'falco-rules': .* makes its annotations \d+ bytes, and the API server allows at most 262144 /);
    assert.match(String(found[0].message), /kubectl apply --server-side store the empty text/);
    // Without the sandbox rules: applied client-side without a word.
    const smaller = server.nextDiagnostics(uri, 2, 60000);
    server.change(uri, 2, manifest.slice(0, manifest.indexOf('  falco-sandbox_rules.yaml: |')));
    assert.deepEqual((await smaller).diagnostics.filter((d) => /too-large/.test(String(d.code))), []);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

const CHART = `apiVersion: v2
name: platform-security
type: application
version: 1.4.0
dependencies:
  - name: falco
    version: 9.1.0
    repository: https://falcosecurity.github.io/charts
    alias: runtime
`;
const VALUES = `runtime:
  enabled: false
  driver:
    kind: modern_ebpf
  falco:
    json_ouput: true
    log_lvl: info
    priority: debug
  customRules:
    web.yaml: |-
      - rule: Shell in web container
        desc: A shell in a web server's container.
        condition: evt.type = execve and proc.nam in (bash, sh)
        output: Shell in web container (command=%proc.cmdline)
        priority: WARNING
`;

test('an umbrella chart\'s values for Falco\'s chart under its alias: checked as the chart\'s, its condition read', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-hE-umbrella-'));
  fs.mkdirSync(path.join(ws, 'platform'));
  const chartPath = path.join(ws, 'platform', 'Chart.yaml');
  fs.writeFileSync(chartPath, CHART);
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const uri = `file://${path.join(ws, 'platform', 'values.yaml')}`;
    const first = server.nextDiagnostics(uri);
    server.open(uri, 'yaml', VALUES);
    const found = (await first).diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]);
    // Two of the falco: keys misspelt (not taken for falco.yaml by its look alone); the rule's unknown field.
    assert.deepEqual(found, [['config-unknown-key', 5, 4], ['config-unknown-key', 6, 4], ['unknown-field', 12, 41]]);
    // Chart.yaml gives the dependency a condition its values turn off: said at the value, once the change is watched.
    fs.writeFileSync(chartPath, `${CHART}    condition: runtime.enabled\n`);
    const again = server.nextDiagnostics(uri);
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `file://${chartPath}`, type: FileChangeType.Changed }] });
    const off = (await again).diagnostics.find((d) => d.code === 'embedded-umbrella-falco-off');
    assert.ok(off, 'the condition is said');
    assert.deepEqual([off.range.start.line, off.range.start.character, off.range.end.character], [1, 11, 16]);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
