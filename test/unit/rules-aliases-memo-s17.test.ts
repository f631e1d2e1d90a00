// The condition findings memo (itemFindings.ts) keeps an item reading another item's text through an alias (session
// 17, helper C): its findings in that text are kept relative to it (model.ts Chunk.readsAt) and replayed at its new
// place, so an edit that changes neither the reader's text nor the text it reads does not check it again. It was
// checked again on every edit (a finding outside the item's chunk was never kept).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { ItemCheckCache, diagnoseFile } from '../../server/src/service/rules/diagnose';
import { clearCheckMemos, UsageIndex } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache } from '../../server/src/service/rules/model';
import { clearLoadMemos, RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, rulesDoc, summarize } from './rules-host';

const FILE = '/etc/falco/falco_rules.local.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';
const rule = (name: string, condition: string) => [`- rule: ${name}`, '  desc: d', `  condition: ${condition}`, '  output: o', '  priority: INFO'];
const TEXT = lines(
  '- macro: spawned', '  condition: &spawn evt.type = execve and proc.nmae = bash',
  ...rule('Anchored Exceptions', 'evt.type = open'), '  exceptions: &ex', '    - name: e', '      fields: [proc.nmae]', '      values: [[x]]',
  ...rule('Plain', 'evt.type = open and proc.name = y'),
  ...rule('Reader A', '*spawn'),
  ...rule('Reader B', 'evt.type = open'), '  exceptions: *ex',
  ...rule('Reader C', '*spawn'), '  exceptions: *ex',
);

function workspace() {
  const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [FILE] }));
  const cache = new ItemCheckCache();
  let version = 1;
  return (text: string): { checked: number; found: Diagnostic[] } => {
    index.didOpenOrChange(rulesDoc(FILE, text, version++));
    const load = index.load();
    const file = load.files.find((f) => f.uri === pathToUri(FILE))!;
    assert.ok(file.model.chunks && file.model.aliases, 'read chunk by chunk, with its aliases');
    const found = diagnoseFile(file, load, new UsageIndex(load), undefined, cache);
    return { checked: cache.findings.lastChecked, found };
  };
}

function fromNothing(text: string): Diagnostic[] {
  clearCheckMemos();
  clearChunkCache();
  clearLoadMemos();
  const host = new MemoryHost({ [FILE]: text }, { ruleFiles: [FILE] });
  const index = new RulesWorkspaceIndex(host);
  const load = index.load();
  return diagnoseFile(index.fileOf(load, pathToUri(FILE))!, load, new UsageIndex(load));
}

test('readers whose findings lie in the anchored text replay them at its new place when neither text changed', () => {
  const validate = workspace();
  const first = validate(TEXT);
  assert.equal(first.checked, 6, 'every rule and macro');
  // The readers find the misspelt field in the anchored texts, for themselves.
  const via = first.found.filter((d) => /read this text through aliases/.test(String(d.message)));
  assert.equal(via.length, 2, first.found.map(summarize).join('\n'));
  const steps: [string, string, number][] = [
    // Between the anchors and the readers: the readers move, the anchored texts do not.
    ['lines typed in Plain', TEXT.replace('proc.name = y', 'proc.name = y and proc.pid > 1'), 1],
    ['a line added to Plain', TEXT.replace('  priority: INFO\n- rule: Reader A', '  priority: INFO\n  tags: [t]\n- rule: Reader A'), 1],
    // Above everything: every item moves, none changed.
    ['a comment line at the top', `# Team rules.\n${TEXT}`, 0],
    // A rule added at the end: it alone (one added above a macro or list checks every item: Falco orders lists by place).
    ['a rule added at the end', TEXT + lines(...rule('Last', 'evt.type = close')), 1],
    // The anchored exceptions' rule: it and the rules reading its text.
    ['the anchored exceptions changed', TEXT.replace('values: [[x]]', 'values: [[xy]]'), 3],
    // The macro: every item (a changed macro may reach every rule).
    ['the anchored macro changed', TEXT.replace('proc.nmae = bash', 'proc.nmae = sh'), 6],
  ];
  for (const [what, text, checked] of steps) {
    validate(TEXT);
    const got = validate(text);
    assert.equal(got.checked, checked, what);
    assert.deepEqual(got.found.map(summarize), fromNothing(text).map(summarize), what);
  }
});
