// The knowledge of Falco's configuration file: the schema module is what scripts/gen-falco-config.mjs reads from
// Falco's sources (and the fixtures are falco.yaml without comments), every schema key has a description and no
// description names a key the schema lacks, and the 0.44 defaults are falco.yaml's values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FALCO_CONFIG_SCHEMA, FALCO_CONFIG_SCHEMA_RELEASES, type ConfigNode } from '../../server/src/knowledge/falcoConfigSchema';
import { CONFIG_ACCEPTED_VALUES_044, CONFIG_DEFAULTS_044, CONFIG_KEY_DOCS, CONFIG_WHEN_ABSENT_044, configKeyDoc } from '../../server/src/knowledge/falcoConfigDocs';
import { compareVersions } from '../../server/src/knowledge/falcoVersions';
import { readOutsideSchema } from '../../server/src/knowledge/falcoConfigLegacy';

const FALCO_MIRROR = '/work/.mirror/falcosecurity+falco/repo';
const haveMirror = fs.existsSync(FALCO_MIRROR);
const FIXTURES = 'test/fixtures/falco-config';
const FIXTURE_TAGS = ['0.37.0', '0.38.0', '0.39.0', '0.40.0', '0.41.0', '0.42.0', '0.43.0', '0.44.0', '0.44.1'];

/** Every key path of a schema tree (`a.b`, `a[].b`; alternatives looked through) with its node. */
function schemaKeys(node: ConfigNode, prefix = '', out = new Map<string, ConfigNode>()): Map<string, ConfigNode> {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const p = prefix ? `${prefix}.${key}` : key;
    if (!out.has(p)) out.set(p, child);
    schemaKeys(child, p, out);
  }
  if (node.items) schemaKeys(node.items, `${prefix}[]`, out);
  for (const alt of node.oneOf ?? []) schemaKeys(alt, prefix, out);
  return out;
}
const KEYS = schemaKeys(FALCO_CONFIG_SCHEMA);

/** The key paths a parsed YAML value sets, with their values (list items' keys under `[]`). */
function valueKeys(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    for (const item of value) if (item && typeof item === 'object' && !Array.isArray(item)) valueKeys(item, `${prefix}[]`, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.set(p, v);
      valueKeys(v, p, out);
    }
  }
  return out;
}

test('the schema module and the fixtures are what the generator makes from Falco 0.39.0 .. 0.44.1', { skip: !haveMirror && `no Falco checkout at ${FALCO_MIRROR}` }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-config-'));
  const out = path.join(dir, 'falcoConfigSchema.ts');
  fs.mkdirSync(path.join(dir, 'fixtures'));
  execFileSync(process.execPath, ['scripts/gen-falco-config.mjs', FALCO_MIRROR, '--out', out, '--fixtures', path.join(dir, 'fixtures')]);
  assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync('server/src/knowledge/falcoConfigSchema.ts', 'utf8'), 'regenerate: node scripts/gen-falco-config.mjs');
  for (const tag of FIXTURE_TAGS) {
    const name = `falco-${tag}.yaml`;
    const fixture = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    assert.equal(fs.readFileSync(path.join(dir, 'fixtures', name), 'utf8'), fixture, name);
    // Removing comments changed no key and no value.
    const original = execFileSync('git', ['-C', FALCO_MIRROR, 'show', `${tag}:falco.yaml`], { encoding: 'utf8' });
    assert.deepEqual(parse(fixture), parse(original), `${name} reads as falco.yaml at ${tag}`);
    assert.ok(!fixture.split('\n').slice(3).some((l) => /(^|\s)#/.test(l.replace(/"[^"]*"|'[^']*'/g, ''))), `${name} has no comment after its header`);
  }
});

test('the schema tree: 0.44 keys, removed keys marked, new keys dated', () => {
  assert.deepEqual(FALCO_CONFIG_SCHEMA_RELEASES, ['0.39', '0.40', '0.41', '0.42', '0.43', '0.44']);
  assert.equal(FALCO_CONFIG_SCHEMA.closed, true, 'unknown top-level keys fail validation');
  const engine = FALCO_CONFIG_SCHEMA.properties!.engine;
  assert.deepEqual(engine.required, ['kind']);
  assert.equal(engine.properties!.ebpf.removedIn, '0.44');
  assert.equal(engine.properties!.ebpf.properties!.probe.removedIn, '0.44', 'a removed key\'s children are marked too');
  assert.equal(FALCO_CONFIG_SCHEMA.properties!.grpc.removedIn, '0.44');
  assert.equal(FALCO_CONFIG_SCHEMA.properties!.grpc_output.removedIn, '0.44');
  assert.equal(KEYS.get('capture')!.since, '0.42');
  assert.equal(KEYS.get('capture.max_file_size_mb')!.since, '0.44');
  assert.equal(KEYS.get('capture.max_file_size_mb')!.maximum, 1048576);
  assert.deepEqual(KEYS.get('capture.mode')!.enum, ['rules', 'all_rules']);
  assert.equal(KEYS.get('config_files[].strategy')!.since, '0.41');
  assert.deepEqual(KEYS.get('config_files[].strategy')!.enum, ['append', 'override', 'add-only']);
  assert.equal(KEYS.get('priority')!.since, '0.39');
  assert.deepEqual(KEYS.get('plugins[].init_config')!.oneOf!.map((a) => a.types[0]), ['object', 'string', 'null']);
  assert.deepEqual(KEYS.get('append_output[].extra_fields')!.items!.oneOf![0].values, { types: ['string'] });
  assert.equal(KEYS.get('metrics')!.minProperties, 1, 'an empty metrics mapping fails validation');
  assert.equal(KEYS.get('static_fields')!.closed, undefined, 'static_fields takes any key');
  for (const [p, node] of KEYS) {
    assert.ok(node.since && FALCO_CONFIG_SCHEMA_RELEASES.includes(node.since), `${p}: since ${node.since}`);
    if (node.removedIn) assert.ok(compareVersions(node.removedIn, node.since!) > 0, `${p}: removed after it came`);
  }
});

test('every fixture from 0.39 on sets only keys its own release\'s schema has', () => {
  for (const tag of FIXTURE_TAGS.filter((t) => compareVersions(t, '0.39') >= 0)) {
    const release = tag.split('.').slice(0, 2).join('.');
    const set = valueKeys(parse(fs.readFileSync(path.join(FIXTURES, `falco-${tag}.yaml`), 'utf8')));
    for (const p of set.keys()) {
      if (p.startsWith('plugins[].init_config.') || p.startsWith('static_fields.')) continue; // open mappings
      const node = KEYS.get(p);
      assert.ok(node, `${tag}: ${p} is in the schema`);
      assert.ok(compareVersions(release, node.since!) >= 0, `${tag}: ${p} since ${node.since}`);
      assert.ok(!node.removedIn || compareVersions(release, node.removedIn) < 0, `${tag}: ${p} removed in ${node.removedIn}`);
    }
  }
});

test('every schema key has a description, and every description names a schema key', () => {
  const missing = [...KEYS.keys()].filter((p) => !Object.hasOwn(CONFIG_KEY_DOCS, p));
  assert.deepEqual(missing, [], 'keys without a description');
  // Keys Falco reads outside its schema (the gRPC server's TLS files) are described too.
  const stale = Object.keys(CONFIG_KEY_DOCS).filter((p) => !KEYS.has(p) && readOutsideSchema(p) === undefined);
  assert.deepEqual(stale, [], 'descriptions of keys the schema does not have');
  for (const record of [CONFIG_DEFAULTS_044, CONFIG_WHEN_ABSENT_044]) {
    assert.deepEqual(Object.keys(record).filter((p) => !KEYS.has(p)), []);
  }
  // Accepted values name string keys (a list's items by `[]`), and falco.yaml's own values are among them.
  const yaml044 = valueKeys(parse(fs.readFileSync(path.join(FIXTURES, 'falco-0.44.0.yaml'), 'utf8')));
  for (const [p, accepted] of Object.entries(CONFIG_ACCEPTED_VALUES_044)) {
    const node = p.endsWith('[]') ? KEYS.get(p.slice(0, -2))?.items : KEYS.get(p);
    assert.deepEqual(node?.types, ['string'], `${p} is a string key`);
    const set = yaml044.get(p.replace(/\[\]$/, ''));
    for (const v of Array.isArray(set) ? set : set === undefined ? [] : [set]) assert.ok(accepted.values.includes(String(v)), `${p}: ${String(v)}`);
  }
  const unknownNames: string[] = [];
  for (const [p, text] of Object.entries(CONFIG_KEY_DOCS)) {
    assert.ok(text.length >= 20 && text.length <= 400, `${p}: one or two sentences (${text.length} characters)`);
    assert.match(text, /[.)]$/, `${p}: ends a sentence`);
    // A backquoted key-like name in a description must be a key (or a part of one) of the schema, or a value.
    for (const m of text.matchAll(/`([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)`/g)) {
      const name = m[1];
      const known = KEYS.has(name) || [...KEYS.keys()].some((k) => k.split(/\.|\[\]\.?/).includes(name));
      if (!known && !NOT_SCHEMA_KEYS.has(name)) unknownNames.push(`${p}: \`${name}\``);
    }
  }
  assert.deepEqual(unknownNames, [], 'names in descriptions that are neither schema keys nor known values');
});

// Backquoted names in descriptions that are not configuration keys: values, fields, rule keys, JSON alert
// properties, and `rules_file` (the deprecated key Falco reads but its schema does not have).
const NOT_SCHEMA_KEYS = new Set(['true', 'false', 'yes', 'log', 'alert', 'exit', 'ignore', 'first', 'all', 'rules', 'all_rules',
  'append', 'override', 'kmod', 'modern_ebpf', 'replay', 'nodriver', 'ebpf', 'gvisor', 'syscall', 'k8s_audit', 'proc.pid',
  'evt.buffer', 'evt.time', 'evt.time.iso8601', 'capture', 'capture_duration', 'message', 'output', 'output_fields', 'tags',
  'required_plugin_versions', 'rules_file',
  // Names Falco 0.39 (and 0.40) read in place of the schema's container_engines.cri.sockets (disable_async).
  'container_engines.cri.cri']);

test('0.44 defaults are falco.yaml 0.44\'s values, for every value it sets', () => {
  const yaml044 = parse(fs.readFileSync(path.join(FIXTURES, 'falco-0.44.0.yaml'), 'utf8'));
  const set = valueKeys(yaml044);
  for (const [p, text] of Object.entries(CONFIG_DEFAULTS_044)) {
    assert.ok(set.has(p), `${p} is set in falco.yaml 0.44`);
    assert.deepEqual(parse(text), set.get(p), `${p}: ${text}`);
  }
  // Every scalar or list the file sets at a described path has its default.
  for (const [p, v] of set) {
    if (!KEYS.has(p) || p.includes('[]')) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) continue;
    assert.ok(Object.hasOwn(CONFIG_DEFAULTS_044, p), `${p} has a default`);
  }
});

test('configKeyDoc: description, default and absent-key value by path; nothing for other paths', () => {
  const kind = configKeyDoc('engine.kind')!;
  assert.match(kind.text, /modern_ebpf/);
  assert.equal(kind.defaultValue, 'modern_ebpf');
  assert.equal(kind.whenAbsent, 'kmod');
  assert.equal(configKeyDoc('plugins[].name')!.defaultValue, undefined);
  assert.match(configKeyDoc('priority')!.text, /dropped at load/);
  assert.match(configKeyDoc('json_include_output_property')!.text, /left out/);
  assert.match(configKeyDoc('rule_matching')!.text, /alert counts/);
  assert.match(configKeyDoc('buffered_outputs')!.text, /late/);
  assert.equal(configKeyDoc('constructor'), undefined);
  assert.equal(configKeyDoc('engine.nope'), undefined);
});
