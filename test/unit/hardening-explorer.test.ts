// Hardening: the Alert Explorer's store on random logs read through random boundaries. However the bytes arrive
// (short reads, tiny index budgets, appends while following, a file that shrinks), the index ends up identical to
// one built in a single pass, never throws, and every query answers for any group, filter and page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AlertStore, type ByteSource } from '../../server/src/service/explorer/alertStore';
import type { ExplorerGroupBy } from '../../server/src/protocol';
import { FIXTURES } from '../fixtures/alerts/helpers';
import { HOSTILE_VALUES, NASTY_PIECES, Random } from '../fixtures/hardening/random';

/** Bytes in memory; `maxRead` makes reads short (as a pipe or a file being written may give). */
class ChoppySource implements ByteSource {
  constructor(public data: Buffer, private readonly random?: Random, private readonly maxRead = Infinity) {}
  size(): number { return this.data.length; }
  read(buffer: Buffer, offset: number, length: number, position: number): number {
    let n = Math.min(length, this.data.length - position);
    if (n <= 0) return 0;
    if (this.random && this.random.chance(0.7)) n = Math.max(1, Math.min(n, 1 + this.random.int(Math.min(n, this.maxRead))));
    return this.data.copy(buffer, offset, position, position + n);
  }
}

const GROUPINGS: ExplorerGroupBy[] = ['rule', 'priority', 'hostname', 'source', 'container'];

/** Everything a client can see of a store: counts, every grouping with its pages, and the text of every alert. */
function snapshot(store: AlertStore): unknown {
  const groups = GROUPINGS.map((g) => {
    const result = store.groups(g, undefined, 10_000);
    return { g, result, pages: result.groups.map((grp) => [store.alerts(g, grp.key, undefined, false, 0, 1000), store.alerts(g, grp.key, undefined, true, 0, 1000)]) };
  });
  const texts = Array.from({ length: store.total }, (_, id) => [store.lineOf(id), store.alertText(id)]);
  return { total: store.total, unparsed: store.unparsed, indexedBytes: store.indexedBytes, groups, texts };
}

function randomLog(random: Random, fixtures: string[]): string {
  const lines: string[] = [];
  const pool = fixtures.flatMap((f) => f.split(/\r?\n/)).filter((l) => l !== '');
  for (let n = 5 + random.int(60); n > 0; n--) {
    let line = random.pick(pool);
    const roll = random.next();
    if (roll < 0.1) line = line.slice(0, random.int(line.length)); // cut
    else if (roll < 0.2) { const at = random.int(line.length); line = line.slice(0, at) + random.pick([...NASTY_PIECES, ...HOSTILE_VALUES]) + line.slice(at); }
    else if (roll < 0.25) line = line.replace(/"rule":"[^"]*"/, `"rule":${JSON.stringify(random.pick(HOSTILE_VALUES))}`);
    else if (roll < 0.28) line = '';
    lines.push(line);
  }
  const eol = random.pick(['\n', '\r\n']);
  return lines.join(eol) + (random.chance(0.7) ? eol : '');
}

function fixtureTexts(): string[] {
  return fs.readdirSync(FIXTURES).filter((n) => /\.(log|json)$/.test(n)).sort().map((n) => fs.readFileSync(path.join(FIXTURES, n), 'utf8'));
}

function indexFully(store: AlertStore, random: Random, final = true): void {
  for (let calls = 0; ; calls++) {
    assert.ok(calls < 100_000, 'indexing makes progress');
    if (store.indexMore(1 + random.int(4096), final)) return;
  }
}

test('random logs through short reads and tiny budgets index exactly like one pass (seed 8080)', () => {
  const fixtures = fixtureTexts();
  const random = new Random(8080);
  for (let i = 0; i < 150; i++) {
    const data = Buffer.from(randomLog(random, fixtures), 'utf8');
    const reference = new AlertStore(new ChoppySource(data));
    reference.indexMore();
    const choppy = new AlertStore(new ChoppySource(data, random, 1 + random.int(300)));
    indexFully(choppy, random);
    assert.deepEqual(snapshot(choppy), snapshot(reference), `log ${i}`);
    for (let id = 0; id < reference.total; id++) assert.ok(!/[\r\n]$/.test(reference.alertText(id)), `log ${i}: alert ${id} text ends with a line break`);
    for (const g of reference.groups('rule').groups) {
      for (const item of reference.alerts('rule', g.key, undefined, false, 0, 1000).items) assert.ok(!/[\r\n]$/.test(item.summary), `log ${i}: summary ${JSON.stringify(item.summary)}`);
    }
  }
});

test('follow: bytes appended at random boundaries (mid-line, mid-character) give the same index once complete (seed 443)', () => {
  const fixtures = fixtureTexts();
  const random = new Random(443);
  for (let i = 0; i < 80; i++) {
    const data = Buffer.from(`${randomLog(random, fixtures)}\n`, 'utf8');
    const reference = new AlertStore(new ChoppySource(data));
    reference.indexMore();
    const growing = new ChoppySource(Buffer.alloc(0), random, 512);
    const store = new AlertStore(growing);
    let written = 0;
    while (written < data.length) {
      written = Math.min(data.length, written + 1 + random.int(400));
      growing.data = data.subarray(0, written);
      // Following, only complete lines are taken: the index reaches the last line break written so far.
      const complete = data.subarray(0, written).lastIndexOf(10) + 1;
      for (let calls = 0; store.indexedBytes < complete && calls < 1000; calls++) store.indexMore(1 + random.int(4096), false);
      assert.equal(store.indexedBytes, complete, `log ${i}: indexed up to the last complete line of ${written} bytes`);
    }
    indexFully(store, random, true);
    assert.deepEqual(snapshot(store), snapshot(reference), `log ${i}`);
  }
});

test('a file that shrinks, grows back or is replaced is re-indexed from the start; queries on odd input answer', () => {
  const fixtures = fixtureTexts();
  const random = new Random(12);
  const source = new ChoppySource(Buffer.from(randomLog(random, fixtures)));
  const store = new AlertStore(source);
  store.indexMore();
  for (let i = 0; i < 40; i++) {
    source.data = Buffer.from(randomLog(random, fixtures));
    indexFully(store, random);
    for (const g of GROUPINGS) {
      for (const key of ['', '\u0000', 'x'.repeat(10_000), '-1', 'NaN', '99', HOSTILE_VALUES[0]!]) {
        const page = store.alerts(g, key, { text: random.pick(['', '%', '\uD800', 'WARNING']), minPriority: random.int(9) - 1, rules: [key] }, random.chance(0.5), random.int(5), 1 + random.int(10));
        assert.ok(page.items.length <= page.total);
      }
    }
  }
  source.data = Buffer.alloc(0);
  store.indexMore();
  assert.equal(store.total, 0, 'an emptied file empties the index');
});

test('a line longer than a read chunk, read through short reads, is indexed whole and read back exactly', () => {
  const long = `{"hostname":"h","output":"12:00:00.000000000: Warning long ${'é'.repeat(3 * 1024 * 1024)}","priority":"Warning","rule":"Long","time":"2026-03-02T09:00:00.000000001Z"}`;
  const tail = '{"hostname":"h","output":"12:00:00.000000000: Error after","priority":"Error","rule":"After","time":"2026-03-02T09:00:01.000000001Z"}';
  const data = Buffer.from(`${long}\n${tail}\n`, 'utf8');
  const random = new Random(77);
  const store = new AlertStore(new ChoppySource(data, random, 1024 * 1024));
  indexFully(store, random);
  assert.equal(store.total, 2);
  assert.equal(store.alertText(0), long, 'the long alert reads back byte for byte');
  assert.deepEqual(store.groups('rule').groups.map((g) => g.key).sort(), ['After', 'Long']);
});
