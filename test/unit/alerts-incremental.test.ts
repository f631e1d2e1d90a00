import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertDocumentIndex } from '../../server/src/service/alerts/documentIndex';
import { fixture } from '../fixtures/alerts/helpers';

const snapshot = (i: AlertDocumentIndex) => JSON.stringify({ alerts: i.alerts.map((a) => ({ ...a, head: { ...a.head } })), roles: i.roles, problems: i.lineProblems });
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
