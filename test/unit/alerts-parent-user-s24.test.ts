// Session 24: the exceptions keyed by a program and its parent (process + parent, executable path + parent), by the
// program and its shell's command line, or by the command line and its parent, covered whoever ran it: `cron → bash` as
// root silenced the same pair of every user's crontab. The alert's user comes first (user.name, else user.uid when the
// alert has no name for it, and user.loginuid), the shape without it second, titled "any user"; with no user in the
// alert, only that one. The exceptions written load at every target release and are not offered again once written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { FALCO_TARGETS } from '../../server/src/knowledge/falcoVersions';
import { STABLE_RULES, TestHost, alertDoc, corpusExists, fakeRules } from '../fixtures/alerts/helpers';

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}

const LOCAL = '/work/ws/falco_rules.local.yaml';

function apply(text: string, edit: WorkspaceEdit): string {
  const change = edit.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), change.edits as { range: never; newText: string }[]);
}

function actionsOf(s: ReturnType<typeof createAlertsService>, text: string, name: string): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}
const exceptionTitles = (actions: CodeAction[]) => actions.filter((a) => a.title.startsWith('Add exception') && a.edit).map((a) => a.title);

/** A Falco 0.44 JSON alert of Read sensitive file untrusted on the host, `fields` added (null: Falco's `<NA>`). */
function read(fields: Record<string, unknown>): string {
  const all: Record<string, unknown> = { 'container.id': 'host', 'evt.time': 1746586801220418777, 'evt.type': 'openat', 'fd.name': '/etc/shadow', ...fields };
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({
    hostname: 'db-1', output: '03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow', output_fields: sorted,
    priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z',
  });
}

const CRON_JOB = { 'proc.name': 'tar', 'proc.exepath': '/usr/bin/tar', 'proc.cmdline': 'tar czf /backup/etc.tgz /etc', 'proc.pname': 'cron', 'user.name': 'root', 'user.uid': 0, 'user.loginuid': 0 };

test('command line + parent under cron: the alert\'s user first, then any user; written, it loads at every target and is not offered again', { skip: !corpusExists && 'corpus absent' }, () => {
  for (const falcoVersion of FALCO_TARGETS) {
    const host = new DiskHost();
    host.config = { ...host.config, falcoVersion, rules: { ...host.config.rules, files: [STABLE_RULES] } };
    const rules = createRulesService(host);
    const s = createAlertsService(host, rules);
    const alert = `${read(CRON_JOB)}\n`;
    const titles = exceptionTitles(actionsOf(s, alert, 'cron.json')).filter((t) => t.includes('command line + parent'));
    assert.deepEqual(titles, [
      'Add exception for this command line + parent + user (tar czf /backup/etc.tgz /etc, cron, root, 0) to falco_rules.local.yaml',
      'Add exception for this command line + parent, any user (tar czf /backup/etc.tgz /etc, cron) to falco_rules.local.yaml',
    ], falcoVersion);
    // A real local rules file with an item of its own: the exception goes after it, and the file loads clean.
    const before = '# Site rules\n- macro: site_backup_hosts\n  condition: (evt.hostname = db-1)\n';
    host.files.set(LOCAL, before);
    const byUser = actionsOf(s, alert, 'cron.json').find((a) => a.title === titles[0])!;
    const once = apply(before, byUser.edit!);
    assert.ok(once.startsWith(before), 'the file\'s own text is kept');
    const item = (parseDocument(once).toJSON() as { exceptions?: unknown[] }[]).find((i) => i.exceptions)!;
    assert.deepEqual(item.exceptions, [{
      name: 'falco_lens_proc_cmdline_and_proc_pname_and_user_name_and_user_loginuid', fields: ['proc.cmdline', 'proc.pname', 'user.name', 'user.loginuid'],
      comps: ['=', '=', '=', '='], values: [['tar czf /backup/etc.tgz /etc', 'cron', 'root', '0']],
    }]);
    const problems = rules.validateText(pathToUri(LOCAL), once).filter((d) => (d.severity ?? DiagnosticSeverity.Error) <= DiagnosticSeverity.Warning);
    assert.deepEqual(problems.map((d) => d.message), [], falcoVersion);
    // Written: not offered again; the broader one still is, and goes into the same item.
    host.files.set(LOCAL, once);
    const again = exceptionTitles(actionsOf(s, alert, 'cron.json'));
    assert.ok(!again.includes(titles[0]), again.join('\n'));
    assert.ok(again.includes(titles[1]), again.join('\n'));
  }
});

test('process + parent: keyed by the uid where the alert has no user name, by nothing it lacks; the report names the quick fix without the user', () => {
  const s = createAlertsService(new TestHost(), fakeRules([{ name: 'Read sensitive file untrusted', source: 'syscall', tags: [], enabled: true }]));
  const agent = { 'proc.name': 'cat', 'proc.pname': 'backup-agent' };
  // A container-style arbitrary uid with no passwd entry: Falco prints user.name <NA> (null in JSON).
  const noName = exceptionTitles(actionsOf(s, read({ ...agent, 'user.name': null, 'user.uid': 1000680000, 'user.loginuid': -1 }), 'uid.json'));
  assert.ok(noName.includes('Add exception for this process + parent + user (cat, backup-agent, 1000680000, -1) to falco_rules.local.yaml'), noName.join('\n'));
  const written = actionsOf(s, read({ ...agent, 'user.name': null, 'user.uid': 1000680000, 'user.loginuid': -1 }), 'uid.json').find((a) => a.title.startsWith('Add exception for this process + parent + user'))!;
  assert.deepEqual((parseDocument(apply('', written.edit!)).toJSON() as { exceptions: { fields: string[] }[] }[])[0].exceptions[0].fields, ['proc.name', 'proc.pname', 'user.uid', 'user.loginuid']);
  // Only the login uid: keyed by it alone.
  assert.ok(exceptionTitles(actionsOf(s, read({ ...agent, 'user.loginuid': 1000 }), 'login.json')).includes('Add exception for this process + parent + user (cat, backup-agent, 1000) to falco_rules.local.yaml'));
  // No user in the alert: no user is made up, the pair alone is offered, titled so.
  const none = exceptionTitles(actionsOf(s, read(agent), 'none.json'));
  assert.ok(!none.some((t) => t.includes('+ user')), none.join('\n'));
  assert.ok(none.includes('Add exception for this process + parent, any user (cat, backup-agent) to falco_rules.local.yaml'), none.join('\n'));
  const report = s.report(read({ ...agent, 'user.name': 'backup', 'user.uid': 34, 'user.loginuid': -1 }), 'file:///logs/agent.json');
  assert.match(report, /An exception on this alert's values \(process \\\+ parent \\\+ user\)/);
  assert.match(report, /fields: \[proc\.name, proc\.pname, user\.name, user\.loginuid\]/);
  assert.match(report, /It is keyed by the user too \(`user\.name`: the user the process runs as; `user\.loginuid`: the login user, kept across su and sudo\)\. The quick fix "process \\\+ parent, any user" leaves the user out/);
});
