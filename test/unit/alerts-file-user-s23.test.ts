// Session 23: file + process covers every user who runs that program on that file (a root shell's `cat /etc/shadow` as
// much as the backup's). The alert's user is offered first (user.name and user.loginuid, the login user kept across su
// and sudo); the pair without it says so in its title ("any user"), and the report says what leaving the user out does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type CodeAction, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

const noCorpus = !corpusExists && 'corpus absent';

function apply(text: string, edit: WorkspaceEdit): string {
  const change = edit.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), change.edits as { range: never; newText: string }[]);
}

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

const exceptionTitles = (actions: CodeAction[]) => actions.filter((a) => a.title.startsWith('Add exception') && a.edit).map((a) => a.title);

/** The one exception an action writes into an empty local rules file. */
function written(action: CodeAction): { fields: string[]; values: string[] } {
  const [item] = parseDocument(apply('', action.edit!)).toJSON() as { exceptions: { fields: string[]; values: string[][] }[] }[];
  return { fields: item.exceptions[0].fields, values: item.exceptions[0].values[0] };
}

/** A JSON alert as Falco 0.44 writes it: output_fields sorted by name. */
function alert(rule: string, output: string, fields: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries({ 'evt.time': 1746613230123456789, ...fields }).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ hostname: 'build-01', output: `10:20:30.123456789: Warning ${output}`, output_fields: sorted, priority: 'Warning', rule, source: 'syscall', tags: [], time: '2025-05-07T10:20:30.123456789Z' });
}

const PROCESS = { 'proc.name': 'ln', 'proc.exepath': '/usr/bin/ln', 'proc.pname': 'make', 'proc.cmdline': 'ln -s /etc/shadow /tmp/s', 'user.name': 'root', 'user.uid': 0, 'user.loginuid': 1000 };

test('file + process: the alert\'s user is offered first; without it the title says any user, and the report says what that covers', { skip: noCorpus }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  const line = alert('Read sensitive file untrusted', 'Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat',
    { 'fd.name': '/etc/shadow', 'evt.type': 'openat', 'container.id': 'host', ...PROCESS, 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat', 'proc.cmdline': 'cat /etc/shadow', 'proc.pname': 'sudo' });
  const actions = actionsOf(s, `${line}\n`, 'read.json');
  const files = exceptionTitles(actions).filter((t) => t.includes('file + '));
  assert.deepEqual(files, [
    'Add exception for this file + executable path + process name + user (/etc/shadow, /usr/bin/cat, cat, root, 1000) to falco_rules.local.yaml',
    'Add exception for this file + executable path + process name, any user (/etc/shadow, /usr/bin/cat, cat) to falco_rules.local.yaml',
  ]);
  assert.deepEqual(written(actions.find((a) => a.title === files[0])!), {
    fields: ['fd.name', 'proc.exepath', 'proc.name', 'user.name', 'user.loginuid'], values: ['/etc/shadow', '/usr/bin/cat', 'cat', 'root', '1000'],
  });
  const report = s.report(`${line}\n`, 'file:///logs/read.json');
  assert.match(report, /An exception on this alert's values \(file \\\+ executable path \\\+ process name \\\+ user\)/);
  // The quick fix without the user is named by its title (session 24: it was 'file + process, any user' whatever the key).
  assert.match(report, /It is keyed by the user too \(`user\.name`: the user the process runs as; `user\.loginuid`: the login user, kept across su and sudo\)\. The quick fix "file \\\+ executable path \\\+ process name, any user" leaves the user out: it silences the same values whoever runs the program/);
  // A service's process (no login session, loginuid -1) is keyed by that too: a user's shell does not share it.
  const service = alert('Read sensitive file untrusted', 'Sensitive file opened for reading by non-trusted program | file=/etc/shadow process=cat',
    { 'fd.name': '/etc/shadow', 'evt.type': 'openat', 'container.id': 'host', 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat', 'proc.pname': 'backup-agent', 'user.name': 'root', 'user.loginuid': -1 });
  const byService = actionsOf(s, `${service}\n`, 'service.json').find((a) => a.title.startsWith('Add exception for this file + executable path + process name + user'))!;
  assert.deepEqual(written(byService).values, ['/etc/shadow', '/usr/bin/cat', 'cat', 'root', '-1']);
});
