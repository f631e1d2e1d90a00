// Session 19: the alerts page answer says `undated` as the groups answer (b7f5480) and a report do: how many of the
// group's alerts a time filter left out because they have no date (text alerts whose time is a time of day alone),
// of those passing the rest of the filter; 0 for a group that holds none, absent without a time bound. The tree shows
// it as a note under the group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../helpers/lspClient';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_OPEN_REQUEST,
  type ExplorerAlertsResult, type ExplorerLogInfo,
} from '../../server/src/protocol';

const SHELL = 'Terminal shell in container';

test('explorer: a page of a group\'s alerts says how many of them the time filter left out for lack of a date', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-pundated-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'falco.log');
  const shell = (second: number, process: string) => JSON.stringify({
    hostname: 'node-1', output: `12:00:0${second}.000000000: Notice A shell was spawned in a container with an attached terminal | process=${process}`,
    priority: 'Notice', rule: SHELL, source: 'syscall', tags: ['shell'], time: `2026-01-02T12:00:0${second}.000000000Z`, output_fields: {},
  });
  fs.writeFileSync(file, [
    shell(1, 'bash'),
    // The same alert's text form (json_output: false): a time of day, no date; the rule is named from the loaded rules.
    '12:00:02.000000000: Notice A shell was spawned in a container with an attached terminal | process=sh',
    '12:00:03.000000000: Notice A shell was spawned in a container with an attached terminal | process=sh',
    '12:00:04.000000000: Debug A shell was spawned in a container with an attached terminal | process=zsh',
    shell(5, 'bash'),
    '',
  ].join('\n'));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const indexed = new Promise<void>((resolve) => server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (i: ExplorerLogInfo) => { if (i.done && i.total === 5) resolve(); }));
  const { logId } = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
  await indexed;
  const window = { since: Date.parse('2026-01-02T12:00:00Z'), until: Date.parse('2026-01-02T13:00:00Z') };
  const page = (params: object) => server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId, groupBy: 'priority', group: '5', offset: 0, limit: 10, ...params }) as Promise<ExplorerAlertsResult>;

  const notice = await page({ filter: window, dedupe: true });
  assert.deepEqual([notice.total, notice.undated], [1, 2], 'the two dated Notice alerts fold into one item; the two undated ones are counted as alerts, not folded');
  assert.deepEqual([notice.items[0].duplicates, (await page({ filter: window })).total], [2, 2]);
  assert.equal((await page({ filter: { ...window, text: 'bash' } })).undated, 0, 'the rest of the filter applies');
  assert.equal((await page({ group: '7', filter: window })).undated, 1);
  assert.equal((await page({ group: '1', filter: window })).undated, 0, 'a group with no alert');
  const unfiltered = await page({});
  assert.deepEqual([unfiltered.total, unfiltered.undated], [4, undefined]);
  assert.equal((await page({ groupBy: 'tag', group: 'shell', filter: window })).undated, 0, 'the text alerts carry no tags');
  assert.equal((await page({ groupBy: 'tag', group: '', filter: window })).undated, 3);
});
