// Following a log through the real server while it is written and rotated as Falco and logrotate do it: appends, a
// rotation by rename (logrotate's default `create`: falco.log becomes falco.log.1 and a new falco.log appears, which
// Falco's file output writes to when it reopens the file), a rotation by `copytruncate`, and a file deleted and
// created again. After each, the Explorer must show the alerts of the file now at the path after those read before,
// each in its own file (a truncated file's alerts are its copy's; a deleted file's leave) — never bytes of the old
// file read at the new file's offsets. Waits on the server's changed notifications, never on sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_OPEN_REQUEST,
  type ExplorerAlertsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

function alertLine(rule: string, n: number): string {
  const time = `2026-01-02T12:00:${String(n % 60).padStart(2, '0')}.000000000Z`;
  return JSON.stringify({
    hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (proc.name=cat n=${n})`, priority: 'Warning', rule,
    source: 'syscall', tags: ['T1555'], time, output_fields: { 'proc.name': 'cat' },
  }) + '\n';
}

function lines(rule: string, from: number, count: number): string {
  let text = '';
  for (let i = from; i < from + count; i++) text += alertLine(rule, i);
  return text;
}

interface Follower {
  server: ServerUnderTest;
  logId: string;
  /** Resolves with the first changed notification (or the current state) for which `accept` holds. */
  until(accept: (info: ExplorerLogInfo) => boolean, what: string): Promise<ExplorerLogInfo>;
  rulesShown(): Promise<Map<string, number>>;
}

async function follow(server: ServerUnderTest, file: string): Promise<Follower> {
  let latest: ExplorerLogInfo | undefined;
  const waiters: { accept: (info: ExplorerLogInfo) => boolean; resolve: (info: ExplorerLogInfo) => void }[] = [];
  server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (info: ExplorerLogInfo) => {
    latest = info;
    for (const w of [...waiters]) if (w.accept(info)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(info); }
  });
  const opened = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file, follow: true }) as ExplorerLogInfo;
  latest ??= opened;
  return {
    server,
    logId: opened.logId,
    until(accept, what) {
      if (latest && latest.done && accept(latest)) return Promise.resolve(latest);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(latest)}`)), 20_000);
        waiters.push({ accept: (info) => info.done && accept(info), resolve: (info) => { clearTimeout(timer); resolve(info); } });
      });
    },
    async rulesShown() {
      const result = await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: opened.logId, groupBy: 'priority', group: '4' /* Warning */, limit: 1000 }) as ExplorerAlertsResult;
      const byRule = new Map<string, number>();
      for (const item of result.items) byRule.set(item.rule ?? '', (byRule.get(item.rule ?? '') ?? 0) + 1);
      return byRule;
    },
  };
}

test('follow: appends, rotation by rename and create, copytruncate, and a file deleted and created again', { timeout: 90_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-follow-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'falco.log');
  fs.writeFileSync(file, lines('Before rotation', 0, 5));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const f = await follow(server, file);
  await f.until((i) => i.total === 5, 'the first 5 alerts');

  fs.appendFileSync(file, lines('Before rotation', 5, 3));
  await f.until((i) => i.total === 8, '3 appended alerts');
  assert.deepEqual([...await f.rulesShown()], [['Before rotation', 8]]);

  // logrotate `create`: the old file is renamed and stays open in Falco Lens; a new, shorter file takes its name. The
  // alerts read so far stay (session 22: the view started over, and the user lost every alert triaged so far), each
  // in the file it is in now, and the new file is read after them from its start.
  fs.renameSync(file, `${file}.1`);
  fs.writeFileSync(file, lines('After rename', 0, 2));
  const renamed = await f.until((i) => i.total === 10, 'the 2 alerts of the new file after the 8 of before');
  assert.deepEqual(renamed.parts?.map((p) => path.basename(p.path)), ['falco.log.1', 'falco.log']);
  assert.deepEqual([...await f.rulesShown()].sort(), [['After rename', 2], ['Before rotation', 8]]);
  const places = async (rule: string) => (await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: f.logId, groupBy: 'rule', group: rule, limit: 100 }) as ExplorerAlertsResult).items.map((i) => [i.part, i.line]).reverse();
  assert.deepEqual(await places('Before rotation'), [0, 1, 2, 3, 4, 5, 6, 7].map((l) => [0, l]));
  assert.deepEqual(await places('After rename'), [[1, 0], [1, 1]]);
  // The old file still grows (a writer that has not reopened yet) until the new one has bytes: not after.
  fs.appendFileSync(`${file}.1`, lines('Before rotation', 8, 50));
  fs.appendFileSync(file, lines('After rename', 2, 4));
  await f.until((i) => i.total === 14, 'alerts appended to the new file');
  assert.deepEqual([...await f.rulesShown()].sort(), [['After rename', 6], ['Before rotation', 8]]);

  // A new file as long as the old one or longer is read from its start too.
  fs.renameSync(file, `${file}.2`);
  fs.writeFileSync(file, lines('Longer new file', 0, 30));
  await f.until((i) => i.total === 44, 'the 30 alerts of a longer new file');
  assert.deepEqual([...await f.rulesShown()].sort(), [['After rename', 6], ['Before rotation', 8], ['Longer new file', 30]]);

  // logrotate `copytruncate`: the rotated files shift, the live file is copied to .1 and emptied in place, then
  // written again. Its 30 alerts are the copy's now (session 23: they left the view, though the copy held them), and
  // the live file is read again after it from its start.
  fs.renameSync(`${file}.2`, `${file}.3`);
  fs.renameSync(`${file}.1`, `${file}.2`);
  fs.copyFileSync(file, `${file}.1`);
  fs.truncateSync(file, 0);
  fs.appendFileSync(file, lines('After truncate', 0, 1));
  const copied = await f.until((i) => i.total === 45, 'the alert written after the truncation, after the copy\'s');
  assert.deepEqual(copied.parts?.map((p) => path.basename(p.path)), ['falco.log.2', 'falco.log.3', 'falco.log.1', 'falco.log']);
  assert.deepEqual([...await f.rulesShown()].sort(), [['After rename', 6], ['After truncate', 1], ['Before rotation', 8], ['Longer new file', 30]]);
  assert.deepEqual(await places('Longer new file'), Array.from({ length: 30 }, (_, l) => [2, l]));
  assert.deepEqual(await places('After truncate'), [[3, 0]]);
  assert.equal(server.shown.filter((m) => m.includes('emptied')).length, 0, server.shown.join('\n'));

  // Deleted: its alerts stay (read through the descriptor held open), and the view says there is no file at the path.
  fs.unlinkSync(file);
  const gone = await f.until((i) => i.missing === true, 'the view saying the file is gone');
  assert.equal(gone.total, 45);
  // Created again: read after the others; the deleted one leaves with its alert (session 23: it was held open, and
  // its disk space, until the log was closed), and the user is told.
  fs.writeFileSync(file, lines('Created again', 0, 4));
  const back = await f.until((i) => i.total === 48 && i.parts?.length === 4, 'the alerts of the file created again');
  assert.equal(back.missing, undefined);
  assert.deepEqual(back.parts?.map((p) => [path.basename(p.path), p.gone ?? false]), [['falco.log.2', false], ['falco.log.3', false], ['falco.log.1', false], ['falco.log', false]]);
  assert.deepEqual([...await f.rulesShown()].sort(), [['After rename', 6], ['Before rotation', 8], ['Created again', 4], ['Longer new file', 30]]);
  assert.ok(server.shown.includes('Falco Lens: falco.log was deleted: the 1 alert read from it is no longer shown, and the Alert Explorer no longer holds it open.'), server.shown.join('\n'));

  await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: f.logId });
});
