// An alert log's "Add exception" quick fix writes into the local rules file. Through the bundled server: with the
// rules file open, the edit names the version the server computed it from, so an editor refuses it once the user has
// changed the file (VS Code: "the file has changed") instead of inserting it at old offsets inside the new lines; a
// fresh request names the new version and lands at the end of the new text. A client that cannot apply
// documentChanges gets the same edit as `changes`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionRequest, type CodeAction, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const FIX = 'Add exception for this file + process (/etc/ssl/private/k.pem, restic) to falco_rules.local.yaml';
const USER = '# Our tuning.\n- list: backup_tools\n  items: [restic, borg]\n';

function workspace(): { ws: string; localUri: string; logUri: string } {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-edit-versions-'));
  fs.writeFileSync(path.join(ws, 'backup_rules.yaml'), KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private'));
  fs.writeFileSync(path.join(ws, 'falco_rules.local.yaml'), USER);
  return { ws, localUri: `file://${path.join(ws, 'falco_rules.local.yaml')}`, logUri: `file://${path.join(ws, 'falco.json')}` };
}

async function quickFix(server: Awaited<ReturnType<typeof startServer>>, logUri: string): Promise<CodeAction> {
  const actions = await server.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: logUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
  }) as CodeAction[];
  const fix = actions.find((a) => a.title === FIX);
  assert.ok(fix, actions.map((a) => a.title).join('\n'));
  return fix;
}

test('a quick fix into the open local rules file names its version: stale after the user types, fresh on the next request', async () => {
  const { ws, localUri, logUri } = workspace();
  const settings = { rules: { files: [] } };
  const server = await startServer({
    rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings },
    capabilities: { workspace: { configuration: true, workspaceEdit: { documentChanges: true } } },
  });
  try {
    const localFirst = server.nextDiagnostics(localUri, 1);
    const logFirst = server.nextDiagnostics(logUri);
    server.open(localUri, 'falco-rules', USER, 1);
    server.open(logUri, 'falco-alerts', `${KEY_ALERT}\n`);
    await Promise.all([localFirst, logFirst]);

    const before = (await quickFix(server, logUri)).edit!;
    assert.equal(before.changes, undefined);
    assert.equal(before.documentChanges?.length, 1, 'the open file exists: no create');
    const stale = before.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(stale.textDocument, { uri: localUri, version: 1 });

    // The user writes a line at the top of the rules file (version 2) before taking the quick fix.
    const localChanged = server.nextDiagnostics(localUri, 2);
    server.changeRanges(localUri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# Reviewed by ops.\n' }]);
    await localChanged;
    const typed = `# Reviewed by ops.\n${USER}`;
    // The edit computed before names version 1: the editor, at version 2, refuses it. Applied blindly, it would have
    // split the user's list item (its insertion line is now the list's last line).
    assert.notEqual(stale.textDocument.version, 2);
    const blind = TextDocument.applyEdits(TextDocument.create(localUri, 'falco-rules', 2, typed), stale.edits as TextEdit[]);
    assert.ok(!blind.startsWith(typed));

    // A fresh request: version 2, at the end of the new text.
    const after = (await quickFix(server, logUri)).edit!;
    const fresh = after.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(fresh.textDocument, { uri: localUri, version: 2 });
    const applied = TextDocument.applyEdits(TextDocument.create(localUri, 'falco-rules', 2, typed), fresh.edits as TextEdit[]);
    assert.ok(applied.startsWith(typed), applied);
    const items = parseDocument(applied).toJS() as { list?: string; rule?: string; exceptions?: { values: unknown }[] }[];
    assert.deepEqual(items.map((i) => i.list ?? i.rule), ['backup_tools', 'Backup tool reads keys']);
    assert.deepEqual(items[1].exceptions?.[0].values, [['/etc/ssl/private/k.pem', 'restic']]);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a client without documentChanges gets the edit of the open local rules file as changes', async () => {
  const { ws, localUri, logUri } = workspace();
  const settings = { rules: { files: [] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const localFirst = server.nextDiagnostics(localUri, 1);
    const logFirst = server.nextDiagnostics(logUri);
    server.open(localUri, 'falco-rules', USER, 1);
    server.open(logUri, 'falco-alerts', `${KEY_ALERT}\n`);
    await Promise.all([localFirst, logFirst]);
    const edit = (await quickFix(server, logUri)).edit!;
    assert.equal(edit.documentChanges, undefined);
    assert.deepEqual(Object.keys(edit.changes ?? {}), [localUri]);
    const applied = TextDocument.applyEdits(TextDocument.create(localUri, 'falco-rules', 1, USER), edit.changes![localUri]);
    assert.ok(applied.startsWith(USER));
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
