// Seeded random edits of rules files, for tests that compare incremental validation with validation from scratch.
// The edits are what typing produces (characters inserted and deleted anywhere, YAML and condition syntax broken and
// repaired) plus whole-item moves and the kinds of changes rules authors make (typos in keys, macros, fields and
// priorities; overrides, appends, exceptions, new rules without an event type).

import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../server/src/service/text';

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPED_CHARACTERS = ['a', 'x', '_', '.', ' ', ' ', ':', '-', '"', "'", '(', ')', '[', ']', ',', '#', '%', '\n', '\n  ', '\t', '|', '>', '=', '!'];

const SNIPPETS = [
  '- rule: Random Rule\n  desc: d\n  condition: proc.name = x and fd.name startswith /etc\n  output: "r %proc.name %fd.name"\n  priority: NOTICE\n',
  '- rule: Random Rule\n  desc: d\n  condition: spawned_process and proc.name in (shell_binaries)\n  output: "r %proc.name"\n  priority: warnin\n',
  '- macro: random_macro\n  condition: proc.pname = x\n',
  '- macro: spawned_process\n  condition: and proc.pid > 0\n  override:\n    condition: append\n',
  '- list: shell_binaries\n  items: [zsh]\n  append: true\n',
  '- list: random_list\n  items: [a, b]\n',
  '- rule: Terminal shell in container\n  enabled: false\n',
  '- rule: Terminal shell in container\n  condition: and not proc.name = x\n  override:\n    condition: append\n',
  '- rule: Terminal shell in container\n  exceptions:\n    - name: random\n      fields: [proc.name, fd.nmae]\n      comps: [=]\n      values: [[a, b, c]]\n  override:\n    exceptions: append\n',
  '- rule: Missing Rule\n  priority: ERROR\n  override:\n    priority: replace\n',
  '- required_engine_version: 0.x\n',
  '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.1.0\n',
  '- rule: Random Source\n  desc: d\n  condition: ka.verb = create and ka.user.name = <NA>\n  output: "%ka.verb"\n  priority: INFO\n  source: k8s_audit\n',
];

const RENAMES: [RegExp, string][] = [
  [/priority:/, 'priorty:'], [/condition:/, 'condtion:'], [/spawned_process/, 'spawned_proces'], [/proc\.name/, 'proc.nmae'],
  [/evt\.type/, 'evt.typ'], [/ and /, ' an '], [/ in \(/, ' in (('], [/ = /, ' equals '], [/\)/, ''], [/WARNING/, 'WARNIN'], [/open_write/, 'open_writ'],
  [/shell_binaries/, 'shell_binarie'], [/source: /, 'source: sycall '], [/enabled: false/, 'enabled: flase'], [/tags: \[/, 'tags: [[x], '],
];

/** Start offsets of the top-level items (`- ` at column 0). */
function itemStarts(text: string): number[] {
  const starts: number[] = [];
  const re = /^- /gm;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index);
  return starts;
}

/** One random edit of `text`; `original` lets the text go back to a clean state now and then. */
export function randomEdit(text: string, original: string, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const at = Math.floor(random() * (text.length + 1));
  const roll = random();
  if (roll < 0.35) return text.slice(0, at) + pick(TYPED_CHARACTERS) + text.slice(at);
  if (roll < 0.5) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 12)));
  if (roll < 0.65) {
    const [pattern, replacement] = pick(RENAMES);
    // The occurrence after a random offset, so that every part of the file gets edited.
    const from = text.slice(at).search(pattern);
    if (from < 0) return text;
    const m = pattern.exec(text.slice(at + from))!;
    return text.slice(0, at + from) + replacement + text.slice(at + from + m[0].length);
  }
  const starts = itemStarts(text);
  if (roll < 0.75 && starts.length > 1) {
    // Move an item elsewhere (redefinitions, uses before definitions, overrides before their rule).
    const i = Math.floor(random() * starts.length);
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const item = text.slice(starts[i], end);
    const rest = text.slice(0, starts[i]) + text.slice(end);
    const targets = itemStarts(rest);
    const to = targets.length ? pick(targets) : rest.length;
    return rest.slice(0, to) + (item.endsWith('\n') ? item : `${item}\n`) + rest.slice(to);
  }
  if (roll < 0.82 && starts.length > 1) {
    const i = Math.floor(random() * starts.length);
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    return text.slice(0, starts[i]) + text.slice(end);
  }
  if (roll < 0.95) {
    const to = starts.length ? pick(starts) : text.length;
    return text.slice(0, to) + pick(SNIPPETS) + text.slice(to);
  }
  return original;
}

/**
 * A sequence of edits of one file. A text that YAML cannot parse is left broken for a step or two (as while typing),
 * then the edits go on from the last text that parsed, so that most steps exercise validation of well-formed items.
 */
export class EditSession {
  private lastClean: string;
  private brokenSteps = 0;

  constructor(public text: string, private readonly original: string, private readonly random: () => number) {
    this.lastClean = text;
  }

  /** Edits the text; `broken` tells whether the current text had YAML syntax errors. */
  next(broken: boolean): string {
    if (broken) this.brokenSteps++; else { this.brokenSteps = 0; this.lastClean = this.text; }
    const from = this.brokenSteps > 1 + Math.floor(this.random() * 2) ? this.lastClean : this.text;
    if (from === this.lastClean) this.brokenSteps = 0;
    this.text = randomEdit(from, this.original, this.random);
    return this.text;
  }
}

/**
 * The one incremental change (range in `before`, new text) that turns `before` into `after`, as an editor sends it:
 * the range covers what lies between their common start and common end.
 */
export function incrementalChange(before: string, after: string): { range: Range; text: string } {
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // A position cannot point between the CR and the LF of a line break, and an edit that makes a CR and an LF meet at
  // its edge is not one an editor sends (TextDocument then counts two line breaks): such characters join the range.
  while (prefix > 0 && before.charCodeAt(prefix - 1) === 13) prefix--;
  while (suffix > 0 && before.charCodeAt(before.length - suffix) === 10) suffix--;
  const lines = new LineIndex(before);
  return { range: lines.range(prefix, before.length - suffix), text: after.slice(prefix, after.length - suffix) };
}

/** A synthetic base file and a local file that overrides and appends to it (the two-file fixture). */
export const TWO_FILE_BASE = `- list: shell_binaries
  items: [bash, sh, zsh]
- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir = <
- macro: container
  condition: container.id != host
- rule: Shell In Container
  desc: A shell started in a container
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: "Shell (user=%user.name command=%proc.cmdline container=%container.id)"
  priority: WARNING
  tags: [container, shell, mitre_execution]
- rule: Write Below Etc
  desc: d
  condition: evt.type in (open, openat) and evt.is_open_write = true and fd.name startswith /etc
  output: "File below /etc opened for writing (file=%fd.name)"
  priority: ERROR
- rule: Audit Create
  desc: d
  condition: ka.verb = create and ka.target.resource = pods
  output: "%ka.verb %ka.target.name"
  priority: NOTICE
  source: k8s_audit
`;
export const TWO_FILE_LOCAL = `- macro: spawned_process
  condition: and proc.pid > 0
  override:
    condition: append
- list: shell_binaries
  items: [fish]
  override:
    items: append
- rule: Shell In Container
  condition: and not proc.pname in (shell_binaries)
  exceptions:
    - name: known
      fields: [proc.name, container.image.repository]
      comps: [=, startswith]
      values: [[bash, docker.io/library]]
  override:
    condition: append
    exceptions: append
- rule: Audit Create
  condition: and ka.user.name = <NA>
  override:
    condition: append
- rule: Local Rule
  desc: d
  condition: proc.name = nc and fd.sport = 4444
  output: "%proc.name"
  priority: info
`;
