// Condition, output and exception checks, plus the workspace-wide checks that need parsed conditions: unused macros
// and lists, sources and their plugin requirements, event-type restriction.
import type { ConditionParse, Expr, FieldExpr, OutputParse } from './conditionAst';
import { fieldsOf, listRefsOf, macroRefsOf, parseCondition, parseOutput, walkExpr } from './condition';
import { operatorRejection } from './operators';
import { knownFieldClasses, lookupField, allFields, type FieldInfo } from '../../knowledge';
import { Code } from './diagnosticCodes';
import { entryOf, scalarMap, scalarText, type MapEntry, type ModelItem, type ModelNode, type RulesFileModel, type ScalarNode, type Span } from './model';
import { closestNames } from './closest';
import { KNOWN_SOURCES, PLUGIN_SOURCES } from './schema';
import type { Reporter } from './validate';
import type { Definitions, LoadResult, LoadedFile } from './workspace';

// ---------------------------------------------------------------------------------------------------------------
// Parse caches (conditions and outputs repeat across edits and files; parsing is pure)

const CACHE_LIMIT = 20000;
const conditionCache = new Map<string, ConditionParse>();
const outputCache = new Map<string, OutputParse>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    v = make();
    cache.set(key, v);
  }
  return v;
}

export function parseConditionCached(text: string): ConditionParse {
  return cached(conditionCache, text, () => parseCondition(text));
}

/** What the checks read from a parsed condition, computed once per parse. */
interface ConditionFacts {
  macroRefs: ReturnType<typeof macroRefsOf>;
  listRefs: ReturnType<typeof listRefsOf>;
  fields: FieldExpr[];
  compares: Extract<Expr, { kind: 'compare' }>[];
}
const factsCache = new WeakMap<ConditionParse, ConditionFacts>();
function factsOf(parse: ConditionParse): ConditionFacts {
  let facts = factsCache.get(parse);
  if (!facts) {
    const compares: Extract<Expr, { kind: 'compare' }>[] = [];
    walkExpr(parse.ast, (e) => { if (e.kind === 'compare') compares.push(e); });
    facts = { macroRefs: macroRefsOf(parse.ast), listRefs: listRefsOf(parse.ast), fields: fieldsOf(parse.ast), compares };
    factsCache.set(parse, facts);
  }
  return facts;
}

const isKnownField = (name: string) => lookupFieldCached(name) !== undefined;
export function parseOutputCached(text: string): OutputParse {
  return cached(outputCache, text, () => parseOutput(text, isKnownField));
}

// ---------------------------------------------------------------------------------------------------------------
// Uses of macros and lists across every loaded file

/** Names a file refers to: macro references, and every bare word that would name a list if one is defined. */
interface FileRefs { macros: Map<string, number>; listCandidates: Map<string, number> }
const refsByModel = new WeakMap<RulesFileModel, FileRefs>();

function refsOf(model: RulesFileModel): FileRefs {
  let refs = refsByModel.get(model);
  if (refs) return refs;
  refs = { macros: new Map(), listCandidates: new Map() };
  const count = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);
  for (const item of model.items) {
    const condition = scalarText(entryOf(item, 'condition')?.value);
    if (condition !== undefined && (item.kind === 'rule' || item.kind === 'macro')) {
      const prefix = appendsCondition(item) ? `${APPEND_STAND_IN} ` : '';
      const facts = factsOf(parseConditionCached(prefix + condition));
      for (const m of facts.macroRefs) if (!prefix || m.span.start >= prefix.length) count(refs.macros, m.name);
      for (const l of facts.listRefs) count(refs.listCandidates, l.text);
    }
    if (item.kind === 'list') {
      // A list may name other lists among its items.
      const items = entryOf(item, 'items')?.value;
      if (items?.kind === 'seq') for (const i of items.items) { const t = scalarText(i); if (t !== undefined && t !== item.name) count(refs.listCandidates, t); }
    }
    if (item.kind === 'rule') {
      // Exception values may name lists (`values: [[shell_binaries]]` with `in`).
      const exceptions = entryOf(item, 'exceptions')?.value;
      if (exceptions?.kind === 'seq') for (const ex of exceptions.items) {
        if (ex.kind !== 'map') continue;
        walkScalars(ex.entries.find((e) => e.key === 'values')?.value, (t) => count(refs!.listCandidates, t));
      }
    }
  }
  refsByModel.set(model, refs);
  return refs;
}

/** Uses of macros and lists across every loaded file (a use anywhere counts). */
export class UsageIndex {
  readonly macroUses = new Map<string, number>();
  readonly listUses = new Map<string, number>();

  constructor(load: LoadResult) {
    for (const f of load.files) {
      const refs = refsOf(f.model);
      for (const [name, n] of refs.macros) this.macroUses.set(name, (this.macroUses.get(name) ?? 0) + n);
      for (const [name, n] of refs.listCandidates) if (load.final.lists.has(name)) this.listUses.set(name, (this.listUses.get(name) ?? 0) + n);
    }
  }
}

function walkScalars(node: ModelNode | undefined, visit: (text: string) => void): void {
  if (!node) return;
  if (node.kind === 'scalar') { const t = scalarText(node); if (t !== undefined) visit(t.replace(/^\((.*)\)$/, '$1')); }
  else if (node.kind === 'seq') for (const i of node.items) walkScalars(i, visit);
}

// ---------------------------------------------------------------------------------------------------------------
// Field resolution

interface Catalog { size: number; classes: Set<string>; names: string[]; byClass: Map<string, string[]> }
let catalogCache: Catalog | undefined;
function catalog(): Catalog {
  const fields = allFields();
  if (!catalogCache || catalogCache.size !== fields.length) {
    const byClass = new Map<string, string[]>();
    for (const f of fields) {
      const c = f.name.split('.')[0];
      const list = byClass.get(c) ?? [];
      list.push(f.name);
      byClass.set(c, list);
    }
    catalogCache = { size: fields.length, classes: knownFieldClasses(), names: fields.map((f) => f.name), byClass };
  }
  return catalogCache;
}

/** Closest field names: within the same class first (`proc.nmae` → proc.*), else among every field. */
function fieldSuggestions(name: string): string[] {
  const { names, byClass } = catalog();
  const sameClass = byClass.get(name.split('.')[0]);
  const near = sameClass ? closestNames(name, sameClass, 3) : [];
  return near.length ? near : closestNames(name, names, 3);
}

interface FieldProblemContext {
  reporter: Reporter;
  source: string | undefined;
  skipIfUnknownFilter: boolean;
  where: 'condition' | 'output' | 'exception';
}

/** Checks one field reference; returns the catalog entry when it resolves. */
const lookupCache = new Map<string, ReturnType<typeof lookupField> | null>();
function lookupFieldCached(reference: string): ReturnType<typeof lookupField> {
  let v = lookupCache.get(reference);
  if (v === undefined) {
    if (lookupCache.size >= CACHE_LIMIT) lookupCache.clear();
    v = lookupField(reference) ?? null;
    lookupCache.set(reference, v);
  }
  return v ?? undefined;
}

function checkField(name: string, arg: string | undefined, spanOf: () => Span, ctx: FieldProblemContext): FieldInfo | undefined {
  const match = lookupFieldCached(arg !== undefined ? `${name}[${arg}]` : name);
  if (match && !match.field.deprecated && !(ctx.where === 'output' && match.field.conditionOnly) && !match.field.arg?.required
    && (!ctx.source || !KNOWN_SOURCES.includes(ctx.source) || (match.field.sources as string[]).includes(ctx.source))) return match.field;
  const nameSpan = spanOf();
  const { classes } = catalog();
  if (!match) {
    const fieldClass = name.split('.')[0];
    const suggestions = fieldSuggestions(name);
    if (!classes.has(fieldClass) && suggestions.length === 0) {
      ctx.reporter.report(Code.UnknownFieldClass, nameSpan, `Field '${name}' is not known here (no known field starts with '${fieldClass}.'); Falco checks it when the plugin that provides it is loaded.`);
      return undefined;
    }
    const at = ctx.where === 'output' ? 'output' : ctx.where === 'exception' ? 'exception' : 'filter';
    const message = `'${name}' is not a supported ${at} field.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`;
    if (ctx.skipIfUnknownFilter) ctx.reporter.report(Code.UnknownField, nameSpan, `${message} The rule is skipped because of skip-if-unknown-filter.`, { suggestions }, { severity: 2, load: 'LOAD_UNKNOWN_FILTER' });
    else ctx.reporter.report(Code.UnknownField, nameSpan, message, { suggestions }, ctx.where === 'output' ? { load: 'LOAD_ERR_COMPILE_OUTPUT' } : undefined);
    return undefined;
  }
  const field = match.field;
  if (ctx.source && (KNOWN_SOURCES.includes(ctx.source)) && !(field.sources as string[]).includes(ctx.source)) {
    ctx.reporter.report(Code.FieldNotForSource, nameSpan, `Field '${field.name}' is not available for source '${ctx.source}' (it belongs to ${field.sources.join(', ')}).`);
    return field;
  }
  if (ctx.where === 'output' && field.conditionOnly) {
    ctx.reporter.report(Code.UnknownField, nameSpan, `Field '${field.name}' can be used in conditions only, not in an output.`, { suggestions: [] }, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
    return field;
  }
  if (field.arg?.required && match.arg === undefined) {
    ctx.reporter.report(Code.FieldArgument, nameSpan, `Field '${field.name}' needs an argument, e.g. ${field.arg.example}.`);
  }
  if (field.deprecated) {
    ctx.reporter.report(Code.DeprecatedField, nameSpan, `Usage of deprecated field '${field.name}': ${field.deprecated}`);
  }
  return field;
}

// ---------------------------------------------------------------------------------------------------------------
// Event types (LOAD_NO_EVTTYPE)

/** A set of event types: finite, or everything except some. */
type EventTypes = { all: false; types: Set<string> } | { all: true; except: Set<string> };
const ALL: EventTypes = { all: true, except: new Set() };

function union(a: EventTypes, b: EventTypes): EventTypes {
  if (!a.all && !b.all) return { all: false, types: new Set([...a.types, ...b.types]) };
  if (a.all && b.all) return { all: true, except: new Set([...a.except].filter((t) => b.except.has(t))) };
  const [all, some] = (a.all ? [a, b] : [b, a]) as [Extract<EventTypes, { all: true }>, Extract<EventTypes, { all: false }>];
  return { all: true, except: new Set([...all.except].filter((t) => !some.types.has(t))) };
}
function intersect(a: EventTypes, b: EventTypes): EventTypes {
  if (!a.all && !b.all) return { all: false, types: new Set([...a.types].filter((t) => b.types.has(t))) };
  if (a.all && b.all) return { all: true, except: new Set([...a.except, ...b.except]) };
  const [all, some] = (a.all ? [a, b] : [b, a]) as [Extract<EventTypes, { all: true }>, Extract<EventTypes, { all: false }>];
  return { all: false, types: new Set([...some.types].filter((t) => !all.except.has(t))) };
}
function complement(a: EventTypes): EventTypes {
  return a.all ? { all: false, types: new Set(a.except) } : { all: true, except: new Set(a.types) };
}

/**
 * The event types a condition can match, as libsinsp's evttype resolver computes them: `evt.type` comparisons give
 * sets; `and`/`or` intersect/unite; `not` complements sets derived from evt.type, while any other comparison
 * matches every event type whether negated or not.
 */
function eventTypesOf(expr: Expr | undefined, defs: Definitions, negated: boolean, active: Set<string>): EventTypes {
  if (!expr) return ALL;
  switch (expr.kind) {
    case 'and': case 'or': {
      const useUnion = (expr.kind === 'or') !== negated;
      let acc: EventTypes | undefined;
      for (const o of expr.operands) {
        const t = eventTypesOf(o, defs, negated, active);
        acc = acc === undefined ? t : useUnion ? union(acc, t) : intersect(acc, t);
      }
      return acc ?? ALL;
    }
    case 'not': return eventTypesOf(expr.operand, defs, !negated, active);
    case 'paren': return eventTypesOf(expr.inner, defs, negated, active);
    case 'macro': {
      const macro = defs.macros.get(expr.name);
      if (!macro || active.has(expr.name)) return ALL;
      let memo = macroEventTypes.get(defs);
      if (!memo) { memo = new Map(); macroEventTypes.set(defs, memo); }
      const key = `${negated ? '!' : ''}${expr.name}`;
      const known = memo.get(key);
      if (known) return known;
      active.add(expr.name);
      const t = eventTypesOf(parseConditionCached(macro.condition).ast, defs, negated, active);
      active.delete(expr.name);
      memo.set(key, t);
      return t;
    }
    case 'compare': {
      if (expr.lhs.kind !== 'field' || expr.lhs.name !== 'evt.type' || expr.lhs.arg) return ALL;
      let names: string[] | undefined;
      const rhs = expr.rhs;
      if ((expr.op === '=' || expr.op === '==' || expr.op === '!=') && rhs?.kind === 'literal') names = [rhs.text];
      else if (expr.op === 'in' && rhs?.kind === 'list') names = rhs.items.flatMap((i) => expandList(i.quoted ? undefined : i.text, i.text, defs));
      else if (expr.op === 'in' && rhs?.kind === 'literal') names = expandList(rhs.quoted ? undefined : rhs.text, rhs.text, defs);
      if (!names) return ALL;
      let set: EventTypes = { all: false, types: new Set(names) };
      if (expr.op === '!=') set = complement(set);
      return negated ? complement(set) : set;
    }
    default: return ALL;
  }
}

/** Event types of each macro (and of its negation), per set of definitions: macros are shared by many rules. */
const macroEventTypes = new WeakMap<Definitions, Map<string, EventTypes>>();

function expandList(name: string | undefined, text: string, defs: Definitions, seen = new Set<string>()): string[] {
  const list = name !== undefined ? defs.lists.get(name) : undefined;
  if (!list || seen.has(name!)) return [text];
  seen.add(name!);
  return list.items.flatMap((i) => expandList(i, i, defs, seen));
}

// ---------------------------------------------------------------------------------------------------------------
// The checks

function conditionNode(item: ModelItem): { entry: MapEntry; node: ScalarNode } | undefined {
  const entry = entryOf(item, 'condition');
  const node = entry?.value;
  return entry && node?.kind === 'scalar' && typeof node.value === 'string' ? { entry, node } : undefined;
}

function boolKey(item: ModelItem, key: string): boolean | undefined {
  const v = entryOf(item, key)?.value;
  return v?.kind === 'scalar' && typeof v.value === 'boolean' ? v.value : undefined;
}

/** The source a rule item is for: its own `source`, or that of the rule it overrides. */
function sourceOf(item: ModelItem, defs: Definitions): string {
  const own = scalarText(entryOf(item, 'source')?.value);
  if (own !== undefined) return own;
  return (item.name !== undefined ? defs.rules.get(item.name)?.source : undefined) ?? 'syscall';
}

const NA_OPERATORS = new Set(['=', '==', '!=', 'in', 'intersects', 'pmatch']);

export function validateConditions(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: Reporter): void {
  const defs = load.after[file.order] ?? load.final;
  const macroNames = [...defs.macros.keys()];
  const listNames = [...defs.lists.keys()];
  const pluginNames = requiredPluginsUpTo(load, file.order);

  for (const item of file.model.items) {
    if (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') continue;
    const isRule = item.kind === 'rule';
    const source = isRule ? sourceOf(item, defs) : undefined;
    const skipUnknown = isRule ? (boolKey(item, 'skip-if-unknown-filter') ?? (item.name ? defs.rules.get(item.name)?.skipIfUnknownFilter : false) ?? false) : false;
    const fieldCtx: FieldProblemContext = { reporter, source: isRule ? source : undefined, skipIfUnknownFilter: skipUnknown, where: 'condition' };

    const cond = conditionNode(item);
    if (cond && cond.node.text.trim() !== '') {
      // An appended condition is a continuation (`and not ...`): Falco joins it to the previous condition with a
      // space, so it is parsed behind a stand-in for that condition and positions are shifted back.
      const prefix = appendsCondition(item) ? `${APPEND_STAND_IN} ` : '';
      const parse = parseConditionCached(prefix + cond.node.text);
      // The offset map is built only when a finding needs a document range.
      const condNode = cond.node;
      const docSpan = (s: Span) => scalarMap(condNode).span(Math.max(0, s.start - prefix.length), Math.max(0, s.end - prefix.length));
      for (const e of parse.errors) reporter.report(Code.ConditionSyntax, docSpan(e.span), `Condition syntax: ${e.message}.`);
      const facts = factsOf(parse);
      for (const m of facts.macroRefs) {
        if (defs.macros.has(m.name) || (prefix && m.span.start < prefix.length)) continue;
        const suggestions = closestNames(m.name, macroNames);
        reporter.report(Code.UndefinedMacro, docSpan(m.span), `Undefined macro '${m.name}' used in filter.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`, { suggestions });
      }
      for (const l of facts.listRefs) {
        if (defs.lists.has(l.text) || !l.text.includes('_') || l.text.length < 6) continue;
        const suggestions = closestNames(l.text, listNames, 3, 2);
        if (suggestions.length) reporter.report(Code.UnknownList, docSpan(l.span), `'${l.text}' is not a defined list, so Falco compares with the literal string. Did you mean the list '${suggestions[0]}'?`, { suggestions });
      }
      const fieldInfos = new Map<FieldExpr, FieldInfo | undefined>();
      for (const f of facts.fields) {
        if (f.kind !== 'field') continue;
        fieldInfos.set(f, checkField(f.name, f.arg?.text, () => docSpan(f.nameSpan), fieldCtx));
      }
      for (const e of facts.compares) {
        const lhs = e.lhs;
        if (lhs.kind === 'field') {
          const info = fieldInfos.get(lhs);
          if (info) {
            const reason = operatorRejection(e.op, info.type, !!info.isList, e.modifier?.name);
            if (reason) reporter.report(Code.OperatorType, docSpan(e.opSpan), `Operator '${e.op}' cannot be used with '${info.name}': ${reason}.`);
          }
          if ((lhs.name.startsWith('ka.') || lhs.name.startsWith('jevt.')) && NA_OPERATORS.has(e.op)) {
            const rhs = e.rhs;
            const hasNa = rhs?.kind === 'literal' ? rhs.text === '<NA>' : rhs?.kind === 'list' ? rhs.items.some((i) => i.text === '<NA>') : false;
            if (hasNa) reporter.report(Code.UnsafeNaCheck, docSpan(e.span), `Comparing '${lhs.name}' with <NA> is unsafe: <NA> also matches a missing value. Use 'exists' (or 'not ... exists') instead.`);
          }
        }
      }
      if (isRule && source === 'syscall' && isDefinition(item)) {
        const rule = item.name !== undefined ? defs.rules.get(item.name) : undefined;
        const warn = boolKey(item, 'warn_evttypes') ?? rule?.warnEvttypes ?? true;
        const effective = rule?.condition ?? cond.node.text;
        if (warn) {
          const types = eventTypesOf(parseConditionCached(effective).ast, defs, false, new Set());
          if (types.all && parseConditionCached(effective).errors.length === 0) {
            reporter.report(Code.NoEventType, cond.entry.keySpan, `Rule matches too many evt.type values (its condition has no event-type restriction). This has a significant performance penalty; add an 'evt.type in (...)' test or set 'warn_evttypes: false'.`, { name: item.name });
          }
        }
      }
    }

    if (isRule) {
      const output = entryOf(item, 'output')?.value;
      if (output?.kind === 'scalar' && typeof output.value === 'string' && output.text !== '') checkOutput(output, { ...fieldCtx, where: 'output' }, reporter);
      checkExceptionFields(item, { ...fieldCtx, where: 'exception' });
      const sourceNode = entryOf(item, 'source')?.value;
      const sourceText = scalarText(sourceNode);
      if (sourceNode && sourceText !== undefined) checkSource(sourceText, sourceNode.span, pluginNames, reporter);
    }

    // Unused macros and lists: a use in any loaded file counts.
    if ((item.kind === 'macro' || item.kind === 'list') && item.name !== undefined && isDefinition(item)) {
      const uses = item.kind === 'macro' ? usage.macroUses : usage.listUses;
      if (!uses.get(item.name)) {
        reporter.report(item.kind === 'macro' ? Code.UnusedMacro : Code.UnusedList, item.nameSpan ?? item.span,
          `${item.kind === 'macro' ? 'Macro' : 'List'} '${item.name}' is not referred to by any rule, macro${item.kind === 'list' ? ' or list' : ''} of the loaded rules files.`);
      }
    }
  }
}

/** Stands for the previous condition when an appended fragment is parsed (an identifier no rules file uses). */
const APPEND_STAND_IN = 'falcolensPreviousCondition';

function appendsCondition(item: ModelItem): boolean {
  const override = entryOf(item, 'override')?.value;
  if (override?.kind === 'map') return override.entries.some((e) => e.key === 'condition' && scalarText(e.value) === 'append');
  const append = entryOf(item, 'append')?.value;
  return append?.kind === 'scalar' && append.value === true;
}

/** A new definition (not an override, an `append: true` or a standalone `enabled`). */
function isDefinition(item: ModelItem): boolean {
  if (entryOf(item, 'override')) return false;
  const append = entryOf(item, 'append')?.value;
  if (append?.kind === 'scalar' && append.value === true) return false;
  if (item.kind === 'rule' && !['condition', 'output', 'desc', 'priority'].some((k) => entryOf(item, k))) return false;
  return true;
}

function checkOutput(node: ScalarNode, ctx: FieldProblemContext, reporter: Reporter): void {
  const parse = parseOutputCached(node.text);
  const span = (s: Span) => scalarMap(node).span(s.start, s.end);
  for (const e of parse.errors) reporter.report(Code.OutputSyntax, span(e.span), `Output: ${e.message}.`);
  for (const f of parse.fields) {
    if (f.name === 'container.info') {
      reporter.report(Code.DeprecatedContainerInfo, span(f.span), `'%container.info' is deprecated: list the container fields you need (e.g. container_id=%container.id container_name=%container.name) or rely on the container plugin's suggested output fields.`);
      continue;
    }
    checkField(f.name, f.arg?.text, () => span(f.nameSpan), ctx);
  }
}

function checkExceptionFields(item: ModelItem, ctx: FieldProblemContext): void {
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return;
  for (const ex of exceptions.items) {
    if (ex.kind !== 'map') continue;
    const fields = ex.entries.find((e) => e.key === 'fields')?.value;
    const nodes = fields?.kind === 'seq' ? fields.items : fields ? [fields] : [];
    for (const n of nodes) {
      if (n.kind !== 'scalar' || typeof n.value !== 'string') continue;
      // An exception field is a field reference, possibly with an argument.
      const m = /^([^[\s]+)(?:\[(.*)\])?$/.exec(n.text.trim());
      if (!m) continue;
      const lead = n.text.length - n.text.trimStart().length;
      checkField(m[1], m[2], () => scalarMap(n).span(lead, lead + m[1].length), ctx);
    }
  }
}

function requiredPluginsUpTo(load: LoadResult, order: number): Set<string> {
  const names = new Set<string>();
  for (const f of load.files) {
    if (f.order > order) break;
    for (const item of f.model.items) {
      if (item.kind !== 'required_plugin_versions') continue;
      const v = item.kindEntry?.value;
      if (v?.kind !== 'seq') continue;
      for (const entry of v.items) {
        if (entry.kind !== 'map') continue;
        const name = scalarText(entry.entries.find((e) => e.key === 'name')?.value);
        if (name) names.add(name);
        const alternatives = entry.entries.find((e) => e.key === 'alternatives')?.value;
        if (alternatives?.kind === 'seq') for (const a of alternatives.items) {
          if (a.kind !== 'map') continue;
          const alt = scalarText(a.entries.find((e) => e.key === 'name')?.value);
          if (alt) names.add(alt);
        }
      }
    }
  }
  return names;
}

function checkSource(source: string, span: Span, plugins: Set<string>, reporter: Reporter): void {
  if (!KNOWN_SOURCES.includes(source)) {
    const suggestions = closestNames(source, KNOWN_SOURCES, 3, 2);
    if (suggestions.length) reporter.report(Code.UnknownSource, span, `Unknown source '${source}'. Did you mean '${suggestions[0]}'? Falco skips rules of unknown sources.`, { suggestions }, { severity: 2 });
    else reporter.report(Code.UnknownSource, span, `Source '${source}' is not known here; Falco loads the rule only when a plugin providing '${source}' is loaded.`);
    return;
  }
  const providers = PLUGIN_SOURCES[source];
  if (providers && !providers.some((p) => plugins.has(p))) {
    reporter.report(Code.MissingPluginRequirement, span, `Rules of source '${source}' need the ${providers[0]} plugin; no loaded rules file declares it under required_plugin_versions.`, { plugin: providers[0] });
  }
}
