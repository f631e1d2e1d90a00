// The no-evttype quick fix (LOAD_NO_EVTTYPE, a syscall rule matching every event code or more than 100) inserted
// `evt.type in (EVENT_TYPE) and (`: a placeholder Falco rejects until the user replaces it. It now offers restrictions
// derived from what the condition tests, each checked to load without the warning at the target release, and none
// when nothing plausible is derived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import type { CodeAction } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, applyEdits, editsFor, rulesDoc } from './rules-host';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
// The official macros (falco_rules.yaml, rules 5.1.0).
const MACROS = `- macro: spawned_process
  condition: (evt.type in (execve, execveat))
- macro: open_write
  condition: (evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)
- macro: open_read
  condition: (evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)
- macro: create_symlink
  condition: (evt.type in (symlink, symlinkat))
- macro: rename
  condition: (evt.type in (rename, renameat, renameat2))
- macro: create_hardlink
  condition: (evt.type in (link, linkat))
`;
const rule = (condition: string, extra = '') => `- rule: Watched
  desc: d
  condition: ${condition}
  output: "seen | process=%proc.name"
  priority: INFO
${extra}`;

function service(base: string, local: string, falcoVersion?: string) {
  const host = new MemoryHost({ [BASE]: base, [LOCAL]: local }, { ruleFiles: [BASE, LOCAL] });
  if (falcoVersion) host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const doc = rulesDoc(LOCAL, local);
  svc.didOpenOrChange?.(doc);
  return { svc, doc };
}

/** The no-evttype findings' quick fixes: title and the local file after it. */
function restrictions(base: string, local: string, falcoVersion?: string): { title: string; fixed: string }[] {
  const { svc, doc } = service(base, local, falcoVersion);
  const found = svc.diagnostics(doc).filter((d) => d.code === 'no-evttype');
  assert.equal(found.length, 1, `one no-evttype finding in\n${local}`);
  const actions = svc.codeActions!(doc, found[0].range, { diagnostics: [found[0]] }).filter((a) => a.kind === 'quickfix') as CodeAction[];
  return actions.map((a) => {
    assert.equal(a.isPreferred, undefined, a.title);
    return { title: a.title, fixed: applyEdits(local, editsFor(a.edit, doc.uri)) };
  });
}

/** After the fix: YAML, no no-evttype finding, no error, no quick fix to apply again. */
function assertLoads(base: string, fixed: string, falcoVersion?: string): void {
  for (const d of parseAllDocuments(fixed)) assert.deepEqual(d.errors.map((e) => e.message), [], fixed);
  const { svc, doc } = service(base, fixed, falcoVersion);
  const left = svc.diagnostics(doc).filter((d) => d.code === 'no-evttype' || d.code === 'unknown-evttype' || d.severity === 1);
  assert.deepEqual(left.map((d) => `${d.code} ${d.message}`), [], fixed);
}

test('process fields alone: spawned_process where the files define it, else its expansion', () => {
  const local = rule('proc.name = bash and user.name != root');
  const withMacro = restrictions(MACROS, local);
  assert.deepEqual(withMacro.map((f) => f.title), ['Restrict to spawned_process: spawned processes']);
  assert.equal(withMacro[0].fixed, rule('spawned_process and (proc.name = bash and user.name != root)'));
  assertLoads(MACROS, withMacro[0].fixed);
  const without = restrictions('- list: nothing\n  items: []\n', local);
  assert.deepEqual(without.map((f) => f.fixed), [rule('evt.type in (execve, execveat) and (proc.name = bash and user.name != root)')]);
  assertLoads('- list: nothing\n  items: []\n', without[0].fixed);
});

test('evt.arg.<name>: the events carrying that argument, the macros the files define for them first', () => {
  const symlink = restrictions(MACROS, rule('evt.arg.linkpath startswith /etc/'));
  // create_symlink stands for exactly symlink and symlinkat: the test written out is not offered beside it.
  assert.deepEqual(symlink.map((f) => f.fixed), [rule("create_symlink and (evt.arg.linkpath startswith /etc/)")]);
  assert.equal(symlink[0].title, "Restrict to create_symlink: events with argument 'linkpath'");
  const oldpath = restrictions(MACROS, rule('evt.arg.oldpath startswith /etc/'));
  assert.deepEqual(oldpath.map((f) => f.fixed), [
    rule('rename and (evt.arg.oldpath startswith /etc/)'),
    rule('create_hardlink and (evt.arg.oldpath startswith /etc/)'),
    rule('evt.type in (link, linkat, rename, renameat, renameat2) and (evt.arg.oldpath startswith /etc/)'),
  ]);
  for (const f of [...symlink, ...oldpath]) assertLoads(MACROS, f.fixed);
  // Without macros, the names themselves.
  const bare = restrictions('- list: nothing\n  items: []\n', rule('evt.rawarg.linkpath startswith /etc/'));
  assert.deepEqual(bare.map((f) => f.fixed), [rule('evt.type in (symlink, symlinkat) and (evt.rawarg.linkpath startswith /etc/)')]);
});

test('the events of an argument are those of the target release', () => {
  // close_range's 'first' argument: close_range has an event of its own from libs 0.17 (Falco 0.38) on.
  const latest = restrictions('- list: nothing\n  items: []\n', rule('evt.arg.first > 2'));
  assert.deepEqual(latest.map((f) => f.fixed), [rule('evt.type in (close_range) and (evt.arg.first > 2)')]);
  assertLoads('- list: nothing\n  items: []\n', latest[0].fixed);
  assert.deepEqual(restrictions('- list: nothing\n  items: []\n', rule('evt.arg.first > 2'), '0.37'), []);
});

test('fd fields: file opens (open_write, open_read, then the open syscalls); connection fields: the connection syscalls', () => {
  const files = restrictions(MACROS, rule('fd.name startswith /etc/ and proc.name = vi'));
  assert.deepEqual(files.map((f) => f.fixed), [
    rule('open_write and (fd.name startswith /etc/ and proc.name = vi)'),
    rule('open_read and (fd.name startswith /etc/ and proc.name = vi)'),
    rule('evt.type in (open, openat, openat2) and (fd.name startswith /etc/ and proc.name = vi)'),
  ]);
  for (const f of files) assertLoads(MACROS, f.fixed);
  const net = restrictions(MACROS, rule('fd.sip = 10.0.0.1 and fd.sport = 22'));
  assert.deepEqual(net.map((f) => f.fixed), [rule('evt.type in (accept, accept4, listen, connect) and (fd.sip = 10.0.0.1 and fd.sport = 22)')]);
  assertLoads(MACROS, net[0].fixed);
});

test('a block scalar condition is wrapped inside the scalar; fields in macros count', () => {
  const local = `- macro: editors
  condition: proc.name in (vi, nano)
${rule('>\n    editors and\n    fd.directory = /etc')}`;
  const [first] = restrictions(MACROS, local);
  assert.equal(first.fixed, `- macro: editors
  condition: proc.name in (vi, nano)
${rule('>\n    open_write and (editors and\n    fd.directory = /etc)')}`);
  assertLoads(MACROS, first.fixed);
});

test('nothing plausible, no fix: no field that only some events carry, or a restriction that would not hold', () => {
  // evt.res is in every exit event; proc.name beside it is not "process fields alone".
  assert.deepEqual(restrictions(MACROS, rule('evt.res = EPERM and proc.name = bash')), []);
  // evt.arg.flags: about 50 events, more than 100 codes, and no macro of the files stands for some of them alone.
  assert.deepEqual(restrictions('- list: nothing\n  items: []\n', rule('evt.arg.flags contains O_TMPFILE')), []);
  // An appended 'or' branch escapes a restriction of the item's own text: the rule would still match every event.
  assert.deepEqual(restrictions(MACROS, `${rule('proc.name = bash')}- rule: Watched\n  condition: or proc.name = zsh\n  override:\n    condition: append\n`), []);
});

test("an argument limits the events through 'and', through 'or' only where every branch does", () => {
  const either = restrictions(MACROS, rule('evt.arg.linkpath startswith /etc/ or evt.arg.oldpath startswith /etc/'));
  assert.deepEqual(either.map((f) => f.title), [
    "Restrict to create_symlink: some events with 'linkpath' or 'oldpath'",
    "Restrict to rename: some events with 'linkpath' or 'oldpath'",
    "Restrict to create_hardlink: some events with 'linkpath' or 'oldpath'",
    'Restrict to evt.type in (link, linkat, rename, renameat, renameat2, symlink, sy…',
  ]);
  assert.equal(either[3].fixed, rule('evt.type in (link, linkat, rename, renameat, renameat2, symlink, symlinkat) and (evt.arg.linkpath startswith /etc/ or evt.arg.oldpath startswith /etc/)'));
  for (const f of either) assertLoads(MACROS, f.fixed);
  // A branch any event can satisfy: the argument limits nothing, and the condition is not process fields alone.
  assert.deepEqual(restrictions(MACROS, rule('evt.arg.linkpath startswith /etc/ or proc.name = bash')), []);
  // Under 'not', an event without the argument satisfies the test.
  assert.deepEqual(restrictions(MACROS, rule('not evt.arg.linkpath startswith /etc/ and evt.res = EPERM')), []);
});
