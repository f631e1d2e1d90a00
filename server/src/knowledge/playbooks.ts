// Every playbook, in rules-file order: stable, incubating and sandbox official rules, then plugin rules.
import type { Playbook } from './types';
import { STABLE_PLAYBOOKS } from './playbooks/stable';
import { INCUBATING_PLAYBOOKS } from './playbooks/incubating';
import { SANDBOX_PLAYBOOKS } from './playbooks/sandbox';
import { K8S_AUDIT_PLAYBOOKS } from './playbooks/k8s_audit';
import { AWS_CLOUDTRAIL_PLAYBOOKS } from './playbooks/aws_cloudtrail';

export const PLAYBOOKS: Playbook[] = [
  ...STABLE_PLAYBOOKS, ...INCUBATING_PLAYBOOKS, ...SANDBOX_PLAYBOOKS, ...K8S_AUDIT_PLAYBOOKS, ...AWS_CLOUDTRAIL_PLAYBOOKS,
];
