// Whether a plain YAML text can hold a Falco rules file or configuration at all, before anything parses it, and whether
// a Chart.yaml can make the YAML files beside it an umbrella chart's values. Apart from regions.ts, and importing
// nothing, so that the client asks it too (languageClient.ts: a YAML file starts the language server only when one of
// these holds) and both sides agree on which YAML files are Falco's business.

/** The API group of the Falco Operator's artifact resources. */
export const OPERATOR_GROUP = 'artifact.falcosecurity.dev/';

/** Files this large are not searched (a generated manifest of many megabytes): reading them on every edit costs more
 *  than a rules text inside them is worth. */
export const MAX_HOST_LENGTH = 4_000_000;

/**
 * A quick test before parsing: a `customRules` mapping (the chart's values, under `falco:` in an umbrella chart, a Flux
 * HelmRelease's or an Argo CD Application's), the chart's `falco:` values, a Falco Operator resource, or a ConfigMap
 * (or a Secret, whose size is checked) with rules items or YAML file entries. The whole text is read: the chart's own values.yaml has its customRules past
 * its thousandth line.
 */
export function mayHoldRules(text: string): boolean {
  return text.length <= MAX_HOST_LENGTH && (text.includes('customRules') || /^[ \t]*falco:[ \t]*(#.*)?$/m.test(text)
    || text.includes(OPERATOR_GROUP)
    || (/\b(ConfigMap|Secret)\b/.test(text) && (/-[ \t]+(rule|macro|list)[ \t]*:/.test(text) || /^[ \t]+["']?[-._a-zA-Z0-9]*\.ya?ml["']?[ \t]*:/m.test(text))));
}

/**
 * The folder whose Chart.yaml may make `path` an umbrella chart's values: a YAML file beside it that is not one of the
 * chart's own files (Chart.yaml, requirements.yaml, their locks). Helm takes such a file as the chart's values
 * (values.yaml) or as values given to it (`-f`); the server reads the Chart.yaml there (embedded/index.ts umbrellaOf),
 * and the client asks the same before it starts the server for a values file. Either separator.
 */
export function umbrellaChartFolder(path: string): string | undefined {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (slash < 0 || !/\.ya?ml$/.test(path) || /^(Chart|requirements)\.(yaml|lock)$/.test(path.slice(slash + 1))) return undefined;
  return path.slice(0, slash) || '/';
}

/**
 * Whether a Chart.yaml may list Falco's chart among its dependencies: a `dependencies` key, and `falco` as a word of
 * its own (`name: falco`, quoted or not, in block or flow style; not falcosidekick, falco-exporter or
 * falco.enabled). A quick test, before chartDependencies.ts falcoDependencies parses the file (it asks this first):
 * a chart that says the word elsewhere (its description, a maintainer) passes here, and lists no dependency there.
 */
export function mayListFalcoDependency(chartYaml: string): boolean {
  return /["']?\bdependencies["']?[ \t]*:/.test(chartYaml) && /(^|[^\w.-])falco($|[^\w.-])/m.test(chartYaml);
}
