// The Alert Explorer (client/src/explorer/alertExplorer.ts) under the stand-in for VS Code's API, against the real
// server (session 23's audit of the client): an alert of a log the editor cannot open (gzip, over 50 MB, gone) is shown
// as its own text. That was an untitled document made with the text, which VS Code holds dirty from the start: each
// alert clicked stayed as a tab asking to be saved when closed. It is now a read-only document (readOnlyDocuments.ts),
// in the Falco Alerts language, which the server is sent (hovers explain it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type * as vscode from 'vscode';
import { startServer } from '../helpers/lspClient';
import { fake, EventEmitter } from '../helpers/vscodeFake';
import { AlertExplorer } from '../../client/src/explorer/alertExplorer';
import { registerCommands } from '../../client/src/commands';
import type { FalcoLanguageClient } from '../../client/src/languageClient';

const LINES = [
  { hostname: 'node-1', output: '12:00:01.000000000: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow)', priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', time: '2026-01-02T12:00:01.000000000Z', output_fields: { 'fd.name': '/etc/shadow' } },
  { hostname: 'node-1', output: '12:00:02.000000000: Notice A shell was spawned in a container with an attached terminal (proc.name=bash)', priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', time: '2026-01-02T12:00:02.000000000Z', output_fields: { 'proc.name': 'bash' } },
].map((a) => JSON.stringify(a));

test('an alert of a gzip log is shown as a read-only Falco Alerts document, not a dirty untitled one', async (t) => {
  fake.reset();
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-explorer-reveal-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  const log = path.join(ws, 'falco.log.2.gz');
  fs.writeFileSync(log, zlib.gzipSync(`${LINES.join('\n')}\n`));
  const server = await startServer({ rootDir: ws, settings: { rules: { files: [] } } });
  t.after(() => server.stop());
  const client = {
    languageClient: {
      sendRequest: (method: string, params: unknown, token?: unknown) => server.connection.sendRequest(method, params, token as never),
      onNotification: (method: string, handler: (params: unknown) => void) => server.connection.onNotification(method, handler),
    },
    onDidStartServer: new EventEmitter<void>().event,
    // The server runs already: start() has nothing to do.
    start: () => Promise.resolve(),
    output: { show: () => undefined },
  } as unknown as FalcoLanguageClient;
  const subscriptions: { dispose(): unknown }[] = [];
  t.after(() => { for (const d of subscriptions) d.dispose(); });
  // The extension's commands register the read-only documents' provider.
  registerCommands({ subscriptions } as unknown as vscode.ExtensionContext, client);
  const explorer = new AlertExplorer(client);
  subscriptions.push(explorer);
  await explorer.open(log);
  await new Promise<void>((resolve, reject) => {
    if (explorer.current?.done) { resolve(); return; }
    const timer = setTimeout(() => reject(new Error('not indexed')), 20_000);
    const d = explorer.onDidUpdateLog((info) => { if (info.done) { clearTimeout(timer); d.dispose(); resolve(); } });
  });
  const [group] = (await explorer.getChildren()).filter((n) => explorer.getTreeItem(n).label === 'Read sensitive file untrusted');
  assert.ok(group, 'the group of the alert');
  const [alert] = await explorer.getChildren(group);
  const item = explorer.getTreeItem(alert);
  assert.equal(item.command?.command, 'falcoLens.explorer.reveal');
  await explorer.reveal(item.command!.arguments![0] as never);

  assert.equal(fake.shownDocuments.length, 1);
  const [doc] = fake.shownDocuments;
  assert.equal(doc.isUntitled, false, 'not an untitled document');
  assert.equal(doc.isDirty, false, 'nothing to save');
  assert.equal(doc.uri.scheme, 'falco-lens');
  assert.equal(doc.languageId, 'falco-alerts');
  assert.equal(doc.getText().trim(), LINES[0]);
  assert.deepEqual(fake.documents.filter((d) => d.isUntitled), []);
});
