// Falco's configuration through the bundled server: the rules files its rules_files names load before the
// workspace's when falcoLens.rules.files is not set, falco.yaml gets its own diagnostics, and saving it reloads the
// rules load order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidSaveTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { startServer } from '../helpers/lspClient';

test('rules_files of falco.yaml load first; falco.yaml is checked; a save reloads the load order', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-config-'));
  const etc = path.join(root, 'etc');
  const ws = path.join(root, 'ws');
  fs.mkdirSync(etc);
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(etc, 'base_rules.yaml'), '- macro: base_macro\n  condition: evt.type = execve\n');
  fs.writeFileSync(path.join(etc, 'more_rules.yaml'), '- macro: more_macro\n  condition: evt.type = open\n');
  const configPath = path.join(etc, 'falco.yaml');
  fs.writeFileSync(configPath, `rules_files:\n  - ${path.join(etc, 'base_rules.yaml')}\n`);
  const local = '- rule: Uses both\n  desc: d\n  condition: base_macro or more_macro\n  output: o (proc.name=%proc.name)\n  priority: WARNING\n';
  const server = await startServer({
    rootDir: ws,
    settings: { falcoConfigFile: configPath, rules: { files: null } },
    initializationOptions: { validationDelayMs: 0, settings: { falcoConfigFile: configPath, rules: { files: null } } },
  });
  try {
    const localUri = `file://${path.join(ws, 'falco_rules.local.yaml')}`;
    const first = server.nextDiagnostics(localUri);
    server.open(localUri, 'falco-rules', local);
    const undefinedMacros = (await first).diagnostics.filter((d) => d.code === 'undefined-macro').map((d) => d.message);
    assert.equal(undefinedMacros.length, 1, 'base_macro comes from falco.yaml\'s rules file; more_macro is not loaded yet');
    assert.match(String(undefinedMacros[0]), /more_macro/);

    const configUri = `file://${configPath}`;
    const configText = `rules_files:\n  - ${path.join(etc, 'base_rules.yaml')}\n  - ${path.join(etc, 'more_rules.yaml')}\npriority: warn\nstdout_output:\n  enabled: true\n`;
    const configDiagnostics = server.nextDiagnostics(configUri);
    server.open(configUri, 'falco-config', configText);
    const found = (await configDiagnostics).diagnostics;
    assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['config-start-fails', 3]]);

    // Falco reads its configuration from disk: the new list counts once saved.
    fs.writeFileSync(configPath, configText);
    const after = server.nextDiagnostics(localUri);
    void server.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: configUri } });
    assert.deepEqual((await after).diagnostics.map((d) => String(d.code)), [], 'more_macro now loads from the saved list');
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a config.d file is checked merged into the falco.yaml that includes it; saving it re-checks falco.yaml', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-lens-config-d-'));
  const etc = path.join(root, 'falco');
  const configD = path.join(etc, 'config.d');
  fs.mkdirSync(configD, { recursive: true });
  const configPath = path.join(etc, 'falco.yaml');
  const rulesPath = path.join(etc, 'falco_rules.yaml');
  fs.writeFileSync(rulesPath, '- list: shell_binaries\n  items: [bash]\n');
  const mainText = `stdout_output:\n  enabled: true\nconfig_files:\n  - ${configD}\nload_plugins: [json]\nrules_files:\n  - ${rulesPath}\n`;
  fs.writeFileSync(configPath, mainText);
  const pluginsPath = path.join(configD, 'plugins.yaml');
  const pluginsText = 'plugins:\n  - name: json\n    library_path: libjson.so\n';
  fs.writeFileSync(pluginsPath, 'plugins: []\n');
  const server = await startServer({
    rootDir: root,
    settings: { falcoConfigFile: configPath, rules: { files: [] } },
    initializationOptions: { validationDelayMs: 0, settings: { falcoConfigFile: configPath, rules: { files: [] } } },
  });
  try {
    const mainUri = `file://${configPath}`;
    const first = server.nextDiagnostics(mainUri);
    server.open(mainUri, 'falco-config', mainText);
    const before = (await first).diagnostics;
    assert.deepEqual(before.map((d) => [d.code, d.range.start.line]), [['config-start-fails', 4]], 'the plugin is defined in no file yet');
    // The config.d file, edited: judged inside falco.yaml, so its json plugin is what load_plugins loads.
    const pluginsUri = `file://${pluginsPath}`;
    const included = server.nextDiagnostics(pluginsUri);
    server.open(pluginsUri, 'falco-config', pluginsText);
    assert.deepEqual((await included).diagnostics, []);
    // Saved: Falco reads the disk, and so does falco.yaml's check.
    fs.writeFileSync(pluginsPath, pluginsText);
    const after = server.nextDiagnostics(mainUri);
    void server.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: pluginsUri } });
    assert.deepEqual((await after).diagnostics, []);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
