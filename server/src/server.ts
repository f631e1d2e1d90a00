// The LSP adapter: creates the connection, keeps the open documents, and forwards each request to the language
// service of the document's language. No Falco logic lives here.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, CodeActionKind, ResponseError, ErrorCodes,
  type Connection, type InitializeParams, type InitializeResult, type ServerCapabilities, type Diagnostic, type WorkspaceEdit, type CodeAction,
  type CompletionItem, type CompletionList,
} from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { URI_TO_PATH, pathToUri } from './service/uri';
import { FalcoLanguageService } from './service/languageService';
import { normalizeSettings, DEFAULT_SETTINGS, type FalcoLensSettings, type ServiceHost } from './service/host';
import { LANGUAGE_ALERTS, LANGUAGE_CONFIG, LANGUAGE_RULES, LANGUAGE_YAML, RequestRefused, type DocumentFeatures } from './service/features';
import { BlockDocument } from './service/alerts';
import { APPLY_EDIT_COMMAND, REPORT_REQUEST, UNSAVED_ELSEWHERE_NOTIFICATION, type ApplyEditArguments, type ReportParams, type ReportResult, type UnsavedElsewhereParams } from './protocol';
import { registerExplorerHandlers } from './handlers/explorer';
import { usableStorageFolder } from './gzipFile';
import { resolveCompletionItem } from './service/completionDocs';
import { withoutByteOrderMark } from './service/text';
import { renameAnswer, versionedOthers, withoutDocumentChanges } from './service/edits';
import * as fs from 'node:fs';
import * as os from 'node:os';

/**
 * Messages received from the client (whole, under IPC or stdio) and handed to their handlers so far: the Explorer's
 * long requests let the event loop turn until the messages that came in while they worked are handled (Pacer).
 */
let messagesReceived = 0;
let messagesHandled = 0;
const connection: Connection = createConnection(ProposedFeatures.all, {
  messageStrategy: { handleMessage: (message, next) => { messagesHandled++; return next(message); } },
});
if (process.argv.includes('--node-ipc')) process.on('message', () => { messagesReceived++; });
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
// Alert logs keep their text in blocks (BlockDocument): an edit of a 45 MB log then builds a 64 K block, where
// TextDocument builds a new 45 MB string per version (a gigabyte of them awaited the next major GC while typing).
const documents = new TextDocuments<TextDocument>({
  create: (uri, languageId, version, content) => (languageId === LANGUAGE_ALERTS ? new BlockDocument(uri, languageId, version, content) : TextDocument.create(uri, languageId, version, content)),
  update(document, changes, version) {
    lastChanges.set(document.uri, { version, changes });
    if (document instanceof BlockDocument) { document.update(changes, version); return document; }
    return TextDocument.update(document, changes, version);
  },
});
let settings: FalcoLensSettings = DEFAULT_SETTINGS;
/** Files the editor holds with unsaved changes in a language the server is not sent (UNSAVED_ELSEWHERE_NOTIFICATION). */
let unsavedElsewhere = new Set<string>();
/** Files the editor holds in a language the server is not sent, saved or not (UNSAVED_ELSEWHERE_NOTIFICATION `open`). */
let openElsewhere: readonly string[] = [];
let folders: string[] = [];
/** The extension's storage folder the client gave (decompressed copies of gzip logs go there), when usable. */
let storageFolder: string | undefined;

let canPullConfiguration = false;
/** Whether the client applies `documentChanges` (versioned edits); without it, edits go back as `changes`. */
let canVersionEdits = false;
/** Whether the client applies edits the server sends (workspace/applyEdit). */
let canApplyEdits = false;
/** The client shows a code action's `disabled` reason (LSP 3.16); without it a greyed-out action, which has no edit,
 * would be listed as one that does nothing when chosen: such actions are left out. */
let canShowDisabledActions = false;
/** Whether the client takes a completion item's InsertReplaceEdit (an insert and a replace range); otherwise it gets the
 *  insert range as a plain edit (plainCompletionEdits). */
let canInsertReplace = false;
/** An edit as the client can apply it. */
const forClient = (edit: WorkspaceEdit): WorkspaceEdit => (canVersionEdits ? edit : withoutDocumentChanges(edit));
/**
 * A code action as the client can apply it. VS Code's LanguageClient drops the versions of a code action's edit (its
 * protocol converter keeps uri and edits only, vscode-languageclient 10.1.2 lib/common/protocolConverter.js
 * asWorkspaceEdit), so an edit of another open file taken after that file changed would land at old offsets. Such an
 * edit is applied by a command instead: the server sends it back through workspace/applyEdit, which the
 * LanguageClient refuses when a named version is not the editor's (client.js validateWorkspaceEdit). Edits of the
 * request's own document stay inline: the editor drops the code actions of a document that changed.
 */
const actionForClient = (action: CodeAction, requestUri: string): CodeAction => {
  if (!action.edit) return action;
  if (!canVersionEdits || !canApplyEdits || action.command || !versionedOthers(action.edit, requestUri)) return { ...action, edit: forClient(action.edit) };
  const { edit, ...rest } = action;
  const args: ApplyEditArguments = { label: action.title, edit };
  return { ...rest, command: { title: action.title, command: APPLY_EDIT_COMMAND, arguments: [args] } };
};

const host: ServiceHost = {
  // Regular files only: opening a FIFO blocks the server forever and /dev/zero never ends (a cloned workspace may
  // hold a link named like a rules file to either).
  readFile(path) { try { return fs.statSync(path).isFile() ? withoutByteOrderMark(fs.readFileSync(path, 'utf8')) : undefined; } catch { return undefined; } },
  readDirectory(path) { try { return fs.readdirSync(path); } catch { return undefined; } },
  isDirectory(path) { try { return fs.statSync(path).isDirectory(); } catch { return false; } },
  realPath(path) { try { return fs.realpathSync(path); } catch { return undefined; } },
  canRead(path) { try { if (!fs.statSync(path).isFile()) return false; fs.accessSync(path, fs.constants.R_OK); return true; } catch { return false; } },
  fileSize(path) { try { const stat = fs.statSync(path); return stat.isFile() ? stat.size : undefined; } catch { return undefined; } },
  // Edits of a file other than the request's name its open version (service/edits.ts).
  openDocument: (uri) => documents.get(uri),
  openUris: () => (openElsewhere.length === 0 ? documents.keys() : [...documents.keys(), ...openElsewhere.filter((uri) => !documents.get(uri))]),
  unsavedElsewhere: (uri) => unsavedElsewhere.has(uri) && !documents.get(uri),
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
  canVersionEdits = !!params.capabilities.workspace?.workspaceEdit?.documentChanges;
  canApplyEdits = !!params.capabilities.workspace?.applyEdit;
  canShowDisabledActions = !!params.capabilities.textDocument?.codeAction?.disabledSupport;
  canInsertReplace = !!params.capabilities.textDocument?.completion?.completionItem?.insertReplaceSupport;
  if (params.initializationOptions?.settings) settings = normalizeSettings(params.initializationOptions.settings);
  storageFolder = usableStorageFolder(params.initializationOptions?.storageFolder, folders);
  if (params.initializationOptions?.storageFolder !== undefined && storageFolder === undefined) {
    connection.console.warn(`The storage folder given (${JSON.stringify(params.initializationOptions.storageFolder)}) is not an absolute path out of the workspace folders: the Alert Explorer decompresses logs into ${os.tmpdir()}`);
  }
  // The benchmark sets 0 to time the service's work without the editor-typing debounce.
  const delay = params.initializationOptions?.validationDelayMs;
  if (typeof delay === 'number' && delay >= 0 && delay <= 5000) validationDelayMs = delay;
  const services = [service.rules, service.alerts, service.config, service.embedded] as DocumentFeatures[];
  const any = (key: keyof DocumentFeatures) => services.some((s) => typeof s[key] === 'function');
  const capabilities: ServerCapabilities = { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } } };
  if (any('hover')) capabilities.hoverProvider = true;
  // Field and operator items carry their documentation's reference only; the editor resolves the one it shows.
  if (any('completion')) capabilities.completionProvider = { triggerCharacters: ['.', '%', '(', ' ', '['], resolveProvider: true };
  if (any('definition')) capabilities.definitionProvider = true;
  if (any('references')) capabilities.referencesProvider = true;
  if (any('documentHighlights')) capabilities.documentHighlightProvider = true;
  if (any('rename')) capabilities.renameProvider = { prepareProvider: any('prepareRename') };
  if (any('documentSymbols')) capabilities.documentSymbolProvider = true;
  if (any('workspaceSymbols')) capabilities.workspaceSymbolProvider = true;
  if (any('codeActions')) capabilities.codeActionProvider = { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Source, CodeActionKind.Refactor] };
  if (any('foldingRanges')) capabilities.foldingRangeProvider = true;
  if (any('selectionRanges')) capabilities.selectionRangeProvider = true;
  const legend = services.find((s) => s.semanticTokensLegend)?.semanticTokensLegend;
  if (any('semanticTokens') && legend) capabilities.semanticTokensProvider = { legend, full: true };
  capabilities.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
  if (canVersionEdits && canApplyEdits) capabilities.executeCommandProvider = { commands: [APPLY_EDIT_COMMAND] };
  return { capabilities, serverInfo: { name: 'falco-lens', version: '0.1.0' } };
});

connection.onInitialized(async () => {
  explorer.initialized();
  const before = JSON.stringify(settings);
  await refreshSettings();
  // Documents opened while the settings were on their way were checked against the defaults: check them again.
  if (JSON.stringify(settings) !== before) {
    service.didChangeWatchedFiles([]);
    revalidateAll();
  }
  try {
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const current = await connection.workspace.getWorkspaceFolders();
      folders = (current ?? []).map((f) => URI_TO_PATH(f.uri)).filter((p): p is string => !!p);
      service.didChangeWatchedFiles([]);
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
  service.didChangeWatchedFiles([]);
  revalidateAll();
});

connection.onDidChangeWatchedFiles((params) => {
  guarded('file watch', undefined, () => service.didChangeWatchedFiles(params.changes.map((c) => c.uri)));
  revalidateAll();
});

// The whole set each time; a message of another format, or malformed, is ignored (the last set stays).
connection.onNotification(UNSAVED_ELSEWHERE_NOTIFICATION, (p: UnsavedElsewhereParams) => guarded('unsaved files', undefined, () => {
  if (p?.version !== 1 || !Array.isArray(p.uris)) return;
  unsavedElsewhere = new Set(p.uris.filter((u): u is string => typeof u === 'string'));
  openElsewhere = Array.isArray(p.open) ? p.open.filter((u): u is string => typeof u === 'string') : [...unsavedElsewhere];
}));

// Validation: debounced per document. A rules document is read by the other open documents (rules files that follow
// it in the load order, alert logs), so when it changes they are checked again — once its own diagnostics are out:
// vscode-jsonrpc writes a message on a later turn of the event loop (setImmediate), so a re-check scheduled at the
// same time would run before the edited document's diagnostics reach the editor.
const VALIDATION_DELAY_MS = 150;
let validationDelayMs = VALIDATION_DELAY_MS;
/** Cancels the validation scheduled for a document. */
const pending = new Map<string, () => void>();
/** Counts the changes of what validation reads (open documents, settings, files on disk)... */
let generation = 0;
/** ...and the count each document was last validated at: a document validated since the last change is current. */
const validatedAt = new Map<string, number>();
/** Documents opened whose first content event (TextDocuments fires one right after the open) is still to come. */
const opening = new Set<string>();

/** Schedules a document's validation; `afterwards` runs once its diagnostics are written (not when cancelled). */
function scheduleValidation(uri: string, delay: number, afterwards?: () => void): void {
  pending.get(uri)?.();
  let cancelled = false;
  const run = () => {
    pending.delete(uri);
    const sent = validate(uri);
    if (afterwards) void sent.then(() => { if (!cancelled) afterwards(); }, () => { if (!cancelled) afterwards(); });
  };
  // setTimeout(0) waits at least 1 ms; an immediate validation (on open, or with no debounce) runs once the messages
  // already received are handled (afterReceivedMessages): opening several files at once validates each file once.
  if (delay <= 0) { const cancel = afterReceivedMessages(run); pending.set(uri, () => { cancelled = true; cancel(); }); }
  else { const handle = setTimeout(run, delay); pending.set(uri, () => { cancelled = true; clearTimeout(handle); }); }
}

/**
 * Runs `run` after every message already received has been handled; returns a cancel function. vscode-jsonrpc hands
 * over one message per setImmediate turn and queues the turn of the next message after the handler returns, so an
 * immediate scheduled by a handler would run before the next message (an editor opening three files at once had
 * file 1 validated, then file 2 opened and both validated again: n(n+1)/2 validations). Two turns let the queued
 * message go first; its handler cancels or moves this validation. A single open is delayed by one empty turn only.
 */
function afterReceivedMessages(run: () => void): () => void {
  let cancelled = false;
  let handle: NodeJS.Immediate | undefined;
  const attempt = () => {
    handle = setImmediate(() => {
      handle = setImmediate(() => {
        handle = undefined;
        // A message still arriving (a large didOpen comes through the pipe in 64 KB pieces) is most likely the next
        // open of a batch: wait for it, then let it be handled first.
        if (stdinFraming?.midMessage()) stdinFraming.whenMessageEnds(() => { if (!cancelled) attempt(); });
        else run();
      });
    });
  };
  attempt();
  return () => { cancelled = true; if (handle) clearImmediate(handle); };
}

/**
 * Where the stdin byte stream is in its message framing (`Content-Length: n` headers, then n bytes), so that a
 * validation is not started between two pieces of one message. It reads nothing but the headers' lengths: the
 * messages themselves are read by vscode-jsonrpc. Under IPC (VS Code) messages arrive whole and this is not used.
 */
class InputFraming {
  /** Body bytes of the current message still to come; -1 between messages (reading headers). */
  private bodyLeft = -1;
  private header = '';
  private waiters: (() => void)[] = [];

  midMessage(): boolean { return this.bodyLeft > 0 || this.header.length > 0; }

  /** Calls `then` when the current message's last byte arrives, or after 50 ms (a stalled client delays nothing long). */
  whenMessageEnds(then: () => void): void {
    let done = false;
    const once = () => { if (!done) { done = true; clearTimeout(timer); then(); } };
    const timer = setTimeout(once, 50);
    this.waiters.push(once);
  }

  received(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const taken = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= taken;
        at += taken;
        if (this.bodyLeft === 0) { this.bodyLeft = -1; this.messageEnded(); }
        continue;
      }
      // Headers: a few ASCII lines (about 25 bytes) ending with an empty line, read byte by byte.
      this.header += String.fromCharCode(chunk[at++]);
      if (this.header.length > 4096) this.header = this.header.slice(-4);
      if (!this.header.endsWith('\r\n\r\n')) continue;
      const length = /content-length:\s*(\d+)/i.exec(this.header);
      this.header = '';
      if (length && Number(length[1]) > 0) this.bodyLeft = Number(length[1]);
      else this.messageEnded();
    }
  }

  private messageEnded(): void {
    messagesReceived++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
const stdinFraming = process.argv.includes('--stdio') ? new InputFraming() : undefined;

/** Validates a document and publishes its diagnostics; resolves when they are written. */
function validate(uri: string): Promise<void> {
  const target = featuresOf(uri);
  if (!target) return Promise.resolve();
  validatedAt.set(uri, generation);
  const diagnostics = guarded<Diagnostic[]>('validation', [], () => target.features.diagnostics(target.doc));
  return connection.sendDiagnostics({ uri, version: target.doc.version, diagnostics });
}

/**
 * Every open document (but `except`) is checked again, later than anything already scheduled: after a change of
 * settings or files on disk, and after an open or close (a batch of opens is then checked once, after the last:
 * immediate validations wait for the messages already received, see afterReceivedMessages).
 */
function revalidateAll(except?: string): void {
  generation++;
  // A document opened but not yet validated keeps its immediate first validation (files opened together all get
  // their first diagnostics at once, not the first ones after the debounce).
  for (const doc of documents.all()) if (doc.uri !== except) scheduleValidation(doc.uri, validatedAt.has(doc.uri) ? validationDelayMs * 2 : 0);
}

/**
 * After a rules document's diagnostics are out: the other documents not validated since the last change, and not
 * already waiting for a validation (it will read the current state when it runs; moving it later would only delay it).
 */
function revalidateDependents(except: string): void {
  for (const doc of documents.all()) {
    if (doc.uri === except || pending.has(doc.uri) || validatedAt.get(doc.uri) === generation) continue;
    scheduleValidation(doc.uri, validationDelayMs);
  }
}

// An open fires onDidOpen and then onDidChangeContent: the document is handled once, in the latter, and validated at
// once (no debounce: nobody is typing yet).
documents.onDidOpen((e) => { opening.add(e.document.uri); });
documents.onDidChangeContent((e) => {
  const uri = e.document.uri;
  const opened = opening.delete(uri);
  generation++;
  const features = service.forLanguage(e.document.languageId);
  const recorded = lastChanges.get(uri);
  lastChanges.delete(uri);
  const changes = !opened && recorded?.version === e.document.version ? recorded.changes : undefined;
  // A YAML document holding rules files (a Helm chart's customRules), before or after the change, is read by the alert
  // logs like a rules file.
  const yaml = e.document.languageId === LANGUAGE_YAML;
  const heldRules = yaml && service.embedded.holdsRules(uri);
  guarded(opened ? 'open' : 'change', undefined, () => features?.didOpenOrChange?.(e.document, changes));
  const rules = e.document.languageId === LANGUAGE_RULES || heldRules || (yaml && service.embedded.holdsRules(uri));
  if (opened) {
    scheduleValidation(uri, 0);
    if (rules) revalidateAll(uri);
    return;
  }
  // The dependents wait for the edited document's diagnostics, then the debounce once more (twice after the change).
  scheduleValidation(uri, validationDelayMs, rules ? () => revalidateDependents(uri) : undefined);
});
documents.onDidClose((e) => {
  const uri = e.document.uri;
  const features = service.forLanguage(e.document.languageId);
  const heldRules = e.document.languageId === LANGUAGE_YAML && service.embedded.holdsRules(uri);
  guarded('close', undefined, () => features?.didClose?.(uri));
  pending.get(uri)?.();
  pending.delete(uri);
  opening.delete(uri);
  validatedAt.delete(uri);
  lastChanges.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  if (e.document.languageId === LANGUAGE_RULES || heldRules) revalidateAll(uri);
});

// Saving Falco's configuration may change which rules files load (its rules_files): read the load order again.
documents.onDidSave((e) => {
  if (e.document.languageId !== LANGUAGE_CONFIG) return;
  guarded('save', undefined, () => service.didChangeWatchedFiles([e.document.uri]));
  revalidateAll();
});

connection.onHover((p) => guarded('hover', null, () => { const t = featuresOf(p.textDocument.uri); return t?.features.hover?.(t.doc, p.position) ?? null; }));
connection.onCompletion((p) => guarded('completion', null, () => {
  const t = featuresOf(p.textDocument.uri);
  const result = t?.features.completion?.(t.doc, p.position) ?? null;
  return canInsertReplace ? result : plainCompletionEdits(result);
}));

/** A completion answer for a client without insertReplaceSupport: each InsertReplaceEdit becomes an edit of its insert
 *  range, which eats nothing after the cursor. The same answer when there is none. */
function plainCompletionEdits(result: CompletionList | CompletionItem[] | null): CompletionList | CompletionItem[] | null {
  const items = Array.isArray(result) ? result : result?.items;
  if (!items?.some((i) => i.textEdit && 'insert' in i.textEdit)) return result;
  const plain = items.map((i) => (i.textEdit && 'insert' in i.textEdit ? { ...i, textEdit: { range: i.textEdit.insert, newText: i.textEdit.newText } } : i));
  return Array.isArray(result) ? plain : { ...result!, items: plain };
}
connection.onCompletionResolve((item) => guarded('completion resolve', item, () => resolveCompletionItem(item)));
connection.onDefinition((p) => guarded('definition', [], () => { const t = featuresOf(p.textDocument.uri); return t?.features.definition?.(t.doc, p.position) ?? []; }));
connection.onReferences((p) => guarded('references', [], () => { const t = featuresOf(p.textDocument.uri); return t?.features.references?.(t.doc, p.position, p.context.includeDeclaration) ?? []; }));
connection.onDocumentHighlight((p) => guarded('documentHighlight', null, () => { const t = featuresOf(p.textDocument.uri); return t?.features.documentHighlights?.(t.doc, p.position) ?? null; }));
// A refused rename (invalid or colliding name, a file outside the workspace) reaches the user as an error message.
const refusedRename = (run: () => unknown) => {
  try { return run(); } catch (e) {
    if (e instanceof RequestRefused) return new ResponseError(ErrorCodes.InvalidRequest, e.message);
    throw e;
  }
};
connection.onPrepareRename((p) => guarded('prepareRename', null, () => refusedRename(() => { const t = featuresOf(p.textDocument.uri); return t?.features.prepareRename?.(t.doc, p.position) ?? null; }) as ReturnType<NonNullable<DocumentFeatures['prepareRename']>> | ResponseError<void>));
connection.onRenameRequest((p) => guarded('rename', null, () => refusedRename(() => {
  const t = featuresOf(p.textDocument.uri);
  const edit = t?.features.rename?.(t.doc, p.position, p.newName);
  // A file closed when the rename was computed names the disk's text (edits.ts DISK_TEXT_VERSION): opened and changed
  // before the answer arrives, the client refuses the rename rather than apply it at the disk text's positions.
  return edit ? (canVersionEdits ? renameAnswer(edit, openElsewhere) : withoutDocumentChanges(edit)) : null;
}) as ReturnType<NonNullable<DocumentFeatures['rename']>> | ResponseError<void>));
// A service without a feature answers null, not an empty list: the editor then asks the document's other providers
// (a plain YAML document's symbols and folding are the YAML tooling's, or VS Code's indentation folding).
// A YAML document holding no rules has no outline of ours: null, so that the editor shows the YAML tooling's alone.
connection.onDocumentSymbol((p) => guarded('documentSymbol', null, () => {
  const t = featuresOf(p.textDocument.uri);
  const symbols = t?.features.documentSymbols?.(t.doc);
  return symbols && (symbols.length > 0 || t?.doc.languageId !== LANGUAGE_YAML) ? symbols : null;
}));
connection.onWorkspaceSymbol((p) => guarded('workspaceSymbol', [], () => service.workspaceSymbols(p.query)));
connection.onCodeAction((p) => guarded('codeAction', [], () => {
  const t = featuresOf(p.textDocument.uri);
  const actions = t?.features.codeActions?.(t.doc, p.range, p.context) ?? [];
  return (canShowDisabledActions ? actions : actions.filter((a) => !a.disabled)).map((a) => actionForClient(a, p.textDocument.uri));
}));
// A quick fix's edit of another open file (actionForClient), sent back to be applied: refused by the client when the
// file changed since, which the user is told.
connection.onExecuteCommand(async (p) => {
  const args = p.command === APPLY_EDIT_COMMAND ? p.arguments?.[0] as ApplyEditArguments | undefined : undefined;
  if (!args || typeof args.edit !== 'object' || args.edit === null) return null;
  const label = typeof args.label === 'string' ? args.label : 'the quick fix';
  try {
    const result = await connection.workspace.applyEdit({ label, edit: args.edit as WorkspaceEdit });
    if (!result.applied) {
      void connection.window.showWarningMessage(`Falco Lens did not apply "${label}": a file it writes into changed after the quick fix was offered${result.failureReason ? ` (${result.failureReason})` : ''}. Nothing was written; ask for the quick fix again.`);
    }
  } catch (e) {
    connection.console.error(`Applying "${label}" failed: ${(e as Error)?.stack ?? e}`);
  }
  return null;
});
connection.onFoldingRanges((p) => guarded('foldingRange', null, () => { const t = featuresOf(p.textDocument.uri); return t?.features.foldingRanges?.(t.doc) ?? null; }));
connection.onSelectionRanges((p) => guarded('selectionRange', null, () => { const t = featuresOf(p.textDocument.uri); return t?.features.selectionRanges?.(t.doc, p.positions) ?? null; }));
connection.languages.semanticTokens.on((p) => guarded('semanticTokens', { data: [] }, () => { const t = featuresOf(p.textDocument.uri); return t?.features.semanticTokens?.(t.doc) ?? { data: [] }; }));

connection.onRequest(REPORT_REQUEST, (p: ReportParams): ReportResult => guarded('report', { markdown: '' }, () => {
  const doc = documents.get(p.uri);
  const source = doc ?? host.readFile(URI_TO_PATH(p.uri) ?? '') ?? '';
  const lines = p.startLine !== undefined ? { start: p.startLine, end: p.endLine ?? p.startLine } : undefined;
  return { markdown: service.alerts.report(source, p.uri, lines) };
}));

const explorer = registerExplorerHandlers({
  connection, documents, service, host, guarded, pathToUri, messagesReceived: () => messagesReceived, messagesHandled: () => messagesHandled,
  storageFolder: () => storageFolder,
});

documents.listen(connection);
connection.listen();
if (stdinFraming) process.stdin.on('data', (chunk: Buffer) => stdinFraming.received(chunk));
