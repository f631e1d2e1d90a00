// What Falco itself does with the values of its configuration when it starts (userspace/falco/configuration.cpp
// `load_yaml` and `merge_config_files`, and the start-up actions under userspace/falco/app/actions, 0.44.0): the
// values that make it refuse to start (errors), the ones it reads silently as something else (warnings), and how
// the rules selection and `append_output` meet the loaded rules. The schema's checks are in schemaCheck.ts; these
// come on top.
//
// Falco reads these values from the merged configuration (merge.ts): each check reads the value Falco ends up with,
// wherever it comes from, and reports only on the document being edited — on the node itself, or, when a later file
// replaces this file's key, on this file's key, saying which file wins.
//
// yaml-cpp facts the checks rely on (yaml-cpp 0.7.0 to c2bec4c, the versions Falco 0.37-0.44 build with): a key
// read as a text (`get_scalar<std::string>`) whose value is empty (`key:`, `~`, `null`) reads as the text 'null'
// (include/yaml-cpp/node/impl.h as_if<std::string, S>), not as the default; a boolean or a number that does not
// convert gives the default silently; a lone value where a list is read is a one-item list.
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { RuleSummary } from '../features';
import { parsePriority } from '../alerts/priority';
import { closestNames, didYouMean, nearMiss } from '../rules/closest';
import { lineEnding } from '../text';
import { booleanValue, keySpan, listItemRemoval, nodeSpan, pairOf, realSpan, removalData, type EnvLookup, scalarKind, scalarText, streamInteger, usesEnvironment, valueOf, valueText } from './model';
import { ConfigCode, type ConfigReporter } from './diagnostics';
import { compareVersions } from '../../knowledge/falcoVersions';
import { CONFIG_KEYS_NEVER_READ } from '../../knowledge/falcoConfigLegacy';
import { SCHEMA_SINCE } from './schemaCheck';
import { isRulesFileName, loadOrdinal, loadTimes, matchesWildcard, mergedRulesEntries, pathReading, type RulesPathEntry } from './rulesFiles';
import { CONFIG_FILES_SINCE, includeEntries, sourceName, type MergedConfig, type MergedKey, type Part } from './merge';

export interface LoadCheckContext {
  target: string;
  report: ConfigReporter;
  /** The loaded rules (for rule selections and append_output matches); empty when none are loaded. */
  rules: readonly RuleSummary[];
  /** The path of this configuration file, when it is a file. */
  path?: string;
  /** Whether a path exists on this machine (a file or a folder). */
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Whether a path exists here as something Falco Lens cannot read (no read permission, a FIFO): Falco, as root,
   *  reads it. Undefined where the paths are not this machine's. */
  unreadable?(path: string): boolean;
  /**
   * The rules files a rules path gives on this machine, as the target release reads it (a folder's files: rulesFiles.ts
   * expandRulesPaths; a path that does not exist gives none, configuration.cpp:312-318 at 0.44.0), each with its real
   * path (file links resolved). Undefined where the paths are not this machine's (a pod's, an overlay's).
   */
  rulesFilesOf?(path: string): { path: string; real: string }[];
  /** The URI of a configuration file of the merge, for related locations; undefined where it has none here (a pod's). */
  uriOf?(path: string): string | undefined;
  /** Falco's environment where a manifest gives it (embedded/containerEnv.ts): a rules path through `${VAR}` is read
   *  with the values it knows, as the hover reads it. */
  environment?: EnvLookup;
}

/** A quick fix carried by a diagnostic's data: text edits by offset in the edited document. */
export interface ConfigFix {
  title: string;
  edits: { span: [number, number]; newText: string }[];
}

const PRIORITY_WORDS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

/**
 * The values of `engine.kind` a release accepts (configuration.cpp `engine_mode_lut`, compared exactly): 0.38.0 to
 * 0.43.0 also had the legacy eBPF probe and gVisor, which 0.44.0 dropped. 0.37 has no `engine`.
 */
export function engineKinds(target: string): string[] {
  return compareVersions(target, '0.44') >= 0
    ? ['kmod', 'modern_ebpf', 'replay', 'nodriver']
    : ['kmod', 'ebpf', 'modern_ebpf', 'replay', 'gvisor', 'nodriver'];
}

/** A value Falco reads as a text: its text, with an empty value read as 'null'; undefined for ${VAR} or a collection. */
function textOf(node: Node | null | undefined): { text: string; empty: boolean } | undefined {
  if (!isScalar(node) || usesEnvironment(node)) return undefined;
  if (node.value === null) return { text: 'null', empty: true };
  return { text: valueText(node), empty: false };
}

/** " (an empty value reads as the text 'null')" after a message about an empty value. */
function emptyNote(read: { empty: boolean }): string {
  return read.empty ? ' (an empty value reads as the text \'null\')' : '';
}

/** The span to report a pair's value on: the value, or the key when the value is empty. */
function valueSpan(pair: Pair): [number, number] {
  const value = pair.value as Node | null;
  if (value && value.range && value.range[1] > value.range[0]) return nodeSpan(value);
  return keySpan(pair);
}

function scalarPair(map: YAMLMap | undefined, key: string): Pair<Scalar, Scalar> | undefined {
  const pair = pairOf(map, key);
  return pair && isScalar(pair.value) && !usesEnvironment(pair.value) ? (pair as Pair<Scalar, Scalar>) : undefined;
}

/** A boolean as Falco reads it (`as<bool>(default)`): the default when absent or not convertible; undefined for ${VAR}. */
function flag(map: YAMLMap | undefined, key: string, fallback: boolean): boolean | undefined {
  const v = valueOf(map, key);
  if (v === undefined || v === null) return fallback;
  if (!isScalar(v)) return fallback;
  if (usesEnvironment(v)) return undefined;
  return booleanValue(v) ?? fallback;
}

/** The merged configuration as the checks read it. */
class View {
  constructor(readonly merged: MergedConfig, private readonly ctx: LoadCheckContext) {}

  get edited() { return this.merged.edited; }

  parts(key: string): Part[] {
    return this.merged.keys.get(key)?.parts ?? [];
  }

  /** The part a key's value comes from, when one file gives it whole. */
  one(key: string): Part | undefined {
    const parts = this.parts(key);
    return parts.length === 1 ? parts[0] : undefined;
  }

  /** A mapping-valued top-level key and the part it comes from. */
  map(key: string): { map: YAMLMap; part: Part } | undefined {
    const part = this.one(key);
    return part && isMap(part.pair.value) ? { map: part.pair.value, part } : undefined;
  }

  /** The items Falco reads for a list key, with the part each comes from (a lone value is a one-item list). */
  items(key: string): { node: Node; part: Part }[] {
    const out: { node: Node; part: Part }[] = [];
    for (const part of this.parts(key)) {
      const value = part.pair.value;
      // yaml_helper.h get_sequence_from_node (0.37.0-0.44.1): a scalar is a one-item list, a mapping gives nothing.
      if (isSeq(value)) for (const item of value.items) { if (item) out.push({ node: item as Node, part }); }
      else if (isScalar(value) && value.value !== null) out.push({ node: value, part });
    }
    return out;
  }

  /** Where a file other than the edited one is named in a message. */
  name(part: Part): string {
    return sourceName(part.source);
  }

  /**
   * Reports a finding about a value of `part`: on `span` when the part is in the edited document; else on the edited
   * document's own key that `part` replaced, saying so; else nowhere (another file's business).
   */
  at(part: Part, span: readonly [number, number], code: ConfigCode, message: string, data?: Record<string, unknown>): boolean {
    if (part.source === this.edited) {
      this.ctx.report(code, span, message, data);
      return true;
    }
    const key = String(part.pair.key.value);
    const mine = this.merged.keys.get(key)?.dropped.find((d) => d.part.source === this.edited);
    if (!mine) return false;
    // The fixes and suggestions are for the value's own text, not for this key.
    const { suggestions: _s, fix: _f, ...rest } = data ?? {};
    const why = mine.how === 'ignored'
      ? `This comes from ${this.name(part)}, which sets '${key}' before this file (merged with strategy add-only, this file cannot set it).`
      : `This comes from ${this.name(part)}, whose '${key}' replaces this one whole (config_files merges top-level keys only).`;
    this.ctx.report(code, keySpan(mine.part.pair), `${message} ${why}`, rest);
    return true;
  }

  refuse(part: Part, span: readonly [number, number], message: string, data?: Record<string, unknown>): boolean {
    return this.at(part, span, ConfigCode.StartFails, `Falco refuses to start: ${message}`, data);
  }

  /** " (unless …)" for findings about something absent, when config_files has files Falco Lens cannot read. */
  unknownNote(): string {
    const unknown = this.merged.unknown;
    if (unknown.length === 0) return '';
    const names = unknown.slice(0, 2).map((u) => `'${u.path}'`).join(', ') + (unknown.length > 2 ? ` and ${unknown.length - 2} more` : '');
    const why = unknown.some((u) => u.why === 'absent') ? 'not on this machine'
      : unknown.some((u) => u.why === 'pod') ? 'files of the pod that this ConfigMap does not hold' : 'a path Falco Lens cannot resolve';
    return ` This reads the configuration without ${names} of config_files (${why}), which may change it where Falco runs.`;
  }
}

export function checkLoad(merged: MergedConfig, ctx: LoadCheckContext): void {
  const root = merged.edited.model.root;
  if (!root) return;
  const view = new View(merged, ctx);
  checkMerge(view, ctx);
  checkRulesFilesKeys(view, root, ctx);
  checkRulesLoadedAgain(view, ctx);
  checkRulesNamed(view, ctx);
  checkPriority(view);
  checkRuleMatching(view);
  checkEngineKind(view, ctx);
  checkGrpcDeprecated(view, ctx);
  checkStartValues(view, ctx);
  checkBufSizePreset(view, ctx);
  checkOutputs(view, ctx);
  checkHttpRetries(view, ctx);
  checkMetrics(view, ctx);
  checkRuleSelection(view, ctx);
}

/** The merge's own refusals, config_files before 0.38, and this file's keys a later file replaces. */
function checkMerge(view: View, ctx: LoadCheckContext): void {
  const { merged } = view;
  for (const failure of merged.failures) {
    if (failure.source !== merged.edited) continue;
    const text = merged.edited.model.text;
    const span = nodeSpan(failure.node);
    while (span[1] > span[0] && /\s/.test(text[span[1] - 1])) span[1]--;
    const fix: ConfigFix | undefined = typeof failure.data?.replacement === 'string'
      ? { title: `Write the path '${failure.data.replacement}'`, edits: [{ span, newText: failure.data.replacement }] }
      : undefined;
    ctx.report(ConfigCode.StartFails, span, `Falco refuses to start: ${failure.message}`, { ...failure.data, ...(fix ? { fix } : {}) });
  }
  const own = pairOf(merged.edited.model.root, 'config_files');
  if (own && compareVersions(ctx.target, CONFIG_FILES_SINCE) < 0) {
    ctx.report(ConfigCode.KeyTooNew, keySpan(own),
      `Falco ${ctx.target} does not read config_files (it came with Falco 0.38): these files are not merged.`, { path: 'config_files', since: CONFIG_FILES_SINCE });
  }
  checkDuplicateTopKeys(view, ctx);
  checkRelativeIncludes(view, ctx);
  checkIncludedAgain(view, ctx);
  checkRelativeValues(view, ctx);
  for (const [key, entry] of merged.keys) {
    for (const d of entry.dropped) {
      if (d.part.source !== merged.edited || d.by.source === merged.edited) continue;
      // An empty value made a list by items appended through another key: said by checkSharedNode.
      if (d.through !== undefined && entry.shared?.some((c) => c.part === d.by && c.how === 'appended')) continue;
      const by = view.name(d.by);
      const message = d.how === 'ignored'
        ? `Falco does not use this '${key}': this file is merged with strategy add-only, and ${by} already sets '${key}'.`
        : d.through !== undefined
          ? `Falco does not use this '${key}': ${oneNode(key, d.through)}, and ${by}, merged after this file, sets '${d.through}', which points that node at its value (yaml-cpp assigns to the node): '${key}' reads ${by}'s '${d.through}'.`
          : `Falco does not use this '${key}': ${by}, merged after this file, sets '${key}' again and replaces it whole (config_files merges top-level keys only).`;
      ctx.report(ConfigCode.Overridden, keySpan(d.part.pair), message, { key, by: d.by.source.path });
    }
    checkSharedNode(view, key, entry, ctx);
  }
}

/** The words for two top-level keys holding one yaml-cpp node (merge.ts SharedNodes). */
function oneNode(key: string, other: string): string {
  return `'${key}' and '${other}' are one node as yaml-cpp reads them (an alias gives its anchor's node itself, not a copy)`;
}

/**
 * What config_files does to a key through another key holding its node (merge.ts SharedNodes): said at this file's
 * pair of the key that changes without being written (items appended onto its node; a replacement is a dropped
 * part, said above), and at this file's pair whose append or replacement changes another file's key too.
 */
function checkSharedNode(view: View, key: string, entry: MergedKey, ctx: LoadCheckContext): void {
  const edited = view.edited;
  for (const change of entry.shared ?? []) {
    const mine = [...entry.parts, ...entry.dropped.map((d) => d.part)].find((p) => p.source === edited && String(p.pair.key.value) === key);
    if (change.how === 'appended' && mine && change.part.source !== edited) {
      ctx.report(ConfigCode.SharedNode, keySpan(mine.pair),
        `Falco reads the items ${view.name(change.part)} appends to '${change.key}' in this '${key}' too: ${oneNode(key, change.key)}, and config_files appends list items onto the node (push_back).`,
        { key, through: change.key });
    }
    if (change.part.source === edited && !mine) {
      const holder = [...entry.parts, ...entry.dropped.map((d) => d.part)].find((p) => p.source !== edited && String(p.pair.key.value) === key);
      const where = holder ? view.name(holder) : 'the configuration';
      ctx.report(ConfigCode.SharedNode, keySpan(change.part.pair), change.how === 'appended'
        ? `These items are appended to '${key}' of ${where} too: ${oneNode(change.key, key)}, and config_files appends list items onto the node (push_back).`
        : `This replaces '${key}' of ${where} too: ${oneNode(change.key, key)}, and config_files points that node at this value (yaml-cpp assigns to the node).`,
      { key: change.key, through: key });
    }
  }
}

/**
 * A top-level key written twice in the edited file. yaml-cpp reports nothing and keeps both pairs (schemaCheck.ts).
 * In the main file (or a file read alone) Falco reads the first one. A file of config_files is merged pair after pair
 * (yaml_helper.h include_config_file, 0.38.0-0.44.1): with override (every strategy before 0.41) the later replaces
 * the earlier; with append a later list is appended to the earlier one (no loss) and any other value replaces it;
 * with add-only the first is kept, unless an earlier file already set the key. merge.ts has done exactly that.
 */
function checkDuplicateTopKeys(view: View, ctx: LoadCheckContext): void {
  const { merged } = view;
  const edited = merged.edited;
  const pairs = edited.model.root?.items.filter((p): p is Pair<Scalar, Node | null> => isScalar(p.key)) ?? [];
  const byKey = new Map<string, Pair<Scalar, Node | null>[]>();
  for (const p of pairs) byKey.set(String(p.key.value), [...(byKey.get(String(p.key.value)) ?? []), p]);
  for (const [key, same] of byKey) {
    if (same.length < 2) continue;
    if (edited.strategy === 'main') {
      for (const p of same.slice(1)) {
        ctx.report(ConfigCode.DuplicateKey, keySpan(p),
          `'${key}' is already set above in this file: Falco reads the first one and ignores this one without a word (yaml-cpp keeps both and finds a key's first). Keep one.`,
          { path: key, ...removalData(edited.model.text, edited.model.root!, p, key) });
      }
      continue;
    }
    // Included: what the merge dropped of this file for a later pair of this file.
    for (const d of merged.keys.get(key)?.dropped ?? []) {
      if (d.part.source !== edited || d.by.source !== edited) continue;
      // add-only drops the later pair (the earlier one set the key); the other strategies the earlier one.
      const message = d.how === 'ignored'
        ? `'${key}' is already set above in this file, which is merged with strategy add-only: Falco keeps the first one and ignores this one. Keep one.`
        : `'${key}' is set again below in this file: config_files merges an included file's keys one after the other, so the later one replaces this one${compareVersions(ctx.target, '0.41') >= 0 ? ` (strategy ${edited.strategy})` : ''}. Keep one.`;
      ctx.report(ConfigCode.DuplicateKey, keySpan(d.part.pair), message, { path: key, ...removalData(edited.model.text, edited.model.root!, d.part.pair, key) });
    }
  }
}

/**
 * Where Falco looks for a relative path of config_files or rules_files: it hands the path as written to the file
 * system (configuration.cpp at 0.44.1: load_yaml's rules_files loop `stat(file.c_str(), ...)` :316-322, then
 * read_rules_file_directory's std::filesystem calls :705-745; merge_config_files `std::filesystem::path(
 * include_file.m_path)`, 0.38.0-0.44.1), and never changes its directory (no chdir under userspace/, 0.37.0-0.44.1),
 * so the path is resolved against the working directory of Falco's process, not against the folder of the file that
 * names it; a path that does not exist there is skipped without a word. That directory is `/` wherever Falco runs as
 * shipped: its packages' systemd units set no WorkingDirectory= (scripts/systemd/*.service, and systemd starts a
 * system service in `/`), its container images run in `/` (docker/falco/Dockerfile: `WORKDIR /` from 0.40.0, none
 * before, Docker's default `/`), and neither the Helm chart's pod template (charts/falco 3.0.0-9.1.0) nor the Falco
 * Operator's (internal/pkg/resources at v0.4.1) sets a workingDir. Only Falco started by hand reads it elsewhere.
 */
function relativePathMessage(path: string, beside: string | undefined, use: RelativeUse = RULES_PATH_USE): string {
  const fromRoot = posix.join('/', path);
  return `Falco ${use.verb} the relative path '${path}'${use.what ? ` (${use.what})` : ''} from its working directory, not from this file's folder: '${use.shown?.(fromRoot) ?? fromRoot}' where Falco runs from its packages' systemd units or its container images (the Helm chart's and the Falco Operator's pods included), which start it in '/'; the directory it is started in when run by hand.${use.effect ? ` ${use.effect}` : ''}`
    + (beside !== undefined ? ` '${beside}' exists beside this file; write it as an absolute path.` : ' Write an absolute path.');
}

/** How Falco uses a relative path: the verb of the message, what follows where it is missing, and the path it names. */
interface RelativeUse {
  verb: string;
  /** What the path is, where the verb does not say it. */
  what?: string;
  /** What happens there (empty: nothing to add). */
  effect: string;
  /** Whether Falco reads the file (a fix may write the absolute path of the file beside this one), not writes it. */
  reads: boolean;
  /** The path Falco opens from the one read from '/', where it is not that path (capture.path_prefix: a prefix). */
  shown?(fromRoot: string): string;
  /** What Falco does where the file it reads is not there (checkMissingFile); absent where that is not certain. */
  missing?: string;
  /** Falco refuses to start where the file is not there: the error it stops with (checkMissingFile's error). */
  stops?: string;
}

const RULES_PATH_USE: RelativeUse = { verb: 'reads', effect: 'A path that does not exist there is skipped without a word.', reads: true };

/** The relative-path finding of a path value (`path` relative), with a fix writing the absolute path of the file
 *  Falco reads that exists beside this file. */
function reportRelativePath(view: View, ctx: LoadCheckContext, path: string, node: Node, at: string, use: RelativeUse = RULES_PATH_USE): void {
  const { merged } = view;
  const folder = ctx.path && ctx.path.startsWith('/') ? ctx.path.slice(0, ctx.path.lastIndexOf('/')) || '/' : undefined;
  const beside = folder !== undefined ? `${folder === '/' ? '' : folder}/${path.replace(/^\.\//, '')}` : undefined;
  const found = use.reads && beside !== undefined && !merged.inPod && !merged.overlay && ctx.exists(beside);
  const span = nodeSpan(node);
  // Read through ${VAR}: the value is the manifest's, and no fix writes over the variable.
  const via = isScalar(node) && usesEnvironment(node) ? scalarText(node) : undefined;
  // The fix changes the file Falco loads (the one beside this file, not the path read from '/', where Falco starts as
  // shipped): its title says so, and what Falco reads today (titles are cut at 80 characters: the change first).
  const fromRoot = posix.join('/', path);
  const title = `Load '${beside}', not '${fromRoot}'${ctx.exists(fromRoot) ? '' : ' (missing)'}`;
  const fix: ConfigFix | undefined = found && via === undefined && !/["'\\:#]/.test(beside!) ? { title, edits: [{ span, newText: beside! }] } : undefined;
  const message = relativePathMessage(path, found ? beside : undefined, use);
  ctx.report(ConfigCode.RelativePath, span, via === undefined ? message : `'${via}' reads '${path}' with the values the manifest gives Falco's container. ${message}`, { path: at, ...(fix ? { fix } : {}) });
}

/** Relative config_files paths (relativePathMessage). */
function checkRelativeIncludes(view: View, ctx: LoadCheckContext): void {
  const { merged } = view;
  if (merged.main !== merged.edited || merged.overlay) return;
  for (const entry of includeEntries(valueOf(merged.edited.model.root, 'config_files'), ctx.target)) {
    if (entry.path === undefined || entry.path === '' || entry.path.startsWith('/') || !entry.pathNode) continue;
    reportRelativePath(view, ctx, entry.path, entry.pathNode, 'config_files[]');
  }
}

const CURL_CANNOT_READ = 'curl cannot read it, so each alert\'s post fails ("libcurl failed to perform call") and the alert is not delivered there.';
const GRPC_FILE_UNREAD = 'Falco reads a file it cannot open as empty, without a word, and the gRPC server then does not start ("Error starting gRPC server"); Falco runs on without it.';
const GRPC_ROOTS_UNREAD = 'Falco reads a file it cannot open as empty, without a word, and hands gRPC no CA to check the client certificates it requires with.';

/**
 * A config_files path listed again in this file: Falco merges each entry in turn without looking for repeats
 * (configuration.cpp merge_config_files, 0.38.0:111-160, 0.44.0:163-213; only the main file itself is refused), so the
 * file (or the folder's files) is merged a second time: with strategy append (the default from 0.41) its lists are
 * appended again (its rules files loaded twice, its plugins entries repeated), with override (every entry before
 * 0.41) its keys are set again, undoing what the files merged between set; add-only changes nothing then. Said where
 * the path exists on this machine (a missing one is skipped, twice), with a fix taking the later entry out.
 */
function checkIncludedAgain(view: View, ctx: LoadCheckContext): void {
  const { merged } = view;
  if (merged.edited !== merged.main || merged.inPod || merged.overlay) return;
  const pair = pairOf(merged.edited.model.root, 'config_files');
  if (!pair) return;
  const text = merged.edited.model.text;
  const seen = new Map<string, Node>();
  const lineOf = (node: Node) => merged.edited.model.lines.positionAt(realSpan(merged.edited.model, nodeSpan(node)).span[0]).line + 1;
  const normal = (path: string) => posix.normalize(path).replace(/(.)\/$/, '$1');
  // Each file merged so far, with the entry that merged it (merge.ts includedFiles: a folder gives its files).
  const mergedBy = new Map<string, { entry: Node; path: string }>();
  for (const entry of includeEntries(pair.value as Node | null, ctx.target)) {
    if (entry.path === undefined || !entry.path.startsWith('/') || !ctx.exists(entry.path)) continue;
    const path = normal(entry.path);
    const files = merged.included.filter((f) => f.entry === entry.node).map((f) => normal(f.path));
    const earlier = seen.get(path);
    const again = earlier ? [] : files.filter((f) => mergedBy.has(f));
    for (const f of files) if (!mergedBy.has(f)) mergedBy.set(f, { entry: entry.node, path: entry.path });
    if (!earlier) seen.set(path, entry.node);
    if ((!earlier && again.length === 0) || entry.strategy === 'add-only') continue;
    const effect = (several: boolean) => entry.strategy === 'append'
      ? `${several ? 'their' : 'its'} lists are appended a second time (${several ? 'their' : 'its'} rules files loaded twice, ${several ? 'their' : 'its'} plugins entries repeated) and ${several ? 'their' : 'its'} other keys set again`
      : `${several ? 'their' : 'its'} keys are set again, undoing what the files merged between set for them`;
    const removal = listItemRemoval(text, pair, entry.node);
    const takeOut = (what: string): ConfigFix | undefined => ('why' in removal ? undefined
      : { title: `${removal.commented ? 'Comment out' : 'Take out'} ${what} of config_files`, edits: removal.edits });
    if (earlier) {
      const fix = takeOut(`this second '${entry.path}'`);
      ctx.report(ConfigCode.DuplicateKey, nodeSpan(entry.node),
        `config_files lists '${entry.path}' already (line ${lineOf(earlier)}): Falco merges it again, and ${effect(false)}.`,
        { path: 'config_files[]', file: entry.path, ...(fix ? { fix } : {}) });
      continue;
    }
    // A folder and a file in it (either order): Falco merges the folder's every regular file (no name filter) and
    // the file entry as well, without looking for repeats (configuration.cpp merge_config_files 0.38.0:111-160,
    // 0.44.1:174-213), so the file is merged twice.
    const first = mergedBy.get(again[0])!;
    if (ctx.isDirectory(entry.path)) {
      const named = again.length === 1 ? `'${again[0]}', which config_files lists already (line ${lineOf(first.entry)})` : `${again.length} files config_files merges already (${again.map((f) => `'${f}', line ${lineOf(mergedBy.get(f)!.entry)}`).join('; ')})`;
      ctx.report(ConfigCode.DuplicateKey, nodeSpan(entry.node),
        `The folder '${entry.path}' holds ${named}: Falco merges every file of the folder, ${again.length === 1 ? 'that one' : 'those'} again, and ${effect(again.length > 1)}.`,
        { path: 'config_files[]', file: entry.path });
    } else {
      const fix = takeOut(`'${entry.path}'`);
      ctx.report(ConfigCode.DuplicateKey, nodeSpan(entry.node),
        `config_files lists the folder '${first.path}' already (line ${lineOf(first.entry)}), and Falco merges every file in it, '${entry.path}' among them: Falco merges it again, and ${effect(false)}.`,
        { path: 'config_files[]', file: entry.path, ...(fix ? { fix } : {}) });
    }
  }
}

/**
 * The other paths Falco hands to the file system as written (so from its working directory, as rules_files: see
 * relativePathMessage), each only where Falco uses it (0.37.0-0.44.1 unless said): the replayed capture file with
 * engine.kind replay (helpers_inspector.cpp open_offline_inspector: open_savefile, "Could not open trace filename");
 * the file output's file when enabled (outputs_file.cpp open_file: std::ofstream, append); the http output's CA
 * file, CA bundle or CA folder, the first set, unless insecure, and its client certificate and key with mtls
 * (outputs_http.cpp init: curl CURLOPT_CAINFO, CURLOPT_CAPATH, CURLOPT_SSLCERT, CURLOPT_SSLKEY; a file curl cannot
 * read fails each post, output(): "libcurl failed to perform call"); the web server's certificate with the server and
 * ssl_enabled on (webserver.cpp start: httplib::SSLServer, "invalid webserver configuration"); the metrics file with
 * metrics on (stats_writer.cpp: std::ofstream, append); the capture files' prefix with capture on, from 0.42
 * (app/actions/helpers.h generate_scap_file_path: `<prefix>_<time>_<n>.scap`); the gRPC server's TLS files up to
 * 0.43, with the server on and bound to an address, not a unix:// socket (grpc_server.cpp init: is_unix_scheme, else
 * init_mtls_server_builder, whose falco::utils::readfile leaves a file it cannot open empty without a word; an empty
 * key or certificate makes gRPC's BuildAndStart fail, run(): "Error starting gRPC server", and Falco goes on without
 * the server: 0.37.0-0.43.0). A plugin's relative library_path is the plugins folder's (checkLibraryPath).
 */
const RELATIVE_PATH_VALUES: readonly {
  section: string;
  path: readonly string[];
  since?: string;
  /** The last release that reads the path. */
  until?: string;
  /** Whether Falco surely uses the path (false where it does not, or where a ${VAR} decides). */
  when(section: YAMLMap): boolean;
  use: RelativeUse;
}[] = [
  {
    section: 'engine', path: ['replay', 'capture_file'], when: (m) => textOf(valueOf(m, 'kind'))?.text === 'replay',
    use: { verb: 'reads', what: 'the capture file it replays', effect: 'Falco refuses to start where it cannot open it ("Could not open trace filename").', reads: true, missing: 'Falco refuses to start ("Could not open trace filename").', stops: 'Could not open trace filename' },
  },
  {
    section: 'file_output', path: ['filename'], when: (m) => flag(m, 'enabled', false) === true,
    use: { verb: 'appends its alerts to', effect: 'Falco creates the file there.', reads: false },
  },
  ...(['ca_cert', 'ca_bundle', 'ca_path'] as const).map((key, i, keys) => ({
    section: 'http_output', path: [key],
    // curl gets the first CA setting that is not "" (an empty value reads as the text 'null', which counts).
    when: (m: YAMLMap) => flag(m, 'enabled', false) === true && flag(m, 'insecure', false) === false
      && keys.slice(0, i).every((k) => { const v = valueOf(m, k); return v === undefined || (isScalar(v) && v.value !== null && scalarText(v) === ''); }),
    use: {
      verb: 'has curl read', what: key === 'ca_path' ? 'the folder of CA certificates it checks servers with' : 'the CA file it checks servers with', effect: 'curl reads it there when Falco posts an alert.', reads: true,
      // A CA folder curl does not find is no error of its own (a CA file built into curl may still check the server).
      ...(key === 'ca_path' ? {} : { missing: CURL_CANNOT_READ }),
    },
  })),
  ...(['client_cert', 'client_key'] as const).map((key) => ({
    section: 'http_output', path: [key], when: (m: YAMLMap) => flag(m, 'enabled', false) === true && flag(m, 'mtls', false) === true,
    use: { verb: 'has curl read', what: `its ${key === 'client_cert' ? 'client certificate' : 'client key'}`, effect: 'curl reads it there when Falco posts an alert.', reads: true, missing: CURL_CANNOT_READ },
  })),
  {
    section: 'webserver', path: ['ssl_certificate'], when: (m) => flag(m, 'enabled', false) === true && flag(m, 'ssl_enabled', false) === true,
    use: { verb: 'reads', what: 'the web server\'s certificate', effect: 'Falco refuses to start where it cannot read it ("invalid webserver configuration").', reads: true, missing: 'Falco refuses to start ("invalid webserver configuration").', stops: 'invalid webserver configuration' },
  },
  {
    section: 'metrics', path: ['output_file'], when: (m) => flag(m, 'enabled', false) === true,
    use: { verb: 'appends its metrics to', effect: 'Falco creates the file there.', reads: false },
  },
  {
    section: 'capture', path: ['path_prefix'], since: '0.42', when: (m) => flag(m, 'enabled', false) === true,
    use: { verb: 'writes its capture files at', effect: '', reads: false, shown: (fromRoot) => `${fromRoot}_<time>_<event>.scap` },
  },
  ...(['private_key', 'cert_chain', 'root_certs'] as const).map((key) => ({
    section: 'grpc', path: [key], until: '0.43', when: (m: YAMLMap) => flag(m, 'enabled', false) === true && grpcOverNetwork(m),
    use: key === 'root_certs'
      ? { verb: 'reads', what: 'the CA certificates the gRPC server checks clients with', effect: GRPC_ROOTS_UNREAD, reads: true, missing: GRPC_ROOTS_UNREAD }
      : { verb: 'reads', what: `the gRPC server's ${key === 'private_key' ? 'private key' : 'certificate chain'}`, effect: GRPC_FILE_UNREAD, reads: true, missing: GRPC_FILE_UNREAD },
  })),
];

/** Whether the gRPC server listens on a network address (its TLS files read), not a unix:// socket (none read):
 *  configuration.cpp's default bind_address is 0.0.0.0:5060; a ${VAR} is not known. */
function grpcOverNetwork(grpc: YAMLMap): boolean {
  const bind = valueOf(grpc, 'bind_address');
  if (bind === undefined) return true;
  const read = textOf(bind);
  return read !== undefined && !read.text.startsWith('unix://');
}

/** Relative paths of RELATIVE_PATH_VALUES written in this file, where Falco uses them (reportRelativePath). */
function checkRelativeValues(view: View, ctx: LoadCheckContext): void {
  for (const entry of RELATIVE_PATH_VALUES) {
    if (entry.since && compareVersions(ctx.target, entry.since) < 0) continue;
    if (entry.until && compareVersions(ctx.target, entry.until) > 0) continue;
    const section = view.map(entry.section);
    if (!section || section.part.source !== view.edited || !entry.when(section.map)) continue;
    let holder: YAMLMap | undefined = section.map;
    for (const key of entry.path.slice(0, -1)) {
      const next = valueOf(holder, key);
      holder = isMap(next) ? next : undefined;
    }
    const key = entry.path[entry.path.length - 1];
    const pair = scalarPair(holder, key);
    const read = textOf(pair?.value);
    if (!pair?.value || !read || read.empty || read.text === '') continue;
    // A value an alias gives is the anchor's text, judged where the anchor is written.
    if (pair.value.range && pair.value.range[0] > view.edited.model.text.length) continue;
    const at = [entry.section, ...entry.path].join('.');
    if (read.text.startsWith('/')) checkMissingFile(view, ctx, read.text, pair.value, at, entry.use);
    else reportRelativePath(view, ctx, read.text, pair.value, at, entry.use);
  }
}

/**
 * An absolute path of a file Falco reads that is not on this machine while its folder is (as a rules path missing,
 * checkRulesFilesKeys: the folder says the configuration is this machine's), said as what Falco does then: an error
 * where Falco refuses to start (`stops`: config-start-fails, as every refusal), a warning where it starts and the
 * feature fails with an error in its log (config-file-missing: curl's posts, the gRPC server). A path Falco skips
 * without a word is an information (a rules path, checkRulesFilesKeys). Not for a pod's or an overlay's paths,
 * which are not this machine's.
 */
function checkMissingFile(view: View, ctx: LoadCheckContext, path: string, node: Node, at: string, use: RelativeUse): void {
  if (!use.reads || use.missing === undefined || view.merged.inPod || view.merged.overlay || ctx.exists(path)) return;
  const folder = path.replace(/\/[^/]*\/?$/, '') || '/';
  if (!ctx.exists(folder)) return;
  const missing = `'${path}'${use.what ? ` (${use.what})` : ''} does not exist on this machine, though its folder does`;
  if (use.stops !== undefined) ctx.report(ConfigCode.StartFails, nodeSpan(node), `Falco refuses to start: ${missing} ("${use.stops}").`, { path: at, file: path });
  else ctx.report(ConfigCode.FileMissing, nodeSpan(node), `${missing}: ${use.missing}`, { path: at, file: path });
}

function checkRulesFilesKeys(view: View, root: YAMLMap, ctx: LoadCheckContext): void {
  const plural = pairOf(root, 'rules_files');
  const singular = pairOf(root, 'rules_file');
  let bothSet = false;
  if (compareVersions(ctx.target, '0.38') < 0) {
    // Falco 0.37 reads only `rules_file` (configuration.cpp:193 at 0.37.0); `rules_files` came with 0.38.
    if (plural) {
      ctx.report(ConfigCode.KeyTooNew, nodeSpan(plural.key as Scalar),
        `Falco ${ctx.target} reads its rules files from 'rules_file'; 'rules_files' is read from Falco 0.38 on, so these files are not loaded.`,
        { key: 'rules_files', replacement: 'rules_file', since: '0.38' });
    }
  } else {
    // Both keys defined in the merged configuration, in any files: configuration.cpp:290-306 at 0.44.0.
    const pluralParts = view.parts('rules_files');
    const singularParts = view.parts('rules_file');
    if (pluralParts.length > 0 && singularParts.length > 0) {
      const elsewhere = (parts: Part[]) => {
        const other = parts.find((p) => p.source !== view.edited);
        return other && !parts.some((p) => p.source === view.edited) ? ` (it is set in ${view.name(other)})` : '';
      };
      const mine = singularParts.filter((p) => p.source === view.edited);
      for (const part of mine) {
        bothSet = true;
        ctx.report(ConfigCode.StartFails, keySpan(part.pair),
          `Both 'rules_files'${elsewhere(pluralParts)} and 'rules_file' are set: Falco refuses to start ("both 'rules_files' and 'rules_file' keys set"). Keep 'rules_files'.`,
          { key: 'rules_file' });
      }
      if (mine.length === 0) {
        for (const part of pluralParts.filter((p) => p.source === view.edited)) {
          ctx.report(ConfigCode.StartFails, keySpan(part.pair),
            `Both 'rules_files' and 'rules_file'${elsewhere(singularParts)} are set: Falco refuses to start ("both 'rules_files' and 'rules_file' keys set"). Keep 'rules_files' and rename the other.`,
            { key: 'rules_files' });
        }
      }
    }
    if (singular && !bothSet) {
      ctx.report(ConfigCode.DeprecatedKey, nodeSpan(singular.key as Scalar),
        '\'rules_file\' is the deprecated spelling of \'rules_files\': Falco reads it and logs a warning'
        + (compareVersions(ctx.target, SCHEMA_SINCE) >= 0 ? ', and its schema validation fails on it (the schema does not list it)' : '')
        + '. Rename it to \'rules_files\'.',
        { key: 'rules_file', replacement: 'rules_files' });
    }
  }
  for (const [key, replacement] of Object.entries(CONFIG_KEYS_NEVER_READ)) {
    const pair = pairOf(root, key);
    if (!pair) continue;
    ctx.report(ConfigCode.DeprecatedKey, nodeSpan(pair.key as Scalar),
      `Falco never reads '${key}' (its schema accepts the name, but Falco loads rules from '${replacement}'): these rules files are not loaded. Rename it to '${replacement}'.`,
      { key, replacement });
  }
  for (const pair of [plural, singular]) {
    const value = pair?.value as Node | null | undefined;
    // A lone text is a one-item list (yaml_helper.h get_sequence_from_node).
    if (!isSeq(value) && !isScalar(value)) continue;
    for (const item of isSeq(value) ? value.items : [value]) {
      if (!isScalar(item) || item.value === null) continue;
      const path = pathReading(item, ctx.environment);
      if (path === undefined || path === '') continue;
      if (!path.startsWith('/')) reportRelativePath(view, ctx, path, item, `${String(pair!.key.value)}[]`);
      else if (!ctx.exists(path)) {
        const parent = path.replace(/\/[^/]*\/?$/, '') || '/';
        if (ctx.exists(parent)) {
          // Dropped by load_yaml's stat (configuration.cpp 0.37.0:200-204, 0.44.1:317-321): nothing to load there.
          ctx.report(ConfigCode.RulesPathMissing, nodeSpan(item),
            `'${path}' does not exist on this machine, though its folder does: Falco keeps only the rules paths that exist when it reads its configuration, so it drops this one without a word and loads the others.`,
            { path });
        }
      } else if (ctx.unreadable?.(path)) {
        ctx.report(ConfigCode.RulesPathMissing, nodeSpan(item),
          `'${path}' is here, but Falco Lens cannot read it (no read permission, or not a regular file): Falco, as root, loads it, Falco Lens does not, so the rules files after it may seem to use macros and lists nobody defines. Give your user read access to check it here.`,
          { path });
      } else if (compareVersions(ctx.target, '0.41') >= 0 && !ctx.isDirectory(path) && !isRulesFileName(path)) {
        // 0.41 added the *.yaml/*.yml filter (configuration.cpp read_rules_file_directory); before, any file loaded.
        ctx.report(ConfigCode.RulesPathMissing, nodeSpan(item),
          `'${path}' is a file whose name does not end in .yaml or .yml: Falco does not load it as a rules file.`, { path });
      }
    }
  }
}

/**
 * A rules path whose files an earlier rules path of the merged configuration loads already: the same path listed
 * twice, a folder and a file in it, or a file and a link to it. Every release 0.37-0.44 loads each file a path gives
 * (load_rules_files.cpp 0.44.0:45-49 collects them into a std::list, configuration.cpp:701-742 appends a folder's
 * files, following links at :718, without looking for repeats; :64 loads each), so the file is loaded twice: the
 * second load silently replaces the rules, macros and lists it defines (define_info, rule_loader_collector.cpp
 * 0.44.0:58-69), undoing what the files loaded between did to them, and applies its appends again. An information
 * on this file's entry that loads it again (the rules file says it too, rules-file-loaded-again, pointing here).
 */
function checkRulesLoadedAgain(view: View, ctx: LoadCheckContext): void {
  const entries = mergedRulesEntries(view.merged, ctx.environment);
  if (entries.length < 2 || !ctx.rulesFilesOf) return;
  // Each file's loads so far: the entry and the path it was loaded by.
  const loads = new Map<string, { entry: RulesPathEntry; path: string }[]>();
  for (const entry of entries) {
    const files = ctx.rulesFilesOf(entry.path);
    const again: { path: string; before: { entry: RulesPathEntry; path: string }[] }[] = [];
    for (const file of files) {
      const before = loads.get(file.real);
      if (before) again.push({ path: file.path, before: [...before] });
      if (before) before.push({ entry, path: file.path });
      else loads.set(file.real, [{ entry, path: file.path }]);
    }
    if (again.length === 0 || entry.part.source !== view.edited) continue;
    // The n-th load of the files (the third listing of a file is its third load, its second repeat); files of a
    // folder loaded a different number of times before are said to load again.
    const before = again[0].before;
    const n = again.every((a) => a.before.length === before.length) ? before.length + 1 : undefined;
    const where = (by: RulesPathEntry) => (by.part.source === view.edited
      ? `line ${by.part.source.model.lines.positionAt(realSpan(by.part.source.model, nodeSpan(by.node)).span[0]).line + 1}`
      : view.name(by.part));
    const named = (a: (typeof again)[number]) => `'${a.path}'${a.path !== a.before[0].path ? ` (the same file as '${a.before[0].path}', through a link)` : ''}`;
    const what = again.length === 1 ? named(again[0])
      : `${again.length} files of '${entry.path}' (${again.slice(0, 3).map(named).join(', ')}${again.length > 3 ? ', …' : ''})`;
    const it = again.length === 1 ? 'it' : 'them';
    const earlier = before.map((b) => `'${b.entry.path}' (${where(b.entry)})`);
    const load = n === undefined ? 'This load' : `The ${loadOrdinal(n)} load`;
    ctx.report(ConfigCode.RulesFileLoadedAgain, nodeSpan(entry.node),
      `Falco loads ${what} ${n === undefined ? 'again' : loadTimes(n)}: ${earlier.length === 1 ? earlier[0] : `${earlier.slice(0, -1).join(', ')} and ${earlier[earlier.length - 1]}`} ${earlier.length === 1 ? 'loads' : 'load'} ${it} already. ${load} replaces each rule, macro and list ${again.length === 1 ? 'it defines' : 'they define'} without a message, undoing what the files loaded between did to them, and applies ${again.length === 1 ? 'its' : 'their'} appends again.`,
      { path: entry.path, loadedBy: before[0].entry.path, files: again.map((a) => a.path) },
      before.flatMap((b, i) => {
        const uri = b.entry.part.source.path !== undefined ? ctx.uriOf?.(b.entry.part.source.path) : undefined;
        const [start, end] = realSpan(b.entry.part.source.model, nodeSpan(b.entry.node)).span;
        return uri ? [{ location: { uri, range: b.entry.part.source.model.lines.range(start, end) }, message: `'${b.entry.path}' loads ${it} ${i === 0 ? 'first' : `the ${loadOrdinal(i + 1)} time`}` }] : [];
      }));
  }
}

/** The rules file the quick fixes name: the first entry of falco.yaml's rules_files (0.38.0-0.44.1). */
const DEFAULT_RULES_FILE = '/etc/falco/falco_rules.yaml';

/**
 * Whether a rules_files (or rules_file) value names a rules path as Falco reads it (yaml_helper.h
 * get_sequence_from_node, 0.37.0-0.44.1): a list's items or a lone text; a mapping or an empty value gives nothing,
 * and so does an empty item (read as the text 'null') or "" (configuration.cpp load_yaml keeps only paths that stat).
 * A `${VAR}` counts as named (Falco's environment is not known); undefined for an item that is not a text (yaml-cpp
 * fails on it before, with another error).
 */
function namesRulesPath(value: Node | null | undefined): boolean | undefined {
  const named = (node: unknown): boolean | undefined => {
    if (!isScalar(node)) return node === null || node === undefined ? false : undefined;
    if (usesEnvironment(node)) return true;
    return node.value !== null && valueText(node) !== '';
  };
  if (isSeq(value)) {
    const each = value.items.map(named);
    return each.includes(true) ? true : each.includes(undefined) ? undefined : false;
  }
  return isScalar(value) ? named(value) : false;
}

/**
 * A whole configuration that names no rules file: load_rules_files.cpp (0.37.0-0.44.1, lines 34-37 at 0.44.1) stops
 * Falco ("You must specify at least one rules file/directory via -r or a rules_file entry in falco.yaml") unless -r
 * names rules files on the command line, which this file cannot know: a warning. Read from the merged configuration
 * (rules_files, or the deprecated rules_file; only rules_file before 0.38, configuration.cpp:193 at 0.37.0); both
 * set is a refusal of its own (checkRulesFilesKeys). Not judged for a file read alone (a config.d file whose main
 * file is unknown, the chart's values) nor when config_files has files Falco Lens cannot read. Reported on this
 * file's own key that names nothing (with a fix adding the default rules file to an empty value), on this file's key
 * a later file replaced, else on the first key of the main file, with a fix appending the key.
 */
function checkRulesNamed(view: View, ctx: LoadCheckContext): void {
  const { merged } = view;
  if (!merged.whole || merged.unknown.length > 0) return;
  const legacy = compareVersions(ctx.target, '0.38') < 0;
  const read = legacy ? ['rules_file'] : ['rules_files', 'rules_file'];
  const parts = read.flatMap((key) => view.parts(key));
  if (!legacy && view.parts('rules_files').length > 0 && view.parts('rules_file').length > 0) return;
  if (parts.some((part) => namesRulesPath(part.pair.value) !== false)) {
    checkRulesPathsAllMissing(view, ctx, parts);
    return;
  }
  const needs = '("You must specify at least one rules file/directory via -r or a rules_file entry in falco.yaml") unless rules files are named on its command line with -r.';
  const own = parts.find((part) => part.source === view.edited);
  if (own) {
    const key = String(own.pair.key.value);
    const fix = listItemFix(view.edited.model.text, own.pair, view.edited.model.lines.positionAt(own.pair.key.range![0]).character);
    ctx.report(ConfigCode.NoRulesFile, keySpan(own.pair),
      `'${key}' names no rules file, and the configuration has no other: Falco refuses to start ${needs}`,
      { path: key, ...(fix ? { fix } : {}) });
    return;
  }
  const elsewhere = parts[parts.length - 1];
  const message = elsewhere
    ? `No rules file is named: '${elsewhere.pair.key.value}' of ${view.name(elsewhere)} names none, and Falco refuses to start ${needs}`
    : `No rules file is named (${legacy ? `Falco ${ctx.target} reads them from 'rules_file'` : "neither 'rules_files' nor 'rules_file' is set"}): Falco refuses to start ${needs}`;
  if (elsewhere && view.at(elsewhere, keySpan(elsewhere.pair), ConfigCode.NoRulesFile, message, { path: String(elsewhere.pair.key.value) })) return;
  const root = view.edited.model.root;
  if (merged.main !== view.edited || !root) return;
  const first = root.items.find((p) => isScalar(p.key));
  if (!first) return;
  // No fix where a key of this file is to be renamed instead (rules_files before 0.38, the never-read rule_files),
  // nor where another file's key names nothing (an appended key may not reach Falco).
  const key = legacy ? 'rules_file' : 'rules_files';
  const renamed = ['rules_files', 'rules_file', ...Object.keys(CONFIG_KEYS_NEVER_READ)].some((k) => pairOf(root, k));
  const text = view.edited.model.text;
  const eol = lineEnding(text);
  const fix: ConfigFix | undefined = elsewhere || renamed ? undefined : {
    title: `Add ${key} with ${DEFAULT_RULES_FILE}`,
    edits: [{ span: [text.length, text.length], newText: `${/[\r\n]$/.test(text) || text === '' ? '' : eol}${key}:${eol}  - ${DEFAULT_RULES_FILE}${eol}` }],
  };
  ctx.report(ConfigCode.NoRulesFile, keySpan(first), message, { path: key, ...(fix ? { fix } : {}) });
}

/**
 * Rules paths named, none of which exists on this machine while their folders do: load_yaml keeps only the paths
 * that stat (configuration.cpp 0.37.0:200-204, 0.44.1:317-321), so Falco is left with none and load_rules_files.cpp
 * refuses to start ("You must specify at least one rules file/directory …", 0.37.0-0.44.1) unless -r names rules
 * files: a warning, as when none is named (checkRulesNamed). Not judged where a path is relative or through a
 * ${VAR} Falco Lens does not know, where a folder is not here either (the configuration is another machine's), nor
 * for a pod's or an overlay's paths. Each path also gets its own information (checkRulesFilesKeys).
 */
function checkRulesPathsAllMissing(view: View, ctx: LoadCheckContext, parts: readonly Part[]): void {
  if (view.merged.inPod || view.merged.overlay) return;
  const paths: string[] = [];
  for (const part of parts) {
    const value = part.pair.value;
    const items = isSeq(value) ? value.items : [value];
    for (const item of items) {
      if (!isScalar(item) || item.value === null) continue;
      const path = pathReading(item, ctx.environment);
      if (path === undefined || !path.startsWith('/')) return;
      if (ctx.exists(path) || !ctx.exists(path.replace(/\/[^/]*\/?$/, '') || '/')) return;
      paths.push(path);
    }
  }
  if (paths.length === 0) return;
  const named = paths.length === 1
    ? `The one rules path, '${paths[0]}', does not exist on this machine, though its folder does`
    : `None of the ${paths.length} rules paths exists on this machine, though their folders do`;
  const message = `${named}: Falco keeps only the rules paths that exist, is left with none, and refuses to start ("You must specify at least one rules file/directory via -r or a rules_file entry in falco.yaml") unless rules files are named on its command line with -r.`;
  const own = parts.find((part) => part.source === view.edited);
  if (own) ctx.report(ConfigCode.NoRulesFile, keySpan(own.pair), message, { path: String(own.pair.key.value) });
  else view.at(parts[parts.length - 1], keySpan(parts[parts.length - 1].pair), ConfigCode.NoRulesFile, message, { path: String(parts[parts.length - 1].pair.key.value) });
}

/**
 * Adds the default rules file to an empty value of this file's key, without replacing anything: after `key:` with
 * nothing (a comment kept) a block item on the next line, or inside an empty flow list `[]`.
 */
function listItemFix(text: string, pair: Pair<Scalar, Node | null>, column: number): ConfigFix | undefined {
  const value = pair.value;
  const title = `Add ${DEFAULT_RULES_FILE} to '${pair.key.value}'`;
  // A value an alias gives is the anchor's text (a copy with offsets past the text's end: model.ts readAliases).
  if (value?.range && value.range[0] > text.length) return undefined;
  if (isScalar(value) && value.value === null && value.range && value.range[0] === value.range[1]) {
    const lineEnd = text.slice(value.range[0]).search(/[\r\n]/);
    const at = lineEnd < 0 ? text.length : value.range[0] + lineEnd;
    const eol = lineEnding(text);
    return { title, edits: [{ span: [at, at], newText: `${eol}${' '.repeat(column + 2)}- ${DEFAULT_RULES_FILE}` }] };
  }
  if (isSeq(value) && value.items.length === 0 && value.range && value.flow) {
    const close = text.lastIndexOf(']', value.range[1] - 1);
    if (close >= value.range[0]) return { title, edits: [{ span: [close, close], newText: DEFAULT_RULES_FILE }] };
  }
  return undefined;
}

function checkPriority(view: View): void {
  const part = view.one('priority');
  const read = textOf(part?.pair.value);
  if (!part || !read || parsePriority(read.text) !== undefined) return;
  const suggestions = read.empty ? [] : nearMiss(read.text, PRIORITY_WORDS);
  view.refuse(part, valueSpan(part.pair),
    `unknown priority '${read.text}'${emptyNote(read)} (one of ${PRIORITY_WORDS.join(', ')}, in any case; 'info' also works).${didYouMean(suggestions)}`,
    { path: 'priority', suggestions });
}

function checkRuleMatching(view: View): void {
  const part = view.one('rule_matching');
  const read = textOf(part?.pair.value);
  if (!part || !read || ['first', 'all'].includes(read.text.toLowerCase())) return;
  const suggestions = read.empty ? [] : nearMiss(read.text, ['first', 'all']);
  view.refuse(part, valueSpan(part.pair),
    `unknown rule matching strategy '${read.text}'${emptyNote(read)} (first or all).${didYouMean(suggestions)}`,
    { path: 'rule_matching', suggestions });
}

/**
 * The gRPC server and output, deprecated in Falco 0.43 and removed in 0.44: 0.43 logs a warning when grpc.enabled is
 * true, and when grpc_output.enabled is (its default is true: configuration.cpp:480-505 at 0.43.0). Said on a true
 * written in this configuration.
 */
function checkGrpcDeprecated(view: View, ctx: LoadCheckContext): void {
  if (ctx.target !== '0.43') return;
  for (const [key, what] of [['grpc', 'gRPC server'], ['grpc_output', 'gRPC output']] as const) {
    const section = view.map(key);
    const pair = scalarPair(section?.map, 'enabled');
    if (!section || !pair || !pair.value || booleanValue(pair.value) !== true) continue;
    view.at(section.part, valueSpan(pair), ConfigCode.DeprecatedKey,
      `Falco 0.43 logs that the ${what} is deprecated ("Using deprecated ${what}"), and Falco 0.44 removed it (the key is ignored there). Use http_output or another output.`,
      { path: `${key}.enabled` });
  }
}

function checkEngineKind(view: View, ctx: LoadCheckContext): void {
  if (compareVersions(ctx.target, '0.38') < 0) return;
  const engine = view.map('engine');
  const pair = scalarPair(engine?.map, 'kind');
  const read = textOf(pair?.value);
  if (!engine || !pair || !read) return;
  const kinds = engineKinds(ctx.target);
  if (kinds.includes(read.text)) {
    // Falco 0.43 warns on the engines 0.44 dropped (configuration.cpp:257-261 at 0.43.0).
    if (ctx.target === '0.43' && ['ebpf', 'gvisor'].includes(read.text)) {
      view.at(engine.part, valueSpan(pair), ConfigCode.DeprecatedKey,
        `Falco 0.43 logs that the '${read.text}' engine is deprecated ("Using deprecated engine"), and Falco 0.44 dropped it: there it refuses to start on this kind.`,
        { path: 'engine.kind' });
    }
    return;
  }
  const dropped = ['ebpf', 'gvisor'].includes(read.text) ? ` Falco 0.44 dropped the '${read.text}' engine.` : '';
  const suggestions = read.empty || dropped ? [] : nearMiss(read.text, kinds);
  view.refuse(engine.part, valueSpan(pair),
    `engine.kind '${read.text}'${emptyNote(read)} is not a valid kind (${kinds.join(', ')}).${dropped}${didYouMean(suggestions)}`,
    { path: 'engine.kind', suggestions });
}

/** A text value that is missing or empty as Falco reads it: absent, or written "" (an empty value reads 'null'). */
function missingText(map: YAMLMap | undefined, key: string): boolean {
  const v = valueOf(map, key);
  if (v === undefined) return true;
  const read = textOf(v);
  return read !== undefined && !read.empty && read.text === '';
}

/**
 * The words of Falco's two loggers, each with its rank. log_level (engine/logger.cpp set_level, 0.37.0-0.44.1,
 * compared exactly) takes syslog's priorities, ranked 0 to 7 as falco_logger::level (logger.h: EMERG = 0 … DEBUG);
 * libs_logger.severity (logger.cpp decode_sinsp_severity) takes libsinsp's, ranked 1 to 8 as
 * falcosecurity_log_severity (FATAL = 1 … TRACE = 8), which follow syslog's numbers. A word of the other logger is
 * read as the word of the same rank here, the nearest where this logger has none (`trace` is below `debug`).
 */
const LOG_LEVEL_RANKS: Readonly<Record<string, number>> = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };
const LIBS_SEVERITY_RANKS: Readonly<Record<string, number>> = { fatal: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7, trace: 8 };
const LOG_LEVELS = Object.keys(LOG_LEVEL_RANKS);
const LIBS_SEVERITIES = Object.keys(LIBS_SEVERITY_RANKS);

/**
 * The word a logger value that is none of this logger's most likely means: the other logger's word of the same rank
 * (`fatal` as log_level is 'alert'), said in `note`, else nearMiss.
 */
function loggerNearMiss(text: string, own: Readonly<Record<string, number>>, other: Readonly<Record<string, number>>, otherKey: string): { suggestions: string[]; note: string } {
  const lower = text.toLowerCase();
  if (Object.hasOwn(other, lower) && !Object.hasOwn(own, lower)) {
    const ranks = Object.entries(own);
    const [word] = ranks.reduce((best, entry) => (Math.abs(entry[1] - other[lower]) < Math.abs(best[1] - other[lower]) ? entry : best));
    const same = own[word] === other[lower];
    return { suggestions: [word], note: ` '${lower}' is a word of ${otherKey}: ${same ? `its rank here is '${word}'` : `the nearest rank here is '${word}'`}.` };
  }
  return { suggestions: nearMiss(text, Object.keys(own)), note: '' };
}
const DROP_ACTIONS = ['ignore', 'log', 'alert', 'exit'];
/**
 * Falco's test of webserver.listen_address (configuration.cpp `ip_address_re`, the same text from 0.37.0 to 0.44.1,
 * line 43 at 0.44.0), matched whole with RE2: blanks around the address are allowed; an IPv4 address in dotted
 * decimal; an IPv6 address in any of its compressed forms (an embedded IPv4 tail included) followed by an optional
 * zone suffix (`%` and at least one character: `fe80::1%eth0`). An IPv4 address takes no zone. RE2's `\s` is
 * [\t\n\f\r ] and its `.` stops at a line break, as written here. The gRPC bind_address (before 0.44) is not
 * checked by the loader: Falco says nothing about it until the gRPC server starts.
 */
export const IP_ADDRESS = (() => {
  const blank = '[\\t\\n\\f\\r ]*';
  const v4Octet = '([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])';
  const tailOctet = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
  const tail = `${tailOctet}(\\.${tailOctet}){3}`;
  const h = '[0-9A-Fa-f]{1,4}';
  const v6 = [
    `((${h}:){7}(${h}|:))`,
    `((${h}:){6}(:${h}|${tail}|:))`,
    `((${h}:){5}(((:${h}){1,2})|:${tail}|:))`,
    `((${h}:){4}(((:${h}){1,3})|((:${h})?:${tail})|:))`,
    `((${h}:){3}(((:${h}){1,4})|((:${h}){0,2}:${tail})|:))`,
    `((${h}:){2}(((:${h}){1,5})|((:${h}){0,3}:${tail})|:))`,
    `((${h}:){1}(((:${h}){1,6})|((:${h}){0,4}:${tail})|:))`,
    `(:(((:${h}){1,7})|((:${h}){0,5}:${tail})|:))`,
  ].join('|');
  return new RegExp(`^(?:${blank}(${v4Octet}\\.){3}${v4Octet}${blank}|${blank}(${v6})(%.+)?${blank})$`);
})();

function isIpLiteral(text: string): boolean {
  return IP_ADDRESS.test(text);
}

/**
 * Values configuration.cpp (0.44.0) and Falco's start-up refuse, each read from the merged configuration.
 */
function checkStartValues(view: View, ctx: LoadCheckContext): void {
  const logLevel = view.one('log_level');
  const level = textOf(logLevel?.pair.value);
  if (logLevel && level && !LOG_LEVELS.includes(level.text)) {
    const { suggestions, note } = level.empty ? { suggestions: [], note: '' } : loggerNearMiss(level.text, LOG_LEVEL_RANKS, LIBS_SEVERITY_RANKS, 'libs_logger.severity');
    view.refuse(logLevel, valueSpan(logLevel.pair), `unknown log level '${level.text}'${emptyNote(level)} (${LOG_LEVELS.join(', ')}, in lower case).${note}${didYouMean(suggestions)}`,
      { path: 'log_level', suggestions });
  }
  // libs_logger.enabled is true when absent from 0.41 on (configuration.cpp:223 at 0.41.0), false before.
  const libsLogger = view.map('libs_logger');
  const severityPair = scalarPair(libsLogger?.map, 'severity');
  const severity = textOf(severityPair?.value);
  const libsOn = flag(libsLogger?.map, 'enabled', compareVersions(ctx.target, '0.41') >= 0);
  if (libsLogger && severityPair && severity && libsOn === true && !LIBS_SEVERITIES.includes(severity.text)) {
    const { suggestions, note } = severity.empty ? { suggestions: [], note: '' } : loggerNearMiss(severity.text, LIBS_SEVERITY_RANKS, LOG_LEVEL_RANKS, 'log_level');
    view.refuse(libsLogger.part, valueSpan(severityPair), `unknown sinsp log severity '${severity.text}'${emptyNote(severity)} (${LIBS_SEVERITIES.join(', ')}).${note}${didYouMean(suggestions)}`,
      { path: 'libs_logger.severity', suggestions });
  }

  for (const [key, needed, what] of [['file_output', 'filename', 'file'], ['program_output', 'program', 'program'], ['http_output', 'url', 'http']] as const) {
    const section = view.map(key);
    if (!section || flag(section.map, 'enabled', false) !== true || !missingText(section.map, needed)) continue;
    // Laid over the chart's configuration, an absent filename, program or URL may be the chart's.
    if (view.merged.overlay && valueOf(section.map, needed) === undefined) continue;
    const lost = view.merged.keys.get(key)?.dropped.some((d) => d.by === section.part && isMap(d.part.pair.value) && valueOf(d.part.pair.value, needed) !== undefined);
    view.refuse(section.part, keySpan(pairOf(section.map, 'enabled')!),
      `${what} output enabled but no ${needed} in ${key}.${lost ? ` (The ${needed} set in an earlier file is not kept: a later ${key} replaces the whole mapping.)` : ''}`,
      { path: `${key}.${needed}` });
  }

  const webserver = view.map('webserver');
  const listenPair = scalarPair(webserver?.map, 'listen_address');
  const listen = textOf(listenPair?.value);
  if (webserver && listenPair && listen && !isIpLiteral(listen.text)) {
    view.refuse(webserver.part, valueSpan(listenPair),
      listen.text === ''
        ? 'the webserver listen address is empty, which is not an IP address (even with the web server disabled).'
        : `webserver listen address '${listen.text}'${emptyNote(listen)} is not an IP address (a host name is refused, even with the web server disabled).`,
      { path: 'webserver.listen_address' });
  }

  const drops = view.map('syscall_event_drops');
  const actions = valueOf(drops?.map, 'actions');
  if (drops && isSeq(actions)) {
    let ignoreSeen = false;
    for (const item of actions.items) {
      const read = textOf(item as Node);
      if (!read) continue;
      const action = read.text;
      if (!DROP_ACTIONS.includes(action)) {
        const suggestions = nearMiss(action, DROP_ACTIONS);
        view.refuse(drops.part, nodeSpan(item as Node), `unknown syscall event drop action '${action}' (ignore, log, alert or exit).${didYouMean(suggestions)}`,
          { path: 'syscall_event_drops.actions', suggestions });
      } else if (ignoreSeen && (action === 'log' || action === 'alert')) {
        view.refuse(drops.part, nodeSpan(item as Node), `the drop action '${action}' makes no sense after 'ignore'.`, { path: 'syscall_event_drops.actions' });
      }
      if (action === 'ignore') ignoreSeen = true;
    }
  }
  const threshold = scalarPair(drops?.map, 'threshold');
  if (drops && threshold && ['integer', 'number'].includes(scalarKind(threshold.value!))) {
    const value = Number(valueText(threshold.value!));
    if (value < 0 || value > 1) view.refuse(drops.part, nodeSpan(threshold.value!), 'syscall event drops threshold must be between 0 and 1.', { path: 'syscall_event_drops.threshold' });
  }
  const timeouts = view.map('syscall_event_timeouts');
  const consecutive = scalarPair(timeouts?.map, 'max_consecutives');
  if (timeouts && consecutive && scalarKind(consecutive.value!) === 'integer' && Number(valueText(consecutive.value!)) === 0) {
    view.refuse(timeouts.part, nodeSpan(consecutive.value!), 'the maximum consecutive timeouts must be above 0.', { path: 'syscall_event_timeouts.max_consecutives' });
  }

  const capture = view.map('capture');
  const modePair = scalarPair(capture?.map, 'mode');
  const mode = textOf(modePair?.value);
  if (capture && modePair && mode && compareVersions(ctx.target, '0.42') >= 0 && !['rules', 'all_rules'].includes(mode.text)) {
    const suggestions = mode.empty ? [] : nearMiss(mode.text, ['rules', 'all_rules']);
    view.refuse(capture.part, valueSpan(modePair), `capture.mode '${mode.text}'${emptyNote(mode)} is not a valid mode (rules or all_rules).${didYouMean(suggestions)}`,
      { path: 'capture.mode', suggestions });
  }

  const engine = view.map('engine');
  const kindPair = scalarPair(engine?.map, 'kind');
  const replay = valueOf(engine?.map, 'replay');
  const captureAbsent = !isMap(replay) || valueOf(replay, 'capture_file') === undefined;
  if (engine && kindPair && textOf(kindPair.value)?.text === 'replay' && (replay === undefined || isMap(replay)) && missingText(isMap(replay) ? replay : undefined, 'capture_file') && !(view.merged.overlay && captureAbsent)) {
    view.refuse(engine.part, nodeSpan(kindPair.value!), 'engine.kind is \'replay\' but engine.replay.capture_file is not set.', { path: 'engine.replay.capture_file' });
  }

  // plugins and load_plugins (configuration.cpp:655-695 at 0.44.0): each may come from several files (lists are
  // appended); load_plugins, when defined, must name plugins entries, even when no plugins are defined at all.
  const pluginNames = new Set<string>();
  let namesKnown = true;
  for (const { node, part } of view.items('plugins')) {
    if (!isMap(node)) {
      view.refuse(part, nodeSpan(node), 'a plugins entry is a mapping with name and library_path (yaml-cpp: bad conversion).', { path: 'plugins[]' });
      continue;
    }
    const name = valueOf(node, 'name');
    if (isScalar(name) && usesEnvironment(name)) namesKnown = false;
    const read = textOf(name);
    if (read) pluginNames.add(read.text);
    const missing = ['name', 'library_path'].filter((k) => valueOf(node, k) === undefined);
    if (missing.length) view.refuse(part, nodeSpan(node), `a plugins entry needs ${missing.join(' and ')} (yaml-cpp: bad conversion).`, { path: 'plugins[]' });
    checkLibraryPath(view, ctx, part, node);
  }
  // A config.d file whose main file is unknown may load plugins the main file defines: not judged.
  if (namesKnown && view.merged.whole) {
    for (const { node, part } of view.items('load_plugins')) {
      const read = textOf(node);
      if (!read || pluginNames.has(read.text)) continue;
      const defined = pluginNames.size === 0 ? ' No plugins entry is defined at all.' : '';
      const suggestions = closestNames(read.text, pluginNames, 1);
      const fix = part.source === view.edited ? pluginEntryFix(view, ctx, read.text) : undefined;
      const removal = part.source === view.edited ? loadPluginRemoval(view, part, node, read.text) : undefined;
      // Where no entry can be written for certain (the library is not known to be there), what one needs.
      const advice = fix || suggestions.length > 0 ? '' : ` Add a plugins entry with name '${read.text}' and the library_path of its library (a relative path is read from ${FALCO_PLUGINS_DIR}), with the init_config or open_params the plugin needs, or take '${read.text}' out of load_plugins.`;
      view.refuse(part, nodeSpan(node), `cannot load plugin '${read.text}': no plugins entry has that name.${defined}${didYouMean(suggestions)}${advice}${view.unknownNote()}`,
        { path: 'load_plugins[]', suggestions, ...(fix ?? removal ? { fix: fix ?? removal } : {}), ...(fix && removal ? { more: [removal] } : {}) });
    }
  }

  if (namesKnown && view.merged.whole) checkPluginRepeats(view, ctx);

  if (compareVersions(ctx.target, '0.38') >= 0) {
    for (const { node, part } of view.items('rules')) {
      const op = isMap(node) ? ['enable', 'disable'].find((k) => valueOf(node, k) !== undefined) : undefined;
      const selection = isMap(node) && op ? valueOf(node, op) : undefined;
      const ok = isMap(selection) && (valueOf(selection, 'rule') !== undefined || valueOf(selection, 'tag') !== undefined);
      if (!ok) view.refuse(part, nodeSpan(node), 'a rules entry is `- enable:` or `- disable:` with `rule:` or `tag:` under it (yaml-cpp: bad conversion).', { path: 'rules[]' });
    }
  }

  // A section Falco reads keys under, given as a scalar: "Config error at key" when it reads the first one.
  for (const key of ['engine', 'falco_libs', 'webserver', 'metrics', 'outputs_queue', 'stdout_output', 'syslog_output', 'file_output', 'http_output', 'program_output', 'libs_logger', 'syscall_event_drops', 'syscall_event_timeouts', 'capture', 'base_syscalls']) {
    const part = view.one(key);
    const v = part?.pair.value;
    if (part && isScalar(v) && !usesEnvironment(v) && v.value !== null && scalarText(v) !== '') {
      view.refuse(part, nodeSpan(v), `${key} is a mapping; Falco reads keys under it and stops at this text ("Config error at key").`, { path: key });
    }
  }
}

/**
 * plugins entries and load_plugins names Falco reads twice (configuration.cpp:655-695 at 0.44.0, 0.37.0:490-530; the
 * lists of every file appended). With load_plugins defined Falco loads, for each name, the first plugins entry of
 * that name (the loop breaks there), so a later entry of a name load_plugins names is never used, without a word;
 * without it, every entry loads. Each plugin Falco loads is registered (app/actions/load_plugins.cpp: register_plugin
 * of its library_path), and libsinsp refuses a second plugin of the same name (plugin_manager.h add, libs
 * 0.14.2-0.25.2: "found another plugin with name …. Aborting.", re-thrown as "cannot register plugin … in
 * inspector"), which a library loaded twice always is: a name load_plugins gives twice, or two entries loaded with
 * one library file (the same path once resolved; a copy elsewhere is not known). Said at the later entry or name of
 * the edited file; a repeated load_plugins name can be taken out (listItemRemoval).
 */
function checkPluginRepeats(view: View, ctx: LoadCheckContext): void {
  const where = (part: Part, node: Node) => (part.source === view.edited
    ? `line ${view.edited.model.lines.positionAt(realSpan(view.edited.model, nodeSpan(node)).span[0]).line + 1}`
    : view.name(part));
  const entries = view.items('plugins').filter((e): e is { node: YAMLMap; part: Part } => isMap(e.node)).map((e) => {
    const name = textOf(valueOf(e.node, 'name'));
    const libraryNode = valueOf(e.node, 'library_path');
    const library = textOf(libraryNode);
    const loads = library && !library.empty && library.text !== ''
      ? (libraryPathReading(library.text, ctx.target)?.loads ?? posix.normalize(library.text)) : undefined;
    return { ...e, name: name?.text, libraryNode, loads };
  });
  const names = view.items('load_plugins');
  const loaded: typeof entries = [];
  if (view.parts('load_plugins').length === 0) {
    loaded.push(...entries);
  } else {
    // Later entries of a name load_plugins names: never used.
    const named = new Set(names.map((n) => textOf(n.node)?.text));
    const first = new Map<string, (typeof entries)[number]>();
    for (const entry of entries) {
      if (entry.name === undefined) continue;
      const earlier = first.get(entry.name);
      if (!earlier) { first.set(entry.name, entry); continue; }
      if (!named.has(entry.name)) continue;
      const nameNode = valueOf(entry.node, 'name') as Node;
      view.at(entry.part, nodeSpan(nameNode), ConfigCode.DuplicateKey,
        `Falco never uses this plugins entry: the entry named '${entry.name}' at ${where(earlier.part, valueOf(earlier.node, 'name') as Node)} comes first, and load_plugins loads the first entry of a name.`,
        { path: 'plugins[].name', name: entry.name });
    }
    const seen = new Set<string>();
    for (const { node, part } of names) {
      const read = textOf(node);
      if (!read) continue;
      const entry = first.get(read.text);
      if (seen.has(read.text)) {
        const removal = part.source === view.edited ? listItemRemoval(view.edited.model.text, part.pair, node) : undefined;
        const fix: ConfigFix | undefined = removal && !('why' in removal)
          ? { title: `${removal.commented ? 'Comment out' : 'Take out'} this second '${read.text}' of load_plugins`, edits: removal.edits } : undefined;
        if (entry) {
          view.refuse(part, nodeSpan(node),
            `load_plugins names '${read.text}' twice, so Falco loads its plugin twice and libsinsp refuses the second ("cannot register plugin ${entry.loads ?? '…'} in inspector: found another plugin with name …").`,
            { path: 'load_plugins[]', name: read.text, ...(fix ? { fix } : {}) });
        }
        continue;
      }
      seen.add(read.text);
      if (entry) loaded.push(entry);
    }
  }
  // Two loaded entries of one library file.
  const byLibrary = new Map<string, (typeof entries)[number]>();
  for (const entry of loaded) {
    if (entry.loads === undefined || !entry.libraryNode) continue;
    const earlier = byLibrary.get(entry.loads);
    if (!earlier) { byLibrary.set(entry.loads, entry); continue; }
    const same = earlier.name !== undefined && earlier.name === entry.name ? ` of the same name '${entry.name}'` : earlier.name !== undefined ? ` '${earlier.name}'` : '';
    // An entry an alias gives whole is said at the alias (realSpan), not in the anchored entry it copies.
    const virtual = (entry.node.range?.[0] ?? 0) > view.edited.model.text.length && entry.part.source === view.edited;
    view.refuse(entry.part, nodeSpan(virtual ? entry.node : entry.libraryNode),
      `this plugins entry loads '${entry.loads}', which the entry${same} at ${where(earlier.part, earlier.libraryNode as Node)} loads already, and libsinsp refuses a second plugin of the same name ("cannot register plugin ${entry.loads} in inspector: found another plugin with name …").`,
      { path: 'plugins[].library_path', library: entry.loads });
  }
}

/**
 * Taking a name out of this file's load_plugins (model.ts listItemRemoval), the other way to start Falco where no
 * plugins entry has the name: Falco then loads the other names' plugins, none where the list is left empty
 * (configuration.cpp:655-695 at 0.44.0: load_plugins defined, even empty, loads only what it names). The title says
 * what goes, and when no plugin is loaded then.
 */
function loadPluginRemoval(view: View, part: Part, item: Node, name: string): ConfigFix | undefined {
  const removal = listItemRemoval(view.edited.model.text, part.pair, item);
  if ('why' in removal) return undefined;
  const then = removal.empties ? ' (then no plugin is loaded)' : '';
  return { title: `${removal.commented ? 'Comment' : 'Take'} '${name}' out of load_plugins${then}`, edits: removal.edits };
}

/**
 * A plugins entry for a plugin load_plugins names, where the entry is certain to load: the container plugin from 0.41
 * (Falco's packages and images install libcontainer.so in the plugins folder, CMakeLists.txt:276-296 at 0.41.0, and
 * falco.yaml's own entry is `name: container`, `library_path: libcontainer.so`), or a plugin whose `lib<name>.so` is
 * in this machine's plugins folder. The entry is name and library_path only (init_config may be absent,
 * configuration.h convert<plugin_config>). Written into this file's `plugins` list (block or flow, or an empty value),
 * else as a new key at its end; not where another file of the merge sets `plugins` (a later one replaces it, or this
 * file's would replace an earlier one).
 */
function pluginEntryFix(view: View, ctx: LoadCheckContext, name: string): ConfigFix | undefined {
  const library = `lib${name}.so`;
  const known = (name === 'container' && compareVersions(ctx.target, '0.41') >= 0)
    || (/^[\w.-]+$/.test(name) && !view.merged.inPod && !view.merged.overlay && ctx.exists(`${FALCO_PLUGINS_DIR}${library}`));
  if (!known || !/^[A-Za-z_][\w.-]*$/.test(name)) return undefined;
  if (view.parts('plugins').some((p) => p.source !== view.edited)) return undefined;
  const model = view.edited.model;
  const text = model.text;
  const eol = lineEnding(text);
  const own = model.root?.items.filter((p) => isScalar(p.key) && p.key.value === 'plugins') ?? [];
  const title = `Add a plugins entry for '${name}' (library_path: ${library})`;
  if (own.length === 0) {
    const lead = text === '' || /[\r\n]$/.test(text) ? '' : eol;
    return { title, edits: [{ span: [text.length, text.length], newText: `${lead}plugins:${eol}  - name: ${name}${eol}    library_path: ${library}${eol}` }] };
  }
  if (own.length > 1) return undefined;
  const pair = own[0];
  const value = pair.value as Node | null;
  // A list an alias gives is the anchor's text (model.ts readAliases): not written into here.
  if (value?.range && value.range[0] > text.length) return undefined;
  const lineEndAt = (offset: number) => {
    let at = offset;
    while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at++;
    return at;
  };
  const columnOf = (offset: number) => offset - (Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1);
  if (isSeq(value) && value.flow && value.range) {
    const close = text.lastIndexOf(']', value.range[1] - 1);
    if (close < value.range[0]) return undefined;
    const entry = `{name: ${name}, library_path: ${library}}`;
    return { title, edits: [{ span: [close, close], newText: value.items.length > 0 ? `, ${entry}` : entry }] };
  }
  if (isSeq(value) && value.items.length > 0) {
    const first = value.items[0] as Node;
    const last = value.items[value.items.length - 1] as Node;
    if (!isMap(first) || !first.range || !last.range) return undefined;
    const dash = text.lastIndexOf('-', first.range[0] - 1);
    if (dash < 0 || text.slice(dash + 1, first.range[0]).trim() !== '') return undefined;
    let end = last.range[1];
    while (end > last.range[0] && /\s/.test(text[end - 1])) end--;
    const indent = ' '.repeat(columnOf(dash));
    const keys = ' '.repeat(columnOf(first.range[0]));
    return { title, edits: [{ span: [lineEndAt(end), lineEndAt(end)], newText: `${eol}${indent}${text.slice(dash, first.range[0])}name: ${name}${eol}${keys}library_path: ${library}` }] };
  }
  if (value === null || (isScalar(value) && value.value === null && scalarText(value) === '')) {
    const at = lineEndAt((pair.key as Scalar).range![1]);
    const indent = ' '.repeat(columnOf((pair.key as Scalar).range![0]) + 2);
    return { title, edits: [{ span: [at, at], newText: `${eol}${indent}- name: ${name}${eol}${indent}  library_path: ${library}` }] };
  }
  return undefined;
}

/** The plugins folder of Falco's packages and images (config_falco.h.in FALCO_ENGINE_PLUGINS_DIR, the install prefix
 *  /usr: CMakeLists.txt's default, 0.37.0-0.44.1). */
export const FALCO_PLUGINS_DIR = '/usr/share/falco/plugins/';

/**
 * Where Falco looks for a plugin's library: a relative library_path is read in Falco's plugins folder, not from its
 * working directory (configuration.h convert<plugin_config>). 0.37.0-0.43.x prepend the folder to the text
 * (`FALCO_ENGINE_PLUGINS_DIR + path`), so `./x.so` and `sub/x.so` are read in it, and `../x.so` beside it (the system
 * resolves the dots); 0.44.0 joins them and normalizes the result lexically (`lexically_normal`), then refuses a path
 * whose part relative to the folder has a `..` (`lexically_relative`: "plugin library_path '…' resolves outside the
 * plugins directory", configuration.h:405-432 at 0.44.0, thrown for every plugins entry, loaded or not). So what
 * counts is where the joined path ends, not how it is written: `../plugins/x.so` is inside, `sub/../../x.so` is not.
 * Undefined for an absolute path (loaded as written) and an empty one.
 */
export function libraryPathReading(text: string, target: string): { loads: string; outside: boolean; refused: boolean } | undefined {
  if (text === '' || text.startsWith('/')) return undefined;
  const loads = posix.normalize(`${FALCO_PLUGINS_DIR}${text}`);
  const folder = FALCO_PLUGINS_DIR.replace(/\/$/, '');
  const outside = loads !== folder && !loads.startsWith(`${folder}/`);
  return { loads, outside, refused: outside && compareVersions(target, '0.44') >= 0 };
}

/** A library_path Falco 0.44 refuses (libraryPathReading); the quick fix writes the absolute path the earlier releases
 *  loaded. */
function checkLibraryPath(view: View, ctx: LoadCheckContext, part: Part, entry: YAMLMap): void {
  const pair = scalarPair(entry, 'library_path');
  const read = textOf(pair?.value);
  if (!pair || !read || read.empty) return;
  const reading = libraryPathReading(read.text, ctx.target);
  if (!reading?.refused) return;
  const absolute = reading.loads;
  const fix: ConfigFix | undefined = /^[\w./+-]+$/.test(absolute) ? { title: `Write the absolute path '${absolute}'`, edits: [{ span: nodeSpan(pair.value!), newText: absolute }] } : undefined;
  view.refuse(part, nodeSpan(pair.value!),
    `plugin library_path '${read.text}' resolves outside the plugins directory (${FALCO_PLUGINS_DIR}): from 0.44 Falco reads a relative library_path in that folder only. Falco 0.43 and earlier loaded '${absolute}' (with its packages' prefix /usr); write that absolute path.`,
    { path: 'plugins[].library_path', ...(fix ? { fix } : {}) });
}

/**
 * An integer as yaml-cpp reads it into an int16_t (convert.h YAML_DEFINE_CONVERT_STREAMABLE at c2bec4c and 0.7.0: a
 * stringstream with the base left to the text, so `0x10` is 16 and `010` is 8, and nothing may follow), or undefined
 * when it does not convert (another text, or outside -32768..32767): then Falco uses the default, silently.
 */
export function int16Value(text: string): number | undefined {
  const value = streamInteger(text, -32768n, 32767n);
  return value === undefined ? undefined : Number(value);
}

/**
 * The syscall ring buffer preset of the engine Falco opens (configure_syscall_buffer_size.cpp, 0.37.0-0.44.1: MIN_INDEX
 * 1, MAX_INDEX 10; state.h driver_buf_size_preset reads the chosen kind's only: kmod, modern_ebpf and, before 0.44,
 * ebpf): outside 1..10 Falco stops ("The 'buf_size_preset' value must be between '1' and '10'"). Falco reads it with
 * get_scalar<int16_t> (configuration.cpp:253-264 at 0.44.0), so a text that is not such an integer is silently the
 * default 4. Falco 0.37 also reads the deprecated top-level `syscall_buf_size_preset` (configuration.cpp:126 at
 * 0.37.0) and uses it for kmod when the engine section leaves kmod's settings at their defaults (load_config.cpp:99,
 * configuration.cpp:136-142 at 0.37.0). Only the preset of the kind Falco opens is judged: the others are not read.
 */
function checkBufSizePreset(view: View, ctx: LoadCheckContext): void {
  const engine = view.map('engine');
  const kindRead = textOf(scalarPair(engine?.map, 'kind')?.value);
  if (engine && pairOf(engine.map, 'kind') && !kindRead) return; // ${VAR}
  const kind = kindRead?.text ?? 'kmod';
  const kinds = compareVersions(ctx.target, '0.44') >= 0 ? ['kmod', 'modern_ebpf'] : ['kmod', 'ebpf', 'modern_ebpf'];
  if (!kinds.includes(kind)) return;
  const section = valueOf(engine?.map, kind);
  let part: Part | undefined = engine?.part;
  let pair = isMap(section) ? scalarPair(section, 'buf_size_preset') : undefined;
  let name = `engine.${kind}.buf_size_preset`;
  if (compareVersions(ctx.target, '0.38') < 0 && kind === 'kmod') {
    // 0.37: the engine's kmod settings left at their defaults give way to the deprecated key.
    const preset = pair?.value ? int16Value(valueText(pair.value)) ?? 4 : 4;
    const dropFailed = flag(isMap(section) ? section : undefined, 'drop_failed_exit', false);
    const legacy = view.one('syscall_buf_size_preset');
    if (preset === 4 && dropFailed === false && legacy && isScalar(legacy.pair.value) && !usesEnvironment(legacy.pair.value)) {
      part = legacy;
      pair = legacy.pair as Pair<Scalar, Scalar>;
      name = 'syscall_buf_size_preset';
    }
  }
  if (!part || !pair || !pair.value || pair.value.value === null) return;
  const text = valueText(pair.value);
  const value = int16Value(text);
  if (value === undefined) {
    // The schema reports a text that is no integer at all; a number past int16 it cannot see.
    if (scalarKind(pair.value) === 'integer') {
      view.at(part, nodeSpan(pair.value), ConfigCode.OutOfRange,
        `${name} '${text}' does not fit the 16-bit integer Falco reads it into: Falco silently uses the default 4 instead.`, { path: name });
    }
    return;
  }
  if (value < 1 || value > 10) {
    view.refuse(part, nodeSpan(pair.value),
      `${name} is ${value}${String(value) !== text.replace(/^\+/, '') ? ` (Falco reads '${text}' as ${value})` : ''}; the ring buffer preset must be between 1 and 10 ("The 'buf_size_preset' value must be between '1' and '10'").`,
      { path: name });
  }
}

/** The outputs Falco counts (configuration.cpp load_yaml: m_outputs), in the order it reads them. */
const OUTPUTS = ['stdout_output', 'syslog_output', 'file_output', 'program_output', 'http_output'] as const;

/**
 * No output enabled at all: init_outputs.cpp:31 (0.44.0; the same check since 0.37.0) refuses to start ("No output
 * configured, please make sure at least one output is configured and enabled."). Every `<name>_output.enabled` is
 * false when absent (configuration.cpp:332-379 at 0.44.0); before 0.44 the gRPC output counts too when both
 * `grpc.enabled` (default false) and `grpc_output.enabled` (default true) are true (configuration.cpp:492 at 0.42.0).
 * Judged only on a whole configuration: a config.d file whose main file is unknown is not.
 */
function checkOutputs(view: View, ctx: LoadCheckContext): void {
  if (!view.merged.whole) return;
  const states = OUTPUTS.map((key) => ({ key, section: view.map(key), part: view.one(key) }));
  // An absent section, an empty one or a text is off (a text also stops Falco: checked with the sections above).
  const on = states.map((s) => {
    const value = s.part?.pair.value;
    if (isScalar(value) && usesEnvironment(value)) return undefined;
    return s.section ? flag(s.section.map, 'enabled', false) : false;
  });
  if (on.some((v) => v !== false)) return; // one is on, or one depends on the environment
  if (compareVersions(ctx.target, '0.44') < 0) {
    const grpc = flag(view.map('grpc')?.map, 'enabled', false);
    const grpcOutput = flag(view.map('grpc_output')?.map, 'enabled', true);
    if (grpc !== false && grpcOutput !== false) return;
  }
  const message = 'no output is enabled: stdout_output, syslog_output, file_output, program_output and http_output are all off or absent (an absent one is off) ("No output configured, please make sure at least one output is configured and enabled").';
  // On the first output this file turns off, with a fix that turns it on; else on the first key of a main file.
  for (const s of states) {
    if (!s.part) continue;
    const enabledPair = s.section ? pairOf(s.section.map, 'enabled') : undefined;
    const span = enabledPair ? valueSpan(enabledPair) : keySpan(s.part.pair);
    const fix: ConfigFix | undefined = enabledPair && isScalar(enabledPair.value) && enabledPair.value.range && enabledPair.value.range[1] > enabledPair.value.range[0]
      ? { title: `Enable ${s.key}`, edits: [{ span: nodeSpan(enabledPair.value), newText: 'true' }] } : undefined;
    if (view.refuse(s.part, span, `${message}${view.unknownNote()}`, { path: `${s.key}.enabled`, ...(fix ? { fix } : {}) })) return;
  }
  const root = view.edited.model.root;
  if (view.merged.main !== view.edited || !root) return;
  const first = root.items.find((p) => isScalar(p.key));
  if (!first) return;
  const text = view.edited.model.text;
  const eol = lineEnding(text);
  const insert = `${/[\r\n]$/.test(text) || text === '' ? '' : eol}stdout_output:${eol}  enabled: true${eol}`;
  ctx.report(ConfigCode.StartFails, keySpan(first), `Falco refuses to start: ${message}${view.unknownNote()}`,
    { path: 'stdout_output.enabled', fix: { title: 'Add stdout_output with enabled: true', edits: [{ span: [text.length, text.length], newText: insert }] } satisfies ConfigFix });
}

/** The first release reading http_output.max_consecutive_timeouts (configuration.cpp:459-462 at 0.41.0). */
export const HTTP_RETRIES_SINCE = '0.41';
/** The retry count Falco uses when the value does not convert (get_scalar<uint8_t>'s default, 0.41.0-0.44.1). */
const HTTP_RETRIES_DEFAULT = 5n;

/**
 * What Falco does with a value of http_output.max_consecutive_timeouts (0.41.0-0.44.1): configuration.cpp reads it
 * with get_scalar<uint8_t>(…, 5), so a value yaml-cpp does not convert to 0-255 gives 5 (model.ts streamInteger);
 * outputs_http.cpp output() posts the alert, counts the call in a uint8_t and posts again while curl says
 * CURLE_OPERATION_TIMEDOUT and the count is `<=` the value: N gives N retries (N + 1 posts) and 0 none, but a count of
 * 255 is always `<= 255` and the next call wraps it to 0, so 255 retries without end while the server times out.
 * Other failures are not retried. Undefined where the value is not an integer as written (the schema says so).
 */
export function httpRetriesReading(text: string): { value: bigint; converted: boolean; endless: boolean } | undefined {
  if (!/^[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)[ \t]*$/.test(text)) return undefined;
  const read = streamInteger(text, 0n, 255n);
  const value = read ?? HTTP_RETRIES_DEFAULT;
  return { value, converted: read !== undefined, endless: value === 255n };
}

/**
 * http_output.max_consecutive_timeouts at 255 (httpRetriesReading): Falco retries a timed-out post without end, and
 * its outputs run one after another on one thread (falco_outputs.cpp worker, 0.41.0-0.44.1), so every other output
 * waits behind it (the watchdog logs "all output channels are blocked" after output_timeout) and alerts pile up in
 * the outputs queue. Said whether the output is on or not (the value is read only when it is). A value out of range
 * is schemaCheck.ts's (config-out-of-range: Falco uses 5).
 */
function checkHttpRetries(view: View, ctx: LoadCheckContext): void {
  if (compareVersions(ctx.target, HTTP_RETRIES_SINCE) < 0) return;
  const http = view.map('http_output');
  const pair = scalarPair(http?.map, 'max_consecutive_timeouts');
  if (!http || !pair?.value || usesEnvironment(pair.value)) return;
  const reading = httpRetriesReading(valueText(pair.value));
  if (!reading?.endless) return;
  const on = flag(http.map, 'enabled', false) === true;
  const written = valueText(pair.value);
  view.at(http.part, nodeSpan(pair.value), ConfigCode.Endless,
    `http_output.max_consecutive_timeouts '${written}' sets no limit: Falco counts the posts of an alert in one byte, which is always at most 255, so while the server times out it posts the same alert again without end${on ? '' : ' (once http_output is enabled)'}, and every other output waits behind it (Falco's outputs share one thread: "all output channels are blocked"). 254 is the most retries that end.`,
    { path: 'http_output.max_consecutive_timeouts', fix: { title: 'Write 254 (the most retries that end)', edits: [{ span: nodeSpan(pair.value), newText: '254' }] } satisfies ConfigFix });
}

/**
 * Falco's reading of a Prometheus duration (falco_utils.cpp parse_prometheus_interval, the same 0.37.0-0.44.1):
 * blanks removed, then the whole text must match `^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$`
 * (RE2 FullMatch), else the interval is 0; each number is read by std::stoull with base 0, so a leading 0 makes it
 * octal (`010s` is 8 s, `08s` is 0) and a number past 2^64-1 throws (Falco stops with "stoull"). The sum is a uint64.
 */
export function prometheusInterval(text: string): { ms: bigint; octal: boolean; overflow: boolean } {
  const compact = text.replace(/\s/g, '');
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(compact);
  if (!compact || !m) return { ms: 0n, octal: false, overflow: false };
  const units = [31536000000n, 604800000n, 86400000n, 3600000n, 60000n, 1000n, 1n];
  let ms = 0n;
  let octal = false;
  let overflow = false;
  for (let i = 0; i < units.length; i++) {
    const digits = m[i + 1];
    if (!digits) continue;
    let value: bigint;
    if (digits.length > 1 && digits.startsWith('0')) {
      const octalDigits = /^0[0-7]*/.exec(digits)![0];
      value = BigInt(`0o${octalDigits.slice(1) || '0'}`);
      if (value !== BigInt(digits)) octal = true;
    } else {
      value = BigInt(digits);
    }
    if (value > 0xFFFFFFFFFFFFFFFFn) overflow = true;
    ms = (ms + value * units[i]) & 0xFFFFFFFFFFFFFFFFn;
  }
  return { ms, octal, overflow };
}

/**
 * Metrics (process_events.cpp init_stats_writer, 0.44.0:464-490; the same checks since 0.37.0), only when
 * `metrics.enabled` is true: an interval under 100 ms — which is what a text that is not a Prometheus duration reads
 * as, digits without a unit included, and the absent key's '5000' — refuses to start; so does no metrics output:
 * `metrics.output_rule` true or a non-empty `metrics.output_file` (stats_writer.cpp:187-195), or, from 0.39,
 * `webserver.prometheus_metrics_enabled` true.
 */
function checkMetrics(view: View, ctx: LoadCheckContext): void {
  const metrics = view.map('metrics');
  if (!metrics || flag(metrics.map, 'enabled', false) !== true) return;
  const enabledPair = pairOf(metrics.map, 'enabled')!;
  const intervalPair = pairOf(metrics.map, 'interval');
  const rangeMessage = 'Falco refuses intervals under 100 ms ("Metrics interval must have a minimum value of 100ms and reflect a Prometheus compliant time duration format").';
  if (!intervalPair) {
    // Laid over the chart's configuration, the interval may be the chart's.
    if (!view.merged.overlay) view.refuse(metrics.part, valueSpan(enabledPair),
      `metrics are enabled without metrics.interval: Falco then reads '5000', a number without a time unit, as an interval of 0. ${rangeMessage} Set metrics.interval, e.g. 1h (falco.yaml's value).`,
      { path: 'metrics.interval' });
  } else {
    const value = intervalPair.value as Node | null;
    const read = isScalar(value) ? textOf(value) : { text: '5000', empty: false };
    if (read) {
      const parsed = prometheusInterval(read.text);
      const span = valueSpan(intervalPair);
      if (parsed.overflow) {
        view.refuse(metrics.part, span, `metrics.interval '${read.text}' holds a number too large for Falco to read (std::stoull: out of range).`, { path: 'metrics.interval' });
      } else if (parsed.ms < 100n) {
        const digitsOnly = /^\d+$/.test(read.text);
        let why: string;
        let fix: ConfigFix | undefined;
        if (!isScalar(value)) why = 'metrics.interval is not a text: Falco reads \'5000\' instead, a number without a time unit, as an interval of 0.';
        else if (read.empty) why = 'metrics.interval is empty, which reads as the text \'null\': not a duration, so an interval of 0.';
        else if (digitsOnly) {
          why = `metrics.interval '${read.text}' has no time unit: Falco reads no duration from it (an interval of 0).`;
          if (prometheusInterval(`${read.text}ms`).ms >= 100n) fix = { title: `Write ${read.text}ms`, edits: [{ span: nodeSpan(value!), newText: `${read.text}ms` }] };
        } else if (/^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.test(read.text.replace(/\s/g, ''))) {
          why = `metrics.interval '${read.text}' is ${parsed.ms} ms${parsed.octal ? ' (a number starting with 0 is read as octal)' : ''}.`;
        } else {
          why = `metrics.interval '${read.text}' is not a Prometheus duration (numbers with the units y, w, d, h, m, s, ms in that order, such as 1h, 30s or 1m30s), so Falco reads an interval of 0.`;
        }
        view.refuse(metrics.part, span, `${why} ${rangeMessage}`, { path: 'metrics.interval', ...(fix ? { fix } : {}) });
      }
    }
  }
  // The Prometheus endpoint is another key: a config.d file whose main file is unknown is not judged on it.
  if (!view.merged.whole) return;
  const rule = flag(metrics.map, 'output_rule', false);
  // metrics.output_file as a text: absent, "" or a collection (the default "") write no file; an empty value reads
  // 'null', a file of that name.
  const fileValue = valueOf(metrics.map, 'output_file');
  let file: boolean | undefined = false;
  if (isScalar(fileValue)) file = usesEnvironment(fileValue) ? undefined : fileValue.value === null || valueText(fileValue) !== '';
  const prometheusCounts = compareVersions(ctx.target, '0.39') >= 0;
  const prometheus = prometheusCounts ? flag(view.map('webserver')?.map, 'prometheus_metrics_enabled', false) : false;
  if (rule !== false || file !== false || prometheus !== false) return;
  const channels = prometheusCounts ? '\'metrics.output_rule\', \'metrics.output_file\' or \'webserver.prometheus_metrics_enabled\'' : '\'metrics.output_rule\' or \'metrics.output_file\'';
  const rulePair = pairOf(metrics.map, 'output_rule');
  const fix: ConfigFix | undefined = rulePair && isScalar(rulePair.value) && rulePair.value.range && rulePair.value.range[1] > rulePair.value.range[0] && !usesEnvironment(rulePair.value)
    ? { title: 'Turn on metrics.output_rule', edits: [{ span: nodeSpan(rulePair.value), newText: 'true' }] } : undefined;
  view.refuse(metrics.part, valueSpan(enabledPair),
    `metrics are enabled with no metrics output ("Metrics are enabled with no output configured"): turn on ${channels}.`,
    { path: 'metrics.enabled', ...(fix ? { fix } : {}) });
}

/** `rules:` (Falco ≥ 0.38): enable or disable loaded rules by name (with `*`) or by tag, in order. */
function checkRuleSelection(view: View, ctx: LoadCheckContext): void {
  if (ctx.rules.length === 0) return;
  const tags = new Set<string>();
  for (const rule of ctx.rules) for (const tag of rule.tags) tags.add(tag);
  for (const { node: item, part } of view.items('rules')) {
    if (!isMap(item) || part.source !== view.edited) continue;
    for (const op of ['enable', 'disable']) {
      const selection = valueOf(item, op);
      if (!isMap(selection)) continue;
      const rule = textOf(valueOf(selection, 'rule'));
      const ruleNode = valueOf(selection, 'rule') as Node;
      if (rule && !rule.empty) {
        const pattern = rule.text;
        if (!ctx.rules.some((r) => matchesWildcard(pattern, r.name))) {
          const suggestions = pattern.includes('*') ? [] : closestNames(pattern, ctx.rules.map((r) => r.name), 3);
          ctx.report(ConfigCode.SelectsNothing, nodeSpan(ruleNode),
            `No loaded rule is named '${pattern}'${pattern.includes('*') ? ' (as Falco matches \'*\')' : ''}: this ${op} selects nothing.`
            + didYouMean(suggestions),
            { path: `rules[].${op}.rule`, suggestions });
        }
      }
      const tag = textOf(valueOf(selection, 'tag'));
      const tagNode = valueOf(selection, 'tag') as Node;
      if (tag && !tag.empty) {
        const name = tag.text;
        if (!tags.has(name)) {
          const suggestions = closestNames(name, tags, 3);
          ctx.report(ConfigCode.SelectsNothing, nodeSpan(tagNode),
            `No loaded rule has the tag '${name}': this ${op} selects nothing (Falco matches tags exactly).`
            + didYouMean(suggestions),
            { path: `rules[].${op}.tag`, suggestions });
        }
      }
    }
  }
}
