// Properties of every quick fix of the configuration service, over seeded random edits of Falco 0.44.1's own
// falco.yaml (the kinds of mistakes people make in it: typos in keys and values, booleans and levels written another
// way, a key written twice, a line indented wrongly or removed):
// - applied, a fix leaves the YAML readable where it was (no new YAML error) and keeps the file's other lines;
// - it takes away the finding it was offered for (one fewer finding of that code and message);
// - asked again, the same fix with the same result is not offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { doc, message, service } from './config-service-helpers';
import { applyEdits, editsFor } from './rules-host';
import { prng } from './rules-random-edits';

const MAIN = '/etc/falco/falco.yaml';
const FALCO_YAML = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'falco-config', 'falco-0.44.1.yaml'), 'utf8');

const VALUE_SLIPS = ['ture', 'yes', 'False', 'informational', 'warn', 'Debug', '0x10', '-1', '"true"', '1e3', '~', '[]', '{}', 'on', 'WARNING'];

/** One edit of a falco.yaml as people get it wrong, at a random setting line. */
function mistake(text: string, random: () => number): string {
  const lines = text.split('\n');
  const settings = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z_][\w.-]*:/.test(l) && !l.trimStart().startsWith('#'));
  if (settings.length === 0) return text;
  const [line, i] = settings[Math.floor(random() * settings.length)];
  const m = /^(\s*)([A-Za-z_][\w.-]*):(.*)$/.exec(line)!;
  const [, indent, key, rest] = m;
  const roll = random();
  if (roll < 0.25) {
    // A typo in the key: a letter dropped or two swapped.
    const k = Math.floor(random() * (key.length - 1));
    const typo = random() < 0.5 ? key.slice(0, k) + key.slice(k + 1) : key.slice(0, k) + key[k + 1] + key[k] + key.slice(k + 2);
    lines[i] = `${indent}${typo}:${rest}`;
  } else if (roll < 0.55 && rest.trim() !== '') {
    lines[i] = `${indent}${key}: ${VALUE_SLIPS[Math.floor(random() * VALUE_SLIPS.length)]}`;
  } else if (roll < 0.7) {
    lines.splice(i + 1, 0, line);
  } else if (roll < 0.8) {
    lines[i] = `  ${line}`;
  } else if (roll < 0.9 && rest.trim() !== '') {
    lines.splice(i, 1);
  } else {
    lines[i] = `${indent}${key}:${rest.toUpperCase()}`;
  }
  return lines.join('\n');
}

const keyOf = (d: Diagnostic) => `${String(d.code)}\u0000${message(d)}`;

function counts(list: Diagnostic[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of list) out.set(keyOf(d), (out.get(keyOf(d)) ?? 0) + 1);
  return out;
}

test('every quick fix of a randomly mistaken falco.yaml: no new YAML error, its finding gone, not offered twice', () => {
  let fixesChecked = 0;
  const kinds = new Set<string>();
  const seeds = process.env.FALCO_LENS_SEEDS ? process.env.FALCO_LENS_SEEDS.split(',').map(Number) : [2, 19, 31];
  for (const seed of seeds) {
    const random = prng(seed);
    let text = FALCO_YAML;
    for (let step = 0; step < 30; step++) {
      // Mistakes pile up for a few steps, then the file starts over from Falco's own.
      text = step % 6 === 0 ? mistake(FALCO_YAML, random) : mistake(text, random);
      const yamlErrors = parseDocument(text).errors.length;
      if (yamlErrors > 0) continue;
      const { service: s } = service({ [MAIN]: text });
      const d0 = doc(MAIN, text);
      const diagnostics = s.config.diagnostics(d0);
      const before = counts(diagnostics);
      for (const d of diagnostics) {
        const actions = (s.config.codeActions!(d0, d.range, { diagnostics: [d] }) as CodeAction[])
          .filter((a) => a.edit && !a.disabled && a.diagnostics?.some((x) => keyOf(x) === keyOf(d)));
        for (const action of actions) {
          const where = `seed ${seed} step ${step}: '${action.title}' for ${String(d.code)} '${message(d)}' at line ${d.range.start.line + 1}: ${text.split('\n')[d.range.start.line]}`;
          const edits = editsFor(action.edit!, d0.uri);
          const fixed = applyEdits(text, edits);
          assert.notEqual(fixed, text, `${where}\nchanges nothing`);
          assert.equal(parseDocument(fixed).errors.length, 0, `${where}\nadds a YAML error`);
          // Lines away from the edits stay as they were: the fix touches the lines it edits and no others.
          const first = Math.min(...edits.map((e) => e.range.start.line));
          const last = Math.max(...edits.map((e) => e.range.end.line));
          const oldLines = text.split('\n');
          const newLines = fixed.split('\n');
          assert.deepEqual(newLines.slice(0, first), oldLines.slice(0, first), `${where}\nlines before the edit changed`);
          const tail = oldLines.length - last - 1;
          assert.deepEqual(tail > 0 ? newLines.slice(-tail) : [], tail > 0 ? oldLines.slice(-tail) : [], `${where}\nlines after the edit changed`);
          const fixedDoc = doc(MAIN, fixed, 2);
          const { service: s2 } = service({ [MAIN]: fixed });
          const after = s2.config.diagnostics(fixedDoc);
          assert.ok((counts(after).get(keyOf(d)) ?? 0) < before.get(keyOf(d))!, `${where}\nthe finding is still there:\n${after.map((x) => `${x.range.start.line + 1} ${message(x)}`).join('\n')}`);
          const again = after.flatMap((x) => s2.config.codeActions!(fixedDoc, x.range, { diagnostics: [x] }) as CodeAction[])
            .filter((a) => a.edit && !a.disabled && a.title === action.title);
          for (const a of again) assert.notEqual(applyEdits(fixed, editsFor(a.edit!, fixedDoc.uri)), applyEdits(fixed, edits), `${where}\noffered again with the same edit`);
          fixesChecked++;
          kinds.add(action.title.replace(/'[^']*'/g, "'…'"));
        }
      }
    }
  }
  assert.ok(fixesChecked > 20, `quick fixes checked: ${fixesChecked}`);
  assert.ok(kinds.size > 1, `kinds of quick fixes: ${[...kinds].join(' | ')}`);
});

test('an unknown key close to a key its mapping has already: no rename (the key would be written twice), the message says it is there', () => {
  const text = 'stdout_output: {enabled: true}\nrules_files: [/etc/falco/falco_rules.yaml]\nhttp_output:\n  enabled: false\n  neabled: false\n  url: http://localhost\n';
  const { service: s } = service({ [MAIN]: text });
  const d0 = doc(MAIN, text);
  const unknown = s.config.diagnostics(d0).filter((d) => d.code === 'config-unknown-key');
  assert.deepEqual(unknown.map(message), ["Unknown key 'neabled' in http_output. Falco's schema validation fails on it, and Falco ignores it. The mapping has 'enabled' already."]);
  assert.deepEqual(s.config.codeActions!(d0, unknown[0].range, { diagnostics: unknown }).filter((a) => a.title.startsWith('Change to')).map((a) => a.title), []);
  const alone = text.replace('  enabled: false\n', '');
  const d1 = doc(MAIN, alone, 2);
  const { service: s1 } = service({ [MAIN]: alone });
  const d = s1.config.diagnostics(d1).find((x) => x.code === 'config-unknown-key')!;
  assert.match(message(d), /Did you mean 'enabled'\?$/);
  assert.deepEqual(s1.config.codeActions!(d1, d.range, { diagnostics: [d] }).map((a) => a.title), ["Change to 'enabled'"]);
});
