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

/** Seconds from `earlier` to `later`, or undefined when they cannot be compared. */
export function secondsBetween(earlier: AlertInstant, later: AlertInstant): number | undefined {
  if (earlier.epochMs !== undefined && later.epochMs !== undefined) {
    const whole = (later.epochMs - earlier.epochMs) / 1000;
    const fine = (Number(later.nanos.slice(3)) - Number(earlier.nanos.slice(3))) / 1e9;
    return whole + fine;
  }
  // Times of day without a date (text alerts): the difference within the day, negative when the later alert's time
  // is earlier, which is an alert out of time order or one after midnight (the caller says both).
  if (earlier.secondsOfDay !== undefined && later.secondsOfDay !== undefined) return later.secondsOfDay - earlier.secondsOfDay;
  return undefined;
}

export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 1e-3) return `${Math.round(s * 1e6)} µs`;
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 3 : 1)} ms`;
  if (s < 59.95) return `${s.toFixed(s < 10 ? 3 : 1)} s`;
  // Rounded to the smaller unit shown before it is split, so that no part reads 60 (`1 min 60 s` for 119.6 s).
  const sec = Math.round(s);
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${sec % 60} s`;
  const min = Math.round(s / 60);
  if (min < 1440) return `${Math.floor(min / 60)} h ${min % 60} min`;
  const h = Math.round(s / 3600);
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
