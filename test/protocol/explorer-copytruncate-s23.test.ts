// Session 23: a followed log rotated by logrotate's `copytruncate` (the live file copied to falco.log.1 or a dated
// name, then emptied in place), emptied by hand, and rotated for days with `rotate N`, through the real server while
// the files are really copied, renamed, truncated and deleted. The alerts of an emptied file move onto its copy
// (found by its bytes, not its name) with nothing lost; with no copy they leave and the user is told; a deleted file
// leaves, with its alerts, and is no longer held open. Waits on the server's notifications, never on sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import { Logs } from '../helpers/explorerLogs';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_REPORT_REQUEST,
  type ExplorerAlertTextResult, type ExplorerAlertsResult, type ExplorerGroupsResult, type ExplorerReportResult,
} from '../../server/src/protocol';

const alert = (rule: string, n: number) => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (proc.name=cat n=${n})`, priority: 'Warning', rule, source: 'syscall', tags: ['T1555'],
  time: new Date(Date.UTC(2026, 10, 24, 12) + n * 1000).toISOString().replace('Z', '000000Z'), output_fields: { 'proc.name': 'cat', n, pad: 'x'.repeat(150) },
}) + '\n';
const alerts = (rule: string, from: number, count: number) => Array.from({ length: count }, (_, i) => alert(rule, from + i)).join('');

async function setUp(t: { after(fn: () => unknown): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-copytruncate-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  return { dir, log: path.join(dir, 'falco.log'), server, logs: new Logs(server) };
}

const countsOf = async (server: ServerUnderTest, logId: string) => Object.fromEntries(
  (await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule' }) as ExplorerGroupsResult).groups.map((g) => [g.key, g.count]));
const placesOf = async (server: ServerUnderTest, logId: string, rule: string) => (await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId, groupBy: 'rule', group: rule, limit: 1000 }) as ExplorerAlertsResult)
  .items.map((i) => [i.part, i.line]).reverse();
const textOf = (server: ServerUnderTest, logId: string, id: number) => server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId, id }) as Promise<ExplorerAlertTextResult>;
/** The server's descriptors open on files of `dir` that were deleted. */
const heldDeleted = (server: ServerUnderTest, dir: string) => fs.readdirSync(`/proc/${server.process.pid}/fd`)
  .map((fd) => { try { return fs.readlinkSync(`/proc/${server.process.pid}/fd/${fd}`); } catch { return ''; } })
  .filter((target) => target.startsWith(dir) && target.endsWith(' (deleted)'));

test('copytruncate to .1, then delaycompress: every alert stays, those written before the copy are read from it', { timeout: 90_000 }, async (t) => {
  const { log, server, logs } = await setUp(t);
  fs.writeFileSync(log, alerts('Before', 0, 200));
  const opened = await logs.open({ path: log, follow: true });
  assert.equal(opened.total, 200);
  // Falco writes on while logrotate copies and empties the file: the lines written before the copy may not be
  // indexed yet when the file is emptied; they are in the copy.
  fs.appendFileSync(log, alerts('Before', 200, 20));
  fs.copyFileSync(log, `${log}.1`);
  fs.truncateSync(log, 0);
  fs.appendFileSync(log, alerts('After', 220, 3));
  const copied = await logs.until(opened.logId, (i) => i.total === 223, 'the copy\'s alerts and the new lines');
  assert.deepEqual(copied.parts?.map((p) => path.basename(p.path)), ['falco.log.1', 'falco.log']);
  assert.deepEqual(await countsOf(server, opened.logId), { Before: 220, After: 3 });
  assert.deepEqual(await placesOf(server, opened.logId, 'Before'), Array.from({ length: 220 }, (_, l) => [0, l]));
  assert.deepEqual(await placesOf(server, opened.logId, 'After'), [[1, 0], [1, 1], [1, 2]]);
  // An alert opens its file (the copy) at its line.
  const moved = await textOf(server, opened.logId, 150);
  assert.deepEqual([moved.part, moved.line, moved.text, moved.file.path], [0, 150, alert('Before', 150).trimEnd(), `${log}.1`]);
  assert.equal(fs.readFileSync(moved.file.path, 'utf8').split('\n')[moved.line], moved.text);
  const report = await server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId: opened.logId }) as ExplorerReportResult;
  assert.match(report.markdown, /`falco\.log\.1`, `falco\.log`/);
  assert.deepEqual(server.shown, [], 'nothing lost: nothing to tell');

  // The next rotation with delaycompress: .1 becomes .2, the live file is copied to .1 and emptied (written again
  // longer than before: the truncation is seen by the bytes, not by the size), then .2 is compressed.
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.copyFileSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('Longer after', 300, 10));
  await logs.until(opened.logId, (i) => i.total === 233, 'the second copy\'s alerts and the new lines');
  fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(fs.readFileSync(`${log}.2`)));
  fs.rmSync(`${log}.2`);
  const compressed = await logs.until(opened.logId, (i) => i.parts?.[0].path === `${log}.2.gz`, 'the compressed file named');
  assert.deepEqual(compressed.parts?.map((p) => [path.basename(p.path), p.compressed ?? false, p.gone ?? false]),
    [['falco.log.2.gz', true, false], ['falco.log.1', false, false], ['falco.log', false, false]]);
  assert.deepEqual(await countsOf(server, opened.logId), { Before: 220, After: 3, 'Longer after': 10 });
  const first = await textOf(server, opened.logId, 0);
  assert.deepEqual([first.part, first.text, first.file.path, first.file.compressed], [0, alert('Before', 0).trimEnd(), `${log}.2.gz`, true]);
  assert.deepEqual(server.shown, []);
});

test('copytruncate to a dated name is found by its bytes; a set\'s other files, alike by name or start, are not taken', { timeout: 90_000 }, async (t) => {
  const { log, server, logs } = await setUp(t);
  fs.writeFileSync(`${log}-20261123`, alerts('Yesterday', 0, 50));
  fs.writeFileSync(log, alerts('Today', 100, 80));
  const opened = await logs.open({ path: log, rotated: [`${log}-20261123`], follow: true });
  assert.equal(opened.total, 130);
  // Newer by name than the copy, starting with the same lines and longer: no copy of them all (told by its bytes).
  fs.writeFileSync(`${log}-20261124-1764000000`, alerts('Today', 100, 40) + alerts('Decoy', 0, 60));
  fs.copyFileSync(log, `${log}-20261124`);
  fs.truncateSync(log, 0);
  fs.appendFileSync(log, alerts('Tomorrow', 500, 2));
  const copied = await logs.until(opened.logId, (i) => i.total === 132, 'the alerts after the truncation');
  assert.deepEqual(copied.parts?.map((p) => path.basename(p.path)), ['falco.log-20261123', 'falco.log-20261124', 'falco.log']);
  assert.deepEqual(await countsOf(server, opened.logId), { Yesterday: 50, Today: 80, Tomorrow: 2 });
  assert.deepEqual((await placesOf(server, opened.logId, 'Today')).at(-1), [1, 79]);
  assert.deepEqual(server.shown, []);
});

test('emptied by hand, no copy: the live file\'s alerts leave, the older files\' stay, counts and folding are the new lines\', and the user is told', { timeout: 90_000 }, async (t) => {
  const { log, server, logs } = await setUp(t);
  fs.writeFileSync(`${log}.1`, alerts('Older', 0, 5));
  // Ten identical alerts (folded as one) and three others.
  fs.writeFileSync(log, alert('Live', 7).repeat(10) + alerts('Live', 20, 3));
  const opened = await logs.open({ path: log, rotated: [`${log}.1`], follow: true });
  assert.equal(opened.total, 18);
  const live = (await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId: opened.logId, groupBy: 'rule' }) as ExplorerGroupsResult).groups.find((g) => g.key === 'Live');
  assert.deepEqual([live?.count, live?.distinct], [13, 4]);
  const listed = (await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: opened.logId, groupBy: 'rule', group: 'Live' }) as ExplorerAlertsResult).items[0];
  assert.deepEqual([listed.id, listed.generation], [17, 0]);
  fs.truncateSync(log, 0);
  fs.appendFileSync(log, alert('Live', 7) + alert('Live', 7));
  const emptied = await logs.until(opened.logId, (i) => i.total === 7 && server.shown.length > 0, 'the log read again');
  assert.deepEqual(emptied.parts?.map((p) => path.basename(p.path)), ['falco.log.1', 'falco.log']);
  const groups = (await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId: opened.logId, groupBy: 'rule' }) as ExplorerGroupsResult).groups;
  assert.deepEqual(groups.map((g) => [g.key, g.count, g.distinct]).sort(), [['Live', 2, 1], ['Older', 5, 5]]);
  const page = await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: opened.logId, groupBy: 'rule', group: 'Live', dedupe: true }) as ExplorerAlertsResult;
  assert.deepEqual([page.total, page.items.map((i) => [i.part, i.line, i.duplicates, i.generation])], [1, [[1, 1, 2, 1]]]);
  // The tree drawn before: its alert is refused, not answered with the alert that has its id now.
  await assert.rejects(server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: opened.logId, id: 6, generation: listed.generation }),
    /read falco\.log again from its start since this alert was listed \(a file of it was emptied or deleted\): pick the alert again/);
  const now = await server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: opened.logId, id: 6, generation: 1 }) as ExplorerAlertTextResult;
  assert.deepEqual([now.part, now.line, now.text], [1, 1, alert('Live', 7).trimEnd()]);
  assert.deepEqual(server.shown, ['Falco Lens: falco.log was emptied in place, and no file of its rotated set starts with the lines read from it (logrotate\'s copytruncate would have copied them first): the 13 alerts read from those lines are no longer shown, and its new lines are read.']);

  // The copy compressed before the server looked (logrotate's `compress` without `delaycompress`): decompressed and
  // compared (session 24), its alerts kept; the copy made after the log was read again from its start holds them all.
  fs.appendFileSync(log, alerts('Live', 40, 3));
  await logs.until(opened.logId, (i) => i.total === 10, 'three more alerts');
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.writeFileSync(`${log}.1.gz`, zlib.gzipSync(fs.readFileSync(log)));
  fs.truncateSync(log, 0);
  const compressed = await logs.until(opened.logId, (i) => i.parts?.length === 3, 'the compressed copy taken');
  assert.deepEqual(compressed.parts?.map((p) => [path.basename(p.path), p.compressed ?? false]), [['falco.log.2', false], ['falco.log.1.gz', true], ['falco.log', false]]);
  assert.equal(compressed.total, 10);
  assert.equal(server.shown.length, 1, server.shown.join('\n'));
});

test('followed for many rotations (rotate 2): deleted files leave with their alerts and are not held open', { timeout: 90_000 }, async (t) => {
  const { dir, log, server, logs } = await setUp(t);
  fs.writeFileSync(log, alerts('Day 0', 0, 3));
  const opened = await logs.open({ path: log, follow: true });
  assert.equal(opened.total, 3);
  // logrotate `create` with `rotate 2`, daily: .2 deleted, .1 to .2, the live file to .1, a new live file.
  for (let day = 1; day <= 5; day++) {
    if (fs.existsSync(`${log}.2`)) fs.rmSync(`${log}.2`);
    if (fs.existsSync(`${log}.1`)) fs.renameSync(`${log}.1`, `${log}.2`);
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, alerts(`Day ${day}`, day * 10, 3));
    const kept = Math.min(day, 2);
    await logs.until(opened.logId, (i) => i.total === 3 * (kept + 1) && i.parts?.length === kept + 1 && !i.parts.some((p) => p.gone), `day ${day}`);
    assert.deepEqual(await countsOf(server, opened.logId), Object.fromEntries(Array.from({ length: kept + 1 }, (_, k) => [`Day ${day - kept + k}`, 3])));
    assert.deepEqual(heldDeleted(server, dir), [], `day ${day}: no deleted file held open`);
  }
  const newest = await textOf(server, opened.logId, 8);
  assert.deepEqual([newest.part, newest.line, newest.text, newest.file.path], [2, 2, alert('Day 5', 52).trimEnd(), log]);
  assert.deepEqual(server.shown.filter((m) => m.includes('was deleted')).length, 3);
  assert.ok(server.shown.includes('Falco Lens: falco.log.2 was deleted: the 3 alerts read from it are no longer shown, and the Alert Explorer no longer holds it open.'), server.shown.join('\n'));
});
