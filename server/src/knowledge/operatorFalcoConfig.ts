// The falco.yaml the Falco Operator gives the Falco it deploys, as data (github.com/falcosecurity/falco-operator
// v0.4.1, internal/pkg/resources/falco.go:283-488: daemonsetFalcoConfig and deploymentFalcoConfig). The operator
// writes it into the ConfigMap named after the Falco resource (generator.go GenerateConfigMap, key falco.yaml) and
// mounts it at /etc/falco/falco.yaml (falco.go ConfigMapVolume, subPath falco.yaml); the Falco resource has no field
// that changes it. Its config_files names /etc/falco/config.d as a plain path (falco.go:290-291): the files the
// artifact operator writes there from the Config resources are merged after it, in file-name order, with Falco's
// default strategy (append from Falco 0.41, every key replaced before). v0.4.1 deploys Falco 0.44.1
// (internal/pkg/image/const.go FalcoTag). The two workload types differ in engine.kind only: modern_ebpf for a
// DaemonSet (the Falco resource's default spec.type), nodriver for a Deployment.
// Earlier releases (the falco.yaml strings of controllers/falco/defaults.go at v0.1.x, internal/pkg/resources/falco.go
// at v0.2.0-v0.3.0; v0.4.0 and main at 13be954 write this one): v0.2.0-v0.3.0 also wrote container_engines,
// engine.ebpf and grpc/grpc_output (both enabled: false); v0.1.x wrote that file with append_output: [] and without
// falco_libs' thread-table and snaplen keys, json_include_output_fields_property and plugins_hostinfo. Their default
// Falco (internal/pkg/image/const.go FalcoTag): 0.41.0 (v0.1.x), 0.43.0 (v0.2.x), 0.44.0 (v0.3.0), 0.44.1 (v0.4.x).
// Falco Lens merges this release's file whatever the operator's version (ARCHITECTURE.md says what that misses).

export type OperatorWorkload = 'DaemonSet' | 'Deployment';

/** The operator release whose falco.yaml this is. */
export const OPERATOR_FALCO_CONFIG_RELEASE = 'v0.4.1';

/** The operator's falco.yaml for a workload type, as a mapping (keys in the operator's order). */
export function operatorFalcoConfig(workload: OperatorWorkload = 'DaemonSet'): Record<string, unknown> {
  return {
    append_output: [{ suggested_output: true }],
    base_syscalls: { custom_set: [], repair: false },
    buffered_outputs: false,
    config_files: ['/etc/falco/config.d'],
    engine: {
      kind: workload === 'DaemonSet' ? 'modern_ebpf' : 'nodriver',
      kmod: { buf_size_preset: 4, drop_failed_exit: false },
      modern_ebpf: { buf_size_preset: 4, cpus_for_each_buffer: 2, drop_failed_exit: false },
    },
    falco_libs: { thread_table_size: 262144, thread_table_auto_purging_interval_s: 300, thread_table_auto_purging_thread_timeout_s: 300, snaplen: 80 },
    file_output: { enabled: false, filename: './events.txt', keep_alive: false },
    http_output: {
      ca_bundle: '', ca_cert: '', ca_path: '/etc/falco/certs/', client_cert: '/etc/falco/certs/client/client.crt',
      client_key: '/etc/falco/certs/client/client.key', compress_uploads: false, echo: false, enabled: false, insecure: false,
      keep_alive: false, mtls: false, url: '', user_agent: 'falcosecurity/falco',
    },
    json_include_message_property: false,
    json_include_output_fields_property: true,
    json_include_output_property: true,
    json_include_tags_property: true,
    json_output: false,
    libs_logger: { enabled: false, severity: 'debug' },
    load_plugins: [],
    log_level: 'info',
    log_stderr: true,
    log_syslog: true,
    metrics: {
      convert_memory_to_mb: true, enabled: true, include_empty_values: false, interval: '1h', kernel_event_counters_enabled: true,
      kernel_event_counters_per_cpu_enabled: false, libbpf_stats_enabled: true, output_rule: false, resource_utilization_enabled: true,
      rules_counters_enabled: true, state_counters_enabled: true,
    },
    output_timeout: 2000,
    outputs_queue: { capacity: 0 },
    plugins: [],
    plugins_hostinfo: true,
    priority: 'debug',
    program_output: { enabled: false, keep_alive: false, program: 'jq \'{text: .output}\' | curl -d @- -X POST https://hooks.slack.com/services/XXX' },
    rule_matching: 'first',
    rules_files: ['/etc/falco/rules.d'],
    stdout_output: { enabled: true },
    syscall_event_drops: { actions: ['log', 'alert'], max_burst: 1, rate: 0.03333, simulate_drops: false, threshold: 0.1 },
    syscall_event_timeouts: { max_consecutives: 1000 },
    syslog_output: { enabled: true },
    time_format_iso_8601: false,
    watch_config_files: true,
    webserver: {
      enabled: true, k8s_healthz_endpoint: '/healthz', listen_port: 8765, prometheus_metrics_enabled: true,
      ssl_certificate: '/etc/falco/falco.pem', ssl_enabled: false, threadiness: 0,
    },
  };
}
