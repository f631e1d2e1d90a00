// The rules grammar (syntaxes/falco-rules.tmLanguage.json) on real rules files: conditions in every YAML scalar
// style, outputs, priorities, overrides, and the boundaries of the condition and output regions. A corpus-wide test
// compares the grammar with the condition and output parsers: every field, macro, transformer and operator the parser
// finds must carry the matching scope at the same document position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, isMap, isSeq, isScalar, type Scalar } from 'yaml';
import { comparisonsOf, fieldsOf, macroRefsOf, parseCondition, parseOutput, transformersOf } from '../../server/src/service/rules/condition';
import { buildScalarMap, type ScalarSourceToken } from '../../server/src/service/rules/scalar';
import {
  corpusDir, corpusExists, expectNoScope, expectScope, expectWholeToken, findLine, realYamlGrammar, scopesAt, tokenize,
  yamlGrammarSource, matchesScope, type TokenizedLine,
} from './grammar-helpers';

const RULES = 'source.falco-rules';
const FIELD = 'support.variable.field.falco';
const MACRO = 'entity.name.function.macro.falco';
const COMPARISON = 'keyword.operator.comparison.falco';
const LOGICAL = 'keyword.operator.logical.falco';
const CONDITION = 'meta.embedded.condition.falco';
const OUTPUT = 'string.unquoted.output.falco';
const KEY = 'entity.name.tag.yaml';
const officialRules = join(corpusDir, 'rules', 'falcosecurity__rules', 'falco_rules.yaml');
const sandboxRules = join(corpusDir, 'rules', 'falcosecurity__rules', 'falco-sandbox_rules.yaml');
const noCorpus = !corpusExists && 'corpus absent';

/** The lines of the item `- <kind>: <name>` up to the next item, as they appear in `text`. */
function itemText(text: string, kind: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `- ${kind}: ${name}`);
  assert.ok(start >= 0, `no ${kind} ${name}`);
  let end = start + 1;
  while (end < lines.length && !lines[end].startsWith('- ')) end++;
  return lines.slice(start, end).join('\n');
}

test(`embedded YAML: ${yamlGrammarSource}`, async (t) => {
  if (!realYamlGrammar) t.diagnostic('source.yaml.embedded is an empty stub: run `npm run test:e2e` once to install VS Code server and test against its YAML grammar');
  // Falco keys stay Falco keys whatever YAML does with the lines around them.
  const lines = await tokenize(RULES, '- list: l\n  items: [a, b]\n');
  expectScope(lines[0], 'list', 'keyword.other.item.falco');
  expectScope(lines[0], 'l', 'entity.name.function.falco');
  if (realYamlGrammar) expectScope(lines[1], 'items', KEY);
});

test('plain condition (corpus macro open_write): fields, operators, strings, numbers', { skip: noCorpus }, async () => {
  const lines = await tokenize(RULES, itemText(readFileSync(officialRules, 'utf8'), 'macro', 'open_write'));
  const line = findLine(lines, 'condition:');
  expectScope(line, 'condition', KEY);
  for (const field of ['evt.type', 'evt.is_open_write', 'fd.typechar', 'fd.num']) {
    expectScope(line, field, FIELD);
    expectWholeToken(line, field);
  }
  expectScope(line, 'in', COMPARISON);
  expectNoScope(line, 'in', FIELD);
  expectScope(line, '=', COMPARISON);
  expectScope(line, '>=', COMPARISON);
  expectScope(line, 'and', LOGICAL);
  expectScope(line, "'f'", 'string.quoted.single.falco');
  expectScope(line, '0', 'constant.numeric.falco');
  // A field is one token: the part after the last dot is not a separate word.
  expectNoScope(line, 'is_open_write', MACRO);
});

test('folded condition after a folded desc (corpus rule Read sensitive file untrusted)', { skip: noCorpus }, async () => {
  const lines = await tokenize(RULES, itemText(readFileSync(officialRules, 'utf8'), 'rule', 'Read sensitive file untrusted'));
  expectScope(lines[0], 'Read sensitive file untrusted', 'entity.name.function.falco');
  // The desc block is YAML text, not a condition.
  expectNoScope(findLine(lines, 'sensitive file (e.g.'), 'An attempt to read', CONDITION);
  const head = findLine(lines, 'condition: >');
  expectScope(head, 'condition', KEY);
  expectScope(head, '>', 'keyword.control.flow.block-scalar.falco');
  expectScope(findLine(lines, '    open_read'), 'open_read', MACRO);
  expectScope(findLine(lines, 'and sensitive_files'), 'and', LOGICAL);
  expectScope(findLine(lines, 'and sensitive_files'), 'sensitive_files', MACRO);
  const notIn = findLine(lines, 'and not proc.name in (user_mgmt_binaries');
  expectScope(notIn, 'not', LOGICAL);
  expectScope(notIn, 'proc.name', FIELD);
  expectScope(notIn, 'in', COMPARISON);
  // The region ends at the next key of the item.
  const output = findLine(lines, '  output:');
  expectScope(output, 'output', KEY);
  expectNoScope(output, 'output', CONDITION);
  expectScope(output, '%fd.name', 'variable.other.field.output.falco');
  expectScope(output, 'fd.name', FIELD);
  expectNoScope(output, 'file=', FIELD);
  expectScope(findLine(lines, '  priority:'), 'WARNING', 'markup.changed.priority.warning.falco');
  expectNoScope(findLine(lines, '  tags:'), 'tags', CONDITION);
});

test('literal and chomped block conditions colour every line', { skip: noCorpus }, async () => {
  const folded = itemText(readFileSync(officialRules, 'utf8'), 'rule', 'Read sensitive file untrusted');
  for (const header of ['|', '|-', '>-', '>+', '|2']) {
    const lines = await tokenize(RULES, folded.replace('condition: >', `condition: ${header}`));
    expectScope(findLine(lines, 'condition:'), header, 'keyword.control.flow.block-scalar.falco');
    const body = lines.slice(lines.findIndex((l) => l.text.includes('condition:')) + 1, lines.findIndex((l) => l.text.includes('  output:')));
    assert.ok(body.length > 5);
    for (const line of body) {
      if (line.text.trim() === '') continue;
      expectScope(line, line.text.trim(), CONDITION);
    }
    expectNoScope(findLine(lines, '  output:'), 'output', CONDITION);
  }
});

test('a condition written as the first key of an item (corpus macro recon_binaries_procs)', { skip: noCorpus }, async () => {
  const text = readFileSync(sandboxRules, 'utf8');
  const at = text.indexOf('- condition: (proc.name in (recon_binaries))');
  assert.ok(at >= 0);
  const lines = await tokenize(RULES, text.slice(at, text.indexOf('\n- rule:', at)));
  expectScope(lines[0], '-', 'punctuation.definition.block.sequence.item.yaml');
  expectScope(lines[0], 'condition', KEY);
  expectScope(lines[0], 'proc.name', FIELD);
  expectScope(lines[0], 'recon_binaries', CONDITION);
  // `  macro: recon_binaries_procs` is the next key of the same item, not a continuation of the condition.
  expectNoScope(lines[1], 'macro', CONDITION);
  expectNoScope(lines[1], 'recon_binaries_procs', MACRO);
});

test('the condition region does not swallow the output line, whatever the indentation', async () => {
  const text = [
    '- macro: m',
    '  condition: evt.type = open',
    '  # a comment between keys',
    '- rule: R',
    '  desc: |',
    '    Not a condition: proc.name = x',
    '  condition:',
    '    m and',
    '',
    '    proc.name = "a: b"   # trailing comment',
    '  output: "Opened %fd.name by %proc.name"',
    '  priority: critical',
    '    # deeper comment after priority',
    '  source: syscall',
  ].join('\n');
  const lines = await tokenize(RULES, text);
  expectScope(lines[1], 'evt.type', FIELD);
  expectScope(lines[2], '# a comment between keys', 'comment.line.number-sign');
  expectNoScope(lines[5], 'proc.name', FIELD);
  expectScope(lines[7], 'm', MACRO);
  expectScope(lines[9], 'proc.name', FIELD);
  expectScope(lines[9], '"a: b"', 'string.quoted.double.falco');
  expectScope(lines[9], '# trailing comment', 'comment.line.number-sign');
  expectNoScope(lines[10], 'output', CONDITION);
  expectScope(lines[10], 'output', KEY);
  expectScope(lines[10], 'fd.name', FIELD);
  expectScope(lines[10], 'Opened', OUTPUT);
  expectScope(lines[11], 'critical', 'invalid.illegal.priority.critical.falco');
  expectNoScope(lines[13], 'syscall', OUTPUT);
});

test('conditions in YAML quotes keep Falco strings of the other quote kind', { skip: noCorpus }, async () => {
  const plain = findLine(await tokenize(RULES, itemText(readFileSync(officialRules, 'utf8'), 'macro', 'open_write')), 'condition:').text;
  const value = plain.slice(plain.indexOf('condition: ') + 'condition: '.length);
  const single = `  condition: '${value.replace(/'/g, '"')}'`;
  const double = `  condition: "${value}"`;
  const lines = await tokenize(RULES, `- macro: open_write\n${single}\n- macro: open_write2\n${double}\n`);
  for (const line of [lines[1], lines[3]]) {
    expectScope(line, 'evt.is_open_write', FIELD);
    expectScope(line, 'in', COMPARISON);
    expectScope(line, 'and', LOGICAL);
  }
  expectScope(lines[1], '"f"', 'string.quoted.double.falco');
  expectScope(lines[3], "'f'", 'string.quoted.single.falco');
  expectScope(lines[3], '"', 'punctuation.definition.string.begin.yaml');
});

test('priorities are coloured by severity, in any case', async () => {
  const expected: [string, string][] = [
    ['EMERGENCY', 'invalid.illegal.priority.critical.falco'], ['Alert', 'invalid.illegal.priority.critical.falco'],
    ['CRITICAL', 'invalid.illegal.priority.critical.falco'], ['error', 'invalid.illegal.priority.critical.falco'],
    ['WARNING', 'markup.changed.priority.warning.falco'], ['NOTICE', 'markup.inserted.priority.notice.falco'],
    ['INFO', 'markup.inserted.priority.notice.falco'], ['Informational', 'markup.inserted.priority.notice.falco'],
    ['DEBUG', 'comment.priority.debug.falco'],
  ];
  const lines = await tokenize(RULES, expected.map(([p]) => `  priority: ${p}`).join('\n'));
  expected.forEach(([word, scope], i) => expectScope(lines[i], word, scope));
  // A misspelt priority gets no severity colour (the rules diagnostics report it).
  const wrong = await tokenize(RULES, '  priority: WARNNG');
  expectNoScope(wrong[0], 'WARNNG', 'markup.changed');
});

test('override keys name what is appended or replaced; they are not conditions (examples/falco_rules.local.yaml)', async () => {
  const text = readFileSync(join(process.cwd(), 'examples', 'falco_rules.local.yaml'), 'utf8')
    + '\n- macro: m\n  condition: and proc.name = x\n  override:\n    condition: append\n- rule: r\n  override: {output: replace, priority: replace}\n';
  const lines = await tokenize(RULES, text);
  expectScope(findLine(lines, 'exceptions: append'), 'append', 'keyword.other.override.falco');
  const blockOverride = findLine(lines, '    condition: append');
  expectScope(blockOverride, 'append', 'keyword.other.override.falco');
  expectNoScope(blockOverride, 'append', MACRO);
  expectNoScope(blockOverride, 'append', CONDITION);
  const flow = findLine(lines, 'override: {output');
  expectScope(flow, 'output', KEY);
  expectScope(flow, 'replace', 'keyword.other.override.falco', 1);
  expectNoScope(flow, 'replace', OUTPUT);
  // The example's own condition after the override item is still a condition.
  const appended = findLine(lines, 'condition: and not proc.pname = tini');
  expectScope(appended, 'proc.pname', FIELD);
  expectScope(appended, 'tini', MACRO);
});

test('outputs: plain, quoted (corpus okta rules) and multi-line (corpus cloudtrail rules)', { skip: noCorpus }, async () => {
  const okta = await tokenize(RULES, readFileSync(join(corpusDir, 'rules', 'falcosecurity__plugins', 'okta', 'okta_rules.yaml'), 'utf8'));
  const quoted = findLine(okta, 'output: "A user has changed password');
  expectScope(quoted, 'okta.actor.name', FIELD);
  expectScope(quoted, 'okta.client.ip', FIELD);
  expectScope(quoted, 'A user has changed', OUTPUT);
  const cloudtrail = await tokenize(RULES, readFileSync(join(corpusDir, 'rules', 'falcosecurity__plugins', 'cloudtrail', 'aws_cloudtrail_rules.yaml'), 'utf8'));
  const multi = cloudtrail.findIndex((l) => l.text === '  output:');
  assert.ok(multi > 0, 'a rule with the output on the following lines');
  const withField = cloudtrail.slice(multi + 1).find((l) => l.text.includes('%'))!;
  assert.ok(withField.text.startsWith('    '), withField.text);
  const percent = withField.text.indexOf('%');
  assert.ok(scopesAt(withField, percent + 1).includes(FIELD), withField.text);
  expectScope(withField, withField.text.trim(), OUTPUT);
  expectNoScope(cloudtrail[multi - 1], cloudtrail[multi - 1].text.trim(), OUTPUT);
});

test('a rules file whose first line is not a comment keeps Falco colours (YAML must not take the whole document)', async () => {
  for (const first of ['', '---', '- required_engine_version: 0.50.0', '%YAML 1.2\n---']) {
    const lines = await tokenize(RULES, `${first}\n- rule: R\n  desc: >\n    d\n  condition: spawned_process and proc.name = bash\n  output: x %proc.name\n  priority: NOTICE\n`);
    const condition = findLine(lines, 'condition:');
    expectScope(condition, 'proc.name', FIELD);
    expectScope(condition, 'spawned_process', MACRO);
    expectScope(findLine(lines, 'priority:'), 'NOTICE', 'markup.inserted.priority.notice.falco');
  }
});

test('CRLF line ends and transformers', async () => {
  const lines = await tokenize(RULES, '- macro: m\r\n  condition: tolower(proc.name) startswith oneof (a, b) and val(proc.pname) exists\r\n  output: %toupper(proc.name)\r\n');
  expectScope(lines[1], 'tolower', 'support.function.transformer.falco');
  expectScope(lines[1], 'proc.name', FIELD);
  expectScope(lines[1], 'startswith', COMPARISON);
  expectScope(lines[1], 'oneof', COMPARISON);
  expectScope(lines[1], 'val', 'support.function.transformer.falco');
  expectScope(lines[1], 'exists', COMPARISON);
  expectScope(lines[2], 'toupper', 'support.function.transformer.falco');
  expectScope(lines[2], 'proc.name', FIELD);
});

// ---------------------------------------------------------------------------------------------------------------
// Corpus-wide: the grammar agrees with the parsers on every condition and output of every official rules file.

function rulesFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...rulesFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

interface Position { line: number; column: number }

function positionOf(lineStarts: number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo, column: offset - lineStarts[lo] };
}

test('corpus: every field, macro, transformer and operator found by the parsers has its scope', { skip: noCorpus }, async () => {
  const files = rulesFiles(join(corpusDir, 'rules'));
  assert.ok(files.length >= 10);
  let checked = 0;
  let conditions = 0;
  const failures: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = await tokenize(RULES, text);
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
    const check = (offsetStart: number, offsetEnd: number, scope: string, what: string) => {
      for (let o = offsetStart; o < offsetEnd; o++) {
        const p = positionOf(lineStarts, o);
        const line: TokenizedLine = lines[p.line];
        if (/\s/.test(line.text[p.column] ?? ' ')) continue;
        checked++;
        if (!scopesAt(line, p.column).some((s) => matchesScope(s, scope))) {
          failures.push(`${file.slice(corpusDir.length + 1)}:${p.line + 1}:${p.column + 1} ${what} lacks ${scope}: ${line.text.trim()}`);
          return;
        }
      }
    };
    const checkAbsent = (offset: number, scope: string, what: string) => {
      const p = positionOf(lineStarts, offset);
      if (scopesAt(lines[p.line], p.column).some((s) => matchesScope(s, scope))) {
        failures.push(`${file.slice(corpusDir.length + 1)}:${p.line + 1}:${p.column + 1} ${what} should not carry ${scope}`);
      }
    };
    for (const doc of parseAllDocuments(text, { keepSourceTokens: true })) {
      if (!isSeq(doc.contents)) continue;
      for (const item of doc.contents.items) {
        if (!isMap(item)) continue;
        for (const pair of item.items) {
          if (!isScalar(pair.key) || !pair.key.range) continue;
          const key = String(pair.key.value);
          // Keys are never inside another key's condition or output region.
          checkAbsent(pair.key.range[0], CONDITION, `key ${key}`);
          checkAbsent(pair.key.range[0], OUTPUT, `key ${key}`);
          const value = pair.value;
          if ((key !== 'condition' && key !== 'output') || !isScalar(value) || typeof value.value !== 'string' || !value.range) continue;
          const scalar = value as Scalar<string>;
          const map = buildScalarMap(scalar.srcToken as unknown as ScalarSourceToken, scalar.value);
          const span = (s: { start: number; end: number }) => map.span(s.start, s.end);
          if (key === 'output') {
            check(scalar.range![0], scalar.range![1], OUTPUT, 'output text');
            for (const f of parseOutput(scalar.value).fields) { const d = span(f.nameSpan); check(d.start, d.end, FIELD, `output field ${f.name}`); }
            continue;
          }
          conditions++;
          check(scalar.range![0], scalar.range![1], CONDITION, 'condition text');
          const parsed = parseCondition(scalar.value);
          for (const f of fieldsOf(parsed.ast)) { const d = span(f.nameSpan); check(d.start, d.end, FIELD, `field ${f.name}`); }
          for (const t of transformersOf(parsed.ast)) { const d = span(t.nameSpan); check(d.start, d.end, 'support.function.transformer.falco', `transformer ${t.name}`); }
          for (const m of macroRefsOf(parsed.ast)) { const d = span(m.span); check(d.start, d.end, MACRO, `macro ${m.name}`); }
          for (const c of comparisonsOf(parsed.ast)) {
            const d = span(c.opSpan);
            check(d.start, d.end, COMPARISON, `operator ${c.op}`);
            if (c.modifier) { const m = span(c.modifier.span); check(m.start, m.end, COMPARISON, `modifier ${c.modifier.name}`); }
          }
        }
      }
    }
  }
  assert.ok(conditions > 1000, `only ${conditions} conditions checked`);
  assert.ok(checked > 100_000, `only ${checked} characters checked`);
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} disagreements`);
});
