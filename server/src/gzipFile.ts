// Rotated Falco logs are often gzip-compressed (logrotate's `compress`): the CLI and the Alert Explorer read them as
// the logs they hold. A file is taken for gzip by its magic bytes, whatever its name.
import * as fs from 'node:fs';

/** Whether a file starts with gzip's magic bytes (1f 8b); false for an unreadable file. */
export function isGzipFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
