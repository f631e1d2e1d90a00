// A rename through the bundled server, for a client that applies versioned edits (workspace.workspaceEdit
// .documentChanges, as VS Code's LanguageClient declares): every open file the rename edits, the request's own
// document included, names the version its edits were computed from, and a closed file version 1 (its disk text as VS Code opens it, rename-closed-s17). VS Code's
// LanguageClient checks those versions when the answer arrives (vscode-languageclient 10.1.2 lib/common/rename.js
// provideRenameEdits: validateWorkspaceEdit, client.js, refuses a named version that is not the open document's, with
// "The rename edit returned from the server is not valid anymore and cannot be applied"), before it converts the
// edit for VS Code (which keeps no versions). So a rename answered for a text the user has changed since is refused,
// in VS Code too; asked again, it names the new versions. (A code action's edit is converted and applied later,
// when chosen, without that check: server.ts turns it into a command instead, cross-file-edit-versions.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RenameRequest, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const A = '- macro: web_shell\n  condition: proc.name in (bash, sh)\n';
const B = '- rule: Web shell\n  desc: d\n  condition: evt.type = execve and web_shell\n  output: shell %proc.name\n  priority: WARNING\n';
const C = '- rule: Web shell again\n  desc: d\n  condition: evt.type = execveat and web_shell\n  output: shell %proc.name\n  priority: WARNING\n';

/** The open documents as the client holds them. */
class Editor {
  readonly docs = new Map<string, TextDocument>();
  constructor(private readonly server: Awaited<ReturnType<typeof startServer>>) {}
  open(uri: string, text: string): void {
    this.docs.set(uri, TextDocument.create(uri, 'falco-rules', 1, text));
    this.server.open(uri, 'falco-rules', text, 1);
  }
  /** The user types a comment line at the top of `uri`. */
  type(uri: string): void {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    const change = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' };
    this.docs.set(uri, TextDocument.create(uri, 'falco-rules', version, `# edited\n${doc.getText()}`));
    this.server.changeRanges(uri, version, [change]);
  }
  /** vscode-languageclient's validateWorkspaceEdit: a named version (not null) must be the open document's. */
  valid(edit: WorkspaceEdit): boolean {
    return (edit.documentChanges ?? []).every((c) => !('textDocument' in c) || c.textDocument.version === null || this.docs.get(c.textDocument.uri)?.version === undefined
      || this.docs.get(c.textDocument.uri)?.version === c.textDocument.version);
  }
  apply(edit: WorkspaceEdit): void {
    for (const c of (edit.documentChanges ?? []) as TextDocumentEdit[]) {
      const doc = this.docs.get(c.textDocument.uri);
      if (doc) this.docs.set(doc.uri, TextDocument.create(doc.uri, 'falco-rules', doc.version + 1, TextDocument.applyEdits(doc, c.edits as TextEdit[])));
    }
  }
}

test('a rename names the version of every open file it edits; answered before the user changed one, the client refuses it', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-rename-versions-'));
  for (const [name, text] of [['a_rules.yaml', A], ['b_rules.yaml', B], ['c_rules.yaml', C]]) fs.writeFileSync(path.join(ws, name), text);
  const [a, b, c] = ['a_rules.yaml', 'b_rules.yaml', 'c_rules.yaml'].map((n) => `file://${path.join(ws, n)}`);
  const settings = { rules: { files: [] } };
  const server = await startServer({
    rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings },
    capabilities: { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } } },
  });
  try {
    const editor = new Editor(server);
    const checked = [server.nextDiagnostics(a, 1), server.nextDiagnostics(b, 1)];
    editor.open(a, A);
    editor.open(b, B);
    await Promise.all(checked);
    // On the macro's name in a_rules.yaml (`line`: 1 once a line is typed above it).
    const rename = (at: string, line = 0) => server.connection.sendRequest(RenameRequest.type, { textDocument: { uri: at }, position: { line, character: 12 }, newName: 'web_server_shell' }) as Promise<WorkspaceEdit>;

    // Asked with nothing changed: versions of the open files (the request's own too), 0 for the closed one (its disk text: rename-closed-s17).
    const fresh = await rename(a);
    const versions = (e: WorkspaceEdit) => Object.fromEntries(((e.documentChanges ?? []) as TextDocumentEdit[]).map((x) => [x.textDocument.uri, x.textDocument.version]));
    assert.deepEqual(versions(fresh), { [a]: 1, [b]: 1, [c]: 1 });
    assert.ok(editor.valid(fresh));

    // The user changes b_rules.yaml while the rename is on its way: the answer names b's old version, and is refused.
    const stale = rename(a);
    editor.type(b);
    const answer = await stale;
    assert.equal(versions(answer)[b], 1);
    assert.equal(editor.valid(answer), false, 'a stale rename is refused');
    // The same for the request's own document.
    const own = rename(a);
    editor.type(a);
    assert.equal(editor.valid(await own), false);

    // Asked again (the server has read both changes: messages are handled in order): the new versions, and the
    // edit lands on the new text.
    const again = await rename(a, 1);
    assert.deepEqual(versions(again), { [a]: 2, [b]: 2, [c]: 1 });
    assert.ok(editor.valid(again));
    editor.apply(again);
    assert.equal(editor.docs.get(a)!.getText(), `# edited\n${A.replace('web_shell', 'web_server_shell')}`);
    assert.equal(editor.docs.get(b)!.getText(), `# edited\n${B.replace('web_shell', 'web_server_shell')}`);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
