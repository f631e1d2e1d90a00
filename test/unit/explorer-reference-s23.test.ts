// The Alert Explorer's index against a reference: seeded random logs of JSON alerts (rules, priorities, hosts,
// sources, namespaces, tags, times, Falco's own log lines and broken lines among them, non-ASCII text), indexed in
// random slices, and every grouping's counts, every filter's matches and every group's pages compared with what a
// plain reading of the same lines (JSON.parse, one alert per line) gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore } from '../../server/src/service/explorer/alertStore';
import type { ExplorerFilter, ExplorerGroupBy } from '../../server/src/protocol';
import { MemorySource } from '../helpers/memorySource';
import { prng } from './rules-random-edits';

const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
const RULES = ['Terminal shell in container', 'Read sensitive file untrusted', 'Drop and execute new binary in container', 'Ünïcode rule ✓', 'Contact K8S API Server From Container'];
const HOSTS = ['node-a', 'node-b', 'ip-10-0-0-1.ec2.internal', 'hôte-ß'];
const SOURCES = ['syscall', 'k8s_audit', 'aws_cloudtrail'];
const NAMESPACES = ['shop', 'kube-system', 'default'];
const TAGS = ['container', 'shell', 'mitre_execution', 'T1059', 'filesystem', 'maturity_stable'];
const WORDS = ['bash', 'sh', '/etc/shadow', 'curl', 'ÆØÅ', 'kubectl', 'python3', 'nginx'];

interface Reference { line: number; text: string; rule: string; priority: number; hostname: string; source: string; namespace: string; tags: string[]; time: number }

/** A random log and the alerts a plain reading of it finds, with the 0-based line of each. */
function randomLog(random: () => number, count: number): { text: string; alerts: Reference[] } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const lines: string[] = [];
  const alerts: Reference[] = [];
  let time = Date.parse('2026-11-20T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.04) { lines.push('Tue Nov 24 10:00:00 2026: Falco initialized with configuration files:'); continue; }
    if (roll < 0.06) { lines.push('{"rule": "cut off'); continue; }
    if (roll < 0.07) { lines.push(''); continue; }
    time += Math.floor(random() * 90_000);
    const rule = pick(RULES);
    const priority = Math.floor(random() * PRIORITIES.length);
    const hostname = pick(HOSTS);
    const source = pick(SOURCES);
    const namespace = random() < 0.7 ? pick(NAMESPACES) : '';
    const tags = TAGS.filter(() => random() < 0.3);
    const output = `${PRIORITIES[priority]} ${rule} (process=${pick(WORDS)} file=${pick(WORDS)} n=${Math.floor(random() * 4)})`;
    const iso = new Date(time).toISOString().replace('Z', `${String(Math.floor(random() * 1e6)).padStart(6, '0')}Z`);
    const fields: Record<string, string | null> = { 'proc.name': pick(WORDS) };
    if (namespace) fields['k8s.ns.name'] = namespace;
    const text = JSON.stringify({ hostname, output: `${iso.slice(11, 29)}: ${output}`, output_fields: fields, priority: PRIORITIES[priority], rule, source, tags, time: iso });
    alerts.push({ line: lines.length, text, rule, priority, hostname, source, namespace, tags, time: Date.parse(iso) });
    lines.push(text);
  }
  return { text: `${lines.join('\n')}\n`, alerts };
}

function keysOf(a: Reference, groupBy: ExplorerGroupBy): string[] {
  switch (groupBy) {
    case 'rule': return [a.rule];
    case 'priority': return [String(a.priority)];
    case 'hostname': return [a.hostname];
    case 'source': return [a.source];
    case 'namespace': return [a.namespace];
    case 'tag': return a.tags.length ? a.tags : [''];
    default: throw new Error(groupBy);
  }
}

function passes(a: Reference, f: ExplorerFilter): boolean {
  return (f.text === undefined || a.text.toLowerCase().includes(f.text.toLowerCase()))
    && (f.minPriority === undefined || a.priority <= f.minPriority)
    && (f.rules === undefined || f.rules.length === 0 || f.rules.includes(a.rule))
    && (f.hostname === undefined || a.hostname === f.hostname)
    && (f.source === undefined || a.source === f.source)
    && (f.namespace === undefined || a.namespace === f.namespace)
    && (f.tag === undefined || a.tags.includes(f.tag))
    && (f.since === undefined || a.time >= f.since)
    && (f.until === undefined || a.time <= f.until);
}

function randomFilter(random: () => number, alerts: Reference[]): ExplorerFilter {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const f: ExplorerFilter = {};
  if (random() < 0.3) f.text = pick([...WORDS, 'PROCESS=BASH', 'ünïcode', 'n=2)', 'zzz-none']);
  if (random() < 0.3) f.minPriority = Math.floor(random() * 8);
  if (random() < 0.2) f.rules = RULES.filter(() => random() < 0.5);
  if (random() < 0.2) f.hostname = pick(HOSTS);
  if (random() < 0.2) f.source = pick(SOURCES);
  if (random() < 0.2) f.namespace = pick(NAMESPACES);
  if (random() < 0.2) f.tag = pick(TAGS);
  if (random() < 0.3 && alerts.length) {
    const a = pick(alerts).time;
    const b = pick(alerts).time;
    f.since = Math.min(a, b);
    f.until = Math.max(a, b);
  }
  return f;
}

const GROUPINGS: ExplorerGroupBy[] = ['rule', 'priority', 'hostname', 'source', 'namespace', 'tag'];

test('the index against a plain reading: every grouping\'s counts, filtered, and every group\'s pages', () => {
  const seeds = process.env.FALCO_LENS_SEEDS ? process.env.FALCO_LENS_SEEDS.split(',').map(Number) : [3, 17, 29];
  for (const seed of seeds) {
    const random = prng(seed);
    const { text, alerts } = randomLog(random, 1000);
    const store = new AlertStore(new MemorySource(text));
    // Random slices: lines cut at every place by the slice's end.
    while (!store.indexMore(1 + Math.floor(random() * 20_000))) { /* more */ }
    assert.equal(store.total, alerts.length, `seed ${seed}: alerts indexed`);
    for (let id = 0; id < alerts.length; id++) {
      assert.equal(store.lineOf(id), alerts[id].line, `seed ${seed}: line of alert ${id}`);
      assert.equal(store.alertText(id), alerts[id].text, `seed ${seed}: text of alert ${id}`);
    }
    for (let q = 0; q < 30; q++) {
      const filter = randomFilter(random, alerts);
      const groupBy = GROUPINGS[q % GROUPINGS.length];
      const where = `seed ${seed}, ${groupBy}, filter ${JSON.stringify(filter)}`;
      const matching = alerts.filter((a) => passes(a, filter));
      const expected = new Map<string, Reference[]>();
      for (const a of matching) for (const k of keysOf(a, groupBy)) expected.set(k, [...(expected.get(k) ?? []), a]);
      const answer = store.groups(groupBy, filter, 10_000);
      assert.equal(answer.matching, matching.length, `${where}: matching`);
      assert.deepEqual(new Map(answer.groups.map((g) => [g.key, g.count])), new Map([...expected].map(([k, v]) => [k, v.length])), `${where}: groups`);
      for (const g of answer.groups) {
        const members = expected.get(g.key)!;
        assert.equal(g.priority, Math.min(...members.map((a) => a.priority)), `${where}: worst priority of ${g.key}`);
        assert.equal(g.firstTime, Math.min(...members.map((a) => a.time)), `${where}: first time of ${g.key}`);
        assert.equal(g.lastTime, Math.max(...members.map((a) => a.time)), `${where}: last time of ${g.key}`);
        // Every alert of the group once, over pages of random sizes.
        const seen: number[] = [];
        for (let offset = 0; ;) {
          const limit = 1 + Math.floor(random() * 60);
          const page = store.alerts(groupBy, g.key, filter, false, offset, limit);
          assert.equal(page.total, members.length, `${where}: total of ${g.key}`);
          seen.push(...page.items.map((i) => i.id));
          offset += page.items.length;
          if (page.items.length < limit) break;
        }
        assert.deepEqual([...seen].sort((a, b) => a - b), members.map((a) => alerts.indexOf(a)).sort((a, b) => a - b), `${where}: alerts of ${g.key}`);
        // Folded, the classes stand for the same alerts.
        const folded = store.alerts(groupBy, g.key, filter, true, 0, 100_000);
        assert.equal(folded.items.reduce((n, i) => n + (i.duplicates ?? 1), 0), members.length, `${where}: folded alerts of ${g.key}`);
      }
    }
  }
});
