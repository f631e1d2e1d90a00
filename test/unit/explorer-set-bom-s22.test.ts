// Session 22: a UTF-8 byte order mark at the start of any file of a rotated set (a log saved by a Windows editor, then
// rotated) is no part of the stream the store reads: the first line of each file is an alert like the others, at its
// own file's line. A live file written a byte at a time is not taken for one before its third byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { PartsSource, type SetPart } from '../../server/src/service/explorer/logSet';
import { MemorySource } from '../helpers/memorySource';

class Part extends MemorySource implements SetPart {
  constructor(text: string | Buffer, public done = true) { super(''); this.data = Buffer.from(text); }
  complete(): boolean { return this.done; }
}

const BOM = '\ufeff';
const alert = (rule: string, n: number) => JSON.stringify({
  hostname: 'h', output: `12:00:00.000000000: Warning ${rule} n=${n}`, priority: 'Warning', rule, source: 'syscall', tags: [], time: `2026-11-23T12:00:${String(n).padStart(2, '0')}.000000000Z`, output_fields: {},
});
const text = (rule: string, n: number) => `12:00:${String(n).padStart(2, '0')}.000000000: Warning ${rule} n=${n}`;

test('a byte order mark at the start of each file of a set is left out: every first line is an alert at its line', () => {
  const parts = [
    new Part(`${BOM}${alert('A', 0)}\n${alert('A', 1)}\n`),
    new Part(`${BOM}${alert('B', 2)}\n`),
    // A text alert right after the mark: its timestamp must be the line's start.
    new Part(`${BOM}${text('C', 3)}\n${alert('C', 4)}`),
    new Part(BOM), // only the mark: an empty file
    new Part(`${BOM}${alert('D', 5)}\n`, false),
  ];
  const stream = new PartsSource(parts);
  const store = new AlertStore(stream, (output) => (output.includes('Warning C') ? 'C' : undefined));
  assert.equal(store.indexMore(Infinity, false), true);
  assert.equal(store.unparsed, 0);
  assert.equal(store.total, 6);
  const places = [0, 1, 2, 3, 4, 5].map((id) => stream.place(store.byteSpan(id).offset, store.lineOf(id)));
  assert.deepEqual(places, [{ part: 0, line: 0 }, { part: 0, line: 1 }, { part: 1, line: 0 }, { part: 2, line: 0 }, { part: 2, line: 1 }, { part: 4, line: 0 }]);
  assert.equal(store.alertText(2), alert('B', 2));
  assert.equal(store.alertText(3), text('C', 3));
  assert.equal(store.alertText(5), alert('D', 5));
  const rules = store.groups('rule').groups.map((g) => [g.key, g.count]).sort();
  assert.deepEqual(rules, [['A', 2], ['B', 1], ['C', 2], ['D', 1]]);
});

test('a live file written a byte at a time: its mark is found once it has three bytes, and a file without one is read as is', () => {
  const bom = Buffer.from(BOM);
  const live = new Part(bom.subarray(0, 1), false);
  const stream = new PartsSource([new Part(`${alert('A', 0)}\n`), live]);
  const store = new AlertStore(stream);
  store.indexMore(Infinity, false);
  assert.equal(store.total, 1);
  live.data = bom.subarray(0, 2);
  store.indexMore(Infinity, false);
  live.data = Buffer.concat([bom, Buffer.from(`${alert('L', 1)}\n`)]);
  store.indexMore(Infinity, false);
  assert.equal(store.total, 2);
  assert.equal(store.unparsed, 0);
  assert.equal(store.alertText(1), alert('L', 1));
  // Two bytes that start no mark are the file's first bytes.
  const other = new Part('{"', false);
  const plain = new PartsSource([other]);
  assert.equal(plain.size(), 2);
  other.data = Buffer.from(`${alert('P', 2)}\n`);
  const store2 = new AlertStore(plain);
  store2.indexMore(Infinity, false);
  assert.equal(store2.total, 1);
});
