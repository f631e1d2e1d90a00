// Every diagnostic the rules service reports: a stable code (quick fixes key on it, never on message text), its
// default severity, and the Falco loader result code (LOAD_*) where Falco has one. The LOAD name is appended to the
// message as " (LOAD_…)" so users can match it with `falco -V` output.
import { DiagnosticSeverity } from 'vscode-languageserver-types';

export enum Code {
  YamlSyntax = 'yaml-syntax',
  NotASequence = 'not-a-sequence',
  ItemNotAMapping = 'item-not-a-mapping',
  UnknownItem = 'unknown-item',
  UnknownKey = 'unknown-key',
  InvalidValueType = 'invalid-value-type',
  InvalidPriority = 'invalid-priority',
  MissingRequiredKey = 'missing-required-key',
  EmptyValue = 'empty-value',
  InvalidEngineVersion = 'invalid-engine-version',
  InvalidPluginVersions = 'invalid-plugin-versions',
  InvalidName = 'invalid-name',
  ConditionSyntax = 'condition-syntax',
  OutputSyntax = 'output-syntax',
  UnknownField = 'unknown-field',
  UnknownFieldClass = 'unknown-field-class',
  FieldNotForSource = 'field-not-for-source',
  FieldArgument = 'field-argument',
  OperatorType = 'operator-type',
  UndefinedMacro = 'undefined-macro',
  MacroReferenceLoop = 'macro-reference-loop',
  UnknownList = 'unknown-list',
  UnsafeNaCheck = 'unsafe-na-check',
  NoEventType = 'no-evttype',
  EvtTypeNotIndexable = 'evttype-not-indexable',
  UnknownEventType = 'unknown-evttype',
  DeprecatedField = 'deprecated-field',
  DeprecatedContainerInfo = 'deprecated-container-info',
  ExceptionInvalid = 'exception-invalid',
  ExceptionsLastOrBranch = 'exceptions-last-or-branch',
  ExceptionArity = 'exception-arity',
  ExceptionComps = 'exception-comps',
  ExceptionNameNotUnique = 'exception-name-not-unique',
  DeprecatedAppend = 'deprecated-append',
  AppendWithOverride = 'append-with-override',
  InvalidOverride = 'invalid-override',
  CannotAppend = 'cannot-append',
  CannotReplace = 'cannot-replace',
  OverrideWithoutKey = 'override-without-key',
  MissingOverrideEntry = 'missing-override-entry',
  NoPreviousDefinition = 'no-previous-definition',
  Redefinition = 'redefinition',
  LoadedAgain = 'rules-file-loaded-again',
  DeprecatedEnabled = 'deprecated-enabled',
  SourceMismatch = 'source-mismatch',
  UnusedMacro = 'unused-macro',
  UnusedList = 'unused-list',
  UnknownSource = 'unknown-source',
  MissingPluginRequirement = 'missing-plugin-requirement',
  RegexSimplerOperator = 'regex-simpler-operator',
  FieldAsValue = 'field-as-value',
  TransformerAsValue = 'transformer-as-value',
  InvalidValue = 'invalid-value',
  PortWraps = 'port-wraps',
  ResultNeverMatches = 'result-never-matches',
  AppendNoValues = 'append-no-values',
  AliasNotChecked = 'alias-not-checked',
  DuplicateKey = 'duplicate-key',
  ListNameAsValue = 'list-name-as-value',
  ListNameInString = 'list-name-in-string',
  ListNameExpanded = 'list-name-expanded',
  AppendKeyIgnored = 'append-key-ignored',
}

export interface CodeInfo { severity: DiagnosticSeverity; load?: string }

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;
const I = DiagnosticSeverity.Information;

export const CODE_INFO: Record<Code, CodeInfo> = {
  [Code.YamlSyntax]: { severity: E, load: 'LOAD_ERR_YAML_PARSE' },
  [Code.NotASequence]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.ItemNotAMapping]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.UnknownItem]: { severity: W, load: 'LOAD_UNKNOWN_ITEM' },
  [Code.UnknownKey]: { severity: W, load: 'LOAD_UNKNOWN_KEY' },
  [Code.InvalidValueType]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.InvalidPriority]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  [Code.MissingRequiredKey]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.EmptyValue]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.InvalidEngineVersion]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  [Code.InvalidPluginVersions]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.InvalidName]: { severity: W },
  [Code.ConditionSyntax]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  [Code.OutputSyntax]: { severity: E, load: 'LOAD_ERR_COMPILE_OUTPUT' },
  [Code.UnknownField]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  [Code.UnknownFieldClass]: { severity: I },
  [Code.FieldNotForSource]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  [Code.FieldArgument]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  [Code.OperatorType]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  // "Undefined macro ... used in filter." is thrown by resolve_macros (rule_loader_compiler.cpp, 0.44.0) with THROW,
  // whose code is LOAD_ERR_VALIDATE (not a compile error of the condition).
  [Code.UndefinedMacro]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  // filter_macro_resolver's "reference loop in macro", thrown by resolve_macros (rule_loader_compiler.cpp) with THROW,
  // whose code is LOAD_ERR_VALIDATE.
  [Code.MacroReferenceLoop]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  [Code.UnknownList]: { severity: W },
  [Code.UnsafeNaCheck]: { severity: W, load: 'LOAD_UNSAFE_NA_CHECK' },
  [Code.NoEventType]: { severity: W, load: 'LOAD_NO_EVTTYPE' },
  // evt.type in a transformer or compared with a field: Falco's event-code search throws past the loader and Falco
  // exits with a runtime error, so there is no LOAD code.
  [Code.EvtTypeNotIndexable]: { severity: E },
  // Falco rejects the rule, unless a loaded plugin defines an async event of that name: a warning, as plugins vary.
  [Code.UnknownEventType]: { severity: W, load: 'LOAD_ERR_COMPILE_CONDITION' },
  [Code.DeprecatedField]: { severity: W, load: 'LOAD_DEPRECATED_ITEM' },
  [Code.DeprecatedContainerInfo]: { severity: W, load: 'LOAD_DEPRECATED_ITEM' },
  [Code.ExceptionInvalid]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.ExceptionsLastOrBranch]: { severity: W },
  [Code.ExceptionArity]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  [Code.ExceptionComps]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  [Code.ExceptionNameNotUnique]: { severity: W, load: 'LOAD_EXCEPTION_NAME_NOT_UNIQUE' },
  [Code.DeprecatedAppend]: { severity: W, load: 'LOAD_DEPRECATED_ITEM' },
  [Code.AppendWithOverride]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.InvalidOverride]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.CannotAppend]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.CannotReplace]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.OverrideWithoutKey]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.MissingOverrideEntry]: { severity: E, load: 'LOAD_ERR_YAML_VALIDATE' },
  [Code.NoPreviousDefinition]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  [Code.Redefinition]: { severity: I },
  [Code.LoadedAgain]: { severity: I },
  [Code.DeprecatedEnabled]: { severity: W, load: 'LOAD_DEPRECATED_ITEM' },
  [Code.SourceMismatch]: { severity: E, load: 'LOAD_ERR_VALIDATE' },
  [Code.UnusedMacro]: { severity: I, load: 'LOAD_UNUSED_MACRO' },
  [Code.UnusedList]: { severity: I, load: 'LOAD_UNUSED_LIST' },
  [Code.UnknownSource]: { severity: I, load: 'LOAD_UNKNOWN_SOURCE' },
  [Code.MissingPluginRequirement]: { severity: I },
  // Warnings of libsinsp's filter compiler on constant values (compileWarnings.ts).
  [Code.RegexSimplerOperator]: { severity: W, load: 'LOAD_COMPILE_CONDITION' },
  [Code.FieldAsValue]: { severity: W, load: 'LOAD_COMPILE_CONDITION' },
  [Code.TransformerAsValue]: { severity: W, load: 'LOAD_COMPILE_CONDITION' },
  // A constant that libsinsp cannot parse as the field's type (a number, a boolean, an IPv4 address or network, hex).
  [Code.InvalidValue]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  // A port number over 65535 that libsinsp accepts and cuts to 16 bits (constantValues.ts wrappedPort); Falco says nothing.
  [Code.PortWraps]: { severity: W },
  // evt.res compared with a value it never gives (a number, a lowercase word): Falco accepts it and says nothing, and
  // the comparison never holds (constantValues.ts neverAResult).
  [Code.ResultNeverMatches]: { severity: W },
  [Code.AppendNoValues]: { severity: W, load: 'LOAD_APPEND_NO_VALUES' },
  // A condition or exceptions written as a YAML alias: Falco reads the anchored node (yaml-cpp), Falco Lens does not check it.
  [Code.AliasNotChecked]: { severity: I },
  // A key written twice in one mapping: yaml-cpp keeps both, Falco reads the first and says nothing.
  [Code.DuplicateKey]: { severity: W },
  // A list's name as a comparison's bare value: Falco pastes the items there and the parser refuses the ',' between
  // them (a one-item list compiles: reported as a warning without a LOAD code).
  [Code.ListNameAsValue]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  // A list's name between blanks inside a quoted string: Falco replaces it there too and compares another string.
  [Code.ListNameInString]: { severity: W },
  // A list's name where the condition has a macro reference, a keyword, a field or an operator: Falco replaces it
  // there too; an error where the text Falco parses then does not compile, else a warning without a LOAD code.
  [Code.ListNameExpanded]: { severity: E, load: 'LOAD_ERR_COMPILE_CONDITION' },
  // An output, desc, priority or tags in a rule with `append: true`: Falco's reader does not read them, silently.
  [Code.AppendKeyIgnored]: { severity: W },
};
