// The field catalog (server/src/knowledge/fields/*.ts) against the field tables of its sources: the snapshot
// test/fixtures/field-tables.json that scripts/gen-field-tables.mjs reads from libs 0.25.2 (the libs of Falco 0.44)
// and from the plugin releases it names. Every difference must be fixed in the catalog or listed below with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFields, lookupField } from '../../server/src/knowledge';
import type { FieldArgument, FieldInfo } from '../../server/src/knowledge';

interface SourceField {
  name: string;
  type: string;
  check?: string;
  arg?: 'required' | 'allowed';
  argKind?: 'index' | 'key' | 'index-or-key';
  list?: boolean;
  deprecated?: boolean;
  filterOnly?: boolean;
  printOnly?: boolean;
  hidden?: boolean;
  suggestedOutput?: boolean;
  labelDeprecated?: boolean;
  /** libsinsp and container fields: the first Falco release (after 0.33.0) that bundles the field. */
  since?: string;
  /** libsinsp fields: the first Falco release (from 0.37.0) whose table flags the argument of a field it had without. */
  argSince?: string;
}
interface Provider {
  name: string; tag: string; commit: string; files: string[]; sources: string[]; genericSources?: string[];
  /** Set when `since` was read: the Falco releases and what they bundle. */
  sinceRead?: { falco: string; libs: string; container?: string | null }[];
  fields: SourceField[];
}

const snapshot = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'field-tables.json'), 'utf8')) as { providers: Provider[] };
const providers = new Map(snapshot.providers.map((p) => [p.name, p]));
const sourceFields = new Map<string, Map<string, SourceField>>(snapshot.providers.map((p) => [p.name, new Map(p.fields.map((f) => [f.name, f]))]));

/** The provider whose table a catalog field must be in: its plugin, else libsinsp. */
const providerOf = (f: FieldInfo): string => f.plugin ?? 'libsinsp';

/** Catalog fields that no table lists, each with the reason it is in the catalog. */
const NOT_IN_TABLES: Record<string, string> = {
  'container.info': 'Falco\'s rule loader (not a filter check) accepts %container.info in outputs and drops it with a LOAD_DEPRECATED_ITEM warning.',
};

/**
 * Argument forms where libsinsp's behaviour differs from the flags of its table; the catalog follows the behaviour.
 * (libsinsp enforces arguments in each filter check's parse_field_name, not from the flags.)
 */
const ARG_FORM_BY_CODE: Record<string, { arg: 'required' | 'allowed'; why: string }> = {
  'evt.abspath': { arg: 'allowed', why: 'EPF_ARG_REQUIRED in the table, but sinsp_filtercheck_event.cpp parse_field_name accepts bare evt.abspath (the first path argument) besides .src and .dst.' },
};

/**
 * Argument kinds of libsinsp's fields: its tables carry no EPF_ARG_INDEX / EPF_ARG_KEY, so the kinds were read from
 * the filter checks' parse code at 0.25.2 (sinsp_filtercheck_event.cpp extract_arg / extract_type,
 * sinsp_filtercheck_thread.cpp extract_arg, sinsp_filtercheck_fd.cpp for fd.types).
 */
const LIBSINSP_ARG_KINDS: Record<string, FieldArgument['kind']> = {
  'evt.type.is': 'key', // .<event name> (or a number), dot form only
  'evt.arg': 'index-or-key', // [N] or .name
  'evt.rawarg': 'key', // .name only: a bracket throws 'evt.arg fields must be expressed explicitly'
  'evt.around': 'index', // [timestamp]
  'evt.abspath': 'key', // .src or .dst
  'proc.aname': 'index', 'proc.apid': 'index', 'proc.aexe': 'index', 'proc.aexepath': 'index', 'proc.acmdline': 'index',
  'proc.aargs': 'index', 'proc.args': 'index',
  'proc.env': 'key', // [NAME]; all digits is read as a number but proc.env only uses the name
  'proc.aenv': 'index-or-key', // [N] an ancestor, [NAME] a variable
  'thread.cgroup': 'key', // .<controller>
  'fd.types': 'index', // [fd number]
};

/**
 * libsinsp fields whose argument is only accepted after a dot, read from the parse code at 0.25.2: a bracket is a
 * "filter syntax error" (evt.type.is: sinsp_filtercheck_event.cpp extract_type; thread.cgroup: sinsp_filtercheck_thread.cpp
 * extract_arg), "evt.arg fields must be expressed explicitly" (evt.rawarg: extract_arg with a parameter info), or leaves
 * the name unmatched so the field is unknown (evt.abspath: parse_field_name knows only .src and .dst).
 */
const LIBSINSP_DOT_ONLY = ['evt.type.is', 'evt.rawarg', 'evt.abspath', 'thread.cgroup'];

/** Source fields left out of the catalog on purpose, with the reason. */
const SKIPPED: Record<string, string> = {};

/** Every difference between one catalog field and its table entry, as readable sentences. */
function differences(f: FieldInfo, s: SourceField, p: Provider): string[] {
  const out: string[] = [];
  if (f.type !== s.type) out.push(`type ${f.type} in the catalog, ${s.type} in ${p.name}`);
  const expectedArg = ARG_FORM_BY_CODE[f.name]?.arg ?? s.arg;
  const catalogArg = f.arg ? (f.arg.required ? 'required' : 'allowed') : undefined;
  if (catalogArg !== expectedArg) out.push(`argument ${catalogArg ?? 'none'} in the catalog, ${expectedArg ?? 'none'} in ${p.name}`);
  const expectedKind = p.name === 'libsinsp' ? LIBSINSP_ARG_KINDS[f.name] : s.argKind;
  if (f.arg && f.arg.kind !== expectedKind) out.push(`argument kind ${f.arg.kind} in the catalog, ${expectedKind ?? 'none'} in ${p.name}`);
  if (!!f.isList !== !!s.list) out.push(`list ${!!f.isList} in the catalog, ${!!s.list} in ${p.name}`);
  if (!!f.deprecated !== !!s.deprecated) out.push(`deprecated ${!!f.deprecated} in the catalog, ${!!s.deprecated} in ${p.name} (EPF_DEPRECATED)`);
  if (s.labelDeprecated && !/deprecat/i.test(`${f.desc} ${f.values ?? ''}`)) out.push(`${p.name} labels it [Deprecated]; the catalog does not say so`);
  if (!!f.conditionOnly !== !!s.filterOnly) out.push(`conditionOnly ${!!f.conditionOnly} in the catalog, filter-only ${!!s.filterOnly} in ${p.name}`);
  if (!!f.outputOnly !== !!s.printOnly) out.push(`outputOnly ${!!f.outputOnly} in the catalog, print-only ${!!s.printOnly} in ${p.name}`);
  if (p.sinceRead && f.since !== s.since) out.push(`since ${f.since ?? 'none'} in the catalog, ${s.since ?? 'none (in Falco 0.33)'} by what each Falco release bundles`);
  if (p.name === 'libsinsp' && f.arg?.since !== s.argSince) out.push(`argument since ${f.arg?.since ?? 'none'} in the catalog, ${s.argSince ?? 'none (taken from Falco 0.37 or with the field)'} by the tables of each Falco release's libs`);
  if (!!f.hidden !== !!s.hidden) out.push(`hidden ${!!f.hidden} in the catalog, ${s.hidden ? '' : 'not '}hidden (table-only) in ${p.name}`);
  const sources = s.check === 'gen_event' ? p.genericSources! : p.sources;
  if ([...f.sources].sort().join() !== [...sources].sort().join()) out.push(`sources ${f.sources.join(',')} in the catalog, ${sources.join(',')} for ${p.name}${s.check ? ` ${s.check}` : ''}`);
  return out;
}

test('the snapshot names its releases and holds every provider the catalog uses', () => {
  for (const p of snapshot.providers) {
    assert.match(p.commit, /^[0-9a-f]{40}$/, `${p.name}: commit`);
    assert.ok(p.fields.length > 0, `${p.name}: fields`);
  }
  assert.equal(providers.get('libsinsp')?.tag, '0.25.2');
  for (const f of allFields()) if (!(f.name in NOT_IN_TABLES)) assert.ok(providers.has(providerOf(f)), `${f.name}: no table for ${providerOf(f)}`);
});

test('every catalog field is in its source table with the same type, argument form, flags and sources', () => {
  const problems: string[] = [];
  for (const f of allFields()) {
    if (f.name in NOT_IN_TABLES) continue;
    const p = providers.get(providerOf(f))!;
    const s = sourceFields.get(p.name)!.get(f.name);
    if (!s) { problems.push(`${f.name}: not in ${p.name} ${p.tag}`); continue; }
    for (const d of differences(f, s, p)) problems.push(`${f.name}: ${d}`);
  }
  assert.deepEqual(problems, []);
});

test('every field of the source tables is in the catalog, or skipped for a stated reason', () => {
  const catalog = new Map(allFields().map((f) => [f.name, f]));
  const missing: string[] = [];
  for (const p of snapshot.providers) {
    for (const s of p.fields) {
      if (s.name in SKIPPED) continue;
      const f = catalog.get(s.name);
      if (!f) missing.push(`${s.name}: in ${p.name} ${p.tag}, not in the catalog`);
      else if (providerOf(f) !== p.name) missing.push(`${s.name}: from ${p.name}, the catalog says ${providerOf(f)}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the exception lists stay true: each names a field that still needs the exception', () => {
  const catalog = new Map(allFields().map((f) => [f.name, f]));
  for (const name of Object.keys(NOT_IN_TABLES)) {
    assert.ok(catalog.has(name), `${name}: listed as not in the tables but not in the catalog`);
    assert.ok(!snapshot.providers.some((p) => sourceFields.get(p.name)!.has(name)), `${name}: now in a table`);
  }
  for (const name of Object.keys(SKIPPED)) {
    assert.ok(!catalog.has(name), `${name}: skipped but in the catalog`);
    assert.ok(snapshot.providers.some((p) => sourceFields.get(p.name)!.has(name)), `${name}: skipped but in no table`);
  }
  const libsinsp = sourceFields.get('libsinsp')!;
  for (const [name, { arg }] of Object.entries(ARG_FORM_BY_CODE)) assert.notEqual(libsinsp.get(name)?.arg, arg, `${name}: the table now agrees`);
  for (const name of Object.keys(LIBSINSP_ARG_KINDS)) assert.ok(libsinsp.get(name)?.arg || ARG_FORM_BY_CODE[name], `${name}: takes no argument in libsinsp`);
  for (const s of libsinsp.values()) if (s.arg) assert.ok(LIBSINSP_ARG_KINDS[s.name], `${s.name}: argument kind not recorded`);
});

test('argument examples fit the argument kind the sources give: a number for an index, a name for a key', () => {
  const problems: string[] = [];
  for (const f of allFields()) {
    if (!f.arg) continue;
    const arg = lookupField(f.arg.example)?.arg ?? '';
    const numeric = /^\d+$/.test(arg);
    if (f.arg.kind === 'index' && !numeric) problems.push(`${f.name}: index argument, example ${f.arg.example}`);
    if (f.arg.kind === 'key' && numeric) problems.push(`${f.name}: key argument, example ${f.arg.example}`);
  }
  assert.deepEqual(problems, []);
});

test('fields whose argument libsinsp only accepts after a dot are marked dotOnly, and nothing else is', () => {
  const dotOnly = allFields().filter((f) => f.arg?.dotOnly).map((f) => f.name).sort();
  assert.deepEqual(dotOnly, [...LIBSINSP_DOT_ONLY].sort());
  for (const f of allFields()) if (f.arg?.dotOnly) assert.ok(f.arg.dotForm && f.arg.example.startsWith(`${f.name}.`), `${f.name}: dot-only with a dot example`);
});
