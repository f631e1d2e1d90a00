// Session 18: a process started through a link of another name, a busybox applet, a script. proc.exepath is the file
// the kernel runs (links resolved: /bin/busybox for every applet, /usr/bin/python3.11 for python3, the interpreter for
// a script) and proc.name the name it was started by (the comm: the link's own name). An exception keyed by the path
// alone would cover every program of that file (busybox's sh with its wget, kmod's insmod with lsmod); by the name
// alone, any program anywhere that takes the name. The quick fixes key the process by both (tuning.ts processKey).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { parseDocument } from 'yaml';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';
import { openAt, workspace } from './rules-nav-helpers';

const READ = (fields: Record<string, unknown>) => JSON.stringify({
  hostname: 'db-1', output: '03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow',
  output_fields: { 'container.id': 'host', 'evt.time': 1746586801220418777, 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.pname': 'backup-agent', ...fields },
  priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z',
});
const RULES = [{ name: 'Read sensitive file untrusted', source: 'syscall', tags: [], enabled: true }];
const service = () => createAlertsService(new TestHost(), fakeRules(RULES));
const actionsOf = (text: string): CodeAction[] =>
  service().codeActions!(alertDoc('a.json', text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] })
    .filter((a) => a.title.startsWith('Add exception'));
const report = (text: string) => service().report(alertDoc('a.json', text), 'file:///logs/a.json');
/** The exceptions an action writes: fields and their one row of values. */
function written(a: CodeAction): { fields: string[]; values: string[] } {
  const change = a.edit!.documentChanges!.find((c) => 'edits' in c) as { edits: { newText: string }[] };
  const ex = parseDocument(change.edits.map((e) => e.newText).join('')).toJSON()[0].exceptions[0];
  return { fields: ex.fields, values: ex.values[0] };
}

test('a link of another name, a busybox applet, kmod\'s insmod, a script: the path with the name, never the path alone', () => {
  for (const [name, exepath] of [['python3', '/usr/bin/python3.11'], ['wget', '/bin/busybox'], ['insmod', '/usr/bin/kmod'], ['collect.sh', '/usr/bin/bash']]) {
    const actions = actionsOf(READ({ 'proc.name': name, 'proc.exepath': exepath }));
    assert.deepEqual(actions.map((a) => a.title), [
      `Add exception for this executable path + process name + parent, any user (${exepath}, ${name}, backup-agent) to falco_rules.local.yaml`,
      `Add exception for this file + executable path + process name, any user (/etc/shadow, ${exepath}, ${name}) to falco_rules.local.yaml`,
    ], name);
    assert.deepEqual(written(actions[0]), { fields: ['proc.exepath', 'proc.name', 'proc.pname'], values: [exepath, name, 'backup-agent'] });
    assert.deepEqual(written(actions[1]), { fields: ['fd.name', 'proc.exepath', 'proc.name'], values: ['/etc/shadow', exepath, name] });
    const text = report(READ({ 'proc.name': name, 'proc.exepath': exepath }));
    assert.ok(text.includes(`Here the name is not the file's: \`${name}\` runs \`${exepath}\`, started through a link of another name, as a script that this interpreter runs`), text);
    assert.match(text, /# Keyed by proc\.exepath and proc\.name: /);
  }
});

test('busybox started by its own name, and an ordinary program: the name stays beside the path (the path alone would cover every applet)', () => {
  for (const [name, exepath] of [['busybox', '/bin/busybox'], ['kmod', '/usr/bin/kmod'], ['cat', '/usr/bin/cat']]) {
    const actions = actionsOf(READ({ 'proc.name': name, 'proc.exepath': exepath }));
    assert.ok(actions.length > 0, name);
    for (const a of actions) {
      const { fields } = written(a);
      assert.ok(!fields.includes('proc.exepath') || fields.includes('proc.name'), `${a.title}: the path without the name`);
    }
    const text = report(READ({ 'proc.name': name, 'proc.exepath': exepath }));
    assert.match(text, /since one file can be several programs by the name it is started under \(busybox's applets, kmod's insmod and rmmod\): the path alone would cover them all\./);
    assert.doesNotMatch(text, /the name is not the file's/);
  }
});

test('proc.exepath in a container is said to be the path inside the container; on the host nothing is said of it', () => {
  const inContainer = READ({ 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat', 'container.id': '3f2a9c1d7e4b', 'container.image.repository': 'docker.io/library/nginx' });
  assert.match(report(inContainer), /In a container `proc\.exepath` is the path inside the container \(the drivers resolve it from the root of the process's mount namespace, not the host's path to the image's files\), so the same path in another image is another file\./);
  assert.doesNotMatch(report(READ({ 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat' })), /In a container `proc\.exepath`/);
});

test('a name Falco would splice into the condition is written in its quotes, with the path (never the path alone)', () => {
  // Session 19: written quoted (tuning.ts exceptionValueText), where no exception on the process was offered.
  const actions = actionsOf(READ({ 'proc.name': 'a,b', 'proc.exepath': '/bin/busybox' })).filter((a) => a.edit && written(a).fields.includes('proc.exepath'));
  assert.ok(actions.length > 0);
  for (const a of actions) {
    const { fields, values } = written(a);
    assert.equal(values[fields.indexOf('proc.exepath')], '/bin/busybox', a.title);
    assert.equal(values[fields.indexOf('proc.name')], '"a,b"', a.title);
  }
});

// Item 2: proc.exepath of a process in a container. The drivers resolve exe_file from the root of the process's mount
// namespace (kernel module: d_path, ppm_fillers.c:1292; eBPF: auxmap__store_d_path_approx climbs the mounts up to the
// namespace's root mount, auxmap_store_params.h:2153, libs 0.25.2), and /proc/PID/exe gives the path in the process's
// own mount tree (scap_procs.c:938-972): the path inside the container, never the host's path to the image's files.
const hoverOn = (text: string, needle: string): string => {
  const hover = service().hover!(alertDoc('a.json', text), { line: 0, character: text.indexOf(needle) + 1 });
  return ((hover?.contents as { value: string } | undefined)?.value ?? '').replace(/\\(.)/g, '$1');
};

test('the hover of proc.exepath says the path is the one inside the container, for a process in one', () => {
  const container = READ({ 'proc.name': 'cat', 'proc.exepath': '/usr/local/bin/cat', 'container.id': '3f2a9c1d7e4b' });
  const inside = hoverOn(container, '/usr/local/bin/cat');
  assert.match(inside, /symbolic links resolved \(busybox for its applets, a script's interpreter\), as its mount namespace sees it\./);
  assert.match(inside, /The process runs in container `3f2a9c1d7e4b`: this is the path inside the container \(the drivers resolve it from the root of the process's mount namespace\), so look for the file in the container, not at this path on the host\./);
  const onHost = hoverOn(READ({ 'proc.name': 'cat', 'proc.exepath': '/usr/local/bin/cat' }), '/usr/local/bin/cat');
  assert.match(onHost, /Value: `\/usr\/local\/bin\/cat`/);
  assert.doesNotMatch(onHost, /The process runs in container/);
});

test('the rules hover of proc.exepath says where the path is read from for a process in a container', () => {
  const { service: rules } = workspace({});
  const { doc, position } = openAt(rules, '/ws/rules.yaml', '- macro: m\n  condition: proc.exe<|>path = /usr/bin/cat\n');
  const value = ((rules.hover!(doc, position)?.contents as { value: string } | undefined)?.value ?? '').replace(/\\(.)/g, '$1');
  assert.match(value, /as its mount namespace sees it\./);
  assert.match(value, /For a process in a container, the path inside the container \(the drivers resolve it from the root of the process's mount namespace\), not the host's path to the image's files\./);
});
