import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseCondition, parseOutput } from '../../server/src/service/rules/condition';
import { corpusDir, corpusExists, readItems, rulesFiles } from './condition-corpus';

test('every condition and output of every corpus rules file parses without errors', { skip: !corpusExists && 'corpus absent' }, () => {
  const failures: string[] = [];
  let conditions = 0;
  let outputs = 0;
  for (const file of rulesFiles()) {
    for (const item of readItems(file)) {
      if (item.condition !== undefined) {
        conditions++;
        for (const e of parseCondition(item.condition).errors) {
          failures.push(`${path.relative(corpusDir, file)} ${item.kind} '${item.name}': ${e.message} at ${e.span.start} ${JSON.stringify(item.condition.slice(e.span.start, e.span.end + 20))}`);
        }
      }
      if (item.output !== undefined) {
        outputs++;
        for (const e of parseOutput(item.output).errors) failures.push(`${path.relative(corpusDir, file)} output of '${item.name}': ${e.message}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(conditions > 500, `only ${conditions} conditions found`);
  assert.ok(outputs > 200, `only ${outputs} outputs found`);
});
