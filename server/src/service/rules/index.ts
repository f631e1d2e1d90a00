// Seed of the rules service: YAML syntax diagnostics only. The complete service replaces this file.
import { parseAllDocuments } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { DocumentFeatures, RuleSummary, RulesWorkspace } from '../features';
import type { ServiceHost } from '../host';
import { LineIndex } from '../text';

export type RulesService = DocumentFeatures & RulesWorkspace;

export function createRulesService(_host: ServiceHost): RulesService {
  const diagnosticsOf = (text: string): Diagnostic[] => {
    const lines = new LineIndex(text);
    const out: Diagnostic[] = [];
    for (const doc of parseAllDocuments(text)) {
      for (const e of doc.errors) {
        out.push({ range: lines.range(e.pos[0], e.pos[1]), severity: DiagnosticSeverity.Error, code: 'yaml-syntax', source: 'falco', message: e.message.split('\n')[0] });
      }
    }
    return out;
  };
  return {
    diagnostics: (doc: TextDocument) => diagnosticsOf(doc.getText()),
    findRule: (_name: string): RuleSummary | undefined => undefined,
    allRules: () => [],
    validateText: (_uri: string, text: string) => diagnosticsOf(text),
  };
}
