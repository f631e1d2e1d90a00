// Session 17: edits computed on an inline file's text (what Falco receives) mapped back to the manifest where a
// scalar's text changed on the way (operatorScalars.ts operatorTextChanges, regions.ts shifts): the edit keeps what
// the user wrote, replaces a scalar whole, or is left out with a logged reason (embedded/index.ts exactChange).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { exactChange } from '../../server/src/service/embedded/index';
import { toHost } from '../../server/src/service/embedded/regions';
import { LineIndex } from '../../server/src/service/text';
import { openHost, operatorConfig, operatorRulesfile, positionOf, textAt } from './embedded-helpers';
import { applyEdits } from './rules-host';
import { service } from './operator-tuning-helpers';

const CONFIG_URI = 'file:///ws/deploy/config.yaml';

/** The quick fixes of a Config's `config-start-fails` findings: titles and the manifest each writes, and the log. */
function configFixes(body: string) {
  const manifest = operatorConfig('c', 60, body);
  const { service: s, host } = service({});
  const doc = openHost(s, manifest, CONFIG_URI);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code === 'config-start-fails');
  const actions = found.length ? s.embedded.codeActions!(doc, found[0].range, { diagnostics: found }) : [];
  return { manifest, found: found.map((d) => textAt(manifest, d)), fixes: actions.map((a) => [a.title, applyEdits(manifest, a.edit!.changes![CONFIG_URI])] as const), logs: host.logs };
}

test('a fix that would write the text Falco receives into the manifest is left out, with a logged reason', () => {
  // kubectl reads 0777 as 511 and 1_000 as 1000; the operator writes them back so, and Falco reads no unit there.
  // The fix writes '<number>ms' over the scalar: the number would be Falco's text, not the one written.
  for (const [written, falco] of [['0777', '511'], ['1_000', '1000']]) {
    const { found, fixes, logs } = configFixes(['metrics:', '  enabled: true', `  interval: ${written}`].join('\n'));
    assert.deepEqual(found, [written]);
    assert.deepEqual(fixes, []);
    assert.deepEqual(logs.filter((l) => l.startsWith('Falco Lens left out')), [
      `Falco Lens left out the quick fix 'Write ${falco}ms' in config.yaml: the edit writes '${falco}', the text Falco receives, in place of the '${written}' (line 10) the manifest has there.`,
    ]);
  }
  // Written as Falco reads it, the fix is there.
  const plain = configFixes(['metrics:', '  enabled: true', '  interval: 1000'].join('\n'));
  assert.deepEqual(plain.fixes.map(([title, text]) => [title, /interval: .*/.exec(text)?.[0]]), [['Write 1000ms', 'interval: 1000ms']]);
});

test('a fix replacing such a scalar whole writes only its new text', () => {
  // `Off` is the boolean false for kubectl, written back as false: the fix replaces the scalar, not Falco's text of it.
  const { found, fixes } = configFixes(['stdout_output:', '  enabled: Off', 'syslog_output:', '  enabled: no'].join('\n'));
  assert.deepEqual(found, ['Off']);
  assert.deepEqual(fixes.map(([title, text]) => [title, text.split('\n').filter((l) => /enabled/.test(l))]), [
    ['Enable stdout_output', ['      enabled: true', '      enabled: no']],
  ]);
});

const RULES_URI = 'file:///ws/deploy/falco/rulesfiles.yaml';

function rulesHost(inlineRules: string[]) {
  const manifest = operatorRulesfile('x', ['inlineRules:', ...inlineRules.map((l) => `  ${l}`), 'priority: 60', ''].join('\n'));
  const { service: s, host } = service({});
  const doc = openHost(s, manifest, RULES_URI);
  return { manifest, s, host, doc };
}

test('an edit next to such a scalar keeps it as written', () => {
  // A list without items, its name 0777 (Falco's list '511'): the fix adds `, items: []` after the name.
  const { manifest, s, doc } = rulesHost(['- {list: 0777}']);
  const found = s.embedded.diagnostics(doc).filter((d) => d.code === 'missing-required-key');
  assert.deepEqual(found.map((d) => textAt(manifest, d)), ['list']);
  const fixes = s.embedded.codeActions!(doc, found[0].range, { diagnostics: found });
  assert.deepEqual(fixes.map((a) => [a.title, /- \{.*\}/.exec(applyEdits(manifest, a.edit!.changes![RULES_URI]))?.[0]]), [
    ['Add \'items\' (to fill in)', '- {list: 0777, items: []}'],
  ]);
});

test('a rename over such a scalar replaces it whole', () => {
  const { manifest, s, doc } = rulesHost(['- list: 1_000', '  items: [a]']);
  const at = positionOf(manifest, '1_000', 0, 0);
  const edit = s.embedded.rename!(doc, at, 'big');
  assert.ok(edit?.changes?.[RULES_URI], JSON.stringify(edit));
  const renamed = applyEdits(manifest, edit.changes[RULES_URI]);
  assert.ok(renamed.includes('    - list: big\n      items: [a]\n'), renamed);
  // A new name holding Falco's text of the old one is the user's (session 20: embedded-rename-s20).
});

test('exactChange: an edit keeps what the user wrote outside what it changes, and refuses to change part of a scalar', () => {
  const manifest = operatorRulesfile('x', [
    'inlineRules:',
    '  - list: l',
    '    items: [0777, a, a, 0x1F]',
    '  - macro: m',
    '    condition: evt.type = open',
    '    condition: evt.type = close',
    'priority: 60',
    '',
  ].join('\n'));
  const file = analyzeHost(manifest).files[0];
  assert.equal(file.text, '- list: l\n  items: [511, a, a, 31]\n- macro: m\n                            \n  condition: evt.type = close\n');
  const doc = TextDocument.create('file:///e', 'falco-rules', 1, file.text);
  const host = { text: manifest, lines: new LineIndex(manifest) };
  const apply = (from: string, to: string, newText: string, skip = 0) => {
    const start = doc.positionAt(file.text.indexOf(from) + skip);
    const end = doc.positionAt(doc.offsetAt(start) + to.length);
    const exact = exactChange(file, doc, host, { range: { start, end }, newText });
    if (typeof exact === 'string') return exact;
    const hostEdit = { range: { start: toHost(file, exact.range.start), end: toHost(file, exact.range.end) }, newText: exact.newText };
    return applyEdits(manifest, [hostEdit]);
  };
  const items = (...args: Parameters<typeof apply>) => /items: .*|^the edit .*/.exec(apply(...args))?.[0] ?? '';
  // A rewrite of the whole list keeps the scalars it does not change as written.
  assert.equal(items('[511', '[511, a, a, 31]', '[511, a, 31]'), 'items: [0777, a, 0x1F]');
  assert.equal(items('[511', '[511, a, a, 31]', '[b, 511, a, a, 31]'), 'items: [b, 0777, a, a, 0x1F]');
  // Replaced whole: the new text.
  assert.equal(items('511', '511', 'c'), 'items: [c, a, a, 0x1F]');
  assert.equal(items('[511', '[511, a, a, 31]', '[c]'), 'items: [c]');
  // Part of one, text joined to one (a deletion of ', ' making `a31`), or Falco's text written anew: refused.
  assert.match(items('11', '11', '2'), /^the edit changes part of '511', which Falco receives for the '0777' \(line 9\)/);
  assert.match(items(', 31', ', ', ''), /^the edit writes '31', the text Falco receives, in place of the '0x1F' \(line 9\)/);
  assert.match(items('31', '', '0'), /^the edit writes '31'/);
  assert.equal(items('[511', '[511, a, a, 31]', '[a, 31]'), 'items: [a, 0x1F]');
  // A pair kubectl drops is blanked (the same length): an edit inside it is refused, one over it whole is not.
  assert.match(items('    \n', '', 'x', 2), /^the edit changes part of the 'condition: evt.type = open' \(line 11\), a pair kubectl drops/);
  assert.ok(apply('- macro: m\n', '- macro: m\n' + ' '.repeat(28) + '\n', '').endsWith('    - list: l\n      items: [0777, a, a, 0x1F]\n      condition: evt.type = close\n  priority: 60\n'));
});
