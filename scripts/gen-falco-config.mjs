// Regenerates server/src/knowledge/falcoConfigSchema.ts: the shape of Falco's configuration file (falco.yaml and the
// files of its `config_files`) as Falco validates it, read from the JSON schema compiled into Falco
// (userspace/falco/config_json_schema.h, present from 0.39.0 on) at every release tag from 0.39.0 to 0.44.1 (a patch
// release's keys are dated by its release: 0.44.1's engine.modern_ebpf.disable_iterators is a 0.44 key).
//
//   node scripts/gen-falco-config.mjs [<falco git dir or checkout>]     default /work/.mirror/falcosecurity+falco/repo
//   add --out <file> to write somewhere else
//   add --fixtures <folder> to also write falco-<tag>.yaml there for every tag from 0.37.0 to 0.44.1: Falco's default
//   falco.yaml at the tag with its comments removed (keys and values only) and runs of blank lines collapsed
//
// The files are read at each tag with `git show`, so the checkout's work tree does not matter. What is kept is facts
// only: key names, JSON types, enums, bounds, required keys, whether unknown keys fail validation. The schema's titles
// are dropped; it has no descriptions. `$ref`s are resolved (the schema has no recursive definitions; one would stop
// the script). The tree written is the last tag's; a key the schema of a later tag no longer has is kept with `removedIn`
// (the first tag without it), and every key carries `since` (the first tag whose schema has it). Keys found inside
// oneOf/anyOf alternatives (config_files[].path) are tracked by the same path as the service addresses them.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TAGS = ['0.39.0', '0.40.0', '0.41.0', '0.42.0', '0.43.0', '0.44.0', '0.44.1'];
const SCHEMA_FILE = 'userspace/falco/config_json_schema.h';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const outFile = outAt >= 0 ? args.splice(outAt, 2)[1] : new URL('../server/src/knowledge/falcoConfigSchema.ts', import.meta.url);
const fixturesAt = args.indexOf('--fixtures');
const fixturesDir = fixturesAt >= 0 ? args.splice(fixturesAt, 2)[1] : undefined;
const root = args[0] ?? '/work/.mirror/falcosecurity+falco/repo';

/** '0.41.0' -> '0.41': releases are named as the falcoLens.falcoVersion setting names them. */
const release = (tag) => tag.split('.').slice(0, 2).join('.');

/** The schema text of a tag: the JSON between `LONG_STRING_CONST(` and the closing `);` of config_schema_string. */
function readSchema(tag) {
  const header = execFileSync('git', ['-C', root, 'show', `${tag}:${SCHEMA_FILE}`], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const decl = header.indexOf('config_schema_string[] = LONG_STRING_CONST(');
  if (decl < 0) throw new Error(`${tag}: config_schema_string not found in ${SCHEMA_FILE}`);
  const start = header.indexOf('{', decl);
  const end = header.lastIndexOf('}', header.indexOf(');', start + 1));
  if (start < 0 || end < start) throw new Error(`${tag}: schema text not delimited as expected`);
  return JSON.parse(header.slice(start, end + 1));
}

const KNOWN_KEYWORDS = new Set(['$schema', '$ref', 'definitions', 'type', 'properties', 'additionalProperties', 'items',
  'oneOf', 'anyOf', 'enum', 'required', 'minimum', 'maximum', 'minProperties', 'title', 'format', 'qt-uri-protocols']);
// `format` is not kept: valijson 1.0.2 (the validator Falco uses, through libs) checks only date, time and date-time,
// and the schema's one `format` is `uri`; `qt-uri-protocols` is not a JSON-schema keyword and is ignored by valijson.

/** One schema node as a ConfigNode (plain object), `$ref`s resolved against the root's definitions. */
function convert(schema, node, tag, stack = []) {
  if (node.$ref !== undefined) {
    const m = /^#\/definitions\/([^/]+)$/.exec(node.$ref);
    if (!m || !schema.definitions?.[m[1]]) throw new Error(`${tag}: cannot resolve ${node.$ref}`);
    if (stack.includes(m[1])) throw new Error(`${tag}: recursive definition ${m[1]}`);
    const siblings = Object.keys(node).filter((k) => k !== '$ref' && k !== '$schema' && k !== 'definitions');
    if (siblings.length) throw new Error(`${tag}: keywords beside $ref (${siblings.join(', ')})`);
    return convert(schema, schema.definitions[m[1]], tag, [...stack, m[1]]);
  }
  for (const k of Object.keys(node)) if (!KNOWN_KEYWORDS.has(k)) throw new Error(`${tag}: unhandled schema keyword '${k}'`);
  const out = {};
  out.types = node.type === undefined ? [] : Array.isArray(node.type) ? [...node.type] : [node.type];
  if (node.properties) {
    out.properties = {};
    for (const [key, child] of Object.entries(node.properties)) out.properties[key] = convert(schema, child, tag, stack);
  }
  if (node.additionalProperties === false) out.closed = true;
  else if (node.additionalProperties && typeof node.additionalProperties === 'object') out.values = convert(schema, node.additionalProperties, tag, stack);
  if (node.items) {
    if (Array.isArray(node.items)) throw new Error(`${tag}: tuple items are not handled`);
    out.items = convert(schema, node.items, tag, stack);
  }
  const alternatives = [...(node.oneOf ?? []), ...(node.anyOf ?? [])];
  if (node.oneOf && node.anyOf) throw new Error(`${tag}: both oneOf and anyOf on one node`);
  if (alternatives.length) out.oneOf = alternatives.map((alt) => convert(schema, alt, tag, stack));
  if (node.enum) out.enum = [...node.enum];
  if (node.required) out.required = [...node.required];
  if (node.minimum !== undefined) out.minimum = node.minimum;
  if (node.maximum !== undefined) out.maximum = node.maximum;
  if (node.minProperties !== undefined) out.minProperties = node.minProperties;
  return out;
}

/**
 * Every key of a tree by its path (`engine.modern_ebpf.buf_size_preset`, `plugins[].name`, `config_files[].path`):
 * array items add `[]`, alternatives are looked through.
 */
function keyPaths(node, prefix, out) {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!out.has(path)) out.set(path, child);
    keyPaths(child, path, out);
  }
  if (node.items) keyPaths(node.items, `${prefix}[]`, out);
  for (const alt of node.oneOf ?? []) keyPaths(alt, prefix, out);
  return out;
}

const trees = TAGS.map((tag) => ({ tag, tree: convert(readSchema(tag), readSchema(tag), tag) }));
const paths = trees.map(({ tree }) => keyPaths(tree, '', new Map()));

// since: the first tag with the path; removedIn: the first later tag without it (a key that came back is refused).
const since = new Map();
const removedIn = new Map();
for (let i = 0; i < TAGS.length; i++) {
  for (const path of paths[i].keys()) {
    if (!since.has(path)) since.set(path, release(TAGS[i]));
    else if (removedIn.has(path)) throw new Error(`${path} removed in ${removedIn.get(path)} and back in ${TAGS[i]}`);
  }
  if (i > 0) for (const path of paths[i - 1].keys()) if (!paths[i].has(path) && !removedIn.has(path)) removedIn.set(path, release(TAGS[i]));
}

/** The node holding a path's properties in a tree (through items and alternatives), or undefined. */
function containerOf(tree, parentPath) {
  if (parentPath === '') return tree;
  const found = keyPaths(tree, '', new Map()).get(parentPath.replace(/\[\]$/, ''));
  if (!found) return undefined;
  let node = found;
  for (const _ of parentPath.match(/\[\]$/g) ?? []) node = node.items ?? node.oneOf?.find((a) => a.items)?.items;
  if (!node) return undefined;
  if (node.properties) return node;
  return node.oneOf?.find((a) => a.properties) ?? node;
}

// The latest tree, with each removed key grafted back (as its last schema had it) under its parent.
const latest = structuredClone(trees[trees.length - 1].tree);
/** A key path's parent key path: `engine` for `engine.ebpf`, `plugins[]` for `plugins[].name`, '' at the top. */
const parentOf = (path) => (path.lastIndexOf('.') < 0 ? '' : path.slice(0, path.lastIndexOf('.')));
const removedRoots = [...removedIn.keys()].filter((p) => !removedIn.has(parentOf(p).replace(/(\[\])+$/, '')));
for (const path of removedRoots) {
  const at = TAGS.indexOf(TAGS.find((t) => release(t) === removedIn.get(path))) - 1;
  const old = paths[at].get(path);
  const parentPath = parentOf(path);
  const key = parentPath === '' ? path : path.slice(parentPath.length + 1);
  const parent = containerOf(latest, parentPath);
  if (!parent) throw new Error(`no parent for removed key ${path}`);
  parent.properties ??= {};
  parent.properties[key] = structuredClone(old);
}

// Marks, written on every key node (removed subtrees included).
for (const [path, node] of keyPaths(latest, '', new Map())) {
  node.since = since.get(path);
  if (removedIn.has(path)) node.removedIn = removedIn.get(path);
}

// Output: a TypeScript object literal, keys in schema order, marks last.
const FIELD_ORDER = ['types', 'properties', 'closed', 'values', 'items', 'oneOf', 'enum', 'required', 'minimum', 'maximum', 'minProperties', 'since', 'removedIn'];
const ident = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`);
const str = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const scalar = (v) => (typeof v === 'string' ? str(v) : String(v));
function emit(node, indent) {
  const inner = `${indent}  `;
  const parts = [];
  for (const field of FIELD_ORDER) {
    const v = node[field];
    if (v === undefined) continue;
    if (field === 'properties') {
      const entries = Object.entries(v).map(([k, child]) => `${inner}  ${ident(k)}: ${emit(child, `${inner}  `)},`);
      parts.push(`${inner}properties: {\n${entries.join('\n')}\n${inner}},`);
    } else if (field === 'items' || field === 'values') {
      parts.push(`${inner}${field}: ${emit(v, inner)},`);
    } else if (field === 'oneOf') {
      parts.push(`${inner}oneOf: [\n${v.map((alt) => `${inner}  ${emit(alt, `${inner}  `)},`).join('\n')}\n${inner}],`);
    } else if (Array.isArray(v)) {
      parts.push(`${inner}${field}: [${v.map(scalar).join(', ')}],`);
    } else {
      parts.push(`${inner}${field}: ${scalar(v)},`);
    }
  }
  // A leaf on one line when short: { types: ['boolean'], since: '0.39' }.
  const flat = `{ ${parts.map((p) => p.trim()).join(' ').replace(/,$/, '')} }`;
  if (!flat.includes('\n') && indent.length + flat.length < 100) return flat;
  return `{\n${parts.join('\n')}\n${indent}}`;
}

const countKeys = keyPaths(latest, '', new Map());
const out = `// GENERATED by scripts/gen-falco-config.mjs from falcosecurity/falco's ${SCHEMA_FILE} at the tags
// ${TAGS.join(', ')}. Never edit by hand; to regenerate (reads the tags with git show):
//   node scripts/gen-falco-config.mjs <falco git dir or checkout>
//
// Facts, not code: the keys of Falco's configuration file, their JSON types, enums, bounds and required keys, and
// whether unknown keys fail Falco's schema validation (valijson with weak types, on every file it loads: falco.yaml
// and each file of config_files). The tree is the last tag's; keys a later schema dropped are kept, marked \`removedIn\`.
// Falco 0.37 and 0.38 have no schema (they do not validate their configuration).

export type ConfigType = 'object' | 'array' | 'string' | 'boolean' | 'integer' | 'number' | 'null';

export interface ConfigNode {
  /** JSON-schema types this value may have (empty: anything, or as the alternatives say). */
  types: readonly ConfigType[];
  /** Keys of an object value. */
  properties?: Readonly<Record<string, ConfigNode>>;
  /** true: keys not in \`properties\` fail Falco's schema validation (additionalProperties: false). */
  closed?: boolean;
  /** Schema of the value of every key not in \`properties\` (additionalProperties given as a schema). */
  values?: ConfigNode;
  /** Schema of every item of an array value. */
  items?: ConfigNode;
  /** Alternatives (JSON-schema oneOf/anyOf), each a full node. */
  oneOf?: readonly ConfigNode[];
  enum?: readonly (string | number | boolean)[];
  /** Keys an object value must have. */
  required?: readonly string[];
  minimum?: number;
  maximum?: number;
  /** An object value needs at least this many keys (an empty mapping fails validation). */
  minProperties?: number;
  /** First Falco release whose schema has this key (0.39 for everything already in 0.39.0's schema, the first). */
  since?: string;
  /** First Falco release whose schema no longer has it (the key is kept with this mark). */
  removedIn?: string;
}

/** The Falco releases whose schemas were read, oldest first; the first is the first release that has a schema. */
export const FALCO_CONFIG_SCHEMA_RELEASES: readonly string[] = [${[...new Set(TAGS.map(release))].map(str).join(', ')}];

/** Falco ${release(TAGS[TAGS.length - 1])}'s configuration schema plus the keys removed since ${release(TAGS[0])} (${countKeys.size} keys in all). */
export const FALCO_CONFIG_SCHEMA: ConfigNode = ${emit(latest, '')};
`;
writeFileSync(outFile, out);
console.log(`${countKeys.size} keys (${[...countKeys.values()].filter((n) => n.removedIn).length} removed, ${[...countKeys.values()].filter((n) => n.since !== release(TAGS[0])).length} added after ${release(TAGS[0])}) from ${TAGS.join(', ')}`);

// Fixtures: falco.yaml without comments. A comment is a line whose first non-blank character is `#`, or the rest of a
// line from a `#` that follows a blank outside quotes. Block scalars (where `#` is text) are refused: falco.yaml has
// none at these tags, and a later one would need a YAML-aware reader.
const FIXTURE_TAGS = ['0.37.0', '0.38.0', ...TAGS];
function withoutComments(text, tag) {
  const lines = [];
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (/:\s*[|>][-+0-9]*\s*(#.*)?$/.test(line)) throw new Error(`${tag}: block scalar in falco.yaml: ${line}`);
    let quote = '';
    let cut = line.length;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote && !(quote === '"' && line[i - 1] === '\\')) quote = '';
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
        cut = i;
        break;
      }
    }
    lines.push(line.slice(0, cut).trimEnd());
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
}
if (fixturesDir) {
  for (const tag of FIXTURE_TAGS) {
    const source = execFileSync('git', ['-C', root, 'show', `${tag}:falco.yaml`], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const header = `# Falco's default configuration file: falcosecurity/falco, tag ${tag}, path falco.yaml.\n`
      + '# Every comment was removed (keys and values only) and runs of blank lines collapsed; generated by\n'
      + '# scripts/gen-falco-config.mjs --fixtures.\n\n';
    writeFileSync(join(fixturesDir, `falco-${tag}.yaml`), header + withoutComments(source, tag));
  }
  console.log(`${FIXTURE_TAGS.length} fixtures written to ${fixturesDir}`);
}
