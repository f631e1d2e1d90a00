// Incident reports and playbook previews in Markdown. Facts come from the alert (escaped), the user's rules
// (escaped), and the knowledge base; nothing is invented: where the knowledge base has no playbook, the report says so.
import { codeBlock, codeSpan, escapeMarkdown } from '../markdown';
import { cappedBlock, cappedCode, cappedText } from './cap';
import { eventCondition, lookupField, meaningGroups, playbookFor, valueMeanings, type Playbook } from '../../knowledge';
import { PRIORITY_MEANINGS } from './priority';
import { alertInstant, containerNamedHostNote, internalEventName, internalEventNote, isInternalText, locationLink, MITRE_PLAYBOOK_LABEL, mitreHoverLines, mitreListing, mitreRuleLabel, sourceConflictNote, type MitreListing } from './hover';
import {
  EXCEPTION_SHAPES, broadParentReason, deploymentReason, exceptionItemYaml, isInternalEvent, kubernetesControllerReason, loadOrderReason,
  proposeExceptions, exceptionComment, isUserField, processKeyReason, inexactRuleNameReason, otherSourceReason, shellOfParentReason, refusedValueReason, socketConnectionReason, unloadedRule, type DeploymentBlock, type LoadOrderBlock,
} from './tuning';
import { JSON_TIME_FIELDS, ruleSourceConflict, shownValues, valueOf, type AlertView } from './view';
import { fillCommand, fillNote, fillTuning } from './fill';
import { formatUtc, parseAlertTime } from './timefmt';
import { table } from '../../knowledge/table';

const MAX_TABLE_ROWS = 200;
const MAX_FIELDS = 40;

function cell(value: string | undefined): string {
  return value === undefined || value === '' ? '—' : escapeMarkdown(shorten(value));
}

/** A table cell holding a value as a code span (times, host names): readable in the raw Markdown and inert. A `|`
 *  splits GFM table cells even inside code spans, so it is escaped there; the table parser removes the backslash. */
function codeCell(value: string | undefined): string {
  return value === undefined || value === '' ? '—' : codeSpan(shorten(value)).replace(/\|/g, '\\|');
}

function shorten(value: string): string { return value.length > 120 ? `${value.slice(0, 119)}…` : value; }

function displayTime(view: AlertView): string | undefined {
  const t = alertInstant(view).t;
  return (t && formatUtc(t)) ?? view.time;
}

/** The earliest and latest dated times of a set of alerts (a log is not always in time order: several streams, a
 *  collector's batches); text times without a date are used only when no alert has a date. */
function timeSpan(views: AlertView[]): { from: string; to: string; undated?: boolean } | undefined {
  let first: { ms: number; nanos: string; view: AlertView } | undefined;
  let last: typeof first;
  for (const view of views) {
    const t = alertInstant(view).t;
    if (t?.epochMs === undefined) continue;
    const at = { ms: t.epochMs, nanos: t.nanos.slice(3), view };
    const before = (a: typeof at, b: typeof at) => a.ms < b.ms || (a.ms === b.ms && a.nanos < b.nanos);
    if (!first || before(at, first)) first = at;
    if (!last || before(last, at)) last = at;
  }
  if (first && last) return { from: displayTime(first.view)!, to: displayTime(last.view)! };
  // Times of day without a date (text alerts): the first and the last line's, which are no bounds (lines of several
  // Falcos interleave, and midnight may pass between them).
  const times = views.map(displayTime).filter((t): t is string => !!t);
  return times.length ? { from: times[0], to: times[times.length - 1], undated: true } : undefined;
}

function ruleLabel(view: AlertView): string {
  const head = view.record.head.head ?? '';
  if (view.rule === undefined && view.candidates) return view.candidates.join(' or ');
  // A text line of an internal event: the event's name, as a JSON one gives it.
  if (isInternalText(view)) return internalEventName(head);
  return view.rule ?? (head === '' ? 'unidentified' : `unidentified: ${head}`);
}

/** How many values a field has among the alerts of a report's section (a field an alert lacks counts as one value). */
function valuesAmong(group: readonly AlertView[], field: string): number {
  const values = new Set<string | undefined>();
  for (const g of group) values.add(valueOf(g, field));
  return values.size;
}

/** What the alert says, field by field, with each field's meaning from the catalog. `group`: the alerts of the
 *  report's section, `view` the first of them: a field whose value is not the same in all of them says so (its time
 *  aside, which each alert has its own of). */
function whatHappened(view: AlertView, group: readonly AlertView[] = [view]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const v of shownValues(view)) {
    const name = v.field ?? v.key ?? '';
    // The same field with the same value (output_fields and the output) once; two keys guessed as one field
    // (`pod=` and `ns=` of an unidentified audit alert) keep both values.
    const seenKey = `${name}\u0000${v.value}`;
    if (seen.has(seenKey) || v.value === null || v.value === '<NA>' || v.value === '') continue;
    seen.add(seenKey);
    const info = v.field ? lookupField(v.field) : undefined;
    // Without the rule's template a field is read off the `key=` before the value: a guess where several fields use
    // that name, and only a convention where one does (the okta README's rule prints `app=%okta.app`, the official
    // rules `app=%okta.target.app.alternateid`), as the hover says.
    const byName = v.how === 'guess' ? 'probably, from the output name' : (view.identification === 'unidentified' || view.identification === 'message') && v.key !== undefined && (v.how === 'catalog' || v.how === 'learned') ? 'from the output name' : undefined;
    const label = v.field ? `${cappedCode(v.field, 200)}${byName ? ` (${byName} ${cappedCode(v.key ?? '', 200)})` : ''}` : `${cappedCode(v.key ?? '', 200)} (unmapped)`;
    // Read without the rule's template, a value with a blank may run on into the template's own words.
    const extent = v.uncertainEnd === 'key' ? ' (read up to the next `key=`: where the value ends is uncertain without the rule\'s output template)'
      : v.uncertainEnd === 'template' ? ' (where the value ends is uncertain: the rule\'s output template reads this text in more than one way)' : '';
    const among = group.length > 1 && v.field && !JSON_TIME_FIELDS.has(v.field) ? valuesAmong(group, v.field) : 1;
    const differs = among > 1 ? ` (this alert's: ${among} different values among the ${group.length} alerts)` : '';
    lines.push(`- ${label} = ${cappedCode(v.value)}${extent}${differs}${info ? ` — ${escapeMarkdown(info.field.desc)}` : ''}`);
    // What this value means here (loginuid -1, EXE_UPPER_LAYER, container.id host, errno names...).
    if (v.field) {
      // Meanings that hold only for some events (the alert's evt.type unknown) go under their condition, said once.
      for (const group of meaningGroups(valueMeanings(v.field, v.value, valueOf(view, 'evt.type')).slice(0, 5))) {
        const pad = group.ifEvents ? '    ' : '  ';
        if (group.ifEvents) lines.push(`  - ${escapeMarkdown(eventCondition(group.ifEvents))}:`);
        for (const m of group.meanings) lines.push(`${pad}- ${cappedCode(m.value, 200)}: ${escapeMarkdown(m.meaning)}`);
      }
    }
    if (v.field === 'container.name' && v.value === 'host') lines.push(`  - ${containerNamedHostNote(view)}`);
    // In output_fields evt.time is nanoseconds since the epoch, not the wall-clock text the field's description names.
    const instant = JSON_TIME_FIELDS.has(v.field ?? '') && /^\d{16,}$/.test(v.value) ? parseAlertTime(undefined, v.value) : undefined;
    const utc = instant && formatUtc(instant);
    // Falco writes `time` and evt.time from the same event: when they differ, the payload was changed after Falco
    // wrote it (as the time hover says), and the conversion is not the alert's time.
    const other = utc ? alertInstant(view) : undefined;
    if (utc && other?.otherEvtTime) {
      lines.push(`  - ${codeSpan(utc)}: the instant of these nanoseconds since the Unix epoch, not the alert's time ${codeSpan(formatUtc(other.t!) ?? view.time ?? '')}: `
        + 'Falco writes both from the same event, so this payload was changed or assembled after Falco wrote it');
    } else if (utc) lines.push(`  - ${codeSpan(utc)}: the same instant (JSON alerts give this field in nanoseconds since the Unix epoch)`);
    if (lines.length >= MAX_FIELDS) { lines.push('- …'); break; }
  }
  if (!lines.length && view.output) lines.push(`- Output: ${cappedCode(view.output)}`);
  return lines.join('\n');
}

/** What to look at first in an alert without a playbook, by its event source. */
const STARTING_POINTS: Record<string, string> = table({
  syscall: 'the process tree, user and container',
  k8s_audit: 'the user, verb, resource and namespace',
  aws_cloudtrail: 'the principal, source IP, event name and region',
  gcp_auditlog: 'the principal, caller IP, method and resource',
  okta: 'the actor, client IP and event type',
  github: 'the user, repository and action',
});

/**
 * The event source of an alert: its `source` when Falco names one we know, else the one source every source-specific
 * field it carries belongs to (sidekick and collectors sometimes rename or drop `source`).
 */
function eventSourceOf(view: AlertView): string | undefined {
  if (view.source && STARTING_POINTS[view.source]) return view.source;
  for (const v of shownValues(view)) {
    const sources = v.field ? lookupField(v.field)?.field.sources : undefined;
    if (sources?.length === 1) return sources[0];
  }
  return undefined;
}

function internalInvestigation(view: AlertView): string {
  const name = view.rule ?? view.record.head.head ?? '';
  if (!name.startsWith('Falco internal: ')) return 'An internal event, not a detection of activity.';
  const drops = /syscall event drop/.test(name);
  return 'Falco\'s own event, not a detection: the values above are Falco\'s own.'
    + (drops ? ' Dropped system calls mean that Falco may have missed activity on this host during that second.' : '');
}

function startingPoints(view: AlertView): string {
  const source = eventSourceOf(view);
  return (source && STARTING_POINTS[source]) ?? 'what was done, by whom, from where';
}

function commandsMarkdown(playbook: Playbook, view: AlertView, which: 'investigate'): string {
  return playbook[which].map((c, i) => {
    const filled = fillCommand(c.command, view);
    return `${i + 1}. ${escapeMarkdown(c.purpose)}${fillNote(filled)}\n\n${cappedBlock(filled.text, 'sh', 'command')}`;
  }).join('\n\n');
}

/** Whether a mitigation is set in a Kubernetes workload: a pod spec or container securityContext, or a NetworkPolicy
 *  (which selects pods). None of them reaches a process on the host. */
function setInWorkload(m: Playbook['mitigations'][number]): boolean {
  const c = m.config;
  return c !== undefined && c.language === 'yaml' && (/^\s*securityContext:/m.test(c.text) || /^kind: NetworkPolicy$/m.test(c.text) || /pod spec|securityContext|NetworkPolicy/i.test(c.title));
}

function mitigationsMarkdown(playbook: Playbook, view: AlertView): string {
  // An alert of a process on the host (container.id `host`): what a pod spec or a NetworkPolicy sets does not reach it.
  const onHost = valueOf(view, 'container.id') === 'host';
  const shown = onHost ? playbook.mitigations.filter((m) => !setInWorkload(m)) : playbook.mitigations;
  const left = playbook.mitigations.length - shown.length;
  const note = left ? `${shown.length ? '\n\n' : ''}${left === 1 ? 'One mitigation set' : `${left} mitigations set`} in a Kubernetes pod spec, container securityContext or NetworkPolicy `
    + `${left === 1 ? 'is' : 'are'} left out: this alert is of a process on the host (${codeSpan('container.id')} = ${codeSpan('host')}), which none of them reaches.` : '';
  return shown.map((m) => {
    const parts = [`- ${escapeMarkdown(m.summary)}`];
    for (const c of m.commands ?? []) {
      const filled = fillCommand(c.command, view);
      // The knowledge base marks the commands that change the system; say so before the user can copy one.
      const mark = c.changesSystem ? '**Changes the system:** ' : '';
      parts.push(`\n  ${mark}${escapeMarkdown(c.purpose)}${fillNote(filled)}\n\n${indent(cappedBlock(filled.text, 'sh', 'command'))}`);
    }
    if (m.config) parts.push(`\n  ${escapeMarkdown(m.config.title)}\n\n${indent(codeBlock(m.config.text, m.config.language))}`);
    return parts.join('\n');
  }).join('\n') + note;
}

function indent(block: string): string { return block.split('\n').map((l) => `  ${l}`).join('\n'); }

/** Where the tuning quick fixes of an alert's rule write (alerts/index.ts tuningPlaces), when it is not the block that
 *  defines the rule. */
export interface TuningPlaces {
  /** Why the local rules file takes no tuning: Falco loads it before the rule's file, or a later file defines the rule
   *  again. */
  blocked?: LoadOrderBlock;
  /** The files of the workspace's Falco deployments that take it (a chart values' customRules entry, an operator's
   *  Rulesfile), where each is in Falco's container, and why a file takes none (`blocked`: no quick fix then). */
  deployments: { kind: 'chart' | 'operator'; label: string; podPath: string; blocked?: DeploymentBlock }[];
  /** Whether the local rules file takes it; `doesNotRead`: the kinds of deployment whose Falco does not read it (a
   *  chart's, unless its values mount it; an operator's, never). */
  local: boolean;
  doesNotRead?: ('chart' | 'operator')[];
}
export type TuningPlacesOf = (view: AlertView) => TuningPlaces;

/** `group`: the alerts of the report's section, `view` the first of them (the exception proposed is on its values). */
function tuningMarkdown(view: AlertView, playbook: Playbook | undefined, placesOf?: TuningPlacesOf, group: readonly AlertView[] = [view]): string {
  const parts: string[] = [];
  if (isInternalEvent(view.rule ?? view.record.head.head, view.source)) return internalEventNote(view.rule ?? view.record.head.head);
  // Exceptions are written for a named rule: without one, what the alert carries does not matter.
  if (!view.rule && view.candidates) {
    const several = view.readWith === undefined ? 'the output template of this text alert is that of several rules' : 'the output templates of several rules match this text alert equally well';
    return `No exception is proposed: ${several} (${view.candidates.map((c) => cappedCode(c, 200)).join(', ')}), `
      + 'so it cannot tell which of them fired, and an exception or a disable of one of them may miss it. With `json_output: true` in falco.yaml each alert names its rule.';
  }
  if (!view.rule) return 'No exception is proposed: an exception belongs to a named rule, and this alert\'s rule is unidentified (add the rules Falco ran with to identify it).';
  const badName = inexactRuleNameReason(view);
  if (badName) return `No exception and no disable are proposed: ${escapeMarkdown(badName)}.`;
  const { proposals, refused, notApplicable, otherSource } = proposeExceptions(view);
  // Why the usual shapes are not among them: a socket connection for file + process, a broad parent for the pairs
  // with the parent (process + parent, executable path + parent), a Kubernetes controller for user + namespace.
  const connectionReason = notApplicable.some((shape) => shape.fields.includes('fd.name')) ? socketConnectionReason(view, (v) => cappedCode(v, 200)) : undefined;
  const parentReason = notApplicable.some((shape) => shape.fields.includes('proc.pname'))
    ? broadParentReason(view, (v) => cappedCode(v, 200)) ?? shellOfParentReason(view, (v) => cappedCode(v, 200)) : undefined;
  const controllerReason = notApplicable.some((shape) => shape.fields.includes('ka.user.name')) ? kubernetesControllerReason(view, (v) => cappedCode(v, 200)) : undefined;
  const places = placesOf?.(view) ?? { deployments: [], local: true };
  const blocked = places.blocked;
  const target = view.ruleSummary?.tuningTarget;
  if (proposals.length) {
    // A rule of a Helm chart's customRules loads after the local rules file: its exceptions go into its own block. A
    // Falco Operator deployment has no local rules file: the Falco it deploys reads /etc/falco/rules.d only, the
    // Rulesfiles' files (falco-operator v0.4.1 internal/pkg/resources/falco.go), so its block is where tuning goes.
    // Otherwise the files of the Falco deployments (a chart values' customRules entry, an operator's Rulesfile) and the
    // local rules file, where they take it (a blocked one is said below).
    const notThe = places.doesNotRead?.map((k) => `the ${k}'s`).join(' or ');
    const targets = [
      ...places.deployments.filter((c) => !c.blocked).map((c) => `${escapeMarkdown(c.label)} (${c.kind === 'chart' ? 'mounted' : 'written'} as ${codeSpan(c.podPath)}, for the ${c.kind === 'chart' ? 'chart' : 'Falco Operator'}'s Falco)`),
      ...(places.local && !blocked ? [notThe ? `your local rules file (for a Falco that reads it, not ${notThe})` : 'your local rules file'] : []),
    ];
    const where = target
      ? target.holder === 'inlineRules' ? `to the Rulesfile's inlineRules that define the rule (${escapeMarkdown(target.label)}; the Falco that the Falco Operator deploys reads only the Rulesfiles' files in /etc/falco/rules.d, no local rules file)`
        : `to the block that defines the rule (${escapeMarkdown(target.label)}), which loads after your local rules file`
      : targets.length ? `to ${targets.join(', or to ')}` : undefined;
    // Not "this alert only": every later alert of the rule with the same values is silenced too.
    // In a section of several alerts, how many of them the exception covers: those with the first one's values.
    const fields = proposals[0].shape.fields;
    const covered = group.filter((g) => fields.every((f) => valueOf(g, f) === valueOf(view, f))).length;
    const whose = group.length > 1 ? 'the first alert\'s values' : 'this alert\'s values';
    const count = group.length > 1 ? ` (${covered === group.length ? (covered === 2 ? 'both' : `all ${covered}`) : `${covered} of the ${group.length}`} alerts of this section ${covered === 1 ? 'has' : 'have'} them)` : '';
    parts.push(`An exception on ${whose} (${escapeMarkdown(proposals[0].shape.label)}), which silences every alert of this rule with the same values${count}${where ? `; the quick fix "Add exception" writes it ${where}` : ''}:`);
    parts.push(cappedBlock(exceptionItemYaml(proposals[0], exceptionComment(proposals[0], unloadedRule(view)?.comment)).trimEnd(), 'yaml', 'exception'));
    if (proposals.some((p) => p.shape.fields.includes('proc.exepath') || p.shape.fields.includes('proc.name'))) parts.push(processKeyReason(view, (v) => cappedCode(v, 200)));
    // The same exception without the user covers whoever runs the program that way: said where both are offered.
    const users = proposals[0].shape.fields.filter(isUserField);
    const anyUser = users.length === 0 ? undefined : proposals.find((p) => p.shape.fields.join(' ') === proposals[0].shape.fields.filter((f) => !isUserField(f)).join(' '));
    if (anyUser) {
      const said: Record<string, string> = { 'user.name': 'the user the process runs as', 'user.uid': 'the uid the process runs as, the alert having no name for it', 'user.loginuid': 'the login user, kept across su and sudo' };
      parts.push(`It is keyed by the user too (${users.map((f) => `${codeSpan(f)}: ${said[f]}`).join('; ')}). `
        + `The quick fix "${escapeMarkdown(anyUser.shape.label)}" leaves the user out: it silences the same values whoever runs the program, a root shell's as much as this one's.`);
    }
    if (connectionReason) parts.push(`Why not on the file descriptor: ${connectionReason}.`);
    if (parentReason) parts.push(`Why not on the program and its parent: ${parentReason}.`);
    if (controllerReason) parts.push(`Why not on the user and namespace: ${controllerReason}.`);
    // A more specific shape left out because a value of it is not what Falco compares (U+FFFD, a lone surrogate: tuning.ts
    // inexactValue): said, so that it is not taken for an oversight.
    // Shapes left out for one reason (the file with the user and without it) are named together.
    const byReason = new Map<string, string[]>();
    for (const r of refused) {
      const reason = refusedValueReason(r, codeSpan);
      byReason.set(reason, [...(byReason.get(reason) ?? []), escapeMarkdown(r.shape.label)]);
    }
    for (const [reason, labels] of byReason) parts.push(`Why not on the ${labels.join(', or the ')}: ${reason}.`);
  } else if (refused.length) {
    const reasons = new Set(refused.map((r) => refusedValueReason(r, codeSpan)));
    parts.push(`No exception is proposed: ${[...reasons].join('; and ')}.`);
  } else if (otherSource.length) {
    parts.push(`No exception is proposed: ${otherSourceReason(view, otherSource, codeSpan, escapeMarkdown)}.`);
  } else if (connectionReason || parentReason || controllerReason) {
    parts.push(`No exception is proposed: ${[connectionReason, parentReason, controllerReason].filter((r) => r !== undefined).join('; and ')}.`);
  } else {
    // Each shape once: one keyed by the user too is the same shape with the alert's user (tuning.ts userPair).
    const labels = EXCEPTION_SHAPES.filter((shape) => !shape.label.endsWith(' + user')).map((shape) => shape.label.replace(/, any user$/, ''));
    parts.push(`No exception is proposed: the alert does not have the values of any exception Falco Lens writes (${escapeMarkdown(labels.join('; '))}).`);
  }
  if (playbook) parts.push(playbookTuningMarkdown(playbook, view));
  // Falco throws ERROR_NO_PREVIOUS_RULE_APPEND for an override of a rule no earlier file defines
  // (rule_loader_collector.cpp 0.44.0): without the rule loaded, nothing here could check that.
  const unloaded = unloadedRule(view);
  if (unloaded && (proposals.length || playbook)) {
    // Said as the quick fixes' titles and YAML comment say it (tuning.ts unloadedRule).
    const which = unloaded.official ? ` Falco's official ${codeSpan(unloaded.official)} defines a rule of this name: check that Falco loads it before the file you put the tuning in.`
      : ' It is not one of Falco\'s official rules either: check the name (it may be a custom rule in a file Falco Lens does not read).';
    parts.push(`**Check before use:** ${cappedCode(view.rule, 200)} is not in the loaded rules (workspace and \`falcoLens.rules.files\`), so Falco Lens cannot check these overrides. `
      + 'Falco (0.37 to 0.44) takes an override only of a rule that a rules file loaded before it defines; otherwise the item is an error, '
      + '`Rule uses \'append\' or \'override.<key>: append\' but no rule by that name already exists` (an exception) or '
      + '`An \'override.<key>: replace\' to a rule was requested but no rule by that name already exists` (a disable), Falco reads no further in that file '
      + 'and does not start; a hot reload (`watch_config_files`, SIGHUP) keeps the rules it runs and sends the alert `Falco internal: hot restart failure`. '
      + 'Put the tuning in a file that Falco loads after the one defining the rule.' + which);
  }
  if (!target && places.doesNotRead?.includes('chart') && (proposals.length || playbook)) {
    // Facts: embedded/regions.ts ChartValues.
    parts.push('**The Helm chart\'s Falco does not read your local rules file:** by the chart\'s default, falcoctl installs the rules into an empty '
      + '/etc/falco (falco_rules.yaml only, so Falco skips /etc/falco/falco_rules.local.yaml), and without falcoctl /etc/falco is the image\'s, '
      + 'whose falco_rules.local.yaml holds a comment only; a file there is yours only when the values mount it (`mounts.volumeMounts`). '
      + 'The chart mounts the values\' customRules in /etc/falco/rules.d, which its default rules_files reads last: tuning for that Falco goes there.');
  }
  if (!target && places.doesNotRead?.includes('operator') && (proposals.length || playbook)) {
    // Facts: embedded/regions.ts, its last section; embedded/operatorTuning.ts.
    parts.push('**The Falco Operator\'s Falco does not read your local rules file:** the Falco it deploys reads /etc/falco/rules.d only, where '
      + 'the operator writes the Rulesfiles of its namespace, sorted by their priority: tuning for that Falco goes into a Rulesfile that loads '
      + 'after the rule\'s definition.');
  }
  for (const c of target ? [] : places.deployments) {
    if (c.blocked && (proposals.length || playbook)) parts.push(`**Not in ${escapeMarkdown(c.label)}:** ${deploymentReason(c.blocked, (v) => cappedCode(v, 300))}. Falco Lens offers no quick fix for it.`);
  }
  if (blocked && (proposals.length || playbook)) {
    parts.push(`**Not in your local rules file:** ${loadOrderReason(blocked, (v) => cappedCode(v, 300))}. Falco Lens offers no quick fix for it.`);
  }
  parts.push('Only add an exception after the investigation shows the activity is expected.');
  return parts.join('\n\n');
}

/** The playbook's tuning snippet filled with this alert's values (YAML-quoted), with what is left to fill in. */
function playbookTuningMarkdown(playbook: Playbook, view: AlertView): string {
  const filled = fillTuning(playbook.tuning.yaml, view);
  const notes: string[] = [];
  if (filled.missing.length) notes.push(`Fill in: ${filled.missing.map(codeSpan).join(', ')} (not in this alert).`);
  for (const n of filled.dropped) notes.push(`${codeSpan(n.field)} is left out of the exception. ${escapeMarkdown(n.reason)}`);
  for (const n of filled.notApplicable) notes.push(`${codeSpan(n.field)} is left as a placeholder: ${escapeMarkdown(n.reason)}.`);
  const quoted = filled.filled.filter((f) => f.value.startsWith('"'));
  if (quoted.length) {
    notes.push(`The value of ${[...new Set(quoted.map((f) => f.field))].map(codeSpan).join(', ')} is written in double quotes, `
      + 'as Falco\'s condition reads a string (backslashes and double quotes escaped): Falco copies exception and list values into the rule condition as they are, '
      + 'and leaves a quoted one alone.');
  }
  return [`${escapeMarkdown(playbook.tuning.summary)}`, cappedBlock(filled.text.trimEnd(), 'yaml', 'tuning snippet'), ...notes].join('\n\n');
}

/** The playbook of the alert's rule, its commands filled with this alert's values (shell-quoted). */
export function playbookMarkdown(view: AlertView, playbook: Playbook, placesOf?: TuningPlacesOf): string {
  const parts = [`# Playbook: ${escapeMarkdown(playbook.rule)}`, `**Detects:** ${escapeMarkdown(playbook.detects)}`, `**Attacker's goal:** ${escapeMarkdown(playbook.attackerGoal)}`];
  parts.push(...mitreHoverLines(mitreListing(view, playbook.mitre)));
  if (playbook.keyFields.length) {
    parts.push('## Key fields of this alert');
    parts.push(playbook.keyFields.map((k) => `- ${codeSpan(k.field)} = ${cappedCode(valueOf(view, k.field) ?? '(not in this alert)')} — ${escapeMarkdown(k.meaning)}`).join('\n'));
  }
  if (playbook.benignCauses.length) parts.push(`## Benign causes\n\n${playbook.benignCauses.map((b) => `- ${escapeMarkdown(b)}`).join('\n')}`);
  if (playbook.investigate.length) parts.push(`## Investigate\n\nThese steps change nothing on the system; a \`crictl exec\` step starts a process in the container, and an evidence copy writes the evidence file only.\n\n${commandsMarkdown(playbook, view, 'investigate')}`);
  if (playbook.mitigations.length) parts.push(`## Mitigations\n\n${mitigationsMarkdown(playbook, view)}`);
  parts.push(`## Tuning\n\n${tuningMarkdown(view, playbook, placesOf)}`);
  return parts.join('\n\n') + '\n';
}

/** The report's ATT&CK section: the rule's ids and the playbook's, each list under what it comes from. */
function mitreMarkdown(mitre: MitreListing): string {
  const parts = [mitre.fromRule.length ? `Ids ${mitreRuleLabel(mitre)}:\n\n${mitre.fromRule.map((m) => `- ${m}`).join('\n')}` : 'No MITRE ATT&CK id in the rule\'s tags.'];
  if (mitre.fromPlaybook.length) parts.push(`Ids ${MITRE_PLAYBOOK_LABEL}:\n\n${mitre.fromPlaybook.map((m) => `- ${m}`).join('\n')}`);
  return parts.join('\n\n');
}

/** A Markdown incident report for a set of alerts (a whole log or a selection). */
export function incidentReport(views: AlertView[], fileLabel: string, placesOf?: TuningPlacesOf): string {
  const steps = incidentReportSteps(views, fileLabel, undefined, placesOf);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** incidentReport in steps: one after the summary and one after each rule's section; the last returns the Markdown.
 *  `placeOf` names an alert's place: its 1-based line in the file (by default its line in the text that was read),
 *  after the file's name when the alerts come from several files (`falco.log.1:12`, a rotated set). */
export function* incidentReportSteps(views: AlertView[], fileLabel: string, placeOf = (view: AlertView) => String(view.record.line + 1), placesOf?: TuningPlacesOf): Generator<void, string, void> {
  const out: string[] = ['# Falco incident report'];
  if (views.length === 0) {
    out.push(`No Falco alerts found in ${codeSpan(fileLabel)}.`);
    return out.join('\n\n') + '\n';
  }
  const span = timeSpan(views);
  const hosts = [...new Set(views.map((v) => v.hostname).filter((h): h is string => !!h))];
  out.push(`${views.length} alert${views.length === 1 ? '' : 's'} from ${codeSpan(fileLabel)}`
    + (span && views.length === 1 ? `, at ${span.undated ? 'time of day ' : ''}${cappedCode(span.from, 200)}${span.undated ? ' (text alerts carry no date)' : ''}`
      : span?.undated ? `, times of day ${cappedCode(span.from, 200)} on its first alert to ${cappedCode(span.to, 200)} on its last (text alerts carry no date)`
      : span ? `, ${cappedCode(span.from, 200)} to ${cappedCode(span.to, 200)}` : '')
    + (hosts.length ? `, on ${hosts.slice(0, 10).map((h) => cappedCode(h, 200)).join(', ')}${hosts.length > 10 ? ' …' : ''}` : '') + '.');
  out.push('## Summary');
  const rows = ['| # | Line | Time | Priority | Rule | Host | Source |', '|---|---|---|---|---|---|---|'];
  views.slice(0, MAX_TABLE_ROWS).forEach((v, i) => {
    rows.push(`| ${i + 1} | ${cell(placeOf(v))} | ${codeCell(displayTime(v))} | ${cell(v.priorityText)} | ${cell(ruleLabel(v))} | ${codeCell(v.hostname)} | ${cell(v.source)} |`);
  });
  if (views.length > MAX_TABLE_ROWS) rows.push(`| … | | | | ${views.length - MAX_TABLE_ROWS} more alerts | | |`);
  out.push(rows.join('\n'));
  yield;
  // One section per rule, most severe first. Alerts whose source is not the loaded rule's (ruleSourceConflict: another
  // Falco's definition of the name) get a section of their own per source, so that the note, the fields and the tuning
  // of a section are those of all its alerts, not of its first one.
  const groups = new Map<string, AlertView[]>();
  for (const v of views) {
    const key = `${ruleLabel(v)}\u0000${ruleSourceConflict(v)?.alert ?? ''}`;
    const list = groups.get(key) ?? [];
    list.push(v);
    groups.set(key, list);
  }
  // By the group's most severe alert: a rule whose priority changed in the log (an override between restarts, two
  // Falcos with other rules files) sorts where its worst alert belongs.
  const ordered = [...groups.values()].sort((a, b) => worstPriority(a) - worstPriority(b) || b.length - a.length);
  for (const [i, group] of ordered.entries()) {
    const first = group[0];
    const playbook = first.rule ? playbookFor(first.rule) : undefined;
    const conflict = ruleSourceConflict(first);
    out.push(`## ${i + 1}. ${cappedText(ruleLabel(first), 200)}${conflict ? ` (source ${cappedCode(conflict.alert, 100)})` : ''}`);
    const priorities = prioritiesOf(group);
    const priorityText = priorities.length === 1 ? escapeMarkdown(first.priorityText) : priorities.map(([p, n]) => `${escapeMarkdown(p.priorityText)} (${n})`).join(', ');
    out.push(`${priorityText}, ${group.length} alert${group.length === 1 ? '' : 's'} (line${group.length === 1 ? "" : "s"} ${group.slice(0, 10).map((v) => escapeMarkdown(placeOf(v))).join(', ')}${group.length > 10 ? ', …' : ''}).`
      + (first.identification === 'template' ? ' Rule identified by matching its output template.' : first.identification === 'message' ? ' Rule identified by its message only: its loaded output template does not match the line (another version of the rule wrote it).' : first.identification === 'unidentified' && !isInternalText(first) ? ' The rule is unidentified: no loaded rule\'s output template matches.'
        : first.identification === 'ambiguous' ? ' These rules have the same output template and priority: a text alert cannot tell which of them fired.' : ''));
    // The values, commands and tuning below are read off the section's first alert: said where the section has more.
    const firstOf = group.length > 1 ? `The values below, and those filled into the commands and the tuning of this section, are those of the first of these ${group.length} alerts `
      + `(line ${escapeMarkdown(placeOf(first))}); a field marked with a count of values has other values in the others.\n\n` : '';
    out.push(`### What happened\n\n${firstOf}${whatHappened(first, group)}`);
    const why: string[] = [];
    if (playbook) why.push(escapeMarkdown(playbook.detects), escapeMarkdown(playbook.attackerGoal));
    if (first.ruleSummary?.desc) why.push(`The rule's description: ${cappedText(first.ruleSummary.desc.trim())}`);
    for (const [p] of priorities) if (p.priority >= 0) why.push(`Priority ${escapeMarkdown(p.priorityText)}: ${escapeMarkdown(PRIORITY_MEANINGS[p.priority])}.`);
    if (first.ruleSummary?.location) why.push(`Rule defined in ${locationLink(first.ruleSummary.location.uri, first.ruleSummary.location.range.start.line)}.`);
    if (conflict) why.push(sourceConflictNote(conflict));
    out.push(`### Why it matters\n\n${why.join('\n\n')}`);
    const mitre = mitreListing(first, playbook?.mitre ?? []);
    const internal = isInternalEvent(first.rule ?? first.record.head.head, first.source);
    const unknownRule = !first.rule && !internal;
    const unknown = first.candidates ? 'Which of these rules fired is unknown' : 'The rule is unidentified';
    out.push(`### MITRE ATT&CK\n\n${internal ? 'None: this is not a rule\'s detection.' : unknownRule ? `${unknown}, so its tags are unknown.` : mitreMarkdown(mitre)}`);
    out.push(`### Investigation\n\n${internal ? internalInvestigation(first) : playbook?.investigate.length ? commandsMarkdown(playbook, first, 'investigate') : `${unknownRule ? `${unknown}, so no playbook can be looked up` : 'The knowledge base has no playbook for this rule'}: start from the fields above (${startingPoints(first)}).`}`);
    const noMitigation = internal ? 'None: this is not a rule\'s detection (see Tuning).' : unknownRule ? `${unknown}, so no mitigation can be looked up.` : 'No mitigation is recorded for this rule in the knowledge base.';
    out.push(`### Mitigations\n\n${playbook?.mitigations.length ? mitigationsMarkdown(playbook, first) : noMitigation}`);
    out.push(`### Tuning\n\n${tuningMarkdown(first, playbook, placesOf, group)}`);
    yield;
  }
  return out.join('\n\n') + '\n';
}

/** The priorities of a section's alerts, most severe first (unknown last), each with one alert of it and the count. */
function prioritiesOf(group: readonly AlertView[]): [AlertView, number][] {
  const byPriority = new Map<number, [AlertView, number]>();
  for (const v of group) {
    const entry = byPriority.get(v.priority);
    if (entry) entry[1]++; else byPriority.set(v.priority, [v, 1]);
  }
  return [...byPriority.values()].sort((a, b) => rank(a[0].priority) - rank(b[0].priority));
}

/** A priority for sorting: 0 (Emergency) to 7 (Debug), an unknown one after them. */
function rank(priority: number): number { return priority < 0 ? 9 : priority; }

function worstPriority(group: readonly AlertView[]): number {
  let worst = 9;
  for (const v of group) worst = Math.min(worst, rank(v.priority));
  return worst;
}
