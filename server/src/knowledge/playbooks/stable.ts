// Playbooks of the rules in the stable set. Written for Falco Lens; facts only from the rules files.
import type { Playbook } from '../types';

export const STABLE_PLAYBOOKS: Playbook[] = [];
