// Falco's configuration judged as Falco reads it: falco.yaml merged with its config_files as the target release
// merges them (0.37: not at all; 0.38-0.40: top-level keys replaced; 0.41+: append/override/add-only), a config.d
// file judged inside the main file that includes it, and the rules load order read from the same merge.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { configRulesFiles, expandRulesPaths } from '../../server/src/service/config/rulesFiles';
import { MemoryHost, applyEdits, editsFor } from './rules-host';
import { OUTPUT, STARTS, at, check, doc, message, service, show } from './config-service-helpers';

test('load_plugins and plugins are judged merged: a plugin defined in a config.d file loads from falco.yaml', () => {
  const files = {
    '/etc/falco/falco.yaml': `${STARTS}config_files:\n  - /etc/falco/config.d\nload_plugins: [k8saudit, json]\n`,
    '/etc/falco/config.d/plugins.yaml': 'plugins:\n  - name: k8saudit\n    library_path: libk8saudit.so\n  - name: json\n    library_path: libjson.so\n',
  };
  assert.deepEqual(at(check(files, '/etc/falco/falco.yaml')), [], 'both plugins come from config.d');
  assert.deepEqual(at(check(files, '/etc/falco/config.d/plugins.yaml')), []);
  // One name no file defines: the error is on that name in falco.yaml, and the config.d file says nothing.
  const missing = { ...files, '/etc/falco/falco.yaml': `${STARTS}config_files:\n  - /etc/falco/config.d\nload_plugins: [k8saudit, cloudtrail]\n` };
  const found = check(missing, '/etc/falco/falco.yaml');
  assert.deepEqual(at(found), [['config-start-fails', 4, 25]], show(found));
  assert.match(message(found[0]), /cannot load plugin 'cloudtrail'/);
  assert.deepEqual(at(check(missing, '/etc/falco/config.d/plugins.yaml')), []);
  // Defined nowhere at all: Falco refuses too (configuration.cpp:682-694 at 0.44.0), plugins or not.
  const none = check({}, '/work/falco.yaml', { text: `${STARTS}load_plugins: [container]\n` });
  assert.deepEqual(at(none), [['config-start-fails', 2, 15]], show(none));
  assert.match(message(none[0]), /No plugins entry is defined at all/);
});

test('a key a later config file replaces: the error is judged on what Falco reads, and this file is told', () => {
  const files = {
    '/etc/falco/falco.yaml': `${STARTS}config_files:\n  - /etc/falco/config.d\nfile_output:\n  enabled: false\n  filename: /var/log/falco/events.txt\n`,
    '/etc/falco/config.d/file.yaml': 'file_output:\n  enabled: true\n',
  };
  // The config.d file's file_output replaces falco.yaml's whole mapping: the filename is lost.
  const included = check(files, '/etc/falco/config.d/file.yaml');
  assert.deepEqual(at(included), [['config-start-fails', 1, 2]], show(included));
  assert.match(message(included[0]), /file output enabled but no filename in file_output\. \(The filename set in an earlier file is not kept/);
  // falco.yaml: its file_output is not used (information), and the refusal is shown on its key, naming the file.
  const main = check(files, '/etc/falco/falco.yaml');
  assert.deepEqual(at(main), [['config-overridden', 4, 0], ['config-start-fails', 4, 0]], show(main));
  assert.equal(main[0].severity, 3);
  assert.match(message(main[0]), /\/etc\/falco\/config\.d\/file\.yaml, merged after this file, sets 'file_output' again and replaces it whole/);
  assert.match(message(main[1]), /file output enabled but no filename.*This comes from \/etc\/falco\/config\.d\/file\.yaml, whose 'file_output' replaces this one whole/);
  // Judged alone (the old reading), falco.yaml was clean.
  assert.deepEqual(at(check({ '/etc/falco/falco.yaml': files['/etc/falco/falco.yaml'] }, '/etc/falco/falco.yaml')), []);
});

test('rules_files in one file and rules_file in another: Falco refuses to start, reported where each is', () => {
  const files = {
    '/etc/falco/falco.yaml': `${OUTPUT}config_files: [/etc/falco/config.d]\nrules_files:\n  - /etc/falco/falco_rules.yaml\n`,
    '/etc/falco/config.d/old.yaml': 'rules_file:\n  - /etc/falco/old_rules.yaml\n',
    '/etc/falco/falco_rules.yaml': '- list: l\n  items: []\n',
    '/etc/falco/old_rules.yaml': '- list: o\n  items: []\n',
  };
  const main = check(files, '/etc/falco/falco.yaml');
  assert.deepEqual(at(main), [['config-start-fails', 3, 0]], show(main));
  assert.match(message(main[0]), /Both 'rules_files' and 'rules_file' \(it is set in \/etc\/falco\/config\.d\/old\.yaml\) are set/);
  const included = check(files, '/etc/falco/config.d/old.yaml');
  assert.deepEqual(at(included), [['config-start-fails', 0, 0]], show(included));
  assert.match(message(included[0]), /Both 'rules_files' \(it is set in \/etc\/falco\/falco\.yaml\) and 'rules_file' are set/);
  // Before 0.38 there is no config_files: nothing is merged, and config_files itself is not read.
  const at37 = check(files, '/etc/falco/falco.yaml', { falcoVersion: '0.37' });
  // Nor rules_files: Falco 0.37 is left with no rules file (load_rules_files.cpp), said on falco.yaml's first key.
  assert.deepEqual(at(at37), [['config-key-too-new', 2, 0], ['config-key-too-new', 3, 0], ['config-no-rules-file', 0, 0]], show(at37));
  assert.match(message(at37[0]), /Falco 0\.37 does not read config_files/);
  assert.match(message(at37[2]), /No rules file is named \(Falco 0\.37 reads them from 'rules_file'\)/);
  assert.equal((at37[2].data as { fix?: unknown }).fix, undefined, 'renaming rules_files is the fix, not a second key');
});

test('a config.d file is judged inside the main file that includes it: the setting, or ../falco.yaml', () => {
  const mainText = `${STARTS}config_files:\n  - /srv/falco/extra.yaml\nplugins:\n  - name: json\n    library_path: libjson.so\n`;
  const extra = 'load_plugins: [json]\n';
  // /srv/falco/extra.yaml is not in a config.d folder, and only the setting names its main file.
  const files = { '/opt/conf/main.yaml': mainText, '/srv/falco/extra.yaml': extra };
  assert.deepEqual(at(check(files, '/srv/falco/extra.yaml', { falcoConfigFile: '/opt/conf/main.yaml' })), []);
  // Without the setting, the file is read alone (and as a whole configuration, being no config.d file): it names no
  // rules file, the plugin is not defined, and no output is enabled.
  const alone = check(files, '/srv/falco/extra.yaml');
  assert.deepEqual(alone.map((d) => /No rules file is named|cannot load plugin 'json'|No output configured/.test(message(d))), [true, true, true], show(alone));
  // A config.d file whose main file is unknown is not a whole configuration: nothing is concluded from what it lacks
  // (no output, a plugin it does not define), while its own values are still checked.
  assert.deepEqual(at(check({}, '/elsewhere/falco/config.d/engine.yaml', { text: 'engine:\n  kind: modern_ebpf\nload_plugins: [json]\n' })), []);
  assert.deepEqual(at(check({}, '/elsewhere/falco/config.d/engine.yaml', { text: 'engine:\n  kind: modern_bpf\n' })), [['config-start-fails', 1, 8]]);
  // An included file listing config_files: Falco refuses to start (yaml_helper.h:178 at 0.44.0).
  const nested = check({ '/etc/falco/falco.yaml': `${STARTS}config_files: [/etc/falco/config.d]\n`, '/etc/falco/config.d/a.yaml': 'config_files: [/etc/falco/more.d]\n' }, '/etc/falco/config.d/a.yaml');
  assert.deepEqual(at(nested), [['config-start-fails', 0, 0]], show(nested));
  assert.match(message(nested[0]), /an included file cannot list config_files/);
  // The main file: an included file that is not valid YAML, or the main file itself, stops Falco.
  const broken = check({ '/etc/falco/config.d/a.yaml': 'engine: [modern_ebpf\n' }, '/etc/falco/falco.yaml', { text: `${STARTS}config_files:\n  - /etc/falco/config.d\n  - /etc/falco//falco.yaml\n` });
  assert.deepEqual(at(broken), [['config-start-fails', 4, 4], ['config-start-fails', 3, 4]], show(broken));
  assert.match(message(broken[0]), /includes this configuration file itself/);
  assert.match(message(broken[1]), /\/etc\/falco\/config\.d\/a\.yaml is not valid YAML/);
  // The editor's text of the included file is what is judged, not the disk's.
  const live = check({ '/etc/falco/falco.yaml': `${STARTS}config_files: [/etc/falco/config.d]\n`, '/etc/falco/config.d/a.yaml': '' }, '/etc/falco/config.d/a.yaml', { text: 'priority: loud\n' });
  assert.deepEqual(at(live), [['config-start-fails', 0, 10]], show(live));
});

test('merge strategies: add-only cannot set a key already set; append onto a text fails (BadPushback)', () => {
  const files = {
    '/etc/falco/falco.yaml': `${OUTPUT}priority: warning\nrules_files: /etc/falco/falco_rules.yaml\nconfig_files:\n  - path: /etc/falco/defaults.yaml\n    strategy: add-only\n  - /etc/falco/more.yaml\n`,
    '/etc/falco/defaults.yaml': 'priority: debug\njson_output: true\n',
    '/etc/falco/more.yaml': 'rules_files:\n  - /opt/rules/more_rules.yaml\n',
  };
  const defaults = check(files, '/etc/falco/defaults.yaml');
  assert.deepEqual(at(defaults), [['config-overridden', 0, 0]], show(defaults));
  assert.match(message(defaults[0]), /merged with strategy add-only, and \/etc\/falco\/falco\.yaml already sets 'priority'/);
  const main = check(files, '/etc/falco/falco.yaml');
  assert.deepEqual(at(main), [['config-wrong-type', 3, 13], ['config-start-fails', 3, 0]], show(main));
  assert.match(message(main[1]), /\/etc\/falco\/more\.yaml appends list items to 'rules_files', which this file sets to a text: yaml-cpp cannot append to it \(BadPushback\)/);
  const more = check(files, '/etc/falco/more.yaml');
  assert.deepEqual(at(more), [['config-start-fails', 0, 0]], show(more));
  // Before 0.41 every included key replaces: no append, so no failure, and falco.yaml's rules_files is replaced.
  const at40 = check(files, '/etc/falco/falco.yaml', { falcoVersion: '0.40' });
  assert.ok(at40.some((d) => d.code === 'config-start-fails' && /reads config_files as a list of paths/.test(message(d))), show(at40));
  assert.ok(!at40.some((d) => /BadPushback/.test(message(d))), show(at40));
});

test('config_files entries {path, strategy} before 0.41 stop Falco; the quick fix writes the path', () => {
  const text = `${STARTS}config_files:\n  - path: /etc/falco/config.d\n    strategy: override\n`;
  const { service: s } = service({}, '0.40');
  const d = doc('/work/falco.yaml', text);
  const found = s.config.diagnostics(d);
  assert.deepEqual(at(found), [['config-start-fails', 3, 4]], show(found));
  assert.match(message(found[0]), /Falco 0\.40 reads config_files as a list of paths; an entry written as \{path, strategy\} came with Falco 0\.41/);
  const [fix] = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.equal(applyEdits(text, editsFor(fix.edit, d.uri)), `${STARTS}config_files:\n  - /etc/falco/config.d\n`);
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text })), [], 'read at 0.44');
});

test('the rules load order follows the target release: replaced at 0.38-0.40, appended from 0.41, rules_file only at 0.37', () => {
  const files: Record<string, string> = {
    '/etc/falco/falco.yaml': 'rules_file:\n  - /etc/falco/legacy_rules.yaml\nrules_files:\n  - /etc/falco/falco_rules.yaml\nconfig_files:\n  - /etc/falco/config.d\n',
    '/etc/falco/config.d/10-more.yaml': 'rules_files:\n  - /etc/falco/more_rules.yaml\n',
    '/etc/falco/rules.d/a.yaml': '- list: a\n  items: [x]\n',
    '/etc/falco/rules.d/b.txt': '- list: b\n  items: [x]\n',
  };
  const host = new MemoryHost(files);
  assert.deepEqual(configRulesFiles(host, '/etc/falco/falco.yaml', '0.44')?.paths, ['/etc/falco/falco_rules.yaml', '/etc/falco/more_rules.yaml']);
  assert.deepEqual(configRulesFiles(host, '/etc/falco/falco.yaml', '0.40')?.paths, ['/etc/falco/more_rules.yaml']);
  assert.deepEqual(configRulesFiles(host, '/etc/falco/falco.yaml', '0.37')?.paths, ['/etc/falco/legacy_rules.yaml']);
  assert.deepEqual(configRulesFiles(host, '/etc/falco/falco.yaml', '0.37')?.configFiles, ['/etc/falco/falco.yaml']);
  // Without a target the host's falcoVersion is the release.
  host.config = { ...host.config, falcoVersion: '0.40' };
  assert.deepEqual(configRulesFiles(host, '/etc/falco/falco.yaml')?.paths, ['/etc/falco/more_rules.yaml']);
  // Folders: every regular file before 0.41, *.yaml/*.yml from 0.41.
  assert.deepEqual(expandRulesPaths(host, ['/etc/falco/rules.d'], '0.40'), ['/etc/falco/rules.d/a.yaml', '/etc/falco/rules.d/b.txt']);
  assert.deepEqual(expandRulesPaths(host, ['/etc/falco/rules.d'], '0.41'), ['/etc/falco/rules.d/a.yaml']);
});
