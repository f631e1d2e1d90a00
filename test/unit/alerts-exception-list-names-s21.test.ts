// Exception values holding a loaded list's name. Falco builds an exception's condition from the values (quote_item
// wraps one holding a blank in double quotes) and then expands lists in that text: resolve_list replaces a list's
// name wherever blanks, '(', ')', ',' or '=' (or the text's ends) surround it by the list's items, inside quotes too
// (rule_loader_compiler.cpp 0.37.0:180-251, 0.44.0:182-238; build_rule_exception_infos, 0.37.0:74-155,
// 0.44.0:100-161). No escape of libsinsp's unescape_str gives a blank, a parenthesis, ',' or '=' (escaping.cpp, libs
// 0.14.2 and 0.25.2). So the tuning quick fixes write a value that is a list's name in quotes (a quote is no
// delimiter), and refuse a value holding one between delimiters, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { exceptionValueText } from '../../server/src/service/alerts/tuning';
import { createRulesService } from '../../server/src/service/rules';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';
import { Random } from '../fixtures/hardening/random';
import { MemoryHost, rulesDoc } from './rules-host';

/** resolve_list of Falco (the list's name and items), ported from the source named above. */
function resolveList(cnd: string, name: string, items: string[]): string {
  const blanks = ' \t\n\r';
  const delims = `${blanks}(),=`;
  let start = cnd.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    if ((start === 0 || delims.includes(cnd[start - 1])) && (end >= cnd.length || delims.includes(cnd[end]))) {
      while (start > 0 && blanks.includes(cnd[start - 1])) start--;
      while (end < cnd.length && blanks.includes(cnd[end])) end++;
      const sub = items.map((v) => (v.includes(' ') && v[0] !== '"' && v[0] !== '\'' ? `"${v}"` : v)).join(', ');
      cnd = `${start > 0 ? `${cnd.slice(0, start)} ` : ''}${sub} ${cnd.slice(end)}`;
      start += sub.length + 1;
    }
    start = cnd.indexOf(name, start + 1);
  }
  return cnd;
}

const quoteItem = (e: string) => (e.includes(' ') && e[0] !== '"' && e[0] !== '\'' ? `"${e}"` : e);
const LISTS = new Set(['nc', 'sb']);
const isList = (w: string) => LISTS.has(w);
/** The exception's text as Falco builds it for one value, and after the lists are expanded. */
const exceptionText = (written: string) => `(proc.name in (${quoteItem(written)}))`;
const expanded = (text: string) => resolveList(resolveList(text, 'nc', ['bash', 'csh']), 'sb', ['zsh']);

const PIECES = ['nc', 'sb', 'a', ' ', ',', '(', ')', '=', '"', '\\', '\t', '/usr/bin/', 'x y', 'nc2'];

test('no value written holds a list name Falco would expand; a refused one would be (seed 2121)', () => {
  const random = new Random(2121);
  let refused = 0;
  let quotedName = 0;
  for (let i = 0; i < 20_000; i++) {
    let value = '';
    for (let n = 1 + random.int(6); n > 0; n--) value += random.pick(PIECES);
    const plain = exceptionValueText(value);
    const written = exceptionValueText(value, isList);
    if ('refused' in written) {
      if ('refused' in plain) continue;
      refused++;
      assert.match(written.refused, /^the word '(nc|sb)' in it is the name of a loaded list/, JSON.stringify(value));
      // The reason is real: the text written without the list check is changed by Falco's expansion.
      assert.notEqual(expanded(exceptionText(plain.text)), exceptionText(plain.text), JSON.stringify(value));
      continue;
    }
    const text = exceptionText(written.text);
    assert.equal(expanded(text), text, `${JSON.stringify(value)} written ${written.text}`);
    if (!('refused' in plain) && plain.text !== written.text) {
      quotedName++;
      assert.equal(written.text, `"${value}"`);
    }
  }
  assert.ok(refused > 300 && quotedName > 300, `${refused} refused, ${quotedName} quoted`);
  assert.deepEqual(exceptionValueText('sb', isList), { text: '"sb"', quoted: true });
  assert.deepEqual(exceptionValueText('sb b', isList), { text: 'sb b', quoted: false });
  assert.ok('refused' in exceptionValueText('a sb b', isList));
  assert.ok('refused' in exceptionValueText('x=sb,y', isList));
});

const READ = (fields: Record<string, unknown>) => JSON.stringify({
  hostname: 'db-1', output: '03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow',
  output_fields: { 'container.id': 'host', 'evt.time': 1746586801220418777, 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.pname': 'backup-agent', ...fields },
  priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z',
});
const service = () => createAlertsService(new TestHost(), { ...fakeRules([{ name: 'Read sensitive file untrusted', source: 'syscall', tags: [], enabled: true }]), isListName: isList });
const actionsOf = (text: string): CodeAction[] =>
  service().codeActions!(alertDoc('a.json', text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
const newText = (a: CodeAction) => (a.edit!.documentChanges!.find((c) => 'edits' in c) as { edits: { newText: string }[] }).edits.map((e) => e.newText).join('');

test('the exception quick fix quotes a value that is a list name, and refuses one holding it between blanks', () => {
  const named = actionsOf(READ({ 'proc.name': 'sb', 'proc.exepath': '/opt/sb' }));
  const byName = named.find((a) => a.edit && a.title.startsWith('Add exception for this executable path + process name + parent'));
  assert.ok(byName, named.map((a) => a.title).join('\n'));
  assert.ok(newText(byName).includes('- ["/opt/sb", "\\"sb\\"", "backup-agent"]'), newText(byName));
  const actions = actionsOf(READ({ 'proc.name': 'run sb now', 'proc.exepath': '/opt/agent' }));
  assert.ok(!actions.some((a) => a.edit && newText(a).includes('run sb now')), actions.map((a) => a.title).join('\n'));
  const greyed = actions.find((a) => a.disabled && a.title.includes('proc.name cannot be written into Falco\'s condition'));
  assert.ok(greyed, actions.map((a) => a.title).join('\n'));
  assert.match(greyed.disabled!.reason, /the word 'sb' in it is the name of a loaded list/);
});

test('the rules service tells the loaded lists\' names', () => {
  const file = '/ws/rules.yaml';
  const text = '- list: sb\n  items: [bash]\n';
  const svc = createRulesService(new MemoryHost({ [file]: text }, { ruleFiles: [file] }));
  svc.didOpenOrChange?.(rulesDoc(file, text));
  assert.equal(svc.isListName?.('sb'), true);
  assert.equal(svc.isListName?.('bash'), false);
});
