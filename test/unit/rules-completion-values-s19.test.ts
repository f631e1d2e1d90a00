// Completion of values for fields whose values form a fixed set (knowledge/fieldValues.ts: libs' fdinfo.cpp,
// sinsp_filtercheck_event.cpp and sinsp_filtercheck_fd.cpp, the same at libs 0.14.2-0.25.2; the k8saudit plugin's
// ka.verb), by the rule's source; and of the `source:` key: syscall, the loaded rules' sources, the plugins falco.yaml
// loads (configuration.cpp load_plugins), then the other known sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList } from 'vscode-languageserver-types';
import { openAt, workspace } from './rules-nav-helpers';
import { applyEdits } from './rules-host';

const R = (condition: string, extra = '') => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;

const values = (labels: string[]) => labels.filter((l) => l !== 'val()');

function complete(marked: string, target = '0.44', files: Record<string, string> = {}, config?: string) {
  const { service, host } = workspace(files);
  host.config = { ...host.config, falcoVersion: target, ...(config ? { falcoConfigFile: config } : {}) };
  const { doc, position, text } = openAt(service, '/ws/rules.yaml', marked);
  const result = service.completion!(doc, position) as CompletionList | null;
  return { result, text, labels: (result?.items ?? []).map((i) => i.label) };
}

/** Labels in the order the editor shows them (sortText, else label). */
const shown = (result: CompletionList | null) => [...result?.items ?? []].sort((a, b) => ((a.sortText ?? a.label) < (b.sortText ?? b.label) ? -1 : 1)).map((i) => i.label);

test('a field with a fixed set of values is offered them after = and != and inside in (...)', () => {
  for (const target of ['0.37', '0.44']) {
    assert.deepEqual(values(complete(R('evt.type = open and evt.dir = <|>'), target).labels), ['<', '>'], target);
    assert.deepEqual(values(complete(R('fd.l4proto != <|>'), target).labels), ['tcp', 'udp', 'icmp', 'raw'], target);
    assert.deepEqual(values(complete(R('fd.sockfamily=<|>'), target).labels), ['ip', 'unix'], target);
    const types = complete(R('fd.type in (file, <|>'), target).labels;
    assert.ok(types.includes('directory') && types.includes('memfd') && types.includes('pidfd') && types.includes('ipv4'), types.join());
    const chars = complete(R('fd.typechar = <|>'), target).labels;
    assert.deepEqual(chars.slice(0, 4), ['f', 'd', '4', '6']);
    const categories = complete(R('evt.category in (<|>'), target).labels;
    assert.ok(categories.includes('IPC') && categories.includes('ipc') && categories.includes('net'), categories.join());
  }
  // After = the values first, then val() (0.38 on).
  assert.deepEqual(complete(R('fd.l4proto = <|>')).labels, ['tcp', 'udp', 'icmp', 'raw', 'val()']);
  // A field with no fixed set keeps what it had.
  assert.deepEqual(complete(R('proc.name = <|>')).labels.filter((l) => l === 'tcp'), []);
});

test('a value typed partly, `<` included, is replaced as a whole', () => {
  const { result, text } = complete(R('evt.type = open and evt.dir = <<|>'));
  const lt = result!.items.find((i) => i.label === '<')!;
  assert.ok(lt.textEdit);
  assert.ok(applyEdits(text, [lt.textEdit as { range: never; newText: string }]).includes('evt.dir = <\n'));
  const { result: r2, text: t2 } = complete(R('fd.l4proto = tc<|>'));
  const tcp = r2!.items.find((i) => i.label === 'tcp')!;
  assert.ok(applyEdits(t2, [tcp.textEdit as { range: never; newText: string }]).includes('fd.l4proto = tcp\n'));
});

test('values follow the rule\'s source: ka.verb in a k8s_audit rule, nothing of it in a syscall rule', () => {
  const verbs = complete(R('ka.verb in (<|>', '  source: k8s_audit\n')).labels;
  assert.deepEqual(verbs.filter((v) => ['get', 'create', 'deletecollection'].includes(v)), ['get', 'create', 'deletecollection']);
  assert.deepEqual(complete(R('ka.verb = <|>')).labels.filter((v) => v === 'get'), []);
  assert.deepEqual(complete(R('fd.type = <|>', '  source: k8s_audit\n')).labels.filter((v) => v === 'file'), []);
});

test('evt.type values are still the event names, in lists too', () => {
  const eq = complete(R('evt.type = op<|>')).labels;
  assert.ok(eq.includes('openat') && !eq.includes('val()'));
  // A list of event names is offered; a list of other words is not (rules-completion-audit-s22).
  const inList = complete('- list: l\n  items: [open]\n- list: a\n  items: [a]\n' + R('evt.type in (execve, <|>')).labels;
  assert.ok(inList.includes('l') && !inList.includes('a') && inList.includes('execveat'));
});

test('`source:` offers syscall, the loaded rules\' sources and falco.yaml\'s plugins first, the other sources last', () => {
  const files = {
    '/ws/k8s_audit_rules.yaml': '- rule: K\n  desc: d\n  condition: ka.verb = get\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
    '/etc/falco/falco.yaml': 'plugins:\n  - name: cloudtrail\n    library_path: libcloudtrail.so\n  - name: json\n    library_path: libjson.so\nload_plugins: [cloudtrail, json]\n',
  };
  const { result } = complete('- rule: R\n  source: <|>\n', '0.44', files, '/etc/falco/falco.yaml');
  const order = shown(result);
  assert.deepEqual(order.slice(0, 3), ['syscall', 'k8s_audit', 'aws_cloudtrail']);
  assert.ok(order.indexOf('okta') > 2 && order.indexOf('github') > 2);
  assert.match(result!.items.find((i) => i.label === 'aws_cloudtrail')!.detail!, /plugin cloudtrail loaded by falco\.yaml/);
  assert.match(result!.items.find((i) => i.label === 'k8s_audit')!.detail!, /1 loaded rule/);
  assert.match(result!.items.find((i) => i.label === 'okta')!.detail!, /not loaded/);
  // Without load_plugins every plugins entry loads; with no configuration, syscall and the rules' sources first.
  const all = complete('- rule: R\n  source: <|>\n', '0.44', { ...files, '/etc/falco/falco.yaml': 'plugins:\n  - name: okta\n    library_path: libokta.so\n' }, '/etc/falco/falco.yaml');
  assert.deepEqual(shown(all.result).slice(0, 3), ['syscall', 'k8s_audit', 'okta']);
  assert.deepEqual(shown(complete('- rule: R\n  source: <|>\n', '0.44', files).result).slice(0, 2), ['syscall', 'k8s_audit']);
});
