// A rules file inside a ConfigMap or a chart's customRules is the same file: every quick fix offered there, applied
// to the manifest, must give the rules text that the same fix gives to the file on its own. Over seeded random edits
// of a local rules file (where YAML reads it), written as a literal block of a ConfigMap's data and of a values
// file's customRules, each fix of the embedded file is compared with the standalone file's fix of the same title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, applyEdits, rulesDoc } from './rules-host';
import { EditSession, prng, TWO_FILE_LOCAL } from './rules-random-edits';

const FILE = '/ws/falco_rules.local.yaml';
const KEY = 'falco_rules.local.yaml';

interface Holder { name: string; uri: string; wrap: (rules: string) => string; read: (host: string) => string | undefined }

const indent = (text: string, by: string) => text.split('\n').map((l) => (l === '' ? l : by + l)).join('\n');

const HOLDERS: Holder[] = [
  {
    name: 'ConfigMap', uri: 'file:///ws/deploy/falco-rules.yaml',
    wrap: (rules) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: falco-rules\ndata:\n  ${KEY}: |\n${indent(rules, '    ')}`,
    read: (host) => (parseDocument(host).toJS() as { data?: Record<string, string> }).data?.[KEY],
  },
  {
    name: 'values customRules', uri: 'file:///ws/deploy/values.yaml',
    wrap: (rules) => `driver:\n  kind: modern_ebpf\ncustomRules:\n  ${KEY}: |-\n${indent(rules, '    ')}`,
    read: (host) => (parseDocument(host).toJS() as { customRules?: Record<string, string> }).customRules?.[KEY],
  },
];

const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : (d.message as { value: string }).value);

/** Title → the text each same-document fix of the standalone file gives. */
function standaloneFixes(text: string): Map<string, Set<string>> {
  const host = new MemoryHost({ [FILE]: text }, { ruleFiles: [], folders: ['/ws'] });
  const service = createRulesService(host);
  const doc = rulesDoc(FILE, text);
  service.didOpenOrChange?.(doc);
  const out = new Map<string, Set<string>>();
  for (const d of service.diagnostics(doc)) {
    for (const a of service.codeActions!(doc, d.range, { diagnostics: [d] }) as CodeAction[]) {
      const edits = a.edit?.changes?.[doc.uri] as TextEdit[] | undefined;
      if (!edits || a.disabled) continue;
      const key = `${a.title}`;
      if (!out.has(key)) out.set(key, new Set());
      out.get(key)!.add(applyEdits(text, edits));
    }
  }
  return out;
}

test('every quick fix of a rules file inside a ConfigMap or customRules gives the rules text the same fix gives the file alone', () => {
  let compared = 0;
  for (const seed of [4, 12, 27]) {
    const random = prng(seed);
    const session = new EditSession(TWO_FILE_LOCAL, TWO_FILE_LOCAL, random);
    let text = TWO_FILE_LOCAL;
    for (let step = 0; step < 30; step++, text = session.next(parseDocument(text).errors.length > 0)) {
      // Literal blocks hold text without tabs at line starts and without lines of spaces only; the edits stay within.
      if (parseDocument(text).errors.length > 0 || /^\t|^ +$/m.test(text) || !text.endsWith('\n')) continue;
      const alone = standaloneFixes(text);
      for (const holder of HOLDERS) {
        const hostText = holder.wrap(text);
        const read = holder.read(hostText);
        // The block as written reads back as the file (a |- block drops the final line break).
        if (read === undefined || read.replace(/\n*$/, '') !== text.replace(/\n*$/, '')) continue;
        const service = new FalcoLanguageService(new MemoryHost({}, { ruleFiles: [], folders: ['/ws'] }));
        const doc = TextDocument.create(holder.uri, 'yaml', 1, hostText);
        service.embedded.didOpenOrChange?.(doc);
        for (const d of service.embedded.diagnostics(doc)) {
          for (const a of service.embedded.codeActions!(doc, d.range, { diagnostics: [d] })) {
            const edits = a.edit?.changes?.[holder.uri] as TextEdit[] | undefined;
            if (!edits || a.disabled) continue;
            const where = `seed ${seed} step ${step}, ${holder.name}: '${a.title}' for ${String(d.code)} '${messageOf(d)}'`;
            const fixedHost = applyEdits(hostText, edits);
            const hostErrors = parseDocument(fixedHost).errors.map((e) => e.message);
            assert.deepEqual(hostErrors, [], `${where}: the manifest no longer reads\n${fixedHost}`);
            const expected = alone.get(a.title);
            // Fixes of the embedding itself (an entry's name, the block's style) have no standalone twin.
            if (!expected) continue;
            const got = holder.read(fixedHost);
            assert.ok(got !== undefined, `${where}: the entry is gone`);
            const norm = (t: string) => t.replace(/\n*$/, '');
            assert.ok([...expected].some((e) => norm(e) === norm(got!)), `${where}: the embedded fix gives\n${got}\nbut alone it gives\n${[...expected].join('\n-- or --\n')}`);
            compared++;
          }
        }
      }
    }
  }
  assert.ok(compared > 40, `fixes compared: ${compared}`);
});
