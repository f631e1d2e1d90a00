// Placeholder seed; the complete table replaces this file.
import type { MitreEntry } from './types';
export const MITRE: MitreEntry[] = [];
