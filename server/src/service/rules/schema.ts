// What Falco's rules loader accepts, as data (falco-reference.md §b; rule_loader_reader.cpp).
import { table } from '../../knowledge/table';

export const RULE_KEYS = ['rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'capture', 'capture_duration',
  'warn_evttypes', 'skip-if-unknown-filter', 'tags', 'exceptions', 'override', 'append'] as const;
export const MACRO_KEYS = ['macro', 'condition', 'append', 'override'] as const;
export const LIST_KEYS = ['list', 'items', 'append', 'override'] as const;
export const EXCEPTION_KEYS = ['name', 'fields', 'comps', 'values'] as const;
export const PLUGIN_REQUIREMENT_KEYS = ['name', 'version', 'alternatives'] as const;

export const KEYS_BY_KIND: Record<'rule' | 'macro' | 'list', readonly string[]> = { rule: RULE_KEYS, macro: MACRO_KEYS, list: LIST_KEYS };

/** Keys a new definition must have. */
export const REQUIRED_KEYS: Record<'rule' | 'macro' | 'list', readonly string[]> = {
  rule: ['desc', 'condition', 'output', 'priority'],
  macro: ['condition'],
  list: ['items'],
};

export const APPENDABLE: Record<'rule' | 'macro' | 'list', readonly string[]> = {
  rule: ['condition', 'output', 'desc', 'tags', 'exceptions'],
  macro: ['condition'],
  list: ['items'],
};
export const REPLACEABLE: Record<'rule' | 'macro' | 'list', readonly string[]> = {
  rule: ['condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions', 'enabled', 'warn_evttypes', 'skip-if-unknown-filter'],
  macro: ['condition'],
  list: ['items'],
};

export const BOOLEAN_RULE_KEYS = ['enabled', 'capture', 'warn_evttypes', 'skip-if-unknown-filter', 'append'];

/** Priorities as Falco spells them in rules files (parsing is case-insensitive; `info` is accepted too). */
export const PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'] as const;
export const PRIORITY_ALIASES = ['INFO'];

export function isValidPriority(value: string): boolean {
  const upper = value.toUpperCase();
  return (PRIORITIES as readonly string[]).includes(upper) || PRIORITY_ALIASES.includes(upper);
}

/** Comparison operators an exception's `comps` may use with a list of fields (rule_loader_cmpop.h). */
export const EXCEPTION_COMPS = ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith',
  'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch'];
/** With a single field (`fields: proc.name`) the comparison is against the whole list of values. */
export const SINGLE_FIELD_COMPS = ['in', 'pmatch', 'intersects'];
export const COMP_MODIFIERS = ['oneof', 'anyof', 'allof'];

/**
 * Event sources of the plugins with official rules, with the plugin names that provide each one (a
 * required_plugin_versions entry or one of its alternatives with such a name satisfies a rule of that source).
 */
export const PLUGIN_SOURCES: Record<string, readonly string[]> = table({
  k8s_audit: ['k8saudit', 'k8saudit-eks', 'k8saudit-gke', 'k8saudit-aks', 'k8saudit-ovh'],
  aws_cloudtrail: ['cloudtrail'],
  gcp_auditlog: ['gcpaudit'],
  okta: ['okta'],
  github: ['github'],
});
export const KNOWN_SOURCES = ['syscall', ...Object.keys(PLUGIN_SOURCES)];

/** Falco macro names (LOAD_INVALID_MACRO_NAME) and list names (LOAD_INVALID_LIST_NAME). */
export const MACRO_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
export const LIST_NAME = /^[^()"'\s=,]+$/;
