// Reading one line (or one joined payload) of an alert log. Every Falco output shape is recognised here: JSON from
// Falco 0.37 to 0.44 and falcosidekick, text lines with the HH:MM:SS or ISO-8601 prefix, and the wrappers that
// log collectors add (syslog, container runtime). Offsets are offsets into the string given; nothing here knows
// about documents or positions.
import { scanJson, memberOf, type JsonNode } from './json';
import { PRIORITY_NAMES, parsePriority } from './priority';

export type Severity = 1 | 2 | 3 | 4; // LSP DiagnosticSeverity: Error, Warning, Information, Hint

export interface LineProblem { start: number; end: number; severity: Severity; code: AlertDiagnosticCode; message: string }

/** Stable diagnostic codes; quick fixes and tests key on these, never on message text. */
export type AlertDiagnosticCode =
  | 'json-syntax' | 'json-truncated' | 'missing-key' | 'invalid-value' | 'unknown-priority' | 'not-an-alert'
  | 'text-truncated' | 'partial-unterminated' | 'falco-alert' | 'problems-cap' | 'diagnostics-cap';

export type Wrapper = 'cri' | 'syslog' | 'docker' | 'timestamp' | 'kubectl' | 'compose' | 'stern';

export interface AlertHead {
  format: 'json' | 'text';
  /** falco: Falco's own JSON; sidekick: a falcosidekick payload (uuid, "syscalls"); sidekick-ui: {"event":…,"outputs":…}. */
  flavor: 'falco' | 'sidekick' | 'sidekick-ui';
  /** Interned. Text alerts carry no rule name. */
  rule?: string;
  /** 0 (Emergency) … 7 (Debug); -1 when the priority is missing or unknown. */
  priority: number;
  /** JSON: the `time` value (UTC ISO-8601). Text: the prefix as printed. */
  time?: string;
  hostname?: string;
  source?: string;
  /** Text: offsets of the time prefix, the priority word and the output (end excludes a glued Falco summary). */
  timeStart?: number;
  timeEnd?: number;
  priorityStart?: number;
  priorityEnd?: number;
  outputStart?: number;
  outputEnd?: number;
  /** Text: the message before the first `key=value` token (interned), to group alerts of one rule cheaply. */
  head?: string;
}

export type PayloadKind = 'blank' | 'alert' | 'lifecycle' | 'indented' | 'other' | 'broken';

export interface ParsedPayload {
  kind: PayloadKind;
  alert?: AlertHead;
  problems?: LineProblem[];
}

export interface ParsedLine extends ParsedPayload {
  /** Offset where the payload begins (after a container-runtime or syslog prefix). */
  payloadStart: number;
  wrapper?: Wrapper;
  /** A container-runtime `P` line: a chunk of a payload continued on the next line of the same stream. */
  partial?: boolean;
  /** A Docker json-file line. Its payload is a decoded JSON string, so the line's own kind is 'other' and the
   *  payload's reading is in `docker.parsed` (offsets into `docker.payload`). */
  docker?: DockerLine;
  /** A line holding terminal colour escapes: it is read without them, and every offset of this reading (the payload's
   *  start, the alert's, the problems') refers to `coloured.text`, not to the line. */
  coloured?: ColouredLine;
}

/** A line as a terminal presenter coloured it (stern --color, docker compose logs, journalctl, grep --color), read
 *  without its escapes. */
export interface ColouredLine {
  /** The line without its escapes. */
  text: string;
  /** The runs of `text` that stand unbroken in the line, in order: from `from` on, the character at offset
   *  `from + k` of the text is at column `column + k` of the line, up to the next run. An escape lies between two runs. */
  runs: { from: number; column: number }[];
}

// What terminal presenters write around or inside the text they colour: SGR, `ESC [ <parameters> m` (stern through
// fatih/color v1.19.0 color.go wrap, `\x1b[96m` … `\x1b[0m`, its --highlight `\x1b[31;1m` … `\x1b[0;22m`; docker compose
// cmd/formatter/colors.go ansiColor, `\x1b[36m` or `\x1b[36;1m` … `\x1b[0m` around `name | `; journalctl's message by
// priority, systemd logs-show.c print_multiline with get_log_colors, `\x1b[0;1;31m`, `\x1b[0;1;38;5;185m` or, in newer
// systemd, `\x1b[0;1;38:5:185m` … `\x1b[0m`), and EL, `ESC [ K`, that GNU grep writes after each SGR (grep.c sgr_start
// `\33[%sm\33[K`). Both only change how a terminal shows the text: the line is read without them.
const TERMINAL_ESCAPE = /\x1b\[[0-9;:]*m|\x1b\[[0-2]?K/g;

/** The line without its colour escapes, or undefined when it has none. */
export function withoutColours(line: string): ColouredLine | undefined {
  TERMINAL_ESCAPE.lastIndex = 0;
  let text = '';
  const runs: ColouredLine['runs'] = [];
  let column = 0;
  let found = false;
  for (let m = TERMINAL_ESCAPE.exec(line); m; m = TERMINAL_ESCAPE.exec(line)) {
    found = true;
    if (m.index > column) { runs.push({ from: text.length, column }); text += line.slice(column, m.index); }
    column = m.index + m[0].length;
  }
  if (!found) return undefined;
  if (column < line.length) { runs.push({ from: text.length, column }); text += line.slice(column); }
  // Kept with the line's reading: a copy, not a string made of slices of the document's text.
  return { text: detach(text), runs };
}

/** One line of Docker's json-file log driver: `{"log":"<payload>\n","stream":"stdout","time":"…"}`. */
export interface DockerLine {
  /** The decoded `log` value without its trailing line break. */
  payload: string;
  /** Offsets in the line of the `log` string token, quotes included. */
  logStart: number;
  logEnd: number;
  stream: string;
  /** Docker splits output lines longer than 16 KB: a `log` without a trailing `\n` continues on the next line. */
  continued: boolean;
  /** The payload read as a log line, for a line that is not continued (offsets into `payload`). */
  parsed?: ParsedPayload;
}

// Docker's json-file driver always writes "log" first (moby daemon/logger/jsonfilelog/jsonlog).
const DOCKER_START = '{"log":"';

/** The Docker json-file wrapper of a line, or undefined when the line is not one. */
export function unwrapDockerLine(line: string): DockerLine | undefined {
  if (!line.startsWith(DOCKER_START)) return undefined;
  let value: unknown;
  try { value = JSON.parse(line); } catch { return undefined; }
  const obj = value as { log?: unknown; stream?: unknown };
  if (!obj || typeof obj.log !== 'string' || typeof obj.stream !== 'string') return undefined;
  const logStart = DOCKER_START.length - 1;
  let end = logStart + 1;
  while (end < line.length) {
    const c = line.charCodeAt(end);
    if (c === 92) end += 2; else if (c === 34) break; else end++;
  }
  const log = obj.log;
  const continued = !log.endsWith('\n');
  const payload = continued ? log : log.slice(0, log.endsWith('\r\n') ? -2 : -1);
  return { payload, logStart, logEnd: end + 1, stream: obj.stream, continued };
}

export type Intern = (s: string) => string;

/** A copy of a string that shares no memory with the string it was cut from. V8 represents a slice of 13 or more
 *  characters (a regex group, `slice`) as a view of its parent: a value kept from a line would otherwise keep that
 *  version's whole document text alive (JSON.parse values are copies already). */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

// `2024-01-03T19:39:42.522581168Z stdout F payload` (CRI log format; the payload may be empty).
export const CRI_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})) (stdout|stderr) ([FP])(?: |$)/;
// `Jan  3 19:39:42 host falco: payload` (BSD syslog) and `2024-01-03T19:39:42.123+00:00 host falco[12]: payload` (rsyslog).
export const SYSLOG_PREFIX = /^(?:([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2})|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))) (\S+) ([A-Za-z0-9_.\/-]+)(?:\[(\d+)\])?: /;
// `kubectl logs --timestamps` and `docker logs --timestamps`: the time the container runtime read the line (RFC 3339,
// nanoseconds) and a blank, then the line as Falco wrote it: a JSON alert or a text alert's time.
export const TIMESTAMP_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}) (?=[{\d])/;
// `kubectl logs --prefix` (a DaemonSet's or a label selector's pods at once): `[pod/<pod>/<container>] ` before each
// line (kubectl logs.go addPrefixIfNeeded, `fmt.Sprintf("[pod/%s/%s] ", …)`; the container's name may be empty), then
// the line as the runtime gave it (with --timestamps, its time first).
export const KUBECTL_PREFIX = /^\[pod\/[^\/\]\s]+\/[^\]\s]*\] /;
// `docker compose logs`: the container's name padded with blanks to the longest one's, ` | `, then the line (with
// --timestamps, its time first); only in front of what a Falco line starts with (a JSON object, a time).
export const COMPOSE_PREFIX = /^[A-Za-z][A-Za-z0-9_.-]* *\| (?=[{\d])/;
// stern's default output (cmd.go generateTemplate at stern v1.34.0): the pod's and the container's names (with several
// namespaces, the namespace's first) and a blank each, then with --timestamps the time (`2006-01-02T15:04:05.000000000Z07:00`
// or, with `--timestamps=short`, `01-02 15:04:05`), then the line. Names are Kubernetes names (lowercase letters,
// digits, '-', '.'); only in front of a Falco line (a JSON object, a text alert's time), or of a time and then one.
export const STERN_PREFIX = /^[a-z][-a-z0-9.]* [a-z0-9][-a-z0-9.]* (?:[a-z0-9][-a-z0-9.]* )?(?=\{"|\d{2}:\d{2}:\d{2}\.\d|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}(?:Z|[+-]\d{2}:?\d{2})?: |\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}) [{\d]|\d{2}-\d{2} \d{2}:\d{2}:\d{2} [{\d])/;
const STERN_SHORT_TIME = /^\d{2}-\d{2} \d{2}:\d{2}:\d{2} (?=[{\d])/;
// `19:39:42.522581168: Warning …` and `2024-01-03T19:39:42.522581168+0000: Warning …`.
const TEXT_ALERT = /^(\d{2}:\d{2}:\d{2}\.\d{1,9}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}(?:Z|[+-]\d{2}:?\d{2})?): (\S*)/;
// Falco's own log lines: `Sun Jul 23 15:28:36 2023: Falco version: …` or `2023-07-23T15:28:36+0000: …`.
const LIFECYCLE_PREFIX = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})): /;
// The end-of-run summary Falco prints on stdout and stderr (stats_manager.cpp, event_drops.cpp), and the
// statistics line of a capture-file run.
const SUMMARY_LINE = /^(?:\^C)?(?:Events detected: \d+|Rule counts by severity:|Triggered rules by rule name:|Syscall event drop monitoring:|Driver Events: ?\d+|Driver Drops: ?\d+|Elapsed time: .*|Falco (?:version|initialized)\b.*|Loading rules from.*|Enabled event sources:.*|Opening (?:capture|event source) .*|Starting (?:health|internal) .*|Closing event source.*|Shutting down.*)$/;
const GLUED_SUMMARY = /(?:\^C)?Events detected: \d+$/;

/** An alert value inside a diagnostic message: JSON-quoted (line breaks and control characters escaped), cut short. */
function quotedForMessage(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);
}

/** Parses one line of a log, unwrapping container-runtime and syslog prefixes; a coloured line is read without its
 *  escapes (ParsedLine.coloured). */
export function parseLine(line: string, intern: Intern): ParsedLine {
  // One scan for ESC, which no line Falco writes holds (JSON escapes it; the text output has no control characters).
  const coloured = line.indexOf('\x1b') >= 0 ? withoutColours(line) : undefined;
  if (!coloured) return parsePlainLine(line, intern);
  const parsed = parsePlainLine(coloured.text, intern);
  // A presenter's line stands alone: it is no chunk of a payload continued on the next line (CRI `P`, Docker's 16 KB).
  if (parsed.partial || parsed.docker) return { kind: 'other', payloadStart: 0, coloured };
  parsed.coloured = coloured;
  return parsed;
}

function parsePlainLine(line: string, intern: Intern): ParsedLine {
  let payloadStart = 0;
  let wrapper: Wrapper | undefined;
  let partial = false;
  // Read within bounds only: optimized code that meets a read past the end (the empty last line of a log) is thrown
  // away, and this, the hottest function of an open, then ran unoptimized for the next five opens of a server.
  const first = line.length > 0 ? line.charCodeAt(0) : -1;
  if (first === 123 && line.startsWith(DOCKER_START)) {
    const docker = unwrapDockerLine(line);
    if (docker) {
      if (!docker.continued) docker.parsed = parsePayload(docker.payload, 0, docker.payload.length, intern);
      return { kind: 'other', payloadStart: 0, wrapper: 'docker', docker };
    }
  }
  // The wrapper expressions are tried only on a line that starts as they require (both are anchored): a CRI line
  // starts with an RFC 3339 date (`2024-`), a syslog line with that or a month name. JSON alerts (most lines of big
  // logs, '{') and Falco's text alerts (`19:39:42.…`) have neither.
  const startsWithDate = first >= 48 && first <= 57 && line.length > 4 && line.charCodeAt(4) === 45 /* - */;
  // kubectl's `[pod/…] ` and docker compose's `name | `: tried only on a line starting with '[' or a letter.
  // stern's `<pod> <container> `: on a line starting with a lowercase letter that is no docker compose line.
  let named = first === 91 /* [ */ ? KUBECTL_PREFIX.exec(line) : (first >= 65 && first <= 90) || (first >= 97 && first <= 122) ? COMPOSE_PREFIX.exec(line) : null;
  if (named) wrapper = first === 91 ? 'kubectl' : 'compose';
  else if (first >= 97 && first <= 122 && (named = STERN_PREFIX.exec(line))) wrapper = 'stern';
  if (named) {
    payloadStart = named[0].length;
    // With --timestamps, the runtime's time follows the prefix (stern's own short form too).
    const rest = line.slice(payloadStart);
    const stamp = TIMESTAMP_PREFIX.exec(rest) ?? (wrapper === 'stern' ? STERN_SHORT_TIME.exec(rest) : null);
    if (stamp) payloadStart += stamp[0].length;
  } else {
    const cri = startsWithDate ? CRI_PREFIX.exec(line) : null;
    if (cri) {
      wrapper = 'cri';
      payloadStart = Math.min(line.length, cri[0].length);
      partial = cri[3] === 'P';
      if (partial) return { kind: 'other', payloadStart, wrapper, partial };
    } else {
      const syslog = startsWithDate || (first >= 65 && first <= 90) /* A-Z */ ? SYSLOG_PREFIX.exec(line) : null;
      if (syslog) { wrapper = 'syslog'; payloadStart = syslog[0].length; } else if (startsWithDate) {
        // Its own line, even where what follows is no alert: not the continuation of a wrapped text alert.
        const stamp = TIMESTAMP_PREFIX.exec(line);
        if (stamp) { wrapper = 'timestamp'; payloadStart = stamp[0].length; }
      }
    }
  }
  const parsed = parsePayload(line, payloadStart, line.length, intern) as ParsedLine;
  parsed.payloadStart = payloadStart;
  if (wrapper) parsed.wrapper = wrapper;
  // Problem messages quote parts of the line (an unknown priority word, an unexpected token).
  if (parsed.problems) for (const p of parsed.problems) p.message = detach(p.message);
  return parsed;
}

/** Parses a payload: a JSON alert, a text alert, a Falco lifecycle line, or something else. */
export function parsePayload(text: string, start: number, end: number, intern: Intern): ParsedPayload {
  let s = start;
  while (s < end && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
  if (s >= end) return { kind: 'blank' };
  if (text.charCodeAt(s) === 123 /* { */) return parseJsonAlert(text, s, end, intern);
  const body = s === 0 && end === text.length ? text : text.slice(s, end);
  const m = TEXT_ALERT.exec(body);
  if (m) return parseTextAlert(body, m, s, intern);
  if (LIFECYCLE_PREFIX.test(body) || SUMMARY_LINE.test(body)) return { kind: 'lifecycle' };
  if (s > start) return { kind: 'indented' };
  return { kind: 'other' };
}

function parseTextAlert(body: string, m: RegExpExecArray, base: number, intern: Intern): ParsedPayload {
  const timeEnd = m[1].length;
  const priorityStart = timeEnd + 2;
  const priorityEnd = priorityStart + m[2].length;
  // Falco prints the priority's name as written in PRIORITY_NAMES: found as is before the case-insensitive reading.
  const exact = (PRIORITY_NAMES as readonly string[]).indexOf(m[2]);
  const priority = exact >= 0 ? exact : parsePriority(m[2]);
  const problems: LineProblem[] = [];
  if (priority === undefined) {
    // A line cut right after `time: ` has no character where the priority goes: mark the blank before it instead.
    const problemEnd = Math.min(body.length, Math.max(priorityEnd, priorityStart + 1));
    problems.push({
      start: base + Math.min(priorityStart, problemEnd - 1), end: base + problemEnd, severity: 1, code: 'unknown-priority',
      // Falco writes `time: Priority` and the output after one blank each (formats.cpp:47-74 at 0.44.1).
      message: m[2] === '' && body.charCodeAt(priorityStart) === 32 ? 'More than one blank after the time: Falco writes one, then the priority, so this line was changed after Falco wrote it'
        : m[2] === '' ? `Missing priority after the time: Falco prints one of ${PRIORITY_NAMES.join(', ')}`
        : `Unknown priority '${m[2]}': Falco prints one of ${PRIORITY_NAMES.join(', ')}`,
    });
  }
  const outputStart = Math.min(body.length, priorityEnd + 1);
  let outputEnd = body.length;
  // The regexes below search the whole line: a plain substring test first skips them on most lines. A glued
  // summary ends the line with its count: a line that does not end with a digit is not searched at all.
  const lastCode = body.charCodeAt(body.length - 1);
  const glued = lastCode >= 48 && lastCode <= 57 && body.includes('Events detected: ', outputStart) ? GLUED_SUMMARY.exec(body) : null;
  if (glued && glued.index >= outputStart) outputEnd = glued.index;
  while (outputEnd > outputStart && body.charCodeAt(outputEnd - 1) === 32) outputEnd--;
  const output = body.slice(outputStart, outputEnd);
  // Rules ≤ 3.x close the field list with ')': an opening `(key=` without its ')' means the line was cut. A line that
  // ends with ')' is closed, whatever a value holds: a command line may hold a '(' of its own (`sh -c echo :(`).
  const open = output.includes('(') && !output.endsWith(')') ? /(?:^| )\((?=[A-Za-z_][\w.\[\]]*=)/.exec(output) : null;
  if (open) {
    let depth = 0;
    for (let i = open.index; i < output.length; i++) {
      const c = output.charCodeAt(i);
      if (c === 40) depth++; else if (c === 41) depth--;
    }
    if (depth > 0) {
      problems.push({ start: base + outputEnd - 1, end: base + outputEnd, severity: 2, code: 'text-truncated', message: 'The alert line looks cut off: the field list opened with "(" is not closed' });
    }
  }
  const alert: AlertHead = {
    format: 'text', flavor: 'falco', priority: priority ?? -1, time: detach(m[1]),
    timeStart: base, timeEnd: base + timeEnd, priorityStart: base + priorityStart, priorityEnd: base + priorityEnd,
    outputStart: base + outputStart, outputEnd: base + outputEnd, head: intern(messageHead(output)),
  };
  return problems.length ? { kind: 'alert', alert, problems } : { kind: 'alert', alert };
}

/** The message part of a rendered output: the text before ` (key=`, ` | key=` or the first `key=` token. */
export function messageHead(output: string): string {
  const m = /(?:^|\s)(?:\(|\|\s)?[A-Za-z_][\w.\[\]]*=/.exec(output);
  const cut = m ? m.index : output.length;
  return output.slice(0, cut).trim();
}

const KNOWN_TOP_KEYS = ['rule', 'priority', 'time', 'output', 'output_fields', 'message', 'hostname', 'source', 'tags', 'uuid'];

function parseJsonAlert(text: string, start: number, end: number, intern: Intern): ParsedPayload {
  let value: unknown;
  try {
    value = JSON.parse(start === 0 && end === text.length ? text : text.slice(start, end));
  } catch {
    const scan = scanJson(text, start, end);
    const e = scan.error ?? { message: 'Malformed JSON', start, end: start + 1, truncated: false };
    return {
      kind: 'broken',
      problems: [{
        start: e.start, end: Math.max(e.end, e.start + 1), severity: 1, code: e.truncated ? 'json-truncated' : 'json-syntax',
        message: e.truncated ? `Truncated JSON alert: ${e.message}` : `Malformed JSON alert: ${e.message}`,
      }],
    };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'broken', problems: [{ start, end, severity: 1, code: 'not-an-alert', message: 'A JSON alert is an object; this line holds another JSON value' }] };
  }
  let obj = value as Record<string, unknown>;
  let flavor: AlertHead['flavor'] = 'falco';
  let path: string[] = [];
  if (obj.event && typeof obj.event === 'object' && !Array.isArray(obj.event) && 'outputs' in obj) {
    obj = obj.event as Record<string, unknown>;
    flavor = 'sidekick-ui';
    path = ['event'];
  } else if ('uuid' in obj || obj.source === 'syscalls') {
    flavor = 'sidekick';
  }
  if (obj.rule === undefined && obj.priority === undefined && obj.output === undefined && obj.output_fields === undefined && !KNOWN_TOP_KEYS.some((k) => k in obj)) {
    return { kind: 'broken', problems: [{ start, end: start + 1, severity: 2, code: 'not-an-alert', message: 'This JSON object has none of the keys of a Falco alert (rule, priority, time, output, output_fields)' }] };
  }
  const rule = typeof obj.rule === 'string' ? intern(obj.rule) : undefined;
  const priority = typeof obj.priority === 'string' ? parsePriority(obj.priority) : undefined;
  const alert: AlertHead = {
    format: 'json', flavor, rule, priority: priority ?? -1,
    time: typeof obj.time === 'string' ? obj.time : undefined,
    hostname: typeof obj.hostname === 'string' ? intern(obj.hostname) : undefined,
    source: typeof obj.source === 'string' ? intern(obj.source) : undefined,
  };
  // Most lines are well formed: spans are looked up (with the scanner) only when something is wrong.
  const wrong = rule === undefined || priority === undefined || alert.time === undefined || !isIsoTime(alert.time)
    || ('output_fields' in obj && (obj.output_fields === null || typeof obj.output_fields !== 'object' || Array.isArray(obj.output_fields)))
    || ('tags' in obj && !isStringArray(obj.tags))
    || ('output' in obj && typeof obj.output !== 'string')
    || ('hostname' in obj && typeof obj.hostname !== 'string');
  if (!wrong) return { kind: 'alert', alert };
  return { kind: 'alert', alert, problems: jsonProblems(text, start, end, obj, path) };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

function isIsoTime(t: string): boolean {
  // Falco's own form, `2024-06-10T14:47:07.118224033Z`, by character tests (every JSON line has one); others by pattern.
  if (t.length === 30 && t.charCodeAt(29) === 90 && t.charCodeAt(10) === 84 && t.charCodeAt(19) === 46 && t.charCodeAt(4) === 45
    && t.charCodeAt(7) === 45 && t.charCodeAt(13) === 58 && t.charCodeAt(16) === 58) {
    for (const i of DIGITS_OF_FALCO_TIME) { const c = t.charCodeAt(i); if (c < 48 || c > 57) return false; }
    return true;
  }
  return ISO_TIME.test(t);
}
const DIGITS_OF_FALCO_TIME = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27, 28];

function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function jsonProblems(text: string, start: number, end: number, obj: Record<string, unknown>, path: string[]): LineProblem[] {
  const scan = scanJson(text, start, end);
  let node: JsonNode | undefined = scan.root;
  for (const key of path) node = memberOf(node, key)?.value;
  const problems: LineProblem[] = [];
  const objectSpan = { start: node?.start ?? start, end: Math.min(end, (node?.start ?? start) + 1) };
  const at = (key: string) => memberOf(node, key);
  const valueProblem = (key: string, severity: Severity, code: AlertDiagnosticCode, message: string) => {
    const m = at(key);
    problems.push({ start: m ? m.value.start : objectSpan.start, end: m ? Math.max(m.value.end, m.value.start + 1) : objectSpan.end, severity, code, message });
  };
  const missing = (key: string, severity: Severity, why: string) => {
    problems.push({ ...objectSpan, severity, code: 'missing-key', message: `The alert has no "${key}" key: ${why}` });
  };
  if (!('rule' in obj)) missing('rule', 1, 'Falco and falcosidekick always send the rule name');
  else if (typeof obj.rule !== 'string') valueProblem('rule', 1, 'invalid-value', '"rule" must be a string (the rule name)');
  if (!('priority' in obj)) missing('priority', 1, 'Falco and falcosidekick always send the priority');
  else if (typeof obj.priority !== 'string') valueProblem('priority', 1, 'invalid-value', '"priority" must be a string such as "Warning"');
  else if (parsePriority(obj.priority) === undefined) valueProblem('priority', 1, 'unknown-priority', `Unknown priority ${quotedForMessage(obj.priority)}: Falco uses ${PRIORITY_NAMES.join(', ')}`);
  if (!('time' in obj)) missing('time', 2, 'Falco always sends the event time; the alert cannot be placed in time');
  else if (typeof obj.time !== 'string' || !isIsoTime(obj.time)) valueProblem('time', 2, 'invalid-value', '"time" should be an ISO-8601 UTC time such as "2024-05-07T12:50:34.502309868Z"');
  if ('output_fields' in obj && (obj.output_fields === null || typeof obj.output_fields !== 'object' || Array.isArray(obj.output_fields))) {
    valueProblem('output_fields', 1, 'invalid-value', '"output_fields" must be an object mapping field names to values');
  }
  if ('tags' in obj && !isStringArray(obj.tags)) valueProblem('tags', 2, 'invalid-value', '"tags" should be an array of strings');
  if ('output' in obj && typeof obj.output !== 'string') valueProblem('output', 2, 'invalid-value', '"output" should be a string (the rendered alert line)');
  if ('hostname' in obj && typeof obj.hostname !== 'string') valueProblem('hostname', 2, 'invalid-value', '"hostname" should be a string');
  return problems;
}
