// What the Alert Explorer's tree shows, as plain strings (of VS Code only vscode.l10n, unit-tested against the stand-in). Rule names, host and
// container names and output text come from the log, which anyone who can make Falco alert writes: a bidirectional
// control (U+202E) or a zero-width character in a process name would make a label read as another one. Every value
// from the log goes through plainTitle (service/markdown.ts, the server's own helper: one line, invisible and
// reordering characters written as \uXXXX, control characters removed), and the tooltip's code block through
// revealInvisible; the tooltips are Markdown built with appendText/appendCodeblock and never trusted.
import { l10n } from 'vscode';
import { plainTitle, revealInvisible } from '../../../server/src/service/markdown';
import { MAX_SET_BYTES, emptyGroupLabel, undatedText, type ExplorerAlertItem, type ExplorerFilter, type ExplorerGroup, type ExplorerGroupBy, type ExplorerLogInfo } from '../../../server/src/protocol';

/** Falco's priority names, as its logs and rules write them (not translated, like the server's messages). */
export const PRIORITY_NAMES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
export const GROUP_BY: readonly ExplorerGroupBy[] = ['rule', 'priority', 'hostname', 'source', 'container', 'namespace', 'pod', 'image', 'tag'];

/** What a grouping is called (the Group Alerts By pick, a group's tooltip). Functions, not tables: l10n.t is asked when
 *  the text is shown. */
export function groupLabel(groupBy: ExplorerGroupBy): string {
  switch (groupBy) {
    case 'rule': return l10n.t('Rule');
    case 'priority': return l10n.t('Priority');
    case 'hostname': return l10n.t('Host');
    case 'source': return l10n.t('Source');
    case 'container': return l10n.t('Container');
    case 'namespace': return l10n.t('Namespace');
    case 'pod': return l10n.t('Pod');
    case 'image': return l10n.t('Image');
    case 'tag': return l10n.t('Tag');
  }
}

/** The view's message of a grouping. */
function byGroupText(groupBy: ExplorerGroupBy): string {
  switch (groupBy) {
    case 'rule': return l10n.t('by rule');
    case 'priority': return l10n.t('by priority');
    case 'hostname': return l10n.t('by host');
    case 'source': return l10n.t('by source');
    case 'container': return l10n.t('by container');
    case 'namespace': return l10n.t('by namespace');
    case 'pod': return l10n.t('by pod');
    case 'image': return l10n.t('by image');
    // By tag an alert is under each of its tags: the count above is of alerts, not the groups' sum.
    case 'tag': return l10n.t('by tag (an alert under each of its tags)');
  }
}

/** What the group of alerts without a namespace, pod or image holds, for its tooltip. */
const WITHOUT_FIELD: Partial<Record<ExplorerGroupBy, string>> = {
  namespace: 'k8s.ns.name', pod: 'k8s.pod.name', image: 'container.image.repository nor container.image',
};

/** Longer than any summary the server sends (alertStore.ts SUMMARY_CHARS): a label is cut by the view, not here. */
const LABEL_CHARS = 1000;

export function priorityName(p: number): string { return PRIORITY_NAMES[p] ?? l10n.t('Unknown'); }

/** A value from the log as a tree shows it: one line, nothing hidden or reordered. */
export function shown(value: string): string { return plainTitle(value, LABEL_CHARS); }

/** A tooltip, in the order it is appended: plain text (appendText) or a code block (appendCodeblock). */
export type TooltipPart = { text: string } | { code: string };

export interface ItemTexts { label: string; description: string; tooltip: TooltipPart[] }

export function groupTexts(groupBy: ExplorerGroupBy, g: ExplorerGroup, dedupe: boolean): ItemTexts {
  const label = groupBy === 'priority' ? priorityName(Number(g.key)) : shown(g.key) || emptyGroupLabel(groupBy);
  const tooltip: TooltipPart[] = [
    { text: `${groupLabel(groupBy)}: ${label}\n\n` },
    { text: l10n.t('{0} alerts, {1} distinct; most severe: {2}', g.count, g.distinct, priorityName(g.priority)) },
  ];
  if (g.firstTime !== undefined) tooltip.push({ text: `\n\n${l10n.t('first {0}, last {1}', new Date(g.firstTime).toISOString(), new Date(g.lastTime ?? g.firstTime).toISOString())}` });
  const field = WITHOUT_FIELD[groupBy];
  if (field && g.key === '') {
    tooltip.push({ text: `\n\n${l10n.t('Alerts that carry no {0} (or carry <NA>): host processes, plugin events, a JSON alert without the field in output_fields, a text alert without the fields Falco appends (the container plugin\'s suggested output, -pk).', field)}` });
  }
  if (groupBy === 'tag') {
    tooltip.push({
      text: g.key === ''
        ? `\n\n${l10n.t('Alerts that carry no tags: text alerts (Falco writes a rule\'s tags in JSON output only, with json_include_tags_property), JSON alerts without tags or with an empty list.')}`
        : `\n\n${l10n.t('The alerts carrying this tag. An alert with several tags is under each of them: the groups add up to more than the alerts.')}`,
    });
  }
  if (!g.identified) tooltip.push({ text: `\n\n${l10n.t('Text alerts carry no rule name and no loaded rule matched this message: grouped by message text (by the output\'s key names where it starts with them).')}` });
  return { label, description: dedupe && g.distinct !== g.count ? l10n.t('{0} ({1} distinct)', g.count, g.distinct) : String(g.count), tooltip };
}

/** `file`: of a rotated set, the name of the alert's file (the tooltip says its line there). */
export function alertTexts(groupBy: ExplorerGroupBy, a: ExplorerAlertItem, file?: string): ItemTexts {
  const when = a.time !== undefined ? new Date(a.time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : shown(a.timeText ?? '');
  const many = a.duplicates !== undefined && a.duplicates > 1;
  return {
    label: shown(groupBy === 'rule' ? a.summary || a.rule : a.rule),
    description: `${when}${many ? ` ×${a.duplicates}` : ''}`,
    tooltip: [
      { text: `${priorityName(a.priority)} · ${shown(a.rule)}\n\n` },
      { code: revealInvisible(a.summary) },
      { text: `${file !== undefined ? `${shown(file)}, ` : ''}${l10n.t('line {0}', a.line + 1)}${many ? ` · ${l10n.t('{0} identical alerts (apart from the time)', a.duplicates ?? 0)}` : ''}` },
    ],
  };
}

/**
 * The tree item id of an alert under a group. By tag an alert is under the group of each of its tags, and VS Code
 * refuses two items of one id: its group is part of its id there.
 */
export function alertItemId(logId: string, groupBy: ExplorerGroupBy, group: string, id: number): string {
  return groupBy === 'tag' ? `alert:${logId}:${id}:${group}` : `alert:${logId}:${id}`;
}

/** The view's message and description: the log's counts and state, the settings, the filter, the file's name. */
/**
 * The view's message and description. `undated`: the latest groups answer's count of alerts without a date that the
 * time window left out (said, not dropped without a word).
 */
export function viewTexts(log: ExplorerLogInfo, groupBy: ExplorerGroupBy, dedupe: boolean, f: ExplorerFilter, window: string | undefined, undated?: number): { message: string; description: string } {
  const parts = [noAlertLog(log) ? l10n.t('no Falco alert in {0} lines: not an alert log', log.unparsed.toLocaleString('en-US')) : l10n.t('{0} alerts', log.total.toLocaleString('en-US'))];
  // Deleted, or rotated away by renaming: the alerts read from it stay (the server holds the file open), and a file
  // created at the path while the log is followed is read after them.
  if (log.missing) parts.push(log.total ? l10n.t('no file at its path now (deleted or rotated away; the alerts read stay)') : l10n.t('no file at its path now (deleted or rotated away)'));
  if (!log.done) parts.push(l10n.t('indexing {0}%', log.totalBytes ? Math.floor((100 * log.indexedBytes) / log.totalBytes) : 0));
  if (log.following) parts.push(l10n.t('following'));
  parts.push(byGroupText(groupBy));
  if (dedupe) parts.push(l10n.t('duplicates folded'));
  const filters: string[] = [];
  if (f.text) filters.push(`"${shown(f.text)}"`);
  for (const [key, value] of filterTokens(f)) filters.push(`${key}:${shown(value)}`);
  if (f.minPriority !== undefined) filters.push(`≥ ${priorityName(f.minPriority)}`);
  if (window) filters.push(window);
  if (filters.length) parts.push(l10n.t('filter {0}', filters.join(', ')));
  if (window && undated) parts.push(undatedText(undated));
  const name = shown(log.path.split('/').pop() ?? '');
  if (!log.parts) return { message: parts.join(' · '), description: name };
  // A rotated set: how many files it reads, and the older ones asked for but past its budget.
  parts.splice(1, 0, l10n.t('{0} rotated files as one log', log.parts.length));
  if (log.leftOut?.length) {
    const over = MAX_SET_BYTES / 1024 ** 3;
    parts.splice(2, 0, log.leftOut.length === 1 ? l10n.t('1 older file left out (over {0} GiB of text)', over) : l10n.t('{0} older files left out (over {1} GiB of text)', log.leftOut.length, over));
  }
  return { message: parts.join(' · '), description: l10n.t('{0} (rotated set)', name) };
}

/**
 * A file read to its end in which no line is an alert and some are something else: not a Falco alert log (a source
 * tarball `falco-0.44.0.tar.gz`, another program's log). A file holding only Falco's own lines (its start banner) or
 * nothing yet is an alert log without alerts.
 */
export function noAlertLog(log: ExplorerLogInfo): boolean {
  return log.done && log.total === 0 && log.unparsed > 0;
}

/** What the Alert Explorer says once, when the file it opened turns out to hold no alert (noAlertLog). */
export function noAlertLogText(log: ExplorerLogInfo): string {
  const name = shown(log.path.split('/').pop() ?? '');
  const count = log.unparsed.toLocaleString('en-US');
  if (log.compressed) {
    return log.unparsed === 1
      ? l10n.t('{0} holds no Falco alert: its one line is not an alert of Falco\'s JSON or text output (read decompressed). It does not look like a Falco alert log.', name)
      : l10n.t('{0} holds no Falco alert: none of its {1} lines is an alert of Falco\'s JSON or text output (read decompressed). It does not look like a Falco alert log.', name, count);
  }
  return log.unparsed === 1
    ? l10n.t('{0} holds no Falco alert: its one line is not an alert of Falco\'s JSON or text output. It does not look like a Falco alert log.', name)
    : l10n.t('{0} holds no Falco alert: none of its {1} lines is an alert of Falco\'s JSON or text output. It does not look like a Falco alert log.', name, count);
}

/** The filter keys typed in the filter's text box, and the filter's field each sets. */
const FILTER_KEYS = { ns: 'namespace', pod: 'pod', image: 'image', tag: 'tag' } as const;
type FilterKey = keyof typeof FILTER_KEYS;

/** The filter's `ns:`, `pod:` and `image:` values, in the order the text box shows them. */
function filterTokens(f: ExplorerFilter): [FilterKey, string][] {
  return (Object.keys(FILTER_KEYS) as FilterKey[]).flatMap((key) => {
    const value = f[FILTER_KEYS[key]];
    return value !== undefined ? [[key, value] as [FilterKey, string]] : [];
  });
}

/**
 * Reads the filter's text box: words `ns:NAME`, `pod:NAME` (`namespace/pod`, or a pod's name in any namespace) and
 * `image:NAME` (`repository:tag`, or a repository with any tag) keep one namespace, pod or image, `tag:NAME` the alerts
 * carrying a tag; the rest, as typed,
 * is the text the alert's line contains. The last of a key counts.
 */
export function parseFilterText(input: string): Pick<ExplorerFilter, 'text' | 'namespace' | 'pod' | 'image' | 'tag'> {
  const filter: Pick<ExplorerFilter, 'text' | 'namespace' | 'pod' | 'image' | 'tag'> = {};
  const rest = input.replace(/(^|\s)(ns|pod|image|tag):(\S+)/g, (_all, _blank: string, key: FilterKey, value: string) => {
    filter[FILTER_KEYS[key]] = value;
    return '';
  }).trim();
  if (rest) filter.text = rest;
  return filter;
}

/** The text box's text for a filter (parseFilterText reads it back). */
export function filterText(f: ExplorerFilter): string {
  return [f.text ?? '', ...filterTokens(f).map(([key, value]) => `${key}:${value}`)].filter((part) => part !== '').join(' ');
}
