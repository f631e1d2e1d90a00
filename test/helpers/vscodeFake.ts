// A stand-in for the `vscode` module, so that client code (client/src) runs in the unit and protocol tiers:
// scripts/run-tests.mjs bundles every test with `vscode` resolved to this file. It holds only what the client uses, each
// piece doing what VS Code's does as far as the client can tell (events fire, disposables dispose, context keys and
// messages are recorded in `fake`); what VS Code draws is not imitated. The editor tier (e2e/suite) runs the same code
// in VS Code itself.

type Listener<T> = (value: T) => unknown;

export class Disposable {
  private done = false;
  constructor(private readonly onDispose: () => void) {}
  static from(...disposables: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => { for (const d of disposables) d.dispose(); });
  }
  dispose(): void {
    if (this.done) return;
    this.done = true;
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound: Listener<T> = (value) => listener.call(thisArg, value);
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(value: T): void { for (const l of [...this.listeners]) l(value); }
  /** How many listeners are subscribed (tests: a disposed subscription is gone). */
  get listenerCount(): number { return this.listeners.size; }
  dispose(): void { this.listeners.clear(); }
}

/** An event nothing fires: the document events of a workspace a test does not edit. */
function quietEvent(): (listener: Listener<unknown>) => Disposable {
  return () => new Disposable(() => undefined);
}

export class CancellationTokenSource {
  private readonly cancelled = new EventEmitter<void>();
  private requested = false;
  readonly token: { readonly isCancellationRequested: boolean; onCancellationRequested: EventEmitter<void>['event'] };
  constructor() {
    const isRequested = () => this.requested;
    this.token = { get isCancellationRequested() { return isRequested(); }, onCancellationRequested: this.cancelled.event };
  }
  cancel(): void {
    if (this.requested) return;
    this.requested = true;
    this.cancelled.fire();
  }
  dispose(): void { this.cancelled.dispose(); }
}

export class ThemeColor { constructor(readonly id: string) {} }
export class ThemeIcon { constructor(readonly id: string, readonly color?: ThemeColor) {} }

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(readonly label: string, readonly collapsibleState?: TreeItemCollapsibleState) {}
}

/** VS Code's MarkdownString as far as the client uses it: text appended escaped, code in a fence longer than its own. */
export class MarkdownString {
  isTrusted?: boolean;
  supportHtml?: boolean;
  constructor(public value = '', readonly supportThemeIcons = false) {}
  appendText(text: string): this { this.value += text.replace(/[\\`*_{}[\]()#+\-!~<>]/g, '\\$&'); return this; }
  appendMarkdown(markdown: string): this { this.value += markdown; return this; }
  appendCodeblock(code: string, language = ''): this {
    const longest = Math.max(0, ...(code.match(/^`+/gm) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest >= 3 ? longest + 1 : 3);
    this.value += `\n${fence}${language}\n${code}\n${fence}\n`;
    return this;
  }
}

export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1 }

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static file(path: string): Uri { return new Uri('file', path); }
  static from(parts: { scheme: string; path: string }): Uri { return new Uri(parts.scheme, parts.path); }
  with(change: { scheme?: string; path?: string }): Uri { return new Uri(change.scheme ?? this.scheme, change.path ?? this.path); }
  get fsPath(): string { return this.path; }
  toString(): string { return `${this.scheme}://${this.path}`; }
}

/** A text document as VS Code makes one: an untitled document made with content is dirty from the start. */
export interface FakeTextDocument { uri: Uri; languageId: string; isUntitled: boolean; isDirty: boolean; getText(): string }

export interface FakeTreeView { id: string; message?: string; description?: string; disposed: boolean; dispose(): void }
export interface FakeOutputChannel { name: string; lines: string[]; disposed: boolean; linesAfterDispose: string[] }

/** What the client did through the stand-in, for the tests to read; `reset` before each test. */
export const fake = {
  views: [] as FakeTreeView[],
  outputs: [] as FakeOutputChannel[],
  watchers: { created: 0, disposed: 0 },
  contextKeys: new Map<string, unknown>(),
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  /** Messages shown to the user, as `kind: text`. */
  messages: [] as string[],
  /** The content providers registered, by scheme. */
  providers: new Map<string, { provideTextDocumentContent(uri: Uri): string }>(),
  /** The workspace's files that workspace.findFiles finds (tests set them; the glob is recorded, not matched). */
  workspaceFiles: [] as string[],
  findFilesGlobs: [] as string[],
  /** Fire to tell the client that the editor opened, changed or closed a document. */
  openedDocument: new EventEmitter<unknown>(),
  changedDocument: new EventEmitter<{ document: unknown }>(),
  closedDocument: new EventEmitter<unknown>(),
  /** The files workspace.fs reads, by path (file URIs only). */
  files: new Map<string, string>(),
  /** Fire to tell the client's file watchers that a file was created or changed on disk. */
  createdFile: new EventEmitter<Uri>(),
  changedFile: new EventEmitter<Uri>(),
  /** Every document opened, and the documents shown in an editor, in order. */
  documents: [] as FakeTextDocument[],
  shownDocuments: [] as FakeTextDocument[],
  reset(): void {
    this.workspaceFiles = [];
    this.findFilesGlobs = [];
    this.openedDocument = new EventEmitter<unknown>();
    this.changedDocument = new EventEmitter<{ document: unknown }>();
    this.closedDocument = new EventEmitter<unknown>();
    this.files = new Map();
    this.createdFile = new EventEmitter<Uri>();
    this.changedFile = new EventEmitter<Uri>();
    languages.refuseLanguageChange = false;
    workspace.textDocuments = [];
    this.providers.clear();
    this.documents = [];
    this.shownDocuments = [];
    this.views = [];
    this.outputs = [];
    this.watchers = { created: 0, disposed: 0 };
    this.contextKeys.clear();
    this.commands.clear();
    this.messages = [];
  },
};

function outputChannel(name: string) {
  const channel: FakeOutputChannel = { name, lines: [], disposed: false, linesAfterDispose: [] };
  fake.outputs.push(channel);
  // VS Code drops what is written to a disposed channel: kept apart here, for the tests to see.
  const write = (text: string) => { (channel.disposed ? channel.linesAfterDispose : channel.lines).push(text); };
  const log = (level: string) => (message: string) => { write(`${level} ${message}`); };
  return {
    name, info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'), trace: log('trace'),
    append: write, appendLine: write,
    show: () => undefined, hide: () => undefined, clear: () => { channel.lines = []; },
    dispose: () => { channel.disposed = true; },
  };
}

const shown = (kind: string) => (message: string) => { fake.messages.push(`${kind}: ${message}`); return Promise.resolve(undefined); };

export const window = {
  activeTextEditor: undefined,
  createTreeView(id: string): FakeTreeView {
    const view: FakeTreeView = { id, disposed: false, dispose() { view.disposed = true; } };
    fake.views.push(view);
    return view;
  },
  createOutputChannel: outputChannel,
  showErrorMessage: shown('error'),
  showWarningMessage: shown('warning'),
  showInformationMessage: shown('information'),
  setStatusBarMessage: (text: string) => { fake.messages.push(`status: ${text}`); return new Disposable(() => undefined); },
  showTextDocument(document: FakeTextDocument): Promise<unknown> { fake.shownDocuments.push(document); return Promise.resolve({ document }); },
  withProgress<R>(_options: unknown, task: (progress: { report(): void }, token: CancellationTokenSource['token']) => Thenable<R>): Thenable<R> {
    return task({ report: () => undefined }, new CancellationTokenSource().token);
  },
};

export const commands = {
  registerCommand(id: string, run: (...args: unknown[]) => unknown): Disposable {
    fake.commands.set(id, run);
    return new Disposable(() => fake.commands.delete(id));
  },
  executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    if (id === 'setContext') { fake.contextKeys.set(String(args[0]), args[1]); return Promise.resolve(undefined); }
    const run = fake.commands.get(id);
    if (!run) return Promise.reject(new Error(`command '${id}' not found`));
    try { return Promise.resolve(run(...args)); } catch (e) { return Promise.reject(e); }
  },
};

export const workspace = {
  textDocuments: [] as unknown[],
  workspaceFolders: undefined as unknown,
  createFileSystemWatcher() {
    fake.watchers.created++;
    let disposed = false;
    return {
      onDidCreate: (listener: Listener<Uri>) => fake.createdFile.event(listener),
      onDidChange: (listener: Listener<Uri>) => fake.changedFile.event(listener),
      onDidDelete: quietEvent(),
      dispose: () => { if (!disposed) { disposed = true; fake.watchers.disposed++; } },
    };
  },
  getConfiguration: () => ({}),
  asRelativePath: (path: unknown) => String(path),
  onDidOpenTextDocument: (listener: Listener<unknown>) => fake.openedDocument.event(listener),
  onDidCloseTextDocument: (listener: Listener<unknown>) => fake.closedDocument.event(listener),
  onDidChangeTextDocument: (listener: Listener<{ document: unknown }>) => fake.changedDocument.event(listener),
  findFiles(glob: string, _exclude?: unknown, maxResults?: number): Promise<Uri[]> {
    fake.findFilesGlobs.push(glob);
    return Promise.resolve(fake.workspaceFiles.slice(0, maxResults).map((f) => Uri.file(f)));
  },
  onDidSaveTextDocument: quietEvent(),
  fs: {
    readFile(uri: Uri): Promise<Uint8Array> {
      const text = uri.scheme === 'file' ? fake.files.get(uri.path) : undefined;
      return text === undefined ? Promise.reject(new Error(`EntryNotFound (FileSystemError): ${uri.toString()}`)) : Promise.resolve(new TextEncoder().encode(text));
    },
  },
  registerTextDocumentContentProvider(scheme: string, provider: { provideTextDocumentContent(uri: Uri): string }): Disposable {
    fake.providers.set(scheme, provider);
    return new Disposable(() => fake.providers.delete(scheme));
  },
  /** A document of a URI (a registered scheme's), or an untitled one made with `content`. */
  openTextDocument(target: Uri | { language?: string; content?: string }): Promise<FakeTextDocument> {
    if (target instanceof Uri) {
      const provider = fake.providers.get(target.scheme);
      if (!provider) return Promise.reject(new Error(`cannot open ${target.toString()}`));
      const text = provider.provideTextDocumentContent(target);
      const doc: FakeTextDocument = { uri: target, languageId: 'plaintext', isUntitled: false, isDirty: false, getText: () => text };
      fake.documents.push(doc);
      return Promise.resolve(doc);
    }
    const text = target.content ?? '';
    const doc: FakeTextDocument = {
      uri: Uri.from({ scheme: 'untitled', path: `Untitled-${fake.documents.length + 1}` }), languageId: target.language ?? 'plaintext',
      isUntitled: true, isDirty: text !== '', getText: () => text,
    };
    fake.documents.push(doc);
    return Promise.resolve(doc);
  },
};

export const languages = {
  /** Tests set it to make setTextDocumentLanguage fail. */
  refuseLanguageChange: false,
  /**
   * As VS Code does it (extHostDocuments.ts $acceptModelLanguageChanged, 1.100): the document is closed
   * (onDidCloseTextDocument), takes the language, and is opened again (onDidOpenTextDocument): the same object.
   */
  setTextDocumentLanguage(document: FakeTextDocument, languageId: string): Promise<FakeTextDocument> {
    if (languages.refuseLanguageChange) return Promise.reject(new Error('the document was closed'));
    fake.closedDocument.fire(document);
    document.languageId = languageId;
    fake.openedDocument.fire(document);
    return Promise.resolve(document);
  },
};
export const env = { clipboard: { writeText: () => Promise.resolve() } };

/**
 * vscode.l10n with no bundle loaded (English, as the extension host runs it when no bundle of the display language
 * exists): the message with its `{0}` or `{name}` placeholders filled.
 */
export const l10n = {
  bundle: undefined as Record<string, string> | undefined,
  t(message: string | { message: string; args?: unknown[] | Record<string, unknown> }, ...rest: unknown[]): string {
    const text = typeof message === 'string' ? message : message.message;
    const args = typeof message === 'string' ? (rest.length === 1 && typeof rest[0] === 'object' && rest[0] !== null ? rest[0] as Record<string, unknown> : rest) : message.args ?? [];
    return text.replace(/\{([^{}]+)\}/g, (all, key: string) => {
      const value = Array.isArray(args) ? args[Number(key)] : (args as Record<string, unknown>)[key];
      return value === undefined ? all : String(value);
    });
  },
};
