// Placeholder seed; the complete catalog replaces this file.
import type { FieldInfo } from './types';
export const FIELDS: FieldInfo[] = [
  { name: 'proc.name', type: 'CHARBUF', sources: ['syscall'], desc: 'Name of the executable that generated the event, without its path.' },
  { name: 'evt.type', type: 'CHARBUF', sources: ['syscall'], desc: 'Name of the system call or event.' },
];
