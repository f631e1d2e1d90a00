// Completion items of fields, operators and configuration keys carry a reference to their documentation (`data`), not
// the text: a condition's list is some 300 fields, and every field's Markdown made each answer about 60 % larger,
// encoded and sent on every keystroke that asks for completion. The editor asks for one item's documentation when it
// shows it (completionItem/resolve); the reference names what the text depends on besides the item's label (the
// field's source, the key's parents, the target release), so the answer is the same whichever document or embedded
// block the item came from.
import type { CompletionItem } from 'vscode-languageserver-types';
import { allFields, fieldsForSource, LATEST_FALCO } from '../knowledge';
import { fieldMarkdown, operatorMarkdown } from './rules/hover';
import { keyHover } from './config';

/** The field, operator or key is the item's label. */
type DocRef =
  | { falcoLens: 'field'; source: string; target: string }
  | { falcoLens: 'operator'; target: string }
  | { falcoLens: 'config-key'; parents: readonly string[]; target: string };

export function fieldDocRef(source: string, target: string): DocRef {
  return { falcoLens: 'field', source, target };
}

export function operatorDocRef(target: string): DocRef {
  return { falcoLens: 'operator', target };
}

/** A key of Falco's configuration: `path` ends with the key (the item's label). */
export function configKeyDocRef(path: readonly string[], target: string): DocRef {
  return { falcoLens: 'config-key', parents: path.slice(0, -1), target };
}

/** The item with its documentation, when its data is one of our references; any other item unchanged. */
export function resolveCompletionItem(item: CompletionItem): CompletionItem {
  if (item.documentation !== undefined) return item;
  const value = documentationOf(item.label, item.data);
  return value === undefined ? item : { ...item, documentation: { kind: 'markdown', value } };
}

function documentationOf(name: unknown, data: unknown): string | undefined {
  // The item comes back from the client: read it as untrusted input.
  if (typeof data !== 'object' || data === null) return undefined;
  const ref = data as Record<string, unknown>;
  const target = typeof ref.target === 'string' && /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/.test(ref.target) ? ref.target : LATEST_FALCO;
  if (typeof name !== 'string') return undefined;
  if (ref.falcoLens === 'operator') return operatorMarkdown(name, target);
  if (ref.falcoLens === 'config-key') {
    const parents = ref.parents;
    if (!Array.isArray(parents) || parents.length > 16 || !parents.every((p) => typeof p === 'string')) return undefined;
    return keyHover([...parents, name], target);
  }
  if (ref.falcoLens !== 'field' || typeof ref.source !== 'string') return undefined;
  // The list offered the source's fields, or every field for a source without any (fieldItems in rules/completion.ts).
  const bySource = fieldsForSource(ref.source);
  const info = (bySource.length > 0 ? bySource : allFields()).find((f) => f.name === name);
  return info ? fieldMarkdown(name, info, undefined, target) : undefined;
}
