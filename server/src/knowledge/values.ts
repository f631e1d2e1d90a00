// What values of fields mean when they appear in an alert. Value spellings follow libsinsp 0.25.2 (flag names from
// driver/flags_table.c, errno names from userspace/libsinsp/utils.cpp, fd types from fdinfo.cpp) and the container
// plugin. Meanings are written for this project; queried through valueMeanings() in ./index.ts.
import type { ValueMeaning } from './types';

const exact = (fields: string[], value: string, meaning: string): ValueMeaning => ({ fields, value, match: 'exact', meaning });
const flag = (fields: string[], value: string, meaning: string): ValueMeaning => ({ fields, value, match: 'flag', meaning });

// evt.arg.flags is the `flags` parameter of the event at hand, rendered with that event's flag table (libs 0.25.2
// driver/event_table.c, knowledge/eventFlags.ts): exec flags for execve and execveat, open flags for the open calls,
// other sets for clone, mmap, mount, socket... A flag's meaning names the events it is written for.
const EXEC_EVENTS = ['execve', 'execveat'];
const OPEN_EVENTS = ['open', 'openat', 'openat2', 'open_by_handle_at'];
const execFlag = (value: string, meaning: string): ValueMeaning => ({ ...flag(['evt.arg.flags'], value, meaning), events: EXEC_EVENTS });
const openFlag = (value: string, meaning: string): ValueMeaning => ({ ...flag(['evt.arg.flags'], value, meaning), events: OPEN_EVENTS });
const FD_TYPES = ['fd.type', 'fd.types', 'proc.stdin.type', 'proc.stdout.type', 'proc.stderr.type'];
const RESULT = ['evt.res'];

const fdType = (value: string, meaning: string): ValueMeaning => exact(FD_TYPES, value, meaning);
const errno = (value: string, meaning: string): ValueMeaning => exact(RESULT, value, `The call failed: ${meaning}`);

export const VALUE_MEANINGS: ValueMeaning[] = [
  // Missing values: any field.
  exact(['*'], '<NA>', 'Not available: Falco had no value for this field on this event (not applicable to the event, or metadata not yet known). Text alerts print it as <NA>.'),
  { fields: ['*'], value: 'null', match: 'null', meaning: 'Not available: the JSON form of <NA>; the field had no value for this event.' },

  // Who.
  exact(['user.loginuid'], '-1', 'No login session: the process descends from a daemon (a service) or the container runtime, not from an interactive login (ssh, console). Cron jobs usually carry the crontab owner\'s uid instead: cron sets it through pam_loginuid (Debian\'s /etc/pam.d/cron).'),
  exact(['user.uid'], '0', 'The process runs as root.'),
  exact(['user.name'], 'root', 'The process runs as root (uid 0).'),
  exact(['group.gid'], '0', 'The process runs with the root group.'),
  exact(['proc.tty'], '0', 'No terminal is attached. Services, scheduled jobs, scripts and `kubectl exec` without -t run this way, and so do web shells and reverse shells: it does not make the process benign.'),
  { fields: ['proc.tty'], value: 'non-zero', match: 'nonzero', meaning: 'An interactive terminal is attached: the process runs in a terminal session (ssh, `kubectl exec -it`, `docker exec -it`), usually a person at a shell or a script they started.' },
  exact(['proc.vpid'], '1', 'The process is PID 1 of its PID namespace: the main process of its container (on the host, init itself).'),

  // Where.
  exact(['container.id'], 'host', 'The event happened on the host itself, not inside a container.'),
  // libsinsp before Falco 0.41 (sinsp_filtercheck_container.cpp) and the container plugin since (container_info.h
  // host_container_info) name host processes `host`; a container may be named `host` too.
  exact(['container.name'], 'host', 'Falco names host processes host (their container.id is host too), but a container can also be named host: only container.id tells the two apart.'),
  exact(['container.type'], 'host', 'The event happened on the host itself, not inside a container.'),
  exact(['container.privileged'], 'true', 'The container is privileged: it holds every capability and sees the host\'s devices, so escaping to the host is easy.'),
  exact(['container.host_pid'], 'true', 'The container shares the host\'s PID namespace: it sees, and may signal or trace, every host process.'),
  exact(['container.host_network'], 'true', 'The container shares the host\'s network namespace: it uses the host\'s interfaces and ports directly.'),
  exact(['container.host_ipc'], 'true', 'The container shares the host\'s IPC namespace (shared memory, semaphores).'),

  // What ran.
  exact(['proc.is_exe_upper_layer'], 'true', 'The program was added or changed after the container started (overlay upper layer): it is not part of the image.'),
  exact(['proc.is_exe_lower_layer'], 'true', 'The program comes from the container image (overlay lower layer).'),
  exact(['proc.is_exe_writable'], 'true', 'The program file is writable by the user running it, so that user could have replaced it.'),
  exact(['proc.is_exe_from_memfd'], 'true', 'The program runs from an in-memory file (memfd_create) with no copy on disk: fileless execution.'),
  exact(['fd.is_upper_layer'], 'true', 'The file was created or changed after the container started (overlay upper layer).'),
  exact(['fd.is_lower_layer'], 'true', 'The file comes from the container image (overlay lower layer).'),
  execFlag('EXE_WRITABLE', 'The executed file is writable by the user who ran it.'),
  execFlag('EXE_UPPER_LAYER', 'The executed file sits in the container\'s writable overlay layer: added or modified after start, not from the image.'),
  execFlag('EXE_LOWER_LAYER', 'The executed file comes from a read-only image layer.'),
  execFlag('EXE_FROM_MEMFD', 'The executed file is an anonymous in-memory file (memfd): nothing was written to disk.'),
  openFlag('O_RDONLY', 'The file was opened for reading only.'),
  openFlag('O_WRONLY', 'The file was opened for writing only.'),
  openFlag('O_RDWR', 'The file was opened for reading and writing.'),
  openFlag('O_CREAT', 'The open call may create the file if it does not exist.'),
  openFlag('O_TRUNC', 'The open call empties an existing file.'),
  openFlag('O_APPEND', 'Writes go to the end of the file.'),
  openFlag('O_F_CREATED', 'The open call actually created the file.'),
  openFlag('O_TMPFILE', 'An unnamed temporary file was created in the directory.'),

  // How it ended.
  exact(RESULT, 'SUCCESS', 'The system call succeeded.'),
  errno('EACCES', 'permission denied by file permissions or a security module.'),
  errno('EPERM', 'operation not permitted (missing privilege or capability, or blocked by seccomp or a security module).'),
  errno('ENOENT', 'no such file or directory.'),
  errno('EEXIST', 'the file already exists.'),
  errno('EINVAL', 'an argument was invalid.'),
  errno('ENOTDIR', 'a component of the path is not a directory.'),
  errno('EISDIR', 'the path is a directory.'),
  errno('EBADF', 'the file descriptor is not valid.'),
  errno('EAGAIN', 'resource temporarily unavailable; the call would have blocked.'),
  errno('EINPROGRESS', 'a non-blocking connect has started and has not completed yet (usually not an error for the caller).'),
  errno('ECONNREFUSED', 'the remote end refused the connection (nothing listening).'),
  errno('ETIMEDOUT', 'the connection attempt timed out.'),
  errno('ENETUNREACH', 'the network is unreachable.'),
  errno('EROFS', 'the file system is read-only.'),
  errno('ETXTBSY', 'the executable file is busy (being written while executed, or the reverse).'),
  errno('ENOEXEC', 'the file is not in an executable format the kernel accepts.'),
  errno('ENOSYS', 'the system call is not implemented or is blocked.'),
  errno('ENOMEM', 'out of memory.'),
  errno('EFAULT', 'a bad memory address was passed.'),
  errno('EBUSY', 'the device or resource is busy.'),
  errno('ENOTEMPTY', 'the directory is not empty.'),
  errno('EXDEV', 'the operation would cross file systems.'),
  errno('ELOOP', 'too many levels of symbolic links.'),
  exact(['evt.rawres'], '0', 'The system call succeeded.'),
  { fields: ['evt.rawres'], value: 'negative', match: 'negative-errno', meaning: 'The system call failed; the number is minus the errno code (e.g. -2 is ENOENT, -13 is EACCES).' },
  exact(['evt.failed'], 'true', 'The system call returned an error.'),

  // File descriptor kinds (fd.type and the type of stdin/stdout/stderr).
  fdType('file', 'A regular file.'),
  fdType('directory', 'A directory.'),
  fdType('ipv4', 'An IPv4 network socket; on stdin or stdout of a shell it suggests a reverse shell.'),
  fdType('ipv6', 'An IPv6 network socket; on stdin or stdout of a shell it suggests a reverse shell.'),
  fdType('unix', 'A Unix domain socket (local inter-process communication, e.g. the Docker socket).'),
  fdType('pipe', 'A pipe or FIFO between processes.'),
  fdType('event', 'An eventfd notification counter.'),
  fdType('signalfd', 'A descriptor that receives signals.'),
  fdType('eventpoll', 'An epoll instance.'),
  fdType('inotify', 'An inotify watch on file-system changes.'),
  fdType('timerfd', 'A timer descriptor.'),
  fdType('netlink', 'A netlink socket for talking to the kernel (routing, audit…).'),
  fdType('bpf', 'An eBPF map or program.'),
  fdType('userfaultfd', 'A userfaultfd descriptor for handling page faults in user space (also used in kernel exploits).'),
  fdType('io_uring', 'An io_uring instance for asynchronous I/O (its operations bypass the usual system-call path).'),
  fdType('memfd', 'An anonymous in-memory file created with memfd_create.'),
  fdType('pidfd', 'A descriptor that refers to a process.'),

  // Plugin sources.
  exact(['ka.auth.decision'], 'allow', 'The Kubernetes API server authorized the request.'),
  exact(['ka.auth.decision'], 'forbid', 'The Kubernetes API server refused the request.'),
  exact(['ka.response.code'], '403', 'Forbidden: the request was denied.'),
  exact(['ct.error', 'ct.errormessage'], '<NA>', 'The AWS API call succeeded (no error code).'),
  exact(['ct.error'], 'AccessDenied', 'The AWS API call was denied by IAM or a resource policy.'),
];
