// A condition starting with and/or is read as the fragment its author meant only where Falco's reader refuses the
// item, which follows the target release (rules-fragment-target-s21): before 0.42 an override replacing `capture` is
// refused ("cannot be replaced", rule_loader_reader.cpp 0.41.0 decode_overrides), from 0.42 Falco compiles the text
// whole and fails at the `and`. The condition parser recovers from a leading and/or with the same tree but an error
// operand in place of the previous condition's stand-in, so the references Falco Lens counts (uses, references) and
// the tokens (semantic tokens, hovers) are the same either way: pinned here at each target. Completion offers the
// continuation keywords at the start of such a condition only where the target reads it as a fragment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRulesService } from '../../server/src/service/rules';
import { MemoryHost, rulesDoc } from './rules-host';

const FILE = '/ws/rules.yaml';
const TEXT = '- macro: m\n  condition: proc.name = x\n- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n- rule: r\n  condition: and m\n  capture: true\n  override:\n    condition: replace\n    capture: replace\n';
const USE = { line: 8, character: '  condition: and '.length };
const TARGETS = [['0.37', true], ['0.41', true], ['0.42', false], ['0.44', false]] as const;

function serviceAt(target: string) {
  const host = new MemoryHost({ [FILE]: TEXT }, { folders: ['/ws'] });
  host.config = { ...host.config, falcoVersion: target };
  const svc = createRulesService(host);
  const doc = rulesDoc(FILE, TEXT);
  svc.didOpenOrChange?.(doc);
  return { svc, doc };
}

/** The places of the semantic tokens, as line:character. */
function tokenPlaces(data: readonly number[]): string[] {
  const places: string[] = [];
  let line = 0; let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]; char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    places.push(`${line}:${char}`);
  }
  return places;
}

test('a leading and read as a fragment or whole: the same uses, references and tokens', () => {
  const seen = new Set<string>();
  for (const [target, fragment] of TARGETS) {
    const { svc, doc } = serviceAt(target);
    const codes = svc.diagnostics(doc).map((d) => d.code);
    // The diagnostics follow the target (the syntax error where Falco compiles the text); m is used either way.
    assert.equal(codes.includes('condition-syntax'), !fragment, `${target}: ${codes.join(' ')}`);
    assert.ok(!codes.includes('unused-macro'), target);
    const refs = svc.references!(doc, { line: 0, character: '- macro: '.length }, false) ?? [];
    assert.deepEqual(refs.map((l) => `${l.range.start.line}:${l.range.start.character}`), [`${USE.line}:${USE.character}`], target);
    const places = tokenPlaces(svc.semanticTokens!(doc).data);
    assert.ok(places.includes(`${USE.line}:${USE.character}`), target);
    seen.add(places.join(' '));
  }
  assert.equal(seen.size, 1, 'the same tokens at every target');
});

test('completion at the start of such a condition offers and/or only where the target reads a fragment', () => {
  for (const [target, fragment] of TARGETS) {
    const { svc, doc } = serviceAt(target);
    const labels = (svc.completion!(doc, { line: USE.line, character: '  condition: '.length })?.items ?? []).map((i) => i.label);
    assert.equal(labels.includes('and not'), fragment, `${target}: ${labels.slice(0, 8).join(', ')}`);
    assert.equal(labels.includes('m'), !fragment, target);
  }
});
