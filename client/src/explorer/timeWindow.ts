// The Alert Explorer's time filter: a window ending at the log's latest alert (logs are read after the fact, so "the
// last hour" is the last hour of the log, not of the wall clock), or two times the user types. Of VS Code only
// vscode.l10n, so that it is tested against the stand-in.
import { l10n } from 'vscode';

export interface TimeWindowChoice { label: string; lastMs?: number; between?: true }

/** The choices of the time filter (a function: l10n.t is asked when they are shown). */
export function timeWindows(): TimeWindowChoice[] {
  return [
    { label: l10n.t('Any time') },
    { label: l10n.t('The last 15 minutes of the log'), lastMs: 15 * 60_000 },
    { label: l10n.t('The last hour of the log'), lastMs: 60 * 60_000 },
    { label: l10n.t('The last 24 hours of the log'), lastMs: 24 * 60 * 60_000 },
    { label: l10n.t('Between two times…'), between: true },
  ];
}

/** The filter bounds (epoch ms, inclusive) of a window that ends at the log's latest alert. */
export function lastWindow(latestMs: number, lastMs: number): { since: number; until: number } {
  return { since: latestMs - lastMs, until: latestMs };
}

/**
 * Reads "FROM TO" (two ISO-8601 times, or one for an open end, `..` for an open start: `.. 2026-01-02T13:00Z`), as
 * UTC when no offset is given (Falco writes UTC). Returns an error message for anything else.
 */
export function parseBetween(text: string): { since?: number; until?: number } | { error: string } {
  const parts = text.trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 2) return { error: l10n.t('Type one or two times, e.g. 2026-01-02T12:00Z 2026-01-02T13:00Z') };
  const times: (number | undefined)[] = [];
  for (const part of parts) {
    if (part === '..') { times.push(undefined); continue; }
    const ms = parseUtc(part);
    if (ms === undefined) return { error: l10n.t('Not a time: {0} (expected e.g. 2026-01-02T12:00:00Z)', part) };
    times.push(ms);
  }
  const [since, until] = times;
  if (since !== undefined && until !== undefined && since > until) return { error: l10n.t('The first time is after the second') };
  if (since === undefined && until === undefined) return { error: l10n.t('Give at least one time') };
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function parseUtc(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  // Date.parse reads an ISO date-time without offset as local time: Falco's times are UTC.
  let normal = text.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!m[1]) normal += normal.includes('T') ? 'Z' : 'T00:00Z';
  const ms = Date.parse(normal);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The window as the view's message shows it. */
export function describeWindow(since: number | undefined, until: number | undefined): string | undefined {
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z');
  if (since !== undefined && until !== undefined) return l10n.t('{0} to {1}', iso(since), iso(until));
  if (since !== undefined) return l10n.t('from {0}', iso(since));
  if (until !== undefined) return l10n.t('until {0}', iso(until));
  return undefined;
}
