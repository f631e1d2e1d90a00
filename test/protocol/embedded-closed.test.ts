// Rules written in a Helm values file of the workspace, through the bundled server, while that file is closed: an
// alert of such a rule is explained and tuned into the file's block, with an edit exact against the text on disk; a
// change on disk reported by the client is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest, DefinitionRequest, DidChangeWatchedFilesNotification, FileChangeType, HoverRequest,
  type CodeAction, type Hover, type Location, type MarkupContent, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const VALUES = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'helm', 'values.yaml'), 'utf8');
const RULE = 'Shell spawned by nginx';
const TEXT_ALERT = '2026-03-02T08:00:01.123456789+0000: Warning Shell under nginx (command=sh -c id parent=nginx container=web-7f9c image=docker.io/library/nginx)';
const JSON_ALERT = JSON.stringify({
  hostname: 'node-1', output: '08:00:01.123456789: Warning Shell under nginx (command=sh -c id parent=nginx container=web-7f9c image=docker.io/library/nginx)',
  output_fields: { 'container.id': '3f2a1b0c9d8e', 'container.name': 'web-7f9c', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772438401123456789, 'proc.cmdline': 'sh -c id', 'proc.name': 'sh', 'proc.pname': 'nginx' },
  priority: 'Warning', rule: RULE, source: 'syscall', tags: ['container'], time: '2026-03-02T08:00:01.123456789Z',
});

test('a closed values file of the workspace: alerts of its rules are explained and tuned into it exactly', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-closed-values-'));
  const valuesPath = path.join(ws, 'deploy', 'values.yaml');
  fs.mkdirSync(path.dirname(valuesPath));
  fs.writeFileSync(valuesPath, VALUES);
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const valuesUri = `file://${valuesPath}`;
    const logUri = `file://${path.join(ws, 'falco.log')}`;
    const logFirst = server.nextDiagnostics(logUri);
    server.open(logUri, 'falco-alerts', `${TEXT_ALERT}\n`);
    await logFirst;
    const at = { line: 0, character: TEXT_ALERT.indexOf('Shell under') + 3 };
    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: logUri }, position: at }) as Hover | null;
    assert.ok(hover, 'the alert has a hover');
    assert.match((hover.contents as MarkupContent).value, /Shell spawned by nginx/, 'the rule is known while its values file is closed');
    const definition = await server.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: logUri }, position: at }) as Location[];
    const ruleLine = VALUES.split('\n').findIndex((l) => l.includes(`- rule: ${RULE}`));
    assert.deepEqual(definition.map((l) => [l.uri, l.range.start.line]), [[valuesUri, ruleLine]]);

    const jsonUri = `file://${path.join(ws, 'events.json')}`;
    const jsonFirst = server.nextDiagnostics(jsonUri);
    server.open(jsonUri, 'falco-alerts', `${JSON_ALERT}\n`);
    await jsonFirst;
    const actions = await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: jsonUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
    }) as CodeAction[];
    const add = actions.find((a) => a.title.startsWith('Add exception for this process + container image'));
    assert.ok(add, actions.map((a) => a.title).join('\n'));
    assert.equal(add.title, 'Add exception for this process + container image (sh, docker.io/library/nginx) to deploy/values.yaml, customRules \'rules-nginx.yaml\'');
    assert.deepEqual(Object.keys(add.edit?.changes ?? {}), [valuesUri]);
    // The editor applies the edit to the file as it is on disk.
    const doc = TextDocument.create(valuesUri, 'yaml', 1, fs.readFileSync(valuesPath, 'utf8'));
    const tuned = TextDocument.applyEdits(doc, add.edit!.changes![valuesUri] as TextEdit[]);
    const parsed = parseDocument(tuned);
    assert.deepEqual(parsed.errors.map((e) => e.message), []);
    const block = String((parsed.toJS() as { customRules: Record<string, string> }).customRules['rules-nginx.yaml']);
    assert.ok(block.startsWith(String((parseDocument(VALUES).toJS() as { customRules: Record<string, string> }).customRules['rules-nginx.yaml'])));
    const items = parseDocument(block).toJS() as { rule?: string; override?: unknown; exceptions?: { fields: unknown; values: unknown }[] }[];
    const last = items[items.length - 1];
    assert.equal(last.rule, RULE);
    assert.deepEqual(last.override, { exceptions: 'append' });
    assert.deepEqual(last.exceptions?.[0].fields, ['proc.name', 'container.image.repository']);
    assert.deepEqual(last.exceptions?.[0].values, [['sh', 'docker.io/library/nginx']]);

    // Written to disk and reported by the client's watcher: the exception is there, so it is not offered again.
    fs.writeFileSync(valuesPath, tuned);
    const jsonAgain = server.nextDiagnostics(jsonUri);
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: valuesUri, type: FileChangeType.Changed }] });
    await jsonAgain;
    const again = await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: jsonUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
    }) as CodeAction[];
    assert.ok(!again.some((a) => a.title.startsWith('Add exception for this process + container image')), again.map((a) => a.title).join('\n'));
    assert.ok(again.some((a) => /customRules 'rules-nginx\.yaml'/.test(a.title)), 'the rule is still tuned in its block');
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
