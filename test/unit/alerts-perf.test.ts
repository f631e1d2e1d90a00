// The large-log path without timings (those are measured by `npm run bench` through the protocol, not by unit tests):
// a 40,000-alert log of about 45 MB is indexed whole, hovers answer anywhere in it, and an edit re-parses only the
// changed line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createAlertsService } from '../../server/src/service/alerts';
import { AlertDocumentIndex } from '../../server/src/service/alerts/documentIndex';
import { TestHost, fakeRules, fixture } from '../fixtures/alerts/helpers';

const ALERTS = 40_000;

/** A realistic log: the fixture alerts with varying times, processes and command lines, ~1.1 KB per line. */
function buildLog(): string {
  const templates = fixture('falco-0.44.json').trim().split('\n');
  const lines: string[] = [];
  for (let i = 0; i < ALERTS; i++) {
    const base = templates[i % templates.length];
    const ns = String(1718030713552380417n + BigInt(i) * 1_000_003n);
    const sec = String(i % 60).padStart(2, '0');
    let line = base.replace(/17180307\d{11}/, ns).replace(/T14:(\d\d):\d\d\./, `T14:$1:${sec}.`).replace(/eg_dropped --version|ln -s \/etc \/tmp\/eg_link/g, (m) => `${m} --run ${i}`);
    if (line.length > 1200) line = line.replace(/,"message":"(?:[^"\\]|\\.)*"/, '');
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

test('a 40,000-alert log (~45 MB) is indexed whole; hovers answer anywhere; an edit re-parses only the changed line', { timeout: 120_000 }, () => {
  const text = buildLog();
  assert.ok(text.length > 40e6 && text.length < 50e6, `log size ${text.length}`);
  const index = new AlertDocumentIndex();
  index.update(text, 1);
  assert.equal(index.alerts.length, ALERTS);

  const s = createAlertsService(new TestHost(), fakeRules([]));
  const doc = TextDocument.create('file:///logs/falco_events.json', 'falco-alerts', 1, text);
  s.didOpenOrChange!(doc);
  const lines = text.split('\n');
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  for (let k = 0; k < 200; k++) {
    const line = Math.floor(random() * ALERTS);
    // On the rule name every alert line has a hover.
    const character = lines[line].indexOf('"rule":"') + 9;
    assert.ok(s.hover!(doc, { line, character }), `hover on line ${line}`);
  }
  // The time hover looks back for the previous alert of the same rule: the end of the log is its worst place.
  const last = ALERTS - 1;
  const timeHover = s.hover!(doc, { line: last, character: lines[last].indexOf('"time"') + 1 });
  assert.match(JSON.stringify(timeHover?.contents), /UTC/);

  lines[20_000] = lines[20_000].replace('"priority":"Warning"', '"priority":"Error"').replace('"priority":"Critical"', '"priority":"Error"');
  const edited = TextDocument.create(doc.uri, 'falco-alerts', 2, lines.join('\n'));
  const stats = s.index(edited).lastStats;
  assert.equal(stats.parsedLines, 1);
  assert.equal(s.index(edited).alerts[20_000].head.priority, 3);
});
