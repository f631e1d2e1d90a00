// Hovers in rules files: each kind of thing under the cursor, effective definitions across files, and escaping of
// hostile names and descriptions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { openAt, textAt, workspace } from './rules-nav-helpers';

const BASE = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
const BASE_TEXT = `- list: shell_binaries
  items: [bash, sh]

- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir = <

- rule: Terminal shell in container
  desc: A shell was started in a container
  condition: spawned_process and proc.name in (shell_binaries)
  output: "Shell | user=%user.name command=%proc.cmdline"
  priority: NOTICE
  tags: [maturity_stable, container, mitre_execution, T1059]
`;

function value(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

function hoverIn(marked: string, file = LOCAL, extra: Record<string, string> = {}) {
  const { service } = workspace({ [BASE]: BASE_TEXT, ...extra });
  const { doc, position, text } = openAt(service, file, marked);
  const h = service.hover!(doc, position);
  return { h, text, service };
}

test('hover on a field inside a folded condition: type, sources, description, range of the name', () => {
  const { h, text } = hoverIn('- macro: m\n  condition: >\n    evt.type = execve and\n    pro<|>c.aname[2] = bash\n');
  const v = value(h);
  assert.match(v, /\*\*Field\*\* `proc\.aname`/);
  assert.match(v, /Type: `CHARBUF`/);
  assert.match(v, /Sources: `syscall`/);
  assert.match(v, /Argument here: `2`/);
  assert.equal(textAt(text, h!.range!), 'proc.aname');
});

test('hover on a deprecated field says so', () => {
  const { h } = hoverIn('- macro: m\n  condition: evt.type = execve and evt.d<|>ir = <\n');
  assert.match(value(h), /\*\*Deprecated:\*\*/);
});

test('hover on a macro shows the effective condition after an append in another file, with links to both', () => {
  const { h } = hoverIn('- macro: spawned_process\n  condition: and proc.name != x\n  override:\n    condition: append\n\n- rule: R\n  desc: d\n  condition: spawned_pro<|>cess\n  output: o\n  priority: INFO\n');
  const v = value(h);
  assert.match(v, /Effective condition/);
  assert.ok(v.includes('evt.type in (execve, execveat) and evt.dir = < and proc.name != x'), v);
  assert.ok(v.includes('(file:///ws/falco_rules.yaml#L4)'), v);
  assert.ok(v.includes('(file:///ws/falco_rules.local.yaml#L1)'), v);
  assert.match(v, /overridden \(`condition: append`\)/);
});

test('hover on a list reference shows the effective items', () => {
  const { h, text } = hoverIn('- list: shell_binaries\n  items: [zsh]\n  override:\n    items: append\n\n- macro: m\n  condition: proc.name in (shell_<|>binaries)\n');
  const v = value(h);
  assert.match(v, /3 items after overrides/);
  assert.ok(v.includes('[bash, sh, zsh]'), v);
  assert.equal(textAt(text, h!.range!), 'shell_binaries');
});

test('a bare word that names no list is a literal value', () => {
  const { h } = hoverIn('- macro: m\n  condition: proc.name in (ba<|>sh)\n');
  assert.match(value(h), /a literal value/);
});

test('hover on a rule name: description, priority, source, where defined, playbook', () => {
  const { h } = hoverIn('- rule: Terminal shell in <|>container\n  enabled: false\n  override:\n    enabled: replace\n');
  const v = value(h);
  assert.match(v, /\*\*Rule\*\* `Terminal shell in container`/);
  assert.match(v, /A shell was started in a container/);
  assert.match(v, /Priority: `NOTICE`/);
  assert.match(v, /\*\*Disabled\*\*/);
  assert.match(v, /\*\*Playbook:\*\*/);
  assert.ok(v.includes('file:///ws/falco_rules.yaml#L7'), v);
});

test('hover on operators, modifiers and transformers', () => {
  assert.match(value(hoverIn('- macro: m\n  condition: proc.name sta<|>rtswith /tmp\n').h), /\*\*Operator\*\* `startswith`[\s\S]*strings and paths/);
  assert.match(value(hoverIn('- macro: m\n  condition: proc.name re<|>gex x\n').h), /since Falco 0\.39\.0/);
  assert.match(value(hoverIn('- macro: m\n  condition: proc.name startswith on<|>eof (a, b)\n').h), /modifier/);
  assert.match(value(hoverIn('- macro: m\n  condition: tolo<|>wer(proc.name) = bash\n').h), /Transformer/);
});

test('hover on a priority, a MITRE tag, a source and keys', () => {
  const rule = (line: string) => `- rule: X\n  desc: d\n  condition: spawned_process\n  output: o\n${line}\n`;
  assert.match(value(hoverIn(rule('  priority: warn<|>ing')).h), /`WARNING` — 5 of 8/);
  assert.match(value(hoverIn(rule('  priority: INFO<|>\n')).h), /`INFORMATIONAL`/);
  assert.match(value(hoverIn(rule('  priority: INFO\n  tags: [T1059.0<|>04]')).h), /Unix Shell/);
  assert.match(value(hoverIn(rule('  priority: INFO\n  tags: [mitre_exec<|>ution]')).h), /TA0002/);
  assert.match(value(hoverIn(rule('  priority: INFO\n  source: k8s_au<|>dit')).h), /k8saudit/);
  const key = value(hoverIn(rule('  prio<|>rity: INFO')).h);
  assert.match(key, /Required in a new rule/);
  assert.match(key, /Can be replaced with `override:`/);
  assert.match(value(hoverIn('- list: shell_binaries\n  items: [x]\n  override:\n    ite<|>ms: append\n').h), /accepts `append` and `replace`/);
});

test('hostile names and descriptions are escaped: no links, no HTML, no broken code spans', () => {
  const hostile = `- rule: "[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> \`\`\`"
  desc: "Click [here](command:rm) <script>alert(1)</script> **bold**"
  condition: evt.type = execve
  output: o
  priority: INFO

- macro: evil
  condition: proc.name = "\`\`\`\\n[y](command:x)"
`;
  const { service } = workspace({ [BASE]: BASE_TEXT, [LOCAL]: hostile });
  const { doc, position } = openAt(service, LOCAL, hostile.replace('- rule: "[', '- rule: "[<|>'));
  const v = value(service.hover!(doc, position));
  // The name sits in a code span whose fence is longer than its backtick run; the description is escaped.
  assert.ok(v.includes('```` [x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> ``` ````'), v);
  assert.ok(!/[^\\]\[here\]\(command/.test(v), v);
  assert.ok(v.includes('\\<script\\>'), v);
  assert.ok(!v.includes('<script>'), v);
  const macro = openAt(service, LOCAL, hostile.replace('- macro: evil', '- macro: ev<|>il'));
  const mv = value(service.hover!(macro.doc, macro.position));
  // The condition is shown in a fenced block longer than any backtick run inside it.
  assert.match(mv, /\n````\n[^]*```[^]*\n````/);
});

test('no hover on blank space', () => {
  const { h } = hoverIn('- macro: m\n  condition: proc.name = bash\n<|>\n');
  assert.equal(h, null);
});

function hoverAtTarget(marked: string, falcoVersion?: string): string {
  const { service, host } = workspace({ [BASE]: BASE_TEXT });
  if (falcoVersion !== undefined) host.config = { ...host.config, falcoVersion };
  const { doc, position } = openAt(service, LOCAL, marked);
  return value(service.hover!(doc, position));
}

test('target release: a field hover says "added in Falco 0.N" when the target is older, nothing new from that release', () => {
  const marked = '- macro: m\n  condition: fd.is_up<|>per_layer = true\n';
  const old = hoverAtTarget(marked, '0.38');
  assert.match(old, /\*\*Not in Falco 0\.38\*\* \(the target release\): added in Falco 0\.39\./);
  const atRelease = hoverAtTarget(marked, '0.39');
  assert.doesNotMatch(atRelease, /Not in Falco/);
  assert.equal(atRelease, hoverAtTarget(marked));
  assert.equal(old.replace(/\n\n\*\*Not in Falco 0\.38\*\*[^\n]*/, ''), atRelease);
});

test('target release: operators, modifiers, transformers and val() newer than the target say so, at their boundary', () => {
  const at = (condition: string, target?: string) => hoverAtTarget(`- macro: m\n  condition: ${condition}\n`, target);
  assert.match(at('proc.name reg<|>ex "a.*"', '0.38'), /Not in Falco 0\.38\*\* \(the target release\): added in Falco 0\.39\./);
  assert.doesNotMatch(at('proc.name reg<|>ex "a.*"', '0.39'), /Not in Falco/);
  assert.match(at('proc.name startswith one<|>of (a, b)', '0.43'), /added in Falco 0\.44\./);
  assert.doesNotMatch(at('proc.name startswith one<|>of (a, b)'), /Not in Falco/);
  assert.match(at('le<|>n(proc.name) > 3', '0.39'), /added in Falco 0\.40\./);
  assert.doesNotMatch(at('le<|>n(proc.name) > 3', '0.40'), /Not in Falco/);
  assert.match(at('proc.name = va<|>l(proc.pname)', '0.37'), /added in Falco 0\.38\./);
  assert.doesNotMatch(at('proc.name = va<|>l(proc.pname)', '0.38'), /Not in Falco/);
});

test('target release: deprecation and removed fields as the target sees them', () => {
  const dir = '- macro: m\n  condition: evt.d<|>ir = <\n';
  assert.match(hoverAtTarget(dir), /\*\*Deprecated:\*\*/);
  assert.match(hoverAtTarget(dir, '0.42'), /\*\*Deprecated:\*\*/);
  const old = hoverAtTarget(dir, '0.41');
  assert.doesNotMatch(old, /\*\*Deprecated:\*\*/);
  assert.match(old, /Deprecated from Falco 0\.42; Falco 0\.41 does not warn about it\./);
  // A field the target's libsinsp had and later releases removed.
  const syslog = '- macro: m\n  condition: syslog.mes<|>sage contains x\n';
  assert.match(hoverAtTarget(syslog, '0.40'), /\*\*Field\*\* `syslog\.message`[\s\S]*that Falco 0\.40 has; Falco 0\.41 removed it\.[\s\S]*Type: `CHARBUF`/);
  assert.match(hoverAtTarget(syslog, '0.41'), /Not in Falco 0\.41\*\* \(the target release\): Falco 0\.41 removed it/);
  assert.match(hoverAtTarget(syslog), /Not in Falco 0\.44\*\* \(the target release\): Falco 0\.41 removed it/);
  assert.match(hoverAtTarget('- macro: m\n  condition: span.t<|>ag[1] = y\n', '0.41'), /Falco 0\.42 removed it\.[\s\S]*Argument: required, a number in brackets/);
  assert.match(hoverAtTarget('- macro: m\n  condition: mesos.task.lab<|>el.team = y\n', '0.41'), /\*\*Field\*\* `mesos\.task\.label`[\s\S]*Argument: required, after a dot/);
});
