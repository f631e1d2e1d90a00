// client/src/languageClient.ts dispose under the stand-in for VS Code's API (session 24). VS Code deactivates an
// extension by calling deactivate() (extension.ts: FalcoLanguageClient.stop) and then, without waiting for its promise,
// disposing the context's subscriptions (extHostExtensionService _deactivate, VS Code 1.100). dispose() disposed the
// output channel at once, while the server was still stopping: what the language client and the server log then was
// lost. The channel is now disposed after the stops under way end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import { fake, workspace, EventEmitter, Uri } from '../helpers/vscodeFake';
import { FalcoLanguageClient } from '../../client/src/languageClient';

/** A LanguageClient whose stop takes a turn of the event loop and logs, as the server's last messages do. */
class SlowStoppingClient {
  private running = false;
  private readonly stateChanged = new EventEmitter<unknown>();
  readonly onDidChangeState = this.stateChanged.event;
  constructor(readonly options: LanguageClientOptions, private readonly fails: boolean) {}
  isRunning(): boolean { return this.running; }
  async start(): Promise<void> { this.running = true; this.stateChanged.fire({}); }
  async stop(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.options.outputChannel!.appendLine('[Info] Falco Lens language server: shutting down, 2 open documents');
    if (this.fails) throw new Error('Stopping the server timed out after 2000 ms');
    this.running = false;
    this.stateChanged.fire({});
  }
  sendNotification(): Promise<void> { return Promise.resolve(); }
}

async function running(fails = false) {
  fake.reset();
  workspace.textDocuments = [{ uri: Uri.file('/ws/falco_rules.yaml'), languageId: 'falco-rules', getText: () => '', isDirty: false }];
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => `/extension/${p}` } as unknown as vscode.ExtensionContext;
  const client = new FalcoLanguageClient(context, (options) => new SlowStoppingClient(options, fails) as unknown as LanguageClient);
  subscriptions.push(client);
  await client.start();
  const [channel] = fake.outputs;
  /** What the extension host does: deactivate(), then the subscriptions disposed at once. */
  const deactivate = () => {
    const stopped = client.stop();
    for (const d of subscriptions.splice(0)) d.dispose();
    return stopped;
  };
  return { client, channel, deactivate };
}

/** Until the channel is disposed (it is, once the stops have ended). */
async function disposed(channel: { disposed: boolean }): Promise<void> {
  for (let turns = 0; !channel.disposed; turns++) {
    assert.ok(turns < 100, 'the output channel is disposed');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('deactivating: what is logged while the server stops reaches the output channel, which is then disposed', async () => {
  const { channel, deactivate } = await running();
  await deactivate();
  await disposed(channel);
  assert.ok(channel.lines.includes('[Info] Falco Lens language server: shutting down, 2 open documents'), channel.lines.join('\n'));
  assert.deepEqual(channel.linesAfterDispose, []);
});

test('a stop that fails is said in the output channel before it is disposed; dispose alone waits for the stop too', async () => {
  const { channel, deactivate } = await running(true);
  await deactivate();
  await disposed(channel);
  assert.ok(channel.lines.some((l) => l.startsWith('warn Stopping the language server: Error: Stopping the server timed out')), channel.lines.join('\n'));
  assert.deepEqual(channel.linesAfterDispose, []);

  const other = await running();
  other.client.dispose();
  assert.equal(other.channel.disposed, false, 'not while the server stops');
  await disposed(other.channel);
  assert.deepEqual(other.channel.linesAfterDispose, []);
  assert.ok(other.channel.lines.some((l) => l.includes('shutting down')));
});
