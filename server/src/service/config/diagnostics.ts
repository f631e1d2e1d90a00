// Every diagnostic of the configuration service: a stable code (quick fixes key on it, never on the message) and its
// severity. Errors are what makes Falco refuse to start; warnings are what its schema validation reports or what it
// silently ignores; information is advice.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { LineIndex } from '../text';

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
};

export type ConfigReporter = (code: ConfigCode, span: readonly [number, number], message: string, data?: Record<string, unknown>, related?: DiagnosticRelatedInformation[]) => void;

/** Collects diagnostics; a later finding at the same span and code replaces none (both are kept). */
export class ConfigDiagnostics {
  readonly list: Diagnostic[] = [];
  constructor(private readonly lines: LineIndex) {}

  readonly report: ConfigReporter = (code, span, message, data, related) => {
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
