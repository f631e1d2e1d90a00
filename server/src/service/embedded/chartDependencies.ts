// Which dependencies on Falco's chart a Chart.yaml lists: the one reading of a Chart.yaml, by the server (regions.ts:
// the YAML files beside it are that umbrella chart's values, embedded/index.ts umbrellaOf) and by the client
// (languageClient.ts isUmbrellaValues: such a values file starts the language server). Apart from regions.ts so that
// the client, which bundles it, takes only the YAML parser with it.
import { parseDocument } from 'yaml';
import { mayListFalcoDependency } from './hostSniff';

/** A dependency of a chart on Falco's chart: the key of the values Helm gives it, and what can turn it off. */
export interface FalcoDependency {
  /** Its alias, else its name ('falco'): Helm names the subchart so and gives it the values under that key. */
  key: string;
  /** The value paths of its condition, in order (dotted, from the values' top). */
  condition: readonly string[];
  tags: readonly string[];
  /** The file that lists it: requirements.yaml (Helm 2's place) where that file has a `dependencies` key. */
  listedIn: 'Chart.yaml' | 'requirements.yaml';
}

/** The name of Falco's chart (charts/falco Chart.yaml), as an umbrella chart's Chart.yaml lists it. */
const FALCO_CHART = 'falco';

/**
 * The dependencies on Falco's chart that a chart lists (`dependencies`: name, alias, condition, tags; Helm reads the
 * file with sigs.k8s.io/yaml into chart.Metadata). An alias renames the subchart, and its values are then under the
 * alias (helm pkg/chart/v2/util/dependencies.go getAliasDependency at v4.2.4, pkg/chartutil at v3.19.5).
 * `requirementsYaml`: the chart's requirements.yaml (Helm 2's place for dependencies, apiVersion v1), which Helm's
 * loader reads after Chart.yaml into the same Metadata whatever the apiVersion (pkg/chart/loader/load.go LoadFiles,
 * v3.19.5:111-127, v4.2.4 pkg/chart/v2/loader/load.go:116-130; a v2 chart with a warning): where it has a
 * `dependencies` key, its list replaces Chart.yaml's (encoding/json resets a slice it decodes into). A file that cannot
 * be read, or lists none, gives none (Helm cannot load a chart whose requirements.yaml does not parse).
 */
export function falcoDependencies(chartYaml: string, requirementsYaml?: string): FalcoDependency[] {
  if (requirementsYaml !== undefined) {
    const listed = dependencyList(requirementsYaml, 'requirements.yaml');
    if (listed !== undefined) return listed;
  }
  // Most Chart.yaml files are nobody's umbrella of Falco: the text is parsed only when it can be one.
  if (!mayListFalcoDependency(chartYaml)) return [];
  return dependencyList(chartYaml, 'Chart.yaml') ?? [];
}

/** The Falco dependencies of a file's `dependencies` key; undefined where the file has no such key, [] where it cannot
 *  be read (in requirements.yaml that stops Helm: no dependency is installed). */
function dependencyList(yaml: string, listedIn: FalcoDependency['listedIn']): FalcoDependency[] | undefined {
  let parsed: unknown;
  try { parsed = parseDocument(yaml, { prettyErrors: false }).toJS(); } catch { return []; }
  if (typeof parsed !== 'object' || parsed === null || !Object.hasOwn(parsed, 'dependencies')) return undefined;
  const dependencies = (parsed as { dependencies?: unknown }).dependencies;
  if (!Array.isArray(dependencies)) return [];
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return dependencies.filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null && text((d as Record<string, unknown>).name) === FALCO_CHART)
    .map((d) => ({
      key: text(d.alias) || FALCO_CHART,
      condition: (text(d.condition) ?? '').split(',').map((c) => c.trim()).filter((c) => c !== ''),
      tags: Array.isArray(d.tags) ? d.tags.filter((t): t is string => typeof t === 'string') : [],
      listedIn,
    }));
}
