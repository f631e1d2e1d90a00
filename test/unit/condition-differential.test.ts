// Differential test of the condition parser against libsinsp, through ../shared/tools/filter-oracle (Debian's sysdig
// 0.29.3, which embeds the 2022 libsinsp filter compiler). The cases are the macro- and list-expanded conditions of
// every official rule (the three current files loaded together), the same conditions rewritten to the 2022 field and
// operator vocabulary, and over 1,000 seeded mutations of them. Verdicts (the condition compiles / is rejected) must
// agree, except where the disagreement belongs to one of the named classes below, each a documented difference
// between the 2022 filter compiler and the parser Falco uses today; every class is checked on the case itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import {
  comparisonsOf, fieldsOf, macroRefsOf, parseCondition, transformersOf, walkExpr,
} from '../../server/src/service/rules/condition';
import type { Expr, Literal } from '../../server/src/service/rules/conditionAst';
import { corpusDir, corpusExists, expandForOracle, loadTogether } from './condition-corpus';
import { MUTATION_KINDS, mutate, roughTokens, seededRandom } from './condition-mutations';
import { FIELD_NAME_SHAPES } from './condition-field-shapes';

const oracle = path.join(process.cwd(), '..', 'shared', 'tools', 'filter-oracle');
const sysdigPresent = spawnSync('sh', ['-c', 'command -v sysdig'], { encoding: 'utf8' }).status === 0;
const skip = !corpusExists ? 'corpus absent' : !existsSync(oracle) ? 'filter-oracle absent'
  : !sysdigPresent ? 'sysdig absent (apt-get install -y sysdig)' : false;

const MUTATIONS = 1100;
const SEED = 0x5eed4;

interface OracleVerdict { ok: boolean; pos?: number; message?: string }

/** Field names the 2022 libsinsp knows (`sysdig -l`); `evt.arg.X`/`evt.rawarg.X` dot forms are accepted there too. */
function catalog2022(): (field: string) => boolean {
  const names = new Set<string>();
  for (const line of spawnSync('sysdig', ['-l'], { encoding: 'utf8', maxBuffer: 1 << 24 }).stdout.split('\n')) {
    const m = /^([a-z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+)/.exec(line);
    if (m) names.add(m[1]!);
  }
  return (field) => {
    const base = field.replace(/\[.*$/, '');
    return names.has(base) || /^evt\.(raw)?arg\.[a-zA-Z]/.test(base);
  };
}

/** Asks the oracle about every case, `workers` at a time. The oracle's single-case mode is used: its --jsonl mode
 *  loses a line whenever sysdig's answer carries no position (it passes "-1" to node as an option), and it also
 *  spawns node twice per line, which triples the run time. */
async function askOracle(cases: string[], workers: number): Promise<OracleVerdict[]> {
  const verdicts: OracleVerdict[] = new Array(cases.length);
  let next = 0;
  const ask = (condition: string): Promise<OracleVerdict> => new Promise((resolve, reject) => {
    const child = spawn(oracle, [condition], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.on('error', reject);
    child.on('close', () => {
      const line = out.split('\n')[0] ?? '';
      if (line === 'ok') return resolve({ ok: true });
      const m = /^error (-?\d+) ?(.*)$/.exec(line);
      if (!m) return reject(new Error(`unexpected oracle answer ${JSON.stringify(out)} for ${JSON.stringify(condition)}`));
      resolve({ ok: false, pos: Number(m[1]), message: m[2] ?? '' });
    });
  });
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      verdicts[i] = await ask(cases[i]!);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return verdicts;
}

const NEWER_OPERATOR = /==|\b(bcontains|bstartswith|iglob|regex|intersects|oneof|anyof|allof)\b/;
const TRANSFORMER_CALL = /\b(tolower|toupper|b64|basename|len|join|concat|getopt|val)\(/;
const FIELD_SHAPED = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+(\[[^\]]*\])?$/;

function literalsOf(ast: Expr | undefined): Literal[] {
  const out: Literal[] = [];
  for (const c of comparisonsOf(ast)) {
    if (c.rhs?.kind === 'literal') out.push(c.rhs);
    else if (c.rhs?.kind === 'list') out.push(...c.rhs.items);
  }
  return out;
}

function mixesAndOrWithoutParentheses(ast: Expr | undefined): boolean {
  let mixed = false;
  walkExpr(ast, (e) => {
    if ((e.kind === 'and' || e.kind === 'or') && e.operands.some((o) => (o.kind === 'and' || o.kind === 'or') && o.kind !== e.kind)) mixed = true;
  });
  return mixed;
}

/** Classes of disagreement explained by the 2022 compiler being older than Falco's parser. Each predicate looks at
 *  the case, the oracle's message and the syntax tree; none looks at our verdict. */
function versionGapClass(text: string, oracleVerdict: OracleVerdict, known2022: (f: string) => boolean): string | undefined {
  const message = oracleVerdict.message ?? '';
  // The field-name shapes carry their own class, checked on the oracle's answer (condition-field-shapes.ts).
  const shape = FIELD_NAME_SHAPES.find((s) => s.text === text)?.gap;
  if (shape && (shape.oracle === 'ok' ? oracleVerdict.ok : !oracleVerdict.ok && shape.oracle.test(message))) return `field-name shape: ${shape.why}`;
  const parsed = parseCondition(text);
  if (!oracleVerdict.ok) {
    const unknown = /unrecognized field (\S+) at pos/.exec(message);
    if (unknown && FIELD_SHAPED.test(unknown[1]!) && !known2022(unknown[1]!)) return 'field newer than the 2022 catalog';
    if (NEWER_OPERATOR.test(text)) return 'operator or modifier newer than the 2022 compiler (==, bcontains, iglob, regex, intersects, oneof...)';
    if (TRANSFORMER_CALL.test(text)) return 'transformer or val() (Falco 0.38+)';
    if (message.includes("mixes 'and' and 'or'") && mixesAndOrWithoutParentheses(parsed.ast)) return "and/or mixed without parentheses (the 2022 compiler demands them; Falco's parser binds 'and' tighter)";
    if (message.includes('unrecognized escape sequence') && literalsOf(parsed.ast).some((l) => !l.quoted && l.text.includes('\\'))) {
      return 'backslash in an unquoted value (the 2022 compiler unescapes bare values; Falco takes them literally)';
    }
  }
  if (!oracleVerdict.ok && message.startsWith('unknown event type')) return 'evt.type value that is not an event name (a load-time check in Falco, not syntax)';
  if (literalsOf(parsed.ast).some((l) => l.quoted && /["']/.test(text.slice(l.span.start + 1, l.span.end - 1)))) {
    return 'a quote of the other kind inside a quoted string (the 2022 compiler ends a string at either quote)';
  }
  if (oracleVerdict.ok) {
    // The 2022 compiler is a character-level state machine that accepts inputs Falco's parser (libs 0.5+) rejects.
    if (/,\s*[,)]|\(\s*,/.test(text)) return 'empty item in a value list (the 2022 compiler reads an empty string)';
    if (/(=|!=|<=|>=|<|>)\s+=/.test(text)) return "'=' starting an unquoted value (the 2022 compiler allows it; Falco's bare strings exclude '=')";
    if (/\b(and|or)\s*\)/.test(text)) return "'and'/'or' right before ')' (the 2022 compiler ignores the dangling keyword)";
    if (/(=|<|>|\b(contains|icontains|startswith|endswith|glob|pmatch))\s*(\)|$)/.test(text)) return "missing value before ')' or at the end (the 2022 compiler reads an empty value)";
    const tokens = roughTokens(text);
    const operators = new Set(['=', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'in', 'pmatch']);
    const afterComparison = (i: number): boolean => {
      const prev = tokens[i - 1]?.text;
      if (prev === undefined) return false;
      // `x icontains and not y`: the word 'and' is the value there, so 'not' still follows a comparison.
      if (prev === 'and' || prev === 'or') return operators.has(tokens[i - 2]?.text ?? '');
      return !['(', 'not'].includes(prev);
    };
    if (tokens.some((t, i) => t.text === 'not' && afterComparison(i))) {
      return "'not' right after a comparison, without 'and'/'or' (the 2022 compiler accepts it)";
    }
  }
  return undefined;
}

/** Rewrites a condition to the 2022 vocabulary: fields unknown there become proc.pid (numeric comparisons) or
 *  proc.name, newer operators their closest older ones, transformers their field. The syntax shape is unchanged. */
function to2022Vocabulary(text: string, known2022: (f: string) => boolean): string {
  const ast = parseCondition(text).ast;
  const edits: { start: number; end: number; text: string }[] = [];
  const transformed = new Set<Expr>();
  for (const c of comparisonsOf(ast)) {
    if (c.lhs.kind === 'field' && !known2022(c.lhs.name + (c.lhs.arg ? `[${c.lhs.arg.text}]` : ''))) {
      edits.push({ ...c.lhs.span, text: ['<', '<=', '>', '>='].includes(c.op) ? 'proc.pid' : 'proc.name' });
    }
    const older: Record<string, string> = { '==': '=', intersects: 'in', bcontains: 'contains', bstartswith: 'startswith', iglob: 'glob', regex: 'glob' };
    if (older[c.op]) edits.push({ ...c.opSpan, text: older[c.op]! });
    if (c.lhs.kind === 'transformer') transformed.add(c);
  }
  for (const t of transformersOf(ast)) {
    const inner = fieldsOf({ kind: 'compare', lhs: t, op: 'exists', opSpan: t.span, span: t.span })[0];
    if (inner) edits.push({ ...t.span, text: inner.name });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const e of edits) {
    if (e.end > lastStart) continue; // nested edit inside one already applied
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}

test('differential: condition verdicts agree with libsinsp (filter-oracle) on official rules and 1,000+ mutations', { skip, timeout: 20 * 60_000 }, async () => {
  const known2022 = catalog2022();
  const dir = path.join(corpusDir, 'rules', 'falcosecurity__rules');
  const { macros, lists, rules } = loadTogether(['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => path.join(dir, f)));
  // The 2022 compiler does not count line breaks as blanks; Falco's parser does. Folded and literal YAML blocks
  // leave line breaks in conditions, so blanks are normalised for both sides.
  const expanded = [...rules.values()].map((c) => expandForOracle(c, macros, lists).replace(/[\r\n\t]/g, ' '));
  const downgraded = expanded.map((c) => to2022Vocabulary(c, known2022));
  // Field names as libsinsp's parser lexes them (`k8s.ns.label.app-tier`, `.1app`, trailing dots, brackets...).
  const cases = new Set<string>([...expanded, ...downgraded, ...FIELD_NAME_SHAPES.map((s) => s.text)]);
  const bases = [...new Set(downgraded)];
  const random = seededRandom(SEED);
  let mutations = 0;
  for (let attempt = 0; mutations < MUTATIONS && attempt < MUTATIONS * 10; attempt++) {
    // Mostly the 2022-vocabulary bases, so the oracle can judge the syntax; sometimes the originals.
    const base = random() < 0.85 ? bases[Math.floor(random() * bases.length)]! : expanded[Math.floor(random() * expanded.length)]!;
    const kind = MUTATION_KINDS[attempt % MUTATION_KINDS.length]!;
    const mutated = mutate(base, kind, random);
    // sysdig would read a leading '-' as an option; an empty filter is not a condition.
    if (mutated === undefined || mutated.trim() === '' || mutated.trimStart().startsWith('-') || cases.has(mutated)) continue;
    cases.add(mutated);
    mutations++;
  }
  assert.ok(mutations >= 1000, `only ${mutations} distinct mutations`);
  const all = [...cases];

  const started = Date.now();
  const verdicts = await askOracle(all, 2);
  const seconds = (Date.now() - started) / 1000;

  const excluded = new Map<string, number>();
  const disagreements: string[] = [];
  let agreements = 0;
  let oracleRejections = 0;
  all.forEach((text, i) => {
    const o = verdicts[i]!;
    const parsed = parseCondition(text);
    // Every macro was expanded: a remaining bare name is an undefined macro, which Falco rejects as the oracle does.
    const ours = parsed.errors.length === 0 && macroRefsOf(parsed.ast).length === 0;
    if (!o.ok) oracleRejections++;
    if (ours === o.ok) { agreements++; return; }
    const gap = versionGapClass(text, o, known2022);
    if (gap) { excluded.set(gap, (excluded.get(gap) ?? 0) + 1); return; }
    disagreements.push(`oracle ${o.ok ? 'accepts' : `rejects (${o.pos}: ${o.message})`}, parser ${ours ? 'accepts' : `rejects (${parsed.errors[0]?.message ?? 'macro ' + macroRefsOf(parsed.ast)[0]?.name} at ${parsed.errors[0]?.span.start})`}: ${JSON.stringify(text.length > 400 ? text.slice(0, 400) + '…' : text)}`);
  });
  const summary = [
    `differential: ${all.length} cases (${rules.size} rules, ${new Set(downgraded).size} 2022-vocabulary variants, ${mutations} mutations) in ${seconds.toFixed(0)} s`,
    `  agreements: ${agreements} (oracle rejections among all cases: ${oracleRejections})`,
    ...[...excluded].map(([k, n]) => `  version gap, excluded: ${n} × ${k}`),
    `  disagreements: ${disagreements.length}`,
  ].join('\n');
  console.log(summary);
  // FALCO_LENS_DIFF_DUMP=file writes the disagreements in full, for investigation.
  if (process.env.FALCO_LENS_DIFF_DUMP) writeFileSync(process.env.FALCO_LENS_DIFF_DUMP, disagreements.join('\n'));
  assert.deepEqual(disagreements, [], summary);
  // The exclusions must stay the exception: most cases are judged.
  assert.ok(agreements >= all.length * 0.8, summary);
});
