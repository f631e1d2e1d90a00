// knowledge/eventParams.ts (scripts/gen-event-param-tables.mjs) against test/fixtures/event-params.json, read from the
// same libs 0.25.2 event table by another script (scripts/gen-event-params.mjs, current events only): every parameter
// of a current event lists that event here. eventParams.ts unites every version of an event (the enter events and
// EF_OLD_VERSION ones too: the no-evttype restriction must keep any event that can carry the parameter, in older
// releases' live events or in old capture files), so it may list more; it leaves out on purpose the generic 'syscall'
// events and the iterator events task and task_file_*, which no rule is written for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EVENT_NAMES_BY_PARAMETER, EVENT_PARAMS_LIBS_VERSION } from '../../server/src/knowledge/eventParams';

const fixture = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'event-params.json'), 'utf8')) as { libs: string; events: Record<string, string[]> };
const LEFT_OUT = (event: string) => event === 'syscall' || event === 'task' || event.startsWith('task_file_');

test('every parameter of a current event lists the event', () => {
  assert.equal(EVENT_PARAMS_LIBS_VERSION, fixture.libs);
  const missing: string[] = [];
  let checked = 0;
  for (const [event, params] of Object.entries(fixture.events)) {
    if (LEFT_OUT(event)) continue;
    for (const p of params) {
      checked++;
      if (!EVENT_NAMES_BY_PARAMETER[p]?.includes(event)) missing.push(`${event}.${p}`);
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(checked > 500, `${checked} parameters checked`);
  // No event listed that the table does not have, and the left-out ones are out.
  const events = new Set(Object.keys(fixture.events));
  for (const [p, names] of Object.entries(EVENT_NAMES_BY_PARAMETER)) {
    for (const n of names) assert.ok(events.has(n) && !LEFT_OUT(n), `${p}: ${n}`);
  }
});
