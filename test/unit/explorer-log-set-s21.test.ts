// Session 21: a rotated log set's names (logrotate's numbered and dateext suffixes, oldest first) and the set read as
// one stream by the Alert Explorer's store: each alert's file and line, a file ending without a line feed, a copy
// still being decompressed, and a live file superseded by a newer one (the log rotated while followed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { PartsSource, rotatedSet, rotationName, type SetPart } from '../../server/src/service/explorer/logSet';
import { MemorySource } from '../helpers/memorySource';

test('a set is the names of one base with rotation suffixes, oldest first', () => {
  const names = ['falco.log', 'falco.log.1', 'falco.log.2.gz', 'falco.log.10.gz', 'falco.log.3', 'falco.log.3.gz', 'falco.log.gz', 'other.log',
    'falco.log-20261122.gz', 'falco.log-20261123', 'falco.log.bak', 'falco.logs.1', 'falco.log-20261123-1763900000', 'falco.log-2026-11-21'];
  assert.deepEqual(rotatedSet('falco.log.1', names), [
    'falco.log-2026-11-21', 'falco.log-20261122.gz', 'falco.log-20261123', 'falco.log-20261123-1763900000',
    'falco.log.10.gz', 'falco.log.3', 'falco.log.2.gz', 'falco.log.1', 'falco.log',
  ]);
  assert.deepEqual(rotationName('events.txt-20261123.gz'), { base: 'events.txt', kind: 'date', rank: '20261123000000-000000000000', gzip: true });
  assert.deepEqual(rotationName('falco.log'), { base: 'falco.log', kind: 'live', rank: '', gzip: false });
  // A missing live file: the set of a rotated one still has it as base.
  assert.deepEqual(rotatedSet('falco.log.2.gz', ['falco.log.2.gz', 'falco.log.1']), ['falco.log.2.gz', 'falco.log.1']);
});

class Part extends MemorySource implements SetPart {
  constructor(text: string, public done = true) { super(text); }
  complete(): boolean { return this.done; }
}

const alert = (rule: string, n: number) => JSON.stringify({
  hostname: 'h', output: `12:00:00.000000000: Warning ${rule} n=${n}`, priority: 'Warning', rule, source: 'syscall', tags: [], time: `2026-11-23T12:00:${String(n).padStart(2, '0')}.000000000Z`, output_fields: {},
});

test('the store over a set: every file\'s alerts, each at its file and line; no line joins across files', () => {
  const parts = [
    new Part(`Falco version line\n${alert('A', 0)}\n${alert('A', 1)}`), // no line feed at the end
    new Part(''),
    new Part(`${alert('B', 2)}\n\n${alert('B', 3)}\n`),
    new Part(`${alert('C', 4)}\n`, false),
  ];
  const stream = new PartsSource(parts);
  const store = new AlertStore(stream);
  // Chunks of one byte at a time would be too slow; a small budget still makes several reads per file.
  assert.equal(store.indexMore(), true);
  assert.equal(store.total, 5);
  const places = [0, 1, 2, 3, 4].map((id) => stream.place(store.byteSpan(id).offset, store.lineOf(id)));
  assert.deepEqual(places, [{ part: 0, line: 1 }, { part: 0, line: 2 }, { part: 2, line: 0 }, { part: 2, line: 2 }, { part: 3, line: 0 }]);
  assert.equal(store.alertText(1), alert('A', 1));
  assert.equal(store.alertText(2), alert('B', 2));
  // The live file grows: appended lines are its.
  parts[3].append(`${alert('C', 5)}\n`);
  assert.equal(store.indexMore(), true);
  assert.deepEqual(stream.place(store.byteSpan(5).offset, store.lineOf(5)), { part: 3, line: 1 });
});

test('a copy being decompressed ends the stream until it is complete; a superseded live file is fixed once the next has bytes', () => {
  const copy = new Part(`${alert('Z', 0)}\n${alert('Z', 1)}`, false);
  const live = new Part(`${alert('L', 2)}\n`, false);
  const stream = new PartsSource([copy, live]);
  const store = new AlertStore(stream);
  store.indexMore(Infinity, false);
  assert.equal(store.total, 1, 'the copy\'s last line may still grow');
  copy.done = true;
  store.indexMore(Infinity, false);
  assert.equal(store.total, 3);
  // Rotated: a new live file, empty at first; the old one may still get lines until the new one has bytes.
  const next = new Part('', false);
  stream.add(next);
  live.append(`${alert('L', 3)}\n`);
  store.indexMore(Infinity, false);
  assert.equal(store.total, 4);
  next.append(`${alert('N', 4)}\n`);
  store.indexMore(Infinity, false);
  live.append(`${alert('L', 5)}\n`); // after the new file had bytes: left out
  next.append(`${alert('N', 6)}\n`);
  store.indexMore(Infinity, false);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((id) => store.alertText(id).match(/Warning (\w n=\d)/)?.[1]), ['Z n=0', 'Z n=1', 'L n=2', 'L n=3', 'N n=4', 'N n=6']);
  assert.deepEqual(stream.place(store.byteSpan(5).offset, store.lineOf(5)), { part: 2, line: 1 });
});
