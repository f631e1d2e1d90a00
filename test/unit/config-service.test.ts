// The Falco configuration service (falco.yaml and config.d files): Falco's schema validation, the values that stop
// Falco from starting, rule selections against the loaded rules, the load order read from rules_files and
// config_files, hovers, completion and quick fixes.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { LANGUAGE_CONFIG, detectLanguage } from '../../server/src/service/features';
import { pathToUri } from '../../server/src/service/uri';
import { configRulesFiles, matchesWildcard } from '../../server/src/service/config/rulesFiles';
import { configuredRulesPaths } from '../../server/src/service/rules/workspace';
import { FALCO_RELEASES } from '../../server/src/knowledge/falcoVersions';
import { MemoryHost, applyEdits, editsFor, summarize } from './rules-host';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'falco-config');

const LOCAL_RULES = `- rule: Shell in container
  desc: a shell in a container
  condition: evt.type = execve and proc.name = bash
  output: shell (proc.name=%proc.name)
  priority: WARNING
  tags: [container, shell, mitre_execution]
- rule: Read sensitive file
  desc: reads
  condition: evt.type = open and fd.name = /etc/shadow
  output: read (fd.name=%fd.name)
  priority: ERROR
  tags: [filesystem]
- rule: Debug rule
  desc: noisy
  condition: evt.type = open
  output: open (fd.name=%fd.name)
  priority: DEBUG
  tags: [filesystem]
`;

/** A rules file named (setup's local rules file): a snippet ending with it is not warned for naming none. */
const RULES = 'rules_files: [/etc/falco/falco_rules.local.yaml]\n';

function setup(files: Record<string, string> = {}, falcoVersion = '0.44'): { host: MemoryHost; service: FalcoLanguageService } {
  const host = new MemoryHost({ '/etc/falco/falco_rules.local.yaml': LOCAL_RULES, ...files });
  host.config = { ...host.config, falcoVersion, rules: { ...host.config.rules, files: ['/etc/falco/falco_rules.local.yaml'] } };
  return { host, service: new FalcoLanguageService(host) };
}

function configDoc(text: string, file = '/work/falco.yaml', version = 1): TextDocument {
  return TextDocument.create(pathToUri(file), LANGUAGE_CONFIG, version, text);
}

/** The diagnostics of a snippet written as /work/falco.yaml, without the refusal for no output enabled (a snippet
 *  enables none): that refusal has its own tests. */
function diagnose(text: string, falcoVersion = '0.44', files: Record<string, string> = {}): Diagnostic[] {
  const { service } = setup(files, falcoVersion);
  return withoutNoOutput(service.config.diagnostics(configDoc(text)));
}

function withoutNoOutput(list: Diagnostic[]): Diagnostic[] {
  return list.filter((d) => !/No output configured/.test(String(d.message)));
}

function message(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : (d.message as MarkupContent).value;
}

function codes(list: Diagnostic[]): string[] {
  return list.map((d) => String(d.code));
}

function hoverText(h: Hover | null): string {
  return h ? (h.contents as MarkupContent).value : '';
}

test('falco.yaml and config.d files are the configuration language', () => {
  assert.equal(detectLanguage('/etc/falco/falco.yaml', ''), LANGUAGE_CONFIG);
  assert.equal(detectLanguage('/etc/falco/config.d/engine.yaml', ''), LANGUAGE_CONFIG);
  assert.equal(detectLanguage('/repo/deploy/falco.yaml', ''), LANGUAGE_CONFIG);
  assert.notEqual(detectLanguage('/etc/falco/falco_rules.yaml', ''), LANGUAGE_CONFIG);
  assert.notEqual(detectLanguage('/repo/my.falco.yaml', ''), LANGUAGE_CONFIG);
  const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  const lang = manifest.contributes.languages.find((l: { id: string }) => l.id === LANGUAGE_CONFIG);
  assert.ok(lang, 'package.json contributes the falco-config language');
  assert.ok(lang.filenamePatterns.includes('**/falco.yaml'));
});

test('Falco\'s default falco.yaml of every release validates clean at that release', (t) => {
  if (!fs.existsSync(FIXTURES)) { t.skip('test/fixtures/falco-config is absent'); return; }
  const files = fs.readdirSync(FIXTURES).filter((f) => /^falco-\d+\.\d+\.\d+\.yaml$/.test(f));
  assert.ok(files.length >= 6, `fixtures of several releases (${files.length})`);
  for (const file of files) {
    const release = /falco-(\d+\.\d+)\.\d+\.yaml/.exec(file)![1];
    if (!FALCO_RELEASES.some((r) => r.falco === release)) continue;
    const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    // A host without the fixture's rules paths: rules_files entries under absent folders say nothing.
    const found = diagnose(text, release).filter((d) => d.code !== 'config-rules-path-missing');
    assert.deepEqual(found.map(summarize), [], `${file} at ${release}`);
  }
});

test('unknown keys: a warning naming the closest key, and a quick fix that writes it', () => {
  const text = `json_ouptut: true\nengine:\n  kind: modern_ebpf\n  modern_ebpff:\n    buf_size_preset: 4\n${RULES}`;
  const { service } = setup();
  const doc = configDoc(text);
  const found = withoutNoOutput(service.config.diagnostics(doc));
  const unknown = found.filter((d) => d.code === 'config-unknown-key');
  assert.equal(unknown.length, 2, found.map(summarize).join('\n'));
  assert.match(message(unknown[0]), /'json_output'/);
  assert.equal(unknown[0].range.start.line, 0);
  assert.match(message(unknown[1]), /'modern_ebpf'/);
  assert.match(message(unknown[1]), /in engine/);
  const [fix] = service.config.codeActions!(doc, unknown[0].range, { diagnostics: [unknown[0]] });
  const fixed = applyEdits(text, editsFor(fix.edit, doc.uri));
  assert.ok(fixed.startsWith('json_output: true\n'), fixed);
  assert.equal(withoutNoOutput(service.config.diagnostics(configDoc(fixed, undefined, 2))).filter((d) => d.range.start.line === 0).length, 0);
});

test('before 0.39 Falco validates nothing: an unknown key is said to be silently ignored', () => {
  const [d] = diagnose('json_ouptut: true\n', '0.38');
  assert.equal(d.code, 'config-unknown-key');
  assert.match(message(d), /does not validate its configuration and silently ignores it/);
});

test('value types as yaml-cpp reads them: yes/on and quoted "true" are booleans, ${VAR} is not judged', () => {
  // Falco reads yes/off (yaml-cpp), but its schema validation (valijson, weak types) takes only exactly true/false.
  assert.deepEqual(codes(diagnose('json_output: yes\nbuffered_outputs: off\n' + RULES, '0.38')), []);
  const schema = diagnose('json_output: yes\noutput_timeout: 0x10\n' + RULES);
  assert.deepEqual(codes(schema), ['config-wrong-type', 'config-wrong-type']);
  assert.match(message(schema[0]), /Falco reads 'yes' as true or false, but its schema validation accepts only exactly true or false and fails on it\. Write true\./);
  assert.match(message(schema[1]), /Write 16\./);
  const { service } = setup();
  const doc = configDoc(`json_output: yes\n${RULES}`);
  const [d] = service.config.diagnostics(doc);
  const [fix] = service.config.codeActions!(doc, d.range, { diagnostics: [d] });
  assert.equal(applyEdits(doc.getText(), editsFor(fix.edit, doc.uri)), `json_output: true\n${RULES}`);
  const wrong = diagnose('json_output: maybe\n' + RULES);
  assert.deepEqual(codes(wrong), ['config-wrong-type']);
  assert.match(message(wrong[0]), /json_output should be true or false, not a string\. Falco cannot convert it and silently uses the default \(false\), and its schema validation fails on it/);
  assert.deepEqual(codes(diagnose('json_output: "true"\n' + RULES)), [], 'yaml-cpp converts by text, whatever the quotes');
  assert.deepEqual(codes(diagnose('json_output: ${JSON_OUTPUT}\n' + RULES)), []);
  assert.deepEqual(codes(diagnose('rules_files: /etc/falco/falco_rules.local.yaml\n')), ['config-wrong-type']);
});

test('values that stop Falco from starting are errors', () => {
  const priority = diagnose('priority: warn\n' + RULES);
  assert.deepEqual(codes(priority), ['config-start-fails']);
  assert.match(message(priority[0]), /unknown priority 'warn'/);
  assert.deepEqual((priority[0].data as { suggestions: string[] }).suggestions, ['warning']);
  assert.deepEqual(codes(diagnose('priority: INFO\n' + RULES)), [], 'info in any case is Informational');
  assert.deepEqual(codes(diagnose('priority: Warning\n' + RULES)), []);
  assert.deepEqual(codes(diagnose('rule_matching: every\n' + RULES)), ['config-start-fails']);
  const both = diagnose('rules_files: [/etc/falco/a.yaml]\nrules_file: [/etc/falco/b.yaml]\n');
  assert.ok(both.some((d) => d.code === 'config-start-fails' && /both 'rules_files' and 'rules_file'/.test(message(d))), both.map(summarize).join('\n'));
});

test('rules_file is deprecated: a warning and a rename', () => {
  const text = 'rules_file:\n  - /etc/falco/falco_rules.yaml\n';
  const { service } = setup();
  const doc = configDoc(text);
  const found = service.config.diagnostics(doc).filter((d) => d.code === 'config-deprecated-key');
  assert.equal(found.length, 1);
  const [fix] = service.config.codeActions!(doc, found[0].range, { diagnostics: found });
  assert.equal(applyEdits(text, editsFor(fix.edit, doc.uri)), 'rules_files:\n  - /etc/falco/falco_rules.yaml\n');
});

test('a rules path Falco would skip: missing beside real files, or not named .yaml', () => {
  const found = diagnose('rules_files:\n  - /etc/falco/falco_rules.local.yaml\n  - /etc/falco/falco_rule.local.yaml\n  - /opt/elsewhere/rules.yaml\n');
  assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['config-rules-path-missing', 2]]);
  const notYaml = diagnose('rules_files:\n  - /etc/falco/rules.txt\n', '0.44', { '/etc/falco/rules.txt': '- list: x\n  items: []\n' });
  assert.equal(notYaml.length, 1);
  assert.match(message(notYaml[0]), /does not end in \.yaml or \.yml/);
  assert.deepEqual(diagnose('rules_files:\n  - /etc/falco/rules.txt\n', '0.40', { '/etc/falco/rules.txt': '- list: x\n  items: []\n' }), [], 'before 0.41 any file loads');
});

test('rule selections are checked against the loaded rules, with Falco\'s * matching', () => {
  const text = [
    'rules:',
    '  - disable:',
    '      rule: "*"',
    '  - enable:',
    '      rule: Shell in container',
    '  - enable:',
    '      rule: Shell in contaner',
    '  - enable:',
    '      tag: filesystem',
    '  - disable:',
    '      tag: filesytem',
    '  - enable:',
    '      rule: Read*file',
    '',
  ].join('\n') + RULES;
  const found = diagnose(text);
  assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['config-selects-nothing', 6], ['config-selects-nothing', 10]]);
  assert.match(message(found[0]), /Did you mean 'Shell in container'/);
  assert.match(message(found[1]), /'filesystem'/);
});

test('Falco\'s wildcard does not backtrack (falco_utils.cpp matches_wildcard)', () => {
  assert.equal(matchesWildcard('*', 'anything'), true);
  assert.equal(matchesWildcard('Terminal*', 'Terminal shell in container'), true);
  assert.equal(matchesWildcard('*shell*', 'Terminal shell in container'), true);
  assert.equal(matchesWildcard('*.yaml', '/etc/falco/rules.d/a.yaml'), true);
  assert.equal(matchesWildcard('*.yaml', '/etc/falco/a.yaml.yaml'), false, 'the first .yaml is taken, the rest must then be empty');
  assert.equal(matchesWildcard('*ab', 'abab'), false);
  assert.equal(matchesWildcard('a*c', 'abc'), true);
  assert.equal(matchesWildcard('a*c', 'abd'), false);
});

test('the load order comes from falco.yaml when falcoLens.rules.files is not set, merged with config_files as Falco merges', () => {
  const files: Record<string, string> = {
    '/etc/falco/falco.yaml': 'rules_files:\n  - /etc/falco/falco_rules.yaml\n  - /etc/falco/rules.d\nconfig_files:\n  - /etc/falco/config.d\n  - path: /etc/falco/extra.yaml\n    strategy: add-only\n',
    '/etc/falco/config.d/10-incubating.yaml': 'rules_files:\n  - /etc/falco/falco-incubating_rules.yaml\n',
    '/etc/falco/config.d/20-engine.yaml': 'engine:\n  kind: modern_ebpf\n',
    '/etc/falco/extra.yaml': 'rules_files:\n  - /nowhere.yaml\n',
    '/etc/falco/falco_rules.yaml': '- macro: m\n  condition: evt.type = open\n',
    '/etc/falco/falco-incubating_rules.yaml': '- list: l\n  items: [a]\n',
    '/etc/falco/rules.d/b.yaml': '- list: b\n  items: [a]\n',
    '/etc/falco/rules.d/a.yml': '- list: a\n  items: [a]\n',
  };
  const host = new MemoryHost(files);
  host.config = { ...host.config, rules: { ...host.config.rules, files: undefined } };
  const read = configRulesFiles(host, '/etc/falco/falco.yaml');
  assert.deepEqual(read?.paths, ['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d', '/etc/falco/falco-incubating_rules.yaml']);
  assert.deepEqual(read?.configFiles, ['/etc/falco/falco.yaml', '/etc/falco/config.d/10-incubating.yaml', '/etc/falco/config.d/20-engine.yaml', '/etc/falco/extra.yaml']);
  assert.deepEqual(configuredRulesPaths(host), read?.paths);
  const service = new FalcoLanguageService(host);
  const symbols = service.rules.workspaceSymbols!('').map((s) => s.location.uri.replace('file://', ''));
  const order = [...new Set(symbols)];
  assert.deepEqual(order, ['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d/a.yml', '/etc/falco/rules.d/b.yaml', '/etc/falco/falco-incubating_rules.yaml']);
  // override replaces, and an unreadable configuration falls back to Falco's defaults.
  host.files.set('/etc/falco/config.d/10-incubating.yaml', 'rules_files: [/etc/falco/only.yaml]\n');
  host.files.set('/etc/falco/falco.yaml', 'rules_files: [/etc/falco/falco_rules.yaml]\nconfig_files:\n  - path: /etc/falco/config.d\n    strategy: override\n');
  assert.deepEqual(configRulesFiles(host, '/etc/falco/falco.yaml')?.paths, ['/etc/falco/only.yaml']);
  host.files.delete('/etc/falco/falco.yaml');
  assert.deepEqual(configuredRulesPaths(host), ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d']);
  host.config = { ...host.config, rules: { ...host.config.rules, files: [] } };
  assert.deepEqual(configuredRulesPaths(host), [], 'an explicit setting wins, even an empty one');
});

test('hovers explain keys, the priority\'s effect on the loaded rules, and what a selection selects', () => {
  const text = `priority: warning\nengine:\n  kind: modern_ebpf\nrules:\n  - disable:\n      tag: filesystem\n${RULES}`;
  const { service } = setup();
  const doc = configDoc(text);
  const key = hoverText(service.config.hover!(doc, { line: 2, character: 3 }));
  assert.match(key, /engine\\\.kind/);
  assert.match(key, /modern\\_ebpf|modern_ebpf/);
  const priority = hoverText(service.config.hover!(doc, { line: 0, character: 12 }));
  assert.match(priority, /Of the 3 loaded rules, 2 are at Warning or more severe and load; 1 are dropped/);
  const selection = hoverText(service.config.hover!(doc, { line: 5, character: 13 }));
  assert.match(selection, /Disables 2 of the 3 loaded rules/);
  assert.match(selection, /Read sensitive file/);
});

test('hover text from the workspace is escaped', () => {
  const { service } = setup();
  const doc = configDoc(`rules:\n  - enable:\n      rule: "<img src=x> *"\n${RULES}`);
  const text = hoverText(service.config.hover!(doc, { line: 2, character: 14 }));
  assert.ok(!text.includes('<img'), text);
});

function labels(list: CompletionList | null | undefined): string[] {
  return (list?.items ?? []).map((i) => i.label);
}

test('completion offers the keys of the mapping at the cursor, not those already there, and values', () => {
  const { service } = setup();
  const top = labels(service.config.completion!(configDoc('json_output: true\njs'), { line: 1, character: 2 }));
  assert.ok(top.includes('json_include_output_property'), top.join(','));
  assert.ok(!top.includes('json_output'), 'a present key is not offered again');
  const engine = labels(service.config.completion!(configDoc('engine:\n  kind: kmod\n  \n'), { line: 2, character: 2 }));
  assert.ok(engine.includes('modern_ebpf') && engine.includes('kmod'), engine.join(','));
  assert.ok(!engine.includes('kind'));
  const kind = labels(service.config.completion!(configDoc('engine:\n  kind: \n'), { line: 1, character: 8 }));
  assert.ok(kind.includes('modern_ebpf') && kind.includes('nodriver'), kind.join(','));
  const priority = labels(service.config.completion!(configDoc('priority: \n'), { line: 0, character: 10 }));
  assert.deepEqual(priority, ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug']);
  const rule = labels(service.config.completion!(configDoc(`rules:\n  - disable:\n      rule: \n${RULES}`), { line: 2, character: 12 }));
  assert.deepEqual(rule.sort(), ['Debug rule', 'Read sensitive file', 'Shell in container']);
  const item = labels(service.config.completion!(configDoc('plugins:\n  - name: k8saudit\n    \n'), { line: 2, character: 4 }));
  assert.ok(item.includes('library_path') && item.includes('init_config') && !item.includes('name'), item.join(','));
});

test('YAML errors and a file that is not a mapping are errors; a broken file never throws', () => {
  assert.deepEqual(codes(diagnose('engine:\n  kind: [modern_ebpf\n')), ['config-yaml-syntax']);
  assert.deepEqual(codes(diagnose('- a\n- b\n')), ['config-not-a-mapping']);
  assert.deepEqual(codes(diagnose('')), []);
  assert.deepEqual(codes(diagnose('# only a comment\n')), []);
  const { service } = setup();
  for (const text of ['engine:\n  kind: [', ':\n', '? [a]\n: b\n', 'a: &x\n  b: *x\n', 'rules:\n  - disable: x\n', 'plugins: [1, [2]]\n']) {
    const doc = configDoc(text);
    service.config.diagnostics(doc);
    for (let line = 0; line < 3; line++) {
      for (let character = 0; character < 12; character++) {
        service.config.hover!(doc, { line, character });
        service.config.completion!(doc, { line, character });
      }
    }
  }
});

test('engine.kind is checked against the release: ebpf and gvisor are gone in 0.44', () => {
  const at44 = diagnose('engine:\n  kind: ebpf\n' + RULES);
  assert.deepEqual(codes(at44), ['config-start-fails']);
  assert.match(message(at44[0]), /not a valid kind \(kmod, modern_ebpf, replay, nodriver\)\. Falco 0\.44 dropped the 'ebpf' engine/);
  // 0.43 runs it and logs that it is deprecated (configuration.cpp:257-261 at 0.43.0); 0.42 says nothing.
  assert.deepEqual(codes(diagnose('engine:\n  kind: ebpf\n' + RULES, '0.43')), ['config-deprecated-key']);
  assert.deepEqual(codes(diagnose('engine:\n  kind: ebpf\n' + RULES, '0.42')), []);
  assert.deepEqual((diagnose('engine:\n  kind: modern_bpf\n' + RULES)[0].data as { suggestions: string[] }).suggestions, ['modern_ebpf']);
});

test('keys Falco never reads or no longer reads: rule_files, the 0.37 buffer keys, rules_files at 0.37', () => {
  // Read by no release, it names no rules file: Falco stops (the rename is the fix, no second key is offered).
  const never = diagnose('rule_files:\n  - /etc/falco/falco_rules.local.yaml\n');
  assert.deepEqual(codes(never), ['config-deprecated-key', 'config-no-rules-file']);
  assert.match(message(never[0]), /Falco never reads 'rule_files'/);
  assert.equal((never[1].data as { fix?: unknown }).fix, undefined);
  const moved = diagnose('syscall_buf_size_preset: 4\nmodern_bpf:\n  cpus_for_each_syscall_buffer: 2\n' + RULES, '0.39');
  assert.deepEqual(codes(moved), ['config-key-removed', 'config-key-removed']);
  assert.match(message(moved[0]), /no longer read since Falco 0\.38: its setting moved to engine\.<kind>\.buf_size_preset/);
  assert.match(message(moved[1]), /engine\.modern_ebpf\.cpus_for_each_buffer/);
  assert.deepEqual(codes(diagnose('syscall_buf_size_preset: 4\nrules_file: [/etc/falco/falco_rules.local.yaml]\n', '0.37')), []);
  const early = diagnose('rules_files:\n  - /etc/falco/falco_rules.local.yaml\n', '0.37');
  assert.deepEqual(codes(early), ['config-key-too-new', 'config-no-rules-file']);
  assert.deepEqual(codes(diagnose('rules_file:\n  - /etc/falco/falco_rules.local.yaml\n', '0.37')), [], 'rules_file is the key of 0.37');
  const at44 = diagnose('rules_file:\n  - /etc/falco/falco_rules.local.yaml\n');
  assert.match(message(at44[0]), /schema validation fails on it/);
});

test('more values Falco refuses at start (configuration.cpp, 0.44.0)', () => {
  const cases: [string, RegExp, string?][] = [
    ['log_level: verbose\n', /unknown log level 'verbose'/],
    ['libs_logger:\n  enabled: true\n  severity: warn\n', /unknown sinsp log severity 'warn'/],
    ['file_output:\n  enabled: true\n  keep_alive: false\n', /file output enabled but no filename/],
    ['http_output:\n  enabled: true\n  url: ""\n', /http output enabled but no url/],
    ['webserver:\n  enabled: false\n  listen_address: localhost\n', /listen address 'localhost' is not an IP address/],
    ['syscall_event_drops:\n  actions:\n    - ignore\n    - log\n', /'log' makes no sense after 'ignore'/],
    ['syscall_event_drops:\n  actions:\n    - notify\n', /unknown syscall event drop action 'notify'/],
    ['syscall_event_drops:\n  threshold: 1.5\n', /threshold must be between 0 and 1/],
    ['syscall_event_timeouts:\n  max_consecutives: 0\n', /above 0/],
    ['capture:\n  mode: everything\n', /capture\.mode 'everything' is not a valid mode/],
    ['engine:\n  kind: replay\n', /engine\.replay\.capture_file is not set/],
    ['load_plugins: [k8saudit]\nplugins:\n  - name: container\n    library_path: libcontainer.so\n', /cannot load plugin 'k8saudit'/],
    ['plugins:\n  - name: k8saudit\n', /needs library_path/],
    ['rules:\n  - disable: Terminal shell in container\n', /a rules entry is/],
    ['engine: modern_ebpf\n', /engine is a mapping/],
  ];
  for (const [text, expected] of cases) {
    const found = diagnose(text).filter((d) => d.code === 'config-start-fails');
    assert.equal(found.length, 1, `${JSON.stringify(text)}: ${diagnose(text).map(summarize).join(' | ')}`);
    assert.match(message(found[0]), expected);
  }
  // What Falco accepts passes: an IPv6 listen address, ignore then exit, capture mode before 0.42 not read.
  for (const text of ['webserver:\n  listen_address: "::"\n', 'webserver:\n  listen_address: 0.0.0.0\n', 'syscall_event_drops:\n  actions: [log, ignore, exit]\n', 'load_plugins: []\nplugins: []\n']) {
    assert.deepEqual(diagnose(text).filter((d) => d.code === 'config-start-fails').map(summarize), [], text);
  }
});

test('keys Falco 0.37 removed without a replacement: outputs (the rate limiter) and metadata_download', () => {
  const text = 'outputs:\n  rate: 1\n  max_burst: 1000\nmetadata_download:\n  max_mb: 100\n';
  for (const release of ['0.37', '0.38', '0.44']) {
    // 0.37 reads the rules files from rules_file only.
    const found = diagnose(text + (release === '0.37' ? RULES.replace('rules_files', 'rules_file') : RULES), release);
    assert.deepEqual(codes(found), ['config-key-removed', 'config-key-removed'], release);
    assert.match(message(found[0]), /^outputs: Falco 0\.37 removed the alert rate limiter that outputs\.rate and outputs\.max_burst configured/);
    assert.match(message(found[1]), /^metadata_download: Falco 0\.37 removed its Kubernetes API server client \(the -k and -K options\)/);
    // Only the releases with a schema (0.39 on) fail its validation.
    assert.equal(/schema validation fails/.test(message(found[0])), release !== '0.37' && release !== '0.38', release);
  }
  // Under another key the names are just unknown keys; a key called like an Object property is not one of them.
  assert.deepEqual(codes(diagnose('webserver:\n  outputs: 1\nconstructor: 1\n' + RULES)), ['config-unknown-key', 'config-unknown-key']);
});

test('keys named like Object properties are unknown keys everywhere (diagnostics, hover, completion do not throw)', () => {
  const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
  const text = `${names.map((n) => `${n}: 1\n`).join('')}webserver:\n${names.map((n) => `  ${n}: 1\n`).join('')}plugins:\n  - name: x\n    constructor: 1\n${RULES}`;
  const { service } = setup();
  const doc = configDoc(text);
  const found = withoutNoOutput(service.config.diagnostics(doc));
  // Each is reported where it is, as an unknown key (a __proto__ key is an ordinary key in YAML).
  const unknown = found.filter((d) => d.code === 'config-unknown-key').map((d) => doc.getText(d.range));
  for (const n of names) assert.equal(unknown.filter((u) => u === n).length >= 2, true, `${n}: ${JSON.stringify(found.map((d) => [d.code, doc.getText(d.range)]))}`);
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const character = Math.max(0, lines[line].search(/\S/)) + 1;
    service.config.hover!(doc, { line, character });
    service.config.completion!(doc, { line, character: lines[line].length });
  }
});
