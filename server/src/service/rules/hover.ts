// Hovers in rules files: fields, macros, lists, rule names, operators, transformers, priorities, tags, sources and
// keys. Everything that comes from a workspace file (names, conditions, descriptions, paths) is untrusted and goes
// through the Markdown escaping helpers; knowledge-base text is the project's own.
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { clippedProse, codeBlock, codeSpan, escapeMarkdown, knowledgeText } from '../markdown';
import { CONTAINER_PLUGIN_SINCE, deprecatedAt, dotArgumentCut, eventCodesOfName, eventCodesOfNameAt, olderEventTableOf, EVENT_NAMES_SINCE, EVENT_TABLE_LIBS_VERSION, falcoRelease, FALCO_RELEASES, FALCO_TARGETS, LATEST_FALCO, RULE_KEYS_SINCE, lookupField, mitreForTag, mitreName, newerThanTarget, MATURITY_MEANING, officialOrigin, olderDotForm, playbookFor, type FieldArgument, type FieldInfo, type FieldType } from '../../knowledge';
import { removalNote, removedField, type RemovedField } from '../../knowledge/fields/removed';
import { entryOf, scalarText, type AliasUse, type MapEntry, type ModelItem, type ModelNode, type Span } from './model';
import { FIELD_VALUE_SINCE, OPERATOR_MODIFIERS, operatorAddedIn, operatorInfo, operatorRejection, transformerInfo } from './operators';
import { APPENDABLE, KNOWN_SOURCES, PLUGIN_SOURCES, PRIORITIES, REPLACEABLE, REQUIRED_KEYS } from './schema';
import { conditionListWordNear, tokenAt, type ConditionWord, type FileAnalysis, type RulesToken, type TokenPlace, loadedListNames } from './semanticTokens';
import { fileLabel, itemRefusal, listItemNamesList, type Contribution, type LoadResult, type LoadedFile } from './workspace';
import { table } from '../../knowledge/table';
import { fallbackCheckThrows, filterOnlyFact, needsArgumentMessage, outputFieldNotesAt, outputTail, trailingDotLabelMessage } from './outputReading';
import type { OutputAppend } from '../config/rulesFiles';
import { dotArgumentCutNote, labelBracket, pluginFieldNeedingArgument } from './conditionChecks';
import { itemLabel, textReaders } from './validate';
import { engineReleases, engineSatisfies, requiredEngine } from './targetVersion';

export interface HoverContext {
  load: LoadResult;
  file: LoadedFile;
  analysis: FileAnalysis;
  offset: number;
  /** The Falco release the rules are checked for (falcoLens.falcoVersion); the latest when absent. */
  falcoVersion?: string;
  /** What falco.yaml's append_output adds to the rules' outputs (read when a note needs it). */
  appends?: () => readonly OutputAppend[];
}

function markdown(parts: (string | undefined)[]): MarkupContent {
  return { kind: 'markdown', value: parts.filter((p): p is string => p !== undefined && p !== '').join('\n\n') };
}

/** A link to a line of a file: `file:///…#Lnn`, with characters that could end the link target percent-encoded. */
export function lineLink(uri: string, line: number, label: string): string {
  return `[${escapeMarkdown(label)}](${lineTarget(`${uri}#L${line + 1}`)})`;
}

/** A URI as lineLink writes it in a link target (the characters that could end the target percent-encoded). */
export function lineTarget(uri: string): string {
  return uri.replace(/[()<>\s"'`\\[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** An alias of a YAML file read as yaml-cpp reads it: the `*name` and the span of the node its anchor gives. */
export interface AliasAt { anchor: string; at: readonly [number, number]; target: readonly [number, number] }

const ALIAS_HOVER_LINES = 12;
const ALIAS_HOVER_WIDTH = 120;

const ANCHOR_TO_NODE = /^(?:\s|#[^\r\n]*(?![^\r\n])|![^\s#]*(?![^\s#]))*$/;

/**
 * Where `&name` is written before the node it anchors (the node's span starts after the anchor and any tag): the
 * anchor's own text, else the node's start.
 */
export function anchorSpan(text: string, alias: AliasAt): [number, number] {
  const start = alias.target[0];
  const mark = `&${alias.anchor}`;
  const at = text.lastIndexOf(mark, start);
  const between = at >= 0 ? text.slice(at + mark.length, start) : '';
  // Only blanks, line breaks, comments and a tag may stand between an anchor and its node. Each comment runs to its
  // line's end and each tag to a blank or `#` (the lookaheads): /^(?:\s|#[^\r\n]*|![^\s]*)*$/ split a run of `!` or
  // `#` every way before failing, exponential in its length (an `&a` in a comment after the anchor, then 40 `!` and a
  // word, hung the alias's hover).
  if (at >= 0 && ANCHOR_TO_NODE.test(between)) return [at, at + mark.length];
  return [start, start];
}

/** The alias of a rules file's model written at an offset (its `*name`, the offset at its end included). */
export function aliasAt(aliases: readonly AliasUse[] | undefined, offset: number): AliasAt | undefined {
  const use = aliases?.find((u) => u.at.start <= offset && offset <= u.at.end);
  return use && { anchor: use.anchor, at: [use.at.start, use.at.end], target: [use.target.start, use.target.end] };
}

/**
 * The hover of a YAML alias (rules files, falco.yaml, their blocks in manifests): the node yaml-cpp reads in its place
 * (the anchored text, escaped and cut to a few lines), and a link to its anchor.
 */
export function aliasMarkdown(text: string, lineOf: (offset: number) => number, uri: string, alias: AliasAt): string {
  const [start, end] = alias.target;
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const column = start - lineStart;
  // A block node's span may end after its last line break (the `yaml` package's): no blank lines at its end. trimEnd,
  // not /\s+$/, which retried from every blank of a long run inside the node (quadratic).
  const all = text.slice(start, end).trimEnd().split(/\r\n|\r|\n/);
  // The node's later lines without the indentation of the line it starts on (its own, as written, beyond that).
  const indent = Math.min(column, ...all.slice(1).filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  const lines = all.map((l, i) => (i === 0 ? l : l.slice(Math.min(indent, l.length - l.trimStart().length))));
  const shown = lines.slice(0, ALIAS_HOVER_LINES).map((l) => (l.length > ALIAS_HOVER_WIDTH ? `${l.slice(0, ALIAS_HOVER_WIDTH - 1)}…` : l));
  const left = lines.length - shown.length;
  const anchorAt = anchorSpan(text, alias)[0];
  const line = lineOf(anchorAt);
  const where = lineLink(uri, line, `${baseName(uri)}:${line + 1}`);
  return markdown([
    `**YAML alias** ${codeSpan(`*${alias.anchor}`)}: Falco's YAML reader (yaml-cpp) reads here the node anchored by ${codeSpan(`&${alias.anchor}`)} at ${where}:`,
    start === end ? '(an empty node: null)' : codeBlock(shown.join('\n'), 'yaml'),
    left > 0 ? `… ${left.toLocaleString('en-US')} more line${left === 1 ? '' : 's'} of the anchored node.` : undefined,
  ]).value;
}

function baseName(uri: string): string {
  const clean = uri.replace(/[?#].*$/, '');
  try { return decodeURIComponent(clean.slice(clean.lastIndexOf('/') + 1)); } catch { return clean.slice(clean.lastIndexOf('/') + 1); }
}

const MODE_LABEL: Record<Contribution['mode'], string> = {
  define: 'defined', redefine: 'redefined (replaces the earlier definition)', override: 'overridden',
  'append-legacy': 'appended (`append: true`)', 'enable-legacy': 'enabled/disabled (standalone `enabled`)',
};

function overrideSummary(c: Contribution): string {
  if (c.mode !== 'override') return MODE_LABEL[c.mode];
  const o = entryOf(c.item, 'override')?.value;
  if (o?.kind !== 'map') return 'overridden';
  const parts = o.entries.map((e) => `${e.key}: ${scalarText(e.value) ?? '?'}`);
  return parts.length ? `overridden (${parts.map((p) => codeSpan(p)).join(', ')})` : 'overridden';
}

/**
 * The places of the contributions, each once with the number of times Falco loads it: a file that configured paths
 * load twice (LoadedFile.sameAs) contributes once per load, from the same item.
 */
function contributionPlaces(contributions: readonly Contribution[]): { first: Contribution; loads: number }[] {
  const out: { first: Contribution; loads: number }[] = [];
  const byPlace = new Map<string, { first: Contribution; loads: number }>();
  for (const c of contributions) {
    const key = `${c.file.sameAs ?? c.file.uri}\u0000${c.item.span.start}`;
    const known = byPlace.get(key);
    if (known && known.first.file.model.text === c.file.model.text) { known.loads++; continue; }
    const place = { first: c, loads: 1 };
    byPlace.set(key, place);
    out.push(place);
  }
  return out;
}

/** "Where": one line per place that contributes, with a link to it. */
function whereLines(contributions: readonly Contribution[]): string {
  const MAX = 12;
  const places = contributionPlaces(contributions);
  const lines = places.slice(0, MAX).map(({ first: c, loads }) => {
    const span = c.item.nameSpan ?? c.item.span;
    const line = c.file.model.lines.positionAt(span.start).line;
    const notes = [c.file.configured ? 'configured rules file' : undefined, c.file.outside ? 'a file Falco Lens does not load: checked as if loaded last' : undefined, loads > 1 ? `loaded ${loads === 2 ? 'twice' : `${loads} times`}` : undefined].filter(Boolean);
    return `- ${overrideSummary(c)} in ${lineLink(c.file.uri, line, `${c.file.uri.includes('#') ? baseName(c.file.uri) : fileLabel(c.file)}:${line + 1}`)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  });
  if (places.length > MAX) lines.push(`- … and ${places.length - MAX} more`);
  return lines.join('\n');
}

function clip(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields, operators, transformers

/** `0.41.0` → `0.41`: how releases are named to users. */
const release = (version: string) => version.split('.').slice(0, 2).join('.');

/** What the target release lacks: said only when it lacks it, so the latest release adds nothing to a hover. */
function notInTarget(since: string | undefined, target: string): string | undefined {
  return newerThanTarget(since, target) ? `**Not in Falco ${release(target)}** (the target release): added in Falco ${release(since!)}.` : undefined;
}

/**
 * What each family of removed fields read, in the words of its libsinsp field tables (sinsp_filtercheck_syslog.cpp at
 * libs 0.20.0; sinsp_filtercheck_mesos.cpp, _tracer.cpp and _evtin.cpp at libs 0.21.0).
 */
const REMOVED_FAMILY: Record<RemovedField['family'], string> = {
  syslog: 'the messages processes sent to syslog: facility, severity and message text',
  mesos: 'the Mesos task and framework and the Marathon app and group of the event',
  tracer: 'tracer spans: `span.*` the span of a tracer event, `evtin.span.*` the spans an event happened inside',
};

/**
 * A field the catalog (Falco 0.44) lacks because a later libs release removed it (knowledge/fields/removed.ts). At a
 * target that still has it: its type and the release that removed it. At a later target the rules service reports it
 * as an unknown field naming that release, and the hover says the same.
 */
function removedFieldMarkdown(removed: RemovedField, target: string): string {
  const argument = removed.arg === undefined ? undefined
    : `Argument: required, ${removed.arg === 'dot' ? `after a dot (${codeSpan(`${removed.name}.name`)})` : removed.arg === 'index' ? `a number in brackets (${codeSpan(`${removed.name}[0]`)})` : 'a number in brackets or a name after a dot'}`;
  const facts = [`Type: ${codeSpan(removed.type)}`, argument].filter((x): x is string => x !== undefined).map((f) => `- ${f}`).join('\n');
  const read = `It read ${REMOVED_FAMILY[removed.family]}.`;
  if (!newerThanTarget(target, removed.until)) {
    return markdown([`**Field** ${codeSpan(removed.name)}`,
      `A libsinsp field that Falco ${release(target)} has; Falco ${FALCO_TARGETS[FALCO_TARGETS.indexOf(removed.until) + 1]} removed it.`, read, facts]).value;
  }
  return markdown([`**Field** ${codeSpan(removed.name)} — removed`,
    `**Not in Falco ${release(target)}** (the target release): ${removalNote(removed)} Falco reports it as an unknown field.`, read, facts]).value;
}

/** The argument line of a field's facts: form, kind, example, and the releases that changed how it is written. */
function argumentFact(name: string, a: FieldArgument): string {
  const form = a.dotOnly ? ' (the dot form only: Falco rejects the argument in brackets)'
    : a.dotForm ? ` (the dot form ${codeSpan(`${name}.name`)} works too)`
      : a.dotFormUntil ? ` (up to Falco ${release(a.dotFormUntil)} the dot form ${codeSpan(`${name}.name`)} works too)` : '';
  return `Argument: ${a.required ? 'required' : 'optional'}, ${a.kind === 'index' ? 'a number' : a.kind === 'key' ? 'a name' : 'a number or a name'}, e.g. ${codeSpan(a.example)}${form}${a.since ? `; since Falco ${release(a.since)}` : ''}`;
}

/**
 * What the target says about the argument as written: one it does not take yet (FieldArgument.since), or a dot form
 * that only older releases read (`dotArg`, FieldArgument.dotFormUntil). In an output the formatter prints the field
 * and then the rest as text where a condition fails (targetVersion.ts reportNewArgument says the same).
 */
function argumentInTarget(info: FieldInfo, arg: string | undefined, dotArg: string | undefined, target: string, place?: TokenPlace, bracketForm?: string): string | undefined {
  const a = info.arg;
  if (arg !== undefined && dotArg === undefined && newerThanTarget(a?.since, target)) {
    const reads = place === 'output' ? `in an output prints ${codeSpan(`%${info.name}`)} followed by the text ${codeSpan(`[${arg}]`)}`
      : `reads ${codeSpan(`${info.name}[${arg}]`)} as a nonexistent field`;
    return `**Not in Falco ${release(target)}** (the target release): the argument was added in Falco ${release(a!.since!)}; Falco ${release(target)} ${reads}.`;
  }
  if (arg === undefined && dotArg === undefined && newerThanTarget(a?.since, target)) {
    // Also the documentation of the field's completion item, which is the same in conditions and outputs.
    const bracket = a!.example.startsWith(info.name) ? a!.example.slice(info.name.length) : '[0]';
    return `Falco ${release(target)} (the target release) reads ${codeSpan(info.name)} without an argument only, which came with Falco ${release(a!.since!)}: a condition reads ${codeSpan(`${info.name}${bracket}`)} as a nonexistent field, an output prints ${codeSpan(`%${info.name}`)} followed by the text ${codeSpan(bracket)}.`;
  }
  if (dotArg === undefined || !a?.dotFormUntil) return undefined;
  const older = !newerThanTarget(target, a.dotFormUntil);
  if (older && place === 'output' && dotArg.endsWith('.')) return escapeMarkdown(trailingDotLabelMessage(info.name, dotArg, release(target)));
  // The label named in brackets is the one the dot form meant (labelBracket), or none when that is unclear.
  const brackets = bracketForm !== undefined ? `: ${codeSpan(bracketForm)}` : `, e.g. ${codeSpan(a.example)}`;
  return older
    ? `Falco ${release(target)} (the target release) reads the dot form; from Falco ${FALCO_TARGETS[FALCO_TARGETS.indexOf(a.dotFormUntil) + 1]} on only ${bracketForm !== undefined ? `${codeSpan(bracketForm)} works` : `the bracket form works${brackets}`}.`
    : `**Not in Falco ${release(target)}** (the target release) in the dot form: Falco ${release(a.dotFormUntil)} and older read it, later releases take the argument in brackets only${brackets}.`;
}

/**
 * What Falco's condition parser makes of a field name with text glued to it that no field name takes (RulesToken.glued,
 * condition.ts fieldNameEnd): the field it reads, then a syntax error. An exception field is pasted into the condition.
 */
function gluedNote(read: string, glued: string, dotArg: string | undefined, bracketForm: string | undefined, place?: TokenPlace, since?: string): string {
  const who = place === 'exception-fields' ? 'Falco pastes exception fields into the rule\'s condition, whose parser' : 'Falco\'s condition parser';
  const reads = dotArg !== undefined ? `${codeSpan(read)}, the argument ${codeSpan(dotArg)},` : codeSpan(read);
  return `**${who} ends the field name before ${codeSpan(glued)}**: it reads ${reads} then expects an operator and fails there (a field name is letters, digits and ${codeSpan('_')}, in dot-separated parts that start with a letter).${bracketForm ? ` In brackets the whole argument is read, ${since ? `from Falco ${release(since)} on (the field's first release)` : 'at every release'}: ${codeSpan(bracketForm)}.` : ''}`;
}

/**
 * Which plugin gives the field, at the target: the container plugin's fields were libsinsp's own up to Falco 0.40
 * (Falco 0.41 bundles the plugin and moved container.* and k8s.* out of libsinsp; knowledge/fields/container.ts).
 */
function pluginNote(info: FieldInfo, target: string): string {
  if (!info.plugin) return '';
  if (info.plugin === 'container' && newerThanTarget(CONTAINER_PLUGIN_SINCE, target) && !newerThanTarget(info.since, target)) return ` — built into libsinsp in Falco ${target} (the \`container\` plugin provides it from Falco ${CONTAINER_PLUGIN_SINCE} on)`;
  return ` — provided by the ${codeSpan(info.plugin)} plugin`;
}

/** `place`: where the field is written (a token's place), which changes what the target does with its argument.
 *  `glued`: text after the name that Falco's parser takes into no field name (RulesToken.glued).
 *  `readAfterDot`: the target's own check of the field reads the text after the dot that follows the name. */
export function fieldMarkdown(written: string, info: FieldInfo | undefined, arg: string | undefined, target = LATEST_FALCO, place?: TokenPlace, glued?: string, bracketForm?: string, readAfterDot = false): string {
  let dotArg: string | undefined;
  let unread: FieldInfo | undefined;
  if (!info) {
    const older = olderDotForm(written);
    if (older) ({ field: info, arg: dotArg } = older);
    // `container.label.x`: a plugin's field whose argument no release reads after a dot (conditionChecks.ts checkField).
    else info = unread = pluginFieldNeedingArgument(written);
  }
  // `thread.cgroup.cpu1`: the check reads less than the name, which then names no field (conditionChecks.ts checkField).
  const cut = info ? undefined : dotArgumentCut(written);
  if (cut) info = cut.field;
  if (!info) {
    const removed = removedField(written.replace(/\[.*$/, ''))?.field;
    if (removed) return removedFieldMarkdown(removed, target);
    return markdown([`${codeSpan(written)} — not a field known to Falco Lens.`,
      glued !== undefined ? gluedNote(written, glued, undefined, undefined, place) : undefined,
      'It may come from a plugin whose fields are not in the catalog; Falco checks it when the rules are loaded.']).value;
  }
  // With text glued after it, the dot form a target reads is cut short: the note says what is read instead.
  const cutDotForm = glued !== undefined && dotArg !== undefined && info.arg?.dotFormUntil !== undefined && !newerThanTarget(target, info.arg.dotFormUntil);
  const facts = [
    `Type: ${codeSpan(info.type)}${info.isList ? ' (a list of values)' : ''}`,
    `Sources: ${info.sources.map((s) => codeSpan(s)).join(', ')}${pluginNote(info, target)}`,
    info.since ? `Since Falco ${escapeMarkdown(info.since)}` : undefined,
    info.arg ? argumentFact(info.name, info.arg) : undefined,
    arg !== undefined || dotArg !== undefined ? `Argument here: ${codeSpan((arg ?? dotArg)!)}` : undefined,
    info.conditionOnly ? escapeMarkdown(filterOnlyFact(info.name, target)) : undefined,
    info.outputOnly ? 'Meant for outputs.' : undefined,
  ].filter((x): x is string => x !== undefined);
  return markdown([
    `**Field** ${codeSpan(info.name)}`,
    knowledgeText(info.desc),
    notInTarget(info.since, target),
    glued !== undefined ? gluedNote(written, glued, dotArg, bracketForm, place, info.since) : undefined,
    cutDotForm ? undefined : argumentInTarget(info, arg, dotArg, target, place, bracketForm),
    cut ? `**${codeSpan(written)} is no field to Falco**: ${escapeMarkdown(dotArgumentCutNote(cut).replace(/^T/, 't'))}` : undefined,
    // Written without the argument it needs (`%container.label`, `%container.label.x` in an output, an exception
    // field): what the findings say (conditionChecks.ts checkField).
    info.arg?.required && arg === undefined && dotArg === undefined && !readAfterDot && !unread && !cut && glued === undefined && !newerThanTarget(info.since, target)
      ? `**Needs an argument here**: ${escapeMarkdown(needsArgumentMessage(info.name, info.arg.example))}` : undefined,
    // Where the parser fails first (glued text), that failure is all the findings say.
    unread && glued === undefined && !newerThanTarget(unread.since, target)
      ? `**Falco reads ${codeSpan(written)} as ${codeSpan(unread.name)} without an argument** and rejects it: the field takes its argument in brackets only${bracketForm !== undefined ? `: ${codeSpan(bracketForm)}` : `, e.g. ${codeSpan(unread.arg!.example)}`}.` : undefined,
    info.deprecated && deprecatedAt(info, target) ? `**Deprecated:** ${knowledgeText(info.deprecated)}` : undefined,
    info.deprecated && !deprecatedAt(info, target) ? `Deprecated from Falco ${release(info.deprecatedSince!)}; Falco ${release(target)} does not warn about it.` : undefined,
    facts.map((f) => `- ${f}`).join('\n'),
    info.values ? `Values: ${knowledgeText(info.values)}` : undefined,
  ]).value;
}

const FAMILY_SAMPLES: { label: string; type: FieldType }[] = [
  { label: 'strings and paths', type: 'CHARBUF' }, { label: 'numbers', type: 'UINT64' }, { label: 'booleans', type: 'BOOL' },
  { label: 'buffers', type: 'BYTEBUF' }, { label: 'IP addresses and networks', type: 'IPADDR' },
];

const NUMERIC_OPERATORS = new Set(['<', '<=', '>', '>=']);

export function operatorMarkdown(name: string, target = LATEST_FALCO): string | undefined {
  const op = operatorInfo(name);
  if (!op) {
    const modifier = OPERATOR_MODIFIERS.find((m) => m.name === name);
    if (!modifier) return undefined;
    return markdown([`**Operator modifier** ${codeSpan(modifier.name)}`, knowledgeText(modifier.summary),
      `Written after a string operator and before a list: ${codeSpan(`proc.name startswith ${modifier.name} (a, b)`)}. Since Falco ${modifier.since}.`,
      notInTarget(modifier.since, target)]).value;
  }
  const accepted = FAMILY_SAMPLES.filter((s) => operatorRejection(op.name, s.type) === undefined).map((s) => s.label);
  const operand = op.arity === 'unary' ? 'No value: it tests the field alone.'
    : op.arity === 'list' ? 'Value: a list `(a, b, "c d")` or the name of a list.'
    // libsinsp's grammar: NumOperator (NumValue | FieldTransformerOrVal), parser.h:56-69 at libs 0.25.2.
    : NUMERIC_OPERATORS.has(op.name) ? 'Value: a number (decimal or `0x` hex) or `val(<field>)`; a string there is a syntax error.'
    : 'Value: one string, number or `val(<field>)`.';
  return markdown([
    `**Operator** ${codeSpan(op.name)}`,
    knowledgeText(op.summary),
    operand,
    op.name === 'exists' ? 'Works with fields of every type.' : `Works with fields of these types: ${accepted.length ? accepted.join(', ') : 'none of the common ones'}.`,
    op.acceptsModifier ? 'Accepts `oneof`, `anyof` and `allof` (Falco 0.44).' : undefined,
    operatorAddedIn(op) ? `Available since Falco ${operatorAddedIn(op)}.` : undefined,
    notInTarget(op.since, target),
  ]).value;
}

export function transformerMarkdown(name: string, target = LATEST_FALCO): string | undefined {
  if (name === 'val') return markdown(['**val()**', 'Compares with the value of another field of the same event: `proc.name = val(proc.pname)`.', `Since Falco ${FIELD_VALUE_SINCE}.`, notInTarget(FIELD_VALUE_SINCE, target)]).value;
  const t = transformerInfo(name);
  if (!t) return undefined;
  return markdown([`**Transformer** ${codeSpan(`${t.name}()`)}`, knowledgeText(t.summary), `Result type: ${codeSpan(t.output)}${t.outputIsList ? ' (a list)' : ''}. Since Falco ${t.since}.`, notInTarget(t.since, target)]).value;
}

const KEYWORDS: Record<string, string> = table({
  and: 'Both sides must hold. `and` binds tighter than `or`.',
  or: 'Either side must hold.',
  not: 'Negates the expression that follows.',
});

// ---------------------------------------------------------------------------------------------------------------
// Macros, lists, rules

/**
 * For a name no loaded file defines: the official rules file that defines one of that name, with its maturity (or
 * plugin) and how to load it, as the rules diagnostics say it (validate.ts officialFileHint: "comes from" with the
 * quick fix that opens falcoLens.rules.files). Undefined for a name no official file has.
 */
function officialFileNote(kind: 'macro' | 'list' | 'rule', name: string): string | undefined {
  const origin = officialOrigin(kind, name);
  if (!origin) return undefined;
  const what = origin.maturity ? ` (maturity ${codeSpan(origin.maturity)}: ${MATURITY_MEANING[origin.maturity]})` : origin.plugin ? ` (the rules of the ${codeSpan(origin.plugin)} plugin)` : '';
  return `It is a ${kind} of Falco's official ${codeSpan(origin.file)}${what}, which is not among the loaded rules files: load it first `
    + '(the setting `falcoLens.rules.files`, or `--rules` on the command line; Falco hosts keep it in `/etc/falco`) or put a copy in the workspace.';
}

function notLoadedMarkdown(kind: 'macro' | 'list' | 'rule', name: string, load?: LoadResult): string {
  const title = { macro: '**Macro**', list: '**List**', rule: '**Rule**' }[kind];
  const note = officialFileNote(kind, name);
  // Items of the name that are written but not loaded (refused, or changing nothing defined before them).
  const written: string[] = [];
  for (const file of load?.files ?? []) {
    if (file.sameAs) continue;
    for (const item of file.model.items) {
      if (item.kind !== kind || item.name !== name || contributes(item, load!)) continue;
      if (written.length < 4) written.push(`- ${placeLink(file, (item.nameSpan ?? item.span).start)}: ${notLoadedReason(item, file, load!)}`);
    }
  }
  return markdown([`${title} ${codeSpan(name)}`, `Not defined in any loaded rules file.${note ? ` ${note}` : ''}`,
    written.length ? `Written but not loaded:\n${written.join('\n')}` : undefined]).value;
}

/** A place in a loaded file as a link, named as the where-lines name it. */
function placeLink(file: LoadedFile, offset: number): string {
  const line = file.model.lines.positionAt(offset).line;
  return lineLink(file.uri, line, `${file.uri.includes('#') ? baseName(file.uri) : fileLabel(file)}:${line + 1}`);
}

/** Whether a rule, macro or list item contributes to the load (its definition, override or append was taken). */
function contributes(item: ModelItem, load: LoadResult): boolean {
  if (item.name === undefined || (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list')) return true;
  const defs = item.kind === 'rule' ? load.final.rules : item.kind === 'macro' ? load.final.macros : load.final.lists;
  return defs.get(item.name)?.contributions.some((c) => c.item === item) ?? false;
}

/**
 * Why a rule, macro or list item contributes nothing to the load, as the loader found it: an override, append or
 * `enabled` of a name no file loaded before defines (collector: "... has no previous definition", LOAD_ERR_VALIDATE;
 * the definition may come later in the load order), or an item Falco's reader refuses at the target release
 * (itemRefusal: rule_loader_reader.cpp read_item throws, and the item defines nothing).
 */
function notLoadedReason(item: ModelItem, file: LoadedFile, load: LoadResult): string {
  const kind = item.kind as 'rule' | 'macro' | 'list';
  if (load.findings.get(item)?.some((f) => f.code === 'no-previous-definition')) {
    const defs = kind === 'rule' ? load.final.rules : kind === 'macro' ? load.final.macros : load.final.lists;
    const later = defs.get(item.name!)?.contributions.find((c) => c.mode === 'define' || c.mode === 'redefine');
    const after = later ? ` The ${kind} is defined only later in the load order, at ${placeLink(later.file, (later.item.nameSpan ?? later.item.span).start)}: Falco reads the rules files, and each file's items, in order, so a change must come after the definition.` : '';
    return `it changes a ${kind} that no item loaded before it defines, and Falco refuses it ("has no previous definition").${after}`;
  }
  if (itemRefusal(item, load.target) !== undefined) return `Falco's reader refuses this item${load.target ? ` at Falco ${load.target}` : ''} (the error on it says why), so it defines and changes nothing.`;
  if (file.outside) return 'its file is not among the rules files Falco Lens loads.';
  return 'Falco takes nothing of this item (the findings on it say why).';
}

/**
 * The hover of a rule, macro or list item's own name when the item is not loaded (notLoadedReason): why, then the
 * item as written (a rule's description and facts, a macro's condition, a list's items), then the loaded definition
 * of the name, if any.
 */
function unloadedItemMarkdown(item: ModelItem, file: LoadedFile, load: LoadResult): string {
  const kind = item.kind as 'rule' | 'macro' | 'list';
  const name = item.name!;
  const text = (key: string) => scalarText(entryOf(item, key)?.value);
  const own: (string | undefined)[] = [];
  if (kind === 'rule') {
    const desc = text('desc');
    if (desc?.trim()) own.push(clippedProse(desc.trim(), 600));
    const facts = [text('priority') ? `Priority: ${codeSpan(text('priority')!.trim())}` : undefined, text('source') ? `Source: ${codeSpan(text('source')!.trim())}` : undefined].filter(Boolean);
    if (facts.length) own.push(facts.join(' · '));
  }
  const condition = kind !== 'list' ? text('condition') : undefined;
  if (condition?.trim()) own.push('Condition as written:', codeBlock(clip(condition.trim())));
  if (kind === 'list') {
    const items = entryOf(item, 'items')?.value;
    const values = items?.kind === 'seq' ? items.items.map((n) => scalarText(n)).filter((v): v is string => v !== undefined) : undefined;
    if (values) own.push(`Items as written (${values.length}):`, codeBlock(clip(`[${values.slice(0, 60).join(', ')}${values.length > 60 ? `, … (${values.length - 60} more)` : ''}]`)));
  }
  const defs = kind === 'rule' ? load.final.rules : kind === 'macro' ? load.final.macros : load.final.lists;
  const loaded = defs.get(name);
  const title = { macro: '**Macro**', list: '**List**', rule: '**Rule**' }[kind];
  return markdown([
    `${title} ${codeSpan(name)} — not loaded`,
    `**Not loaded:** ${notLoadedReason(item, file, load)}`,
    ...own,
    loaded ? `The loaded ${kind} of this name:\n${whereLines(loaded.contributions)}` : officialFileNote(kind, name),
  ]).value;
}

function macroMarkdown(name: string, load: LoadResult): string {
  const macro = load.final.macros.get(name);
  if (!macro) return notLoadedMarkdown('macro', name, load);
  const changed = contributionPlaces(macro.contributions).length > 1;
  return markdown([
    `**Macro** ${codeSpan(name)}`,
    `${changed ? 'Effective condition (after overrides and appends)' : 'Condition'}:`,
    codeBlock(clip(macro.condition.trim())),
    whereLines(macro.contributions),
  ]).value;
}

function listMarkdown(name: string, load: LoadResult): string {
  const list = load.final.lists.get(name);
  if (!list) return notLoadedMarkdown('list', name, load);
  const MAX = 60;
  const shown = list.items.slice(0, MAX).join(', ') + (list.items.length > MAX ? `, … (${list.items.length - MAX} more)` : '');
  return markdown([
    `**List** ${codeSpan(name)} — ${list.items.length} item${list.items.length === 1 ? '' : 's'}${contributionPlaces(list.contributions).length > 1 ? ' after overrides and appends' : ''}`,
    list.items.length ? codeBlock(clip(`[${shown}]`)) : undefined,
    whereLines(list.contributions),
  ]).value;
}

/**
 * A loaded list's name where a macro reference would be read: Falco pastes the list's items there before it resolves
 * macros (resolve_list on the condition's text, then resolve_macros: rule_loader_compiler.cpp 0.44.0:276-283,
 * 0.37.0:294-304), so the word is the list (navigation.ts symbolAt; conditionChecks.ts reportListNamesElsewhere).
 */
function listForMacroMarkdown(name: string, load: LoadResult): string {
  const macro = load.final.macros.has(name) ? ` The macro ${codeSpan(name)} is not read here.` : '';
  return markdown([listMarkdown(name, load),
    `Not a macro reference: Falco replaces this word with the list's items before it resolves macros (it expands lists in the condition's text wherever a list's name stands between blanks, parentheses, commas or ${codeSpan('=')}).${macro}`]).value;
}

/**
 * A loaded list's name in a condition where Falco Lens reads something else (a field, an operator, a keyword, a value
 * after an operator that takes one, a word inside a quoted string): Falco replaces the word by the list's items before
 * libsinsp reads the condition (resolve_list on the text, rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238;
 * semanticTokens.ts conditionListWords), so the word is the list. A macro reference says listForMacroMarkdown; a list
 * operator's item is a plain list use.
 */
function listWordMarkdown(word: ConditionWord, token: RulesToken | undefined, load: LoadResult, text: string): string {
  const inside = token && token.span.start <= word.span.start && word.span.end <= token.span.end;
  const at = inside && token.span.start === word.span.start && token.span.end === word.span.end;
  const what = !inside ? 'this word'
    : token.kind === 'field' && at ? `the field ${codeSpan(token.name)}`
    : token.kind === 'operator' && at ? `the operator ${codeSpan(token.name)}`
    : token.kind === 'transformer' && at ? `the transformer ${codeSpan(token.name)}`
    : token.kind === 'keyword' && at ? `the keyword ${codeSpan(token.name)}`
    : token.kind === 'string' && !at && /^["']/.test(text.slice(token.span.start, token.span.start + 1)) ? 'this word of a quoted string (a quote is no delimiter, but blanks, commas, parentheses and = inside the string are)'
    : 'this word';
  return markdown([listMarkdown(word.word, load),
    `Falco replaces ${what} with the list's items before it parses the condition (it expands lists in the condition's text wherever a list's name stands between blanks, parentheses, commas or ${codeSpan('=')}).`]).value;
}

/** A disabled rule: the item whose `enabled: false` Falco read last (the loader's last change of `enabled`). */
function disabledNote(contributions: readonly Contribution[]): string {
  // An append ignores `enabled`; an override reads it only with `enabled: replace` (workspace.ts applyChange).
  const sets = (c: Contribution) => {
    if (entryOf(c.item, 'enabled') === undefined || c.mode === 'append-legacy') return false;
    if (c.mode !== 'override') return true;
    const o = entryOf(c.item, 'override')?.value;
    return o?.kind === 'map' && scalarText(o.entries.find((e) => e.key === 'enabled')?.value) === 'replace';
  };
  const last = [...contributions].reverse().find(sets);
  return last ? `**Disabled** (${codeSpan('enabled: false')} at ${placeLink(last.file, entryOf(last.item, 'enabled')!.keySpan.start)})` : '**Disabled**';
}

function ruleMarkdown(name: string, load: LoadResult): string {
  const rule = load.final.rules.get(name);
  if (!rule) return notLoadedMarkdown('rule', name, load);
  const playbook = playbookFor(name);
  const facts = [
    rule.priority ? `Priority: ${codeSpan(rule.priority)}` : undefined,
    `Source: ${codeSpan(rule.source)}`,
    rule.enabled ? undefined : disabledNote(rule.contributions),
    rule.tags.length ? `Tags: ${rule.tags.map((t) => codeSpan(t)).join(' ')}` : undefined,
  ].filter((x): x is string => x !== undefined);
  return markdown([
    `**Rule** ${codeSpan(name)}`,
    rule.desc ? clippedProse(rule.desc.trim(), 600) : undefined,
    facts.join(' · '),
    whereLines(rule.contributions),
    // What it detects and why attackers do it, one paragraph each: the two ran on as one block of text.
    playbook ? `**Playbook:** ${knowledgeText(playbook.detects)}` : undefined,
    playbook ? `**Attacker's goal:** ${knowledgeText(playbook.attackerGoal)}` : undefined,
  ]).value;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and structural values

const KEY_DOCS: Record<string, { what: string; type: string }> = table({
  rule: { what: 'Starts a rule: the name alerts carry in their `rule` field. Names are unique across the loaded files.', type: 'string' },
  macro: { what: 'Starts a macro: a named condition fragment used by name in other conditions.', type: 'string (letters, digits and `_`, starting with a letter)' },
  list: { what: 'Starts a list: named values, used as `(list_name)` or inside another list.', type: 'string' },
  condition: { what: 'The filter expression an event must match (fields, operators, macros, lists, `and`/`or`/`not`).', type: 'string' },
  output: { what: 'The alert message, with `%field` references filled in from the event.', type: 'string' },
  desc: { what: 'What the rule detects, for people reading the rules.', type: 'string' },
  priority: { what: 'The severity of the alert; falco.yaml `priority` drops rules below a minimum.', type: 'one of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL (or INFO), DEBUG; case-insensitive' },
  source: { what: 'The event source the rule applies to (default `syscall`; plugins add others such as `k8s_audit`).', type: 'string' },
  enabled: { what: 'Whether the rule is loaded (default true).', type: 'boolean' },
  capture: { what: 'Starts a capture file when the rule fires (Falco capture feature).', type: 'boolean' },
  capture_duration: { what: 'How long a capture started by this rule lasts, in milliseconds.', type: 'integer' },
  warn_evttypes: { what: 'Set to false to silence the warning about a condition without an event-type restriction.', type: 'boolean (default true)' },
  'skip-if-unknown-filter': { what: 'Skip the rule, with a warning, instead of failing when a field is unknown (e.g. a plugin is missing).', type: 'boolean (default false)' },
  tags: { what: 'Labels for selecting rules (falco.yaml `rules` selection, `-T`/`-t`) and for ATT&CK mapping.', type: 'list of strings' },
  exceptions: { what: 'Named exceptions: value tuples compared with fields; a match suppresses the alert.', type: 'list of {name, fields, comps, values}' },
  override: { what: 'How this item changes an earlier definition of the same name: `key: append` or `key: replace` per key.', type: 'mapping of key → append | replace' },
  append: { what: 'Deprecated: appends to an earlier definition. Use `override:` with `key: append` instead.', type: 'boolean' },
  items: { what: 'The values of the list (strings or numbers; names of other lists are expanded).', type: 'list of strings or numbers' },
  required_engine_version: { what: 'The oldest Falco engine version that can load this file.', type: 'semver string such as 0.57.0 (plugin files may use an integer)' },
  required_plugin_versions: { what: 'Plugins (and minimum versions) the rules need, with accepted alternatives.', type: 'list of {name, version, alternatives}' },
  name: { what: 'The name of the exception (unique within the rule; an override naming an existing one adds values to it).', type: 'string' },
  fields: { what: 'The field (single form) or fields (tuple form) the exception values are compared with.', type: 'string or list of strings' },
  comps: { what: 'The comparison per field (default `=`; `in` for the single-field form).', type: 'string or list of operators' },
  values: { what: 'The value tuples (or, with a single field, the values) that make an event an exception.', type: 'list' },
  version: { what: 'The minimum plugin version.', type: 'semver string' },
  alternatives: { what: 'Other plugins that satisfy the requirement.', type: 'list of {name, version}' },
});

const RULES_SELECTION_SINCE = '0.38';

/** `name` in a plugin requirement (or one of its alternatives). */
const PLUGIN_NAME_DOC = { what: 'The name of the plugin: the name it reports, which its entry in falco.yaml\'s `plugins` gives too.', type: 'string' };

function keyMarkdown(key: string, item: ModelItem, nested: 'item' | 'override' | 'exception' | 'other', target: string): string | undefined {
  const doc = key === 'name' && item.kind === 'required_plugin_versions' ? PLUGIN_NAME_DOC : KEY_DOCS[key];
  const kind = item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list' ? item.kind : undefined;
  // A rule key newer than the target (capture, capture_duration: rule_loader_reader.cpp from 0.42.0): the target's
  // reader ignores it and refuses to override it, as targetVersion.ts reports.
  const since = kind === 'rule' ? RULE_KEYS_SINCE.get(key) : undefined;
  const missing = newerThanTarget(since, target) ? `Added in Falco ${since}: Falco ${target} ignores this key and cannot override it.` : undefined;
  if (nested === 'override') {
    if (!kind) return undefined;
    const ops = [APPENDABLE[kind].includes(key) ? '`append`' : undefined, REPLACEABLE[kind].includes(key) ? '`replace`' : undefined].filter(Boolean);
    return markdown([`**override** ${codeSpan(key)}`, missing ?? (ops.length ? `This ${kind} key accepts ${ops.join(' and ')}.` : `This ${kind} key cannot be overridden.`),
      'The same key must also be present in this item with the value to append or to replace.']).value;
  }
  if (!doc) return undefined;
  // falco.yaml's `rules` selection by tag is read from Falco 0.38.0 on (configuration.cpp m_rules_selection).
  const what = key === 'tags' && newerThanTarget(RULES_SELECTION_SINCE, target)
    ? `Labels for selecting rules (\`-T\`/\`-t\`; falco.yaml's \`rules\` selection from Falco ${RULES_SELECTION_SINCE}, not in ${target}) and for ATT&CK mapping.` : doc.what;
  const parts = [`**${escapeMarkdown(key)}** — ${what}`, `Type: ${doc.type}`];
  if (kind && nested === 'item') {
    if (REQUIRED_KEYS[kind].includes(key)) parts.push(`Required in a new ${kind}.`);
    const ops = [APPENDABLE[kind].includes(key) ? 'appended' : undefined, REPLACEABLE[kind].includes(key) ? 'replaced' : undefined].filter(Boolean);
    if (missing) parts.push(missing);
    else if (key !== kind && key !== 'override' && key !== 'append') parts.push(ops.length ? `Can be ${ops.join(' or ')} with \`override:\`.` : 'Cannot be changed with `override:`.');
  }
  return markdown(parts).value;
}

export function priorityMarkdown(value: string): string | undefined {
  const upper = value.toUpperCase() === 'INFO' ? 'INFORMATIONAL' : value.toUpperCase();
  const at = (PRIORITIES as readonly string[]).indexOf(upper);
  if (at < 0) return undefined;
  const order = PRIORITIES.map((p, i) => (i === at ? `**${p}**` : p)).join(' › ');
  return markdown([`**Priority** ${codeSpan(upper)} — ${at + 1} of ${PRIORITIES.length}, from most to least severe.`, order,
    `Text alerts spell it ${codeSpan(upper === 'INFORMATIONAL' ? 'Informational' : upper[0] + upper.slice(1).toLowerCase())}. Rules below falco.yaml's \`priority\` minimum are not loaded.`]).value;
}

const TAG_DOCS: Record<string, string> = table({
  maturity_stable: 'Maturity level: stable (in falco_rules.yaml, enabled by default).',
  maturity_incubating: 'Maturity level: incubating (falco-incubating_rules.yaml; useful, not enabled by default).',
  maturity_sandbox: 'Maturity level: sandbox (falco-sandbox_rules.yaml; experimental).',
  maturity_deprecated: 'Maturity level: deprecated.',
});

export function tagMarkdown(tag: string): string | undefined {
  const entry = mitreForTag(tag);
  if (entry) {
    const tactics = (entry.tactics ?? []).map((t) => { const m = mitreName(t); return m ? `${m.name} (${m.id})` : t; });
    return markdown([`**MITRE ATT&CK ${entry.kind}** ${codeSpan(entry.id)} — ${escapeMarkdown(entry.name)}`, tactics.length ? `Tactics: ${tactics.map(escapeMarkdown).join(', ')}` : undefined]).value;
  }
  if (TAG_DOCS[tag]) return markdown([`**Tag** ${codeSpan(tag)}`, TAG_DOCS[tag]]).value;
  return undefined;
}

/**
 * A `required_engine_version` value: the releases whose engine loads the file, and whether the target's does (Falco
 * compares it with its engine version: the same major version and at least the required one, rule_loader_reader.cpp).
 */
function engineMarkdown(node: ModelNode, target: string): string | undefined {
  const required = requiredEngine(node);
  const release = falcoRelease(target);
  if (required === undefined || !release) return undefined;
  const legacy = node.kind === 'scalar' && typeof node.value === 'number' ? ` (the integer ${node.value} of older rules files)` : '';
  const loads = engineSatisfies(release.engine, required);
  const oldest = FALCO_RELEASES[0];
  const by = engineSatisfies(oldest.engine, required) ? `every release from Falco ${oldest.falco} (engine ${oldest.engine}) on` : engineReleases(required);
  return markdown([`**Engine version** ${codeSpan(required)}${legacy} — loaded by ${by}.`,
    `Falco ${target} (engine ${release.engine}) ${loads ? 'loads this file' : 'refuses this file: "Rules require engine version …"'}.`]).value;
}

function sourceMarkdown(source: string): string {
  const plugins = PLUGIN_SOURCES[source];
  if (source === 'syscall') return markdown([`**Source** ${codeSpan('syscall')}`, 'System calls captured by Falco\'s kernel driver (the default source).']).value;
  if (plugins) return markdown([`**Source** ${codeSpan(source)}`, `Provided by the ${plugins.map((p) => codeSpan(p)).join(', ')} plugin${plugins.length > 1 ? 's' : ''}; declare one under \`required_plugin_versions\`.`]).value;
  return markdown([`**Source** ${codeSpan(source)}`, `Not one of the sources known here (${KNOWN_SOURCES.map((s) => codeSpan(s)).join(', ')}); Falco loads the rule only when a plugin provides it.`]).value;
}

function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The innermost mapping entry whose key or scalar value is under the cursor, with what it is nested in. */
function entryAt(item: ModelItem, offset: number): { entry: MapEntry; onKey: boolean; nested: 'item' | 'override' | 'exception' | 'other'; valueNode?: ModelNode } | undefined {
  const search = (entries: MapEntry[], nested: 'item' | 'override' | 'exception' | 'other'): ReturnType<typeof entryAt> => {
    for (const e of entries) {
      if (contains(e.keySpan, offset) && offset < e.keySpan.end + (e.keySpan.end === e.keySpan.start ? 1 : 0)) return { entry: e, onKey: true, nested };
      if (offset === e.keySpan.end && e.keySpan.end > e.keySpan.start) return { entry: e, onKey: true, nested };
      const v = e.value;
      if (!v || !contains(v.span, offset)) continue;
      if (v.kind === 'map') {
        const inner = search(v.entries, e.key === 'override' ? 'override' : 'other');
        if (inner) return inner;
      } else if (v.kind === 'seq') {
        for (const child of v.items) {
          if (!contains(child.span, offset)) continue;
          if (child.kind === 'map') { const inner = search(child.entries, e.key === 'exceptions' ? 'exception' : 'other'); if (inner) return inner; }
          if (child.kind === 'scalar') return { entry: e, onKey: false, nested, valueNode: child };
        }
      } else return { entry: e, onKey: false, nested, valueNode: v };
    }
    return undefined;
  };
  return search(item.entries, 'item');
}

/** Fields whose values are event names (libsinsp counts their =, != and `in` values as event types). */
const EVENT_TYPE_FIELDS = new Set(['evt.type', 'syscall.type']);

/**
 * The field a condition's value token is compared with: the field token before the operator before the value (the
 * values of a list between), in the item's tokens.
 */
function comparedField(tokens: readonly RulesToken[], token: RulesToken): string | undefined {
  let i = tokens.indexOf(token) - 1;
  while (i >= 0 && (tokens[i].kind === 'list-candidate' || tokens[i].kind === 'string' || tokens[i].kind === 'number')) i--;
  if (i >= 0 && tokens[i].kind === 'modifier') i--;
  if (i < 1 || tokens[i].kind !== 'operator') return undefined;
  const field = tokens[i - 1];
  return field.kind === 'field' && field.place === token.place && field.arg === undefined ? field.name : undefined;
}

/**
 * An evt.type value: the codes of the name in the target's event table (knowledge/eventTypes.ts, libs 0.25.2, or an
 * older release's, olderEventTables.ts; a system call without an event of its own is read from the generic events),
 * and the release that first knows it. Undefined for a name no table has (the unknown-evttype finding speaks there).
 */
function eventTypeMarkdown(name: string, target: string): string | undefined {
  // The codes in the target's event table; the latest one's for a name the target lacks (the last line says so).
  const atTarget = eventCodesOfNameAt(name, target);
  const codes = atTarget ?? eventCodesOfName(name);
  if (!codes || codes.length === 0 || name === 'NA') return undefined;
  const libs = (atTarget && olderEventTableOf(target)?.libs) || EVENT_TABLE_LIBS_VERSION;
  const generic = codes.length === 2 && codes[0] === 0 && codes[1] === 1;
  const since = EVENT_NAMES_SINCE.get(name);
  return markdown([
    `**Event type** ${codeSpan(name)} — ${generic
      ? 'a system call without an event of its own: Falco reads it from the generic events (event codes 0 and 1).'
      : `${codes.length === 1 ? 'one event code' : `${codes.length} event codes`} in the event table of libs ${libs}${codes.length > 2 ? ' (the enter and exit events of each version of the event)' : ''}.`}`,
    since && newerThanTarget(since, target) ? `Added in Falco ${since}: Falco ${target} rejects it ("unknown event type").` : undefined,
  ]).value;
}

function tokenHover(token: RulesToken, load: LoadResult, target: string, text: string, tokens: readonly RulesToken[] = [], item?: ModelItem): string | undefined {
  switch (token.kind) {
    case 'name': return token.nameKind === 'rule' ? ruleMarkdown(token.name, load) : token.nameKind === 'macro' ? macroMarkdown(token.name, load) : listMarkdown(token.name, load);
    case 'field': {
      const written = token.arg !== undefined ? `${token.name}[${token.arg}]` : `${token.name}${outputDotArgument(token, text) ?? ''}`;
      const match = lookupField(written);
      // The bracket form of a label written after a dot (`k8s.pod.label.team`), as the findings name it (labelBracket).
      const where = token.place === 'output' ? 'output' : token.place === 'exception-fields' ? 'exception' : 'condition';
      const dotted = match ? undefined : olderDotForm(written)?.field ?? pluginFieldNeedingArgument(written);
      const named = token.glued !== undefined ? token.bracketForm : dotted ? labelBracket(text, token.span.end - token.name.length, where, dotted)?.bracketForm : undefined;
      // None of a field the target does not have (container.label before Falco 0.41), as the findings name none.
      const bracketForm = named !== undefined && newerThanTarget(lookupField(named)?.field.since, target) ? undefined : named;
      // `%evt.type.is.5`: the formatters of Falco 0.37-0.43 hand the event check the rest of the output after the dot,
      // which it reads as a number or an event's name, or reads nothing without an error (outputReading.ts
      // typeIsAtEndNote, the output note of this hover): the argument is not missing there.
      const readAfterDot = token.place === 'output' && match?.field.arg?.dotOnly === true && text[token.span.end] === '.' && fallbackCheckThrows(target);
      return fieldMarkdown(written, match?.field, match?.arg, target, token.place, token.glued, bracketForm, readAfterDot);
    }
    case 'operator': return operatorMarkdown(token.name, target);
    case 'modifier': return operatorMarkdown(token.name, target);
    case 'transformer': return transformerMarkdown(token.name, target);
    case 'keyword': return token.name === 'val' ? transformerMarkdown('val', target) : KEYWORDS[token.name] ? markdown([`**${token.name}**`, KEYWORDS[token.name]]).value : undefined;
    case 'macro-ref': return loadedListNames(load).has(token.name) ? listForMacroMarkdown(token.name, load) : macroMarkdown(token.name, load);
    case 'string': {
      const field = token.place === 'condition' ? comparedField(tokens, token) : undefined;
      return field && EVENT_TYPE_FIELDS.has(field) ? eventTypeMarkdown(text.slice(token.span.start, token.span.end), target) : undefined;
    }
    case 'list-candidate':
      // A list's item names a list only when that list comes first (compile_list_infos; workspace.ts listItemNamesList).
      if (token.place === 'items' && item && loadedListNames(load).has(token.name) && !listItemNamesList(load, item, token.name)) {
        return markdown([`${codeSpan(token.name)} — a literal value here, not the list ${codeSpan(token.name)}: Falco replaces a list's item by another list's items only where that list was defined before the list's last definition or append, and only in the items the loaded list holds (not those of a definition replaced later).`]).value;
      }
      if (loadedListNames(load).has(token.name)) return listMarkdown(token.name, load);
      if (token.place === 'condition' && !token.number && EVENT_TYPE_FIELDS.has(comparedField(tokens, token) ?? '')) {
        const event = eventTypeMarkdown(token.name, target);
        if (event) return event;
      }
      return !token.number && (token.place === 'condition' || token.place === 'exception-values')
        ? markdown([[`${codeSpan(token.name)} — a literal value: no loaded list has this name.`, officialFileNote('list', token.name)].filter(Boolean).join(' ')]).value : undefined;
    default: return undefined;
  }
}

/**
 * The argument after a dot that follows an output's field token (`.team` in `%k8s.pod.label.team`), for a field whose
 * dot form older releases read (FieldArgument.dotFormUntil). The output parser reads the catalog's field, which takes
 * brackets only, and leaves the rest as text; Falco 0.40's formatter let the field's own parser read it
 * (eventformatter.cpp libs 0.20.0:137-146, parse_field_name; sinsp_filtercheck_k8s.cpp:314-343 extract_arg: letters,
 * digits and `/_-.`), as a condition's parser does. The hover then describes the whole reference, as in a condition.
 */
function outputDotArgument(token: RulesToken, text: string): string | undefined {
  if (token.kind !== 'field' || token.place !== 'output' || token.arg !== undefined || !lookupField(token.name)?.field.arg?.dotFormUntil) return undefined;
  return /^\.[A-Za-z0-9/_.-]+/.exec(text.slice(token.span.end, token.span.end + 256))?.[0];
}

/** The length of the text glued after a field token's name (RulesToken.glued) as it stands in the document. */
function gluedLength(token: RulesToken, text: string): number {
  return token.kind === 'field' && token.glued && text.startsWith(token.glued, token.span.end) ? token.glued.length : 0;
}

/**
 * The field whose bracket argument the offset is in (`proc.env["MY VAR"]`, `evt.arg[name]`), with the end of its
 * closing bracket. Field tokens cover the name only; the argument follows it in the document as written: bare (no
 * quote, space or bracket: libsinsp's filter parser, parse_optional_field_arg, libs 0.25.2), or quoted, where spaces
 * and brackets may appear (in a double-quoted YAML scalar the quotes may be escaped, `\"`). Only arguments the rules
 * parser accepted have a field token with `arg`: text libsinsp refuses (`proc.aname[ 2 ]`) gets no hover.
 */
function fieldArgumentAt(analysis: FileAnalysis, text: string, offset: number): { token: RulesToken; end: number } | undefined {
  const item = analysis.items.find((a) => a.item.span.start <= offset && offset <= a.item.span.end);
  if (!item) return undefined;
  // The last field before the offset (the argument's own string token, if any, lies between).
  let field: RulesToken | undefined;
  for (const t of item.tokens) {
    if (t.span.start >= offset) break;
    if (t.kind === 'field' && t.span.end <= offset) field = t;
  }
  // Text glued after a field's name (`-tier` of `k8s.ns.label.app-tier`) belongs to the field's hover, which says why.
  const glued = field ? gluedLength(field, text) : 0;
  if (glued > 0 && offset <= field!.span.end + glued) return { token: field!, end: field!.span.end + glued };
  const dot = field && outputDotArgument(field, text);
  if (dot !== undefined) return offset <= field!.span.end + dot.length ? { token: field!, end: field!.span.end + dot.length } : undefined;
  if (field?.kind !== 'field' || field.arg === undefined || text[field.span.end] !== '[') return undefined;
  let i = field.span.end + 1;
  const escaped = text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === "'");
  const quote = escaped ? text.slice(i, i + 2) : text[i] === '"' || text[i] === "'" ? text[i] : undefined;
  if (quote) {
    // The closing quote; a quote after a backslash belongs to the argument (libsinsp's lex_quoted_str).
    let close = text.indexOf(quote, i + quote.length);
    while (!escaped && close > 0 && text[close - 1] === '\\') close = text.indexOf(quote, close + 1);
    if (close < 0 || text.slice(i, close).includes('\n')) return undefined;
    i = close + quote.length;
  } else {
    // A bare argument has no blank (RGX_FIELDARGBARESTR): an exception field such as `proc.env[A B]` is pasted into
    // the condition as written, where libsinsp refuses it.
    while (i < text.length && text[i] !== ']' && !/\s/.test(text[i])) i++;
  }
  if (text[i] !== ']' || offset > i) return undefined;
  return { token: field, end: i + 1 };
}

/**
 * A field hover in an output, with what the output checks say Falco prints of the token there (outputReading.ts):
 * `%proc.namex` prints the process name then `x`; Falco 0.37-0.42 read `%proc.args` mid-output as no field.
 */
function withOutputNotes(value: string | undefined, token: RulesToken, ctx: HoverContext): string | undefined {
  if (!value || token.kind !== 'field' || token.place !== 'output') return value;
  const item = ctx.analysis.items.find((a) => a.item.span.start <= token.span.start && token.span.end <= a.item.span.end)?.item;
  const target = ctx.falcoVersion ?? LATEST_FALCO;
  // Where the target reads some fields only at the very end of the output: what Falco puts after this item's text.
  const tail = item && fallbackCheckThrows(target) ? outputTail(ctx.file, ctx.load, item, ctx.appends?.() ?? []) : undefined;
  const notes = item ? outputFieldNotesAt(item, token.span.end, target, tail) : [];
  return notes.length ? markdown([value, ...notes.map((n) => `**In this output:** ${escapeMarkdown(n)}`)]).value : value;
}

/**
 * A field's hover in text that several rules read through YAML aliases (validate.ts textReaders), when they are of
 * different sources: the hover describes the field, not one rule's reading of it, so the note names each rule with
 * its source (the rule's own `source`, else its loaded definition's), and the rules whose source lacks the field.
 */
function withReaders(value: string | undefined, token: RulesToken, ctx: HoverContext): string | undefined {
  const model = ctx.file.model;
  if (!value || !model.aliases || token.kind !== 'field') return value;
  const readers = textReaders(model, token.span).filter((r) => r.item.kind === 'rule');
  const sourceOf = (item: ModelItem) => scalarText(entryOf(item, 'source')?.value)?.trim()
    || (item.name !== undefined ? ctx.load.final.rules.get(item.name)?.source : undefined) || 'syscall';
  const read = readers.map((r) => ({ ...r, source: sourceOf(r.item) }));
  if (new Set(read.map((r) => r.source)).size < 2) return value;
  const who = (r: (typeof read)[number]) => `${escapeMarkdown(itemLabel(r.item))} (${codeSpan(r.source)}${r.use ? `, through ${codeSpan(`*${r.use.anchor}`)}` : ''})`;
  const field = lookupField(token.arg !== undefined ? `${token.name}[${token.arg}]` : token.name)?.field;
  const outside = field ? read.filter((r) => !(field.sources as readonly string[]).includes(r.source)) : [];
  return markdown([
    value,
    `**Shared through YAML aliases by rules of different sources**: ${read.map(who).join(', ')}. Falco reads this text in each rule's context.`,
    outside.length > 0 ? `${codeSpan(field!.name)} is no field of ${[...new Set(outside.map((r) => codeSpan(r.source)))].join(', ')}: ${outside.map((r) => escapeMarkdown(itemLabel(r.item))).join(', ')} cannot use it.` : undefined,
  ]).value;
}

export function hoverAt(ctx: HoverContext): Hover | null {
  const { load, file, analysis, offset } = ctx;
  const lines = file.model.lines;
  // A YAML alias: the node it gives (its tokens are the anchored text's, which has hovers of its own).
  const alias = aliasAt(file.model.aliases, offset);
  if (alias) {
    const value = aliasMarkdown(file.model.text, (o) => lines.positionAt(o).line, file.uri, alias);
    return { contents: { kind: 'markdown', value }, range: lines.range(alias.at[0], alias.at[1]) };
  }
  const found = tokenAt(analysis, offset);
  // A list's name in a condition, wherever the parser would read something else there (a macro reference and a list
  // operator's item have their own hovers below).
  const word = conditionListWordNear(analysis, offset, loadedListNames(load));
  if (word && !(found && (found.token.kind === 'macro-ref' || found.token.kind === 'list-candidate') && found.token.span.start === word.span.start)) {
    return { contents: { kind: 'markdown', value: listWordMarkdown(word, found?.token, load, file.model.text) }, range: lines.range(word.span.start, word.span.end) };
  }
  // An item's own name, where the item is not loaded: why, and the item as written.
  if (found?.token.kind === 'name' && !contributes(found.item.item, load)) {
    const value = unloadedItemMarkdown(found.item.item, file, load);
    return { contents: { kind: 'markdown', value }, range: lines.range(found.token.span.start, found.token.span.end) };
  }
  if (found) {
    const value = withReaders(withOutputNotes(tokenHover(found.token, load, ctx.falcoVersion ?? LATEST_FALCO, file.model.text, found.item.tokens, found.item.item), found.token, ctx), found.token, ctx);
    const end = found.token.span.end + (outputDotArgument(found.token, file.model.text)?.length ?? gluedLength(found.token, file.model.text));
    if (value) return { contents: { kind: 'markdown', value }, range: lines.range(found.token.span.start, end) };
  }
  // An argument may have a token of its own (a string), which has no hover; an output's dot argument has none.
  const withArgument = fieldArgumentAt(analysis, file.model.text, offset);
  if (withArgument) {
    const value = withReaders(withOutputNotes(tokenHover(withArgument.token, load, ctx.falcoVersion ?? LATEST_FALCO, file.model.text), withArgument.token, ctx), withArgument.token, ctx);
    if (value) return { contents: { kind: 'markdown', value }, range: lines.range(withArgument.token.span.start, withArgument.end) };
  }
  // Keys and structural values (priority, tags, source).
  const item = analysis.items.find((a) => a.item.span.start <= offset && offset <= a.item.span.end)?.item;
  if (!item) return null;
  const at = entryAt(item, offset);
  if (!at) return null;
  if (at.onKey) {
    const value = keyMarkdown(at.entry.key, item, at.nested, ctx.falcoVersion ?? LATEST_FALCO);
    return value ? { contents: { kind: 'markdown', value }, range: lines.range(at.entry.keySpan.start, at.entry.keySpan.end) } : null;
  }
  const node = at.valueNode;
  const text = scalarText(node);
  if (!node || text === undefined) return null;
  let value: string | undefined;
  if (item.kind === 'required_engine_version' && at.entry === item.kindEntry) value = engineMarkdown(node, ctx.falcoVersion ?? LATEST_FALCO);
  else if (at.nested === 'item' && at.entry.key === 'priority') value = priorityMarkdown(text.trim());
  else if (at.nested === 'item' && at.entry.key === 'tags') value = tagMarkdown(text.trim());
  else if (at.nested === 'item' && at.entry.key === 'source') value = sourceMarkdown(text.trim());
  // append: rule_loader_collector.cpp:246-296 (0.44.0): condition, output and desc get ' ' and the text, tags are
  // inserted, an exception of a known name takes only its values.
  else if (at.nested === 'override') value = text === 'append' ? markdown(['**append** — adds this item\'s value to the earlier one: a condition, output or description after a space; list items, tags and exceptions added (an exception of an existing name gets only its values added).']).value
    : text === 'replace' ? markdown(['**replace** — this item\'s value replaces the earlier one.']).value : undefined;
  return value ? { contents: { kind: 'markdown', value }, range: lines.range(node.span.start, node.span.end) } : null;
}
