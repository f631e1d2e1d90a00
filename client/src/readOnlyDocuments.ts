// Texts the extension shows without a file: reports and playbooks (Markdown), an alert's own text when its log cannot
// be opened in the editor (compressed, too large, gone). They are read-only documents of one scheme, kept in memory:
// an untitled document made with content is dirty from the start (VS Code's UntitledTextEditorModel), so each one
// asked to be saved when closed and stayed as a pinned tab instead of the preview.
import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'falco-lens';
const MAX_KEPT_DOCUMENTS = 20;

class ReadOnlyDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 1;

  /** A new document holding `text`, named after `title` (its extension says what it holds). */
  add(title: string, text: string, extension: string): vscode.Uri {
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'falco-lens';
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${slug}-${this.next++}.${extension}` });
    this.texts.set(uri.toString(), text);
    while (this.texts.size > MAX_KEPT_DOCUMENTS) this.texts.delete(this.texts.keys().next().value as string);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? `${vscode.l10n.t('This document is no longer available: ask for it again.')}\n`;
  }
}

/** The one provider of the scheme (registered by commands.ts). */
export const readOnlyDocuments = new ReadOnlyDocuments();

/** Opens a new read-only document holding `text` in `language`. */
export async function openReadOnly(title: string, text: string, extension: string, language: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(readOnlyDocuments.add(title, text, extension));
  return vscode.languages.setTextDocumentLanguage(doc, language);
}
