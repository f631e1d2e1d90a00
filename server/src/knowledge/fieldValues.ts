// Fields whose values form a fixed set: completion offers them after `=`, `!=` and inside `in (...)`, and in an
// exception's values for such a field. Each set is the text libsinsp or the plugin writes for the field, read at
// every libs release bundled by Falco 0.37-0.44 (libs 0.14.2, 0.17.1, 0.18.1, 0.20.0, 0.21.0, 0.22.1, 0.23.1,
// 0.25.2: the same values in each; falcoVersions.ts names the libs of each release). Meanings are written for this
// project. A value a release added would carry `since` (the first Falco release writing it); none does yet.
import { table } from './table';

export interface FixedValue {
  value: string;
  meaning: string;
  /** The first Falco release whose libs or plugin writes the value, where it is not the first described. */
  since?: string;
}

interface FixedValueSet { fields: readonly string[]; values: readonly FixedValue[] }

const v = (value: string, meaning: string): FixedValue => ({ value, meaning });

/** fdinfo.cpp get_typestring (fd.type, fd.types: sinsp_filtercheck_fd.cpp TYPE_FDTYPE, TYPE_FDTYPES; proc.std*.type: sinsp_filtercheck_thread.cpp TYPE_FD_STDIN_TYPE…). */
const FD_TYPE_VALUES: FixedValue[] = [
  v('file', 'a regular file'), v('directory', 'a directory'), v('ipv4', 'an IPv4 socket (client or server)'),
  v('ipv6', 'an IPv6 socket (client or server)'), v('unix', 'a unix domain socket'), v('pipe', 'a pipe or FIFO'),
  v('event', 'an eventfd'), v('signalfd', 'a signalfd'), v('eventpoll', 'an epoll instance'), v('inotify', 'an inotify instance'),
  v('timerfd', 'a timerfd'), v('netlink', 'a netlink socket'), v('bpf', 'a BPF map or program'), v('userfaultfd', 'a userfaultfd'),
  v('io_uring', 'an io_uring instance'), v('memfd', 'an in-memory file (memfd_create)'), v('pidfd', 'a process file descriptor (pidfd_open)'),
];

const SETS: FixedValueSet[] = [
  // sinsp_filtercheck_event.cpp TYPE_DIR: PPME_IS_ENTER ? ">" : "<".
  { fields: ['evt.dir'], values: [v('<', 'the exit half of a system call (its result is known)'), v('>', 'the enter half of a system call')] },
  // sinsp_filtercheck_event.cpp TYPE_CATEGORY: the event's category, for I/O events their subcategory's (file, net,
  // ipc, unknown); note IPC for the IPC category and ipc for I/O on an IPC object.
  {
    fields: ['evt.category'], values: [
      v('file', 'file operations, and I/O on a file'), v('net', 'network operations, and I/O on a socket'), v('IPC', 'inter-process communication calls'),
      v('ipc', 'I/O on a pipe or another IPC object'), v('memory', 'memory management'), v('process', 'process and thread management'),
      v('sleep', 'sleeping and waiting'), v('system', 'system-wide operations'), v('signal', 'signals'), v('user', 'user-space events'),
      v('time', 'clocks and timers'), v('processing', 'work on data in user space'), v('other', 'another category'),
      v('unknown', 'no category, or I/O on an object of no known kind'),
    ],
  },
  { fields: ['fd.type', 'fd.types', 'proc.stdin.type', 'proc.stdout.type', 'proc.stderr.type'], values: FD_TYPE_VALUES },
  // fdinfo.cpp get_typechar, fdinfo.h CHAR_FD_*.
  {
    fields: ['fd.typechar'], values: [
      v('f', 'a regular file'), v('d', 'a directory'), v('4', 'an IPv4 socket'), v('6', 'an IPv6 socket'),
      v('u', 'a unix domain socket or a userfaultfd'), v('p', 'a pipe or FIFO'), v('e', 'an eventfd'), v('s', 'a signalfd'),
      v('l', 'an epoll instance'), v('i', 'an inotify instance'), v('t', 'a timerfd'), v('n', 'a netlink socket'), v('b', 'a BPF map or program'),
      v('r', 'an io_uring instance'), v('m', 'an in-memory file (memfd)'), v('P', 'a pidfd'), v('o', 'an object of unknown kind'), v('X', 'an unsupported kind'),
    ],
  },
  // sinsp_filtercheck_fd.cpp TYPE_L4PROTO (scap_l4_proto).
  { fields: ['fd.l4proto'], values: [v('tcp', 'TCP'), v('udp', 'UDP'), v('icmp', 'ICMP'), v('raw', 'a raw socket')] },
  // sinsp_filtercheck_fd.cpp TYPE_SOCKFAMILY: ip for IPv4 and IPv6 sockets, unix for unix sockets, nothing otherwise.
  { fields: ['fd.sockfamily'], values: [v('ip', 'an IPv4 or IPv6 socket'), v('unix', 'a unix domain socket')] },
  // The k8saudit plugin reads the audit event's `verb`: the Kubernetes API verb of a resource request (the API's
  // verbs: get, list, watch, create, update, patch, delete, deletecollection).
  {
    fields: ['ka.verb'], values: [
      v('get', 'read one object'), v('list', 'read a collection'), v('watch', 'follow changes'), v('create', 'create an object'),
      v('update', 'replace an object'), v('patch', 'change part of an object'), v('delete', 'delete one object'),
      v('deletecollection', 'delete a collection'),
    ],
  },
];

const BY_FIELD: Record<string, readonly FixedValue[]> = table(Object.fromEntries(SETS.flatMap((s) => s.fields.map((f) => [f, s.values] as const))));

/** The values a field can take, where they form a fixed set (by the field's name, without an argument). */
export function fixedFieldValues(field: string): readonly FixedValue[] | undefined {
  return BY_FIELD[field];
}
