// MITRE ATT&CK for Enterprise: the tactics, techniques and sub-techniques that Falco rules files tag, plus the ones
// playbooks cite. Names as ATT&CK v18 writes them (the last release before the v19 split of TA0005 into "Stealth"
// and "Defense Impairment"; Falco rules still tag `mitre_defense_evasion`, so the v18 names are the ones that match).
// Sub-techniques carry the tactics of their parent technique.
import type { MitreEntry } from './types';

const RECONNAISSANCE = 'TA0043';
const RESOURCE_DEVELOPMENT = 'TA0042';
const INITIAL_ACCESS = 'TA0001';
const EXECUTION = 'TA0002';
const PERSISTENCE = 'TA0003';
const PRIVILEGE_ESCALATION = 'TA0004';
const DEFENSE_EVASION = 'TA0005';
const CREDENTIAL_ACCESS = 'TA0006';
const DISCOVERY = 'TA0007';
const LATERAL_MOVEMENT = 'TA0008';
const COLLECTION = 'TA0009';
const COMMAND_AND_CONTROL = 'TA0011';
const EXFILTRATION = 'TA0010';
const IMPACT = 'TA0040';

function tactic(id: string, name: string): MitreEntry {
  return { id, name, kind: 'tactic' };
}

function technique(id: string, name: string, tactics: string[]): MitreEntry {
  return { id, name, kind: id.includes('.') ? 'sub-technique' : 'technique', tactics };
}

export const MITRE: MitreEntry[] = [
  // The 14 enterprise tactics, in kill-chain order.
  tactic(RECONNAISSANCE, 'Reconnaissance'),
  tactic(RESOURCE_DEVELOPMENT, 'Resource Development'),
  tactic(INITIAL_ACCESS, 'Initial Access'),
  tactic(EXECUTION, 'Execution'),
  tactic(PERSISTENCE, 'Persistence'),
  tactic(PRIVILEGE_ESCALATION, 'Privilege Escalation'),
  tactic(DEFENSE_EVASION, 'Defense Evasion'),
  tactic(CREDENTIAL_ACCESS, 'Credential Access'),
  tactic(DISCOVERY, 'Discovery'),
  tactic(LATERAL_MOVEMENT, 'Lateral Movement'),
  tactic(COLLECTION, 'Collection'),
  tactic(COMMAND_AND_CONTROL, 'Command and Control'),
  tactic(EXFILTRATION, 'Exfiltration'),
  tactic(IMPACT, 'Impact'),

  // Reconnaissance and Resource Development
  technique('T1592', 'Gather Victim Host Information', [RECONNAISSANCE]),
  technique('T1595', 'Active Scanning', [RECONNAISSANCE]),
  technique('T1583', 'Acquire Infrastructure', [RESOURCE_DEVELOPMENT]),
  technique('T1584', 'Compromise Infrastructure', [RESOURCE_DEVELOPMENT]),
  technique('T1588', 'Obtain Capabilities', [RESOURCE_DEVELOPMENT]),
  technique('T1608', 'Stage Capabilities', [RESOURCE_DEVELOPMENT]),

  // Initial Access
  technique('T1078', 'Valid Accounts', [DEFENSE_EVASION, PERSISTENCE, PRIVILEGE_ESCALATION, INITIAL_ACCESS]),
  technique('T1078.001', 'Default Accounts', [DEFENSE_EVASION, PERSISTENCE, PRIVILEGE_ESCALATION, INITIAL_ACCESS]),
  technique('T1078.003', 'Local Accounts', [DEFENSE_EVASION, PERSISTENCE, PRIVILEGE_ESCALATION, INITIAL_ACCESS]),
  technique('T1078.004', 'Cloud Accounts', [DEFENSE_EVASION, PERSISTENCE, PRIVILEGE_ESCALATION, INITIAL_ACCESS]),
  technique('T1133', 'External Remote Services', [PERSISTENCE, INITIAL_ACCESS]),
  technique('T1190', 'Exploit Public-Facing Application', [INITIAL_ACCESS]),
  technique('T1195', 'Supply Chain Compromise', [INITIAL_ACCESS]),
  technique('T1195.001', 'Compromise Software Dependencies and Development Tools', [INITIAL_ACCESS]),
  technique('T1195.002', 'Compromise Software Supply Chain', [INITIAL_ACCESS]),
  technique('T1199', 'Trusted Relationship', [INITIAL_ACCESS]),

  // Execution
  technique('T1053', 'Scheduled Task/Job', [EXECUTION, PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1053.002', 'At', [EXECUTION, PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1053.003', 'Cron', [EXECUTION, PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1053.006', 'Systemd Timers', [EXECUTION, PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1053.007', 'Container Orchestration Job', [EXECUTION, PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1059', 'Command and Scripting Interpreter', [EXECUTION]),
  technique('T1059.004', 'Unix Shell', [EXECUTION]),
  technique('T1059.006', 'Python', [EXECUTION]),
  technique('T1059.007', 'JavaScript', [EXECUTION]),
  technique('T1059.009', 'Cloud API', [EXECUTION]),
  technique('T1072', 'Software Deployment Tools', [EXECUTION, LATERAL_MOVEMENT]),
  technique('T1106', 'Native API', [EXECUTION]),
  technique('T1129', 'Shared Modules', [EXECUTION]),
  technique('T1204', 'User Execution', [EXECUTION]),
  technique('T1204.003', 'Malicious Image', [EXECUTION]),
  technique('T1609', 'Container Administration Command', [EXECUTION]),
  technique('T1610', 'Deploy Container', [DEFENSE_EVASION, EXECUTION]),
  technique('T1648', 'Serverless Execution', [EXECUTION]),
  technique('T1651', 'Cloud Administration Command', [EXECUTION]),

  // Persistence and Privilege Escalation
  technique('T1037', 'Boot or Logon Initialization Scripts', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1037.004', 'RC Scripts', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1098', 'Account Manipulation', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1098.001', 'Additional Cloud Credentials', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1098.003', 'Additional Cloud Roles', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1098.004', 'SSH Authorized Keys', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1098.005', 'Device Registration', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1098.006', 'Additional Container Cluster Roles', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1098.007', 'Additional Local or Domain Groups', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1136', 'Create Account', [PERSISTENCE]),
  technique('T1136.001', 'Local Account', [PERSISTENCE]),
  technique('T1136.003', 'Cloud Account', [PERSISTENCE]),
  technique('T1205', 'Traffic Signaling', [DEFENSE_EVASION, PERSISTENCE, COMMAND_AND_CONTROL]),
  technique('T1205.001', 'Port Knocking', [DEFENSE_EVASION, PERSISTENCE, COMMAND_AND_CONTROL]),
  technique('T1505', 'Server Software Component', [PERSISTENCE]),
  technique('T1505.003', 'Web Shell', [PERSISTENCE]),
  technique('T1525', 'Implant Internal Image', [PERSISTENCE]),
  technique('T1543', 'Create or Modify System Process', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1543.002', 'Systemd Service', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1543.005', 'Container Service', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1546', 'Event Triggered Execution', [PRIVILEGE_ESCALATION, PERSISTENCE]),
  technique('T1546.004', 'Unix Shell Configuration Modification', [PRIVILEGE_ESCALATION, PERSISTENCE]),
  technique('T1546.005', 'Trap', [PRIVILEGE_ESCALATION, PERSISTENCE]),
  technique('T1547', 'Boot or Logon Autostart Execution', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1547.006', 'Kernel Modules and Extensions', [PERSISTENCE, PRIVILEGE_ESCALATION]),
  technique('T1554', 'Compromise Host Software Binary', [PERSISTENCE]),
  technique('T1574', 'Hijack Execution Flow', [PERSISTENCE, PRIVILEGE_ESCALATION, DEFENSE_EVASION]),
  technique('T1574.006', 'Dynamic Linker Hijacking', [PERSISTENCE, PRIVILEGE_ESCALATION, DEFENSE_EVASION]),
  technique('T1574.007', 'Path Interception by PATH Environment Variable', [PERSISTENCE, PRIVILEGE_ESCALATION, DEFENSE_EVASION]),
  technique('T1055', 'Process Injection', [DEFENSE_EVASION, PRIVILEGE_ESCALATION]),
  technique('T1055.008', 'Ptrace System Calls', [DEFENSE_EVASION, PRIVILEGE_ESCALATION]),
  technique('T1055.009', 'Proc Memory', [DEFENSE_EVASION, PRIVILEGE_ESCALATION]),
  technique('T1068', 'Exploitation for Privilege Escalation', [PRIVILEGE_ESCALATION]),
  technique('T1548', 'Abuse Elevation Control Mechanism', [PRIVILEGE_ESCALATION, DEFENSE_EVASION]),
  technique('T1548.001', 'Setuid and Setgid', [PRIVILEGE_ESCALATION, DEFENSE_EVASION]),
  technique('T1548.003', 'Sudo and Sudo Caching', [PRIVILEGE_ESCALATION, DEFENSE_EVASION]),
  technique('T1548.005', 'Temporary Elevated Cloud Access', [PRIVILEGE_ESCALATION, DEFENSE_EVASION]),
  technique('T1611', 'Escape to Host', [PRIVILEGE_ESCALATION]),

  // Defense Evasion
  technique('T1014', 'Rootkit', [DEFENSE_EVASION]),
  technique('T1027', 'Obfuscated Files or Information', [DEFENSE_EVASION]),
  technique('T1027.002', 'Software Packing', [DEFENSE_EVASION]),
  technique('T1036', 'Masquerading', [DEFENSE_EVASION]),
  technique('T1036.005', 'Match Legitimate Resource Name or Location', [DEFENSE_EVASION]),
  technique('T1070', 'Indicator Removal', [DEFENSE_EVASION]),
  technique('T1070.002', 'Clear Linux or Mac System Logs', [DEFENSE_EVASION]),
  technique('T1070.003', 'Clear Command History', [DEFENSE_EVASION]),
  technique('T1070.004', 'File Deletion', [DEFENSE_EVASION]),
  technique('T1070.006', 'Timestomp', [DEFENSE_EVASION]),
  technique('T1140', 'Deobfuscate/Decode Files or Information', [DEFENSE_EVASION]),
  technique('T1211', 'Exploitation for Defense Evasion', [DEFENSE_EVASION]),
  technique('T1222', 'File and Directory Permissions Modification', [DEFENSE_EVASION]),
  technique('T1222.002', 'Linux and Mac File and Directory Permissions Modification', [DEFENSE_EVASION]),
  technique('T1535', 'Unused/Unsupported Cloud Regions', [DEFENSE_EVASION]),
  technique('T1550', 'Use Alternate Authentication Material', [DEFENSE_EVASION, LATERAL_MOVEMENT]),
  technique('T1550.001', 'Application Access Token', [DEFENSE_EVASION, LATERAL_MOVEMENT]),
  technique('T1556', 'Modify Authentication Process', [CREDENTIAL_ACCESS, DEFENSE_EVASION, PERSISTENCE]),
  technique('T1556.003', 'Pluggable Authentication Modules', [CREDENTIAL_ACCESS, DEFENSE_EVASION, PERSISTENCE]),
  technique('T1556.006', 'Multi-Factor Authentication', [CREDENTIAL_ACCESS, DEFENSE_EVASION, PERSISTENCE]),
  technique('T1562', 'Impair Defenses', [DEFENSE_EVASION]),
  technique('T1562.001', 'Disable or Modify Tools', [DEFENSE_EVASION]),
  technique('T1562.003', 'Impair Command History Logging', [DEFENSE_EVASION]),
  technique('T1562.004', 'Disable or Modify System Firewall', [DEFENSE_EVASION]),
  technique('T1562.006', 'Indicator Blocking', [DEFENSE_EVASION]),
  technique('T1562.007', 'Disable or Modify Cloud Firewall', [DEFENSE_EVASION]),
  technique('T1562.008', 'Disable or Modify Cloud Logs', [DEFENSE_EVASION]),
  technique('T1562.012', 'Disable or Modify Linux Audit System', [DEFENSE_EVASION]),
  technique('T1564', 'Hide Artifacts', [DEFENSE_EVASION]),
  technique('T1564.001', 'Hidden Files and Directories', [DEFENSE_EVASION]),
  technique('T1578', 'Modify Cloud Compute Infrastructure', [DEFENSE_EVASION]),
  technique('T1578.001', 'Create Snapshot', [DEFENSE_EVASION]),
  technique('T1578.002', 'Create Cloud Instance', [DEFENSE_EVASION]),
  technique('T1578.003', 'Delete Cloud Instance', [DEFENSE_EVASION]),
  technique('T1578.005', 'Modify Cloud Compute Configurations', [DEFENSE_EVASION]),
  technique('T1612', 'Build Image on Host', [DEFENSE_EVASION]),
  technique('T1620', 'Reflective Code Loading', [DEFENSE_EVASION]),
  technique('T1622', 'Debugger Evasion', [DEFENSE_EVASION, DISCOVERY]),

  // Credential Access
  technique('T1003', 'OS Credential Dumping', [CREDENTIAL_ACCESS]),
  technique('T1003.007', 'Proc Filesystem', [CREDENTIAL_ACCESS]),
  technique('T1003.008', '/etc/passwd and /etc/shadow', [CREDENTIAL_ACCESS]),
  technique('T1040', 'Network Sniffing', [CREDENTIAL_ACCESS, DISCOVERY]),
  technique('T1110', 'Brute Force', [CREDENTIAL_ACCESS]),
  technique('T1212', 'Exploitation for Credential Access', [CREDENTIAL_ACCESS]),
  technique('T1528', 'Steal Application Access Token', [CREDENTIAL_ACCESS]),
  technique('T1539', 'Steal Web Session Cookie', [CREDENTIAL_ACCESS]),
  technique('T1552', 'Unsecured Credentials', [CREDENTIAL_ACCESS]),
  technique('T1552.001', 'Credentials In Files', [CREDENTIAL_ACCESS]),
  technique('T1552.003', 'Shell History', [CREDENTIAL_ACCESS]),
  technique('T1552.004', 'Private Keys', [CREDENTIAL_ACCESS]),
  technique('T1552.005', 'Cloud Instance Metadata API', [CREDENTIAL_ACCESS]),
  technique('T1552.007', 'Container API', [CREDENTIAL_ACCESS]),
  technique('T1555', 'Credentials from Password Stores', [CREDENTIAL_ACCESS]),
  technique('T1557', 'Adversary-in-the-Middle', [CREDENTIAL_ACCESS, COLLECTION]),
  technique('T1557.002', 'ARP Cache Poisoning', [CREDENTIAL_ACCESS, COLLECTION]),
  technique('T1606', 'Forge Web Credentials', [CREDENTIAL_ACCESS]),
  technique('T1621', 'Multi-Factor Authentication Request Generation', [CREDENTIAL_ACCESS]),

  // Discovery
  technique('T1007', 'System Service Discovery', [DISCOVERY]),
  technique('T1016', 'System Network Configuration Discovery', [DISCOVERY]),
  technique('T1018', 'Remote System Discovery', [DISCOVERY]),
  technique('T1033', 'System Owner/User Discovery', [DISCOVERY]),
  technique('T1046', 'Network Service Discovery', [DISCOVERY]),
  technique('T1049', 'System Network Connections Discovery', [DISCOVERY]),
  technique('T1057', 'Process Discovery', [DISCOVERY]),
  technique('T1069', 'Permission Groups Discovery', [DISCOVERY]),
  technique('T1069.001', 'Local Groups', [DISCOVERY]),
  technique('T1069.003', 'Cloud Groups', [DISCOVERY]),
  technique('T1082', 'System Information Discovery', [DISCOVERY]),
  technique('T1083', 'File and Directory Discovery', [DISCOVERY]),
  technique('T1087', 'Account Discovery', [DISCOVERY]),
  technique('T1087.001', 'Local Account', [DISCOVERY]),
  technique('T1087.004', 'Cloud Account', [DISCOVERY]),
  technique('T1201', 'Password Policy Discovery', [DISCOVERY]),
  technique('T1518', 'Software Discovery', [DISCOVERY]),
  technique('T1518.001', 'Security Software Discovery', [DISCOVERY]),
  technique('T1526', 'Cloud Service Discovery', [DISCOVERY]),
  technique('T1538', 'Cloud Service Dashboard', [DISCOVERY]),
  technique('T1580', 'Cloud Infrastructure Discovery', [DISCOVERY]),
  technique('T1613', 'Container and Resource Discovery', [DISCOVERY]),
  technique('T1619', 'Cloud Storage Object Discovery', [DISCOVERY]),

  // Lateral Movement
  technique('T1021', 'Remote Services', [LATERAL_MOVEMENT]),
  technique('T1021.004', 'SSH', [LATERAL_MOVEMENT]),
  technique('T1021.007', 'Cloud Services', [LATERAL_MOVEMENT]),
  technique('T1021.008', 'Direct Cloud VM Connections', [LATERAL_MOVEMENT]),
  technique('T1570', 'Lateral Tool Transfer', [LATERAL_MOVEMENT]),

  // Collection
  technique('T1005', 'Data from Local System', [COLLECTION]),
  technique('T1074', 'Data Staged', [COLLECTION]),
  technique('T1119', 'Automated Collection', [COLLECTION]),
  technique('T1213', 'Data from Information Repositories', [COLLECTION]),
  technique('T1530', 'Data from Cloud Storage', [COLLECTION]),
  technique('T1560', 'Archive Collected Data', [COLLECTION]),

  // Command and Control
  technique('T1071', 'Application Layer Protocol', [COMMAND_AND_CONTROL]),
  technique('T1071.001', 'Web Protocols', [COMMAND_AND_CONTROL]),
  technique('T1071.004', 'DNS', [COMMAND_AND_CONTROL]),
  technique('T1090', 'Proxy', [COMMAND_AND_CONTROL]),
  technique('T1095', 'Non-Application Layer Protocol', [COMMAND_AND_CONTROL]),
  technique('T1105', 'Ingress Tool Transfer', [COMMAND_AND_CONTROL]),
  technique('T1132', 'Data Encoding', [COMMAND_AND_CONTROL]),
  technique('T1132.001', 'Standard Encoding', [COMMAND_AND_CONTROL]),
  technique('T1219', 'Remote Access Tools', [COMMAND_AND_CONTROL]),
  technique('T1571', 'Non-Standard Port', [COMMAND_AND_CONTROL]),
  technique('T1572', 'Protocol Tunneling', [COMMAND_AND_CONTROL]),

  // Exfiltration
  technique('T1020', 'Automated Exfiltration', [EXFILTRATION]),
  technique('T1041', 'Exfiltration Over C2 Channel', [EXFILTRATION]),
  technique('T1048', 'Exfiltration Over Alternative Protocol', [EXFILTRATION]),
  technique('T1537', 'Transfer Data to Cloud Account', [EXFILTRATION]),
  technique('T1567', 'Exfiltration Over Web Service', [EXFILTRATION]),
  technique('T1567.002', 'Exfiltration to Cloud Storage', [EXFILTRATION]),

  // Impact
  technique('T1485', 'Data Destruction', [IMPACT]),
  technique('T1486', 'Data Encrypted for Impact', [IMPACT]),
  technique('T1489', 'Service Stop', [IMPACT]),
  technique('T1490', 'Inhibit System Recovery', [IMPACT]),
  technique('T1496', 'Resource Hijacking', [IMPACT]),
  technique('T1496.001', 'Compute Hijacking', [IMPACT]),
  technique('T1496.002', 'Bandwidth Hijacking', [IMPACT]),
  technique('T1496.004', 'Cloud Service Hijacking', [IMPACT]),
  technique('T1498', 'Network Denial of Service', [IMPACT]),
  technique('T1499', 'Endpoint Denial of Service', [IMPACT]),
  technique('T1529', 'System Shutdown/Reboot', [IMPACT]),
  technique('T1531', 'Account Access Removal', [IMPACT]),
  technique('T1565', 'Data Manipulation', [IMPACT]),
  technique('T1565.001', 'Stored Data Manipulation', [IMPACT]),
];
