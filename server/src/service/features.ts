// The contract between the LSP adapter (server.ts, cli.ts) and the per-language services. Each service is a plain
// object of pure functions over a TextDocument; the adapter advertises exactly the features a service implements.
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type {
  CodeAction, CodeActionContext, CompletionList, Diagnostic, DocumentHighlight, DocumentSymbol, FoldingRange, Hover,
  Location, Position, Range, SelectionRange, SemanticTokens, SemanticTokensLegend, SymbolInformation, WorkspaceEdit,
} from 'vscode-languageserver-types';

export const LANGUAGE_RULES = 'falco-rules';
export const LANGUAGE_ALERTS = 'falco-alerts';
export const LANGUAGE_CONFIG = 'falco-config';
/** Plain YAML documents: served only where they hold Falco rules files (embedded/, a Helm chart's customRules). */
export const LANGUAGE_YAML = 'yaml';
export type FalcoLanguageId = typeof LANGUAGE_RULES | typeof LANGUAGE_ALERTS | typeof LANGUAGE_CONFIG;

/** The minimal cancellation check the services honour between phases. */
export type Cancellation = { readonly isCancellationRequested: boolean } | undefined;

export interface DocumentFeatures {
  diagnostics(doc: TextDocument, token?: Cancellation): Diagnostic[];
  hover?(doc: TextDocument, position: Position): Hover | null;
  completion?(doc: TextDocument, position: Position): CompletionList | null;
  definition?(doc: TextDocument, position: Position): Location[];
  references?(doc: TextDocument, position: Position, includeDeclaration: boolean): Location[];
  /** The occurrences in this document of the name under the cursor (Write where it is defined, Read where it is
   *  used); empty where there is none, null where the service does not serve the position (another provider may). */
  documentHighlights?(doc: TextDocument, position: Position): DocumentHighlight[] | null;
  prepareRename?(doc: TextDocument, position: Position): { range: Range; placeholder: string } | null;
  rename?(doc: TextDocument, position: Position, newName: string): WorkspaceEdit | null;
  documentSymbols?(doc: TextDocument): DocumentSymbol[];
  codeActions?(doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[];
  foldingRanges?(doc: TextDocument): FoldingRange[];
  /** One chain of ranges per position, innermost first, each strictly inside its parent; null where the service does
   *  not serve any of the positions. */
  selectionRanges?(doc: TextDocument, positions: Position[]): SelectionRange[] | null;
  semanticTokens?(doc: TextDocument): SemanticTokens;
  /** Present when semanticTokens is. */
  semanticTokensLegend?: SemanticTokensLegend;
  /** The editor opened or changed a document of this language (its text now overrides the disk). On a change,
   *  `changes` are the protocol's content changes that turned the previous version into this one, in order, when the
   *  editor sent them; without them a service compares texts itself. */
  didOpenOrChange?(doc: TextDocument, changes?: readonly TextDocumentContentChangeEvent[]): void;
  didClose?(uri: string): void;
  /** Workspace-wide symbols (rules, macros, lists). */
  workspaceSymbols?(query: string): SymbolInformation[];
  /** Files on disk changed (rules files created, edited outside the editor, deleted). */
  didChangeWatchedFiles?(uris: string[]): void;
}

/** Rules as the alert service needs them: the effective (override-applied) definitions of the loaded rules. */
export interface RuleSummary {
  name: string;
  source: string;
  desc?: string;
  output?: string;
  condition?: string;
  priority?: string;
  tags: string[];
  enabled: boolean;
  /** The fields the rule's condition compares, in its own text and in the macros it uses (macros of macros too, as
   *  the loaded rules define them); absent where no loaded definitions are known (the condition alone is read). */
  testedFields?(): ReadonlySet<string>;
  /** The fields the rule's condition holds at one value for every alert (`user.uid = 0` as a term of its top-level
   *  `and`, in its text or a macro it names), with that value as the condition reads it; absent where unknown. */
  pinnedFields?(): ReadonlyMap<string, string>;
  /** Where the rule's name is defined (the first definition, not an override). */
  location?: Location;
  /**
   * Where later items define the rule again (a rule item with a condition, neither an override nor `append: true`),
   * in load order. Falco replaces the rule whole then, with the exceptions earlier overrides appended
   * (rule_loader_collector.cpp define_info `*prev = info`, 0.37.0-0.44.0). Those in embedded blocks come after the
   * rules files', at their host's lines.
   */
  redefinitions?: Redefinition[];
  /**
   * Where tuning of this rule must go when it is not the local rules file: a rule defined in a Helm chart's
   * customRules loads, by the chart's default, after falco_rules.local.yaml (rules.d is last), where an override of it
   * would make Falco refuse to start; its exceptions go into its own block, which holds in any order.
   */
  tuningTarget?: TuningTarget;
}

/** Where a rule is defined again. */
export interface Redefinition extends Location {
  /** Set for an embedded block (a chart's customRules entry, a ConfigMap's data entry, a Rulesfile's inlineRules),
   *  which Falco reads from /etc/falco/rules.d: its label and holder as its TuningTarget gives them. */
  block?: Pick<TuningTarget, 'label' | 'holder' | 'chartLoad'>;
}

/** A rules file that tuning quick fixes write into instead of the local rules file. */
export interface TuningTarget {
  /** How titles name it: its host by the path relative to the workspace folder (`deploy/values.yaml, customRules
   *  'rules-nginx.yaml'`). */
  label: string;
  /** A Falco Operator Rulesfile's inlineRules (the operator's Falco has no local rules file), or another block (a
   *  chart's customRules entry, a ConfigMap's data entry). */
  holder: 'inlineRules' | 'block';
  /** For a chart's customRules entry: the paths the rendered falco.yaml's rules_files reads and the entry's place among
   *  them (null: Falco Lens cannot tell, a path through `${VAR}`), and the paths the values mount into Falco's
   *  container; where the local rules file loads, and whether it is the workspace's, is read from it. */
  chartLoad?: { paths: readonly string[]; at: number; mounts?: readonly string[] } | null;
  /** Its text, which an insertion's offset refers to. */
  text: string;
  /** The edit that inserts `text` at `offset` of that file, in the document that holds it; undefined where the editor
   *  holds that document with changes Falco Lens has not read (service/edits.ts filesEdit): save it first. */
  edit(insertion: { offset: number; text: string }): WorkspaceEdit | undefined;
}

/**
 * A rules file of a Falco deployment of the workspace as a tuning target: a chart values' customRules entry, or a file
 * the Falco Operator writes into /etc/falco/rules.d (a Rulesfile's inlineRules, a ConfigMap's rules.yaml).
 */
export interface DeploymentEntry extends TuningTarget {
  /** Its name in Falco's rules folder: the customRules key; for the operator, the name it gives the file
   *  (`<priority>-<sub-priority>-<name>-<medium>.yaml`), which is Falco's load order. */
  key: string;
  /** Its path in Falco's container (`/etc/falco/rules.d/<key>`). */
  podPath: string;
  /** For the operator: its Rulesfile's spec.selector (embedded/regions.ts OperatorPlace.selector), absent where it
   *  applies on every node. */
  selector?: string;
  /** For the Rulesfile the operator's tuning adds (not written yet): the same file with the spec.selector `selector`
   *  (undefined: none), which must be the nodes where the rule is defined; undefined when it cannot be written. */
  selecting?(selector: string | undefined): DeploymentEntry | undefined;
}

/**
 * A Falco deployment of the workspace whose Falco never reads the workspace's local rules file, so tuning for it goes
 * into its own rules files: a Helm chart's values (embedded/regions.ts ChartValues: the values' customRules), or the
 * Rulesfiles of one folder and namespace that a Falco Operator's Falco reads (embedded/index.ts groupOf: that Falco
 * reads /etc/falco/rules.d only).
 */
export interface DeploymentTarget {
  kind: 'chart' | 'operator';
  /** The values file, or the folder of the Rulesfiles (for the order they are offered in: nearest the alert log). */
  path: string;
  /** How messages name it: the values file, or the Rulesfiles' folder, relative to the workspace folder. */
  label: string;
  /** For the operator: the Rulesfiles' metadata.namespace ('' where they name none). */
  namespace?: string;
  /** Its rules files that Falco loads, in load order. */
  entries: DeploymentEntry[];
  /** The file that takes tuning when no entry has an item of the rule: the one Falco Lens adds (one of `entries` once
   *  it exists, else a new one, whose text is empty); undefined when none can be added. */
  tuning?: DeploymentEntry;
  /** For the operator: the files of the group whose rules Falco Lens does not have, by the name the operator gives
   *  them: an OCI artifact's (with its repository), or a Rulesfile's ConfigMap that no file of the workspace holds. */
  unknown?: { fileName: string; repository?: string; selector?: string }[];
}

export interface RulesWorkspace {
  findRule(name: string): RuleSummary | undefined;
  allRules(): RuleSummary[];
  /** Whether the loaded rules files define a list of this name (Falco pastes its items wherever the name stands as a
   *  word of a condition's text, rule_loader_compiler.cpp resolve_list). */
  isListName?(name: string): boolean;
  /** Validates `text` as if it were the rules file at `uri`, loaded after every other rules file. */
  validateText(uri: string, text: string): Diagnostic[];
  /** The text of a rules document open in the editor (it may differ from the disk), or undefined when not open. */
  documentText?(uri: string): string | undefined;
  /** The Falco deployments of the workspace (chart values, Falco Operator Rulesfiles), for tuning their Falco. */
  deployments?(): DeploymentTarget[];
  /** How messages name the rules file at `path` (a loaded file's label, one not loaded named among the loaded files:
   *  rules/workspace.ts fileLabels), so that titles tell two folders' falco_rules.local.yaml apart. */
  fileLabel?(path: string): string;
}

/** Guesses the language of a file from its path and first line (the same rules as package.json). */
export function detectLanguage(path: string, firstLine: string): FalcoLanguageId | undefined {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/^falco\.ya?ml$/.test(base) || /\/falco\/config\.d\/[^/]+\.ya?ml$/.test(p)) return LANGUAGE_CONFIG;
  if (/^falco_rules.*\.yaml$/.test(base) || /_rules\.ya?ml$/.test(base) || /\.falco\.yaml$/.test(base) || /\/rules\.d\/[^/]+\.yaml$/.test(p)) {
    return LANGUAGE_RULES;
  }
  if (/^falco.*\.log$/.test(base) || /^falco.*\.json$/.test(base) || /\.falco\.jsonl$/.test(base) || /^falco_events.*\.json/.test(base)
    || isKubeletFalcoLog(p)) {
    return LANGUAGE_ALERTS;
  }
  if (ALERT_FIRST_LINE.test(firstLine)) return LANGUAGE_ALERTS;
  if (/\.ya?ml$/.test(base) && /^\s*-\s*(rule|macro|list|required_engine_version)\s*:/m.test(firstLine)) return LANGUAGE_RULES;
  return undefined;
}

/**
 * The log files kubelet writes for a container named `falco` (the Falco chart's DaemonSet names its container so):
 * `pods/<namespace>_<pod>_<uid>/falco/<restarts>.log` (kuberuntime BuildContainerLogsDirectory, buildContainerLogsPath),
 * its rotated files `<restarts>.log.<YYYYMMDD-HHMMSS>` and those compressed (`.gz`: pkg/kubelet/logs
 * container_log_manager.go rotateLatestLog, compressLog), and the link kubelet keeps to the live one in
 * `containers/`, `<pod>_<namespace>_falco-<container id>.log` (logSymlink). A `.log` is VS Code's Log language by its
 * extension: without these patterns (package.json's falco-alerts filenamePatterns, which this mirrors) such a file was
 * never an alert log. The folders are matched without /var/log, where a node's logs copied elsewhere keep them.
 */
function isKubeletFalcoLog(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  return /\/pods\/[^/]*_[^/]*_[^/]*\/falco\/[^/]*\.log(\.[^/]*-[^/]*)?$/.test(p) || /\/containers\/[^/]*_[^/]*_falco-[^/]*\.log$/.test(p);
}

/** Mirrors the firstLine pattern of package.json (a test keeps the two equal). */
export const ALERT_FIRST_LINE = new RegExp(
  '^((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?\\S*\\s+std(out|err)\\s+[FP]\\s+)?(\\{.*"(rule|output_fields|priority)"\\s*:|(\\d{2}:\\d{2}:\\d{2}\\.\\d{9}|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}[+-]\\d{4}):\\s+(Emergency|Alert|Critical|Error|Warning|Notice|Informational|Info|Debug)\\b)|[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\S+ falco(\\[\\d+\\])?: |([A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{4}): Falco )',
);

/** Thrown by a service when it refuses a request for a reason the user should read (a rename onto a taken name);
 *  the adapter answers with this message as the request's error instead of logging a failure. */
export class RequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestRefused';
  }
}
