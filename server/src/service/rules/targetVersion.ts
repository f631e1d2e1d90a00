// What the user's Falco release (the `falcoLens.falcoVersion` setting) lacks: a `required_engine_version` above its
// rules engine, and operators, modifiers, transformers, `val()`, fields, field arguments and rule keys added by later
// releases; and what it still reads that later releases refuse (removed fields, the dot form of k8s.*.label). The
// other checks follow the latest release; these report, for an older target, what its loader rejects on top of that,
// and the target's reporter (reporterFor) drops what they say that the older loader would not.
//
// A separate pass rather than a version parameter threaded through the parser and the field checks: the parse and
// field-check memos stay keyed on text alone, and at the default target the pass reads required_engine_version
// items only, so checking for the latest release costs nothing more than before.
// The evt.type names the target's event table lacks are not checked here: the condition checks read that table
// (conditionChecks.ts validateConditions), so a name reached through a list or an exception value is checked too.
import {
  compareVersions, isEventTableName, isEventTableNameAt, OLDER_DOT_ARGUMENT, falcoRelease, FALCO_RELEASES, LATEST_FALCO, LOADER_WARNINGS_SINCE, lookupField, newerThanTarget,
  olderDotForm, RULE_KEYS_SINCE,
} from '../../knowledge';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { removedField, type RemovedField } from '../../knowledge/fields/removed';
import { comparisonsOf, fieldsOf, macroRefsOf, transformersOf } from './condition';
import type { Expr, OutputField, SyntaxError } from './conditionAst';
import { cutLabelBracket, EXCEPTION_FIELD_READ, notSourceFilterField, parseConditionCached, pluginFieldNeedingArgument, parseOutputCached, replacedExceptionContext, replacesExceptions, resolveListText, type OutputCheckOptions } from './conditionChecks';
import type { OutputAppend } from '../config/rulesFiles';
import { Code } from './diagnosticCodes';
import {
  atEndNoteInOutput, bracketReading, bracketReadingMessage, fallbackCheckThrows, fallbackCheckThrowsMessage, filterOnlyFailsLoad, filterOnlyMessage, openTransformerFailsLoad, openTransformerMessage, pluginArgumentFailsLoad, pluginArgumentMessage, pluginWordProblem, readsNameOnlyAtEnd,
  inBuiltOutput, outputTail, swallowedText, swallowingField,
  type OutputReadOptions, type OutputTail,
} from './outputReading';
import { trailingDotLabelMessage } from './outputReading';
import { entryOf, scalarBoolean, scalarMap, scalarText, type MapNode, type ModelItem, type ModelNode, type RulesFileModel, type ScalarNode, type Span } from './model';
import { FIELD_VALUE_SINCE, OPERATOR_MODIFIERS, operatorInfo, operatorRejection, splitComp, transformerInfo } from './operators';
import { REPLACED_EXCEPTION_FIELDS_SINCE, Reporter, reportUnknownFilter, type ItemCheckRunner, type ReportOptions, type ReportSink } from './validate';
import { appendsCondition, isLegacyAppend, type LoadResult, type LoadedFile } from './workspace';

/** The first release with a rules schema (rule_json_schema.h, checked by the loader: load_rules_files.cpp). */
const RULES_SCHEMA_SINCE = '0.39';

/** `0.41.0` → `0.41`: how releases are named to users. */
const release = (since: string) => since.split('.').slice(0, 2).join('.');

/**
 * The first release whose rule compiler skips, under skip-if-unknown-filter, an output whose field's own check throws:
 * libs 0.25.2's formatter words it "unknown filter:", which err_is_unknown_type_or_field knows from Falco 0.44.0
 * (rule_loader_compiler.cpp 0.44.0:353-358; 0.37.0:401-406 and 0.43.0:346-350 know the other three forms only).
 * See conditionChecks.ts OutputCheckOptions.
 */
const OUTPUT_CHECK_SKIP_SINCE = '0.44';

/**
 * Reports what the target release cannot load in one file. Checks that read the item alone (and its rule's
 * skip-if-unknown-filter) go through `run`, with the target in the context, so a caching runner replays them.
 */
export function checkTargetVersion(file: LoadedFile, load: LoadResult, target: string, run: ItemCheckRunner, only?: ReadonlySet<ModelItem>, appends?: readonly OutputAppend[]): void {
  if (!falcoRelease(target)) return;
  const defs = load.after[file.order] ?? load.final;
  // With `appends` (falco.yaml's append_output at the target), a rule item's output is judged on the output Falco
  // builds where the target reads some fields only at its very end (outputTail; the findings keyed by that text too).
  const tails = appends !== undefined && fallbackCheckThrows(target);
  for (const item of file.model.items) {
    if (only && !only.has(item)) continue;
    if (item.kind === 'required_engine_version') run(item, 'target-version', target, (sink) => checkEngineVersion(item, target, sink));
    else if ((item.kind === 'rule' || item.kind === 'macro') && target !== LATEST_FALCO) {
      // Falco skips, with a warning, a rule whose condition or output names a field it does not know when the rule
      // says skip-if-unknown-filter (its own key, or the rule's it changes).
      const own = entryOf(item, 'skip-if-unknown-filter')?.value;
      const skipUnknown = item.kind === 'rule' && (scalarBoolean(own) ?? ((item.name !== undefined && defs.rules.get(item.name)?.skipIfUnknownFilter) || false));
      const tail = tails && item.kind === 'rule' ? outputTail(file, load, item, appends!) : undefined;
      const lastOr = item.kind === 'rule' ? unwrappedOrBranch(item, defs, target) : undefined;
      // Read with the lists and macros collected so far: their findings are part of the context the runner keys by.
      const fieldless = item.kind === 'rule' ? fieldlessReplacedExceptions(item, defs, target) : [];
      const context = `${skipUnknown ? `${target} skip-if-unknown-filter` : target}${tail ? `\u0000${tail.text}\u0000${tail.by}` : ''}${lastOr !== undefined ? `\u0000or\u0000${lastOr}` : ''}${fieldless.map((f) => `\u0000${f.message}`).join('')}`;
      run(item, 'target-version', context, (sink) => {
        checkItemSyntaxAndFields(item, target, skipUnknown, sink, tail);
        if (lastOr !== undefined) reportLastOrBranch(item, lastOr, target, sink);
        for (const f of fieldless) sink.report(f.code, f.span, f.message, undefined, f.options);
      });
    }
  }
}

/** The release from which Falco puts a rule's condition in parentheses before it adds the exceptions
 *  (rule_loader_compiler.cpp build_rule_exception_infos: `condition = "(" + condition + ")"` from 0.38.0 on). */
const EXCEPTIONS_WRAP_SINCE = '0.38.0';

/**
 * The last `or` branch of the condition Falco compiles for the rule `item` adds exceptions to, where the target appends
 * the exceptions to the condition as written: Falco 0.37 builds `<condition> and not (<exception>)`, and `and` binds
 * tighter than `or`, so for `a or b` the exceptions apply to `b` alone. Undefined where the item adds no exception with
 * values, or the rule's condition (as loaded after this file) is not an `or` outside parentheses.
 */
function unwrappedOrBranch(item: ModelItem, defs: LoadResult['final'], target: string): string | undefined {
  if (!newerThanTarget(EXCEPTIONS_WRAP_SINCE, target) || item.name === undefined) return undefined;
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq' || !exceptions.items.some(hasExceptionValues)) return undefined;
  const condition = defs.rules.get(item.name)?.condition;
  if (!condition) return undefined;
  const parse = parseConditionCached(condition);
  const root = parse.errors.length === 0 ? parse.ast : undefined;
  if (root?.kind !== 'or') return undefined;
  const last = root.operands[root.operands.length - 1];
  return condition.slice(last.span.start, last.span.end);
}

/**
 * What the target makes of exceptions without `fields` that an 'override: exceptions: replace' brings, before the
 * release whose reader wants them (REPLACED_EXCEPTION_FIELDS_SINCE; validate.ts says the latest's refusal, which the
 * target's reporter drops). Falco 0.37 reads them as appended exceptions, whose fields are optional
 * (rule_loader_reader.cpp 0.37.0:603 read_rule_exceptions(..., true)), the collector's selective_replace takes them
 * unchecked, and build_rule_exception_infos (rule_loader_compiler.cpp 0.37.0:74-153) pastes one with values into the
 * condition with an empty field: ` and not (<empty field> <comps> (v1, v2))`, each value quoted when it holds a blank
 * (quote_item), a value that is a list refused ("Expected values array to contain a list of strings"). Then
 * parse_condition pastes the lists and parses the text, and resolve_macros looks up the names it read as macros
 * (0.37.0:436-442). Without values nothing is pasted: the replace leaves the rule with no exception that excepts anything.
 */
function fieldlessReplacedExceptions(item: ModelItem, defs: LoadResult['final'], target: string): { code: Code; span: Span; message: string; options: ReportOptions }[] {
  if (!newerThanTarget(REPLACED_EXCEPTION_FIELDS_SINCE, target) || !replacesExceptions(item) || isLegacyAppend(item)) return [];
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind !== 'seq') return [];
  const out: { code: Code; span: Span; message: string; options: ReportOptions }[] = [];
  for (const ex of exceptions.items) {
    if (ex.kind !== 'map' || entryOf(ex, 'fields') !== undefined) continue;
    const nameNode = entryOf(ex, 'name')?.value;
    const name = scalarText(nameNode);
    if (!nameNode || name === undefined || name === '') continue;
    const read = `Falco ${target} reads exception '${name}' without 'fields' (it reads the exceptions of 'override: exceptions: replace' as appended ones, whose fields are optional; from ${REPLACED_EXCEPTION_FIELDS_SINCE} it refuses them)`;
    const values = entryOf(ex, 'values')?.value;
    if (values?.kind !== 'seq' || values.items.length === 0) {
      out.push({ code: Code.ExceptionInvalid, span: nameNode.span, message: `${read}, and with no values adds nothing to the rule's condition: after this replace, rule '${item.name ?? ''}' excepts nothing.`, options: { severity: DiagnosticSeverity.Warning, load: null } });
      continue;
    }
    const listValue = values.items.find((v) => v.kind === 'seq');
    if (listValue) {
      out.push({ code: Code.ExceptionInvalid, span: listValue.span, message: `${read}, and a value that is a list makes it fail to load the rule when it pastes the exception into the condition ("Expected values array to contain a list of strings").`, options: { load: 'LOAD_ERR_COMPILE_CONDITION' } });
      continue;
    }
    const comps = scalarText(entryOf(ex, 'comps')?.value) ?? '';
    const quoted = values.items.map((v) => { const t = scalarText(v) ?? ''; return t.includes(' ') && t[0] !== '"' && t[0] !== "'" ? `"${t}"` : t; });
    const written = `( ${comps} (${quoted.join(', ')}))`;
    let pasted = written;
    for (const [list, def] of defs.lists) if (pasted.includes(list)) pasted = resolveListText(pasted, list, def.items);
    const parse = parseConditionCached(pasted);
    const shown = `\`… and not ${written}\``;
    if (parse.errors.length > 0) {
      out.push({ code: Code.ConditionSyntax, span: nameNode.span, message: `${read}, and pastes its values into the rule's condition with no field, ${shown}, which does not parse (${parse.errors[0].message}): Falco fails to load the rule.`, options: { load: 'LOAD_ERR_COMPILE_CONDITION' } });
      continue;
    }
    const undefinedMacro = macroRefsOf(parse.ast).find((m) => !defs.macros.has(m.name));
    if (undefinedMacro) {
      out.push({ code: Code.UndefinedMacro, span: nameNode.span, message: `${read}, and pastes its values into the rule's condition with no field, ${shown}, where '${undefinedMacro.name}' reads as a macro's name: Falco fails to load the rule ("Undefined macro '${undefinedMacro.name}' used in filter").`, options: { load: 'LOAD_ERR_COMPILE_CONDITION' } });
      continue;
    }
    out.push({ code: Code.ExceptionInvalid, span: nameNode.span, message: `${read}, and pastes its values into the rule's condition with no field, ${shown}: it compiles, the values read as macros' names, so the exception excepts what those macros match.`, options: { severity: DiagnosticSeverity.Warning, load: null } });
  }
  return out;
}

/** Whether an exception entry has values, without which Falco adds nothing to the condition (an empty `()`). */
function hasExceptionValues(ex: ModelNode): boolean {
  const values = ex.kind === 'map' ? entryOf(ex, 'values')?.value : undefined;
  return values?.kind === 'seq' && values.items.length > 0;
}

function reportLastOrBranch(item: ModelItem, lastOr: string, target: string, sink: ReportSink): void {
  const exceptions = entryOf(item, 'exceptions');
  if (!exceptions) return;
  const branch = lastOr.length > 80 ? `${lastOr.slice(0, 77)}...` : lastOr;
  sink.report(Code.ExceptionsLastOrBranch, exceptions.keySpan,
    `Falco ${target} adds the exceptions to the rule's condition as it is written, '<condition> and not (...)', and 'and' binds tighter than 'or': `
    + `the condition is an 'or' outside parentheses, so these exceptions apply only to its last branch ('${branch}'), and alerts of the other branches are not excepted. `
    + 'Falco 0.38 and later put the condition in parentheses first; for this release, write the whole condition in parentheses.');
}

/**
 * The reporter of a file's diagnostics for the target release. The other checks follow the latest release and are
 * cached by text alone; what they say that an older release would not is dropped here, where every finding passes
 * (so the cached checks stay shared between targets): warnings that came later (deprecations, whose replacement may
 * be what the target lacks; libsinsp's compile warnings; the exception warnings of 0.38), see LOADER_WARNINGS_SINCE
 * and the catalog's deprecatedSince, and unknown fields that its libsinsp still had (knowledge/fields/removed.ts).
 * At the latest release: the plain reporter, so the default target costs nothing. `tailAt` gives what the output
 * Falco builds puts after a rule item's output text (outputTail), which the readings of a bracket up to the first ']'
 * read on into.
 */
export function reporterFor(model: RulesFileModel, target: string, tailAt?: (offset: number) => OutputTail | undefined): Reporter {
  return target === LATEST_FALCO || !falcoRelease(target) ? new Reporter(model) : new OlderTargetReporter(model, target, tailAt);
}

/**
 * The options of a finding this target fails to load with `load` instead: the alias the finding was made through is
 * kept (AliasAttribution), so that it is attributed to the same item at every target release.
 */
function loadedAs(load: string, options: ReportOptions | undefined): ReportOptions {
  return options?.via ? { load, via: options.via } : { load };
}

class OlderTargetReporter extends Reporter {
  /** `tailAt`: what the output Falco builds puts after the output text of the rule item holding an offset (outputTail). */
  constructor(model: RulesFileModel, private readonly target: string, private readonly tailAt?: (offset: number) => OutputTail | undefined) { super(model); }

  override report(code: Code, span: Span, message: string, data?: Record<string, unknown>, options?: ReportOptions): void {
    if (!this.saidByTarget(code, span, options)) return;
    // A value this target's reader does not read (a rule override's `source` before 0.40: RULE_SOURCE_READ_FIRST_SINCE):
    // no error; from 0.39 its rules schema (rule_json_schema.h, source: a string) fails on it, a warning.
    if (typeof data?.readSince === 'string' && newerThanTarget(data.readSince, this.target)) {
      // A key the target does not know at all: checkRuleKeys says what the target does with it.
      if (newerThanTarget(RULES_SCHEMA_SINCE, this.target) || (typeof data.key === 'string' && RULE_KEYS_SINCE.has(data.key))) return;
      super.report(code, span, `Falco ${this.target} does not read 'source' in a rule item that changes an earlier rule (it does from ${data.readSince}, and refuses this value), but its rules schema validation wants a string here and logs "schema validation: failed" for this file.`, undefined, { severity: DiagnosticSeverity.Warning, load: null, ...(options?.via ? { via: options.via } : {}) });
      return;
    }
    // A yaml-cpp boolean other than true/false fails only the schemas that type the key (BOOLEAN_SCHEMA_SINCE).
    if (typeof data?.schemaSince === 'string' && newerThanTarget(data.schemaSince, this.target)) return;
    // An exception without fields that a replace brings: read before this release (fieldlessReplacedExceptions says what then).
    if (typeof data?.fieldsRequiredSince === 'string' && newerThanTarget(data.fieldsRequiredSince, this.target)) return;
    // A rule key this target's reader does not know (checkRuleKeys says what it does with it): its override entry is
    // refused before check_update_expected looks for the key, and the item's key is no "Unexpected key" (expected_keys
    // holds the overridable keys only; rule_loader_reader.cpp 0.41.0:633-676, workspace.ts ItemRecipe.older).
    if ((code === Code.MissingOverrideEntry || code === Code.OverrideWithoutKey) && typeof data?.key === 'string' && newerThanTarget(RULE_KEYS_SINCE.get(data.key), this.target)) return;
    // The bracket form of a cut label on a field the target does not have (`container.label[app-tier]` before 0.41).
    const bracketForm = code === Code.ConditionSyntax && typeof data?.bracketForm === 'string' ? data.bracketForm : undefined;
    if (bracketForm !== undefined && newerThanTarget(lookupField(bracketForm.slice(0, bracketForm.indexOf('[')))?.field.since, this.target)) {
      const { dotForm: _dot, bracketForm: _bracket, ...rest } = data!;
      message = message.replace(` In brackets Falco reads the whole argument: ${bracketForm}.`, '');
      data = Object.keys(rest).length > 0 ? rest : undefined;
    }
    // What the latest release prints of an output token, which this target reads otherwise (outputReading.ts).
    const read = options as OutputReadOptions | undefined;
    if (read?.pluginThrows && pluginArgumentFailsLoad(read.pluginThrows.plugin, this.target)) {
      super.report(code, span, pluginArgumentMessage(read.pluginThrows.problem, read.pluginThrows.plugin, this.target), data, loadedAs('LOAD_ERR_COMPILE_OUTPUT', options));
      return;
    }
    // `%evt.type.is.<text>`: checkOutputFields says what this target's event check reads (typeIsAtEndNote).
    if (read?.typeIsRead && fallbackCheckThrows(this.target)) return;
    if (read?.fallbackThrows && fallbackCheckThrows(this.target)) {
      super.report(code, span, fallbackCheckThrowsMessage(read.fallbackThrows.problem, read.fallbackThrows.fallback, this.target), data, loadedAs('LOAD_ERR_COMPILE_OUTPUT', options));
      return;
    }
    // checkOutputFields says what this target prints instead.
    if (read?.printsField !== undefined && readsNameOnlyAtEnd(read.printsField, this.target)) return;
    // A bracket Falco 0.44 does not read as the argument (`%proc.env[A B]`, `%k8s.pod.label[team name]`), which this
    // target's check reads otherwise: checkOutputFields says what it does (bracketReading), once.
    if (read?.unreadBracket) {
      const { field, output } = inBuiltOutput(read.unreadBracket.field, read.unreadBracket.output, this.tailAt?.(span.start));
      if (bracketReading(field, output, this.target).kind !== 'latest') return;
    }
    // A reference inside the argument such a check reads past the next '%' is no field at this target.
    if (this.swallowed().some((s) => s.start <= span.start && span.start < s.end)) return;
    if (read?.openTransformer && openTransformerFailsLoad(read.openTransformer, this.target)) {
      super.report(code, span, openTransformerMessage(read.openTransformer, this.target), data, loadedAs('LOAD_ERR_COMPILE_OUTPUT', options));
      return;
    }
    if (read?.filterOnly !== undefined) {
      const fails = filterOnlyFailsLoad(read.filterOnly, this.target);
      super.report(code, span, filterOnlyMessage(read.filterOnly, this.target), data, fails ? loadedAs('LOAD_ERR_COMPILE_OUTPUT', options) : options);
      return;
    }
    const throws = (options as OutputCheckOptions | undefined)?.checkThrows;
    if (throws !== undefined && options!.load === 'LOAD_UNKNOWN_FILTER' && newerThanTarget(OUTPUT_CHECK_SKIP_SINCE, this.target)) {
      const why = `Falco ${this.target} fails to load whatever skip-if-unknown-filter says: its output formatter passes the field check's own error on, which the key does not cover before Falco ${OUTPUT_CHECK_SKIP_SINCE}.`;
      super.report(code, span, `${throws} ${why}`, data, loadedAs('LOAD_ERR_COMPILE_OUTPUT', options));
      return;
    }
    // A key is ignored by every release; only the LOAD name is the latest release's.
    const unnamed = code === Code.UnknownKey && newerThanTarget(LOADER_WARNINGS_SINCE.unknownKey, this.target);
    super.report(code, span, message, data, unnamed ? { ...options, load: null } : options);
  }

  private swallowedSpans: Span[] | undefined;

  /** The document spans of output text that this target reads as a field's argument past a '%' (swallowedText). */
  private swallowed(): Span[] {
    if (this.swallowedSpans) return this.swallowedSpans;
    this.swallowedSpans = [];
    for (const item of this.model.items) {
      const output = item.kind === 'rule' && !isLegacyAppend(item) ? entryOf(item, 'output')?.value : undefined;
      if (output?.kind !== 'scalar' || typeof output.value !== 'string' || !output.text.includes('[')) continue;
      // In the output Falco builds: the tail may close a bracket this text leaves open.
      const tail = this.tailAt?.(output.span.start);
      const built = tail ? output.text.trimEnd() + tail.text : output.text;
      const end = output.text.length;
      for (const f of parseOutputCached(built).fields) {
        const text = f.span.start < end && f.unreadArg && swallowedText(f, built, this.target);
        if (text) this.swallowedSpans.push(scalarMap(output).span(Math.min(text.start, end), Math.min(text.end, end)));
      }
    }
    return this.swallowedSpans;
  }

  private saidByTarget(code: Code, span: Span, options: ReportOptions | undefined): boolean {
    switch (code) {
      case Code.DeprecatedAppend: return !newerThanTarget(LOADER_WARNINGS_SINCE.append, this.target);
      case Code.DeprecatedEnabled: return !newerThanTarget(LOADER_WARNINGS_SINCE.standaloneEnabled, this.target);
      case Code.DeprecatedContainerInfo: return !newerThanTarget(LOADER_WARNINGS_SINCE.containerInfo, this.target);
      case Code.DeprecatedField: {
        // The span is the field's name as written (conditionChecks.ts checkField).
        const field = lookupField(this.model.text.slice(span.start, span.end))?.field;
        return !field || !newerThanTarget(field.deprecatedSince, this.target);
      }
      case Code.AppendNoValues: return !newerThanTarget(LOADER_WARNINGS_SINCE.appendNoValues, this.target);
      case Code.ExceptionNameNotUnique: return !newerThanTarget(LOADER_WARNINGS_SINCE.exceptionNameNotUnique, this.target);
      case Code.RegexSimplerOperator: return !newerThanTarget(LOADER_WARNINGS_SINCE.regexWarning, this.target);
      case Code.FieldAsValue: {
        // libsinsp warns when it can build a field from the constant: a field newer than the target is not one.
        const field = lookupField(this.constantAt(span))?.field;
        return !newerThanTarget(LOADER_WARNINGS_SINCE.compileWarnings, this.target) && !newerThanTarget(field?.since, this.target);
      }
      case Code.TransformerAsValue: {
        const name = /^(\w+)\(/.exec(this.constantAt(span))?.[1];
        const since = name === 'val' ? FIELD_VALUE_SINCE : name !== undefined ? transformerInfo(name)?.since : undefined;
        return !newerThanTarget(LOADER_WARNINGS_SINCE.compileWarnings, this.target) && !newerThanTarget(since, this.target);
      }
      case Code.UnknownField:
      case Code.UnknownFieldClass: {
        // The span is the name as written (a dot argument included: mesos.task.label.team).
        const written = this.model.text.slice(span.start, span.end);
        if (this.readsDotForm(written, span, options)) return false;
        const removed = removedField(written)?.field;
        return !removed || newerThanTarget(this.target, removed.until) || !this.inSyscallItem(span, options);
      }
      case Code.FieldArgument: {
        // An output's `%k8s.pod.label.app` is "needs an argument" on the field's name, the dot form after it.
        const name = this.model.text.slice(span.start, span.end);
        // On a field the target does not have (`container.label.x` at 0.40): an unknown field, said once (reportNewField).
        if (newerThanTarget(lookupField(name)?.field.since, this.target) && lookupField(name)?.field.name === name) return false;
        return !(this.model.text[span.end] === '.' && this.readsDotForm(`${name}${this.model.text.slice(span.end, span.end + 2)}`, span, options));
      }
      default: return true;
    }
  }

  /**
   * The constant a compile warning is on, as libsinsp reads it (quotes off, blanks removed). For a value that comes
   * from a list the span is the list's name, which reads as neither a field nor a call: the warning is kept.
   */
  private constantAt(span: Span): string {
    const text = this.model.text.slice(span.start, span.end);
    const unquoted = /^(["']).*\1$/s.test(text) ? text.slice(1, -1) : text;
    return unquoted.replace(/\s+/g, '');
  }

  /**
   * Whether the target reads `field.arg` where the catalog's release takes brackets only (FieldArgument.dotFormUntil:
   * the k8s.*.label fields of libsinsp's k8s check, a syscall-source check).
   */
  private readsDotForm(written: string, span: Span, options: ReportOptions | undefined): boolean {
    const older = olderDotForm(written);
    return older !== undefined && older.arg !== '' && !newerThanTarget(this.target, older.until) && this.inSyscallItem(span, options);
  }

  /**
   * Whether the finding is made for a macro or a rule of the syscall source (the removed fields are syscall fields):
   * the item that reads the text through an alias (`via`), else the item whose text holds it.
   */
  private inSyscallItem(span: Span, options: ReportOptions | undefined): boolean {
    const item = options?.via?.item ?? this.model.items.find((i) => i.span.start <= span.start && span.end <= i.span.end);
    if (item?.kind !== 'rule') return true;
    const source = scalarText(entryOf(item, 'source')?.value);
    return source === undefined || source.trim() === 'syscall';
  }
}

/** The engine version a `required_engine_version` value asks for (`0.57.0`; the legacy integer N means 0.N.0). */
export function requiredEngine(node: ModelNode | undefined): string | undefined {
  if (node?.kind !== 'scalar') return undefined;
  if (typeof node.value === 'number') return Number.isInteger(node.value) && node.value >= 0 ? `0.${node.value}.0` : undefined;
  const text = scalarText(node)?.trim();
  return text !== undefined && /^\d+\.\d+\.\d+$/.test(text) ? text.split('.').map(Number).join('.') : undefined;
}

/** Falco's rule_loader_collector: the engine must have the same major version and be at least the required one. */
export function engineSatisfies(engine: string, required: string): boolean {
  return engine.split('.')[0] === required.split('.')[0] && compareVersions(engine, required) >= 0;
}

/** The first release whose engine loads a file requiring `required`, as a phrase. */
export function engineReleases(required: string): string {
  const first = FALCO_RELEASES.find((r) => engineSatisfies(r.engine, required));
  return first ? `Falco ${first.falco} or later` : `no Falco release up to ${LATEST_FALCO}`;
}

function checkEngineVersion(item: ModelItem, target: string, sink: ReportSink): void {
  const node = item.kindEntry?.value;
  const required = requiredEngine(node);
  const engine = falcoRelease(target)!.engine;
  if (!node || required === undefined || engineSatisfies(engine, required)) return;
  const which = engineReleases(required);
  sink.report(Code.InvalidEngineVersion, node.span, `Rules require engine version ${required}, but engine version is ${engine}: Falco ${target} cannot load this file (engine ${required} is ${which}).`);
}

function checkItemSyntaxAndFields(item: ModelItem, target: string, skipUnknown: boolean, sink: ReportSink, tail?: OutputTail): void {
  if (item.kind === 'rule') checkRuleKeys(item, target, sink);
  const condition = entryOf(item, 'condition')?.value;
  if (condition?.kind === 'scalar' && typeof condition.value === 'string' && condition.text.trim() !== '') {
    // An appended condition is parsed behind the same stand-in word as the condition checks use, so the parse is
    // shared with them (conditionChecks.ts, APPEND_STAND_IN).
    const prefix = appendsCondition(item, target) ? 'falcolensPreviousCondition ' : '';
    const parse = parseConditionCached(prefix + condition.text);
    const docSpan = (s: Span) => scalarMap(condition).span(Math.max(0, s.start - prefix.length), Math.max(0, s.end - prefix.length));
    checkExpr(parse.ast, target, 'filter', skipUnknown, docSpan, sink);
  }
  if (item.kind !== 'rule') return;
  const output = entryOf(item, 'output')?.value;
  if (output?.kind === 'scalar' && typeof output.value === 'string' && output.text !== '' && !isLegacyAppend(item)) checkOutputFields(output, target, skipUnknown, sink, tail);
  const exceptions = entryOf(item, 'exceptions')?.value;
  if (exceptions?.kind === 'seq') for (const ex of exceptions.items) if (ex.kind === 'map') checkException(ex, replacesExceptions(item), target, skipUnknown, sink);
}

/**
 * Rule keys the target's reader does not know: ignored in the rule whatever their value (the reader never decodes
 * them: rule_loader_reader.cpp 0.41.0 has no `capture` at all; no warning before Falco 0.44's LOAD_UNKNOWN_KEY, so no
 * LOAD name), which the target's rules schema (0.39-0.41 rule_json_schema.h: additionalProperties false, no such
 * property) fails on, a warning; before 0.39, with no schema, an information. Under `override` with `replace`, an
 * error (decode_overrides: "Key '...' cannot be replaced").
 */
function checkRuleKeys(item: ModelItem, target: string, sink: ReportSink): void {
  for (const e of item.entries) {
    const since = RULE_KEYS_SINCE.get(e.key);
    if (newerThanTarget(since, target)) {
      const schema = !newerThanTarget(RULES_SCHEMA_SINCE, target);
      sink.report(Code.UnknownKey, e.keySpan, schema
        ? `Key '${e.key}' was added in Falco ${since}: Falco ${target} ignores it, whatever its value, and its rules schema, which has no such key, fails: it logs "schema validation: failed" for this file.`
        : `Key '${e.key}' was added in Falco ${since}: Falco ${target} ignores it, whatever its value, without a word.`,
      { key: e.key, suggestions: [] }, { load: null, severity: schema ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information });
    }
  }
  const override = entryOf(item, 'override')?.value;
  if (override?.kind !== 'map') return;
  for (const e of override.entries) {
    const since = RULE_KEYS_SINCE.get(e.key);
    if (newerThanTarget(since, target) && scalarText(e.value) === 'replace') {
      sink.report(Code.CannotReplace, e.keySpan, `Key '${e.key}' cannot be replaced in Falco ${target}: it was added in Falco ${since}.`);
    }
  }
}

const SYNTAX = (what: string, since: string, target: string) => `${what} was added in Falco ${release(since)}: the condition parser of Falco ${target} does not know it.`;

/**
 * Operators, modifiers, transformers, `val()` and fields of a parsed condition (or exception field). What an exception
 * field names is checked by the collector as the rule is read, whatever its skip-if-unknown-filter: is_field_defined
 * (0.37) or is_valid_lhs_field (0.38 on, which compiles `<field> exists` for a transformer) fails validate_exception_info,
 * whose THROW is LOAD_ERR_VALIDATE (rule_loader_collector.cpp 0.37.0:25,91,112; 0.40.0:25,82,97; 0.44.0:27,101,119).
 */
function checkExpr(ast: Expr | undefined, target: string, where: 'filter' | 'exception', skipUnknown: boolean, docSpan: (s: Span) => Span, sink: ReportSink): void {
  if (!ast) return;
  const validate: ReportOptions | undefined = where === 'exception' ? { load: 'LOAD_ERR_VALIDATE' } : undefined;
  for (const c of comparisonsOf(ast)) {
    const since = operatorInfo(c.op)?.since;
    if (where === 'filter' && newerThanTarget(since, target)) sink.report(Code.ConditionSyntax, docSpan(c.opSpan), SYNTAX(`Operator '${c.op}'`, since!, target));
    const modifierSince = c.modifier && OPERATOR_MODIFIERS.find((m) => m.name === c.modifier!.name)?.since;
    if (newerThanTarget(modifierSince, target)) sink.report(Code.ConditionSyntax, docSpan(c.modifier!.span), SYNTAX(`Modifier '${c.modifier!.name}'`, modifierSince!, target));
    // val(<field>) only: a transformer on the right (`= tolower(proc.pname)`) is a field-value too, and is reported as a
    // transformer below.
    if (c.rhs?.kind === 'field-value' && c.rhs.field.kind === 'field' && newerThanTarget(FIELD_VALUE_SINCE, target)) {
      sink.report(Code.ConditionSyntax, docSpan({ start: c.rhs.span.start, end: c.rhs.span.start + 3 }), SYNTAX('val()', FIELD_VALUE_SINCE, target));
    }
  }
  for (const t of transformersOf(ast)) {
    const since = transformerInfo(t.name)?.since;
    if (newerThanTarget(since, target)) sink.report(Code.ConditionSyntax, docSpan(t.nameSpan), SYNTAX(`Transformer '${t.name}()'`, since!, target), undefined, validate);
  }
  for (const f of fieldsOf(ast)) {
    if (f.kind !== 'field') continue;
    reportNewField(f.arg ? `${f.name}[${f.arg.text}]` : f.name, target, where, skipUnknown, () => docSpan(f.nameSpan), sink);
    reportTypeIsNameAt(f.name, target, where, skipUnknown, () => docSpan(f.nameSpan), sink);
    if (f.arg) reportNewArgument(f.name, f.arg.text, target, where, skipUnknown, () => docSpan(f.arg!.text !== '' ? f.arg!.span : f.nameSpan), sink);
    const removed = removedAt(f.name, target);
    const problem = removed && removedArgumentProblem(removed.field, removed.dotArg, f.arg?.text);
    if (problem) sink.report(Code.FieldArgument, docSpan(f.arg?.span ?? f.nameSpan), `${problem} (Falco ${target}).`, undefined, validate);
  }
  // The operators used with a removed field, which the other checks do not know (conditionChecks.ts checks the
  // catalog's fields the same way, with operatorRejection).
  for (const c of comparisonsOf(ast)) {
    const removed = c.lhs.kind === 'field' ? removedAt(c.lhs.name, target) : undefined;
    const reason = removed && operatorRejection(c.op, removed.field.type, false);
    if (reason) sink.report(Code.OperatorType, docSpan(c.opSpan), `Operator '${c.op}' cannot be used with '${removed!.field.name}': ${reason}.`);
  }
}

/**
 * `evt.type.is.<name>` with a name of the latest event table that the target's table does not have (an event added
 * later, or a syscall without an event of its own then): the event check reads nothing after the dot, so the name is
 * longer than what was read, a nonexistent field (sinsp_filtercheck_event.cpp extract_type and the exact-length
 * lookup, filter_check_list.cpp new_filter_check_from_fldname; conditionChecks.ts reportTypeIsUnknownName says so of
 * a name no table has).
 */
function reportTypeIsNameAt(name: string, target: string, where: 'filter' | 'exception', skipUnknown: boolean, span: () => Span, sink: ReportSink): void {
  if (!name.startsWith('evt.type.is.')) return;
  const event = name.slice('evt.type.is.'.length);
  if (!isEventTableName(event) || isEventTableNameAt(event, target)) return;
  const message = `${where === 'exception' ? `In Falco ${target}, ${notSourceFilterField(name, undefined)}` : `'${name}' is not a supported filter field in Falco ${target}`}: its event table has no event named '${event}'.`;
  if (where === 'exception') sink.report(Code.UnknownField, span(), message, { suggestions: [] }, { load: 'LOAD_ERR_VALIDATE' });
  else reportUnknownFilter(sink, skipUnknown, Code.UnknownField, span(), message, { suggestions: [] });
}

/** A field the target's libsinsp has although later releases removed it (not in the catalog, which follows 0.44). */
function removedAt(name: string, target: string): { field: RemovedField; dotArg?: string } | undefined {
  const removed = lookupField(name) ? undefined : removedField(name);
  return removed && !newerThanTarget(target, removed.field.until) ? removed : undefined;
}

/**
 * What the target's libsinsp says about a removed field's argument, written after a dot or in brackets: each check
 * reads it its own way (RemovedArgument), a field without an argument flag takes none (the factory wants the whole
 * name read: filter_check_list.cpp new_filter_check_from_fldname, exact check).
 */
function removedArgumentProblem(field: RemovedField, dotArg: string | undefined, bracketArg: string | undefined): string | undefined {
  const index = field.arg === 'index' || field.arg === 'index-or-dot';
  if (!field.arg) return bracketArg !== undefined ? `Field '${field.name}' takes no argument` : undefined;
  if (bracketArg !== undefined && !index) return `Field '${field.name}' takes its argument after a dot (${field.name}.name), not in brackets`;
  if (bracketArg !== undefined && !/^\s*[+-]?\d/.test(bracketArg)) return `Field '${field.name}' wants a number in brackets`;
  if (dotArg !== undefined && field.arg === 'index') return `Field '${field.name}' takes its argument in brackets (${field.name}[0]), not after a dot`;
  if (bracketArg === undefined && dotArg === undefined) return `Field '${field.name}' needs an argument, e.g. ${field.arg === 'dot' ? `${field.name}.name` : `${field.name}[0]`}`;
  return undefined;
}

function reportNewField(reference: string, target: string, where: 'filter' | 'output' | 'exception', skipUnknown: boolean, span: () => Span, sink: ReportSink): void {
  // A plugin field written with its argument after a dot (`container.label.x`), which no release reads: the target
  // without the field has no check that takes the name, "nonexistent field" as for any unknown one (libs 0.20.0
  // filter_check_list.cpp:59-78, the base parse_field_name sinsp_filtercheck.cpp:512-549).
  const field = lookupField(reference)?.field ?? pluginFieldNeedingArgument(reference);
  if (!field || !newerThanTarget(field.since, target)) return;
  const notField = (name: string) => (where === 'exception' ? `In Falco ${target}, ${notSourceFilterField(name, undefined)}` : `'${name}' is not a supported ${where} field in Falco ${target}`);
  const written = field.name === reference || reference.startsWith(`${field.name}[`) ? '' : `${notField(reference)}: `;
  const message = written ? `${written}'${field.name}' was added in Falco ${release(field.since!)}.` : `${notField(field.name)}: it was added in Falco ${release(field.since!)}.`;
  // The collector's check of exception fields (checkExpr): no skip-if-unknown-filter there.
  if (where === 'exception') sink.report(Code.UnknownField, span(), message, { suggestions: [] }, { load: 'LOAD_ERR_VALIDATE' });
  else reportUnknownFilter(sink, skipUnknown, Code.UnknownField, span(), message, { suggestions: [] }, where === 'output' ? { load: 'LOAD_ERR_COMPILE_OUTPUT' } : undefined);
}

/**
 * A bracket argument of a field that the target has without one (FieldArgument.since: proc.args[N] from Falco 0.41).
 * libsinsp looks `name[arg]` up whole, and the field's check matches `name` alone, which the lookup's exact-length
 * check refuses (libs 0.20.0 filter_check_list.cpp:59-78, the base parse_field_name sinsp_filtercheck.cpp:512-549):
 * a condition throws "filter_check called with nonexistent field proc.args[1]" (filter.cpp:549-590), which fails the
 * load or, with skip-if-unknown-filter, skips the rule (Falco 0.40.0 rule_loader_compiler.cpp:326-379); an exception
 * field fails the collector's check, whatever the rule says (rule_loader_collector.cpp:82-84, falco_source.h:57-77:
 * LOAD_ERR_VALIDATE); an output prints the field and then the text `[arg]` (eventformatter.cpp:139-147: the longest
 * field the token starts with). The same code at Falco 0.37 (libs 0.14.2).
 */
function reportNewArgument(name: string, arg: string, target: string, where: 'filter' | 'output' | 'exception', skipUnknown: boolean, span: () => Span, sink: ReportSink): void {
  const field = lookupField(name)?.field;
  const since = field?.arg?.since;
  // A field newer than the target is reported as such (reportNewField), its argument with it.
  if (!field || field.name !== name || !newerThanTarget(since, target) || newerThanTarget(field.since, target)) return;
  const added = `The argument of '${name}' was added in Falco ${release(since!)}`;
  if (where === 'output') {
    sink.report(Code.FieldArgument, span(), `${added}: in an output Falco ${target} prints %${name} followed by the text '[${arg}]'.`, undefined, { severity: 2, load: null });
    return;
  }
  const message = `${added}: Falco ${target} reads '${name}[${arg}]' as a nonexistent field.`;
  if (where === 'exception') sink.report(Code.FieldArgument, span(), `${message} ${EXCEPTION_FIELD_READ}`, undefined, { load: 'LOAD_ERR_VALIDATE' });
  else reportUnknownFilter(sink, skipUnknown, Code.FieldArgument, span(), message);
}

/** Output fields, and the transformers around them (libsinsp's formatter takes the filter parser's list since 0.38). */
function checkOutputFields(node: ScalarNode, target: string, skipUnknown: boolean, sink: ReportSink, tail?: OutputTail): void {
  const fields = parseOutputCached(node.text).fields;
  // The output Falco builds (the tail after this text): the readings that go on to the first ']' read it.
  const built = tail ? node.text.trimEnd() + tail.text : node.text;
  const builtFields = tail ? parseOutputCached(built).fields : fields;
  const inText = (span: Span) => scalarMap(node).span(Math.min(span.start, node.text.length), Math.min(span.end, node.text.length));
  for (const f of fields) {
    // Part of another field's argument at this target (bracketReadingMessage says so): no field.
    if (swallowingField(builtFields, f.span.start, built, target)) continue;
    for (const t of f.transformers ?? []) {
      const since = transformerInfo(t.name)?.since;
      if (newerThanTarget(since, target)) {
        // The formatter then finds no field at the '%': "invalid formatting token", which skip-if-unknown-filter
        // covers (libs 0.14.2 eventformatter.cpp:151-159; from 0.17.1 after trying the transformers it knows).
        reportUnknownFilter(sink, skipUnknown, Code.OutputSyntax, scalarMap(node).span(t.span.start, t.span.end),
          `Transformer '${t.name}()' was added in Falco ${release(since!)}: the output formatter of Falco ${target} does not know it.`, undefined, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
      }
    }
    // A plugin field whose word holds a '[' that the plugin check of Falco 0.37-0.43 does not read as Falco 0.44 does.
    const word = pluginWordProblem(f, node.text, target);
    if (word?.skippable) reportUnknownFilter(sink, skipUnknown, Code.OutputSyntax, scalarMap(node).span(word.span.start, word.span.end), word.message, undefined, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
    else if (word) sink.report(Code.FieldArgument, scalarMap(node).span(word.span.start, word.span.end), word.message, undefined, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
    // A bracket Falco 0.44 does not read as the argument, which this target's check reads up to the first ']'.
    const there = inBuiltOutput(f, node.text, tail);
    const bracket = there.field.unreadArg && bracketReadingMessage(there.field, there.output, target);
    if (bracket) sink.report(Code.FieldArgument, inText(bracket.span), bracket.message, undefined, bracket.fails ? { load: 'LOAD_ERR_COMPILE_OUTPUT' } : { severity: 2, load: null });
    // `%k8s.pod.label.app.` at Falco 0.37-0.40: the k8s check takes the final dot into the label.
    const dotted = trailingDotLabel(f, node.text, target);
    if (dotted) sink.report(Code.FieldArgument, scalarMap(node).span(dotted.start, dotted.end), trailingDotLabelMessage(f.name, node.text.slice(dotted.start, dotted.end), target), undefined, { severity: 2, load: null });
    // Falco 0.37-0.42 read proc.aname, proc.env... without a valid argument only at the end of the output, which the
    // tail decides for a field at the end of this text (atEndNoteInOutput).
    const atEnd = atEndNoteInOutput(f, node.text, tail, target);
    if (atEnd) sink.report(Code.FieldArgument, scalarMap(node).span(f.nameSpan.start, f.nameSpan.end), atEnd, undefined, { severity: 2, load: null });
    reportNewField(f.arg ? `${f.name}[${f.arg.text}]` : f.name, target, 'output', skipUnknown, () => scalarMap(node).span(f.nameSpan.start, f.nameSpan.end), sink);
    if (f.arg) {
      const at = f.arg.text !== '' ? f.arg.span : f.nameSpan;
      reportNewArgument(f.name, f.arg.text, target, 'output', skipUnknown, () => scalarMap(node).span(at.start, at.end), sink);
    }
    // A removed field without its required argument (an argument where none is taken prints as text in an output,
    // which the output checks of catalog fields report as a warning: left alone here). Its check throws ("filter
    // syntax error", libs 0.21.0 sinsp_filtercheck_mesos.cpp:140-155, sinsp_filtercheck_tracer.cpp:220), which the
    // formatter of these releases passes on: the output fails, whatever skip-if-unknown-filter says (OutputCheckOptions).
    const removed = removedAt(f.name, target);
    if (removed?.field.arg && !f.arg && removed.dotArg === undefined) {
      const problem = removedArgumentProblem(removed.field, undefined, undefined)!;
      sink.report(Code.FieldArgument, scalarMap(node).span(f.nameSpan.start, f.nameSpan.end), `${problem} (Falco ${target}).`, undefined, { load: 'LOAD_ERR_COMPILE_OUTPUT' });
    }
  }
}

/**
 * The label after an output field's dot that the target's k8s check reads with a final dot (`app.` of
 * `%k8s.pod.label.app.`: outputReading.ts trailingDotLabelMessage), as a span of the output.
 */
function trailingDotLabel(f: OutputField, output: string, target: string): Span | undefined {
  const until = f.arg || output[f.nameSpan.end] !== '.' ? undefined : lookupField(f.name)?.field.arg?.dotFormUntil;
  if (until === undefined || newerThanTarget(target, until)) return undefined;
  const start = f.nameSpan.end + 1;
  const label = OLDER_DOT_ARGUMENT.exec(output.slice(start, start + 512))![0];
  return label.endsWith('.') ? { start, end: start + label.length } : undefined;
}

/**
 * An exception field in the dot form of a k8s label (`k8s.ns.label.app-tier`) at a target whose libsinsp k8s check
 * reads it (Falco 0.37-0.40). The collector looks the raw text up (is_field_defined at 0.37, is_valid_lhs_field from
 * 0.38: new_filtercheck with the exact-length check, libs 0.14.2 filter_check_list.cpp new_filter_check_from_fldname),
 * and the check reads after the dot letters, digits and `/_-.` (libs 0.14.2-0.20.0 sinsp_filtercheck_k8s.cpp
 * extract_arg). Other text there leaves the name longer than what was read: "not a supported filter field",
 * LOAD_ERR_VALIDATE. The whole label read, the field is accepted, then pasted into the rule's condition (rule_loader_compiler.cpp
 * build_rule_exception_infos, 0.37.0:74-153), where the filter parser ends field names at `-` and `/`
 * (condition.ts fieldNameEnd): the condition fails to parse, LOAD_ERR_COMPILE_CONDITION. True when it reported.
 */
function olderDotFormException(n: ScalarNode, first: SyntaxError | undefined, target: string, span: (s: Span) => Span, sink: ReportSink): boolean {
  const raw = n.text.trim();
  const older = olderDotForm(raw);
  if (!older || older.arg === '' || newerThanTarget(target, older.until)) return false;
  const lead = n.text.length - n.text.trimStart().length;
  const readEnd = older.field.name.length + 1 + (OLDER_DOT_ARGUMENT.exec(older.arg)?.[0].length ?? 0);
  if (readEnd < raw.length) {
    // On the text the check did not read (the span of the whole name would be dropped by OlderTargetReporter, as a dot form the target reads).
    sink.report(Code.UnknownField, span({ start: lead + readEnd, end: lead + raw.length }),
      `'${raw}' is not a supported filter field: Falco ${target}'s k8s check reads the label after the dot up to '${raw[readEnd]}' (letters, digits and /_-.), which leaves the name longer than the field. ${EXCEPTION_FIELD_READ}`,
      { suggestions: [] }, { load: 'LOAD_ERR_VALIDATE' });
    return true;
  }
  if (!first?.fieldCut || first.span.start >= n.text.length) return false;
  const bracket = cutLabelBracket(`${n.text} = x`, first.span.start, first.fieldCut.field, 'exception');
  sink.report(Code.ConditionSyntax, span(first.span),
    `Falco ${target} accepts the exception field '${raw}' (the label '${older.arg}') and pastes it into the rule's condition, where its filter parser reads the field '${first.fieldCut.field}' and then fails at '${first.fieldCut.glued}': the rule does not compile.${bracket ? ` In brackets Falco reads the whole argument: ${bracket.bracketForm}.` : ''}`, bracket);
  return true;
}

/**
 * An exception's fields (pasted into the condition as text, so transformers count) and its comparison operators. The
 * fields of an exception that 'override: exceptions: replace' brings are not checked as the rule is read: they are
 * judged as the condition they are pasted into, as the other checks judge them (conditionChecks.ts replacedExceptionContext).
 */
function checkException(ex: MapNode, replaced: boolean, target: string, skipUnknown: boolean, sink: ReportSink): void {
  const entries = ex.entries;
  const pasted = replaced ? replacedExceptionContext({ reporter: sink, source: undefined, skipIfUnknownFilter: skipUnknown, where: 'exception' }, ex) : undefined;
  const fields = entries.find((e) => e.key === 'fields')?.value;
  for (const n of fields?.kind === 'seq' ? fields.items : fields ? [fields] : []) {
    if (n.kind !== 'scalar' || typeof n.value !== 'string' || n.text.trim() === '') continue;
    // Parsed as the left-hand side of a comparison: offsets in the parse are offsets in the scalar's text.
    const parse = parseConditionCached(`${n.text} = x`);
    const span = (s: Span) => scalarMap(n).span(Math.min(s.start, n.text.length), Math.min(s.end, n.text.length));
    if (olderDotFormException(n, parse.errors[0], target, span, sink)) continue;
    // `container.label.app-tier` before Falco 0.41: the collector looks the whole text up and finds no field (the
    // parse stops at the '-', so the expression below holds none).
    const raw = n.text.trim();
    if (!pasted && parse.errors[0]?.fieldCut && pluginFieldNeedingArgument(raw)) {
      const lead = n.text.length - n.text.trimStart().length;
      reportNewField(raw, target, 'exception', skipUnknown, () => span({ start: lead, end: lead + raw.length }), sink);
      continue;
    }
    if (pasted) checkExpr(parse.ast, target, 'filter', pasted.skipIfUnknownFilter, span, pasted.reporter);
    else checkExpr(parse.ast, target, 'exception', skipUnknown, span, sink);
  }
  const comps = entries.find((e) => e.key === 'comps')?.value;
  for (const n of comps?.kind === 'seq' ? comps.items : comps ? [comps] : []) {
    if (n.kind !== 'scalar' || typeof n.value !== 'string') continue;
    const { op, modifier } = splitComp(n.value);
    const since = operatorInfo(op)?.since;
    const modifierSince = modifier !== undefined ? OPERATOR_MODIFIERS.find((m) => m.name === modifier)?.since : undefined;
    // The collector checks each comp against the operators of the libs it is built with (rule_loader_collector.cpp
    // is_operator_defined, LOAD_ERR_VALIDATE at 0.37.0-0.44.0), and takes a modifier from 0.44.0 on
    // (is_str_operator_with_modifier). An exception 'override: exceptions: replace' brings is not checked there: its
    // comp is pasted into the condition, whose parser refuses it.
    const newer = newerThanTarget(since, target) ? { what: `Operator '${op}'`, since: since! }
      : newerThanTarget(modifierSince, target) ? { what: `Modifier '${modifier}'`, since: modifierSince! } : undefined;
    if (!newer) continue;
    if (replaced) sink.report(Code.ConditionSyntax, n.span, SYNTAX(newer.what, newer.since, target));
    else sink.report(Code.ExceptionComps, n.span, `'${n.value.trim()}' is not a supported comparison operator at Falco ${target}: ${newer.what.charAt(0).toLowerCase()}${newer.what.slice(1)} was added in Falco ${release(newer.since)}.`);
  }
}
