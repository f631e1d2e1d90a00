// Session 24, found by the audit of the quick fixes on the corpus alerts (alerts-corpus-fixes-s24) over local rules files
// of other shapes than Falco Lens writes: a new item was always written at column 0 at the end of the text. In a file
// whose items are indented (`  - rule: …`) YAML refuses a `-` at another column; after a document end (`...`) it went
// into a second document, which Falco reads (rule_loader_reader.cpp YAML::LoadAll) but the planner did not, so the fix
// was offered again and wrote the item twice; after an empty `[]` it was not YAML at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-types';
import { createAlertsService } from '../../server/src/service/alerts';
import { createRulesService } from '../../server/src/service/rules';
import { pathToUri } from '../../server/src/service/uri';
import { CORPUS, STABLE_RULES, TestHost, alertDoc, corpusExists } from '../fixtures/alerts/helpers';

class DiskHost extends TestHost {
  override readFile(p: string) { return this.files.get(p) ?? (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined); }
}
const LOCAL = '/work/ws/falco_rules.local.yaml';
const localEdit = (a: CodeAction) => a.edit?.documentChanges?.find((c): c is TextDocumentEdit => 'edits' in c && c.textDocument.uri === pathToUri(LOCAL));

/** The corpus's Falco alert (Read sensitive file untrusted), its parent a program of its own. */
const ALERT = () => fs.readFileSync(path.join(CORPUS, 'alerts', 'falcosecurity__plugins', 'collector_README_example_payload.json'), 'utf8').replace('"proc.pname":"sudo"', '"proc.pname":"backup-agent"');

test('a local file indented, ended by "...", or an empty []: every fix loads clean at 0.37 and 0.44, keeps the file\'s text, and is offered once', { skip: !corpusExists && 'corpus absent' }, () => {
  const files: Record<string, string> = {
    indented: '# Site rules\n  - list: site_tools\n    items: [restic]\n  - macro: site_tool\n    condition: (proc.name in (site_tools))\n',
    'document end': '- list: site_tools\n  items: [restic]\n...\n',
    'empty flow sequence': '[]\n',
  };
  const alert = ALERT();
  for (const falcoVersion of ['0.37', '0.44']) {
    for (const [kind, text] of Object.entries(files)) {
      const host = new DiskHost();
      host.config = { ...host.config, falcoVersion, rules: { ...host.config.rules, files: [STABLE_RULES] } };
      host.files.set(LOCAL, text);
      const rules = createRulesService(host);
      const alerts = createAlertsService(host, rules);
      const doc = alertDoc('a.json', alert);
      const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const fixes = alerts.codeActions!(doc, at, { diagnostics: [] }).filter((a) => localEdit(a));
      assert.ok(fixes.some((a) => a.title.startsWith('Add exception')) && fixes.some((a) => a.title.startsWith('Disable rule')), kind);
      for (const fix of fixes) {
        const where = `${falcoVersion} ${kind}: ${fix.title}`;
        const after = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, text), localEdit(fix)!.edits as TextEdit[]);
        assert.deepEqual(rules.validateText(pathToUri(LOCAL), after).filter((d) => (d.severity ?? DiagnosticSeverity.Error) <= DiagnosticSeverity.Warning).map((d) => d.message), [], where);
        // Nothing the user wrote is changed: the insertion only adds lines.
        const lines = after.split('\n');
        let k = 0;
        for (const line of text.split('\n')) k = lines.indexOf(line, k) + 1;
        assert.ok(k > 0 && text.split('\n').every((l) => lines.includes(l)), `${where}: the file's lines are kept, in order`);
        const items = parseAllDocuments(after).flatMap((d) => (d.toJSON() ?? []) as { rule?: string }[]);
        assert.equal(items.filter((i) => i.rule === 'Read sensitive file untrusted').length, 1, where);
        host.files.set(LOCAL, after);
        assert.ok(!alerts.codeActions!(doc, at, { diagnostics: [] }).some((a) => a.title === fix.title && localEdit(a)), `${where}: offered again`);
        host.files.set(LOCAL, text);
      }
    }
  }
});
