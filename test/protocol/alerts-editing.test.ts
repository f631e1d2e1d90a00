// An alert log edited through the server (incremental content changes, as an editor sends while typing) must read
// exactly as the same text opened fresh: the server keeps alert logs in blocks (alerts/textBlocks.ts), applies the
// changes to them itself and indexes only the lines they touch. Diagnostics, hovers and the incident report of the
// edited document are compared with those of a fresh open of its final text, along seeded random edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { startServer } from '../helpers/lspClient';
import { fixture } from '../fixtures/alerts/helpers';
import { REPORT_REQUEST } from '../../server/src/protocol';
import { Random } from '../fixtures/hardening/random';

const BASE = ['falco-0.44.json', 'falco-rules4.log', 'falco-crlf.log', 'falco-cri.log', 'falco-docker.log', 'falco-lifecycle.log', 'falco-mixed.log'].map(fixture).join('');
const PIECES = ['', '\n', '\r\n', 'x', ' ', '"', '}', 'Warning', 'Critical', '"priority":"Error",'];

test('an alert log edited through the server reads as the same text opened fresh', { timeout: 120_000 }, async () => {
  const server = await startServer({ settings: { alerts: { problems: 'debug' } }, initializationOptions: { settings: { alerts: { problems: 'debug' } }, validationDelayMs: 0 } });
  try {
    const uri = 'file:///tmp/protocol-edit/a/falco.log';
    let doc = TextDocument.create(uri, 'falco-alerts', 1, BASE);
    const opened = server.nextDiagnostics(uri, 1, 30_000);
    server.open(uri, 'falco-alerts', BASE, 1);
    await opened;
    const rnd = new Random(6);
    const sampleLines = BASE.split(/\r\n|\n/).filter((l) => l.length > 0);
    let fresh = 0;
    for (let step = 1; step <= 40; step++) {
      const changes: TextDocumentContentChangeEvent[] = [];
      for (let k = 0, count = 1 + (rnd.next() < 0.25 ? 1 : 0); k < count; k++) {
        const text = doc.getText();
        const at = rnd.int(text.length + 1);
        const end = Math.min(text.length, at + (rnd.next() < 0.4 ? 0 : rnd.int(200)));
        const insert = rnd.next() < 0.25 ? `${rnd.pick(sampleLines)}\n` : Array.from({ length: rnd.int(3) }, () => rnd.pick(PIECES)).join('');
        const change = { range: { start: doc.positionAt(at), end: doc.positionAt(end) }, text: insert };
        changes.push(change);
        // Positions of a later change refer to the text after the earlier ones (a fresh document: exact line offsets).
        doc = TextDocument.create(uri, 'falco-alerts', step + 1, TextDocument.update(doc, [change], step + 1).getText());
      }
      const published = server.nextDiagnostics(uri, step + 1, 30_000);
      server.changeRanges(uri, step + 1, changes);
      const edited = await published;
      if (step % 8 !== 0) continue;
      // The same text opened fresh under another folder (same file name: the report names the file).
      const other = `file:///tmp/protocol-edit/b${++fresh}/falco.log`;
      const reference = server.nextDiagnostics(other, 1, 30_000);
      server.open(other, 'falco-alerts', doc.getText(), 1);
      assert.ok(edited.diagnostics.length > 10, `step ${step}: ${edited.diagnostics.length} diagnostics`);
      assert.deepEqual(edited.diagnostics, (await reference).diagnostics, `step ${step}: diagnostics`);
      for (let k = 0; k < 20; k++) {
        const line = rnd.int(doc.lineCount);
        const position = { line, character: rnd.int(200) };
        const [a, b] = await Promise.all([uri, other].map((u) => server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position })));
        assert.deepEqual(a, b, `step ${step}: hover at ${JSON.stringify(position)}`);
      }
      const [r1, r2] = await Promise.all([uri, other].map((u) => server.connection.sendRequest(REPORT_REQUEST, { uri: u }) as Promise<{ markdown: string }>));
      assert.equal(r1.markdown, r2.markdown, `step ${step}: report`);
      assert.ok(r1.markdown.length > 0);
      server.close(other);
    }
  } finally {
    await server.stop();
  }
  assert.equal(server.stderr().includes('Error'), false, server.stderr());
});
