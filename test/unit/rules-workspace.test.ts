// The workspace index: load order, cross-file resolution, overrides applied in order, open documents over disk,
// validateText, incremental parsing; and the source actions on rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { compareLoadOrder, RulesWorkspaceIndex, type LoadResult } from '../../server/src/service/rules/workspace';
import { pathToUri } from '../../server/src/service/uri';
import { parseRulesFile } from '../../server/src/service/rules/model';
import { MemoryHost, applyEdits, editsFor, rulesDoc, summarize } from './rules-host';

const BASE = `- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- rule: Shell Spawned
  desc: A shell was started
  condition: spawned_process and proc.name in (shell_binaries)
  output: "Shell started | process=%proc.name command=%proc.cmdline parent=%proc.pname"
  priority: WARNING
  tags: [shell]
`;

test('workspace files load in Falco order: base, official, plugins, local and rules.d last', () => {
  const paths = ['/w/rules.d/zz.yaml', '/w/my.local.yaml', '/w/k8saudit-gke/k8s_audit_rules_gke.yaml', '/w/k8saudit/k8s_audit_rules.yaml',
    '/w/falco-sandbox_rules.yaml', '/w/falco_rules.yaml', '/w/falco-incubating_rules.yaml'];
  assert.deepEqual([...paths].sort(compareLoadOrder), ['/w/falco_rules.yaml', '/w/falco-incubating_rules.yaml', '/w/falco-sandbox_rules.yaml',
    '/w/k8saudit/k8s_audit_rules.yaml', '/w/k8saudit-gke/k8s_audit_rules_gke.yaml', '/w/my.local.yaml', '/w/rules.d/zz.yaml']);
});

test('a local file uses macros and lists of falco_rules.yaml and overrides its rules', () => {
  const local = `- list: shell_binaries
  items: [zsh]
  override:
    items: append
- rule: Shell Spawned
  priority: ERROR
  tags: [custom]
  override:
    priority: replace
    tags: append
- rule: Local Rule
  desc: d
  condition: spawned_process and proc.name in (shell_binaries)
  output: "x | p=%proc.name"
  priority: INFO
`;
  const host = new MemoryHost({ '/w/falco_rules.yaml': BASE, '/w/falco_rules.local.yaml': local }, { folders: ['/w'] });
  const svc = createRulesService(host);
  const diags = svc.diagnostics(rulesDoc('/w/falco_rules.local.yaml', local));
  assert.deepEqual(diags.map(summarize), []);
  const rule = svc.findRule('Shell Spawned');
  assert.equal(rule?.priority, 'ERROR');
  assert.deepEqual(rule?.tags, ['shell', 'custom']);
  assert.match(rule?.location?.uri ?? '', /falco_rules\.yaml$/);
  // The base file's list is used by the local rule: nothing unused there.
  assert.deepEqual(svc.diagnostics(rulesDoc('/w/falco_rules.yaml', BASE)).map(summarize), []);
});

test('configured files load before workspace files; a folder contributes its yaml files sorted', () => {
  const host = new MemoryHost({
    '/etc/falco/falco_rules.yaml': BASE,
    '/etc/falco/rules.d/b.yaml': '- macro: from_b\n  condition: from_a\n',
    '/etc/falco/rules.d/a.yaml': '- macro: from_a\n  condition: proc.name = a\n',
    '/w/x_rules.yaml': '- rule: W\n  desc: d\n  condition: spawned_process and from_b\n  output: "o | p=%proc.name"\n  priority: INFO\n',
  }, { folders: ['/w'], ruleFiles: ['/etc/falco/falco_rules.yaml', '/etc/falco/missing.yaml', '/etc/falco/rules.d'] });
  const svc = createRulesService(host);
  assert.deepEqual(svc.diagnostics(rulesDoc('/w/x_rules.yaml', host.files.get('/w/x_rules.yaml')!)).map(summarize), []);
  // b.yaml uses a macro of a.yaml, which loads first. Its own macro is used only by the workspace file, loaded after
  // it: Falco warns about it when it loads b.yaml.
  assert.deepEqual(svc.diagnostics(rulesDoc('/etc/falco/rules.d/b.yaml', host.files.get('/etc/falco/rules.d/b.yaml')!)).map(summarize), [
    "1:10-1:16 unused-macro Macro 'from_b' is not referred to by any rule or macro of this file or the files loaded before it: Falco warns when it loads this file (only files loaded after it use it). (LOAD_UNUSED_MACRO)",
  ]);
});

test('an override of an item defined only in a later file is an error (load order matters)', () => {
  const host = new MemoryHost({
    '/w/falco_rules.yaml': `${BASE}- macro: early\n  condition: or proc.name = x\n  override:\n    condition: append\n`,
    '/w/z.local.yaml': '- macro: early\n  condition: proc.name = y\n',
  }, { folders: ['/w'] });
  const svc = createRulesService(host);
  const diags = svc.diagnostics(rulesDoc('/w/falco_rules.yaml', host.files.get('/w/falco_rules.yaml')!));
  assert.deepEqual(diags.map((d) => d.code), ['no-previous-definition']);
});

test('open documents override the disk and closing restores it', () => {
  const host = new MemoryHost({ '/w/falco_rules.yaml': BASE, '/w/x.local.yaml': '- macro: m\n  condition: spawned_process\n' }, { folders: ['/w'] });
  const svc = createRulesService(host);
  const edited = BASE.replace('- macro: spawned_process', '- macro: spawned_proc');
  svc.didOpenOrChange!(rulesDoc('/w/falco_rules.yaml', edited, 2));
  const local = rulesDoc('/w/x.local.yaml', host.files.get('/w/x.local.yaml')!);
  assert.ok(svc.diagnostics(local).some((d) => d.code === 'undefined-macro'));
  svc.didClose!(rulesDoc('/w/falco_rules.yaml', '').uri);
  assert.ok(!svc.diagnostics(local).some((d) => d.code === 'undefined-macro'));
});

test('validateText validates a hypothetical file loaded after everything else', () => {
  const host = new MemoryHost({ '/w/falco_rules.yaml': BASE }, { folders: ['/w'] });
  const svc = createRulesService(host);
  const good = '- rule: Shell Spawned\n  exceptions:\n    - name: ok\n      fields: [proc.name, proc.pname]\n      comps: [=, =]\n      values:\n        - [bash, sshd]\n  override:\n    exceptions: append\n';
  assert.deepEqual(svc.validateText('file:///w/falco_rules.local.yaml', good).map(summarize), []);
  const bad = good.replace('proc.pname', 'proc.pnmae');
  assert.deepEqual(svc.validateText('file:///w/falco_rules.local.yaml', bad).map((d) => d.code), ['unknown-field']);
  // The hypothetical text changed nothing: the rule has no exception.
  assert.equal(svc.findRule('Shell Spawned')?.priority, 'WARNING');
});

test('incremental parsing: an edit re-parses one item and yields the same model as a full parse', () => {
  const items = Array.from({ length: 50 }, (_, i) => `- macro: m${i}\n  condition: >\n    proc.name = a${i}\n`).join('\n');
  const edited = items.replace('proc.name = a25', 'proc.name = changed and proc.pname = x');
  const incremental = parseRulesFile('file:///x.yaml', items) && parseRulesFile('file:///x.yaml', edited);
  // A document marker forces the whole-file path; the models must agree item by item.
  const whole = parseRulesFile('file:///y.yaml', `---\n${edited}`);
  assert.equal(incremental.items.length, 50);
  assert.equal(whole.items.length, 50);
  for (let i = 0; i < 50; i++) {
    const a = incremental.items[i];
    const b = whole.items[i];
    assert.equal(a.name, b.name);
    assert.equal(a.span.start + 4, b.span.start);
    assert.deepEqual(a.entries.map((e) => [e.key, e.keySpan.start + 4]), b.entries.map((e) => [e.key, e.keySpan.start]));
  }
});

test('source actions: Add exception and Disable rule produce overrides that re-validate clean and apply', () => {
  const host = new MemoryHost({ '/w/falco_rules.yaml': BASE }, { folders: ['/w'] });
  const svc = createRulesService(host);
  const doc = rulesDoc('/w/falco_rules.yaml', BASE);
  const at = doc.positionAt(BASE.indexOf('Shell Spawned'));
  const actions = svc.codeActions!(doc, { start: at, end: at }, { diagnostics: [], only: ['source'] });
  const add = actions.find((a) => a.kind === 'source.addException');
  const disable = actions.find((a) => a.kind === 'source.disableRule');
  assert.ok(add && disable);
  const withException = applyEdits(BASE, editsFor(add.edit, doc.uri));
  assert.ok(withException.startsWith(BASE), 'the edit only appends');
  assert.match(withException, /fields: \[proc\.name, proc\.cmdline, proc\.pname\]/);
  assert.match(withException, /comps: \[=, =, =\]/);
  const exDoc = rulesDoc('/w/falco_rules.yaml', withException, 2);
  svc.didOpenOrChange!(exDoc);
  assert.deepEqual(svc.diagnostics(exDoc).map(summarize), []);
  // Offered again, the exception gets a new name (never a duplicate).
  const again = svc.codeActions!(exDoc, { start: at, end: at }, { diagnostics: [], only: ['source.addException'] });
  const twice = applyEdits(withException, editsFor(again[0].edit, doc.uri));
  assert.match(twice, /shell_spawned_known_good_2/);

  const disabled = applyEdits(BASE, editsFor(disable.edit, doc.uri));
  const disDoc = rulesDoc('/w/falco_rules.yaml', disabled, 3);
  svc.didOpenOrChange!(disDoc);
  assert.deepEqual(svc.diagnostics(disDoc).map(summarize), []);
  assert.equal(svc.findRule('Shell Spawned')?.enabled, false);
  // Once disabled, Disable is not offered again.
  assert.ok(!svc.codeActions!(disDoc, { start: at, end: at }, { diagnostics: [], only: ['source'] }).some((a) => a.kind === 'source.disableRule'));
});

test('a rule name with YAML-special characters is quoted in generated overrides', () => {
  const text = BASE.replace('- rule: Shell Spawned', '- rule: "Shell: spawned # really"');
  const host = new MemoryHost({ '/w/falco_rules.yaml': text }, { folders: ['/w'] });
  const svc = createRulesService(host);
  const doc = rulesDoc('/w/falco_rules.yaml', text);
  const at = doc.positionAt(text.indexOf('Shell:'));
  const disable = svc.codeActions!(doc, { start: at, end: at }, { diagnostics: [], only: ['source.disableRule'] })[0];
  const out = applyEdits(text, editsFor(disable.edit, doc.uri));
  assert.match(out, /- rule: "Shell: spawned # really"\n {2}enabled: false/);
  const outDoc = rulesDoc('/w/falco_rules.yaml', out, 2);
  svc.didOpenOrChange!(outDoc);
  assert.deepEqual(svc.diagnostics(outDoc).map(summarize), []);
});

test('an edit of a later file keeps the earlier files\' definitions (same objects) and equals a fresh load', () => {
  const local = `- list: shell_binaries
  items: [zsh]
  override:
    items: append
- rule: Shell Spawned
  priority: ERROR
  override:
    priority: replace
- rule: Shell Spawned
  enabled: false
- macro: spawned_process
  condition: and proc.pid > 0
  append: true
- rule: Missing
  priority: INFO
  override:
    priority: replace
`;
  const paths = ['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml'];
  const host = new MemoryHost({ [paths[0]]: BASE, [paths[1]]: local }, { ruleFiles: paths });
  const index = new RulesWorkspaceIndex(host);
  const first = index.load();
  const edited = local.replace('priority: ERROR', 'priority: CRITICAL');
  const second = index.load({ uri: pathToUri(paths[1]), text: edited });
  assert.notEqual(second, first);
  assert.equal(second.files[0], first.files[0], 'the unchanged file keeps its LoadedFile');
  assert.equal(second.after[0], first.after[0], 'its definitions are taken over');
  assert.equal(second.final.rules.get('Shell Spawned')?.priority, 'CRITICAL');
  const fresh = new RulesWorkspaceIndex(host).load({ uri: pathToUri(paths[1]), text: edited });
  const shape = (r: LoadResult) => JSON.stringify({
    after: r.after.map((d) => [...d.macros, ...d.lists, ...d.rules].map(([name, def]) => [name, { ...def, contributions: def.contributions.map((c) => [c.file.uri, c.item.span, c.mode]), exceptions: undefined }])),
    findings: [...r.findings].map(([item, list]) => [item.span, list.map((f) => [f.code, f.previous?.item.span])]),
  });
  assert.equal(shape(second), shape(fresh));
  assert.ok([...second.findings.values()].flat().some((f) => f.code === 'no-previous-definition'), 'findings of the edited file are there');
});

test('configured folders and files are expanded as the target release loads them', () => {
  const macro = (name: string) => `- macro: ${name}\n  condition: proc.name = ${name}\n`;
  const files = {
    '/etc/falco/rules.d/a.yaml': macro('from_a'),
    '/etc/falco/rules.d/B.YAML': macro('from_upper'),
    '/etc/falco/rules.d/c.yml': macro('from_c'),
    '/etc/falco/rules.d/notes.txt': macro('from_notes'),
    // Falco's *.yaml match takes the first '.yaml' of the path and does not backtrack (falco_utils.cpp:215 at 0.44.1).
    '/etc/falco/rules.d/x.yaml.yaml': macro('from_double'),
    '/etc/falco/rules.d/sub/d.yaml': macro('from_sub'),
    '/etc/falco/extra.rules': macro('from_extra'),
  };
  const ruleFiles = ['/etc/falco/rules.d', '/etc/falco/extra.rules'];
  const at = (falcoVersion: string) => {
    const host = new MemoryHost(files, { ruleFiles });
    host.config = { ...host.config, falcoVersion };
    return { host, paths: new RulesWorkspaceIndex(host).files().map((f) => f.path) };
  };
  // 0.41 and later: only names matching *.yaml or *.yml (case-sensitive), in a folder and named directly
  // (configuration.cpp:731-742 at 0.44.1, read_rules_file_directory; the same since 0.41.0:738-749).
  assert.deepEqual(at('0.44').paths, ['/etc/falco/rules.d/a.yaml', '/etc/falco/rules.d/c.yml']);
  assert.deepEqual(at('0.41').paths, ['/etc/falco/rules.d/a.yaml', '/etc/falco/rules.d/c.yml']);
  // Before 0.41: every regular file of the folder, sorted by path, and any file named (configuration.cpp:541-579 at
  // 0.37.0); subfolders are not read.
  const old = ['/etc/falco/rules.d/B.YAML', '/etc/falco/rules.d/a.yaml', '/etc/falco/rules.d/c.yml', '/etc/falco/rules.d/notes.txt', '/etc/falco/rules.d/x.yaml.yaml', '/etc/falco/extra.rules'];
  assert.deepEqual(at('0.40').paths, old);
  assert.deepEqual(at('0.37').paths, old);
  // What is loaded is what is known: a workspace rule using the macros of the skipped files.
  const rule = '- rule: R\n  desc: d\n  condition: from_a and from_upper and from_notes and from_extra\n  output: "o | p=%proc.name"\n  priority: INFO\n';
  const undefinedMacros = (falcoVersion: string) => {
    const { host } = at(falcoVersion);
    host.files.set('/w/r_rules.yaml', rule);
    host.folders = ['/w'];
    return createRulesService(host).diagnostics(rulesDoc('/w/r_rules.yaml', rule)).filter((d) => d.code === 'undefined-macro').map((d) => /'([^']+)'/.exec(String(d.message))?.[1]);
  };
  assert.deepEqual(undefinedMacros('0.44'), ['from_upper', 'from_notes', 'from_extra']);
  assert.deepEqual(undefinedMacros('0.40'), []);
});
