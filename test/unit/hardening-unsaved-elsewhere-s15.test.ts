// A tuning target the editor holds with unsaved changes the server has not read: open as another language with
// changes (its text differs from the one the service read), or open in a language the server is not sent (the client
// says so: protocol.ts UNSAVED_ELSEWHERE_NOTIFICATION, ServiceHost.unsavedElsewhere). No offset in it is known; its
// quick fixes were left out without a word (or, not sent at all, computed from the disk and applied inside the unsaved
// text). Now one greyed-out action says to save the file first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost } from './rules-host';
import { KEY_ALERT, KEY_RULE } from '../fixtures/alerts/helpers';

const RULES = '/ws/rules/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const VALUES = '/ws/deploy/values.yaml';
const KEY_RULES = `${KEY_RULE('evt.type in (open, openat) and fd.name startswith /etc/ssl/private')}  tags: [maturity_stable]\n`;

function tuning(files: Record<string, string>, prepare: (host: MemoryHost, service: FalcoLanguageService) => void): CodeAction[] {
  const host = new MemoryHost({ [RULES]: KEY_RULES, ...files }, { folders: ['/ws'] });
  const service = new FalcoLanguageService(host);
  prepare(host, service);
  const log = TextDocument.create('file:///logs/keys.json', 'falco-alerts', 1, `${KEY_ALERT}\n`);
  service.alerts.didOpenOrChange?.(log);
  return service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

const titles = (actions: CodeAction[]) => actions.map((a) => a.title).join('\n');
const saveFirst = (actions: CodeAction[], where: string) => actions.find((a) => a.title === `Add exception or disable rule in ${where}: save it first`);

test('the local rules file held unsaved in a language the server is not sent: greyed out, save it first', () => {
  const disk = '# saved\n';
  const plain = tuning({ [LOCAL]: disk }, () => {});
  assert.ok(plain.some((a) => a.title.startsWith('Add exception for this file + process') && a.edit), titles(plain));

  const actions = tuning({ [LOCAL]: disk }, (host) => host.unsaved.add(pathToUri(LOCAL)));
  assert.ok(!actions.some((a) => a.edit && JSON.stringify(a.edit).includes(pathToUri(LOCAL))), titles(actions));
  const greyed = saveFirst(actions, 'falco_rules.local.yaml');
  assert.match(greyed?.disabled?.reason ?? '', /falco_rules\.local\.yaml is open in the editor with unsaved changes that Falco Lens has not read.*save it/, titles(actions));
});

test('a Helm values file open as another language with changes the service has not read: greyed out, save it first', () => {
  const values = 'driver:\n  kind: modern_ebpf\ncustomRules: {}\nfalcosidekick:\n  enabled: true\n';
  const fine = tuning({ [VALUES]: values }, () => {});
  assert.ok(fine.some((a) => a.title.includes('deploy/values.yaml') && a.edit), titles(fine));
  // Open as Falco configuration in the editor, with a line typed at the top: the server has the buffer, but the
  // embedded service (YAML documents) read the disk, so no offset is known.
  const actions = tuning({ [VALUES]: values }, (host) => {
    host.editor.set(pathToUri(VALUES), TextDocument.create(pathToUri(VALUES), 'falco-config', 2, `# unsaved\n${values}`));
  });
  assert.ok(!actions.some((a) => a.edit && JSON.stringify(a.edit).includes(pathToUri(VALUES))), titles(actions));
  assert.ok(saveFirst(actions, 'deploy/values.yaml, new customRules entry \'falco-lens-tuning.yaml\'')?.disabled, titles(actions));
});
