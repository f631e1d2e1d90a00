// Editor tests: the extension inside a real VS Code. They wait on editor events, never on fixed sleeps.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'falco-lens.falco-lens';

/** A WorkspaceEdit as the protocol writes it (a command's argument is not converted by the LanguageClient). */
interface LspEdit { changes?: Record<string, unknown>; documentChanges?: { textDocument?: { uri: string }; uri?: string }[] }

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Resolves with the diagnostics of `uri` once `accept` holds for them (or rejects after the timeout). */
function diagnosticsWhere(uri: vscode.Uri, accept: (d: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 30000): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const current = vscode.languages.getDiagnostics(uri);
      if (accept(current)) { subscription.dispose(); clearTimeout(timer); resolve(current); return true; }
      return false;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => { if (e.uris.some((u) => u.toString() === uri.toString())) check(); });
    const timer = setTimeout(() => { subscription.dispose(); reject(new Error(`diagnostics for ${uri.path} not as expected: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`)); }, timeoutMs);
    check();
  });
}

suite('Falco Lens in VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    await extension.activate();
  });

  test('the extension is active', () => {
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  test('its commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['falcoLens.restartServer', 'falcoLens.showOutput', 'falcoLens.generateReport']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  test('a Falco JSON log and a local rules file get their language ids', async () => {
    const log = await vscode.workspace.openTextDocument(workspaceFile('falco_events.json'));
    assert.equal(log.languageId, 'falco-alerts');
    const rules = await vscode.workspace.openTextDocument(workspaceFile('falco_rules.local.yaml'));
    assert.equal(rules.languageId, 'falco-rules');
    const byContent = await vscode.workspace.openTextDocument(workspaceFile('node-3-stdout'));
    assert.equal(byContent.languageId, 'falco-alerts', 'detected from the first line');
  });

  test('diagnostics appear for a faulty rules file', async () => {
    const uri = workspaceFile('broken_rules.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await diagnosticsWhere(uri, (d) => d.length > 0);
    assert.ok(diagnostics.some((d) => d.source === 'falco'), 'diagnostics come from Falco Lens');
  });

  test('falco.yaml is the Falco configuration: its mistakes are reported and a quick fix repairs a key', async () => {
    const uri = workspaceFile('falco.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'falco-config');
    await vscode.window.showTextDocument(doc);
    const diagnostics = await diagnosticsWhere(uri, (d) => d.length >= 2);
    const unknown = diagnostics.find((d) => d.code === 'config-unknown-key');
    assert.ok(unknown, `the misspelt key is reported: ${diagnostics.map((d) => d.message).join(' | ')}`);
    assert.ok(diagnostics.some((d) => d.code === 'config-start-fails' && d.severity === vscode.DiagnosticSeverity.Error), 'the unknown priority is an error');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, unknown.range);
    const fix = actions.find((a) => a.title === "Change to 'json_output'" && a.edit);
    assert.ok(fix, `a rename is offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.match(doc.getText(), /^json_output: true$/m);
    await diagnosticsWhere(uri, (d) => !d.some((x) => x.code === 'config-unknown-key'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /json\\_output|json_output/);
    // A near miss of a value Falco compares exactly gets the word it meant (b514a51).
    const priority = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'config-start-fails' && /unknown priority 'warn'/.test(d.message));
    assert.ok(priority, 'the unknown priority is still reported');
    const valueFixes = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, priority.range);
    const word = valueFixes.filter((a) => a.title === "Change to 'warning'" && a.edit);
    assert.equal(word.length, 1, `one fix writes the word: ${valueFixes.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(word[0].edit!));
    assert.match(doc.getText(), /^priority: warning$/m);
    await diagnosticsWhere(uri, (d) => !d.some((x) => /unknown priority/.test(x.message)));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a Helm values file stays YAML; its customRules are checked at their lines and a quick fix edits the block', async () => {
    const uri = workspaceFile('helm/values.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'yaml');
    await vscode.window.showTextDocument(doc);
    const diagnostics = await diagnosticsWhere(uri, (d) => d.some((x) => x.source === 'falco'));
    const priority = diagnostics.find((d) => doc.getText(d.range) === 'WARNNG');
    assert.ok(priority, `the priority typo is reported on its word: ${diagnostics.map((d) => `${d.range.start.line}:${d.message}`).join(' | ')}`);
    assert.equal(priority.range.start.line, 9);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, priority.range);
    const fix = actions.find((a) => /WARNING/.test(a.title) && a.edit);
    assert.ok(fix, `a fix is offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.lineAt(9).text, '      priority: WARNING');
    await diagnosticsWhere(uri, (d) => !d.some((x) => x.source === 'falco' && x.severity === vscode.DiagnosticSeverity.Error));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a rules file answers highlights and expand selection; a values file outlines its customRules', async () => {
    const uri = workspaceFile('falco_rules.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    // The list's name at its definition (line 5) highlights its use in the rule's condition (line 10) too.
    const definition = new vscode.Position(4, doc.lineAt(4).text.indexOf('shell_binaries') + 2);
    const highlights = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', uri, definition);
    const shown = highlights.map((h) => [h.range.start.line, doc.getText(h.range), h.kind]);
    assert.deepEqual(shown.sort(), [[4, 'shell_binaries', vscode.DocumentHighlightKind.Write], [9, 'shell_binaries', vscode.DocumentHighlightKind.Read]].sort());
    // Expand selection from `proc.tty` goes through the comparison and the whole condition before the YAML.
    const condition = doc.lineAt(9).text;
    const inField = new vscode.Position(9, condition.indexOf('proc.tty') + 2);
    const [chain] = await vscode.commands.executeCommand<vscode.SelectionRange[]>('vscode.executeSelectionRangeProvider', uri, [inField]);
    const texts: string[] = [];
    for (let r: vscode.SelectionRange | undefined = chain; r; r = r.parent) texts.push(doc.getText(r.range));
    assert.ok(texts.includes('proc.tty'), `the field is a step: ${JSON.stringify(texts.slice(0, 4))}`);
    assert.ok(texts.includes('proc.tty != 0'), 'the comparison is a step');
    assert.ok(texts.includes(condition.slice(condition.indexOf('spawned_process'))), 'the whole condition is a step');

    const values = workspaceFile('helm/values.yaml');
    await vscode.workspace.openTextDocument(values);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', values);
    const names: string[] = [];
    const walk = (list: vscode.DocumentSymbol[]) => { for (const s of list) { names.push(s.name); walk(s.children); } };
    walk(symbols ?? []);
    assert.ok(names.some((n) => n.includes('Shell in web container (e2e)')), `the rule is in the outline: ${JSON.stringify(names)}`);
  });

  test('a plain YAML file keeps VS Code\'s folding and rename: Falco Lens gives no empty answer that would replace them', async () => {
    const uri = workspaceFile('plain/deployment.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'yaml');
    const editor = await vscode.window.showTextDocument(doc);
    // Fold everything: with VS Code's indentation folding, metadata's and spec's lines are hidden, so the visible
    // ranges split. An empty folding list from Falco Lens would have left nothing to fold.
    const folded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { subscription.dispose(); reject(new Error(`nothing folded: ${JSON.stringify(editor.visibleRanges)}`)); }, 20000);
      const subscription = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        if (e.textEditor.document.uri.toString() === uri.toString() && e.visibleRanges.length > 1) { clearTimeout(timer); subscription.dispose(); resolve(); }
      });
    });
    await vscode.commands.executeCommand('editor.foldAll');
    await folded;
    await vscode.commands.executeCommand('editor.unfoldAll');
    // Outside a Falco block there is nothing to rename, and no refusal either.
    await vscode.commands.executeCommand('vscode.prepareRename', uri, new vscode.Position(3, 4));
  });

  test('a hover answers on an alert', async () => {
    const uri = workspaceFile('falco_events.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(0).text;
    const position = new vscode.Position(0, line.indexOf('"rule"') + 10);
    // activate() resolved after the client started, and requests follow didOpen in order: no waiting needed.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    assert.ok(hovers.length > 0, 'a hover is returned');
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Terminal shell in container/);
  });

  test('completion in a condition offers fields; the editor resolves an item\'s documentation through the server', async () => {
    const uri = workspaceFile('falco_rules.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.lineAt(9).text;
    const position = new vscode.Position(9, line.indexOf('proc.name') + 'proc.'.length);
    // Without a resolve count the list comes as the server sent it: no documentation in it.
    const plain = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const offered = plain.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'proc.name');
    assert.ok(offered, `proc.name offered among ${plain.items.length} items`);
    assert.equal(offered.documentation, undefined, 'the list carries no documentation');
    const resolved = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position, undefined, plain.items.length);
    const field = resolved.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'proc.name');
    const documentation = field?.documentation;
    const text = typeof documentation === 'string' ? documentation : documentation?.value ?? '';
    assert.match(text, /\*\*Field\*\* `proc\.name`/);
    assert.match(text, /Type: `CHARBUF`/);
  });

  test('another tool\'s *_rules.yaml opens as YAML; the user can still pick Falco Rules', async () => {
    const uri = workspaceFile('alert_rules.yaml');
    const reopenedAs = (languageId: string) => new Promise<vscode.TextDocument>((resolve) => {
      const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === languageId);
      if (current) { resolve(current); return; }
      const subscription = vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.uri.toString() === uri.toString() && d.languageId === languageId) { subscription.dispose(); resolve(d); }
      });
    });
    const asYaml = reopenedAs('yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'falco-rules', 'the file name matches the rules pattern');
    await vscode.window.showTextDocument(doc);
    const yaml = await asYaml;
    assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'falco').length, 0, 'Falco Lens says nothing about it');
    // The user's explicit choice stands: checked as a Falco rules file, and not given away again.
    const chosen = await vscode.languages.setTextDocumentLanguage(yaml, 'falco-rules');
    const diagnostics = await diagnosticsWhere(uri, (d) => d.some((x) => x.code === 'not-a-sequence'));
    assert.ok(diagnostics.length > 0);
    assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.languageId, 'falco-rules');
    assert.equal(chosen.languageId, 'falco-rules');
  });

  test('renaming a macro also renames its uses in a rules file the editor does not have open', async () => {
    // Two files of our own in a folder of their own: a.yaml defines the macro, b.yaml (never opened before the rename)
    // uses it. The server answers the closed file's edits with the disk text's version (da06200), which the
    // LanguageClient must still accept and VS Code apply.
    const folder = workspaceFile('rename-e2e');
    const defining = vscode.Uri.joinPath(folder, 'a_rules.yaml');
    const using = vscode.Uri.joinPath(folder, 'b_rules.yaml');
    fs.mkdirSync(folder.fsPath, { recursive: true });
    const usingText = '- rule: Shell by the e2e tool\n  desc: A rule that uses the macro of a_rules.yaml.\n  condition: e2e_shell_spawned and proc.name = bash\n  output: Shell (command=%proc.cmdline)\n  priority: NOTICE\n';
    await vscode.workspace.fs.writeFile(defining, Buffer.from('- macro: e2e_shell_spawned\n  condition: evt.type = execve and evt.dir = <\n'));
    await vscode.workspace.fs.writeFile(using, Buffer.from(usingText));
    try {
      const doc = await vscode.workspace.openTextDocument(defining);
      assert.equal(doc.languageId, 'falco-rules');
      // The macro is unused until the server has read b_rules.yaml from the disk (the file watcher's event).
      await diagnosticsWhere(defining, (d) => !d.some((x) => /is not referred to/.test(x.message)));
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === using.toString()), 'b_rules.yaml is not open');
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', defining, new vscode.Position(0, 12), 'e2e_shell_started');
      assert.ok(edit, 'the rename is answered');
      assert.deepEqual(edit.entries().map(([uri]) => uri.path.split('/').pop()).sort(), ['a_rules.yaml', 'b_rules.yaml']);
      assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the rename');
      assert.match(doc.getText(), /^- macro: e2e_shell_started\n/);
      const renamed = (await vscode.workspace.openTextDocument(using)).getText();
      assert.equal(renamed, usingText.replace('e2e_shell_spawned', 'e2e_shell_started'), 'the use in the closed file is renamed, nothing else changes');
    } finally {
      for (const uri of [defining, using]) {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (open?.isDirty) await open.save();
      }
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
  });

  test('renaming a macro inside a Helm values file\'s customRules renames its uses there, in the values file', async () => {
    // Through the server a rename in an embedded rules block answered nothing from 5088638 to 71eb19d: the embedded
    // document's URI was taken for its host file's. A values file of our own, in a folder of its own.
    const folder = workspaceFile('rename-helm-e2e');
    const values = vscode.Uri.joinPath(folder, 'values.yaml');
    fs.mkdirSync(folder.fsPath, { recursive: true });
    const text = [
      'customRules:',
      '  e2e-rules.yaml: |-',
      '    - macro: e2e_web_shell',
      '      condition: evt.type = execve and proc.name in (bash, sh)',
      '    - rule: Shell in web container (rename e2e)',
      '      desc: A shell started in a web container.',
      '      condition: e2e_web_shell and container.image.repository endswith /nginx',
      '      output: Shell started (command=%proc.cmdline)',
      '      priority: WARNING',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(values, Buffer.from(text));
    try {
      const doc = await vscode.workspace.openTextDocument(values);
      await vscode.window.showTextDocument(doc);
      // The block is read once its diagnostics are published (none expected but the chart's own notes).
      await diagnosticsWhere(values, (d) => !d.some((x) => /e2e_web_shell/.test(x.message)));
      const at = new vscode.Position(2, '    - macro: e2e_'.length);
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', values, at, 'e2e_web_shell_started');
      assert.ok(edit, 'the rename is answered');
      assert.deepEqual(edit.entries().map(([uri]) => uri.toString()), [values.toString()], 'only the values file is edited');
      assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code applies the rename');
      assert.equal(doc.getText(), text.replaceAll('e2e_web_shell', 'e2e_web_shell_started'));
    } finally {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === values.toString());
      if (open?.isDirty) await open.save();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(folder, { recursive: true });
    }
  });

  test('restarting the language server keeps it answering', async () => {
    await vscode.commands.executeCommand('falcoLens.restartServer');
    const uri = workspaceFile('broken_rules.yaml');
    const diagnostics = await diagnosticsWhere(uri, (d) => d.length > 0);
    assert.ok(diagnostics.length > 0);
  });
});

suite('Alert Explorer', () => {
  type Api = import('../../client/src/extension').FalcoLensApi;
  type Explorer = Api['explorer'];
  let explorer: Explorer;

  suiteSetup(async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as Api;
    explorer = api.explorer;
  });

  /** Resolves once the explorer's log satisfies `accept` (checked on every server update). */
  function logWhere(accept: (log: NonNullable<Explorer['current']>) => boolean, timeoutMs = 30000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (explorer.current && accept(explorer.current)) { resolve(); return; }
      const timer = setTimeout(() => { sub.dispose(); reject(new Error(`explorer state not reached: ${JSON.stringify(explorer.current)}`)); }, timeoutMs);
      const sub = explorer.onDidUpdateLog((log) => { if (accept(log)) { clearTimeout(timer); sub.dispose(); resolve(); } });
    });
  }

  test('groups the alerts of a log by rule and lists them through the server', async () => {
    await explorer.open(workspaceFile('falco_events.json').fsPath);
    await logWhere((log) => log.done);
    const groups = await explorer.getChildren();
    const labels = groups.map((g) => explorer.getTreeItem(g).label);
    assert.ok(labels.includes('Terminal shell in container'), `groups: ${labels.join(', ')}`);
    // A refresh of the tree (VS Code asking for the root again, as it does while a log is indexed or followed) does
    // not take away the answer of a group's children asked for meanwhile.
    const pending = explorer.getChildren(groups[0]);
    await explorer.getChildren();
    const alerts = await pending;
    assert.ok(alerts.length > 0);
    // A root fetch replaced by the same fetch after a refresh gets the newer answer, not nothing.
    const before = explorer.getChildren();
    explorer.refresh();
    const again = explorer.getChildren();
    assert.deepEqual((await before).map((g) => explorer.getTreeItem(g).label), (await again).map((g) => explorer.getTreeItem(g).label));
    assert.ok((await before).length > 0);
    const item = explorer.getTreeItem(alerts[0]);
    assert.equal((item.tooltip as vscode.MarkdownString).isTrusted, false, 'tooltips are never trusted');
  });

  test('Falco: Restart Language Server keeps the log shown: the new server is sent it again (session 23)', async () => {
    await explorer.open(workspaceFile('falco_events.json').fsPath);
    await logWhere((log) => log.done);
    const labels = async () => (await explorer.getChildren()).map((g) => explorer.getTreeItem(g).label);
    const before = await labels();
    const shown = explorer.current;
    const reopened = new Promise<void>((resolve) => { const sub = explorer.onDidChangeTreeData(() => { if (explorer.current && explorer.current !== shown) { sub.dispose(); resolve(); } }); });
    await vscode.commands.executeCommand('falcoLens.restartServer');
    await reopened;
    assert.deepEqual(await labels(), before);
  });

  test('a grouping changed while the tree waits for its groups answers the new groups, not an empty tree', async () => {
    await explorer.open(workspaceFile('falco_events.json').fsPath);
    await logWhere((log) => log.done);
    const labels = (nodes: Awaited<ReturnType<Explorer['getChildren']>>) => nodes.map((g) => explorer.getTreeItem(g).label);
    const pending = explorer.getChildren();
    explorer.setGroupBy('priority');
    const again = explorer.getChildren();
    assert.ok((await again).length > 0);
    assert.deepEqual(labels(await pending), labels(await again), 'the fetch under way gets the groups by priority');
    explorer.setGroupBy('rule');
    assert.ok(labels(await explorer.getChildren()).includes('Terminal shell in container'));
  });

  test('groups by tag (the alert under each of its tags, one item id per group) and by namespace, pod and image', async () => {
    await explorer.open(workspaceFile('falco_events.json').fsPath);
    await logWhere((log) => log.done);
    const labels = (nodes: Awaited<ReturnType<Explorer['getChildren']>>) => nodes.map((g) => String(explorer.getTreeItem(g).label));
    try {
      explorer.setGroupBy('tag');
      const tagGroups = await explorer.getChildren();
      assert.deepEqual(labels(tagGroups).sort(), ['T1059', 'container', 'maturity_stable', 'mitre_execution', 'shell']);
      // VS Code refuses two tree items of one id: the one alert gets an id of its own under each tag.
      const ids = new Set<string | undefined>();
      for (const group of tagGroups) {
        const alerts = await explorer.getChildren(group);
        assert.equal(alerts.length, 1, `group ${explorer.getTreeItem(group).label}`);
        ids.add(explorer.getTreeItem(alerts[0]!).id);
      }
      assert.equal(ids.size, tagGroups.length, `alert item ids: ${[...ids].join(', ')}`);
      for (const [groupBy, label] of [['namespace', 'shop'], ['pod', 'shop/web-7d9c'], ['image', 'docker.io/library/nginx:1.27']] as const) {
        explorer.setGroupBy(groupBy);
        assert.deepEqual(labels(await explorer.getChildren()), [label], groupBy);
      }
    } finally {
      explorer.setGroupBy('rule');
    }
  });

  test('filters by a time window that ends at the latest alert of the log', async () => {
    await explorer.open(workspaceFile('falco_events.json').fsPath);
    await logWhere((log) => log.done);
    const latest = await explorer.latestAlertTime();
    assert.equal(latest, Date.parse('2026-03-04T10:15:30.123Z'));
    explorer.setFilter({ since: latest! - 15 * 60_000, until: latest });
    assert.ok((await explorer.getChildren()).length > 0, 'the alert is in the last 15 minutes of the log');
    explorer.setFilter({ until: latest! - 1 });
    assert.equal((await explorer.getChildren()).length, 0, 'nothing before it');
    explorer.setFilter({});
  });

  test('generates an incident report for one group of the log', async () => {
    await explorer.open(workspaceFile('falco_events.json').fsPath);
    await logWhere((log) => log.done);
    const groups = await explorer.getChildren();
    const group = groups.find((g) => explorer.getTreeItem(g).label === 'Terminal shell in container');
    assert.ok(group, 'the group is listed');
    const count = Number(explorer.getTreeItem(group).description);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('falcoLens.explorer.reportGroup', group);
    assert.ok(uri, 'a report document was shown');
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /^# Falco incident report/);
    assert.ok(text.includes(`> Alert Explorer: the ${count} alert${count === 1 ? '' : 's'} of the rule \`Terminal shell in container\`.`), text.slice(0, 400));
  });

  test('opens a rotated set (falco.log, .1, .2.gz) as one log: groups over every file; an alert opens its own file at its line', async () => {
    const zlib = await import('node:zlib');
    const folder = workspaceFile('rotated').fsPath;
    fs.mkdirSync(folder, { recursive: true });
    const alert = (rule: string, priority: string, second: number) => JSON.stringify({
      hostname: 'node-1', output: `12:00:${String(second).padStart(2, '0')}.000000000: ${priority} ${rule} | process=p${second}`, priority, rule,
      source: 'syscall', tags: ['T1059'], time: `2026-05-01T12:00:${String(second).padStart(2, '0')}.000000000Z`, output_fields: { 'proc.name': `p${second}` },
    });
    // Oldest first: .2.gz, then .1 (the rule of interest on its second line), then the live file.
    fs.writeFileSync(`${folder}/falco.log.2.gz`, zlib.gzipSync(`${alert('Oldest rule', 'Warning', 1)}\n`));
    fs.writeFileSync(`${folder}/falco.log.1`, `${alert('Middle rule', 'Notice', 2)}\n${alert('Rotated once rule', 'Error', 3)}\n`);
    fs.writeFileSync(`${folder}/falco.log`, `${alert('Live rule', 'Critical', 4)}\n`);
    const live = `${folder}/falco.log`;
    const set = await explorer.rotatedFiles(live);
    assert.deepEqual(set.files.map((f) => f.path.split('/').pop()), ['falco.log.2.gz', 'falco.log.1', 'falco.log']);
    await explorer.open(live, false, set.files.map((f) => f.path).filter((p) => p !== live));
    await logWhere((log) => log.path === live && log.done && log.total === 4);
    const groups = await explorer.getChildren();
    const labels = groups.map((g) => String(explorer.getTreeItem(g).label));
    assert.deepEqual([...labels].sort(), ['Live rule', 'Middle rule', 'Oldest rule', 'Rotated once rule']);
    // The alert of falco.log.1's second line: its tooltip names that file, and showing it opens that file there.
    const group = groups[labels.indexOf('Rotated once rule')];
    const [item] = (await explorer.getChildren(group)).map((a) => explorer.getTreeItem(a));
    assert.match((item.tooltip as vscode.MarkdownString).value, /falco\.log\.1,(?: |&nbsp;)line(?: |&nbsp;)2$/);
    assert.equal((item.tooltip as vscode.MarkdownString).isTrusted, false);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, `${folder}/falco.log.1`);
    assert.equal(editor?.selection.start.line, 1);
    // The compressed file's alert is shown as its text.
    const oldest = groups[labels.indexOf('Oldest rule')];
    const [gz] = (await explorer.getChildren(oldest)).map((a) => explorer.getTreeItem(a));
    await vscode.commands.executeCommand(gz.command!.command, ...(gz.command!.arguments ?? []));
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /"rule":"Oldest rule"/);
    await explorer.close();
  });

  test('follows a growing log', async () => {
    const fs = await import('node:fs');
    const path = workspaceFile('followed-falco.log').fsPath;
    fs.writeFileSync(path, '10:00:00.000000000: Warning First alert | process=a\n');
    await explorer.open(path, true);
    await logWhere((log) => log.path === path && log.total === 1);
    fs.appendFileSync(path, '10:00:01.000000000: Critical Second alert | process=b\n');
    await logWhere((log) => log.path === path && log.total === 2);
    explorer.setFilter({ minPriority: 2 });
    const groups = await explorer.getChildren();
    assert.deepEqual(groups.map((g) => explorer.getTreeItem(g).label), ['Second alert']);
    explorer.setFilter({});
    // Rotated away with no new file: the view says the path names no file now, not only "0 alerts".
    fs.unlinkSync(path);
    await logWhere((log) => log.path === path && log.missing === true);
    await explorer.close();
  });

  test('a followed log rotated by logrotate keeps its alerts: the renamed file\'s alert opens at its line in falco.log.1', async () => {
    const folder = workspaceFile('followed-rotation').fsPath;
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    const live = `${folder}/falco.log`;
    fs.writeFileSync(live, '10:00:00.000000000: Warning Before rotation | process=a\n10:00:01.000000000: Error Renamed file rule | process=b\n');
    await explorer.open(live, true);
    await logWhere((log) => log.path === live && log.total === 2);
    // logrotate's default: rename the file, then Falco writes a new one at the path.
    fs.renameSync(live, `${folder}/falco.log.1`);
    fs.writeFileSync(live, '10:00:02.000000000: Critical After rotation | process=c\n');
    await logWhere((log) => log.path === live && log.total === 3 && (log.parts?.length ?? 0) === 2);
    const groups = await explorer.getChildren();
    const labels = groups.map((g) => String(explorer.getTreeItem(g).label));
    assert.deepEqual([...labels].sort(), ['After rotation', 'Before rotation', 'Renamed file rule']);
    const [item] = (await explorer.getChildren(groups[labels.indexOf('Renamed file rule')])).map((a) => explorer.getTreeItem(a));
    assert.match((item.tooltip as vscode.MarkdownString).value, /falco\.log\.1,(?: |&nbsp;)line(?: |&nbsp;)2$/);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, `${folder}/falco.log.1`);
    assert.equal(vscode.window.activeTextEditor?.selection.start.line, 1);
    await explorer.close();
  });
});

suite('Tuning from an alert', () => {
  test('the "Add exception" quick fix writes a valid override into falco_rules.local.yaml, once', async () => {
    const log = workspaceFile('falco_events.json');
    const local = workspaceFile('falco_rules.local.yaml');
    const doc = await vscode.workspace.openTextDocument(log);
    await vscode.window.showTextDocument(doc);
    const range = new vscode.Range(0, 10, 0, 10);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', log, range);
    // The workspace also holds a Helm chart's values: the chart's Falco reads customRules, not this local file, so
    // both are offered; this test applies the local file's. A fix into another open file comes as the server's
    // falcoLens.applyEdit command (the LanguageClient drops the versions of a code action's inline edit; through
    // workspace/applyEdit it refuses a stale one), a fix into a closed file as an inline edit.
    const targets = (a: vscode.CodeAction): string[] => {
      if (a.edit) return a.edit.entries().map(([u]) => u.toString());
      const edit = a.command?.command === 'falcoLens.applyEdit' ? (a.command.arguments?.[0] as { edit?: LspEdit } | undefined)?.edit : undefined;
      return edit ? [...Object.keys(edit.changes ?? {}), ...(edit.documentChanges ?? []).map((c) => c.textDocument?.uri ?? c.uri ?? '')] : [];
    };
    const writesTo = (a: vscode.CodeAction, uri: vscode.Uri) => targets(a).includes(uri.toString());
    const exceptionFixes = (list: vscode.CodeAction[]) => list.filter((a) => a.title.startsWith('Add exception') && targets(a).length > 0);
    const exceptions = exceptionFixes(actions);
    assert.ok(exceptions.some((a) => targets(a).some((u) => u.endsWith('/values.yaml'))), `a fix into the chart's values: ${actions.map((a) => a.title).join(' | ')}`);
    const stale = exceptions.find((a) => writesTo(a, local));
    assert.ok(stale, `an exception quick fix into the local rules file is offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(stale.command?.command, 'falcoLens.applyEdit', 'the local rules file is open: its fix is applied through the server');
    const apply = async (a: vscode.CodeAction) => {
      if (a.edit) assert.ok(await vscode.workspace.applyEdit(a.edit), 'the edit applies');
      else await vscode.commands.executeCommand(a.command!.command, ...(a.command!.arguments ?? []));
    };
    // The user writes in the local file after the lightbulb appeared: the fix offered before is refused, nothing is
    // inserted into what they wrote.
    const localBefore = await vscode.workspace.openTextDocument(local);
    const original = localBefore.getText();
    const note = '# written after the quick fix was offered\n';
    const typing = new vscode.WorkspaceEdit();
    typing.insert(local, localBefore.positionAt(original.length), note);
    assert.ok(await vscode.workspace.applyEdit(typing), 'the user\'s edit applies');
    await apply(stale);
    assert.equal((await vscode.workspace.openTextDocument(local)).getText(), original + note, 'the stale fix wrote nothing');
    const fresh = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', log, range);
    const fix = exceptionFixes(fresh).find((a) => writesTo(a, local) && a.title === stale.title);
    assert.ok(fix, `the fix is offered again for the changed file: ${fresh.map((a) => a.title).join(' | ')}`);
    const before = (await vscode.workspace.openTextDocument(local)).getText();
    // The next diagnostics of the local file after the edit are those of the edited text.
    const revalidated = new Promise<readonly vscode.Diagnostic[]>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === local.toString())) { sub.dispose(); resolve(vscode.languages.getDiagnostics(local)); }
      });
    });
    await apply(fix);
    const localDoc = await vscode.workspace.openTextDocument(local);
    const after = localDoc.getText();
    assert.ok(after.startsWith(before), 'what the user wrote is kept as it was');
    assert.match(after, /- rule: "?Terminal shell in container"?/);
    assert.match(after, /override:\s*\n\s*exceptions: append/);
    await localDoc.save();
    // The rules service validates the result against the workspace's falco_rules.yaml: no error, no warning.
    const diagnostics = await revalidated;
    assert.deepEqual(diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => d.message), []);
    // Applying the same fix again is not offered (idempotent).
    const again = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', log, range);
    assert.ok(!exceptionFixes(again).some((a) => a.title === fix.title), 'the same exception is not offered twice');
  });

  test('a local rules file held unsaved as plain text gets no fix computed from the disk until it is saved', async () => {
    const log = workspaceFile('falco_events.json');
    const local = workspaceFile('falco_rules.local.yaml');
    const range = new vscode.Range(0, 10, 0, 10);
    const writesToLocal = (a: vscode.CodeAction) => (a.edit?.entries() ?? []).some(([u]) => u.toString() === local.toString())
      || JSON.stringify(a.command?.arguments ?? []).includes(local.toString());
    const actions = () => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', log, range);
    const titles = (list: vscode.CodeAction[]) => list.map((a) => a.title).join(' | ');
    // The user turns the local file into plain text: the server is no longer sent its text and reads the disk, which
    // holds the same text, so the fixes into it are still offered.
    const asRules = await vscode.workspace.openTextDocument(local);
    const plain = await vscode.languages.setTextDocumentLanguage(asRules, 'plaintext');
    assert.equal(plain.languageId, 'plaintext');
    const clean = await actions();
    assert.ok(clean.some(writesToLocal), `a fix into the local file while it is saved: ${titles(clean)}`);
    // They type in it without saving. The client tells the server before the next request (one connection, in order),
    // and no fix computed from the disk is offered: VS Code would apply it at the disk's offsets inside the typed
    // text. (The server offers a greyed-out "save it first" instead, which vscode.executeCodeActionProvider does not
    // return: it lists the valid actions only. The protocol test hardening-unsaved-elsewhere-s15 checks that one.)
    const typed = '# typed, not saved\n';
    const typing = new vscode.WorkspaceEdit();
    typing.insert(local, new vscode.Position(0, 0), typed);
    assert.ok(await vscode.workspace.applyEdit(typing), 'the user\'s edit applies');
    assert.ok(plain.isDirty);
    const unsaved = await actions();
    assert.ok(!unsaved.some(writesToLocal), `no fix into the unsaved file: ${titles(unsaved)}`);
    // Saved, the fixes into it come back, computed from the saved text; what the user typed is kept.
    assert.ok(await plain.save(), 'the file saves');
    const saved = await actions();
    assert.ok(saved.some(writesToLocal), `a fix into the saved local file: ${titles(saved)}`);
    assert.ok((await vscode.workspace.openTextDocument(local)).getText().startsWith(typed));
    await vscode.languages.setTextDocumentLanguage(plain, 'falco-rules');
  });

  test('the configured local file is a link to a file open in the editor: the fix lands in that buffer, not in a second one', async () => {
    const log = workspaceFile('falco_events.json');
    const local = workspaceFile('falco_rules.local.yaml');
    // A team keeps its tuning in one file and points the setting at a link to it (a file outside the workspace in
    // real life). The editor has the file open by its own path, with lines not saved yet.
    const link = workspaceFile('tuning-link.yaml');
    fs.symlinkSync(local.fsPath, link.fsPath);
    const settings = vscode.workspace.getConfiguration('falcoLens');
    // User settings: the test window's workspace is not trusted, and Falco Lens ignores a workspace value of this
    // setting there (package.json restrictedConfigurations).
    await settings.update('rules.localFile', 'tuning-link.yaml', vscode.ConfigurationTarget.Global);
    const doc = await vscode.workspace.openTextDocument(local);
    const original = doc.getText();
    try {
      const typed = '# reviewed by the on-call engineer, not saved yet\n';
      const typing = new vscode.WorkspaceEdit();
      typing.insert(local, new vscode.Position(0, 0), typed);
      assert.ok(await vscode.workspace.applyEdit(typing), 'the user\'s edit applies');
      assert.ok(doc.isDirty);
      // The fixes name the configured path once the server has the new setting: ask until they do (each request is
      // a round trip through the server; the deadline bounds it).
      const range = new vscode.Range(0, 10, 0, 10);
      const deadline = Date.now() + 30_000;
      let fix: vscode.CodeAction | undefined;
      let titles = '';
      while (!fix && Date.now() < deadline) {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', log, range);
        titles = actions.map((a) => a.title).join(' | ');
        fix = actions.find((a) => a.title.includes('tuning-link.yaml') && (a.title.startsWith('Add exception') || a.title.startsWith('Disable rule')));
      }
      assert.ok(fix, `a tuning fix into the configured link: ${titles}`);
      // The edit is the open buffer's, applied through the server with its version.
      assert.equal(fix.command?.command, 'falcoLens.applyEdit', 'the file is open under its own path: the fix edits that document');
      const argument = JSON.stringify(fix.command.arguments ?? []);
      assert.ok(argument.includes(local.toString()), `the edit names the open document: ${argument}`);
      assert.ok(!argument.includes(link.toString()), 'the edit does not name the link, which VS Code would open as a second buffer');
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      const after = (await vscode.workspace.openTextDocument(local)).getText();
      assert.ok(after.startsWith(typed), 'what the user typed is kept, in the same buffer');
      assert.match(after.slice(typed.length), /- rule: "?Terminal shell in container"?/);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === link.toString()), 'no second buffer of the file was opened');
    } finally {
      await settings.update('rules.localFile', undefined, vscode.ConfigurationTarget.Global);
      fs.unlinkSync(link.fsPath);
      // The local file as the earlier tests left it, saved (a disabled rule would stay in it otherwise).
      const restore = new vscode.WorkspaceEdit();
      restore.replace(local, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(restore);
      await doc.save();
    }
  });
});

suite('Incident report', () => {
  test('Generate Incident Report opens a read-only Markdown report of the selected alert', async () => {
    const log = workspaceFile('falco_events.json');
    const doc = await vscode.workspace.openTextDocument(log);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 5);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('falcoLens.generateReport');
    assert.ok(uri, 'the command returns the report document');
    assert.equal(uri.scheme, 'falco-lens');
    const report = await vscode.workspace.openTextDocument(uri);
    assert.equal(report.languageId, 'markdown');
    assert.match(report.getText(), /^# Falco incident report/);
    assert.match(report.getText(), /Terminal shell in container/);
    assert.equal(report.isDirty, false, 'nothing to save or discard');
  });
});
