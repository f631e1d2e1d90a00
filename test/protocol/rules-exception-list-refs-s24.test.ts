// References and rename of a list named like an exception field, through the bundled server: the field is a use of
// the list where Falco writes the exception (rule_loader_compiler.cpp build_rule_exception_infos, then resolve_list on
// the condition), and a rename started there is refused with the reason shown to the user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PrepareRenameRequest, ReferencesRequest, RenameRequest, ResponseError, type Location, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const LINES = [
  '- list: proc.pname',
  '  items: [proc.aname]',
  '- rule: R',
  '  desc: d',
  '  condition: evt.type = execve and proc.name = bash',
  '  output: o',
  '  priority: INFO',
  '  exceptions:',
  '    - name: single',
  '      fields: proc.pname',
  '      values: [sshd]',
  '',
];

test('find references from the list reaches the exception field; a rename there is refused, from the list it keeps the field', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-hC-exrefs-'));
  const server = await startServer({ rootDir: root });
  try {
    const uri = `file://${root}/rules.yaml`;
    const published = server.nextDiagnostics(uri);
    server.open(uri, 'falco-rules', LINES.join('\n'));
    await published;
    const refs = await server.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: { line: 0, character: 10 }, context: { includeDeclaration: false } }) as Location[];
    assert.deepEqual(refs.map((r) => [r.range.start.line, r.range.start.character, r.range.end.character]), [[9, 14, 24]]);
    await assert.rejects(server.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: { line: 9, character: 16 } }), (e: unknown) => {
      assert.ok(e instanceof ResponseError, String(e));
      assert.match(e.message, /^Rename list 'proc\.pname' from its definition or another use: the exception field 'proc\.pname' stays as written/);
      return true;
    });
    const edit = await server.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 0, character: 10 }, newName: 'parent_names' }) as WorkspaceEdit;
    const edits = (edit.changes?.[uri] ?? edit.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : [])) ?? []) as TextEdit[];
    assert.deepEqual(edits.map((e) => [e.range.start.line, e.newText]), [[0, 'parent_names']]);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
