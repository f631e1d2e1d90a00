// What each key of Falco's configuration file does, written for Falco Lens (not taken from falco.yaml's comments or
// the schema), with the value Falco 0.44's default falco.yaml gives it and, where it differs, the value Falco uses
// when the key is absent. Facts come from falcosecurity/falco at 0.44.0: falco.yaml (defaults),
// userspace/falco/configuration.cpp (what is read, absent-key values, refusals), userspace/falco/app/actions/*.cpp.
//
// Keys are named by path: the keys from the top joined by `.`, and `[]` after a key whose value is a list, followed
// by the keys of its items: `engine.modern_ebpf.cpus_for_each_buffer`, `plugins[].name`, `rules[].enable.tag`,
// `config_files[].path` (an item given as a mapping). The same notation as the config service's `pathText`.
// Every key of FALCO_CONFIG_SCHEMA (falcoConfigSchema.ts) has an entry, removed keys included; the test
// knowledge-falco-config checks both directions and checks the defaults against the 0.44 fixture.
import { table } from './table';

export interface ConfigKeyDoc {
  /** One or two sentences: what the key does, and the pitfall when there is one. */
  text: string;
  /** The value Falco 0.44's falco.yaml sets, as YAML text (`modern_ebpf`, `[]`, `""`); absent when it sets none. */
  defaultValue?: string;
  /** What Falco 0.44 uses when the key is missing from every configuration file, where that differs from falco.yaml. */
  whenAbsent?: string;
}

/** Descriptions by key path. */
export const CONFIG_KEY_DOCS: Readonly<Record<string, string>> = table({
  // Loading other files
  config_files:
    'Files or folders merged into this one after it is read (Falco ≥ 0.38), in order: a folder gives its regular files (any extension) sorted by name, a missing path is skipped silently. Only top-level keys merge; up to 0.40 each file replaces the keys it sets. Files listed here cannot list config_files themselves (Falco refuses to start).',
  'config_files[].path': 'The file or folder to merge (an item may also be written as a plain path string, the only form Falco 0.38-0.40 reads: a mapping makes them refuse to start).',
  'config_files[].strategy':
    'How the file\'s top-level keys are merged: `append` (the default) adds list items to an existing list and replaces other values, `override` replaces every key it sets, `add-only` sets only keys not set yet. A mapping such as `engine` is replaced whole, never merged key by key.',
  watch_config_files:
    'When true, Falco restarts itself when one of its configuration or rules files (or their folders) changes. It first checks the new files in a dry run; when they fail it keeps running as before and raises the alert "Falco internal: hot restart failure".',
  rules_files:
    'Rules files and folders loaded in this order; a folder contributes its `.yaml` and `.yml` files sorted by name. A path that does not exist is dropped without a message, and Falco refuses to start when no rules file remains (unless `-r` is given).',
  rule_files:
    'A name the schema accepts but Falco never reads: the deprecated singular key is `rules_file`. Use `rules_files`.',
  rules:
    'Enables or disables loaded rules by name or tag, applied in order after every rules file is loaded, so a later entry wins over an earlier one.',
  'rules[].enable': 'Enables the rules selected by `rule` or `tag` (for instance rules a rules file marks `enabled: false`).',
  'rules[].enable.rule': 'A rule name; `*` in it matches any text, so `Read*` selects every rule whose name starts with `Read`.',
  'rules[].enable.tag': 'A tag: every rule carrying it is selected. The tag is matched exactly (no wildcard).',
  'rules[].disable': 'Disables the rules selected by `rule` or `tag`; an entry with neither (or with neither `enable` nor `disable`) makes Falco refuse to start.',
  'rules[].disable.rule': 'A rule name; `*` in it matches any text (`*` alone disables every rule, to enable a few afterwards).',
  'rules[].disable.tag': 'A tag: every rule carrying it is disabled. The tag is matched exactly (no wildcard).',

  // Event source
  engine:
    'Which event source Falco opens for system calls and its settings; only the section of the chosen `kind` is read.',
  'engine.kind':
    'The driver: `modern_ebpf` (CO-RE eBPF, no driver build), `kmod` (kernel module), `replay` (read a capture file) or `nodriver` (plugins only). `ebpf` and `gvisor` were removed in 0.44; an unknown kind stops Falco at start.',
  'engine.kmod': 'Settings of the kernel-module driver, read only when `engine.kind` is `kmod`.',
  'engine.kmod.buf_size_preset':
    'Size of each per-CPU ring buffer as an index 1–10 (1 MB doubling up to 512 MB; 4 is 8 MB). Outside 1–10 Falco refuses to start; raise it when the logs report dropped events.',
  'engine.kmod.drop_failed_exit':
    'When true, the driver drops exit events of system calls that failed, reducing load at the cost of not seeing failed calls.',
  'engine.modern_ebpf': 'Settings of the modern eBPF probe, read only when `engine.kind` is `modern_ebpf`.',
  'engine.modern_ebpf.cpus_for_each_buffer':
    'How many CPUs share one ring buffer: 1 gives every CPU its own, 0 one buffer for all. A value above the number of online CPUs is lowered to it with a warning.',
  'engine.modern_ebpf.buf_size_preset':
    'Size of each ring buffer as an index 1–10 (1 MB doubling up to 512 MB; 4 is 8 MB); with several CPUs per buffer a larger preset helps avoid drops.',
  'engine.modern_ebpf.drop_failed_exit':
    'When true, the probe drops exit events of failed system calls in the kernel, so rules never see failed calls.',
  'engine.modern_ebpf.disable_iterators':
    'When true (Falco 0.44.1 on), the probe does not use BPF iterators to read the initial process table and heal it after drops, and Falco walks /proc instead. Default false.',
  'engine.replay': 'Settings for reading events from a capture file, read only when `engine.kind` is `replay`.',
  'engine.replay.capture_file':
    'The capture file (.scap) to read; with `engine.kind: replay` an empty value makes Falco refuse to start, and so does a file it cannot open. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'engine.ebpf': 'Settings of the legacy eBPF probe, removed in Falco 0.44 with `engine.kind: ebpf`; use `modern_ebpf`.',
  'engine.ebpf.probe': 'Path of the compiled legacy eBPF probe object (removed in 0.44).',
  'engine.ebpf.buf_size_preset': 'Ring-buffer size index of the legacy eBPF probe (removed in 0.44).',
  'engine.ebpf.drop_failed_exit': 'Whether the legacy eBPF probe dropped failed syscall exits (removed in 0.44).',
  'engine.gvisor': 'Settings of the gVisor event source, removed in Falco 0.44 with `engine.kind: gvisor`.',
  'engine.gvisor.config': 'Path of the gVisor configuration file Falco read (removed in 0.44).',
  'engine.gvisor.root': 'The runsc root directory of the gVisor sandboxes (removed in 0.44).',

  // Captures
  capture:
    'Writes a capture file of the events around an alert, so an incident can be replayed later with `engine.kind: replay`.',
  'capture.enabled': 'Turns capture recording on; nothing is recorded while it is false.',
  'capture.path_prefix': 'Start of the capture files\' paths: each file is `<prefix>_<timestamp>_<event number>.scap`, so `/tmp/falco` writes `/tmp/falco_…` files in /tmp.',
  'capture.mode':
    '`rules` records only for rules that set `capture: true`; `all_rules` records whenever any rule fires, which can write many files.',
  'capture.default_duration': 'How long a capture lasts after the alert, in milliseconds, for rules that set no `capture_duration`.',
  'capture.max_file_size_mb': 'Largest size of one capture file in MB; 0 means no limit.',

  // Plugins
  load_plugins:
    'Names of the `plugins` entries to load, in order. When the key is present only the plugins named here load (an empty list loads none); when it is absent every entry of `plugins` loads. A name with no `plugins` entry stops Falco.',
  plugins: 'Each plugin Falco may load: its name, shared library and configuration. Listing a plugin here does not load it while `load_plugins` is set and omits it.',
  'plugins[].name': 'The plugin\'s name as `load_plugins` and rules\' `required_plugin_versions` name it.',
  'plugins[].library_path':
    'The plugin\'s shared library. A relative path is read in Falco\'s plugins folder (/usr/share/falco/plugins/), not from its working directory; from Falco 0.44 one that ends outside that folder makes Falco refuse to start.',
  'plugins[].init_config':
    'The plugin\'s initialization settings: a mapping (passed to the plugin as JSON), a string, or empty for the plugin\'s defaults.',
  'plugins[].open_params': 'The plugin\'s open parameters for its event source (for instance a listen address or a file), as a string.',
  plugins_hostinfo:
    'When true, a source plugin\'s event source is opened with host information (machine, boot time) available to it; when false it is opened without, for plugins that do not run on the host they report on.',

  // Output format
  time_format_iso_8601:
    'When true, alert and log timestamps are ISO 8601 date and time (`evt.time.iso8601`) instead of the time of day (`evt.time`).',
  buffer_format_base64:
    'When true, data buffers of events (such as `evt.buffer`) are printed in base64 instead of as printable text.',
  priority:
    'The least severe priority a rule may have to be loaded: rules below it are dropped at load, so they never alert. An unknown name stops Falco at start.',
  json_output:
    'When true, each alert is one JSON object (time, rule, priority, output, output_fields, tags…) instead of a text line.',
  json_include_output_property:
    'When true, JSON alerts keep the formatted `output` text. When false the `output` property is left out, and tools that read it (log parsers, dashboards) get nothing.',
  json_include_message_property:
    'When true, JSON alerts also carry `message`: the output text without the leading timestamp and priority.',
  json_include_output_fields_property:
    'When true, JSON alerts carry `output_fields`, the value of each field of the output. Setting it false removes the structured values that filtering tools rely on.',
  json_include_tags_property: 'When true, JSON alerts carry the rule\'s `tags` list.',
  buffered_outputs:
    'When true, output channels are written through a buffer, so alerts can reach a file or pipe late, in bursts; `-U` turns it off. Falco 0.37–0.43 ignore the key and buffer unless `-U` is given.',
  rule_matching:
    '`first`: an event raises at most one alert, from the first matching rule in load order. `all`: every matching rule alerts, which changes alert counts and can duplicate alerts.',
  outputs_queue: 'The queue between event processing and the output channels.',
  'outputs_queue.capacity':
    'Most alerts the queue holds; 0 means unbounded. When a bounded queue is full, new alerts are dropped (Falco logs the first drop), so a slow output can lose alerts.',
  append_output:
    'Text and fields added to the output of rules, chosen by rule, tag or source; every entry applies to the rules it matches.',
  'append_output[].match':
    'Which rules an entry applies to; each key given must match (rule, source and all tags); without `match` every rule is affected.',
  'append_output[].match.source': 'Only rules of this event source (`syscall`, `k8s_audit`, a plugin\'s source).',
  'append_output[].match.tags':
    'Only rules that have every tag in this list. With `rule` also set, the rule must also have all these tags (Falco logs a warning about the combination).',
  'append_output[].match.rule': 'Only the rule of this exact name.',
  'append_output[].extra_output': 'Text with `%field` references added at the end of each matched rule\'s output text.',
  'append_output[].extra_fields':
    'Fields added to `output_fields` of JSON alerts only, not to the text: a field name (`proc.pid`), or a mapping of a new name to an output format (`{cmd: "%proc.cmdline"}`). Naming a field twice in one entry is an error.',
  'append_output[].suggested_output':
    'When true, the output fields that loaded plugins suggest (for instance the container plugin\'s container fields) are added to the matched rules\' output.',
  static_fields:
    'Fixed name: value pairs usable in rules as `static.<name>` fields and added to suggested output. Values may use `${VAR}` to take them from the environment.',

  // Output channels
  stdout_output: 'Alerts printed to standard output.',
  'stdout_output.enabled': 'Turns standard-output alerts on or off.',
  syslog_output: 'Alerts sent to the local syslog.',
  'syslog_output.enabled': 'Turns syslog alerts on or off.',
  file_output: 'Alerts appended to a file.',
  'file_output.enabled': 'Turns file alerts on; with it on, an empty `filename` makes Falco refuse to start.',
  'file_output.keep_alive': 'When `true`, the file stays open between alerts; otherwise it is opened and closed for each alert. Falco compares the text with `true` exactly, so `yes` or `True` mean false here.',
  'file_output.filename': 'The file alerts are appended to. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  http_output: 'Alerts sent as HTTP POST requests to a URL (a webhook, Falcosidekick).',
  'http_output.enabled': 'Turns HTTP alerts on; with it on, an empty `url` makes Falco refuse to start.',
  'http_output.url': 'The URL each alert is posted to, such as `http://falcosidekick:2801/`.',
  'http_output.user_agent': 'The User-Agent header of the requests.',
  'http_output.insecure': 'When true, the server\'s TLS certificate is not verified. Keep it false outside tests.',
  'http_output.ca_cert': 'A CA certificate file to verify the server with; used first when set. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'http_output.ca_bundle': 'A CA bundle file to verify the server with, used when `ca_cert` is empty. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'http_output.ca_path': 'A folder of CA certificates, used when neither `ca_cert` nor `ca_bundle` is set. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'http_output.mtls': 'When true, Falco authenticates itself with `client_cert` and `client_key` (mutual TLS).',
  'http_output.client_cert': 'Client certificate file for mutual TLS. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'http_output.client_key': 'Client private key file for mutual TLS. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'http_output.echo': 'When true, the server\'s response bodies are printed to standard output.',
  'http_output.compress_uploads': 'When true, Falco asks for compressed transfer encoding on the requests.',
  'http_output.keep_alive': 'When true, TCP keep-alive is enabled on the connection.',
  'http_output.max_consecutive_timeouts':
    'How many times a timed-out request is retried before the alert is given up (0: not retried). Falco reads it as one byte (0–255): a larger or negative value is not converted, and Falco uses 5 without a word; 255 sets no limit (its one-byte count of the posts never passes 255), so a post that keeps timing out is retried without end.',
  program_output: 'Alerts written to the standard input of a program run through the shell.',
  'program_output.enabled': 'Turns program alerts on; with it on, an empty `program` makes Falco refuse to start.',
  'program_output.keep_alive':
    'When `true`, one program runs for the whole session and receives every alert; otherwise a new program is started for each alert. Falco compares the text with `true` exactly, so `yes` or `True` mean false here.',
  'program_output.program': 'The shell command that receives alerts on its standard input.',

  // Web server
  webserver: 'Falco\'s embedded HTTP server: health endpoint and, optionally, Prometheus metrics.',
  'webserver.enabled': 'Turns the web server on.',
  'webserver.threadiness': 'Worker threads of the server; 0 means one per CPU.',
  'webserver.listen_port': 'The TCP port the server listens on.',
  'webserver.listen_address': 'The IP address to listen on; a value that is not an IPv4 or IPv6 address (a host name) makes Falco refuse to start.',
  'webserver.k8s_healthz_endpoint': 'The path of the health-check endpoint (for Kubernetes liveness probes).',
  'webserver.prometheus_metrics_enabled':
    'Serves Prometheus metrics at `/metrics`; they are produced only when `metrics.enabled` is also true.',
  'webserver.ssl_enabled': 'When true, the server uses HTTPS with `ssl_certificate`.',
  'webserver.ssl_certificate': 'A PEM file holding both the server\'s certificate and its private key; Falco refuses to start where it cannot read it. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',

  // Falco's own logs
  log_stderr: 'When true, Falco\'s own log messages (not alerts) go to standard error.',
  log_syslog: 'When true, Falco\'s own log messages go to syslog.',
  log_level:
    'The least severe of Falco\'s own log messages kept: emergency, alert, critical, error, warning, notice, info or debug (lower case). Another value stops Falco at start.',
  libs_logger: 'Log messages of the libraries under Falco (libsinsp, libscap, drivers), added to Falco\'s log.',
  'libs_logger.enabled': 'Turns the libraries\' log messages on.',
  'libs_logger.severity':
    'Least severe library message kept: fatal, critical, error, warning, notice, info, debug or trace (lower case); another value stops Falco when the logger is enabled.',

  // Reliability
  output_timeout:
    'Milliseconds an output channel may take with one alert before Falco reports the outputs as blocked (the alert is not retried).',
  syscall_event_timeouts: 'Detection of a driver that stops delivering events.',
  'syscall_event_timeouts.max_consecutives':
    'How many reads in a row without an event before Falco raises its internal timeouts notification; 0 makes Falco refuse to start.',
  syscall_event_drops: 'What Falco does when the driver reports dropped system-call events.',
  'syscall_event_drops.threshold':
    'Share of dropped events (0 to 1) at which the actions run; a value outside 0–1 makes Falco refuse to start.',
  'syscall_event_drops.actions':
    'Any of `log`, `alert`, `exit`, or `ignore`; `log` or `alert` listed after `ignore` makes Falco refuse to start, and an empty list means `ignore`.',
  'syscall_event_drops.rate': 'How many drop actions may run per second (a token bucket).',
  'syscall_event_drops.max_burst': 'Most drop actions that may run in a burst.',
  'syscall_event_drops.simulate_drops': 'For testing: pretends events are dropped so the actions can be seen. Never on in production.',

  // Metrics
  metrics: 'Periodic snapshots of Falco\'s own counters (events, drops, memory, rules), written as a rule alert, to a file or for Prometheus.',
  'metrics.enabled':
    'Turns metrics on. With it on, Falco refuses to start when no output is set (`output_rule`, `output_file` or `webserver.prometheus_metrics_enabled`).',
  'metrics.interval':
    'How often a snapshot is taken, as a Prometheus duration (`15m`, `1h`, `1h30m`); with metrics on, a bare number or less than 100 ms makes Falco refuse to start.',
  'metrics.output_rule': 'When true, each snapshot is emitted as the alert of the internal rule "Falco internal: metrics snapshot".',
  'metrics.output_file': 'A file each snapshot is appended to as one JSON line; empty writes no file. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'metrics.rules_counters_enabled': 'Includes how many times each rule matched.',
  'metrics.resource_utilization_enabled': 'Includes Falco\'s CPU and memory use and the host\'s.',
  'metrics.state_counters_enabled': 'Includes counters of Falco\'s internal state (thread and file-descriptor tables).',
  'metrics.kernel_event_counters_enabled': 'Includes the driver\'s counters of events seen and dropped.',
  'metrics.kernel_event_counters_per_cpu_enabled': 'Also includes the driver\'s counters per CPU (many values on large hosts).',
  'metrics.libbpf_stats_enabled': 'Includes libbpf\'s statistics of the eBPF programs (needs kernel BPF statistics turned on).',
  'metrics.plugins_metrics_enabled': 'Includes the metrics that loaded plugins report.',
  'metrics.kernel_iter_event_counters_enabled': 'Includes counters of the events the modern eBPF probe produces by iterating kernel tasks and files.',
  'metrics.jemalloc_stats_enabled': 'Includes statistics of Falco\'s memory allocator (jemalloc builds only).',
  'metrics.convert_memory_to_mb': 'When true, memory values are reported in MB instead of kB.',
  'metrics.include_empty_values': 'When true, counters whose value is zero or empty are reported too.',

  // Which system calls are captured
  base_syscalls: 'Controls which system calls Falco captures besides those its rules need.',
  'base_syscalls.custom_set':
    'System-call names always captured, replacing Falco\'s own state set; a name starting with `!` is never captured. A name libsinsp does not know is skipped with a warning.',
  'base_syscalls.repair':
    'When true, Falco adds only the system calls its state tracking needs for the loaded rules, instead of its larger default set.',
  'base_syscalls.all': 'When true, the high-volume system calls Falco normally leaves out are captured too (like `-A`), at a cost in CPU.',

  // Libraries
  falco_libs: 'Tuning of the libraries Falco reads events with.',
  'falco_libs.thread_table_size': 'Most processes and threads tracked at once; beyond it, new ones are not tracked.',
  'falco_libs.thread_table_auto_purging_interval_s': 'Seconds between sweeps that remove exited threads from the thread table.',
  'falco_libs.thread_table_auto_purging_thread_timeout_s': 'Seconds a thread may stay inactive before a sweep removes it.',
  'falco_libs.snaplen': 'How many bytes of I/O buffers are captured per event (for `evt.buffer` and data fields); larger costs more.',

  // Containers (before the container plugin)
  container_engines:
    'Container runtimes Falco queried for container metadata before 0.41. Falco 0.41 and later still accept the key but ignore it: the container plugin\'s `init_config` configures runtimes.',
  'container_engines.docker': 'The Docker runtime (ignored from Falco 0.41 on).',
  'container_engines.docker.enabled': 'Whether Docker was queried (ignored from Falco 0.41 on).',
  'container_engines.cri': 'CRI runtimes: containerd and CRI-O (ignored from Falco 0.41 on).',
  'container_engines.cri.enabled': 'Whether CRI runtimes were queried (ignored from Falco 0.41 on).',
  'container_engines.cri.sockets': 'CRI socket paths to query (ignored from Falco 0.41 on). Falco 0.39 reads them from `container_engines.cri.cri` instead, a name its schema does not list.',
  'container_engines.cri.disable_async': 'When true, CRI metadata was fetched synchronously (ignored from Falco 0.41 on). No release reads this name: Falco 0.39 and 0.40 read `container_engines.cri.disable-cri-async`, which their schema does not list.',
  'container_engines.podman': 'The Podman runtime (ignored from Falco 0.41 on).',
  'container_engines.podman.enabled': 'Whether Podman was queried (ignored from Falco 0.41 on).',
  'container_engines.lxc': 'The LXC runtime (ignored from Falco 0.41 on).',
  'container_engines.lxc.enabled': 'Whether LXC was queried (ignored from Falco 0.41 on).',
  'container_engines.libvirt_lxc': 'The libvirt LXC runtime (ignored from Falco 0.41 on).',
  'container_engines.libvirt_lxc.enabled': 'Whether libvirt LXC was queried (ignored from Falco 0.41 on).',
  'container_engines.bpm': 'The BOSH Process Manager runtime (ignored from Falco 0.41 on).',
  'container_engines.bpm.enabled': 'Whether BPM was queried (ignored from Falco 0.41 on).',

  // gRPC (removed in 0.44)
  grpc_output: 'Alerts served to gRPC clients; removed in Falco 0.44 (deprecated since 0.43). Use `http_output` or another channel.',
  'grpc_output.enabled': 'Whether alerts were served over gRPC (removed in 0.44).',
  grpc: 'Falco\'s gRPC server; removed in Falco 0.44 (deprecated since 0.43).',
  'grpc.enabled': 'Whether the gRPC server ran (removed in 0.44).',
  'grpc.bind_address': 'Address the gRPC server listened on, or a `unix://` socket (removed in 0.44).',
  'grpc.threadiness': 'Worker threads of the gRPC server; 0 meant one per CPU (removed in 0.44).',
  // Read by 0.37-0.43 though the schema does not list them (falcoConfigLegacy.ts CONFIG_KEYS_READ_OUTSIDE_SCHEMA).
  'grpc.private_key':
    'The gRPC server\'s private key (PEM), read when `bind_address` is not a unix:// socket (default /etc/falco/certs/server.key); a file Falco cannot open reads as empty and the server does not start. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'grpc.cert_chain':
    'The gRPC server\'s certificate chain (PEM), read when `bind_address` is not a unix:// socket (default /etc/falco/certs/server.crt); a file Falco cannot open reads as empty and the server does not start. A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
  'grpc.root_certs':
    'The CA certificates (PEM) the gRPC server checks the certificates it requires of clients with, read when `bind_address` is not a unix:// socket (default /etc/falco/certs/ca.crt). A relative path is read from Falco\'s working directory (/ as shipped), not from this file\'s folder.',
});

/** The value falco.yaml sets for each key at Falco 0.44.0, as YAML text (checked against the 0.44 fixture). */
export const CONFIG_DEFAULTS_044: Readonly<Record<string, string>> = table({
  config_files: '[/etc/falco/config.d]',
  watch_config_files: 'true',
  rules_files: '[/etc/falco/falco_rules.yaml, /etc/falco/falco_rules.local.yaml, /etc/falco/rules.d]',
  'engine.kind': 'modern_ebpf',
  'engine.kmod.buf_size_preset': '4',
  'engine.kmod.drop_failed_exit': 'false',
  'engine.modern_ebpf.cpus_for_each_buffer': '2',
  'engine.modern_ebpf.buf_size_preset': '4',
  'engine.modern_ebpf.drop_failed_exit': 'false',
  'engine.replay.capture_file': '""',
  'capture.enabled': 'false',
  'capture.path_prefix': '/tmp/falco',
  'capture.mode': 'rules',
  'capture.default_duration': '5000',
  load_plugins: '[]',
  plugins: '[{name: container, library_path: libcontainer.so, init_config: {label_max_len: 100, with_size: false}}]',
  plugins_hostinfo: 'true',
  time_format_iso_8601: 'false',
  buffer_format_base64: 'false',
  priority: 'debug',
  json_output: 'false',
  json_include_output_property: 'true',
  json_include_message_property: 'false',
  json_include_output_fields_property: 'true',
  json_include_tags_property: 'true',
  buffered_outputs: 'false',
  rule_matching: 'first',
  'outputs_queue.capacity': '0',
  append_output: '[{suggested_output: true}]',
  'stdout_output.enabled': 'true',
  'syslog_output.enabled': 'true',
  'file_output.enabled': 'false',
  'file_output.keep_alive': 'false',
  'file_output.filename': './events.txt',
  'http_output.enabled': 'false',
  'http_output.url': '""',
  'http_output.user_agent': '"falcosecurity/falco"',
  'http_output.insecure': 'false',
  'http_output.ca_cert': '""',
  'http_output.ca_bundle': '""',
  'http_output.ca_path': '"/etc/ssl/certs"',
  'http_output.mtls': 'false',
  'http_output.client_cert': '"/etc/ssl/certs/client.crt"',
  'http_output.client_key': '"/etc/ssl/certs/client.key"',
  'http_output.echo': 'false',
  'http_output.compress_uploads': 'false',
  'http_output.keep_alive': 'false',
  'http_output.max_consecutive_timeouts': '5',
  'program_output.enabled': 'false',
  'program_output.keep_alive': 'false',
  'program_output.program': '"jq \'{text: .output}\' | curl -d @- -X POST https://hooks.slack.com/services/XXX"',
  'webserver.enabled': 'true',
  'webserver.threadiness': '0',
  'webserver.listen_port': '8765',
  'webserver.listen_address': '0.0.0.0',
  'webserver.k8s_healthz_endpoint': '/healthz',
  'webserver.prometheus_metrics_enabled': 'false',
  'webserver.ssl_enabled': 'false',
  'webserver.ssl_certificate': '/etc/falco/falco.pem',
  log_stderr: 'true',
  log_syslog: 'true',
  log_level: 'info',
  'libs_logger.enabled': 'true',
  'libs_logger.severity': 'info',
  output_timeout: '2000',
  'syscall_event_timeouts.max_consecutives': '1000',
  'syscall_event_drops.threshold': '.1',
  'syscall_event_drops.actions': '[log, alert]',
  'syscall_event_drops.rate': '.03333',
  'syscall_event_drops.max_burst': '1',
  'syscall_event_drops.simulate_drops': 'false',
  'metrics.enabled': 'false',
  'metrics.interval': '1h',
  'metrics.output_rule': 'true',
  'metrics.output_file': '""',
  'metrics.rules_counters_enabled': 'true',
  'metrics.resource_utilization_enabled': 'true',
  'metrics.state_counters_enabled': 'true',
  'metrics.kernel_event_counters_enabled': 'true',
  'metrics.kernel_event_counters_per_cpu_enabled': 'false',
  'metrics.libbpf_stats_enabled': 'true',
  'metrics.plugins_metrics_enabled': 'true',
  'metrics.kernel_iter_event_counters_enabled': 'true',
  'metrics.jemalloc_stats_enabled': 'false',
  'metrics.convert_memory_to_mb': 'true',
  'metrics.include_empty_values': 'false',
  'base_syscalls.custom_set': '[]',
  'base_syscalls.repair': 'false',
  'base_syscalls.all': 'false',
  'falco_libs.thread_table_size': '262144',
  'falco_libs.thread_table_auto_purging_interval_s': '300',
  'falco_libs.thread_table_auto_purging_thread_timeout_s': '300',
  'falco_libs.snaplen': '80',
});

/**
 * What Falco 0.44 uses when a key is set in no configuration file, for the keys where that differs from falco.yaml's
 * value (the fallbacks of configuration.cpp's get_scalar calls, 0.44.0). Deleting such a key changes behaviour.
 */
export const CONFIG_WHEN_ABSENT_044: Readonly<Record<string, string>> = table({
  rules_files: 'no rules file: Falco refuses to start unless -r is given',
  'engine.kind': 'kmod',
  load_plugins: 'every entry of plugins is loaded',
  append_output: 'nothing appended',
  'stdout_output.enabled': 'false',
  'syslog_output.enabled': 'false',
  'file_output.filename': '"" (Falco refuses to start if file_output is enabled)',
  'program_output.program': '"" (Falco refuses to start if program_output is enabled)',
  'webserver.enabled': 'false',
  log_stderr: 'false',
  'syscall_event_drops.actions': '[ignore]',
  'metrics.interval': '"5000", a number without a unit: Falco refuses to start if metrics are enabled',
  'metrics.output_rule': 'false',
  'metrics.kernel_event_counters_per_cpu_enabled': 'true',
  'metrics.jemalloc_stats_enabled': 'true',
  'falco_libs.snaplen': '0: the libraries choose',
});

/**
 * The values Falco's code accepts for string keys whose schema leaves them open (configuration.cpp, falco_common.cpp,
 * logger.cpp at 0.44.0); any other value stops Falco at start. `ignoreCase`: compared without regard to case.
 * `until`: a value accepted by older releases, with the first release that refuses it.
 */
export interface AcceptedValues {
  values: readonly string[];
  ignoreCase: boolean;
  until?: Readonly<Record<string, string>>;
  /** Only checked when this other key is true (libs_logger.severity is decoded only when libs_logger.enabled). */
  onlyWhen?: string;
}
export const CONFIG_ACCEPTED_VALUES_044: Readonly<Record<string, AcceptedValues>> = table({
  'engine.kind': { values: ['kmod', 'modern_ebpf', 'replay', 'nodriver'], ignoreCase: false, until: { ebpf: '0.44', gvisor: '0.44' } },
  priority: { values: ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'info', 'debug'], ignoreCase: true },
  rule_matching: { values: ['first', 'all'], ignoreCase: true },
  log_level: { values: ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'], ignoreCase: false },
  'libs_logger.severity': { values: ['fatal', 'critical', 'error', 'warning', 'notice', 'info', 'debug', 'trace'], ignoreCase: false, onlyWhen: 'libs_logger.enabled' },
  'capture.mode': { values: ['rules', 'all_rules'], ignoreCase: false },
  'syscall_event_drops.actions[]': { values: ['ignore', 'log', 'alert', 'exit'], ignoreCase: false },
});

/** The description, default and absent-key value of a key path, or undefined for a path with no entry. */
export function configKeyDoc(path: string): ConfigKeyDoc | undefined {
  if (!Object.hasOwn(CONFIG_KEY_DOCS, path)) return undefined;
  const doc: ConfigKeyDoc = { text: CONFIG_KEY_DOCS[path] };
  if (Object.hasOwn(CONFIG_DEFAULTS_044, path)) doc.defaultValue = CONFIG_DEFAULTS_044[path];
  if (Object.hasOwn(CONFIG_WHEN_ABSENT_044, path)) doc.whenAbsent = CONFIG_WHEN_ABSENT_044[path];
  return doc;
}
