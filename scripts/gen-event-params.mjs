// Writes test/fixtures/event-params.json: the parameter names of each event of the driver's event table (libs release
// of Falco 0.44), leaving out the old versions (EF_OLD_VERSION: the enter events of converted system calls, older
// layouts), so that tests can check that a playbook's `evt.arg.<name>` is a parameter of the events its rule matches
// (evt.arg.<name> of an event without that parameter is <NA>). Facts only: event names and parameter names.
//
//   node scripts/gen-event-params.mjs <libs git dir> <libs tag>
//   e.g. node scripts/gen-event-params.mjs /work/.mirror/falcosecurity+libs/repo 0.25.2
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readEventParams } from './event-table.mjs';

const [libsDir, tag] = process.argv.slice(2);
if (!libsDir || !tag) {
  console.error('usage: node scripts/gen-event-params.mjs <libs git dir> <libs tag>');
  process.exit(2);
}
const read = (path) => execFileSync('git', ['-C', libsDir, 'show', `${tag}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
const params = readEventParams(read);
const events = Object.fromEntries([...params].filter(([name]) => name !== 'NA').sort(([a], [b]) => a.localeCompare(b)).map(([name, set]) => [name, [...set]]));
const out = new URL('../test/fixtures/event-params.json', import.meta.url);
// One line per event, so a regeneration's diff shows which events changed.
const lines = Object.entries(events).map(([name, list]) => `  ${JSON.stringify(name)}: ${JSON.stringify(list)}`);
writeFileSync(out, `{\n "libs": ${JSON.stringify(tag)},\n "source": "driver/event_table.c",\n "events": {\n${lines.join(',\n')}\n }\n}\n`);
console.log(`${Object.keys(events).length} events written to ${out.pathname}`);
