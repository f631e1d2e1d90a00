// Session 8 leftovers in alert explanations and tuning: each test pins what the old code said or offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';

const md = (h: Hover | null | undefined) => (h ? (h.contents as { value: string }).value : '');

function hoverAt(s: ReturnType<typeof createAlertsService>, text: string, needle: string, shift: number, name: string): string {
  const col = text.indexOf(needle);
  assert.ok(col >= 0, needle);
  return md(s.hover!(alertDoc(name, text), { line: 0, character: col + shift }));
}

const count = (text: string, part: string) => text.split(part).length - 1;

// 1. Flags read without the alert's evt.type: the events they hold for are said once, not in front of every flag.

const OPEN_NO_TYPE = JSON.stringify({
  hostname: 'node-1', output: '09:12:44.120553012: Warning File below /etc opened for writing (file=/etc/cron.d/x flags=O_WRONLY|O_CREAT|O_TRUNC|O_APPEND)',
  output_fields: { 'evt.arg.flags': 'O_WRONLY|O_CREAT|O_TRUNC|O_APPEND', 'fd.name': '/etc/cron.d/x', 'proc.name': 'tee', 'user.loginuid': -1 },
  priority: 'Warning', rule: 'Write below etc', source: 'syscall', tags: [], time: '2025-05-07T09:12:44.120553012Z',
});

test('a hover on flags without evt.type says the events once, then what each flag means', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const h = hoverAt(s, OPEN_NO_TYPE, '"O_WRONLY|O_CREAT|O_TRUNC|O_APPEND"', 2, 'flags.json');
  assert.equal(count(h, 'If evt\\.type is'), 1, h);
  assert.ok(h.endsWith([
    'If evt\\.type is open, openat, openat2 or open\\_by\\_handle\\_at \\(other events\\\' flags are other sets\\):',
    '',
    '- `O_WRONLY`: The file was opened for writing only\\.',
    '- `O_CREAT`: The open call may create the file if it does not exist\\.',
    '- `O_TRUNC`: The open call empties an existing file\\.',
    '- `O_APPEND`: Writes go to the end of the file\\.',
  ].join('\n')), h);
  // With the event type, no condition at all.
  const typed = JSON.stringify({ ...JSON.parse(OPEN_NO_TYPE), output_fields: { ...JSON.parse(OPEN_NO_TYPE).output_fields, 'evt.type': 'openat' } });
  const h2 = hoverAt(s, typed, '"O_WRONLY|O_CREAT|O_TRUNC|O_APPEND"', 2, 'typed.json');
  assert.equal(count(h2, 'evt\\.type is'), 0, h2);
  assert.match(h2, /- `O_TRUNC`: The open call empties an existing file\\\./);
  // Meanings that hold whatever the event stay as they were (user.loginuid -1).
  assert.match(hoverAt(s, OPEN_NO_TYPE, '"user.loginuid":-1', '"user.loginuid":'.length, 'loginuid.json'), /^- `-1`: No login session/m);
});

test('the report nests the flags under the condition, said once', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(OPEN_NO_TYPE, 'file:///logs/flags.json');
  assert.equal(count(report, 'If evt\\.type is'), 1, report);
  assert.ok(report.includes([
    '  - If evt\\.type is open, openat, openat2 or open\\_by\\_handle\\_at \\(other events\\\' flags are other sets\\):',
    '    - `O_WRONLY`: The file was opened for writing only\\.',
    '    - `O_CREAT`: The open call may create the file if it does not exist\\.',
  ].join('\n')), report);
});
