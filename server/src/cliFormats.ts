// The CLI's machine-readable outputs for CI: SARIF 2.1.0 (code-scanning uploads) and GitHub Actions workflow
// commands (annotations on the pull request's diff). Messages quote rule and alert content, which is untrusted: in a
// workflow command a line break would end the annotation and start a command of the attacker's choosing, so every
// value is escaped as the runner expects.
import * as path from 'node:path';
import { pathToUri } from './service/uri';

/** One diagnostic as the CLI reports it: 1-based lines and columns (UTF-16 code units, as LSP counts), end exclusive. */
export interface CliFinding {
  /** The path relative to the working folder (absolute when outside it). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** A SARIF 2.1.0 log of one run of falco-lens. */
export function toSarif(findings: CliFinding[], toolVersion: string): string {
  const ruleIds = [...new Set(findings.map((f) => f.code || 'falco-lens'))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'falco-lens',
          version: toolVersion,
          rules: ruleIds.map((id) => ({ id })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f) => {
        const id = f.code || 'falco-lens';
        return {
          ruleId: id,
          ruleIndex: ruleIndex.get(id),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [{
            physicalLocation: {
              artifactLocation: artifactLocation(f.file),
              region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
            },
          }],
        };
      }),
    }],
  };
  return JSON.stringify(log, null, 2);
}

/** A path relative to the checked-out sources, or the file's URI when it lies elsewhere (e.g. /etc/falco). */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToUri(file) };
  return { uri: file.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

const GITHUB_LEVEL = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' } as const;

/** GitHub Actions workflow commands, one line per finding: `::error file=…,line=…::message`. */
export function toGithubAnnotations(findings: CliFinding[]): string[] {
  return findings.map((f) => {
    const properties = [
      `file=${escapeProperty(f.file)}`, `line=${f.line}`, `endLine=${f.endLine}`, `col=${f.column}`, `endColumn=${f.endColumn}`,
      `title=${escapeProperty(`falco-lens ${f.code}`.trim())}`,
    ];
    return `::${GITHUB_LEVEL[f.severity]} ${properties.join(',')}::${escapeData(f.message)}`;
  });
}

/** The runner reads `%`, CR and LF in a command's message as escapes and line ends. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** In a property value `:` and `,` also end the value. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
