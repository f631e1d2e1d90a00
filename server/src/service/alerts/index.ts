// The alert-log language service: a per-document incremental index (documentIndex.ts), diagnostics, hovers,
// go-to-definition on rule names, tuning quick fixes and incident reports. Pure: it reads files through the
// ServiceHost and returns LSP types; edits go back as WorkspaceEdits.
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind, DiagnosticSeverity, MarkupKind,
  type CodeAction, type CodeActionContext, type Diagnostic, type Hover, type Location, type Position, type Range, type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { DeploymentEntry, DeploymentTarget, DocumentFeatures, RulesWorkspace, TuningTarget } from '../features';
import type { ServiceHost } from '../host';
import { LineIndex } from '../text';
import { editedUri, filesEdit, hasEdits } from '../edits';
import { plainTitle } from '../markdown';
import { URI_TO_PATH } from '../uri';
import { playbookFor } from '../../knowledge';
import { COPY_TO_CLIPBOARD_COMMAND, SHOW_MARKDOWN_COMMAND } from '../../protocol';
import { AlertDocumentIndex, recordOffset, recordRange, type AlertRecord } from './documentIndex';
import { BlockDocument, type TextBlocks } from './textBlocks';
import { memberOf, scanJson, topLevelValueSpan } from './json';
import type { AlertHead, LineProblem } from './parse';
import { problemsThreshold } from './priority';
import { TemplateLibrary } from './templates';
import { buildView, targetAt, type AlertView } from './view';
import { investigationScript } from './fill';
import { internalEventName, targetHover } from './hover';
import { incidentReport, incidentReportSteps, playbookMarkdown, type TuningPlaces, type TuningPlacesOf } from './report';
import { chartRuleSources, definedAfterLocal, definitionSelector, localAgainstBlock, localFileRead, operatorRuleSources } from './loadOrder';
import { nodesOutside, sameNodes } from '../embedded/selectors';
import { OPERATOR_RULES_DIR } from '../embedded/regions';
import {
  deploymentReason, disabledRuleReason, holdsRule, isInternalEvent, loadOrderReason, planDisable, planException, proposeExceptions, exceptionComment, inexactRuleNameReason, otherSourceReason, inexactValueReason, inexactValuesTitle, refusedValueReason, unloadedRule,
  type DeploymentBlock, type InexactValue, type Insertion, type LoadOrderBlock, type RefusedShape,
} from './tuning';

export { AlertDocumentIndex } from './documentIndex';
export { BlockDocument } from './textBlocks';
export type { AlertRecord } from './documentIndex';
export type { AlertView } from './view';

export interface AlertsService extends DocumentFeatures {
  /** A Markdown incident report for the alerts of a log (all of them, or those in the given lines, 0-based inclusive):
   *  an open document (its index is used when it has one) or the text of a file. */
  report(source: TextDocument | string, uri: string, lines?: { start: number; end: number }): string;
  /** The report of a text (every alert in it) in steps: each `next()` does a bounded part of the work (about a
   *  hundred alerts read, or one rule's section) and the last returns the Markdown. For a caller that lets other
   *  requests in between and may stop early (the Alert Explorer's report of thousands of alerts); dropping the
   *  generator leaves nothing behind. `fileLines[n]`, when given, is the line of the file that line n of the text
   *  comes from (0-based): the report gives those; `fileNames[n]`, the name of that file when a text joins several
   *  (a rotated set): the report gives `name:line`. */
  reportSteps(text: string, uri: string, fileLines?: ArrayLike<number>, fileNames?: ArrayLike<string | undefined>): Generator<void, string, void>;
  /** The index of a document (updated to its current version), for the Alert Explorer and benchmarks. */
  index(doc: TextDocument): AlertDocumentIndex;
  /** The full reading of one alert (rule identified, fields mapped), for the Alert Explorer. */
  view(doc: TextDocument, record: AlertRecord): AlertView;
  /** The rule of a text alert, from its rendered output (after the time and priority) matched against the output
   *  templates of the loaded rules; undefined when no template matches. For the Alert Explorer's disk index. */
  identifyTextRule(output: string): string | undefined;
  /** identifyTextRule with the loaded rules as they are now: for many alerts in a row (a slice of the Alert Explorer's
   *  index), where asking the rules workspace whether its files changed before each alert would cost more than
   *  matching the templates. */
  textRuleIdentifier(): (output: string) => string | undefined;
}

/** The client's command (package.json) that asks for a report (REPORT_REQUEST) with arguments [uri, startLine, endLine]. */
export const GENERATE_REPORT_COMMAND = 'falcoLens.generateReport';
const MAX_PARSE_DIAGNOSTICS = 1000;
const VIEW_CACHE = 64;
/** The length a tuning quick fix's title is cut at: it names a file by its workspace path (a Rulesfile's or a values
 *  entry's after it), and ends with what matters (`(last resort: …)`, why it is greyed out). */
const TUNING_TITLE = 200;

/** A rules file of a Falco deployment that tuning of a rule goes into (alerts service tuningPlaces). */
interface DeploymentPlace {
  kind: DeploymentTarget['kind'];
  target: DeploymentEntry;
  /** The texts of the deployment's other files with an item of the rule, in load order, all read before the target:
   *  an exception already in one of them is not offered again, and the last of them to set `enabled` decides, with
   *  the target, whether the rule is disabled already. */
  others: string[];
  /** Why no quick fix writes there (greyed out with the reason). */
  blocked?: DeploymentBlock;
}

export function createAlertsService(host: ServiceHost, rules: RulesWorkspace): AlertsService {
  const indexes = new Map<string, AlertDocumentIndex>();
  const templates = new TemplateLibrary();
  // Recently built views of each index, by record line, for the index's current version only: a view holds its
  // record, and a record its version's text (43 MB for a big log), so views of an older version must not outlive it.
  // Cleared when the rules change; a closed document's index (a WeakMap key) takes its views with it.
  let views = new WeakMap<AlertDocumentIndex, { version: number; byLine: Map<number, AlertView> }>();
  let viewsGeneration = -1;

  const refreshRules = () => {
    templates.refresh(rules.allRules());
    if (templates.generation !== viewsGeneration) { views = new WeakMap(); viewsGeneration = templates.generation; }
  };

  const indexOf = (doc: TextDocument): AlertDocumentIndex => {
    let index = indexes.get(doc.uri);
    if (!index) { index = new AlertDocumentIndex(); indexes.set(doc.uri, index); }
    if (index.version !== doc.version || index.textLength !== lengthOf(doc)) index.update(sourceOf(doc), doc.version);
    return index;
  };

  const viewOf = (index: AlertDocumentIndex, record: AlertRecord): AlertView => {
    refreshRules();
    let cached = views.get(index);
    if (!cached || cached.version !== index.version) { cached = { version: index.version, byLine: new Map() }; views.set(index, cached); }
    let v = cached.byLine.get(record.line);
    if (!v) {
      v = buildView(record, rules, templates, index.payloadStart(record));
      if (cached.byLine.size >= VIEW_CACHE) cached.byLine.delete(cached.byLine.keys().next().value as number);
      cached.byLine.set(record.line, v);
    }
    return v;
  };

  const toDiagnostic = (record: { line: number; pieces?: AlertRecord['pieces'] }, p: LineProblem): Diagnostic => ({
    range: recordRange(record, p.start, p.end),
    severity: p.severity, code: p.code, source: 'falco-lens', message: p.message,
  });

  // Per parsed alert (a head is reused for as long as its line is unchanged), so that the Problems view of a big log
  // costs nothing per edit for the lines the edit did not touch.
  const ruleSpans = new WeakMap<AlertHead, { start: number; end: number }>();
  const textRules = new WeakMap<AlertHead, { generation: number; rule: string | undefined; label?: string }>();

  const ruleSpan = (index: AlertDocumentIndex, record: AlertRecord): Range => {
    const h = record.head;
    if (h.format === 'text') {
      return recordRange(record, h.priorityStart!, h.outputEnd!);
    }
    let span = ruleSpans.get(h);
    if (!span) {
      const text = record.text;
      const start = text.indexOf('{', index.payloadStart(record));
      span = h.flavor === 'sidekick-ui' ? undefined : topLevelValueSpan(text, start, 'rule');
      if (!span) {
        let node = scanJson(text, start).root;
        if (h.flavor === 'sidekick-ui') node = memberOf(node, 'event')?.value;
        const rule = memberOf(node, 'rule');
        span = rule ? { start: rule.value.start, end: rule.value.end } : { start, end: text.length };
      }
      ruleSpans.set(h, span);
    }
    return recordRange(record, span.start, span.end);
  };

  /** The rule of a text alert, from the templates of the loaded rules (remembered per alert and rules generation);
   *  none when the template is that of several rules (`label` then names them all). */
  const textRule = (record: AlertRecord): { rule: string | undefined; label?: string } => {
    const h = record.head;
    const known = textRules.get(h);
    if (known && known.generation === templates.generation) return known;
    const ties: string[] = [];
    const output = record.text.slice(h.outputStart!, h.outputEnd!);
    const found = templates.identifyRule(output, h.priority, ties)?.name ?? oneByMessage(output);
    // Rules of the same template (twins), or of another template that matches as well (ties): any may have fired.
    const twins = found === undefined ? [] : [...templates.twins(found), ...ties];
    const entry = twins.length ? { generation: templates.generation, rule: undefined, label: [found!, ...twins].sort().join(' or ') } : { generation: templates.generation, rule: found };
    textRules.set(h, entry);
    return entry;
  };
  /** The one rule whose template starts with the message of an output no template matches (view.ts, 'message'). */
  const oneByMessage = (output: string): string | undefined => {
    const names = new Set(templates.rulesByMessage(output)?.rules.map((r) => r.rule.name));
    const [name] = names;
    return names.size === 1 && templates.twins(name).length === 0 ? name : undefined;
  };
  const oneRuleTies: string[] = [];
  /** The name of the one rule whose template matches a text alert's output (or, none matching, whose message it has:
   *  oneByMessage); undefined when none or several do. */
  const oneRule = (output: string): string | undefined => {
    const name = templates.identifyRule(output, -1, oneRuleTies)?.name;
    if (name === undefined) return oneByMessage(output);
    return templates.twins(name).length === 0 && oneRuleTies.length === 0 ? name : undefined;
  };

  /** A rules file as tuning titles name it: as the rules service's messages do (its base name, more of its path where
   *  another loaded rules file has that name: rules/workspace.ts fileLabels). */
  const fileName = (file: string): string => rules.fileLabel?.(file) ?? path.basename(file);
  const localRulesPath = (): string | undefined => {
    const local = host.settings().rules.localFile;
    if (path.isAbsolute(local)) return local;
    const folder = host.workspaceFolders()[0];
    return folder ? path.join(folder, local) : undefined;
  };

  /** The local rules file and the rule's file when Falco loads the local file first: an override of the rule written
   *  there would stop Falco (loadOrder.ts). A rule tuned in its own block (tuningTarget) is not concerned. */
  const blockedTuning = (view: AlertView): LoadOrderBlock | undefined => {
    const summary = view.ruleSummary;
    if (!view.rule || !summary || summary.tuningTarget) return undefined;
    const local = localRulesPath();
    const ruleFile = summary.location && URI_TO_PATH(summary.location.uri);
    if (!local || !ruleFile) return undefined;
    const after = definedAfterLocal(host, local, ruleFile);
    if (after !== undefined) return { local, ruleFile: after };
    // The local file loads after the first definition; a file loading after it that defines the rule again replaces
    // the rule with what the local file appended (the last such file is where an override takes effect).
    // An embedded block is read where its chart's rules_files puts it (localAgainstBlock: rules.d, after the local
    // file, by the chart's default). A chart's Falco that does not read this local file (not named, or not mounted
    // from the values: regions.ts ChartValues) does not replace what it gives the Falco that reads it, nor does the
    // Falco Operator's, which reads no local file (a Rulesfile's inlineRules; that Falco is tuned in its Rulesfiles).
    let redefinedIn: string | undefined;
    let inBlock: LoadOrderBlock['redefinedInBlock'];
    let localOrder: LoadOrderBlock['localOrder'];
    for (const item of summary.redefinitions ?? []) {
      if (item.block) {
        if (item.block.holder === 'inlineRules') continue;
        const order = localAgainstBlock(item.block.chartLoad, local);
        if (order === 'after' || order === 'unread' || order === 'not-mounted') continue;
        redefinedIn = item.block.label; inBlock = 'block'; localOrder = order === 'before' ? undefined : order;
        continue;
      }
      const file = URI_TO_PATH(item.uri);
      if (file && definedAfterLocal(host, local, file) !== undefined) { redefinedIn = file; inBlock = undefined; localOrder = undefined; }
    }
    return redefinedIn === undefined ? undefined : { local, ruleFile, redefinedIn, ...(inBlock ? { redefinedInBlock: inBlock } : {}), ...(localOrder ? { localOrder } : {}) };
  };

  /**
   * Where tuning of an alert's rule goes. A rule defined only in an embedded block is tuned there (its tuningTarget).
   * Otherwise, for each Falco deployment of the workspace whose Falco never reads the workspace's local rules file (a
   * Helm chart's values, embedded/regions.ts ChartValues; the Rulesfiles of a Falco Operator's namespace), a file of
   * its own (deploymentPlace), greyed out where that Falco would not take it. And the local rules file, unless a
   * deployment's Falco has the rule and no Falco that Falco Lens knows of reads the local file (it does not exist, nor
   * do the configured rules files name it): blocked where Falco loads it too early (blockedTuning).
   * `logUri`: the alert log, whose nearest deployments are offered first (nearestFirst).
   */
  const tuningPlaces = (view: AlertView, logUri: string): TuningPlaces & { targets: DeploymentPlace[]; localPath?: string } => {
    const local = localRulesPath();
    const rule = view.rule;
    if (!rule || view.ruleSummary?.tuningTarget) return { deployments: [], targets: [], local: true, ...(local ? { localPath: local } : {}) };
    const ruleFile = view.ruleSummary?.location && URI_TO_PATH(view.ruleSummary.location.uri);
    const targets: DeploymentPlace[] = [];
    for (const d of nearestFirst(rules.deployments?.() ?? [], logUri)) {
      const place = deploymentPlace(d, rule, view.ruleSummary?.tags ?? [], ruleFile);
      if (place) targets.push(place);
    }
    // (`local` for the report, which names "your local rules file" also where no workspace folder gives its path.)
    const offerLocal = targets.every((t) => t.blocked?.why === 'missing') || (!!local && localFileRead(host, local, rules.documentText?.(editedUri(host, local))));
    const blocked = offerLocal ? blockedTuning(view) : undefined;
    // Said of the local file: the kinds of Falco tuned apart none of which reads it from the workspace (a chart's
    // Falco only where its values mount it; an operator's never).
    const doesNotRead = (['chart', 'operator'] as const).filter((kind) => {
      const of = targets.filter((t) => t.kind === kind);
      return !!local && of.length > 0 && of.every((t) => {
        const order = kind === 'chart' ? localAgainstBlock(t.target.chartLoad, local) : 'unread';
        return order === 'unread' || order === 'not-mounted';
      });
    });
    return {
      deployments: targets.map((t) => ({ kind: t.kind, label: t.target.label, podPath: t.target.podPath, ...(t.blocked ? { blocked: t.blocked } : {}) })),
      targets, local: offerLocal, ...(offerLocal && local ? { localPath: local } : {}), ...(blocked ? { blocked } : {}), ...(doesNotRead.length ? { doesNotRead } : {}),
    };
  };
  /** tuningPlaces asked once per rule, for the many alerts of one report. */
  const placesOnce = (logUri: string): TuningPlacesOf => {
    const known = new Map<string, TuningPlaces>();
    return (view) => {
      const key = view.rule ?? '';
      if (!known.has(key)) known.set(key, tuningPlaces(view, logUri));
      return known.get(key)!;
    };
  };

  /** The insertion into the local rules file (created where it does not exist), naming the version of the text
   *  `current` where the editor has it open (service/edits.ts): taken after the file changed, it is refused. Undefined
   *  where the editor holds it with changes Falco Lens has not read. */
  const tuningEdit = (uri: string, current: string, insertion: Insertion): WorkspaceEdit | undefined => {
    const position = new LineIndex(current).positionAt(insertion.offset);
    return filesEdit(host, [{ uri, text: current, mayNotExist: true, edits: [{ range: { start: position, end: position }, newText: insertion.text }] }]);
  };

  /**
   * The tuning quick fixes of an alert (tuningPlaces): into the block defining its rule; else into a file of each Falco
   * deployment (a chart values' customRules entry, an operator's Rulesfile), then the local rules file. Greyed out with
   * the reason where the edit would stop Falco or be replaced.
   */
  const tuningActions = (first: AlertView, places: ReturnType<typeof tuningPlaces>, related: Diagnostic[]): CodeAction[] => {
    const actions: CodeAction[] = [];
    // A rule defined in a Helm chart's customRules is tuned in its own block, after its definition, which holds
    // wherever the chart's rules_files puts the local rules file (by default before rules.d, where an override of
    // the rule would stop Falco).
    const own = first.ruleSummary?.tuningTarget;
    // A rule name Falco could not have printed, of no loaded rule: any override written with it would stop Falco.
    const badName = inexactRuleNameReason(first);
    if (badName) {
      return [{ title: plainTitle('Add exception or disable rule: not offered, the alert\'s rule name is not one Falco prints', 160), kind: CodeActionKind.QuickFix, disabled: { reason: `${badName}.` } }];
    }
    const unloaded = unloadedRule(first);
    const { proposals, refused, otherSource } = proposeExceptions(first);
    let offered = false;
    const offer = (where: { text: string; name: string; edit: (insertion: Insertion) => WorkspaceEdit | undefined; others?: readonly string[]; header?: string }) => {
      offered = true;
      // The editor holds the file with changes Falco Lens has not read (open as another language): no offset in it is
      // known, so its quick fixes are one greyed-out action saying to save it, not left out without a word.
      let unsaved = false;
      // A rule Falco Lens has not loaded: the override is still offered (right if the name is), said in the title
      // (a note added after the title's usual length, so it is never cut) and in a comment above the YAML.
      const titled = (text: string) => {
        if (!unloaded) return plainTitle(text, TUNING_TITLE);
        // Inside a closing parenthesis the title already has: `… (last resort: …; rule not loaded: …)`.
        return text.endsWith(')') ? `${plainTitle(text.slice(0, -1), TUNING_TITLE - 1)}; ${unloaded.title})` : `${plainTitle(text, TUNING_TITLE)} (${unloaded.title})`;
      };
      // Already in another entry of the same values (Falco reads them all): not offered again.
      const elsewhere = (plan: (text: string) => { kind: string }) => (where.others ?? []).some((t) => plan(t).kind === 'present');
      for (const proposal of proposals) {
        const plan = planException(where.text, proposal, exceptionComment(proposal, unloaded?.comment), where.header);
        if (plan.kind !== 'insert' || elsewhere((t) => planException(t, proposal))) continue;
        const edit = where.edit(plan.insertion);
        if (edit === undefined) { unsaved = true; continue; }
        if (!hasEdits(edit)) continue;
        const values = proposal.values.map((v) => safeTitleValue(v)).join(', ');
        actions.push({
          title: titled(`Add exception for this ${proposal.shape.label} (${values}) to ${where.name}`),
          kind: CodeActionKind.QuickFix, diagnostics: related.length ? related : undefined, edit,
        });
      }
      // Disabled already when the last of the deployment's files to set the rule's enabled state says false (Falco
      // applies them in load order; the target loads last).
      const disable = planDisable(where.text, first.rule!, unloaded?.comment, where.header, where.others);
      // The loaded rules disable it already: the Falco that wrote the alert enables it after its rules files.
      const off = disable.kind === 'insert' ? disabledRuleReason(first) : undefined;
      const disableEdit = disable.kind === 'insert' && !off ? where.edit(disable.insertion) : null;
      if (off) {
        actions.push({
          title: plainTitle(`Disable rule "${safeTitleValue(first.rule!)}" in ${where.name}: not offered, the loaded rules disable it already`, TUNING_TITLE),
          kind: CodeActionKind.QuickFix, disabled: { reason: `${off.charAt(0).toUpperCase()}${off.slice(1)}.` },
        });
      } else if (disableEdit === undefined) unsaved = true;
      else if (disableEdit && hasEdits(disableEdit)) {
        actions.push({
          title: titled(`Disable rule "${safeTitleValue(first.rule!)}" in ${where.name} (last resort: it stops all its alerts)`),
          kind: CodeActionKind.QuickFix, edit: disableEdit,
        });
      }
      if (unsaved) {
        actions.push({
          title: plainTitle(`Add exception or disable rule in ${where.name}: save it first`, 160), kind: CodeActionKind.QuickFix,
          disabled: { reason: `${where.name} is open in the editor with unsaved changes that Falco Lens has not read (it is open as another language): save it, then ask for the quick fix again.` },
        });
      }
    };
    const inTarget = (t: TuningTarget) => ({ text: t.text, name: t.label, edit: (insertion: Insertion) => t.edit(insertion) });
    if (own) offer(inTarget(own));
    for (const place of own ? [] : places.targets) {
      const { target, blocked } = place;
      if (blocked) {
        actions.push({
          title: plainTitle(blocked.why === 'order'
            ? `Add exception or disable rule: not in ${target.label}, which Falco reads before ${blocked.after}`
            : blocked.why === 'selector'
              ? (blocked.unclear
                ? `Add exception or disable rule: not in ${target.label}: the Rulesfiles defining this rule apply on different nodes`
                : `Add exception or disable rule: not in ${target.label}, whose spec.selector is not that of this rule's definition`)
              : `Add exception or disable rule: not in ${target.label}, whose Falco does not load this rule`, TUNING_TITLE),
          kind: CodeActionKind.QuickFix, disabled: { reason: `${deploymentReason(blocked)}.` },
        });
        continue;
      }
      offer({
        ...inTarget(target), others: place.others,
        ...(target.text === '' ? { header: `Tuning of rules that Falco reads before this file: ${place.kind === 'chart' ? 'the chart mounts' : 'the operator writes'} it as ${target.podPath}.` } : {}),
      });
    }
    const local = places.localPath;
    if (!own && local && places.blocked) {
      // Shown greyed out with its reason (where the client supports it): an edit here would stop Falco.
      const blocked = places.blocked;
      const reason = loadOrderReason(blocked);
      actions.push({
        title: plainTitle(blocked.localOrder === 'unknown'
          ? `Add exception or disable rule: not in ${fileName(blocked.local)}, which Falco may read before ${blocked.redefinedIn}, where the rule is defined again`
          : blocked.redefinedIn !== undefined
            ? `Add exception or disable rule: not in ${fileName(blocked.local)}, whose override ${blocked.redefinedInBlock ? blocked.redefinedIn : fileName(blocked.redefinedIn)} replaces by defining the rule again`
            : `Add exception or disable rule: not in ${fileName(blocked.local)}, which Falco loads before ${fileName(blocked.ruleFile)}`, 160),
        kind: CodeActionKind.QuickFix, disabled: { reason: `${reason}.` },
      });
    } else if (!own && local && places.local) {
      // The editor's buffer when the file is open (it may hold unsaved edits), else the disk: the edit's offsets
      // and the "already present" checks must refer to the text the edit is applied to. Open under another path (a
      // link to it), that document is the one edited (editedUri).
      const uri = editedUri(host, local);
      const current = rules.documentText?.(uri) ?? host.openDocument?.(uri)?.getText() ?? host.readFile(local) ?? '';
      offer({
        text: current, edit: (insertion) => tuningEdit(uri, current, insertion),
        name: places.doesNotRead ? `${fileName(local)}, which ${doesNotReadLabel(places.doesNotRead)}` : fileName(local),
      });
    }
    // A shape left out because a value is not what Falco compares (U+FFFD, a lone surrogate: inexactValue) is shown
    // greyed out with why: the exception would never match.
    const inexact = refused.filter((r): r is RefusedShape & { why: InexactValue } => r.why !== 'unsafe');
    if (inexact.length && offered) {
      const fields = [...new Map(inexact.map((r) => [r.field, r.why])).entries()];
      actions.push({
        title: plainTitle(`Add exception for this ${inexact[0].shape.label}: not offered, ${inexactValuesTitle(fields.map(([f]) => f), new Set(fields.map(([, why]) => why)))}`, 160),
        kind: CodeActionKind.QuickFix, disabled: { reason: `${fields.map(([f, why]) => inexactValueReason(f, why)).join('; ')}.` },
      });
    }
    // A value that no quoting carries into Falco's condition (tuning.ts exceptionValueText: one ending with a
    // backslash): greyed out with why, where it was left out without a word.
    const unwritable = refused.filter((r): r is RefusedShape & { why: 'unsafe' } => r.why === 'unsafe');
    if (unwritable.length && offered) {
      const fields = [...new Map(unwritable.map((r) => [r.field, r])).values()];
      actions.push({
        title: plainTitle(`Add exception for this ${unwritable[0].shape.label}: not offered, ${fields.map((r) => r.field).join(', ')} cannot be written into Falco's condition`, 160),
        kind: CodeActionKind.QuickFix, disabled: { reason: `${fields.map((r) => refusedValueReason(r)).join('; ')}.` },
      });
    }
    // The alert's values are of fields the loaded rule's source does not have (an alert of a Falco where the rule of
    // this name has another source): greyed out with why, not left out without a word.
    if (otherSource.length && proposals.length === 0 && offered) {
      actions.push({
        title: plainTitle(`Add exception for this ${otherSource[0].label}: not offered, the loaded rule has another source`, 160),
        kind: CodeActionKind.QuickFix, disabled: { reason: `${otherSourceReason(first, otherSource)}.` },
      });
    }
    return actions;
  };

  const recordsIn = (index: AlertDocumentIndex, startLine: number, endLine: number): AlertRecord[] => {
    const { first, count } = index.alertsBetween(startLine, endLine);
    return first < 0 ? [] : index.alerts.slice(first, first + count);
  };

  const groupKey = (r: AlertRecord) => r.head.rule ?? `\u0000${r.head.head ?? ''}`;

  const service: AlertsService = {
    didOpenOrChange(doc, changes) {
      const index = indexes.get(doc.uri);
      // The changes lead from the version the index holds to this one: only the lines they touch are parsed again.
      if (index && changes) index.update(sourceOf(doc), doc.version, changes);
      else indexOf(doc);
    },
    didClose(uri) { indexes.delete(uri); },
    index: indexOf,
    view: (doc, record) => viewOf(indexOf(doc), record),
    identifyTextRule(output: string): string | undefined {
      refreshRules();
      return oneRule(output);
    },

    textRuleIdentifier(): (output: string) => string | undefined {
      refreshRules();
      return oneRule;
    },

    diagnostics(doc: TextDocument, token): Diagnostic[] {
      const index = indexOf(doc);
      const out: Diagnostic[] = [];
      let parseProblems = 0;
      const push = (d: Diagnostic) => {
        if (parseProblems++ < MAX_PARSE_DIAGNOSTICS) out.push(d);
      };
      for (const { line, problem, pieces } of index.lineProblems) push(toDiagnostic({ line, pieces }, problem));
      for (const r of index.alerts) for (const p of r.problems ?? []) push(toDiagnostic(r, p));
      if (parseProblems > MAX_PARSE_DIAGNOSTICS) {
        out.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, code: 'diagnostics-cap', source: 'falco-lens', message: `${parseProblems - MAX_PARSE_DIAGNOSTICS} more format problems are not shown (the first ${MAX_PARSE_DIAGNOSTICS} are).` });
      }
      if (token?.isCancellationRequested) return out;
      const settings = host.settings().alerts;
      const threshold = problemsThreshold(settings.problems);
      if (threshold < 0) return out;
      refreshRules();
      let shown = 0;
      let hidden = 0;
      for (const r of index.alerts) {
        const p = r.head.priority;
        if (p < 0 || p > threshold) continue;
        if (shown >= settings.maxProblems) { hidden++; continue; }
        shown++;
        let rule = r.head.rule;
        let several: string | undefined;
        if (!rule && r.head.format === 'text') ({ rule, label: several } = textRule(r));
        const label = rule ?? several ?? (isInternalEvent(r.head.head) ? internalEventName(r.head.head ?? '') : `${r.head.head || 'alert'} (rule unidentified)`);
        out.push({
          range: ruleSpan(index, r), severity: p <= 3 ? DiagnosticSeverity.Error : p === 4 ? DiagnosticSeverity.Warning : p <= 6 ? DiagnosticSeverity.Information : DiagnosticSeverity.Hint,
          code: 'falco-alert', source: 'falco', message: plainTitle(`${['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'][p]}: ${label}`, 200),
          data: { line: r.line, rule },
        });
      }
      if (hidden > 0) {
        const first = index.alerts[0];
        out.push({
          range: { start: { line: first.line, character: 0 }, end: { line: first.line, character: 0 } }, severity: DiagnosticSeverity.Information,
          code: 'problems-cap', source: 'falco-lens',
          message: `${hidden} more alerts at or above ${settings.problems} are not shown: the Problems view is capped at ${settings.maxProblems} (setting falcoLens.alerts.maxProblems).`,
        });
      }
      return out;
    },

    hover(doc: TextDocument, position: Position): Hover | null {
      const index = indexOf(doc);
      const record = index.alertAtLine(position.line);
      if (!record) return null;
      const offset = recordOffset(record, position.line, position.character);
      if (offset === undefined) return null;
      const view = viewOf(index, record);
      const target = targetAt(view, offset);
      if (!target) return null;
      let previous: AlertView | undefined;
      if (target.kind === 'time') {
        const key = groupKey(record);
        for (let i = record.ordinal - 1; i >= 0; i--) {
          if (groupKey(index.alerts[i]) === key) { previous = { ...view, record: index.alerts[i], time: index.alerts[i].head.time, epochNanos: undefined }; break; }
        }
      }
      const markdown = targetHover(view, target, previous, host.settings().falcoVersion);
      return {
        contents: { kind: MarkupKind.Markdown, value: markdown },
        range: recordRange(record, target.start, target.end),
      };
    },

    definition(doc: TextDocument, position: Position): Location[] {
      const index = indexOf(doc);
      const record = index.alertAtLine(position.line);
      if (!record) return [];
      const offset = recordOffset(record, position.line, position.character);
      if (offset === undefined) return [];
      const view = viewOf(index, record);
      const target = targetAt(view, offset);
      if (target?.kind !== 'rule' || !view.rule) return [];
      const location = rules.findRule(view.rule)?.location;
      return location ? [location] : [];
    },

    codeActions(doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[] {
      // VS Code asks on every selection change: the actions look at the selection's first alert and count the rest;
      // the report itself is built only when its command runs.
      const index = indexOf(doc);
      const selected = index.alertsBetween(range.start.line, range.end.line);
      if (selected.count === 0) return [];
      const records = [index.alerts[selected.first]];
      const actions: CodeAction[] = [];
      const wants = (kind: string) => !context.only || context.only.some((k) => kind === k || kind.startsWith(`${k}.`));
      const first = viewOf(index, records[0]);
      const related = (context.diagnostics ?? []).filter((d) => d.code === 'falco-alert' && (d.data as { line?: number } | undefined)?.line === records[0].line);
      // Asked once: it reads the workspace's chart values and the local file's place.
      const places = first.rule ? tuningPlaces(first, doc.uri) : undefined;
      if (places && wants(CodeActionKind.QuickFix)) actions.push(...tuningActions(first, places, related));
      if (wants(CodeActionKind.Empty) || !context.only) {
        const playbook = first.rule ? playbookFor(first.rule) : undefined;
        if (playbook) {
          const title = `Open playbook: ${safeTitleValue(playbook.rule)}`;
          actions.push({ title: plainTitle(title, 120), command: { title: plainTitle(title, 120), command: SHOW_MARKDOWN_COMMAND, arguments: [playbookMarkdown(first, playbook, (view) => (view === first && places ? places : tuningPlaces(view, doc.uri))), plainTitle(`Playbook: ${playbook.rule}`)] } });
          if (playbook.investigate.length) {
            const script = investigationScript(playbook.investigate, first);
            actions.push({ title: 'Copy investigation command', command: { title: 'Copy investigation command', command: COPY_TO_CLIPBOARD_COMMAND, arguments: [script, 'investigation command'] } });
          }
        }
        const one = selected.count === 1;
        const title = one ? 'Generate incident report for this alert' : `Generate incident report for the ${selected.count.toLocaleString('en-US')} selected alerts`;
        const lines = one ? [records[0].line, records[0].endLine] : [range.start.line, range.end.line];
        actions.push({ title, command: { title, command: GENERATE_REPORT_COMMAND, arguments: [doc.uri, ...lines] } });
      }
      return actions;
    },

    report(source: TextDocument | string, uri: string, lines?: { start: number; end: number }): string {
      const open = typeof source === 'string' ? undefined : source;
      const text = typeof source === 'string' ? source : undefined;
      const cached = indexes.get(uri);
      let use: AlertDocumentIndex;
      if (open && cached) use = indexOf(open);
      else if (text !== undefined && cached && cached.textLength === text.length && cached.text === text) use = cached;
      else { use = new AlertDocumentIndex(); use.update(open ? sourceOf(open) : text ?? '', 0); }
      const records = lines ? recordsIn(use, lines.start, lines.end) : use.alerts;
      refreshRules();
      const once = rulesOnce(rules);
      const selected = records.map((r) => buildView(r, once, templates, use.payloadStart(r)));
      return incidentReport(selected, fileLabel(uri), placesOnce(uri));
    },

    *reportSteps(text: string, uri: string, fileLines?: ArrayLike<number>, fileNames?: ArrayLike<string | undefined>): Generator<void, string, void> {
      const index = new AlertDocumentIndex();
      index.update(text, 0);
      yield;
      refreshRules();
      // The rules as they are when the reading starts: the views of one report agree even if a rules file changes
      // between two steps.
      const once = rulesOnce(rules);
      const views: AlertView[] = [];
      for (const record of index.alerts) {
        views.push(buildView(record, once, templates, index.payloadStart(record)));
        if (views.length % VIEWS_PER_STEP === 0) yield;
      }
      yield;
      const lineOf = (view: AlertView) => (fileLines?.[view.record.line] ?? view.record.line) + 1;
      const placeOf = (view: AlertView) => { const file = fileNames?.[view.record.line]; return file !== undefined ? `${file}:${lineOf(view)}` : String(lineOf(view)); };
      return yield* incidentReportSteps(views, fileLabel(uri), placeOf, placesOnce(uri));
    },
  };
  return service;
}

/**
 * Where tuning for one Falco deployment goes (alerts service tuningPlaces), and whether its Falco takes it:
 * - a chart's values: the last customRules entry with an item of the rule, else the entry Falco Lens adds; greyed out
 *   where its Falco reads no definition of the rule (an override would stop it: no entry has an item of it, and the
 *   paths its rules_files reads, as far as Falco Lens knows them, do not define it, loadOrder.ts chartRuleSources), or
 *   reads one after the entry;
 * - an operator's namespace: the last of its files with an item of the rule that loads after every file defining the
 *   rule or that may (OCI artifacts, ConfigMaps not found: loadOrder.ts operatorRuleSources), else its
 *   `falco-lens-tuning` Rulesfile (embedded/operatorTuning.ts, priority 99: after them all), each with the
 *   spec.selector of the rule's definitions (loadOrder.ts definitionSelector; a new one is written with it); greyed
 *   out where none of its files defines the rule or may, where that Rulesfile loads before one that does (its
 *   priority was lowered), or applies on other nodes than the definitions (or these are on several selectors).
 */
function deploymentPlace(d: DeploymentTarget, rule: string, tags: readonly string[], ruleFile: string | undefined): DeploymentPlace | undefined {
  const holding = d.entries.filter((e) => holdsRule(e.text, rule));
  let target: DeploymentEntry | undefined;
  let blocked: DeploymentBlock | undefined;
  if (d.kind === 'chart') {
    target = holding[holding.length - 1] ?? d.tuning;
    if (!target) return undefined;
    const load = target.chartLoad;
    const found = chartRuleSources(load, rule, tags, ruleFile);
    const later = load ? found.sources.find((s) => load.paths.indexOf(s.path) > load.at) : undefined;
    if (holding.length === 0 && found.sources.length === 0 && !found.maybe) blocked = { why: 'missing', kind: 'chart', reads: found.reads };
    else if (later) blocked = { why: 'order', kind: 'chart', podPath: target.podPath, after: later.path, official: later.official, ...(ruleFile ? { ruleFile } : {}) };
  } else {
    const sources = operatorRuleSources(d.entries, d.unknown ?? [], rule, tags);
    const last = sources[sources.length - 1];
    const after = holding.filter((e) => last === undefined || e.key >= last.fileName);
    // Where the rule is: a file with another spec.selector than its definitions is passed over, and the tuning
    // Rulesfile Falco Lens adds takes theirs.
    const nodes = definitionSelector(sources);
    const fits = (e: DeploymentEntry | undefined) => e !== undefined && !nodes.unclear && sameNodes(e.selector, nodes.selector);
    const tuning = !nodes.unclear && d.tuning?.selecting ? d.tuning.selecting(nodes.selector) ?? d.tuning : d.tuning;
    const fitting = after.filter(fits);
    target = fitting[fitting.length - 1] ?? (fits(tuning) ? tuning : undefined) ?? after[after.length - 1] ?? tuning;
    if (!target) return undefined;
    if (!last) blocked = { why: 'missing', kind: 'operator', folder: d.label, namespace: d.namespace ?? '' };
    else if (target.key < last.fileName) blocked = { why: 'order', kind: 'operator', podPath: target.podPath, after: `${OPERATOR_RULES_DIR}/${last.fileName}`, maybe: last.maybe };
    else if (nodes.unclear || !sameNodes(target.selector, nodes.selector)) {
      const defining = nodes.defining.map((s) => ({ podPath: `${OPERATOR_RULES_DIR}/${s.fileName}`, maybe: s.maybe, ...(s.selector !== undefined ? { selector: s.selector } : {}) }));
      blocked = { why: 'selector', kind: 'operator', podPath: target.podPath, defining, unclear: nodes.unclear, ...(target.selector !== undefined ? { selector: target.selector } : {}) };
    }
  }
  // The deployment's other files with an item of the rule that apply wherever the target does (Falco reads them there).
  const others = holding.filter((e) => e !== target && nodesOutside(target!.selector, [e.selector]) === undefined);
  return { kind: d.kind, target, others: others.map((e) => e.text), ...(blocked ? { blocked } : {}) };
}

/**
 * The deployments in the order their quick fixes are offered: those with the most leading folders in common with the
 * alert log first (a log kept beside the values or manifests of the cluster that wrote it), then by path. All of them:
 * any may be the Falco that wrote the log (the workspace does not say), and each title names its file.
 */
function nearestFirst(deployments: readonly DeploymentTarget[], logUri: string): DeploymentTarget[] {
  const log = URI_TO_PATH(logUri);
  const logParts = log ? path.dirname(log).split(/[\\/]/) : [];
  const shared = (p: string): number => {
    const parts = p.split(/[\\/]/);
    let n = 0;
    while (n < logParts.length && n < parts.length - 1 && parts[n] === logParts[n]) n++;
    return n;
  };
  return deployments.map((d, i) => ({ d, i, near: shared(d.path) })).sort((a, b) => b.near - a.near || a.i - b.i).map((e) => e.d);
}

/** Who does not read the local rules file, for its title. */
function doesNotReadLabel(kinds: readonly ('chart' | 'operator')[]): string {
  return kinds.length > 1 ? 'neither the chart\'s nor the operator\'s Falco reads' : `the ${kinds[0]}'s Falco does not read`;
}

/** The text of a document as the index reads it: an editor's alert log keeps its text in blocks (no whole string). */
function sourceOf(doc: TextDocument): string | TextBlocks {
  return doc instanceof BlockDocument ? doc.blocks : doc.getText();
}

function lengthOf(doc: TextDocument): number {
  return doc instanceof BlockDocument ? doc.blocks.length : doc.getText().length;
}

/** Alerts read per step of reportSteps (a few milliseconds). */
const VIEWS_PER_STEP = 100;

/**
 * The rules workspace for one report: each rule name is looked up once. A lookup asks the workspace whether its files
 * changed, which cost more than reading the alert (half of a 5,000-alert report went to it, for a few dozen rules).
 */
function rulesOnce(rules: RulesWorkspace): RulesWorkspace {
  const found = new Map<string, ReturnType<RulesWorkspace['findRule']>>();
  const lists = new Map<string, boolean>();
  return {
    findRule(name) {
      if (!found.has(name)) found.set(name, rules.findRule(name));
      return found.get(name);
    },
    allRules: () => rules.allRules(),
    validateText: (uri, text) => rules.validateText(uri, text),
    // Asked for the words of every value tuned: each word once too.
    ...(rules.isListName ? { isListName: (name: string) => { if (!lists.has(name)) lists.set(name, rules.isListName!(name)); return lists.get(name)!; } } : {}),
    ...(rules.documentText ? { documentText: (uri: string) => rules.documentText!(uri) } : {}),
    ...(rules.deployments ? { deployments: () => rules.deployments!() } : {}),
  };
}

function fileLabel(uri: string): string {
  const last = uri.split('/').pop() ?? uri;
  try { return decodeURIComponent(last); } catch { return last; }
}

/** A value shown in a code-action title: one line, short, and `$(` broken so that no icon syntax is rendered. */
function safeTitleValue(value: string): string {
  return plainTitle(value, 40).replace(/\$\(/g, '$ (');
}
