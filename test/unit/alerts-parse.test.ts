import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertDocumentIndex } from '../../server/src/service/alerts/documentIndex';
import { scanJson } from '../../server/src/service/alerts/json';
import { TestHost, alertDoc, fakeRules, fixture, CORPUS, corpusExists } from '../fixtures/alerts/helpers';

const service = () => createAlertsService(Object.assign(new TestHost(), {}), fakeRules([]));
const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === DiagnosticSeverity.Error && x.code !== 'falco-alert');
const index = (text: string) => { const i = new AlertDocumentIndex(); i.update(text, 1); return i; };

test('every well-formed fixture parses with no error diagnostic', () => {
  const s = service();
  for (const name of ['falco-0.37.json', 'falco-0.44.json', 'falcosidekick.json', 'falcosidekick-ui.json', 'falco-internal.log', 'falco-rules3.log',
    'falco-rules4.log', 'falco-iso8601.log', 'falco-syslog.log', 'falco-cri.log', 'falco-lifecycle.log', 'falco-crlf.log', 'falco-hostile.log']) {
    const doc = alertDoc(name, fixture(name));
    assert.deepEqual(errors(s.diagnostics(doc)).map((d) => d.message), [], name);
    assert.ok(s.index(doc).alerts.length > 0, `${name} has alerts`);
  }
});

test('every corpus alert sample parses with no error diagnostic', { skip: !corpusExists && 'corpus absent' }, () => {
  const s = service();
  const dir = path.join(CORPUS, 'alerts');
  let files = 0;
  for (const sub of fs.readdirSync(dir)) {
    for (const name of fs.readdirSync(path.join(dir, sub))) {
      const doc = alertDoc(name, fs.readFileSync(path.join(dir, sub, name), 'utf8'));
      assert.deepEqual(errors(s.diagnostics(doc)).map((d) => `${d.range.start.line}: ${d.message}`), [], name);
      assert.ok(s.index(doc).alerts.length > 0, `${name} has alerts`);
      files++;
    }
  }
  assert.ok(files >= 10);
});

test('corpus console captures: the end-of-run summary is recognised, and a summary glued to an alert is cut off', { skip: !corpusExists && 'corpus absent' }, () => {
  const eks = index(fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'k8saudit-eks_README_console.txt'), 'utf8'));
  assert.equal(eks.alerts.length, 1);
  const a = eks.alerts[0];
  assert.ok(a.text.slice(a.head.outputStart, a.head.outputEnd).endsWith('resource=configmaps'));
  assert.deepEqual(eks.roles.slice(1, 8).map((r) => r.kind), ['lifecycle', 'lifecycle', 'lifecycle', 'lifecycle', 'lifecycle', 'lifecycle', 'lifecycle']);
  const syslog = index(fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'gcpaudit_walkthrough_syslog.txt'), 'utf8'));
  assert.equal(syslog.alerts.length, 2);
  assert.equal(syslog.roles[2].kind, 'continuation', 'the wrapped third line continues the second alert');
});

test('JSON of Falco 0.37 (output_fields last) and 0.44 (alphabetical) give rule, priority, time, host and source', () => {
  const old = index(fixture('falco-0.37.json')).alerts[0].head;
  assert.deepEqual([old.rule, old.priority, old.time, old.hostname, old.source, old.flavor], ['Create Symlink Over Sensitive Files', 4, '2024-01-30T13:13:41.093445112Z', 'build-01', 'syscall', 'falco']);
  const cur = index(fixture('falco-0.44.json')).alerts;
  assert.deepEqual(cur.map((a) => [a.head.rule, a.head.priority]), [['Drop and execute new binary in container', 2], ['Create Symlink Over Sensitive Files', 4], ['Create Symlink Over Sensitive Files', 4]]);
});

test('the 19-digit evt.time keeps its exact digits (JSON.parse would round it)', () => {
  const text = fixture('falco-0.44.json').split('\n')[0];
  assert.notEqual(String(JSON.parse(text).output_fields['evt.time']), '1718030713552380417', 'JSON.parse rounds');
  const s = service();
  const doc = alertDoc('t.json', text);
  const record = s.index(doc).alerts[0];
  assert.equal(s.view(doc, record).epochNanos, '1718030713552380417');
  const col = text.indexOf('1718030713552380417') + 3;
  const hover = s.hover!(doc, { line: 0, character: col });
  assert.ok(JSON.stringify(hover).includes('1718030713552380417'));
  assert.ok(JSON.stringify(hover).includes('2024-06-10 14:45:13.552380417 UTC'));
});

test('falcosidekick, falcosidekick-ui and internal events are recognised', () => {
  assert.equal(index(fixture('falcosidekick.json')).alerts[0].head.flavor, 'sidekick');
  const ui = index(fixture('falcosidekick-ui.json')).alerts[0].head;
  assert.deepEqual([ui.flavor, ui.rule, ui.priority], ['sidekick-ui', 'Read sensitive file untrusted', 4]);
  const internal = index(fixture('falco-internal.log')).alerts;
  assert.equal(internal.length, 2);
  assert.equal(internal[0].head.source, 'internal');
  assert.equal(internal[1].head.format, 'text');
  assert.equal(internal[1].head.priority, 7);
});

test('text alerts: HH:MM:SS and ISO-8601 prefixes, syslog and container-runtime wrappers, P chunks joined', () => {
  const iso = index(fixture('falco-iso8601.log')).alerts[0].head;
  assert.equal(iso.time, '2024-06-10T14:47:07.118224033+0000');
  const sys = index(fixture('falco-syslog.log'));
  assert.deepEqual(sys.alerts.map((a) => [a.head.format, a.head.priority, sys.parsed[a.line].wrapper]), [['text', 4, 'syslog'], ['text', 5, 'syslog']]);
  const cri = index(fixture('falco-cri.log'));
  assert.equal(cri.roles[0].kind, 'lifecycle');
  assert.equal(cri.alerts.length, 2);
  assert.deepEqual([cri.alerts[0].line, cri.alerts[0].endLine, cri.alerts[0].head.format, cri.alerts[0].head.rule], [1, 3, 'json', 'Create Symlink Over Sensitive Files']);
  assert.equal(cri.alerts[1].head.format, 'text');
});

test('a hover on a joined container-runtime alert lands on the right line and column', () => {
  const s = service();
  const text = fixture('falco-cri.log');
  const doc = alertDoc('cri.log', text);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('"priority":"Warning"'));
  assert.ok(line >= 1 && line <= 3);
  const hover = s.hover!(doc, { line, character: lines[line].indexOf('"priority"') + 2 });
  assert.ok(hover && JSON.stringify(hover.contents).includes('Priority Warning'));
  assert.equal(hover!.range!.start.line, line);
});

test('Falco lifecycle lines and the summary are not alerts and not errors', () => {
  const i = index(fixture('falco-lifecycle.log'));
  assert.equal(i.alerts.length, 1);
  assert.deepEqual(i.roles.filter((r) => r.kind === 'lifecycle').length, 15);
});

test('CRLF files parse like LF files', () => {
  const i = index(fixture('falco-crlf.log'));
  assert.equal(i.alerts.length, 2);
  assert.ok(!i.lineText(0).endsWith('\r'));
  assert.equal(i.roles[2].kind, 'lifecycle');
});

test('truncated lines: the error sits at the cut', () => {
  const s = service();
  const text = fixture('falco-truncated.log');
  const d = s.diagnostics(alertDoc('t.log', text)).filter((x) => x.code !== 'falco-alert');
  const lines = text.split('\n');
  const truncated = d.filter((x) => x.code === 'json-truncated');
  assert.deepEqual(truncated.map((x) => x.range.start.line), [1, 2]);
  for (const t of truncated) assert.equal(t.range.end.character, lines[t.range.start.line].length);
  const cut = d.find((x) => x.code === 'text-truncated');
  assert.equal(cut?.range.start.line, 3);
  assert.equal(cut?.severity, DiagnosticSeverity.Warning);
});

test('mixed file: unknown priority, missing keys and malformed JSON at the exact spot', () => {
  const s = service();
  const text = fixture('falco-mixed.log');
  const lines = text.split('\n');
  const d = s.diagnostics(alertDoc('m.log', text)).filter((x) => x.code !== 'falco-alert');
  const byLine = (n: number) => d.filter((x) => x.range.start.line === n);
  const severe = byLine(4).find((x) => x.code === 'unknown-priority')!;
  assert.equal(severe.range.start.character, lines[4].indexOf('Severe'));
  assert.equal(severe.range.end.character, lines[4].indexOf('Severe') + 'Severe'.length);
  assert.deepEqual(byLine(5).map((x) => x.code), ['missing-key']);
  assert.match(String(byLine(5)[0].message), /"rule"/);
  const loud = byLine(6).find((x) => x.code === 'unknown-priority')!;
  assert.equal(lines[6].slice(loud.range.start.character, loud.range.end.character), '"Loud"');
  const bad = byLine(7).find((x) => x.code === 'json-syntax')!;
  assert.equal(bad.range.start.character, 1);
  assert.equal(s.index(alertDoc('m.log', text)).alerts.length, 7, 'alerts with problems are still alerts');
  for (const n of [0, 1, 2, 8]) assert.deepEqual(byLine(n), [], `line ${n} is clean`);
});

test('the JSON scanner keeps raw spans and reports the exact error offset', () => {
  const text = '{"a": 12345678901234567890, "b": [true, null], "c": "x\\"y"}';
  const scan = scanJson(text);
  assert.equal(scan.error, undefined);
  const root = scan.root as Extract<typeof scan.root, { kind: 'object' }>;
  assert.equal(text.slice(root.members[0].value.start, root.members[0].value.end), '12345678901234567890');
  assert.equal(scanJson('{"a": tru').error?.truncated, true);
  const e = scanJson('{"a": 1 "b": 2}').error!;
  assert.equal(e.start, 8);
  assert.equal(e.truncated, false);
});

test('alerts appear in the Problems view from the configured priority, capped with one note', () => {
  const host = new TestHost();
  const s = createAlertsService(host, fakeRules([]));
  const line = fixture('falco-0.44.json').split('\n')[0];
  const doc = alertDoc('many.json', Array.from({ length: 12 }, () => line).join('\n'));
  assert.equal(s.diagnostics(doc).filter((x) => x.code === 'falco-alert').length, 12, 'Critical is shown by default');
  host.config = { ...host.config, alerts: { problems: 'critical', maxProblems: 5 } };
  const capped = s.diagnostics(doc);
  assert.equal(capped.filter((x) => x.code === 'falco-alert').length, 5);
  assert.equal(capped.filter((x) => x.code === 'problems-cap').length, 1);
  const first = capped.find((x) => x.code === 'falco-alert')!;
  assert.equal(first.severity, DiagnosticSeverity.Error);
  assert.equal(line.slice(first.range.start.character, first.range.end.character), '"Drop and execute new binary in container"');
  host.config = { ...host.config, alerts: { problems: 'emergency', maxProblems: 500 } };
  assert.equal(s.diagnostics(doc).filter((x) => x.code === 'falco-alert').length, 0);
  host.config = { ...host.config, alerts: { problems: 'off', maxProblems: 500 } };
  assert.equal(s.diagnostics(alertDoc('w.log', fixture('falco-rules4.log'))).filter((x) => x.code === 'falco-alert').length, 0);
});
