// client/src/languageClient.ts under the stand-in for VS Code's API (test/helpers/vscodeFake.ts), with a LanguageClient
// that records what it is given and changes state as vscode-languageclient's does (session 23's audit of the client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import { fake, EventEmitter } from '../helpers/vscodeFake';
import { FalcoLanguageClient } from '../../client/src/languageClient';

/** vscode-languageclient's LanguageClient as FalcoLanguageClient uses it: start, stop, its state, notifications. */
class RecordingClient {
  private running = false;
  private readonly stateChanged = new EventEmitter<unknown>();
  readonly onDidChangeState = this.stateChanged.event;
  constructor(readonly options: LanguageClientOptions) {}
  isRunning(): boolean { return this.running; }
  async start(): Promise<void> { this.running = true; this.stateChanged.fire({}); }
  async stop(): Promise<void> { this.running = false; this.stateChanged.fire({}); }
  /** What vscode-languageclient does when the server process dies: it starts a new one (its default error handler). */
  async crashAndRestart(): Promise<void> { await this.stop(); await this.start(); }
  sendNotification(): Promise<void> { return Promise.resolve(); }
}

function scene() {
  fake.reset();
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => `/extension/${p}` } as unknown as vscode.ExtensionContext;
  const made: RecordingClient[] = [];
  const client = new FalcoLanguageClient(context, (options) => {
    const c = new RecordingClient(options);
    made.push(c);
    return c as unknown as LanguageClient;
  });
  subscriptions.push(client);
  const deactivate = () => { for (const d of subscriptions.splice(0)) d.dispose(); };
  return { client, made, deactivate };
}

test('restarting the server makes no new file watcher; the one watcher is disposed with the extension', async () => {
  const { client, made, deactivate } = scene();
  await client.start();
  for (let i = 0; i < 3; i++) await client.restart();
  assert.equal(made.length, 4, 'a LanguageClient per start');
  assert.equal(fake.watchers.created - fake.watchers.disposed, 1, 'one watcher alive after three restarts');
  const watched = new Set(made.map((c) => c.options.synchronize?.fileEvents));
  assert.equal(watched.size, 1, 'every LanguageClient is given the same watcher');
  deactivate();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fake.watchers.created, fake.watchers.disposed, 'no watcher outlives the extension');
});

test('onDidStartServer fires for each server: started, restarted by the command, restarted after a crash', async () => {
  const { client, made, deactivate } = scene();
  let starts = 0;
  client.onDidStartServer(() => { starts++; });
  await client.start();
  assert.equal(starts, 1);
  await client.restart();
  assert.equal(starts, 2);
  await made[1].crashAndRestart();
  assert.equal(starts, 3, 'the same LanguageClient running a new server process');
  // A client stopped by a restart is not listened to any more.
  await made[0].start();
  assert.equal(starts, 3, 'a replaced client is not listened to');
  deactivate();
});

test('the server is sent files on disk and untitled buffers only, not the other views of a file (a diff\'s git: side)', async () => {
  const { client, made, deactivate } = scene();
  await client.start();
  const selector = made[0].options.documentSelector as { scheme?: string; language?: string }[];
  // A document matches a filter when it has every property the filter names (VS Code's DocumentFilter).
  const selected = (scheme: string, language: string) => selector.some((f) => (f.scheme === undefined || f.scheme === scheme) && (f.language === undefined || f.language === language));
  for (const language of ['falco-rules', 'falco-alerts', 'falco-config', 'yaml']) {
    assert.ok(selected('file', language), `file ${language}`);
    assert.ok(selected('untitled', language), `untitled ${language}`);
    for (const scheme of ['git', 'vscode-vfs', 'vscode-notebook-cell', 'output']) assert.ok(!selected(scheme, language), `${scheme} ${language}`);
  }
  assert.ok(!selected('file', 'json'));
  // The alert texts the Alert Explorer shows read-only are alerts too; reports (Markdown) are not the server's.
  assert.ok(selected('falco-lens', 'falco-alerts'));
  assert.ok(!selected('falco-lens', 'markdown'));
  deactivate();
});
