// Playbooks of the rules in the sandbox set. Written for Falco Lens; facts only from the rules files.
import type { Playbook } from '../types';

export const SANDBOX_PLAYBOOKS: Playbook[] = [];
