// The fields a plugin marks "suggested for output" (EPF_FORMAT_SUGGESTED, filter_field.h, libs 0.20.0 and later), by
// plugin: falco.yaml's `append_output: - suggested_output: true` (Falco 0.41 and later) appends `name=%field` for each
// of them to the output of every rule of the plugin's source (init_falco_engine.cpp configure_output_format and
// add_suggested_output at 0.41.0 and 0.44.0). Read from the plugins' field tables of Falco 0.44's era
// (test/fixtures/field-tables.json, `suggestedOutput`; rules-output-appended-s18 holds this table to it). libsinsp's
// static fields (sinsp_filtercheck_static.cpp, every one suggested) are not modelled.
import { table } from './table';

export const SUGGESTED_OUTPUT_FIELDS: Readonly<Record<string, { source: string; fields: readonly string[] }>> = table({
  container: { source: 'syscall', fields: ['container.id', 'container.name', 'container.image.repository', 'container.image.tag', 'k8s.pod.name', 'k8s.ns.name'] },
  k8smeta: { source: 'syscall', fields: ['k8smeta.pod.name', 'k8smeta.ns.name'] },
});
