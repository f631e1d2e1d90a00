// Document highlights in rules files: on a macro, list or rule name (its definition, a condition, another list's items,
// an exception's values, an override or append item) every occurrence in the document — Write where an item names
// it, Read where it is used — from the same occurrences that find references reads; on a field, its uses in the same
// item. Nothing anywhere else, and never an error. Embedded blocks answer on their host's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver-types';
import { fixture, openWorkspace, textAt, workspace } from './rules-nav-helpers';
import { CORPUS_RULES, MemoryHost, corpusExists, rulesDoc } from './rules-host';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { openHost, positionOf, textAt as hostTextAt } from './embedded-helpers';
import { pathToUri } from '../../server/src/service/uri';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';

/** "line:R|W:text" of each highlight, in document order. */
function describe(text: string, highlights: DocumentHighlight[] | null): string[] {
  assert.ok(highlights, 'the rules service answers');
  return highlights.map((h) => `${h.range.start.line + 1}:${h.kind === DocumentHighlightKind.Write ? 'W' : h.kind === DocumentHighlightKind.Read ? 'R' : 'T'}:${textAt(text, h.range)}`)
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
}

/** A service with both navigation fixtures open; `at` finds the n-th `needle` of a file, `into` characters in. */
function setup(files: Record<string, string> = { [BASE]: fixture('falco_rules.yaml'), [LOCAL]: fixture('falco_rules.local.yaml') }) {
  const { service, at } = openWorkspace(files);
  const highlights = (file: string, needle: string, into = 1, n = 0) => {
    const { doc, position } = at(file, needle, n, into);
    return describe(files[file], service.documentHighlights!(doc, position));
  };
  return { highlights };
}

test('a list: its definition, other lists\' items, a condition and an exception value, from each of them alike', () => {
  const { highlights } = setup();
  const expected = ['2:W:shell_binaries', '6:R:shell_binaries', '12:R:shell_binaries', '26:R:shell_binaries'];
  assert.deepEqual(highlights(BASE, 'list: shell_binaries', 8), expected);
  assert.deepEqual(highlights(BASE, '[shell_binaries, fish]', 3), expected, 'from another list\'s items');
  assert.deepEqual(highlights(BASE, 'in (shell_binaries)', 6), expected, 'from a condition');
  assert.deepEqual(highlights(BASE, '[(shell_binaries)]', 4), expected, 'from an exception value');
  // Only this document: the local file's override and use are not highlighted here.
  assert.ok(!highlights(BASE, 'list: shell_binaries', 8).some((h) => h.startsWith('7:') || h.startsWith('19:')));
});

test('a macro in a folded multi-line condition, and an override item\'s name is a write', () => {
  const { highlights } = setup();
  assert.deepEqual(highlights(BASE, 'and shell_procs', 6), ['11:W:shell_procs', '18:R:shell_procs']);
  assert.deepEqual(highlights(BASE, '  spawned_process\n', 5), ['8:W:spawned_process', '17:R:spawned_process']);
  // The local file: an appending override names the macro (W), a condition uses it (R).
  const fromOverride = ['2:W:spawned_process', '19:R:spawned_process'];
  assert.deepEqual(highlights(LOCAL, 'macro: spawned_process', 9), fromOverride);
  assert.deepEqual(highlights(LOCAL, '"spawned_process', 3), fromOverride, 'inside a double-quoted condition');
  assert.deepEqual(highlights(LOCAL, 'items: [ksh]', 0, 0).length, 0, 'on a key: nothing');
  assert.deepEqual(highlights(LOCAL, '- list: shell_binaries', 10), ['7:W:shell_binaries', '19:R:shell_binaries']);
  assert.deepEqual(highlights(LOCAL, '"Shell Spawned"', 3), ['12:W:Shell Spawned']);
});

test('a field: its uses in the same item (condition, output and exception fields), not in other items', () => {
  const { highlights } = setup();
  assert.deepEqual(highlights(BASE, 'not proc.pname', 6), ['19:R:proc.pname', '20:R:proc.pname', '24:R:proc.pname']);
  // From the output: the highlight is the name, without the `%`.
  assert.deepEqual(highlights(BASE, '%proc.pname', 2), ['19:R:proc.pname', '20:R:proc.pname', '24:R:proc.pname']);
  assert.deepEqual(highlights(BASE, 'proc.name in (shell_binaries)', 2), ['12:R:proc.name'], 'shell_procs only, not the rule\'s output');
});

test('nothing (an empty answer, no error) on text that names nothing', () => {
  const { highlights } = setup();
  for (const [needle, into] of [['desc: A shell', 8], ['priority: WARNING', 12], ['# Base file', 3], ['evt.dir = <', 10], ['[bash, sh', 2], ['(execve, execveat)', 3], ['comps: in', 7]] as const) {
    assert.deepEqual(highlights(BASE, needle, into), [], needle);
  }
  // A word in `in (...)` that names no loaded list is a plain value.
  assert.deepEqual(highlights(LOCAL, "'x'", 1), []);
});

test('the official rules: every highlight of a name is a reference of it in this file, Write exactly at its definitions', { skip: !corpusExists }, () => {
  const file = path.join(CORPUS_RULES, 'falcosecurity__rules', 'falco_rules.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const { service } = workspace({ [BASE]: text });
  const doc = rulesDoc(BASE, text);
  service.didOpenOrChange?.(doc);
  const uri = pathToUri(BASE);
  const key = (r: { start: { line: number; character: number } }) => `${r.start.line}:${r.start.character}`;
  for (const [needle, into] of [['- macro: open_write', 12], ['- list: shell_binaries', 10], ['- macro: spawned_process', 12], ['- rule: Terminal shell in container', 12], ['- list: sensitive_file_names', 12]] as const) {
    const position = doc.positionAt(text.indexOf(needle) + into);
    const highlights = service.documentHighlights!(doc, position)!;
    const references = service.references!(doc, position, true).filter((l) => l.uri === uri);
    assert.deepEqual(highlights.map((h) => key(h.range)).sort(), references.map((l) => key(l.range)).sort(), needle);
    const definitions = service.definition!(doc, position).filter((l) => l.uri === uri).map((l) => key(l.range));
    assert.deepEqual(highlights.filter((h) => h.kind === DocumentHighlightKind.Write).map((h) => key(h.range)).sort(), definitions.sort(), needle);
    assert.ok(highlights.length >= 2 || needle.includes('rule:'), `${needle} is used in the file`);
    // From a use, the same answer.
    const use = highlights.find((h) => h.kind === DocumentHighlightKind.Read);
    if (use) assert.deepEqual(service.documentHighlights!(doc, use.range.start), highlights, `${needle} from a use`);
  }
});

test('CRLF line breaks and a broken YAML item: exact ranges, never an error', () => {
  const text = '- list: shells\r\n  items: [bash, sh]\r\n\r\n- macro: sh_proc\r\n  condition: >\r\n    proc.name in (shells)\r\n    and proc.name != x\r\n\r\n- rule: broken\r\n  desc: [unclosed\r\n  condition: sh_proc and proc.name in (shells)\r\n';
  const { service } = workspace({ [BASE]: text });
  const doc = rulesDoc(BASE, text);
  service.didOpenOrChange?.(doc);
  const at = (needle: string, into: number, n = 0) => {
    let i = -1;
    for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
    return describe(text, service.documentHighlights!(doc, doc.positionAt(i + into)));
  };
  assert.deepEqual(at('in (shells)', 5).filter((h) => h.startsWith('1:') || h.startsWith('6:')), ['1:W:shells', '6:R:shells']);
  assert.deepEqual(at('proc.name', 3), ['6:R:proc.name', '7:R:proc.name']);
  for (let offset = 0; offset <= text.length; offset += 7) assert.doesNotThrow(() => service.documentHighlights!(doc, doc.positionAt(offset)));
});

test('embedded blocks: a chart\'s customRules and an operator Rulesfile\'s inlineRules answer on the host, across the host\'s blocks', () => {
  const values = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'helm', 'values.yaml'), 'utf8');
  const service = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(service, values, 'file:///ws/deploy/values.yaml');
  const describeHost = (text: string, found: DocumentHighlight[] | null) => (found ?? []).map((h) => `${h.range.start.line + 1}:${h.kind === DocumentHighlightKind.Write ? 'W' : 'R'}:${hostTextAt(text, h)}`).sort();
  // nginx_binaries is defined in 00-macros.yaml and used in rules-nginx.yaml: both blocks of the same values file.
  const expected = ['18:R:nginx_binaries', '8:W:nginx_binaries'];
  assert.deepEqual(describeHost(values, service.embedded.documentHighlights!(doc, positionOf(values, 'in (nginx_binaries)', 6))), expected);
  assert.deepEqual(describeHost(values, service.embedded.documentHighlights!(doc, positionOf(values, 'list: nginx_binaries', 8))), expected);
  assert.deepEqual(describeHost(values, service.embedded.documentHighlights!(doc, positionOf(values, 'proc.pname', 2))), ['18:R:proc.pname', '20:R:proc.pname']);
  // Outside the blocks the YAML tooling answers (null); inside, on nothing, an empty answer.
  assert.equal(service.embedded.documentHighlights!(doc, positionOf(values, 'kind: modern_ebpf', 2)), null);
  assert.deepEqual(service.embedded.documentHighlights!(doc, positionOf(values, 'desc: A shell', 9)), []);

  const operator = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'operator', 'rulesfiles.yaml'), 'utf8');
  const host = openHost(service, operator, 'file:///ws/deploy/falco/rulesfiles.yaml');
  const found = describeHost(operator, service.embedded.documentHighlights!(host, positionOf(operator, 'macro: web_server_container', 8)));
  assert.ok(found.includes(`${operator.slice(0, operator.indexOf('macro: web_server_container')).split('\n').length}:W:web_server_container`), found.join(', '));
  assert.ok(found.filter((h) => h.includes(':R:')).length >= 2, `the Rulesfiles' conditions use it: ${found.join(', ')}`);
});
