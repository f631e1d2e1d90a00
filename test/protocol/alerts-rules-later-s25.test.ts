// An alert log opened before the rules that identify its alerts are known: once the settings name Falco's rules file
// (the editor sends didChangeConfiguration and answers workspace/configuration anew), the server identifies the log's
// alerts again, in its diagnostics and hovers, without the log being edited, closed or reopened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeConfigurationNotification, HoverRequest, type Hover, type MarkupContent, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import { corpusDir } from '../helpers/corpus';

test('an open alert log is identified again when the rules files arrive later', async (t) => {
  const corpus = corpusDir();
  if (!corpus) { t.skip('shared corpus absent'); return; }
  const official = path.join(corpus, 'rules', 'falcosecurity__rules', 'falco_rules.yaml');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-hC-rules-later-'));
  // The project's example log: four alerts of the official rules 4.x in Falco's text output.
  const text = fs.readFileSync(path.join(process.cwd(), 'examples', 'falco.log'), 'utf8');
  let files: string[] = [];
  const server = await startServer({
    rootDir: root, initializationOptions: { settings: { rules: { files: [] } } },
    configuration: (section) => (section === 'falcoLens' ? { rules: { files } } : null),
  });
  try {
    const uri = `file://${root}/falco.log`;
    const critical = (d: PublishDiagnosticsParams) => d.diagnostics.map((x) => String(x.message)).filter((m) => m.startsWith('Critical'));
    const first = server.nextDiagnostics(uri);
    server.open(uri, 'falco-alerts', text);
    assert.deepEqual(critical(await first), ['Critical: Executing binary not part of base image (rule unidentified)']);
    const line = text.split('\n').findIndex((l) => l.includes('user_loginuid=-1'));
    const position = { line, character: text.split('\n')[line].indexOf('user_loginuid=-1') + 'user_loginuid='.length };
    const hover = async () => ((await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }) as Hover).contents as MarkupContent).value;
    assert.doesNotMatch(await hover(), /Read sensitive file untrusted/);

    files = [official];
    const again = server.nextDiagnostics(uri);
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual(critical(await again), ['Critical: Drop and execute new binary in container']);
    assert.match(await hover(), /in the output of `Read sensitive file untrusted`/);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
