// Types shared by the client and the server: custom requests and notifications. No VS Code or Node import here.

/** The server asks the client to show a Markdown document (an incident report, a playbook). */
export const SHOW_MARKDOWN_COMMAND = 'falcoLens.showMarkdown';
/** Command ids the server's code actions use; the client implements them. */
export const COPY_TO_CLIPBOARD_COMMAND = 'falcoLens.copyToClipboard';

/** Custom request: a Markdown incident report for the alerts of a document (all, or a line range). */
export const REPORT_REQUEST = 'falcoLens/report';
export interface ReportParams { uri: string; startLine?: number; endLine?: number }
export interface ReportResult { markdown: string }
