// client/src/languageClient.ts startWhenNeeded under the stand-in for VS Code's API (session 24). The extension
// activates on any YAML file (onLanguage:yaml), and activation started the language server: a repository of Kubernetes
// manifests paid for a server process that had nothing to say. The server now starts with the extension only when a
// document needs it (Falco's languages, or YAML that the server's own test, embedded/hostSniff.ts, says can hold Falco
// rules or configuration) or the workspace has Falco's files; else at the first such document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import { fake, workspace, commands, languages, EventEmitter, Uri } from '../helpers/vscodeFake';
import { FALCO_WORKSPACE_FILES, needsServer as needsServerOf } from '../../client/src/languageClient';
import { falcoDependencies } from '../../server/src/service/embedded/regions';
import { mayListFalcoDependency, umbrellaChartFolder } from '../../server/src/service/embedded/hostSniff';
import { activateWith } from '../../client/src/activation';

class RecordingClient {
  private running = false;
  private readonly stateChanged = new EventEmitter<unknown>();
  readonly onDidChangeState = this.stateChanged.event;
  constructor(readonly options: LanguageClientOptions) {}
  isRunning(): boolean { return this.running; }
  async start(): Promise<void> { this.running = true; this.stateChanged.fire({}); }
  async stop(): Promise<void> { this.running = false; this.stateChanged.fire({}); }
  sendNotification(): Promise<void> { return Promise.resolve(); }
  sendRequest(): Promise<unknown> { return Promise.resolve({ base: 'falco.log', files: [] }); }
  onNotification() { return { dispose: () => undefined }; }
}

const DEPLOYMENT = fs.readFileSync(path.join(process.cwd(), 'e2e', 'workspace', 'plain', 'deployment.yaml'), 'utf8');
const VALUES = fs.readFileSync(path.join(process.cwd(), 'e2e', 'workspace', 'helm', 'values.yaml'), 'utf8');
/** Prometheus alerting rules, named like a Falco rules file. */
const PROMETHEUS = fs.readFileSync(path.join(process.cwd(), 'e2e', 'workspace', 'alert_rules.yaml'), 'utf8');
const corpus = path.join(process.cwd(), '..', 'shared', 'corpus');
/** Falco Talon's response rules (corpus: falcosecurity/falco-talon deployment/helm/rules.yaml). */
const TALON = path.join(corpus, 'responses', 'falcosecurity__falco-talon', 'rules.yaml');
/** Falco's own rules file (corpus: falcosecurity/rules). */
const FALCO_RULES = path.join(corpus, 'rules', 'falcosecurity__rules', 'falco_rules.yaml');

function doc(file: string, languageId: string, text: string, scheme = 'file') {
  return { uri: scheme === 'file' ? Uri.file(file) : Uri.from({ scheme, path: file }), languageId, getText: () => text, isDirty: false };
}

async function activated(documents: ReturnType<typeof doc>[], workspaceFiles: string[] = [], files: Record<string, string> = {}) {
  fake.reset();
  workspace.textDocuments = documents;
  fake.workspaceFiles = workspaceFiles;
  for (const [file, text] of Object.entries(files)) fake.files.set(file, text);
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => `/extension/${p}` } as unknown as vscode.ExtensionContext;
  const made: RecordingClient[] = [];
  const api = await activateWith(context, (options) => { const c = new RecordingClient(options); made.push(c); return c as unknown as LanguageClient; });
  const deactivate = () => { for (const d of subscriptions.splice(0)) d.dispose(); };
  return { api, made, deactivate };
}

/** needsServer of a stand-in document (its URI the stand-in's). */
const needsServer = (document: ReturnType<typeof doc>) => needsServerOf(document as unknown as vscode.TextDocument);

/** Lets the start a listener began run to its end. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

test('a Kubernetes manifest opened in a workspace without Falco\'s files starts no server; a chart\'s values with customRules opened later does', async () => {
  const { api, made, deactivate } = await activated([doc('/ws/k8s/deployment.yaml', 'yaml', DEPLOYMENT)]);
  assert.equal(made.length, 0, 'no server for a Deployment');
  assert.equal(api.client.languageClient, undefined);
  assert.deepEqual(fake.findFilesGlobs, [`{${FALCO_WORKSPACE_FILES.join(',')}}`], 'the workspace was searched once for Falco\'s files');
  fake.openedDocument.fire(doc('/ws/k8s/service.yaml', 'yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n'));
  await settled();
  assert.equal(made.length, 0, 'nor for a Service');
  fake.openedDocument.fire(doc('/ws/charts/falco/values.yaml', 'yaml', VALUES));
  await settled();
  assert.equal(made.length, 1, 'a server for the customRules');
  assert.ok(api.client.languageClient);
  // Started, it waits for nothing more.
  fake.openedDocument.fire(doc('/ws/falco_rules.yaml', 'falco-rules', '- list: a\n  items: []\n'));
  await settled();
  assert.equal(made.length, 1);
  deactivate();
});

test('a YAML file edited into a ConfigMap holding rules starts the server', async () => {
  const { made, deactivate } = await activated([doc('/ws/cm.yaml', 'yaml', '')]);
  assert.equal(made.length, 0);
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco-rules\ndata:\n  web_rules.yaml: |-\n    - rule: Shell in web\n';
  fake.changedDocument.fire({ document: doc('/ws/cm.yaml', 'yaml', text) });
  await settled();
  assert.equal(made.length, 1);
  deactivate();
});

test('a Falco document open at activation, or Falco\'s files in the workspace, start the server with the extension', async () => {
  for (const open of [doc('/ws/falco_events.json', 'falco-alerts', '{"rule":"x"}'), doc('Untitled-1', 'falco-rules', '', 'untitled'), doc('/ws/falco.yaml', 'falco-config', 'json_output: true\n')]) {
    const { made, deactivate } = await activated([open]);
    assert.equal(made.length, 1, `${open.languageId} ${open.uri.scheme}`);
    assert.deepEqual(fake.findFilesGlobs, [], 'no search needed');
    deactivate();
  }
  const { made, deactivate } = await activated([], ['/ws/rules/falco_rules.yaml']);
  assert.equal(made.length, 1, 'a workspace with a Falco rules file');
  deactivate();
});

test('the chart\'s values with customRules past their first kilobyte need the server; a diff\'s git: side does not', () => {
  const deep = `${'# a comment of the chart\'s values\nreplicaCount: 1\n'.repeat(600)}customRules:\n  rules-web.yaml: |-\n    - rule: x\n`;
  assert.ok(needsServer(doc('/ws/values.yaml', 'yaml', deep)));
  assert.ok(!needsServer(doc('/ws/values.yaml', 'yaml', deep, 'git')));
  assert.ok(!needsServer(doc('/ws/values.yaml', 'json', deep)));
  assert.ok(needsServer(doc('/ws/operator.yaml', 'yaml', 'apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Rulesfile\n')));
  assert.ok(needsServer(doc('/ws/umbrella.yaml', 'yaml', 'falco:\n  json_output: true\n')));
  assert.ok(!needsServer(doc('/ws/k8s/deployment.yaml', 'yaml', DEPLOYMENT)));
});

test('the Alert Explorer starts the server it needs; its activation events are the workspace files the client looks for', async () => {
  const { made, api, deactivate } = await activated([]);
  assert.equal(made.length, 0);
  await api.explorer.rotatedFiles('/ws/falco.log');
  assert.equal(made.length, 1);
  const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
  const events = manifest.activationEvents as string[];
  assert.deepEqual(events.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length)), FALCO_WORKSPACE_FILES);
  assert.ok(events.includes('onLanguage:yaml'), 'YAML files are looked at');
  await commands.executeCommand('falcoLens.restartServer');
  deactivate();
});

// ---- Session 24, the two cases left. package.json gives `*_rules.yaml` to the falco-rules language, and other tools use
// the name: such a file started the server, which the didOpen middleware then did not even get the file from. And an
// umbrella chart's values under an alias hold only the Falco chart's words (`driver:`), which mayHoldRules does not know.

type Middleware = NonNullable<LanguageClientOptions['middleware']>;
/** What the middleware passes on to the server, for a document the LanguageClient would send. */
async function sent(middleware: Middleware, document: ReturnType<typeof doc>, sentNow: string[]) {
  await middleware.didOpen!(document as never, async (d) => { sentNow.push(`open ${d.uri.path} ${d.languageId}`); });
}

test('another tool\'s *_rules.yaml starts no server and is reopened as YAML; a Falco rules file of that name, even empty, starts it', async () => {
  const prometheus = doc('/ws/monitoring/alert_rules.yaml', 'falco-rules', PROMETHEUS);
  const { made, deactivate } = await activated([prometheus]);
  await settled();
  assert.equal(made.length, 0, 'no server for Prometheus rules');
  assert.equal(prometheus.languageId, 'yaml', 'reopened as YAML');
  assert.ok(fake.outputs[0].lines.some((l) => l.includes('/ws/monitoring/alert_rules.yaml does not look like a Falco rules file')));
  if (fs.existsSync(TALON)) {
    const talon = doc('/ws/talon/response_rules.yaml', 'falco-rules', fs.readFileSync(TALON, 'utf8'));
    fake.openedDocument.fire(talon);
    await settled();
    assert.equal(made.length, 0, 'nor for Falco Talon\'s');
    assert.equal(talon.languageId, 'yaml');
  }
  // A new file the user is about to write Falco rules into: kept, and the server started for it.
  const empty = doc('/ws/my_rules.yaml', 'falco-rules', '');
  fake.openedDocument.fire(empty);
  await settled();
  assert.equal(made.length, 1, 'a server for the new rules file');
  assert.equal(empty.languageId, 'falco-rules');
  const sentNow: string[] = [];
  await sent(made[0].options.middleware!, empty, sentNow);
  assert.deepEqual(sentNow, ['open /ws/my_rules.yaml falco-rules'], 'sent from its first open');
  deactivate();
});

test('a real Falco rules file named *_rules.yaml starts the server at activation and is sent as one', async (t) => {
  if (!fs.existsSync(FALCO_RULES)) { t.skip(`corpus absent at ${corpus}`); return; }
  const rules = doc('/ws/team/web_rules.yaml', 'falco-rules', fs.readFileSync(FALCO_RULES, 'utf8'));
  const { made, deactivate } = await activated([doc('/ws/monitoring/alert_rules.yaml', 'falco-rules', PROMETHEUS), rules]);
  assert.equal(made.length, 1);
  await settled();
  assert.equal(rules.languageId, 'falco-rules');
  const sentNow: string[] = [];
  await sent(made[0].options.middleware!, rules, sentNow);
  assert.deepEqual(sentNow, ['open /ws/team/web_rules.yaml falco-rules']);
  deactivate();
});

test('with a server running, another tool\'s *_rules.yaml is never sent as rules: its YAML document is', async () => {
  const { made, deactivate } = await activated([doc('/ws/falco_rules.yaml', 'falco-rules', '- list: a\n  items: []\n')]);
  assert.equal(made.length, 1);
  const middleware = made[0].options.middleware!;
  const prometheus = doc('/ws/alert_rules.yaml', 'falco-rules', PROMETHEUS);
  const sentNow: string[] = [];
  // The LanguageClient listens after the extension's own listener: the open is decided before its didOpen.
  fake.openedDocument.event((d) => { void sent(middleware, d as typeof prometheus, sentNow); });
  fake.closedDocument.event((d) => { void middleware.didClose!(d as never, async (x) => { sentNow.push(`close ${x.uri.path} ${x.languageId}`); }); });
  fake.openedDocument.fire(prometheus);
  await settled();
  assert.deepEqual(sentNow, ['open /ws/alert_rules.yaml yaml'], 'its open and close as rules withheld');
  deactivate();
});

test('the user picking "Falco Rules" for a file reopened as YAML starts the server, and the file is sent as rules', async () => {
  const prometheus = doc('/ws/alert_rules.yaml', 'falco-rules', PROMETHEUS);
  const { made, deactivate } = await activated([prometheus]);
  await settled();
  assert.equal(prometheus.languageId, 'yaml');
  assert.equal(made.length, 0);
  await languages.setTextDocumentLanguage(prometheus as never, 'falco-rules');
  await settled();
  assert.equal(prometheus.languageId, 'falco-rules', 'the choice stands');
  assert.equal(made.length, 1);
  const sentNow: string[] = [];
  await sent(made[0].options.middleware!, prometheus, sentNow);
  assert.deepEqual(sentNow, ['open /ws/alert_rules.yaml falco-rules']);
  deactivate();
});

test('a *_rules.yaml that cannot be reopened as YAML stays a rules file: the server starts for it', async () => {
  fake.reset();
  languages.refuseLanguageChange = true;
  const prometheus = doc('/ws/alert_rules.yaml', 'falco-rules', PROMETHEUS);
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => `/extension/${p}` } as unknown as vscode.ExtensionContext;
  const made: RecordingClient[] = [];
  workspace.textDocuments = [prometheus];
  await activateWith(context, (options) => { const c = new RecordingClient(options); made.push(c); return c as unknown as LanguageClient; });
  await settled();
  assert.equal(prometheus.languageId, 'falco-rules');
  assert.equal(made.length, 1, 'checked as a Falco rules file, which needs the server');
  const sentNow: string[] = [];
  await sent(made[0].options.middleware!, prometheus, sentNow);
  assert.deepEqual(sentNow, ['open /ws/alert_rules.yaml falco-rules']);
  assert.ok(fake.outputs[0].lines.some((l) => l.startsWith('warn Could not open') && l.includes('/ws/alert_rules.yaml as YAML')));
  for (const d of subscriptions.splice(0)) d.dispose();
});

const umbrellaChart = (dependency: string) => `apiVersion: v2
name: platform-security
version: 1.4.0
dependencies:
  - name: falcosidekick
    version: 0.9.x
    repository: https://falcosecurity.github.io/charts
${dependency}`;
const FALCO_DEPENDENCY = '  - name: falco\n    version: 9.1.0\n    repository: https://falcosecurity.github.io/charts\n    alias: runtime\n';
/** The Falco chart's values under the dependency's alias: no customRules, no falco: key. */
const UMBRELLA_VALUES = 'runtime:\n  driver:\n    kind: modern_ebpf\n  collectors:\n    containerd:\n      enabled: true\n';

test('an umbrella chart\'s values (Chart.yaml beside them lists Falco\'s chart) start the server: open at activation, or opened later', async () => {
  const values = doc('/ws/platform/values.yaml', 'yaml', UMBRELLA_VALUES);
  assert.ok(!needsServer(values), 'nothing in the text says Falco');
  const first = await activatedWith({ '/ws/platform/Chart.yaml': umbrellaChart(FALCO_DEPENDENCY) }, [values]);
  assert.equal(first.made.length, 1, 'started with the extension');
  first.deactivate();

  const later = await activatedWith({ '/ws/platform/Chart.yaml': umbrellaChart(FALCO_DEPENDENCY), '/ws/other/Chart.yaml': umbrellaChart('') }, []);
  assert.equal(later.made.length, 0);
  fake.openedDocument.fire(doc('/ws/other/values.yaml', 'yaml', UMBRELLA_VALUES));
  fake.openedDocument.fire(doc('/ws/alone/values.yaml', 'yaml', UMBRELLA_VALUES));
  fake.openedDocument.fire(doc('/ws/platform/Chart.yaml', 'yaml', umbrellaChart(FALCO_DEPENDENCY)));
  await settled();
  assert.equal(later.made.length, 0, 'not beside a Chart.yaml without Falco\'s chart, nor alone, nor the Chart.yaml itself');
  fake.openedDocument.fire(doc('/ws/platform/values-prod.yaml', 'yaml', UMBRELLA_VALUES));
  await settled();
  assert.equal(later.made.length, 1, 'values given to the chart, beside its Chart.yaml');
  later.deactivate();
});

test('a Chart.yaml edited, or changed on disk, to list Falco\'s chart starts the server for the values open beside it', async () => {
  const values = doc('/ws/platform/values.yaml', 'yaml', UMBRELLA_VALUES);
  const edited = await activatedWith({ '/ws/platform/Chart.yaml': umbrellaChart('') }, [values]);
  assert.equal(edited.made.length, 0);
  const chart = doc('/ws/platform/Chart.yaml', 'yaml', umbrellaChart(FALCO_DEPENDENCY));
  workspace.textDocuments.push(chart);
  fake.changedDocument.fire({ document: chart });
  await settled();
  assert.equal(edited.made.length, 1, 'the open Chart.yaml\'s text');
  edited.deactivate();

  const onDisk = await activatedWith({ '/ws/platform/Chart.yaml': umbrellaChart('') }, [values]);
  assert.equal(onDisk.made.length, 0);
  fake.files.set('/ws/platform/Chart.yaml', umbrellaChart(FALCO_DEPENDENCY));
  fake.changedFile.fire(Uri.file('/ws/platform/Chart.yaml'));
  await settled();
  assert.equal(onDisk.made.length, 1, 'the disk\'s, after the watcher\'s change');
  onDisk.deactivate();
});

test('the client\'s test of a Chart.yaml passes every one in which the server finds Falco\'s chart', () => {
  const charts: Record<string, string> = {
    block: umbrellaChart(FALCO_DEPENDENCY),
    quoted: umbrellaChart('  - name: "falco"\n    version: 9.1.0\n'),
    flow: 'apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies: [{name: falco, version: 9.1.0, condition: falco.enabled}]\n',
    json: '{"apiVersion": "v2", "name": "p", "version": "1.0.0", "dependencies": [{"name":"falco","version":"9.1.0"}]}\n',
    tagged: umbrellaChart('  - name: !!str falco\n'),
    anchored: 'apiVersion: v2\nname: p\nchart: &falco falco\nversion: 1.0.0\ndependencies:\n  - name: *falco\n',
  };
  for (const [name, text] of Object.entries(charts)) {
    assert.ok(falcoDependencies(text).length > 0, `${name}: the server finds it`);
    assert.ok(mayListFalcoDependency(text), `${name}: the client lets it through`);
  }
  for (const text of [umbrellaChart(''), umbrellaChart('  - name: falco-exporter\n    condition: falco.enabled\n'), 'apiVersion: v2\nname: falco\nversion: 4.0.0\n']) {
    assert.ok(!mayListFalcoDependency(text), text);
    assert.deepEqual(falcoDependencies(text), []);
  }
  assert.equal(umbrellaChartFolder('/ws/platform/values.yaml'), '/ws/platform');
  assert.equal(umbrellaChartFolder('C:\\ws\\platform\\prod.yml'), 'C:\\ws\\platform');
  for (const own of ['/ws/platform/Chart.yaml', '/ws/platform/requirements.yaml', '/ws/platform/Chart.lock', '/ws/platform/README.md']) assert.equal(umbrellaChartFolder(own), undefined, own);
});

/** Activation with these files on disk (workspace.fs) and documents open. */
const activatedWith = (files: Record<string, string>, documents: ReturnType<typeof doc>[]) => activated(documents, [], files);
