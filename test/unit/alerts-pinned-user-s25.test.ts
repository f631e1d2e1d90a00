// Session 25: where a rule's condition (through the macros it names) already holds the alert's user at one value
// (`user.name = root`), the exception keyed by the user too and the one for "any user" covered the same alerts and
// were both offered. The user fields the rule requires are left out of the "+ user" exception; where none is left,
// one exception is offered, titled with the user the rule requires. Decided from the parsed condition with its macros
// (RuleSummary.pinnedFields), not from the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pinnedFieldsOf } from '../../server/src/service/rules/conditionChecks';
import { pathToUri } from '../../server/src/service/uri';
import { FALCO_TARGETS } from '../../server/src/knowledge/falcoVersions';
import { STABLE_RULES, TestHost, alertDoc, corpusExists } from '../fixtures/alerts/helpers';

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}

const SITE = '/work/ws/site_rules.yaml';
const LOCAL = '/work/ws/falco_rules.local.yaml';
// open_read is the official rules' macro (falco_rules.yaml); the user is pinned in a macro of the site's own.
const SITE_RULES = `- macro: root_console
  condition: (user.name = root and user.loginuid = 0)
- macro: runs_as_root
  condition: (user.name = "root")
- rule: Shadow read on the root console
  desc: The shadow file read from a root login on the console
  condition: open_read and fd.name = /etc/shadow and root_console
  output: Shadow file read on the root console | file=%fd.name user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline
  priority: WARNING
- rule: Shadow read as root
  desc: The shadow file read by a process running as root
  condition: open_read and fd.name = /etc/shadow and (runs_as_root or (user.name in (root) and proc.name = tar)) and not user.loginuid = 0
  output: Shadow file read as root | file=%fd.name user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline
  priority: WARNING
`;

function alert(rule: string, fields: Record<string, unknown>): string {
  const all: Record<string, unknown> = { 'evt.time': 1746586801220418777, 'fd.name': '/etc/shadow', 'proc.name': 'tar', 'proc.exepath': '/usr/bin/tar',
    'proc.cmdline': 'tar czf /backup/etc.tgz /etc', 'proc.pname': 'cron', 'user.name': 'root', 'user.uid': 0, ...fields };
  return `${JSON.stringify({ hostname: 'db-1', output: `03:00:01.220418777: Warning ${rule}`, output_fields: all, priority: 'Warning', rule, source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z' })}\n`;
}

function apply(text: string, edit: WorkspaceEdit): string {
  const change = edit.documentChanges!.find((c) => 'edits' in c && c.textDocument.uri === pathToUri(LOCAL)) as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), change.edits as { range: never; newText: string }[]);
}
// A document of its own per text (the service keeps a document's views for its version).
let docs = 0;
const actionsOf = (s: ReturnType<typeof createAlertsService>, text: string): CodeAction[] =>
  s.codeActions!(alertDoc(`site-${++docs}.json`, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
const parentTitles = (actions: CodeAction[]) => actions.filter((a) => a.title.startsWith('Add exception for this command line + parent') && a.edit);

test('the fields a condition holds at one value, through its macros: and-terms, the same value on every or-branch, never under not', () => {
  const macros: Record<string, string> = { root: '(user.name = root)', rootish: '(user.uid = 0 or user.name = root)', loop: '(loop and user.uid = 0)', pair: 'user.name in (root)' };
  const pins = (c: string, lists: string[] = []) => Object.fromEntries(pinnedFieldsOf(c, (n) => macros[n], (n) => lists.includes(n)));
  assert.deepEqual(pins('spawned_process and root and proc.name = bash'), { 'user.name': 'root', 'proc.name': 'bash' });
  assert.deepEqual(pins('evt.type = open and ((root and proc.name = a) or (user.name = "root" and proc.name = b))'), { 'evt.type': 'open', 'user.name': 'root' });
  assert.deepEqual(pins('rootish'), {}, 'an or of different fields holds neither');
  assert.deepEqual(pins('not root and proc.name = bash'), { 'proc.name': 'bash' });
  assert.deepEqual(pins('not (user.uid != 0)'), {});
  assert.deepEqual(pins('loop'), { 'user.uid': '0' }, 'a macro naming itself is read once');
  assert.deepEqual(pins('pair'), { 'user.name': 'root' });
  assert.deepEqual(pins('user.name in (admins)', ['admins']), {}, 'a list name is expanded by Falco: not one value');
  assert.deepEqual(pins('user.name in (root, admin)'), {});
  assert.deepEqual(pins('user.name = root and'), {}, 'a condition that does not parse holds nothing');
});

test('a rule that requires the alert\'s user: one exception, titled with that user; a rule that requires part of it: the rest keys the "+ user" one', { skip: !corpusExists && 'corpus absent' }, () => {
  for (const falcoVersion of FALCO_TARGETS) {
    const host = new DiskHost();
    host.config = { ...host.config, falcoVersion, rules: { ...host.config.rules, files: [STABLE_RULES, SITE] } };
    host.files.set(SITE, SITE_RULES);
    host.files.set(LOCAL, '# Site tuning\n');
    const rules = createRulesService(host);
    assert.deepEqual(rules.validateText(pathToUri(SITE), SITE_RULES).filter((d) => (d.severity ?? 1) <= DiagnosticSeverity.Warning).map((d) => d.message), [], falcoVersion);
    const s = createAlertsService(host, rules);

    // user.name and user.loginuid both required (root_console): keyed by them or not, the same alerts.
    const consoleAlert = alert('Shadow read on the root console', { 'user.loginuid': 0 });
    const both = parentTitles(actionsOf(s, consoleAlert));
    assert.deepEqual(both.map((a) => a.title), ['Add exception for this command line + parent, user.name root and user.loginuid 0 as the rule requires (tar czf /backup/etc.tgz /etc, cron) to falco_rules.local.yaml'], falcoVersion);
    const written = apply('# Site tuning\n', both[0].edit!);
    assert.match(written, /fields: \[proc\.cmdline, proc\.pname\]/);
    host.files.set(LOCAL, written);
    assert.deepEqual(rules.validateText(pathToUri(LOCAL), written).filter((d) => (d.severity ?? 1) <= DiagnosticSeverity.Warning).map((d) => d.message), [], falcoVersion);
    assert.deepEqual(parentTitles(actionsOf(s, consoleAlert)), [], `${falcoVersion}: not offered again`);
    host.files.set(LOCAL, '# Site tuning\n');

    // user.name required (runs_as_root, or the same value on the other branch), user.loginuid not: it keys the "+ user" one.
    const asRoot = parentTitles(actionsOf(s, alert('Shadow read as root', { 'user.loginuid': 1000 }))).map((a) => a.title);
    assert.deepEqual(asRoot, [
      'Add exception for this command line + parent + user (tar czf /backup/etc.tgz /etc, cron, 1000) to falco_rules.local.yaml',
      'Add exception for this command line + parent, any user (tar czf /backup/etc.tgz /etc, cron) to falco_rules.local.yaml',
    ], falcoVersion);
    // Another user than the one required (an alert of another version of the rule): nothing is left out.
    const other = parentTitles(actionsOf(s, alert('Shadow read as root', { 'user.name': 'backup', 'user.uid': 34, 'user.loginuid': 1000 }))).map((a) => a.title);
    assert.deepEqual(other, [
      'Add exception for this command line + parent + user (tar czf /backup/etc.tgz /etc, cron, backup, 1000) to falco_rules.local.yaml',
      'Add exception for this command line + parent, any user (tar czf /backup/etc.tgz /etc, cron) to falco_rules.local.yaml',
    ], falcoVersion);
  }
});
