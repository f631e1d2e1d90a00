// Escaping for Markdown shown in hovers, reports and tooltips. Alert content and workspace files are
// attacker-controlled: every value goes through one of these functions, and no Markdown is ever trusted.

/**
 * Characters that are not displayed, or that change how the text around them is displayed: bidirectional controls
 * (a process name with U+202E reads backwards), zero-width characters, line and paragraph separators, the BOM. A
 * value holding them is shown with each written as `\uXXXX`, so that a crafted value cannot pass for another.
 */
export function isInvisibleChar(code: number): boolean {
  return code === 0x061c || (code >= 0x200b && code <= 0x200f) || (code >= 0x2028 && code <= 0x202e)
    || (code >= 0x2060 && code <= 0x2064) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}

const INVISIBLE = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** `value` with every invisible character (isInvisibleChar) written as `\uXXXX`. */
export function revealInvisible(value: string): string {
  return value.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

// Control characters other than tab and line breaks: C0, DEL and C1 (U+009B is the 8-bit CSI). A terminal escape in a
// value (ESC [ 31 m, what a coloured log line holds) is shown as text, `\u001B[31m`, never handed to the renderer.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** `value` with invisible characters (revealInvisible) and control characters other than tab and line breaks written
 *  as `\uXXXX`: for text placed in Markdown. */
function revealed(value: string): string {
  return revealInvisible(value).replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Inline code span holding `value` verbatim (invisible and control characters revealed): the fence is longer than any backtick run inside. */
export function codeSpan(value: string): string {
  const text = revealed(value).replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Fenced code block holding `value` verbatim (invisible and control characters revealed): the fence is longer than any backtick run inside. */
export function codeBlock(value: string, language = ''): string {
  value = revealed(value);
  let longest = 2;
  for (const run of value.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${value}\n${fence}`;
}

/** Plain text safe in Markdown: every character with a Markdown or HTML meaning is backslash-escaped. */
export function escapeMarkdown(value: string): string {
  return revealed(value).replace(/[\\`*_{}\[\]()#+\-.!|<>~&"'=:$]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/**
 * Prose (a rule's description) cut to at most `max` characters at a word boundary, as escaped Markdown ending in an
 * ellipsis and the count of characters left out; whole when short. A text with no blank in the last 100 characters
 * before `max` is cut at `max` (never inside a surrogate pair).
 */
export function clippedProse(text: string, max: number): string {
  if (text.length <= max) return escapeMarkdown(text);
  let cut = text.slice(0, max + 1).search(/\s\S*$/);
  if (cut <= 0 || max - cut > 100) cut = max - (text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? 1 : 0);
  const shown = text.slice(0, cut).replace(/[\s,;:]+$/, '');
  return `${escapeMarkdown(shown)}… (${(text.length - shown.length).toLocaleString('en-US')} more characters)`;
}

/** A title for a code action or tree item: one line, control characters removed, bounded length. */
export function plainTitle(value: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = revealInvisible(value).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/**
 * Knowledge-base text (ours, not the workspace's) may use code spans on purpose; outside them `<`, `>` and `&` are
 * written as entities so that a value such as `<NA>` is shown, never read as HTML.
 */
export function knowledgeText(text: string): string {
  return text.split(/(`+[^`]*`+)/).map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))).join('');
}
