import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/service/text';
import { codeSpan, codeBlock, escapeMarkdown, plainTitle } from '../../server/src/service/markdown';
import { fillShellPlaceholders, placeholdersForLint, shellQuote } from '../../server/src/knowledge/placeholders';

test('LineIndex maps offsets and positions on LF, CRLF and lone CR', () => {
  const text = 'ab\r\ncd\nef\rgh';
  const lines = new LineIndex(text);
  assert.equal(lines.lineCount, 4);
  assert.deepEqual(lines.positionAt(text.indexOf('c')), { line: 1, character: 0 });
  assert.deepEqual(lines.positionAt(text.indexOf('h')), { line: 3, character: 1 });
  assert.equal(lines.offsetAt({ line: 2, character: 1 }), text.indexOf('f'));
  assert.equal(lines.lineText(0), 'ab');
  assert.equal(lines.offsetAt({ line: 0, character: 99 }), 2, 'clamped before the line break');
});

test('LineIndex counts UTF-16 code units, as LSP does, for emoji and tabs', () => {
  const text = '\t😀x';
  const lines = new LineIndex(text);
  assert.deepEqual(lines.positionAt(text.indexOf('x')), { line: 0, character: 3 });
});

test('codeSpan fences are longer than any backtick run inside', () => {
  assert.equal(codeSpan('a`b'), '``a`b``');
  assert.equal(codeSpan('``x'), '``` ``x ```');
  assert.equal(codeSpan('[x](command:evil)'), '`[x](command:evil)`');
  assert.ok(codeBlock('```\nrm').startsWith('````'));
});

test('escapeMarkdown neutralises links, HTML and emphasis', () => {
  const out = escapeMarkdown('[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> *b*');
  assert.ok(!/(^|[^\\])\[/.test(out));
  assert.ok(!/(^|[^\\])</.test(out));
  assert.ok(!/(^|[^\\])\*/.test(out));
  assert.equal(plainTitle('a\nb\u0007c'), 'a b c');
});

test('shell placeholders are filled with quoted values and unknown ones are reported', () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote('$(reboot)'), `'$(reboot)'`);
  const filled = fillShellPlaceholders('ps -o pid,cmd -p <proc.pid> && crictl inspect <container.id> <pod>', (f) => (f === 'proc.pid' ? '42; rm -rf /' : undefined));
  assert.equal(filled.text, `ps -o pid,cmd -p '42; rm -rf /' && crictl inspect <container.id> <pod>`);
  assert.deepEqual(filled.missing, ['container.id']);
  assert.equal(placeholdersForLint('stat <fd.name> <pod>'), `stat 'PLACEHOLDER' 'PLACEHOLDER'`);
});
