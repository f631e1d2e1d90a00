// The diagnostics of one loaded rules file, with the checks that read a single item replayed from a cache.
//
// Most of the work of validating a file is per item and depends on the item's text alone (keys, value types,
// condition syntax, fields and operators, outputs, exceptions), or on that text plus the rule's source. Those checks
// are recorded with offsets relative to the item's chunk and replayed for the same chunk text, wherever the chunk
// sits now; an edit therefore re-checks only the items it touched. The checks that read the loaded definitions
// (loader findings, undefined macros, unknown lists, event types, plugin requirements, unused macros and lists) are
// cheap and run every time, interleaved in the same order, so the result equals a validation from scratch.
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Cancellation } from '../features';
import type { ModelItem, RulesFileModel } from './model';
import { Recording, Reporter, runDirectly, validateStructure, type ItemCheckRunner } from './validate';
import { itemRefsAt, parseConditionCached, validateConditions, type UsageIndex } from './conditionChecks';
import { macroRefsOf } from './condition';
import { Code } from './diagnosticCodes';
import { entryOf, scalarMap } from './model';
import type { Contribution, LoadResult, LoadedFile } from './workspace';
import { checkTargetVersion } from './targetVersion';
import { LATEST_FALCO } from '../../knowledge';

const NOTHING_RECORDED = new Recording(0);

/** The key of a part checked in a context, one string per pair (a key built per item would be hashed afresh). */
const partKeys = new Map<string, Map<string, string>>();
function partKey(part: string, context: string): string {
  let byContext = partKeys.get(part);
  if (!byContext) partKeys.set(part, byContext = new Map());
  let key = byContext.get(context);
  if (key === undefined) {
    if (byContext.size >= 10000) byContext.clear();
    key = `${part}\u0000${context}`;
    byContext.set(context, key);
  }
  return key;
}

/** Recorded single-item checks by chunk text, then by part and context. One per service; bounded. */
export class ItemCheckCache {
  private readonly byChunk = new Map<string, { used: number; parts: Map<string, Recording> }>();
  private generation = 0;

  constructor(private readonly limit = 20000) {}

  /** A runner for one file's validation: replays recorded checks of its chunk-parsed items, records the others. */
  runner(model: RulesFileModel, reporter: Reporter): ItemCheckRunner {
    const chunks = model.chunks;
    if (!chunks) return runDirectly(reporter);
    const generation = ++this.generation;
    // Each item is asked for up to four parts: its cache entry is found by chunk text once per validation.
    const entries: ({ used: number; parts: Map<string, Recording> } | undefined)[] = [];
    let spare: Recording | undefined;
    return (item: ModelItem, part, context, check) => {
      const chunk = chunks[item.index];
      let entry = entries[item.index];
      if (!entry) {
        entry = this.byChunk.get(chunk.text);
        if (!entry) {
          entry = { used: generation, parts: new Map() };
          this.byChunk.set(chunk.text, entry);
        }
        entry.used = generation;
        entries[item.index] = entry;
      }
      const key = context === '' ? part : partKey(part, context);
      let recording = entry.parts.get(key);
      if (!recording) {
        recording = spare ?? new Recording(chunk.start);
        recording.restart(chunk.start);
        check(recording);
        // Most checks find nothing: one shared empty recording keeps the cache small, and the new one is used for
        // the next check instead of allocating another.
        if (recording.isEmpty) {
          spare = recording;
          recording = NOTHING_RECORDED;
        } else spare = undefined;
        entry.parts.set(key, recording);
      }
      recording.replay(chunk.start, reporter);
    };
  }

  /** Drops the least recently used half when the cache holds more chunks than its limit. */
  trim(): void {
    if (this.byChunk.size <= this.limit) return;
    const uses = [...this.byChunk.values()].map((e) => e.used).sort((a, b) => a - b);
    const cutoff = uses[Math.floor(uses.length / 2)];
    for (const [text, entry] of this.byChunk) if (entry.used <= cutoff) this.byChunk.delete(text);
  }

  get size(): number { return this.byChunk.size; }
}

/**
 * Diagnostics of one loaded file; with a cache, checks of unchanged items are replayed instead of run again.
 * `falcoVersion` is the Falco release checked for (the falcoLens.falcoVersion setting).
 */
export function diagnoseFile(file: LoadedFile, load: LoadResult, usage: UsageIndex, token?: Cancellation, cache?: ItemCheckCache, falcoVersion = LATEST_FALCO): Diagnostic[] {
  const reporter = new Reporter(file.model);
  const run = cache ? cache.runner(file.model, reporter) : runDirectly(reporter);
  validateStructure(file, load, reporter, run);
  if (token?.isCancellationRequested) return reporter.diagnostics;
  validateConditions(file, load, usage, reporter, run);
  validateMacroOrder(file, load, reporter);
  checkTargetVersion(file, load, falcoVersion, run);
  cache?.trim();
  return reporter.diagnostics;
}

/** Where a contribution sits in Falco's load order (files in order, items in file order). */
function before(a: Contribution, b: Contribution): boolean {
  return a.file.order !== b.file.order ? a.file.order < b.file.order : a.item.index < b.item.index;
}

/**
 * Falco resolves the macros a macro uses among the macros defined before it (rule_loader_compiler.cpp,
 * compile_macros_infos: a macro sees the macros whose first definition precedes its own last definition or append),
 * and fails to load with "Undefined macro" otherwise; rules see every macro. The macros used by each macro of the file
 * are checked against the definitions loaded up to this file (a macro no file defines is reported as undefined by the
 * condition checks). This reads other items, so it runs on every validation; it costs a lookup per macro use.
 */
function validateMacroOrder(file: LoadedFile, load: LoadResult, reporter: Reporter): void {
  const defs = load.after[file.order] ?? load.final;
  const items = file.model.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind !== 'macro' || item.name === undefined) continue;
    const names = itemRefsAt(file.model, i).macros;
    if (names.length === 0) continue;
    const own = defs.macros.get(item.name)?.contributions;
    if (!own || own.length === 0) continue;
    const visibleUntil = own[own.length - 1];
    for (const name of names) {
      const used = defs.macros.get(name)?.contributions[0];
      if (!used || before(used, visibleUntil)) continue;
      reportLateMacro(file, item, name, used, reporter);
    }
  }
}

/** Reports each use of `name` in the macro item's own condition (found again by parsing it; this is rare). */
function reportLateMacro(file: LoadedFile, item: ModelItem, name: string, used: Contribution, reporter: Reporter): void {
  const node = entryOf(item, 'condition')?.value;
  if (node?.kind !== 'scalar' || typeof node.value !== 'string') return;
  // An appended condition (`or ...`) is parsed behind a stand-in word, as the condition checks do.
  const appended = /^\s*(and|or)\b/.test(node.text);
  const prefix = appended ? 'previous_condition ' : '';
  const line = used.file.model.lines.positionAt(used.item.span.start).line + 1;
  const where = used.file === file ? ` (line ${line})` : ` (line ${line} of ${used.file.uri.slice(used.file.uri.lastIndexOf('/') + 1)})`;
  for (const ref of macroRefsOf(parseConditionCached(prefix + node.text).ast)) {
    if (ref.name !== name || ref.span.start < prefix.length) continue;
    const span = scalarMap(node).span(ref.span.start - prefix.length, ref.span.end - prefix.length);
    const message = name === item.name
      ? `Macro '${name}' uses itself: Falco resolves a macro's macros among those defined before it, so loading fails with "Undefined macro".`
      : `Macro '${name}' is defined after macro '${item.name}'${where}: Falco resolves a macro's macros among those defined before it, so loading fails with "Undefined macro". Define '${name}' first.`;
    reporter.report(Code.UndefinedMacro, span, message, { suggestions: [] }, { load: 'LOAD_ERR_VALIDATE' });
  }
}
