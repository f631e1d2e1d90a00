// `npm run bench`: every performance target of Falco Lens measured through the real protocol, as an editor drives the
// server (dist/server.js --stdio), next to its floor (alert logs) and its peer, yaml-language-server (rules files),
// measured in the same run. Ratios to a reference measured in the same run hold on any machine; absolute times on a
// shared two-core machine drift. Prints a table, writes bench/results.json. See bench/README.md for the method.
//
//   npm run bench                      full run: 1k/10k/40k alerts, 1M explorer alerts, three rules sets
//   npm run bench -- --quick           smoke run for CI (small sizes, few iterations; never fails on timings)
//   npm run bench -- --only rules      one part: alerts, explorer or rules (repeatable, comma-separated)
//   npm run bench -- --alerts 40000     alert-log sizes of the editor path (comma-separated)
//   npm run bench -- --sets plugins    rules sets whose name contains one of these (falco_rules.yaml, official, plugins)
//   npm run bench -- --profile         Falco Lens servers run with node --cpu-prof (profiles under .scratch/bench/profiles)
//   npm run bench -- --strict          exit 1 when a target is missed
//   npm run bench -- --server FILE     measure another build of the server (A/B against an earlier commit)
//
// Each part runs in a bench process of its own (see runPartsApart), so that one part's garbage and heap do not slow
// the client side of the next.
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { CompletionRequest, HoverRequest, DidChangeConfigurationNotification, type TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { startServer, type ServerUnderTest, type StartOptions } from '../test/helpers/lspClient';
import { LineIndex } from '../server/src/service/text';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST,
  type ExplorerAlertsResult, type ExplorerChangedParams, type ExplorerGroupBy, type ExplorerGroupsResult, type ExplorerLogInfo,
} from '../server/src/protocol';

// ---------------------------------------------------------------- options and places

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const valuesOf = (name: string) => argv.flatMap((a, i) => (a === `--${name}` && argv[i + 1] ? argv[i + 1].split(',') : []));
const QUICK = flag('quick');
const PROFILE = flag('profile');
const STRICT = flag('strict');
const ONLY = new Set(valuesOf('only'));
const runs = (part: string) => ONLY.size === 0 || ONLY.has(part);

const ROOT = process.cwd();
const CORPUS = path.join(ROOT, '..', 'shared', 'corpus');
const SCRATCH = path.join(ROOT, '.scratch', 'bench');
const PROFILES = path.join(SCRATCH, 'profiles');
// Finer than node's default 1 ms: a cold first validation lasts only a few tens of milliseconds.
const PROFILE_INTERVAL_US = 200;
const RESULTS = path.join(ROOT, 'bench', 'results.json');
/** Set in the bench process that measures one part for a parent run: where it writes its results for the parent. */
const PART_RESULTS = valuesOf('part-results')[0];
const PARTS = ['alerts', 'explorer', 'rules'] as const;
// `--server FILE` measures another build of the server (an A/B run against a build of an earlier commit).
const OUR_SERVER = valuesOf('server')[0] ? path.resolve(valuesOf('server')[0]) : path.join(ROOT, 'dist', 'server.js');
const YAML_LS = path.join(ROOT, 'bench', 'yaml-language-server.cjs');
const OFFICIAL = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => path.join(CORPUS, 'rules', 'falcosecurity__rules', f));
const PLUGINS = [
  'k8saudit/k8s_audit_rules.yaml', 'k8saudit-gke/k8s_audit_rules_gke.yaml', 'cloudtrail/aws_cloudtrail_rules.yaml',
  'gcpaudit/gcp_auditlog_rules.yaml', 'github/github.yaml', 'okta/okta_rules.yaml',
].map((f) => path.join(CORPUS, 'rules', 'falcosecurity__plugins', f));

const SIZES = valuesOf('alerts').map(Number).filter((n) => n > 0).length > 0 ? valuesOf('alerts').map(Number).filter((n) => n > 0) : QUICK ? [1000] : [1000, 10000, 40000];
const EXPLORER_SIZE = QUICK ? 20000 : 1000000;
const REPEATS = QUICK ? 1 : 3;
/** Opens of an alert log after the cold one and before the warm ones that are measured (see benchAlertLogs). */
const WARM_UP_OPENS = QUICK ? 0 : 3;
const HOVERS = QUICK ? 30 : 300;
const EDITS = QUICK ? 6 : 30;
const RULE_HOVERS = QUICK ? 20 : 150;
// Profiles are read for the edit path: no reopens there, so that the edits dominate the samples under `diagnostics`.
const WARM_OPENS = PROFILE ? 0 : QUICK ? 2 : 7;

// ---------------------------------------------------------------- small helpers

const now = () => performance.now();
const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};
const median = (values: number[]) => quantile(values, 0.5);
const p95 = (values: number[]) => quantile(values, 0.95);
// A part's results travel as JSON, where a NaN (a measure this run skipped, e.g. warm opens under --profile) is null.
const ratio = (v: number | null) => (v === null || Number.isNaN(v) ? 'n/a' : v.toFixed(2));
const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : (kb / 1024).toFixed(0));
const fileUri = (p: string) => `file://${p.split('/').map(encodeURIComponent).join('/')}`;

/** Seeded PRNG (mulberry32) for the positions and lines the benchmark picks: the same every run. */
class Random {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0; }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
}

function withTimeout<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs); }),
  ]);
}

function log(message: string): void { process.stderr.write(`bench: ${message}\n`); }

/** CPU time (user + system, all threads) this process has used so far, in ms. */
const ownCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/**
 * CPU time (all threads) the process `pid` has used so far, in ms, from /proc: the sum of its threads' run time
 * (`schedstat`, nanoseconds), else utime + stime (`stat`, clock ticks of 10 ms); undefined without /proc. On a
 * machine shared with other benchmarks, wall times stretch with the load while CPU times hold: the alert index
 * targets compare CPU times, the server's against the floor's (process.cpuUsage in this process).
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let ns = 0;
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      try { ns += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]); } catch { /* the thread ended */ }
    }
    if (ns > 0) return ns / 1e6;
  } catch { /* no schedstat */ }
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch { return undefined; }
}

/** Wall and CPU time of `run` in this process. */
function timedHere(run: () => void): { wall: number; cpu: number } {
  const wall = now();
  const cpu = ownCpuMs();
  run();
  return { wall: now() - wall, cpu: ownCpuMs() - cpu };
}

/** Wall time of `run` and the CPU time the server used meanwhile. */
async function timedOnServer<T>(server: ServerUnderTest, run: () => Promise<T>): Promise<{ wall: number; cpu: number; result: T }> {
  const cpu = processCpuMs(server.process.pid);
  const wall = now();
  const result = await run();
  const wallMs = now() - wall;
  const after = processCpuMs(server.process.pid);
  return { wall: wallMs, cpu: cpu === undefined || after === undefined ? NaN : after - cpu, result };
}

// ---------------------------------------------------------------- results and targets

interface Target { name: string; value: number; limit: number; unit: string; pass: boolean; detail: string }
const targets: Target[] = [];
function target(name: string, value: number, limit: number, unit: string, detail: string): void {
  targets.push({ name, value, limit, unit, pass: Number.isFinite(value) && value <= limit, detail });
}
const results: Record<string, unknown> = {
  date: new Date().toISOString(), quick: QUICK, profile: PROFILE, node: process.version, cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model, memoryMb: Math.round(os.totalmem() / 2 ** 20),
  yamlLanguageServer: readJson(path.join(ROOT, 'node_modules', 'yaml-language-server', 'package.json'))?.version,
};
function readJson(file: string): Record<string, any> | undefined { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; } }

const tables: string[] = [];
function table(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const text = [`\n${title}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
  tables.push(text);
  console.log(text);
}

// ---------------------------------------------------------------- servers

const OUR_SETTINGS = (rulesFiles: string[]) => ({ rules: { files: rulesFiles }, alerts: { problems: 'critical', maxProblems: 500 } });

async function startOurs(label: string, rulesFiles: string[], rootDir?: string): Promise<ServerUnderTest> {
  const settings = OUR_SETTINGS(rulesFiles);
  const options: StartOptions = {
    rootDir, settings: settings, serverPath: OUR_SERVER,
    initializationOptions: { settings, validationDelayMs: 0 },
    configuration: (section) => (section === 'falcoLens' ? settings : null),
  };
  if (PROFILE) {
    fs.mkdirSync(PROFILES, { recursive: true });
    options.execArgv = ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`];
  }
  const server = await startServer(options);
  await settled(server);
  return server;
}

const YAML_SETTINGS = { validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, schemas: {} };

async function startYamlLs(rootDir: string): Promise<ServerUnderTest> {
  let pulled!: () => void;
  const configured = new Promise<void>((resolve) => { pulled = resolve; });
  const server = await startServer({
    rootDir, serverPath: YAML_LS,
    configuration: (section) => {
      if (section === 'yaml') { pulled(); return YAML_SETTINGS; }
      return section === 'http' ? { proxy: '', proxyStrictSSL: false } : {};
    },
  });
  void server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { yaml: YAML_SETTINGS } });
  await withTimeout('yaml-language-server configuration pull', configured, 15000);
  await settled(server);
  return server;
}

/**
 * Resets the process's peak RSS (VmHWM) to its current RSS (Linux: writing 5 to /proc/PID/clear_refs), so that a later
 * reading is the peak of what ran after. False where that is not possible.
 */
function resetPeakRss(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try { fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); return true; } catch { return false; }
}

/** A round trip: every message sent before it has been handled by the server. */
async function settled(server: ServerUnderTest): Promise<void> {
  await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nonexistent-bench-probe.yaml' }, position: { line: 0, character: 0 } }).catch(() => undefined);
}

async function stop(server: ServerUnderTest): Promise<void> {
  await withTimeout('server shutdown', server.stop(), 30000).catch((e) => { log(String(e)); server.process.kill(); });
}

// ---------------------------------------------------------------- alert logs

const GENERATOR = path.join(ROOT, 'bench', 'generate-alerts.mjs');

/** The generated log of `count` alerts (cached in the scratch folder, keyed by the generator and the corpus rules). */
function alertLog(count: number): string {
  const hash = crypto.createHash('sha1');
  hash.update(fs.readFileSync(GENERATOR));
  for (const f of [...OFFICIAL, ...PLUGINS]) if (fs.existsSync(f)) hash.update(fs.readFileSync(f));
  const key = hash.digest('hex').slice(0, 10);
  const file = path.join(SCRATCH, `alerts-${count}-${key}.log`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(SCRATCH, { recursive: true });
  for (const old of fs.readdirSync(SCRATCH)) if (old.startsWith(`alerts-${count}-`)) fs.rmSync(path.join(SCRATCH, old), { force: true });
  log(`generating ${count} alerts…`);
  const r = spawnSync(process.execPath, [GENERATOR, '--count', String(count), '--out', file, '--seed', '1', '--corpus', CORPUS], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`alert generator failed (${r.status})`);
  log(String(r.stdout).trim());
  return file;
}

/** The floor: read the file, split it into lines and JSON.parse every JSON line, in this process (wall and CPU ms). */
function floorTimes(file: string): { wall: number; cpu: number } {
  return timedHere(() => {
    const text = fs.readFileSync(file, 'utf8');
    let parsed = 0;
    for (const line of text.split('\n')) if (line.charCodeAt(0) === 123 /* { */) { JSON.parse(line); parsed++; }
    if (parsed === 0) throw new Error(`no JSON lines in ${file}`);
  });
}

/** Bytes read per call by the disk floor; the explorer's store reads the same chunk size. */
const FLOOR_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The floor of the explorer's disk path: a file too large for one JS string streamed in chunks (decoded with a
 * StringDecoder, so a character split over two chunks is whole), split into lines, and JSON.parse of every JSON line
 * (the same rule as floorTimes), in this process (wall and CPU ms).
 */
function diskFloorTimes(file: string): { wall: number; cpu: number } {
  return timedHere(() => diskFloor(file));
}

function diskFloor(file: string): void {
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(FLOOR_CHUNK_BYTES);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let parsed = 0;
  const take = (line: string) => { if (line.charCodeAt(0) === 123 /* { */) { JSON.parse(line); parsed++; } };
  try {
    let position = 0;
    for (;;) {
      const got = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (got <= 0) break;
      position += got;
      const lines = (carry + decoder.write(chunk.subarray(0, got))).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) take(line);
    }
    take(carry + decoder.end());
  } finally {
    fs.closeSync(fd);
  }
  if (parsed === 0) throw new Error(`no JSON lines in ${file}`);
}

async function benchAlertLogs(): Promise<void> {
  const rows: (string | number)[][] = [];
  const out: Record<string, unknown>[] = [];
  for (const size of SIZES) {
    const file = alertLog(size);
    const text = fs.readFileSync(file, 'utf8');
    const lines = new LineIndex(text);
    floorTimes(file); // warm the page cache and this process's JSON parser once
    const floorRuns = Array.from({ length: REPEATS }, () => floorTimes(file));
    const floors = floorRuns.map((f) => f.wall);
    const floorCpus = floorRuns.map((f) => f.cpu);
    const server = await startOurs(`alerts-${size}`, [...OFFICIAL, ...PLUGINS]);
    try {
      // Index: didOpen of the whole log -> first publishDiagnostics. The first open in a fresh server is cold (also
      // loads the configured rules and runs the indexing code before V8 has compiled it); then WARM_UP_OPENS opens
      // that are not counted (V8 still compiles the indexing path on its background threads during the first few,
      // which the CPU times include), then REPEATS warm opens (new URIs) that the targets use.
      const indexTimes: number[] = [];
      const indexCpus: number[] = [];
      let uri = '';
      for (let rep = 0; rep <= WARM_UP_OPENS + REPEATS; rep++) {
        if (uri) { const cleared = server.nextDiagnostics(uri, undefined, 60000); server.close(uri); await cleared; }
        uri = fileUri(rep === 0 ? file : file.replace(/\.log$/, `.rep${rep}.log`));
        const published = server.nextDiagnostics(uri, 1, 180000);
        const open = await timedOnServer(server, async () => { server.open(uri, 'falco-alerts', text, 1); await published; });
        indexTimes.push(open.wall);
        indexCpus.push(open.cpu);
      }
      const rssIndex = server.peakRssKb();
      // Transport alone: the same text opened as plain text (no language service answers it), then a round trip.
      const transports: number[] = [];
      const transportCpus: number[] = [];
      for (let rep = 0; rep < REPEATS; rep++) {
        const plainUri = fileUri(file.replace(/\.log$/, `.plain${rep}.txt`));
        const open = await timedOnServer(server, async () => { server.open(plainUri, 'plaintext', text, 1); await settled(server); });
        transports.push(open.wall);
        transportCpus.push(open.cpu);
        server.close(plainUri);
        await settled(server);
      }
      const transport = median(transports);

      // Hover at random positions of random lines.
      const random = new Random(size);
      const hoverTimes: number[] = [];
      let hoverHits = 0;
      for (let i = 0; i < HOVERS; i++) {
        const line = random.int(lines.lineCount - 1);
        const length = lines.lineEnd(line) - lines.lineStarts[line];
        const position = { line, character: random.int(Math.max(1, length)) };
        const started = now();
        const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
        hoverTimes.push(now() - started);
        if (hover) hoverHits++;
      }
      const rssHover = server.peakRssKb();

      // Edit -> diagnostics: the middle line replaced by its neighbour, then restored, as one incremental change each.
      // The peak is reset first (where the kernel allows it), so that what the edits add is not hidden behind the opens.
      const editPeakReset = resetPeakRss(server.process.pid);
      const middle = Math.floor((lines.lineCount - 1) / 2);
      const original = lines.lineText(middle);
      const replacement = lines.lineText(middle + 1).replace(/"hostname":"[^"]*"/, '"hostname":"edited-host"');
      let current = original;
      let version = 1;
      const editTimes: number[] = [];
      for (let i = 0; i < EDITS; i++) {
        const next = current === original ? replacement : original;
        const change: TextDocumentContentChangeEvent = { range: { start: { line: middle, character: 0 }, end: { line: middle, character: current.length } }, text: next };
        version++;
        const published = server.nextDiagnostics(uri, version, 60000);
        const started = now();
        server.changeRanges(uri, version, [change]);
        await published;
        editTimes.push(now() - started);
        current = next;
      }
      const rssEdit = server.peakRssKb();
      const rssWhole = Math.max(rssHover ?? 0, rssEdit ?? 0) || undefined;
      const floor = median(floors);
      const warmIndex = median(indexTimes.slice(1 + WARM_UP_OPENS));
      const floorCpu = median(floorCpus);
      const warmIndexCpu = median(indexCpus.slice(1 + WARM_UP_OPENS));
      const transportCpu = median(transportCpus);
      const entry = {
        // indexMs / indexCpuMs: every open in order — the cold one, WARM_UP_OPENS uncounted, then the warm ones.
        alerts: size, megabytes: +(Buffer.byteLength(text) / 1e6).toFixed(1), lines: lines.lineCount, floorMs: floors, indexMs: indexTimes, warmUpOpens: WARM_UP_OPENS,
        indexColdMs: indexTimes[0], indexWarmMedianMs: warmIndex, indexToFloor: warmIndex / floor, transportMs: transports,
        // CPU times (ms): the floor's in this process, the server's during each open; the targets use these.
        floorCpuMs: floorCpus, indexCpuMs: indexCpus, transportCpuMs: transportCpus, indexCpuToFloorCpu: warmIndexCpu / floorCpu,
        serviceCpuToFloorCpu: Math.max(0, warmIndexCpu - transportCpu) / floorCpu,
        hover: { count: HOVERS, hits: hoverHits, p50: median(hoverTimes), p95: p95(hoverTimes), max: Math.max(...hoverTimes) },
        edit: { count: EDITS, median: median(editTimes), p95: p95(editTimes) },
        // afterEdit is the peak of the edits alone when editPeakReset (the peak was reset before them), else of the run.
        peakRssKb: { afterIndex: rssIndex, afterHover: rssHover, afterEdit: rssEdit, editPeakReset, whole: rssWhole },
      };
      out.push(entry);
      rows.push([size.toLocaleString('en-US'), entry.megabytes, ms(floor), ms(indexTimes[0]), ms(warmIndex), (warmIndex / floor).toFixed(2), ms(transport),
        ((warmIndex - transport) / floor).toFixed(2), ms(floorCpu), ms(warmIndexCpu), ms(transportCpu), entry.indexCpuToFloorCpu.toFixed(2), entry.serviceCpuToFloorCpu.toFixed(2),
        `${ms(entry.hover.p50)} / ${ms(entry.hover.p95)}`, `${hoverHits}/${HOVERS}`, `${ms(entry.edit.median)} / ${ms(entry.edit.p95)}`, `${mb(rssWhole)} (${editPeakReset ? mb(rssEdit) : 'n/a'})`]);
      // CPU times: the server's during the open against the floor's in this process (they hold on a loaded machine,
      // where wall times stretch with other processes); wall times are in the table and in results.json.
      target(`alert index ≤ 1.5× floor, didOpen → diagnostics, CPU (${size.toLocaleString('en-US')} alerts)`, entry.indexCpuToFloorCpu, 1.5, '×',
        `server CPU ${ms(warmIndexCpu)} ms vs floor CPU ${ms(floorCpu)} ms (wall ${ms(warmIndex)} vs ${ms(floor)} ms: ${(warmIndex / floor).toFixed(2)}×)`);
      // The same open minus moving the text through JSON-RPC (measured in this run): the indexing the service does.
      target(`alert index ≤ 1.5× floor, the service's share, CPU (${size.toLocaleString('en-US')} alerts)`, entry.serviceCpuToFloorCpu, 1.5, '×',
        `(server CPU ${ms(warmIndexCpu)} − transport CPU ${ms(transportCpu)}) ms vs floor CPU ${ms(floorCpu)} ms (wall: ${(Math.max(0, warmIndex - transport) / floor).toFixed(2)}×)`);
      target(`alert hover p95 ≤ 5 ms (${size.toLocaleString('en-US')} alerts)`, entry.hover.p95, 5, 'ms', `p50 ${ms(entry.hover.p50)} ms, ${hoverHits}/${HOVERS} hovers answered`);
    } finally {
      await stop(server);
    }
  }
  results.alerts = out;
  table('Alert logs through the editor path (times in ms; index = didOpen → first publishDiagnostics)',
    ['alerts', 'MB', 'floor', 'index cold', 'index warm', '×floor', 'transport', '(warm−transport)×floor', 'floor CPU', 'index CPU', 'transport CPU', 'CPU ×floor', 'CPU (warm−transport)×floor', 'hover p50/p95', 'answered', 'edit med/p95', 'peak MB (edits alone)'], rows);
}

// ---------------------------------------------------------------- Alert Explorer (disk path)

async function benchExplorer(): Promise<void> {
  const file = alertLog(EXPLORER_SIZE);
  const originalSize = fs.statSync(file).size;
  diskFloorTimes(file); // warm the page cache and this process's JSON parser once
  const floorRuns = Array.from({ length: REPEATS }, () => diskFloorTimes(file));
  const floors = floorRuns.map((f) => f.wall);
  const floor = median(floors);
  const floorCpus = floorRuns.map((f) => f.cpu);
  const floorCpu = median(floorCpus);
  const server = await startOurs(`explorer-${EXPLORER_SIZE}`, [...OFFICIAL, ...PLUGINS]);
  const changes: ExplorerChangedParams[] = [];
  let onChange: ((p: ExplorerChangedParams) => void) | undefined;
  server.connection.onNotification(EXPLORER_CHANGED_NOTIFICATION, (p: ExplorerChangedParams) => { changes.push(p); onChange?.(p); });
  const waitFor = (test: (p: ExplorerChangedParams) => boolean, what: string, timeoutMs: number) =>
    withTimeout(what, new Promise<ExplorerChangedParams>((resolve) => { onChange = (p) => { if (test(p)) { onChange = undefined; resolve(p); } }; }), timeoutMs);
  let logId = '';
  try {
    // Warm-up: a 1,000-alert log through the explorer first, so the measured index finds the rule templates compiled
    // and the indexing code compiled, as in a server that has been running (without it, the 20k log of --quick
    // measured mostly that one-time start: 4.8× its floor).
    const warmUp = alertLog(1000);
    const warmed = waitFor((p) => p.done, 'explorer warm-up', 120000);
    const warmInfo = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: warmUp }) as ExplorerLogInfo;
    await warmed;
    await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: warmInfo.logId });
    changes.length = 0;

    const cpuBefore = processCpuMs(server.process.pid);
    const started = now();
    let firstProgress: number | undefined;
    const indexed = waitFor((p) => { firstProgress ??= now() - started; return p.done; }, 'explorer indexing', 600000);
    const info = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file }) as ExplorerLogInfo;
    logId = info.logId;
    const opened = now() - started;
    const done = await indexed;
    const indexMs = now() - started;
    const cpuAfter = processCpuMs(server.process.pid);
    const indexCpu = cpuBefore === undefined || cpuAfter === undefined ? NaN : cpuAfter - cpuBefore;
    const rssIndex = server.peakRssKb();
    if (done.total !== EXPLORER_SIZE) throw new Error(`explorer indexed ${done.total} alerts, expected ${EXPLORER_SIZE}`);

    const timed = async <T>(run: () => Promise<T>, into: number[]): Promise<T> => { const s = now(); const r = await run(); into.push(now() - s); return r; };
    const groupTimes: number[] = [];
    const byGroup: Record<string, number> = {};
    let ruleGroups: ExplorerGroupsResult | undefined;
    for (const groupBy of ['rule', 'priority', 'hostname', 'source', 'container'] as ExplorerGroupBy[]) {
      const mine: number[] = [];
      for (let rep = 0; rep < (QUICK ? 2 : 5); rep++) {
        const r = await timed(() => server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy }) as Promise<ExplorerGroupsResult>, mine);
        if (groupBy === 'rule') ruleGroups = r;
      }
      groupTimes.push(...mine);
      byGroup[groupBy] = median(mine);
    }
    const filteredTimes: number[] = [];
    const filter = { text: 'shadow', minPriority: 4 };
    for (let rep = 0; rep < 3; rep++) await timed(() => server.connection.sendRequest(EXPLORER_GROUPS_REQUEST, { logId, groupBy: 'rule', filter }), filteredTimes);

    const expandTimes: number[] = [];
    const expandDedupeTimes: number[] = [];
    for (const group of (ruleGroups?.groups ?? []).slice(0, 8)) {
      for (const dedupe of [false, true]) {
        const page = await timed(() => server.connection.sendRequest(EXPLORER_ALERTS_REQUEST, { logId, groupBy: 'rule', group: group.key, dedupe, offset: 0, limit: 200 }) as Promise<ExplorerAlertsResult>,
          dedupe ? expandDedupeTimes : expandTimes);
        if (page.items.length === 0) throw new Error(`explorer returned no alerts for group ${group.key}`);
      }
    }
    const rssQueries = server.peakRssKb();

    // Follow: append one alert line at a time; time until the changed notification reports the new total.
    const followInfo = await server.connection.sendRequest(EXPLORER_OPEN_REQUEST, { path: file, follow: true }) as ExplorerLogInfo;
    if (!followInfo.following) throw new Error('explorer did not start following');
    const fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(64 * 1024);
    const got = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const firstLine = head.toString('utf8', 0, got).split('\n')[0];
    const followTimes: number[] = [];
    let total = done.total;
    try {
      for (let i = 0; i < (QUICK ? 3 : 10); i++) {
        const expected = total + 1;
        const seen = waitFor((p) => p.total >= expected, 'follow notification', 30000);
        const s = now();
        fs.appendFileSync(file, `${firstLine}\n`);
        const p = await seen;
        followTimes.push(now() - s);
        total = p.total;
      }
    } finally {
      await server.connection.sendRequest(EXPLORER_CLOSE_REQUEST, { logId }).catch(() => undefined);
      fs.truncateSync(file, originalSize);
    }
    const rss = server.peakRssKb();
    const entry = {
      alerts: EXPLORER_SIZE, megabytes: +(originalSize / 1e6).toFixed(0), openAnswerMs: opened, firstProgressMs: firstProgress, indexMs,
      megabytesPerSecond: originalSize / 1e6 / (indexMs / 1000), floorMs: floors, indexToFloor: indexMs / floor, notifications: changes.length,
      // CPU times (ms): the floor's in this process, the server's from the open request to `done`; the target uses these.
      floorCpuMs: floorCpus, indexCpuMs: indexCpu, indexCpuToFloorCpu: indexCpu / floorCpu, warmedUp: true,
      groups: { p50: median(groupTimes), p95: p95(groupTimes), byGroupBy: byGroup, filteredTextMs: filteredTimes },
      expand: { p50: median(expandTimes), p95: p95(expandTimes), dedupeP50: median(expandDedupeTimes), dedupeP95: p95(expandDedupeTimes) },
      follow: { p50: median(followTimes), p95: p95(followTimes), times: followTimes },
      peakRssKb: { afterIndex: rssIndex, afterQueries: rssQueries, final: rss },
    };
    results.explorer = entry;
    table(`Alert Explorer, disk path (${EXPLORER_SIZE.toLocaleString('en-US')} alerts, ${entry.megabytes} MB; times in ms; index = open request sent → changed notification with done: true)`, ['measure', 'value'], [
      ['open request answered', ms(opened)],
      ['first progress notification', ms(firstProgress)],
      ['floor: chunked read + split + JSON.parse (median)', `${ms(floor)} (${(originalSize / 1e6 / (floor / 1000)).toFixed(0)} MB/s)`],
      ['fully indexed (done: true)', `${ms(indexMs)} (${entry.megabytesPerSecond.toFixed(0)} MB/s)`],
      ['index × floor (wall)', (indexMs / floor).toFixed(2)],
      ['CPU: floor / server while indexing', `${ms(floorCpu)} / ${ms(indexCpu)}`],
      ['index × floor (CPU)', (indexCpu / floorCpu).toFixed(2)],
      ['groups p50 / p95 (5 groupings)', `${ms(entry.groups.p50)} / ${ms(entry.groups.p95)}`],
      ...Object.entries(byGroup).map(([k, v]) => [`  by ${k} (median)`, ms(v)]),
      ['groups with text filter: first / cached', `${ms(filteredTimes[0])} / ${ms(median(filteredTimes.slice(1)))}`],
      ['expand (page of 200) p50 / p95', `${ms(entry.expand.p50)} / ${ms(entry.expand.p95)}`],
      ['expand, duplicates folded p50 / p95', `${ms(entry.expand.dedupeP50)} / ${ms(entry.expand.dedupeP95)}`],
      ['follow: append → notification p50 / p95', `${ms(entry.follow.p50)} / ${ms(entry.follow.p95)}`],
      ['peak RSS MB (index / queries / end)', `${mb(rssIndex)} / ${mb(rssQueries)} / ${mb(rss)}`],
    ]);
    // In --quick the log is 20k alerts: a small log indexes at a higher ratio than the 1M log the target is about.
    target(`explorer index ≤ 1.5× floor, CPU (${EXPLORER_SIZE.toLocaleString('en-US')} alerts, server warmed up${QUICK ? '; --quick: a small log, not the target\'s 1M' : ''})`, indexCpu / floorCpu, 1.5, '×',
      `server CPU ${ms(indexCpu)} ms vs floor CPU ${ms(floorCpu)} ms (wall ${ms(indexMs)} vs ${ms(floor)} ms: ${(indexMs / floor).toFixed(2)}×)`);
    target(`explorer ${EXPLORER_SIZE.toLocaleString('en-US')} alerts peak RSS ≤ 500 MB`, (rss ?? NaN) / 1024, 500, 'MB', `indexed in ${ms(indexMs)} ms`);
  } finally {
    await stop(server);
  }
}

// ---------------------------------------------------------------- rules files

interface Token { offset: number; length: number; kind: 'field' | 'macro'; item: string; itemKind: 'rule' | 'macro' }
interface RulesSet { name: string; files: string[]; primary: string }

const FIELD_CLASS = /^(evt|proc|thread|user|group|fd|fs|container|k8s|k8smeta|ka|jevt|ct|s3|ec2|okta|github|gcp|json|span|syslog|krsi|mesos|dummy)\./;

/** Tokens of the conditions of a rules file: fields and macro references, with the item they belong to. */
function conditionTokens(text: string, macros: Set<string>): Token[] {
  const tokens: Token[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let item = '';
  let itemKind: 'rule' | 'macro' | '' = '';
  let conditionIndent = -1;
  for (const line of lines) {
    const head = /^- (rule|macro|list):\s*(.*)$/.exec(line);
    if (head) { itemKind = head[1] === 'list' ? '' : head[1] as 'rule' | 'macro'; item = head[2].trim(); conditionIndent = -1; }
    const indent = line.length - line.trimStart().length;
    const key = /^(\s*)condition:\s?/.exec(line);
    let from = -1;
    if (key && itemKind) { conditionIndent = key[1].length; from = key[0].length; }
    else if (conditionIndent >= 0 && (line.trim() === '' || indent > conditionIndent)) from = 0;
    else conditionIndent = -1;
    if (from >= 0 && itemKind) {
      const body = line.slice(from);
      // Quoted strings are values, not references.
      const masked = body.replace(/"[^"]*"|'[^']*'/g, (s) => ' '.repeat(s.length));
      for (const m of masked.matchAll(/[A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]\s]*\])?/g)) {
        const word = m[0];
        const kind = FIELD_CLASS.test(word) ? 'field' : macros.has(word) ? 'macro' : undefined;
        if (kind) tokens.push({ offset: offset + from + m.index!, length: word.length, kind, item, itemKind });
      }
    }
    offset += line.length + 1;
  }
  return tokens;
}

function macroNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^- macro:\s*(\S.*?)\s*$/gm)].map((m) => m[1]));
}

interface EditPlan {
  name: string;
  changes: (i: number) => { apply: TextDocumentContentChangeEvent[]; measured: boolean };
  /** Measured and shown, but not one of the issue's edits: no target. */
  extra?: boolean;
}

/**
 * The three edits of the issue, each as a cycle of incremental changes that returns the file to its text, and one
 * more: a new key typed on a line of its own in the middle rule, which is a YAML error until its colon is typed.
 */
function editPlans(text: string, allTexts: string[]): EditPlan[] {
  const lines = new LineIndex(text);
  const allMacros = new Set(allTexts.flatMap((t) => [...macroNames(t)]));
  const tokens = conditionTokens(text, allMacros);
  // 1. One character typed in the middle of a condition (a rule near the middle of the file), then deleted.
  const ruleTokens = tokens.filter((t) => t.itemKind === 'rule');
  const middleRule = ruleTokens.reduce((best, t) => (Math.abs(t.offset - text.length / 2) < Math.abs(best.offset - text.length / 2) ? t : best), ruleTokens[0]);
  const inRule = ruleTokens.filter((t) => t.item === middleRule.item);
  const conditionToken = inRule[Math.floor(inRule.length / 2)];
  // 3. A macro used by many rules: the one of this file referenced most often across the set.
  const counts = new Map<string, number>();
  for (const x of allTexts) for (const t of conditionTokens(x, allMacros)) if (t.kind === 'macro') { const name = x.slice(t.offset, t.offset + t.length); counts.set(name, (counts.get(name) ?? 0) + 1); }
  const own = macroNames(text);
  const busiest = [...counts.entries()].filter(([name]) => own.has(name)).sort((a, b) => b[1] - a[1])[0];
  const macroToken = busiest ? tokens.find((t) => t.itemKind === 'macro' && t.item === busiest[0]) : undefined;
  const toggle = (token: Token) => (i: number) => {
    const at = lines.positionAt(token.offset + token.length);
    const apply: TextDocumentContentChangeEvent[] = i % 2 === 0
      ? [{ range: { start: at, end: at }, text: 'x' }]
      : [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }];
    return { apply, measured: true };
  };
  const end = lines.positionAt(text.length);
  const appended = (i: number) => [
    `${text.endsWith('\n') ? '' : '\n'}- rule: Bench appended rule ${i}`,
    '  desc: A rule the benchmark appends and removes again.',
    '  condition: evt.type = execve and proc.name = bench_tool',
    '  output: Bench tool ran (user=%user.name command=%proc.cmdline)',
    '  priority: WARNING',
    '',
  ].join('\n');
  const plans: EditPlan[] = [];
  if (conditionToken) plans.push({ name: `type in a condition (rule "${middleRule.item}")`, changes: toggle(conditionToken) });
  plans.push({
    name: 'append a rule',
    changes: (i) => {
      const block = appended(i >> 1);
      if (i % 2 === 0) return { apply: [{ range: { start: end, end }, text: block }], measured: true };
      const blockEnd = new LineIndex(text + block).positionAt(text.length + block.length);
      return { apply: [{ range: { start: end, end: blockEnd }, text: '' }], measured: false };
    },
  });
  if (macroToken && busiest) plans.push({ name: `edit macro ${busiest[0]} (${busiest[1]} references)`, changes: toggle(macroToken) });
  if (conditionToken) {
    // Enter, the rule's indentation and one letter after the line of the condition token, then deleted again.
    const lineEnd = text.indexOf('\n', conditionToken.offset);
    const at = lines.positionAt(lineEnd < 0 ? text.length : lineEnd);
    plans.push({
      name: 'type a new key (YAML error)',
      extra: true,
      changes: (i) => ({
        apply: i % 2 === 0 ? [{ range: { start: at, end: at }, text: '\n  e' }] : [{ range: { start: at, end: { line: at.line + 1, character: 3 } }, text: '' }],
        measured: true,
      }),
    });
  }
  return plans;
}

function unseenText(text: string, n: number): string {
  return `${text.replace(/^- /gm, `# bench reopen ${n}\n- `)}${text.endsWith('\n') ? '' : '\n'}# bench reopen ${n}\n`;
}

interface ServerRulesResult {
  server: string;
  roundTripMs: number;
  firstDiagnosticsColdMs: number;
  firstDiagnosticsWarmMs: number[];
  diagnosticsCount: number;
  edits: { name: string; median: number; p95: number; times: number[]; extra?: boolean }[];
  hover: { p50: number; p95: number; answered: number; count: number };
  completion: { p50: number; p95: number; answered: number; count: number };
  peakRssKb?: number;
}

async function benchRulesSet(set: RulesSet, kind: 'falco-lens' | 'yaml-language-server'): Promise<ServerRulesResult> {
  // A folder per bench process: two runs at once (A/B comparisons) must not share or delete each other's files.
  const ws = path.join(SCRATCH, `ws-${process.pid}-${set.name.replace(/[^a-z0-9]+/gi, '-')}`);
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(ws, { recursive: true });
  const docs = set.files.map((f) => {
    const target = path.join(ws, path.basename(f));
    fs.copyFileSync(f, target);
    const original = fs.readFileSync(f, 'utf8');
    return { uri: fileUri(target), original, text: original, primary: f === set.primary };
  });
  const languageId = kind === 'falco-lens' ? 'falco-rules' : 'yaml';
  const ours = kind === 'falco-lens';
  const server = ours ? await startOurs(`rules-${set.name.replace(/[^a-z0-9]+/gi, '-')}`, [], ws) : await startYamlLs(ws);
  const versions = new Map<string, number>();
  // yaml-language-server publishes without a version: wait for the next publication of the URI.
  const published = (uri: string, timeout = 120000) => server.nextDiagnostics(uri, ours ? versions.get(uri) : undefined, timeout);
  try {
    // A reopen in the warmed-up process must still be a first reading of the text: yaml-language-server caches parses
    // by (uri, version) and Falco Lens by the text of each top-level item, so each reopen has a new version and a
    // comment line before every item and at the end (no item's text was seen before; the meaning is unchanged).
    let openVersion = 0;
    const openAll = async (): Promise<{ elapsed: number; count: number }> => {
      openVersion += 1000;
      if (openVersion > 1000) for (const d of docs) d.text = unseenText(d.original, openVersion);
      const waits = docs.map((d) => { versions.set(d.uri, openVersion); return published(d.uri); });
      const started = now();
      for (const d of docs) server.open(d.uri, languageId, d.text, openVersion);
      const all = await Promise.all(waits);
      return { elapsed: now() - started, count: all.reduce((n, p) => n + p.diagnostics.length, 0) };
    };
    const closeAll = async () => {
      const cleared = docs.map((d) => server.nextDiagnostics(d.uri, undefined, 60000));
      for (const d of docs) server.close(d.uri);
      await Promise.all(cleared);
      await settled(server);
    };
    // The protocol's own round trip (a hover on a document nobody opened): the part of every latency below that no
    // service can remove.
    const roundTrips: number[] = [];
    for (let i = 0; i < 50; i++) { const s = now(); await settled(server); roundTrips.push(now() - s); }
    const cold = await openAll();
    const warm: number[] = [];
    for (let i = 0; i < WARM_OPENS; i++) { await closeAll(); warm.push((await openAll()).elapsed); }

    const primary = docs.find((d) => d.primary)!;
    const primaryLines = new LineIndex(primary.text);
    const allTexts = docs.map((d) => d.text);
    const tokens = conditionTokens(primary.text, new Set(allTexts.flatMap((t) => [...macroNames(t)])));
    const random = new Random(7);
    const picks = Array.from({ length: Math.min(RULE_HOVERS, tokens.length) }, () => tokens[random.int(tokens.length)]);
    const request = async (method: 'hover' | 'completion') => {
      const times: number[] = [];
      let answered = 0;
      for (const t of picks) {
        const position = primaryLines.positionAt(t.offset + (method === 'hover' ? 1 : Math.ceil(t.length / 2)));
        const started = now();
        const result = method === 'hover'
          ? await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: primary.uri }, position })
          : await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: primary.uri }, position });
        times.push(now() - started);
        const items = result && (Array.isArray(result) ? result : 'items' in result ? result.items : [result]);
        if (items && items.length > 0) answered++;
      }
      return { p50: median(times), p95: p95(times), answered, count: picks.length };
    };
    const hover = await request('hover');
    const completion = await request('completion');

    const edits: ServerRulesResult['edits'] = [];
    const others = docs.filter((d) => d !== primary);
    // The edit kinds take turns, a pair of changes each (every pair returns the file to its text): the first edits of
    // a process run before V8 has compiled the edit path, and measured one kind after another, the kind measured
    // first took all of that warm-up (its first third 2-4x slower than the rest, session 4) and the others none.
    const plans = editPlans(primary.text, allTexts);
    const timesOf = plans.map((): number[] => []);
    for (let i = 0; i < EDITS * 2; i += 2) {
      for (let k = 0; k < plans.length; k++) {
        for (const step of [i, i + 1]) {
          const { apply, measured } = plans[k].changes(step);
          const version = (versions.get(primary.uri) ?? 1) + 1;
          versions.set(primary.uri, version);
          const mine = published(primary.uri);
          // Falco Lens re-validates the other open rules files after a change; let that finish before the next edit.
          const rest = ours ? others.map((d) => server.nextDiagnostics(d.uri, undefined, 120000)) : [];
          const started = now();
          server.changeRanges(primary.uri, version, apply);
          await mine;
          if (measured) timesOf[k].push(now() - started);
          await Promise.all(rest);
        }
      }
    }
    plans.forEach((plan, k) => {
      const times = timesOf[k];
      edits.push({ name: plan.name, median: median(times), p95: p95(times), times, ...(plan.extra ? { extra: true } : {}) });
    });
    return {
      server: kind, roundTripMs: median(roundTrips), firstDiagnosticsColdMs: cold.elapsed, firstDiagnosticsWarmMs: warm, diagnosticsCount: cold.count, edits, hover, completion,
      peakRssKb: server.peakRssKb(),
    };
  } finally {
    await stop(server);
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

async function benchRules(): Promise<void> {
  const sets: RulesSet[] = [{ name: 'falco_rules.yaml', files: [OFFICIAL[0]], primary: OFFICIAL[0] }];
  if (!QUICK) {
    sets.push({ name: 'official (3 files)', files: OFFICIAL, primary: OFFICIAL[0] });
    sets.push({ name: 'plugins (6 files)', files: PLUGINS, primary: PLUGINS[0] });
  }
  const out: Record<string, unknown>[] = [];
  const rows: (string | number)[][] = [];
  const only = valuesOf('sets');
  for (const set of sets.filter((s) => only.length === 0 || only.some((o) => s.name.includes(o)))) {
    log(`rules: ${set.name}`);
    const mine = await benchRulesSet(set, 'falco-lens');
    const peer = await benchRulesSet(set, 'yaml-language-server');
    out.push({ set: set.name, files: set.files.map((f) => path.relative(CORPUS, f)), falcoLens: mine, yamlLanguageServer: peer });
    const warmMine = median(mine.firstDiagnosticsWarmMs);
    const warmPeer = median(peer.firstDiagnosticsWarmMs);
    for (const [label, r] of [['Falco Lens', mine], ['yaml-language-server', peer]] as const) {
      rows.push([set.name, label, ms(r.roundTripMs), ms(r.firstDiagnosticsColdMs), ms(median(r.firstDiagnosticsWarmMs)), r.diagnosticsCount,
        ...r.edits.map((e) => `${ms(e.median)} / ${ms(e.p95)}`),
        `${ms(r.hover.p95)} (${r.hover.answered}/${r.hover.count})`, `${ms(r.completion.p95)} (${r.completion.answered}/${r.completion.count})`, mb(r.peakRssKb)]);
    }
    const setLabel = set.name;
    mine.edits.forEach((e, i) => {
      const theirs = peer.edits[i];
      if (e.extra) return;
      if (set.name === 'falco_rules.yaml') target(`rules edit → diagnostics median ≤ 10 ms: ${e.name} (${setLabel})`, e.median, 10, 'ms', `p95 ${ms(e.p95)} ms`);
      target(`rules edit median ≤ 0.1× yaml-language-server: ${e.name} (${setLabel})`, e.median / theirs.median, 0.1, '×', `${ms(e.median)} vs ${ms(theirs.median)} ms`);
    });
    target(`rules first diagnostics cold ≤ 0.2× yaml-language-server (${setLabel})`, mine.firstDiagnosticsColdMs / peer.firstDiagnosticsColdMs, 0.2, '×',
      `${ms(mine.firstDiagnosticsColdMs)} vs ${ms(peer.firstDiagnosticsColdMs)} ms`);
    target(`rules first diagnostics warm ≤ 0.2× yaml-language-server (${setLabel})`, warmMine / warmPeer, 0.2, '×', `${ms(warmMine)} vs ${ms(warmPeer)} ms`);
    target(`rules peak RSS ≤ yaml-language-server (${setLabel})`, (mine.peakRssKb ?? NaN) / (peer.peakRssKb ?? NaN), 1, '×', `${mb(mine.peakRssKb)} vs ${mb(peer.peakRssKb)} MB`);
  }
  results.rules = out;
  table('Rules files: Falco Lens side by side with yaml-language-server (times in ms; edits median / p95; hover and completion p95 (answered))',
    ['set', 'server', 'round trip', 'first diag cold', 'warm', 'diags', 'edit: condition', 'edit: append rule', 'edit: busy macro', 'edit: new key (YAML error)', 'hover p95', 'completion p95', 'peak MB'], rows);
}

// ---------------------------------------------------------------- main

/**
 * Runs each selected part in a bench process of its own and merges their results. In one process, the 1M explorer
 * floor (a gigabyte read and parsed in the bench process) left a large heap whose collections landed in the rules
 * edits that followed: the client's own pauses were counted as server latency.
 */
function runPartsApart(parts: readonly string[]): void {
  const baseArgs = argv.filter((a, i) => a !== '--only' && argv[i - 1] !== '--only');
  for (const part of parts) {
    const partFile = path.join(SCRATCH, `part-${process.pid}-${part}.json`);
    fs.mkdirSync(SCRATCH, { recursive: true });
    fs.rmSync(partFile, { force: true });
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...baseArgs, '--only', part, '--part-results', partFile], { stdio: 'inherit' });
    const partResults = readJson(partFile);
    fs.rmSync(partFile, { force: true });
    if (child.status !== 0 || !partResults) throw new Error(`the ${part} part failed (exit ${child.status ?? child.signal})`);
    targets.push(...(partResults.targets as Target[]));
    results[part] = partResults[part];
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(CORPUS, 'rules'))) { log(`corpus absent at ${CORPUS}: nothing to measure`); return; }
  if (!fs.existsSync(OUR_SERVER)) throw new Error(`${path.relative(ROOT, OUR_SERVER)} is missing: run \`npm run build\` first`);
  const started = now();
  const parts = PARTS.filter(runs);
  if (PART_RESULTS) {
    if (runs('alerts')) await benchAlertLogs();
    if (runs('explorer')) await benchExplorer();
    if (runs('rules')) await benchRules();
    results.targets = targets;
    fs.writeFileSync(PART_RESULTS, JSON.stringify(results) + '\n');
    return;
  }
  log(`${QUICK ? 'quick' : 'full'} run on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  runPartsApart(parts);
  table('Targets', ['target', 'measured', 'limit', 'result', 'detail'],
    targets.map((t) => [t.name, `${t.unit === 'ms' || t.unit === 'MB' ? ms(t.value ?? NaN) : ratio(t.value)} ${t.unit}`, `${t.limit} ${t.unit}`, t.pass ? 'PASS' : 'MISS', t.detail]));
  results.targets = targets;
  results.elapsedSeconds = Math.round((now() - started) / 1000);
  fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  const missed = targets.filter((t) => !t.pass).length;
  log(`${targets.length - missed}/${targets.length} targets met in ${results.elapsedSeconds} s; results in ${path.relative(ROOT, RESULTS)}${QUICK ? ' (quick run: timings are not asserted)' : ''}`);
  if (STRICT && missed > 0) process.exitCode = 1;
}

main().catch((e) => { log(`failed: ${(e as Error)?.stack ?? e}`); process.exitCode = 1; });
