// How large a ConfigMap or a Secret is to Kubernetes, and what client-side `kubectl apply` adds to it.
//
// Facts (read in the sources, session 24):
// - The API server refuses a ConfigMap whose data and binaryData values together hold more than 1 MiB: ValidateConfigMap
//   adds len(value) of every data entry (a Go string: its UTF-8 bytes) and of every binaryData entry (the decoded
//   bytes) and fails past core.MaxSecretSize, 1024 * 1024 ('Too long: must have at most 1048576 bytes'; kubernetes
//   pkg/apis/core/validation/validation.go at 000f2605, pkg/apis/core/types.go MaxSecretSize). Keys and the rest of
//   the object do not count. This holds however the ConfigMap is sent (create, replace, apply, server-side apply,
//   Helm).
// - Client-side `kubectl apply` writes the object it applies, as JSON, into the annotation
//   kubectl.kubernetes.io/last-applied-configuration, on create and on update (kubectl pkg/util/apply.go
//   GetModifiedConfiguration and CreateApplyAnnotation, pkg/cmd/apply/apply.go, at dee3483a3): the object without that
//   annotation, with `metadata.annotations` set (`{}` where it had none), encoded by unstructured.UnstructuredJSONScheme,
//   which is encoding/json's Encoder (HTML escaping on, a line break after the value; apimachinery
//   pkg/apis/meta/v1/unstructured/helpers.go doEncode). The API server refuses annotations whose keys and values
//   together exceed 256 KiB (apimachinery pkg/api/validation/objectmeta.go ValidateAnnotationsSize,
//   TotalAnnotationSizeLimitB = 262144, at eed236ce: 'metadata.annotations: Too long: must have at most 262144 bytes'),
//   so client-side apply fails on a ConfigMap of a few hundred KiB of rules, well under the 1 MiB.
// - `kubectl apply --server-side` writes no such annotation (the object is sent as an apply patch); the API server
//   keeps one written by an earlier client-side apply up to date only where it fits, and drops it otherwise
//   (apimachinery pkg/util/managedfields/internal/lastapplied.go SetLastApplied). `kubectl create` and
//   `kubectl replace` write it only with --save-config.
// - kubectl sets metadata.namespace to the namespace it applies to where the manifest names none (cli-runtime
//   resource visitor UpdateObjectNamespace), which the annotation then holds: Falco Lens counts it as 'default'.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { kubectlScalar } from '../kubectlYaml';
import { goMapKey } from './operatorScalars';

/** core.MaxSecretSize: what a ConfigMap's (and a Secret's) values may hold together. */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;
/** TotalAnnotationSizeLimitB: what an object's annotations, keys and values, may hold together. */
export const MAX_ANNOTATION_BYTES = 256 * 1024;
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The namespace Falco Lens counts where the manifest names none (kubectl writes the one it applies to). */
export const ASSUMED_NAMESPACE = 'default';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** The bytes of `s` as Go's encoding/json Encoder writes it, quotes included: `"` and `\` escaped, \b \f \n \r \t as
 *  two characters, other control characters and, HTML escaping being on, `<`, `>`, `&`, U+2028 and U+2029 as \uXXXX. */
export function goJsonStringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) n += 2;
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) n += 6;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** The pairs of a mapping as the Go map go-yaml v2 decodes it into, by JSON key: in order, a later pair replacing an
 *  earlier one, a `<<` merge writing the pairs of its mapping (of a list of mappings, the last first) where it stands
 *  (decode.go at v2.4.0 `mapping`, `merge`). Keys kubectl refuses are left out. */
function goMapPairs(node: unknown, doc: Document, depth: number): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isMap(node) || depth > 64) return out;
  let nans = 0;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    if (isScalar(pair.key) && pair.key.type === 'PLAIN' && pair.key.tag === undefined && pair.key.source === '<<') {
      const source = resolved(pair.value, doc);
      const sources = isSeq(source) ? [...source.items].reverse().map((s) => resolved(s, doc)) : [source];
      for (const s of sources) for (const [k, v] of goMapPairs(s, doc, depth + 1)) out.set(k, v);
      continue;
    }
    const key = goMapKey(resolved(pair.key, doc), () => `nan:${nans++}`);
    if (key) out.set(key.json, pair.value);
  }
  return out;
}

function resolved(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The bytes of `node` as JSON, as kubectl sends it (YAML 1.1 scalars, sigs.k8s.io/yaml; an integer past int64 as the
 *  float64 it becomes). */
function jsonBytes(node: unknown, doc: Document, depth = 0): number {
  node = resolved(node, doc);
  if (depth > 64) return 0;
  if (isMap(node)) return mapBytes(goMapPairs(node, doc, depth), doc, depth);
  if (isSeq(node)) return 2 + Math.max(0, node.items.length - 1) + node.items.reduce((n: number, item) => n + jsonBytes(item, doc, depth + 1), 0);
  const read = kubectlScalar(node);
  if (!read) return 0;
  switch (read.type) {
    case 'string': return goJsonStringBytes(read.value);
    case 'boolean': return read.value ? 4 : 5;
    case 'null': return 4;
    case 'int': return read.value <= 2n ** 63n - 1n ? read.value.toString().length : String(Number(read.value)).length;
    case 'float': return Number.isFinite(read.value) ? String(read.value).length : 0;
  }
}

/** The bytes of a mapping's JSON; `sizes` gives those of the values that are not the manifest's (what kubectl
 *  changes in metadata). */
function mapBytes(pairs: ReadonlyMap<string, unknown>, doc: Document, depth: number, sizes: ReadonlyMap<string, number> = new Map()): number {
  let n = 2 + Math.max(0, pairs.size - 1);
  for (const [key, value] of pairs) n += goJsonStringBytes(key) + 1 + (sizes.get(key) ?? jsonBytes(value, doc, depth + 1));
  return n;
}

/** What the API server counts of a ConfigMap against MAX_CONFIG_MAP_BYTES: the UTF-8 bytes of its data values (a null
 *  counted as the empty text) and the decoded bytes of its binaryData values, the pairs kubectl keeps. */
export function configMapDataBytes(root: unknown, doc: Document): number {
  const pairs = goMapPairs(root, doc, 0);
  let n = 0;
  for (const value of goMapPairs(resolved(pairs.get('data'), doc), doc, 1).values()) {
    const read = kubectlScalar(resolved(value, doc));
    if (read?.type === 'string') n += utf8(read.value);
  }
  for (const value of goMapPairs(resolved(pairs.get('binaryData'), doc), doc, 1).values()) {
    const read = kubectlScalar(resolved(value, doc));
    // encoding/json decodes a []byte with base64.StdEncoding, which skips line breaks.
    if (read?.type === 'string') n += Buffer.from(read.value.replace(/[\r\n]/g, ''), 'base64').length;
  }
  return n;
}

/**
 * A Secret's entries as the API server holds them: each `data` value decoded from base64 (encoding/json decodes a
 * []byte with base64.StdEncoding, line breaks skipped), then each `stringData` value as its UTF-8 bytes, replacing a
 * data entry of the same key (kubernetes pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret: "StringData
 * overwrites Data"). ValidateSecret (pkg/apis/core/validation/validation.go) adds len(value) of these decoded entries
 * against core.MaxSecretSize: the 1 MiB is of decoded bytes, not of the base64 text.
 */
export function secretEntries(root: unknown, doc: Document): Map<string, Buffer> {
  const pairs = goMapPairs(root, doc, 0);
  const out = new Map<string, Buffer>();
  for (const [key, value] of goMapPairs(resolved(pairs.get('data'), doc), doc, 1)) {
    const read = kubectlScalar(resolved(value, doc));
    out.set(key, read?.type === 'string' ? Buffer.from(read.value.replace(/[\r\n]/g, ''), 'base64') : Buffer.alloc(0));
  }
  for (const [key, value] of goMapPairs(resolved(pairs.get('stringData'), doc), doc, 1)) {
    const read = kubectlScalar(resolved(value, doc));
    out.set(key, Buffer.from(read?.type === 'string' ? read.value : '', 'utf8'));
  }
  return out;
}

/** The annotations' bytes of the object client-side kubectl apply sends (its other annotations, the key and value of
 *  last-applied-configuration), and whether the namespace in it is ASSUMED_NAMESPACE. */
export function lastAppliedAnnotationBytes(root: unknown, doc: Document): { bytes: number; assumedNamespace: boolean } {
  const pairs = goMapPairs(root, doc, 0);
  const metadata = new Map(goMapPairs(resolved(pairs.get('metadata'), doc), doc, 1));
  const annotations = goMapPairs(resolved(metadata.get('annotations'), doc), doc, 2);
  annotations.delete(LAST_APPLIED_ANNOTATION);
  let others = 0;
  for (const [key, value] of annotations) {
    const read = kubectlScalar(resolved(value, doc));
    others += utf8(key) + (read?.type === 'string' ? utf8(read.value) : 0);
  }
  const namespace = kubectlScalar(resolved(metadata.get('namespace'), doc));
  const assumedNamespace = namespace?.type !== 'string' || namespace.value === '';
  const sizes = new Map<string, number>([['annotations', mapBytes(annotations, doc, 2)]]);
  metadata.set('annotations', undefined);
  if (assumedNamespace) { metadata.set('namespace', undefined); sizes.set('namespace', goJsonStringBytes(ASSUMED_NAMESPACE)); }
  const objectSizes = new Map([['metadata', mapBytes(metadata, doc, 1, sizes)]]);
  const top = new Map(pairs);
  top.set('metadata', undefined);
  // The JSON, then the line break the Encoder writes after it.
  const value = mapBytes(top, doc, 0, objectSizes) + 1;
  return { bytes: others + utf8(LAST_APPLIED_ANNOTATION) + value, assumedNamespace };
}
