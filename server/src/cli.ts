// falco-lens: the language service on the command line, for CI and pre-commit hooks.
//   falco-lens check <files|dirs...> [--format text|json|sarif|github]   diagnostics; exit 1 when there are errors
//   falco-lens report <alert-log>                             a Markdown incident report on stdout
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { FalcoLanguageService } from './service/languageService';
import { DEFAULT_SETTINGS, type ServiceHost } from './service/host';
import { detectLanguage, LANGUAGE_RULES, LANGUAGE_YAML } from './service/features';
import { analyzeHost, mayHoldRules } from './service/embedded';
import { isOtherToolsRulesFile } from './service/fileShape';
import { withoutByteOrderMark } from './service/text';
import { pathToUri } from './service/uri';
import { isGzipFile } from './gzipFile';
import { configRulesFiles } from './service/config/rulesFiles';
import { FALCO_TARGETS, LATEST_FALCO, parseFalcoTarget } from './knowledge/falcoVersions';
import { toGithubAnnotations, toSarif, type CliFinding } from './cliFormats';
import { version as FALCO_LENS_VERSION } from '../../package.json';

const FORMATS = ['text', 'json', 'sarif', 'github'];

const USAGE = `usage: falco-lens check <files|dirs...> [--format text|json|sarif|github] [--rules <file|dir>]... [--config <falco.yaml>] [--falco-version 0.N]
       falco-lens report <alert-log> [--rules <file|dir>]... [--config <falco.yaml>]

  check    validates Falco rules files, Falco configuration files (falco.yaml, config.d/*.yaml), the rules files
           and configurations written inside other YAML files (a Helm chart's customRules and falco: values, in
           values, HelmReleases and Argo CD Applications; a ConfigMap's data; the Falco Operator's Rulesfile and
           Config resources) and alert logs (also gzip-compressed logs named directly);
           prints file:line:col severity code message; exits 1 when any error is found, 2 on bad usage
  report   prints a Markdown incident report for the alerts in a log
  --format text (default), json, sarif (SARIF 2.1.0, for code-scanning uploads) or github (GitHub Actions
           annotations)
  --rules  rules files or folders loaded first (default: none; Falco hosts keep them in /etc/falco)
  --config Falco's configuration: the rules files of its rules_files (and of its config_files) are loaded first,
           after any --rules
  --falco-version
           the Falco release to check for, ${FALCO_TARGETS[0]} to ${LATEST_FALCO} (default ${LATEST_FALCO}): what it lacks is an error`;

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'] as const;

export interface CliResult { stdout: string; stderr: string; exitCode: number }

export function runCli(argv: string[], cwd = process.cwd()): CliResult {
  const out: string[] = [];
  const err: string[] = [];
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const rulesFiles: string[] = [];
  const configFiles: string[] = [];
  let format = 'text';
  let falcoVersion: string = DEFAULT_SETTINGS.falcoVersion;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format') format = rest[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--rules') rulesFiles.push(path.resolve(cwd, rest[++i] ?? ''));
    else if (a === '--config') configFiles.push(path.resolve(cwd, rest[++i] ?? ''));
    else if (a === '--falco-version' || a.startsWith('--falco-version=')) {
      const value = a === '--falco-version' ? rest[++i] ?? '' : a.slice('--falco-version='.length);
      const target = parseFalcoTarget(value);
      if (!target) return { stdout: '', stderr: `falco-lens: unknown Falco version '${value}' (expected ${FALCO_TARGETS[0]} to ${LATEST_FALCO})\n${USAGE}\n`, exitCode: 2 };
      falcoVersion = target;
    }
    else if (a === '-h' || a === '--help') return { stdout: USAGE + '\n', stderr: '', exitCode: 0 };
    else if (a.startsWith('-')) return { stdout: '', stderr: `falco-lens: unknown option ${a}\n${USAGE}\n`, exitCode: 2 };
    else positional.push(path.resolve(cwd, a));
  }
  if ((command !== 'check' && command !== 'report') || positional.length === 0 || !FORMATS.includes(format)) {
    return { stdout: '', stderr: `${USAGE}\n`, exitCode: 2 };
  }
  const files = onePathEach(expand(positional, err), err);
  const host: ServiceHost = {
    // Regular files only, as the server's host reads them: a FIFO (or a device) named by config_files, rules_files or a
    // folder's listing would block the read forever.
    readFile(p) { try { return fs.statSync(p).isFile() ? withoutByteOrderMark(fs.readFileSync(p, 'utf8')) : undefined; } catch { return undefined; } },
    readDirectory(p) { try { return fs.readdirSync(p); } catch { return undefined; } },
    canRead(p) { try { if (!fs.statSync(p).isFile()) return false; fs.accessSync(p, fs.constants.R_OK); return true; } catch { return false; } },
    isDirectory(p) { try { return fs.statSync(p).isDirectory(); } catch { return false; } },
    realPath(p) { try { return fs.realpathSync(p); } catch { return undefined; } },
    workspaceFolders: () => [],
    settings: () => settings,
    log: (m) => err.push(m),
  };
  for (const config of configFiles) {
    const read = configRulesFiles(host, config, falcoVersion);
    if (!read) return { stdout: '', stderr: `falco-lens: cannot read the Falco configuration ${config}\n`, exitCode: 2 };
    rulesFiles.push(...read.paths);
  }
  const settings = { ...DEFAULT_SETTINGS, falcoVersion, rules: { ...DEFAULT_SETTINGS.rules, files: rulesFiles } };
  const service = new FalcoLanguageService(host);
  const docs = files.map((file) => {
    const gzip = readGzip(file, err);
    const text = gzip ?? host.readFile(file) ?? '';
    // A rotated, compressed log (falco.log.1.gz) is read as the log it holds.
    const named = gzip !== undefined ? file.replace(/\.gz$/, '') : file;
    const detected = detectLanguage(named, text.slice(0, text.indexOf('\n') >>> 0));
    const language = detected === LANGUAGE_RULES && heldUnderRulesName(named, text) ? LANGUAGE_YAML
      : detected ?? (/\.ya?ml$/.test(named) ? (holdsRules(text) ? LANGUAGE_YAML : LANGUAGE_RULES) : 'falco-alerts');
    return TextDocument.create(pathToUri(file), language, 1, text);
  });
  for (const doc of docs) service.forLanguage(doc.languageId)?.didOpenOrChange?.(doc);

  if (command === 'report') {
    for (const doc of docs) out.push(service.alerts.report(doc.getText(), doc.uri));
    return { stdout: out.join('\n'), stderr: err.join('\n'), exitCode: 0 };
  }

  let errors = 0;
  const findings: CliFinding[] = [];
  for (const [i, doc] of docs.entries()) {
    const diagnostics: Diagnostic[] = service.forLanguage(doc.languageId)?.diagnostics(doc) ?? [];
    diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const d of diagnostics) {
      if (d.severity === DiagnosticSeverity.Error) errors++;
      const relative = path.relative(cwd, files[i]);
      const entry: CliFinding = {
        file: relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : files[i],
        line: d.range.start.line + 1, column: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
        severity: SEVERITY[d.severity ?? 1] || 'error', code: String(d.code ?? ''), message: typeof d.message === 'string' ? d.message : d.message.value,
      };
      findings.push(entry);
      if (format === 'text') out.push(`${entry.file}:${entry.line}:${entry.column} ${entry.severity} ${entry.code} ${entry.message.replace(/\n/g, ' ')}`);
    }
  }
  if (format === 'json') out.push(JSON.stringify(findings, null, 2));
  else if (format === 'sarif') out.push(toSarif(findings, FALCO_LENS_VERSION));
  else if (format === 'github') out.push(...toGithubAnnotations(findings));
  return { stdout: out.length ? out.join('\n') + '\n' : '', stderr: err.length ? err.join('\n') + '\n' : '', exitCode: errors > 0 ? 1 : 0 };
}

/**
 * The text of a gzip file (known by its magic bytes), or undefined for any other file; without a leading byte order
 * mark, as the host reads a plain file (the first alert of a log saved with one was lost).
 */
function readGzip(file: string, err: string[]): string | undefined {
  if (!isGzipFile(file)) return undefined;
  return withoutByteOrderMark(gunzipText(file, err));
}

function gunzipText(file: string, err: string[]): string {
  const data = fs.readFileSync(file);
  try {
    return zlib.gunzipSync(data, { maxOutputLength: MAX_GUNZIP_BYTES }).toString('utf8');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    try {
      // A log cut while it was compressed: what comes before the cut is still checked.
      const before = zlib.gunzipSync(data, { maxOutputLength: MAX_GUNZIP_BYTES, finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
      err.push(`falco-lens: ${file}: cannot decompress it to its end (${why}); checking what comes before that point`);
      return before;
    } catch {
      err.push(`falco-lens: ${file}: cannot decompress it (${why})`);
      return '';
    }
  }
}

/** A decompressed log must fit in one string (V8 caps strings at about 512 MB). */
const MAX_GUNZIP_BYTES = 512 * 1024 * 1024;

/**
 * Whether a YAML file that is not a Falco file by its name holds Falco rules files or configurations (a Helm chart's
 * customRules, a Falco Operator Rulesfile), or a holder Falco would refuse (a Rulesfile whose inlineRules is a text).
 */
function holdsRules(text: string): boolean {
  if (!mayHoldRules(text)) return false;
  const { files, problems } = analyzeHost(text);
  return files.length > 0 || problems.length > 0;
}

/**
 * Whether a file named like a rules file only by a broad pattern (`*_rules.yaml`, `rules.d/*.yaml`) is a manifest or
 * values file holding rules (a Falco Operator Rulesfile, a ConfigMap): checked as the YAML it is, as the editor does.
 */
function heldUnderRulesName(file: string, text: string): boolean {
  return isOtherToolsRulesFile(file, text) && holdsRules(text);
}

function readText(file: string): string {
  try { return withoutByteOrderMark(fs.readFileSync(file, 'utf8')); } catch { return ''; }
}

/**
 * Files named directly, plus the rules files and alert logs found in named folders. Links are followed, but a folder
 * already walked (a link back to a parent) is not walked again, and what cannot be read is skipped with a note.
 */
function expand(paths: string[], err: string[], walked = new Set<string>()): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try { stat = fs.statSync(p); } catch { err.push(`falco-lens: cannot read ${p}`); continue; }
    if (!stat.isDirectory()) { files.push(p); continue; }
    let real: string;
    let names: string[];
    try { real = fs.realpathSync(p); names = fs.readdirSync(p).sort(); } catch { err.push(`falco-lens: skipping ${p}: cannot read the folder`); continue; }
    if (walked.has(real)) { err.push(`falco-lens: skipping ${p}: a link to a folder already checked (${real})`); continue; }
    walked.add(real);
    for (const name of names) {
      const child = path.join(p, name);
      // Inside folders: regular files and folders only (a dangling link, a link loop or a FIFO there is skipped, not fatal).
      let kind: fs.Stats | undefined;
      try { kind = fs.statSync(child, { throwIfNoEntry: false }); } catch { kind = undefined; }
      if (!kind) { err.push(`falco-lens: skipping ${child}: cannot read it`); continue; }
      if (kind.isDirectory()) files.push(...expand([child], err, walked));
      else if (kind.isFile() && /\.ya?ml$/.test(name) && !detectLanguage(child, '') && holdsRules(readText(child))) {
        // Helm values, HelmReleases, ConfigMaps, Falco Operator resources: checked where they hold Falco rules files.
        files.push(child);
      } else if (kind.isFile() && /\.(ya?ml|log|json|jsonl)$/.test(name) && detectLanguage(child, '')) {
        // A folder may hold other tools' `*_rules.yaml` (Prometheus, Falco Talon): only Falco's are checked.
        if (detectLanguage(child, '') === LANGUAGE_RULES && isOtherToolsRulesFile(child, readText(child))) {
          if (holdsRules(readText(child))) { files.push(child); continue; }
          err.push(`falco-lens: skipping ${child}: not a Falco rules file (no rule, macro or list items)`);
          continue;
        }
        files.push(child);
      }
    }
  }
  return files;
}

/**
 * The files to check, each real file once, under the path met first (the others skipped with a note). Two links to one
 * rules file were both checked, each loaded after the other (its appends applied twice), and every finding was
 * printed twice. (Paths given with --rules or --config are loaded as Falco loads them, repeats included.)
 */
function onePathEach(files: string[], err: string[]): string[] {
  const first = new Map<string, string>();
  return files.filter((file) => {
    let real: string;
    try { real = fs.realpathSync(file); } catch { return true; }
    const known = first.get(real);
    if (known === undefined) { first.set(real, file); return true; }
    if (known !== file) err.push(`falco-lens: skipping ${file}: the same file as ${known}`);
    return false;
  });
}

if (require.main === module) {
  const result = runCli(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
