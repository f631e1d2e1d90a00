// Placeholder seed; the playbooks replace this file.
import type { Playbook } from './types';
export const PLAYBOOKS: Playbook[] = [];
