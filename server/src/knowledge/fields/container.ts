// Fields of the syscall source that plugins provide: the container plugin (bundled and loaded by default since
// Falco 0.41, which moved container.* and k8s.* out of libsinsp; Falco 0.44 ships container plugin 0.7.1) and the
// k8smeta plugin (optional, fed by the k8s-metacollector; release 0.4.1). Checked against falcosecurity/plugins
// plugins/container/src/caps/extract/extract.cpp and plugins/k8smeta/src/plugin.cpp at those releases by
// test/unit/knowledge-field-tables.test.ts (snapshot: test/fixtures/field-tables.json). Descriptions are ours.
import type { FieldArgument, FieldInfo, FieldType } from '../types';

type Extra = Omit<Partial<FieldInfo>, 'name' | 'type' | 'desc'>;

const container = (name: string, type: FieldType, desc: string, extra: Extra = {}): FieldInfo =>
  ({ name, type, sources: ['syscall'], plugin: 'container', desc, ...extra });
const k8smeta = (name: string, desc: string, extra: Extra = {}): FieldInfo =>
  ({ name, type: 'CHARBUF', sources: ['syscall'], plugin: 'k8smeta', desc, ...extra });

const LATE = 'Filled from the container runtime; <NA> or empty for the first events of a new container while the lookup is pending.';
const HOST = '`host` when the event comes from a process on the host rather than in a container.';
const MOUNT_FORMAT = 'Format `source:dest:mode:rdwr:propagation`; <NA> when no mount matches.';
/** Mounts are selected by position or by path (a glob is allowed). */
const mountArg = (name: string, example: string): FieldArgument => ({ required: true, kind: 'index-or-key', example: `${name}[${example}]` });
const labelArg = (name: string, example = 'app'): FieldArgument => ({ required: true, kind: 'key', example: `${name}[${example}]` });
/**
 * The k8s.*.label fields of libsinsp's k8s check, which Falco read up to 0.40, took the label after a dot as well
 * (`k8s.pod.label.app`: libs 0.20.0 sinsp_filtercheck_k8s.cpp:314-343 extract_arg, brackets since libs 0.14). The
 * container plugin's fields of Falco 0.41 on take brackets only: `k8s.pod.label.app` matches the field without its
 * required argument (libs 0.21.0 plugin_filtercheck.cpp:45-118, "requires an argument but none provided").
 */
const k8sLabelArg = (name: string, example?: string): FieldArgument => ({ ...labelArg(name, example), dotFormUntil: '0.40' });
const K8SMETA_INSTEAD = 'The container plugin no longer fills it; use the k8smeta plugin\'s k8smeta.* fields.';
const PROBE_GONE = 'The container plugin deprecated it in 0.7.0 and no longer fills it (Falco 0.44 bundles container 0.7.1).';

export const CONTAINER_FIELDS: FieldInfo[] = [
  container('container.id', 'CHARBUF', 'Short (12-character) id of the container the process runs in, taken from its cgroup.',
    { values: `${HOST} A pod sandbox (pause) process has the pod's sandbox id here and little other container metadata.` }),
  container('container.full_id', 'CHARBUF', 'Full 64-character id of the container.', { values: LATE, since: '0.37.0' }),
  container('container.name', 'CHARBUF', 'Name of the container as the runtime reports it.', { values: `${HOST} A container may be named \`host\` too: container.id tells them apart. ${LATE}` }),
  container('container.image', 'CHARBUF', 'Image reference the container was started from, e.g. `docker.io/library/nginx:1.27`.', { values: LATE }),
  container('container.image.id', 'CHARBUF', 'Id of the container image.', { values: LATE }),
  container('container.type', 'CHARBUF', 'Container runtime or technology that runs the container.', { values: 'docker, containerd, cri-o, cri, podman, lxc, libvirt-lxc, bpm, rkt, mesos; `host` for host processes.' }),
  container('container.privileged', 'BOOL', 'Whether the container runs privileged (all capabilities and devices of the host).', { values: LATE }),
  container('container.mounts', 'CHARBUF', 'All mounts of the container, comma-separated.', { values: `Each item is \`source:dest:mode:rdwr:propagation\`. ${LATE}`, outputKeys: ['mounts'] }),
  container('container.mount', 'CHARBUF', 'One mount of the container, chosen by position or by source path.', { arg: mountArg('container.mount', '0'), values: MOUNT_FORMAT }),
  container('container.mount.source', 'CHARBUF', 'Host path of a mount, chosen by position or by destination path.', { arg: mountArg('container.mount.source', '/var/run/docker.sock') }),
  container('container.mount.dest', 'CHARBUF', 'Path inside the container of a mount, chosen by position or by source path.',
    { arg: mountArg('container.mount.dest', '/var/run/docker.sock'), values: '<NA> when no mount has that source (the official rules also test for N/A); any other value means the host path is mounted into the container.' }),
  container('container.mount.mode', 'CHARBUF', 'Mount options of a mount, chosen by position or by source path.', { arg: mountArg('container.mount.mode', '0') }),
  container('container.mount.rdwr', 'CHARBUF', 'Whether a mount, chosen by position or by source path, is writable.', { arg: mountArg('container.mount.rdwr', '0'), values: 'true for a read-write mount, false for read-only.' }),
  container('container.mount.propagation', 'CHARBUF', 'Mount propagation of a mount, chosen by position or by source path.', { arg: mountArg('container.mount.propagation', '0'), values: 'private, rprivate, shared, rshared, slave, rslave.' }),
  container('container.image.repository', 'CHARBUF', 'Repository part of the container image, without tag or digest (e.g. `docker.io/library/nginx`).', { values: LATE }),
  container('container.image.tag', 'CHARBUF', 'Tag part of the container image (e.g. `1.27`, `latest`).', { values: LATE }),
  container('container.image.digest', 'CHARBUF', 'Registry digest of the container image (`sha256:…`).', { values: LATE }),
  container('container.healthcheck', 'CHARBUF', 'Health-check command of the container (deprecated).', { values: PROBE_GONE }),
  container('container.liveness_probe', 'CHARBUF', 'Liveness-probe command of the container (deprecated).', { values: PROBE_GONE }),
  container('container.readiness_probe', 'CHARBUF', 'Readiness-probe command of the container (deprecated).', { values: PROBE_GONE }),
  container('container.start_ts', 'ABSTIME', 'Start time of the container, taken in the kernel from the start of its PID namespace.', { values: 'Nanoseconds since the Unix epoch.', outputKeys: ['container_start_ts'], since: '0.34.0' }),
  container('container.duration', 'RELTIME', 'How long the container has been running (now minus container.start_ts).', { values: 'Nanoseconds.', since: '0.34.0' }),
  container('container.ip', 'CHARBUF', 'Primary IPv4 address of the container or pod, as the runtime reports it.', { values: LATE, since: '0.35.0' }),
  container('container.cni.json', 'CHARBUF', 'CNI result of the container\'s pod (addresses of every interface, IPv4 and IPv6) as an escaped JSON string; CRI runtimes only.', { values: LATE, since: '0.35.0' }),
  container('container.host_pid', 'BOOL', 'Whether the container shares the host\'s PID namespace (sees and can signal host processes).', { since: '0.40.0' }),
  container('container.host_network', 'BOOL', 'Whether the container shares the host\'s network namespace.', { since: '0.40.0' }),
  container('container.host_ipc', 'BOOL', 'Whether the container shares the host\'s IPC namespace.', { since: '0.40.0' }),
  container('container.label', 'CHARBUF', 'Value of one container label.', { arg: labelArg('container.label', 'maintainer'), since: '0.41.0' }),
  container('container.labels', 'CHARBUF', 'All container labels as comma-separated `key:value` pairs (Kubernetes-internal labels left out).', { since: '0.41.0' }),
  container('proc.is_container_healthcheck', 'BOOL', 'Whether the process is the container\'s health check (deprecated).', { values: PROBE_GONE }),
  container('proc.is_container_liveness_probe', 'BOOL', 'Whether the process is the container\'s liveness probe (deprecated).', { values: PROBE_GONE }),
  container('proc.is_container_readiness_probe', 'BOOL', 'Whether the process is the container\'s readiness probe (deprecated).', { values: PROBE_GONE }),
  container('k8s.pod.name', 'CHARBUF', 'Name of the Kubernetes pod the container belongs to, from the container runtime.', { values: `<NA> outside Kubernetes. ${LATE}` }),
  container('k8s.ns.name', 'CHARBUF', 'Kubernetes namespace of the pod the container belongs to, from the container runtime.', { values: `<NA> outside Kubernetes. ${LATE}` }),
  container('k8s.pod.id', 'CHARBUF', 'Legacy alias of k8s.pod.uid.', { values: 'Prefer k8s.pod.uid.' }),
  container('k8s.pod.uid', 'CHARBUF', 'UID Kubernetes gave the pod when it was created (not the sandbox id).', { values: LATE, since: '0.37.0' }),
  container('k8s.pod.sandbox_id', 'CHARBUF', 'Short (12-character) id of the pod\'s sandbox container, from the cgroup.', { since: '0.37.0' }),
  container('k8s.pod.full_sandbox_id', 'CHARBUF', 'Full id of the pod\'s sandbox container.', { values: LATE, since: '0.37.0' }),
  container('k8s.pod.label', 'CHARBUF', 'Value of one label of the pod.', { arg: k8sLabelArg('k8s.pod.label', 'app.kubernetes.io/name'), values: LATE }),
  container('k8s.pod.labels', 'CHARBUF', 'All labels of the pod as comma-separated `key:value` pairs.', { values: LATE }),
  container('k8s.pod.ip', 'CHARBUF', 'Primary IPv4 address of the pod (shared by its containers).', { values: LATE, since: '0.35.0' }),
  container('k8s.pod.cni.json', 'CHARBUF', 'CNI result of the pod as an escaped JSON string (same as container.cni.json).', { values: LATE, since: '0.35.0' }),
  container('k8s.rc.name', 'CHARBUF', 'Replication controller name (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.rc.id', 'CHARBUF', 'Replication controller id (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.rc.label', 'CHARBUF', 'Replication controller label (deprecated, empty).', { arg: k8sLabelArg('k8s.rc.label'), values: K8SMETA_INSTEAD }),
  container('k8s.rc.labels', 'CHARBUF', 'Replication controller labels (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.svc.name', 'CHARBUF', 'Service name (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.svc.id', 'CHARBUF', 'Service id (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.svc.label', 'CHARBUF', 'Service label (deprecated, empty).', { arg: k8sLabelArg('k8s.svc.label'), values: K8SMETA_INSTEAD }),
  container('k8s.svc.labels', 'CHARBUF', 'Service labels (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.ns.id', 'CHARBUF', 'Namespace id (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.ns.label', 'CHARBUF', 'Namespace label (deprecated, empty).', { arg: k8sLabelArg('k8s.ns.label'), values: K8SMETA_INSTEAD }),
  container('k8s.ns.labels', 'CHARBUF', 'Namespace labels (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.rs.name', 'CHARBUF', 'Replica set name (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.rs.id', 'CHARBUF', 'Replica set id (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.rs.label', 'CHARBUF', 'Replica set label (deprecated, empty).', { arg: k8sLabelArg('k8s.rs.label'), values: K8SMETA_INSTEAD }),
  container('k8s.rs.labels', 'CHARBUF', 'Replica set labels (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.deployment.name', 'CHARBUF', 'Deployment name (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.deployment.id', 'CHARBUF', 'Deployment id (deprecated, empty).', { values: K8SMETA_INSTEAD }),
  container('k8s.deployment.label', 'CHARBUF', 'Deployment label (deprecated, empty).', { arg: k8sLabelArg('k8s.deployment.label'), values: K8SMETA_INSTEAD }),
  container('k8s.deployment.labels', 'CHARBUF', 'Deployment labels (deprecated, empty).', { values: K8SMETA_INSTEAD }),

  // Falco engine: kept so that older rules (falco-rules 3.x) still load.
  { name: 'container.info', type: 'CHARBUF', sources: ['syscall'], desc: 'Placeholder that older rule outputs ended with; Falco removes it from the output.',
    deprecated: 'Falco 0.41+ drops %container.info from outputs with a LOAD_DEPRECATED_ITEM warning; the container plugin appends container and pod fields by itself.',
    // Falco 0.41.0 rule_loader_compiler.cpp compile_rule_infos warns; up to 0.40 it replaced %container.info silently.
    deprecatedSince: '0.41.0' },

  k8smeta('k8smeta.pod.name', 'Name of the pod, from the k8s-metacollector.'),
  k8smeta('k8smeta.pod.uid', 'UID of the pod, from the k8s-metacollector.'),
  k8smeta('k8smeta.pod.label', 'Value of one label of the pod.', { arg: labelArg('k8smeta.pod.label') }),
  k8smeta('k8smeta.pod.labels', 'All labels of the pod as `key:value` items.', { isList: true }),
  k8smeta('k8smeta.pod.ip', 'IP address of the pod.'),
  k8smeta('k8smeta.ns.name', 'Namespace of the pod, from the k8s-metacollector.'),
  k8smeta('k8smeta.ns.uid', 'UID of the pod\'s namespace.'),
  k8smeta('k8smeta.ns.label', 'Value of one label of the pod\'s namespace.', { arg: labelArg('k8smeta.ns.label') }),
  k8smeta('k8smeta.ns.labels', 'All labels of the pod\'s namespace as `key:value` items.', { isList: true }),
  k8smeta('k8smeta.deployment.name', 'Name of the deployment that owns the pod.'),
  k8smeta('k8smeta.deployment.uid', 'UID of the deployment that owns the pod.'),
  k8smeta('k8smeta.deployment.label', 'Value of one label of the deployment that owns the pod.', { arg: labelArg('k8smeta.deployment.label') }),
  k8smeta('k8smeta.deployment.labels', 'All labels of the deployment that owns the pod.', { isList: true }),
  k8smeta('k8smeta.svc.name', 'Names of the services that select the pod.', { isList: true }),
  k8smeta('k8smeta.svc.uid', 'UIDs of the services that select the pod.', { isList: true }),
  k8smeta('k8smeta.svc.label', 'Values of one label across the services that select the pod.', { isList: true, arg: labelArg('k8smeta.svc.label') }),
  k8smeta('k8smeta.svc.labels', 'All labels of the services that select the pod.', { isList: true }),
  k8smeta('k8smeta.rs.name', 'Name of the replica set that owns the pod.'),
  k8smeta('k8smeta.rs.uid', 'UID of the replica set that owns the pod.'),
  k8smeta('k8smeta.rs.label', 'Value of one label of the replica set that owns the pod.', { arg: labelArg('k8smeta.rs.label') }),
  k8smeta('k8smeta.rs.labels', 'All labels of the replica set that owns the pod.', { isList: true }),
  k8smeta('k8smeta.rc.name', 'Name of the replication controller that owns the pod.'),
  k8smeta('k8smeta.rc.uid', 'UID of the replication controller that owns the pod.'),
  k8smeta('k8smeta.rc.label', 'Value of one label of the replication controller that owns the pod.', { arg: labelArg('k8smeta.rc.label') }),
  k8smeta('k8smeta.rc.labels', 'All labels of the replication controller that owns the pod.', { isList: true }),
];
