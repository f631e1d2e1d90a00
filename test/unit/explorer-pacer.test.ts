// The pacing of the Explorer's long requests (handlers/explorer.ts): when it lets the event loop turn, a message that
// came in while the request worked is handed to its handler before the request works on. vscode-jsonrpc reads a
// message over stdio in one turn of the loop (its reader decodes it in a setImmediate) and hands it over in the next
// (another setImmediate), each queued after the request's own turn; under IPC it is handed over one turn after it is
// read. The simulation below queues the same immediates; a request that turned the loop once worked another slice
// (15 ms) before a hover was answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { Pacer } from '../../server/src/handlers/explorer';

/** The connection's side: counts, and vscode-jsonrpc's two queues, each taking one message per immediate. */
class Messages {
  received = 0;
  handled = 0;
  readonly order: string[] = [];
  private readonly decoding: string[] = [];
  private readonly dispatching: string[] = [];
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
    setImmediate(() => { this.dispatchQueued = false; this.handled++; this.order.push(this.dispatching.shift()!); this.pumpDispatch(); });
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
