// Field hovers against what the sources' extraction code does. The catalog's descriptions are written for this
// project, so they are not compared word for word with the tables (test/fixtures/field-tables.json holds facts only);
// each entry below is a point where an audit of all the descriptions against libs 0.25.2 and the plugin releases the
// catalog follows found the hover saying something the code contradicts, with the code it rests on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupField } from '../../server/src/knowledge';

interface CodeFact {
  fields: string[];
  /** What the code does, as the hover (description and values) must say it. */
  says: RegExp;
  /** What the hover must not say. */
  never?: RegExp;
  source: string;
}

const PRIVILEGED = ['containers', 'initContainers', 'ephemeralContainers'].map((list) => `ka.req.pod.${list}.privileged`);

const FACTS: CodeFact[] = [
  {
    fields: ['ka.cluster.name'],
    says: /cluster_name. annotation/,
    never: /configured in the plugin/,
    source: 'k8saudit 0.18.0 pkg/k8saudit/extract.go:353-354 (extractFromKeys(..., "annotations", "cluster_name"))',
  },
  {
    fields: PRIVILEGED,
    says: /does not set it adds no item/,
    never: /<NA>/,
    source: 'k8saudit 0.18.0 pkg/k8saudit/extract.go:444-449 and 522-531 (arrayAsStringsSkipNil drops unset values)',
  },
  {
    fields: ['okta.mfa.failure.countlast', 'okta.mfa.deny.countlast'],
    says: /current event's own kind[\s\S]*no value/,
    source: 'okta 0.12.0 pkg/okta/okta.go:259-260 and 429-447 (one code path for both fields, keyed by the event type and actor)',
  },
];

test('field hovers agree with the extraction code where an audit found them contradicting it', () => {
  const problems: string[] = [];
  for (const fact of FACTS) {
    for (const name of fact.fields) {
      const f = lookupField(name)?.field;
      if (!f) { problems.push(`${name}: not in the catalog`); continue; }
      const hover = `${f.desc} ${f.values ?? ''}`;
      if (!fact.says.test(hover)) problems.push(`${name}: does not say ${fact.says} (${fact.source})`);
      if (fact.never?.test(hover)) problems.push(`${name}: says ${fact.never}, which ${fact.source} contradicts`);
    }
  }
  assert.deepEqual(problems, []);
});
