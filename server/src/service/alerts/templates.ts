// Identifying the rule of a text alert. Text lines carry no rule name, so the rendered output is matched against
// the output templates of the loaded rules: the literal text between `%field`s must appear in order, and each
// field's value is what lies between. Matching is linear (indexOf, no backtracking), so a hostile or cut-off line
// cannot make it slow. Falco ≥ 0.41 appends the container plugin's suggested fields after the rendered output;
// `%container.info` (rules ≤ 3.x) rendered as `container_id=… container_name=…` before 0.41 and as nothing since.
import type { RuleSummary } from '../features';
import { allFields, lookupField, referenceWithArgument } from '../../knowledge';
import { parseOutput } from '../rules/condition';

export interface TemplateField {
  /** The field reference as written after `%`: `proc.aname[2]`, `evt.arg.flags`. */
  field: string;
  /** The `key=` written just before the field in the template, when there is one. */
  key?: string;
}

export interface CompiledTemplate {
  rule: RuleSummary;
  /** literals.length === fields.length + 1 */
  literals: string[];
  fields: TemplateField[];
  literalLength: number;
}

export interface MatchedValue {
  field?: string;
  key?: string;
  /** Offsets into the matched string. */
  start: number;
  end: number;
  keyStart?: number;
  /** How the field was known: from the rule's template, the catalog, the loaded rules' conventions, or a guess. */
  how: 'template' | 'catalog' | 'learned' | 'guess' | 'unknown';
}

export interface TemplateMatch { rule: RuleSummary; values: MatchedValue[]; score: number }

const CONTAINER_INFO_BEFORE_041 = 'container_id=%container.id container_name=%container.name';
/** Keys of the fields Falco ≥ 0.41 appends to syscall alerts (the container plugin's suggested output). */
export const SUFFIX_KEYS: Record<string, string> = {
  container_id: 'container.id', container_name: 'container.name', container_image_repository: 'container.image.repository',
  container_image_tag: 'container.image.tag', k8s_pod_name: 'k8s.pod.name', k8s_ns_name: 'k8s.ns.name',
};

/** Splits an output template into literal text and `%field` references (through the rules service's output
 *  parser; a transformer keeps its first inner field, and Falco drops a leading `*`). */
export function compileTemplate(rule: RuleSummary, template: string): CompiledTemplate {
  const literals: string[] = [];
  const fields: TemplateField[] = [];
  const parsed = parseOutput(template);
  let last = parsed.leadingStar ? 1 : 0;
  for (const f of parsed.fields) {
    if (f.span.start < last) continue; // further fields of one transformer (concat) share a span
    const literal = template.slice(last, f.span.start);
    literals.push(literal);
    const field = f.name + (f.arg ? `[${f.arg.text}]` : '');
    const key = /([A-Za-z_][\w.\[\]]*)=$/.exec(literal)?.[1];
    fields.push(key ? { field, key } : { field });
    last = f.span.end;
  }
  literals.push(template.slice(last));
  return { rule, literals, fields, literalLength: literals.reduce((n, l) => n + l.length, 0) };
}

/** Compiles the templates of every loaded rule once per rules generation, bucketed by their first literal. */
export class TemplateLibrary {
  private compiledFor: RuleSummary[] | undefined;
  private fingerprint = '';
  /** Templates by a number made of the first PREFIX characters of their first literal (prefixKey). Two prefixes
   *  may share a number: a template of the other prefix then fails its first literal, as any non-matching one. */
  private byPrefix = new Map<number, CompiledTemplate[]>();
  private unprefixed: CompiledTemplate[] = [];
  private learnedKeys = new Map<string, string>();
  private static readonly PREFIX = 6;
  generation = 0;

  refresh(rules: RuleSummary[]): void {
    if (rules === this.compiledFor) return;
    let fp = `${rules.length}`;
    let h = 0;
    for (const r of rules) {
      const s = `${r.name}\u0000${r.output ?? ''}\u0000${r.priority ?? ''}`;
      for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    }
    fp += `:${h}`;
    this.compiledFor = rules;
    if (fp === this.fingerprint) return;
    this.fingerprint = fp;
    this.generation++;
    this.byPrefix = new Map();
    this.unprefixed = [];
    const keyCounts = new Map<string, Map<string, number>>();
    for (const rule of rules) {
      if (!rule.output) continue;
      const template = rule.output.trim();
      const variants = template.includes('%container.info')
        ? [template.replace(/%container\.info/g, CONTAINER_INFO_BEFORE_041), template.replace(/%container\.info/g, ''), template.replace(/ ?%container\.info/g, '')]
        : [template];
      for (const v of variants) {
        const compiled = compileTemplate(rule, v);
        const first = compiled.literals[0];
        if (first.length >= TemplateLibrary.PREFIX) {
          const k = prefixKey(first, TemplateLibrary.PREFIX);
          const list = this.byPrefix.get(k) ?? [];
          list.push(compiled);
          this.byPrefix.set(k, list);
        } else this.unprefixed.push(compiled);
        for (const f of compiled.fields) {
          if (!f.key) continue;
          const counts = keyCounts.get(f.key) ?? new Map<string, number>();
          counts.set(f.field, (counts.get(f.field) ?? 0) + 1);
          keyCounts.set(f.key, counts);
        }
      }
    }
    this.learnedKeys = new Map();
    this.keyCache = new Map();
    for (const [key, counts] of keyCounts) {
      let best = '';
      let n = 0;
      for (const [field, c] of counts) if (c > n) { best = field; n = c; }
      this.learnedKeys.set(key, best);
    }
  }

  /** The best-matching rule for a rendered output (without the time/priority prefix), if any. */
  identify(output: string, priority: number): TemplateMatch | undefined {
    const best = this.bestMatch(output, priority);
    // The appended suffix is read once, for the winner only.
    return best && { rule: best.rule, values: this.completeSuffix(output, best.values), score: best.score };
  }

  /**
   * The rule of the best-matching template (the rule `identify` gives), without building the values: the Alert
   * Explorer's index needs only the name, for every text alert of a log.
   */
  identifyRule(output: string, priority: number): RuleSummary | undefined {
    let best: RuleSummary | undefined;
    let bestScore = 0;
    // Where Falco ≥ 0.41's appended suffix starts: searched for only when a template does not match the whole
    // output (a template ending with a field matches it whole, the suffix in its last value). -2: not searched yet.
    let suffixAt = -2;
    const bucket = this.bucketOf(output);
    for (const list of bucket ? [bucket, this.unprefixed] : [this.unprefixed]) {
      for (const t of list) {
        // The score does not depend on the output: a template that could not beat the best so far is not matched.
        const score = templateScore(t, priority);
        if (best !== undefined && score <= bestScore) continue;
        if (!bodyMatches(output, output.length, t)) {
          if (suffixAt === -2) suffixAt = output.lastIndexOf(' container_id=');
          if (!(suffixAt > 0 && bodyMatches(output, suffixAt, t))) continue;
        }
        best = t.rule;
        bestScore = score;
      }
    }
    return best;
  }

  /** The templates whose first literal starts like the output (and, rarely, some of another prefix), if any. */
  private bucketOf(output: string): CompiledTemplate[] | undefined {
    return output.length >= TemplateLibrary.PREFIX ? this.byPrefix.get(prefixKey(output, TemplateLibrary.PREFIX)) : undefined;
  }

  /** The highest-scoring template that matches (the first of equal scores) and its template values. */
  private bestMatch(output: string, priority: number): TemplateMatch | undefined {
    const suffixAt = output.lastIndexOf(' container_id=');
    let best: TemplateMatch | undefined;
    const consider = (t: CompiledTemplate) => {
      const values = matchTemplateAt(output, suffixAt, t);
      if (!values) return;
      const score = templateScore(t, priority);
      if (!best || score > best.score) best = { rule: t.rule, values, score };
    };
    for (const t of this.bucketOf(output) ?? []) consider(t);
    for (const t of this.unprefixed) consider(t);
    return best;
  }

  /** Appended `key=value` tokens after the template's last field (Falco ≥ 0.41's suffix). */
  private completeSuffix(output: string, values: MatchedValue[]): MatchedValue[] {
    const end = values.length ? Math.max(...values.map((v) => v.end)) : 0;
    const tail = tokenizeKeyValues(output, end, output.length);
    return [...values, ...tail.map((t) => this.mapToken(t))];
  }

  /** Maps `key=value` tokens of an output to fields through the catalog and the loaded rules' conventions. */
  mapToken(t: KeyValueToken): MatchedValue {
    const resolved = this.fieldForKey(t.key);
    return { field: resolved?.field, key: t.key, keyStart: t.keyStart, start: t.valueStart, end: t.valueEnd, how: resolved?.how ?? 'unknown' };
  }

  fieldForKey(key: string): { field: string; how: MatchedValue['how'] } | undefined {
    if (this.keyCache.has(key)) return this.keyCache.get(key);
    const found = this.resolveKey(key);
    if (this.keyCache.size < 10_000) this.keyCache.set(key, found);
    return found;
  }

  private keyCache = new Map<string, { field: string; how: MatchedValue['how'] } | undefined>();

  /**
   * Maps the `key=value` tokens of one output to fields. A conventional output name that several fields use (`user`:
   * user.name, ka.user.name, ct.user…; `ns`: ka.target.name or ka.target.namespace) is settled by the alert itself:
   * the candidate its output_fields hold, else the first candidate of its event source (given, or the source most of
   * its tokens' candidates belong to); such a choice stays marked as a guess.
   */
  mapTokens(tokens: KeyValueToken[], context: { source?: string; fields?: ReadonlyMap<string, string> } = {}): MatchedValue[] {
    const mapped = tokens.map((t) => this.mapToken(t));
    const ambiguous = mapped.filter((m) => m.key !== undefined && (catalogOutputKeys().get(m.key)?.length ?? 0) > 1 && m.how === 'guess');
    if (ambiguous.length === 0) return mapped;
    const source = context.source && KNOWN_SOURCES.has(context.source) ? context.source : likelySource(mapped);
    for (const m of ambiguous) {
      const candidates = catalogOutputKeys().get(m.key!)!;
      const held = context.fields ? candidates.find((c) => context.fields!.has(c)) : undefined;
      if (held) { m.field = held; m.how = 'catalog'; continue; }
      const ofSource = source ? candidates.filter((c) => lookupField(c)?.field.sources.includes(source as never)) : [];
      // Among the source's candidates, the field that names this key first among its output names (`ns` is first a
      // namespace's name, and only last a target's).
      if (ofSource.length) m.field = ofSource.reduce((best, c) => (outputKeyRank(c, m.key!) < outputKeyRank(best, m.key!) ? c : best));
    }
    return mapped;
  }

  private resolveKey(key: string): { field: string; how: MatchedValue['how'] } | undefined {
    if (SUFFIX_KEYS[key]) return { field: SUFFIX_KEYS[key], how: 'catalog' };
    const byOutputKey = catalogOutputKeys().get(key);
    // A name several fields use in outputs is only a guess until the alert settles it (mapTokens).
    if (byOutputKey) return { field: byOutputKey[0], how: byOutputKey.length === 1 ? 'catalog' : 'guess' };
    const learned = this.learnedKeys.get(key);
    if (learned) return { field: learned, how: 'learned' };
    if (key.includes('.') && lookupField(key)) return { field: key, how: 'catalog' };
    const parts = key.split('_');
    if (parts.length > 1 && parts.length <= 7) {
      // Every way of turning some underscores into dots (`proc_exe_ino_ctime` → proc.exe_ino.ctime).
      for (let mask = (1 << (parts.length - 1)) - 1; mask >= 1; mask--) {
        let name = parts[0];
        for (let i = 1; i < parts.length; i++) name += (mask & (1 << (i - 1)) ? '.' : '_') + parts[i];
        if (lookupField(name)) return { field: name, how: 'catalog' };
      }
      if (FIELD_CLASSES.has(parts[0])) return { field: parts.join('.'), how: 'guess' };
    }
    return undefined;
  }
}

/** A number made of the first `length` characters of a text (a hash: different prefixes may give the same number);
 *  looked up instead of a prefix string cut from every output. */
function prefixKey(text: string, length: number): number {
  let h = 0;
  for (let i = 0; i < length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

let outputKeyIndex: Map<string, string[]> | undefined;
/** Catalog fields by the keys official outputs use for them (`process` → proc.name), in catalog order, built once. */
function catalogOutputKeys(): Map<string, string[]> {
  if (!outputKeyIndex) {
    outputKeyIndex = new Map();
    for (const f of allFields()) {
      for (const k of f.outputKeys ?? []) {
        const name = referenceWithArgument(f, k);
        const list = outputKeyIndex.get(k);
        if (!list) outputKeyIndex.set(k, [name]);
        else if (!list.includes(name)) list.push(name);
      }
    }
  }
  return outputKeyIndex;
}

/** Where `key` stands among the output names of `field` (lower: a more usual name for it). */
function outputKeyRank(field: string, key: string): number {
  const keys = lookupField(field)?.field.outputKeys ?? [];
  const at = keys.indexOf(key);
  return at < 0 ? keys.length : at;
}

const KNOWN_SOURCES = new Set(['syscall', 'k8s_audit', 'aws_cloudtrail', 'gcp_auditlog', 'okta', 'github']);

/** The event source that the most tokens have a candidate field of (an output name counts for each source among its
 *  candidates), or undefined on a tie: `user=… pod=… ns=…` is a Kubernetes audit alert. */
function likelySource(tokens: MatchedValue[]): string | undefined {
  const votes = new Map<string, number>();
  for (const t of tokens) {
    const candidates = t.key !== undefined ? catalogOutputKeys().get(t.key) ?? (t.field ? [t.field] : []) : [];
    const sources = new Set<string>();
    for (const c of candidates) for (const s of lookupField(c)?.field.sources ?? []) sources.add(s);
    // A field every source has (evt.time) tells nothing.
    if (sources.size >= KNOWN_SOURCES.size) continue;
    for (const s of sources) votes.set(s, (votes.get(s) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestVotes = 0;
  let tie = false;
  for (const [s, n] of votes) {
    if (n > bestVotes) { best = s; bestVotes = n; tie = false; } else if (n === bestVotes) tie = true;
  }
  return tie ? undefined : best;
}

const FIELD_CLASSES = new Set(['evt', 'proc', 'thread', 'user', 'group', 'fd', 'fs', 'container', 'k8s', 'ka', 'ct', 'gcp', 'okta', 'github', 'syslog', 'span', 'mesos']);

/** How well a matching template explains an output: its literal text first, then the same priority, then enabled. */
function templateScore(t: CompiledTemplate, priority: number): number {
  const samePriority = t.rule.priority && priorityIndex(t.rule.priority) === priority ? 1 : 0;
  return t.literalLength * 2 + samePriority + (t.rule.enabled ? 1 : 0);
}

function priorityIndex(p: string): number {
  const order = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];
  const l = p.toLowerCase();
  return l === 'info' ? 6 : order.indexOf(l);
}

/** Matches one compiled template against a rendered output; undefined when it does not match. */
export function matchTemplate(output: string, t: CompiledTemplate): MatchedValue[] | undefined {
  return matchTemplateAt(output, output.lastIndexOf(' container_id='), t);
}

/** matchTemplate with the offset of the output's last ` container_id=` (-1 when none) found by the caller. */
function matchTemplateAt(output: string, suffixAt: number, t: CompiledTemplate): MatchedValue[] | undefined {
  // Try without Falco ≥ 0.41's appended suffix first, so that a template ending with a field does not swallow it.
  if (suffixAt > 0) {
    const r = matchBody(output, suffixAt, t);
    if (r) return r;
  }
  return matchBody(output, output.length, t);
}

function matchBody(output: string, end: number, t: CompiledTemplate): MatchedValue[] | undefined {
  const { literals, fields } = t;
  if (!output.startsWith(literals[0]) || literals[0].length > end) return undefined;
  if (fields.length === 0) return output.slice(0, end) === literals[0] ? [] : undefined;
  const values: MatchedValue[] = [];
  let pos = literals[0].length;
  for (let i = 0; i < fields.length; i++) {
    const next = literals[i + 1];
    let valueEnd: number;
    let after: number;
    if (i === fields.length - 1) {
      if (next === '') { valueEnd = end; after = end; }
      else {
        const at = output.lastIndexOf(next, end - next.length);
        if (at < pos || at + next.length !== end) return undefined;
        valueEnd = at; after = end;
      }
    } else if (next === '') {
      // Two fields with nothing between them: the first value ends at the next space.
      const space = output.indexOf(' ', pos);
      valueEnd = space < 0 || space > end ? end : space; after = valueEnd;
    } else {
      const at = output.indexOf(next, pos);
      if (at < 0 || at + next.length > end) return undefined;
      valueEnd = at; after = at + next.length;
    }
    const f = fields[i];
    values.push({ field: f.field, key: f.key, keyStart: f.key ? pos - f.key.length - 1 : undefined, start: pos, end: valueEnd, how: 'template' });
    pos = after;
  }
  return values;
}

/** Whether matchBody would match, without building the values (the same steps). */
function bodyMatches(output: string, end: number, t: CompiledTemplate): boolean {
  const { literals, fields } = t;
  if (!output.startsWith(literals[0]) || literals[0].length > end) return false;
  if (fields.length === 0) return end === literals[0].length;
  // The last literal must end the text: tested first, as it rejects most candidates before the literals between
  // are searched. (matchBody's `lastIndexOf(last, end - last.length)` found at `end - last.length` is this test.)
  const last = literals[fields.length];
  if (last !== '' && (end - last.length < literals[0].length || !output.startsWith(last, end - last.length))) return false;
  let pos = literals[0].length;
  for (let i = 0; i < fields.length; i++) {
    const next = literals[i + 1];
    if (i === fields.length - 1) return next === '' || end - next.length >= pos;
    if (next === '') {
      const space = output.indexOf(' ', pos);
      pos = space < 0 || space > end ? end : space;
    } else {
      const at = output.indexOf(next, pos);
      if (at < 0 || at + next.length > end) return false;
      pos = at + next.length;
    }
  }
  return true;
}

export interface KeyValueToken { key: string; keyStart: number; valueStart: number; valueEnd: number }

const KEY_START = /(?:^|[\s(|])([A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]\s]*\])?)=/g;

/** `key=value` tokens in [start, end): a value runs to the next ` key=`; a closing `)` of the ≤ 3.x style is dropped. */
export function tokenizeKeyValues(text: string, start: number, end: number): KeyValueToken[] {
  const tokens: KeyValueToken[] = [];
  KEY_START.lastIndex = start;
  const starts: { key: string; keyStart: number; valueStart: number }[] = [];
  for (let m = KEY_START.exec(text); m && m.index < end; m = KEY_START.exec(text)) {
    const keyStart = m.index + m[0].length - m[1].length - 1;
    if (keyStart < start) continue;
    starts.push({ key: m[1], keyStart, valueStart: m.index + m[0].length });
  }
  for (let i = 0; i < starts.length; i++) {
    let valueEnd = i + 1 < starts.length ? starts[i + 1].keyStart : end;
    while (valueEnd > starts[i].valueStart && /[\s(|]/.test(text[valueEnd - 1]) && !(i + 1 === starts.length)) valueEnd--;
    if (i + 1 === starts.length) {
      while (valueEnd > starts[i].valueStart && text[valueEnd - 1] === ' ') valueEnd--;
      const value = text.slice(starts[i].valueStart, valueEnd);
      const opens = (value.match(/\(/g) ?? []).length;
      const closes = (value.match(/\)/g) ?? []).length;
      if (value.endsWith(')') && closes > opens) valueEnd--;
    }
    tokens.push({ key: starts[i].key, keyStart: starts[i].keyStart, valueStart: starts[i].valueStart, valueEnd: Math.max(valueEnd, starts[i].valueStart) });
  }
  return tokens;
}
