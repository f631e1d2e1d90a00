// A customRules entry added to a Falco chart's values, for the alert tuning quick fixes (regions.ts ChartValues says
// why the chart's Falco is tuned there). The entry is a literal block (`<key>: |-`, the rules file on the lines below,
// indented two columns more than the key), which the chart writes as it is into its rules ConfigMap
// (templates/rules-configmap.yaml). The edit only inserts, and removes an empty `{}` or `~` value it replaces; it is
// given only when the values read back the same with the entry added, and the entry reads back as the text written.
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { ChartValues } from './regions';
import { withoutTrailing } from '../text';

/** An edit of the host text, by offsets. */
export interface HostTextEdit { start: number; end: number; newText: string }

/** The edit adding entry `key` holding `body` (LF line breaks) to the values' customRules; undefined when the values
 *  do not read back as they were with it. */
export function addEntryEdit(text: string, values: ChartValues, key: string, body: string): HostTextEdit | undefined {
  const spot = values.add;
  if (!spot) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const pad = (n: number) => ' '.repeat(n);
  const content = withoutTrailing(body, '\r\n');
  const lines = content.split(/\r?\n/).map((l) => (l === '' ? '' : pad(spot.indent + 2) + l));
  const entry = `${spot.withKey ? `${pad(spot.indent - 2)}customRules:${eol}` : ''}${pad(spot.indent)}${key}: |-${eol}${lines.join(eol)}${eol}`;
  const start = spot.remove ? spot.remove[0] : spot.at;
  // What stays between the removed value and the entry (a comment after `{}`).
  const kept = spot.remove ? text.slice(spot.remove[1], spot.at) : '';
  const before = text.slice(0, start) + kept;
  const edit = { start, end: spot.at, newText: `${kept}${before === '' || before.endsWith('\n') ? '' : eol}${entry}` };
  const next = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  return readsBack(text, next, values, key, content) ? edit : undefined;
}

function readsBack(text: string, next: string, values: ChartValues, key: string, content: string): boolean {
  const was = documents(text);
  const now = documents(next);
  if (!was || !now || was.length !== now.length || now[values.doc]?.errors) return false;
  const holder = walk(now[values.doc].value, values.path);
  const old = walk(was[values.doc].value, values.path);
  if (!isRecord(holder) || !isRecord(old) || !isRecord(holder.customRules) || holder.customRules[key] !== content) return false;
  // The values as they were: without the entry, and customRules as it was (absent, null or empty).
  delete holder.customRules[key];
  if (Object.keys(holder.customRules).length === 0 && !isRecord(old.customRules)) {
    if ('customRules' in old) holder.customRules = old.customRules;
    else delete holder.customRules;
  }
  return isDeepStrictEqual(was.map((d) => d.value), now.map((d) => d.value));
}

function documents(text: string): { value: unknown; errors: boolean }[] | undefined {
  try {
    return parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false }).map((d) => ({ value: d.toJS({ maxAliasCount: 100 }), errors: d.errors.length > 0 }));
  } catch {
    return undefined;
  }
}

function walk(node: unknown, path: readonly (string | number)[]): unknown {
  let at = node;
  for (const step of path) at = (at as Record<string | number, unknown> | null | undefined)?.[step];
  return at;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
