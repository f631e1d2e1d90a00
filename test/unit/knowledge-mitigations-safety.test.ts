// Safety checks over every playbook (issue 3): every shell command is valid bash and shellcheck-clean, nothing shown
// to the user destroys or weakens the host, investigation commands are read-only, commands that change the system
// say so, and placeholders are explicit instead of invented values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { allPlaybooks, lookupField } from '../../server/src/knowledge';
import type { Playbook, ShellCommand } from '../../server/src/knowledge';
import { placeholdersForLint, placeholdersIn } from '../../server/src/knowledge/placeholders';

// ---------------------------------------------------------------------------------------------------------------
// A small shell reader: enough of bash's word splitting to see which programs a command line runs, with which
// arguments and redirections. Quotes are removed from words; `$(`, backticks, pipes and lists separate commands.

interface SimpleCommand { words: string[]; redirects: { op: string; target: string }[] }

const OPERATORS = ['&&', '||', ';;', '|&', '$(', ';', '|', '&', '(', ')', '`', '\n'];

/** Splits a command line into simple commands and the pipelines they form (commands joined by `|`). */
export function readShell(line: string): { commands: SimpleCommand[]; pipelines: SimpleCommand[][] } {
  const commands: SimpleCommand[] = [];
  const pipelines: SimpleCommand[][] = [];
  let pipeline: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [], redirects: [] };
  let word = '';
  let inWord = false;
  let pendingRedirect: string | undefined;
  const endWord = () => {
    if (!inWord) return;
    if (pendingRedirect !== undefined) { current.redirects.push({ op: pendingRedirect, target: word }); pendingRedirect = undefined; }
    else current.words.push(word);
    word = ''; inWord = false;
  };
  const endCommand = (pipeOn: boolean) => {
    endWord();
    if (current.words.length > 0 || current.redirects.length > 0) { commands.push(current); pipeline.push(current); }
    current = { words: [], redirects: [] };
    pendingRedirect = undefined;
    if (!pipeOn) { if (pipeline.length > 0) pipelines.push(pipeline); pipeline = []; }
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      if (line[i + 1] !== '\n') { word += line[i + 1]; inWord = true; }
      i++;
      continue;
    }
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      const end = close < 0 ? line.length : close;
      word += line.slice(i + 1, end); inWord = true; i = end;
      continue;
    }
    if (c === '"') {
      // Double quotes: keep the text; a `$(` inside is still a command, read separately.
      let j = i + 1;
      while (j < line.length && line[j] !== '"') { if (line[j] === '\\') j++; j++; }
      const inner = line.slice(i + 1, j);
      word += inner; inWord = true; i = j;
      const sub = inner.indexOf('$(');
      if (sub >= 0) { const nested = readShell(inner.slice(sub + 2)); commands.push(...nested.commands); pipelines.push(...nested.pipelines); }
      continue;
    }
    if (c === '#' && !inWord) { const nl = line.indexOf('\n', i); i = nl < 0 ? line.length : nl - 1; continue; }
    if (c === ' ' || c === '\t') { endWord(); continue; }
    // Redirections: [n]> [n]>> &> >| <, and the `n>&m` duplications (which write nothing).
    const redirect = /^(\d*(?:>>|>\||>&|>|<<<|<<|<&|<>|<)|&>>|&>)/.exec(line.slice(i));
    if (redirect && (!inWord || /^\d+$/.test(word))) {
      if (inWord) { word = ''; inWord = false; }
      pendingRedirect = redirect[1].replace(/^\d+/, '');
      i += redirect[1].length - 1;
      continue;
    }
    // `{` and `}` group commands only as words of their own (`{}` in find -exec and `${x}` are ordinary text).
    if ((c === '{' || c === '}') && !inWord && /^[\s;]?$/.test(line[i + 1] ?? '')) { endCommand(false); continue; }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      endCommand(op === '|' || op === '|&');
      i += op.length - 1;
      continue;
    }
    word += c; inWord = true;
  }
  endCommand(false);
  return { commands, pipelines };
}

const base = (word: string) => word.slice(word.lastIndexOf('/') + 1);

/** Options of wrapper programs that take a value (`nsenter -t <pid>`), so the wrapped command is found. */
const WRAPPER_VALUE_OPTIONS: Record<string, string[]> = {
  sudo: ['-u', '-g', '-C', '-h', '-p', '-U', '-r', '-t', '-D'],
  nsenter: ['-t', '--target', '-S', '--setuid', '-G', '--setgid'],
  timeout: ['-s', '--signal', '-k', '--kill-after'],
  nice: ['-n', '--adjustment'],
  ionice: ['-c', '-n', '-p'],
  env: ['-u', '--unset', '-C', '--chdir'],
  xargs: ['-I', '-n', '-P', '-d', '-a', '-s', '-L', '-E'],
  chroot: [],
  nohup: [],
  command: [],
  exec: [],
  stdbuf: ['-i', '-o', '-e'],
};

/** The programs a simple command runs: itself and, for wrappers (`sudo`, `nsenter`, `kubectl exec ... --`,
 *  `find -exec`), the command they wrap. */
export function effectiveCommands(words: string[]): string[][] {
  let rest = words.filter((w) => w !== '');
  while (rest.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0])) rest = rest.slice(1);
  if (rest.length === 0) return [];
  const program = base(rest[0]);
  const wrapped = (from: string[]): string[][] => [rest, ...effectiveCommands(from)];
  if (program in WRAPPER_VALUE_OPTIONS) {
    const takesValue = WRAPPER_VALUE_OPTIONS[program];
    let i = 1;
    while (i < rest.length && rest[i].startsWith('-')) {
      if (rest[i] === '--') { i++; break; }
      i += takesValue.includes(rest[i]) ? 2 : 1;
    }
    if (program === 'timeout' && i < rest.length) i++; // the duration
    if (program === 'chroot' && i < rest.length) i++; // the new root
    if (program === 'ionice' || program === 'nice' || program === 'stdbuf' || program === 'nohup' || program === 'env' || program === 'command' || program === 'exec') return i < rest.length ? effectiveCommands(rest.slice(i)) : [rest];
    return i < rest.length ? wrapped(rest.slice(i)) : [rest];
  }
  if (['kubectl', 'crictl', 'docker', 'podman', 'nerdctl', 'oc'].includes(program) && rest.includes('exec')) {
    const dashes = rest.indexOf('--');
    if (dashes >= 0) return wrapped(rest.slice(dashes + 1));
    if (program !== 'kubectl' && program !== 'oc') {
      // crictl/docker exec [options] <container> <command...>
      let i = rest.indexOf('exec') + 1;
      while (i < rest.length && rest[i].startsWith('-')) i += /^-(u|w|e|-user|-workdir|-env)$/.test(rest[i]) ? 2 : 1;
      return i + 1 < rest.length ? wrapped(rest.slice(i + 1)) : [rest];
    }
  }
  if (program === 'find') {
    const result: string[][] = [rest];
    for (let i = 0; i < rest.length; i++) {
      if (['-exec', '-execdir', '-ok', '-okdir'].includes(rest[i])) {
        const end = rest.findIndex((w, j) => j > i && (w === ';' || w === '+'));
        result.push(...effectiveCommands(rest.slice(i + 1, end < 0 ? undefined : end)));
      }
    }
    return result;
  }
  if ((program === 'sh' || program === 'bash') && rest[1] === '-c' && rest[2] !== undefined) {
    return [rest, ...readShell(rest[2]).commands.flatMap((c) => effectiveCommands(c.words))];
  }
  return [rest];
}

// ---------------------------------------------------------------------------------------------------------------
// "Changes the system": investigation commands must match none of these; mitigation commands that match one must
// be marked changesSystem: true.

const WRITE_PROGRAMS = new Set([
  'rm', 'rmdir', 'mv', 'shred', 'truncate', 'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'kill', 'pkill', 'killall',
  'useradd', 'usermod', 'userdel', 'groupadd', 'groupmod', 'groupdel', 'chpasswd', 'gpasswd', 'modprobe',
  'insmod', 'rmmod', 'setenforce', 'setsebool', 'semanage', 'aa-enforce', 'aa-complain', 'aa-disable', 'aa-teardown',
  'ln', 'touch', 'mkdir', 'install', 'tee', 'reboot', 'shutdown', 'halt', 'poweroff', 'swapoff', 'swapon', 'umount',
  'setcap', 'update-grub', 'grub-mkconfig', 'mkfs', 'fdisk', 'parted', 'wipefs', 'vi', 'vim', 'nano',
]);

const AWS_WRITE = /^(put|delete|create|update|attach|detach|modify|remove|disable|enable|stop|terminate|reboot|revoke|authorize|tag|untag|set|deregister|register|start|reset|replace|associate|disassociate|import|run|cancel|deactivate|activate|add|change|restore|rotate|upload|send|publish|invoke|copy|accept|reject|apply|restore|schedule|unassign|assign|admin-)/;
const KUBECTL_WRITE = new Set(['delete', 'apply', 'patch', 'edit', 'create', 'scale', 'cordon', 'uncordon', 'drain', 'label',
  'annotate', 'replace', 'set', 'taint', 'run', 'expose', 'autoscale', 'debug', 'cp', 'rollout', 'certificate']);
const KUBECTL_VALUE_OPTIONS = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-l',
  '--selector', '-o', '--output', '-c', '--container', '--as', '--as-group', '-f', '--filename', '--field-selector', '-s', '--server']);
const CONTAINER_CLI_WRITE = new Set(['rm', 'rmi', 'rmp', 'stop', 'stopp', 'kill', 'run', 'runp', 'create', 'start', 'restart',
  'update', 'pause', 'unpause', 'prune', 'commit', 'cp', 'load', 'import', 'pull', 'push', 'tag', 'attach']);

/** Why a command changes the system, or undefined when it only reads. */
export function changesSystem(command: string): string | undefined {
  const { commands } = readShell(placeholdersForLint(command));
  for (const simple of commands) {
    for (const r of simple.redirects) {
      if (r.op.startsWith('<') && r.op !== '<>') continue;
      if (r.op === '>&' && /^\d+$|^-$/.test(r.target)) continue;
      if (['/dev/null', '/dev/stdout', '/dev/stderr'].includes(r.target)) continue;
      return `writes a file with ${r.op} ${r.target}`;
    }
    for (const words of effectiveCommands(simple.words)) {
      const reason = programChangesSystem(words);
      if (reason) return reason;
    }
  }
  return undefined;
}

function firstSubcommand(words: string[], valueOptions: Set<string>): { sub?: string; index: number } {
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-')) { if (valueOptions.has(w)) i++; continue; }
    return { sub: w, index: i };
  }
  return { index: words.length };
}

function programChangesSystem(words: string[]): string | undefined {
  const program = base(words[0]);
  const args = words.slice(1);
  const has = (...flags: string[]) => args.some((a) => flags.includes(a));
  const shortFlag = (letter: string) => args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter));
  if (WRITE_PROGRAMS.has(program)) return `${program} changes files, processes or settings`;
  if (/^mkfs\./.test(program)) return `${program} formats a file system`;
  switch (program) {
    case 'cp': {
      const target = args.filter((a) => !a.startsWith('-')).pop() ?? '';
      if (target.startsWith('/') && !/^\/(var\/)?tmp\//.test(target)) return 'cp writes into a system directory';
      return undefined;
    }
    case 'find': return args.some((a) => /^-(delete|fprint0?|fprintf|fls)$/.test(a)) ? 'find deletes or writes files' : undefined;
    case 'dd': return args.some((a) => a.startsWith('of=')) ? 'dd writes a file' : undefined;
    case 'sed': case 'perl': return args.some((a) => /^-[A-Za-z]*i/.test(a) || a.startsWith('--in-place')) ? `${program} -i edits a file in place` : undefined;
    case 'mount': {
      const operands = args.filter((a) => !a.startsWith('-'));
      const listing = args.every((a) => ['-l', '--show-labels', '-t'].includes(a) || !a.startsWith('-')) && operands.length <= (has('-t') ? 1 : 0);
      return listing ? undefined : 'mount changes mounts';
    }
    case 'systemctl': {
      const { sub } = firstSubcommand(words, new Set(['-H', '--host', '-M', '--machine', '-p', '--property', '-t', '--type', '--state', '-n', '--lines', '-o', '--output']));
      return sub && ['start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'enable', 'disable', 'mask', 'unmask', 'kill',
        'daemon-reload', 'isolate', 'set-property', 'edit', 'link', 'preset', 'revert', 'reset-failed', 'freeze', 'thaw', 'clean'].includes(sub)
        ? `systemctl ${sub} changes services` : undefined;
    }
    case 'service': return args.some((a) => ['start', 'stop', 'restart', 'reload', 'force-reload'].includes(a)) ? 'service changes services' : undefined;
    case 'passwd': return has('-S', '--status') ? undefined : 'passwd changes an account password';
    case 'kubectl': case 'oc': {
      const { sub, index } = firstSubcommand(words, KUBECTL_VALUE_OPTIONS);
      if (!sub) return undefined;
      if (args.some((a) => /^--dry-run=(server|client)$/.test(a))) return undefined;
      if (sub === 'rollout') { const action = words[index + 1]; return action && ['restart', 'undo', 'pause', 'resume'].includes(action) ? `kubectl rollout ${action} changes the cluster` : undefined; }
      if (sub === 'auth' && words[index + 1] === 'reconcile') return 'kubectl auth reconcile changes RBAC';
      return KUBECTL_WRITE.has(sub) ? `kubectl ${sub} changes the cluster` : undefined;
    }
    case 'crictl': case 'docker': case 'podman': case 'nerdctl': case 'ctr': {
      const { sub, index } = firstSubcommand(words, new Set(['-r', '--runtime-endpoint', '-i', '--image-endpoint', '-H', '--host', '-n', '--namespace', '-c', '--config']));
      if (!sub) return undefined;
      if (CONTAINER_CLI_WRITE.has(sub)) return `${program} ${sub} changes containers or images`;
      const action = words[index + 1];
      if (['network', 'volume', 'system', 'image', 'container', 'containers', 'images', 'tasks', 'snapshots'].includes(sub) && action && /^(rm|remove|delete|del|prune|create|kill|start|pause|resume|connect|disconnect|import|pull|push|tag)$/.test(action)) {
        return `${program} ${sub} ${action} changes containers or images`;
      }
      return undefined;
    }
    case 'aws': {
      // Service and operation are the first two positional words; global options before them take a value.
      const operands: string[] = [];
      for (let i = 0; i < args.length; i++) {
        if (args[i].startsWith('--')) { if (!args[i].includes('=') && operands.length < 2 && args[i + 1] !== undefined && !args[i + 1].startsWith('-')) i++; continue; }
        operands.push(args[i]);
      }
      if (operands[0] === 's3' && operands[1] && ['cp', 'mv', 'rm', 'sync', 'mb', 'rb', 'website', 'presign'].includes(operands[1])) return `aws s3 ${operands[1]} changes S3`;
      return operands[1] && AWS_WRITE.test(operands[1]) ? `aws ${operands[0]} ${operands[1]} changes the account` : undefined;
    }
    case 'gcloud': case 'az': return args.some((a) => /^(delete|create|update|set|add-iam-policy-binding|remove-iam-policy-binding|add|remove|disable|enable|deploy|reset|stop|start|resize|set-iam-policy)$/.test(a)) ? `${program} changes the cloud account` : undefined;
    case 'iptables': case 'ip6tables': case 'iptables-legacy': case 'iptables-nft': case 'ebtables':
      return args.some((a) => /^-[AIDFPXRNZE]$/.test(a) || /^--(append|insert|delete|flush|policy|delete-chain|replace|new-chain|zero|rename-chain)$/.test(a)) ? `${program} changes the firewall` : undefined;
    case 'iptables-restore': case 'ip6tables-restore': case 'nft':
      return program !== 'nft' || args.some((a) => /^(add|delete|flush|insert|replace|create|destroy|-f|--file)$/.test(a)) ? `${program} changes the firewall` : undefined;
    case 'ip': {
      const operands = args.filter((a) => !a.startsWith('-'));
      return operands.slice(1).some((a) => /^(set|add|del|delete|change|replace|flush|append|prepend)$/.test(a)) ? 'ip changes the network' : undefined;
    }
    case 'sysctl': return has('-w', '--write', '-p', '--load', '--system') || shortFlag('w') || args.some((a) => a.includes('=') && !a.startsWith('-')) ? 'sysctl changes a kernel setting' : undefined;
    case 'apt': case 'apt-get': case 'yum': case 'dnf': case 'zypper': case 'apk': case 'pip': case 'pip3': case 'npm': case 'snap': case 'gem':
      return args.some((a) => /^(install|reinstall|remove|purge|upgrade|dist-upgrade|full-upgrade|update|erase|add|del|autoremove|uninstall|i|rm)$/.test(a)) ? `${program} changes installed packages` : undefined;
    case 'dpkg': return args.some((a) => /^(-i|--install|-r|--remove|-P|--purge|--configure|--unpack)$/.test(a)) ? 'dpkg changes installed packages' : undefined;
    case 'rpm': return args.some((a) => /^-[A-Za-z]*[iUFe]/.test(a) && !/^-[A-Za-z]*[qV]/.test(a) || /^--(install|upgrade|freshen|erase|import)$/.test(a)) ? 'rpm changes installed packages' : undefined;
    case 'crontab': return has('-l') ? undefined : 'crontab changes scheduled jobs';
    case 'auditctl': return args.every((a) => ['-l', '-s', '--help', '-v'].includes(a)) ? undefined : 'auditctl changes audit rules';
    case 'apparmor_parser': return has('-Q', '--skip-kernel-load') ? undefined : 'apparmor_parser loads or removes profiles';
    case 'git': return args.some((a) => /^(commit|push|reset|checkout|clean|rm|mv|apply|am|merge|rebase|stash)$/.test(a)) ? 'git changes a repository' : undefined;
    case 'helm': return args.some((a) => /^(install|upgrade|uninstall|delete|rollback)$/.test(a)) ? `helm changes releases` : undefined;
    case 'kubeadm': return args.some((a) => /^(reset|init|join|upgrade|renew)$/.test(a)) ? 'kubeadm changes the cluster' : undefined;
    case 'tc': return args.some((a) => /^(add|del|delete|change|replace)$/.test(a)) ? 'tc changes traffic control' : undefined;
    case 'visudo': return has('-c', '--check') ? undefined : 'visudo edits sudoers';
    case 'falcoctl': return args.some((a) => /^(install|driver)$/.test(a)) ? 'falcoctl installs artifacts or drivers' : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The allowlist of investigation: every program an investigation step runs (wrapped ones too: `nsenter ... ss`,
// `crictl exec <id> ls`) is a known read-only tool used with read-only subcommands and flags. The deny-list above
// catches the writes it knows; this catches a new program or flag before anyone reasons about it.

const positional = (args: string[]) => args.filter((a) => !a.startsWith('-'));
const onlyFlags = (args: string[], allowed: RegExp) => args.filter((a) => a.startsWith('-')).every((a) => allowed.test(a));

/** Programs that only read, whatever their arguments (short of redirections, which changesSystem reads). */
const READ_ONLY_ANY = new Set(['ls', 'stat', 'cat', 'tail', 'head', 'grep', 'sha256sum', 'sha1sum', 'md5sum', 'ps', 'pstree', 'ss',
  'getent', 'last', 'lastlog', 'lsblk', 'findmnt', 'file', 'readlink', 'printf', 'od', 'base64', 'w', 'who', 'uname', 'id', 'lsmod',
  'modinfo', 'lsns', 'getcap', 'jq', 'aureport', 'ausearch', 'wc', 'sort', 'uniq', 'cut', 'strings', 'lsof', 'nsenter']);

/** Why an investigation step's program is not on the allowlist of read-only uses, or undefined when it is. */
export function notAllowlistedReadOnly(words: string[]): string | undefined {
  const program = base(words[0]);
  const args = words.slice(1);
  const [first, second] = positional(args);
  if (READ_ONLY_ANY.has(program)) return undefined;
  const deny = (why: string) => `${program} ${args.join(' ')}: ${why}`;
  switch (program) {
    case 'find': return args.some((a) => /^-(delete|fprint0?|fprintf|fls|ok|okdir)$/.test(a)) ? deny('writes or asks') : undefined; // -exec's command is read on its own
    case 'kubectl': {
      const { sub, index } = firstSubcommand(words, KUBECTL_VALUE_OPTIONS);
      const action = words[index + 1];
      if (sub === 'get' || sub === 'describe' || sub === 'logs' || sub === 'top' || sub === 'explain' || sub === 'api-resources' || sub === 'version') return undefined;
      if (sub === 'auth' && action === 'can-i') return undefined;
      if (sub === 'rollout' && action === 'history') return undefined;
      return deny('not a read-only kubectl subcommand');
    }
    case 'aws': {
      const operands: string[] = [];
      for (let i = 0; i < args.length; i++) {
        if (args[i].startsWith('--')) { if (!args[i].includes('=') && operands.length < 2 && args[i + 1] !== undefined && !args[i + 1].startsWith('-')) i++; continue; }
        operands.push(args[i]);
      }
      return /^(get|list|describe|lookup|head)-/.test(operands[1] ?? '') ? undefined : deny('not a get/list/describe/lookup operation');
    }
    case 'crictl': return ['inspect', 'inspecti', 'inspectp', 'logs', 'ps', 'pods', 'images', 'info', 'version', 'stats', 'exec'].includes(first ?? '') ? undefined : deny('not a read-only crictl subcommand');
    case 'dpkg': return onlyFlags(args, /^(-S|-s|-l|-L|-V|--search|--status|--list|--listfiles|--verify)$/) && args.some((a) => a.startsWith('-')) ? undefined : deny('not a dpkg query');
    case 'dpkg-query': return onlyFlags(args, /^(-W|-s|-l|-L|-S|--show|--status|--list|--listfiles|--search)$/) ? undefined : deny('not a dpkg-query query');
    case 'rpm': return args.every((a) => !a.startsWith('-') || /^-[qV][a-zA-Z]*$|^--(last|query|verify)$/.test(a)) && args.some((a) => /^-[qV]/.test(a)) ? undefined : deny('not an rpm query or verify');
    case 'apt-cache': return ['policy', 'show', 'showpkg', 'madison', 'depends', 'rdepends', 'search', 'stats'].includes(first ?? '') ? undefined : deny('not an apt-cache query');
    case 'dnf': case 'yum': return ['repolist', 'list', 'info', 'repoquery', 'provides'].includes(first ?? '') ? undefined : deny(`not a ${program} query`);
    case 'npm': return ['view', 'ls', 'list', 'explain', 'audit'].includes(first ?? '') && !args.includes('fix') ? undefined : deny('not an npm query');
    case 'journalctl': return args.some((a) => /^--(rotate|vacuum-\w+|flush|sync|relinquish-var|smart-relinquish-var|setup-keys|update-catalog)/.test(a)) ? deny('changes the journal') : undefined;
    case 'sysctl': return changesSystem(words.join(' ')) ? deny('writes a setting') : undefined;
    case 'crontab': return args.includes('-l') ? undefined : deny('only -l lists');
    case 'passwd': return args.includes('-S') || args.includes('--status') ? undefined : deny('only -S shows status');
    case 'systemctl': return /^(list-\w+|status|show|cat|is-\w+)$/.test(first ?? '') ? undefined : deny('not a read-only systemctl command');
    case 'loginctl': return /^(list-\w+|show-\w+|session-status|user-status|seat-status)$/.test(first ?? '') ? undefined : deny('not a read-only loginctl command');
    case 'ssh-keygen': return onlyFlags(args, /^-(l|f|E|v)$/) && args.includes('-l') ? undefined : deny('only -l reads fingerprints');
    case 'bpftool': return ['prog', 'map', 'net', 'link', 'btf', 'cgroup', 'feature'].includes(first ?? '') && ['show', 'list', undefined].includes(second) ? undefined : deny('not a bpftool listing');
    case 'psql': {
      const sql = args.filter((_a, i) => args[i - 1] === '-c');
      return sql.length > 0 && sql.every((q) => /^\s*(SHOW|SELECT)\b/i.test(q)) ? undefined : deny('only SHOW or SELECT statements');
    }
    // ldd may run the program it inspects to find its libraries (man ldd: never on an untrusted executable).
    case 'ldd': return args.length === 1 && args[0] === '--version' ? undefined : deny('ldd may execute the program it reads');
    case 'runc': return args.length === 1 && ['--version', '-v'].includes(args[0]) || ['list', 'state', 'ps'].includes(first ?? '') ? undefined : deny('not a runc query');
    // A copy of evidence writes one new file the user names; --no-clobber keeps it from replacing an existing one.
    case 'cp': return (args.includes('-n') || args.includes('--no-clobber')) && /^(PLACEHOLDER|<[a-z-]+>)$/.test(positional(args).pop() ?? '') ? undefined : deny('an evidence copy needs --no-clobber and a destination the user names');
  }
  return deny('not on the allowlist of read-only investigation programs');
}

// ---------------------------------------------------------------------------------------------------------------
// The deny-list: snippets that destroy or weaken the host. Checked on commands, configuration texts and tuning YAML.

const SYSTEM_DIRS = ['/', '/etc', '/usr', '/var', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/root', '/home', '/opt', '/srv', '/dev', '/proc', '/sys', '/run'];
const normalisePath = (p: string) => (p.length > 1 ? p.replace(/\/+\*?$/, '') || '/' : p);
const isSystemDir = (p: string) => SYSTEM_DIRS.includes(normalisePath(p)) || p === '/*';
/** rm -r is destructive on any path inside a system directory, not only on the directory itself. */
const isInsideSystemDir = (p: string) => isSystemDir(p) || /^\/(etc|usr|var|bin|sbin|lib|lib32|lib64|libx32|boot|root|home|opt|srv|dev|proc|sys|run)\//.test(p) || p === '~' || p.startsWith('~/') || p === '$HOME';

const SECURITY_SERVICES = /^(apparmor|auditd|audit|falco[\w@.-]*|selinux\w*|fapolicyd|ufw|firewalld|nftables|iptables|aide|clamav[\w-]*|wazuh[\w-]*|osqueryd|tetragon|tracee)(\.service|\.socket)?$/i;

/** Problems of a shell command from the deny-list (empty when it is safe). */
export function denyListCommand(command: string): string[] {
  const problems = denyListText(command);
  const { commands, pipelines } = readShell(placeholdersForLint(command));
  for (const simple of commands) {
    for (const words of effectiveCommands(simple.words)) {
      const program = base(words[0]);
      const args = words.slice(1);
      const recursive = args.some((a) => /^-[A-Za-z]*R/.test(a) || a === '--recursive' || (program === 'rm' && /^-[A-Za-z]*r/.test(a)));
      const targets = args.filter((a) => !a.startsWith('-'));
      if ((program === 'chown' || program === 'chmod' || program === 'chgrp') && recursive && targets.some(isSystemDir)) {
        problems.push(`recursive ${program} on a system directory (${targets.filter(isSystemDir).join(', ')})`);
      }
      if (program === 'chmod') {
        const mode = targets[0] ?? '';
        if (/^[0-7]*[2367]$/.test(mode) && mode.length >= 3) problems.push(`chmod ${mode} makes files writable by everyone`);
        if (/(^|,)[ugo]*[oa][ugo]*[+=][rwxXst]*w/.test(mode)) problems.push(`chmod ${mode} makes files writable by everyone`);
      }
      if (program === 'rm' && recursive && targets.some(isInsideSystemDir)) problems.push(`rm -r on a system path (${targets.filter(isInsideSystemDir).join(', ')})`);
      if (program === 'setenforce' && /^(0|permissive)$/i.test(targets[0] ?? '')) problems.push('setenforce 0 turns SELinux enforcement off');
      if (program === 'systemctl' && args.some((a) => /^(stop|disable|mask|kill|isolate)$/.test(a)) && args.some((a) => SECURITY_SERVICES.test(a))) {
        problems.push(`stops or disables a security service (${args.join(' ')})`);
      }
      if (program === 'service' && args.some((a) => SECURITY_SERVICES.test(a)) && args.some((a) => /^(stop|disable)$/.test(a))) problems.push(`stops a security service (${args.join(' ')})`);
      if (['aa-teardown', 'aa-disable', 'aa-complain'].includes(program)) problems.push(`${program} weakens AppArmor`);
      if (program === 'apparmor_parser' && args.some((a) => a === '-R' || a === '--remove')) problems.push('apparmor_parser -R unloads an AppArmor profile');
      if (program === 'auditctl' && (args.includes('-D') || (args.includes('-e') && args[args.indexOf('-e') + 1] === '0'))) problems.push('auditctl removes audit rules or turns auditing off');
      if (['kill', 'pkill', 'killall'].includes(program) && targets.some((t) => SECURITY_SERVICES.test(t))) problems.push(`${program} stops a security agent`);
      if ((program === 'kubectl' || program === 'helm') && args.some((a) => /^(delete|scale|uninstall)$/.test(a)) && args.some((a) => /falco/i.test(a))) problems.push('removes or scales down Falco');
      if (program === 'ufw' && args.includes('disable')) problems.push('ufw disable turns the firewall off');
      if (/^ip6?tables/.test(program) && (args.includes('-F') || args.includes('--flush') || (args.includes('-P') && args.includes('ACCEPT')))) problems.push(`${program} flushes the firewall or opens its default policy`);
      if (program === 'sysctl' && args.some((a) => WEAK_SYSCTL.test(a))) problems.push(`sysctl weakens a kernel protection (${args.join(' ')})`);
      if (program === 'sudo' && args.some((a) => a === '-s' || a === '-i') && words.length === 2) problems.push('opens a root shell');
    }
  }
  for (const pipeline of pipelines) {
    const downloads = pipeline.findIndex((c) => effectiveCommands(c.words).some((w) => /^(curl|wget|fetch)$/.test(base(w[0]))));
    if (downloads < 0) continue;
    if (pipeline.slice(downloads + 1).some((c) => effectiveCommands(c.words).some((w) => INTERPRETERS.test(base(w[0]))))) problems.push('download piped into an interpreter');
  }
  return problems;
}

const INTERPRETERS = /^(sh|bash|dash|zsh|ksh|mksh|ash|fish|csh|tcsh|python[\d.]*|perl|ruby|node|php|source|\.)$/;
const WEAK_SYSCTL = /^(kernel\.yama\.ptrace_scope=0|kernel\.unprivileged_bpf_disabled=0|kernel\.kptr_restrict=0|kernel\.dmesg_restrict=0|kernel\.randomize_va_space=[01]|fs\.protected_(symlinks|hardlinks|fifos|regular)=0|kernel\.unprivileged_userns_clone=1|user\.max_user_namespaces=[1-9]|net\.ipv4\.ip_forward=1)$/;

/** Deny-list patterns that apply to any text: commands, configuration files, tuning YAML. */
const TEXT_DENY: [RegExp, string][] = [
  [/NOPASSWD/i, 'passwordless sudo (NOPASSWD)'],
  [/\bsetenforce\s+(0|permissive)\b/i, 'setenforce 0 turns SELinux enforcement off'],
  [/\b(curl|wget)\b[^\n|;&]*\|\s*(sudo\s+(-\S+\s+)*)?(\S*\/)?(ba|z|da|k|mk|a|c|tc)?sh\b/, 'download piped into a shell'],
  [/\b(ba|z|da|k)?sh\s+(-c\s+)?["']?(<\(|\$\(|`)\s*(curl|wget)\b/, 'downloaded script run by a shell'],
  [/--privileged\b/, '--privileged container'],
  [/\bprivileged:\s*true\b/, 'privileged: true container'],
  [/\ballowPrivilegeEscalation:\s*true\b/, 'allowPrivilegeEscalation: true'],
  [/\breadOnlyRootFilesystem:\s*false\b/, 'readOnlyRootFilesystem: false'],
  [/\btype:\s*Unconfined\b/, 'an Unconfined seccomp or AppArmor profile'],
  [/pod-security\.kubernetes\.io\/enforce:\s*["']?privileged/, 'Pod Security Admission enforce=privileged'],
  [/\b(apparmor|selinux|enforcing|audit)\s*=\s*0\b/i, 'a kernel parameter that turns a security module off'],
  [/\bSELINUX\s*=\s*(disabled|permissive)\b/, 'SELinux disabled or permissive'],
  [/\bchmod\s+(-\S+\s+)*0?777\b/, 'chmod 777'],
  [/\bchmod\s+(-\S+\s+)*-R\s+o-rw?\s+\/etc\b/, 'recursive permission change on /etc'],
  [/\bkernel\.yama\.ptrace_scope\s*=\s*0\b/, 'ptrace_scope=0 weakens ptrace protection'],
  [/\b(aa-teardown|aa-disable)\b/, 'AppArmor torn down or disabled'],
  [/\bsystemctl\s+(stop|disable|mask|kill)\s+(\S+\s+)*(apparmor|auditd|falco\S*|selinux\S*)\b/i, 'a security service stopped or disabled'],
];

/** Problems of any text (command, configuration, YAML) from the deny-list. */
export function denyListText(text: string): string[] {
  return TEXT_DENY.filter(([pattern]) => pattern.test(text)).map(([, why]) => why);
}

/** Advice in prose that silences detection instead of removing a capability. */
const PROSE_DENY: [RegExp, string][] = [
  [/\bexclud\w*\b[^.\n]{0,80}\bfrom (the )?(detection|monitoring|falco|the rule|rules)\b/i, 'advises excluding something from detection'],
  [/\b(disable|stop|turn off|uninstall|remove)\s+(falco|apparmor|selinux|auditd)\b/i, 'advises turning a security tool off'],
  [/\bdisable (the|this) rule\b/i, 'advises disabling the rule'],
];

export function denyListProse(text: string): string[] {
  return PROSE_DENY.filter(([pattern]) => pattern.test(text)).map(([, why]) => why);
}

// ---------------------------------------------------------------------------------------------------------------
// Exceptions that silence a rule: every field says only "where" (a path, a namespace, an event type), or a field is
// compared with a broad directory prefix.

const LOCATION_FIELDS = new Set(['fd.name', 'fd.directory', 'fd.filename', 'fd.nameraw', 'fd.names', 'fs.path.name',
  'fs.path.nameraw', 'fs.path.source', 'fs.path.target', 'fs.path.sourceraw', 'fs.path.targetraw', 'proc.cwd', 'evt.type',
  'evt.dir', 'container.id', 'k8s.ns.name', 'k8s.pod.namespace', 'ka.target.namespace', 'user.name', 'user.uid',
  'user.loginuid', 'user.loginname', 'proc.tty', 'evt.arg.target', 'evt.arg.linkpath', 'evt.arg.path', 'evt.arg.name',
  'evt.arg.filename', 'evt.arg.pathname', 'evt.arg.oldpath', 'evt.arg.newpath', 'fd.sip', 'fd.cip', 'fd.rip', 'fd.lip',
  'fd.sport', 'fd.cport', 'fd.rport', 'fd.lport', 'fd.snet', 'fd.cnet', 'fd.rnet', 'fd.lnet', 'fd.type', 'fd.l4proto']);
const PREFIX_COMPS = new Set(['startswith', 'glob', 'iglob', 'pmatch', 'contains', 'icontains', 'regex', 'endswith', 'bstartswith', 'bcontains']);
const BROAD_PREFIX = /^\/?(tmp|dev\/shm|dev|etc|usr|var|bin|sbin|lib|lib64|home|root|proc|sys|run|opt|var\/tmp|var\/run)?\/?\*{0,2}$/;

export interface ExceptionShape { name?: unknown; fields?: unknown; comps?: unknown; values?: unknown }

/** Why an exception silences a rule instead of allowing one known-good case, or undefined when it is narrow. */
export function broadException(exception: ExceptionShape): string | undefined {
  const fields = Array.isArray(exception.fields) ? exception.fields.map(String) : typeof exception.fields === 'string' ? [exception.fields] : [];
  if (fields.length === 0) return undefined;
  if (fields.every((f) => LOCATION_FIELDS.has(f) || f.startsWith('evt.arg'))) {
    return `exception only on where-fields (${fields.join(', ')}): it silences the rule for every program there`;
  }
  const comps = Array.isArray(exception.comps) ? exception.comps.map(String) : typeof exception.comps === 'string' ? [exception.comps] : fields.map(() => (fields.length === 1 && !Array.isArray(exception.fields) ? 'in' : '='));
  const rows = Array.isArray(exception.values) ? exception.values : [];
  for (const row of rows) {
    const tuple = Array.isArray(row) ? row : [row];
    for (let i = 0; i < fields.length; i++) {
      const comp = comps[i] ?? '=';
      const value = tuple[i];
      const values = Array.isArray(value) ? value.map(String) : [String(value)];
      if (PREFIX_COMPS.has(comp.split(' ')[0]) && values.some((v) => BROAD_PREFIX.test(v.trim()))) {
        return `${fields[i]} ${comp} ${values.join(',')} matches a whole system directory`;
      }
      if (['in', '='].includes(comp) && /^(fd\.directory|proc\.cwd)$/.test(fields[i]) && values.some((v) => BROAD_PREFIX.test(v.trim()))) {
        return `${fields[i]} ${comp} ${values.join(',')} matches a whole system directory`;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Placeholders: `<field.name>` must be a catalog field of the playbook's source, and stand as a whole shell word
// (not inside quotes, where the quoted filled value would break the quoting). No invented concrete values.

const PLACEHOLDER_ANY = /<([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+(?:\[[^\]<>]*\])?|[A-Za-z_][A-Za-z0-9_-]*)>/g;

/** Placeholders that sit inside single or double quotes in a command. */
export function quotedPlaceholders(command: string): string[] {
  return quotedPlaceholderSpans(command).map((s) => s.text);
}

function quotedPlaceholderSpans(command: string): { index: number; text: string }[] {
  const found: { index: number; text: string }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === undefined && c === '\\') { i++; continue; }
    if (quote === '"' && c === '\\') { i++; continue; }
    if ((c === '"' || c === "'") && (quote === undefined || quote === c)) { quote = quote ? undefined : c; continue; }
    if (c === '<' && quote !== undefined) {
      PLACEHOLDER_ANY.lastIndex = i;
      const m = PLACEHOLDER_ANY.exec(command);
      if (m && m.index === i) { found.push({ index: i, text: m[0] }); i += m[0].length - 1; }
    }
  }
  return found;
}

/** The command as bash and shellcheck see it once the user has filled it: a placeholder inside quotes (a user
 *  placeholder in a JSON argument, say) becomes a bare word there, any other one a quoted word. */
export function lintText(command: string): string {
  let out = '';
  let at = 0;
  for (const span of quotedPlaceholderSpans(command)) {
    out += placeholdersForLint(command.slice(at, span.index)) + 'PLACEHOLDER';
    at = span.index + span.text.length;
  }
  return out + placeholdersForLint(command.slice(at));
}

const ALLOWED_IPS = new Set(['127.0.0.1', '0.0.0.0', '169.254.169.254']);
const REAL_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'default', 'falco']);
const SUBRESOURCES = new Set(['exec', 'log', 'attach', 'portforward', 'proxy', 'status', 'eviction', 'ephemeralcontainers', 'binding', 'token',
  'generic', 'tls', 'docker-registry']); // the last three are `kubectl create secret` kinds

/** Concrete values that look invented (addresses, pids, pod names, container ids, account ids). */
export function inventedValues(text: string): string[] {
  const found: string[] = [];
  const plain = text.replace(PLACEHOLDER_ANY, 'PLACEHOLDER');
  for (const m of plain.matchAll(/(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.])/g)) {
    if (!ALLOWED_IPS.has(m[0])) found.push(`IPv4 address ${m[0]}`);
  }
  for (const m of plain.matchAll(/(?:^|\s)(?:-p|--pid|--pids|-t|--target|kill(?:\s+-\w+)?)\s+(\d{2,})\b/g)) found.push(`pid ${m[1]}`);
  for (const m of plain.matchAll(/\/proc\/(\d{2,})\b/g)) found.push(`pid ${m[1]} in /proc`);
  for (const line of plain.split('\n').filter((l) => /\bkubectl\b/.test(l) && !/\bcan-i\b/.test(l))) {
    for (const m of line.matchAll(/\b(?:pods?|po|deployment|deploy|daemonset|ds|serviceaccount|sa|secret|configmap|cm)(?:\s+|\/)(?!-|PLACEHOLDER)([a-z0-9][a-z0-9.-]*)/g)) {
      if (!SUBRESOURCES.has(m[1]) && !REAL_NAMESPACES.has(m[1])) found.push(`resource name ${m[1]}`);
    }
    for (const m of line.matchAll(/(?:^|\s)(?:-n|--namespace)[\s=]+([a-z0-9][a-z0-9-]*)/g)) if (!REAL_NAMESPACES.has(m[1])) found.push(`namespace ${m[1]}`);
  }
  for (const m of plain.matchAll(/\b[0-9a-f]{12,64}\b/g)) if (/[a-f]/.test(m[0]) && /\d/.test(m[0])) found.push(`hex id ${m[0]}`);
  for (const m of plain.matchAll(/(?<![\d.])\d{12}(?![\d.])/g)) found.push(`account-like number ${m[0]}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Walking every snippet of every playbook.

interface Snippet { playbook: Playbook; where: string; command?: ShellCommand; text: string; kind: 'investigate' | 'mitigation' | 'config' | 'tuning' }

function snippetsOf(p: Playbook): Snippet[] {
  const out: Snippet[] = [];
  p.investigate.forEach((c, i) => out.push({ playbook: p, where: `investigate[${i}]`, command: c, text: c.command, kind: 'investigate' }));
  p.mitigations.forEach((m, i) => {
    (m.commands ?? []).forEach((c, j) => out.push({ playbook: p, where: `mitigations[${i}].commands[${j}]`, command: c, text: c.command, kind: 'mitigation' }));
    if (m.config) out.push({ playbook: p, where: `mitigations[${i}].config`, text: m.config.text, kind: 'config' });
  });
  out.push({ playbook: p, where: 'tuning.yaml', text: p.tuning.yaml, kind: 'tuning' });
  return out;
}

const playbooks = allPlaybooks();
const snippets = playbooks.flatMap(snippetsOf);
const commandSnippets = snippets.filter((s) => s.command);
const label = (s: Snippet) => `${s.playbook.rule} ${s.where}: ${s.text}`;

const shellcheckPresent = spawnSync('shellcheck', ['--version']).status === 0;

test('every playbook command is valid bash (bash -n)', () => {
  const failures: string[] = [];
  const script = commandSnippets.map((s) => lintText(s.text)).join('\n');
  const all = spawnSync('bash', ['-n', '-c', script], { encoding: 'utf8' });
  if (all.status !== 0) {
    for (const s of commandSnippets) {
      const one = spawnSync('bash', ['-n', '-c', lintText(s.text)], { encoding: 'utf8' });
      if (one.status !== 0) failures.push(`${label(s)}\n    ${one.stderr.trim()}`);
    }
    if (failures.length === 0) failures.push(`bash -n fails on the joined commands: ${all.stderr.trim()}`);
  }
  assert.deepEqual(failures, []);
});

test('every playbook command passes shellcheck -s bash with no findings', { skip: !shellcheckPresent && 'shellcheck is not installed (CI installs it)' }, async () => {
  // A few files run in parallel, one function per command (each called at the end so none is unreachable);
  // findings map back to the playbook and command by line.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-shellcheck-'));
  const chunks = Math.max(1, Math.min(os.cpus().length, 4));
  try {
    const runs = Array.from({ length: chunks }, async (_, chunk) => {
      const lines = ['#!/bin/bash'];
      const spans: { first: number; last: number; snippet: Snippet }[] = [];
      const mine = commandSnippets.filter((_s, i) => i % chunks === chunk);
      mine.forEach((s, i) => {
        lines.push(`snippet_${i}() {`);
        const first = lines.length + 1;
        lines.push(...lintText(s.text).split('\n'));
        spans.push({ first, last: lines.length, snippet: s });
        lines.push('}');
      });
      mine.forEach((_s, i) => lines.push(`snippet_${i}`));
      const file = path.join(dir, `playbook-commands-${chunk}.sh`);
      fs.writeFileSync(file, lines.join('\n') + '\n');
      const stdout = await new Promise<string>((resolve) => {
        execFile('shellcheck', ['-s', 'bash', '-f', 'json1', file], { maxBuffer: 64 * 1024 * 1024 }, (_error, out) => resolve(String(out)));
      });
      const comments = (JSON.parse(stdout || '{"comments":[]}') as { comments: { line: number; code: number; level: string; message: string }[] }).comments;
      return comments.map((c) => {
        const span = spans.find((sp) => c.line >= sp.first && c.line <= sp.last);
        return `${span ? label(span.snippet) : `line ${c.line}`}\n    SC${c.code} (${c.level}): ${c.message}`;
      });
    });
    assert.deepEqual((await Promise.all(runs)).flat(), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no playbook snippet matches the deny-list of destructive or weakening patterns', () => {
  const failures: string[] = [];
  for (const s of snippets) {
    const problems = s.command ? denyListCommand(s.text) : denyListText(s.text);
    for (const problem of problems) failures.push(`${label(s)}\n    ${problem}`);
  }
  for (const p of playbooks) {
    const prose = [...p.mitigations.map((m) => m.summary), p.tuning.summary, ...p.mitigations.flatMap((m) => (m.commands ?? []).map((c) => c.purpose))];
    for (const text of prose) for (const problem of denyListProse(text)) failures.push(`${p.rule}: "${text}"\n    ${problem}`);
  }
  assert.deepEqual(failures, []);
});

test('no tuning exception silences a rule with a broad where-only or directory-prefix match', () => {
  const failures: string[] = [];
  for (const p of playbooks) {
    let items: unknown[] = [];
    try { items = parseAllDocuments(p.tuning.yaml).flatMap((d) => { const v: unknown = d.toJS(); return Array.isArray(v) ? v : []; }); } catch { continue; } // YAML errors are reported by the playbooks test
    for (const item of items) {
      const exceptions = (item as { exceptions?: unknown }).exceptions;
      if (!Array.isArray(exceptions)) continue;
      for (const e of exceptions) {
        const why = e && typeof e === 'object' ? broadException(e as ExceptionShape) : undefined;
        if (why) failures.push(`${p.rule}: exception ${(e as ExceptionShape).name as string}: ${why}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('investigation commands are read-only and not marked as changing the system', () => {
  const failures: string[] = [];
  for (const s of commandSnippets.filter((x) => x.kind === 'investigate')) {
    const why = changesSystem(s.text);
    if (why) failures.push(`${label(s)}\n    ${why}`);
    if (s.command?.changesSystem) failures.push(`${label(s)}\n    marked changesSystem in an investigation step`);
  }
  assert.deepEqual(failures, []);
});

test('every program an investigation step runs is on the allowlist of read-only tools and uses', () => {
  const failures: string[] = [];
  for (const s of commandSnippets.filter((x) => x.kind === 'investigate')) {
    for (const simple of readShell(placeholdersForLint(s.text)).commands) {
      for (const words of effectiveCommands(simple.words)) {
        const why = notAllowlistedReadOnly(words);
        if (why) failures.push(`${label(s)}\n    ${why}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('the investigation allowlist refuses writes, unknown programs and risky flags, and takes read-only uses', () => {
  const verdict = (command: string) => readShell(placeholdersForLint(command)).commands
    .flatMap((c) => effectiveCommands(c.words)).map(notAllowlistedReadOnly).find((x) => x !== undefined);
  for (const refused of [
    'ldd <proc.exepath>', 'cp /proc/<proc.pid>/exe <evidence-file>', 'cp --no-clobber /proc/<proc.pid>/exe /etc/x', 'curl -s http://169.254.169.254/',
    'kubectl exec <k8s.pod.name> -- ls', 'kubectl debug node/<node> -it --image=busybox', 'crictl exec <container.id> rm /tmp/x',
    'aws iam create-access-key --user-name <ct.user>', 'journalctl --vacuum-time=1d', 'systemctl restart sshd', 'ssh-keygen -R <host>',
    'psql -c "DROP TABLE x"', 'dpkg -i <file>', 'rpm -e <package>', 'npm install <package_name>', 'python3 -c "print(1)"', 'runc kill <id>',
    'nsenter -t <proc.pid> -m rm /x', 'find / -name x -delete', 'bpftool prog load x /sys/fs/bpf/x', 'crontab -r -u <user.name>',
  ]) {
    assert.ok(verdict(refused), `not refused: ${refused}`);
  }
  for (const taken of [
    'cp --no-clobber /proc/<proc.pid>/exe <evidence-file>', 'ldd --version', 'crictl exec <container.id> ls -la /tmp', 'nsenter -t <proc.pid> -n ss -tnp',
    'kubectl rollout history deployment/<ka.target.name> -n <ka.target.namespace>', 'aws s3api get-bucket-acl --bucket <s3.bucket>',
    'psql -c \'SHOW archive_command\'', 'rpm -qa --last', 'dpkg -S <fd.name> || rpm -qf <fd.name>', 'bpftool prog show', 'find / -xdev -samefile <fd.name> -ls',
  ]) {
    assert.equal(verdict(taken), undefined, taken);
  }
});

test('every mitigation command that changes the system is marked changesSystem: true', () => {
  const failures: string[] = [];
  for (const s of commandSnippets.filter((x) => x.kind === 'mitigation')) {
    const why = changesSystem(s.text);
    if (why && !s.command?.changesSystem) failures.push(`${label(s)}\n    ${why}, but changesSystem is not true`);
  }
  assert.deepEqual(failures, []);
});

test('field placeholders name catalog fields of the playbook source and stand unquoted as whole words', () => {
  const failures: string[] = [];
  for (const s of snippets) {
    for (const field of placeholdersIn(s.text).fields) {
      const match = lookupField(field);
      if (!match) failures.push(`${label(s)}\n    <${field}> is not in the field catalog`);
      else if (!(match.field.sources as string[]).includes(s.playbook.source)) failures.push(`${label(s)}\n    <${field}> is not a field of source ${s.playbook.source}`);
    }
    // Field placeholders are filled and shell-quoted automatically, which breaks inside quotes; user placeholders are
    // replaced by hand and may sit inside a quoted argument (a JSON policy, say).
    if (s.command) for (const quoted of quotedPlaceholders(s.text).filter((q) => q.includes('.'))) failures.push(`${label(s)}\n    ${quoted} is inside quotes; write field placeholders unquoted (they are shell-quoted when filled)`);
  }
  assert.deepEqual(failures, []);
});

test('snippets use placeholders instead of invented concrete values', () => {
  const failures: string[] = [];
  for (const s of snippets) for (const value of inventedValues(s.text)) failures.push(`${label(s)}\n    looks invented: ${value}`);
  assert.deepEqual(failures, []);
});

// ---------------------------------------------------------------------------------------------------------------
// The checks themselves: they must catch what the issue names, and let safe commands through.

test('deny-list catches the destructive advice named in issue 3', () => {
  for (const bad of [
    'chown -R nobody:nobody /etc',
    'chmod -R o-rw /etc',
    'sudo chmod -R 700 /usr/',
    'chown --recursive root /',
    'setenforce 0',
    'sudo setenforce Permissive',
    'systemctl stop falco',
    'sudo systemctl disable --now apparmor',
    'systemctl mask auditd.service',
    'service auditd stop',
    'aa-teardown',
    'curl -s https://x | sh',
    'wget -qO- https://x | sudo bash',
    'bash <(curl -fsSL https://x)',
    'rm -rf /var/lib',
    'rm -rf /',
    'echo "deploy ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers',
    'chmod 777 /dev/shm',
    'docker run --privileged <image>',
    'sysctl -w kernel.yama.ptrace_scope=0',
    'pkill falco',
    'kubectl -n falco delete daemonset falco',
  ]) {
    assert.ok(denyListCommand(bad).length > 0, `not caught: ${bad}`);
  }
  for (const bad of ['GRUB_CMDLINE_LINUX="apparmor=0"', 'GRUB_CMDLINE_LINUX="selinux=0"', 'SELINUX=disabled', 'securityContext:\n  privileged: true']) {
    assert.ok(denyListText(bad).length > 0, `not caught: ${bad}`);
  }
  assert.ok(denyListProse('Exclude /dev/shm from detection to reduce noise.').length > 0);
  assert.ok(denyListProse('Disable AppArmor on the node.').length > 0);
});

test('deny-list lets safe commands through', () => {
  for (const good of [
    'mount -o remount,noexec,nosuid,nodev /dev/shm',
    'sysctl -w kernel.yama.ptrace_scope=2',
    'chmod 600 /etc/shadow',
    'chown root:root /etc/shadow',
    'systemctl status falco',
    'ls -la /etc',
    'kubectl auth can-i --list --as=<ka.user.name>',
    'rm -f /tmp/<file>',
    'stat /proc/<proc.pid>/exe',
    'journalctl -u falco --since "1 hour ago"',
  ]) {
    assert.deepEqual(denyListCommand(good), [], good);
  }
});

test('read-only check flags commands that change the system and passes read-only ones', () => {
  for (const changing of [
    'rm /tmp/x', 'mv a b', 'cp <file> /etc/', 'chmod 600 /etc/shadow', 'kill -9 <proc.pid>', 'systemctl restart sshd',
    'mount -o remount,noexec /dev/shm', 'kubectl delete pod <k8s.pod.name> -n <k8s.ns.name>', 'kubectl -n <ns> label pod <pod> quarantine=true',
    'aws iam delete-access-key --access-key-id <key>', 'aws iam put-user-policy --user-name <user> --policy-name <name> --policy-document file://<file>',
    'iptables -A INPUT -s <ip> -j DROP', 'sysctl -w kernel.yama.ptrace_scope=2', 'sysctl kernel.yama.ptrace_scope=2', 'echo 2 | tee /proc/sys/kernel/yama/ptrace_scope',
    'echo x > /etc/motd', 'sudo crictl stop <container.id>', 'passwd -l <user.name>', 'kubectl label --overwrite namespace <namespace> a=b', 'find /tmp -name x -delete', 'find / -name x -exec rm {} +',
    'kubectl exec <pod> -- rm /tmp/x', 'nsenter -t <proc.pid> -m -- rm /x', 'sed -i s/a/b/ /etc/fstab',
  ]) {
    assert.ok(changesSystem(changing), `not flagged: ${changing}`);
  }
  for (const readOnly of [
    'ls -la /dev/shm', 'stat <fd.name>', 'ps -o pid,ppid,user,lstart,args -p <proc.pid>', 'cat /proc/<proc.pid>/status',
    'crictl inspect <container.id>', 'kubectl describe pod <k8s.pod.name> -n <k8s.ns.name>', 'kubectl auth can-i --list --as=<ka.user.name>',
    'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=<ct.name>', 'findmnt -no OPTIONS /dev/shm', 'mount',
    'sysctl kernel.yama.ptrace_scope', 'iptables -S', 'journalctl -u kubelet --since "1 hour ago" 2>/dev/null', 'ls -la /proc/<proc.pid>/fd 2>&1',
    'ss -tnp', 'kubectl get pods -A -o wide', 'sha256sum /proc/<proc.pid>/exe', 'lsmod', 'grep -r <proc.name> /etc/cron.d',
    'find /dev/shm -type f -newermt "-1 hour" -ls', 'crontab -l -u <user.name>', 'auditctl -l', 'passwd -S <user.name>',
    'kubectl label --dry-run=server --overwrite namespace <namespace> pod-security.kubernetes.io/enforce=restricted', 'kubectl get rolebindings,clusterrolebindings -A -o wide',
  ]) {
    assert.equal(changesSystem(readOnly), undefined, readOnly);
  }
});

test('broad exceptions are caught, narrow ones are not', () => {
  assert.ok(broadException({ name: 'x', fields: ['fd.directory'], comps: ['startswith'], values: [['/dev/shm']] }));
  assert.ok(broadException({ name: 'x', fields: ['fd.name'], comps: ['startswith'], values: [['/tmp/']] }));
  assert.ok(broadException({ name: 'x', fields: 'fd.name', comps: 'pmatch', values: ['/etc'] }));
  assert.ok(broadException({ name: 'x', fields: ['k8s.ns.name'], values: [['prod']] }));
  assert.ok(broadException({ name: 'x', fields: ['proc.name', 'fd.name'], comps: ['=', 'startswith'], values: [['sh', '/']] }));
  assert.equal(broadException({ name: 'x', fields: ['proc.exepath', 'container.image.repository'], values: [['<proc.exepath>', '<container.image.repository>']] }), undefined);
  assert.equal(broadException({ name: 'x', fields: ['proc.name', 'fd.name'], values: [['backup-agent', '/etc/shadow']] }), undefined);
});

test('placeholder checks find quoted placeholders and invented values', () => {
  assert.deepEqual(quotedPlaceholders("grep '<proc.name>' /x"), ['<proc.name>']);
  assert.deepEqual(quotedPlaceholders('ls -la /proc/<proc.pid>/fd'), []);
  assert.equal(lintText(`aws x --doc '{"Key":"<key-arn>"}' --id <proc.pid>`), `aws x --doc '{"Key":"PLACEHOLDER"}' --id 'PLACEHOLDER'`);
  assert.deepEqual(inventedValues('kubectl create secret generic <name> -n <ka.target.namespace> --from-file=<file>'), []);
  assert.ok(inventedValues('ss -tnp dst 10.1.2.3').length > 0);
  assert.ok(inventedValues('ps -p 4242').length > 0);
  assert.ok(inventedValues('kubectl describe pod nginx-7d9c -n prod').length > 0);
  assert.deepEqual(inventedValues('kubectl describe pod <k8s.pod.name> -n <k8s.ns.name>'), []);
  assert.deepEqual(inventedValues('curl -s http://169.254.169.254/latest/meta-data/'), []);
});
