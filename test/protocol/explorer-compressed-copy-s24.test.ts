// Session 24: a followed log's rotated copies that logrotate compresses. With `copytruncate` and `compress` (no
// `delaycompress`) the copy of the live file is falco.log.1.gz and no plain copy is left by the time the Explorer
// looks: the gzip file is decompressed, compared with the bytes read from the live file, and its alerts kept. With
// `delaycompress`, falco.log.1 becomes falco.log.2.gz one rotation later and is deleted: its alerts are read from the
// gzip file and the deleted file is no longer held open. Files are really copied, gzip'd (node:zlib), truncated,
// renamed and deleted while the server follows; the test waits on the server's notifications, never on sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import { Logs } from '../helpers/explorerLogs';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_GROUPS_REQUEST,
  type ExplorerAlertTextResult, type ExplorerAlertsResult, type ExplorerGroupsResult,
} from '../../server/src/protocol';

const alert = (rule: string, n: number) => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (proc.name=cat n=${n})`, priority: 'Warning', rule, source: 'syscall', tags: ['T1555'],
  time: new Date(Date.UTC(2026, 10, 24, 12) + n * 1000).toISOString().replace('Z', '000000Z'), output_fields: { 'proc.name': 'cat', n, pad: 'x'.repeat(150) },
}) + '\n';
const alerts = (rule: string, from: number, count: number) => Array.from({ length: count }, (_, i) => alert(rule, from + i)).join('');

async function setUp(t: { after(fn: () => unknown): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-compressed-copy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  return { dir, log: path.join(dir, 'falco.log'), server, logs: new Logs(server) };
}

const groupsOf = async (server: ServerUnderTest, logId: string) => (await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule' }) as ExplorerGroupsResult)
  .groups.map((g) => [g.key, g.count, g.distinct]).sort();
const textOf = (server: ServerUnderTest, logId: string, id: number) => server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId, id }) as Promise<ExplorerAlertTextResult>;
/** The server's descriptors open on files of `dir` that were deleted. */
const heldDeleted = (server: ServerUnderTest, dir: string) => fs.readdirSync(`/proc/${server.process.pid}/fd`)
  .map((fd) => { try { return fs.readlinkSync(`/proc/${server.process.pid}/fd/${fd}`); } catch { return ''; } })
  .filter((target) => target.startsWith(dir) && target.endsWith(' (deleted)'));
/** The line of a gzip file's text, as `zcat file | sed -n <line+1>p` gives it. */
const gzipLine = (file: string, line: number) => zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')[line];

test('copytruncate + compress: the copy is falco.log.1.gz only; it is decompressed, compared, and every alert stays', { timeout: 90_000 }, async (t) => {
  const { log, server, logs } = await setUp(t);
  // More than 256 KB, so the comparison crosses several of the samples kept, and identical alerts (folded).
  fs.writeFileSync(log, alerts('Before', 0, 1500) + alert('Same', 7).repeat(5));
  const opened = await logs.open({ path: log, follow: true });
  assert.equal(opened.total, 1505);
  const before = await groupsOf(server, opened.logId);
  // logrotate: copies the live file (with lines Falco wrote since the last look), empties it, compresses the copy
  // and removes the plain one, all before the Explorer looks.
  fs.appendFileSync(log, alerts('Written before the copy', 2000, 4));
  fs.writeFileSync(`${log}.1.gz`, zlib.gzipSync(fs.readFileSync(log)));
  fs.truncateSync(log, 0);
  fs.appendFileSync(log, alerts('After', 3000, 2));
  const copied = await logs.until(opened.logId, (i) => i.total === 1511, 'the copy\'s alerts and the new lines');
  assert.deepEqual(copied.parts?.map((p) => [path.basename(p.path), p.compressed ?? false]), [['falco.log.1.gz', true], ['falco.log', false]]);
  assert.deepEqual(await groupsOf(server, opened.logId), [...before, ['After', 2, 2], ['Written before the copy', 4, 4]].sort());
  // The same alerts (no reset: the ids and the generation of the tree drawn before hold).
  const page = await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: opened.logId, groupBy: 'rule', group: 'Same', dedupe: true }) as ExplorerAlertsResult;
  assert.deepEqual(page.items.map((i) => [i.id, i.duplicates, i.part, i.line, i.generation]), [[1504, 5, 0, 1504, 0]]);
  // An alert of the gzip file opens as its text, at its line of the decompressed text.
  const moved = await textOf(server, opened.logId, 1000);
  assert.deepEqual([moved.part, moved.line, moved.file.path, moved.file.compressed], [0, 1000, `${log}.1.gz`, true]);
  assert.equal(moved.text, gzipLine(`${log}.1.gz`, 1000));
  assert.equal(moved.text, alert('Before', 1000).trimEnd());
  const after = await textOf(server, opened.logId, 1510);
  assert.deepEqual([after.part, after.line, after.text, after.file.path], [1, 1, alert('After', 3001).trimEnd(), log]);
  assert.deepEqual(server.shown, [], 'a normal rotation: nothing to tell');
});

test('copytruncate + compress: a gzip copy cut short, or of other lines, is no copy; the user is told which could not be read', { timeout: 90_000 }, async (t) => {
  const { log, server, logs } = await setUp(t);
  fs.writeFileSync(log, alerts('Live', 0, 400));
  const opened = await logs.open({ path: log, follow: true });
  assert.equal(opened.total, 400);
  // The copy cut in its middle (a disk full while logrotate compressed), and a gzip file of other lines.
  const whole = zlib.gzipSync(fs.readFileSync(log));
  fs.writeFileSync(`${log}.1.gz`, whole.subarray(0, whole.length >> 1));
  fs.writeFileSync(`${log}-20261123.gz`, zlib.gzipSync(alerts('Yesterday', 0, 400)));
  fs.truncateSync(log, 0);
  fs.appendFileSync(log, alerts('New', 900, 3));
  const emptied = await logs.until(opened.logId, (i) => i.total === 3 && server.shown.length > 0, 'the log read again');
  assert.deepEqual(emptied.parts, undefined, 'no copy taken: a log of one file');
  assert.deepEqual(await groupsOf(server, opened.logId), [['New', 3, 3]]);
  assert.deepEqual(server.shown, ['Falco Lens: falco.log was emptied in place, and no file of its rotated set starts with the lines read from it (logrotate\'s copytruncate would have copied them first): '
    + 'the 400 alerts read from those lines are no longer shown, and its new lines are read. falco.log.1.gz could not be decompressed to compare (unexpected end of file).']);
  // The server is well: the log is followed on.
  fs.appendFileSync(log, alerts('New', 910, 2));
  await logs.until(opened.logId, (i) => i.total === 5, 'two more alerts');
});

test('delaycompress: falco.log.1 compressed to falco.log.2.gz one rotation later is read from the gzip file, and no longer held open', { timeout: 90_000 }, async (t) => {
  const { dir, log, server, logs } = await setUp(t);
  fs.writeFileSync(log, alerts('Day 0', 0, 300) + alert('Same', 1).repeat(3));
  const opened = await logs.open({ path: log, follow: true });
  assert.equal(opened.total, 303);
  // Day 1 (create, delaycompress): the live file to .1, left plain; a new live file.
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('Day 1', 1000, 3));
  await logs.until(opened.logId, (i) => i.total === 306 && i.parts?.length === 2, 'day 1');
  const before = await groupsOf(server, opened.logId);
  const listed = await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: opened.logId, groupBy: 'rule', group: 'Same', dedupe: true }) as ExplorerAlertsResult;
  // Day 2: .1 to .2, the live file to .1, a new live file, then .2 compressed and removed.
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('Day 2', 2000, 2));
  await logs.until(opened.logId, (i) => i.total === 308 && i.parts?.length === 3, 'day 2');
  fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(fs.readFileSync(`${log}.2`)));
  fs.rmSync(`${log}.2`);
  // Each notification after the gzip file is seen: once it is read from, the deleted .2 is closed.
  const moved = await logs.until(opened.logId, (i) => i.parts?.[0].path === `${log}.2.gz` && heldDeleted(server, dir).length === 0, 'the deleted file closed');
  assert.deepEqual(moved.parts?.map((p) => [path.basename(p.path), p.compressed ?? false, p.gone ?? false]),
    [['falco.log.2.gz', true, false], ['falco.log.1', false, false], ['falco.log', false, false]]);
  assert.equal(moved.total, 308);
  assert.deepEqual(await groupsOf(server, opened.logId), [...before, ['Day 2', 2, 2]].sort());
  const page = await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: opened.logId, groupBy: 'rule', group: 'Same', dedupe: true }) as ExplorerAlertsResult;
  assert.deepEqual(page.items, listed.items, 'the same alerts, ids and generation: nothing read again');
  const first = await textOf(server, opened.logId, 301);
  assert.deepEqual([first.part, first.line, first.file.path, first.file.compressed], [0, 301, `${log}.2.gz`, true]);
  assert.equal(first.text, gzipLine(`${log}.2.gz`, 301));
  assert.deepEqual(server.shown, [], 'a normal rotation: nothing to tell');

  // Day 3 (rotate 2): .2.gz deleted, .1 to .2 (compressed later), the live file to .1.
  fs.rmSync(`${log}.2.gz`);
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('Day 3', 3000, 1));
  await logs.until(opened.logId, (i) => i.total === 6 && i.parts?.length === 3, 'day 3');
  fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(fs.readFileSync(`${log}.2`)));
  fs.rmSync(`${log}.2`);
  await logs.until(opened.logId, (i) => i.parts?.[0].path === `${log}.2.gz` && heldDeleted(server, dir).length === 0, 'the deleted files closed');
  assert.deepEqual(await groupsOf(server, opened.logId), [['Day 1', 3, 3], ['Day 2', 2, 2], ['Day 3', 1, 1]]);
  assert.equal(server.shown.length, 1, server.shown.join('\n'));
  assert.match(server.shown[0], /^Falco Lens: falco\.log\.2\.gz was deleted: the 303 alerts read from it are no longer shown/);
});
