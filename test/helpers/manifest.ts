// package.json as the tests read it: as written (`%key%` placeholders), or localized as VS Code shows it in English
// (each `%key%` replaced by its package.nls.json entry).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const rawManifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
export const nlsEntries = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.nls.json'), 'utf8')) as Record<string, string>;

/** A string that is wholly a placeholder: VS Code replaces `%key%` only when it is the whole value. */
export const PLACEHOLDER = /^%([^%\s]+)%$/;

/** Every string of the manifest, with its JSON path. */
export function* manifestStrings(value: unknown = rawManifest, at = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* manifestStrings(v, `${at}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* manifestStrings(v, at ? `${at}.${k}` : k);
}

function localize(value: unknown): unknown {
  if (typeof value === 'string') {
    const key = PLACEHOLDER.exec(value)?.[1];
    return key !== undefined && key in nlsEntries ? nlsEntries[key] : value;
  }
  if (Array.isArray(value)) return value.map(localize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localize(v)]));
  return value;
}

/** The manifest as VS Code shows it in English. */
export const manifest = localize(rawManifest) as typeof rawManifest;
