// Session 21 (helper A): a rename inside rules embedded in a manifest the editor has open, through the unit host that
// now has what the server's host has (openDocument, openUris, realPath: rules-host MemoryHost). Without them the
// tests never took the path where edits.ts looks for the file open under another path, and every rename in
// customRules, a ConfigMap or inlineRules answered nothing through the server from 5088638 to 71eb19d: the embedded
// document's URI (`<host>#falco-lens-embedded-…`) was taken for its host's file, whose text is not the block's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit, TextEdit } from 'vscode-languageserver-types';
import { operatorRulesfile, positionOf } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { MANIFEST, service } from './operator-tuning-helpers';

const VALUES = '/ws/deploy/values.yaml';
const HELM = [
  'customRules:',
  '  web-rules.yaml: |-',
  '    - macro: web_shell',
  '      condition: proc.name in (bash, sh)',
  '    - rule: Web shell',
  '      desc: d',
  '      condition: evt.type = execve and web_shell',
  '      output: shell %proc.name',
  '      priority: WARNING',
  '',
].join('\n');
const INLINE = ['- macro: web_shell', '  condition: proc.name in (bash, sh)', '- rule: Web shell', '  desc: d', '  condition: evt.type = execve and web_shell', '  output: shell %proc.name', '  priority: WARNING'];

for (const [what, path, text] of [['a Helm values file', VALUES, HELM], ['a Rulesfile manifest', MANIFEST, operatorRulesfile('x', ['inlineRules:', ...INLINE.map((l) => `  ${l}`), 'priority: 60', ''].join('\n'))]] as const) {
  test(`a rename in ${what} open in the editor edits that document at its version`, () => {
    const { host, service: s } = service({ [path]: text });
    const doc = TextDocument.create(`file://${path}`, 'yaml', 7, text);
    host.editor.set(doc.uri, doc);
    s.embedded.didOpenOrChange?.(doc);
    const edit = s.embedded.rename!(doc, positionOf(text, 'web_shell', 2, 1), 'web_server_shell');
    const changes = (edit?.documentChanges ?? []) as TextDocumentEdit[];
    assert.deepEqual(changes.map((c) => c.textDocument), [{ uri: doc.uri, version: 7 }], JSON.stringify(edit));
    const renamed = applyEdits(text, changes[0].edits as TextEdit[]);
    assert.equal(renamed, text.replaceAll('web_shell', 'web_server_shell'));
  });
}
