// The Falco Operator's Rulesfiles and Configs through the bundled server and CLI: a manifest's inlineRules is checked
// with the other Rulesfiles of its folder and namespace (a closed file's too) in the operator's order, at the host's
// lines; `falco-lens check deploy/` finds the manifests as it finds Helm values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeActionRequest, DefinitionRequest, HoverRequest, type CodeAction, type Hover, type Location, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'operator');
const RULESFILES = fs.readFileSync(path.join(FIXTURES, 'rulesfiles.yaml'), 'utf8');
const BASE_RULES = fs.readFileSync(path.join(FIXTURES, 'falco-rules.yaml'), 'utf8');
const DOCS = RULESFILES.split('\n---\n');
const MACROS = `${DOCS.find((d) => d.includes('name: web-macros'))!.replace(/^#.*\n/gm, '')}`;
const RULES = `${DOCS.find((d) => d.includes('name: web-rules'))!}`;
const LEGACY_CONFIG = `apiVersion: artifact.falcosecurity.dev/v1alpha1
kind: Config
metadata:
  name: legacy
  namespace: falco
spec:
  config: |-
    json_output: true
  priority: 50
`;

function workspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-operator-'));
  fs.mkdirSync(path.join(ws, 'deploy', 'falco'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'base_rules.falco.yaml'), BASE_RULES);
  fs.writeFileSync(path.join(ws, 'deploy', 'falco', 'web-macros.yaml'), MACROS);
  // Named like a rules file by a broad pattern: a manifest all the same.
  fs.writeFileSync(path.join(ws, 'deploy', 'falco', 'web_rules.yaml'), RULES);
  return ws;
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

test('a Rulesfile manifest in the editor: checked with the closed Rulesfile of its folder, hovers and quick fixes on the host', async () => {
  const ws = workspace();
  const settings = { rules: { files: [path.join(ws, 'base_rules.falco.yaml')] } };
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const uri = `file://${path.join(ws, 'deploy', 'falco', 'web_rules.yaml')}`;
    const text = RULES.replace('priority: WARNING', 'priority: WARN');
    const first = server.nextDiagnostics(uri);
    server.open(uri, 'yaml', text);
    const found = (await first).diagnostics;
    // web_server_container and web_package_managers come from web-macros.yaml (closed, priority 55): only the typo.
    const line = lineOf(text, 'priority: WARN');
    assert.deepEqual(found.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['invalid-priority', line, 16]]);

    const use = { line: lineOf(text, 'web_server_container and proc.name'), character: 37 + 3 };
    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: use }) as Hover | null;
    assert.ok(hover);
    const macrosUri = `file://${path.join(ws, 'deploy', 'falco', 'web-macros.yaml')}`;
    assert.ok((hover.contents as MarkupContent).value.includes(`(${macrosUri}#L${lineOf(MACROS, '- macro: web_server_container') + 1})`), (hover.contents as MarkupContent).value);
    const defs = await server.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: use }) as Location[];
    assert.deepEqual(defs.map((l) => [l.uri, l.range.start.line, l.range.start.character]), [[macrosUri, lineOf(MACROS, '- macro: web_server_container'), 13]]);

    const actions = await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: found[0].range, context: { diagnostics: found } }) as CodeAction[];
    const fix = actions.find((a) => /WARNING/.test(a.title));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(fix.edit?.changes?.[uri]?.map((e) => [e.range.start.line, e.range.start.character, e.newText]), [[line, 16, 'WARNING']]);

    const again = server.nextDiagnostics(uri, 2);
    server.change(uri, 2, RULES);
    assert.deepEqual((await again).diagnostics, []);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('Configs of a namespace in the editor: a key a later Config replaces is an information naming it, also after the other Config\'s edit', async () => {
  const ws = workspace();
  const settings = { rules: { files: [path.join(ws, 'base_rules.falco.yaml')] } };
  const config = (name: string, priority: number, body: string) => `apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Config\nmetadata:\n  name: ${name}\n  namespace: falco\nspec:\n  config:\n${body}  priority: ${priority}\n`;
  const engine = config('config-structured', 50, '    engine:\n      kind: modern_ebpf\n      modern_ebpf:\n        buf_size_preset: 4\n    output_timeout: 2000\n');
  const kmod = config('engine-kmod', 70, '    engine:\n      kind: kmod\n');
  fs.writeFileSync(path.join(ws, 'deploy', 'falco', 'kmod.yaml'), kmod);
  const server = await startServer({ rootDir: ws, settings, initializationOptions: { validationDelayMs: 0, settings } });
  try {
    const uri = `file://${path.join(ws, 'deploy', 'falco', 'engine.yaml')}`;
    const first = server.nextDiagnostics(uri);
    server.open(uri, 'yaml', engine);
    const found = (await first).diagnostics;
    assert.deepEqual(found.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), [['config-overridden', 3, lineOf(engine, '    engine:'), 4]]);
    assert.match(typeof found[0].message === 'string' ? found[0].message : found[0].message.value, /Config 'engine-kmod' \(kmod\.yaml:7, written as \/etc\/falco\/config\.d\/70-03-engine-kmod-inline\.yaml\)/);
    // The kmod Config opened and moved before this one: nothing replaces its engine any more.
    const kmodUri = `file://${path.join(ws, 'deploy', 'falco', 'kmod.yaml')}`;
    const opened = server.nextDiagnostics(kmodUri);
    const recheck = server.nextDiagnostics(uri);
    server.open(kmodUri, 'yaml', kmod);
    await opened;
    assert.equal((await recheck).diagnostics.length, 1, 'opening a Config re-checks the others');
    const again = server.nextDiagnostics(uri);
    server.change(kmodUri, 2, kmod.replace('priority: 70', 'priority: 40'));
    assert.deepEqual((await again).diagnostics, []);
  } finally {
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('falco-lens check deploy/ finds the operator manifests, orders the Rulesfiles as the operator does, and fails on Falco\'s errors', () => {
  const ws = workspace();
  const cli = path.join(process.cwd(), 'dist', 'cli.js');
  const check = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', ...args], { cwd: ws, encoding: 'utf8' });
  try {
    const clean = check('deploy', '--rules', 'base_rules.falco.yaml', '--format', 'json');
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.doesNotMatch(clean.stderr, /skipping/);
    // Only Falco's warnings of the macros file (its items are used by a later file).
    const findings = JSON.parse(clean.stdout) as { file: string; code: string }[];
    assert.deepEqual([...new Set(findings.map((f) => `${f.file} ${f.code}`))].sort(), ['deploy/falco/web-macros.yaml unused-list', 'deploy/falco/web-macros.yaml unused-macro']);

    // The macros at priority 70 load after the rules: Falco refuses them.
    fs.writeFileSync(path.join(ws, 'deploy', 'falco', 'web-macros.yaml'), MACROS.replace('priority: 55', 'priority: 70'));
    fs.writeFileSync(path.join(ws, 'deploy', 'falco', 'legacy-config.yaml'), LEGACY_CONFIG);
    const late = check('deploy', '--rules', 'base_rules.falco.yaml');
    assert.equal(late.status, 1, late.stdout + late.stderr);
    const useLine = lineOf(RULES, 'spawned_process and web_server_container') + 1;
    assert.match(late.stdout, new RegExp(`^deploy/falco/web_rules\\.yaml:${useLine}:29 error undefined-macro Undefined macro 'web_server_container'`, 'm'));
    assert.match(late.stdout, /^deploy\/falco\/legacy-config\.yaml:7:10 warning embedded-operator-wrong-shape config is a text here/m);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
