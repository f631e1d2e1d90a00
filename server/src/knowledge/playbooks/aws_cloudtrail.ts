// Playbooks of the rules in the aws_cloudtrail set. Written for Falco Lens; facts only from the rules files.
import type { Playbook } from '../types';

export const AWS_CLOUDTRAIL_PLAYBOOKS: Playbook[] = [];
