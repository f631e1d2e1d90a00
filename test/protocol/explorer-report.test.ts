// Incident reports from the Alert Explorer (the only way to a report for a log too large for the editor): the
// alerts of one group, or of the whole log, through the filter, the latest ones when there are more than the cap;
// line numbers are the file's (alerts over several lines too); the rule name from the log is quoted, never rendered
// as Markdown. A report of thousands of alerts lets other requests in while it is built and honours cancellation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource, HoverRequest, LSPErrorCodes, ResponseError, type Hover } from 'vscode-languageserver-protocol/node';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';
import { pathToUri } from '../../server/src/service/uri';
import {
  EXPLORER_CHANGED_NOTIFICATION, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST, EXPLORER_REPORT_REQUEST,
  type ExplorerGroupsResult, type ExplorerLogInfo, type ExplorerReportResult,
} from '../../server/src/protocol';

const HOSTILE_RULE = 'Shell [x](command:workbench.action.terminal.new) <img src=x>';

function jsonAlert(rule: string, priority: string, second: number, command: string): string {
  const time = `2026-01-02T12:00:${String(second).padStart(2, '0')}.000000000Z`;
  return JSON.stringify({
    hostname: 'node-1', output: `12:00:${String(second).padStart(2, '0')}.000000000: ${priority} ${rule} | command=${command}`, priority, rule,
    source: 'syscall', tags: ['T1059'], time, output_fields: { 'proc.cmdline': command, 'proc.name': 'bash' },
  });
}

const summaryRows = (markdown: string) => markdown.split('\n').filter((l) => /^\| \d+ \| \d+ \|/.test(l)).map((l) => l.split('|').map((c) => c.trim()));

async function openIndexed(server: ServerUnderTest, file: string, alerts: number): Promise<string> {
  const indexed = new Promise<void>((resolve) => server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (i: ExplorerLogInfo) => { if (i.done && i.total === alerts) resolve(); }));
  const { logId } = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
  await indexed;
  return logId;
}

test('explorer report: a group, the whole log, a filter and the cap, with the file\'s line numbers', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-xreport-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'falco.log');
  const lines = [
    'Fri Jan  2 11:59:00 2026: Falco version: 0.44.0 (x86_64)',          // line 1: not an alert
    jsonAlert('Terminal shell in container', 'Notice', 1, 'bash -i'),       // line 2
    '',                                                                     // line 3
    jsonAlert(HOSTILE_RULE, 'Critical', 2, 'sh -c id'),                     // line 4
    jsonAlert('Terminal shell in container', 'Notice', 3, 'bash -l'),       // line 5
    jsonAlert('Terminal shell in container', 'Notice', 4, 'zsh'),           // line 6
  ];
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const indexed = new Promise<void>((resolve) => server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (i: ExplorerLogInfo) => { if (i.done && i.total === 4) resolve(); }));
  const { logId } = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
  await indexed;
  const report = (params: object) => server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId, ...params }) as Promise<ExplorerReportResult>;

  const group = await report({ groupBy: 'rule', group: 'Terminal shell in container' });
  assert.equal(group.alerts, 3);
  assert.equal(group.total, 3);
  assert.match(group.markdown, /^# Falco incident report\n\n> Alert Explorer: the 3 alerts of the rule `Terminal shell in container`\.\n/);
  assert.deepEqual(summaryRows(group.markdown).map((c) => c[2]), ['2', '5', '6'], 'the lines of the file');
  assert.ok(!group.markdown.includes('[x]('), 'the other group is not in the report');

  const capped = await report({ groupBy: 'rule', group: 'Terminal shell in container', limit: 2 });
  assert.equal(capped.alerts, 2);
  assert.match(capped.markdown, /> Alert Explorer: the latest 2 of the 3 alerts of the rule/);
  assert.deepEqual(summaryRows(capped.markdown).map((c) => c[2]), ['5', '6'], 'the latest two');

  const whole = await report({});
  assert.equal(whole.alerts, 4);
  assert.match(whole.markdown, /> Alert Explorer: the 4 alerts of the log\./);
  assert.deepEqual(summaryRows(whole.markdown).map((c) => c[2]), ['2', '4', '5', '6']);
  // The hostile rule name is escaped or inside code spans: no link or HTML of it outside them.
  const outsideCode = whole.markdown.replace(/(`+)[^`]*?\1/g, '');
  assert.ok(outsideCode.includes('Shell \\[x\\]'), 'the name is there, escaped');
  assert.ok(!/(?<!\\)\]\(command|(?<!\\)<img/.test(outsideCode), outsideCode);

  const critical = await report({ groupBy: 'priority', group: '2', filter: { text: 'sh -c' } });
  assert.equal(critical.alerts, 1);
  assert.match(critical.markdown, /> Alert Explorer: the 1 alert of the priority `Critical` and the Explorer's filter\./);

  const none = await report({ groupBy: 'hostname', group: 'no-such-host' });
  assert.equal(none.alerts, 0);
  assert.match(none.markdown, /No Falco alerts found/);
  await assert.rejects(server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId: 'nope' }));
});

test('explorer report: an alert over several lines (CRI partial lines) and alerts apart keep the file\'s line numbers', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-xreport-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // falco-cri.log: a lifecycle line, an alert over three P/F lines (2-4), an alert (5); then a lifecycle line (6) and
  // the same four alert lines again (7-10).
  const cri = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'alerts', 'falco-cri.log'), 'utf8').split('\n').filter((l) => l);
  const file = path.join(dir, 'falco.log');
  fs.writeFileSync(file, [...cri, cri[0], ...cri.slice(1)].join('\n') + '\n');
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const logId = await openIndexed(server, file, 4);
  const whole = await server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId }) as ExplorerReportResult;
  assert.equal(whole.alerts, 4);
  assert.deepEqual(summaryRows(whole.markdown).map((c) => c[2]), ['2', '5', '7', '10']);
});

/** `count` JSON alerts of a few rules, with a lifecycle line every 50 lines (so that a group's alerts are apart). */
function largeLog(count: number): string {
  const rules = ['Terminal shell in container', 'Read sensitive file untrusted', 'Drop and execute new binary in container', 'Launch Privileged Container'];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 50 === 0) lines.push('Fri Jan  2 11:59:00 2026: Falco version: 0.44.0 (x86_64)');
    lines.push(jsonAlert(rules[i % rules.length], i % 3 ? 'Notice' : 'Critical', i % 60, `bash -c "echo ${i}"`));
  }
  return lines.join('\n') + '\n';
}

test('explorer report of 5,000 alerts: a hover is answered while it is built, and a cancelled one answers the cancellation and leaves nothing behind', { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-xreport-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'falco.log');
  fs.writeFileSync(file, largeLog(6000));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const logId = await openIndexed(server, file, 6000);
  // A small alert log open in the editor, to hover while the report is built.
  const small = path.join(dir, 'small.falco.jsonl');
  const smallUri = pathToUri(small);
  const smallText = jsonAlert('Terminal shell in container', 'Notice', 1, 'bash -i') + '\n';
  const checked = server.nextDiagnostics(smallUri);
  server.open(smallUri, 'falco-alerts', smallText);
  await checked;
  const hover = () => server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: smallUri }, position: { line: 0, character: smallText.indexOf('"rule":"') + 10 } });

  // The hover, sent after the report, is answered first: the report lets the requests that came meanwhile in.
  const order: string[] = [];
  const reported = (server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId }) as Promise<ExplorerReportResult>).then((r) => { order.push('report'); return r; });
  const hovered = hover().then((h) => { order.push('hover'); return h; });
  const [full, answer] = await Promise.all([reported, hovered]);
  assert.deepEqual(order, ['hover', 'report']);
  assert.ok(answer && JSON.stringify((answer as Hover).contents).includes('Terminal shell in container'), JSON.stringify(answer));  // the rule's hover
  assert.equal(full.alerts, 5000);
  assert.equal(full.total, 6000);
  assert.match(full.markdown, /> Alert Explorer: the latest 5,000 of the 6,000 alerts of the log\./);
  // The latest 5,000: alert 1,000 (0-based) is on line 1,000 + its 21 lifecycle lines before it, + 1.
  assert.equal(summaryRows(full.markdown)[0][2], String(1000 + 21 + 1));

  // Cancelled once the report is under way (a hover sent after it has been answered): the server answers with LSP's
  // RequestCancelled error, not a report.
  const source = new CancellationTokenSource();
  const cancelled = server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId }, source.token);
  await hover();
  source.cancel();
  await assert.rejects(cancelled, (e: unknown) => {
    assert.ok(e instanceof ResponseError, String(e));
    assert.equal(e.code, LSPErrorCodes.RequestCancelled);
    assert.match(e.message, /report was cancelled/);
    return true;
  });
  // Nothing left behind: the log is as it was, the next report is the same report, and nothing was logged as failed.
  const groups = await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule' }) as ExplorerGroupsResult;
  assert.equal(groups.total, 6000);
  const again = await server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId }) as ExplorerReportResult;
  assert.equal(again.markdown, full.markdown);
  assert.deepEqual(server.logs.filter((m) => /Alert Explorer|explorer\/report/.test(m)), []);
  // A report cancelled before it starts is refused at once.
  const early = new CancellationTokenSource();
  early.cancel();
  await assert.rejects(server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId }, early.token), (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
});
