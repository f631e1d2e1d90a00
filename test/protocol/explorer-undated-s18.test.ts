// A time filter over a log mixing dated alerts with text alerts whose time is a time of day alone says, over the
// protocol, how many of those it left out: the groups answer's `undated`, and a report's `undated` and note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../helpers/lspClient';
import {
  EXPLORER_CHANGED_NOTIFICATION, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST, EXPLORER_REPORT_REQUEST,
  type ExplorerGroupsResult, type ExplorerLogInfo, type ExplorerReportResult,
} from '../../server/src/protocol';

test('explorer: a time filter reports the undated alerts it left out, in the groups answer and a report\'s note', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-xundated-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'falco.log');
  fs.writeFileSync(file, [
    JSON.stringify({ hostname: 'node-1', output: '12:00:01.000000000: Notice A shell was spawned | process=bash', priority: 'Notice', rule: 'Terminal shell in container',
      source: 'syscall', tags: [], time: '2026-01-02T12:00:01.000000000Z', output_fields: {} }),
    '12:00:02.000000000: Notice A shell was spawned in a container with an attached terminal | process=sh',
    '12:00:03.000000000: Notice A shell was spawned in a container with an attached terminal | process=zsh',
    '',
  ].join('\n'));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const indexed = new Promise<void>((resolve) => server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (i: ExplorerLogInfo) => { if (i.done && i.total === 3) resolve(); }));
  const { logId } = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
  await indexed;
  const filter = { since: Date.parse('2026-01-02T12:00:00Z'), until: Date.parse('2026-01-02T13:00:00Z') };

  const groups = await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule', filter }) as ExplorerGroupsResult;
  assert.deepEqual([groups.matching, groups.undated], [1, 2]);
  const unfiltered = await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule' }) as ExplorerGroupsResult;
  assert.deepEqual([unfiltered.matching, unfiltered.undated], [3, undefined]);

  const report = await server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId, filter }) as ExplorerReportResult;
  assert.deepEqual([report.alerts, report.undated], [1, 2]);
  assert.match(report.markdown, /> Alert Explorer: the 1 alert of the Explorer's filter\. 2 alerts without a date \\\(time of day only\\\) left out by the time filter\.\n/, 'escaped as Markdown');
});
