// An alert log's "Add exception" quick fix writes into the local rules file. Through the bundled server, with the
// rules file open: the edit names the version the server computed it from, and once the user has changed the file
// it is refused instead of inserted at old offsets inside the new lines; a fresh request names the new version and
// lands at the end of the new text. VS Code's LanguageClient drops the versions of a code action's edit, so for a
// client that applies edits the server sends (workspace/applyEdit) the action is a command: the server sends the
// versioned edit back, and the client checks the versions (as vscode-languageclient's validateWorkspaceEdit does).
// A client without applyEdit gets the versioned edit inline; one without documentChanges gets `changes`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ApplyWorkspaceEditRequest, CodeActionRequest, ExecuteCommandRequest,
  type ApplyWorkspaceEditParams, type CodeAction, type TextDocumentEdit, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';
import { APPLY_EDIT_COMMAND } from '../../server/src/protocol';

const FIX = 'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to falco_rules.local.yaml';
const USER = '# Our tuning.\n- list: backup_tools\n  items: [restic, borg]\n';

function workspace(): { ws: string; localUri: string; logUri: string } {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-edit-versions-'));
  fs.writeFileSync(path.join(ws, 'backup_rules.yaml'), KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private'));
  fs.writeFileSync(path.join(ws, 'falco_rules.local.yaml'), USER);
  return { ws, localUri: `file://${path.join(ws, 'falco_rules.local.yaml')}`, logUri: `file://${path.join(ws, 'falco.json')}` };
}

async function quickFix(server: Awaited<ReturnType<typeof startServer>>, logUri: string): Promise<CodeAction> {
  const actions = await server.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: logUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
  }) as CodeAction[];
  const fix = actions.find((a) => a.title === FIX);
  assert.ok(fix, actions.map((a) => a.title).join('\n'));
  return fix;
}

const TYPED = `# Reviewed by ops.\n${USER}`;

/** The local rules file as a client keeps it: its version and text, changed by the user or by an applied edit. */
class Editor {
  version = 1;
  text = USER;
  constructor(private readonly server: Awaited<ReturnType<typeof startServer>>, private readonly uri: string) {}
  /** The user writes a line at the top of the file; resolves once the server has checked the new version. */
  async typeAtTop(): Promise<void> {
    const checked = this.server.nextDiagnostics(this.uri, ++this.version);
    this.server.changeRanges(this.uri, this.version, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# Reviewed by ops.\n' }]);
    this.text = `# Reviewed by ops.\n${this.text}`;
    await checked;
  }
  /** workspace/applyEdit as vscode-languageclient answers it: refused where a named version is not the open one. */
  apply(edit: WorkspaceEdit): { applied: boolean } {
    const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
    if (changes.some((c) => c.textDocument.uri === this.uri && c.textDocument.version !== null && c.textDocument.version !== this.version)) return { applied: false };
    const ours = changes.filter((c) => c.textDocument.uri === this.uri);
    assert.equal(ours.length, 1);
    this.text = TextDocument.applyEdits(TextDocument.create(this.uri, 'falco-rules', this.version, this.text), ours[0].edits as TextEdit[]);
    this.version++;
    return { applied: true };
  }
}

async function opened(capabilities: Record<string, unknown>) {
  const { ws, localUri, logUri } = workspace();
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings }, capabilities: { workspace: { configuration: true, ...capabilities } } });
  const localFirst = server.nextDiagnostics(localUri, 1);
  const logFirst = server.nextDiagnostics(logUri);
  server.open(localUri, 'falco-rules', USER, 1);
  server.open(logUri, 'falco-alerts', `${KEY_ALERT}\n`);
  await Promise.all([localFirst, logFirst]);
  const stop = async () => { await server.stop(); fs.rmSync(ws, { recursive: true, force: true }); };
  return { server, localUri, logUri, editor: new Editor(server, localUri), stop };
}

/** The local rules file's items after the quick fix: the user's list, then the rule's exception. */
function tuned(text: string): void {
  assert.ok(text.startsWith(TYPED), text);
  const items = parseDocument(text).toJS() as { list?: string; rule?: string; exceptions?: { values: unknown }[] }[];
  assert.deepEqual(items.map((i) => i.list ?? i.rule), ['backup_tools', 'Backup tool reads keys']);
  assert.deepEqual(items[1].exceptions?.[0].values, [['/etc/ssl/private/k.pem', 'restic']]);
}

test('a client that applies the server\'s edits (VS Code): the quick fix is a command; taken after the file changed, its edit is refused and the user told', async () => {
  const { server, localUri, logUri, editor, stop } = await opened({ applyEdit: true, workspaceEdit: { documentChanges: true } });
  try {
    assert.deepEqual(server.initializeResult.capabilities.executeCommandProvider, { commands: [APPLY_EDIT_COMMAND] });
    const sent: ApplyWorkspaceEditParams[] = [];
    server.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => { sent.push(p); return editor.apply(p.edit); });
    const before = await quickFix(server, logUri);
    assert.equal(before.edit, undefined, 'no edit the LanguageClient would strip of its version');
    assert.equal(before.command?.command, APPLY_EDIT_COMMAND);
    const args = before.command!.arguments![0] as { label: string; edit: WorkspaceEdit };
    assert.deepEqual((args.edit.documentChanges as TextDocumentEdit[]).map((c) => c.textDocument), [{ uri: localUri, version: 1 }]);

    // The user writes a line at the top (version 2), then takes the quick fix offered before.
    await editor.typeAtTop();
    await server.connection.sendRequest(ExecuteCommandRequest.type, before.command!);
    assert.equal(sent.length, 1);
    assert.deepEqual((sent[0].edit.documentChanges as TextDocumentEdit[])[0].textDocument, { uri: localUri, version: 1 });
    assert.equal(editor.text, TYPED, 'nothing written');
    // Applied blindly, the old edit would have split the user's list item (its insertion line is now the list's last).
    const blind = TextDocument.applyEdits(TextDocument.create(localUri, 'falco-rules', 2, TYPED), (args.edit.documentChanges as TextDocumentEdit[])[0].edits as TextEdit[]);
    assert.ok(!blind.startsWith(TYPED));
    assert.equal(server.shown.length, 1);
    assert.match(server.shown[0], /^Falco Lens did not apply "Add exception for this file \+ process[^"]*": a file it writes into changed after the quick fix was offered\. Nothing was written; ask for the quick fix again\.$/);

    // Asked again: version 2, applied at the end of the new text.
    const after = await quickFix(server, logUri);
    await server.connection.sendRequest(ExecuteCommandRequest.type, after.command!);
    assert.deepEqual((sent[1].edit.documentChanges as TextDocumentEdit[])[0].textDocument, { uri: localUri, version: 2 });
    tuned(editor.text);
    assert.equal(server.shown.length, 1);
  } finally {
    await stop();
  }
});

test('a client with documentChanges but no applyEdit gets the edit inline, naming the version it was computed from', async () => {
  const { server, localUri, logUri, editor, stop } = await opened({ workspaceEdit: { documentChanges: true } });
  try {
    assert.equal(server.initializeResult.capabilities.executeCommandProvider, undefined);
    const before = (await quickFix(server, logUri)).edit!;
    assert.equal(before.changes, undefined);
    assert.deepEqual(before.documentChanges?.map((c) => ('kind' in c ? c.kind : c.textDocument)), [{ uri: localUri, version: 1 }], 'the open file exists: no create');
    await editor.typeAtTop();
    assert.deepEqual(editor.apply(before), { applied: false });
    const after = (await quickFix(server, logUri)).edit!;
    assert.deepEqual((after.documentChanges as TextDocumentEdit[])[0].textDocument, { uri: localUri, version: 2 });
    assert.deepEqual(editor.apply(after), { applied: true });
    tuned(editor.text);
  } finally {
    await stop();
  }
});

test('a client without documentChanges gets the edit of the open local rules file as changes', async () => {
  const { server, localUri, logUri, stop } = await opened({});
  try {
    const edit = (await quickFix(server, logUri)).edit!;
    assert.equal(edit.documentChanges, undefined);
    assert.deepEqual(Object.keys(edit.changes ?? {}), [localUri]);
    const applied = TextDocument.applyEdits(TextDocument.create(localUri, 'falco-rules', 1, USER), edit.changes![localUri]);
    assert.ok(applied.startsWith(USER));
  } finally {
    await stop();
  }
});
