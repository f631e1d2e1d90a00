// Rules files inside a Helm chart's values, through the bundled server: a `yaml` document is answered only inside its
// customRules blocks, at the host's positions, and is checked again when a rules file it builds on changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentSymbolRequest, FoldingRangeRequest, HoverRequest, WorkspaceSymbolRequest, type DocumentSymbol, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const VALUES = `customRules:
  rules-web.yaml: |-
    - rule: Shell in web container
      desc: A shell started in a web container.
      condition: spawned_process and web_container and proc.name in (bash, sh)
      output: Shell started (command=%proc.cmdline)
      priority: WARNING
`;

test('a values file: diagnostics at the host\'s lines, hovers inside the block only, re-checked when a rules file changes', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-embedded-'));
  const local = path.join(ws, 'falco_rules.local.yaml');
  const macros = '- macro: spawned_process\n  condition: evt.type in (execve, execveat)\n';
  fs.writeFileSync(local, macros);
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const valuesUri = `file://${path.join(ws, 'values.yaml')}`;
    const first = server.nextDiagnostics(valuesUri);
    server.open(valuesUri, 'yaml', VALUES);
    const found = (await first).diagnostics;
    // spawned_process comes from the workspace's local rules file; web_container is defined nowhere.
    assert.deepEqual(found.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['undefined-macro', 4, 37, 50]]);

    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: valuesUri }, position: { line: 4, character: 62 } }) as Hover | null;
    assert.ok(hover, 'proc.name inside the block has a hover');
    assert.match((hover.contents as MarkupContent).value, /proc\.name/);
    assert.deepEqual(hover.range, { start: { line: 4, character: 55 }, end: { line: 4, character: 64 } });
    const outside = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: valuesUri }, position: { line: 0, character: 3 } });
    assert.equal(outside, null, 'the chart\'s own keys are left to the YAML tooling');

    // The local rules file defines web_container in the editor: the values file is checked again, without the error.
    const localUri = `file://${local}`;
    // Opening a rules file checks the other open documents again (with the same text: the same finding).
    const reopened = server.nextDiagnostics(valuesUri);
    server.open(localUri, 'falco-rules', macros);
    assert.equal((await reopened).diagnostics.length, 1);
    const again = server.nextDiagnostics(valuesUri);
    server.change(localUri, 2, `${macros}\n- macro: web_container\n  condition: container.image.repository endswith /nginx\n`);
    assert.deepEqual((await again).diagnostics, []);

    // An alert log open beside it is checked again when the values change (it reads their rules).
    const logUri = `file://${path.join(ws, 'falco.log')}`;
    const logFirst = server.nextDiagnostics(logUri);
    server.open(logUri, 'falco-alerts', '2026-03-02T08:00:01.123456789+0000: Critical Shell started (command=sh -c id)\n');
    await logFirst;
    const logAgain = server.nextDiagnostics(logUri);
    server.change(valuesUri, 2, VALUES.replace('priority: WARNING', 'priority: CRITICAL'));
    await logAgain;

    // A YAML file with nothing of Falco's gets no diagnostics at all, and no folding or symbols: null, not an empty
    // list, so that the editor uses the YAML tooling's (or its indentation folding) instead.
    const plainUri = `file://${path.join(ws, 'deployment.yaml')}`;
    const plain = server.nextDiagnostics(plainUri);
    server.open(plainUri, 'yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
    assert.deepEqual((await plain).diagnostics, []);
    assert.equal(await server.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: plainUri } }), null);
    assert.equal(await server.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: plainUri } }), null);
    assert.equal(await server.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: valuesUri } }), null);
    // The values file's outline holds its rules under customRules and the entry; Ctrl+T finds them at the host's line.
    const outline = (await server.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: valuesUri } })) as DocumentSymbol[];
    assert.deepEqual(outline.map((s) => [s.name, s.children?.map((c) => [c.name, c.children?.map((r) => r.name)])]), [['customRules', [['rules-web.yaml', ['Shell in web container']]]]]);
    const symbols = await server.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'shell web' });
    assert.deepEqual((symbols ?? []).map((s) => [s.name, s.location.uri, 'range' in s.location ? s.location.range.start.line : -1]), [['Shell in web container', valuesUri, 2]]);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
