// Playbooks of the 25 rules of falco_rules.yaml (falcosecurity/rules 5.1.0, bundled with Falco 0.44). Written for
// Falco Lens from the rules' conditions and outputs; the rules' own descriptions are not reused.
import type { Mitigation, Playbook, ShellCommand } from '../types';
import { withProcessName } from './processKey';

const FILE = 'falco_rules.yaml';

// ---------------------------------------------------------------------------------------------------------------
// Steps and measures that several rules share. Placeholders: `<field.name>` comes from the alert, `<word>` from the user.

const processTree: ShellCommand = {
  command: 'pstree -aps <proc.pid>',
  purpose: 'Shows the process with every ancestor and their arguments, to see what launched it.',
};
const processExe: ShellCommand = {
  command: 'ls -l /proc/<proc.pid>/exe /proc/<proc.pid>/cwd',
  purpose: 'Shows which file the running process executes and its working directory (while it still runs).',
};
const containerInspect: ShellCommand = {
  command: 'crictl inspect <container.id>',
  purpose: 'Shows the container image, mounts, capabilities and whether it is privileged.',
};
const podDescribe: ShellCommand = {
  command: 'kubectl describe pod <k8s.pod.name> -n <k8s.ns.name>',
  purpose: 'Shows the pod owner, image, service account, volumes and recent events.',
};
const podSecurityContext: ShellCommand = {
  command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.securityContext}{\"\\n\"}{range .spec.containers[*]}{.name}: {.securityContext}{\"\\n\"}{end}'",
  purpose: 'Prints the pod and container security contexts (privileged, capabilities, user, read-only root).',
};
const containerLogs: ShellCommand = {
  command: 'crictl logs --tail 300 <container.id> 2>&1 | cat -v',
  purpose: 'Shows the last lines the container wrote, to find the request or job that led to the event.',
};
const capabilitiesOfProcess: ShellCommand = {
  command: 'grep -E "^Cap(Eff|Bnd)" /proc/<proc.pid>/status',
  purpose: 'Shows the effective and bounding capability sets of the process (decode them with capsh --decode=<hex>).',
};
const packageOwner: ShellCommand = {
  command: 'dpkg -S <proc.exepath> || rpm -qf <proc.exepath>',
  purpose: 'Tells which installed package owns the executable; no owner means it was added outside the package manager.',
};
const userAccount: ShellCommand = {
  command: 'getent passwd <user.name>',
  purpose: 'Shows the account: its uid, home directory and login shell.',
};

const hardenedPodSpec = (title: string): Mitigation['config'] => ({
  language: 'yaml',
  title,
  text: [
    'spec:',
    '  securityContext:',
    '    runAsNonRoot: true',
    '    seccompProfile:',
    '      type: RuntimeDefault',
    '  containers:',
    '    - name: <container>',
    '      image: <image>@sha256:<digest>',
    '      securityContext:',
    '        allowPrivilegeEscalation: false',
    '        readOnlyRootFilesystem: true',
    '        capabilities:',
    '          drop: ["ALL"]',
  ].join('\n'),
});

const restrictedNamespace: Mitigation = {
  summary: 'Enforce the Pod Security Standard "restricted" on the namespace: the API server then refuses privileged pods, added capabilities, host namespaces and hostPath volumes there.',
  commands: [
    { command: 'kubectl label --dry-run=server --overwrite namespace <namespace> pod-security.kubernetes.io/enforce=restricted', purpose: 'Lists the running pods that would violate the policy, without changing anything.' },
    { command: 'kubectl label --overwrite namespace <namespace> pod-security.kubernetes.io/enforce=restricted', purpose: 'Enforces the restricted profile for new pods of the namespace.', changesSystem: true },
  ],
};

const egressDefaultDeny: Mitigation['config'] = {
  language: 'yaml',
  title: 'NetworkPolicy: deny all egress of the namespace except DNS (then allow the destinations the pods need)',
  text: [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: default-deny-egress',
    '  namespace: <namespace>',
    'spec:',
    '  podSelector: {}',
    '  policyTypes:',
    '    - Egress',
    '  egress:',
    '    - to:',
    '        - namespaceSelector:',
    '            matchLabels:',
    '              kubernetes.io/metadata.name: kube-system',
    '      ports:',
    '        - protocol: UDP',
    '          port: 53',
    '        - protocol: TCP',
    '          port: 53',
  ].join('\n'),
};

const protectedLinks: Mitigation = {
  summary: 'Keep the kernel link protections on: fs.protected_symlinks stops processes from following other users\' symlinks in world-writable sticky directories such as /tmp, and fs.protected_hardlinks stops users from hard-linking files they cannot read and write.',
  commands: [
    { command: 'sysctl fs.protected_symlinks fs.protected_hardlinks', purpose: 'Shows the current values (1 means on).' },
    { command: 'sysctl -w fs.protected_symlinks=1 fs.protected_hardlinks=1', purpose: 'Turns both protections on until the next boot.', changesSystem: true },
  ],
  config: { language: 'ini', title: '/etc/sysctl.d/60-protected-links.conf (keeps them on after a reboot)', text: 'fs.protected_symlinks = 1\nfs.protected_hardlinks = 1' },
};

/** The tuning most rules use: an exception appended to the rule, keyed on fields whose values the alert shows. */
function appendException(rule: string, name: string, pathFields: string[], summary: string, pathValues?: string[]): Playbook['tuning'] {
  // An exception on the executable's path also names the process (withProcessName: busybox's applets share a path).
  const { fields, values: row } = withProcessName(pathFields, pathValues ?? pathFields.map((f) => `<${f}>`));
  return {
    summary,
    yaml: [
      `- rule: ${rule}`,
      '  exceptions:',
      `    - name: ${name}`,
      `      fields: [${fields.join(', ')}]`,
      '      values:',
      `        - [${row.join(', ')}]`,
      '  override:',
      '    exceptions: append',
    ].join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export const STABLE_PLAYBOOKS: Playbook[] = [
  {
    rule: 'Directory traversal monitored file read',
    source: 'syscall',
    file: FILE,
    detects: 'A file open for reading (including one that failed) whose path as passed by the program contains at least two "../" steps and lands in /etc, in a user\'s ~/.ssh under /home, in /root/.ssh or on a name containing "id_rsa". Opens whose parent process is a shell are not reported.',
    attackerGoal: 'A path traversal bug in a web application or API lets a remote attacker read files outside the served directory, typically account databases, configuration and SSH private keys.',
    mitre: ['T1555', 'TA0006', 'T1190', 'TA0001'],
    keyFields: [
      { field: 'fd.nameraw', meaning: 'The path exactly as the program passed it, with the "../" steps: usually taken from a request parameter.' },
      { field: 'fd.name', meaning: 'The resolved absolute path the program tried to open.' },
      { field: 'proc.exepath', meaning: 'The program that opened the file: normally the web server or application runtime serving the request.' },
      { field: 'evt.type', meaning: 'The open system call (open, openat, openat2) that was made.' },
      { field: 'proc.aname[2]', meaning: 'The grandparent process, to place the program in its service tree.' },
    ],
    benignCauses: [
      'Scripts or build tools started deep in a directory tree that reach /etc through relative paths.',
      'Security scanners or penetration tests probing the application for traversal bugs.',
    ],
    investigate: [
      { command: 'stat <fd.name>', purpose: 'Shows whether the file exists, its owner and mode, and when it was last read or changed.' },
      processTree,
      { command: 'grep -F -e "../" -e "%2e%2e" -e "%2E%2E" <access-log> | cat -v', purpose: 'Finds requests with traversal sequences in the application\'s access log, to identify the client and the vulnerable endpoint.' },
      containerLogs,
    ],
    mitigations: [
      {
        summary: 'Run the application as a non-root user with no capabilities and a read-only root file system: a non-root process without CAP_DAC_READ_SEARCH cannot read /etc/shadow or /root, so a traversal bug no longer reaches them. Fix the bug by resolving paths and refusing any that leave the served directory.',
        config: hardenedPodSpec('Pod spec: non-root, no capabilities, read-only root file system'),
      },
    ],
    tuning: appendException('Directory traversal monitored file read', 'allow_known_relative_reader', ['proc.exepath', 'fd.name'],
      'Allow one program to open one specific file through a relative path; any other file or program still alerts.'),
  },
  {
    rule: 'Read sensitive file trusted after startup',
    source: 'syscall',
    file: FILE,
    detects: 'A server process (web servers, databases and Docker binaries, matched by process name) opens /etc/shadow, /etc/sudoers, /etc/pam.conf, /etc/security/pwquality.conf or a file under /etc/sudoers.d or /etc/pam.d for reading more than five seconds after it started.',
    attackerGoal: 'Code injected into a running server (a web shell, an exploited plugin, a memory-corruption payload) reads password hashes or the sudo and PAM setup to crack passwords or plan privilege escalation.',
    mitre: ['T1555', 'TA0006', 'T1003.008'],
    keyFields: [
      { field: 'fd.name', meaning: 'The sensitive file that was opened.' },
      { field: 'proc.name', meaning: 'The server process that opened it.' },
      { field: 'proc.exepath', meaning: 'The full path of the server executable; check that it belongs to the installed package.' },
      { field: 'proc.pcmdline', meaning: 'The command line of the parent, to tell the service manager from an unexpected launcher.' },
      { field: 'user.name', meaning: 'The account the server runs as; servers running as root can read these files, others should not.' },
    ],
    benignCauses: [
      'A server that authenticates its own users through PAM (for example a database or web server configured for PAM logins) reads /etc/pam.d on each login.',
      'A service reloading its configuration after a package update.',
    ],
    investigate: [
      { command: 'stat <fd.name>', purpose: 'Shows the file owner, mode and last change time.' },
      processTree,
      packageOwner,
      { command: 'journalctl --since "2 hours ago" _COMM=<proc.name>', purpose: 'Shows what the server logged around the time of the read.' },
    ],
    mitigations: [
      {
        summary: 'For services that do not authenticate local users, make the credential files invisible to the service with a systemd drop-in, so injected code in it cannot read them even as root.',
        config: {
          language: 'ini',
          title: '/etc/systemd/system/<service>.service.d/hide-credentials.conf',
          text: '[Service]\nInaccessiblePaths=-/etc/shadow -/etc/gshadow -/etc/sudoers -/etc/sudoers.d\nNoNewPrivileges=yes',
        },
        commands: [
          { command: 'systemctl daemon-reload', purpose: 'Loads the drop-in.', changesSystem: true },
          { command: 'systemctl restart <service>', purpose: 'Restarts the service with the files hidden.', changesSystem: true },
        ],
      },
    ],
    tuning: appendException('Read sensitive file trusted after startup', 'allow_server_pam_read', ['proc.exepath', 'fd.name'],
      'Allow one server executable to read one specific file (for example its PAM configuration); other files still alert.'),
  },
  {
    rule: 'Read sensitive file untrusted',
    source: 'syscall',
    file: FILE,
    detects: 'Any program opens /etc/shadow, /etc/sudoers, /etc/pam.conf, /etc/security/pwquality.conf or a file under /etc/sudoers.d or /etc/pam.d for reading, unless it is one of the many expected readers the rule lists (account tools, sudo and su, package managers, cron, shells, intrusion detection agents, configuration management and others).',
    attackerGoal: 'Read the password hashes to crack them offline, or read the sudo and PAM configuration to find a way to root.',
    mitre: ['T1555', 'TA0006', 'T1003.008'],
    keyFields: [
      { field: 'fd.name', meaning: 'The sensitive file that was read.' },
      { field: 'proc.cmdline', meaning: 'The program and arguments that read it (cat, a script, an unknown binary).' },
      { field: 'proc.exepath', meaning: 'The full path of the program; a path under /tmp, /dev/shm or a home directory is suspicious.' },
      { field: 'proc.aname[2]', meaning: 'The grandparent, to find the session or service the reader came from.' },
      { field: 'user.loginuid', meaning: 'The login user id: -1 means no login session (a service or the container runtime started it); another value is the account that logged in (or whose cron job ran).' },
    ],
    benignCauses: [
      'An administrator inspecting the file with a pager or editor (less, vim, visudo).',
      'Backup, compliance or vulnerability scanning agents that read /etc.',
      'Configuration management runs not covered by the rule\'s built-in list.',
    ],
    investigate: [
      { command: 'stat <fd.name>', purpose: 'Shows the file owner, mode and last change time.' },
      processTree,
      userAccount,
      { command: 'last -F -n 20', purpose: 'Lists recent logins, to match the reader to an interactive session.' },
      containerInspect,
    ],
    mitigations: [
      {
        summary: 'Run workloads as non-root users with all capabilities dropped: /etc/shadow is readable only by root (or the shadow group), so such processes cannot read it at all.',
        config: hardenedPodSpec('Pod spec: non-root, no capabilities, read-only root file system'),
      },
    ],
    tuning: appendException('Read sensitive file untrusted', 'allow_known_reader', ['proc.exepath', 'fd.name'],
      'Allow one known program to read one specific file; other programs and files still alert.'),
  },
  {
    rule: 'Run shell untrusted',
    source: 'syscall',
    file: FILE,
    detects: 'A shell (sh, bash, dash, zsh, ksh, csh, tcsh or ash) starts with a known parent and has a server among its ancestors: web, database, NoSQL or mail servers, fluentd, consul, splunkd, smbd and similar, or a Java parent running Kafka, ZooKeeper, Elasticsearch, Cassandra, JBoss and other listed servers. Many known maintenance command lines and parents are excluded.',
    attackerGoal: 'Remote code execution in a server (command injection, deserialisation, a web shell) usually turns into a shell first, to run commands, download tools and move on.',
    mitre: ['T1059.004', 'TA0002', 'T1190', 'TA0001'],
    keyFields: [
      { field: 'proc.pexepath', meaning: 'The executable of the parent that started the shell, often the exploited server.' },
      { field: 'proc.pcmdline', meaning: 'The parent\'s command line, which identifies the application (for Java, the main class or jar).' },
      { field: 'proc.cmdline', meaning: 'The shell command line: what was run through the shell (sh -c ...).' },
      { field: 'proc.aname[2]', meaning: 'The grandparent and, in aname[3] to aname[7], further ancestors.' },
      { field: 'evt.arg.flags', meaning: 'Executable flags of the execve; EXE_UPPER_LAYER or EXE_WRITABLE mean the shell binary was written after the container started.' },
    ],
    benignCauses: [
      'Application features that shell out by design (image conversion, mail delivery scripts, archive commands of a database).',
      'Health checks or maintenance scripts run by the server.',
    ],
    investigate: [
      processTree,
      { command: 'tail -n 300 <access-log> | cat -v', purpose: 'Shows the latest requests in the server\'s access log; look for the one just before the alert time.' },
      containerLogs,
      podDescribe,
      { command: 'ss -tnp', purpose: 'Lists TCP connections with their processes, to spot an outbound connection from the shell or server.' },
    ],
    mitigations: [
      {
        summary: 'Ship server images without a shell (distroless or scratch based) and run them with a read-only root file system and no capabilities, so injected commands have no shell to start and nowhere to drop one.',
        config: {
          language: 'text',
          title: 'Dockerfile: build with a full image, run from a base image that contains no shell',
          text: 'FROM <build-image> AS build\n# ... build steps ...\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build <artifact> /app\nUSER nonroot\nENTRYPOINT ["/app"]',
        },
      },
      { summary: 'Run the server as non-root with all capabilities dropped and an immutable root file system.', config: hardenedPodSpec('Pod spec for the server') },
    ],
    tuning: appendException('Run shell untrusted', 'allow_known_server_command', ['proc.pexepath', 'proc.cmdline'],
      'Allow one exact shell command line when the parent is one specific server executable; any other command still alerts.'),
  },
  {
    rule: 'System user interactive',
    source: 'syscall',
    file: FILE,
    detects: 'A program starts under a system account (bin, daemon, games, lp, mail, nobody, sshd, sync, uucp or www-data) inside an interactive session: below an SSH session (an sshd ancestor, when the program is not sshd itself), or the program is login or systemd-logind.',
    attackerGoal: 'Service accounts should never log in; an attacker who gave one a shell or a password, or who came in through a compromised service, uses it to run commands while blending in with the service.',
    mitre: ['T1059', 'TA0002', 'T1078.003', 'TA0003'],
    keyFields: [
      { field: 'user.name', meaning: 'The system account that ran the program.' },
      { field: 'user.loginuid', meaning: 'The login user id of the session: the real account that logged in over SSH (-1 if none).' },
      { field: 'proc.cmdline', meaning: 'What was run.' },
      { field: 'proc.pname', meaning: 'The parent: a shell, su or sudo show how the switch to the system account happened.' },
      { field: 'proc.tty', meaning: 'Non-zero when a terminal is attached, that is, someone typed the command.' },
    ],
    benignCauses: [
      'An administrator switching to the service account over SSH to debug an application (su -s /bin/bash www-data, sudo -u www-data).',
      'Deployment tools that connect over SSH and run steps as the service account.',
    ],
    investigate: [
      userAccount,
      { command: 'last -F <user.name>', purpose: 'Lists logins recorded for the account; a system account should have none.' },
      { command: 'journalctl --since "2 hours ago" -u ssh -u sshd', purpose: 'Shows SSH authentications around the alert, with source addresses.' },
      { command: 'passwd -S <user.name>', purpose: 'Shows whether the account has a usable password (P) or is locked (L) or has none (NP).' },
      processTree,
    ],
    mitigations: [
      {
        summary: 'Give system accounts no login shell and a locked password, so they cannot be used to log in.',
        commands: [
          { command: 'usermod -s /usr/sbin/nologin <user.name>', purpose: 'Sets a shell that refuses interactive logins.', changesSystem: true },
          { command: 'passwd -l <user.name>', purpose: 'Locks the password.', changesSystem: true },
        ],
      },
      {
        summary: 'Allow SSH logins only for members of a dedicated group, which service accounts are not in.',
        config: { language: 'text', title: '/etc/ssh/sshd_config.d/50-allow-group.conf (check with sshd -t, then reload the SSH service)', text: 'AllowGroups <ssh-users-group>' },
      },
    ],
    tuning: appendException('System user interactive', 'allow_service_account_tool', ['user.name', 'proc.exepath'],
      'Allow one program to run as one system account in SSH sessions (for example a deployment step); anything else that account runs still alerts.'),
  },
  {
    rule: 'Terminal shell in container',
    source: 'syscall',
    file: FILE,
    detects: 'A shell starts in a container with a terminal attached, directly below the container runtime (runc, containerd-shim, crio, conmon and similar) or with no parent: the pattern of kubectl exec -it, docker exec -it or crictl exec -it.',
    attackerGoal: 'Hands-on access to a workload: with stolen cluster credentials or access to the runtime, an attacker opens a shell to explore, read secrets and run tools inside the container.',
    mitre: ['T1059', 'TA0002', 'T1609'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The shell that was started.' },
      { field: 'proc.pname', meaning: 'The runtime process that started it; empty when the parent had already exited.' },
      { field: 'proc.tty', meaning: 'The terminal attached to the shell (non-zero by definition for this rule).' },
      { field: 'user.name', meaning: 'The user inside the container; root is the default for exec sessions.' },
      { field: 'k8s.pod.name', meaning: 'The pod the shell was opened in (with k8s.ns.name for its namespace).' },
    ],
    benignCauses: [
      'Engineers debugging a workload with kubectl exec -it or docker exec -it.',
      'Development tools that attach an interactive shell to containers.',
    ],
    investigate: [
      podDescribe,
      containerInspect,
      { command: 'kubectl get rolebindings,clusterrolebindings -A -o wide', purpose: 'Lists who is bound to roles; look for subjects allowed to create pods/exec.' },
      { command: 'grep -F -- <k8s.pod.name> <audit-log> | cat -v', purpose: 'Finds the API audit record of the exec (user, source address, time) when API server audit logging is on.' },
    ],
    mitigations: [
      {
        summary: 'Grant pods/exec only to the few people who need it: give day-to-day roles read access to pods and logs without the exec subresource.',
        config: {
          language: 'yaml',
          title: 'Role for developers: read pods and logs, no exec or attach',
          text: [
            'apiVersion: rbac.authorization.k8s.io/v1',
            'kind: Role',
            'metadata:',
            '  name: pod-reader',
            '  namespace: <namespace>',
            'rules:',
            '  - apiGroups: [""]',
            '    resources: ["pods", "pods/log"]',
            '    verbs: ["get", "list", "watch"]',
          ].join('\n'),
        },
      },
      {
        summary: 'Use images without a shell for production workloads, so an exec session has no shell to start.',
        config: { language: 'text', title: 'Dockerfile: final stage from a shell-less base image', text: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY <artifact> /app\nENTRYPOINT ["/app"]' },
      },
    ],
    tuning: appendException('Terminal shell in container', 'allow_debug_image_shell', ['container.image.repository', 'proc.exepath'],
      'Allow interactive shells only in one debugging image (for example a toolbox image used by the on-call team); shells in other images still alert.'),
  },
  {
    rule: 'Contact K8S API Server From Container',
    source: 'syscall',
    file: FILE,
    detects: 'A process in a container connects over IPv4 or IPv6 to the address that kubernetes.default.svc.cluster.local resolves to, that is, the Kubernetes API server. Containers of a list of known cluster components and everything in the kube-system namespace are not reported.',
    attackerGoal: 'From a compromised pod, the mounted service account token lets an attacker query the API to map the cluster, read secrets or create pods, depending on what the account may do.',
    mitre: ['T1565', 'TA0007', 'T1613'],
    keyFields: [
      { field: 'fd.name', meaning: 'The connection: client address and port, then the API server address and port.' },
      { field: 'fd.rport', meaning: 'The API server port (commonly 443 for the service, 6443 on the API server itself).' },
      { field: 'proc.cmdline', meaning: 'The program that connected: curl or kubectl point to manual use, an SDK client to application code.' },
      { field: 'container.image.repository', meaning: 'The image of the container, to tell a controller from an application.' },
      { field: 'k8s.pod.name', meaning: 'The pod, whose service account decides what the connection can do.' },
    ],
    benignCauses: [
      'Operators, controllers and CI agents that manage cluster resources.',
      'Applications using the Kubernetes API for leader election, service discovery or configuration.',
      'Monitoring and service mesh components outside kube-system.',
    ],
    investigate: [
      { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.serviceAccountName} {.spec.automountServiceAccountToken}{\"\\n\"}'", purpose: 'Prints the pod\'s service account and whether its token is mounted.' },
      { command: 'kubectl auth can-i --list -n <k8s.ns.name> --as=system:serviceaccount:<k8s.ns.name>:<service-account>', purpose: 'Lists what that service account may do (needs impersonation rights).' },
      podDescribe,
      containerLogs,
    ],
    mitigations: [
      {
        summary: 'Do not mount a service account token into pods that never call the API: without a token the API server rejects their requests.',
        config: {
          language: 'yaml',
          title: 'ServiceAccount (or pod spec) without an automatically mounted token',
          text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: <service-account>\n  namespace: <namespace>\nautomountServiceAccountToken: false',
        },
      },
      {
        summary: 'Give each workload its own service account with only the verbs and resources it needs, never cluster-admin or secrets access by default.',
        config: {
          language: 'yaml',
          title: 'Role limited to what the application reads',
          text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: <app>-read-config\n  namespace: <namespace>\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps"]\n    resourceNames: ["<configmap>"]\n    verbs: ["get", "watch"]',
        },
      },
    ],
    tuning: appendException('Contact K8S API Server From Container', 'allow_api_client_image', ['container.image.repository', 'proc.exepath'],
      'Allow one program of one image (a controller or operator) to reach the API server; other programs in that image still alert.'),
  },
  {
    rule: 'Netcat Remote Code Execution in Container',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, nc runs with " -e" or " -c" in its command line, or ncat runs with --sh-exec, --exec, --lua-exec, -e or -c: options that connect a program to a network socket.',
    attackerGoal: 'Open a reverse or bind shell: a shell whose input and output go over the network to the attacker.',
    mitre: ['T1059', 'TA0002', 'TA0011'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The netcat command line: the remote host and port and the program it hands the connection to.' },
      { field: 'proc.pname', meaning: 'The parent, often the exploited application or a shell spawned from it.' },
      { field: 'user.name', meaning: 'The user inside the container.' },
      { field: 'container.image.repository', meaning: 'The image; netcat in a production image is itself a finding.' },
    ],
    benignCauses: [
      'Network troubleshooting by an engineer in a debugging container.',
      'Test suites that exercise netcat itself.',
    ],
    investigate: [
      { command: 'nsenter -t <proc.pid> -n ss -tnp', purpose: 'Lists the TCP connections in the container\'s network namespace, with the process owning each.' },
      processTree,
      containerInspect,
      podDescribe,
    ],
    mitigations: [
      { summary: 'Deny outbound traffic by default and allow only the destinations each workload needs, so a reverse shell cannot reach the attacker.', config: egressDefaultDeny },
      { summary: 'Build minimal images without netcat or shells and run them with a read-only root file system, so the tool is neither present nor installable.', config: hardenedPodSpec('Pod spec: immutable root file system, no capabilities') },
    ],
    tuning: appendException('Netcat Remote Code Execution in Container', 'allow_known_netcat_command', ['container.image.repository', 'proc.cmdline'],
      'Allow one exact netcat command line in one image (for example a test fixture); other command lines still alert.'),
  },
  {
    rule: 'Search Private Keys or Passwords',
    source: 'syscall',
    file: FILE,
    detects: 'grep, egrep or fgrep runs with arguments that contain a private key header such as "BEGIN PRIVATE", "BEGIN RSA PRIVATE" or "BEGIN OPENSSH PRIVATE" (any case), or find runs with arguments containing id_rsa, id_dsa, id_ecdsa or id_ed25519.',
    attackerGoal: 'Find private keys on the machine to log in to other hosts or decrypt traffic.',
    mitre: ['T1552.001', 'TA0006', 'T1552.004'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The search command: the pattern and the directories searched.' },
      { field: 'proc.pname', meaning: 'The parent: an interactive shell, a script or an application.' },
      { field: 'user.name', meaning: 'The account that searched; it can only find keys it can read.' },
      { field: 'user.loginuid', meaning: 'The login user id of the session (-1 when started by a service or the container runtime).' },
    ],
    benignCauses: [
      'An administrator or script inventorying SSH keys before a rotation.',
      'Secret scanning steps in CI that grep for key headers.',
    ],
    investigate: [
      processTree,
      userAccount,
      { command: 'find /root /home -xdev -type f -name "id_*" -ls', purpose: 'Lists the SSH key files the search could have found, with owners and times.' },
      { command: 'last -F -n 20', purpose: 'Lists recent logins, to tie the search to a session.' },
    ],
    mitigations: [
      {
        summary: 'Protect private keys with a passphrase (or keep them in an agent or hardware token), so a copied key file is useless on its own.',
        commands: [{ command: 'ssh-keygen -p -f <key-file>', purpose: 'Adds or changes the passphrase of an existing private key.', changesSystem: true }],
      },
      {
        summary: 'Keep keys out of images and shared hosts: mount them only into the workload that needs them, readable only by its user.',
        config: {
          language: 'yaml',
          title: 'Pod spec: key from a Secret, mode 0400, for one container',
          text: 'spec:\n  volumes:\n    - name: ssh-key\n      secret:\n        secretName: <secret>\n        defaultMode: 0400\n  containers:\n    - name: <container>\n      volumeMounts:\n        - name: ssh-key\n          mountPath: /var/run/ssh-key\n          readOnly: true',
        },
      },
    ],
    tuning: appendException('Search Private Keys or Passwords', 'allow_known_key_inventory', ['proc.pname', 'proc.cmdline'],
      'Allow one exact search command when started by one known parent (for example a key rotation script); other searches still alert.'),
  },
  {
    rule: 'Clear Log Activities',
    source: 'syscall',
    file: FILE,
    detects: 'A file is opened for writing with O_TRUNC (emptied) when it sits directly in /var/log or /dev/log (its fd.directory; files in their subdirectories, such as /var/log/nginx/, are not covered) or is named syslog, auth.log, secure, kern.log, cron, user.log, dpkg.log, last.log, yum.log, access_log, mysql.log or mysqld.log. containerd snapshot paths and some log shipper images are not reported.',
    attackerGoal: 'Erase the traces of an intrusion (logins, commands, web requests) by emptying the logs.',
    mitre: ['T1070', 'TA0005', 'T1070.002'],
    keyFields: [
      { field: 'fd.name', meaning: 'The log file that was truncated.' },
      { field: 'proc.cmdline', meaning: 'The command that truncated it (a shell redirection shows as the shell).' },
      { field: 'proc.exepath', meaning: 'The executable; logrotate is the usual benign one.' },
      { field: 'user.name', meaning: 'The account that did it.' },
    ],
    benignCauses: [
      'logrotate with the copytruncate option, which empties the log after copying it.',
      'Applications that truncate their own log file at start-up.',
    ],
    investigate: [
      { command: 'ls -la <fd.name>*', purpose: 'Shows the log and its rotated copies with sizes and times.' },
      { command: 'grep -rl copytruncate /etc/logrotate.conf /etc/logrotate.d', purpose: 'Lists logrotate configurations that truncate logs, to explain a benign alert.' },
      { command: 'journalctl --since "2 hours ago" -o short-iso', purpose: 'Reads the systemd journal, which keeps its own copy of syslog messages even when the text log was emptied.' },
      processTree,
    ],
    mitigations: [
      {
        summary: 'Forward logs to a remote collector as they are written, so emptying the local file no longer erases the evidence.',
        config: { language: 'text', title: '/etc/rsyslog.d/90-forward.conf (TCP forwarding with a disk-assisted queue)', text: '*.* action(type="omfwd" target="<log-collector>" port="514" protocol="tcp"\n       queue.type="LinkedList" queue.filename="fwd" action.resumeRetryCount="-1")' },
        commands: [
          { command: 'rsyslogd -N1', purpose: 'Checks the rsyslog configuration without applying it.' },
          { command: 'systemctl restart rsyslog', purpose: 'Applies the forwarding.', changesSystem: true },
        ],
      },
    ],
    tuning: appendException('Clear Log Activities', 'allow_known_log_truncation', ['proc.exepath', 'fd.name'],
      'Allow one program to truncate one specific log (for example logrotate on a copytruncate log); other logs and programs still alert.'),
  },
  {
    rule: 'Remove Bulk Data from Disk',
    source: 'syscall',
    file: FILE,
    detects: 'A process named shred, mkfs or mke2fs starts: tools that overwrite files or create a new file system over a device.',
    attackerGoal: 'Destroy data to disrupt the service (or for ransom), or wipe files the attacker used so they cannot be recovered.',
    mitre: ['T1485', 'TA0040', 'T1070.004', 'TA0005'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The command: which files or which block device it overwrites.' },
      { field: 'proc.pname', meaning: 'The parent: a provisioning agent, a script or an interactive shell.' },
      { field: 'user.name', meaning: 'The account that ran it.' },
      { field: 'proc.tty', meaning: 'Non-zero when typed at a terminal.' },
    ],
    benignCauses: [
      'Provisioning (cloud-init, storage drivers) formatting a new volume.',
      'Scripts that securely delete temporary secrets or decommission disks.',
    ],
    investigate: [
      { command: 'lsblk -f', purpose: 'Lists block devices with their file systems and labels, to see what was formatted.' },
      { command: 'findmnt -o TARGET,SOURCE,FSTYPE,OPTIONS', purpose: 'Lists mounted file systems.' },
      processTree,
      userAccount,
    ],
    mitigations: [
      restrictedNamespace,
      {
        summary: 'Containers should not see host block devices: no privileged mode, no device or hostPath mounts of /dev, no capabilities.',
        config: hardenedPodSpec('Pod spec: no privileges or devices'),
      },
    ],
    tuning: appendException('Remove Bulk Data from Disk', 'allow_provisioning_format', ['proc.pname', 'proc.cmdline'],
      'Allow one exact command line when started by one provisioning parent; other uses still alert.'),
  },
  {
    rule: 'Create Symlink Over Sensitive Files',
    source: 'syscall',
    file: FILE,
    detects: 'A symbolic link is created (symlink, symlinkat) that points to /etc/shadow, /etc/sudoers, /etc/pam.conf, /etc/security/pwquality.conf, or to /, /etc or /root.',
    attackerGoal: 'Reach a sensitive file through an innocent-looking path: a link that a privileged program, a web server or a backup follows, or a path that evades rules matching the real name.',
    mitre: ['T1555', 'TA0006', 'T1003.008'],
    keyFields: [
      { field: 'evt.arg.target', meaning: 'What the link points to: the sensitive file or directory.' },
      { field: 'evt.arg.linkpath', meaning: 'Where the link was created; a relative path is relative to the process working directory.' },
      { field: 'proc.cmdline', meaning: 'The command that created it (ln -s ...).' },
      { field: 'user.name', meaning: 'The account that created it.' },
    ],
    benignCauses: [
      'Image builds or installers that create links into /etc.',
      'Chroot or sandbox setup tools and restores from backup.',
    ],
    investigate: [
      { command: 'ls -la <evt.arg.linkpath>', purpose: 'Shows the link, its owner and its target, if it still exists.' },
      { command: 'readlink -f <evt.arg.linkpath>', purpose: 'Resolves where the link finally leads.' },
      { command: 'find / -xdev -type l \\( -lname "/etc*" -o -lname "/root*" -o -lname / \\) -ls', purpose: 'Lists every link on the root file system that points into /etc, /root or /.' },
      processTree,
    ],
    mitigations: [protectedLinks],
    tuning: appendException('Create Symlink Over Sensitive Files', 'allow_known_link_creation', ['proc.exepath', 'proc.cmdline'],
      'Allow one exact link-creating command of one program (for example an image build step); other links still alert.'),
  },
  {
    rule: 'Create Hardlink Over Sensitive Files',
    source: 'syscall',
    file: FILE,
    detects: 'A hard link is created (link, linkat) whose existing file is /etc/shadow, /etc/sudoers, /etc/pam.conf or /etc/security/pwquality.conf.',
    attackerGoal: 'Give a sensitive file a second name that escapes path-based controls, or trick a privileged program that changes ownership or mode of the new name into changing the original.',
    mitre: ['T1555', 'TA0006', 'T1003.008'],
    keyFields: [
      { field: 'evt.arg.oldpath', meaning: 'The sensitive file that received a new name (shown as target).' },
      { field: 'evt.arg.newpath', meaning: 'The new name (shown as linkpath); relative paths are relative to the working directory.' },
      { field: 'proc.cmdline', meaning: 'The command that made the link (ln without -s).' },
      { field: 'user.name', meaning: 'The account that made it.' },
    ],
    benignCauses: [
      'Backup or file synchronisation tools that preserve hard links.',
      'Administrators making a quick copy with ln instead of cp.',
    ],
    investigate: [
      { command: 'stat -c "%h links, inode %i, %U:%G %a %n" <evt.arg.oldpath>', purpose: 'Shows how many names the file has now; more than 1 means the extra name still exists.' },
      { command: 'find / -xdev -samefile <evt.arg.oldpath> -ls', purpose: 'Lists every name of the same file on that file system.' },
      processTree,
    ],
    mitigations: [protectedLinks],
    tuning: appendException('Create Hardlink Over Sensitive Files', 'allow_known_hardlink', ['proc.exepath', 'proc.cmdline'],
      'Allow one exact command of one program (for example a backup tool restoring links); other links still alert.'),
  },
  {
    rule: 'Packet socket created in container',
    source: 'syscall',
    file: FILE,
    detects: 'A process in a container creates a socket of the AF_PACKET family, which sends and receives raw link-layer frames.',
    attackerGoal: 'Sniff traffic or spoof ARP to intercept neighbours\' connections, or exploit kernel flaws in packet sockets (such as CVE-2020-14386) to escape the container.',
    mitre: ['T1557.002', 'TA0006', 'T1040', 'TA0007'],
    keyFields: [
      { field: 'evt.args', meaning: 'The socket arguments: domain AF_PACKET, the socket type and the protocol.' },
      { field: 'proc.cmdline', meaning: 'The program that opened it (tcpdump, arping, a DHCP client, or something unknown).' },
      { field: 'proc.exepath', meaning: 'The full path of that program.' },
      { field: 'container.image.repository', meaning: 'The image; network agents are expected to do this, applications are not.' },
    ],
    benignCauses: [
      'DHCP clients, keepalived or CNI and network agents that work at the link layer.',
      'tcpdump or arping run in a debugging container.',
    ],
    investigate: [
      capabilitiesOfProcess,
      { command: 'nsenter -t <proc.pid> -n cat /proc/net/packet', purpose: 'Lists the packet sockets open in the container\'s network namespace.' },
      containerInspect,
      podSecurityContext,
    ],
    mitigations: [
      {
        summary: 'Drop NET_RAW (most container runtimes grant it by default): without it a process cannot open packet or raw sockets.',
        config: {
          language: 'yaml',
          title: 'Container securityContext dropping every capability, NET_RAW included',
          text: 'securityContext:\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]',
        },
      },
      restrictedNamespace,
    ],
    tuning: appendException('Packet socket created in container', 'allow_network_agent', ['container.image.repository', 'proc.exepath'],
      'Allow one program of one network agent image to open packet sockets; other programs still alert.'),
  },
  {
    rule: 'Redirect STDOUT/STDIN to Network Connection in Container',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, a dup, dup2 or dup3 call makes an IPv4 or IPv6 socket the process\'s standard input, output or error (the new descriptor is 0, 1 or 2).',
    attackerGoal: 'Wire a shell to a network connection: the core of most reverse shells written in bash, Python, Perl or C.',
    mitre: ['T1059', 'TA0002', 'TA0011'],
    keyFields: [
      { field: 'fd.name', meaning: 'The connection whose socket was wired to the standard streams: local and remote address and port.' },
      { field: 'fd.sip', meaning: 'The server address of that connection: for a reverse shell, the attacker\'s listener.' },
      { field: 'fd.rport', meaning: 'The remote port.' },
      { field: 'proc.cmdline', meaning: 'The process that redirected its streams.' },
      { field: 'proc.aname[2]', meaning: 'The grandparent (and further ancestors) to find the exploited application.' },
    ],
    benignCauses: [
      'inetd-style wrappers (socat, tcpserver, xinetd) that serve a program over a socket.',
      'Programs that daemonise and keep a socket on a standard stream.',
    ],
    investigate: [
      { command: 'ls -la /proc/<proc.pid>/fd', purpose: 'Shows what descriptors 0, 1 and 2 point to (socket:[inode] for a network socket).' },
      { command: 'nsenter -t <proc.pid> -n ss -tnp', purpose: 'Lists the container\'s TCP connections with their processes.' },
      { command: 'getent hosts <fd.sip>', purpose: 'Looks up a name for the remote address.' },
      processTree,
      podDescribe,
    ],
    mitigations: [
      { summary: 'Deny outbound traffic by default and allow only the destinations each workload needs, so a reverse shell cannot reach its listener.', config: egressDefaultDeny },
    ],
    tuning: appendException('Redirect STDOUT/STDIN to Network Connection in Container', 'allow_socket_wrapper', ['container.image.repository', 'proc.exepath'],
      'Allow one program of one image (for example a socket wrapper) to do this; other programs still alert.'),
  },
  {
    rule: 'Linux Kernel Module Injection Detected',
    source: 'syscall',
    file: FILE,
    detects: 'A process in a container calls init_module or finit_module while its thread holds the CAP_SYS_MODULE capability; images listed in allowed_container_images_loading_kernel_module are not reported. The result (evt.res) tells whether the load succeeded.',
    attackerGoal: 'Load code into the host kernel from a container: a rootkit that hides the attacker and controls the whole node.',
    mitre: ['TA0003', 'T1547.006', 'T1611', 'TA0004'],
    keyFields: [
      { field: 'proc.args', meaning: 'The arguments of the loading command, usually the module name or file (shown as module).' },
      { field: 'evt.res', meaning: 'SUCCESS when the module was loaded; an error such as EPERM or EEXIST otherwise.' },
      { field: 'proc.exepath', meaning: 'The loader: insmod, modprobe or another program.' },
      { field: 'proc.aexepath[2]', meaning: 'The grandparent executable, to tell a driver installer from an attacker shell.' },
      { field: 'container.image.repository', meaning: 'The image; driver installer images are the usual benign case.' },
    ],
    benignCauses: [
      'Driver installer images (GPU drivers, security or monitoring agents that use a kernel module).',
      'Networking or storage agents loading modules they depend on.',
    ],
    investigate: [
      { command: 'lsmod', purpose: 'Lists loaded modules; compare with what the node normally runs.' },
      { command: 'journalctl -k --since "2 hours ago"', purpose: 'Shows kernel messages around the load (module names, taint warnings).' },
      { command: 'modinfo <module>', purpose: 'Shows the module file, author, signature and version.' },
      containerInspect,
      podSecurityContext,
    ],
    mitigations: [
      restrictedNamespace,
      {
        summary: 'Never run workloads privileged or with CAP_SYS_MODULE; keep driver installers in a dedicated, tightly controlled namespace.',
        config: hardenedPodSpec('Pod spec: no privileged mode, every capability dropped'),
      },
    ],
    tuning: appendException('Linux Kernel Module Injection Detected', 'allow_driver_installer', ['container.image.repository', 'proc.exepath'],
      'Allow module loading only for one loader of one driver installer image; other images still alert.'),
  },
  {
    rule: 'Debugfs Launched in Privileged Container',
    source: 'syscall',
    file: FILE,
    detects: 'debugfs, the ext2/3/4 file system debugger, starts inside a privileged container.',
    attackerGoal: 'A privileged container sees the host disks; debugfs opens a host partition directly to read or change host files (keys, shadow, cron) and escape the container.',
    mitre: ['T1611', 'TA0004'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The debugfs command line, including the device it opened (for example a host partition).' },
      { field: 'proc.pname', meaning: 'The parent: a shell in the container in most attacks.' },
      { field: 'user.name', meaning: 'The user in the container.' },
      { field: 'container.image.repository', meaning: 'The image of the privileged container.' },
    ],
    benignCauses: [
      'An administrator repairing a file system from a privileged debugging pod.',
      'Storage or forensics tooling run on purpose by the platform team.',
    ],
    investigate: [
      containerInspect,
      podSecurityContext,
      { command: 'lsblk -f', purpose: 'Lists the host block devices and file systems the container could open.' },
      podDescribe,
    ],
    mitigations: [
      restrictedNamespace,
      { summary: 'Do not run workloads privileged; request the specific capability a workload needs instead.', config: hardenedPodSpec('Pod spec: not privileged, every capability dropped') },
    ],
    tuning: appendException('Debugfs Launched in Privileged Container', 'allow_storage_toolbox', ['container.image.repository', 'proc.exepath'],
      'Allow debugfs only in one storage toolbox image; other privileged containers still alert.'),
  },
  {
    rule: 'Detect release_agent File Container Escapes',
    source: 'syscall',
    file: FILE,
    detects: 'A process in a container opens for writing a file whose name ends in release_agent while it holds CAP_SYS_ADMIN and either runs as uid 0 or holds CAP_DAC_OVERRIDE.',
    attackerGoal: 'Escape to the host through cgroup v1: the kernel runs the program named in release_agent, as root on the host, when a cgroup empties (the technique behind CVE-2022-0492).',
    mitre: ['T1611', 'TA0004'],
    keyFields: [
      { field: 'fd.name', meaning: 'The release_agent file written, which shows the cgroup hierarchy that was mounted.' },
      { field: 'thread.cap_effective', meaning: 'The effective capabilities of the writer; CAP_SYS_ADMIN is required for the technique.' },
      { field: 'proc.cmdline', meaning: 'The command that wrote it (often echo or sh -c).' },
      { field: 'user.uid', meaning: '0 means root in the container.' },
      { field: 'container.image.repository', meaning: 'The image of the container.' },
    ],
    benignCauses: [
      'Escape simulations or security test suites (for example the Falco event generator).',
      'Legacy cgroup managers running in privileged containers on cgroup v1 hosts (rare).',
    ],
    investigate: [
      { command: 'stat -fc %T /sys/fs/cgroup', purpose: 'Shows the cgroup version of the host: cgroup2fs is v2 (no release_agent), tmpfs is v1.' },
      { command: 'grep -H . /sys/fs/cgroup/*/release_agent | cat -v', purpose: 'Prints every non-empty release_agent on a cgroup v1 host; a path into a container is the escape.' },
      capabilitiesOfProcess,
      containerInspect,
      podSecurityContext,
    ],
    mitigations: [
      {
        summary: 'Do not give containers CAP_SYS_ADMIN or privileged mode, and keep the RuntimeDefault seccomp profile: without CAP_SYS_ADMIN it refuses the unshare call the technique uses to gain that capability in a new namespace.',
        config: hardenedPodSpec('Pod spec: RuntimeDefault seccomp, every capability dropped, not privileged'),
      },
      restrictedNamespace,
    ],
    tuning: appendException('Detect release_agent File Container Escapes', 'allow_escape_simulation', ['container.image.repository', 'proc.exepath'],
      'Allow this only for one program of a security test image; any other write still alerts.'),
  },
  {
    rule: 'PTRACE attached to process',
    source: 'syscall',
    file: FILE,
    detects: 'A ptrace call with PTRACE_ATTACH, PTRACE_SEIZE, PTRACE_POKETEXT, PTRACE_POKEDATA or PTRACE_SETREGS: a process attaches to another or writes into its memory or registers. Programs listed in known_ptrace_binaries are not reported.',
    attackerGoal: 'Inject code into another process to run under its identity and privileges, hide inside it, or read secrets from its memory.',
    mitre: ['T1055.008', 'TA0004', 'TA0005'],
    keyFields: [
      { field: 'evt.arg.request', meaning: 'The ptrace request: ATTACH or SEIZE start tracing, POKETEXT, POKEDATA and SETREGS change the target.' },
      { field: 'proc.cmdline', meaning: 'The tracing program and its arguments (a debugger usually names the target pid).' },
      { field: 'proc.pcmdline', meaning: 'The tracer\'s parent command line.' },
      { field: 'user.name', meaning: 'The account of the tracer.' },
    ],
    benignCauses: [
      'Debuggers and tracers: gdb, strace, ltrace, lldb.',
      'Profilers, crash reporters or checkpoint tools that attach to processes.',
    ],
    investigate: [
      processTree,
      { command: 'grep -l -E "TracerPid:[[:space:]]+[1-9]" /proc/[0-9]*/status', purpose: 'Lists the processes that are being traced right now.' },
      { command: 'sysctl kernel.yama.ptrace_scope', purpose: 'Shows who may attach: 0 any process of the same user, 1 only ancestors of the target, 2 only CAP_SYS_PTRACE holders, 3 nobody.' },
      packageOwner,
    ],
    mitigations: [
      {
        summary: 'Restrict ptrace attach to processes holding CAP_SYS_PTRACE (Yama scope 2); ordinary users and unprivileged containers can then no longer attach to other processes.',
        commands: [{ command: 'sysctl -w kernel.yama.ptrace_scope=2', purpose: 'Applies scope 2 until the next boot.', changesSystem: true }],
        config: { language: 'ini', title: '/etc/sysctl.d/60-ptrace.conf (keeps it after a reboot)', text: 'kernel.yama.ptrace_scope = 2' },
      },
      { summary: 'Do not add SYS_PTRACE to containers; drop every capability.', config: hardenedPodSpec('Pod spec: every capability dropped') },
    ],
    tuning: appendException('PTRACE attached to process', 'allow_known_tracer', ['proc.exepath', 'proc.pname'],
      'Allow one tracing program when started by one known parent (for example a profiler launched by its agent); other tracers still alert.'),
  },
  {
    rule: 'PTRACE anti-debug attempt',
    source: 'syscall',
    file: FILE,
    detects: 'A process calls ptrace with PTRACE_TRACEME, asking to be traced by its parent.',
    attackerGoal: 'Malware marks itself as already traced so analysts\' debuggers cannot attach, which hinders analysis.',
    mitre: ['T1622', 'TA0005'],
    keyFields: [
      { field: 'proc.exepath', meaning: 'The program that asked to be traced.' },
      { field: 'proc.cmdline', meaning: 'Its command line.' },
      { field: 'proc.pcmdline', meaning: 'The parent command line: a debugger here (gdb, strace) explains the call.' },
      { field: 'user.name', meaning: 'The account running it.' },
    ],
    benignCauses: [
      'A debugger or tracer starting a program: the child calls PTRACE_TRACEME before it executes the target.',
      'Software with anti-tamper or licence protection.',
    ],
    investigate: [
      { command: 'ls -la <proc.exepath>', purpose: 'Shows the executable, its owner and time; a recent file in a temporary directory is suspicious.' },
      { command: 'sha256sum <proc.exepath>', purpose: 'Hashes the executable to look it up in threat intelligence.' },
      packageOwner,
      processTree,
    ],
    mitigations: [
      {
        summary: 'On production hosts that are never debugged, Yama scope 3 refuses all ptrace attach and PTRACE_TRACEME; it cannot be lowered again until reboot.',
        commands: [{ command: 'sysctl -w kernel.yama.ptrace_scope=3', purpose: 'Turns off ptrace attachment for every process until reboot.', changesSystem: true }],
      },
      { summary: 'Prevent untrusted binaries from being added to containers: immutable images and a read-only root file system.', config: hardenedPodSpec('Pod spec: read-only root file system, pinned image digest') },
    ],
    tuning: appendException('PTRACE anti-debug attempt', 'allow_known_traced_program', ['proc.exepath', 'proc.pname'],
      'Allow one program when its parent is one known tracer; other programs still alert.'),
  },
  {
    rule: 'Find AWS Credentials',
    source: 'syscall',
    file: FILE,
    detects: 'grep, egrep or fgrep runs with arguments naming AWS credential keys (aws_access_key_id, aws_secret_access_key, aws_session_token, accesskeyid, secretaccesskey; any case), or find runs with an argument ending in .aws/credentials.',
    attackerGoal: 'Find AWS access keys on the machine to use the cloud account from elsewhere.',
    mitre: ['T1552', 'TA0006', 'T1552.001'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The search command: the pattern and the directories searched.' },
      { field: 'proc.cwd', meaning: 'The directory the search ran in.' },
      { field: 'proc.pcmdline', meaning: 'The parent command line: a shell, a script or an application.' },
      { field: 'user.name', meaning: 'The account that searched.' },
      { field: 'user.loginname', meaning: 'The account that logged in to start the session, if any.' },
    ],
    benignCauses: [
      'A developer or administrator checking their own AWS configuration.',
      'Secret scanning or credential rotation scripts.',
    ],
    investigate: [
      processTree,
      { command: 'find /root /home -xdev -path "*/.aws/credentials" -ls', purpose: 'Lists the credential files the search could have found.' },
      { command: 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<access-key-id>', purpose: 'Shows recent API calls made with a key found on the machine, to see whether it was used elsewhere.' },
      userAccount,
    ],
    mitigations: [
      {
        summary: 'Replace long-lived access keys on machines with instance roles, and require IMDSv2 with a hop limit of 1 so containers cannot fetch the instance role credentials.',
        commands: [{ command: 'aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required --http-put-response-hop-limit 1', purpose: 'Requires session tokens for the metadata service and stops them from crossing a network hop.', changesSystem: true }],
      },
      {
        summary: 'Deactivate an access key that may have been read, then rotate it.',
        commands: [{ command: 'aws iam update-access-key --user-name <iam-user> --access-key-id <access-key-id> --status Inactive', purpose: 'Stops the key from working without deleting it.', changesSystem: true }],
      },
    ],
    tuning: appendException('Find AWS Credentials', 'allow_known_credential_check', ['proc.pname', 'proc.cmdline'],
      'Allow one exact search command when started by one known parent (for example a rotation script); other searches still alert.'),
  },
  {
    rule: 'Execution from /dev/shm',
    source: 'syscall',
    file: FILE,
    detects: 'A program starts from /dev/shm: the path it was started by (proc.exe, its first argument, not the resolved proc.exepath) begins with /dev/shm/, it is started as ./... from a working directory under /dev/shm/, or a shell is given a script path under /dev/shm as argument. Falco\'s own and other trusted privileged images are not reported.',
    attackerGoal: '/dev/shm is writable by everyone and lives in memory, so attackers drop and run payloads there to avoid the disk and read-only root file systems.',
    mitre: ['T1059.004', 'TA0002'],
    keyFields: [
      { field: 'proc.exepath', meaning: 'The executable path; a path under /dev/shm is the payload itself.' },
      { field: 'proc.cmdline', meaning: 'The command line, which shows a script passed to a shell.' },
      { field: 'proc.cwd', meaning: 'The working directory of the process.' },
      { field: 'proc.pcmdline', meaning: 'The parent command line: the downloader or exploited application.' },
      { field: 'evt.arg.flags', meaning: 'Executable flags: EXE_WRITABLE means the running file is writable by its user, typical of a dropped payload.' },
    ],
    benignCauses: [
      'Build or test jobs that use /dev/shm as fast scratch space and run scripts from it.',
      'Installers run with TMPDIR set to /dev/shm.',
    ],
    investigate: [
      { command: 'ls -la /dev/shm', purpose: 'Lists the files in /dev/shm with owners and times (use nsenter -t <proc.pid> -m for a container\'s own /dev/shm).' },
      { command: 'sha256sum <proc.exepath>', purpose: 'Hashes the payload to look it up, if it still exists.' },
      processExe,
      { command: 'findmnt -no OPTIONS /dev/shm', purpose: 'Shows the mount options; noexec is missing if direct execution was possible.' },
      processTree,
    ],
    mitigations: [
      {
        summary: 'Mount /dev/shm with noexec, nosuid and nodev: programs can no longer be executed from it directly (a shell can still read a script from it, which the rule also reports).',
        commands: [
          { command: 'mount -o remount,noexec,nosuid,nodev /dev/shm', purpose: 'Applies the options now.', changesSystem: true },
          { command: 'findmnt -no OPTIONS /dev/shm', purpose: 'Checks that noexec, nosuid and nodev are listed.' },
        ],
        config: { language: 'text', title: '/etc/fstab line (keeps the options after a reboot)', text: 'tmpfs /dev/shm tmpfs defaults,noexec,nosuid,nodev 0 0' },
      },
    ],
    tuning: appendException('Execution from /dev/shm', 'allow_known_shm_job', ['proc.exepath', 'proc.pcmdline'],
      'Allow one executable started by one exact parent command (for example a test runner); other programs in /dev/shm still alert.'),
  },
  {
    rule: 'Drop and execute new binary in container',
    source: 'syscall',
    file: FILE,
    detects: 'A program starts in a container from an executable on the upper (writable) layer of the container\'s overlay file system: a file written or changed after the container started, not part of its image. Images listed in known_drop_and_execute_containers are not reported.',
    attackerGoal: 'After getting in, attackers download and run their own tools (miners, scanners, implants) that the image did not contain.',
    mitre: ['TA0003', 'T1105', 'TA0011', 'TA0002'],
    keyFields: [
      { field: 'proc.exepath', meaning: 'The new executable that ran.' },
      { field: 'proc.exe_ino.ctime', meaning: 'When the executable\'s inode last changed: the time it was dropped.' },
      { field: 'proc.exe_ino.ctime_duration_proc_start', meaning: 'Time between that change and the process start; a few seconds means download-then-run.' },
      { field: 'container.start_ts', meaning: 'When the container started, to place the drop in its life.' },
      { field: 'proc.sname', meaning: 'The session leader name, usually the shell or application that did it.' },
    ],
    benignCauses: [
      'Applications that install packages or tools at start-up (pip, npm, apt in the entrypoint).',
      'Debugging tools copied in with kubectl cp.',
    ],
    investigate: [
      { command: 'nsenter -t <proc.pid> -m ls -la --time-style=full-iso <proc.exepath>', purpose: 'Shows the dropped file inside the container\'s mount namespace, with owner and exact times.' },
      { command: 'nsenter -t <proc.pid> -m sha256sum <proc.exepath>', purpose: 'Hashes the file to look it up.' },
      containerInspect,
      containerLogs,
      podDescribe,
    ],
    mitigations: [
      {
        summary: 'Run containers with a read-only root file system and images pinned by digest, so nothing new can be written into the image layers; give writable emptyDir volumes only where the application needs them.',
        config: hardenedPodSpec('Pod spec: read-only root file system, pinned image'),
      },
    ],
    tuning: appendException('Drop and execute new binary in container', 'allow_runtime_installed_tool', ['container.image.repository', 'proc.exepath'],
      'Allow one executable that one image installs at start-up; other new executables still alert.'),
  },
  {
    rule: 'Disallowed SSH Connection Non Standard Port',
    source: 'syscall',
    file: FILE,
    detects: 'A program started by a name ending in "ssh" (proc.exe, its first argument, not the executable\'s path) makes a successful or pending outbound TCP connection to port 80, 8080, 88, 443, 8443, 53 or 4444 of an address outside 127.0.0.0/8 and the RFC 1918 private ranges.',
    attackerGoal: 'Reach an attacker server over SSH on a port that egress firewalls usually allow, to build a reverse tunnel or pipe a shell over the connection.',
    mitre: ['T1059', 'TA0002', 'T1572', 'T1571', 'TA0011'],
    keyFields: [
      { field: 'fd.name', meaning: 'The connection: local address and port, then the remote server and port.' },
      { field: 'fd.rport', meaning: 'The remote port, one of the listed non-SSH ports.' },
      { field: 'proc.cmdline', meaning: 'The ssh command line; -R, -L, -D or -N options mean a tunnel.' },
      { field: 'user.name', meaning: 'The account that connected.' },
    ],
    benignCauses: [
      'SSH to Git hosting on port 443 (for example ssh.github.com or altssh.gitlab.com).',
      'Bastion hosts that listen on 443 to pass corporate firewalls.',
    ],
    investigate: [
      { command: 'ss -tnp dport = :<fd.rport>', purpose: 'Lists current TCP connections to that remote port with their processes.' },
      processTree,
      userAccount,
      { command: 'getent hosts <fd.sip>', purpose: 'Looks up a name for the remote server.' },
    ],
    mitigations: [
      { summary: 'Filter egress: allow outbound connections only to the destinations each workload needs, so tunnels to arbitrary servers fail.', config: egressDefaultDeny },
      {
        summary: 'On the SSH servers you run, refuse tunnels so they cannot be used as relays.',
        config: { language: 'text', title: '/etc/ssh/sshd_config.d/50-no-tunnels.conf (check with sshd -t, then reload the SSH service)', text: 'AllowTcpForwarding no\nGatewayPorts no\nPermitTunnel no' },
      },
    ],
    tuning: appendException('Disallowed SSH Connection Non Standard Port', 'allow_known_ssh_endpoint', ['proc.exepath', 'fd.sip', 'fd.rport'],
      'Allow SSH to one known server address and port (for example Git over port 443); connections elsewhere still alert. Fill <fd.sip> with the server address if the alert does not show it.'),
  },
  {
    rule: 'Fileless execution via memfd_create',
    source: 'syscall',
    file: FILE,
    detects: 'A program starts from an anonymous in-memory file created with memfd_create rather than from a file on disk. runc, which re-executes itself this way, is not reported.',
    attackerGoal: 'Run a payload that never touches the disk, so file scanners, integrity checks and forensics find nothing.',
    mitre: ['T1620', 'TA0005', 'TA0002'],
    keyFields: [
      { field: 'proc.exepath', meaning: 'The executable path, of the form memfd:<name>; the name is chosen by the loader.' },
      { field: 'proc.cmdline', meaning: 'The command line the payload was given.' },
      { field: 'proc.pname', meaning: 'The parent, usually the loader that created the memory file.' },
      { field: 'proc.aname[2]', meaning: 'The grandparent, to find the session or exploited application.' },
      { field: 'evt.arg.flags', meaning: 'Executable flags; EXE_FROM_MEMFD confirms the in-memory origin.' },
    ],
    benignCauses: [
      'Container runtimes or tools other than runc that protect their own binary by running it from a memory file.',
      'Software that unpacks and runs an embedded helper from memory.',
    ],
    investigate: [
      { command: 'ls -l /proc/<proc.pid>/exe', purpose: 'Shows the memory file the process runs from (/memfd:<name> (deleted)).' },
      { command: 'cp --no-clobber /proc/<proc.pid>/exe <evidence-file>', purpose: 'Saves a copy of the in-memory executable for analysis while the process still runs; it writes only the new evidence file you name, and --no-clobber keeps it from replacing a file that exists (put it off the suspect host\'s disks where you can).' },
      { command: 'sha256sum /proc/<proc.pid>/exe', purpose: 'Hashes the in-memory executable to look it up.' },
      processTree,
      { command: 'ls -la /proc/<proc.pid>/fd', purpose: 'Lists open files and sockets of the process.' },
    ],
    mitigations: [
      {
        summary: 'On Linux 6.3 and later, make memory files non-executable by default (vm.memfd_noexec=1): loaders that call memfd_create without MFD_EXEC can no longer execute the payload. Value 2 refuses every executable memory file but breaks runtimes that rely on them, such as runc versions that clone their binary into one.',
        commands: [
          { command: 'sysctl vm.memfd_noexec', purpose: 'Shows the current value (missing on kernels before 6.3).' },
          { command: 'sysctl -w vm.memfd_noexec=1', purpose: 'Applies the non-executable default until reboot.', changesSystem: true },
        ],
        config: { language: 'ini', title: '/etc/sysctl.d/60-memfd.conf (keeps it after a reboot)', text: 'vm.memfd_noexec = 1' },
      },
    ],
    tuning: appendException('Fileless execution via memfd_create', 'allow_known_memfd_loader', ['proc.exepath', 'proc.pname'],
      'Allow one in-memory executable when started by one known parent (for example a runtime other than runc); other memory executions still alert.'),
  },
];
