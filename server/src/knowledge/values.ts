// Placeholder seed; the complete table replaces this file.
import type { ValueMeaning } from './types';
export const VALUE_MEANINGS: ValueMeaning[] = [];
