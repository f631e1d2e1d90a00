// Invisible and reordering characters (bidirectional controls, zero-width characters, separators, BOM) in alert values
// are shown as \uXXXX in every hover, title and report, and written as YAML escapes in generated exceptions, so that a
// crafted process name cannot read as another one; the exception still matches the exact value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { parseDocument } from 'yaml';
import { codeBlock, codeSpan, escapeMarkdown, plainTitle, revealInvisible } from '../../server/src/service/markdown';
import { yamlQuote } from '../../server/src/service/yamlText';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

const RLO = '\u202e';
const TRICKY = ['\u202e', '\u202d', '\u2066', '\u2069', '\u200b', '\u200e', '\u2028', '\u2029', '\ufeff', '\u061c', '\u2060'];
const hasTricky = (s: string) => TRICKY.some((c) => s.includes(c));

test('the Markdown and title helpers reveal every invisible character; visible text is untouched', () => {
  for (const c of TRICKY) {
    const code = `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    for (const out of [codeSpan(`sh${c}exe`), codeBlock(`sh${c}exe`), escapeMarkdown(`sh${c}exe`), plainTitle(`sh${c}exe`), revealInvisible(`sh${c}exe`)]) {
      assert.ok(!hasTricky(out), JSON.stringify(out));
      assert.ok(out.includes(code.replace('\\', '')), `${JSON.stringify(out)} shows ${code}`);
    }
  }
  for (const plain of ['nginx', 'café', '日本語', 'emoji 🐧', 'a-b_c.d']) assert.equal(revealInvisible(plain), plain);
});

test('yamlQuote escapes them, and YAML reads the exact value back', () => {
  for (const c of TRICKY) {
    const value = `evil${c}gpj.exe`;
    const quoted = yamlQuote(value);
    assert.ok(!hasTricky(quoted), quoted);
    assert.equal(parseDocument(`k: ${quoted}`).get('k'), value);
  }
});

test('an alert whose process name holds U+202E: hover, titles, report and the written exception show no raw control', () => {
  const name = `gnp${RLO}exe.sh`;
  const alert = JSON.stringify({
    hostname: 'node-1', output: `12:00:00.000000000: Notice A shell was spawned (process=${name} parent=nginx)`,
    output_fields: { 'container.id': '3f2a1b0c9d8e', 'evt.time': 1767355200000000000, 'proc.name': name, 'proc.pname': 'nginx', 'proc.cmdline': `${name} -c id`, 'proc.exepath': `/tmp/${name}` },
    priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', tags: ['T1059'], time: '2026-01-02T12:00:00.000000000Z',
  });
  const service = createAlertsService(new TestHost(), fakeRules([]));
  const doc = alertDoc('rlo.json', alert);
  service.didOpenOrChange!(doc);
  for (let character = 0; character < alert.length; character += 7) {
    const hover = service.hover!(doc, { line: 0, character });
    if (hover) assert.ok(!hasTricky((hover.contents as MarkupContent).value), (hover.contents as MarkupContent).value);
  }
  const actions: CodeAction[] = service.codeActions!(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.ok(actions.length > 0);
  for (const a of actions) assert.ok(!hasTricky(a.title), a.title);
  const report = service.report(alert, 'file:///logs/rlo.json');
  assert.ok(!hasTricky(report), 'the report shows no raw control character');
  const exception = actions.find((a) => a.title.startsWith('Add exception') && a.edit);
  assert.ok(exception, actions.map((a) => a.title).join('\n'));
  const edit = exception!.edit!;
  const edits: TextEdit[] = edit.changes ? Object.values(edit.changes).flat()
    : (edit.documentChanges ?? []).flatMap((c) => ('edits' in c ? c.edits as TextEdit[] : []));
  const written = edits.map((e) => e.newText).join('');
  assert.ok(!hasTricky(written), written);
  assert.ok(written.includes('\\u202e'), written);
  // The YAML holds the exact value: parsed, the rows contain the process name with its control character.
  assert.ok(JSON.stringify(parseDocument(written.replace(/^\n+/, '')).toJS()).includes(JSON.stringify(name).slice(1, -1)), written);
});
