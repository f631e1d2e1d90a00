// Session 22: logrotate's `delaycompress` compresses a rotated file one rotation later (falco.log.1 becomes
// falco.log.2, then falco.log.2.gz, the plain file removed). The Alert Explorer reads the plain file through the
// descriptor it holds; the path it shows for the file's alerts (the info's parts, the file an alert opens, the
// report's file:line) must be the gzip file from then on, followed or not, not the removed name until the next
// rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startServer } from '../helpers/lspClient';
import { Logs } from '../helpers/explorerLogs';
import {
  EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_REPORT_REQUEST, type ExplorerAlertTextResult, type ExplorerReportResult,
} from '../../server/src/protocol';

const alert = (rule: string, n: number) => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (n=${n})`, priority: 'Warning', rule, source: 'syscall', tags: [],
  time: new Date(Date.UTC(2026, 10, 23, 12) + n * 1000).toISOString().replace('Z', '000000Z'), output_fields: { n, pad: 'x'.repeat(200) },
});
const alerts = (rule: string, from: number, count: number) => Array.from({ length: count }, (_, i) => `${alert(rule, from + i)}\n`).join('');

/** logrotate's compression of a rotated file: the gzip file written next to it, then the plain one removed. */
function compress(file: string): void {
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
  fs.rmSync(file);
}

test('a rotated file compressed one rotation later is shown as the gzip file, followed or not', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-delaycompress-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'falco.log');
  fs.writeFileSync(`${log}.1`, alerts('Older', 0, 20));
  fs.writeFileSync(log, alerts('Live', 20, 3));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const logs = new Logs(server);
  const text = (logId: string, id: number) => server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId, id }) as Promise<ExplorerAlertTextResult>;

  // Followed: logrotate with delaycompress renames .1 to .2 and the live file to .1, creates a new live file, then
  // compresses .2.
  const followed = await logs.open({ path: log, rotated: [`${log}.1`], follow: true });
  assert.equal(followed.total, 23);
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('New', 23, 2));
  const rotated = await logs.until(followed.logId, (i) => i.total === 25, 'the new file\'s alerts');
  assert.deepEqual(rotated.parts?.map((p) => path.basename(p.path)), ['falco.log.2', 'falco.log.1', 'falco.log']);
  compress(`${log}.2`);
  const compressed = await logs.until(followed.logId, (i) => i.parts?.[0].path === `${log}.2.gz`, 'the compressed file named');
  assert.deepEqual(compressed.parts?.map((p) => [path.basename(p.path), p.compressed ?? false, p.gone ?? false]),
    [['falco.log.2.gz', true, false], ['falco.log.1', false, false], ['falco.log', false, false]]);
  const oldest = await text(followed.logId, 0);
  assert.deepEqual([oldest.part, oldest.line, oldest.text, oldest.file.path, oldest.file.compressed], [0, 0, alert('Older', 0), `${log}.2.gz`, true]);
  const live = await text(followed.logId, 20);
  assert.deepEqual([live.part, live.line, live.file.path, live.file.compressed], [1, 0, `${log}.1`, undefined]);
  const report = await server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId: followed.logId }) as ExplorerReportResult;
  assert.match(report.markdown, /`falco\.log\.2\.gz`, `falco\.log\.1`, `falco\.log`/);
  assert.match(report.markdown, /\| 1 \| falco\\?\.log\\?\.2\\?\.gz\\?:1 \|/);

  // Not followed: a set of .2.gz, .1 and the live file. The next rotation (not followed: no file is added) moves .1
  // to .2 and compresses it, and the live file to .1: each alert's file is where it is now.
  const still = await logs.open({ path: log, rotated: [`${log}.1`, `${log}.2.gz`] });
  assert.equal(still.total, 25);
  fs.rmSync(`${log}.2.gz`);
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, '');
  compress(`${log}.2`);
  const a = await text(still.logId, 20);
  assert.deepEqual([a.part, a.line, a.text, a.file.path, a.file.compressed, a.file.gone], [1, 0, alert('Live', 20), `${log}.2.gz`, true, undefined]);
  const b = await text(still.logId, 23);
  assert.deepEqual([b.part, b.line, b.file.path, b.file.compressed], [2, 0, `${log}.1`, undefined]);
  const c = await text(still.logId, 0);
  assert.deepEqual([c.part, c.file.path, c.file.compressed, c.file.gone], [0, `${log}.2.gz`, true, true]);
});

test('a log opened alone and renamed since: an alert opens its file under its name now', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-renamed-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'falco.log');
  fs.writeFileSync(log, alerts('Only', 0, 3));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const logs = new Logs(server);
  const opened = await logs.open({ path: log });
  assert.equal(opened.parts, undefined);
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('Other', 10, 5));
  const moved = await server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: opened.logId, id: 2 }) as ExplorerAlertTextResult;
  assert.deepEqual([moved.part, moved.line, moved.text, moved.file.path, moved.file.compressed], [undefined, 2, alert('Only', 2), `${log}.1`, undefined]);
});
