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
import type { ServiceHost } from '../host';
import { includeEntries, samePath } from '../config/merge';
import { parseConfig, valueOf } from '../config/model';
import { CONFIG_MAP_MAIN_KEY } from './regions';

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
}

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The configuration entries of one ConfigMap placed in the pod, and a host that reads them there. */
export function podFiles(host: ServiceHost, files: readonly PodConfigFile[]): PodFiles {
  const paths = new Map<string, string>();
  const main = files.find((f) => f.key === CONFIG_MAP_MAIN_KEY);
  const named: string[] = [];
  if (main) {
    paths.set(main.uri, POD_MAIN_PATH);
    const root = parseConfig(main.text).root;
    for (const entry of includeEntries(valueOf(root, 'config_files'), host.settings().falcoVersion)) {
      if (entry.path !== undefined && entry.path.startsWith('/')) named.push(entry.path);
    }
  }
  for (const file of files) {
    if (file === main) continue;
    const path = named.find((p) => basename(p) === file.key && !samePath(p, POD_MAIN_PATH));
    paths.set(file.uri, path ?? `${POD_CONFIG_DIR}/${file.key}`);
  }
  const byPath = files.map((f) => ({ path: paths.get(f.uri)!, text: f.text }));
  const read = (path: string) => byPath.find((f) => samePath(f.path, path))?.text;
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
