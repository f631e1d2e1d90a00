// Completion through the server: field items come without documentation and completionItem/resolve adds it, in a rules
// file and in a rules block of a Helm values file (the embedded block's items keep their reference through the
// mapping to the host's lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionRequest, CompletionResolveRequest, type CompletionItem, type CompletionList, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const docOf = (item: CompletionItem) => (item.documentation as MarkupContent | undefined)?.value ?? '';

test('completion items are resolved with their documentation, in a rules file and in a Helm values block', async () => {
  const server = await startServer();
  try {
    assert.equal(server.initializeResult.capabilities.completionProvider?.resolveProvider, true);
    const rulesUri = 'file:///tmp/protocol-completion/falco_rules.local.yaml';
    const text = '- rule: R\n  desc: d\n  condition: proc.\n  output: o\n  priority: INFO\n';
    const diagnostics = server.nextDiagnostics(rulesUri);
    server.open(rulesUri, 'falco-rules', text);
    await diagnostics;
    const list = await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: rulesUri }, position: { line: 2, character: 18 } }) as CompletionList;
    const name = list.items.find((i) => i.label === 'proc.name');
    assert.ok(name, 'proc.name offered');
    assert.ok(list.items.every((i) => i.documentation === undefined), 'the list carries no documentation');
    const resolved = await server.connection.sendRequest(CompletionResolveRequest.type, name!);
    assert.match(docOf(resolved), /proc\.name/);
    assert.match(docOf(resolved), /Type: `CHARBUF`/, docOf(resolved));
    assert.deepEqual(resolved.textEdit, name!.textEdit);

    const valuesText = fs.readFileSync(path.join('test', 'fixtures', 'helm', 'values.yaml'), 'utf8');
    const valuesUri = 'file:///tmp/protocol-completion/values.yaml';
    const valuesDiagnostics = server.nextDiagnostics(valuesUri);
    server.open(valuesUri, 'yaml', valuesText);
    await valuesDiagnostics;
    const lines = valuesText.split('\n');
    const line = lines.findIndex((l) => l.includes('and proc.pname in (nginx_binaries)'));
    const character = lines[line].indexOf('proc.pname') + 'proc.'.length;
    const inBlock = await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: valuesUri }, position: { line, character } }) as CompletionList;
    const pname = inBlock.items.find((i) => i.label === 'proc.pname');
    assert.ok(pname, 'proc.pname offered inside the block');
    assert.equal(pname!.documentation, undefined);
    assert.equal((pname!.textEdit as { range: { start: { line: number } } }).range.start.line, line, 'the edit is at the host line');
    assert.match(docOf(await server.connection.sendRequest(CompletionResolveRequest.type, pname!)), /proc\.pname/);
  } finally {
    assert.equal(await server.stop(), 0);
  }
  assert.equal(server.stderr().includes('Error'), false, server.stderr());
});
