// A rename computed while a file it edits was closed (session 17, helper C): its edits of that file were computed
// from the disk's text, and named no version (null), which vscode-languageclient's check of a rename's answer passes
// over (client.js validateWorkspaceEdit checks only versions that are not null): a file the user opened and changed
// while the answer was on its way took the edits at the disk text's positions. The answer now names such a file by
// the version of a document just opened from the disk (service/edits.ts DISK_TEXT_VERSION: 1, as VS Code counts):
// opened and changed by then, the client refuses the rename; opened and not changed, or still closed, it takes it
// (session 20: version 0 refused a file merely opened).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RenameRequest, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import { UNSAVED_ELSEWHERE_NOTIFICATION, type UnsavedElsewhereParams } from '../../server/src/protocol';

const A = '- macro: web_shell\n  condition: proc.name in (bash, sh)\n';
const C = '- rule: Web shell\n  desc: d\n  condition: evt.type = execve and web_shell\n  output: shell %proc.name\n  priority: WARNING\n';

/** a_rules.yaml defines the macro, c_rules.yaml (on disk) uses it; the server started for a client with `capabilities`. */
async function scene(t: { after: (fn: () => unknown) => void }, capabilities: Record<string, unknown>) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-rename-closed-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.writeFileSync(path.join(ws, 'a_rules.yaml'), A);
  fs.writeFileSync(path.join(ws, 'c_rules.yaml'), C);
  const [a, c] = ['a_rules.yaml', 'c_rules.yaml'].map((n) => `file://${path.join(ws, n)}`);
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings }, capabilities });
  t.after(() => server.stop());
  return { a, c, server };
}

test('a rename\'s edit of a file closed when it was computed is refused if the file was opened and changed before it arrived, taken if only opened', async (t) => {
  const { a, c, server } = await scene(t, { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } } });
  // The documents the editor has open, as vscode-languageclient's validateWorkspaceEdit reads them.
  const open = new Map<string, TextDocument>();
  const valid = (edit: WorkspaceEdit) => ((edit.documentChanges ?? []) as TextDocumentEdit[]).every((x) => x.textDocument.version === null
    || !(x.textDocument.version >= 0) || open.get(x.textDocument.uri) === undefined || open.get(x.textDocument.uri)!.version === x.textDocument.version);
  const versions = (e: WorkspaceEdit) => Object.fromEntries(((e.documentChanges ?? []) as TextDocumentEdit[]).map((x) => [x.textDocument.uri, x.textDocument.version]));
  const rename = (line = 0) => server.connection.sendRequest(RenameRequest.type, { textDocument: { uri: a }, position: { line, character: 12 }, newName: 'web_server_shell' }) as Promise<WorkspaceEdit>;
  const checked = server.nextDiagnostics(a, 1);
  open.set(a, TextDocument.create(a, 'falco-rules', 1, A));
  server.open(a, 'falco-rules', A, 1);
  await checked;

  // c_rules.yaml closed throughout: named as the disk's text, and taken.
  const closed = await rename();
  assert.deepEqual(versions(closed), { [a]: 1, [c]: 1 });
  assert.ok(valid(closed));
  const edits = ((closed.documentChanges ?? []) as TextDocumentEdit[]).find((x) => x.textDocument.uri === c)!.edits as TextEdit[];
  assert.equal(TextDocument.applyEdits(TextDocument.create(c, 'falco-rules', 0, C), edits), C.replace('web_shell', 'web_server_shell'));

  // Opened (not changed) while the rename is on its way: the document is the disk's text, and takes the edits.
  const opened = rename();
  open.set(c, TextDocument.create(c, 'falco-rules', 1, C));
  server.open(c, 'falco-rules', C, 1);
  const taken = await opened;
  assert.equal(versions(taken)[c], 1);
  assert.ok(valid(taken), 'taken: the file opened is still the disk text the edits were computed from');
  const takenEdits = ((taken.documentChanges ?? []) as TextDocumentEdit[]).find((x) => x.textDocument.uri === c)!.edits as TextEdit[];
  assert.equal(TextDocument.applyEdits(open.get(c)!, takenEdits), C.replace('web_shell', 'web_server_shell'));
  server.close(c);
  open.delete(c);

  // Opened and changed while the rename is on its way: the answer still names the disk's text, and is refused.
  const onItsWay = rename();
  open.set(c, TextDocument.create(c, 'falco-rules', 1, C));
  server.open(c, 'falco-rules', C, 1);
  const typed = `# edited\n${C}`;
  open.set(c, TextDocument.create(c, 'falco-rules', 2, typed));
  server.changeRanges(c, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
  const stale = await onItsWay;
  assert.equal(versions(stale)[c], 1);
  assert.equal(valid(stale), false, 'refused: its edits were computed from the disk text');

  // Asked again: the version the server read of the open file, and the edit lands on the typed text.
  const again = await rename();
  assert.deepEqual(versions(again), { [a]: 1, [c]: 2 });
  assert.ok(valid(again));
  const cEdits = ((again.documentChanges ?? []) as TextDocumentEdit[]).find((x) => x.textDocument.uri === c)!.edits as TextEdit[];
  assert.equal(TextDocument.applyEdits(open.get(c)!, cEdits), typed.replace('web_shell', 'web_server_shell'));
});

test('a file open as plain text (not sent to the server, saved) keeps no version: the client applies the rename to its buffer', async (t) => {
  const { a, c, server } = await scene(t, { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } } });
  const checked = server.nextDiagnostics(a, 1);
  server.open(a, 'falco-rules', A, 1);
  await checked;
  const params: UnsavedElsewhereParams = { version: 1, uris: [], open: [c] };
  await server.connection.sendNotification(UNSAVED_ELSEWHERE_NOTIFICATION, params);
  const edit = await server.connection.sendRequest(RenameRequest.type, { textDocument: { uri: a }, position: { line: 0, character: 12 }, newName: 'web_server_shell' }) as WorkspaceEdit;
  const versions = Object.fromEntries(((edit.documentChanges ?? []) as TextDocumentEdit[]).map((x) => [x.textDocument.uri, x.textDocument.version]));
  assert.deepEqual(versions, { [a]: 1, [c]: null });
});

test('a client without versioned edits still gets the rename as changes', async (t) => {
  const { a, c, server } = await scene(t, { workspace: { configuration: true } });
  const checked = server.nextDiagnostics(a, 1);
  server.open(a, 'falco-rules', A, 1);
  await checked;
  const edit = await server.connection.sendRequest(RenameRequest.type, { textDocument: { uri: a }, position: { line: 0, character: 12 }, newName: 'web_server_shell' }) as WorkspaceEdit;
  assert.equal(edit.documentChanges, undefined);
  assert.deepEqual(Object.keys(edit.changes ?? {}).sort(), [a, c].sort());
});
