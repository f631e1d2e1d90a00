// What Falco itself does with the values of its configuration when it starts (userspace/falco/configuration.cpp
// `load_yaml` and `merge_config_files`, 0.44.0): the values that make it refuse to start (errors), the ones it
// reads silently as something else (warnings), and how the rules selection and `append_output` meet the loaded
// rules. The schema's checks are in schemaCheck.ts; these come on top.
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { RuleSummary } from '../features';
import { parsePriority } from '../alerts/priority';
import { closestNames } from '../rules/closest';
import { booleanValue, nodeSpan, pairOf, scalarKind, scalarText, usesEnvironment, valueOf, type ConfigModel } from './model';
import { ConfigCode, type ConfigReporter } from './diagnostics';
import { compareVersions } from '../../knowledge/falcoVersions';
import { CONFIG_KEYS_NEVER_READ } from '../../knowledge/falcoConfigLegacy';
import { SCHEMA_SINCE } from './schemaCheck';
import { includeEntries, isRulesFileName, matchesWildcard } from './rulesFiles';

export interface LoadCheckContext {
  target: string;
  report: ConfigReporter;
  /** The loaded rules (for rule selections and append_output matches); empty when none are loaded. */
  rules: readonly RuleSummary[];
  /** The path of this configuration file, when it is a file. */
  path?: string;
  /** Whether a path exists on this machine (a file or a folder). */
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
}

const PRIORITY_WORDS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

/**
 * The values of `engine.kind` a release accepts (configuration.cpp `engine_mode_lut`, compared exactly): 0.38.0 to
 * 0.43.0 also had the legacy eBPF probe and gVisor, which 0.44.0 dropped. 0.37 has no `engine`.
 */
export function engineKinds(target: string): string[] {
  return compareVersions(target, '0.44') >= 0
    ? ['kmod', 'modern_ebpf', 'replay', 'nodriver']
    : ['kmod', 'ebpf', 'modern_ebpf', 'replay', 'gvisor', 'nodriver'];
}

function scalarAt(map: YAMLMap | undefined, key: string): Scalar | undefined {
  const v = valueOf(map, key);
  return isScalar(v) && !usesEnvironment(v) ? v : undefined;
}

export function checkLoad(model: ConfigModel, ctx: LoadCheckContext): void {
  const root = model.root;
  if (!root) return;
  checkRulesFilesKeys(root, ctx);
  checkPriority(root, ctx);
  checkRuleMatching(root, ctx);
  checkEngineKind(root, ctx);
  checkStartValues(root, ctx);
  checkConfigFiles(root, ctx);
  checkRuleSelection(root, ctx);
}

function checkRulesFilesKeys(root: YAMLMap, ctx: LoadCheckContext): void {
  const plural = pairOf(root, 'rules_files');
  const singular = pairOf(root, 'rules_file');
  if (compareVersions(ctx.target, '0.38') < 0) {
    // Falco 0.37 reads only `rules_file` (configuration.cpp:193 at 0.37.0); `rules_files` came with 0.38.
    if (plural) {
      ctx.report(ConfigCode.KeyTooNew, nodeSpan(plural.key as Scalar),
        `Falco ${ctx.target} reads its rules files from 'rules_file'; 'rules_files' is read from Falco 0.38 on, so these files are not loaded.`,
        { key: 'rules_files', replacement: 'rules_file', since: '0.38' });
    }
  } else if (singular) {
    const keyNode = singular.key as Scalar;
    if (plural) {
      ctx.report(ConfigCode.StartFails, nodeSpan(keyNode),
        'Both \'rules_files\' and \'rules_file\' are set: Falco refuses to start ("both \'rules_files\' and \'rules_file\' keys set"). Keep \'rules_files\'.',
        { key: 'rules_file' });
    } else {
      ctx.report(ConfigCode.DeprecatedKey, nodeSpan(keyNode),
        '\'rules_file\' is the deprecated spelling of \'rules_files\': Falco reads it and logs a warning'
        + (compareVersions(ctx.target, SCHEMA_SINCE) >= 0 ? ', and its schema validation fails on it (the schema does not list it)' : '')
        + '. Rename it to \'rules_files\'.',
        { key: 'rules_file', replacement: 'rules_files' });
    }
  }
  for (const [key, replacement] of Object.entries(CONFIG_KEYS_NEVER_READ)) {
    const pair = pairOf(root, key);
    if (!pair) continue;
    ctx.report(ConfigCode.DeprecatedKey, nodeSpan(pair.key as Scalar),
      `Falco never reads '${key}' (its schema accepts the name, but Falco loads rules from '${replacement}'): these rules files are not loaded. Rename it to '${replacement}'.`,
      { key, replacement });
  }
  for (const pair of [plural, singular]) {
    const value = pair?.value as Node | null | undefined;
    if (!isSeq(value)) continue;
    for (const item of value.items) {
      if (!isScalar(item) || usesEnvironment(item)) continue;
      const path = scalarText(item);
      if (path === '') continue;
      if (!ctx.exists(path)) {
        const parent = path.replace(/\/[^/]*\/?$/, '') || '/';
        if (path.startsWith('/') && ctx.exists(parent)) {
          ctx.report(ConfigCode.RulesPathMissing, nodeSpan(item),
            `'${path}' does not exist on this machine, though its folder does: Falco skips a rules path that does not exist without a word.`,
            { path });
        }
      } else if (compareVersions(ctx.target, '0.41') >= 0 && !ctx.isDirectory(path) && !isRulesFileName(path)) {
        // 0.41 added the *.yaml/*.yml filter (configuration.cpp read_rules_file_directory); before, any file loaded.
        ctx.report(ConfigCode.RulesPathMissing, nodeSpan(item),
          `'${path}' is a file whose name does not end in .yaml or .yml: Falco does not load it as a rules file.`, { path });
      }
    }
  }
}

function checkPriority(root: YAMLMap, ctx: LoadCheckContext): void {
  const node = scalarAt(root, 'priority');
  if (!node || scalarKind(node) === 'null') return;
  const text = scalarText(node);
  if (parsePriority(text) !== undefined) return;
  const suggestions = closestNames(text.toLowerCase(), PRIORITY_WORDS, 1, 3);
  ctx.report(ConfigCode.StartFails, nodeSpan(node),
    `Falco refuses to start: unknown priority '${text}' (one of ${PRIORITY_WORDS.join(', ')}, in any case; 'info' also works).`,
    { path: 'priority', suggestions });
}

function checkRuleMatching(root: YAMLMap, ctx: LoadCheckContext): void {
  const node = scalarAt(root, 'rule_matching');
  if (!node || scalarKind(node) === 'null') return;
  const text = scalarText(node);
  if (['first', 'all'].includes(text.toLowerCase())) return;
  ctx.report(ConfigCode.StartFails, nodeSpan(node),
    `Falco refuses to start: unknown rule matching strategy '${text}' (first or all).`,
    { path: 'rule_matching', suggestions: closestNames(text.toLowerCase(), ['first', 'all'], 1, 3) });
}

function checkEngineKind(root: YAMLMap, ctx: LoadCheckContext): void {
  if (compareVersions(ctx.target, '0.38') < 0) return;
  const engine = valueOf(root, 'engine');
  const node = isMap(engine) ? scalarAt(engine, 'kind') : undefined;
  if (!node || scalarKind(node) === 'null') return;
  const text = scalarText(node);
  const kinds = engineKinds(ctx.target);
  if (kinds.includes(text)) return;
  const dropped = ['ebpf', 'gvisor'].includes(text) ? ` Falco 0.44 dropped the '${text}' engine.` : '';
  ctx.report(ConfigCode.StartFails, nodeSpan(node),
    `Falco refuses to start: engine.kind '${text}' is not a valid kind (${kinds.join(', ')}).${dropped}`,
    { path: 'engine.kind', suggestions: closestNames(text, kinds, 1, 3) });
}

/** A mapping-valued top-level key of the file, or undefined. */
function section(root: YAMLMap | undefined, key: string): YAMLMap | undefined {
  const v = valueOf(root, key);
  return isMap(v) ? v : undefined;
}

function enabled(map: YAMLMap | undefined): boolean {
  const node = scalarAt(map, 'enabled');
  return !!node && booleanValue(node) === true;
}

function emptyOrAbsent(map: YAMLMap | undefined, key: string): boolean {
  const v = valueOf(map, key);
  if (v === undefined || v === null) return true;
  return isScalar(v) && !usesEnvironment(v) && scalarText(v) === '';
}

const LOG_LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
const LIBS_SEVERITIES = ['fatal', 'critical', 'error', 'warning', 'notice', 'info', 'debug', 'trace'];
const DROP_ACTIONS = ['ignore', 'log', 'alert', 'exit'];
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

function isIpLiteral(text: string): boolean {
  if (IPV4.test(text)) return true;
  // An IPv6 literal: hex groups and colons (with at most one ::), optionally ending in an IPv4 address.
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  if ((text.match(/::/g) ?? []).length > 1) return false;
  const groups = text.split(':');
  return groups.length <= 8 && groups.every((g, i) => g === '' || /^[0-9A-Fa-f]{1,4}$/.test(g) || (i === groups.length - 1 && IPV4.test(g)));
}

/**
 * Values configuration.cpp (0.44.0) and Falco's start-up refuse (facts with file:line in the session notes): each
 * check reads one top-level mapping of this file, which config_files can only replace whole, never merge into.
 */
function checkStartValues(root: YAMLMap, ctx: LoadCheckContext): void {
  const refuse = (node: Node, message: string, data?: Record<string, unknown>) => ctx.report(ConfigCode.StartFails, nodeSpan(node), `Falco refuses to start: ${message}`, data);

  const logLevel = scalarAt(root, 'log_level');
  if (logLevel && scalarKind(logLevel) !== 'null' && !LOG_LEVELS.includes(scalarText(logLevel))) {
    refuse(logLevel, `unknown log level '${scalarText(logLevel)}' (${LOG_LEVELS.join(', ')}, in lower case).`,
      { path: 'log_level', suggestions: closestNames(scalarText(logLevel).toLowerCase(), LOG_LEVELS, 1, 3) });
  }
  const libsLogger = section(root, 'libs_logger');
  const severity = scalarAt(libsLogger, 'severity');
  if (enabled(libsLogger) && severity && !LIBS_SEVERITIES.includes(scalarText(severity))) {
    refuse(severity, `unknown sinsp log severity '${scalarText(severity)}' (${LIBS_SEVERITIES.join(', ')}).`,
      { path: 'libs_logger.severity', suggestions: closestNames(scalarText(severity).toLowerCase(), LIBS_SEVERITIES, 1, 3) });
  }

  for (const [key, needed, what] of [['file_output', 'filename', 'file'], ['program_output', 'program', 'program'], ['http_output', 'url', 'http']] as const) {
    const map = section(root, key);
    if (enabled(map) && emptyOrAbsent(map, needed)) {
      refuse(pairOf(map, 'enabled')!.key as Node, `${what} output enabled but no ${needed === 'filename' ? 'filename' : needed} in ${key}.`, { path: `${key}.${needed}` });
    }
  }

  const listen = scalarAt(section(root, 'webserver'), 'listen_address');
  if (listen && scalarText(listen) !== '' && !isIpLiteral(scalarText(listen))) {
    refuse(listen, `webserver listen address '${scalarText(listen)}' is not an IP address (a host name is refused, even with the web server disabled).`,
      { path: 'webserver.listen_address' });
  }

  const drops = section(root, 'syscall_event_drops');
  const actions = valueOf(drops, 'actions');
  if (isSeq(actions)) {
    let ignoreSeen = false;
    for (const item of actions.items) {
      if (!isScalar(item) || usesEnvironment(item)) continue;
      const action = scalarText(item);
      if (!DROP_ACTIONS.includes(action)) {
        refuse(item, `unknown syscall event drop action '${action}' (ignore, log, alert or exit).`,
          { path: 'syscall_event_drops.actions', suggestions: closestNames(action.toLowerCase(), DROP_ACTIONS, 1, 3) });
      } else if (ignoreSeen && (action === 'log' || action === 'alert')) {
        refuse(item, `the drop action '${action}' makes no sense after 'ignore'.`, { path: 'syscall_event_drops.actions' });
      }
      if (action === 'ignore') ignoreSeen = true;
    }
  }
  const threshold = scalarAt(drops, 'threshold');
  if (threshold && ['integer', 'number'].includes(scalarKind(threshold))) {
    const value = Number(scalarText(threshold));
    if (value < 0 || value > 1) refuse(threshold, 'syscall event drops threshold must be between 0 and 1.', { path: 'syscall_event_drops.threshold' });
  }
  const consecutive = scalarAt(section(root, 'syscall_event_timeouts'), 'max_consecutives');
  if (consecutive && scalarKind(consecutive) === 'integer' && Number(scalarText(consecutive)) === 0) {
    refuse(consecutive, 'the maximum consecutive timeouts must be above 0.', { path: 'syscall_event_timeouts.max_consecutives' });
  }

  const captureMode = scalarAt(section(root, 'capture'), 'mode');
  if (captureMode && compareVersions(ctx.target, '0.42') >= 0 && !['rules', 'all_rules'].includes(scalarText(captureMode))) {
    refuse(captureMode, `capture.mode '${scalarText(captureMode)}' is not a valid mode (rules or all_rules).`,
      { path: 'capture.mode', suggestions: closestNames(scalarText(captureMode), ['rules', 'all_rules'], 1, 3) });
  }

  const engine = section(root, 'engine');
  const kind = scalarAt(engine, 'kind');
  if (kind && scalarText(kind) === 'replay' && emptyOrAbsent(section(engine, 'replay'), 'capture_file')) {
    refuse(kind, 'engine.kind is \'replay\' but engine.replay.capture_file is not set.', { path: 'engine.replay.capture_file' });
  }

  const plugins = valueOf(root, 'plugins');
  const pluginNames = new Set<string>();
  if (isSeq(plugins)) {
    for (const item of plugins.items) {
      if (!isMap(item)) {
        if (item) refuse(item as Node, 'a plugins entry is a mapping with name and library_path (yaml-cpp: bad conversion).', { path: 'plugins[]' });
        continue;
      }
      const name = scalarAt(item, 'name');
      if (name) pluginNames.add(scalarText(name));
      const missing = ['name', 'library_path'].filter((k) => valueOf(item, k) === undefined);
      if (missing.length) refuse(item, `a plugins entry needs ${missing.join(' and ')} (yaml-cpp: bad conversion).`, { path: 'plugins[]' });
    }
  }
  const load = valueOf(root, 'load_plugins');
  if (isSeq(load) && isSeq(plugins)) {
    for (const item of load.items) {
      if (!isScalar(item) || usesEnvironment(item)) continue;
      const name = scalarText(item);
      if (!pluginNames.has(name)) {
        refuse(item, `cannot load plugin '${name}': no plugins entry has that name.`,
          { path: 'load_plugins[]', suggestions: closestNames(name, pluginNames, 1) });
      }
    }
  }

  const selections = valueOf(root, 'rules');
  if (isSeq(selections) && compareVersions(ctx.target, '0.38') >= 0) {
    for (const item of selections.items) {
      const op = isMap(item) ? ['enable', 'disable'].find((k) => valueOf(item, k) !== undefined) : undefined;
      const selection = isMap(item) && op ? valueOf(item, op) : undefined;
      const ok = isMap(selection) && (valueOf(selection, 'rule') !== undefined || valueOf(selection, 'tag') !== undefined);
      if (!ok && item) {
        refuse(item as Node, 'a rules entry is `- enable:` or `- disable:` with `rule:` or `tag:` under it (yaml-cpp: bad conversion).', { path: 'rules[]' });
      }
    }
  }

  // A section Falco reads keys under, given as a scalar: "Config error at key" when it reads the first one.
  for (const key of ['engine', 'falco_libs', 'webserver', 'metrics', 'outputs_queue', 'stdout_output', 'syslog_output', 'file_output', 'http_output', 'program_output', 'libs_logger', 'syscall_event_drops', 'syscall_event_timeouts', 'capture', 'base_syscalls']) {
    const v = valueOf(root, key);
    if (isScalar(v) && !usesEnvironment(v) && scalarText(v) !== '') {
      refuse(v, `${key} is a mapping; Falco reads keys under it and stops at this text ("Config error at key").`, { path: key });
    }
  }
}

function checkConfigFiles(root: YAMLMap, ctx: LoadCheckContext): void {
  const node = valueOf(root, 'config_files');
  if (!isSeq(node)) return;
  const entries = includeEntries(node);
  if (ctx.path === undefined) return;
  for (const [i, item] of node.items.entries()) {
    const entry = entries.find((e) => e.path === (isScalar(item) ? scalarText(item) : isMap(item) ? scalarText(valueOf(item, 'path') as Scalar) : ''));
    if (entry && entry.path === ctx.path) {
      ctx.report(ConfigCode.StartFails, nodeSpan(item as Node),
        `Falco refuses to start: config_files includes this configuration file itself ("tried to recursively include main config file").`,
        { index: i });
    }
  }
}

/** `rules:` (Falco ≥ 0.38): enable or disable loaded rules by name (with `*`) or by tag, in order. */
function checkRuleSelection(root: YAMLMap, ctx: LoadCheckContext): void {
  const node = valueOf(root, 'rules');
  if (!isSeq(node) || ctx.rules.length === 0) return;
  const tags = new Set<string>();
  for (const rule of ctx.rules) for (const tag of rule.tags) tags.add(tag);
  for (const item of node.items) {
    if (!isMap(item)) continue;
    for (const op of ['enable', 'disable']) {
      const selection = valueOf(item, op);
      if (!isMap(selection)) continue;
      const rule = scalarAt(selection, 'rule');
      if (rule) {
        const pattern = scalarText(rule);
        if (!ctx.rules.some((r) => matchesWildcard(pattern, r.name))) {
          const suggestions = pattern.includes('*') ? [] : closestNames(pattern, ctx.rules.map((r) => r.name), 3);
          ctx.report(ConfigCode.SelectsNothing, nodeSpan(rule),
            `No loaded rule is named '${pattern}'${pattern.includes('*') ? ' (as Falco matches \'*\')' : ''}: this ${op} selects nothing.`
            + (suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : ''),
            { path: `rules[].${op}.rule`, suggestions });
        }
      }
      const tag = scalarAt(selection, 'tag');
      if (tag) {
        const name = scalarText(tag);
        if (!tags.has(name)) {
          const suggestions = closestNames(name, tags, 3);
          ctx.report(ConfigCode.SelectsNothing, nodeSpan(tag),
            `No loaded rule has the tag '${name}': this ${op} selects nothing (Falco matches tags exactly).`
            + (suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : ''),
            { path: `rules[].${op}.tag`, suggestions });
        }
      }
    }
  }
}
