// What the Alert Explorer's tree shows (client/src/explorer/treeText.ts) for a crafted log: rule, host, container and
// process names and output text holding bidirectional controls, zero-width characters, line separators and a BOM are
// shown with those characters as \uXXXX in group labels, alert labels, descriptions, tooltips and the view's
// message, by the server's own helpers (service/markdown.ts); the group keys the client sends back stay exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore, type ByteSource } from '../../server/src/service/explorer/alertStore';
import type { ExplorerGroupBy, ExplorerLogInfo } from '../../server/src/protocol';
import { alertTexts, groupTexts, viewTexts, type ItemTexts } from '../../client/src/explorer/treeText';

class MemorySource implements ByteSource {
  constructor(private readonly data: Buffer) {}
  size(): number { return this.data.length; }
  read(buffer: Buffer, offset: number, length: number, position: number): number {
    return this.data.copy(buffer, offset, position, Math.min(this.data.length, position + length));
  }
}

const TRICKY = ['\u202e', '\u202d', '\u2066', '\u2069', '\u200b', '\u200e', '\u2028', '\u2029', '\ufeff', '\u061c', '\u2060'];
const hasTricky = (s: string) => TRICKY.some((c) => s.includes(c));

// JSON alerts as Falco writes them (json_output: true): the crafted characters written raw in one, as JSON escapes in
// the other; and a text alert with them raw.
const rule = 'Terminal shell\u202e in container';
const process = 'gnp\u202eexe.sh';
const json1 = JSON.stringify({
  hostname: 'node\u200b-1', output: `12:00:00.000000000: Notice A shell was spawned (process=${process} container_name=web\u2066x\u2069)`,
  output_fields: { 'container.name': 'web\u2066x\u2069', 'proc.name': process }, priority: 'Notice', rule, source: 'syscall', tags: [],
  time: '2026-03-02T12:00:00.000000000Z',
});
const json2 = JSON.stringify({
  hostname: '\ufeffnode-2', output: '12:00:01.000000000: Warning Read\u2028sensitive file (file=/etc/shadow\u200e)',
  output_fields: { 'container.name': 'db\u2029' }, priority: 'Warning', rule: 'Read sensitive\u061c file', source: 'sys\u2060call', tags: [],
  time: '2026-03-02T12:00:01.000000000Z',
}).replace(/[\u2028\u2029\u200e\u061c\u2060\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const text = '12:00:02.000000000: Critical Drop and execute new binary \u202dnib.evil\u202c in container (proc_exe=/tmp/x\u200f)';
const LOG = `${json1}\n${json2}\n${text}\n`;

const strings = (t: ItemTexts): string[] => [t.label, t.description, ...t.tooltip.map((p) => ('code' in p ? p.code : p.text))];

test('a crafted log: every label, description and tooltip of the tree shows the invisible characters as \\uXXXX', () => {
  assert.ok(LOG.includes('\\u2028') && LOG.includes('\u202e'), 'the log holds them raw and as JSON escapes');
  const store = new AlertStore(new MemorySource(Buffer.from(LOG, 'utf8')));
  store.indexMore();
  assert.equal(store.total, 3);
  const shown: string[] = [];
  let raw = 0;
  for (const groupBy of ['rule', 'priority', 'hostname', 'source', 'container'] as ExplorerGroupBy[]) {
    for (const dedupe of [true, false]) {
      const { groups } = store.groups(groupBy);
      for (const g of groups) {
        if (hasTricky(g.key)) raw++;
        shown.push(...strings(groupTexts(groupBy, g, dedupe)));
        // The key the client asks for the group's alerts with is the value itself: its alerts are found.
        const { items, total } = store.alerts(groupBy, g.key, undefined, dedupe, 0, 10);
        assert.equal(total, g.count, `${groupBy} ${JSON.stringify(g.key)}`);
        for (const a of items) {
          if (hasTricky(a.rule) || hasTricky(a.summary)) raw++;
          shown.push(...strings(alertTexts(groupBy, a)));
        }
      }
    }
  }
  assert.ok(raw > 10, 'the server sends the values as they are');
  const bad = shown.filter(hasTricky);
  assert.deepEqual(bad, []);
  // What was hidden is shown, and the rest of the value is kept.
  const all = shown.join('\n');
  for (const expected of ['Terminal shell\\u202E in container', 'gnp\\u202Eexe.sh', 'node\\u200B-1', '\\uFEFFnode-2', 'web\\u2066x\\u2069', 'Read\\u2028sensitive',
    'Read sensitive\\u061C file', 'sys\\u2060call', '\\u202Dnib.evil\\u202C', 'db\\u2029']) {
    assert.ok(all.includes(expected), `${expected} is shown`);
  }

  // The view's message (the filter's text) and description (the log's file name).
  const log: ExplorerLogInfo = { logId: '1', path: '/var/log/falco\u202egol.json', total: 3, indexedBytes: 10, totalBytes: 10, done: true, following: false, unparsed: 0 };
  const view = viewTexts(log, 'rule', true, { text: 'sh\u200bell' }, undefined);
  assert.ok(!hasTricky(view.message) && !hasTricky(view.description), JSON.stringify(view));
  assert.equal(view.description, 'falco\\u202Egol.json');
  assert.match(view.message, /filter "sh\\u200Bell"/);
});

test('a followed log whose file is gone says so in the view\'s message (session 18)', () => {
  const log: ExplorerLogInfo = { logId: '1', path: '/var/log/falco.log', total: 0, indexedBytes: 0, totalBytes: 0, done: true, following: true, unparsed: 0, missing: true };
  assert.equal(viewTexts(log, 'rule', true, {}, undefined).message, '0 alerts · no file at its path now (deleted or rotated away) · following · by rule · duplicates folded');
  assert.doesNotMatch(viewTexts({ ...log, missing: undefined }, 'rule', true, {}, undefined).message, /no file/);
  // Session 22: the alerts read from it stay in the view.
  assert.equal(viewTexts({ ...log, total: 15 }, 'rule', false, {}, undefined).message, '15 alerts · no file at its path now (deleted or rotated away; the alerts read stay) · following · by rule');
});

test('a rotated set says so in the view, with the older files left out, and an alert\'s tooltip names its file (session 21)', () => {
  const log: ExplorerLogInfo = {
    logId: '1', path: '/var/log/falco.log', total: 12, indexedBytes: 10, totalBytes: 10, done: true, following: true, unparsed: 0,
    parts: [{ path: '/var/log/falco.log.1', bytes: 5 }, { path: '/var/log/falco.log', bytes: 5 }], leftOut: ['/var/log/falco.log.3.gz', '/var/log/falco.log.2.gz'],
  };
  const view = viewTexts(log, 'rule', false, {}, undefined);
  assert.equal(view.message, '12 alerts · 2 rotated files as one log · 2 older files left out (over 1.25 GiB of text) · following · by rule');
  assert.equal(view.description, 'falco.log (rotated set)');
  const alert = { id: 3, line: 11, part: 0, priority: 4, rule: 'R', summary: 's' };
  assert.deepEqual(alertTexts('rule', alert, 'falco.log.1\u202e').tooltip.at(-1), { text: 'falco.log.1\\u202E, line 12' });
  assert.deepEqual(alertTexts('rule', alert).tooltip.at(-1), { text: 'line 12' });
});
