// The no-evttype quick fix through the bundled server: its restrictions are those of the target release the client
// configures (falcoLens.falcoVersion, read through workspace/configuration), not the latest one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const TEXT = [
  '- rule: Wide close_range',
  '  desc: d',
  '  condition: evt.arg.first > 2 and proc.name = bash',
  '  output: "closed | process=%proc.name"',
  '  priority: INFO',
  '',
].join('\n');

async function titlesAt(falcoVersion: string | undefined): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-hC-restrict-'));
  const server = await startServer({ rootDir: root, settings: falcoVersion ? { falcoVersion } : {} });
  try {
    const uri = `file://${root}/wide_rules.yaml`;
    const published = server.nextDiagnostics(uri);
    server.open(uri, 'falco-rules', TEXT);
    const diagnostics = (await published).diagnostics.filter((d: Diagnostic) => d.code === 'no-evttype');
    assert.equal(diagnostics.length, 1);
    const actions = await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics, only: ['quickfix'] },
    }) as CodeAction[];
    return actions.map((a) => a.title);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('the events of evt.arg.first are read at the configured target: close_range at 0.44, none at 0.37', async () => {
  assert.deepEqual(await titlesAt(undefined), ["Restrict to evt.type in (close_range): events with argument 'first'"]);
  // Falco 0.37's libs (0.14.2) have no close_range event: no event carries 'first', and no fix is offered.
  assert.deepEqual(await titlesAt('0.37'), []);
});
