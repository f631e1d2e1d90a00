// client/src/languageClient.ts: a `*_rules.yaml` classified again when its text changes (session 25). The client
// decided once, at the open, whether such a file is Falco's (fileShape.ts isOtherToolsRulesFile): a `my_rules.yaml`
// opened empty and then filled with Prometheus rules stayed a Falco rules file, buried in errors, and another tool's
// file given away as YAML stayed YAML after it was rewritten with Falco rules. The same test is now asked again once
// the edits pause (RECLASSIFY_DELAY_MS: not per keystroke), and VS Code's reopen in the other language closes the
// document for the LanguageClient, which sends the server its close (the server forgets it and clears its diagnostics)
// before its open in the new language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import { fake, workspace, languages, EventEmitter, Uri } from '../helpers/vscodeFake';
import { RECLASSIFY_DELAY_MS } from '../../client/src/languageClient';
import { activateWith } from '../../client/src/activation';

class RecordingClient {
  private running = false;
  private readonly stateChanged = new EventEmitter<unknown>();
  readonly onDidChangeState = this.stateChanged.event;
  constructor(readonly options: LanguageClientOptions) {}
  isRunning(): boolean { return this.running; }
  async start(): Promise<void> { this.running = true; this.stateChanged.fire({}); }
  async stop(): Promise<void> { this.running = false; this.stateChanged.fire({}); }
  sendNotification(): Promise<void> { return Promise.resolve(); }
  sendRequest(): Promise<unknown> { return Promise.resolve({ base: 'falco.log', files: [] }); }
  onNotification() { return { dispose: () => undefined }; }
}

/** Prometheus alerting rules, named like a Falco rules file (the e2e workspace's). */
const PROMETHEUS = fs.readFileSync(path.join(process.cwd(), 'e2e', 'workspace', 'alert_rules.yaml'), 'utf8');
const FALCO = '- macro: web_server\n  condition: proc.name in (nginx, httpd)\n\n- rule: Shell in web server\n  desc: A shell in a web server\n  condition: spawned_process and web_server and proc.name = bash\n  output: shell in web server (command=%proc.cmdline)\n  priority: WARNING\n';

/** A document whose text the test edits; `reads` counts the reads of its whole text. */
function editable(file: string, languageId: string, text: string) {
  const d = { uri: Uri.file(file), languageId, text, reads: 0, isDirty: false, getText: () => { d.reads++; return d.text; } };
  return d;
}
type Doc = ReturnType<typeof editable>;

async function activated(documents: Doc[]) {
  fake.reset();
  workspace.textDocuments = documents;
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => `/extension/${p}` } as unknown as vscode.ExtensionContext;
  const made: RecordingClient[] = [];
  await activateWith(context, (options) => { const c = new RecordingClient(options); made.push(c); return c as unknown as LanguageClient; });
  return { made, deactivate: () => { for (const d of subscriptions.splice(0)) d.dispose(); } };
}

/**
 * What the LanguageClient sends the server, through the client's middleware: its listeners, subscribed after the
 * extension's, pass each open, change and close of a document it syncs (its selector's languages) to the middleware.
 */
function recordSent(made: RecordingClient[]): string[] {
  const sent: string[] = [];
  const middleware = () => made[0]?.options.middleware;
  const synced = (d: Doc) => ['falco-rules', 'yaml'].includes(d.languageId);
  fake.openedDocument.event((d) => { const doc = d as Doc; if (synced(doc)) void middleware()?.didOpen!(doc as never, async (x) => { sent.push(`open ${x.uri.path} ${x.languageId}`); }); });
  fake.changedDocument.event((e) => { const doc = e.document as Doc; if (synced(doc)) void middleware()?.didChange!(e as never, async (x) => { sent.push(`change ${x.document.uri.path}`); }); });
  fake.closedDocument.event((d) => { const doc = d as Doc; if (synced(doc)) void middleware()?.didClose!(doc as never, async (x) => { sent.push(`close ${x.uri.path} ${x.languageId}`); }); });
  return sent;
}

const settled = () => new Promise((resolve) => setImmediate(resolve));
/** Types `text` into the document line by line, each line one change event. */
function type(doc: Doc, text: string) {
  const lines = text.split('\n');
  for (let i = 1; i <= lines.length; i++) {
    doc.text = lines.slice(0, i).join('\n');
    fake.changedDocument.fire({ document: doc });
  }
}

test('a *_rules.yaml opened empty and filled with Prometheus rules is reopened as YAML once the edits pause: the server is sent its close as rules, then its open as YAML', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const local = editable('/ws/falco_rules.local.yaml', 'falco-rules', '- list: trusted_images\n  items: []\n');
  const { made, deactivate } = await activated([local]);
  assert.equal(made.length, 1);
  const sent = recordSent(made);
  const alerts = editable('/ws/monitoring/alert_rules.yaml', 'falco-rules', '');
  workspace.textDocuments.push(alerts);
  fake.openedDocument.fire(alerts);
  await settled();
  assert.deepEqual(sent, ['open /ws/monitoring/alert_rules.yaml falco-rules'], 'empty: a Falco rules file, for now');

  const readsBefore = alerts.reads;
  type(alerts, PROMETHEUS);
  await settled();
  assert.equal(alerts.languageId, 'falco-rules', 'not classified while the user types');
  assert.equal(alerts.reads, readsBefore, 'its text not read per keystroke');
  t.mock.timers.tick(RECLASSIFY_DELAY_MS - 1);
  await settled();
  assert.equal(alerts.languageId, 'falco-rules');
  t.mock.timers.tick(1);
  await settled();
  assert.equal(alerts.languageId, 'yaml', 'reopened as YAML after the pause');
  assert.equal(alerts.reads, readsBefore + 1, 'its text read once');
  const changes = PROMETHEUS.split('\n').length;
  assert.deepEqual(sent.slice(1), [...Array(changes).fill('change /ws/monitoring/alert_rules.yaml'), 'close /ws/monitoring/alert_rules.yaml falco-rules', 'open /ws/monitoring/alert_rules.yaml yaml']);
  assert.ok(fake.outputs[0].lines.some((l) => l.includes('/ws/monitoring/alert_rules.yaml does not look like a Falco rules file')));
  // A Falco rules file edited stays one (it is read, once, up to its first item).
  type(local, '- list: trusted_images\n  items: [nginx]\n');
  t.mock.timers.tick(RECLASSIFY_DELAY_MS);
  await settled();
  assert.equal(local.languageId, 'falco-rules');
  deactivate();
});

test('another tool\'s file given away as YAML and rewritten with Falco rules becomes a Falco rules file: the server starts and is sent it as rules', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const file = editable('/ws/team/web_rules.yaml', 'falco-rules', PROMETHEUS);
  const { made, deactivate } = await activated([file]);
  await settled();
  assert.equal(file.languageId, 'yaml');
  assert.equal(made.length, 0, 'no server for Prometheus rules');
  // Rewritten (the whole text replaced, as a paste does).
  file.text = FALCO;
  fake.changedDocument.fire({ document: file });
  await settled();
  assert.equal(file.languageId, 'yaml', 'not before the pause');
  t.mock.timers.tick(RECLASSIFY_DELAY_MS);
  await settled();
  assert.equal(file.languageId, 'falco-rules');
  assert.equal(made.length, 1, 'the server started for it');
  const sent: string[] = [];
  await made[0].options.middleware!.didOpen!(file as never, async (x) => { sent.push(`open ${x.uri.path} ${x.languageId}`); });
  assert.deepEqual(sent, ['open /ws/team/web_rules.yaml falco-rules'], 'sent as rules');
  assert.ok(fake.outputs[0].lines.some((l) => l.includes('/ws/team/web_rules.yaml now holds Falco rules')));
  // Not the user's choice: Prometheus rules pasted back give it away again.
  file.text = PROMETHEUS;
  fake.changedDocument.fire({ document: file });
  t.mock.timers.tick(RECLASSIFY_DELAY_MS);
  await settled();
  assert.equal(file.languageId, 'yaml');
  deactivate();
});

test('the user\'s "Falco Rules" stands whatever is typed; an empty or undecidable text, and a name that is Falco\'s own, change nothing', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const chosen = editable('/ws/alert_rules.yaml', 'falco-rules', PROMETHEUS);
  const draft = editable('/ws/my_rules.yaml', 'falco-rules', FALCO);
  const own = editable('/ws/falco_rules.local.yaml', 'falco-rules', '');
  const { deactivate } = await activated([chosen, draft, own]);
  await settled();
  assert.equal(chosen.languageId, 'yaml');
  await languages.setTextDocumentLanguage(chosen as never, 'falco-rules');
  await settled();
  type(chosen, `${PROMETHEUS}\n# more\n`);
  // Emptied, then a comment: undecidable, a Falco rules file still.
  draft.text = '';
  fake.changedDocument.fire({ document: draft });
  draft.text = '# rules of the web team\n';
  fake.changedDocument.fire({ document: draft });
  // A name starting with falco is never given away.
  own.text = PROMETHEUS;
  fake.changedDocument.fire({ document: own });
  t.mock.timers.tick(RECLASSIFY_DELAY_MS);
  await settled();
  assert.equal(chosen.languageId, 'falco-rules', 'the user\'s choice');
  assert.equal(draft.languageId, 'falco-rules');
  assert.equal(own.languageId, 'falco-rules');
  deactivate();
});

test('a document closed before the pause is not reopened; one that cannot be reopened as YAML stays a rules file and is not tried again', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const closing = editable('/ws/a_rules.yaml', 'falco-rules', '');
  const refused = editable('/ws/b_rules.yaml', 'falco-rules', '');
  const { made, deactivate } = await activated([closing, refused]);
  assert.equal(made.length, 1);
  closing.text = PROMETHEUS;
  fake.changedDocument.fire({ document: closing });
  fake.closedDocument.fire(closing);
  languages.refuseLanguageChange = true;
  refused.text = PROMETHEUS;
  fake.changedDocument.fire({ document: refused });
  t.mock.timers.tick(RECLASSIFY_DELAY_MS);
  await settled();
  assert.equal(closing.languageId, 'falco-rules', 'closed: left alone');
  assert.equal(refused.languageId, 'falco-rules');
  assert.ok(fake.outputs[0].lines.some((l) => l.startsWith('warn Could not open') && l.includes('/ws/b_rules.yaml as YAML')));
  const reads = refused.reads;
  fake.changedDocument.fire({ document: refused });
  t.mock.timers.tick(RECLASSIFY_DELAY_MS);
  await settled();
  assert.equal(refused.reads, reads, 'not classified again');
  deactivate();
});
