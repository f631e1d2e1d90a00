// Tuning YAML built from an alert: exceptions appended to a rule with a current-Falco override, and the
// last-resort disable. Falco splices exception values into the rule condition as they are (it only wraps values
// holding a space in double quotes, rule_loader_compiler.cpp quote_item), so a value holding a quote, a backslash,
// a parenthesis or a comma is written in the condition's own double quotes, escaped, which Falco leaves as they are
// (exceptionValueText); the few values no quoting carries are refused, saying why.
import { parseAllDocuments, parseDocument, isMap, isSeq, isScalar, visit, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { LineIndex, lineEnding } from '../text';
import { yamlQuote } from '../yamlText';
import { booleanValue } from '../config/model';
import { lookupField, officialDefinition } from '../../knowledge';
import { fieldsOf, parseCondition } from '../rules/condition';
import { selectorText } from '../embedded/regions';
import { MAX_VALUE_BYTES, utf8Length } from '../rules/constantValues';
import { valueOf, type AlertView } from './view';
import type { RuleSummary } from '../features';

export interface ExceptionShape {
  label: string;
  fields: string[];
  appliesTo?: (view: AlertView) => boolean;
  /** The shape for one alert, where its fields depend on the alert and its rule (undefined: none for this alert);
   *  `fields` and `label` then say what it is at most. */
  of?: (view: AlertView) => ExceptionShape | undefined;
}

/**
 * Parents that start the first process of every container and every `kubectl exec`/`docker exec` (the runtimes of
 * the official rules' container_entrypoint macro, falco_rules.yaml), and the engines above them (containerd,
 * dockerd), whose own children are those runtimes and helpers. With such a parent, "this process + this parent" is
 * the same pair in every container of the node: an exception on it would silence the rule for all of them (Terminal
 * shell in container would no longer see any `kubectl exec -it … bash`), not for this case.
 */
const CONTAINER_RUNTIME_PARENTS = new Set(['runc', 'runc:[0:PARENT]', 'runc:[1:CHILD]', 'docker-runc', 'docker-runc-cur', 'containerd-shim', 'crio', 'conmon', 'containerd', 'dockerd']);

/** `exe` is in container_entrypoint too (runc run again through /proc/self/exe): the runtime's, in a container only; a
 *  host process's parent named exe is a program of its own. */
const CONTAINER_RUNTIME_EXE = 'exe';

/**
 * Supervisors: init (PID 1, `systemd` or `init`) starts every service, and receives every orphaned or daemonized
 * process (libsinsp follows the kernel's reparenting to the reaper: thread_manager.cpp find_new_reaper, libs
 * 0.25.2); cron, anacron and atd start every scheduled job, each through a shell (`sh -c <job>`). With such a parent
 * the parent says nothing about this case, and a program's name or path is shared by every service or job that runs
 * it (`python3`, `sh`, `java`): "process + parent" or "executable path + parent" would silence the rule for all of
 * them. The exact command line is what tells one service or job from another.
 */
const SUPERVISOR_PARENTS = new Set(['systemd', 'init']);
const SCHEDULERS = new Set(['cron', 'crond', 'anacron', 'atd']);

/**
 * Shells, by the name libsinsp gives a process (proc.name and proc.pname are the kernel's comm: the file name the
 * shell was started by, `sh` for busybox's sh link, `bash` for a login shell started as `-bash`). A shell runs what a
 * person types, what is piped into it (`curl … | sh`), a script or a `-c` string: the shell's name says nothing about
 * which, so "this program + this shell" covers the same program typed by anyone at any shell, an attacker's included
 * (`proc.name=cat and proc.pname=bash`). Only the shell's own command line (proc.pcmdline) can tell a script apart.
 */
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'ksh93', 'mksh', 'pdksh', 'yash', 'posh', 'hush', 'fish', 'tcsh', 'csh', 'busybox']);

/** Programs that run, as another account, whatever command line a person gives them: the same program under them is
 *  the same command run by anyone allowed to use them. Their own command line is that command, no anchor. */
const COMMAND_RUNNERS = new Set(['sudo', 'su', 'doas']);

/**
 * Programs that start a login session, each user's shell or the command a remote user asks for: sshd (and
 * sshd-session, which runs each connection since OpenSSH 9.8), login (consoles, telnet), dropbear, telnetd, mosh, and
 * the terminal multiplexers' servers (tmux's comm is `tmux: server`). The same program under them (`bash` under
 * `sshd`, `sftp-server` under `sshd-session`) is every session of every user, an intruder's with stolen keys too.
 */
const SESSION_STARTERS = new Set(['sshd', 'sshd-session', 'login', 'dropbear', 'in.telnetd', 'telnetd', 'mosh-server', 'tmux: server', 'tmux', 'screen']);

export type BroadParentKind = 'container runtime' | 'init' | 'scheduler' | 'scheduled job' | 'shell' | 'command runner' | 'session';

/** Why the alert's parent makes a process + parent exception cover far more than this case, if it does. */
export function broadParent(view: AlertView): { parent: string; kind: BroadParentKind } | undefined {
  const parent = valueOf(view, 'proc.pname') ?? '';
  if (CONTAINER_RUNTIME_PARENTS.has(parent)) return { parent, kind: 'container runtime' };
  if (parent === CONTAINER_RUNTIME_EXE && valueOf(view, 'container.id') !== 'host') return { parent, kind: 'container runtime' };
  if (SUPERVISOR_PARENTS.has(parent)) return { parent, kind: 'init' };
  if (SCHEDULERS.has(parent)) return { parent, kind: 'scheduler' };
  if (SHELLS.has(parent) && SCHEDULERS.has(valueOf(view, 'proc.aname[2]') ?? '')) return { parent, kind: 'scheduled job' };
  if (SHELLS.has(parent)) return { parent, kind: 'shell' };
  if (COMMAND_RUNNERS.has(parent)) return { parent, kind: 'command runner' };
  if (SESSION_STARTERS.has(parent)) return { parent, kind: 'session' };
  return undefined;
}

/** Shell options that take the next word as their value (bash, dash, zsh, ksh: `-o pipefail`, `--rcfile f`). */
const SHELL_OPTION_WITH_VALUE = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);

/**
 * What a shell runs, read from its command line as libsinsp renders it (proc.pcmdline: the parent's comm, then its
 * arguments after argv[0], joined by blanks; threadinfo.cpp populate_cmdline, libs 0.25.2): a `-c` string, a script
 * by absolute or relative path, or commands from a terminal or its input (no script, `-i`, `-s`).
 */
export function shellInvocation(cmdline: string): { kind: 'command' } | { kind: 'script'; script: string } | { kind: 'relative script'; script: string } | { kind: 'input' } {
  const words = cmdline.split(' ').filter((w) => w !== '');
  let i = 1;
  if (words[0] === 'busybox' && SHELLS.has(words[1] ?? '')) i = 2;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === '--') { i++; break; }
    if (w === '-c' || w === '--command' || /^-[A-Za-z]*c[A-Za-z]*$/.test(w)) return { kind: 'command' };
    if (SHELL_OPTION_WITH_VALUE.has(w)) { i++; continue; }
    // -s: commands from the input; -i: interactive (the remaining words are positional parameters).
    if (/^-[A-Za-z]*[si][A-Za-z]*$/.test(w)) return { kind: 'input' };
    if (/^[-+]/.test(w)) continue;
    break;
  }
  const script = words[i];
  if (script === undefined) return { kind: 'input' };
  return script.startsWith('/') ? { kind: 'script', script } : { kind: 'relative script', script };
}

/**
 * Under a shell, the shell's command line (proc.pcmdline) when it names what the shell runs: a script by absolute
 * path (`bash /opt/backup/run.sh`) or a `-c` string (`sh -c tar czf /backup/etc.tgz /etc`). Paired with the program,
 * it is about that script or string, not about whoever uses a shell. A relative script (`bash run.sh`) would match a
 * file of that name in any folder, and commands typed or piped in leave no trace in it.
 */
export function anchoringShellCommandLine(view: AlertView): string | undefined {
  if (!SHELLS.has(valueOf(view, 'proc.pname') ?? '')) return undefined;
  const cmdline = valueOf(view, 'proc.pcmdline');
  if (!cmdline) return undefined;
  const run = shellInvocation(cmdline);
  return run.kind === 'command' || run.kind === 'script' ? cmdline : undefined;
}

/** The placeholder a playbook tuning snippet must also pin for a broad parent to be filled in: the image under a
 *  container runtime, the command line under a supervisor, the shell's own command line (when it names a script or a
 *  `-c` string) under a shell; under a command runner nothing does. */
export function parentNarrowedBy(view: AlertView, kind: BroadParentKind): string | undefined {
  switch (kind) {
    case 'container runtime': return '<container.image.repository>';
    case 'init': case 'scheduler': case 'scheduled job': return '<proc.cmdline>';
    case 'shell': return anchoringShellCommandLine(view) !== undefined ? '<proc.pcmdline>' : undefined;
    case 'command runner': case 'session': return undefined;
  }
}

/** Why an exception on this alert's parent (without a narrowing field) would cover far more than this case; alert
 *  values (untrusted) pass through `quote`. */
export function broadParentReason(view: AlertView, quote: (value: string) => string = (v) => v): string | undefined {
  const broad = broadParent(view);
  if (!broad) return undefined;
  const parent = quote(broad.parent);
  switch (broad.kind) {
    case 'container runtime': return `the parent ${parent} is the container runtime, which starts the processes of every container, so an exception on this process and parent would cover all of them`;
    case 'init': return `the parent ${parent} starts every service and receives every orphaned or daemonized process, so an exception on this program and parent would cover every one that runs it; only the command line tells them apart`;
    case 'scheduler': return `the parent ${parent} starts every scheduled job, so an exception on this program and parent would cover every job that runs it; only the command line tells them apart`;
    case 'scheduled job': return `the parent ${parent} is the shell of a job that ${quote(valueOf(view, 'proc.aname[2]') ?? '')} started, so an exception on this program and parent would cover every scheduled job that runs it; only the command line tells them apart`;
    case 'shell': {
      const anyone = 'so an exception on this program and parent would also silence it when anyone types it at a shell, an attacker included';
      const cmdline = valueOf(view, 'proc.pcmdline');
      if (!cmdline) return `the parent ${parent} is a shell and the alert does not say what it runs (no ${quote('proc.pcmdline')}: add it to the rule's output to tell a script from commands typed in), ${anyone}`;
      const run = shellInvocation(cmdline);
      if (run.kind === 'relative script') return `the parent ${parent} runs a script by a relative path (${quote(cmdline)}), which a file of that name in any folder would match, ${anyone}`;
      if (run.kind === 'input') return `the parent ${parent} runs commands typed or piped into it (its command line is ${quote(cmdline)}), ${anyone}`;
      return `the parent ${parent} is a shell, ${anyone}; its command line ${quote(cmdline)} names what it runs: pair the program with it (${quote('proc.pcmdline')}) instead`;
    }
    case 'command runner': return `the parent ${parent} runs whatever command it is given, for anyone allowed to use it, so an exception on this program and parent would also silence it when anyone runs it that way, an attacker included`;
    case 'session': return `the parent ${parent} starts every login session (each user's shell, or the command a remote user asks for), so an exception on this program and parent would cover every session of every user, an intruder's included`;
  }
}

/**
 * The alert's process is a shell whose parent is none of the broad ones (a server: Run shell untrusted's case). An
 * exception on the shell and that parent would silence every command the parent runs through a shell, an injected
 * one included; what the shell runs is its command line, which names it when it holds a script or a `-c` string.
 */
export function shellOfParent(view: AlertView): { shell: string; parent: string; anchored: boolean } | undefined {
  const shell = valueOf(view, 'proc.name') ?? '';
  const parent = valueOf(view, 'proc.pname');
  if (!SHELLS.has(shell) || !parent || broadParent(view)) return undefined;
  const cmdline = valueOf(view, 'proc.cmdline');
  const run = cmdline ? shellInvocation(cmdline) : undefined;
  return { shell, parent, anchored: run?.kind === 'command' || run?.kind === 'script' };
}

/** Why no exception pairs a shell with its parent (shellOfParent); alert values (untrusted) pass through `quote`. */
export function shellOfParentReason(view: AlertView, quote: (value: string) => string = (v) => v): string | undefined {
  const of = shellOfParent(view);
  if (!of) return undefined;
  const cmdline = valueOf(view, 'proc.cmdline');
  return `the process ${quote(of.shell)} is a shell that ${quote(of.parent)} started, so an exception on the shell and its parent would silence `
    + `every command ${quote(of.parent)} runs through a shell, an injected one included; only the shell's command line tells them apart`
    + (of.anchored ? '' : cmdline ? `, and this one (${quote(cmdline)}) names no script and no \`-c\` string` : ', which the alert does not give');
}

/**
 * The alert's fd.name when it names a socket connection rather than a file. libsinsp names a connected IPv4 or IPv6
 * socket by both ends, `client:port->server:port` (utils.cpp ipv4tuple_to_string, ipv6tuple_to_string), and a unix
 * socket by the kernel addresses of both ends and its path, `<hex>-><hex> path` (parsers.cpp), libs 0.25.2: the
 * client's port (the kernel's addresses) changes with every connection, so an exception on that name matches this one
 * connection and never the next. A listening socket's name (its own address, no arrow) and a file are not one.
 */
export function socketConnection(view: AlertView): string | undefined {
  const name = valueOf(view, 'fd.name');
  if (!name || !name.includes('->')) return undefined;
  const type = valueOf(view, 'fd.type');
  return type === undefined || type === 'ipv4' || type === 'ipv6' || type === 'unix' ? name : undefined;
}

/** Why "file + process" is not offered for a socket connection; alert values (untrusted) pass through `quote`. */
export function socketConnectionReason(view: AlertView, quote: (value: string) => string = (v) => v): string | undefined {
  const name = socketConnection(view);
  if (name === undefined) return undefined;
  return `${quote('fd.name')} is a socket connection (${quote(name)}), named by both of its ends: the client's port (for a unix socket, the `
    + 'kernel\'s addresses of the two ends) changes with every connection, so an exception on it would match this connection only, never the next one';
}

/**
 * The service accounts of kube-controller-manager's controllers (the official k8s_audit_rules.yaml lists them in
 * known_sa_list) and the manager's and scheduler's own users: they create, bind and change objects for every workload
 * (the pods of every Deployment are created by replicaset-controller), so one of them says nothing about this case.
 */
const CONTROLLER_ACCOUNTS = new Set(['cronjob-controller', 'daemon-set-controller', 'deployment-controller', 'disruption-controller',
  'endpoint-controller', 'endpointslice-controller', 'endpointslicemirroring-controller', 'generic-garbage-collector', 'horizontal-pod-autoscaler',
  'job-controller', 'namespace-controller', 'node-controller', 'persistent-volume-binder', 'pod-garbage-collector', 'pv-protection-controller',
  'pvc-protection-controller', 'replicaset-controller', 'replication-controller', 'resourcequota-controller', 'root-ca-cert-publisher',
  'service-account-controller', 'statefulset-controller', 'ttl-after-finished-controller']);
const CONTROLLER_USERS = new Set(['system:kube-controller-manager', 'system:kube-scheduler']);

/** The alert's ka.user.name when it is a Kubernetes controller acting for every workload. */
export function kubernetesController(view: AlertView): string | undefined {
  const user = valueOf(view, 'ka.user.name');
  if (!user) return undefined;
  const account = /^system:serviceaccount:kube-system:(.+)$/.exec(user)?.[1];
  return CONTROLLER_USERS.has(user) || (account !== undefined && CONTROLLER_ACCOUNTS.has(account)) ? user : undefined;
}

/** Why "Kubernetes user + namespace" is not offered for a controller; alert values (untrusted) pass through `quote`. */
export function kubernetesControllerReason(view: AlertView, quote: (value: string) => string = (v) => v): string | undefined {
  const user = kubernetesController(view);
  if (user === undefined) return undefined;
  return `the user ${quote(user)} is a Kubernetes controller, which creates and changes objects for every workload (the pods of every Deployment, `
    + 'DaemonSet, StatefulSet and Job), so an exception on this user and namespace would cover every workload of the namespace';
}

/**
 * Who ran the process, as the alert says it (the rule's output prints them: the official rules give `user=%user.name
 * user_uid=%user.uid user_loginuid=%user.loginuid`): the user it runs as, by name (user.name, looked up in the passwd
 * database of the host or the container), or by uid where the alert has no name for it (`<NA>`: no entry for the uid,
 * a container running as an arbitrary uid); and the login user (user.loginuid, the audit login uid, kept across su and
 * sudo: the person behind a root shell; -1 for a process of no login session, a service's). libsinsp has all three at
 * every release Falco Lens targets (sinsp_filter_check_user: user.uid PT_UINT32, user.name PT_CHARBUF, user.loginuid
 * PT_INT64 giving -1 for an unset auid, libs 0.14 for Falco 0.37 to libs 0.25 for Falco 0.44), so an exception on them
 * loads at each. A field the alert lacks is never guessed: the shape then keys on the others, or is not offered.
 */
const USER_FIELDS = ['user.name', 'user.uid', 'user.loginuid'];

/** The user fields this alert has values for: user.name (else user.uid), and user.loginuid. */
export function alertUserFields(view: AlertView): string[] {
  const has = (f: string) => (valueOf(view, f) ?? '') !== '';
  const runsAs = has('user.name') ? ['user.name'] : has('user.uid') ? ['user.uid'] : [];
  return [...runsAs, ...(has('user.loginuid') ? ['user.loginuid'] : [])];
}

export function isUserField(field: string): boolean {
  return USER_FIELDS.includes(field);
}

/** The user fields the rule's condition holds at the value this alert has (RuleSummary.pinnedFields: `user.uid = 0`
 *  in the rule or a macro it names), with that value: an exception keyed by them narrows none of the rule's alerts. */
function pinnedUserFields(view: AlertView): [string, string][] {
  const pins = view.ruleSummary?.pinnedFields?.();
  if (!pins) return [];
  const same = (a: string, b: string) => a === b || (/^-?\d+$/.test(a) && /^-?\d+$/.test(b) && BigInt(a) === BigInt(b));
  return USER_FIELDS.flatMap((f): [string, string][] => {
    const pinned = pins.get(f);
    const value = valueOf(view, f);
    return pinned !== undefined && value !== undefined && same(pinned, value) ? [[f, pinned]] : [];
  });
}

/**
 * The same exception keyed by the alert's user too, offered before it, and the shape without the user, titled "any
 * user". Keyed by a program (and its parent, its command line or the file it opens) alone, an exception silences the
 * rule for whoever runs that program that way: `cron → bash` as root is also `cron → bash` of every user's crontab, and
 * a root shell's `cat /etc/shadow` is the backup's too. The user tells them apart wherever the alert has it.
 * Where the rule's condition already holds the alert's user fields at their values (`user.uid = 0`), keying by them
 * tells nothing apart: the "+ user" shape leaves them out, and with none left it is the other shape, offered once,
 * titled with the user the rule requires.
 */
function userPair(base: ExceptionShape): ExceptionShape[] {
  const forAlert = (view: AlertView) => (base.of ? base.of(view) : base);
  const pinnedLabel = (pinned: [string, string][]) => pinned.map(([f, v]) => `${f} ${v}`).join(' and ');
  return [
    { ...base, label: `${base.label} + user`, fields: [...base.fields, ...USER_FIELDS], of: (view) => {
      const shape = forAlert(view);
      const pinned = new Set(pinnedUserFields(view).map(([f]) => f));
      const users = alertUserFields(view).filter((f) => !pinned.has(f));
      return !shape || users.length === 0 ? undefined : { ...shape, label: `${shape.label} + user`, fields: [...shape.fields, ...users], of: undefined };
    } },
    { ...base, label: `${base.label}, any user`, of: (view: AlertView) => {
      const shape = forAlert(view);
      if (!shape) return undefined;
      const pinned = pinnedUserFields(view);
      const keyed = alertUserFields(view);
      // Every user field the "+ user" shape would key by is one the rule requires: this shape covers the same alerts.
      const same = keyed.length > 0 && keyed.every((f) => pinned.some(([p]) => p === f));
      return { ...shape, label: same ? `${shape.label}, ${pinnedLabel(pinned)} as the rule requires` : `${shape.label}, any user`, of: undefined };
    } },
  ];
}

/**
 * The arguments of the events that create a link (libs driver/event_table.c: symlink and symlinkat `target` and
 * `linkpath`, link and linkat `oldpath` and `newpath`): the file linked to, and where the new link is. The official
 * rules test the file linked to: Create Symlink Over Sensitive Files `evt.arg.target in (sensitive_file_names)`,
 * Create Hardlink Over Sensitive Files `evt.arg.oldpath in (sensitive_file_names)` (falco_rules.yaml, rules 3.0.0 to
 * 5.0.0), and print the other (`linkpath=%evt.arg.linkpath`, `linkpath=%evt.arg.newpath`).
 */
const LINK_ARGUMENTS = [
  { events: ['symlink', 'symlinkat'], linked: 'evt.arg.target', link: 'evt.arg.linkpath' },
  { events: ['link', 'linkat'], linked: 'evt.arg.oldpath', link: 'evt.arg.newpath' },
] as const;
const LINK_LABELS: Record<string, string> = { 'evt.arg.target': 'link target', 'evt.arg.linkpath': 'link path', 'evt.arg.oldpath': 'linked file', 'evt.arg.newpath': 'new link path' };

/** The link fields a rule's condition compares: through the macros it uses where the rules service read them
 *  (RuleSummary.testedFields: a rule may test `evt.arg.linkpath` in a macro of its own), else as written in it. */
function conditionLinkFields(rule: RuleSummary | undefined): Set<string> {
  const tested = new Set<string>();
  if (rule?.testedFields) {
    for (const f of rule.testedFields()) if (f in LINK_LABELS) tested.add(f);
    return tested;
  }
  const condition = rule?.condition;
  if (!condition || !condition.includes('evt.arg')) return tested;
  for (const f of fieldsOf(parseCondition(condition).ast)) if (f.kind === 'field' && f.name in LINK_LABELS) tested.add(f.name);
  return tested;
}

/**
 * The exception on the link an alert is about. Falco appends an exception to the condition as `and not (f1 = v1 and
 * f2 = v2 …)`: keyed on the file linked to alone, it covers every link to that file the program makes, anywhere, and
 * keyed on a field the condition does not test it still silences the rule wherever that field matches. So it keys on
 * the link's arguments the rule's condition tests (which pair: those it names, else the alert's evt.type, else the
 * values the alert has), with the link's other path (where the link is, or what it points to) when the alert has it:
 * this link, made by this program.
 */
function linkShape(view: AlertView): ExceptionShape | undefined {
  const tested = conditionLinkFields(view.ruleSummary);
  const type = valueOf(view, 'evt.type');
  const has = (f: string) => (valueOf(view, f) ?? '') !== '';
  const args = LINK_ARGUMENTS.find((a) => tested.has(a.linked) || tested.has(a.link))
    ?? LINK_ARGUMENTS.find((a) => type !== undefined && (a.events as readonly string[]).includes(type))
    ?? LINK_ARGUMENTS.find((a) => has(a.linked) || has(a.link));
  if (!args) return undefined;
  // A tested field the alert lacks leaves the shape without a value (not offered); an untested one is added if present.
  const fields = [args.linked, args.link].filter((f) => tested.has(f) || has(f));
  if (fields.length === 0) return undefined;
  return { label: `${fields.map((f) => LINK_LABELS[f]).join(' + ')} + process`, fields: [...fields, 'proc.name'] };
}

/** Exception shapes offered, most specific first; one is offered when the alert has a value for each field. */
export const EXCEPTION_SHAPES: ExceptionShape[] = [
  // Not keyed by the user: in a container every process runs as the user the image or the pod's securityContext sets,
  // whoever started it (a `kubectl exec` shell and code injected into the server alike), so the user tells nothing apart.
  { label: 'process + container image', fields: ['proc.name', 'container.image.repository'], appliesTo: (v) => !['host', ''].includes(valueOf(v, 'container.id') ?? '') },
  // Each keyed by the program and its parent or command line: the alert's user first, then any user (userPair).
  ...userPair({ label: 'process + parent', fields: ['proc.name', 'proc.pname'], appliesTo: (v) => !broadParent(v) && !shellOfParent(v) }),
  // Under a shell that runs a script by absolute path or a -c string: the program and what the shell runs.
  ...userPair({ label: 'process + parent command line', fields: ['proc.name', 'proc.pcmdline'], appliesTo: (v) => anchoringShellCommandLine(v) !== undefined }),
  // Under a supervisor the exact command, and a shell's exact script or -c string under another parent (a server).
  // Not under a container runtime (every container runs the same commands), a shell (the command anyone types) or a
  // command runner (the command anyone runs through it).
  ...userPair({ label: 'command line + parent', fields: ['proc.cmdline', 'proc.pname'], appliesTo: (v) => ['init', 'scheduler', 'scheduled job'].includes(broadParent(v)?.kind ?? '') || shellOfParent(v)?.anchored === true }),
  // Not on a socket connection: its name holds the client's port, which the next connection does not share.
  ...userPair({ label: 'file + process', fields: ['fd.name', 'proc.name'], appliesTo: (v) => socketConnection(v) === undefined }),
  // The link's arguments the rule's condition tests, with the link's own path (linkShape).
  ...userPair({ label: 'link + process', fields: ['evt.arg.target', 'evt.arg.linkpath', 'proc.name'], of: linkShape }),
  // Offered on its own when the alert has no proc.name (otherwise "process + parent" keyed by the path is this pair
  // narrowed by the name: exceptionShapes). Not where the path is no file only this program has (a memfd, a deleted file).
  ...userPair({ label: 'executable path + parent', fields: ['proc.exepath', 'proc.pname'], appliesTo: (v) => !broadParent(v) && !shellOfParent(v) && !pathIsNotTheProgram(v) }),
  // Not for a controller: it acts for every workload of the namespace.
  { label: 'Kubernetes user + namespace', fields: ['ka.user.name', 'ka.target.namespace'], appliesTo: (v) => kubernetesController(v) === undefined },
  { label: 'AWS user + event', fields: ['ct.user', 'ct.name'] },
];

/**
 * Which fields an exception keys the alert's process by. What libsinsp fills in (libs 0.25.2; the same reading at
 * libs 0.14.x, Falco 0.37):
 * - proc.name is the thread's comm (sinsp_filtercheck_thread.cpp:1132 get_comm), the execve exit event's `comm`
 *   (parsers.cpp:1496-1503; the drivers copy task->comm, e.g. modern_bpf sched_process_exec.bpf.c:160-161), or
 *   /proc/PID/comm for a process found at start (scap_procs.c:974). The kernel sets it at execve to the last part of
 *   the path the caller passed (bprm->filename: a link's own name, a script's name), cut at 15 bytes; any process can
 *   change it (prctl PR_SET_NAME, each thread its own);
 * - proc.exe is argv[0] (parsers.cpp:1493, the first string of the new process's arguments; /proc/PID/cmdline at
 *   start), whatever the caller chose; the official rules print it once (Executing binary not part of base image);
 * - proc.exepath is the path of the file the kernel runs, mm->exe_file (parsers.cpp:1563-1566 from the execve exit's
 *   trusted_exepath: the kernel module's d_path, ppm_fillers.c:1292, or the eBPF drivers' walk up the mounts,
 *   auxmap_store_params.h auxmap__store_d_path_approx; /proc/PID/exe for a process found at start,
 *   scap_procs.c:938-972): links resolved, so a link of another name, a busybox applet and a script's interpreter
 *   all give the file they reach. libsinsp has it at every release Falco Lens targets (PT_CHARBUF,
 *   sinsp_filtercheck_thread.cpp:52 at libs 0.14.1, Falco 0.37), so `=` and `in` compare it as a string.
 * The path says which file runs, which only one who can write that path chooses; the name says which of the programs
 * one file can be it was started as: busybox, kmod (insmod, rmmod), lvm or vim pick what they do by the name they are
 * started under, so the path alone would cover every applet of the file (`/bin/busybox` for `wget` covers `sh` too).
 * Both key the process (`proc.exepath` with `proc.name`), the path alone only when the alert has no proc.name. The
 * name alone keys it when the path is not usable:
 * - `none`: the alert has no proc.exepath (or `<NA>`, which libsinsp gives when it could not read it);
 * - `not a file`: it is not a file's absolute path that only this program has: a memfd (`/memfd:<name>`, any process
 *   names its own; the kernel's path of one, with " (deleted)" cut by libsinsp from libs 0.20, threadinfo.cpp
 *   set_exepath), a deleted file (" (deleted)" still there before libs 0.20, Falco 0.40), a relative path (what old
 *   captures rebuild from the execve argument, parsers.cpp:1567-1660);
 * - `unwritable`: a value no exception is written with (inexactValue, exceptionValueText: the shapes of the path are
 *   refused, and say why).
 * `otherName`: the name is not the path's file name (a 15-byte cut allowed): a link of another name, a busybox applet,
 * a script (its interpreter runs: the pair covers any script of that name the interpreter runs), or a renamed thread.
 */
export type ProcessKey =
  | { field: 'proc.exepath'; path: string; name?: string; otherName: boolean }
  | { field: 'proc.name'; why: 'none' | 'not a file' | 'unwritable'; path?: string };

export function processKey(view: AlertView): ProcessKey {
  const path = valueOf(view, 'proc.exepath');
  if (!path || path === '<NA>') return { field: 'proc.name', why: 'none' };
  if (!path.startsWith('/') || path.startsWith('/memfd:') || path.endsWith(' (deleted)')) return { field: 'proc.name', why: 'not a file', path };
  if (inexactValueOf(view, 'proc.exepath') !== undefined || 'refused' in exceptionValueText(path, view.listNamed)) return { field: 'proc.name', why: 'unwritable', path };
  const name = valueOf(view, 'proc.name') || undefined;
  const file = path.slice(path.lastIndexOf('/') + 1);
  const otherName = name !== undefined && name !== file && !(new TextEncoder().encode(name).length === 15 && file.startsWith(name));
  return { field: 'proc.exepath', path, ...(name !== undefined ? { name } : {}), otherName };
}

/** Whether proc.exepath names no file only this program has (a memfd, a deleted file, a relative path): an exception
 *  on it would not be about this program. */
function pathIsNotTheProgram(view: AlertView): boolean {
  const key = processKey(view);
  return key.field === 'proc.name' && key.why === 'not a file';
}

/** Whether the alert's process is in a container (not the host, and the alert says which). */
function inContainer(view: AlertView): boolean {
  return !['host', '', undefined].includes(valueOf(view, 'container.id'));
}

/** The comment written above a new exception keying the process by its executable's path (trusted text: no alert
 *  value), after the unloaded rule's comment (unloadedRule) when there is one. */
export function exceptionComment(p: ExceptionProposal, unloaded?: string): string[] {
  const byPath = p.shape.fields.includes('proc.exepath');
  const key = !byPath ? undefined : p.shape.fields.includes('proc.name')
    ? 'Keyed by proc.exepath and proc.name: only a program placed at this path runs from it, and the name is the one it was started by (busybox, kmod and others do what that name says).'
    : 'Keyed by proc.exepath: a program can take any process name, but only one placed at this path runs from it.';
  const quoted = p.values.some((v) => v.startsWith('"'))
    ? 'A value in double quotes is written as Falco\'s condition reads a string (\\ and \" escaped): Falco copies exception values into the condition as they are, '
      + 'and replaces the name of a loaded list standing alone by the list\'s items.'
    : undefined;
  return [unloaded, key, quoted].filter((c) => c !== undefined);
}

/**
 * What the alert says of the executable's file that makes its path no pin on the program: it was writable by the user
 * who ran it (EXE_WRITABLE), or is in the container's writable overlay layer, added or changed after the container
 * started (EXE_UPPER_LAYER): the execve exit event's `flags` (evt.arg.flags, as the drift rules print it; flags
 * ppm_events_public.h:664-665, named in flags_table.c:567-568, libs 0.25.2) or proc.is_exe_writable /
 * proc.is_exe_upper_layer. Whoever wrote the file there can put another program at that path.
 */
export function writableExecutable(view: AlertView): { writable: boolean; upper: boolean } | undefined {
  const type = valueOf(view, 'evt.type');
  const flags = type === undefined || type === 'execve' || type === 'execveat' ? (valueOf(view, 'evt.arg.flags') ?? '').split('|') : [];
  const writable = flags.includes('EXE_WRITABLE') || valueOf(view, 'proc.is_exe_writable') === 'true';
  const upper = flags.includes('EXE_UPPER_LAYER') || valueOf(view, 'proc.is_exe_upper_layer') === 'true';
  return writable || upper ? { writable, upper } : undefined;
}

/** Which fields key the process and why (trusted text; alert values pass through `quote`). */
export function processKeyReason(view: AlertView, quote: (value: string) => string = (v) => v): string {
  const key = processKey(view);
  // Item 2 of session 18: the drivers resolve exe_file from the root of the process's mount namespace (the kernel
  // module's d_path from the process's root; the eBPF drivers climb the mounts to the namespace's root mount,
  // auxmap_store_params.h:2153-2236 at libs 0.25.2, filler_helpers.h bpf_d_path_approx at 0.14.2), and /proc/PID/exe
  // gives the path in the process's own mount tree: a container's process has the path inside the container.
  let where = inContainer(view) && key.field === 'proc.exepath'
    ? ` In a container ${quote('proc.exepath')} is the path inside the container (the drivers resolve it from the root of the process's mount namespace, not the host's path to the image's files), so the same path in another image is another file.`
    : '';
  const open = key.field === 'proc.exepath' ? writableExecutable(view) : undefined;
  // The path pins the program only as long as no one else can write there: said where the alert says someone could.
  if (open) {
    const how = [open.upper ? 'was added to or changed in the container after it started (EXE_UPPER_LAYER)' : '', open.writable ? 'is writable by the user who ran it (EXE_WRITABLE)' : '']
      .filter((h) => h !== '').join(' and ');
    where += ` Here the alert says the executable ${how}: whoever wrote it there can put another program at this path under this name, and the exception would cover that program too.`;
  }
  if (key.field === 'proc.exepath') {
    if (key.name === undefined) {
      return `The process is keyed by ${quote('proc.exepath')}, the path of its executable: any program can take any process name, only one placed at that path runs from it. `
        + `The alert has no ${quote('proc.name')}, so the exception covers that file under any name it is started by (every applet of a multi-call file such as busybox): add ${quote('proc.name')} to the rule's output to key it by both.${where}`;
    }
    const both = `The process is keyed by ${quote('proc.exepath')} and ${quote('proc.name')}: the path of its executable (any program can call itself ${quote(key.name)}, only one placed at that path runs from it) `
      + 'and the name it was started by, since one file can be several programs by the name it is started under (busybox\'s applets, kmod\'s insmod and rmmod): the path alone would cover them all.';
    if (!key.otherName) return `${both}${where}`;
    return `${both} Here the name is not the file's: ${quote(key.name)} runs ${quote(key.path)}, started through a link of another name, as a script that this interpreter runs `
      + '(then the exception covers any script of that name it runs), or under a name the process gave itself (a thread\'s name).' + where;
  }
  const weak = `The process is keyed by ${quote('proc.name')}, a name any program can give itself`;
  if (key.why === 'none') return `${weak}: the alert has no ${quote('proc.exepath')} (add it to the rule's output to key the exception by the executable's path).`;
  if (key.why === 'not a file') return `${weak}: its ${quote('proc.exepath')} (${quote(key.path ?? '')}) is not the path of a file only this program has (a memfd, a deleted file or a relative path).`;
  const refused = key.path !== undefined ? exceptionValueText(key.path, view.listNamed) : undefined;
  if (refused && 'refused' in refused) return `${weak}: its ${quote('proc.exepath')} cannot be written into Falco's condition (${refused.refused}).`;
  if (inexactValueOf(view, 'proc.exepath') === 'uncertain') return `${weak}: ${inexactValueReason('proc.exepath', 'uncertain', quote)}.`;
  return `${weak}: its ${quote('proc.exepath')} holds bytes the alert does not show (U+FFFD or a lone surrogate), so no exception on it would match.`;
}

/** The exception shapes for this alert: where processKey keys the process by its executable's path, proc.name becomes
 *  the path and the name (the path alone without a name), and "executable path + parent" is left out when it would
 *  be "process + parent" without the name. */
export function exceptionShapes(view: AlertView): ExceptionShape[] {
  const key = processKey(view);
  const process = key.field === 'proc.exepath' ? (key.name !== undefined ? ['proc.exepath', 'proc.name'] : ['proc.exepath']) : undefined;
  const label = process?.length === 2 ? 'executable path + process name' : 'executable path';
  const seen = new Set<string>();
  const out: ExceptionShape[] = [];
  for (const general of EXCEPTION_SHAPES) {
    const shape = general.of ? general.of(view) : general;
    if (!shape) continue;
    const keyed = process && shape.fields.includes('proc.name')
      ? { ...shape, label: shape.label.replace('process', label), fields: shape.fields.flatMap((f) => (f === 'proc.name' ? process : [f])) }
      : shape;
    if (process?.length === 2 && keyed.fields.includes('proc.exepath') && !keyed.fields.includes('proc.name')) continue;
    const id = keyed.fields.join(' ');
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(keyed);
  }
  return out;
}

/**
 * Why an alert value is not the text Falco compares, or undefined when it is (an exception written from it would
 * never match, and a command filled with it would look for what the system does not have):
 * - `replaced`: U+FFFD, what Falco prints in place of bytes that are not valid UTF-8. libsinsp extracts a field for the
 *   output with its strings sanitized, each invalid sequence replaced by U+FFFD (sinsp_filtercheck.h:138-146, tostring
 *   at sinsp_filtercheck.cpp:479, utils.h sanitize_string, libs 0.25.2), and Falco 0.44's JSON output does the same to
 *   whatever else it writes (formats.cpp:161, `dump(..., error_handler_t::replace)`, 0.44.0 and 0.44.1); a tool
 *   reading the log as UTF-8 (the editor, falcosidekick) replaces them too. The condition, and so an exception,
 *   compares the field's own bytes (compare_nocache extracts unsanitized, sinsp_filtercheck.cpp:1195): a value
 *   written from the alert holds U+FFFD where the event has other bytes. (A value may really hold U+FFFD; the alert
 *   cannot tell the two apart.)
 * - `surrogate`: a lone UTF-16 surrogate, which only a JSON escape gives (`"\ud800"` without its pair). Falco never
 *   writes one: nlohmann's dump writes UTF-8, and with the replace handler an encoded surrogate (bytes ED A0 80, not
 *   valid UTF-8) becomes U+FFFD like any other invalid sequence; text output is the sanitized string. So the line was
 *   not written by Falco as it is. No UTF-8 text holds a lone surrogate: not an event's field, not a rules file (the
 *   YAML written gets U+FFFD, yamlText.ts).
 */
/** 'replaced': U+FFFD for bytes that were not UTF-8; 'surrogate': a lone surrogate; 'uncertain': a text alert's value
 *  whose end in the output is not known (view.ts AlertValue.uncertainEnd). */
export type InexactValue = 'replaced' | 'surrogate' | 'uncertain';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function inexactValue(value: string | undefined): InexactValue | undefined {
  if (value === undefined) return undefined;
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  return value.includes('\uFFFD') ? 'replaced' : undefined;
}

/** inexactValue of the alert's value of `field`, or 'uncertain' where the value was cut out of a text output whose
 *  reading leaves its end open: written into an exception, it may be another value than the one Falco printed. */
export function inexactValueOf(view: AlertView, field: string): InexactValue | undefined {
  const value = valueOf(view, field);
  if (value === undefined) return undefined;
  if (!view.outputFields && view.values.some((v) => v.field === field && v.uncertainEnd !== undefined && v.value === value)) return 'uncertain';
  return inexactValue(value);
}

/** Why an inexact alert value (inexactValue) is written into no exception; field names pass through `quote`. */
export function inexactValueReason(field: string, why: InexactValue, quote: (value: string) => string = (v) => v): string {
  if (why === 'uncertain') {
    return `where the value of ${quote(field)} ends in the alert's text is uncertain (the rule's output template reads it in more than one way, `
      + 'or it was read without the template up to the next key=), so an exception on it could compare another value than the one Falco printed';
  }
  if (why === 'surrogate') {
    return `the value of ${quote(field)} holds a lone UTF-16 surrogate (a JSON escape such as \\ud800 without its pair), which Falco never prints `
      + 'and no event or rules file can hold (not UTF-8): the line was changed or written by another tool, and an exception on this value would never match';
  }
  return `the value of ${quote(field)} holds U+FFFD (\uFFFD), which Falco prints in place of bytes that are not valid UTF-8, `
    + 'while the condition compares the event\'s own bytes: an exception on this value would never match (unless the value really holds U+FFFD, '
    + 'which the alert cannot tell apart)';
}

/** What a title says of fields holding inexact values (inexactValue): `holds U+FFFD for bytes that are not valid UTF-8`. */
export function inexactValuesTitle(fields: readonly string[], whys: ReadonlySet<InexactValue>): string {
  if (whys.size === 1 && whys.has('uncertain')) return `where ${fields.join(', ')} ${fields.length === 1 ? 'ends' : 'end'} in the text is uncertain`;
  const what = whys.has('surrogate')
    ? (whys.has('replaced') ? 'U+FFFD or a lone surrogate' : 'a lone surrogate, which Falco never prints')
    : 'U+FFFD for bytes that are not valid UTF-8';
  return `${fields.join(', ')} ${fields.length === 1 ? 'holds' : 'hold'} ${what}`;
}

/**
 * Why no tuning is written for the alert's rule, when its name is not one Falco could have printed (inexactValue) and
 * no loaded rule has it: an override naming a rule no earlier file defines stops Falco (ERROR_NO_PREVIOUS_RULE_APPEND,
 * rule_loader_collector.cpp 0.44.0), and written into YAML the name would not be the alert's.
 */
export function inexactRuleNameReason(view: AlertView): string | undefined {
  if (!view.rule || view.ruleSummary) return undefined;
  const why = inexactValue(view.rule);
  if (!why) return undefined;
  return `the rule name holds ${why === 'surrogate' ? 'a lone UTF-16 surrogate, which Falco never prints' : 'U+FFFD in place of bytes that are not valid UTF-8'}, `
    + 'and no loaded rule has this name: an override written with it would name no rule, and Falco refuses a rules file that overrides a rule no earlier file defines';
}

export interface ExceptionProposal {
  rule: string;
  shape: ExceptionShape;
  name: string;
  /** The values as written into the YAML: as the alert has them, or in the condition's quotes (exceptionValueText). */
  values: string[];
}

const UNSAFE_VALUE = /["'\\(),\u0000-\u001f\u007f]/;

/**
 * How an alert value is written into an exception (or a list) so that Falco's condition compares exactly it, or why
 * it is not written. Falco builds the exception's condition text from the values as they are
 * (build_rule_exception_infos), wrapping a value in double quotes only when it holds a blank and does not start with a
 * quote (quote_item, rule_loader_compiler.cpp 0.37.0:37-43, 0.44.0:49-53, the same at every release between), then
 * resolves lists in that text and parses it with libsinsp:
 * - a value that needs no quoting (isSafeExceptionValue) is written as it is, as Falco Lens always wrote it;
 * - any other is written quoted: `"`, its backslashes and double quotes escaped (and \b \f \n \r \t), which
 *   quote_item leaves alone (it starts with a quote) and libsinsp reads back to the value: lex_quoted_str takes the
 *   text up to the first quote not preceded by a backslash, unescape_str turns `\\` and `\"` back (parser.cpp and
 *   escaping.cpp at libs 0.14.2 and 0.25.2, Falco 0.37 and 0.44; a single quote stays raw: `\'` is refused in a
 *   double-quoted string). `=`, `,`, `(` and `)` are plain text inside quotes;
 * - refused: a value ending with a backslash, whose escape `\\` stands right before the closing quote, which the
 *   lexer then takes for an escaped quote (it compares with the character before, not the escape): the string never
 *   closes, the condition does not compile and Falco does not start; a value holding NUL, where libsinsp's lexer stops
 *   reading the condition (`*cursor() != '\0'`); and an empty value (matched by nothing the alert is about).
 * Falco then expands lists in that text (resolve_list, rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238): a
 * loaded list's name with blanks, '(', ')', ',' or '=' on both sides is replaced by the list's items, inside quotes
 * too. `listNamed` (the loaded lists, AlertView.listNamed) tells such words:
 * - a bare value that is a list's name is written in quotes (`"shell_binaries"`), where a quote stands next to it;
 * - a value holding a list's name between blanks (or the other delimiters) is refused: no escape of libsinsp's
 *   unescape_str gives a blank, '(', ')', ',' or '=' (escaping.cpp, libs 0.14.2 and 0.25.2), so no writing keeps the
 *   name from being replaced.
 */
export type ExceptionValueText = { text: string; quoted: boolean } | { refused: string };

export function exceptionValueText(value: string, listNamed?: (word: string) => boolean): ExceptionValueText {
  if (value === '') return { refused: 'it is empty' };
  if (value.includes('\u0000')) return { refused: 'it holds a NUL character, where Falco\'s condition parser stops reading' };
  // Every value of an exception becomes a constant of the condition Falco compiles, and libsinsp refuses a constant
  // over 255 bytes ("filter parameter too long", constantValues.ts MAX_VALUE_BYTES): a path or command line can be
  // longer, and the exception would then keep Falco from starting.
  const bytes = value.length > MAX_VALUE_BYTES / 3 ? utf8Length(value) : 0;
  if (bytes > MAX_VALUE_BYTES) {
    return { refused: `it is ${bytes} bytes long, and libsinsp refuses a value of the condition over ${MAX_VALUE_BYTES} bytes ('filter parameter too long'), so Falco would not start` };
  }
  if (isSafeExceptionValue(value)) {
    if (!listNamed) return { text: value, quoted: false };
    // quote_item wraps a value with a blank in double quotes; a bare value stands between the condition's delimiters.
    if (value.includes(' ')) return pastedListRefusal(`"${value}"`, listNamed) ?? { text: value, quoted: false };
    return listNamed(value) ? { text: `"${value}"`, quoted: true } : { text: value, quoted: false };
  }
  if (value.endsWith('\\')) {
    return {
      refused: 'it ends with a backslash: written in quotes, its escape (\\\\) stands right before the closing quote, which Falco\'s condition parser '
        + 'then takes for an escaped quote (it looks at the character before a quote), so the condition would not compile and Falco would not start',
    };
  }
  const escaped = value.replace(/[\\"\b\f\n\r\t]/g, (c) => CONDITION_ESCAPES[c]);
  return (listNamed && pastedListRefusal(`"${escaped}"`, listNamed)) || { text: `"${escaped}"`, quoted: true };
}

/** The delimiters of resolve_list (blanks, parentheses, ',' and '='), as raw characters of the condition's text. */
const LIST_NAME_DELIMITERS = /[ \t\n\r(),=]/;

/** Why the quoted condition text `text` of a value is refused: a word inside it, between delimiters, names a loaded
 *  list (the words touching the quotes do not: a quote is no delimiter). */
function pastedListRefusal(text: string, listNamed: (word: string) => boolean): { refused: string } | undefined {
  const words = text.split(LIST_NAME_DELIMITERS);
  const word = words.slice(1, -1).find((w) => w !== '' && listNamed(w));
  return word === undefined ? undefined : {
    refused: `the word '${word}' in it is the name of a loaded list, and Falco replaces a list's name by the list's items wherever blanks, `
      + 'parentheses, commas or \'=\' surround it in the condition\'s text, inside quotes too (no escape hides it): the exception would compare another value',
  };
}

const CONDITION_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Whether a value goes into Falco's condition as it is: no quote, backslash, parenthesis, comma or control character,
 *  no outer blank, and no '=' unless a blank makes Falco quote it. */
export function isSafeExceptionValue(value: string): boolean {
  // A value without a space is pasted bare, and libsinsp reads a bare string only up to '=' (RGX_BARESTR
  // "[^()\"'[:space:]=,]+", filter/parser.cpp, libs 0.25.2): `fd.name = /tmp/a=b` leaves `=b` behind and the whole
  // rule fails to compile. With a space, quote_item wraps the value in double quotes, where '=' is plain text.
  if (value.includes('=') && !value.includes(' ')) return false;
  return value.trim() !== '' && value === value.trim() && !UNSAFE_VALUE.test(value);
}

/**
 * What is known of an alert's rule that Falco Lens has not loaded (no /etc/falco on a workstation): an override of
 * it is right if the name is, but nothing checked that a file Falco loads defines it. Falco 0.37 to 0.44 refuse an
 * override (`append`, `replace`) of a rule no earlier rules file defines: the collector throws a LOAD_ERR_VALIDATE
 * error (ERROR_NO_PREVIOUS_RULE_APPEND / _REPLACE, rule_loader_collector.cpp:243/:326 at 0.37.0, :230/:300 at 0.44.1;
 * the messages, rule_loading_messages.h, end in "but no rule by that name already exists"), the reader stops at that
 * item (rule_loader_reader.cpp:1002-1007 at 0.44.1), and load_rules_files turns the error into a fatal one
 * (app/actions/load_rules_files.cpp:75-127): Falco does not start. A hot reload (watch_config_files, SIGHUP) runs the
 * new configuration dry first and, when it fails, keeps the running rules and sends the alert "Falco internal: hot
 * restart failure" (create_signal_handlers.cpp:113-128 at 0.44.1, the same at 0.37.0). No release warns instead.
 * `official` is the official rules file that defines a rule of that name, if one does; `title` goes into action
 * titles, `comment` above the generated YAML. Undefined when the rule is loaded.
 */
export function unloadedRule(view: AlertView): { official?: string; title: string; comment: string } | undefined {
  if (!view.rule || view.ruleSummary) return undefined;
  const official = officialDefinition('rule', view.rule);
  const refused = `Falco refuses to start on it unless a rules file it loads before this one defines the rule ("... but no rule by that name already exists"); `
    + 'a hot reload keeps the running rules and alerts "Falco internal: hot restart failure".';
  if (official) {
    return {
      official, title: `rule not loaded: Falco will not start unless a file it loads earlier defines it, as the official ${official} does`,
      comment: `Falco Lens did not find this rule in the loaded rules files; Falco's official ${official} defines a rule of this name. ${refused}`,
    };
  }
  return {
    title: 'rule not loaded, not an official rule: Falco will not start unless a file it loads earlier defines it',
    comment: `Falco Lens did not find this rule in the loaded rules files, nor among Falco's official rules (a custom rule in a file Falco Lens does not read?). ${refused}`,
  };
}


/** The local rules file and the file defining the alert's rule when Falco loads the local file first (loadOrder.ts). */
export interface LoadOrderBlock {
  local: string;
  ruleFile: string;
  /** A file that defines the rule again and loads after the local file (which loads after `ruleFile`): an override in
   *  the local file would be replaced with the rule, silently. */
  redefinedIn?: string;
  /** Set when `redefinedIn` is an embedded block's label (a chart's customRules entry, a ConfigMap's data entry), read
   *  from /etc/falco/rules.d. */
  redefinedInBlock?: 'block';
  /** For a chart's customRules block: its rules_files names a path through `${VAR}` ('unknown'); unset when the local
   *  file is read before the block. */
  localOrder?: 'unknown';
}

/** Why tuning is not written into the local rules file; paths pass through `quote`. */
export function loadOrderReason(block: LoadOrderBlock, quote: (value: string) => string = (v) => v): string {
  if (block.redefinedIn !== undefined) {
    if (block.localOrder === 'unknown') {
      return `${quote(block.redefinedIn)} defines this rule again, and the falco.rules_files of its chart's values names a path through an `
        + `environment variable, so Falco Lens cannot tell whether Falco reads ${quote(block.local)} after it (an override there applies) or `
        + 'before it (the definition replaces the override): put it in that block, after the definition, which holds either way';
    }
    if (block.redefinedInBlock) {
      return `${quote(block.redefinedIn)} defines this rule again, and Falco reads it from /etc/falco/rules.d, after ${quote(block.local)}: a later `
        + `definition replaces the rule whole, with the exceptions and the enabled state that ${quote(block.local)} gave it, so an override there `
        + 'would be lost without a word: put it in that block, after the definition';
    }
    return `${quote(block.redefinedIn)} defines this rule again and Falco loads it after ${quote(block.local)}: a later definition replaces the rule `
      + `whole, with the exceptions and the enabled state that ${quote(block.local)} gave it, so an override there would be lost without a word: `
      + `put it in a rules file that Falco loads after ${quote(block.redefinedIn)}`;
  }
  return `Falco loads ${quote(block.local)} before ${quote(block.ruleFile)}, which defines this rule, and refuses to start on an override `
    + `of a rule that no earlier rules file defines: put it in a rules file that Falco loads after ${quote(block.ruleFile)}`;
}

/**
 * Falco refuses a rules file holding an override (`append`, `replace`) or an `enabled`-only item of a rule that no
 * earlier file defines, at every release Falco Lens knows: rule_loader_collector.cpp throws ERROR_NO_PREVIOUS_RULE_APPEND
 * and _REPLACE ("… but no rule by that name already exists", :243 and :326 at 0.37.0, :208 and :278 at 0.40.0, :230 and
 * :300 at 0.44.1; `enable` likewise), a LOAD_ERR_VALIDATE error that stops the loading; no release turns it into a
 * warning.
 */
export const NO_EARLIER_RULE = 'Falco refuses to start on an override of a rule that no earlier rules file defines';

/** Why no tuning quick fix writes into a file of a Falco deployment of the workspace (alerts/index.ts tuningPlaces). */
export type DeploymentBlock =
  /** A file that defines the rule, or may (`maybe`: Falco Lens does not have its rules), is read after the target at
   *  `podPath`: `after`, its path in Falco's container; `official`, Falco's official file of that name; `ruleFile`,
   *  the workspace file defining the rule that it is taken for. */
  | { why: 'order'; kind: 'chart' | 'operator'; podPath: string; after: string; official?: boolean; maybe?: boolean; ruleFile?: string }
  /** The chart's Falco reads no definition of the rule: `reads`, its rules_files, each with what Falco Lens knows it
   *  holds. */
  | { why: 'missing'; kind: 'chart'; reads: readonly { path: string; what: 'official' | 'local' | 'customRules' }[] }
  /** No Rulesfile of the operator's namespace defines the rule, nor pulls rules that may. */
  | { why: 'missing'; kind: 'operator'; folder: string; namespace: string }
  /** The Rulesfile of the target at `podPath` would apply on other nodes than the rule's definitions (loadOrder.ts
   *  definitionSelector): `selector`, its spec.selector (a selector key, embedded/regions.ts selectorKey; undefined:
   *  every node); `defining`, the files that define the rule (or may), each with its Rulesfile's; `unclear`, where
   *  those are several selectors (or one that is not a mapping), so that no one selector is right. */
  | { why: 'selector'; kind: 'operator'; podPath: string; selector?: string; defining: readonly { podPath: string; selector?: string; maybe: boolean }[]; unclear: boolean };

/** Why tuning is not written into a Falco deployment's file; paths pass through `quote`. */
export function deploymentReason(block: DeploymentBlock, quote: (value: string) => string = (v) => v): string {
  if (block.why === 'order' && block.kind === 'chart') {
    const which = block.official ? `Falco's official ${quote(block.after.slice(block.after.lastIndexOf('/') + 1))}` : `a file of the name of ${quote(block.ruleFile ?? '')}`;
    return `the chart's falco.rules_files reads ${quote(block.after)}, ${which} that defines this rule, after ${quote(block.podPath)}, `
      + `and ${NO_EARLIER_RULE}: put it in a rules file that Falco reads after ${quote(block.after)}, or list ${quote(block.after)} before /etc/falco/rules.d`;
  }
  if (block.why === 'selector') return selectorReason(block, quote);
  if (block.why === 'order') {
    return `the operator writes ${quote(block.after)}, which ${block.maybe ? 'may define this rule (Falco Lens does not have its rules: an OCI artifact, or a ConfigMap not found)' : 'defines this rule'}, `
      + `into /etc/falco/rules.d, where Falco reads it after ${quote(block.podPath)} (the folder sorted by name), and ${NO_EARLIER_RULE}: `
      + `give the Rulesfile a spec.priority that puts its file after ${quote(block.after)}`;
  }
  if (block.kind === 'chart') {
    const what = { official: 'Falco\'s official file, from falcoctl or the image', local: 'no file of the workspace: the values mount none there', customRules: 'the values\' customRules' };
    return `the chart's Falco reads ${block.reads.map((r) => `${quote(r.path)} (${what[r.what]})`).join(', ')}, and none of them defines this rule: `
      + `${NO_EARLIER_RULE}. Add the rules file that defines it to customRules (before this entry), or tune the Falco that loads it`;
  }
  return `the Falco that the Falco Operator deploys reads only the Rulesfiles of its namespace (/etc/falco/rules.d), and none of those of `
    + `${block.namespace !== '' ? `namespace ${quote(block.namespace)}` : 'no namespace'} in ${quote(block.folder)} defines this rule or pulls an OCI artifact that may: `
    + `${NO_EARLIER_RULE}. Add a Rulesfile that defines it, or tune the Falco that loads it`;
}

/** Where an operator's Rulesfile applies: every node, or those its spec.selector picks (kubectl's `-l` syntax). */
export function nodesOf(selector: string | undefined, quote: (value: string) => string = (v) => v): string {
  return selector === undefined ? 'every node (no spec.selector)' : `the nodes of spec.selector ${quote(selectorText(selector) || selector)}`;
}

/** Why tuning does not go into a Rulesfile that applies on other nodes than the rule's definitions. */
function selectorReason(block: Extract<DeploymentBlock, { why: 'selector' }>, quote: (value: string) => string): string {
  const defining = block.defining.map((d) => `${quote(d.podPath)}${d.maybe ? ' (which may define it)' : ''} on ${nodesOf(d.selector, quote)}`).join(', ');
  const rule = 'each Falco pod\'s artifact operator writes a Rulesfile only where its spec.selector matches the labels of its node, '
    + `and ${NO_EARLIER_RULE}: on a node without the definition, the override stops Falco`;
  if (block.unclear) {
    return `the operator writes this rule's definitions from Rulesfiles that apply on different nodes: ${defining}; ${rule}. `
      + 'Falco Lens cannot tell one set of nodes that has the rule: write the tuning by hand into a Rulesfile per spec.selector, each with the selector of its definition';
  }
  return `the operator writes ${quote(block.podPath)} on ${nodesOf(block.selector, quote)}, and the rule's definitions on other nodes: ${defining}; ${rule}, `
    + 'and on a node with the rule that the override misses, its alerts go on. Give the Rulesfile the spec.selector of the definition';
}

/**
 * Why an `enabled: false` in a rules file does not stop the alerts of a rule that the loaded rules disable already
 * (RuleSummary.enabled: the state once every loaded file is read): the alert comes from a Falco that enabled the rule
 * after reading its rules files, by falco.yaml's `rules` selection (Falco 0.38 on, applied after every rules file:
 * load_rules_files.cpp:131-150 at 0.44.0) or `-t <tag>` (0.37, load_rules_files.cpp:145-154 at 0.37.0), which no rules
 * file overrides; or from a Falco that loads other rules files. Undefined when the loaded rule is enabled.
 */
export function disabledRuleReason(view: AlertView): string | undefined {
  if (view.ruleSummary?.enabled !== false) return undefined;
  return 'the loaded rules disable this rule already (enabled: false), so this alert comes from a Falco that enables it after reading its rules files '
    + '(falco.yaml\'s rules selection, an enable item by rule or tag, from Falco 0.38; -t <tag> on Falco 0.37), which Falco applies after every rules file, '
    + 'so no rules file\'s enabled: false stops it: remove that selection or add a disable item after it; or from a Falco that loads other rules files than these';
}

/**
 * Falco's internal events ("Falco internal: syscall event drop", metrics snapshots, timeouts...; source `internal`)
 * are emitted by Falco itself (event_drops.cpp, stats_writer.cpp, process_events.cpp, Falco 0.44.0), not by a rule:
 * no rules file defines them, so an exception or an override naming them makes Falco refuse the file (the override
 * has no rule to apply to). They are tuned in falco.yaml instead.
 */
export function isInternalEvent(rule: string | undefined, source?: string): boolean {
  return source === 'internal' || (rule ?? '').startsWith('Falco internal: ');
}

/** A shape the alert has values for but that is not written: `unsafe`, a value no quoting carries into Falco's
 *  condition (exceptionValueText, `reason` says why); `replaced` or `surrogate`, a value that no event matches
 *  (inexactValue). */
export type RefusedShape = { shape: ExceptionShape; field: string; why: 'unsafe'; reason: string } | { shape: ExceptionShape; field: string; why: InexactValue };

/** Why an exception on a field's value is not written (RefusedShape), in a sentence; field names pass through `quote`. */
export function refusedValueReason(r: RefusedShape, quote: (value: string) => string = (v) => v): string {
  return r.why === 'unsafe' ? `the value of ${quote(r.field)} cannot be written into Falco's condition: ${r.reason}` : inexactValueReason(r.field, r.why, quote);
}

/** Whether every field of an exception shape is a field of `source`: Falco refuses an exception of a field another
 *  source has ("'ka.user.name' is not a supported filter field", rule_loader_collector.cpp validate_exception_info,
 *  0.37.0 to 0.44.1), and stops. */
function shapeOfSource(shape: ExceptionShape, source: string): boolean {
  return shape.fields.every((f) => (lookupField(f)?.field.sources as readonly string[] | undefined)?.includes(source) ?? false);
}

/** Exceptions that match exactly this alert's values. Shapes with a missing or unsafe value are left out, and those
 *  whose fields the loaded rule's source does not have (`otherSource`: an alert of a Falco where the rule of that name
 *  has another source, view.ts ruleSourceConflict). */
export function proposeExceptions(view: AlertView): { proposals: ExceptionProposal[]; refused: RefusedShape[]; notApplicable: ExceptionShape[]; otherSource: ExceptionShape[] } {
  const proposals: ExceptionProposal[] = [];
  const refused: RefusedShape[] = [];
  const notApplicable: ExceptionShape[] = [];
  const otherSource: ExceptionShape[] = [];
  if (!view.rule || isInternalEvent(view.rule, view.source) || inexactRuleNameReason(view)) return { proposals, refused, notApplicable, otherSource };
  const ruleSource = view.ruleSummary?.source;
  for (const shape of exceptionShapes(view)) {
    const values = shape.fields.map((f) => valueOf(view, f));
    if (values.some((v) => v === undefined || v === '')) continue;
    if (ruleSource && !shapeOfSource(shape, ruleSource)) { otherSource.push(shape); continue; }
    // The alert has the values, but an exception on them would not be about this case (a runtime parent, the host).
    if (shape.appliesTo && !shape.appliesTo(view)) { notApplicable.push(shape); continue; }
    const inexact = shape.fields.findIndex((f) => inexactValueOf(view, f) !== undefined);
    if (inexact >= 0) { refused.push({ shape, field: shape.fields[inexact], why: inexactValueOf(view, shape.fields[inexact])! }); continue; }
    // Each value as Falco's condition reads it: as it is, or in the condition's quotes.
    const texts = values.map((v) => exceptionValueText(v!, view.listNamed));
    const bad = texts.findIndex((t) => 'refused' in t);
    if (bad >= 0) { refused.push({ shape, field: shape.fields[bad], why: 'unsafe', reason: (texts[bad] as { refused: string }).refused }); continue; }
    proposals.push({ rule: view.rule, shape, name: exceptionName(shape.fields), values: texts.map((t) => (t as { text: string }).text) });
  }
  return { proposals, refused, notApplicable, otherSource };
}

/** Why the shapes `otherSource` of proposeExceptions are not written. */
export function otherSourceReason(view: AlertView, shapes: readonly ExceptionShape[], code: (text: string) => string = (t) => `'${t}'`, text: (t: string) => string = (t) => t): string {
  return `the alert has the values of an exception on the ${shapes.map((s) => text(s.label)).join(', or the ')}, but the loaded rule of this name has `
    + `source ${code(view.ruleSummary?.source ?? '')}, which has no such fields: Falco refuses an exception on another source's fields and stops`;
}

export function exceptionName(fields: string[]): string {
  return `falco_lens_${fields.map((f) => f.replace(/[^A-Za-z0-9]+/g, '_')).join('_and_')}`;
}

const FIELD_PLACEHOLDER = /^<([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+(?:\[[^\]<>]*\])?)>$/;

/**
 * Fills the field placeholders of a YAML snippet (`[<proc.exepath>, <proc.pname>]`) with YAML-quoted values. Only
 * plain scalars that are a whole placeholder are replaced, found through the YAML parser (never by text search), so
 * a value cannot change the snippet's structure. Unknown values stay as placeholders and are listed in `missing`.
 */
export function fillTuningYaml(yaml: string, valueOf: (field: string) => string | undefined): { text: string; missing: string[]; filled: { field: string; value: string }[] } {
  const missing: string[] = [];
  const filled: { field: string; value: string }[] = [];
  const doc = parseDocument(yaml);
  if (doc.errors.length) return { text: yaml, missing, filled };
  const edits: { start: number; end: number; text: string }[] = [];
  visit(doc, {
    Scalar(_key, node) {
      const m = node.type === Scalar.PLAIN && typeof node.value === 'string' ? FIELD_PLACEHOLDER.exec(node.value) : null;
      if (!m || !node.range) return;
      const value = valueOf(m[1]);
      if (value === undefined) { if (!missing.includes(m[1])) missing.push(m[1]); return; }
      edits.push({ start: node.range[0], end: node.range[1], text: yamlQuote(value) });
      filled.push({ field: m[1], value });
    },
  });
  let text = yaml;
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return { text, missing, filled };
}

function row(values: string[]): string { return `[${values.map(yamlQuote).join(', ')}]`; }

/**
 * A tuning snippet whose exceptions keying the process by `field` beside `keep` (`fields: [proc.exepath, proc.name,
 * …]`) no longer have `field`: its entry is taken out of `fields`, `comps` and each row of `values`, at the same
 * place, found through the YAML parser (flow or block sequences). Other text is left as it is.
 */
export function withoutExceptionField(yaml: string, field: string, keep: string): string {
  const doc = parseDocument(yaml);
  if (doc.errors.length) return yaml;
  const cuts: [number, number][] = [];
  const cut = (seq: unknown, at: number) => {
    if (!isSeq(seq)) return;
    const items = seq.items as { range?: [number, number, number] | null }[];
    const item = items[at]?.range;
    if (!item) return;
    const next = items[at + 1]?.range;
    const previous = items[at - 1]?.range;
    // The item with what separates it from the next (`proc.exepath, `), or from the previous when it is the last.
    if (next) cuts.push([item[0], next[0]]);
    else if (previous) cuts.push([previous[1], item[1]]);
  };
  visit(doc, {
    Map(_key, map) {
      const fields = map.get('fields', true);
      if (!isSeq(fields)) return;
      const names = fields.items.map((i) => (isScalar(i) ? String(i.value) : ''));
      const at = names.indexOf(field);
      if (at < 0 || !names.includes(keep)) return;
      cut(fields, at);
      cut(map.get('comps', true), at);
      const values = map.get('values', true);
      if (isSeq(values)) for (const r of values.items) if (isSeq(r) && r.items.length === names.length) cut(r, at);
    },
  });
  let text = yaml;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) text = text.slice(0, start) + text.slice(end);
  return text;
}

/** `# text` lines above a generated item, one per comment (trusted text only: no alert value goes into a comment). */
function commentLines(comment: string | readonly string[] | undefined): string[] {
  return (typeof comment === 'string' ? [comment] : comment ?? []).map((c) => `# ${c.replace(/[\r\n\u2028\u2029]+/g, ' ')}`);
}

export function exceptionItemYaml(p: ExceptionProposal, comment?: string | readonly string[]): string {
  return [
    ...commentLines(comment),
    `- rule: ${yamlQuote(p.rule)}`,
    '  exceptions:',
    ...exceptionEntryLines(p, '    '),
    '  override:',
    '    exceptions: append',
  ].join('\n') + '\n';
}

function exceptionEntryLines(p: ExceptionProposal, indent: string): string[] {
  return [
    `${indent}- name: ${p.name}`,
    `${indent}  fields: [${p.shape.fields.join(', ')}]`,
    `${indent}  comps: [${p.shape.fields.map(() => '=').join(', ')}]`,
    `${indent}  values:`,
    `${indent}    - ${row(p.values)}`,
  ];
}

export function disableItemYaml(rule: string, comment?: string): string {
  return [...commentLines(comment), `- rule: ${yamlQuote(rule)}`, '  enabled: false', '  override:', '    enabled: replace'].join('\n') + '\n';
}

/** An insertion into the local rules file: offset in its current text and the text to insert. */
export interface Insertion { offset: number; text: string }

export type TuningPlan = { kind: 'present' } | { kind: 'not-a-rule' } | { kind: 'insert'; insertion: Insertion };

interface RuleItem { map: YAMLMap; name: string }

/** The rule items of every YAML document of a rules file: Falco reads them all (rule_loader_reader.cpp read,
 *  YAML::LoadAll, 0.37.0-0.44.1), so an item of a second document counts as one of the first. */
function ruleItems(text: string): RuleItem[] {
  if (text.trim() === '') return [];
  const out: RuleItem[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!isSeq(doc.contents)) continue;
    for (const item of (doc.contents as YAMLSeq).items) {
      if (!isMap(item)) continue;
      const name = item.get('rule');
      if (typeof name === 'string') out.push({ map: item, name });
    }
  }
  return out;
}

/** The comment a new local rules file starts with. */
const LOCAL_HEADER = 'Local Falco rules: loaded after the default rules files.';

/**
 * A new item after the file's last one. YAML takes a `-` of the top-level sequence only at that sequence's column, so
 * the item is written at the column of the items of the file's last document (`  - rule: …` in a file indented by
 * two); where something other than comments follows them (a document end, `...`), right after the last item. A last
 * document holding no block sequence (an empty `[]`, which Falco reads as no items) is followed by a new document of
 * the item: Falco reads every document of a rules file (rule_loader_reader.cpp read, YAML::LoadAll, 0.37.0-0.44.1).
 */
function appendAtEnd(text: string, block: string, header = LOCAL_HEADER): Insertion {
  if (text === '') return { offset: 0, text: `${commentLines(header).join('')}\n\n${block}` };
  const sep = /\n\r?\n$/.test(text) ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  let docs: ReturnType<typeof parseAllDocuments> = [];
  try { docs = parseAllDocuments(text); } catch { docs = []; }
  const last = docs.length > 0 ? docs[docs.length - 1] : undefined;
  const seq = last?.contents;
  if (!last || seq === null || seq === undefined) return { offset: text.length, text: sep + block };
  if (!isSeq(seq) || seq.flow || !seq.range || seq.items.length === 0) {
    return { offset: text.length, text: `${text.endsWith('\n') ? '' : '\n'}---\n${block}` };
  }
  const column = new LineIndex(text).positionAt(seq.range[0]).character;
  const indented = column === 0 ? block : block.split('\n').map((l) => (l === '' ? l : ' '.repeat(column) + l)).join('\n');
  const after = seq.range[1];
  if (text.slice(after).split('\n').every((l) => /^\s*(?:#.*)?$/.test(l))) return { offset: text.length, text: sep + indented };
  return { offset: after, text: `${text[after - 1] === '\n' ? '' : '\n'}${indented}` };
}

/** An insertion (built with LF) as the local file writes its line breaks. */
function inFileLines(text: string, insertion: Insertion): TuningPlan {
  const eol = lineEnding(text);
  return { kind: 'insert', insertion: eol === '\n' ? insertion : { offset: insertion.offset, text: insertion.text.replace(/\n/g, eol) } };
}

/** Inserts `lines` (already indented) as new items after the last item of a block sequence. */
function appendToSeq(text: string, seq: YAMLSeq, lines: string[]): Insertion | undefined {
  if (seq.flow || !seq.range || seq.items.length === 0) return undefined;
  const lines0 = new LineIndex(text);
  const column = lines0.positionAt(seq.range[0]).character;
  const indent = ' '.repeat(column);
  let offset = seq.range[1];
  const body = lines.map((l) => indent + l).join('\n') + '\n';
  if (offset > 0 && text[offset - 1] !== '\n') return { offset, text: `\n${body}` };
  return { offset, text: body };
}

function sameRow(node: unknown, values: string[]): boolean {
  if (!isSeq(node)) return false;
  const items = (node as YAMLSeq).items.map((i) => (isScalar(i) ? String(i.value) : undefined));
  return items.length === values.length && items.every((v, i) => v === values[i]);
}

/**
 * Whether an exception of the local file is the proposal's shape: the same fields in the same order, each compared
 * with `=` (written, or left out: a list of fields without comps compares each with `=`, rule_loader_reader.cpp).
 * A row goes only into such an exception: one whose fields the user changed would take a row of another length (Falco
 * refuses the file: "Fields and values lists must have equal length"), other comparisons would give the row another
 * meaning.
 */
function sameShape(ex: YAMLMap, p: ExceptionProposal): boolean {
  const fields = ex.get('fields', true);
  if (!isSeq(fields) || !sameRow(fields, p.shape.fields)) return false;
  if (!ex.has('comps')) return true;
  return sameRow(ex.get('comps', true), p.shape.fields.map(() => '='));
}

/** How to add an exception to the local rules file's text: merged into an existing override item when possible. */
/** `comment` (trusted text) goes above a new item, not into an item the file already has for the rule. */
/** `header` (trusted text) starts the file when it is empty (the local file's, by default). */
export function planException(localText: string, p: ExceptionProposal, comment?: string | readonly string[], header?: string): TuningPlan {
  let items: RuleItem[];
  try { items = ruleItems(localText); } catch { items = []; }
  const mine = items.filter((i) => i.name === p.rule);
  // Already there (in any item for the rule, under any name)? Applying the fix twice changes nothing.
  const taken = new Set<string>();
  for (const item of mine) {
    const exs = item.map.get('exceptions', true);
    if (!isSeq(exs)) continue;
    for (const ex of exs.items) {
      if (!isMap(ex)) continue;
      taken.add(String(ex.get('name')));
      const values = ex.get('values', true);
      if (sameShape(ex, p) && isSeq(values) && values.items.some((r) => sameRow(r, p.values))) return { kind: 'present' };
    }
  }
  const target = mine.find((i) => {
    const o = i.map.get('override', true);
    return isMap(o) && o.get('exceptions') === 'append' && isSeq(i.map.get('exceptions', true));
  });
  const exs = target?.map.get('exceptions', true) as YAMLSeq | undefined;
  const existing = exs?.items.find((ex) => isMap(ex) && ex.get('name') === p.name) as YAMLMap | undefined;
  if (existing && sameShape(existing, p)) {
    const values = existing.get('values', true);
    if (isSeq(values)) {
      const ins = appendToSeq(localText, values, [`- ${row(p.values)}`]);
      if (ins) return inFileLines(localText, ins);
    }
  }
  // A new exception: its name must not repeat one the file already gives for the rule (Falco would read the second as
  // values appended to the first, and refuses one that also gives fields: rule_loader_collector.cpp append).
  let name = p.name;
  for (let n = 2; taken.has(name); n++) name = `${p.name}_${n}`;
  if (exs) {
    const ins = appendToSeq(localText, exs, exceptionEntryLines({ ...p, name }, ''));
    if (ins) return inFileLines(localText, ins);
  }
  return inFileLines(localText, appendAtEnd(localText, exceptionItemYaml({ ...p, name }, comment), header));
}

/**
 * How to disable the rule in `localText`, the last of `texts` to load: `earlier` are the other rules files of the same
 * Falco with an item of the rule, in load order, all read before it (a chart's other customRules entries, the other
 * Rulesfiles of an operator's namespace). Present when the rule is disabled once they are all read (enabledAfter).
 */
export function planDisable(localText: string, rule: string, comment?: string, header?: string, earlier: readonly string[] = []): TuningPlan {
  if (isInternalEvent(rule)) return { kind: 'not-a-rule' };
  if (enabledAfter([...earlier, localText], rule) === false) return { kind: 'present' };
  return inFileLines(localText, appendAtEnd(localText, disableItemYaml(rule, comment), header));
}

/**
 * Whether the rule is enabled once Falco has read `texts` (rules files, in load order): the last of their items of the
 * rule that decides it, undefined when none does. Falco reads each item as rule_loader_reader.cpp does (0.44.1
 * :659-939, 0.37.0 :521-725, the same reading): with `override`, `enabled` counts only under `override.enabled:
 * replace` (selective_replace, :848); with `append: true` it is not read; an item with none of condition, output, desc
 * and priority sets the enabled state of the earlier rule (the deprecated form, collector enable, :902); any other item
 * defines the rule again, whole, enabled unless it says `enabled: false` (:932-939, rule_loader_collector.cpp define
 * replaces the earlier rule: `*prev = info`). yaml-cpp
 * reads a boolean by its text (`no`, `off`, quoted or not: config/model.ts booleanValue).
 */
export function enabledAfter(texts: readonly string[], rule: string): boolean | undefined {
  let state: boolean | undefined;
  for (const text of texts) {
    for (const { map } of itemsOf(text, rule)) {
      const enabled = map.get('enabled', true);
      const value = isScalar(enabled) ? booleanValue(enabled) : undefined;
      const mode = itemMode(map);
      if (mode === 'override') {
        const override = map.get('override', true);
        if (isMap(override) && override.get('enabled') === 'replace' && value !== undefined) state = value;
      } else if (mode === 'enable') {
        if (value !== undefined) state = value;
      } else if (mode === 'define') state = value ?? true;
    }
  }
  return state;
}

/** How Falco reads a rule item (rule_loader_reader.cpp, above): an override, an append, the deprecated form that only
 *  sets `enabled`, or a definition. */
function itemMode(map: YAMLMap): 'override' | 'append' | 'enable' | 'define' {
  if (map.has('override')) return 'override';
  const append = map.get('append', true);
  if (isScalar(append) && booleanValue(append) === true) return 'append';
  return ['condition', 'output', 'desc', 'priority'].some((k) => map.has(k)) ? 'define' : 'enable';
}

function itemsOf(text: string, rule: string): RuleItem[] {
  // A plain name is written as it is, in any scalar style: a text without it has no item of it (no parse).
  if (/^[\w .:/-]*$/.test(rule) && !text.includes(rule)) return [];
  try { return ruleItems(text).filter((i) => i.name === rule); } catch { return []; }
}

/** Whether a rules file's text defines the rule (an item Falco reads as a definition: not an override, nor an append). */
export function definesRule(text: string, rule: string): boolean {
  return itemsOf(text, rule).some((i) => itemMode(i.map) === 'define');
}

/** Whether a rules file's text has an item of the rule (a definition or an override). */
export function holdsRule(text: string, rule: string): boolean {
  return itemsOf(text, rule).length > 0;
}
