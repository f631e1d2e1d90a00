// The Alert Explorer's index: columns built from real alert formats, grouping, filters, dedupe, paging, follow
// (appends), truncation, long lines and CRI partial lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import { PartsSource } from '../../server/src/service/explorer/logSet';
import { MemorySource } from '../helpers/memorySource';

const json = (rule: string, priority: string, time: string, output: string, extra = '') =>
  `{"hostname":"node-1","output":"${time.slice(11, 29)}: ${priority} ${output}","output_fields":{"container.name":"web"${extra}},"priority":"${priority}","rule":"${rule}","source":"syscall","tags":[],"time":"${time}"}`;

const LOG = [
  'Mon Mar  2 08:00:01 2026: Falco version: 0.44.0 (x86_64)',
  json('Terminal shell in container', 'Notice', '2026-03-02T09:00:00.000000001Z', 'A shell was spawned | process=bash'),
  json('Terminal shell in container', 'Notice', '2026-03-02T09:00:05.000000002Z', 'A shell was spawned | process=bash'),
  json('Terminal shell in container', 'Notice', '2026-03-02T09:00:09.000000003Z', 'A shell was spawned | process=sh'),
  json('Drop and execute new binary in container', 'Critical', '2026-03-02T09:01:00.000000000Z', 'Executing binary not part of base image | proc_exe=/tmp/x'),
  '10:00:00.123456789: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat container_name=db',
  'not an alert at all',
  '{"rule": "cut',
  '',
].join('\n');

test('indexes JSON and text alerts, skipping Falco log lines, and counts unparsed lines', () => {
  const store = new AlertStore(new MemorySource(LOG));
  assert.equal(store.indexMore(), true);
  assert.equal(store.total, 5);
  assert.equal(store.unparsed, 2, 'the stray line and the broken JSON');
  assert.equal(store.lineOf(0), 1);
  assert.match(store.alertText(4), /^10:00:00\.123456789: Warning/);
});

test('groups by rule with counts, distinct alerts, worst priority and times; most severe first', () => {
  const store = new AlertStore(new MemorySource(LOG));
  store.indexMore();
  const { groups, matching } = store.groups('rule');
  assert.equal(matching, 5);
  assert.deepEqual(groups.map((g) => [g.key, g.count, g.distinct, g.priority]), [
    ['Drop and execute new binary in container', 1, 1, 2],
    ['Sensitive file opened for reading by non-trusted program', 1, 1, 4],
    ['Terminal shell in container', 3, 2, 5],
  ]);
  assert.equal(groups[1].identified, false, 'a text alert without a loaded rule is grouped by its message');
  assert.equal(groups[2].firstTime, Date.parse('2026-03-02T09:00:00.000Z'));
  assert.deepEqual(store.groups('container').groups.map((g) => g.key).sort(), ['db', 'web']);
  assert.deepEqual(store.groups('priority').groups.map((g) => g.key), ['2', '4', '5']);
});

test('filters by priority, text, time range and rule; text filter matches case-insensitively', () => {
  const store = new AlertStore(new MemorySource(LOG));
  store.indexMore();
  assert.equal(store.groups('rule', { minPriority: 4 }).matching, 2);
  assert.equal(store.groups('rule', { text: 'PROCESS=SH' }).matching, 1);
  assert.equal(store.groups('rule', { since: Date.parse('2026-03-02T09:00:04Z'), until: Date.parse('2026-03-02T09:00:10Z') }).matching, 2);
  assert.equal(store.groups('rule', { rules: ['Terminal shell in container'] }).matching, 3);
  assert.equal(store.groups('rule', { hostname: 'node-1', source: 'syscall' }).matching, 4);
});

test('pages alerts of a group newest first, and folds duplicates that differ only in time', () => {
  const store = new AlertStore(new MemorySource(LOG));
  store.indexMore();
  const all = store.alerts('rule', 'Terminal shell in container', undefined, false, 0, 10);
  assert.equal(all.total, 3);
  assert.deepEqual(all.items.map((i) => i.line), [3, 2, 1]);
  assert.equal(all.items[0].summary, 'A shell was spawned | process=sh');
  const folded = store.alerts('rule', 'Terminal shell in container', undefined, true, 0, 10);
  assert.equal(folded.total, 2);
  assert.deepEqual(folded.items.map((i) => i.duplicates), [1, 2]);
  const page = store.alerts('rule', 'Terminal shell in container', undefined, false, 1, 1);
  assert.deepEqual(page.items.map((i) => i.line), [2]);
  assert.equal(store.alerts('rule', 'no such rule', undefined, false, 0, 10).total, 0);
});

test('escaped outputs fold alike whether read from the line\'s bytes (ASCII line) or as characters (a non-ASCII line)', () => {
  const rule = 'Run shell untrusted';
  const escaped = (time: string, command: string, extra = '') => json(rule, 'Notice', time, `Shell spawned | command=sh -c \\"${command}\\" tab=\\t slash=\\/ a=\\u0041`, extra);
  const lines = [
    escaped('2026-03-02T09:00:00.000000001Z', 'cat /etc/shadow'),
    escaped('2026-03-02T09:00:01.000000002Z', 'cat /etc/shadow', ',"user.name":"jérôme"'),
    escaped('2026-03-02T09:00:02.000000003Z', 'cat /etc/passwd'),
    escaped('2026-03-02T09:00:03.000000004Z', 'cat /etc/passwd', ',"user.name":"jérôme"'),
  ];
  const store = new AlertStore(new MemorySource(`${lines.join('\r\n')}\n`));
  store.indexMore();
  assert.equal(store.total, 4);
  const [group] = store.groups('rule').groups;
  assert.deepEqual([group.key, group.count, group.distinct], [rule, 4, 2]);
  const folded = store.alerts('rule', rule, undefined, true, 0, 10);
  assert.deepEqual(folded.items.map((i) => [i.line, i.duplicates]), [[3, 2], [1, 2]]);
  assert.equal(folded.items[0].summary, 'Shell spawned | command=sh -c "cat /etc/passwd" tab=\t slash=/ a=A');
});

test('follow: only complete lines are taken until the writer finishes the line; truncation starts over', () => {
  const source = new MemorySource(LOG.split('\n').slice(0, 3).join('\n') + '\n{"hostname":"node-1","out');
  const store = new AlertStore(source);
  store.indexMore(undefined, false);
  assert.equal(store.total, 2, 'the half-written line waits');
  source.append('put":"x","priority":"Error","rule":"Late rule","time":"2026-03-02T10:00:00.000000000Z"}\n');
  store.indexMore(undefined, false);
  assert.equal(store.total, 3);
  assert.equal(store.groups('rule').groups[0].key, 'Late rule');
  source.data = Buffer.from(LOG.split('\n')[4] + '\n');
  store.indexMore(undefined, false);
  assert.equal(store.total, 1, 'a truncated (rotated) file is indexed again from the start');
});

test('follow: a path that names another file (rotated by rename) is read after the renamed one from its start, whatever its length', () => {
  // The server reads a log as the parts of a set (handlers/rotatedSet.ts): a rotation adds the new file as a part.
  const lines = LOG.split('\n');
  const part = (text: string) => Object.assign(new MemorySource(text), { done: false, complete() { return this.done; } });
  const old = part(lines.slice(0, 3).join('\n') + '\n');
  const stream = new PartsSource([old]);
  const store = new AlertStore(stream);
  store.indexMore(undefined, false);
  assert.equal(store.total, 2);
  // The new file is longer than the old one: reading it on from the old offset would take half a line of it for an
  // alert, and the old file's alerts stay what they were.
  const next = part(`${lines[4]}\n${lines[4]}\n${lines[4]}\n${lines[5]}\n`);
  stream.add(next);
  store.indexMore(undefined, false);
  assert.equal(store.total, 6);
  assert.equal(store.resets, 0);
  assert.deepEqual([2, 3, 4, 5].map((id) => store.alertText(id)), [lines[4], lines[4], lines[4], lines[5]]);
  assert.equal(store.unparsed, 0);
  assert.deepEqual(stream.place(store.byteSpan(2).offset, store.lineOf(2)), { part: 1, line: 0 }, 'the new file\'s lines are its own');
});

test('joins container-runtime partial lines and keeps CRLF files intact', () => {
  const payload = json('Terminal shell in container', 'Notice', '2026-03-02T09:00:00.000000001Z', 'A shell was spawned | process=bash');
  const cri = `2026-03-02T09:00:00.1Z stdout P ${payload.slice(0, 40)}\r\n2026-03-02T09:00:00.1Z stdout F ${payload.slice(40)}\r\n`;
  const store = new AlertStore(new MemorySource(cri));
  store.indexMore();
  assert.equal(store.total, 1);
  assert.equal(store.lineOf(0), 0);
  assert.equal(store.groups('rule').groups[0].key, 'Terminal shell in container');
});

test('a line longer than a read chunk is indexed whole', () => {
  const long = json('Long rule', 'Warning', '2026-03-02T09:00:00.000000001Z', `x ${'a'.repeat(5 * 1024 * 1024)}`);
  const store = new AlertStore(new MemorySource(`${long}\n${LOG}`));
  store.indexMore(64 * 1024 * 1024);
  assert.equal(store.total, 6);
  assert.equal(store.groups('rule', { rules: ['Long rule'] }).matching, 1);
});

test('the text rule identifier names text alerts by their rule', () => {
  const store = new AlertStore(new MemorySource(LOG), (output) => (output.startsWith('Sensitive file opened') ? 'Read sensitive file untrusted' : undefined));
  store.indexMore();
  const group = store.groups('rule').groups.find((g) => g.key === 'Read sensitive file untrusted');
  assert.ok(group?.identified);
});

test('alerts with an unknown priority and no host still group, by priority and by host', () => {
  const log = [
    '{"output":"x","priority":"Loud","rule":"Odd rule","time":"2026-03-02T09:00:00.000000001Z","output_fields":{}}',
    '{"output":"y","priority":"Warning","rule":"Odd rule","time":"2026-03-02T09:00:01.000000001Z","output_fields":{}}',
  ].join('\n');
  const store = new AlertStore(new MemorySource(log));
  store.indexMore();
  assert.equal(store.total, 2);
  assert.deepEqual(store.groups('priority').groups.map((g) => [g.key, g.count, g.distinct]), [['4', 1, 1], ['-1', 1, 1]]);
  assert.deepEqual(store.groups('hostname').groups.map((g) => [g.key, g.count]), [['', 2]]);
  assert.equal(store.alerts('priority', '-1', undefined, false, 0, 10).total, 1);
});

test('Docker json-file lines are unwrapped, split lines joined, and a joined alert reads back whole', () => {
  const payload = json('Terminal shell in container', 'Notice', '2026-03-02T09:00:00.000000001Z', 'A shell was spawned | process=bash');
  const docker = (log: string) => JSON.stringify({ log, stream: 'stdout', time: '2026-03-02T09:00:00.1Z' });
  const text = [docker(`${payload}\n`), docker(payload.slice(0, 50)), docker(`${payload.slice(50)}\n`), docker('Mon Mar  2 08:00:01 2026: Falco version: 0.44.0 (x86_64)\n')].join('\n');
  const store = new AlertStore(new MemorySource(text));
  store.indexMore();
  assert.equal(store.total, 2);
  assert.equal(store.unparsed, 0);
  assert.deepEqual(store.alerts('rule', 'Terminal shell in container', undefined, false, 0, 10).items.map((i) => [i.line, i.summary]),
    [[1, 'A shell was spawned | process=bash'], [0, 'A shell was spawned | process=bash']]);
});

test('a CRI alert joined from partial lines keeps its summary when listed', () => {
  const payload = json('Terminal shell in container', 'Notice', '2026-03-02T09:00:00.000000001Z', 'A shell was spawned | process=bash');
  const cri = `2026-03-02T09:00:00.1Z stdout P ${payload.slice(0, 40)}\n2026-03-02T09:00:00.1Z stdout F ${payload.slice(40)}\n`;
  const store = new AlertStore(new MemorySource(cri));
  store.indexMore();
  assert.equal(store.alerts('rule', 'Terminal shell in container', undefined, false, 0, 10).items[0].summary, 'A shell was spawned | process=bash');
});

test('an endless run of CRI partial lines is dropped, not accumulated without bound', () => {
  const chunk = `2026-03-02T09:00:00.1Z stdout P ${'x'.repeat(64 * 1024)}\n`;
  const after = `${json('Terminal shell in container', 'Notice', '2026-03-02T09:00:00.000000001Z', 'A shell was spawned | process=bash')}\n`;
  const store = new AlertStore(new MemorySource(chunk.repeat(40) + after));
  store.indexMore(64 * 1024 * 1024);
  assert.equal(store.total, 1, 'the alert after the runaway payload is still indexed');
  assert.ok(store.unparsed >= 1);
});

test('a deadline stops indexing at a line\'s end, and the next call takes the chunk up there without reading it again', () => {
  // 100,000 alerts (about 24 MB: six chunks), CRLF lines and a last line without a line break among them.
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const second = String(i % 60).padStart(2, '0');
    lines.push(json(['Terminal shell in container', 'Read sensitive file untrusted'][i % 2], ['Notice', 'Warning'][i % 2], `2026-03-02T09:00:${second}.000000000Z`, `A shell was spawned | process=p${i % 977}`));
  }
  const text = lines.map((l, i) => (i % 7 === 3 ? `${l}\r` : l)).join('\n');
  const whole = new AlertStore(new MemorySource(text));
  while (!whole.indexMore()) { /* the end */ }
  assert.equal(whole.total, 100_000);
  const source = new MemorySource(text);
  const paced = new AlertStore(source);
  let calls = 0;
  let bytesRead = 0;
  const read = source.read.bind(source);
  source.read = (buffer, offset, length, position) => { const got = read(buffer, offset, length, position); bytesRead += got; return got; };
  // A deadline already past: each call takes the lines up to the first check of the clock (64).
  for (let done = false; !done; calls++) {
    const before = paced.total;
    done = paced.indexMore(undefined, true, 0);
    assert.ok(paced.total - before <= 64, `${paced.total - before} alerts in one call`);
  }
  assert.ok(calls >= 100_000 / 64, `${calls} calls`);
  assert.ok(bytesRead < text.length * 1.01, `${bytesRead} bytes read for ${text.length}`);
  assert.equal(paced.total, whole.total);
  assert.equal(paced.unparsed, whole.unparsed);
  for (const groupBy of ['rule', 'priority'] as const) assert.deepEqual(paced.groups(groupBy), whole.groups(groupBy));
  for (const id of [0, 1, 63, 64, 65, 4095, 50_000, 99_999]) {
    assert.deepEqual(paced.byteSpan(id), whole.byteSpan(id));
    assert.equal(paced.alertText(id), whole.alertText(id));
  }
  assert.deepEqual(paced.latestMatching(undefined, undefined, { text: 'P976' }, 10), whole.latestMatching(undefined, undefined, { text: 'P976' }, 10));
});

// Session 18: text alerts of plugin rules that write no message (okta, k8saudit: `evt=… user=…`), with no loaded rule
// to name them, all went into one "(no message)" group; they are grouped by the output's key names.
test('unidentified text alerts without a message are grouped by their output\'s key names', () => {
  const log = [
    '19:12:25.439350000: Debug evt=user.authentication.sso user=User1 ip=x.x.x.x app=google',
    '19:12:30.675628000: Debug evt=user.authentication.sso user=User2 ip=x.x.x.x app=github',
    '12:29:51.895849000: Notice verb=get name=<NA> resp=200 namespace=<NA>',
    '12:29:52.895849000: Notice a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9',
    '12:29:53.895849000: Notice Shell spawned (user=root)',
    '',
  ].join('\n');
  const store = new AlertStore(new MemorySource(log));
  store.indexMore();
  assert.deepEqual(store.groups('rule').groups.map((g) => [g.key, g.count, g.identified]).sort(), [
    ['(no message: a= b= c= d= e= f= g= h= …)', 1, false],
    ['(no message: evt= user= ip= app=)', 2, false],
    ['(no message: verb= name= resp= namespace=)', 1, false],
    ['Shell spawned', 1, false],
  ]);
  assert.equal(store.alerts('rule', '(no message: evt= user= ip= app=)', undefined, false, 0, 10).total, 2);
});

test('groups of one priority and count are in the same order whatever the locale the server runs in', () => {
  // Turkish collation puts a capital I (dotless) before i, Danish puts aa after z: the order of equal groups followed the
  // locale of the server's process (LANG), and the limit cut a different set.
  const rules = ['ia outbound', 'Iz inbound', 'aa relay', 'zz relay'];
  const store = new AlertStore(new MemorySource(rules.map((r, i) => json(r, 'Notice', `2026-03-02T09:00:0${i}.000000000Z`, 'x')).join('\n') + '\n'));
  store.indexMore();
  assert.deepEqual(store.groups('rule').groups.map((g) => g.key), ['aa relay', 'ia outbound', 'Iz inbound', 'zz relay']);
  assert.deepEqual(store.groups('rule', undefined, 2).groups.map((g) => g.key), ['aa relay', 'ia outbound']);
});
