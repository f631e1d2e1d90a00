// Session 21: the Explorer's indexing coalesces calls (a call while a pass runs asks for one more pass). A call that
// came after a pass had decided it was the last, but before it let go of the log, was lost: a set whose gzip file
// finished decompressing in that moment stayed at done: false for good (the editor test of rotated sets hit it), and
// a followed log could miss a write until the next one. Many small sets with a gzip part, opened one after another,
// must each end indexed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startServer } from '../helpers/lspClient';
import { EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_OPEN_REQUEST, type ExplorerLogInfo } from '../../server/src/protocol';

const alert = (rule: string, second: number) => JSON.stringify({
  hostname: 'node-1', output: `12:00:${String(second).padStart(2, '0')}.000000000: Warning ${rule} | process=p`, priority: 'Warning', rule,
  source: 'syscall', tags: [], time: `2026-05-01T12:00:${String(second).padStart(2, '0')}.000000000Z`, output_fields: { 'proc.name': 'p' },
});

test('small rotated sets with a gzip part: every one ends indexed (done: true) with all its alerts', { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-wakeup-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startServer({ rootDir: dir });
  t.after(() => server.stop());
  const latest = new Map<string, ExplorerLogInfo>();
  let changed: (() => void) | undefined;
  server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (info: ExplorerLogInfo) => { latest.set(info.logId, info); changed?.(); });
  // A lost pass sends no notification at all: the wait never ends, and the test's timeout fails it (a wait that gave
  // up after a quiet while also failed a machine that merely paused that long), saying which log was left undone.
  let waiting: string | undefined;
  t.after(() => { if (waiting !== undefined) t.diagnostic(`log ${waiting} not indexed: ${JSON.stringify(latest.get(waiting))}`); });
  const indexed = (logId: string) => new Promise<ExplorerLogInfo>((resolve) => {
    waiting = logId;
    const check = () => {
      const info = latest.get(logId);
      if (info?.done) { changed = undefined; waiting = undefined; resolve(info); }
    };
    changed = check;
    check();
  });
  for (let round = 0; round < 40; round++) {
    const folder = path.join(dir, `set-${round}`);
    fs.mkdirSync(folder);
    const live = path.join(folder, 'falco.log');
    fs.writeFileSync(`${live}.2.gz`, zlib.gzipSync(`${alert('Oldest', 1)}\n`));
    fs.writeFileSync(`${live}.1`, `${alert('Middle', 2)}\n${alert('Middle', 3)}\n`);
    fs.writeFileSync(live, `${alert('Live', 4)}\n`);
    const { logId } = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: live, rotated: [`${live}.1`, `${live}.2.gz`] }) as ExplorerLogInfo;
    const info = await indexed(logId);
    assert.equal(info.total, 4, `round ${round}`);
    await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId });
  }
});
