// The Alert Explorer of client/src (explorer/alertExplorer.ts) under the stand-in for VS Code's API
// (test/helpers/vscodeFake.ts), talking to the real server over the protocol (session 23's audit of the client).
// - A new server (Falco: Restart Language Server, or vscode-languageclient's own restart after a crash) knows no log:
//   every query of the log shown failed ("No log is open with id …") until the user opened it again. It is now opened
//   again as it was, and the grouping, filter and folding stay.
// - With no log, the view has no message: VS Code shows a view's welcome content (its "Open Alert Log" button) only
//   while the view has none, and the explorer set one from the start; closing a log also left its file's name as the
//   view's description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import { fake, EventEmitter } from '../helpers/vscodeFake';
import { AlertExplorer } from '../../client/src/explorer/alertExplorer';
import type { FalcoLanguageClient } from '../../client/src/languageClient';

function alertLine(rule: string, priority: string, n: number): string {
  const time = `2026-01-02T12:00:${String(n % 60).padStart(2, '0')}.000000000Z`;
  return JSON.stringify({
    hostname: 'node-1', output: `12:00:${String(n % 60).padStart(2, '0')}.000000000: ${priority} ${rule} (proc.name=cat n=${n})`, priority, rule,
    source: 'syscall', tags: ['T1555'], time, output_fields: { 'proc.name': 'cat' },
  }) + '\n';
}

/** The language client as the explorer sees it: the connection to the server now running, and its starts. */
class SwappableClient {
  private server: ServerUnderTest | undefined;
  private readonly started = new EventEmitter<void>();
  readonly onDidStartServer = this.started.event;
  get languageClient() {
    const server = this.server;
    if (!server) return undefined;
    return {
      sendRequest: (method: string, params: unknown, token?: unknown) => server.connection.sendRequest(method, params, token as never),
      onNotification: (method: string, handler: (params: unknown) => void) => server.connection.onNotification(method, handler),
    };
  }
  /** The servers run when the test says (run): FalcoLanguageClient.start's part, starting one if none runs, is not this test's. */
  start(): Promise<void> { return Promise.resolve(); }
  /** A server is running: the first, or a new one after the last stopped. */
  run(server: ServerUnderTest): void { this.server = server; this.started.fire(); }
  stopped(): void { this.server = undefined; }
}

async function scene(t: { after: (fn: () => unknown) => void }) {
  fake.reset();
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-explorer-restart-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  const log = path.join(ws, 'falco.log');
  let text = '';
  for (let i = 0; i < 6; i++) text += alertLine('Read sensitive file untrusted', 'Warning', i);
  for (let i = 6; i < 8; i++) text += alertLine('Terminal shell in container', 'Notice', i);
  text += alertLine('Drop and execute new binary in container', 'Critical', 8);
  fs.writeFileSync(log, text);
  const start = () => startServer({ rootDir: ws, settings: { rules: { files: [] } } });
  const client = new SwappableClient();
  const servers: ServerUnderTest[] = [];
  const run = async () => { const s = await start(); servers.push(s); client.run(s); return s; };
  t.after(async () => { for (const s of servers) await s.stop().catch(() => undefined); });
  const errors: string[] = [];
  const explorer = new AlertExplorer(client as unknown as Pick<FalcoLanguageClient, 'languageClient' | 'onDidStartServer' | 'start'>, (e) => errors.push(String(e)));
  t.after(() => explorer.dispose());
  return { ws, log, client, run, explorer, errors };
}

/** Resolves at the first redraw of the explorer's tree after which `holds` (its log and settings change only there). */
function until(explorer: AlertExplorer, holds: () => boolean, what: string): Promise<void> {
  if (holds()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { watch.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, 20_000);
    const watch = explorer.onDidChangeTreeData(() => { if (holds()) { clearTimeout(timer); watch.dispose(); resolve(); } });
  });
}

/** The explorer's groups as VS Code would list them: each group's label and count. */
async function groups(explorer: AlertExplorer): Promise<string[]> {
  const nodes = await explorer.getChildren();
  return nodes.map((n) => { const item = explorer.getTreeItem(n); return `${item.label} ${item.description}`; });
}

test('a new server is sent the log shown again: the tree answers, with its grouping and filter', async (t) => {
  const { log, client, run, explorer, errors } = await scene(t);
  const first = await run();
  await explorer.open(log);
  await until(explorer, () => !!explorer.current?.done, 'the log indexed');
  explorer.setGroupBy('priority');
  explorer.setFilter({ minPriority: 4 });
  const before = await groups(explorer);
  assert.deepEqual(before, ['Critical 1', 'Warning 6']);

  // Falco: Restart Language Server: the client stops the server, then starts a new one.
  client.stopped();
  await first.stop();
  const old = explorer.current;
  await run();
  await until(explorer, () => explorer.current !== old, 'the log opened again');
  assert.equal(explorer.current?.path, log);
  assert.deepEqual(explorer.settings, { groupBy: 'priority', filter: { minPriority: 4 }, dedupe: true });
  assert.deepEqual(await groups(explorer), before, 'the same tree from the new server');
  assert.deepEqual(errors, []);
  assert.equal(fake.contextKeys.get('falcoLens.explorer.open'), true);
});

test('a followed log is followed again by the new server; a log deleted meanwhile is closed, and the user told', async (t) => {
  const { log, client, run, explorer, errors } = await scene(t);
  const first = await run();
  await explorer.open(log, true);
  assert.equal(explorer.current?.following, true);
  client.stopped();
  await first.stop();
  const old = explorer.current;
  const second = await run();
  await until(explorer, () => explorer.current !== old, 'the log opened again');
  assert.equal(explorer.current?.following, true, 'followed by the new server');
  assert.equal(fake.contextKeys.get('falcoLens.explorer.following'), true);
  assert.deepEqual(errors, []);

  // Not followed: a new server cannot open a file no longer there.
  await explorer.setFollow(false);
  client.stopped();
  await second.stop();
  fs.rmSync(log);
  await run();
  await until(explorer, () => explorer.current === undefined, 'the log closed');
  assert.equal(fake.contextKeys.get('falcoLens.explorer.open'), false);
  assert.equal(errors.length, 1, `one error shown: ${errors.join(' | ')}`);
  assert.deepEqual(await explorer.getChildren(), []);
});

test('with no log the view has no message nor description, so that VS Code shows its welcome content', async (t) => {
  const { log, run, explorer } = await scene(t);
  const view = fake.views.find((v) => v.id === 'falcoLens.alertExplorer');
  assert.ok(view);
  assert.equal(view.message, undefined, 'no message before a log is opened');
  await run();
  await explorer.open(log);
  assert.match(view.message ?? '', /alerts/);
  assert.equal(view.description, 'falco.log');
  await explorer.close();
  assert.equal(view.message, undefined, 'no message once the log is closed');
  assert.equal(view.description, undefined, 'the closed log is not named');
});
