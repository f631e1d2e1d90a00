// An in-memory ServiceHost for rules service tests: files by absolute path, folders derived from the paths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { DEFAULT_SETTINGS, type FalcoLensSettings, type ServiceHost } from '../../server/src/service/host';
import { pathToUri } from '../../server/src/service/uri';
import { LANGUAGE_RULES } from '../../server/src/service/features';
import { createRulesService } from '../../server/src/service/rules';

export const CORPUS = path.join(process.cwd(), '..', 'shared', 'corpus');
export const CORPUS_RULES = path.join(CORPUS, 'rules');
export const corpusExists = fs.existsSync(CORPUS_RULES);

/**
 * The server's host (server.ts) in memory: every method it has, so that the service takes the same paths under test.
 * Files by absolute path, folders derived from the paths, no links (FileLinkHost has them). The editor has nothing
 * open until a test puts a document in `editor` (server.ts's open documents), a URI in `elsewhere` (open in a language
 * the server is not sent) or in `unsaved` (held unsaved in such a language).
 */
export class MemoryHost implements ServiceHost {
  readonly files = new Map<string, string>();
  folders: string[] = [];
  config: FalcoLensSettings = { ...DEFAULT_SETTINGS, rules: { ...DEFAULT_SETTINGS.rules, files: [] } };
  readonly logs: string[] = [];
  readonly editor = new Map<string, TextDocument>();
  readonly elsewhere = new Set<string>();
  readonly unsaved = new Set<string>();

  constructor(files: Record<string, string> = {}, options: { folders?: string[]; ruleFiles?: string[] } = {}) {
    for (const [p, text] of Object.entries(files)) this.files.set(p, text);
    this.folders = options.folders ?? [];
    if (options.ruleFiles) this.config = { ...this.config, rules: { ...this.config.rules, files: options.ruleFiles } };
  }

  readFile(p: string): string | undefined { return this.files.get(p); }
  readDirectory(p: string): string[] | undefined {
    const prefix = p.endsWith('/') ? p : `${p}/`;
    const names = new Set<string>();
    for (const f of this.files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
    return names.size ? [...names] : undefined;
  }
  isDirectory(p: string): boolean {
    const prefix = p.endsWith('/') ? p : `${p}/`;
    for (const f of this.files.keys()) if (f.startsWith(prefix)) return true;
    return false;
  }
  /** As fs.realpathSync: the path without a trailing slash where a file or folder is there, else undefined. */
  realPath(p: string): string | undefined {
    const normal = path.posix.normalize(p).replace(/(.)\/$/, '$1');
    return this.files.has(normal) || this.isDirectory(normal) ? normal : undefined;
  }
  fileSize(p: string): number | undefined {
    const text = this.files.get(p);
    return text === undefined ? undefined : Buffer.byteLength(text, 'utf8');
  }
  openDocument(uri: string): TextDocument | undefined { return this.editor.get(uri); }
  openUris(): string[] { return [...new Set([...this.editor.keys(), ...this.elsewhere, ...this.unsaved])]; }
  unsavedElsewhere(uri: string): boolean { return this.unsaved.has(uri) && !this.editor.has(uri); }
  workspaceFolders(): string[] { return this.folders; }
  settings(): FalcoLensSettings { return this.config; }
  log(message: string): void { this.logs.push(message); }
}

/** A memory host with file links: `links` maps a link's path to the file it names (as `ln -s` makes them). */
export class FileLinkHost extends MemoryHost {
  constructor(files: Record<string, string>, private readonly links: Record<string, string>, options: { folders?: string[]; ruleFiles?: string[] } = { folders: ['/ws'] }) {
    super(files, options);
  }
  private resolve(p: string): string { return this.links[p] ?? p; }
  override readFile(p: string): string | undefined { return super.readFile(this.resolve(p)); }
  override readDirectory(p: string): string[] | undefined {
    const names = new Set(super.readDirectory(p) ?? []);
    for (const link of Object.keys(this.links)) if (link.startsWith(`${p}/`)) names.add(link.slice(p.length + 1).split('/')[0]);
    return names.size ? [...names] : undefined;
  }
  override isDirectory(p: string): boolean {
    return !(p in this.links) && (super.isDirectory(p) || Object.keys(this.links).some((link) => link.startsWith(`${p}/`)));
  }
  override realPath(p: string): string | undefined { return this.resolve(p); }
}

export function rulesDoc(p: string, text: string, version = 1): TextDocument {
  return TextDocument.create(p.includes(':') ? p : pathToUri(p), LANGUAGE_RULES, version, text);
}

/** The diagnostics of the rules file `file` holding `source`, alone in folder /ws, at the target release `falcoVersion`. */
export function diagnoseAt(file: string, source: string, falcoVersion: string): Diagnostic[] {
  const host = new MemoryHost({ [file]: source }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const doc = rulesDoc(file, source);
  svc.didOpenOrChange?.(doc);
  return svc.diagnostics(doc);
}

/** `severity code covered-text: message` of every finding of `diagnoseAt`. */
export function findingsAt(file: string, source: string, falcoVersion: string): string[] {
  const doc = rulesDoc(file, source);
  return diagnoseAt(file, source, falcoVersion).map((d) => `${d.severity} ${d.code} ${source.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
}

/** `severity code covered-text: message` of every finding of each configured file (loaded in the given order), at `falcoVersion`. */
export function findingsOfFiles(files: Record<string, string>, falcoVersion: string): Record<string, string[]> {
  const host = new MemoryHost(files, { ruleFiles: Object.keys(files) });
  host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const docs = Object.entries(files).map(([p, text]) => ({ doc: rulesDoc(p, text), text }));
  for (const { doc } of docs) svc.didOpenOrChange?.(doc);
  return Object.fromEntries(docs.map(({ doc, text }) => [doc.uri.replace('file://', ''), svc.diagnostics(doc).map((d) =>
    `${d.severity} ${d.code} ${text.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}: ${typeof d.message === 'string' ? d.message : d.message.value}`)]));
}

/** The quick fixes whose title matches `title` of the findings with `code` of `source` at `falcoVersion`, each applied to the source. */
export function fixesAt(file: string, source: string, falcoVersion: string, code: string, title: RegExp): { title: string; fixed: string }[] {
  const host = new MemoryHost({ [file]: source }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion };
  const svc = createRulesService(host);
  const doc = rulesDoc(file, source);
  svc.didOpenOrChange?.(doc);
  const out: { title: string; fixed: string }[] = [];
  for (const d of svc.diagnostics(doc).filter((x) => x.code === code)) {
    for (const a of svc.codeActions!(doc, d.range, { diagnostics: [d] }) as CodeAction[]) {
      if (title.test(a.title)) out.push({ title: a.title, fixed: applyEdits(source, editsFor(a.edit, doc.uri)) });
    }
  }
  return out;
}

/** Reads corpus rules files (relative to the corpus rules folder) into a host, configured in the given order. */
export function corpusHost(relativePaths: string[]): { host: MemoryHost; paths: string[] } {
  const paths = relativePaths.map((r) => path.join(CORPUS_RULES, r));
  const host = new MemoryHost({}, { ruleFiles: paths });
  for (const p of paths) host.files.set(p, fs.readFileSync(p, 'utf8'));
  return { host, paths };
}

/** Applies the edits of one document from a WorkspaceEdit (changes form) to its text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const doc = TextDocument.create('file:///x', LANGUAGE_RULES, 1, text);
  return TextDocument.applyEdits(doc, edits);
}

export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  return edit?.changes?.[uri] ?? [];
}

export function summarize(d: Diagnostic): string {
  return `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.code} ${d.message}`;
}
