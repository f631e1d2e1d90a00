// Whether Falco loads the local rules file after the file that defines an alert's rule. Tuning quick fixes write
// overrides (`override: {exceptions: append}`, `enabled: replace`) into the local file, and Falco refuses to start on
// an override of a rule that no earlier file defines (ERROR_NO_PREVIOUS_RULE_APPEND / _REPLACE,
// rule_loader_collector.cpp:230,300 at 0.44.0). On a Falco host the local file is a configured one
// (`/etc/falco/falco_rules.local.yaml`, second of the default rules_files) and loads before `rules.d` and before any
// rules file listed after it. A file loading after the local file that defines the rule again replaces it whole, the
// local file's exceptions included (RuleSummary.redefinitions): the alerts service blocks the edit then too.
// A chart's customRules block is placed by its values' rules_files (localAgainstBlock, at the end); a chart's Falco
// reads the workspace's local file only where its values mount it (regions.ts ChartValues). The same refusal decides
// where a Falco deployment's own files take tuning: after a file that defines the rule (chartRuleSources for a chart's
// Falco, operatorRuleSources for a Falco Operator's), and nowhere in a Falco that has the rule in none of them.
import * as path from 'node:path';
import type { ServiceHost } from '../host';
import { configRulesFiles, expandRulesPaths } from '../config/rulesFiles';
import { compareLoadOrder, configuredRulesPaths } from '../rules/workspace';
import { officialArtifactFile, officialFileDefines, officialFilesDefining, officialMaturity } from '../../knowledge';
import { CHART_RULES_DIR } from '../embedded/regions';
import { nodesOutside, readableSelector } from '../embedded/selectors';
import { definesRule } from './tuning';

/** Where a path sits in the load order of the rules workspace (rules/workspace.ts files()): a configured file by its
 *  index, a file of a workspace folder after every configured one, anything else unknown. */
type Place = { group: 0; index: number } | { group: 1; path: string } | undefined;

function normal(p: string): string { return path.resolve(p); }

function placeOf(host: ServiceHost, configured: readonly string[], file: string): Place {
  const at = configured.findIndex((c) => normal(c) === normal(file));
  if (at >= 0) return { group: 0, index: at };
  if (host.workspaceFolders().some((f) => !path.relative(f, file).startsWith('..') && !path.isAbsolute(path.relative(f, file)))) return { group: 1, path: file };
  return undefined;
}

/**
 * The configured rules files as the target release expands them, with the local file in its place when it does not
 * exist yet but a configured folder holds it (Falco will read it there once the quick fix creates it).
 */
function configuredFiles(host: ServiceHost, local: string): string[] {
  const dir = path.dirname(local);
  const base = path.basename(local);
  const withLocal: ServiceHost = {
    readFile: (p) => host.readFile(p),
    readDirectory: (p) => {
      const names = host.readDirectory(p);
      return names && normal(p) === normal(dir) && !names.includes(base) ? [...names, base] : names;
    },
    isDirectory: (p) => normal(p) !== normal(local) && host.isDirectory(p),
    workspaceFolders: () => host.workspaceFolders(),
    settings: () => host.settings(),
    log: (m) => host.log(m),
  };
  return expandRulesPaths(withLocal, configuredPaths(host));
}

/**
 * The configured rules paths (configuredRulesPaths), with Falco's configuration read once per text: code actions are
 * asked on every cursor move in a log, and parsing falco.yaml (and merging its config_files) costs milliseconds.
 */
const configCache = new WeakMap<ServiceHost, { settings: object; texts: (string | undefined)[]; files: string[]; paths: readonly string[] }>();

function configuredPaths(host: ServiceHost): readonly string[] {
  const settings = host.settings();
  if (settings.rules.files) return settings.rules.files;
  const known = configCache.get(host);
  if (known && known.settings === settings && known.files.every((f, i) => host.readFile(f) === known.texts[i])) return known.paths;
  const paths = configuredRulesPaths(host);
  const read = configRulesFiles(host, settings.falcoConfigFile);
  const files = [settings.falcoConfigFile, ...(read?.configFiles ?? []).filter((f) => f !== settings.falcoConfigFile)];
  configCache.set(host, { settings, files, texts: files.map((f) => host.readFile(f)), paths });
  return paths;
}

/**
 * The file defining a rule when Falco Lens's load order puts it after the local rules file (so an override written
 * into the local file would stop Falco), else undefined. Undefined too when either place is unknown (a file neither
 * configured nor in a workspace folder).
 */
export function definedAfterLocal(host: ServiceHost, local: string, ruleFile: string): string | undefined {
  if (normal(local) === normal(ruleFile)) return undefined;
  const configured = configuredFiles(host, local);
  const a = placeOf(host, configured, local);
  const b = placeOf(host, configured, ruleFile);
  if (!a || !b) return undefined;
  if (a.group !== b.group) return a.group < b.group ? ruleFile : undefined;
  if (a.group === 0 && b.group === 0) return a.index < b.index ? ruleFile : undefined;
  return compareLoadOrder((a as { path: string }).path, (b as { path: string }).path) < 0 ? ruleFile : undefined;
}

/**
 * Where the chart's Falco reads the local rules file against a customRules entry (`chartLoad`, embedded/regions.ts):
 * the rendered falco.yaml's rules_files in order, the chart's default listing /etc/falco/falco_rules.local.yaml before
 * /etc/falco/rules.d (charts/falco/values.yaml:789-792). The local file is the path of the list of its name (Falco Lens
 * knows the pod's files by name only), and it is the workspace's only where the values mount a file there
 * (`mounts`): the pod's /etc/falco is falcoctl's emptyDir or the image's (regions.ts ChartValues).
 * 'after': the local file is read after the entry, so its overrides apply to the entry's definition; 'before': the
 * entry's definition replaces them; 'unread': the list names no file of that name; 'not-mounted': the chart's Falco
 * reads no file of the workspace there; 'unknown': a path through `${VAR}`. Another block (a ConfigMap's entry) is
 * taken to be read from rules.d, last, after a local file that is the workspace's.
 */
export function localAgainstBlock(chartLoad: { paths: readonly string[]; at: number; mounts?: readonly string[] } | null | undefined, local: string): 'after' | 'before' | 'unread' | 'not-mounted' | 'unknown' {
  if (chartLoad === null) return 'unknown';
  if (chartLoad === undefined) return 'before';
  const name = path.basename(local);
  const at = chartLoad.paths.findIndex((p) => path.posix.basename(p) === name);
  if (at < 0) return 'unread';
  const read = chartLoad.paths[at];
  if (!(chartLoad.mounts ?? []).some((m) => read === m || read.startsWith(`${m}/`))) return 'not-mounted';
  return at > chartLoad.at ? 'after' : 'before';
}

/**
 * Where the chart's Falco finds the rule, from the paths its rules_files reads (`chartLoad`, embedded/regions.ts
 * ChartValues has the facts), when no customRules entry has an item of it: `sources`, the paths that define it; `maybe`,
 * whether a path Falco Lens does not know the content of could. By path, where the values mount nothing over it:
 * - a falcosecurity/rules file in /etc/falco (falco_rules.yaml by default) is Falco's official file of that name
 *   (falcoctl installs it from its artifact, falco-rules by default; without falcoctl the image's falco_rules.yaml):
 *   a source where that file defines the rule (officialFileDefines, which reads the rule's maturity tag too);
 * - /etc/falco/falco_rules.local.yaml holds nothing of the workspace (it does not exist, or is the image's comment);
 * - /etc/falco/rules.d is the values' customRules (the caller's entries);
 * - any other path, and a path the values mount, holds files Falco Lens does not have: a source by name (a path of the
 *   name of the workspace file defining the rule, `ruleFile`, is taken for the pod's copy of it), else a maybe.
 * A chart's Falco with no source and no maybe does not have the rule; `chartLoad` null (a path through `${VAR}`) is a
 * maybe.
 */
export function chartRuleSources(chartLoad: { paths: readonly string[]; mounts?: readonly string[] } | null | undefined, rule: string, tags: readonly string[], ruleFile: string | undefined): ChartRuleSources {
  const out: ChartRuleSources = { sources: [], maybe: !chartLoad, reads: [] };
  if (!chartLoad) return out;
  const mounts = chartLoad.mounts ?? [];
  const named = ruleFile === undefined ? undefined : path.basename(ruleFile);
  for (const p of chartLoad.paths) {
    const mounted = mounts.some((m) => p === m || p.startsWith(`${m}/`) || m.startsWith(`${p}/`));
    const name = path.posix.basename(p);
    const inEtc = path.posix.dirname(p) === '/etc/falco';
    const what = mounted ? undefined : p === CHART_RULES_DIR ? 'customRules' : inEtc && officialMaturity(name) !== undefined ? 'official' : inEtc && name === 'falco_rules.local.yaml' ? 'local' : undefined;
    if (what !== undefined) out.reads.push({ path: p, what });
    if (what === 'official' && officialFileDefines(name, rule, tags)) out.sources.push({ path: p, official: true });
    else if (what === undefined && named !== undefined && name === named) out.sources.push({ path: p, official: false });
    else if (what === undefined) out.maybe = true;
  }
  return out;
}

/** chartRuleSources' answer; `reads`, the paths whose content Falco Lens knows, with what they hold. */
export interface ChartRuleSources {
  sources: { path: string; official: boolean }[];
  maybe: boolean;
  reads: { path: string; what: 'official' | 'local' | 'customRules' }[];
}

/**
 * The files of a Falco Operator's namespace (by the names the operator gives them in /etc/falco/rules.d, its load
 * order) that define the rule, or may: its entries that define it, and of the files whose rules Falco Lens does not
 * have, an OCI artifact of falcosecurity/rules whose official file defines it (officialArtifactFile,
 * officialFileDefines), and any other OCI artifact or ConfigMap not found (`maybe`, they count too). Each with its
 * Rulesfile's spec.selector (none: every node). `defines`: whether an entry's text defines the rule (for a caller
 * asking of many rules, from one reading of each text). `kind`: a macro or a list of that name instead (an official
 * file defines it where the generated table says so: every official file defining it, officialFilesDefining).
 */
export function operatorRuleSources(entries: readonly { key: string; text: string; selector?: string }[], unknown: readonly { fileName: string; repository?: string; selector?: string }[], rule: string, tags: readonly string[], defines: (text: string, rule: string) => boolean = definesRule, kind: 'rule' | 'macro' | 'list' = 'rule'): OperatorRuleSource[] {
  const source = (fileName: string, maybe: boolean, selector: string | undefined): OperatorRuleSource => ({ fileName, maybe, ...(selector !== undefined ? { selector } : {}) });
  const out = entries.filter((e) => defines(e.text, rule)).map((e) => source(e.key, false, e.selector));
  for (const u of unknown) {
    const official = u.repository === undefined ? undefined : officialArtifactFile(u.repository);
    if (official === undefined) out.push(source(u.fileName, true, u.selector));
    else if (kind === 'rule' ? officialFileDefines(official, rule, tags) : officialFilesDefining(kind, rule).includes(official)) out.push(source(u.fileName, false, u.selector));
  }
  return out.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}

/** operatorRuleSources' answer. */
export interface OperatorRuleSource { fileName: string; maybe: boolean; selector?: string }

/**
 * The spec.selector a Rulesfile tuning the rule must have (none: every node), from the files of the operator's namespace
 * that define it (operatorRuleSources; those that may only where none surely does). Each node's artifact operator writes
 * a Rulesfile only where its selector matches the node's labels (embedded/selectors.ts), and Falco refuses an override
 * of a rule that no earlier file defines: the tuning must apply on the nodes where a definition does, all of them (else
 * the alerts of the others go on). Those are every node where one of them has no selector (a nil selector matches every
 * node: the rule is everywhere, whatever the others' selectors), else the nodes of the one selector whose nodes hold
 * every other's, compared by meaning (`pool=gpu` in matchLabels and `pool In [gpu]` are one selector), as written in the
 * first such definition. `defining`, the files read; `unclear` where they are none, where no one selector holds the
 * others' nodes, or where one is a selector the operator cannot read (not a mapping, an unknown operator…): Falco Lens
 * cannot tell one set of nodes where the rule is.
 */
export function definitionSelector(sources: readonly OperatorRuleSource[]): { defining: OperatorRuleSource[]; unclear: boolean; selector?: string } {
  const sure = sources.filter((s) => !s.maybe);
  const defining = sure.length > 0 ? sure : [...sources];
  if (defining.some((s) => s.selector === undefined)) return { defining, unclear: false };
  const selectors = defining.map((s) => s.selector);
  const widest = defining.length > 0 && selectors.every(readableSelector)
    ? selectors.find((outer) => selectors.every((inner) => nodesOutside(inner, [outer]) === undefined))
    : undefined;
  return widest !== undefined ? { defining, unclear: false, selector: widest } : { defining, unclear: true };
}

/** Whether the local rules file is one that a Falco Falco Lens knows of reads: it exists, or the configured rules
 *  files (falcoLens.rules.files, or falco.yaml's rules_files) name it or a folder holding it. */
export function localFileRead(host: ServiceHost, local: string, open?: string): boolean {
  if (open !== undefined || host.readFile(local) !== undefined) return true;
  return configuredFiles(host, local).some((f) => normal(f) === normal(local));
}
