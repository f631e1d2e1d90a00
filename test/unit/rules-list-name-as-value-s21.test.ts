// A list's name as a comparison's bare value outside parentheses. Falco expands lists in the condition's text before
// libsinsp parses it: resolve_list replaces the name wherever blanks, '(', ')', ',' or '=' surround it by the items,
// quoted when they hold a blank, joined with ", " (rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238, called
// by parse_condition for every list, 0.37.0:294-304, 0.44.0:276-283). libsinsp reads one value after '=' (or an
// identifier after an unparenthesised `in`) and parse() refuses the ',' after it ("unexpected token after 'bash',
// expecting 'or', 'and'", filter/parser.cpp at libs 0.14.2 and 0.25.2). So `proc.name = shell_binaries` with two or
// more items fails to compile; with one item it compares with that item; the list is used either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt, fixesAt } from './rules-host';
import { resolveListText } from '../../server/src/service/rules/conditionChecks';

const FILE = '/ws/rules.yaml';
const LISTS = '- list: sb\n  items: [bash, csh, sh]\n- list: one\n  items: [bash]\n- list: empty\n  items: []\n- list: paths\n  items: [/bin/sh]\n';
const RULE = (condition: string) => `${LISTS}- rule: r\n  desc: d\n  condition: evt.type = execve and ${condition}\n  output: o\n  priority: INFO\n`;
/** The findings other than the unused lists, as `severity code text`. */
const found = (condition: string, target: string) => findingsAt(FILE, RULE(condition), target)
  .filter((f) => !f.includes('unused-list')).map((f) => f.split(':')[0]);

test('a list of several items after = or a bare list operator does not compile', () => {
  for (const target of ['0.37', '0.40', '0.44']) {
    for (const c of ['proc.name = sb', 'proc.name=sb', 'proc.name != sb', 'proc.name startswith sb', 'proc.name in sb', 'proc.name in empty', 'proc.name = empty', 'proc.name in paths']) {
      assert.deepEqual(found(c, target), ['1 list-name-as-value ' + c.replace(/.*[ =]/, '')], `${c} at ${target}`);
    }
    // One item: it compiles as a comparison with the item, a warning.
    assert.deepEqual(found('proc.name = one', target), ['2 list-name-as-value one'], target);
    assert.deepEqual(found('proc.name in one', target), ['2 list-name-as-value one'], target);
    // Parenthesised, quoted, or no list: nothing.
    assert.deepEqual(found('proc.name in (sb, empty) and proc.name = "sb" and proc.name = other', target), [], target);
  }
  const [message] = findingsAt(FILE, RULE('proc.name = sb'), '0.44').filter((f) => f.includes('list-name-as-value'));
  assert.match(message, /it parses `proc\.name = bash, csh, sh`.*"unexpected token after 'bash', expecting 'or', 'and'".*write `in \(sb\)`/);
  // The list is used: Falco marks it so whatever then happens.
  assert.ok(!findingsAt(FILE, RULE('proc.name = one'), '0.44').some((f) => f.includes('unused-list one')));
});

test('the quick fix writes in (list), or parenthesises a list operator\'s name', () => {
  const fix = (c: string) => fixesAt(FILE, RULE(c), '0.44', 'list-name-as-value', /^Write/).map((f) => f.fixed.split('\n').find((l) => l.includes('condition:')));
  assert.deepEqual(fix('proc.name = sb'), ['  condition: evt.type = execve and proc.name in (sb)']);
  assert.deepEqual(fix('proc.name=one and fd.num > 1'), ['  condition: evt.type = execve and proc.name in (one) and fd.num > 1']);
  assert.deepEqual(fix('proc.name in sb'), ['  condition: evt.type = execve and proc.name in (sb)']);
  // No fix where the meaning is not one write: != and startswith.
  assert.deepEqual(fix('proc.name != sb'), []);
  assert.deepEqual(fix('proc.name startswith sb'), []);
});

// A list's name between delimiters inside a quoted string: resolve_list replaces it there too (a quote is no
// delimiter, so a name touching the quotes stays), and the list is used (Falco marks it so).
test('a list name between blanks inside a quoted string: Falco compares another string', () => {
  for (const target of ['0.37', '0.44']) {
    const all = (c: string) => findingsAt(FILE, RULE(c), target);
    const [hit] = all('proc.cmdline contains "run sb now"').filter((f) => f.includes('list-name-in-string'));
    assert.match(hit, /^2 list-name-in-string "run sb now": .*Falco compares with "run bash, csh, sh now", not "run sb now"\./, target);
    assert.ok(!all('proc.cmdline contains "run sb now"').some((f) => f.includes('unused-list sb')), target);
    // Parentheses, '=' and commas are delimiters too; an empty list takes a comma with it.
    assert.match(all(`proc.cmdline in ("(sb)", 'x=sb,y')`).filter((f) => f.includes('list-name-in-string')).join('\n'),
      /"\(sb\)": .*compares with "\( bash, csh, sh \)".*\n.*'x=sb,y': .*compares with 'x= bash, csh, sh ,y'/);
    assert.match(all('proc.cmdline = "x, empty y"').join('\n'), /compares with "x  y", not "x, empty y"/);
    // Touching a quote, or no list: nothing.
    assert.deepEqual(found('proc.cmdline in ("sb x", "x sb", "sb", "a other b") and proc.name in (sb)', target), [], target);
  }
  // An item holding a blank is pasted in double quotes, which end a double-quoted string early.
  const spaced = `- list: sp\n  items: ["a b"]\n${RULE('proc.name in (sp) and proc.cmdline = "x sp y"')}`;
  assert.match(findingsAt(FILE, spaced, '0.44').join('\n'), /Falco reads "x "a b" y", where a quote of the pasted items ends the string early/);
});

// Exception values are pasted into the condition (build_rule_exception_infos: quote_item for a value with a blank,
// bare otherwise), and then the lists are expanded in that text.
test('exception values: a list name inside a quoted value, or a bare list name after =', () => {
  const rule = (values: string, fields = '[proc.name, proc.cmdline]', comps = '[=, contains]') => `${LISTS}- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: ${fields}\n      comps: ${comps}\n      values:\n        - ${values}\n`;
  for (const target of ['0.37', '0.44']) {
    const all = (text: string) => findingsAt(FILE, text, target);
    const got = all(rule('[sb, run sb now]'));
    assert.deepEqual(got.filter((f) => !f.includes('unused-list')).map((f) => f.split(':')[0]), ['1 list-name-as-value sb', '2 list-name-in-string run sb now'], target);
    assert.match(got.join('\n'), /it parses `proc\.name = bash, csh, sh`/);
    assert.match(got.join('\n'), /Falco compares with "run bash, csh, sh now", not "run sb now"/);
    assert.ok(!got.some((f) => f.includes('unused-list sb')), target);
    // A single field compares with a parenthesised list: a bare list name there is the list (no finding); a value in
    // quotes already, or touching the quotes, is left alone.
    assert.deepEqual(all(rule('sb', 'proc.name', 'in')).filter((f) => f.includes('list-name')), [], target);
    assert.deepEqual(all(rule(`['"sb"', sb now]`)).filter((f) => f.includes('list-name')), [], target);
  }
});

// An empty list inside parentheses: resolve_list pastes nothing and takes a comma next to the name (the one on its
// left first), so `in (a, empty)` becomes `in (a  )`, `in (empty, a)` `in (   a)` and `in (empty)` `in (  )`, which
// libsinsp parses as lists (parse_list_value accepts an empty one: libs 0.14.2 and 0.25.2). Falco Lens agrees: no
// finding; the port of resolve_list gives Falco's texts.
test('an empty list inside parentheses compiles, as in Falco', () => {
  for (const c of ['proc.name in (a, empty)', 'proc.name in (empty, a)', 'proc.name in (empty)', 'proc.name in (a,empty,b)']) {
    assert.deepEqual(found(c, '0.44'), [], c);
  }
  assert.equal(resolveListText('proc.name in (a, empty)', 'empty', []), 'proc.name in (a  )');
  assert.equal(resolveListText('proc.name in (empty, a)', 'empty', []), 'proc.name in (   a)');
  assert.equal(resolveListText('proc.name in (empty)', 'empty', []), 'proc.name in (  )');
  assert.equal(resolveListText('proc.name in (a,empty,b)', 'empty', []), 'proc.name in (a  ,b)');
  assert.equal(resolveListText('proc.name = sb', 'sb', ['bash', 'a b']), 'proc.name = bash, "a b" ');
});
