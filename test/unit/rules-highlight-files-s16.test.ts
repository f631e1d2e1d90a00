// documentHighlight is per document: on a macro, list or rule name it highlights that name's occurrences in the
// document asked (Read at uses, Write where an item names it), also when the definition is in another file of the
// load order or of the Falco Operator Rulesfile set; never the other file's lines, and never a same-named item of
// another set (another namespace's Rulesfiles). Already so (navigation.ts highlightsAt filters the references to the
// file; embedded/index.ts adds the host's other blocks from the same references); pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, rulesDoc } from './rules-host';
import { openHost, operatorRulesfile, positionOf, textAt } from './embedded-helpers';

const show = (text: string, found: DocumentHighlight[] | null | undefined) => (found ?? [])
  .map((h) => `${h.range.start.line + 1}:${h.kind === DocumentHighlightKind.Write ? 'W' : 'R'}:${textAt(text, h)}`).sort();

test('a rules file: the uses of a macro and a list defined in another file, and its own override of the macro', () => {
  const base = '- list: shells\n  items: [bash]\n- macro: shell_proc\n  condition: proc.name in (shells)\n';
  const local = '- macro: shell_proc\n  condition: or proc.name = zsh\n  override:\n    condition: append\n'
    + '- rule: Shell\n  desc: d\n  condition: evt.type = execve and shell_proc and not proc.pname in (shells)\n  output: "o | p=%proc.name"\n  priority: INFO\n'
    + '- rule: Shell again\n  desc: d\n  condition: evt.type = execveat and shell_proc\n  output: "o | p=%proc.name"\n  priority: INFO\n';
  const host = new MemoryHost({ '/ws/falco_rules.yaml': base, '/ws/falco_rules.local.yaml': local }, { folders: ['/ws'] });
  const svc = createRulesService(host);
  const doc = rulesDoc('/ws/falco_rules.local.yaml', local);
  svc.didOpenOrChange?.(doc);
  const at = (needle: string, into: number) => svc.documentHighlights?.(doc, positionOf(local, needle, into));
  const macro = ['1:W:shell_proc', '7:R:shell_proc', '12:R:shell_proc'].sort();
  assert.deepEqual(show(local, at('and shell_proc', 6)), macro);
  assert.deepEqual(show(local, at('macro: shell_proc', 9)), macro);
  assert.deepEqual(show(local, at('(shells)', 3)), ['7:R:shells']);
  // The definitions are another document's: references name them, highlights do not.
  assert.ok(svc.references?.(doc, positionOf(local, 'and shell_proc', 6), true)?.some((l) => l.uri === pathToUri('/ws/falco_rules.yaml')));
});

test('a Falco Operator Rulesfile set across two manifests: the uses in this manifest\'s blocks, not the other namespace\'s', () => {
  const macros = operatorRulesfile('web-macros', 'priority: 55\ninlineRules:\n  - macro: web_container\n    condition: container.image.repository = nginx\n');
  const rule = (name: string, evt: string) => `  - rule: ${name}\n    desc: d\n    condition: evt.type = ${evt} and web_container\n    output: "o | c=%container.name"\n    priority: NOTICE\n`;
  const rules = [
    operatorRulesfile('web-rules', `priority: 60\ninlineRules:\n${rule('Web exec', 'execve')}`),
    operatorRulesfile('web-more', `priority: 61\ninlineRules:\n${rule('Web exec at', 'execveat')}`),
    // Another namespace's set, with a macro of the same name: another deployment.
    operatorRulesfile('other', `priority: 60\ninlineRules:\n  - macro: web_container\n    condition: container.name = web\n${rule('Other exec', 'execve')}`, 'other'),
  ].join('---\n');
  const service = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  openHost(service, macros, 'file:///ws/deploy/macros.yaml');
  const doc = openHost(service, rules, 'file:///ws/deploy/rules.yaml');
  const lineOf = (needle: string, nth = 0) => {
    let i = -1;
    for (let k = 0; k <= nth; k++) i = rules.indexOf(needle, i + 1);
    return rules.slice(0, i).split('\n').length;
  };
  const uses = [`${lineOf('and web_container')}:R:web_container`, `${lineOf('and web_container', 1)}:R:web_container`].sort();
  assert.deepEqual(show(rules, service.embedded.documentHighlights!(doc, positionOf(rules, 'and web_container', 6))), uses);
  assert.deepEqual(show(rules, service.embedded.documentHighlights!(doc, positionOf(rules, 'and web_container', 6, 1))), uses);
  // From the other namespace: its own macro and use only.
  assert.deepEqual(show(rules, service.embedded.documentHighlights!(doc, positionOf(rules, 'and web_container', 6, 2))),
    [`${lineOf('macro: web_container')}:W:web_container`, `${lineOf('and web_container', 2)}:R:web_container`].sort());
});

test('a Helm values file: a macro of the workspace\'s rules file, used in two customRules entries', () => {
  const base = '- macro: shell_proc\n  condition: proc.name in (bash, sh)\n';
  const rule = (name: string) => `    - rule: ${name}\n      desc: d\n      condition: evt.type = execve and shell_proc\n      output: "o | p=%proc.name"\n      priority: INFO\n`;
  const values = `customRules:\n  a-rules.yaml: |-\n${rule('A shell')}  b-rules.yaml: |-\n${rule('B shell')}`;
  const service = new FalcoLanguageService(new MemoryHost({ '/ws/falco_rules.yaml': base }, { folders: ['/ws'] }));
  const doc = openHost(service, values, 'file:///ws/deploy/values.yaml');
  assert.deepEqual(show(values, service.embedded.documentHighlights!(doc, positionOf(values, 'and shell_proc', 6))), ['11:R:shell_proc', '5:R:shell_proc']);
});
