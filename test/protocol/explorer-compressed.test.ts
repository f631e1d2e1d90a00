// Rotated logs are usually compressed (logrotate's `compress`: falco.log.2.gz). The Alert Explorer opens them through
// the real server: decompressed into a temporary copy that is indexed as it grows, the same alerts as the plain log,
// an alert's text from the copy, no follow; a log cut while compressed shows what came before the cut and says so;
// closing removes the copy; a server started after one that was killed removes that one's copy, not a live server's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import { copyFolderPrefix } from '../../server/src/gzipFile';
import {
  EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_FOLLOW_REQUEST, EXPLORER_GROUPS_REQUEST,
  EXPLORER_OPEN_REQUEST, type ExplorerAlertTextResult, type ExplorerGroupsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

const RULES = ['Terminal shell in container', 'Read sensitive file untrusted', 'Drop and execute new binary in container'];

function logText(alerts: number): string {
  const lines = ['Fri Jan  2 11:59:00 2026: Falco version: 0.44.0 (x86_64)'];
  for (let i = 0; i < alerts; i++) {
    const rule = RULES[i % RULES.length];
    const time = new Date(Date.UTC(2026, 0, 2, 12, 0, 0) + i * 1000).toISOString().replace('Z', '000000Z');
    lines.push(i % 10 === 9
      ? `${time.slice(11, 29)}: Warning ${rule} | n=${i} ${'x'.repeat(400)}`
      : JSON.stringify({ hostname: `node-${i % 4}`, output: `${time.slice(11, 29)}: Warning ${rule} | n=${i}`, priority: 'Warning', rule, source: 'syscall', tags: [], time, output_fields: { n: i, pad: 'y'.repeat(400) } }));
  }
  return lines.join('\n') + '\n';
}


async function openUntilDone(server: ServerUnderTest, file: string): Promise<ExplorerLogInfo> {
  let logId: string | undefined;
  const early: ExplorerLogInfo[] = [];
  const done = new Promise<ExplorerLogInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not indexed: ${JSON.stringify(early.at(-1))}`)), 60_000);
    server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (info: ExplorerLogInfo) => {
      early.push(info);
      if ((logId === undefined || info.logId === logId) && info.path === file && info.done) { clearTimeout(timer); resolve(info); }
    });
  });
  const opened = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
  logId = opened.logId;
  assert.equal(opened.compressed, file.endsWith('.gz') || undefined);
  return done;
}

test('a gzip log is indexed like the plain one, read back, not followed, and its copy removed on close', { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-gz-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // About 10 MB decompressed: more than one indexing slice (8 MB) while the copy grows.
  const text = logText(22_000);
  fs.writeFileSync(path.join(dir, 'falco.log'), text);
  fs.writeFileSync(path.join(dir, 'falco.log.2.gz'), zlib.gzipSync(text));
  // The server's temp folder is this test's own: the shared one holds the copies of the servers of other tests and
  // other runs on the machine, made or removed while this one runs.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-tmp-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const server = await startServer({ rootDir: dir, env: { TMPDIR: tmp } });
  t.after(() => server.stop());

  const plain = await openUntilDone(server, path.join(dir, 'falco.log'));
  const compressed = await openUntilDone(server, path.join(dir, 'falco.log.2.gz'));
  assert.equal(compressed.total, 22_000);
  assert.equal(compressed.total, plain.total);
  assert.equal(compressed.compressed, true);
  assert.equal(compressed.totalBytes, Buffer.byteLength(text), 'the decompressed size');
  const groups = async (logId: string) => ((await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule' })) as ExplorerGroupsResult).groups.map((g) => [g.key, g.count]);
  assert.deepEqual(await groups(compressed.logId), await groups(plain.logId));
  const last = await server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: compressed.logId, id: 21_999 }) as ExplorerAlertTextResult;
  assert.equal(last.text, text.split('\n')[22_000]);
  assert.equal(last.line, 22_000);
  // Session 18: said to the user, not only in the server's log (the Follow button did nothing visible).
  const follow = await server.connection.sendRequest(EXPLORER_FOLLOW_REQUEST, { logId: compressed.logId, follow: true }) as ExplorerLogInfo;
  assert.equal(follow.following, false, 'a compressed log does not grow');
  // The message was sent before the answer, and the connection hands messages over in order.
  assert.ok(server.shown.includes('Falco Lens: falco.log.2.gz is compressed, and a compressed log does not grow: there is nothing to follow.'), server.shown.join('\n'));

  const copies = fs.readdirSync(tmp);
  assert.equal(copies.length, 1, 'one decompressed copy');
  assert.ok(copies[0].startsWith(copyFolderPrefix(server.process.pid!)), `named by its server's pid: ${copies[0]}`);
  await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: compressed.logId });
  assert.ok(!fs.existsSync(path.join(tmp, copies[0])), 'closing removes the copy');
});

test('a gzip log cut short shows the alerts before the cut and says why', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-gz-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const whole = zlib.gzipSync(logText(3_000));
  // In a folder of the workspace, named with a right-to-left override (U+202E): `gz.1.gol.ocla` would read as
  // `falco.log.1.gz` in the pop-up. It names the log relative to the workspace, the override written as \u202E.
  fs.mkdirSync(path.join(dir, 'logs'));
  const file = path.join(dir, 'logs', 'falco\u202e.log.1.gz');
  fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-tmp-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const server = await startServer({ rootDir: dir, env: { TMPDIR: tmp } });
  t.after(() => server.stop());
  const info = await openUntilDone(server, file);
  assert.ok(info.total > 100 && info.total < 3_000, `alerts before the cut: ${info.total}`);
  assert.ok(server.logs.some((m) => m.includes('could not be decompressed to its end')), server.logs.join('\n'));
  const warning = server.shown.find((m) => m.includes('could not be decompressed'));
  assert.match(warning ?? server.shown.join('\n'), /^Falco Lens: logs\/falco\\u202E\.log\.1\.gz could not be decompressed to its end \(/);
  await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: info.logId });
});

test('a server removes at start the copies of servers that were killed, and leaves a live server\'s', { timeout: 60_000 }, async (t) => {
  // A temp folder of this test's own (the server takes TMPDIR from its environment), so that the servers of other
  // tests running meanwhile do not sweep it first.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-tmp-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // A pid that names no process: one of a process that has exited.
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
  assert.throws(() => process.kill(deadPid, 0), { code: 'ESRCH' });
  const copy = (pid: number) => {
    const folder = path.join(tmp, `${copyFolderPrefix(pid)}x1y2z3`);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'decompressed.log'), logText(3));
    return folder;
  };
  const stale = copy(deadPid);
  const live = copy(process.pid);

  const server = await startServer({ rootDir: tmp, env: { TMPDIR: tmp } });
  t.after(() => server.stop());
  // The server says what it removed once it has looked at every copy.
  const sweepLog = (m: string) => m.startsWith('Alert Explorer: removed ');
  const swept = server.logs.find(sweepLog) ?? await new Promise<string>((resolve) => {
    server.connection.onNotification('window/logMessage', (p: { message: string }) => {
      server.logs.push(p.message);
      if (sweepLog(p.message)) resolve(p.message);
    });
  });
  assert.ok(swept.includes('removed 1 decompressed log copy') && swept.includes(stale), swept);
  assert.ok(!fs.existsSync(stale), 'the killed server\'s copy is gone');
  assert.ok(fs.existsSync(path.join(live, 'decompressed.log')), 'the live server\'s copy stays');
});
