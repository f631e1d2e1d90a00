// Session 17's audit of the rules side against Falco's and libs' sources: operator facts in hovers, exception comps
// and values as Falco's collector and compiler read them at each release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverMarkdownAt } from './rules-nav-helpers';

const rule = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

test('operator hover: no "since 0.37.0" for an operator every release has; a newer one names its release', () => {
  for (const [op, marked] of [['in', 'evt.type i<|>n (execve)'], ['startswith', 'evt.type = execve and proc.name start<|>swith a'], ['pmatch', 'evt.type = open and fd.name pma<|>tch (/etc)']]) {
    const md = hoverMarkdownAt(rule(marked), '0.44');
    assert.ok(md.includes(`**Operator** \`${op}\``), md);
    assert.ok(!/0\.37/.test(md), md);
  }
  assert.match(hoverMarkdownAt(rule('evt.type = execve and proc.name reg<|>ex a'), '0.44'), /Available since Falco 0\.39\.0\./);
});

test('operator hover: = == != take oneof/anyof/allof at Falco 0.44 (libs 0.25.2 parser s_binary_str_ops); < does not', () => {
  for (const op of ['=', '==', '!=']) {
    const md = hoverMarkdownAt(rule(`evt.type = execve and proc.name <|>${op} a`), '0.44');
    assert.ok(md.includes(`**Operator** \`${op}\``), md);
    assert.match(md, /Accepts `oneof`, `anyof` and `allof`/);
  }
  assert.doesNotMatch(hoverMarkdownAt(rule('evt.type = execve and proc.pid <|>< 3'), '0.44'), /oneof/);
});
