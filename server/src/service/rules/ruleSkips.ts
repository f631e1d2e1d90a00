// Where Falco skips a rule under skip-if-unknown-filter, over the rule's whole text in load order.
//
// Falco compiles every rule collected so far after each file it reads (falco_engine.cpp load_rules, 0.44.0:172-182:
// the collector keeps every file's definitions, compile() runs on all of them with a new compile output), so a rule
// that an earlier file defines and a later file appends to is compiled after each of them, from the text the collector
// holds then: the output that stands (is_format_valid first), the condition's texts in order (the definition's, then
// the appends), then the exceptions build_rule_exception_infos pastes after it (rule_loader_compiler.cpp
// compile_rule_infos, 0.37.0:463-500, 0.44.0:496-536). Its first unknown field in that order is where Falco skips it.
// A file's own findings say where its text is skipped; this module gives the findings of the earlier files' rule
// items, found once per file and load (a file's findings depend on it and the files before it only), and the first
// skip of a rule at a file's compile.
import type { ModelItem, RulesFileModel, Span } from './model';
import { entryOf, itemHolding } from './model';
import { overridesOf, type Contribution, type LoadResult, type LoadedFile, type MacroDef, type RuleDef } from './workspace';
import { validateConditions, type UsageIndex } from './conditionChecks';
import { checkTargetVersion, reporterFor } from './targetVersion';
import { runDirectly, type AliasVia, type ItemCheckRunner, type ReportSink, type Reporter } from './validate';

/** The parts of a rule in the order Falco checks them. */
export const RULE_PARTS = ['output', 'condition', 'exceptions'] as const;
export type RulePart = typeof RULE_PARTS[number];

/** One skip finding of a rule item: the part (index in RULE_PARTS) holding it and its span in the item's file. */
export interface ItemSkip { part: number; span: Span; via?: AliasVia }

/** Where a rule is skipped at a file's compile: the item (of that file or an earlier one) and its finding. */
export interface RuleSkip extends ItemSkip { file: LoadedFile; item: ModelItem }

/**
 * The contributions whose text makes up a rule's `part` as the collector holds it, in order: the last that sets the
 * part (the definition, a redefinition, 'override: <part>: replace'), then those that append to it (an override's
 * append, a legacy `append: true` for the condition and exceptions: rule_loader_collector.cpp selective_replace,
 * append, define_info).
 */
export function partContributions(rule: RuleDef, part: RulePart, replaced?: (gone: Contribution[], by: Contribution) => void): Contribution[] {
  let out: Contribution[] = [];
  for (const c of rule.contributions) {
    const has = entryOf(c.item, part) !== undefined;
    const op = c.mode === 'define' || c.mode === 'redefine' ? 'define'
      : c.mode === 'append-legacy' ? (part !== 'output' && has ? 'append' : undefined)
        : c.mode === 'override' && has ? overridesOf(c.item).get(part)?.op : undefined;
    if (op === 'define' || op === 'replace') {
      // `replaced` is told of the texts a definition or a replace drops (with no text of its own too).
      if (replaced && out.length > 0) replaced(out, c);
      out = op === 'replace' || has ? [c] : [];
    } else if (op === 'append') out.push(c);
  }
  return out;
}

/** A file's skip findings (Reporter.skips) by the rule or macro item that made them, each item's in the file's text order. */
export function skipsByItem(model: RulesFileModel, skips: Reporter['skips']): Map<ModelItem, ItemSkip[]> {
  const byItem = new Map<ModelItem, ItemSkip[]>();
  for (const s of skips) {
    const item = s.via ? s.via.item : itemHolding(model, s.span.start);
    if (item?.kind !== 'rule' && item?.kind !== 'macro') continue;
    const at = s.via ? s.via.use.at : s.span;
    // A macro's skip is in its condition, which the rules reaching it compile (firstSkip places it).
    const part = item.kind === 'macro' ? (inEntry(entryOf(item, 'condition'), at) ? 1 : -1) : RULE_PARTS.findIndex((key) => inEntry(entryOf(item, key), at));
    if (part < 0) continue;
    const list = byItem.get(item) ?? [];
    list.push({ part, span: s.span, ...(s.via ? { via: s.via } : {}) });
    byItem.set(item, list);
  }
  for (const list of byItem.values()) list.sort((a, b) => a.span.start - b.span.start);
  return byItem;
}

/** Whether `span` starts in the entry's text or in its value (read through an alias, the value is the anchored text). */
export function inEntry(entry: ReturnType<typeof entryOf>, span: Span): boolean {
  if (!entry) return false;
  const v = entry.value?.span;
  return (entry.span.start <= span.start && span.start < entry.span.end) || (v !== undefined && v.start <= span.start && span.start < v.end);
}

/**
 * The skip findings of a file's rule items at its own compile (the condition checks and the target release's, as the
 * file's validation runs them), remembered by the file's model, with the models before it and the target: editing a
 * later file finds them again without a check. With `items`, those items' findings only (an item's skip findings read
 * that item alone, with its rule's source and key): editing an earlier file, which makes the memo new, then checks
 * only the items asked for (unusedAtLaterLoads: the output overrides of a later file); the map holds no others then.
 */
interface FileSkipsMemo { before: RulesFileModel[]; target: string; skips: Map<ModelItem, ItemSkip[]>; checked?: Set<ModelItem> }
const fileSkipsMemo = new WeakMap<RulesFileModel, FileSkipsMemo>();
export function fileSkips(file: LoadedFile, load: LoadResult, usage: UsageIndex, target: string, runner?: (model: RulesFileModel, sink: ReportSink) => ItemCheckRunner, items?: readonly ModelItem[]): Map<ModelItem, ItemSkip[]> {
  const before = load.files.slice(0, file.order).map((f) => f.model);
  let memo = fileSkipsMemo.get(file.model);
  if (!memo || memo.target !== target || memo.before.length !== before.length || !memo.before.every((m, i) => m === before[i])) {
    memo = { before, target, skips: new Map(), checked: new Set() };
    fileSkipsMemo.set(file.model, memo);
  }
  const checked = memo.checked;
  if (!checked) return memo.skips;
  const wanted = items?.filter((item) => !checked.has(item));
  if (wanted?.length === 0) return memo.skips;
  const only = wanted && new Set(wanted);
  const reporter = reporterFor(file.model, target);
  // An unknown field in macro text: a skip of each rule with the key that compiles it (diagnose.ts oneSkipPerRule
  // places it in the rule's order); whether other rules fail there is the macro file's own finding.
  const inMacros: Span[] = [];
  const sink: ReportSink = {
    report(code, span, message, data, options) {
      if (options?.unknownFilter || options?.load === 'LOAD_UNKNOWN_FILTER') inMacros.push(span);
      reporter.report(code, span, message, data, options);
    },
  };
  const run = runner?.(file.model, sink) ?? runDirectly(sink);
  // At the target's event table, as the file's own validation: a name the target's table lacks is a skip there too.
  validateConditions(file, load, usage, sink, run, undefined, only, target);
  checkTargetVersion(file, load, target, run, only);
  for (const [item, skips] of skipsByItem(file.model, reporter.skips)) memo.skips.set(item, skips);
  for (const span of inMacros) {
    const item = itemHolding(file.model, span.start);
    if (item?.kind !== 'macro' || !inEntry(entryOf(item, 'condition'), span)) continue;
    const list = memo.skips.get(item) ?? [];
    if (!list.some((s) => s.span.start === span.start)) list.push({ part: 1, span });
    memo.skips.set(item, list.sort((a, b) => a.span.start - b.span.start));
  }
  if (only) for (const item of only) checked.add(item);
  else memo.checked = undefined;
  return memo.skips;
}

/** The macros a rule's condition reaches at a compile, for placing their texts' skips (firstSkip). */
export interface MacroTexts {
  /** The macros collected at the compile, by name. */
  defs: ReadonlyMap<string, MacroDef>;
  /** The uses of macros written in an item's condition, in the text's order, at their places in its file. */
  usesOf(item: ModelItem): readonly { name: string; span: Span }[];
  /** The contributions whose texts make up a macro's condition, in order (its definition, then its appends). */
  textsOf(macro: MacroDef): readonly Contribution[];
}

/** Macros met at most on one walk of a rule's condition (Falco's has no limit; a bad file must not hang the server). */
const MACRO_WALK_LIMIT = 20000;

/**
 * Where Falco first skips rule `rule` (as defined after file `order`) when it compiles the rules after that file: by
 * part, then by contribution, then by place in the text. `skipsOf` gives a file's skip findings by item (a macro's
 * too); `parts`: the first parts looked at (1, the output only); `macros`: with it, a macro's text is met where the
 * condition first names the macro (conditionSkip).
 */
export function firstSkip(rule: RuleDef, skipsOf: (file: LoadedFile) => Map<ModelItem, ItemSkip[]>, parts: number = RULE_PARTS.length, macros?: MacroTexts): RuleSkip | undefined {
  if (!rule.skipIfUnknownFilter) return undefined;
  for (let part = 0; part < parts; part++) {
    if (part === 1 && macros) {
      const found = conditionSkip(rule, skipsOf, macros);
      if (found) return found;
      continue;
    }
    for (const c of partContributions(rule, RULE_PARTS[part])) {
      const found = skipsOf(c.file).get(c.item)?.find((s) => s.part === part);
      if (found) return { ...found, file: c.file, item: c.item };
    }
  }
  return undefined;
}

/**
 * The first skip of a rule's condition in the order libsinsp's compiler meets the text: Falco parses the condition
 * (its texts joined in order), pastes each macro's parsed condition where the condition names it (resolve_macros,
 * filter_macro_resolver) and compiles the tree in the text's order, stopping at its first unknown field
 * (rule_loader_compiler.cpp compile_condition 0.44.0:360-407, 0.38.0:426-462; compile_rule_infos 0.37.0:442-495; libs
 * filter.cpp compile visits the operands of and/or in order). So a macro's text comes where the condition first
 * names the macro, and a macro it names inside that; a later use meets the same text again.
 */
function conditionSkip(rule: RuleDef, skipsOf: (file: LoadedFile) => Map<ModelItem, ItemSkip[]>, macros: MacroTexts): RuleSkip | undefined {
  const met = new Set<ModelItem>();
  const path = new Set<string>();
  let budget = MACRO_WALK_LIMIT;
  const inMacro = (name: string): RuleSkip | undefined => {
    const macro = macros.defs.get(name);
    if (!macro || path.has(name) || budget-- <= 0) return undefined;
    const texts = macros.textsOf(macro);
    if (texts.length === 0 || met.has(texts[0].item)) return undefined;
    met.add(texts[0].item);
    path.add(name);
    let found: RuleSkip | undefined;
    for (const c of texts) if ((found = inText(c))) break;
    path.delete(name);
    return found;
  };
  const inText = (c: Contribution): RuleSkip | undefined => {
    const own = (skipsOf(c.file).get(c.item) ?? []).filter((x) => x.part === 1);
    // Text read through an alias has no place in the item's own text: its first skip stands, as without macros.
    const first = own.find((x) => x.via) ?? own[0];
    for (const use of macros.usesOf(c.item)) {
      if (first && !first.via && use.span.start > first.span.start) break;
      const found = inMacro(use.name);
      if (found) return found;
    }
    return first && { ...first, file: c.file, item: c.item };
  };
  for (const c of partContributions(rule, 'condition')) {
    const found = inText(c);
    if (found) return found;
  }
  return undefined;
}
