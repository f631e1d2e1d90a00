// The Falco releases a user can target, with the rules-engine version each one compares `required_engine_version`
// against and the libs release it bundles (whose filter parser decides which operators and transformers exist).
//
import type { FieldInfo } from './types';
import { OLDER_EVENT_TABLES } from './olderEventTables';

// Sources, read at each Falco tag 0.37.0 .. 0.44.0 of falcosecurity/falco:
//   engine: userspace/engine/falco_engine_version.h (FALCO_ENGINE_VERSION_MAJOR/MINOR/PATCH)
//   libs:   cmake/modules/falcosecurity-libs.cmake (FALCOSECURITY_LIBS_VERSION of a release build)

export interface FalcoRelease {
  /** The release as users name it in the setting: `0.41`. */
  falco: string;
  /** The rules-engine version of its first patch release (x.y.0). */
  engine: string;
  /** The falcosecurity/libs release it bundles. */
  libs: string;
}

export const FALCO_RELEASES: readonly FalcoRelease[] = [
  { falco: '0.37', engine: '0.31.0', libs: '0.14.2' },
  { falco: '0.38', engine: '0.40.0', libs: '0.17.1' },
  { falco: '0.39', engine: '0.43.0', libs: '0.18.1' },
  { falco: '0.40', engine: '0.46.0', libs: '0.20.0' },
  { falco: '0.41', engine: '0.50.0', libs: '0.21.0' },
  { falco: '0.42', engine: '0.57.0', libs: '0.22.1' },
  { falco: '0.43', engine: '0.58.0', libs: '0.23.1' },
  { falco: '0.44', engine: '0.62.0', libs: '0.25.2' },
];

/**
 * The first release that bundles the container plugin, which took container.* and k8s.* out of libsinsp (Falco 0.41.0
 * CHANGELOG "switch to use container plugin", falco#3482; libs 0.20.0 has userspace/libsinsp/sinsp_filtercheck_container.cpp,
 * 0.21.0 does not). Up to 0.40 those fields were libsinsp's own.
 */
export const CONTAINER_PLUGIN_SINCE = '0.41';

/** The release Falco Lens checks at by default: its checks follow this release's sources. */
export const LATEST_FALCO = '0.44';

export const FALCO_TARGETS: readonly string[] = FALCO_RELEASES.map((r) => r.falco);

export function falcoRelease(falco: string): FalcoRelease | undefined {
  return FALCO_RELEASES.find((r) => r.falco === falco);
}

/**
 * The release a user means by `0.41`, `0.41.2` or ` 0.41 ` (a patch release has the same engine and parser as far as
 * rules are concerned), or undefined when it is not one this project knows.
 */
export function parseFalcoTarget(text: string): string | undefined {
  const m = /^\s*(0\.\d+)(?:\.\d+)?\s*$/.exec(text);
  return m && falcoRelease(m[1]) ? m[1] : undefined;
}

/** Compares dotted versions numerically (`0.9.0` < `0.10.0`); a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether a construct available since `since` (`0.41.0` or `0.41`) is missing from the target release. */
export function newerThanTarget(since: string | undefined, target: string): boolean {
  return since !== undefined && compareVersions(since, target) > 0;
}

/**
 * The first release whose loader gives a warning: deprecations (LOAD_DEPRECATED_ITEM) and libsinsp's compile warnings.
 * At an older target Falco says nothing, so neither does Falco Lens. Deprecated fields carry theirs in the catalog
 * (`deprecatedSince`).
 */
export const LOADER_WARNINGS_SINCE = {
  // userspace/engine/rule_loader_reader.cpp WARNING_APPEND, added with `override:` in 0.37.0 (CHANGELOG 0.37.0:
  // "deprecate the append flag", falco#2992); 0.36.0 has neither. So every target warns.
  append: '0.37',
  // rule_loader_reader.cpp WARNING_ENABLED (a rule item with only `enabled`), also first at 0.37.0.
  standaloneEnabled: '0.37',
  // rule_loader_compiler.cpp compile_rule_infos, first at 0.41.0 (the container plugin fills the output); up to
  // 0.40 the loader replaced %container.info with the container fields without a word.
  containerInfo: '0.41',
  // libsinsp's filter-compiler warnings (LOAD_COMPILE_CONDITION): a constant that is a field name or a transformer
  // call, from libs 0.17.1 (filter.cpp check_value_and_add_warnings; Falco 0.38 rule_loader_compiler.cpp reports them,
  // 0.37.0 has no LOAD_COMPILE_CONDITION); a transformer counts only where the parser knows it
  // (parser.cpp supported_field_transformers).
  compileWarnings: '0.38',
  // The regex that needs no regex syntax: libs 0.18.1 (filter.cpp check_warnings_regex_value), with the operator.
  regexWarning: '0.39',
  // An exception appended without values (LOAD_APPEND_NO_VALUES) and two exceptions of a rule with one name
  // (LOAD_EXCEPTION_NAME_NOT_UNIQUE): rule_loader_reader.cpp read_rule_exceptions from 0.38.0, whose
  // falco_load_result.h adds both codes; 0.37.0 reads both cases without a word.
  appendNoValues: '0.38',
  exceptionNameNotUnique: '0.38',
  // LOAD_UNKNOWN_KEY: rule_loader_reader.cpp warn_unknown_keys, first at 0.44.0. Before, an unknown key is ignored as
  // well, silently up to 0.38; 0.39 to 0.43 only fail the rules schema (rule_json_schema.h, additionalProperties:
  // false), which Falco prints as "schema validation: failed", not as a load warning.
  unknownKey: '0.44',
} as const;

/**
 * The rule keys Falco's rules schema types as boolean, with the first release whose schema does
 * (userspace/engine/rule_json_schema.h: enabled and append from 0.39.0, where the file first appears; capture from
 * 0.42.0; warn_evttypes and skip-if-unknown-filter from 0.44.0). Falco checks a rules file against it with valijson's
 * weak types, which grant a boolean only to the text true or false: another yaml-cpp boolean (yes, On, N) is loaded
 * as the boolean yaml-cpp reads, and the file's line says "schema validation: failed" (load_rules_files.cpp).
 */
export const BOOLEAN_SCHEMA_SINCE: ReadonlyMap<string, string> = new Map([
  ['enabled', '0.39'], ['append', '0.39'], ['capture', '0.42'], ['warn_evttypes', '0.44'], ['skip-if-unknown-filter', '0.44'],
]);

/**
 * Rule keys newer than the oldest target, with the release whose reader first reads them (rule_loader_reader.cpp:
 * decode of `capture` and `capture_duration`, and their place among the keys `override` may replace, first at
 * 0.42.0). An older release ignores them in a rule and fails on `override: {capture: replace}` ("cannot be replaced").
 */
/**
 * The first release whose reader reads a rule item's `source` before its override, for every rule item
 * (rule_loader_reader.cpp 0.40.0:618-619, decode_optional_empty_val: a list or mapping fails the item; before, only a
 * new rule reads it, 0.39.0:834).
 */
export const RULE_SOURCE_READ_FIRST_SINCE = '0.40';

/**
 * The first release whose reader reads the exceptions an `override: exceptions: replace` brings as new ones, `fields`
 * required (rule_loader_reader.cpp 0.38.0:653 passes append=false; 0.37.0:603 passed true: fields optional).
 */
export const REPLACED_EXCEPTIONS_NEED_FIELDS_SINCE = '0.38';

export const RULE_KEYS_SINCE: ReadonlyMap<string, string> = new Map([['capture', '0.42'], ['capture_duration', '0.42']]);

/**
 * evt.type names that later libs added to the event table or the syscall names, with the first Falco release that
 * knows them. An older release rejects them ("unknown event type", sinsp_filtercheck_event.cpp, as far back as libs
 * 0.14.2). Read off the older releases' event tables (olderEventTables.ts, generated by scripts/gen-event-tables.mjs):
 * the first release whose table does not reject the name, the latest when none of them has it.
 */
export const EVENT_NAMES_SINCE: ReadonlyMap<string, string> = (() => {
  const releases = Object.keys(OLDER_EVENT_TABLES);
  const since = new Map<string, string>();
  for (const release of releases) {
    for (const [name, codes] of Object.entries(OLDER_EVENT_TABLES[release].differs)) {
      if (codes === null && !since.has(name)) since.set(name, releases.find((r) => OLDER_EVENT_TABLES[r].differs[name] !== null) ?? LATEST_FALCO);
    }
  }
  return since;
})();

/** Whether the target release warns about the field (it is deprecated, and was by the target or earlier). */
export function deprecatedAt(field: FieldInfo, target: string): boolean {
  return field.deprecated !== undefined && !newerThanTarget(field.deprecatedSince, target);
}

/**
 * How the output formatter of each release reads a `%field` token (libsinsp sinsp_evt_formatter::set_format).
 * Falco 0.37-0.43 (libs 0.14.2-0.23.1, eventformatter.cpp 0.14.2:151-167, 0.23.1:138-147) hand the whole rest of the
 * output to new_filter_check_from_fldname without the exact check: the first check whose parse_field_name reads a
 * prefix is taken, that check says how many characters it read, and the rest is text; a check that throws fails the
 * load (the key skip-if-unknown-filter covers only "invalid formatting token", no check at all). Falco 0.44 (libs 0.25.2,
 * eventformatter.cpp:119-141) parses a field from ever shorter text until one compiles with the exact check, and
 * throws "unknown filter:" when none does (which the key covers, rule_loader_compiler.cpp 0.44.0:353-358).
 */
export const OUTPUT_FORMATTER = {
  /**
   * The last release whose thread check reads an optional-argument field written without a valid argument only when
   * nothing follows it in the output (`if(val == "proc.aname")`, sinsp_filtercheck_thread.cpp libs 0.14.2-0.22.1;
   * Falco 0.42.0 has libs 0.22.1, 0.42.1 libs 0.22.2 with the fix, libs d35b99f08): elsewhere the check reads nothing,
   * so the formatter prints the field with its argument unset and then the field's name, as written, as text.
   */
  argumentFallbackUntil: '0.42',
  /** The fields of that check, with the release whose check first reads them so (proc.args and proc.aargs: 0.41). */
  argumentFallbackFields: new Map([
    ...['proc.apid', 'proc.aname', 'proc.aexepath', 'proc.aexe', 'proc.acmdline', 'proc.env', 'proc.aenv'].map((n) => [n, '0.37'] as const),
    ['proc.aargs', '0.41'] as const, ['proc.args', '0.41'] as const,
  ]) as ReadonlyMap<string, string>,
  /**
   * The last release in which libsinsp had the container plugin's fields itself (its container, k8s and thread checks,
   * filter_check_list.cpp libs 0.20.0; gone in 0.21.0, Falco 0.41, which bundles the container plugin).
   */
  containerFieldsBuiltinUntil: '0.40',
  /**
   * The first release whose formatter lets a plugin field's bracket argument that the plugin refuses be printed as
   * text: before, the plugin check's parse_field_name throws while the formatter looks the field up ("does not allow
   * nor require an argument", "has an invalid index argument", plugin_filtercheck.cpp libs 0.14.2-0.23.1), which
   * fails the load whatever skip-if-unknown-filter says.
   */
  pluginArgumentAsTextSince: '0.44',
  /**
   * The first release that loads a filter-only field (EPF_FILTER_ONLY: fd.ip, fd.net...) in an output. Falco 0.37-0.43's
   * formatter reads a field with parse_field_name(text, true, false) (eventformatter.cpp libs 0.14.2:163, 0.23.1:146),
   * whose base throws "... is filter only and cannot be used as a display field" (sinsp_filtercheck.cpp 0.14.2:1159,
   * 0.23.1:570), an error err_is_unknown_type_or_field does not know (rule_loader_compiler.cpp 0.37.0:401-406,
   * 0.43.0:346-350): the load fails whatever skip-if-unknown-filter says. Falco 0.44's formatter compiles the token as a
   * filter's field, parse_field_name(name, true, true) (sinsp_extractor_compiler, filter.cpp libs 0.25.2:301-307,
   * eventformatter.cpp:128-133), which never throws so: the rule loads.
   */
  filterOnlyInOutputSince: '0.44',
  /**
   * What each filter-only field prints where an output loads it, and the fields to print instead. Falco formats every
   * output with a leading `*` (falco_outputs.cpp 0.37.0:150-165, formats.cpp 0.44.0:57-59), so a field without a value
   * prints `<NA>`. fd.ip, fd.port, fd.proto, fd.net and evt.around only compare (sinsp_filtercheck_fd.cpp libs 0.25.2
   * compare_nocache:1593-1613; no case in extract_single, which returns NULL, :1221-1225; sinsp_filtercheck_event.cpp
   * extract_single has no case for evt.around either): always `<NA>`. fd.cnet, fd.snet, fd.lnet and fd.rnet extract an
   * end's address typed as a network (extract_single :588-760), whose printed form is the text `<IPNET>`
   * (sinsp_filtercheck.cpp rawval_to_string PT_IPNET, :467-470): `<IPNET>` on a socket, `<NA>` elsewhere.
   */
  filterOnlyFields: new Map([
    ['fd.ip', { prints: '<NA>', instead: ['fd.cip', 'fd.sip'] }],
    ['fd.port', { prints: '<NA>', instead: ['fd.cport', 'fd.sport'] }],
    ['fd.proto', { prints: '<NA>', instead: ['fd.cproto', 'fd.sproto'] }],
    ['fd.net', { prints: '<NA>', instead: ['fd.cip', 'fd.sip'] }],
    ['fd.cnet', { prints: '<IPNET>', instead: ['fd.cip'] }],
    ['fd.snet', { prints: '<IPNET>', instead: ['fd.sip'] }],
    ['fd.lnet', { prints: '<IPNET>', instead: ['fd.lip'] }],
    ['fd.rnet', { prints: '<IPNET>', instead: ['fd.rip'] }],
    // Its check reads the name and the argument itself (sinsp_filtercheck_event.cpp parse_field_name -> extract_arg,
    // libs 0.14.2:287-293, 0.25.2:539-543) and never asks the base check: every release loads it in an output.
    ['evt.around', { prints: '<NA>', instead: [], ownCheck: true }],
  ]) as ReadonlyMap<string, { prints: string; instead: readonly string[]; ownCheck?: true }>,
} as const;
