// Playbooks of the rules in the k8s_audit set (falcosecurity/plugins k8saudit/rules/k8s_audit_rules.yaml).
// Written for Falco Lens from the rules' conditions and the k8saudit plugin's field extraction; the rules' own
// descriptions are not reused. The rules carry no MITRE tags, so the ATT&CK ids below are our mapping.
import type { Mitigation, Playbook, ShellCommand } from '../types';

const FILE = 'k8s_audit_rules.yaml';

type Entry = Omit<Playbook, 'source' | 'file'>;

function playbook(entry: Entry): Playbook {
  return { ...entry, source: 'k8s_audit', file: FILE };
}

// ---------------------------------------------------------------------------------------------------------------
// Tuning snippets. Every exception is appended to the rule (the rules define none of their own), with values as
// placeholders: `<field.name>` is filled from the alert, `<word>` is left for the user.

interface ExceptionPart {
  field: string;
  value: string;
  /** Comparison; `=` unless set. List fields (ka.req.pod.containers.image.repository) only accept in/intersects. */
  comp?: string;
}

function exceptionTuning(rule: string, name: string, summary: string, parts: ExceptionPart[]): Playbook['tuning'] {
  const fields = parts.map((p) => p.field).join(', ');
  const comps = parts.some((p) => p.comp && p.comp !== '=') ? parts.map((p) => p.comp ?? '=').join(', ') : undefined;
  const values = parts.map((p) => (p.comp === 'in' ? `[${p.value}]` : p.value)).join(', ');
  const lines = [
    `- rule: ${rule}`,
    '  exceptions:',
    `    - name: ${name}`,
    `      fields: [${fields}]`,
    ...(comps ? [`      comps: [${comps}]`] : []),
    '      values:',
    `        - [${values}]`,
    '  override:',
    '    exceptions: append',
  ];
  return { summary, yaml: lines.join('\n') + '\n' };
}

const USER: ExceptionPart = { field: 'ka.user.name', value: '<ka.user.name>' };
const NAMESPACE: ExceptionPart = { field: 'ka.target.namespace', value: '<ka.target.namespace>' };
const TARGET: ExceptionPart = { field: 'ka.target.name', value: '<ka.target.name>' };
// The alert prints images with their tags (ka.req.pod.containers.image); the exception needs the repositories
// without tag, and `in` holds only when every container's repository is listed, so the user writes them.
const IMAGE_REPOSITORIES: ExceptionPart = { field: 'ka.req.pod.containers.image.repository', value: '<image_repository>', comp: 'in' };

function podTuning(rule: string, name: string): Playbook['tuning'] {
  return exceptionTuning(rule, name,
    'Allow this workload by namespace and image repositories (each image without its tag or digest; list ' +
    'every container of the pod, because `in` holds only when all of them match). Other images in the namespace still alert.',
    [NAMESPACE, IMAGE_REPOSITORIES]);
}

// ---------------------------------------------------------------------------------------------------------------
// Investigation commands shared by several rules. All read-only.

const CAN_I: ShellCommand = {
  command: 'kubectl auth can-i --list --as=<ka.user.name> -n <ka.target.namespace>',
  purpose: 'Lists what the requesting account may do in the namespace (impersonation needs the impersonate right; group grants need --as-group).',
};
const CAN_I_CLUSTER: ShellCommand = {
  command: 'kubectl auth can-i --list --as=<ka.user.name>',
  purpose: 'Lists what the requesting account may do, including its cluster-wide rights (impersonation needs the impersonate right).',
};
const BINDINGS: ShellCommand = {
  command: 'kubectl get rolebindings,clusterrolebindings -A -o wide',
  purpose: 'Shows every binding with its role and subjects, to find what grants the account its rights.',
};
const AUDIT_BY_USER: ShellCommand = {
  command: "jq -c --arg user <ka.user.name> 'select(.user.username == $user and .stage == \"ResponseComplete\") | [.stageTimestamp, .verb, .requestURI, .responseStatus.code, .sourceIPs, .userAgent]' <audit-log-file>",
  purpose: 'Lists the other requests of the same account in the API server audit log (JSON lines, the file set by --audit-log-path), with source IPs and client.',
};
const AUDIT_BY_OBJECT: ShellCommand = {
  command: "jq -c --arg ns <ka.target.namespace> --arg name <ka.target.name> 'select(.objectRef.namespace == $ns and .objectRef.name == $name) | [.stageTimestamp, .user.username, .verb, .objectRef.resource, .objectRef.subresource, .responseStatus.code]' <audit-log-file>",
  purpose: 'Shows the history of the object in the API server audit log: who created, changed, read or deleted it.',
};
const AUDIT_BY_CLUSTER_OBJECT: ShellCommand = {
  command: "jq -c --arg name <ka.target.name> 'select(.objectRef.name == $name and .objectRef.namespace == null) | [.stageTimestamp, .user.username, .verb, .objectRef.resource, .responseStatus.code]' <audit-log-file>",
  purpose: 'Shows the history of the cluster-scoped object in the API server audit log: who created, changed or deleted it.',
};
const NAMESPACE_EVENTS: ShellCommand = {
  command: 'kubectl get events -n <ka.target.namespace> --sort-by=.lastTimestamp',
  purpose: 'Shows recent events of the namespace (scheduling, image pulls, failures) around the time of the alert.',
};

function podInvestigation(nameField: string): ShellCommand[] {
  return [
    { command: `kubectl get pod <${nameField}> -n <ka.target.namespace> -o yaml`, purpose: 'Shows the pod as admitted: security context, volumes, host namespaces, images and its ownerReferences (the workload that created it).' },
    { command: `kubectl get events -n <ka.target.namespace> --field-selector involvedObject.name=<${nameField}>`, purpose: 'Shows what happened to the pod since it was created.' },
    CAN_I,
    AUDIT_BY_USER,
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Mitigations shared by several rules.

function podSecurityAdmission(level: 'baseline' | 'restricted', why: string): Mitigation {
  return {
    summary: `Enforce the ${level} Pod Security Standard on the namespace so the API server refuses such pods: ${why} ` +
      'Run the dry run first: it lists the running pods that would violate the level.',
    commands: [
      { command: `kubectl label --dry-run=server --overwrite namespace <ka.target.namespace> pod-security.kubernetes.io/enforce=${level}`, purpose: 'Checks the label without applying it and warns about existing pods that break the level.' },
      { command: `kubectl label --overwrite namespace <ka.target.namespace> pod-security.kubernetes.io/enforce=${level}`, purpose: `Makes Pod Security Admission reject new pods of the namespace that break the ${level} level.`, changesSystem: true },
    ],
  };
}

const BASELINE_WHY = 'the baseline level forbids privileged containers, hostPath volumes, hostNetwork, hostPID, hostIPC and host ports.';
const PSA_BASELINE = podSecurityAdmission('baseline', BASELINE_WHY);

function admissionPolicy(name: string, summary: string, rules: string, expression: string, message: string): Mitigation {
  const text = [
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingAdmissionPolicy',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  failurePolicy: Fail',
    '  matchConstraints:',
    '    resourceRules:',
    rules,
    '  matchConditions:',
    '    # Cluster administrators (and the API server itself) stay able to act in an emergency.',
    '    - name: not-cluster-admin-group',
    "      expression: \"!('system:masters' in request.userInfo.groups)\"",
    '  validations:',
    `    - expression: ${JSON.stringify(expression)}`,
    `      message: ${JSON.stringify(message)}`,
    '---',
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingAdmissionPolicyBinding',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  policyName: ${name}`,
    '  validationActions: [Deny]',
    '',
  ].join('\n');
  return { summary, config: { language: 'yaml', title: `ValidatingAdmissionPolicy ${name} (Kubernetes 1.30+; kubectl apply -f)`, text } };
}

function resourceRule(apiGroup: string, resources: string[], operations: string[]): string {
  return [
    `      - apiGroups: ["${apiGroup}"]`,
    '        apiVersions: ["v1"]',
    `        operations: [${operations.map((o) => `"${o}"`).join(', ')}]`,
    `        resources: [${resources.map((r) => `"${r}"`).join(', ')}]`,
  ].join('\n');
}

/** A namespaced Role for people who run workloads without reaching into them: no exec, attach, port-forward,
 *  ephemeral containers or Secrets. RBAC only adds rights, so other bindings must not grant them either. */
const NO_EXEC_ROLE: Mitigation = {
  summary: 'Give people a Role without pods/exec, pods/attach, pods/portforward, pods/ephemeralcontainers and secrets, ' +
    'and remove the bindings that grant them (the built-in admin and edit ClusterRoles include all of these). ' +
    'Keep interactive access for a small break-glass group.',
  config: {
    language: 'yaml',
    title: 'Role without exec, attach, port-forward or Secrets (kubectl apply -f)',
    text: [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata:',
      '  name: workload-operator',
      '  namespace: <namespace>',
      'rules:',
      '  - apiGroups: ["apps"]',
      '    resources: ["deployments", "statefulsets", "daemonsets", "replicasets"]',
      '    verbs: ["get", "list", "watch", "update", "patch"]',
      '  - apiGroups: [""]',
      '    resources: ["pods", "pods/log", "services", "configmaps", "events"]',
      '    verbs: ["get", "list", "watch"]',
      '',
    ].join('\n'),
  },
};

const SECRET_READ_ROLE: Mitigation = {
  summary: 'Grant Secret reads only by name to the one service account that needs them, never get/list/watch on all ' +
    'Secrets (list and watch return the values too), and remove wider grants such as the built-in admin and edit roles.',
  config: {
    language: 'yaml',
    title: 'Role that reads one named Secret (kubectl apply -f)',
    text: [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata:',
      '  name: read-<secret-name>',
      '  namespace: <namespace>',
      'rules:',
      '  - apiGroups: [""]',
      '    resources: ["secrets"]',
      '    resourceNames: ["<secret-name>"]',
      '    verbs: ["get"]',
      '',
    ].join('\n'),
  },
};

const RBAC_ADMIN_ONLY: Mitigation = {
  summary: 'Keep RBAC changes with cluster administrators or the GitOps pipeline: nobody else gets create/update/patch/delete on ' +
    'roles, clusterroles, rolebindings or clusterrolebindings, nor the escalate, bind or impersonate verbs. Without ' +
    'escalate, Kubernetes already refuses a role that grants more than its author holds.',
  commands: [
    { command: 'kubectl auth can-i escalate clusterroles --as=<ka.user.name>', purpose: 'Shows whether the account may write roles with rights it does not hold itself.' },
    { command: 'kubectl auth can-i bind clusterroles --as=<ka.user.name>', purpose: 'Shows whether the account may bind roles with rights it does not hold itself.' },
  ],
};

function pipelineOnly(resources: string, apiGroup: string, what: string): Mitigation {
  return {
    summary: `Let only the deployment pipeline's service account create and delete ${what}; people get read access. ` +
      'The Role below is what the pipeline needs in one namespace; bind people to the built-in view ClusterRole instead of edit or admin.',
    config: {
      language: 'yaml',
      title: `Role for a deployment pipeline that manages ${what} (kubectl apply -f)`,
      text: [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: Role',
        'metadata:',
        `  name: pipeline-${resources}`,
        '  namespace: <namespace>',
        'rules:',
        `  - apiGroups: ["${apiGroup}"]`,
        `    resources: ["${resources}"]`,
        '    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]',
        '',
      ].join('\n'),
    },
  };
}

const NAMESPACE_ADMINS_ONLY: Mitigation = {
  summary: 'Keep namespace creation and deletion with cluster administrators or the GitOps pipeline: no one else gets ' +
    'create or delete on namespaces (a ClusterRoleBinding to edit or admin does not grant it; cluster-admin and custom roles may).',
  commands: [
    { command: 'kubectl auth can-i create namespaces --as=<ka.user.name>', purpose: 'Shows whether the account still may create namespaces.' },
    { command: 'kubectl auth can-i delete namespaces --as=<ka.user.name>', purpose: 'Shows whether the account still may delete namespaces.' },
  ],
};

// ---------------------------------------------------------------------------------------------------------------

const COMMON_KEY_FIELDS = {
  user: { field: 'ka.user.name', meaning: 'The authenticated account: a person or OIDC identity, `system:serviceaccount:<namespace>:<name>` for a service account, `system:node:<node>` for a kubelet.' },
  verb: { field: 'ka.verb', meaning: 'The API verb: get, list, watch, create, update, patch, delete.' },
  uri: { field: 'ka.uri', meaning: 'The request path with its query string, e.g. the API group, namespace and object name.' },
  resp: { field: 'ka.response.code', meaning: 'The HTTP status of the answer: 2xx succeeded, 401 unauthenticated, 403 forbidden by RBAC or admission, 404 not found, 409 conflict.' },
  ns: { field: 'ka.target.namespace', meaning: 'The namespace of the object; `<NA>` for cluster-scoped objects.' },
  target: { field: 'ka.target.name', meaning: 'The name of the object the request acts on.' },
  resource: { field: 'ka.target.resource', meaning: 'The resource type (pods, secrets, clusterroles...).' },
  respName: { field: 'ka.resp.name', meaning: 'The name of the created pod from the response; `<NA>` when the audit policy logs this request below the RequestResponse level.' },
  images: { field: 'ka.req.pod.containers.image', meaning: 'The images of the pod\'s containers as requested (with tags or digests); `<NA>` when the audit policy logs only Metadata for pods.' },
  decision: { field: 'ka.auth.decision', meaning: 'The authorizer\'s decision: allow or forbid.' },
  reason: { field: 'ka.auth.reason', meaning: 'Why it was allowed, usually the RBAC binding and role that matched.' },
  rules: { field: 'ka.req.role.rules', meaning: 'The rules of the role as requested: apiGroups, resources, verbs (and resourceNames, nonResourceURLs).' },
};

const K = COMMON_KEY_FIELDS;

export const K8S_AUDIT_PLAYBOOKS: Playbook[] = [
  playbook({
    rule: 'Disallowed K8s User',
    detects: 'Any completed API request by an account whose name does not start with `system:` (so not service accounts, nodes or control-plane components) and is not in the allowed_k8s_users or eks_allowed_k8s_users lists. Every request of such a user alerts, successful or not.',
    attackerGoal: 'Stolen kubeconfigs, client certificates or cloud identities let an attacker act on the cluster as a user nobody expects there.',
    mitre: ['T1078', 'TA0001', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The object acted on, printed together with its resource type.' }, K.verb, K.uri, K.resp],
    benignCauses: [
      'A colleague or administrator whose identity was never added to the allowed list (the list holds only a few default names).',
      'Identities mapped from a cloud IAM or OIDC provider, whose user names differ per cloud (e.g. GKE robot accounts, which the GKE rules file allows).',
      'CI/CD systems that authenticate with a user certificate or token instead of a service account.',
    ],
    investigate: [CAN_I_CLUSTER, BINDINGS, AUDIT_BY_USER],
    mitigations: [{
      summary: 'Remove the rights of accounts that should not act on the cluster by deleting their bindings; this works even for client certificates, which Kubernetes cannot revoke. Then authenticate people through the identity provider only.',
      commands: [
        { command: 'kubectl delete clusterrolebinding <binding>', purpose: 'Deletes a cluster-wide binding that grants the account its rights.', changesSystem: true },
        { command: 'kubectl delete rolebinding <binding> -n <namespace>', purpose: 'Deletes a namespaced binding that grants the account its rights.', changesSystem: true },
      ],
    }],
    tuning: exceptionTuning('Disallowed K8s User', 'allow_known_user', 'Accept a known account. Appending its name to the allowed_k8s_users list (a `- list:` item with `override: {items: append}`) works as well.', [USER]),
  }),

  playbook({
    rule: 'Create Disallowed Pod',
    detects: 'A pod being created whose images fail the allowed_k8s_containers macro. The shipped macro is always true, so this rule alerts only after you override that macro with your own list of allowed image repositories.',
    attackerGoal: 'Running an image of their own (a miner, a toolbox, a backdoor) gives an attacker code execution inside the cluster.',
    mitre: ['T1610', 'TA0002', 'TA0005'],
    keyFields: [K.user, K.respName, K.ns, K.images],
    benignCauses: [
      'A new or renamed image that was not yet added to your allowed list.',
      'A mirrored registry, so the same image arrives under a different repository name.',
      'Pods created by controllers: the user is then the controller (e.g. `system:serviceaccount:kube-system:replicaset-controller`), and the owning workload tells who deployed it.',
    ],
    investigate: podInvestigation('ka.resp.name'),
    mitigations: [admissionPolicy('allowed-image-registries',
      'Refuse pods whose images do not come from your registry, at admission time, instead of only alerting.',
      resourceRule('', ['pods'], ['CREATE', 'UPDATE']),
      "object.spec.containers.all(c, c.image.startsWith('<registry-prefix>/')) && (!has(object.spec.initContainers) || object.spec.initContainers.all(c, c.image.startsWith('<registry-prefix>/')))",
      'Images must come from the approved registry.')],
    tuning: podTuning('Create Disallowed Pod', 'allow_known_images'),
  }),

  playbook({
    rule: 'Create Privileged Pod',
    detects: 'A pod being created with `privileged: true` on a container, init container or ephemeral container, unless all its regular containers come from the image repositories in k8s_audit_privileged_images. Pods created by controllers count too.',
    attackerGoal: 'A privileged container has all capabilities and the host\'s devices, so its owner can mount the host disk or load kernel modules and take over the node.',
    mitre: ['T1610', 'T1611', 'TA0004'],
    keyFields: [K.user, K.respName, K.ns, K.images,
      { field: 'ka.req.pod.initContainers.image', meaning: 'Images of the init containers; one of them may be the privileged one.' },
      { field: 'ka.req.pod.ephemeralContainers.image', meaning: 'Images of ephemeral (debug) containers, usually empty at creation.' }],
    benignCauses: [
      'Node agents run as DaemonSets: CNI plugins, CSI storage drivers, monitoring or security agents whose repositories are not in the built-in list.',
      'A mirrored registry, so a listed image arrives under another repository name.',
      '`kubectl debug node/<node>` style troubleshooting by administrators.',
    ],
    investigate: podInvestigation('ka.resp.name'),
    mitigations: [PSA_BASELINE],
    tuning: podTuning('Create Privileged Pod', 'allow_privileged_agent'),
  }),

  playbook({
    rule: 'Create Sensitive Mount Pod',
    detects: 'A pod being created with a hostPath volume whose path is exactly one of /, /proc, /etc, /root, /home/admin, /var/lib/kubelet, /var/lib/kubelet/pki, /etc/kubernetes, /etc/kubernetes/manifests or the Docker, CRI-O or containerd socket, unless all its containers come from k8s_audit_sensitive_mount_images. Sub-paths and other spellings (e.g. /run/docker.sock) do not match.',
    attackerGoal: 'Host files and runtime sockets let a container read node credentials, write static pod manifests or start privileged containers, i.e. escape to the node.',
    mitre: ['T1611', 'T1610', 'TA0004'],
    keyFields: [K.user, K.respName, K.ns, K.images,
      { field: 'jevt.value[/requestObject/spec/volumes]', meaning: 'The volumes of the pod as JSON; the hostPath entries show which host paths are mounted.' }],
    benignCauses: [
      'Monitoring and log agents (node exporters, log shippers) that read /proc or host logs.',
      'Storage, CNI or security agents that need the container runtime socket or kubelet directories.',
    ],
    investigate: podInvestigation('ka.resp.name'),
    mitigations: [PSA_BASELINE],
    tuning: podTuning('Create Sensitive Mount Pod', 'allow_host_mount_agent'),
  }),

  playbook({
    rule: 'Create HostNetwork Pod',
    detects: 'A pod being created with `hostNetwork: true`, unless all its containers come from k8s_audit_hostnetwork_images.',
    attackerGoal: 'On the host network a pod reaches node-local services (kubelet, metadata endpoints bound to localhost), bypasses network policies and can see the node\'s traffic.',
    mitre: ['T1610', 'T1611', 'TA0004'],
    keyFields: [K.user, K.respName, K.ns, K.images],
    benignCauses: [
      'CNI plugins, kube-proxy replacements, ingress controllers or node-local DNS caches, which need the node\'s network.',
      'Monitoring agents that bind ports on every node.',
    ],
    investigate: podInvestigation('ka.resp.name'),
    mitigations: [PSA_BASELINE],
    tuning: podTuning('Create HostNetwork Pod', 'allow_host_network_agent'),
  }),

  playbook({
    rule: 'Create HostPid Pod',
    detects: 'A pod being created with `hostPID: true`, unless all its containers come from k8s_audit_hostpid_images (empty by default).',
    attackerGoal: 'Sharing the host\'s PID namespace exposes every process on the node: their environment and command lines, and with enough privileges `nsenter` into them.',
    mitre: ['T1610', 'T1611', 'TA0004'],
    keyFields: [K.user, K.respName, K.ns, K.images],
    benignCauses: [
      'Security and monitoring agents that observe all processes of the node.',
      'Node debugging pods started by administrators.',
    ],
    investigate: podInvestigation('ka.resp.name'),
    mitigations: [PSA_BASELINE],
    tuning: podTuning('Create HostPid Pod', 'allow_host_pid_agent'),
  }),

  playbook({
    rule: 'Create HostIPC Pod',
    detects: 'A pod being created with `hostIPC: true`, unless all its containers come from k8s_audit_hostipc_images (empty by default).',
    attackerGoal: 'The host IPC namespace exposes shared memory and message queues of processes on the node, which may hold data of other workloads.',
    mitre: ['T1610', 'T1611', 'TA0004'],
    keyFields: [K.user, K.respName, K.ns, K.images],
    benignCauses: [
      'Legacy or HPC workloads that exchange data with host processes through shared memory.',
      'Node agents that need System V IPC of the host.',
    ],
    investigate: podInvestigation('ka.resp.name'),
    mitigations: [PSA_BASELINE],
    tuning: podTuning('Create HostIPC Pod', 'allow_host_ipc_workload'),
  }),

  playbook({
    rule: 'Create NodePort Service',
    detects: 'A Service of type NodePort being created, which opens the same port on every node. The user_known_node_port_service macro (never true by default) can exclude known ones.',
    attackerGoal: 'A NodePort exposes a workload, possibly a backdoor, on every node\'s address and bypasses the ingress and load balancer in front of the cluster.',
    mitre: ['T1133', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The name of the Service.' }, K.ns,
      { field: 'ka.req.service.ports', meaning: 'The ports of the Service as JSON, including `nodePort` when one was requested.' }],
    benignCauses: [
      'Clusters without a cloud load balancer (bare metal, lab clusters) that expose applications through NodePorts.',
      'Ingress controllers or monitoring charts installed with a NodePort service.',
    ],
    investigate: [
      { command: 'kubectl get service <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows the ports, the selector and which tool created the Service (managedFields).' },
      { command: 'kubectl get endpointslices -n <ka.target.namespace> -l kubernetes.io/service-name=<ka.target.name> -o wide', purpose: 'Shows which pods the Service sends traffic to.' },
      CAN_I,
      AUDIT_BY_USER,
    ],
    mitigations: [admissionPolicy('deny-nodeport-services',
      'Refuse NodePort Services at admission so applications are exposed only through the ingress or load balancer you control.',
      resourceRule('', ['services'], ['CREATE', 'UPDATE']),
      "!has(object.spec.type) || object.spec.type != 'NodePort'",
      'NodePort services are not allowed; expose the application through an Ingress or a LoadBalancer service.')],
    tuning: exceptionTuning('Create NodePort Service', 'allow_known_nodeport', 'Accept this one Service by namespace and name.', [NAMESPACE, TARGET]),
  }),

  playbook({
    rule: 'Create/Modify Configmap With Private Credentials',
    detects: 'A ConfigMap being created, updated or patched whose data contains one of the strings aws_access_key_id, aws-access-key-id, aws_s3_access_key_id, aws-s3-access-key-id, password or passphrase (case-sensitive, anywhere in keys or values).',
    attackerGoal: 'Credentials in ConfigMaps are readable by anyone with the view role; an attacker who finds them gains access to databases or cloud accounts.',
    mitre: ['T1552', 'T1552.007', 'TA0006'],
    keyFields: [K.user, K.verb, { field: 'ka.req.configmap.name', meaning: 'The name of the ConfigMap.' }],
    benignCauses: [
      'Configuration files that mention a password setting without holding a secret (e.g. `password_min_length`, commented templates).',
      'Applications that still keep credentials in ConfigMaps and should be moved to Secrets.',
    ],
    investigate: [
      { command: "kubectl get configmap <ka.req.configmap.name> -n <ka.target.namespace> -o jsonpath='{.metadata.managedFields[*].manager}'", purpose: 'Shows which tools wrote the ConfigMap, without printing its data.' },
      { command: 'kubectl get rolebindings -n <ka.target.namespace> -o wide', purpose: 'Shows who can read the namespace\'s ConfigMaps (view, edit and admin all can).' },
      AUDIT_BY_USER,
    ],
    mitigations: [{
      summary: 'Move the credential into a Secret readable only by the workload (and rotate it, as it was exposed), then remove it from the ConfigMap.',
      commands: [{ command: 'kubectl create secret generic <secret-name> -n <ka.target.namespace> --from-file=<file>', purpose: 'Creates a Secret from a local file that holds the credential.', changesSystem: true }],
    }],
    tuning: exceptionTuning('Create/Modify Configmap With Private Credentials', 'allow_configmap_without_secret', 'Accept this ConfigMap by namespace and name after checking that it holds no real credential.', [NAMESPACE, { field: 'ka.req.configmap.name', value: '<ka.req.configmap.name>' }]),
  }),

  playbook({
    rule: 'Anonymous Request Allowed',
    detects: 'A completed request by `system:anonymous` that the authorizer allowed, except the /healthz, /livez and /readyz health endpoints.',
    attackerGoal: 'Anything the anonymous user may do is open to the whole network: an attacker can read cluster information or act without any credential.',
    mitre: ['T1078', 'TA0001'],
    keyFields: [K.user, K.verb, K.uri, { field: 'ka.auth.reason', meaning: 'The RBAC binding that allowed it; a binding to `system:anonymous` or `system:unauthenticated` is the cause.' }],
    benignCauses: [
      'GET /version, which the default system:public-info-viewer role allows without authentication.',
      'Service account issuer discovery (/.well-known/openid-configuration, /openid/v1/jwks) opened to unauthenticated clients for workload identity federation.',
    ],
    investigate: [
      { command: 'kubectl get clusterrolebindings,rolebindings -A -o wide', purpose: 'Find bindings whose subjects include system:anonymous or system:unauthenticated.' },
      { command: 'kubectl auth can-i --list --as=system:anonymous', purpose: 'Lists what the anonymous user may do.' },
      { command: "jq -c 'select(.user.username == \"system:anonymous\") | [.stageTimestamp, .verb, .requestURI, .sourceIPs, .userAgent, .responseStatus.code]' <audit-log-file>", purpose: 'Lists anonymous requests with their source addresses.' },
    ],
    mitigations: [
      {
        summary: 'Turn anonymous authentication off on the API server. Load balancer health checks that use /healthz, /livez or /readyz without credentials then fail; on Kubernetes 1.32+ use the second option instead.',
        config: { language: 'text', title: 'kube-apiserver flag (e.g. in /etc/kubernetes/manifests/kube-apiserver.yaml)', text: '--anonymous-auth=false\n' },
      },
      {
        summary: 'On Kubernetes 1.32+, allow anonymous requests only to the health endpoints with an authentication configuration file (cannot be combined with --anonymous-auth).',
        config: {
          language: 'yaml',
          title: 'AuthenticationConfiguration passed with kube-apiserver --authentication-config',
          text: [
            'apiVersion: apiserver.config.k8s.io/v1beta1',
            'kind: AuthenticationConfiguration',
            'anonymous:',
            '  enabled: true',
            '  conditions:',
            '    - path: /livez',
            '    - path: /readyz',
            '    - path: /healthz',
            '',
          ].join('\n'),
        },
      },
    ],
    tuning: exceptionTuning('Anonymous Request Allowed', 'allow_anonymous_endpoint', 'Accept one verb on one request path for anonymous clients (e.g. get on /version). The path is compared exactly, query string included.', [
      { field: 'ka.verb', value: '<ka.verb>' }, { field: 'ka.uri', value: '<ka.uri>' }]),
  }),

  playbook({
    rule: 'Attach/Exec Pod',
    detects: 'An exec or attach into a pod (the pods/exec or pods/attach subresource with verb create or get), seen when the API server starts streaming the response. The user_known_exec_pod_activities macro (never true by default) can exclude known ones.',
    attackerGoal: 'Exec gives an interactive shell or a command inside a running container, with its service account token, Secrets and network position.',
    mitre: ['T1609', 'TA0002'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The pod exec\'d or attached into.' }, K.ns,
      { field: 'ka.target.subresource', meaning: '`exec` or `attach`.' },
      { field: 'ka.uri.param[command]', meaning: 'The first word of the command run (the first `command` parameter of the request); the full command is in the request URI.' }],
    benignCauses: [
      'Administrators or developers debugging with `kubectl exec`.',
      'Tools that run commands in pods: backup operators, CI jobs, database operators, IDE remote plugins.',
    ],
    investigate: [
      { command: "jq -c --arg name <ka.target.name> 'select(.objectRef.name == $name and (.objectRef.subresource == \"exec\" or .objectRef.subresource == \"attach\")) | [.stageTimestamp, .user.username, .requestURI, .sourceIPs]' <audit-log-file>", purpose: 'Shows every exec or attach into the pod with the full command line in the request URI and the client address.' },
      { command: 'kubectl get pod <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows the pod, its service account and what a shell inside it could reach.' },
      CAN_I,
      AUDIT_BY_USER,
    ],
    mitigations: [NO_EXEC_ROLE],
    tuning: exceptionTuning('Attach/Exec Pod', 'allow_known_exec', 'Accept exec and attach by this account in this namespace (e.g. a backup operator\'s service account).', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'port-forward',
    detects: 'Any audit event on the pods/portforward subresource. The condition checks neither the stage nor the verb, so one port-forward can alert more than once. The user_known_portforward_activities macro (never true by default) can exclude known ones.',
    attackerGoal: 'Port-forwarding tunnels traffic through the API server to a pod port, reaching services that network policies and ingress never expose.',
    mitre: ['T1572', 'TA0011'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The pod whose port was forwarded.' }, K.ns, { field: 'ka.target.subresource', meaning: 'Always `portforward` here.' }],
    benignCauses: [
      'Developers using `kubectl port-forward` to reach a database or dashboard.',
      'IDE and tooling integrations (Lens, k9s, Telepresence-like tools) that forward ports.',
    ],
    investigate: [
      { command: 'kubectl get pod <ka.target.name> -n <ka.target.namespace> -o wide', purpose: 'Shows the pod and its node.' },
      { command: 'kubectl get services -n <ka.target.namespace> -o wide', purpose: 'Shows which services and ports the pod backs, i.e. what was reachable through the tunnel.' },
      CAN_I,
      AUDIT_BY_USER,
    ],
    mitigations: [NO_EXEC_ROLE],
    tuning: exceptionTuning('port-forward', 'allow_known_portforward', 'Accept port-forwarding by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'EphemeralContainers Created',
    detects: 'A create, update or patch on the pods/ephemeralcontainers subresource, i.e. an ephemeral debug container added to a running pod (`kubectl debug`). The user_known_pod_debug_activities macro (never true by default) can exclude known ones.',
    attackerGoal: 'An ephemeral container runs any image inside an existing pod, sharing its network and possibly its processes, without changing the workload definition.',
    mitre: ['T1609', 'T1610', 'TA0002'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The pod that received the container.' }, K.ns,
      { field: 'jevt.value[/requestObject/ephemeralContainers/0/name]', meaning: 'Name of the first ephemeral container in the request; on current Kubernetes the request is a Pod whose spec holds the list, so this can be `<NA>` (read the pod instead).' },
      { field: 'jevt.value[/requestObject/ephemeralContainers/0/image]', meaning: 'Image of that container, with the same caveat.' }],
    benignCauses: [
      'Administrators debugging a distroless container with `kubectl debug -it <pod> --image=busybox`.',
      'Debugging tools or IDE plugins that add debug containers.',
    ],
    investigate: [
      { command: "kubectl get pod <ka.target.name> -n <ka.target.namespace> -o jsonpath='{.spec.ephemeralContainers}'", purpose: 'Shows every ephemeral container of the pod: image, command, target container and security context.' },
      { command: 'kubectl describe pod <ka.target.name> -n <ka.target.namespace>', purpose: 'Shows the ephemeral containers\' state and the pod\'s events.' },
      CAN_I,
      AUDIT_BY_USER,
    ],
    mitigations: [NO_EXEC_ROLE, podSecurityAdmission('baseline', 'the level applies to ephemeral containers too, so a debug container cannot be privileged or use host namespaces.')],
    tuning: exceptionTuning('EphemeralContainers Created', 'allow_known_debugger', 'Accept debug containers added by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'Create Disallowed Namespace',
    detects: 'A namespace being created whose name is not in the allowed_namespaces list (kube-system, kube-public and default). The response code is not checked, so refused attempts alert too.',
    attackerGoal: 'A namespace of their own gives an attacker a place for workloads and roles that existing policies, quotas and monitoring may not cover.',
    mitre: ['TA0005', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The name of the new namespace.' }],
    benignCauses: [
      'Every new application or team namespace, until its name is added to allowed_namespaces.',
      'Helm charts or operators that create their own namespace; kube-node-lease at cluster creation.',
    ],
    investigate: [
      { command: 'kubectl get namespace <ka.target.name> -o yaml', purpose: 'Shows the namespace\'s labels (including Pod Security levels) and which tool created it.' },
      { command: 'kubectl get all,rolebindings -n <ka.target.name>', purpose: 'Shows what was deployed into the new namespace.' },
      CAN_I_CLUSTER,
      AUDIT_BY_USER,
    ],
    mitigations: [NAMESPACE_ADMINS_ONLY],
    tuning: exceptionTuning('Create Disallowed Namespace', 'allow_known_namespace', 'Accept this namespace name when created by this account. Appending the name to the allowed_namespaces list works as well.', [USER, TARGET]),
  }),

  playbook({
    rule: 'Pod Created in Kube Namespace',
    detects: 'A pod being created in kube-system or kube-public, unless all its containers come from allowed_kube_namespace_image_list or user_allowed_kube_namespace_image_list. Pods created by controllers (DaemonSets, Deployments) count too.',
    attackerGoal: 'System namespaces hold powerful service accounts and are watched less; a pod there blends in with control-plane add-ons.',
    mitre: ['T1610', 'TA0005', 'TA0003'],
    keyFields: [K.user, K.respName, K.ns, K.images],
    benignCauses: [
      'Add-ons that live in kube-system but are not in the short built-in list: CoreDNS, CNI and CSI drivers, metrics-server, cloud controllers.',
      'Upgrades of these add-ons, which recreate their pods.',
    ],
    investigate: podInvestigation('ka.resp.name'),
    mitigations: [{
      summary: 'Give no one but cluster administrators and the add-on pipeline create rights on pods or workloads in kube-system; review the bindings of that namespace.',
      commands: [
        { command: 'kubectl get rolebindings -n kube-system -o wide', purpose: 'Lists who holds namespaced rights in kube-system.' },
        { command: 'kubectl auth can-i create pods -n kube-system --as=<ka.user.name>', purpose: 'Shows whether the account may still create pods in kube-system.' },
      ],
    }],
    tuning: podTuning('Pod Created in Kube Namespace', 'allow_system_addon'),
  }),

  playbook({
    rule: 'Service Account Created in Kube Namespace',
    detects: 'A successful creation of a ServiceAccount in kube-system or kube-public whose name is not one of the built-in controller accounts (known_sa_list, user_known_sa_list).',
    attackerGoal: 'A service account in a system namespace looks legitimate and, once bound to a powerful role, gives long-lived access that survives the loss of the first foothold.',
    mitre: ['T1136', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The name of the new service account.' }, K.ns],
    benignCauses: [
      'Installing an add-on into kube-system (DNS, CNI, CSI, metrics-server, cloud controllers).',
      'Cluster upgrades that add new controller accounts not yet in the list.',
    ],
    investigate: [
      { command: 'kubectl get serviceaccount <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows the account and which tool created it.' },
      { command: 'kubectl auth can-i --list --as=system:serviceaccount:<ka.target.namespace>:<ka.target.name>', purpose: 'Shows what the new service account is allowed to do.' },
      BINDINGS,
      AUDIT_BY_USER,
    ],
    mitigations: [{
      summary: 'Keep kube-system changes with cluster administrators: no one else gets create on serviceaccounts there.',
      commands: [{ command: 'kubectl auth can-i create serviceaccounts -n kube-system --as=<ka.user.name>', purpose: 'Shows whether the account may still create service accounts in kube-system.' }],
    }],
    tuning: exceptionTuning('Service Account Created in Kube Namespace', 'allow_addon_serviceaccount', 'Accept this service account name in this namespace. Appending it to user_known_sa_list works as well.', [NAMESPACE, TARGET]),
  }),

  playbook({
    rule: 'System ClusterRole Modified/Deleted',
    detects: 'A create, update, patch or delete of a Role or ClusterRole whose name starts with `system:`, except system:coredns and system:managed-certificate-controller. Refused attempts alert too.',
    attackerGoal: 'Widening a built-in role silently grants rights to every component bound to it; deleting one breaks components or hides changes among defaults.',
    mitre: ['T1098', 'T1098.006', 'TA0003', 'TA0004'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The system role changed.' }, K.resource, K.ns, { field: 'ka.verb', meaning: 'What was done: create, update, patch or delete.' }],
    benignCauses: [
      'The API server restoring or updating its default roles, e.g. after an upgrade (user system:apiserver).',
      'Add-ons that ship their own roles named `system:...` and update them on upgrade.',
    ],
    investigate: [
      { command: 'kubectl get clusterrole <ka.target.name> -o yaml', purpose: 'Shows the role\'s current rules and the rbac.authorization.kubernetes.io/autoupdate annotation.' },
      { command: 'kubectl get clusterrolebindings -o wide', purpose: 'Shows which accounts are bound to the role and gained or lost rights.' },
      AUDIT_BY_CLUSTER_OBJECT,
      AUDIT_BY_USER,
    ],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('System ClusterRole Modified/Deleted', 'allow_role_reconciler', 'Accept changes to this system role by this account (e.g. system:apiserver reconciling defaults).', [USER, TARGET]),
  }),

  playbook({
    rule: 'Attach to cluster-admin Role',
    detects: 'A ClusterRoleBinding being created whose roleRef is the cluster-admin ClusterRole. Refused attempts alert too.',
    attackerGoal: 'Binding an account to cluster-admin gives it full control of the cluster, a durable foothold.',
    mitre: ['T1098.006', 'TA0004', 'TA0003'],
    keyFields: [K.user, { field: 'ka.req.binding.subjects', meaning: 'The accounts, groups or service accounts that receive cluster-admin.' }],
    benignCauses: [
      'Cluster bootstrap (kubeadm creates a binding for its administrators group).',
      'Operators or GitOps controllers that are installed with full rights.',
    ],
    investigate: [
      { command: 'kubectl get clusterrolebindings -o wide', purpose: 'Lists every binding, with role and subjects; find those to cluster-admin.' },
      CAN_I_CLUSTER,
      AUDIT_BY_USER,
    ],
    mitigations: [admissionPolicy('deny-cluster-admin-bindings',
      'Refuse new bindings to cluster-admin except by members of system:masters, so a compromised account with bind rights cannot hand out full control.',
      resourceRule('rbac.authorization.k8s.io', ['clusterrolebindings', 'rolebindings'], ['CREATE']),
      "object.roleRef.name != 'cluster-admin'",
      'Bindings to cluster-admin are reserved for cluster administrators.'), RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('Attach to cluster-admin Role', 'allow_known_admin_binding', 'Accept this binding name when created by this account (ka.target.name is the binding\'s name).', [USER, TARGET]),
  }),

  playbook({
    rule: 'ClusterRole With Wildcard Created',
    detects: 'A Role or ClusterRole being created with `*` among the resources or the verbs of any of its rules.',
    attackerGoal: 'A wildcard role grants every current and future resource or verb, an easy way to hide broad rights in an innocent-looking role.',
    mitre: ['T1098.006', 'TA0004', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The role created.' }, K.resource, K.rules],
    benignCauses: [
      'Operators and their Helm charts (GitOps controllers, infrastructure operators) that request full rights on their own API groups.',
      'Cluster bootstrap or upgrades that create default admin roles.',
    ],
    investigate: [
      { command: 'kubectl get clusterroles,roles -A -o wide', purpose: 'Find the role and its neighbours; then read it with kubectl get clusterrole <name> -o yaml.' },
      BINDINGS,
      AUDIT_BY_USER,
    ],
    mitigations: [admissionPolicy('deny-wildcard-roles',
      'Refuse new roles with `*` in verbs or resources except by members of system:masters; list the verbs and resources explicitly instead.',
      resourceRule('rbac.authorization.k8s.io', ['roles', 'clusterroles'], ['CREATE']),
      "!has(object.rules) || object.rules.all(r, !('*' in r.verbs) && (!has(r.resources) || !('*' in r.resources)))",
      'Roles must list their verbs and resources; wildcards are not allowed.'), RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('ClusterRole With Wildcard Created', 'allow_known_wildcard_role', 'Accept this role name when created by this account (e.g. an operator\'s installer).', [USER, TARGET]),
  }),

  playbook({
    rule: 'ClusterRole With Write Privileges Created',
    detects: 'A Role or ClusterRole being created that has create, update, patch, delete or deletecollection among the verbs of any rule.',
    attackerGoal: 'A role with write rights, once bound, lets an attacker change workloads and configuration; creating one is a step to persistence.',
    mitre: ['T1098.006', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The role created.' }, K.resource, K.rules],
    benignCauses: [
      'Almost every Helm chart or operator installation, which creates roles for its controller.',
      'Teams creating roles for their pipelines.',
    ],
    investigate: [
      { command: 'kubectl get clusterroles,roles -A -o wide', purpose: 'Find the role; then read its rules with kubectl get clusterrole <name> -o yaml.' },
      BINDINGS,
      AUDIT_BY_USER,
    ],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('ClusterRole With Write Privileges Created', 'allow_known_write_role', 'Accept this role name when created by this account.', [USER, TARGET]),
  }),

  playbook({
    rule: 'ClusterRole With Pod Exec Created',
    detects: 'A Role or ClusterRole being created whose rules name the `pods/exec` resource.',
    attackerGoal: 'A role with pods/exec, once bound, gives shells in every pod in its scope, and with them the pods\' tokens and Secrets.',
    mitre: ['T1098.006', 'T1609', 'TA0003', 'TA0002'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The role created.' }, K.resource, K.rules],
    benignCauses: [
      'Operators that run commands in the pods they manage (database or backup operators).',
      'Debugging roles created on purpose for support staff.',
    ],
    investigate: [
      { command: 'kubectl get clusterroles,roles -A -o wide', purpose: 'Find the role; then read its rules with kubectl get clusterrole <name> -o yaml.' },
      BINDINGS,
      AUDIT_BY_USER,
    ],
    mitigations: [NO_EXEC_ROLE, RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('ClusterRole With Pod Exec Created', 'allow_known_exec_role', 'Accept this role name when created by this account.', [USER, TARGET]),
  }),

  playbook({
    rule: 'K8s Deployment Created',
    detects: 'A Deployment created successfully (2xx response). An activity record rather than a threat signal.',
    attackerGoal: 'A Deployment keeps an attacker\'s pods running and restarts them when deleted.',
    mitre: ['T1610', 'TA0002', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The Deployment.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Releases by CI/CD pipelines, Helm or GitOps controllers.', 'Operators creating Deployments for the applications they manage.'],
    investigate: [
      { command: 'kubectl get deployment <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows images, service account, security context and which tool created it.' },
      { command: 'kubectl rollout history deployment/<ka.target.name> -n <ka.target.namespace>', purpose: 'Shows the revisions of the Deployment.' },
      CAN_I, AUDIT_BY_USER,
    ],
    mitigations: [pipelineOnly('deployments', 'apps', 'Deployments')],
    tuning: exceptionTuning('K8s Deployment Created', 'allow_pipeline_deployments', 'Accept Deployments created by this account (e.g. the pipeline) in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Deployment Deleted',
    detects: 'A Deployment deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting Deployments takes applications down or removes evidence of a workload the attacker ran.',
    mitre: ['T1489', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The Deployment.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Application retirement or renaming by pipelines, Helm uninstall or GitOps pruning.', 'Cleanup of preview or test environments.'],
    investigate: [AUDIT_BY_OBJECT, NAMESPACE_EVENTS, CAN_I, AUDIT_BY_USER],
    mitigations: [pipelineOnly('deployments', 'apps', 'Deployments')],
    tuning: exceptionTuning('K8s Deployment Deleted', 'allow_pipeline_deletes', 'Accept Deployment deletions by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Service Created',
    detects: 'A Service created successfully (2xx response). An activity record.',
    attackerGoal: 'A Service can expose an attacker\'s pod, or redirect traffic meant for another application.',
    mitre: ['T1133', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The Service.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Application releases by pipelines, Helm or GitOps controllers.', 'Operators creating Services for what they manage.'],
    investigate: [
      { command: 'kubectl get service <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows type, ports, selector and which tool created it.' },
      { command: 'kubectl get endpointslices -n <ka.target.namespace> -l kubernetes.io/service-name=<ka.target.name> -o wide', purpose: 'Shows which pods receive its traffic.' },
      AUDIT_BY_USER,
    ],
    mitigations: [pipelineOnly('services', '', 'Services')],
    tuning: exceptionTuning('K8s Service Created', 'allow_pipeline_services', 'Accept Services created by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Service Deleted',
    detects: 'A Service deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting a Service cuts an application off from its clients.',
    mitre: ['T1489', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The Service.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Application retirement by pipelines, Helm uninstall or GitOps pruning.', 'Cleanup of test environments.'],
    investigate: [AUDIT_BY_OBJECT, NAMESPACE_EVENTS, AUDIT_BY_USER],
    mitigations: [pipelineOnly('services', '', 'Services')],
    tuning: exceptionTuning('K8s Service Deleted', 'allow_pipeline_deletes', 'Accept Service deletions by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s ConfigMap Created',
    detects: 'A ConfigMap created successfully (2xx response). An activity record.',
    attackerGoal: 'A changed or new ConfigMap can alter how an application behaves, e.g. point it at an attacker\'s endpoint.',
    mitre: ['TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The ConfigMap.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Application releases; controllers that publish data in ConfigMaps (e.g. kube-root-ca.crt in every namespace, leader-election records).', 'Helm or GitOps controllers.'],
    investigate: [
      { command: "kubectl get configmap <ka.target.name> -n <ka.target.namespace> -o jsonpath='{.metadata.managedFields[*].manager}'", purpose: 'Shows which tools wrote the ConfigMap.' },
      AUDIT_BY_OBJECT,
      AUDIT_BY_USER,
    ],
    mitigations: [pipelineOnly('configmaps', '', 'ConfigMaps')],
    tuning: exceptionTuning('K8s ConfigMap Created', 'allow_known_configmap_writer', 'Accept ConfigMaps created by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s ConfigMap Deleted',
    detects: 'A ConfigMap deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting configuration breaks applications at their next restart.',
    mitre: ['T1485', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The ConfigMap.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Helm uninstall, GitOps pruning or pipeline cleanup.', 'Controllers removing ConfigMaps they own.'],
    investigate: [AUDIT_BY_OBJECT, NAMESPACE_EVENTS, AUDIT_BY_USER],
    mitigations: [pipelineOnly('configmaps', '', 'ConfigMaps')],
    tuning: exceptionTuning('K8s ConfigMap Deleted', 'allow_known_configmap_writer', 'Accept ConfigMap deletions by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Namespace Created',
    detects: 'A namespace created successfully (2xx response). An activity record.',
    attackerGoal: 'A namespace of their own gives an attacker a place outside existing policies and monitoring.',
    mitre: ['TA0005', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The new namespace.' }, K.resp, K.reason],
    benignCauses: ['New teams or applications; preview environments created by CI.', 'Helm charts and operators that create their own namespace.'],
    investigate: [
      { command: 'kubectl get namespace <ka.target.name> -o yaml', purpose: 'Shows labels (Pod Security levels) and the creating tool.' },
      { command: 'kubectl get all,rolebindings -n <ka.target.name>', purpose: 'Shows what was put in the namespace.' },
      AUDIT_BY_USER,
    ],
    mitigations: [NAMESPACE_ADMINS_ONLY],
    tuning: exceptionTuning('K8s Namespace Created', 'allow_namespace_provisioner', 'Accept namespaces created by this account (e.g. the CI system that creates preview environments).', [USER]),
  }),

  playbook({
    rule: 'K8s Namespace Deleted',
    detects: 'A namespace deleted successfully (2xx response) by an account whose name does not start with `system:`. An activity record; deleting a namespace deletes everything in it.',
    attackerGoal: 'Deleting a namespace destroys all its workloads, Secrets and data in one request.',
    mitre: ['T1485', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The deleted namespace.' }, K.resp, K.reason],
    benignCauses: ['Teardown of preview or test environments.', 'Decommissioning an application.'],
    investigate: [AUDIT_BY_CLUSTER_OBJECT, CAN_I_CLUSTER, AUDIT_BY_USER],
    mitigations: [NAMESPACE_ADMINS_ONLY],
    tuning: exceptionTuning('K8s Namespace Deleted', 'allow_namespace_cleanup', 'Accept namespace deletions by this account (e.g. the CI system that removes preview environments).', [USER]),
  }),

  playbook({
    rule: 'K8s Serviceaccount Created',
    detects: 'A ServiceAccount created successfully (2xx response). An activity record.',
    attackerGoal: 'A new service account, once bound to a role, is a long-lived identity for persistence.',
    mitre: ['T1136', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The new service account.' }, K.ns, K.resp, K.reason],
    benignCauses: ['The `default` service account created in every new namespace by the service account controller.', 'Helm charts and operators creating accounts for their pods.'],
    investigate: [
      { command: 'kubectl auth can-i --list --as=system:serviceaccount:<ka.target.namespace>:<ka.target.name>', purpose: 'Shows what the new account may do.' },
      BINDINGS, AUDIT_BY_USER,
    ],
    mitigations: [pipelineOnly('serviceaccounts', '', 'ServiceAccounts')],
    tuning: exceptionTuning('K8s Serviceaccount Created', 'allow_known_sa_creator', 'Accept service accounts created by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Serviceaccount Deleted',
    detects: 'A ServiceAccount deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting a service account breaks the workloads that use it, or removes traces of an account used in an attack.',
    mitre: ['T1531', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The deleted service account.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Helm uninstall or GitOps pruning.', 'Namespace deletion: the namespace controller removes the namespace\'s service accounts.'],
    investigate: [AUDIT_BY_OBJECT, NAMESPACE_EVENTS, AUDIT_BY_USER],
    mitigations: [pipelineOnly('serviceaccounts', '', 'ServiceAccounts')],
    tuning: exceptionTuning('K8s Serviceaccount Deleted', 'allow_known_sa_cleanup', 'Accept service account deletions by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Role Created',
    detects: 'A namespaced Role created successfully (2xx response). An activity record.',
    attackerGoal: 'A new role, once bound, grants an account rights in the namespace.',
    mitre: ['T1098.006', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The new Role.' }, K.ns, K.rules, K.resp],
    benignCauses: ['Helm charts and operators installing roles for their controllers.', 'Teams granting rights to their pipelines.'],
    investigate: [
      { command: 'kubectl get role <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows the rules of the Role.' },
      { command: 'kubectl get rolebindings -n <ka.target.namespace> -o wide', purpose: 'Shows who is bound to it.' },
      AUDIT_BY_USER,
    ],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s Role Created', 'allow_known_role_creator', 'Accept Roles created by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Role Deleted',
    detects: 'A namespaced Role deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting a role removes rights from the accounts bound to it, or removes a role used in an attack.',
    mitre: ['T1531', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The deleted Role.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Helm uninstall or GitOps pruning.', 'Namespace deletion: the namespace controller removes the namespace\'s Roles.'],
    investigate: [AUDIT_BY_OBJECT, { command: 'kubectl get rolebindings -n <ka.target.namespace> -o wide', purpose: 'Shows bindings that still refer to the deleted Role and so grant nothing now.' }, AUDIT_BY_USER],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s Role Deleted', 'allow_known_role_cleanup', 'Accept Role deletions by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s ClusterRole Created',
    detects: 'A ClusterRole created successfully (2xx response). An activity record.',
    attackerGoal: 'A new cluster role, once bound, grants rights across all namespaces.',
    mitre: ['T1098.006', 'TA0003', 'TA0004'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The new ClusterRole.' }, K.rules, K.resp],
    benignCauses: ['Helm charts and operators installing cluster roles.', 'The API server creating default roles at cluster creation or upgrade.'],
    investigate: [
      { command: 'kubectl get clusterrole <ka.target.name> -o yaml', purpose: 'Shows the rules and any aggregation labels of the ClusterRole.' },
      { command: 'kubectl get clusterrolebindings,rolebindings -A -o wide', purpose: 'Shows who is bound to it.' },
      AUDIT_BY_USER,
    ],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s ClusterRole Created', 'allow_known_clusterrole', 'Accept this ClusterRole name when created by this account.', [USER, TARGET]),
  }),

  playbook({
    rule: 'K8s ClusterRole Deleted',
    detects: 'A ClusterRole deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting a cluster role removes rights from every account bound to it, or removes a role used in an attack.',
    mitre: ['T1531', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The deleted ClusterRole.' }, K.resp, K.reason],
    benignCauses: ['Helm uninstall or GitOps pruning of an operator.', 'Access reviews removing roles left over from earlier installations.'],
    investigate: [AUDIT_BY_CLUSTER_OBJECT, { command: 'kubectl get clusterrolebindings,rolebindings -A -o wide', purpose: 'Shows bindings that still refer to the deleted ClusterRole and so grant nothing now.' }, AUDIT_BY_USER],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s ClusterRole Deleted', 'allow_known_clusterrole_cleanup', 'Accept deleting this ClusterRole by this account.', [USER, TARGET]),
  }),

  playbook({
    rule: 'K8s RoleBinding Created',
    detects: 'A RoleBinding created successfully (2xx response). An activity record.',
    attackerGoal: 'A binding grants a role to an account; binding admin or edit to an attacker-controlled account is a common persistence step.',
    mitre: ['T1098.006', 'TA0003', 'TA0004'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The new RoleBinding.' }, K.ns,
      { field: 'ka.req.binding.subjects', meaning: 'Who receives the role: users, groups or service accounts.' },
      { field: 'ka.req.binding.role', meaning: 'The Role or ClusterRole granted.' }, K.resp],
    benignCauses: ['Helm charts and operators binding their service accounts.', 'Team onboarding that grants access to a namespace.'],
    investigate: [
      { command: 'kubectl get rolebinding <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows the role and subjects of the binding.' },
      CAN_I, AUDIT_BY_USER,
    ],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s RoleBinding Created', 'allow_known_binder', 'Accept RoleBindings created by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s RoleBinding Deleted',
    detects: 'A RoleBinding deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting a binding locks accounts out, or removes traces of a binding used in an attack.',
    mitre: ['T1531', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The deleted RoleBinding.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Access reviews and offboarding.', 'Helm uninstall or GitOps pruning.'],
    investigate: [AUDIT_BY_OBJECT, { command: 'kubectl get rolebindings -n <ka.target.namespace> -o wide', purpose: 'Shows the bindings left in the namespace, to see who lost access.' }, AUDIT_BY_USER],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s RoleBinding Deleted', 'allow_known_binding_cleanup', 'Accept RoleBinding deletions by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s ClusterRoleBinding Created',
    detects: 'A ClusterRoleBinding created successfully (2xx response). An activity record.',
    attackerGoal: 'A cluster-wide binding grants a role in every namespace; binding a powerful role to an attacker-controlled account gives lasting control.',
    mitre: ['T1098.006', 'TA0003', 'TA0004'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The new ClusterRoleBinding.' },
      { field: 'ka.req.binding.subjects', meaning: 'Who receives the role: users, groups or service accounts.' },
      { field: 'ka.req.binding.role', meaning: 'The ClusterRole granted.' }, K.resp],
    benignCauses: ['Helm charts and operators binding their service accounts cluster-wide.', 'Cluster bootstrap and upgrades.'],
    investigate: [
      { command: 'kubectl get clusterrolebinding <ka.target.name> -o yaml', purpose: 'Shows the role and subjects of the binding.' },
      CAN_I_CLUSTER, AUDIT_BY_USER,
    ],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s ClusterRoleBinding Created', 'allow_known_clusterbinding', 'Accept this ClusterRoleBinding name when created by this account.', [USER, TARGET]),
  }),

  playbook({
    rule: 'K8s ClusterRoleBinding Deleted',
    detects: 'A ClusterRoleBinding deleted successfully (2xx response). An activity record.',
    attackerGoal: 'Deleting a cluster-wide binding locks accounts out or removes traces of an attack.',
    mitre: ['T1531', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The deleted ClusterRoleBinding.' }, K.resp, K.reason],
    benignCauses: ['Access reviews and offboarding.', 'Helm uninstall or GitOps pruning.'],
    investigate: [AUDIT_BY_CLUSTER_OBJECT, { command: 'kubectl get clusterrolebindings -o wide', purpose: 'Shows the cluster-wide bindings left, to see who lost access.' }, AUDIT_BY_USER],
    mitigations: [RBAC_ADMIN_ONLY],
    tuning: exceptionTuning('K8s ClusterRoleBinding Deleted', 'allow_known_clusterbinding_cleanup', 'Accept deleting this ClusterRoleBinding by this account.', [USER, TARGET]),
  }),

  playbook({
    rule: 'K8s Secret Created',
    detects: 'A Secret created successfully (2xx response) outside kube-system by an account whose name does not start with `system:`. An activity record.',
    attackerGoal: 'A new Secret of type kubernetes.io/service-account-token gives a non-expiring token for a service account; other Secrets can plant credentials or certificates an application will trust.',
    mitre: ['T1098', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The new Secret.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Helm releases (Helm stores release state in Secrets named sh.helm.release.v1.*).', 'Pipelines or external-secret operators writing application credentials.'],
    investigate: [
      { command: 'kubectl describe secret <ka.target.name> -n <ka.target.namespace>', purpose: 'Shows the Secret\'s type, annotations (e.g. the service account of a token) and key sizes, without printing values.' },
      AUDIT_BY_OBJECT, AUDIT_BY_USER,
    ],
    mitigations: [pipelineOnly('secrets', '', 'Secrets')],
    tuning: exceptionTuning('K8s Secret Created', 'allow_known_secret_writer', 'Accept Secrets created by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Secret Deleted',
    detects: 'A Secret deleted successfully (2xx response) outside kube-system by an account whose name does not start with `system:`. An activity record.',
    attackerGoal: 'Deleting Secrets breaks the applications that need them.',
    mitre: ['T1485', 'TA0040'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The deleted Secret.' }, K.ns, K.resp, K.reason],
    benignCauses: ['Helm pruning old release Secrets.', 'Credential rotation by pipelines or operators.'],
    investigate: [AUDIT_BY_OBJECT, NAMESPACE_EVENTS, AUDIT_BY_USER],
    mitigations: [pipelineOnly('secrets', '', 'Secrets')],
    tuning: exceptionTuning('K8s Secret Deleted', 'allow_known_secret_cleanup', 'Accept Secret deletions by this account in this namespace.', [USER, NAMESPACE]),
  }),

  playbook({
    rule: 'K8s Secret Get Successfully',
    detects: 'A successful `get` of one Secret by name, by any account in any namespace (system accounts included). Listing or watching Secrets uses other verbs and is not matched.',
    attackerGoal: 'Secrets hold tokens, passwords and keys; reading them is the usual way from one foothold to databases, clouds or more cluster rights.',
    mitre: ['T1552.007', 'TA0006'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The Secret read.' }, K.ns, K.resp, K.reason],
    benignCauses: [
      'Controllers and operators reading their own Secrets (certificate managers, ingress controllers, Helm reading release state).',
      'Administrators or pipelines reading a Secret on purpose.',
    ],
    investigate: [
      { command: 'kubectl describe secret <ka.target.name> -n <ka.target.namespace>', purpose: 'Shows what kind of Secret was read (type, annotations, key sizes) without printing values.' },
      AUDIT_BY_USER, CAN_I,
    ],
    mitigations: [SECRET_READ_ROLE],
    tuning: exceptionTuning('K8s Secret Get Successfully', 'allow_known_secret_reader', 'Accept reads of this one Secret by this account.', [USER, NAMESPACE, TARGET]),
  }),

  playbook({
    rule: 'K8s Secret Get Unsuccessfully Tried',
    detects: 'A `get` of one Secret by name that did not succeed (response code not 2xx: forbidden, not found...), by any account.',
    attackerGoal: 'Failed reads show an attacker probing which Secrets a stolen identity can reach.',
    mitre: ['T1552.007', 'TA0006', 'TA0007'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The Secret asked for.' }, K.ns,
      { field: 'ka.response.code', meaning: '403: RBAC refused; 404: no such Secret (an application whose Secret is not created yet, or guessing).' }, K.decision, K.reason],
    benignCauses: [
      'Applications started before their Secret exists (404 until it is created).',
      'Operators checking for optional Secrets.',
    ],
    investigate: [AUDIT_BY_USER, CAN_I, BINDINGS],
    mitigations: [SECRET_READ_ROLE],
    tuning: exceptionTuning('K8s Secret Get Unsuccessfully Tried', 'allow_known_secret_probe', 'Accept failed reads of this one Secret by this account (e.g. an optional Secret).', [USER, NAMESPACE, TARGET]),
  }),

  playbook({
    rule: 'All K8s Audit Events',
    detects: 'Every completed audit event, once enabled. The consider_all_events macro is never true by default, so the rule stays silent until you override it; it is meant for checking that audit events reach Falco.',
    attackerGoal: 'None: a debugging rule, not a detection.',
    mitre: [],
    keyFields: [K.user, K.verb, K.uri, { field: 'jevt.obj', meaning: 'The whole audit event as JSON.' }],
    benignCauses: ['Every API request: this rule is enabled only for testing the audit pipeline.'],
    investigate: [
      { command: "kubectl get --raw '/readyz?verbose'", purpose: 'Shows that the API server answers; each request made should then appear as an alert.' },
    ],
    mitigations: [],
    tuning: {
      summary: 'The rule fires only after you make consider_all_events true. To test the audit pipeline, override the macro for a short time and remove the override afterwards (it matches every request).',
      yaml: [
        '- macro: consider_all_events',
        '  condition: (k8s_audit_always_true)',
        '  override:',
        '    condition: replace',
        '',
      ].join('\n'),
    },
  }),

  playbook({
    rule: 'Full K8s Administrative Access',
    detects: 'Any completed request by an account named like a default administrator (admin, kubernetes-admin and variants, minikube-user). The allowed_full_admin_users macro is always true by default, so the rule stays silent until you override it.',
    attackerGoal: 'Default administrator credentials (the kubeconfig made at cluster creation) give full control; attackers look for them on laptops, CI systems and backups.',
    mitre: ['T1078.001', 'TA0001', 'TA0004'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The object acted on, printed with its resource type.' }, K.verb, K.uri, K.resp],
    benignCauses: [
      'Administrators using the bootstrap kubeconfig (e.g. kubeadm\'s admin.conf) for routine work.',
      'Automation that was given the admin kubeconfig.',
    ],
    investigate: [AUDIT_BY_USER, CAN_I_CLUSTER, BINDINGS],
    mitigations: [{
      summary: 'Keep the bootstrap admin kubeconfig offline for emergencies and give people personal identities (OIDC or per-user certificates) bound to scoped roles, so that shared default names never appear in daily use.',
      commands: [{ command: 'kubectl get clusterrolebindings -o wide', purpose: 'Shows which users and groups hold cluster-admin, to replace shared admin identities with personal ones.' }],
    }],
    tuning: {
      summary: 'The rule fires only after allowed_full_admin_users is made false; this enables it. To silence a known-good account afterwards, remove its name from full_admin_k8s_users with a list override.',
      yaml: [
        '- macro: allowed_full_admin_users',
        '  condition: (k8s_audit_never_true)',
        '  override:',
        '    condition: replace',
        '',
      ].join('\n'),
    },
  }),

  playbook({
    rule: 'Ingress Object without TLS Certificate Created',
    detects: 'An Ingress created successfully (2xx response) whose spec has no TLS section.',
    attackerGoal: 'Without TLS, credentials and session cookies sent to the application cross the network in clear text and can be sniffed.',
    mitre: ['T1040', 'TA0006'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The Ingress.' }, K.ns, K.resource],
    benignCauses: [
      'TLS terminated in front of the cluster (cloud load balancer or CDN), so the Ingress itself carries no certificate.',
      'Internal or test endpoints served over plain HTTP on purpose.',
    ],
    investigate: [
      { command: 'kubectl get ingress <ka.target.name> -n <ka.target.namespace> -o yaml', purpose: 'Shows hosts, paths, the ingress class and annotations (some controllers configure TLS through annotations).' },
      { command: 'kubectl get secrets -n <ka.target.namespace> --field-selector type=kubernetes.io/tls', purpose: 'Lists the TLS certificate Secrets of the namespace that the Ingress could use (names only).' },
      AUDIT_BY_USER,
    ],
    mitigations: [admissionPolicy('require-ingress-tls',
      'Refuse Ingresses without a TLS section, so every host is served with a certificate (cert-manager or your own Secret).',
      resourceRule('networking.k8s.io', ['ingresses'], ['CREATE', 'UPDATE']),
      'has(object.spec.tls) && size(object.spec.tls) > 0',
      'Ingresses must declare spec.tls with a certificate Secret.')],
    tuning: exceptionTuning('Ingress Object without TLS Certificate Created', 'allow_plain_http_ingress', 'Accept this Ingress by namespace and name (e.g. TLS terminated by the load balancer in front).', [NAMESPACE, TARGET]),
  }),

  playbook({
    rule: 'Untrusted Node Successfully Joined the Cluster',
    detects: 'A Node object created successfully (2xx response) whose name is not in allowed_k8s_nodes. The allow_all_k8s_nodes macro is always true by default, so the rule stays silent until you override it.',
    attackerGoal: 'A rogue node receives pods, and with them their Secrets and service account tokens; it can also report false status.',
    mitre: ['T1078', 'TA0003'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The name of the node that registered.' }, K.resource],
    benignCauses: [
      'Cluster autoscaling or node pool upgrades adding nodes with new names.',
      'Manual node additions not yet listed.',
    ],
    investigate: [
      { command: 'kubectl describe node <ka.target.name>', purpose: 'Shows the node\'s addresses, labels, kubelet version and the pods scheduled on it.' },
      { command: 'kubectl get csr', purpose: 'Lists certificate signing requests: who requested the node\'s certificates and who approved them.' },
      AUDIT_BY_USER,
    ],
    mitigations: [{
      summary: 'Let nodes register only with short-lived bootstrap tokens and limit what each kubelet may change: the Node authorizer and NodeRestriction admission plugin confine a node to its own objects. Delete bootstrap tokens that are no longer needed.',
      config: { language: 'text', title: 'kube-apiserver flags', text: '--authorization-mode=Node,RBAC\n--enable-admission-plugins=NodeRestriction\n' },
      commands: [
        { command: 'kubeadm token list', purpose: 'Lists the bootstrap tokens that can still join nodes (kubeadm clusters).' },
        { command: 'kubeadm token delete <token-id>', purpose: 'Deletes a bootstrap token so it can no longer join nodes.', changesSystem: true },
      ],
    }],
    tuning: {
      summary: 'The rule fires only after allow_all_k8s_nodes is made false. For a known node, append its name to allowed_k8s_nodes.',
      yaml: [
        '- list: allowed_k8s_nodes',
        '  items: [<ka.target.name>]',
        '  override:',
        '    items: append',
        '',
      ].join('\n'),
    },
  }),

  playbook({
    rule: 'Untrusted Node Unsuccessfully Tried to Join the Cluster',
    detects: 'A Node object creation that failed (response not 2xx) for a name not in allowed_k8s_nodes. The allow_all_k8s_nodes macro is always true by default, so the rule stays silent until you override it.',
    attackerGoal: 'An attacker with partial credentials tries to register a node to receive pods and their Secrets.',
    mitre: ['T1078', 'TA0001'],
    keyFields: [K.user, { field: 'ka.target.name', meaning: 'The node name that tried to register.' },
      { field: 'ka.response.reason', meaning: 'Why the API server refused (e.g. Forbidden, AlreadyExists).' }, K.resource],
    benignCauses: [
      'A misconfigured or re-imaged node retrying with old credentials.',
      'Autoscaled nodes racing during start-up.',
    ],
    investigate: [
      { command: 'kubectl get nodes -o wide', purpose: 'Lists the registered nodes and their addresses.' },
      { command: 'kubectl get csr', purpose: 'Lists certificate signing requests, including denied or pending ones from the node.' },
      AUDIT_BY_USER,
    ],
    mitigations: [{
      summary: 'Delete bootstrap tokens that are no longer needed so stray or hostile machines cannot register, and keep the Node authorizer and NodeRestriction enabled.',
      config: { language: 'text', title: 'kube-apiserver flags', text: '--authorization-mode=Node,RBAC\n--enable-admission-plugins=NodeRestriction\n' },
      commands: [
        { command: 'kubeadm token list', purpose: 'Lists the bootstrap tokens that can still join nodes (kubeadm clusters).' },
        { command: 'kubeadm token delete <token-id>', purpose: 'Deletes a bootstrap token so it can no longer join nodes.', changesSystem: true },
      ],
    }],
    tuning: {
      summary: 'The rule fires only after allow_all_k8s_nodes is made false. For a known node, append its name to allowed_k8s_nodes.',
      yaml: [
        '- list: allowed_k8s_nodes',
        '  items: [<ka.target.name>]',
        '  override:',
        '    items: append',
        '',
      ].join('\n'),
    },
  }),
];
