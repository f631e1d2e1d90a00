// The findings of a file's condition checks (validateConditions) item by item, kept from one validation of the file
// to the next and replayed for the items whose inputs did not change.
//
// The checks of a rule or macro read its own text (some parts are replayed by chunk text already: diagnose.ts
// ItemCheckCache) and the loaded definitions: the macros and lists it names, through any depth of macros and lists
// (event codes, list pasting), and their names (suggestions); the rule of its own name, which every contribution to it
// makes up; what later files make of those; the plugins required so far and the items of other kinds. Typing in a
// rule changes that rule's definition alone. So a validation compares what the checks read with the previous
// validation of the file: the other files (the same models), the items of other kinds, and the definitions after the
// file, name by name through their contributions. When the macros and lists are the same, only the rules that
// changed, appeared or went away are checked again (no check reads another rule than its item's); the other items
// replay what they found last time, at their chunk's new place. Anything else (a macro or list changed, another file
// changed, a file written inside another document) makes every item be checked again, as before this memo. Unused
// macros and lists read every file's uses: validateConditions checks them every time.
import type { Code } from './diagnosticCodes';
import type { ModelItem, RulesFileModel, Span } from './model';
import { Recording, type ReportOptions, type ReportSink } from './validate';
import { loadPosition, type Contribution, type Definitions, type LoadResult, type LoadedFile } from './workspace';

/** What a file's last validation left: enough to tell which of its items' findings still hold. */
interface FileFindings {
  /** The models of that load's files, in load order (this file's included), and their URIs and whether configured. */
  models: RulesFileModel[];
  uris: string[];
  configured: boolean[];
  order: number;
  /** The definitions the file's checks read (after the file). */
  defs: Definitions;
  /** The texts of the file's items that are not rules, macros or lists, in order. */
  otherItems: string[];
  /** Findings per chunk text (a repeated text: then `\u0000` and its occurrence number); undefined: not reusable. */
  byText: Map<string, Recording | undefined>;
}

const EMPTY_RECORDING = new Recording(0);

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
  begin(file: LoadedFile, load: LoadResult, sink: ReportSink): ItemFindingsRun | undefined {
    const chunks = file.model.chunks;
    if (!chunks) return undefined;
    const previous = this.byUri.get(file.uri);
    const defs = load.after[file.order] ?? load.final;
    const otherItems = otherItemTexts(file.model);
    const changedRules = previous ? changedRulesSince(previous, file, load, defs, otherItems) : undefined;
    return new ItemFindingsRun(file, sink, changedRules && previous!.byText, changedRules, (byText, checked) => {
      this.lastChecked = checked;
      this.byUri.delete(file.uri);
      this.byUri.set(file.uri, {
        models: load.files.map((f) => f.model), uris: load.files.map((f) => f.uri), configured: load.files.map((f) => f.configured),
        order: file.order, defs, otherItems, byText,
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
  private spare: Recording | undefined;
  private outside = false;
  private readonly repeats = new Map<string, number>();
  private readonly byText = new Map<string, Recording | undefined>();
  /** Items whose checks ran in this validation (the others were replayed). */
  private checked = 0;

  constructor(
    private readonly file: LoadedFile,
    private readonly sink: ReportSink,
    private readonly previous: Map<string, Recording | undefined> | undefined,
    private readonly changedRules: Set<string> | undefined,
    private readonly keep: (byText: Map<string, Recording | undefined>, checked: number) => void,
  ) {
    this.target = sink;
  }

  report(code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
    // A finding outside the item's chunk would not move with it: the item is checked again next time.
    if (this.recording && (span.start < this.chunkStart || span.end > this.chunkEnd)) this.outside = true;
    this.target.report(code, span, message, data, options);
  }

  /** Checks item `item` (a rule or macro of the file) with `check`, or replays what it found last time. */
  item(item: ModelItem, check: (item: ModelItem) => void): void {
    const chunk = this.file.model.chunks![item.index];
    // Items of the same text (a rule defined twice) are told apart by their occurrence: the text, then a number.
    let key = chunk.text;
    if (this.byText.has(key)) {
      const occurrence = (this.repeats.get(chunk.text) ?? 1) + 1;
      this.repeats.set(chunk.text, occurrence);
      key = `${chunk.text}\u0000${occurrence}`;
    }
    let kept = this.previous?.get(key);
    if (kept && item.kind === 'rule' && item.name !== undefined && this.changedRules!.has(item.name)) kept = undefined;
    if (kept) {
      kept.replay(chunk.start, this.sink);
    } else {
      this.checked++;
      // Most items find nothing: one spare recording serves them until one finds something.
      const recording = this.spare ?? new Recording(chunk.start);
      recording.restart(chunk.start);
      this.recording = recording;
      this.chunkStart = chunk.start;
      this.chunkEnd = chunk.start + chunk.text.length;
      this.outside = false;
      this.target = recording;
      try {
        check(item);
      } finally {
        this.target = this.sink;
        this.recording = undefined;
      }
      recording.replay(chunk.start, this.sink);
      if (recording.isEmpty) {
        this.spare = recording;
        kept = EMPTY_RECORDING;
      } else {
        this.spare = undefined;
        kept = recording;
      }
      if (this.outside) kept = undefined;
    }
    this.byText.set(key, kept);
  }

  /** Ends the validation: what was found is kept for the next one. */
  finish(): void { this.keep(this.byText, this.checked); }
}

function otherItemTexts(model: RulesFileModel): string[] {
  const texts: string[] = [];
  for (const item of model.items) {
    if (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') texts.push(model.chunks?.[item.index]?.text ?? model.text.slice(item.span.start, item.span.end));
  }
  return texts;
}

/**
 * The rules whose items must be checked again, or undefined when every item must: compared with the previous
 * validation's load. Macros and lists must be the same (names, order and contributions): the checks of every item
 * may read any of them, through any depth of macros and lists, and their names (suggestions). Rules are read only by
 * the items of their own name, so a rule that changed, appeared or went away is checked again alone.
 */
function changedRulesSince(previous: FileFindings, file: LoadedFile, load: LoadResult, defs: Definitions, otherItems: string[]): Set<string> | undefined {
  const files = load.files;
  if (previous.order !== file.order || previous.models.length !== files.length) return undefined;
  for (let k = 0; k < files.length; k++) {
    const f = files[k];
    // Lines of a file written inside another document are that document's lines, which an edit elsewhere moves.
    if (f.hostLine) return undefined;
    if (previous.uris[k] !== f.uri || previous.configured[k] !== f.configured) return undefined;
    if (k !== file.order && previous.models[k] !== f.model) return undefined;
  }
  if (!sameStrings(previous.otherItems, otherItems)) return undefined;
  if (!sameDefinitions(previous.defs.macros, defs.macros) || !sameDefinitions(previous.defs.lists, defs.lists)) return undefined;
  const changed = new Set<string>();
  let added = 0;
  for (const [name, def] of defs.rules) {
    const before = previous.defs.rules.get(name);
    if (!before) added++;
    if (before !== def && (!before || !sameContributions(before.contributions, def.contributions))) changed.add(name);
  }
  // Some rules went away when fewer were there before than now, counting out the new ones.
  if (previous.defs.rules.size !== defs.rules.size - added) {
    for (const name of previous.defs.rules.keys()) if (!defs.rules.has(name)) changed.add(name);
  }
  return changed;
}

/** Whether two tables hold the same names in the same order, each made of the same contributions. */
function sameDefinitions(before: Map<string, { contributions: Contribution[] }>, after: Map<string, { contributions: Contribution[] }>): boolean {
  if (before === after) return true;
  if (before.size !== after.size) return false;
  const oldNames = before.keys();
  for (const name of after.keys()) {
    if (oldNames.next().value !== name) return false;
    const oldDef = before.get(name)!;
    const def = after.get(name)!;
    if (oldDef !== def && !sameContributions(oldDef.contributions, def.contributions)) return false;
  }
  return true;
}

/** A definition is made of its contributions: the same items, in the same places and modes, make the same one. */
function sameContributions(a: Contribution[], b: Contribution[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.item === y.item) continue;
    if (x.mode !== y.mode || loadPosition(x) !== loadPosition(y)) return false;
    const textX = x.file.model.chunks?.[x.item.index]?.text;
    if (textX === undefined || textX !== y.file.model.chunks?.[y.item.index]?.text) return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
