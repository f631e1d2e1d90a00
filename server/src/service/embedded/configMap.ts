// Falco's configuration written in a ConfigMap: where its files sit in the pod, as Falco Lens reads them.
//
// A ConfigMap entry named falco.yaml is the whole file Falco reads: the chart mounts it at /etc/falco/falco.yaml
// (pod-template.tpl, volume falco-yaml with subPath falco.yaml), which is also Falco's default -c file, so it is read
// there; what it lacks is judged (no output, no rules file), unlike the chart's `falco:` values, which Helm lays over
// the chart's own. Its config_files name files of the pod, which Falco Lens does not have: the chart's default
// /etc/falco/config.d is an emptyDir the driver loader fills when the pod starts. An entry is known at a path where the
// manifest's workload mounts it (configMapMounts), or, without one, at a file path whose last part is its key (a
// ConfigMap mounted as a folder puts each key in it as a file of that name), which is said wherever the file is named.
// Every other path is a file of the pod, left out of the merge and named in the messages that depend on what is
// absent. A folder is read only where the workload mounts the ConfigMap as that folder. A configuration entry that falco.yaml does not include is a
// config.d file read alone (what it lacks is not judged), as a config.d file of the disk whose falco.yaml is unknown.
//
// The Falco Operator's pod is known better (operatorPod): its falco.yaml is the operator's own, and its
// /etc/falco/config.d holds the files the operator writes from the Configs of its namespace.
import { isMap, isScalar, isSeq, stringify, type YAMLMap } from 'yaml';
import type { ServiceHost } from '../host';
import { includeEntries, samePath } from '../config/merge';
import { parseConfig, valueOf } from '../config/model';
import { operatorFalcoConfig, OPERATOR_FALCO_CONFIG_RELEASE } from '../../knowledge/operatorFalcoConfig';
import { CONFIG_MAP_MAIN_KEY, OPERATOR_CONFIG_DIR } from './regions';
import { withoutTrailing } from '../text';

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
  const isFolder = (path: string) => samePath(withoutTrailing(path, '/', 1), OPERATOR_CONFIG_DIR);
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
  const trimmed = withoutTrailing(path, '/');
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

// ---- Where a pod mounts a ConfigMap ----
//
// Which file of the pod a ConfigMap's entry is depends on the pod's volumes and mounts (Kubernetes core/v1 Volume
// configMap: each key as a file of its name, or only the listed `items` under their `path`; a VolumeMount puts the
// volume's folder at mountPath, or with `subPath` that one file of it). Where the manifest holds the one workload that
// mounts the ConfigMap, an entry's paths are known exactly; otherwise Falco Lens takes an entry for the file that
// config_files names by the entry's key (the ConfigMap mounted as a folder there), and says so wherever it names it.

/** Where the one workload of the manifest that mounts a ConfigMap puts its entries in Falco's container. */
export interface ConfigMapMounts {
  /** The workload and container, for messages: DaemonSet 'falco' (container 'falco'). */
  by: string;
  /** Each file path (as the pod resolves it, podPath) and the key it holds, in the mounts' order. */
  files: [string, string][];
  /** Each folder the ConfigMap is mounted as, and the names of the files it holds at its top. */
  folders: { path: string; names: string[] }[];
  /** The configuration file the container's Falco command names with `-c` (as the pod resolves it), if it does. */
  configFile?: string;
}

const WORKLOAD_POD_SPEC: Record<string, readonly string[]> = {
  Pod: ['spec'],
  DaemonSet: ['spec', 'template', 'spec'], Deployment: ['spec', 'template', 'spec'], StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'], Job: ['spec', 'template', 'spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const str = (node: unknown): string | undefined => (isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined);
const mapAt = (map: unknown, key: string): YAMLMap | undefined => {
  const v = isMap(map) ? map.get(key, true) : undefined;
  return isMap(v) ? v : undefined;
};
const listAt = (map: unknown, key: string): unknown[] => {
  const v = isMap(map) ? map.get(key, true) : undefined;
  return isSeq(v) ? v.items : [];
};

/**
 * Where the workloads of a manifest (`roots`: its documents' top mappings) mount ConfigMap `configMap` of `keys`: the
 * mounts of the one workload of its namespace that mounts it, in its container named falco or its only container
 * mounting it; `{ why }` where that is not one (several workloads or containers, a projected volume); undefined where
 * no workload of the manifest mounts it.
 */
export function configMapMounts(roots: readonly YAMLMap[], configMap: { name: string; namespace: string }, keys: readonly string[]): ConfigMapMounts | { why: string } | undefined {
  const found: ConfigMapMounts[] = [];
  for (const root of roots) {
    const kind = str(root.get('kind', true));
    const at = kind !== undefined && Object.hasOwn(WORKLOAD_POD_SPEC, kind) ? WORKLOAD_POD_SPEC[kind] : undefined;
    if (!at) continue;
    const metadata = mapAt(root, 'metadata');
    if ((str(metadata?.get('namespace', true)) ?? '') !== configMap.namespace) continue;
    let spec: unknown = root;
    for (const key of at) spec = mapAt(spec, key);
    if (!isMap(spec)) continue;
    const layouts = new Map<string, [string, string][]>();
    for (const volume of listAt(spec, 'volumes')) {
      const name = str(isMap(volume) ? volume.get('name', true) : undefined);
      const source = mapAt(volume, 'configMap');
      if (name !== undefined && str(source?.get('name', true)) === configMap.name) {
        const items = listAt(source, 'items');
        layouts.set(name, items.length > 0
          ? items.flatMap((i) => { const key = str(isMap(i) ? i.get('key', true) : undefined); const path = str(isMap(i) ? i.get('path', true) : undefined); return key !== undefined && path !== undefined ? [[path, key] as [string, string]] : []; })
          : keys.map((k) => [k, k] as [string, string]));
      }
      if (listAt(mapAt(volume, 'projected'), 'sources').some((src) => str(mapAt(src, 'configMap')?.get('name', true)) === configMap.name)) {
        return { why: `${kind} '${str(metadata?.get('name', true)) ?? ''}' mounts it through a projected volume, which Falco Lens does not read` };
      }
    }
    if (layouts.size === 0) continue;
    const containers = listAt(spec, 'containers').filter((c) => listAt(c, 'volumeMounts').some((m) => layouts.has(str(isMap(m) ? m.get('name', true) : undefined) ?? '')));
    const workload = `${kind} '${str(metadata?.get('name', true)) ?? ''}'`;
    const container = containers.length === 1 ? containers[0] : containers.find((c) => str(isMap(c) ? c.get('name', true) : undefined) === 'falco');
    if (!container) {
      if (containers.length > 1) return { why: `several containers of ${workload} mount it` };
      continue;
    }
    const mounts: ConfigMapMounts = { by: `${workload} (container '${str(isMap(container) ? container.get('name', true) : undefined) ?? ''}')`, files: [], folders: [] };
    const configFile = configOption([...listAt(container, 'command'), ...listAt(container, 'args')].map(str));
    if (configFile !== undefined) mounts.configFile = configFile;
    for (const m of listAt(container, 'volumeMounts')) {
      const layout = layouts.get(str(isMap(m) ? m.get('name', true) : undefined) ?? '');
      const mountPath = podPath(str(isMap(m) ? m.get('mountPath', true) : undefined) ?? '');
      if (!layout || mountPath === undefined) continue;
      const subPath = str(isMap(m) ? m.get('subPath', true) : undefined);
      const base = withoutTrailing(mountPath, '/');
      if (subPath !== undefined && subPath !== '') {
        const file = layout.find(([p]) => p === subPath);
        if (file) mounts.files.push([base || '/', file[1]]);
      } else {
        for (const [p, k] of layout) mounts.files.push([`${base}/${p}`, k]);
        mounts.folders.push({ path: base || '/', names: [...new Set(layout.map(([p]) => p.split('/')[0]))] });
      }
    }
    found.push(mounts);
  }
  if (found.length > 1) return { why: `several workloads of this manifest mount it (${found.map((f) => f.by).join(', ')})` };
  return found[0];
}

/**
 * The file Falco's `-c <path>` names (options.cpp: cxxopts short option `c`, 0.37.0-0.44.1; `-c<path>` is read the
 * same), among the words after the one running Falco (`/usr/bin/falco`, as the chart's args start): without it Falco
 * reads /etc/falco/falco.yaml (FALCO_INSTALL_CONF_FILE). A shell's `-c` before Falco's command is not Falco's.
 */
function configOption(argv: readonly (string | undefined)[]): string | undefined {
  const start = argv.findIndex((a) => a !== undefined && basename(a) === 'falco');
  if (start < 0) return undefined;
  let found: string | undefined;
  for (let i = start + 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c' && argv[i + 1] !== undefined) found = argv[++i];
    else if (a !== undefined && a.startsWith('-c') && a.length > 2 && !a.startsWith('--')) found = a.slice(2);
  }
  return found === undefined ? undefined : podPath(found);
}

/**
 * Where Falco reads the ConfigMap's falco.yaml as its configuration: where the workload mounts it (at the path its
 * `-c` names, else at /etc/falco/falco.yaml, else at its first mount); /etc/falco/falco.yaml without the workload's
 * mounts (the chart's mount, and Falco's default -c file).
 */
export function podMainPath(placement: EntryPlacement | undefined): string {
  const mounts = placement && !('why' in placement) ? placement : undefined;
  const at = mounts?.files.filter(([, key]) => key === CONFIG_MAP_MAIN_KEY).map(([path]) => path) ?? [];
  return at.find((p) => mounts!.configFile !== undefined && samePath(p, mounts!.configFile)) ?? at.find((p) => samePath(p, POD_MAIN_PATH)) ?? at[0] ?? POD_MAIN_PATH;
}

/** How Falco Lens knows where a ConfigMap's entries are: the mounts of the manifest's workload, or why not (`why`),
 *  when it takes an entry for a path by its key. */
export type EntryPlacement = ConfigMapMounts | { why: string };

/** The reason Falco Lens places entries by their keys (no workload's mounts to read). */
const BY_KEY = 'no workload of this manifest mounts this ConfigMap';

function byName(placement: EntryPlacement | undefined): string | undefined {
  return placement === undefined ? BY_KEY : 'why' in placement ? placement.why : undefined;
}

/**
 * Where the ConfigMap's entries (`keys`) sit in the pod, from falco.yaml's config_files (`main`, at `target`): with the
 * workload's mounts (`placement`), the entry mounted at the path Falco resolves; without them, an entry at a path
 * naming its key as the last part (a ConfigMap mounted as a folder), the first such path; and the config_files paths of
 * a YAML file that name no entry (`unfound`: the pod's files, which Falco Lens does not have), with the offsets of the
 * path in `main`.
 */
export function placedEntries(main: string, keys: readonly string[], target: string, placement?: EntryPlacement): { placed: Map<string, string>; unfound: { span: readonly [number, number]; path: string }[] } {
  const placed = new Map<string, string>();
  const unfound: { span: readonly [number, number]; path: string }[] = [];
  const mounts = placement && !('why' in placement) ? placement : undefined;
  const mainPath = podMainPath(placement);
  for (const entry of includeEntries(valueOf(parseConfig(main).root, 'config_files'), target)) {
    const path = entry.path === undefined ? undefined : podPath(entry.path);
    if (path === undefined || path.endsWith('/') || samePath(path, mainPath)) continue;
    const key = mounts ? mounts.files.find(([p]) => samePath(p, path))?.[1] : basename(path);
    if (mounts && mounts.folders.some((f) => samePath(f.path, path))) continue;
    // falco.yaml mounted a second time: read again as an included file (the merge's refusal, merge.ts).
    if (mounts && key === CONFIG_MAP_MAIN_KEY) continue;
    if (key !== undefined && keys.includes(key) && key !== CONFIG_MAP_MAIN_KEY) {
      if (!placed.has(key)) placed.set(key, path);
    } else if (/\.ya?ml$/.test(basename(path)) && entry.pathNode?.range) {
      unfound.push({ span: [entry.pathNode.range[0], entry.pathNode.range[1]], path });
    }
  }
  return { placed, unfound };
}

/** The configuration entries of one ConfigMap placed in the pod, and a host that reads them there. */
export function podFiles(host: ServiceHost, files: readonly PodConfigFile[], placement?: EntryPlacement): PodFiles {
  const paths = new Map<string, string>();
  const main = files.find((f) => f.key === CONFIG_MAP_MAIN_KEY);
  const mounts = placement && !('why' in placement) ? placement : undefined;
  const { placed } = main ? placedEntries(main.text, files.map((f) => f.key), host.settings().falcoVersion, placement) : { placed: new Map<string, string>() };
  const mainPath = podMainPath(placement);
  if (main) paths.set(main.uri, mainPath);
  for (const file of files) {
    if (file === main) continue;
    // An entry falco.yaml does not include is read alone, as a config.d file whose main file is unknown.
    paths.set(file.uri, placed.get(file.key) ?? `${POD_CONFIG_DIR}/${file.key}`);
  }
  const byKey = new Map(files.map((f) => [f.key, f]));
  const byPath = files.map((f) => ({ path: paths.get(f.uri)!, file: f }));
  // With the mounts, a path is the entry mounted there; without them, the entry placed there by its key.
  const fileAt = (path: string): PodConfigFile | undefined => {
    const resolved = podPath(path);
    if (resolved === undefined) return undefined;
    if (main && samePath(resolved, mainPath)) return main;
    if (mounts) { const key = mounts.files.find(([p]) => samePath(p, resolved))?.[1]; return key === undefined ? undefined : byKey.get(key); }
    return byPath.find((f) => samePath(f.path, resolved))?.file;
  };
  const folderAt = (path: string) => {
    const resolved = podPath(path);
    return resolved === undefined ? undefined : mounts?.folders.find((f) => samePath(f.path, withoutTrailing(resolved, '/', 1)));
  };
  const why = byName(placement);
  return {
    host: {
      readFile: (path) => fileAt(path)?.text,
      readDirectory: (path) => folderAt(path)?.names,
      isDirectory: (path) => folderAt(path) !== undefined,
      workspaceFolders: () => host.workspaceFolders(),
      settings: () => ({ ...host.settings(), falcoConfigFile: mainPath }),
      log: (message) => host.log(message),
    },
    pathOf: (uri) => paths.get(uri),
    describe: (path) => {
      const folder = folderAt(path);
      if (folder) return `the folder ${mounts!.by} mounts this ConfigMap as (${folder.names.map((n) => `'${n}'`).join(', ')})`;
      const file = fileAt(path);
      if (!file || (file === main && samePath(podPath(path) ?? path, mainPath))) return undefined;
      if (file === main) return `ConfigMap entry '${file.key}', this configuration again (${mounts!.by} mounts it at ${podPath(path)} too)`;
      return mounts ? `ConfigMap entry '${file.key}' (${mounts.by} mounts it at ${podPath(path)})`
        : `ConfigMap entry '${file.key}' (taken for ${podPath(path)} by its name: ${why}, so the pod's mounts decide which file Falco reads there)`;
    },
  };
}
