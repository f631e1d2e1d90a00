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
import { fake, workspace, commands, EventEmitter, Uri } from '../helpers/vscodeFake';
import { FALCO_WORKSPACE_FILES, needsServer as needsServerOf } from '../../client/src/languageClient';
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

function doc(file: string, languageId: string, text: string, scheme = 'file') {
  return { uri: scheme === 'file' ? Uri.file(file) : Uri.from({ scheme, path: file }), languageId, getText: () => text, isDirty: false };
}

async function activated(documents: ReturnType<typeof doc>[], workspaceFiles: string[] = []) {
  fake.reset();
  workspace.textDocuments = documents;
  fake.workspaceFiles = workspaceFiles;
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
