// Navigation in rules files — go to definition, find references, document highlights and rename for macros, lists and
// rules across every loaded file (workspace folders and configured rules files, in Falco's load order) — and the
// factory that gives the rules service its hover, completion, navigation, symbol, folding, selection-range and
// semantic-token features.
//
// A name is used by: the item that defines it, items that override/append/redefine it, macro references in
// conditions, a list's name wherever it stands between list delimiters in a condition (semanticTokens.ts
// conditionListWords), names in other lists' `items:`, and exception values naming lists. All come from the token
// analysis of each file (semanticTokens.ts), but for the condition's words and the exception fields, operators and
// words of values Falco replaces by a list's items (exceptionListUses).
import { RequestRefused } from '../features';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DocumentHighlightKind, type CompletionList, type DocumentHighlight, type DocumentSymbol, type FoldingRange, type Hover,
  type Location, type Position, type Range, type SelectionRange, type SemanticTokens, type SemanticTokensLegend,
  type SymbolInformation, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { ServiceHost } from '../host';
import { editVersion, filesEdit, type FileEdits } from '../edits';
import { URI_TO_PATH } from '../uri';
import { yamlQuote } from '../yamlText';
import { LIST_NAME, MACRO_NAME } from './schema';
import { lookupField } from '../../knowledge';
import { entryOf, scalarMap, scalarText, type ModelNode, type ScalarNode, type Span } from './model';
import { analyzeFile, conditionListWordNear, conditionListWords, loadedListNames, semanticTokensOf, SEMANTIC_TOKENS_LEGEND, tokenAt, type ItemAnalysis, type NameKind, type RulesToken } from './semanticTokens';
import { listItemNamesList, ruleExceptions, type LoadResult, type LoadedFile } from './workspace';
import { exceptionValuesAsPasted } from './conditionChecks';
import { aliasAt, anchorSpan, hoverAt } from './hover';
import { completionAt } from './completion';
import { documentSymbolsOf, foldingRangesOf, workspaceSymbolsOf } from './symbols';
import { selectionRangeAt } from './selection';
import type { OutputAppend } from '../config/rulesFiles';
import { withoutTrailing } from '../text';

/** Thrown by prepareRename and rename when a rename is refused; the message is meant for the user. The LSP adapter
 *  turns it into a ResponseError so that the editor shows the message. */
export class RenameRefused extends RequestRefused {
  constructor(message: string) {
    super(message);
    this.name = 'RenameRefused';
  }
}

export interface Occurrence {
  file: LoadedFile;
  span: Span;
  /** definition: the item that defines the name; override: an item that changes it; reference: a use. */
  role: 'definition' | 'override' | 'reference';
  token: RulesToken;
  /**
   * A use a rename leaves as written, and why: an exception's field or operator named like the list. Falco writes
   * them into the rule's condition and replaces the list's name by its items there too (a use of the list), but the
   * collector checks the field's name as a field first: renamed, the rule would not load. The expansion is the
   * mistake list-name-expanded reports, and renaming the list is its fix.
   */
  kept?: string;
}

const occurrenceIndexes = new WeakMap<LoadResult, Map<string, Occurrence[]>>();
const keyOf = (kind: NameKind, name: string) => `${kind}\u0000${name}`;

/** Every occurrence of every rule, macro and list name in the loaded files (cached per load result). */
export function occurrenceIndex(load: LoadResult): Map<string, Occurrence[]> {
  let index = occurrenceIndexes.get(load);
  if (index) return index;
  index = new Map();
  const lists = loadedListNames(load);
  const add = (kind: NameKind, name: string, o: Occurrence) => {
    const key = keyOf(kind, name);
    const list = index!.get(key);
    if (list) list.push(o); else index!.set(key, [o]);
  };
  // A file that configured paths load twice (the same path again, or another path of it: LoadedFile.sameAs) is one
  // text: its occurrences are listed once, under its first load.
  for (const file of load.files) {
    if (file.sameAs !== undefined) continue;
    // Spans of condition words already listed: with YAML aliases several items read the same condition text.
    const listed = new Set<number>();
    for (const item of analyzeFile(file.model).items) {
      // In a condition, Falco replaces a list's name wherever it stands between delimiters (conditionListWords): as a
      // value after any operator, a list operator's item, a field, an operator, a keyword, a word inside a quoted
      // string, or where a macro would be read (it pastes lists before it resolves macros), and nowhere else.
      const words = conditionListWords(item.item);
      const listWordStarts = new Set<number>();
      for (const w of words) {
        if (!lists.has(w.word)) continue;
        listWordStarts.add(w.span.start);
        if (listed.has(w.span.start)) continue;
        listed.add(w.span.start);
        const style = entryOf(item.item, 'condition')?.value?.kind === 'scalar' ? (entryOf(item.item, 'condition')!.value as ScalarNode).style : 'plain';
        add('list', w.word, { file, span: w.span, role: 'reference', token: { kind: 'list-candidate', span: w.span, name: w.word, place: 'condition', style } });
      }
      for (const token of item.tokens) {
        if (token.kind === 'name') add(token.nameKind, token.name, { file, span: token.span, role: token.definition ? 'definition' : 'override', token });
        // A macro reference is the list where a list's name stands (above); a word Falco does not expand is the macro.
        else if (token.kind === 'macro-ref') {
          if (!(token.place === 'condition' && listWordStarts.has(token.span.start))) add('macro', token.name, { file, span: token.span, role: 'reference', token });
        }
        // A list's item naming a list defined before it (listItemNamesList). A condition's list uses are its words
        // above, an exception's come from exceptionListUses below.
        else if (token.kind === 'list-candidate' && token.place === 'items' && lists.has(token.name) && listItemNamesList(load, item.item, token.name)) {
          add('list', token.name, { file, span: token.span, role: 'reference', token });
        }
      }
      if (item.item.kind === 'rule') for (const o of exceptionListUses(load, file, item, lists)) add('list', o.name, o.occurrence);
    }
  }
  // In document order within each file (an item's exception uses come after its tokens above).
  const order = new Map(load.files.map((f, i) => [f, i]));
  for (const list of index.values()) list.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.span.start - b.span.start);
  occurrenceIndexes.set(load, index);
  return index;
}

/** The rule, macro or list name under the cursor, if any. */
export function symbolAt(load: LoadResult, file: LoadedFile, offset: number): { kind: NameKind; name: string; token: RulesToken } | undefined {
  const analysis = analyzeFile(file.model);
  // In a condition, whatever the parser reads there, a list's name between delimiters is the list (conditionListWords).
  const word = conditionListWordNear(analysis, offset, loadedListNames(load));
  if (word) return { kind: 'list', name: word.word, token: { kind: 'list-candidate', span: word.span, name: word.word, place: 'condition', style: 'plain' } };
  const found = tokenAt(analysis, offset);
  if (!found) return undefined;
  const t = found.token;
  if (t.kind === 'name') return { kind: t.nameKind, name: t.name, token: t };
  if (t.place === 'condition') return t.kind === 'macro-ref' ? { kind: 'macro', name: t.name, token: t } : undefined;
  // An exception's field or operator, or a word of a value, that Falco replaces by a list's items.
  if (t.place.startsWith('exception-')) {
    const use = exceptionListUseAt(load, file, found.item, offset);
    return use ? { kind: 'list', name: use.name, token: use.occurrence.token } : undefined;
  }
  if (t.kind === 'list-candidate' && t.place === 'items' && listItemNamesList(load, found.item.item, t.name)) return { kind: 'list', name: t.name, token: t };
  return undefined;
}

/** resolve_list's delimiters (rule_loader_compiler.cpp 0.44.0:182-238): a list's name is replaced only between them. */
const LIST_DELIMITER = /[ \t\n\r(),=]/;

/** The words between list delimiters of a text, with their offsets. */
function delimitedWords(text: string): { word: string; start: number }[] {
  const out: { word: string; start: number }[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const delimiter = i === text.length || LIST_DELIMITER.test(text[i]);
    if (!delimiter && start < 0) start = i;
    else if (delimiter && start >= 0) { out.push({ word: text.slice(start, i), start }); start = -1; }
  }
  return out;
}

/** Where `word` stands between delimiters in a value of a rule item's exceptions as Falco writes it (exceptionValuesAsPasted). */
function exceptionValueWordAt(load: LoadResult, analysis: ItemAnalysis, word: string): number | undefined {
  const item = analysis.item;
  if (item.kind !== 'rule' || !entryOf(item, 'exceptions')) return undefined;
  for (const v of exceptionValuesAsPasted(item, item.name !== undefined ? load.final.rules.get(item.name) : undefined)) {
    const w = delimitedWords(v.pasted).find((x) => x.word === word && x.start >= v.shift && x.start - v.shift + word.length <= v.node.text.length);
    if (w) return scalarMap(v.node).span(w.start - v.shift, w.start - v.shift + word.length).start;
  }
  return undefined;
}

/** A list use in a rule item's exceptions (a field, an operator, a word of a value). */
interface ExceptionListUse { name: string; occurrence: Occurrence }

const exceptionUsesMemo = new WeakMap<LoadResult, WeakMap<ItemAnalysis, ExceptionListUse[]>>();

/**
 * The uses of lists in a rule item's exceptions besides its one-word values (list-candidate tokens). Falco writes each
 * exception with values into the rule's condition (build_rule_exception_infos, rule_loader_compiler.cpp 0.44.0:100-161,
 * the same from 0.37.0: `field comp (v1, v2)`, a value with a blank quoted) and then replaces every list's name between
 * delimiters in that whole text (parse_condition, resolve_list), so:
 * - a field or an operator named like a list is a use when the exception is written: the rule loads it (its
 *   exceptions are not replaced later) and the exception of that name has values, from this item or another one
 *   adding values to it. A rename keeps them (Occurrence.kept);
 * - a value of several words has each word replaced (the quotes Falco puts around it are no delimiters).
 * An exception without values is not written: its field named like a list refers to nothing.
 */
function exceptionListUses(load: LoadResult, file: LoadedFile, analysis: ItemAnalysis, lists: ReadonlySet<string>): ExceptionListUse[] {
  let byItem = exceptionUsesMemo.get(load);
  if (!byItem) exceptionUsesMemo.set(load, byItem = new WeakMap());
  const known = byItem.get(analysis);
  if (known) return known;
  const out: ExceptionListUse[] = [];
  const item = analysis.item;
  const exceptions = entryOf(item, 'exceptions')?.value;
  const rule = item.name !== undefined ? load.final.rules.get(item.name) : undefined;
  if (exceptions?.kind === 'seq' && item.name !== undefined) {
    const compiled = rule ? ruleExceptions(rule) : [];
    const nameOf = (ex: ModelNode) => (ex.kind === 'map' ? scalarText(ex.entries.find((e) => e.key === 'name')?.value) : undefined);
    const hasValues = (ex: ModelNode) => {
      const values = ex.kind === 'map' ? ex.entries.find((e) => e.key === 'values')?.value : undefined;
      return values?.kind === 'seq' && values.items.length > 0;
    };
    for (const ex of exceptions.items) {
      if (ex.kind !== 'map') continue;
      const within = analysis.tokens.filter((t) => t.span.start >= ex.span.start && t.span.end <= ex.span.end);
      const name = nameOf(ex);
      const written = compiled.includes(ex) && compiled.some((e) => (e === ex || (name !== undefined && nameOf(e) === name)) && hasValues(e));
      for (const t of within) {
        if (written && (t.place === 'exception-fields' || t.place === 'exception-comps') && (t.kind === 'field' || t.kind === 'operator')) {
          // The scalar as written: Falco pastes it whole (a field's argument or a glued tail is part of the word).
          const node = scalarAround(ex, t.span.start);
          if (!node) continue;
          const map = scalarMap(node);
          for (const w of delimitedWords(node.text)) {
            const span = map.span(w.start, w.start + w.word.length);
            if (!lists.has(w.word) || span.start > t.span.start || span.end < t.span.end) continue;
            const role = t.place === 'exception-fields' ? 'field' : 'operator';
            out.push({ name: w.word, occurrence: { file, span, role: 'reference', token: t, kept: `the exception ${role} '${w.word}' stays as written: Falco checks it as a ${role} before it replaces it by the list's items, and renaming the list ends that replacement` } });
          }
        }
      }
    }
    // Each value as Falco writes it into the condition (quoted where it holds a blank, or in parentheses after a list
    // operator), and each word of it between delimiters: a word touching a quote Falco adds is no use.
    for (const v of exceptionValuesAsPasted(item, rule)) {
      const map = scalarMap(v.node);
      for (const w of delimitedWords(v.pasted)) {
        const start = w.start - v.shift;
        if (!lists.has(w.word) || start < 0 || start + w.word.length > v.node.text.length) continue;
        const span = map.span(start, start + w.word.length);
        out.push({ name: w.word, occurrence: { file, span, role: 'reference', token: { kind: 'list-candidate', span, name: w.word, place: 'exception-values', style: v.node.style } } });
      }
    }
  }
  byItem.set(analysis, out);
  return out;
}

/** The string scalar of an exception (its fields, comps or values, at any depth) whose span holds the offset. */
function scalarAround(node: ModelNode, offset: number): ScalarNode | undefined {
  if (node.kind === 'scalar') return typeof node.value === 'string' && node.span.start <= offset && offset < node.span.end ? node : undefined;
  if (node.kind === 'seq') for (const i of node.items) { const s = scalarAround(i, offset); if (s) return s; }
  if (node.kind === 'map') for (const e of node.entries) { if (e.value) { const s = scalarAround(e.value, offset); if (s) return s; } }
  return undefined;
}

/** The exception list use at an offset of a rule item, if any. */
function exceptionListUseAt(load: LoadResult, file: LoadedFile, analysis: ItemAnalysis, offset: number): ExceptionListUse | undefined {
  if (analysis.item.kind !== 'rule') return undefined;
  return exceptionListUses(load, file, analysis, loadedListNames(load)).find((u) => u.occurrence.span.start <= offset && offset <= u.occurrence.span.end);
}

function locationOf(o: Occurrence): Location {
  return { uri: o.file.uri, range: o.file.model.lines.range(o.span.start, o.span.end) };
}

export function definitionsOf(load: LoadResult, kind: NameKind, name: string): Occurrence[] {
  return (occurrenceIndex(load).get(keyOf(kind, name)) ?? []).filter((o) => o.role === 'definition');
}

export function referencesOf(load: LoadResult, kind: NameKind, name: string, includeDeclaration: boolean): Occurrence[] {
  return (occurrenceIndex(load).get(keyOf(kind, name)) ?? []).filter((o) => includeDeclaration || o.role !== 'definition');
}

/**
 * The occurrences as the document of `file` sees them. A file that configured paths load twice is listed under its
 * first load (occurrenceIndex); asked from another path of it (a file link, LoadedFile.sameAs) holding the same text,
 * that path names them: the editor's document, not a second buffer of the file.
 */
export function seenFrom(occurrences: Occurrence[], file: LoadedFile): Occurrence[] {
  const first = file.sameAs;
  if (first === undefined || first === file.uri) return occurrences;
  return occurrences.map((o) => (o.file.uri === first && o.file.model.text === file.model.text ? { ...o, file } : o));
}

/**
 * The document highlights at an offset: the occurrences in `file` of the macro, list or rule name under it (from the
 * occurrence index that references read: Write where an item names it — a definition, or an override or append
 * changing it — Read where it is used), or the uses of the field under it in the same item (its condition, output and
 * exception fields). Empty anywhere else.
 */
export function highlightsAt(load: LoadResult, file: LoadedFile, offset: number): DocumentHighlight[] {
  const lines = file.model.lines;
  const symbol = symbolAt(load, file, offset);
  if (symbol) {
    return seenFrom(referencesOf(load, symbol.kind, symbol.name, true), file).filter((o) => o.file === file).map((o) => ({
      range: lines.range(o.span.start, o.span.end),
      kind: o.role === 'reference' ? DocumentHighlightKind.Read : DocumentHighlightKind.Write,
    }));
  }
  const found = tokenAt(analyzeFile(file.model), offset);
  if (found?.token.kind !== 'field') return [];
  const name = found.token.name;
  const text = file.model.text;
  return found.item.tokens.filter((t) => t.kind === 'field' && t.name === name).map((t) => {
    // An output's `%proc.name` token starts at the `%`: the highlight covers the name.
    const start = text[t.span.start] === '%' ? t.span.start + 1 : t.span.start;
    return { range: lines.range(start, t.span.end), kind: DocumentHighlightKind.Read };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Rename

const KIND_LABEL: Record<NameKind, string> = { rule: 'rule', macro: 'macro', list: 'list' };
/** Words the condition grammar reserves: a macro of that name could never be referred to. */
const RESERVED = new Set(['and', 'or', 'not', 'val', 'exists', 'in', 'intersects', 'pmatch', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'oneof', 'anyof', 'allof']);
/** List names are substituted as text into conditions and YAML values of every style, so a rename only writes names
 *  that need no quoting anywhere: a subset of Falco's list-name rule. */
const SAFE_LIST_NAME = /^[A-Za-z_][A-Za-z0-9_.\-/+@]*$/;

function isInside(path: string, folder: string): boolean {
  const f = withoutTrailing(folder, '\\/');
  return path === f || path.startsWith(`${f}/`) || path.startsWith(`${f}\\`);
}

/** Why the occurrences cannot all be edited, or undefined when they can. */
function readOnlyReason(occurrences: Occurrence[], host: ServiceHost, label: string): string | undefined {
  const folders = host.workspaceFolders();
  for (const o of occurrences) {
    const path = o.file.path ?? URI_TO_PATH(o.file.uri);
    if (path && folders.some((f) => isInside(path, f))) continue;
    const where = path ?? o.file.uri;
    return `Cannot rename ${label}: it is also used in ${where}, which is outside the workspace folders${o.file.configured ? ' (a configured rules file, read-only here)' : ''}. Falco Lens only edits files inside the workspace folders; rename it there by hand or copy the file into the workspace.`;
  }
  return undefined;
}

function validateNewName(kind: NameKind, oldName: string, newName: string, load: LoadResult): string | undefined {
  if (newName === oldName) return undefined;
  if (newName.trim() === '') return `A ${KIND_LABEL[kind]} name cannot be empty.`;
  if (newName !== newName.trim() || /[\r\n\t]/.test(newName)) return `A ${KIND_LABEL[kind]} name cannot start or end with blanks or contain line breaks.`;
  if (kind === 'macro') {
    if (!MACRO_NAME.test(newName)) return `'${newName}' is not a valid macro name: use letters, digits and '_', starting with a letter (LOAD_INVALID_MACRO_NAME).`;
    if (RESERVED.has(newName)) return `'${newName}' is a word of the condition language and cannot name a macro.`;
    if (load.final.macros.has(newName)) return `A macro named '${newName}' already exists.`;
    // Falco replaces a list's name by its items in a condition's text before it parses it (rule_loader_compiler.cpp
    // 0.44.0 resolve_list): each use of the macro would become the list's items.
    if (load.final.lists.has(newName)) return `A list named '${newName}' exists: Falco replaces a list's name by its items wherever it stands in a condition, so the macro's uses would become the list's items.`;
  } else if (kind === 'list') {
    if (!LIST_NAME.test(newName)) return `'${newName}' is not a valid list name: no blanks, parentheses, quotes, '=' or ',' (LOAD_INVALID_LIST_NAME).`;
    if (!SAFE_LIST_NAME.test(newName)) return `Falco Lens renames lists only to names of letters, digits and _ . - / + @, starting with a letter or '_'.`;
    if (RESERVED.has(newName)) return `'${newName}' is a word of the condition language and cannot name a list.`;
    if (load.final.lists.has(newName)) return `A list named '${newName}' already exists.`;
    // Falco substitutes list names as text: a bare word equal to the new name would start to mean the list, and a
    // macro's name would be replaced by the list's items (resolve_list runs before the macros are resolved).
    if (load.final.macros.has(newName)) return `A macro named '${newName}' exists: Falco replaces a list's name by its items wherever it stands in a condition, so the macro's uses would become the list's items.`;
    if (lookupField(newName)?.field.name === newName) return `'${newName}' is a field: Falco replaces a list's name by its items wherever it stands in a condition, so the field would become the list's items.`;
    for (const file of load.files) {
      for (const item of analyzeFile(file.model).items) {
        const clash = item.tokens.find((t) => ((t.kind === 'list-candidate' || t.kind === 'macro-ref' || t.kind === 'field') && t.name === newName)
          || (t.kind === 'string' && t.place !== 'output' && file.model.text.slice(t.span.start, t.span.end) === newName));
        if (clash) {
          const line = file.model.lines.positionAt(clash.span.start).line + 1;
          const use = clash.kind === 'macro-ref' ? 'a macro\'s name' : clash.kind === 'field' ? 'a field' : 'a plain value';
          return `'${newName}' is already used as ${use} (${file.path ?? file.uri}:${line}); naming a list so would change what that condition matches.`;
        }
        // Any other word of a condition Falco would replace: an operator, a keyword, a word inside a quoted string; and
        // a word of an exception's value as Falco writes it into the condition.
        const word = conditionListWords(item.item).find((w) => w.word === newName)?.span.start ?? exceptionValueWordAt(load, item, newName);
        if (word !== undefined) {
          const line = file.model.lines.positionAt(word).line + 1;
          return `'${newName}' already stands in a condition (${file.path ?? file.uri}:${line}) where Falco would replace it by the list's items; naming a list so would change what that condition matches.`;
        }
      }
    }
  } else if (load.final.rules.has(newName)) {
    return `A rule named '${newName}' already exists.`;
  }
  return undefined;
}

/** A name that can stay a plain YAML scalar: words of safe characters separated by single spaces. */
const PLAIN_SAFE = /^[A-Za-z0-9_][A-Za-z0-9_.\-/+@()]*( [A-Za-z0-9_.\-/+@()]+)*$/;

function editFor(o: Occurrence, newName: string): TextEdit {
  const range = o.file.model.lines.range(o.span.start, o.span.end);
  const t = o.token;
  if (t.kind === 'name') {
    if (t.style === 'plain' && PLAIN_SAFE.test(newName)) return { range, newText: newName };
    if (t.style === 'double-quoted') return { range, newText: yamlQuote(newName).slice(1, -1) };
    if (t.style === 'single-quoted' && !/[\r\n]/.test(newName)) return { range, newText: newName.replace(/'/g, "''") };
    // Anything else is rewritten as one double-quoted scalar. A block scalar's span takes in the line breaks that end
    // it: they stay, or the next key would join the name's line.
    const text = o.file.model.text;
    let end = t.scalarSpan.end;
    if (t.style === 'literal' || t.style === 'folded') while (end > t.scalarSpan.start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    return { range: o.file.model.lines.range(t.scalarSpan.start, end), newText: yamlQuote(newName) };
  }
  // Inside conditions, list items and exception values only macro and safe list names are written: no quoting needed.
  return { range, newText: newName };
}

// ---------------------------------------------------------------------------------------------------------------
// The factory

export interface RulesNavigationDeps {
  host: ServiceHost;
  /** The load result with the document's own text, and its place in it. */
  loadFor(doc: TextDocument): { load: LoadResult; file: LoadedFile };
  /** The load result of the workspace as it stands (open documents and disk). */
  loadAll(): LoadResult;
  /** What falco.yaml's append_output adds to the rules' outputs at the target (RulesWorkspaceIndex.outputAppends). */
  outputAppends?(): readonly OutputAppend[];
  /** The plugins falco.yaml loads, where known (RulesWorkspaceIndex.loadedPlugins): the `source:` completion's. */
  loadedPlugins?(): readonly string[] | undefined;
}

export interface RulesNavigation {
  hover(doc: TextDocument, position: Position): Hover | null;
  completion(doc: TextDocument, position: Position): CompletionList | null;
  definition(doc: TextDocument, position: Position): Location[];
  references(doc: TextDocument, position: Position, includeDeclaration: boolean): Location[];
  documentHighlights(doc: TextDocument, position: Position): DocumentHighlight[];
  prepareRename(doc: TextDocument, position: Position): { range: Range; placeholder: string } | null;
  rename(doc: TextDocument, position: Position, newName: string): WorkspaceEdit | null;
  documentSymbols(doc: TextDocument): DocumentSymbol[];
  workspaceSymbols(query: string): SymbolInformation[];
  foldingRanges(doc: TextDocument): FoldingRange[];
  selectionRanges(doc: TextDocument, positions: Position[]): SelectionRange[];
  semanticTokens(doc: TextDocument): SemanticTokens;
  semanticTokensLegend: SemanticTokensLegend;
}

export function createRulesNavigation(deps: RulesNavigationDeps): RulesNavigation {
  const at = (doc: TextDocument, position: Position) => {
    const { load, file } = deps.loadFor(doc);
    return { load, file, offset: file.model.lines.offsetAt(position) };
  };

  const renameTarget = (doc: TextDocument, position: Position) => {
    const { load, file, offset } = at(doc, position);
    const symbol = symbolAt(load, file, offset);
    if (!symbol) return undefined;
    const occurrences = seenFrom(referencesOf(load, symbol.kind, symbol.name, true), file);
    const self = occurrences.find((o) => o.file === file && o.span.start <= offset && offset <= o.span.end);
    return { load, symbol, occurrences, self };
  };

  return {
    hover(doc, position) {
      const { load, file, offset } = at(doc, position);
      return hoverAt({ load, file, analysis: analyzeFile(file.model), offset, falcoVersion: deps.host.settings().falcoVersion, appends: deps.outputAppends });
    },
    completion(doc, position) {
      const { load, file, offset } = at(doc, position);
      return completionAt({ load, file, analysis: analyzeFile(file.model), offset, falcoVersion: deps.host.settings().falcoVersion, loadedPlugins: deps.loadedPlugins });
    },
    definition(doc, position) {
      const { load, file, offset } = at(doc, position);
      const symbol = symbolAt(load, file, offset);
      if (!symbol) {
        // A YAML alias: its anchor.
        const alias = aliasAt(file.model.aliases, offset);
        if (!alias) return [];
        const [start, end] = anchorSpan(file.model.text, alias);
        return [{ uri: doc.uri, range: file.model.lines.range(start, end) }];
      }
      return seenFrom(definitionsOf(load, symbol.kind, symbol.name), file).map(locationOf);
    },
    references(doc, position, includeDeclaration) {
      const { load, file, offset } = at(doc, position);
      const symbol = symbolAt(load, file, offset);
      if (!symbol) return [];
      return seenFrom(referencesOf(load, symbol.kind, symbol.name, includeDeclaration), file).map(locationOf);
    },
    documentHighlights(doc, position) {
      const { load, file, offset } = at(doc, position);
      return highlightsAt(load, file, offset);
    },
    prepareRename(doc, position) {
      const target = renameTarget(doc, position);
      if (!target || !target.self) return null;
      const { symbol, occurrences, self } = target;
      if (definitionsOf(target.load, symbol.kind, symbol.name).length === 0) {
        throw new RenameRefused(`Cannot rename ${KIND_LABEL[symbol.kind]} '${symbol.name}': no loaded rules file defines it.`);
      }
      if (self.kept !== undefined) throw new RenameRefused(`Rename list '${symbol.name}' from its definition or another use: ${self.kept}.`);
      const reason = readOnlyReason(occurrences.filter((o) => o.kept === undefined), deps.host, `${KIND_LABEL[symbol.kind]} '${symbol.name}'`);
      if (reason) throw new RenameRefused(reason);
      return { range: self.file.model.lines.range(self.span.start, self.span.end), placeholder: symbol.name };
    },
    rename(doc, position, newName) {
      const target = renameTarget(doc, position);
      if (!target) return null;
      const { load, symbol, occurrences } = target;
      const label = `${KIND_LABEL[symbol.kind]} '${symbol.name}'`;
      if (definitionsOf(load, symbol.kind, symbol.name).length === 0) throw new RenameRefused(`Cannot rename ${label}: no loaded rules file defines it.`);
      if (target.self?.kept !== undefined) throw new RenameRefused(`Rename list '${symbol.name}' from its definition or another use: ${target.self.kept}.`);
      const readOnly = readOnlyReason(occurrences.filter((o) => o.kept === undefined), deps.host, label);
      if (readOnly) throw new RenameRefused(readOnly);
      const invalid = validateNewName(symbol.kind, symbol.name, newName, load);
      if (invalid) throw new RenameRefused(invalid);
      if (newName === symbol.name) return { changes: {} };
      // Each file's edits name the version of its open document (service/edits.ts): a file changed before the editor
      // applies the rename refuses it instead of taking the new name at old positions.
      const files = new Map<string, FileEdits>();
      for (const o of occurrences) {
        if (o.kept !== undefined) continue;
        let file = files.get(o.file.uri);
        if (!file) files.set(o.file.uri, file = { uri: o.file.uri, text: o.file.model.text, edits: [] });
        file.edits.push(editFor(o, newName));
      }
      const edit = filesEdit(deps.host, [...files.values()]);
      if (!edit) {
        const stale = [...files.values()].find((f) => editVersion(deps.host, f.uri, f.text) === undefined)!;
        throw new RenameRefused(`Cannot rename ${label}: ${URI_TO_PATH(stale.uri) ?? stale.uri} is open in the editor with changes Falco Lens has not read (open as another language than Falco rules). Save it, or open it as Falco rules, and rename again.`);
      }
      return edit;
    },
    documentSymbols(doc) {
      const { file } = deps.loadFor(doc);
      return documentSymbolsOf(file);
    },
    workspaceSymbols(query) {
      return workspaceSymbolsOf(deps.loadAll(), query);
    },
    foldingRanges(doc) {
      const { file } = deps.loadFor(doc);
      return foldingRangesOf(file.model);
    },
    selectionRanges(doc, positions) {
      const { file } = deps.loadFor(doc);
      return positions.map((p) => selectionRangeAt(file.model, file.model.lines.offsetAt(p)));
    },
    semanticTokens(doc) {
      const { load, file } = deps.loadFor(doc);
      return semanticTokensOf(analyzeFile(file.model), load, deps.host.settings().falcoVersion);
    },
    semanticTokensLegend: SEMANTIC_TOKENS_LEGEND,
  };
}
