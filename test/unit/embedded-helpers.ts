// Shared by the embedded-YAML tests: a host document opened in the service, and positions and ranges in its text.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position } from 'vscode-languageserver-types';
import type { FalcoLanguageService } from '../../server/src/service/languageService';

/** Opens (or changes) a YAML host document in the embedded service. */
export function openHost(service: FalcoLanguageService, text: string, uri: string): TextDocument {
  const doc = TextDocument.create(uri, 'yaml', 1, text);
  service.embedded.didOpenOrChange?.(doc);
  return doc;
}

/** The host position of the n-th occurrence of `needle` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the text`);
  return TextDocument.create('file:///x', 'yaml', 1, text).positionAt(at + delta);
}

/** The text of the host range of a diagnostic (or any ranged thing). */
export function textAt(text: string, d: { range: { start: Position; end: Position } }): string {
  const doc = TextDocument.create('file:///x', 'yaml', 1, text);
  return text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
}

export function message(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/** A Falco Operator Config of namespace falco holding `body` as its spec.config (`extra`: more spec lines). */
export function operatorConfig(name: string, priority: number, body: string, extra = ''): string {
  return `apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Config\nmetadata:\n  name: ${name}\n  namespace: falco\nspec:\n  config:\n${body.replace(/^/gm, '    ')}\n  priority: ${priority}\n${extra}`;
}

/** A Falco Operator Rulesfile of namespace falco (none for `namespace` ''), `spec` its spec's lines below `spec:`. */
export function operatorRulesfile(name: string, spec: string, namespace = 'falco'): string {
  return `apiVersion: artifact.falcosecurity.dev/v1alpha1\nkind: Rulesfile\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n${spec.replace(/^(?=.)/gm, '  ')}`;
}
