// Session 18: a key written twice gets a quick fix removing the pair Falco does not use (yaml-cpp keeps both pairs and
// a lookup finds the first: node_data::get's std::find_if, include/yaml-cpp/node/detail/impl.h at c2bec4c; an included
// file is merged pair by pair; init_config's last pair wins), or a greyed-out one saying why where removing the pair
// would lose a comment or break an alias, or cannot take its lines whole (flow style).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { applyEdits, editsFor } from './rules-host';
import { STARTS, doc, service, show } from './config-service-helpers';
import { openHost } from './embedded-helpers';

const MAIN = '/etc/falco/falco.yaml';
const INCLUDED = '/etc/falco/config.d/levels.yaml';

function duplicateActions(files: Record<string, string>, path: string): { actions: CodeAction[]; check(text: string): string } {
  const { service: s } = service(files);
  const d = doc(path, files[path]);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-duplicate-key');
  assert.equal(found.length, 1, show(found));
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  return {
    actions,
    check(text: string): string {
      const after = s.config.diagnostics(doc(path, text, 2));
      return show(after);
    },
  };
}

function removed(files: Record<string, string>, path: string): string {
  const { actions, check } = duplicateActions(files, path);
  assert.deepEqual(actions.map((a) => [a.title, a.disabled]), [[actions[0].title, undefined]]);
  assert.match(actions[0].title, /^Remove '.+, which Falco does not use$/);
  const after = applyEdits(files[path], editsFor(actions[0].edit!, doc(path, '').uri));
  assert.equal(check(after), '', after);
  return after;
}

test('the main file\'s later pair is the one removed: Falco reads the first', () => {
  const text = `${STARTS}# levels\nlog_level: info\nlog_level: debug\n# outputs\njson_output: false\n`;
  assert.equal(removed({ [MAIN]: text }, MAIN), `${STARTS}# levels\nlog_level: info\n# outputs\njson_output: false\n`);
  // A block value goes with its key, lines and all; CRLF kept.
  const crlf = `${STARTS}engine:\r\n  kind: kmod\r\n  kmod:\r\n    buf_size_preset: 4\r\n  kind: modern_ebpf\r\nlog_level: info\r\n`;
  assert.equal(removed({ [MAIN]: crlf }, MAIN), `${STARTS}engine:\r\n  kind: kmod\r\n  kmod:\r\n    buf_size_preset: 4\r\nlog_level: info\r\n`);
  const block = `${STARTS}syscall_event_drops:\n  actions:\n    - log\n  actions:\n    - alert\n    - log\n  rate: 0.03\n`;
  assert.equal(removed({ [MAIN]: block }, MAIN), `${STARTS}syscall_event_drops:\n  actions:\n    - log\n  rate: 0.03\n`);
});

test('init_config\'s earlier pair and an included file\'s replaced pair are the ones removed', () => {
  const plugin = `${STARTS}plugins:\n  - name: k8saudit\n    library_path: libk8saudit.so\n    init_config:\n      maxEventSize: 100\n      maxEventSize: 200\n`;
  assert.equal(removed({ [MAIN]: plugin }, MAIN), `${STARTS}plugins:\n  - name: k8saudit\n    library_path: libk8saudit.so\n    init_config:\n      maxEventSize: 200\n`);
  const files = {
    [MAIN]: `${STARTS}config_files:\n  - path: ${INCLUDED}\n    strategy: override\n`,
    [INCLUDED]: 'log_level: notice\nlog_level: info\n',
  };
  assert.equal(removed(files, INCLUDED), 'log_level: info\n');
  const addOnly = { ...files, [MAIN]: files[MAIN].replace('override', 'add-only') };
  assert.equal(removed(addOnly, INCLUDED), 'log_level: notice\n');
});

// Where removing the pair would lose a comment, session 22 comments it out instead (config-duplicate-comments-s22);
// a pair of a flow mapping is removed with its comma since session 23 (config-duplicate-titles-s23).
test('no removal where it would break an alias or leave other text on its lines: a greyed-out action says why', () => {
  const cases: [string, RegExp][] = [
    [`${STARTS}base_syscalls: {repair: false, # first\n  repair: true}\n`, /a comment is in its text, inside a flow mapping/],
    [`${STARTS}log_level: info\nlog_level: &level debug\nlibs_logger:\n  severity: *level\n`, /anchor/],
  ];
  for (const [text, why] of cases) {
    const { service: s } = service({ [MAIN]: text });
    const d = doc(MAIN, text);
    const found = s.config.diagnostics(d).filter((x) => x.code === 'config-duplicate-key');
    const actions = found.flatMap((f) => s.config.codeActions!(d, f.range, { diagnostics: [f] }));
    const refused = actions.filter((a) => a.disabled);
    assert.ok(refused.length > 0 && refused.every((a) => !a.edit && why.test(a.disabled!.reason)), `${text}\n${JSON.stringify(actions)}`);
  }
});

test('in a ConfigMap\'s falco.yaml the removal lands on the host\'s lines', () => {
  const host = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |\n'
    + `${STARTS}log_level: info\nlog_level: debug\njson_output: false\n`.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  const { service: s } = service({});
  const d = openHost(s, host, 'file:///ws/falco-cm.yaml');
  const found = s.embedded.diagnostics(d).filter((x) => x.code === 'config-duplicate-key');
  assert.equal(found.length, 1, show(found));
  const [action] = s.embedded.codeActions!(d, found[0].range, { diagnostics: found });
  const after = applyEdits(host, editsFor(action.edit!, d.uri));
  assert.equal(after, host.replace('    log_level: debug\n', ''));
  assert.deepEqual(s.embedded.diagnostics(openHost(s, after, d.uri)).map((x) => x.code), []);
});
