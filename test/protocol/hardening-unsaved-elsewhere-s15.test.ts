// The local rules file held by the editor with unsaved changes in a language the server is not sent (plain text):
// the client says so (falcoLens/unsavedElsewhere, protocol.ts), and the alert log's tuning quick fix into that file,
// which the server would compute from the disk and the editor apply inside the unsaved text, is one greyed-out action
// saying to save it first. Saved (an empty set), the quick fix comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeActionRequest, type CodeAction } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';
import { UNSAVED_ELSEWHERE_NOTIFICATION, type UnsavedElsewhereParams } from '../../server/src/protocol';

const FIX = 'Add exception for this file + process, any user (/etc/ssl/private/k.pem, restic) to falco_rules.local.yaml';
const SAVE_FIRST = 'Add exception or disable rule in falco_rules.local.yaml: save it first';

/** The alert log's code actions while the local rules file is held unsaved elsewhere, for a client with or without `disabled` support. */
async function unsavedScene(t: { after: (fn: () => unknown) => void }, disabledSupport: boolean) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-unsaved-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.writeFileSync(path.join(ws, 'backup_rules.yaml'), KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private'));
  fs.writeFileSync(path.join(ws, 'falco_rules.local.yaml'), '# Our tuning.\n');
  const localUri = `file://${path.join(ws, 'falco_rules.local.yaml')}`;
  const logUri = `file://${path.join(ws, 'falco.json')}`;
  const settings = { rules: { files: [] } };
  const server = await startServer({
    rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings },
    capabilities: { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } }, textDocument: { codeAction: { disabledSupport } } },
  });
  t.after(() => server.stop());
  const logFirst = server.nextDiagnostics(logUri);
  server.open(logUri, 'falco-alerts', `${KEY_ALERT}\n`);
  await logFirst;
  const actions = async () => await server.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: logUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
  }) as CodeAction[];
  const titles = (list: CodeAction[]) => list.map((a) => a.title).join('\n');
  const notify = async (uris: string[]) => {
    const params: UnsavedElsewhereParams = { version: 1, uris };
    await server.connection.sendNotification(UNSAVED_ELSEWHERE_NOTIFICATION, params);
  };
  return { server, localUri, actions, titles, notify };
}

test('tuning into a local rules file held unsaved as plain text is greyed out until it is saved', { timeout: 60_000 }, async (t) => {
  const { server, localUri, actions, titles, notify } = await unsavedScene(t, true);
  const before = await actions();
  assert.ok(before.some((a) => a.title === FIX && (a.edit || a.command)), titles(before));

  await notify([localUri]);
  const unsaved = await actions();
  assert.ok(!unsaved.some((a) => a.title === FIX), titles(unsaved));
  const greyed = unsaved.find((a) => a.title === SAVE_FIRST);
  assert.match(greyed?.disabled?.reason ?? '', /open in the editor with unsaved changes that Falco Lens has not read/, titles(unsaved));

  // A message of another format is ignored: the file is still unsaved.
  await server.connection.sendNotification(UNSAVED_ELSEWHERE_NOTIFICATION, { version: 2, uris: [] });
  assert.ok((await actions()).some((a) => a.title === SAVE_FIRST));

  await notify([]);
  const saved = await actions();
  assert.ok(saved.some((a) => a.title === FIX) && !saved.some((a) => a.title === SAVE_FIRST), titles(saved));
});

// A client that cannot show a `disabled` reason (LSP 3.16's codeAction.disabledSupport not set) would list the
// greyed-out action as one that does nothing when chosen: it gets neither that nor the fix into the unsaved file.
test('a client without disabled support gets no greyed-out action, and no fix into the unsaved file', { timeout: 60_000 }, async (t) => {
  const { localUri, actions, titles, notify } = await unsavedScene(t, false);
  assert.ok((await actions()).some((a) => a.title === FIX));
  await notify([localUri]);
  const unsaved = await actions();
  assert.ok(!unsaved.some((a) => a.title === FIX || a.title === SAVE_FIRST || a.disabled), titles(unsaved));
  assert.ok(unsaved.some((a) => a.title.startsWith('Generate incident report')), titles(unsaved));
});

// Session 17 (helper C): the client also lists every file it holds in such a language, saved or not (`open`), so that
// an edit of a file open there under another path (a link) names that buffer (service/edits.ts editedUri), not the
// configured path, which VS Code would open as a second buffer of the file.
test('the local rules file is a link to a file held open as plain text: the fix edits that buffer', { timeout: 60_000 }, async (t) => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-open-elsewhere-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.writeFileSync(path.join(ws, 'backup_rules.yaml'), KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private'));
  fs.mkdirSync(path.join(ws, 'team'));
  fs.writeFileSync(path.join(ws, 'team', 'tuning.yaml'), '# Our tuning.\n');
  fs.symlinkSync(path.join('team', 'tuning.yaml'), path.join(ws, 'falco_rules.local.yaml'));
  const linkUri = `file://${path.join(ws, 'falco_rules.local.yaml')}`;
  const bufferUri = `file://${path.join(ws, 'team', 'tuning.yaml')}`;
  const logUri = `file://${path.join(ws, 'falco.json')}`;
  const settings = { rules: { files: [] } };
  const server = await startServer({
    rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings },
    capabilities: { workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } }, textDocument: { codeAction: { disabledSupport: true } } },
  });
  t.after(() => server.stop());
  const logFirst = server.nextDiagnostics(logUri);
  server.open(logUri, 'falco-alerts', `${KEY_ALERT}\n`);
  await logFirst;
  const named = async () => {
    const list = await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: logUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
    }) as CodeAction[];
    const fix = list.find((a) => a.title === FIX);
    assert.ok(fix?.edit, list.map((a) => a.title).join('\n'));
    return [...(fix.edit.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : `${c.kind} ${'uri' in c ? c.uri : ''}`)), ...Object.keys(fix.edit.changes ?? {})];
  };
  assert.deepEqual(await named(), [`create ${linkUri}`, linkUri]);
  const params: UnsavedElsewhereParams = { version: 1, uris: [], open: [bufferUri] };
  await server.connection.sendNotification(UNSAVED_ELSEWHERE_NOTIFICATION, params);
  assert.deepEqual(await named(), [`create ${bufferUri}`, bufferUri]);
  // Closed again (an empty list): the configured path.
  await server.connection.sendNotification(UNSAVED_ELSEWHERE_NOTIFICATION, { version: 1, uris: [], open: [] });
  assert.deepEqual(await named(), [`create ${linkUri}`, linkUri]);
});
