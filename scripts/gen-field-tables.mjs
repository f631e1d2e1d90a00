// Regenerates test/fixtures/field-tables.json: the field tables of libsinsp and of the plugins whose fields the catalog
// (server/src/knowledge/fields/*.ts) describes, read from their sources. test/unit/knowledge-field-tables.test.ts
// checks the catalog against it. Facts only (names, types, flags); no descriptions.
//
//   node scripts/gen-field-tables.mjs <libs git dir> <plugins git dir> <falco git dir>
//   e.g. node scripts/gen-field-tables.mjs /work/.mirror/falcosecurity+libs/repo /work/.mirror/falcosecurity+plugins/repo \
//          /work/.mirror/falcosecurity+falco/repo
//   add --out <file> to write somewhere else
//
// Every file is read at a release tag with `git show <tag>:<path>`; the tags are the PROVIDERS list below. To move
// the catalog to newer releases, change a tag, regenerate, and let the test name what changed.
//
// What is read:
//  - libsinsp: the filtercheck_field_info tables of the filter checks that filter_check_list.cpp registers for the
//    syscall source (gen_event, event, thread, user, group, fd, fspath, utils, fdlist); an entry is
//    {PT_type, flags, PF_format, "name", ...}. gen_event's fields are the generic ones libsinsp also gives plugin sources.
//  - C++ plugins (container, k8smeta): the falcosecurity::field_info array of get_fields(); an entry is
//    {FTYPE_type, "name", "display", "desc", arg, isList, properties, addOutput} (plugin SDK for C++ member order).
//  - Go plugins (k8saudit, json, cloudtrail, gcpaudit, okta, github): the []sdk.FieldEntry literals, entries
//    {Type: "...", Name: "...", Arg: sdk.FieldEntryArg{...}, IsList: ..., Properties: []string{...}, AddOutput: ...}.
//    k8saudit builds its init and ephemeral container fields with a helper (containerListFields); that helper is
//    read by its own small reader below, which fails loudly if its shape changes.
//
// Plugin types are named as libsinsp's plugin loader maps them (plugin.cpp s_pt_lut: string -> CHARBUF, ...); plugin
// argument flags follow the loader too (isIndex or isKey implies "argument allowed"). A field is written as
//   {"name", "type", "arg"?: "required" | "allowed", "argKind"?: "index" | "key" | "index-or-key", "list"?, "deprecated"?,
//    "filterOnly"?, "printOnly"?, "hidden"?, "suggestedOutput"?, "check"? (libsinsp filter check), "labelDeprecated"?,
//    "since"? (libsinsp and container: the first Falco release after 0.33.0 that has the field; see FALCO_RELEASES),
//    "argSince"? (libsinsp: the first of those releases whose table flags the argument, for a field that had none before,
//    read from Falco 0.37 on, see ARG_FLAGS_FROM)}
// where labelDeprecated marks plugin fields whose display name says "[Deprecated]" (plugins have no deprecation flag,
// so Falco does not warn about them). A provider's `sources` are the event sources the catalog offers its fields in;
// they are set in PLUGINS, not read (json declares no event source, so libsinsp would offer it to every source; the
// catalog offers it to the plugin sources, whose events are JSON).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const outFile = outAt >= 0 ? args.splice(outAt, 2)[1] : new URL('../test/fixtures/field-tables.json', import.meta.url);
const [libsDir, pluginsDir, falcoDir] = args;
if (!libsDir || !pluginsDir || !falcoDir) {
  console.error('usage: node scripts/gen-field-tables.mjs <libs git dir> <plugins git dir> <falco git dir> [--out <file>]');
  process.exit(2);
}

// The releases read. libs 0.25.2 is the one Falco 0.44 bundles (Falco's cmake/modules/falcosecurity-libs.cmake).
// Plugins: the newest release not newer than Falco 0.44.0 (2026-05-25), except k8saudit 0.18.0, which the official
// k8s_audit rules require (required_plugin_versions) and Falco 0.44.1's era shipped.
const LIBS_TAG = '0.25.2';
// Falco releases whose libs are read for `since` (the first of them whose libs declare a field). Fields already in
// the libs of the first one get no `since`: the catalog states it only for fields newer than Falco 0.33.
const FALCO_RELEASES = ['0.33.0', '0.34.0', '0.35.0', '0.36.0', '0.37.0', '0.38.0', '0.39.0', '0.40.0', '0.41.0', '0.42.0', '0.43.0', '0.44.0'];
const LIBS_CHECKS = ['gen_event', 'event', 'thread', 'user', 'group', 'fd', 'fspath', 'utils', 'fdlist'];
const PLUGINS = [
  { name: 'container', tag: 'plugins/container/v0.7.1', lang: 'cpp', files: ['plugins/container/src/caps/extract/extract.cpp'], sources: ['syscall'] },
  { name: 'k8smeta', tag: 'plugins/k8smeta/v0.4.1', lang: 'cpp', files: ['plugins/k8smeta/src/plugin.cpp'], sources: ['syscall'] },
  { name: 'k8saudit', tag: 'plugins/k8saudit/v0.18.0', lang: 'go', files: ['plugins/k8saudit/pkg/k8saudit/fields.go'], sources: ['k8s_audit'],
    // The managed-cluster variants the official rules accept as alternatives build on the k8saudit package; their
    // go.mod must require this very k8saudit release for its table to be theirs (checked below).
    sharedBy: ['plugins/k8saudit-eks/v0.12.0', 'plugins/k8saudit-gke/v0.9.0', 'plugins/k8saudit-aks/v0.6.0', 'plugins/k8saudit-ovh/v0.6.0'] },
  { name: 'json', tag: 'plugins/json/v0.7.4', lang: 'go', files: ['plugins/json/pkg/json/json.go'], sources: ['k8s_audit', 'aws_cloudtrail', 'gcp_auditlog', 'okta', 'github'] },
  { name: 'cloudtrail', tag: 'plugins/cloudtrail/v0.17.1', lang: 'go', files: ['plugins/cloudtrail/pkg/cloudtrail/extract.go'], sources: ['aws_cloudtrail'] },
  { name: 'gcpaudit', tag: 'plugins/gcpaudit/v0.8.1', lang: 'go', files: ['plugins/gcpaudit/pkg/gcpaudit/extract.go'], sources: ['gcp_auditlog'] },
  { name: 'okta', tag: 'plugins/okta/v0.12.0', lang: 'go', files: ['plugins/okta/pkg/okta/okta.go'], sources: ['okta'] },
  { name: 'github', tag: 'plugins/github/v0.10.1', lang: 'go', files: ['plugins/github/pkg/github/extract.go'], sources: ['github'] },
];

const git = (dir, ...a) => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });
const show = (dir, tag, path) => git(dir, 'show', `${tag}:${path}`);
const commitOf = (dir, tag) => git(dir, 'rev-parse', `${tag}^{commit}`).trim();

// ---- A small reader for C-like source text (C++ and Go): strings, comments and brackets ----

/** Index just past the string, char or comment starting at i, or -1 when none starts there. */
function skipLiteral(text, i) {
  const c = text[i];
  if (c === '/' && text[i + 1] === '/') { const end = text.indexOf('\n', i); return end < 0 ? text.length : end; }
  if (c === '/' && text[i + 1] === '*') { const end = text.indexOf('*/', i + 2); return end < 0 ? text.length : end + 2; }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '`') { const end = text.indexOf('`', i + 1); return end < 0 ? text.length : end + 1; }
  return -1;
}

/** Given the index of an opening bracket, the index of its matching closing bracket. */
function matchBracket(text, open) {
  const closer = { '{': '}', '(': ')', '[': ']' };
  const stack = [];
  for (let i = open; i < text.length;) {
    const skip = skipLiteral(text, i);
    if (skip >= 0) { i = skip; continue; }
    const c = text[i];
    if (closer[c]) stack.push(closer[c]);
    else if (c === '}' || c === ')' || c === ']') {
      if (stack.pop() !== c) throw new Error(`unbalanced ${c} at ${i}`);
      if (stack.length === 0) return i;
    }
    i++;
  }
  throw new Error(`no match for bracket at ${open}`);
}

/** Splits text on commas that are outside brackets, strings and comments; trims, drops empty parts and comments. */
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length;) {
    const skip = skipLiteral(text, i);
    if (skip >= 0) { i = skip; continue; }
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
    i++;
  }
  parts.push(text.slice(start));
  return parts.map(stripComments).map((p) => p.trim()).filter((p) => p !== '');
}

function stripComments(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const skip = skipLiteral(text, i);
    if (skip >= 0) {
      if (text[i] !== '/') out += text.slice(i, skip);
      i = skip;
      continue;
    }
    out += text[i++];
  }
  return out;
}

/** The bodies (text between the braces) of every brace block that directly follows a match of `opener`. */
function blocksAfter(text, opener) {
  const bodies = [];
  for (const m of text.matchAll(opener)) {
    const open = text.indexOf('{', m.index + m[0].length - 1);
    bodies.push(text.slice(open + 1, matchBracket(text, open)));
  }
  return bodies;
}

/** The value of one string literal or of several joined (C++ adjacency or Go `+`); undefined for anything else. */
function stringValue(expr) {
  const literals = [...expr.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`/g)];
  const rest = expr.replace(/"((?:[^"\\]|\\.)*)"|`([^`]*)`/g, '').replace(/[\s+]/g, '');
  if (literals.length === 0 || rest !== '') return undefined;
  return literals.map((m) => (m[2] ?? JSON.parse(`"${m[1]}"`))).join('');
}

const unbrace = (expr) => {
  const t = expr.trim();
  if (!t.startsWith('{') || matchBracket(t, 0) !== t.length - 1) throw new Error(`not a brace initializer: ${t.slice(0, 80)}`);
  return t.slice(1, -1);
};

// ---- libsinsp ----

const PT_NAMES = new Set(['CHARBUF', 'BYTEBUF', 'FSPATH', 'FSRELPATH', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16',
  'UINT32', 'UINT64', 'BOOL', 'DOUBLE', 'ABSTIME', 'RELTIME', 'IPADDR', 'IPNET', 'PORT', 'L4PROTO', 'SOCKFAMILY', 'MODE',
  'ERRNO', 'FD', 'PID', 'SIGTYPE', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'SYSCALLID', 'UID', 'GID', 'DYN']);

function libsinspFields() {
  const fields = [];
  const files = [];
  for (const check of LIBS_CHECKS) {
    const path = `userspace/libsinsp/sinsp_filtercheck_${check}.cpp`;
    files.push(path);
    const tables = blocksAfter(show(libsDir, LIBS_TAG, path), /filtercheck_field_info\s+\w+\[\]\s*=\s*\{/g);
    if (tables.length !== 1) throw new Error(`${path}: ${tables.length} field tables`);
    for (const entry of splitTopLevel(tables[0])) {
      const [type, flags, , name] = splitTopLevel(unbrace(entry));
      const pt = /^PT_(\w+)$/.exec(type)?.[1];
      const fieldName = stringValue(name ?? '');
      if (!pt || !PT_NAMES.has(pt) || !fieldName) throw new Error(`${path}: unreadable entry ${entry.slice(0, 100)}`);
      const epf = new Set(flags.match(/EPF_\w+/g) ?? []);
      fields.push(compact({
        name: fieldName, type: pt, check,
        arg: epf.has('EPF_ARG_REQUIRED') ? 'required' : epf.has('EPF_ARG_ALLOWED') ? 'allowed' : undefined,
        argKind: argKind(epf.has('EPF_ARG_INDEX'), epf.has('EPF_ARG_KEY')),
        list: epf.has('EPF_IS_LIST'), deprecated: epf.has('EPF_DEPRECATED'), filterOnly: epf.has('EPF_FILTER_ONLY'),
        printOnly: epf.has('EPF_PRINT_ONLY'), hidden: epf.has('EPF_TABLE_ONLY'), suggestedOutput: epf.has('EPF_FORMAT_SUGGESTED'),
      }));
    }
  }
  const sinceRead = libsinspSince(fields);
  return { name: 'libsinsp', repo: 'falcosecurity/libs', tag: LIBS_TAG, commit: commitOf(libsDir, LIBS_TAG), files,
    sources: ['syscall'], genericSources: ['syscall', 'k8s_audit', 'aws_cloudtrail', 'gcp_auditlog', 'okta', 'github'],
    sinceRead, fields };
}

const argKind = (index, key) => (index && key ? 'index-or-key' : index ? 'index' : key ? 'key' : undefined);

/** Drops false and undefined members so that the snapshot lists only the flags a field has. */
function compact(field) {
  return Object.fromEntries(Object.entries(field).filter(([, v]) => v !== undefined && v !== false));
}

/** The libs release a Falco release bundles (cmake/modules/falcosecurity-libs.cmake: the version set when no local libs are used). */
function libsOfFalco(falcoTag) {
  const versions = [...show(falcoDir, falcoTag, 'cmake/modules/falcosecurity-libs.cmake').matchAll(/set\(FALCOSECURITY_LIBS_VERSION\s+"([^"]+)"\)/g)]
    .map((m) => m[1]).filter((v) => v !== '0.0.0-local');
  if (versions.length !== 1) throw new Error(`Falco ${falcoTag}: libs version not found (${versions.join(', ')})`);
  return versions[0];
}

/**
 * Every field in the filter-check tables of a libs release (every table of userspace/libsinsp/*.cpp), by name, with
 * the argument its table flags ('required', 'allowed', or undefined for none).
 */
const libsNamesCache = new Map();
function libsinspNamesAt(tag) {
  if (libsNamesCache.has(tag)) return libsNamesCache.get(tag);
  const names = new Map();
  const paths = git(libsDir, 'grep', '-l', 'filtercheck_field_info', tag, '--', 'userspace/libsinsp/*.cpp')
    .split('\n').filter(Boolean).map((line) => line.slice(tag.length + 1)).filter((path) => !path.slice('userspace/libsinsp/'.length).includes('/'));
  for (const path of paths) {
    for (const table of blocksAfter(show(libsDir, tag, path), /filtercheck_field_info\s+\w+\[\]\s*=\s*\{/g)) {
      for (const entry of splitTopLevel(table)) {
        const parts = splitTopLevel(unbrace(entry));
        const name = parts.map(stringValue).find((v) => v !== undefined);
        const epf = new Set(parts[1]?.match(/EPF_\w+/g) ?? []);
        if (name) names.set(name, epf.has('EPF_ARG_REQUIRED') ? 'required' : epf.has('EPF_ARG_ALLOWED') ? 'allowed' : undefined);
      }
    }
  }
  libsNamesCache.set(tag, names);
  return names;
}

/**
 * Sets `since` on the fields that the first of FALCO_RELEASES did not have yet. `namesOf(falco)` gives the names a
 * release knows, or undefined when they cannot be read (then a field first seen in the next release is an error:
 * it may have come in the unreadable one). Returns what was read.
 */
function addSince(fields, namesOf) {
  const read = [];
  const seenBefore = new Set();
  let previousUnread = false;
  FALCO_RELEASES.forEach((falco, i) => {
    const { names, ...what } = namesOf(falco);
    read.push({ falco, ...what });
    if (!names) { previousUnread = true; return; }
    for (const f of fields) {
      if (!names.has(f.name) || seenBefore.has(f.name)) continue;
      seenBefore.add(f.name);
      if (previousUnread && i > 0) throw new Error(`${f.name}: first seen in Falco ${falco}, after a release that could not be read`);
      if (i > 0) f.since = falco;
    }
    previousUnread = false;
  });
  const never = fields.filter((f) => !seenBefore.has(f.name));
  if (never.length) throw new Error(`not found in any Falco release: ${never.map((f) => f.name).join(', ')}`);
  return read;
}

/** libsinsp fields: the names of the libs each Falco release bundles. */
function libsinspSince(fields) {
  const read = addSince(fields, (falco) => {
    const libs = libsOfFalco(falco);
    return { libs, names: libsinspNamesAt(libs) };
  });
  if (read.at(-1).libs !== LIBS_TAG) throw new Error(`Falco ${read.at(-1).falco} bundles libs ${read.at(-1).libs}, not ${LIBS_TAG}`);
  addArgSince(fields, read);
  return read;
}

/**
 * The first Falco release whose libs flag every argument a field takes: libs 0.14 added EPF_ARG_ALLOWED to the fields
 * whose parse code already read an optional argument (libs commit e178243fd, "Add EPF_ARG_ALLOWED to filterchecks that
 * can have arguments"; proc.aname[N] worked long before), so older tables say nothing about arguments.
 */
const ARG_FLAGS_FROM = '0.37.0';

/**
 * Sets `argSince` on the fields with an argument that an earlier Falco release (from ARG_FLAGS_FROM) had without one:
 * the first release after the last one whose table flags no argument (proc.args: EPF_ARG_ALLOWED from libs 0.21.0).
 * libsinsp reads a built-in field's argument in its check's parse_field_name, not from the flags, so the flags are a
 * fact to check against the parse code at each tag; for proc.args they move together (sinsp_filtercheck_thread.cpp
 * parse_field_name of 0.21.0 reads `proc.args[N]`, 0.20.0 lets the base class match `proc.args` alone, so
 * `proc.args[N]` is a nonexistent field there). The parse code of the other fields that take an argument reads it
 * the same way at every libs release from 0.14.2 to 0.25.2.
 */
function addArgSince(fields, read) {
  const flagged = read.slice(read.findIndex((r) => r.falco === ARG_FLAGS_FROM));
  for (const f of fields) {
    if (!f.arg) continue;
    let lastWithout;
    for (const { falco, libs } of flagged) {
      const names = libsinspNamesAt(libs);
      if (names.has(f.name) && names.get(f.name) === undefined) lastWithout = falco;
    }
    if (lastWithout !== undefined) f.argSince = flagged[flagged.findIndex((r) => r.falco === lastWithout) + 1].falco;
  }
}

/**
 * Container plugin fields: libsinsp had container.* and k8s.* until Falco 0.40; from 0.41 Falco bundles the container
 * plugin at the CONTAINER_VERSION its CMakeLists.txt sets (0.42 sets it in a cmake module the mirror may lack).
 */
function containerSince(fields) {
  const read = addSince(fields, (falco) => {
    const libs = libsOfFalco(falco);
    const names = new Set(libsinspNamesAt(libs).keys());
    if (compareVersions(falco, '0.41.0') < 0) return { libs, names };
    const container = /set\(CONTAINER_VERSION\s+"([^"]+)"\)/.exec(show(falcoDir, falco, 'CMakeLists.txt'))?.[1];
    if (!container) return { libs, container: null, names: undefined };
    const text = show(pluginsDir, `plugins/container/v${container}`, 'plugins/container/src/caps/extract/extract.cpp');
    for (const f of cppPluginFields({ name: 'container' }, text)) names.add(f.name);
    return { libs, container, names };
  });
  if (read.at(-1).container !== PLUGINS.find((p) => p.name === 'container').tag.split('/v')[1]) {
    throw new Error(`Falco ${read.at(-1).falco} bundles container plugin ${read.at(-1).container}, not the release read`);
  }
  return read;
}

const compareVersions = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

// ---- Plugins ----

const PLUGIN_TYPES = { string: 'CHARBUF', uint64: 'UINT64', reltime: 'RELTIME', abstime: 'ABSTIME', bool: 'BOOL', ipaddr: 'IPADDR', ipnet: 'IPNET' };

function pluginType(name, where) {
  const type = PLUGIN_TYPES[name];
  if (!type) throw new Error(`${where}: unknown plugin field type ${name}`);
  return type;
}

/** A plugin field from the SDK's facts, with the loader's argument rules (plugin.cpp resolve_dylib_field_arg). */
function pluginField({ name, type, required, index, key, list, properties, addOutput, display }) {
  if (required && !index && !key) throw new Error(`${name}: required argument that is neither index nor key`);
  return compact({
    name, type,
    arg: required ? 'required' : index || key ? 'allowed' : undefined,
    argKind: argKind(index, key),
    list, hidden: properties.includes('hidden'), suggestedOutput: addOutput,
    labelDeprecated: /^\[Deprecated\]/i.test(display ?? ''),
  });
}

function cppPluginFields(plugin, text) {
  const body = blocksAfter(text, /::get_fields\(\)\s*\{/g)[0];
  if (!body) throw new Error(`${plugin.name}: get_fields() not found`);
  // Named argument descriptions: `falcosecurity::field_arg req_key_arg; req_key_arg.key = true; ...`.
  const namedArgs = new Map();
  for (const m of body.matchAll(/falcosecurity::field_arg\s+(\w+)\s*;/g)) namedArgs.set(m[1], {});
  for (const m of body.matchAll(/(\w+)\.(key|index|required)\s*=\s*(true|false)\s*;/g)) {
    if (namedArgs.has(m[1])) namedArgs.get(m[1])[m[2]] = m[3] === 'true';
  }
  const arrays = blocksAfter(body, /falcosecurity::field_info\s+\w+\[\]\s*=\s*\{/g);
  if (arrays.length !== 1) throw new Error(`${plugin.name}: ${arrays.length} field arrays`);
  return splitTopLevel(arrays[0]).map((entry) => {
    const [type, name, display, , arg = '{}', list = 'false', properties = '{}', addOutput = 'false'] = splitTopLevel(unbrace(entry));
    const fieldName = stringValue(name);
    const ft = /FTYPE_(\w+)$/.exec(type)?.[1];
    if (!fieldName || !ft) throw new Error(`${plugin.name}: unreadable entry ${entry.slice(0, 100)}`);
    let a = {};
    if (namedArgs.has(arg)) a = namedArgs.get(arg);
    else if (arg.startsWith('{')) {
      for (const m of unbrace(arg).matchAll(/\.(key|index|required)\s*=\s*(true|false)/g)) a[m[1]] = m[2] === 'true';
    } else if (arg !== 'falcosecurity::field_arg()') throw new Error(`${plugin.name}: ${fieldName}: unreadable argument ${arg}`);
    return pluginField({
      name: fieldName, type: pluginType(ft.toLowerCase(), `${plugin.name} ${fieldName}`), display: stringValue(display),
      required: a.required === true, index: a.index === true, key: a.key === true, list: list === 'true',
      properties: [...properties.matchAll(/"([^"]*)"/g)].map((m) => m[1]), addOutput: addOutput === 'true',
    });
  });
}

/** Key: value pairs of a Go composite literal body. */
function goMembers(body) {
  const members = {};
  for (const part of splitTopLevel(body)) {
    const m = /^(\w+)\s*:\s*([\s\S]*)$/.exec(part);
    if (!m) throw new Error(`unkeyed Go literal member: ${part.slice(0, 80)}`);
    members[m[1]] = m[2].trim();
  }
  return members;
}

function goArg(expr = '') {
  if (!expr) return {};
  const m = /^sdk\.FieldEntryArg\s*(\{[\s\S]*\})$/.exec(expr);
  if (!m) throw new Error(`unreadable Go argument ${expr}`);
  const a = goMembers(unbrace(m[1]));
  return { required: a.IsRequired === 'true', index: a.IsIndex === 'true', key: a.IsKey === 'true' };
}

function goField(plugin, members, name = stringValue(members.Name ?? '')) {
  if (!name) throw new Error(`${plugin.name}: field name is not a literal: ${members.Name}`);
  const a = goArg(members.Arg);
  return pluginField({
    name, type: pluginType(stringValue(members.Type ?? ''), `${plugin.name} ${name}`), display: stringValue(members.Display ?? '""'),
    ...a, list: members.IsList === 'true',
    properties: [...(members.Properties ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]), addOutput: members.AddOutput === 'true',
  });
}

function goPluginFields(plugin, text) {
  let rest = text;
  const fields = [];
  if (plugin.name === 'k8saudit') {
    const helper = /\nfunc containerListFields\(/.exec(text);
    if (!helper) throw new Error('k8saudit: containerListFields not found (the reader of the helper needs updating)');
    const helperEnd = matchBracket(text, text.indexOf('{', text.indexOf(')', helper.index)));
    const helperText = text.slice(helper.index, helperEnd + 1);
    rest = text.slice(0, helper.index) + text.slice(helperEnd + 1);
    fields.push(...k8sauditHelperFields(plugin, rest, helperText));
  }
  const lists = blocksAfter(rest, /(?:=|return)\s*\[\]sdk\.FieldEntry\s*\{/g);
  if (lists.length !== 1) throw new Error(`${plugin.name}: ${lists.length} []sdk.FieldEntry literals`);
  const main = splitTopLevel(lists[0]).map((entry) => goField(plugin, goMembers(unbrace(entry))));
  return [...main, ...fields];
}

/**
 * k8saudit 0.18: `containerListFields(list, label, withHostPort)` returns, for ka.req.pod.<list>., one field per
 * `entry("<suffix>", ...)` call, all made from one template literal; the host_port entry only when withHostPort.
 */
function k8sauditHelperFields(plugin, mainText, helperText) {
  const blockAfter = (re) => {
    const m = re.exec(helperText);
    if (!m) return undefined;
    const open = helperText.indexOf('{', m.index + m[0].length - 1);
    return helperText.slice(open, matchBracket(helperText, open) + 1);
  };
  const template = blockAfter(/return\s+sdk\.FieldEntry\s*\{/);
  const conditional = blockAfter(/if\s+withHostPort\s*\{/);
  const prefix = /prefix\s*:=\s*"([^"]+)"\s*\+\s*list\s*\+\s*"([^"]*)"/.exec(helperText);
  if (!template || !prefix || !conditional) throw new Error('k8saudit: the shape of containerListFields changed');
  const members = goMembers(unbrace(template));
  if (members.Name !== 'prefix + name') throw new Error('k8saudit: the template name changed');
  const always = [...helperText.replace(conditional, '').matchAll(/entry\("([^"]+)"/g)].map((m) => m[1]);
  const withPort = [...conditional.matchAll(/entry\("([^"]+)"/g)].map((m) => m[1]);
  const fields = [];
  const calls = [...mainText.matchAll(/containerListFields\("(\w+)",\s*"[^"]*",\s*(true|false)\)/g)];
  if (calls.length === 0) throw new Error('k8saudit: no containerListFields calls found');
  for (const [, list, hostPort] of calls) {
    for (const suffix of [...always, ...(hostPort === 'true' ? withPort : [])]) {
      fields.push(goField(plugin, members, `${prefix[1]}${list}${prefix[2]}${suffix}`));
    }
  }
  return fields;
}

// ---- Snapshot ----

const providers = [libsinspFields()];
for (const plugin of PLUGINS) {
  const fields = [];
  for (const file of plugin.files) {
    const text = show(pluginsDir, plugin.tag, file);
    fields.push(...(plugin.lang === 'cpp' ? cppPluginFields(plugin, text) : goPluginFields(plugin, text)));
  }
  for (const variantTag of plugin.sharedBy ?? []) {
    const variant = variantTag.split('/')[1];
    const goMod = show(pluginsDir, variantTag, `plugins/${variant}/go.mod`);
    const required = new RegExp(`github\\.com/falcosecurity/plugins/plugins/${plugin.name}\\s+(v[\\w.-]+)`).exec(goMod)?.[1];
    if (`plugins/${plugin.name}/${required}` !== plugin.tag) throw new Error(`${variantTag} requires ${plugin.name} ${required}, not ${plugin.tag}`);
  }
  const sinceRead = plugin.name === 'container' ? containerSince(fields) : undefined;
  providers.push(compact({ name: plugin.name, repo: 'falcosecurity/plugins', tag: plugin.tag, commit: commitOf(pluginsDir, plugin.tag),
    files: plugin.files, sources: plugin.sources, sharedBy: plugin.sharedBy, sinceRead, fields }));
}
for (const p of providers) {
  const seen = new Set();
  for (const f of p.fields) {
    if (seen.has(f.name)) throw new Error(`${p.name}: ${f.name} listed twice`);
    seen.add(f.name);
  }
}

// One field per line, so that a regenerated snapshot diffs field by field.
const lines = ['{', '  "generatedBy": "scripts/gen-field-tables.mjs",', '  "providers": ['];
providers.forEach((p, i) => {
  const { fields, ...head } = p;
  const headJson = JSON.stringify(head).slice(0, -1);
  lines.push(`    ${headJson}, "fields": [`);
  fields.forEach((f, j) => lines.push(`      ${JSON.stringify(f)}${j < fields.length - 1 ? ',' : ''}`));
  lines.push(`    ]}${i < providers.length - 1 ? ',' : ''}`);
});
lines.push('  ]', '}', '');
writeFileSync(outFile, lines.join('\n'));
for (const p of providers) {
  const args = p.fields.filter((f) => f.arg).length;
  console.log(`${p.name.padEnd(10)} ${p.tag.padEnd(28)} ${p.commit.slice(0, 12)}  ${String(p.fields.length).padStart(3)} fields, ${args} with an argument (${p.files.join(', ')})`);
}
for (const p of providers.filter((q) => q.sinceRead)) {
  console.log(`since (${p.name}): ${p.sinceRead.map((r) => `Falco ${r.falco} = libs ${r.libs}${r.container !== undefined ? ` + container ${r.container ?? '(not readable)'}` : ''}`).join('; ')}`);
}
