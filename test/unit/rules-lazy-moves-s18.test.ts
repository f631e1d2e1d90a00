// Items an edit moves make their nodes when first read (model.ts Item). A moved item read lazily, after any number of
// moves and in any order of its fields, equals the item of a parse from nothing; and a service that sees a sequence of
// edits answers diagnostics, hovers, definitions, references and symbols as a new service over the same texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { clearCheckMemos } from '../../server/src/service/rules/conditionChecks';
import { clearChunkCache, entryValue, hasEntry, parseRulesFile, type ModelItem, type RulesFileModel } from '../../server/src/service/rules/model';
import { clearLoadMemos, RulesWorkspaceIndex } from '../../server/src/service/rules/workspace';
import { CORPUS_RULES, MemoryHost, corpusExists, rulesDoc } from './rules-host';
import { incrementalChange, prng } from './rules-random-edits';
import { canonicalNodes } from './model-canonical';

const OFFICIAL = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((n) => path.join(CORPUS_RULES, 'falcosecurity__rules', n));

const FIELDS = ['node', 'entries', 'span', 'kindEntry', 'nameSpan'] as const;

/** One field of an item as plain data (scalar tokens written at document offsets). */
function fieldData(item: ModelItem, field: (typeof FIELDS)[number]): string {
  return JSON.stringify(canonicalNodes({ v: item[field] }));
}

/** A character typed or deleted above most items: a place in the first tenth of the text, or in its comments. */
function editNearTop(text: string, random: () => number): string {
  const at = Math.floor(random() * Math.max(1, text.length / 10));
  const lineEnd = text.indexOf('\n', at);
  const where = lineEnd < 0 ? at : lineEnd;
  return random() < 0.5 || where === 0 ? `${text.slice(0, where)} ${text.slice(where)}` : text.slice(0, where - 1) + text.slice(where);
}

test('an item moved by edits and read lazily, field by field in any order, equals a parse from nothing', { skip: !corpusExists && 'corpus absent' }, () => {
  const original = fs.readFileSync(OFFICIAL[0], 'utf8');
  const random = prng(1801);
  const uri = 'file:///tmp/lazy-moves/falco_rules.yaml';
  const index = new RulesWorkspaceIndex(new MemoryHost({}, { ruleFiles: [] }));
  let doc = rulesDoc(uri, original, 1);
  index.didOpenOrChange(doc);
  let model: RulesFileModel = index.modelOf(uri, original);
  let compared = 0;
  for (let step = 0; step < 60; step++) {
    const before = doc.getText();
    const after = editNearTop(before, random);
    const change = incrementalChange(before, after);
    doc = TextDocument.update(doc, [change], doc.version + 1);
    index.didOpenOrChange(doc, [change]);
    model = index.modelOf(uri, after);
    // Most steps read nothing (the items are moved again unread); some read a few items' fields, in a random order.
    if (random() < 0.6) continue;
    const fresh = parseRulesFile(uri, after);
    assert.equal(model.items.length, fresh.items.length);
    for (let k = 0; k < 8; k++) {
      const i = Math.floor(random() * model.items.length);
      const item = model.items[i];
      const want = fresh.items[i];
      assert.equal(item.kind, want.kind);
      assert.equal(item.name, want.name);
      assert.equal(item.index, want.index);
      // The values readers read without making the nodes give what the nodes say.
      for (const key of ['override', 'append', 'exceptions', 'condition', 'source']) {
        assert.equal(hasEntry(item, key), hasEntry(want, key));
        assert.equal(JSON.stringify(entryValue(item, key) && { text: (entryValue(item, key) as { text?: string }).text, kind: entryValue(item, key)!.kind }), JSON.stringify(entryValue(want, key) && { text: (entryValue(want, key) as { text?: string }).text, kind: entryValue(want, key)!.kind }));
      }
      const order = [...FIELDS].sort(() => random() - 0.5);
      for (const f of order) assert.equal(fieldData(item, f), fieldData(want, f), `step ${step}, item ${i}, ${f}`);
      // Read again: the nodes made are kept (the same objects).
      assert.equal(item.node, item.node);
      compared++;
    }
  }
  assert.ok(compared > 100, `compared ${compared}`);
  // The whole model at the end, with items moved many times without a read.
  const text = doc.getText();
  assert.deepEqual(canonicalNodes(index.modelOf(uri, text).items), canonicalNodes(parseRulesFile(uri, text).items));
});

/** Positions of names and fields along the text (a rule name, a macro or list used in a condition, a field). */
function probePositions(doc: TextDocument, random: () => number): Position[] {
  const text = doc.getText();
  const out: Position[] = [];
  for (const re of [/^- (?:rule|macro|list): (\S)/gm, /condition: [^\n]*?\b([a-z_]{6,})\b/g, /\b(proc\.name|fd\.name|evt\.type)\b/g]) {
    const hits: number[] = [];
    for (let m = re.exec(text); m; m = re.exec(text)) hits.push(m.index + m[0].length - m[1].length + 1);
    for (let k = 0; k < 4 && hits.length > 0; k++) out.push(doc.positionAt(hits[Math.floor(random() * hits.length)]));
  }
  return out;
}

test('after edits that move items, diagnostics, hovers, definitions, references and symbols equal a new service\'s', { skip: !corpusExists && 'corpus absent' }, () => {
  const texts = OFFICIAL.map((p) => fs.readFileSync(p, 'utf8'));
  const paths = OFFICIAL.map((_, i) => `/ws/rules-${i}.yaml`);
  const host = new MemoryHost({}, { ruleFiles: paths });
  paths.forEach((p, i) => host.files.set(p, texts[i]));
  const svc = createRulesService(host);
  const docs = paths.map((p, i) => rulesDoc(p, texts[i], 1));
  for (const d of docs) svc.didOpenOrChange!(d);
  for (const d of docs) svc.diagnostics(d);
  const random = prng(1802);
  // Edits near the top of the first file (moving nearly every item), a busy macro's condition, a rule's name.
  const edits = [
    (t: string) => editNearTop(t, random),
    (t: string) => t.replace('condition: (evt.num=0)', 'condition: (evt.num=1)'),
    (t: string) => t.replace('condition: (evt.num=1)', 'condition: (evt.num=0)'),
    (t: string) => t.replace('- rule: Read sensitive file untrusted', '- rule: Read sensitive file untrusted2'),
    (t: string) => t.replace('- rule: Read sensitive file untrusted2', '- rule: Read sensitive file untrusted'),
  ];
  for (let step = 0; step < 18; step++) {
    const before = docs[0].getText();
    const after = edits[step < 6 ? 0 : Math.floor(random() * edits.length)](before);
    const change = incrementalChange(before, after);
    docs[0] = TextDocument.update(docs[0], [change], docs[0].version + 1);
    svc.didOpenOrChange!(docs[0], [change]);
    // As the server does after each change: the edited file's diagnostics, which read the items an edit changed and
    // leave the moved ones unread (moved again by the next step, made when a feature or a comparison reads them).
    const own = svc.diagnostics(docs[0]);
    if (step % 3 !== 2) continue;
    clearCheckMemos();
    clearChunkCache();
    clearLoadMemos();
    const freshHost = new MemoryHost({}, { ruleFiles: paths });
    paths.forEach((p, i) => freshHost.files.set(p, docs[i].getText()));
    const fresh = createRulesService(freshHost);
    const freshDocs = docs.map((d, i) => rulesDoc(paths[i], d.getText(), d.version));
    for (const d of freshDocs) fresh.didOpenOrChange!(d);
    // The features (on a model whose items were moved unread, some several times), then the other files' diagnostics.
    for (const pos of probePositions(docs[0], random)) {
      const where = `step ${step}, ${pos.line}:${pos.character}`;
      assert.deepEqual(svc.hover!(docs[0], pos), fresh.hover!(freshDocs[0], pos), `hover ${where}`);
      assert.deepEqual(svc.definition!(docs[0], pos), fresh.definition!(freshDocs[0], pos), `definition ${where}`);
      assert.deepEqual(svc.references!(docs[0], pos, true), fresh.references!(freshDocs[0], pos, true), `references ${where}`);
    }
    assert.deepEqual(svc.documentSymbols!(docs[0]), fresh.documentSymbols!(freshDocs[0]), `symbols, step ${step}`);
    assert.deepEqual(own, fresh.diagnostics(freshDocs[0]), `diagnostics, step ${step}`);
    for (let i = 1; i < docs.length; i++) assert.deepEqual(svc.diagnostics(docs[i]), fresh.diagnostics(freshDocs[i]), `diagnostics, step ${step}, file ${i}`);
  }
});

// Items whose checks find something only in what they read (exception operators and event types, an unknown source, a
// rule's event codes and a later file's change of them): moved unread, then checked again on their values (a changed
// macro makes every item be checked again), they must give the findings at their new places.
const FINDINGS = `# a comment the edits change
- macro: m_top
  condition: proc.name = a

- macro: m_evt
  condition: evt.type = open

- rule: R exception operator
  desc: d
  condition: evt.type = execve and m_top
  output: "x %proc.name"
  priority: WARNING
  exceptions:
    - name: e1
      fields: [proc.pid, proc.name]
      comps: [startswith, =]
      values: [[abc, x]]

- rule: R source
  desc: d
  condition: ka.verb = create
  output: "%ka.verb"
  priority: INFO
  source: k8s_audti

- rule: R no event type
  desc: d
  condition: proc.name = x and m_top
  output: "%proc.name"
  priority: INFO

- rule: R exception event
  desc: d
  condition: evt.type = open and m_top
  output: "%proc.name"
  priority: INFO
  exceptions:
    - name: e2
      fields: evt.type
      values: [opn, open]

- rule: R later
  desc: d
  condition: m_evt and proc.name = y
  output: "%proc.name"
  priority: INFO
`;
const LATER = `- macro: m_evt
  condition: proc.name = z
  override:
    condition: replace
`;

test('findings of items checked again after moves, on their values, are at the items\' new places', () => {
  const paths = ['/ws/findings.yaml', '/ws/later.yaml'];
  const host = new MemoryHost({}, { ruleFiles: paths });
  host.files.set(paths[0], FINDINGS);
  host.files.set(paths[1], LATER);
  const svc = createRulesService(host);
  let doc = rulesDoc(paths[0], FINDINGS, 1);
  svc.didOpenOrChange!(doc);
  const codes = new Set(svc.diagnostics(doc).map((d) => String(d.code)));
  for (const code of ['operator-type', 'unknown-source', 'no-evttype', 'unknown-evttype']) assert.ok(codes.has(code), `${code} in ${[...codes].join(', ')}`);
  const random = prng(1803);
  for (let step = 0; step < 24; step++) {
    const before = doc.getText();
    // Mostly a character in the first line (every item moves); now and then the first macro's condition (every item is
    // checked again, most of them moved and never read).
    const after = step % 4 === 3
      ? before.replace(/proc\.name = a+/, (m) => (m.length > 14 && random() < 0.5 ? m.slice(0, -1) : `${m}a`))
      : random() < 0.5 && before.startsWith('#  ') ? `#${before.slice(2)}` : `# ${before.slice(1)}`;
    const change = incrementalChange(before, after);
    doc = TextDocument.update(doc, [change], doc.version + 1);
    svc.didOpenOrChange!(doc, [change]);
    const got = svc.diagnostics(doc);
    clearCheckMemos();
    clearChunkCache();
    clearLoadMemos();
    const freshHost = new MemoryHost({}, { ruleFiles: paths });
    freshHost.files.set(paths[0], after);
    freshHost.files.set(paths[1], LATER);
    assert.deepEqual(got, createRulesService(freshHost).diagnostics(rulesDoc(paths[0], after, doc.version)), `step ${step}`);
  }
});
