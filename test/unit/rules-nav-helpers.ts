// Helpers of the rules navigation tests: fixtures carry a caret marker `<|>` (a bare `|` is YAML's literal-block
// indicator and Falco's output separator, so the marker is the `|` between angle brackets).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MarkupContent, Position } from 'vscode-languageserver-types';
import { createRulesService, type RulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

export const CARET = '<|>';

/** Removes the caret marker(s) from a fixture; returns the text and the offset of each marker. */
export function carets(marked: string): { text: string; offsets: number[] } {
  const offsets: number[] = [];
  let text = '';
  let last = 0;
  for (let at = marked.indexOf(CARET); at >= 0; at = marked.indexOf(CARET, last)) {
    text += marked.slice(last, at);
    offsets.push(text.length);
    last = at + CARET.length;
  }
  return { text: text + marked.slice(last), offsets };
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'rules-nav', name), 'utf8');
}

/** A service over in-memory files inside the workspace folder /ws (plus optional configured files outside it). */
export function workspace(files: Record<string, string>, options: { folders?: string[]; ruleFiles?: string[] } = {}): { service: RulesService; host: MemoryHost } {
  const host = new MemoryHost(files, { folders: options.folders ?? ['/ws'], ruleFiles: options.ruleFiles });
  return { service: createRulesService(host), host };
}

/** A service with every file of `files` open; `at` gives the document and the position `into` characters into the
 *  n-th occurrence of `needle` in a file. */
export function openWorkspace(files: Record<string, string>, options: { folders?: string[]; ruleFiles?: string[] } = {}) {
  const { service } = workspace(files, options);
  const docs = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, rulesDoc(p, t)]));
  for (const d of Object.values(docs)) service.didOpenOrChange?.(d);
  const at = (file: string, needle: string, n = 0, into = 1) => {
    let i = -1;
    for (let k = 0; k <= n; k++) i = files[file].indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} not in ${file}`);
    return { doc: docs[file], position: docs[file].positionAt(i + into) };
  };
  return { service, docs, at };
}

/** Opens a document whose text carries one caret; returns the document and the caret position. */
export function openAt(service: RulesService, file: string, marked: string): { doc: ReturnType<typeof rulesDoc>; position: Position; text: string } {
  const { text, offsets } = carets(marked);
  const doc = rulesDoc(file, text);
  service.didOpenOrChange?.(doc);
  return { doc, position: doc.positionAt(offsets[0]), text };
}

/** Markdown as read: the escapes of escapeMarkdown taken off. */
export function unescapedMarkdown(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

/** The Markdown of the hover at `<|>` in `marked`, opened as /ws/rules.yaml in an empty workspace at the target release. */
export function hoverMarkdownAt(marked: string, falcoVersion: string): string {
  const { service, host } = workspace({});
  host.config = { ...host.config, falcoVersion };
  const { doc, position } = openAt(service, '/ws/rules.yaml', marked);
  const h = service.hover!(doc, position);
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

/** The text a range covers in a document. */
export function textAt(text: string, range: { start: Position; end: Position }): string {
  const doc = rulesDoc('/tmp/x.yaml', text);
  return text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
}
