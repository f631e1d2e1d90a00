// Rules files embedded in other YAML files (regions.ts finds them: a Helm chart's customRules, a ConfigMap's data).
// Each embedded file is served by the rules service as a document of its own — its URI is the host's with a fragment
// naming the entry — and everything that comes back is moved to the host: ranges and locations shift by the file's
// first line and by the columns its lines were cut by, a line break in an edit gains the block's indentation, links in
// hovers point at host lines. The host keeps every other feature of its YAML tooling: this service answers only
// inside the embedded files, and for the entries that hold them.
import { isAbsolute } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity, type CodeAction, type CodeActionContext, type CompletionItem, type CompletionList, type Diagnostic,
  type DocumentHighlight, type Hover, type Location, type MarkupContent, type Position, type Range, type SelectionRange,
  type SemanticTokens, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { RequestRefused, type DeploymentEntry, type DeploymentTarget, type DocumentFeatures, type RuleSummary, type RulesWorkspace } from '../features';
import type { EmbeddedHooks, RulesService } from '../rules';
import { createConfigService } from '../config';
import { ConfigCode } from '../config/diagnostics';
import type { ServiceHost } from '../host';
import { LineIndex, lineEnding, withoutTrailing } from '../text';
import { URI_TO_PATH, pathToUri } from '../uri';
import { helmWrittenBack, kubectlPlain, kubectlScalar, kubectlWords, operatorWrittenBack, type KubectlScalar } from '../kubectlYaml';
import { isScalar, parseAllDocuments, parseDocument, visit } from 'yaml';
import { displayPath } from '../displayPath';
import { escapeMarkdown } from '../markdown';
import { filesEdit, mergeEdits, type FileEdits, type OpenDocuments } from '../edits';
import { LATEST_FALCO } from '../../knowledge/falcoVersions';
import { lineTarget } from '../rules/hover';
import { isDefinitionSymbol, MAX_WORKSPACE_SYMBOLS, symbolMatches } from '../rules/symbols';
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-types';
import {
  analyzeHost, configMapEntry, falcoDependencies, mayHoldRules, missingEntry, operatorFileName, selectorText, shiftedColumns, toEmbedded, toHost, toHostRange, HolderCode,
  OPERATOR_CONFIG_DIR, OPERATOR_RULES_DIR, CHART_RULES_DIR, CHART_TUNING_KEY,
  type ChartValues, type ConfigMapSummary, type EmbeddedFile, type FalcoDependency, type HolderProblem, type HostAnalysis, type OperatorOci,
  type OperatorPlace, type OperatorRef,
} from './regions';
import { umbrellaChartFolder } from './hostSniff';
import { addEntryEdit, type HostTextEdit } from './chartValues';
import { wholePlainScalars } from './operatorScalars';
import { OPERATOR_TUNING_FILE, OPERATOR_TUNING_PRIORITY, OPERATOR_TUNING_RESOURCE, tuningDocumentInsertion, tuningRulesfile } from './operatorTuning';
import { operatorPod, podFiles, type OperatorConfigFile } from './configMap';
import { envLookup } from './containerEnv';
import { droppedFields, exampleText, nodesKey, nodesName, nodesOutside, readableSelector, sameNodes } from './selectors';
import { operatorRuleSources } from '../alerts/loadOrder';
import { NO_EARLIER_RULE, nodesOf } from '../alerts/tuning';
import { parseRulesFile, type ModelItem } from '../rules/model';
import { fileLabels, isDefinitionItem } from '../rules/workspace';

export { analyzeHost, mayHoldRules, HolderCode } from './regions';

/** A rules file of an operator's namespace whose rules Falco Lens does not have (DeploymentTarget.unknown). */
type UnknownFile = NonNullable<DeploymentTarget['unknown']>[number];

/** One embedded file as served: where it sits, its document, and the service that answers for it. */
interface Placed {
  file: EmbeddedFile;
  doc: TextDocument;
  set: string;
  features: DocumentFeatures;
}

interface HostState {
  uri: string;
  text: string;
  /** The setting falcoLens.embeddedRules when the state was computed. */
  enabled: boolean;
  /** The target release (falcoLens.falcoVersion) the entries' names were judged at. */
  target: string;
  lines: LineIndex;
  placed: Placed[];
  problems: HolderProblem[];
  /** The OCI artifacts of the host's Falco Operator Rulesfiles (for the load order of the others). */
  oci: OperatorOci[];
  /** The rules sets of the host (set key → their documents' URIs), to forget them when they go. */
  sets: Map<string, string[]>;
  /** The configMapRefs of its Falco Operator resources that name a ConfigMap of another file, and its ConfigMaps. */
  refs: OperatorRef[];
  configMaps: ConfigMapSummary[];
  /** The places its ConfigMaps' rules.yaml entries were given by other files' Rulesfiles (crossPlaces), as a key. */
  crossKey: string;
  /** Its Falco chart values mappings (for tuning the chart's Falco). */
  chart: ChartValues[];
  /** Its Falco Operator Rulesfiles and Configs, whatever they hold (a name a new Rulesfile must not take). */
  resources: NonNullable<HostAnalysis['resources']>;
  /** The dependencies on Falco's chart of the Chart.yaml beside it, as a key (umbrellaKey), when it was analyzed. */
  umbrella: string;
}

export type EmbeddedService = DocumentFeatures & {
  /** The embedded files of a host text, for the CLI and tests. */
  embeddedFiles(uri: string, text: string): { uri: string; key: string; text: string }[];
  /** Whether an open document holds rules files or Falco Operator Configs (its changes change what other documents read). */
  holdsRules(uri: string): boolean;
  /**
   * Makes the rules of the workspace's closed YAML files that hold rules files known to the rules service (for the
   * alerts service), as the workspace's closed rules files are. Cheap when nothing changed since the last call.
   */
  syncWorkspace(): void;
  /**
   * `rules` without the rules that only the closed files read by syncWorkspace define: what a configuration service
   * reads, so that its answers do not depend on whether an alert log made the alerts service read them.
   */
  withoutClosedFiles(rules: RulesWorkspace): RulesWorkspace;
  /** The Falco deployments of the open documents and of the closed files syncWorkspace read, each whose Falco reads
   *  no rules file of the workspace (a chart's values, the Rulesfiles of a Falco Operator's namespace), by path: where
   *  tuning of their Falco goes. All of them: which are offered first is the alerts service's choice (the nearest to
   *  the alert log, alerts/index.ts tuningPlaces). */
  deployments(): DeploymentTarget[];
};

/**
 * How much of the workspace is read to find closed files holding rules: the first MAX_SCANNED_FILES YAML files in
 * the order of scanOrder, together at most MAX_SCANNED_BYTES, none over MAX_FILE_BYTES (mayHoldRules refuses longer
 * texts). A file is read again only when the client reports it changed (or the settings change).
 */
const MAX_SCANNED_FILES = 500;
const MAX_SCANNED_BYTES = 32 * 1024 * 1024;
const MAX_FILE_BYTES = 4_000_000;

/**
 * The order the workspace's YAML files are read in to find embedded rules, so that a large repository's Falco
 * deployment is found within the budget: paths (below their workspace folder) naming Falco first, then file names of
 * Helm values, Flux HelmReleases, Argo CD Applications and ConfigMaps, then the others; the walk's order within each.
 */
export function scanOrder(paths: readonly string[], folders: readonly string[]): string[] {
  const rank = (path: string): number => {
    const folder = folders.filter((f) => path.startsWith(f.endsWith('/') ? f : `${f}/`)).sort((a, b) => b.length - a.length)[0];
    const inside = (folder ? path.slice(folder.length) : path).toLowerCase();
    if (inside.includes('falco')) return 0;
    const base = inside.slice(inside.lastIndexOf('/') + 1);
    return /values|release|application|configmap|rulesfile/.test(base) ? 1 : 2;
  };
  return paths.map((path, i) => ({ path, i, rank: rank(path) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((e) => e.path);
}

const SEVERITY: Record<HolderProblem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information,
};

/** The URI the rules service knows an embedded file by: the host's, with the entry in the fragment. */
export function embeddedUri(hostUri: string, index: number, key: string): string {
  return `${hostUri.replace(/#.*$/, '')}#falco-lens-embedded-${index}/${encodeURIComponent(key)}`;
}

export function createEmbeddedService(rules: RulesService, host: ServiceHost): EmbeddedService {
  /** Documents open in the editor (their text). */
  const hosts = new Map<string, HostState>();
  /**
   * The workspace's closed YAML files read by syncWorkspace, by URI: their size, and their state when they hold rules
   * files (its sets known to the rules service). A file is in `hosts` or here, never in both.
   */
  const diskHosts = new Map<string, { size: number; state?: HostState; stale?: boolean }>();
  /** The workspace's YAML files when syncWorkspace last ran, and whether something changed since. */
  let scannedList: readonly string[] | undefined;
  let scanStale = false;
  let budgetLogged = false;
  /** Counts the changes of diskHosts (for withoutClosedFiles). */
  let diskVersion = 0;

  /** Whether a rule is one only a closed file read by syncWorkspace defines (its location is in that file). */
  const fromClosedFile = (rule: RuleSummary): boolean => rule.tuningTarget !== undefined && diskHosts.get(rule.location?.uri ?? '')?.state !== undefined;
  const withoutClosedFiles = (base: RulesWorkspace): RulesWorkspace => {
    let kept: { all: RuleSummary[]; closed: number; rules: RuleSummary[] } | undefined;
    return {
      findRule: (name) => { const rule = base.findRule(name); return rule && !fromClosedFile(rule) ? rule : undefined; },
      allRules: () => {
        // The same array while the rules and the closed files are the same (callers may keep what they built on it).
        const all = base.allRules();
        const closed = diskVersion;
        if (kept?.all !== all || kept.closed !== closed) kept = { all, closed, rules: diskHosts.size === 0 ? all : all.filter((r) => !fromClosedFile(r)) };
        return kept.rules;
      },
      validateText: (uri, text) => base.validateText(uri, text),
      documentText: (uri) => base.documentText?.(uri),
    };
  };
  // The chart's falco: values are laid over the chart's own configuration, which Falco Lens does not have.
  /** The env of Falco's container that the manifest holding a configuration file gives (regions.ts EmbeddedFile.env). */
  const environment = (uri: string) => {
    const env = lookup.placed(uri)?.p.file.env;
    return env && envLookup(env);
  };
  const configOverlay = createConfigService(host, withoutClosedFiles(rules), { overlay: true, environment });

  const targetOf = () => host.settings().falcoVersion ?? LATEST_FALCO;

  const forgetSets = (state: HostState | undefined) => {
    if (state) for (const [set, uris] of state.sets) rules.forgetEmbedded(set, uris);
  };

  /** The state of an open document's text, computed once per text (sets whose files changed are loaded afresh). */
  const stateOf = (uri: string, text: string): HostState => {
    const enabled = host.settings().embeddedRules;
    const target = targetOf();
    let known = hosts.get(uri);
    if (!known) {
      // A workspace file read from disk and now opened: the editor's text takes over its sets.
      known = diskHosts.get(uri)?.state;
      if (diskHosts.delete(uri)) diskVersion++;
      forgetDiskTwins(uri);
    }
    if (known && known.text === text && known.enabled === enabled && known.target === target && known.crossKey === crossKeyOf(known) && known.umbrella === umbrellaKey(uri)) {
      hosts.set(uri, known);
      // A manifest closed since (didClose) is read from the disk again before a Rulesfile's features look for the
      // ConfigMaps it names there: a rename right after the close would find no definition otherwise.
      if (!scanStale || !operatorHost(known)) return known;
      syncWorkspace();
      return hosts.get(uri) ?? known;
    }
    const state = buildState(uri, text, enabled, known);
    hosts.set(uri, state);
    if (operatorHost(state) || (known && operatorHost(known))) {
      // The other files of its folder may hold Rulesfiles of the same load order, and other files the ConfigMaps its
      // Rulesfiles name (or Rulesfiles naming its ConfigMaps): the closed ones are read.
      if (operatorHost(state)) syncWorkspace();
      refreshGroups();
    }
    // Reading the workspace may have placed its ConfigMaps' entries (refreshGroups builds it again then).
    return hosts.get(uri) ?? state;
  };

  /** Whether the host is a chart's own values.yaml: Helm's chart loader takes the file of that name beside Chart.yaml
   *  as the chart's values (helm pkg/chart/loader/load.go:97-105 at v3.19.5). */
  const chartOwnValues = (uri: string): boolean => {
    const path = URI_TO_PATH(uri);
    if (path === undefined || !/(^|[\\/])values\.yaml$/.test(path)) return false;
    // Listed, not read: the file's name is enough, and the walk's budget counts the files read.
    return host.readDirectory(path.slice(0, -'/values.yaml'.length) || '/')?.includes('Chart.yaml') === true;
  };

  /** The Chart.yaml of each folder asked about (read once, until a watched change names it): its dependencies on
   *  Falco's chart; none where the folder has no Chart.yaml. */
  const chartDependencies = new Map<string, FalcoDependency[]>();
  /**
   * The dependencies on Falco's chart of the chart whose folder holds the host (a values file beside an umbrella
   * chart's Chart.yaml: its own values.yaml, or another values file given to it), regions.ts falcoDependencies. Helm
   * reads no other YAML file of the folder as values, and the chart's own files are no values.
   */
  const umbrellaOf = (uri: string): FalcoDependency[] => {
    const path = URI_TO_PATH(uri);
    const folder = path === undefined ? undefined : umbrellaChartFolder(path);
    if (folder === undefined) return [];
    let known = chartDependencies.get(folder);
    if (!known) {
      const listed = host.readDirectory(folder);
      const read = (name: string) => (listed?.includes(name) ? host.readFile(`${folder === '/' ? '' : folder}/${name}`) : undefined);
      const chart = read('Chart.yaml');
      // Helm reads requirements.yaml (a Helm 2 chart's dependencies) into the same metadata, after Chart.yaml.
      known = chart === undefined ? [] : falcoDependencies(chart, read('requirements.yaml'));
      chartDependencies.set(folder, known);
    }
    return known;
  };
  /** The chart's own values.yaml of each umbrella folder asked about (read once, until a watched change names it). */
  const chartValuesTexts = new Map<string, string | undefined>();
  /**
   * The umbrella chart's own values.yaml, where the host is another values file of it (given with -f): Helm coalesces
   * the two before it decides whether the dependency is installed (regions.ts dependencyOff).
   */
  const umbrellaDefaults = (uri: string): string | undefined => {
    const path = URI_TO_PATH(uri);
    const folder = path === undefined ? undefined : umbrellaChartFolder(path);
    if (folder === undefined || umbrellaOf(uri).length === 0 || chartOwnValues(uri)) return undefined;
    if (!chartValuesTexts.has(folder)) {
      chartValuesTexts.set(folder, host.readDirectory(folder)?.includes('values.yaml') ? host.readFile(`${folder === '/' ? '' : folder}/values.yaml`) : undefined);
    }
    return chartValuesTexts.get(folder);
  };
  const umbrellaKey = (uri: string): string => JSON.stringify([umbrellaOf(uri), umbrellaDefaults(uri) ?? null]);

  /** The state of a host text: its embedded files, and their sets given to the rules service (`known`: the previous
   *  state of the same host, whose sets that lost files are forgotten first). */
  const buildState = (uri: string, text: string, enabled: boolean, known: HostState | undefined): HostState => {
    const target = targetOf();
    const umbrella = umbrellaOf(uri);
    const chartValues = umbrellaDefaults(uri);
    const analysis: HostAnalysis = enabled ? analyzeHost(text, target, { chartDefaults: chartOwnValues(uri), ...(umbrella.length > 0 ? { umbrella } : {}), ...(chartValues !== undefined ? { chartValues } : {}) }) : { files: [], problems: [] };
    // A ConfigMap's rules.yaml that a Rulesfile of another file names loads with that Rulesfile's group.
    const cross = crossPlaces(uri, analysis.files, analysis.configMaps ?? []);
    for (const [file, place] of cross) file.operator = place;
    const hostPath = URI_TO_PATH(uri);
    const docs = analysis.files.map((file, i) => ({
      file,
      doc: TextDocument.create(embeddedUri(uri, i, file.key), file.kind === 'rules' ? 'falco-rules' : 'falco-config', 1, file.text),
      set: `${uri}\u0000${file.set}`,
    }));
    const sets = new Map<string, string[]>();
    // A Falco Operator Rulesfile's rules load with the other Rulesfiles of their folder and namespace (groupOf).
    for (const d of docs) if (d.file.kind === 'rules' && !d.file.operator) sets.set(d.set, [...(sets.get(d.set) ?? []), d.doc.uri]);
    // A set that lost files, or is gone, is forgotten (its cached load and parses) before it is loaded again.
    if (known) {
      for (const [set, before] of known.sets) {
        const now = sets.get(set) ?? [];
        if (before.some((u) => !now.includes(u))) rules.forgetEmbedded(set, before);
      }
    }
    const setFeatures = new Map<string, DocumentFeatures>();
    for (const [set, uris] of sets) {
      const files = docs.filter((d) => uris.includes(d.doc.uri)).map((d) => ({ uri: d.doc.uri, path: hostPath, text: d.file.text }));
      // Rules of the set are known to the alerts service too, at their host's positions, and tuned in their block.
      setFeatures.set(set, rules.embedded(set, files, hooksOf(uri)));
    }
    // A ConfigMap's configuration entries are files of one pod: falco.yaml is the whole configuration, merged with
    // the entries its config_files names (configMap.ts), served by a configuration service that reads them there.
    // A file the Falco Operator writes from a Config (its config, or its ConfigMap's config.yaml) is a file of the
    // pod's /etc/falco/config.d, merged with the other Configs of its namespace (configGroupFeatures).
    const inPod = (file: EmbeddedFile) => file.holder === 'configMap' && !file.operator;
    const podConfigs = new Map<string, DocumentFeatures>();
    for (const d of docs) {
      if (d.file.kind !== 'config' || !inPod(d.file) || podConfigs.has(d.set)) continue;
      const entries = docs.filter((o) => o.set === d.set && o.file.kind === 'config' && inPod(o.file)).map((o) => ({ uri: o.doc.uri, key: o.file.key, text: o.file.text }));
      const pod = podFiles(host, entries, d.file.configMap?.placement);
      podConfigs.set(d.set, createConfigService(pod.host, withoutClosedFiles(rules), { pod }));
    }
    const placed: Placed[] = docs.map((d) => ({
      ...d,
      features: d.file.kind === 'rules'
        ? (d.file.operator ? groupFeatures(groupFor(uri, d.file.operator)) : setFeatures.get(d.set)!)
        : d.file.operator ? configGroupFeatures(configGroupFor(uri, d.file.operator)) : inPod(d.file) ? podConfigs.get(d.set)! : configOverlay,
    }));
    return {
      uri, text, enabled, target, lines: new LineIndex(text), placed, problems: analysis.problems, oci: analysis.oci ?? [], sets,
      refs: analysis.refs ?? [], configMaps: analysis.configMaps ?? [], crossKey: crossKey(cross), chart: analysis.chartValues ?? [],
      resources: analysis.resources ?? [], umbrella: umbrellaKey(uri),
    };
  };

  /** Reads a closed workspace file again: its sets follow its text on disk. */
  const readDiskHost = (uri: string, path: string, size: number | undefined, enabled: boolean): void => {
    const before = diskHosts.get(uri);
    const text = size !== undefined && size > MAX_FILE_BYTES ? undefined : host.readFile(path);
    if (before?.state && before.state.text === text && before.state.enabled === enabled && before.state.target === targetOf() && before.state.umbrella === umbrellaKey(uri)) {
      diskHosts.set(uri, { size: before.size, state: before.state });
      diskVersion++;
      return;
    }
    const state = text !== undefined && enabled && (mayHoldRules(text) || umbrellaOf(uri).length > 0) ? buildState(uri, text, enabled, before?.state) : undefined;
    const holds = state && (state.sets.size > 0 || operatorHost(state) || state.oci.length > 0 || state.configMaps.length > 0 || state.chart.length > 0);
    if (!holds) forgetSets(state ?? before?.state);
    diskHosts.set(uri, { size: size ?? text?.length ?? 0, state: holds ? state : undefined });
    diskVersion++;
  };

  /** The real paths of the open hosts' files, where the host can tell them (a file open through a link). */
  const openRealPaths = (): Set<string> => {
    const out = new Set<string>();
    if (!host.realPath) return out;
    for (const uri of hosts.keys()) {
      const path = URI_TO_PATH(uri);
      const real = path === undefined ? undefined : host.realPath(path);
      if (real !== undefined) out.add(real);
    }
    return out;
  };
  /**
   * A file open in the editor under one path and read from disk under another (a link to it in the workspace, or the
   * workspace's file opened through a link): one file, whose sets and deployments are the open document's. The disk
   * host of another path of the file `uri` opens is forgotten (syncWorkspace reads it again once it is closed), as
   * syncWorkspace reads one path only of a file the walk lists under several. Its edits name the document the editor
   * has open under another path, in any language (service/edits.ts filesEdit, editedUri).
   */
  const forgetDiskTwins = (uri: string): void => {
    const path = URI_TO_PATH(uri);
    if (diskHosts.size === 0 || path === undefined || !host.realPath) return;
    const real = host.realPath(path);
    if (real === undefined) return;
    for (const [other, known] of diskHosts) {
      const otherPath = URI_TO_PATH(other);
      if (otherPath === undefined || host.realPath(otherPath) !== real) continue;
      forgetSets(known.state);
      diskHosts.delete(other);
      hookObjects.delete(other);
      diskVersion++;
      scanStale = true;
    }
  };

  const syncWorkspace = (): void => {
    const list = rules.workspaceYamlFiles();
    if (list === scannedList && !scanStale) return;
    scannedList = list;
    scanStale = false;
    const enabled = host.settings().embeddedRules;
    const wanted = new Set<string>();
    const openReal = openRealPaths();
    const readReal = new Set<string>();
    if (enabled) {
      let bytes = 0;
      const ordered = scanOrder(list, host.workspaceFolders());
      for (const [n, path] of ordered.entries()) {
        if (n >= MAX_SCANNED_FILES || bytes >= MAX_SCANNED_BYTES) {
          if (!budgetLogged) host.log(`Falco rules inside YAML files: read ${n} of the workspace's ${ordered.length} YAML files (${Math.round(bytes / 1024)} KB) to find Helm values and manifests that hold rules; alerts of rules written in the other files are known while they are open.`);
          budgetLogged = true;
          break;
        }
        const uri = pathToUri(path);
        if (hosts.has(uri)) { wanted.add(uri); continue; }
        // Another path of a file the editor has open, or of one read already (links): one file, read once.
        const real = host.realPath ? host.realPath(path) ?? path : path;
        if (openReal.has(real) || readReal.has(real)) continue;
        readReal.add(real);
        wanted.add(uri);
        const known = diskHosts.get(uri);
        if (!known || known.stale) readDiskHost(uri, path, host.fileSize?.(path), enabled);
        bytes += diskHosts.get(uri)?.size ?? 0;
      }
    }
    for (const [uri, known] of diskHosts) {
      if (wanted.has(uri)) continue;
      forgetSets(known.state);
      diskHosts.delete(uri);
      diskVersion++;
      hookObjects.delete(uri);
    }
    refreshGroups();
  };

  // ---- The Falco Operator's Rulesfiles: one load order per folder and namespace ----
  //
  // The artifact operator of a Falco pod writes the Rulesfiles of the pod's namespace into /etc/falco/rules.d, which
  // Falco reads sorted by file name (regions.ts). The Rulesfiles of the YAML files of one folder (a kustomization, a
  // folder given to kubectl apply -f) with the same metadata.namespace are taken as those one Falco reads: their rules
  // files are one set of the rules service, in the operator's order, loaded after the workspace's rules files,
  // whichever file of the folder holds them (open in the editor, or a closed one read by syncWorkspace). Files of
  // other folders are other deployments (a kustomize overlay per cluster), as are other namespaces.
  const groups = new Map<string, string[]>();
  const stateOfHost = (uri: string): HostState | undefined => hosts.get(uri) ?? diskHosts.get(uri)?.state;
  function* allStates(): Generator<HostState> {
    yield* hosts.values();
    for (const known of diskHosts.values()) if (known.state) yield known.state;
  }
  const groupOf = (hostUri: string, namespace: string): string => {
    // An untitled document is a folder of its own.
    const path = URI_TO_PATH(hostUri) ?? hostUri;
    return `falco-operator\u0000${path.slice(0, path.lastIndexOf('/') + 1)}\u0000${namespace}`;
  };
  /** The group's rules files in the order Falco reads them: by the name the operator gives them, then by host. */
  const membersOf = (group: string): { state: HostState; p: Placed }[] => {
    const members: { state: HostState; p: Placed }[] = [];
    for (const state of allStates()) {
      for (const p of state.placed) if (p.file.kind === 'rules' && p.file.operator && groupFor(state.uri, p.file.operator) === group) members.push({ state, p });
    }
    const order = (m: { state: HostState; p: Placed }) => [m.p.file.operator!.fileName, m.state.uri, m.p.doc.uri];
    return members.sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    });
  };
  /** Gives the rules service the group's current files (it keeps its features while they are the same). */
  const syncGroup = (group: string): DocumentFeatures | undefined => {
    const members = membersOf(group);
    const uris = members.map((m) => m.p.doc.uri);
    const before = groups.get(group);
    if (before && before.some((u) => !uris.includes(u))) rules.forgetEmbedded(group, before);
    if (members.length === 0) {
      groups.delete(group);
      return undefined;
    }
    groups.set(group, uris);
    return rules.embedded(group, members.map((m) => ({ uri: m.p.doc.uri, path: URI_TO_PATH(m.state.uri), text: m.p.file.text })), operatorHooks);
  };
  /** After a host changed, opened, closed or was read from disk: every group follows (the alerts read their rules),
   *  and the hosts whose ConfigMaps' entries another file's Rulesfiles now name otherwise are built again. */
  const refreshGroups = (): void => {
    for (const state of [...allStates()]) {
      if (state.crossKey === crossKeyOf(state)) continue;
      const rebuilt = buildState(state.uri, state.text, state.enabled, state);
      if (hosts.get(state.uri) === state) hosts.set(state.uri, rebuilt);
      else diskHosts.set(state.uri, { size: diskHosts.get(state.uri)?.size ?? state.text.length, state: rebuilt });
    }
    const wanted = new Set(groups.keys());
    for (const state of allStates()) for (const p of state.placed) if (p.file.kind === 'rules' && p.file.operator) wanted.add(groupFor(state.uri, p.file.operator));
    for (const group of wanted) syncGroup(group);
  };
  const holdsOperatorFiles = (state: HostState): boolean => state.placed.some((p) => p.file.operator);
  /** Whether a host's state depends on other files: files the operator writes (rules or configuration), or
   *  configMapRefs to other files. */
  const operatorHost = (state: HostState): boolean => holdsOperatorFiles(state) || state.refs.length > 0;
  /** The group of an operator rules file: its host's folder, or for a ConfigMap's entry that a Rulesfile of another
   *  file names, that file's folder. */
  const groupFor = (hostUri: string, place: OperatorPlace): string => groupOf(place.via ?? hostUri, place.namespace);
  const folderOf = (uri: string): string => { const path = URI_TO_PATH(uri) ?? uri; return path.slice(0, path.lastIndexOf('/') + 1); };

  // ---- configMapRefs across files ----
  //
  // The operator reads a configMapRef's ConfigMap from the resource's namespace in the cluster (manager.go
  // StoreFromConfigMap), whichever file applied it: a ConfigMap of another YAML file of the workspace (open, or read
  // by syncWorkspace) with that name and metadata.namespace is taken, one of the referring file's folder first, else
  // the first by URI. Its rules.yaml is then read at the first such Rulesfile's place (by URI of its file), in that
  // Rulesfile's group, as a ConfigMap of the same manifest is (regions.ts placeOperatorFiles).

  /** The ConfigMap of another file that a configMapRef of the host `from` names (`candidate`: a host being built, in
   *  place of its state). */
  const resolveRef = (from: string, ref: OperatorRef, candidate?: { uri: string; configMaps: readonly ConfigMapSummary[] }): { uri: string; map: ConfigMapSummary } | undefined => {
    const folder = folderOf(from);
    let best: { uri: string; map: ConfigMapSummary; rank: number } | undefined;
    const consider = (uri: string, maps: readonly ConfigMapSummary[]) => {
      if (uri === from) return;
      const map = maps.find((c) => c.name === ref.name && c.namespace === ref.namespace);
      if (!map) return;
      const rank = folderOf(uri) === folder ? 0 : 1;
      if (!best || rank < best.rank || (rank === best.rank && uri < best.uri)) best = { uri, map, rank };
    };
    for (const state of allStates()) if (state.uri !== candidate?.uri) consider(state.uri, state.configMaps);
    if (candidate) consider(candidate.uri, candidate.configMaps);
    return best;
  };
  /** The kind of resource whose configMapRef reads an embedded file of a ConfigMap (rules.yaml, config.yaml). */
  const readerKind = (file: EmbeddedFile): OperatorRef['kind'] => (file.kind === 'rules' ? 'Rulesfile' : 'Config');
  /** A ConfigMap's rules.yaml or config.yaml that only another file's Rulesfile or Config can place (not one its own
   *  manifest places). */
  const crossCandidate = (file: EmbeddedFile): boolean => file.holder === 'configMap' && file.configMap !== undefined && file.key === configMapEntry(readerKind(file)) && (!file.operator || file.operator.via !== undefined);
  /** The places other files' Rulesfiles give the host's ConfigMap entries. */
  const crossPlaces = (uri: string, files: readonly EmbeddedFile[], configMaps: readonly ConfigMapSummary[]): Map<EmbeddedFile, OperatorPlace> => {
    const out = new Map<EmbeddedFile, OperatorPlace>();
    const candidates = files.filter(crossCandidate);
    if (candidates.length === 0) return out;
    const referrers = [...allStates()].filter((s) => s.uri !== uri && s.refs.length > 0).sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    for (const file of candidates) {
      for (const from of referrers) {
        const ref = from.refs.find((r) => r.kind === readerKind(file) && r.name === file.configMap!.name && r.namespace === file.configMap!.namespace && resolveRef(from.uri, r, { uri, configMaps })?.uri === uri);
        if (!ref) continue;
        out.set(file, { kind: ref.kind, resource: ref.resource, namespace: ref.namespace, fileName: operatorFileName(ref.priority, 'configmap', ref.resource), via: from.uri, ...(ref.selector !== undefined ? { selector: ref.selector } : {}) });
        break;
      }
    }
    return out;
  };
  const crossKey = (places: Map<EmbeddedFile, OperatorPlace>): string => [...places].map(([f, p]) => `${f.keySpan[0]}\u0000${p.via}\u0000${p.fileName}\u0000${p.selector ?? ''}`).join('\n');
  /** The key of the places a state's ConfigMap entries would be given now (its crossKey when nothing changed). */
  const crossKeyOf = (state: HostState): string => {
    const files = state.placed.map((p) => p.file);
    return files.some(crossCandidate) ? crossKey(crossPlaces(state.uri, files, state.configMaps)) : '';
  };
  /** The host's configMapRefs to other files: a ConfigMap that none holds, or one without the entry read. */
  const refNotes = (state: HostState): Diagnostic[] => {
    const out: Diagnostic[] = [];
    for (const ref of state.refs) {
      const found = resolveRef(state.uri, ref);
      const problem: HolderProblem | undefined = found ? missingEntry(ref.kind, found.map, ref.span) : {
        code: HolderCode.OperatorConfigMapMissing, span: ref.span, severity: 'warning',
        message: `No ConfigMap '${ref.name}'${ref.namespace ? ` of namespace '${ref.namespace}'` : ' without a namespace'} is in this manifest or in the workspace's YAML files that Falco Lens reads. Until one exists in the ${ref.kind}'s namespace, the operator writes nothing of this ${ref.kind} (not its inline ${ref.kind === 'Rulesfile' ? 'rules or OCI artifact' : 'configuration'} either: its ResolvedRefs condition is False), and Falco Lens checks ${ref.kind === 'Rulesfile' ? 'its inlineRules' : 'its config'} as if it were written.`,
      };
      if (problem) out.push({ range: state.lines.range(problem.span[0], problem.span[1]), severity: SEVERITY[problem.severity], code: problem.code, source: 'falco-lens', message: problem.message });
    }
    return out;
  };
  /** The features of a group's file, asked of the group as it is when called (its other files may have changed). */
  const groupFeatures = (group: string): DocumentFeatures => {
    const now = (): DocumentFeatures => syncGroup(group) ?? { diagnostics: () => [] };
    return {
      documentSymbols: (doc) => now().documentSymbols?.(doc) ?? [],
      diagnostics: (doc, token) => now().diagnostics(doc, token),
      hover: (doc, position) => now().hover?.(doc, position) ?? null,
      completion: (doc, position) => now().completion?.(doc, position) ?? null,
      definition: (doc, position) => now().definition?.(doc, position) ?? [],
      references: (doc, position, includeDeclaration) => now().references?.(doc, position, includeDeclaration) ?? [],
      documentHighlights: (doc, position) => now().documentHighlights?.(doc, position) ?? null,
      selectionRanges: (doc, positions) => now().selectionRanges?.(doc, positions) ?? null,
      prepareRename: (doc, position) => now().prepareRename?.(doc, position) ?? null,
      rename: (doc, position, newName) => now().rename?.(doc, position, newName) ?? null,
      codeActions: (doc, range, context) => now().codeActions?.(doc, range, context) ?? [],
      semanticTokens: (doc) => now().semanticTokens?.(doc) ?? { data: [] },
    };
  };
  // ---- The Falco Operator's Configs: one configuration per folder, namespace and node selector ----
  //
  // The artifact operator writes the Configs of its pod's namespace into /etc/falco/config.d (regions.ts), which the
  // operator's falco.yaml includes: Falco merges them after it, in file-name order (merge.ts), a later Config's key
  // replacing an earlier one's (a list appended from Falco 0.41). The Configs of one folder and namespace are taken as
  // those one Falco reads, as the Rulesfiles are (groupOf). A Config with a spec.selector is written only on the
  // nodes it selects: it is merged with the Configs without one and those with the same selector; a Config without
  // one is checked with the Configs without one (the nodes no selector picks), and told where a Config with a selector
  // replaces one of its keys on the nodes it selects (selectorNotes). Selectors are compared by the nodes they pick
  // (selectors.ts nodesKey: `pool=gpu` in matchLabels or as `pool In [gpu]` is one group). Two different selectors may
  // pick the same node: Falco Lens does not know the nodes' labels, so each is merged apart.
  const configGroupFor = (hostUri: string, place: OperatorPlace): string => `${groupFor(hostUri, place)}\u0001${nodesKey(place.selector)}`;
  /** The group's configuration files in the order Falco reads them (a name given twice: the first by URI). */
  const configMembers = (group: string): OperatorConfigFile[] => {
    const cut = group.lastIndexOf('\u0001');
    const [base, selector] = [group.slice(0, cut), group.slice(cut + 1)];
    const found: { fileName: string; host: string; file: OperatorConfigFile }[] = [];
    for (const state of allStates()) {
      for (const p of state.placed) {
        const place = p.file.operator;
        if (p.file.kind !== 'config' || !place || groupFor(state.uri, place) !== base || (place.selector !== undefined && nodesKey(place.selector) !== selector)) continue;
        const at = `${hostName(state.uri)}:${state.lines.positionAt(p.file.keySpan[0]).line + 1}`;
        const label = p.file.holder === 'configMap' ? `the ConfigMap '${p.file.configMap?.name ?? ''}' of Config '${place.resource}'` : `Config '${place.resource}'`;
        found.push({ fileName: place.fileName, host: state.uri, file: { uri: p.doc.uri, fileName: place.fileName, text: p.file.text, label, at, resource: place.resource, ...(place.selector !== undefined ? { selector: place.selector } : {}) } });
      }
    }
    found.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
    return found.filter((f, i) => i === 0 || found[i - 1].fileName !== f.fileName).map((f) => f.file);
  };
  /**
   * Notes on the keys of a Config without a selector that a Config with one replaces on the nodes it selects: that
   * Config is written there beside it and merged in file-name order like any other (controllers/artifact/config/
   * controller.go:100 at v0.4.1 skips a Config only where its selector does not match). Read from the merge of each
   * selector's group; a key the Configs of every node already replace has its note (`own`) and gets none.
   */
  const selectorNotes = (state: HostState, p: Placed, own: readonly Diagnostic[]): Diagnostic[] => {
    const place = p.file.operator;
    if (p.file.kind !== 'config' || !place || place.selector !== undefined) return [];
    const base = groupFor(state.uri, place);
    // Each selector's nodes once (nodesKey), in the order of a spelling of it (the least selector key).
    const selectors = new Map<string, string>();
    for (const other of allStates()) {
      for (const o of other.placed) {
        const at = o.file.operator;
        if (o.file.kind !== 'config' || at?.selector === undefined || groupFor(other.uri, at) !== base) continue;
        const key = nodesKey(at.selector);
        if (!selectors.has(key) || at.selector < selectors.get(key)!) selectors.set(key, at.selector);
      }
    }
    const replaced = new Set(own.filter((d) => d.code === ConfigCode.Overridden).map((d) => (d.data as { key?: string } | undefined)?.key));
    const out: Diagnostic[] = [];
    for (const [selector] of [...selectors].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const group = `${base}\u0001${selector}`;
      const members = configMembers(group);
      for (const d of configGroupFeatures(group).diagnostics(p.doc)) {
        const data = d.data as { key?: string; by?: string } | undefined;
        const by = members.find((m) => `${OPERATOR_CONFIG_DIR}/${m.fileName}` === data?.by);
        if (d.code !== ConfigCode.Overridden || !by?.selector || replaced.has(data?.key)) continue;
        out.push({
          ...d,
          message: `On the nodes that Config '${by.resource}' selects (${selectorText(by.selector)}), ${String(d.message)} The artifact operator writes a Config with a selector only on the nodes it selects; on the nodes where no such Config replaces it, Falco uses this '${data?.key ?? ''}'.`,
        });
      }
    }
    return out;
  };
  /** One configuration service per group, reading the group's files as they are when it is asked. */
  const configGroups = new Map<string, DocumentFeatures>();
  const configGroupFeatures = (group: string): DocumentFeatures => {
    let features = configGroups.get(group);
    if (!features) {
      const pod = operatorPod(host, () => configMembers(group));
      configGroups.set(group, features = createConfigService(pod.host, withoutClosedFiles(rules), { pod, environment }));
    }
    return features;
  };

  /** Notes on a host's Rulesfile rules that Falco reads before an OCI artifact of their group (Falco Lens does not
   *  have the artifact's rules: it loads the workspace's rules files first). */
  const loadOrderNotes = (state: HostState): Diagnostic[] => {
    const out: Diagnostic[] = [];
    for (const p of state.placed) {
      const place = p.file.operator;
      if (p.file.kind !== 'rules' || !place) continue;
      const group = groupFor(state.uri, place);
      const later: OperatorOci[] = [];
      for (const other of allStates()) for (const o of other.oci) if (groupOf(other.uri, o.namespace) === group && o.fileName > place.fileName) later.push(o);
      if (later.length === 0) continue;
      later.sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
      // The official rules (falcosecurity/rules/falco-rules and the others of that repository) first.
      const official = later.find((o) => /(^|\/)falcosecurity\/rules\//.test(o.repository));
      const o = official ?? later[0];
      out.push({
        range: state.lines.range(p.file.keySpan[0], p.file.keySpan[1]), severity: official ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
        code: HolderCode.OperatorLoadsBefore, source: 'falco-lens',
        message: `Falco reads this file (${OPERATOR_RULES_DIR}/${place.fileName}) before the rules that Rulesfile '${o.resource}' pulls from ${o.repository || 'its OCI artifact'} (${o.fileName}): nothing they define is defined yet when Falco reads it (a macro used here is unknown, a list's name is read as a plain value), and an override of one of their items stops Falco. Falco Lens checks this file after the workspace's rules files. A priority of ${o.priority} or more puts it after them.`,
      });
    }
    return out;
  };
  /** A host as tuning titles name it: its path relative to the workspace folder (displayPath), so that the values.yaml
   *  of two folders are told apart; the file's name for a document without a path. */
  const hostLabel = (uri: string): string => {
    const file = URI_TO_PATH(uri);
    return file ? displayPath(file, host.workspaceFolders()) : hostName(uri);
  };
  /** A folder (ending with '/') as messages name it: relative to the workspace folder, or that folder itself. */
  const folderLabel = (folder: string): string => {
    const file = withoutTrailing(folder, '/');
    return host.workspaceFolders().some((f) => withoutTrailing(f, '/') === file) ? 'the workspace folder' : displayPath(file, host.workspaceFolders());
  };
  const mapper = (state: HostState) => new HostMapper(state, lookup);
  /** How the mapper finds the files and links of other hosts (a group's files are in several). */
  const lookup: HostLookup = {
    openDocument: (uri) => host.openDocument?.(uri),
    unsavedElsewhere: (uri) => host.unsavedElsewhere?.(uri) ?? false,
    ...(host.openUris ? { openUris: () => host.openUris!() } : {}),
    ...(host.realPath ? { realPath: (path: string) => host.realPath!(path) } : {}),
    log: (message) => host.log(message),
    placed(uri) {
      const state = stateOfHost(uri.replace(/#.*$/, ''));
      const p = state?.placed.find((x) => x.doc.uri === uri);
      return state && p ? { state, p } : undefined;
    },
    linked(base) {
      for (const state of allStates()) if (lineTarget(state.uri) === base) return state;
      return undefined;
    },
  };

  /** What the rules service is told of a host's embedded files, read from the host's current state when asked (one
   *  object per host, so that the rules service keeps its summaries while the blocks are unchanged). */
  const hookObjects = new Map<string, EmbeddedHooks>();
  const hooksOf = (uri: string): EmbeddedHooks => {
    let hooks = hookObjects.get(uri);
    if (!hooks) hookObjects.set(uri, hooks = newHooks(uri));
    return hooks;
  };
  /** `fixed`: the host of every file of the set; without it (a Rulesfile group), each file's own host. */
  const newHooks = (fixed?: string): EmbeddedHooks => ({
    toHost(location) {
      const current = stateOfHost(fixed ?? location.uri.replace(/#.*$/, ''));
      return current ? mapper(current).location(location) : location;
    },
    tuningTarget(fileUri) {
      const uri = fixed ?? fileUri.replace(/#.*$/, '');
      const placedNow = () => {
        const current = stateOfHost(uri);
        const p = current?.placed.find((x) => x.doc.uri === fileUri);
        return current && p ? { current, p } : undefined;
      };
      const found = placedNow();
      if (!found) return undefined;
      const label = hostLabel(uri);
      // The text and the edit are read from the host as it is when the quick fix is built (it may have moved since).
      return {
        label: `${label}, ${holderLabel(found.p.file)}`,
        holder: found.p.file.holder === 'rulesfile' ? 'inlineRules' : 'block',
        ...(found.p.file.chartLoad !== undefined ? { chartLoad: found.p.file.chartLoad } : {}),
        get text() { return placedNow()?.p.file.text ?? ''; },
        edit: (insertion) => {
          const now = placedNow();
          if (!now) return {};
          const at = now.p.doc.positionAt(insertion.offset);
          const map = mapper(now.current);
          return map.mapped(() => 'a tuning edit', () => map.workspaceEdit({ changes: { [now.p.doc.uri]: [{ range: { start: at, end: at }, newText: insertion.text }] } })) ?? {};
        },
      };
    },
  });

  // ---- Falco chart values: where tuning of the chart's Falco goes (regions.ts ChartValues) ----

  /** The values mappings whose added entry was written and read back once (a text Falco Lens cannot write into
   *  offers no entry). */
  const writable = new WeakMap<ChartValues, boolean>();
  const canAdd = (state: HostState, values: ChartValues): boolean => {
    let ok = writable.get(values);
    if (ok === undefined) writable.set(values, ok = addEntryEdit(state.text, values, CHART_TUNING_KEY, '- rule: x\n  enabled: false\n') !== undefined);
    return ok;
  };
  /** addEntryEdit of a values mapping (a host state's, kept while its text is unchanged), remembered per text written:
   *  code actions are asked on every cursor move in a log, each time with the same texts. */
  const entryEdits = new WeakMap<ChartValues, Map<string, HostTextEdit | undefined>>();
  const entryEdit = (text: string, values: ChartValues, body: string): HostTextEdit | undefined => {
    let known = entryEdits.get(values);
    if (!known) entryEdits.set(values, known = new Map());
    if (!known.has(body)) {
      if (known.size >= 32) known.clear();
      known.set(body, addEntryEdit(text, values, CHART_TUNING_KEY, body));
    }
    return known.get(body);
  };
  /** The entry tuning quick fixes add to a host's values; its text and edit read from the host when the fix is built. */
  const addedEntry = (uri: string, values: ChartValues): DeploymentEntry => ({
    key: CHART_TUNING_KEY, podPath: `${CHART_RULES_DIR}/${CHART_TUNING_KEY}`,
    label: `${hostLabel(uri)}, new customRules entry '${CHART_TUNING_KEY}'`, holder: 'block', chartLoad: values.add?.chartLoad ?? null, text: '',
    edit: (insertion) => {
      const now = stateOfHost(uri);
      const same = now?.chart.find((c) => c.doc === values.doc && c.path.length === values.path.length && c.path.every((k, i) => k === values.path[i]));
      const edit = now && same && entryEdit(now.text, same, insertion.text);
      return now && edit ? filesEdit(host, [{ uri, text: now.text, edits: [{ range: now.lines.range(edit.start, edit.end), newText: edit.newText }] }]) : {};
    },
  });
  const chartTargets = (state: HostState): DeploymentTarget[] => state.chart.map((values) => {
    const hooks = hooksOf(state.uri);
    const entries: DeploymentEntry[] = [];
    for (const file of values.files) {
      const p = state.placed.find((x) => x.file === file);
      const target = p && hooks.tuningTarget(p.doc.uri);
      if (target) entries.push({ ...target, key: file.key, podPath: `${CHART_RULES_DIR}/${file.key}` });
    }
    const own = entries.find((e) => e.key === CHART_TUNING_KEY);
    const tuning = own ?? (values.add && canAdd(state, values) ? addedEntry(state.uri, values) : undefined);
    return { kind: 'chart', path: URI_TO_PATH(state.uri) ?? state.uri, label: hostLabel(state.uri), entries, ...(tuning ? { tuning } : {}) };
  });

  // ---- The Falco Operator's Rulesfiles: where tuning of the operator's Falco goes ----
  //
  // The Falco the operator deploys reads /etc/falco/rules.d only (regions.ts, its last section): the Rulesfiles of its
  // namespace, never the workspace's local rules file. Each group (folder and namespace, groupOf) holding a Rulesfile
  // is a target: its rules files in load order, the files whose rules Falco Lens does not have (OCI artifacts, a
  // Rulesfile's ConfigMap no file of the workspace holds), and the Rulesfile tuning adds (operatorTuning.ts): the
  // group's own `falco-lens-tuning` once it exists, else a new manifest file in the group's folder, offered only where
  // no file of that name exists and no Rulesfile of the group has that name. Each file has its Rulesfile's
  // spec.selector; the new one is written with the selector of the rule's definitions (`selecting`, chosen per rule by
  // alerts/index.ts deploymentPlace).

  const writableRulesfiles = new Map<string, boolean>();
  /** Whether the tuning Rulesfile of a namespace reads back as written (asked on every code action request: once). */
  const rulesfileWritable = (namespace: string, eol: string, selector: string | undefined): boolean => {
    const key = `${namespace}\u0000${eol}\u0000${selector ?? ''}`;
    let ok = writableRulesfiles.get(key);
    if (ok === undefined) {
      if (writableRulesfiles.size >= 64) writableRulesfiles.clear();
      writableRulesfiles.set(key, ok = tuningRulesfile(namespace, '- rule: x\n  enabled: false\n', eol, selector) !== undefined);
    }
    return ok;
  };
  /** The new tuning Rulesfile of a group: `falco-lens-tuning.yaml` in its folder (`-<namespace>` added where the folder
   *  holds the Rulesfiles of several namespaces), written with the line breaks of the group's files; without a
   *  selector, and `selecting` one. */
  const newRulesfile = (folder: string, namespace: string, several: boolean, eol: string): DeploymentEntry | undefined => {
    if (several && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) return undefined;
    const file = `${folder}${OPERATOR_TUNING_RESOURCE}${several ? `-${namespace}` : ''}.yaml`;
    const uri = pathToUri(file);
    const free = () => !hosts.has(uri) && host.readFile(file) === undefined;
    if (!free()) return undefined;
    // Titles name a selector in kubectl's -l syntax where it is short (they end with what matters, and are cut).
    const nodes = (selector: string) => {
      const text = selectorText(selector);
      return text !== '' && text.length <= 40 ? text : 'of the rule\'s definition';
    };
    const withSelector = (selector: string | undefined): DeploymentEntry | undefined => (!rulesfileWritable(namespace, eol, selector) ? undefined : {
      key: OPERATOR_TUNING_FILE, podPath: `${OPERATOR_RULES_DIR}/${OPERATOR_TUNING_FILE}`, holder: 'inlineRules', text: '',
      label: `new Rulesfile '${OPERATOR_TUNING_RESOURCE}' (${displayPath(file, host.workspaceFolders())}${selector !== undefined ? `, spec.selector ${nodes(selector)}` : ''})`,
      ...(selector !== undefined ? { selector } : {}), selecting: withSelector,
      edit: (insertion) => {
        const text = tuningRulesfile(namespace, insertion.text, eol, selector);
        // Created, never written over: the client refuses the whole edit where the file exists by then.
        return text !== undefined && free() ? { documentChanges: [{ kind: 'create', uri }, { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] }] } : {};
      },
    });
    return withSelector(undefined);
  };
  /** A host's operator rules files whose rules Falco Lens does not have: its OCI Rulesfiles' artifacts, and the
   *  ConfigMaps its Rulesfiles name that no file holds (each with its Rulesfile's namespace). */
  const unknownFiles = (state: HostState): { namespace: string; file: UnknownFile }[] => {
    const selectorField = (selector: string | undefined) => (selector !== undefined ? { selector } : {});
    const out = state.oci.map((o): { namespace: string; file: UnknownFile } => ({ namespace: o.namespace, file: { fileName: o.fileName, repository: o.repository, ...selectorField(o.selector) } }));
    for (const ref of state.refs) {
      if (ref.kind === 'Rulesfile' && !resolveRef(state.uri, ref)) out.push({ namespace: ref.namespace, file: { fileName: operatorFileName(ref.priority, 'configmap', ref.resource), ...selectorField(ref.selector) } });
    }
    return out;
  };
  const byFileName = (a: { fileName: string }, b: { fileName: string }) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0);

  /**
   * Overrides that the operator writes on nodes where what they override is not: a rules file of a Rulesfile (its
   * inlineRules, its ConfigMap's rules.yaml) with an item that overrides, appends to or enables a rule, or appends to
   * a macro or a list, defined only in files Falco reads before it (the group's, and its OCI artifacts and ConfigMaps
   * not found, which may) whose spec.selectors leave out some node this file's picks. There Falco reads the item
   * without the definition and refuses to start: ERROR_NO_PREVIOUS_RULE_APPEND / _REPLACE and the enabled-only item's
   * (rule_loader_collector.cpp 0.44.0:230,300,376), ERROR_NO_PREVIOUS_LIST / _MACRO for an `append: true` or
   * `override: {items|condition: append}` (:189,200; :194,207 at 0.37.0, :167,178 at 0.39.0–0.43.0; a
   * LOAD_ERR_VALIDATE at every release). A macro's or list's `override: …: replace` is a definition (the reader
   * calls collector.define, rule_loader_reader.cpp 0.44.0:584-589, 641-646): nothing to report. Said on the item's
   * name: an error where no node this file is written on has the definition, else a warning (which nodes the cluster
   * has, Falco Lens does not know), with such a node's labels; an information where the selectors are too many to
   * compare (selectors.ts nodesOutside's bound). A definition earlier in the same file is on its nodes; a name no earlier file defines is the rules
   * checks' (and tuning's) case.
   */
  const overrideNodeNotes = (state: HostState): Diagnostic[] => {
    const out: Diagnostic[] = [];
    const map = mapper(state);
    const overrides = (i: ModelItem) => (i.kind === 'rule' || i.kind === 'macro' || i.kind === 'list') && !isDefinitionItem(i);
    for (const p of state.placed) {
      const place = p.file.operator;
      if (p.file.kind !== 'rules' || !place || place.kind !== 'Rulesfile') continue;
      const model = parseRulesFile(p.doc.uri, p.file.text);
      if (!model.items.some(overrides)) continue;
      const group = groupFor(state.uri, place);
      const earlier = membersOf(group).map(({ p: m }) => ({ key: m.file.operator!.fileName, text: m.file.text, selector: m.file.operator!.selector })).filter((m) => m.key < place.fileName);
      const unknown: UnknownFile[] = [];
      for (const other of allStates()) for (const u of unknownFiles(other)) if (groupOf(other.uri, u.namespace) === group && u.file.fileName < place.fileName) unknown.push(u.file);
      unknown.sort(byFileName);
      // The rules, macros and lists each earlier file defines (kind and name), read once (its chunks' parses are
      // shared with the rules service's).
      const defined = new Map<string, Set<string>>();
      const definedIn = (text: string): Set<string> => {
        let names = defined.get(text);
        if (!names) {
          names = new Set(parseRulesFile('', text).items.filter((i) => i.name !== undefined && isDefinitionItem(i)).map((i) => `${i.kind}\u0000${i.name}`));
          defined.set(text, names);
        }
        return names;
      };
      const seen = new Set<string>();
      for (const item of model.items) {
        if ((item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') || item.name === undefined) continue;
        const kind = item.kind;
        const name = item.name;
        if (seen.has(`${kind}\u0000${name}`)) continue;
        seen.add(`${kind}\u0000${name}`);
        if (isDefinitionItem(item)) continue;
        const sources = operatorRuleSources(earlier, unknown, name, [], (text, n) => definedIn(text).has(`${kind}\u0000${n}`), kind);
        const outside = sources.length === 0 ? undefined : nodesOutside(place.selector, sources.map((s) => s.selector));
        // A selector the operator cannot read has a finding of its own (regions.ts selectorProblems).
        if (outside === undefined || (outside === 'unknown' && ![place.selector, ...sources.map((s) => s.selector)].every(readableSelector))) continue;
        const span = item.nameSpan ?? item.span;
        const range = { start: p.doc.positionAt(span.start), end: p.doc.positionAt(span.end) };
        const what = kind === 'rule' ? `this override of rule '${name}'` : `this append to ${kind} '${name}'`;
        const defining = sources.map((s) => `${OPERATOR_RULES_DIR}/${s.fileName}${s.maybe ? ' (which may define it)' : ''} on ${nodesOf(s.selector)}`).join(', ');
        const written = `the operator writes Rulesfile '${place.resource}' (${OPERATOR_RULES_DIR}/${place.fileName}) on ${nodesOf(place.selector)}, and the ${kind} is defined by ${defining}`;
        const data = { [kind]: name, ...(place.selector !== undefined ? { selector: place.selector } : {}), definitions: sources };
        // Selectors are compared as the API server stores them, without the fields it drops (selectors.ts storedSelector).
        const dropped = [...new Set([place.selector, ...sources.map((s) => s.selector)].flatMap(droppedFields))];
        const stored = dropped.length === 0 ? '' : ` The selectors are compared as the API server stores them, without ${dropped.map((f) => `'${f}'`).join(', ')}, which a label selector does not have (kubectl apply refuses such a resource unless told not to validate it strictly).`;
        if (outside === 'unknown') {
          out.push(map.diagnostic(p, {
            range, severity: DiagnosticSeverity.Information, code: HolderCode.OperatorOverrideNodes, source: 'falco-lens', data,
            message: `Falco Lens cannot tell whether every node where ${what} is written has the ${kind}'s definition: the selectors name too many label combinations to compare (${written}). Where a node lacks it, Falco refuses to start.${stored}`,
          }));
          continue;
        }
        const refusal = kind === 'rule' ? NO_EARLIER_RULE : `Falco refuses to start on an append to a ${kind} that no earlier rules file defines ('${kind === 'macro' ? 'Macro uses \'append\' or \'override.condition: append\' but no macro' : 'List uses \'append\' or \'override.items: append\' but no list'} by that name already exists')`;
        const why = `Each Falco pod's artifact operator writes a Rulesfile only where its spec.selector matches its node's labels, and ${refusal}. Give this Rulesfile the spec.selector of the definition, or one that picks fewer nodes.`;
        out.push(map.diagnostic(p, {
          range, severity: outside.overlap ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
          code: HolderCode.OperatorOverrideNodes, source: 'falco-lens', data,
          message: outside.overlap
            ? `Falco refuses to start on the nodes where ${what} is written without the ${kind}'s definition (a node ${exampleText(outside.example)}, for one): ${written}. ${why}${stored}`
            : `Falco refuses to start on every node where ${what} is written: none of them has the ${kind}'s definition (a node ${exampleText(outside.example)}, for one): ${written}. ${why}${stored}`,
        }));
      }
    }
    return out;
  };
  /**
   * A second tuning Rulesfile of a namespace whose falco-lens-tuning (in the manifest `uri`) has other nodes than the
   * rule's definitions: named after the selector's nodes (selectors.ts nodesName, with its hash where a Rulesfile of
   * the namespace has that name; `-every-node` for no selector), at the same priority, added as a document of that
   * manifest after its last tuning Rulesfile (operatorTuning.ts tuningDocumentInsertion) — the file that the cluster's
   * operator already applies for Falco Lens's tuning. Undefined where both names
   * are taken or the manifest does not read back with it.
   */
  const addedRulesfile = (uri: string, namespace: string, selector: string | undefined, names: ReadonlySet<string>): DeploymentEntry | undefined => {
    const named = (hashed: boolean) => (selector === undefined ? (hashed ? undefined : `${OPERATOR_TUNING_RESOURCE}-every-node`) : nodesName(OPERATOR_TUNING_RESOURCE, selector, hashed));
    const name = [named(false), named(true)].find((n) => n !== undefined && !names.has(n));
    if (name === undefined || !appendedRulesfile(uri, namespace, name, selector, '- rule: x\n  enabled: false\n')) return undefined;
    const file = operatorFileName(OPERATOR_TUNING_PRIORITY, 'inline', name);
    const text = selector === undefined ? '' : selectorText(selector);
    return {
      key: file, podPath: `${OPERATOR_RULES_DIR}/${file}`, holder: 'inlineRules', text: '',
      label: `new Rulesfile '${name}' (${hostLabel(uri)}, ${selector === undefined ? 'every node' : `spec.selector ${text !== '' && text.length <= 40 ? text : 'of the rule\'s definition'}`})`,
      ...(selector !== undefined ? { selector } : {}),
      edit: (insertion) => {
        const now = stateOfHost(uri);
        const edit = appendedRulesfile(uri, namespace, name, selector, insertion.text);
        return now && edit ? filesEdit(host, [{ uri, text: now.text, edits: [edit] }]) : {};
      },
    };
  };
  /** The edit adding the tuning Rulesfile `name` holding `rules` to the manifest `uri` as it is now (a document after
   *  its last tuning Rulesfile, with its line breaks), remembered per text; undefined unless the manifest then reads back as
   *  before plus that Rulesfile. */
  const appendedEdits = new WeakMap<HostState, Map<string, TextEdit | undefined>>();
  const appendedRulesfile = (uri: string, namespace: string, name: string, selector: string | undefined, rules: string): TextEdit | undefined => {
    const now = stateOfHost(uri);
    if (!now) return undefined;
    let known = appendedEdits.get(now);
    if (!known) appendedEdits.set(now, known = new Map());
    const memo = `${name}\u0000${selector ?? ''}\u0000${rules}`;
    if (known.has(memo)) return known.get(memo);
    if (known.size >= 32) known.clear();
    const eol = lineEnding(now.text);
    const manifest = tuningRulesfile(namespace, rules, eol, selector, name);
    let edit: TextEdit | undefined;
    if (manifest !== undefined) {
      const text = now.text;
      const insert = tuningDocumentInsertion(text, namespace, manifest, eol);
      const before = analyzeHost(text, now.target);
      const after = analyzeHost(text.slice(0, insert.offset) + insert.text + text.slice(insert.offset), now.target);
      const added = after.files.filter((f) => f.operator?.resource === name && f.operator.namespace === namespace);
      const same = after.problems.length === before.problems.length && after.files.length === before.files.length + 1 && added.length === 1
        && (selector === undefined ? added[0].operator?.selector === undefined : sameNodes(added[0].operator?.selector, selector));
      if (same) edit = { range: now.lines.range(insert.offset, insert.offset), newText: insert.text };
    }
    known.set(memo, edit);
    return edit;
  };
  const operatorTargets = (): DeploymentTarget[] => {
    const found = new Map<string, { folder: string; namespace: string; unknown: { fileName: string; repository?: string; selector?: string }[]; names: Set<string>; eol: string }>();
    const groupAt = (uri: string, namespace: string) => {
      const key = groupOf(uri, namespace);
      let group = found.get(key);
      if (!group) found.set(key, group = { folder: folderOf(uri), namespace, unknown: [], names: new Set(), eol: '\n' });
      return group;
    };
    const selectorField = (selector: string | undefined) => (selector !== undefined ? { selector } : {});
    for (const state of allStates()) {
      for (const r of state.resources) {
        if (r.kind !== 'Rulesfile') continue;
        const group = groupAt(state.uri, r.namespace);
        group.names.add(r.resource);
        if (lineEnding(state.text) !== '\n') group.eol = lineEnding(state.text);
      }
      for (const u of unknownFiles(state)) groupAt(state.uri, u.namespace).unknown.push(u.file);
    }
    const perFolder = new Map<string, number>();
    for (const g of found.values()) perFolder.set(g.folder, (perFolder.get(g.folder) ?? 0) + 1);
    return [...found].map(([key, g]): DeploymentTarget => {
      const entries: DeploymentEntry[] = [];
      let own: { entry: DeploymentEntry; uri: string } | undefined;
      // The tuning Rulesfiles Falco Lens wrote: falco-lens-tuning, and those it added for other nodes.
      const tunings: DeploymentEntry[] = [];
      for (const { state, p } of membersOf(key)) {
        const target = operatorHooks.tuningTarget(p.doc.uri);
        if (!target) continue;
        const place = p.file.operator!;
        const entry: DeploymentEntry = { ...target, key: place.fileName, podPath: `${OPERATOR_RULES_DIR}/${place.fileName}`, ...selectorField(place.selector) };
        entries.push(entry);
        if (p.file.holder !== 'rulesfile' || !(place.resource === OPERATOR_TUNING_RESOURCE || place.resource.startsWith(`${OPERATOR_TUNING_RESOURCE}-`))) continue;
        tunings.push(entry);
        if (place.resource === OPERATOR_TUNING_RESOURCE) own = { entry, uri: state.uri };
      }
      // Another selector than falco-lens-tuning's: the tuning Rulesfile of those nodes, else a new one in its manifest.
      if (own) own.entry.selecting = (selector) => tunings.find((t) => sameNodes(t.selector, selector)) ?? addedRulesfile(own!.uri, g.namespace, selector, g.names);
      const tuning = own?.entry ?? (g.names.has(OPERATOR_TUNING_RESOURCE) || !isAbsolute(g.folder) ? undefined : newRulesfile(g.folder, g.namespace, (perFolder.get(g.folder) ?? 0) > 1, g.eol));
      const unknown = g.unknown.sort(byFileName);
      return { kind: 'operator', path: g.folder, label: folderLabel(g.folder), namespace: g.namespace, entries, ...(tuning ? { tuning } : {}), unknown };
    });
  };

  const at = (doc: TextDocument, position: Position) => {
    const state = stateOf(doc.uri, doc.getText());
    for (const p of state.placed) {
      const inner = toEmbedded(p.file, position);
      // A '<<' line of a Rulesfile stands for the pairs it merges (regions.ts withMerges): nothing there to point at.
      if (inner && p.file.merged?.[inner.line]) return undefined;
      if (inner) return { state, placed: p, inner, features: p.features };
    }
    return undefined;
  };

  const operatorHooks = newHooks();

  return {
    diagnostics(doc) {
      const state = stateOf(doc.uri, doc.getText());
      if (operatorHost(state)) syncWorkspace();
      const out: Diagnostic[] = state.problems.map((p) => ({
        range: state.lines.range(p.span[0], p.span[1]), severity: SEVERITY[p.severity], code: p.code, source: 'falco-lens', message: p.message,
        ...(p.replacement !== undefined ? { data: { replacement: p.replacement } } : {}),
      }));
      out.push(...loadOrderNotes(state), ...refNotes(state), ...overrideNodeNotes(state));
      const map = mapper(state);
      for (const p of state.placed) {
        const found = p.features.diagnostics(p.doc);
        for (const d of found) {
          // A Config listing config_files is a holder problem (regions.ts), whose advice fits the operator: the
          // merge's refusal of the same key is not repeated.
          if (p.file.holder === 'operatorConfig' && d.code === 'config-start-fails' && (d.data as { key?: string } | undefined)?.key === 'config_files') continue;
          // A finding in the pairs a Rulesfile's '<<' merges (regions.ts withMerges) stands on the '<<' line: said so.
          if (!p.file.merged?.[d.range.start.line]) { out.push(map.diagnostic(p, d)); continue; }
          const mapped = map.diagnostic(p, typeof d.message === 'string' ? { ...d, message: `${d.message} (In the keys the '<<' of this line merges, as kubectl expands it.)` } : d);
          // On the '<<' key itself.
          out.push({ ...mapped, range: { start: mapped.range.start, end: { line: mapped.range.start.line, character: mapped.range.start.character + 2 } } });
        }
        for (const d of selectorNotes(state, p, found)) out.push(map.diagnostic(p, d));
      }
      return out;
    },
    hover(doc, position) {
      const target = at(doc, position);
      if (!target) return null;
      const hover = target.features.hover?.(target.placed.doc, target.inner);
      return hover ? mapper(target.state).hover(target.placed, hover) : null;
    },
    completion(doc, position) {
      const target = at(doc, position);
      if (!target) return null;
      const list = target.features.completion?.(target.placed.doc, target.inner);
      return list ? mapper(target.state).completionList(target.placed, list) : null;
    },
    definition(doc, position) {
      const target = at(doc, position);
      if (!target) return [];
      const map = mapper(target.state);
      return (target.features.definition?.(target.placed.doc, target.inner) ?? []).map((l) => map.location(l));
    },
    references(doc, position, includeDeclaration) {
      const target = at(doc, position);
      if (!target) return [];
      const map = mapper(target.state);
      return (target.features.references?.(target.placed.doc, target.inner, includeDeclaration) ?? []).map((l) => map.location(l));
    },
    documentHighlights(doc, position) {
      const target = at(doc, position);
      if (!target) return null;
      const map = mapper(target.state);
      const own = target.features.documentHighlights?.(target.placed.doc, target.inner);
      if (!own) return null;
      const out: DocumentHighlight[] = own.map((h) => ({ ...h, range: map.range(target.placed, h.range) }));
      // A name is also highlighted in the host's other embedded files that use it (a chart's other customRules
      // entries): each answers at one of its occurrences, which the references name.
      const others = target.state.placed.filter((p) => p !== target.placed && p.file.kind === 'rules');
      const references = own.length > 0 && others.length > 0 ? target.features.references?.(target.placed.doc, target.inner, true) ?? [] : [];
      for (const p of others) {
        const first = references.find((l) => l.uri === p.doc.uri);
        if (!first) continue;
        for (const h of p.features.documentHighlights?.(p.doc, first.range.start) ?? []) out.push({ ...h, range: map.range(p, h.range) });
      }
      return out;
    },
    selectionRanges(doc, positions) {
      let served = false;
      const out = positions.map((position): SelectionRange => {
        const target = at(doc, position);
        const inner = target?.features.selectionRanges?.(target.placed.doc, [target.inner])?.[0];
        if (!target || !inner) return { range: { start: position, end: position } };
        served = true;
        return mapper(target.state).selectionRange(target.placed, inner, position);
      });
      return served ? out : null;
    },
    prepareRename(doc, position) {
      const target = at(doc, position);
      if (!target) return null;
      const result = target.features.prepareRename?.(target.placed.doc, target.inner);
      return result ? { range: mapper(target.state).range(target.placed, result.range), placeholder: result.placeholder } : null;
    },
    rename(doc, position, newName) {
      const target = at(doc, position);
      if (!target) return null;
      const edit = target.features.rename?.(target.placed.doc, target.inner, newName);
      if (!edit) return null;
      const kubectlConflict = kubectlRenameConflict(edit, newName, (uri) => {
        const p = lookup.placed(uri)?.p;
        return p && { holder: p.file.holder, text: p.doc.getText(), hostLine: (line: number) => toHost(p.file, { line, character: 0 }).line };
      });
      if (kubectlConflict) throw new RequestRefused(kubectlConflict);
      let mapped: WorkspaceEdit | undefined;
      try {
        // The new text is the name the user typed: written whole even where it holds Falco's text of a scalar.
        mapped = mapper(target.state).workspaceEdit(edit, true);
      } catch (err) {
        if (err instanceof InexactEdit) throw new RequestRefused(`Cannot rename: ${err.message}. Rename it by hand.`);
        throw err;
      }
      if (!mapped) throw new RequestRefused(`Cannot rename: a file holding the name is open in the editor with changes Falco Lens has not read (open as another language than YAML). Save it and rename again.`);
      return mapped;
    },
    codeActions(doc, range, context) {
      const state = stateOf(doc.uri, doc.getText());
      const map = mapper(state);
      const out: CodeAction[] = holderFixes(state, range, context);
      for (const p of state.placed) {
        const start = toEmbedded(p.file, range.start);
        const end = toEmbedded(p.file, range.end);
        if (!start && !end) continue;
        const inner: Range = { start: start ?? { line: 0, character: 0 }, end: end ?? { line: p.file.cuts.length, character: 0 } };
        // The editor's diagnostics are the host's: the ones inside this file go back to its positions. A finding in
        // text kubectl writes over the host's whole (an alias's copy, a flow '<<' pair's merged pairs) is shown on all
        // of it (toHostRange), which maps back to all of it: its own range is the file's finding that maps to it (a
        // fix there edits what it found).
        let own: Diagnostic[] | undefined;
        const diagnostics = context.diagnostics.flatMap((d) => {
          const s = toEmbedded(p.file, d.range.start);
          const e = toEmbedded(p.file, d.range.end);
          if (!s || !e) return [];
          const copied = shiftedColumns(p.file, s.line, Math.min(e.line, p.file.cuts.length - 1)).some((c) => c.whole && c.from < e.character && c.to > s.character);
          const found = copied ? (own ??= p.features.diagnostics(p.doc)).find((o) => sameFinding(map.diagnostic(p, o), d)) : undefined;
          return [{ ...d, range: found ? found.range : { start: s, end: e } }];
        });
        const actions = p.features.codeActions?.(p.doc, inner, { ...context, diagnostics }) ?? [];
        for (const a of actions) {
          const mapped = map.codeAction(p, a);
          if (mapped) out.push(mapped);
        }
      }
      return out;
    },
    semanticTokens(doc) {
      const state = stateOf(doc.uri, doc.getText());
      const absolute: number[][] = [];
      for (const p of state.placed) {
        const tokens = p.features.semanticTokens?.(p.doc);
        if (!tokens) continue;
        let line = 0;
        let char = 0;
        for (let i = 0; i + 4 < tokens.data.length; i += 5) {
          const [dl, dc, length, type, modifiers] = tokens.data.slice(i, i + 5);
          line += dl;
          char = dl === 0 ? char + dc : dc;
          if (line >= p.file.cuts.length || p.file.merged?.[line]) continue;
          const host = toHost(p.file, { line, character: char });
          // A token over a scalar whose text Falco receives otherwise (regions.ts shifts) spans the host's text.
          const hostLength = p.file.shifts?.[line] ? toHost(p.file, { line, character: char + length }).character - host.character : length;
          absolute.push([host.line, host.character, hostLength, type, modifiers]);
        }
      }
      return encodeTokens(absolute);
    },
    documentSymbols(doc) {
      return outlineOf(stateOf(doc.uri, doc.getText()));
    },
    workspaceSymbols(query) {
      // The closed files holding rules are read as for the alerts service (syncWorkspace: bounded, and read again only
      // when the client reports a change).
      syncWorkspace();
      const out: SymbolInformation[] = [];
      // Hosts named as the rules service names files (base names, more of the path where two hosts share one).
      const states = [...allStates()];
      const names = fileLabels(states.map((state) => ({ uri: state.uri, path: URI_TO_PATH(state.uri) ?? hostName(state.uri) })), host.workspaceFolders());
      for (const [i, state] of states.entries()) {
        const map = mapper(state);
        for (const p of state.placed) {
          if (p.file.kind !== 'rules') continue;
          const containerName = `${names[i]}, ${holderLabel(p.file)}`;
          for (const s of p.features.documentSymbols?.(p.doc) ?? []) {
            if (!isDefinitionSymbol(s.kind) || !symbolMatches(s.name, query)) continue;
            out.push({ name: s.name, kind: s.kind, containerName, location: { uri: state.uri, range: map.range(p, s.selectionRange) } });
            if (out.length >= MAX_WORKSPACE_SYMBOLS) return out;
          }
        }
      }
      return out;
    },
    didOpenOrChange(doc) {
      stateOf(doc.uri, doc.getText());
    },
    holdsRules(uri) {
      const state = hosts.get(uri);
      // A Falco Operator Config is merged with the other Configs of its namespace: its changes change their checks.
      return state !== undefined && (state.placed.some((p) => p.file.kind === 'rules' || p.file.operator) || state.refs.length > 0);
    },
    didClose(uri) {
      const state = hosts.get(uri);
      hosts.delete(uri);
      hookObjects.delete(uri);
      forgetSets(state);
      if (state && operatorHost(state)) refreshGroups();
      // A workspace file is read from disk again (the editor's text may not have been saved).
      scanStale = true;
    },
    didChangeWatchedFiles(uris) {
      scanStale = true;
      // A Chart.yaml, requirements.yaml or values.yaml changed: its folder's values are analyzed again with its
      // dependencies and defaults (stateOf compares them, and the closed ones of the folder are read again).
      if (uris.length === 0) { chartDependencies.clear(); chartValuesTexts.clear(); }
      const charts: string[] = [];
      for (const uri of uris) {
        const path = URI_TO_PATH(uri);
        const chartFile = path === undefined ? undefined : /[\\/](Chart|requirements|values)\.yaml$/.exec(path);
        if (path === undefined || !chartFile) continue;
        chartDependencies.delete(path.slice(0, -chartFile[0].length) || '/');
        chartValuesTexts.delete(path.slice(0, -chartFile[0].length) || '/');
        charts.push(uri.slice(0, -(chartFile[0].length - 1)));
      }
      const changed = new Set(uris);
      const inChart = (uri: string) => charts.some((folder) => uri.startsWith(folder) && !uri.slice(folder.length).includes('/'));
      for (const [uri, known] of diskHosts) if (uris.length === 0 || changed.has(uri) || inChart(uri)) known.stale = true;
    },
    syncWorkspace,
    withoutClosedFiles,
    deployments() {
      const charts = [...allStates()].filter((state) => state.chart.length > 0).flatMap(chartTargets);
      const key = (d: DeploymentTarget) => `${d.path}\u0000${d.namespace ?? ''}`;
      return [...charts, ...operatorTargets()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    },
    embeddedFiles(uri, text) {
      return stateOf(uri, text).placed.map((p) => ({ uri: p.doc.uri, key: p.file.key, text: p.file.text }));
    },
  };
}

/** The file name of a host, decoded, for labels. */
function hostName(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1).replace(/[?#].*$/, '');
  try { return decodeURIComponent(name); } catch { return name; }
}

/**
 * The outline of a host's embedded files: the keys holding them (customRules, then each entry; a ConfigMap's data;
 * a Rulesfile's inlineRules) with the rules, macros and lists of each file under its key, at the host's lines. A
 * configuration is outlined only where it is a text (a ConfigMap's entry): the YAML tooling outlines the others.
 */
function outlineOf(state: HostState, map = new HostMapper(state)): DocumentSymbol[] {
  const roots: DocumentSymbol[] = [];
  const range = (span: readonly [number, number]) => {
    let end = span[1];
    while (end > span[0] && /\s/.test(state.text[end - 1])) end--;
    return state.lines.range(span[0], end);
  };
  for (const p of state.placed) {
    if (p.file.kind === 'config' && p.file.holder !== 'configMap') continue;
    let level = roots;
    p.file.outline.forEach((key, i) => {
      const selectionRange = state.lines.range(key.keySpan[0], key.keySpan[1]);
      let node = level.find((s) => s.name === key.name && sameRange(s.selectionRange, selectionRange));
      if (!node) {
        const own = i === p.file.outline.length - 1;
        node = { name: key.name, ...(key.detail ? { detail: key.detail } : {}), kind: own ? SymbolKind.File : SymbolKind.Namespace, range: range(key.span), selectionRange, children: [] };
        level.push(node);
      }
      level = node.children!;
    });
    level.push(...(p.features.documentSymbols?.(p.doc) ?? []).map((s) => map.symbol(p, s)));
  }
  const sort = (symbols: DocumentSymbol[]) => {
    symbols.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const s of symbols) if (s.children) sort(s.children);
  };
  sort(roots);
  return roots;
}

/** How tuning titles name an embedded file inside its host. */
function holderLabel(file: EmbeddedFile): string {
  if (file.holder === 'rulesfile') return `Rulesfile '${file.operator?.resource ?? ''}' inlineRules`;
  return `${file.holder === 'configMap' ? 'data' : 'customRules'} '${file.key}'`;
}

/** Quick fixes of the holder's own problems: a key renamed as Falco or Kubernetes needs it, a v0.1.x text made a list,
 *  a selector's value, a name or an inlineRules or config value that kubectl reads as no string quoted. */
const FIXED_CODES: readonly string[] = [HolderCode.NotYamlName, HolderCode.InvalidConfigMapKey, HolderCode.OperatorWrongShape, HolderCode.OperatorSelector, HolderCode.KubectlScalar, HolderCode.ConfigMapNotText, HolderCode.HelmScalar];
function holderFixes(state: HostState, range: Range, context: CodeActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of context.diagnostics) {
    if (d.source !== 'falco-lens' || !FIXED_CODES.includes(d.code as string)) continue;
    if (d.range.end.line < range.start.line || d.range.start.line > range.end.line) continue;
    const problem = state.problems.find((p) => p.code === d.code && sameRange(state.lines.range(p.span[0], p.span[1]), d.range));
    if (problem?.replacement === undefined) continue;
    // The key is replaced by itself renamed; a plain scalar stays plain only when nothing in it needs quotes.
    const original = state.text.slice(problem.span[0], problem.span[1]);
    const quote = problem.fixTitle ? '' : original.startsWith('"') ? '"' : original.startsWith('\'') ? '\'' : '';
    out.push({
      title: problem.fixTitle ?? `Rename the entry to '${problem.replacement}'`, kind: 'quickfix', diagnostics: [d], isPreferred: true,
      edit: { changes: { [state.uri]: [{ range: d.range, newText: `${quote}${problem.replacement}${quote}` }] } },
    });
  }
  return out;
}

function holds(r: Range, p: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(p, r.start) && after(r.end, p);
}

/** Whether two diagnostics are one finding: the same range, code and message. */
function sameFinding(a: Diagnostic, b: Diagnostic): boolean {
  const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : (d.message as MarkupContent).value);
  return sameRange(a.range, b.range) && a.code === b.code && text(a) === text(b);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Finds the embedded files of other hosts (a Rulesfile group's files are in several): by URI, and by the link target
 *  of their host (rules/hover.ts lineTarget). */
interface HostLookup extends OpenDocuments {
  placed(uri: string): { state: HostState; p: Placed } | undefined;
  linked(target: string): HostState | undefined;
  /** The server's log (an edit left out: HostMapper.mapped). */
  log?(message: string): void;
}

/** Moves the rules service's answers from embedded files to their host (or to another host, for a file of another). */
class HostMapper {
  private readonly byUri = new Map<string, Placed>();
  /** While a code action is mapped: the anchors its edits were written at (anchorEdit), `&name, line N` each. */
  private anchorsEdited: string[] | undefined;
  constructor(private readonly state: HostState, private readonly others?: HostLookup) {
    for (const p of state.placed) this.byUri.set(p.doc.uri, p);
  }

  /** The embedded file of a URI, and the host holding it. */
  private find(uri: string): { state: HostState; p: Placed } | undefined {
    const p = this.byUri.get(uri);
    return p ? { state: this.state, p } : this.others?.placed(uri);
  }

  range(p: Placed, r: Range): Range {
    return toHostRange(p.file, r);
  }

  /** A chain of selection ranges of embedded file `p`, in the host: those that hold `position` (the block's
   *  indentation is not the embedded file's), each one strictly larger than the one inside it. */
  selectionRange(p: Placed, s: SelectionRange, position: Position): SelectionRange {
    const ranges: Range[] = [];
    for (let r: SelectionRange | undefined = s; r; r = r.parent) {
      const mapped = this.range(p, r.range);
      const last = ranges[ranges.length - 1];
      if (!holds(mapped, position) || (last && sameRange(last, mapped))) continue;
      ranges.push(mapped);
    }
    let out: SelectionRange = { range: ranges.length > 0 ? ranges[ranges.length - 1] : { start: position, end: position } };
    for (let i = ranges.length - 2; i >= 0; i--) out = { range: ranges[i], parent: out };
    return out;
  }

  /** A document symbol of embedded file `p` (and its children) at the host's positions. */
  symbol(p: Placed, s: DocumentSymbol): DocumentSymbol {
    const mapped: DocumentSymbol = { ...s, range: this.range(p, s.range), selectionRange: this.range(p, s.selectionRange) };
    if (s.children) mapped.children = s.children.map((c) => this.symbol(p, c));
    return mapped;
  }

  location(l: Location): Location {
    const found = this.find(l.uri);
    return found ? { uri: found.state.uri, range: this.range(found.p, l.range) } : l;
  }

  diagnostic(p: Placed, d: Diagnostic): Diagnostic {
    const message = typeof d.message === 'string' ? this.text(d.message) : { ...d.message, value: this.text(d.message.value) };
    const mapped: Diagnostic = { ...d, range: this.range(p, d.range), message };
    if (d.relatedInformation) mapped.relatedInformation = d.relatedInformation.map((r) => ({ ...r, location: this.location(r.location), message: this.text(r.message) }));
    return mapped;
  }

  hover(p: Placed, h: Hover): Hover {
    const contents = h.contents;
    const mapped: Hover = { contents: typeof contents === 'object' && 'kind' in contents ? { ...(contents as MarkupContent), value: this.text((contents as MarkupContent).value) } : contents };
    if (h.range) mapped.range = this.range(p, h.range);
    return mapped;
  }

  completionList(p: Placed, list: CompletionList): CompletionList {
    return { ...list, items: list.items.flatMap((i) => this.mapped(() => `the completion '${i.label}'`, () => this.completionItem(p, i)) ?? []) };
  }

  private completionItem(p: Placed, item: CompletionItem): CompletionItem {
    const mapped: CompletionItem = { ...item };
    const edit = item.textEdit;
    // A snippet's later lines are indented by the editor to the line's indentation, which in the host already holds
    // the block's: only ranges move.
    if (edit) {
      mapped.textEdit = 'range' in edit
        ? { ...edit, range: this.range(p, edit.range) }
        : { ...edit, insert: this.range(p, edit.insert), replace: this.range(p, edit.replace) };
    }
    if (item.additionalTextEdits) mapped.additionalTextEdits = item.additionalTextEdits.map((e) => this.edit(p, e));
    return mapped;
  }

  /** An action the rules service gave for embedded file `p` (its diagnostics are that file's). An edit inside the copy
   *  kubectl puts in place of an alias is written at the alias's anchor, the title saying so, or the action is greyed
   *  out saying why (anchorEdit). */
  codeAction(p: Placed, a: CodeAction): CodeAction | undefined {
    const mapped: CodeAction = { ...a, title: this.text(a.title) };
    if (a.edit) {
      const anchors: string[] = [];
      this.anchorsEdited = anchors;
      let edit: WorkspaceEdit | undefined | null;
      try {
        edit = this.mapped(() => `the quick fix '${mapped.title}'`, () => this.workspaceEdit(a.edit!));
      } catch (err) {
        if (!(err instanceof DeclinedEdit)) throw err;
        return { title: mapped.title, ...(a.kind ? { kind: a.kind } : {}), ...(a.diagnostics ? { diagnostics: a.diagnostics.map((d) => this.diagnostic(p, d)) } : {}), disabled: { reason: err.message } };
      } finally {
        this.anchorsEdited = undefined;
      }
      if (edit === null) return undefined;
      if (edit) mapped.edit = edit;
      else mapped.disabled = { reason: 'The file is open in the editor with changes Falco Lens has not read: save it and try again.' };
      if (anchors.length > 0) mapped.title = `${mapped.title} (at its anchor ${[...new Set(anchors)].join(', ')})`;
    }
    if (a.diagnostics) mapped.diagnostics = a.diagnostics.map((d) => this.diagnostic(p, d));
    return mapped;
  }

  /** `map()`, or null, logged, where it maps an edit that cannot be written into the host as it is meant (exactChange:
   *  `what` names the edit). */
  mapped<T>(what: () => string, map: () => T): T | null {
    try {
      return map();
    } catch (err) {
      if (!(err instanceof InexactEdit)) throw err;
      this.others?.log?.(`Falco Lens left out ${what()} in ${hostName(this.state.uri)}: ${err.message}.`);
      return null;
    }
  }

  /**
   * An edit of the rules service's documents as an edit of their hosts (other files kept as they are): each host's
   * edits name the version of its open document (service/edits.ts), so that an edit taken after the host changed is
   * refused. Undefined where a host is open in the editor with another text than the one mapped. `ownText`: the
   * edits' new text is the user's (a rename's new name), not computed from Falco's text (exactChange).
   */
  workspaceEdit(edit: WorkspaceEdit, ownText = false): WorkspaceEdit | undefined {
    const hosts = new Map<string, FileEdits>();
    const add = (uri: string, edits: TextEdit[]): boolean => {
      const found = this.find(uri);
      if (!found) return false;
      let file = hosts.get(found.state.uri);
      if (!file) hosts.set(found.state.uri, file = { uri: found.state.uri, text: found.state.text, edits: [] });
      for (const e of edits) file.edits.push(this.edit(found.p, e, found.state, ownText)); // not push(...): a rename's 150,000 edits overflow the stack
      // Two aliases of one anchor edited alike are one edit at the anchor.
      if (this.anchorsEdited?.length) file.edits = file.edits.filter((e, i) => file!.edits.findIndex((o) => sameRange(o.range, e.range) && o.newText === e.newText) === i);
      return true;
    };
    const rest: WorkspaceEdit = {};
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) if (!add(uri, edits)) (rest.changes ??= {})[uri] = edits;
    for (const c of edit.documentChanges ?? []) if (!('textDocument' in c) || !add(c.textDocument.uri, c.edits as TextEdit[])) (rest.documentChanges ??= []).push(c);
    const mapped = filesEdit(this.others ?? {}, [...hosts.values()]);
    return mapped && mergeEdits(rest, mapped);
  }

  /**
   * An edit of an embedded file as an edit of the host: its range moved, and every line it starts given the block's
   * indentation, so that the text stays inside the block (a line with less would end it). Lines left empty stay
   * empty (no trailing blanks), and the text an edit ends before keeps its own indentation.
   */
  edit(p: Placed, e: TextEdit, state = this.state, ownText = false): TextEdit {
    const merged = p.file.merged;
    if (merged) for (let l = e.range.start.line; l <= e.range.end.line && l < merged.length; l++) {
      if (merged[l]) throw new InexactEdit('the edit changes keys that a \'<<\' merges there, which Falco Lens reads as kubectl expands them');
    }
    if (this.anchorsEdited && p.file.shifts) {
      const atAnchor = anchorEdit(p.file, p.doc, state, e);
      if (typeof atAnchor === 'string') throw new DeclinedEdit(atAnchor);
      if (atAnchor) {
        this.anchorsEdited.push(atAnchor.anchor);
        return atAnchor.edit;
      }
    }
    const exact = exactChange(p.file, p.doc, state, e, ownText);
    if (typeof exact === 'string') throw new InexactEdit(exact);
    e = exact;
    const range = this.range(p, e.range);
    const pad = ' '.repeat(p.file.indent);
    const endsInside = e.range.end.line < p.file.cuts.length;
    // Whether host text follows the edit on its last line (inside the block): that text needs the line's indentation.
    const endOffset = state.lines.offsetAt(range.end);
    const lineEnd = range.end.line + 1 < state.lines.lineCount ? state.lines.lineStarts[range.end.line + 1] : state.text.length;
    const textFollows = endsInside && state.text.slice(endOffset, lineEnd).trim() !== '';
    const parts = e.newText.split(/(\r\n|\r|\n)/);
    let newText = parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const segment = parts[i + 1];
      const last = i + 2 >= parts.length;
      newText += parts[i] + (segment !== '' || (last && textFollows) ? pad : '') + segment;
    }
    // A blank host line keeps fewer columns than the block's indentation (and the line after the block none): text
    // put at its start needs the rest.
    const startLine = e.range.start.line;
    const missing = startLine < p.file.cuts.length ? p.file.indent - p.file.cuts[startLine] : p.file.indent;
    if (missing > 0 && parts[0] !== '' && e.range.start.character === 0) newText = ' '.repeat(missing) + newText;
    // An edit that ends after the embedded text's last line break ends at the start of the host's next line, which is
    // outside the block: that line must start a line of its own.
    if (!endsInside && !/[\r\n]$/.test(newText) && (newText !== '' || e.range.start.character > 0)) newText += lineEnding(state.text);
    return { range, newText };
  }

  /** Text that names embedded files (links in hovers, "line N of …" in messages) made to name the host. */
  text(s: string): string {
    if (!s.includes('falco-lens-embedded-')) return s;
    // Links built by lineLink: [label](uri#Ln), the URI percent-encoded where it could end the link.
    return s.replace(/\[([^\]]*)\]\(([^)\s]*?)#falco-lens-embedded-(\d+)\/[^)#\s]*#L(\d+)\)/g, (all, _label: string, base: string, index: string, line: string) => {
      // A link to another host's file (a Rulesfile of the same group) names that host.
      const state = base === lineTarget(this.state.uri) ? this.state : this.others?.linked(base) ?? this.state;
      const p = state.placed[Number(index)];
      if (!p) return all;
      const hostLine = toHost(p.file, { line: Number(line) - 1, character: 0 }).line + 1;
      let name = base.slice(base.lastIndexOf('/') + 1);
      try { name = decodeURIComponent(name); } catch { /* keep it encoded */ }
      return `[${escapeMarkdown(`${name}:${hostLine}`)}](${base}#L${hostLine})`;
    });
  }
}

/**
 * Why a rename to `newName` cannot be written into a Falco Operator Rulesfile's inlineRules (`fileOf` gives the holder
 * and the text of an edited embedded file, and its lines' in the host). kubectl reads inlineRules with go-yaml v2 (YAML 1.1, resolve.go): a plain
 * scalar `1_000`, `0777` or `yes` is a number or a boolean (kubectlYaml.ts kubectlPlain), sent as JSON, which the
 * operator writes back for Falco as `1000`, `511`, `true` (sigs.k8s.io/yaml JSONToYAML, go-yaml v2 Marshal). A quoted
 * scalar is a string to kubectl, and the operator writes a string back quoted where go-yaml would read it otherwise
 * (encode.go stringv at v2.4.0: plain only where resolve gives !!str), so Falco gets the text typed; so does a name
 * written inside a longer scalar (a condition, an exception value of several words): the scalar is a string. The
 * conflict is only an edit that makes a whole plain scalar the new name (`rule: yes`, `- 0777` in a list,
 * `condition: yes` for a macro used alone): Falco would get the item, the list value or the condition under the
 * operator's text, while the other occurrences keep the typed name. Undefined where no edit does that.
 */
export function kubectlRenameConflict(edit: WorkspaceEdit, newName: string, fileOf: (uri: string) => { holder: string; text: string; hostLine(line: number): number } | undefined): string | undefined {
  const read = kubectlPlain(newName);
  if (read.type === 'string') return undefined;
  const edits = new Map<string, TextEdit[]>(Object.entries(edit.changes ?? {}));
  for (const c of edit.documentChanges ?? []) if ('textDocument' in c) edits.set(c.textDocument.uri, [...(edits.get(c.textDocument.uri) ?? []), ...c.edits.filter((e): e is TextEdit => 'range' in e)]);
  let line: number | undefined;
  for (const [uri, list] of edits) {
    const file = fileOf(uri);
    if (file?.holder !== 'rulesfile') continue;
    const doc = TextDocument.create(uri, 'yaml', 0, file.text);
    const spans = list.filter((e) => e.newText === newName).map((e): readonly [number, number] => [doc.offsetAt(e.range.start), doc.offsetAt(e.range.end)]);
    const whole = wholePlainScalars(file.text, spans);
    if (whole.length > 0) { line = file.hostLine(doc.positionAt(whole[0][0]).line); break; }
  }
  if (line === undefined) return undefined;
  const written = operatorWrittenBack(read);
  return `Cannot rename to '${newName}': the rename writes it as a whole plain scalar in a Rulesfile's inlineRules (line ${line + 1} of its manifest), which kubectl reads as ${kubectlWords(read)}${written === undefined ? ', and refuses the manifest' : `, and the operator writes '${written}' for Falco`}: Falco would not read the name typed there, while it would where the name is quoted or part of a longer text. Choose another name, or rename it by hand with the name quoted there.`;
}

/** An edit of an embedded file that cannot be written into its host as it is meant (exactChange): why. */
class InexactEdit extends Error {}

/** A quick fix's edit inside an alias's copy that cannot be written at the anchor (anchorEdit): the action is shown
 *  greyed out with this reason, for the user to edit by hand. */
class DeclinedEdit extends Error {}

/**
 * Edit `e` of embedded file `file` written at an anchor, where it changes the copy kubectl puts in place of an alias
 * whose anchor is outside the text Falco receives (regions.ts withChanges, `TextShift.anchor`): writing the fixed text
 * in place of the alias would cut it from its anchor, so the change goes into the anchored scalar, which every reader of
 * the anchor then reads (the title names the anchor). That is done only where it is exact: the copy is a scalar (a
 * string as kubectl's JSON, no escapes; a number, a boolean or null as the operator or the chart writes it back), the
 * edit replaces the whole copy with a value of the same type, or stays inside a copy whose anchored text is written as
 * the copy has it (a string plain or quoted with nothing escaped; a number or boolean as written back), on one line,
 * and the host with the edit reads back, as kubectl reads it and writes it back, the value the fix meant (a re-parse;
 * else nothing is written). Anything else (a mapping or list copied, another type, an edit across the alias's ends) is
 * declined with the reason. Undefined for an edit no copy holds.
 */
export function anchorEdit(file: EmbeddedFile, doc: TextDocument, host: { text: string; lines: LineIndex }, e: TextEdit): { edit: TextEdit; anchor: string } | string | undefined {
  const so = doc.offsetAt(e.range.start);
  const eo = doc.offsetAt(e.range.end);
  const copies = shiftedColumns(file, e.range.start.line, Math.min(e.range.end.line, file.cuts.length - 1)).filter((s) => s.anchor).map((s) => {
    const lineStart = doc.offsetAt({ line: s.line, character: 0 });
    return { ...s, start: lineStart + s.from, end: lineStart + s.to, anchor: s.anchor! };
  });
  // An edit touching the copy's inside (an insertion strictly inside it too).
  const copy = copies.find((s) => (so < s.end && eo > s.start) || (so === eo && so > s.start && so < s.end));
  if (!copy) return undefined;
  const anchorLine = host.lines.positionAt(copy.anchor.span[0]).line + 1;
  const declined = (why: string) => `Falco receives here the copy of the anchor &${copy.anchor.name} (line ${anchorLine}) that kubectl puts in place of *${copy.anchor.name}: ${why}. Edit the anchor or the alias by hand.`;
  // What Falco receives for a scalar kubectl reads so: a string as the copy's JSON, anything else as written back.
  const back = file.holder === 'chartConfig' ? helmWrittenBack : operatorWrittenBack;
  const received = (read: KubectlScalar): string | undefined => (read.type === 'string' ? JSON.stringify(read.value) : back(read));
  const kind = (read: KubectlScalar) => (read.type === 'int' || read.type === 'float' ? 'number' : read.type);
  const KIND_WORDS: Record<string, string> = { string: 'a text', number: 'a number', boolean: 'a boolean', null: 'null' };
  // The copy's value: a JSON string without escapes, or a scalar as written back (which reads back as itself).
  const stringValue = /^"/.test(copy.text) ? JSON.parse(copy.text) as unknown : undefined;
  const copyRead: KubectlScalar | undefined = typeof stringValue === 'string'
    ? (`"${stringValue}"` === copy.text ? { type: 'string', value: stringValue } : undefined)
    : /^[[{"]/.test(copy.text) ? undefined : kubectlPlain(copy.text);
  if (!copyRead || received(copyRead) !== copy.text) return declined('the anchor holds no scalar the fix can edit in place (a mapping, a list, or a text with escapes)');
  if (so < copy.start || eo > copy.end || /[\r\n]/.test(e.newText)) return declined('the fix changes text beyond the alias');
  const [from, to] = copy.anchor.span;
  let edit: TextEdit;
  let wanted: KubectlScalar;
  if (so === copy.start && eo === copy.end) {
    // The alias's whole value replaced: the anchored node replaced whole, where the new value has the type the old one
    // had (the anchor's other readers read it too).
    const read = kubectlScalar(parseDocument(e.newText).contents);
    if (!read || kind(read) !== kind(copyRead)) return declined(`the fix writes ${read ? KIND_WORDS[kind(read)] : 'no scalar'} where the anchor holds ${KIND_WORDS[kind(copyRead)]}, which the anchor's other readers would get too`);
    // A value that is no string reaches Falco as written back: the fix's text must be that.
    if (read.type !== 'string' && received(read) !== e.newText) return declined(`kubectl would send '${received(read) ?? e.newText}' for the text the fix writes`);
    edit = { range: { start: host.lines.positionAt(from), end: host.lines.positionAt(to) }, newText: e.newText };
    wanted = read;
  } else {
    const quoted = copyRead.type === 'string';
    if (quoted && (so === copy.start || eo === copy.end)) return declined('the fix changes the copy\'s quotes');
    const written = host.text.slice(from, to);
    const value = quoted ? copyRead.value : copy.text;
    const inner = written === value ? from : (quoted && /^"[^"\\]*"$|^'[^']*'$/.test(written) && written.slice(1, -1) === value ? from + 1 : undefined);
    if (inner === undefined) return declined('the anchor writes that value in another form (escapes, several lines, or as kubectl reads it otherwise than it is written)');
    const a = so - copy.start - (quoted ? 1 : 0);
    const b = eo - copy.start - (quoted ? 1 : 0);
    edit = { range: { start: host.lines.positionAt(inner + a), end: host.lines.positionAt(inner + b) }, newText: e.newText };
    const text = value.slice(0, a) + e.newText + value.slice(b);
    wanted = quoted ? { type: 'string', value: text } : kubectlPlain(text);
    if (!quoted && (kind(wanted) !== kind(copyRead) || received(wanted) !== text)) return declined(`the fixed text '${text}' is no ${kind(copyRead)} written as kubectl sends it`);
  }
  // The host with the edit: the anchored node must read, as kubectl reads it, the value the fix meant.
  const start = host.lines.offsetAt(edit.range.start);
  const after = host.text.slice(0, start) + edit.newText + host.text.slice(host.lines.offsetAt(edit.range.end));
  const read = anchoredScalar(after, from, copy.anchor.name);
  const meant = received(wanted);
  if (!read || meant === undefined || received(read) !== meant) return declined(`written at the anchor, the fixed text would not read as ${wanted.type === 'string' ? `'${wanted.value}'` : meant}`);
  return { edit, anchor: `&${copy.anchor.name}, line ${anchorLine}` };
}

/** How kubectl reads the scalar anchored `&name` whose text starts at `offset` of `text` (a YAML stream), if the
 *  document holding it parses without errors. */
function anchoredScalar(text: string, offset: number, name: string): ReturnType<typeof kubectlScalar> {
  for (const d of parseAllDocuments(text)) {
    if (!('contents' in d) || !d.range || offset < d.range[0] || offset >= d.range[2]) continue;
    if (d.errors.length > 0) return undefined;
    let found: unknown;
    visit(d, (_key, node) => {
      if (isScalar(node) && node.anchor === name && node.range?.[0] === offset) { found = node; return visit.BREAK; }
      return undefined;
    });
    return found === undefined ? undefined : kubectlScalar(found);
  }
  return undefined;
}

/** Characters a plain scalar cannot hold next to it without becoming another scalar (blanks and flow indicators). */
const TOKEN_END = /[\s,[\]{}:#]/;

/**
 * Edit `e` of embedded file `file` (`doc` its text, `host` the host's) narrowed to what it changes, so that the host
 * keeps what the user wrote where Falco receives another text (`EmbeddedFile.shifts`: a Rulesfile's `0777` that the
 * operator writes back as 511): a shifted scalar the edit keeps is not written again, one it changes is replaced
 * whole, by text that does not hold Falco's text of it. Where that cannot be (the edit's range ends inside such a
 * scalar, its text joins one, `511` made `511ms`, or writes Falco's text anew) the reason, as a string: that text is
 * Falco's, not the user's. An edit near no such scalar is returned as it is (no work for other files). With `ownText`
 * (a rename: the new text is the name the user typed, written over each occurrence whole) a scalar replaced whole may
 * hold its Falco text: renaming the manifest's `1_000` (Falco's list '1000') to 'list1000' writes the user's name.
 */
export function exactChange(file: EmbeddedFile, doc: TextDocument, host: { text: string; lines: LineIndex }, e: TextEdit, ownText = false): TextEdit | string {
  if (!file.shifts) return e;
  const { start, end } = e.range;
  const near = shiftedColumns(file, start.line, Math.min(end.line, file.cuts.length - 1)).map((s) => {
    const lineStart = doc.offsetAt({ line: s.line, character: 0 });
    return { ...s, start: lineStart + s.from, end: lineStart + s.to };
  });
  const so = doc.offsetAt(start);
  const eo = doc.offsetAt(end);
  const touched = near.filter((s) => s.start <= eo && s.end >= so);
  if (touched.length === 0) return e;
  const text = doc.getText();
  const written = (s: typeof near[number]) => {
    const hostLine = file.firstLine + (file.lineOf?.[s.line] ?? s.line);
    const hostStart = host.lines.lineStarts[hostLine] + file.cuts[s.line] + s.hostAt;
    return `'${host.text.slice(hostStart, hostStart + s.hostLength)}' (line ${hostLine + 1})`;
  };
  const inside = touched.find((s) => (so > s.start && so < s.end) || (eo > s.start && eo < s.end));
  const dropped = (s: typeof near[number]) => `the edit changes part of the ${written(s)}, a pair kubectl drops`;
  if (inside) return inside.blank ? dropped(inside) : `the edit changes part of '${inside.text}', which Falco receives for the ${written(inside)} the manifest has there`;
  // What the edit changes: the text between what it keeps at both ends.
  const old = text.slice(so, eo);
  const newText = e.newText;
  let pre = 0;
  while (pre < old.length && pre < newText.length && old[pre] === newText[pre]) pre++;
  let suf = 0;
  while (suf < old.length - pre && suf < newText.length - pre && old[old.length - 1 - suf] === newText[newText.length - 1 - suf]) suf++;
  let cs = so + pre;
  let ce = eo - suf;
  let change = newText.slice(pre, newText.length - suf);
  // A scalar the change overlaps, or whose token it extends, is the change's whole: the new text must not hold it.
  for (let grown = true; grown;) {
    grown = false;
    for (const s of touched) {
      const after = cs === s.end && !s.blank && TOKEN_END.test(change[0] ?? text[ce] ?? ' ') === false;
      const before = ce === s.start && !s.blank && TOKEN_END.test(change[change.length - 1] ?? text[cs - 1] ?? ' ') === false;
      const overlaps = cs < s.end && ce > s.start;
      if (!after && !before && !overlaps) continue;
      if (cs <= s.start && ce >= s.end) {
        // A flow '<<' pair's merged pairs: writing over them would write over the '<<' and the mapping it merges.
        if (s.whole && !s.anchor) return `the edit replaces the pairs the ${written(s)} merges there, as kubectl expands it`;
        if (!s.blank && !ownText && change.includes(s.text)) return `the edit writes '${s.text}', the text Falco receives, in place of the ${written(s)} the manifest has there`;
        continue;
      }
      if (s.blank) return dropped(s);
      if (cs > s.start) { change = text.slice(s.start, cs) + change; cs = s.start; }
      if (ce < s.end) { change += text.slice(ce, s.end); ce = s.end; }
      grown = true;
    }
  }
  return cs === so && ce === eo ? e : { range: { start: doc.positionAt(cs), end: doc.positionAt(ce) }, newText: change };
}

/** Semantic tokens from absolute [line, character, length, type, modifiers] rows, sorted. */
function encodeTokens(rows: number[][]): SemanticTokens {
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const [l, c, length, type, modifiers] of rows) {
    const dl = l - line;
    data.push(dl, dl === 0 ? c - char : c, length, type, modifiers);
    line = l;
    char = c;
  }
  return { data };
}
