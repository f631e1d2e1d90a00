// Start refusals outside configuration.cpp: no output enabled (init_outputs.cpp), metrics (process_events.cpp
// init_stats_writer); and values Falco reads differently from how they look (an empty value reads as 'null').
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { prometheusInterval } from '../../server/src/service/config/loadChecks';
import { applyEdits, editsFor } from './rules-host';
import { OUTPUT, at, check, doc, message, service, show } from './config-service-helpers';

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
  const off = 'stdout_output:\n  enabled: false\nsyslog_output:\n  enabled: false\n';
  const offDoc = doc('/work/falco.yaml', off);
  const offFound = s.config.diagnostics(offDoc);
  assert.deepEqual(at(offFound), [['config-start-fails', 1, 11]], show(offFound));
  const [enable] = s.config.codeActions!(offDoc, offFound[0].range, { diagnostics: offFound });
  assert.equal(enable.title, 'Enable stdout_output');
  assert.equal(applyEdits(off, editsFor(enable.edit, offDoc.uri)), 'stdout_output:\n  enabled: true\nsyslog_output:\n  enabled: false\n');
  // An output enabled in a config.d file counts.
  const files = { '/etc/falco/falco.yaml': 'config_files: [/etc/falco/config.d]\n', '/etc/falco/config.d/out.yaml': 'http_output:\n  enabled: true\n  url: http://sink:2801/\n' };
  assert.deepEqual(at(check(files, '/etc/falco/falco.yaml')), []);
  // config_files that Falco Lens cannot read (absent here) may enable one where Falco runs: the message says so.
  const absent = check({}, '/work/falco.yaml', { text: 'config_files: [/etc/falco/config.d]\n' });
  assert.match(message(absent[0]), /without '\/etc\/falco\/config\.d' of config_files \(not on this machine\), which may change it where Falco runs/);
  // Before 0.44 the gRPC output counts when the gRPC server is on (grpc_output.enabled defaults to true).
  const grpc = 'grpc:\n  enabled: true\nstdout_output:\n  enabled: false\n';
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: grpc, falcoVersion: '0.43' })), []);
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
  const metrics = (body: string) => `${OUTPUT}metrics:\n  enabled: true\n  output_rule: true\n${body}`;
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
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: `${OUTPUT}metrics:\n  enabled: false\n  interval: 5000\n` })), [], 'off: not read');
  // No metrics output.
  const noOutput = `${OUTPUT}metrics:\n  enabled: true\n  interval: 1h\n  output_rule: false\n  output_file: ""\n`;
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
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: `${OUTPUT}metrics:\n  enabled: true\n  interval: 1h\n  output_file: /var/log/falco/metrics.jsonl\n` })), []);
});

test('an empty value reads as the text null (yaml-cpp as<std::string>): refused where a word is needed, a name elsewhere', () => {
  // A filename 'null' is a file named null: no refusal (the schema still warns that the value is empty).
  const empty = check({}, '/work/falco.yaml', { text: `${OUTPUT}file_output:\n  enabled: true\n  filename:\n` });
  assert.ok(!empty.some((d) => d.code === 'config-start-fails'), show(empty));
  for (const [text, expected] of [
    ['log_level:\n', /unknown log level 'null' \(an empty value reads as the text 'null'\)/],
    ['priority: ~\n', /unknown priority 'null'/],
    ['webserver:\n  listen_address: ""\n', /listen address is empty/],
  ] as const) {
    const found = check({}, '/work/falco.yaml', { text: OUTPUT + text }).filter((d) => d.code === 'config-start-fails');
    assert.equal(found.length, 1, text);
    assert.match(message(found[0]), expected);
  }
  // libs_logger is on when `enabled` is absent from 0.41 on: its severity is then read.
  const severity = `${OUTPUT}libs_logger:\n  severity: verbose\n`;
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: severity })).map((x) => x[0]), ['config-start-fails']);
  assert.deepEqual(at(check({}, '/work/falco.yaml', { text: severity, falcoVersion: '0.40' })), []);
});
