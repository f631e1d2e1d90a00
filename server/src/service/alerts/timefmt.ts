// Alert times. JSON alerts carry UTC ISO-8601 with nanoseconds (and evt.time as 19 digits); text alerts carry the
// Falco host's local HH:MM:SS.nnnnnnnnn (no date, no zone) or an ISO-8601 prefix. Nanoseconds are kept as text.

export interface AlertInstant {
  /** Milliseconds since the epoch (UTC), when the date is known. */
  epochMs?: number;
  /** Seconds since local midnight, for text times without a date. */
  secondsOfDay?: number;
  /** The 9-digit fraction as printed. */
  nanos: string;
}

export function parseAlertTime(time: string | undefined, epochNanos?: string): AlertInstant | undefined {
  if (epochNanos && /^\d{10,}$/.test(epochNanos)) {
    const digits = epochNanos.padStart(19, '0');
    return { epochMs: Number(digits.slice(0, -6)), nanos: digits.slice(-9) };
  }
  if (!time) return undefined;
  const clock = /^(\d{2}):(\d{2}):(\d{2})\.(\d{1,9})$/.exec(time);
  if (clock) return { secondsOfDay: +clock[1] * 3600 + +clock[2] * 60 + +clock[3] + Number(`0.${clock[4]}`), nanos: clock[4].padEnd(9, '0') };
  const iso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(time);
  if (!iso) return undefined;
  const zone = !iso[3] || iso[3] === 'Z' ? 'Z' : iso[3].length === 5 ? `${iso[3].slice(0, 3)}:${iso[3].slice(3)}` : iso[3];
  const ms = Date.parse(`${iso[1]}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const nanos = (iso[2] ?? '').padEnd(9, '0');
  return { epochMs: ms + Number(nanos.slice(0, 3)), nanos };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatUtc(t: AlertInstant): string | undefined {
  if (t.epochMs === undefined) return undefined;
  const d = new Date(t.epochMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${t.nanos} UTC`;
}

/** Local time of the machine running the editor, with its UTC offset. */
export function formatLocal(t: AlertInstant): string | undefined {
  if (t.epochMs === undefined) return undefined;
  const d = new Date(t.epochMs);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${t.nanos} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}

/** Seconds from `earlier` to `later`, or undefined when they cannot be compared. Text times wrap at midnight. */
export function secondsBetween(earlier: AlertInstant, later: AlertInstant): number | undefined {
  if (earlier.epochMs !== undefined && later.epochMs !== undefined) {
    const whole = (later.epochMs - earlier.epochMs) / 1000;
    const fine = (Number(later.nanos.slice(3)) - Number(earlier.nanos.slice(3))) / 1e9;
    return whole + fine;
  }
  if (earlier.secondsOfDay !== undefined && later.secondsOfDay !== undefined) {
    const d = later.secondsOfDay - earlier.secondsOfDay;
    return d < 0 ? d + 86400 : d;
  }
  return undefined;
}

export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 1e-3) return `${Math.round(s * 1e6)} µs`;
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 3 : 1)} ms`;
  if (s < 60) return `${s.toFixed(s < 10 ? 3 : 1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.round((s % 86400) / 3600)} h`;
}
