// Session 17: an exception keys the alert's process by proc.exepath (the executable's path) rather than proc.name alone
// (a name any program can take: a copied binary, prctl PR_SET_NAME); session 18: with the name beside it (one file can
// be several programs by the name it is started under: alerts-process-key-s18). Where the path is not usable, by the
// name, and the report says why (tuning.ts processKey).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument } from 'yaml';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import * as fs from 'node:fs';
import { TestHost, alertDoc, corpusExists, fakeRules, STABLE_RULES } from '../fixtures/alerts/helpers';

/** A host whose files come from memory first, then from disk (the corpus rules). */
class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}

// A program reading /etc/shadow on the host, started by a service of its own (no broad parent: alerts-leftovers-s7).
const READ = (fields: Record<string, unknown>) => JSON.stringify({
  hostname: 'db-1', output: '03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow',
  output_fields: { 'container.id': 'host', 'evt.time': 1746586801220418777, 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.pname': 'backup-agent', ...fields },
  priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z',
});

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string): CodeAction[] {
  return s.codeActions!(alertDoc('a.json', text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}
const RULES = [{ name: 'Read sensitive file untrusted', source: 'syscall', tags: [], enabled: true }];
const exceptionTitles = (text: string) => actionsOf(createAlertsService(new TestHost(), fakeRules(RULES)), text).map((a) => a.title).filter((t) => t.startsWith('Add exception'));
const report = (text: string) => createAlertsService(new TestHost(), fakeRules(RULES)).report(alertDoc('a.json', text), 'file:///logs/a.json');

test('the process is keyed by its executable path and name when the alert has both; each pair once', () => {
  const titles = exceptionTitles(READ({ 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat' }));
  assert.deepEqual(titles, [
    'Add exception for this executable path + process name + parent, any user (/usr/bin/cat, cat, backup-agent) to falco_rules.local.yaml',
    'Add exception for this file + executable path + process name, any user (/etc/shadow, /usr/bin/cat, cat) to falco_rules.local.yaml',
  ]);
  const text = report(READ({ 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat' }));
  assert.match(text, /fields: \[proc\.exepath, proc\.name, proc\.pname\]/);
  assert.match(text, /# Keyed by proc\.exepath and proc\.name: /);
  assert.match(text, /The process is keyed by `proc\.exepath` and `proc\.name`: the path of its executable/);
  // The comm is cut at 15 bytes (TASK_COMM_LEN): a longer file name still is the process's.
  assert.ok(exceptionTitles(READ({ 'proc.name': 'kube-controller', 'proc.exepath': '/usr/local/bin/kube-controller-manager' }))
    .some((t) => t.startsWith('Add exception for this executable path + process name + parent, any user (/usr/local/bin/kube-controller-manager, kube-controller, backup-agent)')));
  assert.doesNotMatch(report(READ({ 'proc.name': 'kube-controller', 'proc.exepath': '/usr/local/bin/kube-controller-manager' })), /the name is not the file's/);
});

test('a memfd, a deleted file, a relative path or no path at all: the process is keyed by proc.name, and the report says why', () => {
  for (const exepath of ['/memfd:payload', '/memfd:payload (deleted)', '/usr/bin/cat (deleted)', 'cat']) {
    const titles = exceptionTitles(READ({ 'proc.name': 'cat', 'proc.exepath': exepath }));
    assert.ok(titles.includes('Add exception for this process + parent, any user (cat, backup-agent) to falco_rules.local.yaml'), `${exepath}\n${titles.join('\n')}`);
    assert.ok(!titles.some((t) => t.includes('executable path')), titles.join('\n'));
    assert.ok(report(READ({ 'proc.name': 'cat', 'proc.exepath': exepath })).includes('is not the path of a file only this program has'), exepath);
  }
  for (const fields of [{ 'proc.name': 'cat' }, { 'proc.name': 'cat', 'proc.exepath': '<NA>' }]) {
    assert.ok(exceptionTitles(READ(fields)).includes('Add exception for this process + parent, any user (cat, backup-agent) to falco_rules.local.yaml'));
    assert.match(report(READ(fields)), /the alert has no `proc\.exepath` \(add it to the rule's output/);
  }
  // Without proc.name, the path alone still keys the pair, and the report says what it covers.
  assert.match(report(READ({ 'proc.exepath': '/usr/bin/cat' })), /any program can take any process name, only one placed at that path runs from it\. The alert has no `proc\.name`, so the exception covers that file under any name/);
  assert.deepEqual(exceptionTitles(READ({ 'proc.exepath': '/usr/bin/cat' })), [
    'Add exception for this executable path + parent, any user (/usr/bin/cat, backup-agent) to falco_rules.local.yaml',
    'Add exception for this file + executable path, any user (/etc/shadow, /usr/bin/cat) to falco_rules.local.yaml',
  ]);
});

test('keyed by the path in a container: the exception written is checked by the rules service at 0.37 and 0.44 without a warning', { skip: !corpusExists && 'corpus absent' }, () => {
  for (const falcoVersion of ['0.37', '0.44']) checkAt(falcoVersion);
});

function checkAt(falcoVersion: string): void {
  const host = new DiskHost();
  host.config = { ...host.config, falcoVersion, rules: { ...host.config.rules, files: [STABLE_RULES] } };
  const rules = createRulesService(host);
  const s = createAlertsService(host, rules);
  const shell = JSON.stringify({
    hostname: 'worker-2', output: '10:15:30.123456789: Notice A shell was spawned in a container with an attached terminal | process=bash parent=runc',
    output_fields: { 'container.id': '3f2a9c1d7e4b', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772619330123456789, 'evt.type': 'execve',
      'proc.cmdline': 'bash', 'proc.exepath': '/usr/bin/bash', 'proc.name': 'bash', 'proc.pname': 'runc', 'proc.tty': 34816 },
    priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', tags: [], time: '2026-03-04T10:15:30.123456789Z',
  });
  const add = actionsOf(s, shell).filter((a) => a.title.startsWith('Add exception'));
  assert.deepEqual(add.map((a) => a.title), ['Add exception for this executable path + process name + container image (/usr/bin/bash, bash, docker.io/library/nginx) to falco_rules.local.yaml']);
  const change = add[0].edit!.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  const text = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, ''), change.edits as { range: never; newText: string }[]);
  assert.deepEqual(parseDocument(text).toJSON()[0].exceptions, [{ name: 'falco_lens_proc_exepath_and_proc_name_and_container_image_repository',
    fields: ['proc.exepath', 'proc.name', 'container.image.repository'], comps: ['=', '=', '='], values: [['/usr/bin/bash', 'bash', 'docker.io/library/nginx']] }]);
  const LOCAL = '/work/ws/falco_rules.local.yaml';
  const problems = rules.validateText(pathToUri(LOCAL), text).filter((d) => (d.severity ?? DiagnosticSeverity.Error) <= DiagnosticSeverity.Warning);
  assert.deepEqual(problems.map((d) => d.message), [], falcoVersion);
}
