// The hover of %evt.type.is followed by a dot in an output at Falco 0.37-0.43: those formatters hand the event check
// the rest of the output (libs 0.14.2 eventformatter.cpp:151-167, 0.23.1:138-151), and extract_type reads a number or
// an event's name that is all the rest after 'evt.type.is.', else 0 characters without an error
// (sinsp_filtercheck_event.cpp 0.14.2:225-256, 0.23.1:499-527): `%evt.type.is.5` at the end is read, `%evt.type.is.5 y`
// loads with the note the diagnostics give. Neither misses its argument, which the hover said (Falco 0.44's reading,
// whose formatter reads no number there). `%evt.type.is y`, with no dot, throws 'filter syntax error' at every one of
// those releases: the argument is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const FILE = '/ws/rules.yaml';
const rule = (output: string) => `- rule: a\n  desc: d\n  condition: evt.type = open\n  output: "${output}"\n  priority: INFO\n`;
const NEEDS = '**Needs an argument here**';

function hoverAt(output: string, target: string): string {
  const text = rule(output);
  const host = new MemoryHost({ [FILE]: text }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion: target };
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, text);
  svc.didOpenOrChange?.(doc);
  const line = text.split('\n')[3];
  const hover = svc.hover!(doc, { line: 3, character: line.indexOf('%') + 6 });
  const contents = hover?.contents;
  assert.ok(contents && typeof contents === 'object' && 'value' in contents, `${target} ${output}: a hover`);
  return contents.value;
}

test('at 0.37-0.43 %evt.type.is.5 is read after the dot: no missing argument, at the end or before more text', () => {
  for (const target of ['0.37', '0.41', '0.43']) {
    assert.ok(!hoverAt('%evt.type.is.5', target).includes(NEEDS), target);
    const mid = hoverAt('%evt.type.is.5 y', target);
    assert.ok(!mid.includes(NEEDS), target);
    assert.match(mid, /\*\*In this output:\*\* In an output Falco 0\\\.\d+ prints a 0 or 1/, target);
  }
});

test('at 0.44, and without a dot at any release, the argument is missing', () => {
  assert.ok(hoverAt('%evt.type.is.5', '0.44').includes(NEEDS));
  for (const target of ['0.37', '0.43', '0.44']) assert.ok(hoverAt('%evt.type.is y', target).includes(NEEDS), target);
});
