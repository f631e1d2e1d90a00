// Reads rules files of the shared corpus for the condition tests (a helper, not a test file).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { macroRefsOf, parseCondition } from '../../server/src/service/rules/condition';

export const corpusDir = path.join(process.cwd(), '..', 'shared', 'corpus');
export const corpusExists = existsSync(path.join(corpusDir, 'rules'));

export interface CorpusItem {
  file: string;
  kind: 'rule' | 'macro' | 'list';
  name: string;
  condition?: string;
  output?: string;
  items?: string[];
  /** Marked with override/append: extends an earlier definition. */
  append: boolean;
}

export function rulesFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(path.join(corpusDir, 'rules'));
  return out;
}

export function readItems(file: string): CorpusItem[] {
  const out: CorpusItem[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const value: unknown = doc.toJS();
    if (!Array.isArray(value)) continue;
    for (const raw of value) {
      if (!raw || typeof raw !== 'object') continue;
      const item = raw as Record<string, unknown>;
      const override = item.override as Record<string, string> | undefined;
      const append = item.append === true || (override !== undefined && Object.values(override).includes('append'));
      const base = { file, append };
      if (typeof item.rule === 'string') {
        out.push({ ...base, kind: 'rule', name: item.rule, ...(typeof item.condition === 'string' ? { condition: item.condition } : {}), ...(typeof item.output === 'string' ? { output: item.output } : {}) });
      } else if (typeof item.macro === 'string') {
        out.push({ ...base, kind: 'macro', name: item.macro, ...(typeof item.condition === 'string' ? { condition: item.condition } : {}) });
      } else if (typeof item.list === 'string') {
        out.push({ ...base, kind: 'list', name: item.list, items: Array.isArray(item.items) ? item.items.map(String) : [] });
      }
    }
  }
  return out;
}

/** Effective macros, lists and rule conditions of files loaded in order (append concatenates, otherwise replaces). */
export function loadTogether(files: string[]): { macros: Map<string, string>; lists: Map<string, string[]>; rules: Map<string, string> } {
  const macros = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const rules = new Map<string, string>();
  for (const file of files) {
    for (const item of readItems(file)) {
      if (item.kind === 'list') {
        const prev = lists.get(item.name);
        lists.set(item.name, item.append && prev ? [...prev, ...(item.items ?? [])] : (item.items ?? []));
      } else if (item.condition !== undefined) {
        const map = item.kind === 'macro' ? macros : rules;
        const prev = map.get(item.name);
        map.set(item.name, item.append && prev !== undefined ? `${prev} ${item.condition}` : item.condition);
      }
    }
  }
  return { macros, lists, rules };
}

/**
 * A condition made macro-free for the libsinsp oracle (condition-differential): each macro reference replaced by its
 * parenthesised, recursively expanded condition (a macro inside itself is left as written), and each list name
 * standing between blanks, parentheses, commas or '=' replaced by its items (lists naming lists expanded, an item
 * with a blank quoted, an empty list taking a neighbouring comma with it). Test scaffolding only: the product never
 * rewrites conditions as text; it reads the parsed condition and pastes lists as Falco 0.44 does (listItemsInCondition
 * in rules/workspace.ts).
 */
export function expandForOracle(text: string, macros: ReadonlyMap<string, string>, lists: ReadonlyMap<string, readonly string[]>): string {
  const expandMacros = (cond: string, active: Set<string>): string => {
    let out = '';
    let last = 0;
    for (const ref of macroRefsOf(parseCondition(cond).ast)) {
      const body = macros.get(ref.name);
      if (body === undefined || active.has(ref.name)) continue;
      active.add(ref.name);
      out += cond.slice(last, ref.span.start) + '(' + expandMacros(body, active) + ')';
      active.delete(ref.name);
      last = ref.span.end;
    }
    return out + cond.slice(last);
  };
  const itemsOf = (name: string, seen: Set<string>): string[] => {
    const items = lists.get(name);
    if (!items || seen.has(name)) return [];
    seen.add(name);
    const out = items.flatMap((item) => (item !== name && lists.has(item) && !seen.has(item) ? itemsOf(item, seen) : [item]));
    seen.delete(name);
    return out;
  };
  const delimiters = ' \t\n\r(),=';
  const blanks = ' \t\n\r';
  let cnd = expandMacros(text, new Set());
  for (const name of lists.keys()) {
    if (name.length === 0) continue;
    const sub = itemsOf(name, new Set()).map((i) => (i.includes(' ') && i[0] !== '"' && i[0] !== '\'' ? `"${i}"` : i)).join(', ');
    let start = cnd.indexOf(name);
    while (start >= 0) {
      let end = start + name.length;
      if ((start === 0 || delimiters.includes(cnd[start - 1]!)) && (end >= cnd.length || delimiters.includes(cnd[end]!))) {
        while (start > 0 && blanks.includes(cnd[start - 1]!)) start--;
        while (end < cnd.length && blanks.includes(cnd[end]!)) end++;
        if (sub.length === 0) {
          if (start > 0 && cnd[start - 1] === ',') start--;
          else if (end < cnd.length && cnd[end] === ',') end++;
        }
        cnd = (start > 0 ? cnd.slice(0, start) + ' ' : '') + sub + ' ' + cnd.slice(end);
        start += sub.length + 1;
      }
      start = cnd.indexOf(name, start + 1);
    }
  }
  return cnd;
}
