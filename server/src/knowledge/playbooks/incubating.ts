// Playbooks of the rules in the incubating set. Written for Falco Lens; facts only from the rules files.
import type { Playbook } from '../types';

export const INCUBATING_PLAYBOOKS: Playbook[] = [];
