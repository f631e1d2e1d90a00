// Hardening: the alert-log service on damaged and hostile logs. Seeded mutations of the fixtures and corpus alerts
// (truncation at every byte of a line, CRLF/CR mixes, huge values, 100,000-deep JSON, 19-digit numbers, lone
// surrogates): diagnostics, hovers, definitions, code actions and reports never throw, ranges stay inside the
// document, and every hover is inert Markdown (no link, raw HTML or theme icon built from alert data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { RuleSummary } from '../../server/src/service/features';
import { createAlertsService, type AlertsService } from '../../server/src/service/alerts';
import { TestHost, alertDoc, fakeRules, FIXTURES, ruleSummaries, STABLE_RULES } from '../fixtures/alerts/helpers';
import { HOSTILE_VALUES, NASTY_PIECES, Random, corpusExists, corpusFiles, lspLines, randomPosition, rangeInside } from '../fixtures/hardening/random';
import { activeMarkdown } from '../fixtures/hardening/markdown';

const fixtureTexts = (): string[] => fs.readdirSync(FIXTURES).filter((n) => /\.(log|json)$/.test(n)).sort().map((n) => fs.readFileSync(path.join(FIXTURES, n), 'utf8'));
const corpusAlertTexts = (): string[] => corpusFiles('alerts', /\.(jsonl?|txt|log)$/).map((f) => fs.readFileSync(f, 'utf8'));

/** A hostile rule the workspace "defines": its name, description, output and tags are all attacker-shaped. */
const HOSTILE_RULE: RuleSummary = {
  name: 'Evil [x](command:falcoLens.evil) <img src=x onerror=alert(1)>', source: 'syscall',
  desc: 'Desc [y](command:falcoLens.evil) <script>alert(1)</script> ```` $(id)', output: 'Evil output | cmd=%proc.cmdline file=%fd.name',
  priority: 'WARNING', tags: ['T1059', '<img src=x>', '[t](command:x)'], enabled: true,
  location: { uri: 'file:///ws/a)%5Bz%5D(command:falcoLens.evil)_rules.yaml', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } } },
};

const stats = { hovers: 0, actions: 0, reports: 0 };

/** Every entry point of the alerts service on one document; `exhaustive` hovers at every character of every line. */
function exercise(service: AlertsService, doc: TextDocument, random: Random, what: string, exhaustive = false): void {
  const text = doc.getText();
  const lines = lspLines(text);
  service.didOpenOrChange!(doc);
  const diagnostics = service.diagnostics(doc);
  for (const d of diagnostics) {
    assert.ok(rangeInside(d.range, lines), `${what}: diagnostic ${d.code} ${JSON.stringify(d.range)} outside the document`);
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    assert.ok(message.length > 0 && !/[\r\n]/.test(message), `${what}: diagnostic message ${JSON.stringify(message)}`);
  }
  const positions = exhaustive
    ? lines.flatMap((l, line) => Array.from({ length: Math.min(l.length, 4000) + 1 }, (_, character) => ({ line, character })))
    : Array.from({ length: 25 }, () => randomPosition(random, lines));
  for (const p of positions) {
    const hover = service.hover!(doc, p);
    if (!hover) continue;
    stats.hovers++;
    if (hover.range) assert.ok(rangeInside(hover.range, lines), `${what}: hover range ${JSON.stringify(hover.range)} outside`);
    const value = (hover.contents as { value: string }).value;
    assert.deepEqual(activeMarkdown(value), [], `${what}: hover at ${p.line}:${p.character} renders alert data as Markdown`);
    service.definition!(doc, p);
  }
  for (let i = 0; i < 3; i++) {
    const a = randomPosition(random, lines);
    const b = randomPosition(random, lines);
    const range = a.line <= b.line ? { start: a, end: b } : { start: b, end: a };
    for (const action of service.codeActions!(doc, range, { diagnostics: diagnostics.slice(0, 3) })) {
      stats.actions++;
      assert.ok(action.title.length > 0 && !/[\r\n\u0000-\u001f]/.test(action.title), `${what}: action title ${JSON.stringify(action.title)}`);
      const markdown = action.command?.arguments?.[0];
      if (action.command?.command === 'falcoLens.showMarkdown' && typeof markdown === 'string') {
        assert.deepEqual(activeMarkdown(markdown), [], `${what}: ${action.title} renders alert data as Markdown`);
      }
    }
  }
  const report = service.report(text, doc.uri, random.chance(0.5) ? { start: random.int(lines.length), end: random.int(lines.length + 3) } : undefined);
  stats.reports++;
  assert.deepEqual(activeMarkdown(report), [], `${what}: the incident report renders alert data as Markdown`);
}

function mutateLog(random: Random, text: string): string {
  const lines = text.split('\n');
  for (let k = 1 + random.int(4); k > 0; k--) {
    const i = random.int(lines.length);
    const line = lines[i] ?? '';
    const at = random.int(line.length + 1);
    switch (random.int(9)) {
      case 0: lines[i] = line.slice(0, at); break; // truncated line
      case 1: lines[i] = line.slice(0, at) + random.pick(NASTY_PIECES) + line.slice(at); break;
      case 2: lines[i] = line.slice(0, at) + 'A'.repeat(100_000 + random.int(100_000)) + line.slice(at); break; // huge value
      case 3: lines[i] = line.replace(/:\s*(\d+|"[^"]*")/, `: ${random.pick(['9999999999999999999', '-9223372036854775809', '1e999', '0.000000000000000000001', 'NaN', 'null', 'true', '[]', '{}'])}`); break;
      case 4: lines[i] = line.replace(/"output_fields":\{/, `"output_fields":{"deep":${'['.repeat(100_000)}${']'.repeat(random.chance(0.5) ? 100_000 : 3)},`); break;
      case 5: lines.splice(i, 0, line); break; // duplicated alert
      case 6: lines[i] = line.replace(/"([a-z_.]+)":/, `"${random.pick(HOSTILE_VALUES).replace(/["\\\n]/g, '')}":`); break; // hostile key
      case 7: lines[i] = line.replace(/"((?:[^"\\]|\\.)*)"/g, (m, _v, offset) => (offset > 0 && random.chance(0.3) ? JSON.stringify(random.pick(HOSTILE_VALUES)) : m)); break;
      default: lines[i] = `${line}\r`; break; // CR before LF
    }
  }
  // Line ends: LF, CRLF, or a mix with lone CRs.
  const ends = random.int(3);
  return lines.map((l, i) => (i === lines.length - 1 ? l : l + (ends === 0 ? '\n' : ends === 1 ? '\r\n' : random.pick(['\n', '\r\n', '\r'])))).join('');
}

test('mutated fixture and corpus logs: no entry point throws, ranges stay inside, hovers are inert (seed 31337)', () => {
  const sources = [...fixtureTexts(), ...(corpusExists ? corpusAlertTexts() : [])];
  assert.ok(sources.length >= 10);
  const rules = [...(corpusExists ? ruleSummaries(STABLE_RULES) : []), HOSTILE_RULE];
  const service = createAlertsService(new TestHost(), fakeRules(rules));
  const random = new Random(31337);
  for (let i = 0; i < 90; i++) {
    const doc = alertDoc(`m${i % 7}.log`, mutateLog(random, random.pick(sources)), i + 1);
    exercise(service, doc, random, `iteration ${i}`);
  }
  assert.ok(stats.hovers > 100 && stats.actions > 0 && stats.reports > 0, JSON.stringify(stats));
});

test('a line truncated at every byte: no throw, ranges inside (each fixture, first alert line)', () => {
  const service = createAlertsService(new TestHost(), fakeRules([HOSTILE_RULE]));
  const random = new Random(2);
  let version = 1;
  for (const text of fixtureTexts()) {
    const line = text.split(/\r?\n/).find((l) => l.length > 20) ?? '';
    for (let cut = 0; cut <= Math.min(line.length, 700); cut++) {
      const doc = alertDoc('cut.log', `${line.slice(0, cut)}\n${line}\n`, version++);
      const lines = lspLines(doc.getText());
      for (const d of service.diagnostics(doc)) assert.ok(rangeInside(d.range, lines), `cut ${cut}: ${JSON.stringify(d.range)}`);
      const h = service.hover!(doc, randomPosition(random, lines));
      if (h) assert.deepEqual(activeMarkdown((h.contents as { value: string }).value), []);
    }
  }
});

test('pathological logs: 100,000-deep JSON, 1 MB lines, 19-digit numbers, lone surrogates, CR-only, NUL, 20,000 lines', () => {
  const service = createAlertsService(new TestHost(), fakeRules([HOSTILE_RULE]));
  const random = new Random(3);
  const alert = (fields: string, extra = '') => `{"hostname":"h","output":"12:00:00.000000000: Warning x","priority":"Warning","rule":"r","source":"syscall","tags":[],"time":"2026-01-02T12:00:00.000000000Z"${extra},"output_fields":{${fields}}}`;
  const cases: Record<string, string> = {
    'deep array': `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    'deep object': `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}\n`,
    'deep in output_fields': `${alert(`"x":${'['.repeat(100_000)}${']'.repeat(100_000)}`)}\n`,
    'deep unclosed': `{"rule":"r","priority":"Warning","output":${'['.repeat(100_000)}\n`,
    '1 MB value': `${alert(`"proc.cmdline":"${'a'.repeat(1_000_000)}"`)}\n`,
    '1 MB text line': `12:00:00.000000000: Warning ${'x=y '.repeat(250_000)}\n`,
    '19-digit numbers': `${alert('"evt.time":9999999999999999999,"user.uid":-9223372036854775809,"proc.pid":1e999,"fd.num":0.1e-400')}\n`,
    'lone surrogates': `${alert('"proc.name":"\uD800","fd.name":"\\uDFFF","k\uDBFF":"v"')}\n12:00:00.000000000: Warning \uD800 x=\uDFFF\n`,
    'NUL': `${alert('"proc.name":"a\u0000b"')}\u0000\n\u0000\n`,
    'CR only': `${alert('"proc.name":"a"')}\r${alert('"proc.name":"b"')}\r\r`,
    'mixed endings': `${alert('"a":1')}\r\n${alert('"a":2')}\r${alert('"a":3')}\n`,
    'hostile everything': `${alert(HOSTILE_VALUES.map((v, i) => `${JSON.stringify(`k${i}${v}`)}:${JSON.stringify(v)}`).join(','), `,"uuid":${JSON.stringify(HOSTILE_VALUES[0])}`).replace('"rule":"r"', `"rule":${JSON.stringify(HOSTILE_RULE.name)}`).replace('"hostname":"h"', `"hostname":${JSON.stringify(HOSTILE_VALUES[1])}`).replace('"tags":[]', `"tags":${JSON.stringify(HOSTILE_VALUES)}`)}\n`,
    '20,000 lines': `${Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? alert(`"proc.pid":${i}`) : i % 3 === 1 ? `12:00:00.000000000: Warning line ${i} | proc=x` : 'junk')).join('\n')}\n`,
    'empty': '',
    'only newlines': '\n\n\r\n\r',
  };
  for (const [name, text] of Object.entries(cases)) exercise(service, alertDoc(`${name.replace(/\W+/g, '-')}.log`, text), random, name, text.length < 20_000);
  const deep = service.diagnostics(alertDoc('deep.log', cases['deep unclosed']!));
  assert.ok(deep.length > 0, 'an unclosed deep JSON line is reported');
});

// Guards the code before 24 Nov 2026 (session 20, helper A): reading a rule's output template took the key before each
// field's `=` with /([A-Za-z_][\w.\[\]]*)=$/, which retried the key's characters from every start of a long word: a
// rule whose output holds a 1 MB word made the first look at its alerts take about 13 minutes (1.3 s at 40,000).
test('a rule whose output holds a 1 MB word: its alerts are read in linear time', () => {
  const word = 'a'.repeat(1_000_000);
  const rule: RuleSummary = { ...HOSTILE_RULE, name: 'Long', output: `${word} %proc.name ${word}= %fd.name` };
  const service = createAlertsService(new TestHost(), fakeRules([rule]));
  const text = `{"hostname":"h","output":"12:00:00.000000000: Warning ${word} x ${word}= y","priority":"Warning","rule":"Long","source":"syscall","tags":[],"time":"2026-01-02T12:00:00.000000000Z","output_fields":{"proc.name":"x","fd.name":"y"}}\n`;
  const doc = alertDoc('long-rule.json', text);
  service.diagnostics(doc);
  assert.ok(service.hover!(doc, { line: 0, character: 30 }));
  assert.ok(service.report(doc, doc.uri).includes('Long'));
});
