// Session 20 (helper C): a rename in a Falco Operator Rulesfile reaching a ConfigMap in another manifest, closed when
// the rename was computed. The answer names that file by the version of a document just opened from the disk
// (service/edits.ts DISK_TEXT_VERSION): the user opening it before the answer arrives, without changing it, no longer
// makes the client refuse the rename (version 0 did); changing it still does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RenameRequest, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const RULESFILE = [
  'apiVersion: artifact.falcosecurity.dev/v1alpha1',
  'kind: Rulesfile',
  'metadata:',
  '  name: web-rules',
  '  namespace: falco',
  'spec:',
  '  priority: 60',
  '  configMapRef:',
  '    name: web-extra',
  '  inlineRules:',
  '    - rule: Curl in web container',
  '      desc: curl started in a web container.',
  '      condition: evt.type = execve and web_curl',
  '      output: curl (command=%proc.cmdline)',
  '      priority: NOTICE',
  '',
].join('\n');
const CONFIGMAP = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: web-extra',
  '  namespace: falco',
  'data:',
  '  rules.yaml: |-',
  '    - macro: web_curl',
  '      condition: proc.name = curl',
  '',
].join('\n');

test('a rename\'s edit of a manifest closed when it was computed is taken if the manifest was opened, not changed, before it arrived', async (t) => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-rename-k8s-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.writeFileSync(path.join(ws, 'rulesfiles.yaml'), RULESFILE);
  fs.writeFileSync(path.join(ws, 'configmaps.yaml'), CONFIGMAP);
  const [r, c] = ['rulesfiles.yaml', 'configmaps.yaml'].map((n) => `file://${path.join(ws, n)}`);
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings }, capabilities: { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } } } });
  t.after(() => server.stop());

  // The documents the editor has open, as vscode-languageclient's validateWorkspaceEdit reads them.
  const open = new Map<string, TextDocument>();
  const valid = (edit: WorkspaceEdit) => ((edit.documentChanges ?? []) as TextDocumentEdit[]).every((x) => x.textDocument.version === null
    || !(x.textDocument.version >= 0) || open.get(x.textDocument.uri) === undefined || open.get(x.textDocument.uri)!.version === x.textDocument.version);
  const changesOf = (e: WorkspaceEdit, uri: string) => ((e.documentChanges ?? []) as TextDocumentEdit[]).find((x) => x.textDocument.uri === uri);
  const line = RULESFILE.split('\n').findIndex((l) => l.includes('and web_curl'));
  const rename = () => server.connection.sendRequest(RenameRequest.type, { textDocument: { uri: r }, position: { line, character: RULESFILE.split('\n')[line].indexOf('web_curl') + 2 }, newName: 'web_curl_started' }) as Promise<WorkspaceEdit>;

  const checked = server.nextDiagnostics(r, 1);
  open.set(r, TextDocument.create(r, 'yaml', 1, RULESFILE));
  server.open(r, 'yaml', RULESFILE, 1);
  await checked;

  // Opened while the rename is on its way, not changed: taken, and the ConfigMap's macro renamed in its buffer.
  const onItsWay = rename();
  // Opening a manifest holding rules checks the Rulesfile again: awaited here, so that the wait after the close below
  // is for the check after the close, not for this one.
  const checkedWithOpen = server.nextDiagnostics(r);
  open.set(c, TextDocument.create(c, 'yaml', 1, CONFIGMAP));
  server.open(c, 'yaml', CONFIGMAP, 1);
  const taken = await onItsWay;
  await checkedWithOpen;
  assert.ok(changesOf(taken, c), JSON.stringify(taken));
  assert.equal(changesOf(taken, c)!.textDocument.version, 1);
  assert.ok(valid(taken), 'the manifest opened is still the disk text the edits were computed from');
  assert.equal(TextDocument.applyEdits(open.get(c)!, changesOf(taken, c)!.edits as TextEdit[]), CONFIGMAP.replace('web_curl', 'web_curl_started'));
  assert.equal(TextDocument.applyEdits(open.get(r)!, changesOf(taken, r)!.edits as TextEdit[]), RULESFILE.replace('web_curl', 'web_curl_started'));
  // Closed again: the Rulesfile is checked again with the ConfigMap read from the disk.
  const rechecked = server.nextDiagnostics(r);
  server.close(c);
  open.delete(c);
  assert.deepEqual((await rechecked).diagnostics, []);

  // Opened and changed while it is on its way: refused.
  const again = rename();
  open.set(c, TextDocument.create(c, 'yaml', 1, CONFIGMAP));
  server.open(c, 'yaml', CONFIGMAP, 1);
  open.set(c, TextDocument.create(c, 'yaml', 2, `# edited\n${CONFIGMAP}`));
  server.changeRanges(c, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
  assert.equal(valid(await again), false);
});

test('a rename sent right after a manifest is closed reads that manifest from the disk again (no wait for its re-check)', async (t) => {
  // Session 21: the embedded service forgot a closed manifest and read it again only when a check ran; a rename in
  // the Rulesfile arriving first found no ConfigMap defining the macro and was refused. CI hit it as a race.
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-rename-k8s-close-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.writeFileSync(path.join(ws, 'rulesfiles.yaml'), RULESFILE);
  fs.writeFileSync(path.join(ws, 'configmaps.yaml'), CONFIGMAP);
  const [r, c] = ['rulesfiles.yaml', 'configmaps.yaml'].map((n) => `file://${path.join(ws, n)}`);
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings }, capabilities: { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } } } });
  t.after(() => server.stop());
  const line = RULESFILE.split('\n').findIndex((l) => l.includes('and web_curl'));
  const position = { line, character: RULESFILE.split('\n')[line].indexOf('web_curl') + 2 };
  const checked = server.nextDiagnostics(r, 1);
  server.open(r, 'yaml', RULESFILE, 1);
  await checked;
  for (let round = 0; round < 3; round++) {
    const openedChecked = server.nextDiagnostics(c, 1);
    server.open(c, 'yaml', CONFIGMAP, 1);
    await openedChecked;
    server.close(c);
    const edit = await server.connection.sendRequest(RenameRequest.type, { textDocument: { uri: r }, position, newName: 'web_curl_started' }) as WorkspaceEdit;
    const changes = ((edit.documentChanges ?? []) as TextDocumentEdit[]).find((x) => x.textDocument.uri === c);
    assert.ok(changes, `round ${round}: ${JSON.stringify(edit)}`);
    assert.equal(TextDocument.applyEdits(TextDocument.create(c, 'yaml', 1, CONFIGMAP), changes.edits as TextEdit[]), CONFIGMAP.replace('web_curl', 'web_curl_started'));
  }
});

test('a rename inside a Helm values file open in the editor edits it at its version (an embedded document is not its host\'s file)', async (t) => {
  // edits.ts linkedFile took an embedded document's URI (`<values>#falco-lens-embedded-…`) for its host's file, whose
  // text is not the embedded one: every rename in an embedded file failed in the server (since session 17's 5088638).
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-rename-values-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  const values = [
    'customRules:',
    '  web.yaml: |-',
    '    - macro: web_curl',
    '      condition: proc.name = curl',
    '    - rule: Curl in web container',
    '      desc: d',
    '      condition: evt.type = execve and web_curl',
    '      output: curl (command=%proc.cmdline)',
    '      priority: NOTICE',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(ws, 'values.yaml'), values);
  const uri = `file://${path.join(ws, 'values.yaml')}`;
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings }, capabilities: { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } } } });
  t.after(() => server.stop());
  const checked = server.nextDiagnostics(uri, 3);
  server.open(uri, 'yaml', values, 3);
  await checked;
  const edit = await server.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 2, character: 16 }, newName: 'web_curl_started' }) as WorkspaceEdit | null;
  assert.ok(edit, server.logs.join('\n'));
  const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
  assert.deepEqual(changes.map((c) => [c.textDocument.uri, c.textDocument.version]), [[uri, 3]]);
  assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 3, values), changes[0].edits as TextEdit[]), values.replaceAll('web_curl', 'web_curl_started'));
});
