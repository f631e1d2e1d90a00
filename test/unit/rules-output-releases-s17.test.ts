// Output tokens per release (session 17, the outputs session 12 left): a plugin field with a bracket argument it
// refuses, a bracket on a field read after a dot only (`%thread.cgroup[1]`, `%evt.type.is[3]`), a field name that goes
// on past a field (`%proc.namex`). Falco 0.37-0.43 (libs 0.14.2-0.23.1) hand the rest of the output to the first
// filter check that reads a prefix of it and let its error out, which skip-if-unknown-filter does not cover; Falco
// 0.44 (libs 0.25.2) compiles ever shorter text until a field compiles, and says "unknown filter" where none does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

/** Markdown as read: the escapes of escapeMarkdown taken off. */
const unescaped = (md: string) => md.replace(/\\(.)/g, '$1');

const FILE = '/ws/rules.yaml';
const SKIP = '  skip-if-unknown-filter: true\n';
const OLDER = ['0.37', '0.38', '0.39', '0.40', '0.41', '0.42', '0.43'];
const rule = (output: string, extra = '', condition = 'evt.type = open') =>
  `- rule: r\n  desc: d\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;
const k8sRule = (output: string, extra = '') => rule(output, `  source: k8s_audit\n${extra}`, 'ka.verb = create');
/** The findings without the note on the k8saudit plugin's declaration. */
const findings = (source: string, target: string) => findingsAt(FILE, source, target).filter((f) => !f.includes('missing-plugin-requirement'));
const throws = (target: string, fallback: string) =>
  `Falco ${target} fails to load whatever skip-if-unknown-filter says: its output formatter hands the text to this field's own check, which throws (Falco 0.44 prints %${fallback} and the rest as text instead). (LOAD_ERR_COMPILE_OUTPUT)`;

test('%evt.type.is[3] and %evt.type.is: Falco 0.44 prints evt.type and the rest as text; 0.37-0.43 fail to load whatever skip-if-unknown-filter says (the event check reads only a dot after evt.type.is)', () => {
  const bracket = "Field 'evt.type.is' takes its argument after a dot only, as in evt.type.is.open: Falco rejects the bracket form. Write 'evt.type.is.3'.";
  const bare = "Field 'evt.type.is' needs an argument, e.g. evt.type.is.open.";
  for (const extra of ['', SKIP]) {
    assert.deepEqual(findings(rule('"o %evt.type.is[3] y"', extra), '0.44'),
      ["2 field-argument 3: Field 'evt.type.is' takes its argument after a dot only: in an output Falco prints %evt.type followed by the text '.is[3]'. Write '%evt.type.is.3'."]);
    assert.deepEqual(findings(rule('"o %evt.type.is y"', extra), '0.44'),
      ["2 field-argument evt.type.is: Field 'evt.type.is' needs an argument, e.g. evt.type.is.open: in an output Falco prints %evt.type followed by the text '.is'."]);
    assert.deepEqual(findings(rule('"o %evt.type.isx y"', extra), '0.44'),
      ["2 field-argument evt.type.is: Field 'evt.type.is' needs an argument, e.g. evt.type.is.open: in an output Falco prints %evt.type followed by the text '.isx'."]);
    for (const target of OLDER) {
      assert.deepEqual(findings(rule('"o %evt.type.is[3] y"', extra), target), [`1 field-argument 3: ${bracket} ${throws(target, 'evt.type')}`], target);
      assert.deepEqual(findings(rule('"o %evt.type.is y"', extra), target), [`1 field-argument evt.type.is: ${bare} ${throws(target, 'evt.type')}`], target);
    }
  }
  // The hover says what the target does.
  assert.ok(unescaped(hoverMarkdownAt(rule('"o %evt.type.i<|>s[3] y"'), '0.40')).includes(`**In this output:** ${bracket} ${throws('0.40', 'evt.type').replace(' (LOAD_ERR_COMPILE_OUTPUT)', '')}`));
  assert.ok(unescaped(hoverMarkdownAt(rule('"o %evt.type.i<|>s y"'), '0.43')).includes(`**In this output:** ${bare} ${throws('0.43', 'evt.type').replace(' (LOAD_ERR_COMPILE_OUTPUT)', '')}`));
  assert.doesNotMatch(hoverMarkdownAt(rule('"o %evt.type.i<|>s[3] y"'), '0.44'), /fails to load/);
});

test('%ka.uri.param without its argument: Falco 0.44 prints ka.uri and the text .param; 0.37-0.43 fail to load (the plugin check requires the argument)', () => {
  for (const extra of ['', SKIP]) {
    assert.deepEqual(findings(k8sRule('"o %ka.uri.param y"', extra), '0.44'),
      ["2 field-argument ka.uri.param: Field 'ka.uri.param' needs an argument, e.g. ka.uri.param[command]: in an output Falco prints %ka.uri followed by the text '.param'."]);
    for (const target of OLDER) {
      assert.deepEqual(findings(k8sRule('"o %ka.uri.param y"', extra), target),
        [`1 field-argument ka.uri.param: Field 'ka.uri.param' needs an argument, e.g. ka.uri.param[command]. ${throws(target, 'ka.uri')}`], target);
    }
  }
});

// Pins: these were already right (sessions 13-15); the per-release facts, checked against the sources again.

test('pin: %ka.user.name[x] (a plugin field that takes no argument) fails to load at Falco 0.37-0.43 whatever the key says, and prints the field and the text at 0.44', () => {
  // plugin_filtercheck.cpp libs 0.14.2:98-103 throws "does not allow nor require an argument", which
  // err_is_unknown_type_or_field (rule_loader_compiler.cpp 0.37.0:401-406) does not know.
  for (const extra of ['', SKIP]) {
    for (const target of OLDER) {
      assert.deepEqual(findings(k8sRule('"o %ka.user.name[x] y"', extra), target), [
        `1 field-argument x: Field 'ka.user.name' takes no argument: Falco rejects '[x]' (the field does not allow nor require an argument). Falco ${target} fails to load whatever skip-if-unknown-filter says: the k8saudit plugin's field check refuses the argument as the output formatter looks the field up (Falco 0.44 prints the field and the bracket as text instead). (LOAD_ERR_COMPILE_OUTPUT)`,
      ], target);
    }
    assert.deepEqual(findings(k8sRule('"o %ka.user.name[x] y"', extra), '0.44'),
      ["2 field-argument x: Field 'ka.user.name' takes no argument: in an output Falco prints %ka.user.name followed by the text '[x]'. Remove '[x]'."]);
  }
});

test('pin: %thread.cgroup[1] fails to load at Falco 0.37-0.43 whatever the key says ("filter syntax error"), and is skipped under the key at 0.44 (no shorter field)', () => {
  // sinsp_filtercheck_thread.cpp extract_arg TYPE_CGROUP: a dot or "filter syntax error" (libs 0.14.2:202-222, 0.23.1:803-817).
  const problem = "Field 'thread.cgroup' takes its argument after a dot only, as in thread.cgroup.cpuacct: Falco rejects the bracket form. Write 'thread.cgroup.1'.";
  for (const target of [...OLDER, '0.44']) {
    assert.deepEqual(findings(rule('"o %thread.cgroup[1] y"'), target), [`1 field-argument 1: ${problem} (LOAD_ERR_COMPILE_OUTPUT)`], target);
  }
  for (const target of OLDER) {
    assert.deepEqual(findings(rule('"o %thread.cgroup[1] y"', SKIP), target), [
      `1 field-argument 1: ${problem} Falco ${target} fails to load whatever skip-if-unknown-filter says: its output formatter passes the field check's own error on, which the key does not cover before Falco 0.44. (LOAD_ERR_COMPILE_OUTPUT)`,
    ], target);
  }
  assert.deepEqual(findings(rule('"o %thread.cgroup[1] y"', SKIP), '0.44'), [`2 field-argument 1: ${problem} The rule is skipped because of skip-if-unknown-filter. (LOAD_UNKNOWN_FILTER)`]);
  // evt.abspath's check matches its name alone (sinsp_filtercheck_event.cpp libs 0.14.2:302-321): every release prints it and the text.
  for (const target of [...OLDER, '0.44']) {
    assert.deepEqual(findings(rule('"o %evt.abspath[src] y"', SKIP), target),
      ["2 field-argument src: Field 'evt.abspath' takes its argument after a dot only: in an output Falco prints %evt.abspath followed by the text '[src]'. Write '%evt.abspath.src'."], target);
  }
});

test('pin: %proc.namex prints proc.name and then x at every release (the base check reads the longest field name the text starts with)', () => {
  // sinsp_filtercheck.cpp libs 0.14.2:1123-1164 (longest prefix), eventformatter.cpp 0.14.2:151-171 (the rest is text).
  for (const target of [...OLDER, '0.44']) {
    for (const extra of ['', SKIP]) {
      assert.deepEqual(findings(rule('"o %proc.namex y"', extra), target),
        ["2 output-syntax x: 'proc.namex' is no field: Falco reads %proc.name and prints the text 'x' right after its value."], target);
    }
  }
});

// Falco 0.37-0.43: the event check's extract_type takes everything after 'evt.type.is.' as the event name (libs
// 0.14.2 sinsp_filtercheck_event.cpp:225-256, 0.23.1:499-527), finds none with that name and reads 0 characters; the
// formatter keeps the check and prints the text after the '%' (eventformatter.cpp 0.14.2:151-167, 0.23.1:138-185).
test('%evt.type.is.open before more of the output: Falco 0.37-0.43 print a meaningless number and the text; the end of the output and 0.44 read it', () => {
  const note = (target: string, text: string, rest: string) => `In an output Falco ${target} prints a 0 or 1 that means nothing for %evt.type.is.open, and then the text '${text}': the event check takes all the rest of the output after 'evt.type.is.' ('${rest}') for an event's number or name, cannot read it and reads nothing, so the comparison it prints is not set up. It reads the name only at the very end of the output (Falco 0.44 reads it anywhere): move the field to the end, or print %evt.type.`;
  for (const target of OLDER) {
    assert.deepEqual(findings(rule('"o %evt.type.is.open y %proc.name"'), target), [`2 field-argument evt.type.is.open: ${note(target, 'evt.type.is.open y ', 'open y %proc.name')}`], target);
    assert.deepEqual(findings(rule('"o %evt.type.is.open,%proc.name"'), target), [`2 field-argument evt.type.is.open: ${note(target, 'evt.type.is.open,', 'open,%proc.name')}`], target);
    assert.deepEqual(findings(rule('"o %evt.type.is.open"'), target), [], target);
    assert.deepEqual(findings(rule('"o %evt.type.is.open  "'), target), [], target);
  }
  assert.deepEqual(findings(rule('"o %evt.type.is.open y %proc.name"'), '0.44'), []);
  assert.ok(unescaped(hoverMarkdownAt(rule('"o %evt.type.i<|>s.open y"'), '0.40')).includes(`**In this output:** ${note('0.40', 'evt.type.is.open y', 'open y')}`));
  assert.ok(!unescaped(hoverMarkdownAt(rule('"o %evt.type.i<|>s.open y"'), '0.44')).includes('**In this output:**'));
});
