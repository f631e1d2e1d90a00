// How Falco's output formatter reads a `%field` token where the text is more than a field, per target release: the
// sentences the output checks (conditionChecks.ts at the latest release, targetVersion.ts at older ones) and the
// field hovers (hover.ts) share, so both say the same. Facts: knowledge OUTPUT_FORMATTER.
import { isEventTableNameAt, LATEST_FALCO, lookupField, newerThanTarget, OUTPUT_FORMATTER } from '../../knowledge';
import type { OutputField } from './conditionAst';
import { bracketArgumentProblem, outputFallbackField, parseOutputCached } from './conditionChecks';
import { transformerInfo } from './operators';
import { Code } from './diagnosticCodes';
import { entryOf, scalarMap, type ModelItem, type Span } from './model';
import { lineText, overridesOf, type Contribution, type LoadResult, type LoadedFile } from './workspace';
import type { OutputAppend } from '../config/rulesFiles';
import type { ReportOptions, ReportSink } from './validate';
import { withoutTrailing } from '../text';

/**
 * `%proc.namex`: the name starts with a field and goes on (OutputField.textAfter). Every release reads the longest
 * field the name starts with and prints the rest as text.
 */
export function textAfterMessage(name: string, rest: string): string {
  return `'${name}${rest}' is no field: Falco reads %${name} and prints the text '${rest}' right after its value.`;
}

/**
 * Whether Falco prints the field read and then `f.textAfter` as text: not for a field without the argument it needs
 * (`%k8s.pod.label.app`, "needs an argument"), but for one whose argument was read (`%thread.cgroup.cpu1`).
 */
export function printsTextAfter(f: OutputField): boolean {
  const match = f.textAfter ? lookupField(f.name) : undefined;
  return match !== undefined && !(match.field.arg?.required && match.arg === undefined);
}

/**
 * Whether the target's thread check reads `name` written without a valid argument only where nothing follows it in the
 * output (OUTPUT_FORMATTER.argumentFallbackUntil: Falco 0.37-0.42).
 */
export function readsNameOnlyAtEnd(name: string, target: string): boolean {
  const since = OUTPUT_FORMATTER.argumentFallbackFields.get(name);
  return since !== undefined && !newerThanTarget(since, target) && !newerThanTarget(target, OUTPUT_FORMATTER.argumentFallbackUntil);
}

/** Whether the thread check reads `arg` in brackets (a position for the index fields, anything for proc.env). */
export function threadArgumentRead(name: string, arg: string | undefined): boolean {
  if (arg === undefined) return false;
  const kind = lookupField(name)?.field.arg?.kind;
  // sinsp_numparser::parsed32 of the text between the brackets (sinsp_filtercheck_thread.cpp extract_arg): sscanf
  // "%d%c" must read the number and nothing after it (utils.cpp libs 0.14.2:1735-1745), so a blank after it is refused.
  return kind === 'key' || kind === 'index-or-key' || /^\s*[+-]?\d+$/.test(arg);
}

/**
 * What the target prints for such a field that is not the end of the output: the check reads nothing (it returns 0
 * characters, libs 0.14.2-0.22.1 sinsp_filtercheck_thread.cpp parse_field_name, `if(val == "proc.aname")`), so the
 * formatter adds the field with its argument unset and prints the text after `%` as written (`written`: the name and
 * what follows it up to the next `%` or the end, as far as the message shows it).
 */
export function nameOnlyAtEndMessage(name: string, written: string, target: string): string {
  return `In an output Falco ${target} prints %${name} with its argument unset and then the text '${written}': its thread check reads '${name}' without a valid argument only at the very end of the output (fixed in Falco 0.42.1, libs 0.22.2).`;
}

/**
 * A plugin's field with a bracket argument the plugin refuses, in an output: whether the target fails to load (the
 * plugin check throws as the formatter looks the field up, OUTPUT_FORMATTER.pluginArgumentAsTextSince) rather than
 * print the field and the bracket as text. The container plugin's fields were libsinsp's up to Falco 0.40, whose
 * checks read the field's name and leave the bracket as text.
 */
export function pluginArgumentFailsLoad(plugin: string, target: string): boolean {
  return newerThanTarget(OUTPUT_FORMATTER.pluginArgumentAsTextSince, target) && pluginCheckAt(plugin, target);
}

/** Whether a field of `plugin` is read by that plugin's filter check at the target (not by libsinsp's own checks). */
function pluginCheckAt(plugin: string, target: string): boolean {
  return !(plugin === 'container' && !newerThanTarget(target, OUTPUT_FORMATTER.containerFieldsBuiltinUntil));
}

/**
 * How the plugin check of Falco 0.37-0.43 reads an output's plugin field when its word holds a '[': the formatter
 * hands it the rest of the output, and the check cuts that at the first space (a space only, then trimmed) and takes
 * the word's first '[' as the start of the field's argument (plugin_filtercheck.cpp parse_field_name, libs 0.14.2:67-95,
 * 0.23.1:57-82). A '[' after the field's name without a ']' after it in the word throws "has unbalanced argument
 * brackets", which fails the load whatever skip-if-unknown-filter says (`%ka.user.name[a b]`, and a quoted argument
 * with a blank, which Falco 0.44 reads); a first '[' further on makes the check read nothing (`return -1`: "check that
 * we matched the whole field string"), so no check reads the token: "invalid formatting token", which the key covers
 * (`%ka.target.name/%ka.req.pod.containers.image[0]`). Falco 0.44 compiles the parsed field alone and reads both.
 * `output`: the output's text; the result's span is in it.
 */
export function pluginWordProblem(f: OutputField, output: string, target: string): { message: string; span: { start: number; end: number }; skippable: boolean } | undefined {
  if (!newerThanTarget(OUTPUT_FORMATTER.pluginArgumentAsTextSince, target) || f.transformers) return undefined;
  const field = lookupField(f.name)?.field;
  if (!field?.plugin || field.name !== f.name || !pluginCheckAt(field.plugin, target)) return undefined;
  const start = f.nameSpan.start;
  const space = output.indexOf(' ', start);
  const word = output.slice(start, space < 0 ? output.length : space).trimEnd();
  const open = word.indexOf('[');
  if (open < 0) return undefined;
  const plugin = `the ${field.plugin} plugin's field check of Falco ${target}`;
  if (open === f.name.length) {
    const close = word.indexOf(']', open);
    if (close >= 0) {
      // The check takes the text up to the first ']' as the argument, quotes and '%' included, and throws where the
      // field refuses it (" does not allow nor require an argument but one is provided", an index not in digits:
      // plugin_filtercheck.cpp libs 0.23.1:84-104, 226-264), which the formatter passes on: the load fails, key or
      // not (`%container.name[a"b]`). Where Falco 0.44 reads the bracket as the argument, the output check reports it.
      const problem = f.unreadArg ? bracketArgumentProblem(field, word.slice(open + 1, close), 'output') : undefined;
      if (!problem) return undefined;
      return { message: pluginArgumentMessage(problem.message, field.plugin, target), span: { start: start + open, end: start + close + 1 }, skippable: false };
    }
    return {
      message: `${plugin} reads the output up to the first space, '${word}', and finds no ']' closing the argument ('has unbalanced argument brackets'): the rule fails to load whatever skip-if-unknown-filter says.`.replace(/^t/, 'T'),
      span: { start: start + open, end: start + word.length }, skippable: false,
    };
  }
  return {
    message: `Falco ${target} reads no field at '%${f.name}': ${plugin} reads the output up to the first space, '${word}', and takes its first '[' for the start of the field's argument; it is not right after the name, so the check reads nothing and the output formatter finds no field there ('invalid formatting token'; Falco ${OUTPUT_FORMATTER.pluginArgumentAsTextSince} reads %${f.name} and prints the rest as text).`,
    span: f.nameSpan, skippable: true,
  };
}

/**
 * A field in an output that Falco 0.44 prints as a shorter field and text (outputFallbackField: `%evt.type.is[3]`,
 * `%evt.type.is`, `%ka.uri.param`) where the field's own check throws at Falco 0.37-0.43: their formatter hands the
 * rest of the output to the first check that reads a prefix of it (new_filter_check_from_fldname without the exact
 * check, libs 0.14.2 eventformatter.cpp:151-163, 0.23.1:138-146), which is the longer field's, and passes its error on.
 * evt.type.is reads nothing but a dot after its name ("filter syntax error", sinsp_filtercheck_event.cpp extract_type,
 * libs 0.14.2:225-256, 0.23.1:500-524); a plugin field that requires an argument and has no '[' in its word throws
 * "requires an argument but none provided" (plugin_filtercheck.cpp libs 0.14.2:119-122). err_is_unknown_type_or_field
 * knows neither error (rule_loader_compiler.cpp 0.37.0:401-406, 0.43.0:346-350): the load fails whatever the key says.
 * `problem`: the finding as Falco 0.44 words the field's problem; `fallback`: the field Falco 0.44 prints.
 */
export function fallbackCheckThrowsMessage(problem: string, fallback: string, target: string): string {
  return `${problem} Falco ${target} fails to load whatever skip-if-unknown-filter says: its output formatter hands the text to this field's own check, which throws (Falco ${OUTPUT_FORMATTER.pluginArgumentAsTextSince} prints %${fallback} and the rest as text instead).`;
}

/** Whether the target's formatter lets such a field's check throw (fallbackCheckThrowsMessage). */
export function fallbackCheckThrows(target: string): boolean {
  return newerThanTarget(OUTPUT_FORMATTER.pluginArgumentAsTextSince, target);
}

export function pluginArgumentMessage(problem: string, plugin: string, target: string): string {
  return `${problem} Falco ${target} fails to load whatever skip-if-unknown-filter says: the ${plugin} plugin's field check refuses the argument as the output formatter looks the field up (Falco ${OUTPUT_FORMATTER.pluginArgumentAsTextSince} prints the field and the bracket as text instead).`;
}

/**
 * A filter-only field in an output (OUTPUT_FORMATTER.filterOnlyFields): whether the target fails to load it (Falco
 * 0.37-0.43, except evt.around, whose own check reads it) rather than print what it has, `<NA>` or `<IPNET>`.
 */
export function filterOnlyFailsLoad(name: string, target: string): boolean {
  const info = OUTPUT_FORMATTER.filterOnlyFields.get(name);
  return info !== undefined && !info.ownCheck && newerThanTarget(OUTPUT_FORMATTER.filterOnlyInOutputSince, target);
}

/** The hover's one-line fact about a filter-only field at the target. */
export function filterOnlyFact(name: string, target: string): string {
  const prints = OUTPUT_FORMATTER.filterOnlyFields.get(name)?.prints ?? '<NA>';
  return filterOnlyFailsLoad(name, target) ? `Conditions only: Falco ${target} rejects it in an output.`
    : `Meant for conditions: in an output Falco ${target} prints ${prints}.`;
}

/** What the target does with a filter-only field in an output, and what to print instead. */
export function filterOnlyMessage(name: string, target: string): string {
  const info = OUTPUT_FORMATTER.filterOnlyFields.get(name);
  const instead = info?.instead.length ? ` Print ${info.instead.map((f) => `%${f}`).join(' or ')} instead.` : '';
  const prints = info?.prints === '<IPNET>'
    ? `prints the text <IPNET> for it on a socket (the address it compares, typed as a network, has no printed form) and <NA> elsewhere`
    : `prints <NA> for it (its check only compares, it extracts no value)`;
  if (filterOnlyFailsLoad(name, target)) {
    return `Field '${name}' can be used in conditions only: the output formatter of Falco ${target} rejects it ('is filter only and cannot be used as a display field') and the rule fails to load whatever skip-if-unknown-filter says (Falco ${OUTPUT_FORMATTER.filterOnlyInOutputSince} loads it and prints ${info?.prints ?? '<NA>'}).${instead}`;
  }
  return `Field '${name}' is meant for conditions: in an output Falco ${target} ${prints}.${instead}`;
}

/**
 * A filter-only field in an output, as Falco 0.44 reads it (a warning: the rule loads, the field prints nothing
 * useful); the reporter of an older target rewords it, or reports the load failure (targetVersion.ts).
 */
export function reportFilterOnlyField(sink: ReportSink, name: string, span: Span): void {
  const options: OutputReadOptions = { severity: 2, load: null, filterOnly: name };
  const suggestions = [...(OUTPUT_FORMATTER.filterOnlyFields.get(name)?.instead ?? [])];
  sink.report(Code.UnknownField, span, filterOnlyMessage(name, LATEST_FALCO), { suggestions }, options);
}

/**
 * A `%` reference that opens a transformer and does not parse (`%tolower(proc.name`, `%tolower(proc.name cmd=...`),
 * as each release reads it. Falco 0.44 compiles ever shorter text and none parses: "unknown filter:", which
 * skip-if-unknown-filter covers (eventformatter.cpp libs 0.25.2:125-139). Falco 0.38-0.43 read the `name(` of each
 * transformer they know, glued (eventformatter.cpp 0.17.1:143, 0.23.1:124), then a field, then want a ')' per
 * transformer and throw "missing closing transformer parenthesis" (0.17.1:197, 0.23.1:169), which the key does not
 * cover. Where the chain reaches a transformer the target does not know, or no field follows it, no check reads the
 * text: "invalid formatting token", covered, as at Falco 0.37, whose formatter has no transformers.
 */
export interface OpenTransformerReading {
  /** The transformers opened right after the `%` (and its width), outermost first. */
  chain: string[];
  /** Whether a field's name starts right after the chain. */
  fieldAfter: boolean;
  /** The finding's message without the skip. */
  message: string;
}

/** The reading of the open transformer whose `%` is at `pct` in `output`. */
export function openTransformerReading(output: string, pct: number, message: string): OpenTransformerReading {
  let at = pct + 1;
  while (at < output.length && output.charCodeAt(at) >= 48 && output.charCodeAt(at) <= 57) at++;
  const chain: string[] = [];
  for (let m = /^([A-Za-z_]\w*)\(/.exec(output.slice(at)); m; m = /^([A-Za-z_]\w*)\(/.exec(output.slice(at))) {
    chain.push(m[1]);
    at += m[0].length;
  }
  const word = /^[\w.]+/.exec(output.slice(at))?.[0] ?? '';
  let fieldAfter = false;
  for (let end = word.length; end > 0 && !fieldAfter; end--) fieldAfter = lookupField(word.slice(0, end))?.field.name === word.slice(0, end);
  return { chain, fieldAfter, message };
}

/** Whether the target fails to load on such a reference whatever skip-if-unknown-filter says (see OpenTransformerReading). */
export function openTransformerFailsLoad(reading: OpenTransformerReading, target: string): boolean {
  if (!newerThanTarget(LATEST_FALCO, target) || reading.chain.length === 0) return false;
  return reading.fieldAfter && reading.chain.every((name) => {
    const since = transformerInfo(name)?.since;
    return since !== undefined && !newerThanTarget(since, target);
  });
}

/** Reports such a reference as Falco 0.44 reads it; the reporter of an older target reports its failure. */
export function reportOpenTransformer(sink: ReportSink, skip: boolean, span: Span, message: string, reading: OpenTransformerReading): void {
  if (!skip) return sink.report(Code.OutputSyntax, span, message, undefined, { load: 'LOAD_ERR_COMPILE_OUTPUT', openTransformer: reading } as OutputReadOptions);
  sink.report(Code.OutputSyntax, span, `${message} The rule is skipped because of skip-if-unknown-filter.`, undefined, { severity: 2, load: 'LOAD_UNKNOWN_FILTER', openTransformer: reading } as OutputReadOptions);
}

/** What an older target says of such a reference where it fails to load. */
export function openTransformerMessage(reading: OpenTransformerReading, target: string): string {
  return `${reading.message} Falco ${target} fails to load whatever skip-if-unknown-filter says: its output formatter reads ${reading.chain.map((n) => `'${n}('`).join(' and ')} and the field, then wants ')' ('missing closing transformer parenthesis').`;
}

/**
 * Options of a latest-release output finding that says what Falco prints, for the reporter of an older target
 * (targetVersion.ts), which reads the token differently: `printsField`, the field the message says Falco prints;
 * `pluginThrows`, set on a plugin field's argument that Falco 0.44 prints as text (the problem as the check words it);
 * `filterOnly`, the filter-only field the finding is on (reworded at the target: filterOnlyMessage).
 */
export interface OutputReadOptions extends ReportOptions {
  printsField?: string;
  pluginThrows?: { problem: string; plugin: string };
  /** A filter-only field (filterOnlyMessage), which older targets reject. */
  filterOnly?: string;
  /** A field whose bracket Falco 0.44's parser does not read as its argument, in `output` (bracketReading). */
  unreadBracket?: { field: OutputField; output: string };
  /** A field printed as the shorter `fallback` at 0.44 whose own check throws at older targets (fallbackCheckThrowsMessage). */
  fallbackThrows?: { problem: string; fallback: string };
  /** `%evt.type.is.<text>`, which the older targets' event check reads otherwise, as typeIsAtEndNote says. */
  typeIsRead?: boolean;
  /** A reference that opens a transformer and does not parse (reportOpenTransformer). */
  openTransformer?: OpenTransformerReading;
}

/**
 * How the target reads the bracket after an output field's name that Falco 0.44's filter parser does not read as its
 * argument (OutputField.unreadArg: `%proc.aname[A B]`, `%k8s.pod.label[team name]`, `%proc.env[a %proc.name]`).
 * Falco 0.44 prints the field and the bracket as text, or, where the field needs its argument, finds no field
 * ("unknown filter:", skippable). The formatters of Falco 0.37-0.43 hand the rest of the output to the field's own
 * check instead (eventformatter.cpp libs 0.14.2:151-167, 0.23.1:138-147), which reads on to the first ']' anywhere
 * after the '[', past a '%' too:
 * - `argument`: the check takes that text as the argument and the formatter goes on after the ']': proc.env and
 *   proc.aenv (any text: sinsp_filtercheck_thread.cpp extract_arg, libs 0.14.2:178-196, 0.23.1:786), proc.aname and
 *   the other index fields when the text is a number to sinsp_numparser::parsed32 (0.14.2:160-168), and up to Falco
 *   0.40 libsinsp's k8s and container checks (k8s.*.label: sinsp_filtercheck_k8s.cpp extract_arg, libs 0.14.2,
 *   0.20.0:324-335; container.mount: sinsp_filtercheck_container.cpp 0.20.0:279-300). `close`: the offset after the ']'.
 * - `nameOnly`: the thread check of Falco 0.37-0.42 reads nothing (nameOnlyAtEndNote); from 0.43 it reads the name
 *   and the rest is text, as at 0.44 (`latest`).
 * - `noClose`: no ']' after the '[': the k8s and container checks of Falco 0.37-0.40 throw ("requires an argument
 *   but ']' is not found", "filter syntax error"), which the formatter passes on: the load fails whatever
 *   skip-if-unknown-filter says.
 * - `pluginWord`: a plugin's check reads its word up to the first space (pluginWordProblem says what follows).
 */
export type BracketReading = { kind: 'latest' | 'nameOnly' | 'noClose' | 'pluginWord' } | { kind: 'argument'; arg: string; close: number };

const LATEST_READING: BracketReading = { kind: 'latest' };

export function bracketReading(f: OutputField, output: string, target: string): BracketReading {
  if (!f.unreadArg || !newerThanTarget(OUTPUT_FORMATTER.pluginArgumentAsTextSince, target)) return LATEST_READING;
  const field = lookupField(f.name)?.field;
  if (!field || field.name !== f.name) return LATEST_READING;
  if (field.plugin !== undefined && pluginCheckAt(field.plugin, target)) return { kind: 'pluginWord' };
  const open = f.unreadArg.span.start;
  const close = output.indexOf(']', open);
  const arg = close < 0 ? undefined : output.slice(open + 1, close);
  const read: BracketReading | undefined = arg !== undefined ? { kind: 'argument', arg, close: close + 1 } : undefined;
  const threadSince = OUTPUT_FORMATTER.argumentFallbackFields.get(f.name);
  if (threadSince !== undefined && !newerThanTarget(threadSince, target)) {
    if (read && threadArgumentRead(f.name, arg)) return read;
    return readsNameOnlyAtEnd(f.name, target) ? { kind: 'nameOnly' } : LATEST_READING;
  }
  if (field.arg?.kind !== 'key' && field.arg?.kind !== 'index-or-key') return LATEST_READING;
  if (field.plugin === undefined) return read ?? LATEST_READING;
  return read ?? { kind: 'noClose' };
}

/**
 * The text of an output that the target reads as a field's argument past the next '%' (an `argument` reading whose
 * ']' comes after a '%'), from that '%' to the ']': the references in it are no fields at the target.
 */
export function swallowedText(f: OutputField, output: string, target: string): Span | undefined {
  const reading = bracketReading(f, output, target);
  if (reading.kind !== 'argument') return undefined;
  const pct = output.indexOf('%', f.unreadArg!.span.start);
  return pct >= 0 && pct < reading.close ? { start: pct, end: reading.close } : undefined;
}

/** What the target does with such a bracket where it is not what Falco 0.44 does, or undefined (see BracketReading). */
export function bracketReadingMessage(f: OutputField, output: string, target: string): { message: string; span: Span; fails: boolean } | undefined {
  const reading = bracketReading(f, output, target);
  const open = f.unreadArg?.span.start ?? 0;
  if (reading.kind === 'noClose') {
    return {
      message: `Falco ${target} reads %${f.name} with libsinsp's own check, which takes the text from '[' to the next ']' as the argument and finds no ']' in the rest of the output: the check's error ("requires an argument but ']' is not found") fails the load whatever skip-if-unknown-filter says.`,
      span: f.unreadArg!.span, fails: true,
    };
  }
  if (reading.kind !== 'argument' || !swallowedText(f, output, target)) return undefined;
  return {
    message: `Falco ${target} reads '${reading.arg}' as the argument of %${f.name}: its check takes the text up to the first ']', past the next '%', so what follows that '%' up to the ']' is part of the argument, not a field (Falco ${OUTPUT_FORMATTER.pluginArgumentAsTextSince} prints %${f.name}, the text up to the '%' and the next field).`,
    span: { start: open, end: reading.close }, fails: false,
  };
}

/** What Falco 0.44 prints of such a bracket after a field that does not need its argument (checkOutput reports it). */
export function unreadArgMessage(f: OutputField): string {
  const bracket = f.unreadArg!.text;
  if (f.unreadArg!.fieldInside) return `${f.unreadArg!.why} In an output Falco prints %${f.name} and the text '${bracket}', and the '%' inside the bracket starts a field of its own.`;
  const quoted = /^\[[^"\]]*\]$/.test(bracket) ? ` Quote it if it is the argument: %${f.name}["${bracket.slice(1, -1)}"].` : '';
  return `'${bracket}' is no argument libsinsp can read (${f.unreadArg!.why}): in an output Falco prints %${f.name} followed by the text '${bracket}'.${quoted}`;
}

/** A field that needs its argument, written without one Falco reads. */
export function needsArgumentMessage(name: string, example: string): string {
  return `Field '${name}' needs an argument, e.g. ${example}.`;
}

/**
 * What the target prints of an output field of the thread check that reads its name only at the end of the output
 * (readsNameOnlyAtEnd) when it is not read there, or undefined. `output`: the output's text, which Falco trims
 * (rule_loader_reader.cpp decode of `output`): the name is read when it is all that is left.
 */
export function nameOnlyAtEndNote(f: OutputField, output: string, target: string): string | undefined {
  const typeIs = typeIsAtEndNote(f, output, target);
  if (typeIs) return typeIs;
  if (!readsNameOnlyAtEnd(f.name, target)) return undefined;
  if (f.unreadArg ? bracketReading(f, output, target).kind !== 'nameOnly' : threadArgumentRead(f.name, f.arg?.text)) return undefined;
  if (f.arg === undefined && !f.unreadArg && !f.textAfter && f.nameSpan.end === output.trimEnd().length) return undefined;
  // The formatter prints the rest as text up to the next '%', which starts the next field (`%proc.aname[%proc.name]`).
  const next = output.indexOf('%', f.nameSpan.end);
  const end = Math.max(f.span.end, f.textAfter?.span.end ?? 0, f.unreadArg?.span.end ?? 0);
  return nameOnlyAtEndMessage(f.name, output.slice(f.nameSpan.start, next >= 0 && next < end ? next : end), target);
}

/**
 * `%evt.type.is.<text>` at a target whose formatter hands the field's check the rest of the output (Falco 0.37-0.43:
 * libs 0.14.2 eventformatter.cpp:151-167, 0.23.1:138-151). extract_type takes everything after 'evt.type.is.' as the
 * event's number or name (sinsp_filtercheck_event.cpp libs 0.14.2:225-256, 0.23.1:499-527): a number that is all the
 * rest (tryparseu32's sscanf "%u%c" refuses more text after it) or an event's name that is all the rest is read, and
 * the field loads and works. Anything else reads 0 characters without an error: the formatter adds the check (j += 0,
 * under the empty name in the output fields) and prints the text after the '%' as written, so the field loads. The
 * check compares the event type with m_evtid and m_evtid1, which the reading did not set (no initializer:
 * sinsp_filtercheck_event.h; a number followed by text leaves sscanf's number in m_evtid only), so the 0 or 1 it
 * prints means nothing. Falco 0.44 parses the field name first (libs 0.25.2 eventformatter.cpp:120-141) and reads
 * evt.type.is.<name> anywhere. A rule's own output is trimmed (rule_loader_reader.cpp 0.37.0:714, 0.43.0:881), so a
 * trailing blank does not count. `%evt.type.is` with no dot after it throws instead (fallbackCheckThrowsMessage).
 */
function typeIsAtEndNote(f: OutputField, output: string, target: string): string | undefined {
  if (!fallbackCheckThrows(target) || lookupField(f.name)?.field.name !== 'evt.type.is') return undefined;
  const dot = f.nameSpan.start + 'evt.type.is'.length;
  if (output[dot] !== '.') return undefined;
  const end = output.trimEnd().length;
  // The names of the target's own event table (extract_type looks the name up there).
  const readable = (text: string) => /^\s*[+-]?\d+$/.test(text) || isEventTableNameAt(text, target);
  if (readable(output.slice(dot + 1, end))) return undefined;
  // The token as Falco 0.44 reads it: the name, or the number after the dot.
  const token = f.name === 'evt.type.is' ? output.slice(dot + 1).match(/^[A-Za-z0-9_]*/)![0] : f.name.slice(dot + 1 - f.nameSpan.start);
  const next = output.indexOf('%', f.nameSpan.end);
  const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const printed = clip(output.slice(f.nameSpan.start, next >= 0 ? next : end));
  const rest = clip(output.slice(dot + 1, end));
  const head = `In an output Falco ${target} prints a 0 or 1 that means nothing for %evt.type.is.${token}, and then the text '${printed}': the event check takes all the rest of the output after 'evt.type.is.' ('${rest}') for an event's number or name`;
  if (readable(token)) return `${head}, cannot read it and reads nothing, so the comparison it prints is not set up. It reads the ${/^\d/.test(token) ? 'number' : 'name'} only at the very end of the output (Falco 0.44 reads ${/^\d/.test(token) ? 'no number, and prints %evt.type and the text instead' : 'it anywhere'}): move the field to the end, or print %evt.type.`;
  return `${head}; no event is named '${token}', so it reads nothing and the comparison it prints is not set up. The rule loads all the same (Falco 0.44 prints %evt.type followed by the text '.is.${token}').`;
}

/**
 * The notes a field hover adds for an output's field, as the output checks word them at the target; with `tail`
 * (outputTail), the mid-output reading is judged on the output Falco builds (atEndNoteInOutput).
 */
export function outputFieldNotes(f: OutputField, output: string, target: string, tail?: OutputTail): string[] {
  const atEnd = atEndNoteInOutput(f, output, tail, target);
  if (atEnd) return [atEnd];
  const info = lookupField(f.name)?.field;
  if (info?.conditionOnly) return [filterOnlyMessage(info.name, target)];
  const word = pluginWordProblem(f, output, target);
  if (word) return [word.message];
  if (f.unreadArg && info?.name === f.name) {
    // What checkOutput says (Falco 0.44's reading) where the target reads the bracket so too, else the target's
    // reading, which goes on into the tail.
    const there = inBuiltOutput(f, output, tail);
    if (bracketReading(there.field, there.output, target).kind === 'latest') return [info.arg?.required ? needsArgumentMessage(info.name, info.arg.example) : unreadArgMessage(f)];
    const own = there.field.unreadArg && bracketReadingMessage(there.field, there.output, target);
    return own ? [own.message] : [];
  }
  // A plugin field's argument the plugin refuses, which the target's formatter passes on (conditionChecks.ts
  // reportArgumentProblem reports it so, with pluginThrows, where Falco 0.44 prints a field and the bracket).
  const problem = info?.plugin && f.arg && info.name === f.name ? bracketArgumentProblem(info, f.arg.text, 'output') : undefined;
  if (problem && outputFallbackField(info!.name) !== undefined && pluginArgumentFailsLoad(info!.plugin!, target)) return [pluginArgumentMessage(problem.message, info!.plugin!, target)];
  // A field the target's formatter hands to its own check, which throws, where Falco 0.44 prints a shorter field.
  // (Not `%evt.type.is.5`, which the target's event check reads after the dot: typeIsAtEndNote.)
  const fallback = info?.name === f.name && info.arg?.required && fallbackCheckThrows(target) && !(info.arg.dotOnly && output[f.nameSpan.end] === '.') ? outputFallbackField(info.name) : undefined;
  if (fallback !== undefined) {
    const own = f.arg ? (info!.plugin ? undefined : bracketArgumentProblem(info!, f.arg.text, 'output')?.message) : needsArgumentMessage(info!.name, info!.arg!.example);
    if (own) return [fallbackCheckThrowsMessage(own, fallback, target)];
  }
  return printsTextAfter(f) ? [textAfterMessage(f.name, f.textAfter!.text)] : [];
}

/**
 * The notes of the output field whose name ends at `end` (a document offset) in the rule `item`'s output; with `tail`
 * (outputTail), a field the target reads only at the very end of the output is judged on the output Falco builds.
 */
export function outputFieldNotesAt(item: ModelItem, end: number, target: string, tail?: OutputTail): string[] {
  const node = entryOf(item, 'output')?.value;
  if (node?.kind !== 'scalar' || typeof node.value !== 'string') return [];
  const map = scalarMap(node);
  const fields = parseOutputCached(node.text).fields;
  const f = fields.find((x) => map.span(x.nameSpan.start, x.nameSpan.end).end === end);
  if (!f) return [];
  // Another field's argument read on into the tail may hold this one.
  const built = tail ? node.text.trimEnd() + tail.text : node.text;
  const by = swallowingField(tail ? parseOutputCached(built).fields : fields, f.span.start, built, target);
  if (by) return [swallowedMessage(by, built, target)];
  return outputFieldNotes(f, node.text, target, tail);
}

/**
 * What the output Falco builds puts after a rule item's own output text (`text`), and what puts it there first: the
 * texts of later `override: output: append` items of the rule (rule_loader_collector.cpp selective_append, `output +=
 * " " + text` for a text that is not empty, 0.37.0:267-270, 0.44.0:251-253), then what falco.yaml's append_output adds
 * to the rule at the target (config/rulesFiles.ts configOutputAppends; `appends`, none for a file inside another
 * document, whose Falco is a chart's or an operator's). Undefined when nothing follows, or when the item's text is no
 * part of the rule's output (a later item replaces it).
 */
export interface OutputTail { text: string; by: string }

export function outputTail(file: LoadedFile, load: LoadResult, item: ModelItem, appends: readonly OutputAppend[]): OutputTail | undefined {
  const def = item.kind === 'rule' && item.name !== undefined ? load.final.rules.get(item.name) : undefined;
  if (!def) return undefined;
  // The items whose output texts make up the rule's output, in order.
  let parts: Contribution[] = [];
  for (const c of def.contributions) {
    const op = c.mode === 'override' ? overridesOf(c.item).get('output')?.op : c.mode === 'define' || c.mode === 'redefine' ? 'replace' : undefined;
    const text = outputTextOf(c.item);
    if (op === 'replace' && text !== undefined) parts = [c];
    else if (op === 'append' && text) parts.push(c);
  }
  const at = parts.findIndex((c) => c.item === item && c.file === file);
  if (at < 0) return undefined;
  const later = parts.slice(at + 1);
  const extras = file.uri.includes('#') ? [] : appends.filter((a) => (a.source === undefined || a.source === def.source) && (a.rule === undefined || a.rule === def.name) && a.tags.every((t) => def.tags.includes(t)));
  if (later.length === 0 && extras.length === 0) return undefined;
  const text = later.map((c) => ` ${outputTextOf(c.item)}`).join('') + extras.map((a) => ` ${a.text}`).join('');
  const by = later.length > 0 ? `the text the override at ${lineText(later[0].file, later[0].item.span.start, file)} appends to the rule's output` : `the text falco.yaml's append_output adds to the rule's output (${extras[0].what})`;
  return { text, by };
}

function outputTextOf(item: ModelItem): string | undefined {
  const v = entryOf(item, 'output')?.value;
  return v?.kind === 'scalar' && typeof v.value === 'string' ? v.text : undefined;
}

/**
 * The mid-output reading (nameOnlyAtEndNote) of `f`, a field of a rule item's own output text `own`, judged on the
 * output Falco builds: `own` (trimmed, as the reader decodes it), then `tail`. The field is parsed again in that text,
 * where the tail may close its bracket (`%proc.env[X` and an appended `y]` is `%proc.env[X y]`, which the older thread
 * check reads up to the ']'), or make a field at the end of `own` stand before more text. Without a tail, `own` is the
 * whole output.
 */
export function atEndNoteInOutput(f: OutputField, own: string, tail: OutputTail | undefined, target: string): string | undefined {
  const alone = nameOnlyAtEndNote(f, own, target);
  if (!tail) return alone;
  const built = inBuiltOutput(f, own, tail);
  const note = nameOnlyAtEndNote(built.field, built.output, target);
  if (!note) return undefined;
  return alone === undefined ? `${note} Here the output goes on after this text: ${tail.by}.` : note;
}

/**
 * A field of a rule item's own output text `own` as the output Falco builds holds it: that output (`own`, trimmed as
 * the reader decodes it, then `tail`) and the field parsed there, where the tail may close a bracket `own` leaves
 * open. `f` in `own` without a tail.
 */
export function inBuiltOutput(f: OutputField, own: string, tail: OutputTail | undefined): { field: OutputField; output: string } {
  if (!tail) return { field: f, output: own };
  const output = own.trimEnd() + tail.text;
  const field = parseOutputCached(output).fields.find((g) => g.span.start === f.span.start && g.name === f.name);
  return field ? { field, output } : { field: f, output: own };
}

/** The field whose argument the target reads over `at` (an offset in `output`: swallowedText), if any. */
export function swallowingField(fields: readonly OutputField[], at: number, output: string, target: string): OutputField | undefined {
  return fields.find((g) => {
    const swallowed = g.unreadArg && swallowedText(g, output, target);
    return swallowed !== undefined && swallowed.start <= at && at < swallowed.end;
  });
}

/** Said of a reference inside the argument that the target reads for `by` (swallowedText). */
export function swallowedMessage(by: OutputField, output: string, target: string): string {
  const reading = bracketReading(by, output, target);
  return `Falco ${target} reads no field here: this text is part of the argument it reads for %${by.name}, '${reading.kind === 'argument' ? reading.arg : ''}' (its check takes the text up to the first ']').`;
}

/**
 * `%k8s.pod.label.app.` at a target whose k8s check reads the dot form (FieldArgument.dotFormUntil, Falco 0.37-0.40):
 * the formatter lets the field's check read the rest of the output (eventformatter.cpp libs 0.14.2:151-167,
 * 0.20.0:139-147), which takes letters, digits and `/_-.` after the dot (sinsp_filtercheck_k8s.cpp extract_arg, libs
 * 0.14.2:142-160, 0.20.0:314-343), so a dot right after the label is part of it. No Kubernetes label key ends with a
 * dot (each part of a key begins and ends with a letter or digit): the field finds no label.
 */
export function trailingDotLabelMessage(field: string, label: string, target: string): string {
  const meant = withoutTrailing(label, '.');
  return `Falco ${target} reads the label '${label}' here, final dot included: its k8s check takes letters, digits and /_-. after the dot. No Kubernetes label key ends with '.', so the field finds no label. For the label '${meant}', write %${field}[${meant}].`;
}
