import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { allFields, fieldsForOutputKey, fieldsForSource, lookupField } from '../../server/src/knowledge';
import type { FieldSource } from '../../server/src/knowledge';

const corpus = join(process.cwd(), '..', 'shared', 'corpus', 'rules');
const hasCorpus = existsSync(corpus);

const FIELD_TYPES = new Set([
  'CHARBUF', 'BYTEBUF', 'FSPATH', 'FSRELPATH', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64',
  'BOOL', 'DOUBLE', 'ABSTIME', 'RELTIME', 'IPADDR', 'IPNET', 'PORT', 'L4PROTO', 'SOCKFAMILY', 'MODE', 'ERRNO', 'FD', 'PID',
  'SIGTYPE', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'SYSCALLID', 'UID', 'GID', 'DYN',
]);
const SOURCES = new Set<string>(['syscall', 'k8s_audit', 'aws_cloudtrail', 'gcp_auditlog', 'okta', 'github']);
/** Field classes built into libsinsp; every other class comes from a plugin and must name it. */
const LIBSINSP_CLASSES = new Set(['evt', 'syscall', 'proc', 'thread', 'user', 'group', 'fd', 'fdlist', 'fs', 'util']);
const FIELD_NAME = /^[a-z][a-z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/;

test('every catalog entry is well formed: unique name, known type and sources, one-sentence description', () => {
  const seen = new Set<string>();
  for (const f of allFields()) {
    assert.match(f.name, FIELD_NAME, `${f.name}: field name syntax`);
    assert.ok(!seen.has(f.name), `${f.name}: duplicate`);
    seen.add(f.name);
    assert.ok(FIELD_TYPES.has(f.type), `${f.name}: type ${f.type}`);
    assert.ok(f.sources.length > 0, `${f.name}: no source`);
    for (const s of f.sources) assert.ok(SOURCES.has(s), `${f.name}: source ${s}`);
    assert.ok(f.desc.length >= 10 && f.desc.length <= 220, `${f.name}: description length`);
    assert.match(f.desc, /\.$/, `${f.name}: description ends with a full stop`);
    // One sentence: no sentence break inside (abbreviations like "e.g." are followed by a lower-case word or code).
    assert.doesNotMatch(f.desc.slice(0, -1), /[.!?]\s+[A-Z]/, `${f.name}: more than one sentence`);
    const cls = f.name.split('.')[0];
    if (!LIBSINSP_CLASSES.has(cls) && f.name !== 'container.info') assert.ok(f.plugin, `${f.name}: a non-libsinsp field names its plugin`);
    if (LIBSINSP_CLASSES.has(cls) && f.plugin) assert.match(f.name, /^proc\.is_container_/, `${f.name}: plugin field in a libsinsp class`);
    if (f.since) assert.match(f.since, /^0\.\d+\.\d+$/, `${f.name}: since`);
    for (const key of f.outputKeys ?? []) assert.match(key, /^[A-Za-z_][A-Za-z0-9_]*$/, `${f.name}: output key ${key}`);
    if (f.conditionOnly) assert.ok(!f.outputOnly, `${f.name}: both condition-only and output-only`);
  }
  assert.ok(seen.size > 550, `catalog has ${seen.size} fields`);
});

test('argument examples resolve back to their own field, with the argument', () => {
  let withArgs = 0;
  for (const f of allFields()) {
    if (!f.arg) continue;
    withArgs++;
    const match = lookupField(f.arg.example);
    assert.equal(match?.field.name, f.name, `${f.arg.example} resolves to ${f.name}`);
    assert.ok(match?.arg, `${f.arg.example} carries its argument`);
    if (f.arg.dotForm) assert.ok(f.arg.example.startsWith(`${f.name}.`) || f.arg.example.startsWith(`${f.name}[`));
    else assert.ok(f.arg.example.startsWith(`${f.name}[`), `${f.name}: bracket example`);
  }
  assert.ok(withArgs > 60);
});

test('lookupField resolves index, key, dot and plain forms', () => {
  assert.deepEqual(pick(lookupField('proc.aname[2]')), ['proc.aname', '2']);
  assert.deepEqual(pick(lookupField('proc.aname')), ['proc.aname', undefined]);
  assert.deepEqual(pick(lookupField('evt.arg[flags]')), ['evt.arg', 'flags']);
  assert.deepEqual(pick(lookupField('evt.arg.flags')), ['evt.arg', 'flags']);
  assert.deepEqual(pick(lookupField('evt.arg[0]')), ['evt.arg', '0']);
  assert.deepEqual(pick(lookupField('evt.type.is.open')), ['evt.type.is', 'open']);
  assert.deepEqual(pick(lookupField('thread.cgroup.cpuacct')), ['thread.cgroup', 'cpuacct']);
  assert.deepEqual(pick(lookupField('ka.req.pod.containers.image[0]')), ['ka.req.pod.containers.image', '0']);
  assert.deepEqual(pick(lookupField('ka.req.pod.containers.image')), ['ka.req.pod.containers.image', undefined]);
  assert.deepEqual(pick(lookupField('container.mount.dest[/var/run/docker.sock]')), ['container.mount.dest', '/var/run/docker.sock']);
  assert.deepEqual(pick(lookupField('json.value[/responseElements/ConsoleLogin]')), ['json.value', '/responseElements/ConsoleLogin']);
  // Longest names win over a dot-form reading of a shorter one.
  assert.deepEqual(pick(lookupField('thread.cgroups')), ['thread.cgroups', undefined]);
  assert.deepEqual(pick(lookupField('evt.args')), ['evt.args', undefined]);
  assert.equal(lookupField('proc.nmae'), undefined);
  assert.equal(lookupField('proc.name.extra'), undefined, 'fields without a dot form take no dotted suffix');
  assert.equal(lookupField('k8s_adit.user'), undefined);
});

function pick(m: ReturnType<typeof lookupField>): [string | undefined, string | undefined] {
  return [m?.field.name, m?.arg];
}

test('sources are kept apart: k8s_audit has no syscall-only field and the other way round', () => {
  const k8s = fieldsForSource('k8s_audit');
  const syscall = fieldsForSource('syscall');
  const syscallOnlyClasses = new Set(['proc', 'thread', 'fd', 'fdlist', 'fs', 'user', 'group', 'container', 'k8s', 'k8smeta']);
  assert.ok(k8s.length >= 100 && syscall.length >= 300);
  for (const f of k8s) assert.ok(!syscallOnlyClasses.has(f.name.split('.')[0]), `${f.name} offered for k8s_audit`);
  for (const f of syscall) assert.ok(!/^(ka|jevt|json|ct|s3|ec2|ecr|iam|gcp|okta|github)\./.test(f.name), `${f.name} offered for syscall`);
  // Generic event fields exist in every source; syscall-specific evt fields do not.
  assert.ok(k8s.some((f) => f.name === 'evt.time'));
  assert.ok(!k8s.some((f) => f.name === 'evt.type'));
  assert.ok(fieldsForSource('aws_cloudtrail').some((f) => f.name === 'json.value'));
  assert.equal(fieldsForSource('no_such_source').length, 0);
});

test('deprecations and usage limits follow Falco 0.44', () => {
  const byName = new Map(allFields().map((f) => [f.name, f]));
  for (const name of ['evt.dir', 'evt.latency', 'evt.latency.s', 'evt.latency.ns', 'evt.latency.human', 'evt.wait_latency', 'container.info']) {
    assert.ok(byName.get(name)?.deprecated, `${name} is deprecated`);
  }
  assert.equal(byName.get('proc.name')?.deprecated, undefined);
  // Falco warns about a condition's field only when it equals a name of its list (falco_load_result.cpp:147-152 at
  // 0.44.1), which evt.latency.quantized is not; an output's check matches by substring.
  assert.match(byName.get('evt.latency.quantized')?.deprecated ?? '', /warns on it in an output, not in a condition/);
  for (const name of ['fd.ip', 'fd.port', 'fd.net', 'fd.rnet', 'evt.around']) assert.ok(byName.get(name)?.conditionOnly, name);
  assert.ok(byName.get('evt.outputtime')?.outputOnly);
  assert.equal(byName.get('container.id')?.plugin, 'container');
  assert.equal(byName.get('k8smeta.pod.name')?.plugin, 'k8smeta');
  assert.equal(byName.get('proc.is_exe_from_memfd')?.type, 'BOOL');
  assert.equal(byName.get('user.loginuid')?.type, 'INT64');
  assert.equal(byName.get('proc.tty')?.type, 'UINT32');
  assert.equal(byName.get('fd.types')?.isList, true);
});

test('output keys lead back to fields, narrowed by source', () => {
  assert.deepEqual(fieldsForOutputKey('process', 'syscall').map((f) => f.name), ['proc.name']);
  assert.deepEqual(fieldsForOutputKey('command', 'syscall').map((f) => f.name), ['proc.cmdline']);
  assert.deepEqual(fieldsForOutputKey('terminal').map((f) => f.name), ['proc.tty']);
  assert.deepEqual(fieldsForOutputKey('container_image_repository').map((f) => f.name), ['container.image.repository']);
  assert.deepEqual(fieldsForOutputKey('user', 'k8s_audit').map((f) => f.name), ['ka.user.name']);
  assert.ok(fieldsForOutputKey('user').length > 3, 'short keys are shared across sources');
  assert.deepEqual(fieldsForOutputKey('no_such_key'), []);
});

// ---- The official and plugin rules files: every field they use is in the catalog for their source. ----

/** Files whose plugins no catalog can fully know (example plugins); the test leaves them out on purpose. */
const EXCLUDED_PLUGIN_DIRS = new Set(['krsi', 'dummy', 'k8smeta']);

interface RulesFile { path: string; items: Record<string, unknown>[] }

function rulesFiles(): RulesFile[] {
  const official = join(corpus, 'falcosecurity__rules');
  const paths = readdirSync(official).filter((n) => n.endsWith('.yaml')).map((n) => join(official, n));
  for (const tag of readdirSync(join(official, 'tags'))) {
    for (const n of readdirSync(join(official, 'tags', tag))) if (n.endsWith('.yaml')) paths.push(join(official, 'tags', tag, n));
  }
  const plugins = join(corpus, 'falcosecurity__plugins');
  for (const dir of readdirSync(plugins)) {
    if (EXCLUDED_PLUGIN_DIRS.has(dir)) continue;
    for (const n of readdirSync(join(plugins, dir))) if (n.endsWith('.yaml')) paths.push(join(plugins, dir, n));
  }
  return paths.map((path) => ({
    path,
    items: parseAllDocuments(readFileSync(path, 'utf8')).flatMap((d) => (d.toJS() ?? []) as Record<string, unknown>[]),
  }));
}

const COMPARISON = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith',
  'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch']);
const MODIFIERS = new Set(['oneof', 'anyof', 'allof']);
const TRANSFORMERS = new Set(['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt', 'val']);
const FIELD_TOKEN = /^[a-z][a-z0-9_]*\.[a-zA-Z0-9_.]+(\[[^\]]*\])?$/;

/**
 * Field references of a condition. Quoted strings are dropped; the right-hand side of a comparison (a bare word or a
 * parenthesised list) is a value, not a field, except inside val(); so `proc.name in (kafka.Kafka)` yields proc.name only.
 */
function conditionFields(condition: string): string[] {
  const tokens = condition.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' "" ')
    .match(/""|==|!=|<=|>=|[=<>(),]|(?:[^\s(),=<>!"\[\]]|\[[^\]]*\])+/g) ?? [];
  const fields: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (COMPARISON.has(t)) {
      let j = i + 1;
      if (MODIFIERS.has(tokens[j])) j++;
      if (tokens[j] === '(') j = skipGroup(tokens, j);
      else if (TRANSFORMERS.has(tokens[j]) && tokens[j + 1] === '(') j = j + 1; // val(field): its field is read next
      i = j;
      continue;
    }
    if (FIELD_TOKEN.test(t)) fields.push(t);
  }
  return fields;
}

function skipGroup(tokens: string[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j] === '(') depth++;
    else if (tokens[j] === ')' && --depth === 0) return j;
  }
  return tokens.length;
}

function outputFields(output: string): string[] {
  return [...output.matchAll(/%\(?([a-z][a-z0-9_]*\.[a-zA-Z0-9_.]+(\[[^\]]*\])?)/g)].map((m) => m[1]);
}

test('the condition tokenizer keeps fields and drops values', () => {
  assert.deepEqual(conditionFields('proc.name in (kafka.Kafka, "a b") and fd.name startswith /etc/ld.so.preload'), ['proc.name', 'fd.name']);
  assert.deepEqual(conditionFields('proc.tty!=0 and not proc.cmdline contains com.datastax and evt.arg.flags contains EXE_WRITABLE'),
    ['proc.tty', 'proc.cmdline', 'evt.arg.flags']);
  assert.deepEqual(conditionFields('(tolower(proc.name) = bash) or fd.sip = val(fd.cip)'), ['proc.name', 'fd.sip', 'fd.cip']);
  assert.deepEqual(conditionFields('container.mount.dest[/var/run/docker.sock] != "" and ka.uri.param[command] startswith oneof (a.b, c)'),
    ['container.mount.dest[/var/run/docker.sock]', 'ka.uri.param[command]']);
  assert.deepEqual(conditionFields('my_macro and json.value[/a/b]="x.y"'), ['json.value[/a/b]']);
});

test('every field used by the official and plugin rules is in the catalog for the rule\'s source', { skip: !hasCorpus && 'corpus absent' }, () => {
  const missing: string[] = [];
  let checked = 0;
  for (const file of rulesFiles()) {
    // A macro's conditions serve the rules of its file; a file's rules share one source (checked below).
    const ruleSources = new Set(file.items.filter((i) => 'rule' in i && 'condition' in i).map((i) => String(i.source ?? 'syscall')));
    assert.ok(ruleSources.size <= 1, `${file.path}: one source per file`);
    const fileSource = [...ruleSources][0] ?? (file.path.includes('k8saudit') ? 'k8s_audit' : 'syscall');
    for (const item of file.items) {
      if (!('rule' in item) && !('macro' in item)) continue;
      const source = 'rule' in item && item.source ? String(item.source) : fileSource;
      const refs = [
        ...(typeof item.condition === 'string' ? conditionFields(item.condition) : []),
        ...(typeof item.output === 'string' ? outputFields(item.output) : []),
      ];
      for (const ref of refs) {
        checked++;
        const match = lookupField(ref);
        if (!match || !(match.field.sources as string[]).includes(source)) {
          missing.push(`${file.path.slice(corpus.length + 1)}: ${ref} (${source})`);
        }
      }
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(checked > 3000, `${checked} field references checked`);
});

test('every key=%field pair of the rules outputs is known as an output key of that field', { skip: !hasCorpus && 'corpus absent' }, () => {
  const unknown: string[] = [];
  for (const file of rulesFiles()) {
    if (/[\\/]tags[\\/]/.test(file.path)) continue; // older rules may use keys that were renamed since
    for (const item of file.items) {
      if (!('rule' in item) || typeof item.output !== 'string') continue;
      const source = String(item.source ?? 'syscall') as FieldSource;
      for (const m of item.output.matchAll(/([A-Za-z_][A-Za-z0-9_.]*)=%\(?([a-z][a-z0-9_]*\.[a-zA-Z0-9_.]+(\[[^\]]*\])?)/g)) {
        const [, key, ref] = m;
        const match = lookupField(ref);
        // Keys of argument-specific references (gparent=%proc.aname[2] is kept, jevt.value[/x] is not) and keys that
        // are the field name itself need no entry.
        if (!match || key === ref || (match.field.name === 'jevt.value' || match.field.name === 'json.value')) continue;
        if (!fieldsForOutputKey(key, source).includes(match.field)) unknown.push(`${item.rule}: ${key}=%${ref}`);
      }
    }
  }
  assert.deepEqual(unknown, []);
});

// ---- Cross-check with Debian's sysdig (libsinsp of 2022): still-existing classes are all in the catalog. ----

const sysdig = spawnSync('sysdig', ['-l', '-v'], { encoding: 'utf8' });
const hasSysdig = sysdig.status === 0 && sysdig.stdout.includes('Field Class');

test('fields that sysdig -l lists are in the catalog with the same type, unless libsinsp removed or retyped them', { skip: !hasSysdig && 'sysdig not installed' }, () => {
  // Classes libsinsp dropped after 2022 (tracers, syslog and Mesos support); container.* and k8s.* moved to the
  // container plugin in Falco 0.41 and are checked like the rest.
  const removedClasses = new Set(['span', 'evtin', 'syslog', 'mesos', 'marathon']);
  // Type changes made in libsinsp since the 2022 build (checked against libs at the Falco 0.33..0.44 tags).
  const retyped: Record<string, string> = {
    'evt.rawarg': 'DYN', 'proc.nthreads': 'UINT64', 'proc.nchilds': 'UINT64', 'proc.tty': 'UINT32', 'user.loginuid': 'INT64', 'group.gid': 'UINT32',
    // The container plugin exposes strings where libsinsp had typed values.
  };
  const byName = new Map(allFields().map((f) => [f.name, f]));
  const problems: string[] = [];
  let listed = 0;
  for (const m of sysdig.stdout.matchAll(/^([a-z][a-z0-9_]*\.[a-zA-Z0-9_.]+)\s+\(Type: ([A-Z0-9_]+)\)/gm)) {
    const [, name, type] = m;
    listed++;
    if (removedClasses.has(name.split('.')[0])) continue;
    const field = byName.get(name);
    if (!field) { problems.push(`${name}: missing`); continue; }
    const expected = retyped[name] ?? type;
    if (field.plugin === 'container') continue; // plugin types are checked against the plugin source, not libsinsp
    if (field.type !== expected) problems.push(`${name}: ${field.type}, sysdig says ${type}`);
  }
  assert.ok(listed > 200);
  assert.deepEqual(problems, []);
});

test('output keys that stand for an argument render the field with it', async () => {
  const { referenceForOutputKey } = await import('../../server/src/knowledge');
  assert.equal(referenceForOutputKey('exe_flags', 'syscall'), 'evt.arg.flags');
  assert.equal(referenceForOutputKey('target', 'syscall'), 'evt.arg.target');
  assert.equal(referenceForOutputKey('process', 'syscall'), 'proc.name');
  assert.equal(referenceForOutputKey('user_loginuid', 'syscall'), 'user.loginuid');
  assert.equal(referenceForOutputKey('no_such_key_at_all', 'syscall'), undefined);
});
