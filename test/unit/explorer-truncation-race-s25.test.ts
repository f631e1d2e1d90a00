// Session 25: a query that reads the log (a text filter, a grouping by namespace) and is running when logrotate's
// copytruncate empties the live file read the emptied file for its later chunks: the alerts there had no text, so the
// answer missed them and the text filter's marks (and the workloads found) were kept for later queries, whose answers
// then missed them too after the copy took the live file's place (no alert moves, so nothing started over). Each query
// now reads under the source's generation (SetSource.generation: the live file found emptied in place); a chunk read
// under another one is not kept, and the query starts over on the new state, or fails with the reason while the set
// compares its copies (a gzip copy). The truncation is driven between two steps of the query, by the query's own
// generator: no timing is involved. Through the handler, a query that itself finds the log emptied with a gzip copy
// waits for the comparison (paced) and answers from the copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { AlertStore, SourceChangedError, type GroupsAnswer, type QuerySteps } from '../../server/src/service/explorer/alertStore';
import { SetSource } from '../../server/src/handlers/rotatedSet';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { registerExplorerHandlers, type ExplorerContext } from '../../server/src/handlers/explorer';
import {
  EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST, type ExplorerGroupsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

const alert = (n: number) => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning Shell spawned (n=${n}${n % 50 === 0 ? ' needle' : ''} padding ${'x'.repeat(120)})`,
  priority: 'Warning', rule: n % 2 ? 'Odd' : 'Even', source: 'syscall', tags: ['T1'],
  time: new Date(Date.UTC(2026, 10, 25, 2) + n * 1000).toISOString().replace('Z', '000000Z'),
  output_fields: { n, 'k8s.ns.name': 'payments', 'k8s.pod.name': `pod-${n % 7}` },
}) + '\n';

/** About 6 MB of alerts: two chunks of the store's reads (4 MB), under the 8 MB a plain copy is compared at once. */
function logText(): { text: string; alerts: number; needles: number } {
  const lines: string[] = [];
  let bytes = 0;
  for (let n = 0; bytes < 6 * 1024 * 1024; n++) { const line = alert(n); lines.push(line); bytes += line.length; }
  return { text: lines.join(''), alerts: lines.length, needles: lines.filter((l) => l.includes('needle')).length };
}

function followedLog(t: { after(fn: () => void): void }, text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hF-race-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const live = path.join(dir, 'falco.log');
  fs.writeFileSync(live, text);
  const set = new SetSource(live, [live], (i) => path.join(dir, `copy-${i}`));
  t.after(() => set.close());
  set.following = true;
  const store = new AlertStore(set);
  set.countAlerts = (from, to) => store.countBetween(from, to);
  const index = () => { store.indexMore(Infinity, false); set.indexed(store.indexedBytes); set.takeChanges(); };
  index();
  return { dir, live, set, store, index };
}

/** Runs a query's first step (its first chunk of the file read), then `between`, then the rest. */
function interrupted<T>(steps: QuerySteps<T>, between: () => void): T {
  assert.equal(steps.next().done, false, 'the query has more than one step');
  between();
  for (;;) { const step = steps.next(); if (step.done) return step.value; }
}

const copyTruncate = (live: string, copy: string) => { fs.copyFileSync(live, copy); fs.truncateSync(live, 0); };
const count = (answer: GroupsAnswer) => answer.matching;

test('copytruncate during a text query: the query reads the copy, and no mark of the emptied file is kept', (t) => {
  const { text, alerts, needles } = logText();
  const { live, store, index } = followedLog(t, text);
  assert.equal(store.total, alerts);
  assert.equal(count(store.groups('rule', { text: 'NEEDLE' })), needles, 'before the rotation');
  // Another text, so that this query reads the file (the marks of 'NEEDLE' are kept for that text only).
  const answer = interrupted(store.groupsSteps('rule', { text: 'needle' }), () => copyTruncate(live, `${live}.1`));
  assert.equal(count(answer), needles, 'the query in flight answers from the copy');
  index();
  assert.equal(store.total, alerts, 'the alerts moved onto the copy: nothing indexed again');
  assert.equal(count(store.groups('rule', { text: 'needle' })), needles, 'the next query of the text is not answered from marks of the emptied file');
});

test('copytruncate during a grouping by namespace: the workloads of the emptied file are not kept', (t) => {
  const { text, alerts } = logText();
  const { live, store, index } = followedLog(t, text);
  const answer = interrupted(store.groupsSteps('namespace'), () => copyTruncate(live, `${live}.1`));
  assert.deepEqual(answer.groups.map((g) => [g.key, g.count]), [['payments', alerts]]);
  index();
  assert.deepEqual(store.groups('namespace').groups.map((g) => [g.key, g.count]), [['payments', alerts]]);
});

test('emptied with no copy during a text query: the query answers from the log started over, not from alerts that left', (t) => {
  const { text } = logText();
  const { live, store, index } = followedLog(t, text);
  const answer = interrupted(store.groupsSteps('rule', { text: 'needle' }), () => { fs.truncateSync(live, 0); fs.appendFileSync(live, alert(50) + alert(51)); });
  assert.equal(answer.total, 0, 'the store started over: none of the alerts read before is answered');
  assert.equal(count(answer), 0);
  index();
  assert.equal(store.total, 2);
  assert.equal(count(store.groups('rule', { text: 'needle' })), 1);
});

test('copytruncate to a gzip copy during a text query: the query fails with the reason while the copy is compared, then answers from it', async (t) => {
  const { text, alerts, needles } = logText();
  const { live, set, store, index } = followedLog(t, text);
  const answerOrError = (() => {
    try {
      return interrupted(store.groupsSteps('rule', { text: 'needle' }), () => {
        fs.writeFileSync(`${live}.1.gz`, zlib.gzipSync(fs.readFileSync(live)));
        fs.truncateSync(live, 0);
      });
    } catch (e) { return e; }
  })();
  assert.ok(answerOrError instanceof SourceChangedError, `the query in flight fails while the copy is compared: ${JSON.stringify(answerOrError)}`);
  assert.match(answerOrError.message, /emptied in place/);
  assert.ok(set.settled, 'the gzip copy is being compared');
  await set.settled;
  index();
  assert.equal(store.total, alerts, 'the alerts moved onto the gzip copy');
  assert.equal(count(store.groups('rule', { text: 'needle' })), needles);
});

/** The Explorer's handlers on a fake connection (as explorer-pacer.test.ts): the requests they register, and each changed notification. */
function explorerHandlers(onProgress: (info: ExplorerLogInfo) => void, shown: string[] = []) {
  const requests = new Map<string, (p: unknown, token?: unknown) => unknown>();
  const connection = {
    onRequest: (method: string, handler: (p: unknown, token?: unknown) => unknown) => { requests.set(method, handler); },
    onShutdown: () => undefined,
    console: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    window: {
      showWarningMessage: (m: string) => { shown.push(m); return Promise.resolve(undefined); },
      showInformationMessage: (m: string) => { shown.push(m); return Promise.resolve(undefined); },
    },
    sendNotification: (method: string, info: ExplorerLogInfo) => {
      if (method === EXPLORER_CHANGED_NOTIFICATION) onProgress(info);
      return Promise.resolve();
    },
  };
  const context = {
    connection, documents: undefined, host: { workspaceFolders: () => [] },
    service: { alerts: { textRuleIdentifier: () => () => undefined } },
    guarded: <T>(_what: string, _fallback: T, run: () => T) => run(),
    pathToUri: (p: string) => `file://${p}`,
    messagesReceived: () => 0, messagesHandled: () => 0,
  } as unknown as ExplorerContext;
  registerExplorerHandlers(context);
  return requests;
}

test('through the handler: a query that finds the log emptied with a gzip copy waits for the comparison and answers from the copy', async (t) => {
  const { text, alerts, needles } = logText();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hF-race-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const live = path.join(dir, 'falco.log');
  fs.writeFileSync(live, text);
  let finished!: (info: ExplorerLogInfo) => void;
  const done = new Promise<ExplorerLogInfo>((resolve) => { finished = resolve; });
  const requests = explorerHandlers((info) => { if (info.done) finished(info); });
  const opened = await requests.get(EXPLORER_OPEN_REQUEST)!({ path: live }) as ExplorerLogInfo;
  t.after(() => requests.get(EXPLORER_CLOSE_REQUEST)!({ logId: opened.logId }));
  assert.equal((await done).total, alerts);
  // logrotate's copytruncate with compress and no delaycompress, before anything looked at the log again: the query is
  // what finds it emptied.
  fs.writeFileSync(`${live}.1.gz`, zlib.gzipSync(fs.readFileSync(live)));
  fs.truncateSync(live, 0);
  const answer = await requests.get(EXPLORER_GROUPS_REQUEST)!({ logId: opened.logId, groupBy: 'rule', filter: { text: 'needle' } }, new CancellationTokenSource().token) as ExplorerGroupsResult;
  assert.equal(answer.total, alerts, 'the alerts moved onto the gzip copy');
  assert.equal(answer.matching, needles, 'the matches are the copy\'s, not the emptied file\'s');
});

test('through the handler: a log not followed that a query finds emptied with no copy is indexed again and says so', { timeout: 30_000 }, async (t) => {
  const { text, alerts } = logText();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hF-race-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const live = path.join(dir, 'falco.log');
  fs.writeFileSync(live, text);
  const seen: ExplorerLogInfo[] = [];
  const waiters: { test: (info: ExplorerLogInfo) => boolean; resolve: (info: ExplorerLogInfo) => void }[] = [];
  const shown: string[] = [];
  const requests = explorerHandlers((info) => {
    seen.push(info);
    for (const w of waiters.filter((x) => x.test(info))) { waiters.splice(waiters.indexOf(w), 1); w.resolve(info); }
  }, shown);
  const until = (test: (info: ExplorerLogInfo) => boolean) => new Promise<ExplorerLogInfo>((resolve) => waiters.push({ test, resolve }));
  const indexed = until((i) => i.done && i.total === alerts);
  const opened = await requests.get(EXPLORER_OPEN_REQUEST)!({ path: live }) as ExplorerLogInfo;
  t.after(() => requests.get(EXPLORER_CLOSE_REQUEST)!({ logId: opened.logId }));
  await indexed;
  // Emptied by hand and written again: no copy holds the bytes read. Nothing follows the log; the query finds it.
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alert(50) + alert(51));
  const again = until((i) => i.done && i.total === 2);
  const answer = await requests.get(EXPLORER_GROUPS_REQUEST)!({ logId: opened.logId, groupBy: 'rule', filter: { text: 'needle' } }, new CancellationTokenSource().token) as ExplorerGroupsResult;
  assert.equal(answer.total, 0, 'answered from the log started over, not from the alerts that left');
  const info = await again;
  assert.equal(info.total, 2, 'the log is read again from its start');
  assert.deepEqual(shown, [`Falco Lens: ${live} was emptied in place, and no file of its rotated set starts with the lines read from it (logrotate's copytruncate would have copied them first): the ${alerts.toLocaleString('en-US')} alerts read from those lines are no longer shown, and its new lines are read.`]);
  const groups = await requests.get(EXPLORER_GROUPS_REQUEST)!({ logId: opened.logId, groupBy: 'rule', filter: { text: 'needle' } }, new CancellationTokenSource().token) as ExplorerGroupsResult;
  assert.equal(groups.matching, 1);
});
