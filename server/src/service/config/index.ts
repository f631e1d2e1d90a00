// The Falco configuration language service (falco.yaml and the files of its config_files): Falco's schema
// validation, the values that stop Falco from starting or that it reads silently as something else, rule selections
// checked against the loaded rules; hovers that explain every key; completion of keys and values; quick fixes.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind, CompletionItemKind, MarkupKind, SymbolKind,
  type CodeAction, type CodeActionContext, type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol,
  type Hover, type Location, type Position, type Range,
} from 'vscode-languageserver-types';
import { isMap, isPair, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { FALCO_CONFIG_SCHEMA, type ConfigNode } from '../../knowledge/falcoConfigSchema';
import { configKeyDoc } from '../../knowledge/falcoConfigDocs';
import { LATEST_FALCO, compareVersions } from '../../knowledge/falcoVersions';
import type { Cancellation, DocumentFeatures, RuleSummary, RulesWorkspace } from '../features';
import type { ServiceHost } from '../host';
import { codeSpan, escapeMarkdown, knowledgeText, plainTitle } from '../markdown';
import { PRIORITY_MEANINGS, PRIORITY_NAMES, parsePriority } from '../alerts/priority';
import { URI_TO_PATH, pathToUri } from '../uri';
import { lineEnding } from '../text';
import { yamlQuote } from '../yamlText';
import { ConfigCode, ConfigDiagnostics, type ThroughAlias } from './diagnostics';
import { checkLoad, engineKinds, FALCO_PLUGINS_DIR, HTTP_RETRIES_SINCE, httpRetriesReading, libraryPathReading, type ConfigFix } from './loadChecks';
import { mergeConfiguration, type MergedConfig } from './merge';
import { CONFIG_KEYS_NEVER_READ, readOutsideSchema } from '../../knowledge/falcoConfigLegacy';
import { locate, typingContext } from './locate';
import { envReading, isVirtual, parseConfig, realSpan, scalarText, usesEnvironment, type ConfigAlias, type ConfigModel, type EnvLookup } from './model';
import { expandRulesPaths, matchesWildcard, mergedRulesPaths } from './rulesFiles';
import { checkSchema, keySince, keysOf, pathText, resolveAlternative, schemaAt, type ConfigPath } from './schemaCheck';
import { configKeyDocRef } from '../completionDocs';
import { aliasMarkdown, anchorSpan } from '../rules/hover';
import { table } from '../../knowledge/table';

export type ConfigService = DocumentFeatures;

export interface ConfigServiceOptions {
  /**
   * The documents are laid over a configuration Falco Lens does not have (the `falco:` values of Falco's Helm chart,
   * merged by Helm into the chart's defaults): what they lack is not judged. Their rule selections read every rule
   * of `rules` (the chart's customRules included).
   */
  overlay?: boolean;
  /**
   * The documents are files of a pod (a ConfigMap's entries, embedded/configMap.ts): each document's path there, and
   * `host` reads the pod's files Falco Lens knows. Other paths (config_files, rules_files) are the pod's: they are
   * neither looked for on this machine nor said to be missing. `describe` names a file of the pod in messages (a
   * Falco Operator Config's by its resource and manifest).
   */
  pod?: { pathOf(uri: string): string | undefined; describe?(path: string): string | undefined };
  /** The environment Falco runs with, where a manifest gives it (embedded/containerEnv.ts): a `${VAR}` whose literal
   *  value it knows reads as that value in the hover. */
  environment?(uri: string): EnvLookup | undefined;
}

export function createConfigService(host: ServiceHost, rules: RulesWorkspace, options: ConfigServiceOptions = {}): ConfigService {
  let cached: { uri: string; version: number; text: string; model: ConfigModel } | undefined;
  const modelOf = (doc: TextDocument): ConfigModel => {
    const text = doc.getText();
    if (cached && cached.uri === doc.uri && cached.text === text) return cached.model;
    const model = parseConfig(text);
    cached = { uri: doc.uri, version: doc.version, text, model };
    return model;
  };
  // The other files of a merged configuration (read from disk at each check), parsed once per text.
  const parsedFiles = new Map<string, ConfigModel>();
  const parseFile = (text: string): ConfigModel => {
    let model = parsedFiles.get(text);
    if (!model) {
      if (parsedFiles.size >= 32) parsedFiles.delete(parsedFiles.keys().next().value!);
      model = parseConfig(text);
      parsedFiles.set(text, model);
    }
    return model;
  };

  const mergedOf = (doc: TextDocument, model: ConfigModel): MergedConfig => mergeConfiguration({
    host, target: host.settings().falcoVersion, path: options.pod ? options.pod.pathOf(doc.uri) : URI_TO_PATH(doc.uri),
    model, parse: parseFile, asOverlay: options.overlay, inPod: !!options.pod, describe: options.pod?.describe,
  });
  // The rules a configuration file of the disk loads, as Falco reads its rules_files (merged with its config_files,
  // at the target release) and as the rules workspace resolves those paths (expandRulesPaths: a folder's
  // *.yaml/*.yml files, a file named alone): the rules whose definition is in one of those files. Not the workspace's
  // other rules files, nor the rules of Helm values or manifests (customRules, ConfigMaps, Rulesfiles: files of a
  // pod, never of this configuration's paths). The chart's falco: values and a ConfigMap's files are the pod's
  // configuration, whose rules are all of `rules` (the chart's customRules included).
  // When none of its paths is on this machine (a falco.yaml kept in a repository, naming /etc/falco/...), Falco Lens
  // does not know what they hold where Falco runs: no selection is judged, and hovers and completion offer the rules of
  // the workspace's rules files instead (standIn), which the rules workspace loads in their place, saying so.
  let loadedCache: { all: RuleSummary[]; uris: string; loaded: LoadedRules } | undefined;
  const loadedRules = (merged: MergedConfig): LoadedRules => {
    const all = rules.allRules();
    if (options.overlay || options.pod) return { rules: all, standIn: false };
    const paths = expandRulesPaths(host, mergedRulesPaths(merged), merged.target);
    const uris = new Set(paths.map(pathToUri));
    const key = [...uris].join('\n');
    if (loadedCache?.all !== all || loadedCache.uris !== key) {
      // A rule defined first elsewhere and defined again in a named file is that file's rule.
      const named = (r: RuleSummary) => (r.location !== undefined && uris.has(r.location.uri)) || (r.redefinitions ?? []).some((d) => !d.block && uris.has(d.uri));
      // A rule with a tuning target is defined in an embedded block (a values file's customRules, a manifest).
      const here = paths.some((p) => host.readFile(p) !== undefined);
      const loaded = here ? { rules: all.filter(named), standIn: false } : { rules: all.filter((r) => r.tuningTarget === undefined), standIn: true };
      loadedCache = { all, uris: key, loaded };
    }
    return loadedCache.loaded;
  };

  return {
    diagnostics(doc: TextDocument, _token?: Cancellation): Diagnostic[] {
      const model = modelOf(doc);
      const out = new ConfigDiagnostics(model.lines, model, doc.uri);
      for (const error of model.doc.errors) {
        out.report(ConfigCode.YamlSyntax, [error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)], `YAML: ${error.message.split('\n')[0]} Falco cannot read this file and refuses to start.`);
      }
      if (model.doc.errors.length > 0) return out.list;
      const contents = model.doc.contents as Node | null;
      if (contents !== null && !isMap(contents) && !(isScalar(contents) && scalarText(contents) === '')) {
        out.report(ConfigCode.NotAMapping, [0, Math.min(model.text.length, model.lines.lineEnd(0))], 'A Falco configuration is a mapping of keys (`key: value` lines).');
        return out.list;
      }
      const target = host.settings().falcoVersion;
      const path = options.pod ? options.pod.pathOf(doc.uri) : URI_TO_PATH(doc.uri);
      const merged = mergedOf(doc, model);
      if (!model.root) {
        emptyConfiguration(model, merged.whole && merged.main === merged.edited && !options.overlay, out);
        return out.list;
      }
      checkSchema(contents, FALCO_CONFIG_SCHEMA, { target, report: out.report, text: model.text });
      // The paths of an overlay or a pod's file are those of the machine Falco will run on, not of this one: not
      // looked for.
      const elsewhere = !!options.overlay || !!options.pod;
      checkLoad(merged, {
        target, report: out.report, rules: judgedRules(loadedRules(merged)), path, environment: options.environment?.(doc.uri),
        // A path there that Falco Lens cannot read (no permission, a FIFO) exists all the same: Falco, as root, reads it.
        exists: (p) => elsewhere || host.isDirectory(p) || host.readFile(p) !== undefined || host.realPath?.(p) !== undefined,
        isDirectory: (p) => elsewhere || host.isDirectory(p),
        ...(elsewhere ? {} : { unreadable: (p: string) => !host.isDirectory(p) && host.realPath?.(p) !== undefined && (host.canRead ? !host.canRead(p) : host.readFile(p) === undefined) }),
        // A pod's rules paths are not this machine's: a path named again, as the pod resolves it, is the same files.
        ...(options.pod ? { rulesFilesOf: (p: string) => (p.startsWith('/') && !p.split('/').includes('..') ? [{ path: podRulesPath(p), real: podRulesPath(p) }] : []) } : {}),
        ...(elsewhere ? {} : {
          rulesFilesOf: (p: string) => expandRulesPaths(host, [p], target).filter((f) => (host.fileSize?.(f) ?? host.readFile(f)) !== undefined)
            .map((f) => ({ path: f, real: host.realPath?.(f) ?? f })),
          uriOf: (p: string) => pathToUri(p),
        }),
      });
      return out.list;
    },

    hover(doc: TextDocument, position: Position): Hover | null {
      const model = modelOf(doc);
      const offset = model.lines.offsetAt(position);
      // A YAML alias: the node it gives (model.ts readAliases), whose keys and values have hovers at the anchor.
      const alias = model.aliases?.find((u) => u.at[0] <= offset && offset <= u.at[1]);
      if (alias) {
        const value = aliasMarkdown(model.text, (o) => model.lines.positionAt(o).line, doc.uri, alias);
        return { contents: { kind: MarkupKind.Markdown, value }, range: model.lines.range(alias.at[0], alias.at[1]) };
      }
      const at = locate(model.doc.contents as Node | null, offset);
      if (!at || !at.scalar || !at.scalar.range) return null;
      const range = model.lines.range(at.scalar.range[0], at.scalar.range[1]);
      const target = host.settings().falcoVersion;
      let text: string | undefined;
      if (at.onKey) text = keyHover(at.path, target);
      else if (usesEnvironment(at.scalar)) text = [environmentHover(scalarText(at.scalar), options.environment?.(doc.uri)), keyHover(at.path, target)].filter(Boolean).join('\n\n');
      else text = valueHover(at.path, scalarText(at.scalar), () => loadedRules(mergedOf(doc, model)), target);
      // A config_files path of a pod's file: which file of the pod Falco Lens takes it for, and how it knows.
      if (options.pod && !at.onKey && /^config_files\[\](\.path)?$/.test(pathText(at.path))) {
        const file = options.pod.describe?.(scalarText(at.scalar));
        const said = file !== undefined ? `In the pod: ${escapeMarkdown(file)}.` : 'In the pod: no file Falco Lens has (Falco reads the pod\'s file or folder at this path, and skips it where it does not exist).';
        text = [said, text].filter(Boolean).join('\n\n');
      }
      return text ? { contents: { kind: MarkupKind.Markdown, value: text }, range } : null;
    },

    definition(doc: TextDocument, position: Position): Location[] {
      const model = modelOf(doc);
      const offset = model.lines.offsetAt(position);
      const alias = model.aliases?.find((u) => u.at[0] <= offset && offset <= u.at[1]);
      if (!alias) return [];
      const [start, end] = anchorSpan(model.text, alias);
      return [{ uri: doc.uri, range: model.lines.range(start, end) }];
    },

    completion(doc: TextDocument, position: Position): CompletionList | null {
      const model = modelOf(doc);
      const ctx = typingContext(model.text, model.lines.lineStarts, position.line, position.character);
      if (!ctx) return null;
      const range = model.lines.range(ctx.word[0], ctx.word[1]);
      const target = host.settings().falcoVersion;
      if (ctx.at === 'key') {
        const parent = schemaAt(FALCO_CONFIG_SCHEMA, ctx.parent);
        if (!parent) return null;
        const items: CompletionItem[] = [];
        for (const [key, node] of keysOf(parent)) {
          if (ctx.siblings.has(key) || (ctx.parent.length === 0 && key in CONFIG_KEYS_NEVER_READ)) continue;
          if (node.removedIn && compareVersions(target, node.removedIn) >= 0) continue;
          const path = [...ctx.parent, key];
          const since = keySince(path, node);
          const tooNew = since !== undefined && compareVersions(target, since) < 0;
          items.push({
            label: key,
            kind: CompletionItemKind.Property,
            detail: tooNew ? `Falco ≥ ${since}` : typeWords(node),
            data: configKeyDocRef(path, target),
            textEdit: { range, newText: key },
            filterText: key,
            sortText: `${tooNew ? '1' : '0'}${key}`,
          });
        }
        return { isIncomplete: false, items };
      }
      return { isIncomplete: false, items: valueCompletions([...ctx.parent, ctx.key], range, () => loadedRules(mergedOf(doc, model)), target) };
    },

    codeActions(doc: TextDocument, _range: Range, context: CodeActionContext): CodeAction[] {
      const actions: CodeAction[] = [];
      const model = modelOf(doc);
      for (const d of context.diagnostics) {
        const start = actions.length;
        const data = (d.data ?? {}) as { suggestions?: string[]; replacement?: string };
        if ((d.code === ConfigCode.UnknownKey || d.code === ConfigCode.NotInEnum || d.code === ConfigCode.StartFails || d.code === ConfigCode.SelectsNothing || d.code === ConfigCode.WrongType) && data.suggestions) {
          for (const s of data.suggestions.slice(0, 3)) actions.push(replaceAction(doc, d, s, `Change to '${s}'`));
        }
        if ((d.code === ConfigCode.DeprecatedKey || d.code === ConfigCode.KeyTooNew) && data.replacement) actions.push(replaceAction(doc, d, data.replacement, `Rename to '${data.replacement}'`));
        if (d.code === ConfigCode.WrongType && data.replacement) actions.push(replaceAction(doc, d, data.replacement, `Write ${data.replacement}`));
        const { fix, fixRefused, more } = (d.data ?? {}) as { fix?: ConfigFix; fixRefused?: { title: string; reason: string }; more?: ConfigFix[] };
        if (fix) actions.push(fixAction(doc, d, fix));
        else if (fixRefused) actions.push({ title: plainTitle(fixRefused.title), kind: CodeActionKind.QuickFix, diagnostics: [d], disabled: { reason: fixRefused.reason } });
        for (const other of more ?? []) actions.push(fixAction(doc, d, other, false));
        aliasedEdits(doc, model, actions, start, (d.data as { throughAlias?: ThroughAlias } | undefined)?.throughAlias);
      }
      // Two findings on one value (the schema's enumeration and the start check) suggest the same edit: offered once.
      const seen = new Set<string>();
      return actions.filter((a) => {
        const key = JSON.stringify([a.title, a.edit]);
        return !seen.has(key) && seen.add(key);
      });
    },

    documentSymbols(doc: TextDocument): DocumentSymbol[] {
      const model = modelOf(doc);
      return model.root ? symbolsOf(model.root, model, 0) : [];
    },
  };
}

/**
 * A configuration without a key: empty, only comments, or only an empty document. yaml-cpp loads it as a null node
 * without a word (parse.cpp Load: no document gives Node()), a config_files file merges nothing (its loop over the
 * node's pairs has none), and a main file is read with every key's default: no rules file, so Falco stops at
 * load_rules_files.cpp (0.37.0-0.44.1, line 34 at 0.44.0) unless rules files are given with -r, and no output, so it
 * stops at init_outputs.cpp:31 anyway (every output's enabled defaults to false, configuration.cpp:332-379 at 0.44.0).
 * The fix writes falco.yaml's own default rules file and stdout output.
 */
function emptyConfiguration(model: ConfigModel, whole: boolean, out: ConfigDiagnostics): void {
  if (!whole) return;
  const firstLineEnd = Math.min(model.text.length, model.lines.lineEnd(0));
  const text = model.text;
  const eol = lineEnding(text);
  const insert = `${text === '' || /[\r\n]$/.test(text) ? '' : eol}rules_files:${eol}  - /etc/falco/falco_rules.yaml${eol}stdout_output:${eol}  enabled: true${eol}`;
  out.report(ConfigCode.StartFails, [0, firstLineEnd],
    'This configuration has no key (it is empty or holds only comments): Falco reads every key\'s default and refuses to start. No rules file is configured ("You must specify at least one rules file/directory via -r or a rules_file entry in falco.yaml", unless rules files are given with -r), and no output is enabled ("No output configured, please make sure at least one output is configured and enabled").',
    { fix: { title: 'Add rules_files and stdout_output', edits: [{ span: [text.length, text.length], newText: insert }] } satisfies ConfigFix });
}

/** A pod's absolute path without `//`, `/./` or a trailing `/` (no `..`): two paths naming the same place. */
function podRulesPath(path: string): string {
  return `/${path.split('/').filter((part) => part !== '' && part !== '.').join('/')}`;
}

/**
 * The quick fixes of a finding (actions[from..]) whose edits would write text that aliases read (model.ts
 * readAliases): greyed out for a finding read through an alias (`through`: the anchor's text serves other keys),
 * else named in the title with the aliases that read the edited text (an edit of anchored text changes what they
 * read too), so that none writes through an alias silently.
 */
function aliasedEdits(doc: TextDocument, model: ConfigModel, actions: CodeAction[], from: number, through: ThroughAlias | undefined): void {
  for (let i = from; i < actions.length; i++) {
    const action = actions[i];
    const edits = action.edit?.changes?.[doc.uri];
    if (!edits) continue;
    if (through) {
      actions[i] = { title: action.title, kind: action.kind, diagnostics: action.diagnostics, disabled: { reason: through.reason } };
      continue;
    }
    if (!model.aliases) continue;
    const readers = aliasReaders(model, edits.map((e) => [doc.offsetAt(e.range.start), doc.offsetAt(e.range.end)] as [number, number]));
    if (readers.length === 0) continue;
    const names = readers.map((u) => `*${u.anchor} (line ${model.lines.positionAt(u.at[0]).line + 1})`);
    action.title = plainTitle(`${action.title} (also changes what ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`} reads)`);
  }
}

/** The aliases that read text some span edits: those whose anchored node it touches, and those reading such an alias. */
function aliasReaders(model: ConfigModel, spans: [number, number][]): ConfigAlias[] {
  const touches = (target: [number, number], [s, e]: [number, number]) => (s === e ? target[0] < s && s < target[1] : s < target[1] && e > target[0]);
  const found = new Set<ConfigAlias>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of model.aliases ?? []) {
      if (found.has(u)) continue;
      if (spans.some((s) => touches(u.target, s)) || [...found].some((r) => u.target[0] <= r.at[0] && r.at[1] <= u.target[1])) { found.add(u); grew = true; }
    }
  }
  return (model.aliases ?? []).filter((u) => found.has(u));
}

function replaceAction(doc: TextDocument, d: Diagnostic, text: string, title: string): CodeAction {
  // Keys and enum words are plain identifiers; anything else is quoted so the YAML stays valid.
  const newText = /^[A-Za-z0-9_][\w.\-/ ]*$/.test(text) && !/\s$/.test(text) ? text : yamlQuote(text);
  return {
    title: plainTitle(title),
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    edit: { changes: { [doc.uri]: [{ range: d.range, newText }] } },
  };
}

function fixAction(doc: TextDocument, d: Diagnostic, fix: ConfigFix, preferred = true): CodeAction {
  return {
    title: plainTitle(fix.title),
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    ...(preferred ? { isPreferred: true } : {}),
    edit: { changes: { [doc.uri]: fix.edits.map((e) => ({ range: { start: doc.positionAt(e.span[0]), end: doc.positionAt(e.span[1]) }, newText: e.newText })) } },
  };
}

/**
 * A value Falco expands from its environment (model.ts envReading): what it reads depends on the environment of
 * Falco's process, which Falco Lens does not know, so the value is not checked; where a manifest gives Falco's
 * container a literal value (`env`), the value it reads with it, and why the others are not known.
 */
function environmentHover(raw: string, env?: EnvLookup): string {
  if (env) {
    const read = envReading(raw, env);
    const known = [...new Map((read.known ?? []).map((k) => [k.name, k])).values()];
    const from = known.map((k) => `${codeSpan(`\${${k.name}}`)} is ${codeSpan(k.value)} (${escapeMarkdown(k.where)})`);
    if (read.endless) return `${codeSpan(`\${${read.vars[0]}}`)}'s value holds ${codeSpan(`\${${read.vars[0]}}`)} again: Falco, which reads a replaced value again, never finishes reading this file.`;
    if (read.text !== undefined) return `${from.join('; ')}: Falco reads ${codeSpan(read.text)} here (it replaces ${codeSpan('${NAME}')} when it reads this file, at start and at each reload).`;
    const unknown = [...new Map((read.unknown ?? []).map((u) => [u.name, u])).values()];
    const why = unknown.map((u) => `${codeSpan(`\${${u.name}}`)} is not known: ${escapeMarkdown(u.why)}`);
    return [...from, ...why].join('; ') + '. Falco Lens does not check this value.';
  }
  const vars = [...new Set(envReading(raw).vars)];
  const names = vars.map((v) => codeSpan(`\${${v}}`)).join(', ');
  return `${names} ${vars.length === 1 ? 'is' : 'are'} replaced when Falco reads this file, at start and at each reload: by the value of the environment variable${vars.length === 1 ? '' : 's'} ${vars.map((v) => codeSpan(v)).join(', ')} of Falco's process, or by nothing when ${vars.length === 1 ? 'it is' : 'one is'} unset. Falco Lens does not know that environment, so it does not check this value. Write ${codeSpan('$${')} where a literal ${codeSpan('${')} is meant.`;
}

function symbolsOf(map: YAMLMap, model: ConfigModel, depth: number): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    const value = item.value as Node | null;
    // A value an alias gives (a copy, model.ts readAliases) ends at the alias; its keys are the anchor's symbols.
    const [start, end] = realSpan(model, [item.key.range[0], value?.range ? value.range[1] : item.key.range[1]]).span;
    const copied = !!value?.range && isVirtual(model, value.range as unknown as [number, number]);
    const children = depth < 2 && isMap(value) && !copied ? symbolsOf(value, model, depth + 1) : undefined;
    out.push({
      name: String(item.key.value),
      kind: isMap(value) ? SymbolKind.Namespace : isSeq(value) ? SymbolKind.Array : SymbolKind.Property,
      range: model.lines.range(start, end),
      selectionRange: model.lines.range(item.key.range[0], item.key.range[1]),
      ...(children ? { children } : {}),
    });
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = table({ object: 'mapping', array: 'list', string: 'string', boolean: 'boolean', integer: 'integer', number: 'number', null: 'empty' });

function typeWords(node: ConfigNode): string {
  const types = new Set(node.types);
  for (const alt of node.oneOf ?? []) for (const t of alt.types) types.add(t);
  const words = [...types].map((t) => TYPE_NAMES[t] ?? t);
  return words.length ? words.join(' or ') : 'any';
}

/** The hover of a configuration key (also the documentation of its completion item, completionDocs.ts). */
export function keyHover(path: ConfigPath, target: string): string | undefined {
  const node = schemaAt(FALCO_CONFIG_SCHEMA, path);
  const doc = configKeyDoc(pathText(path));
  if (!node && !doc) return undefined;
  const parts = [`**${escapeMarkdown(pathText(path))}** (Falco configuration)`];
  // Our own text, written with code spans (`engine.kind`): shown as Markdown, not escaped into literal backticks.
  if (doc?.text) parts.push(knowledgeText(doc.text));
  const facts: string[] = [];
  if (node) {
    facts.push(`Type: ${typeWords(node)}`);
    const chosen = resolveAlternative(null, node);
    const values = node.enum ?? chosen.enum;
    if (values && values.length) facts.push(`One of ${values.map((v) => codeSpan(String(v))).join(', ')}`);
    if (node.minimum !== undefined) facts.push(`At least ${node.minimum}`);
    if (node.maximum !== undefined) facts.push(`At most ${node.maximum}`);
    const since = keySince(path, node);
    if (since) facts.push(`Falco ≥ ${escapeMarkdown(since)}${compareVersions(target, since) < 0 ? ` (the target, Falco ${escapeMarkdown(target)}, does not read it)` : ''}`);
    if (node.removedIn) facts.push(`Removed in Falco ${escapeMarkdown(node.removedIn)}`);
  } else {
    const outside = readOutsideSchema(pathText(path));
    facts.push(outside
      ? `Read by Falco up to ${escapeMarkdown(outside.lastRead)}${compareVersions(target, outside.lastRead) > 0 ? ` (the target, Falco ${escapeMarkdown(target)}, does not read it)` : ''}, though its configuration schema does not list it (the schema validation of Falco ≥ 0.39 fails on it)`
      : 'Not in Falco\'s configuration schema');
  }
  // The default is Falco 0.44's falco.yaml (falcoConfigDocs.ts): an older target is told whose it is.
  if (doc?.defaultValue !== undefined) facts.push(`Default in ${target === LATEST_FALCO ? '' : `Falco ${LATEST_FALCO}'s `}falco.yaml: ${codeSpan(doc.defaultValue)}`);
  parts.push(facts.join(' · '));
  return parts.join('\n\n');
}

/** `loaded`: the rules this configuration loads (read only for the keys that count them). */
/** The rules a configuration loads; standIn: its paths are not on this machine and these are the workspace's. */
interface LoadedRules { rules: RuleSummary[]; standIn: boolean }

/** The rules selections are judged against: none when they are only the workspace's stand-ins. */
function judgedRules(loaded: LoadedRules): RuleSummary[] {
  return loaded.standIn ? [] : loaded.rules;
}

/** How a hover names the rules it counts. */
function countedRules(loaded: LoadedRules): string {
  return loaded.standIn ? 'rules of the workspace\'s rules files (the paths of rules_files are not on this machine)' : 'loaded rules';
}

function valueHover(path: ConfigPath, value: string, loadedOf: () => LoadedRules, target: string): string | undefined {
  const key = pathText(path);
  if (key === 'priority') {
    const p = parsePriority(value);
    if (p === undefined) return undefined;
    const loaded = loadedOf();
    const all = loaded.rules;
    const kept = all.filter((r) => (parsePriority(r.priority ?? '') ?? 7) <= p).length;
    const counted = all.length ? ` Of the ${all.length} ${countedRules(loaded)}, ${kept} are at ${PRIORITY_NAMES[p]} or more severe and load; ${all.length - kept} are dropped.` : '';
    return `**priority** ${codeSpan(value)}: Falco loads only rules of priority ${PRIORITY_NAMES[p]} (${escapeMarkdown(PRIORITY_MEANINGS[p])}) or more severe.${escapeMarkdown(counted)}`;
  }
  const selection = /^rules\[\]\.(enable|disable)\.(rule|tag)$/.exec(key);
  if (selection) {
    const [, op, kind] = selection;
    const loaded = loadedOf();
    const all = loaded.rules;
    const matched = kind === 'rule' ? all.filter((r) => matchesWildcard(value, r.name)) : all.filter((r) => r.tags.includes(value));
    if (all.length === 0) return `${op === 'enable' ? 'Enables' : 'Disables'} the rules ${kind === 'rule' ? `named ${codeSpan(value)}` : `tagged ${codeSpan(value)}`}. No rules are loaded, so Falco Lens cannot say which.`;
    const names = matched.slice(0, 10).map((r) => `- ${codeSpan(r.name)}${r.priority ? ` (${escapeMarkdown(r.priority)})` : ''}`).join('\n');
    const more = matched.length > 10 ? `\n- … and ${matched.length - 10} more` : '';
    return `${op === 'enable' ? 'Enables' : 'Disables'} ${matched.length} of the ${all.length} ${countedRules(loaded)}${kind === 'rule' ? (value.includes('*') ? ' (the pattern\'s `*` matches any text)' : '') : ''}:\n\n${names}${more}`;
  }
  if (key === 'plugins[].library_path') {
    // Where Falco looks for the library, as the load check reads it (loadChecks.ts libraryPathReading).
    const reading = libraryPathReading(value, target);
    if (reading) {
      const at = `Falco ${escapeMarkdown(target)}`;
      const folder = codeSpan(FALCO_PLUGINS_DIR);
      const said = reading.refused
        ? `${at} refuses to start: the path resolves to ${codeSpan(reading.loads)}, outside its plugins folder ${folder}.`
        : reading.outside
          ? `${at} loads ${codeSpan(reading.loads)}, outside its plugins folder ${folder} (Falco 0.44 refuses that).`
          : `${at} loads ${codeSpan(reading.loads)}: a relative library\\_path is read in its plugins folder ${folder}, not from its working directory.`;
      return [said, keyHover(path, target)].filter(Boolean).join('\n\n');
    }
  }
  if (key === 'http_output.max_consecutive_timeouts' && compareVersions(target, HTTP_RETRIES_SINCE) >= 0) {
    // What Falco does with this number (loadChecks.ts httpRetriesReading): a post retried while it times out.
    const reading = httpRetriesReading(value);
    if (reading) {
      const at = `Falco ${escapeMarkdown(target)}`;
      const lead = reading.converted ? `${at} reads ${codeSpan(value)} as ${reading.value}` : `${at} cannot read ${codeSpan(value)} as one byte (0–255) and uses ${reading.value}, without a word`;
      const does = reading.endless
        ? 'which sets no limit: the count of posts, one byte, is always at most 255, so a post that keeps timing out is retried without end, and every other output waits behind it.'
        : reading.value === 0n
          ? 'so an alert whose post times out is not posted again: Falco logs "libcurl failed to perform call" and goes on.'
          : `so an alert whose post times out is posted again up to ${reading.value} time${reading.value === 1n ? '' : 's'} (${reading.value + 1n} posts in all), then Falco logs "libcurl failed to perform call" and goes on.`;
      return [`${lead}, ${does} Only timeouts are retried.`, keyHover(path, target)].filter(Boolean).join('\n\n');
    }
  }
  const node = schemaAt(FALCO_CONFIG_SCHEMA, path);
  return node ? keyHover(path, target) : undefined;
}

function valueCompletions(path: ConfigPath, range: Range, loadedOf: () => LoadedRules, target: string): CompletionItem[] {
  const key = pathText(path);
  const item = (label: string, detail?: string): CompletionItem => ({ label, kind: CompletionItemKind.Value, detail, textEdit: { range, newText: label } });
  if (key === 'engine.kind') return engineKinds(target).map((k) => item(k));
  if (key === 'priority') return PRIORITY_NAMES.map((p, i) => ({ ...item(p.toLowerCase(), PRIORITY_MEANINGS[i]), sortText: String(i) }));
  const selection = /^rules\[\]\.(enable|disable)\.(rule|tag)$/.exec(key);
  if (selection) {
    const all = loadedOf().rules;
    if (selection[2] === 'rule') {
      return all.map((r) => ({ ...item(r.name, r.priority), textEdit: { range, newText: quoteIfNeeded(r.name) }, filterText: r.name }));
    }
    const tags = new Map<string, number>();
    for (const r of all) for (const t of r.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
    return [...tags].map(([t, n]) => item(t, `${n} rule${n === 1 ? '' : 's'}`));
  }
  const node = schemaAt(FALCO_CONFIG_SCHEMA, path);
  if (!node) return [];
  const chosen = node.enum ? node : node.oneOf?.find((a) => a.enum) ?? node;
  if (chosen.enum) return chosen.enum.map((v) => item(String(v)));
  if (node.types.includes('boolean')) return [item('true'), item('false')];
  return [];
}

/** A rule name as a YAML plain scalar when it can be one, else double-quoted. */
function quoteIfNeeded(name: string): string {
  return /^[A-Za-z0-9_][\w .\-/()]*$/.test(name) && !/[:#]/.test(name) && !/\s$/.test(name) ? name : yamlQuote(name);
}
