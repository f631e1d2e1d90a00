// Whether Falco loads the local rules file after the file that defines an alert's rule. Tuning quick fixes write
// overrides (`override: {exceptions: append}`, `enabled: replace`) into the local file, and Falco refuses to start on
// an override of a rule that no earlier file defines (ERROR_NO_PREVIOUS_RULE_APPEND / _REPLACE,
// rule_loader_collector.cpp:230,300 at 0.44.0). On a Falco host the local file is a configured one
// (`/etc/falco/falco_rules.local.yaml`, second of the default rules_files) and loads before `rules.d` and before any
// rules file listed after it. A file loading after the local file that defines the rule again replaces it whole, the
// local file's exceptions included (RuleSummary.redefinitions): the alerts service blocks the edit then too.
// A chart's customRules block is placed by its values' rules_files (localAgainstBlock, at the end); a chart's Falco
// reads the workspace's local file only where its values mount it (regions.ts ChartValues).
import * as path from 'node:path';
import type { ServiceHost } from '../host';
import { configRulesFiles, expandRulesPaths } from '../config/rulesFiles';
import { compareLoadOrder, configuredRulesPaths } from '../rules/workspace';

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
 * The path of the chart's rules_files that Falco reads after a customRules entry and that has the name of the file
 * defining the rule (where the pod's copy of it would be), else undefined: an override in the entry would then stop
 * that Falco (ERROR_NO_PREVIOUS_RULE_APPEND, rule_loader_collector.cpp:230 at 0.44.0). Undefined too when the order
 * is unknown (`${VAR}`) or no path has that name.
 */
export function ruleFileAfterEntry(chartLoad: { paths: readonly string[]; at: number } | null | undefined, ruleFile: string): string | undefined {
  if (!chartLoad) return undefined;
  const name = path.basename(ruleFile);
  const at = chartLoad.paths.findIndex((p) => path.posix.basename(p) === name);
  return at > chartLoad.at ? chartLoad.paths[at] : undefined;
}

/** Whether the local rules file is one that a Falco Falco Lens knows of reads: it exists, or the configured rules
 *  files (falcoLens.rules.files, or falco.yaml's rules_files) name it or a folder holding it. */
export function localFileRead(host: ServiceHost, local: string, open?: string): boolean {
  if (open !== undefined || host.readFile(local) !== undefined) return true;
  return configuredFiles(host, local).some((f) => normal(f) === normal(local));
}
