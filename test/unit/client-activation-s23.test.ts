// client/src/activation.ts under the stand-in for VS Code's API (session 23's audit of the client): a language server
// that does not start at activation. vscode-languageclient shows its own error then (client.js start: "couldn't create
// connection to server", forced, with Go to Output); activation rejected as well, which VS Code reports as the
// extension failing to activate, with no API for the editor tests. It now completes: the commands and the Alert
// Explorer are there, and Falco: Restart Language Server starts a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { fake, commands, workspace, EventEmitter, Uri } from '../helpers/vscodeFake';
import { activateWith } from '../../client/src/activation';

/** A LanguageClient whose server starts, or not. */
class ScriptedClient {
  private running = false;
  private readonly stateChanged = new EventEmitter<unknown>();
  readonly onDidChangeState = this.stateChanged.event;
  constructor(private readonly starts: boolean) {}
  isRunning(): boolean { return this.running; }
  async start(): Promise<void> {
    if (!this.starts) throw new Error('Connection to server got closed. Server will not be restarted.');
    this.running = true;
    this.stateChanged.fire({});
  }
  async stop(): Promise<void> { this.running = false; this.stateChanged.fire({}); }
  sendNotification(): Promise<void> { return Promise.resolve(); }
}

test('a server that does not start leaves the extension active; Falco: Restart Language Server starts one', async () => {
  fake.reset();
  // A rules file open: the server is needed at once (session 24: it starts when a document needs it).
  workspace.textDocuments = [{ uri: Uri.file('/ws/falco_rules.yaml'), languageId: 'falco-rules', getText: () => '', isDirty: false }];
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => `/extension/${p}` } as unknown as vscode.ExtensionContext;
  const clients: ScriptedClient[] = [];
  const api = await activateWith(context, () => {
    const c = new ScriptedClient(clients.length > 0);
    clients.push(c);
    return c as unknown as LanguageClient;
  });
  assert.equal(api.client.languageClient, undefined, 'no server');
  for (const id of ['falcoLens.restartServer', 'falcoLens.showOutput', 'falcoLens.explorer.open']) assert.ok(fake.commands.has(id), id);
  await commands.executeCommand('falcoLens.restartServer');
  assert.equal(clients.length, 2);
  assert.ok(api.client.languageClient, 'a server now');
  assert.deepEqual(fake.messages, ['status: Falco Lens: language server restarted']);
  for (const d of subscriptions.splice(0)) d.dispose();
});
