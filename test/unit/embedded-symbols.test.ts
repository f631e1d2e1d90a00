// The outline and workspace symbols of rules files written inside other YAML files: a values file's customRules, a
// ConfigMap's data, a Falco Operator Rulesfile's inlineRules. The rules, macros and lists of each file are nested
// under the keys that hold it, at the host's lines; Ctrl+T finds them in open hosts and in the closed files the
// embedded service reads for the alerts service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost } from './rules-host';
import { openHost, positionOf, textAt } from './embedded-helpers';

const fixture = (dir: string, name: string) => fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', dir, name), 'utf8');
const VALUES = fixture('helm', 'values.yaml');
const RULESFILES = fixture('operator', 'rulesfiles.yaml');

function service(files: Record<string, string> = {}): FalcoLanguageService {
  return new FalcoLanguageService(new MemoryHost(files, { folders: ['/ws'] }));
}

/** The outline as nested [name, kind, children] and the text each symbol's selection range covers. */
function shape(text: string, symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((s) => {
    assert.equal(textAt(text, { range: s.selectionRange }), s.name, `${s.name}'s selection is its name in the host`);
    const inside = textAt(text, s);
    assert.ok(inside.includes(textAt(text, { range: s.selectionRange })), `${s.name}'s range holds its selection`);
    for (const c of s.children ?? []) assert.ok(inside.includes(textAt(text, c)), `${c.name} is inside ${s.name}`);
    return s.children?.length ? [s.name, s.kind, shape(text, s.children)] : [s.name, s.kind];
  });
}

test('a values file\'s outline: customRules, each entry, and its lists, macros and rules at the host\'s lines', () => {
  const falco = service();
  const doc = openHost(falco, VALUES, 'file:///ws/deploy/values.yaml');
  const outline = falco.embedded.documentSymbols!(doc);
  assert.deepEqual(shape(VALUES, outline), [
    ['customRules', SymbolKind.Namespace, [
      ['00-macros.yaml', SymbolKind.File, [['nginx_binaries', SymbolKind.Array], ['nginx_container', SymbolKind.Function]]],
      ['rules-nginx.yaml', SymbolKind.File, [['Shell spawned by nginx', SymbolKind.Event]]],
    ]],
  ]);
  const rule = outline[0].children![1].children![0];
  assert.deepEqual(rule.selectionRange.start, positionOf(VALUES, 'Shell spawned by nginx'));
  assert.equal(rule.detail, 'WARNING');
  // The rule's range is its item, at the host's columns: from its first key to the end of its tags.
  assert.match(textAt(VALUES, rule), /^rule: Shell spawned by nginx\n[\s\S]*tags: \[container, mitre_execution, T1059\]$/);
});

test('a manifest\'s outline: each Rulesfile\'s inlineRules, and a ConfigMap\'s data entry, under their resources', () => {
  const configMap = [
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: web-extra',
    '  namespace: falco',
    'data:',
    '  rules.yaml: |-',
    '    - macro: web_extra',
    '      condition: proc.name = curl',
    '',
  ].join('\n');
  const text = RULESFILES + configMap;
  const falco = service();
  const doc = openHost(falco, text, 'file:///ws/deploy/falco/rulesfiles.yaml');
  const outline = falco.embedded.documentSymbols!(doc);
  assert.deepEqual(shape(text, outline), [
    ['inlineRules', SymbolKind.File, [['Package manager in web container', SymbolKind.Event], ['Shell in web container', SymbolKind.Event]]],
    ['inlineRules', SymbolKind.File, [['web_package_managers', SymbolKind.Array], ['web_server_container', SymbolKind.Function]]],
    ['data', SymbolKind.Namespace, [['rules.yaml', SymbolKind.File, [['web_extra', SymbolKind.Function]]]]],
  ]);
  assert.deepEqual(outline.map((s) => s.detail), ['Rulesfile \'web-rules\'', 'Rulesfile \'web-macros\'', 'ConfigMap \'web-extra\'']);
  // A document with no embedded file has no outline of ours.
  assert.deepEqual(falco.embedded.documentSymbols!(openHost(falco, 'kind: Service\nmetadata:\n  name: web\n', 'file:///ws/svc.yaml')), []);
});

test('workspace symbols find the rules, macros and lists of open hosts and of the closed files read for alerts', () => {
  const closedPath = '/ws/deploy/values.yaml';
  const falco = service({ [closedPath]: VALUES, '/ws/rules/team_rules.yaml': '- macro: team_shell\n  condition: proc.name = bash\n' });
  openHost(falco, RULESFILES, 'file:///ws/deploy/falco/rulesfiles.yaml');
  const found = falco.workspaceSymbols('');
  const summary = found.map((s) => [s.name, s.containerName, s.location.uri, s.location.range.start.line]);
  const line = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
  assert.deepEqual(summary.filter((s) => s[0] === 'team_shell'), [['team_shell', 'team_rules.yaml', 'file:///ws/rules/team_rules.yaml', 0]], 'the rules files\' symbols stay');
  assert.deepEqual(summary.filter((s) => s[0] === 'web_server_container'), [
    ['web_server_container', 'rulesfiles.yaml, Rulesfile \'web-macros\' inlineRules', 'file:///ws/deploy/falco/rulesfiles.yaml', line(RULESFILES, 'macro: web_server_container')],
  ]);
  assert.deepEqual(summary.filter((s) => s[0] === 'Shell spawned by nginx'), [
    ['Shell spawned by nginx', 'values.yaml, customRules \'rules-nginx.yaml\'', pathToUri(closedPath), line(VALUES, 'rule: Shell spawned by nginx')],
  ], 'a closed values file is read');
  // The query filters as the rules files' symbols are filtered (a subsequence, any case).
  assert.deepEqual(falco.workspaceSymbols('NGXCONT').map((s) => s.name), ['nginx_container']);
  const symbol = found.find((s) => s.name === 'nginx_container')!;
  assert.equal(textAt(VALUES, symbol.location), 'nginx_container');
});
