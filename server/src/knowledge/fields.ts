// The field catalog: every field Falco 0.44 accepts in the syscall source (libsinsp, container and k8smeta plugins)
// and in the plugin sources that have official rules (k8s_audit, aws_cloudtrail, gcp_auditlog, okta, github, plus the
// json plugin those rules load). The data lives in ./fields/*.ts, one module per provider; services read it through
// ./index.ts (lookupField, fieldsForSource, ...).
import type { FieldInfo } from './types';
import { SYSCALL_FIELDS } from './fields/syscall';
import { CONTAINER_FIELDS } from './fields/container';
import { K8S_AUDIT_FIELDS, JSON_FIELDS } from './fields/k8saudit';
import { CLOUDTRAIL_FIELDS, GCP_AUDITLOG_FIELDS, OKTA_FIELDS, GITHUB_FIELDS } from './fields/cloud';

export const FIELDS: FieldInfo[] = [
  ...SYSCALL_FIELDS, ...CONTAINER_FIELDS, ...K8S_AUDIT_FIELDS, ...JSON_FIELDS,
  ...CLOUDTRAIL_FIELDS, ...GCP_AUDITLOG_FIELDS, ...OKTA_FIELDS, ...GITHUB_FIELDS,
];
