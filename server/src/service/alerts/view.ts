// The full reading of one alert, built on demand (hover, actions, reports) from the indexed record: every key and
// value with its span, the output's `key=value` tokens mapped to fields, and the rule identified. Nothing here is
// kept for the whole document; a small cache in the service holds the views of recently used alerts.
import type { RuleSummary, RulesWorkspace } from '../features';
import { decodeJsonString, memberOf, scanJson, scalarText, sourceOffset, type JsonNode } from './json';
import { PRIORITY_NAMES } from './priority';
import type { AlertRecord } from './documentIndex';
import { COMPOSE_PREFIX, CRI_PREFIX, KUBECTL_PREFIX, STERN_PREFIX, SYSLOG_PREFIX, TIMESTAMP_PREFIX } from './parse';
import { SUFFIX_KEYS, tokenizeKeyValues, type MatchedValue, type TemplateLibrary } from './templates';

export type TargetKind =
  | 'rule' | 'priority' | 'time' | 'tags' | 'tag' | 'source' | 'hostname' | 'uuid' | 'field-key' | 'field-value'
  | 'output' | 'message' | 'wrapper' | 'outputs';

/** A hoverable span of the record's text. */
export interface Target { kind: TargetKind; start: number; end: number; value?: number; tag?: string }

export interface AlertValue {
  /** The Falco field (catalog form) when known. */
  field?: string;
  /** The `key=` of a text token, or the output_fields key. */
  key?: string;
  /** Decoded value; numbers keep their raw digits; null for JSON null. `<NA>` stays as printed. */
  value: string | null;
  origin: 'output_fields' | 'output' | 'message' | 'text';
  how: MatchedValue['how'] | 'json';
  /** Where the value ends in the output is not known (MatchedValue.uncertainEnd): read without the rule's template
   *  ('key'), or the template reads in more than one way ('template'). */
  uncertainEnd?: 'key' | 'template';
}

export interface AlertView {
  record: AlertRecord;
  /** The rule name: from JSON, from a matched template, or undefined when unidentified or ambiguous. */
  rule?: string;
  ruleSummary?: RuleSummary;
  /** 'ambiguous': a text alert whose output template is that of several rules (`candidates`), of one priority.
   *  'message': a text alert no template matches, whose message (the text before its first `(`, `|` or `key=`) one
   *  loaded rule's template starts with: written by another version of that rule (`messageMatch`). */
  identification: 'json' | 'template' | 'message' | 'ambiguous' | 'unidentified';
  /** For a text alert no template matches: the message it starts with (none when it starts with a value), the loaded
   *  rules whose template starts with that message (several: none is identified), and the line's `key=` names that
   *  the identified rule's template does not have (the container fields Falco appends, SUFFIX_KEYS, left out). */
  messageMatch?: { message?: string; rules: string[]; template?: string; otherKeys: string[] };
  /** The rules an ambiguous text alert may come from, sorted. */
  candidates?: string[];
  /** When the candidates' templates differ (each matches the line equally well), the one rule whose template the
   *  values were read through; undefined when they all have the same template. */
  readWith?: string;
  priority: number;
  priorityText: string;
  time?: string;
  /** Exact nanoseconds since the epoch (evt.time of output_fields) when present. */
  epochNanos?: string;
  tags: string[];
  source?: string;
  hostname?: string;
  uuid?: string;
  /** The rendered output without the time/priority prefix. */
  output?: string;
  /** For a JSON alert's `output`: whether it starts with the time and priority, as Falco writes it. */
  outputPrefixed?: boolean;
  /** JSON output_fields as the text output renders them (null → `<NA>`), when the alert has them: the authority
   *  on field values, which the output's `key=value` text can only approximate. */
  outputFields?: Map<string, string>;
  values: AlertValue[];
  targets: Target[];
  wrapper?: { kind: 'cri' | 'syslog' | 'timestamp' | 'kubectl' | 'compose' | 'stern'; text: string; end: number };
  /** Whether a word is the name of a list of the loaded rules files (RulesWorkspace.isListName): Falco pastes a list's
   *  items in place of its name in a condition's text, so tuning values are written around such words. */
  listNamed?: (word: string) => boolean;
}

/**
 * The time fields a JSON alert's output_fields give as nanoseconds since the Unix epoch, not as the text their
 * descriptions name: libsinsp's extract_as_js returns the event's timestamp for each (sinsp_filtercheck_gen_event.cpp
 * :161-168 at libs 0.25.2, :83-92 at 0.14.2), which the JSON output writes.
 */
export const JSON_TIME_FIELDS: ReadonlySet<string> = new Set(['evt.time', 'evt.time.s', 'evt.time.iso8601', 'evt.datetime', 'evt.datetime.s']);

export function priorityLabel(p: number): string { return p >= 0 ? PRIORITY_NAMES[p] : 'Unknown'; }

/** Builds the view of an alert record. `payloadStart`: where the payload starts in the record's text, after a wrapper
 *  prefix (AlertDocumentIndex.payloadStart). */
export function buildView(record: AlertRecord, rules: RulesWorkspace, templates: TemplateLibrary, payloadStart: number): AlertView {
  const head = record.head;
  const view: AlertView = {
    record, identification: 'unidentified', priority: head.priority, priorityText: priorityLabel(head.priority),
    time: head.time, tags: [], source: head.source, hostname: head.hostname, values: [], targets: [],
  };
  const text = record.text;
  if (payloadStart > 0) {
    // The order of parseLine's tests.
    const kind = KUBECTL_PREFIX.test(text) ? 'kubectl' : COMPOSE_PREFIX.test(text) ? 'compose' : STERN_PREFIX.test(text) ? 'stern' : CRI_PREFIX.test(text) ? 'cri'
      : SYSLOG_PREFIX.test(text) ? 'syslog' : TIMESTAMP_PREFIX.test(text) ? 'timestamp' : undefined;
    if (kind) {
      view.wrapper = { kind, text: text.slice(0, payloadStart), end: payloadStart };
      view.targets.push({ kind: 'wrapper', start: 0, end: payloadStart });
    }
  }
  if (rules.isListName) view.listNamed = (word) => rules.isListName!(word);
  if (head.format === 'json') buildJson(view, rules, templates, payloadStart);
  else buildText(view, rules, templates);
  return view;
}

function buildJson(view: AlertView, rules: RulesWorkspace, templates: TemplateLibrary, payloadStart: number): void {
  const text = view.record.text;
  const start = text.indexOf('{', payloadStart);
  const scan = scanJson(text, start);
  let node: JsonNode | undefined = scan.root;
  const ui = memberOf(node, 'outputs');
  if (view.record.head.flavor === 'sidekick-ui') {
    if (ui) view.targets.push({ kind: 'outputs', start: ui.keyStart, end: ui.value.end });
    node = memberOf(node, 'event')?.value;
  }
  if (!node || node.kind !== 'object') return;
  view.rule = view.record.head.rule;
  view.identification = view.rule ? 'json' : 'unidentified';
  view.ruleSummary = view.rule ? rules.findRule(view.rule) : undefined;
  const fieldsMember = memberOf(node, 'output_fields');
  if (fieldsMember?.value.kind === 'object') {
    view.outputFields = new Map();
    for (const f of fieldsMember.value.members) {
      const value = scalarText(text, f.value);
      if (value !== undefined) view.outputFields.set(f.key.trim(), value ?? '<NA>');
    }
  }
  const simple: Record<string, TargetKind> = { rule: 'rule', priority: 'priority', time: 'time', source: 'source', hostname: 'hostname', uuid: 'uuid' };
  for (const m of node.members) {
    const kind = simple[m.key];
    if (kind) {
      view.targets.push({ kind, start: m.keyStart, end: m.value.end });
      if (m.key === 'uuid') view.uuid = scalarText(text, m.value) ?? undefined;
      continue;
    }
    if (m.key === 'tags' && m.value.kind === 'array') {
      view.targets.push({ kind: 'tags', start: m.keyStart, end: m.value.end });
      for (const item of m.value.items) {
        if (item.kind !== 'string') continue;
        const tag = decodeJsonString(text, item.start, item.end).value;
        view.tags.push(tag);
        view.targets.push({ kind: 'tag', start: item.start, end: item.end, tag });
      }
      continue;
    }
    if (m.key === 'output_fields' && m.value.kind === 'object') {
      for (const f of m.value.members) {
        const value = scalarText(text, f.value);
        const index = view.values.length;
        view.values.push({ field: f.key.trim(), key: f.key, value: value === undefined ? text.slice(f.value.start, f.value.end) : value, origin: 'output_fields', how: 'json' });
        view.targets.push({ kind: 'field-key', start: f.keyStart, end: f.keyEnd, value: index });
        view.targets.push({ kind: 'field-value', start: f.value.start, end: f.value.end, value: index });
        if (f.key === 'evt.time' && f.value.kind === 'number') view.epochNanos = text.slice(f.value.start, f.value.end);
      }
      continue;
    }
    if ((m.key === 'output' || m.key === 'message') && m.value.kind === 'string') {
      view.targets.push({ kind: m.key, start: m.keyStart, end: m.value.end });
      const decoded = decodeJsonString(text, m.value.start, m.value.end);
      let bodyStart = 0;
      if (m.key === 'output') {
        const prefix = /^(?:\d{2}:\d{2}:\d{2}\.\d+|\d{4}-\d{2}-\d{2}T\S+): \S+ /.exec(decoded.value);
        if (prefix) bodyStart = prefix[0].length;
        view.outputPrefixed = prefix !== null;
        view.output = decoded.value.slice(bodyStart);
      } else if (view.output === undefined) view.output = decoded.value;
      const tokens = tokensOf(decoded.value, bodyStart, view, templates, view.outputFields);
      for (const t of tokens) addToken(view, decoded.value, t, m.key as 'output' | 'message', (i) => sourceOffset(m.value.start, decoded.offsets, i));
    }
  }
}

/** The first literal text of a matched template between two of its values (or after the last), without blanks and
 *  without the `key=` of the value after it; undefined when the template has none with a letter in it. */
function templateWords(output: string, values: readonly MatchedValue[]): { start: number; end: number } | undefined {
  const spans = values.filter((v) => v.how === 'template').map((v) => ({ start: v.keyStart ?? v.start, end: v.end })).sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    let start = spans[i].end;
    let end = i + 1 < spans.length ? spans[i + 1].start : output.length;
    while (start < end && /\s/.test(output[start])) start++;
    while (end > start && /\s/.test(output[end - 1])) end--;
    if (/[A-Za-z]/.test(output.slice(start, end))) return { start, end };
  }
  return undefined;
}

function buildText(view: AlertView, rules: RulesWorkspace, templates: TemplateLibrary): void {
  const h = view.record.head;
  const text = view.record.text;
  view.targets.push({ kind: 'time', start: h.timeStart!, end: h.timeEnd! });
  view.targets.push({ kind: 'priority', start: h.priorityStart!, end: Math.max(h.priorityEnd!, h.priorityStart! + 1) });
  const output = text.slice(h.outputStart!, h.outputEnd!);
  view.output = output;
  const match = templates.identify(output, h.priority);
  let tokens: MatchedValue[];
  if (match) {
    const twins = [...templates.twins(match.rule.name), ...match.ties];
    if (twins.length) {
      // Which of them fired, the text cannot say: no rule is named (nor tuned); the values are read all the same.
      view.identification = 'ambiguous';
      view.candidates = [match.rule.name, ...twins].sort();
      // Another template matches as well: the values are read through the first rule's template only.
      if (match.ties.length) view.readWith = match.rule.name;
    } else {
      view.rule = match.rule.name;
      view.ruleSummary = rules.findRule(match.rule.name) ?? match.rule;
      view.identification = 'template';
    }
    tokens = match.values;
    const firstValue = tokens.length ? Math.min(...tokens.map((t) => t.keyStart ?? t.start)) : output.length;
    const headEnd = Math.max(0, Math.min(firstValue, (h.head ?? '').length));
    if (headEnd > 0) view.targets.push({ kind: 'rule', start: h.outputStart!, end: h.outputStart! + headEnd });
    else {
      // A template that starts with a value (gcp_auditlog_rules.yaml's `project=%gcp.projectId A GCP … by user=…`) has
      // no text before it: the rule is shown on the template's first words between two values.
      const words = templateWords(output, tokens);
      if (words) view.targets.push({ kind: 'rule', start: h.outputStart! + words.start, end: h.outputStart! + words.end });
    }
  } else {
    const byMessage = templates.rulesByMessage(output);
    const names = [...new Set(byMessage?.rules.map((r) => r.rule.name) ?? [])].sort();
    const one = names.length === 1 ? byMessage!.rules[0] : undefined;
    const found = tokenizeKeyValues(output, 0, output.length);
    const mapped = templates.mapTokens(found, { source: one?.rule.source ?? view.source });
    if (one && templates.twins(one.rule.name).length === 0) {
      // The message names the rule; its values are read by their `key=` names, through the rule's template where it
      // has the key (the field it prints there), else as for an unidentified rule. Ends stay uncertain as without a template.
      view.rule = one.rule.name;
      view.ruleSummary = rules.findRule(one.rule.name) ?? one.rule;
      view.identification = 'message';
      for (const m of mapped) {
        const field = m.key === undefined ? undefined : one.keys.get(m.key);
        if (field !== undefined) { m.field = field; m.how = 'learned'; }
      }
    }
    view.messageMatch = {
      ...(byMessage ? { message: byMessage.message } : {}), rules: names,
      ...(view.identification === 'message' ? { template: one!.rule.output?.trim(), otherKeys: [...new Set(mapped.flatMap((m) => (m.key !== undefined && !one!.keys.has(m.key) && !(m.key in SUFFIX_KEYS) ? [m.key] : [])))] } : { otherKeys: [] }),
    };
    tokens = withUncertainEnds(output, mapped);
    if ((h.head ?? '') !== '') view.targets.push({ kind: 'rule', start: h.outputStart!, end: h.outputStart! + h.head!.length });
  }
  for (const t of tokens) addToken(view, output, t, 'text', (i) => h.outputStart! + i);
}

/** The `key=value` tokens of a JSON alert's output or message: through the rule's template when it matches, else by
 *  tokenizing; with output_fields, each value is stretched to the exact text of its field, so that a value holding
 *  spaces or ` key=` (a command line) is not cut into bogus tokens. */
function tokensOf(decoded: string, bodyStart: number, view: AlertView, templates: TemplateLibrary, fields: Map<string, string> | undefined): MatchedValue[] {
  const body = decoded.slice(bodyStart);
  const template = view.ruleSummary?.output;
  if (template && view.ruleSummary) {
    const match = templates.identify(body, view.priority);
    if (match && match.rule.name === view.ruleSummary.name) {
      const values = match.values.map((v) => shift(v, bodyStart));
      if (!fields || values.every((v) => !v.field || !fields.has(v.field) || decoded.slice(v.start, v.end) === fields.get(v.field))) return values;
    }
  }
  const tokens = templates.mapTokens(tokenizeKeyValues(decoded, bodyStart, decoded.length), { source: view.source, fields });
  return withUncertainEnds(decoded, fields ? alignWithFields(decoded, tokens, fields) : tokens, fields);
}

/**
 * Without the rule's template a value is read up to the next `key=`: `user=root as a login shell cmd=…` gives
 * `root as a login shell`, though only `root` may be the value. A value with a blank in it is marked as such, unless
 * output_fields hold exactly that text for its field.
 */
function withUncertainEnds(text: string, tokens: MatchedValue[], fields?: Map<string, string>): MatchedValue[] {
  return tokens.map((t) => {
    const value = text.slice(t.start, t.end);
    if (!/\s/.test(value) || (t.field !== undefined && fields?.get(t.field) === value)) return t;
    return { ...t, uncertainEnd: 'key' as const };
  });
}

/** Tokens whose field has an output_fields value that the text at the token starts with take exactly that value;
 *  tokens that then fall inside an earlier value (`src=` in `<img src=x>`) are dropped. */
export function alignWithFields(text: string, tokens: MatchedValue[], fields: Map<string, string>): MatchedValue[] {
  const out: MatchedValue[] = [];
  let cursor = -1;
  for (const t of tokens) {
    if ((t.keyStart ?? t.start) < cursor) continue;
    const exact = t.field === undefined ? undefined : fields.get(t.field);
    const aligned = exact !== undefined && exact !== '' && text.startsWith(exact, t.start) ? { ...t, end: t.start + exact.length } : t;
    out.push(aligned);
    cursor = aligned.end;
  }
  return out;
}

function shift(v: MatchedValue, by: number): MatchedValue {
  return { ...v, start: v.start + by, end: v.end + by, keyStart: v.keyStart === undefined ? undefined : v.keyStart + by };
}

function addToken(view: AlertView, source: string, t: MatchedValue, origin: AlertValue['origin'], toOffset: (i: number) => number): void {
  const index = view.values.length;
  view.values.push({ field: t.field, key: t.key, value: source.slice(t.start, t.end), origin, how: t.how, ...(t.uncertainEnd ? { uncertainEnd: t.uncertainEnd } : {}) });
  if (t.key !== undefined && t.keyStart !== undefined) view.targets.push({ kind: 'field-key', start: toOffset(t.keyStart), end: toOffset(t.keyStart + t.key.length), value: index });
  view.targets.push({ kind: 'field-value', start: toOffset(t.start), end: Math.max(toOffset(t.end), toOffset(t.start) + (t.end > t.start ? 1 : 0)), value: index });
}

/**
 * The alert's event source and the loaded rule's, where the alert names a source (JSON `source`; falcosidekick's
 * stand-in `syscalls`, written when Falco sent none, names none) that is not the source of the loaded rule of its name.
 * Falco gives a rule name one source ("Rule has been re-defined with a different source": rule_loader_collector.cpp
 * define at 0.37.0, find_prev_rule at 0.44.1), so such an alert comes from a Falco that loaded another definition.
 */
export function ruleSourceConflict(view: AlertView): { alert: string; loaded: string } | undefined {
  const loaded = view.ruleSummary?.source;
  const alert = view.record.head.format === 'json' ? view.source : undefined;
  if (!loaded || !alert || alert === 'syscalls' || alert === loaded) return undefined;
  return { alert, loaded };
}

/** The alert's value of a field: from output_fields when the alert has them (the output's text is then only a
 *  rendering of the same values), else from the output's tokens. `<NA>` and null count as absent. */
export function valueOf(view: AlertView, field: string): string | undefined {
  if (view.outputFields) {
    const v = view.outputFields.get(field);
    return v === undefined || v === '<NA>' ? undefined : v;
  }
  for (const v of view.values) {
    if (v.field === field && v.value !== null && v.value !== '<NA>') return v.value;
  }
  return undefined;
}

/** The values to show as "the alert's fields": output_fields when present, else what the output's text yields
 *  (through the rule's template when one matched, by `key=value` tokens otherwise). */
export function shownValues(view: AlertView): AlertValue[] {
  if (!view.outputFields) return view.values;
  // output_fields come sorted by name (Falco ≥ 0.39); the output's order (the rule author's) reads better.
  const rank = new Map<string, number>();
  view.values.forEach((v, i) => { if (v.origin !== 'output_fields' && v.field !== undefined && !rank.has(v.field)) rank.set(v.field, i); });
  const fields = view.values.filter((v) => v.origin === 'output_fields');
  const at = (v: AlertValue) => rank.get(v.field ?? '') ?? Number.MAX_SAFE_INTEGER;
  return fields.map((v, i) => ({ v, i })).sort((a, b) => at(a.v) - at(b.v) || a.i - b.i).map((x) => x.v);
}

/** The innermost target at an offset of the record's text. */
export function targetAt(view: AlertView, offset: number): Target | undefined {
  let best: Target | undefined;
  for (const t of view.targets) {
    if (offset < t.start || offset >= t.end) continue;
    if (!best || t.end - t.start < best.end - best.start) best = t;
  }
  return best;
}
