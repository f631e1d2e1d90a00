// Reads rules files of the shared corpus for the condition tests (a helper, not a test file).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

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
