// Session 19: exception values Falco would splice into the condition as code. Falco builds an exception's condition
// from the values as they are, wrapping one in double quotes only when it holds a blank and does not start with a
// quote (rule_loader_compiler.cpp quote_item, 0.37.0 to 0.44.0), then libsinsp parses the text (a quoted string up to
// the first quote whose previous character is not a backslash, then unescaped: parser.cpp lex_quoted_str and
// escaping.cpp unescape_str, libs 0.14.2 and 0.25.2). A process name with a comma or a quote blocked the quick fix;
// now such a value is written in the condition's own quotes, and only what no quoting carries is refused, saying why.
// And playbook snippets no longer key a process by a proc.exepath that cannot match (a memfd, a deleted file, a
// relative path): they leave it out and key the process by its name, as the quick fixes do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import type { CodeAction } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { exceptionValueText, withoutExceptionField } from '../../server/src/service/alerts/tuning';
import { TestHost, alertDoc, fakeRules } from '../fixtures/alerts/helpers';
import { Random } from '../fixtures/hardening/random';

// ---- Falco's reading of an exception value, ported from the sources named above

/** quote_item: wraps a value holding a blank in double quotes unless it starts with a quote. */
function quoteItem(e: string): string {
  return e.includes(' ') && e[0] !== '"' && e[0] !== '\'' ? `"${e}"` : e;
}

/** unescape_str of libsinsp (the token with its quotes); throws as it does on an escape it does not know. */
function unescapeStr(str: string): string {
  let res = '';
  let escaped = false;
  for (let i = 1; i < str.length - 1; i++) {
    const c = str[i];
    if (!escaped) { if (c === '\\') escaped = true; else res += c; continue; }
    const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', ' ': '\\', '\\': '\\', '/': '/' };
    if (c in simple) res += simple[c];
    else if (c === '"' || c === '\'') { if (str[0] !== c) throw new Error('invalid escape'); res += c; }
    else throw new Error(`unsupported string escape sequence: \\${c}`);
    escaped = false;
  }
  return res;
}

/**
 * What libsinsp reads as the right-hand side of `field = <text>)` (the exception's text as Falco builds it): the value
 * and whether the token ends where the text does (the condition goes on after it), or undefined when it does not lex.
 */
function falcoReads(text: string): { value: string; whole: boolean } | undefined {
  const t = quoteItem(text);
  const input = `${t})`;
  if (input[0] === '"' || input[0] === '\'') {
    let prev = '\\';
    for (let i = 0; i < input.length && input[i] !== '\0'; i++) {
      if (input[i] === input[0] && prev !== '\\' && i > 0) {
        try { return { value: unescapeStr(input.slice(0, i + 1)), whole: i + 1 === t.length }; } catch { return undefined; }
      }
      prev = input[i];
    }
    return undefined;
  }
  const bare = /^[^()"'\s=,]+/.exec(input);
  return bare ? { value: bare[0], whole: bare[0].length === t.length } : undefined;
}

const PIECES = ['a', 'nc', '/usr/bin/', ' ', ',', '"', '\'', '\\', '(', ')', '=', '\t', '\n', 'x y', '\\"', 'é', ':', '-'];

test('every value written is read back by Falco as exactly itself; only a value ending with a backslash, NUL or nothing is refused (seed 1937)', () => {
  const random = new Random(1937);
  let quoted = 0;
  let refused = 0;
  for (let i = 0; i < 20_000; i++) {
    let value = '';
    for (let n = random.int(7); n > 0; n--) value += random.pick(PIECES);
    const written = exceptionValueText(value);
    if ('refused' in written) {
      refused++;
      assert.ok(value === '' || value.endsWith('\\'), JSON.stringify(value));
      // The reason is real: quoted, such a value does not lex (the closing quote is taken for an escaped one).
      if (value !== '') assert.equal(falcoReads(`"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)?.whole ? 'read' : 'not read', 'not read', JSON.stringify(value));
      continue;
    }
    if (written.quoted) quoted++;
    assert.deepEqual(falcoReads(written.text), { value, whole: true }, `${JSON.stringify(value)} written ${JSON.stringify(written.text)}`);
  }
  assert.ok(quoted > 5000 && refused > 500, `${quoted} quoted, ${refused} refused`);
  assert.deepEqual(exceptionValueText('a\u0000b'), { refused: 'it holds a NUL character, where Falco\'s condition parser stops reading' });
  // Values that need no quoting are written as before.
  assert.deepEqual(exceptionValueText('/usr/bin/nc'), { text: '/usr/bin/nc', quoted: false });
  assert.deepEqual(exceptionValueText('my proc'), { text: 'my proc', quoted: false });
});

// ---- the quick fixes

const READ = (fields: Record<string, unknown>) => JSON.stringify({
  hostname: 'db-1', output: '03:00:01.220418777: Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow',
  output_fields: { 'container.id': 'host', 'evt.time': 1746586801220418777, 'evt.type': 'openat', 'fd.name': '/etc/shadow', 'proc.pname': 'backup-agent', ...fields },
  priority: 'Warning', rule: 'Read sensitive file untrusted', source: 'syscall', tags: [], time: '2025-05-07T03:00:01.220418777Z',
});
const service = () => createAlertsService(new TestHost(), fakeRules([{ name: 'Read sensitive file untrusted', source: 'syscall', tags: [], enabled: true }]));
const actionsOf = (text: string): CodeAction[] =>
  service().codeActions!(alertDoc('a.json', text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
const newText = (a: CodeAction) => (a.edit!.documentChanges!.find((c) => 'edits' in c) as { edits: { newText: string }[] }).edits.map((e) => e.newText).join('');

test('a process name with a comma or a quote: the exception is offered, the value in the condition\'s quotes', () => {
  for (const name of ['backup,agent', 'it\'s', 'say "hi"']) {
    const actions = actionsOf(READ({ 'proc.name': name, 'proc.exepath': '/opt/backup/agent' }));
    const offered = actions.filter((a) => a.title.startsWith('Add exception') && a.edit);
    assert.ok(offered.length >= 2, `${name}: ${actions.map((a) => a.title).join('\n')}`);
    const written = exceptionValueText(name) as { text: string };
    const byName = offered.find((a) => a.title.startsWith('Add exception for this executable path + process name + parent'))!;
    assert.equal(byName.title, `Add exception for this executable path + process name + parent, any user (/opt/backup/agent, ${written.text}, backup-agent) to falco_rules.local.yaml`);
    const yaml = newText(byName);
    const ex = parseDocument(yaml).toJSON()[0].exceptions[0];
    assert.deepEqual(ex.values, [['/opt/backup/agent', written.text, 'backup-agent']]);
    assert.deepEqual(falcoReads(ex.values[0][1]), { value: name, whole: true });
    assert.match(yaml, /# A value in double quotes is written as Falco's condition reads a string/);
  }
});

test('a value no quoting carries: a greyed-out quick fix says why, and so does the report', () => {
  const text = READ({ 'proc.name': 'agent\\', 'proc.exepath': '/opt/backup/agent' });
  const actions = actionsOf(text);
  assert.ok(!actions.some((a) => a.edit && newText(a).includes('agent\\')), actions.map((a) => a.title).join('\n'));
  const greyed = actions.find((a) => a.title.startsWith('Add exception for this ') && a.title.includes(': not offered, proc.name cannot be written into Falco\'s condition'));
  assert.ok(greyed?.disabled, actions.map((a) => a.title).join('\n'));
  assert.match(greyed.disabled.reason, /^the value of proc\.name cannot be written into Falco's condition: it ends with a backslash: .* Falco would not start\.$/);
  const report = service().report(`${text}\n`, 'file:///logs/a.json').replace(/\\(.)/g, '$1');
  assert.match(report, /No exception is proposed: the value of `proc\.name` cannot be written into Falco's condition: it ends with a backslash/);
});

// ---- playbook snippets keyed by proc.exepath

const tuningOf = (fields: Record<string, unknown>): string => {
  const report = service().report(`${READ(fields)}\n`, 'file:///logs/a.json');
  const start = report.indexOf('### Tuning');
  return report.slice(start, report.indexOf('\n### ', start + 1)).replace(/\\(.)/g, '$1');
};
const snippetOf = (tuning: string) => {
  const blocks = [...tuning.matchAll(/```yaml\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  return blocks[blocks.length - 1];
};

test('a memfd, deleted or relative proc.exepath: the playbook snippet keys the process by its name, and says why', () => {
  for (const path of ['/memfd:payload (deleted)', '/tmp/dropper (deleted)', './run.sh']) {
    const tuning = tuningOf({ 'proc.name': 'dropper', 'proc.exepath': path });
    const snippet = snippetOf(tuning);
    const exceptions = parseDocument(snippet).toJSON()[0].exceptions as { fields: string[]; comps?: string[]; values: string[][] }[];
    const keyed = exceptions.find((e) => e.fields.includes('proc.name'))!;
    assert.ok(!keyed.fields.includes('proc.exepath'), snippet);
    assert.equal(keyed.values[0][keyed.fields.indexOf('proc.name')], 'dropper');
    assert.equal(keyed.values[0].length, keyed.fields.length);
    if (keyed.comps) assert.equal(keyed.comps.length, keyed.fields.length);
    assert.ok(!snippet.includes(path), snippet);
    assert.match(tuning, /`proc\.exepath` is left out of the exception\. The process is keyed by proc\.name, a name any program can give itself: its proc\.exepath \(.+\) is not the path of a file only this program has/, tuning);
  }
  // A file's path keys it as before, with the name.
  const file = snippetOf(tuningOf({ 'proc.name': 'dropper', 'proc.exepath': '/usr/local/bin/dropper' }));
  assert.ok(parseDocument(file).toJSON()[0].exceptions.some((e: { fields: string[]; values: string[][] }) => e.fields.includes('proc.exepath') && e.values[0].includes('/usr/local/bin/dropper')), file);
});

test('leaving a field out of an exception keeps each row, comps and the rest of the text', () => {
  const flow = '- rule: r\n  exceptions:\n    - name: n\n      fields: [proc.exepath, proc.name, fd.name]\n      comps: [=, =, startswith]\n      values:\n        - [<proc.exepath>, <proc.name>, /etc]\n        - [/x, y, /z]\n';
  assert.equal(withoutExceptionField(flow, 'proc.exepath', 'proc.name'),
    '- rule: r\n  exceptions:\n    - name: n\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values:\n        - [<proc.name>, /etc]\n        - [y, /z]\n');
  const last = '- rule: r\n  exceptions:\n    - name: n\n      fields:\n        - proc.name\n        - proc.exepath\n      values:\n        - [<proc.name>, <proc.exepath>]\n';
  assert.deepEqual(parseDocument(withoutExceptionField(last, 'proc.exepath', 'proc.name')).toJSON()[0].exceptions[0], { name: 'n', fields: ['proc.name'], values: [['<proc.name>']] });
  // Without proc.name beside it, nothing is left out.
  const alone = '- rule: r\n  exceptions:\n    - name: n\n      fields: [proc.exepath, fd.name]\n      values: [[<proc.exepath>, /etc]]\n';
  assert.equal(withoutExceptionField(alone, 'proc.exepath', 'proc.name'), alone);
});
