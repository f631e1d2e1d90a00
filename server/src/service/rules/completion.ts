// Completion in rules files: item snippets, keys by item kind, values of priority/source/boolean/override keys, tags,
// and inside conditions fields (filtered by the rule's source and by what is typed), macros and lists visible in load
// order, operators that suit the field before the cursor, `and`/`or`/`not`, event names as evt.type values and the fixed
// values of other fields (knowledge fieldValues.ts); `%fields` in
// outputs; list names in `items:` and exception values. Replace ranges are document ranges, exact inside every scalar style.
import {
  CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList, type Range,
} from 'vscode-languageserver-types';
import {
  allMitre, fieldsForSource, allFields, lookupField, eventTypeNames, eventCodesOfName, eventCodesOfNameAt, deprecatedAt, LATEST_FALCO, newerThanTarget,
  compareVersions, EVENT_NAMES_SINCE, falcoRelease, RULE_KEYS_SINCE, fixedFieldValues,
  type FieldInfo,
} from '../../knowledge';
import { entryOf, scalarMap, scalarText, type MapEntry, type ModelItem, type ModelNode, type ScalarNode } from './model';
import { FIELD_VALUE_SINCE, OPERATORS, OPERATOR_MODIFIERS, TRANSFORMERS, operatorAddedIn, operatorInfo, operatorRejection, rawargOperatorRejection, rawargType, splitComp } from './operators';
import {
  APPENDABLE, EXCEPTION_COMPS, EXCEPTION_KEYS, KEYS_BY_KIND, KNOWN_SOURCES, PLUGIN_REQUIREMENT_KEYS, PLUGIN_SOURCES, PRIORITIES, REPLACEABLE, SINGLE_FIELD_COMPS,
} from './schema';
import { itemAt, type FileAnalysis } from './semanticTokens';
import { appendsConditionInLoad, fileLabel, type Definitions, type LoadResult, type LoadedFile } from './workspace';
import { priorityMarkdown } from './hover';
import { yamlOperator, yamlString } from '../yamlText';
import type { LineIndex } from '../text';
import { fieldDocRef, operatorDocRef } from '../completionDocs';
import { table } from '../../knowledge/table';

export interface CompletionContext {
  load: LoadResult;
  file: LoadedFile;
  analysis: FileAnalysis;
  offset: number;
  /** The Falco release the rules are checked for (falcoLens.falcoVersion); the latest when absent. */
  falcoVersion?: string;
  /** The plugins falco.yaml loads, where known (the `source:` values). */
  loadedPlugins?: () => readonly string[] | undefined;
}

/**
 * What the target release lacks is still offered (the user may be about to raise the target) but marked: its detail
 * ends with "Falco ≥ 0.N" and it sorts after everything else. Nothing changes at the latest release.
 */
function forTarget(item: CompletionItem, since: string | undefined, target: string): CompletionItem {
  if (!newerThanTarget(since, target)) return item;
  return { ...item, detail: item.detail ? `${item.detail} — ${needs(since!)}` : needs(since!), sortText: `~${item.sortText ?? item.label}` };
}

const needs = (since: string) => `Falco ≥ ${since.split('.').slice(0, 2).join('.')}`;

const WORD_CHAR = /[A-Za-z0-9_.]/;
/** Characters of an exception comp being typed in a flow list (`[=, !=]`). */
const COMP_CHAR = /[^\s,[\]'"]/;
const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);
const MODIFIER_NAMES = new Set(OPERATOR_MODIFIERS.map((m) => m.name));
const OPERATOR_WORDS = new Set([...OPERATORS.map((o) => o.name), ...MODIFIER_NAMES]);
const FIELD_SHAPE = /^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+(\[[^\]]*\])?$/;
/** A field name that ends a text (the text before a `[`). */
const FIELD_AT_END = /[A-Za-z]\w*(?:\.[A-Za-z]\w*)+$/;

/**
 * Whether a condition text ends inside a field's bracket argument (`proc.args[`, `proc.env["a[b`): a field, then a `[`
 * with no `]` after it. The field is looked for in the 128 characters before each `[` after the last `]`: one
 * pattern run over the whole text backtracked from every letter, which a long word (a 1 MB unterminated string) made
 * hours of work.
 */
function endsInFieldArgument(before: string): boolean {
  const from = before.lastIndexOf(']') + 1;
  for (let open = before.indexOf('[', from); open >= 0; open = before.indexOf('[', open + 1)) {
    if (FIELD_AT_END.test(before.slice(Math.max(from, open - 128), open))) return true;
  }
  return false;
}

/** The most items one completion answer carries; past it the list is marked incomplete so the editor asks again
 *  as the user types (and the answer narrows). */
export const MAX_COMPLETION_ITEMS = 2000;

function list(items: CompletionItem[], isIncomplete = false): CompletionList {
  if (items.length > MAX_COMPLETION_ITEMS) return { isIncomplete: true, items: items.slice(0, MAX_COMPLETION_ITEMS) };
  return { isIncomplete, items };
}

/** Start of the word that ends at `offset` (field names, macro names, list names). */
function wordStart(text: string, offset: number, chars = WORD_CHAR): number {
  let i = offset;
  while (i > 0 && chars.test(text[i - 1])) i--;
  return i;
}

/** End of the word that starts at or before `offset`. */
function wordEnd(text: string, offset: number, chars = WORD_CHAR): number {
  let i = offset;
  while (i < text.length && chars.test(text[i])) i++;
  return i;
}

function containing(node: { span: { start: number; end: number } } | undefined, offset: number): boolean {
  return !!node && node.span.start <= offset && offset <= node.span.end;
}

/** Inside a condition or output, or in blanks typed after its plain or block value on the same line (YAML does not
 *  count trailing blanks as part of the value, but the user is still writing it). */
function inValue(node: ScalarNode, offset: number, text: string): boolean {
  if (containing(node, offset)) return true;
  if (offset < node.span.start || node.style === 'single-quoted' || node.style === 'double-quoted') return false;
  return /^[ \t]*$/.test(text.slice(node.span.end, offset));
}

/** The value index of the first value character at or after a document offset. */
function valueIndexAt(node: ScalarNode, offset: number): number {
  return scalarMap(node).indexAt(offset);
}

/** The source the fields of an item are for: a rule's own source, that of the rule it overrides, or (for macros)
 *  the most common source among the rules of the same file. */
function sourceFor(item: ModelItem, file: LoadedFile, defs: Definitions): string {
  if (item.kind === 'rule') {
    const own = scalarText(entryOf(item, 'source')?.value);
    if (own) return own;
    return (item.name !== undefined ? defs.rules.get(item.name)?.source : undefined) ?? 'syscall';
  }
  const counts = new Map<string, number>();
  for (const it of file.model.items) {
    if (it.kind !== 'rule') continue;
    const s = scalarText(entryOf(it, 'source')?.value) ?? 'syscall';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best = 'syscall';
  let bestCount = 0;
  for (const [s, c] of counts) if (c > bestCount) { best = s; bestCount = c; }
  return best;
}

function fieldItems(source: string, where: 'condition' | 'output', typed: string, range: Range, target: string, accept?: (f: FieldInfo) => boolean): CompletionItem[] {
  let fields: readonly FieldInfo[] = fieldsForSource(source);
  if (fields.length === 0) fields = allFields();
  // After `proc.` only proc.* fields: the class and sub-names typed so far must match.
  const dot = typed.lastIndexOf('.');
  const stem = dot >= 0 ? typed.slice(0, dot + 1) : '';
  const out: CompletionItem[] = [];
  for (const f of fields) {
    if (f.hidden) continue;
    if (where === 'condition' && f.outputOnly) continue;
    if (where === 'output' && f.conditionOnly) continue;
    if (stem && !f.name.startsWith(stem)) continue;
    if (accept && !accept(f)) continue;
    // Deprecated as the target sees it: an older release does not warn about a field a later one deprecated.
    const deprecated = deprecatedAt(f, target);
    // A field whose argument the target lacks (proc.args[N] before 0.41) is offered, as it works without one: its
    // detail says so, as the diagnostics report the argument (targetVersion.ts reportNewArgument).
    const argument = newerThanTarget(f.arg?.since, target) ? ` — argument: ${needs(f.arg!.since!)}` : '';
    out.push(forTarget({
      label: f.name, kind: CompletionItemKind.Field, detail: `${f.type}${f.isList ? ' (list)' : ''}${deprecated ? ' — deprecated' : ''}${argument}`,
      data: fieldDocRef(source, target),
      textEdit: { range, newText: f.name },
      ...(deprecated ? { tags: [1] } : {}),
    }, f.since, target));
  }
  return out;
}

function nameItems(names: Iterable<string>, kind: 'macro' | 'list', range: Range, exclude?: string): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const name of names) {
    if (name === exclude) continue;
    out.push({ label: name, kind: kind === 'macro' ? CompletionItemKind.Function : CompletionItemKind.Enum, detail: kind, textEdit: { range, newText: name } });
  }
  return out;
}

/** Fields whose values are event names (libsinsp counts their =, != and `in` values as event types). */
const EVENT_TYPE_FIELDS = new Set(['evt.type', 'syscall.type']);

/**
 * evt.type values: the event table's names, syscalls without an event of their own, plugins' async events. Each with
 * its codes in the target's event table (close_range is a syscall without an event of its own up to Falco 0.43), or
 * the latest one's for a name the target lacks (marked by forTarget).
 */
function eventTypeItems(range: Range, target: string): CompletionItem[] {
  return eventTypeNames().map((name) => {
    const codes = eventCodesOfNameAt(name, target) ?? eventCodesOfName(name) ?? [];
    const detail = codes.length === 2 && codes[0] === 0 && codes[1] === 1 ? 'syscall (generic event codes 0, 1)' : `event type, ${codes.length} event code${codes.length === 1 ? '' : 's'}`;
    return forTarget({ label: name, kind: CompletionItemKind.EnumMember, detail, textEdit: { range, newText: name } }, EVENT_NAMES_SINCE.get(name), target);
  });
}

/** Characters of a bare value in a condition (libsinsp parser.cpp RGX_BARESTR): evt.dir's `<` and `>` among them. */
const BARE_CHAR = /[^()"'\s=,]/;
/** A field name, then an equality operator, ending a condition text (the value is being typed after it). */
const EQUALS_AT_END = /([A-Za-z]\w*(?:\.[A-Za-z]\w*)+)\s*(?:==|=|!=)\s*$/;
/** A field name, then a list operator, ending a condition text (the text before a list's `(`). */
const LIST_OP_AT_END = /([A-Za-z]\w*(?:\.[A-Za-z]\w*)+)\s+(?:in|intersects|pmatch)\s*$/;

/**
 * The field whose value is being typed at the end of `before` (a condition's text up to the value): after `=`, `==`,
 * `!=` (`list: false`), or among the values of `in (`, `intersects (`, `pmatch (` (`list: true`). Only the last 200
 * characters before the operator are read.
 */
function comparedField(before: string): { field: string; list: boolean } | undefined {
  const equals = EQUALS_AT_END.exec(before.slice(-200));
  if (equals) return { field: equals[1], list: false };
  const paren = openParen(before);
  if (paren < 0) return undefined;
  const op = LIST_OP_AT_END.exec(before.slice(Math.max(0, paren - 200), paren));
  return op ? { field: op[1], list: true } : undefined;
}

/**
 * The values offered for `field` in a rule of `source`: event names for evt.type, else the field's fixed set of
 * values (knowledge fieldValues.ts) where the source has the field; undefined for any other field.
 */
function fieldValueItems(field: string, source: string, range: Range, target: string): CompletionItem[] | undefined {
  if (EVENT_TYPE_FIELDS.has(field)) return eventTypeItems(range, target);
  const values = fixedFieldValues(field);
  const info = values && lookupField(field)?.field;
  if (!values || !info || info.name !== field || !info.sources.includes(source as FieldInfo['sources'][number])) return undefined;
  return values.map((x, i) => forTarget({
    label: x.value, kind: CompletionItemKind.EnumMember, detail: `${field}: ${x.meaning}`, sortText: String(i).padStart(3, '0'),
    textEdit: { range, newText: x.value },
  }, x.since, target));
}

/**
 * The lists a value of `field` may name: for evt.type (and syscall.type) the lists of event names the target's event
 * table has (or of such lists); another list's items are event types no event has (unknown-evttype: Falco refuses the
 * condition), and an empty list names none. Every list for any other field.
 */
function listsFor(field: string | undefined, defs: Definitions, target: string): Iterable<string> {
  if (field === undefined || !EVENT_TYPE_FIELDS.has(field)) return defs.lists.keys();
  const events = new Set(eventTypeNames().filter((name) => eventCodesOfNameAt(name, target) !== undefined));
  const verdicts = new Map<string, boolean>();
  const ofEvents = (name: string): boolean => {
    const known = verdicts.get(name);
    if (known !== undefined) return known;
    verdicts.set(name, false); // a list reached again through its own items is no list of events
    const items = defs.lists.get(name)?.items ?? [];
    const verdict = items.length > 0 && items.every((i) => events.has(i) || (defs.lists.has(i) && ofEvents(i)));
    verdicts.set(name, verdict);
    return verdict;
  };
  return [...defs.lists.keys()].filter(ofEvents);
}

function transformerItems(range: Range, target: string): CompletionItem[] {
  return TRANSFORMERS.map((t) => forTarget({ label: `${t.name}()`, kind: CompletionItemKind.Function, detail: 'transformer', textEdit: { range, newText: `${t.name}($1)` }, insertTextFormat: InsertTextFormat.Snippet, filterText: t.name }, t.since, target));
}

/** Whether the target's condition parser has the operator modifiers oneof/anyof/allof (all three came together). */
const modifiersAt = (target: string) => !newerThanTarget(OPERATOR_MODIFIERS[0].since, target);

/** `val()`: the value of another field, from 0.38 (parser.cpp try_parse_transformer_or_val). */
function valItems(range: Range, target: string): CompletionItem[] {
  return keywordItems(['val()'], range).map((i) => forTarget({ ...i, textEdit: { range, newText: 'val($1)' }, insertTextFormat: InsertTextFormat.Snippet, filterText: 'val' }, FIELD_VALUE_SINCE, target));
}

function keywordItems(words: string[], range: Range): CompletionItem[] {
  return words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword, textEdit: { range, newText: w } }));
}

/** The innermost unclosed `(` of a condition prefix (quoted strings skipped), or -1. */
function openParen(text: string): number {
  const stack: number[] = [];
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') stack.push(i);
    else if (c === ')') stack.pop();
  }
  return stack.length ? stack[stack.length - 1] : -1;
}

/**
 * With the cursor inside a word (`proc.na|me`), each item replacing the typed part (`range`) also gives the range of
 * the whole word, as an InsertReplaceEdit: the editor inserts by default (nothing after the cursor is eaten) and
 * replaces the word when the user asks (VS Code: editor.suggest.insertMode, Shift+Enter). server.ts turns them back
 * into plain edits of `insert` for a client that does not take them. Nothing changes when the word ends at the cursor.
 */
function replacingWord(result: CompletionList, ctx: CompletionContext, range: Range): CompletionList {
  const end = wordEnd(ctx.file.model.text, ctx.offset);
  if (end === ctx.offset) return result;
  const replace = ctx.file.model.lines.range(wordStart(ctx.file.model.text, ctx.offset), end);
  return {
    ...result,
    items: result.items.map((i) => (i.textEdit && 'range' in i.textEdit && i.textEdit.range === range
      ? { ...i, textEdit: { newText: i.textEdit.newText, insert: range, replace } } : i)),
  };
}

function conditionCompletion(ctx: CompletionContext, item: ModelItem, node: ScalarNode | undefined): CompletionList {
  const range = ctx.file.model.lines.range(wordStart(ctx.file.model.text, ctx.offset), ctx.offset);
  return replacingWord(conditionItems(ctx, item, node, range), ctx, range);
}

function conditionItems(ctx: CompletionContext, item: ModelItem, node: ScalarNode | undefined, range: Range): CompletionList {
  const { file, load, offset } = ctx;
  const text = file.model.text;
  const start = wordStart(text, offset);
  const typed = text.slice(start, offset);
  const before = node ? node.text.slice(0, valueIndexAt(node, start)) : '';
  const defs = load.after[file.order] ?? load.final;
  const source = sourceFor(item, file, defs);
  const target = ctx.falcoVersion ?? LATEST_FALCO;
  const operand = (): CompletionItem[] => [
    ...fieldItems(source, 'condition', typed, range, target),
    ...(typed.includes('.') ? [] : [
      ...nameItems(defs.macros.keys(), 'macro', range, item.kind === 'macro' ? item.name : undefined),
      ...keywordItems(['not'], range),
      ...transformerItems(range, target),
    ]),
  ];

  // A value of a field with known values (evt.type's event names, a fixed set): typed as a bare value, `<` included.
  const bareStart = wordStart(text, offset, BARE_CHAR);
  const compared = node ? comparedField(bareStart === start ? before : node.text.slice(0, valueIndexAt(node, bareStart))) : undefined;
  if (compared) {
    const valueRange = bareStart === start ? range : file.model.lines.range(bareStart, offset);
    const values = fieldValueItems(compared.field, source, valueRange, target);
    if (values) return list(compared.list ? [...nameItems(listsFor(compared.field, defs, target), 'list', valueRange), ...values] : [...values, ...(EVENT_TYPE_FIELDS.has(compared.field) ? [] : valItems(range, target))]);
  }
  const paren = openParen(before);
  if (paren >= 0) {
    const head = before.slice(0, paren).trimEnd();
    const headWord = lastWord(head);
    if (LIST_OPERATORS.has(headWord) || (MODIFIER_NAMES.has(headWord) && modifiersAt(target))) return list(nameItems(defs.lists.keys(), 'list', range));
    // Before 0.44 `startswith oneof (` is a value and then a parenthesis the parser refuses: nothing fits there.
    if (MODIFIER_NAMES.has(headWord) && OPERATOR_WORDS.has(wordBeforeLast(head))) return list([]);
  }
  const trimmed = before.trimEnd();
  const spaced = start === 0 || /\s/.test(text[start - 1]);
  const last = lastWord(trimmed);
  // The argument of val() is a field; a transformer's, a field of a type it takes or another transformer (libs 0.25.2
  // parser.cpp try_parse_transformer_or_val, parse_field_transformer_arg): no macro, no `not`.
  const call = calledName(last);
  const transformer = call === undefined ? undefined : TRANSFORMERS.find((t) => t.name === call);
  if (call === 'val') return list(fieldItems(source, 'condition', typed, range, target));
  if (transformer) {
    const takes = (f: FieldInfo) => f.type === 'DYN' || (f.isList ? transformer.input.includes('any-list') : transformer.input.includes(f.type));
    return list([...fieldItems(source, 'condition', typed, range, target, takes), ...(typed.includes('.') ? [] : transformerItems(range, target))]);
  }
  if (trimmed === '' || last === '(' || last.endsWith('(') || ['and', 'or', 'not'].includes(last)) {
    if (trimmed === '' && appendsConditionInLoad(item, load, file) && typed === '') return list(keywordItems(['and', 'and not', 'or'], range));
    return list(operand());
  }
  // Inside a field's argument (`proc.args[`, `proc.env["`): no field, macro or keyword goes there.
  if (endsInFieldArgument(before)) return list([]);
  if (!spaced) return list(operand());
  if (FIELD_SHAPE.test(last) || /^[a-z]+\(.*\)$/.test(last)) {
    const match = FIELD_SHAPE.test(last) ? lookupField(last) : undefined;
    const info = match?.field;
    // evt.rawarg.<name> is compared as its event argument's type (operators.ts rawargType), as the checks judge it.
    const argType = info?.name === 'evt.rawarg' && match?.arg !== undefined && !last.includes('[') ? rawargType(match.arg) : undefined;
    const ops = OPERATORS.filter((o) => (argType !== undefined ? rawargOperatorRejection(o.name, argType) === undefined
      : !info || operatorRejection(o.name, info.type, !!info.isList) === undefined));
    const typeNote = argType !== undefined ? ` (event argument type ${argType})` : '';
    return list(ops.map((o) => forTarget({
      label: o.name, kind: CompletionItemKind.Operator, detail: `${operatorAddedIn(o) ? `operator, since Falco ${operatorAddedIn(o)}` : 'operator'}${typeNote}`,
      data: operatorDocRef(target), textEdit: { range, newText: o.name },
    }, o.since, target)));
  }
  // Before 0.44 a modifier's word after an operator is the value compared with: the check is complete.
  if (MODIFIER_NAMES.has(last) && !modifiersAt(target) && OPERATOR_WORDS.has(wordBeforeLast(trimmed))) return list(keywordItems(['and', 'or', 'and not'], range));
  if (OPERATOR_WORDS.has(last)) {
    const op = operatorInfo(last);
    // `exists` takes no value: the check is complete (parser.cpp parse_condition, lex_unary_op).
    if (op?.arity === 'unary') return list(keywordItems(['and', 'or', 'and not'], range));
    if (LIST_OPERATORS.has(last) || (MODIFIER_NAMES.has(last) && modifiersAt(target))) return list(nameItems(defs.lists.keys(), 'list', range));
    // A string operator takes oneof/anyof/allof and a list from 0.44 (parser.cpp lex_str_op_modifier): before it the
    // word is read as the value compared with (`startswith oneof` tests for the text "oneof"), so none is offered;
    // any operator takes a value val() of another field from 0.38.
    const modifiers = op?.acceptsModifier && modifiersAt(target) ? OPERATOR_MODIFIERS.map((m) => ({ label: m.name, kind: CompletionItemKind.Keyword, detail: 'operator modifier: a list follows', textEdit: { range, newText: m.name } })) : [];
    if (operatorRejection(last, 'CHARBUF') === undefined) return list([...valItems(range, target), ...modifiers]);
    return list(modifiers);
  }
  // After a complete comparison or macro: join with the next one.
  return list(keywordItems(['and', 'or', 'and not'], range));
}

function outputCompletion(ctx: CompletionContext, item: ModelItem): CompletionList | null {
  const { file, load, offset } = ctx;
  const text = file.model.text;
  const start = wordStart(text, offset);
  const pct = text[start - 1] === '%' ? start - 1 : text[start - 1] === '(' && text[start - 2] === '%' ? start - 2 : -1;
  if (pct < 0) return null;
  const defs = load.after[file.order] ?? load.final;
  const range = file.model.lines.range(start, offset);
  return replacingWord(list(fieldItems(sourceFor(item, file, defs), 'output', text.slice(start, offset), range, ctx.falcoVersion ?? LATEST_FALCO)), ctx, range);
}

// ---------------------------------------------------------------------------------------------------------------
// Keys, values, snippets

/**
 * The item snippets for the target release. The rule's sample condition tests `evt.dir = <` only where Falco still has
 * enter events and does not warn about it (before 0.42); the engine version asked for is the official rules' (0.57.0)
 * or, for a target whose engine is older, that engine, so that the snippet loads on the target.
 */
function itemSnippets(target: string): { label: string; detail: string; body: string }[] {
  const dir = lookupField('evt.dir')?.field;
  const exitOnly = dir && !deprecatedAt(dir, target) ? ' and evt.dir = <' : '';
  const engine = falcoRelease(target)?.engine;
  const required = engine && compareVersions(engine, OFFICIAL_RULES_ENGINE) < 0 ? engine : OFFICIAL_RULES_ENGINE;
  return ITEM_SNIPPETS.map((s) => ({ ...s, body: s.body.replace('${EXIT_ONLY}', exitOnly).replace('${ENGINE}', required) }));
}

/** The engine version the official falco_rules.yaml requires (falco-rules 5.x). */
const OFFICIAL_RULES_ENGINE = '0.57.0';

const ITEM_SNIPPETS: { label: string; detail: string; body: string }[] = [
  { label: 'rule', detail: 'New rule', body: '- rule: ${1:Rule name}\n  desc: ${2:What it detects}\n  condition: >\n    ${3:evt.type in (execve, execveat)${EXIT_ONLY} and proc.name = example}\n  output: ${4:Something happened} | user=%user.name command=%proc.cmdline\n  priority: ${5|WARNING,NOTICE,INFORMATIONAL,ERROR,CRITICAL,ALERT,EMERGENCY,DEBUG|}\n  tags: [${6:host, container}]\n' },
  { label: 'macro', detail: 'New macro', body: '- macro: ${1:macro_name}\n  condition: ${2:proc.name = example}\n' },
  { label: 'list', detail: 'New list', body: '- list: ${1:list_name}\n  items: [${2}]\n' },
  { label: 'rule override', detail: 'Change an existing rule', body: '- rule: ${1:Rule name}\n  condition: and not ${2:proc.name = example}\n  override:\n    condition: append\n' },
  { label: 'list append', detail: 'Add items to an existing list', body: '- list: ${1:list_name}\n  items: [${2}]\n  override:\n    items: append\n' },
  { label: 'required_engine_version', detail: 'Oldest Falco engine that can load the file', body: '- required_engine_version: ${1:${ENGINE}}\n' },
  { label: 'required_plugin_versions', detail: 'Plugins the rules need', body: '- required_plugin_versions:\n  - name: ${1:k8saudit}\n    version: ${2:0.7.0}\n' },
];

const KEY_SNIPPETS: Record<string, string> = table({
  condition: 'condition: >\n  $0',
  output: 'output: $0',
  priority: 'priority: ${1|WARNING,NOTICE,INFORMATIONAL,ERROR,CRITICAL,ALERT,EMERGENCY,DEBUG|}',
  tags: 'tags: [$0]',
  exceptions: 'exceptions:\n  - name: ${1:name}\n    fields: [${2:proc.name}]\n    values:\n      - [${3:value}]',
  override: 'override:\n  ${1:condition}: ${2|append,replace|}',
  items: 'items: [$0]',
  enabled: 'enabled: ${1|false,true|}',
});

/** A list's override names `items` (a list has no condition: LIST_KEYS). */
const LIST_OVERRIDE_SNIPPET = 'override:\n  ${1:items}: ${2|append,replace|}';

function keyItems(keys: readonly string[], present: Set<string>, range: Range, target: string, snippets = true, kind?: 'rule' | 'macro' | 'list'): CompletionItem[] {
  const snippetOf = (k: string) => (k === 'override' && kind === 'list' ? LIST_OVERRIDE_SNIPPET : KEY_SNIPPETS[k]);
  return keys.filter((k) => !present.has(k)).map((k) => forTarget({
    label: k, kind: CompletionItemKind.Property, textEdit: { range, newText: snippets && snippetOf(k) ? snippetOf(k) : `${k}: ` },
    insertTextFormat: snippets && snippetOf(k) ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    // `append: true` loads with a deprecation warning at every release described (rule_loader_reader.cpp WARNING_APPEND,
    // 0.37.0:445-525, 0.44.0:571-670): struck through and last, `override:` being the form to write.
    ...(k === 'append' ? { tags: [1], detail: 'deprecated: use override', sortText: '~~append' } : {}),
  }, RULE_KEYS_SINCE.get(k), target));
}

function valueItems(values: readonly string[], range: Range, kind: CompletionItemKind, doc?: (v: string) => string | undefined): CompletionItem[] {
  return values.map((v, i) => {
    const value = doc?.(v);
    return { label: v, kind, sortText: String(i).padStart(3, '0'), textEdit: { range, newText: v }, ...(value ? { documentation: { kind: 'markdown' as const, value } } : {}) };
  });
}

const COMMON_TAGS = ['maturity_stable', 'maturity_incubating', 'maturity_sandbox', 'maturity_deprecated', 'host', 'container', 'k8s',
  'process', 'filesystem', 'network', 'users', 'shell', 'software_mgmt', 'database', 'aws', 'cis'];

/**
 * Tags: those the loaded rules use first (the workspace's own words, with how many rules use each), then the common
 * ones and MITRE ATT&CK's tactics and techniques; the tags the item has already are left out.
 */
function tagItems(range: Range, defs: Definitions, present: ReadonlySet<string>): CompletionItem[] {
  const used = new Map<string, number>();
  for (const rule of defs.rules.values()) for (const t of rule.tags) used.set(t, (used.get(t) ?? 0) + 1);
  const out: CompletionItem[] = [];
  const add = (label: string, detail: string | undefined, extra: Partial<CompletionItem> = {}) => {
    if (present.has(label)) return;
    const n = used.get(label);
    out.push({
      label, kind: CompletionItemKind.EnumMember, detail: n ? `${detail ? `${detail}, ` : ''}${n} loaded rule${n === 1 ? '' : 's'}` : detail,
      sortText: `${n ? 0 : 1}${String(out.length).padStart(4, '0')}`, textEdit: { range, newText: label }, ...extra,
    });
  };
  const known = new Set<string>();
  for (const t of COMMON_TAGS) { known.add(t); add(t, undefined); }
  for (const m of allMitre()) {
    if (m.kind === 'tactic') {
      const tag = `mitre_${m.name.toLowerCase().replace(/[ -]/g, '_')}`;
      known.add(tag);
      add(tag, `ATT&CK tactic ${m.id}`);
    }
    known.add(m.id);
    add(m.id, m.name, { filterText: `${m.id} ${m.name}` });
  }
  for (const t of used.keys()) if (!known.has(t)) add(t, undefined);
  return out;
}

/**
 * `source:` values: the built-in syscall, the sources of the loaded rules, the sources of the plugins falco.yaml loads
 * (where known), then the other plugin sources Falco Lens knows, last and saying they are not loaded here.
 */
function sourceItems(range: Range, defs: Definitions, loadedPlugins: readonly string[] | undefined): CompletionItem[] {
  const rules = new Map<string, number>();
  for (const rule of defs.rules.values()) rules.set(rule.source, (rules.get(rule.source) ?? 0) + 1);
  const byPlugins = new Map<string, string[]>();
  for (const plugin of loadedPlugins ?? []) {
    for (const source of KNOWN_SOURCES) if (PLUGIN_SOURCES[source]?.includes(plugin)) byPlugins.set(source, [...(byPlugins.get(source) ?? []), plugin]);
  }
  const out: CompletionItem[] = [];
  const add = (source: string, detail: string, rank: number) => {
    if (out.some((i) => i.label === source)) return;
    out.push({ label: source, kind: CompletionItemKind.EnumMember, detail, sortText: `${rank}${String(out.length).padStart(3, '0')}`, textEdit: { range, newText: source } });
  };
  const detail = (source: string, what: string | undefined) => {
    const n = rules.get(source);
    const plugins = byPlugins.get(source);
    return [what, n ? `${n} loaded rule${n === 1 ? '' : 's'}` : undefined, plugins ? `plugin ${plugins.join(', ')} loaded by falco.yaml` : undefined].filter((x) => x).join(', ');
  };
  add('syscall', detail('syscall', 'kernel events (built in)'), 0);
  for (const source of [...rules.keys(), ...byPlugins.keys()]) add(source, detail(source, undefined), 0);
  for (const source of KNOWN_SOURCES) add(source, `plugin ${PLUGIN_SOURCES[source]?.join(', ')}: not loaded${loadedPlugins ? ' by falco.yaml' : ''} nor used by the loaded rules`, 1);
  return out;
}

/** The tags an item's `tags` list has. */
function tagsOf(item: ModelItem): Set<string> {
  const tags = entryOf(item, 'tags')?.value;
  return new Set(tags?.kind === 'seq' ? tags.items.map((t) => scalarText(t)).filter((t): t is string => t !== undefined) : []);
}

/** The item-level entry whose value the offset lies in, or the last one before it. */
function entryBefore(item: ModelItem, offset: number): MapEntry | undefined {
  let found: MapEntry | undefined;
  for (const e of item.entries) if (e.keySpan.start <= offset) found = e;
  return found;
}

function lineCompletion(ctx: CompletionContext, item: ModelItem | undefined): CompletionList | null {
  const { file, offset, load } = ctx;
  const target = ctx.falcoVersion ?? LATEST_FALCO;
  const lines = file.model.lines;
  const pos = lines.positionAt(offset);
  const lineStart = lines.lineStarts[pos.line];
  const lineBefore = file.model.text.slice(lineStart, offset);

  // New items at column 0.
  if (/^(-\s*)?[\w-]*$/.test(lineBefore) && (lineBefore.startsWith('-') || lineBefore.length === 0 || !item)) {
    const range = lines.range(lineStart, offset);
    return list(itemSnippets(ctx.falcoVersion ?? LATEST_FALCO).map((s, i) => ({
      label: s.label, kind: CompletionItemKind.Snippet, detail: s.detail, sortText: String(i),
      filterText: `- ${s.label}`, textEdit: { range, newText: s.body }, insertTextFormat: InsertTextFormat.Snippet,
    })));
  }
  if (item?.kind === 'required_plugin_versions') return pluginRequirementCompletion(ctx, item, lineBefore);
  if (!item || (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list')) return null;
  const kind = item.kind;
  const keyColumn = item.entries.length ? lines.positionAt(item.entries[0].keySpan.start).character : 2;

  // The name of the item, on its first line: the names of its kind the files before this one define, which an
  // override or append changes (a plain name is written as YAML reads it back: yamlString).
  const named = /^-[ \t]+(rule|macro|list):[ \t]*([^'"\s].*)?$/.exec(lineBefore);
  if (named && named[1] === kind && lineStart <= item.span.start) {
    const earlier = file.order > 0 ? load.after[file.order - 1] : undefined;
    if (!earlier) return null;
    const defs: ReadonlyMap<string, { contributions: readonly { file: LoadedFile }[] }> = kind === 'rule' ? earlier.rules : kind === 'macro' ? earlier.macros : earlier.lists;
    const range = lines.range(offset - (named[2]?.length ?? 0), offset);
    return list([...defs].map(([name, def], i) => ({
      label: name, kind: kind === 'rule' ? CompletionItemKind.Class : kind === 'macro' ? CompletionItemKind.Function : CompletionItemKind.Enum,
      detail: `${kind} of ${def.contributions[0] ? fileLabel(def.contributions[0].file) : 'an earlier file'}: override it`,
      sortText: String(i).padStart(5, '0'), textEdit: { range, newText: yamlString(name) },
    })));
  }

  // `key: value` on this line: values of that key.
  const keyValue = /^(\s*)(?:-\s+)?([\w-]+):\s*([^\s]*)$/.exec(lineBefore);
  if (keyValue) {
    const [, indent, key, partial] = keyValue;
    const range = lines.range(offset - partial.length, offset);
    const parent = indent.length > keyColumn ? entryBefore(item, offset) : undefined;
    if (parent?.key === 'override') {
      const ops = [APPENDABLE[kind].includes(key) ? 'append' : undefined, REPLACEABLE[kind].includes(key) ? 'replace' : undefined].filter((x): x is string => !!x);
      // A key a later release added (capture, capture_duration) cannot be overridden before it.
      return list(valueItems(ops, range, CompletionItemKind.EnumMember).map((i) => forTarget(i, RULE_KEYS_SINCE.get(key), target)));
    }
    if (parent?.key === 'exceptions') {
      // With a single field (`fields: proc.name`) Falco takes only these (rule_loader_collector.cpp validate_exception_info).
      if (key === 'comps') {
        const fields = exceptionFields(item, offset);
        if (fields?.kind !== 'seq') return list(compItems(scalarText(fields), true, range, target));
        // A list of fields takes a list of comps, one for each field (rule_loader_collector.cpp validate_exception_info).
        const names = fields.items.map((f) => scalarText(f) ?? '');
        const snippet = `[${names.map((_, i) => `\${${i + 1}:=}`).join(', ')}]`;
        const block = blockItems(lineBefore, key, indent, names.map((_, i) => `\${${i + 1}:=}`));
        return list([
          { label: `[${names.map(() => '=').join(', ')}]`, kind: CompletionItemKind.Snippet, detail: `one comparison for each of ${names.length} fields`, sortText: '0', textEdit: { range, newText: snippet }, insertTextFormat: InsertTextFormat.Snippet },
          { label: `- = (${names.length} lines)`, kind: CompletionItemKind.Snippet, detail: `one comparison for each of ${names.length} fields, as a block list`, sortText: '1', filterText: '-', textEdit: { range, newText: block }, insertTextFormat: InsertTextFormat.Snippet },
        ]);
      }
      if (key === 'values') {
        const fields = exceptionFields(item, offset);
        const source = sourceFor(item, file, load.after[file.order] ?? load.final);
        const tuple = valueTuple(fields, source);
        if (!tuple) return null;
        const what = fields?.kind === 'seq' ? `one value for each of ${tuple.names.length} fields` : `values of ${tuple.names[0]}`;
        return list([
          { label: `[${tuple.label}]`, kind: CompletionItemKind.Snippet, detail: what, sortText: '0', textEdit: { range, newText: `[${tuple.snippet}]` }, insertTextFormat: InsertTextFormat.Snippet },
          { label: `- ${tuple.label}`, kind: CompletionItemKind.Snippet, detail: `${what}, as a block list`, sortText: '1', filterText: '-', textEdit: { range, newText: blockItems(lineBefore, key, indent, [tuple.snippet]) }, insertTextFormat: InsertTextFormat.Snippet },
        ]);
      }
      return null;
    }
    if (indent.length !== keyColumn && !(lineBefore.trimStart().startsWith('-'))) return null;
    if (key === 'priority') return list(valueItems(PRIORITIES, range, CompletionItemKind.EnumMember, priorityMarkdown));
    if (key === 'source') return list(sourceItems(range, load.after[file.order] ?? load.final, ctx.loadedPlugins?.()));
    if (['enabled', 'capture', 'warn_evttypes', 'skip-if-unknown-filter', 'append'].includes(key)) return list(valueItems(['true', 'false'], range, CompletionItemKind.Value));
    if (key === 'condition' && scalarText(entryOf(item, 'condition')?.value) === undefined) return conditionCompletion(ctx, item, undefined);
    return null;
  }
  // A key being typed.
  const keyTyped = /^(\s*)(-\s+)?([\w-]*)$/.exec(lineBefore);
  if (keyTyped) {
    const [, indent, dash, partial] = keyTyped;
    const range = lines.range(offset - partial.length, offset);
    const column = indent.length + (dash?.length ?? 0);
    if (column === keyColumn && !dash) return list(keyItems(KEYS_BY_KIND[kind], new Set(item.entries.map((e) => e.key)), range, target, true, kind));
    const parent = entryBefore(item, offset);
    if (parent?.key === 'override' && !dash) {
      const existing = parent.value?.kind === 'map' ? new Set(parent.value.entries.map((e) => e.key)) : new Set<string>();
      // Falco refuses an override entry for a key the item lacks (check_update_expected, rule_loader_reader.cpp
      // 0.44.0:425-440) and a key the item has without an entry ("Unexpected key"): the item's own keys first.
      const own = new Set(item.entries.map((e) => e.key));
      const keys = [...new Set([...APPENDABLE[kind], ...REPLACEABLE[kind]])];
      return list(keyItems(keys, existing, range, target, false).map((i) => (own.has(i.label)
        ? { ...i, sortText: `0${i.sortText ?? i.label}` }
        : { ...i, detail: `${i.detail ? `${i.detail} — ` : ''}the ${kind} needs a '${i.label}' key too`, sortText: `1${i.sortText ?? i.label}` })));
    }
    if (parent?.key === 'exceptions') {
      // A `- ` line under an exception's block `comps:` or `values:`: the comparison of the field at that place, or a
      // tuple of values for the fields.
      const under = dash ? exceptionKeyAbove(item, offset, indent.length, lines) : undefined;
      if (under?.entry.key === 'comps' && under.fields?.kind === 'seq') {
        const at = under.entry.value?.kind === 'seq' ? under.entry.value.items.filter((c) => c.span.start < lineStart).length : 0;
        return list(compItems(scalarText(under.fields.items[at]), false, range, target));
      }
      if (under?.entry.key === 'values') {
        const tuple = valueTuple(under.fields, sourceFor(item, file, load.after[file.order] ?? load.final));
        if (tuple && under.fields?.kind === 'seq') return list([{ label: tuple.label, kind: CompletionItemKind.Snippet, detail: `one value for each of ${tuple.names.length} fields`, textEdit: { range, newText: tuple.snippet }, insertTextFormat: InsertTextFormat.Snippet }]);
        if (under.fields?.kind === 'scalar') return list(exceptionValueItems(under.fields, 0, item, file, load, range));
        return null;
      }
      // The keys the exception has (a key Falco reads once: a second is a duplicate-key finding), but the one typed.
      const ex = exceptionAt(item, offset);
      const present = new Set(ex?.kind === 'map' ? ex.entries.filter((e) => !containing({ span: e.keySpan }, offset)).map((e) => e.key) : []);
      return list(keyItems(EXCEPTION_KEYS, present, range, target, false));
    }
    if (parent?.key === 'tags' && dash) return list(tagItems(range, load.after[file.order] ?? load.final, tagsOf(item)));
    if (parent?.key === 'items' && dash) return list(nameItems((load.after[file.order] ?? load.final).lists.keys(), 'list', range, item.name));
  }
  return null;
}

/** The plugins Falco Lens knows: those of the field catalog and of the plugin sources. */
function knownPlugins(): string[] {
  const names = new Set<string>();
  for (const f of allFields()) if (f.plugin) names.add(f.plugin);
  for (const plugins of Object.values(PLUGIN_SOURCES)) for (const p of plugins) names.add(p);
  return [...names].sort();
}

/**
 * In `required_plugin_versions`: a requirement's keys (name, version, alternatives; an alternative's name and version)
 * that its entry lacks, and after `name:` the plugins Falco Lens knows.
 */
function pluginRequirementCompletion(ctx: CompletionContext, item: ModelItem, lineBefore: string): CompletionList | null {
  const { offset, file } = ctx;
  const lines = file.model.lines;
  const named = /^\s*(?:-\s+)?name:[ \t]*([\w.-]*)$/.exec(lineBefore);
  if (named) {
    const range = lines.range(offset - named[1].length, offset);
    return list(knownPlugins().map((name) => ({ label: name, kind: CompletionItemKind.Module, detail: 'plugin', textEdit: { range, newText: name } })));
  }
  const key = /^(\s*)(-\s+)?([\w-]*)$/.exec(lineBefore);
  if (!key || key[1].length + (key[2]?.length ?? 0) === 0) return null;
  const column = key[1].length + (key[2]?.length ?? 0);
  // The entry the line belongs to: the last requirement starting before it, or the last of its alternatives when the
  // line is indented past the requirement's keys.
  const requirements = item.kindEntry?.value;
  const requirement = requirements?.kind === 'seq' ? requirements.items.filter((r) => r.span.start < offset).pop() : undefined;
  let entry = !key[2] && requirement?.kind === 'map' ? requirement : undefined;
  let keys: readonly string[] = PLUGIN_REQUIREMENT_KEYS;
  if (requirement?.kind === 'map' && requirement.entries.length > 0 && column > lines.positionAt(requirement.entries[0].keySpan.start).character) {
    const alternatives = requirement.entries.find((e) => e.key === 'alternatives')?.value;
    const alternative = alternatives?.kind === 'seq' ? alternatives.items.filter((a) => a.span.start < offset).pop() : undefined;
    entry = !key[2] && alternative?.kind === 'map' ? alternative : undefined;
    keys = ['name', 'version'];
  }
  const present = new Set(entry?.kind === 'map' ? entry.entries.filter((e) => !containing({ span: e.keySpan }, offset)).map((e) => e.key) : []);
  return list(keyItems(keys, present, lines.range(offset - key[3].length, offset), ctx.falcoVersion ?? LATEST_FALCO, false));
}

export function completionAt(ctx: CompletionContext): CompletionList | null {
  const { analysis, offset, file, load } = ctx;
  const found = itemAt(analysis, offset);
  const item = found?.item ?? analysis.items.filter((a) => a.item.span.start <= offset).pop()?.item;
  if (item && (item.kind === 'rule' || item.kind === 'macro')) {
    const cond = entryOf(item, 'condition')?.value;
    if (cond?.kind === 'scalar' && typeof cond.value === 'string' && inValue(cond, offset, file.model.text)) return conditionCompletion(ctx, item, cond);
    const output = entryOf(item, 'output')?.value;
    if (item.kind === 'rule' && output?.kind === 'scalar' && typeof output.value === 'string' && inValue(output, offset, file.model.text)) return outputCompletion(ctx, item);
  }
  if (item) {
    const text = file.model.text;
    const defs = load.after[file.order] ?? load.final;
    const start = wordStart(text, offset);
    const range = file.model.lines.range(start, offset);
    // Inside `tags: [...]`.
    const tags = entryOf(item, 'tags')?.value;
    if (tags?.kind === 'seq' && tags.flow && containing(tags, offset)) {
      // The tag being typed is no tag the item has yet.
      const present = tagsOf(item);
      present.delete(text.slice(start, wordEnd(text, offset)));
      return list(tagItems(range, defs, present));
    }
    // `items: [...]` of a list: other lists.
    const items = entryOf(item, 'items')?.value;
    if (item.kind === 'list' && items?.kind === 'seq' && items.flow && containing(items, offset)) return list(nameItems(defs.lists.keys(), 'list', range, item.name));
    // Exceptions: fields and values.
    const exceptions = entryOf(item, 'exceptions')?.value;
    if (exceptions?.kind === 'seq' && containing(exceptions, offset)) {
      for (const ex of exceptions.items) {
        if (ex.kind !== 'map' || !containing(ex, offset)) continue;
        const fields = ex.entries.find((e) => e.key === 'fields')?.value;
        if (fields && fields.kind !== 'map' && containing(fields, offset)) return list(fieldItems(sourceFor(item, file, defs), 'condition', text.slice(start, offset), range, ctx.falcoVersion ?? LATEST_FALCO));
        // `comps: [=, <|>]`: the operators Falco takes for the field at that place of `fields`.
        const comps = ex.entries.find((e) => e.key === 'comps')?.value;
        if (comps?.kind === 'seq' && comps.flow && containing(comps, offset) && comps.span.start < offset) {
          // An operator's characters (`<=`, `!=`) are no word characters: the range covers what is typed of it, and of
          // an operator and its modifier (`startswith o`) both words.
          let opStart = wordStart(text, offset, COMP_CHAR);
          const head = /(?:^|[[,'"])[ \t]*([A-Za-z=!]+[ \t]+)$/.exec(text.slice(Math.max(0, opStart - 32), opStart));
          if (head && operatorInfo(head[1].trim())?.acceptsModifier) opStart -= head[1].length;
          const at = comps.items.filter((c) => c.span.end < opStart).length;
          const field = fields?.kind === 'seq' ? scalarText(fields.items[at]) : scalarText(fields);
          const quoted = opStart > 0 && (text[opStart - 1] === '"' || text[opStart - 1] === "'");
          return list(compItems(field, fields?.kind !== 'seq', file.model.lines.range(opStart, offset), ctx.falcoVersion ?? LATEST_FALCO, quoted));
        }
        const values = ex.entries.find((e) => e.key === 'values')?.value;
        // A `- ` being typed in a block list of values is a new tuple (lineCompletion).
        const newBlockItem = values?.kind === 'seq' && !values.flow && /^\s*-\s*$/.test(text.slice(file.model.lines.lineStarts[file.model.lines.positionAt(offset).line], offset));
        if (values && containing(values, offset) && values.span.start < offset && !newBlockItem) {
          // The field of the value being typed: the one at its place in its tuple, or the single field.
          const tuple = values.kind === 'seq' ? values.items.find((t) => t.kind === 'seq' && containing(t, offset)) : undefined;
          const at = tuple?.kind === 'seq' ? tuple.items.filter((x) => x.span.end < start).length : 0;
          const fixed = fields && (tuple || fields.kind === 'scalar') ? exceptionValueItems(fields, at, item, file, load, range) : [];
          const comps = ex.entries.find((e) => e.key === 'comps')?.value;
          const field = fields?.kind === 'seq' ? scalarText(fields.items[at]) : scalarText(fields);
          return list(takesList(fields, comps, tuple ? at : undefined) ? [...fixed, ...nameItems(listsFor(field, defs, ctx.falcoVersion ?? LATEST_FALCO), 'list', range)] : fixed);
        }
      }
    }
  }
  return lineCompletion(ctx, item);
}

/**
 * Whether a list's name may stand as an exception's value: Falco pastes the values into the rule's condition as text,
 * where it expands a list's name (rule_loader_compiler.cpp 0.44.0 build_rule_exception_infos, resolve_list). A single
 * field's values are written in parentheses after its comp (`proc.name in (a, shell_binaries)`); a tuple's value at
 * place `at` is put in parentheses only when the comp at that place takes a list (in, intersects, pmatch or an
 * operator with a modifier: is_operator_for_list), and is written after the comp as it is otherwise (the default comp
 * of a list of fields is `=`), where the list's items make a condition that does not compile (list-name-as-value).
 */
function takesList(fields: ModelNode | undefined, comps: ModelNode | undefined, at: number | undefined): boolean {
  if (fields?.kind !== 'seq') return true;
  if (at === undefined) return false;
  const comp = comps?.kind === 'seq' ? scalarText(comps.items[at]) : undefined;
  if (comp === undefined) return false;
  const { op, modifier } = splitComp(comp);
  return LIST_OPERATORS.has(op) || modifier !== undefined;
}

/**
 * Lines of a block list under the key ending `lineBefore` (`comps:`, `values:`), one `- <item>` each, indented two
 * more than the key, relative to the line's own indentation (the editor indents a completion's next lines like the
 * line it starts on, as the key snippets expect).
 */
function blockItems(lineBefore: string, key: string, indent: string, items: readonly string[]): string {
  const column = lineBefore.indexOf(`${key}:`, indent.length);
  const pad = ' '.repeat(column - indent.length + 2);
  return items.map((i) => `\n${pad}- ${i}`).join('');
}

/** Text for a snippet's choice: `,`, `|` and `\` escaped (and `$`, `}` as everywhere in a snippet). */
const choiceText = (v: string) => v.replace(/[\\$}|,]/g, (c) => `\\${c}`);
const placeholderText = (v: string) => v.replace(/[\\$}]/g, (c) => `\\${c}`);

/**
 * A tuple of values for an exception's fields, as a snippet: a choice of the field's fixed values (knowledge
 * fieldValues.ts, each written as YAML reads it back: yamlString) where it has them, else a placeholder named after
 * the field; for a single field (`fields: proc.name`), one value of it.
 */
function valueTuple(fields: ModelNode | undefined, source: string): { names: string[]; label: string; snippet: string } | undefined {
  const names = fields?.kind === 'seq' ? fields.items.map((f) => scalarText(f) ?? '') : fields?.kind === 'scalar' && scalarText(fields) ? [scalarText(fields)!] : undefined;
  if (!names?.length) return undefined;
  const parts = names.map((name, i) => {
    const info = lookupField(name)?.field;
    const fixed = info?.name === name && info.sources.includes(source as FieldInfo['sources'][number]) ? fixedFieldValues(name) : undefined;
    return fixed ? `\${${i + 1}|${fixed.map((x) => choiceText(yamlString(x.value))).join(',')}|}` : `\${${i + 1}:${placeholderText(name || 'value')}}`;
  });
  const label = fields?.kind === 'seq' ? `[${names.join(', ')}]` : names[0];
  return { names, label, snippet: fields?.kind === 'seq' ? `[${parts.join(', ')}]` : parts[0] };
}

/** The fixed values of the exception field at place `at` of `fields` (or of the single field), written as YAML reads them back. */
function exceptionValueItems(fields: ModelNode, at: number, item: ModelItem, file: LoadedFile, load: LoadResult, range: Range): CompletionItem[] {
  const name = fields.kind === 'seq' ? scalarText(fields.items[at]) : scalarText(fields);
  if (!name) return [];
  const values = fieldValueItems(name, sourceFor(item, file, load.after[file.order] ?? load.final), range, LATEST_FALCO);
  if (!values || EVENT_TYPE_FIELDS.has(name)) return values ?? [];
  return values.map((i) => ({ ...i, textEdit: { range, newText: yamlString(i.label) } }));
}

/**
 * The entry of the exception holding `offset` whose key is the last one before it, with the exception's fields, where
 * that key sits left of `column` (the column of a `- ` being typed under it).
 */
function exceptionKeyAbove(item: ModelItem, offset: number, column: number, lines: LineIndex): { entry: MapEntry; fields?: ModelNode } | undefined {
  const ex = exceptionAt(item, offset);
  if (ex?.kind !== 'map') return undefined;
  const entry = ex.entries.filter((e) => e.keySpan.start < offset).pop();
  if (!entry || lines.positionAt(entry.keySpan.start).character >= column) return undefined;
  return { entry, fields: ex.entries.find((e) => e.key === 'fields')?.value };
}

/** The exception holding `offset`: the last one starting before it (a value being typed may end after the mapping's span). */
function exceptionAt(item: ModelItem, offset: number): ModelNode | undefined {
  const exceptions = entryOf(item, 'exceptions')?.value;
  return exceptions?.kind === 'seq' ? exceptions.items.filter((e) => e.span.start <= offset).pop() : undefined;
}

/** The `fields` of the exception holding `offset`. */
function exceptionFields(item: ModelItem, offset: number): ModelNode | undefined {
  const ex = exceptionAt(item, offset);
  return ex?.kind === 'map' ? ex.entries.find((e) => e.key === 'fields')?.value : undefined;
}

/**
 * The comparisons an exception's `comps` may give: with a single field, in, pmatch and intersects (Falco compares
 * the field with the whole list of values); with a list of fields, the operators the field at that place takes
 * (EXCEPTION_COMPS, as the condition checks judge them: operatorRejection), marked where the target lacks them.
 * `quoted`: the range is inside a quoted scalar, which takes the operator as it is.
 */
function compItems(field: string | undefined, single: boolean, range: Range, target: string, quoted = false): CompletionItem[] {
  const info = field ? lookupField(field)?.field : undefined;
  const fits = (o: string) => !info || operatorRejection(o, info.type, !!info.isList) === undefined;
  const ops = single ? SINGLE_FIELD_COMPS : EXCEPTION_COMPS.filter(fits);
  const write = (text: string) => (quoted ? text : yamlOperator(text));
  const plain = ops.map((name, i) => {
    const op = operatorInfo(name);
    return forTarget({ label: name, kind: CompletionItemKind.Operator, sortText: String(i).padStart(3, '0'), detail: op?.summary, textEdit: { range, newText: write(name) } }, op?.since, target);
  });
  // From 0.44 a string operator with a modifier, for a single field too (rule_loader_collector.cpp 0.44.0
  // validate_exception_info, rule_loader_cmpop.h is_str_operator_with_modifier): after the plain operators.
  const modified = EXCEPTION_COMPS.filter((o) => operatorInfo(o)?.acceptsModifier && fits(o)).flatMap((name) => OPERATOR_MODIFIERS.map((m) => forTarget({
    label: `${name} ${m.name}`, kind: CompletionItemKind.Operator, sortText: `1${name} ${m.name}`, detail: m.summary, textEdit: { range, newText: write(`${name} ${m.name}`) },
  }, m.since, target)));
  return [...plain, ...modified];
}


const BLANK = /\s/;

/** The non-blanks a text ends with ('' after a blank), as /(\S+)$/ finds them, read backwards from `end`: the regex
 * retries \S+ from every start of the last word, so completing after a 1 MB unterminated string went over it 10^12
 * times (quadratic). */
function lastWord(text: string, end = text.length): string {
  let start = end;
  while (start > 0 && !BLANK.test(text[start - 1]!)) start--;
  return text.slice(start, end);
}

/** The word before a text's last word, as /(\S+)\s+\S+$/ finds it ('' when there is none), read backwards for the
 * same reason as lastWord. */
function wordBeforeLast(text: string): string {
  const last = text.length - lastWord(text).length;
  if (last === text.length) return '';
  let end = last;
  while (end > 0 && BLANK.test(text[end - 1]!)) end--;
  return end < last ? lastWord(text, end) : '';
}

/** The name a text ends by calling (`len(` gives len), as /([A-Za-z_]\w*)\($/ finds it, read backwards: the regex
 * retries \w* from every start, so an unterminated 1 MB word took minutes to complete in. */
function calledName(text: string): string | undefined {
  if (!text.endsWith('(')) return undefined;
  let start = text.length - 1;
  while (start > 0 && /\w/.test(text[start - 1]!)) start--;
  while (start < text.length - 1 && !/[A-Za-z_]/.test(text[start]!)) start++;
  return start < text.length - 1 ? text.slice(start, -1) : undefined;
}
