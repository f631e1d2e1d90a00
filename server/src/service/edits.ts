// Edits of files other than the document a request was asked in (a tuning quick fix asked in an alert log writes into
// a rules file or a Helm values file; a rename writes into every rules file naming the symbol). Their positions are
// computed from the target's text when the request is answered; the user may change that file before taking the
// edit, and an edit with no version (`changes`, or `version: null`) is then applied at the old positions, inside
// whatever the user wrote. So an edit of a file open in the editor names the version whose text it was computed from
// (the editor refuses it once the file has changed); a file that is not open keeps the edit's usual form.
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { ServiceHost } from './host';
import { URI_TO_PATH, pathToUri } from './uri';

/** Where the editor's open documents are known (a ServiceHost), and the paths of a file (editedUri). */
export type OpenDocuments = Pick<ServiceHost, 'openDocument' | 'unsavedElsewhere' | 'openUris' | 'realPath'>;

/** The edits of one file, and the text their positions were computed from. */
export interface FileEdits {
  uri: string;
  text: string;
  edits: TextEdit[];
  /** The file may not exist (the local rules file): created first, leaving an existing file alone, where not open. */
  mayNotExist?: boolean;
}

/**
 * The version an edit of `uri` computed from `text` names: the editor's where it has the file open with that text,
 * null where it is not open, undefined where it is open with another text (opened as another language, its changes
 * not read by the service) or with unsaved changes the server is not sent (unsavedElsewhere): no position computed
 * from `text` is right there.
 */
export function editVersion(host: OpenDocuments, uri: string, text: string): number | null | undefined {
  const open = host.openDocument?.(uri);
  if (!open) return host.unsavedElsewhere?.(uri) ? undefined : null;
  return open.getText() === text ? open.version : undefined;
}

/**
 * The URI an edit of the file at `path` names: `path`'s own, unless the editor has the file open under another path
 * only (a file link to it, or the file a link at `path` names: the same real path), whose document it then names, so
 * that the edit lands in the buffer the user has instead of opening a second one of the same file (two buffers of one
 * file, the second saved over the first).
 */
export function editedUri(host: Pick<ServiceHost, 'openDocument' | 'openUris' | 'realPath'>, path: string): string {
  const own = pathToUri(path);
  if (host.openDocument?.(own) || !host.openUris || !host.realPath) return own;
  const open = host.openUris();
  if (open.includes(own)) return own;
  const real = host.realPath(path);
  if (real === undefined) return own;
  for (const uri of open) {
    const other = URI_TO_PATH(uri);
    if (other !== undefined && other !== path && host.realPath(other) === real) return uri;
  }
  return own;
}

/**
 * A file's edits naming the document the editor has the file open as under another path (editedUri: a Helm values
 * file, a Rulesfile's manifest or the local rules file open through a link, in any language), unless the edit names
 * that path already.
 */
function linkedFile(host: OpenDocuments, f: FileEdits, files: readonly FileEdits[]): FileEdits {
  // A document with a fragment is no file of its own (an embedded rules file, `<host>#falco-lens-embedded-…`, which
  // the embedded service maps to its host): its path is its host's, whose text it does not have.
  if (!host.openUris || !host.realPath || f.uri.includes('#')) return f;
  const path = URI_TO_PATH(f.uri);
  const uri = path === undefined ? f.uri : editedUri(host, path);
  return uri === f.uri || files.some((g) => g.uri === uri) ? f : { ...f, uri };
}

/**
 * One edit of several files (one entry each). Where one of them is open, every file is a versioned `documentChanges` entry (null for
 * a file not open); where none is, the form is the usual one: `changes`, or a create and a null-versioned edit for a
 * file that may not exist. Undefined where a file is open with another text than its edits were computed from.
 */
export function filesEdit(host: OpenDocuments, files: readonly FileEdits[]): WorkspaceEdit | undefined {
  files = files.map((f) => linkedFile(host, f, files));
  const versions = files.map((f) => editVersion(host, f.uri, f.text));
  if (versions.includes(undefined)) return undefined;
  const creates = files.some((f, i) => f.mayNotExist && versions[i] === null);
  if (!creates && versions.every((v) => v === null)) {
    const changes: Record<string, TextEdit[]> = {};
    // concat, not push(...): a rename of a name used 200,000 times overflowed the stack with its arguments.
    for (const f of files) changes[f.uri] = (changes[f.uri] ?? []).concat(f.edits);
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  files.forEach((f, i) => {
    const version = versions[i] ?? null;
    if (f.mayNotExist && version === null) documentChanges.push({ kind: 'create', uri: f.uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri: f.uri, version }, edits: f.edits });
  });
  return { documentChanges };
}

/**
 * The version a rename's edit names for a file that is not open: the text it was computed from is the disk's, which is
 * the text of a document VS Code has just opened from the disk, at version 1 (monaco's TextModel starts its
 * `_versionId` at 1; each change, and a reload from the disk, counts one more). The answer of a rename is checked by
 * the client when it arrives (vscode-languageclient 10.1.2 rename.js: validateWorkspaceEdit, client.js, compares every
 * version that is not null with the open document's): a file the user opened while the rename was on its way takes
 * the edits if it is still as opened, refuses the rename once changed (version 2 and later) instead of taking edits at
 * the disk text's positions, and a file still closed takes them. (Session 17 named version 0, which refused a file
 * opened and not changed as well.)
 */
export const DISK_TEXT_VERSION = 1;

/**
 * A rename's edit as answered to a client that applies versioned edits: every file named, closed ones by
 * DISK_TEXT_VERSION. A file the editor holds open in a language the server is not sent (`elsewhere`, the client's
 * falcoLens/unsavedElsewhere `open` list; with unsaved changes no edit of it is made, editVersion) keeps null: its
 * buffer is the disk's text, and a version would have the client refuse the rename.
 */
export function renameAnswer(edit: WorkspaceEdit, elsewhere: readonly string[] = []): WorkspaceEdit {
  const version = (uri: string) => (elsewhere.includes(uri) ? null : DISK_TEXT_VERSION);
  if (!edit.documentChanges) {
    const documentChanges: TextDocumentEdit[] = [];
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) documentChanges.push({ textDocument: { uri, version: version(uri) }, edits });
    return { documentChanges };
  }
  return { documentChanges: edit.documentChanges.map((c) => ('textDocument' in c && c.textDocument.version === null ? { ...c, textDocument: { uri: c.textDocument.uri, version: version(c.textDocument.uri) } } : c)) };
}

/**
 * Several edits as one: `changes` where none has `documentChanges`, else `documentChanges` holding every edit (a
 * `changes` entry, which names no version, with a null one). Each file is in one of the edits only.
 */
export function mergeEdits(...edits: WorkspaceEdit[]): WorkspaceEdit {
  if (!edits.some((e) => e.documentChanges)) {
    const changes: Record<string, TextEdit[]> = {};
    for (const e of edits) for (const [uri, list] of Object.entries(e.changes ?? {})) changes[uri] = (changes[uri] ?? []).concat(list);
    return { changes };
  }
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const e of edits) {
    documentChanges.push(...e.documentChanges ?? []);
    for (const [uri, list] of Object.entries(e.changes ?? {})) documentChanges.push({ textDocument: { uri, version: null }, edits: list });
  }
  return { documentChanges };
}

/**
 * The edit for a client that cannot apply `documentChanges` (workspace.workspaceEdit.documentChanges not set): its text
 * edits as `changes`, versions dropped. An edit with a file operation (a create) cannot be said so: left as it is.
 */
export function withoutDocumentChanges(edit: WorkspaceEdit): WorkspaceEdit {
  if (!edit.documentChanges || !edit.documentChanges.every((c) => 'textDocument' in c)) return edit;
  const changes: Record<string, TextEdit[]> = {};
  for (const c of edit.documentChanges as TextDocumentEdit[]) changes[c.textDocument.uri] = (changes[c.textDocument.uri] ?? []).concat(c.edits as TextEdit[]);
  return { changes };
}

/** Whether an edit changes anything (a target gone, or open with another text, gives none: the action is left out). */
export function hasEdits(edit: WorkspaceEdit): boolean {
  return (edit.documentChanges?.length ?? 0) > 0 || Object.values(edit.changes ?? {}).some((e) => e.length > 0);
}

/** Whether an edit names the version of an open document other than `uri` (an edit the client must check). */
export function versionedOthers(edit: WorkspaceEdit, uri: string): boolean {
  return (edit.documentChanges ?? []).some((c) => 'textDocument' in c && c.textDocument.version !== null && c.textDocument.uri !== uri);
}
