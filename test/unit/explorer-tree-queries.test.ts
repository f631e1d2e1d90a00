// The Alert Explorer tree's queries (client/src/explorer/treeQueries.ts) against a fake server whose answers the test
// gives: a change of the settings (grouping, filter, folding) while VS Code waits for a node must not answer it
// nothing, which showed an empty tree (or an empty group) until the new answer came; the old tree stays, and the
// waiting callers get the new settings' answer. Queries are still shared, replaced and cancelled as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_NODE, TreeQueries, type QueryCancellation } from '../../client/src/explorer/treeQueries';

interface Token { isCancellationRequested: boolean }
interface Sent { method: string; params: Record<string, unknown>; token: Token; answer(value: unknown): void; fail(error: unknown): void }

/** A server that answers when the test says so; a cancelled request is answered RequestCancelled by `turn`. */
class FakeServer {
  readonly sent: Sent[] = [];
  send = (method: string, params: object, token: Token): Promise<unknown> => new Promise((resolve, reject) => {
    this.sent.push({ method, params: params as Record<string, unknown>, token, answer: resolve, fail: reject });
  });
  cancellation = (): QueryCancellation<Token> => {
    const token = { isCancellationRequested: false };
    return { token, cancel: () => { token.isCancellationRequested = true; }, dispose: () => undefined };
  };
  /** The server's next turn: every cancelled request still open fails with RequestCancelled. */
  turn(): void {
    for (const s of this.sent) if (s.token.isCancellationRequested) s.fail(Object.assign(new Error('The Alert Explorer query was cancelled'), { code: -32800 }));
  }
  last(): Sent { return this.sent[this.sent.length - 1]; }
}

const PENDING = Symbol('pending');
/** The promise's value once the queued work has run, or PENDING. */
async function settled<T>(promise: Promise<T>): Promise<T | typeof PENDING> {
  const marker = new Promise<typeof PENDING>((resolve) => setImmediate(() => resolve(PENDING)));
  return Promise.race([promise, marker]);
}

function setup() {
  const server = new FakeServer();
  const queries = new TreeQueries<Token>(server.send, server.cancellation);
  const root = (groupBy: string) => queries.ask<string>(ROOT_NODE, 'groups', { groupBy });
  const group = (key: string, dedupe = true, limit = 200) => queries.ask<string>(`group:${key}`, 'alerts', { key, dedupe, limit });
  return { server, queries, root, group };
}

test('a grouping changed while VS Code waits for the root: it gets the new groups, not an empty tree', async () => {
  const { server, queries, root } = setup();
  const waiting = root('rule');
  const old = server.last();
  queries.settingsChanged();
  assert.equal(old.token.isCancellationRequested, true, 'the server stops working on the old grouping');
  server.turn();
  assert.equal(await settled(waiting), PENDING, 'the old tree stays while the new answer is computed');
  const asked = root('priority');
  server.last().answer('groups by priority');
  assert.equal(await asked, 'groups by priority');
  assert.equal(await waiting, 'groups by priority');
  assert.equal(queries.size, 0);
});

test('folding changed while VS Code waits for a group: it gets the group\'s new page', async () => {
  const { server, queries, root, group } = setup();
  const children = group('Terminal shell in container', true);
  queries.settingsChanged();
  server.turn();
  assert.equal(await settled(children), PENDING);
  // VS Code asks for the root, then for the groups it shows expanded (the same ids: the grouping is the same).
  const groups = root('rule');
  const again = group('Terminal shell in container', false);
  server.sent[2].answer('all alerts of the group');
  assert.equal(await again, 'all alerts of the group');
  assert.equal(await children, 'all alerts of the group');
  server.sent[1].answer('groups');
  assert.equal(await groups, 'groups');
});

test('a group of the old grouping that is not asked again answers nothing once the new root has answered', async () => {
  const { server, queries, root, group } = setup();
  const children = group('Terminal shell in container');
  queries.settingsChanged();
  server.turn();
  const groups = root('priority');
  assert.equal(await settled(children), PENDING, 'not before the new root answered: the group would show empty');
  server.last().answer('groups by priority');
  assert.equal(await groups, 'groups by priority');
  assert.equal(await children, undefined);
});

test('an answer that arrives after its query was cancelled is not shown: the new settings\' one is', async () => {
  const { server, queries, root } = setup();
  const waiting = root('rule');
  queries.settingsChanged();
  server.sent[0].answer('groups by rule');
  assert.equal(await settled(waiting), PENDING);
  const asked = root('hostname');
  server.sent[1].answer('groups by host');
  assert.equal(await waiting, 'groups by host');
  assert.equal(await asked, 'groups by host');
});

test('two settings changes in a row: the first caller gets the answer of the latest settings', async () => {
  const { server, queries, root } = setup();
  const first = root('rule');
  queries.settingsChanged();
  const second = root('priority');
  queries.settingsChanged();
  server.turn();
  const third = root('source');
  server.last().answer('groups by source');
  assert.deepEqual(await Promise.all([first, second, third]), ['groups by source', 'groups by source', 'groups by source']);
  assert.equal(server.sent.filter((s) => !s.token.isCancellationRequested).length, 1);
});

test('queries of a node are shared until a refresh, then replaced; other nodes are left alone', async () => {
  const { server, queries, root, group } = setup();
  const a = root('rule');
  const b = root('rule');
  assert.equal(server.sent.length, 1, 'VS Code and a command asking at once share the query');
  const children = group('x');
  queries.refresh();
  const c = root('rule');
  assert.equal(server.sent.length, 3);
  assert.equal(server.sent[0].token.isCancellationRequested, true, 'replaced by the same question after a refresh');
  assert.equal(server.sent[1].token.isCancellationRequested, false, 'a group asked for is not cancelled by a refresh');
  server.turn();
  server.sent[2].answer('newer groups');
  assert.deepEqual(await Promise.all([a, b, c]), ['newer groups', 'newer groups', 'newer groups']);
  server.sent[1].answer('alerts of x');
  assert.equal(await children, 'alerts of x');
  // A page replaced by a longer one ("show more"): the caller of the first gets the longer page.
  const page = group('x', true, 200);
  const longer = group('x', true, 400);
  server.turn();
  server.last().answer('400 alerts');
  assert.deepEqual(await Promise.all([page, longer]), ['400 alerts', '400 alerts']);
});

test('clear (the log closed) answers every caller nothing at once, and a failed query fails only its own callers', async () => {
  const { server, queries, root, group } = setup();
  const a = root('rule');
  const b = group('x');
  queries.settingsChanged();
  const c = group('y');
  queries.clear();
  assert.deepEqual(await Promise.all([a, b, c]), [undefined, undefined, undefined]);
  assert.ok(server.sent.every((s) => s.token.isCancellationRequested));
  const replaced = root('rule');
  queries.refresh();
  const failing = root('rule');
  server.turn();
  server.last().fail(new Error('No log is open with id 1'));
  await assert.rejects(failing, /No log is open/);
  assert.equal(await replaced, undefined);
});
