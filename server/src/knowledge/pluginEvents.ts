// Asynchronous events that plugins add to the syscall source (each plugin's get_async_events), read in
// falcosecurity/plugins at 0b3cbd8: container (plugins/container/src/macros.h.in, loaded by Falco's default
// configuration since 0.41: config/falco.container_plugin.yaml), k8smeta (plugins/k8smeta/src/shared_with_tests_consts.h)
// and krsi (plugins/krsi/krsi/src/lib.rs). With the plugin loaded, libsinsp accepts these names in evt.type and maps
// them to the one code PPME_ASYNCEVENT_E (names_to_event_set); without it, a name the event table lacks is rejected.
import { table } from './table';
export const PLUGIN_ASYNC_EVENTS: Readonly<Record<string, readonly string[]>> = table({
  container: ['container', 'container_removed'],
  k8smeta: ['k8s'],
  krsi: ['krsi', 'krsi_open', 'krsi_connect', 'krsi_socket', 'krsi_symlinkat', 'krsi_linkat', 'krsi_unlinkat', 'krsi_mkdirat', 'krsi_renameat'],
});
