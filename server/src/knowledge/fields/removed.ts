// Syscall-source fields that older Falco releases still had and later libs removed. The catalog follows Falco 0.44, so
// these are unknown there; a rule checked for a release that has them must not be told so.
//
// Source: the filter checks registered in userspace/libsinsp/filter_check_list.cpp (sinsp_filter_check_list) of the
// libs each Falco release bundles (falcoVersions.ts), and their field tables (sinsp_filtercheck_<check>.cpp):
//   - syslog (sinsp_filter_check_syslog): registered up to libs 0.20.0 (Falco 0.40), gone in libs 0.21.0 (Falco 0.41).
//   - mesos, tracer, evtin (Mesos/Marathon and tracer spans, flagged EPF_DEPRECATED): registered up to libs 0.21.0
//     (Falco 0.41), gone in libs 0.22.1 (Falco 0.42).
// The k8s.* and container.* checks of those releases moved to the container plugin under the same names, which the
// catalog has (fields/container.ts). Types as the tables declare them. The fields flagged EPF_ARG_REQUIRED read their
// argument in their check's own parse_field_name / extract_arg (libs 0.21.0): see RemovedArgument.
import type { FieldType } from '../types';

/**
 * How a removed field that needs an argument reads it:
 *  - index: `[N]` only (sinsp_filter_check_tracer::extract_arg refuses `span.tag.x` and `span.idtag.x`);
 *  - index-or-dot: `[N]` or `.name` (the other tracer fields; evtin's, whose name must be an event argument);
 *  - dot: `.name` only (sinsp_filter_check_mesos::extract_arg: a label name after a dot).
 * N is read with sinsp_numparser::parsed32 (sscanf "%d": it must start with a number).
 */
export type RemovedArgument = 'index' | 'index-or-dot' | 'dot';

export interface RemovedField {
  name: string;
  type: FieldType;
  /** Set for the fields that need an argument (EPF_ARG_REQUIRED): how they read it. */
  arg?: RemovedArgument;
  /** The last Falco release that has the field (`0.40`). */
  until: string;
  /** What the field belonged to, for hovers. */
  family: 'syslog' | 'mesos' | 'tracer';
}

const SYSLOG: [string, FieldType][] = [
  ['syslog.facility.str', 'CHARBUF'], ['syslog.facility', 'UINT32'], ['syslog.severity.str', 'CHARBUF'],
  ['syslog.severity', 'UINT32'], ['syslog.message', 'CHARBUF'],
];

const MESOS: [string, FieldType, RemovedArgument?][] = [
  ['mesos.task.name', 'CHARBUF'], ['mesos.task.id', 'CHARBUF'], ['mesos.task.label', 'CHARBUF', 'dot'], ['mesos.task.labels', 'CHARBUF'],
  ['mesos.framework.name', 'CHARBUF'], ['mesos.framework.id', 'CHARBUF'], ['marathon.app.name', 'CHARBUF'], ['marathon.app.id', 'CHARBUF'],
  ['marathon.app.label', 'CHARBUF', 'dot'], ['marathon.app.labels', 'CHARBUF'], ['marathon.group.name', 'CHARBUF'], ['marathon.group.id', 'CHARBUF'],
];

/** sinsp_filter_check_tracer, then sinsp_filter_check_evtin (the same span fields for the span, parent, script and marker). */
const TRACER: [string, FieldType, RemovedArgument?][] = [
  ['span.id', 'INT64'], ['span.time', 'CHARBUF'], ['span.ntags', 'UINT32'], ['span.nargs', 'UINT32'], ['span.tags', 'CHARBUF'],
  ['span.tag', 'CHARBUF', 'index'], ['span.args', 'CHARBUF'], ['span.arg', 'CHARBUF', 'index-or-dot'], ['span.enterargs', 'CHARBUF'],
  ['span.enterarg', 'CHARBUF', 'index-or-dot'], ['span.duration', 'RELTIME'], ['span.duration.quantized', 'UINT64'], ['span.duration.human', 'CHARBUF'],
  ['span.duration.fortag', 'RELTIME', 'index-or-dot'], ['span.count', 'UINT64'], ['span.count.fortag', 'UINT64', 'index-or-dot'],
  ['span.childcount.fortag', 'UINT64', 'index-or-dot'], ['span.idtag', 'CHARBUF', 'index'], ['span.rawtime', 'CHARBUF'], ['span.rawparenttime', 'CHARBUF'],
  ...['', 'p.', 's.', 'm.'].flatMap((which): [string, FieldType, RemovedArgument?][] => [
    [`evtin.span.${which}id`, 'INT64'], [`evtin.span.${which}ntags`, 'UINT32'], [`evtin.span.${which}nargs`, 'UINT32'],
    [`evtin.span.${which}tags`, 'CHARBUF'], [`evtin.span.${which}tag`, 'CHARBUF', 'index-or-dot'], [`evtin.span.${which}args`, 'CHARBUF'],
    [`evtin.span.${which}arg`, 'CHARBUF', 'index-or-dot'],
  ]),
];

export const REMOVED_FIELDS: readonly RemovedField[] = [
  ...SYSLOG.map(([name, type]): RemovedField => ({ name, type, until: '0.40', family: 'syslog' })),
  ...MESOS.map(([name, type, arg]): RemovedField => ({ name, type, ...(arg ? { arg } : {}), until: '0.41', family: 'mesos' })),
  ...TRACER.map(([name, type, arg]): RemovedField => ({ name, type, ...(arg ? { arg } : {}), until: '0.41', family: 'tracer' })),
];

const byName = new Map(REMOVED_FIELDS.map((f) => [f.name, f]));
/** A longer prefix names no removed field: removedField's search starts within it (a slice at every dot of a long
 *  `a.a.a...` word was quadratic). */
const LONGEST_NAME = REMOVED_FIELDS.reduce((n, f) => Math.max(n, f.name.length), 0);

/**
 * The removed field a name as written (without a bracket argument) refers to: the field of that name, or a field
 * that needs an argument followed by `.argument` (`mesos.task.label.team`), with that argument.
 */
export function removedField(written: string): { field: RemovedField; dotArg?: string } | undefined {
  const exact = byName.get(written);
  if (exact) return { field: exact };
  for (let dot = written.lastIndexOf('.', LONGEST_NAME); dot > 0; dot = written.lastIndexOf('.', dot - 1)) {
    const field = byName.get(written.slice(0, dot));
    if (field?.arg) return { field, dotArg: written.slice(dot + 1) };
  }
  return undefined;
}

/**
 * Which release removed a family of fields and what replaces it, for the unknown-field error Falco 0.44 gives. Falco's
 * CHANGELOG names none of these removals (only "support for metadata enrichment from Mesos has been removed" at 0.35);
 * the libs commits that dropped the filter checks name no successor (729ead2a3 syslog, 3eef9fd3a mesos, b0a502ac1
 * tracer and evtin), and the libs have none.
 */
const REMOVALS: Record<RemovedField['family'], string> = {
  syslog: 'Falco 0.41 removed it (libs 0.21.0 dropped syslog decoding with its syslog.* fields); no field replaces it.',
  mesos: 'Falco 0.42 removed it (libs 0.22.1 dropped the deprecated Mesos and Marathon fields; Falco 0.35 had already removed Mesos metadata enrichment); no field replaces it.',
  tracer: 'Falco 0.42 removed it (libs 0.22.1 dropped the tracer span fields, span.* and evtin.span.*); no field replaces it.',
};

/** One sentence: the release that removed the field and what replaces it. */
export function removalNote(field: RemovedField): string {
  return REMOVALS[field.family];
}
