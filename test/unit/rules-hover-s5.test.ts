// Session 5 hover follow-ups: a field Falco 0.44 no longer has (knowledge/fields/removed.ts) is described at the
// default target as the unknown-field error describes it, and at an older target that has it as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { openAt, workspace } from './rules-nav-helpers';

function hoverAt(marked: string, falcoVersion?: string): { value: string; range: string } {
  const { service, host } = workspace({});
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const { doc, position, text } = openAt(service, '/ws/rules.yaml', marked);
  const h = service.hover!(doc, position);
  assert.ok(h, 'expected a hover');
  const range = h.range ? text.slice(doc.offsetAt(h.range.start), doc.offsetAt(h.range.end)) : '';
  return { value: (h.contents as MarkupContent).value, range };
}

test('a removed field at the default target: type, what it read, the release that removed it, the unknown-field error', () => {
  const { value, range } = hoverAt('- macro: m\n  condition: syslog.mes<|>sage contains x\n');
  assert.equal(range, 'syslog.message');
  assert.equal(value, [
    '**Field** `syslog.message` — removed',
    '**Not in Falco 0.44** (the target release): Falco 0.41 removed it (libs 0.21.0 dropped syslog decoding with its syslog.* fields); no field replaces it. Falco reports it as an unknown field.',
    'It read the messages processes sent to syslog: facility, severity and message text.',
    '- Type: `CHARBUF`',
  ].join('\n\n'));
});

test('a removed field with an argument, in a condition and in an output, at the default target and at 0.41', () => {
  const tag = hoverAt('- macro: m\n  condition: span.t<|>ag[1] = y\n').value;
  assert.match(tag, /^\*\*Field\*\* `span\.tag` — removed\n\n\*\*Not in Falco 0\.44\*\* \(the target release\): Falco 0\.42 removed it \(libs 0\.22\.1 dropped the tracer span fields/);
  assert.match(tag, /It read tracer spans: `span\.\*` the span of a tracer event, `evtin\.span\.\*` the spans an event happened inside\./);
  assert.match(tag, /- Type: `CHARBUF`\n- Argument: required, a number in brackets \(`span\.tag\[0\]`\)$/);
  const label = hoverAt('- macro: m\n  condition: mesos.task.lab<|>el.team = y\n').value;
  assert.match(label, /^\*\*Field\*\* `mesos\.task\.label` — removed/);
  assert.match(label, /Falco 0\.42 removed it \(libs 0\.22\.1 dropped the deprecated Mesos and Marathon fields; Falco 0\.35 had already removed Mesos metadata enrichment\)/);
  assert.match(label, /It read the Mesos task and framework and the Marathon app and group of the event\./);
  assert.match(label, /Argument: required, after a dot \(`mesos\.task\.label\.name`\)/);
  // 0.42 is the first target without the Mesos fields; 0.41 still has them.
  assert.match(hoverAt('- macro: m\n  condition: mesos.task.lab<|>el.team = y\n', '0.42').value, /Not in Falco 0\.42\*\*/);
  const old = hoverAt('- macro: m\n  condition: mesos.task.lab<|>el.team = y\n', '0.41').value;
  assert.doesNotMatch(old, /Not in Falco|— removed/);
  assert.match(old, /^\*\*Field\*\* `mesos\.task\.label`\n\nA libsinsp field that Falco 0\.41 has; Falco 0\.42 removed it\.\n\nIt read the Mesos task/);
  const output = hoverAt('- rule: r\n  desc: d\n  condition: evt.type = open\n  output: "m=%syslog.fac<|>ility.str"\n  priority: INFO\n');
  assert.equal(output.range, '%syslog.facility.str');
  assert.match(output.value, /^\*\*Field\*\* `syslog\.facility\.str` — removed\n\n\*\*Not in Falco 0\.44\*\*/);
});

test('a name that is neither in the catalog nor removed keeps the unknown-field hover', () => {
  const { value } = hoverAt('- macro: m\n  condition: syslog.messages<|>x = y\n');
  assert.match(value, /^`syslog\.messagesx` — not a field known to Falco Lens\./);
  assert.match(hoverAt('- macro: m\n  condition: span.nope<|>x = y\n').value, /not a field known to Falco Lens/);
});
