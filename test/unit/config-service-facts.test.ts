// Facts of Falco's configuration loader read from its source (0.37.0..0.44.1) and yaml-cpp (0.7.0, c2bec4c): keys
// written twice, a file without keys, relative config_files paths, the ring buffer preset's range and its int16
// reading, and IPv6 listen addresses with a zone.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { applyEdits } from './rules-host';
import { STARTS, STARTS_037, at, check, doc, message, service, show } from './config-service-helpers';

const MAIN = '/etc/falco/falco.yaml';

function fixOf(files: Record<string, string>, path: string, d: Diagnostic, text = files[path]): CodeAction | undefined {
  const { service: s } = service(files);
  return s.config.codeActions!(doc(path, text), d.range, { diagnostics: [d] }).find((a) => a.edit);
}

function applied(path: string, text: string, action: CodeAction): string {
  const edits = Object.values(action.edit!.changes!)[0];
  return applyEdits(text, edits);
}

test('a key written twice: Falco reads the first in a file it reads, the last of a file config_files merges pair by pair', () => {
  // Main file: yaml-cpp keeps both pairs and finds the first; the first priority is the one refused.
  const main = `${STARTS}priority: warn\npriority: debug\nengine:\n  kind: kmod\n  kind: bogus\n`;
  const found = check({}, MAIN, { text: main });
  assert.deepEqual(at(found), [['config-duplicate-key', 6, 2], ['config-duplicate-key', 3, 0], ['config-start-fails', 2, 10]], show(found));
  assert.match(message(found[0]), /engine\.kind is already set above in this mapping: Falco reads the first one/);
  assert.match(message(found[1]), /'priority' is already set above in this file: Falco reads the first one/);
  assert.match(message(found[2]), /unknown priority 'warn'/);

  // An included file (override, and every file before 0.41): its pairs are merged in order, the later replaces.
  const files = {
    [MAIN]: `${STARTS}config_files:\n  - path: /etc/falco/config.d/levels.yaml\n    strategy: override\n`,
    '/etc/falco/config.d/levels.yaml': 'log_level: bogus\nlog_level: info\n',
  };
  const included = check(files, '/etc/falco/config.d/levels.yaml');
  assert.deepEqual(at(included), [['config-duplicate-key', 0, 0]], show(included));
  assert.match(message(included[0]), /the later one replaces this one \(strategy override\)/);
  // add-only keeps the first: the second is the one not used, and the first is what Falco judges.
  const addOnly = { ...files, [MAIN]: files[MAIN].replace('override', 'add-only') };
  const kept = check(addOnly, '/etc/falco/config.d/levels.yaml');
  assert.deepEqual(at(kept), [['config-duplicate-key', 1, 0], ['config-start-fails', 0, 11]], show(kept));
  // append: two lists of one key are both appended, nothing is lost.
  const lists = { [MAIN]: `${STARTS}config_files:\n  - /etc/falco/config.d/plugins.yaml\n`, '/etc/falco/config.d/plugins.yaml': 'load_plugins: []\nload_plugins: []\n' };
  assert.deepEqual(at(check(lists, '/etc/falco/config.d/plugins.yaml')), []);

  // A plugin's init_config becomes JSON pair after pair: the last one is what the plugin gets.
  const plugin = `${STARTS}plugins:\n  - name: k8saudit\n    library_path: libk8saudit.so\n    init_config:\n      maxEventSize: 100\n      maxEventSize: 200\n`;
  const init = check({}, MAIN, { text: plugin });
  assert.deepEqual(at(init), [['config-duplicate-key', 6, 6]], show(init));
  assert.match(message(init[0]), /Falco passes the plugin the last one/);
});

test('a configuration without a key: Falco reads the defaults and refuses to start; an included one merges nothing', () => {
  for (const text of ['', '# Falco configuration\n# (nothing yet)\n', '---\n']) {
    const found = check({}, MAIN, { text });
    assert.deepEqual(at(found), [['config-start-fails', 0, 0]], JSON.stringify(text));
    assert.match(message(found[0]), /no key .* No rules file is configured .*-r.* no output is enabled/);
    const fix = fixOf({ [MAIN]: text }, MAIN, found[0]);
    assert.ok(fix);
    assert.equal(fix.title, 'Add rules_files and stdout_output');
    const fixed = applied(MAIN, text, fix);
    assert.ok(fixed.startsWith(text));
    assert.deepEqual(check({}, MAIN, { text: fixed }).filter((d) => d.severity === 1), [], fixed);
  }
  // A config.d file of no key, included or read alone, changes nothing.
  const files = { [MAIN]: `${STARTS}config_files:\n  - /etc/falco/config.d\n`, '/etc/falco/config.d/empty.yaml': '# placeholder\n' };
  assert.deepEqual(at(check(files, '/etc/falco/config.d/empty.yaml')), []);
  assert.deepEqual(at(check({}, '/etc/falco/config.d/alone.yaml', { text: '' })), []);
});

test('relative config_files paths are Falco\'s working directory\'s, not this file\'s folder', () => {
  const files = {
    [MAIN]: `${STARTS}config_files:\n  - config.d/outputs.yaml\n  - ./missing.yaml\n  - /etc/falco/config.d/other.yaml\n`,
    '/etc/falco/config.d/outputs.yaml': 'json_output: true\n',
  };
  const found = check(files, MAIN);
  assert.deepEqual(at(found), [['config-relative-path', 3, 4], ['config-relative-path', 4, 4]], show(found));
  assert.match(message(found[0]), /'\/etc\/falco\/config\.d\/outputs\.yaml' exists beside this file/);
  const fix = fixOf(files, MAIN, found[0]);
  assert.ok(fix);
  const fixed = applied(MAIN, files[MAIN], fix);
  assert.match(fixed, /^ {2}- \/etc\/falco\/config\.d\/outputs\.yaml$/m);
  assert.deepEqual(at(check({ ...files, [MAIN]: fixed }, MAIN)), [['config-relative-path', 4, 4]]);
  assert.equal(fixOf(files, MAIN, found[1]), undefined, 'nothing beside this file: no path to write');
  // 0.37 has no config_files at all.
  assert.deepEqual(at(check(files, MAIN, { falcoVersion: '0.37', text: files[MAIN].replace(STARTS, STARTS_037) })).map((d) => d[0]), ['config-key-too-new']);
});

test('the ring buffer preset of the engine Falco opens is 1..10, read as a 16-bit integer', () => {
  const engine = (body: string) => `${STARTS}engine:\n  kind: modern_ebpf\n${body}`;
  const refused = check({}, MAIN, { text: engine('  modern_ebpf:\n    buf_size_preset: 11\n  kmod:\n    buf_size_preset: 0\n') });
  assert.deepEqual(at(refused), [['config-start-fails', 5, 21]], show(refused));
  assert.match(message(refused[0]), /between 1 and 10/);
  // Base from the text, as a stringstream reads it: 0x0B is 11, 010 is 8.
  const hex = check({}, MAIN, { text: engine('  modern_ebpf:\n    buf_size_preset: 0x0B\n') });
  // (Falco's schema validation wants plain digits, too.)
  assert.deepEqual(at(hex), [['config-wrong-type', 5, 21], ['config-start-fails', 5, 21]], show(hex));
  assert.match(message(hex[1]), /reads '0x0B' as 11/);
  assert.deepEqual(at(check({}, MAIN, { text: engine('  modern_ebpf:\n    buf_size_preset: 010\n') })), []);
  // Past int16: yaml-cpp cannot convert it and Falco uses 4.
  const big = check({}, MAIN, { text: engine('  modern_ebpf:\n    buf_size_preset: 40000\n') });
  assert.deepEqual(at(big), [['config-out-of-range', 5, 21]], show(big));
  assert.match(message(big[0]), /silently uses the default 4/);
  // kmod is the default kind.
  assert.deepEqual(at(check({}, MAIN, { text: `${STARTS}engine:\n  kmod:\n    buf_size_preset: -1\n` })).map((d) => d[0]), ['config-missing-key', 'config-start-fails']);
  // 0.37: the deprecated top-level key is kmod's while the engine leaves kmod's settings at their defaults.
  const legacy = `${STARTS_037}syscall_buf_size_preset: 12\n`;
  const old = check({}, MAIN, { text: legacy, falcoVersion: '0.37' });
  assert.deepEqual(at(old), [['config-start-fails', 2, 25]], show(old));
  assert.match(message(old[0]), /syscall_buf_size_preset is 12/);
  const engineSet = check({}, MAIN, { text: `${legacy}engine:\n  kind: kmod\n  kmod:\n    buf_size_preset: 5\n`, falcoVersion: '0.37' });
  assert.deepEqual(at(engineSet), [], show(engineSet));
});

test('webserver.listen_address: an IPv6 address may carry a zone, an IPv4 one may not (Falco\'s ip_address_re)', () => {
  const listen = (address: string) => check({}, MAIN, { text: `${STARTS}webserver:\n  listen_address: ${JSON.stringify(address)}\n` });
  for (const ok of ['fe80::1%eth0', '::1', ' 0.0.0.0 ', '::ffff:10.0.0.1', '1:2:3:4:5:6:7::']) assert.deepEqual(at(listen(ok)), [], ok);
  for (const bad of ['127.0.0.1%lo', 'fe80::1%', 'localhost', '1::2::3', '010.0.0.1']) {
    const found = listen(bad);
    assert.deepEqual(found.map((d) => d.code), ['config-start-fails'], bad);
    assert.match(message(found[0]), /is not an IP address/);
  }
});
