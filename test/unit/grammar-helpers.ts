// Loads the extension's TextMate grammars the way VS Code does (vscode-textmate over the Oniguruma WASM build) and
// offers assertions on the scopes of substrings of tokenized lines.
//
// The rules grammar embeds YAML. VS Code's own YAML grammars are read from the VS Code server that the editor test
// tier installs (e2e/node_modules/code-server/...); when that is absent (before the first `npm run test:e2e`), every
// YAML scope resolves to an empty grammar and `yamlGrammarSource` says so, so tests of Falco scopes still run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type IRawGrammar, type IToken } from 'vscode-textmate';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';

const root = process.cwd();
export const corpusDir = join(root, '..', 'shared', 'corpus');
export const corpusExists = existsSync(corpusDir);

const ownGrammars: Record<string, string> = {
  'source.falco-rules': join(root, 'syntaxes', 'falco-rules.tmLanguage.json'),
  'source.falco-alerts': join(root, 'syntaxes', 'falco-alerts.tmLanguage.json'),
};

const yamlExtensionDir = join(root, 'e2e', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'yaml');

/** Scope name → grammar file of VS Code's built-in YAML extension, read from its manifest like VS Code does. */
function yamlGrammarFiles(): Record<string, string> {
  const manifest = join(yamlExtensionDir, 'package.json');
  if (!existsSync(manifest)) return {};
  const contributes = JSON.parse(readFileSync(manifest, 'utf8')) as { contributes?: { grammars?: { scopeName: string; path: string }[] } };
  const files: Record<string, string> = {};
  for (const g of contributes.contributes?.grammars ?? []) files[g.scopeName] = join(yamlExtensionDir, g.path);
  return files;
}

// GRAMMAR_TEST_YAML_STUB=1 runs the tests as a checkout without the VS Code server would.
const yamlFiles = process.env.GRAMMAR_TEST_YAML_STUB ? {} : yamlGrammarFiles();
/** Where the embedded YAML grammar came from, for test names and skip messages. */
export const yamlGrammarSource = yamlFiles['source.yaml'] ? 'VS Code built-in YAML grammar' : 'empty stub for source.yaml (VS Code server not installed)';
export const realYamlGrammar = Boolean(yamlFiles['source.yaml']);

const emptyGrammar = (scopeName: string): IRawGrammar => parseRawGrammar(JSON.stringify({ scopeName, patterns: [] }), `${scopeName}.json`);

let registry: Registry | undefined;
function getRegistry(): Registry {
  if (registry) return registry;
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  const onigLib = loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer).then(() => ({
    createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
    createOnigString: (s: string) => new OnigString(s),
  }));
  registry = new Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      const file = ownGrammars[scopeName] ?? yamlFiles[scopeName];
      if (file) return parseRawGrammar(readFileSync(file, 'utf8'), file);
      if (scopeName.startsWith('source.yaml')) return emptyGrammar(scopeName);
      return null;
    },
  });
  return registry;
}

const grammars = new Map<string, Promise<IGrammar>>();
export function loadGrammar(scopeName: 'source.falco-rules' | 'source.falco-alerts'): Promise<IGrammar> {
  let g = grammars.get(scopeName);
  if (!g) {
    g = getRegistry().loadGrammar(scopeName).then((x) => { if (!x) throw new Error(`grammar ${scopeName} not found`); return x; });
    grammars.set(scopeName, g);
  }
  return g;
}

export interface TokenizedLine { text: string; tokens: IToken[] }

/** Tokenizes a whole document line by line, carrying the rule stack, as the editor does. */
export async function tokenize(scopeName: 'source.falco-rules' | 'source.falco-alerts', text: string): Promise<TokenizedLine[]> {
  const grammar = await loadGrammar(scopeName);
  let stack = INITIAL;
  const lines: TokenizedLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(line, stack);
    lines.push({ text: line, tokens: result.tokens });
    stack = result.ruleStack;
  }
  return lines;
}

/** Scopes of the token at `column` of `line`. */
export function scopesAt(line: TokenizedLine, column: number): string[] {
  const token = line.tokens.find((t) => t.startIndex <= column && column < t.endIndex);
  return token ? token.scopes : [];
}

/** Finds the line containing `lineNeedle` (the `occurrence`-th such line). */
export function findLine(lines: TokenizedLine[], lineNeedle: string, occurrence = 0): TokenizedLine {
  const found = lines.filter((l) => l.text.includes(lineNeedle));
  assert.ok(found.length > occurrence, `no line ${occurrence + 1} containing ${JSON.stringify(lineNeedle)}`);
  return found[occurrence];
}

function describe(line: TokenizedLine): string {
  return line.tokens.map((t) => `  ${JSON.stringify(line.text.slice(t.startIndex, t.endIndex))} ${t.scopes.slice(1).join(' ')}`).join('\n');
}

/** Every character of `needle` (its `occurrence`-th match in the line) carries `scope` (a scope or a prefix of one,
 *  compared per dotted segment: `string.quoted` matches `string.quoted.double.falco`). */
export function expectScope(line: TokenizedLine, needle: string, scope: string, occurrence = 0): void {
  const at = indexOf(line.text, needle, occurrence);
  for (let c = at; c < at + needle.length; c++) {
    const scopes = scopesAt(line, c);
    assert.ok(scopes.some((s) => matchesScope(s, scope)),
      `${JSON.stringify(needle)} at column ${c} in ${JSON.stringify(line.text)} lacks ${scope}; tokens:\n${describe(line)}`);
  }
}

/** Like expectScope, for `needle` wherever it first stands in the line, whatever its neighbours (a word right after a
 *  terminal escape such as `\x1b[0m`, whose `m` is a word character to expectScope). */
export function expectScopeAnywhere(line: TokenizedLine, needle: string, scope: string): void {
  const at = line.text.indexOf(needle);
  assert.ok(at >= 0, `${JSON.stringify(needle)} not in ${JSON.stringify(line.text)}`);
  for (let c = at; c < at + needle.length; c++) {
    assert.ok(scopesAt(line, c).some((s) => matchesScope(s, scope)),
      `${JSON.stringify(needle)} at column ${c} in ${JSON.stringify(line.text)} lacks ${scope}; tokens:\n${describe(line)}`);
  }
}

/** Like expectScope, for the first `needle` after the first `anchor` (e.g. the value after a JSON key). */
export function expectScopeAfter(line: TokenizedLine, anchor: string, needle: string, scope: string): void {
  const from = line.text.indexOf(anchor);
  assert.ok(from >= 0, `${JSON.stringify(anchor)} not in ${JSON.stringify(line.text)}`);
  const before = line.text.slice(0, from + anchor.length);
  let occurrence = 0;
  for (let at = before.indexOf(needle); at >= 0; at = before.indexOf(needle, at + 1)) occurrence++;
  expectScope(line, needle, scope, occurrence);
}

/** No character of `needle` carries `scope`. */
export function expectNoScope(line: TokenizedLine, needle: string, scope: string, occurrence = 0): void {
  const at = indexOf(line.text, needle, occurrence);
  for (let c = at; c < at + needle.length; c++) {
    const scopes = scopesAt(line, c);
    assert.ok(!scopes.some((s) => matchesScope(s, scope)),
      `${JSON.stringify(needle)} at column ${c} in ${JSON.stringify(line.text)} should not carry ${scope}; tokens:\n${describe(line)}`);
  }
}

/** `needle` is exactly one token (no neighbouring characters share it): a whole field, not half a field. */
export function expectWholeToken(line: TokenizedLine, needle: string, occurrence = 0): void {
  const at = indexOf(line.text, needle, occurrence);
  const first = line.tokens.find((t) => t.startIndex === at);
  assert.ok(first && first.endIndex === at + needle.length,
    `${JSON.stringify(needle)} is not one token in ${JSON.stringify(line.text)}; tokens:\n${describe(line)}`);
}

/** The `occurrence`-th match of `needle` as a whole word: `in` does not match inside `open_write`. */
function indexOf(text: string, needle: string, occurrence: number): number {
  const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    do at = text.indexOf(needle, at + 1);
    while (at >= 0 && ((isWord(needle[0]) && isWord(text[at - 1])) || (isWord(needle[needle.length - 1]) && isWord(text[at + needle.length]))));
    assert.ok(at >= 0, `${JSON.stringify(needle)} (occurrence ${occurrence}) not in ${JSON.stringify(text)}`);
  }
  return at;
}

export function matchesScope(actual: string, expected: string): boolean {
  return actual === expected || actual.startsWith(`${expected}.`);
}
