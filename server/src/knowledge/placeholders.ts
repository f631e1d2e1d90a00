// Placeholders in playbook commands and snippets: `<proc.pid>` names a field and is filled from an alert;
// `<pod>` (no dot) is left for the user. Filled values are always shell-quoted.

const PLACEHOLDER = /<([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+(?:\[[^\]<>]*\])?|[A-Za-z_][A-Za-z0-9_-]*)>/g;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Quotes a value as one shell word (single quotes; embedded single quotes closed, escaped and reopened). */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Field placeholders (`<proc.pid>`) and user placeholders (`<pod>`) found in a text, in order, without repeats. */
export function placeholdersIn(text: string): { fields: string[]; user: string[] } {
  const fields: string[] = [];
  const user: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const list = m[1].includes('.') ? fields : user;
    if (!list.includes(m[1])) list.push(m[1]);
  }
  return { fields, user };
}

/**
 * Fills field placeholders with shell-quoted values. Placeholders whose value is unknown (or `<NA>`/null) stay as
 * they are and are listed in `missing`, so the user sees what is left to fill.
 */
export function fillShellPlaceholders(command: string, valueOf: (field: string) => string | undefined): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = command.replace(PLACEHOLDER, (whole, name: string) => {
    if (!name.includes('.')) return whole;
    const value = valueOf(name);
    // A value starting with `-` would be read as an option (a user named `-d` turns `passwd -l <user.name>` into
    // `passwd -l -d`); quoting cannot prevent that, so the placeholder is left for the user. So is a value with a
    // control character: pasted into a terminal it is a keystroke to the shell's line editor, quotes or not (C-u
    // erases the line so far, opening quote included, and a line break then runs what follows; ESC [201~ ends a
    // bracketed paste early), so a process name could run a command of its own. The Markdown does not show it either.
    // (JSON's null reaches here as undefined: the text `null` is a name like any other.)
    if (value === undefined || value === '<NA>' || value.startsWith('-') || CONTROL.test(value)) {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    return shellQuote(value);
  });
  return { text, missing };
}

/** Replaces every placeholder by a quoted dummy word, giving a command that bash -n and shellcheck can check. */
export function placeholdersForLint(command: string): string {
  return command.replace(PLACEHOLDER, "'PLACEHOLDER'");
}
