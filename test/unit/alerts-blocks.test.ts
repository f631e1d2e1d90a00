// The block-held text of open alert logs (textBlocks.ts): BlockDocument must behave exactly as
// vscode-languageserver-textdocument's TextDocument (positions, clamping, line breaks, content changes), the alert
// index fed with its blocks must equal a fresh parse of the text, and an edit must share the blocks it does not touch
// with the previous version (the point of it: no new copy of a 43 MB text per version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertDocumentIndex } from '../../server/src/service/alerts/documentIndex';
import { BlockDocument, TextBlocks } from '../../server/src/service/alerts/textBlocks';
import { TestHost, fakeRules, fixture } from '../fixtures/alerts/helpers';
import { Random } from '../fixtures/hardening/random';

const BASE = ['falco-0.44.json', 'falco-rules4.log', 'falco-crlf.log', 'falco-cri.log', 'falco-docker.log', 'falco-lifecycle.log', 'falco-syslog.log', 'falco-truncated.log'].map(fixture).join('');
const PIECES = ['', '\n', '\r\n', '\r', 'x', ' ', '"', '{', '}', 'Warning', '\n\n', '\r\r', '\n{"rule":"r"}\n', 'Events detected: 3\r\n'];

function sameDocument(block: BlockDocument, plain: TextDocument, rnd: Random, label: string): void {
  const text = plain.getText();
  assert.equal(block.getText(), text, `${label}: text`);
  assert.equal(block.lineCount, plain.lineCount, `${label}: lineCount`);
  for (let k = 0; k < 40; k++) {
    const offset = rnd.int(text.length + 3) - 1;
    assert.deepEqual(block.positionAt(offset), plain.positionAt(offset), `${label}: positionAt(${offset})`);
    const position = { line: rnd.int(plain.lineCount + 2) - (rnd.next() < 0.05 ? 2 : 0), character: rnd.int(120) - (rnd.next() < 0.05 ? 3 : 0) };
    assert.equal(block.offsetAt(position), plain.offsetAt(position), `${label}: offsetAt(${JSON.stringify(position)})`);
    const line = rnd.int(plain.lineCount + 2) - 1;
    assert.deepEqual(block.getLineRange(line), plain.getLineRange(line), `${label}: getLineRange(${line})`);
    assert.equal(block.getEOLCharacters(line), plain.getEOLCharacters(line), `${label}: getEOLCharacters(${line})`);
    const other = { line: rnd.int(plain.lineCount + 1), character: rnd.int(80) };
    const range = rnd.next() < 0.5 ? { start: position, end: other } : { start: other, end: position };
    assert.equal(block.getText(range), plain.getText(range), `${label}: getText(range)`);
  }
}

test('BlockDocument answers as TextDocument along seeded random edits, at any block size', () => {
  for (const blockSize of [1, 5, 64, 300, 1 << 16]) {
    for (const seed of [1, 2, 3]) {
      const rnd = new Random(seed * 1000 + blockSize);
      const start = seed === 3 ? BASE.replace(/\n/g, '\r') : BASE;
      let plain = TextDocument.create('file:///logs/b.log', 'falco-alerts', 1, start);
      const block = new BlockDocument('file:///logs/b.log', 'falco-alerts', 1, start, blockSize);
      sameDocument(block, plain, rnd, `size ${blockSize} seed ${seed} start`);
      for (let step = 0; step < 50; step++) {
        const changes: TextDocumentContentChangeEvent[] = [];
        const count = 1 + (rnd.next() < 0.25 ? rnd.int(3) : 0);
        for (let k = 0; k < count; k++) {
          if (rnd.next() < 0.03) { changes.push({ text: rnd.next() < 0.5 ? '' : BASE.slice(rnd.int(BASE.length)) }); continue; }
          // Positions anywhere, also past a line's end, past the last line and given end first.
          const a = { line: rnd.int(plain.lineCount + 1), character: rnd.int(rnd.next() < 0.8 ? 60 : 3000) };
          const b = rnd.next() < 0.3 ? a : { line: Math.max(0, a.line + rnd.int(4) - 1), character: rnd.int(200) };
          const insert = rnd.next() < 0.1 ? BASE.slice(rnd.int(BASE.length), rnd.int(BASE.length)) : Array.from({ length: rnd.int(3) }, () => rnd.pick(PIECES)).join('');
          changes.push({ range: rnd.next() < 0.8 ? { start: a, end: b } : { start: b, end: a }, text: insert });
        }
        // The reference is rebuilt after each change: TextDocument's incremental line offsets count one break too
        // many when an inserted LF meets a CR before it (one CRLF), and its later positions drift; a fresh one is exact.
        const version = plain.version + 1;
        for (const change of changes) plain = TextDocument.create(plain.uri, plain.languageId, version, TextDocument.update(plain, [change], version).getText());
        block.update(changes, plain.version);
        assert.equal(block.version, plain.version);
        sameDocument(block, plain, rnd, `size ${blockSize} seed ${seed} step ${step}`);
      }
    }
  }
});

test('TextBlocks reads as the string it holds', () => {
  const rnd = new Random(7);
  for (const size of [1, 3, 17, 200]) {
    for (const text of [BASE, BASE.replace(/\n/g, '\r\n'), BASE.replace(/\n/g, '\r'), '', '\n', '\r\n\r', 'no break at all']) {
      const blocks = TextBlocks.split(text, size);
      assert.equal(blocks.toString(), text);
      assert.equal(blocks.length, text.length);
      assert.deepEqual(blocks.lineStarts(), lineStartsOf(text), `size ${size}`);
      for (let k = 0; k < 200; k++) {
        const a = rnd.int(text.length + 2);
        const b = rnd.int(text.length + 2);
        assert.equal(blocks.slice(a, b), text.slice(a, b));
        assert.equal(Number.isNaN(blocks.charCodeAt(a)) ? 'NaN' : blocks.charCodeAt(a), Number.isNaN(text.charCodeAt(a)) ? 'NaN' : text.charCodeAt(a));
        const s = text.slice(a, a + rnd.int(30));
        assert.equal(blocks.startsWith(s, a), text.startsWith(s, a));
        assert.equal(blocks.startsWith('\u0000', a), false);
        assert.equal(blocks.nextLineStart(a), lineStartsOf(text).find((start) => start > a && start <= text.length && start - a >= 1 && isAfterBreakOf(text, a, start)) ?? -1, `nextLineStart(${a})`);
      }
    }
  }
});

/** Line starts as LineIndex counts them (LF, CRLF, lone CR). */
function lineStartsOf(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') out.push(i + 1);
    else if (c === '\r') { if (text[i + 1] === '\n') i++; out.push(i + 1); }
  }
  return out;
}

/** Whether `start` is the first line start after the line holding offset `a`. */
function isAfterBreakOf(text: string, a: number, start: number): boolean {
  const starts = lineStartsOf(text);
  const line = starts.filter((s) => s <= a).length - 1;
  return starts[line + 1] === start;
}

const snapshot = (i: AlertDocumentIndex) => JSON.stringify({
  alerts: i.alerts.map((a) => ({ ...a, text: a.text, endLine: a.endLine, pieces: a.pieces, head: { ...a.head } })), roles: i.roles, problems: i.lineProblems,
});
const fresh = (text: string) => { const i = new AlertDocumentIndex(); i.update(text, 1); return i; };

test('the alerts service on a BlockDocument equals a fresh parse of its text along seeded random edits', () => {
  for (const blockSize of [7, 120, 1 << 16]) {
    const rnd = new Random(blockSize);
    const service = createAlertsService(new TestHost(), fakeRules([]));
    const doc = new BlockDocument('file:///logs/s.log', 'falco-alerts', 1, BASE, blockSize);
    service.didOpenOrChange!(doc);
    assert.equal(snapshot(service.index(doc)), snapshot(fresh(BASE)));
    const sampleLines = BASE.split(/\r\n|\n|\r/).filter((l) => l.length > 0);
    for (let step = 0; step < 60; step++) {
      const text = doc.getText();
      const at = rnd.int(text.length + 1);
      const end = Math.min(text.length, at + (rnd.next() < 0.3 ? 0 : rnd.int(300)));
      const insert = rnd.next() < 0.2 ? `${rnd.pick(sampleLines)}${rnd.pick(['\n', '\r\n'])}` : Array.from({ length: rnd.int(3) }, () => rnd.pick(PIECES)).join('');
      const changes = [{ range: { start: doc.positionAt(at), end: doc.positionAt(end) }, text: insert }];
      doc.update(changes, doc.version + 1);
      service.didOpenOrChange!(doc, changes);
      const index = service.index(doc);
      const label = `size ${blockSize} step ${step}`;
      assert.equal(index.text, doc.getText(), label);
      assert.equal(snapshot(index), snapshot(fresh(doc.getText())), label);
      if (step % 10 === 0) assert.deepEqual(service.diagnostics(doc), service.diagnostics(TextDocument.create('file:///logs/s2.log', 'falco-alerts', 1, doc.getText())).map((d) => d), label);
    }
    // A report on the open document reads its index.
    assert.equal(service.report(doc, doc.uri), service.report(doc.getText(), 'file:///logs/s.log'));
  }
});

test('an edit shares every block it does not touch with the previous version', () => {
  const line = fixture('falco-0.44.json').split('\n')[0];
  const text = `${Array.from({ length: 4000 }, () => line).join('\n')}\n`; // about 2 MB: 30+ blocks of 64 K
  const doc = new BlockDocument('file:///logs/big.log', 'falco-alerts', 1, text);
  const before = doc.blocks.blocks;
  assert.ok(before.length > 20, `${before.length} blocks`);
  const middle = 2000;
  doc.update([{ range: { start: { line: middle, character: 5 }, end: { line: middle, character: 9 } }, text: 'edited' }], 2);
  const after = doc.blocks.blocks;
  const kept = new Set(before);
  const fresh = after.filter((b) => !kept.has(b));
  assert.ok(fresh.length <= 2, `${fresh.length} new blocks`);
  assert.ok(fresh.reduce((n, b) => n + b.length, 0) <= 3 * (1 << 16), 'the new blocks hold about one block of text');
  assert.equal(doc.getText(), `${text.slice(0, doc.offsetAt({ line: middle, character: 0 }) + 5)}edited${text.slice(doc.offsetAt({ line: middle, character: 0 }) + 9)}`);
});
