// Commands of the extension. Each is thin: it asks the server or shows what the server produced.
import * as vscode from 'vscode';
import type { FalcoLanguageClient } from './languageClient';
import { COPY_TO_CLIPBOARD_COMMAND, REPORT_REQUEST, SHOW_MARKDOWN_COMMAND, type ReportParams, type ReportResult } from '../../server/src/protocol';

export function registerCommands(context: vscode.ExtensionContext, client: FalcoLanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('falcoLens.restartServer', async () => {
      await client.restart();
      void vscode.window.setStatusBarMessage('Falco Lens: language server restarted', 3000);
    }),
    vscode.commands.registerCommand('falcoLens.showOutput', () => client.output.show(true)),
    vscode.commands.registerCommand(SHOW_MARKDOWN_COMMAND, (markdown: unknown, title?: unknown) => showMarkdown(String(markdown ?? ''), typeof title === 'string' ? title : 'Falco Lens')),
    vscode.commands.registerCommand(COPY_TO_CLIPBOARD_COMMAND, async (text: unknown, what?: unknown) => {
      await vscode.env.clipboard.writeText(String(text ?? ''));
      void vscode.window.setStatusBarMessage(`Falco Lens: ${typeof what === 'string' ? what : 'text'} copied`, 3000);
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
        void vscode.window.showInformationMessage('Open a Falco alert log to generate an incident report.');
        return;
      }
      const result = await lc.sendRequest<ReportResult>(REPORT_REQUEST, params);
      await showMarkdown(result.markdown, 'Falco incident report');
    }),
  );
}

/** Opens Markdown as an untitled document beside the editor, with its preview. Nothing is trusted or executed. */
async function showMarkdown(markdown: string, _title: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => undefined);
}
