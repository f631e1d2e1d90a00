// Shapes of field names in conditions, with libsinsp's verdict (a helper of condition-field-names.test.ts and the
// differential test, not a test file). `libsinsp`: where libsinsp's filter parser fails (its error position, an offset
// in the text), or null when it parses. Taken from libs 0.25.2 userspace/libsinsp/filter/{parser,ast,escaping}.cpp (Falco
// 0.44.0; 0.25.4 of Falco 0.44.1 has the same parser.cpp) built with RE2 and a driver calling parser::parse() on each
// line; libs 0.14.2 (Falco 0.37) gives the same positions except on the transformer and val() shapes, which it does not
// know. The parser only: whether a field exists or takes the argument is the filter compiler's, later.
// `gap`: how the 2022 libsinsp of ../shared/tools/filter-oracle (Debian's sysdig 0.29.3, libs e5c53d64) disagrees, and why.

export interface FieldNameShape {
  text: string;
  libsinsp: number | null;
  gap?: { oracle: 'ok' | RegExp; why: string };
}

/** The 2022 compiler reads the first operand up to a blank or an operator character and hands the whole word to the
 *  field lookup (filter.cpp e5c53d64 sinsp_filter_compiler::next_operand, parse_check), whose k8s check reads
 *  `/_-.` after the dot (filterchecks.cpp e5c53d64:7389-7413). Falco's parser (libs 0.5 on) ends the name by RGX_FIELDNAME. */
const WHOLE_WORD = 'the 2022 compiler reads the whole word as the field name';
const STRING_AFTER_NUMERIC = "the 2022 compiler takes a string after '<'; Falco's parser wants a number (NumValue)";
const NEWER_FIELD = 'container.label came with the container plugin (Falco 0.41)';
const K8S_BRACKETS_2022 = "the 2022 k8s check read the label after a dot only (extract_arg: else 'filter syntax error')";
const ARGUMENT_REQUIRED = 'the field check requires an argument: a compile-time verdict, not the parser\'s';

export const FIELD_NAME_SHAPES: readonly FieldNameShape[] = [
  { text: "k8s.ns.label.app-tier = x", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app = x", libsinsp: null },
  { text: "k8s.pod.label.app.kubernetes.io/name = x", libsinsp: 31, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.pod.label.app.kubernetes.io = x", libsinsp: null },
  { text: "container.label.com.docker.compose.project = x", libsinsp: null, gap: { oracle: /unrecognized field container\.label/, why: NEWER_FIELD } },
  { text: "k8s.ns.label.app:x = x", libsinsp: 16 },
  { text: "k8s.ns.label.1app = x", libsinsp: 12, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label. = x", libsinsp: 12, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app. = x", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label..app = x", libsinsp: 12, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label[app = x", libsinsp: 16 },
  { text: "k8s.ns.label[app-tier] = x", libsinsp: null, gap: { oracle: /filter syntax error: k8s\.ns\.label\[/, why: K8S_BRACKETS_2022 } },
  { text: "k8s.ns.label[app.kubernetes.io/name] = x", libsinsp: null, gap: { oracle: /filter syntax error: k8s\.ns\.label\[/, why: K8S_BRACKETS_2022 } },
  { text: "k8s.ns.label[\"app tier\"] = x", libsinsp: null, gap: { oracle: /filter syntax error: k8s\.ns\.label\[/, why: K8S_BRACKETS_2022 } },
  { text: "k8s.ns.label[] = x", libsinsp: 13 },
  { text: "k8s.ns.label = x", libsinsp: null, gap: { oracle: /filter syntax error: k8s\.ns\.label$/, why: ARGUMENT_REQUIRED } },
  { text: "proc.name-x = y", libsinsp: 9 },
  { text: "k8s.ns.label.app-tier=x", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app -tier = x", libsinsp: 17 },
  { text: "k8s.ns.label.app-tier exists", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app_tier = x", libsinsp: null },
  { text: "k8s.ns.label.App9_x = x", libsinsp: null },
  { text: "k8s.ns.label.app-tier in (a)", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "not k8s.ns.label.app-tier = x", libsinsp: 20, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app-tier", libsinsp: 16 },
  { text: "k8s.ns.label-x = y", libsinsp: 12 },
  { text: "k8s-x.ns = y", libsinsp: 3 },
  { text: "proc.name = x and k8s.ns.label.app-tier = x", libsinsp: 34, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "proc.env[a[b] = x", libsinsp: 10 },
  { text: "proc.env[a]b = x", libsinsp: 11 },
  { text: "_proc.name = x", libsinsp: 0 },
  { text: "proc._name = x", libsinsp: 4 },
  { text: "proc.na$me = x", libsinsp: 7 },
  { text: "k8s.ns.label.app/x = y", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app+x = y", libsinsp: 16 },
  { text: "k8s.ns.label.app=x", libsinsp: null },
  { text: "k8s.ns.label.app!=x", libsinsp: null },
  { text: "k8s.ns.label.app<x", libsinsp: 17, gap: { oracle: 'ok', why: STRING_AFTER_NUMERIC } },
  { text: "k8s.ns.label.appcontains x", libsinsp: 25 },
  { text: "k8s.ns.label.app.contains x", libsinsp: 26 },
  { text: "k8s.ns.label.é = x", libsinsp: 12 },
  { text: "k8s.ns.label.app-tier = x and proc.name = y", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "proc.name = y or k8s.pod.label.app.kubernetes.io/name in (a, b)", libsinsp: 48, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.pod.label.app.kubernetes.io/name exists", libsinsp: 31, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "(k8s.ns.label.app-tier = x)", libsinsp: 17, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app-tier contains x", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.APP = x", libsinsp: null },
  { text: "k8s.ns.label.a1.b2 = x", libsinsp: null },
  { text: "k8s.ns.label.a.1 = x", libsinsp: 14, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "container.label.com.docker.compose.project exists", libsinsp: null, gap: { oracle: /unrecognized field container\.label/, why: NEWER_FIELD } },
  { text: "k8s.ns.label[app:x] = x", libsinsp: null, gap: { oracle: /filter syntax error: k8s\.ns\.label\[/, why: K8S_BRACKETS_2022 } },
  { text: "k8s.ns.label['app-tier'] = x", libsinsp: null, gap: { oracle: /filter syntax error: k8s\.ns\.label\[/, why: K8S_BRACKETS_2022 } },
  { text: "k8s.ns.label.app-tier[x] = y", libsinsp: 16 },
  { text: "tolower(k8s.ns.label.app-tier) = x", libsinsp: 24 }, // libs 0.14.2 (no transformers): 7
  { text: "proc.name = val(k8s.ns.label.app-tier)", libsinsp: 32 }, // libs 0.14.2 (no transformers): 15
  { text: "k8s.ns.label.app_ = x", libsinsp: null },
  { text: "k8s.ns.label.app- = x", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
  { text: "k8s.ns.label.app-1 = x", libsinsp: 16, gap: { oracle: 'ok', why: WHOLE_WORD } },
];
