// Whether a plain YAML text can hold a Falco rules file or configuration at all, before anything parses it. Apart from
// regions.ts, and importing nothing, so that the client asks it too (languageClient.ts: a YAML file starts the
// language server only when this holds) and both sides agree on which YAML files are Falco's business.

/** The API group of the Falco Operator's artifact resources. */
export const OPERATOR_GROUP = 'artifact.falcosecurity.dev/';

/** Files this large are not searched (a generated manifest of many megabytes): reading them on every edit costs more
 *  than a rules text inside them is worth. */
export const MAX_HOST_LENGTH = 4_000_000;

/**
 * A quick test before parsing: a `customRules` mapping (the chart's values, under `falco:` in an umbrella chart, a Flux
 * HelmRelease's or an Argo CD Application's), the chart's `falco:` values, a Falco Operator resource, or a ConfigMap
 * with rules items or YAML file entries. The whole text is read: the chart's own values.yaml has its customRules past
 * its thousandth line.
 */
export function mayHoldRules(text: string): boolean {
  return text.length <= MAX_HOST_LENGTH && (text.includes('customRules') || /^[ \t]*falco:[ \t]*(#.*)?$/m.test(text)
    || text.includes(OPERATOR_GROUP)
    || (/\bConfigMap\b/.test(text) && (/-[ \t]+(rule|macro|list)[ \t]*:/.test(text) || /^[ \t]+["']?[-._a-zA-Z0-9]*\.ya?ml["']?[ \t]*:/m.test(text))));
}
