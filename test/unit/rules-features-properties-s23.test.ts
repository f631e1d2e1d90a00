// What the rules service answers is valid LSP data and inert Markdown wherever it is asked, in any text: the official
// falco_rules.yaml, a rules file whose names, descriptions and values are hostile (Markdown, HTML, command links,
// YAML and condition syntax), and seeded random edits of a local file (broken YAML included). At positions spread over
// each text:
// - no request throws;
// - a hover's range holds the position, its Markdown renders hostile text inert;
// - completion items edit a range on the position's line that holds the position;
// - definitions, references and highlights point into existing lines;
// - symbols, folding ranges, selection ranges and semantic tokens are well formed (inside the text, nested, ordered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentSymbol, Position, Range, TextEdit, InsertReplaceEdit, Location } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc, corpusExists, CORPUS_RULES } from './rules-host';
import { EditSession, prng, TWO_FILE_BASE, TWO_FILE_LOCAL } from './rules-random-edits';
import { hostileProblems } from '../fixtures/alerts/helpers';

const FILE = '/ws/falco_rules.local.yaml';
const BASE = '/ws/base_rules.yaml';

const HOSTILE_RULES = `- list: "evil_<img src=x>"
  items: ["[x](command:falcoLens.evil)", "<b>bold</b>", "$(id)"]
- macro: evil_macro
  condition: proc.name in ("[x](command:falcoLens.evil)", "<img src=x onerror=alert(1)>") and fd.name = "\`id\`"
- rule: "<img src=x onerror=alert(1)> [x](command:falcoLens.evil)"
  desc: "<b>bold</b> [x](https://evil.example) $(reboot) <script>alert(1)</script>"
  condition: evil_macro and proc.name in (evil_<img src=x>) and evt.type = execve
  output: "<img src=x> %proc.name [x](command:falcoLens.evil) %fd.name"
  priority: WARNING
  tags: ["<b>tag</b>", "[x](command:falcoLens.evil)"]
- rule: "<img src=x onerror=alert(1)> [x](command:falcoLens.evil)"
  exceptions:
    - name: "<b>e</b>"
      fields: [proc.name]
      values: [["<img src=x>"]]
  override:
    exceptions: append
`;

const inside = (p: Position, r: Range) => (r.start.line < p.line || (r.start.line === p.line && r.start.character <= p.character))
  && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));
const contains = (outer: Range, inner: Range) => inside(inner.start, outer) && inside(inner.end, outer);
const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

function checkText(text: string, step: number, where: string, base: string = TWO_FILE_BASE) {
  const host = new MemoryHost({ [BASE]: base, [FILE]: text }, { ruleFiles: [BASE, FILE], folders: ['/ws'] });
  const service = createRulesService(host);
  const doc = rulesDoc(FILE, text);
  service.didOpenOrChange?.(doc);
  service.diagnostics(doc);
  const lines = text.split(/\r?\n/);
  const validRange = (r: Range, what: string) => {
    assert.ok(r.start.line >= 0 && r.end.line < lines.length + 1 && before(r.start, r.end), `${where}: ${what} ${JSON.stringify(r)}`);
    assert.ok(r.end.line >= lines.length || r.end.character <= lines[r.end.line].length, `${where}: ${what} ends past its line ${JSON.stringify(r)}`);
  };
  const location = (l: Location, what: string) => { if (l.uri === doc.uri) validRange(l.range, what); };
  let hovers = 0;
  for (let offset = 0; offset <= text.length; offset += step) {
    const position = doc.positionAt(offset);
    const at = `${where} at ${position.line + 1}:${position.character + 1}`;
    const hover = service.hover!(doc, position);
    if (hover) {
      hovers++;
      if (hover.range) assert.ok(inside(position, hover.range), `${at}: the hover's range ${JSON.stringify(hover.range)} does not hold the position`);
      const markdown = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover.contents);
      assert.deepEqual(hostileProblems(markdown), [], `${at}: hover\n${markdown}`);
    }
    const list = service.completion!(doc, position);
    for (const item of list?.items ?? []) {
      const edit = item.textEdit as TextEdit | InsertReplaceEdit | undefined;
      if (!edit) continue;
      const ranges = 'range' in edit ? [edit.range] : [edit.insert, edit.replace];
      for (const r of ranges) {
        assert.ok(r.start.line === position.line && r.end.line === position.line && inside(position, r), `${at}: completion '${item.label}' edits ${JSON.stringify(r)}`);
      }
      if (item.documentation && typeof item.documentation === 'object') assert.deepEqual(hostileProblems(item.documentation.value), [], `${at}: completion '${item.label}'`);
    }
    for (const l of service.definition!(doc, position)) location(l, 'definition');
    for (const l of service.references!(doc, position, true)) location(l, 'reference');
    for (const h of service.documentHighlights?.(doc, position) ?? []) validRange(h.range, 'highlight');
  }
  const symbols = (list: DocumentSymbol[], parent?: Range) => {
    for (const s of list) {
      validRange(s.range, `symbol ${s.name}`);
      assert.ok(contains(s.range, s.selectionRange), `${where}: symbol ${s.name}'s selection range outside its range`);
      if (parent) assert.ok(contains(parent, s.range), `${where}: symbol ${s.name} outside its parent`);
      symbols(s.children ?? [], s.range);
    }
  };
  symbols(service.documentSymbols!(doc));
  for (const f of service.foldingRanges!(doc)) assert.ok(f.startLine >= 0 && f.startLine < f.endLine && f.endLine < lines.length, `${where}: folding ${JSON.stringify(f)}`);
  const positions = [0, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length].map((o) => doc.positionAt(o));
  for (const chain of service.selectionRanges!(doc, positions) ?? []) {
    for (let s: typeof chain | undefined = chain; s?.parent; s = s.parent) {
      assert.ok(contains(s.parent.range, s.range) && JSON.stringify(s.parent.range) !== JSON.stringify(s.range), `${where}: selection range ${JSON.stringify(s.range)} not strictly inside ${JSON.stringify(s.parent.range)}`);
    }
  }
  // Semantic tokens: relative encoding decoded, each token on one line, inside it, in order, not overlapping.
  const data = service.semanticTokens!(doc).data;
  assert.equal(data.length % 5, 0);
  let line = 0;
  let char = 0;
  let lastEnd = -1;
  let lastLine = -1;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    const length = data[i + 2];
    assert.ok(line < lines.length && length > 0 && char + length <= lines[line].length, `${where}: token at ${line + 1}:${char + 1} of length ${length}`);
    if (line === lastLine) assert.ok(char >= lastEnd, `${where}: tokens overlap at ${line + 1}:${char + 1}`);
    lastLine = line;
    lastEnd = char + length;
    assert.ok(data[i + 3] < (service.semanticTokensLegend?.tokenTypes.length ?? 0), `${where}: token type ${data[i + 3]}`);
  }
  return hovers;
}

test('hostile rules file: every answer valid, every hover inert', () => {
  assert.ok(checkText(HOSTILE_RULES, 3, 'hostile file') > 50);
});

test('the official falco_rules.yaml: every answer valid, every hover inert', { skip: !corpusExists && 'corpus absent' }, () => {
  const official = fs.readFileSync(path.join(CORPUS_RULES, 'falcosecurity__rules', 'falco_rules.yaml'), 'utf8');
  const hovers = checkText(official, 97, 'falco_rules.yaml', '');
  assert.ok(hovers > 150, `hovers: ${hovers}`);
});

test('random edits of a local rules file, broken YAML included: every answer valid', () => {
  for (const seed of [5, 8]) {
    const random = prng(seed);
    const session = new EditSession(TWO_FILE_LOCAL, TWO_FILE_LOCAL, random);
    let text = TWO_FILE_LOCAL;
    for (let step = 0; step < 40; step++) {
      checkText(text, 11, `seed ${seed} step ${step}`);
      text = session.next(false);
    }
  }
});
