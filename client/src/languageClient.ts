// Owns the LanguageClient's whole lifecycle (start, stop, restart) and the output channel it logs to. The LanguageClient
// itself is made by the factory extension.ts passes (the server's process), so that this file imports nothing of
// vscode-languageclient at run time and its rules are unit-tested against a stand-in for VS Code's API.
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, Middleware } from 'vscode-languageclient/node';
import { isBroadRulesFileName, isOtherToolsRulesFile, rulesFileShape } from '../../server/src/service/fileShape';
import { MAX_HOST_LENGTH, mayHoldRules, mayListFalcoDependency, umbrellaChartFolder } from '../../server/src/service/embedded/hostSniff';
import { UNSAVED_ELSEWHERE_NOTIFICATION, type UnsavedElsewhereParams } from '../../server/src/protocol';
import { READ_ONLY_SCHEME } from './readOnlyDocuments';

/**
 * Files on disk and untitled buffers only. A document of another scheme is another view of a file: the left side of
 * a diff (`git:`, the HEAD version), a file of another extension's virtual file system. Sent to the server, it would
 * load as one more rules file after the workspace's, and its findings, about an old version, would fill the Problems
 * view beside the file's own.
 */
const selector = (language: string) => [{ scheme: 'file', language }, { scheme: 'untitled', language }];
export const RULES_SELECTOR = selector('falco-rules');
/** With the alert texts the Alert Explorer shows read-only (readOnlyDocuments.ts), whose hovers explain them too. */
export const ALERTS_SELECTOR = [...selector('falco-alerts'), { scheme: READ_ONLY_SCHEME, language: 'falco-alerts' }];
export const CONFIG_SELECTOR = selector('falco-config');
/** Plain YAML: the server answers only inside the Falco rules files some of them hold (a Helm chart's customRules). */
export const YAML_SELECTOR = selector('yaml');
/** The languages whose documents the server is sent. */
const SENT_LANGUAGES = new Set([...RULES_SELECTOR, ...CONFIG_SELECTOR, ...ALERTS_SELECTOR, ...YAML_SELECTOR].map((s) => s.language));

const USER_SWITCH_MS = 1500;

/**
 * How long after the last edit of a `*_rules.yaml` its content is classified again (FalcoLanguageClient.reclassify):
 * once per pause in typing, not per keystroke.
 */
export const RECLASSIFY_DELAY_MS = 1000;

/** The languages that are Falco's own: a document of one always needs the server. */
const FALCO_LANGUAGES = new Set([...RULES_SELECTOR, ...CONFIG_SELECTOR, ...ALERTS_SELECTOR].map((s) => s.language));

/**
 * Whether the server has something to say about a document by its text alone: one of Falco's languages, or a YAML
 * file that can hold a Falco rules file or configuration by the server's own test (`mayHoldRules`: a chart's
 * customRules or falco: values, a Falco Operator resource, a ConfigMap with rules or YAML entries). Other YAML (most
 * of a Kubernetes repository) starts no server, unless it is an umbrella chart's values (`isUmbrellaValues`). A
 * `*_rules.yaml` of another tool is reopened as YAML before this is asked (FalcoLanguageClient.reopensAsYaml).
 */
export function needsServer(document: Pick<vscode.TextDocument, 'uri' | 'languageId' | 'getText'>): boolean {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return false;
  if (FALCO_LANGUAGES.has(document.languageId)) return true;
  return document.languageId === 'yaml' && mayHoldRules(document.getText());
}

/**
 * Whether a YAML file on disk sits beside a Chart.yaml that lists Falco's chart as a dependency: the server reads
 * such a file as an umbrella chart's values, the Falco chart's under the dependency's key whatever words they use
 * (`falco:` holding only `driver:`, which mayHoldRules does not know), with the same reading (embedded/hostSniff.ts
 * umbrellaChartFolder, chartDependencies.ts falcoDependencies: a `dependencies` entry named `falco`, not a chart that
 * only says the word in its description or a maintainer's name). The Chart.yaml is the editor's when it is open, else
 * the disk's.
 */
export async function isUmbrellaValues(document: Pick<vscode.TextDocument, 'uri' | 'languageId' | 'getText'>): Promise<boolean> {
  if (document.uri.scheme !== 'file' || document.languageId !== 'yaml') return false;
  const folder = umbrellaChartFolder(document.uri.path);
  if (folder === undefined || document.getText().length > MAX_HOST_LENGTH) return false;
  const read = async (name: string): Promise<string | undefined> => {
    const file = document.uri.with({ path: `${folder === '/' ? '' : folder}/${name}` });
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
    return open ? open.getText() : await Promise.resolve(vscode.workspace.fs.readFile(file)).then((bytes) => new TextDecoder().decode(bytes), () => undefined);
  };
  const text = await read('Chart.yaml');
  if (text === undefined) return false;
  // A Helm 2 chart lists its dependencies in requirements.yaml, which Helm reads over Chart.yaml's (chartDependencies.ts).
  const requirements = await read('requirements.yaml');
  if (!mayListFalcoDependency(text) && !(requirements !== undefined && mayListFalcoDependency(requirements))) return false;
  // The YAML parser is loaded at the first Chart.yaml that may list Falco's chart, not with the extension, which
  // activates on every YAML file.
  const { falcoDependencies } = await import('../../server/src/service/embedded/chartDependencies');
  return falcoDependencies(text, requirements).length > 0;
}

/** Whether a file is a chart's Chart.yaml or requirements.yaml: a change of it may make the YAML files beside it an
 *  umbrella's values. */
const chartFileOf = (uri: vscode.Uri) => (uri.scheme === 'file' ? /\/(Chart|requirements)\.yaml$/.exec(uri.path)?.[0] : undefined);

/**
 * Files that make a workspace Falco's: its rules files and configuration by their own names (package.json's
 * `workspaceContains` activation events, which a test keeps equal to this list). A workspace holding one starts the
 * server with the extension, for the rules of files not open (workspace symbols).
 */
export const FALCO_WORKSPACE_FILES = ['**/falco*.yaml', '**/falco*.yml', '**/*.falco.yaml', '**/rules.d/*.yaml'];

/** What the client decided of an open falco-rules document (FalcoLanguageClient.rulesVerdicts). */
interface RulesVerdict { asYaml: boolean; settled: Promise<boolean>; fixed: boolean }

/** Makes the LanguageClient of a new server process with these options (extension.ts: the bundled server). */
export type LanguageClientFactory = (options: LanguageClientOptions) => LanguageClient;

export class FalcoLanguageClient implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  /** What watches the client it started: the unsaved files it reports, its state. Disposed when it stops. */
  private clientWatch: vscode.Disposable | undefined;
  /**
   * The YAML files' watcher, one for the extension's life. vscode-languageclient hooks its listeners on it at each start
   * and removes them at each stop, but never disposes the watcher itself: one made per start was one more for
   * each restart.
   */
  private readonly yamlWatcher: vscode.FileSystemWatcher;
  /** The stops under way, chained: the output channel is disposed after the last, which may still log. */
  private stopping: Promise<void> = Promise.resolve();
  private readonly started = new vscode.EventEmitter<void>();
  /**
   * Fires each time a language server is running: started, restarted by the command, or restarted by vscode-languageclient
   * after a crash. A new server holds nothing of the last one (the Alert Explorer's log is opened again).
   */
  readonly onDidStartServer = this.started.event;

  /** Documents reopened as YAML because they are not Falco rules files (see reopensAsYaml). */
  private readonly givenAway = new Set<string>();
  private readonly closedAsYaml = new Map<string, number>();
  /**
   * The open falco-rules documents, by URI, each with what was decided at its open: whether it is being reopened as
   * YAML, and `settled`, true once it is, false when that failed (it is then checked as a Falco rules file). `fixed`:
   * not classified again when edited, because the user picked "Falco Rules" for it or it could not be reopened.
   */
  private readonly rulesVerdicts = new Map<string, RulesVerdict>();
  /** Documents this client is reopening in the falco-rules language (reclassify): their open is no user's choice. */
  private readonly reopeningAsRules = new Set<string>();
  /** The classification waiting for a pause in the edits of each document (reclassify). */
  private readonly reclassifyTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Fires for a document that could not be reopened as YAML: it stays a Falco rules file, which needs the server. */
  private readonly keptAsRules = new vscode.EventEmitter<vscode.TextDocument>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly createClient: LanguageClientFactory) {
    this.output = vscode.window.createOutputChannel('Falco Lens', { log: true });
    this.yamlWatcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}');
    context.subscriptions.push(this.yamlWatcher, this.started, this.keptAsRules, vscode.workspace.onDidCloseTextDocument((doc) => {
      const uri = doc.uri.toString();
      if (doc.languageId === 'yaml' && this.givenAway.has(uri)) this.closedAsYaml.set(uri, Date.now());
      if (doc.languageId === 'falco-rules') this.rulesVerdicts.delete(uri);
      clearTimeout(this.reclassifyTimers.get(uri));
      this.reclassifyTimers.delete(uri);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => { this.reclassifyLater(e.document); }),
    { dispose: () => { for (const timer of this.reclassifyTimers.values()) clearTimeout(timer); this.reclassifyTimers.clear(); } },
    // Decided at every open, whether a server runs or not: another tool's file neither starts one nor stays a Falco
    // rules file. Subscribed before any LanguageClient's listener, so the decision precedes its didOpen.
    vscode.workspace.onDidOpenTextDocument((doc) => { this.reopensAsYaml(doc); }));
    for (const doc of vscode.workspace.textDocuments) this.reopensAsYaml(doc);
  }

  get languageClient(): LanguageClient | undefined { return this.client; }

  async start(): Promise<void> {
    if (this.client) return;
    if (this.starting) return this.starting;
    this.starting = this.doStart().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  /**
   * Starts the server now when the editor holds a document it answers for (needsServer, isUmbrellaValues; not another
   * tool's `*_rules.yaml`, reopened as YAML instead) or the workspace has Falco's files (FALCO_WORKSPACE_FILES); else
   * at the first such document opened, a YAML file edited into one, or a Chart.yaml changed to list Falco's chart. The
   * extension activates on any YAML file, to look at it: the server, a process holding the rules workspace, is what a
   * repository of Kubernetes manifests should not pay for. Tried once this way: a server that fails to start is
   * started again by Falco: Restart Language Server.
   */
  async startWhenNeeded(): Promise<void> {
    let waiting: vscode.Disposable | undefined;
    const stopWaiting = () => { waiting?.dispose(); waiting = undefined; };
    const needs = (document: vscode.TextDocument) => !this.reopensAsYaml(document) && needsServer(document);
    const startFor = (document: vscode.TextDocument) => {
      if (!waiting || !needs(document)) return;
      stopWaiting();
      this.start().catch(() => undefined);
    };
    // An umbrella chart's values are known by the Chart.yaml beside them: asked at their open and at each change of it
    // (an edit does not change what the Chart.yaml says).
    const startForUmbrella = (document: vscode.TextDocument) => {
      if (!waiting || this.reopensAsYaml(document)) return;
      void isUmbrellaValues(document).then((umbrella) => { if (umbrella && waiting) { stopWaiting(); this.start().catch(() => undefined); } });
    };
    const chartChanged = (chart: vscode.Uri) => {
      const name = chartFileOf(chart);
      if (!waiting || name === undefined) return;
      const beside = chart.path.slice(0, -name.length) || '/';
      for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === chart.scheme && umbrellaChartFolder(d.uri.path) === beside) startForUmbrella(d);
    };
    waiting = vscode.Disposable.from(
      vscode.workspace.onDidOpenTextDocument((d) => { startFor(d); startForUmbrella(d); }),
      vscode.workspace.onDidChangeTextDocument((e) => { startFor(e.document); chartChanged(e.document.uri); }),
      this.yamlWatcher.onDidCreate(chartChanged),
      this.yamlWatcher.onDidChange(chartChanged),
      this.keptAsRules.event(startFor),
      // Started otherwise (the Alert Explorer, the restart command): nothing to wait for.
      this.onDidStartServer(stopWaiting),
    );
    this.context.subscriptions.push({ dispose: stopWaiting });
    const open = [...vscode.workspace.textDocuments];
    if (open.some(needs)) { stopWaiting(); return this.start(); }
    const [falcoFiles, umbrella] = await Promise.all([
      vscode.workspace.findFiles(`{${FALCO_WORKSPACE_FILES.join(',')}}`, undefined, 1).then((found) => found.length > 0, () => false),
      Promise.all(open.map((d) => isUmbrellaValues(d).catch(() => false))).then((found) => found.some(Boolean)),
    ]);
    // A document meanwhile started it, or is starting it.
    if (!waiting || !(falcoFiles || umbrella)) return;
    stopWaiting();
    return this.start();
  }

  private async doStart(): Promise<void> {
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...RULES_SELECTOR, ...CONFIG_SELECTOR, ...ALERTS_SELECTOR, ...YAML_SELECTOR],
      outputChannel: this.output,
      traceOutputChannel: this.output,
      synchronize: {
        configurationSection: 'falcoLens',
        fileEvents: this.yamlWatcher,
      },
      // The extension's global storage (under VS Code's user data, never a workspace folder): the Alert Explorer
      // decompresses gzip logs there, on disk, rather than into the temp folder, which is memory where /tmp is a tmpfs.
      initializationOptions: { settings: vscode.workspace.getConfiguration('falcoLens'), storageFolder: this.context.globalStorageUri?.fsPath },
      markdown: { isTrusted: false, supportHtml: false },
      middleware: { ...this.sendsNoOtherToolsFile(), ...leavesPlainYamlAlone() },
    };
    const client = this.createClient(clientOptions);
    this.client = client;
    const stateWatch = client.onDidChangeState(() => { if (this.client === client && client.isRunning()) this.started.fire(); });
    try {
      await client.start();
      this.clientWatch = vscode.Disposable.from(stateWatch, reportUnsavedElsewhere(client));
      this.output.info(vscode.l10n.t('Falco Lens language server started'));
    } catch (e) {
      stateWatch.dispose();
      this.client = undefined;
      this.output.error(vscode.l10n.t('The Falco Lens language server failed to start: {0}', String(e)));
      throw e;
    }
  }

  /**
   * `*_rules.yaml` and `rules.d/*.yaml` also name other tools' files (Prometheus alerting rules, Falco Talon response
   * rules...). Such a file, when its content is plainly not Falco's (fileShape.ts isOtherToolsRulesFile, the test
   * `falco-lens check` skips it by), is reopened as YAML, once, at its open: it starts no server (startWhenNeeded asks
   * this first) and is never sent to one (sendsNoOtherToolsFile). If the user then picks "Falco Rules" as its language
   * mode, that choice stands. Returns whether the document is being reopened as YAML; decided once per open, later
   * calls read the decision (an edit may change it: reclassifyLater).
   */
  private reopensAsYaml(document: vscode.TextDocument): boolean {
    return this.rulesVerdictOf(document)?.asYaml ?? false;
  }

  private rulesVerdictOf(document: vscode.TextDocument): RulesVerdict | undefined {
    if (document.languageId !== 'falco-rules' || (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled')) return undefined;
    const uri = document.uri.toString();
    const known = this.rulesVerdicts.get(uri);
    if (known) return known;
    const closed = this.closedAsYaml.get(uri);
    this.closedAsYaml.delete(uri);
    if (this.reopeningAsRules.delete(uri)) {
      const becameRules: RulesVerdict = { asYaml: false, settled: Promise.resolve(false), fixed: false };
      this.rulesVerdicts.set(uri, becameRules);
      return becameRules;
    }
    // When the user changes a document's language mode, VS Code closes the YAML document and opens the new one at
    // once; a close long before this open was the user closing the file.
    const userChoseFalco = closed !== undefined && Date.now() - closed < USER_SWITCH_MS;
    if (userChoseFalco || !isOtherToolsRulesFile(document.uri.path, document.getText())) {
      const kept: RulesVerdict = { asYaml: false, settled: Promise.resolve(false), fixed: userChoseFalco };
      this.rulesVerdicts.set(uri, kept);
      return kept;
    }
    const verdict: RulesVerdict = { asYaml: true, settled: Promise.resolve(true), fixed: false };
    // Recorded before VS Code closes the document and opens it again as YAML (that close forgets it).
    this.rulesVerdicts.set(uri, verdict);
    verdict.settled = this.giveAway(document).then((reopened) => {
      if (reopened) return true;
      verdict.asYaml = false;
      verdict.fixed = true;
      this.keptAsRules.fire(document);
      return false;
    });
    return verdict;
  }

  /** Reopens a falco-rules document as YAML; resolves false when that failed (it stays a Falco rules file). */
  private giveAway(document: vscode.TextDocument): Promise<boolean> {
    const uri = document.uri.toString();
    this.givenAway.add(uri);
    this.output.info(vscode.l10n.t('{0} does not look like a Falco rules file (no rule, macro or list items): opened as YAML. Pick "Falco Rules" as its language mode to check it as one.', vscode.workspace.asRelativePath(document.uri)));
    return Promise.resolve().then(() => vscode.languages.setTextDocumentLanguage(document, 'yaml')).then(() => true, (e: unknown) => {
      this.output.warn(vscode.l10n.t('Could not open {0} as YAML ({1}); checking it as a Falco rules file.', vscode.workspace.asRelativePath(document.uri), String(e)));
      this.givenAway.delete(uri);
      return false;
    });
  }

  /**
   * A document's classification can change with its text: a `my_rules.yaml` opened empty (a Falco rules file, for
   * now) and then filled with Prometheus rules, or another tool's file given away as YAML and then rewritten with
   * Falco rules. The same test as at the open is asked again once the edits pause (RECLASSIFY_DELAY_MS), not per
   * keystroke: rulesFileShape reads the text up to its first Falco item, the whole text only for a file with none.
   * Only documents whose language this client decided are asked: falco-rules documents named like rules files by a
   * broad pattern, not picked as Falco Rules by the user nor kept after a failed reopen, and the YAML documents it gave
   * away. A foreign text reopens the document as YAML: VS Code closes the falco-rules document and opens it again,
   * so the LanguageClient sends the server its close (the server forgets it and clears its diagnostics) and then its
   * open as plain YAML. A text with Falco items reopens a given-away document as Falco Rules (started and sent as
   * any rules file). An empty or undecidable text changes nothing.
   */
  private reclassifyLater(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    const asRules = document.languageId === 'falco-rules' && this.rulesVerdicts.get(uri)?.fixed === false && !this.rulesVerdicts.get(uri)?.asYaml
      && isBroadRulesFileName(document.uri.path);
    const asYaml = document.languageId === 'yaml' && this.givenAway.has(uri);
    if (!asRules && !asYaml) return;
    clearTimeout(this.reclassifyTimers.get(uri));
    this.reclassifyTimers.set(uri, setTimeout(() => { this.reclassifyTimers.delete(uri); void this.reclassify(document); }, RECLASSIFY_DELAY_MS));
  }

  private async reclassify(document: vscode.TextDocument): Promise<void> {
    const uri = document.uri.toString();
    if (document.isClosed) return;
    if (document.languageId === 'falco-rules') {
      const verdict = this.rulesVerdicts.get(uri);
      if (!verdict || verdict.fixed || verdict.asYaml || rulesFileShape(document.getText()) !== 'foreign') return;
      verdict.asYaml = true;
      if (!await this.giveAway(document)) { verdict.asYaml = false; verdict.fixed = true; }
      return;
    }
    if (document.languageId !== 'yaml' || !this.givenAway.has(uri) || rulesFileShape(document.getText()) !== 'falco') return;
    this.givenAway.delete(uri);
    this.reopeningAsRules.add(uri);
    this.output.info(vscode.l10n.t('{0} now holds Falco rules: opened as Falco Rules.', vscode.workspace.asRelativePath(document.uri)));
    await Promise.resolve(vscode.languages.setTextDocumentLanguage(document, 'falco-rules')).catch((e: unknown) => {
      this.output.warn(vscode.l10n.t('Could not open {0} as Falco Rules ({1}).', vscode.workspace.asRelativePath(document.uri), String(e)));
      this.reopeningAsRules.delete(uri);
      this.givenAway.add(uri);
    });
  }

  /**
   * The server never sees a document given away at its open in the falco-rules language: not its open, edits nor
   * close. One given away later (reclassify) was sent as rules: its close is sent, so that the server forgets it.
   */
  private sendsNoOtherToolsFile(): Middleware {
    const withheld = new Set<string>();
    return {
      didOpen: async (document, next) => {
        const verdict = this.rulesVerdictOf(document);
        if (!verdict?.asYaml) return next(document);
        const uri = document.uri.toString();
        withheld.add(uri);
        if (await verdict.settled) return;
        // Still a Falco rules file: checked as one.
        withheld.delete(uri);
        return next(document);
      },
      didChange: (event, next) => (withheld.has(event.document.uri.toString()) ? Promise.resolve() : next(event)),
      didClose: (document, next) => {
        const uri = document.uri.toString();
        if (withheld.delete(uri)) return Promise.resolve();
        return next(document);
      },
    };
  }

  /** Stops the server; resolves when it is stopped (also one another call is stopping). */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.clientWatch?.dispose();
    this.clientWatch = undefined;
    if (client) {
      const done = client.stop().then(undefined, (e: unknown) => { this.output.warn(vscode.l10n.t('Stopping the language server: {0}', String(e))); });
      this.stopping = this.stopping.then(() => done);
    }
    return this.stopping;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * VS Code calls deactivate() (extension.ts: stop) and then, without waiting for it, disposes the subscriptions, this
   * among them (extHostExtensionService _deactivate in 1.100). The output channel is disposed once the stops under way
   * have ended: what the server and the language client log while stopping (a failed shutdown, the server's last
   * messages) was written to a disposed channel, and lost.
   */
  dispose(): void {
    void this.stop().finally(() => this.output.dispose());
  }
}

/**
 * Tells the server which files the editor holds with unsaved changes in a language it is not sent (plain text, another
 * language mode), each time that set changes: the server does not have their text, so a tuning quick fix into one
 * (computed from the disk) is shown greyed out, saying to save it first (protocol.ts UNSAVED_ELSEWHERE_NOTIFICATION).
 * With them, every file open in such a language: an edit of a file open there under another path (a link) names it.
 */
function reportUnsavedElsewhere(client: LanguageClient): vscode.Disposable {
  let last: string | undefined;
  const send = () => {
    const elsewhere = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && !SENT_LANGUAGES.has(d.languageId));
    const uris = elsewhere.filter((d) => d.isDirty).map((d) => d.uri.toString()).sort();
    const open = elsewhere.map((d) => d.uri.toString()).sort();
    const key = `${uris.join('\n')}\u0000${open.join('\n')}`;
    if (key === last) return;
    last = key;
    const params: UnsavedElsewhereParams = { version: 1, uris, open };
    client.sendNotification(UNSAVED_ELSEWHERE_NOTIFICATION, params).catch(() => { last = undefined; });
  };
  send();
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeTextDocument((e) => { if (!SENT_LANGUAGES.has(e.document.languageId)) send(); }),
    vscode.workspace.onDidSaveTextDocument(send),
    vscode.workspace.onDidCloseTextDocument(send),
    vscode.workspace.onDidOpenTextDocument(send),
  );
}

/**
 * Plain YAML documents are sent to the server for the Falco rules some hold (a Helm chart's customRules), but the file
 * is the YAML tooling's. Where VS Code takes one provider's answer over the others', an empty answer from Falco Lens
 * would replace theirs: an empty folding list turns off VS Code's indentation folding for every YAML file, an empty
 * token list or a refused rename hides another extension's. For YAML, folding is left to the YAML
 * tooling (Falco Lens adds the outline of the Falco blocks it holds), and an empty or refused answer becomes no answer.
 */
function leavesPlainYamlAlone(): Middleware {
  const yaml = (document: vscode.TextDocument) => document.languageId === 'yaml';
  return {
    provideFoldingRanges: (document, context, token, next) => (yaml(document) ? undefined : next(document, context, token)),
    // The outline of a YAML file holding Falco blocks (customRules, a Rulesfile's inlineRules) gets their rules, macros
    // and lists as a group of its own beside the YAML tooling's; a file without blocks gets nothing from Falco Lens.
    provideDocumentSymbols: async (document, token, next) => {
      const symbols = await next(document, token);
      return yaml(document) && (!symbols || symbols.length === 0) ? undefined : symbols;
    },
    provideDocumentSemanticTokens: async (document, token, next) => {
      const tokens = await next(document, token);
      return yaml(document) && (!tokens || tokens.data.length === 0) ? undefined : tokens;
    },
    prepareRename: async (document, position, token, next) => {
      if (!yaml(document)) return next(document, position, token);
      try {
        return await next(document, position, token);
      } catch (e) {
        // The client turns a null answer (not inside a Falco block) into this refusal: no answer instead.
        if (e instanceof Error && e.message === 'The element can\'t be renamed.') return undefined;
        throw e;
      }
    },
  };
}
