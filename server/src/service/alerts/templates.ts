// Identifying the rule of a text alert. Text lines carry no rule name, so the rendered output is matched against
// the output templates of the loaded rules: the literal text between `%field`s must appear in order, and each
// field's value is what lies between. Matching is linear (indexOf, no backtracking), so a hostile or cut-off line
// cannot make it slow. Falco ≥ 0.41 appends the container plugin's suggested fields after the rendered output;
// `%container.info` (rules ≤ 3.x) rendered as `container_id=… container_name=…` before 0.41 and as nothing since.
import type { RuleSummary } from '../features';
import { allFields, lookupField, referenceWithArgument } from '../../knowledge';
import { parseOutput } from '../rules/condition';
import { table } from '../../knowledge/table';

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
  /** Where the value ends is not known. 'key': read without the rule's template, it runs up to the next `key=` and
   *  holds a blank, and the words after its first may be the template's own text. 'template': the text that follows
   *  it in the template (or precedes the next value) appears inside the values too, so the output reads in more than
   *  one way (a command line `x parent=y` before the template's ` parent=`). */
  uncertainEnd?: 'key' | 'template';
}

export interface TemplateMatch {
  rule: RuleSummary;
  values: MatchedValue[];
  score: number;
  /** Other rules whose own (different) template matches the output with the same score: the order of the library
   *  picked `rule`, the line cannot tell them apart. Rules with the same template are `twins`, not listed here. */
  ties: string[];
}

const CONTAINER_INFO_BEFORE_041 = 'container_id=%container.id container_name=%container.name';
// Falco 0.37-0.40's `-p` options: -pc, -pk (the Helm chart passed -pk up to charts/falco 4.21.x, Falco 0.40) and their
// gVisor forms -pcg, -pkg. A template's %container.info became these fields, and a template without it got them
// appended after a blank (init_falco_engine.cpp configure_output_format, rule_loader_compiler.cpp
// apply_output_substitutions at 0.37.0; add_extra_output_format, compile_rule_infos :418-447 at 0.40.0).
const PRINTED_CONTAINER = 'container_id=%container.id container_image=%container.image.repository container_image_tag=%container.image.tag container_name=%container.name';
const PRINTED_K8S = 'k8s_ns=%k8s.ns.name k8s_pod_name=%k8s.pod.name';
const PRINTED_GVISOR = 'vpid=%proc.vpid vtid=%thread.vtid';
const CONTAINER_INFO_PRINTED = [
  PRINTED_CONTAINER, `${PRINTED_CONTAINER} ${PRINTED_K8S}`, `${PRINTED_GVISOR} ${PRINTED_CONTAINER}`, `${PRINTED_GVISOR} ${PRINTED_CONTAINER} ${PRINTED_K8S}`,
];

/** The outputs a rule's template prints as: `%container.info` expands differently by Falco version (the fields
 *  before 0.41, nothing after, with or without its leading blank) and by the `-p` option of 0.37-0.40. */
export function outputVariants(output: string): string[] {
  const template = output.trim();
  return template.includes('%container.info')
    ? [template.replace(/%container\.info/g, CONTAINER_INFO_BEFORE_041), template.replace(/%container\.info/g, ''), template.replace(/ ?%container\.info/g, ''),
      ...CONTAINER_INFO_PRINTED.map((fields) => template.replace(/%container\.info/g, fields))]
    : [template];
}
/** Keys of the fields Falco ≥ 0.41 appends to syscall alerts (the container plugin's suggested output), and those
 *  the `-p` options of 0.37-0.40 append (CONTAINER_INFO_PRINTED: `container_image` is the repository there). */
export const SUFFIX_KEYS: Record<string, string> = table({
  container_id: 'container.id', container_name: 'container.name', container_image_repository: 'container.image.repository',
  container_image_tag: 'container.image.tag', k8s_pod_name: 'k8s.pod.name', k8s_ns_name: 'k8s.ns.name',
  container_image: 'container.image.repository', k8s_ns: 'k8s.ns.name', vpid: 'proc.vpid', vtid: 'thread.vtid',
});

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
    const key = keyBeforeEquals(literal);
    fields.push(key ? { field, key } : { field });
    last = f.span.end;
  }
  literals.push(template.slice(last));
  return { rule, literals, fields, literalLength: literals.reduce((n, l) => n + l.length, 0) };
}

/** A compiled template as the library keeps it: what its score needs, precomputed, and its place in the order the
 *  library tries templates (which decides between equal scores). */
interface LibraryTemplate extends CompiledTemplate {
  /** Bucketed templates in rule order, then the unprefixed ones: the first of equal scores wins. */
  order: number;
  /** How well the template explains an output it matches: its literal text first, then the same priority (+1,
   *  added per output), then enabled. This is the score without the priority part. */
  baseScore: number;
  /** The rule's priority as an index (priorityIndex), or NO_PRIORITY when it has none. */
  rulePriority: number;
  /** The template has the literal PRINTED_MARK (a `-p` variant, CONTAINER_INFO_PRINTED): it matches no output
   *  without it, which is not tried (most lines: those of Falco run without -pc or -pk). */
  printed: boolean;
}

const KEY_CHAR = /[\w.[\]]/;
/** The key a literal ends with before its `=` (`proc=` gives proc), as /([A-Za-z_][\w.\[\]]*)=$/ finds it, read
 *  backwards: the regex retried the key's characters from every start of a long word, so a rule whose output holds a
 *  word of 40,000 letters took 1.3 s to read (quadratic), at every change of the rules. */
function keyBeforeEquals(literal: string): string | undefined {
  if (!literal.endsWith('=')) return undefined;
  let start = literal.length - 1;
  while (start > 0 && KEY_CHAR.test(literal[start - 1]!)) start--;
  while (start < literal.length - 1 && !/[A-Za-z_]/.test(literal[start]!)) start++;
  return start < literal.length - 1 ? literal.slice(start, -1) : undefined;
}
const PRINTED_MARK = ' container_image=';

/** Where an output's message ends: at its first `(` or `|`, or at the first `key=` (a key as keyBeforeEquals reads
 *  one); -1 without any. The official rules write `Message (k=v …)` (rules ≤ 3.x and the plugins') or `Message | k=v …`
 *  (rules ≥ 4.0.0). A scan, not a regex: /[A-Za-z_][\w.[\]]*=/ retries a long word from each of its letters
 *  (quadratic: 1.6 s for a word of 40,000 letters). Each `=` looks back no further than the one before it. */
function messageEnd(text: string): number {
  const paren = text.indexOf('(');
  const bar = text.indexOf('|');
  let end = paren < 0 ? bar : bar < 0 ? paren : Math.min(paren, bar);
  let previous = -1;
  for (let eq = text.indexOf('='); eq >= 0 && (end < 0 || eq < end); previous = eq, eq = text.indexOf('=', eq + 1)) {
    let start = eq;
    while (start > previous + 1 && KEY_CHAR.test(text[start - 1]!)) start--;
    while (start < eq && !/[A-Za-z_]/.test(text[start]!)) start++;
    if (start < eq) { end = start; break; }
  }
  return end;
}
/** A message that tells rules apart: two words at least, one with a letter. */
const isMessage = (text: string) => /[A-Za-z]/.test(text) && /\S\s+\S/.test(text);

/** The message a template's first literal starts with (before its first `(`, ` | ` or `key=`), without blanks at its
 *  ends; undefined when the literal has none (`project=%gcp.projectId A GCP …`, `evt=%okta.evt.type …`). */
function messageOf(firstLiteral: string): string | undefined {
  const end = messageEnd(firstLiteral);
  const message = firstLiteral.slice(0, end).trim();
  return end >= 0 && isMessage(message) ? message : undefined;
}

/** The message a rendered output starts with, read as messageOf reads a template's (the output holds values where
 *  the template has fields, so only the text before the first `(`, `|` or `key=` counts). */
function outputMessage(output: string): string | undefined {
  const end = messageEnd(output);
  if (end < 0) return undefined;
  const message = output.slice(0, end).trim();
  return isMessage(message) ? message : undefined;
}

/** Where the fields Falco appends to a template without %container.info start (-1: none): at ` container_id=`, or at
 *  the ` vpid=… vtid=…` just before it that -pcg and -pkg print first (PRINTED_GVISOR). */
function suffixStart(output: string): number {
  const at = output.lastIndexOf(' container_id=');
  if (at <= 0) return at;
  const gvisor = / vpid=[^ ]* vtid=[^ ]*$/.exec(output.slice(Math.max(0, at - 64), at));
  return gvisor ? at - gvisor[0].length : at;
}

/** Templates that share their first literal (the 39 gcp_auditlog outputs all start with `project=`): the first literal
 *  cannot tell them apart, so they are found by their second. Every member's second literal starts with `anchor`; a
 *  member matches only if its second literal occurs in the output after the first literal, so at an occurrence of
 *  `anchor` where the output has the member's key characters. */
interface SharedFirstLiteral {
  first: string;
  anchor: string;
  /** Members by a number made of KEY characters of their second literal from `offset` on (prefixKey); offset ≥ the
   *  anchor's length, and every member's second literal is at least offset + KEY long. */
  offset: number;
  byNext: Map<number, LibraryTemplate[]>;
}

interface Bucket {
  /** Tried one by one, in order. */
  plain: LibraryTemplate[];
  groups: SharedFirstLiteral[];
  /** The lists an output of this bucket tries: [plain, unprefixed], or with the groups' members it has in between. */
  lists: LibraryTemplate[][];
}

const NO_PRIORITY = -100;

/** Compiles the templates of every loaded rule once per rules generation, bucketed by their first literal. */
export class TemplateLibrary {
  private compiledFor: RuleSummary[] | undefined;
  private fingerprint = '';
  /** Templates by a number made of the first PREFIX characters of their first literal (prefixKey). Two prefixes
   *  may share a number: a template of the other prefix then fails its first literal, as any non-matching one. */
  private byPrefix = new Map<number, Bucket>();
  private learnedKeys = new Map<string, string>();
  /** Members of groups found for the current output (candidates), reused from output to output. */
  private readonly found: LibraryTemplate[] = [];
  /** The lists an output without a bucket tries: the templates whose first literal is shorter than PREFIX. */
  private unprefixedOnly: LibraryTemplate[][] = [[]];
  private static readonly PREFIX = 6;
  /** Characters of a group member's second literal that pick it (read at the group's offset). */
  private static readonly KEY = 6;
  /** Fewer templates sharing a first literal are tried one by one: walking the anchor would cost more. */
  private static readonly MIN_GROUP = 4;
  /** Other rules whose output template, priority and enabled state are the same as a rule's: a text alert matching
   *  one matches all of them with the same score, and cannot tell which fired. */
  private twinsByRule = new Map<string, readonly string[]>();
  /** The rules by the message their output template starts with (messageOf), for lines no template matches. */
  private byMessage = new Map<string, { rule: RuleSummary; keys: Map<string, string> }[]>();
  generation = 0;

  /** The other rules a text alert of `rule` may equally come from (twinsByRule), none for most rules. */
  twins(rule: string): readonly string[] {
    return this.twinsByRule.get(rule) ?? [];
  }

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
    const prefixed = new Map<number, LibraryTemplate[]>();
    const unprefixed: LibraryTemplate[] = [];
    const keyCounts = new Map<string, Map<string, number>>();
    for (const rule of rules) {
      if (!rule.output) continue;
      for (const v of outputVariants(rule.output)) {
        const compiled = compileTemplate(rule, v);
        const entry: LibraryTemplate = {
          rule, literals: compiled.literals, fields: compiled.fields, literalLength: compiled.literalLength, order: 0,
          baseScore: compiled.literalLength * 2 + (rule.enabled ? 1 : 0), rulePriority: rule.priority ? priorityIndex(rule.priority) : NO_PRIORITY,
          printed: compiled.literals.some((l) => l.includes(PRINTED_MARK)),
        };
        const first = compiled.literals[0];
        if (first.length >= TemplateLibrary.PREFIX) {
          const k = prefixKey(first, 0, TemplateLibrary.PREFIX);
          const list = prefixed.get(k);
          if (list) list.push(entry); else prefixed.set(k, [entry]);
        } else unprefixed.push(entry);
        for (const f of compiled.fields) {
          if (!f.key) continue;
          const counts = keyCounts.get(f.key) ?? new Map<string, number>();
          counts.set(f.field, (counts.get(f.field) ?? 0) + 1);
          keyCounts.set(f.key, counts);
        }
      }
    }
    // The order the plain scan tried them in: each bucket's templates in rule order, the unprefixed ones after all.
    for (const list of prefixed.values()) list.forEach((t, i) => { t.order = i; });
    unprefixed.forEach((t, i) => { t.order = 1_000_000 + i; });
    this.byPrefix = new Map();
    for (const [k, list] of prefixed) {
      const bucket = bucketOf(list, TemplateLibrary.KEY, TemplateLibrary.MIN_GROUP);
      bucket.lists = bucket.groups.length ? [bucket.plain, this.found, unprefixed] : [bucket.plain, unprefixed];
      this.byPrefix.set(k, bucket);
    }
    this.unprefixedOnly = [unprefixed];
    this.learnedKeys = new Map();
    this.keyCache = new Map();
    // Output templates written the same for rules of the same priority: official files have some (github.yaml's two
    // "Secret pushed into a … repository" rules).
    const same = new Map<string, string[]>();
    for (const rule of rules) {
      if (!rule.output) continue;
      const key = `${rule.priority ? priorityIndex(rule.priority) : NO_PRIORITY}\u0000${rule.enabled}\u0000${rule.output.trim()}`;
      const names = same.get(key);
      if (names) names.push(rule.name); else same.set(key, [rule.name]);
    }
    this.twinsByRule = new Map();
    for (const names of same.values()) {
      if (names.length < 2) continue;
      for (const name of names) this.twinsByRule.set(name, names.filter((n) => n !== name));
    }
    this.byMessage = new Map();
    for (const rule of rules) {
      if (!rule.output) continue;
      const compiled = compileTemplate(rule, outputVariants(rule.output)[0]);
      const message = messageOf(compiled.literals[0]);
      if (message === undefined) continue;
      const keys = new Map<string, string>();
      for (const f of compiled.fields) if (f.key && !keys.has(f.key)) keys.set(f.key, f.field);
      const list = this.byMessage.get(message);
      if (list) list.push({ rule, keys }); else this.byMessage.set(message, [{ rule, keys }]);
    }
    for (const [key, counts] of keyCounts) {
      let best = '';
      let n = 0;
      for (const [field, c] of counts) if (c > n) { best = field; n = c; }
      this.learnedKeys.set(key, best);
    }
  }

  /**
   * The loaded rules whose output template starts with the message this output starts with (messageOf), for an output
   * no template matches: an alert of another version of a rule (the k8saudit README's `Pod started with privileged
   * container (… image=nginx)`, where the loaded Create Privileged Pod prints `resource=`, `images=`, `init_images=`…),
   * or of an output override. With each rule, its template's `key=` names and their fields. None for an output without
   * such a message (it starts with a value, or has no blank in its first words).
   */
  rulesByMessage(output: string): { message: string; rules: { rule: RuleSummary; keys: ReadonlyMap<string, string> }[] } | undefined {
    const message = outputMessage(output);
    if (message === undefined) return undefined;
    return { message, rules: this.byMessage.get(message) ?? [] };
  }

  /** The best-matching rule for a rendered output (without the time/priority prefix), if any. */
  identify(output: string, priority: number): TemplateMatch | undefined {
    const best = this.bestMatch(output, priority);
    // The appended suffix is read once, for the winner only.
    return best && { rule: best.rule, values: this.completeSuffix(output, best.values), score: best.score, ties: best.ties };
  }

  /**
   * The rule of the best-matching template (the rule `identify` gives), without building the values: the Alert
   * Explorer's index needs only the name, for every text alert of a log.
   */
  identifyRule(output: string, priority: number, ties?: string[]): RuleSummary | undefined {
    let best: LibraryTemplate | undefined;
    let bestScore = 0;
    if (ties) ties.length = 0;
    // Where the appended fields start (Falco ≥ 0.41's suffix, or -pc/-pk/-pcg/-pkg at 0.37-0.40): searched for only when a template does not match the whole
    // output (a template ending with a field matches it whole, the suffix in its last value). -2: not searched yet.
    let suffixAt = -2;
    const printed = output.includes(PRINTED_MARK);
    const lists = this.candidates(output);
    for (let l = 0; l < lists.length; l++) {
      const list = lists[l];
      for (let i = 0; i < list.length; i++) {
        const t = list[i];
        if (t.printed && !printed) continue;
        // The score does not depend on the output: a template that could not beat the best so far is not matched.
        const score = t.rulePriority === priority ? t.baseScore + 1 : t.baseScore;
        if (best !== undefined && score < bestScore) continue;
        // Of equal scores the first in the library's order wins; a later one is matched only to find ties.
        const later = best !== undefined && score === bestScore && t.order >= best.order;
        if (later && !(ties && this.mayTie(best!, t, ties))) continue;
        if (!bodyMatches(output, output.length, t)) {
          if (suffixAt === -2) suffixAt = suffixStart(output);
          if (!(suffixAt > 0 && bodyMatches(output, suffixAt, t))) continue;
        }
        if (later) { ties!.push(t.rule.name); continue; }
        if (ties) this.newBest(best, best !== undefined && score === bestScore, t, ties);
        best = t;
        bestScore = score;
      }
    }
    return best?.rule;
  }

  /**
   * The templates that may match an output (every one that does is among them, some more than once), as lists, in
   * no particular order: candidates keep the highest score and, of equal scores, the first in the library's order.
   * They are the plain templates of the output's bucket, the members of a group whose second literal the output has
   * after the group's first literal (in `found`, emptied per output), and the unprefixed templates.
   */
  private candidates(output: string): LibraryTemplate[][] {
    const bucket = output.length >= TemplateLibrary.PREFIX ? this.byPrefix.get(prefixKey(output, 0, TemplateLibrary.PREFIX)) : undefined;
    if (!bucket) return this.unprefixedOnly;
    const found = this.found;
    found.length = 0;
    for (const g of bucket.groups) {
      if (!output.startsWith(g.first)) continue;
      const last = output.length - g.offset - TemplateLibrary.KEY;
      for (let at = output.indexOf(g.anchor, g.first.length); at >= 0 && at <= last; at = output.indexOf(g.anchor, at + 1)) {
        const members = g.byNext.get(prefixKey(output, at + g.offset, TemplateLibrary.KEY));
        if (members) for (const t of members) found.push(t);
      }
    }
    return bucket.lists;
  }

  /** Whether a later template of the best one's score may be a tie to record: another rule, another template. */
  private mayTie(best: LibraryTemplate, t: LibraryTemplate, ties: string[]): boolean {
    return t.rule.name !== best.rule.name && !ties.includes(t.rule.name) && !this.twins(best.rule.name).includes(t.rule.name);
  }

  /** The ties when `t` replaces `previous` as the best: kept, with `previous` among them, when the scores are equal
   *  (`t` comes first in the library's order); none when `t` scores higher. */
  private newBest(previous: LibraryTemplate | undefined, equal: boolean, t: LibraryTemplate, ties: string[]): void {
    if (!equal) ties.length = 0;
    else if (previous && this.mayTie(t, previous, ties)) ties.push(previous.rule.name);
    for (let i = ties.length - 1; i >= 0; i--) if (ties[i] === t.rule.name || this.twins(t.rule.name).includes(ties[i])) ties.splice(i, 1);
  }

  /** The highest-scoring template that matches (the first of equal scores), its template values and its ties. */
  private bestMatch(output: string, priority: number): TemplateMatch | undefined {
    const suffixAt = suffixStart(output);
    let best: TemplateMatch | undefined;
    let bestTemplate: LibraryTemplate | undefined;
    const ties: string[] = [];
    const printed = output.includes(PRINTED_MARK);
    for (const list of this.candidates(output)) {
      for (const t of list) {
        if (t.printed && !printed) continue;
        const score = t.rulePriority === priority ? t.baseScore + 1 : t.baseScore;
        if (best && score < best.score) continue;
        const later = best !== undefined && score === best.score && t.order >= bestTemplate!.order;
        if (later && !this.mayTie(bestTemplate!, t, ties)) continue;
        const values = matchTemplateAt(output, suffixAt, t);
        if (!values) continue;
        if (later) { ties.push(t.rule.name); continue; }
        this.newBest(bestTemplate, best !== undefined && score === best.score, t, ties);
        best = { rule: t.rule, values, score, ties };
        bestTemplate = t;
      }
    }
    if (best) best.ties = [...ties].sort();
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
function prefixKey(text: string, start: number, length: number): number {
  let h = 0;
  for (let i = start; i < start + length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * A bucket of templates (in the library's order): those of at least `minGroup` sharing their first literal and the
 * first character of their second are grouped (SharedFirstLiteral), the others tried one by one. A member's second
 * literal must be searched for in the output (the template has a field after it) and be long enough for the key.
 */
function bucketOf(templates: LibraryTemplate[], key: number, minGroup: number): Bucket {
  const bySecond = new Map<string, LibraryTemplate[]>();
  for (const t of templates) {
    const second = t.fields.length >= 2 ? t.literals[1] : '';
    if (second.length <= key) continue;
    const id = `${t.literals[0]}\u0000${second[0]}`;
    const list = bySecond.get(id);
    if (list) list.push(t); else bySecond.set(id, [t]);
  }
  const grouped = new Set<LibraryTemplate>();
  const groups: SharedFirstLiteral[] = [];
  for (const members of bySecond.values()) {
    let anchor = members[0].literals[1];
    for (const t of members) anchor = anchor.slice(0, commonPrefixLength(anchor, t.literals[1]));
    // Each member needs KEY characters after the anchor; the anchor is shortened until they all have them.
    const shortest = Math.min(...members.map((t) => t.literals[1].length));
    anchor = anchor.slice(0, shortest - key);
    if (members.length < minGroup || anchor === '') continue;
    // The key is read where it splits the members best (` A GCP ` starts most gcp second literals).
    let byNext = new Map<number, LibraryTemplate[]>();
    let offset = anchor.length;
    let largest = Infinity;
    for (let at = anchor.length; at <= shortest - key; at++) {
      const split = new Map<number, LibraryTemplate[]>();
      for (const t of members) {
        const k = prefixKey(t.literals[1], at, key);
        const list = split.get(k);
        if (list) list.push(t); else split.set(k, [t]);
      }
      const size = Math.max(...[...split.values()].map((l) => l.length));
      if (size < largest) { byNext = split; offset = at; largest = size; }
    }
    for (const t of members) grouped.add(t);
    groups.push({ first: members[0].literals[0], anchor, offset, byNext });
  }
  return { plain: templates.filter((t) => !grouped.has(t)), groups, lists: [] };
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
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

function priorityIndex(p: string): number {
  const order = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];
  const l = p.toLowerCase();
  return l === 'info' ? 6 : order.indexOf(l);
}

/** Matches one compiled template against a rendered output; undefined when it does not match. */
export function matchTemplate(output: string, t: CompiledTemplate): MatchedValue[] | undefined {
  return matchTemplateAt(output, suffixStart(output), t);
}

/** matchTemplate with the offset where the appended fields start (suffixStart, -1 when none) found by the caller. */
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
  // The values above end at the first occurrence of the text that follows them; where the latest reading ends them
  // elsewhere, the output reads in more than one way, and those values are not known for certain.
  const latest = latestBoundaries(output, end, t);
  if (latest) {
    for (let i = 0; i < values.length; i++) {
      if (latest[i][0] !== values[i].start || latest[i][1] !== values[i].end) values[i] = { ...values[i], uncertainEnd: 'template' };
    }
  }
  return values;
}

/**
 * The [start, end) of each value in the reading of `output` that ends every value as late as possible (each literal
 * of the template at its last place that leaves room for what follows). Every reading's boundaries lie between
 * matchBody's (the earliest) and these: where both agree, the value is certain.
 */
function latestBoundaries(output: string, end: number, t: CompiledTemplate): [number, number][] | undefined {
  const { literals, fields } = t;
  const n = fields.length;
  const out: [number, number][] = new Array(n);
  const last = literals[n];
  // The last value ends where the last literal starts, which must end the text (or at the end with none).
  let valueEnd = last === '' ? end : end - last.length;
  for (let i = n - 1; i >= 0; i--) {
    const before = literals[i];
    let valueStart: number;
    if (i === 0) valueStart = before.length;
    else if (before === '') {
      // Two fields with nothing between them: matchBody splits at the first space; the latest reading at the last.
      const space = output.lastIndexOf(' ', valueEnd - 1);
      valueStart = space < literals[0].length ? valueEnd : space;
    } else {
      const at = output.lastIndexOf(before, valueEnd - before.length);
      if (at < 0) return undefined;
      valueStart = at + before.length;
    }
    if (valueStart > valueEnd) return undefined;
    out[i] = [valueStart, valueEnd];
    if (i > 0) valueEnd = before === '' ? valueStart : valueStart - before.length;
  }
  return out;
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
  // From the character before `start`: a key at `start` itself (a JSON alert's output body that starts with
  // `project=`, after the priority) has its blank there.
  KEY_START.lastIndex = start > 0 ? start - 1 : 0;
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
