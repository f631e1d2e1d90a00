// Hover Markdown for alerts. Every value that comes from the alert or from the user's rules files passes through
// codeSpan/codeBlock/escapeMarkdown: alert content is attacker-controlled and must render as inert text.
import { clippedProse, codeSpan, escapeMarkdown } from '../markdown';
import { MAX_SHOWN_VALUE, cappedBlock, cappedCode } from './cap';
import { eventCondition, lookupField, meaningGroups, mitreForTag, mitreName, playbookFor, valueMeanings } from '../../knowledge';
import { fillCommand, fillNote } from './fill';
import { PRIORITY_MEANINGS, PRIORITY_NAMES } from './priority';
import { JSON_TIME_FIELDS, ruleSourceConflict, valueOf, type AlertValue, type AlertView, type Target } from './view';
import { disabledRuleReason, inexactValue, isInternalEvent } from './tuning';
import { formatDuration, formatLocal, formatUtc, parseAlertTime, secondsBetween, type AlertInstant } from './timefmt';
import { table } from '../../knowledge/table';
import { compareVersions, LATEST_FALCO } from '../../knowledge/falcoVersions';

/** Tags, flags and value meanings listed in one hover. */
const MAX_LISTED = 50;

const SOURCE_MEANINGS: Record<string, string> = table({
  syscall: 'system calls seen by the kernel driver on the host',
  syscalls: 'system calls (falcosidekick writes "syscalls" when Falco sent no source)',
  internal: "Falco's own events (dropped events, metrics, timeouts), not a rule match on activity",
  k8s_audit: 'the Kubernetes API server audit log (k8saudit plugin)',
  aws_cloudtrail: 'AWS CloudTrail (cloudtrail plugin)',
  gcp_auditlog: 'Google Cloud audit logs (gcpaudit plugin)',
  okta: 'Okta system log (okta plugin)',
  github: 'GitHub webhooks (github plugin)',
});

/** What an internal event is and where it is tuned (falco.yaml keys of Falco 0.44.0). */
export const INTERNAL_EVENT_NOTE = 'Emitted by Falco itself (dropped system calls, metrics snapshots, timeouts), not by a rule: no rules file '
  + 'defines it, so exceptions and overrides cannot tune it (an override naming it makes Falco reject the file). Its settings are in '
  + 'falco.yaml: `syscall_event_drops` (dropped system calls), `metrics` (metrics snapshots), `syscall_event_timeouts` (timeouts).';

/** What an event of source `internal` is: Falco's own when named `Falco internal: …`; other tools use the source too
 *  (falcosidekick gives its `Test rule` event the source `internal`). */
export function internalEventNote(rule: string | undefined): string {
  if ((rule ?? '').startsWith('Falco internal: ')) return INTERNAL_EVENT_NOTE;
  return 'An event of source `internal`, not a rule of a rules file: exceptions and overrides cannot tune it.';
}

/** `Falco internal: syscall event drop` out of a text line's message (`… drop. 4551 system calls dropped…`). */
export function internalEventName(head: string): string {
  const dot = head.indexOf('. ');
  return dot > 0 ? head.slice(0, dot) : head;
}

/** Why no loaded rule is named for a text alert no template matches: what its message (or its lack of one) says. */
function unmatchedReason(view: AlertView): string {
  const m = view.messageMatch;
  if (!m) return '';
  if (m.message === undefined) return ': it starts with its values, with no message before them, and no loaded rule\'s output prints these `key=` names in this order';
  if (m.rules.length === 0) return `: no loaded rule's output starts with its message ${cappedCode(m.message, 200)} (the rule is not in the loaded rules files: a rule of your own, or of other rules files)`;
  return `: the outputs of ${m.rules.map((r) => cappedCode(r, 200)).join(' and ')} start with its message ${cappedCode(m.message, 200)}, but none matches the rest of the line, `
    + 'so it was written by another version of one of them, and the message alone cannot tell which';
}

/** What identifying a text alert by its message alone means (AlertView.identification 'message'). */
function messageOnlyNote(view: AlertView): string {
  const m = view.messageMatch!;
  const other = m.otherKeys.length ? ` The line has ${m.otherKeys.map((k) => cappedCode(`${k}=`, 100)).join(', ')}, which the loaded template does not print.` : '';
  return `The loaded rule's output template (${cappedCode(m.template ?? '', 300)}) does not match this line, but no other loaded rule prints its message ${cappedCode(m.message ?? '', 200)}: `
    + `the alert was written by another version of this rule (another release of its rules file, or an override of its output).${other} `
    + 'Its values are read by their `key=` names, through the loaded template where it has the name; a value with a blank in it may end elsewhere, and is not used for exceptions.';
}

export function ruleHover(view: AlertView): string {
  const parts: string[] = [];
  const name = view.rule;
  const internal = isInternalEvent(name ?? view.record.head.head, view.source);
  if (internal) {
    const shown = name ?? internalEventName(view.record.head.head ?? '');
    parts.push(`**${shown.startsWith('Falco internal: ') ? 'Falco internal event' : 'Internal event'}** ${cappedCode(shown)}`);
    parts.push(internalEventNote(shown));
    return parts.join('\n\n');
  }
  if (!name && view.candidates?.length) {
    parts.push(`**Rule** ${view.candidates.map((c) => cappedCode(c, 200)).join(' or ')}`);
    const why = view.readWith === undefined ? 'These rules have the same output template and priority'
      : 'These rules\' output templates match this line equally well (the same literal text, each field\'s value where the other has text)';
    parts.push(`${why}, so a text alert cannot tell which of them fired: Falco Lens `
      + 'names none of them, opens no playbook and proposes no exception or disable. With `json_output: true` in falco.yaml each alert names its rule.');
    return parts.join('\n\n');
  }
  if (!name) {
    parts.push('**Rule unidentified**');
    parts.push(`Text alerts carry no rule name, and no loaded rule has an output template that matches this line${unmatchedReason(view)}. `
      + 'The `key=value` tokens are mapped to fields through the conventional output names. Add the rules Falco ran with '
      + '(setting `falcoLens.rules.files`, or open them in the workspace) to identify the rule.');
    if (view.output && (view.record.head.head ?? '').trim() !== '') parts.push(`Message: ${cappedCode(view.record.head.head ?? '')}`);
    return parts.join('\n\n');
  }
  const how = view.identification === 'template' ? ' (identified by matching its output template)' : view.identification === 'message' ? ' (identified by its message only)' : '';
  parts.push(`**Rule** ${cappedCode(name)}${how}`);
  if (view.identification === 'message') parts.push(messageOnlyNote(view));
  const playbook = playbookFor(name);
  if (playbook) parts.push(`**Detects:** ${escapeMarkdown(playbook.detects)}`);
  parts.push(...mitreHoverLines(mitreListing(view, playbook?.mitre ?? [])));
  const summary = view.ruleSummary;
  if (summary?.desc) parts.push(`**Description in your rules:** ${clippedProse(summary.desc.trim(), MAX_SHOWN_VALUE)}`);
  if (summary?.location) parts.push(`Defined in ${locationLink(summary.location.uri, summary.location.range.start.line)}`);
  else if (!summary) parts.push('_This rule is not in the loaded rules (workspace and `falcoLens.rules.files`)._');
  const conflict = ruleSourceConflict(view);
  if (conflict) parts.push(sourceConflictNote(conflict));
  const off = disabledRuleReason(view);
  if (off) parts.push(`**Disabled in the loaded rules:** ${escapeMarkdown(off)}.`);
  if (playbook?.investigate.length) {
    const steps = playbook.investigate.slice(0, 2).map((c, i) => {
      const filled = fillCommand(c.command, view);
      return `${i + 1}. ${escapeMarkdown(c.purpose)}${fillNote(filled)}\n\n${cappedBlock(filled.text, 'sh', 'command')}`;
    });
    parts.push(`**First steps:**\n\n${steps.join('\n\n')}`);
  }
  return parts.join('\n\n');
}

/** A link to a rules file location. The URI is percent-encoded so that it cannot close the Markdown link early. */
export function locationLink(uri: string, line: number): string {
  const safe = encodeURI(decodeSafe(uri)).replace(/[()[\]`'"<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  const file = decodeSafe(uri).split('/').pop() ?? uri;
  if (!/^file:/.test(uri)) return `${codeSpan(file)} line ${line + 1}`;
  return `[${escapeMarkdown(file)} line ${line + 1}](${safe}#L${line + 1})`;
}

function decodeSafe(uri: string): string { try { return decodeURI(uri); } catch { return uri; } }

/**
 * The ATT&CK ids of an alert's rule, told apart by where they come from: the rule's `tags` (as the JSON alert prints
 * them, else as the loaded rules file writes them) and Falco Lens's playbook for the rule (only the ids the tags do
 * not already give). Each line is an id of the knowledge base's ATT&CK table (knowledge/mitre.ts) with its name; a
 * tag that looks like an ATT&CK id but is not in the table is listed as the rule wrote it and said to be unknown,
 * never shown as if it were one; a playbook id not in the table is left out (knowledge-mitre holds them to it).
 */
export interface MitreListing {
  /** Where `fromRule` was read: the alert's own tags, or the loaded rule's. */
  tagsOf?: 'alert' | 'rules';
  fromRule: string[];
  fromPlaybook: string[];
}

const MITRE_LOOKING = /^(TA?\d{4}(\.\d{3})?(-[\w-]*)?|mitre_\w+)$/i;

export function mitreListing(view: AlertView | undefined, playbookIds: readonly string[]): MitreListing {
  const tagsOf = view?.tags.length ? 'alert' : view?.ruleSummary?.tags.length ? 'rules' : undefined;
  const tags = tagsOf === 'alert' ? view!.tags : tagsOf === 'rules' ? view!.ruleSummary!.tags : [];
  const seen = new Set<string>();
  const fromRule: string[] = [];
  for (const tag of tags) {
    const entry = mitreForTag(tag);
    if (!entry) {
      if (MITRE_LOOKING.test(tag) && !seen.has(`tag:${tag}`)) {
        seen.add(`tag:${tag}`);
        fromRule.push(`${cappedCode(tag, 200)} (not an ATT&CK id or tactic that Falco Lens knows: unchecked)`);
      }
      continue;
    }
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    // The tag as the rule writes it, when it is not the id itself (`mitre_execution`, `T1562-impair-defenses`).
    const written = tag.toUpperCase() === entry.id ? '' : ` (tag ${cappedCode(tag, 200)})`;
    fromRule.push(`${codeSpan(entry.id)} ${escapeMarkdown(entry.name)}${written}`);
  }
  const fromPlaybook: string[] = [];
  for (const id of playbookIds) {
    const entry = mitreName(id);
    if (!entry || seen.has(entry.id)) continue;
    seen.add(entry.id);
    fromPlaybook.push(`${codeSpan(entry.id)} ${escapeMarkdown(entry.name)}`);
  }
  return { tagsOf, fromRule, fromPlaybook };
}

/** Where the rule's ATT&CK ids were read, said with them. */
export function mitreRuleLabel(listing: MitreListing): string {
  return listing.tagsOf === 'alert' ? 'in the rule\'s tags (as Falco printed them)' : 'in the rule\'s tags (as the loaded rules file writes them)';
}

export const MITRE_PLAYBOOK_LABEL = 'added by Falco Lens\'s playbook for this rule (not in the rule\'s tags)';

/** The hover's lines: one for the rule's ids, one for the playbook's. */
export function mitreHoverLines(listing: MitreListing): string[] {
  const out: string[] = [];
  if (listing.fromRule.length) out.push(`**MITRE ATT&CK** ${mitreRuleLabel(listing)}: ${listing.fromRule.join('; ')}`);
  if (listing.fromPlaybook.length) out.push(`**MITRE ATT&CK** ${MITRE_PLAYBOOK_LABEL}: ${listing.fromPlaybook.join('; ')}`);
  return out;
}

export function priorityHover(view: AlertView): string {
  const p = view.priority;
  if (p < 0) return `**Priority** unknown. Falco's priorities, most severe first: ${PRIORITY_NAMES.join(' > ')}.`;
  const order = PRIORITY_NAMES.map((n, i) => (i === p ? `**${n}**` : n)).join(' > ');
  return `**Priority ${PRIORITY_NAMES[p]}** (${p + 1} of 8): ${PRIORITY_MEANINGS[p]}.\n\nFalco's order, most severe first: ${order}. `
    + 'A rule\'s priority is set by its author; the `priority` option of falco.yaml drops rules below a minimum.';
}

/**
 * The instant of an alert: its `time`, with the exact nanoseconds of output_fields' evt.time when the two agree (Falco
 * writes both from the same event). When they name different instants (a payload edited or put together by another
 * tool), `time` is what the line says and evt.time is returned apart, so that neither is shown as the other.
 */
export function alertInstant(view: AlertView): { t: AlertInstant | undefined; otherEvtTime?: AlertInstant } {
  const exact = parseAlertTime(view.time, view.epochNanos);
  if (!view.epochNanos || !view.time) return { t: exact };
  const own = parseAlertTime(view.time);
  if (own?.epochMs === undefined || exact?.epochMs === undefined) return { t: exact };
  const digits = /\.(\d{1,9})/.exec(view.time)?.[1].length ?? 0;
  const same = Math.floor(own.epochMs / 1000) === Math.floor(exact.epochMs / 1000) && own.nanos.slice(0, digits) === exact.nanos.slice(0, digits);
  return same ? { t: exact } : { t: own, otherEvtTime: exact };
}

export function timeHover(view: AlertView, previous: AlertView | undefined): string {
  const parts: string[] = [];
  const { t, otherEvtTime } = alertInstant(view);
  if (!t) return `**Time** ${cappedCode(view.time ?? '')} (not a time Falco prints)`;
  if (t.epochMs !== undefined) {
    parts.push(`**Time** ${codeSpan(formatUtc(t) ?? '')}\n\nLocal: ${codeSpan(formatLocal(t) ?? '')}`);
    if (otherEvtTime) {
      parts.push(`evt.time ${codeSpan(view.epochNanos!)} in output_fields is another instant, ${codeSpan(formatUtc(otherEvtTime) ?? '')}: `
        + 'Falco writes both from the same event, so this payload was changed or assembled after Falco wrote it.');
    } else if (view.epochNanos) parts.push(`evt.time ${codeSpan(view.epochNanos)} ns since the epoch (exact digits).`);
  } else {
    parts.push(`**Time** ${cappedCode(view.time ?? '')}: the local time of the Falco host (its time zone and the date are not in text alerts; `
      + 'set `time_format_iso_8601: true` in falco.yaml for full UTC times).');
  }
  if (previous) {
    const tp = alertInstant(previous).t;
    const gap = tp ? secondsBetween(tp, t) : undefined;
    const what = view.rule ? `of ${cappedCode(view.rule)}` : 'with the same message';
    // A log is not always in time order (several streams, a collector's batches): an earlier time is said as such.
    // Times without a date (text alerts): an earlier time of day is an alert out of order, or one after midnight.
    if (gap !== undefined && gap < 0 && t.epochMs === undefined) {
      parts.push(`**${formatDuration(gap)}** before the previous alert ${what} (line ${previous.record.line + 1}), or **${formatDuration(gap + 86400)}** after it if midnight passed between them: `
        + 'a text alert\'s time has no date, so the log may not be in time order here.');
    } else if (gap !== undefined && gap < 0) parts.push(`**${formatDuration(gap)}** before the previous alert ${what} (line ${previous.record.line + 1}): the log is not in time order here.`);
    else if (gap !== undefined) parts.push(`**${formatDuration(gap)}** since the previous alert ${what} (line ${previous.record.line + 1}).`);
  } else {
    parts.push(view.rule ? 'First alert of this rule in the file.' : 'First alert with this message in the file.');
  }
  return parts.join('\n\n');
}

/** What a tag selects at the target release: falco.yaml's `rules` enables and disables rules by tag from 0.38
 *  (configuration.cpp:562 at 0.38.0), its `append_output` entries match on tags from 0.39 (configuration.cpp:612 at
 *  0.39.0); before 0.38 only the command line's `-T` and `-t` do (options.cpp:198-199 at 0.37.0). */
function tagUses(release: string): string {
  if (compareVersions(release, '0.39') >= 0) return 'falco.yaml can enable or disable rules by tag (`rules`) and add output to them (`append_output`)';
  if (compareVersions(release, '0.38') >= 0) return `falco.yaml can enable or disable rules by tag (\`rules\`; \`append_output\` comes with Falco 0.39, the target is ${release})`;
  return `Falco ${release} selects rules by tag on its command line only (\`-T <tag>\` turns them off, \`-t <tag>\` runs only them; falco.yaml's \`rules\` comes with 0.38)`;
}

export function tagHover(tag: string, release: string = LATEST_FALCO): string {
  const entry = mitreForTag(tag);
  if (entry) return `**Tag** ${cappedCode(tag)}: MITRE ATT&CK ${entry.kind} ${codeSpan(entry.id)} ${escapeMarkdown(entry.name)}`;
  if (/^maturity_/.test(tag)) return `**Tag** ${cappedCode(tag)}: the rule's maturity level in the official rules (stable, incubating, sandbox, deprecated).`;
  if (/^(PCI_DSS|NIST)/.test(tag)) return `**Tag** ${cappedCode(tag)}: a compliance control the rule's authors map it to.`;
  return `**Tag** ${cappedCode(tag)}: a label from the rule's \`tags\`; ${tagUses(release)}.`;
}

export function tagsHover(view: AlertView, release: string = LATEST_FALCO): string {
  // Falco writes every tag of the rule (formats.cpp:118-119 at 0.44.1, under json_include_tags_property): an empty
  // list is a rule without tags where the alert was written.
  if (view.tags.length === 0) return '**Tags**: none: the rule had no tags in the Falco that wrote this alert (it writes all of them here).';
  const lines = view.tags.slice(0, MAX_LISTED).map((t) => `- ${tagHover(t, release).replace(/^\*\*Tag\*\* /, '')}`);
  if (view.tags.length > MAX_LISTED) lines.push(`- … ${view.tags.length - MAX_LISTED} more`);
  return `**Tags** of the rule (${view.tags.length}):\n\n${lines.join('\n')}`;
}

export function sourceHover(view: AlertView): string {
  const s = view.source ?? '';
  const meaning = SOURCE_MEANINGS[s];
  return `**Source** ${cappedCode(s)}: ${meaning ?? 'an event source provided by a plugin'}.`;
}

export function hostnameHover(view: AlertView): string {
  return `**Hostname** ${cappedCode(view.hostname ?? '')}: the machine that ran Falco (the \`FALCO_HOSTNAME\` environment variable when set, `
    + 'which the Helm chart sets to the node name; otherwise the host name).';
}

/** A text line of one of Falco's internal events (no rule name: its message starts with the event's name). */
export function isInternalText(view: AlertView): boolean {
  return view.rule === undefined && view.record.head.format === 'text' && isInternalEvent(view.record.head.head);
}

const INTERNAL_VALUE = 'A value Falco reports with its internal event (a counter or a metric), not a field of the rule language.';

export function fieldKeyHover(view: AlertView, value: AlertValue): string {
  const parts: string[] = [];
  const key = value.key ?? value.field ?? '';
  const internalText = isInternalText(view);
  if (internalText && !(value.field && lookupField(value.field))) {
    parts.push(`${cappedCode(key, 200)}: ${INTERNAL_VALUE}`);
  } else if (value.field) {
    const info = lookupField(value.field);
    const via = value.origin === 'output_fields' ? '' : howText(value, view);
    parts.push(`${cappedCode(key, 200)} → field ${cappedCode(value.field, 200)}${info ? ` (${escapeMarkdown(info.field.type)}${info.field.isList ? ', a list' : ''})` : ''}${via}`);
    if (!view.rule && !view.candidates && !internalText && value.origin !== 'output_fields') parts.push('_The rule is unidentified: the field is inferred from the output name, not read from the rule\'s template._');
    if (info) {
      parts.push(escapeMarkdown(info.field.desc) + (info.arg ? ` Argument: ${codeSpan(info.arg)}.` : ''));
      // libsinsp's tostring writes a list field's values as `(v1,v2)`, tojson as an array (sinsp_filtercheck.cpp, EPF_IS_LIST).
      if (info.field.isList) parts.push('A list field: a text alert shows its values in parentheses, separated by commas (`(a,b)`), JSON output_fields as an array. A condition or exception compares it only with `in`, `intersects` or `exists` (not `=`).');
    } else if ((view.rule ?? '').startsWith('Falco internal: ') && value.origin === 'output_fields') {
      parts.push(INTERNAL_VALUE);
    } else if (view.record.head.flavor !== 'falco' && value.origin === 'output_fields' && !value.field.includes('.')) {
      parts.push('A custom field added by falcosidekick (`customfields` or `templatedfields`), not a Falco field.');
    } else if (value.origin === 'output_fields' && !value.field.includes('.')) {
      // append_output's extra_fields take `- name: format` pairs besides field names (falco.yaml:775-781 and
      // configuration.h:273-290 at 0.44.1; since 0.39.0).
      parts.push('Not a Falco field name (those are `class.name`): a custom name from falco.yaml\'s `append_output` `extra_fields` (Falco 0.39 or later), or a key added by the program that sent the alert.');
    } else parts.push('_Not in the field catalog: a plugin field, or a field of a newer Falco._');
  } else {
    parts.push(`${cappedCode(key, 200)}: no field is known for this output name${view.rule || view.candidates ? '' : ' (the rule is unidentified)'}.`);
  }
  return parts.join('\n\n');
}

function howText(value: AlertValue, view: AlertView): string {
  switch (value.how) {
    case 'template':
      if (view.rule === undefined && view.readWith !== undefined) {
        return `, rendered from ${cappedCode(`%${value.field}`, 200)} if the alert is of ${cappedCode(view.readWith, 200)} (read through its output template; another rule's matches as well)`;
      }
      return `, rendered from ${cappedCode(`%${value.field}`, 200)} in the output of ${view.rule === undefined && view.candidates ? view.candidates.map((c) => cappedCode(c, 200)).join(' and ') : cappedCode(view.rule ?? '', 200)}`;
    case 'catalog': return ', by its conventional output name';
    case 'learned': return view.identification === 'message' && view.rule !== undefined ? `, as the loaded output of ${cappedCode(view.rule, 200)} names it (read by its name: the line does not match that template)` : ', as the loaded rules use this name';
    case 'guess': return view.rule || view.candidates ? ' (probably: guessed from the output name)' : ' (probably: guessed from the output name; the rule is unidentified)';
    default: return '';
  }
}

/** Where a process's executable path is, for an alert of a process in a container (container.id, not host): the
 *  drivers resolve it from the root of the process's mount namespace (knowledge/fields/syscall.ts proc.exepath). */
export function containerPathNote(view: AlertView): string | undefined {
  const id = valueOf(view, 'container.id');
  if (!id || id === 'host') return undefined;
  return `The process runs in container ${cappedCode(id, 200)}: this is the path inside the container (the drivers resolve it from the root of the process's mount namespace), `
    + 'so look for the file in the container, not at this path on the host.';
}

/** What container.name `host` means in this alert: container.id, not the name, says whether it is the host. */
export function containerNamedHostNote(view: AlertView): string {
  const id = valueOf(view, 'container.id');
  if (id === 'host') return 'Its container.id is `host` too: the event happened on the host, not in a container.';
  if (id !== undefined) return `Its container.id is ${cappedCode(id, 200)}: a container named \`host\`, not the host.`;
  return 'The alert has no container.id: from the name alone, the host cannot be told from a container named `host`.';
}

/** Said of a value read without the rule's output template that holds a blank (AlertValue.uncertainEnd 'key'). */
export const UNCERTAIN_END_NOTE = '_Where this value ends is uncertain: without the rule\'s output template it is read up to the next `key=`, '
  + 'and the words after its first may be the rule\'s own text rather than the value (a command line or a path holds blanks too)._';

/** Said of a value whose end the rule's template leaves open (AlertValue.uncertainEnd 'template'). */
export const AMBIGUOUS_SPLIT_NOTE = '_Where this value ends is uncertain: the text that follows it in the rule\'s output template also appears inside '
  + 'the values, so this text alert reads in more than one way (a command line can hold ` parent=` too). Falco Lens writes no exception on it; '
  + 'JSON output (`json_output: true`) gives each value on its own._';

/** Said of a value holding U+FFFD (tuning.ts inexactValue). */
export const REPLACED_BYTES_NOTE = '**U+FFFD** (\uFFFD) in this value: Falco prints it in place of bytes that are not valid UTF-8 (so do the tools that '
  + 'read the log as UTF-8), and the event\'s own bytes are not in the alert. Conditions and exceptions compare those bytes: an exception written '
  + 'with this value would never match, so Falco Lens proposes none on it (unless the value really holds U+FFFD, which the alert cannot tell apart).';

/** Said of a value holding a lone surrogate (tuning.ts inexactValue). */
export const LONE_SURROGATE_NOTE = '**A lone UTF-16 surrogate** in this value (a JSON escape such as `\\ud800` without its pair): Falco never '
  + 'prints one (its JSON output is UTF-8), so this line was changed or written by another tool, and no event or rules file holds it. '
  + 'An exception written with this value would never match, so Falco Lens proposes none on it.';

export function fieldValueHover(view: AlertView, value: AlertValue): string {
  const parts: string[] = [fieldKeyHover(view, value)];
  const v = value.value;
  parts.push(`Value: ${v === null ? '`null` (no value: Falco prints `<NA>` in text)' : cappedCode(v)}`);
  if (value.uncertainEnd) parts.push(value.uncertainEnd === 'template' ? AMBIGUOUS_SPLIT_NOTE : UNCERTAIN_END_NOTE);
  // A known field's meanings say it (values.ts, `<NA>` of every field): said once.
  if (v === '<NA>' && !value.field) parts.push('`<NA>`: Falco had no value for this field for this event.');
  const inexact = inexactValue(v ?? undefined);
  if (inexact) parts.push(inexact === 'replaced' ? REPLACED_BYTES_NOTE : LONE_SURROGATE_NOTE);
  if (value.field) {
    // evt.arg.flags holds another flag set for each event type: the alert's evt.type picks the reading.
    const meanings = valueMeanings(value.field, v, valueOf(view, 'evt.type'));
    // Meanings that hold only for some events (the alert's evt.type unknown) follow their condition, said once.
    for (const group of meaningGroups(meanings.slice(0, MAX_LISTED))) {
      const items = group.meanings.map((m) => `- ${cappedCode(m.value, 200)}: ${escapeMarkdown(m.meaning)}`);
      if (group.ifEvents) parts.push(`${escapeMarkdown(eventCondition(group.ifEvents))}:\n\n${items.join('\n')}`);
      else parts.push(...items);
    }
    if (value.field === 'container.name' && v === 'host') parts.push(containerNamedHostNote(view));
    if (value.field === 'proc.exepath' && v?.startsWith('/')) { const note = containerPathNote(view); if (note) parts.push(note); }
    // libsinsp renders flag sets as NAME|NAME (O_RDONLY|O_CLOEXEC); a '|' in other text (a command line's pipe) is no flag.
    if (v !== null && v.includes('|') && v.split('|').every((f) => /^[A-Z][A-Z0-9_]*$/.test(f))) {
      const flags = v.split('|').filter((f) => f !== '');
      const explained = new Set(meanings.map((m) => m.value));
      const rest = flags.filter((f) => !explained.has(f));
      if (rest.length) parts.push(`Flags: ${rest.slice(0, MAX_LISTED).map((f) => cappedCode(f, 200)).join(', ')}${rest.length > MAX_LISTED ? `, … (${rest.length - MAX_LISTED} more)` : ''}`);
    }
    if (JSON_TIME_FIELDS.has(value.field) && /^\d{16,}$/.test(v ?? '')) {
      const t = parseAlertTime(undefined, v!);
      if (t) parts.push(`${codeSpan(formatUtc(t) ?? '')}: the same instant (JSON alerts give this field in nanoseconds since the Unix epoch; exact nanoseconds kept)`);
    }
  }
  return parts.join('\n\n');
}

export function wrapperHover(view: AlertView): string {
  const w = view.wrapper!;
  if (w.kind === 'cri') {
    const m = /^(\S+) (stdout|stderr) ([FP])/.exec(w.text);
    // The runtime writes its own clock with its offset (RFC 3339); only a trailing Z is UTC.
    const zone = /Z$/.test(m?.[1] ?? '') ? 'UTC' : 'with its UTC offset';
    return `**Container runtime log prefix**: written by the container runtime, not Falco. Time ${cappedCode(m?.[1] ?? '')} (${zone}), stream ${cappedCode(m?.[2] ?? '')}, `
      + `${m?.[3] === 'P' ? '`P`: a partial line, continued on the next line' : '`F`: a full line'}.`;
  }
  if (w.kind === 'kubectl' || w.kind === 'compose') {
    // kubectl logs.go addPrefixIfNeeded: `[pod/<pod>/<container>] `; docker compose: the container's name and ` | `.
    const named = w.kind === 'kubectl' ? /^\[pod\/([^/\]]*)\/([^\]]*)\] /.exec(w.text) : /^(\S+) *\| /.exec(w.text);
    const time = w.text.slice(named?.[0].length ?? w.text.length).trim();
    const who = w.kind === 'kubectl'
      ? `**kubectl logs --prefix**: pod ${cappedCode(named?.[1] ?? '')}${named?.[2] ? `, container ${cappedCode(named[2])}` : ''}, added by kubectl, not by Falco`
      : `**docker compose logs prefix**: container ${cappedCode(named?.[1] ?? '')}, added by docker compose, not by Falco`;
    return `${who}${time ? `; then the time the container runtime read the line, ${cappedCode(time)} (--timestamps, ${/Z$/.test(time) ? 'UTC' : 'with its UTC offset'})` : ''}; the Falco line follows it.`;
  }
  if (w.kind === 'stern') {
    // stern's default template: `[<namespace> ]<pod> <container> [<time> ]` (cmd.go generateTemplate).
    // The time, when given, is the last word (RFC 3339) or the last two (the short form, `01-02 15:04:05`).
    const words = w.text.trim().split(' ');
    const timeWords = !words[words.length - 1].includes(':') ? 0 : /^\d{2}:\d{2}:\d{2}$/.test(words[words.length - 1]) ? 2 : 1;
    const names = words.slice(0, words.length - timeWords);
    const time = words.slice(words.length - timeWords).join(' ');
    const [namespace, pod, container] = names.length === 3 ? names : [undefined, ...names];
    return `**stern prefix**: ${namespace !== undefined ? `namespace ${cappedCode(namespace)}, ` : ''}pod ${cappedCode(pod ?? '')}, container ${cappedCode(container ?? '')}, added by stern, not by Falco`
      + `${time ? `; then the time stern gives the line, ${cappedCode(time)} (--timestamps${/^\d{2}-\d{2} /.test(time) ? '=short: no year and no time zone' : ''})` : ''}; the Falco line follows it.`;
  }
  if (w.kind === 'timestamp') {
    const time = w.text.trim();
    return `**Log timestamp** ${cappedCode(time)}: added by \`kubectl logs --timestamps\` or \`docker logs --timestamps\` (the time the container runtime `
      + `read the line, ${/Z$/.test(time) ? 'UTC' : 'with its UTC offset'}), not by Falco; the Falco line follows it.`;
  }
  return `**Syslog header**: added by syslog (${cappedCode(w.text.trim())}); the Falco line follows it.`;
}

/** `release`: the target Falco release (setting falcoVersion), for what the hovers say Falco's configuration does. */
export function targetHover(view: AlertView, target: Target, previous: AlertView | undefined, release: string = LATEST_FALCO): string {
  switch (target.kind) {
    case 'rule': return ruleHover(view);
    // A text line that starts with its values has no message to hover: why its rule is unknown is said here.
    case 'priority': return view.messageMatch && view.messageMatch.message === undefined && !view.rule && !view.candidates && !view.targets.some((t) => t.kind === 'rule')
      ? `${priorityHover(view)}\n\n${ruleHover(view)}` : priorityHover(view);
    case 'time': return timeHover(view, previous);
    case 'tags': return tagsHover(view, release);
    case 'tag': return tagHover(target.tag ?? '', release);
    case 'source': return sourceHover(view);
    case 'hostname': return hostnameHover(view);
    case 'uuid': return `**uuid** ${cappedCode(view.uuid ?? '')}: an id falcosidekick gives each event it forwards (Falco itself sends none).`;
    case 'field-key': return fieldKeyHover(view, view.values[target.value!]);
    case 'field-value': {
      const hover = fieldValueHover(view, view.values[target.value!]);
      return escapesInside(view, target) ? `${hover}\n\n${ESCAPES_INSIDE_NOTE}` : hover;
    }
    // Falco writes the time and the priority before the rule's output (formats.cpp:64-74 at 0.44.1, text and JSON),
    // but an internal event's JSON `output` is its message alone (falco_outputs.cpp handle_msg, :202 at 0.44.1, :211
    // at 0.37.0).
    case 'output': return view.outputPrefixed === false && isInternalEvent(view.rule, view.source)
      ? '**output**: the message of a Falco internal event, as Falco writes it in JSON: without a time and priority in front (those come with rules\' outputs), its values in `output_fields`.'
      : view.outputPrefixed === false
      ? '**output**: the rule\'s output, without the time and priority that Falco writes in front of it: this text was not written by Falco as it is (a test payload, or a program that rewrote it). Hover a `key=value` token to see its field.'
      : '**output**: the rule\'s output rendered by Falco, with the time and priority in front. Hover a `key=value` token to see its field.';
    case 'message': return '**message**: the rule\'s output rendered without the time and priority (`json_include_message_property`).';
    // falcosidekick's WebUI payload carries EnabledOutputs, the outputs it started with (outputs/webui.go), while
    // forwardEvent sends each event only to the outputs whose minimumpriority it reaches (handlers.go, 2.34.1).
    case 'outputs': return '**outputs**: the outputs enabled in the falcosidekick that forwarded this event (falcosidekick-ui payload): the same list for every event, not the outputs this one reached. falcosidekick sends an event to an output only when its priority is at least that output\'s `minimumpriority` (a few outputs also take only some sources).';
    case 'wrapper': return wrapperHover(view);
  }
}

/** Whether colour escapes were read past inside a target of a coloured line (documentIndex.ts Piece.apart). */
function escapesInside(view: AlertView, target: Target): boolean {
  return view.record.pieces?.some((p) => p.apart === true && p.from > target.start && p.from < target.end) ?? false;
}

// A presenter's highlight (grep --color, stern --highlight) puts escapes inside a value; a program's own text may hold
// them too, which the line cannot tell apart.
const ESCAPES_INSIDE_NOTE = '**Terminal escapes** stand inside this value in the line (a highlight, such as `grep --color` or `stern --highlight` write): '
  + 'the value is read without them, and an exception or a command built from it uses that text. Had the program itself written them, '
  + 'the event\'s value holds them, and such an exception would not match it.';

/** Said where an alert's source is not its loaded rule's (view.ts ruleSourceConflict). */
export function sourceConflictNote(conflict: { alert: string; loaded: string }): string {
  return `**Another source:** the loaded rule of this name has source ${codeSpan(conflict.loaded)}, this alert ${codeSpan(conflict.alert)}. `
    + 'Falco gives a rule name one source, so the alert comes from a Falco that loaded another definition of it: '
    + 'what is said here of the rule is the loaded definition\'s.';
}
