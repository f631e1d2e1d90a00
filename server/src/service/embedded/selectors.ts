// The nodes a Falco Operator resource's spec.selector picks, by meaning rather than by spelling.
//
// Facts. The artifact operator of each Falco pod writes a Rulesfile or a Config only where NodeMatchesSelector says
// its own node matches (falco-operator v0.4.1 controllers/artifact/rulesfile/controller.go:102, config/controller.go:100;
// the same from v0.1.0): a nil selector matches every node (internal/pkg/controllerhelper/node.go:32-35), any other goes
// through metav1.LabelSelectorAsSelector (node.go:52), which gives labels.Everything() for a selector with no
// matchLabels and no matchExpressions, and else one requirement per matchLabels pair (Equals, one value) and per
// matchExpressions item, ANDed (apimachinery v0.36.2, the operator's go.mod, pkg/apis/meta/v1/helpers.go:36-72; the
// CRD says the same: a matchLabels pair "is equivalent to an element of matchExpressions, whose key field is 'key', the
// operator is 'In', and the values array contains only 'value'", chart/falco-operator/crds/
// artifact.falcosecurity.dev_rulesfiles.yaml:139-185). A requirement matches a node's labels as labels.Requirement.Matches
// says (pkg/labels/selector.go:247-266): In (and Equals) when the label is there with one of the values; NotIn when it
// is absent or has none of them; Exists when it is there; DoesNotExist when it is not. An operator other than In,
// NotIn, Exists and DoesNotExist, In or NotIn without values, Exists or DoesNotExist with values, or a key or value
// that is not a valid label key or value makes LabelSelectorAsSelector fail (helpers.go:61, selector.go:185-224):
// NodeMatchesSelector returns the error and the operator writes the resource on no node, retrying.
//
// So a selector is, per label key, the states of that label it lets through: absent or not, and a value among a
// finite set or outside one. The ANDed requirements of one key are the intersection of their sets; keys are
// independent (a node may carry any labels). That per-key form is the normal form compared here: two selectors pick
// the same nodes exactly when their normal forms are equal.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { kubectlScalar, kubectlWords } from '../kubectlYaml';
import { yamlQuote } from '../yamlText';

/** The value of a selector key (regions.ts selectorKey) where it is a mapping, as a label selector is; else undefined
 *  (a value the CRD refuses). */
export function selectorValue(key: string): Record<string, unknown> | undefined {
  let value: unknown;
  try { value = JSON.parse(key); } catch { return undefined; }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** What one label key may be on a picked node: absent (`absent`), and which values: those of `values` (`finite`),
 *  or any but those. */
interface KeyRule { absent: boolean; finite: boolean; values: string[] }

/** The nodes a valid selector picks: `rules` per label key (none: every node; `none`, no node at all), and `key`,
 *  the normal form as a string. */
interface Nodes { rules: Map<string, KeyRule>; none: boolean; key: string }

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A valid label key (validation.IsQualifiedName): an optional DNS subdomain prefix and '/', then a name. */
function validKey(key: unknown): key is string {
  if (typeof key !== 'string') return false;
  const slash = key.indexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** A valid label value (validation.IsValidLabelValue): empty, or a name of at most 63 characters. */
function validValue(value: unknown): value is string {
  return typeof value === 'string' && (value === '' || (value.length <= 63 && LABEL_NAME.test(value)));
}

function intersect(a: KeyRule, b: KeyRule): KeyRule {
  const absent = a.absent && b.absent;
  if (a.finite && b.finite) return { absent, finite: true, values: a.values.filter((v) => b.values.includes(v)) };
  if (a.finite || b.finite) {
    const [set, out] = a.finite ? [a, b] : [b, a];
    return { absent, finite: true, values: set.values.filter((v) => !out.values.includes(v)) };
  }
  return { absent, finite: false, values: [...new Set([...a.values, ...b.values])].sort() };
}

const known = new Map<string, Nodes | null>();
const SELECTOR_FIELDS = ['matchLabels', 'matchExpressions'];
const EXPRESSION_FIELDS = ['key', 'operator', 'values'];

/**
 * A selector's value as the API server stores it: without the fields a label selector does not have (the CRD's
 * structural schema prunes them, apiextensions-apiserver pkg/apiserver/schema/pruning at v0.36.2; kubectl apply
 * refuses them first unless told not to validate strictly, selectorProblems), at spec.selector and in each
 * matchExpressions item. `dropped`: their paths, in the order written.
 */
export function storedSelector(value: Record<string, unknown>): { value: Record<string, unknown>; dropped: string[] } {
  const dropped: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!SELECTOR_FIELDS.includes(k)) dropped.push(`spec.selector.${k}`);
    else if (k === 'matchExpressions' && Array.isArray(v)) {
      out[k] = v.map((e: unknown) => {
        if (e === null || typeof e !== 'object' || Array.isArray(e)) return e;
        const kept: Record<string, unknown> = {};
        for (const [f, x] of Object.entries(e)) {
          if (EXPRESSION_FIELDS.includes(f)) kept[f] = x;
          else dropped.push(`spec.selector.matchExpressions[].${f}`);
        }
        return kept;
      });
    } else out[k] = v;
  }
  return { value: out, dropped };
}

/** The fields of a selector key (regions.ts selectorKey) that the API server drops (storedSelector), by path. */
export function droppedFields(selector: string | undefined): string[] {
  const value = selector === undefined ? undefined : selectorValue(selector);
  return value ? storedSelector(value).dropped : [];
}

/** The nodes of a selector key (regions.ts selectorKey) as the API server stores it (storedSelector); null for a
 *  selector the operator cannot read (written on no node) or one that is not a mapping. */
function nodesOf(selector: string): Nodes | null {
  const cached = known.get(selector);
  if (cached !== undefined) return cached;
  const value = selectorValue(selector);
  let out: Nodes | null = null;
  if (value) out = readSelector(storedSelector(value).value);
  if (known.size >= 256) known.clear();
  known.set(selector, out);
  return out;
}

function readSelector(value: Record<string, unknown>): Nodes | null {
  const requirements: [string, KeyRule][] = [];
  const labels = value.matchLabels ?? {};
  const expressions = value.matchExpressions ?? [];
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels) || !Array.isArray(expressions)) return null;
  for (const [k, v] of Object.entries(labels)) {
    // The API server drops a null it has no default for (a label without a value): not a requirement.
    if (v === null) continue;
    if (!validKey(k) || !validValue(v)) return null;
    requirements.push([k, { absent: false, finite: true, values: [v] }]);
  }
  for (const e of expressions as unknown[]) {
    if (e === null || typeof e !== 'object') return null;
    const { key, operator, values: given } = e as { key?: unknown; operator?: unknown; values?: unknown };
    const values = given ?? [];
    if (!validKey(key) || !Array.isArray(values) || !values.every(validValue)) return null;
    const set = [...new Set(values as string[])].sort();
    if (operator === 'In' && set.length > 0) requirements.push([key, { absent: false, finite: true, values: set }]);
    else if (operator === 'NotIn' && set.length > 0) requirements.push([key, { absent: true, finite: false, values: set }]);
    else if (operator === 'Exists' && values.length === 0) requirements.push([key, { absent: false, finite: false, values: [] }]);
    else if (operator === 'DoesNotExist' && values.length === 0) requirements.push([key, { absent: true, finite: true, values: [] }]);
    else return null;
  }
  const rules = new Map<string, KeyRule>();
  for (const [k, rule] of requirements) rules.set(k, rules.has(k) ? intersect(rules.get(k)!, rule) : rule);
  const sorted = [...rules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, r] of sorted) if (r.finite) r.values.sort();
  const none = sorted.some(([, r]) => !r.absent && r.finite && r.values.length === 0);
  return { rules: new Map(sorted), none, key: none ? 'none' : JSON.stringify(sorted.map(([k, r]) => [k, r.absent, r.finite, r.values])) };
}

/** A finding of a resource's spec.selector (regions.ts: a holder problem at `span`), with the quick fix's replacement
 *  of the span where there is one. */
export interface SelectorProblem { span: readonly [number, number]; severity: 'error' | 'warning'; message: string; replacement?: string; fixTitle?: string }

/**
 * What Kubernetes and the operator do with a Rulesfile's or a Config's spec.selector (the YAML node; `kind` names the
 * resource), said at the key or value that causes it:
 * - the API server refuses the resource where the CRD's schema is not met (chart/falco-operator/crds/
 *   artifact.falcosecurity.dev_rulesfiles.yaml:139-185 and _configs.yaml at v0.4.1, the same at the operator's
 *   main): spec.selector and matchLabels mappings, label values strings, matchExpressions a list of mappings each with
 *   a string key and operator, values a list of strings. A string as kubectl reads the manifest (kubectlYaml.ts,
 *   YAML 1.1): a plain `0777`, `1_000`, `0b101` or `yes` is a number or a boolean there (a quick fix quotes it); a
 *   label key kubectl reads as a number or a boolean is sent as its text (sigs.k8s.io/yaml v1.6.0 yaml.go
 *   convertToJSONableObject: `yes` becomes the key 'true', `0777` the key '511'), another key than the one written;
 * - it drops a null it has no default for (apiextensions-apiserver pkg/apiserver/schema/defaulting/prunenulls.go at
 *   v0.36.2): a label without a value is no requirement, `values:` none;
 * - kubectl apply refuses an unknown field (its default --validate=strict); a client asking for no strict validation
 *   has the API server drop it, with a warning;
 * - what the schema lets through but metav1.LabelSelectorAsSelector refuses (apimachinery v0.36.2
 *   pkg/apis/meta/v1/helpers.go:36-72, labels.NewRequirement selector.go:174-224: an operator other than In, NotIn,
 *   Exists, DoesNotExist; In or NotIn without values; Exists or DoesNotExist with values; a key or value that is no
 *   label key or value) makes each Falco pod's artifact operator return the error from NodeMatchesSelector
 *   (controllers/artifact/rulesfile/controller.go:102, config/controller.go:100 at v0.4.1) before writing or removing
 *   anything, and try again: the resource is written on no node, and files written for an earlier selector stay. The
 *   startup gate leaves it out (internal/pkg/startupgate/gate.go nodeMatches), so Falco does not wait for it.
 */
export function selectorProblems(node: Node | null | undefined, kind: string): SelectorProblem[] {
  const out: SelectorProblem[] = [];
  // A value left empty (null) has an empty range where it would be.
  const spanOf = (n: unknown): readonly [number, number] => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range ? [range[0], range[1]] : [0, 0];
  };
  const nullish = (n: unknown) => n === null || n === undefined || (isScalar(n) && n.value === null);
  const text = (n: unknown) => (isScalar(n) ? String(n.value) : '');
  const refused = (at: unknown, what: string, fix: { replacement?: string; fixTitle?: string } = {}) => out.push({
    span: spanOf(at), severity: 'error',
    message: `Kubernetes refuses this ${kind}: ${what} (the CRD's schema of spec.selector, a Kubernetes label selector).`,
    ...fix,
  });
  const unread = (at: unknown, why: string) => out.push({
    span: spanOf(at), severity: 'warning',
    message: `The operator writes this ${kind} on no node: each Falco pod's artifact operator fails to read spec.selector (${why}), logs the error and tries again, and files it wrote for an earlier selector stay. Kubernetes accepts the resource: its CRD does not check this.`,
  });
  const unknownField = (pair: Pair, path: string) => out.push({
    span: spanOf(pair.key), severity: 'warning',
    message: `'${path}' is no field of a label selector: kubectl apply refuses this ${kind} (its default --validate=strict), and where a client does not ask for strict validation the API server drops the field and the selector is read without it.`,
  });
  // A scalar as kubectl reads it (YAML 1.1, kubectlYaml.ts): its string, else undefined.
  const stringOf = (n: unknown): string | undefined => {
    const read = isScalar(n) ? kubectlScalar(n) : undefined;
    return read?.type === 'string' ? read.value : undefined;
  };
  const isString = (n: unknown) => stringOf(n) !== undefined;
  const source = (n: unknown) => (isScalar(n) ? n.source ?? String(n.value) : '');
  const notString = (n: unknown) => {
    if (!isScalar(n)) return isSeq(n) ? 'a list' : 'a mapping';
    const read = kubectlScalar(n)!;
    if (read.type === 'string') return `'${read.value}', a string`;
    // Where the yaml package reads the same value, the value alone; else what kubectl makes of the text.
    const same = typeof n.value !== 'string' && read.type !== 'null' && String(n.value) === String(read.value);
    return same ? `${String(n.value)}, a ${typeof n.value}` : `${source(n)} (kubectl reads it as ${kubectlWords(read)})`;
  };
  // A plain scalar kubectl reads as no string: quoted, it is the text written.
  const quoteFix = (n: unknown) => (isScalar(n) && n.type === 'PLAIN' && n.source !== undefined && n.source !== '' && !nullish(n)
    ? { replacement: yamlQuote(n.source), fixTitle: `Quote the value (${yamlQuote(n.source)})` } : {});
  const badKey = (key: string) => `'${key}' is not a label key: an optional DNS subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  const badValue = (value: string) => `'${value}' is not a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or empty`;
  if (nullish(node)) return out;
  if (!isMap(node)) {
    refused(node, `spec.selector is ${notString(node)}, not a mapping of matchLabels and matchExpressions`);
    return out;
  }
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const name = text(pair.key);
    const value = pair.value;
    if (name === 'matchLabels') {
      if (nullish(value)) continue;
      if (!isMap(value)) {
        refused(value, `spec.selector.matchLabels is ${notString(value)}, not a mapping of labels to values`);
        continue;
      }
      for (const label of value.items) {
        if (!isPair(label)) continue;
        const key = text(label.key);
        if (nullish(label.value)) {
          out.push({ span: spanOf(label.key), severity: 'warning', message: `The label '${key}' has no value: the API server drops it (the CRD's schema takes no null here), so this ${kind}'s nodes need not have it. Write the value, quoted if it is empty ("").` });
          continue;
        }
        const value = stringOf(label.value);
        if (value === undefined) refused(label.value, `the value of label '${key}' in matchLabels must be a string, not ${notString(label.value)}: write it quoted`, quoteFix(label.value));
        else if (!validValue(value)) unread(label.value, badValue(value));
        const sent = isScalar(label.key) ? kubectlScalar(label.key) : undefined;
        if (sent && (sent.type === 'boolean' || sent.type === 'int')) {
          out.push({
            span: spanOf(label.key), severity: 'warning', ...quoteFix(label.key),
            message: `kubectl reads the label key ${source(label.key)} as ${kubectlWords(sent)} and sends the key '${String(sent.value)}': this ${kind}'s nodes need the label '${String(sent.value)}', not '${source(label.key)}'. Write the key quoted.`,
          });
        } else if (!validKey(key)) unread(label.key, badKey(key));
      }
    } else if (name === 'matchExpressions') {
      if (nullish(value)) continue;
      if (!isSeq(value)) {
        refused(value, `spec.selector.matchExpressions is ${notString(value)}, not a list of requirements`);
        continue;
      }
      for (const item of value.items) {
        if (!isMap(item)) {
          refused(item, `an item of matchExpressions is ${nullish(item) ? 'empty' : notString(item)}, not a mapping of key, operator and values`);
          continue;
        }
        const field = (f: string) => item.items.find((p): p is Pair => isPair(p) && text(p.key) === f);
        for (const p of item.items) if (isPair(p) && !EXPRESSION_FIELDS.includes(text(p.key))) unknownField(p, `spec.selector.matchExpressions[].${text(p.key)}`);
        const key = field('key');
        const operator = field('operator');
        const values = field('values');
        if (!key || nullish(key.value)) refused(key?.key ?? item, 'an item of matchExpressions has no key');
        else if (!isString(key.value)) refused(key.value, `the key of a requirement must be a string, not ${notString(key.value)}`, quoteFix(key.value));
        else if (!validKey(stringOf(key.value))) unread(key.value, badKey(stringOf(key.value)!));
        if (!operator || nullish(operator.value)) refused(operator?.key ?? item, 'an item of matchExpressions has no operator');
        else if (!isString(operator.value)) refused(operator.value, `the operator of a requirement must be a string, not ${notString(operator.value)}`);
        let count = 0;
        if (values && !nullish(values.value)) {
          if (!isSeq(values.value)) refused(values.value, `values is ${notString(values.value)}, not a list of strings`);
          else {
            count = values.value.items.length;
            for (const v of values.value.items) {
              const value = stringOf(v);
              if (value === undefined) refused(v, `an item of values must be a string, not ${nullish(v) ? 'null' : notString(v)}: write it quoted`, quoteFix(v));
              else if (!validValue(value)) unread(v, badValue(value));
            }
          }
        }
        const op = operator ? stringOf(operator.value) : undefined;
        if (op === undefined) continue;
        if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(op)) unread(operator!.value, `"${op}" is not a valid label selector operator: In, NotIn, Exists or DoesNotExist`);
        else if ((op === 'In' || op === 'NotIn') && count === 0) unread(values?.value && !nullish(values.value) ? values.value : operator!.value, `${op} needs values: "for 'in', 'notin' operators, values set can't be empty"`);
        else if ((op === 'Exists' || op === 'DoesNotExist') && count > 0) unread(values!.value, `${op} takes no values: "values set must be empty for exists and does not exist"`);
      }
    } else {
      unknownField(pair, `spec.selector.${name}`);
    }
  }
  return out;
}

/**
 * A selector key (regions.ts selectorKey) by meaning: '' for every node (no selector), the normal form of a selector
 * the operator reads, and for one it cannot read, the key as written (equal only to itself).
 */
export function nodesKey(selector: string | undefined): string {
  if (selector === undefined) return '';
  const nodes = nodesOf(selector);
  // No requirement left (only labels without a value, which the API server drops): every node.
  if (nodes && !nodes.none && nodes.rules.size === 0) return '';
  return nodes ? `=${nodes.key}` : `?${selector}`;
}

/** Whether two selector keys pick the same nodes (undefined: every node). */
export function sameNodes(a: string | undefined, b: string | undefined): boolean {
  return nodesKey(a) === nodesKey(b);
}

/** Whether the operator can read a selector key (or there is none). */
export function readableSelector(selector: string | undefined): boolean {
  return selector === undefined || nodesOf(selector) !== null;
}

/** A node's labels as far as the selectors compared read them, per key: a value, absent (null), or any value other
 *  than those listed (`other`). */
export type ExampleLabels = [key: string, value: string | null | { other: string[] }][];

/** How many steps nodesOutside's search takes at most before saying it cannot tell. The search follows, key by key,
 *  only the label states that change which covering selectors still pick the node, so a few selectors of any number
 *  of keys take a few steps per key; the bound is for many selectors whose requirements cross each other. */
const MAX_STEPS = 20_000;

/**
 * Whether some node that `picked` selects is selected by none of `covering` (each undefined: every node): undefined
 * when none is (every node picked is covered), 'unknown' when a selector is one the operator cannot read or the
 * search spends `budget` steps without an answer, else `example`, such a node's labels, and `overlap`, whether some
 * picked node is covered too. The labels tried per key are its absence, each value a selector names for it and one
 * value none names (every other value is read alike by every selector).
 *
 * Keys are independent, so the search walks them in order keeping the covering selectors that still pick the node
 * (`alive`): a state of the next key matters only by which of them it keeps, so one state per distinct set is tried;
 * a set already known to admit no escape on the keys left is not tried again; and a selector alive with no
 * requirement on the keys left picks the node whatever they are. An exact answer, without trying every combination.
 */
export function nodesOutside(picked: string | undefined, covering: readonly (string | undefined)[], budget = MAX_STEPS): { example: ExampleLabels; overlap: boolean } | 'unknown' | undefined {
  const read = (s: string | undefined): Nodes | null | undefined => (s === undefined ? undefined : nodesOf(s));
  const pick = read(picked);
  const given = covering.map(read);
  if (pick === null || given.some((c) => c === null)) return 'unknown';
  if (given.some((c) => c === undefined)) return undefined;
  if (pick?.none) return undefined;
  // A selector that picks no node covers nothing.
  const cover = (given as Nodes[]).filter((c) => !c.none);
  const all = [pick, ...cover].filter((n): n is Nodes => n !== undefined);
  const keys = [...new Set(all.flatMap((n) => [...n.rules.keys()]))].sort();
  type State = string | null | { other: string[] };
  const choices = keys.map((k) => {
    const named = [...new Set(all.flatMap((n) => n.rules.get(k)?.values ?? []))].sort();
    return [null, ...named, { other: named }] as State[];
  });
  const admits = (n: Nodes | undefined, k: string, s: State): boolean => {
    const rule = n?.rules.get(k);
    if (!rule) return true;
    if (s === null) return rule.absent;
    if (typeof s !== 'string') return !rule.finite;
    return rule.finite === rule.values.includes(s);
  };
  const overlap = cover.some((c) => keys.every((k, i) => choices[i].some((s) => admits(pick, k, s) && admits(c, k, s))));
  // The index of each covering selector's last key: alive past it, it picks the node whatever the keys left are.
  const last = cover.map((c) => Math.max(-1, ...keys.map((k, i) => (c.rules.has(k) ? i : -1))));
  const failed = new Set<string>();
  const state: State[] = [];
  let steps = 0;
  const walk = (i: number, alive: number[]): boolean | 'unknown' => {
    if (alive.length === 0) {
      for (let j = i; j < keys.length; j++) state[j] = choices[j].find((s) => admits(pick, keys[j], s))!;
      return true;
    }
    if (i === keys.length || alive.some((c) => last[c] < i)) return false;
    const memo = `${i}:${alive.join(',')}`;
    if (failed.has(memo)) return false;
    const tried = new Set<string>();
    for (const s of choices[i]) {
      if (++steps > budget) return 'unknown';
      if (!admits(pick, keys[i], s)) continue;
      const next = alive.filter((c) => admits(cover[c], keys[i], s));
      const key = next.join(',');
      if (tried.has(key)) continue;
      tried.add(key);
      state[i] = s;
      const found = walk(i + 1, next);
      if (found !== false) return found;
    }
    failed.add(memo);
    return false;
  };
  const found = walk(0, cover.map((_, i) => i));
  if (found === 'unknown') return 'unknown';
  return found ? { example: keys.map((k, j) => [k, state[j]]), overlap } : undefined;
}

/** A node's labels (nodesOutside) in words: `labelled pool=edge and without the label spot`. */
export function exampleText(example: ExampleLabels): string {
  const labelled = example.filter(([, v]) => v !== null).map(([k, v]) => (typeof v === 'string' ? `${k}=${v}` : `${k}=<any value${v!.other.length ? ` but ${v!.other.join(', ')}` : ''}>`));
  const without = example.filter(([, v]) => v === null).map(([k]) => k);
  return [
    ...(labelled.length ? [`labelled ${labelled.join(', ')}`] : []),
    ...(without.length ? [`without the label${without.length > 1 ? 's' : ''} ${without.join(', ')}`] : []),
  ].join(' and ') || 'with any labels';
}

/**
 * A Kubernetes name for a resource of `base` that applies on a selector's nodes: `<base>-<selector in words>`, the
 * words read from the normal form (so that every spelling of the same nodes gives the same name), lower case, runs of
 * other characters turned into '-', at most 63 characters (a DNS-1123 label: a name the API server and any label value
 * take), the cut ones ending with a hash of the normal form. `hashed`: the name with that hash in any case (for a
 * name taken by a resource of other nodes). Undefined for a selector the operator cannot read.
 */
export function nodesName(base: string, selector: string, hashed = false): string | undefined {
  const nodes = nodesOf(selector);
  if (!nodes) return undefined;
  const words = nodes.none ? ['none'] : [...nodes.rules].map(([k, r]) => {
    if (r.finite && !r.absent) return r.values.length === 1 ? `${k}-${r.values[0]}` : `${k}-in-${r.values.join('-')}`;
    if (r.finite) return `no-${k}`;
    return r.values.length === 0 ? k : `${k}-${r.absent ? '' : 'exists-'}notin-${r.values.join('-')}`;
  });
  const slug = words.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const name = `${base}-${slug}`;
  if (!hashed && name.length <= 63) return name;
  const hash = fnv1a(nodes.key).toString(16).padStart(8, '0');
  return `${name.slice(0, 63 - 9).replace(/-+$/, '')}-${hash}`;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
