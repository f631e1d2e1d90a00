// Edits of a file other than the one a request was asked in (alert tuning into the local rules file or a Helm
// values file, a rename across rules files) name the version of that file when the editor has it open: taken after
// the user changed the file, the editor refuses the edit instead of inserting it at old offsets inside their text.
// A file that is not open keeps the edit's usual form (`changes`, or a create and a null-versioned edit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { withoutDocumentChanges } from '../../server/src/service/edits';
import { RequestRefused } from '../../server/src/service/features';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, applyEdits } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const RULES = '/ws/rules/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const LOCAL_URI = pathToUri(LOCAL);
const VALUES = '/ws/deploy/values.yaml';
const VALUES_URI = pathToUri(VALUES);
// Tagged as the official rules are, so that a chart's Falco (which falcoctl gives them) has it too.
const KEY_RULES = `${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private')}  tags: [maturity_stable]\n`;
const FILE_FIX = 'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic)';

function setup(files: Record<string, string>) {
  const host = new MemoryHost({ [RULES]: KEY_RULES, ...files }, { folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  /** Opens (or changes) a document in the editor: the host sees it, and the service of its language is told. */
  const open = (path: string, languageId: string, version: number, text: string, tell = true) => {
    const doc = TextDocument.create(pathToUri(path), languageId, version, text);
    host.editor.set(doc.uri, doc);
    if (tell) service.forLanguage(languageId)?.didOpenOrChange?.(doc);
    return doc;
  };
  const tuning = (): CodeAction[] => {
    const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
    service.alerts.didOpenOrChange?.(log);
    return service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  };
  return { host, service, open, tuning };
}

const textEdits = (edit: WorkspaceEdit | undefined): TextDocumentEdit[] => (edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c);
const fix = (actions: CodeAction[], where: string) => {
  const found = actions.find((a) => a.title.startsWith(FILE_FIX) && a.title.endsWith(where));
  assert.ok(found, actions.map((a) => a.title).join('\n'));
  return found;
};

test('tuning into the local rules file open in the editor names its version; closed, it is created if missing, with no version', () => {
  const user = '# Our tuning.\n- list: my_backup_tools\n  items: [restic]\n';
  const { open, tuning } = setup({});
  // Not open and not on disk: created (an existing file left alone), the edit versionless.
  const closed = fix(tuning(), 'to falco_rules.local.yaml').edit!;
  assert.deepEqual(closed.documentChanges?.[0], { kind: 'create', uri: LOCAL_URI, options: { ignoreIfExists: true } });
  assert.deepEqual(textEdits(closed).map((c) => c.textDocument), [{ uri: LOCAL_URI, version: null }]);

  // Open at version 7: no create, the edit names version 7 and lands after the user's text.
  open(LOCAL, 'falco-rules', 7, user);
  const opened = fix(tuning(), 'to falco_rules.local.yaml').edit!;
  assert.equal(opened.changes, undefined);
  assert.deepEqual(opened.documentChanges?.map((c) => ('kind' in c ? c.kind : c.textDocument)), [{ uri: LOCAL_URI, version: 7 }]);
  const applied = applyEdits(user, textEdits(opened)[0].edits as TextEdit[]);
  assert.ok(applied.startsWith(user), applied);
  assert.match(applied.slice(user.length), /^\n- rule: "Backup tool reads keys"\n {2}exceptions:/);

  // The user types a line at the top (version 8): a fresh request names version 8 and is computed from the new text.
  const typed = `# Reviewed by ops.\n${user}`;
  open(LOCAL, 'falco-rules', 8, typed);
  const again = fix(tuning(), 'to falco_rules.local.yaml').edit!;
  assert.deepEqual(textEdits(again).map((c) => c.textDocument), [{ uri: LOCAL_URI, version: 8 }]);
  assert.ok(applyEdits(typed, textEdits(again)[0].edits as TextEdit[]).startsWith(typed));
});

test('a local rules file open as another language: its buffer, not the disk, is what the edit is computed from and versioned for', () => {
  const disk = '# saved\n';
  const buffer = '# saved\n- list: unsaved_tools\n  items: [restic]\n';
  const { open, tuning } = setup({ [LOCAL]: disk });
  // The rules service is not told (a plain YAML document); the editor has it open with unsaved lines.
  open(LOCAL, 'yaml', 3, buffer, false);
  const edit = fix(tuning(), 'to falco_rules.local.yaml').edit!;
  assert.deepEqual(textEdits(edit).map((c) => c.textDocument), [{ uri: LOCAL_URI, version: 3 }]);
  assert.ok(applyEdits(buffer, textEdits(edit)[0].edits as TextEdit[]).startsWith(buffer));
});

/** Values whose customRules entry defines the rule: it is tuned in its own block (TuningTarget.edit, HostMapper). */
const OWN = `customRules:\n  rules-backup.yaml: |-\n${KEY_RULES.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n')}`;
/** Chart 9.x's empty customRules: tuning adds an entry (embedded/chartValues.ts addEntryEdit). */
const EMPTY = 'driver:\n  kind: modern_ebpf\ncustomRules: {}\nfalcosidekick:\n  enabled: true\n';

for (const [shape, values, where] of [
  ['its own customRules entry', OWN, 'deploy/values.yaml, customRules \'rules-backup.yaml\''],
  ['a customRules entry it adds', EMPTY, 'deploy/values.yaml, new customRules entry \'falco-lens-tuning.yaml\''],
] as const) {
  test(`tuning into ${shape} of a Helm values file: the open file's version; closed, the changes form`, () => {
    const closed = setup({ [VALUES]: values });
    const fromDisk = fix(closed.tuning(), `to ${where}`).edit!;
    assert.equal(fromDisk.documentChanges, undefined);
    assert.deepEqual(Object.keys(fromDisk.changes ?? {}), [VALUES_URI]);

    const opened = setup({ [VALUES]: values });
    opened.open(VALUES, 'yaml', 4, values);
    const edit = fix(opened.tuning(), `to ${where}`).edit!;
    assert.equal(edit.changes, undefined);
    assert.deepEqual(textEdits(edit).map((c) => c.textDocument), [{ uri: VALUES_URI, version: 4 }]);
    // The same edits as the closed file's: only the version is new.
    assert.deepEqual(textEdits(edit)[0].edits, fromDisk.changes![VALUES_URI]);
    const [doc] = parseAllDocuments(applyEdits(values, textEdits(edit)[0].edits as TextEdit[]));
    assert.deepEqual(doc.errors, []);

    // Changed in the editor (version 5): the next request names version 5.
    const typed = `# staging\n${values}`;
    opened.open(VALUES, 'yaml', 5, typed);
    const next = fix(opened.tuning(), `to ${where}`).edit!;
    assert.deepEqual(textEdits(next).map((c) => c.textDocument), [{ uri: VALUES_URI, version: 5 }]);
    assert.ok(applyEdits(typed, textEdits(next)[0].edits as TextEdit[]).startsWith('# staging\n'));
  });
}

const A = '/ws/a_rules.yaml';
const B = '/ws/b_rules.yaml';
const A_TEXT = '- macro: backup_tools\n  condition: proc.name in (restic, borg)\n';
const B_TEXT = '- rule: Backup reads keys\n  desc: d\n  condition: open_read and backup_tools\n  output: "k (file=%fd.name)"\n  priority: WARNING\n\n- macro: open_read\n  condition: evt.type = open\n';

test('a rename across rules files names the version of each open file, null for the closed ones', () => {
  const renameAt = (s: ReturnType<typeof setup>, doc: TextDocument) => s.service.rules.rename!(doc, doc.positionAt(doc.getText().indexOf('backup_tools') + 2), 'backup_programs');
  // Neither file open (asked of a document the rules service was given, the editor not having it): `changes`.
  const closed = setup({ [A]: A_TEXT, [B]: B_TEXT });
  const asked = TextDocument.create(pathToUri(A), 'falco-rules', 1, A_TEXT);
  const plain = renameAt(closed, asked)!;
  assert.deepEqual(Object.keys(plain.changes ?? {}).sort(), [pathToUri(A), pathToUri(B)]);

  // A open at version 3, B closed: both in documentChanges, B's version null.
  const s = setup({ [A]: A_TEXT, [B]: B_TEXT });
  const a = s.open(A, 'falco-rules', 3, A_TEXT);
  const edit = renameAt(s, a)!;
  assert.equal(edit.changes, undefined);
  assert.deepEqual(textEdits(edit).map((c) => c.textDocument).sort((x, y) => x.uri.localeCompare(y.uri)), [{ uri: pathToUri(A), version: 3 }, { uri: pathToUri(B), version: null }]);
  // Both open: each its own version.
  s.open(B, 'falco-rules', 9, B_TEXT);
  const both = renameAt(s, a)!;
  assert.deepEqual(textEdits(both).map((c) => c.textDocument).sort((x, y) => x.uri.localeCompare(y.uri)), [{ uri: pathToUri(A), version: 3 }, { uri: pathToUri(B), version: 9 }]);
  const renamedB = applyEdits(B_TEXT, textEdits(both).find((c) => c.textDocument.uri === pathToUri(B))!.edits as TextEdit[]);
  assert.match(renamedB, /condition: open_read and backup_programs\n/);

  // B open as another language with unsaved lines the rules service has not read: no offset in B is known, refused.
  const stale = setup({ [A]: A_TEXT, [B]: B_TEXT });
  const a2 = stale.open(A, 'falco-rules', 1, A_TEXT);
  stale.open(B, 'yaml', 2, `# unsaved\n${B_TEXT}`, false);
  assert.throws(() => renameAt(stale, a2), (e: unknown) => e instanceof RequestRefused && /b_rules\.yaml is open in the editor with changes/.test((e as Error).message));
});

test('a rename inside a Helm values file open in the editor names its version', () => {
  const values = `customRules:\n  rules-backup.yaml: |-\n    ${A_TEXT.trimEnd().split('\n').join('\n    ')}\n\n    - rule: Backup reads keys\n      desc: d\n      condition: evt.type = open and backup_tools\n      output: "k (file=%fd.name)"\n      priority: WARNING\n`;
  const s = setup({ [VALUES]: values });
  const doc = s.open(VALUES, 'yaml', 6, values);
  const edit = s.service.embedded.rename!(doc, doc.positionAt(values.lastIndexOf('backup_tools') + 1), 'backup_programs')!;
  assert.deepEqual(textEdits(edit).map((c) => c.textDocument), [{ uri: VALUES_URI, version: 6 }]);
  const renamed = applyEdits(values, textEdits(edit)[0].edits as TextEdit[]);
  assert.equal(renamed, values.replace(/backup_tools/g, 'backup_programs'));
});

test('for a client without documentChanges, versioned text edits become changes; a create is left as it is', () => {
  const edits = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'x' }];
  assert.deepEqual(withoutDocumentChanges({ documentChanges: [{ textDocument: { uri: 'file:///a', version: 3 }, edits }, { textDocument: { uri: 'file:///b', version: null }, edits }] }),
    { changes: { 'file:///a': edits, 'file:///b': edits } });
  const create: WorkspaceEdit = { documentChanges: [{ kind: 'create', uri: 'file:///a' }, { textDocument: { uri: 'file:///a', version: null }, edits }] };
  assert.equal(withoutDocumentChanges(create), create);
  const plain: WorkspaceEdit = { changes: { 'file:///a': edits } };
  assert.equal(withoutDocumentChanges(plain), plain);
});
