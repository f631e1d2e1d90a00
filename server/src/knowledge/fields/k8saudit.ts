// Fields of the k8s_audit source (k8saudit plugin 0.18 and its managed-cluster variants k8saudit-eks/-gke/-aks/-ovh,
// which share the field set) and of the json plugin, which reads any JSON event payload and is required by the
// official plugin rules (release 0.7.4). Checked against falcosecurity/plugins plugins/k8saudit/pkg/k8saudit/fields.go
// and plugins/json/pkg/json/json.go at those releases by test/unit/knowledge-field-tables.test.ts (snapshot:
// test/fixtures/field-tables.json). Descriptions are ours.
import type { FieldArgument, FieldInfo, FieldSource } from '../types';

type Extra = Omit<Partial<FieldInfo>, 'name' | 'type' | 'desc'>;

const ka = (name: string, desc: string, extra: Extra = {}): FieldInfo =>
  ({ name, type: 'CHARBUF', sources: ['k8s_audit'], plugin: 'k8saudit', desc, ...extra });
/** List fields of the request object; `[N]` picks one element. */
const kaList = (name: string, desc: string, extra: Extra = {}): FieldInfo =>
  ka(name, desc, { isList: true, arg: { required: false, kind: 'index', example: `${name}[0]` }, ...extra });

const POD_ONLY = 'Only set when the request object is a pod.';
/** k8saudit 0.18.0 extract.go:444-449 (arrayAsStringsSkipNil, 522-531): a container without the setting adds no item. */
const NOT_SET_LEFT_OUT = 'true or false for each container that sets it; a container that does not set it adds no item, so no container setting it gives an empty list.';
const PLUGIN_DEPRECATED = (instead: string) => `The k8saudit plugin keeps it for old rules; use ${instead}.`;

/** The per-container fields exist for containers, initContainers and ephemeralContainers (the latter two since
 *  k8saudit 0.18.0, which the official rules require). */
function podContainerFields(list: 'containers' | 'initContainers' | 'ephemeralContainers'): FieldInfo[] {
  const which = { containers: 'regular containers', initContainers: 'init containers', ephemeralContainers: 'ephemeral (debug) containers' }[list];
  const prefix = `ka.req.pod.${list}`;
  const imageKeys = { containers: ['images'], initContainers: ['init_images'], ephemeralContainers: ['ephemeral_images'] }[list];
  const fields = [
    kaList(`${prefix}.name`, `Names of the pod's ${which} in the request.`),
    kaList(`${prefix}.image`, `Images of the pod's ${which} in the request.`, { outputKeys: imageKeys, values: POD_ONLY }),
    kaList(`${prefix}.image.repository`, `Images of the pod's ${which} without tag or digest.`),
    kaList(`${prefix}.command`, `Commands (entrypoint overrides) of the pod's ${which}.`),
    kaList(`${prefix}.args`, `Arguments of the pod's ${which}.`),
    kaList(`${prefix}.privileged`, `securityContext.privileged of each of the pod's ${which}.`, { values: NOT_SET_LEFT_OUT }),
    kaList(`${prefix}.allow_privilege_escalation`, `securityContext.allowPrivilegeEscalation of each of the pod's ${which}.`),
    kaList(`${prefix}.read_only_fs`, `securityContext.readOnlyRootFilesystem of each of the pod's ${which}.`),
    kaList(`${prefix}.run_as_user`, `securityContext.runAsUser of each of the pod's ${which}.`),
    kaList(`${prefix}.eff_run_as_user`, `Uid each of the pod's ${which} will start as, combining pod and container security contexts.`, { values: '0 (root) when neither sets runAsUser.' }),
    kaList(`${prefix}.run_as_group`, `securityContext.runAsGroup of each of the pod's ${which}.`),
    kaList(`${prefix}.eff_run_as_group`, `Gid each of the pod's ${which} will start as, combining pod and container security contexts.`, { values: '0 when neither sets runAsGroup.' }),
    kaList(`${prefix}.proc_mount`, `securityContext.procMount of each of the pod's ${which}.`, { values: 'Default or Unmasked; Unmasked exposes the full /proc.' }),
    kaList(`${prefix}.add_capabilities`, `Linux capabilities added by each of the pod's ${which}.`),
  ];
  if (list !== 'ephemeralContainers') fields.push(kaList(`${prefix}.host_port`, `hostPort values of the pod's ${which}.`));
  return fields;
}

export const K8S_AUDIT_FIELDS: FieldInfo[] = [
  ka('ka.auditid', 'Unique id of the audit event.'),
  ka('ka.stage', 'Stage of the request the audit event was recorded at.', { values: 'RequestReceived, ResponseStarted, ResponseComplete or Panic.' }),
  ka('ka.auth.decision', 'Authorization decision for the request.', { values: '`allow` or `forbid`.', outputKeys: ['decision'] }),
  ka('ka.auth.reason', 'Why the authorizer allowed or denied the request (for RBAC, the binding and role that granted it).', { outputKeys: ['reason'] }),
  ka('ka.auth.openshift.decision', 'Decision of the OpenShift API server authentication extension (OpenShift clusters only).'),
  ka('ka.validations.admission.policy.failure', 'Failure reason reported by a ValidatingAdmissionPolicy.'),
  ka('ka.security.pod.violations', 'Pod Security admission violations reported for the request.'),
  ka('ka.auth.openshift.username', 'User name the OpenShift authentication extension saw (OpenShift clusters only).'),
  ka('ka.user.name', 'User or service account that made the request.', { values: 'Service accounts read `system:serviceaccount:<namespace>:<name>`.', outputKeys: ['user'] }),
  ka('ka.user.groups', 'Groups of the user that made the request.', { isList: true }),
  ka('ka.impuser.name', 'User being impersonated, when the request uses impersonation.'),
  ka('ka.verb', 'API verb of the request.', { values: 'get, list, watch, create, update, patch, delete, deletecollection.', outputKeys: ['verb', 'action'] }),
  ka('ka.uri', 'Request URI as the client sent it, with its query string.', { outputKeys: ['uri'] }),
  ka('ka.uri.param', 'Value of one query parameter of the request URI.',
    { arg: { required: true, kind: 'key', example: 'ka.uri.param[command]' }, values: 'For pods/exec, each `command` parameter is one word of the command run.', outputKeys: ['command'] }),
  ka('ka.target.name', 'Name of the object the request acts on.',
    { outputKeys: ['target', 'name', 'pod', 'service', 'serviceaccount', 'role', 'deployment', 'configmap', 'namespace', 'ns', 'binding', 'secret', 'ingress', 'node'] }),
  ka('ka.target.namespace', 'Namespace of the object the request acts on.', { values: '<NA> for cluster-scoped objects.', outputKeys: ['ns', 'namespace'] }),
  ka('ka.target.resource', 'Resource type the request acts on (pods, secrets, clusterrolebindings…).', { outputKeys: ['resource'] }),
  ka('ka.target.subresource', 'Subresource the request acts on (exec, attach, portforward, log, status…).', { outputKeys: ['action'] }),
  ka('ka.target.pod.name', 'Name of the pod the request targets.'),
  ka('ka.req.binding.subjects', 'Subjects (users, groups, service accounts) a role binding in the request grants the role to.', { isList: true, outputKeys: ['subjects', 'subject'] }),
  ka('ka.req.binding.subjects.user_names', 'User names among the subjects of a role binding in the request.', { isList: true }),
  ka('ka.req.binding.subjects.serviceaccount_names', 'Service account names among the subjects of a role binding in the request.', { isList: true }),
  ka('ka.req.binding.subjects.serviceaccount_ns_names', 'Service accounts among the subjects of a role binding, as `namespace:name`.', { isList: true }),
  ka('ka.req.binding.subjects.group_names', 'Group names among the subjects of a role binding in the request.', { isList: true }),
  ka('ka.req.binding.role', 'Role or cluster role a role binding in the request refers to.', { outputKeys: ['role'] }),
  ka('ka.req.binding.subject.has_name', 'Obsolete field that always yields N/A.',
    { arg: { required: true, kind: 'key', example: 'ka.req.binding.subject.has_name[admin]' }, values: PLUGIN_DEPRECATED('ka.req.binding.subjects.user_names') }),
  ka('ka.req.configmap.name', 'Name of the config map in the request.', { outputKeys: ['configmap'] }),
  ka('ka.req.configmap.obj', 'Whole config map object in the request, as JSON text.'),
  ...podContainerFields('containers'),
  ka('ka.req.container.image', 'Image of the first container of a pod in the request.', { values: PLUGIN_DEPRECATED('ka.req.pod.containers.image') }),
  ka('ka.req.container.image.repository', 'Image repository of the first container of a pod in the request.', { values: PLUGIN_DEPRECATED('ka.req.pod.containers.image.repository') }),
  ka('ka.req.pod.host_ipc', 'hostIPC setting of a pod in the request.', { values: 'true: the pod shares the node\'s IPC namespace.' }),
  ka('ka.req.pod.host_network', 'hostNetwork setting of a pod in the request.', { values: 'true: the pod uses the node\'s network stack.' }),
  ka('ka.req.container.host_network', 'Old name of ka.req.pod.host_network.', { values: PLUGIN_DEPRECATED('ka.req.pod.host_network') }),
  ka('ka.req.pod.host_pid', 'hostPID setting of a pod in the request.', { values: 'true: the pod sees and can signal every process of the node.' }),
  ka('ka.req.container.privileged', 'Whether any container of a pod in the request is privileged.', { values: PLUGIN_DEPRECATED('ka.req.pod.containers.privileged') }),
  ka('ka.req.pod.run_as_user', 'runAsUser of the pod-level security context in the request.'),
  ka('ka.req.pod.run_as_group', 'runAsGroup of the pod-level security context in the request.'),
  ka('ka.req.role.rules', 'Rules of a role or cluster role in the request.', { isList: true, outputKeys: ['rules'] }),
  kaList('ka.req.role.rules.apiGroups', 'API groups named by the rules of a role in the request.'),
  kaList('ka.req.role.rules.nonResourceURLs', 'Non-resource URLs named by the rules of a role in the request.'),
  kaList('ka.req.role.rules.verbs', 'Verbs granted by the rules of a role in the request.', { values: '`*` grants every verb.' }),
  kaList('ka.req.role.rules.resources', 'Resources named by the rules of a role in the request.', { values: '`*` covers every resource.' }),
  ka('ka.req.pod.fs_group', 'fsGroup of the pod security context in the request.'),
  ka('ka.req.pod.supplemental_groups', 'supplementalGroups of the pod security context in the request.', { isList: true }),
  ka('ka.req.service.type', 'Type of a service in the request.', { values: 'ClusterIP, NodePort, LoadBalancer or ExternalName.' }),
  kaList('ka.req.service.ports', 'Ports of a service in the request.', { outputKeys: ['ports'] }),
  kaList('ka.req.pod.volumes.hostpath', 'Host paths mounted by the hostPath volumes of a pod in the request.'),
  ka('ka.req.volume.hostpath', 'Whether any volume of a pod in the request mounts a host path under the given prefix.',
    { arg: { required: true, kind: 'key', example: 'ka.req.volume.hostpath[/etc]' }, values: PLUGIN_DEPRECATED('ka.req.pod.volumes.hostpath') }),
  kaList('ka.req.pod.volumes.flexvolume_driver', 'FlexVolume drivers used by the volumes of a pod in the request.'),
  kaList('ka.req.pod.volumes.volume_type', 'Volume types (hostPath, secret, emptyDir…) of a pod in the request.'),
  ka('ka.resp.name', 'Name of the object in the API server\'s response (for a create, the created object).', { outputKeys: ['pod'] }),
  ka('ka.response.code', 'HTTP status code of the API server\'s response.', { values: '2xx succeeded; 403 the request was forbidden; 404 not found; 409 conflict.', outputKeys: ['resp'] }),
  ka('ka.response.reason', 'Reason the API server gave in its response, usually only for failures.', { outputKeys: ['reason'] }),
  ka('ka.useragent', 'User agent of the client (kubectl/…, client-go/…).'),
  kaList('ka.sourceips', 'IP addresses the request came from.'),
  // k8saudit 0.18.0 extract.go:353-354: read from the event's annotations, not from the plugin's configuration.
  ka('ka.cluster.name', 'Name of the Kubernetes cluster as the audit event records it, in its `cluster_name` annotation.',
    { values: '<NA> when the audit event carries no such annotation.' }),
  ...podContainerFields('initContainers'),
  ...podContainerFields('ephemeralContainers'),
];

/** The json plugin extracts from the JSON payload of any plugin source (not from syscall events). */
const JSON_SOURCES: FieldSource[] = ['k8s_audit', 'aws_cloudtrail', 'gcp_auditlog', 'okta', 'github'];
const pointer = (name: string): FieldArgument => ({ required: true, kind: 'key', example: `${name}[/requestObject/spec/volumes]` });
const json = (name: string, desc: string, extra: Extra = {}): FieldInfo =>
  ({ name, type: 'CHARBUF', sources: JSON_SOURCES, plugin: 'json', desc, ...extra });
const POINTER_VALUES = 'The argument is a JSON pointer (RFC 6901) into the event, e.g. `/requestObject/spec/volumes`; <NA> when the path is absent.';

export const JSON_FIELDS: FieldInfo[] = [
  json('json.value', 'Value found in the event\'s JSON at the given JSON pointer.', { arg: pointer('json.value'), values: POINTER_VALUES }),
  json('json.obj', 'Whole event as JSON text.'),
  json('json.rawtime', 'Event time as the json plugin reads it (the same as evt.rawtime).'),
  json('jevt.value', 'Older name of json.value.', { arg: pointer('jevt.value'), values: POINTER_VALUES }),
  json('jevt.obj', 'Older name of json.obj.', { outputKeys: ['obj'] }),
  json('jevt.rawtime', 'Older name of json.rawtime.'),
];
