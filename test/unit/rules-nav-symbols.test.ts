// Document and workspace symbols, folding ranges, and semantic tokens with exact positions in every scalar style;
// plus a corpus check: on the official rules files every macro and list reference resolves to a definition and the
// token analysis covers the whole files without overlaps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-types';
import { fixture, workspace } from './rules-nav-helpers';
import { corpusExists, corpusHost, rulesDoc } from './rules-host';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const texts: Record<string, string> = { [BASE]: fixture('falco_rules.yaml'), [LOCAL]: fixture('falco_rules.local.yaml') };

test('document symbols: kind, name, detail and selection range of each item', () => {
  const { service } = workspace(texts);
  const symbols = service.documentSymbols!(rulesDoc(LOCAL, texts[LOCAL]));
  assert.deepEqual(symbols.map((s) => [s.name, s.kind, s.detail]), [
    ['spawned_process', SymbolKind.Function, 'override (condition: append) — and proc.name != ignored'],
    ['shell_binaries', SymbolKind.Array, 'override (items: append) — 1 item'],
    ['Shell Spawned', SymbolKind.Event, 'override (condition: append)'],
    ['Local Shell', SymbolKind.Event, 'NOTICE'],
  ]);
  // The selection is the name (with its quotes for a quoted name); the range ends on the item's last line.
  assert.deepEqual(symbols[2].selectionRange, { start: { line: 11, character: 8 }, end: { line: 11, character: 23 } });
  assert.deepEqual(symbols[0].range, { start: { line: 1, character: 2 }, end: { line: 4, character: 21 } });
});

test('workspace symbols across the loaded files, filtered by the query', () => {
  const { service } = workspace(texts);
  const all = service.workspaceSymbols!('');
  assert.equal(all.length, 9);
  const shells = service.workspaceSymbols!('shbin');
  assert.deepEqual(shells.map((s) => `${s.containerName}:${s.name}`), ['falco_rules.yaml:shell_binaries', 'falco_rules.local.yaml:shell_binaries']);
  assert.equal(shells[0].location.uri, pathToUri(BASE));
});

test('folding ranges: items, multi-line conditions, exceptions and comment blocks', () => {
  const text = '# one\n# two\n- rule: R\n  desc: d\n  condition: >\n    a and\n    b\n  output: o\n  priority: INFO\n\n- list: l\n  items: [a]\n';
  const { service } = workspace({ [LOCAL]: text });
  const ranges = service.foldingRanges!(rulesDoc(LOCAL, text)).map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
  assert.deepEqual(ranges, ['0-1 comment', '2-8', '4-6', '10-11']);
});

/** Decodes LSP semantic tokens into "line:char text type" strings. */
function decode(text: string, data: number[], types: string[]): string[] {
  const doc = rulesDoc('/tmp/x.yaml', text);
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    const start = doc.offsetAt({ line, character: char });
    out.push(`${line}:${char} ${text.slice(start, start + data[i + 2])} ${types[data[i + 3]]}`);
  }
  return out;
}

const STYLES: Record<string, string> = {
  plain: '  condition: evt.type = execve and\n    proc.name in (shells, "a b")',
  'double-quoted': '  condition: "evt.type = execve and\n    proc.name in (shells, \\"a b\\")"',
  'single-quoted': "  condition: 'evt.type = execve and\n    proc.name in (shells, \"a b\")'",
  folded: '  condition: >\n    evt.type = execve and\n    proc.name in (shells, "a b")',
  literal: '  condition: |\n    evt.type = execve and\n    proc.name in (shells, "a b")',
};

for (const [style, condition] of Object.entries(STYLES)) {
  test(`semantic tokens at exact positions in a ${style} condition`, () => {
    const text = `- list: shells\n  items: [bash, 1]\n\n- macro: m\n${condition}\n`;
    const { service } = workspace({ [LOCAL]: text });
    const tokens = service.semanticTokens!(rulesDoc(LOCAL, text));
    const types = service.semanticTokensLegend!.tokenTypes;
    const decoded = decode(text, tokens.data, types);
    const first = text.indexOf('evt.type');
    const line = text.slice(0, first).split('\n').length - 1;
    const col = first - text.lastIndexOf('\n', first) - 1;
    const quoted = style === 'double-quoted' ? '\\"a b\\"' : '"a b"';
    assert.deepEqual(decoded.slice(4), [
      `${line}:${col} evt.type property`, `${line}:${col + 9} = operator`, `${line}:${col + 11} execve string`, `${line}:${col + 18} and keyword`,
      `${line + 1}:4 proc.name property`, `${line + 1}:14 in operator`, `${line + 1}:18 shells variable`, `${line + 1}:26 ${quoted} string`,
    ]);
    assert.deepEqual(decoded.slice(0, 4), ['0:8 shells variable', '1:10 bash string', '1:16 1 number', '3:9 m macro']);
  });
}

test('semantic tokens in outputs: %fields and transformers; deprecated fields carry the modifier', () => {
  const text = '- rule: R\n  desc: d\n  condition: evt.type = execve and evt.dir = <\n  output: "x %proc.name y=%tolower(user.name)"\n  priority: INFO\n';
  const { service } = workspace({ [LOCAL]: text });
  const legend = service.semanticTokensLegend!;
  const tokens = service.semanticTokens!(rulesDoc(LOCAL, text));
  const decoded = decode(text, tokens.data, legend.tokenTypes);
  assert.deepEqual(decoded.filter((d) => d.startsWith('3:')), ['3:13 %proc.name property', '3:27 tolower function', '3:35 user.name property']);
  const deprecated = 1 << legend.tokenModifiers.indexOf('deprecated');
  const dirToken = decoded.findIndex((d) => d.includes(' evt.dir '));
  assert.equal(tokens.data[dirToken * 5 + 4] & deprecated, deprecated);
});

const OFFICIAL = ['falcosecurity__rules/falco_rules.yaml', 'falcosecurity__rules/falco-incubating_rules.yaml', 'falcosecurity__rules/falco-sandbox_rules.yaml'];

test('official rules: every macro reference and list name resolves; symbols and tokens cover every item', { skip: !corpusExists && 'corpus absent' }, () => {
  const { host, paths } = corpusHost(OFFICIAL);
  const service = createRulesService(host);
  let macroRefs = 0;
  let listRefs = 0;
  for (const p of paths) {
    const text = host.files.get(p)!;
    const doc = rulesDoc(p, text);
    const symbols = service.documentSymbols!(doc);
    assert.ok(symbols.length > 50, p);
    const types = service.semanticTokensLegend!.tokenTypes;
    const decoded = decode(text, service.semanticTokens!(doc).data, types);
    for (const d of decoded) {
      const [where, word, type] = d.split(' ');
      if (type !== 'macro' && type !== 'variable') continue;
      const [line, character] = where.split(':').map(Number);
      const defs = service.definition!(doc, { line, character });
      assert.ok(defs.length >= 1, `${p}:${line + 1}: ${word} has no definition`);
      if (type === 'macro') macroRefs++; else listRefs++;
    }
  }
  assert.ok(macroRefs > 500 && listRefs > 100, `${macroRefs} macro and ${listRefs} list tokens`);
});
