// What the language service may ask of its environment. The server implements it with the file system
// (read-only) and the client's settings; tests implement it with in-memory maps. The service never writes files:
// edits go back to the editor as WorkspaceEdits.

import { LATEST_FALCO, parseFalcoTarget } from '../knowledge';

export type AlertsProblemsLevel = 'off' | 'emergency' | 'alert' | 'critical' | 'error' | 'warning' | 'notice' | 'informational' | 'debug';

export interface FalcoLensSettings {
  /** The Falco release the rules are checked for (`0.41`): what it lacks is reported as its loader would. */
  falcoVersion: string;
  /** Falco's configuration file: its `rules_files` are loaded when `rules.files` is not set. */
  falcoConfigFile: string;
  rules: {
    /**
     * Rules files and folders loaded before the workspace files, in Falco's load order; undefined (the setting left
     * unset) means those of `falcoConfigFile`, or Falco's defaults when it cannot be read.
     */
    files?: string[];
    /** The rules file tuning quick fixes write to; relative paths are relative to the first workspace folder. */
    localFile: string;
  };
  alerts: {
    problems: AlertsProblemsLevel;
    maxProblems: number;
  };
  /** Whether rules files written inside other YAML files (Helm chart customRules, ConfigMaps) are checked. */
  embeddedRules: boolean;
}

export const DEFAULT_SETTINGS: FalcoLensSettings = {
  falcoVersion: LATEST_FALCO,
  falcoConfigFile: '/etc/falco/falco.yaml',
  rules: {
    files: undefined,
    localFile: 'falco_rules.local.yaml',
  },
  alerts: { problems: 'critical', maxProblems: 500 },
  embeddedRules: true,
};

/** Merges a partial, untrusted settings object over the defaults, ignoring values of the wrong type. */
export function normalizeSettings(raw: unknown): FalcoLensSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const rules = (s.rules && typeof s.rules === 'object' ? s.rules : {}) as Record<string, unknown>;
  const alerts = (s.alerts && typeof s.alerts === 'object' ? s.alerts : {}) as Record<string, unknown>;
  const levels: AlertsProblemsLevel[] = ['off', 'emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];
  return {
    falcoVersion: (typeof s.falcoVersion === 'string' ? parseFalcoTarget(s.falcoVersion) : undefined) ?? DEFAULT_SETTINGS.falcoVersion,
    falcoConfigFile: typeof s.falcoConfigFile === 'string' && s.falcoConfigFile.trim() !== '' ? s.falcoConfigFile : DEFAULT_SETTINGS.falcoConfigFile,
    rules: {
      files: Array.isArray(rules.files) && rules.files.every((f) => typeof f === 'string') ? (rules.files as string[]) : DEFAULT_SETTINGS.rules.files,
      localFile: typeof rules.localFile === 'string' && rules.localFile.trim() !== '' ? rules.localFile : DEFAULT_SETTINGS.rules.localFile,
    },
    alerts: {
      problems: typeof alerts.problems === 'string' && levels.includes(alerts.problems.toLowerCase() as AlertsProblemsLevel)
        ? (alerts.problems.toLowerCase() as AlertsProblemsLevel) : DEFAULT_SETTINGS.alerts.problems,
      maxProblems: typeof alerts.maxProblems === 'number' && alerts.maxProblems >= 0 ? Math.floor(alerts.maxProblems) : DEFAULT_SETTINGS.alerts.maxProblems,
    },
    embeddedRules: typeof s.embeddedRules === 'boolean' ? s.embeddedRules : DEFAULT_SETTINGS.embeddedRules,
  };
}

export interface ServiceHost {
  /** Reads a file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** Lists the entries of a directory (names only), or undefined when it is not a directory. */
  readDirectory(path: string): string[] | undefined;
  /** Whether the path is a directory. */
  isDirectory(path: string): boolean;
  /**
   * The path with every link resolved (a folder's identity), or undefined when it cannot be resolved. Folder walks
   * use it to walk each folder once: a link back to a parent would list the same files again under longer paths. A
   * host without it (no links in memory) is walked by the paths as named.
   */
  realPath?(path: string): string | undefined;
  /** The size in bytes of a regular file, or undefined when unknown (a host without it: the file is read to know). */
  fileSize?(path: string): number | undefined;
  /** Whether this process may read the regular file at the path (not one without read permission, nor a FIFO). */
  canRead?(path: string): boolean;
  /**
   * The document open in the editor at `uri` (any language), or undefined when it is not open: edits of other files
   * than a request's name its version (service/edits.ts). A host without it (the CLI, tests) has none open.
   */
  openDocument?(uri: string): { readonly version: number; getText(): string } | undefined;
  /**
   * The URIs of the documents open in the editor (any language), for finding the one open under another path of a
   * file (a file link: service/edits.ts editedUri). A host without it has none open.
   */
  openUris?(): readonly string[];
  /**
   * Whether the editor holds the file at `uri` with unsaved changes in a language the server is not sent (plain text,
   * another mode; the client says so, protocol.ts UNSAVED_ELSEWHERE_NOTIFICATION): its text is unknown here, so no edit
   * of it can be computed (service/edits.ts). A host without it knows of none.
   */
  unsavedElsewhere?(uri: string): boolean;
  /** Workspace folder paths (file system paths, not URIs). */
  workspaceFolders(): string[];
  settings(): FalcoLensSettings;
  /** Diagnostic log line (goes to the client's output channel, never to stdout). */
  log(message: string): void;
}
