// The event table of a falcosecurity/libs release, read as libsinsp reads names (shared by gen-event-types.mjs and
// gen-event-tables.mjs). `read(path)` gives a file of the libs tree at the release.
//
// It reads two files: driver/ppm_events_public.h (the numbers of the ppm_event_code enum, and PPM_SC_FIELDS, the
// syscall names) and driver/event_table.c (the name of every event code). The mapping follows libsinsp's
// names_to_event_set (userspace/libsinsp/events/sinsp_events.cpp): a name maps to every code from 2 up whose table
// name it is; a name with no such code that is a syscall name (lower-cased PPM_SC_FIELDS entry) maps to the generic
// events 0 and 1; anything else maps to nothing.
export function readEventTable(read) {
  const header = read('driver/ppm_events_public.h');
  const table = read('driver/event_table.c');

  // enum ppm_event_code: `PPME_X = n,` up to `PPM_EVENT_MAX = n`.
  const codeOf = new Map();
  for (const m of header.matchAll(/^\s*(PPME_\w+|PPM_EVENT_MAX)\s*=\s*(\d+)\s*,?/gm)) codeOf.set(m[1], Number(m[2]));
  const eventMax = codeOf.get('PPM_EVENT_MAX');
  if (!eventMax) throw new Error('PPM_EVENT_MAX not found');

  // Event table entries: `[PPME_X] = {"name", ...`.
  const names = new Array(eventMax);
  for (const m of table.matchAll(/\[(PPME_\w+)\]\s*=\s*\{\s*"([^"]*)"/g)) {
    const code = codeOf.get(m[1]);
    if (code === undefined) throw new Error(`unknown event code ${m[1]}`);
    names[code] = m[2];
  }
  for (let code = 0; code < eventMax; code++) if (names[code] === undefined) throw new Error(`event code ${code} has no table entry`);

  // Syscall names: PPM_SC_X(NAME, n), lower-cased as libscap's ppm_sc_names.c does.
  const syscallNames = new Set();
  for (const m of header.matchAll(/PPM_SC_X\((\w+),\s*\d+\)/g)) syscallNames.add(m[1].toLowerCase());
  if (syscallNames.size < 100) throw new Error('PPM_SC_FIELDS not found');

  const codesByName = new Map();
  for (let code = 2; code < eventMax; code++) {
    const list = codesByName.get(names[code]) ?? [];
    list.push(code);
    codesByName.set(names[code], list);
  }
  const generic = [...syscallNames].filter((n) => n !== '' && !codesByName.has(n)).sort();
  // Names valid in evt.type (libsinsp's validate_filter_value: any table name, codes 0 and 1 included) that map to no code.
  const codeless = [...new Set(names.slice(0, 2))].filter((n) => !codesByName.has(n) && !syscallNames.has(n)).sort();

  const asyncCode = codeOf.get('PPME_ASYNCEVENT_E');
  return { eventMax, codesByName, generic, codeless, asyncCode };
}

/** The parameter names of every event of the table, by event name: the union over the name's codes that are not
 *  flagged EF_OLD_VERSION (the events current drivers send, and into which libsinsp converts older captures; the
 *  enter events of converted system calls are such old versions). Entries read as
 *  `[PPME_X] = {"name", category, flags, nparams, {{"pname", PT_Y, ...}, ...}}`. */
export function readEventParams(read) {
  const table = read('driver/event_table.c');
  const starts = [...table.matchAll(/\[(PPME_\w+)\]\s*=\s*\{/g)];
  const paramsByName = new Map();
  starts.forEach((start, i) => {
    const body = table.slice(start.index + start[0].length, i + 1 < starts.length ? starts[i + 1].index : table.length);
    const head = /^\s*"([^"]*)"\s*,([^{]*?),\s*(\d+)\s*(?:,|\})/s.exec(body);
    if (!head) throw new Error(`cannot read the entry of ${start[1]}: ${body.slice(0, 200)}`);
    const count = Number(head[3]);
    const params = [...body.matchAll(/\{\s*"([^"]+)"\s*,\s*PT_\w+/g)].slice(0, count).map((p) => p[1]);
    if (params.length !== count) throw new Error(`${start[1]} declares ${count} parameters, ${params.length} read`);
    const names = paramsByName.get(head[1]) ?? new Set();
    if (!/\bEF_OLD_VERSION\b/.test(head[2])) for (const p of params) names.add(p);
    paramsByName.set(head[1], names);
  });
  return paramsByName;
}
