// Keys of Falco's configuration that its schema (Falco ≥ 0.39, falcoConfigSchema.ts) does not describe, as facts
// read from userspace/falco/configuration.cpp at each tag:
// - 0.37.0 reads `syscall_buf_size_preset`, `syscall_drop_failed_exit` and `modern_bpf.cpus_for_each_syscall_buffer`
//   (lines 126-128); 0.38.0 no longer does: they moved under `engine.<kind>` (`engine.kmod.buf_size_preset`,
//   `engine.modern_ebpf.cpus_for_each_buffer`, …) with the engine selection.
// - `rules_file` (singular) is read by every release from 0.37.0 to 0.44.0 (the deprecated spelling of `rules_files`;
//   both set makes Falco refuse to start), but the schema does not list it, so Falco ≥ 0.39's schema validation fails
//   on it. The schema lists `rule_files` instead, which no release reads.
import { table } from './table';

export interface LegacyConfigKey {
  /** The last release that reads the key. */
  lastRead: string;
  /** Where its setting lives now. */
  movedTo: string;
}

export const LEGACY_CONFIG_KEYS: Readonly<Record<string, LegacyConfigKey>> = table({
  syscall_buf_size_preset: { lastRead: '0.37', movedTo: 'engine.<kind>.buf_size_preset (kmod, ebpf, modern_ebpf)' },
  syscall_drop_failed_exit: { lastRead: '0.37', movedTo: 'engine.<kind>.drop_failed_exit (kmod, ebpf, modern_ebpf)' },
  'modern_bpf.cpus_for_each_syscall_buffer': { lastRead: '0.37', movedTo: 'engine.modern_ebpf.cpus_for_each_buffer' },
});

/**
 * Keys no release from 0.37 on reads: Falco 0.36 and earlier read them, and 0.37.0 removed what they configured
 * without a replacement (falco CHANGELOG.md at 0.37.0, "Breaking Changes": the rate limiter with `outputs.rate` and
 * `outputs.max_burst`, #2841, commit 29d24064; the `-k`/`-K` Kubernetes client with its `metadata_download` settings,
 * #2914, commit 04e2f199). Old falco.yaml files carried from release to release still have them.
 */
export const CONFIG_KEYS_REMOVED_IN_0_37: Readonly<Record<string, string>> = table({
  outputs: 'Falco 0.37 removed the alert rate limiter that outputs.rate and outputs.max_burst configured: no release since throttles alerts, so this key changes nothing. Remove it.',
  metadata_download: 'Falco 0.37 removed its Kubernetes API server client (the -k and -K options) and the metadata_download settings that tuned it: Kubernetes pod and namespace names now come from the container runtime, or from the k8smeta plugin. Remove it.',
});

/**
 * Keys Falco reads that its schema does not list, with the last release that reads them; Falco ≥ 0.39's schema
 * validation fails on them (a warning it logs; it starts). `rules_file` is reported by the load checks
 * (loadChecks.ts checkRulesFilesKeys). The gRPC server's TLS files are read by 0.37.0-0.43.x (configuration.cpp
 * 0.37.0:331-333, 0.43.0:493-498: `get_scalar<std::string>` with the defaults /etc/falco/certs/server.key,
 * server.crt and ca.crt), but the schema's Grpc mapping has only enabled, bind_address and threadiness
 * (config_json_schema.h, additionalProperties false, 0.39.0-0.43.0); 0.44.0 dropped gRPC.
 */
export const CONFIG_KEYS_READ_OUTSIDE_SCHEMA: Readonly<Record<string, { lastRead: string; reportedByLoadChecks?: true }>> = table({
  rules_file: { lastRead: '0.44', reportedByLoadChecks: true },
  'grpc.private_key': { lastRead: '0.43' },
  'grpc.cert_chain': { lastRead: '0.43' },
  'grpc.root_certs': { lastRead: '0.43' },
});

/** The entry of a key of CONFIG_KEYS_READ_OUTSIDE_SCHEMA, by path. */
export function readOutsideSchema(path: string): { lastRead: string; reportedByLoadChecks?: true } | undefined {
  return Object.hasOwn(CONFIG_KEYS_READ_OUTSIDE_SCHEMA, path) ? CONFIG_KEYS_READ_OUTSIDE_SCHEMA[path] : undefined;
}

/**
 * When keys of the first schema (0.39.0) came, for those Falco 0.37.0, the oldest release Falco Lens targets, does
 * not read: every other key of that schema is read by 0.37.0 already (configuration.cpp at each tag). A key listed
 * here covers the keys under it.
 * - 0.38.0 reads `config_files` and `rules_files` (configuration.cpp:206, :309), `webserver.prometheus_metrics_enabled`
 *   (:467), `falco_libs.thread_table_size` (:525), `metrics.rules_counters_enabled` (:538) and the rules selection
 *   `rules` (:562); 0.37.0 reads none of them.
 * - 0.39.0 reads `append_output` (configuration.cpp:612), `json_include_message_property`, `container_engines`, and
 *   `metrics.kernel_event_counters_per_cpu_enabled` and `metrics.plugins_metrics_enabled` (:596, :602); 0.38.0
 *   reads none of them (not a string of its userspace/ source).
 */
export const CONFIG_KEYS_SINCE_BEFORE_SCHEMA: Readonly<Record<string, string>> = table({
  config_files: '0.38',
  rules_files: '0.38',
  rules: '0.38',
  falco_libs: '0.38',
  'webserver.prometheus_metrics_enabled': '0.38',
  'metrics.rules_counters_enabled': '0.38',
  append_output: '0.39',
  json_include_message_property: '0.39',
  container_engines: '0.39',
  'metrics.kernel_event_counters_per_cpu_enabled': '0.39',
  'metrics.plugins_metrics_enabled': '0.39',
});

/**
 * Integer keys Falco reads into an unsigned C++ type, by its width in bits (get_scalar<uint8_t|uint16_t|uint32_t|
 * uint64_t|size_t>: configuration.cpp:261-629 at 0.44.1, the same types in every release that reads the key, grpc at
 * 0.43.0:488). The schema says only `integer`: a negative value, or one past the type, passes its validation, but
 * yaml-cpp does not convert it and Falco uses the key's default without a word.
 */
export const CONFIG_UNSIGNED_KEYS: Readonly<Record<string, 8 | 16 | 32 | 64>> = table({
  'engine.modern_ebpf.cpus_for_each_buffer': 16,
  'http_output.max_consecutive_timeouts': 8,
  output_timeout: 32,
  'outputs_queue.capacity': 64,
  'webserver.threadiness': 32,
  'webserver.listen_port': 32,
  'grpc.threadiness': 32,
  'syscall_event_timeouts.max_consecutives': 32,
  'falco_libs.thread_table_size': 32,
  'falco_libs.thread_table_auto_purging_interval_s': 32,
  'falco_libs.thread_table_auto_purging_thread_timeout_s': 32,
  'falco_libs.snaplen': 64,
  'capture.default_duration': 32,
  'capture.max_file_size_mb': 64,
});

/**
 * Keys of the schema that some releases read under another name, so that what the schema (and falco.yaml) says does
 * nothing there, while the other name works but fails the schema. Falco 0.39 reads the CRI sockets from
 * `container_engines.cri.cri` (configuration.cpp:689-690 at 0.39.0, fixed by 77b83557 for 0.40), and 0.39-0.40 read
 * `container_engines.cri.disable-cri-async` (:692 at 0.39.0, :706 at 0.40.0); 0.41 reads no container_engines key.
 * `until`: the last release that reads the other name; `anyway`: what Falco does without the key, as the value's
 * text (list items joined by `,`): libs 0.18 queries these three CRI sockets when Falco gives none
 * (container_engine/cri.cpp:58-65 at 0.18.1), and asynchronous CRI lookups are the default. A value equal to it
 * changes nothing, read or not (Falco's own falco.yaml at 0.39.0 and 0.40.0 writes those).
 */
export const CONFIG_KEYS_READ_AS: Readonly<Record<string, { readsAs: string; until: string; anyway: string }>> = table({
  'container_engines.cri.sockets': {
    readsAs: 'container_engines.cri.cri', until: '0.39',
    anyway: '/run/containerd/containerd.sock,/run/crio/crio.sock,/run/k3s/containerd/containerd.sock',
  },
  'container_engines.cri.disable_async': { readsAs: 'container_engines.cri.disable-cri-async', until: '0.40', anyway: 'false' },
});

/**
 * List keys Falco reads with yaml_helper get_sequence into a list of strings (configuration.cpp at 0.44.1: :298
 * rules_files, :499 syscall_event_drops.actions, :565 base_syscalls.custom_set, :662 load_plugins; config_files, whose
 * items may be plain paths; container_engines.cri.sockets at 0.40.0:703). get_sequence_from_node (yaml_helper.h, the
 * same from 0.37.0 to 0.44.1) reads a scalar in place of the list as a list of that one item, so a single value works;
 * only the schema validation fails on it.
 */
export const CONFIG_STRING_SEQUENCES: ReadonlySet<string> = new Set([
  'rules_files', 'config_files', 'load_plugins', 'syscall_event_drops.actions', 'base_syscalls.custom_set', 'container_engines.cri.sockets',
]);

/**
 * Every list key Falco reads with get_sequence: the lists of strings above, and plugins, rules and append_output
 * (configuration.cpp:633-667 at 0.44.1). get_sequence_from_node reads nothing from a mapping: the list is empty.
 */
export const CONFIG_SEQUENCES: ReadonlySet<string> = new Set([...CONFIG_STRING_SEQUENCES, 'plugins', 'rules', 'append_output']);

/** Keys the schema lists that Falco never reads. */
export const CONFIG_KEYS_NEVER_READ: Readonly<Record<string, string>> = table({ rule_files: 'rules_files' });
