// Commands of the extension. Each is thin: it asks the server or shows what the server produced.
import * as vscode from 'vscode';
import type { FalcoLanguageClient } from './languageClient';
import { COPY_TO_CLIPBOARD_COMMAND, REPORT_REQUEST, SHOW_MARKDOWN_COMMAND, type ReportParams, type ReportResult } from '../../server/src/protocol';
import { READ_ONLY_SCHEME, openReadOnly, readOnlyDocuments } from './readOnlyDocuments';

export function registerCommands(context: vscode.ExtensionContext, client: FalcoLanguageClient): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, readOnlyDocuments),
    vscode.commands.registerCommand('falcoLens.restartServer', async () => {
      try {
        await client.restart();
      } catch {
        // vscode-languageclient has said so ("couldn't create connection to server", with Go to Output) and the output
        // channel has the reason: a rejection would only add VS Code's "Running the contributed command failed".
        return;
      }
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Falco Lens: language server restarted'), 3000);
    }),
    vscode.commands.registerCommand('falcoLens.showOutput', () => client.output.show(true)),
    vscode.commands.registerCommand(SHOW_MARKDOWN_COMMAND, (markdown: unknown, title?: unknown) => showMarkdown(String(markdown ?? ''), typeof title === 'string' ? title : 'Falco Lens')),
    vscode.commands.registerCommand(COPY_TO_CLIPBOARD_COMMAND, async (text: unknown, what?: unknown) => {
      await vscode.env.clipboard.writeText(String(text ?? ''));
      void vscode.window.setStatusBarMessage(typeof what === 'string' ? vscode.l10n.t('Falco Lens: {0} copied', what) : vscode.l10n.t('Falco Lens: text copied'), 3000);
    }),
    // From the palette or the context menu: the active editor's selection. From the server's code action:
    // arguments [uri, startLine, endLine] (the report is built only now, not each time the actions are listed).
    vscode.commands.registerCommand('falcoLens.generateReport', async (uri?: unknown, startLine?: unknown, endLine?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const lc = client.languageClient;
      const line = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
      let params: ReportParams;
      if (typeof uri === 'string' && lc) {
        params = { uri, startLine: line(startLine), endLine: line(endLine) };
      } else if (editor && editor.document.languageId === 'falco-alerts' && lc) {
        const selection = editor.selection;
        params = { uri: editor.document.uri.toString() };
        if (!selection.isEmpty) { params.startLine = selection.start.line; params.endLine = selection.end.line; }
      } else {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a Falco alert log to generate an incident report.'));
        return;
      }
      // From a code action nothing else would tell the user that the report failed: VS Code only logs the rejection.
      let result: ReportResult;
      try {
        result = await lc.sendRequest<ReportResult>(REPORT_REQUEST, params);
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Falco Lens: the incident report could not be made ({0}).', messageOf(e)));
        return undefined;
      }
      return showMarkdown(result.markdown, vscode.l10n.t('Falco incident report'));
    }),
  );
}

/** An error's message, for a pop-up that says what failed. */
function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Shows generated Markdown (a report, a playbook) as a read-only document beside the editor, in the Markdown
 *  preview when it is available. Nothing is trusted or executed. Returns the document's URI. */
async function showMarkdown(markdown: string, title: string): Promise<vscode.Uri> {
  const doc = await openReadOnly(title, markdown, 'md', 'markdown');
  const uri = doc.uri;
  const previewed = await vscode.commands.executeCommand('markdown.showPreviewToSide', uri).then(() => true, () => false);
  if (!previewed) await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return uri;
}
