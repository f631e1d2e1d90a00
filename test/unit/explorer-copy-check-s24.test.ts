// Session 24: how the Explorer tells a copy of the live log's bytes once they are gone from it (logrotate's
// copytruncate emptied it). The samples of session 23 (PrefixPrint: 4 KB at the start, at powers of two and at the
// end) let a copy that differs between two samples through, and its offsets then read other bytes than the index
// holds; the CRC-32 of every byte read (PrefixDigest) is compared too, a plain file read or a gzip file decompressed
// a chunk at a time (CopyCheck).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { CopyCheck, PrefixDigest, PrefixPrint, type ReadAt } from '../../server/src/service/explorer/logSet';
import { SetSource, type SetChange } from '../../server/src/handlers/rotatedSet';

const alert = (rule: string, n: number) => JSON.stringify({
  hostname: 'node-1', output: `12:00:00.000000000: Warning ${rule} (n=${n})`, priority: 'Warning', rule, source: 'syscall', tags: ['T1'],
  time: new Date(Date.UTC(2026, 10, 24, 12) + n * 1000).toISOString().replace('Z', '000000Z'), output_fields: { n },
}) + '\n';
const alerts = (rule: string, from: number, count: number) => Array.from({ length: count }, (_, i) => alert(rule, from + i)).join('');
const reader = (data: Buffer): ReadAt => (buffer, offset, length, position) => (position >= data.length ? 0 : data.copy(buffer, offset, position, Math.min(data.length, position + length)));

/** The print and digest of a file's first `length` bytes, as the set keeps them while the store reads it. */
function keptOf(file: Buffer, length: number) {
  const print = new PrefixPrint();
  assert.equal(print.extend(reader(file), length), true);
  const digest = new PrefixDigest();
  for (let at = 0; at < length; at += 4 * 1024 * 1024) digest.add(file.subarray(at, Math.min(length, at + 4 * 1024 * 1024)), at);
  return { print, digest };
}

const feedAll = (check: CopyCheck, data: Buffer, chunk: number) => {
  let verdict: ReturnType<CopyCheck['feed']> = 'more';
  for (let at = 0; at < data.length && verdict === 'more'; at += chunk) verdict = check.feed(data.subarray(at, at + chunk));
  return verdict;
};

test('a copy check takes a copy of every byte read (and more), in any chunks; one byte changed anywhere, or missing, is no copy', () => {
  const file = Buffer.from(alerts('Live', 0, 3000));
  assert.ok(file.length > 256 * 1024);
  const { print, digest } = keptOf(file, file.length);
  const copy = Buffer.concat([file, Buffer.from(alert('Written before the copy', 9000))]);
  for (const chunk of [4095, 4096, 65536, copy.length]) {
    assert.equal(feedAll(new CopyCheck(print, digest, file.length), copy, chunk), 'same', `chunks of ${chunk}`);
  }
  assert.equal(new CopyCheck(print, digest, file.length).run(reader(copy)), true);
  // Between two samples (after the first 4 KB, before 8 KB; between 128 and 256 KB): the samples alone take it.
  for (const at of [5000, 200_000]) {
    const changed = Buffer.from(copy);
    changed[at] ^= 1;
    assert.equal(print.matches(reader(changed), changed.length), true, `the samples do not see byte ${at}`);
    assert.equal(new CopyCheck(print, digest, file.length).run(reader(changed)), false, `byte ${at} changed`);
    assert.equal(feedAll(new CopyCheck(print, digest, file.length), changed, 65536), 'differs');
  }
  // A sample differs: told at once, in the first chunk.
  const other = Buffer.from(alerts('Other', 0, 3000));
  const check = new CopyCheck(print, digest, file.length);
  assert.equal(check.feed(other.subarray(0, 65536)), 'differs');
  assert.equal(check.position, 0);
  // Shorter than the bytes read: never a copy.
  assert.equal(feedAll(new CopyCheck(print, digest, file.length), copy.subarray(0, file.length - 1), 65536), 'more');
  assert.equal(new CopyCheck(print, digest, file.length).run(reader(copy.subarray(0, file.length - 1))), false);
  // Nothing kept: nothing to recognise.
  assert.equal(new CopyCheck(new PrefixPrint(), new PrefixDigest(), 0).feed(copy), 'differs');
});

test('a prefix digest covers the bytes read in order: a read again adds nothing, a read past its end (a gap) stops it', () => {
  const bytes = Buffer.from(alerts('Live', 0, 20));
  const digest = new PrefixDigest();
  digest.add(bytes.subarray(0, 100), 0);
  digest.add(bytes.subarray(50, 300), 50);
  digest.add(bytes.subarray(0, 10), 0);
  assert.deepEqual([digest.length, digest.crc], [300, zlib.crc32(bytes.subarray(0, 300))]);
  digest.add(bytes.subarray(400, 500), 400);
  assert.deepEqual([digest.length, digest.crc], [300, zlib.crc32(bytes.subarray(0, 300))]);
});

/** A followed log on disk: the set, its store, and the changes the set reported. */
function followed(t: { after(fn: () => void): void }, text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-copy-check-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const live = path.join(dir, 'falco.log');
  fs.writeFileSync(live, text);
  const set = new SetSource(live, [live], (i) => path.join(dir, `copy-${i}`));
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

test('copytruncate: a copy that differs from the bytes read between two samples is no copy; the log is read again', (t) => {
  const { live, store, changes, index } = followed(t, alerts('Live', 0, 400));
  const copy = Buffer.from(fs.readFileSync(live));
  // One alert rewritten in place, same length: its n from 30 to 31, at about 5 KB (between the first two samples).
  const at = copy.indexOf('"n":30}');
  assert.ok(at > 4096 && at < 8192);
  copy.write('"n":31}', at);
  fs.writeFileSync(`${live}.1`, copy);
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alert('After', 900));
  index();
  assert.deepEqual(changes, [{ kind: 'emptied', live, alerts: 400 }]);
  assert.equal(store.resets, 1);
  assert.deepEqual(rules(store), { After: 1 });
});

test('emptied with no copy and written again past the bytes read before the look: the store starts over all the same', (t) => {
  const { live, store, changes, index } = followed(t, alerts('Live', 0, 5));
  fs.writeFileSync(live, alerts('Rewritten', 100, 20));
  index();
  assert.deepEqual(changes, [{ kind: 'emptied', live, alerts: 5 }]);
  assert.equal(store.resets, 1);
  assert.deepEqual(rules(store), { Rewritten: 20 });
});

test('copytruncate + compress: the gzip copy is compared as it is decompressed; meanwhile the stream stays as the store read it', async (t) => {
  const { live, set, store, changes, index } = followed(t, alerts('Live', 0, 2000));
  const indexed = store.indexedBytes;
  fs.appendFileSync(live, alerts('Written before the copy', 5000, 3));
  fs.writeFileSync(`${live}.1.gz`, zlib.gzipSync(fs.readFileSync(live)));
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alert('After', 9000));
  index();
  assert.ok(set.settled, 'comparing');
  assert.equal(set.size(), indexed, 'the stream as the store read it');
  assert.equal(store.resets, 0);
  await set.settled;
  assert.equal(set.settled, undefined);
  // The copy is complete once decompressed to its end (the set tells its caller, which indexes then).
  await new Promise<void>((resolve) => { set.onChange = () => { if (set.files[0].pinned.complete()) resolve(); }; if (set.files[0].pinned.complete()) resolve(); });
  index();
  index();
  changes.push(...set.takeChanges());
  assert.deepEqual(changes, [{ kind: 'copied', live, copy: `${live}.1.gz`, alerts: 2000, compressed: true }]);
  assert.equal(store.resets, 0);
  assert.deepEqual(rules(store), { Live: 2000, 'Written before the copy': 3, After: 1 });
  assert.deepEqual(set.parts().map((p) => [path.basename(p.path), p.compressed ?? false]), [['falco.log.1.gz', true], ['falco.log', false]]);
  assert.equal(store.alertText(2002), alert('Written before the copy', 5002).trimEnd());
});

test('copytruncate, a copy of more than 8 MB: compared a megabyte per turn while the stream stays as read; one byte changed between two samples is no copy', async (t) => {
  const { live, set, store, changes, index } = followed(t, alerts('Live', 0, 60_000));
  assert.ok(store.indexedBytes > 8 * 1024 * 1024);
  const indexed = store.indexedBytes;
  const text = fs.readFileSync(live);
  // A copy with one alert rewritten at about 6 MB (between the samples at 4 and 8 MB), as .1, and the true copy, dated.
  const changed = Buffer.from(text);
  const at = changed.indexOf('"n":25000}');
  assert.ok(at > 4 * 1024 * 1024 + 4096 && at < 8 * 1024 * 1024);
  changed.write('"n":25001}', at);
  fs.writeFileSync(`${live}.1`, changed);
  fs.writeFileSync(`${live}-20261124`, text);
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alert('After', 90_000));
  index();
  assert.ok(set.settled, 'comparing');
  assert.equal(set.size(), indexed);
  await set.settled;
  index();
  assert.deepEqual(changes, [{ kind: 'copied', live, copy: `${live}-20261124`, alerts: 60_000 }]);
  assert.equal(store.resets, 0);
  assert.deepEqual(rules(store), { Live: 60_000, After: 1 });
  assert.equal(store.alertText(40_000), alert('Live', 40_000).trimEnd());
  assert.deepEqual(set.parts().map((p) => path.basename(p.path)), ['falco.log-20261124', 'falco.log']);
});

test('a live file that starts with a byte order mark: its copy is taken (the mark is part of the bytes compared)', (t) => {
  const { live, store, changes, index } = followed(t, `\ufeff${alerts('Live', 0, 50)}`);
  assert.equal(store.total, 50);
  fs.copyFileSync(live, `${live}.1`);
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alert('After', 900));
  index();
  assert.deepEqual(changes, [{ kind: 'copied', live, copy: `${live}.1`, alerts: 50 }]);
  assert.deepEqual(rules(store), { Live: 50, After: 1 });
});

test('copytruncate after the log was emptied with no copy: the copy of the bytes read since is taken (what was read before is no longer asked of it)', (t) => {
  const { live, store, changes, index } = followed(t, alerts('Live', 0, 50));
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alerts('New', 100, 5));
  index();
  assert.deepEqual(changes, [{ kind: 'emptied', live, alerts: 50 }]);
  fs.copyFileSync(live, `${live}.1`);
  fs.truncateSync(live, 0);
  fs.appendFileSync(live, alert('After', 900));
  index();
  assert.deepEqual(changes.at(-1), { kind: 'copied', live, copy: `${live}.1`, alerts: 5 });
  assert.deepEqual(rules(store), { New: 5, After: 1 });
});
