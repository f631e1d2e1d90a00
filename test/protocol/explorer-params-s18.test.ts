// Session 18: the Explorer's queries with a grouping or filter of the wrong shape (any client can send one). The store
// threw a TypeError (`text.toLowerCase is not a function`, `filter.rules.map is not a function`) or matched nothing
// without a word (`since: "abc"`); now the request is refused with InvalidParams and a sentence saying what is wrong,
// and the log keeps answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST, EXPLORER_REPORT_REQUEST,
  type ExplorerGroupsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

test('a grouping or filter of the wrong shape is refused with what is wrong, and the log keeps answering', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-params-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'falco_events.json');
  fs.copyFileSync(path.join(process.cwd(), 'examples', 'falco_events.json'), file);
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const indexed = new Promise<void>((resolve) => server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (i: ExplorerLogInfo) => { if (i.done) resolve(); }));
  const { logId } = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
  await indexed;
  const refused = async (method: string, params: object, message: string) => {
    await assert.rejects(server.connection.sendRequest(method, { logId, ...params }), (e: unknown) => {
      assert.ok(e instanceof ResponseError, String(e));
      assert.equal(e.code, ErrorCodes.InvalidParams);
      assert.equal(e.message, message);
      return true;
    });
  };
  await refused(EXPLORER_GROUPS_REQUEST, { groupBy: 'rule', filter: { text: 123 } }, 'Alert Explorer: the filter\'s text is not a string.');
  await refused(EXPLORER_GROUPS_REQUEST, { groupBy: 'rule', filter: { rules: 'Terminal shell in container' } }, 'Alert Explorer: the filter\'s rules is not a list of rule names.');
  await refused(EXPLORER_GROUPS_REQUEST, { groupBy: 'rule', filter: { since: 'yesterday' } }, 'Alert Explorer: the filter\'s since is not a time in epoch milliseconds.');
  await refused(EXPLORER_GROUPS_REQUEST, { groupBy: 'rule', filter: { minPriority: 9 } }, 'Alert Explorer: the filter\'s minPriority is not a priority number from 0 (Emergency) to 7 (Debug).');
  await refused(EXPLORER_GROUPS_REQUEST, { groupBy: 'severity' }, 'Alert Explorer: cannot group by "severity": the groupings are rule, priority, hostname, source, container, namespace, pod, image, tag.');
  await refused(EXPLORER_GROUPS_REQUEST, { groupBy: 'namespace', filter: { pod: 7 } }, 'Alert Explorer: the filter\'s pod is not a string.');
  await refused(EXPLORER_ALERTS_REQUEST, { groupBy: 'rule', group: 'x', filter: ['text'] }, 'Alert Explorer: the filter is not an object.');
  await refused(EXPLORER_REPORT_REQUEST, { filter: { hostname: 1 } }, 'Alert Explorer: the filter\'s hostname is not a string.');
  const groups = await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule', filter: { text: 'shell', minPriority: 5 } }) as ExplorerGroupsResult;
  assert.ok(groups.matching > 0 && groups.matching < groups.total, JSON.stringify(groups));
});
