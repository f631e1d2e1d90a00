// Start refusals outside configuration.cpp: no output enabled (init_outputs.cpp), metrics (process_events.cpp
// init_stats_writer); and values Falco reads differently from how they look (an empty value reads as 'null').
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { prometheusInterval } from '../../server/src/service/config/loadChecks';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { MemoryHost, applyEdits, editsFor } from './rules-host';
import { openHost } from './embedded-helpers';
import { OUTPUT, RULES_FILE, STARTS, at, check, doc, message, service, show } from './config-service-helpers';

test('no output enabled at all: Falco refuses to start (init_outputs.cpp:31 at 0.44.0), with a fix', () => {
  const text = 'rules_files:\n  - /etc/falco/falco_rules.yaml\npriority: warning\n';
  const { service: s } = service({});
  const d = doc('/work/falco.yaml', text);
  const found = s.config.diagnostics(d);
  assert.deepEqual(at(found), [['config-start-fails', 0, 0]], show(found));
  assert.match(message(found[0]), /no output is enabled: .*"No output configured/);
  const [fix] = s.config.codeActions!(d, found[0].range, { diagnostics: found });
  assert.equal(fix.title, 'Add stdout_output with enabled: true');
  const fixed = applyEdits(text, editsFor(fix.edit, d.uri));
  assert.deepEqual(s.config.diagnostics(doc('/work/falco.yaml', fixed, 2)), []);
  // Outputs turned off: on stdout_output's false, and the fix turns it on.
  const off = `stdout_output:\n  enabled: false\nsyslog_output:\n  enabled: false\nrules_files: [${RULES_FILE}]\n`;
  const offDoc = doc('/work/falco.yaml', off);
  const offFound = s.config.diagnostics(offDoc);
  assert.deepEqual(at(offFound), [['config-start-fails', 1, 11]], show(offFound));
  const [enable] = s.config.codeActions!(offDoc, offFound[0].range, { diagnostics: offFound });
  assert.equal(enable.title, 'Enable stdout_output');
  assert.equal(applyEdits(off, editsFor(enable.edit, offDoc.uri)), `stdout_output:\n  enabled: true\nsyslog_output:\n  enabled: false\nrules_files: [${RULES_FILE}]\n`);
  // An output enabled in a config.d file counts.
  const files = { '/etc/falco/falco.yaml': `config_files: [/etc/falco/config.d]\nrules_files: [${RULES_FILE}]\n`, '/etc/falco/config.d/out.yaml': 'http_output:\n  enabled: true\n  url: http://sink:2801/\n' };
  assert.deepEqual(at(check(files, '/etc/falco/falco.yaml')), []);
  // config_files that Falco Lens cannot read (absent here) may enable one where Falco runs: the message says so.
  const absent = check({}, '/work/falco.yaml', { text: 'config_files: [/etc/falco/config.d]\n' });
  assert.match(message(absent[0]), /without '\/etc\/falco\/config\.d' of config_files \(not on this machine\), which may change it where Falco runs/);
  // Before 0.44 the gRPC output counts when the gRPC server is on (grpc_output.enabled defaults to true).
  const grpc = `grpc:\n  enabled: true\nstdout_output:\n  enabled: false\nrules_files: [${RULES_FILE}]\n`;
  // (0.43 warns that the gRPC server is deprecated: config-043-deprecations-s17.)
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: grpc, falcoVersion: '0.43' })), [['config-deprecated-key', 1, 11]]);
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: grpc, falcoVersion: '0.42' })), []);
  assert.ok(check({}, '/work/falco.yaml', { text: grpc, falcoVersion: '0.44' }).some((d) => /No output configured/.test(message(d))));
});

test('Falco reads a metrics interval as a Prometheus duration (falco_utils.cpp parse_prometheus_interval)', () => {
  const ms = (t: string) => Number(prometheusInterval(t).ms);
  assert.equal(ms('1h'), 3600000);
  assert.equal(ms('1m30s'), 90000);
  assert.equal(ms('1 m 30 s'), 90000, 'blanks are removed');
  assert.equal(ms('100ms'), 100);
  assert.equal(ms('5000'), 0, 'no unit: no match');
  assert.equal(ms('30s1m'), 0, 'units in order');
  assert.equal(ms('1H'), 0);
  assert.equal(ms('010s'), 8000, 'std::stoull base 0: octal');
  assert.equal(ms('08s'), 0, 'octal 0, then the 8 is not read');
  assert.equal(prometheusInterval('99999999999999999999s').overflow, true);
});

test('metrics enabled: an interval Falco refuses, and no metrics output (process_events.cpp:469-490 at 0.44.0)', () => {
  const metrics = (body: string) => `${STARTS}metrics:\n  enabled: true\n  output_rule: true\n${body}`;
  const { service: s } = service({});
  const digits = doc('/work/falco.yaml', metrics('  interval: 5000\n'));
  const found = s.config.diagnostics(digits);
  assert.deepEqual(at(found), [['config-start-fails', 5, 12]], show(found));
  assert.match(message(found[0]), /metrics\.interval '5000' has no time unit.*Falco refuses intervals under 100 ms/);
  const [fix] = s.config.codeActions!(digits, found[0].range, { diagnostics: found });
  assert.equal(fix.title, 'Write 5000ms');
  assert.deepEqual(s.config.diagnostics(doc('/work/falco.yaml', applyEdits(digits.getText(), editsFor(fix.edit, digits.uri)), 2)), []);
  const cases: [string, RegExp][] = [
    ['  interval: 1 hour\n', /'1 hour' is not a Prometheus duration/],
    ['  interval: 50ms\n', /'50ms' is 50 ms/],
    ['  interval: 0100ms\n', /'0100ms' is 64 ms \(a number starting with 0 is read as octal\)/],
    ['  interval:\n', /metrics\.interval is empty, which reads as the text 'null'/],
    ['', /metrics are enabled without metrics\.interval: Falco then reads '5000'/],
  ];
  for (const [body, expected] of cases) {
    const list = check({}, '/work/falco.yaml', { text: metrics(body) }).filter((d) => d.code === 'config-start-fails');
    assert.equal(list.length, 1, `${JSON.stringify(body)}: ${show(list)}`);
    assert.match(message(list[0]), expected);
  }
  for (const body of ['  interval: 1h\n', '  interval: 100ms\n', '  interval: 010s\n', '  interval: ${INTERVAL}\n']) {
    assert.deepEqual(at(check({}, '/work/falco.yaml', { text: metrics(body) })), [], body);
  }
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: `${STARTS}metrics:\n  enabled: false\n  interval: 5000\n` })), [], 'off: not read');
  // No metrics output.
  const noOutput = `${STARTS}metrics:\n  enabled: true\n  interval: 1h\n  output_rule: false\n  output_file: ""\n`;
  const noOutputDoc = doc('/work/falco.yaml', noOutput);
  const none = s.config.diagnostics(noOutputDoc);
  assert.deepEqual(at(none), [['config-start-fails', 3, 11]], show(none));
  assert.match(message(none[0]), /'metrics\.output_rule', 'metrics\.output_file' or 'webserver\.prometheus_metrics_enabled'/);
  const [turnOn] = s.config.codeActions!(noOutputDoc, none[0].range, { diagnostics: none });
  assert.equal(turnOn.title, 'Turn on metrics.output_rule');
  assert.match(applyEdits(noOutput, editsFor(turnOn.edit, noOutputDoc.uri)), /output_rule: true/);
  const prometheus = `${noOutput}webserver:\n  prometheus_metrics_enabled: true\n`;
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: prometheus })), []);
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: prometheus, falcoVersion: '0.38' })).map((x) => x[0]), ['config-start-fails'], 'not counted before 0.39');
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: `${STARTS}metrics:\n  enabled: true\n  interval: 1h\n  output_file: /var/log/falco/metrics.jsonl\n` })), []);
});

test('an empty value reads as the text null (yaml-cpp as<std::string>): refused where a word is needed, a name elsewhere', () => {
  // A filename 'null' is a file named null: no refusal (the schema still warns that the value is empty).
  const empty = check({}, '/work/falco.yaml', { text: `${STARTS}file_output:\n  enabled: true\n  filename:\n` });
  assert.ok(!empty.some((d) => d.code === 'config-start-fails'), show(empty));
  for (const [text, expected] of [
    ['log_level:\n', /unknown log level 'null' \(an empty value reads as the text 'null'\)/],
    ['priority: ~\n', /unknown priority 'null'/],
    ['webserver:\n  listen_address: ""\n', /listen address is empty/],
  ] as const) {
    const found = check({}, '/work/falco.yaml', { text: STARTS + text }).filter((d) => d.code === 'config-start-fails');
    assert.equal(found.length, 1, text);
    assert.match(message(found[0]), expected);
  }
  // libs_logger is on when `enabled` is absent from 0.41 on: its severity is then read.
  const severity = `${STARTS}libs_logger:\n  severity: verbose\n`;
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: severity })).map((x) => x[0]), ['config-start-fails']);
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: severity, falcoVersion: '0.40' })), []);
});

/** The code, line and the fix's result of each diagnostic of the file at `path` (its text given). */
function noRulesFinding(files: Record<string, string>, path: string, text: string, falcoVersion = '0.44') {
  const { service: s } = service(files, falcoVersion);
  const d = doc(path, text);
  const found = s.config.diagnostics(d).filter((x) => x.code === 'config-no-rules-file');
  const fixed = found.map((x) => {
    const [action] = s.config.codeActions!(d, x.range, { diagnostics: [x] });
    return action ? applyEdits(text, editsFor(action.edit, d.uri)) : undefined;
  });
  return { found, fixed, again: (t: string) => s.config.diagnostics(doc(path, t, 2)) };
}

test('no rules file named: Falco stops at start unless -r names some (load_rules_files.cpp:34 at 0.44.1), a warning with a fix', () => {
  // A main file naming none: on its first key, and the fix appends Falco's default rules file (no line break at the end).
  const text = 'stdout_output:\n  enabled: true\npriority: warning';
  const main = noRulesFinding({}, '/work/falco.yaml', text);
  assert.deepEqual(at(main.found), [['config-no-rules-file', 0, 0]], show(main.found));
  assert.equal(main.found[0].severity, 2, 'a warning: -r may name them');
  assert.match(message(main.found[0]), /No rules file is named .*"You must specify at least one rules file\/directory via -r or a rules_file entry in falco\.yaml"\) unless rules files are named on its command line with -r/);
  assert.equal(main.fixed[0], `${text}\nrules_files:\n  - ${RULES_FILE}\n`);
  assert.deepEqual(main.again(main.fixed[0]!), [], 'fixed, and nothing new');
  // Its own empty key: there, and the fix adds an item without replacing anything (a comment stays).
  for (const [own, want] of [
    ['rules_files: # none yet\n', `rules_files: # none yet\n  - ${RULES_FILE}\n`],
    ['rules_files:', `rules_files:\n  - ${RULES_FILE}`],
    ['rules_files: []\n', `rules_files: [${RULES_FILE}]\n`],
    ['rules_files:\r\n', `rules_files:\r\n  - ${RULES_FILE}\r\n`],
  ]) {
    const body = `${OUTPUT.replace(/\n/g, own.includes('\r') ? '\r\n' : '\n')}${own}`;
    const empty = noRulesFinding({}, '/work/falco.yaml', body);
    assert.deepEqual(at(empty.found), [['config-no-rules-file', 2, 0]], JSON.stringify(own));
    assert.match(message(empty.found[0]), /'rules_files' names no rules file/);
    assert.equal(empty.fixed[0], `${OUTPUT.replace(/\n/g, own.includes('\r') ? '\r\n' : '\n')}${want}`);
    assert.deepEqual(empty.again(empty.fixed[0]!), [], JSON.stringify(own));
  }
  // Items that name nothing Falco can stat: an empty item (the text 'null') and "": no fix, nothing to add to.
  const blanks = noRulesFinding({}, '/work/falco.yaml', `${OUTPUT}rules_files:\n  -\n  - ""\n`);
  assert.deepEqual(at(blanks.found), [['config-no-rules-file', 2, 0]]);
  assert.deepEqual(blanks.fixed, [undefined]);
  // Named from the environment, or by a lone text: named.
  for (const named of ['rules_files: ["${RULES_DIR}"]\n', 'rules_files: ${RULES}\n', `rules_files: ${RULES_FILE}\n`, `rules_file: [${RULES_FILE}]\n`]) {
    assert.deepEqual(noRulesFinding({}, '/work/falco.yaml', `${OUTPUT}${named}`).found, [], named);
  }
});

test('no rules file named, judged merged: config_files may name them; a config.d file read alone is not judged', () => {
  const main = `${OUTPUT}config_files:\n  - /etc/falco/config.d\n`;
  // A config.d file names them: nothing to say, in either file.
  const named = { '/etc/falco/falco.yaml': main, '/etc/falco/config.d/rules.yaml': `rules_files: [${RULES_FILE}]\n` };
  assert.deepEqual(noRulesFinding(named, '/etc/falco/falco.yaml', main).found, []);
  // None names any: said on falco.yaml's first key; the config.d file says nothing (a main file's business).
  const none = { '/etc/falco/falco.yaml': main, '/etc/falco/config.d/engine.yaml': 'engine:\n  kind: modern_ebpf\n' };
  assert.deepEqual(at(noRulesFinding(none, '/etc/falco/falco.yaml', main).found), [['config-no-rules-file', 0, 0]]);
  assert.deepEqual(noRulesFinding(none, '/etc/falco/config.d/engine.yaml', none['/etc/falco/config.d/engine.yaml']).found, []);
  // A config.d file's empty list replaces falco.yaml's (override): on falco.yaml's key, naming that file; on the
  // config.d file's own key.
  const replaced = {
    '/etc/falco/falco.yaml': `${OUTPUT}rules_files: [${RULES_FILE}]\nconfig_files:\n  - path: /etc/falco/config.d\n    strategy: override\n`,
    '/etc/falco/config.d/none.yaml': 'rules_files: []\n',
  };
  const onMain = noRulesFinding(replaced, '/etc/falco/falco.yaml', replaced['/etc/falco/falco.yaml']);
  assert.deepEqual(at(onMain.found), [['config-no-rules-file', 2, 0]], show(onMain.found));
  assert.match(message(onMain.found[0]), /'rules_files' of \/etc\/falco\/config\.d\/none\.yaml names none.*This comes from \/etc\/falco\/config\.d\/none\.yaml, whose 'rules_files' replaces this one whole/);
  assert.deepEqual(onMain.fixed, [undefined]);
  assert.deepEqual(at(noRulesFinding(replaced, '/etc/falco/config.d/none.yaml', 'rules_files: []\n').found), [['config-no-rules-file', 0, 0]]);
  // With append (0.41+) the empty list adds nothing to falco.yaml's: named.
  const appended = { ...replaced, '/etc/falco/falco.yaml': `${OUTPUT}rules_files: [${RULES_FILE}]\nconfig_files:\n  - /etc/falco/config.d\n` };
  assert.deepEqual(noRulesFinding(appended, '/etc/falco/falco.yaml', appended['/etc/falco/falco.yaml']).found, []);
  // config_files Falco Lens cannot read (absent here) may name them where Falco runs: not judged.
  assert.deepEqual(noRulesFinding({}, '/work/falco.yaml', `${OUTPUT}config_files: [/opt/falco/config.d]\n`).found, []);
  // A config.d file whose main file is unknown is read alone: what it lacks is not judged.
  assert.deepEqual(noRulesFinding({}, '/elsewhere/falco/config.d/out.yaml', OUTPUT).found, []);
});

test('no rules file named at 0.37: rules_file is the only key it reads (configuration.cpp:193 at 0.37.0)', () => {
  const found = noRulesFinding({}, '/work/falco.yaml', OUTPUT, '0.37');
  assert.deepEqual(at(found.found), [['config-no-rules-file', 0, 0]]);
  assert.equal(found.fixed[0], `${OUTPUT}rules_file:\n  - ${RULES_FILE}\n`, 'the key 0.37 reads');
  assert.deepEqual(found.again(found.fixed[0]!), []);
  assert.deepEqual(noRulesFinding({}, '/work/falco.yaml', `${OUTPUT}rules_file: [${RULES_FILE}]\n`, '0.37').found, []);
});

test('no rules file named: the chart\'s values and its rendered ConfigMap are not warned; a ConfigMap\'s falco.yaml naming none is', () => {
  const host = new MemoryHost({}, { ruleFiles: [], folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion: '0.44' };
  const s = new FalcoLanguageService(host);
  const values = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'helm', 'values.yaml'), 'utf8');
  // The values' falco: is laid over the chart's own configuration, which renders rules_files: not judged, even when
  // the values leave rules_files out.
  const withoutRules = values.replace(/^ {2}rules_files:\n(?: {4}- .*\n)+/m, '');
  assert.notEqual(withoutRules, values);
  for (const text of [values, withoutRules]) {
    const codes = s.embedded.diagnostics(openHost(s, text, 'file:///ws/values.yaml')).map((d) => d.code);
    assert.ok(!codes.includes('config-no-rules-file'), codes.join(','));
  }
  const rendered = fs.readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'helm', 'rendered-configmaps.yaml'), 'utf8');
  assert.deepEqual(s.embedded.diagnostics(openHost(s, rendered, 'file:///ws/rendered.yaml')), []);
  // A ConfigMap's falco.yaml is the file Falco reads: naming none, it is told, and the fix lands in the block.
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco\ndata:\n  falco.yaml: |\n    stdout_output:\n      enabled: true\n';
  const d = openHost(s, configMap, 'file:///ws/cm.yaml');
  const found = s.embedded.diagnostics(d);
  assert.deepEqual(found.map((x) => [x.code, x.range.start.line]), [['config-no-rules-file', 6]]);
  const [fix] = s.embedded.codeActions!(d, found[0].range, { diagnostics: found });
  const fixed = applyEdits(configMap, editsFor(fix.edit, d.uri));
  assert.equal(fixed, `${configMap}    rules_files:\n      - ${RULES_FILE}\n`);
  assert.deepEqual(s.embedded.diagnostics(openHost(s, fixed, 'file:///ws/cm.yaml')), []);
});
