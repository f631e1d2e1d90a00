// The server's side of a `*_rules.yaml` reclassified by the client (session 25, client-reclassify-s25): a file opened
// as a Falco rules file and then filled with Prometheus rules is reopened by VS Code as YAML, which the LanguageClient
// sends as the rules document's close and the YAML document's open, one URI. Through the bundled server: the rules
// findings about it are cleared, and as YAML it gets none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../helpers/lspClient';

const PROMETHEUS = fs.readFileSync(path.join(process.cwd(), 'e2e', 'workspace', 'alert_rules.yaml'), 'utf8');

test('a rules document reopened as YAML: its rules findings are cleared, and it gets none as YAML', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-hG-reclassify-'));
  const file = path.join(ws, 'monitoring', 'alert_rules.yaml');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, '');
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const uri = `file://${file}`;
    const opened = server.nextDiagnostics(uri, 1);
    server.open(uri, 'falco-rules', '', 1);
    assert.deepEqual((await opened).diagnostics, [], 'empty: nothing to say');
    const typed = server.nextDiagnostics(uri, 2);
    server.change(uri, 2, PROMETHEUS);
    assert.ok((await typed).diagnostics.length > 0, 'Prometheus rules read as Falco rules: findings');
    // VS Code reopens it as YAML: the rules document closes, the YAML document opens.
    const cleared = server.nextDiagnostics(uri);
    server.close(uri);
    const afterClose = await cleared;
    assert.deepEqual(afterClose.diagnostics, [], 'the rules findings cleared at its close');
    const asYaml = server.nextDiagnostics(uri, 3);
    server.open(uri, 'yaml', PROMETHEUS, 3);
    assert.deepEqual((await asYaml).diagnostics, [], 'nothing of Falco\'s in it as YAML');
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
