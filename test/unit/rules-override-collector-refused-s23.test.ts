// A rule override whose condition starts with and/or and that Falco's reader takes but its collector refuses is never
// compiled: selective_replace throws ERROR_NO_PREVIOUS_RULE_REPLACE where no earlier rule exists
// (rule_loader_collector.cpp 0.37.0:322-326, 0.44.0:297-300), and collector.append throws on appended exceptions it
// refuses before the replace is reached (0.44.0:267-292); Falco stops loading there. Its one error is the collector's,
// not also a syntax error at the leading `and` (the reader's own refusals: rules-refused-override-s18,
// rules-fragment-target-s21). Where the collector takes the override, Falco compiles the replaced text whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const FILE = '/ws/rules.yaml';
const EARLIER = '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: proc.name\n      values: [a]\n';
const NO_EARLIER = '- rule: q\n  condition: and proc.name = x\n  override:\n    condition: replace\n';
const EXCEPTION_REFUSED = `${EARLIER}- rule: r\n  condition: and proc.name = x\n  exceptions:\n    - name: e\n      fields: proc.name\n      values: [b]\n  override:\n    exceptions: append\n    condition: replace\n`;
const TAKEN = `${EARLIER}- rule: r\n  condition: and proc.name = x\n  exceptions:\n    - name: e\n      values: [b]\n  override:\n    exceptions: append\n    condition: replace\n`;
const TARGETS = ['0.37', '0.41', '0.44'];

function serviceAt(text: string, target: string) {
  const host = new MemoryHost({ [FILE]: text }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion: target };
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, text);
  svc.didOpenOrChange?.(doc);
  return { svc, doc };
}

const codes = (text: string, target: string) => { const { svc, doc } = serviceAt(text, target); return svc.diagnostics(doc).map((d) => String(d.code)); };

test('a replaced condition starting with and, with no earlier rule: the collector\'s error only', () => {
  for (const target of TARGETS) assert.deepEqual(codes(NO_EARLIER, target), ['no-previous-definition'], target);
});

test('a replaced condition starting with and beside appended exceptions the collector refuses: that error only', () => {
  for (const target of TARGETS) assert.deepEqual(codes(EXCEPTION_REFUSED, target), ['exception-invalid'], target);
});

test('the collector takes the override: Falco compiles the replaced text whole, a syntax error at the and', () => {
  for (const target of TARGETS) assert.ok(codes(TAKEN, target).includes('condition-syntax'), target);
});

test('completion at the start of such a condition offers the continuation keywords', () => {
  const { svc, doc } = serviceAt(NO_EARLIER, '0.44');
  const labels = (svc.completion!(doc, { line: 1, character: '  condition: '.length })?.items ?? []).map((i) => i.label);
  assert.ok(labels.includes('and not'), labels.slice(0, 8).join(', '));
});

test('an edit that adds or removes the earlier rule gives what a fresh service gives', () => {
  const { svc } = serviceAt(NO_EARLIER, '0.44');
  const texts = [`${EARLIER}${NO_EARLIER.replace('rule: q', 'rule: r')}`, NO_EARLIER.replace('rule: q', 'rule: r'), `${EARLIER}${NO_EARLIER.replace('rule: q', 'rule: r')}`];
  texts.forEach((text, i) => {
    const doc = rulesDoc(FILE, text, i + 2);
    svc.didOpenOrChange?.(doc);
    const fresh = serviceAt(text, '0.44');
    assert.deepEqual(svc.diagnostics(doc).map((d) => `${d.code}@${d.range.start.line}`), fresh.svc.diagnostics(fresh.doc).map((d) => `${d.code}@${d.range.start.line}`), `edit ${i}`);
  });
});
