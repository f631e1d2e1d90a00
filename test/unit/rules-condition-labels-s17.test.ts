// A dot-form label with '-' or '/' in a condition (session 17, item 2): already read as Falco reads it; pinned.
// Falco's filter parser takes a field name as `[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+` at every release
// (RGX_FIELDNAME, userspace/libsinsp/filter/parser.cpp libs 0.14.2:32, 0.20.0:32, 0.23.1:32, 0.25.2:31), then wants an
// operator: `k8s.ns.label.app-tier` is the field `k8s.ns.label.app` and then '-tier', a syntax error at every target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsAt } from './rules-host';
import { hoverMarkdownAt } from './rules-nav-helpers';

const unescaped = (md: string) => md.replace(/\\(.)/g, '$1');
const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

test('pin: k8s.ns.label.app-tier and k8s.pod.label.app.kubernetes.io/name in a condition: the syntax error where the parser stops, and a hover on every part of the name, at every target', () => {
  const cases: [string, string, string, string][] = [
    ['k8s.ns.label.app-tier', 'k8s.ns.label.app', '-tier', 'k8s.ns.label[app-tier]'],
    ['k8s.pod.label.app.kubernetes.io/name', 'k8s.pod.label.app.kubernetes.io', '/name', 'k8s.pod.label[app.kubernetes.io/name]'],
  ];
  for (const target of ['0.37', '0.40', '0.41', '0.44']) {
    for (const [written, read, glued, bracket] of cases) {
      assert.deepEqual(findingsAt('/ws/rules.yaml', rule(`${written} = x`), target), [
        `1 condition-syntax ${glued}: Condition syntax: '${written}' is not a field name to Falco: its parser reads the field '${read}' (a field name is letters, digits and '_', in dot-separated parts that start with a letter) and then expects an operator, not '${glued}'. In brackets Falco reads the whole argument: ${bracket}. (LOAD_ERR_COMPILE_CONDITION)`,
      ], target);
      // The hover on the field's name, on its dot-form label and on the text the parser leaves.
      const field = written.slice(0, written.indexOf('.label') + 6);
      for (const at of [4, field.length + 2, written.length - 2]) {
        const md = unescaped(hoverMarkdownAt(rule(`${written.slice(0, at)}<|>${written.slice(at)} = x`), target));
        assert.ok(md.startsWith(`**Field** \`${field}\``), `${target} ${written} @${at}`);
        assert.ok(md.includes(`**Falco's condition parser ends the field name before \`${glued}\`**: it reads \`${read}\``), `${target} ${written} @${at}`);
      }
    }
  }
});
