// Session 23: logrotate's `copytruncate` copies the live log (falco.log.1, or a dated name), then empties it in place.
// The Explorer indexed the live file's bytes, which are gone from it once it is emptied: it recognises the copy by
// the samples it kept of them (PrefixPrint), not by the name, moves the alerts onto it (the stream's offsets read the
// copy) and reads the live file again from its start. With no copy, the log is indexed again and the old alerts'
// state leaves entirely. Files deleted while followed are left out and closed (SetSource.dropDeleted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AlertStore, runSteps } from '../../server/src/service/explorer/alertStore';
import { PrefixPrint, type ReadAt } from '../../server/src/service/explorer/logSet';
import { SetSource, type SetChange } from '../../server/src/handlers/rotatedSet';
import { MemorySource } from '../helpers/memorySource';

const alert = (rule: string, n: number, extra = '') => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (n=${n}${extra})`, priority: 'Warning', rule, source: 'syscall', tags: ['T1'],
  time: new Date(Date.UTC(2026, 10, 24, 12) + n * 1000).toISOString().replace('Z', '000000Z'),
  output_fields: { n, 'k8s.ns.name': `ns-${rule.length % 3}`, 'k8s.pod.name': 'pod' },
}) + '\n';
const alerts = (rule: string, from: number, count: number) => Array.from({ length: count }, (_, i) => alert(rule, from + i)).join('');
const reader = (data: () => Buffer): ReadAt => (buffer, offset, length, position) => (position >= data().length ? 0 : data().copy(buffer, offset, position, Math.min(data().length, position + length)));

test('a prefix print recognises a copy of the bytes covered (and more), and nothing else', () => {
  // 300 KB: samples at the start, at 8, 16, 32, 64, 128 and 256 KB, and at the end.
  let file = Buffer.from(alerts('Live', 0, 1200));
  assert.ok(file.length > 256 * 1024);
  const print = new PrefixPrint();
  assert.equal(print.extend(reader(() => file), 5000), true);
  assert.equal(print.extend(reader(() => file), file.length - 100), true);
  const covered = print.length;
  const copy = Buffer.concat([file, Buffer.from(alert('Written before the copy', 2000))]);
  assert.equal(print.matches(reader(() => copy), copy.length), true, 'a copy with lines the index had not reached');
  assert.equal(print.matches(reader(() => file), file.length), true);
  const shorter = copy.subarray(0, covered - 1);
  assert.equal(print.matches(reader(() => shorter), shorter.length), false, 'a copy missing bytes indexed');
  for (const at of [10, 64 * 1024 + 5, covered - 3]) {
    const changed = Buffer.from(copy);
    changed[at] ^= 1;
    assert.equal(print.matches(reader(() => changed), changed.length), false, `a byte changed at ${at}`);
  }
  const other = Buffer.from(alerts('Other', 0, 1300));
  assert.equal(print.matches(reader(() => other), other.length), false, 'another file of the set');
  assert.equal(new PrefixPrint().matches(reader(() => copy), copy.length), false, 'nothing covered: no copy to recognise');

  // The file emptied and written again past the bytes covered before it is looked at: its end no longer holds them.
  assert.equal(print.holdsEnd(reader(() => file), file.length), true);
  file = Buffer.from(alerts('Rewritten', 0, 1300));
  assert.equal(print.holdsEnd(reader(() => file), file.length), false);
  // Shorter than the bytes asked for: the print keeps what it covered.
  file = Buffer.from(alert('New', 0));
  assert.equal(print.extend(reader(() => file), covered + 50), false);
  assert.equal(print.length, covered);
});

/** A followed log on disk: the set, its store, and the changes the set reported. */
function followed(t: { after(fn: () => void): void }, files: Record<string, string>, older: string[] = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-copytruncate-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const live = path.join(dir, 'falco.log');
  const set = new SetSource(live, [...older.map((name) => path.join(dir, name)), live], (i) => path.join(dir, `copy-${i}`));
  t.after(() => set.close());
  set.following = true;
  const store = new AlertStore(set);
  set.countAlerts = (from, to) => store.countBetween(from, to);
  const changes: SetChange[] = [];
  const index = () => {
    store.indexMore(Infinity, false);
    set.indexed(store.indexedBytes);
    changes.push(...set.takeChanges());
  };
  index();
  return { dir, live, set, store, changes, index };
}

const rules = (store: AlertStore) => Object.fromEntries(store.groups('rule').groups.map((g) => [g.key, g.count]));

test('copytruncate: the alerts move onto the copy, lines the index had not reached are read from it, and the live file again from 0', (t) => {
  const { live, set, store, changes, index } = followed(t, { 'falco.log.1': alerts('Older', 0, 3), 'falco.log': alerts('Live', 3, 4) }, ['falco.log.1']);
  assert.equal(store.total, 7);
  // Lines written after the last look, then logrotate: .1 to .2, the live file copied to .1, emptied, written again.
  fs.appendFileSync(live, alerts('Live', 7, 2));
  fs.renameSync(`${live}.1`, `${live}.2`);
  // A dated file with the same first lines but not the rest is no copy of it.
  fs.writeFileSync(`${live}-20261124`, alerts('Live', 3, 2) + alerts('Decoy', 100, 10));
  fs.copyFileSync(live, `${live}.1`);
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alerts('After', 20, 1));
  index();
  assert.equal(store.resets, 0, 'nothing indexed again');
  assert.deepEqual(rules(store), { Older: 3, Live: 6, After: 1 });
  assert.deepEqual(set.parts().map((p) => path.basename(p.path)), ['falco.log.2', 'falco.log.1', 'falco.log']);
  assert.deepEqual(changes, [{ kind: 'copied', live, copy: `${live}.1`, alerts: 4 }]);
  const placeOf = (id: number) => set.place(store.byteSpan(id).offset, store.lineOf(id));
  assert.deepEqual([3, 8, 9].map(placeOf), [{ part: 1, line: 0 }, { part: 1, line: 5 }, { part: 2, line: 0 }]);
  assert.equal(store.alertText(8), alert('Live', 8).trimEnd());
  assert.equal(store.alertText(9), alert('After', 20).trimEnd());

  // The next rotation with delaycompress: .1 to .2, copy, truncate, then the old .2 compressed; the live file is
  // emptied and written again past what was indexed before the look.
  fs.rmSync(`${live}.2`);
  fs.renameSync(`${live}.1`, `${live}.2`);
  fs.copyFileSync(live, `${live}.1`);
  fs.writeFileSync(live, alerts('Longer than before', 30, 5));
  index();
  assert.equal(store.resets, 0);
  assert.deepEqual(rules(store), { Older: 3, Live: 6, After: 1, 'Longer than before': 5 });
  assert.deepEqual(set.parts().map((p) => [path.basename(p.path), p.gone ?? false]), [['falco.log.2', true], ['falco.log.2', false], ['falco.log.1', false], ['falco.log', false]]);
  assert.deepEqual(changes.at(-1), { kind: 'copied', live, copy: `${live}.1`, alerts: 1 });
});

test('emptied with no copy: indexed again from the start, the old state gone (counts, classes, text matches, workloads)', (t) => {
  const { live, store, changes, index, set } = followed(t, { 'falco.log': alerts('Live', 0, 6) + alerts('Live', 0, 6) });
  assert.equal(store.groups('rule').groups[0].distinct, 6);
  assert.equal(store.groups('rule', { text: 'n=3)' }).matching, 2);
  assert.equal(store.groups('namespace').groups.length, 1);
  // A copy shorter than what was read is no copy: logrotate lost lines the Explorer had read.
  fs.writeFileSync(`${live}.1`, alerts('Live', 0, 6));
  fs.writeFileSync(live, alert('New rule', 1));
  index();
  assert.equal(store.resets, 1);
  assert.deepEqual(changes, [{ kind: 'emptied', live, alerts: 12 }]);
  const fresh = new AlertStore(new MemorySource(alert('New rule', 1)));
  fresh.indexMore(Infinity, false);
  for (const groupBy of ['rule', 'priority', 'namespace', 'pod', 'tag'] as const) {
    assert.deepEqual(store.groups(groupBy), fresh.groups(groupBy), groupBy);
  }
  assert.deepEqual(store.groups('rule', { text: 'n=3)' }), fresh.groups('rule', { text: 'n=3)' }));
  assert.deepEqual(runSteps(store.alertsSteps('rule', 'New rule', undefined, true, 0, 10)), runSteps(fresh.alertsSteps('rule', 'New rule', undefined, true, 0, 10)));
  assert.deepEqual(set.parts().map((p) => path.basename(p.path)), ['falco.log']);
});

test('a text alert\'s message that was a rule\'s name before the log was emptied is a rule like any other after', () => {
  // Falco's text output names no rule: without the rules loaded, the alert is grouped by its message, unidentified.
  const text = `12:00:00.000000000: Warning Shell spawned (user=root cmdline=${'x'.repeat(300)})\n`;
  const source = new MemorySource(text);
  const store = new AlertStore(source);
  store.indexMore(Infinity, false);
  assert.deepEqual(store.groups('rule').groups.map((g) => [g.key, g.identified]), [['Shell spawned', false]]);
  // Emptied, and written again by a Falco with json_output: the rule is named.
  source.data = Buffer.from(JSON.stringify({ hostname: 'h', output: '12:00:01.000000000: Warning x', priority: 'Warning', rule: 'Shell spawned', source: 'syscall', tags: [], time: '2026-11-24T12:00:01.000000000Z', output_fields: {} }) + '\n');
  store.indexMore(Infinity, false);
  assert.equal(store.resets, 1);
  assert.deepEqual(store.groups('rule').groups.map((g) => [g.key, g.identified]), [['Shell spawned', true]]);
});

const openDeleted = (dir: string) => fs.readdirSync('/proc/self/fd').map((fd) => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`); } catch { return ''; } })
  .filter((target) => target.startsWith(dir) && target.endsWith('(deleted)'));

test('files deleted while followed are left out and closed; their alerts leave, the others are indexed again', (t) => {
  const { dir, live, set, store, changes, index } = followed(t, { 'falco.log.2': alerts('Oldest', 0, 2), 'falco.log.1': alerts('Older', 2, 3), 'falco.log': alerts('Live', 5, 1) }, ['falco.log.2', 'falco.log.1']);
  assert.equal(store.total, 6);
  assert.equal(set.dropDeleted(), false);
  fs.rmSync(`${live}.2`);
  assert.deepEqual(openDeleted(dir), [`${live}.2 (deleted)`], 'held open until dropped');
  assert.equal(set.dropDeleted(), true);
  assert.deepEqual(openDeleted(dir), []);
  changes.push(...set.takeChanges());
  assert.deepEqual(changes, [{ kind: 'deleted', files: [`${live}.2`], alerts: 2 }]);
  store.startOver();
  index();
  assert.deepEqual(rules(store), { Older: 3, Live: 1 });
  assert.deepEqual(set.place(store.byteSpan(3).offset, store.lineOf(3)), { part: 1, line: 0 });
  // The live file deleted stays (the stream ends with it) until another takes its path.
  fs.rmSync(live);
  assert.equal(set.dropDeleted(), false);
  set.size();
  assert.equal(set.missing, true);
  fs.writeFileSync(live, alerts('Created again', 9, 2));
  set.size();
  assert.equal(set.dropDeleted(), true);
  assert.deepEqual(set.takeChanges(), [{ kind: 'deleted', files: [live], alerts: 1 }]);
  store.startOver();
  index();
  assert.deepEqual(rules(store), { Older: 3, 'Created again': 2 });
  assert.deepEqual(openDeleted(dir), []);
});
