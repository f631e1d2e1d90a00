// Syscall-source fields that older Falco releases still had and later libs removed. The catalog follows Falco 0.44, so
// these are unknown there; a rule checked for a release that has them must not be told so.
//
// Source: the filter checks registered in userspace/libsinsp/filter_check_list.cpp (sinsp_filter_check_list) of the
// libs each Falco release bundles (falcoVersions.ts), and their field tables (sinsp_filtercheck_<check>.cpp):
//   - syslog (sinsp_filter_check_syslog): registered up to libs 0.20.0 (Falco 0.40), gone in libs 0.21.0 (Falco 0.41).
//   - mesos, tracer, evtin (Mesos/Marathon and tracer spans, flagged EPF_DEPRECATED): registered up to libs 0.21.0
//     (Falco 0.41), gone in libs 0.22.1 (Falco 0.42).
// The k8s.* and container.* checks of those releases moved to the container plugin under the same names, which the
// catalog has (fields/container.ts). Types as the tables declare them; `argRequired` for EPF_ARG_REQUIRED.
import type { FieldType } from '../types';

export interface RemovedField {
  name: string;
  type: FieldType;
  argRequired?: boolean;
  /** The last Falco release that has the field (`0.40`). */
  until: string;
  /** What the field belonged to, for hovers. */
  family: 'syslog' | 'mesos' | 'tracer';
}

const SYSLOG: [string, FieldType][] = [
  ['syslog.facility.str', 'CHARBUF'], ['syslog.facility', 'UINT32'], ['syslog.severity.str', 'CHARBUF'],
  ['syslog.severity', 'UINT32'], ['syslog.message', 'CHARBUF'],
];

const MESOS: [string, FieldType, boolean?][] = [
  ['mesos.task.name', 'CHARBUF'], ['mesos.task.id', 'CHARBUF'], ['mesos.task.label', 'CHARBUF', true], ['mesos.task.labels', 'CHARBUF'],
  ['mesos.framework.name', 'CHARBUF'], ['mesos.framework.id', 'CHARBUF'], ['marathon.app.name', 'CHARBUF'], ['marathon.app.id', 'CHARBUF'],
  ['marathon.app.label', 'CHARBUF', true], ['marathon.app.labels', 'CHARBUF'], ['marathon.group.name', 'CHARBUF'], ['marathon.group.id', 'CHARBUF'],
];

/** sinsp_filter_check_tracer, then sinsp_filter_check_evtin (the same span fields for the span, parent, script and marker). */
const TRACER: [string, FieldType, boolean?][] = [
  ['span.id', 'INT64'], ['span.time', 'CHARBUF'], ['span.ntags', 'UINT32'], ['span.nargs', 'UINT32'], ['span.tags', 'CHARBUF'],
  ['span.tag', 'CHARBUF', true], ['span.args', 'CHARBUF'], ['span.arg', 'CHARBUF', true], ['span.enterargs', 'CHARBUF'],
  ['span.enterarg', 'CHARBUF', true], ['span.duration', 'RELTIME'], ['span.duration.quantized', 'UINT64'], ['span.duration.human', 'CHARBUF'],
  ['span.duration.fortag', 'RELTIME', true], ['span.count', 'UINT64'], ['span.count.fortag', 'UINT64', true],
  ['span.childcount.fortag', 'UINT64', true], ['span.idtag', 'CHARBUF', true], ['span.rawtime', 'CHARBUF'], ['span.rawparenttime', 'CHARBUF'],
  ...['', 'p.', 's.', 'm.'].flatMap((which): [string, FieldType, boolean?][] => [
    [`evtin.span.${which}id`, 'INT64'], [`evtin.span.${which}ntags`, 'UINT32'], [`evtin.span.${which}nargs`, 'UINT32'],
    [`evtin.span.${which}tags`, 'CHARBUF'], [`evtin.span.${which}tag`, 'CHARBUF', true], [`evtin.span.${which}args`, 'CHARBUF'],
    [`evtin.span.${which}arg`, 'CHARBUF', true],
  ]),
];

export const REMOVED_FIELDS: readonly RemovedField[] = [
  ...SYSLOG.map(([name, type]): RemovedField => ({ name, type, until: '0.40', family: 'syslog' })),
  ...MESOS.map(([name, type, arg]): RemovedField => ({ name, type, ...(arg ? { argRequired: true } : {}), until: '0.41', family: 'mesos' })),
  ...TRACER.map(([name, type, arg]): RemovedField => ({ name, type, ...(arg ? { argRequired: true } : {}), until: '0.41', family: 'tracer' })),
];

const byName = new Map(REMOVED_FIELDS.map((f) => [f.name, f]));

/** A removed field by its name as written (without an argument). */
export function removedField(name: string): RemovedField | undefined {
  return byName.get(name);
}
