// Session 17: the incident report groups alerts by rule; when alerts of one rule name come with different sources (a
// JSON alert whose source is not the loaded rule's: another Falco's definition), the "Another source" note was that of
// the group's first alert, said of every alert of it, or of none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

const alert = (source: string, second: number) => JSON.stringify({
  hostname: 'node-1', output: `10:15:${second}.000000000: Notice Backup tool read keys | file=/etc/ssl/k.pem process=restic`,
  output_fields: { 'fd.name': '/etc/ssl/k.pem', 'proc.name': 'restic', 'proc.pname': 'backup-agent' },
  priority: 'Notice', rule: 'Backup tool reads keys', source, tags: [], time: `2026-03-04T10:15:${second}.000000000Z`,
});
const RULES = [{ name: 'Backup tool reads keys', source: 'syscall', tags: [], enabled: true, priority: 'Notice' }];

function report(lines: string[]): string {
  const s = createAlertsService(new TestHost(), fakeRules(RULES));
  const doc = alertDoc('mixed.json', `${lines.join('\n')}\n`);
  s.didOpenOrChange?.(doc);
  return s.report(doc, doc.uri);
}

test('alerts of one rule name with another source than the loaded rule get their own section, with the note', () => {
  for (const lines of [[alert('syscall', 10), alert('k8s_audit', 11)], [alert('k8s_audit', 10), alert('syscall', 11)]]) {
    const text = report(lines);
    const sections = text.split(/^## \d+\. /m).slice(1);
    assert.equal(sections.length, 2, text);
    const own = sections.find((s) => s.startsWith('Backup tool reads keys\n'));
    const other = sections.find((s) => s.startsWith('Backup tool reads keys (source `k8s_audit`)\n'));
    assert.ok(own && other, text);
    assert.match(own, /1 alert \(line \d\)/);
    assert.doesNotMatch(own, /\*\*Another source:\*\*/);
    assert.match(other, /\*\*Another source:\*\* the loaded rule of this name has source `syscall`, this alert `k8s_audit`/);
  }
  // Alerts of the loaded rule's source stay in one section, without the note.
  const same = report([alert('syscall', 10), alert('syscall', 11)]);
  assert.match(same, /^## 1\. Backup tool reads keys$/m);
  assert.match(same, /2 alerts \(lines 1, 2\)/);
  assert.doesNotMatch(same, /^## 2\./m);
});
