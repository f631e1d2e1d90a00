// Session 19: the Alert Explorer groups by tag. An alert with several tags is in the group of each: each group counts
// the alerts carrying its tag, and the answer's `matching` (the view's count) counts alerts, not the groups' sum; its
// distinct count, its alerts, a report of it and the time filter's undated count are of the alerts carrying the tag.
// Text alerts carry no tags (Falco writes them in JSON output only): they are the "(no tags)" group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertStore, queryProblem } from '../../server/src/service/explorer/alertStore';
import { jsonTagsSpan } from '../../server/src/service/explorer/extract';
import { MemorySource } from '../helpers/memorySource';
import { Random } from '../fixtures/hardening/random';
import { alertItemId, groupTexts, parseFilterText, viewTexts } from '../../client/src/explorer/treeText';
import type { ExplorerLogInfo } from '../../server/src/protocol';

function json(rule: string, second: number, output: string, tags: string[] | undefined): string {
  const time = `2026-03-02T09:00:${String(second).padStart(2, '0')}.000000001Z`;
  return JSON.stringify({
    hostname: 'node-1', output: `09:00:${String(second).padStart(2, '0')}.000000001: Warning ${output}`, output_fields: { 'proc.name': 'sh' },
    priority: 'Warning', rule, source: 'syscall', ...(tags ? { tags } : {}), time,
  });
}

const SHELL = ['T1059', 'container', 'maturity_stable', 'mitre_execution', 'shell'];
const SHADOW = ['T1555', 'filesystem', 'maturity_stable', 'mitre_credential_access'];
const LOG = [
  json('Terminal shell in container', 1, 'A shell was spawned | process=sh', SHELL),
  json('Terminal shell in container', 2, 'A shell was spawned | process=sh', SHELL),
  json('Terminal shell in container', 3, 'A shell was spawned | process=bash', SHELL),
  json('Read sensitive file untrusted', 4, 'Sensitive file opened | file=/etc/shadow', SHADOW),
  // json_include_tags_property: false, and a rule without tags.
  json('Custom rule', 5, 'Something', undefined),
  json('Custom rule', 6, 'Something', []),
  // A text alert (no tags) whose time is a time of day alone.
  '09:00:07.000000001: Warning Sensitive file opened | file=/etc/shadow',
  '',
].join('\n');

function store(): AlertStore {
  const s = new AlertStore(new MemorySource(LOG));
  s.indexMore();
  return s;
}

test('by tag: an alert is in the group of each of its tags; counts are of alerts carrying the tag, the total of alerts', () => {
  const s = store();
  const answer = s.groups('tag');
  assert.equal(answer.matching, 7, 'the alerts, not the sum of the groups');
  assert.equal(answer.total, 7);
  const byKey = Object.fromEntries(answer.groups.map((g) => [g.key, [g.count, g.distinct]]));
  assert.deepEqual(byKey, {
    T1059: [3, 2], container: [3, 2], maturity_stable: [4, 3], mitre_execution: [3, 2], shell: [3, 2],
    T1555: [1, 1], filesystem: [1, 1], mitre_credential_access: [1, 1], '': [3, 2],
  });
  assert.ok(answer.groups.reduce((n, g) => n + g.count, 0) > answer.matching);
  // A group's alerts: each alert carrying the tag, folded or not.
  assert.deepEqual(s.alerts('tag', 'maturity_stable', undefined, false, 0, 10).items.map((a) => a.line), [3, 2, 1, 0]);
  assert.deepEqual(s.alerts('tag', 'maturity_stable', undefined, true, 0, 10).items.map((a) => [a.line, a.duplicates]), [[3, 1], [2, 1], [1, 2]]);
  assert.deepEqual(s.alerts('tag', '', undefined, false, 0, 10).items.map((a) => a.line), [6, 5, 4]);
  assert.equal(s.alerts('tag', 'no_such_tag', undefined, false, 0, 10).total, 0);
  // A report's selection, and the undated alerts of a group under a time bound.
  assert.deepEqual(s.latestMatching('tag', 'filesystem', undefined, 10), { ids: [3], total: 1 });
  const window = { since: Date.parse('2026-03-02T09:00:00Z') };
  assert.equal(s.latestMatching('tag', '', window, 10).undated, 1, 'the text alert is the no-tags group\'s');
  assert.equal(s.latestMatching('tag', 'shell', window, 10).undated, 0);
  // Other filters apply before the grouping; a tag filter keeps the alerts carrying it.
  assert.equal(s.groups('tag', { text: 'bash' }).groups.length, 5);
  assert.equal(s.groups('rule', { tag: 'maturity_stable' }).matching, 4);
  assert.deepEqual(s.groups('tag', { tag: 'filesystem' }).groups.map((g) => g.key).sort(), ['T1555', 'filesystem', 'maturity_stable', 'mitre_credential_access']);
});

test('the tags array is found as its regex form finds it (seed 2020)', () => {
  const TAGS = /"tags"\s*:\s*\[(\s*(?:"(?:[^"\\]|\\.)*"\s*(?:,\s*"(?:[^"\\]|\\.)*"\s*)*)?)\]/;
  const PIECES = ['"tags"', '"tags":', '"tags": [', '[', ']', '"', '"a"', '"b c"', ',', ' ', '\u00a0', '\\"', '\\\\', '\\', 'x', ':', '{', '}', '"tags":[]', '"tags":["a","b"]', '"tags" :[ "x" , "y" ]'];
  const random = new Random(2020);
  let found = 0;
  for (let i = 0; i < 30_000; i++) {
    let line = '';
    for (let n = 1 + random.int(12); n > 0; n--) line += random.pick(PIECES);
    const span = jsonTagsSpan(line, 0);
    const m = TAGS.exec(line);
    assert.equal(span ? line.slice(span.start, span.end) : undefined, m ? m[1] : undefined, JSON.stringify(line));
    if (span) found++;
  }
  assert.ok(found > 3000, `${found}`);
});

test('the request, the tree and the filter box know the tag grouping', () => {
  assert.equal(queryProblem('tag', { tag: 'shell' }), undefined);
  assert.equal(queryProblem('tag', { tag: ['shell'] }), 'the filter\'s tag is not a string');
  const none = { key: '', count: 3, distinct: 2, priority: 4, identified: true };
  assert.equal(groupTexts('tag', none, true).label, '(no tags)');
  assert.match(groupTexts('tag', { ...none, key: 'shell' }, true).tooltip.map((p) => ('text' in p ? p.text : '')).join(''), /under each of them/);
  const log: ExplorerLogInfo = { logId: '1', path: '/var/log/falco.log', total: 7, indexedBytes: 1, totalBytes: 1, done: true, following: false, unparsed: 0 };
  assert.equal(viewTexts(log, 'tag', false, {}, undefined).message, '7 alerts · by tag (an alert under each of its tags)');
  assert.deepEqual(parseFilterText('tag:mitre_execution sh'), { tag: 'mitre_execution', text: 'sh' });
  // One alert under two tags: two tree items, two ids.
  assert.notEqual(alertItemId('1', 'tag', 'shell', 4), alertItemId('1', 'tag', 'container', 4));
  assert.equal(alertItemId('1', 'rule', 'Terminal shell in container', 4), 'alert:1:4');
});
