// Go to definition, find references and rename for macros, lists and rules across files, from every place a name is
// used: conditions, `(list)` values, other lists' items, exception values, override items. Rename refuses invalid
// and colliding names and never edits files outside the workspace folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { fixture, openWorkspace, textAt } from './rules-nav-helpers';
import { applyEdits } from './rules-host';
import { pathToUri } from '../../server/src/service/uri';
import { RenameRefused } from '../../server/src/service/rules/navigation';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const texts: Record<string, string> = { [BASE]: fixture('falco_rules.yaml'), [LOCAL]: fixture('falco_rules.local.yaml') };

const setup = (files = texts, options: { folders?: string[]; ruleFiles?: string[] } = {}) => openWorkspace(files, options);

/** "file:line:text" of each location, sorted. */
function describe(locations: Location[], files = texts): string[] {
  return locations.map((l) => {
    const path = Object.keys(files).find((p) => pathToUri(p) === l.uri)!;
    return `${path.slice(path.lastIndexOf('/') + 1)}:${l.range.start.line + 1}:${textAt(files[path], l.range)}`;
  }).sort();
}

test('definition of a macro used in a folded condition jumps to its definition in the base file', () => {
  const { service, at } = setup();
  const { doc, position } = at(BASE, 'and shell_procs', 0, 6);
  assert.deepEqual(describe(service.definition!(doc, position)), ['falco_rules.yaml:11:shell_procs']);
});

test('definition from an override item in the local file and from a quoted condition', () => {
  const { service, at } = setup();
  const fromOverride = at(LOCAL, 'macro: spawned_process', 0, 9);
  assert.deepEqual(describe(service.definition!(fromOverride.doc, fromOverride.position)), ['falco_rules.yaml:8:spawned_process']);
  const fromQuoted = at(LOCAL, 'shell_binaries, ', 0, 3);
  assert.deepEqual(describe(service.definition!(fromQuoted.doc, fromQuoted.position)), ['falco_rules.yaml:2:shell_binaries']);
  const rule = at(LOCAL, 'Shell Spawned', 0, 2);
  assert.deepEqual(describe(service.definition!(rule.doc, rule.position)), ['falco_rules.yaml:14:Shell Spawned']);
});

test('references of a list: conditions, other lists, exception values, override items, across files', () => {
  const { service, at } = setup();
  const { doc, position } = at(BASE, 'list: shell_binaries', 0, 8);
  assert.deepEqual(describe(service.references!(doc, position, true)), [
    'falco_rules.local.yaml:19:shell_binaries',
    'falco_rules.local.yaml:7:shell_binaries',
    'falco_rules.yaml:12:shell_binaries',
    'falco_rules.yaml:26:shell_binaries',
    'falco_rules.yaml:2:shell_binaries',
    'falco_rules.yaml:6:shell_binaries',
  ]);
  const withoutDeclaration = describe(service.references!(doc, position, false));
  assert.ok(!withoutDeclaration.includes('falco_rules.yaml:2:shell_binaries'));
  assert.equal(withoutDeclaration.length, 5);
});

test('references of a macro and of a rule', () => {
  const { service, at } = setup();
  const macro = at(BASE, 'spawned_process\n    and', 0, 2);
  assert.deepEqual(describe(service.references!(macro.doc, macro.position, true)), [
    'falco_rules.local.yaml:19:spawned_process', 'falco_rules.local.yaml:2:spawned_process',
    'falco_rules.yaml:17:spawned_process', 'falco_rules.yaml:8:spawned_process',
  ]);
  const rule = at(BASE, 'Shell Spawned');
  assert.deepEqual(describe(service.references!(rule.doc, rule.position, true)), ['falco_rules.local.yaml:12:Shell Spawned', 'falco_rules.yaml:14:Shell Spawned']);
});

test('a bare word that is not a list name has no definition and cannot be renamed', () => {
  const { service, at } = setup();
  const { doc, position } = at(BASE, 'fish', 0, 1);
  assert.deepEqual(service.definition!(doc, position), []);
  assert.equal(service.prepareRename!(doc, position), null);
});

function applyAll(edit: WorkspaceEdit | null, files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...files };
  for (const [uri, edits] of Object.entries(edit?.changes ?? {})) {
    const path = Object.keys(files).find((p) => pathToUri(p) === uri)!;
    assert.ok(path, `edit outside the fixture files: ${uri}`);
    out[path] = applyEdits(files[path], edits as TextEdit[]);
  }
  return out;
}

test('rename a list everywhere; the renamed workspace validates with no new diagnostics', () => {
  const { service, at } = setup();
  const { doc, position } = at(LOCAL, 'shell_binaries, ', 0, 3);
  const prepared = service.prepareRename!(doc, position);
  assert.ok(prepared);
  assert.equal(prepared.placeholder, 'shell_binaries');
  assert.equal(textAt(texts[LOCAL], prepared.range), 'shell_binaries');
  const renamed = applyAll(service.rename!(doc, position, 'shells'), texts);
  assert.ok(!Object.values(renamed).some((t) => t.includes('shell_binaries')));
  assert.ok(renamed[BASE].includes('values: [(shells)]') && renamed[BASE].includes('items: [shells, fish]'));
  const before = setup();
  const after = setup(renamed);
  const codes = (s: ReturnType<typeof setup>) => Object.values(s.docs).flatMap((d) => s.service.diagnostics(d).map((x) => `${x.code}`)).sort();
  assert.deepEqual(codes(after), codes(before));
});

test('rename a rule: quoting is kept or added as the new name needs', () => {
  const { service, at } = setup();
  const { doc, position } = at(BASE, 'Shell Spawned');
  const renamed = applyAll(service.rename!(doc, position, 'Shell "Spawned": v2'), texts);
  assert.ok(renamed[BASE].includes('- rule: "Shell \\"Spawned\\": v2"\n'), renamed[BASE]);
  assert.ok(renamed[LOCAL].includes('- rule: "Shell \\"Spawned\\": v2"\n'), renamed[LOCAL]);
  const plain = applyAll(service.rename!(doc, position, 'Shell started'), texts);
  assert.ok(plain[BASE].includes('- rule: Shell started\n') && plain[LOCAL].includes('- rule: "Shell started"\n'));
});

test('rename a macro from a reference; invalid and colliding names are refused with a message', () => {
  const { service, at } = setup();
  const { doc, position } = at(BASE, 'and shell_procs', 0, 6);
  const edit = service.rename!(doc, position, 'shell_processes');
  assert.equal(Object.values(edit!.changes!).flat().length, 2);
  assert.throws(() => service.rename!(doc, position, '9lives'), (e: unknown) => e instanceof RenameRefused && /not a valid macro name/.test(e.message));
  assert.throws(() => service.rename!(doc, position, 'and'), RenameRefused);
  assert.throws(() => service.rename!(doc, position, 'spawned_process'), /already exists/);
  const list = at(BASE, 'list: login_shells', 0, 8);
  assert.throws(() => service.rename!(list.doc, list.position, 'bash'), /already used as a plain value/);
  assert.throws(() => service.rename!(list.doc, list.position, 'a b'), /not a valid list name/);
});

test('a rename that would edit a configured rules file outside the workspace is refused', () => {
  const ETC = '/etc/falco/falco_rules.yaml';
  const files = { [ETC]: texts[BASE], [LOCAL]: texts[LOCAL] };
  const { service, at } = setup(files, { ruleFiles: [ETC] });
  const { doc, position } = at(LOCAL, 'shell_binaries, ', 0, 3);
  // Navigation still reaches into the configured file.
  assert.deepEqual(describe(service.definition!(doc, position), files), ['falco_rules.yaml:2:shell_binaries']);
  assert.throws(() => service.prepareRename!(doc, position), (e: unknown) => e instanceof RenameRefused && e.message.includes('/etc/falco/falco_rules.yaml') && /outside the workspace folders/.test(e.message));
  assert.throws(() => service.rename!(doc, position, 'shells'), RenameRefused);
  // A name used only inside the workspace renames fine.
  const local = at(LOCAL, 'Local Shell', 0, 2);
  assert.ok(service.prepareRename!(local.doc, local.position));
});
