// Editing aids of rules files through the bundled server over stdio (document highlights, selection ranges): the
// capabilities are advertised and each request is answered by the rules service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentHighlightKind, DocumentHighlightRequest, SelectionRangeRequest, type SelectionRange } from 'vscode-languageserver-protocol/node';
import { startServer, type ServerUnderTest } from '../helpers/lspClient';

const TEXT = [
  '- list: shells',
  '  items: [bash, sh]',
  '',
  '- macro: shell_proc',
  '  condition: >',
  '    proc.name in (shells)',
  '    and (evt.type = execve or evt.type = execveat)',
  '',
  '- rule: Shell',
  '  desc: a shell',
  '  condition: shell_proc and not proc.pname in (shells)',
  '  output: shell %proc.name',
  '  priority: WARNING',
  '',
].join('\n');
const lines = TEXT.split('\n');

/** Starts the bundled server, opens TEXT as a rules file (its first diagnostics in), runs `check`, and stops. */
async function withRulesFile(check: (server: ServerUnderTest, uri: string) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-editing-'));
  const server = await startServer({ rootDir: root });
  try {
    const uri = `file://${root}/shell_rules.yaml`;
    const published = server.nextDiagnostics(uri);
    server.open(uri, 'falco-rules', TEXT);
    await published;
    await check(server, uri);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
  assert.equal(server.stderr().includes('Error'), false, `no errors on stderr: ${server.stderr()}`);
}

test('document highlights: the occurrences of a list in the file, Write at its definition and Read at its uses', () => withRulesFile(async (server, uri) => {
  assert.ok(server.initializeResult.capabilities.documentHighlightProvider, 'document highlights are advertised');
  const highlights = await server.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri }, position: { line: 5, character: lines[5].indexOf('shells') + 2 } });
  assert.deepEqual(highlights?.map((h) => [h.range.start.line, h.range.start.character, h.range.end.character, h.kind]), [
    [0, 8, 14, DocumentHighlightKind.Write],
    [5, 18, 24, DocumentHighlightKind.Read],
    [10, lines[10].indexOf('shells'), lines[10].indexOf('shells') + 6, DocumentHighlightKind.Read],
  ]);
  const none = await server.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri }, position: { line: 9, character: 9 } });
  assert.deepEqual(none, []);
}));

test('selection ranges: from a word of a folded condition out through its syntax tree and the YAML to the document', () => withRulesFile(async (server, uri) => {
  assert.ok(server.initializeResult.capabilities.selectionRangeProvider, 'selection ranges are advertised');
  const positions = [{ line: 6, character: lines[6].indexOf('execveat') + 3 }, { line: 12, character: 3 }];
  const found = await server.connection.sendRequest(SelectionRangeRequest.type, { textDocument: { uri }, positions });
  assert.equal(found?.length, 2);
  const texts = (s: SelectionRange | undefined): string[] => {
    const out: string[] = [];
    for (; s; s = s.parent) {
      const start = lines.slice(0, s.range.start.line).join('\n').length + (s.range.start.line > 0 ? 1 : 0) + s.range.start.character;
      const end = lines.slice(0, s.range.end.line).join('\n').length + (s.range.end.line > 0 ? 1 : 0) + s.range.end.character;
      out.push(TEXT.slice(start, end));
    }
    return out;
  };
  const condition = 'proc.name in (shells)\n    and (evt.type = execve or evt.type = execveat)';
  assert.deepEqual(texts(found![0]), [
    'execveat', 'evt.type = execveat', 'evt.type = execve or evt.type = execveat', '(evt.type = execve or evt.type = execveat)',
    condition, `>\n    ${condition}`, `condition: >\n    ${condition}`, `macro: shell_proc\n  condition: >\n    ${condition}`,
    `- macro: shell_proc\n  condition: >\n    ${condition}`, TEXT,
  ]);
  assert.deepEqual(texts(found![1]).slice(0, 2), ['priority', 'priority: WARNING']);
}));
