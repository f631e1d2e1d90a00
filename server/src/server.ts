// The LSP adapter: creates the connection, keeps the open documents, and forwards each request to the language
// service of the document's language. No Falco logic lives here.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, CodeActionKind, ResponseError, ErrorCodes,
  type Connection, type InitializeParams, type InitializeResult, type ServerCapabilities, type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { URI_TO_PATH, pathToUri } from './service/uri';
import { FalcoLanguageService } from './service/languageService';
import { normalizeSettings, DEFAULT_SETTINGS, type FalcoLensSettings, type ServiceHost } from './service/host';
import { LANGUAGE_RULES, RequestRefused, type DocumentFeatures } from './service/features';
import { REPORT_REQUEST, type ReportParams, type ReportResult } from './protocol';
import { registerExplorerHandlers } from './handlers/explorer';
import * as fs from 'node:fs';

const connection: Connection = createConnection(ProposedFeatures.all);
// stdout is the protocol under --stdio: route stray console output to the client's log instead.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = console.log;
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
process.on('uncaughtException', (e) => connection.console.error(`Unexpected error (the server keeps running): ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection (the server keeps running): ${(e as Error)?.stack ?? e}`));

// The content changes of the latest update of each document, handed to the services so that a one-line edit of a
// 45 MB log is applied as a one-line change rather than found by comparing texts.
const lastChanges = new Map<string, { version: number; changes: TextDocumentContentChangeEvent[] }>();
const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update(document, changes, version) {
    lastChanges.set(document.uri, { version, changes });
    return TextDocument.update(document, changes, version);
  },
});
let settings: FalcoLensSettings = DEFAULT_SETTINGS;
let folders: string[] = [];
let canPullConfiguration = false;

const host: ServiceHost = {
  // Regular files only: opening a FIFO blocks the server forever and /dev/zero never ends (a cloned workspace may
  // hold a link named like a rules file to either).
  readFile(path) { try { return fs.statSync(path).isFile() ? fs.readFileSync(path, 'utf8') : undefined; } catch { return undefined; } },
  readDirectory(path) { try { return fs.readdirSync(path); } catch { return undefined; } },
  isDirectory(path) { try { return fs.statSync(path).isDirectory(); } catch { return false; } },
  workspaceFolders: () => folders,
  settings: () => settings,
  log: (message) => connection.console.log(message),
};
const service = new FalcoLanguageService(host);

function featuresOf(uri: string): { doc: TextDocument; features: DocumentFeatures } | undefined {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const features = service.forLanguage(doc.languageId);
  return features ? { doc, features } : undefined;
}

/** Runs a handler, logging instead of failing the request when it throws. */
function guarded<T>(what: string, fallback: T, run: () => T): T {
  try { return run(); } catch (e) {
    connection.console.error(`${what} failed: ${(e as Error)?.stack ?? e}`);
    return fallback;
  }
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  folders = (params.workspaceFolders ?? []).map((f) => URI_TO_PATH(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) { const p = URI_TO_PATH(params.rootUri); if (p) folders = [p]; }
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  if (params.initializationOptions?.settings) settings = normalizeSettings(params.initializationOptions.settings);
  // The benchmark sets 0 to time the service's work without the editor-typing debounce.
  const delay = params.initializationOptions?.validationDelayMs;
  if (typeof delay === 'number' && delay >= 0 && delay <= 5000) validationDelayMs = delay;
  const services = [service.rules, service.alerts] as DocumentFeatures[];
  const any = (key: keyof DocumentFeatures) => services.some((s) => typeof s[key] === 'function');
  const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
  if (any('hover')) capabilities.hoverProvider = true;
  if (any('completion')) capabilities.completionProvider = { triggerCharacters: ['.', '%', '(', ' ', '['] };
  if (any('definition')) capabilities.definitionProvider = true;
  if (any('references')) capabilities.referencesProvider = true;
  if (any('rename')) capabilities.renameProvider = { prepareProvider: any('prepareRename') };
  if (any('documentSymbols')) capabilities.documentSymbolProvider = true;
  if (any('workspaceSymbols')) capabilities.workspaceSymbolProvider = true;
  if (any('codeActions')) capabilities.codeActionProvider = { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Source, CodeActionKind.Refactor] };
  if (any('foldingRanges')) capabilities.foldingRangeProvider = true;
  const legend = services.find((s) => s.semanticTokensLegend)?.semanticTokensLegend;
  if (any('semanticTokens') && legend) capabilities.semanticTokensProvider = { legend, full: true };
  capabilities.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
  return { capabilities, serverInfo: { name: 'falco-lens', version: '0.1.0' } };
});

connection.onInitialized(async () => {
  const before = JSON.stringify(settings);
  await refreshSettings();
  // Documents opened while the settings were on their way were checked against the defaults: check them again.
  if (JSON.stringify(settings) !== before) {
    service.rules.didChangeWatchedFiles?.([]);
    revalidateAll();
  }
  try {
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const current = await connection.workspace.getWorkspaceFolders();
      folders = (current ?? []).map((f) => URI_TO_PATH(f.uri)).filter((p): p is string => !!p);
      service.rules.didChangeWatchedFiles?.([]);
      revalidateAll();
    });
  } catch (e) {
    connection.console.log(`The client does not report workspace folder changes: ${e}`);
  }
});

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const [value] = await connection.workspace.getConfiguration([{ section: 'falcoLens' }]);
    settings = normalizeSettings(value);
  } catch (e) { connection.console.warn(`Could not read settings, using defaults: ${e}`); }
}

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await refreshSettings();
  else settings = normalizeSettings(change.settings?.falcoLens);
  service.rules.didChangeWatchedFiles?.([]);
  revalidateAll();
});

connection.onDidChangeWatchedFiles((params) => {
  guarded('file watch', undefined, () => service.rules.didChangeWatchedFiles?.(params.changes.map((c) => c.uri)));
  revalidateAll();
});

// Validation: debounced per document; a rules change re-validates every open document because other rules files and
// alert logs depend on it.
const VALIDATION_DELAY_MS = 150;
let validationDelayMs = VALIDATION_DELAY_MS;
/** Cancels the validation scheduled for a document. */
const pending = new Map<string, () => void>();

function scheduleValidation(uri: string, delay = validationDelayMs): void {
  pending.get(uri)?.();
  const run = () => { pending.delete(uri); validate(uri); };
  // setTimeout(0) waits at least 1 ms; an immediate validation (on open, or with no debounce) runs on the next turn.
  if (delay <= 0) { const handle = setImmediate(run); pending.set(uri, () => clearImmediate(handle)); }
  else { const handle = setTimeout(run, delay); pending.set(uri, () => clearTimeout(handle)); }
}

function validate(uri: string): void {
  const target = featuresOf(uri);
  if (!target) return;
  const diagnostics = guarded<Diagnostic[]>('validation', [], () => target.features.diagnostics(target.doc));
  void connection.sendDiagnostics({ uri, version: target.doc.version, diagnostics });
}

function revalidateAll(except?: string): void {
  for (const doc of documents.all()) if (doc.uri !== except) scheduleValidation(doc.uri, validationDelayMs * 2);
}

documents.onDidOpen((e) => {
  const features = service.forLanguage(e.document.languageId);
  guarded('open', undefined, () => features?.didOpenOrChange?.(e.document));
  scheduleValidation(e.document.uri, 0);
});
documents.onDidChangeContent((e) => {
  const features = service.forLanguage(e.document.languageId);
  const recorded = lastChanges.get(e.document.uri);
  lastChanges.delete(e.document.uri);
  const changes = recorded?.version === e.document.version ? recorded.changes : undefined;
  guarded('change', undefined, () => features?.didOpenOrChange?.(e.document, changes));
  scheduleValidation(e.document.uri);
  if (e.document.languageId === LANGUAGE_RULES) revalidateAll(e.document.uri);
});
documents.onDidClose((e) => {
  const features = service.forLanguage(e.document.languageId);
  guarded('close', undefined, () => features?.didClose?.(e.document.uri));
  pending.get(e.document.uri)?.();
  pending.delete(e.document.uri);
  lastChanges.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  if (e.document.languageId === LANGUAGE_RULES) revalidateAll();
});

connection.onHover((p) => guarded('hover', null, () => { const t = featuresOf(p.textDocument.uri); return t?.features.hover?.(t.doc, p.position) ?? null; }));
connection.onCompletion((p) => guarded('completion', null, () => { const t = featuresOf(p.textDocument.uri); return t?.features.completion?.(t.doc, p.position) ?? null; }));
connection.onDefinition((p) => guarded('definition', [], () => { const t = featuresOf(p.textDocument.uri); return t?.features.definition?.(t.doc, p.position) ?? []; }));
connection.onReferences((p) => guarded('references', [], () => { const t = featuresOf(p.textDocument.uri); return t?.features.references?.(t.doc, p.position, p.context.includeDeclaration) ?? []; }));
// A refused rename (invalid or colliding name, a file outside the workspace) reaches the user as an error message.
const refusedRename = (run: () => unknown) => {
  try { return run(); } catch (e) {
    if (e instanceof RequestRefused) return new ResponseError(ErrorCodes.InvalidRequest, e.message);
    throw e;
  }
};
connection.onPrepareRename((p) => guarded('prepareRename', null, () => refusedRename(() => { const t = featuresOf(p.textDocument.uri); return t?.features.prepareRename?.(t.doc, p.position) ?? null; }) as ReturnType<NonNullable<DocumentFeatures['prepareRename']>> | ResponseError<void>));
connection.onRenameRequest((p) => guarded('rename', null, () => refusedRename(() => { const t = featuresOf(p.textDocument.uri); return t?.features.rename?.(t.doc, p.position, p.newName) ?? null; }) as ReturnType<NonNullable<DocumentFeatures['rename']>> | ResponseError<void>));
connection.onDocumentSymbol((p) => guarded('documentSymbol', [], () => { const t = featuresOf(p.textDocument.uri); return t?.features.documentSymbols?.(t.doc) ?? []; }));
connection.onWorkspaceSymbol((p) => guarded('workspaceSymbol', [], () => service.rules.workspaceSymbols?.(p.query) ?? []));
connection.onCodeAction((p) => guarded('codeAction', [], () => { const t = featuresOf(p.textDocument.uri); return t?.features.codeActions?.(t.doc, p.range, p.context) ?? []; }));
connection.onFoldingRanges((p) => guarded('foldingRange', [], () => { const t = featuresOf(p.textDocument.uri); return t?.features.foldingRanges?.(t.doc) ?? []; }));
connection.languages.semanticTokens.on((p) => guarded('semanticTokens', { data: [] }, () => { const t = featuresOf(p.textDocument.uri); return t?.features.semanticTokens?.(t.doc) ?? { data: [] }; }));

connection.onRequest(REPORT_REQUEST, (p: ReportParams): ReportResult => guarded('report', { markdown: '' }, () => {
  const doc = documents.get(p.uri);
  const text = doc?.getText() ?? host.readFile(URI_TO_PATH(p.uri) ?? '') ?? '';
  const lines = p.startLine !== undefined ? { start: p.startLine, end: p.endLine ?? p.startLine } : undefined;
  return { markdown: service.alerts.report(text, p.uri, lines) };
}));

registerExplorerHandlers({ connection, documents, service, host, guarded, pathToUri });

documents.listen(connection);
connection.listen();
