// The audit of session 25 of the rules service's navigation as a demanding user meets it, on the official rules at
// two supported releases (rules 3.0.0 at Falco 0.37, the newest at 0.44: falco_rules.yaml, then the incubating and
// sandbox files, which use its macros and lists and redefine some) and on the plugins' rules (k8saudit's GKE file
// after k8saudit's, the others alone), every file configured in that order:
// - every item name, macro reference, field, operator, keyword and transformer has a hover whose range holds it;
// - every item name and macro reference has a definition, at a name of that kind;
// - the document symbols name every rule, macro and list item;
// - every macro's and list's references (with its definitions) are the places this test's own model of Falco's
//   compile finds: a list's name between resolve_list's delimiters in a condition, an item of a list naming a list
//   defined before it in one of the compiles Falco makes after each file, a word of an exception's value as build_rule_exception_infos writes it (rule_loader_compiler.cpp
//   0.37.0 and 0.44.0); a macro's name where the filter parser reads a macro (not a comparison's value);
// - renaming a macro, list or rule of falco_rules.yaml that the other files use (every third) leaves the findings of
//   every file as they were: a reference the rename missed would become an undefined name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { createRulesService, type RulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc, corpusExists, CORPUS_RULES, applyEdits } from './rules-host';
import { analyzeFile } from '../../server/src/service/rules/semanticTokens';
import { parseRulesFile } from '../../server/src/service/rules/model';

const skip = corpusExists ? false : 'the corpus (../shared/corpus) is absent';
const OFFICIAL = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
const PLUGINS = path.join(CORPUS_RULES, 'falcosecurity__plugins');

interface RulesSet { name: string; target: string; files: string[] }
function sets(): RulesSet[] {
  const plugins = fs.existsSync(PLUGINS) ? fs.readdirSync(PLUGINS).filter((d) => d !== 'k8saudit-gke').map((d) => ({
    name: `plugin ${d}`, target: '0.44.1',
    files: [...fs.readdirSync(path.join(PLUGINS, d)).map((f) => path.join(PLUGINS, d, f)), ...(d === 'k8saudit' ? [path.join(PLUGINS, 'k8saudit-gke', 'k8s_audit_rules_gke.yaml')] : [])],
  })) : [];
  return [
    { name: 'official rules 3.0.0', target: '0.37.0', files: OFFICIAL.map((f) => path.join(CORPUS_RULES, 'falcosecurity__rules', 'tags', 'falco-rules-3.0.0', f)) },
    { name: 'official rules (newest)', target: '0.44.1', files: OFFICIAL.map((f) => path.join(CORPUS_RULES, 'falcosecurity__rules', f)) },
    ...plugins,
  ];
}

function open(files: Record<string, string>, target: string): { service: RulesService; docs: TextDocument[] } {
  const host = new MemoryHost(files, { folders: ['/ws'], ruleFiles: Object.keys(files) });
  host.config = { ...host.config, falcoVersion: target };
  const service = createRulesService(host);
  const docs = Object.entries(files).map(([p, t]) => rulesDoc(p, t));
  for (const d of docs) service.didOpenOrChange?.(d);
  return { service, docs };
}

function filesOf(set: RulesSet): Record<string, string> {
  return Object.fromEntries(set.files.map((f) => [`/ws/${path.basename(f)}`, fs.readFileSync(f, 'utf8')]));
}

const within = (r: Range, line: number, character: number) =>
  (r.start.line < line || (r.start.line === line && r.start.character <= character)) && (line < r.end.line || (line === r.end.line && character <= r.end.character));

test('hovers, definitions and symbols on every token and item of the official and plugin rules', { skip }, () => {
  for (const set of sets()) {
    const files = filesOf(set);
    const { service, docs } = open(files, set.target);
    const problems: string[] = [];
    for (const doc of docs) {
      const text = doc.getText();
      const model = parseRulesFile(doc.uri, text);
      for (const { tokens } of analyzeFile(model).items) {
        for (const t of tokens) {
          if (t.kind === 'string' || t.kind === 'number' || t.kind === 'list-candidate') continue;
          const position = doc.positionAt(t.span.start + Math.floor((t.span.end - t.span.start) / 2));
          const where = `${path.basename(doc.uri)}:${position.line + 1} ${t.kind} '${text.slice(t.span.start, t.span.end)}'`;
          const hover = service.hover!(doc, position);
          if (!hover?.range || !within(hover.range, position.line, position.character)) problems.push(`no hover at ${where}`);
          if (t.kind === 'name' || t.kind === 'macro-ref') {
            const defs = service.definition!(doc, position);
            const kind = t.kind === 'name' ? t.nameKind : 'macro';
            if (defs.length === 0) problems.push(`no definition at ${where}`);
            for (const d of defs) {
              const target = docs.find((x) => x.uri === d.uri)!;
              const line = target.getText().split('\n')[d.range.start.line];
              // The key may come second in its item (`- condition: …` then `  macro: name`, sandbox rules 3.0.0).
              if (!new RegExp(`^(- |  )${kind}: `).test(line)) problems.push(`definition of ${where} at '${line}'`);
            }
          }
        }
      }
      const symbols = new Set(service.documentSymbols!(doc).map((s) => s.name));
      for (const item of model.items) if (item.name !== undefined && (item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list') && ![...symbols].some((s) => s.includes(item.name!))) problems.push(`no symbol for ${item.kind} ${item.name} in ${path.basename(doc.uri)}`);
    }
    assert.deepEqual(problems, [], set.name);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// The test's own model of where Falco reads a macro's or a list's name

const DELIMITERS = /[ \t\n\r(),=]/;
const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);
const WORD_OPERATORS = new Set(['contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'exists', ...LIST_OPERATORS]);
const MODIFIERS = new Set(['oneof', 'anyof', 'allof']);

/** The words of a condition the filter parser reads as macro references: no comparison's value, field or keyword. */
function macroWords(condition: string): string[] {
  const out: string[] = [];
  const groups: boolean[] = [];
  let afterOperator = false;
  let previous = '';
  for (const m of condition.matchAll(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[()]|,|[=<>!]+|[^\s()=<>!,"']+/g)) {
    const token = m[0];
    if (token === '(') { groups.push(LIST_OPERATORS.has(previous) || MODIFIERS.has(previous)); afterOperator = false; }
    else if (token === ')') { groups.pop(); afterOperator = false; }
    else if (/^[=<>!]+$/.test(token) || WORD_OPERATORS.has(token) || MODIFIERS.has(token)) afterOperator = !(token === 'exists');
    else if (token === ',' || token[0] === '"' || token[0] === "'") afterOperator = false;
    else {
      const value = afterOperator || groups[groups.length - 1] === true;
      if (!value && !/[.[]/.test(token) && !['and', 'or', 'not', 'val'].includes(token)) out.push(token);
      afterOperator = false;
    }
    previous = token;
  }
  return out;
}

type Item = Record<string, unknown>;
const asItems = (text: string) => ((parse(text) ?? []) as unknown[]).filter((i): i is Item => typeof i === 'object' && i !== null);
const quoteItem = (v: string) => (v.includes(' ') && v[0] !== '"' && v[0] !== "'" ? `"${v}"` : v);
const takesList = (comp: string) => LIST_OPERATORS.has(comp) || / (oneof|anyof|allof)$/.test(comp);

/** The values of an exception as build_rule_exception_infos writes them (quoted, or as written after a list operator). */
function pastedValues(ex: Item): string[] {
  const out: string[] = [];
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
  const values = Array.isArray(ex.values) ? ex.values : [];
  if (typeof ex.fields === 'string') for (const v of values) { const t = text(v); if (t !== undefined) out.push(quoteItem(t)); }
  else if (Array.isArray(ex.fields)) {
    const comps = Array.isArray(ex.comps) ? ex.comps.map((c) => String(c).trim()) : ex.fields.map(() => '=');
    for (const tuple of values) {
      if (!Array.isArray(tuple)) continue;
      tuple.forEach((v, k) => {
        if (Array.isArray(v)) { for (const x of v) { const t = text(x); if (t !== undefined) out.push(quoteItem(t)); } }
        else { const t = text(v); if (t !== undefined) out.push(takesList(comps[k] ?? '') ? t : quoteItem(t)); }
      });
    }
  }
  return out;
}

/** Whether a list item replaces the list's items: a definition, or an override replacing them. */
const replacesItems = (i: Item) => i.append === undefined && (i.override === undefined || (i.override as Item).items === 'replace');

/** How many times each macro and list name is defined, changed or read, over the files in load order. */
function modelCounts(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const all = texts.map(asItems);
  const lists = new Set<string>();
  // Every list item with its place in load order and its file.
  const listItems: { item: Item; at: number; file: number }[] = [];
  let at = 0;
  all.forEach((items, file) => { for (const i of items) { at++; if (typeof i.list === 'string') { lists.add(i.list); listItems.push({ item: i, at, file }); } } });
  /**
   * Falco compiles the lists after each file: in the compile after file `stage`, a list's item names a list whose first
   * definition so far comes before the list's last change so far, if the item is among those the list holds then.
   */
  const namesList = (x: { item: Item; at: number; file: number }, name: string) => {
    for (let stage = x.file; stage < all.length; stage++) {
      const sofar = listItems.filter((l) => l.file <= stage);
      const own = sofar.filter((l) => l.item.list === x.item.list);
      const ref = sofar.find((l) => l.item.list === name);
      const lastReplace = [...own].reverse().find((l) => replacesItems(l.item))?.at ?? 0;
      if (ref && x.at >= lastReplace && ref.at < own[own.length - 1].at) return true;
    }
    return false;
  };
  for (const x of listItems) {
    add(`list ${x.item.list}`);
    if (Array.isArray(x.item.items)) for (const v of x.item.items) if (typeof v === 'string' && lists.has(v) && namesList(x, v)) add(`list ${v}`);
  }
  for (const items of all) for (const i of items) {
    if (typeof i.macro === 'string') add(`macro ${i.macro}`);
    if (typeof i.rule === 'string' || typeof i.macro === 'string') {
      const condition = typeof i.condition === 'string' ? i.condition : '';
      for (const w of condition.split(DELIMITERS)) if (lists.has(w)) add(`list ${w}`);
      for (const w of macroWords(condition)) if (!lists.has(w)) add(`macro ${w}`);
    }
    if (typeof i.rule === 'string' && Array.isArray(i.exceptions)) {
      for (const ex of i.exceptions as Item[]) for (const v of pastedValues(ex)) for (const w of v.split(DELIMITERS)) if (lists.has(w)) add(`list ${w}`);
    }
  }
  return counts;
}

test('every macro and list has the references Falco reads, across the files', { skip }, () => {
  for (const set of sets()) {
    const files = filesOf(set);
    const { service, docs } = open(files, set.target);
    const expected = modelCounts(docs.map((d) => d.getText()));
    const differ: string[] = [];
    for (const [key, count] of expected) {
      const [kind, name] = key.split(' ');
      const line = `- ${kind}: ${name}\n`;
      const doc = docs.find((d) => d.getText().startsWith(line) || d.getText().includes(`\n${line}`));
      if (!doc) continue;
      const text = doc.getText();
      const at = text.startsWith(line) ? 0 : text.indexOf(`\n${line}`) + 1;
      const found = service.references!(doc, doc.positionAt(at + `- ${kind}: `.length + 1), true).length;
      if (found !== count) differ.push(`${key}: ${found} references, Falco reads ${count}`);
    }
    if (set.name.startsWith('official')) assert.ok(expected.size > 400, set.name);
    assert.deepEqual(differ, [], set.name);
  }
});

test('renaming macros, lists and rules that other files use leaves every file\'s findings as they were', { skip }, () => {
  for (const set of sets().slice(0, 2)) {
    const files = filesOf(set);
    const findings = (texts: Record<string, string>) => {
      const { service, docs } = open(texts, set.target);
      // By line: a new name of another length moves the findings after it on its line.
      return docs.flatMap((d) => service.diagnostics(d).map((x) => `${path.basename(d.uri)}:${x.range.start.line} ${x.code}`)).sort();
    };
    const before = findings(files);
    const { service, docs } = open(files, set.target);
    const base = docs[0];
    const others = Object.values(files).slice(1).join('\n');
    const names = [...base.getText().matchAll(/^- (macro|list|rule): (.+)$/gm)]
      .map((m) => ({ kind: m[1], name: m[2], at: m.index! + `- ${m[1]}: `.length + 1 }))
      .filter((n) => others.includes(n.name)).filter((_, i) => i % 3 === 0);
    assert.ok(names.length >= 10, `${set.name}: names used across files`);
    for (const n of names) {
      const newName = n.kind === 'rule' ? `${n.name} (renamed)` : `${n.name.replace(/[^A-Za-z0-9_]/g, '_')}_renamed`;
      const edit: WorkspaceEdit | null = service.rename!(base, base.positionAt(n.at), newName);
      const out = { ...files };
      for (const c of edit?.documentChanges ?? []) if ('edits' in c) { const p = c.textDocument.uri.replace('file://', ''); out[p] = applyEdits(out[p], c.edits as TextEdit[]); }
      for (const [uri, edits] of Object.entries(edit?.changes ?? {})) { const p = uri.replace('file://', ''); out[p] = applyEdits(out[p], edits); }
      assert.notDeepEqual(out, files, `${set.name}: ${n.kind} ${n.name} renamed`);
      assert.deepEqual(findings(out), before, `${set.name}: ${n.kind} ${n.name} renamed to ${newName}`);
    }
  }
});
