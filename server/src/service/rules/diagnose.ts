// The diagnostics of one loaded rules file, with the checks that read a single item replayed from a cache.
//
// Most of the work of validating a file is per item and depends on the item's text alone (keys, value types,
// condition syntax, fields and operators, outputs, exceptions), or on that text plus the rule's source. Those checks
// are recorded with offsets relative to the item's chunk and replayed for the same chunk text, wherever the chunk
// sits now; an edit therefore re-checks only the items it touched. The checks that read the loaded definitions
// (loader findings, undefined macros, unknown lists, event types, plugin requirements, unused macros and lists) run
// every time, interleaved in the same order, so the result equals a validation from scratch; but a rule or macro
// whose inputs are the same as at the file's last validation replays all its condition findings (itemFindings.ts).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Cancellation } from '../features';
import type { ModelItem, RulesFileModel } from './model';
import { AliasAttribution, Recording, Reporter, runDirectly, validateStructure, type ItemCheckRunner, type ReportOptions, type ReportSink } from './validate';
import { addListUsesOfLists, itemRefsAt, macroNamesOf, parseConditionCached, partRefsAt, refsOf, validateConditions, type UsageIndex } from './conditionChecks';
import { macroRefsOf } from './condition';
import { CODE_INFO, Code } from './diagnosticCodes';
import { chunkKey, entryOf, hasEntry, itemHolding, scalarMap, type Span } from './model';
import { fileLabel, isDefinitionItem, lineText, listsPastedAfter, loadPosition, overridesOf, type Contribution, type Definitions, type ListDef, type LoadResult, type LoadedFile, type MacroDef, type RuleDef } from './workspace';
import { checkTargetVersion, reporterFor } from './targetVersion';
import { ItemFindingsMemo } from './itemFindings';
import { fileSkips, firstSkip, inEntry, partContributions, RULE_PARTS, skipsByItem, type ItemSkip, type MacroTexts, type RuleSkip } from './ruleSkips';
import { keepSharedTextForFixes } from './actions';
import { LATEST_FALCO, newerThanTarget } from '../../knowledge';
import { KNOWN_SOURCES } from './schema';
import { loadOrdinal, loadTimes, type OutputAppend } from '../config/rulesFiles';
import { fallbackCheckThrows, outputTail, type OutputTail } from './outputReading';

const NOTHING_RECORDED = new Recording(0);

/** The key of a part checked in a context, one string per pair (a key built per item would be hashed afresh). */
const partKeys = new Map<string, Map<string, string>>();
function partKey(part: string, context: string): string {
  let byContext = partKeys.get(part);
  if (!byContext) partKeys.set(part, byContext = new Map());
  let key = byContext.get(context);
  if (key === undefined) {
    if (byContext.size >= 10000) byContext.clear();
    key = `${part}\u0000${context}`;
    byContext.set(context, key);
  }
  return key;
}

/** Recorded single-item checks by chunk text, then by part and context. One per service; bounded. */
export class ItemCheckCache {
  private readonly byChunk = new Map<string, { used: number; parts: Map<string, Recording> }>();
  private generation = 0;
  /** The condition checks' findings of each file's last validation, item by item. */
  readonly findings = new ItemFindingsMemo();

  constructor(private readonly limit = 20000) {}

  /** A runner for one file's validation: replays recorded checks of its chunk-parsed items, records the others. */
  runner(model: RulesFileModel, reporter: ReportSink): ItemCheckRunner {
    const chunks = model.chunks;
    if (!chunks) return runDirectly(reporter);
    const generation = ++this.generation;
    // Each item is asked for up to four parts: its cache entry is found by chunk text once per validation.
    const entries: ({ used: number; parts: Map<string, Recording> } | undefined)[] = [];
    let spare: Recording | undefined;
    return (item: ModelItem, part, context, check) => {
      const chunk = chunks[item.index];
      reporter.enter?.(item);
      let entry = entries[item.index];
      if (!entry) {
        const key = chunkKey(chunk);
        entry = this.byChunk.get(key);
        if (!entry) {
          entry = { used: generation, parts: new Map() };
          this.byChunk.set(key, entry);
        }
        entry.used = generation;
        entries[item.index] = entry;
      }
      const key = context === '' ? part : partKey(part, context);
      let recording = entry.parts.get(key);
      if (!recording) {
        recording = spare ?? new Recording(chunk.start);
        recording.restart(chunk.start);
        check(recording);
        // Most checks find nothing: one shared empty recording keeps the cache small, and the new one is used for
        // the next check instead of allocating another.
        if (recording.isEmpty) {
          spare = recording;
          recording = NOTHING_RECORDED;
        } else spare = undefined;
        entry.parts.set(key, recording);
      }
      recording.replay(chunk.start, reporter);
    };
  }

  /** Drops the least recently used half when the cache holds more chunks than its limit. */
  trim(): void {
    if (this.byChunk.size <= this.limit) return;
    const uses = [...this.byChunk.values()].map((e) => e.used).sort((a, b) => a - b);
    const cutoff = uses[Math.floor(uses.length / 2)];
    for (const [text, entry] of this.byChunk) if (entry.used <= cutoff) this.byChunk.delete(text);
  }

  get size(): number { return this.byChunk.size; }
}

/**
 * Diagnostics of one loaded file; with a cache, checks of unchanged items are replayed instead of run again.
 * `falcoVersion` is the Falco release checked for (the falcoLens.falcoVersion setting).
 */
export function diagnoseFile(file: LoadedFile, load: LoadResult, usage: UsageIndex, token?: Cancellation, cache?: ItemCheckCache, falcoVersion = LATEST_FALCO, appends: readonly OutputAppend[] = []): Diagnostic[] {
  // What the output Falco builds puts after a rule item's output text (outputTail), by item, at the targets whose
  // output readings go on past a field (fallbackCheckThrows: 0.37-0.43).
  const tails = new Map<ModelItem, OutputTail | undefined>();
  const tailAt = fallbackCheckThrows(falcoVersion) ? (offset: number) => {
    const item = itemHolding(file.model, offset, isRuleItem);
    if (!item) return undefined;
    if (!tails.has(item)) tails.set(item, outputTail(file, load, item, appends));
    return tails.get(item);
  } : undefined;
  const reporter = reporterFor(file.model, falcoVersion, tailAt);
  // A file with aliases marks the findings an item makes through its aliases (the item caches key an item reading
  // another item's text by both texts: model.ts chunkKey).
  const aliased = file.model.aliases !== undefined;
  const compiledInMacros: MacroFinding[] = [];
  const macroSink = unreachedMacroSink(file, load, reporter, compiledInMacros);
  const sink = aliased ? new AliasAttribution(file.model, macroSink) : macroSink;
  // The condition checks of items whose inputs did not change since the file's last validation are replayed
  // (itemFindings.ts); `memo` passes every finding on to `sink` (which reads every rule), recording an item's.
  const memo = cache?.findings.begin(file, load, sink, falcoVersion);
  const run = cache ? cache.runner(file.model, memo ?? sink) : runDirectly(sink);
  // The structure checks report the exception values' compile findings (reportExceptionCompileWarnings) too.
  validateStructure(file, load, new ReporterInto(file.model, sink), run);
  reportLoadedAgain(file, load, reporter);
  if (token?.isCancellationRequested) return reporter.diagnostics;
  validateConditions(file, load, usageUpTo(file, load, usage), memo ?? sink, run, memo, undefined, falcoVersion);
  memo?.finish();
  validateMacroOrder(file, load, aliased ? new AliasAttribution(file.model, reporter) : reporter);
  checkTargetVersion(file, load, falcoVersion, run, undefined, appends);
  const earlier = skipsInEarlierFiles(file, load, usage, reporter, falcoVersion, cache);
  const runner = cache && ((model: RulesFileModel, sink: ReportSink) => cache.runner(model, sink));
  const { outputSkips, conditionSkips, keys } = oneSkipPerRule(file, load, reporter, earlier, (f) => fileSkips(f, load, usage, falcoVersion, runner));
  if (conditionSkips.size > 0) afterConditionSkips(file, load, reporter, conditionSkips);
  let atOutput: ReadonlyMap<string, OutputSkip> = new Map();
  let unparsed: Map<ModelItem, OutputSkip> | undefined;
  if (outputSkips.size > 0) {
    const skipped = afterOutputSkips(file, load, reporter, falcoVersion, outputSkips);
    atOutput = skipped.rules;
    if (newerThanTarget(falcoVersion, '0.37')) unusedAfterOutputSkips(file, load, usage, reporter, unparsed = skipped.items);
  }
  // A rule of another file compiling this file's macro text: where Falco first skips it in the last compile.
  // With `stop`, a finding of this file's macro text counts as a place where the compile stops, in the same order: the
  // rule's first skip is then that finding itself where Falco meets it before any unknown field.
  const elsewhere = (name: string, stop?: { item: ModelItem; span: Span }): RuleSkip | undefined => {
    const rule = load.final.rules.get(name);
    let own: Map<ModelItem, ItemSkip[]> | undefined;
    const withStop = (skips: Map<ModelItem, ItemSkip[]>) => {
      if (!stop) return skips;
      const copy = new Map(skips);
      copy.set(stop.item, [...(skips.get(stop.item) ?? []), { part: 1, span: stop.span }].sort((a, b) => a.span.start - b.span.start));
      return copy;
    };
    // A later file's memo is new after each edit of this one: there only the rule's items and the macros are checked.
    const wanted = (f: LoadedFile) => (f.order > file.order ? [...rule!.contributions.filter((c) => c.file === f).map((c) => c.item), ...f.model.items.filter((i) => i.kind === 'macro')] : undefined);
    const skipsOf = (f: LoadedFile) => (f === file ? (own ??= withStop(skipsByItem(file.model, reporter.skips))) : fileSkips(f, load, usage, falcoVersion, runner, wanted(f)));
    return rule && firstSkip(rule, skipsOf, undefined, { defs: load.final.macros, usesOf: macroUsesOf, textsOf: conditionContributions });
  };
  if (compiledInMacros.length > 0) macroTextAfterSkips(file, load, reporter, falcoVersion, atOutput, conditionSkips, keys, compiledInMacros, elsewhere);
  if (newerThanTarget(falcoVersion, '0.37')) unusedAtLaterLoads(file, load, usage, reporter, falcoVersion, cache);
  unusedAfterReplacedTexts(file, load, usage, reporter, unparsed);
  if (aliased) {
    reporter.markSharedText();
    keepSharedTextForFixes(file, load, reporter.diagnostics, falcoVersion);
  }
  cache?.trim();
  return reporter.diagnostics;
}

/**
 * A configured rules file that the configured paths name again (one path listed twice, a folder and a file in it, or
 * two paths of the file, a file link: Falco's folder read follows links, configuration.cpp:718 at 0.44.0):
 * every release 0.37-0.44 loads it once per name (load_rules_files.cpp 0.44.0:45-49 collects the paths into a
 * std::list, configuration.cpp:701-742 appends without looking for repeats, :64 loads each; the same at 0.37.0). The
 * second load is silent: a rule, macro or list defined again replaces the first in place (define_info,
 * rule_loader_collector.cpp 0.37.0:35-50, 0.44.0:58-69, no warning), which undoes what the files loaded between did
 * to it, and the file's appends are applied again (list items twice, a condition appended twice). So an information,
 * on the file's first item: the configured path has no place in this document.
 */
function reportLoadedAgain(file: LoadedFile, load: LoadResult, reporter: Reporter): void {
  const item = file.model.items[0];
  if (!item || !file.configured) return;
  const span = item.nameSpan ?? item.kindEntry?.keySpan ?? item.span;
  // The loads of this file: the same path again, or another path of it (a file link; LoadedFile.sameAs), whichever
  // of them this document is.
  const key = file.sameAs ?? file.uri;
  const loads = load.files.filter((f) => f.configured && (f.sameAs ?? f.uri) === key);
  const first = loads[0];
  // Each repeat is said on its own: the n-th load (the third listing of a path is its second repeat) undoes what the
  // files loaded since the load before it did.
  for (let n = 2; n <= loads.length; n++) {
    const again = loads[n - 1];
    const previous = loads[n - 2];
    const earlier = [...new Set(loads.slice(0, n - 1).map((f) => f.entry))];
    const named = (earlier.length === 1 && earlier[0] === again.entry ? `the configured rules path '${again.entry}' is listed ${loadTimes(n)}`
      : `the configured rules path${earlier.length === 1 ? '' : 's'} ${earlier.map((e) => `'${e}'`).join(earlier.length === 2 ? ' and ' : ', ')} ${earlier.length === 1 ? 'names' : 'name'} it, and '${again.entry}' again`)
      + (again.uri !== first.uri ? `, as '${again.path ?? again.uri}', another path of the same file` : '');
    const between = load.files.filter((f) => f.order > previous.order && f.order < again.order && (f.sameAs ?? f.uri) !== key).map(fileLabel);
    const undone = between.length ? `, undoing what ${between.join(', ')} (loaded between) did to them` : '';
    const said = reporter.diagnostics.length;
    reporter.report(Code.LoadedAgain, span,
      `Falco loads this file ${loadTimes(n)}: ${named}. The ${loadOrdinal(n)} load replaces each rule, macro and list it defines without a message${undone}, and applies its appends again.`,
      { entry: first.entry, again: again.entry });
    // Where Falco's configuration names it (falco.yaml or a file of its config_files): the entry that loads it again,
    // which the configuration's own check flags (config-rules-file-loaded-again), and the ones that loaded it before.
    const related = [
      again.entryAt && { location: again.entryAt, message: `Falco loads it again here: '${again.entry}'` },
      ...loads.slice(0, n - 1).map((f, i) => f.entryAt && { location: f.entryAt, message: `Falco loads it ${i === 0 ? 'first' : `the ${loadOrdinal(i + 1)} time`} here: '${f.entry}'` }),
    ].filter((r) => r !== undefined);
    const d = reporter.diagnostics[said];
    if (related.length > 0 && d?.code === Code.LoadedAgain) d.relatedInformation = related;
  }
}

/**
 * Falco skips a rule under skip-if-unknown-filter at its first failure and checks nothing after it, so it warns once
 * per rule. Every release from 0.37 to 0.44 checks the output (is_format_valid) before it compiles the condition
 * (rule_loader_compiler.cpp compile_rule_infos, 0.37.0:463-486, 0.44.0:496-536; 0.37 parses it earlier, :442,
 * but unknown fields and event types are found by the compile), the output formatter stops at its first bad token
 * and the filter compiler at its first bad field. So of the skip findings in one rule item, the first in that order
 * (output, condition, exceptions: build_rule_exception_infos appends them to the condition; then the text's order)
 * stays a warning, and the others are said as information: true of the text, not what Falco reports. A finding is
 * counted for the rule that made it: the one reading the text through an alias (ReportOptions.via), else the one
 * whose text holds it; its part is where that rule reads the text (the key of its alias). A diagnostic that several
 * rules share (Reporter.mergeAliased) stays a warning while it is the first skip of one of them. The items of one
 * rule in the file (the definition, then the appends and overrides: compiledTogether) are one rule: the collector
 * joins an appended condition to the rule's before Falco compiles it once. Returns the rules whose first skip is in
 * the output (by the group's first item), where Falco compiles nothing of their condition (afterOutputSkips), and
 * those whose first skip is in the condition or exceptions, where libsinsp's compiler stops (afterConditionSkips).
 */
function oneSkipPerRule(file: LoadedFile, load: LoadResult, reporter: Reporter, earlier: ReadonlyMap<ModelItem, RuleSkip>, skipsOf: (f: LoadedFile) => Map<ModelItem, ItemSkip[]>): { outputSkips: Map<ModelItem, OutputSkip>; conditionSkips: Map<ModelItem, ConditionSkip>; keys: CompileKeys } {
  const outputSkips = new Map<ModelItem, OutputSkip>();
  const conditionSkips = new Map<ModelItem, ConditionSkip>();
  const keysOf = ruleCompileKeys(file, load);
  // Only a file naming skip-if-unknown-filter has rules of its own with it (mentionsSkipKey, by model).
  const foreign = mentionsSkipKey(file.model) ? keysOf.foreignMacroTexts() : [];
  if (reporter.skips.length === 0 && earlier.size === 0 && foreign.length === 0) return { outputSkips, conditionSkips, keys: keysOf };
  const model = file.model;
  const parts = RULE_PARTS;
  /** A skip finding of this file; `before`: one of an earlier file's text (RuleSkip), where `label` names it. */
  // `key`: its place in the compile of the rule's condition (macro text: where the compile meets it, ruleCompileKeys);
  // `macro`: the macro item holding it.
  // `from`: how a skip in macro text of another file is named (ordered by its key, unlike `before`).
  interface Skip { diagnostic?: Diagnostic; span: Span; rule: ModelItem; part: number; via: boolean; before?: string; key?: CompileKey; macro?: ModelItem; from?: string }
  const together = compiledTogether(file, load);
  const byRule = new Map<ModelItem, Skip[]>();
  for (const s of reporter.skips) {
    const rule = s.via ? s.via.item : itemHolding(model, s.span.start);
    if (rule?.kind === 'macro' && !s.via) {
      // A skip in macro text, in the order of each rule of this file that compiles it: the filter compiler meets
      // the macro's text where the rule's condition names the macro (resolve_macros pastes its AST there).
      for (const [head, keys] of keysOf.rulesReaching(rule)) {
        const skips = byRule.get(head) ?? [];
        if (!skips.some((x) => x.diagnostic === s.diagnostic)) skips.push({ diagnostic: s.diagnostic, span: s.span, rule: head, part: 1, via: false, key: [...keys, s.span.start], macro: rule });
        byRule.set(head, skips);
      }
      continue;
    }
    if (rule?.kind !== 'rule') continue;
    const at = s.via ? s.via.use.at : s.span;
    const part = parts.findIndex((key) => inEntry(entryOf(rule, key), at));
    const group = together.get(rule) ?? rule;
    const skips = byRule.get(group) ?? [];
    if (!skips.some((x) => x.diagnostic === s.diagnostic)) skips.push({ diagnostic: s.diagnostic, span: s.span, rule, part: part < 0 ? parts.length : part, via: s.via !== undefined });
    byRule.set(group, skips);
  }
  // A skip in the text of a macro of an earlier file that a rule of this file compiles (an official macro used by a
  // local rule): the compile meets it where the rule's condition names the macro, as it meets this file's macros.
  for (const { head, macroFile, macro, key } of foreign) {
    const skips = byRule.get(head) ?? [];
    for (const s of skipsOf(macroFile).get(macro) ?? []) {
      const from = `${fieldTextAt(macroFile.model.text, s.span)} (${lineText(macroFile, s.span.start, file)}, in macro '${macro.name}')`;
      skips.push({ span: s.span, rule: head, part: 1, via: false, key: [...key, s.span.start], macro, from });
    }
    if (skips.length > 0) byRule.set(head, skips);
  }
  const where = (first: Skip, skip?: Skip) => {
    if (first.from !== undefined) return first.from;
    if (first.before !== undefined) return first.before;
    const text = fieldTextAt(model.text, first.span);
    const at = model.lines.positionAt(first.span.start).line + 1;
    if (first.macro) return `${text} (line ${at}, in macro '${first.macro.name}')`;
    const line = skip && skip.rule !== first.rule ? ` (line ${at})` : '';
    return `${first.part === 0 && !text.startsWith('%') ? `%${text}` : text}${line}`;
  };
  // A rule an earlier file's text skips first: the collector holds that text before this file's (partContributions).
  for (const [group, skip] of earlier) {
    const before = skipLabel(skip, file);
    const skips = byRule.get(group) ?? [];
    if (skips.every((s) => s.part >= skip.part)) byRule.set(group, [{ span: skip.span, rule: skip.item, part: skip.part, via: false, before }, ...skips]);
  }
  /** Each diagnostic that is the first skip of a rule, and those rules. */
  const firsts = new Map<Diagnostic, ModelItem[]>();
  const later = new Map<Diagnostic, { skip: Skip; first: Skip }[]>();
  /** The first skip after an output skip that a later file's override replaces: Falco skips the rule there at that file's compile. */
  const atLaterCompile = new Map<Diagnostic, { by: Contribution; first: Skip }>();
  for (const [group, skips] of byRule) {
    // Stable: an earlier file's skip stays ahead of this file's in its part.
    // Text read through an alias is ordered by where the text is (it has no place in the rule's own text).
    const keyOf = (x: Skip) => x.key ?? [x.part, x.span.start];
    const ordered = skips.sort((a, b) => a.part - b.part || (a.before !== undefined ? -1 : b.before !== undefined ? 1 : compareKeys(keyOf(a), keyOf(b))));
    const first = ordered[0];
    if (first.diagnostic) firsts.set(first.diagnostic, [...(firsts.get(first.diagnostic) ?? []), first.rule]);
    const before = first.before !== undefined ? { before: true as const } : {};
    if (first.part === 0) outputSkips.set(group, { where: where(first), span: first.span, rule: first.rule, ...before });
    else if (first.part < parts.length) {
      const line = first.before === undefined && !first.macro && (first.rule !== group || first.via) ? ` (line ${model.lines.positionAt(first.span.start).line + 1})` : '';
      const key = first.before === undefined && !first.via ? { key: keyOf(first) } : {};
      conditionSkips.set(group, { where: `${where(first)}${line}`, span: first.span, rule: first.rule, part: first.part, via: first.via, ...before, ...key });
    }
    // Macro text is said by what every rule compiling it does (macroTextAfterSkips).
    for (const skip of ordered.slice(1)) if (skip.diagnostic && !skip.macro) later.set(skip.diagnostic, [...(later.get(skip.diagnostic) ?? []), { skip, first }]);
    // Skipped at its own output, which a later file replaces: that file's compile meets the next skip.
    const by = first.part === 0 && first.before === undefined && group.name !== undefined ? laterOutputReplace(file, load, group.name, skipsOf) : undefined;
    const next = by && ordered.find((x) => x.part > 0 && x.part < parts.length && x.before === undefined && !x.macro && x.from === undefined);
    if (by && next?.diagnostic && later.get(next.diagnostic)?.length === 1) atLaterCompile.set(next.diagnostic, { by, first });
  }
  const SKIPPED = / The rule is skipped because of skip-if-unknown-filter\. \(LOAD_UNKNOWN_FILTER\)$/;
  for (const [diagnostic, skipped] of later) {
    if (!reporter.diagnostics.includes(diagnostic)) continue;
    const place = ({ skip, first }: { skip: Skip; first: Skip }) => (skip.part === first.part ? `, earlier in the ${parts[first.part] ?? 'rule'},`
      : first.part < parts.length ? ` in the ${parts[first.part]}, which it checks before the ${parts[skip.part] ?? 'rest'},` : '');
    const firstOf = firsts.get(diagnostic);
    const atLater = atLaterCompile.get(diagnostic);
    if (atLater && !firstOf) {
      reporter.restate(diagnostic, DiagnosticSeverity.Warning, (message) => (SKIPPED.test(message)
        ? `${message.replace(SKIPPED, '')} Falco skips the rule here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER) when it loads ${fileLabel(atLater.by.file)}, whose override ${placeOf(atLater.by, file)} replaces the output; when it loads this file, it skips the rule at ${where(atLater.first)} in the output first.`
        : message));
      continue;
    }
    // Several rules reading this text through aliases: where each is skipped, before it comes to this text.
    const skips = skipped.length === 1 ? `${firstOf ? 'that' : 'the'} rule at ${where(skipped[0].first, skipped[0].skip)}${place(skipped[0])}`
      : `${skipped.map((s) => `rule '${s.skip.rule.name}' at ${where(s.first)}`).join(' and ')}, each before this,`;
    // The first skip of some of them and a later one of others: a warning, as Falco warns for the first, saying which
    // rules Falco skips here and which before it comes to this text.
    if (firstOf) {
      const rules = (items: ModelItem[]) => `rule${items.length === 1 ? '' : 's'} ${items.map((r) => `'${r.name}'`).join(' and ')}`;
      reporter.restate(diagnostic, DiagnosticSeverity.Warning, (message) => (SKIPPED.test(message)
        ? `${message.replace(SKIPPED, '')} Falco skips ${rules(firstOf)} here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER). It does not check this for ${rules(skipped.map((s) => s.skip.rule))}: it skips ${skips} and warns once there.`
        : message));
      continue;
    }
    reporter.restate(diagnostic, DiagnosticSeverity.Information, (message) => (SKIPPED.test(message)
      ? `${message.replace(SKIPPED, '')} Falco does not check this: under skip-if-unknown-filter it skips ${skips} and warns once${skipped.length === 1 ? '' : ' per rule'}.`
      : message));
  }
  return { outputSkips, conditionSkips, keys: keysOf };
}

/**
 * The first later file's override that replaces rule `name`'s output (`override: output: replace`) with an output
 * that skips nothing, while the rule's condition stands as this file leaves it (no redefinition, no condition
 * replace, from this file up to that override): Falco compiles every rule again after each file (falco_engine.cpp
 * load_rules), so at that file's compile the output check passes and the condition is compiled
 * (rule_loader_compiler.cpp compile_rule_infos: the output first, then the condition, 0.37.0:463-486, 0.44.0:496-536).
 */
function laterOutputReplace(file: LoadedFile, load: LoadResult, name: string, skipsOf: (f: LoadedFile) => Map<ModelItem, ItemSkip[]>): Contribution | undefined {
  const rule = load.final.rules.get(name);
  if (!rule) return undefined;
  for (const c of rule.contributions) {
    if (c.file.order <= file.order) continue;
    if (c.mode === 'redefine' || c.mode === 'define') return undefined;
    if (c.mode !== 'override') continue;
    const ops = overridesOf(c.item);
    if (ops.get('condition')?.op === 'replace') return undefined;
    if (ops.get('output')?.op !== 'replace') continue;
    return (skipsOf(c.file).get(c.item) ?? []).some((s) => s.part === 0) ? undefined : c;
  }
  return undefined;
}

/**
 * The rules of this file (by the first of their items here: compiledTogether) that Falco, when it compiles the rules
 * after this file, skips first at text an earlier file brings (its definition's condition, which this file appends
 * to, or the output that stands): ruleSkips.ts firstSkip over the rule's text in load order, with the earlier files'
 * skip findings (fileSkips, found once while they are unchanged). Only for a file with items that change a rule
 * (appends and overrides) of one with skip-if-unknown-filter that an earlier file brings text to.
 */
function skipsInEarlierFiles(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: Reporter, falcoVersion: string, cache?: ItemCheckCache): Map<ModelItem, RuleSkip> {
  const out = new Map<ModelItem, RuleSkip>();
  // A skip of an earlier file's text needs the key there (else that file's compile failed): unchanged earlier files
  // answer from their models' memo, so an edit of a file after files without the key does nothing more.
  if (file.order === 0 || load.files[file.order] !== file || !load.files.slice(0, file.order).some((f) => mentionsSkipKey(f.model))) return out;
  const defs = load.after[file.order];
  const changed = rulesChanged(file.model).filter((name) => defs.rules.get(name)?.skipIfUnknownFilter);
  if (changed.length === 0) return out;
  let own: Map<ModelItem, ItemSkip[]> | undefined;
  const runner = cache && ((model: RulesFileModel, sink: ReportSink) => cache.runner(model, sink));
  const skipsOf = (f: LoadedFile) => (f === file ? (own ??= skipsByItem(file.model, reporter.skips)) : fileSkips(f, load, usage, falcoVersion, runner));
  // Macro text is met where the condition names the macro, with the macros collected at this file's compile.
  const macros: MacroTexts = { defs: defs.macros, usesOf: macroUsesOf, textsOf: conditionContributions };
  for (const head of new Set(compiledTogether(file, load).values())) {
    const rule = head.name !== undefined && changed.includes(head.name) ? defs.rules.get(head.name) : undefined;
    if (!rule || rule.contributions.every((c) => c.file === file)) continue;
    const first = firstSkip(rule, skipsOf, undefined, macros);
    if (first && first.file !== file) out.set(head, first);
  }
  return out;
}

/** How a message of `file` names a skip in another file's text: `%proc.foo (line 4 of a.yaml)`. */
function skipLabel(skip: RuleSkip, file: LoadedFile): string {
  const text = fieldTextAt(skip.file.model.text, skip.span);
  const macro = skip.item.kind === 'macro' ? `, in macro '${skip.item.name}'` : '';
  return `${skip.part === 0 && !text.startsWith('%') ? `%${text}` : text} (${lineText(skip.file, skip.span.start, file)}${macro})`;
}

/**
 * From Falco 0.38, the macros and lists of this file that Falco finds unused when it compiles the rules again after a
 * later file: every use then (in the files up to it) lies in the condition or exceptions of rules skipped at their
 * output then, which Falco does not parse (unusedAfterOutputSkips; LOAD_UNUSED_MACRO / LOAD_UNUSED_LIST are given
 * after each file's compile, rule_loader_compiler.cpp 0.44.0:580-595). A later file makes a rule skipped at its
 * output by replacing or appending to its output (ruleSkips.ts firstSkip at its compile): only such items are looked
 * at, and only for rules with skip-if-unknown-filter. Said once per name, at the first such file; not said again for a name
 * unused already at this file's own compile.
 */
function unusedAtLaterLoads(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: Reporter, falcoVersion: string, cache?: ItemCheckCache): void {
  const files = load.files;
  if (files[file.order] !== file) return;
  // The later files with overrides of outputs (most have none: remembered by their unchanged models).
  const changing: number[] = [];
  for (let k = file.order + 1; k < files.length; k++) if (outputsChanged(files[k].model).length > 0) changing.push(k);
  if (changing.length === 0) return;
  let own: Map<ModelItem, ItemSkip[]> | undefined;
  const runner = cache && ((model: RulesFileModel, sink: ReportSink) => cache.runner(model, sink));
  let said: Set<number> | undefined;
  for (const k of changing) {
    const defs = load.after[k];
    const names = outputsChanged(files[k].model).filter((name) => defs.rules.get(name)?.skipIfUnknownFilter);
    if (names.length === 0) continue;
    // Only output skips matter here: the files after this one (whose memos this file's edit makes new) check only
    // the items that make up those rules' outputs.
    const outputs = new Map<LoadedFile, ModelItem[]>();
    for (const name of names) for (const c of partContributions(defs.rules.get(name)!, 'output')) outputs.set(c.file, [...(outputs.get(c.file) ?? []), c.item]);
    const skipsOf = (f: LoadedFile) => (f === file ? (own ??= skipsByItem(file.model, reporter.skips))
      : fileSkips(f, load, usage, falcoVersion, runner, f.order > file.order ? outputs.get(f) ?? [] : undefined));
    // The condition and exception texts of the rules Falco skips at their output after file k, with the skip.
    const skippedTexts = new Map<ModelItem, { file: LoadedFile; rule: string; where: string }>();
    for (const name of names) {
      const rule = defs.rules.get(name)!;
      const first = firstSkip(rule, skipsOf, 1);
      if (first?.part !== 0) continue;
      const where = first.file === file ? `%${fieldTextAt(file.model.text, first.span).replace(/^%/, '')}` : skipLabel(first, file);
      for (const c of [...partContributions(rule, 'condition'), ...partContributions(rule, 'exceptions')]) skippedTexts.set(c.item, { file: c.file, rule: name, where });
    }
    if (skippedTexts.size === 0) continue;
    const inSkipped = { macros: new Map<string, number>(), lists: new Map<string, number>() };
    const byName = new Map<string, Map<string, string>>();
    for (const [item, skip] of skippedTexts) {
      const refs = itemRefsAt(skip.file.model, item.index);
      for (const [names_, counts] of [[refs.macros, inSkipped.macros], [refs.listCandidates, inSkipped.lists]] as const) {
        for (const name of names_) {
          counts.set(name, (counts.get(name) ?? 0) + 1);
          const rules = byName.get(name) ?? new Map<string, string>();
          rules.set(skip.rule, skip.where);
          byName.set(name, rules);
        }
      }
    }
    const later = k < files.length - 1 ? laterRefs(files, k) : undefined;
    said ??= new Set(reporter.diagnostics.filter((d) => d.code === Code.UnusedMacro || d.code === Code.UnusedList).map((d) => file.model.lines.offsetAt(d.range.start)));
    for (const item of file.model.items) {
      if ((item.kind !== 'macro' && item.kind !== 'list') || item.name === undefined || !isDefinitionItem(item)) continue;
      const at = (item.nameSpan ?? item.span).start;
      const macro = item.kind === 'macro';
      const skipped = (macro ? inSkipped.macros : inSkipped.lists).get(item.name);
      if (skipped === undefined || said.has(at)) continue;
      const uses = ((macro ? usage.macroUses : usage.listUses).get(item.name) ?? 0) - ((macro ? later?.macros : later?.listCandidates)?.get(item.name) ?? 0);
      if (uses !== skipped) continue;
      said.add(at);
      const rules = byName.get(item.name)!;
      const one = rules.size === 1;
      const loaded = fileLabel(files[k]);
      reporter.report(macro ? Code.UnusedMacro : Code.UnusedList, item.nameSpan ?? item.span,
        `${macro ? 'Macro' : 'List'} '${item.name}' is referred to, up to ${loaded}, only by rule${one ? '' : 's'} ${[...rules.keys()].map((name) => `'${name}'`).join(' and ')}, which Falco skips at ${[...rules.values()].join(' and ')} in ${one ? 'its output' : 'their outputs'} under skip-if-unknown-filter when it compiles the rules again after loading ${loaded}, before it parses the condition (from Falco 0.38): Falco warns then that the ${item.kind} is unused.`);
    }
  }
}

/**
 * A rule's condition or exceptions, or a macro's condition, that a later definition (a redefinition, or 'override:
 * <key>: replace') drops: `at`, the load order of the file whose compile first goes without it; `by`, that definition.
 */
interface DroppedText { at: number; c: Contribution; by: Contribution; part: 'condition' | 'exceptions'; kind: 'rule' | 'macro'; name: string }
function droppedTexts(defs: Definitions): DroppedText[] {
  // Not remembered by the definitions: a weak map holding contributions (their files, models) slowed every edit by
  // about 0.1 ms (collector work), more than the walk costs (a few microseconds).
  const out: DroppedText[] = [];
  // forEach: no iterator result per rule and macro (every validation and edit comes here; most have one contribution).
  defs.rules.forEach((rule) => {
    if (rule.contributions.length < 2) return;
    for (const part of ['condition', 'exceptions'] as const) {
      partContributions(rule, part, (gone, by) => { for (const c of gone) out.push({ at: by.file.order, c, by, part, kind: 'rule', name: rule.name }); });
    }
  });
  defs.macros.forEach((macro) => {
    const all = macro.contributions;
    let start = 0;
    for (let k = 1; k < all.length; k++) {
      if (!replacesCondition(all[k])) continue;
      for (const c of all.slice(start, k)) out.push({ at: all[k].file.order, c, by: all[k], part: 'condition', kind: 'macro', name: macro.name });
      start = k;
    }
  });
  return out;
}

/**
 * Macros and lists of this file that only text dropped before Falco compiles it refers to. Falco compiles the rules
 * after each file from what the collector holds then (falco_engine.cpp load_rules, 0.44.0:172-182): a redefinition or
 * a replace copies the new text over the old (rule_loader_collector.cpp define_info, 0.44.0:58-69; selective_replace),
 * so the dropped text is never parsed: parse_condition marks the lists it pastes used, resolve_macros the macros,
 * over the current macros and rules only (rule_loader_compiler.cpp compile_macros_infos and compile_condition,
 * 0.44.0:327-350, 374-375; 0.37.0:378-397 and compile_rule_infos over col.rules(), :418-443), and each compile warns
 * LOAD_UNUSED_MACRO / LOAD_UNUSED_LIST for the names nothing marked (0.44.0:580-595, 0.37.0:550-570). Said at the
 * first compile (this file's or a later one's) where the uses up to it are all in dropped text; a name said unused
 * already is left. `skipped` (from 0.38): this file's rule items skipped at their output at its compile, whose
 * condition and exceptions Falco does not parse either (unusedAfterOutputSkips; 0.38.0:515-546, 0.44.0:496-536), at
 * that compile and the later ones up to a file that changes the rule's output: their uses do not count with the
 * dropped ones (a name used only by such rules is said by unusedAfterOutputSkips).
 */
function unusedAfterReplacedTexts(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: Reporter, skipped?: ReadonlyMap<ModelItem, OutputSkip>): void {
  const files = load.files;
  if (files[file.order] !== file) return;
  const dropped = droppedTexts(load.final).filter((d) => d.at >= file.order);
  if (dropped.length === 0) return;
  // The names each dropped text refers to, with their counts, by kind.
  const counts = dropped.map((d) => partCounts(d.c.file.model, d.c.item.index, d.part));
  // The parts of the skipped rule items, each with the first later file that changes the rule's output (`until`).
  const unparsed: { item: ModelItem; part: 'condition' | 'exceptions'; until: number; where: string; counts: NameCounts }[] = [];
  for (const [item, skip] of skipped ?? []) {
    let until = files.length;
    for (let k = file.order + 1; k < until; k++) if (outputsChanged(files[k].model).includes(item.name!)) until = k;
    for (const part of ['condition', 'exceptions'] as const) unparsed.push({ item, part, until, where: skip.where, counts: partCounts(file.model, item.index, part) });
  }
  counts.push(...unparsed.map((u) => u.counts));
  // Only a name that dropped text refers to as often as the files up to the first such compile do can be unused then
  // or later (the uses up to a compile only grow).
  const loads = [...new Set(dropped.map((d) => d.at))].sort((a, b) => a - b);
  const first = loads[0] < files.length - 1 ? laterRefs(files, loads[0]) : undefined;
  const sums = { macro: new Map<string, number>(), list: new Map<string, number>() };
  // forEach and plain loops: no iterator result or entry pair per name (every validation of a file before a
  // redefinition comes here).
  for (let i = 0; i < counts.length; i++) {
    counts[i].macro.forEach((n, name) => sums.macro.set(name, (sums.macro.get(name) ?? 0) + n));
    counts[i].list.forEach((n, name) => sums.list.set(name, (sums.list.get(name) ?? 0) + n));
  }
  const named = { macro: new Set<string>(), list: new Set<string>() };
  sums.macro.forEach((n, name) => { if (n >= (usage.macroUses.get(name) ?? 0) - (first?.macros.get(name) ?? 0)) named.macro.add(name); });
  sums.list.forEach((n, name) => { if (n >= (usage.listUses.get(name) ?? 0) - (first?.listCandidates.get(name) ?? 0)) named.list.add(name); });
  if (named.macro.size === 0 && named.list.size === 0) return;
  let said: Set<number> | undefined;
  const items = file.model.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if ((item.kind !== 'macro' && item.kind !== 'list') || item.name === undefined) continue;
    const macro = item.kind === 'macro';
    const name = item.name;
    if (!(macro ? named.macro : named.list).has(name) || !isDefinitionItem(item)) continue;
    const at = (item.nameSpan ?? item.span).start;
    const total = (macro ? usage.macroUses : usage.listUses).get(name) ?? 0;
    // The compiles that drop text, each with the uses up to its file less those in text dropped by then.
    const mine = dropped.map((d, i) => ({ d, n: (macro ? counts[i].macro : counts[i].list).get(name) ?? 0 })).filter((x) => x.n > 0);
    const mineSkipped = unparsed.map((u) => ({ u, n: (macro ? u.counts.macro : u.counts.list).get(name) ?? 0 })).filter((x) => x.n > 0);
    for (const k of loads) {
      const gone = mine.filter((x) => x.d.at <= k);
      if (gone.length === 0) continue;
      // A skipped part that dropped text holds is counted there.
      const alsoSkipped = mineSkipped.filter(({ u }) => k < u.until && !gone.some(({ d }) => d.c.item === u.item && d.part === u.part));
      const later = k < files.length - 1 ? laterRefs(files, k) : undefined;
      const upTo = total - ((macro ? later?.macros : later?.listCandidates)?.get(name) ?? 0);
      const n = [...gone, ...alsoSkipped].reduce((sum, x) => sum + x.n, 0);
      if (upTo <= 0 || n < upTo) continue;
      said ??= new Set(reporter.diagnostics.filter((d) => d.code === Code.UnusedMacro || d.code === Code.UnusedList).map((d) => file.model.lines.offsetAt(d.range.start)));
      if (said.has(at)) break;
      said.add(at);
      // A file loaded twice replaces its own text with the same item's (LoadedFile.sameAs): where that text is dropped
      // in turn, the two are one text, named once.
      const sameItem = (x: Contribution, y: Contribution) => x.file !== y.file && (x.file.sameAs ?? x.file.uri) === (y.file.sameAs ?? y.file.uri) && x.item.span.start === y.item.span.start;
      const again = new Set(gone.filter(({ d }) => sameItem(d.c, d.by) && gone.some((x) => x.d.c === d.by)).map(({ d }) => d.by));
      const texts = gone.filter(({ d }) => !again.has(d.by)).map(({ d }) => `the ${d.part} of ${d.kind} '${d.name}' (${again.has(d.c) ? loadsText(d.c, file) : lineText(d.c.file, d.c.item.span.start, file)}), which the ${d.by.mode === 'override' ? 'override' : 'definition'} ${placeOf(d.by, file)} replaces`);
      const loaded = k > file.order ? fileLabel(files[k]) : undefined;
      const rules = new Map(alsoSkipped.map(({ u }) => [u.item.name!, u.where]));
      const one = rules.size === 1;
      if (rules.size > 0) texts.push(`and by rule${one ? '' : 's'} ${[...rules.keys()].map((rule) => `'${rule}'`).join(' and ')}, which Falco skips at ${[...new Set(rules.values())].join(' and ')} in ${one ? 'its output' : 'their outputs'} under skip-if-unknown-filter before it parses the condition (from Falco 0.38)`);
      reporter.report(macro ? Code.UnusedMacro : Code.UnusedList, item.nameSpan ?? item.span,
        `${macro ? 'Macro' : 'List'} '${name}' is referred to${loaded ? `, up to ${loaded},` : ''} only in text dropped before Falco compiles it: ${texts.join('; ')}. Falco compiles the rules from the texts that stand after each file, so it warns${loaded ? ` when it loads ${loaded}` : ''} that the ${item.kind} is unused.`);
      break;
    }
  }
}

/** How many times the condition or the exception values of item `i` name each macro and each word. */
type NameCounts = { macro: Map<string, number>; list: Map<string, number> };
function partCounts(model: RulesFileModel, i: number, part: 'condition' | 'exceptions'): NameCounts {
  const refs = partRefsAt(model, i, part);
  const count = (names: readonly string[]) => {
    const out = new Map<string, number>();
    for (let i = 0; i < names.length; i++) out.set(names[i], (out.get(names[i]) ?? 0) + 1);
    return out;
  };
  return { macro: count(refs.macros), list: count(refs.listCandidates) };
}


/** The names of the rules whose output a file's overrides replace or append to, by model. */
const outputsChangedMemo = new WeakMap<RulesFileModel, string[]>();
function outputsChanged(model: RulesFileModel): string[] {
  let names = outputsChangedMemo.get(model);
  if (names === undefined) {
    names = [...new Set(rulesChanged(model))].filter((name) => model.items.some((item) => item.kind === 'rule' && item.name === name && overridesOf(item).has('output')));
    outputsChangedMemo.set(model, names);
  }
  return names;
}

/** Whether a file's text names skip-if-unknown-filter, by model. */
const mentionsSkipKeyMemo = new WeakMap<RulesFileModel, boolean>();
function mentionsSkipKey(model: RulesFileModel): boolean {
  let mentions = mentionsSkipKeyMemo.get(model);
  if (mentions === undefined) mentionsSkipKeyMemo.set(model, mentions = model.text.includes('skip-if-unknown-filter'));
  return mentions;
}

/** The names of the rules a file's items append to or override (the text of an earlier rule stays), by model. */
const rulesChangedMemo = new WeakMap<RulesFileModel, string[]>();
function rulesChanged(model: RulesFileModel): string[] {
  let names = rulesChangedMemo.get(model);
  if (names === undefined) {
    names = [];
    for (let i = 0; i < model.items.length; i++) {
      const item = model.items[i];
      // hasEntry: a moved item's nodes are not made (this runs for every new model, i.e. on every edit).
      if (item.kind === 'rule' && item.name !== undefined && (hasEntry(item, 'override') || hasEntry(item, 'append'))) names.push(item.name);
    }
    rulesChangedMemo.set(model, names);
  }
  return names;
}

/** The text of a skip finding's span, or for the argument of a field (`proc.args[3]`'s `3`) the field with it. */
function fieldTextAt(text: string, span: Span): string {
  const own = text.slice(span.start, span.end);
  if (text[span.start - 1] !== '[' || text[span.end] !== ']') return own;
  const name = /[\w.]+$/.exec(text.slice(Math.max(0, span.start - 200), span.start - 1))?.[0];
  return name ? `${name}[${own}]` : own;
}

/**
 * The rule items of `file` that Falco compiles as one rule after reading the file, each mapped to the first of them:
 * the definition (or the last redefinition) and the appends and overrides after it. The collector joins an appended
 * condition, output or exceptions to the rule's info (rule_loader_collector.cpp append / selective_replace), and
 * compile_rule_infos compiles that info once per rule.
 */
function compiledTogether(file: LoadedFile, load: LoadResult): Map<ModelItem, ModelItem> {
  const head = new Map<ModelItem, ModelItem>();
  if (load.files[file.order] !== file) return head;
  for (const rule of load.after[file.order].rules.values()) {
    const all = rule.contributions;
    if (all.length < 2) continue;
    let start = 0;
    for (let k = 1; k < all.length; k++) if (all[k].mode === 'redefine') start = k;
    const own = all.slice(start).filter((c) => c.file === file);
    for (const c of own) head.set(c.item, own[0].item);
  }
  return head;
}

/** A place in the compile of a rule's condition, compared element by element (compareKeys). */
type CompileKey = readonly number[];
function compareKeys(a: CompileKey, b: CompileKey): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Where the filter compiler meets text when it compiles a rule of this file with skip-if-unknown-filter, for the rules
 * whose condition and exceptions all come from this file. Falco parses the rule's condition, pastes each macro's parsed
 * condition where the condition names it (resolve_macros, filter_macro_resolver) and compiles the whole tree in
 * the text's order (rule_loader_compiler.cpp compile_condition 0.44.0:360-407, 0.38.0:426-462; compile_rule_infos
 * 0.37.0:442-495; libs filter.cpp compile visits the operands of and/or in order), so a macro's text comes where the
 * condition first names the macro, and a macro it names inside that. The rule's own text is at [part, offset] (1 the
 * condition, 2 the exceptions pasted after it); macro text at [1, offset of the use, index of the macro's condition
 * part (its definition, then its appends), offset of a use in it, ..., offset in the text].
 */
type CompileKeys = ReturnType<typeof ruleCompileKeys>;
function ruleCompileKeys(file: LoadedFile, load: LoadResult) {
  const defs = load.files[file.order] === file ? load.after[file.order] : undefined;
  let heads: Map<ModelItem, RuleDef> | undefined;
  const keys = new Map<ModelItem, Map<ModelItem, CompileKey>>();
  /** The rules said above, by the first of their items in this file (compiledTogether). */
  const rules = () => {
    if (heads) return heads;
    heads = new Map();
    const together = compiledTogether(file, load);
    for (const rule of defs?.rules.values() ?? []) {
      if (!rule.skipIfUnknownFilter || !rule.contributions.every((c) => c.file === file)) continue;
      let defined: Contribution | undefined;
      for (const c of rule.contributions) if (c.mode === 'define' || c.mode === 'redefine') defined = c;
      if (defined) heads.set(together.get(defined.item) ?? defined.item, rule);
    }
    return heads;
  };
  /** The places of the macro texts rule `head`'s condition reaches, each where the compile first meets it. */
  const keysFor = (head: ModelItem): Map<ModelItem, CompileKey> => {
    let found = keys.get(head);
    if (found) return found;
    keys.set(head, found = new Map());
    const rule = rules().get(head);
    if (!rule || !defs) return found;
    let budget = LOOP_WALK_LIMIT;
    const path = new Set<string>();
    const walk = (item: ModelItem, at: CompileKey) => {
      for (const use of macroUsesOf(item)) {
        const macro = defs.macros.get(use.name);
        if (!macro || path.has(use.name) || budget-- <= 0) continue;
        const parts = conditionContributions(macro);
        if (parts.length === 0 || found!.has(parts[0].item)) continue;
        path.add(use.name);
        parts.forEach((c, k) => {
          const key = [...at, use.span.start, k];
          found!.set(c.item, key);
          walk(c.item, key);
        });
        path.delete(use.name);
      }
    };
    for (const c of partContributions(rule, 'condition')) walk(c.item, [1]);
    return found;
  };
  return {
    keysFor,
    /** The macro texts of other files that the rules said above reach, with the place of each in the rule's compile. */
    foreignMacroTexts(): { head: ModelItem; macroFile: LoadedFile; macro: ModelItem; key: CompileKey }[] {
      const out: { head: ModelItem; macroFile: LoadedFile; macro: ModelItem; key: CompileKey }[] = [];
      for (const head of rules().keys()) {
        for (const [macro, key] of keysFor(head)) {
          if (file.model.items[macro.index] === macro) continue;
          const macroFile = load.files.find((f) => f.order < file.order && f.model.items[macro.index] === macro);
          if (macroFile) out.push({ head, macroFile, macro, key });
        }
      }
      return out;
    },
    /** The rules said above whose condition reaches macro item `macro`, with the place of its text in each. */
    rulesReaching(macro: ModelItem): Map<ModelItem, CompileKey> {
      const out = new Map<ModelItem, CompileKey>();
      for (const head of rules().keys()) {
        const key = keysFor(head).get(macro);
        if (key) out.set(head, key);
      }
      return out;
    },
  };
}

/**
 * Where Falco skips a rule at its output: the text messages name (`%proc.bar`), its span, the item holding it;
 * `before`: in an earlier file's text (span and item are that file's), which the collector holds before this file's.
 */
interface OutputSkip { where: string; span: Span; rule: ModelItem; before?: true }

/** The field a skip's `where` names, without its line. */
const fieldOf = (where: string) => where.replace(/ \(line \d+[^)]*\)$/, '');

/**
 * Where Falco skips a rule in its condition (part 1) or exceptions (2); `via`: the text is read through an alias;
 * `key`: the skip's place in the compile of the rule's condition (this file's text only; ruleCompileKeys).
 */
interface ConditionSkip extends OutputSkip { part: number; via: boolean; key?: CompileKey }

/** A finding in macro text that rules compile (unreachedMacroSink), as the checks made it. */
interface MacroFinding { item: ModelItem; code: Code; span: Span; message: string; options?: ReportOptions }

/**
 * Whether Falco finds `code` in a rule's condition only after it checked the rule's output. Falco 0.37 pastes the
 * exceptions in, parses the condition, resolves its macros and runs the warning resolver (LOAD_UNSAFE_NA_CHECK) before
 * is_format_valid (rule_loader_compiler.cpp 0.37.0:439-463, compiled at :486); 0.38-0.44 paste the exceptions in first
 * and do the rest in compile_condition, after the output (0.38.0:506-533 and 426-427, 0.44.0:439-524 and 374-387). libsinsp's compiler (unknown fields, bad
 * values and operators) and its warnings, and the event-code check, come after the output at every release. An
 * exception's shape (build_rule_exception_infos) is found before it at every release.
 */
function foundAfterOutput(code: Code, falcoVersion: string): boolean {
  if (code === Code.ConditionSyntax || code === Code.UndefinedMacro || code === Code.UnsafeNaCheck) return newerThanTarget(falcoVersion, '0.37');
  return (COMPILED_WITH_A_RULE.has(code) && COMPILED_WITH_A_RULE.get(code) !== 'read') || code === Code.EvtTypeNotIndexable || code === Code.NoEventType;
}

/**
 * Under skip-if-unknown-filter Falco skips a rule whose output names a field it does not know before it compiles the
 * rule's condition (foundAfterOutput), so what the compile would find is not said: an error there fails the load only
 * where Falco knows the output's field (the releases or plugins the key is written for), and a warning is given only
 * there. Such findings in the rule's condition and exceptions, and in macro text that only such rules compile, are
 * said as a warning (an error then) or as information (a warning then). Macro text compiled by a rule of another file
 * is left as it is (whether that rule's output is skipped is not known here).
 */
function afterOutputSkips(file: LoadedFile, load: LoadResult, reporter: Reporter, falcoVersion: string, outputSkips: Map<ModelItem, OutputSkip>): { items: Map<ModelItem, OutputSkip>; rules: Map<string, OutputSkip> } {
  const model = file.model;
  const together = compiledTogether(file, load);
  const skipped = new Set(reporter.skips.map((s) => s.diagnostic));
  const restate = (d: Diagnostic, why: string, field: string) => sayWhereKnown(reporter, d, why, field);
  const at = (d: Diagnostic) => model.lines.offsetAt(d.range.start);
  const ruleAt = (offset: number) => itemHolding(model, offset, isRuleItem);
  // The findings of the compile in rules' conditions and exceptions (shared text aside: another reader may compile it).
  const compiled: { d: Diagnostic; head: ModelItem }[] = [];
  for (const d of reporter.diagnostics) {
    if (skipped.has(d) || d.severity === DiagnosticSeverity.Information || (d.relatedInformation?.length ?? 0) > 0) continue;
    if (!foundAfterOutput(d.code as Code, falcoVersion) || (d.code !== Code.UndefinedMacro && typeof d.message === 'string' && d.message.endsWith('(LOAD_ERR_VALIDATE)'))) continue;
    const offset = at(d);
    const item = ruleAt(offset);
    const part = item && (['condition', 'exceptions'] as const).find((key) => inEntry(entryOf(item, key), { start: offset, end: offset }));
    if (part && !rulePartReplacedInItsFile(file, item!, part, load)) compiled.push({ d, head: together.get(item!) ?? item! });
  }
  const rules = new Map<string, OutputSkip>();
  const skippedItems = new Map<ModelItem, OutputSkip>();
  for (const [head, skip] of outputSkips) {
    // An error in the output before the unknown field fails the load there: the rule is not skipped.
    const output = entryOf(skip.rule, 'output');
    if (!skip.before && reporter.diagnostics.some((d) => d.severity === DiagnosticSeverity.Error && inEntry(output, { start: at(d), end: at(d) }) && at(d) < skip.span.start)) continue;
    for (const item of model.items) if (item.kind === 'rule' && (together.get(item) ?? item) === head) skippedItems.set(item, skip);
    if (head.name !== undefined && (together.get(head) ?? head) === head) rules.set(head.name, skip);
    const why = `Falco does not compile the rule's condition: under skip-if-unknown-filter it skips the rule at ${skip.where} in the output, which it checks first`;
    for (const c of compiled) if (c.head === head) restate(c.d, why, fieldOf(skip.where));
  }
  return { items: skippedItems, rules };
}

/**
 * Findings in macro text that rules of this file compile with skip-if-unknown-filter (unreachedMacroSink's `compiled`),
 * when every rule compiling the text is one of this file's and Falco stops before it comes to the text: skipped at its
 * output (what foundAfterOutput says is found after it), or at an unknown field its compile meets before the text
 * (ruleCompileKeys: the macro's text comes where the condition names the macro; the skip may be in another macro's
 * text or in this one's). Then an error of the compile is a warning (the load fails there only where Falco knows the
 * field), an unknown field a later skip (information: Falco warns once per rule), and libsinsp's compile warnings,
 * given only for a condition that compiled, information wherever the text is. What Falco finds before the compile
 * (parse errors, undefined macros, from every macro; the warning resolver's, for a rule skipped in its condition)
 * stays. For a rule with text in another file, its first stop over its whole compile is found (firstSkip, this
 * finding counted as a stop where it is an error of the compile): the finding is Falco's where it comes first.
 */
function macroTextAfterSkips(file: LoadedFile, load: LoadResult, reporter: Reporter, falcoVersion: string, atOutput: ReadonlyMap<string, OutputSkip>, conditionSkips: ReadonlyMap<ModelItem, ConditionSkip>, keys: CompileKeys, inMacros: readonly MacroFinding[], elsewhere: (rule: string, stop?: { item: ModelItem; span: Span }) => RuleSkip | undefined): void {
  const at = (d: Diagnostic) => file.model.lines.offsetAt(d.range.start);
  const said = new Set<Diagnostic>();
  for (const f of inMacros) {
    if (f.options?.via) continue;
    const { failing, skipping } = rulesCompilingMacroText(file, f.item, load);
    if (failing !== undefined || skipping.length === 0) continue;
    const reaching = keys.rulesReaching(f.item);
    const skipped = f.options?.unknownFilter === true;
    const kind = COMPILED_WITH_A_RULE.get(f.code);
    // Where each rule compiling the text stops before it, or the rules that come to it (each rule judged here).
    const stops: { name: string; where: string; output: boolean }[] = [];
    const reached: string[] = [];
    let judged = true;
    for (const name of skipping) {
      if (!load.final.rules.get(name)?.contributions.every((c) => c.file === file)) {
        // A rule with text in other files: its first skip in Falco's order (ruleSkips.ts firstSkip, macro text where
        // the condition names the macro). An unknown field here is a skip of it too, and an error of the compile stops
        // it where it stands (counted as a skip): Falco meets the finding when the first skip is the finding itself.
        // The compiler's warnings are given only for a condition that compiled: any skip of the rule drops them.
        const stopsHere = skipped || kind === 'error';
        if (!stopsHere && !COMPILE_WARNINGS.has(f.code)) { judged = false; break; }
        const first = elsewhere(name, stopsHere && !skipped ? f : undefined);
        if (!first) {
          if (skipped) { judged = false; break; }
          reached.push(name);
        } else if (first.item === f.item && first.span.start === f.span.start) reached.push(name);
        // What Falco finds before the output check (foundAfterOutput) is met whatever the output says.
        else if (first.part === 0 && !skipped && !foundAfterOutput(f.code, falcoVersion)) reached.push(name);
        else stops.push({ name, where: skipLabel(first, file), output: first.part === 0 });
        continue;
      }
      const output = atOutput.get(name);
      if (output && (skipped || foundAfterOutput(f.code, falcoVersion))) { stops.push({ name, where: output.where, output: true }); continue; }
      const [head, key] = [...reaching].find(([h]) => h.name === name) ?? [];
      const skip = head && conditionSkips.get(head);
      if (!key || (skip && !skip.key)) { judged = false; break; }
      if (!skip || !(COMPILE_WARNINGS.has(f.code) || ((kind === 'error' || skipped) && compareKeys([...key, f.span.start], skip.key!) > 0))) { reached.push(name); continue; }
      // Said in the macro: the rule's own text is named with its line.
      stops.push({ name, where: skip.where.includes(' (line ') ? skip.where : `${skip.where} (line ${file.model.lines.positionAt(skip.span.start).line + 1})`, output: false });
    }
    // A finding some rule comes to is Falco's; an unknown field is the skip of those rules only.
    if (!judged || stops.length === 0 || (reached.length > 0 && !skipped)) continue;
    const d = reporter.diagnostics.find((x) => x.code === f.code && at(x) === f.span.start && x.severity !== DiagnosticSeverity.Information);
    if (!d || said.has(d) || (d.relatedInformation?.length ?? 0) > 0) continue;
    said.add(d);
    const load_ = skipped ? 'LOAD_UNKNOWN_FILTER' : f.options?.load === null ? undefined : (f.options?.load ?? CODE_INFO[f.code].load);
    const error = kind === 'error' && !skipped && d.severity === DiagnosticSeverity.Error;
    const distinct = new Set(stops.map((x) => fieldOf(x.where)));
    const fields = distinct.size === 1 ? [...distinct][0] : 'those fields';
    const named = load_ ? ` (${load_})` : '';
    const base = f.message.replace(/:? Falco rejects the condition\.$/, '.');
    const where = stops.map((x) => `rule '${x.name}' at ${x.where}`);
    const list = (items: string[]) => (items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
    // Rules skipped at the same place are named together.
    const byPlace = new Map<string, string[]>();
    for (const x of stops) {
      const place = `${x.where}${x.output ? ' in the output' : ''}`;
      byPlace.set(place, [...(byPlace.get(place) ?? []), x.name]);
    }
    const rules = list([...byPlace].map(([place, names]) => `${ruleNames(names)} at ${place}`));
    if (reached.length > 0) {
      // The first skip of some rules and a later one of others: a warning, as Falco warns for the first.
      const uses = `macro '${f.item.name}'`;
      reporter.restate(d, DiagnosticSeverity.Warning, () => `${f.message} Falco skips ${ruleNames(reached)}, which use${reached.length === 1 ? 's' : ''} ${uses}, here because of skip-if-unknown-filter (LOAD_UNKNOWN_FILTER). It does not check this for ${ruleNames(stops.map((x) => x.name))}: it skips ${stops.length === 1 ? `that rule at ${[...byPlace.keys()][0]}` : rules}, before it comes to this text, and warns once there.`);
      continue;
    }
    if (stops.every((x) => x.output)) {
      const why = `Falco does not compile this text: under skip-if-unknown-filter it skips ${where.length === 1 ? `${where[0]} in its output` : `${list(where)} in their outputs`}, which it checks before the condition`;
      const then = skipped ? `where Falco knows ${fields}, it skips the rule here instead${named}`
        : error ? `where Falco knows ${fields}, it fails to load here${named}` : `it says this${named} only where it knows ${fields}`;
      reporter.restate(d, error ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information, () => `${base} ${why}; ${then}.`);
      continue;
    }
    const text = skipped ? `${f.message} Falco does not check this: under skip-if-unknown-filter it skips ${rules}, before it comes to this text, and warns once${stops.length === 1 ? '' : ' per rule'}.`
      : COMPILE_WARNINGS.has(f.code) ? `${base} Falco gives the compiler's warnings only for a condition it compiled: under skip-if-unknown-filter it skips ${rules}, where the compile stops; it says this${named} only where it knows ${fields}.`
        : `${base} Falco does not compile this text: under skip-if-unknown-filter it skips ${rules}, before it comes to this text; ${error ? `where Falco knows ${fields}, it fails to load here${named}` : `it says this${named} only where it knows ${fields}`}.`;
    reporter.restate(d, error ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information, () => text);
  }
}

/**
 * Says finding `d` of Falco's compile as Falco says it only where it knows `field` (the field it skips a rule at):
 * an error as a warning (the load fails here there), a warning as information. `why` says what Falco does instead.
 */
function sayWhereKnown(reporter: Reporter, d: Diagnostic, why: string, field: string): void {
  const LOAD = / \((LOAD_[A-Z_]+)\)$/;
  const error = d.severity === DiagnosticSeverity.Error;
  reporter.restate(d, error ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information, (message) => {
    const load = LOAD.exec(message)?.[1];
    const base = message.replace(LOAD, '').replace(/:? Falco rejects the condition\.$/, '.');
    const named = load ? ` (${load})` : '';
    return `${base} ${why}; ${error ? `where Falco knows ${field}, it fails to load here${named}` : `it says this${named} only where it knows ${field}`}.`;
  });
}

/** libsinsp's compile warnings (LOAD_COMPILE_CONDITION), which Falco gives only for a condition that compiled. */
const COMPILE_WARNINGS = new Set<Code>([Code.RegexSimplerOperator, Code.FieldAsValue, Code.TransformerAsValue]);

/**
 * libsinsp's filter compiler walks a rule's condition in order (the rule's text, its appends, then the exceptions
 * build_rule_exception_infos pasted after it; libs 0.25.2 filter.cpp visit(binary_check_expr): the field, then the
 * operator against its type, then the values) and stops at its first throw. An unknown field or event type there
 * skips the rule under skip-if-unknown-filter (compile_condition, rule_loader_compiler.cpp 0.44.0:393-406, 0.38.0:443-462;
 * compile_rule_infos 0.37.0:486-500). So nothing the compile would find after that point is Falco's (a value the
 * field's type does not take, an operator, a field argument, an unknown event type, a second unknown field), and
 * neither are the compiler's warnings anywhere in the rule (LOAD_COMPILE_CONDITION: collected during the compile,
 * given after it succeeded, 0.44.0:408, 0.38.0:464) nor the event-code check that follows the compile
 * (LOAD_NO_EVTTYPE, 0.44.0:541, 0.37.0:511). What Falco does before the compile stays as written at every release:
 * the parser's syntax errors, undefined macros (resolve_macros) and the warning resolver's <NA> checks and deprecated
 * fields (0.44.0:374-387, 0.37.0:442-447). A finding before the skip point fails the load there: left as it is.
 */
function afterConditionSkips(file: LoadedFile, load: LoadResult, reporter: Reporter, conditionSkips: Map<ModelItem, ConditionSkip>): void {
  const model = file.model;
  const together = compiledTogether(file, load);
  const skipped = new Set(reporter.skips.map((s) => s.diagnostic));
  const parts = ['condition', 'exceptions'] as const;
  const ruleAt = (offset: number) => itemHolding(model, offset, isRuleItem);
  for (const d of reporter.diagnostics) {
    if (skipped.has(d) || d.severity === DiagnosticSeverity.Information || (d.relatedInformation?.length ?? 0) > 0) continue;
    const code = d.code as Code;
    const everywhere = COMPILE_WARNINGS.has(code) || code === Code.NoEventType || code === Code.EvtTypeNotIndexable;
    // Exception fields are checked as the rule is read (validate_exception_info: LOAD_ERR_VALIDATE), before any compile.
    if (!everywhere && (COMPILED_WITH_A_RULE.get(code) !== 'error' || (typeof d.message === 'string' && d.message.endsWith('(LOAD_ERR_VALIDATE)')))) continue;
    const offset = model.lines.offsetAt(d.range.start);
    const item = ruleAt(offset);
    const part = item ? parts.findIndex((key) => inEntry(entryOf(item, key), { start: offset, end: offset })) : -1;
    if (part < 0) continue;
    const skip = conditionSkips.get(together.get(item!) ?? item!);
    if (!skip || rulePartReplacedInItsFile(file, item!, parts[part], load)) continue;
    const field = fieldOf(skip.where);
    if (everywhere) {
      const what = COMPILE_WARNINGS.has(code) ? 'gives the compiler\'s warnings' : 'counts the event types';
      sayWhereKnown(reporter, d, `Falco ${what} only for a condition it compiled: under skip-if-unknown-filter it skips the rule at ${skip.where}, where the compile stops`, field);
      continue;
    }
    // After the skip point in the compile's order: by part, then by place (text read through an alias has no order here).
    const after = part + 1 > skip.part || (part + 1 === skip.part && (skip.before || (skip.key !== undefined && compareKeys([part + 1, offset], skip.key) > 0)));
    if (!after) continue;
    sayWhereKnown(reporter, d, `Falco does not compile the condition past ${skip.where}: under skip-if-unknown-filter it skips the rule there, ${part + 1 === skip.part ? `earlier in the ${parts[part]}` : 'in the condition, which it compiles before the exceptions'}`, field);
  }
}

/**
 * From Falco 0.38 a rule skipped at its output has its condition neither parsed nor its macros resolved: parse_condition
 * (which marks the lists it pastes used) and resolve_macros (which marks the macros used) run in compile_condition,
 * after is_format_valid (rule_loader_compiler.cpp 0.38.0:426-427 after :515, 0.44.0:374-375 after :496). So a macro or
 * list that only such rules of this file use is unused for Falco, which warns LOAD_UNUSED_MACRO / LOAD_UNUSED_LIST
 * (0.44.0:580-595). At 0.37 both ran before the output check (0.37.0:442-443, :463): used. A use in a macro counts at
 * every release (compile_macros_infos parses and resolves every macro), as does a list named by a list
 * (compile_list_infos); uses counted in other files leave the name used here (whether those rules are skipped is not
 * known here). A list only pasted into such rules' conditions through an earlier list's items is unused too. `skipped` maps each rule item skipped at its output to its skip (afterOutputSkips).
 */
function unusedAfterOutputSkips(file: LoadedFile, load: LoadResult, usage: UsageIndex, reporter: Reporter, skipped: Map<ModelItem, OutputSkip>): void {
  if (skipped.size === 0) return;
  const model = file.model;
  const inSkipped = { macros: new Map<string, ModelItem[]>(), lists: new Map<string, ModelItem[]>() };
  model.items.forEach((item, i) => {
    if (!skipped.has(item)) return;
    const refs = itemRefsAt(model, i);
    for (const name of refs.macros) inSkipped.macros.set(name, [...(inSkipped.macros.get(name) ?? []), item]);
    for (const name of refs.listCandidates) inSkipped.lists.set(name, [...(inSkipped.lists.get(name) ?? []), item]);
  });
  const later = file.order < load.files.length - 1 && load.files[file.order] === file ? laterRefs(load.files, file.order) : undefined;
  for (const item of model.items) {
    if ((item.kind !== 'macro' && item.kind !== 'list') || item.name === undefined || !isDefinitionItem(item)) continue;
    const macro = item.kind === 'macro';
    const users = (macro ? inSkipped.macros : inSkipped.lists).get(item.name);
    if (!users) continue;
    // The uses Falco counts when it loads this file: the later files' are not compiled yet.
    const uses = (macro ? usage.macroUses : usage.listUses).get(item.name) ?? 0;
    const upTo = uses - ((macro ? later?.macros : later?.listCandidates)?.get(item.name) ?? 0);
    if (upTo !== users.length) continue;
    // One entry per rule: an appended condition is compiled with the rule's.
    const rules = new Map(users.map((rule) => [rule.name, skipped.get(rule)!.where]));
    const names = [...rules.keys()].map((name) => `'${name}'`).join(' and ');
    const one = rules.size === 1;
    reporter.report(macro ? Code.UnusedMacro : Code.UnusedList, item.nameSpan ?? item.span,
      `${macro ? 'Macro' : 'List'} '${item.name}' is referred to only by rule${one ? '' : 's'} ${names}, which Falco skips at ${[...rules.values()].join(' and ')} in ${one ? 'its output' : 'their outputs'} under skip-if-unknown-filter before it parses the condition (from Falco 0.38): ${one ? 'that use does' : 'those uses do'} not count, and Falco warns that the ${item.kind} is unused.`);
  }
  // A list named in the items of a list such a rule names, which comes before it: parse_condition pastes the first
  // list's items into the condition and then substitutes the second in them (resolve_list, the lists in index order,
  // rule_loader_compiler.cpp 0.38.0:300-304, 0.44.0:279-283), marking it used, only when it parses the condition.
  // compile_list_infos marks a list used when a list coming after it names it, whether that list is used or not
  // (0.37.0:340-376, 0.44.0:298-322): such a list (listsUsedThroughLists) stays used.
  const lists = load.files[file.order] === file ? load.after[file.order].lists : undefined;
  if (!lists || inSkipped.lists.size === 0) return;
  const inCondition = (name: string) => (usage.listCandidates.get(name) ?? 0) - (later?.listCandidates.get(name) ?? 0) - (inSkipped.lists.get(name)?.length ?? 0) > 0;
  let through: Set<string> | undefined;
  for (const item of model.items) {
    if (item.kind !== 'list' || item.name === undefined || !isDefinitionItem(item) || inSkipped.lists.has(item.name) || inCondition(item.name)) continue;
    const from = [...inSkipped.lists.keys()].filter((name) => lists.has(name) && listsPastedAfter(lists.get(name)!, lists).includes(item.name!));
    if (from.length === 0 || (through ??= listsUsedThroughLists(lists, inCondition)).has(item.name)) continue;
    const rules = new Map(from.flatMap((name) => inSkipped.lists.get(name)!).map((rule) => [rule.name, skipped.get(rule)!.where]));
    const one = rules.size === 1;
    reporter.report(Code.UnusedList, item.nameSpan ?? item.span,
      `List '${item.name}' is pasted only into the condition${one ? '' : 's'} of rule${one ? '' : 's'} ${[...rules.keys()].map((name) => `'${name}'`).join(' and ')}, through the items of list${from.length === 1 ? '' : 's'} ${from.map((name) => `'${name}'`).join(' and ')}, and Falco skips ${one ? 'it' : 'them'} at ${[...rules.values()].join(' and ')} in ${one ? 'its output' : 'their outputs'} under skip-if-unknown-filter before it parses the condition (from Falco 0.38): Falco warns that the list is unused.`);
  }
}

/** A Reporter (what validateStructure takes) that hands every finding on to a sink instead of keeping it. */
class ReporterInto extends Reporter {
  constructor(model: RulesFileModel, private readonly sink: ReportSink) { super(model); }
  override report(...args: Parameters<ReportSink['report']>): void { this.sink.report(...args); }
  override enter(item: ModelItem): void { this.sink.enter?.(item); }
}

/**
 * What libsinsp's filter compiler and Falco's warning pass find in a condition (rule_loader_compiler.cpp at 0.44.0,
 * compile_condition: filter_warning_resolver, then sinsp_filter_compiler::compile and its get_warnings). Falco runs them
 * on rules' conditions only, with their macros expanded (compile_rule_infos); compile_macros_infos only parses every
 * macro (parse_condition: syntax errors) and resolves its macros (resolve_macros: undefined macros, reference loops),
 * for unused macros too. So in a macro that no rule reaches these findings are not Falco's yet: the errors (the
 * condition's compile errors) become warnings saying so, and the warnings (libsinsp's compile warnings, the <NA> check,
 * deprecated fields) information, as Falco gives them only once a rule uses the macro: true of the text, not of the
 * load. Kind 'error': rejected then; 'warning': warned then; 'read': Falco says nothing, but libsinsp reads the value
 * only then (a port over 65535 is cut to 16 bits when sinsp_filter_check::add_filter_value parses it, libs 0.25.2
 * value_parser.cpp PT_PORT), so Falco Lens's own warning becomes information too.
 */
const COMPILED_WITH_A_RULE = new Map<Code, 'error' | 'warning' | 'read'>([
  [Code.UnknownField, 'error'], [Code.FieldNotForSource, 'error'], [Code.FieldArgument, 'error'], [Code.OperatorType, 'error'],
  [Code.InvalidValue, 'error'], [Code.UnknownEventType, 'error'],
  [Code.RegexSimplerOperator, 'warning'], [Code.FieldAsValue, 'warning'], [Code.TransformerAsValue, 'warning'],
  [Code.UnsafeNaCheck, 'warning'], [Code.DeprecatedField, 'warning'],
  [Code.PortWraps, 'read'], [Code.ResultNeverMatches, 'read'],
]);

/** What checking a rule's output finds (is_format_valid, the deprecated fields and %container.info in it). */
const OUTPUT_CHECKS = new Set<Code>([Code.OutputSyntax, Code.UnknownField, Code.UnknownFieldClass, Code.FieldNotForSource, Code.FieldArgument, Code.DeprecatedField, Code.DeprecatedContainerInfo]);

/**
 * What Falco finds in every macro it compiles, used or not (compile_macros_infos: parse_condition, resolve_macros):
 * findings in text that a later item of the same file replaces (a redefinition or 'override: condition: replace')
 * are not Falco's, as the file is compiled only after it is read whole and the collector then holds the new text
 * alone (rule_loader_collector.cpp define_info). Text replaced by a later file was parsed with its own file.
 * (Reference loops and macros defined too late are walked on the macro's current texts only: validateMacroOrder.)
 * Kind 'error': Falco's parse errors, warnings then; 'hint': Falco Lens's unknown-list hint, information then. Falco
 * substitutes the lists into every macro's text when it parses it (parse_condition resolves them, lists of the whole
 * collector), and a name that is no list stays a literal string: true of text Falco parses, reached or not, so a
 * macro no rule reaches keeps the hint; text Falco never parses means nothing, so the hint is only information.
 * The event-code error (evttype-not-indexable) is no macro's: libsinsp's ppm_event_codes runs on a syscall rule's
 * compiled condition (compile_rule_infos, 0.44.0), and Falco Lens reports it on the rule, with the macros' texts
 * of the rule's file, so unreached and replaced macro text never gets it.
 */
const PARSED_WITH_THE_MACRO = new Map<Code, 'error' | 'hint'>([[Code.ConditionSyntax, 'error'], [Code.ListNameAsValue, 'error'], [Code.ListNameExpanded, 'error'], [Code.UndefinedMacro, 'error'], [Code.UnknownList, 'hint']]);

/**
 * The sink of a file's item and condition checks: passes every finding on to `reporter`, but those of
 * COMPILED_WITH_A_RULE inside macro text that no rule Falco compiles reaches while the text is the macro's
 * (macroTextReach: directly, through other macros, or from a later file: Falco compiles everything read so far after
 * each file, and the load fails then) are said as Falco will say them once a rule uses it, and those of
 * PARSED_WITH_THE_MACRO in text its own file replaces are said to be unread. Reach reads every rule, so it is applied
 * here, after the cached checks are replayed, and walked only when such a finding lies in a macro. The same findings
 * in a rule's condition or exceptions that a later item of its own file replaces are said to be never compiled
 * (rulePartReplacedInItsFile), but for the collector's checks of exception fields, made when the item is read.
 */
const isRuleItem = (i: ModelItem): boolean => i.kind === 'rule';
const isNamedRule = (i: ModelItem): boolean => i.kind === 'rule' && i.name !== undefined;

function unreachedMacroSink(file: LoadedFile, load: LoadResult, reporter: ReportSink, compiled?: MacroFinding[]): ReportSink {
  let macros: ModelItem[] | undefined;
  /** The rule a finding is made for: the item whose alias reads the text, else the rule whose text holds it. */
  const ruleAt = (span: Span, options: ReportOptions | undefined): ModelItem | undefined => {
    const via = options?.via?.item;
    if (via) return via.kind === 'rule' && via.name !== undefined ? via : undefined;
    return itemHolding(file.model, span.start, isNamedRule);
  };
  /** A finding in a rule: said to be unread when it lies in a condition or exceptions its own file replaces. */
  const reportInRule: ReportSink['report'] = (code, span, message, data, options) => {
    const item = ruleAt(span, options);
    if (code === Code.ExceptionArity || code === Code.ExceptionInvalid) {
      // The shape of a value Falco finds only when it pastes the values into the condition (build_rule_exception_infos:
      // "Fields and values lists must have equal length", "Expected values array to contain a list of strings"); the
      // reader's and the collector's checks (empty strings, comps) are made when the item is read.
      const compiled = item !== undefined && inExceptionValue(item, span)
        && (code === Code.ExceptionArity || message.startsWith('With a single field'));
      if (!compiled) return reporter.report(code, span, message, data, options);
    } else if (options?.load === 'LOAD_ERR_VALIDATE' && code !== Code.UndefinedMacro) {
      // The collector's own checks of exception fields (validate_exception_info) run when the item is read.
      return reporter.report(code, span, message, data, options);
    }
    const part = item && (['condition', 'exceptions'] as const).find((key) => inEntry(entryOf(item, key), span));
    const replacedBy = part && rulePartReplacedInItsFile(file, item, part, load);
    if (!replacedBy) return reporter.report(code, span, message, data, options);
    const by = replacedBy.mode === 'redefine' ? 'the definition' : 'the override';
    // A skip there skips nothing: Falco never meets the field (as an output a later item replaces, inReplacedOutput).
    const skip = options?.load === 'LOAD_UNKNOWN_FILTER';
    const unskipped = message.replace(/ The rule is skipped because of skip-if-unknown-filter\.$/, '');
    const what = unskipped.replace(/:? Falco rejects the condition\.$/, '');
    const text = `${what}${what !== unskipped ? '.' : ''} Falco never compiles this text: ${by} of rule '${item!.name}' ${placeOf(replacedBy, file)} replaces the rule's ${part} before Falco compiles the file.`;
    const kind = COMPILED_WITH_A_RULE.get(code) ?? PARSED_WITH_THE_MACRO.get(code) ?? 'error';
    const severity = kind === 'error' && !skip ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
    reporter.report(code, span, text, data, { ...options, severity, load: null });
  };
  /**
   * The event-code findings of a rule definition are judged on the rule's condition as its file leaves it
   * (conditionChecks eventTypeVerdict), and said on each definition: a definition its file defines again is never
   * compiled, and the later definition says the same, so the earlier one says nothing.
   */
  const reportEventCodes: ReportSink['report'] = (code, span, message, data, options) => {
    const item = ruleAt(span, options);
    const inCondition = item !== undefined && inEntry(entryOf(item, 'condition'), span);
    if (inCondition && rulePartReplacedInItsFile(file, item!, 'condition', load)?.mode === 'redefine') return;
    reporter.report(code, span, message, data, options);
  };
  /**
   * A finding of the output check in an output a later item of its own file replaces (a redefinition, or 'override:
   * output: replace'): Falco checks only the output the collector holds after the file (compile_rule_infos,
   * is_format_valid), so it says nothing of this text, and an unknown field there skips nothing.
   */
  const inReplacedOutput: ReportSink['report'] = (code, span, message, data, options) => {
    const item = ruleAt(span, options);
    const replacedBy = item && inEntry(entryOf(item, 'output'), span) ? rulePartReplacedInItsFile(file, item, 'output', load) : undefined;
    if (!replacedBy) return false;
    const by = replacedBy.mode === 'redefine' ? 'the definition' : 'the override';
    const error = (options?.severity ?? CODE_INFO[code].severity) === DiagnosticSeverity.Error && options?.load !== 'LOAD_UNKNOWN_FILTER';
    const base = message.replace(/ The rule is skipped because of skip-if-unknown-filter\.$/, '');
    const text = `${base} Falco never checks this text: ${by} of rule '${item!.name}' ${placeOf(replacedBy, file)} replaces the rule's output before Falco compiles the file.`;
    reporter.report(code, span, text, data, { ...options, severity: error ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information, load: null });
    return true;
  };
  return {
    report(code, span, message, data, options) {
      if (OUTPUT_CHECKS.has(code) && inReplacedOutput(code, span, message, data, options)) return;
      const kind = COMPILED_WITH_A_RULE.get(code);
      // Missing comps of replaced exceptions are found when Falco compiles the rule (validate.ts validateReplacedExceptionComps).
      if (code === Code.ExceptionArity || code === Code.ExceptionInvalid || (code === Code.ExceptionComps && options?.load !== undefined && options.load !== 'LOAD_ERR_VALIDATE')) return reportInRule(code, span, message, data, options);
      if (code === Code.EvtTypeNotIndexable || code === Code.NoEventType) return reportEventCodes(code, span, message, data, options);
      if (kind === undefined && !PARSED_WITH_THE_MACRO.has(code)) return reporter.report(code, span, message, data, options);
      // A finding made for an item through its alias is that item's, wherever the anchored text is.
      const via = options?.via?.item;
      macros ??= file.model.items.filter((item) => item.kind === 'macro' && item.name !== undefined);
      const item = via ? (via.kind === 'macro' && via.name !== undefined ? via : undefined) : macros.find((m) => m.span.start <= span.start && span.start < m.span.end);
      if (item === undefined) return reportInRule(code, span, message, data, options);
      if (kind === undefined) {
        const replacedBy = replacedInItsFile(file, item, load);
        if (!replacedBy) return reporter.report(code, span, message, data, options);
        const text = `${message} Falco never reads this text: the definition of macro '${item.name}' ${placeOf(replacedBy, file)} replaces it before Falco compiles the file.`;
        const severity = PARSED_WITH_THE_MACRO.get(code) === 'hint' ? DiagnosticSeverity.Information : DiagnosticSeverity.Warning;
        return reporter.report(code, span, text, data, { ...options, severity, load: null });
      }
      const reach = macroTextReach(file, item, load);
      if (reach.compiled) compiled?.push({ item, code, span, message, options });
      if (reach.compiled && options?.unknownFilter) return reportByUsingRules(file, item, load, reporter, code, span, message, data, options);
      if (reach.compiled) return reporter.report(code, span, message, data, options);
      const load_ = options?.load === null ? undefined : options?.load ?? CODE_INFO[code].load;
      const named = load_ ? ` (${load_})` : '';
      const macro = item.name!;
      const unused = reach.replacedBy
        ? `this text of macro '${macro}' (no rule does before the definition ${placeOf(reach.replacedBy, file)} replaces it)`
        : reach.skippedSourcesOnly
          ? `macro '${macro}' (only rules of sources not known here do, and Falco skips a rule whose source no loaded plugin provides)`
          : `macro '${macro}' (no rule of the loaded files does)`;
      if (kind === 'read') {
        reporter.report(code, span, `${message} Falco reads this value only when a rule uses ${unused}.`, data, { ...options, severity: DiagnosticSeverity.Information, load: null });
        return;
      }
      if (kind === 'warning') {
        reporter.report(code, span, `${message} Falco gives this warning${named} only when a rule uses ${unused}.`, data, { ...options, severity: DiagnosticSeverity.Information, load: null });
        return;
      }
      // The value checks end their messages with why Falco fails (compileWarnings.ts); it comes with the rule then.
      const what = message.replace(/:? Falco rejects the condition\.$/, '');
      const text = what !== message
        ? `${what}: not checked by Falco until a rule uses ${unused}; Falco will reject the condition then${named}.`
        : `${message} Not checked by Falco until a rule uses ${unused}; Falco will reject the condition then${named}.`;
      reporter.report(code, span, text, data, { ...options, severity: DiagnosticSeverity.Warning, load: null });
    },
  };
}

/**
 * Whether Falco compiles the condition text of macro item `item` with a rule. Falco compiles after each file with the
 * definitions read so far (falco_engine.cpp load_rules), every rule whose source is known (compile_rule_infos), with
 * the macros' conditions as they are then; a redefinition (or 'override: condition: replace') replaces the macro's
 * earlier text with its appends (rule_loader_collector.cpp define_info copies the new info over the old). So the
 * item's text is compiled after file k when it still makes up the macro's condition then and a rule read by then
 * reaches the macro; once replaced it never comes back. Not compiled: `replacedBy` is the definition that replaced it,
 * if any; `skippedSourcesOnly` says rules of unknown sources alone reached it. An item outside the load order or not
 * loaded as part of its macro (an append without a definition) is judged by its name's reach after all files.
 */
type MacroTextReach = { compiled: true } | { compiled: false; replacedBy?: Contribution; skippedSourcesOnly: boolean };
function macroTextReach(file: LoadedFile, item: ModelItem, load: LoadResult): MacroTextReach {
  const name = item.name!;
  const contributions = load.files[file.order] === file ? load.final.macros.get(name)?.contributions : undefined;
  const own = contributions?.findIndex((c) => c.item === item) ?? -1;
  if (own < 0) {
    if (macrosReachedByRules(load.final, 'compiled').has(name)) return { compiled: true };
    return { compiled: false, skippedSourcesOnly: macrosReachedByRules(load.final, 'any source').has(name) };
  }
  let skippedSourcesOnly = false;
  for (let k = file.order; k < load.after.length; k++) {
    const defs = load.after[k];
    const macro = defs.macros.get(name);
    if (!macro || !conditionContributions(macro).some((c) => c.item === item)) {
      return { compiled: false, replacedBy: contributions!.slice(own + 1).find(replacesCondition), skippedSourcesOnly };
    }
    if (macrosReachedByRules(defs, 'compiled').has(name)) return { compiled: true };
    skippedSourcesOnly ||= macrosReachedByRules(defs, 'any source').has(name);
  }
  return { compiled: false, skippedSourcesOnly };
}

/**
 * A finding in macro text that rules compile, of a failure Falco's compiler words as an unknown field or event type
 * (ReportOptions.unknownFilter). Falco pastes a macro's condition into each rule that uses it and compiles the rule's
 * whole condition (resolve_macros, then the filter compiler: rule_loader_compiler.cpp 0.37.0:442-495, 0.44.0:360-407
 * and 524-536), so the rule's skip-if-unknown-filter covers what fails inside its macros: when every rule compiling the
 * text has it, Falco skips them with a warning (LOAD_UNKNOWN_FILTER); one without it fails the load whatever the
 * others say. The rules are those macroTextReach counts: after each file, while the text is the macro's.
 */
function reportByUsingRules(file: LoadedFile, item: ModelItem, load: LoadResult, reporter: ReportSink, ...[code, span, message, data, options]: Parameters<ReportSink['report']>): void {
  const { failing, skipping } = rulesCompilingMacroText(file, item, load);
  const uses = `macro '${item.name}'`;
  if (failing === undefined && skipping.length > 0) {
    const text = `${message} Falco skips ${ruleNames(skipping)}, which use${skipping.length === 1 ? 's' : ''} ${uses}, because of skip-if-unknown-filter.`;
    return reporter.report(code, span, text, data, { ...options, severity: DiagnosticSeverity.Warning, load: 'LOAD_UNKNOWN_FILTER' });
  }
  const note = failing !== undefined && skipping.length > 0
    ? ` R${ruleNames(skipping).slice(1)} ${skipping.length === 1 ? 'has' : 'have'} skip-if-unknown-filter, but rule '${failing}', which uses ${uses} too, does not: Falco fails to load.` : '';
  reporter.report(code, span, `${message}${note}`, data, options);
}

/** `rule 'a'`, `rules 'a' and 'b'`, `rules 'a', 'b', 'c' and 2 more`. */
function ruleNames(names: readonly string[]): string {
  const quoted = names.slice(0, 3).map((n) => `'${n}'`);
  if (names.length > 3) quoted.push(`${names.length - 3} more`);
  return names.length === 1 ? `rule ${quoted[0]}` : `rules ${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * The rules Falco compiles macro item `item`'s text with (macroTextReach's walk over the files from the item's on):
 * the first one without skip-if-unknown-filter, and the names of those with it met up to there.
 */
function rulesCompilingMacroText(file: LoadedFile, item: ModelItem, load: LoadResult): { failing?: string; skipping: string[] } {
  const name = item.name!;
  const own = load.files[file.order] === file && (load.final.macros.get(name)?.contributions.some((c) => c.item === item) ?? false);
  const skipping = new Set<string>();
  for (const defs of own ? load.after.slice(file.order) : [load.final]) {
    const macro = defs.macros.get(name);
    if (own && (!macro || !conditionContributions(macro).some((c) => c.item === item))) break;
    const rules = compiledRulesReaching(defs, name);
    for (const rule of rules) if (rule.skipIfUnknownFilter) skipping.add(rule.name);
    const failing = rules.find((rule) => !rule.skipIfUnknownFilter);
    if (failing) return { failing: failing.name, skipping: [...skipping] };
  }
  return { skipping: [...skipping] };
}

/**
 * The rules Falco compiles (macrosReachedByRules' 'compiled') whose conditions reach `macro`, in the definitions'
 * order, once per definitions and macro: the rules naming `macro` or a macro that reaches it (found backwards from
 * `macro` through the macros naming each macro), rather than a walk from every rule.
 */
const rulesReachingMemo = new WeakMap<Definitions, { namedBy?: Map<string, string[]>; byMacro: Map<string, RuleDef[]> }>();
function compiledRulesReaching(defs: Definitions, macro: string): readonly RuleDef[] {
  let memo = rulesReachingMemo.get(defs);
  if (!memo) rulesReachingMemo.set(defs, memo = { byMacro: new Map() });
  const known = memo.byMacro.get(macro);
  if (known) return known;
  const rules: RuleDef[] = [];
  memo.byMacro.set(macro, rules);
  if (!defs.macros.has(macro)) return rules;
  const namedBy = memo.namedBy ??= macrosNamingEachMacro(defs);
  const reaching = new Set([macro]);
  const pending = [macro];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const user of namedBy.get(name) ?? []) if (!reaching.has(user)) { reaching.add(user); pending.push(user); }
  }
  for (const rule of defs.rules.values()) {
    if (rule.condition === undefined || !KNOWN_SOURCES.includes(rule.source)) continue;
    if (macroNamesOf(rule.condition).some((name) => reaching.has(name))) rules.push(rule);
  }
  return rules;
}

/** For each defined macro, the defined macros whose conditions name it. */
function macrosNamingEachMacro(defs: Definitions): Map<string, string[]> {
  const namedBy = new Map<string, string[]>();
  for (const [name, macro] of defs.macros) {
    for (const used of macroNamesOf(macro.condition)) {
      if (!defs.macros.has(used)) continue;
      const users = namedBy.get(used);
      if (users) users.push(name);
      else namedBy.set(used, [name]);
    }
  }
  return namedBy;
}

/** The definition of the same file that replaces macro item `item`'s text before Falco compiles the file, if any. */
function replacedInItsFile(file: LoadedFile, item: ModelItem, load: LoadResult): Contribution | undefined {
  if (load.files[file.order] !== file) return undefined;
  const macro = load.after[file.order].macros.get(item.name!);
  const own = macro?.contributions.findIndex((c) => c.item === item) ?? -1;
  if (own < 0 || conditionContributions(macro!).some((c) => c.item === item)) return undefined;
  return macro!.contributions.slice(own + 1).find(replacesCondition);
}

/** Whether `span` lies in one of the values of an exception of rule item `item` (an element of its `values`). */
function inExceptionValue(item: ModelItem, span: Span): boolean {
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return false;
  return exceptions.items.some((ex) => {
    const values = ex.kind === 'map' ? ex.entries.find((e) => e.key === 'values')?.value : undefined;
    return values?.kind === 'seq' && values.items.some((v) => v.span.start <= span.start && span.start < v.span.end);
  });
}

/**
 * The item of the same file that replaces the condition or the exceptions rule item `item` brings, before Falco
 * compiles the file, if any. Falco's reader keeps a rule's condition and exceptions as written, a redefinition copies
 * the new rule over the old and 'override: <key>: replace' sets the key anew (rule_loader_collector.cpp 0.44.0 define,
 * define_info, selective_replace), and compile_rule_infos (rule_loader_compiler.cpp) parses the condition and pastes
 * the exceptions into it (build_rule_exception_infos) only after the whole file is read: the replaced text is never
 * parsed nor compiled. The same holds for the output, which compile_rule_infos checks (is_format_valid) from the rule
 * as the collector holds it. Text a later file replaces was compiled with its own file.
 */
function rulePartReplacedInItsFile(file: LoadedFile, item: ModelItem, part: 'condition' | 'exceptions' | 'output', load: LoadResult): Contribution | undefined {
  if (load.files[file.order] !== file) return undefined;
  const contributions = load.after[file.order].rules.get(item.name!)?.contributions;
  const own = contributions?.findIndex((c) => c.item === item) ?? -1;
  if (own < 0) return undefined;
  return contributions!.slice(own + 1).find((c) => c.file === file
    && (c.mode === 'redefine' || (c.mode === 'override' && overridesOf(c.item).get(part)?.op === 'replace')));
}

/** Where a contribution is, for a message about `file`: `at line 9` or `at line 9 of other.yaml`. */
/** The line of an item of a file loaded twice, named once for both loads ("line 3, in each load of this file"). */
function loadsText(c: Contribution, file: LoadedFile): string {
  const mine = (c.file.sameAs ?? c.file.uri) === (file.sameAs ?? file.uri);
  return `${lineText(mine ? file : c.file, c.item.span.start, file)}, in each ${mine ? 'load of this file' : 'of its loads'}`;
}

function placeOf(c: Contribution, file: LoadedFile): string {
  return `at ${lineText(c.file, c.item.span.start, file)}`;
}

/**
 * The macros the rules' conditions reach, directly or through other macros, by definitions. 'compiled' counts only the
 * rules Falco compiles: a rule whose source no loaded plugin provides is collected with unknown_source and skipped by
 * compile_rule_infos (rule_loader_collector.cpp define and rule_loader_compiler.cpp at 0.44.0), and its source is
 * judged as the unknown-source diagnostic judges it (KNOWN_SOURCES). Disabled rules are compiled too. 'any source'
 * counts every rule, to say why a macro is unreached.
 */
const reachedMemo = new WeakMap<Definitions, Map<'compiled' | 'any source', Set<string>>>();
function macrosReachedByRules(defs: Definitions, rules: 'compiled' | 'any source'): Set<string> {
  let byRules = reachedMemo.get(defs);
  if (!byRules) reachedMemo.set(defs, byRules = new Map());
  let reached = byRules.get(rules);
  if (reached) return reached;
  const conditions: string[] = [];
  for (const rule of defs.rules.values()) {
    if (rule.condition !== undefined && (rules === 'any source' || KNOWN_SOURCES.includes(rule.source))) conditions.push(rule.condition);
  }
  reached = macrosReachedFrom(defs, conditions);
  byRules.set(rules, reached);
  return reached;
}

/** The macros the conditions reach, directly or through other macros, by definitions. */
function macrosReachedFrom(defs: Definitions, conditions: readonly string[]): Set<string> {
  const reached = new Set<string>();
  const pending: string[] = [];
  // Names only, kept with each condition's parse: the walk runs for every set of definitions of a load (each edit).
  const visit = (condition: string) => {
    for (const name of macroNamesOf(condition)) {
      if (reached.has(name) || !defs.macros.has(name)) continue;
      reached.add(name);
      pending.push(name);
    }
  };
  for (const condition of conditions) visit(condition);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) visit(defs.macros.get(name)!.condition);
  return reached;
}

/**
 * The uses Falco counts when it warns about the unused macros and lists of `file`. Falco compiles everything read so
 * far after each file and prints that file's warnings (falco_engine.cpp load_rules, load_rules_files.cpp,
 * rule_loader_compiler.cpp compile: LOAD_UNUSED_MACRO / LOAD_UNUSED_LIST for every macro and list not used yet), so
 * `falco -r a.yaml -r b.yaml` warns, while loading a.yaml, about a macro of a.yaml that only b.yaml uses; it warns
 * again with b.yaml (pointing into a.yaml) about what is still unused then. For a file that later files follow, the
 * uses in it and the files before it are added beside the uses across every file: only for the names it defines.
 */
function usageUpTo(file: LoadedFile, load: LoadResult, usage: UsageIndex): UsageIndex {
  const files = load.files;
  if (file.order >= files.length - 1 || files[file.order] !== file) return usage;
  // Uses up to this file are the uses in every file less those of the later files, asked only for the names this
  // file defines that some file uses.
  const later = laterRefs(files, file.order);
  const inConditionUpTo = (name: string): boolean => (usage.listCandidates.get(name) ?? 0) > (later.listCandidates.get(name) ?? 0);
  let throughLists: Set<string> | undefined;
  const usedUpToFile = (kind: 'macro' | 'list', name: string): boolean => {
    if (kind === 'macro') {
      // Most macros the later files do not use: all their uses are up to this file.
      const inLater = later.macros.get(name);
      return inLater === undefined || (usage.macroUses.get(name) ?? 0) > inLater;
    }
    if (inConditionUpTo(name)) return true;
    // A list is also used through other lists (addListUsesOfLists), counted over the lists loaded up to this file.
    throughLists ??= listsUsedThroughLists(load.after[file.order].lists, inConditionUpTo);
    return throughLists.has(name);
  };
  return { macroUses: usage.macroUses, listUses: usage.listUses, listCandidates: usage.listCandidates, usedUpToFile };
}

/**
 * The lists used through other lists (addListUsesOfLists) when the lists `inCondition` says are used in conditions.
 * That depends on the lists' items and order, and on which of the lists that name lists are used in conditions:
 * remembered for the last few sets of lists seen, by the texts and places of their items (the same strings while an
 * edit leaves them alone), so that editing a rule of an earlier file does not count them again. Each file that later
 * files follow asks with the lists loaded up to it: with one memo, the files validated after an edit took turns
 * replacing each other's, and every validation counted again.
 */
interface ThroughListsMemo { items: unknown[]; naming: string[]; namingUsed: boolean[]; used: Set<string> }
const throughListsMemos: ThroughListsMemo[] = [];
const THROUGH_LISTS_MEMOS = 8;
function listsUsedThroughLists(lists: ReadonlyMap<string, ListDef>, inCondition: (name: string) => boolean): Set<string> {
  const items: unknown[] = [];
  // forEach and plain loops: no iterator result per list and contribution (every validation comes here).
  let unkeyed = false;
  lists.forEach((list) => {
    if (unkeyed) return;
    const contributions = list.contributions;
    for (let i = 0; i < contributions.length; i++) {
      const c = contributions[i];
      const chunk = c.file.model.chunks?.[c.item.index];
      if (chunk === undefined) { unkeyed = true; return; }
      items.push(chunkKey(chunk), loadPosition(c));
    }
  });
  if (unkeyed) items.length = 0;
  if (items.length > 0) {
    for (const memo of throughListsMemos) {
      if (memo.items.length === items.length && memo.items.every((x, i) => x === items[i])
        && memo.naming.every((name, i) => inCondition(name) === memo.namingUsed[i])) return memo.used;
    }
  }
  const uses = new Map<string, number>();
  const naming: string[] = [];
  lists.forEach((list, name) => {
    if (inCondition(name)) uses.set(name, 1);
    if (list.items.some((item) => lists.has(item))) naming.push(name);
  });
  addListUsesOfLists(uses, lists);
  // Each use through a list added one to the count.
  const used = new Set<string>();
  uses.forEach((n, name) => { if (n > (inCondition(name) ? 1 : 0)) used.add(name); });
  throughListsMemos.unshift({ items, naming, namingUsed: naming.map(inCondition), used });
  if (throughListsMemos.length > THROUGH_LISTS_MEMOS) throughListsMemos.pop();
  return used;
}

/**
 * The references of the files after `order`, summed. Remembered by the first later file's model (with the models of
 * the others): they do not change while an earlier file is edited.
 */
type SummedRefs = { macros: Map<string, number>; listCandidates: Map<string, number> };
const laterRefsMemo = new WeakMap<RulesFileModel, { models: RulesFileModel[]; refs: SummedRefs }>();
function laterRefs(files: readonly LoadedFile[], order: number): SummedRefs {
  const models: RulesFileModel[] = [];
  for (let k = order + 1; k < files.length; k++) models.push(files[k].model);
  const memo = laterRefsMemo.get(models[0]);
  if (memo && memo.models.length === models.length && memo.models.every((m, i) => m === models[i])) return memo.refs;
  const refs: SummedRefs = { macros: new Map(), listCandidates: new Map() };
  for (let i = 0; i < models.length; i++) {
    const own = refsOf(models[i]);
    // forEach: no entry pair per name.
    own.macros.forEach((n, name) => refs.macros.set(name, (refs.macros.get(name) ?? 0) + n));
    own.listCandidates.forEach((n, name) => refs.listCandidates.set(name, (refs.listCandidates.get(name) ?? 0) + n));
  }
  laterRefsMemo.set(models[0], { models, refs });
  return refs;
}

/**
 * Falco resolves the macros a macro uses among the macros whose index (first definition; a redefinition keeps it) is
 * below the macro's visibility (its last definition or append) (rule_loader_compiler.cpp, compile_macros_infos,
 * resolve_macros; rule_loader_collector.cpp define_info, append_info). A macro used before that fails the load with
 * "Undefined macro"; a macro met again on its own resolution path fails it with "reference loop in macro"
 * (filter_macro_resolver.cpp). Rules see every macro. Falco compiles after reading each file, with what the files read
 * so far define (falco_engine.cpp load_rules), and stops at the first file that fails: a file is checked against the
 * definitions loaded up to it, so a later file's append or redefinition cannot repair it. Only the items that make up
 * a macro's condition at that point count (a redefinition in the same file replaces the earlier text). A macro no file
 * up to this one defines is reported as undefined by the condition checks. This reads other items, so it runs on
 * every validation; it costs a lookup per macro use, plus a walk for the macros that have an append or a redefinition.
 */
function validateMacroOrder(file: LoadedFile, load: LoadResult, reporter: ReportSink): void {
  const macros = (load.after[file.order] ?? load.final).macros;
  const items = file.model.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind !== 'macro' || item.name === undefined) continue;
    const names = itemRefsAt(file.model, i).macros;
    if (names.length === 0) continue;
    const macro = macros.get(item.name);
    if (!macro || !conditionContributions(macro).some((c) => c.item === item)) continue;
    const visibility = loadPosition(macro.contributions[macro.contributions.length - 1]);
    for (const name of names) {
      const used = macros.get(name);
      if (!used || loadPosition(used.contributions[0]) < visibility) continue;
      reportLateMacro(file, item, name, used.contributions[0], reporter);
    }
  }
  // Loops need a macro that sees itself or a macro defined after it: one with an append or a redefinition. Falco
  // compiles every macro after each file, so a loop appears with a file only through a macro condition the file
  // writes; but the macro whose resolution meets it may be an earlier file's (its append reaches a macro this file
  // redefines): every such macro is walked, in Falco's order, and a loop is reported at its first use in this file.
  if (!items.some((item) => item.kind === 'macro')) return;
  const reported = new Set<number>();
  for (const macro of macros.values()) {
    if (macro.contributions.length > 1) reportMacroLoop(file, macro, macros, reporter, reported);
  }
}

/** The contributions whose conditions make up the macro's condition: the last (re)definition and the appends after it. */
function conditionContributions(macro: MacroDef): readonly Contribution[] {
  const all = macro.contributions;
  let start = 0;
  for (let k = 1; k < all.length; k++) if (replacesCondition(all[k])) start = k;
  return start === 0 ? all : all.slice(start);
}

/** A redefinition, or an override that replaces the condition: the macro's earlier text is gone after it. */
function replacesCondition(c: Contribution): boolean {
  return c.mode === 'redefine' || (c.mode === 'override' && overridesOf(c.item).get('condition')?.op === 'replace');
}

/** Macros met at most on one resolution walk: Falco's walk has no limit, a bad file must not hang the server. */
const LOOP_WALK_LIMIT = 20000;

/** One step of a macro resolution walk: the use of macro `name` written in the condition of contribution `c`. */
interface MacroStep { c: Contribution; name: string }

/**
 * Reports Falco's "reference loop in macro" (filter_macro_resolver.cpp, visit of an identifier met again on the
 * resolution path; resolve_macros in rule_loader_compiler.cpp throws it as LOAD_ERR_VALIDATE) for `macro`, on the first
 * use written in `file` along the path that leads into the loop (only the first error fails the load; a loop with no
 * use in this file belongs to an earlier file, reported there). The macros whose index is below the macro's own are
 * resolved already when Falco comes to it (their conditions have no macros left); the others it sees are walked as
 * written.
 */
function reportMacroLoop(file: LoadedFile, macro: MacroDef, macros: ReadonlyMap<string, MacroDef>, reporter: ReportSink, reported: Set<number>): void {
  const index = loadPosition(macro.contributions[0]);
  const visibility = loadPosition(macro.contributions[macro.contributions.length - 1]);
  if (index >= visibility) return;
  let budget = LOOP_WALK_LIMIT;
  const path: string[] = [];
  const steps: MacroStep[] = [];
  // Walks the uses of a macro's condition in order, contribution by contribution (the condition is their texts joined).
  const walkUses = (of: MacroDef): string | undefined => {
    for (const c of conditionContributions(of)) {
      for (const name of itemRefsAt(c.file.model, c.item.index).macros) {
        steps.push({ c, name });
        const found = loopThrough(name);
        if (found !== undefined) return found;
        steps.pop();
      }
    }
    return undefined;
  };
  const loopThrough = (name: string): string | undefined => {
    const m = macros.get(name);
    if (!m || budget-- <= 0) return undefined;
    const position = loadPosition(m.contributions[0]);
    if (position >= visibility || position < index) return undefined;
    if (path.includes(name)) return name;
    path.push(name);
    const found = walkUses(m);
    if (found === undefined) path.pop();
    return found;
  };
  const looped = walkUses(macro);
  if (looped === undefined) return;
  const at = steps.findIndex((s) => s.c.file === file);
  if (at < 0) return;
  const { c, name } = steps[at];
  const span = macroUseSpans(c.item, name)[0];
  if (!span || reported.has(span.start)) return;
  reported.add(span.start);
  const message = at === 0
    ? `Macro '${name}' leads back to a macro on its own resolution path: Falco resolves macro '${macro.name}' among the macros defined before its last definition or append (this one included), and fails to load with "reference loop in macro '${looped}'".`
    : `Macro '${name}' closes a reference loop: Falco resolves macro '${macro.name}' through ${steps.slice(0, at).map((s) => `'${s.name}'`).join(', ')} to this use, and fails to load with "reference loop in macro '${looped}'".`;
  reporter.enter?.(c.item);
  reporter.report(Code.MacroReferenceLoop, span, message);
}

/** The spans, in the document, of the uses of macro `name` in the macro item's own condition (parsed again: rare). */
function macroUseSpans(item: ModelItem, name: string): Span[] {
  return macroUsesOf(item).filter((use) => use.name === name).map((use) => use.span);
}

/** The uses of macros in an item's own condition, in the text's order, with their spans in the document. */
function macroUsesOf(item: ModelItem): { name: string; span: Span }[] {
  const node = entryOf(item, 'condition')?.value;
  if (node?.kind !== 'scalar' || typeof node.value !== 'string') return [];
  // An appended condition (`or ...`) is parsed behind a stand-in word, as the condition checks do.
  const appended = /^\s*(and|or)\b/.test(node.text);
  const prefix = appended ? 'previous_condition ' : '';
  const uses: { name: string; span: Span }[] = [];
  for (const ref of macroRefsOf(parseConditionCached(prefix + node.text).ast)) {
    if (ref.span.start < prefix.length) continue;
    uses.push({ name: ref.name, span: scalarMap(node).span(ref.span.start - prefix.length, ref.span.end - prefix.length) });
  }
  return uses;
}

/** Reports each use of `name` in the macro item's own condition. */
function reportLateMacro(file: LoadedFile, item: ModelItem, name: string, used: Contribution, reporter: ReportSink): void {
  reporter.enter?.(item);
  const where = ` (${lineText(used.file, used.item.span.start, file)})`;
  for (const span of macroUseSpans(item, name)) {
    const message = name === item.name
      ? `Macro '${name}' uses itself: Falco resolves a macro's macros among those defined before it, so loading fails with "Undefined macro".`
      : `Macro '${name}' is defined after macro '${item.name}'${where}: Falco resolves a macro's macros among those defined before it, so loading fails with "Undefined macro". Define '${name}' first.`;
    reporter.report(Code.UndefinedMacro, span, message, { suggestions: [] });
  }
}
