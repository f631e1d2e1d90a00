// Custom requests of the Alert Explorer. Filled in by the explorer work; for now it registers nothing.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FalcoLanguageService } from '../service/languageService';
import type { ServiceHost } from '../service/host';

export interface ExplorerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: FalcoLanguageService;
  host: ServiceHost;
  guarded<T>(what: string, fallback: T, run: () => T): T;
  pathToUri(path: string): string;
}

export function registerExplorerHandlers(_context: ExplorerContext): void {}
