// The findings of a file's condition checks (validateConditions) item by item, kept from one validation of the file
// to the next and replayed for the items whose inputs did not change.
//
// The checks of a rule or macro read its own text (some parts are replayed by chunk text already: diagnose.ts
// ItemCheckCache) and the loaded definitions: the macros and lists it names, through any depth of macros and lists
// (event codes, list pasting), and their names (suggestions); the rule of its own name, which every contribution to it
// makes up; what later files make of those; the plugins required so far and the items of other kinds. Typing in a
// rule changes that rule's definition alone. So a validation compares the file's items with those of its last
// validation (the other files must be the same models): when only rule items changed, appeared or went away, only the
// items of those rules' names are checked again (no check reads another rule than its item's); the other items
// replay what they found last time, at their chunk's new place (a finding in text the item reads through an alias, at
// that text's new place: the item's value key names that text, Chunk.readsAt where it is). Anything else (a macro, list or other item changed,
// another file changed, a file written inside another document) makes every item be checked again, as before this
// memo. Unused macros and lists read every file's uses: validateConditions checks them every time.
import type { Code } from './diagnosticCodes';
import { chunkValueKey, type Chunk, type ModelItem, type RulesFileModel, type Span } from './model';
import { Recording, type ReportOptions, type ReportSink } from './validate';
import type { LoadResult, LoadedFile } from './workspace';

/**
 * What a file's last validation left: enough to tell which of its items' findings still hold, holding no model (an
 * earlier version of a model would stay in memory as long as the memo, doubling a large file's share).
 */
interface FileFindings {
  /** The file's model then (modelStamp). */
  model: number;
  /** The other files of that load, in load order (undefined at the file's own place): their models' stamps. */
  others: (number | undefined)[];
  uris: string[];
  configured: boolean[];
  order: number;
  /** The target release checked for (the event-type verdicts count its event table). */
  target: string;
  /** The file's items: their texts (chunks), kinds and names, in order. */
  texts: string[];
  kinds: (string | undefined)[];
  names: (string | undefined)[];
  /** Findings per item (index-aligned with `texts`); undefined: not reusable (or a list, or no such item). */
  findings: (Recording | undefined)[];
}

const EMPTY_RECORDING = new Recording(0);

/**
 * A number per model object, for telling whether a file is the model it was: the memo holds no model, not even
 * weakly. With a WeakRef per other file made on every validation, the bench's 240 edits of the official files left
 * about 4 MB more garbage in old space (in-process, measured; bench/README.md, session 24).
 */
const modelStamps = new WeakMap<RulesFileModel, number>();
let lastStamp = 0;
function modelStamp(model: RulesFileModel): number {
  let stamp = modelStamps.get(model);
  if (stamp === undefined) {
    stamp = ++lastStamp;
    modelStamps.set(model, stamp);
  }
  return stamp;
}

/** The kept findings of the service's files; bounded by file count (least recently validated dropped first). */
export class ItemFindingsMemo {
  private readonly byUri = new Map<string, FileFindings>();
  /** How many rules and macros the last validation checked (the others replayed their findings). */
  lastChecked = 0;

  constructor(private readonly limit = 64) {}

  /**
   * A validation of `file`: the sink its condition checks report into (passing findings on to `sink`), which also
   * replays or records each item. Null when the file was not parsed by chunks (no item text to key on).
   */
  begin(file: LoadedFile, load: LoadResult, sink: ReportSink, target = ''): ItemFindingsRun | undefined {
    const chunks = file.model.chunks;
    if (!chunks) return undefined;
    const items = file.model.items;
    const model = modelStamp(file.model);
    const previous = this.byUri.get(file.uri);
    // The same model as last time (another file changed, or the file is validated again): its items are the same, so
    // are their texts, kinds and names. Every open file is validated again after each edit of another: a new copy of
    // each was garbage that lived long enough to reach old space.
    const sameModel = previous?.model === model ? previous : undefined;
    const texts = sameModel ? sameModel.texts : chunks.map(chunkValueKey);
    const change = previous && previous.target === target ? changeSince(previous, file, load, texts) : undefined;
    return new ItemFindingsRun(file, sink, previous, change, (findings, checked) => {
      this.lastChecked = checked;
      this.byUri.delete(file.uri);
      const sameFiles = previous !== undefined && sameLoadFiles(previous, file, load);
      this.byUri.set(file.uri, {
        model,
        others: sameFiles ? previous.others : load.files.map((f) => (f === file ? undefined : modelStamp(f.model))),
        uris: sameFiles ? previous.uris : load.files.map((f) => f.uri),
        configured: sameFiles ? previous.configured : load.files.map((f) => f.configured),
        order: file.order, target, texts,
        kinds: sameModel ? sameModel.kinds : items.map((i) => i.kind),
        names: sameModel ? sameModel.names : items.map((i) => i.name),
        findings: sameModel && sameEntries(sameModel.findings, findings) ? sameModel.findings : findings,
      });
      if (this.byUri.size > this.limit) this.byUri.delete(this.byUri.keys().next().value!);
    });
  }
}

/** One validation of one file: a sink that passes findings on, into a recording while an item is being checked. */
export class ItemFindingsRun implements ReportSink {
  private target: ReportSink;
  private recording: Recording | undefined;
  private chunkStart = 0;
  private chunkEnd = 0;
  /** The chunk being recorded (its item reads other chunks' texts when it has readsAt). */
  private chunk: Chunk | undefined;
  private spare: Recording | undefined;
  private outside = false;
  private readonly findings: (Recording | undefined)[];
  /** Items whose checks ran in this validation (the others were replayed). */
  private checked = 0;

  constructor(
    private readonly file: LoadedFile,
    private readonly sink: ReportSink,
    private readonly previous: FileFindings | undefined,
    private readonly change: Change | undefined,
    private readonly keep: (findings: (Recording | undefined)[], checked: number) => void,
  ) {
    this.target = sink;
    this.findings = new Array(file.model.items.length);
  }

  enter(item: ModelItem): void { this.sink.enter?.(item); }

  report(code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
    const recording = this.recording;
    if (recording && (span.start < this.chunkStart || span.end > this.chunkEnd)) {
      // In the text of a chunk the item reads through an alias: kept relative to that chunk, which moves on its own.
      const read = this.readHolding(span);
      if (read) { recording.reportIn(read.index, read.start, code, span, message, data, options); return; }
      // Anywhere else it would not move with the item: the item is checked again next time.
      this.outside = true;
    }
    this.target.report(code, span, message, data, options);
  }

  /** Which of the chunks the item being recorded reads holds `span` wholly, and where it starts. */
  private readHolding(span: Span): { index: number; start: number } | undefined {
    const reads = this.chunk?.readsAt;
    if (!reads) return undefined;
    const chunks = this.file.model.chunks!;
    for (let k = 0; k < reads.length; k++) {
      const start = this.chunkStart + reads[k];
      // The chunk starting there (chunks are in the text's order; a read chunk is a whole chunk).
      const end = start + (chunkAt(chunks, start)?.text.length ?? -1);
      if (span.start >= start && span.end <= end) return { index: k, start };
    }
    return undefined;
  }

  /** Checks item `item` (a rule or macro of the file) with `check`, or replays what it found last time. */
  item(item: ModelItem, check: (item: ModelItem) => void): void {
    const chunk = this.file.model.chunks![item.index];
    let kept = this.keptFor(item);
    const reads = chunk.readsAt && chunk.readsAt.map((r) => chunk.start + r);
    if (kept) {
      kept.replay(chunk.start, this.sink, reads);
    } else {
      this.checked++;
      // Most items find nothing: one spare recording serves them until one finds something.
      const recording = this.spare ?? new Recording(chunk.start);
      recording.restart(chunk.start);
      this.recording = recording;
      this.chunkStart = chunk.start;
      this.chunkEnd = chunk.start + chunk.text.length;
      this.chunk = chunk;
      this.outside = false;
      this.target = recording;
      try {
        check(item);
      } finally {
        this.target = this.sink;
        this.recording = undefined;
        this.chunk = undefined;
      }
      recording.replay(chunk.start, this.sink, reads);
      if (recording.isEmpty) {
        this.spare = recording;
        kept = EMPTY_RECORDING;
      } else {
        this.spare = undefined;
        kept = recording;
      }
      if (this.outside) kept = undefined;
    }
    this.findings[item.index] = kept;
  }

  /** What the item found last time, if that still holds: the same item (before or after the changed items). */
  private keptFor(item: ModelItem): Recording | undefined {
    const change = this.change;
    if (!change) return undefined;
    const i = item.index;
    const length = this.findings.length;
    const before = i < change.first ? i : i >= length - change.tail ? i - length + this.previous!.texts.length : change.same?.[i] ? i : -1;
    if (before < 0) return undefined;
    if (item.kind === 'rule' && item.name !== undefined && change.rules.has(item.name)) return undefined;
    return this.previous!.findings[before];
  }

  /** Ends the validation: what was found is kept for the next one. */
  finish(): void { this.keep(this.findings, this.checked); }
}

/** Whether a load's files are those of the memo's load: the same models (stamps), paths and configured flags, in order. */
function sameLoadFiles(previous: FileFindings, file: LoadedFile, load: LoadResult): boolean {
  const files = load.files;
  if (previous.order !== file.order || previous.others.length !== files.length) return false;
  for (let k = 0; k < files.length; k++) {
    const f = files[k];
    if (previous.uris[k] !== f.uri || previous.configured[k] !== f.configured) return false;
    if (k !== file.order && previous.others[k] !== modelStamp(f.model)) return false;
  }
  return true;
}

/** Whether two lists hold the same entries (by identity), in order. */
function sameEntries<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The chunk starting at `start` (binary search: chunks are in the text's order). */
function chunkAt(chunks: readonly Chunk[], start: number): Chunk | undefined {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = chunks[mid].start;
    if (s === start) return chunks[mid];
    if (s < start) lo = mid + 1; else hi = mid - 1;
  }
  return undefined;
}

/**
 * The items an edit changed (all but `first` items at the start and `tail` at the end) and the rules they make up.
 * `same`: with as many items as before, the items between whose texts are the same (an item reading another item's
 * text through an alias changes with it, model.ts chunkKey, and may lie far from the edit).
 */
interface Change { first: number; tail: number; rules: Set<string>; same?: boolean[] }

/**
 * What changed since the last validation, or undefined when every item must be checked again. The definitions a
 * file's checks read are made of the items of the files up to it, so with the other files the same, the items an edit
 * changed tell what changed. Rules only: a rule is read by the items of its own name alone, so a changed, new or removed rule item has
 * those checked again. A changed macro, list or item of another kind may reach every item (through macros and lists
 * at any depth, suggestions among the names, required plugins): every item is checked again. So is every item when
 * items were added or removed above a macro or list: Falco orders lists by their place (listIndex).
 */
function changeSince(previous: FileFindings, file: LoadedFile, load: LoadResult, texts: string[]): Change | undefined {
  const files = load.files;
  if (previous.order !== file.order || previous.others.length !== files.length) return undefined;
  for (let k = 0; k < files.length; k++) {
    const f = files[k];
    // Lines of a file written inside another document are that document's lines, which an edit elsewhere moves.
    if (f.hostLine) return undefined;
    if (previous.uris[k] !== f.uri || previous.configured[k] !== f.configured) return undefined;
    if (k !== file.order && previous.others[k] !== modelStamp(f.model)) return undefined;
  }
  // The changed items: between the longest equal runs at the start and at the end.
  const before = previous.texts;
  let first = 0;
  while (first < before.length && first < texts.length && before[first] === texts[first]) first++;
  let tail = 0;
  while (tail < before.length - first && tail < texts.length - first && before[before.length - 1 - tail] === texts[texts.length - 1 - tail]) tail++;
  const items = file.model.items;
  const changed = new Set<string>();
  const changedRule = (kind: string | undefined, name: string | undefined): boolean => {
    if (kind !== 'rule') return false;
    if (name !== undefined) changed.add(name);
    return true;
  };
  // As many items as before: those between with the same texts did not change.
  const same = before.length === texts.length && texts.length - tail - first > 1 ? texts.map((t, i) => i >= first && i < texts.length - tail && t === before[i]) : undefined;
  for (let i = first; i < before.length - tail; i++) if (!same?.[i] && !changedRule(previous.kinds[i], previous.names[i])) return undefined;
  for (let i = first; i < texts.length - tail; i++) if (!same?.[i] && !changedRule(items[i].kind, items[i].name)) return undefined;
  if (before.length !== texts.length) {
    for (let i = texts.length - tail; i < texts.length; i++) if (items[i].kind === 'macro' || items[i].kind === 'list') return undefined;
  }
  return same ? { first, tail, rules: changed, same } : { first, tail, rules: changed };
}
