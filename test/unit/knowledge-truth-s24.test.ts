// Session 24's truthfulness audit of the texts users read: facts found wrong, pinned, and the data check that catches
// their class. Sources: falcosecurity/libs 0.25.2 (driver/event_table.c, userspace/libsinsp/sinsp_filtercheck_event.cpp,
// userspace/libsinsp/event.cpp) and the official rules bundled with Falco 0.44 (falcosecurity/rules 5.1.0, the corpus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allPlaybooks, lookupField } from '../../server/src/knowledge';
import type { Playbook } from '../../server/src/knowledge';
import { placeholdersIn } from '../../server/src/knowledge/placeholders';
import { CONFIG_DEFAULTS_044, CONFIG_KEY_DOCS } from '../../server/src/knowledge/falcoConfigDocs';
import { CONFIG_UNSIGNED_KEYS } from '../../server/src/knowledge/falcoConfigLegacy';
import { corpusDir, loadMacrosAndLists, loadRules, officialRulesFiles } from '../helpers/corpus';

const corpusPresent = corpusDir() !== undefined;
const skip = !corpusPresent && 'corpus absent (../shared/corpus)';

/** Parameter names of each event of the libs 0.25.2 event table (scripts/gen-event-params.mjs). */
const EVENT_PARAMS: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join('test', 'fixtures', 'event-params.json'), 'utf8')).events;

const playbook = (rule: string): Playbook => {
  const found = allPlaybooks().find((p) => p.rule === rule);
  assert.ok(found, `no playbook for ${rule}`);
  return found;
};

/** The official rules' macros and lists (the three files, later definitions winning) and their rules by name. */
function officialDefinitions() {
  const macros = new Map<string, string>();
  const lists = new Map<string, unknown[]>();
  const rules = new Map<string, string>();
  for (const ref of officialRulesFiles()) {
    const defs = loadMacrosAndLists(ref.path);
    for (const [k, v] of defs.macros) macros.set(k, v);
    for (const [k, v] of defs.lists) lists.set(k, v);
    for (const r of loadRules(ref)) if (r.condition) rules.set(r.name, r.condition);
  }
  return { macros, lists, rules };
}

/** The condition with its macros written out (as text, in parentheses), recursively. */
function expandMacros(condition: string, macros: ReadonlyMap<string, string>, depth = 0): string {
  if (depth > 20) return condition;
  return condition.replace(/[A-Za-z_][\w.-]*/g, (word) => {
    const body = macros.get(word);
    return body === undefined ? word : `(${expandMacros(body, macros, depth + 1)})`;
  });
}

/** The event names a condition tests with `evt.type = x` or `evt.type in (...)`, lists expanded. */
function eventTypesOf(condition: string, lists: ReadonlyMap<string, unknown[]>): Set<string> {
  const names = new Set<string>();
  const add = (word: string) => {
    const items = lists.get(word);
    if (items) for (const item of items) add(String(item));
    else if (word !== '') names.add(word);
  };
  for (const m of condition.matchAll(/evt\.type\s*(?:=|\bin\b)\s*(\([^)]*\)|[\w-]+)/g)) {
    for (const word of m[1].replace(/^\(|\)$/g, '').split(/[\s,]+/)) add(word.trim());
  }
  return names;
}

/** Every `evt.arg.<name>` a playbook shows: key fields, and placeholders of its investigation and mitigation commands. */
function eventArgsOf(p: Playbook): Set<string> {
  const names = new Set<string>();
  const note = (field: string) => { const m = /^evt\.arg\.(\w+)$/.exec(field); if (m) names.add(m[1]); };
  for (const k of p.keyFields) note(k.field);
  for (const c of [...p.investigate, ...p.mitigations.flatMap((m) => m.commands ?? [])]) {
    for (const placeholder of placeholdersIn(c.command).fields) note(placeholder);
  }
  return names;
}

test('every evt.arg.<name> a syscall playbook shows is a parameter of an event its rule matches', { skip }, () => {
  // evt.arg.<name> of an event without that parameter is <NA>: a key field or investigation step on it explains or
  // fills nothing. The Container Drift (open+create) playbook read evt.arg.filename, which open, openat, openat2 and
  // creat do not have (their path is `name`).
  const { macros, lists, rules } = officialDefinitions();
  const problems: string[] = [];
  let checked = 0;
  for (const p of allPlaybooks().filter((x) => x.source === 'syscall')) {
    const args = eventArgsOf(p);
    if (args.size === 0) continue;
    const condition = rules.get(p.rule);
    assert.ok(condition, `no official rule ${p.rule}`);
    const types = eventTypesOf(expandMacros(condition, macros), lists);
    assert.ok(types.size > 0, `${p.rule}: no event type found in its condition`);
    for (const arg of args) {
      checked++;
      const carriers = [...types].filter((t) => EVENT_PARAMS[t]?.includes(arg));
      if (carriers.length === 0) problems.push(`${p.rule}: evt.arg.${arg} is a parameter of none of ${[...types].join(', ')}`);
    }
  }
  assert.ok(checked > 20, `only ${checked} evt.arg uses checked`);
  assert.deepEqual(problems, []);
});

test('the event parameter fixture has the facts the playbooks rely on (libs 0.25.2 event_table.c)', () => {
  assert.deepEqual(EVENT_PARAMS.open.includes('filename'), false);
  assert.ok(EVENT_PARAMS.open.includes('name') && EVENT_PARAMS.openat.includes('name') && EVENT_PARAMS.creat.includes('name'));
  assert.ok(EVENT_PARAMS.chmod.includes('filename') && EVENT_PARAMS.fchmodat.includes('filename'));
  assert.deepEqual(EVENT_PARAMS.fchmod.includes('filename'), false);
  assert.deepEqual([...EVENT_PARAMS.userfaultfd].sort(), ['flags', 'res']);
});

test('Container Drift Detected (open+create): the opened file is evt.arg.name, and the mode is only requested', () => {
  const p = playbook('Container Drift Detected (open+create)');
  assert.ok(p.keyFields.some((k) => k.field === 'evt.arg.name'), 'evt.arg.name is the path of open, openat, openat2 and creat');
  assert.ok(!p.keyFields.some((k) => k.field === 'evt.arg.filename' && !/<NA>/.test(k.meaning)));
  assert.ok(p.investigate.some((c) => c.command.includes('<evt.arg.name>')));
  assert.ok(!p.investigate.some((c) => c.command.includes('<evt.arg.filename>')));
  // evt.is_open_exec reads O_CREAT/O_TMPFILE and the mode's execute bits, not whether a file was created.
  assert.doesNotMatch(p.detects, /creates a file with execute/);
  assert.match(p.detects, /may have existed/);
});

test('evt.is_open_exec is described as the requested mode, not as a created file', () => {
  const field = lookupField('evt.is_open_exec')?.field;
  assert.doesNotMatch(field?.desc ?? '', /whether a file was created/);
  assert.match(field?.desc ?? '', /O_CREAT/);
  assert.match(field?.values ?? '', /existed already/);
});

test('Unprivileged Delegation of Page Faults: failed userfaultfd calls alert too (evt.res != -1 compares text)', { skip }, () => {
  // evt.res is SUCCESS or an error name such as EPERM (sinsp_filtercheck_event.cpp TYPE_RESSTR; event.cpp renders
  // PT_ERRNO resolved), never the text -1, so `evt.rawres >= 0 or evt.res != -1` holds for every exit event.
  const { rules } = officialDefinitions();
  const condition = rules.get('Unprivileged Delegation of Page Faults Handling to a Userspace Process') ?? '';
  assert.match(condition, /evt\.res != -1/);
  const p = playbook('Unprivileged Delegation of Page Faults Handling to a Userspace Process');
  assert.doesNotMatch(p.detects, /and the call succeeds/);
  assert.match(p.detects, /succeeds or fails/);
});

test('Delete Bucket Public Access Block: the account-wide settings combine with the bucket\'s, they do not override them', () => {
  // Amazon S3 applies the most restrictive combination of the account's and the bucket's Block Public Access settings
  // (S3 User Guide, "Blocking public access to your Amazon S3 storage"): an account setting cannot turn a bucket's off.
  const p = playbook('Delete Bucket Public Access Block');
  const step = p.investigate.find((c) => c.command.startsWith('aws s3control get-public-access-block'));
  assert.ok(step);
  assert.doesNotMatch(step.purpose, /override/);
  assert.match(step.purpose, /together with the bucket/);
});

test('Fileless execution via memfd_create: the evidence copy never replaces an existing file', () => {
  const p = playbook('Fileless execution via memfd_create');
  const copy = p.investigate.find((c) => /^cp\b/.test(c.command));
  assert.ok(copy);
  assert.match(copy.command, /^cp --no-clobber \/proc\/<proc\.pid>\/exe <evidence-file>$/);
});

/** Lower-case words of a text, for comparing prose. */
const proseWords = (text: string) => text.toLowerCase().match(/[a-z0-9_./-]+/g) ?? [];

test('no playbook text repeats a run of seven words of a rule description from the corpus (we write our own)', { skip }, () => {
  const RUN = 7;
  const runs = new Set<string>();
  const corpus = corpusDir() ?? '';
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) files.push(full);
    }
  };
  walk(path.join(corpus, 'rules'));
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    // The `desc:` blocks of rules, macros and lists: a folded or plain scalar up to the next key of the item.
    for (const m of text.matchAll(/^\s*desc:\s*[>|]?-?\s*\n?((?:.*\n)*?)(?=^\s*[a-z_]+:|^- |$(?![\s\S]))/gm)) {
      const words = proseWords(m[1]);
      for (let i = 0; i + RUN <= words.length; i++) runs.add(words.slice(i, i + RUN).join(' '));
    }
  }
  assert.ok(runs.size > 1000, `only ${runs.size} runs read from the corpus's rule descriptions`);
  const copied: string[] = [];
  for (const p of allPlaybooks()) {
    const texts = [p.detects, p.attackerGoal, ...p.benignCauses, ...p.keyFields.map((k) => k.meaning), ...p.mitigations.map((m) => m.summary),
      ...[...p.investigate, ...p.mitigations.flatMap((m) => m.commands ?? [])].map((c) => c.purpose), p.tuning.summary];
    for (const text of texts) {
      const words = proseWords(text);
      for (let i = 0; i + RUN <= words.length; i++) {
        const run = words.slice(i, i + RUN).join(' ');
        if (runs.has(run)) { copied.push(`${p.rule}: "${run}"`); break; }
      }
    }
  }
  assert.deepEqual(copied, []);
});

test('fd.directory and proc.loginshellid are described in words of our own', () => {
  // Their old texts followed libsinsp 0.25.2's field descriptions (sinsp_filtercheck_fd.cpp, sinsp_filtercheck_thread.cpp).
  assert.doesNotMatch(lookupField('fd.directory')?.field.desc ?? '', /^For a file, the directory that contains it/);
  assert.doesNotMatch(lookupField('proc.loginshellid')?.field.desc ?? '', /oldest shell among/);
  assert.match(lookupField('proc.loginshellid')?.field.desc ?? '', /session/);
});

test('playbooks of rules testing proc.exe say it is the first argument, not the executable', { skip }, () => {
  // proc.exe is argv[0] (libs 0.25.2 sinsp_filtercheck_thread.cpp TYPE_EXE), the name the program was started by;
  // proc.exepath is the executable. Both rules below test proc.exe.
  const { rules } = officialDefinitions();
  for (const rule of ['Execution from /dev/shm', 'Disallowed SSH Connection Non Standard Port']) {
    assert.match(rules.get(rule) ?? '', /proc\.exe (startswith|endswith)/, rule);
    const p = playbook(rule);
    assert.match(p.detects, /proc\.exe, its first argument/, rule);
    assert.doesNotMatch(p.detects, /its executable is under|whose executable name/, rule);
  }
});

test('Clear Log Activities: only files directly in /var/log or /dev/log are covered by the directory test', { skip }, () => {
  // access_log_files is fd.directory in (log_directories): the file's own directory, not a prefix.
  const { macros } = officialDefinitions();
  assert.match(macros.get('access_log_files') ?? '', /fd\.directory in \(log_directories\)/);
  const p = playbook('Clear Log Activities');
  assert.match(p.detects, /directly in \/var\/log/);
  assert.match(p.detects, /subdirectories/);
});

test('http_output.max_consecutive_timeouts: a value past one byte falls back to 5, it does not wrap', () => {
  // configuration.cpp (0.41.0-0.44.1) reads it with get_scalar<uint8_t>(…, 5), i.e. yaml-cpp's as<uint8_t>(5); yaml-cpp
  // (0.7.0 on, and c2bec4c bundled from 0.41) converts unsigned char only within 0-255 and otherwise returns the
  // fallback. The config checks already say so of every unsigned key (falcoConfigLegacy.ts CONFIG_UNSIGNED_KEYS).
  const text = CONFIG_KEY_DOCS['http_output.max_consecutive_timeouts'];
  assert.doesNotMatch(text, /wrap/);
  assert.match(text, /uses 5/);
  assert.equal(CONFIG_UNSIGNED_KEYS['http_output.max_consecutive_timeouts'], 8);
  assert.equal(CONFIG_DEFAULTS_044['http_output.max_consecutive_timeouts'], '5');
});
