// Diagnostics of a rules file: YAML and structure, keys and value types, override/append semantics, and what the
// load order says about each item (no previous definition, redefinitions). Condition and output checks live in
// conditionChecks.ts; both report through the same Reporter.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { CODE_INFO, Code } from './diagnosticCodes';
import { chunkKey, entryOf, entryValue, hasEntry, readThrough, scalarBoolean, scalarText, type AliasUse, type MapEntry, type ModelItem, type ModelNode, type RulesFileModel, type Span } from './model';
import { closestNames } from './closest';
import {
  APPENDABLE, BOOLEAN_RULE_KEYS, COMP_MODIFIERS, EXCEPTION_COMPS, EXCEPTION_KEYS, KEYS_BY_KIND, LIST_NAME, MACRO_NAME,
  PLUGIN_REQUIREMENT_KEYS, PRIORITIES, PRIORITY_ALIASES, REPLACEABLE, REQUIRED_KEYS, SINGLE_FIELD_COMPS, isValidPriority,
} from './schema';
import { appendReadable, isDefinitionItem, isLegacyAppend, lineText, ruleExceptions, overrideHasEntries, sourceReadable, type Definitions, type LoadResult, type LoadedFile } from './workspace';
import { reportExceptionCompileWarnings } from './compileWarnings';
import { operatorInfo, operatorRejection, splitComp } from './operators';
import { BOOLEAN_SCHEMA_SINCE, lookupField, RULE_KEYS_SINCE, RULE_SOURCE_READ_FIRST_SINCE, MATURITY_MEANING, officialDefinition, officialOrigin } from '../../knowledge';

/**
 * Why a name of Falco's official rules is not found: its file is not among the loaded ones (on a workstation
 * /etc/falco is usually absent). Said after the finding, with the setting that loads it.
 */
export function officialFileHint(kind: 'macro' | 'list' | 'rule', name: string, file: string): string {
  const maturity = officialOrigin(kind, name)?.maturity;
  const what = maturity ? ` (maturity ${maturity}: ${MATURITY_MEANING[maturity]})` : '';
  return `'${name}' is a ${kind} of Falco's ${file}${what}, which is not among the loaded rules files: load it first (the setting 'falcoLens.rules.files', or --rules on the command line; Falco hosts keep it in /etc/falco) or put a copy in the workspace.`;
}

export const MAX_DIAGNOSTICS_PER_FILE = 1000;

/**
 * `unknownFilter`: Falco's compiler words this failure as an unknown field or event type (rule_loader_compiler.cpp
 * err_is_unknown_type_or_field), which a rule's skip-if-unknown-filter turns into a skipped rule; in a macro, the rules
 * using it decide (diagnose.ts). Set by reportUnknownFilter.
 */
export interface ReportOptions { severity?: Diagnostic['severity']; load?: string | null; unknownFilter?: true; via?: AliasVia }

/**
 * A finding made for `item` in text it reads through an alias (`use`): the anchored text, in another item. Set by
 * AliasAttribution; the sinks judge such a finding by `item`, not by the item whose text holds it.
 */
export interface AliasVia { item: ModelItem; use: AliasUse }

/**
 * The items that read the text at `span` of a file with aliases: the rule or macro whose text holds it (no `use`),
 * and every item reading it through an alias whose anchored text holds it, or the text of an alias inside that
 * (model.ts aliasReach). Empty outside anchored text.
 */
export function textReaders(model: RulesFileModel, span: Span): { item: ModelItem; use?: AliasUse }[] {
  // Asked for the same texts by many findings (every reader's, markSharedText): remembered per model and span.
  let known = readersOf.get(model);
  if (!known) readersOf.set(model, known = new Map());
  const key = `${span.start}:${span.end}`;
  const remembered = known.get(key);
  if (remembered) return remembered;
  const readers: { item: ModelItem; use?: AliasUse }[] = [];
  known.set(key, readers);
  const uses = (model.aliases ?? []).filter((u) => readThrough(model, u, span));
  if (uses.length === 0) return readers;
  const holder = itemAt(model, span.start);
  if (holder && (holder.kind === 'rule' || holder.kind === 'macro')) readers.push({ item: holder });
  for (const use of uses) {
    const item = itemAt(model, use.at.start);
    if (item && !readers.some((r) => r.item === item)) readers.push({ item, use });
  }
  return readers;
}
const readersOf = new WeakMap<RulesFileModel, Map<string, { item: ModelItem; use?: AliasUse }[]>>();

/**
 * The first item of the model whose span holds `offset`. Items follow each other in the text, but for an item that
 * is an alias of another (its span is the anchored item's): a binary search where they do, a scan otherwise.
 */
function itemAt(model: RulesFileModel, offset: number): ModelItem | undefined {
  const items = model.items;
  let ordered = itemsInOrder.get(model);
  if (ordered === undefined) {
    ordered = true;
    for (let i = 1; i < items.length && ordered; i++) if (items[i].span.start < items[i - 1].span.end) ordered = false;
    itemsInOrder.set(model, ordered);
  }
  if (!ordered) return items.find((i) => i.span.start <= offset && offset < i.span.end);
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = items[mid].span;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return items[mid];
  }
  return undefined;
}
const itemsInOrder = new WeakMap<RulesFileModel, boolean>();

/** How a finding names an item: `rule 'A'`. */
export function itemLabel(item: ModelItem): string {
  return `${item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list' ? item.kind : 'item'}${item.name !== undefined ? ` '${item.name}'` : ''}`;
}

/** Reports an unknown-field failure: a warning and a skipped rule under skip-if-unknown-filter, else marked unknownFilter. */
export function reportUnknownFilter(sink: ReportSink, skip: boolean, code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
  if (skip) sink.report(code, span, `${message} The rule is skipped because of skip-if-unknown-filter.`, data, { severity: 2, load: 'LOAD_UNKNOWN_FILTER' });
  else sink.report(code, span, message, data, { ...options, unknownFilter: true });
}

/** Where checks report their findings: a file's Reporter, or a Recording replayed into one later. */
export interface ReportSink {
  report(code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void;
  /** The item the findings that follow are made for: only AliasAttribution (a file with aliases) listens. */
  enter?(item: ModelItem): void;
}

/**
 * The sink of a file with aliases (model.aliases): a finding made while checking an item, outside that item's text
 * and inside text the item reads through one of its aliases, is marked `via` that alias. The loops over a file's items
 * call `enter`, and so do the runners of single-item checks (runDirectly, ItemCheckCache.runner) and the findings memo,
 * before they run or replay an item's checks.
 *
 * An anchor and its alias in the same item (`fields: &f [...]` in one exception, `fields: *f` in the next): the
 * finding lies in the item's own text either way, and a span does not say which reading made it (the anchor's, the
 * alias's, or both). The rule: every finding made for the item in text one of its own aliases reads is marked `via`
 * that alias, so it points to the alias whichever reading made it and however often it is said (the Reporter merges
 * repeats into one). The pointer says the item reads the text again there, which is true of all of them; before,
 * only a finding said twice got it, so a finding that only the alias's reading made (`comps: [in]` beside `*f`) had
 * none, and the pointer depended on whether the other reading happened to find the same thing.
 */
export class AliasAttribution implements ReportSink {
  private item: ModelItem | undefined;
  private uses: AliasUse[] = [];
  /** The uses whose anchored text lies in the item itself. */
  private inner: AliasUse[] = [];

  constructor(private readonly model: RulesFileModel, private readonly sink: ReportSink) {}

  /** The alias the item is (`- *r`: the item is the anchored node), if it is one. */
  private self: AliasUse | undefined;

  enter(item: ModelItem): void {
    if (item === this.item) return;
    this.item = item;
    this.uses = (this.model.aliases ?? []).filter((u) => item.span.start <= u.at.start && u.at.end <= item.span.end);
    this.inner = this.uses.filter((u) => item.span.start <= u.target.start && u.target.end <= item.span.end);
    this.self = itemAliases(this.model).get(item);
  }

  report(code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
    const item = this.item;
    if (item && this.uses.length > 0 && !options?.via) {
      const outside = span.start < item.span.start || span.end > item.span.end;
      const within = (u: AliasUse) => readThrough(this.model, u, span);
      const use = outside ? this.uses.find(within) : this.inner.find(within);
      if (use) options = { ...options, via: { item, use } };
    }
    // An item that is an alias (`- *r`): its findings lie in the anchored text, found through that alias.
    if (item && this.self && !options?.via) options = { ...options, via: { item, use: this.self } };
    this.sink.report(code, span, message, data, options);
  }
}

const itemAliasMemo = new WeakMap<RulesFileModel, Map<ModelItem, AliasUse>>();

/**
 * The items of a file that are aliases (`- *r` at the top level: yaml-cpp gives the anchored node itself as the item),
 * each with its alias: the aliases written outside every item, in the text's order, are those items in their order
 * (an item that is an alias lies in an earlier item's text, the anchored node's).
 */
export function itemAliases(model: RulesFileModel): Map<ModelItem, AliasUse> {
  let found = itemAliasMemo.get(model);
  if (found) return found;
  found = new Map();
  itemAliasMemo.set(model, found);
  const uses = model.aliases;
  if (!uses) return found;
  const items = model.items;
  const top = uses.filter((u) => !items.some((i) => i.span.start <= u.at.start && u.at.end <= i.span.end)).sort((a, b) => a.at.start - b.at.start);
  const aliased = items.filter((item, k) => items.some((other, j) => j < k && other.span.start <= item.span.start && item.span.end <= other.span.end));
  if (top.length !== aliased.length) return found;
  aliased.forEach((item, k) => { if (top[k].target.start <= item.span.start && item.span.end <= top[k].target.end + 1) found!.set(item, top[k]); });
  return found;
}

/** A diagnostic in anchored text, with the items that found it through aliases (Reporter.mergeAliased). */
interface AliasedFinding { diagnostic: Diagnostic; message: string; own: boolean; via: AliasVia[] }

export class Reporter implements ReportSink {
  readonly diagnostics: Diagnostic[] = [];
  /**
   * The findings that say Falco skips a rule (LOAD_UNKNOWN_FILTER), with the span each covers and the alias it was
   * made through (diagnose.ts oneSkipPerRule): one entry per report, so a diagnostic merged for several rules reading
   * the same text (mergeAliased) has one entry per rule.
   */
  readonly skips: { diagnostic: Diagnostic; span: Span; via?: AliasVia }[] = [];
  private capped = false;
  /** Once a finding came through an alias: every diagnostic by code, range, severity and message. */
  private aliased: Map<string, AliasedFinding> | undefined;

  constructor(readonly model: RulesFileModel) {}

  /** Not listened to here (see AliasAttribution); a Reporter that passes findings on may pass this on too. */
  enter?(item: ModelItem): void;

  report(code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS_PER_FILE) {
      if (!this.capped) {
        this.capped = true;
        this.diagnostics.push({ range: this.model.lines.range(0, 0), severity: 3, source: 'falco', code: 'too-many-problems', message: `More than ${MAX_DIAGNOSTICS_PER_FILE} problems; the rest are not shown.` });
      }
      return;
    }
    // Block nodes end after their trailing line break; a range ends at the last character that belongs to the node.
    let end = Math.max(span.start, span.end);
    while (end > span.start && /\s/.test(this.model.text[end - 1])) end--;
    span = { start: span.start, end };
    const info = CODE_INFO[code];
    const load = options?.load === null ? undefined : options?.load ?? info.load;
    const diagnostic: Diagnostic = {
      range: this.model.lines.range(span.start, Math.max(span.start, span.end)),
      severity: options?.severity ?? info.severity,
      code,
      source: 'falco',
      message: load ? `${message} (${load})` : message,
    };
    if (data) diagnostic.data = data;
    const said = options?.via || this.aliased ? this.mergeAliased(diagnostic, options?.via) : diagnostic;
    if (said === diagnostic) this.diagnostics.push(diagnostic);
    if (load === 'LOAD_UNKNOWN_FILTER') this.skips.push({ diagnostic: said, span, ...(options?.via ? { via: options.via } : {}) });
  }

  /**
   * Says diagnostic `d` otherwise once every finding is in: `restate` gets its message without what mergeAliased
   * added (the items that found it through aliases), which is added again after the new message.
   */
  restate(d: Diagnostic, severity: Diagnostic['severity'], restate: (message: string) => string): void {
    const found = this.aliased && [...this.aliased.values()].find((f) => f.diagnostic === d);
    d.severity = severity;
    if (!found || found.via.length === 0) {
      if (typeof d.message === 'string') d.message = restate(d.message);
      return;
    }
    found.message = restate(found.message);
    this.describeAliased(found);
  }

  /**
   * Marks the findings whose quick fix must not be a plain edit of anchored text (actions.ts sharedTextFix): a fix of
   * text read through aliases changes every item reading it, which is right for a finding they all share and wrong
   * for one of some of them only (another source, other exceptions, a rule holding the anchor but not the problem).
   * A finding's texts are the anchored text it lies in, else the anchored texts its item holds or reads through its
   * aliases (a rule's no-event-type fix edits its condition). A reader shares the finding when it made one of the
   * same code: at the same range in anchored text, anywhere in its own item otherwise. `data.sharedText` gets the
   * anchors of the texts and the readers that do not share it. Run once every finding is in; files with aliases only.
   */
  markSharedText(): void {
    const uses = this.model.aliases;
    if (!uses) return;
    const lines = this.model.lines;
    const holderAt = (offset: number) => itemAt(this.model, offset);
    const merged = new Map<Diagnostic, AliasedFinding>();
    for (const f of this.aliased?.values() ?? []) merged.set(f.diagnostic, f);
    const spanOf = (d: Diagnostic): Span => ({ start: lines.offsetAt(d.range.start), end: lines.offsetAt(d.range.end) });
    const byCode = new Map<unknown, { d: Diagnostic; span: Span; finders: ModelItem[]; inText: boolean }[]>();
    for (const d of this.diagnostics) {
      const span = spanOf(d);
      const f = merged.get(d);
      const own = !f || f.own ? holderAt(span.start) : undefined;
      const finders = [...(own ? [own] : []), ...(f?.via.map((v) => v.item) ?? [])];
      const inText = uses.some((u) => u.target.start <= span.start && span.end <= u.target.end);
      let found = byCode.get(d.code);
      if (!found) byCode.set(d.code, found = []);
      found.push({ d, span, finders, inText });
    }
    for (const [, found] of byCode) {
      // Who shares a finding of this code: at the same range in anchored text, or anywhere outside anchored text
      // (the same readers for every finding of the code there).
      const atRange = new Map<string, Set<ModelItem>>();
      const outside = new Set<ModelItem>();
      for (const x of found) {
        let into = outside;
        if (x.inText) {
          const key = `${x.span.start}:${x.span.end}`;
          into = atRange.get(key) ?? new Set();
          atRange.set(key, into);
        }
        for (const i of x.finders) into.add(i);
      }
      for (const { d, span, inText } of found) {
        const holder = holderAt(span.start);
        const texts = inText ? [span] : holder ? uses.filter((u) => (holder.span.start <= u.at.start && u.at.end <= holder.span.end)
          || (holder.span.start <= u.target.start && u.target.end <= holder.span.end)).map((u) => u.target) : [];
        if (texts.length === 0) continue;
        const sharing = inText ? atRange.get(`${span.start}:${span.end}`)! : outside;
        const anchors = new Set<string>();
        const others = new Set<string>();
        for (const text of texts) {
          for (const u of uses) if (u.target.start <= text.start && text.end <= u.target.end) anchors.add(u.anchor);
          for (const r of textReaders(this.model, text)) {
            if (!sharing.has(r.item)) others.add(`${itemLabel(r.item)}${r.use ? ` (*${r.use.anchor}, line ${lines.positionAt(r.use.at.start).line + 1})` : ''}`);
          }
        }
        if (others.size > 0) d.data = { ...(d.data as Record<string, unknown> | undefined), sharedText: { anchors: [...anchors], others: [...others] } };
      }
    }
  }

  /**
   * A finding in anchored text is said once, however many items read that text through aliases: one diagnostic per
   * code, range, severity and message, naming the items that found it through an alias ("Also for" when the anchor's
   * own item found it too), each alias a related location. Two rules sharing a wrong condition thus give one
   * diagnostic and one quick fix (which edits the anchored text, never an alias); a finding that differs between them
   * (another source, a macro no rule reaches) stays a diagnostic of its own. Returns the diagnostic that says `d`:
   * an earlier one when `d` was merged into it.
   */
  private mergeAliased(d: Diagnostic, via: AliasVia | undefined): Diagnostic {
    const key = (x: Diagnostic) => `${x.code}\u0000${x.range.start.line}:${x.range.start.character}:${x.range.end.line}:${x.range.end.character}\u0000${x.severity}\u0000${x.message}`;
    const text = (x: Diagnostic) => (typeof x.message === 'string' ? x.message : x.message.value);
    if (!this.aliased) {
      this.aliased = new Map();
      for (const x of this.diagnostics) if (!this.aliased.has(key(x))) this.aliased.set(key(x), { diagnostic: x, message: text(x), own: true, via: [] });
    }
    const k = key(d);
    const earlier = this.aliased.get(k);
    const found: AliasedFinding = earlier ?? { diagnostic: d, message: text(d), own: false, via: [] };
    if (!earlier) this.aliased.set(k, found);
    if (!via) found.own = true;
    else if (!found.via.some((v) => v.item === via.item && v.use.at.start === via.use.at.start)) found.via.push(via);
    if (found.via.length > 0) this.describeAliased(found);
    return found.diagnostic;
  }

  private describeAliased(f: AliasedFinding): void {
    const lines = this.model.lines;
    const who = (v: AliasVia) => itemLabel(v.item);
    const place = (v: AliasVia) => `*${v.use.anchor}, line ${lines.positionAt(v.use.at.start).line + 1}`;
    const and = (xs: string[]) => (xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
    // An alias in the item holding the text (AliasAttribution: a finding said again there) reads it again.
    const self = (v: AliasVia) => v.item.span.start <= v.use.target.start && v.use.target.end <= v.item.span.end;
    const others = f.via.filter((v) => !self(v)).map((v) => `${who(v)} (${place(v)})`);
    const again = f.via.filter(self);
    f.diagnostic.message = [
      f.message,
      others.length > 0 ? `${f.own ? 'Also for' : 'For'} ${and(others)}, which ${others.length === 1 ? 'reads this text through an alias' : 'read this text through aliases'}.` : undefined,
      again.length > 0 ? `${who(again[0]).replace(/^./, (c) => c.toUpperCase())} reads this text again through ${and(again.map((v) => `*${v.use.anchor} (line ${lines.positionAt(v.use.at.start).line + 1})`))}.` : undefined,
    ].filter((x) => x !== undefined).join(' ');
    f.diagnostic.relatedInformation = f.via.map((v) => ({
      location: { uri: this.model.uri, range: lines.range(v.use.at.start, v.use.at.end) },
      message: `${who(v)} reads this text ${self(v) ? 'again ' : ''}here, through *${v.use.anchor}`,
    }));
  }
}

interface Recorded { code: Code; start: number; end: number; message: string; data?: Record<string, unknown>; options?: ReportOptions; read?: number }

/**
 * The findings of checks that read one item only, with offsets relative to the item's chunk: replayed for the same
 * chunk text wherever the chunk now sits, they give exactly what running the checks again would.
 */
export class Recording implements ReportSink {
  private readonly entries: Recorded[] = [];

  constructor(private base: number) {}

  /** Records from nothing again, relative to `base` (an empty recording is reused for the next check). */
  restart(base: number): void {
    if (this.entries.length > 0) this.entries.length = 0; // setting the length is a runtime call, even to 0
    this.base = base;
  }

  report(code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
    this.entries.push({ code, start: span.start - this.base, end: span.end - this.base, message, data, options });
  }

  /**
   * Records a finding in the text of another chunk the item reads through an alias: relative to that chunk, the
   * `read`-th of the item's (model.ts Chunk.readsAt), which `replay` is given the places of.
   */
  reportIn(read: number, base: number, code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
    this.entries.push({ code, start: span.start - base, end: span.end - base, message, data, options, read });
  }

  get isEmpty(): boolean { return this.entries.length === 0; }

  /** Replays the findings at `base`; those in chunks the item reads (reportIn) at `reads`, their starts. */
  replay(base: number, into: ReportSink, reads?: readonly number[]): void {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const at = e.read === undefined ? base : reads![e.read];
      into.report(e.code, { start: at + e.start, end: at + e.end }, e.message, e.data, e.options);
    }
  }
}

/** The groups of single-item checks, in the order a file's diagnostics list them. */
export type ItemCheckPart = 'structure' | 'condition-syntax' | 'condition-fields' | 'output-exceptions' | 'target-version';

/**
 * Runs checks that read one item only (plus `context`, a string naming everything else they read): directly into the
 * reporter, or — a caching runner — by replaying what the same checks found for the same item text and context.
 */
export type ItemCheckRunner = (item: ModelItem, part: ItemCheckPart, context: string, check: (sink: ReportSink) => void) => void;

export const runDirectly = (reporter: ReportSink): ItemCheckRunner => (item, _part, _context, check) => {
  reporter.enter?.(item);
  check(reporter);
};

const kindLabel = (kind: string) => (kind === 'rule' ? 'Rule' : kind === 'macro' ? 'Macro' : kind === 'list' ? 'List' : 'Item');

function describe(node: ModelNode | undefined): string {
  if (!node) return 'nothing';
  if (node.kind === 'scalar') return node.value === null ? 'null' : typeof node.value === 'string' ? 'a string' : `a ${typeof node.value}`;
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'map') return 'a mapping';
  // yaml-cpp gives an alias inside its anchor's node that very node (model.ts OtherNode.cycle).
  if (node.cycle) return node.cycle === 'seq' ? 'a list (the list holding this alias, which its alias gives)' : 'a mapping (the mapping holding this alias, which its alias gives)';
  return 'an alias';
}

/**
 * What Falco's reader finds of a rule override only after its collector has found the earlier rule (workspace.ts
 * overrideRefusal): with no earlier rule, a replaced value it cannot decode beside an append is never read (the
 * appended values' are found first, and then the collector is not reached).
 */
const AFTER_COLLECTOR: ReadonlySet<Code> = new Set([Code.MissingOverrideEntry, Code.OverrideWithoutKey, Code.InvalidPriority, Code.InvalidValueType, Code.EmptyValue]);

/** Structural checks of one file plus the loader's findings about its items. */
export function validateStructure(file: LoadedFile, load: LoadResult, reporter: Reporter, run: ItemCheckRunner = runDirectly(reporter)): void {
  const model = file.model;
  for (const e of model.yamlErrors) reporter.report(Code.YamlSyntax, e.span, `YAML: ${e.message}`);
  if (model.notSequence) reporter.report(Code.NotASequence, model.notSequence, 'Rules content is not a YAML sequence of items: each rule, macro or list is an entry starting with "- ".');
  const defs = load.after[file.order] ?? load.final;
  const items = model.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    reporter.enter?.(item);
    const findings = load.findings.get(item);
    // A rule's override that no earlier rule meets: Falco's collector throws 'no previous rule' before the reader
    // checks a replaced key beside an append, or the item's keys against its override (rule_loader_reader.cpp
    // read_item, the same at 0.37.0 and 0.44.0:717-858: collector.append, then the replace block, then "Unexpected
    // key"), so that is its one error. (The reader's earlier refusals note no missing rule: overrideRefusal.)
    const collectorFirst = item.kind === 'rule' && findings?.some((f) => f.code === 'no-previous-definition') === true;
    if (collectorFirst) run(item, 'structure', 'no-previous-rule', (sink) => validateItem(item, { report: (code, ...rest) => { if (!AFTER_COLLECTOR.has(code)) sink.report(code, ...rest); } }));
    else run(item, 'structure', '', (sink) => validateItem(item, sink));
    // Exception values are compiled with the rule's condition: libsinsp's warnings on them depend on the rule's
    // source and on the loaded lists (possibly another file's), so they are not recorded with the item.
    if (item.kind === 'rule') {
      validateExceptionMerge(item, defs, reporter);
      const chunk = model.chunks?.[item.index];
      reportExceptionCompileWarnings(item, ruleSource(item, defs), defs.lists, reporter, chunk && { start: chunk.start, text: chunkKey(chunk) });
    }
    if (!findings) continue;
    for (const finding of findings) {
      const span = item.nameSpan ?? item.kindEntry?.keySpan ?? item.span;
      const label = kindLabel(item.kind);
      if (finding.code === 'no-previous-definition') {
        const how = overrideHasEntries(entryOf(item, 'override')?.value) ? 'overrides' : isLegacyAppend(item) ? 'appends to' : 'sets `enabled` of';
        const official = item.name !== undefined && (item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list') ? officialDefinition(item.kind, item.name) : undefined;
        reporter.report(Code.NoPreviousDefinition, span, `${label} '${item.name}' ${how} a ${item.kind} that no file loaded before defines.${official ? ` ${officialFileHint(item.kind as 'rule' | 'macro' | 'list', item.name!, official)}` : ''}`, { kind: item.kind, name: item.name, ...(official ? { official } : {}) });
      } else if (finding.code === 'redefinition') {
        const first = finding.previous ? ` (first at ${lineText(finding.previous.file, finding.previous.item.span.start, file)})` : '';
        reporter.report(Code.Redefinition, span, `${label} '${item.name}' is defined again in this file${first}; this definition replaces the earlier one. Use \`override:\` to change parts of it.`, { kind: item.kind, name: item.name });
      } else if (finding.code === 'source-mismatch') {
        reporter.report(Code.SourceMismatch, entryOf(item, 'source')?.value?.span ?? span, `Rule '${item.name}' has been re-defined with a different source.`);
      }
    }
  }
}

/** The source of a rule item: its own, or that of the rule it changes (syscall by default). */
function ruleSource(item: ModelItem, defs: Definitions): string {
  return scalarText(entryValue(item, 'source')) ?? (item.name !== undefined ? defs.rules.get(item.name)?.source : undefined) ?? 'syscall';
}

/**
 * Keys written twice in one mapping of an item. yaml-cpp keeps both pairs and a lookup finds the first
 * (node_data::insert_map_pair, node_data::get), which is how Falco's loader reads every key (rule_loader_reader.cpp
 * decode_val): the second is ignored without a word. Reported on the second, whose value no other check reads.
 */
function reportDuplicateKeys(node: ModelNode | undefined, what: string, r: ReportSink): void {
  if (!node) return;
  if (node.kind === 'seq') { for (let i = 0; i < node.items.length; i++) reportDuplicateKeys(node.items[i], what, r); return; }
  if (node.kind !== 'map') return;
  for (let i = 0; i < node.entries.length; i++) {
    const e = node.entries[i];
    let first: MapEntry | undefined;
    for (let j = 0; j < i && !first; j++) if (node.entries[j].key === e.key) first = node.entries[j];
    if (first) r.report(Code.DuplicateKey, e.keySpan, `'${e.key}' is already set above in this ${what}: Falco reads the first one and ignores this one without a word (its YAML reader keeps both and finds a key's first). Keep one.`, { key: e.key });
    else reportDuplicateKeys(e.value, what, r);
  }
}

/** Whether an entry of the item is the first of its key (the one Falco reads). */
const readByFalco = (item: ModelItem, e: MapEntry): boolean => entryOf(item, e.key) === e;

function validateItem(item: ModelItem, r: ReportSink): void {
  reportDuplicateKeys(item.node, item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list' ? item.kind : 'item', r);
  if (item.kind === 'invalid') {
    r.report(Code.ItemNotAMapping, item.span, 'Unexpected element type: each item should be a mapping (`- rule: …`, `- macro: …`, `- list: …`).');
    return;
  }
  if (item.kind === 'unknown') {
    const first = item.entries[0];
    const suggestions = first ? closestNames(first.key, ['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions']) : [];
    r.report(Code.UnknownItem, first?.keySpan ?? item.span, `Unknown top level item${first ? ` '${first.key}'` : ''}; expected rule, macro, list, required_engine_version or required_plugin_versions. It will be ignored.`, { key: first?.key, suggestions });
    return;
  }
  if (item.kind === 'required_engine_version') return validateEngineVersion(item, r);
  if (item.kind === 'required_plugin_versions') return validatePluginVersions(item, r);
  const kind = item.kind;
  const kindEntry = item.kindEntry!;
  const label = kindLabel(kind);

  // The name
  const nameNode = kindEntry.value;
  if (!nameNode || (nameNode.kind === 'scalar' && (nameNode.value === null || nameNode.text === ''))) {
    r.report(Code.EmptyValue, kindEntry.keySpan, `Mapping for key '${kind}' is empty: the ${kind} needs a name.`);
  } else if (nameNode.kind !== 'scalar') {
    r.report(Code.InvalidValueType, nameNode.span, `The ${kind} name must be a string, not ${describe(nameNode)}.`);
  } else if (kind === 'macro' && !MACRO_NAME.test(nameNode.text)) {
    r.report(Code.InvalidName, nameNode.span, `Macro name '${nameNode.text}' is invalid: macro names start with a letter and contain only letters, digits and '_'.`, undefined, { load: 'LOAD_INVALID_MACRO_NAME' });
  } else if (kind === 'list' && !LIST_NAME.test(nameNode.text)) {
    r.report(Code.InvalidName, nameNode.span, `List name '${nameNode.text}' is invalid: list names cannot contain spaces, quotes, parentheses, '=' or ','.`, undefined, { load: 'LOAD_INVALID_LIST_NAME' });
  }

  // Unknown keys
  const allowed = KEYS_BY_KIND[kind];
  // Plain loops here and below: every item of a new text comes through, mostly before V8 optimizes this, and
  // for-of then allocates an iterator result per step.
  const entries = item.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (allowed.includes(e.key) || !readByFalco(item, e)) continue;
    // yaml-cpp, Falco's YAML reader, has no merge keys: `<<: *defaults` is a key named '<<' (yaml-cpp issue #41).
    if (e.key === '<<') {
      r.report(Code.UnknownKey, e.keySpan, `Unknown key '<<' in a ${kind}; it will be ignored. Falco's YAML reader (yaml-cpp) does not merge '<<' keys: the keys under it are not part of the ${kind}; write them in the ${kind} itself.`, { key: e.key, suggestions: [] });
      continue;
    }
    // A key the mapping has already is no suggestion: renamed to it, the key would be written twice (Falco reads the
    // first, and the other is lost).
    const suggestions = closestNames(e.key, allowed.filter((k) => k !== kind && !hasKey(entries, k)));
    r.report(Code.UnknownKey, e.keySpan, `Unknown key '${e.key}' in a ${kind}; it will be ignored.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : presentAlready(e.key, allowed.filter((k) => k !== kind), entries, `The ${kind}`)}`, { key: e.key, suggestions });
  }

  // Value types
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e === kindEntry || !allowed.includes(e.key) || !readByFalco(item, e)) continue;
    validateValueType(kind, e, r, item);
  }

  // Falco's reader reads `append` (every item) and, from 0.40, a rule's `source` before anything else of the item, and
  // stops at them (workspace.ts readBeforeOverride): their type error is the item's one error.
  if (!appendReadable(item) || (kind === 'rule' && !sourceReadable(item))) return;

  // override / append
  const writtenOverride = entryOf(item, 'override');
  // Falco reads an `override:` with nothing to override as no override at all (workspace.ts overrideHasEntries).
  const overrideEntry = writtenOverride && overrideHasEntries(writtenOverride.value) ? writtenOverride : undefined;
  if (writtenOverride && !overrideEntry) reportOverrideWithoutEntries(kind, writtenOverride, r);
  const appendEntry = entryOf(item, 'append');
  const legacyAppend = isLegacyAppend(item);
  if (legacyAppend && overrideEntry) {
    r.report(Code.AppendWithOverride, appendEntry!.keySpan, `'append: true' cannot be combined with 'override'; keep the 'override' form.`);
  } else if (legacyAppend) {
    const keys = (kind === 'rule' ? ['condition', 'exceptions'] : kind === 'macro' ? ['condition'] : ['items']).filter((k) => entryOf(item, k));
    // Name the entries this item appends (a list appends items, not a condition); none written: the key it must have.
    const named = keys.length ? keys : [kind === 'list' ? 'items' : 'condition'];
    r.report(Code.DeprecatedAppend, appendEntry!.keySpan, `'append' is deprecated: write 'override:' with ${named.map((k) => `'${k}: append'`).join(' and ')} instead.`, { keys });
    if (kind === 'rule' && keys.length === 0) r.report(Code.MissingRequiredKey, kindEntry.keySpan, 'An appended rule must have a condition or exceptions.', { keys: ['condition'] });
    // Falco's reader takes only the condition and the exceptions of a rule with `append: true` (rule_loader_reader.cpp
    // 0.37.0:655-677, 0.44.0:859-881): an output, desc, priority or tags there change nothing, and are not checked.
    if (kind === 'rule') {
      for (const key of APPEND_IGNORED_RULE_KEYS) {
        const e = entryOf(item, key);
        if (e) r.report(Code.AppendKeyIgnored, e.keySpan, `Falco ignores '${key}' in a rule with 'append: true': it appends only the condition and the exceptions.${key === 'priority' ? ` To change it, write 'override:' with 'priority: replace'` : ` To append to the ${key === 'output' ? 'output' : key === 'desc' ? 'description' : 'tags'}, write 'override:' with '${key}: append'`} (and no 'append: true').`);
      }
    }
    if (kind !== 'rule' && keys.length === 0) r.report(Code.MissingRequiredKey, kindEntry.keySpan, `An appended ${kind} must have '${kind === 'macro' ? 'condition' : 'items'}'.`, { keys: [kind === 'macro' ? 'condition' : 'items'] });
  }
  if (kind === 'rule' && !(legacyAppend && overrideEntry)) validateAppendedExceptions(item, legacyAppend, r);
  if (overrideEntry) {
    validateOverride(item, kind, overrideEntry, r);
    return;
  }
  if (legacyAppend) return;

  // A standalone `enabled` (a rule with none of condition/output/desc/priority) changes an earlier rule.
  if (kind === 'rule' && !DEFINING_RULE_KEYS.some((k) => entryOf(item, k))) {
    const enabled = entryOf(item, 'enabled');
    if (enabled) {
      r.report(Code.DeprecatedEnabled, enabled.keySpan, `A standalone 'enabled' key is deprecated: also add 'enabled: replace' under 'override'.`);
      return;
    }
  }

  // Required keys of a new definition
  let missing: string[] | undefined;
  const required = REQUIRED_KEYS[kind];
  for (let i = 0; i < required.length; i++) if (!entryOf(item, required[i])) (missing ??= []).push(required[i]);
  if (missing) {
    r.report(Code.MissingRequiredKey, kindEntry.keySpan, `${label} '${item.name ?? ''}' has no ${missing.map((k) => `'${k}'`).join(', ')}: a new ${kind} needs ${REQUIRED_KEYS[kind].map((k) => `'${k}'`).join(', ')}.`, { keys: missing });
  }
  // decode_val (rule_loader_reader.cpp 0.37.0:31-48, 0.44.0:52-81): a null value is "Mapping for key '<key>' is
  // empty" (said of the item), an empty text "Value must be non-empty" (of the value); a text of blanks is read (a
  // condition of blanks then fails to compile). A new rule's `source` is decoded the same way when given
  // (decode_optional_val, 0.37.0:719, 0.44.0:931), after the required keys. A list's `items` is a sequence (decode_items,
  // validateValueType).
  for (const key of kind === 'rule' ? [...required, 'source'] : required) {
    if (key === 'items') continue;
    const e = entryOf(item, key);
    if (!e) continue;
    const v = e.value;
    if (!v || (v.kind === 'scalar' && v.value === null)) r.report(Code.EmptyValue, e.keySpan, `Mapping for key '${key}' is empty: Falco refuses the ${kind}.`, { keys: [key] });
    else if (v.kind === 'scalar' && v.text === '') r.report(Code.EmptyValue, v.span, `The value of '${key}' must be non-empty: Falco refuses the ${kind} ("Value must be non-empty").`, { keys: [key] });
  }
}

/** Keys whose value is a string (or empty). */
const STRING_KEYS = ['condition', 'output', 'desc', 'source'];
/** A rule with none of these keys only changes `enabled` of an earlier rule. */
const DEFINING_RULE_KEYS = ['condition', 'output', 'desc', 'priority'];
/** The rule keys Falco's reader does not read in an item with `append: true` (it reads condition and exceptions). */
const APPEND_IGNORED_RULE_KEYS = ['output', 'desc', 'priority', 'tags'];

function validateValueType(kind: 'rule' | 'macro' | 'list', e: MapEntry, r: ReportSink, item: ModelItem): void {
  const v = e.value;
  const key = e.key;
  const at = v?.span ?? e.keySpan;
  const isString = v?.kind === 'scalar' && v.value !== null && typeof v.value !== 'boolean';
  // An alias naming no anchor before it is a YAML error (model.ts unknownAnchorProblem): Falco loads nothing of the file.
  if (v?.kind === 'other' && v.unknownAnchor !== undefined) return;
  // An alias is read as its anchored node (model.ts convert), aliases inside it too, but not past the budget of nodes
  // read through aliases (an alias bomb): Falco reads the anchored text there, Falco Lens says it did not.
  if (v?.kind === 'other' && (key === 'condition' || key === 'exceptions')) {
    r.report(Code.AliasNotChecked, at, `'${key}' is a YAML alias that Falco Lens did not read (one past the 20,000 nodes it reads through aliases, or one inside the node it names): Falco reads the anchored ${key === 'condition' ? 'text' : 'exceptions'} here, but Falco Lens does not check ${key === 'condition' ? 'it' : 'them'}.`);
    return;
  }
  if (STRING_KEYS.includes(key)) {
    // A rule item that changes an earlier rule has its `source` read (before its override) from Falco 0.40 only
    // (rule_loader_reader.cpp 0.40.0:618-619; 0.39.0 reads it in a new rule only, 834): targetVersion.ts says what an
    // older target does with it.
    const changes = key === 'source' && !isDefinitionItem(item);
    if (v && !isString && !(v.kind === 'scalar' && v.value === null)) r.report(Code.InvalidValueType, at, `'${key}' must be a string, not ${describe(v)}.`, changes ? { readSince: RULE_SOURCE_READ_FIRST_SINCE } : undefined);
    return;
  }
  if (key === 'priority') {
    if (!v || v.kind !== 'scalar' || v.value === null) { if (v && v.kind !== 'scalar') r.report(Code.InvalidValueType, at, `'priority' must be one of ${PRIORITIES.join(', ')}.`); return; }
    // An empty text fails decode_val before parse_priority sees it (reported as an empty value).
    if (v.text !== '' && !isValidPriority(v.text)) {
      const candidates = [...PRIORITIES, ...PRIORITY_ALIASES];
      let suggestions = closestNames(v.text.toUpperCase(), candidates, 3, 3).filter((s) => s !== 'INFO');
      // No close name: the priorities of the same first letter are offered, but as a guess (no preferred fix, which
      // the editor's auto-fix would apply: 'append' is not a misspelt ALERT).
      const guess = suggestions.length === 0;
      if (guess) suggestions = candidates.filter((c) => c.startsWith(v.text.toUpperCase().slice(0, 1)) && c !== 'INFO');
      r.report(Code.InvalidPriority, v.span, `Invalid priority '${v.text}': use one of ${PRIORITIES.join(', ')} (any case).`, guess ? { suggestions, guess } : { suggestions });
    }
    return;
  }
  // A key a later release added (capture, capture_duration: RULE_KEYS_SINCE) is not read before it: its type error
  // is said from that release only (targetVersion.ts drops it before, where checkRuleKeys says the key is ignored).
  const since = RULE_KEYS_SINCE.get(key);
  const readFrom = since !== undefined ? { key, readSince: since } : undefined;
  if (BOOLEAN_RULE_KEYS.includes(key)) {
    const read = scalarBoolean(v);
    if (read === undefined) r.report(Code.InvalidValueType, at, `'${key}' must be true or false, not ${describe(v)}${v?.kind === 'scalar' && v.value !== null ? ` '${v.text}'` : ''}.`, readFrom);
    // yaml-cpp reads `yes`, `On`, `Y`... (convert.cpp IsTrue/IsFalse), but Falco's rules schema (rule_json_schema.h,
    // since 0.39.0: "type": "boolean") is checked by valijson with weak types, which grants a boolean only to the text
    // true or false: Falco loads the value and logs "<file> | schema validation: failed" at WARNING
    // (load_rules_files.cpp:69-74 at 0.44.0).
    // An older target whose schema does not type the key says nothing (targetVersion.ts OlderTargetReporter reads
    // schemaSince); the quick fix writes the boolean Falco reads (actions.ts).
    else if (v?.kind === 'scalar' && v.text !== 'true' && v.text !== 'false') {
      const since = BOOLEAN_SCHEMA_SINCE.get(key) ?? '0.39';
      r.report(Code.InvalidValueType, at, `Falco reads '${key}: ${v.text}' as ${read} (yaml-cpp's booleans include yes/no, on/off, y/n in any of three cases), but from ${since} its rules schema validation accepts only the text true or false here and logs "schema validation: failed" for this file. Write ${read}.`, { suggestions: [String(read)], schemaSince: since }, { severity: DiagnosticSeverity.Warning, load: null });
    }
    return;
  }
  if (key === 'capture_duration') {
    if (!(v?.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 0)) r.report(Code.InvalidValueType, at, `'capture_duration' must be a whole number of milliseconds.`, readFrom);
    return;
  }
  if (key === 'tags') {
    // A new rule's tags with no value is no sequence to decode_tags (rule_loader_reader.cpp 0.37.0:115-126 and 725,
    // 0.44.0:182-189 and 937): Falco refuses the rule. An override's is said with its other overridden values
    // (reportEmptyOverridden); other items do not read tags.
    const none = v?.kind === 'scalar' && v.value === null;
    if (none && kind === 'rule' && !overrideHasEntries(entryValue(item, 'override')) && isDefinitionItem(item)) r.report(Code.InvalidValueType, e.keySpan, `'tags' has no value: Falco refuses the rule ("Value is not a sequence"); write [] for no tags.`);
    if (v?.kind !== 'seq') { if (!none) r.report(Code.InvalidValueType, at, `'tags' must be a list of strings, not ${describe(v)}.`); return; }
    for (let i = 0; i < v.items.length; i++) { const t = v.items[i]; if (t.kind !== 'scalar' || t.value === null) r.report(Code.InvalidValueType, t.span, `Each tag must be a string, not ${describe(t)}.`); }
    return;
  }
  if (key === 'items') {
    // Falco reads `items` of every list item first (decode_items, rule_loader_reader.cpp 0.37.0:440, 0.44.0:566): a
    // null value is no sequence either ("Value is not a sequence"); `items: []` is read as no items.
    if (v?.kind !== 'seq') { r.report(Code.InvalidValueType, at, v?.kind === 'scalar' && v.value === null ? `'items' has no value: Falco refuses the list ("Value is not a sequence"); write [] for a list of no items.` : `'items' must be a list of strings or numbers, not ${describe(v)}.`); return; }
    for (let i = 0; i < v.items.length; i++) { const t = v.items[i]; if (t.kind !== 'scalar' || t.value === null) r.report(Code.InvalidValueType, t.span, `Each list item must be a string or a number, not ${describe(t)}.`); }
    return;
  }
  if (key === 'exceptions' && kind === 'rule') {
    const replaced = replacesExceptions(item);
    validateExceptions(e, r, replaced);
    if (replaced) validateReplacedExceptionComps(e, r);
    return;
  }
  if (key === 'override') {
    // Null and plain scalars are read as no override (reportOverrideWithoutEntries).
    // A sequence's items have no key: decode_overrides (rule_loader_reader.cpp 0.44.0) reads `it->first` of the
    // first one, a node yaml-cpp marks invalid, and its as<std::string>() throws InvalidNode, which the reader's
    // catch of std::exception reports as LOAD_ERR_VALIDATE with yaml-cpp's message (and no position).
    if (v?.kind === 'seq' && overrideHasEntries(v)) r.report(Code.InvalidOverride, at, `'override' must be a mapping of keys to 'append' or 'replace', not a list: Falco fails to read the item with "invalid node; this may result from using a map iterator as a sequence iterator, or vice-versa".`, undefined, { load: 'LOAD_ERR_VALIDATE' });
    else if (v?.kind !== 'map' && overrideHasEntries(v)) r.report(Code.InvalidOverride, at, `'override' must be a mapping of keys to 'append' or 'replace', not ${describe(v)}.`);
  }
}

/** The release from which Falco's reader wants `fields` in each exception an 'override: exceptions: replace' brings
 *  (rule_loader_reader.cpp 0.38.0:653 read_rule_exceptions(..., false); 0.37.0:603 reads them as appended, true). */
export const REPLACED_EXCEPTION_FIELDS_SINCE = '0.38';

/** Whether the rule item's exceptions replace the rule's ('override: exceptions: replace': the collector's selective_replace). */
function replacesExceptions(item: ModelItem): boolean {
  const override = entryOf(item, 'override')?.value;
  return override?.kind === 'map' && override.entries.some((x) => x.key === 'exceptions' && scalarText(x.value) === 'replace');
}

/**
 * Missing comps of exceptions an 'override: exceptions: replace' brings. The collector's selective_replace copies such
 * exceptions without validate_exception_info (rule_loader_collector.cpp 0.44.0), which is where missing comps become
 * 'in' for a single field and '=' for each of a list of fields. build_rule_exception_infos (rule_loader_compiler.cpp)
 * then pastes an exception with values into the rule's condition with no operator for a single field, which the
 * condition parser refuses (LOAD_ERR_COMPILE_CONDITION, "expected a valid check operator"), and reads the comp of each
 * of a list of fields from an empty list: out of bounds, Falco crashes. Without values nothing is pasted.
 */
function validateReplacedExceptionComps(e: MapEntry, r: ReportSink): void {
  for (const fields of fieldsWithoutComps(e.value)) {
    const why = "Falco gives no default comps to exceptions an 'override: exceptions: replace' brings (the collector checks and completes exceptions only when it defines or appends to a rule)";
    if (fields.value?.kind === 'scalar') {
      r.report(Code.ExceptionComps, fields.keySpan, `${why}: Falco pastes this exception into the rule's condition with no operator, and the condition fails to parse ("expected a valid check operator"). Write 'comps: in'.`, undefined, { load: 'LOAD_ERR_COMPILE_CONDITION' });
    } else if (fields.value?.kind === 'seq') {
      r.report(Code.ExceptionComps, fields.keySpan, `${why}: when Falco pastes this exception into the rule's condition it reads one comp per field from an empty list, and crashes. Write 'comps' with one operator per field (e.g. [${fields.value.items.map(() => '=').join(', ')}]).`, undefined, { load: null });
    }
  }
}

/** The `fields` entries (one field, or a list of some) of the exceptions (an item's `exceptions` value) that have values
 *  but no comps: Falco gives them no default comps when an 'override: exceptions: replace' brings them
 *  (validateReplacedExceptionComps). */
export function fieldsWithoutComps(exceptions: ModelNode | undefined): MapEntry[] {
  if (exceptions?.kind !== 'seq') return [];
  const out: MapEntry[] = [];
  for (const ex of exceptions.items) {
    if (ex.kind !== 'map' || ex.entries.some((x) => x.key === 'comps')) continue;
    const fields = ex.entries.find((x) => x.key === 'fields');
    const values = ex.entries.find((x) => x.key === 'values')?.value;
    const named = fields?.value?.kind === 'scalar' || (fields?.value?.kind === 'seq' && fields.value.items.length > 0);
    if (fields && named && values?.kind === 'seq' && values.items.length > 0) out.push(fields);
  }
  return out;
}

/**
 * Where the checks of an exception's comps report. validate_exception_info (rule_loader_collector.cpp 0.44.0) checks
 * comps when the collector defines a rule or appends an exception to it (LOAD_ERR_VALIDATE); selective_replace, which
 * takes the exceptions of an 'override: exceptions: replace', copies them unchecked. Falco then pastes each exception
 * with values into the rule's condition as written (build_rule_exception_infos), where an operator libsinsp does not
 * know, or the wrong kind for the value list, fails to parse (LOAD_ERR_COMPILE_CONDITION); without values nothing is
 * pasted and Falco says nothing (a warning).
 */
function compsSink(r: ReportSink, replaced: boolean, pasted: boolean): ReportSink {
  if (!replaced) return r;
  return {
    report(code, span, message, data, options) {
      if (pasted) r.report(code, span, `${message} ${REPLACED_COMPS_PASTED}`, data, { ...options, load: 'LOAD_ERR_COMPILE_CONDITION' });
      else r.report(code, span, `${message} ${REPLACED_COMPS_UNCHECKED}`, data, { ...options, severity: DiagnosticSeverity.Warning, load: null });
    },
  };
}
const REPLACED_COMPS_PASTED = "Falco does not check the comps of exceptions an 'override: exceptions: replace' brings when it reads them; the condition it pastes this exception into fails to parse.";
const REPLACED_COMPS_UNCHECKED = "Not checked by Falco yet: it does not check the comps of exceptions an 'override: exceptions: replace' brings when it reads them, and pastes an exception into the rule's condition only with values.";

const ENDLESS_LIST = "This alias gives the list holding it, and Falco's reader of an exception's fields, comps and values reads nested lists at any depth (rule_loader_reader.cpp decode_exception_info_entry, 0.37-0.44): it reads this list again without end and Falco crashes (stack overflow) while loading the file.";

/**
 * The first alias reached from an exception's `fields`, `comps` or `values` through lists alone that gives a list
 * holding it through lists alone (OtherNode.loops): Falco's reader recurses into it forever. Each node is walked once
 * (nodes read through aliases are shared).
 */
function endlessListAlias(node: ModelNode | undefined, seen = new Set<ModelNode>()): ModelNode | undefined {
  if (!node || seen.has(node)) return undefined;
  seen.add(node);
  if (node.kind === 'other') return node.loops ? node : undefined;
  if (node.kind !== 'seq') return undefined;
  for (const item of node.items) { const found = endlessListAlias(item, seen); if (found) return found; }
  return undefined;
}

/** Said of an exception's `values` that is no list of values (an alias giving a list that holds it is a list, of the wrong items). */
function valuesNotAList(values: ModelNode): string {
  if (values.kind === 'other' && values.cycle === 'seq') return "An exception's 'values' here is the list holding this alias (yaml-cpp gives an alias inside its anchored node that very node): its items are not the values of the exception's fields, and Falco refuses them.";
  return "An exception's 'values' must be a list.";
}

function validateExceptions(e: MapEntry, r: ReportSink, replaced = false): void {
  const v = e.value;
  if (!v || (v.kind === 'scalar' && v.value === null)) return;
  if (v.kind !== 'seq') { r.report(Code.ExceptionInvalid, v.span, 'Rule exceptions must be a sequence.'); return; }
  const names = new Map<string, Span>();
  for (const ex of v.items) {
    if (ex.kind !== 'map') { r.report(Code.ExceptionInvalid, ex.span, 'Rule exception must be a mapping with name, fields, comps and values.'); continue; }
    const get = (k: string) => ex.entries.find((x) => x.key === k);
    for (const x of ex.entries) {
      if (!(EXCEPTION_KEYS as readonly string[]).includes(x.key)) {
        const suggestions = closestNames(x.key, EXCEPTION_KEYS.filter((k) => !hasKey(ex.entries, k)));
        // Falco reads an exception's keys by name and checks no others (warn_unknown_keys, rule_loader_reader.cpp
        // 0.44.0, sees only an item's own keys): no LOAD_UNKNOWN_KEY here at any release.
        r.report(Code.UnknownKey, x.keySpan, `Unknown key '${x.key}' in an exception: Falco ignores it without a word.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : presentAlready(x.key, EXCEPTION_KEYS, ex.entries, 'The exception')}`, { key: x.key, suggestions }, { load: null });
      }
    }
    const nameEntry = get('name');
    const name = scalarText(nameEntry?.value);
    if (!nameEntry || name === undefined || name === '') {
      r.report(Code.ExceptionInvalid, nameEntry?.keySpan ?? ex.span, 'Rule exception must have a name.');
    } else if (names.has(name)) {
      r.report(Code.ExceptionNameNotUnique, nameEntry.value!.span, `Multiple exceptions are named '${name}'.`);
    } else names.set(name, nameEntry.value!.span);
    const fields = get('fields')?.value;
    const comps = get('comps')?.value;
    const values = get('values')?.value;
    // Falco crashes reading such an exception: nothing else of it is said.
    const loop = endlessListAlias(fields) ?? endlessListAlias(comps) ?? endlessListAlias(values);
    if (loop) { r.report(Code.ExceptionInvalid, loop.span, ENDLESS_LIST, undefined, { load: null }); continue; }
    const pasted = values?.kind === 'seq' && values.items.length > 0;
    const rc = compsSink(r, replaced, pasted);
    // `values:` with nothing after it is a null node, which Falco's reader finds defined and not a sequence.
    if (values?.kind === 'scalar' && values.value === null) r.report(Code.ExceptionInvalid, get('values')!.keySpan, "An exception's 'values' is empty: Falco needs a list of values here (remove the key for none).");
    if (fields && fields.kind !== 'seq' && fields.kind !== 'scalar') r.report(Code.ExceptionInvalid, fields.span, "An exception's 'fields' must be a field name or a list of field names.");
    if (fields?.kind === 'seq') {
      for (const f of fields.items) if (f.kind !== 'scalar' || f.value === null) r.report(Code.ExceptionInvalid, f.span, 'Each exception field must be a field name.');
      if (comps && comps.kind === 'seq') {
        const arity = `Fields and comps lists must have equal length (${fields.items.length} fields, ${comps.items.length} comps).`;
        const missing = { missing: fields.items.length - comps.items.length };
        if (comps.items.length !== fields.items.length && !replaced) r.report(Code.ExceptionArity, comps.span, arity, missing);
        // Unchecked (selective_replace): build_rule_exception_infos reads comps[k] for each field k, past the end of a
        // shorter list (Falco crashes), and never reads the extra comps of a longer one.
        else if (comps.items.length < fields.items.length && pasted) r.report(Code.ExceptionArity, comps.span, `${arity} Falco does not check this for exceptions an 'override: exceptions: replace' brings, and reads one comp per field when it pastes the values into the rule's condition: it crashes.`, missing, { load: null });
        else if (comps.items.length !== fields.items.length) r.report(Code.ExceptionArity, comps.span, `${arity} Falco does not check this for exceptions an 'override: exceptions: replace' brings${comps.items.length > fields.items.length ? ': it uses one comp per field and ignores the rest' : ', and pastes an exception into the rule\'s condition only with values'}.`, missing, { severity: DiagnosticSeverity.Warning, load: null });
        comps.items.forEach((c, i) => validateComp(c, false, rc, scalarText(fields.items[i])));
      } else if (comps && !(replaced && pasted)) {
        r.report(Code.ExceptionInvalid, comps.span, "With a list of fields, 'comps' must be a list with one operator per field.", undefined, replaced ? { severity: DiagnosticSeverity.Warning, load: null } : undefined);
      } else if (comps) {
        // A single comp is no list: the comps Falco reads per field are missing, as when none is given.
        r.report(Code.ExceptionInvalid, comps.span, "With a list of fields, 'comps' must be a list with one operator per field. Falco does not check this for exceptions an 'override: exceptions: replace' brings, and reads one comp per field from an empty list when it pastes the values into the rule's condition: it crashes.", undefined, { load: null });
      }
      if (values?.kind === 'seq') {
        for (const tuple of values.items) {
          if (tuple.kind === 'seq') {
            if (tuple.items.length !== fields.items.length) {
              r.report(Code.ExceptionArity, tuple.span, `This value has ${tuple.items.length} item${tuple.items.length === 1 ? '' : 's'} but the exception has ${fields.items.length} field${fields.items.length === 1 ? '' : 's'}.`);
            }
          } else {
            // A scalar is no list even for one field: Falco's compiler reads it as a value of no items and refuses it
            // (build_rule_exception_infos, rule_loader_compiler.cpp:121 at 0.44.0: "Fields and values lists must have
            // equal length").
            r.report(Code.ExceptionArity, tuple.span, `Each value must be a list with one item per field (${fields.items.length}).`);
          }
        }
      } else if (values && !(values.kind === 'scalar' && values.value === null)) {
        r.report(Code.ExceptionInvalid, values.span, valuesNotAList(values));
      }
    } else if (!fields || (fields.kind === 'scalar' && fields.value === null)) {
      // The reader reads `values` whatever `fields` holds (read_rule_exceptions: "Rule exception values must be a
      // sequence", 0.44.0:379); an appended exception may come without fields.
      if (values && values.kind !== 'seq' && !(values.kind === 'scalar' && values.value === null)) r.report(Code.ExceptionInvalid, values.span, valuesNotAList(values));
    } else if (fields?.kind === 'scalar') {
      if (comps) {
        if (comps.kind === 'scalar') validateComp(comps, true, rc);
        else rc.report(Code.ExceptionComps, comps.span, 'When fields is a single field, comps must be a single operator, not a list: in, pmatch, intersects, or from Falco 0.44 a string operator with a modifier such as `startswith oneof` (Falco: "Fields and comps must both be strings").');
      }
      if (values && values.kind !== 'seq' && !(values.kind === 'scalar' && values.value === null)) r.report(Code.ExceptionInvalid, values.span, valuesNotAList(values));
      // With one field the values together are the list it is compared with: each one is a string (Falco's compiler
      // refuses a list there).
      if (values?.kind === 'seq') for (const v of values.items) {
        if (v.kind === 'seq') r.report(Code.ExceptionInvalid, v.span, `With a single field ('${scalarText(fields) ?? ''}'), each value is one string, not a list: write the values as one flat list.`, undefined, { load: 'LOAD_ERR_VALIDATE' });
      }
    }
  }
}

/** How a rule item's exceptions are read by Falco: as a new list, appended, or not at all. */
function exceptionsMode(item: ModelItem, legacyAppend: boolean): 'new' | 'append' | undefined {
  // Values only (entryValue): asked of every rule item on every validation.
  if (!hasEntry(item, 'exceptions')) return undefined;
  if (legacyAppend) return 'append';
  const override = entryValue(item, 'override');
  if (override && overrideHasEntries(override)) {
    const op = override.kind === 'map' ? scalarText(override.entries.find((e) => e.key === 'exceptions')?.value) : undefined;
    return op === 'append' ? 'append' : op === 'replace' ? 'new' : undefined;
  }
  // A rule with none of condition/output/desc/priority only sets `enabled`: its exceptions are not read.
  return DEFINING_RULE_KEYS.some((k) => hasEntry(item, k)) ? 'new' : undefined;
}

function exceptionName(ex: ModelNode): { name: string; span: Span } | undefined {
  if (ex.kind !== 'map') return undefined;
  const value = ex.entries.find((e) => e.key === 'name')?.value;
  const name = scalarText(value);
  return value && name !== undefined && name !== '' ? { name, span: value.span } : undefined;
}

/**
 * What Falco's reader says about one item's exceptions besides their shape (rule_loader_reader.cpp): a new exception
 * list needs `fields` in each exception; an appended exception without `values` adds nothing (LOAD_APPEND_NO_VALUES,
 * read with the reader's append flag: `append: true` or `exceptions: append`, not `exceptions: replace`).
 */
function validateAppendedExceptions(item: ModelItem, legacyAppend: boolean, r: ReportSink): void {
  const mode = exceptionsMode(item, legacyAppend);
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (!mode || exceptions?.kind !== 'seq') return;
  for (const ex of exceptions.items) {
    // Falco reads the name first and fails without one (reported as an invalid exception).
    const named = exceptionName(ex);
    if (!named || ex.kind !== 'map') continue;
    if (mode === 'new' && !ex.entries.some((e) => e.key === 'fields')) {
      // Falco 0.37 reads the exceptions of 'override: exceptions: replace' as appended ones, whose fields are optional
      // (rule_loader_reader.cpp 0.37.0 read_rule_exceptions(..., true)); 0.38 reads them as new (false): targetVersion.ts
      // says what 0.37 makes of them (fieldlessReplacedExceptions).
      const replaced = !legacyAppend && replacesExceptions(item);
      r.report(Code.ExceptionInvalid, named.span, `Exception '${named.name}' has no 'fields': an exception needs the fields it compares.`, replaced ? { fieldsRequiredSince: REPLACED_EXCEPTION_FIELDS_SINCE } : undefined);
    }
    if (mode === 'append' && !ex.entries.some((e) => e.key === 'values')) {
      r.report(Code.AppendNoValues, named.span, `Exception '${named.name}' is added to the rule without 'values', so it excludes nothing.`);
    }
    // The reader refuses an empty string among an exception's fields and values ("Value must be non-empty").
    for (const key of ['fields', 'values']) {
      const visit = (n: ModelNode | undefined): void => {
        if (n?.kind === 'seq') for (const i of n.items) visit(i);
        else if (n?.kind === 'scalar' && n.value === '') r.report(Code.ExceptionInvalid, n.span, `An empty string cannot be one of an exception's ${key}.`);
      };
      visit(ex.entries.find((e) => e.key === key)?.value);
    }
  }
}

/**
 * How Falco's collector merges appended exceptions into the rule (rule_loader_collector.cpp, append): an exception
 * with a name the rule already has adds its values to it, and may not give `fields` or `comps`; an exception with a
 * new name is added, and needs `fields` and at least one value. This reads the earlier definition of the rule.
 */
function validateExceptionMerge(item: ModelItem, defs: Definitions, reporter: ReportSink): void {
  if (item.name === undefined || exceptionsMode(item, isLegacyAppend(item)) !== 'append' || (isLegacyAppend(item) && overrideHasEntries(entryValue(item, 'override')))) return;
  const own = entryOf(item, 'exceptions')?.value;
  const rule = defs.rules.get(item.name);
  if (own?.kind !== 'seq' || own.items.length === 0 || !rule) return;
  // The rule's exceptions before this item's own (if a later item replaced them, the earlier ones are unknown here);
  // an item the collector refused (workspace.ts appendedExceptionsRefused) added none: the rule's are all before it.
  const contributed = rule.contributions.some((c) => c.item === item);
  const first = contributed ? ruleExceptions(rule).indexOf(own.items[0]) : ruleExceptions(rule).length;
  if (first < 0) return;
  const names = new Set<string>();
  for (let i = 0; i < first; i++) { const n = exceptionName(ruleExceptions(rule)[i]); if (n) names.add(n.name); }
  const options = { load: 'LOAD_ERR_VALIDATE' };
  for (const ex of own.items) {
    const named = exceptionName(ex);
    if (!named || ex.kind !== 'map') continue;
    const entry = (key: string) => ex.entries.find((e) => e.key === key);
    if (names.has(named.name)) {
      for (const key of ['fields', 'comps']) {
        const e = entry(key);
        if (e) reporter.report(Code.ExceptionInvalid, e.keySpan, `Rule '${item.name}' already has an exception '${named.name}': appending to it adds 'values' only, so '${key}' cannot be given here.`, undefined, options);
      }
      continue;
    }
    names.add(named.name);
    if (!entry('fields')) reporter.report(Code.ExceptionInvalid, named.span, `Exception '${named.name}' is new to rule '${item.name}' and has no 'fields': only an exception the rule already has can be appended to without them.`, undefined, options);
    const values = entry('values');
    if (!values || (values.value?.kind === 'seq' && values.value.items.length === 0)) {
      reporter.report(Code.ExceptionInvalid, values ? values.keySpan : named.span, `Exception '${named.name}' is new to rule '${item.name}' and has no values: Falco needs at least one.`, undefined, options);
    }
  }
}

/** `field`: the field the comp goes with (a list's at the same place), whose type limits the operators suggested. */
function validateComp(c: ModelNode, singleField: boolean, r: ReportSink, field?: string): void {
  const text = scalarText(c);
  if (text === undefined) { r.report(Code.ExceptionComps, c.span, 'An exception comparison must be an operator such as =, in or startswith.'); return; }
  // A modifier goes with the operators libsinsp's parser lets take one (rule_loader_cmpop.h
  // is_str_operator_with_modifier at 0.44.0: `in oneof` and `>= oneof` are refused).
  const { op, modifier } = splitComp(text);
  const validOp = EXCEPTION_COMPS.includes(op) && (modifier === undefined || (COMP_MODIFIERS.includes(modifier) && operatorInfo(op)?.acceptsModifier === true));
  if (!validOp) {
    // Only operators the field takes (as the condition checks judge them: a string field has no bstartswith).
    const info = field !== undefined ? lookupField(field)?.field : undefined;
    const fits = (o: string) => !info || operatorRejection(o, info.type, !!info.isList) === undefined;
    const suggestions = closestNames(text, singleField ? SINGLE_FIELD_COMPS : EXCEPTION_COMPS.filter(fits));
    r.report(Code.ExceptionComps, c.span, `'${text}' is not a supported comparison operator.`, { suggestions });
    return;
  }
  if (singleField && modifier === undefined && !SINGLE_FIELD_COMPS.includes(op)) {
    r.report(Code.ExceptionComps, c.span, `When fields is a single field, comps must be one of (in, pmatch, intersects), or from Falco 0.44 a string operator with a modifier (e.g. startswith oneof), not '${text}'.`, { suggestions: ['in'] });
  }
}

/**
 * `override: {}`, `override:` with no value, or a plain scalar: Falco's reader finds no key to override and reads the
 * item as if it had no `override` (decode_overrides, rule_loader_reader.cpp at 0.44.0); its rules schema check
 * (rule_json_schema.h, Override: an object with at least one property) gives a schema warning, which does not stop the
 * load. The rest of the item is checked as Falco reads it.
 */
function reportOverrideWithoutEntries(kind: 'rule' | 'macro' | 'list', entry: MapEntry, r: ReportSink): void {
  const v = entry.value;
  const what = v?.kind === 'map' ? "'override' has no entries" : !v || (v.kind === 'scalar' && v.value === null) ? "'override' has no value"
    : `'override' must be a mapping of keys to 'append' or 'replace', not ${describe(v)}`;
  const example = kind === 'list' ? 'items: append' : 'condition: append';
  r.report(Code.InvalidOverride, v?.kind === 'map' || !v || (v.kind === 'scalar' && v.value === null) ? entry.keySpan : v.span,
    `${what}: Falco reads this ${kind} as if it had no 'override'; only its rules schema check warns (an override needs at least one key such as '${example}').`,
    { removeOverride: true }, { severity: DiagnosticSeverity.Warning, load: null });
}

function validateOverride(item: ModelItem, kind: 'rule' | 'macro' | 'list', overrideEntry: MapEntry, r: ReportSink): void {
  const o = overrideEntry.value;
  if (o?.kind !== 'map') return; // reported as a type error
  const overridden = new Set<string>();
  for (const e of o.entries) {
    overridden.add(e.key);
    const op = scalarText(e.value);
    if (e.value?.kind === 'seq' || e.value?.kind === 'map') {
      // decode_overrides reads the operation with as<std::string>(), which throws yaml-cpp's TypedBadConversion for
      // a sequence or a mapping: the reader reports it as LOAD_ERR_VALIDATE ("yaml-cpp: error at line …: bad conversion").
      r.report(Code.InvalidOverride, e.value.span, `The override operation for key '${e.key}' must be 'append' or 'replace', not ${describe(e.value)}: Falco fails to read the item with yaml-cpp's "bad conversion".`, undefined, { load: 'LOAD_ERR_VALIDATE' });
      continue;
    }
    if (op !== 'append' && op !== 'replace') {
      // Falco names the operations the key allows (decode_overrides); yaml-cpp reads an empty value as 'null'.
      const allowed = [APPENDABLE[kind].includes(e.key) ? 'append' : undefined, REPLACEABLE[kind].includes(e.key) ? 'replace' : undefined].filter((x) => x !== undefined);
      const written = e.value?.kind === 'scalar' && e.value.value === null ? 'null' : op ?? '';
      // A misspelt operation (`appned`) gets the allowed one it is closest to as a quick fix.
      const suggestions = written !== 'null' && e.value ? closestNames(written, allowed as string[]) : [];
      r.report(Code.InvalidOverride, written === 'null' || !e.value ? e.keySpan : e.value.span, `Invalid override operation for key '${e.key}': '${written}'. Allowed values are: ${allowed.length ? allowed.join(', ') : `none (a ${kind} cannot override '${e.key}')`}.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : ''}`, suggestions.length ? { suggestions } : undefined);
      continue;
    }
    if (op === 'append' && !APPENDABLE[kind].includes(e.key)) {
      if (REPLACEABLE[kind].includes(e.key)) r.report(Code.CannotAppend, e.value!.span, `Key '${e.key}' cannot be appended to, use 'replace' instead.`, { key: e.key });
      else r.report(Code.CannotAppend, e.keySpan, `Key '${e.key}' cannot be overridden in a ${kind}.`);
      continue;
    }
    if (op === 'replace' && !REPLACEABLE[kind].includes(e.key)) {
      r.report(Code.CannotReplace, e.keySpan, `Key '${e.key}' cannot be replaced in a ${kind}.`);
      continue;
    }
    const own = entryOf(item, e.key);
    if (!own) r.report(Code.OverrideWithoutKey, e.keySpan, `'override' says '${e.key}: ${op}' but the ${kind} has no '${e.key}' key.`, { key: e.key });
    else if (kind === 'rule') reportEmptyOverridden(own, r);
  }
  // Only a rule's reader looks for keys without an entry, and only among those an override could change: `source`
  // and the like are read as they are (rule_loader_reader.cpp 0.44.0:704-716 expected_keys, 851-857).
  if (kind !== 'rule') return;
  for (const e of item.entries) {
    if (e === item.kindEntry || overridden.has(e.key) || !REPLACEABLE.rule.includes(e.key) || !readByFalco(item, e)) continue;
    const ops = [APPENDABLE[kind].includes(e.key) ? 'append' : undefined, REPLACEABLE[kind].includes(e.key) ? 'replace' : undefined].filter((x): x is string => !!x);
    r.report(Code.MissingOverrideEntry, e.keySpan, `Unexpected key '${e.key}': no corresponding entry under 'override' is defined.`, { key: e.key, ops });
  }
}

/**
 * A rule's appended or replaced key whose value Falco's reader finds empty, which the value type checks do not say
 * (validateValueType: a null or empty text, null tags): decode_val throws "Mapping for key ... is empty" or "Value must
 * be non-empty", decode_seq "Value is not a sequence" (rule_loader_reader.cpp 0.37.0:31-100, 0.44.0:52-170), and
 * the item changes nothing (workspace.ts overrideRefusal).
 */
function reportEmptyOverridden(e: MapEntry, r: ReportSink): void {
  const v = e.value;
  if (v && v.kind !== 'scalar') return;
  const isNull = !v || v.value === null;
  if (e.key === 'tags' ? isNull : (STRING_KEYS.includes(e.key) || e.key === 'priority') && (isNull || v!.text === '')) {
    r.report(Code.EmptyValue, isNull ? e.keySpan : v!.span, isNull
      ? (e.key === 'tags' ? `'tags' must be a list, not null: Falco refuses the override ("Value is not a sequence").` : `Mapping for key '${e.key}' is empty: Falco refuses the override.`)
      : `The value of '${e.key}' must be non-empty: Falco refuses the override.`, { keys: [e.key] });
  }
}

function validateEngineVersion(item: ModelItem, r: ReportSink): void {
  const e = item.kindEntry!;
  const v = e.value;
  if (v?.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 0) return; // legacy integer form
  const text = scalarText(v);
  if (text === undefined || v?.kind !== 'scalar' || !/^\d+\.\d+\.\d+$/.test(text.trim())) {
    r.report(Code.InvalidEngineVersion, v?.span ?? e.keySpan, `Unable to parse engine version '${text ?? ''}' as a semver string (expected x.y.z, e.g. 0.57.0).`);
  }
  for (const extra of item.entries) if (extra !== e) r.report(Code.UnknownKey, extra.keySpan, `Unknown key '${extra.key}' next to required_engine_version; it will be ignored.`, { key: extra.key, suggestions: [] });
}

function validatePluginVersions(item: ModelItem, r: ReportSink): void {
  const e = item.kindEntry!;
  const v = e.value;
  if (v?.kind !== 'seq') { r.report(Code.InvalidPluginVersions, v?.span ?? e.keySpan, 'required_plugin_versions must be a list of {name, version} entries.'); return; }
  const checkEntry = (entry: ModelNode, allowAlternatives: boolean) => {
    if (entry.kind !== 'map') { r.report(Code.InvalidPluginVersions, entry.span, 'A plugin requirement must be a mapping with name and version.'); return; }
    for (const k of ['name', 'version']) {
      const x = entry.entries.find((y) => y.key === k);
      const text = scalarText(x?.value);
      if (!x || text === undefined || text === '') r.report(Code.InvalidPluginVersions, x?.keySpan ?? entry.span, `A plugin requirement needs a '${k}'.`);
      else if (k === 'version' && !/^\d+\.\d+\.\d+/.test(text)) r.report(Code.InvalidPluginVersions, x.value!.span, `Plugin version '${text}' is not a semver string (x.y.z).`);
    }
    for (const x of entry.entries) {
      if (!(PLUGIN_REQUIREMENT_KEYS as readonly string[]).includes(x.key) || (x.key === 'alternatives' && !allowAlternatives)) {
        // As in an exception: Falco checks the keys of the required_plugin_versions item only, not of its entries.
        const suggestions = closestNames(x.key, PLUGIN_REQUIREMENT_KEYS.filter((k) => !hasKey(entry.entries, k)));
        r.report(Code.UnknownKey, x.keySpan, `Unknown key '${x.key}' in a plugin requirement: Falco ignores it without a word.${suggestions.length ? ` Did you mean '${suggestions[0]}'?` : presentAlready(x.key, PLUGIN_REQUIREMENT_KEYS, entry.entries, 'The requirement')}`, { key: x.key, suggestions }, { load: null });
      }
    }
    const alternatives = entry.entries.find((y) => y.key === 'alternatives')?.value;
    if (alternatives && allowAlternatives) {
      if (alternatives.kind !== 'seq') r.report(Code.InvalidPluginVersions, alternatives.span, "'alternatives' must be a list of {name, version} entries.");
      else for (const a of alternatives.items) checkEntry(a, false);
    }
  };
  for (const entry of v.items) {
    checkEntry(entry, true);
    // A requirement and its alternatives name different plugins (Falco's collector refuses a repeated name).
    if (entry.kind !== 'map') continue;
    const alternatives = entry.entries.find((y) => y.key === 'alternatives')?.value;
    if (alternatives?.kind !== 'seq') continue;
    const seen = new Set<string>();
    for (const req of [entry, ...alternatives.items]) {
      if (req.kind !== 'map') continue;
      const nameNode = req.entries.find((y) => y.key === 'name')?.value;
      const name = scalarText(nameNode);
      if (!nameNode || name === undefined || name === '') continue;
      if (seen.has(name)) r.report(Code.InvalidPluginVersions, nameNode.span, `Plugin '${name}' is named twice in one requirement: an alternative must be another plugin.`, undefined, { load: 'LOAD_ERR_VALIDATE' });
      seen.add(name);
    }
  }
  for (const extra of item.entries) if (extra !== e) r.report(Code.UnknownKey, extra.keySpan, `Unknown key '${extra.key}' next to required_plugin_versions; it will be ignored.`, { key: extra.key, suggestions: [] });
}

/** Whether a mapping's entries have the key `key`. */
function hasKey(entries: readonly { key: string }[], key: string): boolean {
  for (let i = 0; i < entries.length; i++) if (entries[i].key === key) return true;
  return false;
}

/** Where the key an unknown key is closest to is in the mapping already (no suggestion then, as renaming would write
 *  it twice): a sentence saying so, else nothing. */
function presentAlready(key: string, allowed: readonly string[], entries: readonly { key: string }[], owner: string): string {
  const closest = closestNames(key, allowed)[0];
  return closest !== undefined && hasKey(entries, closest) ? ` ${owner} has '${closest}' already.` : '';
}
