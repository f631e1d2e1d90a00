// parseLine and the index's intern read characters only within bounds (a read past the end throws V8's optimized code
// away; parseLine then ran unoptimized for about five opens). Empty and very short lines read as before: checked on
// every short line built from the characters the first checks look at, and on a log ending with a line break.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../../server/src/service/alerts/parse';
import { AlertDocumentIndex } from '../../server/src/service/alerts/documentIndex';

test('empty and short lines have no wrapper and are no alert, whatever their first characters', () => {
  const intern = (s: string) => s;
  assert.deepEqual(parseLine('', intern), { kind: 'blank', payloadStart: 0 });
  const pieces = ['', '{', '2', '0', '-', 'J', 'A', ' ', '\t', ':'];
  let count = 0;
  for (const a of pieces) for (const b of pieces) for (const c of pieces) for (const d of pieces) for (const e of pieces) {
    const line = a + b + c + d + e;
    if (line.length > 5) continue;
    const parsed = parseLine(line, intern);
    assert.equal(parsed.wrapper, undefined, JSON.stringify(line));
    assert.equal(parsed.payloadStart, 0, JSON.stringify(line));
    assert.ok(['blank', 'other', 'indented', 'broken'].includes(parsed.kind), `${JSON.stringify(line)}: ${parsed.kind}`);
    count++;
  }
  assert.ok(count > 1000);
});

test('the index interns the empty string and single characters as themselves', () => {
  const index = new AlertDocumentIndex();
  assert.equal(index.intern(''), '');
  assert.equal(index.intern('a'), 'a');
  assert.equal(index.intern(''), '');
  // A log whose last line is empty (it ends with a line break) and a JSON alert with empty values.
  const line = '{"hostname":"","output":"x","priority":"Warning","rule":"","source":"","time":"2024-01-03T19:39:42.522581168Z"}';
  index.update(`${line}\n\n`, 1);
  assert.equal(index.alerts.length, 1);
  assert.equal(index.alerts[0].head.rule, '');
});
