// The Falco Operator's resources (artifact.falcosecurity.dev/v1alpha1): a Rulesfile's spec.inlineRules is a rules
// file written as structured YAML, loaded in the operator's order (the file names it gives them in
// /etc/falco/rules.d: priority, then sub-priority per medium, then name), after the workspace's rules files; a
// Config's spec.config is a file of /etc/falco/config.d. Every answer lands on the host's lines and columns, and
// every edit keeps the manifest valid YAML with the same structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments, parseDocument } from 'yaml';
import type { CodeAction, Diagnostic, Position, TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { analyzeHost, operatorFileName, toEmbedded, toHost } from '../../server/src/service/embedded/regions';
import { MemoryHost, applyEdits } from './rules-host';
import { pathToUri } from '../../server/src/service/uri';
import { openHost, positionOf, textAt, message } from './embedded-helpers';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'operator');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const RULESFILES = fixture('rulesfiles.yaml');
const PAYMENTS = fixture('payments.yaml');
/** What the workspace gives before the Rulesfiles: spawned_process, as the official rules define it. */
const BASE = '/etc/falco/falco_rules.yaml';
const HOST_URI = 'file:///ws/deploy/falco/rulesfiles.yaml';

function serviceWith(files: Record<string, string> = {}) {
  const host = new MemoryHost({ [BASE]: fixture('falco-rules.yaml'), ...files }, { ruleFiles: [BASE], folders: ['/ws'] });
  return { host, service: new FalcoLanguageService(host) };
}

function applyAction(text: string, action: CodeAction, uri = HOST_URI): string {
  const edits = action.edit?.changes?.[uri] as TextEdit[] | undefined;
  assert.ok(edits && edits.length > 0, `${action.title} edits the host`);
  assert.deepEqual(Object.keys(action.edit!.changes!), [uri], 'the edit lands on the host only');
  return applyEdits(text, edits);
}

/** The manifest's documents as Kubernetes reads them (the host must stay valid YAML). */
function documents(text: string): any[] {
  return (parseAllDocuments(text) as unknown as { errors: { message: string }[]; toJS(): unknown }[]).map((d) => {
    assert.deepEqual(d.errors.map((e) => e.message), [], 'the manifest is valid YAML');
    return d.toJS();
  });
}

function resource(text: string, name: string): any {
  const found = documents(text).find((d) => d?.metadata?.name === name);
  assert.ok(found, `a resource named ${name}`);
  return found;
}

const errors = (found: Diagnostic[]) => found.filter((d) => d.severity === 1).map((d) => `${d.code}: ${message(d)}`);

const open = (service: FalcoLanguageService, text: string, uri = HOST_URI): TextDocument => openHost(service, text, uri);

test('operator facts: the file names the operator gives a Rulesfile\'s media (priority, sub-priority, name, medium)', () => {
  // internal/pkg/priority: NameFromPriorityAndSubPriority("%0*d-%0*d-%s", 2, p, 2, sub, "<name>-<medium>.yaml").
  assert.equal(operatorFileName(50, 'oci', 'falco-rules'), '50-01-falco-rules-oci.yaml');
  assert.equal(operatorFileName(5, 'configmap', 'payments'), '05-02-payments-configmap.yaml');
  assert.equal(operatorFileName(0, 'inline', 'web'), '00-03-web-inline.yaml');
  // Falco sorts rules.d by path: an OCI artifact before a ConfigMap's entry before inline rules at one priority.
  const names = [operatorFileName(50, 'inline', 'a'), operatorFileName(50, 'oci', 'z'), operatorFileName(50, 'configmap', 'a'), operatorFileName(49, 'inline', 'z')];
  assert.deepEqual([...names].sort(), ['49-03-z-inline.yaml', '50-01-z-oci.yaml', '50-02-a-configmap.yaml', '50-03-a-inline.yaml']);
});

test('a Rulesfile\'s inlineRules is an embedded rules file: the list\'s lines cut by the items\' indentation, the same items as the manifest holds', () => {
  const { files, problems, oci } = analyzeHost(RULESFILES);
  assert.deepEqual(problems, []);
  // In the operator's order, not the documents': the macros (priority 55) before the rules (60).
  assert.deepEqual(files.map((f) => [f.kind, f.holder, f.key, f.indent, f.operator?.resource]), [
    ['rules', 'rulesfile', '55-03-web-macros-inline.yaml', 4, 'web-macros'],
    ['rules', 'rulesfile', '60-03-web-rules-inline.yaml', 4, 'web-rules'],
  ]);
  assert.deepEqual(oci, [{ resource: 'falco-rules', namespace: 'falco', priority: 50, repository: 'falcosecurity/rules/falco-rules', fileName: '50-01-falco-rules-oci.yaml' }]);
  // The embedded text parses to the items the API server keeps (and the operator writes back).
  for (const f of files) {
    const parsed = parseDocument(f.text);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.toJS(), resource(RULESFILES, f.operator!.resource).spec.inlineRules);
  }
  const rules = files[1];
  assert.equal(rules.firstLine, positionOf(RULESFILES, '- rule: Package manager').line);
  assert.deepEqual(toEmbedded(rules, positionOf(RULESFILES, 'desc: A package manager')), { line: 1, character: 2 });
  assert.deepEqual(toHost(rules, { line: 1, character: 2 }), positionOf(RULESFILES, 'desc: A package manager'));
  assert.equal(toEmbedded(rules, positionOf(RULESFILES, 'inlineRules:')), undefined, 'the key line is not the file');
  assert.equal(toEmbedded(rules, positionOf(RULESFILES, 'priority: 60')), undefined, 'spec.priority after the list is not the file');
});

test('the multi-document manifest: the macro of the lower-priority Rulesfile is defined for the other, whatever the documents\' order', () => {
  const { service } = serviceWith();
  const doc = open(service, RULESFILES);
  const found = service.embedded.diagnostics(doc);
  assert.deepEqual(errors(found), []);
  assert.ok(!found.some((d) => d.code === 'undefined-macro'), JSON.stringify(found.map((d) => d.code)));
  // Definition of the macro used by web-rules: the line of its definition in web-macros, in the same manifest.
  const defs = service.embedded.definition!(doc, positionOf(RULESFILES, 'web_server_container and proc.name', 3));
  assert.deepEqual(defs.map((l) => [l.uri, l.range.start]), [[HOST_URI, positionOf(RULESFILES, 'web_server_container', 0, 2)]]);
  // Its hover links to that host line.
  const hover = service.embedded.hover!(doc, positionOf(RULESFILES, 'web_server_container and proc.name', 3));
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  assert.match(hover.contents.value, new RegExp(`\\(file:///ws/deploy/falco/rulesfiles\\.yaml#L${positionOf(RULESFILES, '- macro: web_server_container').line + 1}\\)`));
  assert.doesNotMatch(hover.contents.value, /falco-lens-embedded/);

  // With web-macros at priority 70 the operator writes 70-03-web-macros-inline.yaml after 60-03-web-rules-inline.yaml:
  // Falco reads the rules first, and their macro is undefined there.
  const later = RULESFILES.replace('priority: 55', 'priority: 70');
  const undefinedMacros = service.embedded.diagnostics(open(service, later)).filter((d) => d.code === 'undefined-macro');
  assert.deepEqual(undefinedMacros.map((d) => [textAt(later, d), d.range.start.line]), [
    ['web_server_container', positionOf(later, 'spawned_process and web_server_container').line],
    ['web_server_container', positionOf(later, 'web_server_container and proc.name').line],
  ]);
  assert.match(message(undefinedMacros[0]), /70-03-web-macros-inline\.yaml/);
  // At equal priority the names decide: web-macros sorts before web-rules.
  const equal = RULESFILES.replace('priority: 55', 'priority: 60');
  assert.ok(!service.embedded.diagnostics(open(service, equal)).some((d) => d.code === 'undefined-macro'));
});

test('rename and references across the Rulesfiles of a manifest; the result parses to the same structure, renamed', () => {
  const { service } = serviceWith();
  const doc = open(service, RULESFILES);
  const at = positionOf(RULESFILES, '- list: web_package_managers', 9);
  const refs = service.embedded.references!(doc, at, true);
  assert.deepEqual(refs.map((l) => textAt(RULESFILES, l)), ['web_package_managers', 'web_package_managers']);
  const edit = service.embedded.rename!(doc, at, 'web_installers');
  assert.ok(edit?.changes);
  const renamed = applyEdits(RULESFILES, edit.changes[HOST_URI]);
  const before = documents(RULESFILES);
  const after = documents(renamed);
  assert.equal(JSON.stringify(after), JSON.stringify(before).replace(/web_package_managers/g, 'web_installers'));
});

test('quick fixes and source actions keep the list\'s indentation: the manifest stays valid and holds the same resources', () => {
  const { service } = serviceWith();
  const text = RULESFILES.replace('priority: WARNING', 'priority: WARN');
  const doc = open(service, text);
  const priority = service.embedded.diagnostics(doc).find((d) => textAt(text, d) === 'WARN');
  assert.ok(priority);
  const fix = service.embedded.codeActions!(doc, priority.range, { diagnostics: [priority] }).find((a) => /WARNING/.test(a.title));
  assert.ok(fix);
  assert.equal(applyAction(text, fix), RULESFILES);

  // Disable a rule with an override: a new item at the end of web-rules' list, before its spec.priority.
  const clean = open(service, RULESFILES);
  const ruleAt = positionOf(RULESFILES, '- rule: Shell in web container', 10);
  const disable = service.embedded.codeActions!(clean, { start: ruleAt, end: ruleAt }, { diagnostics: [], only: ['source'] }).find((a) => a.title.startsWith('Disable rule'));
  assert.ok(disable);
  const disabled = applyAction(RULESFILES, disable);
  const web = resource(disabled, 'web-rules');
  assert.equal(web.spec.priority, 60, 'spec.priority is still a key of spec');
  assert.deepEqual(web.spec.inlineRules.slice(0, 2), resource(RULESFILES, 'web-rules').spec.inlineRules);
  assert.deepEqual(web.spec.inlineRules[2], { rule: 'Shell in web container', enabled: false, override: { enabled: 'replace' } });
  assert.deepEqual(resource(disabled, 'web-macros'), resource(RULESFILES, 'web-macros'));
  assert.deepEqual(resource(disabled, 'falco-rules'), resource(RULESFILES, 'falco-rules'));
  assert.deepEqual(errors(service.embedded.diagnostics(open(service, disabled))), []);
});

test('a list written at its key\'s column, and comments less indented than the items: mapped line by line, edits stay in the list', () => {
  const text = [
    'apiVersion: artifact.falcosecurity.dev/v1alpha1',
    'kind: Rulesfile',
    'metadata:',
    '  name: compact',
    'spec:',
    '  inlineRules:',
    '  - macro: shell_binaries_run',
    '    condition: proc.name in (bash, sh, zsh)',
    '# A comment at column 0 inside the list (YAML does not read a comment\'s indentation).',
    '  - rule: Shell started',
    '    desc: A shell started.',
    '    condition: evt.type = execve and evt.dir = < and shell_binaries_run',
    '    output: Shell started (command=%proc.cmdline)',
    '    priority: NOTICE',
    '  priority: 40',
    '',
  ].join('\n');
  const [file] = analyzeHost(text).files;
  assert.equal(file.indent, 2);
  assert.deepEqual(file.cuts, [2, 2, 0, 2, 2, 2, 2, 2]);
  assert.equal(file.text.split('\n')[2], '# A comment at column 0 inside the list (YAML does not read a comment\'s indentation).');
  assert.deepEqual(parseDocument(file.text).toJS(), (parseDocument(text).toJS() as any).spec.inlineRules);
  const { service } = serviceWith();
  const uri = 'file:///ws/compact.yaml';
  const doc = open(service, text, uri);
  assert.deepEqual(errors(service.embedded.diagnostics(doc)), []);
  // A typo after the comment is reported at its host column.
  const typo = text.replace('priority: NOTICE', 'priority: NOTICED');
  const found = service.embedded.diagnostics(open(service, typo, uri)).find((d) => textAt(typo, d) === 'NOTICED');
  assert.ok(found, 'the priority after the comment is checked at its host position');
  const at = positionOf(text, '- rule: Shell started', 9);
  const disable = service.embedded.codeActions!(open(service, text, uri), { start: at, end: at }, { diagnostics: [], only: ['source'] }).find((a) => a.title.startsWith('Disable rule'));
  assert.ok(disable);
  const result = applyAction(text, disable, uri);
  const spec = (parseDocument(result).toJS() as any).spec;
  assert.equal(spec.priority, 40);
  assert.deepEqual(spec.inlineRules[2], { rule: 'Shell started', enabled: false, override: { enabled: 'replace' } });
  assert.match(result, /\n {2}- rule: Shell started\n {4}enabled: false\n/);
});

test('the v0.1.x text form: an error (Falco refuses a rules file that is a text), and a fix that makes it the list', () => {
  const text = [
    'apiVersion: artifact.falcosecurity.dev/v1alpha1',
    'kind: Rulesfile',
    'metadata:',
    '  name: legacy',
    'spec:',
    '  inlineRules: |-',
    '    - rule: Shell started',
    '      desc: A shell started.',
    '      condition: spawned_process and proc.name = bash',
    '      output: Shell started (command=%proc.cmdline)',
    '      priority: NOTICE',
    '',
  ].join('\n');
  const uri = 'file:///ws/legacy.yaml';
  const { service } = serviceWith();
  const doc = open(service, text, uri);
  const found = service.embedded.diagnostics(doc);
  assert.deepEqual(found.map((d) => [d.code, d.severity, textAt(text, d)]), [['embedded-operator-wrong-shape', 1, ' |-']]);
  assert.match(message(found[0]), /Rules content is not yaml/);
  const fix = service.embedded.codeActions!(doc, found[0].range, { diagnostics: found }).find((a) => a.title === 'Write inlineRules as a list (remove \'|-\')');
  assert.ok(fix);
  const fixed = applyAction(text, fix, uri);
  assert.deepEqual((parseDocument(fixed).toJS() as any).spec.inlineRules, parseDocument((parseDocument(text).toJS() as any).spec.inlineRules).toJS());
  // Now a list: checked as a rules file, clean.
  const again = service.embedded.diagnostics(open(service, fixed, uri));
  assert.deepEqual(again.map((d) => d.code), []);
  // A mapping is refused by Falco too; no fix.
  const mapping = text.replace('inlineRules: |-\n    - rule', 'inlineRules:\n    rule');
  const onMapping = service.embedded.diagnostics(open(service, mapping, uri));
  assert.deepEqual(onMapping.map((d) => [d.code, textAt(mapping, d)]), [['embedded-operator-wrong-shape', 'inlineRules']]);
  assert.match(message(onMapping[0]), /array of objects/);
});

test('flow style, a wrong priority, a ConfigMap without rules.yaml: holder notes on the manifest, nothing thrown', () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: extra',
    'data:',
    '  custom.yaml: |',
    '    - list: x',
    '      items: [a]',
    '---',
    'apiVersion: artifact.falcosecurity.dev/v1alpha1',
    'kind: Rulesfile',
    'metadata:',
    '  name: flow',
    'spec:',
    '  inlineRules: [{list: allowed, items: [a, b]}]',
    '  configMapRef:',
    '    name: extra',
    '  priority: 120',
    '',
  ].join('\n');
  const uri = 'file:///ws/flow.yaml';
  const { service } = serviceWith();
  const found = service.embedded.diagnostics(open(service, text, uri)).filter((d) => String(d.code).startsWith('embedded-'));
  assert.deepEqual(found.map((d) => [d.code, d.severity, textAt(text, d)]), [
    ['embedded-operator-priority', 1, '120'],
    ['embedded-flow-collection', 3, 'inlineRules'],
    ['embedded-operator-configmap-entry', 2, 'extra'],
  ]);
  assert.match(message(found[2]), /has no data entry 'rules\.yaml'/);
  // The hover inside the flow list is left to the YAML tooling.
  assert.equal(service.embedded.hover!(open(service, text, uri), positionOf(text, 'allowed')), null);
});

test('a Rulesfile\'s ConfigMap in the manifest: its rules.yaml loads at the Rulesfile\'s place, before the inline rules', () => {
  const { files } = analyzeHost(PAYMENTS);
  assert.deepEqual(files.filter((f) => f.kind === 'rules').map((f) => [f.holder, f.key, f.operator?.fileName]), [
    ['configMap', 'rules.yaml', '70-02-payments-configmap.yaml'],
    ['rulesfile', '70-03-payments-inline.yaml', '70-03-payments-inline.yaml'],
  ]);
  const { service } = serviceWith();
  const uri = 'file:///ws/deploy/falco/payments.yaml';
  const doc = open(service, PAYMENTS, uri);
  const found = service.embedded.diagnostics(doc);
  assert.deepEqual(errors(found), []);
  assert.ok(!found.some((d) => d.code === 'undefined-macro'));
  const defs = service.embedded.definition!(doc, positionOf(PAYMENTS, 'payments_container and not', 3));
  assert.deepEqual(defs.map((l) => [l.uri, l.range.start.line]), [[uri, positionOf(PAYMENTS, '- macro: payments_container').line]]);
  // Another namespace's Rulesfile does not read it (the operator fetches the ConfigMap from the Rulesfile's namespace).
  const elsewhere = PAYMENTS.replace(/name: payments\n  namespace: falco/, 'name: payments\n  namespace: shop');
  assert.ok(service.embedded.diagnostics(open(service, elsewhere, uri)).some((d) => d.code === 'undefined-macro'));
});

test('a Rulesfile that Falco reads before the official rules\' OCI artifact: a warning on its rules, with the priority that fixes it', () => {
  const { service } = serviceWith();
  const early = RULESFILES.replace('priority: 55', 'priority: 40');
  const notes = service.embedded.diagnostics(open(service, early)).filter((d) => d.code === 'embedded-operator-loads-before');
  assert.equal(notes.length, 1);
  assert.equal(notes[0].severity, 2);
  assert.equal(textAt(early, notes[0]), 'inlineRules');
  assert.equal(notes[0].range.start.line, positionOf(early, 'inlineRules', 0, 1).line, 'on web-macros\' inlineRules');
  assert.match(message(notes[0]), /\/etc\/falco\/rules\.d\/40-03-web-macros-inline\.yaml.*Rulesfile 'falco-rules'.*falcosecurity\/rules\/falco-rules \(50-01-falco-rules-oci\.yaml\).*A priority of 50 or more/);
  // At 50 the inline rules (sub-priority 03) come after the artifact (01): no note.
  const same = RULESFILES.replace('priority: 55', 'priority: 50');
  assert.deepEqual(service.embedded.diagnostics(open(service, same)).filter((d) => d.code === 'embedded-operator-loads-before'), []);
});

test('Rulesfiles of other files of the same folder and namespace load together, closed ones read from disk; other folders do not', () => {
  const docs = RULESFILES.split('\n---\n');
  const macros = docs.find((d) => d.includes('name: web-macros'))!;
  const rules = docs.find((d) => d.includes('name: web-rules'))!;
  const { service } = serviceWith({ '/ws/deploy/falco/web-macros.yaml': macros, '/ws/deploy/falco/kustomization.yaml': 'resources: [web-macros.yaml, web-rules.yaml]\n' });
  const uri = 'file:///ws/deploy/falco/web-rules.yaml';
  const doc = open(service, rules, uri);
  const found = service.embedded.diagnostics(doc);
  assert.deepEqual(errors(found), []);
  // Definition and rename reach the closed file, at its own lines.
  const at = positionOf(rules, 'web_server_container and proc.name', 3);
  const defs = service.embedded.definition!(doc, at);
  assert.deepEqual(defs.map((l) => [l.uri, l.range.start]), [['file:///ws/deploy/falco/web-macros.yaml', positionOf(macros, 'web_server_container', 0, 0)]]);
  const edit = service.embedded.rename!(doc, at, 'web_tier_container');
  assert.ok(edit?.changes);
  assert.deepEqual(Object.keys(edit.changes).sort(), ['file:///ws/deploy/falco/web-macros.yaml', uri]);
  const renamedMacros = applyEdits(macros, edit.changes['file:///ws/deploy/falco/web-macros.yaml']);
  assert.deepEqual(resource(renamedMacros, 'web-macros').spec.inlineRules[1].macro, 'web_tier_container');
  // The same Rulesfile in another folder (another cluster's overlay): its macros are not there.
  const other = service.embedded.diagnostics(open(service, rules, 'file:///ws/deploy/staging/web-rules.yaml'));
  assert.ok(other.some((d) => d.code === 'undefined-macro'));
  // Closing the open file leaves the closed one alone; reopened, it is checked the same.
  service.embedded.didClose?.(uri);
  assert.deepEqual(errors(service.embedded.diagnostics(open(service, rules, uri))), []);
});

test('an alert of an inline rule: its definition is on the manifest, and tuning writes an exception into the Rulesfile\'s list', () => {
  const { service } = serviceWith();
  open(service, RULESFILES);
  const alert = JSON.stringify({
    hostname: 'node-2', output: '09:12:40.000000001: Notice Shell in a web container (command=bash parent=runc container=web-7d4)',
    output_fields: { 'container.id': '8a7b6c5d4e3f', 'container.name': 'web-7d4', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772442760000000001, 'proc.cmdline': 'bash', 'proc.name': 'bash', 'proc.pname': 'runc' },
    priority: 'Notice', rule: 'Shell in web container', source: 'syscall', tags: ['container', 'shell', 'web'], time: '2026-03-02T09:12:40.000000001Z',
  });
  const log = TextDocument.create('file:///logs/web.json', 'falco-alerts', 1, `${alert}\n`);
  service.alerts.didOpenOrChange?.(log);
  const definitions = service.alerts.definition!(log, { line: 0, character: alert.indexOf('Shell in web') + 2 });
  assert.deepEqual(definitions.map((l) => [l.uri, l.range.start.line]), [[HOST_URI, positionOf(RULESFILES, '- rule: Shell in web container').line]]);
  const actions = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const add = actions.find((a) => a.title.startsWith('Add exception for this process + container image'));
  assert.ok(add, actions.map((a) => a.title).join('\n'));
  assert.equal(add.title, 'Add exception for this process + container image (bash, docker.io/library/nginx) to deploy/falco/rulesfiles.yaml, Rulesfile \'web-rules\' inlineRules');
  const tuned = applyAction(RULESFILES, add);
  const items = resource(tuned, 'web-rules').spec.inlineRules;
  assert.deepEqual(items.slice(0, 2), resource(RULESFILES, 'web-rules').spec.inlineRules);
  assert.deepEqual(items[2], {
    rule: 'Shell in web container', override: { exceptions: 'append' },
    exceptions: [{ name: 'falco_lens_proc_name_and_container_image_repository', fields: ['proc.name', 'container.image.repository'], comps: ['=', '='], values: [['bash', 'docker.io/library/nginx']] }],
  });
  assert.equal(resource(tuned, 'web-rules').spec.priority, 60);
  assert.deepEqual(errors(service.embedded.diagnostics(open(service, tuned))), []);
  const again = service.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  assert.ok(!again.some((a) => a.title.startsWith('Add exception for this process + container image')));
});

test('a Config\'s spec.config is a config.d file merged after the operator\'s falco.yaml: its keys and values checked at host columns', () => {
  const { files } = analyzeHost(PAYMENTS);
  const config = files.find((f) => f.kind === 'config')!;
  assert.deepEqual([config.holder, config.key, config.indent], ['operatorConfig', '60-03-outputs-inline.yaml', 4]);
  assert.deepEqual(parseDocument(config.text).toJS(), resource(PAYMENTS, 'outputs').spec.config);
  const { service } = serviceWith();
  const uri = 'file:///ws/deploy/falco/payments.yaml';
  const configFindings = (d: Diagnostic) => String(d.code).startsWith('config-');
  assert.deepEqual(service.embedded.diagnostics(open(service, PAYMENTS, uri)).filter(configFindings), [], 'no output missing, no rules file missing: the operator\'s falco.yaml has them');
  const text = PAYMENTS.replace('json_output: true', 'json_ouput: true').replace('enabled: true\n      url', 'enabled: tru\n      url');
  const doc = open(service, text, uri);
  const found = service.embedded.diagnostics(doc).filter(configFindings);
  assert.deepEqual(found.map((d) => [d.code, textAt(text, d)]), [['config-unknown-key', 'json_ouput'], ['config-wrong-type', 'tru']]);
  const fix = service.embedded.codeActions!(doc, found[0].range, { diagnostics: [found[0]] }).find((a) => a.title === 'Change to \'json_output\'');
  assert.ok(fix);
  assert.deepEqual(resource(applyAction(text, fix, uri), 'outputs').spec.config.json_output, true);
  const hover = service.embedded.hover!(doc, positionOf(text, 'json_include_output_property', 2));
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
  assert.match(hover.contents.value, /\*\*json\\_include\\_output\\_property\*\* \(Falco configuration\)/);
  // The v0.1.x text form: Falco merges nothing from it; the fix makes it the mapping.
  const legacy = 'apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Config\nmetadata:\n  name: legacy\nspec:\n  config: |\n    json_output: true\n';
  const legacyUri = 'file:///ws/legacy-config.yaml';
  const legacyDoc = open(service, legacy, legacyUri);
  const wrong = service.embedded.diagnostics(legacyDoc);
  assert.deepEqual(wrong.map((d) => [d.code, d.severity]), [['embedded-operator-wrong-shape', 2]]);
  const toMapping = service.embedded.codeActions!(legacyDoc, wrong[0].range, { diagnostics: wrong }).find((a) => a.title.startsWith('Write config as a mapping'));
  assert.ok(toMapping);
  assert.deepEqual(resource(applyAction(legacy, toMapping, legacyUri), 'legacy').spec.config, { json_output: true });
  // An included file cannot list config_files: Falco refuses to start.
  const nested = 'apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Config\nmetadata:\n  name: nested\nspec:\n  config:\n    config_files:\n      - /etc/falco/extra.d\n';
  const onNested = service.embedded.diagnostics(open(service, nested, 'file:///ws/nested.yaml'));
  assert.deepEqual(onNested.map((d) => [d.code, d.severity, textAt(nested, d)]), [['embedded-operator-config-files', 1, 'config_files']]);
});

test('random edits of an operator manifest: no feature throws, every range is in the text', () => {
  let seed = 20260820;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const characters = ['a', ' ', '  ', '\n', '\n  ', '\n    ', ':', '-', '|-', '[', '#', '"', '\t', 'inlineRules:', '- rule: x', 'priority: 7', '---\n', '\r\n'];
  const { service } = serviceWith();
  let text = `${RULESFILES}---\n${PAYMENTS}`;
  for (let round = 0; round < 250; round++) {
    const at = Math.floor(random() * (text.length + 1));
    if (random() < 0.4 && text.length > 0) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 8)));
    else text = text.slice(0, at) + characters[Math.floor(random() * characters.length)] + text.slice(at);
    const doc = TextDocument.create(HOST_URI, 'yaml', round + 2, text);
    service.embedded.didOpenOrChange?.(doc);
    const inText = (p: Position) => p.line >= 0 && p.line < doc.lineCount && p.character >= 0;
    const diagnostics = service.embedded.diagnostics(doc);
    for (const d of diagnostics) assert.ok(inText(d.range.start) && inText(d.range.end), `round ${round}: ${d.code}`);
    const position = doc.positionAt(Math.floor(random() * (text.length + 1)));
    const hover = service.embedded.hover!(doc, position);
    if (hover?.range) assert.ok(inText(hover.range.start) && inText(hover.range.end));
    service.embedded.completion!(doc, position);
    for (const action of service.embedded.codeActions!(doc, { start: position, end: position }, { diagnostics })) {
      for (const edits of Object.values(action.edit?.changes ?? {})) for (const e of edits) assert.ok(inText(e.range.start) && inText(e.range.end), action.title);
    }
  }
});

test('the fixtures are the operator\'s shape and valid YAML', () => {
  for (const name of fs.readdirSync(FIXTURES)) {
    const docs = parseAllDocuments(fixture(name)) as unknown as { errors: unknown[]; toJS(): any }[];
    for (const d of docs) {
      assert.deepEqual(d.errors, [], name);
      const js = d.toJS();
      if (js?.kind === 'Rulesfile' || js?.kind === 'Config') {
        assert.equal(js.apiVersion, 'artifact.falcosecurity.dev/v1alpha1');
        assert.ok(js.metadata.name && Number.isInteger(js.spec.priority) && js.spec.priority >= 0 && js.spec.priority <= 99, name);
      }
    }
  }
});

test('a configMapRef naming a ConfigMap of another file: its rules.yaml loads at the Rulesfile\'s place, closed or open', () => {
  // The operator reads the ConfigMap from the Rulesfile's namespace, whichever file applied it (manager.go
  // StoreFromConfigMap), and writes its rules.yaml as 60-02-web-rules-configmap.yaml: before the inline rules (60-03),
  // after web-macros' (55-03).
  const rulesfile = [
    'apiVersion: artifact.falcosecurity.dev/v1alpha1',
    'kind: Rulesfile',
    'metadata:',
    '  name: web-rules',
    '  namespace: falco',
    'spec:',
    '  priority: 60',
    '  configMapRef:',
    '    name: web-extra',
    '  inlineRules:',
    '    - rule: Curl in web container',
    '      desc: curl started in a web container.',
    '      condition: evt.type = execve and web_curl',
    '      output: curl (command=%proc.cmdline)',
    '      priority: NOTICE',
    '---',
    'apiVersion: artifact.falcosecurity.dev/v1alpha1',
    'kind: Rulesfile',
    'metadata:',
    '  name: web-macros',
    '  namespace: falco',
    'spec:',
    '  priority: 55',
    '  inlineRules:',
    '    - macro: web_image',
    '      condition: container.image.repository endswith /nginx',
    '',
  ].join('\n');
  const configMap = (namespace = 'falco', key = 'rules.yaml') => [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: web-extra',
    `  namespace: ${namespace}`,
    'data:',
    `  ${key}: |-`,
    '    - macro: web_curl',
    '      condition: proc.name = curl and web_image',
    '',
  ].join('\n');
  const RULESFILE_URI = 'file:///ws/deploy/falco/rulesfiles.yaml';
  const CONFIGMAP_PATH = '/ws/deploy/falco/configmaps.yaml';
  const codes = (service: FalcoLanguageService, text: string, uri: string) => service.embedded.diagnostics(openHost(service, text, uri))
    .filter((d) => d.code !== 'unused-macro').map((d) => [String(d.code), textAt(text, d)]);

  // The ConfigMap's file closed: read from the workspace, its macro is defined when the inline rule is read.
  const closed = serviceWith({ [CONFIGMAP_PATH]: configMap() }).service;
  assert.deepEqual(codes(closed, rulesfile, RULESFILE_URI), []);
  // Opened, its entry is checked in the Rulesfiles' group (web_image comes from web-macros, read before it).
  assert.deepEqual(codes(closed, configMap(), pathToUri(CONFIGMAP_PATH)), []);
  const definition = closed.embedded.definition!(openHost(closed, rulesfile, RULESFILE_URI), positionOf(rulesfile, 'web_curl'));
  assert.deepEqual(definition.map((l) => [l.uri, l.range.start.line]), [[pathToUri(CONFIGMAP_PATH), 7]]);

  // The ConfigMap opened first, then the Rulesfile: its entry joins the group once the Rulesfile is known.
  const opened = serviceWith().service;
  const cmDoc = openHost(opened, configMap(), pathToUri(CONFIGMAP_PATH));
  assert.deepEqual(opened.embedded.diagnostics(cmDoc).filter((d) => d.code === 'undefined-macro').map((d) => textAt(configMap(), d)), ['web_image'], 'alone, a ConfigMap is its own deployment');
  assert.deepEqual(codes(opened, rulesfile, RULESFILE_URI), []);
  assert.deepEqual(opened.embedded.diagnostics(cmDoc).filter((d) => d.code === 'undefined-macro'), []);

  // No such ConfigMap in the Rulesfile's namespace: said on the name; the inline rule's macro is undefined.
  for (const files of [{}, { [CONFIGMAP_PATH]: configMap('payments') }] as Record<string, string>[]) {
    const missing = codes(serviceWith(files).service, rulesfile, RULESFILE_URI);
    assert.deepEqual(missing, [['embedded-operator-configmap-missing', 'web-extra'], ['undefined-macro', 'web_curl']]);
  }
  // The ConfigMap without rules.yaml: the entry the operator reads is missing.
  const withoutEntry = codes(serviceWith({ [CONFIGMAP_PATH]: configMap('falco', 'other.yaml') }).service, rulesfile, RULESFILE_URI);
  assert.deepEqual(withoutEntry, [['embedded-operator-configmap-entry', 'web-extra'], ['undefined-macro', 'web_curl']]);
});
