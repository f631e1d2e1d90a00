// `%evt.type.is.<text>` per release. Falco 0.37-0.43 (libs 0.14.2-0.23.1) hand the rest of the output to the event
// check (eventformatter.cpp 0.14.2:151-167, 0.23.1:138-151), whose extract_type reads after 'evt.type.is.' a number
// that is all the rest (tryparseu32: sscanf "%u%c") or an event's name that is all the rest, and otherwise reads 0
// characters without an error (sinsp_filtercheck_event.cpp 0.14.2:225-256, 0.23.1:499-527): the rule loads, printing
// a meaningless 0 or 1 and the text. Only a name with no dot after it ('%evt.type.is y', '%evt.type.isx') throws.
// Falco 0.44 (libs 0.25.2) reads the field name first and falls back to %evt.type where the check reads nothing. In a
// condition an event name no event has leaves the name longer than what the check read: a nonexistent field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';
import { hoverMarkdownAt, unescapedMarkdown as unescaped } from './rules-nav-helpers';
import { FALCO_RELEASES, LATEST_FALCO } from '../../server/src/knowledge';

/** The releases whose output formatter hands the rest of the output to the event check. */
const OLDER = FALCO_RELEASES.map((r) => r.falco).filter((r) => r !== LATEST_FALCO);
const FILE = '/ws/rules.yaml';
const SKIP = '  skip-if-unknown-filter: true\n';
const rule = (output: string, extra = '', condition = 'evt.type = open') =>
  `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const findings = (source: string, target: string) => findingsAt(FILE, source, target);
const head = (target: string, token: string, printed: string, rest: string) =>
  `In an output Falco ${target} prints a 0 or 1 that means nothing for %evt.type.is.${token}, and then the text '${printed}': the event check takes all the rest of the output after 'evt.type.is.' ('${rest}') for an event's number or name`;

test('%evt.type.is.5: read at the end of the output by Falco 0.37-0.43, a meaningless number before more text; it loads either way', () => {
  const latest = "2 field-argument evt.type.is: Field 'evt.type.is' needs an argument, e.g. evt.type.is.open: in an output Falco prints %evt.type followed by the text '.is.5'.";
  for (const extra of ['', SKIP]) {
    for (const target of OLDER) {
      assert.deepEqual(findings(rule('"o %evt.type.is.5"', extra), target), [], target);
      assert.deepEqual(findings(rule('"o %evt.type.is.5 y"', extra), target),
        [`2 field-argument evt.type.is: ${head(target, '5', 'evt.type.is.5 y', '5 y')}, cannot read it and reads nothing, so the comparison it prints is not set up. It reads the number only at the very end of the output (Falco 0.44 reads no number, and prints %evt.type and the text instead): move the field to the end, or print %evt.type.`], target);
    }
    assert.deepEqual(findings(rule('"o %evt.type.is.5"', extra), '0.44'), [latest]);
    assert.deepEqual(findings(rule('"o %evt.type.is.5 y"', extra), '0.44'), [latest]);
  }
  // The hover says the same: no failure at the end of the output.
  assert.ok(!unescaped(hoverMarkdownAt(rule('"o %evt.type.i<|>s.5"'), '0.40')).includes('fails to load'));
  assert.ok(unescaped(hoverMarkdownAt(rule('"o %evt.type.i<|>s.5 y"'), '0.40')).includes(`**In this output:** ${head('0.40', '5', 'evt.type.is.5 y', '5 y')}`));
});

test('%evt.type.is.nosuch: no event of that name; it loads at every release, printing a meaningless number (0.37-0.43) or %evt.type (0.44)', () => {
  for (const [output, printed, rest] of [['"o %evt.type.is.nosuch"', 'evt.type.is.nosuch', 'nosuch'], ['"o %evt.type.is.nosuch y"', 'evt.type.is.nosuch y', 'nosuch y']]) {
    for (const target of OLDER) {
      assert.deepEqual(findings(rule(output), target),
        [`2 field-argument evt.type.is.nosuch: ${head(target, 'nosuch', printed, rest)}; no event is named 'nosuch', so it reads nothing and the comparison it prints is not set up. The rule loads all the same (Falco 0.44 prints %evt.type followed by the text '.is.nosuch').`], target);
    }
    assert.deepEqual(findings(rule(output), '0.44'), ["2 field-argument evt.type.is.nosuch: No event is named 'nosuch': in an output Falco prints %evt.type followed by the text '.is.nosuch'."]);
  }
  // An event's name at the end is read at every release.
  for (const target of [...OLDER, '0.44']) assert.deepEqual(findings(rule('"o %evt.type.is.execve"'), target), [], target);
});

test('evt.type.is.nosuch in a condition is a nonexistent field at every release (skip-if-unknown-filter skips the rule)', () => {
  const message = "'evt.type.is.nosuch' is not a supported filter field: no event is named 'nosuch' (the check of evt.type.is reads an event's name or number after the dot).";
  for (const target of [...OLDER, '0.44']) {
    assert.deepEqual(findings(rule('o', '', 'evt.type = open and evt.type.is.nosuch = 1'), target), [`1 unknown-field evt.type.is.nosuch: ${message} (LOAD_ERR_COMPILE_CONDITION)`], target);
    assert.match(findings(rule('o', SKIP, 'evt.type = open and evt.type.is.nosuch = 1'), target).join('\n'), /^2 unknown-field evt\.type\.is\.nosuch: .*skip/, target);
    assert.deepEqual(findings(rule('o', '', 'evt.type = open and evt.type.is.open = 1'), target), [], target);
  }
});

test('%evt.type.is.<name> at the end of the output: the name is looked up in the target\'s own event table', () => {
  // The task events came with libs 0.25.2 (Falco 0.44): Falco 0.43's event check finds no such event and reads nothing.
  assert.match(findings(rule('"o %evt.type.is.task"'), '0.43').join('\n'), /^2 field-argument evt\.type\.is\.task: .*; no event is named 'task', so it reads nothing/);
  assert.deepEqual(findings(rule('"o %evt.type.is.task"'), '0.44'), []);
  // close_range had no event of its own before 0.44 (a syscall of the generic events): no name of the table either.
  assert.match(findings(rule('"o %evt.type.is.close_range"'), '0.43').join('\n'), /no event is named 'close_range'/);
  assert.deepEqual(findings(rule('"o %evt.type.is.close_range"'), '0.44'), []);
  assert.deepEqual(findings(rule('"o %evt.type.is.open"'), '0.37'), []);
});

test('evt.type.is.<name> in a condition with a name the target\'s event table does not have: a nonexistent field there', () => {
  const cond = (c: string, extra = '') => rule('o', extra, c);
  assert.deepEqual(findings(cond('evt.type = open and evt.type.is.task = 1'), '0.43'),
    ["1 unknown-field evt.type.is.task: 'evt.type.is.task' is not a supported filter field in Falco 0.43: its event table has no event named 'task'. (LOAD_ERR_COMPILE_CONDITION)"]);
  assert.match(findings(cond('evt.type = open and evt.type.is.task = 1', SKIP), '0.43').join('\n'), /^2 unknown-field evt\.type\.is\.task: .*skip/);
  for (const target of ['0.44']) assert.deepEqual(findings(cond('evt.type = open and evt.type.is.task = 1'), target), [], target);
  assert.deepEqual(findings(cond('evt.type = open and evt.type.is.open = 1'), '0.37'), []);
});
