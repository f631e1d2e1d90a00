// Field, operator and configuration-key completion items carry a reference to their documentation; completionItem/resolve writes it. The
// list stays small (a field list is some 300 items) and the resolved text is the hover's, for the item's own source and
// target release; data the client sends back that is not ours, or is malformed, leaves the item as it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-types';
import { openAt, workspace } from './rules-nav-helpers';
import { resolveCompletionItem } from '../../server/src/service/completionDocs';
import { fieldMarkdown, operatorMarkdown } from '../../server/src/service/rules/hover';
import { fieldsForSource, lookupField } from '../../server/src/knowledge';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { LANGUAGE_CONFIG } from '../../server/src/service/features';
import { MemoryHost } from './rules-host';

function complete(marked: string) {
  const { service } = workspace({});
  const { doc, position } = openAt(service, '/ws/falco_rules.local.yaml', marked);
  return service.completion!(doc, position)?.items ?? [];
}

const docOf = (item: CompletionItem) => (item.documentation as MarkupContent | undefined)?.value;

test('field items carry no documentation but a reference; resolving gives the hover text of that field', () => {
  const items = complete('- rule: R\n  desc: d\n  condition: proc.<|>\n  output: o\n  priority: INFO\n');
  const fields = items.filter((i) => i.label.startsWith('proc.'));
  assert.ok(fields.length > 20);
  assert.ok(fields.every((i) => i.documentation === undefined), 'no documentation in the list');
  const name = fields.find((i) => i.label === 'proc.name')!;
  const resolved = resolveCompletionItem(JSON.parse(JSON.stringify(name)));
  assert.equal(docOf(resolved), fieldMarkdown('proc.name', lookupField('proc.name')!.field, undefined));
  assert.equal(resolved.label, 'proc.name');
  assert.deepEqual(resolved.textEdit, name.textEdit, 'the rest of the item is unchanged');
  // The list is about half of what it was with every field's Markdown in it.
  const inline = fields.map((i) => ({ ...i, documentation: resolveCompletionItem(i).documentation }));
  assert.ok(JSON.stringify(fields).length * 1.8 < JSON.stringify(inline).length, `${JSON.stringify(fields).length} vs ${JSON.stringify(inline).length}`);
});

test('a plugin source\'s field resolves against that source, and the target release is kept', () => {
  const items = complete('- rule: A\n  desc: d\n  condition: ka.<|>\n  output: o\n  priority: INFO\n  source: k8s_audit\n');
  const verb = items.find((i) => i.label === 'ka.verb')!;
  const info = fieldsForSource('k8s_audit').find((f) => f.name === 'ka.verb')!;
  assert.equal(docOf(resolveCompletionItem(verb)), fieldMarkdown('ka.verb', info, undefined));
  const older = resolveCompletionItem({ ...verb, data: { ...(verb.data as object), target: '0.37' } });
  assert.equal(docOf(older), fieldMarkdown('ka.verb', info, undefined, '0.37'));
});

test('operator items resolve to the operator\'s hover text', () => {
  const items = complete('- rule: R\n  desc: d\n  condition: proc.name <|>\n  output: o\n  priority: INFO\n');
  const startswith = items.find((i) => i.label === 'startswith')!;
  assert.equal(startswith.documentation, undefined);
  assert.equal(docOf(resolveCompletionItem(startswith)), operatorMarkdown('startswith'));
});

test('items that are not ours, or malformed data, come back unchanged', () => {
  const foreign: CompletionItem = { label: 'x', data: { something: 'else' } };
  assert.deepEqual(resolveCompletionItem(foreign), foreign);
  for (const data of [null, 7, 'field', { falcoLens: 'field' }, { falcoLens: 'fields', source: 'syscall' }]) {
    const item: CompletionItem = { label: 'proc.name', data };
    assert.deepEqual(resolveCompletionItem(item), item, JSON.stringify(data));
  }
  const unknown: CompletionItem = { label: 'no.such.field', data: { falcoLens: 'field', source: 'syscall' } };
  assert.deepEqual(resolveCompletionItem(unknown), unknown);
  const notAnOperator: CompletionItem = { label: 'nope', data: { falcoLens: 'operator' } };
  assert.deepEqual(resolveCompletionItem(notAnOperator), notAnOperator);
  // A target that is no release is read as the latest, not passed on.
  const odd = resolveCompletionItem({ label: 'proc.name', data: { falcoLens: 'field', source: 'syscall', target: '](javascript:x)' } });
  assert.equal(docOf(odd), fieldMarkdown('proc.name', lookupField('proc.name')!.field, undefined));
  const documented: CompletionItem = { label: 'in', documentation: 'kept', data: { falcoLens: 'operator', target: '0.44' } };
  assert.equal(resolveCompletionItem(documented).documentation, 'kept');
});

test('configuration keys resolve to the key\'s hover, nested keys with their parents', () => {
  const host = new MemoryHost({}, { folders: ['/work'] });
  const service = new FalcoLanguageService(host);
  const completeConfig = (text: string, line: number, character: number) =>
    service.config.completion!(TextDocument.create('file:///work/falco.yaml', LANGUAGE_CONFIG, 1, text), { line, character })?.items ?? [];
  const hoverAt = (text: string, line: number, character: number) =>
    ((service.config.hover!(TextDocument.create('file:///work/falco.yaml', LANGUAGE_CONFIG, 1, text), { line, character })?.contents) as MarkupContent).value;
  const top = completeConfig('json_output: true\njs', 1, 2);
  const jsonFields = top.find((i) => i.label === 'json_include_output_property')!;
  assert.equal(jsonFields.documentation, undefined);
  assert.equal(docOf(resolveCompletionItem(jsonFields)), hoverAt('json_include_output_property: true\n', 0, 3));
  const nested = completeConfig('engine:\n  kind: kmod\n  \n', 2, 2).find((i) => i.label === 'modern_ebpf')!;
  assert.equal(docOf(resolveCompletionItem(nested)), hoverAt('engine:\n  modern_ebpf:\n    cpus_for_each_buffer: 2\n', 1, 4));
  const text = docOf(resolveCompletionItem(nested))!;
  assert.ok(text.startsWith('**engine\\.modern\\_ebpf** (Falco configuration)'), text);
  // The knowledge base's code spans are Markdown (they were escaped into literal backticks before).
  assert.ok(text.includes('`engine.kind`') && !text.includes('\\`'), text);
  const tooDeep: CompletionItem = { label: 'kind', data: { falcoLens: 'config-key', parents: Array(40).fill('engine') } };
  assert.deepEqual(resolveCompletionItem(tooDeep), tooDeep);
  const notStrings: CompletionItem = { label: 'kind', data: { falcoLens: 'config-key', parents: [{}] } };
  assert.deepEqual(resolveCompletionItem(notStrings), notStrings);
});
