// Falco's configuration inside a ConfigMap, through the bundled server: a `yaml` document holding a falco.yaml data
// entry gets the configuration service's diagnostics, hovers and quick fixes at the host's lines and columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeActionRequest, HoverRequest, type CodeAction, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: falco
  namespace: falco
data:
  falco.yaml: |-
    rules_files:
    - /etc/falco/falco_rules.yaml
    stdout_output:
      enabled: false
    priority: warn
`;

test('a ConfigMap\'s falco.yaml: checked as the whole configuration, hovers and quick fixes on the host', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-embedded-config-'));
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const uri = `file://${path.join(ws, 'falco-configmap.yaml')}`;
    const first = server.nextDiagnostics(uri);
    server.open(uri, 'yaml', MANIFEST);
    const found = (await first).diagnostics;
    // No output enabled (the whole configuration, not an overlay) and an unknown priority: both stop Falco.
    assert.deepEqual(found.map((d) => d.code), ['config-start-fails', 'config-start-fails']);
    assert.deepEqual(found.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`).sort(), ['10:15-20', '11:14-18']);

    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 9, character: 6 } }) as Hover | null;
    assert.ok(hover, 'stdout_output inside the block has a hover');
    assert.match((hover.contents as MarkupContent).value, /stdout\\_output/);
    assert.deepEqual(hover.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 17 } });
    assert.equal(await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 4 } }), null);

    const output = found.find((d) => d.range.start.line === 10)!;
    const actions = await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: output.range, context: { diagnostics: [output] } }) as CodeAction[];
    const enable = actions.find((a) => a.title === 'Enable stdout_output');
    assert.ok(enable, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(enable.edit?.changes?.[uri], [{ range: { start: { line: 10, character: 15 }, end: { line: 10, character: 20 } }, newText: 'true' }]);

    const again = server.nextDiagnostics(uri, 2);
    server.change(uri, 2, MANIFEST.replace('enabled: false', 'enabled: true').replace('priority: warn', 'priority: warning'));
    assert.deepEqual((await again).diagnostics, []);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
