// Folding identical alerts is exact: alerts whose outputs share the 32-bit fingerprint but differ stay apart (the
// fingerprint is only where the store looks; the outputs are compared), whether the earlier alert is in the chunk
// being indexed or must be read back from the file, as JSON or text alerts; an output with a `#` is not one with a
// nanosecond stamp there; and alerts of one output from two hosts are not identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { MemorySource } from '../helpers/memorySource';
import { outputFingerprint } from '../../server/src/service/explorer/extract';

const RULE = 'Terminal shell in container';
// Found offline by a birthday search over `process=sh<n>` (n up to 30,000): MurmurHash3 with the seed of the first
// rule the store interns (its id 0, plus one).
const A = 'A shell was spawned in a container | user=root process=sh6823 parent=runc';
const B = 'A shell was spawned in a container | user=root process=sh29445 parent=runc';

const json = (time: string, output: string, host = 'node-1', rule = RULE) =>
  `{"hostname":"${host}","output":"${time.slice(11, 29)}: Notice ${output}","output_fields":{"container.name":"web"},"priority":"Notice","rule":"${rule}","source":"syscall","tags":[],"time":"${time}"}`;
const text = (time: string, output: string) => `${time}: Notice ${output}`;
const at = (second: number) => `2026-03-02T09:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.${String(second).padStart(9, '0')}Z`;

/** `count` alerts of another rule, about 270 bytes each: filler that puts alerts chunks (4 MB) apart. */
function filler(count: number): string[] {
  return Array.from({ length: count }, (_, i) => json(at(100 + (i % 3000)), `Other thing happened | n=${i}`, 'node-1', 'Other rule'));
}

function groupOf(store: AlertStore, key: string) {
  const group = store.groups('rule').groups.find((g) => g.key === key);
  assert.ok(group, key);
  return group;
}

test('the two outputs share the store\'s fingerprint (the premise of the tests)', () => {
  assert.equal(outputFingerprint(A, 0, A.length, 1), outputFingerprint(B, 0, B.length, 1));
  assert.notEqual(A, B);
});

test('JSON alerts whose outputs share a fingerprint stay apart, next to each other and chunks apart', () => {
  for (const gap of [0, 20_000]) {
    const lines = [json(at(1), A), ...filler(gap), json(at(2), B), ...filler(gap), json(at(3), A), json(at(4), B), json(at(5), B)];
    const store = new AlertStore(new MemorySource(`${lines.join('\n')}\n`));
    while (!store.indexMore()) { /* the end */ }
    const group = groupOf(store, RULE);
    assert.deepEqual([group.count, group.distinct], [5, 2], `gap ${gap}`);
    const folded = store.alerts('rule', RULE, undefined, true, 0, 10);
    assert.deepEqual(folded.items.map((i) => [i.summary, i.duplicates]), [[B, 3], [A, 2]], `gap ${gap}`);
  }
});

test('text alerts whose outputs share a fingerprint stay apart, also when the earlier one is read back from the file', () => {
  // Text alerts are named by their message when no rule identifier is given: both outputs have the same message.
  const lines = [text(at(1), A), ...filler(20_000), text(at(2), B), text(at(3), A), ...filler(20_000), text(at(4), A)];
  const store = new AlertStore(new MemorySource(`${lines.join('\n')}\n`));
  while (!store.indexMore()) { /* the end */ }
  const group = groupOf(store, 'A shell was spawned in a container');
  assert.deepEqual([group.count, group.distinct], [4, 2]);
  const folded = store.alerts('rule', 'A shell was spawned in a container', undefined, true, 0, 10);
  assert.deepEqual(folded.items.map((i) => [i.summary, i.duplicates]), [[A, 3], [B, 1]]);
});

test('nanosecond stamps fold, a # where a stamp was does not, and one output from two hosts is two alerts', () => {
  const stamped = (stamp: string) => `File opened | evt.rawtime=${stamp} file=/etc/shadow`;
  const lines = [
    json(at(1), stamped('1772442000000000001')),
    json(at(2), stamped('1772442000000000002')),
    json(at(3), stamped('#')),
    json(at(4), stamped('#')),
    json(at(5), stamped('1772442000000000003'), 'node-2'),
  ];
  const store = new AlertStore(new MemorySource(`${lines.join('\n')}\n`));
  store.indexMore();
  const group = groupOf(store, RULE);
  assert.deepEqual([group.count, group.distinct], [5, 3]);
  const folded = store.alerts('rule', RULE, undefined, true, 0, 10);
  assert.deepEqual(folded.items.map((i) => [i.line, i.duplicates]), [[4, 1], [3, 2], [1, 2]]);
});
