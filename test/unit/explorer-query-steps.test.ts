// The Explorer store's queries in steps (the server lets the event loop turn between them on a large log): run
// interleaved with each other, dropped half-way (a cancelled request), with the log growing or starting over between
// two steps, they answer exactly what the query run at once answers on the same alerts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore, QUERY_STEP, runSteps, type QuerySteps } from '../../server/src/service/explorer/alertStore';
import { MemorySource } from '../helpers/memorySource';
import { DistinctCounter } from '../../server/src/service/explorer/columns';
import type { ExplorerFilter } from '../../server/src/protocol';

const RULES = ['Terminal shell in container', 'Read sensitive file untrusted', 'Drop and execute new binary in container'];
const PRIORITIES = ['Critical', 'Warning', 'Notice'];
const HOSTS = ['node-1', 'node-2', 'node-3', 'node-4'];

/** Alerts `from`..`to` - 1 (about 300 bytes each), a text alert every 10th; commands repeat, so groups fold duplicates. */
function lines(from: number, to: number): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const seconds = i % 86400;
    const clock = `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
    const priority = PRIORITIES[i % 3];
    const command = `cat /etc/file-${i % 911}`;
    if (i % 10 === 9) { out.push(`${clock}.000000000: ${priority} A shell was spawned | command=${command} container_name=db`); continue; }
    out.push(JSON.stringify({
      hostname: HOSTS[i % 4], output: `${clock}.000000000: ${priority} ${RULES[i % 3]} | command=${command}`, output_fields: { 'container.name': `app-${i % 5}`, 'proc.cmdline': command },
      priority, rule: RULES[i % 3], source: 'syscall', tags: [], time: `2026-03-02T${clock}.000000000Z`,
    }));
  }
  return out.join('\n') + '\n';
}

/** A store with the whole of `text` indexed. */
function indexed(text: string): AlertStore {
  const store = new AlertStore(new MemorySource(text));
  while (!store.indexMore()) { /* the end */ }
  return store;
}

const ALERTS = 30_000;
const LOG = lines(0, ALERTS);
/** The same log indexed in a store of its own, whose queries run at once. */
let referenceStore: AlertStore | undefined;
const reference = () => referenceStore ??= indexed(LOG);
const FILTERS: (ExplorerFilter | undefined)[] = [
  undefined, { minPriority: 1 }, { text: 'FILE-12' }, { text: 'file-12', hostname: 'node-2' }, { text: 'shell', since: Date.parse('2026-03-02T02:00:00Z') },
];

/** Steps several queries round-robin, one step each in turn; returns their answers and how many steps each took. */
function interleaved(queries: QuerySteps<unknown>[]): { answers: unknown[]; steps: number[] } {
  const answers: unknown[] = new Array(queries.length);
  const steps = queries.map(() => 0);
  const running = new Set(queries.keys());
  while (running.size > 0) {
    for (const i of [...running]) {
      const step = queries[i].next();
      steps[i]++;
      if (step.done) { answers[i] = step.value; running.delete(i); }
    }
  }
  return { answers, steps };
}

test('queries stepped in turn with each other answer what each answers run at once', () => {
  const store = indexed(LOG);
  assert.equal(store.total, ALERTS);
  const queries: QuerySteps<unknown>[] = [];
  const expected: unknown[] = [];
  for (const filter of FILTERS) {
    for (const groupBy of ['rule', 'priority', 'hostname', 'container'] as const) {
      queries.push(store.groupsSteps(groupBy, filter));
      expected.push(reference().groups(groupBy, filter));
    }
    queries.push(store.alertsSteps('rule', RULES[1], filter, true, 0, 150));
    expected.push(reference().alerts('rule', RULES[1], filter, true, 0, 150));
    queries.push(store.latestMatchingSteps(undefined, undefined, filter, 700));
    expected.push(reference().latestMatching(undefined, undefined, filter, 700));
  }
  const { answers, steps } = interleaved(queries);
  assert.deepEqual(answers, expected);
  // The text filter counted apart from the store: every line of this log is an alert.
  const containing = (text: string) => LOG.split('\n').filter((line) => line.toLowerCase().includes(text.toLowerCase())).length;
  assert.equal(store.groups('rule', { text: 'FILE-12' }).matching, containing('file-12'));
  assert.equal(store.groups('rule', { text: 'shell' }).matching, containing('shell'));
  assert.equal(store.groups('rule', { text: 'CAT /etc/' }).matching, ALERTS, 'every alert, across the chunks the file is read in');
  // They did run in steps: a group scan of 30,000 alerts takes several, a text filter's first reading of the file too.
  assert.ok(steps.every((n) => n > 3), steps.join(' '));
});

test('a query dropped half-way leaves nothing that changes the next answer; the text matches found so far are kept', () => {
  const store = indexed(LOG);
  const fresh = reference().groups('rule', { text: 'file-12' });
  for (const after of [1, 2, 5]) {
    const dropped = store.groupsSteps('rule', { text: 'file-12' });
    for (let i = 0; i < after; i++) assert.equal(dropped.next().done, false);
    // Another text in between (the filter being typed), itself dropped.
    const other = store.groupsSteps('rule', { text: 'file-1' });
    other.next();
    assert.deepEqual(store.groups('rule', { text: 'file-12' }), fresh);
  }
  // Dropped in the middle of the file, the same text goes on from there: fewer steps than a first reading.
  const first = interleaved([reference().groupsSteps('rule', { text: 'etc/file-3' })]).steps[0];
  const dropped = store.groupsSteps('rule', { text: 'etc/file-3' });
  dropped.next();
  dropped.next();
  const { answers, steps } = interleaved([store.groupsSteps('rule', { text: 'etc/file-3' })]);
  assert.deepEqual(answers[0], reference().groups('rule', { text: 'etc/file-3' }));
  assert.ok(steps[0] < first, `${steps[0]} < ${first}`);
});

test('the log growing between two steps: a query answers on the alerts indexed when it started, the next one on all', () => {
  const source = new MemorySource(LOG);
  const store = new AlertStore(source);
  while (!store.indexMore()) { /* the end */ }
  const query = store.groupsSteps('rule', { text: 'file-12' });
  const page = store.alertsSteps('priority', '0', { text: 'file-12' }, false, 0, 100);
  query.next();
  page.next();
  const more = lines(ALERTS, ALERTS + 9000);
  source.data = Buffer.concat([source.data, Buffer.from(more)]);
  while (!store.indexMore()) { /* the end */ }
  assert.equal(store.total, ALERTS + 9000);
  const { answers } = interleaved([query, page]);
  assert.deepEqual(answers, [reference().groups('rule', { text: 'file-12' }), reference().alerts('priority', '0', { text: 'file-12' }, false, 0, 100)]);
  assert.deepEqual(store.groups('rule', { text: 'file-12' }), indexed(LOG + more).groups('rule', { text: 'file-12' }));
});

test('the log starting over between two steps (truncated, rotated): the query starts over on the new alerts', () => {
  const source = new MemorySource(LOG);
  const store = new AlertStore(source);
  while (!store.indexMore()) { /* the end */ }
  const query = store.groupsSteps('hostname', { text: 'file-12' });
  query.next();
  query.next();
  const shorter = lines(0, 12_000);
  source.data = Buffer.from(shorter);
  while (!store.indexMore()) { /* the end */ }
  assert.equal(store.total, 12_000);
  assert.deepEqual(runSteps(query), indexed(shorter).groups('hostname', { text: 'file-12' }));
});

test('a large group\'s distinct alerts are counted in steps, like its other passes, and as a page folding duplicates counts them', () => {
  const store = indexed(LOG);
  // By source: 27,000 syscall alerts and 3,000 text alerts without one. Each of the three passes over the alerts
  // (count the groups, lay out their fingerprints, count a group's distinct ones) takes a step per QUERY_STEP alerts;
  // counting a group's distinct fingerprints was one step however large the group (a sort of 20-30 ms for a group of
  // 500,000 alerts, during which no request was answered).
  const { answers, steps } = interleaved([store.groupsSteps('source')]);
  const passSteps = Math.ceil(ALERTS / QUERY_STEP);
  assert.ok(steps[0] >= 3 * passSteps - 1, `${steps[0]} steps, ${passSteps} per pass`);
  const { groups } = answers[0] as ReturnType<AlertStore['groups']>;
  assert.deepEqual(groups.map((g) => [g.key, g.count]), [['syscall', 27_000], ['', 3_000]]);
  for (const groupBy of ['source', 'rule', 'priority', 'hostname', 'container'] as const) {
    for (const g of store.groups(groupBy).groups) {
      assert.equal(g.distinct, store.alerts(groupBy, g.key, undefined, true, 0, 1).total, `${groupBy} ${g.key}`);
    }
  }
});

test('the distinct counter counts as a Set does: 0, repeats, growth, clear', () => {
  let seed = 12345;
  const next = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed; };
  const counter = new DistinctCounter();
  for (const [n, range] of [[10, 5], [5000, 1 << 30], [200_000, 70_000], [100_000, 0x100000000], [3, 1]] as const) {
    counter.clear();
    const values = new Uint32Array(n);
    for (let i = 0; i < n; i++) values[i] = range === 0x100000000 ? next() : next() % range;
    // Values that collide in the table: the same low and high bits.
    if (n === 5000) for (let i = 0; i < 100; i++) values[i] = i * 0x10000;
    values[n - 1] = 0;
    for (let from = 0; from < n; from += 777) counter.addAll(values, from, Math.min(n, from + 777));
    assert.equal(counter.size, new Set(values).size, `${n} values below ${range}`);
  }
});
