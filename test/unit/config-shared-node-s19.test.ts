// Session 19: config_files merges into yaml-cpp nodes, and an alias gives its anchor's node itself (NodeBuilder::
// OnAlias), so top-level keys written as an anchor and its aliases are one node. Appending a list onto one
// (yaml_helper.h include_config_file `m_root[key].push_back(item)`, 0.41.0-0.44.1) appends onto every key holding it;
// replacing one (`m_root[key] = n.second`: Node::AssignNode, node::set_ref) points the node at the new value, which
// every key holding that node reads. Keys an included file adds are new nodes reading its data: replacing one later
// leaves the others (merge.ts SharedNodes; yaml-cpp c2bec4c, the one Falco 0.44 bundles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, message, RULES_FILE } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';
const X = '/etc/falco/config.d/x.yaml';

function found(files: Record<string, string>, path: string, falcoVersion = '0.44'): [string, string, string][] {
  return check(files, path, { falcoVersion }).map((d) => {
    const lines = files[path].split('\n');
    return [String(d.code), lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), message(d)];
  });
}

test('replacing an aliased key replaces its anchor\'s key too: the only output turned off, Falco refuses to start', () => {
  const main = `rules_files: [${RULES_FILE}]\nstdout_output: &o\n  enabled: true\nsyslog_output: *o\nconfig_files:\n  - path: /etc/falco/config.d\n    strategy: override\n`;
  const files = { [MAIN]: main, [X]: 'syslog_output:\n  enabled: false\n' };
  const inMain = found(files, MAIN);
  assert.deepEqual(inMain.map(([code, at]) => [code, at]), [['config-overridden', 'stdout_output'], ['config-overridden', 'syslog_output'], ['config-start-fails', 'syslog_output']]);
  assert.equal(inMain[0][2], `Falco does not use this 'stdout_output': 'stdout_output' and 'syslog_output' are one node as yaml-cpp reads them (an alias gives its anchor's node itself, not a copy), and ${X}, merged after this file, sets 'syslog_output', which points that node at its value (yaml-cpp assigns to the node): 'stdout_output' reads ${X}'s 'syslog_output'.`);
  assert.match(inMain[2][2], /^Falco refuses to start: no output is enabled/);
  const inX = found(files, X);
  assert.deepEqual(inX.map(([code, at]) => [code, at]), [['config-shared-node', 'syslog_output'], ['config-start-fails', 'false']]);
  assert.equal(inX[0][2], `This replaces 'stdout_output' of ${MAIN} too: 'syslog_output' and 'stdout_output' are one node as yaml-cpp reads them (an alias gives its anchor's node itself, not a copy), and config_files points that node at this value (yaml-cpp assigns to the node).`);
  // 0.38-0.40 replace every key: the same.
  const plain = { [MAIN]: main.replace(/config_files:[^]*$/, 'config_files: [/etc/falco/config.d]\n'), [X]: files[X] };
  assert.ok(found(plain, MAIN, '0.40').some(([code]) => code === 'config-start-fails'));
  // Without the alias, stdout_output stays on.
  const apart = { [MAIN]: main.replace('syslog_output: *o', 'syslog_output:\n  enabled: true'), [X]: files[X] };
  assert.deepEqual(found(apart, MAIN).map(([code, at]) => [code, at]), [['config-overridden', 'syslog_output']]);
});

test('list items appended onto an anchored list are read by every key holding it, and said at both places', () => {
  const main = `rules_files: &r [${RULES_FILE}]\nx_saved: *r\nstdout_output: {enabled: true}\nconfig_files: [/etc/falco/config.d]\n`;
  const files = { [MAIN]: main, [X]: 'rules_files: [/etc/falco/extra.yaml]\n', '/etc/falco/extra.yaml': '- list: a\n  items: []\n' };
  const inMain = found(files, MAIN).filter(([code]) => code !== 'config-unknown-key');
  assert.deepEqual(inMain, [['config-shared-node', 'x_saved', `Falco reads the items ${X} appends to 'rules_files' in this 'x_saved' too: 'x_saved' and 'rules_files' are one node as yaml-cpp reads them (an alias gives its anchor's node itself, not a copy), and config_files appends list items onto the node (push_back).`]]);
  assert.deepEqual(found(files, X), [['config-shared-node', 'rules_files', `These items are appended to 'x_saved' of ${MAIN} too: 'rules_files' and 'x_saved' are one node as yaml-cpp reads them (an alias gives its anchor's node itself, not a copy), and config_files appends list items onto the node (push_back).`]]);
  // The alias as the key Falco reads: the anchored key gets the items too, and an empty anchored value becomes the list.
  const empty = { ...files, [MAIN]: `x_saved: &r\nrules_files: *r\nstdout_output: {enabled: true}\nconfig_files: [/etc/falco/config.d]\n` };
  assert.deepEqual(found(empty, MAIN).map(([code, at]) => [code, at]),
    [['config-unknown-key', 'x_saved'], ['config-wrong-type', '*r'], ['config-shared-node', 'x_saved'], ['config-overridden', 'rules_files']]);
});

test('keys an included file adds are new nodes: replacing one later leaves the others, appending reaches them', () => {
  const main = `rules_files: [${RULES_FILE}]\nconfig_files:\n  - /etc/falco/config.d/a.yaml\n  - path: /etc/falco/config.d/b.yaml\n    strategy: override\n`;
  const a = 'stdout_output: &o\n  enabled: true\nsyslog_output: *o\n';
  const files = { [MAIN]: main, '/etc/falco/config.d/a.yaml': a, '/etc/falco/config.d/b.yaml': 'syslog_output: {enabled: false}\n' };
  // stdout_output still reads a.yaml's mapping: Falco starts.
  assert.deepEqual(found(files, MAIN), []);
  assert.deepEqual(found(files, '/etc/falco/config.d/a.yaml').map(([code, at]) => [code, at]), [['config-overridden', 'syslog_output']]);
  // Appending onto one of a.yaml's lists reaches its alias (one data behind both nodes).
  const lists = { [MAIN]: main.replace('    strategy: override\n', ''), '/etc/falco/config.d/a.yaml': 'stdout_output: {enabled: true}\nload_plugins: &p []\nx_saved: *p\n', '/etc/falco/config.d/b.yaml': 'load_plugins: [json]\nplugins:\n  - name: json\n    library_path: libjson.so\n' };
  assert.deepEqual(found(lists, '/etc/falco/config.d/b.yaml').filter(([code]) => code === 'config-shared-node').map(([, at, m]) => [at, m.split(':')[0]]),
    [['load_plugins', 'These items are appended to \'x_saved\' of /etc/falco/config.d/a.yaml too']]);
});
