// Values written into YAML that Falco reads (quick fixes, tuning, renames, generated manifests). Alert values and
// names from the workspace are attacker-controlled: a process name may hold any character. Each value is written
// so that it reads back the same in the yaml package (Falco Lens's reader) and in yaml-cpp (Falco's).
import { isInvisibleChar } from './markdown';
import { kubectlPlain } from './kubectlYaml';

const hex = (c: number, width: number) => c.toString(16).padStart(width, '0');

/**
 * A YAML double-quoted scalar that reads back as exactly `value`, on one line. Escaped: quotes and backslashes; line
 * breaks, tab and every other character outside YAML 1.2's printable set (C0 controls, DEL, the C1 controls but
 * NEL, U+FFFE/U+FFFF); NEL, U+2028/U+2029 and the BOM, which readers or editors take for line breaks or drop; and
 * the characters an editor does not display or that reorder the text around them (isInvisibleChar: a bidirectional
 * control would make the file read differently from what Falco compares). Other text stays readable.
 *
 * Only `\xXX` and `\uXXXX` are used beside `\n \t \r \" \\`: yaml-cpp up to 0.8.0 (Falco's) reads `\N` and `\_` as
 * a lone byte 0x85/0xA0, not UTF-8 (src/exp.cpp Escape, fixed after 0.8.0), and reads `\xXX`/`\uXXXX` as the code
 * point's UTF-8. A lone surrogate (only a JSON `\uD800` escape gives one) is written as U+FFFD: yaml-cpp refuses a
 * surrogate escape (ParserException "invalid unicode", exp.cpp), which would stop Falco loading the file, and a UTF-8
 * file cannot hold one (an editor saves it as U+FFFD).
 */
export function yamlQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${hex(c, 2)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (isInvisibleChar(c) || c === 0xfffe || c === 0xffff) out += `\\u${hex(c, 4)}`;
    else out += ch;
  }
  return `${out}"`;
}

const PLAIN_SAFE = /^[A-Za-z0-9_/][A-Za-z0-9 _./()+-]*$/;
/** Plain scalars that YAML 1.1 or 1.2 (yaml-cpp reads `yes` as a boolean) would read as another type. */
const NOT_A_STRING = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)$/i;

/** A YAML scalar for `value`: plain when that reads back identically as a string, otherwise yamlQuote. Also as kubectl
 *  reads a manifest (kubectlYaml.ts: `0b101` is a number there), for what goes into a Falco Operator resource. */
export function yamlString(value: string): string {
  return PLAIN_SAFE.test(value) && !/\s$/.test(value) && !NOT_A_STRING.test(value) && kubectlPlain(value).type === 'string' ? value : yamlQuote(value);
}

/**
 * An operator (an exception's comp) as a YAML scalar of its own, in a flow or block list: plain, unless it starts with
 * a YAML indicator a plain scalar cannot start with. `!=` would read as an empty node with the tag `!=` (Falco reads
 * '') and `>=` as a folded block scalar's header (an error in a flow list), in the yaml package as in yaml-cpp.
 */
export function yamlOperator(op: string): string {
  return /^[,[\]{}#&*!|>'"%@`]/.test(op) ? yamlQuote(op) : op;
}
