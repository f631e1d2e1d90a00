// Incident reports from the Alert Explorer (the only way to a report for a log too large for the editor): the
// alerts of one group, or of the whole log, through the filter, the latest ones when there are more than the cap;
// line numbers are the file's; the rule name from the log is quoted, never rendered as Markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../helpers/lspClient';
import {
  EXPLORER_CHANGED_NOTIFICATION, EXPLORER_OPEN_REQUEST, EXPLORER_REPORT_REQUEST,
  type ExplorerLogInfo, type ExplorerReportResult,
} from '../../server/src/protocol';

const HOSTILE_RULE = 'Shell [x](command:workbench.action.terminal.new) <img src=x>';

function jsonAlert(rule: string, priority: string, second: number, command: string): string {
  const time = `2026-01-02T12:00:${String(second).padStart(2, '0')}.000000000Z`;
  return JSON.stringify({
    hostname: 'node-1', output: `12:00:${String(second).padStart(2, '0')}.000000000: ${priority} ${rule} | command=${command}`, priority, rule,
    source: 'syscall', tags: ['T1059'], time, output_fields: { 'proc.cmdline': command, 'proc.name': 'bash' },
  });
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
  const summaryRows = (markdown: string) => markdown.split('\n').filter((l) => /^\| \d+ \| \d+ \|/.test(l)).map((l) => l.split('|').map((c) => c.trim()));

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
