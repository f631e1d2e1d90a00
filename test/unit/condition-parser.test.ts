import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closestOperator, fieldsOf, listRefsOf, macroRefsOf, parseCondition, parseOutput, transformersOf,
} from '../../server/src/service/rules/condition';
import type { Expr } from '../../server/src/service/rules/conditionAst';
import { OPERATORS, operatorRejection, transformerInfo } from '../../server/src/service/rules/operators';

/** The AST as a compact string, to assert structure and precedence. */
function shape(e: Expr | undefined): string {
  if (!e) return '∅';
  switch (e.kind) {
    case 'and': case 'or': return `${e.kind}(${e.operands.map(shape).join(', ')})`;
    case 'not': return `not(${shape(e.operand)})`;
    case 'paren': return `[${shape(e.inner)}]`;
    case 'macro': return e.name;
    case 'error': return '!';
    case 'compare': {
      const lhs = e.lhs.kind === 'field' ? e.lhs.name + (e.lhs.arg ? `[${e.lhs.arg.text}]` : '') : `${e.lhs.name}(…)`;
      const rhs = !e.rhs ? '' : e.rhs.kind === 'list' ? ` (${e.rhs.items.map((i) => i.text).join('|')})` : e.rhs.kind === 'literal' ? ` ${e.rhs.text}` : ' val';
      return `${lhs} ${e.op}${e.modifier ? ' ' + e.modifier.name : ''}${rhs}`;
    }
  }
}

function ok(text: string): Expr {
  const r = parseCondition(text);
  assert.deepEqual(r.errors, [], text);
  assert.ok(r.ast);
  return r.ast;
}

/** Asserts the first error covers exactly the marked text: `[[` and `]]` delimit the span in `marked`. */
function errorAt(marked: string, messagePart?: RegExp): void {
  const start = marked.indexOf('[[');
  const end = marked.indexOf(']]') - 2;
  const text = marked.replace('[[', '').replace(']]', '');
  const r = parseCondition(text);
  assert.ok(r.errors.length > 0, `no error for ${text}`);
  assert.deepEqual(r.errors[0]!.span, { start, end }, `${text}: ${r.errors[0]!.message}`);
  if (messagePart) assert.match(r.errors[0]!.message, messagePart);
}

test('precedence: not binds tighter than and, and tighter than or', () => {
  assert.equal(shape(ok('a or b and c')), 'or(a, and(b, c))');
  assert.equal(shape(ok('not a and b or not (c or d)')), 'or(and(not(a), b), not([or(c, d)]))');
  assert.equal(shape(ok('a and b and c')), 'and(a, b, c)');
  // As libsinsp's parse_not: one flag toggled per leading not, one not node at most (session 20).
  assert.equal(shape(ok('not not a')), 'a');
  assert.equal(shape(ok('not not not a')), 'not(a)');
  assert.equal(shape(ok(`${'not '.repeat(30_001)}a`)), 'not(a)');
  assert.equal(shape(ok('not(a)')), 'not([a])');
  assert.equal(shape(ok('a and(b)or(c)')), 'or(and(a, [b]), [c])');
  assert.equal(shape(ok('notx')), 'notx', 'a macro whose name starts with not');
});

test('every operator, with values of each lexical kind', () => {
  assert.equal(shape(ok('proc.name exists')), 'proc.name exists');
  for (const op of ['=', '==', '!=', '<', '<=', '>', '>=']) assert.equal(shape(ok(`proc.pid ${op} 1`)), `proc.pid ${op} 1`);
  for (const op of ['contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex']) {
    assert.equal(shape(ok(`fd.name ${op} /etc`)), `fd.name ${op} /etc`);
  }
  for (const op of ['in', 'intersects', 'pmatch']) assert.equal(shape(ok(`fd.name ${op} (/a, "b c")`)), `fd.name ${op} (/a|b c)`);
  assert.equal(shape(ok('proc.name=bash')), 'proc.name = bash', 'symbol operators need no blanks');
  assert.equal(shape(ok('fd.name = /etc/shadow')), 'fd.name = /etc/shadow');
  assert.equal(shape(ok('fd.sip = 127.0.0.1')), 'fd.sip = 127.0.0.1');
  assert.equal(shape(ok('evt.arg.flags > 0x1F')), 'evt.arg.flags > 0x1F');
  assert.equal(shape(ok('proc.pid > -1')), 'proc.pid > -1');
  assert.equal(shape(ok('fd.name glob *.ssh')), 'fd.name glob *.ssh');
  assert.equal(shape(ok('proc.name in ()')), 'proc.name in ()');
  assert.equal(shape(ok('proc.name in shell_binaries')), 'proc.name in shell_binaries');
  assert.equal(OPERATORS.length, 20);
});

test('quoted strings: both quotes, libsinsp escapes, exact literal spans', () => {
  const e = ok(`proc.cmdline = "a \\"b\\" \\x41" and proc.name = 'it\\'s'`);
  const lits = (e.kind === 'and' ? e.operands : []).map((c) => (c.kind === 'compare' && c.rhs?.kind === 'literal' ? c.rhs : undefined));
  assert.equal(lits[0]?.text, 'a "b" A');
  assert.equal(lits[0]?.quoted, true);
  assert.deepEqual(lits[0]?.span, { start: 15, end: 29 });
  assert.equal(lits[1]?.text, "it's");
  errorAt('proc.name = "a[[\\d]]"', /unsupported escape/);
  errorAt(`proc.name = 'a[[\\"]]'`, /not a valid escape/);
  errorAt('proc.name = [["abc and x]]', /unterminated string/);
});

test('transformers, val() and oneof/anyof/allof', () => {
  const e = ok('tolower(proc.name) = val(proc.pname) and len(proc.args) > 3 and join(",", (proc.name, "x")) = a');
  assert.deepEqual(transformersOf(e).map((t) => t.name), ['tolower', 'len', 'join']);
  assert.deepEqual(fieldsOf(e).map((f) => f.name), ['proc.name', 'proc.pname', 'proc.args', 'proc.name']);
  assert.equal(shape(ok('basename(tolower(fd.name)) = x')), 'basename(…) = x');
  const getopt = ok('getopt(proc.args, "t:")[t] = x');
  assert.ok(getopt.kind === 'compare' && getopt.lhs.kind === 'transformer' && getopt.lhs.arg?.text === 't');
  assert.equal(shape(ok('proc.name startswith oneof (a, b)')), 'proc.name startswith oneof (a|b)');
  assert.equal(shape(ok('proc.name endswith allof my_list')), 'proc.name endswith allof my_list');
  // Without a list after it, oneof is a plain value, as in libsinsp.
  assert.equal(shape(ok('proc.name startswith oneof')), 'proc.name startswith oneof');
  assert.equal(shape(ok('proc.name contains anyof and x')), 'and(proc.name contains anyof, x)');
});

test('field names and arguments follow the libsinsp lexer', () => {
  assert.equal(shape(ok('proc.aname[2] = x')), 'proc.aname[2] = x');
  assert.equal(shape(ok('evt.arg[flags] contains O_RDWR')), 'evt.arg[flags] contains O_RDWR');
  assert.equal(shape(ok('evt.arg["x y"] = 1')), 'evt.arg[x y] = 1');
  assert.equal(shape(ok('container.mount.dest[/var/run/docker.sock] exists')), 'container.mount.dest[/var/run/docker.sock] exists');
  assert.equal(shape(ok('ka.req.pod.containers.image startswith x')), 'ka.req.pod.containers.image startswith x');
  const f = fieldsOf(ok('proc.aname[2] = x'))[0]!;
  assert.ok(f.kind === 'field');
  assert.deepEqual([f.nameSpan, f.arg?.span, f.span], [{ start: 0, end: 10 }, { start: 11, end: 12 }, { start: 0, end: 13 }]);
  // '/' cannot be part of a field name: the label key goes in brackets.
  errorAt('k8s.pod.label.app.kubernetes.io[[/name]] = x', /^'k8s\.pod\.label\.app\.kubernetes\.io\/name' is not a field name to Falco: its parser reads the field 'k8s\.pod\.label\.app\.kubernetes\.io' .* and then expects an operator, not '\/name'$/);
});

test('lexer character classes: non-ASCII characters are part of bare strings and arguments, blanks as libsinsp', () => {
  // The lexer reads a table of ASCII classes; everything else must behave as the libsinsp patterns say.
  assert.equal(shape(ok('proc.name = café and fd.name in (ünï, "é", 😀)')), 'and(proc.name = café, fd.name in (ünï|é|😀))');
  assert.equal(shape(ok('x.y = a\u00a0b and a.b exists')), 'and(x.y = a\u00a0b, a.b exists)'); // NBSP is no POSIX space
  assert.equal(shape(ok('x.y contains 日本')), 'x.y contains 日本');
  assert.equal(shape(ok('proc.name[ü] = 1')), 'proc.name[ü] = 1');
  assert.equal(shape(ok('proc.name\b=\b1')), 'proc.name = 1'); // backspace is a blank for lex_blank
  assert.equal(shape(ok('not\fx.y exists')), 'not(x.y exists)'); // form feed is a POSIX space after `not`
  assert.deepEqual(parseCondition('x.y = a\u000bb').errors.map((e) => [e.span.start, e.span.end]), [[7, 8]]); // VT ends a bare string
  assert.equal(parseCondition('évt.type = x').errors[0]?.message, "expected a field check, a macro name or '(', found 'évt.type'");
});

test('errors: exact spans and helpful messages', () => {
  errorAt('proc.name [[equals]] x', /unknown operator 'equals'; did you mean '='/);
  errorAt('proc.name [[startwith]] x', /did you mean 'startswith'/);
  errorAt('proc.name [[=]]', /missing a value after '='/);
  errorAt('proc.name [[contains]]', /missing a value after 'contains'/);
  errorAt('proc.pid > [[abc]]', /expected a number/);
  errorAt('[[(]]a and b', /never closed/);
  errorAt('a and [[(]]b or (c)', /never closed/);
  errorAt('a and b[[)]]', /unmatched '\)'/);
  errorAt('a and [[and]] b', /before 'and'/);
  errorAt('a [[andb]]', /blank or '\(' after 'and'/);
  errorAt('proc.name = b [[c]] and d', /unexpected 'c'/);
  errorAt('spawned and x [[=]] 1', /'x' is read as a macro name/);
  errorAt('proc.name = a [[=]] b', /^unexpected '='/);
  errorAt('proc.name = a [[b]]', /expected 'and', 'or'/);
  errorAt('proc.name in (a, b[[ c]])'.replace('[[ ', ' [['), /expected ',' or '\)'/);
  errorAt('proc.name in (a[[,]] , b)', /empty item/);
  errorAt('proc.name in ( [[,]] b)', /empty item/);
  errorAt('proc.name in (a, b[[,]])', /empty item/);
  errorAt('a and [[not]]', /missing condition after 'not'/);
  errorAt('a [[or]]', /missing condition after 'or'/);
  errorAt('evt.arg[[[x]] = 1', /expected '\]'/);
  assert.deepEqual(parseCondition('').errors, [{ message: 'the condition is empty', span: { start: 0, end: 0 } }]);
  assert.equal(parseCondition('   ').errors[0]?.message, 'the condition is empty');
});

test('recovery: later macros and fields are still found after an error', () => {
  const r = parseCondition('proc.name equals x and spawned_process and (fd.name = /a b) and not known_macro');
  assert.equal(r.errors.length, 2);
  assert.deepEqual(macroRefsOf(r.ast).map((m) => m.name), ['spawned_process', 'known_macro']);
  assert.deepEqual(fieldsOf(r.ast).map((f) => f.name), ['fd.name']);
  const trailing = parseCondition('a = 1 and b');
  assert.equal(trailing.errors.length, 1);
  assert.deepEqual(macroRefsOf(trailing.ast).map((m) => m.name), ['a', 'b']);
});

test('hostile input: deep nesting and long input give an error or a tree, never a crash', () => {
  const deep = parseCondition('('.repeat(20000) + 'a' + ')'.repeat(20000));
  assert.match(deep.errors[0]!.message, /nested too deeply/);
  const long = parseCondition(Array.from({ length: 5000 }, (_, i) => `proc.name = p${i}`).join(' or '));
  assert.deepEqual(long.errors, []);
  assert.equal(parseCondition('"'.repeat(1001)).errors.length > 0, true);
});

test('helpers: macro, list and field references', () => {
  const e = ok('spawned_process and proc.name in (shell_binaries, "quoted", 12, bash) and not fd.name pmatch my_paths and proc.name startswith oneof (pfx)');
  assert.deepEqual(macroRefsOf(e).map((m) => m.name), ['spawned_process']);
  // A number may name a list too (Falco's resolve_list finds a list by its name in the text, whatever the name: s21).
  assert.deepEqual(listRefsOf(e).map((l) => l.text), ['shell_binaries', '12', 'bash', 'my_paths', 'pfx']);
  assert.equal(closestOperator('equals'), '=');
  assert.equal(closestOperator('icontain'), 'icontains');
  assert.equal(closestOperator('zzzzzz'), undefined);
});

test('output formats: fields, arguments, widths, transformers, leading star and errors', () => {
  const out = parseOutput('*Shell (user=%user.name cmd=%proc.cmdline parent=%proc.aname[2] w=%12proc.pid low=%tolower(proc.name) %container.info)');
  assert.equal(out.leadingStar, true);
  assert.deepEqual(out.errors, []);
  assert.deepEqual(out.fields.map((f) => f.name + (f.arg ? `[${f.arg.text}]` : '')), ['user.name', 'proc.cmdline', 'proc.aname[2]', 'proc.pid', 'proc.name', 'container.info']);
  const text = 'x %proc.aname[2] y';
  const f = parseOutput(text).fields[0]!;
  assert.deepEqual([text.slice(f.span.start, f.span.end), text.slice(f.nameSpan.start, f.nameSpan.end), f.arg?.text], ['%proc.aname[2]', 'proc.aname', '2']);
  assert.deepEqual(parseOutput('a %tolower(proc.name) b').fields[0]!.transformers?.map((t) => t.name), ['tolower']);
  assert.match(parseOutput('100%% sure').errors[0]!.message, /'%%' is not an escape/);
  assert.match(parseOutput('x %(proc.name)').errors[0]!.message, /'%\(' is not accepted/);
  assert.match(parseOutput('ends with %').errors[0]!.message, /cannot end with '%'/);
  assert.deepEqual(parseOutput('x %proc.aname[2').errors, [], 'printed as %proc.aname and the text [2, as Falco does');
  assert.match(parseOutput('x %proc.aname[2').fields[0]!.unreadArg!.why, /expected '\]'/);
  assert.deepEqual(parseOutput('bad % here').errors[0]!.span, { start: 4, end: 5 });
  // With a field catalog, trailing text after a known field is text, as in Falco.
  const known = parseOutput('at %proc.name.', (n) => n === 'proc.name');
  assert.deepEqual(known.fields.map((x) => x.name), ['proc.name']);
  const shrunk = parseOutput('%proc.name.suffix', (n) => n === 'proc.name');
  assert.deepEqual(shrunk.fields.map((x) => [x.name, x.span.end]), [['proc.name', 10]]);
});

test('operator table mirrors libsinsp type checks', () => {
  assert.equal(operatorRejection('contains', 'CHARBUF'), undefined);
  assert.equal(operatorRejection('regex', 'FSPATH'), undefined);
  assert.match(operatorRejection('contains', 'UINT64') ?? '', /not supported for numeric/);
  assert.equal(operatorRejection('>=', 'UINT32'), undefined);
  assert.match(operatorRejection('startswith', 'IPADDR') ?? '', /IP address/);
  assert.equal(operatorRejection('in', 'IPNET'), undefined);
  assert.match(operatorRejection('<', 'BOOL') ?? '', /bool/);
  assert.equal(operatorRejection('bcontains', 'BYTEBUF'), undefined);
  assert.match(operatorRejection('bcontains', 'CHARBUF') ?? '', /string/);
  assert.match(operatorRejection('=', 'CHARBUF', true) ?? '', /list field/);
  assert.equal(operatorRejection('intersects', 'CHARBUF', true), undefined);
  assert.equal(operatorRejection('exists', 'BYTEBUF'), undefined);
  assert.equal(transformerInfo('len')?.output, 'UINT64');
});
