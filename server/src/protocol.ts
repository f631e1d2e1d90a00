// Types shared by the client and the server: custom requests and notifications. No VS Code or Node import here.

/** The server asks the client to show a Markdown document (an incident report, a playbook). */
export const SHOW_MARKDOWN_COMMAND = 'falcoLens.showMarkdown';
/** Command ids the server's code actions use; the client implements them. */
export const COPY_TO_CLIPBOARD_COMMAND = 'falcoLens.copyToClipboard';
/**
 * A command the server implements (workspace/executeCommand; the LanguageClient registers it): applies the
 * versioned edit of a quick fix into another open file through workspace/applyEdit, which the LanguageClient refuses
 * when a named version is no longer the editor's. Arguments: one ApplyEditArguments.
 */
export const APPLY_EDIT_COMMAND = 'falcoLens.applyEdit';
export interface ApplyEditArguments { label: string; edit: unknown }

/**
 * Client → server notification: the files the editor holds with unsaved changes in a language it does not send the
 * server (plain text, another language mode), the whole set each time it changes. The server does not have their
 * text, so an edit of one computed from the disk would land at the disk's offsets inside the unsaved text: tuning
 * quick fixes into such a file are shown greyed out (save it first). `open`: every file the editor holds in such a
language, saved or not, so that an edit of a file open there under another path (a link) names that buffer
(service/edits.ts editedUri); absent from an older client. `version` is this message's format (1).
 */
export const UNSAVED_ELSEWHERE_NOTIFICATION = 'falcoLens/unsavedElsewhere';
export interface UnsavedElsewhereParams { version: 1; uris: string[]; open?: string[] }

/** Custom request: a Markdown incident report for the alerts of a document (all, or a line range). */
export const REPORT_REQUEST = 'falcoLens/report';
export interface ReportParams { uri: string; startLine?: number; endLine?: number }
export interface ReportResult { markdown: string }

// ---- Alert Explorer: the client's tree view queries the server's alert index through these requests. ----

/**
 * `namespace`, `pod` and `image`: the alert's k8s.ns.name, k8s.pod.name (a group key `namespace/pod`) and container
 * image (`repository:tag`), from a JSON alert's output_fields or the fields Falco appends to a text output; an alert
 * without the field is in the group of key ''. `tag`: an alert is in the group of each tag it carries (a JSON alert's
 * `tags`), so the groups' counts add up to more than the alerts; `matching` and `total` count alerts.
 */
export type ExplorerGroupBy = 'rule' | 'priority' | 'hostname' | 'source' | 'container' | 'namespace' | 'pod' | 'image' | 'tag';

/**
 * How the tree and a report name the group of alerts without the grouping's value (key ''): the alerts of a host
 * process, a log without the field, a payload without it.
 */
export function emptyGroupLabel(groupBy: ExplorerGroupBy): string {
  switch (groupBy) {
    case 'namespace': return '(no namespace)';
    case 'pod': return '(no pod)';
    case 'image': return '(no image)';
    case 'tag': return '(no tags)';
    default: return '(none)';
  }
}

export interface ExplorerFilter {
  /** Case-insensitive substring of the alert line. */
  text?: string;
  /** Only alerts at least this severe (0 Emergency … 7 Debug). */
  minPriority?: number;
  /** Only alerts of these rules (group keys of the rule grouping); an empty list restricts nothing. */
  rules?: string[];
  hostname?: string;
  source?: string;
  /** Only alerts of this Kubernetes namespace (k8s.ns.name). */
  namespace?: string;
  /** Only alerts of this pod: `namespace/pod` (a group key of the pod grouping), or the pod's name in any namespace. */
  pod?: string;
  /** Only alerts of this container image: `repository:tag` (a group key of the image grouping), or the repository with any tag. */
  image?: string;
  /** Only alerts carrying this tag. */
  tag?: string;
  /** Epoch milliseconds, inclusive bounds. */
  since?: number;
  until?: number;
}

/** Open (index) a log file on disk. Files of any size: the server streams them, VS Code's 50 MB limit does not apply. */
export const EXPLORER_OPEN_REQUEST = 'falcoLens/explorer/open';
export interface ExplorerOpenParams {
  path: string;
  follow?: boolean;
  /**
   * A rotated set as one log: older files of `path`'s set (`falco.log.1`, `falco.log.2.gz`, `falco.log-20261123`: in
   * `path`'s folder, rotations of its name, older than it), in any order. The server reads them oldest first, then
   * `path`; following follows `path` only. At most MAX_SET_FILES.
   */
  rotated?: string[];
}
/** The most files of a rotated set opened as one log. */
export const MAX_SET_FILES = 100;
/**
 * The most log text (decompressed) of a rotated set's files read as one log, counted from the newest back (the newest
 * file is read whatever its size): the store is sized for about a million alerts, which the bench's 1M log of Falco's
 * JSON and text alerts holds in 1.08 GB (1.25 GiB: 1.34 GB).
 */
export const MAX_SET_BYTES = 1.25 * 1024 ** 3;

/** One file of a rotated set opened as one log, oldest first. */
export interface ExplorerLogPart {
  /** Where the file is now: a rotation while following renames the files (falco.log becomes falco.log.1). */
  path: string;
  /** Bytes of it read (of the decompressed text for a gzip file). */
  bytes: number;
  /** A gzip file: opened as one, or compressed by logrotate since (`delaycompress`), then `path` is the gzip file. */
  compressed?: boolean;
  /** No file of the set's folder is this one any more (deleted by logrotate): read from what is held open. */
  gone?: boolean;
}

/**
 * The files of a rotated set: the chosen file's siblings in its folder, oldest first (the chosen one among them), as
 * `falcoLens/explorer/rotatedFiles` finds them by name; nothing is read but the folder's entries and their sizes.
 */
export const EXPLORER_ROTATED_FILES_REQUEST = 'falcoLens/explorer/rotatedFiles';
export interface ExplorerRotatedFilesParams { path: string }
export interface ExplorerRotatedFilesResult {
  /** The live file's name (`falco.log`), whether or not it is there. */
  base: string;
  files: { path: string; bytes: number; compressed?: boolean }[];
}

export interface ExplorerLogInfo {
  logId: string;
  path: string;
  total: number;
  indexedBytes: number;
  totalBytes: number;
  done: boolean;
  following: boolean;
  /** Lines that are neither alerts nor Falco's own log lines. */
  unparsed: number;
  /** A gzip-compressed log (read from a decompressed copy; the byte counts are of the decompressed text). */
  compressed?: boolean;
  /**
   * No file at the path right now (deleted, or rotated away and not created again): the alerts read from the file it
   * named stay, and a file created there while the log is followed is read after them.
   */
  missing?: boolean;
  /**
   * A log read as several files, oldest first: a rotated set, or a followed log after a rotation (the last is `path`,
   * or a file that was at `path` when the log rotated).
   */
  parts?: ExplorerLogPart[];
  /**
   * Older files of the set that were asked for and are not read: past the set's budget of log text (MAX_SET_BYTES
   * decompressed, about a million alerts), counted from the newest file back.
   */
  leftOut?: string[];
}

export const EXPLORER_CLOSE_REQUEST = 'falcoLens/explorer/close';
export interface ExplorerCloseParams { logId: string }

export const EXPLORER_FOLLOW_REQUEST = 'falcoLens/explorer/follow';
export interface ExplorerFollowParams { logId: string; follow: boolean }

export const EXPLORER_GROUPS_REQUEST = 'falcoLens/explorer/groups';
export interface ExplorerGroupsParams { logId: string; groupBy: ExplorerGroupBy; filter?: ExplorerFilter; limit?: number }
export interface ExplorerGroup {
  key: string;
  count: number;
  /** Distinct alerts once duplicates (same rule and output apart from the time) are folded. */
  distinct: number;
  /** Most severe priority in the group. */
  priority: number;
  firstTime?: number;
  lastTime?: number;
  /** Whether the rule of text alerts in this group was identified (false: grouped by the message text). */
  identified: boolean;
}
export interface ExplorerGroupsResult {
  groups: ExplorerGroup[]; total: number; matching: number; truncated: boolean;
  /**
   * With `since` or `until` in the filter: how many alerts it left out only because they have no date (text alerts
   * whose time is a time of day alone, which no window can place), of those that pass the rest of the filter.
   */
  undated?: number;
}

/** How the view's message and a report's note say `undated` (not 0). */
export function undatedText(undated: number): string {
  return `${undated.toLocaleString('en-US')} alert${undated === 1 ? '' : 's'} without a date (time of day only) left out by the time filter`;
}

export const EXPLORER_ALERTS_REQUEST = 'falcoLens/explorer/alerts';
export interface ExplorerAlertsParams {
  logId: string; groupBy: ExplorerGroupBy; group: string; filter?: ExplorerFilter; dedupe?: boolean; offset?: number; limit?: number;
}
export interface ExplorerAlertItem {
  /** Index of the alert in the log. */
  id: number;
  /** Zero-based line of the alert in the file (of a rotated set: in its part). */
  line: number;
  /** Of a rotated set: the index of its file in ExplorerLogInfo.parts. */
  part?: number;
  time?: number;
  timeText?: string;
  priority: number;
  rule: string;
  /** The rendered output without its time and priority prefix, cut to a few hundred characters. */
  summary: string;
  /** With dedupe: how many alerts this item stands for. */
  duplicates?: number;
  /**
   * How many times the log had been indexed again from its start (emptied with no copy, files deleted while
   * followed) when the alert was listed: its text is asked with it (ExplorerAlertTextParams), since after such a
   * start the same id is another alert.
   */
  generation?: number;
}
export interface ExplorerAlertsResult {
  items: ExplorerAlertItem[]; total: number;
  /** As in ExplorerGroupsResult, of the group's alerts (not classes: with dedupe, the alerts they stand for too). */
  undated?: number;
}

/**
 * A Markdown incident report on the alerts of one group (or of the whole log without `groupBy`) that pass the filter:
 * the latest `limit` of them (default and most 5,000), with the lines they have in the file.
 */
export const EXPLORER_REPORT_REQUEST = 'falcoLens/explorer/report';
export interface ExplorerReportParams { logId: string; groupBy?: ExplorerGroupBy; group?: string; filter?: ExplorerFilter; limit?: number }
export interface ExplorerReportResult {
  markdown: string; alerts: number; total: number;
  /** As in ExplorerGroupsResult, of the report's group: the report's note says it too. */
  undated?: number;
}

export const EXPLORER_ALERT_TEXT_REQUEST = 'falcoLens/explorer/alertText';
export interface ExplorerAlertTextParams {
  logId: string; id: number;
  /** The item's `generation`: an alert listed before the log was indexed again is refused (the list is out of date). */
  generation?: number;
}
export interface ExplorerAlertTextResult {
  text: string; line: number; part?: number;
  /**
   * The alert's file as it is now (of a rotated set, renamed, compressed or removed by logrotate since the tree was
   * drawn): `line` is its line there unless `compressed` or `gone`.
   */
  file: ExplorerLogPart;
}

/** Server → client: the index of a log grew (indexing progress, or new lines while following). */
export const EXPLORER_CHANGED_NOTIFICATION = 'falcoLens/explorer/changed';
export type ExplorerChangedParams = ExplorerLogInfo;
