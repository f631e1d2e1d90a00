// Alert tuning into a Falco deployment's file (a Helm chart's values, a Falco Operator's Rulesfile manifest) that the
// editor has open under another path of the same file: a link to it (in the workspace or outside), or the file a
// workspace link names (session 17, helper C). As 9eabc45 does for the local rules file, the edit names the document
// open in the editor, not the path the workspace walk found, which VS Code would open as a second buffer of the file;
// a buffer open as plain text (a language the server is not sent, known through the client's
// falcoLens/unsavedElsewhere `open` list) is matched too, and one with unsaved changes gets the greyed-out action.
// The file read from disk under the other path is left out while the document is open (one file: one deployment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { FileLinkHost, applyEdits } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const RULES = '/ws/rules/falco_rules.yaml';
const VALUES = '/ws/deploy/values.yaml';
// Tagged as the official rules are, so that a chart's Falco (which falcoctl gives them) has it too.
const KEY_RULES = `${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private')}  tags: [maturity_stable]\n`;
/** Chart 9.x's empty customRules: tuning adds an entry. */
const EMPTY = 'driver:\n  kind: modern_ebpf\ncustomRules: {}\nfalcosidekick:\n  enabled: true\n';
/** Values whose customRules entry defines the rule: tuned in its own block. */
const OWN = `customRules:\n  rules-backup.yaml: |-\n${KEY_RULES.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n')}`;
const FILE_FIX = /^Add exception for this file \+ process, any user \(\/etc\/ssl\/private\/k\.pem, restic\) to /;

function setup(values: string, links: Record<string, string>) {
  const host = new FileLinkHost({ [RULES]: KEY_RULES, [VALUES]: values }, links, { folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  const open = (path: string, version: number, text: string) => {
    const doc = TextDocument.create(pathToUri(path), 'yaml', version, text);
    host.editor.set(doc.uri, doc);
    service.forLanguage('yaml')?.didOpenOrChange?.(doc);
  };
  const tuning = (): CodeAction[] => {
    const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
    service.alerts.didOpenOrChange?.(log);
    return service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  };
  return { host, service, open, tuning };
}

/** Each file-and-process fix: its title's target and the files its edit names (URI, version or 'changes'). */
function fixes(actions: CodeAction[]): { where: string; files: [string, number | null | 'changes'][]; disabled?: string; edit?: WorkspaceEdit }[] {
  return actions.filter((a) => FILE_FIX.test(a.title) || (a.disabled && /save it first/.test(a.title))).map((a) => ({
    where: a.title.replace(FILE_FIX, ''),
    files: [
      ...((a.edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c).map((c) => [c.textDocument.uri, c.textDocument.version] as [string, number | null])),
      ...Object.keys(a.edit?.changes ?? {}).map((uri) => [uri, 'changes'] as [string, 'changes']),
    ],
    ...(a.disabled ? { disabled: a.title } : {}),
    ...(a.edit ? { edit: a.edit } : {}),
  }));
}
const local = (f: { where: string }) => !f.where.startsWith('falco_rules.local.yaml');

for (const [shape, values] of [['a customRules entry it adds', EMPTY], ['its own customRules entry', OWN]] as const) {
  test(`${shape}: values open through a link in the workspace, or outside it: that document is edited, once`, () => {
    for (const link of ['/ws/envs/prod/values.yaml', '/home/dev/prod-values.yaml']) {
      const { open, tuning } = setup(values, { [link]: VALUES });
      const typed = `# prod\n${values}`;
      open(link, 4, typed);
      const found = fixes(tuning()).filter(local);
      assert.equal(found.length, 1, `${link}: ${found.map((f) => f.where).join(' | ')}`);
      assert.deepEqual(found[0].files, [[pathToUri(link), 4]], link);
      const edits = (found[0].edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[];
      assert.ok(applyEdits(typed, edits).startsWith('# prod\n'), link);
    }
  });
}

test('the workspace\'s values are a link and the editor has the file it names open: that document is edited', () => {
  const REAL = '/shared/charts/prod-values.yaml';
  const host = new FileLinkHost({ [RULES]: KEY_RULES, [REAL]: EMPTY }, { [VALUES]: REAL }, { folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  const doc = TextDocument.create(pathToUri(REAL), 'yaml', 2, EMPTY);
  host.editor.set(doc.uri, doc);
  service.forLanguage('yaml')?.didOpenOrChange?.(doc);
  const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
  service.alerts.didOpenOrChange?.(log);
  const found = fixes(service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] })).filter(local);
  assert.deepEqual(found.map((f) => f.files), [[[pathToUri(REAL), 2]]]);
});

test('values open through a link as plain text: the edit names that buffer; with unsaved changes, save it first', () => {
  const link = '/ws/envs/prod/values.yaml';
  const { host, tuning } = setup(EMPTY, { [link]: VALUES });
  host.elsewhere.add(pathToUri(link));
  const found = fixes(tuning()).filter(local);
  assert.equal(found.length, 1, found.map((f) => f.where).join(' | '));
  assert.deepEqual(found[0].files, [[pathToUri(link), 'changes']]);
  host.unsaved.add(pathToUri(link));
  const greyed = fixes(tuning()).filter(local);
  assert.equal(greyed.length, 1, greyed.map((f) => f.where).join(' | '));
  assert.match(greyed[0].disabled ?? '', /save it first/);
});

test('no path of the file open: one deployment, the walk\'s first path, as a closed file', () => {
  const { open, tuning } = setup(EMPTY, { '/ws/envs/prod/values.yaml': VALUES });
  open('/ws/other.yaml', 1, 'a: 1\n');
  assert.deepEqual(fixes(tuning()).filter(local).map((f) => f.files), [[[pathToUri(VALUES), 'changes']]]);
});

test('the local rules file open through a link as plain text: the edit names that buffer (9eabc45 matched the server\'s documents only)', () => {
  const LOCAL = '/ws/falco_rules.local.yaml';
  const SHARED = '/shared/tuning/falco_rules.local.yaml';
  const host = new FileLinkHost({ [RULES]: KEY_RULES, [SHARED]: '# Team tuning.\n' }, { [LOCAL]: SHARED }, { folders: ['/ws'] });
  host.elsewhere.add(pathToUri(SHARED));
  const service = new FalcoLanguageService(host);
  const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
  service.alerts.didOpenOrChange?.(log);
  const found = fixes(service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }));
  assert.deepEqual(found.map((f) => [f.where, f.files]), [['falco_rules.local.yaml', [[pathToUri(SHARED), null]]]]);
});

test('a Falco Operator\'s tuning Rulesfile open through a link as plain text: its edits name that buffer', async () => {
  const { OFFICIAL, SHELL_RULE, SHELL_ALERT, MANIFEST, NEW_FILE, RULESFILES, tuningManifest, actionsFor } = await import('./operator-tuning-helpers');
  const LINK = '/ws/deploy/falco/zz-tuning-link.yaml';
  const host = new FileLinkHost({ [OFFICIAL]: SHELL_RULE, [MANIFEST]: RULESFILES, [NEW_FILE]: tuningManifest().join('\n') }, { [LINK]: NEW_FILE }, { folders: ['/ws'], ruleFiles: [OFFICIAL] });
  const service = new FalcoLanguageService(host);
  const named = () => {
    const disable = actionsFor(service, SHELL_ALERT).actions.filter((a) => a.title.startsWith('Disable rule'));
    return disable.map((a) => [...Object.keys(a.edit?.changes ?? {}), ...(a.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : c.kind))]);
  };
  // Closed: one Rulesfile (the file is read once), by the walk's path.
  assert.deepEqual(named(), [[pathToUri(NEW_FILE)]]);
  host.elsewhere.add(pathToUri(LINK));
  service.didChangeWatchedFiles([]);
  assert.deepEqual(named(), [[pathToUri(LINK)]]);
});
