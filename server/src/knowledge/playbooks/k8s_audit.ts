// Playbooks of the rules in the k8s_audit set. Written for Falco Lens; facts only from the rules files.
import type { Playbook } from '../types';

export const K8S_AUDIT_PLAYBOOKS: Playbook[] = [];
