// Quick fixes (keyed on a diagnostic's code and data, never on its message) and source actions of rules files.
// Every edit is minimal: it replaces the one token at fault or inserts lines with the indentation already used by the
// item, and it never rewrites the user's other text or comments.
import type { CodeAction, CodeActionContext, Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import type { ServiceHost } from '../host';
import { lookupField } from '../../knowledge';
import { plainTitle } from '../markdown';
import { lineEnding } from '../text';
import { yamlOperator, yamlQuote, yamlString } from '../yamlText';
import { Code } from './diagnosticCodes';
import { entryOf, scalarBoolean, scalarMap, scalarText, type MapEntry, type ModelItem, type ModelNode, type RulesFileModel, type ScalarNode } from './model';
import { parseOutputCached } from './conditionChecks';
import { APPENDABLE, REPLACEABLE } from './schema';
import { ruleExceptions, ruleExceptionValues, type LoadResult, type LoadedFile } from './workspace';
import { eventRestrictions } from './eventRestriction';
import { fieldsWithoutComps } from './validate';
import { table } from '../../knowledge/table';

const QUICKFIX = 'quickfix';
const SOURCE_EXCEPTION = 'source.addException';
const SOURCE_DISABLE = 'source.disableRule';

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** Column of the item's keys (`  condition:` → 2). */
function keyIndent(model: RulesFileModel, item: ModelItem): string {
  const first = item.entries[0];
  if (!first) return '  ';
  const pos = model.lines.positionAt(first.keySpan.start);
  const line = model.lines.lineText(pos.line);
  const column = pos.character;
  // Block items start with `- `: the keys are indented by the dash column + 2; use the real column either way.
  return line.slice(0, column).replace(/[^\t]/g, ' ');
}

/** Offset where a new line after the item goes: the start of the line after its last non-blank character. */
function afterItem(model: RulesFileModel, item: ModelItem): { offset: number; needsBreak: boolean } {
  let end = item.span.end;
  const text = model.text;
  while (end > item.span.start && /\s/.test(text[end - 1])) end--;
  const line = model.lines.positionAt(end).line;
  if (line + 1 < model.lines.lineCount) return { offset: model.lines.lineStarts[line + 1], needsBreak: false };
  return { offset: text.length, needsBreak: true };
}

function edit(uri: string, edits: TextEdit[]): { changes: Record<string, TextEdit[]> } {
  return { changes: { [uri]: edits } };
}

function replace(model: RulesFileModel, start: number, end: number, newText: string): TextEdit {
  return { range: model.lines.range(start, end), newText };
}

function insert(model: RulesFileModel, at: number, newText: string): TextEdit {
  return { range: model.lines.range(at, at), newText };
}

function itemAt(model: RulesFileModel, offset: number): ModelItem | undefined {
  return model.items.find((i) => i.span.start <= offset && offset <= i.span.end);
}

// ---------------------------------------------------------------------------------------------------------------
// Quick fixes

const RULE_SKELETON: Record<string, string> = table({
  desc: 'desc: Describe what this rule detects and why it matters',
  condition: 'condition: evt.type = execve and proc.name = replace_me',
  output: 'output: "Replace with a summary | process=%proc.name command=%proc.cmdline"',
  priority: 'priority: WARNING',
});
const MACRO_SKELETON: Record<string, string> = table({ condition: 'condition: proc.name = replace_me' });
const LIST_SKELETON: Record<string, string> = table({ items: 'items: []' });

function quickFixes(file: LoadedFile, load: LoadResult, d: Diagnostic, falcoVersion?: string): CodeAction[] {
  const model = file.model;
  const uri = file.uri;
  const data = (d.data ?? {}) as Record<string, unknown>;
  const suggestions = Array.isArray(data.suggestions) ? (data.suggestions as string[]) : [];
  const start = model.lines.offsetAt(d.range.start);
  const end = model.lines.offsetAt(d.range.end);
  const item = itemAt(model, start);
  const fix = (title: string, edits: TextEdit[], preferred = false): CodeAction => ({
    title: plainTitle(title), kind: QUICKFIX, diagnostics: [d], edit: edit(uri, edits), ...(preferred ? { isPreferred: true } : {}),
  });
  // The first suggestion is the preferred fix, unless the finding says its suggestions are a guess.
  const replacements = (what: string, write = (s: string) => s) => suggestions.map((s, i) => fix(`Change to ${what} '${s}'`, [replace(model, start, end, write(s))], i === 0 && data.guess !== true));
  // A name of Falco's official rules whose file is not loaded: the repair is the setting, not the text.
  if (typeof data.official === 'string') {
    const title = plainTitle(`Load ${data.official.replace(/ \(.*\)$/, '')}: open the setting 'falcoLens.rules.files'`);
    return [{ title, kind: QUICKFIX, diagnostics: [d], command: { title, command: 'workbench.action.openSettings', arguments: ['falcoLens.rules.files'] } }];
  }

  switch (d.code) {
    case Code.InvalidPriority: return replacements('priority');
    // A yaml-cpp boolean other than true/false (validate.ts): the text as Falco reads it, where the value is a plain or
    // quoted word right after its key's colon: not an anchored value, which other keys may read through aliases (a
    // finding made through an alias sits at the anchored text too).
    case Code.InvalidValueType: {
      const before = model.text.slice(model.text.lastIndexOf('\n', start - 1) + 1, start);
      return /:\s*$/.test(before) && /^(["']?)[A-Za-z]+\1$/.test(model.text.slice(start, end)) ? replacements('value') : [];
    }
    case Code.UnknownKey: return replacements('key');
    case Code.UnknownField: return replacements('field');
    case Code.UndefinedMacro: return replacements('macro');
    case Code.UnknownEventType: return replacements('event type');
    case Code.UnknownList: return replacements('list');
    case Code.UnknownSource: return replacements('source');
    // The whole comp scalar is replaced: `!=`, `>` and `>=` are quoted (yamlOperator).
    case Code.ExceptionComps: return replacements('operator', yamlOperator);
    case Code.UnknownItem: return replacements('item kind');
    // A list's name as a bare value (conditionChecks.ts reportListNamesAsValues): `= name` becomes `in (name)`, a list
    // operator's bare name is put in parentheses. Offered only where the document holds just that text (a plain word
    // after the operator on one line), so the edit cannot reach into anything else.
    case Code.ListNameAsValue: {
      if (typeof data.fix !== 'string' || typeof data.from !== 'number' || data.from > start) return [];
      const name = model.text.slice(start, end);
      const written = model.text.slice(data.from, end);
      const bare = /^[^\s()",'=]+$/.test(name);
      if (!bare || data.fix.slice(data.fix.indexOf('(')) !== `(${name})`) return [];
      if (data.from < start && !/^==?[ \t]*$/.test(written.slice(0, written.length - name.length))) return [];
      // `proc.name=sb`: the word operator needs a blank before it.
      const text = data.from === start ? `(${name})` : `${/\s/.test(model.text[data.from - 1] ?? ' ') ? '' : ' '}${data.fix}`;
      return [fix(`Write '${data.fix}'`, [replace(model, data.from, end, text)], true)];
    }
    case Code.CannotAppend: {
      if (typeof data.key !== 'string') return [];
      return [fix(`Use '${data.key}: replace'`, [replace(model, start, end, 'replace')], true)];
    }
    case Code.DeprecatedAppend: {
      if (!item) return [];
      const appendEntry = entryOf(item, 'append');
      if (!appendEntry?.value) return [];
      const keys = Array.isArray(data.keys) ? (data.keys as string[]) : [];
      if (keys.length === 0) return [];
      const indent = keyIndent(model, item);
      const eol = lineEnding(model.text);
      const text = isFlowItem(item) ? `override: {${keys.map((k) => `${k}: append`).join(', ')}}`
        : ['override:', ...keys.map((k) => `${indent}  ${k}: append`)].join(eol);
      const action = fix(`Replace 'append: true' with 'override: ${keys.map((k) => `${k}: append`).join(', ')}'`, [replace(model, appendEntry.keySpan.start, appendEntry.value.span.end, text)], true);
      // A key Falco ignores beside `append: true` (append-key-ignored) is refused next to an override without its
      // entry ("Unexpected key", rule_loader_reader.cpp 0.44.0:852-858): greyed out until the user settles it.
      const ignored = item.kind === 'rule' ? ['output', 'desc', 'priority', 'tags'].filter((k) => entryOf(item, k)) : [];
      if (ignored.length === 0) return [action];
      const { edit: _edit, isPreferred: _preferred, ...rest } = action;
      return [{ ...rest, disabled: { reason: `The item also has ${ignored.map((k) => `'${k}'`).join(', ')}, which Falco ignores beside 'append: true' but refuses beside an 'override:' that does not name ${ignored.length === 1 ? 'it' : 'them'} ("Unexpected key"). Remove ${ignored.length === 1 ? 'it' : 'them'}, or name ${ignored.length === 1 ? 'it' : 'them'} under 'override:', first.` } }];
    }
    case Code.MissingRequiredKey: {
      if (!item || (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list')) return [];
      const keys = Array.isArray(data.keys) ? (data.keys as string[]) : [];
      const skeleton = item.kind === 'rule' ? RULE_SKELETON : item.kind === 'macro' ? MACRO_SKELETON : LIST_SKELETON;
      const lines = keys.filter((k) => skeleton[k]).map((k) => skeleton[k]);
      if (lines.length === 0) return [];
      const added = keys.map((k) => `'${k}'`).join(', ');
      // A name defined before this item: the skeleton makes the item a definition that replaces the earlier one
      // whole (rule_loader_collector.cpp define_info, `*prev = info`), with placeholder text. Falco's user almost
      // always meant to change the earlier item: an override of the keys written is offered first.
      const earlier = definedBefore(load, file, item);
      if (!earlier || isLegacyAppendItem(item)) return [fix(`Add ${added} (to fill in)`, [appendEntries(model, item, lines)], true)];
      const override = entryOf(item, 'override') ? undefined : overrideOfWrittenKeys(item);
      return [
        ...(override ? [fix(`Change the earlier ${item.kind} instead: add 'override: ${override.map(([k, op]) => `${k}: ${op}`).join(', ')}'`,
          [appendEntries(model, item, isFlowItem(item) ? [`override: {${override.map(([k, op]) => `${k}: ${op}`).join(', ')}}`]
            : ['override:', ...override.map(([k, op]) => `  ${k}: ${op}`)])], true)] : []),
        fix(`Replace the earlier ${item.kind} whole: add ${added} (to fill in)`, [appendEntries(model, item, lines)]),
      ];
    }
    case Code.DeprecatedEnabled: {
      if (!item) return [];
      return [fix(`Add 'override: enabled: replace'`, [appendEntries(model, item, isFlowItem(item) ? ['override: {enabled: replace}'] : ['override:', '  enabled: replace'])], true)];
    }
    case Code.InvalidOverride: {
      // A misspelt operation (`condition: appned`): the allowed one it is closest to.
      if (suggestions.length > 0) return replacements('operation');
      // An `override:` Falco reads as none (validate.ts reportOverrideWithoutEntries): its lines can go, when the key
      // starts its own line.
      const entry = item && data.removeOverride === true ? entryOf(item, 'override') : undefined;
      if (!entry) return [];
      const lineStart = model.lines.offsetAt({ line: model.lines.positionAt(entry.keySpan.start).line, character: 0 });
      if (model.text.slice(lineStart, entry.keySpan.start).trim() !== '') return [];
      // A block value's span ends after its line break; a flow or empty value's line ends at the next one.
      const lineBreak = model.text.indexOf('\n', Math.max(entry.span.end - 1, entry.keySpan.end));
      return [fix(`Remove 'override'`, [replace(model, lineStart, lineBreak < 0 ? model.text.length : lineBreak + 1, '')], true)];
    }
    case Code.MissingOverrideEntry: {
      if (!item || typeof data.key !== 'string') return [];
      const ops = Array.isArray(data.ops) ? (data.ops as string[]) : [];
      const override = entryOf(item, 'override');
      const preferred = ops.includes('append') && ['condition', 'exceptions', 'items', 'tags'].includes(data.key) ? 'append' : ops[0];
      // Exceptions an 'exceptions: replace' brings get no default comps (validate.ts validateReplacedExceptionComps):
      // with one that has values and no comps, 'replace' would be an error of its own.
      const uncompleted = data.key === 'exceptions' && fieldsWithoutComps(entryOf(item, 'exceptions')?.value).length > 0;
      return ops.filter((op) => !(op === 'replace' && uncompleted)).map((op) => {
        const e = override ? addOverrideEntry(model, item, override, `${data.key}: ${op}`) : undefined;
        return e ? fix(`Add '${data.key}: ${op}' under 'override'`, [e], op === preferred) : undefined;
      }).filter((a): a is CodeAction => !!a);
    }
    case Code.NoEventType: {
      if (!item || item.kind !== 'rule' || item.name === undefined) return [];
      const cond = entryOf(item, 'condition')?.value;
      if (cond?.kind !== 'scalar' || typeof cond.value !== 'string') return [];
      const text = cond.text;
      const first = text.search(/\S/);
      if (first < 0) return [];
      let last = text.length;
      while (last > first && /\s/.test(text[last - 1])) last--;
      const map = scalarMap(cond);
      if (!map.exact) return [];
      // The rule as compiled after this file and after each later file that keeps it: a restriction must hold in all.
      const defs = load.files[file.order] === file ? load.after.slice(file.order) : [load.final];
      const rule = defs[0]?.rules.get(item.name);
      // Only the item whose text the rule's condition starts from: an earlier definition a later one replaces is not compiled.
      const defining = rule?.contributions.filter((c) => c.mode === 'define' || c.mode === 'redefine').pop();
      if (!rule || rule.condition === undefined || defining?.item !== item) return [];
      const kept = defs.filter((d) => d.rules.get(item.name!) === rule);
      const restrictions = eventRestrictions({ own: text, effective: rule.condition, exceptions: ruleExceptionValues(rule), defs: kept, falcoVersion });
      // Not preferred: each restriction changes which events the rule sees, a choice the author makes.
      return restrictions.map((r) => fix(`Restrict to ${r.text}: ${r.label}`, [
        insert(model, map.start(first), `${r.text} and (`),
        insert(model, map.end(last), ')'),
      ]));
    }
    case Code.ExceptionArity: {
      const missing = typeof data.missing === 'number' ? data.missing : 0;
      if (missing <= 0 || !item) return [];
      const comps = findComps(item, start);
      if (!comps || comps.kind !== 'seq') return [];
      return [fix(`Pad 'comps' with ${missing} '='`, [padSequence(model, comps, '=', missing)], true)];
    }
    case Code.FieldAsValue: {
      // `proc.name = proc.pname` -> `proc.name = val(proc.pname)`. Not preferred: the service does not know the Falco
      // version in use (val() needs 0.38), and the author may really mean the text.
      const field = typeof data.field === 'string' ? data.field : undefined;
      if (!field || model.text.slice(start, end) !== field) return [];
      return [fix(`Compare with the value of the field: val(${field})`, [replace(model, start, end, `val(${field})`)])];
    }
    case Code.TransformerAsValue: {
      // `proc.name = "tolower(proc.pname)"` -> `proc.name = tolower(proc.pname)`: not preferred (the text may be meant).
      const call = typeof data.call === 'string' ? data.call : undefined;
      const token = model.text.slice(start, end);
      const q = token[0];
      if (!call || (q !== '"' && q !== "'") || token !== `${q}${call}${q}`) return [];
      return [fix(`Compare with the transformed field: ${call}`, [replace(model, start, end, call)])];
    }
    case Code.ConditionSyntax: {
      // `k8s.ns.label.app-tier`, which Falco's condition parser cuts at the '-' (the range is the text it did not take).
      const bracket = item && labelBracketEdit(model, item, start, data);
      if (bracket) return [fix(`Write the argument in brackets: '${bracket.bracketForm}'`, [bracket.edit], true)];
      // `condition: and …` in an item that redefines an earlier one without `override:`: the author meant to append
      // (Falco reads the item as a new definition whose condition starts with 'and'), as MissingRequiredKey offers.
      const written = item && entryOf(item, 'condition')?.value;
      const leading = scalarText(written)?.trimStart() ?? '';
      const word = model.text.slice(start, end);
      if (!item || (word !== 'and' && word !== 'or') || !leading.startsWith(`${word} `) || (item.kind !== 'macro' && item.kind !== 'rule')
        || entryOf(item, 'override') || isLegacyAppendItem(item) || !definedBefore(load, file, item)) return [];
      const override = overrideOfWrittenKeys(item);
      if (!override) return [];
      const text = override.map(([k, op]) => `${k}: ${op}`).join(', ');
      return [fix(`Change the earlier ${item.kind} instead: add 'override: ${text}'`,
        [appendEntries(model, item, isFlowItem(item) ? [`override: {${text}}`] : ['override:', ...override.map(([k, op]) => `  ${k}: ${op}`)])], true)];
    }
    case Code.FieldArgument: {
      // `k8s.pod.label.team` -> `k8s.pod.label[team]` (the range is the field's name).
      if (typeof data.dotForm === 'string') {
        const bracket = item && labelBracketEdit(model, item, start, data);
        return bracket ? [fix(`Write the argument in brackets: '${bracket.bracketForm}'`, [bracket.edit], true)] : [];
      }
      // `proc.name[0]` -> `proc.name`, `thread.cgroup[cpu]` -> `thread.cgroup.cpu`: the range is the argument, and the
      // fix replaces it with its brackets when the document holds exactly `[argument]` there.
      const argument = typeof data.argument === 'string' ? data.argument : undefined;
      const replaceWith = typeof data.replaceWith === 'string' ? data.replaceWith : undefined;
      if (argument === undefined || replaceWith === undefined || model.text.slice(start - 1, end + 1) !== `[${argument}]`) return [];
      const title = replaceWith === '' ? `Remove the argument '[${argument}]'` : `Write the argument after a dot: '${replaceWith}'`;
      return [fix(title, [replace(model, start - 1, end + 1, replaceWith)], true)];
    }
    case Code.RegexSimplerOperator: {
      const edits = regexRewriteEdits(model, start, end, data);
      return edits ? [fix(`Use '${String(data.op)}' instead of 'regex'`, edits, data.exact === true)] : [];
    }
    default: return [];
  }
}

/**
 * The edit that writes a label given after a dot in brackets (`k8s.ns.label.app-tier` -> `k8s.ns.label[app-tier]`,
 * `data.dotForm` and `data.bracketForm`: conditionChecks.ts labelBracket, which names it only where the label meant is
 * plain and the bracket form is read whole at every release that has the field). The dot form must stand in the
 * document as written, from at or before the finding's start (the field's name, or the text Falco's parser did not
 * take into it) to past it, and no name may go on around it. Only the dot and the label change; a plain scalar in a
 * flow collection (`fields: [k8s.ns.label.app-tier]`), where a bracket would end it, is double-quoted whole. Once
 * applied, no finding asks for it again.
 */
function labelBracketEdit(model: RulesFileModel, item: ModelItem, start: number, data: Record<string, unknown>): { edit: TextEdit; bracketForm: string } | undefined {
  const { dotForm, bracketForm } = data;
  if (typeof dotForm !== 'string' || typeof bracketForm !== 'string') return undefined;
  const open = bracketForm.indexOf('[');
  const field = bracketForm.slice(0, open);
  if (open <= 0 || !bracketForm.endsWith(']') || dotForm !== `${field}.${bracketForm.slice(open + 1, -1)}`) return undefined;
  const text = model.text;
  const at = text.lastIndexOf(dotForm, start);
  const after = at + dotForm.length;
  if (at < 0 || after <= start || /[A-Za-z0-9_.]/.test(text[at - 1] ?? '') || /[A-Za-z0-9/_.[-]/.test(text[after] ?? '')) return undefined;
  const bracket = bracketForm.slice(open);
  const holder = scalarAt(item.node, at, false);
  if (!holder || holder.scalar.span.end < after) return undefined;
  const { scalar, flow } = holder;
  if (!flow || scalar.style !== 'plain') return { edit: replace(model, at + field.length, after, bracket), bracketForm };
  const written = text.slice(scalar.span.start, scalar.span.end);
  if (/["\\\n\r]/.test(written)) return undefined;
  const quoted = `"${written.slice(0, at + field.length - scalar.span.start)}${bracket}${written.slice(after - scalar.span.start)}"`;
  return { edit: replace(model, scalar.span.start, scalar.span.end, quoted), bracketForm };
}

/** The scalar of `node` at `offset`, and whether a flow collection holds it. */
function scalarAt(node: ModelNode, offset: number, flow: boolean): { scalar: ScalarNode; flow: boolean } | undefined {
  if (offset < node.span.start || offset > node.span.end) return undefined;
  if (node.kind === 'scalar') return { scalar: node, flow };
  const children = node.kind === 'seq' ? node.items : node.kind === 'map' ? node.entries.map((e) => e.value) : [];
  for (const child of children) {
    const found = child && scalarAt(child, offset, flow || (node.kind !== 'other' && node.flow));
    if (found) return found;
  }
  return undefined;
}

/**
 * The edits that turn `field regex <value>` into `field <op> <new value>`: the operator word before the value and the
 * value token, in the value's own quoting. Undefined when the document text is not the condition's text as it is
 * (escapes of a quoted YAML scalar) or when the new value would need other quoting.
 */
function regexRewriteEdits(model: RulesFileModel, start: number, end: number, data: Record<string, unknown>): TextEdit[] | undefined {
  const op = data.op;
  const value = data.value;
  if (typeof op !== 'string' || typeof value !== 'string' || value === '') return undefined;
  const text = model.text;
  const token = text.slice(start, end);
  let newToken: string;
  if (data.quoted === true) {
    const q = token[0];
    if ((q !== '"' && q !== "'") || token.length < 2 || !token.endsWith(q)) return undefined;
    const inner = token.slice(1, -1);
    if (inner.includes('\\') || inner.includes(q) || value.includes(q) || value.includes('\\') || !inner.includes(value)) return undefined;
    newToken = `${q}${value}${q}`;
  } else {
    if (!/^[^()"'\s=,]+$/.test(token) || !token.includes(value)) return undefined;
    newToken = value;
  }
  // The operator: the word `regex` before the value, after blanks (a folded condition may break the line there).
  let p = start;
  while (p > 0 && /\s/.test(text[p - 1])) p--;
  if (p === start || text.slice(p - 5, p) !== 'regex' || (p > 5 && !/\s/.test(text[p - 6]))) return undefined;
  return [replace(model, p - 5, p, op), replace(model, start, end, newToken)];
}

function findComps(item: ModelItem, offset: number): ModelNode | undefined {
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return undefined;
  for (const ex of exceptions.items) {
    if (ex.kind !== 'map') continue;
    const comps = ex.entries.find((e) => e.key === 'comps')?.value;
    if (comps && comps.span.start <= offset && offset <= comps.span.end) return comps;
  }
  return undefined;
}

/** Appends `count` copies of `value` to a sequence, in its own style (flow `[a, b]` or block `- a`). */
function padSequence(model: RulesFileModel, seq: Extract<ModelNode, { kind: 'seq' }>, value: string, count: number): TextEdit {
  if (seq.flow) {
    const close = model.text.lastIndexOf(']', seq.span.end);
    const last = seq.items[seq.items.length - 1];
    const prefix = last ? ', ' : '';
    const at = last ? last.span.end : close;
    return insert(model, at, prefix + Array(count).fill(value).join(', '));
  }
  const last = seq.items[seq.items.length - 1];
  const lastLine = model.lines.positionAt(last.span.start);
  const line = model.lines.lineText(lastLine.line);
  const dash = line.slice(0, lastLine.character).replace(/-\s*$/, '').replace(/[^\t]/g, ' ');
  const eol = lineEnding(model.text);
  const at = model.lines.lineEnd(model.lines.positionAt(last.span.end).line);
  return insert(model, at, Array(count).fill(`${eol}${dash}- ${value}`).join(''));
}

/** Whether the item is a flow mapping (`- {rule: x, enabled: false}`), where entries go before its `}`. */
function isFlowItem(item: ModelItem): boolean {
  return item.node.kind === 'map' && item.node.flow;
}

/**
 * Entries (`key: value`, one line each) added to an item: lines indented like its keys, or, in a flow mapping,
 * `, key: value` after its last entry (block lines there would not be YAML). Flow entries must be one line each.
 */
function appendEntries(model: RulesFileModel, item: ModelItem, entries: string[]): TextEdit {
  if (!isFlowItem(item)) return appendLines(model, item, entries);
  const last = item.entries[item.entries.length - 1];
  return insert(model, last.span.end, entries.map((e) => `, ${e}`).join(''));
}

function isLegacyAppendItem(item: ModelItem): boolean {
  return scalarBoolean(entryOf(item, 'append')?.value) === true;
}

/** Whether an item before this one in the load order (an earlier file, or earlier in this file) defines its name. */
function definedBefore(load: LoadResult, file: LoadedFile, item: ModelItem): boolean {
  if (item.name === undefined || (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list')) return false;
  const defs = item.kind === 'rule' ? load.final.rules : item.kind === 'macro' ? load.final.macros : load.final.lists;
  return (defs.get(item.name)?.contributions ?? []).some((c) => c.file.order < file.order || (c.file === file && c.item.span.start < item.span.start));
}

/**
 * The override entries for the keys an item writes (besides its name): append for a condition starting with
 * `and`/`or` and for exceptions, items and tags, replace otherwise; undefined when a key cannot be overridden or
 * none is written (rule_loader_reader.cpp decode_overrides and the overridable sets, 0.44.0).
 */
function overrideOfWrittenKeys(item: ModelItem): [string, 'append' | 'replace'][] | undefined {
  const kind = item.kind as 'rule' | 'macro' | 'list';
  const out: [string, 'append' | 'replace'][] = [];
  for (const e of item.entries) {
    if (e === item.kindEntry) continue;
    const appendable = APPENDABLE[kind].includes(e.key);
    if (!appendable && !REPLACEABLE[kind].includes(e.key)) return undefined;
    const condition = e.key === 'condition' && /^\s*(and|or)\b/.test(scalarText(e.value) ?? '');
    out.push([e.key, appendable && (condition || ['exceptions', 'items', 'tags'].includes(e.key)) ? 'append' : 'replace']);
  }
  return out.length ? out : undefined;
}

/** Lines appended to an item, each indented like the item's keys. */
function appendLines(model: RulesFileModel, item: ModelItem, lines: string[]): TextEdit {
  const indent = keyIndent(model, item);
  const eol = lineEnding(model.text);
  const { offset, needsBreak } = afterItem(model, item);
  const body = lines.map((l) => `${indent}${l}`).join(eol) + eol;
  return insert(model, offset, needsBreak ? eol + body : body);
}

/** Adds `key: op` to an item's `override:` mapping in the mapping's own style. */
function addOverrideEntry(model: RulesFileModel, item: ModelItem, override: MapEntry, entryText: string): TextEdit | undefined {
  const map = override.value;
  if (map?.kind !== 'map') return undefined;
  if (map.flow) {
    const last = map.entries[map.entries.length - 1];
    if (!last) {
      const open = model.text.indexOf('{', override.keySpan.end);
      return open >= 0 ? insert(model, open + 1, ` ${entryText} `) : undefined;
    }
    return insert(model, last.span.end, `, ${entryText}`);
  }
  const last = map.entries[map.entries.length - 1];
  if (!last) return undefined;
  const pos = model.lines.positionAt(last.keySpan.start);
  const indent = model.lines.lineText(pos.line).slice(0, pos.character).replace(/[^\t]/g, ' ');
  const at = model.lines.lineEnd(model.lines.positionAt(last.span.end).line);
  void item;
  return insert(model, at, `${lineEnding(model.text)}${indent}${entryText}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Source actions on a rule

/** Fields for an exception skeleton: string fields of the rule's output that an exception can compare. */
export function exceptionFieldsFor(output: string | undefined, source: string): string[] {
  const out: string[] = [];
  if (output) {
    for (const f of parseOutputCached(output).fields) {
      if (out.length >= 3) break;
      const ref = f.arg ? `${f.name}[${f.arg.text}]` : f.name;
      const match = lookupField(ref);
      if (!match || match.field.outputOnly || f.name.startsWith('evt.')) continue;
      if (!['CHARBUF', 'FSPATH', 'FSRELPATH'].includes(match.field.type) || match.field.isList) continue;
      if (!(match.field.sources as string[]).includes(source)) continue;
      if (!out.includes(ref)) out.push(ref);
    }
  }
  if (out.length === 0 && source === 'syscall') out.push('proc.name');
  return out;
}

function sourceActions(file: LoadedFile, load: LoadResult, range: Range, only: string[] | undefined): CodeAction[] {
  const model = file.model;
  const item = itemAt(model, model.lines.offsetAt(range.start));
  if (!item || item.kind !== 'rule' || item.name === undefined) return [];
  const rule = load.final.rules.get(item.name);
  if (!rule) return [];
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const eol = lineEnding(model.text);
  const tail = model.text.length === 0 || model.text.endsWith('\n') ? '' : eol;
  const separator = model.text.length === 0 ? '' : eol;
  const actions: CodeAction[] = [];
  const name = yamlString(item.name);

  if (wants(SOURCE_EXCEPTION)) {
    const fields = exceptionFieldsFor(rule.output, rule.source);
    const existing = new Set(ruleExceptions(rule).map((e) => (e.kind === 'map' ? scalarText(e.entries.find((x) => x.key === 'name')?.value) : undefined)));
    const base = `${item.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40) || 'rule'}_known_good`;
    let exceptionName = base;
    for (let n = 2; existing.has(exceptionName); n++) exceptionName = `${base}_${n}`;
    if (fields.length > 0) {
      const lines = [
        `- rule: ${name}`,
        '  exceptions:',
        `    - name: ${exceptionName}`,
        // A field with an argument (proc.aname[2]) is quoted: a bracket ends a plain scalar in a flow sequence.
        `      fields: [${fields.map(yamlString).join(', ')}]`,
        `      comps: [${fields.map(() => '=').join(', ')}]`,
        '      values:',
        `        - [${fields.map((f) => yamlQuote(`replace with the ${f} value`)).join(', ')}]`,
        '  override:',
        '    exceptions: append',
      ];
      actions.push({
        title: plainTitle(`Add exception to '${item.name}' (override appended to this file)`), kind: SOURCE_EXCEPTION,
        edit: edit(file.uri, [insert(model, model.text.length, tail + separator + lines.join(eol) + eol)]),
      });
    }
  }
  if (wants(SOURCE_DISABLE) && rule.enabled) {
    const lines = [`- rule: ${name}`, '  enabled: false', '  override:', '    enabled: replace'];
    actions.push({
      title: plainTitle(`Disable rule '${item.name}' with an override (last resort: prefer an exception)`), kind: SOURCE_DISABLE,
      edit: edit(file.uri, [insert(model, model.text.length, tail + separator + lines.join(eol) + eol)]),
    });
  }
  return actions;
}

/**
 * A quick fix that edits text read through YAML aliases by items the finding is not about (validate.ts
 * markSharedText: `data.sharedText`) would change them silently: it is offered greyed out, with the anchor and the
 * items it would also change. Greyed out rather than left out, so the user learns why the usual fix is missing; not
 * rewritten to copy the anchored text into the item first, since that replaces the alias with a copy the user would
 * then keep in step by hand, a choice the user should make. A finding every reader shares keeps its plain fix.
 */
function sharedTextFix(model: RulesFileModel, d: Diagnostic, action: CodeAction): CodeAction {
  const shared = sharedTextEdited(model, d, action);
  if (!shared) return action;
  const { anchors, others } = shared;
  const names = others.length === 1 ? others[0] : `${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}`;
  const { edit: _edit, isPreferred: _preferred, ...rest } = action;
  return {
    ...rest,
    disabled: { reason: `This text is shared through ${anchors.map((a) => `*${a}`).join(', ')}: the edit would also change ${names}, which this finding is not about. Write the text in place of the alias where it should change alone.` },
  };
}

/** The finding's `data.sharedText` when the action's edits touch the anchored texts it names. */
function sharedTextEdited(model: RulesFileModel, d: Diagnostic, action: CodeAction): { anchors: string[]; others: string[] } | undefined {
  const shared = (d.data as { sharedText?: { anchors?: unknown; others?: unknown } } | undefined)?.sharedText;
  const edits = action.edit?.changes?.[model.uri];
  if (!shared || !Array.isArray(shared.anchors) || !Array.isArray(shared.others) || !edits) return undefined;
  const anchors = shared.anchors as string[];
  const targets = (model.aliases ?? []).filter((u) => anchors.includes(u.anchor)).map((u) => u.target);
  const touches = edits.some((e) => {
    const start = model.lines.offsetAt(e.range.start);
    const end = model.lines.offsetAt(e.range.end);
    return targets.some((t) => t.start <= end && start <= t.end);
  });
  return touches ? { anchors, others: shared.others as string[] } : undefined;
}

/**
 * Keeps `data.sharedText` (validate.ts markSharedText) on the findings whose quick fixes read it: a fix editing the
 * anchored texts it names, which sharedTextFix greys out. Elsewhere (no quick fix, or fixes that edit other text: a
 * plugin requirement added at the top, a macro's own name) it is dropped, so the published diagnostics stay small.
 */
export function keepSharedTextForFixes(file: LoadedFile, load: LoadResult, diagnostics: Diagnostic[], falcoVersion?: string): void {
  for (const d of diagnostics) {
    const data = d.data as Record<string, unknown> | undefined;
    if (!data?.sharedText) continue;
    let fixes: CodeAction[] = [];
    try { fixes = quickFixes(file, load, d, falcoVersion); } catch { /* no fix */ }
    if (fixes.some((a) => sharedTextEdited(file.model, d, a))) continue;
    const { sharedText: _shared, ...rest } = data;
    if (Object.keys(rest).length > 0) d.data = rest;
    else delete d.data;
  }
}

export function codeActions(file: LoadedFile, load: LoadResult, range: Range, context: CodeActionContext, host: ServiceHost): CodeAction[] {
  const only = context.only;
  const actions: CodeAction[] = [];
  if (!only || only.some((k) => k === QUICKFIX || QUICKFIX.startsWith(k))) {
    for (const d of context.diagnostics) {
      if (d.source !== 'falco') continue;
      try { actions.push(...quickFixes(file, load, d, host.settings().falcoVersion).map((a) => sharedTextFix(file.model, d, a))); } catch { /* a stale diagnostic: no fix rather than a wrong one */ }
    }
  }
  if (!only || only.some((k) => k === 'source' || k.startsWith('source'))) actions.push(...sourceActions(file, load, range, only));
  return actions;
}
