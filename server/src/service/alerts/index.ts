// Seed of the alerts service: JSON syntax diagnostics only. The complete service replaces this file.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { DocumentFeatures, RulesWorkspace } from '../features';
import type { ServiceHost } from '../host';
import { LineIndex } from '../text';

export interface AlertsService extends DocumentFeatures {
  /** A Markdown incident report for the alerts of a log (all of them, or those in the given lines). */
  report(text: string, uri: string, lines?: { start: number; end: number }): string;
}

export function createAlertsService(_host: ServiceHost, _rules: RulesWorkspace): AlertsService {
  return {
    diagnostics(doc: TextDocument): Diagnostic[] {
      const lines = new LineIndex(doc.getText());
      const out: Diagnostic[] = [];
      for (let i = 0; i < lines.lineCount; i++) {
        const line = lines.lineText(i);
        if (!line.trimStart().startsWith('{')) continue;
        try { JSON.parse(line); } catch (e) {
          out.push({ range: lines.range(lines.lineStarts[i], lines.lineEnd(i)), severity: DiagnosticSeverity.Error, code: 'json-syntax', source: 'falco', message: `Malformed JSON alert: ${(e as Error).message}` });
        }
      }
      return out;
    },
    report: () => '# Falco incident report\n',
  };
}
