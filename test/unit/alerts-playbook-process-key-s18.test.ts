// Playbook tuning snippets key a process as the alert quick fixes do (alerts-exepath-key-s17): an exception on
// proc.exepath also names proc.name, since one file can be several programs by the name it is started under: an
// exception on /bin/busybox alone for a busybox nc would allow busybox's sh, wget and every other applet as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { PLAYBOOKS } from '../../server/src/knowledge/playbooks';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

test('every playbook exception on proc.exepath also names proc.name, right after it, with its placeholder and =', () => {
  let keyed = 0;
  for (const p of PLAYBOOKS) {
    const items = parseDocument(p.tuning.yaml).toJS() as { exceptions?: { fields: string[]; values: string[][]; comps?: string[] }[] }[];
    for (const e of items.flatMap((i) => i.exceptions ?? [])) {
      const at = e.fields.indexOf('proc.exepath');
      if (at < 0) continue;
      keyed++;
      assert.equal(e.fields[at + 1], 'proc.name', `${p.rule}: ${e.fields.join(', ')}`);
      for (const row of e.values) assert.equal(row[at + 1], '<proc.name>', `${p.rule}: ${row.join(', ')}`);
      if (e.comps) assert.deepEqual([e.comps.length, e.comps[at + 1]], [e.fields.length, '='], p.rule);
    }
  }
  assert.ok(keyed >= 30, `${keyed} exceptions on proc.exepath`);
});

const RULE = 'Launch Suspicious Network Tool in Container';
/** busybox's nc in an alpine container, started by a shell; `fields` replaces output fields. */
const NC = (fields: Record<string, unknown> = {}) => JSON.stringify({
  hostname: 'node-1', output: '09:12:44.100000000: Notice Network tool launched in container | evt_type=execve user=root process=nc proc_exepath=/bin/busybox parent=probe.sh',
  output_fields: {
    'container.id': '3ad7b26ded6d', 'container.image.repository': 'docker.io/library/alpine', 'evt.type': 'execve', 'proc.cmdline': 'nc -z db 5432',
    'proc.exepath': '/bin/busybox', 'proc.name': 'nc', 'proc.pname': 'probe.sh', 'user.name': 'root', ...fields,
  },
  priority: 'Notice', rule: RULE, source: 'syscall', tags: [], time: '2026-03-02T09:12:44.100000000Z',
});
const report = (text: string) => createAlertsService(new TestHost(), fakeRules([{ name: RULE, source: 'syscall', tags: [], enabled: true }]))
  .report(alertDoc('a.json', text), 'file:///logs/a.json');

test('the filled snippet of a busybox applet allows that applet of that file, not every applet of busybox', () => {
  const text = report(NC());
  assert.match(text, /fields: \[container\.image\.repository, proc\.exepath, proc\.name, proc\.pname\]\n\s+values:\n\s+- \[\s*"?docker\.io\/library\/alpine"?, "?\/bin\/busybox"?, "?nc"?, "?probe\.sh"?\s*\]/);
});

test('an alert without proc.name leaves the name for the user to fill in, not the path alone', () => {
  const text = report(NC({ 'proc.name': null }));
  assert.match(text, /fields: \[container\.image\.repository, proc\.exepath, proc\.name, proc\.pname\]\n\s+values:\n\s+- \[[^\]\n]*\/bin\/busybox"?, <proc\.name>, /);
  assert.match(text, /fill in[^\n]*proc\.name/i);
});
