// Is a YAML file that a broad file-name pattern gave to Falco Lens really a Falco rules file?
//
// `*_rules.yaml` and `rules.d/*.yaml` are Falco's conventions, but other tools use the same names: Prometheus
// alerting and recording rules (`alert_rules.yaml`: a mapping with `groups:`), Falco Talon response rules
// (`- name: … match: … action: …`), and more. Checking those as Falco rules would bury them in errors. The client
// asks this module (isOtherToolsRulesFile) at each open of such a file, and opens it as plain YAML, starting no
// language server for it, when its content is plainly something else. Pure text scanning (no YAML parse): it runs on every open of a matching file.

/** Keys that start an item of a Falco rules file. */
const ITEM_KEYS = new Set(['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions']);
/**
 * Keys that only a Falco rules file puts in its items. One of them anywhere keeps a file with no item key yet (a new
 * file being typed, a misspelt `- rul:`) a Falco file, so that its diagnostics explain what is wrong.
 */
const FALCO_ONLY_KEYS = new Set(['condition', 'output', 'desc', 'exceptions', 'override', 'skip-if-unknown-filter', 'warn_evttypes']);

export type RulesFileShape =
  /** It has rules, macros, lists or engine requirements (or a mapping of their keys, a Falco file written wrong). */
  | 'falco'
  /** Its entries are something else, and nothing in it is Falco's. */
  | 'foreign'
  /** Empty, only comments, or not decidable: keep it as a Falco rules file. */
  | 'unknown';

// An entry key: optional quotes around a YAML-ish key, then a colon followed by a space or the line's end.
const SEQUENCE_KEY = /^-[ \t]+(?:\{[ \t]*)?["']?([A-Za-z_][\w.-]*)["']?[ \t]*:(?:[ \t]|$)/;
const MAPPING_KEY = /^["']?([A-Za-z_][\w.-]*)["']?[ \t]*:(?:[ \t]|$)/;

export function rulesFileShape(text: string): RulesFileShape {
  let topIndent = -1;
  let topIsSequence = false;
  let foreignEntries = 0;
  let falcoOnlyKeys = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let first = lineStart;
    while (first < lineEnd && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first++;
    const at = first - lineStart;
    const line = text.slice(first, lineEnd).replace(/\r$/, '');
    lineStart = lineEnd + 1;
    if (line === '' || line.startsWith('#') || line.startsWith('%') || line.startsWith('---') || line.startsWith('...')) continue;
    if (topIndent < 0) {
      topIndent = at;
      topIsSequence = line.startsWith('- ') || line === '-' || line.startsWith('-\t');
    }
    const sequenceKey = SEQUENCE_KEY.exec(line)?.[1];
    const mappingKey = sequenceKey === undefined ? MAPPING_KEY.exec(line)?.[1] : undefined;
    const key = sequenceKey ?? mappingKey;
    if (key === undefined) continue;
    if (at === topIndent) {
      if (ITEM_KEYS.has(key)) return 'falco';
      // A top-level mapping of rule keys is a Falco file missing its dashes: Falco Lens should say so.
      if (!topIsSequence && FALCO_ONLY_KEYS.has(key)) return 'falco';
      foreignEntries++;
    } else if (FALCO_ONLY_KEYS.has(key)) {
      falcoOnlyKeys++;
    }
  }
  if (foreignEntries === 0) return 'unknown';
  // A sequence whose items carry Falco's keys under a misspelt or missing item key is a Falco file in progress.
  return topIsSequence && falcoOnlyKeys > 0 ? 'unknown' : 'foreign';
}

/**
 * Whether `path` is a rules file only by a broad pattern (`*_rules.yaml`, `*_rules.yml`, `rules.d/*.yaml`): names
 * that start with `falco` (falco_rules.yaml, falco-incubating_rules.yaml, falco_rules.local.yaml) and `*.falco.yaml`
 * are Falco's own, and are never given away.
 */
export function isBroadRulesFileName(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/^falco/i.test(base) || /\.falco\.ya?ml$/.test(base)) return false;
  return /_rules\.ya?ml$/.test(base) || /\/rules\.d\/[^/]+\.ya?ml$/.test(p);
}

/**
 * Whether a file is named like a rules file only by a broad pattern and holds another tool's content: the one test by
 * which the editor opens it as plain YAML and starts no language server for it (client/src/languageClient.ts), and
 * `falco-lens check` skips it in folders. An empty or undecidable file stays a Falco rules file (a new file the user
 * is about to write rules into).
 */
export function isOtherToolsRulesFile(path: string, text: string): boolean {
  return isBroadRulesFileName(path) && rulesFileShape(text) === 'foreign';
}
