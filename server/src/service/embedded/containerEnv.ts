// The environment of Falco's container as a manifest gives it, for the `${VAR}` Falco expands in its configuration
// (config/model.ts envReading). Only a literal `value:` is known; anything Kubernetes, the image or a template fills
// in when the pod starts is not, and says why.
//
// Facts. The Helm chart appends the values' `extra.env` to the env of the falco container, after its own entries,
// rendered by `tpl` (charts/falco 3.0.0 to 9.1.0 templates/pod-template.tpl, falco.renderTemplate in _helpers.tpl); it
// has no `extra.envFrom`. The Falco Operator's Falco resource (instance.falcosecurity.dev/v1alpha1, kind Falco) has a
// podTemplateSpec whose container named `falco` is merged with the operator's own by name, its env too
// (internal/pkg/instance/merge.go MergeApplyConfiguration, structured merge: a Container's env is a map keyed by name);
// the operator's env is HOST_ROOT=/host and FALCO_HOSTNAME and FALCO_K8S_NODE_NAME from the node's name
// (internal/pkg/resources/falco.go:106-120 at v0.4.1). In a container's env a later entry of a name wins (kubelet
// makeEnvironmentVariables, pkg/kubelet/kubelet_pods.go: `tmpEnv[envVar.Name] = runtimeVal` in the env's order), so the
// chart's extra.env, appended after its own entries, wins too; the operator, though, refuses a podTemplateSpec whose
// falco container lists a name twice: its merge reads the pod template as typed structured-merge-diff values, where a
// container's env is a list keyed by name (internal/pkg/scheme/parser.go at v0.4.1), and FromUnstructured validates it
// ("duplicate entries for key", structured-merge-diff v4.7.0 typed/validate.go:145), so it deploys no Falco. An entry
// written without a value is the empty text, and `$(NAME)` in a value is replaced by Kubernetes with another variable
// of the container; `envFrom` may set any name the env does not (a ConfigMap's or a Secret's keys), `valueFrom` sets
// one from the pod's fields, a Secret or a ConfigMap. A value kubectl does not read as a text is refused.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { EnvLookup, EnvValue } from '../config/model';
import { kubectlScalar } from '../kubectlYaml';
import type { LineIndex } from '../text';

/** A container's env, per name, and where it lies. */
export interface ContainerEnv {
  /** Each name's value, or why it is not known. */
  names: ReadonlyMap<string, EnvValue>;
  /** Why a name the env does not list is not known (what else may set it). */
  others: string;
}

/** The env of a Kubernetes EnvVar list (`node`, undefined when absent) over `base` (an entry of the same name merged
 *  with it); `template`: values the chart renders with tpl. */
export function envOfList(node: unknown, lines: LineIndex, label: string, base: ReadonlyMap<string, EnvValue> = new Map(), template = false): Map<string, EnvValue> {
  const out = new Map(base);
  if (!isSeq(node)) return out;
  for (const item of node.items) {
    if (!isMap(item)) continue;
    const name = scalarText(item.get('name', true));
    if (name === undefined || name === '') continue;
    const line = lines.positionAt((item as Node).range?.[0] ?? 0).line + 1;
    const where = `${label}, line ${line}`;
    const previous = base.get(name);
    const valueNode = item.get('value', true) as unknown;
    const from = item.get('valueFrom', true) as unknown;
    if (from !== undefined && from !== null) {
      out.set(name, { why: `the pod sets it when it starts, from valueFrom (${where}): a field of the pod, a Secret's or a ConfigMap's key, which Falco Lens does not read`, valueFrom: true });
      continue;
    }
    if (previous && 'valueFrom' in previous && valueNode !== undefined) {
      out.set(name, { why: `the operator's own env sets it from valueFrom, which this value (${where}) is merged with: Kubernetes refuses an env entry holding both` });
      continue;
    }
    const read = valueNode === undefined || valueNode === null ? { type: 'string' as const, value: '' } : kubectlScalar(valueNode);
    if (!read || read.type !== 'string') {
      out.set(name, { why: `its value (${where}) is no text once kubectl reads it (YAML 1.1), and Kubernetes refuses the container` });
    } else if (template && read.value.includes('{{')) {
      out.set(name, { why: `its value (${where}) is a template the chart renders (tpl)` });
    } else if (read.value.includes('$(')) {
      out.set(name, { why: `its value '${read.value}' (${where}) holds $(…), which Kubernetes replaces with another variable of the container when the pod starts` });
    } else {
      out.set(name, { value: read.value, where });
    }
  }
  return out;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** The env the Helm chart gives Falco's container from values mapping `values` (its `extra.env`). */
export function chartEnv(values: YAMLMap, lines: LineIndex): ContainerEnv {
  const extra = values.get('extra', true);
  const env = isMap(extra) ? extra.get('env', true) : undefined;
  const label = 'extra.env of these values';
  if (isScalar(env) && typeof env.value === 'string' && env.value.trim() !== '') {
    return { names: new Map(), others: 'extra.env is a template here, which the chart renders (tpl) into the container\'s env' };
  }
  return { names: envOfList(env, lines, label, new Map(), true), others: 'it is not in extra.env of these values: only the chart\'s own env of the container, the image or Kubernetes may set it' };
}

/** The operator's own env of Falco's container (internal/pkg/resources/falco.go:106-120 at v0.4.1). */
const OPERATOR_ENV: ReadonlyMap<string, EnvValue> = new Map<string, EnvValue>([
  ['HOST_ROOT', { value: '/host', where: 'the Falco Operator\'s own env of the falco container' }],
  ['FALCO_HOSTNAME', { why: 'the operator sets it from valueFrom, the node\'s name', valueFrom: true }],
  ['FALCO_K8S_NODE_NAME', { why: 'the operator sets it from valueFrom, the node\'s name', valueFrom: true }],
]);

/** The env of the falco container of a Falco Operator Falco resource (`spec` its spec), the operator's merged with
 *  its podTemplateSpec's. */
export function operatorFalcoEnv(spec: YAMLMap, lines: LineIndex, name: string): ContainerEnv {
  const label = `Falco '${name}'`;
  const template = spec.get('podTemplateSpec', true);
  const podSpec = isMap(template) ? template.get('spec', true) : undefined;
  const containers = isMap(podSpec) ? podSpec.get('containers', true) : undefined;
  const falco = isSeq(containers) ? containers.items.find((c) => isMap(c) && scalarText(c.get('name', true)) === 'falco') as YAMLMap | undefined : undefined;
  const envFrom = falco?.get('envFrom', true) as Node | undefined;
  const others = isSeq(envFrom) && envFrom.items.length > 0
    ? `envFrom of ${label} (line ${lines.positionAt(envFrom.range?.[0] ?? 0).line + 1}) may set it from a ConfigMap's or a Secret's keys`
    : `it is not in the env of the falco container of ${label}: only the image or Kubernetes may set it`;
  const env = falco?.get('env', true);
  const names = envOfList(env, lines, label, OPERATOR_ENV);
  const seen = new Map<string, number>();
  for (const item of isSeq(env) ? env.items : []) {
    const name = isMap(item) ? scalarText(item.get('name', true)) : undefined;
    if (name === undefined) continue;
    const line = lines.positionAt((item as Node).range?.[0] ?? 0).line + 1;
    const first = seen.get(name);
    if (first === undefined) { seen.set(name, line); continue; }
    names.set(name, { why: `the env of the falco container of ${label} lists it twice (lines ${first} and ${line}), and the operator refuses to merge such a pod template ('duplicate entries for key [name="${name}"]'): it deploys no Falco` });
  }
  return { names, others };
}

/** How Falco's `${NAME}` reads in a container of this env. */
export function envLookup(env: ContainerEnv): EnvLookup {
  return (name) => env.names.get(name) ?? { why: env.others };
}
