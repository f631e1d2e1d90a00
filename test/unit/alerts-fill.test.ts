// Playbook commands and tuning snippets filled with an alert's values: only where the value means what the
// placeholder expects, shell-quoted in commands and YAML-quoted in snippets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import type { CodeAction } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { fillTuningYaml } from '../../server/src/service/alerts/tuning';
import { yamlQuote } from '../../server/src/service/yamlText';
import { investigationScript } from '../../server/src/service/alerts/fill';
import { playbookFor } from '../../server/src/knowledge';
import { COPY_TO_CLIPBOARD_COMMAND, SHOW_MARKDOWN_COMMAND } from '../../server/src/protocol';
import { TestHost, alertDoc, fakeRules, fixture, hostileProblems } from '../fixtures/alerts/helpers';

const RULE = 'Terminal shell in container';
const havePlaybook = !!playbookFor(RULE)?.investigate.some((c) => c.command.includes('<container.id>'));

function actions(text: string, name = 't.json'): CodeAction[] {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  return s.codeActions!(alertDoc(name, text), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
}

/** The fixture alert moved into a container: container.id and the pod fields get real values. */
function inContainer(): string {
  const alert = JSON.parse(fixture('falco-terminal-host.json').replace(/"evt\.time":(\d+)/, '"evt.time":"$1"'));
  Object.assign(alert.output_fields, { 'container.id': '3ad7b26ded6d', 'container.name': 'web', 'container.image.repository': 'docker.io/library/nginx', 'k8s.pod.name': 'web-7d4b9', 'k8s.ns.name': 'shop' });
  return JSON.stringify(alert);
}

test('report: a container step is not filled with container.id "host"; null pod fields stay placeholders', { skip: !havePlaybook && 'no playbook with <container.id>' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const report = s.report(fixture('falco-terminal-host.json'), 'file:///logs/t.json');
  assert.ok(!/crictl \S+ host\b/.test(report), 'no crictl command aimed at "host"');
  assert.match(report, /crictl inspect <container\.id>/);
  assert.match(report, /not for this alert: the event happened on the host\\: no container to inspect\./);
  assert.ok(!report.includes("'<NA>'") && !report.includes('<NA>'), 'no <NA> reaches a command');
  // In a container, the same steps are filled and shell-quoted.
  const filled = s.report(inContainer(), 'file:///logs/c.json');
  assert.match(filled, /crictl inspect 3ad7b26ded6d/);
  assert.match(filled, /kubectl describe pod web-7d4b9 -n shop/);
  assert.ok(!filled.includes('not for this alert'));
});

test('"Copy investigation command": only complete commands run; unfilled and not-applicable steps are comments', { skip: !havePlaybook && 'no playbook with <container.id>' }, () => {
  const copy = actions(fixture('falco-terminal-host.json')).find((a) => a.command?.command === COPY_TO_CLIPBOARD_COMMAND)!;
  const script = String(copy.command!.arguments![0]);
  const live = script.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  for (const line of live) assert.doesNotMatch(line, /<[A-Za-z_][\w.-]*>/, `a runnable line holds a placeholder: ${line}`);
  assert.ok(!/crictl \S+ host\b/.test(script), script);
  assert.match(script, /# Skipped: the event happened on the host: no container to inspect\.\n# crictl inspect <container\.id>/);
  const inside = String(actions(inContainer()).find((a) => a.command?.command === COPY_TO_CLIPBOARD_COMMAND)!.command!.arguments![0]);
  assert.match(inside, /^crictl inspect 3ad7b26ded6d$/m);
});

test('a step with a value missing asks to fill it in; <NA> and null are never filled', () => {
  const view = { outputFields: new Map([['proc.pid', '<NA>'], ['proc.name', 'sh']]), values: [] } as never;
  const script = investigationScript([{ command: 'ps -o pid,args -p <proc.pid>', purpose: 'Process' }, { command: 'pgrep -x <proc.name>', purpose: 'Same name' }], view);
  assert.equal(script, '# Process\n# Fill in <proc.pid>, then run:\n# ps -o pid,args -p <proc.pid>\n\n# Same name\npgrep -x sh');
});

test('"Open playbook": the key fields, commands and tuning snippet use this alert\'s values; inert Markdown', { skip: !havePlaybook && 'no playbook' }, () => {
  const open = actions(fixture('falco-terminal-host.json')).find((a) => a.command?.command === SHOW_MARKDOWN_COMMAND && a.title.startsWith('Open playbook'))!;
  const markdown = String(open.command!.arguments![0]);
  assert.match(markdown, /crictl inspect <container\.id>/);
  assert.match(markdown, /not for this alert: the event happened on the host/);
  assert.deepEqual(hostileProblems(markdown), []);
  const tuning = markdown.slice(markdown.indexOf('## Tuning'));
  const snippet = /```yaml\n([\s\S]*?)\n```/g;
  const blocks = [...tuning.matchAll(snippet)].map((m) => m[1]);
  const playbookYaml = blocks[blocks.length - 1];
  assert.ok(!/<proc\.exepath>/.test(playbookYaml) || !playbookFor(RULE)!.tuning.yaml.includes('<proc.exepath>'), 'proc.exepath is filled');
  if (playbookFor(RULE)!.tuning.yaml.includes('<proc.exepath>')) assert.ok(playbookYaml.includes('"/usr/bin/bash"'), playbookYaml);
  assert.equal(parseDocument(playbookYaml).errors.length, 0);
});

const HOSTILE = ['say "hi" # not a comment', 'key: value', '[a, b]', 'two\nlines', "it's", 'back\\slash', '  padded  ', '- dash', '{x: 1}', '*alias &anchor !tag', '%directive', '@at `tick`', 'tab\there', 'nul\u0000 del\u007f nel\u0085', 'ls\u2028ps\u2029', '\ufeffbom', 'lone \ud800 surrogate', 'emoji 🦅 é', '', 'null', 'true', '0x10', '~'];

/** What a value reads back as: exactly itself, but a lone surrogate as U+FFFD (yaml-cpp refuses its escape; yamlText.ts). */
const readBack = (value: string) => value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

test('yamlQuote: every hostile value reads back exactly with the yaml parser', () => {
  for (const value of HOSTILE) {
    const quoted = yamlQuote(value);
    assert.ok(!/[\n\r\u2028\u2029]/.test(quoted), `one line: ${JSON.stringify(quoted)}`);
    const doc = parseDocument(`v: ${quoted}\n`);
    assert.deepEqual(doc.errors, [], JSON.stringify(value));
    assert.equal(doc.toJSON().v, readBack(value), JSON.stringify(value));
  }
});

test('fillTuningYaml: hostile values are double-quoted, never raw; the snippet keeps its structure and each value reads back exactly', () => {
  const snippet = ['- rule: Some rule', '  exceptions:', '    - name: known', '      fields: [proc.exepath, proc.pname, k8s.ns.name]', '      comps: [=, =, in]', '      values:', '        - [<proc.exepath>, <proc.pname>, [<k8s.ns.name>]]', '  override:', '    exceptions: append', '- list: names', '  items: [<proc.name>, <user_placeholder>]', '  override:', '    items: append', ''].join('\n');
  for (const value of HOSTILE.filter((v) => v !== '')) {
    const filled = fillTuningYaml(snippet, (f) => (f === 'k8s.ns.name' ? undefined : value));
    const doc = parseDocument(filled.text);
    assert.deepEqual(doc.errors, [], `${JSON.stringify(value)}:\n${filled.text}`);
    const items = doc.toJSON();
    assert.deepEqual(items[0].exceptions[0].values, [[readBack(value), readBack(value), ['<k8s.ns.name>']]], JSON.stringify(value));
    assert.deepEqual(items[1].items, [readBack(value), '<user_placeholder>']);
    assert.deepEqual(filled.missing, ['k8s.ns.name']);
    assert.deepEqual(filled.filled.map((f) => f.field), ['proc.exepath', 'proc.pname', 'proc.name']);
    // The rest of the snippet is untouched.
    assert.equal(filled.text.split('\n').length, snippet.split('\n').length);
    assert.ok(filled.text.startsWith('- rule: Some rule\n  exceptions:\n'));
  }
});

test('"Open playbook" with a hostile value: the tuning YAML parses back to the value in the condition\'s quotes, which Falco reads back to it', { skip: !havePlaybook && 'no playbook' }, () => {
  const rule = playbookFor(RULE)!;
  const field = ['proc.exepath', 'container.image.repository'].find((f) => rule.tuning.yaml.includes(`<${f}>`));
  if (!field) return;
  const hostile = '/tmp/x" or proc.name exists or "\n# [y]: z';
  const alert = JSON.parse(inContainer());
  alert.output_fields[field] = hostile;
  const open = actions(JSON.stringify(alert)).find((a) => a.title.startsWith('Open playbook'))!;
  const markdown = String(open.command!.arguments![0]);
  const tuning = markdown.slice(markdown.indexOf('## Tuning'));
  const blocks = [...tuning.matchAll(/```yaml\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  const yaml = blocks[blocks.length - 1];
  const doc = parseDocument(yaml);
  assert.deepEqual(doc.errors, []);
  // Since session 19 written as Falco's condition reads a string (tuning.ts exceptionValueText), not as it is.
  const quoted = `"${hostile.replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
  assert.ok(JSON.stringify(doc.toJSON()).includes(JSON.stringify(quoted)), yaml);
  assert.match(tuning, /The value of `[\w.]+` is written in double quotes, as Falco's condition reads a string/);
  assert.deepEqual(hostileProblems(markdown), []);
});

test('the rule hover\'s first steps are value-aware too', { skip: !havePlaybook && 'no playbook' }, () => {
  const s = createAlertsService(new TestHost(), fakeRules([]));
  const text = fixture('falco-terminal-host.json');
  const hover = s.hover!(alertDoc('t.json', text), { line: 0, character: text.indexOf('"rule"') + 2 });
  const markdown = (hover!.contents as { value: string }).value;
  assert.match(markdown, /\*\*First steps:\*\*/);
  assert.ok(!/crictl \S+ host\b/.test(markdown), markdown);
  assert.ok(!markdown.includes("'<NA>'"));
  assert.match(markdown, /not for this alert: the event happened on the host/);
});

test('host account commands are not filled with a container\'s account; on the host they are', () => {
  const view = (containerId: string) => ({ outputFields: new Map([['user.name', 'www-data'], ['user.uid', '33'], ['container.id', containerId]]), values: [] });
  const commands = [
    { command: 'crontab -l -u <user.name>', purpose: 'cron of the account' },
    { command: 'passwd -S <user.name>', purpose: 'password state' },
    { command: 'crictl exec <container.id> id <user.name>', purpose: 'inside the container' },
  ];
  const inContainer = investigationScript(commands, view('3ad7b26ded6d') as never);
  assert.match(inContainer, /# Skipped: the account is the container's; on the host the same name or uid may be another account\.\n# crontab -l -u <user\.name>/);
  assert.match(inContainer, /# Skipped: [^\n]*\n# passwd -S <user\.name>/);
  assert.match(inContainer, /^crictl exec 3ad7b26ded6d id www-data$/m, 'a command run in the container is filled');
  const onHost = investigationScript(commands, view('host') as never);
  assert.match(onHost, /^crontab -l -u www-data$/m);
  assert.match(onHost, /^passwd -S www-data$/m);
});

test('the playbook\'s investigation is not called read-only: crictl exec starts a process in the container', { skip: !havePlaybook && 'no playbook' }, () => {
  const open = actions(inContainer()).find((a) => a.command?.command === SHOW_MARKDOWN_COMMAND && /playbook/i.test(a.title));
  assert.ok(open, 'an Open playbook action');
  const markdown = String(open.command!.arguments![0]);
  assert.match(markdown, /^## Investigate$/m);
  assert.ok(!markdown.includes('(read-only)'), 'no read-only claim');
  assert.match(markdown, /a `crictl exec` step starts a process in the container/);
});
