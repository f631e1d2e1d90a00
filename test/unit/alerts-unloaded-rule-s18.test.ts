// Session 18: tuning a rule Falco Lens has not loaded. Falco 0.37 to 0.44 refuse an override of a rule no earlier rules
// file defines: a LOAD_ERR_VALIDATE error ("Rule uses 'append' or 'override.<key>: append' but no rule by that name
// already exists", rule_loader_collector.cpp:243 at 0.37.0, :230 at 0.44.1; "An 'override.<key>: replace' ..." for
// enabled: replace, :326/:300), the reading of the file stops there and Falco does not start (load_rules_files.cpp:75-127);
// a hot reload keeps the running rules and alerts "Falco internal: hot restart failure" (create_signal_handlers.cpp).
// The titles, the YAML comment and the report say so, no longer only "check the name".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

const ALERT = (rule: string) => JSON.stringify({
  hostname: 'db-1', output: '03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow',
  output_fields: { 'container.id': 'host', 'evt.time': 1746586801220418777, 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.pname': 'backup-agent', 'proc.name': 'cat', 'proc.exepath': '/usr/bin/cat' },
  priority: 'Warning', rule, source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z',
});
const tuning = (text: string): CodeAction[] => createAlertsService(new TestHost(), fakeRules([]))
  .codeActions!(alertDoc('a.json', text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] })
  .filter((a) => a.title.startsWith('Add exception') || a.title.startsWith('Disable rule'));
function applied(a: CodeAction): string {
  const change = a.edit!.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, ''), change.edits as { range: never; newText: string }[]);
}

test('an unloaded official rule: each title says Falco will not start unless an earlier file defines it, and names that file', () => {
  const actions = tuning(ALERT('Read sensitive file untrusted'));
  assert.ok(actions.length >= 2);
  for (const a of actions) assert.ok(a.title.endsWith('rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official falco_rules.yaml does)'), a.title);
  assert.match(applied(actions[0]), /^# Falco Lens did not find this rule in the loaded rules files; Falco's official falco_rules\.yaml defines a rule of this name\. Falco refuses to start on it unless a rules file it loads before this one defines the rule \("\.\.\. but no rule by that name already exists"\); a hot reload keeps the running rules and alerts "Falco internal: hot restart failure"\.$/m);
});

test('an unloaded custom rule: the same, without an official file; the report quotes both of Falco\'s errors', () => {
  const actions = tuning(ALERT('Shadow read by backup agent'));
  for (const a of actions) assert.ok(a.title.endsWith('rule not loaded, not an official rule: Falco will not start unless a file it loads earlier defines it)'), a.title);
  const report = createAlertsService(new TestHost(), fakeRules([])).report(alertDoc('a.json', ALERT('Shadow read by backup agent')), 'file:///logs/a.json');
  assert.ok(report.includes("`Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists` (an exception)"), report);
  assert.ok(report.includes("`An 'override.<key>: replace' to a rule was requested but no rule by that name already exists` (a disable)"), report);
  assert.ok(report.includes('and does not start; a hot reload (`watch_config_files`, SIGHUP) keeps the rules it runs and sends the alert `Falco internal: hot restart failure`.'), report);
});

test('the item written for an unloaded rule is an error in the local rules file as soon as it is there, as Falco refuses it', () => {
  const host = new TestHost();
  const rules = createRulesService(host);
  for (const a of tuning(ALERT('Shadow read by backup agent'))) {
    const found = rules.validateText(pathToUri('/work/ws/falco_rules.local.yaml'), applied(a)).map((d) => d.code);
    assert.ok(found.includes('no-previous-definition'), `${a.title}: ${found.join(', ')}`);
  }
});
