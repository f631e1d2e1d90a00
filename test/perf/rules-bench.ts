// In-process timing of the rules service (a measuring tool, not a test): first diagnostics cold and warm, and the
// three edit kinds (typing inside a condition, appending a rule, typing inside a macro most rules use) on
// falco_rules.yaml alone and with the three official files loaded, plus the re-validation of the other open files
// that the server runs after every rules change. Run: node test/perf/run-bench.mjs [node flags such as --cpu-prof]
// (BENCH_ONLY=<edit name> runs that edit alone, longer, for profiles).
//
// Wall-clock times on a busy machine include waiting for a CPU; the process CPU time of each step is printed too.
// Several implementations (factories) are measured interleaved, step by step, so that they share the same noise.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ServiceHost } from '../../server/src/service/host';
import { MemoryHost } from '../unit/rules-host';
import { pathToUri } from '../../server/src/service/uri';

interface Service { didOpenOrChange?(doc: TextDocument): void; diagnostics(doc: TextDocument): Diagnostic[] }
export type Factory = (host: ServiceHost) => Service;

const RULES = path.join(process.cwd(), '..', 'shared', 'corpus', 'rules', 'falcosecurity__rules');
const NAMES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];

// Every step yields a text never seen before (typing one character at a time), so no text-keyed cache can hide what
// an edit costs.
const TYPED = ' and not proc.name in (bench_a, bench_b) and proc.pid > 0'.repeat(8);
const typed = (i: number) => TYPED.slice(0, (i % TYPED.length) + 1) + (i >= TYPED.length ? `${Math.floor(i / TYPED.length)}` : '');
const conditionEnd = (text: string, from: number) => text.indexOf('\n', text.indexOf('condition:', from));
export const EDITS: Record<string, (text: string, i: number) => string> = {
  'type in a condition': (text, i) => { const at = conditionEnd(text, Math.floor(text.length / 2)); return text.slice(0, at) + typed(i) + text.slice(at); },
  'append a rule': (text, i) => text + `\n- rule: Bench Rule ${i}\n  desc: d\n  condition: spawned_process and proc.name = x${i}\n  output: "x %proc.name"\n  priority: WARNING\n`,
  'type in spawned_process': (text, i) => { const at = conditionEnd(text, text.indexOf('- macro: spawned_process')); return text.slice(0, at) + typed(i) + text.slice(at); },
  // Typing a new key on its own line: until its colon, the file has a YAML error (the whole-file parse path).
  'type with a YAML error': (text, i) => { const at = conditionEnd(text, Math.floor(text.length / 2)); return `${text.slice(0, at)}\n  ${typed(i).trim() || 'a'}${text.slice(at)}`; },
};

interface Sample { wall: number; cpu: number }
function timed(f: () => void): Sample {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const wall = performance.now() - t;
  const cu = process.cpuUsage(c);
  return { wall, cpu: (cu.user + cu.system) / 1000 };
}

function stats(xs: Sample[]): string {
  const q = (key: keyof Sample, p: number) => { const s = xs.map((x) => x[key]).sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  return `median ${q('wall', 0.5).toFixed(2)} ms (cpu ${q('cpu', 0.5).toFixed(2)})  p95 ${q('wall', 0.95).toFixed(2)} ms (cpu ${q('cpu', 0.95).toFixed(2)})  n=${xs.length}`;
}

function setup(factory: Factory, texts: Record<string, string>, all: boolean) {
  const files: Record<string, string> = {};
  for (const n of all ? NAMES : NAMES.slice(0, 1)) files[`/w/${n}`] = texts[n];
  return factory(new MemoryHost(files, { folders: ['/w'] }));
}

export function runBench(factories: Record<string, Factory>, options: { repeat?: number; steps?: number; only?: string } = {}): void {
  const texts = Object.fromEntries(NAMES.map((n) => [n, fs.readFileSync(path.join(RULES, n), 'utf8')]));
  const uri = (n: string) => pathToUri(`/w/${n}`);
  const repeat = options.repeat ?? 15;
  const steps = options.steps ?? 200;
  const labels = Object.keys(factories);
  for (const all of [false, true]) {
    const set = all ? 'three official files' : 'falco_rules.yaml alone';
    if (!options.only) {
      const first: Record<string, Sample[]> = Object.fromEntries(labels.map((l) => [l, []]));
      for (let r = 0; r < repeat; r++) {
        for (const label of labels) {
          const svc = setup(factories[label], texts, all);
          const doc = TextDocument.create(uri(NAMES[0]), 'falco-rules', 1, texts[NAMES[0]]);
          first[label].push(timed(() => { svc.didOpenOrChange?.(doc); svc.diagnostics(doc); }));
        }
      }
      for (const label of labels) {
        const [cold, ...warm] = first[label];
        console.log(`${set} [${label}] first diagnostics: cold ${cold.wall.toFixed(1)} ms; warm (fresh service) ${stats(warm)}`);
      }
    }
    for (const [name, edit] of Object.entries(EDITS)) {
      if (options.only && options.only !== name) continue;
      const services = labels.map((l) => setup(factories[l], texts, all));
      const base = texts[NAMES[0]];
      const edits: Record<string, Sample[]> = Object.fromEntries(labels.map((l) => [l, []]));
      const others: Record<string, Sample[]> = Object.fromEntries(labels.map((l) => [l, []]));
      for (const svc of services) { const d = TextDocument.create(uri(NAMES[0]), 'falco-rules', 1, base); svc.didOpenOrChange?.(d); svc.diagnostics(d); }
      for (let i = 0; i < steps; i++) {
        const doc = TextDocument.create(uri(NAMES[0]), 'falco-rules', i + 2, edit(base, i));
        services.forEach((svc, k) => {
          const e = timed(() => { svc.didOpenOrChange?.(doc); svc.diagnostics(doc); });
          // The server re-validates every other open rules document after a change.
          const o = all ? timed(() => { for (const n of NAMES.slice(1)) svc.diagnostics(TextDocument.create(uri(n), 'falco-rules', 1, texts[n])); }) : undefined;
          if (i >= steps / 10) { edits[labels[k]].push(e); if (o) others[labels[k]].push(o); }
        });
      }
      for (const label of labels) {
        console.log(`${set} [${label}] edit '${name}': ${stats(edits[label])}`);
        if (all) console.log(`${set} [${label}]   then re-validate the 2 other files: ${stats(others[label])}`);
      }
    }
  }
}
