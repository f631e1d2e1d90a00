// What the alerts service keeps alive between versions of a document: a view (built by hovers, definitions and code
// actions) holds its record and a record its version's text, so a cache of views from earlier versions kept one old
// copy of a 43 MB log alive through every later edit. Checked with WeakRefs and a forced garbage collection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, fakeRules, fixture } from '../fixtures/alerts/helpers';

// The test runner starts node without --expose-gc: the flag set at run time exposes gc() to a new context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage once the current job is over (a WeakRef's target is kept alive until then). */
async function collect(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

const LOG = ['falco-0.44.json', 'falco-rules4.log', 'falco-mixed.log'].map(fixture).join('');

test('views of an earlier version are not kept once the document has changed', async () => {
  const service = createAlertsService(new TestHost(), fakeRules([]));
  let doc = TextDocument.create('file:///logs/falco_memory.log', 'falco-alerts', 1, LOG);
  service.didOpenOrChange!(doc);
  const first = (() => {
    const index = service.index(doc);
    const record = index.alerts[0];
    // Hovers build views (and keep them for the next hover on the same alert).
    service.hover!(doc, { line: record.line, character: 2 });
    return { view: new WeakRef(service.view(doc, record)), record: new WeakRef(record) };
  })();
  const change = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' };
  doc = TextDocument.update(doc, [change], 2);
  service.didOpenOrChange!(doc, [change]);
  const second = service.index(doc).alerts[0];
  service.hover!(doc, { line: second.line, character: 2 });
  await collect();
  assert.equal(first.view.deref(), undefined, 'the view of version 1 is collected');
  assert.equal(first.record.deref(), undefined, 'the record of version 1 (which holds its text) is collected');
  assert.ok(service.view(doc, second), 'views of the current version still work');
});

test('a closed document leaves nothing of its index behind', async () => {
  const service = createAlertsService(new TestHost(), fakeRules([]));
  const doc = TextDocument.create('file:///logs/falco_closed.log', 'falco-alerts', 1, LOG);
  service.didOpenOrChange!(doc);
  const refs = (() => {
    const index = service.index(doc);
    service.hover!(doc, { line: index.alerts[0].line, character: 2 });
    return { index: new WeakRef(index), view: new WeakRef(service.view(doc, index.alerts[0])) };
  })();
  service.didClose!(doc.uri);
  await collect();
  assert.equal(refs.index.deref(), undefined, 'the index is collected');
  assert.equal(refs.view.deref(), undefined, 'its views are collected');
});

test('a one-line edit keeps the records of the other alerts (read from the new text) and builds one', () => {
  const service = createAlertsService(new TestHost(), fakeRules([]));
  let doc = TextDocument.create('file:///logs/falco_records.log', 'falco-alerts', 1, LOG);
  service.didOpenOrChange!(doc);
  const before = [...service.index(doc).alerts];
  const target = before[Math.floor(before.length / 2)];
  assert.equal(target.endLine, target.line, 'a one-line alert');
  // The line gets longer: every later line starts elsewhere in the new text.
  const at = target.text.indexOf('"priority"');
  assert.ok(at > 0);
  const change = { range: { start: { line: target.line, character: at }, end: { line: target.line, character: at } }, text: '"edited":1,' };
  doc = TextDocument.update(doc, [change], 2);
  service.didOpenOrChange!(doc, [change]);
  const after = service.index(doc).alerts;
  assert.equal(after.length, before.length);
  const built = after.filter((r, i) => r !== before[i]);
  assert.deepEqual(built.map((r) => r.line), [target.line], 'only the edited line has a new record');
  const lines = doc.getText().split(/\r\n|\n|\r/);
  for (const r of after) if (r.endLine === r.line && !r.pieces) assert.equal(r.text, lines[r.line], `line ${r.line} reads the new text`);
});
