// Session 19: the Alert Explorer groups and filters alerts by Kubernetes namespace, pod and container image. A JSON
// alert's come from its output_fields (k8s.ns.name, k8s.pod.name, container.image.repository/.tag, container.image);
// a text alert's only from the fields Falco itself appends (the container plugin's suggested output of Falco >= 0.41,
// `-pk`/`-pc` of 0.37-0.40), whose keys name those fields. Alerts without the field are one "(no namespace)" group.
// The store finds them by reading the log again when a query first needs them, not while indexing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AlertStore, queryProblem } from '../../server/src/service/explorer/alertStore';
import { jsonWorkload, textWorkload, type Workload } from '../../server/src/service/explorer/extract';
import { MemorySource } from '../helpers/memorySource';
import { Random } from '../fixtures/hardening/random';
import { filterText, groupTexts, parseFilterText, viewTexts } from '../../client/src/explorer/treeText';
import type { ExplorerLogInfo } from '../../server/src/protocol';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'alerts');

/** A JSON alert as Falco >= 0.39 writes it (keys sorted), with the container plugin's suggested fields. */
function json(rule: string, time: string, fields: Record<string, string | null>, tags: string[] = []): string {
  const suffix = Object.entries(fields).map(([k, v]) => `${k.replaceAll('.', '_')}=${v ?? '<NA>'}`).join(' ');
  return JSON.stringify({
    hostname: 'node-1', output: `${time.slice(11, 29)}: Warning ${rule} | process=sh ${suffix}`,
    output_fields: Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))), priority: 'Warning', rule, source: 'syscall', tags, time,
  });
}

const SHOP_POD = { 'container.image.repository': 'ghcr.io/acme/payments-api', 'container.image.tag': 'v2.14.1', 'k8s.ns.name': 'shop', 'k8s.pod.name': 'payments-api-7d9c6b5f4-x2k8q' };
const DATA_POD = { 'container.image.repository': 'docker.io/library/postgres', 'container.image.tag': '16.3', 'k8s.ns.name': 'data', 'k8s.pod.name': 'postgres-0' };
// A pod of the same name in another namespace: another pod.
const OTHER_POSTGRES = { 'container.image.repository': 'docker.io/library/postgres', 'container.image.tag': '15.7', 'k8s.ns.name': 'legacy', 'k8s.pod.name': 'postgres-0' };
const HOST = { 'container.image.repository': null, 'container.image.tag': null, 'k8s.ns.name': null, 'k8s.pod.name': null };

const LOG = [
  json('Terminal shell in container', '2026-03-02T09:00:00.000000001Z', SHOP_POD),
  json('Terminal shell in container', '2026-03-02T09:00:01.000000001Z', SHOP_POD),
  json('Terminal shell in container', '2026-03-02T09:00:02.000000001Z', DATA_POD),
  json('Terminal shell in container', '2026-03-02T09:00:03.000000001Z', OTHER_POSTGRES),
  json('Read sensitive file untrusted', '2026-03-02T09:00:04.000000001Z', HOST),
  // Falco >= 0.41 text output: the suggested fields appended.
  '09:00:05.000000001: Warning Symlinks created over sensitive files | target=/etc evt_type=symlinkat container_id=4f1a7c3e9b2d container_name=payments-api container_image_repository=ghcr.io/acme/payments-api container_image_tag=v2.14.1 k8s_pod_name=payments-api-7d9c6b5f4-x2k8q k8s_ns_name=shop',
  // Falco 0.37-0.40 with -pk: %container.info replaced inside the rule's parentheses.
  '09:00:06.000000001: Notice A shell was spawned in a container with an attached terminal (user=root process=sh container_id=9f2e1d0c8b7a container_image=docker.io/library/postgres container_image_tag=16.3 container_name=postgres k8s_ns=data k8s_pod_name=postgres-0)',
  // A k8saudit rule's own field that only ends like the key: no image of the alert.
  '09:00:07.000000001: Notice Ephemeral container is created in pod (user=admin pod=web ns=shop ephemeral_container_name=debugger ephemeral_container_image=busybox)',
  // The same JSON alert as containerd writes it (CRI), and as Docker's json-file driver does.
  `2026-03-02T09:00:08.000000002Z stdout F ${json('Terminal shell in container', '2026-03-02T09:00:08.000000001Z', DATA_POD)}`,
  JSON.stringify({ log: `${json('Terminal shell in container', '2026-03-02T09:00:09.000000001Z', SHOP_POD)}\n`, stream: 'stdout', time: '2026-03-02T09:00:09.000000002Z' }),
  '',
].join('\n');

function store(text = LOG): AlertStore {
  const s = new AlertStore(new MemorySource(text));
  s.indexMore();
  return s;
}

const counts = (s: AlertStore, groupBy: 'namespace' | 'pod' | 'image', filter?: object) =>
  Object.fromEntries(s.groups(groupBy, filter).groups.map((g) => [g.key, g.count]));

test('group by namespace, pod and image: output_fields of JSON alerts, Falco\'s appended fields of text alerts, one group without', () => {
  const s = store();
  assert.equal(s.total, 10);
  assert.deepEqual(counts(s, 'namespace'), { shop: 4, data: 3, legacy: 1, '': 2 });
  assert.deepEqual(counts(s, 'pod'), { 'shop/payments-api-7d9c6b5f4-x2k8q': 4, 'data/postgres-0': 3, 'legacy/postgres-0': 1, '': 2 });
  assert.deepEqual(counts(s, 'image'), { 'ghcr.io/acme/payments-api:v2.14.1': 4, 'docker.io/library/postgres:16.3': 3, 'docker.io/library/postgres:15.7': 1, '': 2 });
  // The group's alerts are found by its key, the group without the field by ''.
  assert.deepEqual(s.alerts('namespace', 'data', undefined, false, 0, 10).items.map((a) => a.line), [8, 6, 2]);
  assert.deepEqual(s.alerts('pod', '', undefined, false, 0, 10).items.map((a) => a.line), [7, 4]);
  assert.equal(s.latestMatching('image', 'docker.io/library/postgres:15.7', undefined, 5).total, 1);
  // The other groupings are as before.
  assert.equal(s.groups('rule').groups.length, 5);
});

test('filter by namespace, pod (with or without its namespace) and image (with or without the tag)', () => {
  const s = store();
  assert.equal(s.groups('rule', { namespace: 'shop' }).matching, 4);
  assert.equal(s.groups('rule', { pod: 'postgres-0' }).matching, 4, 'the pod\'s name in any namespace');
  assert.equal(s.groups('rule', { pod: 'legacy/postgres-0' }).matching, 1);
  assert.equal(s.groups('rule', { pod: 'gres-0' }).matching, 0, 'a whole name, not a part of one');
  assert.equal(s.groups('rule', { image: 'docker.io/library/postgres' }).matching, 4, 'the repository with any tag');
  assert.equal(s.groups('rule', { image: 'docker.io/library/postgres:16.3', namespace: 'data' }).matching, 3);
  assert.equal(s.groups('rule', { image: 'docker.io' }).matching, 0);
  assert.equal(s.groups('rule', { namespace: 'nowhere' }).matching, 0);
  assert.deepEqual(counts(s, 'pod', { namespace: 'data', minPriority: 4 }), { 'data/postgres-0': 2 });
});

test('the workloads are read when a query needs them, and only the alerts added since on the next', () => {
  const source = new MemorySource(LOG);
  const s = new AlertStore(source);
  s.indexMore();
  const afterIndex = source.reads;
  s.groups('rule');
  assert.equal(source.reads, afterIndex, 'other groupings read nothing');
  assert.equal(s.groups('namespace').matching, 10);
  const afterFirst = source.reads;
  assert.ok(afterFirst > afterIndex);
  s.groups('pod');
  assert.equal(source.reads, afterFirst, 'read once for the three groupings');
  // The log grows (follow mode): the next query reads the new alerts only.
  source.append(`${json('Terminal shell in container', '2026-03-02T09:01:00.000000001Z', { 'k8s.ns.name': 'ci', 'k8s.pod.name': 'runner-1' })}\n`);
  s.indexMore();
  const grown = source.reads;
  assert.deepEqual(counts(s, 'namespace'), { shop: 4, data: 3, legacy: 1, ci: 1, '': 2 });
  assert.equal(source.reads, grown + 1);
  // Truncated and written again: read again from the start.
  source.data = Buffer.from(`${json('x', '2026-03-02T10:00:00.000000001Z', DATA_POD)}\n`);
  s.indexMore();
  assert.deepEqual(counts(s, 'namespace'), { data: 1 });
});

test('the fixtures: Falco 0.44 JSON and rules 4 text alerts carry a namespace; older outputs and plugin alerts none', () => {
  for (const [file, expected] of [
    ['falco-0.44.json', { shop: 1, '': 2 }], ['falco-rules4.log', { shop: 1, '': 2 }], ['falco-rules3.log', { '': 2 }],
    ['falco-0.37.json', { '': 1 }], ['falcosidekick-ui.json', { '': 1 }],
  ] as const) {
    assert.deepEqual(counts(store(fs.readFileSync(path.join(FIXTURES, file), 'utf8')), 'namespace'), expected, file);
  }
});

// ---- the scanners against their regex forms

const member = (key: string) => new RegExp(`"${key.replaceAll('.', '\\.')}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`);
const decode = (raw: string) => { try { return JSON.parse(`"${raw}"`) as string; } catch { return raw; } };
const known = (v: string | undefined) => (v === undefined || v === '' || v === '<NA>' ? undefined : v);
const imageOf = (repository: string | undefined, tag: string | undefined) => (repository === undefined ? undefined : tag === undefined ? repository : `${repository}:${tag}`);

function jsonByRegex(text: string, from: number): Workload {
  const get = (key: string) => { const m = member(key).exec(text.slice(from)); return known(m ? decode(m[1]) : undefined); };
  return { namespace: get('k8s.ns.name'), pod: get('k8s.pod.name'), image: imageOf(get('container.image.repository'), get('container.image.tag')) ?? get('container.image') };
}

function textByRegex(text: string, start: number, end: number): Workload {
  const output = text.slice(start, end);
  const get = (key: string) => known(new RegExp(`(?:^|[\\s(])${key}=([^\\s)]+)`).exec(output)?.[1]);
  return { namespace: get('k8s_ns(?:_name)?'), pod: get('k8s_pod_name'), image: imageOf(get('container_image(?:_repository)?'), get('container_image_tag')) };
}

const PIECES = [
  '"k8s.ns.name"', '"k8s.pod.name"', '"k8s.ns.name":"', '"k8s.pod.name" : "', '"container.image"', '"container.image.repository":"', '"container.image.tag":"',
  '"container.image.id":"', '"k8s.', '"container.image', 'k8s_ns=', 'k8s_ns_name=', 'k8s_pod_name=', 'k8s_', 'container_image=', 'container_image_repository=',
  'container_image_tag=', 'ephemeral_', 'x', 'shop', 'nginx', '<NA>', '"', '\\"', '\\\\', '\\u0041', '\\', ':', ' ', '\u00a0', '\t', '(', ')', ',', '{', '}', 'null',
];

test('the workload scanners give what their regex forms give (seed 1919)', () => {
  const random = new Random(1919);
  const found = { namespace: 0, pod: 0, image: 0 };
  const got: Workload = { namespace: undefined, pod: undefined, image: undefined };
  for (let i = 0; i < 30_000; i++) {
    let line = '';
    for (let n = 1 + random.int(16); n > 0; n--) line += random.pick(PIECES);
    const from = random.int(Math.min(8, line.length + 1));
    jsonWorkload(line, from, got);
    assert.deepEqual({ ...got }, jsonByRegex(line, from), `JSON ${JSON.stringify(line)} from ${from}`);
    for (const k of ['namespace', 'pod', 'image'] as const) if (got[k] !== undefined) found[k]++;
    const end = line.length - random.int(Math.min(8, line.length + 1));
    textWorkload(line, from, end, got);
    assert.deepEqual({ ...got }, textByRegex(line, from, end), `text ${JSON.stringify(line)} [${from}, ${end})`);
  }
  assert.ok(found.namespace > 500 && found.pod > 500 && found.image > 500, JSON.stringify(found));
});

// ---- the request and the tree

test('the new groupings and filters are requests the server takes; filters of the wrong type are refused', () => {
  for (const groupBy of ['namespace', 'pod', 'image']) assert.equal(queryProblem(groupBy, { namespace: 'shop', pod: 'shop/web', image: 'nginx' }), undefined);
  assert.equal(queryProblem('namespace', { pod: 3 }), 'the filter\'s pod is not a string');
  assert.equal(queryProblem('rule', { namespace: ['shop'] }), 'the filter\'s namespace is not a string');
  assert.match(queryProblem('severity', undefined) ?? '', /the groupings are rule, priority, hostname, source, container, namespace, pod, image, tag$/);
});

test('the tree names the group without the field honestly, and the filter box reads ns:, pod: and image:', () => {
  const none = { key: '', count: 2, distinct: 2, priority: 4, identified: true };
  assert.equal(groupTexts('namespace', none, true).label, '(no namespace)');
  assert.equal(groupTexts('pod', none, true).label, '(no pod)');
  assert.equal(groupTexts('image', none, true).label, '(no image)');
  assert.equal(groupTexts('container', none, true).label, '(none)');
  assert.match(groupTexts('namespace', none, true).tooltip.map((p) => ('text' in p ? p.text : '')).join(''), /carry no k8s\.ns\.name/);
  assert.equal(groupTexts('pod', { ...none, key: 'data/postgres-0' }, true).label, 'data/postgres-0');

  assert.deepEqual(parseFilterText('ns:shop  curl -s pod:web-1 image:nginx:1.27'), { namespace: 'shop', pod: 'web-1', image: 'nginx:1.27', text: 'curl -s' });
  assert.deepEqual(parseFilterText('/etc/shadow'), { text: '/etc/shadow' });
  assert.deepEqual(parseFilterText('dns:8.8.8.8 ns:'), { text: 'dns:8.8.8.8 ns:' }, 'a key inside a word, or without a value, is text');
  assert.deepEqual(parseFilterText(''), {});
  const filter = { text: 'curl', namespace: 'shop', pod: 'data/postgres-0' };
  assert.equal(filterText(filter), 'curl ns:shop pod:data/postgres-0');
  assert.deepEqual(parseFilterText(filterText(filter)), filter);
  const log: ExplorerLogInfo = { logId: '1', path: '/var/log/falco.log', total: 10, indexedBytes: 1, totalBytes: 1, done: true, following: false, unparsed: 0 };
  assert.equal(viewTexts(log, 'pod', true, filter, undefined).message, '10 alerts · by pod · duplicates folded · filter "curl", ns:shop, pod:data/postgres-0');
});
