// Every diagnostic of the configuration service: a stable code (quick fixes key on it, never on the message) and its
// severity. Errors are what makes Falco refuse to start; warnings are what its schema validation reports or what it
// silently ignores; information is advice.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { LineIndex } from '../text';
import { isVirtual, realSpan, type ConfigAlias, type ConfigModel } from './model';

export enum ConfigCode {
  YamlSyntax = 'config-yaml-syntax',
  NotAMapping = 'config-not-a-mapping',
  UnknownKey = 'config-unknown-key',
  WrongType = 'config-wrong-type',
  NotInEnum = 'config-not-in-enum',
  OutOfRange = 'config-out-of-range',
  MissingKey = 'config-missing-key',
  DuplicateKey = 'config-duplicate-key',
  KeyRemoved = 'config-key-removed',
  KeyTooNew = 'config-key-too-new',
  DeprecatedKey = 'config-deprecated-key',
  /** Falco refuses to start on this value (a thrown configuration error). */
  StartFails = 'config-start-fails',
  /** A rule selection or an append_output match names no rule or tag of the loaded rules. */
  SelectsNothing = 'config-selects-nothing',
  /** A rules file or folder of `rules_files` that the files Falco Lens can read do not have. */
  RulesPathMissing = 'config-rules-path-missing',
  /** A top-level key of this file that a file merged later (config_files) replaces, or that add-only cannot set. */
  Overridden = 'config-overridden',
  /** A relative path Falco resolves against its working directory, not against this file's folder. */
  RelativePath = 'config-relative-path',
  /** A whole configuration naming no rules file: Falco stops at start unless -r names some. */
  NoRulesFile = 'config-no-rules-file',
  /** A rules path whose files an earlier rules path loads already: Falco loads them again. */
  RulesFileLoadedAgain = 'config-rules-file-loaded-again',
  /** A top-level key that config_files changes through another key holding its yaml-cpp node (an anchor, an alias). */
  SharedNode = 'config-shared-node',
  /** A file Falco reads (a certificate, a capture) that is not on this machine, though its folder is. */
  FileMissing = 'config-file-missing',
  /** A value with which Falco repeats something without end (a retry count its one-byte counter never passes). */
  Endless = 'config-endless',
}

const SEVERITY: Record<ConfigCode, DiagnosticSeverity> = {
  [ConfigCode.YamlSyntax]: DiagnosticSeverity.Error,
  [ConfigCode.NotAMapping]: DiagnosticSeverity.Error,
  [ConfigCode.UnknownKey]: DiagnosticSeverity.Warning,
  [ConfigCode.WrongType]: DiagnosticSeverity.Warning,
  [ConfigCode.NotInEnum]: DiagnosticSeverity.Warning,
  [ConfigCode.OutOfRange]: DiagnosticSeverity.Warning,
  [ConfigCode.MissingKey]: DiagnosticSeverity.Warning,
  [ConfigCode.DuplicateKey]: DiagnosticSeverity.Warning,
  [ConfigCode.KeyRemoved]: DiagnosticSeverity.Warning,
  [ConfigCode.KeyTooNew]: DiagnosticSeverity.Warning,
  [ConfigCode.DeprecatedKey]: DiagnosticSeverity.Warning,
  [ConfigCode.StartFails]: DiagnosticSeverity.Error,
  [ConfigCode.SelectsNothing]: DiagnosticSeverity.Warning,
  [ConfigCode.RulesPathMissing]: DiagnosticSeverity.Information,
  [ConfigCode.Overridden]: DiagnosticSeverity.Information,
  [ConfigCode.RelativePath]: DiagnosticSeverity.Warning,
  [ConfigCode.NoRulesFile]: DiagnosticSeverity.Warning,
  [ConfigCode.RulesFileLoadedAgain]: DiagnosticSeverity.Information,
  [ConfigCode.SharedNode]: DiagnosticSeverity.Information,
  [ConfigCode.FileMissing]: DiagnosticSeverity.Warning,
  [ConfigCode.Endless]: DiagnosticSeverity.Warning,
};

export type ConfigReporter = (code: ConfigCode, span: readonly [number, number], message: string, data?: Record<string, unknown>, related?: DiagnosticRelatedInformation[]) => void;

/** What a finding read through an alias carries in its data: its quick fixes would edit text other readers read. */
export interface ThroughAlias { reason: string }

/**
 * Collects diagnostics; a later finding at the same span and code replaces none (both are kept). With the document's
 * model and URI, a finding on a copy an alias gave (model.ts readAliases) is placed where its text is (realSpan):
 * the aliases it was read through become related locations and its message names them, and its quick fixes, which
 * would edit the anchored text every reader of the anchor reads, are offered greyed out (`data.throughAlias`).
 */
export class ConfigDiagnostics {
  readonly list: Diagnostic[] = [];
  constructor(private readonly lines: LineIndex, private readonly model?: ConfigModel, private readonly uri?: string) {}

  readonly report: ConfigReporter = (code, span, message, data, related) => {
    const model = this.model;
    if (model?.aliases && this.uri !== undefined) {
      const edits = (data?.fix as { edits?: { span: [number, number] }[] } | undefined)?.edits ?? [];
      // Further fixes (`more`) that would edit a value an alias gives are dropped; the first fix is said greyed out.
      if (data?.more && (isVirtual(model, span) || (data.more as { edits: { span: [number, number] }[] }[]).some((f) => f.edits.some((e) => isVirtual(model, e.span))))) {
        const { more: _more, ...rest } = data;
        data = rest;
      }
      if (isVirtual(model, span)) {
        ({ span, message, data, related } = throughAlias(model, this.uri, span, message, data, related));
      } else if (edits.some((e) => isVirtual(model, e.span))) {
        // A finding of this text whose fix would edit a value an alias gives (the anchor's text).
        const { fix, ...rest } = data!;
        data = { ...rest, fixRefused: { title: (fix as { title: string }).title, reason: 'Not offered: it would edit the value an alias gives here, which is the text of its anchor, read by every key that reads the anchor. Edit it by hand.' } };
      }
    }
    // A block collection's span ends after its last line break: the range stops at its last character.
    let end = Math.max(span[0], span[1]);
    const text = this.lines.text;
    while (end > span[0] && /\s/.test(text[end - 1] ?? '')) end--;
    this.list.push({
      range: this.lines.range(span[0], end),
      severity: SEVERITY[code],
      code,
      source: 'falco-lens',
      message,
      ...(data ? { data } : {}),
      ...(related?.length ? { relatedInformation: related } : {}),
    });
  };

  /** A finding whose severity differs from its code's default (a start failure reported through a schema code). */
  reportAs(severity: DiagnosticSeverity, code: ConfigCode, span: readonly [number, number], message: string, data?: Record<string, unknown>): void {
    this.report(code, span, message, data);
    this.list[this.list.length - 1].severity = severity;
  }
}

/** How a finding on a copy an alias gave is said where its text is (ConfigDiagnostics). */
function throughAlias(model: ConfigModel, uri: string, span: readonly [number, number], message: string, data: Record<string, unknown> | undefined, related: DiagnosticRelatedInformation[] | undefined) {
  const lines = model.lines;
  const line = (offset: number) => lines.positionAt(offset).line + 1;
  const placed = realSpan(model, span);
  const where = (u: ConfigAlias) => `*${u.anchor} (line ${line(u.at[0])})`;
  const and = (xs: string[]) => (xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
  const notes: string[] = [];
  const more: DiagnosticRelatedInformation[] = [];
  if (placed.whole) {
    const w = placed.whole;
    notes.push(`This is the value of the alias *${w.anchor}: the node of its anchor &${w.anchor} (line ${line(w.target[0])}), which yaml-cpp gives in its place.`);
    more.push({ location: { uri, range: lines.range(w.target[0], w.target[1]) }, message: `the node of &${w.anchor}, which *${w.anchor} gives` });
  }
  if (placed.uses.length > 0) {
    notes.push(`${placed.whole ? 'It is read' : 'Read'} through the alias${placed.uses.length > 1 ? 'es' : ''} ${and(placed.uses.map(where))}.`);
    for (const u of placed.uses) more.push({ location: { uri, range: lines.range(u.at[0], u.at[1]) }, message: `read here through *${u.anchor}` });
  }
  // A fix edits the node the innermost alias gives: the text of its anchor, which every reader of the anchor reads.
  const innermost = placed.whole ?? placed.uses[placed.uses.length - 1];
  const reason = `Not offered: the value is read through *${innermost.anchor}, and editing the text of &${innermost.anchor} changes every key that reads it. Edit it by hand, or write this value in place of the alias.`;
  const { fix, ...rest } = data ?? {};
  const title = (fix as { title?: string } | undefined)?.title;
  return {
    span: placed.span,
    message: `${message} ${notes.join(' ')}`,
    data: { ...rest, ...(title !== undefined ? { fixRefused: { title, reason } } : {}), throughAlias: { reason } satisfies ThroughAlias },
    related: [...(related ?? []), ...more],
  };
}
