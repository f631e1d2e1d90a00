// Completion inside a word through the server: a client that takes InsertReplaceEdit gets the insert and the replace
// range; one that does not gets the insert range as a plain edit, which eats nothing after the cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionRequest, type CompletionList, type InsertReplaceEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const TEXT = '- rule: R\n  desc: d\n  condition: proc.name = x and proc.na\n  output: o\n  priority: INFO\n';
const AT = { line: 2, character: '  condition: proc.na'.length };

async function nameEdit(capabilities: Record<string, unknown>): Promise<TextEdit | InsertReplaceEdit> {
  const server = await startServer({ capabilities });
  try {
    const uri = 'file:///tmp/protocol-insert-replace/falco_rules.local.yaml';
    const diagnostics = server.nextDiagnostics(uri);
    server.open(uri, 'falco-rules', TEXT);
    await diagnostics;
    const list = await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: AT }) as CompletionList;
    const name = list.items.find((i) => i.label === 'proc.name');
    assert.ok(name?.textEdit, 'proc.name offered with an edit');
    return name.textEdit;
  } finally {
    assert.equal(await server.stop(), 0);
  }
}

test('inside a word: insert and replace ranges for a client that takes them, the insert range for one that does not', async () => {
  const both = await nameEdit({ textDocument: { completion: { completionItem: { insertReplaceSupport: true, snippetSupport: true } } } }) as InsertReplaceEdit;
  assert.deepEqual(both.insert, { start: { line: 2, character: 13 }, end: AT });
  assert.deepEqual(both.replace, { start: { line: 2, character: 13 }, end: { line: 2, character: 22 } }, 'proc.name whole');
  const plain = await nameEdit({}) as TextEdit;
  assert.deepEqual(plain, { range: { start: { line: 2, character: 13 }, end: AT }, newText: 'proc.name' });
});
