// client/src/languageClient.ts isUmbrellaValues under the stand-in for VS Code's API (session 25). A YAML file beside a
// Chart.yaml that lists Falco's chart as a dependency is that umbrella chart's values, which the server reads as the
// Falco chart's: the client starts the server for it. The client decided by a quick text test (a `dependencies` key
// and the word `falco` anywhere), so a chart that only mentions Falco (its description, a maintainer, a keyword)
// started the server for every YAML file beside it. It now reads the Chart.yaml as the server does
// (chartDependencies.ts falcoDependencies: an entry of `dependencies` named falco).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import { fake, workspace, EventEmitter, Uri } from '../helpers/vscodeFake';
import { isUmbrellaValues } from '../../client/src/languageClient';
import { falcoDependencies } from '../../server/src/service/embedded/regions';
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

const doc = (file: string, languageId: string, text: string) => ({ uri: Uri.file(file), languageId, getText: () => text, isDirty: false });

async function activated(files: Record<string, string>, documents: ReturnType<typeof doc>[]) {
  fake.reset();
  workspace.textDocuments = documents;
  for (const [file, text] of Object.entries(files)) fake.files.set(file, text);
  const subscriptions: { dispose(): unknown }[] = [];
  const context = { subscriptions, asAbsolutePath: (p: string) => `/extension/${p}` } as unknown as vscode.ExtensionContext;
  const made: RecordingClient[] = [];
  await activateWith(context, (options) => { const c = new RecordingClient(options); made.push(c); return c as unknown as LanguageClient; });
  return { made, deactivate: () => { for (const d of subscriptions.splice(0)) d.dispose(); } };
}
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A platform chart that deploys falcosidekick and says Falco everywhere but in its dependencies. */
const MENTIONS_FALCO = `apiVersion: v2
name: security-dashboards
description: Dashboards for the alerts falco sends through falcosidekick
version: 2.3.0
keywords:
  - falco
  - monitoring
maintainers:
  - name: falco
    email: security@example.com
dependencies:
  - name: falcosidekick
    version: 0.9.x
    repository: https://falcosecurity.github.io/charts
    condition: falco.enabled
`;
const withFalco = (entry: string) => `${MENTIONS_FALCO}${entry}`;
/** The Falco chart's values under the dependency's alias: nothing in them says Falco. */
const VALUES = 'runtime:\n  driver:\n    kind: modern_ebpf\n';

test('values beside a Chart.yaml that only mentions Falco (description, keyword, maintainer, a condition) start no server', async () => {
  const open = await activated({ '/ws/dash/Chart.yaml': MENTIONS_FALCO }, [doc('/ws/dash/values.yaml', 'yaml', VALUES)]);
  assert.equal(open.made.length, 0, 'not at activation');
  fake.openedDocument.fire(doc('/ws/dash/values-prod.yaml', 'yaml', VALUES));
  await settled();
  assert.equal(open.made.length, 0, 'nor opened later');
  open.deactivate();
});

test('values beside a Chart.yaml whose dependencies name Falco\'s chart (with an alias, a repository) start it', async () => {
  const chart = withFalco('  - name: falco\n    alias: runtime\n    version: 4.x\n    repository: oci://registry.example.com/charts\n');
  const open = await activated({ '/ws/platform/Chart.yaml': chart }, [doc('/ws/platform/values.yaml', 'yaml', VALUES)]);
  assert.equal(open.made.length, 1);
  open.deactivate();
});

test('the client reads a Chart.yaml as the server does', async () => {
  const charts: Record<string, string> = {
    mentions: MENTIONS_FALCO,
    'a condition and tags only': 'apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n  - name: redis\n    condition: falco.enabled\n    tags: [falco]\n',
    'a comment': 'apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n  # - name: falco\n  - name: redis\n',
    'the chart itself is named falco': 'apiVersion: v2\nname: falco\nversion: 4.0.0\ndependencies:\n  - name: falcoctl\n',
    'an alias falco on another chart': 'apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n  - name: redis\n    alias: falco\n',
    block: withFalco('  - name: falco\n    version: 4.x\n'),
    aliased: withFalco('  - name: "falco"\n    alias: runtime\n'),
    flow: 'apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies: [{name: falco, version: 9.1.0, condition: falco.enabled}]\n',
    json: '{"apiVersion": "v2", "name": "p", "version": "1.0.0", "dependencies": [{"name":"falco","version":"9.1.0"}]}\n',
    anchored: 'apiVersion: v2\nname: p\nchart: &falco falco\nversion: 1.0.0\ndependencies:\n  - name: *falco\n',
    'not YAML': 'dependencies: [name: falco\n  - {\n',
  };
  fake.reset();
  for (const [name, chart] of Object.entries(charts)) {
    fake.files.set('/ws/c/Chart.yaml', chart);
    const client = await isUmbrellaValues(doc('/ws/c/values.yaml', 'yaml', VALUES) as unknown as vscode.TextDocument);
    assert.equal(client, falcoDependencies(chart).length > 0, `${name}: the client and the server agree`);
  }
  assert.equal(falcoDependencies(MENTIONS_FALCO).length, 0);
  assert.deepEqual(falcoDependencies(charts.aliased).map((d) => d.key), ['runtime']);
});

// Helm reads a chart's requirements.yaml (Helm 2's dependencies) over Chart.yaml's (chartDependencies.ts): the client
// starts the server for the values of a chart whose requirements.yaml lists Falco's chart, and at a change of it.
test('values beside a Helm 2 chart whose requirements.yaml lists Falco\'s chart start it, also when requirements.yaml changes', async () => {
  const v1 = 'apiVersion: v1\nname: platform-security\nversion: 1.4.0\n';
  const listed = 'dependencies:\n  - name: falco\n    alias: runtime\n    version: 4.x\n    repository: https://falcosecurity.github.io/charts\n';
  const open = await activated({ '/ws/legacy/Chart.yaml': v1, '/ws/legacy/requirements.yaml': listed }, [doc('/ws/legacy/values.yaml', 'yaml', VALUES)]);
  assert.equal(open.made.length, 1, 'at activation');
  open.deactivate();
  const later = await activated({ '/ws/legacy/Chart.yaml': v1, '/ws/legacy/requirements.yaml': 'dependencies:\n  - name: redis\n' }, [doc('/ws/legacy/values.yaml', 'yaml', VALUES)]);
  assert.equal(later.made.length, 0, 'requirements.yaml without Falco\'s chart');
  fake.files.set('/ws/legacy/requirements.yaml', listed);
  fake.changedDocument.fire({ document: doc('/ws/legacy/requirements.yaml', 'yaml', listed) });
  await settled(); await settled();
  assert.equal(later.made.length, 1, 'started when requirements.yaml lists it');
  later.deactivate();
});
