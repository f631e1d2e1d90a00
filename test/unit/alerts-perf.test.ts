// Benchmark-style checks of the performance targets: a 40,000-alert log of about 45 MB indexes within 1.5×
// a bare read + JSON.parse of every line, hover p95 ≤ 5 ms anywhere in it, and an edit re-parses only changed lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

test('a 40,000-alert log (~45 MB) indexes within 1.5x of read + JSON.parse per line; hovers p95 <= 5 ms; edits re-parse only changed lines', { timeout: 120_000 }, () => {
  const text = buildLog();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-')), 'falco_events.json');
  fs.writeFileSync(file, text);
  const size = fs.statSync(file).size;
  try {
    assert.ok(size > 40e6 && size < 50e6, `log size ${size}`);
    const baseline = () => {
      const t0 = performance.now();
      const t = fs.readFileSync(file, 'utf8');
      let n = 0;
      for (const line of t.split('\n')) if (line) { JSON.parse(line); n++; }
      assert.equal(n, ALERTS);
      return performance.now() - t0;
    };
    const ours = () => {
      const t0 = performance.now();
      const index = new AlertDocumentIndex();
      index.update(fs.readFileSync(file, 'utf8'), 1);
      const ms = performance.now() - t0;
      assert.equal(index.alerts.length, ALERTS);
      return ms;
    };
    const runs = 5; // interleaved, best of each: other processes share the machine
    let bare = Infinity;
    let indexed = Infinity;
    for (let r = 0; r < runs; r++) { bare = Math.min(bare, baseline()); indexed = Math.min(indexed, ours()); }
    console.log(`bare read + JSON.parse: ${bare.toFixed(0)} ms; index: ${indexed.toFixed(0)} ms; ratio ${(indexed / bare).toFixed(2)}`);
    assert.ok(indexed <= 1.5 * bare, `index ${indexed.toFixed(0)} ms vs bare ${bare.toFixed(0)} ms`);

    const s = createAlertsService(new TestHost(), fakeRules([]));
    const doc = TextDocument.create('file:///logs/falco_events.json', 'falco-alerts', 1, text);
    s.didOpenOrChange!(doc);
    const lines = text.split('\n');
    const times: number[] = [];
    let seed = 7;
    const random = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    for (let k = 0; k < 400; k++) {
      const line = Math.floor(random() * ALERTS);
      const character = Math.floor(random() * lines[line].length);
      const t0 = performance.now();
      s.hover!(doc, { line, character });
      times.push(performance.now() - t0);
    }
    // The time hover scans back for the previous alert of the same rule: check the worst place, the end of the log.
    for (let k = 0; k < 50; k++) {
      const line = ALERTS - 1 - k;
      const t0 = performance.now();
      const h = s.hover!(doc, { line, character: lines[line].indexOf('"time"') + 1 });
      times.push(performance.now() - t0);
      assert.ok(h);
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)];
    console.log(`hover p95 ${p95.toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
    assert.ok(p95 <= 5, `hover p95 ${p95} ms`);

    lines[20_000] = lines[20_000].replace('"priority":"Warning"', '"priority":"Error"').replace('"priority":"Critical"', '"priority":"Error"');
    const edited = TextDocument.create(doc.uri, 'falco-alerts', 2, lines.join('\n'));
    const t0 = performance.now();
    const stats = s.index(edited).lastStats;
    console.log(`edit re-index ${(performance.now() - t0).toFixed(0)} ms, ${stats.parsedLines} line(s) parsed`);
    assert.equal(stats.parsedLines, 1);
    assert.equal(s.index(edited).alerts[20_000].head.priority, 3);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});
