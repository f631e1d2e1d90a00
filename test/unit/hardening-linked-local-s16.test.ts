// The local rules file that tuning quick fixes write into, open in the editor under another path of the same file (a
// link to it, or the file a link at the configured path names): the edit names that document, with its version, and
// is computed from its buffer. It named the configured path, which the editor opened as a second buffer of the file,
// computed from the disk, so the user's unsaved lines and the tuning ended up in two buffers of one file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { editedUri } from '../../server/src/service/edits';
import { pathToUri } from '../../server/src/service/uri';
import { FileLinkHost } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const RULES = '/ws/rules/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const SHARED = '/shared/tuning/falco_rules.local.yaml';
const DISK = '# Team tuning.\n';
const TYPED = `${DISK}# Reviewed by ops, not saved yet.\n`;
const FIX = /^Add exception for this file \+ process/;

function setup(links: Record<string, string>, files: Record<string, string>) {
  const host = new FileLinkHost({ [RULES]: `${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private')}`, ...files }, links, { folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  const open = (path: string, text: string, version: number) => {
    const doc = TextDocument.create(pathToUri(path), 'falco-rules', version, text);
    host.editor.set(doc.uri, doc);
    service.rules.didOpenOrChange?.(doc);
  };
  const fix = (): CodeAction => {
    const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
    service.alerts.didOpenOrChange?.(log);
    const actions = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
    const found = actions.find((a) => FIX.test(a.title));
    assert.ok(found?.edit, actions.map((a) => a.title).join('\n'));
    return found;
  };
  return { host, open, fix };
}

const edits = (action: CodeAction) => (action.edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c);

test('the configured local path is a link and the editor has the file it names open: the edit lands in that buffer', () => {
  const { open, fix } = setup({ [LOCAL]: SHARED }, { [SHARED]: DISK });
  open(SHARED, TYPED, 7);
  const action = fix();
  const changes = edits(action);
  assert.deepEqual(changes.map((c) => [c.textDocument.uri, c.textDocument.version]), [[pathToUri(SHARED), 7]]);
  assert.ok(!(action.edit?.documentChanges ?? []).some((c) => 'kind' in c), 'no file is created');
  // Computed from the buffer: the typed line stays, the override comes after it.
  const after = TextDocument.applyEdits(TextDocument.create(pathToUri(SHARED), 'falco-rules', 7, TYPED), changes[0].edits as TextEdit[]);
  assert.ok(after.startsWith(TYPED), after);
  assert.match(after.slice(TYPED.length), /- rule: /);
});

test('the editor has the configured file open through a link to it: that document is edited', () => {
  const LINK = '/ws/team/local_rules.yaml';
  const { open, fix } = setup({ [LINK]: LOCAL }, { [LOCAL]: DISK });
  open(LINK, TYPED, 3);
  assert.deepEqual(edits(fix()).map((c) => [c.textDocument.uri, c.textDocument.version]), [[pathToUri(LINK), 3]]);
});

test('the configured path itself open, or no path of the file open: the configured path, as before', () => {
  const { open, fix } = setup({ [LOCAL]: SHARED }, { [SHARED]: DISK });
  const closed = fix();
  assert.deepEqual(Object.keys(closed.edit?.changes ?? {}).concat(edits(closed).map((c) => c.textDocument.uri)), [pathToUri(LOCAL)]);
  open(SHARED, TYPED, 2);
  open(LOCAL, DISK, 5);
  assert.deepEqual(edits(fix()).map((c) => [c.textDocument.uri, c.textDocument.version]), [[pathToUri(LOCAL), 5]]);
});

test('editedUri: another file open, a file that does not exist yet, a host without links', () => {
  const host = new FileLinkHost({ [SHARED]: DISK, '/ws/other.yaml': DISK }, { [LOCAL]: SHARED });
  host.editor.set(pathToUri('/ws/other.yaml'), TextDocument.create(pathToUri('/ws/other.yaml'), 'falco-rules', 1, DISK));
  assert.equal(editedUri(host, LOCAL), pathToUri(LOCAL));
  assert.equal(editedUri(host, '/ws/new_rules.yaml'), pathToUri('/ws/new_rules.yaml'));
  assert.equal(editedUri({}, LOCAL), pathToUri(LOCAL));
});
