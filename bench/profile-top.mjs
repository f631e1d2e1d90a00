// Summarises a V8 CPU profile (node --cpu-prof): the functions with the most self time, and the bundle's own
// functions with the most total time (self plus callees). `--under NAME` keeps only the samples whose stack passes
// through a function of that name (e.g. `diagnostics`, `hover`).
// Usage: node bench/profile-top.mjs FILE.cpuprofile [N] [--under NAME]
import * as fs from 'node:fs';

const args = process.argv.slice(2);
const underAt = args.indexOf('--under');
const under = underAt >= 0 ? args.splice(underAt, 2)[1] : undefined;
const [file, limitText] = args;
if (!file) { console.error('usage: node bench/profile-top.mjs FILE.cpuprofile [N] [--under NAME]'); process.exit(2); }
const limit = Number(limitText ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const selfByLabel = new Map();
const totalByLabel = new Map();
const passesUnder = (id) => {
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) if (byId.get(cur).callFrame.functionName === under) return true;
  return false;
};
for (const [id, t] of self) {
  if (under && !passesUnder(id)) { self.delete(id); continue; }
  const node = byId.get(id);
  selfByLabel.set(label(node), (selfByLabel.get(label(node)) ?? 0) + t);
  // Total time: charge each distinct function once per stack.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    totalByLabel.set(l, (totalByLabel.get(l) ?? 0) + t);
  }
}
const all = [...self.values()].reduce((a, b) => a + b, 0);
const print = (title, map, filter = () => true) => {
  console.log(`\n${title}`);
  for (const [l, t] of [...map].filter(([l]) => filter(l)).sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${t.toFixed(1).padStart(9)} ms ${(100 * t / all).toFixed(1).padStart(5)}%  ${l}`);
  }
};
console.log(`${file}: ${all.toFixed(0)} ms sampled${under ? ` under ${under}` : ''}`);
print('self time', selfByLabel);
print('total time (server bundle functions)', totalByLabel, (l) => l.includes('server.js'));
