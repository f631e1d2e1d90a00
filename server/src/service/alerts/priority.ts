// Falco's priority order (falco_common::priority_type): 0 is the most severe. Text output prints the long names;
// parsing is case-insensitive and accepts `info` (Falco, falcosidekick) as an alias of Informational.
import type { AlertsProblemsLevel } from '../host';

export const PRIORITY_NAMES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

/** What each priority asks of the reader; written for this project. */
export const PRIORITY_MEANINGS: readonly string[] = [
  'the system is unusable or under active compromise; act at once',
  'immediate action is needed',
  'a critical condition: a strong sign of compromise or of a dangerous change',
  'an error condition: activity that should not happen on a healthy system',
  'suspicious activity that needs a look',
  'a normal but significant event worth recording',
  'informational: context for an investigation, rarely actionable alone',
  'debugging detail, mostly for rule authors',
];

export function parsePriority(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w === 'info') return 6;
  const i = PRIORITY_NAMES.findIndex((p) => p.toLowerCase() === w);
  return i >= 0 ? i : undefined;
}

/** The least severe priority shown in the Problems view for a setting value, or -1 for off. */
export function problemsThreshold(level: AlertsProblemsLevel): number {
  if (level === 'off') return -1;
  return parsePriority(level) ?? 2;
}
