// Falco Operator leftovers of session 11. A Config with a spec.selector is written only on the nodes it selects, beside
// the Configs without one, and Falco merges them there in file-name order (falco-operator v0.4.1,
// controllers/artifact/config/controller.go:100 NodeMatchesSelector; a nil selector matches every node): a Config
// without a selector whose key such a Config replaces is told so, naming the selector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { FalcoLanguageService } from '../../server/src/service/languageService';
import { selectorText } from '../../server/src/service/embedded/regions';
import { MemoryHost } from './rules-host';
import { openHost, operatorConfig, textAt, message } from './embedded-helpers';

const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'operator');
const BASE = '/etc/falco/falco_rules.yaml';

function serviceWith(files: Record<string, string> = {}) {
  const host = new MemoryHost({ [BASE]: fs.readFileSync(path.join(FIXTURES, 'falco-rules.yaml'), 'utf8'), ...files }, { ruleFiles: [BASE], folders: ['/ws'] });
  return { host, service: new FalcoLanguageService(host) };
}

const configFindings = (found: Diagnostic[]) => found.filter((d) => String(d.code).startsWith('config-')).sort((a, b) => a.range.start.line - b.range.start.line);
const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length - 1;


const GPU = '  selector:\n    matchLabels:\n      node-role/gpu: "true"\n';
const EDGE = '  selector:\n    matchExpressions:\n      - key: topology.kubernetes.io/zone\n        operator: In\n        values: [edge-a, edge-b]\n      - key: spot\n        operator: DoesNotExist\n';

test('selectors in kubectl\'s -l syntax', () => {
  assert.equal(selectorText(JSON.stringify({ matchLabels: { 'node-role/gpu': 'true' } })), 'node-role/gpu=true');
  assert.equal(selectorText(JSON.stringify({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a', 'b'] }, { key: 'gpu', operator: 'Exists' }, { key: 'spot', operator: 'DoesNotExist' }] })), 'zone notin (a,b),gpu,!spot');
});

test('a key of a Config without a selector that a later Config with one replaces: a note naming the Config and its selector', () => {
  const text = [
    operatorConfig('base', 50, 'engine:\n  kind: modern_ebpf\nlibs_logger:\n  enabled: false\nload_plugins: []'),
    operatorConfig('gpu-nodes', 60, 'engine:\n  kind: kmod\nload_plugins: [container]\nplugins:\n  - name: container\n    library_path: libcontainer.so', GPU),
    operatorConfig('early-edge', 40, 'libs_logger:\n  enabled: true', EDGE),
  ].join('---\n');
  const { service } = serviceWith();
  const found = configFindings(service.embedded.diagnostics(openHost(service, text, 'file:///ws/deploy/falco/configs.yaml')));
  assert.deepEqual(found.map((d) => [d.code, d.severity, d.range.start.line, textAt(text, d)]), [
    // base's engine, on the gpu nodes; load_plugins is a list, appended (Falco 0.41 and later), not replaced.
    ['config-overridden', 3, lineOf(text, '    engine:'), 'engine'],
    // early-edge (40) is read before base (50): base replaces its libs_logger on the edge nodes, said on early-edge.
    ['config-overridden', 3, lineOf(text, '    libs_logger:', text.indexOf('early-edge')), 'libs_logger'],
  ]);
  assert.equal(message(found[0]), 'On the nodes that Config \'gpu-nodes\' selects (node-role/gpu=true), Falco does not use this \'engine\': Config \'gpu-nodes\' (configs.yaml:21, written as /etc/falco/config.d/60-03-gpu-nodes-inline.yaml), merged after this file, sets \'engine\' again and replaces it whole (config_files merges top-level keys only). The artifact operator writes a Config with a selector only on the nodes it selects; on the nodes where no such Config replaces it, Falco uses this \'engine\'.');
  assert.match(message(found[1]), /^Falco does not use this 'libs_logger': Config 'base' /);
});

test('each selector says so once; a key the Configs of every node already replace gets no selector note', () => {
  const text = [
    operatorConfig('first', 50, 'engine:\n  kind: modern_ebpf\noutput_timeout: 1000'),
    operatorConfig('second', 70, 'output_timeout: 3000'),
    operatorConfig('gpu-nodes', 60, 'engine:\n  kind: kmod\noutput_timeout: 2000', GPU),
    operatorConfig('edge-nodes', 80, 'engine:\n  kind: kmod', EDGE),
  ].join('---\n');
  const { service } = serviceWith();
  const found = configFindings(service.embedded.diagnostics(openHost(service, text, 'file:///ws/deploy/falco/chain.yaml')));
  const at = (d: Diagnostic) => [d.range.start.line, textAt(text, d), /^On the nodes that Config '([^']+)'/.exec(message(d))?.[1] ?? /Config '([^']+)' \(/.exec(message(d))![1]];
  assert.deepEqual(found.map(at), [
    // first's engine: replaced on the gpu nodes and on the edge nodes.
    [lineOf(text, '    engine:'), 'engine', 'edge-nodes'],
    [lineOf(text, '    engine:'), 'engine', 'gpu-nodes'],
    // first's output_timeout: second (every node) replaces it everywhere; gpu-nodes is not named again.
    [lineOf(text, '    output_timeout: 1000'), 'output_timeout', 'second'],
    // gpu-nodes (60) is read before second (70) on its nodes.
    [lineOf(text, '    output_timeout: 2000'), 'output_timeout', 'second'],
  ]);
  assert.match(message(found[0]), /\(topology\.kubernetes\.io\/zone in \(edge-a,edge-b\),!spot\)/);
});

test('a Config of a closed file with a selector is read too, and its change is followed', () => {
  const base = operatorConfig('base', 50, 'engine:\n  kind: modern_ebpf');
  const gpu = operatorConfig('gpu-nodes', 60, 'engine:\n  kind: kmod', GPU);
  const { service, host } = serviceWith({ '/ws/deploy/falco/gpu.yaml': gpu });
  const uri = 'file:///ws/deploy/falco/base.yaml';
  const found = configFindings(service.embedded.diagnostics(openHost(service, base, uri)));
  assert.equal(found.length, 1);
  assert.match(message(found[0]), /Config 'gpu-nodes' \(gpu\.yaml:\d+, written as \/etc\/falco\/config\.d\/60-03-gpu-nodes-inline\.yaml\)/);
  host.files.set('/ws/deploy/falco/gpu.yaml', gpu.replace('priority: 60', 'priority: 40'));
  service.didChangeWatchedFiles(['file:///ws/deploy/falco/gpu.yaml']);
  assert.deepEqual(configFindings(service.embedded.diagnostics(openHost(service, base.replace('kind: modern_ebpf', 'kind: nodriver'), uri))), []);
});
