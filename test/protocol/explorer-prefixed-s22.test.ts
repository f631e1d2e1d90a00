// Session 22: a log of `kubectl logs --prefix` (`[pod/<pod>/<container>] ` before each line, kubectl logs.go
// addPrefixIfNeeded; with --timestamps the runtime's time follows it) and of `docker compose logs` (`<name> | `),
// opened in the Alert Explorer through the real server, is read as the editor reads it (alerts/parse.ts parseLine):
// every alert behind a prefix is indexed at its line, grouped by its rule (a text alert's identified by the loaded
// rules), with its own time, summary, pod and container. The prefix names the Falco pod that wrote the line, not the
// pod the alert is about: the pod and container columns stay the alert's (its output_fields, the fields of a text
// alert's output), as in an unprefixed log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../helpers/lspClient';
import { Logs } from '../helpers/explorerLogs';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_REPORT_REQUEST,
  type ExplorerAlertTextResult, type ExplorerReportResult, type ExplorerAlertsResult, type ExplorerGroupBy, type ExplorerGroupsResult,
} from '../../server/src/protocol';

const RULE = 'Terminal shell in container';
const MESSAGE = 'A shell was spawned in a container with an attached terminal';
const RULES = `- rule: ${RULE}\n  desc: d\n  condition: evt.type = execve\n`
  + `  output: ${MESSAGE} (user=%user.name container_name=%container.name k8s_ns_name=%k8s.ns.name k8s_pod_name=%k8s.pod.name)\n  priority: NOTICE\n`;
const json = (second: number, ns: string, pod: string, container: string) => JSON.stringify({
  hostname: 'node-1', output: `12:00:0${second}.000000000: Notice ${MESSAGE} (user=root container_name=${container} k8s_ns_name=${ns} k8s_pod_name=${pod})`,
  priority: 'Notice', rule: RULE, source: 'syscall', tags: ['container'], time: `2026-11-23T12:00:0${second}.000000000Z`,
  output_fields: { 'container.name': container, 'k8s.ns.name': ns, 'k8s.pod.name': pod, 'user.name': 'root' },
});
const text = (second: number, ns: string, pod: string, container: string) =>
  `12:00:0${second}.000000000: Notice ${MESSAGE} (user=root container_name=${container} k8s_ns_name=${ns} k8s_pod_name=${pod})`;
const LINES = [
  `[pod/falco-7xk2p/falco] ${json(1, 'shop', 'web-1', 'web')}`,
  `[pod/falco-9qrst/falco] 2026-11-23T12:00:09.123456789Z ${json(2, 'shop', 'api-1', 'api')}`,
  `[pod/falco-7xk2p/falco] ${text(3, 'shop', 'web-1', 'web')}`,
  `falco-1  | ${json(4, 'shop', 'api-1', 'api')}`,
  `falco-1  | 2026-11-23T12:00:09.5Z ${text(5, 'ops', 'db-0', 'db')}`,
  json(6, 'ops', 'db-0', 'db'),
];

test('a kubectl --prefix and docker compose log in the Explorer: every alert at its line, by rule, with its own pod and container', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-prefixed-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'falco.log');
  fs.writeFileSync(log, `${LINES.join('\n')}\n`);
  const rules = path.join(dir, 'shell_rules.yaml');
  fs.writeFileSync(rules, RULES);
  const server = await startServer({ rootDir: dir, settings: { rules: { files: [rules] } } });
  t.after(() => server.stop());
  const info = await new Logs(server).open({ path: log });
  assert.deepEqual([info.total, info.unparsed], [6, 0]);
  const groups = async (groupBy: ExplorerGroupBy) => Object.fromEntries(((await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId: info.logId, groupBy })) as ExplorerGroupsResult)
    .groups.map((g) => [g.key, groupBy === 'rule' ? [g.count, g.identified] : g.count]));
  assert.deepEqual(await groups('rule'), { [RULE]: [6, true] });
  assert.deepEqual(await groups('pod'), { 'shop/web-1': 2, 'shop/api-1': 2, 'ops/db-0': 2 });
  assert.deepEqual(await groups('namespace'), { shop: 4, ops: 2 });
  assert.deepEqual(await groups('container'), { web: 2, api: 2, db: 2 });
  assert.deepEqual(await groups('hostname'), { 'node-1': 4, '': 2 });

  const page = await server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId: info.logId, groupBy: 'rule', group: RULE, limit: 10 }) as ExplorerAlertsResult;
  const byLine = [...page.items].sort((a, b) => a.line - b.line);
  assert.deepEqual(byLine.map((i) => i.line), [0, 1, 2, 3, 4, 5]);
  // The alert's own time (the text alerts': a time of day, no date), not the runtime's of --timestamps.
  assert.deepEqual(byLine.map((i) => i.timeText), [1, 2, 3, 4, 5, 6].map((s, n) => (n === 2 || n === 4 ? `12:00:0${s}.000000000` : `2026-11-23T12:00:0${s}.000000000Z`)));
  for (const item of byLine) {
    assert.ok(item.summary.startsWith(`${MESSAGE} (user=root `), item.summary);
    const alert = await server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: info.logId, id: item.id }) as ExplorerAlertTextResult;
    assert.deepEqual([alert.line, alert.text], [item.line, LINES[item.line]]);
  }
  // A filter by the alert's pod finds the prefixed alerts of that pod; the Falco pod of the prefix is no pod of any.
  const filtered = async (pod: string) => ((await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId: info.logId, groupBy: 'rule', filter: { pod } })) as ExplorerGroupsResult).matching;
  assert.deepEqual([await filtered('api-1'), await filtered('falco-7xk2p')], [2, 0]);
  const report = await server.connection.sendRequest(EXPLORER_REPORT_REQUEST, { logId: info.logId }) as ExplorerReportResult;
  assert.deepEqual([report.alerts, report.total], [6, 6]);
  assert.ok(report.markdown.includes(RULE), report.markdown);
});
