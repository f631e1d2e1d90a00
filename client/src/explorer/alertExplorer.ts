// The Alert Explorer: a tree of the alerts of one log, grouped (by rule, priority, host, source, container, Kubernetes
// namespace or pod, container image or tag),
// filtered, deduplicated and followed. The client parses nothing: every node comes from the server's index through
// custom requests. What items show is built by treeText.ts (values from the log revealed); tooltips are built with
// appendText/appendCodeblock and are never trusted.
import * as vscode from 'vscode';
import type { FalcoLanguageClient } from '../languageClient';
import { describeWindow, lastWindow, parseBetween, timeWindows } from './timeWindow';
import { ROOT_NODE, TreeQueries } from './treeQueries';
import { GROUP_BY, PRIORITY_NAMES, alertItemId, groupLabel, alertTexts, filterText, groupTexts, noAlertLog, noAlertLogText, parseFilterText, shown, viewTexts, type TooltipPart } from './treeText';
import { displayMessage } from '../../../server/src/service/displayPath';
import { openReadOnly } from '../readOnlyDocuments';
import {
  EXPLORER_ALERTS_REQUEST, EXPLORER_ALERT_TEXT_REQUEST, EXPLORER_CHANGED_NOTIFICATION, EXPLORER_CLOSE_REQUEST,
  EXPLORER_FOLLOW_REQUEST, EXPLORER_GROUPS_REQUEST, EXPLORER_OPEN_REQUEST, EXPLORER_REPORT_REQUEST, EXPLORER_ROTATED_FILES_REQUEST, SHOW_MARKDOWN_COMMAND,
  type ExplorerOpenParams, type ExplorerRotatedFilesResult,
  type ExplorerReportParams, type ExplorerReportResult, type ExplorerAlertItem, type ExplorerAlertTextResult, type ExplorerAlertsResult, type ExplorerChangedParams,
  type ExplorerFilter, type ExplorerGroup, type ExplorerGroupBy, type ExplorerGroupsResult, type ExplorerLogInfo, undatedText,
} from '../../../server/src/protocol';

const PAGE = 200;
/** The example the time filter's box shows: times, in no language. */
const BETWEEN_EXAMPLE = '2026-01-02T12:00Z 2026-01-02T13:00Z';
/** VS Code does not hand extensions documents over 50 MB; larger logs show an alert's text instead of the file. */
const EDITOR_LIMIT_BYTES = 50 * 1024 * 1024;

type Node =
  | { kind: 'group'; group: ExplorerGroup }
  | { kind: 'alert'; alert: ExplorerAlertItem; group: string }
  | { kind: 'more'; group: string; offset: number; remaining: number }
  /** Under a group: how many of its alerts the time filter left out for lack of a date. */
  | { kind: 'note'; text: string };

/** A file's name as a message shows it (nothing hidden: it comes from the disk). */
const shownName = (file: string) => shown(file.split('/').pop() ?? file);
const megabytes = (bytes: number) => (bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`);

/** An untrusted Markdown tooltip holding the parts as text and code blocks. */
function tooltipOf(parts: readonly TooltipPart[]): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, false);
  tip.isTrusted = false;
  tip.supportHtml = false;
  for (const part of parts) {
    if ('code' in part) tip.appendCodeblock(part.code, 'text');
    else tip.appendText(part.text);
  }
  return tip;
}

function priorityIcon(p: number): vscode.ThemeIcon {
  if (p >= 0 && p <= 3) return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (p === 4) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (p === 7) return new vscode.ThemeIcon('debug');
  return new vscode.ThemeIcon('info');
}

export class AlertExplorer implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly updated = new vscode.EventEmitter<ExplorerLogInfo>();
  /** Fires on every index update the server reports (indexing progress, follow). */
  readonly onDidUpdateLog = this.updated.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private log: ExplorerLogInfo | undefined;
  /** The path and older files the log shown was opened with. */
  private openedWith = '';
  /** The request that opened the log shown: a new server (a restart, a crash) knows no log, and is sent it again. */
  private openParams: ExplorerOpenParams | undefined;
  /** The opening whose log was said to hold no alert (noAlertLog): said once, not again at each update or restart. */
  private toldNoAlerts: ExplorerOpenParams | undefined;
  /** The path of the log shown, if any. */
  get logPath(): string | undefined { return this.log?.path; }
  private groupBy: ExplorerGroupBy = 'rule';
  private filter: ExplorerFilter = {};
  private dedupe = true;
  /** The latest root answer's alerts without a date that the time filter left out (the view's message says it). */
  private undated: number | undefined;
  /** Pages loaded per group (how many alerts are listed). */
  private readonly shown = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private notificationHooked: unknown;
  /**
   * The tree's queries under way, by node ('root', or 'group:' and its key): shared, replaced and cancelled as
   * treeQueries.ts says.
   */
  private readonly queries = new TreeQueries<vscode.CancellationToken>(
    (method, params, token) => this.lc().sendRequest(method, params, token),
    () => new vscode.CancellationTokenSource(),
  );

  /**
   * `client`: the language client, or what the explorer uses of it. `showError`: how an error of the explorer's own doing
   * (the log could not be opened again on a new server) is shown.
   */
  constructor(private readonly client: Pick<FalcoLanguageClient, 'languageClient' | 'onDidStartServer' | 'start'>, private readonly showError: (e: unknown, file?: string) => void = () => undefined) {
    this.view = vscode.window.createTreeView('falcoLens.alertExplorer', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, this.changed, this.updated, client.onDidStartServer(() => { void this.reopen(); }));
    this.updateContext();
    this.updateMessage();
  }

  /** The open log, for tests and commands. */
  get current(): ExplorerLogInfo | undefined { return this.log; }
  get settings(): { groupBy: ExplorerGroupBy; filter: ExplorerFilter; dedupe: boolean } { return { groupBy: this.groupBy, filter: { ...this.filter }, dedupe: this.dedupe }; }

  private lc() {
    const lc = this.client.languageClient;
    if (!lc) throw new Error(vscode.l10n.t('The Falco Lens language server is not running (Falco: Restart Language Server).'));
    // Re-hook the progress notification whenever the language client was restarted.
    if (this.notificationHooked !== lc) {
      this.notificationHooked = lc;
      this.disposables.push(lc.onNotification(EXPLORER_CHANGED_NOTIFICATION, (p: ExplorerChangedParams) => this.onServerChange(p)));
    }
    return lc;
  }

  /** Opens a log; with `rotated`, the older files of its rotated set with it, as one log. */
  async open(path: string, follow = false, rotated?: string[]): Promise<ExplorerLogInfo> {
    // No document may have needed the server yet (languageClient.ts startWhenNeeded).
    await this.client.start();
    const lc = this.lc();
    // The tree of the log shown stays until the new log's groups arrive.
    this.queries.settingsChanged();
    const params: ExplorerOpenParams = { path, follow, ...(rotated?.length ? { rotated } : {}) };
    // Another log (another path, or the same one with other files of its set) replaces the one shown, closed first:
    // two large logs are not held at once.
    const openedWith = JSON.stringify([path, ...[...rotated ?? []].sort()]);
    if (this.log && this.openedWith !== openedWith) await lc.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: this.log.logId }).then(undefined, () => undefined);
    this.log = await lc.sendRequest<ExplorerLogInfo>(EXPLORER_OPEN_REQUEST, params);
    this.openedWith = openedWith;
    this.openParams = params;
    this.undated = undefined;
    this.shown.clear();
    this.updateContext();
    this.refresh();
    this.tellIfNoAlerts();
    await vscode.commands.executeCommand('falcoLens.alertExplorer.focus').then(undefined, () => undefined);
    return this.log;
  }

  /** The rotated set of a file, oldest first, as the server finds it by name in its folder. */
  async rotatedFiles(path: string): Promise<ExplorerRotatedFilesResult> {
    await this.client.start();
    return this.lc().sendRequest<ExplorerRotatedFilesResult>(EXPLORER_ROTATED_FILES_REQUEST, { path });
  }

  async close(): Promise<void> {
    this.queries.clear();
    if (this.log) await this.client.languageClient?.sendRequest(EXPLORER_CLOSE_REQUEST, { logId: this.log.logId }).then(undefined, () => undefined);
    this.log = undefined;
    this.openParams = undefined;
    this.updateContext();
    this.refresh();
  }

  /**
   * A new server is running (restarted by the command, or by vscode-languageclient after a crash): it knows no log, and
   * every query of the log shown would fail. The log is opened again as it was (its files, followed or not); the
   * grouping, filter and folding are the explorer's and stay. If it cannot be (the file is gone), it is closed.
   */
  private async reopen(): Promise<void> {
    const params = this.openParams;
    const log = this.log;
    if (!params || !log) return;
    this.queries.settingsChanged();
    try {
      const reopened = await this.lc().sendRequest<ExplorerLogInfo>(EXPLORER_OPEN_REQUEST, { ...params, follow: !!log.following });
      // Another log was opened, or this one closed, meanwhile: that choice stands.
      if (this.openParams !== params) return;
      this.log = reopened;
    } catch (e) {
      if (this.openParams !== params) return;
      this.log = undefined;
      this.openParams = undefined;
      this.showError(e, params.path);
    }
    this.undated = undefined;
    this.updateContext();
    this.refresh();
  }

  async setFollow(follow: boolean): Promise<void> {
    if (!this.log) return;
    this.log = await this.lc().sendRequest<ExplorerLogInfo>(EXPLORER_FOLLOW_REQUEST, { logId: this.log.logId, follow });
    this.updateContext();
    this.updateMessage();
  }

  /** The time of the log's latest alert (epoch ms), or undefined when no alert has a time. */
  async latestAlertTime(): Promise<number | undefined> {
    if (!this.log) return undefined;
    const result = await this.lc().sendRequest<ExplorerGroupsResult>(EXPLORER_GROUPS_REQUEST, { logId: this.log.logId, groupBy: 'priority' });
    const times = result.groups.map((g) => g.lastTime).filter((t): t is number => t !== undefined && Number.isFinite(t));
    return times.length ? Math.max(...times) : undefined;
  }

  // The queries under way are cancelled; the tree VS Code shows stays until the new settings' answers arrive.
  setGroupBy(groupBy: ExplorerGroupBy): void { this.groupBy = groupBy; this.shown.clear(); this.queries.settingsChanged(); this.refresh(); }
  setFilter(filter: ExplorerFilter): void { this.filter = filter; this.undated = undefined; this.shown.clear(); this.queries.settingsChanged(); this.updateContext(); this.refresh(); }
  setDedupe(dedupe: boolean): void { this.dedupe = dedupe; this.shown.clear(); this.queries.settingsChanged(); this.updateContext(); this.refresh(); }

  refresh(): void {
    this.queries.refresh();
    this.updateMessage();
    this.changed.fire(undefined);
  }

  private onServerChange(p: ExplorerChangedParams): void {
    if (!this.log || p.logId !== this.log.logId) return;
    this.log = p;
    this.updated.fire(p);
    this.tellIfNoAlerts();
    // Indexing and follow send many notifications: redraw at most a few times a second.
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => { this.refreshTimer = undefined; this.refresh(); }, 250);
  }

  /**
   * Any file can be opened (the Command Palette's file dialog, a `.gz` of the context menu): one that turns out to hold
   * no alert gets a warning saying so, once, beside the view's message.
   */
  private tellIfNoAlerts(): void {
    if (!this.log || !noAlertLog(this.log) || !this.openParams || this.toldNoAlerts === this.openParams) return;
    this.toldNoAlerts = this.openParams;
    void vscode.window.showWarningMessage(vscode.l10n.t('Falco Alert Explorer: {0}', noAlertLogText(this.log)));
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'falcoLens.explorer.open', !!this.log);
    void vscode.commands.executeCommand('setContext', 'falcoLens.explorer.following', !!this.log?.following);
    void vscode.commands.executeCommand('setContext', 'falcoLens.explorer.dedupe', this.dedupe);
    void vscode.commands.executeCommand('setContext', 'falcoLens.explorer.filtered', Object.keys(this.filter).length > 0);
  }

  private updateMessage(): void {
    // No log: no message and no description, so that VS Code shows the view's welcome content (package.json
    // viewsWelcome, with its button), which it hides while the view has a message.
    if (!this.log) { this.view.message = undefined; this.view.description = undefined; return; }
    const { message, description } = viewTexts(this.log, this.groupBy, this.dedupe, this.filter, describeWindow(this.filter.since, this.filter.until), this.undated);
    this.view.message = message;
    this.view.description = description;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!this.log) return [];
    if (!node) {
      const result = await this.queries.ask<ExplorerGroupsResult>(ROOT_NODE, EXPLORER_GROUPS_REQUEST, { logId: this.log.logId, groupBy: this.groupBy, filter: this.filter });
      if (result && result.undated !== this.undated) { this.undated = result.undated; this.updateMessage(); }
      return result ? result.groups.map((group) => ({ kind: 'group', group })) : [];
    }
    if (node.kind !== 'group') return [];
    const key = node.group.key;
    const limit = this.shown.get(key) ?? PAGE;
    const result = await this.queries.ask<ExplorerAlertsResult>(`group:${key}`, EXPLORER_ALERTS_REQUEST, { logId: this.log.logId, groupBy: this.groupBy, group: key, filter: this.filter, dedupe: this.dedupe, offset: 0, limit });
    if (!result) return [];
    const children: Node[] = result.items.map((alert) => ({ kind: 'alert', alert, group: key }));
    if (result.total > result.items.length) children.push({ kind: 'more', group: key, offset: result.items.length, remaining: result.total - result.items.length });
    if (result.undated) children.push({ kind: 'note', text: undatedText(result.undated) });
    return children;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const g = node.group;
      const texts = groupTexts(this.groupBy, g, this.dedupe);
      const item = new vscode.TreeItem(texts.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `group:${this.groupBy}:${g.key}`;
      item.description = texts.description;
      item.iconPath = priorityIcon(g.priority);
      item.contextValue = 'falcoLens.group';
      item.tooltip = tooltipOf(texts.tooltip);
      return item;
    }
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('info');
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(vscode.l10n.t('Show {0} more ({1} left)…', Math.min(PAGE, node.remaining), node.remaining), vscode.TreeItemCollapsibleState.None);
      item.command = { command: 'falcoLens.explorer.showMore', title: vscode.l10n.t('Show more'), arguments: [node.group] };
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      return item;
    }
    const a = node.alert;
    const part = a.part !== undefined ? this.log?.parts?.[a.part] : undefined;
    const texts = alertTexts(this.groupBy, a, part && part.path.split('/').pop());
    const item = new vscode.TreeItem(texts.label, vscode.TreeItemCollapsibleState.None);
    item.id = alertItemId(this.log?.logId ?? '', this.groupBy, node.group, a.id);
    item.description = texts.description;
    item.iconPath = priorityIcon(a.priority);
    item.contextValue = 'falcoLens.alert';
    item.tooltip = tooltipOf(texts.tooltip);
    item.command = { command: 'falcoLens.explorer.reveal', title: vscode.l10n.t('Show alert'), arguments: [a] };
    return item;
  }

  showMore(group: string): void {
    this.shown.set(group, (this.shown.get(group) ?? PAGE) + PAGE);
    this.changed.fire(undefined);
  }

  /**
   * An incident report on the alerts of one group, or on all the alerts the filter shows; the server reads them from
   * the file, so this works for logs too large for the editor too. A report of thousands of alerts takes a moment:
   * its notification's Cancel cancels the request (the server stops between two of its steps).
   */
  async report(group?: string): Promise<vscode.Uri | undefined> {
    if (!this.log) { void vscode.window.showInformationMessage(vscode.l10n.t('Open a log in the Alert Explorer first.')); return undefined; }
    const params: ExplorerReportParams = { logId: this.log.logId, filter: this.filter, ...(group !== undefined ? { groupBy: this.groupBy, group } : {}) };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Falco: building the incident report…'), cancellable: true },
      (_progress, token) => this.lc().sendRequest<ExplorerReportResult>(EXPLORER_REPORT_REQUEST, params, token).catch((e: unknown) => {
        if (token.isCancellationRequested) return undefined;
        throw e;
      }),
    );
    if (!result) return undefined;
    return vscode.commands.executeCommand<vscode.Uri>(SHOW_MARKDOWN_COMMAND, result.markdown, vscode.l10n.t('Falco incident report'));
  }

  /**
   * Opens the log at the alert's line (of a rotated set, its file at its line there), or for compressed logs, logs too
   * large for the editor and a set's file that logrotate compressed or deleted since, the alert's own text.
   */
  async reveal(alert: ExplorerAlertItem): Promise<void> {
    if (!this.log) return;
    // The server says where the alert's file is now: logrotate may have renamed, compressed or removed it since the
    // tree was drawn (the tree's parts are of the latest notification).
    const result = await this.lc().sendRequest<ExplorerAlertTextResult>(EXPLORER_ALERT_TEXT_REQUEST, { logId: this.log.logId, id: alert.id, generation: alert.generation });
    const file = result.file;
    if (!file.compressed && !file.gone && file.bytes <= EDITOR_LIMIT_BYTES) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file.path));
      const range = doc.lineAt(Math.min(result.line, doc.lineCount - 1)).range;
      await vscode.window.showTextDocument(doc, { selection: range, preview: true });
      return;
    }
    // Read-only, as the log is: an untitled document made with this text would be dirty, and ask to be saved.
    const name = file.path.split('/').pop() ?? 'alert';
    const doc = await openReadOnly(vscode.l10n.t('{0} line {1}', name, result.line + 1), result.text, 'log', 'falco-alerts');
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.queries.clear();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** Registers the explorer's commands. */
export function registerAlertExplorer(context: vscode.ExtensionContext, client: FalcoLanguageClient): AlertExplorer {
  // A log closed meanwhile is still named in its errors: every path opened is known.
  const opened = new Set<string>();
  // The server's messages name the log by its path: shown relative to the workspace, nothing hidden (displayPath.ts).
  const report = (e: unknown, file?: string) => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const files = [file, explorer.logPath, ...opened].filter((f): f is string => f !== undefined);
    void vscode.window.showErrorMessage(vscode.l10n.t('Falco Alert Explorer: {0}', displayMessage(e instanceof Error ? e.message : String(e), files, folders)));
  };
  const explorer = new AlertExplorer(client, report);
  const pickLog = async (uri?: vscode.Uri): Promise<string | undefined> => {
    if (uri?.scheme === 'file') return uri.fsPath;
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === 'falco-alerts' && active.uri.scheme === 'file') return active.uri.fsPath;
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Open in Alert Explorer'), filters: { [vscode.l10n.t('Falco logs')]: ['log', 'json', 'jsonl', 'txt', 'gz'], [vscode.l10n.t('All files')]: ['*'] } });
    return picked?.[0]?.fsPath;
  };
  /**
   * Opening one file of a rotated set offers the others (their names only were read, from its folder); nothing more
   * is read unless the user says so.
   */
  const offerRotatedSet = async (path: string): Promise<void> => {
    const set = await explorer.rotatedFiles(path).catch(() => undefined);
    const others = set?.files.filter((f) => f.path !== path) ?? [];
    if (!set || others.length === 0) return;
    const names = others.map((f) => shownName(f.path));
    const listed = `${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
    const openSet = vscode.l10n.t('Open Rotated Set');
    const choice = await vscode.window.showInformationMessage(others.length === 1
      ? vscode.l10n.t('Falco: {0} has 1 rotated file of {1} next to it ({2}). Open the set as one timeline?', shownName(path), shown(set.base), listed)
      : vscode.l10n.t('Falco: {0} has {1} rotated files of {2} next to it ({3}). Open the set as one timeline?', shownName(path), others.length, shown(set.base), listed),
    openSet);
    if (choice) await openRotatedSet(path).catch((e: unknown) => report(e, path));
  };
  /** Asks which files of `path`'s rotated set to read (all by default), and opens them as one log. */
  const openRotatedSet = async (path: string): Promise<void> => {
    const set = await explorer.rotatedFiles(path);
    if (set.files.length <= 1) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Falco: no rotated file of {0} is next to {1}: opening it alone.', shown(set.base), shownName(path)));
      opened.add(path);
      await explorer.open(path);
      return;
    }
    const picked = await vscode.window.showQuickPick(set.files.map((f) => ({
      label: shownName(f.path), description: f.compressed ? vscode.l10n.t('{0}, gzip', megabytes(f.bytes)) : megabytes(f.bytes), picked: true, path: f.path,
    })), { canPickMany: true, title: vscode.l10n.t('Rotated set of {0}: the files to read as one log, oldest first', shown(set.base)), placeHolder: vscode.l10n.t('The newest file chosen is followed when you follow the log') });
    if (!picked?.length) return;
    const files = picked.map((p) => p.path);
    for (const f of files) opened.add(f);
    // The server orders them: the newest is the log's path, the others its older files.
    const newest = files[files.length - 1];
    await explorer.open(newest, false, files.slice(0, -1));
  };
  context.subscriptions.push(
    explorer,
    vscode.commands.registerCommand('falcoLens.explorer.open', async (uri?: vscode.Uri) => {
      const path = await pickLog(uri);
      if (!path) return;
      opened.add(path);
      const ok = await explorer.open(path).then(() => true, (e: unknown) => { report(e, path); return false; });
      if (ok) void offerRotatedSet(path);
    }),
    vscode.commands.registerCommand('falcoLens.explorer.openRotated', async (uri?: vscode.Uri) => {
      const path = await pickLog(uri);
      if (!path) return;
      await openRotatedSet(path).catch((e: unknown) => report(e, path));
    }),
    vscode.commands.registerCommand('falcoLens.explorer.follow', () => explorer.setFollow(true).catch(report)),
    vscode.commands.registerCommand('falcoLens.explorer.unfollow', () => explorer.setFollow(false).catch(report)),
    vscode.commands.registerCommand('falcoLens.explorer.groupBy', async (groupBy?: ExplorerGroupBy) => {
      const choice = groupBy ?? (await vscode.window.showQuickPick(
        GROUP_BY.map((g) => ({ label: groupLabel(g), value: g })), { placeHolder: vscode.l10n.t('Group alerts by') }))?.value;
      if (choice) explorer.setGroupBy(choice);
    }),
    vscode.commands.registerCommand('falcoLens.explorer.filter', async (filter?: ExplorerFilter) => {
      if (filter) { explorer.setFilter(filter); return; }
      const text = await vscode.window.showInputBox({
        prompt: vscode.l10n.t('Show alerts whose line contains (case-insensitive; empty for all); ns:NAME, pod:NAME, image:NAME, tag:NAME keep one Kubernetes namespace, pod, container image or tag'),
        value: filterText(explorer.settings.filter),
      });
      if (text === undefined) return;
      const priority = await vscode.window.showQuickPick(
        [{ label: vscode.l10n.t('Any priority'), value: undefined as number | undefined }, ...PRIORITY_NAMES.slice(0, 7).map((name, i) => ({ label: vscode.l10n.t('{0} or more severe', name), value: i }))],
        { placeHolder: vscode.l10n.t('Minimum priority') });
      if (!priority) return;
      const window = await vscode.window.showQuickPick(timeWindows(), { placeHolder: vscode.l10n.t('Time of the alerts') });
      if (!window) return;
      const next: ExplorerFilter = parseFilterText(text);
      if (priority.value !== undefined) next.minPriority = priority.value;
      if (window.lastMs !== undefined) {
        const latest = await explorer.latestAlertTime().catch(() => undefined);
        if (latest === undefined) { void vscode.window.showWarningMessage(vscode.l10n.t('No alert of this log carries a time: the time filter is left out.')); }
        else Object.assign(next, lastWindow(latest, window.lastMs));
      } else if (window.between) {
        const typed = await vscode.window.showInputBox({
          prompt: vscode.l10n.t('From and to, in UTC unless an offset is given (`..` for an open start)'),
          placeHolder: BETWEEN_EXAMPLE,
          validateInput: (value) => { const got = parseBetween(value); return 'error' in got ? got.error : undefined; },
        });
        if (typed === undefined) return;
        const bounds = parseBetween(typed);
        if ('error' in bounds) return;
        Object.assign(next, bounds);
      }
      explorer.setFilter(next);
    }),
    vscode.commands.registerCommand('falcoLens.explorer.clearFilter', () => explorer.setFilter({})),
    vscode.commands.registerCommand('falcoLens.explorer.dedupeOn', () => explorer.setDedupe(true)),
    vscode.commands.registerCommand('falcoLens.explorer.dedupeOff', () => explorer.setDedupe(false)),
    vscode.commands.registerCommand('falcoLens.explorer.refresh', () => explorer.refresh()),
    vscode.commands.registerCommand('falcoLens.explorer.close', () => explorer.close()),
    vscode.commands.registerCommand('falcoLens.explorer.showMore', (group: string) => explorer.showMore(group)),
    vscode.commands.registerCommand('falcoLens.explorer.reveal', (alert: ExplorerAlertItem) => explorer.reveal(alert).catch(report)),
    vscode.commands.registerCommand('falcoLens.explorer.report', () => explorer.report().catch(report)),
    vscode.commands.registerCommand('falcoLens.explorer.reportGroup', (node?: Node) => explorer.report(node?.kind === 'group' ? node.group.key : undefined).catch(report)),
  );
  return explorer;
}
