// Playbooks of the rules in the aws_cloudtrail set (falcosecurity/plugins cloudtrail/rules/aws_cloudtrail_rules.yaml).
// Written for Falco Lens from the rules' conditions and the cloudtrail plugin's field extraction; the rules' own
// descriptions are not reused. The rules carry no MITRE tags, so the ATT&CK ids below are our mapping.
// Every AWS command below is read-only unless marked changesSystem; option names were checked against the AWS CLI.
import type { Mitigation, Playbook, ShellCommand } from '../types';

const FILE = 'aws_cloudtrail_rules.yaml';

type Entry = Omit<Playbook, 'source' | 'file'>;

function playbook(entry: Entry): Playbook {
  return { ...entry, source: 'aws_cloudtrail', file: FILE };
}

// ---------------------------------------------------------------------------------------------------------------
// Tuning: an exception appended to the rule (the rules define none of their own). `<field.name>` values are filled
// from the alert.

function exceptionTuning(rule: string, name: string, summary: string, fields: string[]): Playbook['tuning'] {
  const yaml = [
    `- rule: ${rule}`,
    '  exceptions:',
    `    - name: ${name}`,
    `      fields: [${fields.join(', ')}]`,
    '      values:',
    `        - [${fields.map((f) => `<${f}>`).join(', ')}]`,
    '  override:',
    '    exceptions: append',
    '',
  ].join('\n');
  return { summary, yaml };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared key fields and investigation steps.

const F = {
  user: { field: 'ct.user', meaning: 'Who made the call: the IAM user name; for an assumed role the role name (not the session); for an AWS service the service; `<NA>` when the event carries no user name.' },
  srcip: { field: 'ct.srcip', meaning: 'Where the call came from: a public or VPC address, or a service name such as `ec2.amazonaws.com` when an AWS service called on the user\'s behalf.' },
  region: { field: 'ct.region', meaning: 'The AWS region that received the call; IAM calls are recorded in us-east-1, console sign-ins in the region of the sign-in endpoint used.' },
  bucket: { field: 's3.bucket', meaning: 'The S3 bucket the call acted on.' },
  functionName: { field: 'ct.request.functionname', meaning: 'The Lambda function named in the request (name or ARN).' },
  cluster: { field: 'ct.request.cluster', meaning: 'The ECS cluster named in the request; `<NA>` means the default cluster.' },
  taskDefinition: { field: 'ct.request.taskdefinition', meaning: 'The task definition (family:revision or ARN): images, roles and settings of the containers.' },
  trail: { field: 'ct.request.name', meaning: 'The trail named in the request.' },
};

function lookupByEvent(eventName: string): ShellCommand {
  return {
    command: `aws cloudtrail lookup-events --region <ct.region> --lookup-attributes AttributeKey=EventName,AttributeValue=${eventName} --max-items 50`,
    purpose: `Lists the recent ${eventName} calls in the region (the last 90 days of management events), to see who else did the same and how often.`,
  };
}

const LOOKUP_BY_USER: ShellCommand = {
  command: 'aws cloudtrail lookup-events --region <ct.region> --lookup-attributes AttributeKey=Username,AttributeValue=<ct.user> --max-items 50',
  purpose: 'Lists the other recent calls of the same identity, to see what it did before and after.',
};

function userInvestigation(userField: string): ShellCommand[] {
  return [
    { command: `aws iam get-user --user-name <${userField}>`, purpose: 'Shows the IAM user: creation date, path, last password use.' },
    { command: `aws iam list-attached-user-policies --user-name <${userField}>`, purpose: 'Lists the managed policies attached to the user.' },
    { command: `aws iam list-groups-for-user --user-name <${userField}>`, purpose: 'Lists the groups the user inherits permissions from.' },
    { command: `aws iam list-access-keys --user-name <${userField}>`, purpose: 'Lists the user\'s access keys and when they were created.' },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Shared mitigations (policies as text: applied through AWS Organizations or IAM, not by a command shown here).

function scp(sid: string, actions: string[], why: string, allowedRole = '<admin-role-name>'): Mitigation {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Sid: sid,
      Effect: 'Deny',
      Action: actions,
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${allowedRole}` } },
    }],
  }, null, 2) + '\n';
  return {
    summary: `${why} A service control policy (AWS Organizations) keeps these calls to one administrative role in every member account, whatever IAM grants; it does not apply to the management account.`,
    config: { language: 'text', title: `Service control policy ${sid} (JSON)`, text },
  };
}

const REQUIRE_MFA: Mitigation = {
  summary: 'Deny everything except setting up MFA to IAM users who signed in without MFA. Attach it to the group of console users; note that it also blocks their long-term access keys, which carry no MFA.',
  config: {
    language: 'text',
    title: 'IAM policy require-mfa (JSON)',
    text: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'DenyWithoutMfaExceptMfaSetup',
        Effect: 'Deny',
        NotAction: [
          'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices',
          'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'iam:ChangePassword', 'sts:GetSessionToken',
        ],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      }],
    }, null, 2) + '\n',
  },
  commands: [{
    command: 'aws iam put-group-policy --group-name <console-users-group> --policy-name require-mfa --policy-document file://require-mfa.json',
    purpose: 'Attaches the policy above, saved as require-mfa.json, to the group of console users.',
    changesSystem: true,
  }],
};

const DENY_ROOT: Mitigation = {
  summary: 'Keep root unusable in member accounts: a service control policy that denies every action to the root user (it does not apply to the management account, whose root needs a hardware MFA device and a sealed password). Enable MFA on root in the console (Security credentials page); there is no CLI for root MFA.',
  config: {
    language: 'text',
    title: 'Service control policy DenyRootUser (JSON)',
    text: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'DenyRootUser',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
      }],
    }, null, 2) + '\n',
  },
};

const BUCKET_PUBLIC_ACCESS_BLOCK: Mitigation = {
  summary: 'Turn all four S3 Block Public Access settings back on for the bucket, and for the whole account, so no ACL or policy can make data public.',
  commands: [
    { command: 'aws s3api put-public-access-block --bucket <s3.bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true', purpose: 'Blocks public ACLs and policies on the bucket.', changesSystem: true },
    { command: 'aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true', purpose: 'Blocks public ACLs and policies on every bucket of the account.', changesSystem: true },
  ],
};

const PROTECT_CLOUDTRAIL = scp('ProtectCloudTrail',
  ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:CreateTrail'],
  'Only the security team may create, change, stop or delete trails.');

const LAMBDA_CODE_SIGNING: Mitigation = {
  summary: 'Enforce code signing on the function so only packages signed by your signing profile deploy (zip packages only; container-image functions are not covered). Create the configuration once, then attach it.',
  commands: [
    { command: 'aws lambda create-code-signing-config --region <ct.region> --allowed-publishers SigningProfileVersionArns=<signing-profile-version-arn> --code-signing-policies UntrustedArtifactOnDeployment=Enforce', purpose: 'Creates a code signing configuration that rejects unsigned or foreign-signed code.', changesSystem: true },
    { command: 'aws lambda put-function-code-signing-config --region <ct.region> --function-name <ct.request.functionname> --code-signing-config-arn <code-signing-config-arn>', purpose: 'Attaches it to the function.', changesSystem: true },
  ],
};

const LAMBDA_INVESTIGATION: ShellCommand[] = [
  { command: 'aws lambda get-function-configuration --region <ct.region> --function-name <ct.request.functionname>', purpose: 'Shows the runtime, execution role, environment variables, layers and last modification of the function.' },
  { command: 'aws lambda get-policy --region <ct.region> --function-name <ct.request.functionname>', purpose: 'Shows the resource policy: who may invoke the function (look for `*` principals).' },
  { command: 'aws lambda get-function-url-config --region <ct.region> --function-name <ct.request.functionname>', purpose: 'Shows whether the function has a public URL and its auth type (NONE means anyone can call it).' },
];

// ---------------------------------------------------------------------------------------------------------------

export const AWS_CLOUDTRAIL_PLAYBOOKS: Playbook[] = [
  playbook({
    rule: 'All Cloudtrail Events',
    detects: 'Every CloudTrail event the plugin reads, once enabled. Disabled by default; meant for checking that events reach Falco.',
    attackerGoal: 'None: a debugging rule, not a detection.',
    mitre: [],
    keyFields: [
      { field: 'evt.num', meaning: 'The event\'s sequence number in this Falco run.' },
      { field: 'evt.plugininfo', meaning: 'The plugin\'s one-line summary of the event: who, from where, what, and whether it failed.' },
      { field: 'ct.id', meaning: 'The CloudTrail event ID.' },
      { field: 'ct.error', meaning: 'The error code of a failed call; `<NA>` when the call succeeded.' },
    ],
    benignCauses: ['Every event: this rule is enabled only to test the CloudTrail pipeline.'],
    investigate: [
      { command: 'aws cloudtrail describe-trails', purpose: 'Lists the trails and the S3 buckets they deliver to, to check the plugin reads the right one.' },
      { command: 'aws cloudtrail get-trail-status --name <trail-name>', purpose: 'Shows whether the trail is logging and when it last delivered.' },
    ],
    mitigations: [],
    tuning: {
      summary: 'To test the pipeline, enable the rule for a short time (it matches every event) and remove the override afterwards.',
      yaml: [
        '- rule: All Cloudtrail Events',
        '  enabled: true',
        '  override:',
        '    enabled: replace',
        '',
      ].join('\n'),
    },
  }),

  playbook({
    rule: 'Console Login Through Assume Role',
    detects: 'A successful AWS console sign-in by an assumed-role identity: federated users (IAM Identity Center, SAML or OIDC) and role switching.',
    attackerGoal: 'A console session through a role, e.g. with phished identity-provider credentials, gives interactive access with the role\'s permissions.',
    mitre: ['T1078.004', 'TA0001'],
    keyFields: [
      { field: 'ct.user.principalid', meaning: 'The role\'s unique ID followed by the session name (often the person\'s e-mail or user name).' },
      { field: 'ct.user.arn', meaning: 'The session ARN: arn:aws:sts::<account>:assumed-role/<role>/<session>; the role name tells which permissions were used.' },
      F.srcip, F.region,
    ],
    benignCauses: [
      'Every console sign-in of people who use single sign-on: in such accounts this is normal activity.',
      'Administrators switching roles in the console.',
    ],
    investigate: [
      lookupByEvent('ConsoleLogin'),
      { command: 'aws iam get-role --role-name <role-name>', purpose: 'Shows the role (the name inside the ARN after assumed-role/) with its trust policy: who may assume it.' },
      { command: 'aws iam list-attached-role-policies --role-name <role-name>', purpose: 'Lists the permissions the session had.' },
    ],
    mitigations: [{
      summary: 'Require MFA at the identity provider, and limit where the role can be used from: a policy on the role that denies calls from outside your networks (calls made by AWS services on your behalf are exempt).',
      config: {
        language: 'text',
        title: 'IAM policy deny-outside-corporate-network (JSON), attached to the role',
        text: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Sid: 'DenyOutsideCorporateNetwork',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { NotIpAddress: { 'aws:SourceIp': ['<corporate-cidr>'] }, Bool: { 'aws:ViaAWSService': 'false' } },
          }],
        }, null, 2) + '\n',
      },
    }],
    tuning: exceptionTuning('Console Login Through Assume Role', 'allow_sso_role_from_office', 'Accept sign-ins to this role from this address (ct.user is the role name). Sign-ins from elsewhere still alert.', ['ct.user', 'ct.srcip']),
  }),

  playbook({
    rule: 'Console Login Without MFA',
    detects: 'A successful console sign-in without MFA by an identity that is not an assumed role, such as an IAM user or the root user.',
    attackerGoal: 'Without MFA a stolen or guessed password alone opens the console.',
    mitre: ['T1078.004', 'TA0001'],
    keyFields: [F.user, F.srcip, F.region],
    benignCauses: [
      'IAM users who never registered an MFA device.',
      'Break-glass users whose MFA is held elsewhere (these should still use MFA).',
    ],
    investigate: [
      { command: 'aws iam list-mfa-devices --user-name <ct.user>', purpose: 'Shows whether the user has any MFA device.' },
      { command: 'aws iam get-login-profile --user-name <ct.user>', purpose: 'Shows that the user has a console password and when it was created.' },
      LOOKUP_BY_USER,
      ...userInvestigation('ct.user').slice(1, 3),
    ],
    mitigations: [REQUIRE_MFA],
    tuning: exceptionTuning('Console Login Without MFA', 'allow_user_from_office', 'Accept this user only from this address, e.g. a kiosk account without MFA on a fixed network. Prefer enrolling MFA.', ['ct.user', 'ct.srcip']),
  }),

  playbook({
    rule: 'Console Root Login Without MFA',
    detects: 'A successful console sign-in by the account\'s root user without MFA.',
    attackerGoal: 'Root can do anything in the account, including closing it and changing its contact details; without MFA its password is the only barrier.',
    mitre: ['T1078.004', 'T1078.001', 'TA0001', 'TA0004'],
    keyFields: [F.user, F.srcip, F.region],
    benignCauses: [
      'An owner doing one of the few tasks that need root (billing or support plan changes) on an account whose root has no MFA yet.',
      'First use of the root user of an account created through AWS Organizations, reached by a password reset.',
    ],
    investigate: [
      { command: 'aws iam get-account-summary --query SummaryMap.AccountMFAEnabled', purpose: 'Shows 1 when the root user has MFA, 0 when not.' },
      lookupByEvent('ConsoleLogin'),
      { command: 'aws iam list-virtual-mfa-devices --assignment-status Assigned', purpose: 'Lists assigned virtual MFA devices; a root device shows the root ARN as user.' },
    ],
    mitigations: [DENY_ROOT],
    tuning: exceptionTuning('Console Root Login Without MFA', 'allow_root_from_office', 'Accept root sign-ins without MFA only from this address. Enabling MFA on root is the real fix.', ['ct.user.accountid', 'ct.srcip']),
  }),

  playbook({
    rule: 'Deactivate MFA for Root User',
    detects: 'A successful DeactivateMFADevice call made by the root user on the root user\'s own MFA device.',
    attackerGoal: 'Removing root MFA makes the account\'s most powerful credential a password alone, for later or shared use.',
    mitre: ['T1556.006', 'TA0006', 'TA0005', 'TA0003'],
    keyFields: [F.user, F.srcip, F.region,
      { field: 'ct.request.serialnumber', meaning: 'The serial number or ARN of the MFA device that was deactivated.' }],
    benignCauses: [
      'Replacing a lost or broken MFA device (a new device should be enabled right after).',
      'Moving root MFA to a hardware key or to another custodian during an ownership handover.',
    ],
    investigate: [
      { command: 'aws iam get-account-summary --query SummaryMap.AccountMFAEnabled', purpose: 'Shows whether root has any MFA left (1) or none (0).' },
      lookupByEvent('DeactivateMFADevice'),
      lookupByEvent('ConsoleLogin'),
    ],
    mitigations: [DENY_ROOT],
    tuning: exceptionTuning('Deactivate MFA for Root User', 'allow_root_mfa_replacement', 'Accept a planned MFA replacement for this account from this address; remove the exception afterwards.', ['ct.user.accountid', 'ct.srcip']),
  }),

  playbook({
    rule: 'Create AWS user',
    detects: 'A successful CreateUser call, i.e. a new IAM user.',
    attackerGoal: 'A new IAM user with its own keys or password is a backdoor that outlives the credentials used to break in.',
    mitre: ['T1136.003', 'TA0003'],
    keyFields: [F.user, F.srcip, F.region, { field: 'ct.request.username', meaning: 'The name of the new IAM user.' }],
    benignCauses: [
      'Onboarding through an identity pipeline or infrastructure-as-code.',
      'Service users created for third-party tools that cannot use roles.',
    ],
    investigate: [
      ...userInvestigation('ct.request.username'),
      { command: 'aws iam get-login-profile --user-name <ct.request.username>', purpose: 'Shows whether the new user got a console password.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [scp('DenyIamUserCreation', ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'],
      'Give people and workloads roles (IAM Identity Center, instance or task roles) instead of IAM users, and let only the administrative role create users or their credentials.')],
    tuning: exceptionTuning('Create AWS user', 'allow_user_provisioning', 'Accept users created by this identity (e.g. the provisioning pipeline\'s role) with this identity type.', ['ct.user', 'ct.user.identitytype']),
  }),

  playbook({
    rule: 'Create Group',
    detects: 'A successful CreateGroup call, i.e. a new IAM user group.',
    attackerGoal: 'A new group with attached policies is a quiet way to grant permissions to users, including ones the attacker controls.',
    mitre: ['T1098', 'TA0003', 'TA0004'],
    keyFields: [F.user, F.srcip, F.region, { field: 'ct.request.groupname', meaning: 'The name of the new group.' }],
    benignCauses: ['Infrastructure-as-code or identity pipelines creating groups.', 'Administrators reorganising permissions.'],
    investigate: [
      { command: 'aws iam get-group --group-name <ct.request.groupname>', purpose: 'Shows the group and its members.' },
      { command: 'aws iam list-attached-group-policies --group-name <ct.request.groupname>', purpose: 'Lists the managed policies the group grants.' },
      { command: 'aws iam list-group-policies --group-name <ct.request.groupname>', purpose: 'Lists the inline policies of the group.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [scp('DenyIamGroupChanges', ['iam:CreateGroup', 'iam:DeleteGroup', 'iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:AddUserToGroup'],
      'Only the administrative role may create or change groups, their policies or their members.')],
    tuning: exceptionTuning('Create Group', 'allow_group_provisioning', 'Accept this group name when created by this identity.', ['ct.user', 'ct.request.groupname']),
  }),

  playbook({
    rule: 'Delete Group',
    detects: 'A successful DeleteGroup call, i.e. an IAM user group removed.',
    attackerGoal: 'Deleting a group removes the permissions of its members (disruption) or the traces of a group used in an attack.',
    mitre: ['T1531', 'TA0040'],
    keyFields: [F.user, F.srcip, F.region, { field: 'ct.request.groupname', meaning: 'The name of the deleted group.' }],
    benignCauses: ['Clean-up by infrastructure-as-code or administrators.', 'Retiring IAM groups after moving people to IAM Identity Center.'],
    investigate: [
      lookupByEvent('DeleteGroup'),
      lookupByEvent('RemoveUserFromGroup'),
      LOOKUP_BY_USER,
    ],
    mitigations: [scp('DenyIamGroupChanges', ['iam:CreateGroup', 'iam:DeleteGroup', 'iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:AddUserToGroup'],
      'Only the administrative role may create, change or delete groups.')],
    tuning: exceptionTuning('Delete Group', 'allow_group_cleanup', 'Accept deleting this group by this identity.', ['ct.user', 'ct.request.groupname']),
  }),

  playbook({
    rule: 'ECS Service Created',
    detects: 'A successful ECS CreateService call, i.e. a new long-running service of tasks.',
    attackerGoal: 'An ECS service keeps an attacker\'s containers running (mining, a backdoor) and restarts them when they stop.',
    mitre: ['T1610', 'T1496', 'TA0002', 'TA0040'],
    keyFields: [F.user, F.srcip, F.region, F.cluster,
      { field: 'ct.request.servicename', meaning: 'The name of the new service.' }, F.taskDefinition],
    benignCauses: ['Deployments by infrastructure-as-code or CI/CD pipelines.', 'Blue/green deployments that create a new service per release.'],
    investigate: [
      { command: 'aws ecs describe-services --region <ct.region> --cluster <ct.request.cluster> --services <ct.request.servicename>', purpose: 'Shows the service: desired count, network settings and deployments.' },
      { command: 'aws ecs describe-task-definition --region <ct.region> --task-definition <ct.request.taskdefinition>', purpose: 'Shows the images, task and execution roles, and privileged or host settings of the containers.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [scp('RestrictEcsDeployments', ['ecs:CreateService', 'ecs:UpdateService', 'ecs:RunTask', 'ecs:StartTask', 'ecs:RegisterTaskDefinition'],
      'Only the deployment role may create services, run tasks or register task definitions.', '<deploy-role-name>')],
    tuning: exceptionTuning('ECS Service Created', 'allow_pipeline_services', 'Accept services created by this identity (e.g. the deployment role) in this cluster.', ['ct.user', 'ct.request.cluster']),
  }),

  playbook({
    rule: 'ECS Task Run or Started',
    detects: 'A successful ECS RunTask or StartTask call, i.e. tasks started outside a service.',
    attackerGoal: 'A one-off task runs any image with the task role\'s permissions, for mining or to act with that role.',
    mitre: ['T1610', 'T1496', 'TA0002', 'TA0040'],
    keyFields: [F.user, F.srcip, F.region, F.cluster, F.taskDefinition],
    benignCauses: ['Scheduled tasks started by EventBridge rules.', 'Batch jobs and database migrations started by pipelines.'],
    investigate: [
      { command: 'aws ecs describe-task-definition --region <ct.region> --task-definition <ct.request.taskdefinition>', purpose: 'Shows the images and roles the task ran with.' },
      { command: 'aws ecs list-tasks --region <ct.region> --cluster <ct.request.cluster>', purpose: 'Lists the tasks still running in the cluster.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [scp('RestrictEcsDeployments', ['ecs:CreateService', 'ecs:UpdateService', 'ecs:RunTask', 'ecs:StartTask', 'ecs:RegisterTaskDefinition'],
      'Only the deployment role may run tasks, create services or register task definitions.', '<deploy-role-name>')],
    tuning: exceptionTuning('ECS Task Run or Started', 'allow_scheduled_tasks', 'Accept tasks started by this identity (e.g. the EventBridge role) in this cluster.', ['ct.user', 'ct.request.cluster']),
  }),

  playbook({
    rule: 'Create Lambda Function',
    detects: 'A successful Lambda CreateFunction call, i.e. a new function.',
    attackerGoal: 'A function runs attacker code with its execution role, on a schedule or trigger, without any server to find.',
    mitre: ['T1648', 'TA0002', 'TA0003'],
    keyFields: [F.user, F.srcip, F.region, F.functionName],
    benignCauses: ['Deployments by serverless frameworks, infrastructure-as-code or CI/CD.', 'AWS services and solutions that deploy helper functions.'],
    investigate: [...LAMBDA_INVESTIGATION, LOOKUP_BY_USER],
    mitigations: [scp('RestrictLambdaDeployments', ['lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:AddPermission', 'lambda:CreateFunctionUrlConfig'],
      'Only the deployment role may create or change functions, their permissions or public URLs.', '<deploy-role-name>'), LAMBDA_CODE_SIGNING],
    tuning: exceptionTuning('Create Lambda Function', 'allow_pipeline_functions', 'Accept this function when created by this identity (e.g. the deployment role).', ['ct.user', 'ct.request.functionname']),
  }),

  playbook({
    rule: 'Update Lambda Function Code',
    detects: 'A successful Lambda UpdateFunctionCode call, i.e. new code deployed to an existing function.',
    attackerGoal: 'Replacing a trusted function\'s code backdoors it while keeping its triggers and role.',
    mitre: ['T1648', 'TA0002', 'TA0003'],
    keyFields: [F.user, F.srcip, F.region, F.functionName],
    benignCauses: ['Releases by CI/CD or serverless frameworks.', 'Developers deploying from their machines to development accounts.'],
    investigate: [
      ...LAMBDA_INVESTIGATION.slice(0, 1),
      { command: 'aws lambda list-versions-by-function --region <ct.region> --function-name <ct.request.functionname>', purpose: 'Lists published versions with their code hashes, to compare with the last known-good release.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [LAMBDA_CODE_SIGNING, scp('RestrictLambdaDeployments', ['lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:AddPermission', 'lambda:CreateFunctionUrlConfig'],
      'Only the deployment role may change function code or settings.', '<deploy-role-name>')],
    tuning: exceptionTuning('Update Lambda Function Code', 'allow_pipeline_releases', 'Accept code updates of this function by this identity.', ['ct.user', 'ct.request.functionname']),
  }),

  playbook({
    rule: 'Update Lambda Function Configuration',
    detects: 'A successful Lambda UpdateFunctionConfiguration call: a changed execution role, environment variables, layers, handler, network or timeout.',
    attackerGoal: 'A new layer or handler injects code, a new role grants more permissions, and environment variables can redirect the function or leak its secrets.',
    mitre: ['T1648', 'TA0002', 'TA0003', 'TA0004'],
    keyFields: [F.user, F.srcip, F.region, F.functionName],
    benignCauses: ['Releases by CI/CD that also update settings.', 'Operators tuning memory or timeout.'],
    investigate: [...LAMBDA_INVESTIGATION.slice(0, 2), LOOKUP_BY_USER],
    mitigations: [scp('RestrictLambdaDeployments', ['lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:AddPermission', 'lambda:CreateFunctionUrlConfig'],
      'Only the deployment role may change function settings; also limit iam:PassRole so it can pass only the functions\' own roles.', '<deploy-role-name>')],
    tuning: exceptionTuning('Update Lambda Function Configuration', 'allow_pipeline_config', 'Accept configuration updates of this function by this identity.', ['ct.user', 'ct.request.functionname']),
  }),

  playbook({
    rule: 'Run Instances',
    detects: 'A successful EC2 RunInstances call, i.e. new instances launched in any region.',
    attackerGoal: 'New instances, often large GPU types, mine cryptocurrency on the victim\'s bill or host attacker tools.',
    mitre: ['T1578.002', 'T1496', 'TA0005', 'TA0040'],
    keyFields: [F.user, F.srcip, F.region,
      { field: 'ct.request.availabilityzone', meaning: 'The availabilityZone request parameter; `<NA>` when the request does not carry one at the top level (the zone then follows from the subnet or placement).' },
      { field: 'ct.response.subnetid', meaning: 'The subnetId element of the response; RunInstances reports the subnet per instance, so this is often `<NA>` (read the instances instead).' },
      { field: 'ct.response.reservationid', meaning: 'The reservation that groups the instances launched by this call.' }],
    benignCauses: [
      'EC2 Auto Scaling (ct.user is then its service-linked role) and managed node groups.',
      'Infrastructure-as-code, CI runners and batch systems launching instances.',
    ],
    investigate: [
      { command: 'aws ec2 describe-instances --region <ct.region> --filters Name=reservation-id,Values=<ct.response.reservationid>', purpose: 'Shows the launched instances: type, image, instance profile, key pair, network.' },
      { command: 'aws ec2 describe-instance-attribute --region <ct.region> --instance-id <instance-id> --attribute userData', purpose: 'Shows the start-up script (base64) an instance received.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [{
      summary: 'Allow only the instance types you use, so stolen credentials cannot launch large or GPU instances.',
      config: {
        language: 'text',
        title: 'Service control policy RestrictInstanceTypes (JSON)',
        text: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Sid: 'RestrictInstanceTypes',
            Effect: 'Deny',
            Action: 'ec2:RunInstances',
            Resource: 'arn:aws:ec2:*:*:instance/*',
            Condition: { StringNotEquals: { 'ec2:InstanceType': ['<instance-type>'] } },
          }],
        }, null, 2) + '\n',
      },
    }],
    tuning: exceptionTuning('Run Instances', 'allow_autoscaling', 'Accept launches by this identity (e.g. the Auto Scaling service-linked role) in this region.', ['ct.user', 'ct.region']),
  }),

  playbook({
    rule: 'Run Instances in Non-approved Region',
    detects: 'A successful EC2 RunInstances call in a region that is not in the approved_regions list. The shipped list holds only the placeholder `us-east-0`, which is not a real region, so every launch alerts until you set your regions.',
    attackerGoal: 'Instances in regions nobody watches run longer before anyone notices them.',
    mitre: ['T1535', 'T1578.002', 'T1496', 'TA0005', 'TA0040'],
    keyFields: [F.user, F.srcip, F.region,
      { field: 'ct.request.availabilityzone', meaning: 'The availabilityZone request parameter; `<NA>` when the request does not carry one at the top level.' },
      { field: 'ct.response.subnetid', meaning: 'The subnetId element of the response; RunInstances reports the subnet per instance, so this is often `<NA>` (read the instances instead).' },
      { field: 'ct.response.reservationid', meaning: 'The reservation that groups the launched instances.' },
      { field: 'json.value[/responseElements/instancesSet/items/0/instanceId]', meaning: 'The ID of the first launched instance (printed as "image id" by the rule, but it is the instance ID).' }],
    benignCauses: [
      'approved_regions not set yet (the default holds no real region).',
      'A new region adopted for disaster recovery or latency.',
    ],
    investigate: [
      { command: 'aws ec2 describe-instances --region <ct.region> --filters Name=reservation-id,Values=<ct.response.reservationid>', purpose: 'Shows the launched instances: type, image, instance profile, key pair.' },
      { command: 'aws ec2 describe-instances --region <ct.region> --filters Name=instance-state-name,Values=running', purpose: 'Lists every running instance of that region, including others launched the same way.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [{
      summary: 'Refuse launches outside your regions with a service control policy on aws:RequestedRegion.',
      config: {
        language: 'text',
        title: 'Service control policy DenyRunInstancesOutsideApprovedRegions (JSON)',
        text: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Sid: 'DenyRunInstancesOutsideApprovedRegions',
            Effect: 'Deny',
            Action: 'ec2:RunInstances',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:RequestedRegion': ['<approved-region>'] } },
          }],
        }, null, 2) + '\n',
      },
    }],
    tuning: {
      summary: 'Approve the region of this alert by appending it to approved_regions (the list the rule checks).',
      yaml: [
        '- list: approved_regions',
        '  items: [<ct.region>]',
        '  override:',
        '    items: append',
        '',
      ].join('\n'),
    },
  }),

  playbook({
    rule: 'Delete Bucket Encryption',
    detects: 'A successful DeleteBucketEncryption call. S3 then falls back to its default encryption with S3-managed keys (SSE-S3) for new objects, dropping any KMS key the bucket used.',
    attackerGoal: 'Without the bucket\'s KMS key, new objects are readable by anyone with S3 read access, no longer also needing permission on the key.',
    mitre: ['T1562', 'TA0005'],
    keyFields: [F.user, F.srcip, F.region, F.bucket],
    benignCauses: ['Infrastructure-as-code replacing the encryption configuration.', 'Test buckets being reset.'],
    investigate: [
      { command: 'aws s3api get-bucket-encryption --bucket <s3.bucket>', purpose: 'Shows the bucket\'s current default encryption.' },
      { command: 'aws s3api get-bucket-policy --bucket <s3.bucket>', purpose: 'Shows the bucket policy, e.g. whether it required KMS encryption on upload.' },
      lookupByEvent('DeleteBucketEncryption'),
      LOOKUP_BY_USER,
    ],
    mitigations: [
      {
        summary: 'Restore default encryption with your KMS key: save the configuration below as bucket-encryption.json and apply it.',
        config: {
          language: 'text',
          title: 'bucket-encryption.json',
          text: JSON.stringify({
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: '<kms-key-arn>' }, BucketKeyEnabled: true }],
          }, null, 2) + '\n',
        },
        commands: [{
          command: 'aws s3api put-bucket-encryption --bucket <s3.bucket> --server-side-encryption-configuration file://bucket-encryption.json',
          purpose: 'Sets SSE-KMS with your key as the bucket\'s default encryption.', changesSystem: true,
        }],
      },
      scp('ProtectBucketEncryption', ['s3:PutEncryptionConfiguration'], 'Only the administrative role may change or delete bucket encryption (both use the s3:PutEncryptionConfiguration permission).'),
    ],
    tuning: exceptionTuning('Delete Bucket Encryption', 'allow_bucket_reset', 'Accept this change on this bucket by this identity.', ['ct.user', 's3.bucket']),
  }),

  playbook({
    rule: 'Delete Bucket Public Access Block',
    detects: 'A successful PutBucketPublicAccessBlock call that turns at least one of the four Block Public Access settings off for a bucket. The DeleteBucketPublicAccessBlock call itself is not matched by this rule.',
    attackerGoal: 'With the block lifted, an ACL or bucket policy can make the data public for exfiltration, or for hosting attacker content.',
    mitre: ['T1530', 'TA0009', 'TA0010'],
    keyFields: [F.user, F.srcip, F.region, F.bucket],
    benignCauses: ['Buckets meant to be public (static websites, public datasets) being set up.', 'Infrastructure-as-code applying a configuration with one setting off.'],
    investigate: [
      { command: 'aws s3api get-public-access-block --bucket <s3.bucket>', purpose: 'Shows the four settings now in force for the bucket.' },
      { command: 'aws s3api get-bucket-policy-status --bucket <s3.bucket>', purpose: 'Shows whether S3 considers the bucket public.' },
      { command: 'aws s3api get-bucket-acl --bucket <s3.bucket>', purpose: 'Shows grants to AllUsers or AuthenticatedUsers.' },
      { command: 'aws s3control get-public-access-block --account-id <account-id>', purpose: 'Shows the account-wide settings: S3 applies them together with the bucket\'s, each setting on when either level turns it on, so an account-wide block still protects the bucket.' },
    ],
    mitigations: [BUCKET_PUBLIC_ACCESS_BLOCK, scp('ProtectPublicAccessBlock', ['s3:PutBucketPublicAccessBlock', 's3:PutAccountPublicAccessBlock'], 'Only the administrative role may change Block Public Access settings.')],
    tuning: exceptionTuning('Delete Bucket Public Access Block', 'allow_public_bucket', 'Accept this change on this bucket (e.g. a public website bucket) by this identity.', ['ct.user', 's3.bucket']),
  }),

  playbook({
    rule: 'List Buckets',
    detects: 'A successful ListBuckets call, i.e. the list of all buckets of the account. Disabled by default, as tools and consoles do this constantly.',
    attackerGoal: 'Listing buckets is a first reconnaissance step with new credentials, to find data worth stealing.',
    mitre: ['T1619', 'TA0007'],
    keyFields: [F.user, F.srcip, F.region, { field: 'ct.request.host', meaning: 'The S3 endpoint the request was sent to.' }],
    benignCauses: ['The S3 console and most tools and SDK scripts listing buckets.', 'Backup, inventory and security tools.'],
    investigate: [LOOKUP_BY_USER, lookupByEvent('ListBuckets'), { command: "aws s3api list-buckets --query 'Buckets[].Name'", purpose: 'Shows the bucket names the caller saw, to judge what it may go after next.' }],
    mitigations: [{
      summary: 'Workload roles rarely need to list all buckets: deny s3:ListAllMyBuckets to them (IAM policy on the role) so stolen workload credentials cannot enumerate the account.',
      config: {
        language: 'text',
        title: 'IAM policy deny-list-all-buckets (JSON), attached to workload roles',
        text: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'DenyListAllBuckets', Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: '*' }],
        }, null, 2) + '\n',
      },
    }],
    tuning: {
      summary: 'The rule is disabled by default. Enable it where listing buckets is unusual (e.g. accounts used only by workloads), then add exceptions for known tools.',
      yaml: [
        '- rule: List Buckets',
        '  enabled: true',
        '  override:',
        '    enabled: replace',
        '',
      ].join('\n'),
    },
  }),

  playbook({
    rule: 'Put Bucket ACL',
    detects: 'A successful PutBucketAcl call, i.e. the access control list of a bucket replaced.',
    attackerGoal: 'An ACL can grant read or write to everyone, any AWS account, or an attacker\'s account, exposing the data.',
    mitre: ['T1530', 'TA0009'],
    keyFields: [F.user, F.srcip, F.region, F.bucket],
    benignCauses: ['Log delivery setups that grant the log delivery group write access (older configurations).', 'Tools that set a private canned ACL on creation.'],
    investigate: [
      { command: 'aws s3api get-bucket-acl --bucket <s3.bucket>', purpose: 'Shows the grants now in force.' },
      { command: 'aws s3api get-bucket-ownership-controls --bucket <s3.bucket>', purpose: 'Shows whether ACLs are disabled (BucketOwnerEnforced).' },
      { command: 'aws s3api get-bucket-policy-status --bucket <s3.bucket>', purpose: 'Shows whether S3 considers the bucket public.' },
    ],
    mitigations: [{
      summary: 'Disable ACLs on the bucket (Object Ownership: bucket owner enforced), so access is governed by policies only.',
      commands: [{ command: "aws s3api put-bucket-ownership-controls --bucket <s3.bucket> --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'", purpose: 'Turns ACLs off for the bucket and its objects.', changesSystem: true }],
    }, BUCKET_PUBLIC_ACCESS_BLOCK],
    tuning: exceptionTuning('Put Bucket ACL', 'allow_acl_change', 'Accept ACL changes on this bucket by this identity.', ['ct.user', 's3.bucket']),
  }),

  playbook({
    rule: 'Put Bucket Policy',
    detects: 'A successful PutBucketPolicy call, i.e. a bucket policy set or replaced.',
    attackerGoal: 'A policy can open the bucket to the public or to another account, for exfiltration or to plant data.',
    mitre: ['T1530', 'TA0009', 'TA0010'],
    keyFields: [F.user, F.srcip, F.region, F.bucket,
      { field: 'ct.request.policy', meaning: 'The new policy as JSON; look for `"Principal": "*"` or foreign account IDs.' }],
    benignCauses: ['Infrastructure-as-code applying bucket policies.', 'Services configuring log delivery or cross-account replication.'],
    investigate: [
      { command: 'aws s3api get-bucket-policy --bucket <s3.bucket>', purpose: 'Shows the policy now in force.' },
      { command: 'aws s3api get-bucket-policy-status --bucket <s3.bucket>', purpose: 'Shows whether the policy makes the bucket public.' },
      LOOKUP_BY_USER,
    ],
    mitigations: [BUCKET_PUBLIC_ACCESS_BLOCK, scp('ProtectBucketPolicies', ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'], 'Only the administrative role may change bucket policies.')],
    tuning: exceptionTuning('Put Bucket Policy', 'allow_policy_change', 'Accept policy changes on this bucket by this identity.', ['ct.user', 's3.bucket']),
  }),

  playbook({
    rule: 'CloudTrail Trail Created',
    detects: 'A successful CreateTrail call, i.e. a new trail.',
    attackerGoal: 'A trail delivering to a bucket in another account copies the account\'s activity out; a new trail can also stand in for one about to be deleted.',
    mitre: ['T1537', 'TA0010'],
    keyFields: [F.user, F.srcip, F.region, F.trail],
    benignCauses: ['Security teams or landing-zone tooling creating trails.', 'Organization trails being set up.'],
    investigate: [
      { command: 'aws cloudtrail get-trail --region <ct.region> --name <ct.request.name>', purpose: 'Shows where the trail delivers (bucket, prefix, account) and whether it is multi-region.' },
      { command: 'aws cloudtrail get-event-selectors --region <ct.region> --trail-name <ct.request.name>', purpose: 'Shows which events the trail records.' },
      { command: 'aws cloudtrail describe-trails --region <ct.region>', purpose: 'Lists all trails, to compare with the expected ones.' },
    ],
    mitigations: [PROTECT_CLOUDTRAIL],
    tuning: exceptionTuning('CloudTrail Trail Created', 'allow_landing_zone_trail', 'Accept this trail name when created by this identity (e.g. the landing-zone role).', ['ct.user', 'ct.request.name']),
  }),

  playbook({
    rule: 'CloudTrail Logging Disabled',
    detects: 'A successful StopLogging call, i.e. a trail that stops recording.',
    attackerGoal: 'Stopping the trail blinds the defenders before the attacker\'s next actions.',
    mitre: ['T1562.008', 'TA0005'],
    keyFields: [F.user, F.srcip, F.region, { field: 'ct.request.name', meaning: 'The trail that was stopped (name or ARN).' }],
    benignCauses: ['Retiring a trail during a migration to an organization trail.', 'Cost-saving changes in test accounts.'],
    investigate: [
      { command: 'aws cloudtrail get-trail-status --region <ct.region> --name <ct.request.name>', purpose: 'Shows whether the trail is logging now and when it stopped.' },
      lookupByEvent('StopLogging'),
      LOOKUP_BY_USER,
    ],
    mitigations: [
      {
        summary: 'Start the trail again and turn on log file validation, so later tampering with delivered logs is detectable.',
        commands: [
          { command: 'aws cloudtrail start-logging --region <ct.region> --name <ct.request.name>', purpose: 'Resumes logging.', changesSystem: true },
          { command: 'aws cloudtrail update-trail --region <ct.region> --name <ct.request.name> --enable-log-file-validation', purpose: 'Makes CloudTrail sign digest files for the delivered logs.', changesSystem: true },
        ],
      },
      PROTECT_CLOUDTRAIL,
    ],
    tuning: exceptionTuning('CloudTrail Logging Disabled', 'allow_test_trail_stop', 'Accept stopping this one trail by this identity (e.g. a test trail). Never except production trails.', ['ct.user', 'ct.request.name']),
  }),
];
