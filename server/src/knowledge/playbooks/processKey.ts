// The process key of playbook tuning snippets, as the alert quick fixes key a process (service/alerts/tuning.ts
// processKey): an exception on proc.exepath also names proc.name. One file can be several programs by the name it is
// started under (busybox's applets, kmod's insmod and rmmod, lvm, vim), and proc.exepath is the file the kernel runs,
// links resolved: `/bin/busybox` alone would allow busybox's sh and wget as well as the nc the exception was for.

/**
 * An exception's fields, value placeholders and comparisons with `proc.name` added right after `proc.exepath` (with
 * `<proc.name>` and `=`) where the fields have the path and not the name; unchanged otherwise.
 */
export function withProcessName(fields: string[], values: string[], comps?: string[]): { fields: string[]; values: string[]; comps?: string[] } {
  const at = fields.indexOf('proc.exepath');
  if (at < 0 || fields.includes('proc.name')) return { fields, values, ...(comps ? { comps } : {}) };
  const add = <T>(list: T[], item: T) => [...list.slice(0, at + 1), item, ...list.slice(at + 1)];
  return { fields: add(fields, 'proc.name'), values: add(values, '<proc.name>'), ...(comps ? { comps: add(comps, '=') } : {}) };
}
