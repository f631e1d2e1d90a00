// A file path as a message shows it (error and warning pop-ups about alert logs and reports): relative to the
// workspace folder that holds it, and with nothing hidden or reordered. A log's name comes from whoever wrote the
// file: a right-to-left override (U+202E) or a zero-width character in it would make `evil.gz.log` read as another
// name, and a line break would split the message, so those are written as \uXXXX (markdown.ts isInvisibleChar, plus
// the control characters). Pure: no VS Code import (the client uses it too).
import * as path from 'node:path';
import { revealInvisible } from './markdown';

/** `text` on one line with every invisible, reordering or control character written as \uXXXX. */
export function revealAll(text: string): string {
  // eslint-disable-next-line no-control-regex
  return revealInvisible(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * `file` relative to the first workspace folder that holds it (prefixed by the folder's name when the workspace has
 * several), else as given; revealed (revealAll). Both POSIX and Windows paths, as `path` reads them on this platform.
 */
export function displayPath(file: string, folders: readonly string[]): string {
  for (const folder of folders) {
    const rel = path.relative(folder, file);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return revealAll(folders.length > 1 ? path.join(path.basename(folder), rel) : rel);
  }
  return revealAll(file);
}

/**
 * A message that names files (a server error such as `Not a readable file: /home/me/ws/logs/a.log`) with each of
 * `files` written by displayPath and the rest revealed too: the message's own text is the server's, but it may quote
 * more of a name than the files given.
 */
export function displayMessage(message: string, files: readonly string[], folders: readonly string[]): string {
  const known = [...new Set(files.filter((f) => f !== ''))].sort((a, b) => b.length - a.length);
  let parts: (string | { file: string })[] = [message];
  for (const file of known) {
    parts = parts.flatMap((p) => (typeof p !== 'string' ? [p] : p.split(file).flatMap((s, i) => (i === 0 ? [s] : [{ file }, s]))));
  }
  return parts.map((p) => (typeof p === 'string' ? revealAll(p) : displayPath(p.file, folders))).join('');
}
