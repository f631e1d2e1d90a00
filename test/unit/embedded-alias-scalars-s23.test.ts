// Session 23: a quick fix inside the copy kubectl or Helm puts in place of an alias (its anchor outside the block) was
// written at the anchor only where the copy is a string; a number, a boolean or null copied through an alias was
// always refused ('the anchor holds no text the fix can edit in place'). Now such a copy is edited at the anchor where
// that is exact: the whole value replaced by one of the same type written as kubectl (or the chart) sends it, or an
// edit inside a value the anchor writes as the copy has it; the host with the edit must read back that value. A fix
// changing the value's type (a number made a list, a text made a boolean) is still refused, now naming both types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { anchorEdit } from '../../server/src/service/embedded/index';
import { LineIndex } from '../../server/src/service/text';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost } from './rules-host';
import { openHost, textAt } from './embedded-helpers';

/** The fix `newText` over `[from, to)` of the copy `copy` in the embedded file of `host`, written at the anchor. */
function atAnchor(host: string, copy: string, newText: string, within?: [number, number]) {
  const file = analyzeHost(host).files[0];
  const doc = TextDocument.create('file:///ws/values.yaml#falco-lens-embedded-0/falco.yaml', 'falco-config', 1, file.text);
  const start = file.text.indexOf(copy);
  assert.ok(start >= 0, file.text);
  const [a, b] = within ?? [0, copy.length];
  const e = { range: { start: doc.positionAt(start + a), end: doc.positionAt(start + b) }, newText };
  const out = anchorEdit(file, doc, { text: host, lines: new LineIndex(host) }, e);
  if (typeof out !== 'object' || out === null) return out;
  const lines = new LineIndex(host);
  return { anchor: out.anchor, text: host.slice(0, lines.offsetAt(out.edit.range.start)) + out.edit.newText + host.slice(lines.offsetAt(out.edit.range.end)) };
}

const VALUES = 'defaults:\n  size: &n 15\n  flag: &b true\n  octal: &o 0777\nfalco:\n  outputs_queue:\n    capacity: *n\n  buffered_outputs: *b\n  output_timeout: *o\n';

test('a number or boolean copied through an alias: a fix of the whole value or inside it is written at the anchor', () => {
  assert.equal(analyzeHost(VALUES).files[0].text, 'outputs_queue:\n  capacity: 15\nbuffered_outputs: true\noutput_timeout: 511\n');
  assert.deepEqual(atAnchor(VALUES, 'capacity: 15', '10', [10, 12]), { anchor: '&n, line 2', text: VALUES.replace('&n 15', '&n 10') });
  assert.deepEqual(atAnchor(VALUES, 'capacity: 15', '6', [11, 12]), { anchor: '&n, line 2', text: VALUES.replace('&n 15', '&n 16') });
  assert.deepEqual(atAnchor(VALUES, 'buffered_outputs: true', 'false', [18, 22]), { anchor: '&b, line 3', text: VALUES.replace('&b true', '&b false') });
});

test('a fix changing the type, writing what kubectl sends otherwise, or editing a value the anchor writes otherwise: refused', () => {
  const refused = (why: string, name: string, line: number) => `Falco receives here the copy of the anchor &${name} (line ${line}) that kubectl puts in place of *${name}: ${why}. Edit the anchor or the alias by hand.`;
  assert.equal(atAnchor(VALUES, 'capacity: 15', '"10"', [10, 12]), refused('the fix writes a text where the anchor holds a number, which the anchor\'s other readers would get too', 'n', 2));
  assert.equal(atAnchor(VALUES, 'capacity: 15', '[15]', [10, 12]), refused('the fix writes no scalar where the anchor holds a number, which the anchor\'s other readers would get too', 'n', 2));
  assert.equal(atAnchor(VALUES, 'buffered_outputs: true', 'no', [18, 22]), refused('kubectl would send \'false\' for the text the fix writes', 'b', 3));
  // 0777 reaches Falco as 511: an edit inside the copy has no place in the anchor's text.
  assert.match(String(atAnchor(VALUES, 'output_timeout: 511', '2', [16, 17])), /the anchor writes that value in another form/);
});

test('a real quick fix that would make a number a list is refused naming both types', () => {
  // The Config's priority anchored before its config (a number: the API server takes the Config as it is).
  const host = 'apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Config\nmetadata:\n  name: files\n  namespace: falco\nspec:\n  priority: &r 10\n  config:\n    rules_files: *r\n';
  const s = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const doc = openHost(s, host, 'file:///ws/config.yaml');
  const found = s.embedded.diagnostics(doc).filter((d) => d.source === 'falco-lens' && d.code !== 'embedded-kubectl-expanded');
  const list = found.find((d) => /should be a list/.test(String(d.message)));
  assert.ok(list, found.map((d) => `${d.code} ${textAt(host, d)} ${d.message}`).join('\n'));
  const actions = s.embedded.codeActions!(doc, list.range, { diagnostics: [list] });
  assert.deepEqual(actions.map((a) => [a.title, a.edit === undefined, a.disabled?.reason]), [[
    'Write [10]', true, `Falco receives here the copy of the anchor &r (line 7) that kubectl puts in place of *r: the fix writes no scalar where the anchor holds a number, which the anchor's other readers would get too. Edit the anchor or the alias by hand.`,
  ]]);
});
