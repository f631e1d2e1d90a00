// Shared by the Falco Operator alert tuning tests: a workspace with Falco's official rules file, an alert of one of
// its rules, the code actions and report of that alert, and the texts their edits write.
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, applyEdits, editsFor } from './rules-host';
import { openHost, operatorRulesfile, textAt } from './embedded-helpers';

export const OFFICIAL = '/etc/falco/falco_rules.yaml';
/** "Terminal shell in container", as Falco's official falco_rules.yaml names it (Falco Lens's table knows it). */
export const SHELL_RULE = [
  '- rule: Terminal shell in container',
  '  desc: A shell was used as the entrypoint or exec point into a container with an attached terminal.',
  '  condition: evt.type = execve and container.id != host and proc.name = bash and proc.tty != 0',
  '  output: A shell was spawned in a container with an attached terminal (shell=%proc.name parent=%proc.pname image=%container.image.repository)',
  '  priority: NOTICE',
  '  tags: [maturity_stable, container, shell]',
  '',
].join('\n');
export const SHELL_ALERT = JSON.stringify({
  hostname: 'node-2', output: '09:12:40.000000001: Notice A shell was spawned in a container with an attached terminal (shell=bash parent=runc image=docker.io/library/nginx)',
  output_fields: { 'container.id': '8a7b6c5d4e3f', 'container.image.repository': 'docker.io/library/nginx', 'evt.time': 1772442760000000001, 'proc.cmdline': 'bash', 'proc.name': 'bash', 'proc.pname': 'runc', 'proc.tty': 34816 },
  priority: 'Notice', rule: 'Terminal shell in container', source: 'syscall', tags: ['container', 'shell'], time: '2026-03-02T09:12:40.000000001Z',
});
export const IMAGE_FIX = (where: string) => `Add exception for this process + container image (bash, docker.io/library/nginx) to ${where}`;

/** The operator's resources of namespace falco: the official rules from their OCI artifact (50-01) and a team's
 *  inline rules (60-03). */
export const RULESFILES = [
  operatorRulesfile('falco-rules', 'ociArtifact:\n  image:\n    repository: falcosecurity/rules/falco-rules\n    tag: "4"\n  registry:\n    name: ghcr.io\npriority: 50\n'),
  operatorRulesfile('web-rules', 'inlineRules:\n  - list: web_shells\n    items: [bash, sh]\npriority: 60\n'),
].join('---\n');
export const MANIFEST = '/ws/deploy/falco/rulesfiles.yaml';
export const NEW_FILE = '/ws/deploy/falco/falco-lens-tuning.yaml';
export const NEW_RULESFILE = 'new Rulesfile \'falco-lens-tuning\' (deploy/falco/falco-lens-tuning.yaml)';

export function service(files: Record<string, string>, options: { localFile?: string } = {}) {
  const host = new MemoryHost({ [OFFICIAL]: SHELL_RULE, ...files }, { ruleFiles: [OFFICIAL], folders: ['/ws'] });
  if (options.localFile) host.config = { ...host.config, rules: { ...host.config.rules, localFile: options.localFile } };
  return { host, service: new FalcoLanguageService(host) };
}

/** The host's own findings (source falco-lens) of a manifest opened alone: code, text at the range, severity, message;
 *  and `fix(i)`, the text after the one quick fix of the i-th finding (undefined where there is not exactly one). */
export function hostFindings(host: string, uri: string) {
  const { service: s } = service({});
  const doc = openHost(s, host, uri);
  const found = s.embedded.diagnostics(doc).filter((d) => d.source === 'falco-lens');
  return {
    found: found.map((d) => ({ code: String(d.code), at: textAt(host, d), severity: d.severity, message: String(d.message) })),
    fix(i: number): string | undefined {
      const actions = s.embedded.codeActions!(doc, found[i].range, { diagnostics: [found[i]] });
      return actions.length === 1 ? applyEdits(host, editsFor(actions[0].edit, uri)) : undefined;
    },
  };
}

export function actionsFor(s: FalcoLanguageService, alert: string, logUri = 'file:///logs/events.json') {
  const log = TextDocument.create(logUri, 'falco-alerts', 1, `${alert}\n`);
  s.alerts.didOpenOrChange?.(log);
  const actions = s.alerts.codeActions!(log, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] });
  const report = s.alerts.report(`${alert}\n`, logUri).replace(/\\(.)/g, '$1');
  return { actions, titles: actions.map((a) => a.title), report: report.slice(report.indexOf('### Tuning')) };
}

/** The alert's actions again after `text` is saved as `file` (the client's watcher reports it). */
export function afterWriting(host: MemoryHost, s: FalcoLanguageService, file: string, text: string) {
  host.files.set(file, text);
  s.didChangeWatchedFiles([pathToUri(file)]);
  return actionsFor(s, SHELL_ALERT);
}

/** The text a quick fix creates as a new file (a create, then one insertion into the empty file). */
export function created(action: CodeAction | undefined, file: string): string {
  const changes = action?.edit?.documentChanges ?? [];
  assert.deepEqual(changes[0], { kind: 'create', uri: pathToUri(file) }, 'a new file, never written over');
  const edits = (changes[1] as TextDocumentEdit).edits as TextEdit[];
  assert.equal(edits.length, 1);
  return applyEdits('', edits);
}

export function edits(action: CodeAction | undefined, file: string): TextEdit[] {
  return action?.edit?.changes?.[pathToUri(file)] ?? [];
}

export function documents(text: string): any[] {
  return parseAllDocuments(text).map((d) => {
    assert.deepEqual(d.errors.map((e) => e.message), [], 'valid YAML');
    return d.toJS();
  });
}

/** The lines of the new tuning Rulesfile of namespace falco holding the process + image exception of SHELL_ALERT;
 *  `selector`, the lines of its spec.selector. */
export function tuningManifest(selector: string[] = []): string[] {
  return [
    '# Tuning of rules that Falco reads before this file: the operator writes it as /etc/falco/rules.d/99-03-falco-lens-tuning-inline.yaml.',
    'apiVersion: artifact.falcosecurity.dev/v1alpha1',
    'kind: Rulesfile',
    'metadata:',
    '  name: "falco-lens-tuning"',
    '  namespace: "falco"',
    'spec:',
    '  priority: 99',
    ...selector,
    '  inlineRules:',
    '    - rule: "Terminal shell in container"',
    '      exceptions:',
    '        - name: falco_lens_proc_name_and_container_image_repository',
    '          fields: [proc.name, container.image.repository]',
    '          comps: [=, =]',
    '          values:',
    '            - ["bash", "docker.io/library/nginx"]',
    '      override:',
    '        exceptions: append',
    '',
  ];
}

export const OFFICIAL_OCI = 'ociArtifact:\n  image:\n    repository: falcosecurity/rules/falco-rules\n    tag: "4"\n  registry:\n    name: ghcr.io\n';
export const GPU = 'selector:\n  matchLabels:\n    pool: gpu\n';
export const WEB_RULES = operatorRulesfile('web-rules', 'inlineRules:\n  - list: web_shells\n    items: [bash, sh]\npriority: 60\n');
/** The title of a tuning fix greyed out because of the targets' node selectors. */
export const SELECTOR_BLOCK = (where: string) => `Add exception or disable rule: not in ${where}, whose spec.selector is not that of this rule's definition`;
export const SELECTORS_BLOCK = (where: string) => `Add exception or disable rule: not in ${where}: the Rulesfiles defining this rule apply on different nodes`;

/** A Rulesfile manifest holding `inlineRules` (lines of the list, at the list's column), open in a new service. */
export function openedRulesfile(inlineRules: string[], uri = `file://${MANIFEST}`) {
  const manifest = operatorRulesfile('x', ['inlineRules:', ...inlineRules.map((l) => `  ${l}`), 'priority: 60', ''].join('\n'));
  const { service: s } = service({});
  const doc = openHost(s, manifest, uri);
  return { manifest, s, doc };
}
