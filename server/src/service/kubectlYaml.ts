// How kubectl reads a scalar of a manifest, which is not how the yaml package (YAML 1.2's core schema) reads it.
//
// Facts. kubectl, Helm and the other clients built on sigs.k8s.io/yaml turn a manifest into JSON before the API server
// sees it: YAMLToJSON unmarshals it with go-yaml v2 (sigs.k8s.io/yaml v1.6.0 yaml.go:146, importing go.yaml.in/yaml/v2)
// into interface{} values, then writes them as JSON. go-yaml v2 resolves an untagged plain scalar by YAML 1.1's rules
// (resolve.go at v2.4.0, `resolve`): a table of words (y/yes/true/on and n/no/false/off in three casings each,
// booleans; ~, null and the empty scalar, null; .inf, .nan and their casings, floats), then for a scalar starting with
// a digit or a sign, its text without '_' through Go's strconv.ParseInt(s, 0, 64) (prefixes 0x, 0o, 0b, and a leading
// 0 for octal: Go 1.13 and later read 0o17 as 15, though YAML 1.1 has no 0o form), ParseUint, and a float of the form
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?; a scalar starting with '.' through ParseFloat as written (its
// '_' kept: Go's float syntax allows one between two digits, strconv/atof.go readFloat and underscoreOK, so .5_5 is
// 0.55 and ._5 a string). A float past the largest double fails (ErrRange) and stays a string; one below the smallest
// is 0. Sexagesimal numbers (1:30) are left strings on purpose (resolve.go's comment),
// and a timestamp (2024-01-02) is kept as its text when unmarshalled into interface{} (decode.go:474-480). Quoted and
// block scalars, and tagged ones, are strings or what their tag says. So `0777` is 511 for kubectl and 777 for the
// yaml package; `1_000`, `0b101` and `yes` are numbers and a boolean for kubectl, strings for the yaml package.
import { isScalar } from 'yaml';

/** A scalar as kubectl reads it. */
export type KubectlScalar =
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'int'; value: bigint }
  | { type: 'float'; value: number };

const words = (list: string, value: KubectlScalar): [string, KubectlScalar][] => list.split(' ').map((w) => [w, value]);
const WORDS: ReadonlyMap<string, KubectlScalar> = new Map([
  ...words('y Y yes Yes YES true True TRUE on On ON', { type: 'boolean', value: true }),
  ...words('n N no No NO false False FALSE off Off OFF', { type: 'boolean', value: false }),
  ...words('~ null Null NULL', { type: 'null' }), ['', { type: 'null' }],
  ...words('.nan .NaN .NAN', { type: 'float', value: NaN }),
  ...words('.inf .Inf .INF +.inf +.Inf +.INF', { type: 'float', value: Infinity }),
  ...words('-.inf -.Inf -.INF', { type: 'float', value: -Infinity }),
]);

/** strconv.ParseInt/ParseUint with base 0 (Go 1.13 and later): an optional sign, then a prefixed or decimal number. */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What ParseFloat reads of a text starting with '.': digits, an exponent, a '_' only between two digits. */
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** How go-yaml v2 resolves an untagged plain scalar of this text (resolve.go `resolve`). */
export function kubectlPlain(text: string): KubectlScalar {
  const word = WORDS.get(text);
  if (word) return word;
  const first = text[0];
  if (first === '.') {
    const n = DOT_FLOAT.test(text) ? Number(text.replace(/_/g, '')) : NaN;
    return Number.isFinite(n) ? { type: 'float', value: n } : { type: 'string', value: text };
  }
  if (first === undefined || !/[-+0-9]/.test(first)) return { type: 'string', value: text };
  const plain = text.replace(/_/g, '');
  const int = GO_INT.exec(plain);
  if (int) {
    const digits = int[2];
    const magnitude = /^0[0-7]/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : /^0[oO]/.test(digits) ? BigInt(`0o${digits.slice(2)}`) : BigInt(digits);
    const value = int[1] === '-' ? -magnitude : magnitude;
    // ParseInt within int64, else ParseUint (no sign) within uint64; past both, the float form below.
    if ((value >= INT64_MIN && value <= INT64_MAX) || (int[1] === '' && value <= UINT64_MAX)) return { type: 'int', value };
  }
  if (YAML_FLOAT.test(plain)) {
    // ParseFloat fails (ErrRange) past the largest double: the scalar stays a string.
    const n = Number(plain);
    if (Number.isFinite(n)) return { type: 'float', value: n };
  }
  return { type: 'string', value: text };
}

/** A YAML node (a scalar of the yaml package, or anything else) as kubectl reads it where it is a scalar; undefined
 *  for a collection. An untagged plain scalar is resolved as go-yaml v2 does; any other scalar keeps the yaml
 *  package's value (a quoted or block scalar is a string, a tag says its type). */
export function kubectlScalar(node: unknown): KubectlScalar | undefined {
  if (node === null || node === undefined) return { type: 'null' };
  if (!isScalar(node)) return undefined;
  if (node.type === 'PLAIN' && node.tag === undefined) return kubectlPlain(node.source ?? String(node.value ?? ''));
  const v = node.value;
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'boolean', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int', value: BigInt(v) } : { type: 'float', value: v };
  return v === null || v === undefined ? { type: 'null' } : { type: 'string', value: String(v) };
}

/** What kubectl reads, in words: `the number 511`, `the boolean true`, `null`. */
export function kubectlWords(value: KubectlScalar): string {
  switch (value.type) {
    case 'string': return `the string '${value.value}'`;
    case 'boolean': return `the boolean ${value.value}`;
    case 'null': return 'null';
    case 'int': return `the number ${value.value}`;
    case 'float': return `the number ${Number.isNaN(value.value) ? 'NaN' : value.value === Infinity ? '+Inf' : value.value === -Infinity ? '-Inf' : String(value.value)}`;
  }
}

// What Falco reads from a Falco Operator resource's structured fields (spec.inlineRules, spec.config), read from the
// sources in session 17. kubectl sends its reading above as JSON written by encoding/json (sigs.k8s.io/yaml v1.6.0
// yaml.go: YAMLToJSON's json.Marshal, with jsonTarget nil, so no value is turned into a string): an int or a uint64 in
// decimal, a float64 by floatEncoder (the Go copy in sigs.k8s.io/json internal/golang/encoding/json/encode.go:528-558:
// its shortest digits, 'e' form below 1e-6 and from 1e21 on, `e-09` written `e-9`, as JavaScript's number to string
// does), and ±Inf or NaN refused ('json: unsupported value'). The API server decodes a custom resource with
// k8s.io/apimachinery/pkg/util/json Unmarshal (unstructured helpers.go decode), which is sigs.k8s.io/json's
// UnmarshalCaseSensitivePreserveInts: a number whose text has no '.' and parses as a base-10 int64 is an int64, any
// other a float64 (internal/golang/encoding/json/decode.go:921-933), and it writes the object back with
// encoding/json (util/json NewEncoder), in etcd and to its clients alike. The operator receives that JSON text
// untouched (spec.inlineRules and spec.config are apiextensionsv1.JSON, raw bytes: api/artifact/v1alpha1
// rulesfile_types.go:31, config_types.go:29 at v0.4.1) and writes it back as YAML with sigs.k8s.io/yaml JSONToYAML
// (falco-operator internal/pkg/common/json.go JSONRawToYAML, v0.2.0 to v0.4.1 and main; sigs.k8s.io/yaml v1.6.0
// yaml.go:105-126): go-yaml v2 (go.yaml.in/yaml/v2 v2.4.3 in the operator's go.mod, whose decode.go, resolve.go and
// encode.go are v2.4.0's) reads the JSON by the rules above and Marshal writes each value (encode.go: a string as
// itself, quoted where it would read as another type; a bool as true/false; an int or a uint in decimal; a float
// with strconv.FormatFloat(f, 'g', -1, 64), encode.go:370). Falco reads that text with yaml-cpp. So a plain `0777`
// reaches Falco as `511`, `yes` as `true`, `1_000` as `1000`; a string (quoted, or plain and a string for kubectl)
// and null are unchanged.

/** Go's strconv.FormatFloat(v, 'g', -1, 64) for a finite v: the shortest digits, in %e form when the exponent is
 *  below -4 or at least 6 (the shortest form's precision, ftoa.go), with at least two exponent digits. */
function goFloat(v: number): string {
  const [mantissa, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** Go's strconv.FormatFloat(v, 'g', -1, 32): v as a float32 (past its range ±Inf), in the fewest digits that read back
 *  as that float32, laid out as goFloat does. */
function goFloat32(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  for (let p = 1; p <= 9; p++) {
    const shortest = Number(f.toPrecision(p));
    if (Math.fround(shortest) === f) return goFloat(shortest);
  }
  return goFloat(f);
}

/**
 * What a mapping key becomes on its way to Falco, where kubectl reads it as no string: JSON has only text keys, and
 * sigs.k8s.io/yaml's YAMLToJSON (convertToJSONableObject, yaml.go:205-249 at v1.6.0) writes a bool key as true or
 * false, an int key in decimal (strconv.Itoa), a float key with strconv.FormatFloat(f, 'g', -1, 32) (.inf, -.inf and
 * .nan for the infinities and NaN), and refuses any other ('unsupported map key of type'): null (`~:`) and a uint64
 * past int64. The operator writes the text key back quoted where it would read as another type (go-yaml encode.go
 * stringv), so Falco reads the text. `{ text }` for a key that changes, `{ refused }` naming the type kubectl refuses,
 * undefined for a key that stays as written.
 */
export function kubectlKey(node: unknown): { text: string } | { refused: string } | undefined {
  if (!isScalar(node) || node.type !== 'PLAIN' || node.tag !== undefined || node.source === undefined) return undefined;
  const read = kubectlPlain(node.source);
  return read.type === 'string' ? undefined : jsonKey(read);
}

/** The JSON key YAMLToJSON writes for a key kubectl reads so (kubectlKey), or the type it refuses. */
export function jsonKey(read: KubectlScalar): { text: string } | { refused: string } {
  switch (read.type) {
    case 'string': return { text: read.value };
    case 'boolean': return { text: String(read.value) };
    case 'null': return { refused: '<nil>' };
    case 'int': return read.value <= INT64_MAX ? { text: read.value.toString() } : { refused: 'uint64' };
    case 'float': {
      const text = goFloat32(read.value);
      return { text: text === '+Inf' ? '.inf' : text === '-Inf' ? '-.inf' : text === 'NaN' ? '.nan' : text };
    }
  }
}

/** The JSON text of a number as the API server keeps it (the facts above). kubectl writes it with encoding/json (an
 *  integer in decimal; a float64 as JavaScript's number to string writes it), and the API server reads it back as an
 *  int64 where the text has no '.' and is a base-10 int64, else as a float64, which it writes again the same way: 2^63
 *  (a uint64 for kubectl) comes back as 9223372036854776000, -0.0 (written -0) as 0. */
function apiServerNumber(value: { type: 'int'; value: bigint } | { type: 'float'; value: number }): string {
  const text = value.type === 'int' ? value.value.toString() : String(value.value);
  if (!text.includes('.') && /^[-+]?[0-9]+$/.test(text)) {
    const n = BigInt(text);
    if (n >= INT64_MIN && n <= INT64_MAX) return n.toString();
  }
  return String(Number(text));
}

/** The text of the scalar the operator writes for a value kubectl read so, or undefined where kubectl refuses the
 *  manifest (a float JSON cannot hold). A number goes through the API server's JSON (apiServerNumber), which go-yaml
 *  reads again (an int, a uint64, else a float) and writes in decimal, or a float with FormatFloat 'g'. */
export function operatorWrittenBack(value: KubectlScalar): string | undefined {
  switch (value.type) {
    case 'string': return value.value;
    case 'boolean': return String(value.value);
    case 'null': return 'null';
    case 'int':
    case 'float': {
      if (value.type === 'float' && !Number.isFinite(value.value)) return undefined;
      const read = kubectlPlain(apiServerNumber(value));
      return read.type === 'int' ? read.value.toString() : read.type === 'float' ? goFloat(read.value) : undefined;
    }
  }
}

/**
 * The text of the scalar the Falco chart writes into falco.yaml for a `falco:` value Helm read so, or undefined where
 * Helm refuses the values (a float JSON cannot hold). Helm reads a values file with sigs.k8s.io/yaml Unmarshal
 * (helm pkg/chartutil/values.go ReadValues at v3.19.5; pkg/chart/common/values.go at v4): YAMLToJSON as kubectl does,
 * then encoding/json into map[string]interface{}, where every number is a float64 (sigs.k8s.io/yaml v1.6.0 yaml.go:49:
 * integers past 2^53 lose precision). The chart writes `falco:` with toYaml (charts/falco templates/configmap.yaml;
 * helm pkg/engine/funcs.go toYAML: sigs.k8s.io/yaml Marshal), which is json.Marshal (a float64 in its shortest digits,
 * 'e' form below 1e-6 and from 1e21 on, as JavaScript writes a number) then JSONToYAML: go-yaml v2 reads that number
 * again (an int, else a float) and writes it in decimal, or a float with FormatFloat 'g'. Strings, booleans and null
 * go as for the operator (operatorWrittenBack). So `0777` reaches Falco as `511`, `1_000` as `1000`, `yes` as `true`.
 */
export function helmWrittenBack(value: KubectlScalar): string | undefined {
  if (value.type !== 'int' && value.type !== 'float') return operatorWrittenBack(value);
  const n = Number(value.value);
  if (!Number.isFinite(n)) return undefined;
  const read = kubectlPlain(String(n));
  return read.type === 'int' ? read.value.toString() : read.type === 'float' ? goFloat(read.value) : undefined;
}

/** How Falco asks yaml-cpp for a value: as a string (the text), a bool, an integer or a double; or as JSON, as it
 *  turns a plugin's init_config mapping into the plugin's JSON (yaml_helper.h convert<nlohmann::json> at 0.44.0: an
 *  int, else a double, else a bool, else the text, whether quoted or not). */
export type YamlCppType = 'string' | 'bool' | 'int' | 'number' | 'json';

const YAML_CPP_BOOL: ReadonlyMap<string, boolean> = new Map([
  ...'y yes true on'.split(' ').map((w) => [w, true] as const), ...'n no false off'.split(' ').map((w) => [w, false] as const),
]);

/**
 * What yaml-cpp's convert gives for a scalar's text, in words, or undefined where it does not convert (convert.cpp
 * and convert.h at 0.8.0, Falco's): a bool from y/yes/true/on or n/no/false/off in lower, upper or capitalized case
 * (IsFlexibleCase); an integer through a stringstream whose base the text decides (`0x1F` hex, `0777` octal, nothing
 * may follow: `1_000` and `0b101` do not convert); a double through a stringstream, or .inf/.nan. An int is read
 * into an int (convert<int>) by the JSON reading; the range is not checked.
 */
export function yamlCppReads(text: string, as: YamlCppType): string | undefined {
  switch (as) {
    case 'string': return `'${text}'`;
    case 'bool': {
      const flexible = text === text.toLowerCase() || text === text.toUpperCase() || text === text[0] + text.slice(1).toLowerCase();
      const b = flexible ? YAML_CPP_BOOL.get(text.toLowerCase()) : undefined;
      return b === undefined ? undefined : String(b);
    }
    case 'int': {
      const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
      if (!m) return undefined;
      const d = m[2];
      const n = /^0[xX]/.test(d) ? BigInt(d) : d.length > 1 && d.startsWith('0') ? BigInt(`0o${d.slice(1)}`) : BigInt(d);
      return String(m[1] === '-' ? -n : n);
    }
    case 'number': {
      if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return String(Number(text));
      if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? '-Infinity' : 'Infinity';
      return /^\.(nan|NaN|NAN)$/.test(text) ? 'NaN' : undefined;
    }
    case 'json': return yamlCppReads(text, 'int') ?? yamlCppReads(text, 'number') ?? yamlCppReads(text, 'bool') ?? `'${text}'`;
  }
}
