// file: URIs <-> file system paths, without depending on a URI library.
import { fileURLToPath, pathToFileURL } from 'node:url';

export function URI_TO_PATH(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}
