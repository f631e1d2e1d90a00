// Falco's own validation of its configuration against the JSON schema compiled into the binary (Falco ≥ 0.39):
// unknown keys, value types, enumerations and bounds. Falco prints the first failure as "schema validation: failed"
// and starts anyway, so these are warnings; older releases validate nothing and silently ignore an unknown key,
// which is worth a warning all the more. Keys the target release does not have yet, or no longer has, are reported
// with the release that added or removed them.
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { compareVersions } from '../../knowledge/falcoVersions';
import { CONFIG_KEYS_READ_AS, readOutsideSchema, CONFIG_KEYS_REMOVED_IN_0_37, CONFIG_KEYS_SINCE_BEFORE_SCHEMA, CONFIG_SEQUENCES, CONFIG_STRING_SEQUENCES, CONFIG_UNSIGNED_KEYS, LEGACY_CONFIG_KEYS } from '../../knowledge/falcoConfigLegacy';
import { type ConfigNode, type ConfigType } from '../../knowledge/falcoConfigSchema';
import { configKeyDoc } from '../../knowledge/falcoConfigDocs';
import { closestNames, didYouMean, nearMiss } from '../rules/closest';
import { yamlQuote } from '../yamlText';
import { booleanValue, keySpan, nodeSpan, removalData, scalarKind, streamInteger, usesEnvironment, valueText, type ScalarKind } from './model';
import { ConfigCode, type ConfigReporter } from './diagnostics';

/** The first release that validates falco.yaml against its schema. */
export const SCHEMA_SINCE = '0.39';

/** A path in the configuration, e.g. ['engine', 'kind'] or ['plugins', '[]', 'name']. */
export type ConfigPath = readonly string[];

export function pathText(path: ConfigPath): string {
  let out = '';
  for (const part of path) out += part === '[]' ? '[]' : (out === '' ? part : `.${part}`);
  return out;
}

/**
 * The first release that reads a key of the schema at `path`, or undefined when every release Falco Lens targets
 * (0.37 on) reads it: the schema's mark for keys that came after its first release, else the releases before it
 * (falcoConfigLegacy.ts), looked up for the key and the keys above it.
 */
export function keySince(path: ConfigPath, node: ConfigNode): string | undefined {
  if (node.since && node.since !== SCHEMA_SINCE) return node.since;
  for (let n = path.length; n > 0; n--) {
    const text = pathText(path.slice(0, n));
    if (Object.hasOwn(CONFIG_KEYS_SINCE_BEFORE_SCHEMA, text)) return CONFIG_KEYS_SINCE_BEFORE_SCHEMA[text];
  }
  return undefined;
}

/** The top-level keys whose absence in older releases the load checks report, in their own words. */
const TOO_NEW_IN_LOAD_CHECKS = new Set(['config_files', 'rules_files']);

function kindMatches(kind: ScalarKind | 'object' | 'array', types: readonly ConfigType[]): boolean {
  if (types.length === 0) return true;
  switch (kind) {
    case 'object': return types.includes('object');
    case 'array': return types.includes('array');
    case 'null': return types.includes('null');
    case 'boolean': return types.includes('boolean');
    case 'integer': return types.includes('integer') || types.includes('number');
    case 'number': return types.includes('number');
    // yaml-cpp reads any scalar as a string when a string is asked for: a plain `8080` is a fine string.
    case 'string': return types.includes('string');
  }
}

function nodeKind(node: Node | null): ScalarKind | 'object' | 'array' {
  if (node === null) return 'null';
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (isScalar(node)) return scalarKind(node);
  return 'string';
}

/** Whether a value fits a schema node by type alone (strings also accept numbers and booleans written plain). */
function fits(node: Node | null, schema: ConfigNode): boolean {
  const kind = nodeKind(node);
  if (kindMatches(kind, schema.types)) return true;
  return (kind === 'integer' || kind === 'number' || kind === 'boolean') && schema.types.includes('string');
}

/** The alternative of a oneOf a value takes (the first whose type fits), or the node itself. */
export function resolveAlternative(node: Node | null, schema: ConfigNode): ConfigNode {
  if (!schema.oneOf || schema.oneOf.length === 0) return schema;
  return schema.oneOf.find((alt) => fits(node, alt)) ?? schema;
}

function allTypes(schema: ConfigNode): ConfigType[] {
  const types = new Set<ConfigType>(schema.types);
  for (const alt of schema.oneOf ?? []) for (const t of alt.types) types.add(t);
  return [...types];
}

const TYPE_WORDS: Record<ConfigType, string> = {
  object: 'a mapping', array: 'a list', string: 'a string', boolean: 'true or false', integer: 'an integer', number: 'a number', null: 'empty',
};
const KIND_WORDS: Record<ScalarKind | 'object' | 'array', string> = {
  object: 'a mapping', array: 'a list', string: 'a string', boolean: 'a boolean', integer: 'an integer', number: 'a number', null: 'an empty value',
};

function describeTypes(types: readonly ConfigType[]): string {
  const words = types.map((t) => TYPE_WORDS[t]);
  return words.length <= 1 ? (words[0] ?? 'anything') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export interface SchemaContext {
  target: string;
  report: ConfigReporter;
  /** The document's text, for the quick fixes that remove a pair. */
  text?: string;
}

/** Validates the whole document against the schema. */
export function checkSchema(root: Node | null, schema: ConfigNode, ctx: SchemaContext): void {
  checkNode(root, schema, [], ctx, undefined);
}

function nextRelease(release: string): string {
  const [major, minor] = release.split('.').map(Number);
  return `${major}.${minor + 1}`;
}

function validates(ctx: SchemaContext): boolean {
  return compareVersions(ctx.target, SCHEMA_SINCE) >= 0;
}

function checkNode(node: Node | null, schema: ConfigNode, path: ConfigPath, ctx: SchemaContext, pair: Pair | undefined): void {
  // An alias left unread (inside its own anchor's node, or past the budget: model.ts readAliases) is not judged.
  if (isAlias(node)) return;
  const chosen = resolveAlternative(node, schema);
  if (isScalar(node) && usesEnvironment(node)) return;
  if (!fits(node, chosen)) {
    const where = node ? nodeSpan(node) : pair ? keySpan(pair) : [0, 0] as [number, number];
    const kind = nodeKind(node);
    const types = allTypes(schema);
    const expected = describeTypes(types);
    if (isScalar(node) && node.value !== null && CONFIG_STRING_SEQUENCES.has(pathText(path))) {
      // Falco reads it as a one-item list: only the schema (0.39 on) has something to say.
      if (!validates(ctx)) return;
      const text = valueText(node);
      const replacement = `[${node.type === 'PLAIN' && /^[^,[\]{}#&*!|>'"%@`]+$/.test(text) && !/:\s/.test(text) ? text : yamlQuote(text)}]`;
      ctx.report(ConfigCode.WrongType, where,
        `${pathText(path)} should be a list: Falco reads the single value as a one-item list, but its schema validation fails on it. Write ${replacement}.`,
        { path: pathText(path), fix: { title: `Write ${replacement}`, edits: [{ span: nodeSpan(node), newText: replacement }] } });
      return;
    }
    // Falco reads scalars with yaml-cpp's as<T>(default): a text it cannot convert gives the default, silently.
    const scalarWanted = isScalar(node) && types.length > 0 && types.every((t) => t === 'boolean' || t === 'integer' || t === 'number');
    const fallback = scalarWanted ? configKeyDoc(pathText(path)) : undefined;
    const reading = scalarWanted
      ? `Falco cannot convert it and silently uses the default${fallback?.whenAbsent ?? fallback?.defaultValue ? ` (${fallback.whenAbsent ?? fallback.defaultValue})` : ''}`
      : isMap(node) && CONFIG_SEQUENCES.has(pathText(path)) ? 'Falco reads no item from a mapping here, as if the list were empty'
        : 'Falco cannot read it as intended';
    const tail = validates(ctx) ? `${reading}, and its schema validation fails on it.` : `${reading}.`;
    const suggestions = booleanTypo(node, types);
    ctx.report(ConfigCode.WrongType, where, `${pathText(path) || 'The file'} should be ${expected}, not ${KIND_WORDS[kind]}. ${tail}${didYouMean(suggestions)}`,
      { path: pathText(path), ...(suggestions.length > 0 ? { suggestions } : {}) });
    return;
  }
  if (isScalar(node)) {
    checkScalar(node, chosen, path, ctx);
    return;
  }
  if (isMap(node)) checkMap(node, chosen, path, ctx);
  else if (isSeq(node) && chosen.items) {
    for (const item of node.items) checkNode(item as Node | null, chosen.items, [...path, '[]'], ctx, undefined);
  }
}

/**
 * The boolean a text yaml-cpp cannot read as one was meant to be: a word of yaml-cpp's in a casing it refuses (`tRUE`,
 * `oN`), or a text within two edits of `true` or `false` (`ture`, `flase`, `tru`; `nope` is three from `true`, and gets
 * none). yaml-cpp's convert<bool>::decode reads y/yes/true/on and n/no/false/off only in lower case, upper case or
 * capitalized (src/convert.cpp IsFlexibleCase at c2bec4c), so those casings never come here.
 */
function booleanTypo(node: Node | null, types: readonly ConfigType[]): string[] {
  if (!isScalar(node) || types.length === 0 || !types.every((t) => t === 'boolean')) return [];
  const lower = valueText(node).toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(lower)) return ['true'];
  if (['n', 'no', 'false', 'off'].includes(lower)) return ['false'];
  return closestNames(lower, ['true', 'false'], 1, 2);
}

/**
 * The JSON types Falco's schema validation grants a scalar (valijson with weak types over yaml-cpp, where every scalar
 * is text): a boolean only when the text is exactly `true` or `false`, an integer only digits, a number what strtod
 * reads whole, null a YAML null or an empty text; any scalar is a string.
 */
function weakTypes(node: Scalar): Set<ConfigType> {
  const text = valueText(node);
  const types = new Set<ConfigType>(['string']);
  if (text === 'true' || text === 'false') types.add('boolean');
  if (/^[-+]?[0-9]+$/.test(text)) { types.add('integer'); types.add('number'); }
  if (/^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(text.trim()) || /^[-+]?(inf|infinity|nan)$/i.test(text)) types.add('number');
  if (text === '' || (node.type === 'PLAIN' && ['~', 'null', 'Null', 'NULL'].includes(text))) types.add('null');
  return types;
}

/** The text Falco's schema validation accepts for what yaml-cpp read (`yes` → `true`, `0x10` → `16`), if any. */
function canonical(node: Scalar, types: readonly ConfigType[]): string | undefined {
  const kind = scalarKind(node);
  if (kind === 'boolean' && types.includes('boolean')) return String(booleanValue(node));
  if (kind === 'integer' && (types.includes('integer') || types.includes('number'))) {
    const text = valueText(node).toLowerCase();
    const sign = text.startsWith('-') ? -1 : 1;
    const digits = text.replace(/^[-+]/, '');
    const value = digits.startsWith('0x') ? parseInt(digits.slice(2), 16) : digits.startsWith('0o') ? parseInt(digits.slice(2), 8) : parseInt(digits, 10);
    return Number.isFinite(value) ? String(sign * value) : undefined;
  }
  return undefined;
}

function checkScalar(node: Scalar, schema: ConfigNode, path: ConfigPath, ctx: SchemaContext): void {
  const granted = weakTypes(node);
  if (validates(ctx) && schema.types.length > 0 && !schema.types.some((t) => granted.has(t))) {
    // yaml-cpp reads it (fits() said so), the schema does not: Falco works, and prints "schema validation: failed".
    const replacement = canonical(node, schema.types);
    ctx.report(ConfigCode.WrongType, nodeSpan(node),
      `Falco reads '${valueText(node)}' as ${describeTypes(schema.types)}, but its schema validation accepts only ${schema.types.includes('boolean') ? 'exactly true or false' : 'plain digits'} and fails on it.`
      + (replacement !== undefined ? ` Write ${replacement}.` : ''),
      { path: pathText(path), ...(replacement !== undefined ? { replacement } : {}) });
    return;
  }
  const text = valueText(node);
  if (schema.enum && schema.enum.length > 0) {
    const allowed = schema.enum.map(String);
    if (!allowed.includes(text)) {
      const suggestions = nearMiss(text, allowed);
      ctx.report(ConfigCode.NotInEnum, nodeSpan(node), `${pathText(path)} is one of ${allowed.map((v) => `'${v}'`).join(', ')}; '${text}' is none of them.${didYouMean(suggestions)}`,
        { path: pathText(path), suggestions, allowed });
    }
  }
  const kind = scalarKind(node);
  const bits = Object.hasOwn(CONFIG_UNSIGNED_KEYS, pathText(path)) ? CONFIG_UNSIGNED_KEYS[pathText(path)] : undefined;
  if (kind === 'integer' && bits !== undefined && streamInteger(text, 0n, (1n << BigInt(bits)) - 1n) === undefined) {
    const fallback = configKeyDoc(pathText(path));
    const byDefault = fallback?.whenAbsent ?? fallback?.defaultValue;
    ctx.report(ConfigCode.OutOfRange, nodeSpan(node),
      `Falco reads ${pathText(path)} as an unsigned ${bits}-bit integer (0 to ${(1n << BigInt(bits)) - 1n}), which '${text}' does not convert to: it silently uses the default${byDefault ? ` (${byDefault})` : ''}${validates(ctx) ? ', and its schema validation does not object' : ''}.`,
      { path: pathText(path) });
    return;
  }
  if ((kind === 'integer' || kind === 'number') && (schema.minimum !== undefined || schema.maximum !== undefined)) {
    const value = Number(text);
    if (schema.minimum !== undefined && value < schema.minimum) {
      ctx.report(ConfigCode.OutOfRange, nodeSpan(node), `${pathText(path)} is at least ${schema.minimum}.`, { path: pathText(path) });
    } else if (schema.maximum !== undefined && value > schema.maximum) {
      ctx.report(ConfigCode.OutOfRange, nodeSpan(node), `${pathText(path)} is at most ${schema.maximum}.`, { path: pathText(path) });
    }
  }
}

function checkMap(map: YAMLMap, schema: ConfigNode, path: ConfigPath, ctx: SchemaContext): void {
  // A {path, strategy} entry of config_files before 0.41 stops Falco (yaml-cpp cannot read it as a path): the load
  // checks report that, not its keys one by one.
  if (pathText(path) === 'config_files[]' && compareVersions(ctx.target, '0.41') < 0) return;
  const props = schema.properties ?? {};
  const seen = new Map<string, Pair>();
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const key = String(item.key.value);
    const keyPath = [...path, key];
    // A key written twice: yaml-cpp (0.7.0 and c2bec4c, Falco 0.37-0.44) reports nothing and keeps both pairs
    // (node_data::insert_map_pair), and a lookup finds the first (node_data::get, detail/impl.h), which is how Falco
    // reads every key (yaml_helper.h get_node). Two readings differ: the top-level keys of a file of config_files are
    // merged pair after pair (yaml_helper.h include_config_file), which loadChecks.ts judges with the merge; and
    // plugins[].init_config is turned into JSON pair after pair (yaml_helper.h convert<nlohmann::json>: res[key] =
    // sub), so there the last one wins.
    const earlier = seen.get(key);
    if (earlier && path.length > 0) {
      const name = pathText(keyPath);
      if (pathText(path).startsWith('plugins[].init_config')) {
        ctx.report(ConfigCode.DuplicateKey, keySpan(earlier), `${name} is set again below in this mapping: Falco passes the plugin the last one (it turns init_config into JSON key after key), so this one is not used. Keep one.`,
          { path: name, ...(ctx.text !== undefined ? removalData(ctx.text, map, earlier, key) : {}) });
        seen.set(key, item);
      } else {
        ctx.report(ConfigCode.DuplicateKey, keySpan(item), `${name} is already set above in this mapping: Falco reads the first one and ignores this one without a word (yaml-cpp keeps both and finds a key's first). Keep one.`,
          { path: name, ...(ctx.text !== undefined ? removalData(ctx.text, map, item, key) : {}) });
        continue;
      }
    } else if (!earlier) {
      seen.set(key, item);
    }
    // Own keys only: a key named like an Object property (`constructor`, `toString`) is an unknown key, not a function.
    const child = (Object.hasOwn(props, key) ? props[key] : undefined) ?? schema.values;
    if (!child) {
      const name = pathText(keyPath);
      const outside = readOutsideSchema(name);
      if (outside && compareVersions(ctx.target, outside.lastRead) <= 0) {
        // Falco reads it: only its schema validation has something to say (a warning Falco logs as it starts).
        if (!outside.reportedByLoadChecks && validates(ctx)) {
          ctx.report(ConfigCode.UnknownKey, keySpan(item),
            `Falco ${ctx.target} reads ${name}, but its schema does not list it: the schema validation fails on it (Falco logs that and starts).`,
            { path: name, key, suggestions: [] });
        }
        continue;
      }
      const removed = Object.hasOwn(CONFIG_KEYS_REMOVED_IN_0_37, name) ? CONFIG_KEYS_REMOVED_IN_0_37[name] : undefined;
      if (removed && keyPath.length === 1) {
        ctx.report(ConfigCode.KeyRemoved, keySpan(item), `${name}: ${removed}${validates(ctx) ? ' Falco\'s schema validation fails on it.' : ''}`, { path: name });
        continue;
      }
      const legacy = Object.entries(LEGACY_CONFIG_KEYS).filter(([p]) => p === name || p.startsWith(`${name}.`));
      if (legacy.length > 0) {
        const [, info] = legacy[0];
        if (compareVersions(ctx.target, info.lastRead) > 0) {
          ctx.report(ConfigCode.KeyRemoved, keySpan(item),
            `${name} is no longer read since Falco ${nextRelease(info.lastRead)}: its setting moved to ${legacy.map(([p, l]) => (legacy.length > 1 ? `${p} → ` : '') + l.movedTo).join(', ')}.`
            + (validates(ctx) ? ' Falco\'s schema validation fails on it.' : ''),
            { path: name });
        }
        continue;
      }
      const readAs = Object.entries(CONFIG_KEYS_READ_AS).find(([, r]) => r.readsAs === name);
      if (readAs && compareVersions(ctx.target, readAs[1].until) <= 0 && compareVersions(ctx.target, SCHEMA_SINCE) >= 0) {
        ctx.report(ConfigCode.UnknownKey, keySpan(item),
          `Falco ${ctx.target} reads ${name} (in place of ${readAs[0]}, which it does not read), but its schema does not list it: the schema validation fails on it.`,
          { path: name, key, suggestions: [] });
        continue;
      }
      if (schema.closed) reportUnknownKey(item, key, keyPath, Object.keys(props), schema, ctx, map);
      continue;
    }
    const misread = Object.hasOwn(CONFIG_KEYS_READ_AS, pathText(keyPath)) ? CONFIG_KEYS_READ_AS[pathText(keyPath)] : undefined;
    if (misread && compareVersions(ctx.target, SCHEMA_SINCE) >= 0 && compareVersions(ctx.target, misread.until) <= 0
      && readingText(item.value as Node | null) !== misread.anyway) {
      ctx.report(ConfigCode.KeyTooNew, keySpan(item),
        `Falco ${ctx.target} does not read ${pathText(keyPath)}: it reads ${misread.readsAs} instead (which its schema does not list), so this setting has no effect.`,
        { path: pathText(keyPath), readsAs: misread.readsAs });
      continue;
    }
    if (child.removedIn && compareVersions(ctx.target, child.removedIn) >= 0) {
      ctx.report(ConfigCode.KeyRemoved, keySpan(item),
        `${pathText(keyPath)} was removed in Falco ${child.removedIn}: ${validates(ctx) ? 'its schema validation fails on it and ' : ''}Falco ${ctx.target} ignores it.`,
        { path: pathText(keyPath) });
      continue;
    }
    const since = keySince(keyPath, child);
    if (since && compareVersions(ctx.target, since) < 0) {
      if (!(keyPath.length === 1 && TOO_NEW_IN_LOAD_CHECKS.has(key))) {
        ctx.report(ConfigCode.KeyTooNew, keySpan(item),
          `${pathText(keyPath)} is read from Falco ${since} on; Falco ${ctx.target} ${validates(ctx) ? 'fails schema validation on it and ' : ''}ignores it.`,
          { path: pathText(keyPath), since });
      }
      continue;
    }
    checkNode(item.value as Node | null, child, keyPath, ctx, item);
  }
  for (const required of schema.required ?? []) {
    if (!seen.has(required)) {
      const first = map.items.find(isPair);
      const span: [number, number] = first ? keySpan(first) : nodeSpan(map);
      ctx.report(ConfigCode.MissingKey, span, `${pathText(path) || 'This mapping'} needs the key '${required}'.`, { path: pathText(path), key: required });
    }
  }
}

/** A scalar's text as Falco reads it (a boolean as true/false), a list's items' joined by `,`. */
function readingText(node: Node | null): string | undefined {
  if (isSeq(node)) return node.items.map((i) => (isScalar(i) ? valueText(i) : '?')).join(',');
  if (!isScalar(node)) return undefined;
  const b = booleanValue(node);
  return b !== undefined ? String(b) : valueText(node);
}

function reportUnknownKey(item: Pair, key: string, keyPath: ConfigPath, known: string[], schema: ConfigNode, ctx: SchemaContext, map: YAMLMap): void {
  const current = known.filter((k) => {
    const p = schema.properties![k];
    const since = keySince([...keyPath.slice(0, -1), k], p);
    return !(p.removedIn && compareVersions(ctx.target, p.removedIn) >= 0) && !(since && compareVersions(ctx.target, since) < 0);
  });
  // A key the mapping has already is no suggestion: renamed to it, the key would be written twice (Falco reads the
  // first, and the other is lost); the message says it is there.
  const present = new Set(map.items.filter((p): p is Pair => isPair(p) && isScalar(p.key)).map((p) => String((p.key as Scalar).value)));
  const suggestions = closestNames(key, current.filter((k) => !present.has(k)), 3);
  const closest = suggestions.length ? undefined : closestNames(key, current, 1)[0];
  const hint = closest !== undefined && present.has(closest) ? ` The mapping has '${closest}' already.` : didYouMean(suggestions);
  const effect = validates(ctx)
    ? 'Falco\'s schema validation fails on it, and Falco ignores it.'
    : `Falco ${ctx.target} does not validate its configuration and silently ignores it.`;
  ctx.report(ConfigCode.UnknownKey, keySpan(item), `Unknown key '${key}' in ${pathText(keyPath.slice(0, -1)) || 'the configuration'}. ${effect}${hint}`,
    { path: pathText(keyPath), key, suggestions });
}

/** The schema node at a path (through oneOf alternatives that are objects or arrays), or undefined. */
export function schemaAt(schema: ConfigNode, path: ConfigPath): ConfigNode | undefined {
  let node: ConfigNode | undefined = schema;
  for (const part of path) {
    if (!node) return undefined;
    node = step(node, part);
  }
  return node;
}

function step(node: ConfigNode, part: string): ConfigNode | undefined {
  if (part === '[]') {
    if (node.items) return node.items;
    for (const alt of node.oneOf ?? []) if (alt.items) return alt.items;
    return undefined;
  }
  if (node.properties && Object.hasOwn(node.properties, part)) return node.properties[part];
  for (const alt of node.oneOf ?? []) if (alt.properties && Object.hasOwn(alt.properties, part)) return alt.properties[part];
  return node.values ?? node.oneOf?.find((alt) => alt.values)?.values;
}

/** The keys an object node offers (through its object alternatives). */
export function keysOf(node: ConfigNode): [string, ConfigNode][] {
  const out = new Map<string, ConfigNode>(Object.entries(node.properties ?? {}));
  for (const alt of node.oneOf ?? []) for (const [k, v] of Object.entries(alt.properties ?? {})) if (!out.has(k)) out.set(k, v);
  return [...out];
}
