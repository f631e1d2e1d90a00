// The event-type restrictions the no-evttype quick fix offers (LOAD_NO_EVTTYPE: a syscall rule whose condition
// matches every event code, or more than 100). A restriction is derived from what the condition tests, never a
// placeholder: a field that only some events carry gives those events, and each candidate is kept only if the rule,
// restricted by it, loads without the warning at the target release (restrictsEventTypes: every name known to that
// release's event table, every macro defined, 1 to 100 event codes).
//
// - evt.arg.<name> / evt.rawarg.<name>: the events whose table entry has a parameter of that name
//   (eventParams.ts at the target's libs); an event without it gives the field no value, so the rule cannot match it.
// - fd.* fields of a connection (addresses, ports, protocols): the syscalls Falco's own network macros watch
//   (falco_rules.yaml 5.1.0 inbound_outbound: accept, accept4, listen, connect).
// - other fd.* fields and evt.is_open_*: file opens (open_write, open_read: open, openat, openat2).
// - only process fields (proc.*, thread.*, user.*, group.*, container.*, k8s.*): spawned processes, as the official
//   spawned_process macro says (falco_rules.yaml 5.1.0: evt.type in (execve, execveat)).
// A macro the loaded files define is preferred to the names it stands for: open_write and open_read for files,
// inbound_outbound / inbound / outbound for connections, spawned_process, and any macro whose whole condition is an
// evt.type test of names all among the derived events (create_symlink for evt.arg.linkpath).
import { fieldsOf, macroRefsOf } from './condition';
import type { Expr } from './conditionAst';
import { eventCodeCount, eventTypeNameKnown, parseConditionCached, restrictsEventTypes } from './conditionChecks';
import type { Definitions } from './workspace';
import type { ModelNode } from './model';
import { eventNamesWithParameter } from '../../knowledge';

export interface EventRestriction {
  /** What the restriction stands for, in the quick fix's title after the text: `spawned processes`. */
  label: string;
  /** The text put before the condition, joined by `and (`: a macro name or an `evt.type in (...)` test. */
  text: string;
}

/** The rule whose condition the fix edits, as loaded with the definitions the fix must hold for. */
export interface RestrictionContext {
  /** The item's own condition text (the scalar's value). */
  own: string;
  /** The rule's condition as loaded after the item's file: the item's text, then appends. */
  effective: string;
  exceptions: readonly ModelNode[];
  /** The definitions the restricted rule is compiled with: after the item's file, and after each later file that keeps the rule. */
  defs: readonly Definitions[];
  falcoVersion: string | undefined;
}

/** At most this many restrictions are offered: the most specific first. */
const MAX_RESTRICTIONS = 4;

const PROCESS_CLASSES = ['proc.', 'thread.', 'user.', 'group.', 'container.', 'k8s.'];
/** Fields that say nothing about the event type: the type itself and its direction. */
const NEUTRAL_FIELDS = new Set(['evt.type', 'syscall.type', 'evt.dir']);
/** fd fields of a connection (libsinsp sinsp_filtercheck_fd.cpp: the address, port and protocol fields, fd.connected, fd.is_server). */
const NETWORK_FD_FIELD = /^fd\.(?:[cslr]?(?:ip|port|proto|net)|[cslr]ip\.name|l4proto|sockfamily|connected|is_server)$/;
const OPEN_FIELDS = new Set(['evt.is_open_read', 'evt.is_open_write', 'evt.is_open_exec', 'evt.is_open_create']);
/** The syscalls of Falco's own macros (falco_rules.yaml, rules 5.1.0). */
const FILE_OPENS = ['open', 'openat', 'openat2'];
const CONNECTIONS = ['accept', 'accept4', 'listen', 'connect'];
const EXECS = ['execve', 'execveat'];

/** What the fields the condition tests (macros expanded) say about the events it is meant for. */
interface Tested {
  network: boolean;
  file: boolean;
  /** Every field is a process field (or neutral), and there is at least one. */
  processOnly: boolean;
}

function testedBy(condition: string, defs: Definitions): Tested {
  const tested: Tested = { network: false, file: false, processOnly: true };
  let any = false;
  const seen = new Set<string>();
  const pending: string[] = [condition];
  // Bounded like the event-code walk: a hostile chain of macros is not followed past this many texts.
  for (let n = 0; pending.length > 0 && n < 1000; n++) {
    const ast: Expr | undefined = parseConditionCached(pending.pop()!).ast;
    for (const f of fieldsOf(ast)) {
      if (f.kind !== 'field' || NEUTRAL_FIELDS.has(f.name)) continue;
      any = true;
      if (f.name.startsWith('fd.')) {
        if (NETWORK_FD_FIELD.test(f.name)) tested.network = true;
        else tested.file = true;
      }
      if (OPEN_FIELDS.has(f.name)) tested.file = true;
      if (!PROCESS_CLASSES.some((c) => f.name.startsWith(c))) tested.processOnly = false;
    }
    for (const m of macroRefsOf(ast)) {
      const macro = defs.macros.get(m.name);
      if (!macro || seen.has(m.name)) continue;
      seen.add(m.name);
      pending.push(macro.condition);
    }
  }
  tested.processOnly &&= any;
  return tested;
}

/** `flags` of evt.arg.flags and evt.rawarg.flags; undefined for another field (evt.arg[1] selects by position). */
function parameterOf(name: string): string | undefined {
  for (const prefix of ['evt.arg.', 'evt.rawarg.']) if (name.startsWith(prefix)) return name.slice(prefix.length);
  return undefined;
}

/** The events a condition can be true for, as its evt.arg.<name> tests limit them, and the argument names that did. */
interface ArgumentEvents { events: ReadonlySet<string>; parameters: ReadonlySet<string> }

/**
 * The events for which the condition can be true, as far as its evt.arg.<name> and evt.rawarg.<name> comparisons say
 * (undefined: any event). Such a field has no value on an event without that parameter, and a comparison of a field
 * without a value is false whatever the operator (libs 0.25.2: sinsp_filtercheck_event.cpp extract, TYPE_ARGSTR and
 * TYPE_ARGRAW; sinsp_filtercheck.cpp compare_nocache). So an `and` holds only for the events of each operand that
 * limits them, an `or` for the union when every operand limits them; under a `not` nothing is limited. Restricting the
 * rule to these events changes nothing it matches.
 */
function argumentEvents(condition: string, defs: Definitions, falcoVersion: string | undefined, active: Set<string>): ArgumentEvents | undefined {
  const walk = (e: Expr | undefined): ArgumentEvents | undefined => {
    if (!e) return undefined;
    switch (e.kind) {
      case 'paren': return walk(e.inner);
      case 'and': {
        let acc: ArgumentEvents | undefined;
        for (const o of e.operands) {
          const r = walk(o);
          if (!r) continue;
          acc = acc ? { events: new Set([...acc.events].filter((n) => r.events.has(n))), parameters: new Set([...acc.parameters, ...r.parameters]) } : r;
        }
        return acc;
      }
      case 'or': {
        const events = new Set<string>();
        const parameters = new Set<string>();
        for (const o of e.operands) {
          const r = walk(o);
          if (!r) return undefined;
          for (const n of r.events) events.add(n);
          for (const p of r.parameters) parameters.add(p);
        }
        return { events, parameters };
      }
      case 'macro': {
        const macro = defs.macros.get(e.name);
        // A macro that uses itself (or a chain past the event-code walk's depth) limits nothing here.
        if (!macro || active.has(e.name) || active.size >= 1000) return undefined;
        active.add(e.name);
        try { return argumentEvents(macro.condition, defs, falcoVersion, active); } finally { active.delete(e.name); }
      }
      case 'compare': {
        const parameter = e.lhs.kind === 'field' ? parameterOf(e.lhs.name) : undefined;
        if (parameter === undefined) return undefined;
        return { events: new Set(eventNamesWithParameter(parameter, falcoVersion) ?? []), parameters: new Set([parameter]) };
      }
      default: return undefined;
    }
  };
  return walk(parseConditionCached(condition).ast);
}

/** The evt.type names of a macro whose whole condition is one evt.type `=`/`in` test of bare names; else undefined. */
function pureEventTypeNames(condition: string, defs: Definitions): string[] | undefined {
  let e = parseConditionCached(condition).ast;
  while (e?.kind === 'paren') e = e.inner;
  if (e?.kind !== 'compare' || e.lhs.kind !== 'field' || e.lhs.name !== 'evt.type' || e.lhs.arg || e.modifier) return undefined;
  if (e.op !== '=' && e.op !== '==' && e.op !== 'in') return undefined;
  const items = e.rhs?.kind === 'list' ? e.rhs.items : e.rhs?.kind === 'literal' ? [e.rhs] : [];
  // A bare item naming a list is pasted in by Falco: such a macro is left to the names written out.
  if (items.length === 0 || items.some((i) => i.quoted || defs.lists.has(i.text))) return undefined;
  return items.map((i) => i.text);
}

const evtTypeTest = (names: readonly string[]): string => `evt.type in (${names.join(', ')})`;

/**
 * The restrictions offered for a rule, most specific first: each one, put before the rule's condition as
 * `<text> and (<condition>)`, leaves a rule that loads without the warning. Empty when nothing plausible is derived.
 */
export function eventRestrictions(ctx: RestrictionContext): EventRestriction[] {
  const defs = ctx.defs[0];
  if (!defs) return [];
  const tested = testedBy(ctx.effective, defs);
  // Each candidate in order; `unless`: offered only when the restriction of that text was not (a macro's expansion).
  const candidates: (EventRestriction & { unless?: string })[] = [];
  const macro = (name: string, label: string): void => { if (defs.macros.has(name)) candidates.push({ label, text: name }); };
  const names = (list: readonly string[], label: string, unless?: string): void => {
    const known = list.filter((n) => eventTypeNameKnown(n, ctx.falcoVersion));
    if (known.length > 0) candidates.push({ label, text: evtTypeTest(known), ...(unless ? { unless } : {}) });
  };

  const byArgument = argumentEvents(ctx.effective, defs, ctx.falcoVersion, new Set());
  if (byArgument && byArgument.parameters.size > 0) {
    const known = [...byArgument.events].sort().filter((n) => eventTypeNameKnown(n, ctx.falcoVersion));
    const quoted = [...byArgument.parameters].map((p) => `'${p}'`);
    const what = quoted.length === 1 ? `events with argument ${quoted[0]}` : `events with ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
    let same: string | undefined;
    // Macros the files define that stand for these events or some of them (create_symlink, rename, spawned_process).
    for (const [name, m] of defs.macros) {
      const of = pureEventTypeNames(m.condition, defs);
      if (!of || !of.every((n) => known.includes(n))) continue;
      const all = known.every((n) => of.includes(n));
      if (all) same ??= name;
      candidates.push({ label: `${all ? '' : 'some '}${what}`, text: name });
    }
    if (known.length > 0 && eventCodeCount(known, ctx.falcoVersion) > 0) candidates.push({ label: what, text: evtTypeTest(known), ...(same ? { unless: same } : {}) });
  }
  if (tested.network) {
    macro('inbound_outbound', 'connections');
    macro('inbound', 'inbound connections');
    macro('outbound', 'outbound connections');
    names(CONNECTIONS, 'connections');
  } else if (tested.file) {
    macro('open_write', 'files opened for writing');
    macro('open_read', 'files opened for reading');
    names(FILE_OPENS, 'file opens');
  }
  if (tested.processOnly) {
    macro('spawned_process', 'spawned processes');
    names(EXECS, 'spawned processes', 'spawned_process');
  }

  const out: EventRestriction[] = [];
  for (const { label, text, unless } of candidates) {
    if (out.length >= MAX_RESTRICTIONS) break;
    if (out.some((o) => o.text === text || o.text === unless)) continue;
    if (holds(text, ctx)) out.push({ label, text });
  }
  return out;
}

/** The item's condition with the restriction put before it, as the quick fix writes it. */
function restrictedText(text: string, own: string): string {
  return `${text} and (${own})`;
}

/** Whether the rule, restricted, loads without the warning wherever it is compiled. */
function holds(text: string, ctx: RestrictionContext): boolean {
  const restricted = restrictedText(text, ctx.own.trim());
  const effective = ctx.effective.startsWith(ctx.own) ? restricted + ctx.effective.slice(ctx.own.length) : restricted;
  return ctx.defs.every((defs) => restrictsEventTypes(effective, ctx.exceptions, defs, ctx.falcoVersion));
}
