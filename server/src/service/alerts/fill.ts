// Filling playbook commands and tuning snippets with one alert's values. A value is only filled where it means what
// the placeholder expects: `crictl inspect <container.id>` filled with `host` would inspect nothing (container.id
// "host" says the event happened on the host), so such a step stays unfilled with a one-line reason. Values that
// are absent (`<NA>`, null, empty) stay as placeholders and are listed for the user to fill in.
import { codeSpan, escapeMarkdown } from '../markdown';
import { fillShellPlaceholders, placeholdersIn } from '../../knowledge/placeholders';
import {
  broadParent, broadParentReason, exceptionValueText, fillTuningYaml, inexactValueOf, inexactValueReason, parentNarrowedBy, processKey, processKeyReason,
  withoutExceptionField,
} from './tuning';
import { valueOf, type AlertView } from './view';

/** When `field` has `value` in an alert, placeholders of `fields` cannot be filled meaningfully, for `reason`. */
interface NotApplicable { field: string; value: string; fields: string[]; reason: string }

const NOT_APPLICABLE: NotApplicable[] = [
  { field: 'container.id', value: 'host', fields: ['container.id', 'container.name'], reason: 'the event happened on the host: no container to inspect' },
  { field: 'container.id', value: 'host', fields: ['k8s.pod.name', 'k8s.ns.name', 'container.image.repository', 'container.image.tag'], reason: 'the event happened on the host, outside any container or pod' },
];

/** The alert's value of a field as a placeholder may take it: absent, `<NA>`, null and empty values give undefined. */
export function fillValue(view: AlertView, field: string): string | undefined {
  const v = valueOf(view, field);
  return v === undefined || v === '' || v === '<NA>' ? undefined : v;
}

/** Why a placeholder of `field` cannot be filled from this alert, or undefined when it can. */
export function notApplicable(view: AlertView, field: string): string | undefined {
  for (const n of NOT_APPLICABLE) if (n.fields.includes(field) && valueOf(view, n.field) === n.value) return n.reason;
  return undefined;
}

export interface FilledCommand {
  /** The command with the alert's values shell-quoted in, or the command unchanged when `notApplicable` is set. */
  text: string;
  /** Field placeholders left for the user to fill in. */
  missing: string[];
  /** Set when the step does not apply to this alert: the reason, in one line. */
  notApplicable?: string;
}

/** Fields naming an account as the process saw it: in a container, an account of the container's own user database. */
const ACCOUNT_FIELDS = new Set(['user.name', 'user.uid']);
/**
 * Fields holding a path as the process saw it: the drivers and libsinsp read paths in the process's mount namespace
 * (the path given to the system call, made absolute from its cwd; proc.exepath from the root of its mount namespace),
 * so in a container they are paths inside the container, which on the host name another file or none.
 */
const PATH_FIELDS = new Set(['fd.name', 'fd.nameraw', 'fd.directory', 'proc.exepath', 'proc.cwd', 'fs.path.name', 'fs.path.source', 'fs.path.target',
  'evt.arg.path', 'evt.arg.name', 'evt.arg.filename', 'evt.arg.pathname', 'evt.arg.target', 'evt.arg.linkpath', 'evt.arg.oldpath', 'evt.arg.newpath']);
/** A command naming a file or folder of the system's own tree (not /proc, /sys or /dev): `find / -xdev`, `/etc/crontab`. */
const HOST_FILES = /(?:^|[\s=("'])\/(?:(?:etc|usr|bin|sbin|home|root|tmp|var|opt|lib|lib64|run|srv|boot|mnt)(?![\w.-])|(?=\s))/;
/** Commands that reach into a container (or the cluster) rather than run against the host's accounts. */
const CONTAINER_TOOL = /^\s*(?:sudo\s+)?(?:crictl|docker|podman|nerdctl|ctr|kubectl|nsenter)\b/;

/** A playbook command filled with an alert's values (shell-quoted). */
export function fillCommand(command: string, view: AlertView): FilledCommand {
  const fields = placeholdersIn(command).fields;
  for (const field of fields) {
    const reason = notApplicable(view, field);
    if (reason) return { text: command, missing: [], notApplicable: reason };
    // U+FFFD stands for bytes that are not valid UTF-8, and no name or path holds a lone surrogate (tuning.ts
    // inexactValue): filled in, the command would look for a name or path that the system does not have.
    const inexact = inexactValueOf(view, field);
    if (inexact === 'uncertain') {
      return { text: command, missing: [], notApplicable: `where the value of ${field} ends in the alert's text is uncertain (the rule's output template reads it in more than one way), so the command could look for another name` };
    }
    if (inexact) {
      const what = inexact === 'surrogate' ? 'a lone UTF-16 surrogate, which Falco never prints and no name or path can hold' : 'U+FFFD in place of bytes that are not valid UTF-8';
      return { text: command, missing: [], notApplicable: `the value of ${field} holds ${what}, so the command would look for a name the system does not have` };
    }
  }
  // `crontab -l -u <user.name>`, `passwd -S`, `usermod`… run on the host: filled with the account of a container
  // (resolved from the container's /etc/passwd), they would read or change the host's account of that name or uid,
  // another account or none.
  const container = valueOf(view, 'container.id');
  if (container && container !== 'host' && container !== '<NA>' && !CONTAINER_TOOL.test(command) && !fields.includes('container.id')
    && fields.some((f) => ACCOUNT_FIELDS.has(f))) {
    return { text: command, missing: [], notApplicable: 'the account is the container\'s; on the host the same name or uid may be another account' };
  }
  // `stat <fd.name>`, `sha256sum <proc.exepath>` on the host, filled with a path inside a container, would look at the
  // host's file of that path: another file, or none. A command naming the system's own files (`cat -v /etc/crontab`,
  // `find -H /bin /sbin …`) reads the host's, not the container's. /proc, /sys and /dev are the host's view of every
  // process (proc.pid is the host's pid), which such commands mean.
  if (container && container !== 'host' && container !== '<NA>' && !CONTAINER_TOOL.test(command) && !fields.includes('container.id')) {
    if (fields.some((f) => PATH_FIELDS.has(f) && (fillValue(view, f) ?? '').startsWith('/'))) {
      return { text: command, missing: [], notApplicable: 'the path is inside the container (its mount namespace); on the host the same path is another file or none' };
    }
    if (HOST_FILES.test(command)) return { text: command, missing: [], notApplicable: 'it reads or changes the host\'s files, and the event happened in a container, whose files are its own' };
  }
  return fillShellPlaceholders(command, (f) => fillValue(view, f));
}

/** Markdown to put after a step's purpose: nothing, the placeholders to fill in, or why it does not apply. */
export function fillNote(filled: FilledCommand): string {
  if (filled.notApplicable) return ` — not for this alert: ${escapeMarkdown(filled.notApplicable)}.`;
  return filled.missing.length ? ` (fill in: ${filled.missing.map(codeSpan).join(', ')})` : '';
}

/** The investigation steps as a shell script to paste: only complete commands run; a step left with placeholders,
 *  or that does not apply to this alert, is kept as comments (a pasted `<field>` would be a shell redirection). */
export function investigationScript(commands: { command: string; purpose: string }[], view: AlertView): string {
  return commands.map((c) => {
    const filled = fillCommand(c.command, view);
    const purpose = `# ${oneLine(c.purpose)}`;
    if (filled.notApplicable) return `${purpose}\n# Skipped: ${oneLine(filled.notApplicable)}.\n${commented(filled.text)}`;
    if (filled.missing.length) return `${purpose}\n# Fill in ${filled.missing.map((m) => `<${m}>`).join(', ')}, then run:\n${commented(filled.text)}`;
    return `${purpose}\n${filled.text}`;
  }).join('\n\n');
}

function oneLine(text: string): string { return text.replace(/[\r\n]+/g, ' '); }

function commented(command: string): string { return command.split('\n').map((l) => `# ${l}`).join('\n'); }

/**
 * A playbook tuning snippet filled with an alert's values, each as Falco's condition reads it (tuning.ts
 * exceptionValueText: as it is, or in the condition's quotes) and YAML-quoted, with what is left and what not applies.
 * Where the alert's proc.exepath cannot key the process (a memfd, a deleted file, a relative path, a value no quoting
 * carries: tuning.ts processKey), the exceptions that pair it with proc.name leave it out and key the process by the
 * name (`dropped`, with the reason), as the quick fixes do.
 */
export function fillTuning(yaml: string, view: AlertView): ReturnType<typeof fillTuningYaml> & { notApplicable: { field: string; reason: string }[]; dropped: { field: string; reason: string }[] } {
  const skipped: { field: string; reason: string }[] = [];
  const dropped: { field: string; reason: string }[] = [];
  const key = processKey(view);
  if (key.field === 'proc.name' && key.why !== 'none' && yaml.includes('<proc.exepath>')) {
    const without = withoutExceptionField(yaml, 'proc.exepath', 'proc.name');
    if (without !== yaml) { yaml = without; dropped.push({ field: 'proc.exepath', reason: processKeyReason(view) }); }
  }
  // A parent that starts every container, service or job, or runs what anyone types (tuning.ts broadParent), is left
  // for the user unless the snippet also pins what tells this case apart (tuning.ts parentNarrowedBy): the image under
  // a container runtime, the command line under a supervisor, the shell's command line under a shell running a script.
  const broad = broadParent(view);
  const pin = broad && parentNarrowedBy(view, broad.kind);
  const narrowed = pin !== undefined && yaml.includes(pin);
  const parentReason = broad && !narrowed ? broadParentReason(view) : undefined;
  const filled = fillTuningYaml(yaml, (field) => {
    // A value with U+FFFD stands for bytes the alert lost, a lone surrogate for none Falco printed: an exception on
    // either never matches (tuning.ts inexactValue).
    const inexact = inexactValueOf(view, field);
    const reason = field === 'proc.pname' && parentReason ? parentReason : notApplicable(view, field)
      ?? (inexact ? inexactValueReason(field, inexact) : undefined);
    const skip = (why: string) => { if (!skipped.some((s) => s.field === field)) skipped.push({ field, reason: why }); return undefined; };
    if (reason) return skip(reason);
    // A path that cannot key the process, where no exception pairs it with the name (a list of paths): left to fill in.
    if (field === 'proc.exepath' && key.field === 'proc.name' && key.why !== 'none') return skip(processKeyReason(view));
    const value = fillValue(view, field);
    if (value === undefined) return undefined;
    const written = exceptionValueText(value, view.listNamed);
    return 'refused' in written ? skip(`it cannot be written into Falco's condition: ${written.refused}`) : written.text;
  });
  return { ...filled, missing: filled.missing.filter((m) => !skipped.some((s) => s.field === m)), notApplicable: skipped, dropped };
}
