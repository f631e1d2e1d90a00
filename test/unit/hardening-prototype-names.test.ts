// Names read from users' files and alerts that are also Object.prototype properties (`constructor`, `__proto__`,
// `toString`…) as rule, macro, list, tag, key, source, priority, field, event and output-field names. Knowledge tables
// were object literals: a tag `constructor` was explained as "function Object() { [native code] }", a source
// `__proto__` as "[object Object]", a key `toString` as "— undefined", a `source: constructor` hover and an alert's
// `constructor` output-field hover threw, and so did the configuration's schema check (session 13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { LANGUAGE_ALERTS, LANGUAGE_CONFIG, LANGUAGE_RULES, LANGUAGE_YAML } from '../../server/src/service/features';
import { MemoryHost } from './rules-host';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const RULES = NAMES.map((n) => [
  `- list: ${n}`, `  items: [${n}, toString]`,
  `- macro: ${n}_m`, `  condition: ${n} and proc.name in (${n}) and evt.type = ${n} and ${n}.x = 1 and proc.${n} = 1 and evt.arg.${n} = 1`,
  `- rule: ${n}`, `  desc: ${n}`, `  condition: evt.type = ${n} and ${n}_m and ${n}`, `  output: "%${n} %proc.${n} %evt.arg.${n} ${n}=%proc.name"`,
  `  priority: ${n}`, `  source: ${n}`, `  tags: [${n}, T1059]`, `  ${n}: 1`,
  '  exceptions:', `    - name: ${n}`, `      fields: [proc.name, ${n}]`, `      comps: [=, ${n}]`, `      values: [[${n}, ${n}]]`,
  `- rule: ${n}`, `  ${n}: append`, '  override:', `    ${n}: append`, `    condition: ${n}`,
  '- required_plugin_versions:', `    - name: ${n}`, `      version: ${n}`,
  `- required_engine_version: ${n}`,
].join('\n')).join('\n') + '\n';

const ALERTS = NAMES.map((n) => JSON.stringify({
  hostname: n, output: `12:00:00.000000000: Warning ${n} (${n}=x proc.name=${n})`,
  output_fields: { [n]: n, 'proc.name': n, [`proc.${n}`]: n, 'evt.time': 1, 'user.uid': n },
  priority: n, rule: n, source: n, tags: [n, 'T1059'], time: '2025-06-02T07:30:00.011059202Z',
})).join('\n') + '\n' + NAMES.map((n) => `2025-06-02T07:30:00.011059202+0000: Warning ${n} (user=${n} ${n}=${n})`).join('\n') + '\n';

const CONFIG = NAMES.map((n) => `${n}: 1\n`).join('')
  + `plugins:\n${NAMES.map((n) => `  - name: ${n}\n    library_path: ${n}\n    ${n}: 1\n`).join('')}load_plugins: [${NAMES.join(', ')}]\n`
  + `rules:\n${NAMES.map((n) => `  - disable:\n      rule: ${n}\n  - enable:\n      tag: ${n}\n`).join('')}rules_files: [/etc/falco/falco_rules.yaml]\nengine:\n  kind: ${NAMES[0]}\n  ${NAMES[1]}: 1\n`;

const HELM = `customRules:\n${NAMES.map((n) => `  ${n}: |-\n${RULES.split('\n').slice(0, 12).map((l) => `    ${l}`).join('\n')}\n`).join('')}falco:\n  ${NAMES[0]}: 1\n`;

/** What no answer may contain: Object.prototype's members printed as text, or an unfilled part. */
const LEAK = /native code|\[object Object\]|— undefined|Type: undefined|: undefined\b|\bNaN\b/;

function sweep(service: FalcoLanguageService, uri: string, languageId: string, text: string): string[] {
  const problems: string[] = [];
  const doc = TextDocument.create(uri, languageId, 1, text);
  const features = service.forLanguage(languageId)!;
  const check = (what: string, run: () => unknown) => {
    try {
      const json = JSON.stringify(run() ?? null);
      const leak = LEAK.exec(json);
      if (leak) problems.push(`${what}: ${json.slice(Math.max(0, leak.index - 100), leak.index + 40)}`);
    } catch (e) {
      if ((e as Error).name !== 'RenameRefused') problems.push(`${what} threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' ')}`);
    }
  };
  features.didOpenOrChange?.(doc);
  let diagnostics: ReturnType<typeof features.diagnostics> = [];
  check('diagnostics', () => (diagnostics = features.diagnostics(doc)));
  check('symbols', () => features.documentSymbols?.(doc));
  check('tokens', () => features.semanticTokens?.(doc));
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    for (let character = 0; character <= lines[line].length; character += 3) {
      const p = { line, character };
      const at = `${uri} ${line}:${character}`;
      check(`hover ${at}`, () => features.hover?.(doc, p));
      check(`completion ${at}`, () => features.completion?.(doc, p));
      check(`definition ${at}`, () => features.definition?.(doc, p));
      check(`highlights ${at}`, () => features.documentHighlights?.(doc, p));
      check(`rename ${at}`, () => features.rename?.(doc, p, 'renamed_x'));
      check(`actions ${at}`, () => features.codeActions?.(doc, { start: p, end: p }, { diagnostics: diagnostics.filter((d) => d.range.start.line === line) }));
    }
  }
  return problems;
}

test('names that are Object.prototype members are ordinary names in every feature of every language', () => {
  const service = new FalcoLanguageService(new MemoryHost({ '/ws/falco_rules.local.yaml': RULES }, { folders: ['/ws'] }));
  const problems = [
    ...sweep(service, 'file:///ws/falco_rules.local.yaml', LANGUAGE_RULES, RULES),
    ...sweep(service, 'file:///ws/falco.log', LANGUAGE_ALERTS, ALERTS),
    ...sweep(service, 'file:///ws/falco.yaml', LANGUAGE_CONFIG, CONFIG),
    ...sweep(service, 'file:///ws/values.yaml', LANGUAGE_YAML, HELM),
  ];
  assert.deepEqual(problems.slice(0, 10), []);
});

test('a tag, a source and a key named constructor get the hovers of unknown ones', () => {
  const service = new FalcoLanguageService(new MemoryHost({}, { folders: ['/ws'] }));
  const text = '- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  source: constructor\n  tags: [constructor]\n  toString: 1\n';
  const doc = TextDocument.create('file:///ws/falco_rules.local.yaml', LANGUAGE_RULES, 1, text);
  service.rules.didOpenOrChange?.(doc);
  const hover = (needle: string, nth = 0) => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
    const h = service.rules.hover!(doc, doc.positionAt(at + 1));
    return h ? (h.contents as { value: string }).value : '';
  };
  assert.match(hover('constructor'), /^\*\*Source\*\* `constructor`\n\nNot one of the sources known here/);
  assert.equal(hover('constructor', 1), '', 'a tag with no meaning here has no hover');
  assert.equal(hover('toString'), '');
});
