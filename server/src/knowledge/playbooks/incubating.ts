// Playbooks of the rules in the incubating set (falco-incubating_rules.yaml, falco-rules 5.1.0 as bundled with
// Falco 0.44). Written for Falco Lens from the rules' conditions and macros; no text taken from the rules file.
// Falco 0.44 loads only falco_rules.yaml by default: these rules alert only where the incubating file is loaded.
import type { Mitigation, Playbook, ShellCommand } from '../types';
import { withProcessName } from './processKey';

const FILE = 'falco-incubating_rules.yaml';

// Investigation steps shared by several playbooks. All read-only.
const describePod: ShellCommand = {
  command: 'kubectl describe pod <k8s.pod.name> -n <k8s.ns.name>',
  purpose: 'Shows the pod that ran the process: owner, image, service account, security context and recent events.',
};
const inspectContainer: ShellCommand = {
  command: 'crictl inspect <container.id>',
  purpose: 'Shows the container as the runtime sees it, on the node: image, mounts, capabilities, privileged flag and its pid on the host.',
};
const processesByName: ShellCommand = {
  command: 'ps -o pid,ppid,user,lstart,args -C <proc.name>',
  purpose: 'Lists the running processes with that name, with their parent, user, start time and arguments.',
};
const debOwner: ShellCommand = {
  command: 'dpkg -S <proc.exepath>',
  purpose: 'Says which Debian/Ubuntu package owns the executable, if any (on RPM systems: rpm -qf with the same path).',
};
const podServiceAccount: ShellCommand = {
  command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.serviceAccountName}'",
  purpose: 'Prints the service account the pod runs as, whose permissions an attacker inside it would hold.',
};

// Mitigations shared by several playbooks.
const hardenedPod: Mitigation = {
  summary: 'Run the workload with an immutable root filesystem, as a non-root user, without privilege escalation, with all capabilities dropped and the runtime\'s default seccomp profile. Whatever gets in cannot install tools, change files of the image or gain privileges.',
  config: {
    language: 'yaml',
    title: 'Pod spec (securityContext)',
    text: [
      'spec:',
      '  securityContext:',
      '    runAsNonRoot: true',
      '    seccompProfile:',
      '      type: RuntimeDefault',
      '  containers:',
      '    - name: <container>',
      '      image: <image>',
      '      securityContext:',
      '        allowPrivilegeEscalation: false',
      '        readOnlyRootFilesystem: true',
      '        capabilities:',
      '          drop: ["ALL"]',
      '',
    ].join('\n'),
  },
};
const enforceBaseline: Mitigation = {
  summary: 'Enforce the Pod Security Standard "baseline" on the namespace: the API server then rejects privileged pods, added dangerous capabilities, hostPath volumes and host namespaces. Run the command first with --dry-run=server added: it then only lists the running pods that would violate the level.',
  commands: [
    {
      command: 'kubectl label --overwrite namespace <k8s.ns.name> pod-security.kubernetes.io/enforce=baseline',
      purpose: 'Enforces the baseline level for new pods of the namespace.',
      changesSystem: true,
    },
  ],
};
const enforceRestricted: Mitigation = {
  summary: 'Enforce the Pod Security Standard "restricted" on the namespace: pods must run as non-root, drop all capabilities (NET_BIND_SERVICE may be added back), disallow privilege escalation and use a seccomp profile. Run the command first with --dry-run=server added: it then only lists the running pods that would violate the level.',
  commands: [
    {
      command: 'kubectl label --overwrite namespace <k8s.ns.name> pod-security.kubernetes.io/enforce=restricted',
      purpose: 'Enforces the restricted level for new pods of the namespace.',
      changesSystem: true,
    },
  ],
};
const denyMetadataEgress: Mitigation = {
  summary: 'Block pods from reaching the instance metadata address with a NetworkPolicy that allows egress everywhere except 169.254.169.254 (needs a CNI that enforces NetworkPolicy; pods on the host network are not covered). Give workloads cloud identities through the platform instead (IRSA or EKS Pod Identity, GKE Workload Identity, Azure Workload Identity).',
  config: {
    language: 'yaml',
    title: 'NetworkPolicy',
    text: [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: deny-instance-metadata',
      '  namespace: <k8s.ns.name>',
      'spec:',
      '  podSelector: {}',
      '  policyTypes: ["Egress"]',
      '  egress:',
      '    - to:',
      '        - ipBlock:',
      '            cidr: 0.0.0.0/0',
      '            except: ["169.254.169.254/32"]',
      '',
    ].join('\n'),
  },
};

/**
 * An override that appends one exception to a rule: the form every tuning below uses. An exception on the executable's
 * path also names the process (withProcessName: the path alone would allow every applet of busybox).
 */
function appendException(rule: string, name: string, pathFields: string[], pathValues: string[], pathComps?: string[]): string {
  const { fields, values, comps } = withProcessName(pathFields, pathValues, pathComps);
  return [
    `- rule: ${rule}`,
    '  exceptions:',
    `    - name: ${name}`,
    `      fields: [${fields.join(', ')}]`,
    ...(comps ? [`      comps: [${comps.join(', ')}]`] : []),
    '      values:',
    `        - [${values.join(', ')}]`,
    '  override:',
    '    exceptions: append',
    '',
  ].join('\n');
}

export const INCUBATING_PLAYBOOKS: Playbook[] = [
  {
    rule: 'Modify Shell Configuration File',
    source: 'syscall',
    file: FILE,
    detects: 'A program that is not a shell opens a shell start-up file for writing: per-user files such as .bashrc, .profile, .bash_history, .zshrc or .cshrc, the system files /etc/profile, /etc/bashrc, /etc/csh.cshrc, /etc/csh.login, or anything under /etc/zsh. Writes by the shells themselves and by docker save are not reported.',
    attackerGoal: 'Commands added to a start-up file run every time the user (or root) opens a shell, which gives persistence and a way to run code with that user\'s rights.',
    mitre: ['T1546.004', 'TA0003', 'TA0004'],
    keyFields: [
      { field: 'fd.name', meaning: 'The start-up file that was opened for writing; /etc files affect every user, home files one user.' },
      { field: 'proc.cmdline', meaning: 'The writing command: an editor, an installer script or something unexpected.' },
      { field: 'proc.pcmdline', meaning: 'The parent\'s command line, which tells an interactive edit from a script or an installer.' },
      { field: 'user.loginuid', meaning: 'The login user behind the change; -1 means no login session (a service or the container runtime).' },
      { field: 'proc.tty', meaning: 'Non-zero when the writer ran on a terminal (a person typing); 0 for background processes.' },
    ],
    benignCauses: [
      'A user editing their own .bashrc or .profile with an editor such as vim or nano.',
      'Tool installers (conda init, nvm, rustup, SDK installers) adding PATH lines to start-up files.',
      'Package upgrades or configuration management rewriting /etc/profile or /etc/bashrc.',
    ],
    investigate: [
      { command: 'ls -la <fd.name>', purpose: 'Owner, permissions and modification time of the file (run it where the file lives: on the host, or inside the container).' },
      { command: 'tail -n 30 -- <fd.name> | cat -v', purpose: 'Shows the end of the file, where added lines usually are; look for downloads, reverse shells or aliases of common commands.' },
      processesByName,
      { command: 'last -F -n 20', purpose: 'Recent logins, to match the change with a person\'s session.' },
    ],
    mitigations: [hardenedPod],
    tuning: {
      summary: 'Allow one program to write one start-up file (for example a dotfile manager writing .bashrc).',
      yaml: appendException('Modify Shell Configuration File', 'allow_known_shell_config_writer', ['proc.exepath', 'fd.name'], ['<proc.exepath>', '<fd.name>']),
    },
  },
  {
    rule: 'Schedule Cron Jobs',
    source: 'syscall',
    file: FILE,
    detects: 'Any process opening a file whose path starts with /etc/cron for writing (/etc/crontab, /etc/cron.d/, /etc/cron.daily/, /etc/cron.allow...), and every execution of the crontab program, including read-only uses such as crontab -l.',
    attackerGoal: 'A cron entry runs the attacker\'s command again on a schedule, surviving reboots and killed processes.',
    mitre: ['T1053.003', 'TA0002', 'TA0003'],
    keyFields: [
      { field: 'fd.name', meaning: 'The cron file written; empty when the alert comes from running the crontab program.' },
      { field: 'proc.cmdline', meaning: 'The writer or the crontab invocation; crontab -l only lists, crontab -e or crontab <file> installs.' },
      { field: 'proc.pname', meaning: 'The parent: a package manager (dpkg, rpm), a configuration tool or an interactive shell.' },
      { field: 'user.name', meaning: 'The user whose rights were used; a per-user crontab belongs to this user unless -u names another.' },
    ],
    benignCauses: [
      'Package installation or upgrade dropping a file into /etc/cron.d or /etc/cron.daily.',
      'Configuration management (Ansible, Puppet, Chef) managing cron entries.',
      'Administrators or scripts listing crontabs with crontab -l.',
    ],
    investigate: [
      { command: 'ls -la /etc/cron.d /etc/cron.hourly /etc/cron.daily /etc/cron.weekly /etc/cron.monthly', purpose: 'Lists the system cron directories with modification times; recent unknown files stand out.' },
      { command: 'cat -v /etc/crontab', purpose: 'Shows the system crontab.' },
      { command: 'crontab -l -u <user.name>', purpose: 'Shows the personal crontab of the user in the alert.' },
      { command: 'ls -laR /var/spool/cron', purpose: 'Lists all per-user crontabs and when they changed.' },
    ],
    mitigations: [
      {
        summary: 'Allow only named users to install personal crontabs: when /etc/cron.allow exists, crontab refuses every user not listed in it (root included on some implementations, so list it).',
        config: { language: 'text', title: '/etc/cron.allow', text: 'root\n<user>\n' },
      },
      hardenedPod,
    ],
    tuning: {
      summary: 'Allow one program started by one parent (for example a configuration management agent) to manage cron files.',
      yaml: appendException('Schedule Cron Jobs', 'allow_known_cron_manager', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Read ssh information',
    source: 'syscall',
    file: FILE,
    detects: 'A program that is not one of the OpenSSH tools (ssh, scp, sftp, sshd, ssh-agent, ssh-keygen...) opens a file or lists a directory inside /home/<user>/.ssh/ or under /root/.ssh.',
    attackerGoal: 'SSH directories hold private keys, known_hosts and authorized_keys: keys let the attacker log in to other machines, known_hosts shows where to go next.',
    mitre: ['T1005', 'T1552.004', 'TA0009', 'TA0006'],
    keyFields: [
      { field: 'fd.name', meaning: 'The file or directory read; a private key (id_rsa, id_ed25519) matters more than known_hosts.' },
      { field: 'proc.cmdline', meaning: 'The reading command: cat, cp, tar, a script interpreter or a backup agent.' },
      { field: 'proc.pcmdline', meaning: 'The parent command line, which shows whether a person or a tool started the read.' },
      { field: 'user.name', meaning: 'The user reading; reading another user\'s .ssh needs root.' },
    ],
    benignCauses: [
      'Backup agents or file synchronisation copying home directories.',
      'Configuration management or provisioning scripts reading authorized_keys.',
      'A user listing or viewing their own ~/.ssh with ls or cat.',
    ],
    investigate: [
      { command: 'ls -la <fd.name>', purpose: 'Permissions, owner and times of what was read (on the host or inside the container where it lives).' },
      processesByName,
      { command: 'last -F -n 20', purpose: 'Recent logins, to relate the read to a session.' },
      { command: 'ss -tnp', purpose: 'Current TCP connections with their processes: look for the reading process sending data out.' },
    ],
    mitigations: [
      {
        summary: 'Do not keep unprotected private keys on servers: use an agent forwarded from the admin workstation or hardware-backed keys, and protect any key that must stay on disk with a passphrase.',
        commands: [
          { command: 'ssh-keygen -p -f <private_key_file>', purpose: 'Adds or changes the passphrase of an existing private key.', changesSystem: true },
        ],
      },
      enforceBaseline,
    ],
    tuning: {
      summary: 'Allow one program to read one SSH file or directory (for example a backup agent).',
      yaml: appendException('Read ssh information', 'allow_known_ssh_reader', ['proc.exepath', 'fd.name'], ['<proc.exepath>', '<fd.name>']),
    },
  },
  {
    rule: 'DB program spawned process',
    source: 'syscall',
    file: FILE,
    detects: 'A database server process (mysqld, postgres or sqlplus) starts a child program other than another database process. WAL-E and WAL-G archive commands run by postgres are not reported.',
    attackerGoal: 'After SQL injection or stolen database credentials, features such as COPY ... TO PROGRAM or user-defined functions let the attacker run operating system commands as the database user.',
    mitre: ['T1190', 'T1059.004', 'TA0001', 'TA0002'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The command the database started: a shell, a downloader or a known archive or backup script.' },
      { field: 'proc.pname', meaning: 'The database server that spawned it.' },
      { field: 'user.name', meaning: 'Usually the database service account (postgres, mysql).' },
      { field: 'evt.arg.flags', meaning: 'Flags of the executed file: EXE_WRITABLE or EXE_UPPER_LAYER mean it was written after the image or package was installed.' },
    ],
    benignCauses: [
      'PostgreSQL archive_command or restore_command scripts (pgBackRest, cp, rsync).',
      'Database extensions or maintenance scripts configured to call external programs.',
    ],
    investigate: [
      processesByName,
      { command: "psql -c 'SHOW archive_command' -c 'SHOW restore_command'", purpose: 'Shows the commands PostgreSQL is configured to run, to compare with the alert.' },
      { command: 'psql -c "SELECT rolname FROM pg_roles WHERE rolsuper OR pg_has_role(rolname, \'pg_execute_server_program\', \'member\')"', purpose: 'Lists the roles allowed to run server programs (superusers and members of pg_execute_server_program).' },
      describePod,
    ],
    mitigations: [
      {
        summary: 'Applications must not connect as a PostgreSQL superuser, and only administrators may run server-side programs: remove superuser and pg_execute_server_program from application roles.',
        config: { language: 'text', title: 'PostgreSQL (run as an administrator in psql)', text: 'ALTER ROLE <role> NOSUPERUSER;\nREVOKE pg_execute_server_program FROM <role>;\n' },
      },
      hardenedPod,
    ],
    tuning: {
      summary: 'Allow the database to run one known command line prefix (for example its archive script); the comparison is = for the parent and startswith for the command line.',
      yaml: appendException('DB program spawned process', 'allow_known_db_child', ['proc.pname', 'proc.cmdline'], ['<proc.pname>', '<command_prefix>'], ['"="', 'startswith']),
    },
  },
  {
    rule: 'Change thread namespace',
    source: 'syscall',
    file: FILE,
    detects: 'A setns system call (a thread joining another namespace) by a program not known to do it: container runtimes, kubelet, CNI plugins, monitoring agents and nsenter on the host are excluded.',
    attackerGoal: 'Joining the namespaces of the host\'s init process (for example nsenter --target 1 from a privileged container) is a classic container escape to the host.',
    mitre: ['T1611', 'TA0004'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The program that changed namespace; nsenter --target 1 with --mount or --pid means it targeted the host.' },
      { field: 'proc.pname', meaning: 'The parent, which shows whether a runtime, an agent or a shell started it.' },
      { field: 'user.uid', meaning: 'The user; joining the host\'s namespaces needs CAP_SYS_ADMIN over them, which a container only has when it is privileged or shares the host\'s namespaces.' },
      { field: 'container.id', meaning: '"host" when the caller runs on the host; a container id when it runs inside one (the dangerous case).' },
    ],
    benignCauses: [
      'Container runtimes, CNI or CSI plugins and networking agents not in the rule\'s lists (for example crun, conmon, Cilium or Kata components).',
      'Debugging tools such as kubectl debug node or node-shell pods that use nsenter by design.',
    ],
    investigate: [
      inspectContainer,
      describePod,
      processesByName,
      { command: 'lsns -p <pid>', purpose: 'Lists the namespaces of a process (fill in its pid from ps): compare them with those of pid 1 to see whether it now lives in the host\'s namespaces.' },
    ],
    mitigations: [
      enforceBaseline,
      {
        summary: 'Keep the runtime\'s default seccomp profile on every pod: it refuses setns, unshare and mount to containers without CAP_SYS_ADMIN. Kubernetes runs pods unconfined unless the profile is set.',
        config: { language: 'yaml', title: 'Pod spec', text: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n' },
      },
    ],
    tuning: {
      summary: 'Allow one program started by one parent to change namespaces (for example a CNI or storage plugin not in the lists).',
      yaml: appendException('Change thread namespace', 'allow_known_setns_caller', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Change namespace privileges via unshare',
    source: 'syscall',
    file: FILE,
    detects: 'An unshare system call inside a container by a thread that does not hold CAP_SYS_ADMIN in its permitted set, whether it succeeded or failed.',
    attackerGoal: 'Creating a new user namespace gives the caller every capability inside it, which opens kernel attack surface (mounts, netfilter) used by many container escapes and privilege escalation exploits.',
    mitre: ['T1611', 'TA0004'],
    keyFields: [
      { field: 'evt.res', meaning: 'The result: SUCCESS means the namespace was created; EPERM means seccomp or the kernel refused it.' },
      { field: 'proc.cmdline', meaning: 'The program that called unshare (the unshare tool, a sandboxing browser, a build tool or an exploit).' },
      { field: 'proc.exepath', meaning: 'Where the executable lives; a path in /tmp, /dev/shm or the home directory is suspicious.' },
      { field: 'container.image.repository', meaning: 'The image of the container, to tell expected workloads from others.' },
    ],
    benignCauses: [
      'Rootless builders or sandboxes inside containers (buildah, podman, Chromium\'s sandbox, bubblewrap).',
      'CI jobs that build images or run tests in user namespaces.',
    ],
    investigate: [
      inspectContainer,
      describePod,
      { command: 'sysctl user.max_user_namespaces', purpose: 'Shows whether the node allows user namespaces at all (0 means no).' },
      processesByName,
    ],
    mitigations: [
      {
        summary: 'Keep the runtime\'s default seccomp profile on every pod: it refuses unshare to containers without CAP_SYS_ADMIN, so the call fails with EPERM. Kubernetes runs pods unconfined unless the profile is set.',
        config: { language: 'yaml', title: 'Pod spec', text: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n' },
      },
      enforceRestricted,
    ],
    tuning: {
      summary: 'Allow one executable of one image to create namespaces (for example a rootless image builder).',
      yaml: appendException('Change namespace privileges via unshare', 'allow_known_unshare', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'Launch Privileged Container',
    source: 'syscall',
    file: FILE,
    detects: 'The first process (pid 1 inside the container) starting in a container that runs privileged, unless the image is one of the known infrastructure images (Falco, Calico, kube-proxy, cloud provider agents, OpenShift and Red Hat images...).',
    attackerGoal: 'A privileged container has every capability and the host\'s devices, so whoever controls it can take over the node; attackers who can create pods start one to escape.',
    mitre: ['T1610', 'T1611', 'TA0002', 'TA0004'],
    keyFields: [
      { field: 'container.image.repository', meaning: 'The image started privileged: compare it with the workloads you expect to need it.' },
      { field: 'proc.cmdline', meaning: 'The container\'s entrypoint command.' },
      { field: 'k8s.ns.name', meaning: 'The namespace of the pod; privileged pods outside system namespaces deserve a look.' },
      { field: 'user.loginuid', meaning: '-1 is normal here: the process was started by the container runtime, not a login session.' },
    ],
    benignCauses: [
      'Node agents that need the host: CNI, CSI drivers, monitoring and security agents not in the rule\'s image lists.',
      'Docker-in-Docker CI runners.',
    ],
    investigate: [
      describePod,
      inspectContainer,
      { command: "kubectl get pods -A -o jsonpath='{range .items[*]}{.metadata.namespace}{\"/\"}{.metadata.name}{\"\\t\"}{.spec.containers[*].securityContext.privileged}{\"\\n\"}{end}'", purpose: 'Lists every pod with the privileged flag of its containers, to see how widespread privileged pods are.' },
      { command: 'kubectl get events -n <k8s.ns.name> --field-selector involvedObject.name=<k8s.pod.name>', purpose: 'Events of the pod: when it was scheduled and by which controller.' },
    ],
    mitigations: [enforceBaseline],
    tuning: {
      summary: 'Allow one image with one entrypoint to run privileged (for example a node agent that needs it).',
      yaml: appendException('Launch Privileged Container', 'allow_known_privileged_image', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'Launch Excessively Capable Container',
    source: 'syscall',
    file: FILE,
    detects: 'The first process of a container starting with a powerful capability in its permitted set: CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_PTRACE, CAP_SYS_BOOT, CAP_SYSLOG, CAP_DAC_READ_SEARCH, CAP_NET_ADMIN or CAP_BPF, unless the image is a known infrastructure image.',
    attackerGoal: 'Each of these capabilities is enough, alone or with a kernel bug, to break out of the container, read host files, load kernel code or tamper with the node\'s network.',
    mitre: ['T1610', 'T1611', 'TA0002', 'TA0004'],
    keyFields: [
      { field: 'thread.cap_permitted', meaning: 'The capabilities the container\'s first process may use; find which of the listed powerful ones is present.' },
      { field: 'container.image.repository', meaning: 'The image started with them.' },
      { field: 'proc.cmdline', meaning: 'The container\'s entrypoint command.' },
      { field: 'k8s.ns.name', meaning: 'The namespace of the pod.' },
    ],
    benignCauses: [
      'Network plugins and VPN sidecars that need CAP_NET_ADMIN.',
      'Observability or security agents that need CAP_SYS_PTRACE, CAP_BPF or CAP_SYS_ADMIN.',
    ],
    investigate: [
      describePod,
      inspectContainer,
      { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.containers[*].securityContext.capabilities}'", purpose: 'Shows the capabilities the pod spec adds and drops.' },
    ],
    mitigations: [
      {
        summary: 'Drop every capability and add back only the one the workload needs; the restricted Pod Security level allows adding only NET_BIND_SERVICE.',
        config: { language: 'yaml', title: 'Container securityContext', text: 'securityContext:\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]\n' },
      },
      enforceRestricted,
    ],
    tuning: {
      summary: 'Allow one image with one entrypoint to start with these capabilities.',
      yaml: appendException('Launch Excessively Capable Container', 'allow_known_capable_image', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'System procs network activity',
    source: 'syscall',
    file: FILE,
    detects: 'An IPv4 or IPv6 accept, listen or connect (not to 0.0.0.0 or 127.0.0.0/8) by a coreutils program (sleep, cat, echo, ls...), a user management program (login, passwd, useradd...) or a shell. systemd, hostid, id and DNS lookups by login are not reported.',
    attackerGoal: 'These programs never talk to the network on their own: a shell with a socket is typically a reverse shell through bash\'s /dev/tcp, and a coreutils name with network traffic is often malware renamed to look harmless.',
    mitre: ['T1059', 'T1059.004', 'T1095', 'TA0002', 'TA0011'],
    keyFields: [
      { field: 'fd.name', meaning: 'Shown as connection=: local and remote address and port of the socket.' },
      { field: 'proc.cmdline', meaning: 'The program with the socket; a shell command line with /dev/tcp or /dev/udp is a reverse or bind shell.' },
      { field: 'proc.exepath', meaning: 'The real executable path; a coreutils name running from /tmp or a home directory is an impostor.' },
      { field: 'fd.rport', meaning: 'The remote port of the connection.' },
      { field: 'proc.pname', meaning: 'The parent, which shows who started the program.' },
    ],
    benignCauses: [
      'Health-check or wait-for scripts that use bash\'s /dev/tcp to test whether a port is open.',
      'Shell-based tools that listen or connect with built-in redirections.',
    ],
    investigate: [
      processesByName,
      { command: 'ss -tunap', purpose: 'All TCP and UDP sockets with their processes: see whether the connection is still open and to where.' },
      debOwner,
      { command: 'sha256sum <proc.exepath>', purpose: 'Hash of the executable (on the host, or inside the container for a container path), to compare with the packaged file or threat intelligence.' },
    ],
    mitigations: [
      {
        summary: 'Deny egress by default for workloads and allow only the destinations they need, so an unexpected outbound shell cannot reach the attacker.',
        config: {
          language: 'yaml', title: 'NetworkPolicy',
          text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-egress\n  namespace: <k8s.ns.name>\nspec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n',
        },
      },
      hardenedPod,
    ],
    tuning: {
      summary: 'Allow one program started by one parent to use the network (for example a known health-check script).',
      yaml: appendException('System procs network activity', 'allow_known_system_proc_network', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Program run with disallowed http proxy env',
    source: 'syscall',
    file: FILE,
    detects: 'curl or wget started with an HTTP_PROXY variable (any letter case, so http_proxy too) in its environment. The rule allows none by default.',
    attackerGoal: 'A proxy variable sends the program\'s HTTP requests, and any credentials in them, through a host the attacker controls, or lets tools reach the Internet through an unsanctioned relay.',
    mitre: ['T1204', 'T1090', 'TA0002', 'TA0011'],
    keyFields: [
      { field: 'proc.env', meaning: 'The environment of the process: check which proxy the HTTP_PROXY variable points to.' },
      { field: 'proc.cmdline', meaning: 'The URL curl or wget fetched through the proxy.' },
      { field: 'proc.pname', meaning: 'The parent: a build script, a cron job or an interactive shell.' },
      { field: 'user.name', meaning: 'The user running the download.' },
    ],
    benignCauses: [
      'Corporate networks where every host or CI runner is configured with the official proxy.',
      'Container images built with proxy variables baked into their environment.',
    ],
    investigate: [
      processesByName,
      { command: 'grep -rsi proxy /etc/environment /etc/profile.d | cat -v', purpose: 'Shows the proxy settings configured system-wide, to compare with the value in the alert.' },
      describePod,
    ],
    mitigations: [
      {
        summary: 'Let workloads reach the outside only through the sanctioned proxy: a NetworkPolicy that allows egress to the proxy (and DNS) alone makes any other proxy unreachable.',
        config: {
          language: 'yaml', title: 'NetworkPolicy',
          text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: egress-through-proxy-only\n  namespace: <k8s.ns.name>\nspec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: <proxy_ip>/32\n      ports:\n        - protocol: TCP\n          port: <proxy_port>\n    - ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53\n',
        },
      },
    ],
    tuning: {
      summary: 'Allow curl or wget with a proxy when started by one known parent (for example a build script that uses the corporate proxy).',
      yaml: appendException('Program run with disallowed http proxy env', 'allow_known_proxy_user', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Unexpected UDP Traffic',
    source: 'syscall',
    file: FILE,
    detects: 'A connect() on a UDP socket over IPv4 or IPv6 (the rule also watches accept and listen, which UDP does not use) where neither the local nor the remote port is an expected one (53, OpenVPN, L2TP/IPsec, statsd, NTP and a few test ports), excluding 0.0.0.0 and 127.0.0.0/8.',
    attackerGoal: 'UDP on unusual ports carries command-and-control, tunnels and exfiltration that many firewalls and proxies do not inspect.',
    mitre: ['T1095', 'TA0011', 'TA0010'],
    keyFields: [
      { field: 'fd.name', meaning: 'Shown as connection=: local and remote address and port.' },
      { field: 'fd.lport', meaning: 'The local port, usually a random ephemeral port for an outbound flow.' },
      { field: 'fd.rport', meaning: 'The remote port; for an outbound flow this identifies the service contacted.' },
      { field: 'proc.cmdline', meaning: 'The program using the socket.' },
    ],
    benignCauses: [
      'QUIC / HTTP/3 on UDP 443, WireGuard, mDNS (5353), syslog (514) or SNMP (161).',
      'Cluster gossip protocols (Consul or memberlist on 8301/7946) and VXLAN or Geneve overlays.',
    ],
    investigate: [
      { command: 'ss -uanp', purpose: 'All UDP sockets with their processes.' },
      processesByName,
      debOwner,
    ],
    mitigations: [
      {
        summary: 'Allow UDP only to the cluster DNS: a NetworkPolicy that allows UDP and TCP port 53 to kube-system and TCP elsewhere blocks other UDP egress from the pods.',
        config: {
          language: 'yaml', title: 'NetworkPolicy',
          text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: udp-dns-only\n  namespace: <k8s.ns.name>\nspec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n      ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53\n    - ports:\n        - protocol: TCP\n',
        },
      },
    ],
    tuning: {
      summary: 'Allow one program to send UDP to one remote port.',
      yaml: appendException('Unexpected UDP Traffic', 'allow_known_udp_flow', ['proc.exepath', 'fd.rport'], ['<proc.exepath>', '<fd.rport>']),
    },
  },
  {
    rule: 'Non sudo setuid',
    source: 'syscall',
    file: FILE,
    detects: 'A setuid system call by a process whose user is not root, on the host or in a container with a known user. sudo, su, known setuid helpers, mail and container runtime programs, and users switching to their own account (nobody, www-data, postgres...) are excluded.',
    attackerGoal: 'Switching user from a non-root process means the process holds a privilege it should not (a setuid binary or CAP_SETUID), often the last step of a privilege escalation.',
    mitre: ['T1548.001', 'TA0004'],
    keyFields: [
      { field: 'evt.arg.uid', meaning: 'The user the process asked to become; 0 (root) is the worrying case.' },
      { field: 'user.name', meaning: 'The user the process ran as before the call.' },
      { field: 'proc.cmdline', meaning: 'The program that called setuid.' },
      { field: 'proc.exepath', meaning: 'Where it runs from; a setuid binary outside system directories is suspicious.' },
    ],
    benignCauses: [
      'Setuid-root helpers not in the rule\'s lists (fusermount, newuidmap, pkexec) run by regular users.',
      'Programs that call setuid with their own user id to drop a saved set-user-ID.',
    ],
    investigate: [
      { command: 'ls -la <proc.exepath>', purpose: 'Shows whether the executable carries the setuid bit (an s in the permissions) and who owns it.' },
      { command: 'getcap <proc.exepath>', purpose: 'Shows file capabilities such as cap_setuid on the executable.' },
      debOwner,
      processesByName,
    ],
    mitigations: [
      {
        summary: 'Remove the ability to change user from workloads: drop CAP_SETUID and CAP_SETGID (or all capabilities) and forbid privilege escalation, so setuid binaries stop granting rights.',
        config: { language: 'yaml', title: 'Container securityContext', text: 'securityContext:\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]\n' },
      },
      {
        summary: 'For host services that never change user, remove the capability and set no_new_privs in a systemd drop-in.',
        config: { language: 'ini', title: '/etc/systemd/system/<service>.service.d/hardening.conf', text: '[Service]\nNoNewPrivileges=yes\nCapabilityBoundingSet=~CAP_SETUID CAP_SETGID\n' },
      },
    ],
    tuning: {
      summary: 'Allow one program running as one user to call setuid.',
      yaml: appendException('Non sudo setuid', 'allow_known_setuid_caller', ['proc.exepath', 'user.name'], ['<proc.exepath>', '<user.name>']),
    },
  },
  {
    rule: 'User mgmt binaries',
    source: 'syscall',
    file: FILE,
    detects: 'A user or password management program (useradd, usermod, passwd, chpasswd, groupadd, login, systemd, newgrp...) started on the host, outside containers. su, sudo, lastlog, nologin and unix_chkpwd, children of cron, systemd or run-parts, a few read-only command lines and some known agents are excluded.',
    attackerGoal: 'Creating an account, adding a user to a privileged group or changing a password gives the attacker a durable way back in.',
    mitre: ['T1098', 'T1136.001', 'TA0003'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The exact command: which account was created or changed and how (for example usermod -aG sudo).' },
      { field: 'proc.pname', meaning: 'The parent; together with proc.aname[2] to proc.aname[4] (shown as gparent, ggparent, gggparent) it shows the chain that led here.' },
      { field: 'user.loginuid', meaning: 'The login user behind the change; -1 means it came from a daemon, not a login session.' },
      { field: 'proc.tty', meaning: 'Non-zero when typed on a terminal.' },
    ],
    benignCauses: [
      'Administrators managing accounts by hand.',
      'Configuration management, cloud-init or image provisioning creating service accounts.',
      'Package post-install scripts adding system users.',
    ],
    investigate: [
      { command: 'getent passwd', purpose: 'Lists all accounts; look for new ones, uid 0 duplicates and unexpected login shells.' },
      { command: 'getent group sudo wheel', purpose: 'Members of the administrative groups (whichever exists on this distribution).' },
      { command: 'ls -la /etc/passwd /etc/shadow /etc/group /etc/sudoers.d', purpose: 'When the account files and sudo rules last changed.' },
      { command: 'last -F -n 20', purpose: 'Recent logins, to match the change with a session.' },
    ],
    mitigations: [
      {
        summary: 'Limit who can become root: review sudo rights and grant specific commands instead of ALL, so a compromised account cannot manage users.',
        commands: [{ command: 'sudo -l -U <user.name>', purpose: 'Lists what the user may run with sudo (read-only).' }],
        config: { language: 'text', title: '/etc/sudoers.d/<file> (edit with visudo -f)', text: '<user> ALL=(root) /usr/bin/systemctl restart <service>\n' },
      },
    ],
    tuning: {
      summary: 'Allow one user management program when started by one known parent (for example a provisioning agent).',
      yaml: appendException('User mgmt binaries', 'allow_known_user_manager', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Create files below dev',
    source: 'syscall',
    file: FILE,
    detects: 'A file created directly in /dev (creat, or open with O_CREAT) by a program other than a few device tools. The standard device nodes (/dev/null, /dev/stdout, /dev/urandom...) and /dev/tty* are excluded; subdirectories such as /dev/shm are not covered by this rule.',
    attackerGoal: '/dev is full of odd names that nobody inspects, so rootkits and malware hide files or configuration there.',
    mitre: ['T1564.001', 'T1543', 'TA0005', 'TA0003'],
    keyFields: [
      { field: 'fd.name', meaning: 'The file created in /dev.' },
      { field: 'proc.cmdline', meaning: 'The program that created it.' },
      { field: 'proc.pname', meaning: 'Its parent.' },
      { field: 'user.name', meaning: 'The user; creating files in /dev on a host needs root.' },
    ],
    benignCauses: [
      'Storage or device tooling not in the allow list (udev helpers, LVM, multipath, cloud agents).',
      'A typing mistake in a script (for example /dev/nul) that creates a regular file.',
    ],
    investigate: [
      { command: 'ls -la <fd.name>', purpose: 'Type, owner, size and time of the created file.' },
      { command: 'find /dev -maxdepth 1 -type f -ls', purpose: 'Lists regular files directly in /dev, where normally there are none.' },
      { command: 'file <fd.name>', purpose: 'Tells what the content is (text, script, ELF executable).' },
      processesByName,
    ],
    mitigations: [
      {
        summary: 'Containers get their own small /dev from the runtime; keep it that way by refusing privileged pods and hostPath mounts of /dev.',
        commands: enforceBaseline.commands,
      },
    ],
    tuning: {
      summary: 'Allow one program to create one file in /dev.',
      yaml: appendException('Create files below dev', 'allow_known_dev_file', ['proc.exepath', 'fd.name'], ['<proc.exepath>', '<fd.name>']),
    },
  },
  {
    rule: 'Contact EC2 Instance Metadata Service From Container',
    source: 'syscall',
    file: FILE,
    detects: 'An outbound connection from any container to 169.254.169.254, the instance metadata address. The rule has no exclusions until you add them.',
    attackerGoal: 'On EC2 the metadata service hands out the temporary credentials of the instance role: a container that reaches it can act in AWS with the node\'s permissions.',
    mitre: ['T1552.005', 'TA0006'],
    keyFields: [
      { field: 'fd.name', meaning: 'Shown as connection=: the local address and port and 169.254.169.254:80.' },
      { field: 'proc.cmdline', meaning: 'The program that connected: an AWS SDK application, curl or wget, or an agent.' },
      { field: 'container.image.repository', meaning: 'The image of the container that made the call.' },
      { field: 'k8s.ns.name', meaning: 'The namespace of the pod.' },
    ],
    benignCauses: [
      'Applications using AWS SDKs that fall back to the instance role because no pod identity (IRSA, EKS Pod Identity) is configured.',
      'Cluster agents (VPC CNI, CSI drivers, autoscalers, log shippers) that read instance metadata.',
    ],
    investigate: [
      describePod,
      podServiceAccount,
      { command: "aws ec2 describe-instances --instance-ids <instance-id> --query 'Reservations[].Instances[].MetadataOptions'", purpose: 'Shows whether the node requires IMDSv2 tokens and its hop limit.' },
      { command: "aws ec2 describe-instances --instance-ids <instance-id> --query 'Reservations[].Instances[].IamInstanceProfile'", purpose: 'Shows the instance profile whose credentials the container could obtain.' },
    ],
    mitigations: [
      {
        summary: 'Require IMDSv2 and set the response hop limit to 1: token responses then cannot cross the extra network hop into containers that use their own network namespace.',
        commands: [{ command: 'aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required --http-put-response-hop-limit 1', purpose: 'Requires IMDSv2 tokens on the instance and limits them to the host network namespace.', changesSystem: true }],
      },
      denyMetadataEgress,
    ],
    tuning: {
      summary: 'Allow one executable of one image to use the metadata service (for example an agent that needs instance metadata).',
      yaml: appendException('Contact EC2 Instance Metadata Service From Container', 'allow_known_imds_client', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'Contact cloud metadata service from container',
    source: 'syscall',
    file: FILE,
    detects: 'An outbound connection from a container to 169.254.169.254, the metadata address used by AWS, Google Cloud, Azure and others. Pods in the kube-system namespace are excluded.',
    attackerGoal: 'Cloud metadata services return the node\'s identity tokens or credentials and details about the infrastructure; a compromised pod uses them to move from the cluster into the cloud account.',
    mitre: ['T1552.005', 'T1565', 'TA0006', 'TA0007'],
    keyFields: [
      { field: 'fd.name', meaning: 'Shown as connection=: the local address and port and 169.254.169.254:80.' },
      { field: 'proc.cmdline', meaning: 'The program that connected.' },
      { field: 'container.image.repository', meaning: 'The image of the container that made the call.' },
      { field: 'k8s.ns.name', meaning: 'The namespace; system agents outside kube-system are the usual false positives.' },
    ],
    benignCauses: [
      'Cloud SDKs in applications without workload identity falling back to the node\'s identity.',
      'Cloud agents, CSI drivers or monitoring deployed in namespaces other than kube-system.',
    ],
    investigate: [describePod, podServiceAccount, inspectContainer],
    mitigations: [denyMetadataEgress],
    tuning: {
      summary: 'Allow one executable of one image to use the metadata service.',
      yaml: appendException('Contact cloud metadata service from container', 'allow_known_metadata_client', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'Launch Package Management Process in Container',
    source: 'syscall',
    file: FILE,
    detects: 'A package manager (apt, dpkg, yum, dnf, rpm, apk, pip, npm, gem and others) started in a container, unless another package manager started it, the user is _apt, or it is update-alternatives in kube-proxy.',
    attackerGoal: 'Installing packages in a running container brings in the tools the attacker needs (scanners, compilers, shells) and changes the container away from its image.',
    mitre: ['T1505', 'T1105', 'TA0003', 'TA0011'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The package command: what was installed or removed.' },
      { field: 'proc.pname', meaning: 'The parent: an entrypoint script at start-up, or an interactive shell (kubectl exec) later on.' },
      { field: 'proc.tty', meaning: 'Non-zero when run from an interactive terminal.' },
      { field: 'container.image.repository', meaning: 'The image in which it ran.' },
    ],
    benignCauses: [
      'Image builds: each RUN step of a Dockerfile executes in a container.',
      'Entrypoint scripts that install packages at start-up.',
      'Engineers debugging in a running container.',
    ],
    investigate: [
      describePod,
      inspectContainer,
      { command: 'crictl exec <container.id> ls -lat /var/lib/dpkg/info', purpose: 'On Debian-based images, the package files changed most recently appear first.' },
    ],
    mitigations: [hardenedPod],
    tuning: {
      summary: 'Allow one package manager in one image (for example an image whose entrypoint installs plugins).',
      yaml: appendException('Launch Package Management Process in Container', 'allow_known_package_install', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'Launch Suspicious Network Tool in Container',
    source: 'syscall',
    file: FILE,
    detects: 'Any start of nc, ncat, netcat, nmap, dig, tcpdump, tshark, ngrep, telnet, mitmproxy, socat or zmap inside a container.',
    attackerGoal: 'These tools scan the network, sniff traffic, open reverse shells or relay connections: the usual next steps after getting into a container.',
    mitre: ['T1046', 'T1040', 'T1059', 'TA0007', 'TA0002'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The tool and its arguments: a scan target, a listen port (-l), an exec option (-e) or a capture filter.' },
      { field: 'proc.pname', meaning: 'The parent: a probe script, or a shell opened by a person or an exploit.' },
      { field: 'container.image.repository', meaning: 'The image in which it ran.' },
      { field: 'proc.tty', meaning: 'Non-zero when typed interactively.' },
    ],
    benignCauses: [
      'Readiness or liveness probes using nc -z to test a port.',
      'Engineers debugging DNS or connectivity from inside a pod.',
    ],
    investigate: [describePod, inspectContainer, processesByName],
    mitigations: [
      {
        summary: 'Build images without network tools (distroless or minimal images) and keep the root filesystem read-only so they cannot be added later.',
        config: hardenedPod.config,
      },
    ],
    tuning: {
      summary: 'Allow one tool in one image when started by one parent (for example nc used by a probe script).',
      yaml: appendException('Launch Suspicious Network Tool in Container', 'allow_known_network_tool', ['container.image.repository', 'proc.exepath', 'proc.pname'], ['<container.image.repository>', '<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Launch Suspicious Network Tool on Host',
    source: 'syscall',
    file: FILE,
    detects: 'Any start of nc, ncat, netcat, nmap, dig, tcpdump, tshark, ngrep, telnet, mitmproxy, socat or zmap on the host, outside containers.',
    attackerGoal: 'On a node these tools map the network, capture traffic of every pod, or open and relay shells.',
    mitre: ['T1046', 'T1040', 'T1059', 'TA0007', 'TA0002'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The tool and its arguments.' },
      { field: 'proc.pname', meaning: 'The parent: an administrator\'s shell, a monitoring script or something unexpected.' },
      { field: 'user.loginuid', meaning: 'The login user; -1 means a service or the container runtime started it.' },
      { field: 'proc.tty', meaning: 'Non-zero when typed on a terminal.' },
    ],
    benignCauses: [
      'Administrators troubleshooting with dig, tcpdump or nc.',
      'Monitoring or port-forwarding helpers that use socat or nc.',
    ],
    investigate: [
      processesByName,
      { command: 'last -F -n 20', purpose: 'Recent logins, to match the command with an administrator\'s session.' },
      debOwner,
    ],
    mitigations: [
      {
        summary: 'Do not install network tools on production nodes; remove the ones that are not needed (this changes the system: check first that no script depends on them).',
        commands: [{ command: 'apt-get remove <package>', purpose: 'Removes the package that provides the tool (on RPM systems: dnf remove).', changesSystem: true }],
      },
    ],
    tuning: {
      summary: 'Allow one tool when started by one known parent (for example a monitoring script).',
      yaml: appendException('Launch Suspicious Network Tool on Host', 'allow_known_host_network_tool', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Delete or rename shell history',
    source: 'syscall',
    file: FILE,
    detects: 'Renaming or deleting a bash, zsh or fish history file, or opening one for writing with O_TRUNC (emptying it). Files under /var/lib/docker and Docker\'s own programs are excluded.',
    attackerGoal: 'Wiping shell history removes the record of the commands the attacker typed.',
    mitre: ['T1070', 'T1070.003', 'TA0005'],
    keyFields: [
      { field: 'fd.name', meaning: 'The history file when it was truncated on open.' },
      { field: 'evt.arg.name', meaning: 'The history file removed by unlinkat; evt.arg.path holds it for unlink and rmdir, evt.arg.oldpath for a rename.' },
      { field: 'proc.cmdline', meaning: 'What removed or emptied it: rm, a shell exiting, a cleanup script.' },
      { field: 'user.loginuid', meaning: 'The login user behind it.' },
    ],
    benignCauses: [
      'A shell exiting normally: bash without histappend rewrites its history file, which opens it with O_TRUNC.',
      'Image builds or cleanup scripts removing history files.',
    ],
    investigate: [
      { command: 'ls -la <fd.name>', purpose: 'Whether the history file still exists, its size and last change.' },
      { command: 'last -F -n 20', purpose: 'Recent logins around the time of the alert.' },
      { command: 'aureport --tty', purpose: 'Keystrokes of terminal sessions, if pam_tty_audit is enabled (needs auditd).' },
    ],
    mitigations: [
      {
        summary: 'Record interactive sessions where the user cannot erase them: pam_tty_audit sends typed commands to the audit log (passwords are not logged unless log_passwd is set). Requires auditd.',
        config: { language: 'text', title: '/etc/pam.d/sshd (add the line)', text: 'session required pam_tty_audit.so enable=*\n' },
      },
    ],
    tuning: {
      summary: 'Allow one program started by one parent for one user to remove or empty history files (for example a cleanup job).',
      yaml: appendException('Delete or rename shell history', 'allow_known_history_cleanup', ['proc.exepath', 'proc.pname', 'user.name'], ['<proc.exepath>', '<proc.pname>', '<user.name>']),
    },
  },
  {
    rule: 'Set Setuid or Setgid bit',
    source: 'syscall',
    file: FILE,
    detects: 'A chmod, fchmod or fchmodat call whose new mode includes S_ISUID or S_ISGID, except by kubelet, hyperkube, k3s-agent and docker save.',
    attackerGoal: 'A setuid-root copy of a shell or other program lets any user who runs it act as root later: a simple persistent privilege escalation.',
    mitre: ['T1548.001', 'T1222.002', 'TA0004', 'TA0005'],
    keyFields: [
      { field: 'evt.arg.filename', meaning: 'The file whose mode changed (chmod, fchmodat); for fchmod see evt.arg.fd.' },
      { field: 'evt.arg.mode', meaning: 'The new mode, with S_ISUID (setuid) or S_ISGID (setgid) among the flags.' },
      { field: 'proc.cmdline', meaning: 'The command that changed it (chmod u+s, a package manager, an installer).' },
      { field: 'user.name', meaning: 'The user; setting setuid on a root-owned file needs root.' },
    ],
    benignCauses: [
      'Package installation setting setuid on programs such as sudo, passwd or ping.',
      'chmod g+s on shared directories, so new files inherit the group.',
    ],
    investigate: [
      { command: 'ls -la <evt.arg.filename>', purpose: 'Owner and mode of the file: an s in the owner or group bits confirms it.' },
      { command: 'find / -xdev -type f \\( -perm -4000 -o -perm -2000 \\) -ls', purpose: 'Lists every setuid or setgid file on the root filesystem, to spot unknown ones.' },
      debOwner,
    ],
    mitigations: [
      {
        summary: 'Mount writable locations with nosuid so setuid bits there have no effect; for a separate /tmp mount, add the option in /etc/fstab and remount.',
        config: { language: 'text', title: '/etc/fstab (line for a tmpfs /tmp)', text: 'tmpfs /tmp tmpfs defaults,nosuid,nodev 0 0\n' },
        commands: [{ command: 'mount -o remount,nosuid,nodev /tmp', purpose: 'Applies nosuid and nodev to the mounted /tmp now (only if /tmp is its own mount).', changesSystem: true }],
      },
      {
        summary: 'In containers, forbid privilege escalation: no_new_privs makes the kernel ignore setuid and setgid bits at exec.',
        config: { language: 'yaml', title: 'Container securityContext', text: 'securityContext:\n  allowPrivilegeEscalation: false\n' },
      },
    ],
    tuning: {
      summary: 'Allow one program started by one parent to set these bits (for example an installer).',
      yaml: appendException('Set Setuid or Setgid bit', 'allow_known_setuid_setter', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Launch Remote File Copy Tools in Container',
    source: 'syscall',
    file: FILE,
    detects: 'Any start of rsync, scp, sftp or dcp inside a container.',
    attackerGoal: 'These tools move files out of (or into) the container over SSH or rsync, a simple way to exfiltrate data.',
    mitre: ['T1020', 'T1048', 'TA0010'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The copy command: source, destination host and path.' },
      { field: 'proc.pname', meaning: 'The parent: a backup script or an interactive shell.' },
      { field: 'container.image.repository', meaning: 'The image in which it ran.' },
    ],
    benignCauses: [
      'Backup or synchronisation sidecars using rsync.',
      'Data migration jobs.',
    ],
    investigate: [describePod, inspectContainer, processesByName],
    mitigations: [
      {
        summary: 'Deny egress by default and allow only the destinations the workload needs, so copies to other hosts fail; build images without copy tools.',
        config: {
          language: 'yaml', title: 'NetworkPolicy',
          text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-egress\n  namespace: <k8s.ns.name>\nspec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n',
        },
      },
    ],
    tuning: {
      summary: 'Allow one copy tool in one image (for example a backup sidecar).',
      yaml: appendException('Launch Remote File Copy Tools in Container', 'allow_known_file_copy', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'Network Connection outside Local Subnet',
    source: 'syscall',
    file: FILE,
    detects: 'An IPv4 or IPv6 connection (accept, listen or connect) from a container in one of the namespaces listed in namespace_scope_network_only_subnet, whose remote address is not in the RFC 1918 ranges or loopback. The list is empty as shipped, so the rule fires only after you add namespaces to it.',
    attackerGoal: 'A workload meant to talk only inside the private network that reaches the Internet may be sending data out or contacting a command-and-control server.',
    mitre: ['T1046', 'T1041', 'TA0007', 'TA0010'],
    keyFields: [
      { field: 'fd.name', meaning: 'Shown as connection=: local and remote address and port.' },
      { field: 'fd.rip.name', meaning: 'The DNS name Falco associates with the remote address, when it knows one.' },
      { field: 'fd.rport', meaning: 'The remote port.' },
      { field: 'proc.cmdline', meaning: 'The program that made the connection.' },
    ],
    benignCauses: [
      'Calls to public cloud APIs or SaaS endpoints that the application legitimately uses.',
      'Pods using public IP ranges internally (carrier-grade NAT 100.64.0.0/10 is not in the rule\'s list).',
    ],
    investigate: [
      describePod,
      { command: 'kubectl get networkpolicy -n <k8s.ns.name>', purpose: 'NetworkPolicies in force in the namespace.' },
      inspectContainer,
    ],
    mitigations: [
      {
        summary: 'Enforce what the rule expects: allow egress only to your internal networks (one ipBlock per range, such as the RFC 1918 ranges the rule treats as local), so connections outside them fail.',
        config: {
          language: 'yaml', title: 'NetworkPolicy',
          text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: private-egress-only\n  namespace: <k8s.ns.name>\nspec:\n  podSelector: {}\n  policyTypes: ["Egress"]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: <internal_cidr>\n',
        },
      },
    ],
    tuning: {
      summary: 'Allow one program of one image to reach one remote port outside the local network (for example a known public API).',
      yaml: appendException('Network Connection outside Local Subnet', 'allow_known_external_destination', ['container.image.repository', 'proc.exepath', 'fd.rport'], ['<container.image.repository>', '<proc.exepath>', '<fd.rport>']),
    },
  },
  {
    rule: 'Mount Launched in Privileged Container',
    source: 'syscall',
    file: FILE,
    detects: 'The mount program started with arguments, none of them -V, -l or -h, inside a privileged container, except the cloud CSI drivers of GKE, AKS and EKS.',
    attackerGoal: 'From a privileged container, mounting the host\'s disk gives full access to the host filesystem: a direct container escape.',
    mitre: ['T1611', 'TA0004'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The mount command: a host block device (such as /dev/sda1 or /dev/nvme0n1p1) or a cgroup filesystem are typical escapes.' },
      { field: 'proc.pname', meaning: 'The parent: a storage driver, or a shell opened in the container.' },
      { field: 'container.image.repository', meaning: 'The privileged image in which it ran.' },
      { field: 'k8s.ns.name', meaning: 'The namespace of the pod.' },
    ],
    benignCauses: [
      'CSI node plugins and storage agents not in the rule\'s lists (Rook/Ceph, Longhorn, NFS provisioners).',
      'Docker-in-Docker or image build tools running privileged.',
    ],
    investigate: [
      describePod,
      inspectContainer,
      { command: 'findmnt -l', purpose: 'Lists the mounts on the host: a host disk mounted a second time under a container path stands out (run it on the node).' },
    ],
    mitigations: [enforceBaseline],
    tuning: {
      summary: 'Allow mount in one privileged image of one namespace (for example a storage driver).',
      yaml: appendException('Mount Launched in Privileged Container', 'allow_known_mounting_image', ['container.image.repository', 'k8s.ns.name'], ['<container.image.repository>', '<k8s.ns.name>']),
    },
  },
  {
    rule: 'Launch Ingress Remote File Copy Tools in Container',
    source: 'syscall',
    file: FILE,
    detects: 'wget started in a container, or curl with an option that saves to a file (-o, --output, -O, --remote-name).',
    attackerGoal: 'Downloading files into a running container brings in tools, scripts or malware (ingress tool transfer).',
    mitre: ['T1105', 'TA0011'],
    keyFields: [
      { field: 'proc.cmdline', meaning: 'The URL fetched and where it was saved.' },
      { field: 'proc.pname', meaning: 'The parent: an init or entrypoint script, or a shell opened in the container.' },
      { field: 'container.image.repository', meaning: 'The image in which it ran.' },
      { field: 'evt.arg.flags', meaning: 'Flags of the executable: EXE_UPPER_LAYER means the curl or wget binary itself was added after the image was built.' },
    ],
    benignCauses: [
      'Init containers or entrypoint scripts downloading configuration or plugins at start-up.',
      'Health checks that use wget.',
    ],
    investigate: [
      describePod,
      inspectContainer,
      { command: 'crictl exec <container.id> ls -lat /tmp', purpose: 'Recently written files in the container\'s /tmp, a common download location.' },
    ],
    mitigations: [hardenedPod],
    tuning: {
      summary: 'Allow downloads by one tool in one image when started by one parent (for example an init script).',
      yaml: appendException('Launch Ingress Remote File Copy Tools in Container', 'allow_known_download', ['container.image.repository', 'proc.exepath', 'proc.pname'], ['<container.image.repository>', '<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Read environment variable from /proc files',
    source: 'syscall',
    file: FILE,
    detects: 'A process in a container opening /proc/<pid>/environ (including /proc/self/environ) for reading, except scsi_id and argoexec.',
    attackerGoal: 'Environment variables often hold secrets (API keys, database passwords, tokens); reading other processes\' environments collects them.',
    mitre: ['T1552', 'T1083', 'TA0006', 'TA0007'],
    keyFields: [
      { field: 'fd.name', meaning: 'Which process\'s environment was read (/proc/<pid>/environ).' },
      { field: 'proc.cmdline', meaning: 'The reader: cat, strings, a script, or an agent.' },
      { field: 'proc.aname[2]', meaning: 'Shown as gparent (with ggparent and gggparent): the ancestors, which show the chain that led to the read.' },
      { field: 'container.image.repository', meaning: 'The image in which it ran.' },
    ],
    benignCauses: [
      'Monitoring and APM agents that read process environments.',
      'Process inspection such as ps e, or supervisors that re-read their children\'s environments.',
    ],
    investigate: [describePod, inspectContainer, processesByName],
    mitigations: [
      {
        summary: 'Keep secrets out of environment variables: mount them as read-only files that only the application user can read.',
        config: {
          language: 'yaml', title: 'Pod spec (secret as a file)',
          text: 'spec:\n  containers:\n    - name: <container>\n      volumeMounts:\n        - name: app-secret\n          mountPath: /var/run/secrets/app\n          readOnly: true\n  volumes:\n    - name: app-secret\n      secret:\n        secretName: <secret>\n        defaultMode: 0400\n',
        },
      },
    ],
    tuning: {
      summary: 'Allow one program in one image to read process environments (for example a monitoring agent).',
      yaml: appendException('Read environment variable from /proc files', 'allow_known_environ_reader', ['container.image.repository', 'proc.exepath'], ['<container.image.repository>', '<proc.exepath>']),
    },
  },
  {
    rule: 'Exfiltrating Artifacts via Kubernetes Control Plane',
    source: 'syscall',
    file: FILE,
    detects: 'tar, started directly by the container runtime and without a terminal, reading files in a container outside /etc, /proc, /lib, /run and /usr: the pattern of kubectl cp copying files out of a pod.',
    attackerGoal: 'With stolen Kubernetes credentials that allow pods/exec, kubectl cp copies secrets, keys and data out of a container without any network tool inside it.',
    mitre: ['T1609', 'T1041', 'TA0002', 'TA0010'],
    keyFields: [
      { field: 'fd.name', meaning: 'A file being copied out.' },
      { field: 'proc.cmdline', meaning: 'The tar command; tar cf - <path> is what kubectl cp runs.' },
      { field: 'k8s.pod.name', meaning: 'The pod the files were taken from (with k8s.ns.name).' },
      { field: 'container.image.repository', meaning: 'The image of that container.' },
    ],
    benignCauses: [
      'Engineers or support scripts copying logs or dumps out with kubectl cp.',
      'Backup or migration scripts built on kubectl cp.',
    ],
    investigate: [
      describePod,
      { command: 'kubectl auth can-i create pods --subresource=exec -n <k8s.ns.name> --as=<user>', purpose: 'Tells whether a given user may exec into pods of the namespace (what kubectl cp needs).' },
      { command: 'kubectl get rolebindings,clusterrolebindings -A -o wide', purpose: 'Lists the bindings, to find who holds roles with pods/exec (the built-in edit and admin roles include it).' },
    ],
    mitigations: [
      {
        summary: 'Grant pods/exec only to the few who need it: give everyone else a role that can read pods and logs but not exec (the built-in edit and admin roles include exec). Audit-log pods/exec requests.',
        config: {
          language: 'yaml', title: 'Role (read-only, no exec)',
          text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: pod-reader-no-exec\n  namespace: <k8s.ns.name>\nrules:\n  - apiGroups: [""]\n    resources: ["pods", "pods/log"]\n    verbs: ["get", "list", "watch"]\n',
        },
      },
    ],
    tuning: {
      summary: 'Allow kubectl cp out of one image in one namespace (for example a log collection routine).',
      yaml: appendException('Exfiltrating Artifacts via Kubernetes Control Plane', 'allow_known_kubectl_cp', ['k8s.ns.name', 'container.image.repository'], ['<k8s.ns.name>', '<container.image.repository>']),
    },
  },
  {
    rule: 'Adding ssh keys to authorized_keys',
    source: 'syscall',
    file: FILE,
    detects: 'A program other than the OpenSSH tools opening an authorized_keys file under /home/<user>/.ssh/ or /root/.ssh for writing.',
    attackerGoal: 'A key added to authorized_keys lets the attacker log in again over SSH as that user, root included, without a password.',
    mitre: ['T1098.004', 'TA0003'],
    keyFields: [
      { field: 'fd.name', meaning: 'The authorized_keys file; /root/.ssh/authorized_keys grants root logins.' },
      { field: 'proc.cmdline', meaning: 'The writer: an editor, echo or tee in a shell, a provisioning agent.' },
      { field: 'user.loginuid', meaning: 'The login user behind the change; -1 means a daemon.' },
      { field: 'proc.pname', meaning: 'The parent process.' },
    ],
    benignCauses: [
      'Cloud agents (cloud-init, google_guest_agent, the Azure agent) installing keys from instance metadata.',
      'Configuration management deploying keys, or a user adding their own key.',
    ],
    investigate: [
      { command: 'ls -la <fd.name>', purpose: 'When the file last changed and who owns it.' },
      { command: 'ssh-keygen -l -f <fd.name>', purpose: 'Fingerprints and comments of every key in the file, to compare with the keys you issued.' },
      { command: 'last -F -n 20', purpose: 'Recent logins, including any made with a new key.' },
    ],
    mitigations: [
      {
        summary: 'Let only root manage keys: point sshd at a root-owned directory so users (and attackers acting as them) cannot add keys. Copy the existing keys there first, then check and reload sshd.',
        config: { language: 'text', title: '/etc/ssh/sshd_config', text: 'AuthorizedKeysFile /etc/ssh/authorized_keys/%u\n' },
        commands: [
          { command: 'sshd -t', purpose: 'Checks the configuration before reloading.' },
          { command: 'systemctl reload sshd', purpose: 'Applies the configuration (existing sessions stay open).', changesSystem: true },
        ],
      },
    ],
    tuning: {
      summary: 'Allow one program to write one authorized_keys file (for example a cloud guest agent).',
      yaml: appendException('Adding ssh keys to authorized_keys', 'allow_known_key_manager', ['proc.exepath', 'fd.name'], ['<proc.exepath>', '<fd.name>']),
    },
  },
  {
    rule: 'Potential Local Privilege Escalation via Environment Variables Misuse',
    source: 'syscall',
    file: FILE,
    detects: 'Any program started with GLIBC_TUNABLES (any letter case) in its environment.',
    attackerGoal: 'A crafted GLIBC_TUNABLES value passed to a setuid program exploits a buffer overflow in the dynamic loader of vulnerable glibc versions (CVE-2023-4911, "Looney Tunables") to get root.',
    mitre: ['T1068', 'T1574.006', 'TA0004'],
    keyFields: [
      { field: 'proc.env', meaning: 'The environment: a very long or repeated GLIBC_TUNABLES value is an exploit attempt; a short glibc.malloc.* setting is tuning.' },
      { field: 'proc.cmdline', meaning: 'The program started; exploits target setuid programs such as su.' },
      { field: 'user.name', meaning: 'The user who started it; an exploit runs as an unprivileged user.' },
      { field: 'evt.arg.flags', meaning: 'Flags of the executable; EXE_WRITABLE or EXE_UPPER_LAYER point to a dropped binary.' },
    ],
    benignCauses: [
      'Performance tuning of the allocator or threads (glibc.malloc.arena_max, glibc.pthread.rseq) for Java, databases or other runtimes.',
      'CPU feature tunables (glibc.cpu.hwcaps) set to work around a processor or virtualisation issue.',
    ],
    investigate: [
      { command: 'ldd --version', purpose: 'Shows the glibc version of the host (inside a container, run it there: each image has its own glibc).' },
      { command: 'dpkg -s libc6', purpose: 'Package version of glibc on Debian/Ubuntu, to compare with the distribution\'s fix for CVE-2023-4911 (on RPM systems: rpm -q glibc).' },
      processesByName,
    ],
    mitigations: [
      {
        summary: 'Install the glibc update that fixes CVE-2023-4911, then restart services or reboot so no process keeps the old loader.',
        commands: [
          { command: 'apt-get install --only-upgrade libc6', purpose: 'Upgrades glibc on Debian/Ubuntu.', changesSystem: true },
          { command: 'dnf upgrade glibc', purpose: 'Upgrades glibc on RHEL, Fedora and derivatives.', changesSystem: true },
        ],
      },
    ],
    tuning: {
      summary: 'Allow one program started by one parent to run with GLIBC_TUNABLES (a known tuning setting).',
      yaml: appendException('Potential Local Privilege Escalation via Environment Variables Misuse', 'allow_known_glibc_tuning', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
  {
    rule: 'Backdoored library loaded into SSHD (CVE-2024-3094)',
    source: 'syscall',
    file: FILE,
    detects: 'sshd opening a file whose name contains liblzma.so.5.6.0 or liblzma.so.5.6.1, the xz/liblzma releases that shipped the backdoor. sshd loads liblzma only when it is linked with libsystemd, as on several distributions.',
    attackerGoal: 'The backdoor hooks sshd\'s authentication so that the holder of a private key can run commands on the server before logging in.',
    mitre: ['T1195.002', 'T1556', 'TA0001', 'TA0006'],
    keyFields: [
      { field: 'fd.name', meaning: 'The liblzma file sshd loaded; its version is in the name.' },
      { field: 'proc.cmdline', meaning: 'The sshd command line.' },
      { field: 'proc.pname', meaning: 'The parent, usually systemd or the listening sshd.' },
      { field: 'container.id', meaning: '"host" for the node\'s own sshd; otherwise the image in the container bundles the library.' },
    ],
    benignCauses: [
      'A liblzma 5.6.0 or 5.6.1 built from the git sources rather than the release tarballs, which did not contain the backdoor: rare, confirm with your distribution.',
      'Authorised detection tests that make sshd open a file with such a name to check that the rule fires.',
    ],
    investigate: [
      { command: 'ls -la <fd.name>', purpose: 'The library file and its install time.' },
      { command: 'sha256sum <fd.name>', purpose: 'Hash of the library, to compare with published hashes of the backdoored builds.' },
      { command: 'dpkg -s liblzma5', purpose: 'The installed liblzma package version on Debian/Ubuntu (on RPM systems: rpm -q xz-libs).' },
    ],
    mitigations: [
      {
        summary: 'Replace liblzma with a fixed version from your distribution, restart sshd, and treat the host as possibly compromised (rotate host keys and credentials if sshd was reachable).',
        commands: [
          { command: 'apt-get install --only-upgrade liblzma5 xz-utils', purpose: 'Installs the distribution\'s fixed liblzma on Debian/Ubuntu.', changesSystem: true },
          { command: 'dnf upgrade xz-libs xz', purpose: 'Installs the fixed liblzma on Fedora and derivatives.', changesSystem: true },
          { command: 'systemctl restart sshd', purpose: 'Restarts sshd so it loads the fixed library.', changesSystem: true },
        ],
      },
    ],
    tuning: {
      summary: 'Only after your distribution confirms that this exact library file is a clean build: allow it for sshd. Upgrading is the better fix.',
      yaml: appendException('Backdoored library loaded into SSHD (CVE-2024-3094)', 'allow_verified_clean_liblzma', ['proc.exepath', 'fd.name'], ['<proc.exepath>', '<fd.name>']),
    },
  },
  {
    rule: 'BPF Program Not Profiled',
    source: 'syscall',
    file: FILE,
    detects: 'A bpf system call with the BPF_PROG_LOAD command (loading an eBPF program into the kernel) by a program other than falco, bpftool or systemd.',
    attackerGoal: 'eBPF programs run in the kernel: malicious ones hide processes and files, intercept traffic or credentials, and act as rootkits.',
    mitre: ['T1014', 'T1547.006', 'TA0003', 'TA0005'],
    keyFields: [
      { field: 'evt.arg.cmd', meaning: 'The bpf command; BPF_PROG_LOAD (5) loads a program.' },
      { field: 'proc.cmdline', meaning: 'The loader: an observability or networking agent, a container runtime, or an unknown binary.' },
      { field: 'proc.exepath', meaning: 'Where the loader runs from.' },
      { field: 'user.uid', meaning: 'Loading most program types needs root or CAP_BPF with CAP_PERFMON or CAP_NET_ADMIN.' },
    ],
    benignCauses: [
      'eBPF-based agents: Cilium, Tetragon, Pixie, Datadog, Parca and other observability or security tools.',
      'Container runtimes (runc, crun) loading device-control programs for cgroup v2 when starting containers.',
    ],
    investigate: [
      { command: 'bpftool prog show', purpose: 'Lists the eBPF programs loaded in the kernel, with the pids that hold them.' },
      processesByName,
      debOwner,
      { command: 'sysctl kernel.unprivileged_bpf_disabled', purpose: 'Shows whether unprivileged users may use bpf (1 or 2 means no).' },
    ],
    mitigations: [
      {
        summary: 'Forbid bpf() to unprivileged users. With 1 the setting is locked until the next reboot; 2 also forbids it but lets an administrator change it back.',
        config: { language: 'text', title: '/etc/sysctl.d/90-bpf.conf', text: 'kernel.unprivileged_bpf_disabled = 1\n' },
        commands: [{ command: 'sysctl --system', purpose: 'Loads the sysctl configuration files now.', changesSystem: true }],
      },
      {
        summary: 'Do not give containers CAP_BPF or CAP_SYS_ADMIN, and keep the runtime\'s default seccomp profile, which refuses bpf to containers without those capabilities.',
        config: hardenedPod.config,
      },
    ],
    tuning: {
      summary: 'Allow one loader started by one parent (for example an eBPF agent or the container runtime).',
      yaml: appendException('BPF Program Not Profiled', 'allow_known_bpf_loader', ['proc.exepath', 'proc.pname'], ['<proc.exepath>', '<proc.pname>']),
    },
  },
];
