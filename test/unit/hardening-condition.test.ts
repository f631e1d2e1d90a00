// Hardening: the condition and output parsers never throw, stay within their input and flag invalid input, whatever
// they are given (seeded token soups, corpus mutations, pathological nesting and size, NUL and lone surrogates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { parseCondition, parseOutput, walkExpr, fieldsOf } from '../../server/src/service/rules/condition';
import type { ConditionParse, OutputParse, Span } from '../../server/src/service/rules/conditionAst';
import { NASTY_PIECES, Random, corpusExists, corpusFiles } from '../fixtures/hardening/random';

const TOKENS = [
  'and', 'or', 'not', '(', ')', '(', ')', ' ', ' ', ' ', '\t', '\n', '=', '==', '!=', '<', '<=', '>', '>=', 'in', 'pmatch',
  'intersects', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex', 'exists', 'oneof', 'val(',
  'proc.name', 'fd.name', 'evt.type', 'proc.aname[2]', 'evt.arg.flags', 'evt.arg[0]', 'tolower(', 'b64(', 'getopt(',
  'join(', ',', '"', "'", '"a b"', "'x'", '"\\x4', '"\\q"', '[', ']', 'spawned_process', 'shell_procs', '(bash, sh)', '123',
  '0x1f', '-5', '%', '%proc.name', '%%', '%10evt.time', '*', '\\', ...NASTY_PIECES,
];

function spanInside(span: Span, length: number): boolean {
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length;
}

/** The invariants of a condition parse: spans inside the input; an AST or at least one error; errors carry messages. */
function checkCondition(text: string, parse: ConditionParse): void {
  const where = `condition ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`;
  assert.ok(Array.isArray(parse.errors), where);
  assert.ok(parse.ast || parse.errors.length > 0, `${where}: neither an AST nor an error`);
  for (const e of parse.errors) {
    assert.ok(typeof e.message === 'string' && e.message.length > 0, `${where}: empty error message`);
    assert.ok(spanInside(e.span, text.length), `${where}: error span ${JSON.stringify(e.span)} outside 0..${text.length}`);
  }
  let nodes = 0;
  walkExpr(parse.ast, (e) => {
    nodes++;
    assert.ok(spanInside(e.span, text.length), `${where}: ${e.kind} span ${JSON.stringify(e.span)} outside the input`);
    if (e.kind === 'error') assert.ok(parse.errors.length > 0, `${where}: an error node without an error`);
  });
  for (const f of fieldsOf(parse.ast)) {
    assert.ok(spanInside(f.span, text.length) && spanInside(f.nameSpan, text.length), `${where}: field ${f.name} span outside`);
    if (f.kind === 'field' && f.arg) assert.ok(spanInside(f.arg.span, text.length), `${where}: field argument span outside`);
  }
  if (parse.ast) assert.ok(nodes > 0);
}

function checkOutput(text: string, parse: OutputParse): void {
  const where = `output ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`;
  for (const e of parse.errors) {
    assert.ok(e.message.length > 0, `${where}: empty error message`);
    assert.ok(spanInside(e.span, text.length), `${where}: error span outside`);
  }
  for (const f of parse.fields) {
    assert.ok(spanInside(f.span, text.length) && spanInside(f.nameSpan, text.length), `${where}: field span outside`);
    assert.ok(f.span.start <= f.nameSpan.start && f.nameSpan.end <= f.span.end, `${where}: name outside its reference`);
    assert.equal(text[f.span.start], '%', `${where}: a field reference starts at '%'`);
  }
}

function soup(random: Random, maxTokens: number): string {
  const n = 1 + random.int(maxTokens);
  let out = '';
  for (let i = 0; i < n; i++) {
    out += random.pick(TOKENS);
    if (random.chance(0.6)) out += ' ';
  }
  return out;
}

test('random token soups: parseCondition and parseOutput never throw and keep every span inside the input (seed 1701)', () => {
  const random = new Random(1701);
  for (let i = 0; i < 4000; i++) {
    const text = soup(random, 40);
    checkCondition(text, parseCondition(text));
    checkOutput(text, parseOutput(text));
    checkOutput(text, parseOutput(text, (name) => name.length % 2 === 0));
  }
});

test('a valid condition stays error-free and an unbalanced one is always flagged (seed 7)', () => {
  const random = new Random(7);
  const atoms = ['proc.name = bash', 'fd.name startswith /etc', 'evt.type in (open, openat)', 'spawned_process', 'proc.aname[2] exists'];
  for (let i = 0; i < 500; i++) {
    let text = random.pick(atoms);
    for (let k = random.int(6); k > 0; k--) text = random.chance(0.3) ? `not (${text})` : `(${text}) ${random.pick(['and', 'or'])} ${random.pick(atoms)}`;
    const good = parseCondition(text);
    checkCondition(text, good);
    assert.deepEqual(good.errors, [], text);
    for (const broken of [`(${text}`, `${text})`, `${text} and`, `${text} "open`, `not`]) {
      const parse = parseCondition(broken);
      checkCondition(broken, parse);
      assert.ok(parse.errors.length > 0, `invalid condition accepted: ${broken}`);
    }
  }
});

test('pathological shapes: 10,000 parentheses, 100,000 nots, 1 MB conditions, unterminated strings, NUL and lone surrogates', () => {
  const cases: string[] = [
    '('.repeat(10_000),
    `${'('.repeat(10_000)}proc.name = bash${')'.repeat(10_000)}`,
    `${'not '.repeat(100_000)}proc.name = bash`,
    `${'tolower('.repeat(5_000)}proc.name${')'.repeat(5_000)} = x`,
    `proc.name in ${'('.repeat(5_000)}`,
    `proc.name = val(${'val('.repeat(5_000)}`,
    Array.from({ length: 40_000 }, (_, i) => `proc.name = p${i}`).join(' and '),
    `proc.name in (${Array.from({ length: 100_000 }, (_, i) => `item${i}`).join(', ')})`,
    `proc.cmdline contains "${'a'.repeat(1_000_000)}`,
    `proc.cmdline contains '${'\\'.repeat(999_999)}`,
    `proc.name = "${'\\x'.repeat(10_000)}"`,
    'x'.repeat(1_000_000),
    ' '.repeat(1_000_000),
    'proc.name = "a\u0000b" and fd.name = \u0000',
    '\u0000',
    'proc.name = \uD800 and fd.name = "\uDFFF"',
    '\uD83D',
    `proc.name[${'['.repeat(10_000)}`,
    `${'proc.name = a or '.repeat(50_000)}`,
    '',
  ];
  for (const text of cases) checkCondition(text, parseCondition(text));
  assert.ok(parseCondition('('.repeat(10_000)).errors.length > 0);
  assert.ok(parseCondition('').errors.length > 0, 'an empty condition is an error');
  const outputs = [
    '%'.repeat(1_000_000), `${'%proc.name '.repeat(100_000)}`, `%${'tolower('.repeat(10_000)}proc.name`, `%proc.name[${'x'.repeat(1_000_000)}`,
    '%(', '%)', '%proc.name[', '%\u0000', '%\uD800', '*', '*%', '%99999999999999999999proc.name', '',
  ];
  for (const text of outputs) checkOutput(text, parseOutput(text));
  assert.ok(parseOutput('%'.repeat(11)).errors.length > 0);
});

function corpusStrings(): { conditions: string[]; outputs: string[] } {
  const conditions: string[] = [];
  const outputs: string[] = [];
  for (const file of corpusFiles('rules', /\.ya?ml$/)) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const items: unknown = doc.toJS();
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        if (item && typeof item === 'object') {
          const { condition, output } = item as Record<string, unknown>;
          if (typeof condition === 'string') conditions.push(condition);
          if (typeof output === 'string') outputs.push(output);
        }
      }
    }
  }
  return { conditions, outputs };
}

function mutate(random: Random, text: string): string {
  let out = text;
  for (let k = 1 + random.int(4); k > 0; k--) {
    const at = random.int(out.length + 1);
    switch (random.int(5)) {
      case 0: out = out.slice(0, at) + out.slice(at + 1 + random.int(8)); break; // delete a few characters
      case 1: out = out.slice(0, at) + random.pick(TOKENS) + out.slice(at); break; // insert a token
      case 2: out = out.slice(0, at); break; // truncate
      case 3: out = out.slice(0, at) + out.slice(at, at + 20).repeat(2 + random.int(3)) + out.slice(at + 20); break; // duplicate
      default: out = out.slice(0, at) + random.pick(NASTY_PIECES) + out.slice(at); break;
    }
  }
  return out;
}

test('mutated corpus conditions and outputs never throw and keep spans inside (seed 4242)', { skip: !corpusExists && 'corpus absent' }, () => {
  const { conditions, outputs } = corpusStrings();
  assert.ok(conditions.length > 100 && outputs.length > 100, 'corpus has conditions and outputs');
  const random = new Random(4242);
  for (let i = 0; i < 3000; i++) {
    const c = mutate(random, random.pick(conditions));
    checkCondition(c, parseCondition(c));
    const o = mutate(random, random.pick(outputs));
    checkOutput(o, parseOutput(o));
  }
});
