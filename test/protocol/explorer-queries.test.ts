// The Explorer's queries on a large log, through the server: the first query of a text filter reads the whole file,
// and groups and pages scan every alert, so they let the event loop turn (a hover is answered while they run) and
// honour cancellation; a cancelled query leaves the log as it was, and the same query asked again gives the answer an
// uncancelled one gives. The order of answers is asserted, never a duration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource, HoverRequest, LSPErrorCodes, ResponseError, type Hover } from 'vscode-languageserver-protocol/node';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import { pathToUri } from '../../server/src/service/uri';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST,
  type ExplorerAlertsResult, type ExplorerFilter, type ExplorerGroupsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

const RULES = ['Terminal shell in container', 'Read sensitive file untrusted', 'Drop and execute new binary in container', 'Launch Privileged Container'];
/**
 * Alerts in the log (about 140 MB): a text filter's first query takes a few hundred milliseconds on the machine these
 * tests were written on, so that on one a few times faster it still works for many turns of 15 ms after the hover
 * sent with it is answered (when the test cancels it).
 */
const ALERTS = 400_000;

function jsonAlert(rule: string, priority: string, second: number, command: string): string {
  const time = `2026-01-02T12:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.000000000Z`;
  return JSON.stringify({
    hostname: 'node-1', output: `${time.slice(11, 29)}: ${priority} ${rule} | command=${command}`, priority, rule,
    source: 'syscall', tags: ['T1059'], time, output_fields: { 'proc.cmdline': command, 'proc.name': 'bash' },
  });
}

/** Writes `count` alerts of the four rules, with a lifecycle line every 1,000, 10,000 lines per write. */
function writeLargeLog(file: string, count: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    let lines: string[] = [];
    for (let i = 0; i < count; i++) {
      if (i % 1000 === 0) lines.push('Fri Jan  2 11:59:00 2026: Falco version: 0.44.0 (x86_64)');
      // Commands repeat every 7,000 alerts, so a group folds duplicates.
      lines.push(jsonAlert(RULES[i % RULES.length], i % 3 ? 'Notice' : 'Critical', i % 3600, `bash -c "echo ${i % 7000}"`));
      if (lines.length >= 10_000 || i === count - 1) { fs.writeSync(fd, lines.join('\n') + '\n'); lines = []; }
    }
  } finally {
    fs.closeSync(fd);
  }
}

async function openIndexed(server: ServerUnderTest, file: string, alerts: number): Promise<string> {
  const indexed = new Promise<void>((resolve) => server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (i: ExplorerLogInfo) => { if (i.done && i.total === alerts) resolve(); }));
  const { logId } = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
  await indexed;
  return logId;
}

const isCancelled = (e: unknown) => {
  assert.ok(e instanceof ResponseError, String(e));
  assert.equal(e.code, LSPErrorCodes.RequestCancelled);
  assert.match(e.message, /query was cancelled/);
  return true;
};

test('explorer queries on a large log: a hover is answered while a text filter is first applied; a cancelled query answers the cancellation and the same query then answers as if never cancelled', { timeout: 180_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-xqueries-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'falco.log');
  writeLargeLog(file, ALERTS);
  // Queries turn after each step (handlers/explorer.ts QUERY_TURN_MS): on an idle machine a query over this log ends
  // within one turn of 15 ms, and the close below found the query answered already.
  const server = await startServer({ rootDir: dir, env: { FALCO_LENS_QUERY_TURN_MS: '0' } });
  t.after(() => server.stop());
  const logId = await openIndexed(server, file, ALERTS);
  // A small alert log open in the editor, to hover while the queries run.
  const small = path.join(dir, 'small.falco.jsonl');
  const smallUri = pathToUri(small);
  const smallText = jsonAlert('Terminal shell in container', 'Notice', 1, 'bash -i') + '\n';
  const checked = server.nextDiagnostics(smallUri);
  server.open(smallUri, 'falco-alerts', smallText);
  await checked;
  const hover = () => server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: smallUri }, position: { line: 0, character: smallText.indexOf('"rule":"') + 10 } });
  const send = <R>(method: string, params: object, source?: CancellationTokenSource) =>
    (source ? server.connection.sendRequest(method, params, source.token) : server.connection.sendRequest(method, params)) as Promise<R>;
  const groups = (filter: ExplorerFilter, source?: CancellationTokenSource) =>
    send<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule', filter }, source);
  const page = (filter: ExplorerFilter, source?: CancellationTokenSource) =>
    send<ExplorerAlertsResult>(EXPLORER_ALERTS_REQUEST, { logId, groupBy: 'rule', group: RULES[1], filter, dedupe: true, offset: 0, limit: 50 }, source);

  // The answers of uncancelled queries. The text filter ignores case, and each spelling is a filter of its own: each
  // query below reads the file anew.
  const expected = await groups({ text: 'ECHO 1' });
  assert.equal(expected.total, ALERTS);
  assert.deepEqual(expected.groups.map((g) => g.key).sort(), [...RULES].sort());
  let commands = 0;
  for (let i = 0; i < ALERTS; i++) if (String(i % 7000).startsWith('1')) commands++;
  assert.equal(expected.matching, commands, 'the alerts of the commands "echo 1", "echo 1…"');
  const expectedPage = await page({ text: 'ECHO 1' });
  assert.equal(expectedPage.items.length, 50);

  await t.test('a hover sent right after a filtered groups request is answered first', async () => {
    const order: string[] = [];
    const filtered = groups({ text: 'echo 1' }).then((r) => { order.push('groups'); return r; });
    const hovered = hover().then((h) => { order.push('hover'); return h; });
    const [first, answer] = await Promise.all([filtered, hovered]);
    assert.deepEqual(order, ['hover', 'groups']);
    assert.ok(answer && JSON.stringify((answer as Hover).contents).includes('Terminal shell in container'), JSON.stringify(answer));
    assert.deepEqual(first, expected);
  });

  /**
   * Cancels a query once it is under way (a hover sent after it has been answered) and asks it again. The cancel
   * races the query's last slices: on a loaded machine the test process may send it after the query ended, and the
   * answer is then the query's own. So each of a few spellings (a new read of the file each) is tried until one is
   * cancelled; every answer, cancelled or not, must be what the uncancelled query answers.
   */
  async function cancelUnderWay<R>(query: (filter: ExplorerFilter, source?: CancellationTokenSource) => Promise<R>, uncancelled: R, spellings: string[]): Promise<void> {
    for (const text of spellings) {
      const source = new CancellationTokenSource();
      const outcome = query({ text }, source).then((answer) => ({ answer }), (error: unknown) => ({ error }));
      await hover();
      source.cancel();
      const settled = await outcome;
      if ('answer' in settled) { assert.deepEqual(settled.answer, uncancelled, text); continue; }
      assert.ok(isCancelled(settled.error));
      assert.deepEqual(await query({ text }), uncancelled, `${text}, asked again`);
      return;
    }
    assert.fail(`no query of ${spellings.join(', ')} was still under way when cancelled`);
  }

  await t.test('a filtered groups request cancelled once under way answers RequestCancelled; asked again, it answers as the uncancelled one', async () => {
    await cancelUnderWay(groups, expected, ['Echo 1', 'eCho 1', 'ecHo 1', 'echO 1']);
  });

  await t.test('a filtered page of a group, the same', async () => {
    await cancelUnderWay(page, expectedPage, ['eCHO 1', 'EcHO 1', 'ECho 1', 'ECHo 1']);
  });

  await t.test('a query cancelled before it starts is refused at once', async () => {
    const early = new CancellationTokenSource();
    early.cancel();
    await assert.rejects(groups({ text: 'echo 2' }, early), isCancelled);
    // Nothing was logged as failed.
    assert.deepEqual(server.logs.filter((m) => /Alert Explorer|explorer\//.test(m)), []);
  });

  await t.test('a log closed while a query of it runs: the query fails, saying so', async () => {
    const closing = groups({ text: 'echo 3' });
    await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId });
    await assert.rejects(closing, /was closed while it was queried/);
  });
});
