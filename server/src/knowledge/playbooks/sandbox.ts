// Playbooks of the rules in the sandbox set (falco-sandbox_rules.yaml, rules 5.1.0 as bundled with Falco 0.44).
// Written for Falco Lens from a reading of each rule's condition and macros; facts only from the rules files.
// Investigation commands are read-only; every command that changes the system says so. Placeholders: `<field.name>`
// is filled (shell-quoted) from the alert, `<word>` is left for the user.
import type { Mitigation, Playbook, ShellCommand } from '../types';
import { withProcessName } from './processKey';

type KeyField = Playbook['keyFields'][number];

const FILE = 'falco-sandbox_rules.yaml';

// ---------------------------------------------------------------------------------------------------------------
// Key fields that many sandbox rules print, with how to read them.

const KF = {
  procName: { field: 'proc.name', meaning: 'Name of the program that did it (at most 15 characters, as the kernel stores it).' },
  exepath: { field: 'proc.exepath', meaning: 'Full path of the executable; a path under /tmp, /dev/shm or a home directory is a red flag.' },
  cmdline: { field: 'proc.cmdline', meaning: 'The program and its arguments, as started.' },
  pname: { field: 'proc.pname', meaning: 'Name of the parent process: what launched the program (a shell, a web server, cron, the container runtime).' },
  pcmdline: { field: 'proc.pcmdline', meaning: "The parent's command line: tells an installer or configuration tool apart from an interactive shell." },
  aname2: { field: 'proc.aname[2]', meaning: 'The grandparent process name, one more step up the process tree.' },
  userName: { field: 'user.name', meaning: 'Account the process ran as (inside a container, the container user).' },
  userUid: { field: 'user.uid', meaning: 'Numeric user id; 0 is root.' },
  loginuid: { field: 'user.loginuid', meaning: 'User id of the login session behind the process; -1 means no login session (a service or the container runtime started it); another uid is the account that logged in (or whose cron job ran).' },
  tty: { field: 'proc.tty', meaning: 'Controlling terminal: 0 means none (a service or script), non-zero means an interactive terminal such as ssh, docker exec -it or kubectl exec -it.' },
  fdName: { field: 'fd.name', meaning: 'The file (full path) or the connection (client:port->server:port) the event is about.' },
  evtType: { field: 'evt.type', meaning: 'The system call that matched (openat, rename, connect...).' },
  exeFlags: { field: 'evt.arg.flags', meaning: 'Flags of the started executable: EXE_UPPER_LAYER means the binary sits in the container\'s writable layer (it was added after the container started), EXE_WRITABLE that the running user can modify it, EXE_FROM_MEMFD that it runs from memory.' },
  lport: { field: 'fd.lport', meaning: 'Local port of the socket: the service port for an inbound connection.' },
  rport: { field: 'fd.rport', meaning: 'Remote port: the destination service port for an outbound connection.' },
  l4proto: { field: 'fd.l4proto', meaning: 'Transport protocol: tcp or udp.' },
  image: { field: 'container.image.repository', meaning: 'Image of the container (empty on the host); tells which workload it was.' },
  pod: { field: 'k8s.pod.name', meaning: 'Kubernetes pod of the container, when Falco runs on a Kubernetes node.' },
} satisfies Record<string, KeyField>;

// ---------------------------------------------------------------------------------------------------------------
// Investigation commands shared by several playbooks (all read-only).

const psByName: ShellCommand = { command: 'ps -o pid,ppid,user,lstart,args -C <proc.name>', purpose: 'Lists the running processes with this name, with their parent, owner, start time and arguments.' };
const psTree: ShellCommand = { command: 'ps -eo pid,ppid,user,lstart,args --forest', purpose: 'Shows the whole process tree, to see what started the process and what it started in turn.' };
const hashExe: ShellCommand = { command: 'sha256sum -- <proc.exepath>', purpose: 'Hashes the executable, to compare it with the packaged file or look it up in threat intelligence.' };
const statFile: ShellCommand = { command: 'stat -- <fd.name>', purpose: 'Shows owner, mode and change times of the file (for a container event, run it in the container with crictl exec).' };
const lsFile: ShellCommand = { command: 'ls -la -- <fd.name>', purpose: 'Shows whether the file still exists, its owner, mode and size.' };
const debOwner: ShellCommand = { command: 'dpkg -S <fd.name>', purpose: 'On Debian or Ubuntu, names the package that owns the file; no package means it was added by hand.' };
const rpmOwner: ShellCommand = { command: 'rpm -qf <fd.name>', purpose: 'On RHEL, Fedora or SUSE, names the package that owns the file.' };
const crictlInspect: ShellCommand = { command: 'crictl inspect <container.id>', purpose: 'Shows the container\'s image, mounts, security settings and labels (on a Docker host use docker inspect).' };
const describePod: ShellCommand = { command: 'kubectl describe pod <k8s.pod.name> -n <k8s.ns.name>', purpose: 'Shows the pod\'s owner, images, volumes, service account and recent events.' };
const podVolumes: ShellCommand = { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.volumes}'", purpose: 'Lists the pod\'s volumes, including hostPath mounts of node directories.' };
const podSecurity: ShellCommand = { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.securityContext}{.spec.containers[*].securityContext}'", purpose: 'Shows the pod and container security settings (user, privileged, capabilities, read-only root).' };
const podLogs: ShellCommand = { command: 'kubectl logs <k8s.pod.name> -n <k8s.ns.name> --all-containers --since=1h | cat -v', purpose: 'Shows what the application logged around the time of the alert.' };
const socketsOfRemote: ShellCommand = { command: 'ss -tanp dst <fd.rip>', purpose: 'Lists current TCP connections to or from that remote address, with the owning process.' };
const allSockets: ShellCommand = { command: 'ss -tanp', purpose: 'Lists all TCP connections and listeners with the owning process (run in the container\'s network namespace for a pod).' };
const listeners: ShellCommand = { command: 'ss -tulnp', purpose: 'Lists listening TCP and UDP sockets with the owning process.' };
const userCron: ShellCommand = { command: 'crontab -l -u <user.name>', purpose: 'Lists the scheduled jobs of the account, a common place for persistence.' };
const timers: ShellCommand = { command: 'systemctl list-timers --all', purpose: 'Lists systemd timers, another common place for persistence.' };
const debVerify: ShellCommand = { command: 'dpkg --verify', purpose: 'On Debian or Ubuntu, lists packaged files whose content no longer matches the package.' };
const rpmVerify: ShellCommand = { command: 'rpm -Va', purpose: 'On RPM systems, lists packaged files whose size, digest, mode or owner changed.' };
const recentBinaries: ShellCommand = { command: 'find -H /bin /sbin /usr/bin /usr/sbin -xdev -mtime -1 -ls', purpose: 'Lists files in the system binary directories changed during the last day.' };

// ---------------------------------------------------------------------------------------------------------------
// Mitigations shared by several playbooks.

const readOnlyRootFs: Mitigation = {
  summary: 'Run the container with a read-only root filesystem and without privilege escalation, so nothing in the image can be added or replaced at run time; give the application writable scratch space only where it needs it (runAsNonRoot also needs an image with a non-root USER).',
  config: {
    language: 'yaml',
    title: 'Container entry of the pod spec (Deployment, StatefulSet, DaemonSet or Job template)',
    text: [
      'containers:',
      '  - name: <container>',
      '    securityContext:',
      '      readOnlyRootFilesystem: true',
      '      allowPrivilegeEscalation: false',
      '      runAsNonRoot: true',
      '    volumeMounts:',
      '      - name: scratch',
      '        mountPath: /tmp',
      'volumes:',
      '  - name: scratch',
      '    emptyDir: {}',
    ].join('\n'),
  },
};

const systemdProtect = (level: 'full' | 'strict'): Mitigation => ({
  summary: level === 'full'
    ? 'On hosts, confine network-facing services with systemd so that /usr, /boot, /etc and home directories are read-only for them; a compromised service can then no longer plant files there.'
    : 'On hosts, confine network-facing services with systemd so that the whole filesystem is read-only for them except the paths listed in ReadWritePaths.',
  config: {
    language: 'ini',
    title: '/etc/systemd/system/<service>.service.d/hardening.conf',
    text: level === 'full'
      ? '[Service]\nProtectSystem=full\nProtectHome=read-only\nNoNewPrivileges=yes'
      : '[Service]\nProtectSystem=strict\nReadWritePaths=<writable_path>\nProtectHome=read-only\nNoNewPrivileges=yes',
  },
  commands: [
    { command: 'systemctl daemon-reload', purpose: 'Makes systemd read the new drop-in file.', changesSystem: true },
    { command: 'systemctl restart <service>', purpose: 'Restarts the service with the restrictions (test it first: it fails if it needs to write elsewhere).', changesSystem: true },
  ],
});

const podSecurityBaseline: Mitigation = {
  summary: 'Enforce the Pod Security Standard "baseline" (or "restricted") on the namespace: it rejects privileged pods, hostPath volumes, host namespaces and capabilities beyond the default set. Existing pods keep running; new ones that break the standard are refused, so check warnings first.',
  commands: [
    { command: 'kubectl label --overwrite namespace <k8s.ns.name> pod-security.kubernetes.io/enforce=baseline', purpose: 'Turns on enforcement of the baseline standard for the namespace.', changesSystem: true },
  ],
};

const egressDefaultDeny: Mitigation = {
  summary: 'Deny outbound traffic by default for the namespace and allow only DNS and the destinations the application needs: downloads, reverse shells and pool connections then fail (the cluster\'s network plugin must enforce NetworkPolicy).',
  config: {
    language: 'yaml',
    title: 'NetworkPolicy (add one allow rule per required destination)',
    text: [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: default-deny-egress',
      '  namespace: <k8s.ns.name>',
      'spec:',
      '  podSelector: {}',
      '  policyTypes:',
      '    - Egress',
      '  egress:',
      '    - to:',
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: kube-system',
      '          podSelector:',
      '            matchLabels:',
      '              k8s-app: kube-dns',
      '      ports:',
      '        - protocol: UDP',
      '          port: 53',
      '        - protocol: TCP',
      '          port: 53',
    ].join('\n'),
  },
};

const phpDisableFunctions: Mitigation = {
  summary: 'If the web application is PHP, remove its ability to run programs: with these functions disabled a web shell cannot start a shell or a tool.',
  config: {
    language: 'ini',
    title: 'php.ini (or a file in the PHP conf.d directory) of the web application',
    text: 'disable_functions = exec,passthru,shell_exec,system,proc_open,popen,pcntl_exec',
  },
  commands: [
    { command: 'systemctl restart <php_fpm_service>', purpose: 'Restarts PHP-FPM so the setting takes effect.', changesSystem: true },
  ],
};

const noServiceAccountToken: Mitigation = {
  summary: 'Do not give the pod Kubernetes credentials it does not need, and keep its service account free of rights: a client tool started inside then has nothing to use.',
  config: {
    language: 'yaml',
    title: 'Pod spec',
    text: 'automountServiceAccountToken: false',
  },
};

const runAsNonRoot: Mitigation = {
  summary: 'Run containers as a non-root user with all capabilities dropped; Kubernetes then refuses to start a container whose image would run as uid 0.',
  config: {
    language: 'yaml',
    title: 'Container securityContext in the pod spec',
    text: [
      'securityContext:',
      '  runAsNonRoot: true',
      '  allowPrivilegeEscalation: false',
      '  capabilities:',
      '    drop: ["ALL"]',
    ].join('\n'),
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Tuning snippets: an override appending one narrow exception; for rules shipped disabled, the same item also keeps
// the rule enabled (override enabled: replace), since the alert means the user turned it on.

function exceptionTuning(rule: string, name: string, pathFields: string[], enable = false): string {
  // An exception on the executable's path also names the process (withProcessName: busybox's applets share a path).
  const { fields } = withProcessName(pathFields, []);
  const lines = [`- rule: ${rule}`];
  if (enable) lines.push('  enabled: true');
  lines.push(
    '  exceptions:',
    `    - name: ${name}`,
    `      fields: [${fields.join(', ')}]`,
    '      values:',
    `        - [${fields.map((f) => `<${f}>`).join(', ')}]`,
    '  override:',
  );
  if (enable) lines.push('    enabled: replace');
  lines.push('    exceptions: append');
  return lines.join('\n');
}

const DISABLED_NOTE = 'The rule ships disabled; this item keeps it enabled and adds the exception.';

// ---------------------------------------------------------------------------------------------------------------

export const SANDBOX_PLAYBOOKS: Playbook[] = [
  {
    rule: 'Unexpected inbound connection source',
    source: 'syscall',
    file: FILE,
    detects: 'A program accepts or listens on an IPv4/IPv6 socket (or receives UDP from a new peer) and the client address is not in the allowlists allowed_inbound_source_ipaddrs, allowed_inbound_source_networks or allowed_inbound_source_domains; loopback and wildcard addresses are ignored. Shipped disabled, because those lists must first describe your own clients.',
    attackerGoal: 'Reaching a service from a network that should never talk to it: scanning, password guessing, exploiting an exposed port or using a listener the attacker opened.',
    mitre: ['TA0011'],
    keyFields: [
      KF.fdName,
      KF.lport,
      KF.evtType,
      KF.exepath,
      KF.cmdline,
      KF.loginuid,
    ],
    benignCauses: [
      'Clients in a private range, VPN or pod network that the allowlists do not contain yet.',
      'Load balancers, health checkers and monitoring scrapers connecting from their own addresses.',
      'Administrators connecting with ssh from a workstation outside the listed networks.',
    ],
    investigate: [
      { command: 'ss -tanp dst <fd.cip>', purpose: 'Shows connections from that client (its address is the part of the connection before ->) and the process serving them.' },
      { command: 'getent hosts <fd.cip>', purpose: 'Resolves the client address to a host name, when one is known.' },
      listeners,
      psByName,
    ],
    mitigations: [
      {
        summary: 'Allow inbound traffic to the workload only from the client networks that need it; everything else is dropped before it reaches the service.',
        config: {
          language: 'yaml',
          title: 'NetworkPolicy allowing one client network to one port',
          text: [
            'apiVersion: networking.k8s.io/v1',
            'kind: NetworkPolicy',
            'metadata:',
            '  name: allow-known-clients',
            '  namespace: <k8s.ns.name>',
            'spec:',
            '  podSelector:',
            '    matchLabels:',
            '      app: <app_label>',
            '  policyTypes:',
            '    - Ingress',
            '  ingress:',
            '    - from:',
            '        - ipBlock:',
            '            cidr: <allowed_client_cidr>',
            '      ports:',
            '        - protocol: TCP',
            '          port: <fd.lport>',
          ].join('\n'),
        },
      },
    ],
    tuning: {
      summary: `Allow one known client to reach one program. ${DISABLED_NOTE} The client address is the part of the connection field before "->". For a whole client network, append it to the list allowed_inbound_source_networks instead.`,
      yaml: exceptionTuning('Unexpected inbound connection source', 'allow_known_client', ['proc.exepath', 'fd.cip'], true),
    },
  },
  {
    rule: 'Read Shell Configuration File',
    source: 'syscall',
    file: FILE,
    detects: 'A program that is not a shell opens for reading a shell startup or history file: per-user names such as .bashrc, .profile, .bash_history, .zshrc or .cshrc, the system files /etc/profile, /etc/bashrc, /etc/csh.cshrc and /etc/csh.login, or anything in /etc/zsh. Shipped disabled.',
    attackerGoal: 'History and startup files reveal typed commands, passwords given on command lines, aliases and environment; reading them usually precedes planting a command there to run at every login.',
    mitre: ['T1546.004', 'TA0007'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pname, KF.userName, KF.loginuid],
    benignCauses: [
      'useradd -m or adduser copying the skeleton dotfiles from /etc/skel into a new home directory.',
      'Backup and sync tools (rsync, tar, restic) reading whole home directories.',
      'A user viewing their own dotfiles with cat, less or an editor.',
    ],
    investigate: [
      lsFile,
      { command: "grep -n -E 'curl|wget|base64|/dev/tcp|nc ' -- <fd.name> | cat -v", purpose: 'Looks for download, decode or network commands planted in the file.' },
      psByName,
      hashExe,
    ],
    mitigations: [
      {
        summary: 'Keep home directories private to their owner, so other accounts (and services running under them) cannot read dotfiles and histories.',
        commands: [
          { command: 'chmod 0700 /home/<user>', purpose: 'Makes one home directory accessible only to its owner.', changesSystem: true },
        ],
        config: { language: 'text', title: '/etc/login.defs (new home directories)', text: 'HOME_MODE 0700' },
      },
    ],
    tuning: {
      summary: `Allow one program to read one configuration file. ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Read Shell Configuration File', 'allow_known_dotfile_reader', ['proc.exepath', 'fd.name'], true),
    },
  },
  {
    rule: 'Update Package Repository',
    source: 'syscall',
    file: FILE,
    detects: 'Package-source configuration is written — a file in /etc/apt, /etc/apt/sources.list.d or /etc/yum.repos.d, or a sources.list below them, opened for writing, or a file renamed into those directories — by a process that is not a package manager and has no package manager as parent or ancestor up to four levels.',
    attackerGoal: 'A repository under the attacker\'s control makes the next routine update install a backdoored package as root, which is persistence that survives reboots and looks like maintenance.',
    mitre: ['T1072', 'TA0002', 'TA0003'],
    keyFields: [
      KF.fdName,
      { field: 'evt.arg.newpath', meaning: 'For a rename, the new path of the file: a repository file moved into place.' },
      KF.cmdline,
      KF.pcmdline,
      KF.loginuid,
    ],
    benignCauses: [
      'Configuration management (Ansible, Puppet, Salt, cloud-init) adding a vendor repository.',
      'A vendor install script (Docker, Kubernetes, a database) writing its own .list or .repo file.',
      'An administrator editing the sources with an editor.',
    ],
    investigate: [
      { command: 'ls -la /etc/apt/sources.list.d /etc/yum.repos.d', purpose: 'Lists the repository files with their change times.' },
      { command: 'cat -v -- <fd.name>', purpose: 'Shows the repository definition that was written (its URL and key).' },
      { command: "grep -rn -e 'trusted=yes' -e 'gpgcheck=0' /etc/apt /etc/yum.repos.d | cat -v", purpose: 'Finds repositories whose package signatures are not checked.' },
      { command: 'apt-cache policy', purpose: 'On Debian or Ubuntu, lists the repositories APT uses and their priorities.' },
      { command: 'dnf repolist -v', purpose: 'On RHEL or Fedora, lists the enabled repositories with their URLs.' },
    ],
    mitigations: [readOnlyRootFs, systemdProtect('full')],
    tuning: {
      summary: 'Allow one program started by one known parent command (your configuration-management run) to change package sources.',
      yaml: exceptionTuning('Update Package Repository', 'allow_config_management_repo', ['proc.exepath', 'proc.pcmdline']),
    },
  },
  {
    rule: 'Write below binary dir',
    source: 'syscall',
    file: FILE,
    detects: 'A file directly inside /bin, /sbin, /usr/bin or /usr/sbin is opened for writing by a process that is not a package manager (docker save helpers, get-pip.py and the Azure agent\'s Python are also left out).',
    attackerGoal: 'Dropping a tool into the PATH, or overwriting a common command (ps, ls, sudo, ssh) with a trojan, gives code execution whenever an administrator runs it and can hide the attacker\'s processes.',
    mitre: ['T1543', 'TA0003'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pcmdline, KF.aname2, KF.loginuid],
    benignCauses: [
      'Manual installs: make install, install -m 755, or a download saved straight into /usr/bin.',
      'Command-line tools that update their own binary in place.',
      'Image builds in CI that copy binaries while the container runs.',
    ],
    investigate: [lsFile, { command: 'sha256sum -- <fd.name>', purpose: 'Hashes the written file for comparison or a threat-intelligence lookup.' }, debOwner, rpmOwner, debVerify, recentBinaries],
    mitigations: [readOnlyRootFs, systemdProtect('full')],
    tuning: {
      summary: 'Allow one installer to write one binary.',
      yaml: exceptionTuning('Write below binary dir', 'allow_known_binary_installer', ['proc.exepath', 'fd.name']),
    },
  },
  {
    rule: 'Write below monitored dir',
    source: 'syscall',
    file: FILE,
    detects: 'A file directly inside /boot, /lib, /lib64, /usr/lib, /usr/local/lib, /usr/local/bin, /usr/local/sbin or /root/.ssh, or anywhere under /home/*/.ssh/, is opened for writing by a process that is not a package manager; initramfs rebuilds in /boot and cloud-init or the Google accounts daemon writing users\' SSH keys are left out.',
    attackerGoal: 'These places hold shared libraries, boot images and SSH authorized keys: writing one gives code loaded into other programs, a tampered boot, or a login that survives password changes.',
    mitre: ['T1543', 'T1098.004', 'TA0003'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pcmdline, KF.aname2, KF.loginuid],
    benignCauses: [
      'The ssh client adding a host to ~/.ssh/known_hosts, or ssh-keygen writing a new key pair.',
      'make install or a vendor installer placing files in /usr/local.',
      'Kernel or bootloader tools outside the package manager writing to /boot.',
    ],
    investigate: [
      lsFile,
      { command: 'ssh-keygen -l -f <fd.name>', purpose: 'For an authorized_keys file, lists the fingerprints and comments of every key in it.' },
      debOwner,
      rpmOwner,
      psByName,
    ],
    mitigations: [readOnlyRootFs, systemdProtect('full')],
    tuning: {
      summary: 'Allow one program to write in one directory (for example a deployment tool managing a user\'s authorized_keys).',
      yaml: exceptionTuning('Write below monitored dir', 'allow_known_writer', ['proc.exepath', 'fd.directory']),
    },
  },
  {
    rule: 'Write below etc',
    source: 'syscall',
    file: FILE,
    detects: 'Any file under /etc is opened for writing by a named process outside a long list of known writers (account and password tools, package managers, DHCP clients, systemd, certificate tools, several configuration-management agents and vendor daemons).',
    attackerGoal: 'One file in /etc can add an account (passwd, shadow), grant sudo, schedule a job (cron.d), loosen authentication (PAM, sshd_config) or redirect names (hosts, resolv.conf) — persistence and privilege at once.',
    mitre: ['T1098', 'TA0003'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pcmdline, KF.aname2, KF.loginuid],
    benignCauses: [
      'An administrator editing a configuration file (editors also create swap or backup files in /etc).',
      'Container entrypoints that render configuration into /etc at start (envsubst, confd-like templating).',
      'Configuration-management or network tools not in the rule\'s list.',
    ],
    investigate: [
      lsFile,
      statFile,
      { command: 'find /etc -xdev -mmin -60 -ls', purpose: 'Lists files under /etc changed during the last hour.' },
      debOwner,
      psByName,
    ],
    mitigations: [readOnlyRootFs, systemdProtect('full')],
    tuning: {
      summary: 'Allow one program to write one file under /etc.',
      yaml: exceptionTuning('Write below etc', 'allow_known_etc_writer', ['proc.exepath', 'fd.name']),
    },
  },
  {
    rule: 'Write below root',
    source: 'syscall',
    file: FILE,
    detects: 'A file directly in / or anywhere under /root is opened for writing by a named process, except a list of known files (shell histories, tool state) and known tools and cache directories under /root.',
    attackerGoal: 'Attackers who got root stage tools and loot in / and /root, and files like /root/.bashrc or /root/.ssh keep their access to the root account.',
    mitre: ['TA0003'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pname, KF.userName, KF.loginuid],
    benignCauses: [
      'Containers running as root whose tools keep caches or settings in $HOME=/root (helm, gcloud, pip).',
      'Programs writing to their working directory when it is / (the default in many images).',
      'Administrators working as root.',
    ],
    investigate: [
      lsFile,
      { command: 'file -- <fd.name>', purpose: 'Tells what kind of file was written (script, ELF binary, archive...).' },
      { command: 'find /root -xdev -mmin -60 -ls', purpose: 'Lists files under /root changed during the last hour.' },
      { command: 'find / -maxdepth 1 -xdev -type f -ls', purpose: 'Lists the regular files sitting directly in /.' },
      psByName,
    ],
    mitigations: [runAsNonRoot, readOnlyRootFs],
    tuning: {
      summary: 'Allow one program to write one file below / or /root.',
      yaml: exceptionTuning('Write below root', 'allow_known_root_writer', ['proc.exepath', 'fd.name']),
    },
  },
  {
    rule: 'Write below rpm database',
    source: 'syscall',
    file: FILE,
    detects: 'A file under /var/lib/rpm is opened for writing by a process that is not rpm, dnf, yum or another RPM tool; a few Ansible, Chef and Amazon Linux helpers are left out.',
    attackerGoal: 'Changing the RPM database can register a rogue package or make tampered files look genuine to rpm -V, hiding persistence from package verification.',
    mitre: ['T1072', 'TA0003'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pcmdline, KF.loginuid],
    benignCauses: [
      'Configuration-management or inventory agents that use the rpm library directly.',
      'Vulnerability scanners or subscription tools opening the database read-write.',
    ],
    investigate: [
      { command: 'ls -la /var/lib/rpm', purpose: 'Shows the database files and when they changed.' },
      { command: 'rpm -qa --last', purpose: 'Lists installed packages, most recently installed first.' },
      rpmVerify,
      psByName,
    ],
    mitigations: [readOnlyRootFs, systemdProtect('strict')],
    tuning: {
      summary: 'Allow one program started by one known parent command to open the RPM database.',
      yaml: exceptionTuning('Write below rpm database', 'allow_known_rpmdb_client', ['proc.exepath', 'proc.pcmdline']),
    },
  },
  {
    rule: 'Modify binary dirs',
    source: 'syscall',
    file: FILE,
    detects: 'A rename, unlink or rmdir whose path (old or new) lies under /bin, /sbin, /usr/bin or /usr/sbin, by a process that is not a package manager.',
    attackerGoal: 'Moving a system binary aside and putting a wrapper in its place, or deleting a security tool, changes what every administrator runs without touching the package database.',
    mitre: ['T1222.002', 'TA0005'],
    keyFields: [
      { field: 'evt.args', meaning: 'All arguments of the call: the old and new path of a rename, or the path removed.' },
      KF.evtType,
      KF.exepath,
      KF.cmdline,
      KF.pcmdline,
      KF.loginuid,
    ],
    benignCauses: [
      'Manual installs or self-updating tools replacing a binary (write to a temporary name, then rename).',
      'sed -i on a script in /usr/bin, which writes a temporary file and renames it.',
      'Configuration management removing a tool it manages.',
    ],
    investigate: [recentBinaries, debVerify, rpmVerify, psByName, hashExe],
    mitigations: [readOnlyRootFs, systemdProtect('full')],
    tuning: {
      summary: 'Allow one program started by one known parent command (an updater) to rename or remove files there.',
      yaml: exceptionTuning('Modify binary dirs', 'allow_known_binary_updater', ['proc.exepath', 'proc.pcmdline']),
    },
  },
  {
    rule: 'Mkdir binary dirs',
    source: 'syscall',
    file: FILE,
    detects: 'A directory is created (mkdir, mkdirat) under /bin, /sbin, /usr/bin or /usr/sbin by a process that is not a package manager.',
    attackerGoal: 'A new directory inside a system binary path is a hiding place for tools and payloads where few people look.',
    mitre: ['T1222.002', 'TA0003'],
    keyFields: [
      { field: 'evt.arg.path', meaning: 'The directory that was created.' },
      KF.exepath,
      KF.cmdline,
      KF.pname,
      KF.loginuid,
    ],
    benignCauses: [
      'Vendor installers or make install creating a subdirectory for their files.',
      'Image builds or configuration management laying out a tool directory.',
    ],
    investigate: [
      { command: 'ls -laR -- <evt.arg.path>', purpose: 'Lists the new directory and everything in it.' },
      { command: 'dpkg -S <evt.arg.path>', purpose: 'On Debian or Ubuntu, names the package that owns the directory, if any.' },
      psByName,
      hashExe,
    ],
    mitigations: [readOnlyRootFs, systemdProtect('full')],
    tuning: {
      summary: 'Allow one program to create one directory.',
      yaml: exceptionTuning('Mkdir binary dirs', 'allow_known_directory_creator', ['proc.exepath', 'evt.arg.path']),
    },
  },
  {
    rule: 'Launch Sensitive Mount Container',
    source: 'syscall',
    file: FILE,
    detects: 'The first process of a container starts while the container mounts a sensitive host path: /proc, a Docker, CRI-O or containerd socket, /var/lib/kubelet (or its pki), /, /etc, /etc/kubernetes (or its manifests), /home/admin or /root. Falco, Sysdig and a list of known agent images are left out.',
    attackerGoal: 'With the host\'s root, /etc, /proc or a container-runtime socket inside, a container can read node secrets, write host files or start privileged containers — a short path to the node.',
    mitre: ['T1610', 'T1611', 'TA0002'],
    keyFields: [
      { field: 'container.mounts', meaning: 'The container\'s mounts, each as source:destination:mode:rdwr:propagation; the source is the host path.' },
      KF.image,
      KF.cmdline,
      KF.pod,
      KF.userUid,
    ],
    benignCauses: [
      'Monitoring, logging, storage or security agents that need host paths (node exporters, log shippers, CSI drivers).',
      'CI runners that mount the Docker socket to build images.',
      'Debug pods such as kubectl debug node/..., which mount the node\'s / at /host.',
    ],
    investigate: [crictlInspect, podVolumes, describePod, { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.metadata.ownerReferences}'", purpose: 'Shows which controller created the pod.' }],
    mitigations: [podSecurityBaseline],
    tuning: {
      summary: 'Allow one image whose entrypoint is known to need the mount.',
      yaml: exceptionTuning('Launch Sensitive Mount Container', 'allow_known_agent_image', ['container.image.repository', 'proc.exepath']),
    },
  },
  {
    rule: 'Launch Disallowed Container',
    source: 'syscall',
    file: FILE,
    detects: 'The first process of a container starts and the macro allowed_containers is false for it. As shipped, that macro is "container.id exists", true for every container, so the rule only alerts once you replace the macro with your own allowlist (for example by image repository).',
    attackerGoal: 'Running an unapproved image — a miner, an attack toolkit or a look-alike of a trusted image — gives the attacker code execution inside the cluster and a base to reach other workloads.',
    mitre: ['T1610', 'TA0008'],
    keyFields: [KF.image, KF.cmdline, KF.exepath, KF.pod, KF.userUid],
    benignCauses: [
      'A new or renamed image that has not been added to your allowlist macro yet.',
      'Images pulled through a mirror registry whose repository name differs from the listed one.',
      'Sidecars injected by a service mesh and ephemeral debug containers.',
    ],
    investigate: [crictlInspect, describePod, { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.containers[*].image}'", purpose: 'Lists the images of the pod as requested in its spec.' }, { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.metadata.ownerReferences}'", purpose: 'Shows which controller created the pod.' }],
    mitigations: [
      {
        summary: 'Refuse pods whose images do not come from your trusted registry, at admission time (ValidatingAdmissionPolicy, Kubernetes 1.30 or later). Apply it to one namespace first and widen it once the allowlist is complete.',
        config: {
          language: 'yaml',
          title: 'ValidatingAdmissionPolicy and its binding',
          text: [
            'apiVersion: v1',
            'kind: List',
            'items:',
            '  - apiVersion: admissionregistration.k8s.io/v1',
            '    kind: ValidatingAdmissionPolicy',
            '    metadata:',
            '      name: trusted-registry-only',
            '    spec:',
            '      failurePolicy: Fail',
            '      matchConstraints:',
            '        resourceRules:',
            '          - apiGroups: [""]',
            '            apiVersions: ["v1"]',
            '            operations: ["CREATE", "UPDATE"]',
            '            resources: ["pods"]',
            '      validations:',
            '        - expression: "object.spec.containers.all(c, c.image.startsWith(\'<trusted_registry>/\')) && (!has(object.spec.initContainers) || object.spec.initContainers.all(c, c.image.startsWith(\'<trusted_registry>/\')))"',
            '          message: "images must come from the trusted registry"',
            '  - apiVersion: admissionregistration.k8s.io/v1',
            '    kind: ValidatingAdmissionPolicyBinding',
            '    metadata:',
            '      name: trusted-registry-only',
            '    spec:',
            '      policyName: trusted-registry-only',
            '      validationActions: ["Deny"]',
            '      matchResources:',
            '        namespaceSelector:',
            '          matchLabels:',
            '            kubernetes.io/metadata.name: <k8s.ns.name>',
          ].join('\n'),
        },
      },
    ],
    tuning: {
      summary: 'Best: add the image to the allowlist you wrote in the allowed_containers macro. Otherwise allow this one image and entrypoint with an exception.',
      yaml: exceptionTuning('Launch Disallowed Container', 'allow_reviewed_image', ['container.image.repository', 'proc.exepath']),
    },
  },
  {
    rule: 'Interpreted procs inbound network activity',
    source: 'syscall',
    file: FILE,
    detects: 'A process named like a script interpreter (lua, node, perl, php, python, ruby, tcl) accepts or listens on a non-loopback IPv4/IPv6 socket, or receives UDP from a new peer. Shipped disabled.',
    attackerGoal: 'Interpreters are the usual runtime of web shells, bind shells and improvised listeners that let an attacker in.',
    mitre: ['TA0010', 'TA0011'],
    keyFields: [KF.fdName, KF.lport, KF.l4proto, KF.exepath, KF.cmdline, KF.loginuid],
    benignCauses: [
      'Applications written in these languages serving traffic (Django, Flask, Express, Rails, PHP built-in servers).',
      'Development servers and notebooks (Jupyter) started on purpose.',
    ],
    investigate: [listeners, psByName, hashExe, crictlInspect],
    mitigations: [
      {
        summary: 'Let only the expected clients reach the workload, so a listener opened by an attacker is unreachable.',
        config: {
          language: 'yaml',
          title: 'NetworkPolicy: deny all inbound traffic to the namespace, then allow each service explicitly',
          text: [
            'apiVersion: networking.k8s.io/v1',
            'kind: NetworkPolicy',
            'metadata:',
            '  name: default-deny-ingress',
            '  namespace: <k8s.ns.name>',
            'spec:',
            '  podSelector: {}',
            '  policyTypes:',
            '    - Ingress',
          ].join('\n'),
        },
      },
    ],
    tuning: {
      summary: `Allow one interpreter to serve one local port. ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Interpreted procs inbound network activity', 'allow_known_script_service', ['proc.exepath', 'fd.lport'], true),
    },
  },
  {
    rule: 'Interpreted procs outbound network activity',
    source: 'syscall',
    file: FILE,
    detects: 'A process named like a script interpreter (lua, node, perl, php, python, ruby, tcl) connects, or sends UDP to a new peer, to an address outside loopback and the private RFC 1918 ranges. Shipped disabled.',
    attackerGoal: 'A few lines of script are enough to fetch a second stage, beacon to a command-and-control server or send stolen data out.',
    mitre: ['TA0010', 'TA0011'],
    keyFields: [KF.fdName, KF.rport, KF.l4proto, KF.exepath, KF.cmdline, KF.loginuid],
    benignCauses: [
      'Applications calling external APIs, webhooks or cloud services.',
      'Package managers and cloud CLIs written in these languages (pip, npm, the AWS CLI) downloading or calling endpoints.',
    ],
    investigate: [allSockets, psByName, hashExe, crictlInspect],
    mitigations: [egressDefaultDeny],
    tuning: {
      summary: `Allow one interpreter to reach one server address and port. ${DISABLED_NOTE} The server address is the part of the connection after "->".`,
      yaml: exceptionTuning('Interpreted procs outbound network activity', 'allow_known_api_client', ['proc.exepath', 'fd.sip', 'fd.sport'], true),
    },
  },
  {
    rule: 'Unexpected K8s NodePort Connection',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, an accept, listen or connect on an IPv4/IPv6 socket whose server port is in the default NodePort range 30000-32767. Shipped disabled; clusters with a custom range need the condition adjusted.',
    attackerGoal: 'A NodePort opens a service on every node address; attackers use one to reach workloads from outside the cluster or to keep a way back in.',
    mitre: ['T1205.001', 'TA0003'],
    keyFields: [KF.fdName, KF.lport, KF.rport, KF.exepath, KF.cmdline, KF.image],
    benignCauses: [
      'Applications that listen on, or connect to, a port that happens to fall in 30000-32767.',
      'Pods that reach another service through a node address and its NodePort.',
    ],
    investigate: [{ command: 'kubectl get services -A -o wide', purpose: 'Lists services with their type and ports; NodePort services show the node port.' }, allSockets, crictlInspect, describePod],
    mitigations: [
      {
        summary: 'Forbid NodePort services in namespaces that do not need them, with a quota of zero node ports.',
        config: {
          language: 'yaml',
          title: 'ResourceQuota',
          text: [
            'apiVersion: v1',
            'kind: ResourceQuota',
            'metadata:',
            '  name: no-node-ports',
            '  namespace: <k8s.ns.name>',
            'spec:',
            '  hard:',
            '    services.nodeports: "0"',
          ].join('\n'),
        },
      },
    ],
    tuning: {
      summary: `Allow one image to use one port in that range. ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Unexpected K8s NodePort Connection', 'allow_known_port_user', ['container.image.repository', 'fd.sport'], true),
    },
  },
  {
    rule: 'Create Hidden Files or Directories',
    source: 'syscall',
    file: FILE,
    detects: 'A dot-name is created anywhere: a rename to a path containing "/.", a mkdir of such a path, or a file opened for writing with O_CREAT at such a path (only /root/.cassandra is left out). Shipped disabled.',
    attackerGoal: 'Names starting with a dot are hidden from a plain ls, so attackers use them to stash tools, payloads and collected data, often in /tmp, /dev/shm or home directories.',
    mitre: ['T1564.001', 'TA0005'],
    keyFields: [
      KF.fdName,
      { field: 'evt.arg.newpath', meaning: 'For a rename, the new (hidden) path.' },
      KF.exepath,
      KF.cmdline,
      KF.loginuid,
    ],
    benignCauses: [
      'Applications and tools keeping caches and settings in dot-directories (~/.cache, ~/.npm, ~/.config).',
      'Version control (.git) and editors (.swp swap files).',
      'Shells writing history files.',
    ],
    investigate: [
      lsFile,
      { command: 'file -- <fd.name>', purpose: 'Tells what kind of file it is; an ELF binary or script in a hidden file deserves attention.' },
      { command: "find /tmp /var/tmp /dev/shm -xdev -name '.*' -ls", purpose: 'Lists hidden files in the scratch directories attackers use most.' },
      psByName,
    ],
    mitigations: [
      {
        summary: 'Mount the scratch directories without execute, setuid and device rights, so a hidden payload dropped there cannot be run directly.',
        config: { language: 'text', title: '/etc/fstab line', text: 'tmpfs /dev/shm tmpfs defaults,noexec,nosuid,nodev 0 0' },
        commands: [
          { command: 'mount -o remount,noexec,nosuid,nodev /dev/shm', purpose: 'Applies the options now, without a reboot.', changesSystem: true },
        ],
      },
      readOnlyRootFs,
    ],
    tuning: {
      summary: `Allow one program with one exact command line to create hidden files. ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Create Hidden Files or Directories', 'allow_known_dotfile_writer', ['proc.exepath', 'proc.cmdline'], true),
    },
  },
  {
    rule: 'Detect outbound connections to common miner pool ports',
    source: 'syscall',
    file: FILE,
    detects: 'A connect, sendto or sendmsg to a public address whose server port and resolved host name match known mining-pool domains (port 80 or 443 for some of them, typical miner ports such as 3333, 4444 or 14444 for the rest). Falco resolves those domains itself, which sends DNS queries; the rule ships disabled for that reason.',
    attackerGoal: 'Miners must reach a pool to be paid for stolen CPU time; the pool connection is the one part of cryptojacking that cannot be avoided.',
    mitre: ['T1496', 'T1496.001', 'TA0040'],
    keyFields: [
      { field: 'fd.rip', meaning: 'Remote address that was contacted.' },
      KF.fdName,
      KF.rport,
      KF.exepath,
      KF.cmdline,
      KF.loginuid,
    ],
    benignCauses: [
      'Mining that is sanctioned in this environment.',
      'A legitimate service whose address is shared with a pool domain (matching is by resolved address, so shared hosting or CDN addresses can match).',
    ],
    investigate: [
      { command: 'ps -o pid,ppid,user,lstart,pcpu,args -C <proc.name>', purpose: 'Shows the process with its CPU usage; miners keep cores busy.' },
      socketsOfRemote,
      hashExe,
      userCron,
      timers,
    ],
    mitigations: [egressDefaultDeny, readOnlyRootFs],
    tuning: {
      summary: `Allow one program to reach one address. ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Detect outbound connections to common miner pool ports', 'allow_sanctioned_pool', ['proc.exepath', 'fd.rip'], true),
    },
  },
  {
    rule: 'Detect crypto miners using the Stratum protocol',
    source: 'syscall',
    file: FILE,
    detects: 'A process starts with a command line containing stratum+tcp, stratum2+tcp, stratum+ssl or stratum2+ssl, the URL schemes miners use to name their pool.',
    attackerGoal: 'Cryptojacking: turning stolen CPU time into cryptocurrency, usually right after initial access.',
    mitre: ['T1496', 'T1496.001', 'TA0040'],
    keyFields: [KF.cmdline, KF.exepath, KF.exeFlags, KF.pname, KF.userName, KF.loginuid],
    benignCauses: [
      'Mining that is sanctioned in this environment.',
      'A search or editor command whose arguments merely contain the string (grep stratum+tcp during an investigation).',
    ],
    investigate: [
      { command: 'ps -o pid,ppid,user,lstart,pcpu,args -C <proc.name>', purpose: 'Shows the process with its CPU usage; miners keep cores busy.' },
      allSockets,
      hashExe,
      userCron,
      timers,
    ],
    mitigations: [egressDefaultDeny, readOnlyRootFs],
    tuning: {
      summary: 'Allow one program with one exact command line (sanctioned mining, or a known script that only mentions the scheme).',
      yaml: exceptionTuning('Detect crypto miners using the Stratum protocol', 'allow_sanctioned_miner', ['proc.exepath', 'proc.cmdline']),
    },
  },
  {
    rule: 'Kubernetes Client Tool Launched in Container',
    source: 'syscall',
    file: FILE,
    detects: 'A process named docker, kubectl or crictl starts inside a container (a few known images are left out).',
    attackerGoal: 'From a compromised pod these clients use the service-account token or a mounted runtime socket to read secrets, exec into other containers or start privileged ones.',
    mitre: ['T1610', 'T1609', 'TA0002'],
    keyFields: [KF.cmdline, KF.exepath, KF.exeFlags, KF.pname, KF.image, KF.pod],
    benignCauses: [
      'CI/CD runners and deployment jobs that run kubectl.',
      'Operators and toolbox images that manage the cluster from inside.',
      'Docker-in-Docker image builds.',
    ],
    investigate: [
      { command: "kubectl get pod <k8s.pod.name> -n <k8s.ns.name> -o jsonpath='{.spec.serviceAccountName}'", purpose: 'Shows the service account whose token the pod carries.' },
      { command: 'kubectl auth can-i --list -n <k8s.ns.name> --as <service_account_user>', purpose: 'Lists what that service account may do; the user is system:serviceaccount:NAMESPACE:NAME.' },
      crictlInspect,
      podVolumes,
    ],
    mitigations: [noServiceAccountToken, podSecurityBaseline],
    tuning: {
      summary: 'Allow one image to run one client binary.',
      yaml: exceptionTuning('Kubernetes Client Tool Launched in Container', 'allow_known_deployer_image', ['container.image.repository', 'proc.exepath']),
    },
  },
  {
    rule: 'Container Drift Detected (chmod)',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, a successful chmod, fchmod or fchmodat sets an execute bit (owner, group or others) on a file; runc\'s own setup is left out. Shipped disabled; the stable drop-and-execute rule for containers catches the same behaviour more precisely.',
    attackerGoal: 'Making a downloaded file executable is the step between dropping an implant into a running container and running it.',
    mitre: ['T1059', 'T1105', 'TA0002'],
    keyFields: [
      { field: 'evt.arg.filename', meaning: 'The file whose mode changed (chmod, fchmodat); <NA> for fchmod, which has no such parameter: it changes the file behind an open descriptor (evt.arg.fd).' },
      { field: 'evt.arg.mode', meaning: 'The new mode; S_IXUSR, S_IXGRP or S_IXOTH are the execute bits.' },
      KF.exepath,
      KF.cmdline,
      KF.image,
    ],
    benignCauses: [
      'Entrypoint scripts that make their own scripts executable at start.',
      'Build or CI containers where compilers and package installs create executables.',
    ],
    investigate: [
      { command: 'crictl exec <container.id> ls -la <evt.arg.filename>', purpose: 'Lists the file inside the container (runs ls in it).' },
      crictlInspect,
      describePod,
      podLogs,
    ],
    mitigations: [readOnlyRootFs],
    tuning: {
      summary: `Allow one program in one image to set execute bits. ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Container Drift Detected (chmod)', 'allow_known_chmod', ['container.image.repository', 'proc.exepath'], true),
    },
  },
  {
    rule: 'Container Drift Detected (open+create)',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, a successful open, openat, openat2 or creat asks for a file with an execute bit in its mode (evt.is_open_exec=true: O_CREAT or O_TMPFILE with such a mode, or creat); the file may have existed already, as the mode applies only to a new file. runc\'s own setup is left out. Shipped disabled; the stable drop-and-execute rule for containers is its more precise successor.',
    attackerGoal: 'Writing a new executable into a running container is how implants, miners and tools arrive after the image was built.',
    mitre: ['T1059', 'T1105', 'TA0002'],
    keyFields: [
      { field: 'evt.arg.name', meaning: 'The file opened (shown as name), made absolute by Falco when the call gave a relative path; the output\'s filename (evt.arg.filename) is <NA> here, as open, openat, openat2 and creat have no parameter of that name.' },
      { field: 'evt.arg.mode', meaning: 'The permission bits requested for a new file, in octal (0755 has execute bits).' },
      KF.exepath,
      KF.cmdline,
      KF.image,
    ],
    benignCauses: [
      'Compilers and linkers in build containers.',
      'Package installs inside the container (pip or npm creating console scripts).',
    ],
    investigate: [
      { command: 'crictl exec <container.id> ls -la <evt.arg.name>', purpose: 'Lists the file inside the container (runs ls in it).' },
      crictlInspect,
      describePod,
      podLogs,
    ],
    mitigations: [readOnlyRootFs],
    tuning: {
      summary: `Allow one program in one image to create executables. ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Container Drift Detected (open+create)', 'allow_known_builder', ['container.image.repository', 'proc.exepath'], true),
    },
  },
  {
    rule: 'Container Run as Root User',
    source: 'syscall',
    file: FILE,
    detects: 'The first process of a container (pid 1 in its namespace) starts with uid 0, unless the image is listed in run_as_root_image_list. Shipped disabled.',
    attackerGoal: 'Root inside the container makes every other weakness worse: it can change anything in the image, use every granted capability and, after an escape without user namespaces, is root on the node.',
    mitre: ['T1610', 'TA0002'],
    keyFields: [KF.userUid, KF.userName, KF.cmdline, KF.exepath, KF.image],
    benignCauses: [
      'Images that run as root by default (many official images) and drop privileges later, like nginx or database entrypoints.',
      'Init or supervisor processes that need root to start their children.',
    ],
    investigate: [podSecurity, crictlInspect, describePod],
    mitigations: [runAsNonRoot],
    tuning: {
      summary: `Allow one image whose entrypoint needs root. ${DISABLED_NOTE} Adding the image to run_as_root_image_list does the same.`,
      yaml: exceptionTuning('Container Run as Root User', 'allow_known_root_image', ['container.image.repository', 'proc.exepath'], true),
    },
  },
  {
    rule: 'Sudo Potential Privilege Escalation',
    source: 'syscall',
    file: FILE,
    detects: 'sudo or sudoedit starts from a session whose login uid is not 0, with -s, -i or --login in its arguments and a backslash in them (the condition\'s "\\ " string unescapes to a single backslash, so any backslash matches): the shape of exploits for CVE-2021-3156 (Baron Samedit), a heap overflow in sudo before 1.9.5p2.',
    attackerGoal: 'Becoming root from any local account without knowing a sudo password.',
    mitre: ['T1548.003', 'T1068', 'TA0004'],
    keyFields: [KF.cmdline, KF.userName, KF.loginuid, KF.pname, KF.tty],
    benignCauses: [
      'An administrator running sudo -s or sudo -i with a command that contains a backslash (an escaped space, a regular expression, a Windows-style path).',
      'Scripts that build sudo command lines with backslash-escaped arguments.',
    ],
    investigate: [
      { command: 'dpkg-query -W sudo', purpose: 'On Debian or Ubuntu, shows the installed sudo version (check it against the fixed versions of your distribution).' },
      { command: 'rpm -q sudo', purpose: 'On RPM systems, shows the installed sudo version.' },
      { command: 'journalctl _COMM=sudo -n 50', purpose: 'Shows recent sudo log entries, including who ran what.' },
      { command: 'getent passwd <user.name>', purpose: 'Shows the account that ran sudo.' },
    ],
    mitigations: [
      {
        summary: 'Install the fixed sudo from your distribution (upstream fixed it in 1.9.5p2).',
        commands: [
          { command: 'apt-get install --only-upgrade sudo', purpose: 'On Debian or Ubuntu, upgrades sudo if it is installed.', changesSystem: true },
          { command: 'dnf upgrade sudo', purpose: 'On RHEL or Fedora, upgrades sudo.', changesSystem: true },
        ],
      },
    ],
    tuning: {
      summary: 'Allow one account running one exact sudo command line.',
      yaml: exceptionTuning('Sudo Potential Privilege Escalation', 'allow_known_sudo_command', ['user.name', 'proc.cmdline']),
    },
  },
  {
    rule: 'Unprivileged Delegation of Page Faults Handling to a Userspace Process',
    source: 'syscall',
    file: FILE,
    detects: 'A process whose uid is not 0 calls userfaultfd, whether the call succeeds or fails (programs listed in user_known_userfaultfd_processes are left out). The condition\'s test evt.res != -1 compares the text of evt.res (SUCCESS or an error name such as EPERM) with the text -1, which always differs, so a refused call alerts too, although the output says "successfully executed" and does not print the result.',
    attackerGoal: 'userfaultfd lets a process stall the kernel on a page it chose, which turns narrow race conditions in the kernel into reliable exploits.',
    mitre: ['T1068', 'TA0005'],
    keyFields: [KF.exepath, KF.cmdline, KF.pname, KF.userName, KF.userUid],
    benignCauses: [
      'QEMU post-copy live migration or CRIU lazy restore.',
      'Memory-management libraries, runtimes or test suites that use userfaultfd on purpose.',
    ],
    investigate: [
      { command: 'sysctl vm.unprivileged_userfaultfd', purpose: 'Shows whether unprivileged users may handle kernel-mode page faults (1) or not (0).' },
      { command: 'uname -r', purpose: 'Shows the kernel version, to check it against the fixes your distribution published.' },
      psByName,
      hashExe,
    ],
    mitigations: [
      {
        summary: 'Stop unprivileged users from handling kernel-mode page faults (on Linux 5.11 and later they keep user-mode faults only; on 5.2 to 5.10 they lose userfaultfd altogether; older kernels have no such setting).',
        config: { language: 'text', title: '/etc/sysctl.d/60-userfaultfd.conf', text: 'vm.unprivileged_userfaultfd = 0' },
        commands: [
          { command: 'sysctl -w vm.unprivileged_userfaultfd=0', purpose: 'Applies the setting now; the file above keeps it after reboot.', changesSystem: true },
        ],
      },
    ],
    tuning: {
      summary: 'Allow one program run by one account (for example QEMU under its service account). Adding its name to user_known_userfaultfd_processes works too, but matches the name only.',
      yaml: exceptionTuning('Unprivileged Delegation of Page Faults Handling to a Userspace Process', 'allow_known_userfaultfd_user', ['proc.exepath', 'user.name']),
    },
  },
  {
    rule: 'Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034)',
    source: 'syscall',
    file: FILE,
    detects: 'pkexec starts with no arguments at all from a session whose login uid is not 0. PwnKit exploits (CVE-2021-4034) run pkexec with an empty argument list so that it reads attacker-chosen environment variables as arguments.',
    attackerGoal: 'pkexec is setuid root; the bug gives any local account a root shell.',
    mitre: ['TA0004', 'T1068'],
    keyFields: [
      { field: 'proc.args', meaning: 'Arguments of pkexec: empty here, which is the exploit\'s signature (a person usually names a program).' },
      KF.pname,
      KF.userName,
      KF.loginuid,
      KF.tty,
    ],
    benignCauses: [
      'A person running pkexec alone, which asks for authentication and opens a root shell.',
      'Vulnerability checks or authorised tests that reproduce the PwnKit call to see whether the host is patched.',
    ],
    investigate: [
      { command: "stat -c '%A %U %n' /usr/bin/pkexec", purpose: 'Shows whether pkexec is still setuid root.' },
      { command: 'dpkg -S /usr/bin/pkexec', purpose: 'On Debian or Ubuntu, names the package that provides pkexec (then check its version with dpkg-query -W).' },
      { command: 'rpm -q polkit', purpose: 'On RPM systems, shows the installed polkit version.' },
      { command: "find /tmp /var/tmp /dev/shm -xdev -name 'GCONV_PATH*' -ls", purpose: 'Finds the GCONV_PATH directories that public exploits create.' },
      { command: 'journalctl -t pkexec -n 50', purpose: 'Shows recent pkexec log messages; exploits often leave errors about the environment.' },
    ],
    mitigations: [
      {
        summary: 'Install the fixed polkit package from your distribution (fixed in January 2022).',
        commands: [
          { command: 'apt-get install --only-upgrade <package>', purpose: 'On Debian or Ubuntu, upgrades the package named by dpkg -S /usr/bin/pkexec.', changesSystem: true },
          { command: 'dnf upgrade polkit', purpose: 'On RHEL or Fedora, upgrades polkit.', changesSystem: true },
        ],
      },
      {
        summary: 'Until the update is installed, remove the setuid bit from pkexec: nobody can then use it to gain root (legitimate pkexec use stops too, and a package update restores the bit).',
        commands: [
          { command: 'chmod 0755 /usr/bin/pkexec', purpose: 'Removes the setuid bit from pkexec.', changesSystem: true },
        ],
      },
    ],
    tuning: {
      summary: 'Allow one account starting pkexec from one parent program (only after checking polkit is patched).',
      yaml: exceptionTuning('Polkit Local Privilege Escalation Vulnerability (CVE-2021-4034)', 'allow_known_pkexec_user', ['user.name', 'proc.pname']),
    },
  },
  {
    rule: 'Java Process Class File Download',
    source: 'syscall',
    file: FILE,
    detects: 'A process whose proc.exe (its first argument, normally the java command) ends in "java" receives data with recvfrom on an IPv4/IPv6 socket, and the bytes contain CA FE BA BE, the magic number at the start of every compiled Java class. Shipped disabled; the rules file notes that newer JVMs (Java 17 and later) receive with read(), which this rule does not watch.',
    attackerGoal: 'Log4Shell (CVE-2021-44228) and similar JNDI injections make the victim load a class from the attacker\'s server, which runs the attacker\'s code inside the Java application.',
    mitre: ['T1190', 'TA0001'],
    keyFields: [
      { field: 'fd.sip', meaning: 'Address of the server the class came from: an unknown external address is the exploit\'s callback server.' },
      { field: 'fd.sport', meaning: 'Port of that server; after the JNDI (LDAP or RMI) lookup, exploit kits usually serve the class over HTTP on an arbitrary port.' },
      KF.fdName,
      KF.exepath,
      KF.cmdline,
    ],
    benignCauses: [
      'Build tools or application servers downloading classes or plugins (Maven, Gradle, remote class loading).',
      'Any binary payload that happens to contain those four bytes.',
    ],
    investigate: [
      { command: "find / -xdev -name 'log4j-core-*.jar' -ls", purpose: 'Finds Log4j jars on this filesystem; versions before 2.17.1 need attention.' },
      { command: 'ss -tanp dst <fd.sip>', purpose: 'Lists connections to that server and the process holding them.' },
      { command: 'getent hosts <fd.sip>', purpose: 'Resolves the server address to a name, when one is known.' },
      psByName,
    ],
    mitigations: [
      {
        summary: 'Upgrade log4j-core to 2.17.1 or later (2.12.4 on Java 7, 2.3.2 on Java 6) and rebuild the application.',
        config: { language: 'text', title: 'Gradle dependency (Maven: the same group, artifact and version)', text: "implementation 'org.apache.logging.log4j:log4j-core:2.17.1'" },
      },
      egressDefaultDeny,
    ],
    tuning: {
      summary: `Allow one Java executable to download classes from one known server (an internal artifact repository). ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Java Process Class File Download', 'allow_internal_class_server', ['proc.exepath', 'fd.sip'], true),
    },
  },
  {
    rule: 'Modify Container Entrypoint',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, /proc/self/exe or a path under /proc/self/fd/ is opened for writing by a process that is neither a Docker helper nor runc\'s init. Overwriting the runtime binary through /proc/self/exe is how CVE-2019-5736 escapes to the host. Shipped disabled.',
    attackerGoal: 'Replacing the host\'s runc binary from inside a container gives root code execution on the node the next time a container is started or entered.',
    mitre: ['T1611', 'TA0001', 'TA0004'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pname, KF.userUid],
    benignCauses: [
      'Applications configured to log to /proc/self/fd/1 or /proc/self/fd/2 (a common container logging setup for web servers).',
      'Shell scripts redirecting output to /proc/self/fd/N.',
    ],
    investigate: [
      { command: 'runc --version', purpose: 'Shows the runc version on the node; releases since 1.0.0-rc7 contain the fix.' },
      crictlInspect,
      podSecurity,
      describePod,
    ],
    mitigations: [
      {
        summary: 'Keep the container runtime patched: update the package that ships runc on the node.',
        commands: [
          { command: 'apt-get install --only-upgrade <package>', purpose: 'On Debian or Ubuntu, upgrades the package that ships runc (runc or containerd.io).', changesSystem: true },
        ],
      },
      runAsNonRoot,
    ],
    tuning: {
      summary: `Allow one program in one image to write one /proc/self path (for example its log destination). ${DISABLED_NOTE}`,
      yaml: exceptionTuning('Modify Container Entrypoint', 'allow_known_fd_writer', ['container.image.repository', 'proc.exepath', 'fd.name'], true),
    },
  },
  {
    rule: 'Decoding Payload in Container',
    source: 'syscall',
    file: FILE,
    detects: 'A process starts in a container with a command line that contains "base64" together with "--decode" or "-d" (plain substring matches), unless the image is in known_decode_payload_containers.',
    attackerGoal: 'Encoding lets commands and binaries pass through input filters, logs and shell quoting intact; decoding on the target is the moment they become runnable.',
    mitre: ['T1132', 'T1140', 'TA0011'],
    keyFields: [KF.cmdline, KF.pname, KF.exepath, KF.exeFlags, KF.image, KF.pod],
    benignCauses: [
      'Entrypoint scripts decoding certificates, keys or configuration passed in environment variables.',
      'Any command line that happens to contain both strings (a path with "base64" and an unrelated -d option).',
    ],
    investigate: [
      podLogs,
      describePod,
      crictlInspect,
      { command: "printf '%s\\n' <encoded_text> | base64 -d | od -c", purpose: 'Decodes a blob copied from the command line and prints it as characters, without running it.' },
    ],
    mitigations: [
      readOnlyRootFs,
      {
        summary: 'Build the image on a minimal base that ships no shell or coreutils, so injected command lines have nothing to run.',
        config: { language: 'text', title: 'Dockerfile (final stage, statically linked application)', text: 'FROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nUSER nonroot\nENTRYPOINT ["/app"]' },
      },
    ],
    tuning: {
      summary: 'Allow one program in one image, started by one parent (the entrypoint script), to decode. Adding the image to known_decode_payload_containers allows every decode in it.',
      yaml: exceptionTuning('Decoding Payload in Container', 'allow_known_entrypoint_decode', ['container.image.repository', 'proc.exepath', 'proc.pname']),
    },
  },
  {
    rule: 'Basic Interactive Reconnaissance',
    source: 'syscall',
    file: FILE,
    detects: 'whoami, id, who, w or uname starts from a terminal (proc.tty is not 0) as the leader of its process group, which means it was typed at a prompt rather than run by a script.',
    attackerGoal: 'The first commands after landing a shell: which account, which host and kernel, who else is logged in.',
    mitre: ['T1033', 'T1082', 'TA0043', 'TA0007'],
    keyFields: [KF.procName, KF.cmdline, KF.pname, KF.tty, KF.userName, KF.loginuid],
    benignCauses: [
      'Administrators and developers in ssh, docker exec or kubectl exec sessions.',
      'Announced red-team exercises or training.',
    ],
    investigate: [
      { command: 'w', purpose: 'Lists who is logged in, from where and what they run.' },
      { command: 'last -F -n 20', purpose: 'Lists the latest logins with full times and source addresses.' },
      { command: 'loginctl list-sessions', purpose: 'Lists the current login sessions known to systemd.' },
      psTree,
      crictlInspect,
    ],
    mitigations: [
      {
        summary: 'Give people read access to pods without pods/exec, so an interactive shell in a container needs an explicit, reviewed grant.',
        config: {
          language: 'yaml',
          title: 'Role without the pods/exec subresource (bind it instead of edit or admin)',
          text: [
            'apiVersion: rbac.authorization.k8s.io/v1',
            'kind: Role',
            'metadata:',
            '  name: pod-reader-no-exec',
            '  namespace: <k8s.ns.name>',
            'rules:',
            '  - apiGroups: [""]',
            '    resources: ["pods", "pods/log"]',
            '    verbs: ["get", "list", "watch"]',
          ].join('\n'),
        },
      },
    ],
    tuning: {
      summary: 'Allow one person (by login uid) running one of these commands on a host. Do not use login uid -1: it covers every session without a login, including kubectl exec.',
      yaml: exceptionTuning('Basic Interactive Reconnaissance', 'allow_known_admin', ['user.loginuid', 'proc.exepath']),
    },
  },
  {
    rule: 'Netcat/Socat Remote Code Execution on Host',
    source: 'syscall',
    file: FILE,
    detects: 'On the host (not in a container): nc with -e or -c anywhere in its command line, ncat with --sh-exec, --exec, --lua-exec, -e or -c, or socat with EXEC or SYSTEM in its arguments — the options that wire a network connection to a program.',
    attackerGoal: 'A reverse or bind shell on the host with a tool that is often already installed, giving the attacker interactive command execution.',
    mitre: ['T1059', 'TA0002'],
    keyFields: [KF.cmdline, KF.procName, KF.pname, KF.userName, KF.loginuid, KF.tty],
    benignCauses: [
      'Administrators using socat EXEC or SYSTEM for port forwarding, serial bridges or test harnesses.',
      'nc port checks against host names that contain "-e" or "-c" (us-east-1...), since the match is a plain substring.',
    ],
    investigate: [allSockets, psTree, hashExe, { command: 'dpkg -S <proc.exepath>', purpose: 'On Debian or Ubuntu, names the package that installed the tool.' }],
    mitigations: [
      {
        summary: 'Remove netcat variants and socat from hosts that do not need them, so the tool is not there to be abused.',
        commands: [
          { command: 'apt-get remove <package>', purpose: 'On Debian or Ubuntu, removes the package named by dpkg -S.', changesSystem: true },
          { command: 'dnf remove <package>', purpose: 'On RHEL or Fedora, removes the package named by rpm -qf.', changesSystem: true },
        ],
      },
    ],
    tuning: {
      summary: 'Allow one tool with one exact command line (a known forwarding or test job).',
      yaml: exceptionTuning('Netcat/Socat Remote Code Execution on Host', 'allow_known_socat_job', ['proc.exepath', 'proc.cmdline']),
    },
  },
  {
    rule: 'Network Tool Executed During NPM Package Install',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, a network tool (nc, ncat, netcat, nmap, dig, tcpdump, tshark, ngrep, telnet, mitmproxy, socat or zmap) starts with npm, yarn, pnpm or bun as its parent or as an ancestor up to five levels up.',
    attackerGoal: 'A malicious package runs install scripts (preinstall, postinstall) that fetch payloads or send secrets out; a network tool under the package manager is a sign of such a script.',
    mitre: ['T1195.002', 'TA0001', 'TA0002'],
    keyFields: [KF.cmdline, KF.procName, KF.pname, KF.aname2, { field: 'proc.aname[3]', meaning: 'Great-grandparent: together with the parent and grandparent, shows which package manager and script led here.' }, KF.image],
    benignCauses: [
      'npm run scripts (not installs) that wait for a database with nc -z before tests start; the rule matches any tree under the package manager.',
      'Test suites that use dig or nc against local services.',
    ],
    investigate: [
      { command: 'npm view <package_name> scripts', purpose: 'Shows the lifecycle scripts a package declares (preinstall, install, postinstall).' },
      psTree,
      crictlInspect,
      podLogs,
    ],
    mitigations: [
      {
        summary: 'Do not run dependency install scripts by default; rebuild the few packages that need them explicitly.',
        config: { language: 'ini', title: '.npmrc of the project or CI user', text: 'ignore-scripts=true' },
      },
      egressDefaultDeny,
    ],
    tuning: {
      summary: 'Allow one exact command line in one image (for example a wait-for-port check in a test script).',
      yaml: exceptionTuning('Network Tool Executed During NPM Package Install', 'allow_known_script_tool', ['container.image.repository', 'proc.cmdline']),
    },
  },
  {
    rule: 'Known Cryptominer Process Executed',
    source: 'syscall',
    file: FILE,
    detects: 'A process starts whose name is one of a list of well-known mining programs (xmrig, xmr-stak, minerd, cpuminer, ethminer, t-rex, lolminer and others).',
    attackerGoal: 'Cryptojacking: turning the victim\'s CPU or GPU time into cryptocurrency, usually right after initial access.',
    mitre: ['T1496', 'T1496.001', 'TA0040'],
    keyFields: [KF.procName, KF.exepath, KF.cmdline, KF.exeFlags, KF.pname, KF.userName],
    benignCauses: [
      'Mining or benchmarking that is sanctioned in this environment.',
      'An unrelated program that shares one of the listed names.',
    ],
    investigate: [
      { command: 'ps -o pid,ppid,user,lstart,pcpu,args -C <proc.name>', purpose: 'Shows the process with its CPU usage.' },
      allSockets,
      hashExe,
      userCron,
      crictlInspect,
    ],
    mitigations: [egressDefaultDeny, readOnlyRootFs],
    tuning: {
      summary: 'Allow one sanctioned miner executable run by one account.',
      yaml: exceptionTuning('Known Cryptominer Process Executed', 'allow_sanctioned_miner', ['proc.exepath', 'user.name']),
    },
  },
  {
    rule: 'Web Server Spawned Shell',
    source: 'syscall',
    file: FILE,
    detects: 'A shell (sh, bash, dash, zsh...) starts with a web or application server (nginx, httpd, apache2, lighttpd, php-fpm, php, php-cgi, gunicorn, uwsgi...) as parent, grandparent or great-grandparent, unless its command line starts with "sh -c /usr/bin" or contains "healthcheck".',
    attackerGoal: 'A web shell or a command-injection bug gives the attacker commands on the server through HTTP requests; the shell is where those commands run.',
    mitre: ['T1505.003', 'TA0003', 'TA0002'],
    keyFields: [
      KF.cmdline,
      { field: 'proc.pname', meaning: 'The web or application server process that started the shell.' },
      KF.aname2,
      KF.userName,
      KF.exeFlags,
    ],
    benignCauses: [
      'PHP\'s mail(), which runs "sh -c /usr/sbin/sendmail ..." (not covered by the /usr/bin exclusion).',
      'Applications that call exec() or system() for image or document conversion.',
      'Command-line PHP tools (composer, artisan) spawning shells, because "php" itself is in the server list.',
    ],
    investigate: [
      psTree,
      { command: 'find <web_root> -xdev -type f -mtime -1 -ls', purpose: 'Lists files in the web root changed during the last day; a new script there may be a web shell.' },
      { command: 'tail -n 200 <access_log> | cat -v', purpose: 'Shows the latest requests, to find the one that ran the command.' },
      crictlInspect,
    ],
    mitigations: [phpDisableFunctions, readOnlyRootFs],
    tuning: {
      summary: 'Allow one exact shell command line under one server process (a known CGI or mail call).',
      yaml: exceptionTuning('Web Server Spawned Shell', 'allow_known_server_shell', ['proc.pname', 'proc.cmdline']),
    },
  },
  {
    rule: 'Web Server Spawned Suspicious Child Process',
    source: 'syscall',
    file: FILE,
    detects: 'curl, wget, nc, ncat, netcat, socat, python, python3, perl, ruby, nmap, id, whoami, uname or base64 starts with a web or application server as parent, grandparent or great-grandparent, unless the command line contains "healthcheck" or "status".',
    attackerGoal: 'After exploiting a web application, attackers download tools, open connections and look around with exactly these programs.',
    mitre: ['T1059', 'TA0002'],
    keyFields: [
      KF.cmdline,
      KF.procName,
      { field: 'proc.pname', meaning: 'The web or application server process that started it.' },
      KF.aname2,
      KF.userName,
    ],
    benignCauses: [
      'Applications shelling out to curl or wget for downloads and webhooks.',
      'PHP or Python code calling helper scripts, or libraries that run uname or id for system information.',
    ],
    investigate: [
      psTree,
      allSockets,
      { command: 'tail -n 200 <access_log> | cat -v', purpose: 'Shows the latest requests, to find the one that started the program.' },
      crictlInspect,
    ],
    mitigations: [egressDefaultDeny, phpDisableFunctions],
    tuning: {
      summary: 'Allow one exact command line under one server process.',
      yaml: exceptionTuning('Web Server Spawned Suspicious Child Process', 'allow_known_server_child', ['proc.pname', 'proc.cmdline']),
    },
  },
  {
    rule: 'Reverse Shell from Web Server',
    source: 'syscall',
    file: FILE,
    detects: 'A process started under a web or application server (up to the great-grandparent) has a reverse-shell idiom in its command line: /dev/tcp/, "nc -e", "ncat -e", "bash -i", Python or Perl one-liners that open sockets, "ruby -rsocket", or mkfifo together with /tmp.',
    attackerGoal: 'An outbound interactive shell from the compromised server back to the attacker, which passes inbound firewalls.',
    mitre: ['T1059', 'T1059.004', 'TA0002'],
    keyFields: [KF.cmdline, KF.procName, { field: 'proc.pname', meaning: 'The web or application server process under which it ran.' }, KF.userName, KF.tty],
    benignCauses: [
      'A health-check script probing a port with bash\'s /dev/tcp.',
      'Announced penetration tests.',
    ],
    investigate: [
      allSockets,
      psTree,
      { command: 'tail -n 200 <access_log> | cat -v', purpose: 'Shows the latest requests, to find the one that started the shell.' },
      crictlInspect,
    ],
    mitigations: [egressDefaultDeny, phpDisableFunctions],
    tuning: {
      summary: 'Allow one exact command line under one server process — only after confirming it is a health check you own.',
      yaml: exceptionTuning('Reverse Shell from Web Server', 'allow_known_port_probe', ['proc.pname', 'proc.cmdline']),
    },
  },
  {
    rule: 'Privileged Container Device Access',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, a disk device (/dev/sd*, /dev/nvme*, /dev/vd*, /dev/xvd*) or a memory device (/dev/mem, /dev/kmem) is opened for reading or writing.',
    attackerGoal: 'With the node\'s disk device a process can read or change the host filesystem directly, bypassing every container boundary; memory devices expose kernel and process memory where the kernel allows it.',
    mitre: ['T1611', 'TA0004'],
    keyFields: [
      { field: 'fd.name', meaning: 'The device that was opened.' },
      KF.exepath,
      KF.cmdline,
      KF.pname,
      KF.image,
    ],
    benignCauses: [
      'CSI node plugins and storage software (Ceph, Longhorn, OpenEBS) that format and mount volumes.',
      'Disk health tools (smartctl) and node problem detectors.',
      'Virtual-machine runtimes in containers (KubeVirt).',
    ],
    investigate: [crictlInspect, podSecurity, describePod, { command: 'lsblk -f', purpose: 'Lists the node\'s block devices and their filesystems, to see what the device holds.' }],
    mitigations: [
      podSecurityBaseline,
      {
        summary: 'Do not run application containers privileged and do not pass host devices to them.',
        config: { language: 'yaml', title: 'Container securityContext in the pod spec', text: 'securityContext:\n  privileged: false\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: ["ALL"]' },
      },
    ],
    tuning: {
      summary: 'Allow one program in one image to open one device (a storage driver).',
      yaml: exceptionTuning('Privileged Container Device Access', 'allow_storage_driver', ['container.image.repository', 'proc.exepath', 'fd.name']),
    },
  },
  {
    rule: 'Container Access to Host Sensitive Paths',
    source: 'syscall',
    file: FILE,
    detects: 'In a container, a file under /host/, /rootfs/ or /hostfs/ is opened for reading or writing by a process that is not a container runtime; those prefixes are where host filesystems are usually mounted into containers.',
    attackerGoal: 'Reading or writing the node\'s files from a container gives access to host credentials, kubelet keys and system configuration — an escape without exploiting anything.',
    mitre: ['T1611', 'TA0004'],
    keyFields: [KF.fdName, KF.exepath, KF.cmdline, KF.pname, KF.image, KF.pod],
    benignCauses: [
      'Monitoring and security agents that read /host/proc and /host/sys (node exporters, APM and security agents).',
      'Debug pods such as kubectl debug node/..., which mount the node\'s / at /host.',
      'Backup or log collectors that mount host directories under /host.',
    ],
    investigate: [podVolumes, crictlInspect, describePod, psByName],
    mitigations: [podSecurityBaseline],
    tuning: {
      summary: 'Allow one program in one image (an agent that needs host paths).',
      yaml: exceptionTuning('Container Access to Host Sensitive Paths', 'allow_known_host_agent', ['container.image.repository', 'proc.exepath']),
    },
  },
];
