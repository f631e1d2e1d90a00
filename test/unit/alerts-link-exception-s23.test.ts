// Session 23: the link exception. Falco appends an exception to the rule's condition as `and not (f1 = v1 and …)`. The
// link exception was always `evt.arg.target` + process: it left out where the link is (`evt.arg.linkpath`: every link
// to that file the program makes, anywhere, was silenced), and it was never offered for a hard link, whose event has
// no `target` (link/linkat: `oldpath`, `newpath`; libs event table). The official rules test the file linked to
// (falco_rules.yaml: Create Symlink Over Sensitive Files `evt.arg.target in (sensitive_file_names)`, Create Hardlink
// Over Sensitive Files `evt.arg.oldpath in (sensitive_file_names)`); a rule of one's own may test where the link is.
// The exception now keys on the link arguments the rule's condition tests, with the link's other path when the alert
// has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import type { RuleSummary } from '../../server/src/service/features';
import { STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules, ruleSummaries } from '../fixtures/alerts/helpers';

const LOCAL = '/work/ws/falco_rules.local.yaml';
const noCorpus = !corpusExists && 'corpus absent';

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}

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

test('a symbolic link: the target the rule tests, where the link is, and the program', { skip: noCorpus }, () => {
  const host = new DiskHost();
  host.config = { ...host.config, rules: { ...host.config.rules, files: [STABLE_RULES] } };
  const rules = createRulesService(host);
  const s = createAlertsService(host, rules);
  const line = alert('Create Symlink Over Sensitive Files', 'Symlinks created over sensitive files | target=/etc/shadow linkpath=/tmp/s',
    { 'evt.arg.target': '/etc/shadow', 'evt.arg.linkpath': '/tmp/s', 'evt.type': 'symlinkat', ...PROCESS });
  const link = actionsOf(s, `${line}\n`, 'symlink.json').find((a) => a.title.startsWith('Add exception for this link'))!;
  // The alert's user first (session 24), then the link without it, titled so.
  assert.equal(link.title, 'Add exception for this link target + link path + executable path + process name + user (/etc/shadow, /tmp/s, /usr/bin/ln, ln, root, 1000) to falco_rules.local.yaml');
  assert.deepEqual(written(link), {
    fields: ['evt.arg.target', 'evt.arg.linkpath', 'proc.exepath', 'proc.name', 'user.name', 'user.loginuid'], values: ['/etc/shadow', '/tmp/s', '/usr/bin/ln', 'ln', 'root', '1000'],
  });
  assert.ok(exceptionTitles(actionsOf(s, `${line}\n`, 'symlink.json')).includes('Add exception for this link target + link path + executable path + process name, any user (/etc/shadow, /tmp/s, /usr/bin/ln, ln) to falco_rules.local.yaml'));
  const text = apply('', link.edit!);
  assert.deepEqual(rules.validateText(pathToUri(LOCAL), text).filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.message), []);
});

test('a hard link: the file the rule tests (evt.arg.oldpath) and the new link\'s path, from JSON and from text', { skip: noCorpus }, () => {
  const s = createAlertsService(new TestHost(), fakeRules(ruleSummaries(STABLE_RULES)));
  const json = alert('Create Hardlink Over Sensitive Files', 'Hardlinks created over sensitive files | target=/etc/shadow linkpath=/tmp/h',
    { 'evt.arg.oldpath': '/etc/shadow', 'evt.arg.newpath': '/tmp/h', 'evt.type': 'linkat', ...PROCESS });
  const fromJson = actionsOf(s, `${json}\n`, 'hardlink.json').find((a) => a.title.startsWith('Add exception for this linked file'));
  assert.ok(fromJson, exceptionTitles(actionsOf(s, `${json}\n`, 'hardlink.json')).join('\n'));
  assert.equal(fromJson.title, 'Add exception for this linked file + new link path + executable path + process name + user (/etc/shadow, /tmp/h, /usr/bin/ln, ln, root, 1000) to falco_rules.local.yaml');
  assert.deepEqual(written(fromJson), {
    fields: ['evt.arg.oldpath', 'evt.arg.newpath', 'proc.exepath', 'proc.name', 'user.name', 'user.loginuid'], values: ['/etc/shadow', '/tmp/h', '/usr/bin/ln', 'ln', 'root', '1000'],
  });
  // The text alert's `target=` and `linkpath=` are the template's %evt.arg.oldpath and %evt.arg.newpath.
  const text = '10:20:30.123456789: Warning Hardlinks created over sensitive files | target=/etc/shadow linkpath=/tmp/h evt_type=linkat user=root user_uid=0 '
    + 'user_loginuid=1000 process=ln proc_exepath=/usr/bin/ln parent=make command=ln /etc/shadow /tmp/h terminal=34816';
  const fromText = actionsOf(s, `${text}\n`, 'hardlink.log').find((a) => a.title.startsWith('Add exception for this linked file'));
  assert.ok(fromText, exceptionTitles(actionsOf(s, `${text}\n`, 'hardlink.log')).join('\n'));
  assert.deepEqual(written(fromText), {
    fields: ['evt.arg.oldpath', 'evt.arg.newpath', 'proc.exepath', 'proc.name', 'user.name', 'user.loginuid'], values: ['/etc/shadow', '/tmp/h', '/usr/bin/ln', 'ln', 'root', '1000'],
  });
});

test('a rule of one\'s own that tests where the link is: the exception keys on the link path, and a tested value missing offers none', () => {
  const rule: RuleSummary = {
    name: 'Link placed in etc', source: 'syscall', condition: 'evt.type in (symlink, symlinkat) and evt.arg.linkpath startswith /etc/',
    output: 'Link placed in /etc | linkpath=%evt.arg.linkpath process=%proc.name', priority: 'WARNING', tags: [], enabled: true,
  };
  const s = createAlertsService(new TestHost(), fakeRules([rule]));
  const line = alert(rule.name, 'Link placed in /etc | linkpath=/etc/cron.d/x process=ln', { 'evt.arg.linkpath': '/etc/cron.d/x', 'proc.name': 'ln', 'evt.type': 'symlink' });
  const link = actionsOf(s, `${line}\n`, 'own.json').find((a) => a.title.startsWith('Add exception for this link'))!;
  // No user in the alert: the link alone, which covers any user.
  assert.equal(link.title, 'Add exception for this link path + process, any user (/etc/cron.d/x, ln) to falco_rules.local.yaml');
  assert.deepEqual(written(link), { fields: ['evt.arg.linkpath', 'proc.name'], values: ['/etc/cron.d/x', 'ln'] });
  // The same alert of a rule testing the target, which the alert does not print: no link exception (it would not
  // be on what the rule detects).
  const onTarget = createAlertsService(new TestHost(), fakeRules([{ ...rule, condition: 'evt.type in (symlink, symlinkat) and evt.arg.target = /etc/shadow' }]));
  assert.deepEqual(exceptionTitles(actionsOf(onTarget, `${line}\n`, 'own.json')).filter((t) => t.includes('link')), []);
});
