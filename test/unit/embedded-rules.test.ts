// Rules files embedded in other YAML files: a Helm chart's customRules (values, umbrella values, Flux HelmRelease,
// Argo CD Application) and ConfigMaps. Each is checked by the rules service as a file of its own, loaded after the
// other rules files, and every answer lands on the host's lines and columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments, parseDocument } from 'yaml';
import type { CodeAction, Diagnostic, Position, TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeHost, toEmbedded, toHost } from '../../server/src/service/embedded/regions';
import { MemoryHost, applyEdits, rulesDoc } from './rules-host';
import { prng } from './rules-random-edits';
import { openHost, positionOf, textAt } from './embedded-helpers';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'helm');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const HOST_URI = 'file:///ws/deploy/values.yaml';

function serviceWith(files: Record<string, string> = {}, ruleFiles: string[] = []) {
  const host = new MemoryHost(files, { ruleFiles, folders: ['/ws'] });
  return { host, service: new FalcoLanguageService(host) };
}

function applyAction(text: string, action: CodeAction, uri = HOST_URI): string {
  const edits = action.edit?.changes?.[uri] as TextEdit[] | undefined;
  assert.ok(edits && edits.length > 0, `${action.title} edits the host`);
  assert.deepEqual(Object.keys(action.edit!.changes!), [uri], 'an embedded file\'s edit lands on its host only');
  return applyEdits(text, edits);
}

/** The value of customRules.<key> once the host is read as YAML (what Helm hands to the chart). */
function customRule(text: string, key: string): string {
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors.map((e) => e.message), [], 'the host is still valid YAML');
  return String((doc.toJS() as { customRules: Record<string, string> }).customRules[key]);
}

const open = (service: FalcoLanguageService, text: string, uri = HOST_URI): TextDocument => openHost(service, text, uri);

test('the chart values fixture: customRules entries are embedded files in name order, cut by the block indentation', () => {
  const text = fixture('values.yaml');
  const { files: all, problems } = analyzeHost(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(all.map((f) => [f.kind, f.key]), [['rules', '00-macros.yaml'], ['rules', 'rules-nginx.yaml'], ['config', 'falco.yaml']]);
  const files = all.filter((f) => f.kind === 'rules');
  const values = parseDocument(text).toJS() as { customRules: Record<string, string> };
  for (const f of files) {
    assert.equal(f.holder, 'customRules');
    assert.equal(f.indent, 4);
    assert.equal(f.set, 0, 'one customRules mapping is one set');
    // The embedded text is the value Helm reads (|- drops the final line break, the file keeps it).
    assert.equal(f.text.replace(/\n+$/, ''), values.customRules[f.key]);
  }
  const macros = files[0];
  const hostLine = text.split('\n').findIndex((l) => l.includes('- list: nginx_binaries'));
  assert.equal(macros.firstLine, hostLine);
  assert.deepEqual(toEmbedded(macros, { line: hostLine + 1, character: 6 }), { line: 1, character: 2 });
  assert.deepEqual(toHost(macros, { line: 1, character: 2 }), { line: hostLine + 1, character: 6 });
  assert.equal(toEmbedded(macros, { line: hostLine - 1, character: 4 }), undefined, 'the key line is not the file');
  // The blank line between the two items has no columns to cut.
  assert.equal(macros.cuts[2], 0);
});

test('an indentation indicator, CRLF line breaks and a block at the end of the file map line for line', () => {
  const text = 'customRules:\r\n  a.yaml: |2\r\n      - list: deep\r\n        items: [x]\r\n';
  const [file] = analyzeHost(text).files;
  assert.equal(file.indent, 4, 'the key at column 2 and the indicator 2');
  assert.equal(file.text, '  - list: deep\r\n    items: [x]\r\n');
  const value = (parseDocument(text).toJS() as { customRules: Record<string, string> }).customRules['a.yaml'];
  assert.equal(file.text.replace(/\r\n/g, '\n'), value);
  assert.deepEqual(toHost(file, { line: 0, character: 2 }), { line: 2, character: 6 });
});

test('diagnostics of an embedded file land on the host text they are about', () => {
  const { service } = serviceWith();
  const text = fixture('values.yaml').replace('proc.name in (bash, sh, dash)', 'proc.nam in (bash, sh, dash)');
  const doc = open(service, text);
  const found = service.embedded.diagnostics(doc);
  const unknown = found.find((d) => d.code === 'unknown-field');
  assert.ok(unknown, JSON.stringify(found.map((d) => d.code)));
  assert.equal(textAt(text, unknown), 'proc.nam');
  assert.deepEqual(unknown.range.start, positionOf(text, 'proc.nam in'));
  const deprecated = found.find((d) => d.code === 'deprecated-field');
  assert.ok(deprecated);
  assert.equal(textAt(text, deprecated), 'evt.dir');
  // Nothing is reported outside the blocks (the driver and falco keys are the chart's, not rules).
  const blockLines = analyzeHost(text).files.flatMap((f) => f.cuts.map((_, i) => f.firstLine + i));
  for (const d of found) assert.ok(blockLines.includes(d.range.start.line), `${d.code} at line ${d.range.start.line} is inside a block`);
});

test('an embedded file sees the rules loaded before it, and the other files of its set', () => {
  const base = '/etc/falco/falco_rules.yaml';
  const { service } = serviceWith({ [base]: '- macro: spawned_process\n  condition: evt.type in (execve, execveat) and evt.dir=<\n' }, [base]);
  const text = [
    'customRules:',
    '  b-rules.yaml: |-',
    '    - rule: Shell in web container',
    '      desc: A shell in a web container.',
    '      condition: spawned_process and web_container and proc.name = bash',
    '      output: Shell (command=%proc.cmdline)',
    '      priority: WARNING',
    '  a-macros.yaml: |-',
    '    - macro: web_container',
    '      condition: container.image.repository endswith /nginx',
    '',
  ].join('\n');
  const doc = open(service, text);
  const codes = service.embedded.diagnostics(doc).map((d) => `${d.code}@${d.range.start.line}`);
  assert.ok(!codes.some((c) => c.startsWith('undefined-macro')), `spawned_process (configured file) and web_container (a-macros.yaml, loaded first) are defined: ${codes}`);
  // Go to definition of web_container lands on the host line of its definition; of spawned_process, on the rules file.
  const defs = service.embedded.definition!(doc, positionOf(text, 'web_container and', 2));
  assert.deepEqual(defs.map((l) => [l.uri, l.range.start.line, l.range.start.character]), [[HOST_URI, 8, 13]]);
  const baseDefs = service.embedded.definition!(doc, positionOf(text, 'spawned_process and', 2));
  assert.deepEqual(baseDefs.map((l) => [l.uri, l.range.start.line]), [['file:///etc/falco/falco_rules.yaml', 0]]);
  // The workspace's own files never see embedded definitions (a values file is another deployment's)...
  const local = rulesDoc('/ws/falco_rules.local.yaml', '- rule: Local\n  desc: d\n  condition: evt.type = execve and web_container\n  output: o (command=%proc.cmdline)\n  priority: NOTICE\n');
  service.rules.didOpenOrChange?.(local);
  assert.deepEqual(service.rules.diagnostics(local).filter((d) => d.code === 'undefined-macro').map((d) => textAt(local.getText(), d)), ['web_container']);
  // ...but the alerts service knows its rules, at the host's lines.
  assert.deepEqual(service.rules.findRule('Shell in web container')?.location, { uri: HOST_URI, range: { start: { line: 2, character: 12 }, end: { line: 2, character: 34 } } });
});

test('two HelmReleases in one file are two deployments: one does not see the other\'s macros', () => {
  const { service } = serviceWith();
  const text = fixture('helmreleases.yaml');
  const doc = open(service, text);
  const { files } = analyzeHost(text);
  assert.deepEqual(files.map((f) => [f.key, f.set]), [['macros.yaml', 0], ['rules.yaml', 0], ['rules.yaml', 1]]);
  const undefinedMacros = service.embedded.diagnostics(doc).filter((d) => d.code === 'undefined-macro');
  assert.equal(undefinedMacros.length, 1, JSON.stringify(undefinedMacros.map((d) => d.message)));
  assert.equal(textAt(text, undefinedMacros[0]), 'payments_container');
  assert.ok(undefinedMacros[0].range.start.line > files[2].firstLine, 'reported in the second release');
});

test('a ConfigMap: data entries with rules are embedded, other files of the ConfigMap are left alone', () => {
  const text = fixture('configmap.yaml');
  const { files, problems } = analyzeHost(text);
  assert.deepEqual(files.map((f) => [f.key, f.holder]), [['custom_rules.yaml', 'configMap']]);
  assert.deepEqual(problems, []);
  // Another chart's customRules holding Prometheus alerting rules: not Falco's, left alone.
  const prometheus = 'customRules:\n  latency.yaml: |-\n    groups:\n      - name: latency\n        rules:\n          - alert: HighLatency\n            expr: job:latency:mean5m > 0.5\n';
  assert.deepEqual(analyzeHost(prometheus), { files: [], problems: [] });
  // A Deployment, a Service: no rules, nothing embedded.
  assert.deepEqual(analyzeHost('apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: []\n').files, []);
  const { service } = serviceWith();
  const doc = open(service, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
  assert.deepEqual(service.embedded.diagnostics(doc), []);
  assert.equal(service.embedded.hover!(doc, { line: 1, character: 7 }), null);
});

test('the holder\'s own problems: a name Falco skips, a key Kubernetes refuses, rules_files without rules.d, a folded block', () => {
  const text = [
    'customRules:',
    '  my-rules: |-',
    '    - list: a',
    '      items: [x]',
    '  "bad key.yaml": |-',
    '    - list: b',
    '      items: [y]',
    '  folded.yaml: >',
    '    - list: c',
    '      items: [z]',
    'falco:',
    '  rules_files:',
    '    - /etc/falco/falco_rules.yaml',
    '',
  ].join('\n');
  const { service } = serviceWith();
  const doc = open(service, text);
  const found = service.embedded.diagnostics(doc).filter((d) => String(d.code).startsWith('embedded-'));
  const summary = found.map((d) => [d.code, textAt(text, d), d.severity]);
  assert.deepEqual(summary, [
    ['embedded-not-yaml-name', 'my-rules', 2],
    ['embedded-invalid-configmap-key', '"bad key.yaml"', 1],
    ['embedded-not-literal-block', 'folded.yaml', 3],
    // Only files Falco would read from rules.d are said not to load: my-rules is skipped anyway.
    ['embedded-rules-dir-not-loaded', '"bad key.yaml"', 2],
  ]);
  const withYamlName = text.replace('my-rules:', 'my-rules.yaml:');
  const again = service.embedded.diagnostics(open(service, withYamlName, 'file:///ws/two.yaml')).filter((d) => d.code === 'embedded-rules-dir-not-loaded');
  assert.deepEqual(again.map((d) => textAt(withYamlName, d)), ['"bad key.yaml"', 'my-rules.yaml']);
  // The chart's default rules_files reads rules.d: no warning without falco.rules_files.
  const noRulesFiles = withYamlName.slice(0, withYamlName.indexOf('falco:'));
  assert.deepEqual(service.embedded.diagnostics(open(service, noRulesFiles, 'file:///ws/three.yaml')).filter((d) => d.code === 'embedded-rules-dir-not-loaded'), []);

  // Quick fixes rename the keys; the result is what the messages ask for.
  const renamed = found.slice(0, 2).flatMap((d) => service.embedded.codeActions!(doc, d.range, { diagnostics: [d] })).filter((a) => a.title.startsWith('Rename the entry'));
  assert.deepEqual(renamed.map((a) => a.title), ['Rename the entry to \'my-rules.yaml\'', 'Rename the entry to \'bad-key.yaml\'']);
  let fixed = applyAction(text, renamed[0]);
  fixed = applyAction(fixed, renamed[1]);
  assert.deepEqual(Object.keys((parseDocument(fixed).toJS() as { customRules: object }).customRules), ['my-rules.yaml', 'bad-key.yaml', 'folded.yaml']);
});

test('quick fixes and source actions of an embedded file edit the host and keep it valid YAML', () => {
  const { service } = serviceWith();
  const text = fixture('values.yaml').replace('priority: WARNING', 'priority: WARN');
  const doc = open(service, text);
  const found = service.embedded.diagnostics(doc);
  const priority = found.find((d) => textAt(text, d) === 'WARN');
  assert.ok(priority, JSON.stringify(found.map((d) => [d.code, textAt(text, d)])));
  const fixes = service.embedded.codeActions!(doc, priority.range, { diagnostics: [priority] });
  const toWarning = fixes.find((a) => /WARNING/.test(a.title));
  assert.ok(toWarning, JSON.stringify(fixes.map((a) => a.title)));
  const fixed = applyAction(text, toWarning);
  assert.equal(fixed, fixture('values.yaml'));

  // "Disable rule with an override" appends to the embedded file: the appended item stays inside the block, the keys
  // after it are untouched, and the file Helm hands Falco gains exactly the item.
  const clean = fixture('values.yaml');
  const cleanDoc = open(service, clean);
  const ruleLine = positionOf(clean, 'Shell spawned by nginx');
  const source = service.embedded.codeActions!(cleanDoc, { start: ruleLine, end: ruleLine }, { diagnostics: [], only: ['source'] });
  const disable = source.find((a) => a.title.startsWith('Disable rule'));
  assert.ok(disable, JSON.stringify(source.map((a) => a.title)));
  const disabled = applyAction(clean, disable);
  const before = customRule(clean, 'rules-nginx.yaml');
  const after = customRule(disabled, 'rules-nginx.yaml');
  assert.equal(after, `${before}\n\n- rule: Shell spawned by nginx\n  enabled: false\n  override:\n    enabled: replace`);
  assert.deepEqual((parseDocument(disabled).toJS() as { falco: unknown }).falco, (parseDocument(clean).toJS() as { falco: unknown }).falco);
  assert.ok(!/[ ]+\n/.test(disabled.slice(clean.indexOf('rules-nginx.yaml'))), 'no line is left with trailing blanks');
  // The edited host is checked again: the override disables the rule, and nothing new is reported.
  const recheck = service.embedded.diagnostics(open(service, disabled));
  assert.deepEqual(recheck.filter((d) => d.severity === 1).map((d) => d.message), []);
});

test('an edit appended after a block that ends with a line break stays in the block (|+ keeps the break)', () => {
  const { service } = serviceWith();
  const text = 'customRules:\n  keep.yaml: |+\n    - rule: Keep\n      desc: d\n      condition: evt.type = execve and proc.name = bash\n      output: o (command=%proc.cmdline)\n      priority: NOTICE\n\nnext: 1\n';
  const doc = open(service, text);
  const at = positionOf(text, '- rule: Keep', 2);
  const disable = service.embedded.codeActions!(doc, { start: at, end: at }, { diagnostics: [], only: ['source'] }).find((a) => a.title.startsWith('Disable rule'));
  assert.ok(disable);
  const result = applyAction(text, disable);
  const parsed = parseDocument(result);
  assert.deepEqual(parsed.errors.map((e) => e.message), []);
  const js = parsed.toJS() as { customRules: Record<string, string>; next: number };
  assert.equal(js.next, 1, 'the key after the block is still a top-level key');
  assert.match(js.customRules['keep.yaml'], /- rule: Keep\n  enabled: false\n  override:\n    enabled: replace\n$/);
});

test('hover, completion and rename inside an embedded file', () => {
  const { service } = serviceWith();
  const text = fixture('values.yaml');
  const doc = open(service, text);
  const hover = service.embedded.hover!(doc, positionOf(text, 'evt.type in', 2));
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  assert.match(hover.contents.value, /evt\.type/);
  assert.equal(textAt(text, { range: hover.range! }), 'evt.type');
  // On the macro name used in the rule: the hover links to its definition at the host's line.
  const macroHover = service.embedded.hover!(doc, positionOf(text, 'and nginx_container', 5));
  assert.ok(macroHover && typeof macroHover.contents === 'object' && 'value' in macroHover.contents);
  const definitionLine = positionOf(text, '- macro: nginx_container').line + 1;
  assert.match(macroHover.contents.value, new RegExp(`\\(file:///ws/deploy/values\\.yaml#L${definitionLine}\\)`), macroHover.contents.value);
  assert.doesNotMatch(macroHover.contents.value, /falco-lens-embedded/);
  // Completion of a field replaces the word being typed, in host columns.
  const typed = text.replace('and nginx_container\n', 'and proc.na\n');
  const typedDoc = open(service, typed);
  const completion = service.embedded.completion!(typedDoc, positionOf(typed, 'proc.na\n', 7));
  const item = completion?.items.find((i) => i.label === 'proc.name');
  assert.ok(item && item.textEdit && 'range' in item.textEdit);
  assert.equal(textAt(typed, { range: item.textEdit.range }), 'proc.na');
  // Rename a list used in the other file of the set: both edits on the host.
  const open2 = open(service, text);
  const rename = service.embedded.rename!(open2, positionOf(text, '- list: nginx_binaries', 9), 'web_binaries');
  assert.ok(rename?.changes);
  const renamed = applyEdits(text, rename.changes[HOST_URI]);
  assert.equal(renamed.split('web_binaries').length - 1, 2);
  assert.equal(renamed.split('nginx_binaries').length - 1, 0);
  assert.equal(customRule(renamed, '00-macros.yaml'), customRule(text, '00-macros.yaml').replace('nginx_binaries', 'web_binaries'));
});

test('semantic tokens of embedded files are on the host lines of their blocks', () => {
  const { service } = serviceWith();
  const text = fixture('values.yaml');
  const doc = open(service, text);
  const { data } = service.embedded.semanticTokens!(doc);
  assert.ok(data.length > 0 && data.length % 5 === 0);
  const lines = text.split('\n');
  let line = 0;
  let char = 0;
  const seen: string[] = [];
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    seen.push(lines[line].slice(char, char + data[i + 2]));
  }
  for (const word of ['nginx_binaries', 'nginx_container', 'evt.type', 'proc.pname']) assert.ok(seen.includes(word), `${word} is a token: ${seen.join(' ')}`);
});

test('the setting falcoLens.embeddedRules turns it off', () => {
  const { service, host } = serviceWith();
  const text = fixture('values.yaml').replace('proc.name in', 'proc.nam in');
  const doc = open(service, text);
  assert.ok(service.embedded.diagnostics(doc).length > 0);
  host.config = { ...host.config, embeddedRules: false };
  assert.deepEqual(service.embedded.diagnostics(doc), []);
  assert.equal(service.embedded.hover!(doc, positionOf(text, 'evt.type in', 2)), null);
});

test('closing a host forgets its embedded files; every fixture parses as the YAML it claims to be', () => {
  const { service } = serviceWith();
  const doc = open(service, fixture('values.yaml'));
  assert.ok(service.embedded.diagnostics(doc).length > 0);
  service.embedded.didClose?.(HOST_URI);
  assert.equal(service.rules.findRule('Shell spawned by nginx'), undefined);
  for (const name of fs.readdirSync(FIXTURES)) {
    for (const d of parseAllDocuments(fixture(name)) as unknown as { errors: unknown[] }[]) assert.deepEqual(d.errors, [], name);
  }
});

test('every diagnostic of an embedded file has a range inside the host text', () => {
  const { service } = serviceWith();
  for (const name of fs.readdirSync(FIXTURES)) {
    const text = fixture(name);
    const doc = open(service, text, `file:///ws/${name}`);
    const lines = text.split('\n');
    for (const d of service.embedded.diagnostics(doc) as Diagnostic[]) {
      assert.ok(d.range.start.line < lines.length && d.range.end.line < lines.length, `${name}: ${d.code}`);
      assert.ok(d.range.end.character <= lines[d.range.end.line].length, `${name}: ${d.code} ends inside its line`);
    }
  }
});

test('random edits of a values file (typing anywhere, keys and blocks broken): no feature throws, every range is in the text', () => {
  const random = prng(20261123);
  const characters = ['a', ' ', '  ', '\n', '\n  ', '\n    ', ':', '-', '|', '|-', '>', '#', '"', '\t', 'customRules:', '- rule: x', 'condition: ', '\r\n'];
  const { service } = serviceWith();
  let text = `${fixture('values.yaml')}---\n${fixture('configmap.yaml')}`;
  for (let round = 0; round < 300; round++) {
    const at = Math.floor(random() * (text.length + 1));
    if (random() < 0.4 && text.length > 0) {
      text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 8)));
    } else {
      text = text.slice(0, at) + characters[Math.floor(random() * characters.length)] + text.slice(at);
    }
    const doc = TextDocument.create(HOST_URI, 'yaml', round + 2, text);
    service.embedded.didOpenOrChange?.(doc);
    const lineCount = doc.lineCount;
    const inText = (p: Position) => p.line >= 0 && p.line < lineCount && p.character >= 0;
    const diagnostics = service.embedded.diagnostics(doc);
    for (const d of diagnostics) assert.ok(inText(d.range.start) && inText(d.range.end), `round ${round}: ${d.code} ${JSON.stringify(d.range)}`);
    const position = doc.positionAt(Math.floor(random() * (text.length + 1)));
    const hover = service.embedded.hover!(doc, position);
    if (hover?.range) assert.ok(inText(hover.range.start) && inText(hover.range.end));
    service.embedded.completion!(doc, position);
    for (const action of service.embedded.codeActions!(doc, { start: position, end: position }, { diagnostics })) {
      for (const edits of Object.values(action.edit?.changes ?? {})) for (const e of edits) assert.ok(inText(e.range.start) && inText(e.range.end), action.title);
    }
    service.embedded.semanticTokens!(doc);
  }
});

test('the chart\'s falco: values are Falco\'s configuration, checked as laid over the chart\'s own', () => {
  const text = [
    'driver:',
    '  kind: modern_ebpf',
    'falco:',
    '  json_ouput: true',
    '  priority: warn',
    '  # Helm keeps the chart\'s file_output.filename: enabling it alone is fine.',
    '  file_output:',
    '    enabled: true',
    '  metrics:',
    '    enabled: true',
    '    output_rule: true',
    '  rules_files:',
    '    - /etc/falco/falco_rules.yaml',
    '    - /etc/falco/rules.d',
    '',
  ].join('\n');
  const { files } = analyzeHost(text);
  assert.deepEqual(files.map((f) => [f.kind, f.holder, f.firstLine, f.indent]), [['config', 'chartConfig', 3, 2]]);
  assert.equal(files[0].text.split('\n')[0], 'json_ouput: true');
  const { service } = serviceWith();
  const doc = open(service, text);
  const found = service.embedded.diagnostics(doc);
  // What the values say is judged; what they leave to the chart (a filename, the metrics interval) is not.
  assert.deepEqual(found.map((d) => [d.code, textAt(text, d)]), [['config-unknown-key', 'json_ouput'], ['config-start-fails', 'warn']]);
  const unknown = found[0];
  const fix = service.embedded.codeActions!(doc, unknown.range, { diagnostics: [unknown] }).find((a) => a.title === 'Change to \'json_output\'');
  assert.ok(fix);
  assert.match(applyAction(text, fix), /^ {2}json_output: true$/m);
  const hover = service.embedded.hover!(doc, positionOf(text, 'priority: warn', 2));
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  assert.match(hover.contents.value, /\*\*priority\*\* \(Falco configuration\)/);
  assert.equal(service.embedded.hover!(doc, positionOf(text, 'kind: modern_ebpf', 1)), null, 'the chart\'s driver key is not Falco\'s configuration');
});

test('an umbrella chart: falco: holds the subchart\'s values, and its falco: the configuration; other charts\' falco: keys are left alone', () => {
  const umbrella = 'falco:\n  driver:\n    kind: modern_ebpf\n  falco:\n    json_output: true\n    stdout_output:\n      enabled: tru\n';
  const { files } = analyzeHost(umbrella);
  assert.deepEqual(files.map((f) => [f.kind, f.firstLine, f.indent]), [['config', 4, 4]]);
  const { service } = serviceWith();
  const found = service.embedded.diagnostics(open(service, umbrella));
  assert.deepEqual(found.map((d) => [d.code, textAt(umbrella, d)]), [['config-wrong-type', 'tru']]);
  // A monitoring chart's `falco:` block (an exporter's settings): none of its keys is Falco's.
  assert.deepEqual(analyzeHost('falco:\n  enabled: true\n  endpoint: falco-metrics:8765\n').files, []);
});

test('an alert of a rule defined in an open values file: read by its template, explained, and its definition is on the host', () => {
  const { service } = serviceWith();
  const text = fixture('values.yaml');
  open(service, text);
  // A text alert as Falco prints it (json_output: false, the chart's default) for the customRules rule.
  const line = '2026-03-02T08:00:01.123456789+0000: Warning Shell under nginx (command=sh -c id parent=nginx container=web-7f9c image=docker.io/library/nginx)';
  const log = TextDocument.create('file:///logs/falco.log', 'falco-alerts', 1, `${line}\n`);
  service.alerts.didOpenOrChange?.(log);
  const at = { line: 0, character: line.indexOf('Shell under') + 3 };
  const definitions = service.alerts.definition!(log, at);
  assert.deepEqual(definitions.map((l) => [l.uri, l.range.start.line]), [[HOST_URI, positionOf(text, '- rule: Shell spawned by nginx').line]]);
  const hover = service.alerts.hover!(log, at);
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  assert.match(hover.contents.value, /Shell spawned by nginx/);
  // The field values are read by the template: the command line with its blank is one value.
  const command = service.alerts.hover!(log, { line: 0, character: line.indexOf('sh -c id') + 4 });
  assert.ok(command && typeof command.contents === 'object' && 'value' in command.contents);
  assert.match(command.contents.value, /proc\.cmdline/);
  assert.match(command.contents.value, /`sh -c id`/);
  // Closed, the values file's rules are no longer known.
  service.embedded.didClose?.(HOST_URI);
  assert.equal(service.rules.findRule('Shell spawned by nginx'), undefined);
  assert.ok(!service.rules.allRules().some((r) => r.name === 'Shell spawned by nginx'));
});

test('tuning an alert of a customRules rule writes into its block (it loads after the local rules file), and stays valid', () => {
  const { service } = serviceWith();
  const text = fixture('values.yaml');
  open(service, text);
  // A JSON alert with the fields of a process + container image exception.
  const alert = JSON.stringify({
    hostname: 'node-1', output: '08:00:01.123456789: Warning Shell under nginx (command=sh -c id parent=nginx container=web-7f9c image=docker.io/library/nginx)',
    output_fields: { 'container.id': '3f2a1b0c9d8e', 'container.name': 'web-7f9c', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772438401123456789, 'proc.cmdline': 'sh -c id', 'proc.name': 'sh', 'proc.pname': 'nginx' },
    priority: 'Warning', rule: 'Shell spawned by nginx', source: 'syscall', tags: ['container'], time: '2026-03-02T08:00:01.123456789Z',
  });
  const log = TextDocument.create('file:///logs/events.json', 'falco-alerts', 1, `${alert}\n`);
  service.alerts.didOpenOrChange?.(log);
  const actions = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const add = actions.find((a) => a.title.startsWith('Add exception for this process + container image'));
  assert.ok(add, actions.map((a) => a.title).join('\n'));
  assert.equal(add.title, 'Add exception for this process + container image (sh, docker.io/library/nginx) to deploy/values.yaml, customRules \'rules-nginx.yaml\'');
  const tuned = applyAction(text, add);
  const block = customRule(tuned, 'rules-nginx.yaml');
  assert.ok(block.startsWith(customRule(text, 'rules-nginx.yaml')), 'the block keeps what it had');
  const appended = parseDocument(block).toJS() as { rule?: string; exceptions?: unknown[]; override?: unknown }[];
  const item = appended[appended.length - 1];
  assert.equal(item.rule, 'Shell spawned by nginx');
  assert.deepEqual(item.override, { exceptions: 'append' });
  assert.deepEqual(item.exceptions, [{ name: 'falco_lens_proc_name_and_container_image_repository', fields: ['proc.name', 'container.image.repository'], comps: ['=', '='], values: [['sh', 'docker.io/library/nginx']] }]);
  // The tuned values file is checked clean: the override follows the rule it changes, in the same block.
  const after = service.embedded.diagnostics(open(service, tuned));
  assert.deepEqual(after.filter((d) => d.severity === 1).map((d) => d.message), []);
  // Applied once, not offered again.
  const again = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.ok(!again.some((a) => a.title.startsWith('Add exception for this process + container image')), again.map((a) => a.title).join('\n'));
  // The report says where the exception goes.
  const report = service.alerts.report(log, log.uri).replace(/\\/g, '');
  assert.match(report, /writes it to the block that defines the rule \(deploy\/values\.yaml, customRules 'rules-nginx\.yaml'\), which loads after your local rules file/);
});

test('messages name places by the host\'s lines, never by the embedded file\'s own (which the user never sees)', () => {
  const text = [
    '# values',
    'customRules:',
    '  a-first.yaml: |-',
    '    - rule: Uses a later macro',
    '      desc: d',
    '      condition: evt.type = execve and later_macro',
    '      output: o',
    '      priority: WARNING',
    '',
    '    - macro: twice',
    '      condition: proc.name = a',
    '',
    '    - macro: twice',
    '      condition: proc.name = b',
    '',
    '    - rule: Uses twice',
    '      desc: d',
    '      condition: evt.type = execve and twice',
    '      output: o',
    '      priority: WARNING',
    '  b-second.yaml: |-',
    '    - macro: later_macro',
    '      condition: proc.name = c',
    '',
  ].join('\n');
  const { service } = serviceWith();
  const doc = open(service, text);
  const messages = service.embedded.diagnostics(doc).map((d) => String(d.message));
  const later = messages.find((m) => m.startsWith("Undefined macro 'later_macro'"));
  // b-second.yaml's macro is on the host's line 22 (its own line 1); the redefinition's first definition on line 10.
  assert.match(later ?? messages.join('\n'), /defined only later, at line 22 \(b-second\.yaml\)\./);
  const again = messages.find((m) => m.startsWith("Macro 'twice' is defined again"));
  assert.match(again ?? messages.join('\n'), /is defined again in this file \(first at line 10\);/);

  // The block moves down when lines are added above it: the messages follow.
  const moved = open(service, `# one more line\n${text}`);
  const after = service.embedded.diagnostics(moved).map((d) => String(d.message));
  assert.ok(after.some((m) => /defined only later, at line 23 \(b-second\.yaml\)\./.test(m)), after.join('\n'));
  assert.ok(after.some((m) => /\(first at line 11\)/.test(m)), after.join('\n'));
});

test('a customRules entry Falco skips loads in no set: its neighbours cannot use its macros, its rules do not alert', () => {
  // Falco 0.41+ reads only the *.yaml/*.yml files of rules.d (configuration.cpp:731-742 at 0.44.1); 0.40 reads every
  // file of the folder (configuration.cpp:722 at 0.40.0). `my-macros` sorts before `rules.yaml`, so at 0.40 it loads first.
  const text = [
    'customRules:',
    '  my-macros: |-',
    '    - macro: m_shell',
    '      condition: proc.name in (bash, sh)',
    '    - rule: Skipped rule',
    '      desc: defined in the entry Falco skips',
    '      condition: evt.type = execve and m_shell',
    '      output: shell %proc.name',
    '      priority: WARNING',
    '  rules.yaml: |-',
    '    - rule: Uses the macro',
    '      desc: reads the macro of its neighbour',
    '      condition: evt.type = execve and m_shell',
    '      output: shell %proc.name',
    '      priority: WARNING',
    '',
  ].join('\n');
  const at = (falcoVersion: string, hostText = text) => {
    const { host, service } = serviceWith();
    host.config = { ...host.config, falcoVersion };
    const doc = open(service, hostText);
    const found = service.embedded.diagnostics(doc).map((d) => [String(d.code), textAt(hostText, d)]);
    return { service, doc, found };
  };
  const old = at('0.40');
  assert.deepEqual(old.found, []);
  assert.equal(old.service.rules.findRule('Skipped rule')?.name, 'Skipped rule');
  assert.ok(old.service.rules.allRules().some((r) => r.name === 'Skipped rule'));

  const now = at('0.44');
  // The name is the finding, with its rename; the neighbour's use of m_shell is what Falco reports: undefined.
  assert.deepEqual(now.found.filter(([code]) => code.startsWith('embedded-')), [['embedded-not-yaml-name', 'my-macros']]);
  const inNeighbour = now.found.filter(([code]) => !code.startsWith('embedded-'));
  assert.ok(inNeighbour.some(([, span]) => span === 'm_shell'), JSON.stringify(now.found));
  const macroLine = text.split('\n').indexOf('    - macro: m_shell');
  assert.ok(now.service.embedded.diagnostics(now.doc).every((d) => d.range.start.line < 2 || d.range.start.line > 8 || d.code === 'embedded-not-yaml-name'), 'the skipped text is not checked');
  assert.equal(now.service.embedded.hover!(now.doc, { line: macroLine, character: 14 }), null);
  assert.equal(now.service.rules.findRule('Skipped rule'), undefined);
  assert.ok(!now.service.rules.allRules().some((r) => r.name === 'Skipped rule'));
  const problem = now.service.embedded.diagnostics(now.doc).find((d) => d.code === 'embedded-not-yaml-name')!;
  const rename = now.service.embedded.codeActions!(now.doc, problem.range, { diagnostics: [problem] }).find((a) => a.title.startsWith('Rename the entry'));
  assert.equal(rename?.title, 'Rename the entry to \'my-macros.yaml\'');
  // Renamed, it loads again: first of the set, its macro is its neighbour's.
  const renamed = applyAction(text, rename!);
  assert.deepEqual(at('0.44', renamed).found, []);
});

test('the values\' falco.rules_files decides the order the customRules files load in, and which of them load', () => {
  // The chart renders falco.rules_files into falco.yaml; Falco reads its paths in order, a folder as its files sorted
  // by name (configuration.cpp:312-318 and :701-743 at 0.44.0). Named before rules.d, b-rules.yaml loads first.
  const blocks = [
    'customRules:',
    '  a-macros.yaml: |-',
    '    - macro: web_container',
    '      condition: container.image.repository endswith /nginx',
    '  b-rules.yaml: |-',
    '    - rule: Shell in web container',
    '      desc: A shell in a web container.',
    '      condition: evt.type = execve and web_container and proc.name = bash',
    '      output: Shell (command=%proc.cmdline)',
    '      priority: WARNING',
    'falco:',
    '  rules_files:',
  ].join('\n');
  const check = (paths: string[], falcoVersion = '0.44', key = 'rules_files') => {
    const { host, service } = serviceWith();
    host.config = { ...host.config, falcoVersion };
    const text = `${blocks.replace('rules_files:', `${key}:`)}\n${paths.map((p) => `    - ${p}\n`).join('')}`;
    const doc = open(service, text, `file:///ws/deploy/values-${paths.length}-${falcoVersion}.yaml`);
    // What the order changes (a macro's unused warning is Falco's per file, whatever the order).
    return service.embedded.diagnostics(doc).filter((d) => d.code !== 'unused-macro').map((d) => [String(d.code), textAt(text, d), d.range.start.line]);
  };
  // The chart's order (rules.d last): a-macros.yaml, then b-rules.yaml.
  assert.deepEqual(check(['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d']), []);
  const macroFirst = check(['/etc/falco/rules.d/a-macros.yaml', '/etc/falco/rules.d/b-rules.yaml']);
  assert.deepEqual(macroFirst, []);
  // b-rules.yaml named first: the macro is not defined yet when Falco reads it (a trailing slash names the folder too).
  const rulesFirst = check(['/etc/falco/rules.d/b-rules.yaml', '/etc/falco/rules.d/']);
  assert.deepEqual(rulesFirst.filter(([code]) => code === 'undefined-macro'), [['undefined-macro', 'web_container', 7]]);
  assert.ok(rulesFirst.every(([code]) => !String(code).startsWith('embedded-')), JSON.stringify(rulesFirst));
  // A file neither named nor in a listed folder is never read: said on its key, not loaded, its text not checked.
  const onlyRules = check(['/etc/falco/falco_rules.yaml', '/etc/falco/rules.d/b-rules.yaml']);
  assert.deepEqual(onlyRules.map(([code, span]) => [code, span]), [['embedded-rules-dir-not-loaded', 'a-macros.yaml'], ['undefined-macro', 'web_container']]);
  // Before 0.38 Falco reads rules_file (singular) only.
  assert.deepEqual(check(['/etc/falco/rules.d/b-rules.yaml', '/etc/falco/rules.d'], '0.37', 'rules_file').filter(([code]) => code === 'undefined-macro').length, 1);
  assert.deepEqual(check(['/etc/falco/rules.d/b-rules.yaml', '/etc/falco/rules.d'], '0.37').filter(([code]) => code !== 'config-key-too-new'), [], 'rules_files is not read by 0.37 (the configuration says so): the chart\'s default stands');
  // A path through an environment variable is not judged.
  assert.deepEqual(check(['${RULES_DIR}/b-rules.yaml']), []);
});

test('edits of an embedded file in a CRLF host write CRLF, also where they end after the block', () => {
  const { service } = serviceWith();
  const lf = 'customRules:\n  keep.yaml: |+\n    - rule: Keep\n      desc: d\n      condition: evt.type = execve and proc.name = bash\n      output: o (command=%proc.cmdline)\n      priority: NOTICE\n\nnext: 1\n';
  const variants = [lf, lf.replace('NOTICE\n\nnext', 'NOTICE\nnext'), lf.replace('|+', '|-'), lf.replace('|+', '|'), lf.replace('|+', '|-').replace('\n\nnext: 1\n', ''), lf.replace('\n\nnext: 1\n', '')];
  for (const text of variants.map((v) => v.replace(/\n/g, '\r\n'))) {
    const doc = open(service, text);
    const at = positionOf(text, '- rule: Keep', 2);
    const disable = service.embedded.codeActions!(doc, { start: at, end: at }, { diagnostics: [], only: ['source'] }).find((a) => a.title.startsWith('Disable rule'));
    assert.ok(disable);
    const result = applyAction(text, disable);
    assert.ok(!/(^|[^\r])\n/.test(result), `no bare line feed: ${JSON.stringify(result)}`);
    const js = parseDocument(result).toJS() as { customRules: Record<string, string>; next: number };
    if (text.includes('next: 1')) assert.equal(js.next, 1, 'the key after the block is still a top-level key');
    assert.match(js.customRules['keep.yaml'], /- rule: Keep\r?\n  enabled: false\r?\n  override:\r?\n    enabled: replace(\r?\n)?$/);
  }
});
