// Model nodes in one form for comparisons: a scalar moved by an edit shares its source token and records the move in
// tokenShift (model.ts shiftNode), a scalar read in place has the move in the token's offsets. Both say the same
// document offsets; this writes every token with document offsets and no tokenShift (nor the lazily built map).
import type { ScalarSourceToken } from '../../server/src/service/rules/scalar';

export function canonicalNodes<T>(value: T): T {
  return canonical(value) as T;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  // A model item shows its fields through toJSON (a moved item makes its nodes when they are first read).
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return canonical(json.call(value));
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const shift = o.kind === 'scalar' && typeof o.tokenShift === 'number' ? o.tokenShift : undefined;
  for (const [key, v] of Object.entries(o)) {
    if (shift !== undefined && (key === 'tokenShift' || key === 'mapCache')) continue;
    out[key] = shift !== undefined && key === 'token' ? shiftedToken(v as ScalarSourceToken, shift) : canonical(v);
  }
  return out;
}

function shiftedToken(t: ScalarSourceToken, d: number): ScalarSourceToken {
  return { type: t.type, offset: t.offset + d, indent: t.indent, source: t.source, props: t.props?.map((p) => ({ type: p.type, offset: p.offset + d, source: p.source })) };
}
