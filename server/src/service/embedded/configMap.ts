// Falco's configuration written in a ConfigMap: where its files sit in the pod, as Falco Lens reads them.
//
// A ConfigMap entry named falco.yaml is the whole file Falco reads: the chart mounts it at /etc/falco/falco.yaml
// (pod-template.tpl, volume falco-yaml with subPath falco.yaml), which is also Falco's default -c file, so it is read
// there; what it lacks is judged (no output, no rules file), unlike the chart's `falco:` values, which Helm lays over
// the chart's own. Its config_files name files of the pod, which Falco Lens does not have: the chart's default
// /etc/falco/config.d is an emptyDir the driver loader fills when the pod starts. Only one kind of entry is known
// there: a file path whose last part is the key of another configuration entry of the same ConfigMap (a ConfigMap
// mounted as a folder puts each key in it as a file of that name) is that entry. Every other path is a file of the
// pod, left out of the merge and named in the messages that depend on what is absent. A folder is never read (which
// entries a volume puts in it is the pod's business). A configuration entry that falco.yaml does not include is a
// config.d file read alone (what it lacks is not judged), as a config.d file of the disk whose falco.yaml is unknown.
//
// The Falco Operator's pod is known better (operatorPod): its falco.yaml is the operator's own, and its
// /etc/falco/config.d holds the files the operator writes from the Configs of its namespace.
import { stringify } from 'yaml';
import type { ServiceHost } from '../host';
import { includeEntries, samePath } from '../config/merge';
import { parseConfig, valueOf } from '../config/model';
import { operatorFalcoConfig, OPERATOR_FALCO_CONFIG_RELEASE } from '../../knowledge/operatorFalcoConfig';
import { CONFIG_MAP_MAIN_KEY, OPERATOR_CONFIG_DIR } from './regions';

/** Where the chart mounts the ConfigMap's falco.yaml, and Falco's default configuration file. */
export const POD_MAIN_PATH = '/etc/falco/falco.yaml';
/** Where a configuration entry that falco.yaml does not name is placed: a config.d file, read alone. */
const POD_CONFIG_DIR = '/etc/falco/config.d';

export interface PodConfigFile {
  uri: string;
  key: string;
  text: string;
}

export interface PodFiles {
  /** The files as the configuration service reads them: only the ConfigMap's configuration entries exist. */
  host: ServiceHost;
  /** The path in the pod of an entry's document. */
  pathOf(uri: string): string | undefined;
  /** How messages name the file at a path of the pod (undefined: by its path). */
  describe?(path: string): string | undefined;
}

/** A file the Falco Operator writes into /etc/falco/config.d from a Config (embedded/index.ts gathers them). */
export interface OperatorConfigFile {
  /** The embedded document's URI. */
  uri: string;
  /** Its name in /etc/falco/config.d (regions.ts OperatorPlace.fileName). */
  fileName: string;
  text: string;
  /** How messages name it: the resource ("Config 'x'"), and where the manifest holds it ("configs.yaml:12"). */
  label: string;
  at: string;
  /** The Config it comes from, and that Config's spec.selector (regions.ts OperatorPlace.selector). */
  resource: string;
  selector?: string;
}

let operatorFalcoYaml: string | undefined;

/**
 * The pod of a Falco the operator deploys, as the configuration service reads it: /etc/falco/falco.yaml is the
 * operator's own (knowledge/operatorFalcoConfig.ts, DaemonSet), whose config_files names /etc/falco/config.d, and that
 * folder holds the files `members` gives when asked (the Configs of one namespace, in the workspace's files as they
 * are now). Falco reads the folder's files sorted by path (merge.ts), which the operator's names order by priority.
 */
export function operatorPod(host: ServiceHost, members: () => readonly OperatorConfigFile[]): PodFiles {
  operatorFalcoYaml ??= stringify(operatorFalcoConfig('DaemonSet'));
  const inFolder = (path: string) => path.startsWith(`${OPERATOR_CONFIG_DIR}/`) ? members().find((m) => samePath(path, `${OPERATOR_CONFIG_DIR}/${m.fileName}`)) : undefined;
  const isFolder = (path: string) => samePath(path.replace(/(.)\/+$/, '$1'), OPERATOR_CONFIG_DIR);
  return {
    host: {
      readFile: (path) => samePath(path, POD_MAIN_PATH) ? operatorFalcoYaml : inFolder(path)?.text,
      readDirectory: (path) => isFolder(path) ? [...new Set(members().map((m) => m.fileName))] : undefined,
      isDirectory: isFolder,
      workspaceFolders: () => host.workspaceFolders(),
      settings: () => ({ ...host.settings(), falcoConfigFile: POD_MAIN_PATH }),
      log: (message) => host.log(message),
    },
    pathOf: (uri) => {
      const member = members().find((m) => m.uri === uri);
      return member ? `${OPERATOR_CONFIG_DIR}/${member.fileName}` : undefined;
    },
    describe: (path) => samePath(path, POD_MAIN_PATH)
      ? `the operator's falco.yaml (${POD_MAIN_PATH}, operator ${OPERATOR_FALCO_CONFIG_RELEASE})`
      : inFolder(path) ? `${inFolder(path)!.label} (${inFolder(path)!.at}, written as ${path})` : undefined,
  };
}

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * A config_files path as the pod's file system resolves it: Falco hands the path to std::filesystem as written
 * (configuration.cpp merge_config_files, 0.38.0-0.44.1: exists, is_regular_file, is_directory), so `//` and `/./`
 * name the same file, and a trailing `/` names a folder only (a file's path with one does not exist: ENOTDIR).
 * Undefined for a path Falco Lens cannot place: a relative one (resolved against Falco's working directory, / in
 * Falco's image: docker/falco/Dockerfile WORKDIR /, where no ConfigMap is mounted) and one through `..` (which the
 * pod's folders decide).
 */
export function podPath(path: string): string | undefined {
  if (!path.startsWith('/') || path.split('/').includes('..')) return undefined;
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return `/${parts.join('/')}${parts.length > 0 && /\/\.?$/.test(path) ? '/' : ''}`;
}

/**
 * Where the ConfigMap's entries (`keys`) sit in the pod, from falco.yaml's config_files (`main`, at `target`): an entry
 * is at a path naming its key as the last part (a ConfigMap mounted as a folder), the first such path; and the
 * config_files paths of a YAML file that name no entry (`unfound`: the pod's files, which Falco Lens does not have),
 * with the offsets of the path in `main`.
 */
export function placedEntries(main: string, keys: readonly string[], target: string): { placed: Map<string, string>; unfound: { span: readonly [number, number]; path: string }[] } {
  const placed = new Map<string, string>();
  const unfound: { span: readonly [number, number]; path: string }[] = [];
  for (const entry of includeEntries(valueOf(parseConfig(main).root, 'config_files'), target)) {
    const path = entry.path === undefined ? undefined : podPath(entry.path);
    if (path === undefined || path.endsWith('/') || samePath(path, POD_MAIN_PATH)) continue;
    const key = basename(path);
    if (keys.includes(key) && key !== CONFIG_MAP_MAIN_KEY) {
      if (!placed.has(key)) placed.set(key, path);
    } else if (/\.ya?ml$/.test(key) && entry.pathNode?.range) {
      unfound.push({ span: [entry.pathNode.range[0], entry.pathNode.range[1]], path });
    }
  }
  return { placed, unfound };
}

/** The configuration entries of one ConfigMap placed in the pod, and a host that reads them there. */
export function podFiles(host: ServiceHost, files: readonly PodConfigFile[]): PodFiles {
  const paths = new Map<string, string>();
  const main = files.find((f) => f.key === CONFIG_MAP_MAIN_KEY);
  const { placed } = main ? placedEntries(main.text, files.map((f) => f.key), host.settings().falcoVersion) : { placed: new Map<string, string>() };
  if (main) paths.set(main.uri, POD_MAIN_PATH);
  for (const file of files) {
    if (file === main) continue;
    paths.set(file.uri, placed.get(file.key) ?? `${POD_CONFIG_DIR}/${file.key}`);
  }
  const byPath = files.map((f) => ({ path: paths.get(f.uri)!, text: f.text }));
  const read = (path: string) => {
    const resolved = podPath(path);
    return resolved === undefined ? undefined : byPath.find((f) => samePath(f.path, resolved))?.text;
  };
  return {
    host: {
      readFile: read,
      readDirectory: () => undefined,
      isDirectory: () => false,
      workspaceFolders: () => host.workspaceFolders(),
      settings: () => ({ ...host.settings(), falcoConfigFile: POD_MAIN_PATH }),
      log: (message) => host.log(message),
    },
    pathOf: (uri) => paths.get(uri),
  };
}
