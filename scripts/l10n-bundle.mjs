// Writes l10n/bundle.l10n.json, the English bundle of the client's runtime strings (the file translators start from:
// a bundle.l10n.<language>.json beside it translates them; package.json's `l10n` names the folder). It lists every
// message passed to vscode.l10n.t in client/src, read with TypeScript's parser. `--check` writes nothing and fails
// when the file is not what it would write, or when a call's message is not a string literal (test/unit/l10n-s24).
import ts from 'typescript';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.ts')) files.push(path);
  }
};
walk(join(root, 'client', 'src'));

const messages = new Set();
const problems = [];
for (const file of files.sort()) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText(source))) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) messages.add(first.text);
      else problems.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: l10n.t's message is not a string literal`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
const bundle = Object.fromEntries([...messages].sort().map((m) => [m, m]));
const text = `${JSON.stringify(bundle, null, 2)}\n`;
const target = join(root, 'l10n', 'bundle.l10n.json');
if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing: reported below */ }
  if (current !== text) problems.push('l10n/bundle.l10n.json is not the bundle of client/src: run node scripts/l10n-bundle.mjs');
  if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
} else {
  if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
  mkdirSync(join(root, 'l10n'), { recursive: true });
  writeFileSync(target, text);
  console.log(`${messages.size} messages written to l10n/bundle.l10n.json`);
}
