// Properties of every quick fix of the rules service, over seeded random edits of a local rules file (the kinds of
// changes rules authors make: typos in keys, macros, fields and priorities, overrides, appends, exceptions, items
// moved) loaded after the two-file fixture's base, wherever the text is readable YAML:
// - applied, a fix leaves the YAML readable where it was (no new YAML error);
// - it takes away the finding it was offered for (one fewer finding of that code and message), unless it writes a
//   placeholder for the author to replace;
// - asked again where it was applied, the same fix with the same result is not offered (idempotent);
// - it edits only the document it was asked for, and replaces text only within the lines of the finding's item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc, applyEdits } from './rules-host';
import { EditSession, prng, TWO_FILE_BASE, TWO_FILE_LOCAL } from './rules-random-edits';

const BASE = '/ws/base_rules.yaml';
const LOCAL = '/ws/local_rules.yaml';

const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : (d.message as { value: string }).value);
const keyOf = (d: Diagnostic) => `${String(d.code)}\u0000${messageOf(d)}`;

function counts(diagnostics: Diagnostic[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diagnostics) out.set(keyOf(d), (out.get(keyOf(d)) ?? 0) + 1);
  return out;
}

/** The edits of `action` to `uri`; fails when it edits another document or runs a command instead. */
function sameDocumentEdits(action: CodeAction, uri: string): TextEdit[] {
  const edit = action.edit!;
  const changes = edit.changes ? Object.entries(edit.changes) : (edit.documentChanges ?? []).map((c) => ('edits' in c ? [c.textDocument.uri, c.edits] as const : [JSON.stringify(c), []] as const));
  for (const [target] of changes) assert.equal(target, uri, `${action.title}: edits ${target}`);
  return changes.flatMap(([, edits]) => edits as TextEdit[]);
}

/** The first and last line of the top-level item holding `line` (an item starts with `- ` at column 0). */
function itemLines(text: string, line: number): [number, number] {
  const lines = text.split('\n');
  let first = line;
  while (first > 0 && !lines[first].startsWith('- ')) first--;
  let last = line + 1;
  while (last < lines.length && !lines[last].startsWith('- ')) last++;
  return [first, last - 1];
}

test('every quick fix of a randomly edited local rules file: no new YAML error, its finding gone, not offered twice, within its item', () => {
  let fixesChecked = 0;
  const titles = new Set<string>();
  const seeds = process.env.FALCO_LENS_SEEDS ? process.env.FALCO_LENS_SEEDS.split(',').map(Number) : [11, 23, 37, 41];
  for (const seed of seeds) {
    const random = prng(seed);
    const session = new EditSession(TWO_FILE_LOCAL, TWO_FILE_LOCAL, random);
    let text = TWO_FILE_LOCAL;
    for (let step = 0; step < 60; step++) {
      const host = new MemoryHost({ [BASE]: TWO_FILE_BASE, [LOCAL]: text }, { ruleFiles: [BASE, LOCAL], folders: ['/ws'] });
      const service = createRulesService(host);
      const doc = rulesDoc(LOCAL, text);
      service.didOpenOrChange?.(doc);
      const diagnostics = service.diagnostics(doc);
      const yamlErrors = parseDocument(text).errors.length;
      const before = counts(diagnostics);
      // In text YAML cannot read, fixes are best effort: the properties are checked where it reads it.
      for (const d of yamlErrors > 0 ? [] : diagnostics) {
        const actions = (service.codeActions!(doc, d.range, { diagnostics: [d] }) as CodeAction[])
          .filter((a) => a.edit && !a.disabled && a.diagnostics?.some((x) => keyOf(x) === keyOf(d)));
        for (const action of actions) {
          const where = `seed ${seed} step ${step}: '${action.title}' for ${String(d.code)} '${messageOf(d)}' in\n${text}`;
          const edits = sameDocumentEdits(action, doc.uri);
          const [first, last] = itemLines(text, d.range.start.line);
          // A new item (an override of another file's rule) may be inserted anywhere; what is replaced lies in the item.
          for (const e of edits.filter((x) => x.range.start.line !== x.range.end.line || x.range.start.character !== x.range.end.character)) {
            assert.ok(e.range.start.line >= first && e.range.end.line <= last + 1, `${where}\nedits lines ${e.range.start.line + 1}-${e.range.end.line + 1} outside the item's ${first + 1}-${last + 1}`);
          }
          const fixed = applyEdits(text, edits);
          assert.notEqual(fixed, text, `${where}\nchanges nothing`);
          assert.ok(parseDocument(fixed).errors.length <= yamlErrors, `${where}\nadds a YAML error:\n${fixed}`);
          const fixedDoc = rulesDoc(LOCAL, fixed, 2);
          const fixedHost = new MemoryHost({ [BASE]: TWO_FILE_BASE, [LOCAL]: fixed }, { ruleFiles: [BASE, LOCAL], folders: ['/ws'] });
          const fixedService = createRulesService(fixedHost);
          fixedService.didOpenOrChange?.(fixedDoc);
          const after = fixedService.diagnostics(fixedDoc);
          // A fix that writes a placeholder for the author to replace (its title says so) is done only once they have.
          const placeholder = /placeho|to fill in/.test(action.title);
          if (!placeholder) assert.ok((counts(after).get(keyOf(d)) ?? 0) < before.get(keyOf(d))!, `${where}\nthe finding is still there:\n${fixed}\n${after.map((x) => `${x.range.start.line + 1} ${String(x.code)} ${messageOf(x)}`).join('\n')}`);
          // Asked again over the lines the fix wrote: no fix of the same title that changes the text the same way.
          const again = after.flatMap((x) => (fixedService.codeActions!(fixedDoc, x.range, { diagnostics: [x] }) as CodeAction[]))
            .filter((a) => a.edit && !a.disabled && a.title === action.title);
          for (const a of again) {
            const twice = applyEdits(fixed, sameDocumentEdits(a, fixedDoc.uri));
            assert.notEqual(twice, applyEdits(fixed, edits), `${where}\noffered again with the same edit`);
          }
          fixesChecked++;
          titles.add(action.title.replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"'));
        }
      }
      text = session.next(yamlErrors > 0);
    }
  }
  assert.ok(fixesChecked > 100, `quick fixes checked: ${fixesChecked}`);
  assert.ok(titles.size > 8, `kinds of quick fixes: ${[...titles].join('\n')}`);
});

test('an unknown key close to a key its mapping has already: no rename (the key would be written twice), the message says it is there', () => {
  const text = [
    '- rule: Shell In Container', '  condition: and not proc.pname in (shell_binaries)', '  exceptions:', '    - name: known',
    '      fields: [proc.name]', '      values: [[bash]]', '  override:', '    condition: append', '  xceptions: append', '',
  ].join('\n');
  const host = new MemoryHost({ [BASE]: TWO_FILE_BASE, [LOCAL]: text }, { ruleFiles: [BASE, LOCAL], folders: ['/ws'] });
  const service = createRulesService(host);
  const doc = rulesDoc(LOCAL, text);
  service.didOpenOrChange?.(doc);
  const unknown = service.diagnostics(doc).filter((d) => d.code === 'unknown-key');
  assert.deepEqual(unknown.map(messageOf), ["Unknown key 'xceptions' in a rule; it will be ignored. The rule has 'exceptions' already. (LOAD_UNKNOWN_KEY)"]);
  assert.deepEqual((service.codeActions!(doc, unknown[0].range, { diagnostics: unknown }) as CodeAction[]).filter((a) => a.title.startsWith('Change to')).map((a) => a.title), []);
  // Without 'exceptions', the rename is offered as before.
  const alone = text.replace(/  exceptions:\n(?: {4,}.*\n)+/, '');
  const aloneDoc = rulesDoc(LOCAL, alone, 2);
  host.files.set(LOCAL, alone);
  const again = createRulesService(host);
  again.didOpenOrChange?.(aloneDoc);
  const d = again.diagnostics(aloneDoc).find((x) => x.code === 'unknown-key')!;
  assert.equal(messageOf(d), "Unknown key 'xceptions' in a rule; it will be ignored. Did you mean 'exceptions'? (LOAD_UNKNOWN_KEY)");
  assert.deepEqual((again.codeActions!(aloneDoc, d.range, { diagnostics: [d] }) as CodeAction[]).filter((a) => a.title.startsWith('Change to')).map((a) => a.title), ["Change to key 'exceptions'"]);
});
