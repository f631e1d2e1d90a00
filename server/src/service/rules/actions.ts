// Quick fixes and source actions of rules files (filled in below).
import type { CodeAction, CodeActionContext, Range } from 'vscode-languageserver-types';
import type { ServiceHost } from '../host';
import type { LoadResult, LoadedFile } from './workspace';

export function codeActions(_file: LoadedFile, _load: LoadResult, _range: Range, _context: CodeActionContext, _host: ServiceHost): CodeAction[] {
  return [];
}
