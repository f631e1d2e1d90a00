// The Falco rules language service: diagnostics at loader parity across the workspace's rules files, quick fixes and
// source actions. Pure: it reads through the ServiceHost and returns LSP types.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, Diagnostic, Range } from 'vscode-languageserver-types';
import type { Cancellation, DocumentFeatures, RuleSummary, RulesWorkspace } from '../features';
import type { ServiceHost } from '../host';
import { RulesWorkspaceIndex, type LoadResult, type LoadedFile, type RuleDef } from './workspace';
import { UsageIndex } from './conditionChecks';
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

export function createRulesService(host: ServiceHost): RulesService {
  const index = new RulesWorkspaceIndex(host);
  const checks = new ItemCheckCache();
  let summariesCache: { load: LoadResult; rules: RuleSummary[] } | undefined;
  let usageCache: { load: LoadResult; usage: UsageIndex } | undefined;
  const usageOf = (load: LoadResult): UsageIndex => {
    if (usageCache?.load !== load) usageCache = { load, usage: new UsageIndex(load) };
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
