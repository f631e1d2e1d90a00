// The knowledge base's query API. Services import from here, never from the data modules directly, so the
// data can be reorganised without touching them.
import { FIELDS } from './fields';
import { PLAYBOOKS } from './playbooks';
import { MITRE } from './mitre';
import { VALUE_MEANINGS } from './values';
import { ASYNC_EVENT_CODE, CODELESS_EVENT_NAMES, EVENT_CODES_BY_NAME, GENERIC_EVENT_CODES, GENERIC_SYSCALL_NAMES } from './eventTypes';
import { OLDER_EVENT_TABLES, type OlderEventTable } from './olderEventTables';
import { EVENT_NAMES_BY_PARAMETER, OLDER_EVENT_NAMES_BY_PARAMETER } from './eventParams';
import { PLUGIN_ASYNC_EVENTS } from './pluginEvents';
import { OFFICIAL_FILES, OFFICIAL_LISTS, OFFICIAL_MACROS, OFFICIAL_REDEFINED, OFFICIAL_RULES } from './officialItems';
import type { FieldInfo, MitreEntry, Playbook, ValueMeaning } from './types';

export * from './types';
export * from './falcoVersions';
export { fixedFieldValues, type FixedValue } from './fieldValues';

const fieldsByName = new Map<string, FieldInfo>();
for (const f of FIELDS) fieldsByName.set(f.name, f);
/** The length of the longest catalog field name: a longer prefix of a reference names no field. The searches of a
 *  field a reference begins with start at the last dot within it, not at the reference's last dot: sliced at every dot
 *  of a long `a.a.a...` word, they made its diagnostics cubic (a 4,000-character word: 2.9 s). */
export const LONGEST_FIELD_NAME = FIELDS.reduce((n, f) => Math.max(n, f.name.length), 0);
const playbooksByRule = new Map<string, Playbook>();
for (const p of PLAYBOOKS) playbooksByRule.set(p.rule, p);
const mitreById = new Map<string, MitreEntry>();
for (const m of MITRE) mitreById.set(m.id.toUpperCase(), m);

export function allFields(): readonly FieldInfo[] { return FIELDS; }
export function allPlaybooks(): readonly Playbook[] { return PLAYBOOKS; }
export function allMitre(): readonly MitreEntry[] { return MITRE; }
export function allValueMeanings(): readonly ValueMeaning[] { return VALUE_MEANINGS; }

export interface FieldMatch {
  field: FieldInfo;
  /** The argument as written, without brackets (`2` for `proc.aname[2]`, `flags` for `evt.arg.flags`). */
  arg?: string;
}

/**
 * Resolves a field reference as written in a condition or output: `proc.name`, `proc.aname[2]`, `evt.arg[flags]`,
 * `evt.arg.flags` (dot form), `ka.req.pod.containers.image[0]`. Returns undefined when no catalog field matches.
 */
export function lookupField(reference: string): FieldMatch | undefined {
  const bracket = reference.indexOf('[');
  if (bracket >= 0) {
    const name = reference.slice(0, bracket);
    const field = fieldsByName.get(name);
    if (!field) return undefined;
    const close = reference.lastIndexOf(']');
    const arg = reference.slice(bracket + 1, close > bracket ? close : undefined);
    return { field, arg };
  }
  const exact = fieldsByName.get(reference);
  if (exact) return { field: exact };
  // Dot form of an argument: the longest known prefix whose field accepts `prefix.arg`.
  for (let dot = reference.lastIndexOf('.', LONGEST_FIELD_NAME); dot > 0; dot = reference.lastIndexOf('.', dot - 1)) {
    const field = fieldsByName.get(reference.slice(0, dot));
    // A check that reads less than the whole argument (dotArgumentCut) takes no field by that name.
    if (field?.arg?.dotForm) return dotArgumentCut(reference) ? undefined : { field, arg: reference.slice(dot + 1) };
  }
  return undefined;
}

/**
 * A field written with its argument after a dot where the field's check reads only part of it
 * (FieldArgument.dotRead: `thread.cgroup.cpu1` is read as `thread.cgroup.cpu`): the field, what it reads and the rest.
 * libsinsp's lookup wants the whole name read (filter_check_list.cpp new_filter_check_from_fldname, exact check, libs
 * 0.14.2-0.25.2), so a condition names a nonexistent field; an output's formatter prints the field read and then the
 * rest as text.
 */
export function dotArgumentCut(reference: string): { field: FieldInfo; read: string; rest: string } | undefined {
  for (let dot = reference.lastIndexOf('.', LONGEST_FIELD_NAME); dot > 0; dot = reference.lastIndexOf('.', dot - 1)) {
    const field = fieldsByName.get(reference.slice(0, dot));
    if (!field?.arg?.dotForm) continue;
    const arg = reference.slice(dot + 1);
    const read = field.arg.dotRead?.chars.exec(arg)![0];
    return read !== undefined && read.length < arg.length ? { field, read, rest: arg.slice(read.length) } : undefined;
  }
  return undefined;
}

/**
 * A dot form of an argument that the catalog's release refuses but older releases read (`k8s.pod.label.app`, read up
 * to Falco 0.40: FieldArgument.dotFormUntil), with its field, its argument and that last release.
 */
export function olderDotForm(reference: string): { field: FieldInfo; arg: string; until: string } | undefined {
  for (let dot = reference.lastIndexOf('.', LONGEST_FIELD_NAME); dot > 0; dot = reference.lastIndexOf('.', dot - 1)) {
    const field = fieldsByName.get(reference.slice(0, dot));
    if (field?.arg?.dotFormUntil) return { field, arg: reference.slice(dot + 1), until: field.arg.dotFormUntil };
  }
  return undefined;
}

/**
 * What libsinsp's k8s check (Falco 0.37-0.40) read of a label after the dot: letters, digits and `/_-.`, up to any
 * other character (libs 0.14.2-0.20.0 sinsp_filtercheck_k8s.cpp extract_arg).
 */
export const OLDER_DOT_ARGUMENT = /^[A-Za-z0-9/_.-]*/;

function olderDotArgumentEnd(text: string, at: number): number {
  let i = at;
  for (let c; i < text.length && ((c = text.charCodeAt(i)) === 45 || c === 46 || c === 47 || c === 95
    || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));) i++;
  return i;
}

/** A label written after a dot (dotLabelAt). */
export interface DotLabel {
  field: FieldInfo;
  label: string;
  /** Where the label ends in the text. */
  end: number;
  /** `k8s.ns.label[app-tier]`. */
  bracketForm: string;
}

/**
 * The label written after a dot at `start` of `text` for a field whose dot form older releases read
 * (FieldArgument.dotFormUntil: `k8s.ns.label.app-tier`), taken as libsinsp's k8s check of Falco 0.37-0.40 took it
 * (OLDER_DOT_ARGUMENT), with its bracket form, which every release 0.37-0.44 reads whole: the filter parser's bare
 * argument takes any character but brackets, quotes and blanks (RGX_FIELDARGBARESTR, libs 0.14.2-0.25.4
 * filter/parser.cpp), libs 0.14.2-0.20.0's k8s check reads up to `]` (sinsp_filtercheck_k8s.cpp extract_arg), the
 * container plugin's fields take the key in brackets. Undefined when no such field is written there with a dot, or the
 * label is empty or ends with `.`: no Kubernetes label key does (each part begins and ends with a letter or digit), so
 * that dot is punctuation or a typo, and which label was meant is a guess. `of`: the field, for any field written so
 * (a plugin's `container.label.x`, which no release reads: the label it names, in the same characters).
 */
export function dotLabelAt(text: string, start: number, of?: FieldInfo): DotLabel | undefined {
  if (of) return text.startsWith(`${of.name}.`, start) ? labelAfter(text, start + of.name.length, of) : undefined;
  let nameEnd = start;
  for (let c; nameEnd < text.length && ((c = text.charCodeAt(nameEnd)) === 46 || c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));) nameEnd++;
  for (let dot = text.lastIndexOf('.', Math.min(nameEnd - 1, start + LONGEST_FIELD_NAME)); dot > start; dot = text.lastIndexOf('.', dot - 1)) {
    const field = fieldsByName.get(text.slice(start, dot));
    if (field?.arg?.dotFormUntil) return labelAfter(text, dot, field);
  }
  return undefined;
}

function labelAfter(text: string, dot: number, field: FieldInfo): DotLabel | undefined {
  const end = olderDotArgumentEnd(text, dot + 1);
  const label = text.slice(dot + 1, end);
  if (label === '' || label.endsWith('.')) return undefined;
  return { field, label, end, bracketForm: `${field.name}[${label}]` };
}

const fieldsByOutputKey = new Map<string, FieldInfo[]>();
for (const f of FIELDS) {
  // The conventional `proc_cmdline` form (Falco's append_output "foo_bar=$foo.bar"), then the keys rules use.
  for (const key of new Set([f.name.replace(/\./g, '_'), ...(f.outputKeys ?? [])])) {
    const list = fieldsByOutputKey.get(key) ?? [];
    list.push(f);
    fieldsByOutputKey.set(key, list);
  }
}

/**
 * Fields that a `key=value` pair of a text alert may stand for: `process` -> proc.name, `command` -> proc.cmdline,
 * `container_image_repository` -> container.image.repository. Several fields share short keys (`user` is user.name,
 * ka.user.name, ct.user...), so pass the alert's source to narrow the answer; [] when the key is unknown.
 */
export function fieldsForOutputKey(key: string, source?: string): FieldInfo[] {
  const all = fieldsByOutputKey.get(key) ?? [];
  return source === undefined ? all : all.filter((f) => (f.sources as string[]).includes(source));
}

/**
 * The field reference a `key=value` pair of a text alert renders, with its argument where the key implies one:
 * `exe_flags` -> `evt.arg.flags`, `process` -> `proc.name`. Undefined when the key is unknown or ambiguous for the source.
 */
export function referenceForOutputKey(key: string, source?: string): string | undefined {
  const fields = fieldsForOutputKey(key, source);
  if (fields.length === 0) return undefined;
  const field = fields[0];
  return referenceWithArgument(field, key);
}

/** The field reference an output key renders: `evt.arg.flags` for `exe_flags`, `proc.aname[2]` for `gparent`. */
export function referenceWithArgument(field: FieldInfo, key: string): string {
  const arg = field.outputKeyArgs?.[key];
  if (arg === undefined) return field.name;
  return arg.startsWith('[') ? `${field.name}${arg}` : `${field.name}.${arg}`;
}

/** Fields usable in the given source, in catalog order. */
export function fieldsForSource(source: string): FieldInfo[] {
  return FIELDS.filter((f) => (f.sources as string[]).includes(source));
}

/** Known field classes (the part before the first dot), for telling a typo from a plugin field we cannot know. */
export function knownFieldClasses(): Set<string> {
  return new Set(FIELDS.map((f) => f.name.split('.')[0]));
}

export function playbookFor(rule: string): Playbook | undefined { return playbooksByRule.get(rule); }

/** The official rules file that defines a macro, list or rule of this name (e.g. 'falco_rules.yaml'), if one does. */
export function officialDefinition(kind: 'macro' | 'list' | 'rule', name: string): string | undefined {
  const table = kind === 'macro' ? OFFICIAL_MACROS : kind === 'list' ? OFFICIAL_LISTS : OFFICIAL_RULES;
  const index = table.get(name);
  return index === undefined ? undefined : OFFICIAL_FILES[index];
}

/** Every official rules file that defines a macro, list or rule of this name, in load order, by file name alone
 *  (`falco_rules.yaml`, `k8s_audit_rules.yaml`): falco-incubating_rules.yaml and falco-sandbox_rules.yaml define many
 *  of falco_rules.yaml's macros and lists again (spawned_process, shell_binaries), so that each loads without it. */
export function officialFilesDefining(kind: 'macro' | 'list' | 'rule', name: string): string[] {
  const again = OFFICIAL_REDEFINED.get(`${kind}:${name}`);
  const labels = again ? again.map((i) => OFFICIAL_FILES[i]) : [officialDefinition(kind, name)].filter((l): l is string => l !== undefined);
  return labels.map((l) => l.replace(/ \(\S+ plugin\)$/, ''));
}

/** The maturity of the rules of an official falcosecurity/rules file: every rule of falco_rules.yaml carries the tag
 *  maturity_stable, of falco-incubating_rules.yaml maturity_incubating, of falco-sandbox_rules.yaml maturity_sandbox
 *  (the corpus' falcosecurity/rules c72713ee). The plugins' rules files carry no maturity tag. */
const OFFICIAL_FILE_MATURITY: Readonly<Record<string, OfficialMaturity>> = {
  'falco_rules.yaml': 'stable', 'falco-incubating_rules.yaml': 'incubating', 'falco-sandbox_rules.yaml': 'sandbox',
};

export type OfficialMaturity = 'stable' | 'incubating' | 'sandbox';

/** The maturity of falcosecurity/rules' file of this name (falco_rules.yaml…), undefined for any other name. */
export function officialMaturity(file: string): OfficialMaturity | undefined {
  return Object.hasOwn(OFFICIAL_FILE_MATURITY, file) ? OFFICIAL_FILE_MATURITY[file] : undefined;
}

/**
 * Whether falcosecurity/rules' file `file` (falco_rules.yaml, falco-incubating_rules.yaml, falco-sandbox_rules.yaml)
 * defines a rule: the generated table says so, or the rule carries the file's maturity tag, as every rule of the three
 * files does (OFFICIAL_FILE_MATURITY; at falco-rules-3.0.0, 5.0.0 and c72713ee alike), a rule added after the table's
 * commit too. What a Falco reading the file from falcoctl or an OCI artifact has, whichever release it pulled.
 */
export function officialFileDefines(file: string, rule: string, tags: readonly string[]): boolean {
  if (officialFilesDefining('rule', rule).includes(file)) return true;
  const maturity = officialMaturity(file);
  return maturity !== undefined && tags.includes(`maturity_${maturity}`);
}

/** The file an OCI artifact of falcosecurity/rules holds (its registry.yaml: falco-rules is rules/falco_rules.yaml,
 *  falco-incubating-rules and falco-sandbox-rules likewise), from the artifact's repository
 *  (`falcosecurity/rules/falco-rules`, with or without the registry); undefined for any other. */
export function officialArtifactFile(repository: string): string | undefined {
  const m = /(?:^|\/)falcosecurity\/rules\/falco(-incubating|-sandbox)?-rules$/.exec(repository);
  return m ? `falco${m[1] ?? ''}_rules.yaml` : undefined;
}

/** What a maturity means for loading the file: only falco_rules.yaml is installed with Falco (cmake/modules/rules.cmake
 *  at 0.44.0) and named by falco.yaml's default rules_files (falco.yaml:239-242 at 0.44.0). */
export const MATURITY_MEANING: Readonly<Record<OfficialMaturity, string>> = {
  stable: 'the rules Falco installs and loads by default',
  incubating: 'not installed with Falco, added separately',
  sandbox: 'experimental, not installed with Falco',
};

export interface OfficialOrigin {
  /** The file as officialDefinition names it: `falco_rules.yaml`, `k8s_audit_rules.yaml (k8saudit plugin)`. */
  label: string;
  /** The file's name alone. */
  file: string;
  /** The plugin whose rules file it is, for the plugins' files. */
  plugin?: string;
  /** The maturity of the file's rules, for falcosecurity/rules' three files. */
  maturity?: OfficialMaturity;
}

/** Which official rules file defines a macro, list or rule of this name, with its maturity or plugin. */
export function officialOrigin(kind: 'macro' | 'list' | 'rule', name: string): OfficialOrigin | undefined {
  const label = officialDefinition(kind, name);
  if (label === undefined) return undefined;
  const m = /^(\S+) \((\S+) plugin\)$/.exec(label);
  const file = m ? m[1] : label;
  return { label, file, ...(m ? { plugin: m[2] } : {}), ...(OFFICIAL_FILE_MATURITY[file] ? { maturity: OFFICIAL_FILE_MATURITY[file] } : {}) };
}

export function mitreName(id: string): MitreEntry | undefined { return mitreById.get(id.toUpperCase()); }

/** Maps a rules `tags` entry (`T1059.004`, `TA0003`, `mitre_execution`) to its ATT&CK entry. */
export function mitreForTag(tag: string): MitreEntry | undefined {
  // Some plugin rules append a description to the id (`T1562-impair-defenses`, `TA0007-discovery`).
  const id = /^(TA?\d{4}(?:\.\d{3})?)(?:-[\w-]*)?$/i.exec(tag);
  if (id) return mitreName(id[1]);
  if (tag.startsWith('mitre_')) {
    const named = (kind: MitreEntry['kind']) => MITRE.find((m) => m.kind === kind && m.name.toLowerCase().replace(/[ -]/g, '_') === tag.slice(6));
    // A few tags name a technique rather than a tactic (`mitre_data_destruction`, gcp_auditlog rules).
    return named('tactic') ?? named('technique');
  }
  return undefined;
}

/** A meaning of a value in an alert; `ifEvents` is set when it holds only for events the alert may not be: its
 *  evt.type is not known (absent, or no event type), and the meaning is written for these events. */
export interface AlertValueMeaning extends ValueMeaning {
  ifEvents?: readonly string[];
}

/**
 * Meanings that apply to a value of a field as shown in an alert. `evtType` is the alert's evt.type when it has one:
 * a meaning written for some events (the flags of evt.arg.flags) is kept only for those; without a known event type
 * it is kept with `ifEvents` naming the events it holds for, since another event's flags are another set. Callers
 * say that condition once for the meanings that share it (`meaningGroups`, `eventCondition`).
 */
export function valueMeanings(field: string, value: string | number | boolean | null, evtType?: string): AlertValueMeaning[] {
  const text = value === null ? 'null' : String(value);
  const knownEvent = evtType !== undefined && eventCodesByName.has(evtType) ? evtType : undefined;
  const out: AlertValueMeaning[] = [];
  for (const m of VALUE_MEANINGS) {
    if (!m.fields.includes(field) && !m.fields.includes('*')) continue;
    if (m.match === 'null' ? value !== null : !valueMatches(m, text)) continue;
    if (!m.events) out.push(m);
    else if (knownEvent !== undefined) { if (m.events.includes(knownEvent)) out.push(m); }
    else out.push({ ...m, ifEvents: m.events });
  }
  return out;
}

/** The condition shared by meanings with these `ifEvents`, to be said once in front of them (no final colon). */
export function eventCondition(events: readonly string[]): string {
  return `If evt.type is ${orList(events)} (other events' flags are other sets)`;
}

/** Meanings grouped by their condition: the unconditional ones (no `ifEvents`) first, then one group per event list. */
export function meaningGroups(meanings: readonly AlertValueMeaning[]): { ifEvents?: readonly string[]; meanings: AlertValueMeaning[] }[] {
  const groups = new Map<string, { ifEvents?: readonly string[]; meanings: AlertValueMeaning[] }>();
  for (const m of meanings) {
    const key = m.ifEvents ? m.ifEvents.join(',') : '';
    let group = groups.get(key);
    if (!group) groups.set(key, group = { ...(m.ifEvents ? { ifEvents: m.ifEvents } : {}), meanings: [] });
    group.meanings.push(m);
  }
  return [...groups.values()].sort((a, b) => (a.ifEvents ? 1 : 0) - (b.ifEvents ? 1 : 0));
}

function valueMatches(m: ValueMeaning, text: string): boolean {
  switch (m.match) {
    case 'exact': return m.value === text;
    case 'flag': return text.split(/[|,\s]+/).includes(m.value);
    case 'nonzero': return /^-?\d+$/.test(text) && Number(text) !== 0;
    case 'negative-errno': return /^-\d+$/.test(text) || text === m.value;
    // JSON's null only (valueMeanings): the text `null` is a value like any other.
    case 'null': return false;
  }
}

function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Event types (evt.type values) and the event codes libsinsp maps them to

export { EVENT_CODE_COUNT, EVENT_TABLE_LIBS_VERSION } from './eventTypes';
export { OLDER_EVENT_TABLES } from './olderEventTables';
export { EVENT_FLAGS_LIBS_VERSION, FLAG_NAMES, FLAG_TABLES_BY_EVENT } from './eventFlags';

const eventCodesByName = new Map<string, readonly number[]>();
for (const [name, codes] of Object.entries(EVENT_CODES_BY_NAME)) eventCodesByName.set(name, codes);
for (const name of GENERIC_SYSCALL_NAMES) eventCodesByName.set(name, GENERIC_EVENT_CODES);
for (const name of CODELESS_EVENT_NAMES) eventCodesByName.set(name, []);
for (const names of Object.values(PLUGIN_ASYNC_EVENTS)) {
  for (const name of names) eventCodesByName.set(name, [...(eventCodesByName.get(name) ?? []), ASYNC_EVENT_CODE]);
}

/**
 * The event codes (ppm_event_code values, below EVENT_CODE_COUNT) that libsinsp's names_to_event_set gives an
 * evt.type name: every code of that name in the event table; the two generic codes for a syscall without its own
 * event; the async-event code for an event a plugin adds (the plugin assumed loaded). Undefined for a name libsinsp
 * rejects in evt.type ("unknown event type"), [] for one it accepts but that matches no code.
 */
export function eventCodesOfName(name: string): readonly number[] | undefined {
  return eventCodesByName.get(name);
}

/**
 * Whether the event table has an event of this name, as the check of `evt.type.is.<name>` looks it up: the names of
 * the table's events below PPM_EVENT_MAX (sinsp_filtercheck_event.cpp extract_type, the same at libs 0.14.2-0.25.2),
 * not a syscall without an event of its own nor a plugin's event.
 */
export function isEventTableName(name: string): boolean {
  return EVENT_CODES_BY_NAME[name] !== undefined || CODELESS_EVENT_NAMES.includes(name);
}

/**
 * isEventTableName in the event table of the target release's libs (OLDER_EVENT_TABLES): a name that release rejects,
 * or that was a syscall without an event of its own (the generic codes 0 and 1), is no name of its table.
 */
export function isEventTableNameAt(name: string, target: string): boolean {
  const then = olderEventTableOf(target)?.differs[name];
  if (then === undefined) return isEventTableName(name);
  return then !== null && !(then.length === 2 && then[0] === 0 && then[1] === 1);
}

/** The event table of the target release's libs as it differs from the latest one; undefined for the latest libs' releases. */
export function olderEventTableOf(target: string): OlderEventTable | undefined {
  const release = Object.keys(OLDER_EVENT_TABLES).find((r) => target === r || target.startsWith(`${r}.`));
  return release === undefined ? undefined : OLDER_EVENT_TABLES[release];
}

/**
 * eventCodesOfName in the event table of the target release's libs (OLDER_EVENT_TABLES): undefined for a name that
 * release rejects (a name added later), the generic codes 0 and 1 for a syscall that had no event of its own then.
 */
export function eventCodesOfNameAt(name: string, target: string): readonly number[] | undefined {
  const then = olderEventTableOf(target)?.differs[name];
  return then === undefined ? eventCodesOfName(name) : then ?? undefined;
}

/**
 * The evt.type names whose events carry a parameter of this exact name (enter or exit event) in the event table of the
 * target release's libs (eventParams.ts): the only events evt.arg.<name> and evt.rawarg.<name> can give a value for.
 * Undefined when no event has it.
 */
export function eventNamesWithParameter(parameter: string, target: string | undefined): readonly string[] | undefined {
  const release = target === undefined ? undefined : Object.keys(OLDER_EVENT_NAMES_BY_PARAMETER).find((r) => target === r || target.startsWith(`${r}.`));
  const then = release === undefined ? undefined : OLDER_EVENT_NAMES_BY_PARAMETER[release][parameter];
  const names = then ?? EVENT_NAMES_BY_PARAMETER[parameter];
  return names && names.length > 0 ? names : undefined;
}

/** Every name evt.type accepts, as libsinsp lists them: event names, then syscalls without an event, then plugin events (no `NA`). */
export function eventTypeNames(): readonly string[] {
  return eventTypeNameList ??= [...eventCodesByName.keys()].filter((n) => n !== 'NA' && n !== '');
}
let eventTypeNameList: string[] | undefined;
