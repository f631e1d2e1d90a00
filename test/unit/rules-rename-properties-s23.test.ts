// A rename changes names, never what Falco compiles: over the official falco_rules.yaml and a local file that tunes
// it (overrides, appends, exceptions with list names among their values), seeded picks of macros, lists and rules are
// renamed through the service, and then
// - every rule's condition as Falco compiles it (lists pasted as Falco pastes them, macros expanded, the exceptions
//   added) is the same text as before, rule by rule (a rule renamed is matched by its new name);
// - the findings of every file are the same, the new name read as the old one.
// The expansion here is the test's own model of rule_loader_compiler.cpp (resolve_list: a list's name between
// blanks, parentheses, commas or '=' is replaced by its items, quoted where they hold a blank; macros are whole
// words of the condition), applied alike before and after: a reference the rename missed stays a name and differs,
// and so does a word it renamed that was no reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc, corpusExists, CORPUS_RULES } from './rules-host';
import { prng } from './rules-random-edits';

const OFFICIAL = '/ws/falco_rules.yaml';
const LOCAL = '/ws/falco_rules.local.yaml';
/** A local file as users write them: it appends to official lists and macros, tunes official rules with exceptions
 *  (one whose values are a list's name) and adds a rule of its own on official macros. */
const LOCAL_TEXT = `- list: shell_binaries
  items: [fish]
  override:
    items: append
- macro: user_known_write_below_binary_dir_activities
  condition: (proc.name = lens_tool)
- list: site_debug_images
  items: [registry.example.com/debug, "registry.example.com/debug tools"]
- rule: Terminal shell in container
  exceptions:
    - name: site_debug
      fields: [container.image.repository]
      comps: [in]
      values:
        - [site_debug_images]
  override:
    exceptions: append
- rule: Site shell started
  desc: A shell started by a site service
  condition: spawned_process and proc.name in (shell_binaries) and not user_known_write_below_binary_dir_activities
  output: Shell started (process=%proc.name parent=%proc.pname)
  priority: NOTICE
`;

interface Item { kind: 'list' | 'macro' | 'rule'; name: string; body: Record<string, unknown> }

function itemsOf(text: string): Item[] {
  const out: Item[] = [];
  for (const raw of (parse(text) as Record<string, unknown>[]) ?? []) {
    for (const kind of ['list', 'macro', 'rule'] as const) if (typeof raw[kind] === 'string') out.push({ kind, name: raw[kind] as string, body: raw });
  }
  return out;
}

const DELIMITER = /[ \t\n\r(),=]/;

/** The test's model of Falco's list pasting (resolve_list): every occurrence of the name with a delimiter or the text's
 *  edge on both sides. */
function pasteList(text: string, name: string, items: string[]): string {
  const replacement = items.map((i) => (/\s/.test(i) ? `"${i}"` : i)).join(', ');
  let out = '';
  let from = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at === 0 ? ' ' : text[at - 1];
    const after = at + name.length >= text.length ? ' ' : text[at + name.length];
    if (!DELIMITER.test(before) || !DELIMITER.test(after)) continue;
    out += text.slice(from, at) + replacement;
    from = at + name.length;
  }
  return out + text.slice(from);
}

/** Every rule's condition as compiled, by rule name: lists and macros of both files, overrides and appends applied. */
function compiled(files: string[]): Map<string, string> {
  const lists = new Map<string, string[]>();
  const macros = new Map<string, string>();
  const rules = new Map<string, { condition: string; exceptions: { fields: string[]; comps: string[]; values: unknown[][] }[]; enabled: boolean }>();
  for (const text of files) {
    for (const { kind, name, body } of itemsOf(text)) {
      const override = (body.override ?? {}) as Record<string, string>;
      if (kind === 'list') {
        const items = ((body.items as unknown[]) ?? []).map(String);
        // Lists use earlier lists: their names among the items are replaced by those lists' items.
        const flat = items.flatMap((i) => lists.get(i) ?? [i]);
        lists.set(name, override.items === 'append' || body.append === true ? [...(lists.get(name) ?? []), ...flat] : flat);
      } else if (kind === 'macro') {
        const condition = String(body.condition ?? '');
        macros.set(name, override.condition === 'append' || body.append === true ? `${macros.get(name) ?? ''} ${condition}` : condition);
      } else {
        const previous = rules.get(name);
        const exceptions = ((body.exceptions as { fields: string[]; comps?: string[]; values?: unknown[][] }[]) ?? []).map((e) => ({ fields: e.fields, comps: e.comps ?? e.fields.map(() => '='), values: e.values ?? [] }));
        if (previous && (body.override || body.append)) {
          if (override.condition === 'append') previous.condition += ` ${String(body.condition)}`;
          if (override.exceptions === 'append') previous.exceptions.push(...exceptions);
          if (typeof body.enabled === 'boolean') previous.enabled = body.enabled;
        } else {
          rules.set(name, { condition: String(body.condition ?? ''), exceptions, enabled: body.enabled !== false });
        }
      }
    }
  }
  const expandMacros = (text: string, depth = 0): string => (depth > 20 ? text
    : text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'|[^\s()"',=]+/g, (word) => (macros.has(word) ? `(${expandMacros(macros.get(word)!, depth + 1)})` : word)));
  const out = new Map<string, string>();
  for (const [name, rule] of rules) {
    let text = rule.condition;
    for (const e of rule.exceptions) {
      for (const row of e.values) {
        const parts = e.fields.map((f, i) => {
          const v = row[i];
          const value = Array.isArray(v) ? `(${v.map(String).join(', ')})` : e.comps[i] === 'in' ? `(${String(v)})` : String(v);
          return `${f} ${e.comps[i]} ${value}`;
        });
        text += ` and not (${parts.join(' and ')})`;
      }
    }
    // Falco pastes lists into each macro's condition and the rule's (with its exceptions) alike.
    text = expandMacros(text);
    for (const [list, items] of lists) text = pasteList(text, list, items);
    out.set(name, `${rule.enabled ? '' : '[disabled] '}${text.replace(/\s+/g, ' ').trim()}`);
  }
  return out;
}

function apply(files: Record<string, string>, edit: WorkspaceEdit): Record<string, string> {
  const out = { ...files };
  const perUri: [string, TextEdit[]][] = edit.changes ? Object.entries(edit.changes)
    : (edit.documentChanges ?? []).flatMap((c) => ('edits' in c ? [[c.textDocument.uri, c.edits as TextEdit[]] as [string, TextEdit[]]] : []));
  for (const [uri, edits] of perUri) {
    const file = decodeURIComponent(uri.replace('file://', ''));
    assert.ok(file in out, `the rename edits ${uri}`);
    out[file] = TextDocument.applyEdits(TextDocument.create(uri, 'falco-rules', 1, out[file]), edits);
  }
  return out;
}

function findings(files: Record<string, string>): string[] {
  const host = new MemoryHost(files, { folders: ['/ws'], ruleFiles: [OFFICIAL, LOCAL] });
  const service = createRulesService(host);
  const docs = Object.entries(files).map(([p, t]) => rulesDoc(p, t));
  for (const d of docs) service.didOpenOrChange?.(d);
  const message = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : (d.message as { value: string }).value);
  return docs.flatMap((d) => service.diagnostics(d).map((x) => `${d.uri} ${x.range.start.line} ${String(x.code)} ${message(x)}`)).sort();
}

test('renaming macros, lists and rules of the official rules and a local file changes no compiled condition and no finding', { skip: !corpusExists && 'corpus absent' }, () => {
  const files = { [OFFICIAL]: fs.readFileSync(path.join(CORPUS_RULES, 'falcosecurity__rules', 'falco_rules.yaml'), 'utf8'), [LOCAL]: LOCAL_TEXT };
  const before = compiled([files[OFFICIAL], files[LOCAL]]);
  const findingsBefore = findings(files);
  const host = new MemoryHost(files, { folders: ['/ws'], ruleFiles: [OFFICIAL, LOCAL] });
  const service = createRulesService(host);
  const docs = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, rulesDoc(p, t)]));
  for (const d of Object.values(docs)) service.didOpenOrChange?.(d);
  const candidates = [...itemsOf(files[OFFICIAL]), ...itemsOf(files[LOCAL])].filter((c, i, all) => all.findIndex((o) => o.kind === c.kind && o.name === c.name) === i);
  const random = prng(Number(process.env.FALCO_LENS_SEED ?? 7));
  let renamed = 0;
  for (let n = 0; n < 16; n++) {
    const item = candidates[Math.floor(random() * candidates.length)];
    const newName = item.kind === 'rule' ? `Lens renamed rule ${n}` : `lens_renamed_${item.kind}_${n}`;
    // At the item's name in the file that defines it first.
    const file = itemsOf(files[OFFICIAL]).some((i) => i.kind === item.kind && i.name === item.name) ? OFFICIAL : LOCAL;
    const text = files[file];
    const at = text.search(new RegExp(`^- ${item.kind}: ${item.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm'));
    if (at < 0) continue;
    const doc = docs[file];
    let edit: WorkspaceEdit | null | undefined;
    try {
      edit = service.rename!(doc, doc.positionAt(at + `- ${item.kind}: `.length + 1), newName);
    } catch (e) {
      // A refused rename says why and changes nothing; the properties are about renames that are made.
      assert.match(String((e as Error).message), /./);
      continue;
    }
    assert.ok(edit, `${item.kind} ${item.name}: a rename`);
    const after = apply(files, edit!);
    const compiledAfter = compiled([after[OFFICIAL], after[LOCAL]]);
    for (const [rule, condition] of before) {
      const name = item.kind === 'rule' && rule === item.name ? newName : rule;
      const got = compiledAfter.get(name) ?? '';
      if (got === condition) continue;
      let k = 0;
      while (k < got.length && got[k] === condition[k]) k++;
      assert.fail(`renaming ${item.kind} '${item.name}' to '${newName}' changes what Falco compiles for rule '${rule}': '…${got.slice(Math.max(0, k - 120), k + 120)}…' where it was '…${condition.slice(Math.max(0, k - 120), k + 120)}…'`);
    }
    assert.equal(compiledAfter.size, before.size, `renaming ${item.kind} '${item.name}': rules added or lost`);
    const escaped = newName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const findingsAfter = findings(after).map((f) => f.replace(new RegExp(escaped, 'g'), item.name));
    assert.deepEqual(findingsAfter, findingsBefore, `renaming ${item.kind} '${item.name}' changes the findings`);
    renamed++;
  }
  assert.ok(renamed >= 10, `renames checked: ${renamed}`);
});
