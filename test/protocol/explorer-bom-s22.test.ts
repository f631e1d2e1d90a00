// Session 22: a log saved with a UTF-8 byte order mark, opened in the Alert Explorer through the real server: a plain
// log, a gzip one, and a rotated set whose later files (plain and gzip) start with one. Every first line is an alert,
// identified and at its own file's line; its text has no mark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startServer } from '../helpers/lspClient';
import { Logs } from '../helpers/explorerLogs';
import {
  EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_GROUPS_REQUEST, type ExplorerAlertTextResult, type ExplorerGroupsResult,
} from '../../server/src/protocol';

const BOM = '\ufeff';
const alert = (rule: string, n: number) => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (n=${n})`, priority: 'Warning', rule, source: 'syscall', tags: [],
  time: new Date(Date.UTC(2026, 10, 23, 12) + n * 1000).toISOString().replace('Z', '000000Z'), output_fields: { n },
});
const alerts = (rule: string, from: number, count: number) => Array.from({ length: count }, (_, i) => `${alert(rule, from + i)}\n`).join('');

test('a byte order mark at the start of a plain log, a gzip log and each file of a set leaves every first line an alert', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-bom-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'falco.log');
  fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(`${BOM}${alerts('Oldest', 0, 2)}`));
  fs.writeFileSync(`${log}.1`, `${BOM}${alerts('Older', 2, 2)}`);
  fs.writeFileSync(log, `${BOM}${alerts('Live', 4, 2)}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-tmp-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const server = await startServer({ rootDir: dir, env: { TMPDIR: tmp } });
  t.after(() => server.stop());
  const logs = new Logs(server);
  const rules = async (logId: string) => Object.fromEntries(((await server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule' })) as ExplorerGroupsResult).groups.map((g) => [g.key, g.count]));
  const first = (logId: string) => server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId, id: 0 }) as Promise<ExplorerAlertTextResult>;

  const plain = await logs.open({ path: `${log}.1` });
  assert.deepEqual([plain.total, plain.unparsed], [2, 0]);
  assert.deepEqual(await rules(plain.logId), { Older: 2 });
  assert.deepEqual([(await first(plain.logId)).line, (await first(plain.logId)).text], [0, alert('Older', 2)]);

  const gzip = await logs.open({ path: `${log}.2.gz` });
  assert.deepEqual([gzip.total, gzip.unparsed], [2, 0]);
  assert.deepEqual((await first(gzip.logId)).text, alert('Oldest', 0));

  const set = await logs.open({ path: log, rotated: [`${log}.1`, `${log}.2.gz`] });
  assert.deepEqual([set.total, set.unparsed], [6, 0]);
  assert.deepEqual(await rules(set.logId), { Oldest: 2, Older: 2, Live: 2 });
  for (const [id, part, n, rule] of [[2, 1, 2, 'Older'], [4, 2, 4, 'Live']] as const) {
    const text = await server.connection.sendRequest(EXPLORER_ALERT_TEXT_REQUEST, { logId: set.logId, id }) as ExplorerAlertTextResult;
    assert.deepEqual([text.part, text.line, text.text], [part, 0, alert(rule, n)]);
  }
});
