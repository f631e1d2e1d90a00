// An edit that moves every item of a file leaves the moved items' nodes unmade through the validations that follow
// (session 18's lazy moves): only a finding's place or the edited item makes them. Every model is new after an edit,
// so a pass over each item's entries by model (the rules a later file overrides, read by an earlier file's unused
// checks, until session 19) made every moved item's nodes on every edit: most of the plugins set's promoted garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ItemCheckCache, diagnoseFile } from '../../server/src/service/rules/diagnose';
import { UsageCounter } from '../../server/src/service/rules/index';
import type { ModelItem } from '../../server/src/service/rules/model';
import { RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { CORPUS_RULES, MemoryHost, corpusExists } from './rules-host';
import { incrementalChange } from './rules-random-edits';

/** Whether a moved item's nodes were made (model.ts Item: `shift` is 0 once placed, or for an item that did not move). */
const placed = (item: ModelItem): boolean => (item as unknown as { shift: number }).shift === 0;

test('an edit that moves the items of k8s_audit_rules.yaml: validating it and an earlier file makes few of their nodes', { skip: !corpusExists && 'corpus absent' }, () => {
  const early = '/rules/a_rules.yaml';
  const file = '/rules/k8s_audit_rules.yaml';
  const text = fs.readFileSync(path.join(CORPUS_RULES, 'falcosecurity__plugins', 'k8saudit', 'k8s_audit_rules.yaml'), 'utf8');
  const earlyText = '- macro: early_macro\n  condition: ka.verb = get\n';
  const host = new MemoryHost({ [early]: earlyText, [file]: text }, { ruleFiles: [early, file], folders: [] });
  const index = new RulesWorkspaceIndex(host);
  const cache = new ItemCheckCache();
  const counter = new UsageCounter();
  const docs = [TextDocument.create('file:///rules/a_rules.yaml', 'falco-rules', 1, earlyText), TextDocument.create('file:///rules/k8s_audit_rules.yaml', 'falco-rules', 1, text)];
  // As the server does after an edit: the edited document first, then the other open ones.
  const validate = (doc: TextDocument) => {
    const load = index.load({ uri: doc.uri, text: doc.getText() });
    diagnoseFile(index.fileOf(load, doc.uri)!, load, counter.usage(load), undefined, cache);
    return load;
  };
  for (const d of docs) index.didOpenOrChange(d);
  for (const d of docs) validate(d);
  // Every item after the first moves (model.ts parseAroundChange keeps them, moved, with their nodes unmade), by 8
  // characters, then by 8 more (moved back to its place, an item's nodes would be its first ones again).
  const typed = text.replace('- required_engine_version: 15\n', '- required_engine_version: 15\n# typed\n');
  assert.notEqual(typed, text);
  let doc = docs[1];
  for (const next of [typed, typed.replace('# typed\n', '# typed\n# typed\n')]) {
    const change = incrementalChange(doc.getText(), next);
    doc = TextDocument.update(doc, [change], doc.version + 1);
    index.didOpenOrChange(doc, [change]);
    validate(doc);
    const items = index.fileOf(validate(docs[0]), doc.uri)!.model.items;
    const made = items.filter(placed).length;
    assert.ok(items.length > 100, `${items.length} items`);
    assert.ok(made <= items.length / 10, `the validations after an edit made the nodes of ${made} of ${items.length} items`);
  }
});
