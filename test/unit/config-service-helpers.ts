// Shared by the config-service-* tests: an in-memory host with Falco Lens settings, documents of the configuration
// language, and short forms of diagnostics for assertions.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { LANGUAGE_CONFIG } from '../../server/src/service/features';
import { pathToUri } from '../../server/src/service/uri';
import { MemoryHost, summarize } from './rules-host';

/** An output enabled: a snippet with it is not refused for having none. */
export const OUTPUT = 'stdout_output:\n  enabled: true\n';

/** The rules file STARTS names, on the disk of every service() host (a test's own files may replace it). */
export const RULES_FILE = '/etc/falco/falco_rules.yaml';

/**
 * What Falco needs to start besides valid values, in as many lines as OUTPUT: an output enabled and a rules file
 * named (RULES_FILE, which exists). A snippet starting with it is refused for neither (no output, no rules file).
 */
export const STARTS = `stdout_output: {enabled: true}\nrules_files: [${RULES_FILE}]\n`;
/** STARTS for Falco 0.37, which reads its rules files from rules_file only. */
export const STARTS_037 = `stdout_output: {enabled: true}\nrules_file: [${RULES_FILE}]\n`;

export function service(files: Record<string, string>, falcoVersion = '0.44', falcoConfigFile = '/etc/falco/falco.yaml'): { host: MemoryHost; service: FalcoLanguageService } {
  const host = new MemoryHost({ [RULES_FILE]: '- list: shell_binaries\n  items: [bash, sh]\n', ...files });
  host.config = { ...host.config, falcoVersion, falcoConfigFile, rules: { ...host.config.rules, files: [] } };
  return { host, service: new FalcoLanguageService(host) };
}

export function doc(path: string, text: string, version = 1): TextDocument {
  return TextDocument.create(pathToUri(path), LANGUAGE_CONFIG, version, text);
}

/** The diagnostics of the file at `path` (its disk text, or `text`), with the other files on disk. */
export function check(files: Record<string, string>, path: string, options: { text?: string; falcoVersion?: string; falcoConfigFile?: string } = {}): Diagnostic[] {
  const { service: s } = service(files, options.falcoVersion, options.falcoConfigFile);
  return s.config.diagnostics(doc(path, options.text ?? files[path]));
}

export function message(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : (d.message as MarkupContent).value;
}

/** [code, line, character] of each diagnostic. */
export function at(list: Diagnostic[]): [string, number, number][] {
  return list.map((d) => [String(d.code), d.range.start.line, d.range.start.character]);
}

export function show(list: Diagnostic[]): string {
  return list.map(summarize).join('\n');
}
