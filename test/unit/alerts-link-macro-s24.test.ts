// Session 24: the link exception keys on the link arguments the rule's condition tests (session 23, 71af9aa), but read
// only the condition's own text: a field tested in a macro the rule uses was not seen, so a rule testing the target in
// a macro got an exception on where the link is, which its condition does not test. The rules service now gives the
// fields a rule tests through its macros (RuleSummary.testedFields, from the loaded definitions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { TestHost, alertDoc } from '../fixtures/alerts/helpers';

const RULES = '/work/ws/link_rules.yaml';
const LOCAL = '/work/ws/falco_rules.local.yaml';

function apply(text: string, edit: WorkspaceEdit): string {
  const change = edit.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), change.edits as { range: never; newText: string }[]);
}

/** The alerts service over a rules service loading `rules` (a rules file of one's own). */
function services(rules: string) {
  const host = new TestHost();
  host.files.set(RULES, rules);
  host.config = { ...host.config, rules: { ...host.config.rules, files: [RULES] } };
  const rulesService = createRulesService(host);
  return { host, rules: rulesService, alerts: createAlertsService(host, rulesService) };
}

const linkTitles = (actions: CodeAction[]) => actions.filter((a) => a.title.startsWith('Add exception for this link') && a.edit).map((a) => a.title);

function alert(fields: Record<string, unknown>): string {
  return JSON.stringify({
    hostname: 'build-01', output: '10:20:30.123456789: Warning Link placed in /etc', priority: 'Warning', rule: 'Link placed in etc', source: 'syscall', tags: [],
    output_fields: { 'evt.time': 1746613230123456789, 'evt.type': 'symlinkat', 'proc.name': 'ln', ...fields }, time: '2025-05-07T10:20:30.123456789Z',
  });
}

const rulesFile = (macro: string) => [
  '- macro: link_into_etc', `  condition: ${macro}`, '- macro: link_event', '  condition: (evt.type in (symlink, symlinkat) and link_into_etc)',
  '- rule: Link placed in etc', '  desc: a link created under /etc', '  condition: link_event',
  '  output: Link placed in /etc (linkpath=%evt.arg.linkpath process=%proc.name)', '  priority: WARNING', '',
].join('\n');

test('a link field tested only in a macro (of a macro) is what the exception keys on; one the alert lacks offers none', () => {
  // The macro tests the target: the alert prints only where the link is, so no exception is on what the rule tests.
  const onTarget = services(rulesFile('evt.arg.target startswith /etc/'));
  const line = `${alert({ 'evt.arg.linkpath': '/tmp/s' })}\n`;
  const actions = onTarget.alerts.codeActions!(alertDoc('t.json', line), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.deepEqual(linkTitles(actions), [], actions.map((a) => a.title).join('\n'));

  // The macro tests where the link is: keyed on it (with the target the alert has), written and loaded clean, once.
  const onPath = services(rulesFile('evt.arg.linkpath startswith /etc/'));
  const both = `${alert({ 'evt.arg.linkpath': '/etc/cron.d/x', 'evt.arg.target': '/tmp/job' })}\n`;
  const offered = onPath.alerts.codeActions!(alertDoc('p.json', both), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.deepEqual(linkTitles(offered), ['Add exception for this link target + link path + process, any user (/tmp/job, /etc/cron.d/x, ln) to falco_rules.local.yaml']);
  const text = apply('', offered.find((a) => a.title.startsWith('Add exception for this link'))!.edit!);
  assert.deepEqual((parseDocument(text).toJSON() as { exceptions: { fields: string[] }[] }[])[0].exceptions[0].fields, ['evt.arg.target', 'evt.arg.linkpath', 'proc.name']);
  assert.deepEqual(onPath.rules.validateText(pathToUri(LOCAL), text).filter((d) => (d.severity ?? DiagnosticSeverity.Error) <= DiagnosticSeverity.Warning).map((d) => d.message), []);
  onPath.host.files.set(LOCAL, text);
  const again = onPath.alerts.codeActions!(alertDoc('p.json', both), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.deepEqual(linkTitles(again), []);
});

test('testedFields: the rule\'s own fields and those of the macros it reaches, a macro cycle read once', () => {
  const { rules } = services([
    '- macro: a', '  condition: (evt.arg.linkpath startswith /etc/ and b)', '- macro: b', '  condition: (proc.name = ln or a)',
    '- rule: R', '  desc: d', '  condition: evt.type = symlinkat and a', '  output: o', '  priority: WARNING', '',
  ].join('\n'));
  assert.deepEqual([...rules.findRule('R')!.testedFields!()].sort(), ['evt.arg.linkpath', 'evt.type', 'proc.name']);
});
