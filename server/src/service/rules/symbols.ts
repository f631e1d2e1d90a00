// Document symbols (rules, macros, lists and the file's requirements), workspace symbols across the loaded rules
// files, and folding ranges (each item, multi-line conditions and outputs, exceptions, comment blocks).
import { SymbolKind, FoldingRangeKind, type DocumentSymbol, type FoldingRange, type SymbolInformation } from 'vscode-languageserver-types';
import { entryOf, scalarText, type ModelItem, type RulesFileModel, type Span } from './model';
import { fileLabel, isDefinitionItem, type LoadResult, type LoadedFile } from './workspace';
import { table } from '../../knowledge/table';

/** Caps: a huge generated file must not flood the outline. */
export const MAX_DOCUMENT_SYMBOLS = 5000;
export const MAX_WORKSPACE_SYMBOLS = 1000;

const KIND: Record<string, SymbolKind> = table({
  rule: SymbolKind.Event,
  macro: SymbolKind.Function,
  list: SymbolKind.Array,
  required_engine_version: SymbolKind.Property,
  required_plugin_versions: SymbolKind.Package,
});

/** The span without trailing blanks and line breaks (block nodes end after their last line break). */
function trimmed(model: RulesFileModel, span: Span): Span {
  let end = Math.max(span.start, span.end);
  while (end > span.start && /\s/.test(model.text[end - 1])) end--;
  return { start: span.start, end };
}

function oneLine(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function symbolName(item: ModelItem): string | undefined {
  if (item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list') return item.name;
  if (item.kind === 'required_engine_version') return `required_engine_version ${scalarText(item.kindEntry?.value) ?? ''}`.trim();
  if (item.kind === 'required_plugin_versions') return 'required_plugin_versions';
  return undefined;
}

function detailOf(item: ModelItem): string {
  const change = isDefinitionItem(item) ? '' : (() => {
    const o = entryOf(item, 'override')?.value;
    const keys = o?.kind === 'map' ? o.entries.map((e) => `${e.key}: ${scalarText(e.value) ?? '?'}`) : [];
    return keys.length ? `override (${keys.join(', ')})` : entryOf(item, 'append') ? 'append' : 'override';
  })();
  let own = '';
  if (item.kind === 'rule') {
    const priority = scalarText(entryOf(item, 'priority')?.value);
    const source = scalarText(entryOf(item, 'source')?.value);
    const enabled = entryOf(item, 'enabled')?.value;
    own = [priority, source, enabled?.kind === 'scalar' && enabled.value === false ? 'disabled' : undefined].filter(Boolean).join(' · ');
  } else if (item.kind === 'macro') {
    own = oneLine(scalarText(entryOf(item, 'condition')?.value) ?? '', 60);
  } else if (item.kind === 'list') {
    const items = entryOf(item, 'items')?.value;
    const n = items?.kind === 'seq' ? items.items.length : 0;
    own = `${n} item${n === 1 ? '' : 's'}`;
  } else if (item.kind === 'required_plugin_versions') {
    const v = item.kindEntry?.value;
    own = v?.kind === 'seq' ? v.items.map((p) => (p.kind === 'map' ? scalarText(entryOf({ entries: p.entries }, 'name')?.value) : undefined)).filter(Boolean).join(', ') : '';
  }
  return [change, own].filter((s) => s !== '').join(' — ');
}

/** Whether a document symbol is a rule, a macro or a list (what workspace symbols list). */
export function isDefinitionSymbol(kind: SymbolKind): boolean {
  return kind === KIND.rule || kind === KIND.macro || kind === KIND.list;
}

export function documentSymbolsOf(file: LoadedFile): DocumentSymbol[] {
  const model = file.model;
  const out: DocumentSymbol[] = [];
  for (const item of model.items) {
    if (out.length >= MAX_DOCUMENT_SYMBOLS) {
      // Say once that the outline is cut, with an entry at the first item left out.
      const rest = model.lines.range(item.span.start, item.span.start);
      out.push({ name: `… more items not shown (outline capped at ${MAX_DOCUMENT_SYMBOLS})`, kind: SymbolKind.Null, range: rest, selectionRange: rest });
      break;
    }
    const name = symbolName(item);
    if (name === undefined || name === '') continue;
    const span = trimmed(model, item.span);
    const selection = item.nameSpan ?? item.kindEntry?.keySpan ?? span;
    out.push({
      name, detail: detailOf(item), kind: KIND[item.kind] ?? SymbolKind.Object,
      range: model.lines.range(span.start, span.end),
      selectionRange: model.lines.range(selection.start, Math.min(selection.end, span.end)),
    });
  }
  return out;
}

/** Case-insensitive subsequence match, as editors filter symbol lists. */
export function symbolMatches(name: string, query: string): boolean {
  if (query === '') return true;
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    if (c === ' ') continue;
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

export function workspaceSymbolsOf(load: LoadResult, query: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const file of load.files) {
    // A file that configured paths load twice (LoadedFile.sameAs) lists its symbols once.
    if (file.sameAs !== undefined) continue;
    // Named as messages name it (its base name, more of its path where another loaded file has that name).
    const container = fileLabel(file);
    for (const item of file.model.items) {
      if ((item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') || !item.name || !symbolMatches(item.name, query)) continue;
      const span = item.nameSpan ?? item.span;
      out.push({ name: item.name, kind: KIND[item.kind], containerName: container, location: { uri: file.uri, range: file.model.lines.range(span.start, span.end) } });
      if (out.length >= MAX_WORKSPACE_SYMBOLS) return out;
    }
  }
  return out;
}

export function foldingRangesOf(model: RulesFileModel): FoldingRange[] {
  const out: FoldingRange[] = [];
  const lines = model.lines;
  const add = (span: Span, kind?: FoldingRangeKind) => {
    const t = trimmed(model, span);
    const start = lines.positionAt(t.start).line;
    const end = lines.positionAt(t.end).line;
    if (end > start) out.push(kind ? { startLine: start, endLine: end, kind } : { startLine: start, endLine: end });
  };
  for (const item of model.items) {
    add(item.span);
    for (const e of item.entries) {
      if (!e.value) continue;
      // Multi-line conditions, outputs, descriptions, lists of items, exceptions, overrides.
      if (['condition', 'output', 'desc', 'items', 'exceptions', 'override', 'tags'].includes(e.key)) add(e.span);
      if (e.key === 'exceptions' && e.value.kind === 'seq') for (const ex of e.value.items) add(ex.span);
    }
  }
  // Runs of two or more comment lines.
  let runStart = -1;
  for (let line = 0; line <= lines.lineCount; line++) {
    const isComment = line < lines.lineCount && /^\s*#/.test(lines.lineText(line));
    if (isComment && runStart < 0) runStart = line;
    if (!isComment && runStart >= 0) {
      if (line - 1 > runStart) out.push({ startLine: runStart, endLine: line - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  // One range per start line (editors keep the first).
  return out.filter((r, i) => i === 0 || out[i - 1].startLine !== r.startLine);
}
