// The Falco rules language service: diagnostics at loader parity across the workspace's rules files, quick fixes and
// source actions. Pure: it reads through the ServiceHost and returns LSP types.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Diagnostic, Range } from 'vscode-languageserver-types';
import type { Cancellation, DocumentFeatures, RuleSummary, RulesWorkspace } from '../features';
import type { ServiceHost } from '../host';
import { RulesWorkspaceIndex, type LoadResult, type LoadedFile, type RuleDef } from './workspace';
import { refsOf, type FileRefs, type UsageIndex } from './conditionChecks';
import { diagnoseFile, ItemCheckCache } from './diagnose';
import { codeActions } from './actions';
import { createRulesNavigation } from './navigation';

export type RulesService = DocumentFeatures & RulesWorkspace;

export { diagnoseFile } from './diagnose';

function summaryOf(rule: RuleDef): RuleSummary {
  const first = rule.contributions.find((c) => c.mode === 'define') ?? rule.contributions[0];
  const span = first?.item.nameSpan ?? first?.item.span;
  return {
    name: rule.name, source: rule.source, desc: rule.desc, output: rule.output, condition: rule.condition,
    priority: rule.priority, tags: [...rule.tags], enabled: rule.enabled,
    location: first && span ? { uri: first.file.uri, range: first.file.model.lines.range(span.start, span.end) } : undefined,
  };
}

/**
 * Uses of macros and lists across the loaded files (what UsageIndex computes), kept as running sums of each file's
 * references: after an edit only the difference between the changed file's old and new references is applied, so an
 * edit that leaves the references alone writes nothing. The maps are live: a UsageIndex returned here is valid until
 * the next call (the service asks for one per load and uses it at once).
 */
export class UsageCounter {
  private counted: FileRefs[] = [];
  private readonly macros = new Map<string, number>();
  private readonly listCandidates = new Map<string, number>();

  usage(load: LoadResult): UsageIndex {
    const refs = load.files.map((f) => refsOf(f.model));
    // Sums do not depend on which file a count came from: files are paired by position, whatever they are.
    for (let i = 0; i < Math.max(refs.length, this.counted.length); i++) {
      const before = this.counted[i];
      const after = refs[i];
      if (before === after) continue;
      applyDifference(this.macros, before?.macros, after?.macros);
      applyDifference(this.listCandidates, before?.listCandidates, after?.listCandidates);
    }
    this.counted = refs;
    // A bare word counts as a list use when a list of that name is loaded.
    const listUses = new Map<string, number>();
    for (const name of load.final.lists.keys()) {
      const n = this.listCandidates.get(name);
      if (n) listUses.set(name, n);
    }
    return { macroUses: this.macros, listUses };
  }
}

/** Changes `totals` from counting `before` to counting `after` (either may be absent). */
function applyDifference(totals: Map<string, number>, before: Map<string, number> | undefined, after: Map<string, number> | undefined): void {
  const bump = (name: string, delta: number) => {
    const total = (totals.get(name) ?? 0) + delta;
    if (total === 0) totals.delete(name); else totals.set(name, total);
  };
  if (after) for (const [name, n] of after) { const delta = n - (before?.get(name) ?? 0); if (delta !== 0) bump(name, delta); }
  if (before) for (const [name, n] of before) if (!after?.has(name)) bump(name, -n);
}

export function createRulesService(host: ServiceHost): RulesService {
  const index = new RulesWorkspaceIndex(host);
  const checks = new ItemCheckCache();
  let summariesCache: { load: LoadResult; rules: RuleSummary[] } | undefined;
  const counter = new UsageCounter();
  let usageCache: { load: LoadResult; usage: UsageIndex } | undefined;
  const usageOf = (load: LoadResult): UsageIndex => {
    if (usageCache?.load !== load) usageCache = { load, usage: counter.usage(load) };
    return usageCache.usage;
  };
  const loadFor = (doc: TextDocument): { load: LoadResult; file: LoadedFile } => {
    const load = index.load({ uri: doc.uri, text: doc.getText() });
    const file = index.fileOf(load, doc.uri)!;
    return { load, file };
  };

  return {
    ...createRulesNavigation({ host, loadFor, loadAll: () => index.load() }),
    diagnostics(doc: TextDocument, token?: Cancellation): Diagnostic[] {
      const { load, file } = loadFor(doc);
      return diagnoseFile(file, load, usageOf(load), token, checks);
    },
    codeActions(doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[] {
      const { load, file } = loadFor(doc);
      return codeActions(file, load, range, context, host);
    },
    didOpenOrChange(doc: TextDocument): void { index.didOpenOrChange(doc); },
    didClose(uri: string): void { index.didClose(uri); },
    // The workspace index already keeps open documents' text (it overrides the disk); the alerts service reads the
    // local rules file through it so that quick-fix offsets match the editor's buffer.
    documentText(uri: string): string | undefined { return index.openText(uri); },
    didChangeWatchedFiles(uris: string[]): void { index.didChangeWatchedFiles(uris); },
    findRule(name: string): RuleSummary | undefined {
      const rule = index.load().final.rules.get(name);
      return rule ? summaryOf(rule) : undefined;
    },
    allRules(): RuleSummary[] {
      // The same array while the loaded files are unchanged: callers (the alert templates) recompile only when it
      // changes, and the alert service asks on every validation.
      const load = index.load();
      if (summariesCache?.load !== load) summariesCache = { load, rules: [...load.final.rules.values()].map(summaryOf) };
      return summariesCache.rules;
    },
    validateText(uri: string, text: string): Diagnostic[] {
      const load = index.load({ uri, text, last: true });
      const file = load.files[load.files.length - 1];
      return diagnoseFile(file, load, usageOf(load), undefined, checks);
    },
  };
}
