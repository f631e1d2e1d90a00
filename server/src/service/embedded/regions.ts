// Falco rules files written inside other YAML files, and how their lines sit in the file that holds them.
//
// Falco on Kubernetes is mostly installed with its Helm chart, and there custom rules are not files: they are the
// values of `customRules` (charts/falco/values.yaml), each key a file name and each value the file's text, which the
// chart writes into a ConfigMap mounted at /etc/falco/rules.d (templates/rules-configmap.yaml, pod-template.tpl).
// The same values appear under `falco:` (or the dependency's alias) in an umbrella chart, under `spec.values` of a Flux HelmRelease and under
// `spec.source(s).helm.valuesObject` of an Argo CD Application; and hand-written ConfigMaps carry rules files in
// `data`. This module finds those texts (any `customRules` mapping; a ConfigMap's `data` entries whose text has rules
// items) and gives each as an embedded file: its text with the block's indentation removed, and the column each of
// its lines was cut by, so that every position maps both ways.
//
// Only literal block scalars (`|`, `|-`, `|+`, with or without an indentation indicator) are embedded: each of their
// lines is the file's line, shifted right by the block's indentation. A folded (`>`) or quoted value does not map line
// for line (and folding changes a rules file's text), so it is reported instead of checked.
//
// Falco's configuration is embedded too. The chart's `falco:` values (a block mapping) are laid over the chart's own
// configuration. A ConfigMap's `data` entry named `falco.yaml` is the whole file Falco reads (the chart renders its
// falco.yaml into one, templates/configmap.yaml, and mounts it at /etc/falco/falco.yaml with subPath, pod-template.tpl),
// and any other `*.yaml`/`*.yml` entry whose text is a mapping of falco.yaml's keys is a file meant for config_files (a
// config.d file). How they merge is embedded/index.ts's business.
//
// The Falco Operator's resources are the third kind of holder: a Rulesfile's `spec.inlineRules` is a rules file
// written as structured YAML (a block list of items, cut by the items' indentation), and a Config's `spec.config` a
// configuration file (a block mapping). Where the operator writes them decides the load order (see the section at the
// end of this file).
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, YAMLMap, type Document, type Node, type Pair, type Scalar, type YAMLSeq } from 'yaml';
import type { Position, Range } from 'vscode-languageserver-types';
import { LineIndex, lineEnding, withoutTrailing } from '../text';
import { rulesFileShape } from '../fileShape';
import { MAX_HOST_LENGTH, OPERATOR_GROUP, mayHoldRules } from './hostSniff';
import { falcoDependencies, type FalcoDependency } from './chartDependencies';
import { loadsRulesPath } from '../config/rulesFiles';
import { compareVersions, LATEST_FALCO } from '../../knowledge/falcoVersions';
import { FALCO_CONFIG_SCHEMA } from '../../knowledge/falcoConfigSchema';
import { selectorProblems, selectorValue } from './selectors';
import { kubectlKey, kubectlScalar, kubectlWords } from '../kubectlYaml';
import { yamlQuote } from '../yamlText';
import { configMapMounts, placedEntries, type EntryPlacement } from './configMap';
import { ASSUMED_NAMESPACE, LAST_APPLIED_ANNOTATION, MAX_ANNOTATION_BYTES, MAX_CONFIG_MAP_BYTES, configMapDataBytes, lastAppliedAnnotationBytes, secretEntries } from './objectSize';
import { chartEnv, envLookup, operatorFalcoEnv, type ContainerEnv } from './containerEnv';
import { envReading } from '../config/model';
import { HELM, HELM_CHART_DEFAULTS, KUBECTL, chartConfigProblems, goMapKey, chartNullProblems, dnsNameProblem, droppedPairProblems, expansionProblems, inlineRulesProblems, mergeExpansion, nameProblem, operatorConfigProblems, operatorTextChanges, type CopiedAnchor, type ExpandingReader, type KubectlExpansion, type MergeRegion } from './operatorScalars';


/** Where an embedded file's key sits, which decides where Falco finds the file and whether it loads it. */
export type Holder =
  /** A `customRules` entry of the Falco chart's values: mounted as /etc/falco/rules.d/<key>. */
  | 'customRules'
  /** A `data` entry of a ConfigMap: mounted wherever a volume puts it (a rules file, falco.yaml or a config.d file). */
  | 'configMap'
  /** The chart's `falco:` values: Falco's configuration, which Helm merges into the chart's own and writes as
   *  /etc/falco/falco.yaml (templates/configmap.yaml). */
  | 'chartConfig'
  /** A Falco Operator Rulesfile's `spec.inlineRules`: a list of rules items written in the manifest, which the operator
   *  writes into /etc/falco/rules.d at the Rulesfile's place (OperatorPlace). */
  | 'rulesfile'
  /** A Falco Operator Config's `spec.config`: a mapping of falco.yaml's keys, written into /etc/falco/config.d. */
  | 'operatorConfig';

/** Where the Falco Operator writes a file taken from a Rulesfile or a Config, which decides when Falco reads it. */
export interface OperatorPlace {
  kind: 'Rulesfile' | 'Config';
  /** The resource's metadata.name. */
  resource: string;
  /** Its metadata.namespace ('' when the manifest leaves it to kubectl). The operator reads its pod's namespace only. */
  namespace: string;
  /** The file's name in /etc/falco/rules.d or /etc/falco/config.d: Falco reads the folder sorted by name. */
  fileName: string;
  /** For a ConfigMap's entry that a Rulesfile of another file names (embedded/index.ts): the URI of that file, whose
   *  folder is the group the entry loads with. */
  via?: string;
  /** The resource's spec.selector, as a key (selectorKey: its JSON, keys sorted): the operator writes the file only on
   *  the nodes it selects. Absent when it has none, or an empty one (every node). */
  selector?: string;
}

/** A configMapRef naming no ConfigMap of its manifest: resolved across the workspace (embedded/index.ts). */
export interface OperatorRef {
  kind: 'Rulesfile' | 'Config';
  resource: string;
  namespace: string;
  priority: number;
  /** The ConfigMap's name, and the offsets of that name. */
  name: string;
  span: readonly [number, number];
  /** The resource's spec.selector (OperatorPlace.selector). */
  selector?: string;
}

/** A ConfigMap of a manifest: its name, namespace and data keys (for the configMapRefs of other files). */
export interface ConfigMapSummary {
  name: string;
  namespace: string;
  keys: readonly string[];
}

/** An OCI artifact a Rulesfile makes the operator pull into /etc/falco/rules.d (Falco Lens does not have its rules). */
export interface OperatorOci {
  resource: string;
  namespace: string;
  priority: number;
  repository: string;
  fileName: string;
  /** The Rulesfile's spec.selector (OperatorPlace.selector). */
  selector?: string;
}

export interface EmbeddedFile {
  /** A rules file, or Falco's configuration (laid over the chart's). */
  kind: 'rules' | 'config';
  holder: Holder;
  /** The mapping entry's key: the file's name once mounted. */
  key: string;
  /** Offsets of the key in the host text. */
  keySpan: readonly [number, number];
  /** Which set of files loads together (one per `customRules` mapping or ConfigMap): files of different sets are
   *  different Falco deployments. */
  set: number;
  /** The host line of the embedded file's first line. */
  firstLine: number;
  /** Per embedded line, the columns removed from the host line (the block's indentation; fewer on a blank line). */
  cuts: number[];
  /** The block's indentation: what a new line of the embedded file needs in front of it. */
  indent: number;
  /** Whether the embedded text ends with a line break (a position after it is the start of the host's next line). */
  endsWithBreak: boolean;
  /** The embedded file's text: the host's lines as cut, and, for a Falco Operator resource, the text Falco receives
   *  where kubectl and the operator change a scalar (`shifts`). */
  text: string;
  /** Per embedded line, the scalars whose text is not the host's (a Rulesfile's `0777` read as 511): where each starts
   *  on the host line after the cut, the host length, and the embedded text, in order. Positions inside one map to
   *  its start plus as much as the other side holds; positions after it move by the difference. */
  shifts?: Readonly<Record<number, readonly TextShift[]>>;
  /** Where a Rulesfile's `<<` merge keys are expanded as kubectl does (withMerges): per embedded line, its host line
   *  less firstLine, and whether it is a line of merged pairs, which all stand for the `<<` pair's first line. */
  lineOf?: readonly number[];
  merged?: readonly boolean[];
  /** The keys the file sits under in the host, outermost first, ending with its own (`customRules`, then the entry):
   *  the document outline nests its rules, macros and lists under them. */
  outline: readonly OutlineKey[];
  /** For a ConfigMap's entry: the ConfigMap. */
  configMap?: { name: string; namespace: string; placement?: EntryPlacement };
  /** For a file the Falco Operator writes (a Rulesfile's inline rules or ConfigMap entry, a Config's configuration):
   *  where. Such rules files load together with the other Rulesfiles of their namespace, not as the set `set`. */
  operator?: OperatorPlace;
  /** For Falco's configuration of a chart's values or a Falco Operator Config: the env of Falco's container that
   *  the manifest gives (the values' extra.env; a Falco resource of the Config's namespace), for `${VAR}`. */
  env?: ContainerEnv;
  /** For a chart's customRules file: the paths Falco reads, in order, as the values' `falco.rules_files` (or the
   *  chart's default) gives them, with the place of this file (`/etc/falco/rules.d/<key>`) among them; `null` when
   *  Falco Lens cannot tell (a path through `${VAR}`). Tuning reads the local rules file's place from it. */
  chartLoad?: ChartLoad | null;
}

/** A scalar of an embedded line whose text is not the host's. */
export interface TextShift {
  /** The column on the host line, after the cut. */
  at: number;
  /** Its length on the host, and its text in the embedded file. */
  length: number;
  text: string;
  /** Text kubectl writes over the host's whole (an alias's copy, a flow mapping's '<<' pair merged): a range inside
   *  it stands for all of it (toHostRange). */
  whole?: true;
  /** For an alias's copy: the anchor it copies (a quick fix inside the copy edits that anchor, index.ts anchorEdit). */
  anchor?: CopiedAnchor;
}

/** Where Falco reads a chart's customRules file among the paths of the rendered falco.yaml's `rules_files`. */
export interface ChartLoad {
  paths: readonly string[];
  /** The index in `paths` of the first path that reads the file (the file, or the folder holding it). */
  at: number;
  /** The `mountPath` of each of the values' `mounts.volumeMounts`: what the user mounts into Falco's container
   *  (pod-template.tpl:204-206 at chart 9.1.0). Anything else in /etc/falco is the image's or falcoctl's, never a file
   *  of the workspace (see ChartValues). */
  mounts: readonly string[];
}

/**
 * A Falco chart values mapping (the chart's values, an umbrella chart's `falco:`, a HelmRelease's `spec.values`…), for
 * the alert tuning quick fixes: the chart's Falco never reads the workspace's falco_rules.local.yaml, so tuning for it
 * goes into a customRules entry. Facts, charts/falco at falco-3.0.0 through falco-9.1.0 (pod-template.tpl):
 * - with falcoctl's artifact install or follow enabled (the default: values.yaml `falcoctl.artifact.install.enabled`
 *   and `follow.enabled` true, `allowedTypes` holding `rulesfile`), the Falco container's /etc/falco is the emptyDir
 *   `rulesfiles-install-dir` (pod-template.tpl:137-141 and 229-230 at 9.1.0), which hides the image's /etc/falco and
 *   holds what falcoctl installs there: the falco-rules artifact, falco_rules.yaml alone (falcosecurity/rules
 *   registry.yaml). Only falco.yaml (subPath, :187-189) and rules.d (the customRules ConfigMap, :190-193) are mounted
 *   over it. /etc/falco/falco_rules.local.yaml does not exist, and Falco skips a rules_files path that does not
 *   (configuration.cpp:316-322 at 0.44.1; :200-205 at 0.37.0);
 * - with falcoctl disabled, /etc/falco is the image's: falco_rules.local.yaml is there, holding `# Your custom rules!`
 *   (cmake/modules/rules.cmake:39-45 and 82-87, copied in by docker/falco/Dockerfile:31-42 at 0.44.1), never the
 *   workspace's. The chart dropped its own copy in 3.0.0 and points to customRules (BREAKING-CHANGES.md:302-322).
 * Only a file the values mount there themselves (`mounts.volumeMounts`) can be the workspace's.
 */
export interface ChartValues {
  /** Its customRules files that Falco loads, in load order. */
  files: EmbeddedFile[];
  /** How a customRules entry is added (embedded/chartValues.ts); undefined when Falco Lens writes none: a flow
   *  mapping with entries, or rules_files that would not read `/etc/falco/rules.d/<CHART_TUNING_KEY>`. */
  add?: ChartEntrySpot;
  /** The document of the host (its index) and the keys and indices leading to the values mapping. */
  doc: number;
  path: readonly (string | number)[];
}

/** Where a new customRules entry goes in the host text. */
export interface ChartEntrySpot {
  /** The offset of the line start the entry is inserted at. */
  at: number;
  /** Text removed before it (an empty `{}` or `~` value of customRules), from its start to its end. */
  remove?: readonly [number, number];
  /** The column of the entry's key. */
  indent: number;
  /** Whether the values have no customRules key (the entry comes with one, at indent - 2). */
  withKey: boolean;
  /** Where Falco would read the entry. */
  chartLoad: ChartLoad | null;
}

/** The customRules entry tuning quick fixes add when a chart's values have none for the rule. */
export const CHART_TUNING_KEY = 'falco-lens-tuning.yaml';

/** The chart's own `falco.rules_files` (charts/falco/values.yaml:789-792, chart 9.1.0, as in earlier releases). */
export const CHART_RULES_FILES: readonly string[] = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d'];

/** A key of the host that holds embedded files: its name, what it belongs to, the offsets of the key and of the key
 *  with its value. */
export interface OutlineKey {
  name: string;
  detail?: string;
  keySpan: readonly [number, number];
  span: readonly [number, number];
}

/** The outline key of a mapping pair (undefined when the parse gave no ranges). */
function outlineKey(pair: { key: unknown; value: unknown }, name: string, detail?: string): OutlineKey | undefined {
  const key = spanOf(pair.key);
  const value = spanOf(pair.value);
  if (!key) return undefined;
  return { name, ...(detail !== undefined ? { detail } : {}), keySpan: key, span: [key[0], Math.max(key[1], value?.[1] ?? key[1])] };
}

/** A problem of the holder itself (a key Falco skips, a value Falco Lens cannot check), reported on the host. */
export interface HolderProblem {
  code: HolderCode;
  span: readonly [number, number];
  message: string;
  severity: 'error' | 'warning' | 'information';
  /** For a quick fix: the replacement of the span. */
  replacement?: string;
  /** The quick fix's title (default: renaming the entry to the replacement). */
  fixTitle?: string;
}

export enum HolderCode {
  /** A key Kubernetes refuses as a ConfigMap key (the chart's install fails). */
  InvalidConfigMapKey = 'embedded-invalid-configmap-key',
  /** A ConfigMap's data value that is a mapping or a list, not a text: the API server refuses the ConfigMap. */
  ConfigMapNotText = 'embedded-configmap-not-text',
  /** A ConfigMap's data entry with no value, a YAML file's name: the empty text with create, replace and server-side
   *  apply, and Falco reading it as a rules file gets nothing from it; no entry with client-side apply. */
  ConfigMapEmptyEntry = 'embedded-configmap-empty-entry',
  /** A ConfigMap's binaryData entry holding a Falco rules file or configuration (base64): not checked. */
  BinaryDataUnchecked = 'embedded-configmap-binary-data',
  /** Two keys of a ConfigMap's data (or binaryData) that kubectl makes one: only one of the entries is sent. */
  ConfigMapKeyCollision = 'embedded-configmap-key-collision',
  /** A key both in a ConfigMap's data and in its binaryData: the API server refuses the ConfigMap. */
  ConfigMapKeyInBoth = 'embedded-configmap-key-in-both',
  /** A ConfigMap holding Falco's files whose data and binaryData exceed 1 MiB: the API server refuses it. */
  ConfigMapTooLarge = 'embedded-configmap-too-large',
  /** A ConfigMap holding Falco's files that client-side kubectl apply cannot apply: the copy of it kubectl writes into
   *  the last-applied-configuration annotation takes its annotations past 256 KiB. */
  ConfigMapApplyTooLarge = 'embedded-configmap-apply-too-large',
  /** A Secret holding Falco's files whose entries (data decoded from base64, stringData) exceed 1 MiB: the API server
   *  refuses it. */
  SecretTooLarge = 'embedded-secret-too-large',
  /** A Secret holding Falco's files that client-side kubectl apply cannot apply: its copy in the last-applied-configuration
   *  annotation (data still in base64) takes its annotations past 256 KiB. */
  SecretApplyTooLarge = 'embedded-secret-apply-too-large',
  /** A Secret's data value that is not base64 (a file's text written under data, not stringData): the API server
   *  refuses the Secret. */
  SecretDataNotBase64 = 'embedded-secret-data-not-base64',
  /** A chart's customRules that make the chart's rules ConfigMap exceed 1 MiB: the install or upgrade fails. */
  ChartRulesTooLarge = 'embedded-chart-rules-too-large',
  /** An umbrella chart's dependency on Falco's chart that its values turn off (its condition, or its tags): no Falco
   *  runs with these values, unless values given beside them turn it on. */
  UmbrellaFalcoOff = 'embedded-umbrella-falco-off',
  /** A customRules file whose name does not end in .yaml or .yml: Falco skips it in rules.d. */
  NotYamlName = 'embedded-not-yaml-name',
  /** The values' `falco.rules_files` does not read /etc/falco/rules.d: the customRules never load. */
  RulesDirNotLoaded = 'embedded-rules-dir-not-loaded',
  /** A rules text or a configuration written as a folded or quoted scalar: not checked. */
  NotLiteralBlock = 'embedded-not-literal-block',
  /** A Rulesfile's inlineRules or a Config's config written in flow style ([…], {…}): not checked. */
  FlowCollection = 'embedded-flow-collection',
  /** A Rulesfile's inlineRules that is not a list, or a Config's config that is not a mapping (a v0.1.x text). */
  OperatorWrongShape = 'embedded-operator-wrong-shape',
  /** spec.priority outside what the CRD accepts (a whole number from 0 to 99): Kubernetes refuses the resource. */
  OperatorPriority = 'embedded-operator-priority',
  /** A configMapRef naming a ConfigMap without the entry the operator reads (rules.yaml, config.yaml). */
  OperatorConfigMapEntry = 'embedded-operator-configmap-entry',
  /** A configMapRef naming a ConfigMap that no YAML file of the workspace read by Falco Lens holds (embedded/index.ts). */
  OperatorConfigMapMissing = 'embedded-operator-configmap-missing',
  /** A Config's config listing config_files: Falco refuses an included file that does. */
  OperatorConfigFiles = 'embedded-operator-config-files',
  /** A Rulesfile's rules that Falco reads before those of an OCI artifact of the same namespace (embedded/index.ts). */
  OperatorLoadsBefore = 'embedded-operator-loads-before',
  /** A Rulesfile's override of a rule whose definitions the operator writes on fewer nodes than the override
   *  (embedded/index.ts): Falco refuses to start on the others. */
  OperatorOverrideNodes = 'embedded-operator-override-nodes',
  /** A Rulesfile's or a Config's spec.selector that Kubernetes refuses, changes or the operator cannot read
   *  (selectors.ts selectorProblems). */
  OperatorSelector = 'embedded-operator-selector',
  /** A ConfigMap that a second resource of its manifest names: the operator writes it once per resource; Falco Lens
   *  checks it at the first one's place. */
  OperatorConfigMapAgain = 'embedded-operator-configmap-again',
  /** A plain scalar of a Falco Operator resource or a ConfigMap that kubectl reads (YAML 1.1) as another type: a name
   *  or a ConfigMap data value Kubernetes refuses, a ConfigMap key sent as another text or refused, or a value of inlineRules or config that reaches Falco changed
   *  (operatorScalars.ts). */
  KubectlScalar = 'embedded-kubectl-scalar',
  /** A pair of a Rulesfile's inlineRules or a Config's config whose key a later pair of the mapping has again, as
   *  kubectl reads keys: kubectl keeps the later one, and this one never reaches Falco (operatorScalars.ts droppedPairs). */
  KubectlDroppedKey = 'embedded-kubectl-dropped-key',
  /** A merge key `<<`, or an alias of an anchor outside the block, in a Rulesfile's inlineRules or a Config's config:
   *  kubectl expands it, and the block is not checked; one kubectl refuses is an error (operatorScalars.ts
   *  expansionProblems). */
  KubectlExpanded = 'embedded-kubectl-expanded',
  /** The same in the chart's `falco:` values, which Helm expands (operatorScalars.ts HELM). */
  HelmExpanded = 'embedded-helm-expanded',
  /** A plain scalar or key of the chart's `falco:` values that Helm reads (YAML 1.1) as another type, which reaches
   *  Falco changed once the chart writes falco.yaml (operatorScalars.ts chartConfigProblems). */
  HelmScalar = 'embedded-helm-scalar',
  /** A pair of the chart's `falco:` values whose key a later pair of the mapping has again, as Helm reads keys: Helm
   *  keeps the later one, and this one never reaches Falco (operatorScalars.ts droppedPairs). */
  HelmDroppedKey = 'embedded-helm-dropped-key',
  /** A key of the chart's `falco:` values set to null, which Helm removes with the chart's default of it
   *  (operatorScalars.ts nullPairs). */
  HelmNullKey = 'embedded-helm-null-key',
  /** A ConfigMap's, Rulesfile's or Config's metadata.name or metadata.namespace that the API server's name rules
   *  refuse (DNS-1123; operatorScalars.ts dnsNameProblem). */
  ResourceName = 'embedded-resource-name',
  /** A ConfigMap's falco.yaml naming in config_files a YAML file that no entry of the ConfigMap is (the pod's). */
  ConfigMapIncludeUnfound = 'embedded-configmap-include-unfound',
  /** A customRules file the values' `falco.rules_files` names before a rules file outside rules.d (Falco reads it
   *  first; Falco Lens checks it after the workspace's rules files). */
  RulesLoadBefore = 'embedded-rules-loads-before',
}

export interface HostAnalysis {
  files: EmbeddedFile[];
  problems: HolderProblem[];
  /** The OCI artifacts of the manifest's Rulesfiles (only when there is one). */
  oci?: OperatorOci[];
  /** The configMapRefs of the manifest's resources that name no ConfigMap of the manifest (only when there is one). */
  refs?: OperatorRef[];
  /** The manifest's ConfigMaps (only when there is one). */
  configMaps?: ConfigMapSummary[];
  /** The Falco chart values mappings of the host (only when there is one). */
  chartValues?: ChartValues[];
  /** The manifest's Falco Operator Rulesfiles and Configs, whatever they hold (only when there is one). */
  resources?: { kind: 'Rulesfile' | 'Config'; resource: string; namespace: string }[];
}

/** Where the Falco chart mounts customRules (pod-template.tpl: the rules-volume mount). */
export const CHART_RULES_DIR = '/etc/falco/rules.d';

// Kubernetes' IsConfigMapKey (apimachinery validation.go): [-._a-zA-Z0-9]+, at most 253 characters, not '.' or '..'
// and not starting with '..'.
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_MAP_KEY = 253;

/** The name Falco's configuration file has as a ConfigMap entry (the chart's, and Falco's default -c file's). */
export const CONFIG_MAP_MAIN_KEY = 'falco.yaml';

/**
 * The config_files paths of a ConfigMap's falco.yaml (`main`) that name a YAML file no entry of the ConfigMap is
 * (configMap.ts placedEntries: an entry sits where the workload of the manifest mounts it, the path as the pod resolves
 * it, else where a path names its key): Falco reads them from the pod, which Falco Lens does not have, and skips one
 * that does not exist without a word.
 */
function unfoundIncludes(main: EmbeddedFile, keys: readonly string[], lines: LineIndex, name: string, target: string, problems: HolderProblem[], placement?: EntryPlacement): void {
  const inner = new LineIndex(main.text);
  const hostOffset = (offset: number) => lines.offsetAt(toHost(main, inner.positionAt(offset)));
  for (const { span, path } of placedEntries(main.text, keys, target, placement).unfound) {
    const mounts = placement && !('why' in placement) ? placement : undefined;
    const where = mounts
      ? `${mounts.by} mounts ${mounts.files.length === 0 ? 'none of its entries' : `its entries at ${mounts.files.slice(0, 3).map(([p, k]) => `${p} ('${k}')`).join(', ')}${mounts.files.length > 3 ? ', …' : ''}`}, and none there`
      : `Falco Lens takes an entry for the file config_files names by its key (as if the ConfigMap were mounted as a folder there: ${placement && 'why' in placement ? placement.why : 'no workload of this manifest mounts it'}), and this ConfigMap has no '${path.slice(path.lastIndexOf('/') + 1)}'`;
    problems.push({
      code: HolderCode.ConfigMapIncludeUnfound, span: [hostOffset(span[0]), hostOffset(span[1])], severity: 'information',
      message: `No entry of ConfigMap '${name}' is at ${path}: ${where}. Falco reads the pod's file at that path, which Falco Lens does not have, and skips it without a word where it does not exist.`,
    });
  }
}

export { mayHoldRules };

/** `target`: the Falco release whose loading of a rules folder the customRules names are judged by. `chartDefaults`:
 *  the text is a chart's own values.yaml (beside its Chart.yaml), whose top-level `falco:` values are the chart's
 *  defaults: their nulls reach falco.yaml (HELM_CHART_DEFAULTS). `umbrella`: the text is a values file of a chart
 *  (beside its Chart.yaml) that depends on Falco's chart: the top-level key of each such dependency holds the Falco
 *  chart's values, whatever they look like (falcoDependencies). `chartValues`: that chart's own values.yaml, where the
 *  text is another values file of it (Helm coalesces the two before it decides on the dependencies). */
export function analyzeHost(text: string, target: string = LATEST_FALCO, options: { chartDefaults?: boolean; umbrella?: readonly FalcoDependency[]; chartValues?: string } = {}): HostAnalysis {
  const out: HostAnalysis = { files: [], problems: [] };
  // An umbrella's values hold the Falco chart's whatever words they use (`runtime:` and `driver:` alone).
  if (!mayHoldRules(text) && !(options.umbrella?.length && text.length <= MAX_HOST_LENGTH)) return out;
  const lines = new LineIndex(text);
  let set = 0;
  let docs;
  try {
    docs = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  } catch {
    return out;
  }
  if (!Array.isArray(docs)) return out;
  const operator: OperatorResource[] = [];
  const configMaps: ConfigMapDoc[] = [];
  const falcoEnvs = new Map<string, ContainerEnv[]>();
  for (const [docIndex, doc] of docs.entries()) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    if (scalarString(root.get('kind', true)) === 'Falco' && scalarString(root.get('apiVersion', true))?.startsWith(OPERATOR_INSTANCE_GROUP)) {
      const { name, namespace } = metadataOf(root);
      const spec = root.get('spec', true);
      falcoEnvs.set(namespace, [...(falcoEnvs.get(namespace) ?? []), operatorFalcoEnv(isMap(spec) ? spec : new YAMLMap(), lines, name)]);
      continue;
    }
    const resource = operatorResource(text, lines, root, out.problems);
    if (resource) { operator.push(resource); continue; }
    if (scalarString(root.get('kind', true)) === 'Secret') {
      secretDataProblems(root, out.problems);
      secretSizeProblems(root, doc, out.problems);
      continue;
    }
    if (scalarString(root.get('kind', true)) === 'ConfigMap') {
      metadataProblems(root, 'ConfigMap', out.problems);
      const binary = root.get('binaryData', true);
      if (isMap(binary)) for (const pair of binary.items) if (isPair(pair)) binaryDataProblems(pair, out.problems);
      const data = root.get('data', true);
      // data is a map of strings (core/v1 ConfigMap.Data, map[string]string): the API server refuses a value kubectl
      // reads as a number or a boolean ('cannot unmarshal number into Go struct field ConfigMap.data of type string');
      // null is the empty text, or no entry with client-side kubectl apply (emptyEntryProblem).
      if (isMap(data)) {
        for (const pair of data.items) {
          if (!isPair(pair)) continue;
          dataKeyProblem(pair.key, 'data', out.problems);
          dataValueProblem(text, pair, out.problems);
          emptyEntryProblem(pair, out.problems);
        }
      }
      // Pairs kubectl drops (a key written again, or read as the same key) are not the ConfigMap's entries.
      const dropped = configMapKeyProblems(isMap(data) ? data : undefined, isMap(binary) ? binary : undefined, text, lines, out.problems);
      if (isMap(data)) {
        const meta = metadataOf(root);
        const dataPair = pairOf(root, 'data');
        const outer = dataPair ? outlineKey(dataPair, 'data', `ConfigMap '${meta.name}'`) : undefined;
        const found = embeddedEntries(text, lines, data, 'configMap', set, out.problems, target, outer ? [outer] : [], dropped);
        for (const f of found) f.configMap = meta;
        if (found.length > 0 && dataPair) configMapSizeProblems(root, doc, meta.name, dataPair, out.problems);
        const keys = data.items.filter((p) => isPair(p) && !dropped.has(p)).map((p) => scalarString(p.key)).filter((k) => k !== undefined);
        configMaps.push({ ...meta, keys, files: found });
        (out.configMaps ??= []).push({ ...meta, keys });
        if (found.length) { out.files.push(...found); set++; }
      }
      continue;
    }
    // An umbrella chart's dependencies on Falco's chart: the top-level key of each is the Falco chart's values (its
    // `falco:` is falco.yaml's keys, the key itself never is), and one its values turn off is said so, and given no
    // tuning.
    const subcharts = new Map((options.umbrella ?? []).map((d) => [d.key, d]));
    const off = new Set<string>();
    let chartRoot: unknown;
    if (options.chartValues !== undefined && subcharts.size > 0) {
      try { chartRoot = parseDocument(options.chartValues, { uniqueKeys: false, prettyErrors: false }).contents; } catch { chartRoot = undefined; }
    }
    for (const dependency of subcharts.values()) {
      const problem = dependencyOff(root, dependency, options.chartDefaults === true, chartRoot);
      if (problem) { off.add(dependency.key); out.problems.push(problem); }
    }
    // Any `customRules` mapping, however deep (values, umbrella values, HelmRelease, Argo CD Application), and the
    // chart's `falco:` configuration beside it or alone.
    visitMaps(root, 0, [], (map, path) => {
      let loaded: EmbeddedFile[] = [];
      let found: EmbeddedFile[] = [];
      const subchart = path.length === 1 && subcharts.has(String(path[0]));
      // Falco's configuration: a `falco:` mapping of the Falco chart's values, known as such (a dependency's key) or
      // most of whose keys are falco.yaml's; never an umbrella's key for the subchart.
      const isConfig = (value: unknown): value is YAMLMap => isMap(value) && !(path.length === 0 && subcharts.has('falco')) && (subchart || looksLikeFalcoConfig(value));
      for (const pair of map.items) {
        if (!isPair(pair)) continue;
        const key = scalarString(pair.key as Node);
        if (key === 'falco' && isConfig(pair.value)) {
          // Helm reads values as kubectl reads a manifest (go-yaml v2): merge keys and aliases of anchors outside the
          // block are expanded before the chart writes falco.yaml, and the block is checked so expanded (mergeExpansion,
          // as a Falco Operator Config's), unless Helm refuses them or they cannot be written line for line.
          // A chart's own values.yaml holds its defaults: a null there is written into falco.yaml, not removed.
          const helm = options.chartDefaults && path.length === 0 ? HELM_CHART_DEFAULTS : HELM;
          const expanded = expansionProblems(root, pair.value, 'the falco values', (offset) => lines.positionAt(offset).line, helm);
          const merges = expanded.length > 0 && expanded.every((p) => p.severity === 'information') ? mergeExpansion(root, pair.value, text, helm) : undefined;
          for (const { whenExpanded, ...p } of expanded) out.problems.push({ ...p, code: HolderCode.HelmExpanded, ...(merges && whenExpanded ? { message: whenExpanded } : {}) });
          if (expanded.length > 0 && !merges) continue;
          // Helm reads the values' scalars by YAML 1.1 too, and the chart writes them back (toYaml): Falco Lens checks
          // what falco.yaml then holds (`0777` is 511, `on:` the key 'true', a key written twice its last value).
          for (const p of chartConfigProblems(pair.value)) out.problems.push({ ...p, code: HolderCode.HelmScalar });
          for (const p of droppedPairProblems(pair.value, text, 'Helm')) out.problems.push({ ...p, code: HolderCode.HelmDroppedKey, severity: 'warning' });
          if (helm.removesNulls) for (const p of chartNullProblems(pair.value, text)) out.problems.push({ ...p, code: HolderCode.HelmNullKey, severity: 'information' });
          const config = blockCollection(text, lines, pair.value, { kind: 'config', holder: 'chartConfig', key: 'falco.yaml', set, outline: [outlineKey(pair, 'falco')].filter((k) => k !== undefined) });
          const received = config && asReceived(config, pair.value, text, lines, merges, helm);
          if (received) { out.files.push({ ...received, env: chartEnv(map, lines) }); set++; }
        }
        if (key !== 'customRules' || !isMap(pair.value)) continue;
        const outer = outlineKey(pair, 'customRules');
        found = embeddedEntries(text, lines, pair.value, 'customRules', set, out.problems, target, outer ? [outer] : []);
        loaded = customRulesLoadOrder(map, found, out.problems, target, lines);
        if (loaded.length) { out.files.push(...loaded); set++; }
      }
      const values = chartValuesOf(text, lines, map, found.length > 0, target, isConfig(map.get('falco', true)), subchart);
      const rulesPair = values ? pairOf(map, 'customRules') : undefined;
      if (rulesPair) chartRulesSizeProblem(rulesPair, doc, out.problems);
      // A Falco chart these values turn off runs no Falco to tune.
      if (values && !(subchart && off.has(String(path[0])))) (out.chartValues ??= []).push({ files: loaded, ...(values.add ? { add: values.add } : {}), doc: docIndex, path });
    });
  }
  // Where the pod mounts each ConfigMap's entries: read from the workload of the manifest that mounts it, if one does.
  const roots = docs.map((d) => d.contents as unknown).filter((r): r is YAMLMap => isMap(r));
  for (const cm of configMaps) {
    const main = cm.files.find((f) => f.kind === 'config' && f.key === CONFIG_MAP_MAIN_KEY);
    if (!main) continue;
    const placement = configMapMounts(roots, cm, cm.keys);
    if (placement) for (const f of cm.files) f.configMap = { name: cm.name, namespace: cm.namespace, placement };
    unfoundIncludes(main, cm.keys, lines, cm.name, target, out.problems, placement);
  }
  if (operator.length > 0) placeOperatorFiles(operator, configMaps, set, out);
  // A Config's file is read by the Falco of its namespace: the env of the one Falco resource there (none when several).
  for (const file of out.files) {
    const place = file.operator;
    const envs = place?.kind === 'Config' ? falcoEnvs.get(place.namespace) : undefined;
    if (envs?.length === 1) file.env = envs[0];
  }
  return out;
}

export { falcoDependencies, type FalcoDependency };

/**
 * Whether the values turn the dependency off, as Helm decides it (processDependencyEnabled, dependencies.go at v3.19.5
 * and v4.2.4): on the values coalesced (chartutil CoalesceValues: the values given win, a mapping merged key by key
 * into the chart's, a null given deleting the chart's key), the first path of the condition whose value is a boolean
 * decides (a path with another value is passed over); where none does, the tags: off when one of them is false under
 * `tags:` and none true. Values read as Helm reads them (YAML 1.1: `no` is false). Known: `root`, and, where it is
 * another values file of the chart (given with -f), `chartRoot`, the chart's own values.yaml beneath it. Not known:
 * other -f files, --set, a parent chart's values: the information says that they may decide otherwise. At the value
 * that turns it off, or, where the chart's values.yaml decides, at the dependency's key in these values.
 */
function dependencyOff(root: YAMLMap, dependency: FalcoDependency, defaults: boolean, chartRoot?: unknown): HolderProblem | undefined {
  /** The value at `path` once Helm coalesced these values over the chart's, and whose it is. */
  const at = (path: readonly string[]): { node: Node; chart: boolean } | undefined => {
    let mine: unknown = root;
    let theirs: unknown = chartRoot;
    for (const [i, part] of path.entries()) {
      const last = i === path.length - 1;
      const own = isMap(mine) && mine.has(part) ? mine.get(part, true) as Node : undefined;
      theirs = isMap(theirs) ? theirs.get(part, true) : undefined;
      if (own !== undefined) {
        // A null given deletes the chart's key; a text given where the chart has a mapping replaces it.
        if (isScalar(own) && own.value === null) return undefined;
        if (last) return { node: own, chart: false };
        if (!isMap(own)) return undefined;
        mine = own;
        if (!isMap(theirs)) theirs = undefined;
        continue;
      }
      if (mine !== undefined && !isMap(mine)) return undefined;
      mine = undefined;
      if (theirs === undefined) return undefined;
      if (last) return isScalar(theirs) || isMap(theirs) || isSeq(theirs) ? { node: theirs as Node, chart: true } : undefined;
    }
    return undefined;
  };
  const booleanAt = (found: { node: Node } | undefined) => { const read = found && isScalar(found.node) ? kubectlScalar(found.node) : undefined; return read?.type === 'boolean' ? read.value : undefined; };
  const inChart = (found: { chart: boolean }) => (found.chart ? ' in the chart\'s values.yaml (these values do not set it)' : '');
  let why: { found: { node: Node; chart: boolean }; text: string } | undefined;
  for (const condition of dependency.condition) {
    const found = at(condition.split('.'));
    const value = booleanAt(found);
    if (value === undefined) continue;
    if (value) return undefined;
    why = { found: found!, text: `${condition} is false${inChart(found!)}, and ${dependency.listedIn} gives the dependency the condition ${dependency.condition.join(',')}` };
    break;
  }
  if (!why) {
    const tags = dependency.tags.map((tag) => ({ tag, found: at(['tags', tag]) })).map((t) => ({ ...t, value: booleanAt(t.found) }));
    const falseTag = tags.find((t) => t.value === false);
    if (tags.some((t) => t.value === true) || !falseTag) return undefined;
    why = { found: falseTag.found!, text: `tags.${falseTag.tag} is false${inChart(falseTag.found!)} and no other of its tags (${dependency.tags.join(', ')}) is true` };
  }
  // The chart's values.yaml decides: said at the dependency's key here, where these values have it.
  const place = why.found.chart ? pairOf(root, dependency.key)?.key : why.found.node;
  const span = spanOf(place);
  if (!span) return undefined;
  const others = defaults ? 'values given at install' : chartRoot !== undefined ? 'other values given at install (a later -f file, --set)' : 'values given beside them';
  return {
    code: HolderCode.UmbrellaFalcoOff, span, severity: 'information',
    message: `With ${defaults ? 'the chart\'s default values' : chartRoot !== undefined ? 'these values over the chart\'s values.yaml' : 'these values'} Helm does not install the Falco chart that ${dependency.listedIn} lists under '${dependency.key}': ${why.text}. Unless ${others} turn it on, no Falco runs with the values under '${dependency.key}': Falco Lens still checks them, and offers no tuning into them.`,
  };
}

/** Calls `visit` on every mapping down to a modest depth (values are not deep), with the keys and indices leading to
 *  it. */
function visitMaps(node: unknown, depth: number, path: readonly (string | number)[], visit: (map: YAMLMap, path: readonly (string | number)[]) => void): void {
  if (depth > 8) return;
  if (isMap(node)) {
    visit(node, path);
    for (const pair of node.items) if (isPair(pair)) visitMaps(pair.value, depth + 1, [...path, scalarString(pair.key) ?? ''], visit);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => visitMaps(item, depth + 1, [...path, i], visit));
  }
}

/**
 * Whether `map` is a Falco chart's values, and where a customRules entry would go. It is when an umbrella chart's
 * Chart.yaml says so (`known`: the key of its dependency on Falco's chart), when its customRules hold a Falco rules
 * file (`hasRules`), or when it has customRules (the chart's own values.yaml has `customRules: {}`, :499-500 at 9.1.0)
 * beside the chart's `falco:` configuration (`falcoConfig`) or a `falcoctl` or `falcosidekick` key, or has that
 * configuration alone. Another chart's `customRules` (alerting rules) holds no Falco rules file and none of those keys.
 */
function chartValuesOf(text: string, lines: LineIndex, map: YAMLMap, hasRules: boolean, target: string, falcoConfig: boolean, known: boolean): { add?: ChartEntrySpot } | undefined {
  const rulesPair = pairOf(map, 'customRules');
  const value = rulesPair?.value;
  const falcoKeys = falcoConfig || map.has('falcoctl') || map.has('falcosidekick');
  if (!known && (rulesPair ? !hasRules && !falcoKeys : !falcoConfig)) return undefined;
  const paths = valuesRulesPaths(map, target, lines);
  const chartLoad = paths === null ? null : placeIn(paths ?? CHART_RULES_FILES, `${CHART_RULES_DIR}/${CHART_TUNING_KEY}`, valuesMounts(map));
  if (chartLoad === undefined) return {};
  const lineStartAfter = (offset: number): number => {
    if (offset > 0 && text[offset - 1] === '\n') return offset;
    const nl = text.indexOf('\n', offset);
    return nl < 0 ? text.length : nl + 1;
  };
  const column = (offset: number) => lines.positionAt(offset).character;
  if (!rulesPair) {
    const last = map.items[map.items.length - 1];
    const first = spanOf(map.items[0]?.key);
    const end = spanOf(last?.value) ?? spanOf(last?.key);
    if (!first || !end || map.flow) return {};
    return { add: { at: lineStartAfter(end[1]), indent: column(first[0]) + 2, withKey: true, chartLoad } };
  }
  const keySpan = spanOf(rulesPair.key);
  if (!keySpan) return {};
  if (isMap(value) && value.items.length > 0) {
    const firstKey = spanOf(value.items[0].key);
    const last = value.items[value.items.length - 1];
    const end = spanOf(last.value) ?? spanOf(last.key);
    if (value.flow || !firstKey || !end) return {};
    return { add: { at: lineStartAfter(end[1]), indent: column(firstKey[0]), withKey: false, chartLoad } };
  }
  // An empty value: `{}` or `~` removed (with the blanks before it, or its whole line when nothing else is on it), the
  // entry on the line after it; nothing at all: on the line after the key.
  const indent = column(keySpan[0]) + 2;
  const own = spanOf(value);
  if (!own || own[1] <= own[0]) return { add: { at: lineStartAfter(keySpan[1]), indent, withKey: false, chartLoad } };
  let start = own[0];
  while (start > keySpan[1] + 1 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  const at = lineStartAfter(own[1]);
  const rest = text.slice(own[1], at);
  const lineStart = text.lastIndexOf('\n', own[0] - 1) + 1;
  if (lineStart > keySpan[1] && text.slice(lineStart, own[0]).trim() === '' && rest.trim() === '') start = lineStart;
  return { add: { at, remove: [start, start === lineStart && rest.trim() === '' ? at : own[1]], indent, withKey: false, chartLoad } };
}

/** Where Falco reads `file` among `paths` (the file, or the folder holding it); undefined when it does not. */
function placeIn(paths: readonly string[], file: string, mounts: readonly string[]): ChartLoad | undefined {
  const at = paths.findIndex((p) => p === file || file.startsWith(`${p}/`));
  return at < 0 ? undefined : { paths, at, mounts };
}

/** The `mountPath` of each of the values' `mounts.volumeMounts` (trailing slashes dropped). */
function valuesMounts(values: YAMLMap): string[] {
  const mounts = values.get('mounts', true);
  const list = isMap(mounts) ? mounts.get('volumeMounts', true) : undefined;
  if (!isSeq(list)) return [];
  return list.items.map((m) => (isMap(m) ? scalarString(m.get('mountPath', true)) : undefined)).filter((p): p is string => p !== undefined && p !== '').map((p) => (p.length > 1 ? withoutTrailing(p, '/') : p));
}

function scalarString(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function embeddedEntries(text: string, lines: LineIndex, map: YAMLMap, holder: Holder, set: number, problems: HolderProblem[], target: string, outer: readonly OutlineKey[], dropped?: ReadonlySet<unknown>): EmbeddedFile[] {
  const files: EmbeddedFile[] = [];
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key) || dropped?.has(pair)) continue;
    const key = scalarString(pair.key);
    const keyRange = (pair.key as Scalar).range;
    if (key === undefined || !keyRange) continue;
    const keySpan = [keyRange[0], keyRange[1]] as const;
    const value = pair.value;
    if (!isScalar(value)) continue;
    const own = outlineKey(pair, key);
    const file = literalBlock(text, lines, value, holder, key, keySpan, set, own ? [...outer, own] : outer);
    const content = file?.text ?? (typeof value.value === 'string' ? value.value : '');
    // A ConfigMap holds all sorts of files: falco.yaml and the entries whose text is a mapping of falco.yaml's keys
    // are Falco's configuration, the ones whose text has Falco's items are rules files. Other charts name values
    // `customRules` too (kube-prometheus-stack's are alerting rules): text that is plainly something else is left
    // alone.
    const kind = holder === 'configMap' ? configMapEntryKind(key, content) : rulesFileShape(content) === 'foreign' ? undefined : 'rules';
    if (!kind) continue;
    checkKey(key, keySpan, holder, problems, target);
    // A customRules entry Falco skips (checkKey says so on its key) is a file nobody loads: its macros and lists are
    // not its neighbours', its rules never alert. It is in no set, and its text is not checked: what Falco Lens could
    // say about a file Falco never reads would not be what Falco says once it is renamed and loaded with the others.
    if (holder === 'customRules' && !loadsRulesPath(`${CHART_RULES_DIR}/${key}`, target)) continue;
    if (file) files.push(kind === 'config' ? { ...file, kind } : file);
    else if (typeof value.value === 'string' && value.value.trim() !== '') {
      const what = kind === 'config' ? 'Falco configuration file' : 'rules file';
      problems.push({
        code: HolderCode.NotLiteralBlock, span: keySpan, severity: 'information',
        message: `Falco Lens checks a ${what} written as a literal block (\`${key}: |-\` and the file on the lines below); this one is written as a ${value.type === 'BLOCK_FOLDED' ? 'folded block (\'>\'), which joins lines and can change what Falco reads' : 'one-line string'}, and is not checked.`,
      });
    }
  }
  // Falco reads a folder's files sorted by path (configuration.cpp read_rules_file_directory).
  return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * What a ConfigMap entry holds for Falco: its configuration (an entry named falco.yaml, or a `*.yaml`/`*.yml` entry
 * whose text is a mapping most of whose keys are falco.yaml's), a rules file (Falco's items), or nothing of Falco's.
 * A text holding `{{` is a Helm template (the chart's own templates/configmap.yaml), not what Falco reads.
 */
function configMapEntryKind(key: string, content: string): 'rules' | 'config' | undefined {
  if (key === CONFIG_MAP_MAIN_KEY) return content.includes('{{') ? undefined : 'config';
  if (/\.ya?ml$/.test(key) && !content.includes('{{') && /^[A-Za-z_"']/m.test(content)) {
    try {
      const parsed = parseDocument(content, { uniqueKeys: false, prettyErrors: false });
      if (isMap(parsed.contents) && looksLikeFalcoConfig(parsed.contents)) return 'config';
    } catch { /* not YAML: not a configuration */ }
  }
  return rulesFileShape(content) === 'falco' ? 'rules' : undefined;
}

/** Why the API server refuses `key` as a ConfigMap key (k8s.io/apimachinery validation.go IsConfigMapKey), or
 *  undefined for a key it takes. */
function configMapKeyInvalid(key: string): string | undefined {
  return key.length > MAX_CONFIG_MAP_KEY ? `is longer than ${MAX_CONFIG_MAP_KEY} characters`
    : !CONFIG_MAP_KEY.test(key) ? 'may only hold letters, digits, \'-\', \'_\' and \'.\''
      : key === '.' || key === '..' || key.startsWith('..') ? 'must not be \'.\' or \'..\' or start with \'..\''
        : undefined;
}

function checkKey(key: string, keySpan: readonly [number, number], holder: Holder, problems: HolderProblem[], target: string): void {
  const invalid = configMapKeyInvalid(key);
  if (invalid) {
    const replacement = key.replace(/[^-._a-zA-Z0-9]+/g, '-').replace(/^\.+/, '').slice(0, MAX_CONFIG_MAP_KEY) || 'custom-rules.yaml';
    problems.push({
      code: HolderCode.InvalidConfigMapKey, span: keySpan, severity: 'error',
      message: `'${key}' cannot be a ConfigMap key: a key ${invalid}. ${holder === 'customRules' ? 'The chart writes customRules into a ConfigMap, so the install or upgrade fails.' : 'Kubernetes refuses this ConfigMap.'}`,
      ...(replacement !== key ? { replacement } : {}),
    });
    return;
  }
  // The chart mounts each entry as a file of rules.d, which Falco reads as a rules folder (config/rulesFiles.ts).
  if (holder === 'customRules' && !loadsRulesPath(`${CHART_RULES_DIR}/${key}`, target)) {
    // Falco's *.yaml test takes the first '.yaml' of the path (falco_utils.cpp matches_wildcard): a.yaml.yaml fails.
    let stem = key;
    while (/\.ya?ml$/.test(stem)) stem = stem.replace(/\.ya?ml$/, '');
    const replacement = `${stem.replace(/\.(ya?ml)/g, '-$1') || 'custom-rules'}.yaml`;
    const why = /\.ya?ml$/.test(key) ? `whose path matches *.yaml or *.yml as Falco matches it: the first '.yaml' (or '.yml') of the path must end it` : 'whose names end in .yaml or .yml';
    problems.push({
      code: HolderCode.NotYamlName, span: keySpan, severity: 'warning',
      message: `Falco skips '${key}': since 0.41 it loads only the files of ${CHART_RULES_DIR} ${why}, and says nothing about the others, so its macros, lists and rules are not loaded (Falco Lens does not check its text either). Name it '${replacement}'.`,
      replacement,
    });
  }
}

/**
 * The customRules files in the order Falco loads them. The chart renders the values' `falco` into falco.yaml (Helm
 * replaces the chart's own `rules_files` list with the values' one), and Falco reads `rules_files` in order, a folder
 * as its *.yaml/*.yml files sorted by path and a file named alone where it is named (configuration.cpp:312-318 and
 * read_rules_file_directory :701-743 at 0.44.0; the deprecated `rules_file` instead, and only it before 0.38, :292-306).
 * A file named before /etc/falco/rules.d loads first; a file both named and in the folder is read twice by Falco,
 * and once by Falco Lens, at its first place (as the rules workspace does). A file neither named nor in a listed
 * folder is mounted and never read: it is reported, and in no set (its text is not checked). Without `rules_files`
 * in the values the chart's default reads rules.d; values naming a path through `${VAR}` are not judged.
 * Each loaded file keeps its place among the paths (`chartLoad`, for tuning). Falco Lens checks the set after the
 * workspace's rules files, standing for the chart's other paths (/etc/falco/falco_rules.yaml...): a file the values
 * name before such a path is read earlier by Falco, which Falco Lens cannot reproduce (it does not know which
 * workspace file is which path of the pod), so it says so on the file's key.
 */
function customRulesLoadOrder(holder: YAMLMap, files: EmbeddedFile[], problems: HolderProblem[], target: string, lines: LineIndex): EmbeddedFile[] {
  const values = files.length > 0 ? valuesRulesPaths(holder, target, lines) : undefined;
  if (values === null) {
    for (const file of files) file.chartLoad = null;
    return files;
  }
  const paths = values ?? CHART_RULES_FILES;
  const mounts = valuesMounts(holder);
  const dir = CHART_RULES_DIR;
  const ordered: EmbeddedFile[] = [];
  const inRulesDir = (path: string) => path === dir || path.startsWith(`${dir}/`);
  paths.forEach((path, at) => {
    // `files` are sorted by name: a folder's order.
    const reads = path === dir ? files.filter((f) => !ordered.includes(f)) : files.filter((f) => path === `${dir}/${f.key}` && !ordered.includes(f));
    for (const file of reads) {
      ordered.push(file);
      file.chartLoad = { paths, at, mounts };
      const later = paths.slice(at + 1).find((p) => !inRulesDir(p));
      if (later === undefined) continue;
      problems.push({
        code: HolderCode.RulesLoadBefore, span: file.keySpan, severity: 'information',
        message: `Falco reads '${file.key}' before ${later} (falco.rules_files names ${path} first), but Falco Lens checks it after the workspace's rules files, not knowing which of them is ${later}: a macro or list it uses from that file, or an override of one of its rules, is not judged as Falco reads them (Falco refuses a name it has not read yet).`,
      });
    }
  });
  if (!values) return files;
  for (const file of files) {
    if (ordered.includes(file)) continue;
    problems.push({
      code: HolderCode.RulesDirNotLoaded, span: file.keySpan, severity: 'warning',
      message: `Falco never loads '${file.key}': the chart mounts customRules in ${dir}, and falco.rules_files lists neither that folder nor ${dir}/${file.key}, so its macros, lists and rules are not loaded (Falco Lens does not check its text either). Add '${dir}' to falco.rules_files.`,
    });
  }
  return ordered;
}

/** The rules paths of the values' `falco` beside `holder` as the target release reads them (trailing slashes
 *  dropped), a `${VAR}` replaced by the literal value the values' extra.env gives it (containerEnv.ts chartEnv);
 *  undefined when the values do not set them, null when they name a path through a variable whose value is not known. */
function valuesRulesPaths(holder: YAMLMap, target: string, lines: LineIndex): string[] | null | undefined {
  const falco = holder.get('falco', true);
  if (!isMap(falco)) return undefined;
  const plural = compareVersions(target, '0.38') < 0 ? undefined : falco.get('rules_files', true);
  const node = plural ?? falco.get('rules_file', true);
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return undefined;
  const items = isSeq(node) ? node.items : [node];
  let paths = items.map((i) => scalarString(i)).filter((p): p is string => p !== undefined && p !== '');
  if (paths.some((p) => p.includes('$'))) {
    const env = envLookup(chartEnv(holder, lines));
    const read = paths.map((p) => envReading(p, env).text);
    if (read.some((p) => p === undefined)) return null;
    paths = (read as string[]).filter((p) => p !== '');
  }
  return paths.map((p) => (p.length > 1 ? withoutTrailing(p, '/') : p));
}

/** The embedded file of a literal block scalar, or undefined for any other scalar. */
function literalBlock(text: string, lines: LineIndex, value: Scalar, holder: Holder, key: string, keySpan: readonly [number, number], set: number, outline: readonly OutlineKey[]): EmbeddedFile | undefined {
  if (value.type !== 'BLOCK_LITERAL') return undefined;
  const token = value.srcToken as { type?: string; indent?: number; props?: { type: string; offset: number; source: string }[]; source?: string } | undefined;
  if (!token || token.type !== 'block-scalar' || !token.props || typeof token.source !== 'string' || !value.range) return undefined;
  const header = token.props.find((p) => p.type === 'block-scalar-header');
  const newline = token.props.find((p) => p.type === 'newline');
  if (!header || !newline) return undefined;
  const contentStart = newline.offset + newline.source.length;
  const contentEnd = value.range[2];
  if (contentEnd <= contentStart) return undefined;
  const firstLine = lines.positionAt(contentStart).line;
  // The last content line: the one holding the last character before the end (the end follows a line break).
  const lastLine = lines.positionAt(Math.max(contentStart, contentEnd - 1)).line;
  const indicator = /[1-9]/.exec(header.source)?.[0];
  let indent: number;
  if (indicator) indent = (token.indent ?? 0) + Number(indicator);
  else {
    indent = -1;
    for (let l = firstLine; l <= lastLine && indent < 0; l++) {
      const line = lineText(text, lines, l);
      if (line.trim() !== '') indent = leadingSpaces(line);
    }
    if (indent < 0) return undefined;
  }
  const { cuts, embedded } = cutLines(text, lines, firstLine, lastLine, indent);
  const endsWithBreak = /[\r\n]$/.test(embedded);
  return { kind: 'rules', holder, key, keySpan, set, firstLine, cuts, indent, endsWithBreak, text: embedded, outline };
}

/**
 * Whether a `falco:` mapping is Falco's configuration (the chart's values) rather than an umbrella chart's values for
 * the Falco subchart (`driver`, `customRules`, `falco`…): most of its keys are keys of falco.yaml.
 */
function looksLikeFalcoConfig(map: YAMLMap): boolean {
  const keys = map.items.filter(isPair).map((p) => scalarString(p.key as Node)).filter((k): k is string => k !== undefined);
  const known = keys.filter((k) => CONFIG_KEYS.has(k)).length;
  return known > 0 && known * 2 >= keys.length;
}

const CONFIG_KEYS = new Set(Object.keys(FALCO_CONFIG_SCHEMA.properties ?? {}));

/**
 * The embedded file of a block collection: its lines, cut by the collection's indentation (a mapping's keys, a list's
 * dashes). A comment line less indented than that is still inside a collection (YAML ignores comments' indentation):
 * it is cut by the blanks it has and stays a comment at the start of its line.
 */
function blockCollection(text: string, lines: LineIndex, node: YAMLMap | YAMLSeq, what: { kind: EmbeddedFile['kind']; holder: Holder; key: string; keySpan?: readonly [number, number]; set: number; outline: readonly OutlineKey[] }): EmbeddedFile | undefined {
  if (node.flow || !node.range) return undefined;
  const start = node.range[0];
  const end = Math.max(start, node.range[2]);
  const firstLine = lines.positionAt(start).line;
  const indent = start - lines.lineStarts[firstLine];
  // The first key or dash must start its line (a collection written on the key's line is not a block of lines).
  if (text.slice(lines.lineStarts[firstLine], start).trim() !== '') return undefined;
  const lastLine = lines.positionAt(Math.max(start, end - 1)).line;
  const { cuts, embedded } = cutLines(text, lines, firstLine, lastLine, indent);
  const keySpan = what.keySpan ?? [start, start] as const;
  return { kind: what.kind, holder: what.holder, key: what.key, keySpan, set: what.set, firstLine, cuts, indent, endsWithBreak: /[\r\n]$/.test(embedded), text: embedded, outline: what.outline };
}

/** The file with each change (host offsets, one line each, or blanks of the host's length over several lines) made
 *  to its text, and the shifts that map its positions. */
function withChanges(file: EmbeddedFile, lines: LineIndex, hostText: string, changes: readonly { span: readonly [number, number]; text: string; whole?: true; anchor?: CopiedAnchor }[]): EmbeddedFile {
  if (changes.length === 0) return file;
  const starts = new LineIndex(file.text).lineStarts;
  const shifts: Record<number, TextShift[]> = {};
  let text = '';
  let done = 0;
  // Blanks over several lines (a pair kubectl drops) become one blank change per line, after the line's cut.
  const perLine = changes.flatMap((change) => {
    const [from, to] = change.span;
    const first = lines.positionAt(from).line;
    const last = lines.positionAt(to).line;
    if (first === last) return [change];
    const out: { span: readonly [number, number]; text: string; whole?: true; anchor?: CopiedAnchor }[] = [];
    for (let l = first; l <= last; l++) {
      const lineStart = lines.lineStarts[l];
      const cut = l - file.firstLine >= 0 && l - file.firstLine < file.cuts.length ? file.cuts[l - file.firstLine] : 0;
      const start = Math.max(from, lineStart + cut);
      let end = Math.min(to, l + 1 < lines.lineCount ? lines.lineStarts[l + 1] : hostText.length);
      while (end > start && (hostText[end - 1] === '\n' || hostText[end - 1] === '\r')) end--;
      if (end > start) out.push({ span: [start, end], text: ' '.repeat(end - start) });
    }
    return out;
  });
  for (const change of perLine) {
    const host = lines.positionAt(change.span[0]);
    const line = host.line - file.firstLine;
    if (line < 0 || line >= file.cuts.length || lines.positionAt(change.span[1]).line !== host.line) continue;
    const at = host.character - file.cuts[line];
    const offset = starts[line] + at;
    if (at < 0 || offset < done) continue;
    const length = change.span[1] - change.span[0];
    (shifts[line] ??= []).push({ at, length, text: change.text, ...(change.whole ? { whole: true as const } : {}), ...(change.anchor ? { anchor: change.anchor } : {}) });
    text += file.text.slice(done, offset) + change.text;
    done = offset + length;
  }
  return { ...file, text: text + file.text.slice(done), shifts };
}

/**
 * The file with each `<<` pair's lines replaced by the pairs kubectl merges there, one line each at the key's column
 * (operatorScalars.ts mergeExpansion): what Falco receives. The new lines map to the `<<` pair's first host line
 * (EmbeddedFile.lineOf, merged). Undefined where a `<<` pair shares a line with other text.
 */
function withMerges(file: EmbeddedFile, lines: LineIndex, hostText: string, regions: readonly MergeRegion[]): EmbeddedFile | undefined {
  const starts = new LineIndex(file.text).lineStarts;
  const lineAt = (i: number) => file.text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : file.text.length);
  const eol = lineEnding(file.text);
  const texts: string[] = [];
  const lineOf: number[] = [];
  const merged: boolean[] = [];
  const cuts: number[] = [];
  const shifts: Record<number, TextShift[]> = {};
  const byLine = new Map(regions.map((r) => [lines.positionAt(r.span[0]).line - file.firstLine, r]));
  for (let i = 0; i < file.cuts.length; i++) {
    const region = byLine.get(i);
    if (!region) {
      if (file.shifts?.[i]) shifts[texts.length] = [...file.shifts[i]];
      texts.push(lineAt(i)); lineOf.push(i); merged.push(false); cuts.push(file.cuts[i]);
      continue;
    }
    const first = lines.positionAt(region.span[0]);
    const last = lines.positionAt(region.span[1]);
    const lastLine = last.line - file.firstLine;
    const before = hostText.slice(lines.lineStarts[first.line], region.span[0]);
    const after = lineText(hostText, lines, last.line).slice(last.character);
    if (before.trim() !== '' || (after.trim() !== '' && !after.trim().startsWith('#')) || lastLine >= file.cuts.length) return undefined;
    const column = first.character - file.cuts[i];
    // Merged lines map to the '<<' (after a tag, `!!merge <<`).
    const key = first.character + Math.max(0, hostText.indexOf('<<', region.span[0]) - region.span[0]);
    for (const pair of region.pairs.length > 0 ? region.pairs : ['']) {
      texts.push(pair === '' ? eol : `${' '.repeat(column)}${pair}${eol}`); lineOf.push(i); merged.push(true); cuts.push(key);
    }
    i = lastLine;
  }
  // The file's last line keeps its own ending (none where the block ends without one).
  const text = texts.join('');
  const lastEnds = /[\r\n]$/.test(file.text);
  return { ...file, text: lastEnds || !/[\r\n]$/.test(text) ? text : text.replace(/\r?\n$/, ''), cuts, lineOf, merged, shifts };
}

/** The host's lines firstLine..lastLine without their first `indent` columns (fewer where a line has fewer blanks). */
function cutLines(text: string, lines: LineIndex, firstLine: number, lastLine: number, indent: number): { cuts: number[]; embedded: string } {
  const cuts: number[] = [];
  let embedded = '';
  for (let l = firstLine; l <= lastLine; l++) {
    const start = lines.lineStarts[l];
    const end = l + 1 < lines.lineCount ? lines.lineStarts[l + 1] : text.length;
    const cut = Math.min(indent, leadingSpaces(text.slice(start, Math.min(end, start + indent))));
    cuts.push(cut);
    embedded += text.slice(start + cut, end);
  }
  return { cuts, embedded };
}

function lineText(text: string, lines: LineIndex, line: number): string {
  const start = lines.lineStarts[line];
  const end = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : text.length;
  return text.slice(start, end).replace(/[\r\n]+$/, '');
}

function leadingSpaces(s: string): number {
  let n = 0;
  while (n < s.length && s.charCodeAt(n) === 32) n++;
  return n;
}

// ---- Positions ----

/** The embedded position of a host position, or undefined when it is not inside the file's lines. */
export function toEmbedded(file: EmbeddedFile, position: Position): Position | undefined {
  if (file.lineOf) {
    const line = file.lineOf.indexOf(position.line - file.firstLine);
    if (line < 0) return undefined;
    if (file.merged?.[line]) return { line, character: 0 };
    return { line, character: shifted(file.shifts?.[line], Math.max(0, position.character - file.cuts[line]), true) };
  }
  const line = position.line - file.firstLine;
  if (line < 0 || line >= file.cuts.length) return undefined;
  return { line, character: shifted(file.shifts?.[line], Math.max(0, position.character - file.cuts[line]), true) };
}

/** A column of a line moved across its shifts: from the host's (after the cut) to the embedded file's, or back. */
function shifted(shifts: readonly TextShift[] | undefined, column: number, toEmbedded: boolean): number {
  if (!shifts) return column;
  let delta = 0; // embedded minus host, before the column
  for (const s of shifts) {
    const start = toEmbedded ? s.at : s.at + delta;
    const [from, to] = toEmbedded ? [s.length, s.text.length] : [s.text.length, s.length];
    if (column >= start + from) {
      delta += s.text.length - s.length;
      continue;
    }
    if (column > start) return (toEmbedded ? s.at + delta : s.at) + Math.min(column - start, to);
    break;
  }
  return toEmbedded ? column + delta : column - delta;
}

/**
 * The host position of an embedded position. The line after the embedded text's final line break (where text is
 * appended) is the start of the host line after the block.
 */
export function toHost(file: EmbeddedFile, position: Position): Position {
  if (file.lineOf) {
    if (position.line >= file.cuts.length) return { line: file.firstLine + file.lineOf[file.lineOf.length - 1] + 1, character: 0 };
    const line = file.firstLine + file.lineOf[position.line];
    // A merged pair stands for the '<<' pair: at its key.
    if (file.merged?.[position.line]) return { line, character: file.cuts[position.line] };
    return { line, character: shifted(file.shifts?.[position.line], position.character, false) + file.cuts[position.line] };
  }
  if (position.line >= file.cuts.length) return { line: file.firstLine + file.cuts.length, character: 0 };
  return { line: file.firstLine + position.line, character: shifted(file.shifts?.[position.line], position.character, false) + file.cuts[position.line] };
}

/** The host range of an embedded range: toHost at each end, an end inside text kubectl writes over a host span whole
 *  (TextShift.whole) moved to that span's end, so that a finding in an alias's copy is shown on the whole alias. */
export function toHostRange(file: EmbeddedFile, range: Range): Range {
  const start = toHost(file, range.start);
  const end = toHost(file, range.end);
  if (!file.shifts) return { start, end };
  const within = (p: Position) => shiftedColumns(file, p.line, p.line).find((s) => s.whole && p.character > s.from && p.character < s.to);
  const first = within(range.start);
  const last = within(range.end);
  if (first) start.character = file.cuts[range.start.line] + first.hostAt;
  if (last) end.character = file.cuts[range.end.line] + last.hostAt + last.hostLength;
  return { start, end };
}

/** A shifted scalar of an embedded file (EmbeddedFile.shifts) as columns of its embedded line: `from` to `to`, the
 *  text there (what Falco receives), the host's columns after the cut, and whether it blanks a pair kubectl drops. */
export interface ShiftedColumns { line: number; from: number; to: number; text: string; hostAt: number; hostLength: number; blank: boolean; whole?: true; anchor?: CopiedAnchor }

/** The shifted scalars of embedded lines `first`..`last`, in order. */
export function shiftedColumns(file: EmbeddedFile, first: number, last: number): ShiftedColumns[] {
  const out: ShiftedColumns[] = [];
  if (!file.shifts) return out;
  for (let line = first; line <= last; line++) {
    let delta = 0;
    for (const s of file.shifts[line] ?? []) {
      out.push({ line, from: s.at + delta, to: s.at + delta + s.text.length, text: s.text, hostAt: s.at, hostLength: s.length, blank: !s.whole && s.text.trim() === '', ...(s.whole ? { whole: true as const } : {}), ...(s.anchor ? { anchor: s.anchor } : {}) });
      delta += s.text.length - s.length;
    }
  }
  return out;
}

// ---- The Falco Operator's resources (github.com/falcosecurity/falco-operator, v0.2.0 and later) ----
//
// The artifact operator runs beside Falco in its pod, watches the Rulesfile and Config resources
// (artifact.falcosecurity.dev/v1alpha1) of the pod's namespace only (cmd/artifact/main.go: the cache's
// DefaultNamespaces is POD_NAMESPACE), and writes what they hold into files (internal/pkg/artifact/manager.go Path):
// a Rulesfile's rules into /etc/falco/rules.d, a Config's configuration into /etc/falco/config.d
// (internal/pkg/mounts/consts.go), each named `<priority>-<sub-priority>-<name>-<medium>.yaml`, both numbers on two
// digits (internal/pkg/priority NameFromPriorityAndSubPriority), the sub-priority 01 for an OCI artifact, 02 for a
// ConfigMap's entry and 03 for what the resource holds inline (priority.go OCISubPriority, CMSubPriority,
// InLineRulesSubPriority). The Falco it deploys reads rules_files [/etc/falco/rules.d] and config_files
// [/etc/falco/config.d] and nothing else (internal/pkg/resources/falco.go), each folder's files sorted by path
// (configuration.cpp:723 read_rules_file_directory and :203 merge_config_files at 0.44.0): the file's name is the
// load order. spec.priority is 0-99 (the CRD's minimum and maximum), 50 when absent (its default); lower loads first.
// Of the official rules only what an OCI Rulesfile pulls is loaded (usually falcosecurity/rules/falco-rules).
//
// spec.inlineRules and spec.config are structured YAML (apiextensionsv1.JSON with x-kubernetes-preserve-unknown-fields,
// so any value is accepted): the API server keeps them as JSON and the operator writes them back as YAML
// (internal/pkg/common/json.go JSONRawToYAML): comments and the order of keys are lost, and a plain scalar kubectl reads
// as no string comes back as its JSON value (`0777` as 511, `yes` as true: operatorScalars.ts flags them). A
// text there (the v0.1.x form `inlineRules: |-`) is written as a YAML text: Falco refuses such a rules file ("Rules
// content is not yaml", rule_loader_reader.cpp:993 at 0.44.0) and merges nothing from such a configuration file
// (yaml_helper.h include_config_file iterates a mapping's pairs; yaml-cpp iterates nothing else). A configMapRef names
// a ConfigMap of the resource's namespace whose entry `rules.yaml` (a Rulesfile) or `config.yaml` (a Config) is
// written at the resource's place (manager.go StoreFromConfigMap, api/common/v1alpha1 ConfigMapRulesKey and
// ConfigMapConfigKey); without that entry nothing is written, and only the operator's log says so. A ConfigMap that
// does not exist stops the resource's reconciliation before anything of it is written (enforceReferenceResolution in
// controllers/artifact/rulesfile/controller.go and config/controller.go, v0.2.2 to v0.4.1: the ResolvedRefs condition
// turns False and the operator retries). A ConfigMap of another file is found by embedded/index.ts (OperatorRef).

/** The group of the operator's Falco resource (api/instance/v1alpha1/groupversion_info.go at v0.4.1). */
const OPERATOR_INSTANCE_GROUP = 'instance.falcosecurity.dev/';
/** Where the operator writes rules files and configuration files (internal/pkg/mounts/consts.go). */
export const OPERATOR_RULES_DIR = '/etc/falco/rules.d';
export const OPERATOR_CONFIG_DIR = '/etc/falco/config.d';
/** spec.priority when the resource does not set it (the CRD's default), and its bounds. */
export const OPERATOR_DEFAULT_PRIORITY = 50;
const OPERATOR_MAX_PRIORITY = 99;
const SUB_PRIORITY = { oci: 1, configmap: 2, inline: 3 } as const;

/** The name the operator gives the file of a resource's medium (priority.NameFromPriorityAndSubPriority). */
export function operatorFileName(priority: number, medium: keyof typeof SUB_PRIORITY, resource: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(priority)}-${two(SUB_PRIORITY[medium])}-${resource}-${medium}.yaml`;
}

interface OperatorResource {
  kind: 'Rulesfile' | 'Config';
  resource: string;
  namespace: string;
  priority: number;
  /** What the resource holds inline, embedded (its place is set by placeOperatorFiles). */
  inline?: EmbeddedFile;
  configMapRef?: { name: string; span: readonly [number, number] };
  oci?: string;
  selector?: string;
}

interface ConfigMapDoc extends ConfigMapSummary {
  files: EmbeddedFile[];
}

function metadataOf(root: YAMLMap): { name: string; namespace: string } {
  const metadata = root.get('metadata', true);
  return {
    name: (isMap(metadata) ? scalarString(metadata.get('name', true)) : undefined) ?? '',
    namespace: (isMap(metadata) ? scalarString(metadata.get('namespace', true)) : undefined) ?? '',
  };
}

function pairOf(map: YAMLMap, key: string) {
  return map.items.find((p) => isPair(p) && scalarString(p.key) === key);
}

function spanOf(node: unknown): readonly [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** Embedded file `file` of `node` as Falco receives it once `reader` (kubectl, Helm) has read it and the operator or
 *  the chart has written it back: the scalars written back otherwise are that text, and where `merges`, the merge keys
 *  and the aliases of anchors outside the block are expanded (withMerges, the copies in the aliases' place). */
function asReceived(file: EmbeddedFile, node: Node, text: string, lines: LineIndex, merges: KubectlExpansion | undefined, reader: ExpandingReader): EmbeddedFile | undefined {
  if (!merges) return withChanges(file, lines, text, operatorTextChanges(node, text, reader));
  const written = [...merges.regions, ...merges.replacements].map((r) => r.span);
  const inside = (span: readonly [number, number]) => written.some((r) => span[0] >= r[0] && span[1] <= r[1]);
  const changes = [
    ...operatorTextChanges(node, text, reader).filter((c) => !inside(c.span)), ...merges.replacements.map((r) => ({ ...r, whole: true as const })),
    ...merges.blanks.map((span) => ({ span, text: text.slice(span[0], span[1]).replace(/[^\r\n]/g, ' ') })),
  ];
  const changed = withChanges(file, lines, text, changes.sort((a, b) => a.span[0] - b.span[0]));
  return merges.regions.length > 0 ? withMerges(changed, lines, text, merges.regions) : changed;
}

/**
 * A ConfigMap data value the API server refuses: data is a map of texts (core/v1 ConfigMap.Data, map[string]string),
 * so a value kubectl reads as a number or a boolean (YAML 1.1: `0777`, `yes`), a mapping or a list fails to decode
 * ('json: cannot unmarshal number into Go struct field ConfigMap.data of type string'; null is stored as the empty
 * text). A scalar gets the quick fix quoting it; a block mapping or list more indented than its key, one turning it
 * into a literal block (` |` after the key's colon: its lines, comments included, become the text).
 */
function dataValueProblem(text: string, pair: Pair, problems: HolderProblem[]): void {
  const key = scalarString(pair.key as Node) ?? '';
  const typed = nameProblem(pair.value, `data.${key}`, 'ConfigMap');
  if (typed) { problems.push({ ...typed, code: HolderCode.KubectlScalar }); return; }
  const value = pair.value;
  const keySpan = spanOf(pair.key);
  if (!(isMap(value) || isSeq(value)) || !keySpan) return;
  const what = isMap(value) ? 'a mapping' : 'a list';
  const problem: HolderProblem = {
    code: HolderCode.ConfigMapNotText, span: keySpan, severity: 'error',
    message: `Kubernetes refuses this ConfigMap: data.${key} must be a text (a file's content), and this value is ${what} ('cannot unmarshal ${isMap(value) ? 'object' : 'array'} into Go struct field ConfigMap.data of type string').${value.flow ? '' : ' Write it as a literal block (|) to keep these lines as the text.'}`,
  };
  // The key, its colon and nothing else on the line (no tag, anchor or comment), and every line of the value (its
  // comments too) indented past the key: `key: |` makes those lines the text as they are.
  const colon = /[ \t]*:[ \t]*(?=\r?\n)/y;
  colon.lastIndex = keySpan[1];
  const found = colon.exec(text);
  const valueSpan = spanOf(value);
  const keyColumn = keySpan[0] - text.lastIndexOf('\n', keySpan[0] - 1) - 1;
  const lines = valueSpan !== undefined && found !== null ? text.slice(keySpan[1] + found[0].length, valueSpan[1]).split(/\r?\n/).slice(1) : [];
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  if (!value.flow && found && indents.length > 0 && indents[0] > keyColumn && indents.every((n) => n >= indents[0])) {
    const span = [keySpan[0], keySpan[1] + found[0].length] as const;
    const replacement = `${text.slice(keySpan[0], keySpan[1])}: |`;
    // Checked: the value reads back as the text of those lines (a blank line with more blanks than the first line,
    // which a literal block refuses, keeps the fix out).
    const fixed = parseDocument(`${replacement}${text.slice(span[1], valueSpan![1])}\n`);
    if (fixed.errors.length === 0 && isMap(fixed.contents) && isScalar(fixed.contents.items[0]?.value) && typeof fixed.contents.items[0].value.value === 'string') {
      Object.assign(problem, { span, replacement, fixTitle: 'Write the value as a literal block (|)' });
    }
  }
  problems.push(problem);
}

/**
 * A data entry with no value (`falco_rules.local.yaml:` and nothing, `~`, `null`) named as a YAML file: kubectl sends
 * null, and what becomes of it depends on the command. `kubectl create` (or replace) posts it, and the API server
 * decodes null into the map of texts as the empty text (encoding/json leaves a string it reads null into empty): the
 * pod's file is empty, and Falco reading an empty rules file finds no YAML document in it and loads nothing, without a
 * word (rule_loader_reader.cpp at 0.44.0:975-991: loadall_from_string, then only defined, non-null documents are
 * read). `kubectl apply` takes null for removing the key: on a ConfigMap that exists, its three-way patch sends the
 * null and the strategic merge patch deletes the key (k8s.io/apimachinery strategicpatch/patch.go mergeMap: "If the
 * value of this key is null, delete the key"); since kubectl 1.31 it leaves nulls out of a ConfigMap it creates too
 * (kubectl pkg/cmd/apply/apply.go pruneNullsFromMap, v0.31.0). Then the ConfigMap has no such entry and the pod no
 * such file.
 */
/** Where Falco's files go once a ConfigMap is too large: the advice of the size findings. */
const SPLIT_ADVICE = 'split the files into several ConfigMaps and mount them where Falco reads them: one projected volume with a configMap source for each, mounted at the folder rules_files lists (/etc/falco/rules.d), or each ConfigMap at a folder of its own that rules_files lists';

/**
 * A ConfigMap holding Falco's files that Kubernetes refuses for its size (objectSize.ts has the facts): its data and
 * binaryData over 1 MiB, whichever way it is sent (an error), or, under that, the annotation client-side kubectl apply
 * writes taking its annotations over 256 KiB (a warning: server-side apply, create and replace are not concerned).
 * At the `data` key.
 */
function configMapSizeProblems(root: YAMLMap, doc: Document.Parsed, name: string, dataPair: Pair, problems: HolderProblem[]): void {
  const span = spanOf(dataPair.key);
  if (!span) return;
  const bytes = configMapDataBytes(root, doc);
  if (bytes > MAX_CONFIG_MAP_BYTES) {
    problems.push({
      code: HolderCode.ConfigMapTooLarge, span, severity: 'error',
      message: `Kubernetes refuses ConfigMap '${name}': its data and binaryData values hold ${bytes} bytes, and a ConfigMap may hold at most ${MAX_CONFIG_MAP_BYTES} (1 MiB), however it is applied ('Too long: must have at most ${MAX_CONFIG_MAP_BYTES} bytes'). Keep each ConfigMap under 1 MiB: ${SPLIT_ADVICE}.`,
    });
    return;
  }
  const applied = lastAppliedAnnotationBytes(root, doc);
  if (applied.bytes <= MAX_ANNOTATION_BYTES) return;
  const namespace = applied.assumedNamespace ? ` (counting the namespace kubectl writes into it as '${ASSUMED_NAMESPACE}')` : '';
  problems.push({
    code: HolderCode.ConfigMapApplyTooLarge, span, severity: 'warning',
    message: `kubectl apply without --server-side fails on ConfigMap '${name}': it copies the whole ConfigMap as JSON into the annotation ${LAST_APPLIED_ANNOTATION}, which makes its annotations ${applied.bytes} bytes${namespace}, and the API server allows at most ${MAX_ANNOTATION_BYTES} (256 KiB; 'metadata.annotations: Too long'). Its data (${bytes} bytes) is within the 1 MiB a ConfigMap may hold: apply it with kubectl apply --server-side, which writes no such annotation (or kubectl create, or kubectl replace, without --save-config), or ${SPLIT_ADVICE}.`,
  });
}

/**
 * A Secret's `data` values are base64: the API server decodes each as encoding/json decodes a []byte
 * (base64.StdEncoding: the standard alphabet, padded to a multiple of 4, line breaks skipped) and refuses the Secret
 * when one is not ('illegal base64 data at input byte N'). The usual cause is a file's text written under `data`, where
 * `stringData` takes it as it is.
 */
function secretDataProblems(root: YAMLMap, problems: HolderProblem[]): void {
  const data = root.get('data', true);
  if (!isMap(data)) return;
  const name = metadataOf(root).name;
  for (const pair of data.items) {
    if (!isPair(pair) || !isScalar(pair.value) || typeof pair.value.value !== 'string') continue;
    const compact = pair.value.value.replace(/[\r\n]/g, '');
    if (compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact)) continue;
    const span = spanOf(pair.value);
    if (!span) continue;
    const key = scalarString(pair.key as Node) ?? '';
    problems.push({
      code: HolderCode.SecretDataNotBase64, span, severity: 'error',
      message: `Kubernetes refuses Secret '${name}': data.${key} is not base64, and the API server decodes every data value from base64 ('illegal base64 data'). Write a file's text under stringData, which takes it as it is, or put its base64 encoding here (base64 -w0 FILE).`,
    });
  }
}

/**
 * A Secret holding Falco's files (an entry, decoded, that is falco.yaml or a config.d file or a rules file, as a
 * ConfigMap's: configMapEntryKind) that Kubernetes refuses for its size (objectSize.ts secretEntries): its entries over
 * 1 MiB of decoded bytes, however it is sent (an error), or, under that, client-side kubectl apply's copy of it in the
 * last-applied-configuration annotation past 256 KiB of annotations (a warning). The copy is the manifest as JSON, so
 * `data` counts there as its base64 text (4 bytes for 3) and stringData as written: client-side apply fails on a
 * Secret of about 190 KiB of files. At the `data` key, else `stringData`.
 */
function secretSizeProblems(root: YAMLMap, doc: Document.Parsed, problems: HolderProblem[]): void {
  const entries = secretEntries(root, doc);
  if (![...entries].some(([key, bytes]) => configMapEntryKind(key, bytes.toString('utf8')) !== undefined)) return;
  const at = pairOf(root, 'data') ?? pairOf(root, 'stringData');
  const span = at ? spanOf(at.key) : undefined;
  if (!span) return;
  const name = metadataOf(root).name;
  let bytes = 0;
  for (const value of entries.values()) bytes += value.length;
  if (bytes > MAX_CONFIG_MAP_BYTES) {
    problems.push({
      code: HolderCode.SecretTooLarge, span, severity: 'error',
      message: `Kubernetes refuses Secret '${name}': its entries hold ${bytes} bytes (data decoded from base64, stringData as written, a stringData entry replacing the data entry of its key), and a Secret may hold at most ${MAX_CONFIG_MAP_BYTES} (1 MiB), however it is applied ('data: Too long: must have at most ${MAX_CONFIG_MAP_BYTES} bytes'). Keep each Secret under 1 MiB: split the files into several Secrets and mount them where Falco reads them (a projected volume takes several Secrets into one folder).`,
    });
    return;
  }
  const applied = lastAppliedAnnotationBytes(root, doc);
  if (applied.bytes <= MAX_ANNOTATION_BYTES) return;
  const namespace = applied.assumedNamespace ? ` (counting the namespace kubectl writes into it as '${ASSUMED_NAMESPACE}')` : '';
  problems.push({
    code: HolderCode.SecretApplyTooLarge, span, severity: 'warning',
    message: `kubectl apply without --server-side fails on Secret '${name}': it copies the whole Secret as JSON, data in base64 and stringData as written, into the annotation ${LAST_APPLIED_ANNOTATION}, which makes its annotations ${applied.bytes} bytes${namespace}, and the API server allows at most ${MAX_ANNOTATION_BYTES} (256 KiB; 'metadata.annotations: Too long'). Its entries (${bytes} bytes decoded) are within the 1 MiB a Secret may hold: apply it with kubectl apply --server-side, which writes no such annotation (or kubectl create, or kubectl replace, without --save-config), or split it into smaller Secrets.`,
  });
}

/**
 * A chart's customRules whose ConfigMap Kubernetes refuses for its size. The chart writes every entry into one
 * ConfigMap, `<release>-rules`, each as `<key>: |-` and its text indented (charts/falco templates/rules-configmap.yaml,
 * 3.0.0 to 9.1.0), so the entry holds the text without its trailing line breaks; over 1 MiB together
 * (objectSize.ts MAX_CONFIG_MAP_BYTES), the install or upgrade fails. Helm writes no last-applied annotation (Helm 3
 * creates the objects and patches them; Helm 4 applies server-side). At the customRules key.
 */
function chartRulesSizeProblem(rulesPair: Pair, doc: Document.Parsed, problems: HolderProblem[]): void {
  const span = spanOf(rulesPair.key);
  if (!span || !isMap(rulesPair.value)) return;
  let bytes = 0;
  const kept = new Map<string, string>();
  for (const pair of rulesPair.value.items) {
    const key = isPair(pair) ? scalarString(pair.key) : undefined;
    const value = isPair(pair) ? kubectlScalar(isAlias(pair.value) ? pair.value.resolve(doc) : pair.value) : undefined;
    if (key !== undefined && value?.type === 'string') kept.set(key, value.value);
  }
  for (const value of kept.values()) bytes += Buffer.byteLength(value.replace(/[\r\n]+$/, ''), 'utf8');
  if (bytes <= MAX_CONFIG_MAP_BYTES) return;
  problems.push({
    code: HolderCode.ChartRulesTooLarge, span, severity: 'error',
    message: `The chart writes every customRules entry into one ConfigMap ('<release>-rules', templates/rules-configmap.yaml), whose data would hold ${bytes} bytes, and Kubernetes refuses a ConfigMap over ${MAX_CONFIG_MAP_BYTES} bytes (1 MiB): the install or upgrade fails. Keep customRules under 1 MiB and put the other rules files in ConfigMaps of your own (each under 1 MiB), mounted with mounts.volumes and mounts.volumeMounts at a folder such as /etc/falco/rules.extra.d (a projected volume puts several ConfigMaps in one folder), and add that folder to falco.rules_files.`,
  });
}

/**
 * A data entry named as a YAML file with no value: kubectl sends the null, and what the ConfigMap then holds depends on
 * how it is sent (read in the sources, sessions 23 and 24):
 * - kubectl create and kubectl replace send the object as it is; the API server decodes the null into data's map of
 *   texts as the empty text (encoding/json leaves a map element it reads null at its zero value);
 * - kubectl apply --server-side sends it as an apply patch, unpruned (kubectl pkg/cmd/apply/apply.go, the
 *   ServerSideApply branch, at dee3483a3); structured-merge-diff accepts a null for a scalar (typed/validate.go
 *   validateScalar) and the merge keeps the applied value (typed/merge.go), so the merged object has the null, which
 *   the API server converts to the typed ConfigMap as the empty text (apimachinery pkg/runtime/converter.go
 *   mapFromUnstructured: a nil element is the zero value; managedfields internal/structuredmerge.go Apply, toVersioned):
 *   created or updated, the entry is there and empty;
 * - client-side kubectl apply deletes the key: its three-way strategic merge patch reads a null as deleting it
 *   (apimachinery strategicpatch/patch.go mergeMap), and on create kubectl 1.31 and later prune nulls first
 *   (pruneNullsFromMap, 81ad0ffc3); before 1.31 a create stored the empty text.
 */
function emptyEntryProblem(pair: Pair, problems: HolderProblem[]): void {
  const key = scalarString(pair.key as Node);
  const keySpan = spanOf(pair.key);
  if (key === undefined || !keySpan || key === CONFIG_MAP_MAIN_KEY || !/\.ya?ml$/.test(key) || kubectlScalar(pair.value)?.type !== 'null') return;
  problems.push({
    code: HolderCode.ConfigMapEmptyEntry, span: keySpan, severity: 'information',
    message: `data.${key} has no value, which kubectl sends as null; what the ConfigMap holds then depends on how it is applied. kubectl create, kubectl replace and kubectl apply --server-side store the empty text (server-side apply keeps the null, which the API server reads as the empty text, and empties an entry that had a value): the pod's file ${key} is empty, and where Falco loads it as a rules file it gets nothing from it (no rule, macro or list) and says nothing. Client-side kubectl apply takes the null for removing the entry (its patch deletes a key set to null, and since kubectl 1.31 it leaves the key out of a ConfigMap it creates): the ConfigMap has no ${key}, and the pod no such file. Write "" for an empty file, or remove the entry.`,
  });
}

/**
 * A ConfigMap key (of `data` or `binaryData`) that kubectl reads as no string (YAML 1.1: `on`, `yes`, `true`, `0777`,
 * `~`). JSON keys are text: YAMLToJSON writes a boolean key as 'true' or 'false', a number in decimal (kubectlKey,
 * sigs.k8s.io/yaml v1.6.0 yaml.go:215-249), and refuses a null one ('unsupported map key of type'). The entry then has
 * another name than the one written (the pod's file is 'true', not 'on'), or the API server refuses the key the
 * conversion gives ('1e+10': IsConfigMapKey, [-._a-zA-Z0-9]+). Quoting keeps the written text, which helps only
 * where that text is itself a ConfigMap key.
 */
function dataKeyProblem(key: unknown, section: 'data' | 'binaryData', problems: HolderProblem[]): void {
  const changed = kubectlKey(key);
  const text = (key as Scalar).source!;
  // `1:` or `true:` is sent as the text written: the entry keeps its name.
  if (!changed || ('text' in changed && changed.text === text)) return;
  const span = spanOf(key);
  if (!span) return;
  const read = kubectlWords(kubectlScalar(key)!);
  const written = configMapKeyInvalid(text);
  const fix = written ? {} : { replacement: yamlQuote(text), fixTitle: `Quote the key (${yamlQuote(text)})` };
  const advice = written
    ? ` Quoting it does not help: '${text}' is no ConfigMap key either (a key ${written}); name the entry with letters, digits, '-', '_' and '.'.`
    : ' Write it quoted.';
  const as = `kubectl reads the key ${text || '(empty)'} of ${section} as ${read} (YAML 1.1, as Kubernetes' clients read a manifest)`;
  if ('refused' in changed) {
    problems.push({ code: HolderCode.KubectlScalar, span, severity: 'error', ...fix, message: `kubectl refuses this ConfigMap: ${as}, which a JSON object cannot have as a key ('unsupported map key of type: ${changed.refused}').${advice}` });
    return;
  }
  const refused = configMapKeyInvalid(changed.text);
  problems.push(refused
    ? { code: HolderCode.KubectlScalar, span, severity: 'error', ...fix, message: `Kubernetes refuses this ConfigMap: ${as} and sends it as '${changed.text}', which is no ConfigMap key (a key ${refused}).${advice}` }
    : { code: HolderCode.KubectlScalar, span, severity: 'warning', ...fix, message: `${as} and sends it as '${changed.text}': the ConfigMap's entry is named '${changed.text}', not '${text}', and a pod mounting the ConfigMap gets a file named ${changed.text}.${advice}` });
}

/**
 * The keys of a ConfigMap's data and binaryData that kubectl or the API server make one, and the pairs kubectl drops
 * (returned, so that they are not taken for entries). kubectl decodes each mapping with go-yaml v2 into a Go map
 * (sigs.k8s.io/yaml YAMLToJSON, not strict: k8s.io/apimachinery util/yaml YAMLToJSONDecoder calls yaml.Unmarshal), where
 * a pair whose key the map holds already replaces it: a key written twice, or two keys kubectl reads as one (`yes` and
 * `true`, `0777` and `511`), leave only the last pair. Keys the Go map holds apart (`1`, a number, and `"1"`, a text)
 * can still become one JSON key: convertToJSONableObject (yaml.go:205-249 at v1.6.0) ranges over the Go map in Go's
 * random order, so whichever it writes last stays, from one run to the next another (Falco Lens takes the later
 * pair). A key in both data and binaryData is refused by the API server (ValidateConfigMap, pkg/apis/core/validation:
 * 'duplicate of key present in binaryData', at data's key).
 */
function configMapKeyProblems(data: YAMLMap | undefined, binary: YAMLMap | undefined, text: string, lines: LineIndex, problems: HolderProblem[]): Set<unknown> {
  const dropped = new Set<unknown>();
  const lineOf = (node: unknown) => lines.positionAt(spanOf(node)?.[0] ?? 0).line + 1;
  const written = (node: unknown) => { const span = spanOf(node); return span ? text.slice(span[0], span[1]) : ''; };
  // Per section, the pair left for each JSON key.
  const survivors = (map: YAMLMap | undefined, section: 'data' | 'binaryData'): Map<string, Pair> => {
    const kept = new Map<string, Pair>();
    if (!map) return kept;
    let nans = 0;
    const pairs = map.items.filter(isPair);
    const keys = pairs.map((p) => goMapKey(p.key, () => `nan:${nans++}`));
    const lastOf = new Map<string, number>();
    keys.forEach((k, i) => { if (k) lastOf.set(k.id, i); });
    keys.forEach((k, i) => { if (k && lastOf.get(k.id) === i) kept.set(k.json, pairs[i]); });
    keys.forEach((k, i) => {
      const span = spanOf(pairs[i].key);
      if (!k || !span) return;
      const last = lastOf.get(k.id)!;
      if (last === i && kept.get(k.json) === pairs[i]) return;
      dropped.add(pairs[i]);
      const other = last !== i ? pairs[last] : kept.get(k.json)!;
      const otherKey = keys[pairs.indexOf(other)]!;
      const message = last !== i
        ? `${section}.${written(pairs[i].key)} is not in the ConfigMap: ${written(other.key) === written(pairs[i].key) ? `the key ${written(other.key)} is written again` : `${written(other.key)}, which kubectl reads as the same key (${kubectlWords(k.read)}, YAML 1.1), comes`} later (line ${lineOf(other.key)}), and kubectl keeps only the last pair of a key (go-yaml decodes ${section} into a map, each pair replacing the one before). Keep one.`
        : `kubectl reads ${written(pairs[i].key)} as ${kubectlWords(k.read)} and ${written(other.key)} (line ${lineOf(other.key)}) as ${kubectlWords(otherKey.read)} (YAML 1.1): two keys of its map, which both become the ConfigMap key '${k.json}' (JSON keys are text), and kubectl keeps whichever it writes last, in Go's random map order. Which entry the ConfigMap holds changes from one kubectl run to the next; Falco Lens takes the later one. Keep one.`;
      problems.push({ code: HolderCode.ConfigMapKeyCollision, span, severity: 'warning', message });
    });
    return kept;
  };
  const inData = survivors(data, 'data');
  const inBinary = survivors(binary, 'binaryData');
  for (const [json, pair] of inData) {
    const other = inBinary.get(json);
    const span = spanOf(pair.key);
    if (!other || !span) continue;
    problems.push({
      code: HolderCode.ConfigMapKeyInBoth, span, severity: 'error',
      message: `Kubernetes refuses this ConfigMap: binaryData has the key '${json}' too (line ${lineOf(other.key)}), and a key may be in data or in binaryData, not both ('data[${json}]: Invalid value: "${json}": duplicate of key present in binaryData'). Keep one of them.`,
    });
  }
  return dropped;
}

/**
 * A binaryData entry: its key is checked as a data key, and one whose bytes (base64, which the API server decodes and
 * the pod's file holds) are a Falco rules file or configuration is said not to be checked: Falco Lens checks only text
 * written in the manifest, where each finding has a place.
 */
function binaryDataProblems(pair: Pair, problems: HolderProblem[]): void {
  dataKeyProblem(pair.key, 'binaryData', problems);
  const key = scalarString(pair.key as Node);
  const keySpan = spanOf(pair.key);
  const value = kubectlScalar(pair.value);
  if (key === undefined || !keySpan || value?.type !== 'string') return;
  const kind = binaryEntryKind(key, value.value);
  if (!kind) return;
  problems.push({
    code: HolderCode.BinaryDataUnchecked, span: keySpan, severity: 'information',
    message: `binaryData.${key} holds a Falco ${kind === 'config' ? 'configuration file' : 'rules file'} (base64): the pod's file is its decoded text, which Falco reads as any other, but Falco Lens does not check it. Write it under data as a literal block (\`${key}: |\`) to have it checked.`,
  });
}

/** What a binaryData entry holds for Falco (configMapEntryKind of its decoded text), kept for the last few values: an
 *  edit elsewhere in the manifest decodes and reads none of them again. */
const binaryKinds = new Map<string, 'rules' | 'config' | undefined>();
function binaryEntryKind(key: string, value: string): 'rules' | 'config' | undefined {
  const id = `${key}\n${value}`;
  if (binaryKinds.has(id)) return binaryKinds.get(id);
  const content = base64Text(value);
  const kind = content === undefined ? undefined : configMapEntryKind(key, content);
  if (binaryKinds.size >= 16) binaryKinds.delete(binaryKinds.keys().next().value!);
  binaryKinds.set(id, kind);
  return kind;
}

/** The UTF-8 text of a base64 value (the API server's []byte: standard alphabet, padding; line breaks a YAML block
 *  adds dropped), or undefined where it is not base64 or not UTF-8 text. */
function base64Text(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return undefined;
  }
}

/** A resource's metadata.name and metadata.namespace that Kubernetes refuses: kubectl reads them as no string, or the
 *  API server's name rules (a DNS-1123 subdomain, a label for the namespace) refuse them. */
function metadataProblems(root: YAMLMap, kind: string, problems: HolderProblem[]): void {
  const metadata = root.get('metadata', true);
  if (!isMap(metadata)) return;
  for (const [key, rule] of [['name', 'subdomain'], ['namespace', 'label']] as const) {
    const node = metadata.get(key, true);
    const typed = nameProblem(node, `metadata.${key}`, kind);
    if (typed) { problems.push({ ...typed, code: HolderCode.KubectlScalar }); continue; }
    const refused = dnsNameProblem(node, `metadata.${key}`, kind, rule);
    if (refused) problems.push({ ...refused, code: HolderCode.ResourceName, severity: 'error' });
  }
}

/** A Rulesfile or a Config of the Falco Operator: what it holds inline embedded, its place, its references. */
function operatorResource(text: string, lines: LineIndex, root: YAMLMap, problems: HolderProblem[]): OperatorResource | undefined {
  const kind = scalarString(root.get('kind', true));
  if ((kind !== 'Rulesfile' && kind !== 'Config') || !scalarString(root.get('apiVersion', true))?.startsWith(OPERATOR_GROUP)) return undefined;
  const { name, namespace } = metadataOf(root);
  const out: OperatorResource = { kind, resource: name, namespace, priority: OPERATOR_DEFAULT_PRIORITY };
  const spec = root.get('spec', true);
  const ref = isMap(spec) ? spec.get('configMapRef', true) : undefined;
  metadataProblems(root, kind, problems);
  const refProblem = nameProblem(isMap(ref) ? ref.get('name', true) : undefined, 'spec.configMapRef.name', kind);
  if (refProblem) problems.push({ ...refProblem, code: HolderCode.KubectlScalar });
  if (!isMap(spec)) return out;
  const priority = pairOf(spec, 'priority');
  const value = priority?.value;
  if (priority && value !== null && !(isScalar(value) && value.value === null)) {
    // As kubectl reads it (YAML 1.1, kubectlYaml.ts): `062` is octal there, 50; `0b110010` and `5_0` are 50 too.
    const read = kubectlScalar(value);
    const n = read?.type === 'int' ? Number(read.value) : read?.type === 'float' ? read.value : undefined;
    if (n !== undefined && Number.isInteger(n) && n >= 0 && n <= OPERATOR_MAX_PRIORITY) {
      out.priority = n;
      if (isScalar(value) && typeof value.value === 'number' && value.value !== n) {
        problems.push({
          code: HolderCode.OperatorPriority, span: spanOf(value)!, severity: 'warning',
          message: `kubectl reads spec.priority ${value.source ?? ''} as the octal number ${n} (YAML 1.1, as Kubernetes' clients read a manifest), not ${value.value}: the operator names this ${kind}'s files with ${String(n).padStart(2, '0')}. Write the priority without the leading 0.`,
        });
      }
    } else {
      problems.push({
        code: HolderCode.OperatorPriority, span: spanOf(value) ?? spanOf(priority.key)!, severity: 'error',
        message: `Kubernetes refuses this ${kind}: spec.priority must be a whole number from 0 to ${OPERATOR_MAX_PRIORITY} (the CRD's minimum and maximum). Falco Lens places it at the default, ${OPERATOR_DEFAULT_PRIORITY}.`,
      });
    }
  }
  const refName = isMap(ref) ? ref.get('name', true) : undefined;
  const refText = scalarString(refName);
  if (refText !== undefined) out.configMapRef = { name: refText, span: spanOf(refName)! };
  const oci = spec.get('ociArtifact', true);
  const image = isMap(oci) ? oci.get('image', true) : undefined;
  if (kind === 'Rulesfile' && isMap(oci)) out.oci = (isMap(image) ? scalarString(image.get('repository', true)) : undefined) ?? '';
  const selectorNode = spec.get('selector', true) as Node | null | undefined;
  const selector = selectorKey(selectorNode);
  if (selector !== undefined) out.selector = selector;
  for (const p of selectorProblems(selectorNode, kind)) problems.push({ ...p, code: HolderCode.OperatorSelector });

  const field = kind === 'Rulesfile' ? 'inlineRules' : 'config';
  const pair = pairOf(spec, field);
  const node = pair?.value as Node | null | undefined;
  if (!pair || node === null || node === undefined || (isScalar(node) && node.value === null)) return out;
  const keySpan = spanOf(pair.key) ?? [0, 0];
  const wanted = kind === 'Rulesfile' ? isSeq(node) : isMap(node);
  // What Falco reads of it is what the operator writes back after kubectl and the API server (flow style too).
  if (wanted) for (const p of (kind === 'Rulesfile' ? inlineRulesProblems : operatorConfigProblems)(node)) problems.push({ ...p, code: HolderCode.KubectlScalar });
  if (wanted) for (const p of droppedPairProblems(node, text, kind)) problems.push({ ...p, code: HolderCode.KubectlDroppedKey, severity: 'warning' });
  if (wanted && (node as YAMLMap | YAMLSeq).flow) {
    problems.push({
      code: HolderCode.FlowCollection, span: keySpan, severity: 'information',
      message: `Falco Lens checks ${field} written as a block ${kind === 'Rulesfile' ? 'list (each item on lines of its own, \'- rule: …\')' : 'mapping (each key on a line of its own)'}; this one is written in flow style (${kind === 'Rulesfile' ? '[…]' : '{…}'}) and is not checked. The operator writes it all the same.`,
    });
    return out;
  }
  if (wanted && kind === 'Config') {
    // The operator's falco.yaml includes /etc/falco/config.d: each Config is an included file, and Falco refuses one
    // that lists config_files (yaml_helper.h include_config_file, 0.38.0 and later).
    const nested = pairOf(node as YAMLMap, 'config_files');
    if (nested) {
      problems.push({
        code: HolderCode.OperatorConfigFiles, span: spanOf(nested.key) ?? keySpan, severity: 'error',
        message: 'Falco refuses to start: the operator writes this configuration into /etc/falco/config.d, which its falco.yaml includes, and an included file cannot list config_files (\'config_files\' directive in included config file). Write the settings themselves here.',
      });
    }
  }
  if (wanted) {
    // kubectl expands merge keys and aliases of anchors outside the block: what Falco receives is not this text.
    const expanded = expansionProblems(root, node, field, (offset) => lines.positionAt(offset).line);
    // Merge keys and aliases are checked as kubectl expands them (mergeExpansion), unless it refuses them.
    const merges = expanded.length > 0 && expanded.every((p) => p.severity === 'information')
      ? mergeExpansion(root, node, text) : undefined;
    for (const { whenExpanded, ...p } of expanded) problems.push({ ...p, code: HolderCode.KubectlExpanded, ...(merges && whenExpanded ? { message: whenExpanded } : {}) });
    if (expanded.length > 0 && !merges) return out;
    const file = blockCollection(text, lines, node as YAMLMap | YAMLSeq, { kind: kind === 'Rulesfile' ? 'rules' : 'config', holder: kind === 'Rulesfile' ? 'rulesfile' : 'operatorConfig', key: operatorFileName(out.priority, 'inline', name), keySpan, set: 0, outline: [outlineKey(pair, field, `${kind} '${name}'`)].filter((k) => k !== undefined) });
    // Falco Lens checks what Falco receives.
    const inline = file && asReceived(file, node, text, lines, merges, KUBECTL);
    if (inline) out.inline = inline;
    return out;
  }
  // The v0.1.x form (a text), or any other value the CRD lets through.
  const isText = isScalar(node) && typeof node.value === 'string';
  const problem: HolderProblem = kind === 'Rulesfile'
    ? {
        code: HolderCode.OperatorWrongShape, span: keySpan, severity: 'error',
        message: isText
          ? 'inlineRules is a text here (the form of operator v0.1.x). Since v0.2.0 the operator writes that text itself as the rules file, and Falco refuses a rules file that is a text (\'Rules content is not yaml\'): Falco does not start. Write the rules as a list under inlineRules.'
          : `inlineRules is ${isMap(node) ? 'a mapping' : 'a single value'} here: the operator writes it as the rules file, and Falco refuses a rules file that is not a list of items ('Rules content is not yaml${isMap(node) ? ' array of objects' : ''}'): Falco does not start. Write the rules as a list under inlineRules.`,
      }
    : {
        code: HolderCode.OperatorWrongShape, span: keySpan, severity: 'warning',
        message: isText
          ? 'config is a text here (the form of operator v0.1.x). Since v0.2.0 the operator writes that text itself as a file of /etc/falco/config.d, and Falco merges nothing from a file that is not a mapping (its log shows only a schema warning): none of these settings apply. Write them as a mapping under config.'
          : `config is ${isSeq(node) ? 'a list' : 'a single value'} here: the operator writes it as a file of /etc/falco/config.d, and Falco merges nothing from a file that is not a mapping (its log shows only a schema warning): nothing applies. Write the settings as a mapping under config.`,
      };
  // A literal block whose text is the list (or mapping) becomes it when the block's header goes: its lines are
  // already indented below the key.
  const header = isText && node.type === 'BLOCK_LITERAL' ? (node.srcToken as { props?: { type: string; offset: number; source: string }[] } | undefined)?.props?.find((p) => p.type === 'block-scalar-header') : undefined;
  if (header && isText) {
    try {
      const inner = parseDocument(String(node.value), { uniqueKeys: false, prettyErrors: false });
      const fits = inner.errors.length === 0 && (kind === 'Rulesfile' ? isSeq(inner.contents) : isMap(inner.contents));
      if (fits) {
        let from = header.offset;
        while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
        problems.push({ ...problem, span: [from, header.offset + header.source.length], replacement: '', fixTitle: `Write ${field} as ${kind === 'Rulesfile' ? 'a list' : 'a mapping'} (remove '${header.source}')` });
        return out;
      }
    } catch { /* not YAML: no fix */ }
  }
  problems.push(problem);
  return out;
}

/**
 * A Config's or a Rulesfile's spec.selector (a metav1.LabelSelector: matchLabels, matchExpressions) as a key, or
 * undefined when it selects every node: the artifact operator of each Falco pod writes the resource only when the
 * labels of its own node (NODE_NAME, cmd/artifact/main.go) match, and removes its files where they stop matching
 * (v0.4.1 controllers/artifact/config/controller.go:100 and rulesfile/controller.go:102, NodeMatchesSelector; the
 * same from v0.1.0, rulesfile/controller.go:80 there), and a nil selector matches every node
 * (internal/pkg/controllerhelper/node.go:33), as an empty one does (metav1.LabelSelectorAsSelector gives
 * labels.Everything()).
 */
function selectorKey(node: unknown): string | undefined {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return undefined;
  const sorted = (v: unknown): unknown => Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sorted(x)])) : v;
  const value = sorted((node as Node).toJSON());
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => v === null || (typeof v === 'object' && Object.keys(v as object).length === 0))) return undefined;
  return JSON.stringify(value);
}

/** A selector key (selectorKey) in kubectl's `-l` syntax: `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`. */
export function selectorText(key: string): string {
  const value = selectorValue(key) as { matchLabels?: Record<string, unknown>; matchExpressions?: { key?: unknown; operator?: unknown; values?: unknown }[] } | undefined;
  if (!value) return key;
  const out = Object.entries(value?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of Array.isArray(value?.matchExpressions) ? value.matchExpressions : []) {
    const values = Array.isArray(e?.values) ? `(${e.values.map(String).join(',')})` : '()';
    const op = String(e?.operator);
    out.push(op === 'Exists' ? String(e?.key) : op === 'DoesNotExist' ? `!${String(e?.key)}` : `${String(e?.key)} ${op.toLowerCase()} ${values}`);
  }
  return out.join(',');
}

/** The ConfigMap entry the operator reads for a resource of this kind (api/common/v1alpha1 ConfigMapRulesKey and
 *  ConfigMapConfigKey). */
export function configMapEntry(kind: OperatorRef['kind']): string {
  return kind === 'Rulesfile' ? 'rules.yaml' : 'config.yaml';
}

/** The problem of a configMapRef (at `span`) naming a ConfigMap without the entry the operator reads, if it has not. */
export function missingEntry(kind: OperatorRef['kind'], map: ConfigMapSummary, span: readonly [number, number]): HolderProblem | undefined {
  const entry = configMapEntry(kind);
  if (map.keys.includes(entry)) return undefined;
  return {
    code: HolderCode.OperatorConfigMapEntry, span, severity: 'warning',
    message: `ConfigMap '${map.name}' has no data entry '${entry}': the operator reads only that entry, so it writes nothing from this ConfigMap (only its log says so).`,
  };
}

/**
 * Places the files the operator writes from the manifest's resources: a Rulesfile's inline rules and its ConfigMap's
 * rules.yaml, a Config's inline configuration and its ConfigMap's config.yaml (when that ConfigMap is in the
 * manifest). Rules files load with the other Rulesfiles of their namespace, configuration files merge with the other
 * Configs of their namespace after the operator's falco.yaml (embedded/index.ts orders both by fileName).
 */
function placeOperatorFiles(resources: OperatorResource[], configMaps: ConfigMapDoc[], set: number, out: HostAnalysis): void {
  out.resources = resources.map((r) => ({ kind: r.kind, resource: r.resource, namespace: r.namespace }));
  const rules: EmbeddedFile[] = [];
  const configs: EmbeddedFile[] = [];
  for (const r of resources) {
    const selector = r.selector !== undefined ? { selector: r.selector } : {};
    if (r.inline) {
      const file = { ...r.inline, set: r.kind === 'Rulesfile' ? set : set + 1, operator: { kind: r.kind, resource: r.resource, namespace: r.namespace, fileName: r.inline.key, ...selector } };
      (r.kind === 'Rulesfile' ? rules : configs).push(file);
    }
    if (r.oci !== undefined) {
      (out.oci ??= []).push({ resource: r.resource, namespace: r.namespace, priority: r.priority, repository: r.oci, fileName: operatorFileName(r.priority, 'oci', r.resource), ...selector });
    }
    if (!r.configMapRef) continue;
    const map = configMaps.find((c) => c.name === r.configMapRef!.name && c.namespace === r.namespace);
    if (!map) {
      (out.refs ??= []).push({ kind: r.kind, resource: r.resource, namespace: r.namespace, priority: r.priority, name: r.configMapRef.name, span: r.configMapRef.span, ...selector });
      continue;
    }
    const missing = missingEntry(r.kind, map, r.configMapRef.span);
    if (missing) {
      out.problems.push(missing);
      continue;
    }
    const entry = configMapEntry(r.kind);
    // The ConfigMap's rules.yaml is read at the Rulesfile's place, its config.yaml at the Config's (the first resource
    // naming it, when several do).
    const kindOf = r.kind === 'Rulesfile' ? 'rules' : 'config';
    const fileName = operatorFileName(r.priority, 'configmap', r.resource);
    const file = map.files.find((f) => f.key === entry && f.kind === kindOf && !f.operator);
    if (file) file.operator = { kind: r.kind, resource: r.resource, namespace: r.namespace, fileName, ...selector };
    const first = file ? undefined : map.files.find((f) => f.key === entry && f.kind === kindOf && f.operator)?.operator;
    if (first) {
      // The operator writes the entry once per resource naming it (manager.go StoreFromConfigMap, at each resource's
      // place): Falco reads the same items again there, a rule redefined after what loads between the two.
      const dir = r.kind === 'Rulesfile' ? OPERATOR_RULES_DIR : OPERATOR_CONFIG_DIR;
      out.problems.push({
        code: HolderCode.OperatorConfigMapAgain, span: r.configMapRef.span, severity: 'information',
        message: `The operator writes the ${entry} of ConfigMap '${map.name}' again for ${r.kind} '${r.resource}', as ${dir}/${fileName}, besides ${dir}/${first.fileName} for ${first.kind} '${first.resource}': Falco reads it twice, and ${r.kind === 'Rulesfile' ? 'its rules defined again there replace what files loaded between the two did to them (an override, enabled: false)' : 'its keys are merged again there, over the files between the two'}. Falco Lens checks it at the first place only.`,
      });
    }
  }
  const byName = (a: EmbeddedFile, b: EmbeddedFile) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  out.files.push(...rules.sort(byName), ...configs.sort(byName));
}
