// The shortcuts of a first reading (session 4): outputs built field by field, quoted strings without escapes taken
// as they are, a field's span shared with its name's, the kind key found in one pass. Each must give what the longer
// way gave; the expected values below are the parser's results before these changes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseCondition, parseOutput } from '../../server/src/service/rules/condition';
import { parseRulesFile } from '../../server/src/service/rules/model';

const known = (n: string) => ['proc.name', 'proc.aname', 'evt.arg', 'fd.name'].includes(n);

test('output references: shortened names, arguments, widths, transformers and errors', () => {
  assert.deepEqual(parseOutput('%proc.name.suffix.more x', known), {
    // The rest of the name is printed as text (OutputField.textAfter).
    fields: [{ name: 'proc.name', nameSpan: { start: 1, end: 10 }, span: { start: 0, end: 10 }, textAfter: { text: '.suffix.more', span: { start: 10, end: 22 } } }], leadingStar: false, errors: [],
  });
  // No known prefix: the whole name stays.
  assert.deepEqual(parseOutput('%unknown.field.x y', known).fields,
    [{ name: 'unknown.field.x', nameSpan: { start: 1, end: 16 }, span: { start: 0, end: 16 } }]);
  assert.deepEqual(parseOutput('%proc.aname[2] %evt.arg.flags %evt.arg[0]', known).fields, [
    { name: 'proc.aname', arg: { text: '2', span: { start: 12, end: 13 } }, nameSpan: { start: 1, end: 11 }, span: { start: 0, end: 14 } },
    // This `known` has no dot forms (the catalog's lookupField reads evt.arg.flags whole).
    { name: 'evt.arg', nameSpan: { start: 16, end: 23 }, span: { start: 15, end: 23 }, textAfter: { text: '.flags', span: { start: 23, end: 29 } } },
    { name: 'evt.arg', arg: { text: '0', span: { start: 39, end: 40 } }, nameSpan: { start: 31, end: 38 }, span: { start: 30, end: 41 } },
  ]);
  assert.deepEqual(parseOutput('%12proc.name w').fields, [{ name: 'proc.name', nameSpan: { start: 3, end: 12 }, span: { start: 0, end: 12 } }]);
  const join = parseOutput('*%join(",", (proc.name, proc.pname))');
  assert.equal(join.leadingStar, true);
  const joinTransformers = [{ name: 'join', span: { start: 2, end: 6 } }];
  assert.deepEqual(join.fields, [
    { name: 'proc.name', nameSpan: { start: 13, end: 22 }, span: { start: 1, end: 36 }, transformers: joinTransformers },
    { name: 'proc.pname', nameSpan: { start: 24, end: 34 }, span: { start: 1, end: 36 }, transformers: joinTransformers },
  ]);
  // A bracket that is no readable argument: the field without it (Falco's formatter shortens the token until it
  // compiles), the bracket kept as text up to its ']' or the next reference; the next one is read.
  assert.deepEqual(parseOutput('%proc.aname[2 unclosed %proc.name'), {
    fields: [
      { name: 'proc.aname', nameSpan: { start: 1, end: 11 }, span: { start: 0, end: 11 }, unreadArg: { text: '[2 unclosed ', span: { start: 11, end: 23 }, why: "expected ']' to close the field argument" } },
      { name: 'proc.name', nameSpan: { start: 24, end: 33 }, span: { start: 23, end: 33 } },
    ],
    leadingStar: false,
    errors: [],
  });
  assert.deepEqual(parseOutput('x %proc.aname[2 %fd.name').fields.map((f) => f.name), ['proc.aname', 'fd.name']);
  // An error stays an error where the formatter finds no field at all.
  assert.match(parseOutput('x %[2] y').errors[0]!.message, /must be followed by a field name/);
  assert.deepEqual(parseOutput('a %proc.name[x] b %fd.name').fields.map((f) => [f.name, f.span.start, f.span.end]), [['proc.name', 2, 15], ['fd.name', 18, 26]]);
});

test('quoted strings with and without escapes; a field span without argument', () => {
  const plain = parseCondition(`proc.name = "a b" and fd.name in ("x", 'y', z)`);
  assert.deepEqual(plain.errors, []);
  assert.deepEqual(plain.ast, {
    kind: 'and',
    operands: [
      {
        kind: 'compare', lhs: { kind: 'field', name: 'proc.name', nameSpan: { start: 0, end: 9 }, span: { start: 0, end: 9 } },
        op: '=', opSpan: { start: 10, end: 11 }, rhs: { kind: 'literal', text: 'a b', quoted: true, span: { start: 12, end: 17 } }, span: { start: 0, end: 17 },
      },
      {
        kind: 'compare', lhs: { kind: 'field', name: 'fd.name', nameSpan: { start: 22, end: 29 }, span: { start: 22, end: 29 } },
        op: 'in', opSpan: { start: 30, end: 32 },
        rhs: {
          kind: 'list',
          items: [
            { kind: 'literal', text: 'x', quoted: true, span: { start: 34, end: 37 } },
            { kind: 'literal', text: 'y', quoted: true, span: { start: 39, end: 42 } },
            { kind: 'literal', text: 'z', quoted: false, span: { start: 44, end: 45 } },
          ],
          span: { start: 33, end: 46 },
        },
        span: { start: 22, end: 46 },
      },
    ],
    span: { start: 0, end: 46 },
  });
  const escaped = parseCondition(`proc.cmdline contains "esc \\" quote" or proc.name = 'it\\'s' or fd.name = "b\\x41c"`);
  assert.deepEqual(escaped.errors, []);
  const texts: string[] = [];
  const visit = (e: unknown): void => {
    if (!e || typeof e !== 'object') return;
    const node = e as { kind?: string; quoted?: boolean; text?: string };
    if (node.kind === 'literal' && node.quoted) texts.push(node.text!);
    for (const v of Object.values(e)) visit(v);
  };
  visit(escaped.ast);
  assert.deepEqual(texts, ['esc " quote', "it's", 'bAc']);
  assert.deepEqual(parseCondition('proc.name = "bad \\q escape"').errors.map((e) => e.span), [{ start: 17, end: 19 }]);
  assert.deepEqual(parseCondition('proc.name = "unterminated').errors,
    [{ message: 'unterminated string: the closing quote is missing', span: { start: 12, end: 25 } }]);
  // With an argument the field's span covers it; without, it is the name's.
  const arg = parseCondition('proc.aname[2] = "x"').ast as { lhs: { span: unknown; nameSpan: unknown } };
  assert.deepEqual(arg.lhs.span, { start: 0, end: 13 });
  assert.deepEqual(arg.lhs.nameSpan, { start: 0, end: 10 });
});

test('an empty condition is one of blanks or other white space only', () => {
  for (const text of [' \t ', '\u00a0', '\n', '']) {
    assert.deepEqual(parseCondition(text).errors, [{ message: 'the condition is empty', span: { start: 0, end: text.length } }], JSON.stringify(text));
  }
  // A control character is not white space: not an empty condition.
  assert.notEqual(parseCondition('\u0001').errors[0]?.message, 'the condition is empty');
  assert.deepEqual(parseCondition('a').errors, []);
});

test('item kind: the kind key Falco tests first wins, its first entry names the item', () => {
  const model = parseRulesFile('file:///w/r.yaml', [
    '- rule: r', '  macro: m', '  condition: a',
    '- list: l', '  required_engine_version: 1',
    '- macro: first', '  rule: x', '  condition: b',
    '- other: 1',
    '- rule: plain', '  desc: d',
  ].join('\n') + '\n');
  assert.deepEqual(model.items.map((i) => [i.kind, i.name, i.kindEntry?.key]), [
    ['macro', 'm', 'macro'],
    ['required_engine_version', undefined, 'required_engine_version'],
    ['macro', 'first', 'macro'],
    ['unknown', undefined, undefined],
    ['rule', 'plain', 'rule'],
  ]);
  // Every item has one shape (a class: a moved item makes its nodes when first read); as data it shows its fields.
  assert.equal(new Set(model.items.map((i) => Object.getPrototypeOf(i))).size, 1);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(model.items[4]))), ['kind', 'name', 'nameSpan', 'kindEntry', 'node', 'entries', 'span', 'index']);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(model.items[3]))), ['kind', 'node', 'entries', 'span', 'index']);
});
