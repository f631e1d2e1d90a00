import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertDocumentIndex } from '../../server/src/service/alerts/documentIndex';
import { TestHost, fakeRules, fixture } from '../fixtures/alerts/helpers';
import { Random } from '../fixtures/hardening/random';

const snapshot = (i: AlertDocumentIndex) => JSON.stringify({
  alerts: i.alerts.map((a) => ({ ...a, text: a.text, endLine: a.endLine, pieces: a.pieces, head: { ...a.head } })), roles: i.roles, problems: i.lineProblems,
});
const fresh = (text: string) => { const i = new AlertDocumentIndex(); i.update(text, 1); return i; };

test('an edit re-parses only the changed line, and the result equals a fresh parse', () => {
  const base = ['falco-0.44.json', 'falco-rules4.log', 'falco-mixed.log', 'falco-cri.log', 'falco-lifecycle.log'].map(fixture).join('');
  const index = new AlertDocumentIndex();
  const first = index.update(base, 1);
  assert.equal(first.parsedLines, base.split('\n').length);
  const lines = base.split('\n');
  lines[5] = lines[5].replace('Warning', 'Critical');
  const edited = lines.join('\n');
  const stats = index.update(edited, 2);
  assert.equal(stats.parsedLines, 1);
  assert.equal(snapshot(index), snapshot(fresh(edited)));
});

test('inserted and deleted lines shift the rest without re-parsing it', () => {
  const base = fixture('falco-mixed.log') + fixture('falco-rules4.log');
  const index = new AlertDocumentIndex();
  index.update(base, 1);
  const lines = base.split('\n');
  const inserted = [...lines.slice(0, 3), 'Events detected: 3', '', ...lines.slice(3)].join('\n');
  const parsed = index.update(inserted, 2).parsedLines;
  assert.ok(parsed >= 1 && parsed <= 2, `${parsed} lines parsed (the new line; the blank one may reuse an equal old line)`);
  assert.equal(snapshot(index), snapshot(fresh(inserted)));
  const deleted = [...lines.slice(0, 1), ...lines.slice(2)].join('\n');
  assert.equal(index.update(deleted, 3).parsedLines, 0, 'lines that only moved are reused');
  assert.equal(snapshot(index), snapshot(fresh(deleted)));
});

test('editing inside a container-runtime P chunk re-joins the alert', () => {
  const text = fixture('falco-cri.log');
  const index = new AlertDocumentIndex();
  index.update(text, 1);
  assert.equal(index.alerts[0].head.priority, 4);
  const edited = text.replace('"priority":"Warning"', '"priority":"Error"');
  index.update(edited, 2);
  assert.equal(index.lastStats.parsedLines, 1);
  assert.equal(index.alerts[0].head.priority, 3);
  assert.equal(snapshot(index), snapshot(fresh(edited)));
});

// ---- Edits through the protocol's content changes: seeded random edits (insertions and deletions across line
// breaks, CRLF and lone CR, several changes per version) give the same index as a fresh parse of the new text, and
// parse again only the lines the change touched.

const EDIT_BASE = ['falco-0.44.json', 'falco-rules4.log', 'falco-crlf.log', 'falco-cri.log', 'falco-docker.log', 'falco-lifecycle.log', 'falco-syslog.log', 'falco-truncated.log'].map(fixture).join('');

test('seeded random edits through content changes give the index of a fresh parse, re-parsing only touched lines', () => {
  const pieces = ['', '\n', '\r\n', '\r', 'x', ' ', '"', '{', '}', 'Warning', '"priority":"Error",', '\n{"rule":"r"}\n', 'Events detected: 3\r\n'];
  const sampleLines = EDIT_BASE.split(/\r\n|\n|\r/).filter((l) => l.length > 0);
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const rnd = new Random(seed);
    let doc = TextDocument.create('file:///logs/falco_edit.log', 'falco-alerts', 1, EDIT_BASE);
    const index = new AlertDocumentIndex();
    index.update(doc.getText(), doc.version);
    for (let step = 0; step < 60; step++) {
      const text = doc.getText();
      const count = 1 + (rnd.next() < 0.2 ? rnd.int(3) : 0);
      // Several changes go in descending order (as editors send multi-cursor edits), now and then ascending.
      const offsets = Array.from({ length: count * 2 }, () => rnd.int(text.length + 1)).sort((a, b) => b - a);
      const changes: { range: { start: Position; end: Position }; text: string }[] = [];
      for (let k = 0; k < count; k++) {
        const end = offsets[2 * k];
        const start = rnd.next() < 0.3 ? end : Math.max(offsets[2 * k + 1], end - 1 - rnd.int(300));
        const insert = rnd.next() < 0.15 ? `${rnd.pick(sampleLines)}${rnd.pick(['\n', '\r\n'])}` : Array.from({ length: rnd.int(3) }, () => rnd.pick(pieces)).join('');
        changes.push({ range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: insert });
      }
      if (count > 1 && rnd.next() < 0.2) changes.reverse();
      const next = TextDocument.update(doc, changes, doc.version + 1);
      const stats = index.update(next.getText(), next.version, changes);
      const label = `seed ${seed} step ${step}`;
      assert.equal(index.text, next.getText(), label);
      assert.equal(snapshot(index), snapshot(fresh(next.getText())), label);
      if (count === 1) {
        // Lines of the new text that the change covers (from its start to the end of the inserted text).
        const startLine = next.positionAt(doc.offsetAt(changes[0].range.start)).line;
        const endLine = next.positionAt(doc.offsetAt(changes[0].range.start) + changes[0].text.length).line;
        assert.ok(stats.parsedLines <= endLine - startLine + 1, `${label}: ${stats.parsedLines} lines parsed for a change over lines ${startLine}-${endLine}`);
      }
      doc = next;
    }
  }
});

test('a full-text change, a change without a previous version and stale changes fall back to comparing texts', () => {
  const index = new AlertDocumentIndex();
  index.update(EDIT_BASE, 1);
  const lines = EDIT_BASE.split('\n');
  lines[3] = lines[3].replace('Warning', 'Critical');
  const edited = lines.join('\n');
  assert.equal(index.update(edited, 2, [{ text: edited }]).parsedLines, 1, 'a full-text change is compared, not re-parsed whole');
  assert.equal(snapshot(index), snapshot(fresh(edited)));
  // Changes that do not lead to the given text (a version was missed) are not trusted.
  const stale = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'zzz' }];
  const other = EDIT_BASE.replace('"priority":"Warning"', '"priority":"Error"');
  index.update(other, 3, stale);
  assert.equal(snapshot(index), snapshot(fresh(other)));
  const opened = new AlertDocumentIndex();
  opened.update(edited, 5, stale);
  assert.equal(snapshot(opened), snapshot(fresh(edited)), 'the first version is parsed whole whatever the changes say');
});

test('the service applies the changes it is given on didOpenOrChange', () => {
  const service = createAlertsService(new TestHost(), fakeRules([]));
  let doc = TextDocument.create('file:///logs/falco_service.log', 'falco-alerts', 1, EDIT_BASE);
  service.didOpenOrChange!(doc);
  const line = 2;
  const change = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '{"rule":"r","priority":"Error","time":"2024-06-10T14:47:07.000000000Z","output":"x"}\n' };
  doc = TextDocument.update(doc, [change], 2);
  service.didOpenOrChange!(doc, [change]);
  const index = service.index(doc);
  assert.equal(index.lastStats.parsedLines, 1);
  assert.equal(index.alertAtLine(line)?.head.rule, 'r');
  assert.equal(snapshot(index), snapshot(fresh(doc.getText())));
});

test('a line feed typed after a lone CR joins the two into one line break', () => {
  const line = fixture('falco-rules4.log').split('\n')[0];
  const base = `${line}\r${line}\n${line}\n`;
  const index = new AlertDocumentIndex();
  index.update(base, 1);
  assert.equal(index.lineCount, 4);
  const change = { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' };
  const next = TextDocument.update(TextDocument.create('file:///l.log', 'falco-alerts', 1, base), [change], 2);
  const stats = index.update(next.getText(), 2, [change]);
  assert.equal(index.lineCount, 4, 'CR + LF is one break: no line is added');
  assert.equal(stats.parsedLines, 0, 'no line changed its text');
  assert.equal(snapshot(index), snapshot(fresh(next.getText())));
  // And the other way: a CR typed at the end of a line that ends with LF.
  const cr = { range: { start: { line: 2, character: line.length }, end: { line: 2, character: line.length } }, text: '\r' };
  const after = TextDocument.update(next, [cr], 3);
  index.update(after.getText(), 3, [cr]);
  assert.equal(snapshot(index), snapshot(fresh(after.getText())));
});
