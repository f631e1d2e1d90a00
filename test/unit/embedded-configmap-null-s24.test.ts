// Session 24: a ConfigMap data entry with no value under each way of sending the manifest. The finding said what
// kubectl create and client-side kubectl apply do, not server-side apply, which keeps the null in its apply patch
// (kubectl sends it unpruned; structured-merge-diff accepts and keeps a null) and the API server converts it to the
// typed ConfigMap as the empty text (runtime converter mapFromUnstructured): the entry is there and empty, also where
// it had a value before. kubectl replace sends the object as create does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostFindings } from './operator-tuning-helpers';

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: falco-rules
  namespace: falco
data:
  falco_rules.local.yaml:
  custom_rules.yaml: |
    - list: shell_binaries
      items: [bash, sh, zsh]
`;

test('a null data entry: the empty text with create, replace and server-side apply; no entry with client-side apply', () => {
  const found = hostFindings(MANIFEST, 'file:///ws/deploy/falco-rules.yaml').found;
  assert.deepEqual(found.map((f) => [f.code, f.at]), [['embedded-configmap-empty-entry', 'falco_rules.local.yaml']]);
  const message = found[0].message;
  assert.match(message, /kubectl create, kubectl replace and kubectl apply --server-side store the empty text \(server-side apply keeps the null, which the API server reads as the empty text, and empties an entry that had a value\): the pod's file falco_rules\.local\.yaml is empty/);
  assert.match(message, /Client-side kubectl apply takes the null for removing the entry .*: the ConfigMap has no falco_rules\.local\.yaml, and the pod no such file\./);
});
