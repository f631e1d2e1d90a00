// A Falco Operator resource's scalars as they reach Falco or the API server, where that is not what is written.
//
// spec.inlineRules and spec.config go through kubectl (YAML 1.1) and the API server's JSON, and the operator writes
// them back as YAML (kubectlYaml.ts operatorWrittenBack): a plain `0777` in a list reaches Falco as the item '511',
// `yes` as 'true'. Falco Lens checks the text as written, so each scalar whose reading by Falco (yaml-cpp, asked for
// the type Falco asks for there) changes on the way is flagged at the scalar, with a quick fix quoting it (a quoted
// scalar is a string for kubectl and is written back as the same string). A mapping key kubectl reads as no string
// is written as JSON's text key (`on:` reaches Falco as the key 'true', `0777:` as '511'), or refused (`~:`): flagged
// the same way (keyProblem). Names the API server reads as strings
// (metadata.name, spec.configMapRef.name) are refused when kubectl reads a number or a boolean there.
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Alias, type Node, type Scalar, type YAMLMap } from 'yaml';
import { helmWrittenBack, jsonKey, kubectlKey, kubectlScalar, kubectlWords, operatorWrittenBack, yamlCppReads, type KubectlScalar, type YamlCppType } from '../kubectlYaml';
import { yamlQuote } from '../yamlText';
import { FALCO_CONFIG_SCHEMA, type ConfigType } from '../../knowledge/falcoConfigSchema';
import { schemaAt } from '../config/schemaCheck';

export interface ScalarProblem { span: readonly [number, number]; severity: 'error' | 'warning' | 'information'; message: string; replacement: string; fixTitle: string }

const YAML11 = 'YAML 1.1, as Kubernetes\' clients read a manifest';
const RULES_DIR = 'into /etc/falco/rules.d';
const CONFIG_DIR = 'into /etc/falco/config.d';

/** A plain untagged scalar's text (the only kind kubectl reads otherwise than it is written), else undefined. */
function plainText(node: unknown): string | undefined {
  return isScalar(node) && node.type === 'PLAIN' && node.tag === undefined && node.source !== undefined && node.source !== '' ? node.source : undefined;
}

function spanOf(node: Node): readonly [number, number] {
  const range = node.range!;
  return [range[0], range[1]];
}

function quoteFix(text: string, what = 'value'): { replacement: string; fixTitle: string } {
  return { replacement: yamlQuote(text), fixTitle: `Quote the ${what} (${yamlQuote(text)})` };
}

/** How Falco reads the scalar at a path of a rules item or of the configuration: the type it asks yaml-cpp for, the
 *  words naming it, and how much a change matters. */
interface Role { as: YamlCppType; label: string; severity: 'warning' | 'information'; effect?: string }

/** Calls `scalar` on every scalar under `node` with its path (keys, '[]' for a list's items), `key` on every
 *  mapping key and `map` on every mapping, as far down as a manifest goes (32 levels). */
function walk(node: unknown, scalar: (n: unknown, path: readonly string[]) => void, key: (k: unknown) => void, map?: (m: YAMLMap) => void): void {
  const visit = (n: unknown, path: string[], depth: number) => {
    if (depth > 32) return;
    if (isSeq(n)) for (const item of n.items) visit(item, [...path, '[]'], depth + 1);
    else if (isMap(n)) {
      map?.(n);
      for (const pair of n.items) {
        key(pair.key);
        visit(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : ''], depth + 1);
      }
    } else scalar(n, path);
  };
  visit(node, [], 0);
}

/** What the operator writes back for a plain scalar kubectl reads as a boolean or a number: its reading, and the text
 *  written back (undefined where kubectl refuses it); undefined for a scalar written back as it is. */
function writtenBack(n: unknown, reader: ExpandingReader): { text: string; read: KubectlScalar; back: string | undefined } | undefined {
  const text = plainText(n);
  if (text === undefined) return undefined;
  const read = kubectlScalar(n)!;
  if (read.type === 'string' || read.type === 'null') return undefined; // written back the same, and null is null to yaml-cpp
  return { text, read, back: reader.back(read) };
}

/** A mapping key as a key of the Go map go-yaml v2 decodes the mapping into (`id`: equal for keys the map holds
 *  once; NaN, which equals nothing, gets one of its own), kubectl's reading of it and the JSON key it becomes
 *  (jsonKey); undefined for a key kubectl refuses (null, past int64, a collection) and for the merge key `<<`, which
 *  go-yaml reads otherwise. */
export function goMapKey(key: unknown, nan: () => string): { id: string; read: KubectlScalar; json: string } | undefined {
  if (!isScalar(key) || (key.type === 'PLAIN' && key.tag === undefined && key.source === '<<')) return undefined;
  const read = kubectlScalar(key);
  const json = read && jsonKey(read);
  if (!read || read.type === 'null' || !json || 'refused' in json) return undefined;
  return { id: read.type === 'float' && Number.isNaN(read.value) ? nan() : `${read.type}:${String(read.value)}`, read, json: json.text };
}

/** A pair of an inlineRules or config mapping that never reaches Falco, at its key; `span` the text it takes. */
interface DroppedPair { key: Scalar; span: readonly [number, number]; message: string }

/**
 * The pairs of the mappings under `node` (a Rulesfile's inlineRules, a Config's config) that kubectl drops. kubectl
 * decodes the manifest with go-yaml v2 into Go maps (sigs.k8s.io/yaml YAMLToJSON, yaml.Unmarshal without strict
 * mode), and a pair whose key the map holds already replaces it (decode.go at v2.4.0 `mapping` and `setMapIndex`:
 * out.SetMapIndex, an error only when strict): the last pair of a key is the one sent, and the operator writes back
 * that one. Keys kubectl reads the same are one key (`on` and `true`, `0777` and `511`, `a` and `"a"`). kubectl
 * applies such a manifest without a word (kubernetes#89303, #99286: the last value stands). Keys of the map that
 * differ (`"true"`, a string, and `on`, a boolean; `1e3`, a float, and `1000`) can still become one JSON key:
 * YAMLToJSON's convertToJSONableObject (yaml.go:205-249 at v1.6.0) ranges over the Go map, in Go's random order, and
 * writes each into a map[string]interface{}, so whichever comes last stays, from run to run another: Falco Lens checks
 * the later pair there and says so at the other. `text` is the host's.
 */
function droppedPairs(node: unknown, text: string, where: string, reader: ExpandingReader): DroppedPair[] {
  const out: DroppedPair[] = [];
  let nans = 0;
  walk(node, () => undefined, () => undefined, (map) => {
    // The last pair of each key of the Go map, then the last of those of each JSON key.
    const last = new Map<string, number>();
    const lastJson = new Map<string, number>();
    const keys = map.items.map((pair) => goMapKey(pair.key, () => `nan:${nans++}`));
    keys.forEach((k, i) => { if (k) last.set(k.id, i); });
    keys.forEach((k, i) => { if (k && last.get(k.id) === i) lastJson.set(k.json, i); });
    const written = (i: number) => text.slice((map.items[i].key as Node).range![0], (map.items[i].key as Node).range![1]);
    keys.forEach((k, i) => {
      if (!k) return;
      const kept = last.get(k.id)!;
      const keptJson = lastJson.get(k.json)!;
      if (kept === i && keptJson === i) return;
      const key = map.items[i].key as Scalar;
      let message: string;
      if (kept !== i) {
        const same = written(kept) === written(i) ? `the key ${written(i)} again` : `${written(kept)}, which ${reader.name} reads as the same key, ${kubectlWords(k.read)} (${reader.yaml11})`;
        message = `This ${written(i)} never reaches Falco: a later pair of this mapping has ${same}, and ${reader.name} keeps the last value of a key (go-yaml decodes the mapping into a map, each pair replacing the one before). ${capitalized(reader.writer)} writes only the later one ${where}. Keep one.`;
      } else {
        const other = keys[keptJson]!;
        message = `${reader.name} reads ${written(i)} as ${kubectlWords(k.read)} and the later ${written(keptJson)} as ${kubectlWords(other.read)} (${reader.yaml11}): two keys of its map, which both become the JSON key '${k.json}' (JSON keys are text), and ${reader.name} keeps whichever it writes last, in Go's random map order. Which of them reaches Falco changes from one ${reader.name} run to the next; Falco Lens checks the later one. Keep one.`;
      }
      out.push({ key, span: pairSpan(map, i, text), message });
    });
  });
  return out;
}

/** The text pair `i` of `map` takes: from its key to the end of its value (a flow mapping's pair up to the next key,
 *  its comma included, so that what is left still reads). */
function pairSpan(map: YAMLMap, i: number, text: string): readonly [number, number] {
  const pair = map.items[i];
  const start = (pair.key as Node).range![0];
  const next = map.items[i + 1]?.key as Node | undefined;
  if (map.flow && next?.range) return [start, next.range[0]];
  let end = Math.max((pair.key as Node).range![1], (pair.value as Node | null)?.range?.[1] ?? 0);
  // A key without a value ends at its ':'.
  let at = end;
  while (text[at] === ' ' || text[at] === '\t') at++;
  if (text[at] === ':') end = at + 1;
  return [start, end];
}

/**
 * The pairs of the chart's `falco:` values set to null (`~`, `null`, nothing), which Helm removes: coalescing the
 * values given to the chart over its own, a key whose value is null is deleted, the chart's default with it (helm
 * pkg/chartutil/coalesce.go coalesceTablesFullKey at v3.19.5: "dst[key] == nil: delete(dst, key)"), so falco.yaml
 * does not have it and Falco uses its own default. That holds in every release where the chart's values.yaml gives
 * the key a value, as the Falco chart's does for falco.yaml's keys; otherwise releases differ (v3.19.4 and before
 * delete the keys the chart has, null or not; v3.19.5 to v4.1 every key set to null, coalesceTablesFullKey first
 * copying the null keys into the chart's table; v4.2 only keys the chart gives a value, `srcOriginalNonNil`), and a
 * key kept is written as null. Falco Lens does not have the chart's values and takes the key out. A block mapping all of whose pairs are null is still written, as `{}`: its first pair is marked
 * `empty`, to be written over by `{}` (operatorTextChanges). `path` is the key's, dotted.
 */
function nullPairs(node: unknown, text: string): { key: Scalar; span: readonly [number, number]; path: string; empty?: true }[] {
  const out: { key: Scalar; span: readonly [number, number]; path: string; empty?: true }[] = [];
  const visit = (n: unknown, path: string, depth: number) => {
    if (depth > 32) return;
    if (isSeq(n)) { for (const item of n.items) visit(item, `${path}[]`, depth + 1); return; }
    if (!isMap(n)) return;
    const isNull = (v: unknown) => kubectlScalar(v)?.type === 'null' && !isAlias(v);
    const named = (k: unknown): k is Scalar => isScalar(k) && !isMergeKey(k);
    const pairs = n.items.filter((p) => named(p.key));
    const all = pairs.length > 0 && pairs.every((p) => isNull(p.value));
    n.items.forEach((pair, i) => {
      const key = pair.key;
      if (!named(key)) return;
      const keyPath = path ? `${path}.${String(key.value)}` : String(key.value);
      if (isNull(pair.value)) out.push({ key, span: pairSpan(n, i, text), path: keyPath, ...(all && !n.flow && pair === pairs[0] ? { empty: true as const } : {}) });
      else visit(pair.value, keyPath, depth + 1);
    });
  };
  visit(node, '', 0);
  return out;
}

/** Information at the keys of the chart's `falco:` values that Helm removes for their null value (nullPairs). */
export function chartNullProblems(node: Node, text: string): { span: readonly [number, number]; message: string }[] {
  return nullPairs(node, text).map((p) => ({
    span: spanOf(p.key),
    message: `Helm removes a key set to null from the values it lays over the chart's (a value given to the chart: the chart's own default of it goes too), so falco.yaml has no '${p.path}' and Falco uses its own default. Falco Lens checks the values without it. (Where the chart's values.yaml does not have the key, Helm 3.19.5 to 4.1 remove it too, and other releases write it into falco.yaml as null.)`,
  }));
}

/** Problems at the keys of the pairs kubectl drops (droppedPairs). */
export function droppedPairProblems(node: Node, text: string, kind: 'Rulesfile' | 'Config' | 'Helm'): { span: readonly [number, number]; message: string }[] {
  const [where, reader] = kind === 'Helm' ? [CHART_CONFIG, HELM] : [kind === 'Rulesfile' ? RULES_DIR : CONFIG_DIR, KUBECTL];
  return droppedPairs(node, text, where, reader).map((d) => ({ span: spanOf(d.key), message: d.message }));
}

/**
 * The text Falco receives in place of what is written, under an inlineRules or a config `node`: each plain scalar the
 * operator writes back otherwise (`0777` as 511, `yes` as true), each key kubectl turns into another text (`on:`
 * as "true", written quoted as the operator writes it), and blanks for each pair kubectl drops (droppedPairs: the
 * same length, lines included, so that positions stay). What kubectl refuses is left as written. `text` is the host's.
 */
export function operatorTextChanges(node: Node, text: string, reader: ExpandingReader = KUBECTL): { span: readonly [number, number]; text: string }[] {
  const duplicates = droppedPairs(node, text, '', reader).map((d) => d.span);
  const inDuplicate = (span: readonly [number, number]) => duplicates.some(([s, e]) => span[0] >= s && span[1] <= e);
  // Helm also removes the pairs set to null (nullPairs): a block mapping left empty is `{}`.
  const nulls = reader.removesNulls ? nullPairs(node, text).filter((p) => !inDuplicate(p.span)) : [];
  const dropped = [...duplicates, ...nulls.map((p) => p.span)];
  const blank = (span: readonly [number, number]) => text.slice(span[0], span[1]).replace(/[^\r\n]/g, ' ');
  const out: { span: readonly [number, number]; text: string }[] = [
    ...duplicates.map((span) => ({ span, text: blank(span) })),
    ...nulls.map((p) => ({ span: p.span, text: p.empty ? `{}${blank(p.span).slice(2)}` : blank(p.span) })),
  ];
  const inDropped = (span: readonly [number, number]) => dropped.some(([s, e]) => span[0] >= s && span[1] <= e);
  walk(node, (n) => {
    const changed = writtenBack(n, reader);
    if (changed?.back !== undefined && changed.back !== changed.text && !inDropped(spanOf(n as Node))) out.push({ span: spanOf(n as Node), text: changed.back });
  }, (k) => {
    const changed = kubectlKey(k);
    if (changed && 'text' in changed && !inDropped(spanOf(k as Node))) out.push({ span: spanOf(k as Node), text: `"${changed.text}"` });
  });
  return out.sort((a, b) => a.span[0] - b.span[0]);
}

/**
 * Every scalar under `node` whose reading by Falco changes between what is written and what the operator writes back
 * (`role` says how Falco reads the scalar at a path: keys, '[]' for a list's items), and every key that changes.
 */
function writtenBackProblems(node: unknown, role: (path: readonly string[]) => Role, where: string, reader: ExpandingReader = KUBECTL): ScalarProblem[] {
  const out: ScalarProblem[] = [];
  walk(node, (n, path) => {
    const changed = writtenBack(n, reader);
    if (!changed) return;
    const { text, read, back } = changed;
    const span = spanOf(n as Node);
    if (back === undefined) {
      out.push({
        span, severity: 'error', ...quoteFix(text),
        message: `${reader.refuses}: it reads ${text} as ${kubectlWords(read)} (${reader.yaml11}), which JSON cannot hold ('json: unsupported value'). Quote it to send the text.`,
      });
      return;
    }
    const r = role(path);
    const before = yamlCppReads(text, r.as);
    const after = yamlCppReads(back, r.as);
    if (before === after) return;
    const written = before === undefined ? `; '${text}' as written is no ${r.as === 'bool' ? 'boolean' : 'number'} to Falco` : `, not ${before} as written`;
    out.push({
      span, severity: before === undefined ? 'information' : r.severity, ...quoteFix(text),
      message: `${reader.name} reads ${text} as ${kubectlWords(read)} (${reader.yaml11}) and ${reader.writer} writes it back as ${back} ${where}: Falco reads ${r.label} as ${after ?? `'${back}', which it does not convert`}${written}${before === undefined ? '' : r.effect ?? ''}. Quote it to keep what is written.`,
    });
  }, (k) => {
    const problem = keyProblem(k, where, reader);
    if (problem) out.push(problem);
  });
  return out;
}

/** A mapping key kubectl reads as no string (kubectlKey): it reaches Falco as another text, or kubectl refuses the
 *  manifest. No key Falco knows by name is such a word or number, so Falco reads another key than the one written. */
function keyProblem(key: unknown, where: string, reader: ExpandingReader): ScalarProblem | undefined {
  const changed = kubectlKey(key);
  if (!changed) return undefined;
  const text = (key as Scalar).source!;
  const read = kubectlWords(kubectlScalar(key)!);
  if ('refused' in changed) {
    return {
      span: spanOf(key as Node), severity: 'error', ...quoteFix(text, 'key'),
      message: `${reader.refuses}: it reads the key ${text || '(empty)'} as ${read} (${reader.yaml11}), which a JSON object cannot have as a key ('unsupported map key of type: ${changed.refused}'). Quote it to send the text.`,
    };
  }
  return {
    span: spanOf(key as Node), severity: 'warning', ...quoteFix(text, 'key'),
    message: `${reader.name} reads the key ${text} as ${read} (${reader.yaml11}), and JSON keys are text: ${reader.writer} writes it back as the key '${changed.text}' ${where}, so Falco reads the key '${changed.text}', not '${text}' as written. Quote it to keep what is written.`,
  };
}

/** Rules item keys Falco reads as a bool, an integer, or an integer else a string (rule_loader_reader.cpp at 0.44.0:
 *  decode_val's types, required_engine_version first as a uint32 then as a semver string). */
const RULE_BOOLS = new Set(['enabled', 'append', 'capture', 'warn_evttypes', 'skip-if-unknown-filter']);
const ITEM_NAMES = new Set(['rule', 'macro', 'list']);

function ruleRole(list: readonly string[]): Role {
  const path = list.slice(1); // from the item's keys
  const [key, , sub] = path;
  if (path.length === 1 && RULE_BOOLS.has(key)) return { as: 'bool', label: key, severity: 'information' };
  if (path.length === 1 && key === 'capture_duration') return { as: 'int', label: key, severity: 'information' };
  if (path.length === 1 && ITEM_NAMES.has(key)) return { as: 'string', label: `the ${key} name`, severity: 'warning', effect: ': another item than the one written, which what refers to it by name does not find' };
  if (key === 'items') return { as: 'string', label: 'the list item', severity: 'warning', effect: ': the list holds another value, and a condition using it matches something else' };
  if (key === 'exceptions' && (sub === 'values' || sub === 'fields' || sub === 'comps' || sub === 'name')) {
    return { as: 'string', label: `the exception's ${sub === 'values' ? 'value' : sub === 'name' ? 'name' : sub === 'fields' ? 'field' : 'operator'}`, severity: 'warning', effect: sub === 'values' ? ': the exception matches something else' : '' };
  }
  if (key === 'tags') return { as: 'string', label: 'the tag', severity: 'information', effect: ': tag selections (-T, -t, the rules setting of falco.yaml) see another tag' };
  return { as: 'string', label: path.filter((p) => p !== '[]').join('.') || 'the item', severity: 'information' };
}

/** The scalars of a Rulesfile's inlineRules (a list of rules items) whose reading by Falco changes on the way. */
export function inlineRulesProblems(node: Node): ScalarProblem[] {
  return writtenBackProblems(node, ruleRole, RULES_DIR);
}

/** How Falco reads a configuration key's value, from its schema: a bool, an integer or a double where that is its
 *  only type, else the text; a value the schema leaves open (a plugin's init_config) as the JSON Falco makes of it,
 *  an information (its effect is the plugin's). */
function configRole(path: readonly string[]): Role {
  const schema = schemaAt(FALCO_CONFIG_SCHEMA, path);
  const label = path.join('.').replace(/\.\[\]/g, '[]');
  if (!schema || (schema.types.length === 0 && !schema.oneOf?.length)) return { as: 'json', label, severity: 'information' };
  const types = new Set<ConfigType>([...schema.types, ...(schema.oneOf ?? []).flatMap((alt) => alt.types)]);
  types.delete('null');
  const only = types.size === 1 ? [...types][0] : undefined;
  const as: YamlCppType = only === 'boolean' ? 'bool' : only === 'integer' ? 'int' : only === 'number' ? 'number' : 'string';
  return { as, label, severity: as === 'string' && !types.has('string') ? 'information' : 'warning' };
}

/** The scalars of a Config's config (a mapping of falco.yaml's keys) whose reading by Falco changes on the way. */
export function operatorConfigProblems(node: Node): ScalarProblem[] {
  return writtenBackProblems(node, configRole, CONFIG_DIR);
}

/** The scalars of the Falco chart's `falco:` values whose reading by Falco changes on the way through Helm and the
 *  chart's toYaml (kubectlYaml.ts helmWrittenBack). */
export function chartConfigProblems(node: Node): ScalarProblem[] {
  return writtenBackProblems(node, configRole, CHART_CONFIG, HELM);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The spans among `spans` that are the whole of an untagged plain scalar of `text` (a Rulesfile's inlineRules file):
 *  the text written there is what kubectl resolves (kubectlPlain); a quoted or block scalar, or part of a longer
 *  plain one, is a string to kubectl whatever it holds. */
export function wholePlainScalars(text: string, spans: readonly (readonly [number, number])[]): (readonly [number, number])[] {
  if (spans.length === 0) return [];
  const plain = new Set<string>();
  visit(parseDocument(text, { uniqueKeys: false }), { Scalar(_, node) { if (plainText(node) !== undefined) plain.add(`${node.range![0]}:${node.range![1]}`); } });
  return spans.filter(([start, end]) => plain.has(`${start}:${end}`));
}

/** A name the API server reads as a string (`what`: metadata.name, spec.configMapRef.name) that kubectl reads as a
 *  number or a boolean: Kubernetes refuses the resource. */
export function nameProblem(node: unknown, what: string, kind: string): ScalarProblem | undefined {
  const text = plainText(node);
  if (text === undefined) return undefined;
  const read = kubectlScalar(node)!;
  if (read.type === 'string' || read.type === 'null') return undefined;
  return {
    span: spanOf(node as Node), severity: 'error', ...quoteFix(text),
    message: `Kubernetes refuses this ${kind}: ${what} must be a string, and kubectl reads ${text} as ${kubectlWords(read)} (${YAML11}). Write it quoted.`,
  };
}

// Kubernetes' object names (k8s.io/apimachinery/pkg/util/validation/validation.go IsDNS1123Subdomain and
// IsDNS1123Label): metadata.name of a ConfigMap (ValidateConfigMapName, NameIsDNSSubdomain) and of a custom resource
// such as a Rulesfile or a Config (apiextensions-apiserver's validator: ValidateObjectMetaAccessor with
// NameIsDNSSubdomain) is a DNS-1123 subdomain; metadata.namespace a DNS-1123 label (ValidateNamespaceName).
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_RULES = {
  subdomain: { pattern: new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`), max: 253, words: 'a lowercase RFC 1123 subdomain: lower case letters, digits, \'-\' and \'.\', starting and ending with a letter or a digit' },
  label: { pattern: new RegExp(`^${DNS1123_LABEL}$`), max: 63, words: 'a lowercase RFC 1123 label: lower case letters, digits and \'-\', starting and ending with a letter or a digit' },
} as const;

/** A name kubectl sends as a string (`what`: metadata.name, metadata.namespace) that the API server refuses. */
export function dnsNameProblem(node: unknown, what: string, kind: string, rule: keyof typeof DNS_RULES): { span: readonly [number, number]; message: string } | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const read = kubectlScalar(node);
  if (read?.type !== 'string' || read.value === '') return undefined;
  const { pattern, max, words } = DNS_RULES[rule];
  const name = read.value;
  if (name.length <= max && pattern.test(name)) return undefined;
  return {
    span: spanOf(node),
    message: `Kubernetes refuses this ${kind}: ${what} '${name}' must be ${words}, of at most ${max} characters${name.length > max ? ` (it has ${name.length})` : ''}.`,
  };
}

// ---- Merge keys and aliases, which kubectl expands ----
//
// kubectl reads a manifest with go-yaml v2 (sigs.k8s.io/yaml YAMLToJSON, yaml.Unmarshal into interface{}: go.yaml.in/
// yaml/v2 v2.4.2 at sigs.k8s.io/yaml v1.6.0, the goyaml.v2 copy of v2.4.0 at v1.4.0, decode.go the same in both) and
// sends JSON, so what the operator writes back holds no alias and no merge key. An alias becomes a copy of the node its
// anchor names (decoder.alias), an anchor that must come before it in the YAML document (parser.alias: "unknown
// anchor '%s' referenced" otherwise); a plain `<<` key (or one tagged !!merge: isMerge) sets the pairs of its mapping
// into the mapping holding it, at its place, so that a later pair of the same key replaces them and they replace an
// earlier one (decoder.mapping, decode.go:661-665; a list of mappings is merged from its last to its first, the first
// taking precedence: decoder.merge, :786-811; any other value: "map merge requires map or sequence of maps as the
// value"). An alias whose anchor lies in the same inlineRules or config reads the same with Falco's YAML reader
// (yaml-cpp copies the anchored node too), and is checked as written. A merge key, which yaml-cpp does not have, and an
// alias of a node outside the block, which the embedded file does not hold, are not read as kubectl reads them: the
// block is not checked (expansionProblems says why); one that kubectl refuses is an error.

/** The anchors of a YAML document, by name, in the order they are written (node and where it starts). */
function anchorsOf(root: unknown): Map<string, { node: Node; at: number }[]> {
  const out = new Map<string, { node: Node; at: number }[]>();
  const visit = (n: unknown, depth: number) => {
    if (depth > 64 || !n || typeof n !== 'object') return;
    const anchored = n as Node & { anchor?: string };
    if (anchored.anchor && anchored.range) {
      const list = out.get(anchored.anchor) ?? [];
      list.push({ node: anchored, at: anchored.range[0] });
      out.set(anchored.anchor, list);
    }
    if (isSeq(n)) for (const item of n.items) visit(item, depth + 1);
    else if (isMap(n)) for (const pair of n.items) { visit(pair.key, depth + 1); visit(pair.value, depth + 1); }
  };
  visit(root, 0);
  return out;
}

/** The node an alias names as go-yaml v2 reads it: the last anchor of its name written before it, if any. */
function anchorOf(anchors: Map<string, { node: Node; at: number }[]>, alias: Alias): { node: Node; at: number } | undefined {
  const at = alias.range?.[0] ?? 0;
  return (anchors.get(alias.source) ?? []).filter((a) => a.at < at).pop();
}

function isMergeKey(key: unknown): key is Scalar {
  return isScalar(key) && ((key.type === 'PLAIN' && key.tag === undefined && key.source === '<<') || key.tag === 'tag:yaml.org,2002:merge');
}

/** Who expands a block's merge keys and aliases before Falco gets it (go-yaml v2 in both), and who writes it for
 *  Falco: kubectl for the operator's resources; Helm for the chart's values (helm pkg/chartutil/values.go ReadValues,
 *  v3.19.5, and pkg/chart/common/values.go at 4.x: sigs.k8s.io/yaml v1.6.0 Unmarshal), whose configmap.yaml writes
 *  `falco:` as falco.yaml. */
export interface ExpandingReader {
  name: string; refuses: string; writes: string; these(field: string): string;
  /** How it reads a plain scalar (YAML 1.1), in words; who writes the values back for Falco, and how. */
  yaml11: string; writer: string; back(read: KubectlScalar): string | undefined;
  /** Whether a key set to null is removed before the values are written (Helm's values given to a chart: nullPairs). */
  removesNulls?: boolean;
}
export const KUBECTL: ExpandingReader = {
  name: 'kubectl', refuses: 'kubectl refuses this manifest', writes: 'the operator writes that copy for Falco', these: (field) => `this ${field}`,
  yaml11: YAML11, writer: 'the operator', back: operatorWrittenBack,
};
export const HELM: ExpandingReader = {
  name: 'Helm', refuses: 'Helm refuses these values', writes: 'the chart writes that copy into falco.yaml', these: () => 'these values',
  yaml11: 'YAML 1.1, as Helm reads values', writer: 'the chart', back: helmWrittenBack, removesNulls: true,
};
/**
 * Helm reading a chart's own values.yaml (the file beside its Chart.yaml: helm pkg/chart/loader/load.go:105 at
 * v3.19.5 takes it as the chart's values). Its nulls are the chart's defaults, which coalescing copies where the values
 * given to the chart leave the key out (coalesce.go coalesceTablesFullKey: `dst[key] = val`, in every release), and
 * toYaml writes `null` into falco.yaml: they are checked as written. Whether an install's values remove the key
 * Falco Lens cannot know.
 */
export const HELM_CHART_DEFAULTS: ExpandingReader = { ...HELM, removesNulls: false };
/** Where the chart writes its `falco:` values. */
const CHART_CONFIG = 'into falco.yaml';

/**
 * The merge keys and aliases under `node` (a Rulesfile's inlineRules, a Config's config; `root` its YAML document's
 * contents) that kubectl expands otherwise than Falco Lens reads the block: each at its `<<` or its alias, with why.
 * Empty when the block reads as kubectl sends it.
 */
export function expansionProblems(root: unknown, node: Node, field: string, lineOf: (offset: number) => number, reader: ExpandingReader = KUBECTL): { span: readonly [number, number]; severity: 'error' | 'information'; message: string; whenExpanded?: string }[] {
  const [start, end] = spanOf(node);
  let anchors: Map<string, { node: Node; at: number }[]> | undefined;
  const anchorFor = (alias: Alias) => anchorOf(anchors ??= anchorsOf(root), alias);
  const out: ReturnType<typeof expansionProblems> = [];
  const aliasProblem = (alias: Alias) => {
    const anchor = anchorFor(alias);
    if (!anchor) {
      out.push({ span: spanOf(alias), severity: 'error', message: `${reader.refuses}: no anchor &${alias.source} comes before this alias in its YAML document ('yaml: unknown anchor '${alias.source}' referenced').` });
    } else if (anchor.at < start || anchor.at >= end) {
      const copy = `${reader.name} replaces *${alias.source} with a copy of the node its anchor names (line ${lineOf(anchor.at) + 1}), outside ${field}, and ${reader.writes}.`;
      out.push({
        span: spanOf(alias), severity: 'information', message: `${copy} Falco Lens reads only the text of ${field}, so it does not check ${reader.these(field)}: write the value here to have it checked.`,
        whenExpanded: `${copy} Falco Lens checks ${field} with that copy in place of the alias: a finding in it is shown on the alias.`,
      });
    }
  };
  const mergesMaps = (value: unknown): boolean => {
    const isMapping = (v: unknown) => isMap(v) || (isAlias(v) && isMap(anchorFor(v)?.node));
    return isMapping(value) || (isSeq(value) && value.items.every(isMapping));
  };
  const visit = (n: unknown, depth: number) => {
    if (depth > 32) return;
    if (isAlias(n)) aliasProblem(n);
    else if (isSeq(n)) for (const item of n.items) visit(item, depth + 1);
    else if (isMap(n)) {
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        if (isMergeKey(pair.key)) {
          const merges = `${reader.name} merges the mapping of this '<<' into the one holding it (the pairs take its place: a later pair of the same key replaces them, and they replace an earlier one), so Falco receives the keys merged and no '<<'`;
          out.push(mergesMaps(pair.value)
            ? {
                span: spanOf(pair.key), severity: 'information', message: `${merges}. Falco Lens reads ${field} as Falco's own YAML reader would, which has no merge keys, so it does not check ${reader.these(field)}: write the keys in place to have it checked.`,
                whenExpanded: `${merges} (Falco's own YAML reader, yaml-cpp, has no merge keys). Falco Lens checks ${field} merged so: a finding in the merged keys is shown on this ${n.flow ? 'pair' : 'line'}.`,
              }
            : { span: spanOf(pair.key), severity: 'error', message: `${reader.refuses}: the value of a '<<' merge key must be a mapping, an alias of one, or a list of them ('map merge requires map or sequence of maps as the value').` });
        } else if (isAlias(pair.key) && (isMap(anchorFor(pair.key)?.node) || isSeq(anchorFor(pair.key)?.node))) {
          // go-yaml decodes the key as the anchored node, and a Go map's key cannot be a map or a slice.
          out.push({ span: spanOf(pair.key), severity: 'error', message: `${reader.refuses}: *${pair.key.source} names a ${isMap(anchorFor(pair.key)!.node) ? 'mapping' : 'list'} (line ${lineOf(anchorFor(pair.key)!.at) + 1}), which cannot be a mapping's key ('invalid map key').` });
        } else visit(pair.key, depth + 1);
        visit(pair.value, depth + 1);
      }
    }
  };
  visit(node, 0);
  return out;
}

/** The JSON key kubectl sends for a mapping key (jsonKey), undefined for one it refuses or a collection. */
function jsonKeyOf(key: unknown): string | undefined {
  const read = kubectlScalar(key);
  const json = read && jsonKey(read);
  return json && 'text' in json ? json.text : undefined;
}

/** A block mapping's `<<` pair as kubectl expands it: the host span of its lines (from the key to the value's end),
 *  the column of its key, and the pairs it merges there, each written as one line of flow YAML of what the operator
 *  writes back (keys and strings JSON-quoted, numbers and booleans as written back). */
export interface MergeRegion { span: readonly [number, number]; pairs: string[] }

// The order of the merged pairs is the Go map's insertion order here; the operator writes every mapping with its keys
// sorted (sigs.k8s.io/yaml JSONToYAML: go-yaml v2 Marshal, encode.go mapv at v2.4.0 sorts the map's keys), as kubectl's
// JSON already has them (encoding/json writes a map's keys sorted). That order reaches nothing Falco loads: the rules reader asks an item for its keys
// by name and decides its kind in a fixed order (rule_loader_reader.cpp read_item: required_engine_version,
// required_plugin_versions, list, macro, rule; :455-654 at 0.44.0, :359-511 at 0.37.0), lists keep their order (JSON
// arrays), a config.d file's keys are merged one by one into falco.yaml's, each key touching only its own
// (yaml_helper.h include_config_file :166-202 at 0.44.0), and which file loads when is its name's place among the
// folder's names (configuration.cpp:723 std::sort; the operator's <priority>-<sub-priority>-<name>-<medium>.yaml, a
// ConfigMap's keys as file names), never a key's place in a mapping. So the merged lines keep kubectl's reading order.

/** What kubectl sends in place of inlineRules' or config's text (mergeExpansion): `regions`, block mappings' `<<`
 *  pairs, whose lines take the merged pairs; `blanks`, pairs a merge replaces; `replacements`, text of one line each
 *  written over by what kubectl sends there (a flow mapping's `<<` pair, an alias whose anchor the text Falco
 *  receives does not hold), as flow YAML. */
export interface KubectlExpansion { regions: MergeRegion[]; blanks: (readonly [number, number])[]; replacements: { span: readonly [number, number]; text: string; anchor?: CopiedAnchor }[] }

/** The anchor an alias's copy comes from (KubectlExpansion's replacements): its name and the anchored node's span in
 *  the host text (without the `&name` before it). */
export interface CopiedAnchor { name: string; span: readonly [number, number] }

/** The most text an expansion builds, each nesting level's text counted (aliases of aliases can make a copy grow as a
 *  power of their number): past it the block is not checked. */
const EXPANSION_BUDGET = 100_000;

/**
 * The `<<` merge keys and the aliases kubectl expands under inlineRules or config (`node`; `root` its YAML document's
 * contents), written as kubectl sends them (go-yaml v2, decode.go at v2.4.0; go.yaml.in/yaml/v2 v2.4.2 at
 * sigs.k8s.io/yaml v1.6.0 is the same code). decoder.mapping (:661-665) reads a mapping's pairs in order into one
 * Go map: a pair sets its key, a `<<` pair calls decoder.merge (:786-811), which decodes the merged mapping into that
 * same map, so its keys replace those set before it, an earlier `<<`'s too, and a later pair or `<<` replaces them:
 * the last writer of each key stands, whatever the YAML merge-key spec says of precedence (go-yaml v3 keeps the
 * mapping's own keys and the last `<<` only, but kubectl does not use v3). A list of mappings is decoded from its last
 * to its first, so of the list the first writes last and stands. A flow mapping is read the same way. An alias is a
 * copy of the node its anchor names, the last anchor of that name before it in the YAML document (parser.alias), in
 * inlineRules or not. Each block mapping's `<<` pair becomes a region, its lines taking the pairs it is the last
 * writer of; a flow mapping's `<<` pair is replaced by those pairs (on its first line, the rest of a pair over several
 * lines blanked); an own pair a later `<<` replaces is blanked; an alias whose anchor is outside the block, or in text
 * the expansion replaces, is replaced by a copy of what kubectl sends for the node, a key's alias too (go-yaml decodes
 * an alias key as the anchored scalar, decoder.mapping's d.unmarshal of the key node, whose alias case is
 * decoder.alias). Undefined where that cannot be written so (a key or value kubectl refuses, an alias key naming a
 * collection, an expansion past EXPANSION_BUDGET) or nothing is expanded.
 */
export function mergeExpansion(root: unknown, node: Node, text: string, reader: ExpandingReader = KUBECTL): KubectlExpansion | undefined {
  const [start, end] = spanOf(node);
  let anchors: Map<string, { node: Node; at: number }[]> | undefined;
  const resolve = (n: unknown): unknown => (isAlias(n) ? anchorOf(anchors ??= anchorsOf(root), n)?.node : n);
  const regions: MergeRegion[] = [];
  const blanks: (readonly [number, number])[] = [];
  const replacements: KubectlExpansion['replacements'] = [];
  let budget = EXPANSION_BUDGET;
  let failed = false;
  const spent = (out: string | undefined) => {
    if (out !== undefined && (budget -= out.length) < 0) return undefined;
    return out;
  };
  // What kubectl sends for a node, as flow YAML (JSON but for numbers, booleans and null, written as the operator
  // writes them back).
  const flow = (n: unknown, depth: number): string | undefined => {
    if (depth > 32 || budget < 0) return undefined;
    const r = resolve(n);
    if (isAlias(n) && r === undefined) return undefined;
    if (isSeq(r)) {
      const items: string[] = [];
      for (const i of r.items) {
        const item = flow(i, depth + 1);
        if (item === undefined) return undefined;
        items.push(item);
      }
      return spent(`[${items.join(', ')}]`);
    }
    if (isMap(r)) {
      const pairs = mergedPairs(r, depth + 1);
      return pairs && spent(`{${[...pairs].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`);
    }
    const read = kubectlScalar(r ?? null);
    if (!read) return undefined;
    if (read.type === 'string') return spent(JSON.stringify(read.value));
    if (read.type === 'null') return 'null';
    return reader.back(read);
  };
  // A mapping's pairs as kubectl decodes them (keys by their JSON text), merges expanded: the last writer stands.
  const mergedPairs = (map: YAMLMap, depth: number): Map<string, string> | undefined => {
    const out = new Map<string, string>();
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        const merged = mergeSources(pair.value, depth);
        if (!merged) return undefined;
        for (const [k, v] of merged) { out.delete(k); out.set(k, v); }
        continue;
      }
      const key = jsonKeyOf(resolve(pair.key));
      const value = flow(pair.value, depth);
      if (key === undefined || value === undefined) return undefined;
      out.delete(key);
      out.set(key, value);
    }
    return out;
  };
  // The pairs a `<<` value merges: a mapping, an alias of one, or a list of them, decoded from the last to the first.
  const mergeSources = (value: unknown, depth: number): Map<string, string> | undefined => {
    const sources = isSeq(value) ? [...value.items].reverse() : [value];
    const out = new Map<string, string>();
    for (const s of sources) {
      const r = resolve(s);
      if (!isMap(r)) return undefined;
      const pairs = mergedPairs(r, depth + 1);
      if (!pairs) return undefined;
      for (const [k, v] of pairs) { out.delete(k); out.set(k, v); }
    }
    return out;
  };
  const oneLine = (from: number, to: number) => !/[\r\n]/.test(text.slice(from, to));
  // A `<<` key's start, with its tag (`!!merge <<`) when it has one: the tag goes with the key.
  const keyStart = (key: Node) => {
    const at = spanOf(key)[0];
    const tag = /!\S*[ \t]+$/.exec(text.slice(Math.max(0, at - 200), at));
    return tag && key.tag ? at - tag[0].length : at;
  };
  const visit = (n: unknown, depth: number) => {
    if (failed || depth > 32) return;
    if (isSeq(n)) { for (const item of n.items) visit(item, depth + 1); return; }
    if (!isMap(n)) return;
    // A key that is an alias is the anchored scalar's key (a collection kubectl refuses as a key: jsonKeyOf fails).
    const keyOf = (key: unknown) => jsonKeyOf(resolve(key));
    const mergeAt = n.items.flatMap((p, i) => (isMergeKey(p.key) ? [i] : []));
    for (const pair of n.items) if (!isMergeKey(pair.key)) visit(pair.value, depth + 1);
    if (mergeAt.length === 0) return;
    // The pairs each `<<` merges, and the last writer of each key.
    const merged = new Map<number, Map<string, string>>();
    const writer = new Map<string, number>();
    n.items.forEach((pair, i) => {
      if (failed) return;
      if (!mergeAt.includes(i)) {
        const k = keyOf(pair.key);
        if (k === undefined) failed = true;
        else writer.set(k, i);
        return;
      }
      const pairs = mergeSources(pair.value, depth);
      if (!pairs) { failed = true; return; }
      merged.set(i, pairs);
      for (const k of pairs.keys()) writer.set(k, i);
    });
    if (failed) return;
    n.items.forEach((p, i) => {
      const k = mergeAt.includes(i) ? undefined : keyOf(p.key);
      const last = k === undefined ? undefined : writer.get(k);
      if (last !== undefined && last > i && mergeAt.includes(last)) blanks.push(n.flow ? pairSpan(n, i, text) : [spanOf(p.key as Node)[0], spanOf((p.value ?? p.key) as Node)[1]]);
    });
    for (const i of mergeAt) {
      const merge = n.items[i];
      const pairs = [...merged.get(i)!].filter(([k]) => writer.get(k) === i).map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
      const valueEnd = merge.value ? spanOf(merge.value as Node)[1] : spanOf(merge.key as Node)[1];
      if (n.flow) {
        // With no pair left, the comma after it goes too.
        const next = n.items[i + 1]?.key as Node | undefined;
        const span = [keyStart(merge.key as Node), next && pairs.length === 0 ? keyStart(next) : valueEnd] as const;
        // Over several lines, the pairs take the pair's first line, and the rest of it is blanked (its line breaks
        // kept, which a flow mapping reads as blanks).
        const lineEnd = text.slice(span[0], span[1]).search(/[\r\n]/);
        if (lineEnd < 0) replacements.push({ span, text: pairs.join(', ') });
        else {
          replacements.push({ span: [span[0], span[0] + lineEnd], text: pairs.join(', ') });
          blanks.push([span[0] + lineEnd, span[1]]);
        }
        continue;
      }
      let to = valueEnd;
      while (to > 0 && /\s/.test(text[to - 1])) to--;
      regions.push({ span: [keyStart(merge.key as Node), to], pairs });
    }
  };
  visit(node, 0);
  if (failed) return undefined;
  // What a blanked pair holds goes with it.
  const inBlank = (span: readonly [number, number]) => blanks.some(([s, e]) => span[0] >= s && span[1] <= e && (span[0] > s || span[1] < e));
  const kept = { regions: regions.filter((r) => !inBlank(r.span)), blanks: blanks.filter((b) => !inBlank(b)), replacements: replacements.filter((r) => !inBlank(r.span)) };
  // Aliases whose anchored node Falco would not find in the text it receives: outside the block, or in text written
  // over above. Each is replaced by the copy kubectl sends (an alias in text written over goes with that text).
  const rewritten = [...kept.regions.map((r) => r.span), ...kept.blanks, ...kept.replacements.map((r) => r.span)];
  const inRewritten = (at: number) => rewritten.some(([s, e]) => at >= s && at < e);
  const aliases = (n: unknown, depth: number, asKey = false) => {
    if (failed || depth > 32 || !n || typeof n !== 'object') return;
    if (isAlias(n)) {
      const [from, to] = spanOf(n);
      if (inRewritten(from)) return;
      const anchor = anchorOf(anchors ??= anchorsOf(root), n);
      if (!anchor) { failed = true; return; }
      // A key's copy is the JSON key kubectl sends, quoted (a collection cannot be a key).
      const key = asKey ? jsonKeyOf(anchor.node) : undefined;
      if (asKey && key === undefined) { failed = true; return; }
      if (anchor.at >= start && anchor.at < end && !inRewritten(anchor.at)) return;
      const copy = key !== undefined ? JSON.stringify(key) : flow(n, depth);
      if (copy === undefined || !oneLine(from, to)) { failed = true; return; }
      kept.replacements.push({ span: [from, to], text: copy, anchor: { name: n.source, span: spanOf(anchor.node) } });
    } else if (isSeq(n)) for (const item of n.items) aliases(item, depth + 1);
    else if (isMap(n)) for (const pair of n.items) { aliases(pair.key, depth + 1, true); aliases(pair.value, depth + 1); }
  };
  aliases(node, 0);
  if (failed || (kept.regions.length === 0 && kept.replacements.length === 0)) return undefined;
  kept.replacements.sort((a, b) => a.span[0] - b.span[0]);
  return kept;
}
