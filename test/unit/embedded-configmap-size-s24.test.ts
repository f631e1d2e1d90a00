// Session 24: ConfigMaps of Falco's rules too large for Kubernetes. The API server refuses a ConfigMap whose data and
// binaryData values hold more than 1 MiB (ValidateConfigMap, core.MaxSecretSize), and client-side `kubectl apply`
// copies the whole object as JSON into the last-applied-configuration annotation, which the API server refuses past
// 256 KiB of annotations (ValidateAnnotationsSize): the official rules files in one ConfigMap are already past it.
// The chart writes all customRules into one ConfigMap. Nothing was said before. The fixtures are the corpus's
// official rules files, in a ConfigMap and in chart values as users write them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { goJsonStringBytes } from '../../server/src/service/embedded/objectSize';
import { CORPUS_RULES, corpusExists } from './rules-host';

const skip = !corpusExists && 'corpus absent';
const read = (p: string) => fs.readFileSync(path.join(CORPUS_RULES, p), 'utf8');
const indented = (text: string, by: string) => text.replace(/^(?=.)/gm, by);
const OFFICIAL = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => `falcosecurity__rules/tags/falco-rules-3.0.0/${f}`);
const PLUGINS = ['falcosecurity__plugins/k8saudit/k8s_audit_rules.yaml', 'falcosecurity__plugins/gcpaudit/gcp_auditlog_rules.yaml'];

function configMap(files: readonly [string, string][], metadata = '  name: falco-rules\n  namespace: falco\n'): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${metadata}data:\n${files.map(([key, text]) => `  ${key}: |\n${indented(text, '    ')}`).join('')}`;
}

/** The official files of three releases, twice, each under a key of its own (a rules folder kept for every
 *  release and a copy of it): 1.3 MB of rules. */
function manyReleases(): [string, string][] {
  const tags = ['falcosecurity__rules/tags/falco-rules-3.0.0', 'falcosecurity__rules/tags/falco-rules-5.0.0', 'falcosecurity__rules'];
  const names = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
  return ['a', 'b'].flatMap((copy) => tags.flatMap((tag, i) => names.map((f) => [`${copy}${i}-${f}`, read(`${tag}/${f}`)] as [string, string])));
}

const sizeFindings = (host: string) => analyzeHost(host).problems
  .filter((p) => /too-large/.test(p.code))
  .map((p) => ({ code: p.code, at: host.slice(p.span[0], p.span[1]), severity: p.severity, message: p.message }));

/** What client-side kubectl apply's annotations hold, computed apart: the object as JSON (JSON.stringify's escapes are
 *  encoding/json's for this text, but for its HTML escapes), `metadata.annotations` set, a line break after it. */
function annotationBytes(host: string, namespace?: string): number {
  const object = parse(host, { version: '1.1' });
  object.metadata.annotations ??= {};
  if (namespace) object.metadata.namespace = namespace;
  const json = JSON.stringify(object).replace(/[<>&]/g, '\\u003c');
  return Buffer.byteLength('kubectl.kubernetes.io/last-applied-configuration') + Buffer.byteLength(json) + 1;
}

test('the official rules in one ConfigMap: within 1 MiB, but client-side kubectl apply fails on its annotation', { skip }, () => {
  const files = [...OFFICIAL, ...PLUGINS].map((f) => [path.basename(f), read(f)] as [string, string]);
  const host = configMap(files);
  const data = files.reduce((n, [, text]) => n + Buffer.byteLength(text), 0);
  const bytes = annotationBytes(host);
  assert.ok(data < 1024 * 1024 && bytes > 256 * 1024, `${data} bytes of data, ${bytes} of annotations`);
  assert.deepEqual(sizeFindings(host), [{
    code: 'embedded-configmap-apply-too-large', at: 'data', severity: 'warning',
    message: `kubectl apply without --server-side fails on ConfigMap 'falco-rules': it copies the whole ConfigMap as JSON into the annotation kubectl.kubernetes.io/last-applied-configuration, which makes its annotations ${bytes} bytes, and the API server allows at most 262144 (256 KiB; 'metadata.annotations: Too long'). Its data (${data} bytes) is within the 1 MiB a ConfigMap may hold: apply it with kubectl apply --server-side, which writes no such annotation (or kubectl create, or kubectl replace, without --save-config), or split the files into several ConfigMaps and mount them where Falco reads them: one projected volume with a configMap source for each, mounted at the folder rules_files lists (/etc/falco/rules.d), or each ConfigMap at a folder of its own that rules_files lists.`,
  }]);
  // Without a namespace, kubectl writes the one it applies to: counted as 'default', and said.
  const bare = configMap(files, '  name: falco-rules\n  labels:\n    app.kubernetes.io/name: falco\n');
  const [finding] = sizeFindings(bare);
  assert.match(finding.message, new RegExp(`makes its annotations ${annotationBytes(bare, 'default')} bytes \\(counting the namespace kubectl writes into it as 'default'\\)`));
  // The annotations it has already count, and an older last-applied-configuration does not (kubectl replaces it).
  const annotated = configMap(files, `  name: falco-rules\n  namespace: falco\n  annotations:\n    owner: "platform <sec@example.com>"\n    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1"}'\n`);
  const owner = Buffer.byteLength('owner') + Buffer.byteLength('platform <sec@example.com>');
  const withOwner = parse(annotated, { version: '1.1' });
  delete withOwner.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const json = JSON.stringify(withOwner).replace(/[<>&]/g, '\\u003c');
  assert.match(sizeFindings(annotated)[0].message, new RegExp(`makes its annotations ${owner + Buffer.byteLength('kubectl.kubernetes.io/last-applied-configuration') + Buffer.byteLength(json) + 1} bytes,`));
  // The official rules alone fit.
  assert.deepEqual(sizeFindings(configMap([['falco_rules.yaml', read(OFFICIAL[0])]])), []);
});

test('a ConfigMap over 1 MiB: the API server refuses it however it is applied (an error at data)', { skip }, () => {
  const files = manyReleases();
  const host = configMap(files);
  const data = files.reduce((n, [, text]) => n + Buffer.byteLength(text), 0);
  assert.ok(data > 1024 * 1024, `${data} bytes`);
  assert.deepEqual(sizeFindings(host), [{
    code: 'embedded-configmap-too-large', at: 'data', severity: 'error',
    message: `Kubernetes refuses ConfigMap 'falco-rules': its data and binaryData values hold ${data} bytes, and a ConfigMap may hold at most 1048576 (1 MiB), however it is applied ('Too long: must have at most 1048576 bytes'). Keep each ConfigMap under 1 MiB: split the files into several ConfigMaps and mount them where Falco reads them: one projected volume with a configMap source for each, mounted at the folder rules_files lists (/etc/falco/rules.d), or each ConfigMap at a folder of its own that rules_files lists.`,
  }]);
  // binaryData counts as the bytes it decodes to, not its base64 text; keys kubectl drops do not count.
  const small = files.slice(0, 3);
  const smallData = small.reduce((n, [, text]) => n + Buffer.byteLength(text), 0);
  const pad = Buffer.alloc(1024 * 1024 - smallData + 1, 0x61);
  const binary = `binaryData:\n  pad.bin: ${pad.toString('base64')}\n`;
  assert.match(sizeFindings(`${configMap(small)}${binary}`)[0].message, new RegExp(`hold ${1024 * 1024 + 1} bytes`));
  const fitting = `binaryData:\n  pad.bin: ${pad.subarray(1).toString('base64')}\n`;
  assert.deepEqual(sizeFindings(`${configMap(small)}${fitting}`).map((f) => f.code), ['embedded-configmap-apply-too-large']);
});

test('the chart\'s customRules over 1 MiB: the chart\'s rules ConfigMap is refused (an error at customRules)', { skip }, () => {
  const files = manyReleases();
  const values = (list: [string, string][]) => `driver:\n  kind: modern_ebpf\ncustomRules:\n${list.map(([key, text]) => `  ${key}: |-\n${indented(text, '    ')}`).join('')}`;
  // The chart writes each entry as `key: |-`: its text without the trailing line break.
  const data = files.reduce((n, [, text]) => n + Buffer.byteLength(text.replace(/\n+$/, '')), 0);
  const found = sizeFindings(values(files));
  assert.deepEqual(found.map((f) => [f.code, f.at, f.severity]), [['embedded-chart-rules-too-large', 'customRules', 'error']]);
  assert.equal(found[0].message, `The chart writes every customRules entry into one ConfigMap ('<release>-rules', templates/rules-configmap.yaml), whose data would hold ${data} bytes, and Kubernetes refuses a ConfigMap over 1048576 bytes (1 MiB): the install or upgrade fails. Keep customRules under 1 MiB and put the other rules files in ConfigMaps of your own (each under 1 MiB), mounted with mounts.volumes and mounts.volumeMounts at a folder such as /etc/falco/rules.extra.d (a projected volume puts several ConfigMaps in one folder), and add that folder to falco.rules_files.`);
  // Helm writes no last-applied annotation: half of it says nothing.
  assert.deepEqual(sizeFindings(values(files.slice(0, 5))), []);
});

test('Go\'s JSON string bytes: escapes, HTML escapes, UTF-8', () => {
  assert.equal(goJsonStringBytes('a"b\\c\n\t'), 2 + 1 + 2 + 1 + 2 + 1 + 2 + 2);
  assert.equal(goJsonStringBytes('fd.num >= 0 & x<y'), Buffer.byteLength(JSON.stringify('fd.num >= 0 & x<y')) + 3 * 5);
  assert.equal(goJsonStringBytes('é€😀\u0001\u2028'), 2 + 2 + 3 + 4 + 6 + 6);
});
