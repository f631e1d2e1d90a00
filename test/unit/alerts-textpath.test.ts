// The text-alert path of parseLine and TemplateLibrary.identifyRule skips work the plain forms did on every line:
// wrapper expressions only on lines that start as they require, the priority word looked up as printed, the glued
// summary searched for only on a line ending with a digit; identifyRule looks its candidates up by a number instead of
// a prefix string, searches for the container suffix only when a template does not match the whole output, and
// rejects a template by its last literal first. Each must give exactly what the plain form gives: the plain forms are
// kept here as the reference and compared on the alert fixtures, the corpus alert samples and rule templates, their
// seeded mutations, and seeded random lines built from the pieces the fast paths react to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CRI_PREFIX, STERN_PREFIX, SYSLOG_PREFIX, parseLine } from '../../server/src/service/alerts/parse';
import { parsePriority } from '../../server/src/service/alerts/priority';
import { TemplateLibrary, matchTemplate, type CompiledTemplate } from '../../server/src/service/alerts/templates';
import type { RuleSummary } from '../../server/src/service/features';
import { FIXTURES, ruleSummaries } from '../fixtures/alerts/helpers';
import { referenceScore, templatesInLibraryOrder } from '../fixtures/alerts/templateReference';
import { NASTY_PIECES, Random, corpusExists, corpusFiles } from '../fixtures/hardening/random';

const intern = (s: string) => s;

// ---- parseLine: the plain forms

interface WrapperReading { wrapper?: 'cri' | 'syslog' | 'stern'; payloadStart: number; partial: boolean }

/** The wrapper of a line as parseLine read it before: both expressions on every line that does not start with '{'. */
function wrapperByRegex(line: string): WrapperReading {
  const first = line.charCodeAt(0);
  // stern's names (a lowercase first letter: no CRI or syslog line), then its time if any.
  const stern = /^[a-z]/.test(line) ? STERN_PREFIX.exec(line) : null;
  if (stern) {
    const time = /^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})|\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (?=[{\d])/.exec(line.slice(stern[0].length));
    return { wrapper: 'stern', payloadStart: stern[0].length + (time?.[0].length ?? 0), partial: false };
  }
  const cri = first === 123 ? null : CRI_PREFIX.exec(line);
  if (cri) return { wrapper: 'cri', payloadStart: Math.min(line.length, cri[0].length), partial: cri[3] === 'P' };
  const syslog = first !== 123 ? SYSLOG_PREFIX.exec(line) : null;
  return syslog ? { wrapper: 'syslog', payloadStart: syslog[0].length, partial: false } : { payloadStart: 0, partial: false };
}

/** The end of a text alert's output as found before: the glued summary searched for on every line that has its words. */
function outputEndByRegex(line: string, timeStart: number, outputStart: number): number {
  const body = line.slice(timeStart);
  const start = outputStart - timeStart;
  let end = body.length;
  const glued = body.includes('Events detected: ', start) ? /(?:\^C)?Events detected: \d+$/.exec(body) : null;
  if (glued && glued.index >= start) end = glued.index;
  while (end > start && body.charCodeAt(end - 1) === 32) end--;
  return timeStart + end;
}

function sampleLines(): string[] {
  const files = [
    ...fs.readdirSync(FIXTURES).filter((n) => /\.(log|json)$/.test(n)).sort().map((n) => path.join(FIXTURES, n)),
    ...corpusFiles('alerts', /\.(jsonl?|txt|log)$/),
  ];
  return files.flatMap((f) => fs.readFileSync(f, 'utf8').split(/\r?\n/)).filter((l) => l !== '');
}

/** Pieces the fast paths test: first characters of each wrapper, dates, month names, priority words, the summary. */
const LINE_PIECES: readonly string[] = [
  '2024-01-03T19:39:42.522581168Z stdout F ', '2024-01-03T19:39:42Z stderr P ', '2024-01-03T19:39:42+01:00 stdout F',
  'Jan  3 19:39:42 host falco: ', 'Dec 31 23:59:59 h falco[12]: ', '2024-01-03T19:39:42.123+00:00 host falco[12]: ', 'Jan', 'Sun Jul 23 15:28:36 2023: ',
  '19:39:42.522581168: ', '2024-01-03T19:39:42.522581168+0000: ', '2024-', '2024', '202', '-', ':', ' ', '  ', '\t', 'T', 'Z',
  'Warning ', 'warning ', 'WARNING ', 'Info ', 'info ', 'Informational ', 'Warn ', 'Critical ', 'Debug ', 'Emergency ', 'Alert ', 'Notice ', 'Error ',
  'Events detected: 12', '^CEvents detected: 3', 'Events detected: ', '7', '0', 'x', 'A', 'a', '{', '<13>', '(', ')', 'k=v ', '(user=x ',
];

function randomLine(random: Random): string {
  let line = '';
  for (let n = 1 + random.int(10); n > 0; n--) line += random.next() < 0.9 ? random.pick(LINE_PIECES) : random.pick(NASTY_PIECES);
  return line;
}

function mutate(random: Random, line: string): string {
  const roll = random.next();
  const at = random.int(line.length + 1);
  if (roll < 0.35) return line.slice(0, at) + random.pick(LINE_PIECES) + line.slice(at);
  if (roll < 0.5) return line.slice(0, at);
  if (roll < 0.65) return line.slice(0, at) + line.slice(Math.min(line.length, at + 1 + random.int(8)));
  if (roll < 0.8) return random.pick(LINE_PIECES) + line;
  if (roll < 0.9) return line + random.pick(LINE_PIECES);
  return line.slice(0, at) + random.pick(NASTY_PIECES) + line.slice(at);
}

function lineInputs(seed: number, count: number): string[] {
  const random = new Random(seed);
  const samples = sampleLines();
  const out = [...samples];
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    if (roll < 0.5) out.push(mutate(random, random.pick(samples)));
    else if (roll < 0.8) out.push(randomLine(random));
    else out.push(mutate(random, mutate(random, random.pick(samples))));
  }
  return out;
}

test('parseLine reads the wrapper, the priority and the output end of every line as the plain expressions do (fixtures, corpus samples, seed 611)', () => {
  let wrapped = 0;
  let text = 0;
  let glued = 0;
  for (const line of lineInputs(611, 40_000)) {
    const parsed = parseLine(line, intern);
    if (parsed.docker) continue; // a Docker line's payload is read by parsePayload, which the wrapper step does not reach
    const expected = wrapperByRegex(line);
    assert.equal(parsed.wrapper, expected.wrapper, JSON.stringify(line));
    assert.equal(parsed.payloadStart, expected.payloadStart, JSON.stringify(line));
    assert.equal(parsed.partial ?? false, expected.partial, JSON.stringify(line));
    if (expected.wrapper) wrapped++;
    const alert = parsed.alert;
    if (alert?.format !== 'text') continue;
    text++;
    const word = line.slice(alert.priorityStart, alert.priorityEnd);
    assert.equal(alert.priority, parsePriority(word) ?? -1, JSON.stringify(line));
    assert.equal(parsed.problems?.some((p) => p.code === 'unknown-priority') ?? false, parsePriority(word) === undefined, JSON.stringify(line));
    const outputEnd = outputEndByRegex(line, alert.timeStart!, alert.outputStart!);
    assert.equal(alert.outputEnd, outputEnd, JSON.stringify(line));
    if (outputEnd < line.length && line.includes('Events detected: ')) glued++;
  }
  // The inputs reach every branch the fast paths decide.
  assert.ok(wrapped > 1000 && text > 5000 && glued > 50, `${wrapped} wrapped, ${text} text alerts, ${glued} glued summaries`);
});

// ---- identifyRule: the plain form


/** identifyRule as it was: every template whose first literal starts the output is matched (suffix searched for
 *  first, with the values built), and the best score wins, the first of equal scores. */
function identifyByReference(templates: CompiledTemplate[], output: string, priority: number): RuleSummary | undefined {
  let best: RuleSummary | undefined;
  let bestScore = 0;
  for (const t of templates) {
    if (!output.startsWith(t.literals[0]) || !matchTemplate(output, t)) continue;
    const score = referenceScore(t, priority);
    if (best === undefined || score > bestScore) { best = t.rule; bestScore = score; }
  }
  return best;
}

const VALUES: readonly string[] = [
  'x', '', 'a b', '/usr/bin/sh', '<NA>', '12', 'k=v', ' container_id=', 'container_id=', ')', '(', ' ', 'value with container_name=c', '|', ' | ',
  'user=root', 'project=p', 'Events detected: 1', '😀', '\u00a0',
];
const SUFFIXES: readonly string[] = [
  ' container_id=abc123 container_name=web', ' container_id=host container_name=host container_image_repository=<NA> container_image_tag=<NA> k8s_pod_name=<NA> k8s_ns_name=<NA>',
  ' container_id=', 'container_id=x', ' container_id=a container_id=b', ')', ' ', '',
];

function renderedOutputs(rules: RuleSummary[], templates: CompiledTemplate[], random: Random): string[] {
  const outputs: string[] = [];
  const literalPieces = templates.flatMap((t) => t.literals).filter((l) => l !== '');
  for (const rule of rules) {
    if (!rule.output) continue;
    for (let k = 0; k < 4; k++) {
      // A value is sometimes a literal of another template (or of this one), which a linear matcher must not take for its own.
      const rendered = rule.output.trim().replace(/%[A-Za-z_][\w.]*(?:\[[^\]]*\])?/g, () => random.next() < 0.15 ? random.pick(literalPieces) : random.pick(VALUES));
      outputs.push(rendered, rendered + random.pick(SUFFIXES));
      const mutated = rendered + random.pick(SUFFIXES);
      const at = random.int(mutated.length + 1);
      const roll = random.next();
      if (roll < 0.25) outputs.push(mutated.slice(0, at));
      else if (roll < 0.5) outputs.push(mutated.slice(0, at) + mutated.slice(Math.min(mutated.length, at + 1 + random.int(6))));
      else if (roll < 0.75) outputs.push(mutated.slice(0, at) + random.pick([...VALUES, ...NASTY_PIECES]) + mutated.slice(at));
      else outputs.push(mutated.slice(0, at) + random.pick(literalPieces) + mutated.slice(at));
    }
  }
  outputs.push('', 'a', 'proj', 'projec', 'project', 'project=', ' container_id=x', 'container_id=x');
  return outputs;
}

test('identifyRule names the rule the plain matching names, on rendered templates of the official and plugin rules with and without the container suffix, and seeded mutations (seed 612)', { skip: !corpusExists && 'corpus absent' }, () => {
  const rules = [
    ...corpusFiles('rules/falcosecurity__rules', /_rules\.yaml$/),
    ...corpusFiles('rules/falcosecurity__plugins', /\.ya?ml$/),
  ].flatMap((f) => { try { return ruleSummaries(f); } catch { return []; } });
  assert.ok(rules.length > 100, `${rules.length} rules`);
  const library = new TemplateLibrary();
  library.refresh(rules);
  const templates = templatesInLibraryOrder(rules);
  const random = new Random(612);
  let named = 0;
  let unnamed = 0;
  for (const output of renderedOutputs(rules, templates, random)) {
    for (const priority of [-1, random.int(8)]) {
      const expected = identifyByReference(templates, output, priority);
      assert.equal(library.identifyRule(output, priority), expected, JSON.stringify(output));
      if (expected) named++; else unnamed++;
    }
  }
  assert.ok(named > 2000 && unnamed > 200, `${named} named, ${unnamed} not`);
});

test('identifyRule tells apart templates whose first characters give the same lookup number, and short outputs', () => {
  // 'Aa' and 'BB' give the same 31-based hash: the library's lookup number of the two prefixes is the same.
  const rule = (name: string, output: string, priority = 'WARNING'): RuleSummary => ({ name, source: 'syscall', output, priority, tags: [], enabled: true });
  const rules = [
    rule('A', 'AaXXXX opened %fd.name by %proc.name'), rule('B', 'BBXXXX opened %fd.name by %proc.name'),
    rule('B suffix', 'BBXXXX opened %fd.name (user=%user.name)'), rule('short', 'x=%proc.name'), rule('bare', 'Hello'),
    rule('Exact', 'Something happened | file=%fd.name proc=%proc.name', 'NOTICE'), rule('Exact warning', 'Something happened | file=%fd.name proc=%proc.name'),
  ];
  const library = new TemplateLibrary();
  library.refresh(rules);
  const templates = templatesInLibraryOrder(rules);
  const outputs = [
    'AaXXXX opened /etc/x by cat', 'BBXXXX opened /etc/x by cat', 'BBXXXX opened /etc/x (user=root)', 'BBXXXX opened /etc/x (user=root) container_id=c container_name=n',
    'AaXXXX opened', 'x=cat', 'x=', 'x', 'Hello', 'Hello container_id=a', 'Hell', '', 'Something happened | file=/x proc=sh container_id=1 container_name=n',
    'Something happened | file=/x proc=sh',
  ];
  for (const output of outputs) {
    for (const priority of [-1, 4, 5]) assert.equal(library.identifyRule(output, priority), identifyByReference(templates, output, priority), `${JSON.stringify(output)} ${priority}`);
  }
  assert.equal(library.identifyRule('BBXXXX opened /etc/x by cat', -1)?.name, 'B');
  assert.equal(library.identifyRule('AaXXXX opened /etc/x by cat', -1)?.name, 'A');
  assert.equal(library.identifyRule('BBXXXX opened /etc/x (user=root) container_id=c container_name=n', -1)?.name, 'B suffix');
  assert.equal(library.identifyRule('Something happened | file=/x proc=sh', 5)?.name, 'Exact');
  assert.equal(library.identifyRule('Something happened | file=/x proc=sh', 4)?.name, 'Exact warning');
});
