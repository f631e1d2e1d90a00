// The Falco rules language service: diagnostics at loader parity across the workspace's rules files, quick fixes and
// source actions. Pure: it reads through the ServiceHost and returns LSP types.
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Diagnostic, Location, Range } from 'vscode-languageserver-types';
import type { Cancellation, DocumentFeatures, Redefinition, RuleSummary, RulesWorkspace, TuningTarget } from '../features';
import type { ServiceHost } from '../host';
import { fileLabel, fileLabels, RulesWorkspaceIndex, type Definitions, type HostLine, type LoadResult, type LoadedFile, type RuleDef } from './workspace';
import { addListUsesOfLists, fieldsReachedFrom, pinnedFieldsOf, itemRefsAt, macroUsesBesideLists, type ItemRefs, type UsageIndex } from './conditionChecks';
import { diagnoseFile, ItemCheckCache } from './diagnose';
import { codeActions } from './actions';
import type { RulesFileModel } from './model';
import { URI_TO_PATH, pathToUri } from '../uri';
import { createRulesNavigation } from './navigation';

/** A rules file written inside another document (see embedded/regions.ts): a URI of its own, and its text. */
export interface EmbeddedRulesFile { uri: string; path?: string; text: string }

/** What the document holding embedded files tells the rules service about them (for the alerts service). */
export interface EmbeddedHooks {
  /** A location in an embedded file, in the document that holds it. */
  toHost(location: Location): Location;
  /** Where tuning of a rule defined in an embedded file goes: that file's block. */
  tuningTarget(uri: string): TuningTarget | undefined;
}

export type RulesService = DocumentFeatures & RulesWorkspace & {
  /**
   * The features of a set of embedded rules files, loaded after every workspace and configured file, as a Helm
   * chart's customRules load after the other rules files. Documents passed to them are the embedded files (their URI
   * and text); positions are theirs.
   */
  embedded(set: string, files: readonly EmbeddedRulesFile[], hooks?: EmbeddedHooks): DocumentFeatures;
  /** Forgets a set of embedded files (the document holding them closed, or no longer holds them). */
  forgetEmbedded(set: string, uris: readonly string[]): void;
  /** The workspace's YAML files that are not Falco files by name, where rules may be embedded (none read). */
  workspaceYamlFiles(): readonly string[];
  fileLabel(path: string): string;
};

export { diagnoseFile } from './diagnose';

function summaryOf(rule: RuleDef, defs: Definitions, hooks?: EmbeddedHooks): RuleSummary {
  const first = rule.contributions.find((c) => c.mode === 'define') ?? rule.contributions[0];
  const span = first?.item.nameSpan ?? first?.item.span;
  const location = first && span ? { uri: first.file.uri, range: first.file.model.lines.range(span.start, span.end) } : undefined;
  const summary: RuleSummary = {
    name: rule.name, source: rule.source, desc: rule.desc, output: rule.output, condition: rule.condition,
    priority: rule.priority, tags: [...rule.tags], enabled: rule.enabled, location,
  };
  // Through the macros of the same definitions, read when first asked (the alert tuning's link exception).
  let tested: ReadonlySet<string> | undefined;
  const condition = rule.condition;
  if (condition !== undefined) summary.testedFields = () => (tested ??= fieldsReachedFrom(condition, (name) => defs.macros.get(name)?.condition));
  let pinned: ReadonlyMap<string, string> | undefined;
  if (condition !== undefined) summary.pinnedFields = () => (pinned ??= pinnedFieldsOf(condition, (name) => defs.macros.get(name)?.condition, (name) => defs.lists.has(name)));
  // The loader's own reading of each item (its contribution's mode): no second parse of the files.
  const redefinitions = rule.contributions.filter((c) => c.mode === 'redefine').map((c) => {
    const at = c.item.nameSpan ?? c.item.span;
    return { uri: c.file.uri, range: c.file.model.lines.range(at.start, at.end) };
  });
  if (redefinitions.length > 0 && !hooks) summary.redefinitions = redefinitions;
  if (hooks && location && first) {
    // Read when asked: the host's lines around the block may move while the block (and this summary) stays.
    Object.defineProperty(summary, 'location', { get: () => hooks.toHost(location), enumerable: true });
    // Tuning goes where the rule's last definition is: an override appended after an earlier one would be replaced.
    const last = rule.contributions.filter((c) => c.mode === 'define' || c.mode === 'redefine').pop() ?? first;
    Object.defineProperty(summary, 'tuningTarget', { get: () => hooks.tuningTarget(last.file.uri), enumerable: true });
  }
  return summary;
}

/**
 * Uses of macros and lists across the loaded files (what UsageIndex computes), kept as running sums of every item's
 * references. An item's references are one object per item text (itemRefsAt), so after an edit the items before and
 * after the edited region match the previous model's one for one, and only the references of the items in between
 * are taken out and put in. The maps are live: a UsageIndex returned here is valid until the next call (the service
 * asks for one per load and uses it at once).
 */
export class UsageCounter {
  /** The model and item references counted for each file position. */
  private counted: { model: RulesFileModel; refs: ItemRefs[] }[] = [];
  private readonly macros = new Map<string, number>();
  private readonly listCandidates = new Map<string, number>();

  usage(load: LoadResult): UsageIndex {
    // Sums do not depend on which file a count came from: files are paired by position, whatever they are.
    const previous = this.counted;
    const counted = load.files.map((f, i) => (previous[i]?.model === f.model ? previous[i] : { model: f.model, refs: f.model.items.map((_, j) => itemRefsAt(f.model, j)) }));
    // The items to take out and put in per changed file (the common first and last items stay), against counting
    // every item afresh. A first load or a reopen changes every item: then counting afresh does half the work.
    const common = counted.map((c, i) => (previous[i]?.model === c.model ? undefined : commonEnds(previous[i]?.refs ?? NO_REFS, c.refs)));
    let exchanged = 0;
    let all = 0;
    counted.forEach((c, i) => {
      all += c.refs.length;
      const ends = common[i];
      if (ends) exchanged += (previous[i]?.refs.length ?? 0) + c.refs.length - 2 * (ends.head + ends.tail);
    });
    for (let i = counted.length; i < previous.length; i++) exchanged += previous[i].refs.length;
    if (exchanged >= all) {
      this.macros.clear();
      this.listCandidates.clear();
      for (const c of counted) for (const refs of c.refs) this.count(refs, 1);
    } else {
      counted.forEach((c, i) => {
        const ends = common[i];
        if (!ends) return;
        const before = previous[i]?.refs ?? NO_REFS;
        for (let k = ends.head; k < before.length - ends.tail; k++) this.count(before[k], -1);
        for (let k = ends.head; k < c.refs.length - ends.tail; k++) this.count(c.refs[k], 1);
      });
      for (let i = counted.length; i < previous.length; i++) for (const refs of previous[i].refs) this.count(refs, -1);
    }
    this.counted = counted;
    // A bare word counts as a list use when a list of that name is loaded.
    const listUses = new Map<string, number>();
    for (const name of load.final.lists.keys()) {
      const n = this.listCandidates.get(name);
      if (n) listUses.set(name, n);
    }
    addListUsesOfLists(listUses, load.final.lists);
    return { macroUses: macroUsesBesideLists(this.macros, load.final.lists), listUses, listCandidates: this.listCandidates };
  }

  private count(refs: ItemRefs, delta: 1 | -1): void {
    addCounts(this.macros, refs.macros, delta);
    addCounts(this.listCandidates, refs.listCandidates, delta);
  }
}

const NO_REFS: ItemRefs[] = [];

/** How many first and last items two lists of item references have in common (not overlapping). */
function commonEnds(before: readonly ItemRefs[], after: readonly ItemRefs[]): { head: number; tail: number } {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { head, tail };
}

/** Adds `delta` to the total of each name (a name that repeats counts each time); a total of 0 is removed. */
function addCounts(totals: Map<string, number>, names: readonly string[], delta: 1 | -1): void {
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const total = (totals.get(name) ?? 0) + delta;
    if (total === 0) totals.delete(name); else totals.set(name, total);
  }
}

export function createRulesService(host: ServiceHost): RulesService {
  const index = new RulesWorkspaceIndex(host);
  const checks = new ItemCheckCache();
  let summariesCache: { load: LoadResult; embedded?: Map<string, RuleSummary>; rules: RuleSummary[] } | undefined;

  /** The features of documents loaded by `loadFor`, with macro and list uses counted by a counter of their own. */
  const documentFeatures = (loadFor: (doc: TextDocument) => { load: LoadResult; file: LoadedFile }, loadAll: () => LoadResult, counter = new UsageCounter()): { features: DocumentFeatures; usageOf(load: LoadResult): UsageIndex } => {
    let usageCache: { load: LoadResult; usage: UsageIndex } | undefined;
    const usageOf = (load: LoadResult): UsageIndex => {
      if (usageCache?.load !== load) usageCache = { load, usage: counter.usage(load) };
      return usageCache.usage;
    };
    const features: DocumentFeatures = {
      ...createRulesNavigation({ host, loadFor, loadAll, outputAppends: () => index.outputAppends(), loadedPlugins: () => index.loadedPlugins() }),
      diagnostics(doc: TextDocument, token?: Cancellation): Diagnostic[] {
        const { load, file } = loadFor(doc);
        return diagnoseFile(file, load, usageOf(load), token, checks, host.settings().falcoVersion, index.outputAppends());
      },
      codeActions(doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[] {
        const { load, file } = loadFor(doc);
        return codeActions(file, load, range, context, host);
      },
    };
    return { features, usageOf };
  };

  const { features: workspaceFeatures, usageOf } = documentFeatures((doc) => {
    const load = index.load({ uri: doc.uri, text: doc.getText() });
    return { load, file: index.fileOf(load, doc.uri)! };
  }, () => index.load());
  /** The features of each set of embedded files, kept while the set's files are the same; its use counter for as long
   *  as the set is open (the counts are updated by the items an edit changed). */
  const embeddedSets = new Map<string, { files: readonly EmbeddedRulesFile[]; features: DocumentFeatures; counter: UsageCounter; hooks?: EmbeddedHooks; hostLines: Map<string, HostLine> }>();

  /**
   * The rules that only embedded files define (a Helm chart's customRules of an open values file), for the alerts
   * service: an alert of such a rule is explained and its text line read by the rule's template. Each set is loaded
   * after the workspace's files, so its loaded rules are the workspace's and its own; a name the workspace defines
   * keeps the workspace's rule, and a name two sets define the first set's (by set key). Kept while the loads are.
   */
  let embeddedCache: { loads: LoadResult[]; rules: Map<string, RuleSummary>; redefined: Map<string, Redefinition[]> } | undefined;
  const embeddedRules = (): { rules: Map<string, RuleSummary>; redefined: Map<string, Redefinition[]> } => {
    const sets = [...embeddedSets].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const loads = sets.map(([set, known]) => index.loadWithEmbedded(set, known.files));
    if (embeddedCache && embeddedCache.loads.length === loads.length && embeddedCache.loads.every((l, i) => l === loads[i])) return embeddedCache;
    const main = index.load().final.rules;
    const rules = new Map<string, RuleSummary>();
    // A workspace rule that a set's file defines again (the loader's contributions of mode 'redefine' in that set's
    // load), at the host's lines and named by its block, read through the set's hooks when asked.
    const redefined = new Map<string, Redefinition[]>();
    loads.forEach((load, i) => {
      const [set, known] = sets[i];
      for (const [name, rule] of load.final.rules) {
        if (!main.has(name)) { if (!rules.has(name)) rules.set(name, summaryOf(rule, load.final, known.hooks)); continue; }
        for (const c of rule.contributions) {
          if (c.mode !== 'redefine' || !known.files.some((f) => f.uri === c.file.uri)) continue;
          const at = c.item.nameSpan ?? c.item.span;
          const own = { uri: c.file.uri, range: c.file.model.lines.range(at.start, at.end) };
          const hooks = () => embeddedSets.get(set)?.hooks;
          const target = () => hooks()?.tuningTarget(own.uri);
          const list = redefined.get(name) ?? [];
          list.push({
            get uri() { return hooks()?.toHost(own).uri ?? own.uri; }, get range() { return hooks()?.toHost(own).range ?? own.range; },
            get block() { const t = target(); return t && { label: t.label, holder: t.holder, chartLoad: t.chartLoad }; },
          });
          redefined.set(name, list);
        }
      }
    });
    embeddedCache = { loads, rules, redefined };
    return embeddedCache;
  };
  /** A workspace rule's summary with the redefinitions the embedded sets make (after the rules files' own). */
  const workspaceSummary = (rule: RuleDef): RuleSummary => {
    const summary = summaryOf(rule, index.load().final);
    const later = embeddedSets.size > 0 ? embeddedRules().redefined.get(rule.name) : undefined;
    if (later) summary.redefinitions = [...summary.redefinitions ?? [], ...later];
    return summary;
  };

  return {
    ...workspaceFeatures,
    embedded(set: string, files: readonly EmbeddedRulesFile[], hooks?: EmbeddedHooks): DocumentFeatures {
      const known = embeddedSets.get(set);
      if (known && known.files.length === files.length && known.files.every((f, i) => f.uri === files[i].uri && f.text === files[i].text && f.path === files[i].path)) {
        known.hooks = hooks;
        return known.features;
      }
      const counter = known?.counter ?? new UsageCounter();
      // Messages name places by the host's lines, through the set's current hooks (the host may have moved the block
      // since): one function per file, so that an unchanged file keeps its LoadedFile.
      const hostLines = known?.hostLines ?? new Map<string, HostLine>();
      const hostLineOf = (uri: string): HostLine => {
        let f = hostLines.get(uri);
        if (!f) {
          f = (line) => {
            const hooks = embeddedSets.get(set)?.hooks;
            if (!hooks) return undefined;
            const at = hooks.toHost({ uri, range: { start: { line, character: 0 }, end: { line, character: 0 } } });
            return at.uri === uri ? undefined : { uri: at.uri, line: at.range.start.line };
          };
          hostLines.set(uri, f);
        }
        return f;
      };
      const placed = files.map((f) => ({ ...f, hostLine: hostLineOf(f.uri) }));
      const loadAll = () => index.loadWithEmbedded(set, placed);
      const { features } = documentFeatures((doc) => {
        const load = loadAll();
        const file = index.fileOf(load, doc.uri);
        if (!file) throw new Error(`${doc.uri} is not a file of the embedded set ${set}`);
        return { load, file };
      }, loadAll, counter);
      embeddedSets.set(set, { files, features, counter, hooks, hostLines });
      return features;
    },
    forgetEmbedded(set: string, uris: readonly string[]): void {
      embeddedSets.delete(set);
      index.forgetEmbedded(set, uris);
    },
    workspaceYamlFiles: () => index.otherYamlFiles(),
    didOpenOrChange(doc: TextDocument, changes?: readonly TextDocumentContentChangeEvent[]): void { index.didOpenOrChange(doc, changes); },
    didClose(uri: string): void { index.didClose(uri); },
    // The workspace index already keeps open documents' text (it overrides the disk); the alerts service reads the
    // local rules file through it so that quick-fix offsets match the editor's buffer.
    documentText(uri: string): string | undefined { return index.openText(uri); },
    fileLabel(path: string): string {
      const files = index.load().files.filter((f) => !f.uri.includes('#'));
      const loaded = files.find((f) => (f.path ?? URI_TO_PATH(f.uri)) === path);
      if (loaded) return fileLabel(loaded);
      const named = [...files.map((f) => ({ uri: f.uri, path: f.path, file: f.sameAs ?? f.uri })), { uri: pathToUri(path), path }];
      return fileLabels(named, host.workspaceFolders())[named.length - 1];
    },
    didChangeWatchedFiles(uris: string[]): void { index.didChangeWatchedFiles(uris); },
    findRule(name: string): RuleSummary | undefined {
      const rule = index.load().final.rules.get(name);
      if (rule) return workspaceSummary(rule);
      return embeddedSets.size > 0 ? embeddedRules().rules.get(name) : undefined;
    },
    isListName(name: string): boolean {
      return index.load().final.lists.has(name);
    },
    allRules(): RuleSummary[] {
      // The same array while the loaded files are unchanged: callers (the alert templates) recompile only when it
      // changes, and the alert service asks on every validation.
      const load = index.load();
      const embedded = embeddedSets.size > 0 ? embeddedRules().rules : undefined;
      if (summariesCache?.load !== load || summariesCache.embedded !== embedded) {
        const rules = [...load.final.rules.values()].map(workspaceSummary);
        if (embedded) rules.push(...embedded.values());
        summariesCache = { load, embedded, rules };
      }
      return summariesCache.rules;
    },
    validateText(uri: string, text: string): Diagnostic[] {
      const load = index.load({ uri, text, last: true });
      const file = load.files[load.files.length - 1];
      return diagnoseFile(file, load, usageOf(load), undefined, checks, host.settings().falcoVersion, index.outputAppends());
    },
  };
}
