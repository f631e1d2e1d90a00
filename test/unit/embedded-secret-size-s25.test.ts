// Session 25: Secrets holding Falco's files too large for Kubernetes. The API server converts a Secret's stringData
// into data (kubernetes pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret: "StringData overwrites Data")
// and ValidateSecret (pkg/apis/core/validation/validation.go) adds len() of the decoded data values against
// core.MaxSecretSize (1 MiB): the limit is on decoded bytes, not on the base64 text. Client-side kubectl apply copies
// the manifest as JSON into the last-applied-configuration annotation, data still in base64, which the API server
// refuses past 256 KiB of annotations. Fixtures: the corpus's official rules files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeHost } from '../../server/src/service/embedded/regions';
import { CORPUS_RULES, corpusExists } from './rules-host';

const skip = !corpusExists && 'corpus absent';
const read = (p: string) => fs.readFileSync(path.join(CORPUS_RULES, p), 'utf8');
const indented = (text: string, by: string) => text.replace(/^(?=.)/gm, by);
const NAMES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
const official = (tag: string) => NAMES.map((f) => [f, read(`${tag}/${f}`)] as [string, string]);
const V3 = 'falcosecurity__rules/tags/falco-rules-3.0.0';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function secret(data: readonly [string, string][], stringData: readonly [string, string][] = []): string {
  return 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: falco-rules\n  namespace: falco\ntype: Opaque\n'
    + (data.length ? `data:\n${data.map(([k, v]) => `  ${k}: ${b64(v)}\n`).join('')}` : '')
    + (stringData.length ? `stringData:\n${stringData.map(([k, v]) => `  ${k}: |\n${indented(v, '    ')}`).join('')}` : '');
}

const sizeFindings = (host: string) => analyzeHost(host).problems
  .filter((p) => /too-large/.test(p.code))
  .map((p) => ({ code: p.code, at: host.slice(p.span[0], p.span[1]), severity: p.severity, message: p.message }));

test('base64 data counts decoded against 1 MiB: the three official files of rules 3.0.0 fit, but client-side apply\'s copy does not', { skip }, () => {
  const files = official(V3);
  const decoded = files.reduce((n, [, t]) => n + Buffer.byteLength(t), 0);
  assert.ok(decoded < 262144 && decoded * 4 / 3 > 262144, String(decoded));
  const found = sizeFindings(secret(files));
  assert.deepEqual(found.map((f) => [f.code, f.at, f.severity]), [['embedded-secret-apply-too-large', 'data', 'warning']]);
  assert.match(found[0].message, new RegExp(`^kubectl apply without --server-side fails on Secret 'falco-rules': it copies the whole Secret as JSON, data in base64 and stringData as written, .* Its entries \\(${decoded} bytes decoded\\) are within the 1 MiB a Secret may hold`));
  // The same files as stringData: the annotation holds them as text (a line break is two bytes), under 256 KiB.
  assert.deepEqual(sizeFindings(secret([], files)), []);
});

test('past 1 MiB decoded: an error, stringData counted and replacing the data entry of its key', { skip }, () => {
  const tags = [V3, 'falcosecurity__rules/tags/falco-rules-5.0.0', 'falcosecurity__rules'];
  const many = ['a', 'b'].flatMap((copy) => tags.flatMap((tag, i) => official(tag).map(([f, t]) => [`${copy}${i}-${f}`, t] as [string, string])));
  const total = many.reduce((n, [, t]) => n + Buffer.byteLength(t), 0);
  assert.ok(total > 1048576, String(total));
  const found = sizeFindings(secret(many));
  assert.deepEqual(found.map((f) => [f.code, f.at, f.severity]), [['embedded-secret-too-large', 'data', 'error']]);
  assert.match(found[0].message, new RegExp(`^Kubernetes refuses Secret 'falco-rules': its entries hold ${total} bytes \\(data decoded from base64`));
  // Half in data, half in stringData: the sum counts.
  const half = many.length / 2;
  const split = sizeFindings(secret(many.slice(0, half), many.slice(half)));
  assert.deepEqual(split.map((f) => [f.code, f.at]), [['embedded-secret-too-large', 'data']]);
  // A stringData entry replaces the data entry of its key: the big data entries, each replaced by a small text, count
  // as that text (the annotation still holds the base64 text, past 256 KiB: the apply warning only).
  const replaced = sizeFindings(secret(many, many.map(([k]) => [k, '- list: a\n  items: []\n'])));
  assert.deepEqual(replaced.map((f) => f.code), ['embedded-secret-apply-too-large']);
  assert.match(replaced[0].message, new RegExp(`Its entries \\(${many.length * Buffer.byteLength('- list: a\n  items: []\n')} bytes decoded\\)`));
});

test('a Secret holding no file of Falco\'s is not judged; a small one has no finding', { skip }, () => {
  const [, rules] = official(V3)[2];
  const other = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  tls.crt: ${b64('x'.repeat(1100000))}\n`;
  // The file holds Falco's ConfigMap too (so it is read); the big Secret is a certificate's, not Falco's files.
  const host = `${other}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  r.yaml: |\n    - list: a\n      items: []\n`;
  assert.deepEqual(sizeFindings(host), []);
  assert.deepEqual(sizeFindings(secret([['falco.yaml', 'stdout_output:\n  enabled: true\n']], [['rules.yaml', rules]])), []);
});
