// Session 21: a rotated log set (falco.log.2.gz, falco.log.1, falco.log) opened in the Alert Explorer as one log
// through the real server. The set must answer as the one log the files were cut from: the same alerts, groups,
// folded duplicates and time window, each alert at its own file's line; the report names file:line; following the
// live file through logrotate's rename keeps every alert in place; bad params are refused with what is wrong.
// The alerts are the bench generator's (real Falco JSON and text lines rendered from the corpus rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import { Logs } from '../helpers/explorerLogs';
import { CORPUS } from '../fixtures/alerts/helpers';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST,
  EXPLORER_REPORT_REQUEST, EXPLORER_ROTATED_FILES_REQUEST, MAX_SET_BYTES, MAX_SET_FILES,
  type ExplorerAlertTextResult, type ExplorerAlertsResult, type ExplorerGroupsResult, type ExplorerReportResult,
  type ExplorerRotatedFilesResult,
} from '../../server/src/protocol';

interface Generator { generateAlertLog(o: { count: number; out: string; seed?: number; corpusDir: string }): Promise<unknown> }

const lineTexts = (text: string) => text.split('\n').slice(0, -1);

test('a rotated set answers as the one log it was cut from, each alert at its own file\'s line', { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-set-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const generator = await import(pathToFileURL(path.join(process.cwd(), 'bench', 'generate-alerts.mjs')).href) as Generator;
  const whole = path.join(dir, 'whole', 'falco.log');
  await generator.generateAlertLog({ count: 3000, out: whole, seed: 21, corpusDir: CORPUS });
  const lines = lineTexts(fs.readFileSync(whole, 'utf8'));
  // A burst of identical alerts that the rotation cut in two: the set folds them into one class as the whole log does.
  const repeated = lines.find((l) => l.startsWith('{'))!;
  lines.splice(995, 0, ...Array(10).fill(repeated));
  fs.writeFileSync(whole, `${lines.join('\n')}\n`);
  const cuts = [0, 1000, 2000, lines.length];
  const part = (k: number) => lines.slice(cuts[k], cuts[k + 1]).join('\n');
  const log = path.join(dir, 'falco.log');
  fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(`${part(0)}\n`));
  // Its last line without a line feed (a writer stopped mid-way): no line of the next file joins it.
  fs.writeFileSync(`${log}.1`, part(1));
  fs.writeFileSync(log, `${part(2)}\n`);
  // Not of the set: another log, and a name that is no rotation of falco.log.
  fs.writeFileSync(path.join(dir, 'other.log'), `${lines[0]}\n`);
  fs.writeFileSync(`${log}.gz`, zlib.gzipSync(`${lines[0]}\n`));

  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const logs = new Logs(server);

  const siblings = await server.connection.sendRequest(EXPLORER_ROTATED_FILES_REQUEST, { path: `${log}.1` }) as ExplorerRotatedFilesResult;
  assert.equal(siblings.base, 'falco.log');
  assert.deepEqual(siblings.files.map((f) => [path.basename(f.path), f.compressed ?? false]), [['falco.log.2.gz', true], ['falco.log.1', false], ['falco.log', false]]);

  const single = await logs.open({ path: whole });
  const set = await logs.open({ path: log, rotated: [`${log}.1`, `${log}.2.gz`] });
  assert.equal(set.total, single.total);
  assert.ok(set.total > 2900, String(set.total));
  assert.deepEqual(set.parts?.map((p) => [path.basename(p.path), p.compressed ?? false]), [['falco.log.2.gz', true], ['falco.log.1', false], ['falco.log', false]]);
  assert.equal(set.leftOut, undefined);

  const ask = <T>(method: string, logId: string, params: object) => server.connection.sendRequest(method, { logId, ...params }) as Promise<T>;
  // Groups, folded duplicates and the time window over the set are the whole log's.
  for (const groupBy of ['rule', 'priority', 'hostname', 'source']) {
    const a = await ask<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, single.logId, { groupBy, limit: 5000 });
    const b = await ask<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, set.logId, { groupBy, limit: 5000 });
    assert.deepEqual(b, a, groupBy);
  }
  const times = (await ask<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, single.logId, { groupBy: 'priority' })).groups;
  const first = Math.min(...times.map((g) => g.firstTime!));
  const last = Math.max(...times.map((g) => g.lastTime!));
  const window = { since: first + (last - first) * 0.2, until: first + (last - first) * 0.6 };
  const inWindow = await ask<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, set.logId, { groupBy: 'rule', filter: window, limit: 5000 });
  assert.deepEqual(inWindow, await ask<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, single.logId, { groupBy: 'rule', filter: window, limit: 5000 }));
  assert.ok(inWindow.matching > 500 && inWindow.matching < set.total, JSON.stringify(inWindow.matching));

  // Every alert: its file and that file's line, and the text there.
  const files = [lineTexts(`${part(0)}\n`), lineTexts(`${part(1)}\n`), lineTexts(`${part(2)}\n`)];
  const rules = (await ask<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, set.logId, { groupBy: 'priority' })).groups;
  let seen = 0;
  for (const group of rules) {
    const a = await ask<ExplorerAlertsResult>(EXPLORER_ALERTS_REQUEST, single.logId, { groupBy: 'priority', group: group.key, limit: 1000 });
    const b = await ask<ExplorerAlertsResult>(EXPLORER_ALERTS_REQUEST, set.logId, { groupBy: 'priority', group: group.key, limit: 1000 });
    assert.equal(b.items.length, a.items.length);
    for (const [i, item] of b.items.entries()) {
      const wholeLine = a.items[i].line;
      const k = cuts.findIndex((c, j) => wholeLine >= c && wholeLine < cuts[j + 1]);
      assert.deepEqual({ ...item, part: undefined, line: undefined }, { ...a.items[i], part: undefined, line: undefined }, 'the same item but for its place');
      assert.deepEqual([item.part, item.line], [k, wholeLine - cuts[k]], `alert ${item.id}`);
      assert.equal(files[k][item.line], lines[wholeLine]);
      seen++;
    }
  }
  assert.ok(seen > 2000, String(seen));
  const text = await ask<ExplorerAlertTextResult>(EXPLORER_ALERT_TEXT_REQUEST, set.logId, { id: 0 });
  assert.equal(text.part, 0);
  assert.equal(text.text, files[0][text.line]);
  // The duplicates cut by the rotation are one item with dedupe, as in the whole log.
  const dup = JSON.parse(repeated) as { rule: string };
  const deduped = await ask<ExplorerAlertsResult>(EXPLORER_ALERTS_REQUEST, set.logId, { groupBy: 'rule', group: dup.rule, dedupe: true, limit: 1000 });
  // The latest of them is falco.log.1's fifth line, and stands for the eleven (the first JSON line and its ten copies).
  const latest = deduped.items.find((i) => i.part === 1 && i.line === 4);
  assert.ok(latest && latest.duplicates! >= 11, JSON.stringify(latest));
  const singleDeduped = await ask<ExplorerAlertsResult>(EXPLORER_ALERTS_REQUEST, single.logId, { groupBy: 'rule', group: dup.rule, dedupe: true, limit: 1000 });
  assert.deepEqual(deduped.items.map((i) => i.duplicates), singleDeduped.items.map((i) => i.duplicates));

  // The report over the set names each alert's file and line.
  const report = await ask<ExplorerReportResult>(EXPLORER_REPORT_REQUEST, set.logId, {});
  assert.equal(report.total, set.total);
  assert.match(report.markdown, /rotated set read as one, oldest first: `falco\.log\.2\.gz`, `falco\.log\.1`, `falco\.log`/);
  assert.match(report.markdown, /\| 1 \| falco\\?\.log\\?\.2\\?\.gz\\?:1 \|/);
  const latest10 = await ask<ExplorerReportResult>(EXPLORER_REPORT_REQUEST, set.logId, { filter: { since: first + (last - first) * 0.9 } });
  assert.match(latest10.markdown, /\| 1 \| falco\\?\.log\\?:\d+ \|/);
});

test('following a set through logrotate\'s rename keeps every alert where it was, in the file it is now', { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-set-follow-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'falco.log');
  const alert = (rule: string, n: number) => JSON.stringify({
    hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (n=${n})`, priority: 'Warning', rule, source: 'syscall', tags: [],
    time: new Date(Date.UTC(2026, 10, 23, 12) + n * 1000).toISOString().replace('Z', '000000Z'), output_fields: { n },
  }) + '\n';
  const alerts = (rule: string, from: number, count: number) => Array.from({ length: count }, (_, i) => alert(rule, from + i)).join('');
  fs.writeFileSync(`${log}.1`, alerts('Oldest', 0, 5));
  fs.writeFileSync(log, alerts('Before', 5, 3));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const logs = new Logs(server);
  const opened = await logs.open({ path: log, rotated: [`${log}.1`], follow: true });
  assert.equal(opened.total, 8);
  assert.equal(opened.following, true);
  fs.appendFileSync(log, alerts('Before', 8, 2));
  await logs.until(opened.logId, (i) => i.total === 10, 'two appended alerts');

  // logrotate `create`: .1 becomes .2, the live file .1, and a new live file appears.
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('After', 10, 4));
  const rotated = await logs.until(opened.logId, (i) => i.total === 14, 'the new file\'s alerts after the old ones');
  assert.deepEqual(rotated.parts?.map((p) => [path.basename(p.path), p.gone ?? false]), [['falco.log.2', false], ['falco.log.1', false], ['falco.log', false]]);
  const items = async (rule: string) => (await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: opened.logId, groupBy: 'rule', group: rule, limit: 100 }) as ExplorerAlertsResult).items;
  assert.deepEqual((await items('Oldest')).map((i) => [i.part, i.line]).reverse(), [0, 1, 2, 3, 4].map((l) => [0, l]));
  assert.deepEqual((await items('Before')).map((i) => [i.part, i.line]).reverse(), [0, 1, 2, 3, 4].map((l) => [1, l]));
  assert.deepEqual((await items('After')).map((i) => [i.part, i.line]).reverse(), [0, 1, 2, 3].map((l) => [2, l]));

  // The next rotation deletes the oldest (rotate 2): it leaves the set with its alerts (session 23: it was read from
  // the descriptor held open, its disk space with it, until the log was closed), and the user is told.
  fs.rmSync(`${log}.2`);
  fs.renameSync(`${log}.1`, `${log}.2`);
  fs.renameSync(log, `${log}.1`);
  fs.writeFileSync(log, alerts('Latest', 14, 1));
  const again = await logs.until(opened.logId, (i) => i.total === 10 && i.parts?.length === 3, 'a second rotation');
  assert.deepEqual(again.parts?.map((p) => [path.basename(p.path), p.gone ?? false]), [['falco.log.2', false], ['falco.log.1', false], ['falco.log', false]]);
  const oldest = await server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: opened.logId, id: 0 }) as ExplorerAlertTextResult;
  assert.deepEqual([oldest.part, oldest.line, oldest.text, oldest.file.path], [0, 0, alert('Before', 5).trimEnd(), `${log}.2`]);
  const groups = await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId: opened.logId, groupBy: 'rule' }) as ExplorerGroupsResult;
  assert.deepEqual(Object.fromEntries(groups.groups.map((g) => [g.key, g.count])), { Before: 5, After: 4, Latest: 1 });
  assert.ok(server.shown.includes('Falco Lens: falco.log.2 was deleted: the 5 alerts read from it are no longer shown, and the Alert Explorer no longer holds it open.'), server.shown.join('\n'));
});

test('a set\'s bad params are refused with what is wrong; older files past the budget are left out and named', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-set-params-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'falco.log');
  const line = JSON.stringify({ hostname: 'h', output: '12:00:00.000000000: Warning x', priority: 'Warning', rule: 'R', source: 'syscall', tags: [], time: '2026-11-23T12:00:00.000000000Z', output_fields: {} }) + '\n';
  for (const name of ['falco.log', 'falco.log.1', 'falco.log.3', 'falco.log-20261123', 'falco.log.gz', 'other.log']) fs.writeFileSync(path.join(dir, name), line);
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'falco.log.1'), line);
  // Past the budget: a sparse file (never read).
  fs.writeFileSync(`${log}.2`, '');
  fs.truncateSync(`${log}.2`, MAX_SET_BYTES + 1);
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const refused = async (method: string, params: unknown, message: string) => {
    await assert.rejects(server.connection.sendRequest(method, params), (e: unknown) => {
      assert.ok(e instanceof ResponseError, String(e));
      assert.equal(e.code, ErrorCodes.InvalidParams);
      assert.equal(e.message, message);
      return true;
    });
  };
  const q = JSON.stringify;
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: `${log}.1` }, 'Alert Explorer: rotated is not a list of file paths.');
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: [1] }, 'Alert Explorer: rotated is not a list of file paths.');
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: [path.join(dir, 'other.log')] }, `Alert Explorer: ${q(path.join(dir, 'other.log'))} is not a rotated file of "falco.log" in ${q(dir)}.`);
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: [`${log}.gz`] }, `Alert Explorer: ${q(`${log}.gz`)} is not a rotated file of "falco.log" in ${q(dir)}.`);
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: [path.join(dir, 'sub', 'falco.log.1')] }, `Alert Explorer: ${q(path.join(dir, 'sub', 'falco.log.1'))} is not a rotated file of "falco.log" in ${q(dir)}.`);
  await refused(EXPLORER_OPEN_REQUEST, { path: `${log}.1`, rotated: [log] }, `Alert Explorer: ${q(log)} is not older than "falco.log.1".`);
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: [`${log}.1`, `${log}.1`] }, `Alert Explorer: ${q(`${log}.1`)} is named twice.`);
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: [`${log}.9`] }, `Alert Explorer: not a readable file: ${q(`${log}.9`)}.`);
  await refused(EXPLORER_OPEN_REQUEST, { path: log, rotated: Array.from({ length: MAX_SET_FILES }, (_, i) => `${log}.${i + 1}`) }, `Alert Explorer: a rotated set of more than ${MAX_SET_FILES} files is not opened as one log.`);
  await refused(EXPLORER_OPEN_REQUEST, { path: 7 }, 'Alert Explorer: path is not a file path.');
  await refused(EXPLORER_OPEN_REQUEST, { path: log, follow: 'yes' }, 'Alert Explorer: follow is not true or false.');
  await refused(EXPLORER_ROTATED_FILES_REQUEST, { path: ['x'] }, 'Alert Explorer: path is not a file path.');
  await refused(EXPLORER_ROTATED_FILES_REQUEST, null, 'Alert Explorer: path is not a file path.');

  const siblings = await server.connection.sendRequest(EXPLORER_ROTATED_FILES_REQUEST, { path: log }) as ExplorerRotatedFilesResult;
  assert.deepEqual(siblings.files.map((f) => path.basename(f.path)), ['falco.log-20261123', 'falco.log.3', 'falco.log.2', 'falco.log.1', 'falco.log']);
  const logs = new Logs(server);
  const opened = await logs.open({ path: log, rotated: siblings.files.slice(0, -1).map((f) => f.path) });
  // Counted from the newest back: falco.log and .1 fit, .2 does not, and nothing older is read after it.
  assert.deepEqual(opened.leftOut?.map((f) => path.basename(f)), ['falco.log-20261123', 'falco.log.3', 'falco.log.2']);
  assert.deepEqual(opened.parts?.map((p) => path.basename(p.path)), ['falco.log.1', 'falco.log']);
  assert.equal(opened.total, 2);
});
