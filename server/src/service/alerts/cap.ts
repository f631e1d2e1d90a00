// Alert values shown in hovers and reports are cut to a readable length: a 1 MB command line must not become a 1 MB
// hover. Cut values say how much is left out; commands and YAML that hold a value too long to show are not shown cut
// (a cut command or exception would be wrong to run or apply) but replaced by a note.
import { codeBlock, codeSpan, escapeMarkdown } from '../markdown';

/** Characters of one value shown in a hover or a report. */
export const MAX_SHOWN_VALUE = 2000;
/** Characters of a filled command or YAML snippet shown in a hover or a report. */
export const MAX_SHOWN_BLOCK = 6000;

/** The value cut after `max` characters (never inside a surrogate pair), and how many characters were left out. */
export function capValue(value: string, max = MAX_SHOWN_VALUE): { text: string; more: number } {
  if (value.length <= max) return { text: value, more: 0 };
  let cut = max;
  const last = value.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return { text: value.slice(0, cut), more: value.length - cut };
}

function moreNote(more: number): string {
  return more > 0 ? ` … (${more.toLocaleString('en-US')} more characters)` : '';
}

/** A value as an inline code span, cut when long. */
export function cappedCode(value: string, max = MAX_SHOWN_VALUE): string {
  const { text, more } = capValue(value, max);
  return codeSpan(text) + moreNote(more);
}

/** A value as escaped Markdown text, cut when long. */
export function cappedText(value: string, max = MAX_SHOWN_VALUE): string {
  const { text, more } = capValue(value, max);
  return escapeMarkdown(text) + moreNote(more);
}

/** A filled command or YAML snippet as a code block, or a note when it is too long to show. */
export function cappedBlock(value: string, language: string, what: string): string {
  if (value.length <= MAX_SHOWN_BLOCK) return codeBlock(value, language);
  return `_The ${escapeMarkdown(what)} is not shown: with this alert's values it is ${value.length.toLocaleString('en-US')} characters long._`;
}
