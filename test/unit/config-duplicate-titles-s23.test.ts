// Session 23: the quick fix of a key written twice says what it removes, the key and its value ("Remove 'log_level:
// debug'", a mapping's or list's size), so no value goes unseen; a pair of a flow mapping is removed with its comma
// (it was greyed out: "the mapping is written in flow style"); an anchor goes with its pair where no alias names it
// (it was refused for any anchor). Which pair Falco does not use is as before: yaml-cpp keeps both and a lookup finds
// the first (node_data::get, include/yaml-cpp/node/detail/impl.h at c2bec4c); init_config keeps the last.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, editsFor } from './rules-host';
import { STARTS, doc, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

/** The duplicate-key fix of a snippet: its title and the snippet after it (which has no finding left). */
function removal(snippet: string): { title: string; after: string } {
  const text = `${STARTS}${snippet}`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-duplicate-key');
  assert.equal(found.length, 1, show(found));
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.equal(actions.length, 1, JSON.stringify(actions));
  assert.equal(actions[0].disabled, undefined, JSON.stringify(actions[0].disabled));
  const after = applyEdits(text, editsFor(actions[0].edit!, d.uri));
  assert.deepEqual(s.config.diagnostics(doc(MAIN, after, 2)), [], after);
  return { title: actions[0].title, after: after.slice(STARTS.length) };
}

test('the title names the key and the value it removes', () => {
  assert.deepEqual(removal('log_level: info\nlog_level: debug\n'), { title: 'Remove \'log_level: debug\', which Falco does not use', after: 'log_level: info\n' });
  assert.equal(removal('log_level: info\nlog_level: "warning, for the on-call team"\n').title, 'Remove \'log_level: "warning, for the on-ca…\', which Falco does not use');
  assert.equal(removal('engine:\n  kind: kmod\n  kmod:\n    buf_size_preset: 4\n  kmod:\n    buf_size_preset: 5\n    drop_failed_exit: false\n').title,
    'Remove \'kmod\' (a mapping of 2 keys), which Falco does not use');
  assert.equal(removal('syscall_event_drops:\n  actions: [log]\n  actions:\n    - alert\n').title, 'Remove \'actions\' (a list of 1 item), which Falco does not use');
});

test('a pair of a flow mapping goes with its comma', () => {
  assert.equal(removal('base_syscalls: {repair: false, repair: true}\n').after, 'base_syscalls: {repair: false}\n');
  assert.equal(removal('base_syscalls: {repair: false, repair: true, all: false}\n').after, 'base_syscalls: {repair: false, all: false}\n');
  assert.equal(removal('base_syscalls: {\n  repair: false,\n  repair: true\n}\n').after, 'base_syscalls: {\n  repair: false\n}\n');
  // init_config: the earlier pair is the unused one, taken with the comma after it.
  assert.equal(removal('plugins:\n  - name: json\n    library_path: libjson.so\n    init_config: {max: 1, max: 2}\nload_plugins: [json]\n').after,
    'plugins:\n  - name: json\n    library_path: libjson.so\n    init_config: {max: 2}\nload_plugins: [json]\n');
});

test('an anchor no alias names goes with its pair; one an alias names keeps the fix greyed out', () => {
  assert.equal(removal('log_level: info\nlog_level: &loud debug\n').after, 'log_level: info\n');
  const text = `${STARTS}log_level: info\nlog_level: &loud debug\nlibs_logger:\n  enabled: true\n  severity: *loud\n`;
  const { service: s } = service({ [MAIN]: text });
  const d = doc(MAIN, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-duplicate-key');
  const actions = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.deepEqual(actions.map((a) => [a.title, a.disabled?.reason, a.edit]), [[
    'Remove \'log_level: debug\', which Falco does not use', 'Not offered: it holds the anchor `&loud`, which an alias names. Keep one \'log_level\' by hand.', undefined]]);
});
