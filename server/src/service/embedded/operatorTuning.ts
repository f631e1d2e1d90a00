// The Falco Operator Rulesfile that alert tuning quick fixes create for a namespace none of whose Rulesfiles takes the
// tuning (alerts/index.ts tuningPlaces): a manifest file of its own beside the namespace's other Rulesfiles.
//
// Facts, falco-operator v0.4.1 (the same from v0.2.0): a Rulesfile needs apiVersion artifact.falcosecurity.dev/v1alpha1,
// kind Rulesfile and metadata.name (api/artifact/v1alpha1/rulesfile_types.go: every spec field is optional);
// spec.priority is an integer from 0 to 99, 50 when absent (the CRD's minimum, maximum and default), so it is written
// as a number, not quoted; spec.inlineRules is any JSON, which the operator writes back as YAML into
// /etc/falco/rules.d/<priority>-03-<name>-inline.yaml (controllers/artifact/rulesfile/controller.go ensureRulesfile,
// internal/pkg/artifact/manager.go Path, internal/pkg/priority). Falco reads that folder sorted by name, so at
// priority 99 the file loads after every OCI artifact (sub-priority 01) and ConfigMap (02) of any priority and after
// the inline rules of every lower priority: after the rule's definition in a file whose rules Falco Lens does not
// have (alerts/index.ts deploymentPlace still checks the order against the files it has). The operator reads the
// Rulesfiles of its pod's namespace only (cmd/artifact/main.go): the manifest names the namespace of the others
// (none when they name none: kubectl's). A Rulesfile's spec.selector (a metav1.LabelSelector) limits it to the nodes
// whose labels it matches, each node's artifact operator checking its own (regions.ts selectorKey); on the other nodes
// Falco would read this file's overrides of a rule it does not have, and refuse to start. So this Rulesfile has the
// selector of the rule's definitions (alerts/index.ts deploymentPlace), copied as its value: none where they have none.
import { isDeepStrictEqual } from 'node:util';
import { isMap, Parser, parseAllDocuments, parseDocument } from 'yaml';
import { yamlQuote } from '../yamlText';
import { analyzeHost, operatorFileName } from './regions';
import { sameNodes, selectorValue, storedSelector } from './selectors';
import { withoutTrailing } from '../text';

/** The Rulesfile's metadata.name, and the manifest file's name (`falco-lens-tuning.yaml`). */
export const OPERATOR_TUNING_RESOURCE = 'falco-lens-tuning';
/** Its spec.priority: the highest the CRD accepts (above). */
export const OPERATOR_TUNING_PRIORITY = 99;
/** The name the operator gives its inline rules in /etc/falco/rules.d. */
export const OPERATOR_TUNING_FILE = operatorFileName(OPERATOR_TUNING_PRIORITY, 'inline', OPERATOR_TUNING_RESOURCE);

/**
 * The manifest of the tuning Rulesfile of `namespace` ('' for none) whose inlineRules are the rules file `rules` (LF
 * line breaks; the comment lines and blank lines it starts with go above the manifest, since a comment inside
 * inlineRules is lost when the API server keeps it), with `eol` line breaks, and whose spec.selector is `selector` (a
 * selector key, regions.ts selectorKey; none when undefined). Undefined unless the manifest reads back as that
 * Rulesfile alone, with that selector and the same items. `name`: its metadata.name (a second tuning Rulesfile of the
 * namespace, for other nodes, is named after them: embedded/index.ts addedRulesfile).
 */
export function tuningRulesfile(namespace: string, rules: string, eol: string, selector?: string, name = OPERATOR_TUNING_RESOURCE): string | undefined {
  const selecting = selector === undefined ? [] : selectorLines(selector);
  if (selecting === undefined) return undefined;
  const lines = withoutTrailing(rules, '\n').split('\n');
  let head = 0;
  while (head < lines.length && (lines[head].trim() === '' || lines[head].startsWith('#'))) head++;
  const items = lines.slice(head);
  const text = [
    ...lines.slice(0, head).filter((l) => l.trim() !== ''),
    'apiVersion: artifact.falcosecurity.dev/v1alpha1',
    'kind: Rulesfile',
    'metadata:',
    `  name: ${yamlQuote(name)}`,
    ...(namespace !== '' ? [`  namespace: ${yamlQuote(namespace)}`] : []),
    'spec:',
    `  priority: ${OPERATOR_TUNING_PRIORITY}`,
    ...selecting,
    '  inlineRules:',
    ...items.map((l) => (l === '' ? '' : `    ${l}`)),
  ].join(eol) + eol;
  const { files, problems } = analyzeHost(text);
  const file = files[0];
  const same = files.length === 1 && problems.length === 0 && file.holder === 'rulesfile' && file.key === operatorFileName(OPERATOR_TUNING_PRIORITY, 'inline', name)
    && file.operator?.resource === name && file.operator.namespace === namespace && (selector === undefined ? file.operator.selector === undefined : sameNodes(file.operator.selector, selector))
    && isDeepStrictEqual(parseDocument(file.text).toJS(), parseDocument(items.join('\n')).toJS());
  return same ? text : undefined;
}

/**
 * The lines of `spec.selector` holding the selector of the key `selector` (its value as the manifest that defines the
 * rule has it, without the fields the API server drops: the same mappings, lists and scalars), as a block under the spec's indentation: every string quoted
 * (yamlQuote), a key plain only where no YAML reader takes it for anything but that string. Undefined for a key that
 * is not a selector's mapping.
 */
function selectorLines(selector: string): string[] | undefined {
  const written = selectorValue(selector);
  if (written === undefined) return undefined;
  // As the API server stores it: a field it drops is not copied (kubectl apply would refuse the new manifest).
  const { value } = storedSelector(written);
  const out: string[] = [];
  const isMapping = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);
  // `head`: what comes before the value on its line, `key:` or `-` (a list's item).
  const write = (v: unknown, indent: string, head: string): void => {
    if (Array.isArray(v) ? v.length === 0 : !isMapping(v) || Object.keys(v).length === 0) {
      out.push(`${indent}${head} ${Array.isArray(v) ? '[]' : isMapping(v) ? '{}' : typeof v === 'string' ? yamlQuote(v) : JSON.stringify(v)}`);
    } else if (head === '-' && isMapping(v)) {
      // A mapping in a list: its first key on the dash's line.
      const at = out.length;
      for (const [key, x] of Object.entries(v)) write(x, `${indent}  `, `${plainKey(key)}:`);
      out[at] = `${indent}- ${out[at].slice(indent.length + 2)}`;
    } else {
      out.push(`${indent}${head}`);
      if (Array.isArray(v)) for (const item of v) write(item, `${indent}  `, '-');
      else for (const [key, x] of Object.entries(v as object)) write(x, `${indent}  `, `${plainKey(key)}:`);
    }
  };
  write(value, '  ', 'selector:');
  return out;
}

/** A mapping key as written: plain where it is a label key or a field name that YAML 1.1 and 1.2 read as that
 *  string (not `yes`, `on`, `null`…, kubectl reads YAML 1.1), else quoted. */
function plainKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(key) && !/^(y|n|yes|no|true|false|on|off|null)$/i.test(key) ? key : yamlQuote(key);
}

/**
 * Where a second tuning Rulesfile `manifest` (its text, ending with a line break) goes in the manifest file `text` that
 * holds the namespace's falco-lens-tuning: right after the last of its tuning Rulesfiles (falco-lens-tuning and those
 * named falco-lens-tuning-*) of that namespace, as a document of its own, so that the tuning stays together and the
 * user's documents are left as they are, else at the end. One insertion: `offset` and `text`, with the `---` lines it
 * needs (before it; after it too where the next document starts without one, after a `...`) and `eol` line breaks.
 */
export function tuningDocumentInsertion(text: string, namespace: string, manifest: string, eol: string): { offset: number; text: string } {
  const atEnd = () => {
    const open = text !== '' && !/[\r\n]$/.test(text) ? eol : '';
    const marker = text.trim() === '' || /(^|\n)---[ \t]*\r?\n?$/.test(text) ? '' : `---${eol}`;
    return { offset: text.length, text: `${open}${marker}${manifest}` };
  };
  let docs;
  try { docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false }); } catch { return atEnd(); }
  if (!Array.isArray(docs)) return atEnd();
  const isTuning = (doc: (typeof docs)[number]): boolean => {
    const root = doc.contents;
    if (!isMap(root)) return false;
    const metadata = root.get('metadata', true);
    const name: unknown = isMap(metadata) ? metadata.get('name') : undefined;
    const ns: unknown = (isMap(metadata) ? metadata.get('namespace') : undefined) ?? '';
    const kind: unknown = root.get('kind');
    return kind === 'Rulesfile' && typeof name === 'string' && (name === OPERATOR_TUNING_RESOURCE || name.startsWith(`${OPERATOR_TUNING_RESOURCE}-`)) && ns === namespace;
  };
  let last = -1;
  docs.forEach((d, i) => { if (isTuning(d)) last = i; });
  if (last < 0) return atEnd();
  // The document tokens are the documents, in order; what follows the last tuning one is the next document (or its
  // directives), where the new one goes.
  const tokens = [...new Parser().parse(text)];
  let index = -1;
  let next: (typeof tokens)[number] | undefined;
  for (const t of tokens) {
    if (index === last && (t.type === 'document' || t.type === 'directive')) { next = t; break; }
    if (t.type === 'document') index++;
  }
  if (!next || (next.offset > 0 && text[next.offset - 1] !== '\n')) return atEnd();
  const marked = next.type === 'directive' || (next.type === 'document' && next.start.some((s) => s.type === 'doc-start'));
  return { offset: next.offset, text: `---${eol}${manifest}${marked ? '' : `---${eol}`}` };
}
