// Types of the knowledge base. Pure data: no editor or protocol type may appear here, so that the rules service,
// the alert service, the CLI and the tests can all walk the same entries.

/** Value types as libsinsp and the plugin SDK name them (`falco --list -v`, `sysdig -l -v`). */
export type FieldType =
  | 'CHARBUF' | 'BYTEBUF' | 'FSPATH' | 'FSRELPATH'
  | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64'
  | 'BOOL' | 'DOUBLE' | 'ABSTIME' | 'RELTIME'
  | 'IPADDR' | 'IPNET' | 'PORT' | 'L4PROTO' | 'SOCKFAMILY' | 'MODE' | 'ERRNO' | 'FD' | 'PID' | 'SIGTYPE'
  | 'FLAGS8' | 'FLAGS16' | 'FLAGS32' | 'SYSCALLID' | 'UID' | 'GID' | 'DYN';

/** Event sources: the syscall source and those of plugins with official rules. */
export type FieldSource = 'syscall' | 'k8s_audit' | 'aws_cloudtrail' | 'gcp_auditlog' | 'okta' | 'github';

export interface FieldArgument {
  /** Whether the field is only valid with an argument (`evt.arg[flags]`) or also without one (`proc.aname`). */
  required: boolean;
  /** index: a number (`proc.aname[2]`); key: a name or path (`evt.arg[flags]`, `ka.req.pod.containers.image[0]`). */
  kind: 'index' | 'key' | 'index-or-key';
  /** A complete example of the field with its argument, e.g. `proc.aname[2]`. */
  example: string;
  /** Whether `field.argname` (dot form, `evt.arg.flags`) is accepted as well as `field[argname]`. */
  dotForm?: boolean;
  /** Set when only the dot form is accepted: libsinsp rejects the bracket form (`thread.cgroup[cpu]` is an error). */
  dotOnly?: boolean;
  /** What the field's check reads after the dot where that is less than the rest of a field name (`thread.cgroup`:
   *  letters and `_`): `chars` matches it at the start of the argument, `said` names it to users. A name that goes on
   *  past it (`thread.cgroup.cpu1`) is no field to Falco (knowledge dotArgumentCut). */
  dotRead?: { chars: RegExp; said: string };
  /** The first Falco release that takes the argument (`0.41.0`), when older releases had the field without one: they
   *  read `field[arg]` as a nonexistent field. */
  since?: string;
  /** The last Falco release that also took the argument after a dot (`0.40`), when later releases take it in brackets
   *  only: the catalog's release refuses `field.arg`, the older ones read it. */
  dotFormUntil?: string;
}

export interface FieldInfo {
  /** Full name, e.g. `proc.aname`, `ka.req.pod.containers.image`. */
  name: string;
  type: FieldType;
  /** True when the field yields a list of values (usable with `in`, `intersects`). */
  isList?: boolean;
  arg?: FieldArgument;
  /** Sources in which the field can be used. */
  sources: FieldSource[];
  /** The plugin that provides the field when it is not built into libsinsp (`container`, `k8smeta`, `k8saudit`...). */
  plugin?: string;
  /** Falco version that added it, for recent fields (`0.41.0`). */
  since?: string;
  /** Set when Falco warns on use; says what to use instead. */
  deprecated?: string;
  /** The first Falco release that warns on use (`0.42.0`): an older target does not, so nothing is said there. */
  deprecatedSince?: string;
  /** One sentence, written for this project. */
  desc: string;
  /** How to read its values, where that helps (units, special values). */
  values?: string;
  /** Keys that official rule outputs use for this field in `key=%field` pairs (`process` for proc.name,
   *  `command` for proc.cmdline), besides the conventional `proc_name` form. Used to read text alerts. */
  outputKeys?: string[];
  /** For fields with an argument: the argument each output key stands for (`exe_flags` → `flags`, so the key
   *  renders `evt.arg.flags`; an argument in brackets is appended as it is: `gparent` → `[2]` renders
   *  `proc.aname[2]`). Keys not listed here render the field without an argument. */
  outputKeyArgs?: Record<string, string>;
  /** Valid in conditions only: Falco rejects it in an output ("is filter only", e.g. fd.ip, fd.net). */
  conditionOnly?: boolean;
  /** Meant for outputs only (libsinsp marks it print-only, e.g. evt.outputtime). */
  outputOnly?: boolean;
  /** Accepted by Falco but left out of `falco --list` (libsinsp table-only fields, plugin fields marked hidden);
   *  completion should not offer it, validators should still accept it. */
  hidden?: boolean;
}

/** A shell command shown to the user. Placeholders are `<field.name>` (filled, shell-quoted, from an alert) or
 *  `<word>` (for the user to fill). */
export interface ShellCommand {
  /** The command line, valid bash once placeholders are replaced by quoted words. */
  command: string;
  /** What it shows or does, one sentence. */
  purpose: string;
  /** True when the command changes the system (mitigations). Investigation commands must be read-only. */
  changesSystem?: boolean;
}

export interface Mitigation {
  /** What it removes from the attacker, one or two sentences. */
  summary: string;
  /** Exact commands, when the mitigation is applied with commands. */
  commands?: ShellCommand[];
  /** Exact configuration, when it is applied with a configuration file. */
  config?: { language: 'yaml' | 'ini' | 'text'; title: string; text: string };
}

export interface Playbook {
  /** Rule name exactly as in the rules file. */
  rule: string;
  source: FieldSource;
  /** Rules file (basename) that defines the rule: falco_rules.yaml, falco-incubating_rules.yaml, ... */
  file: string;
  /** What the rule detects, in plain words. */
  detects: string;
  /** Why an attacker does this. */
  attackerGoal: string;
  /** MITRE ATT&CK technique ids (T1059.004) and tactic ids (TA0002) that apply. */
  mitre: string[];
  /** How to read the key fields of such an alert. */
  keyFields: { field: string; meaning: string }[];
  benignCauses: string[];
  /** Read-only investigation steps. */
  investigate: ShellCommand[];
  mitigations: Mitigation[];
  /** The Falco YAML a user writes for a known-good case (an override appending an exception), valid for Falco 0.44. */
  tuning: { summary: string; yaml: string };
}

export interface MitreEntry { id: string; name: string; kind: 'tactic' | 'technique' | 'sub-technique'; tactics?: string[] }

/** What a value of a field means when it appears in an alert. */
export interface ValueMeaning {
  /** Field names the meaning applies to (`user.loginuid`, `proc.exe_flags`...). */
  fields: string[];
  /** The value as it appears in an alert (`-1`, `EXE_WRITABLE`, `host`), or a pattern kind. */
  value: string;
  /** Match kind: exact value, a flag inside a `|`-separated set, any non-zero number, or JSON's null (not the text
   *  `null`, which a process or container may be named). */
  match: 'exact' | 'flag' | 'nonzero' | 'negative-errno' | 'null';
  meaning: string;
  /** The evt.type names whose value this meaning is written for. evt.arg.flags renders the `flags` parameter of the
   *  event at hand with that event's flag table (eventFlags.ts): O_TRUNC of open is not O_TRUNC of delete_module. */
  events?: string[];
}
