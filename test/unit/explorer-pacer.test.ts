// The pacing of the Explorer's long requests (handlers/explorer.ts): when it lets the event loop turn, a message that
// came in while the request worked is handed to its handler before the request works on. vscode-jsonrpc reads a
// message over stdio in one turn of the loop (its reader decodes it in a setImmediate) and hands it over in the next
// (another setImmediate), each queued after the request's own turn; under IPC it is handed over one turn after it is
// read. The simulation below queues the same immediates; a request that turned the loop once worked another slice
// (15 ms) before a hover was answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { Pacer, registerExplorerHandlers, type ExplorerContext } from '../../server/src/handlers/explorer';
import { EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_OPEN_REQUEST, type ExplorerLogInfo } from '../../server/src/protocol';

/** The connection's side: counts, and vscode-jsonrpc's two queues, each taking one message per immediate. */
class Messages {
  received = 0;
  handled = 0;
  readonly order: string[] = [];
  private readonly decoding: string[] = [];
  private readonly dispatching: string[] = [];
  /** What handling a message does, by its name. */
  readonly handlers = new Map<string, () => void>();
  private decodeQueued = false;
  private dispatchQueued = false;
  messagesReceived(): number { return this.received; }
  messagesHandled(): number { return this.handled; }
  /** A message read now: over stdio decoded in a later immediate, then handed over in another. */
  arrive(name: string, transport: 'stdio' | 'ipc'): void {
    this.received++;
    if (transport === 'ipc') { this.dispatching.push(name); this.pumpDispatch(); } else { this.decoding.push(name); this.pumpDecode(); }
  }
  private pumpDecode(): void {
    if (this.decodeQueued || this.decoding.length === 0) return;
    this.decodeQueued = true;
    setImmediate(() => { this.decodeQueued = false; this.dispatching.push(this.decoding.shift()!); this.pumpDispatch(); this.pumpDecode(); });
  }
  private pumpDispatch(): void {
    if (this.dispatchQueued || this.dispatching.length === 0) return;
    this.dispatchQueued = true;
    setImmediate(() => {
      this.dispatchQueued = false;
      this.handled++;
      const name = this.dispatching.shift()!;
      this.order.push(name);
      this.handlers.get(name)?.();
      this.pumpDispatch();
    });
  }
}

/** How many turns of the event loop go by until `promise` settles. */
async function turnsUntil(promise: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  void promise.finally(() => { done = true; });
  while (!done) { await new Promise((resolve) => setImmediate(resolve)); turns++; }
  return turns;
}

for (const transport of ['stdio', 'ipc'] as const) {
  test(`a message that came in while the request worked is handled before it works on (${transport})`, async () => {
    const messages = new Messages();
    const pace = new Pacer(new CancellationTokenSource().token, 'query', messages);
    const turning = pace.turn();
    // Read in this turn of the loop, after the request's own turn was queued.
    messages.arrive('hover', transport);
    await turning;
    messages.order.push('request works on');
    assert.deepEqual(messages.order, ['hover', 'request works on']);
  });

  test(`several messages that came in are all handled first, one per turn (${transport})`, async () => {
    const messages = new Messages();
    const pace = new Pacer(new CancellationTokenSource().token, 'report', messages);
    const turning = pace.turn();
    for (const name of ['didChange', 'hover', 'completion']) messages.arrive(name, transport);
    await turning;
    messages.order.push('request works on');
    assert.deepEqual(messages.order, ['didChange', 'hover', 'completion', 'request works on']);
  });
}

test('with no message, the request turns the loop once, as before; a flood of messages does not hold it for ever', async () => {
  const messages = new Messages();
  const pace = new Pacer(new CancellationTokenSource().token, 'query', messages);
  assert.equal(await turnsUntil(pace.turn()), 1);
  // A message in every turn: the request works on after MAX_TURNS turns.
  let flooding = true;
  const flood = () => { if (!flooding) return; messages.arrive('didChange', 'ipc'); setImmediate(flood); };
  flood();
  const turns = await turnsUntil(pace.turn());
  flooding = false;
  assert.ok(turns >= 16 && turns <= 18, `${turns} turns`);
});

test('a cancellation that came in meanwhile is answered RequestCancelled at the turn', async () => {
  const messages = new Messages();
  const source = new CancellationTokenSource();
  const pace = new Pacer(source.token, 'query', messages);
  const turning = pace.turn();
  // $/cancelRequest is acted on when it is read, and not handed over as a message.
  messages.received++;
  source.cancel();
  await assert.rejects(turning, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
});

/**
 * The Explorer's handlers on a fake connection: the requests they register, and each changed notification handed to
 * `onProgress`. `slices` counts the slices of indexing (each asks the alerts service for its text rule identifier).
 */
function explorerHandlers(onProgress: (info: ExplorerLogInfo) => void, messages?: Messages) {
  const requests = new Map<string, (p: unknown) => unknown>();
  const counts = { slices: 0 };
  const connection = {
    onRequest: (method: string, handler: (p: unknown) => unknown) => { requests.set(method, handler); },
    onShutdown: () => undefined,
    console: { log: () => undefined, warn: () => undefined, error: () => undefined },
    window: { showWarningMessage: () => Promise.resolve(undefined) },
    sendNotification: (method: string, info: ExplorerLogInfo) => {
      if (method === EXPLORER_CHANGED_NOTIFICATION) onProgress(info);
      return Promise.resolve();
    },
  };
  const context = {
    connection, documents: undefined, host: undefined,
    service: { alerts: { textRuleIdentifier: () => { counts.slices++; return () => undefined; } } },
    guarded: <T>(_what: string, _fallback: T, run: () => T) => run(),
    pathToUri: (p: string) => `file://${p}`,
    messagesReceived: () => messages?.received ?? 0, messagesHandled: () => messages?.handled ?? 0,
  } as unknown as ExplorerContext;
  registerExplorerHandlers(context);
  return { requests, counts };
}

for (const transport of ['stdio', 'ipc'] as const) {
  test(`a message that came in while a log was indexed is handled before the next slice of indexing (${transport})`, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-pacer-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'falco.log');
    // 150,000 short alerts: several slices of indexing.
    const lines: string[] = [];
    for (let i = 0; i < 150_000; i++) lines.push(`{"output":"09:00:00.000000000: Notice x=${i}","priority":"Notice","rule":"R${i % 9}","time":"2026-03-02T09:00:00.000000000Z"}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const messages = new Messages();
    const progress: ExplorerLogInfo[] = [];
    let answered: ExplorerLogInfo | undefined;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => { finished = resolve; });
    const { requests } = explorerHandlers((info) => {
      progress.push(info);
      if (info.done) finished();
      // A hover read in the turn after this slice, after the indexing's own turn was queued: answered with what is
      // indexed when it is handled (the open request of a log already open answers its progress).
      else if (progress.length === 1) process.nextTick(() => messages.arrive('hover', transport));
    }, messages);
    messages.handlers.set('hover', () => { void Promise.resolve(requests.get(EXPLORER_OPEN_REQUEST)!({ path: file })).then((info) => { answered = info as ExplorerLogInfo; }); });
    const opened = await requests.get(EXPLORER_OPEN_REQUEST)!({ path: file }) as ExplorerLogInfo;
    await done;
    await requests.get(EXPLORER_CLOSE_REQUEST)!({ logId: opened.logId });
    assert.ok(progress.length >= 2 && !progress[0].done, `${progress.length} notifications: indexed in several slices`);
    assert.equal(progress.at(-1)!.total, 150_000);
    // Handled before another slice was indexed.
    assert.equal(answered?.indexedBytes, progress[0].indexedBytes);
  });
}

test('a followed log whose last line is still being written is not indexed again every turn; the rest of the line is taken when it comes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-pacer-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'events.json');
  const alert = (i: number) => `{"output":"09:00:00.000000000: Notice x=${i}","priority":"Notice","rule":"R","time":"2026-03-02T09:00:00.000000000Z"}`;
  // Three whole alerts and half of a fourth: Falco (or a pipe) has not written its end yet.
  fs.writeFileSync(file, `${alert(1)}\n${alert(2)}\n${alert(3)}\n${alert(4).slice(0, 40)}`);
  const progress: ExplorerLogInfo[] = [];
  const waiters: { total: number; resolve: () => void }[] = [];
  const { requests, counts } = explorerHandlers((info) => {
    progress.push(info);
    for (const w of waiters.filter((x) => info.total >= x.total)) w.resolve();
  });
  const totalReached = (total: number) => new Promise<void>((resolve) => {
    if (progress.some((p) => p.total >= total)) resolve(); else waiters.push({ total, resolve });
  });
  const opened = await requests.get(EXPLORER_OPEN_REQUEST)!({ path: file, follow: true }) as ExplorerLogInfo;
  t.after(() => requests.get(EXPLORER_CLOSE_REQUEST)!({ logId: opened.logId }));
  await totalReached(3);
  const afterFirst = counts.slices;
  // A hundred turns of the event loop with nothing written: no slice of indexing (the old loop took one per turn).
  for (let i = 0; i < 100; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(counts.slices - afterFirst <= 1, `${counts.slices - afterFirst} slices while nothing was written`);
  assert.equal(progress.at(-1)!.total, 3, 'the half line is not an alert');
  // The rest of the line, and a fifth alert: the file's watcher brings indexing back.
  // The watcher does not keep the process alive (a server's stdin does): a timer does, and bounds the wait.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`not indexed: ${JSON.stringify(progress.at(-1))}`)), 10_000); });
  fs.appendFileSync(file, `${alert(4).slice(40)}\n${alert(5)}\n`);
  await Promise.race([totalReached(5), timeout]).finally(() => clearTimeout(timer));
  assert.equal(progress.at(-1)!.total, 5);
});
