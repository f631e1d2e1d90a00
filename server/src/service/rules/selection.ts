// Smart selection in rules files: from the position outwards, the condition's syntax tree (a field, operator or value;
// the comparison; a parenthesised group, `not` or and/or chain; the whole condition), then the YAML structure (a
// scalar's text and the scalar, the key/value pair, the mapping, the list item with its `- `, and so on up to the
// document). Condition spans come from the condition parser through the scalar's offset map (rules/scalar.ts), so a
// folded or literal `condition: >` block selects exactly the text it was read from. Nothing is parsed here.
import type { SelectionRange } from 'vscode-languageserver-types';
import type { Expr, FieldExpr, Span as AstSpan } from './conditionAst';
import { scalarMap, type ModelItem, type ModelNode, type RulesFileModel, type ScalarNode, type Span } from './model';
import { analyzeFile, conditionOf, itemAt } from './semanticTokens';

const contains = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

/** A node of the condition's syntax tree as selection sees it: its span and the parts inside it. */
interface Part { span: AstSpan; children(): Part[] }
const leaf = (span: AstSpan): Part => ({ span, children: () => [] });

function fieldPart(f: FieldExpr): Part {
  return {
    span: f.span,
    children: () => [
      leaf(f.nameSpan), ...(f.arg ? [leaf(f.arg.span)] : []),
      ...(f.kind === 'transformer' ? [...f.literalArgs.map((l) => leaf(l.span)), ...f.args.map(fieldPart)] : []),
    ],
  };
}

function exprPart(e: Expr): Part {
  return {
    span: e.span,
    children: () => {
      switch (e.kind) {
        case 'and': case 'or': return e.operands.map(exprPart);
        case 'not': return [exprPart(e.operand)];
        case 'paren': return [exprPart(e.inner)];
        case 'compare': {
          const parts = [fieldPart(e.lhs), leaf(e.opSpan)];
          if (e.modifier) parts.push(leaf(e.modifier.span));
          const rhs = e.rhs;
          if (rhs?.kind === 'literal') parts.push(leaf(rhs.span));
          else if (rhs?.kind === 'list') parts.push({ span: rhs.span, children: () => rhs.items.map((l) => leaf(l.span)) });
          else if (rhs?.kind === 'field-value') parts.push({ span: rhs.span, children: () => [fieldPart(rhs.field)] });
          return parts;
        }
        default: return [];
      }
    },
  };
}
const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** The selection chain at a document offset, innermost first. Never empty: the document is the last range. */
export function selectionRangeAt(model: RulesFileModel, offset: number): SelectionRange {
  const text = model.text;
  // Outermost first; YAML node spans lose their trailing blanks and line breaks (a block scalar's span runs to the
  // start of the next line).
  const spans: Span[] = [{ start: 0, end: text.length }];
  const yamlSpan = (s: Span) => {
    let end = s.end;
    while (end > s.start && isBlank(text[end - 1])) end--;
    spans.push({ start: s.start, end });
  };
  /** A block sequence entry from its `- ` (nothing for a flow sequence's entries). */
  const withDash = (s: Span) => {
    let at = s.start;
    while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
    if (text[at - 1] === '-') yamlSpan({ start: at - 1, end: s.end });
  };

  const analysis = itemAt(analyzeFile(model), offset);
  const item = analysis?.item;
  if (item) {
    withDash(item.span);
    node(item, item.node);
  }

  function node(item: ModelItem, n: ModelNode): void {
    yamlSpan(n.span);
    if (n.kind === 'map') {
      const entry = n.entries.find((e) => contains(e.span, offset));
      if (!entry) return;
      yamlSpan(entry.span);
      if (contains(entry.keySpan, offset) && (!entry.value || offset < entry.value.span.start)) yamlSpan(entry.keySpan);
      else if (entry.value) node(item, entry.value);
    } else if (n.kind === 'seq') {
      const entry = n.items.find((e) => contains(e.span, offset));
      if (!entry) return;
      if (!n.flow) withDash(entry.span);
      node(item, entry);
    } else if (n.kind === 'scalar') {
      scalar(item, n);
    }
  }

  function scalar(item: ModelItem, n: ScalarNode): void {
    // The value's text without quotes, a block header or indentation.
    const map = scalarMap(n);
    yamlSpan(map.span(0, n.text.length));
    const cond = item.kind === 'rule' || item.kind === 'macro' ? conditionOf(item) : undefined;
    if (cond && cond.node === n && cond.ast) condition(cond.ast, cond.prefix, cond.docSpan);
    // The word under the cursor from the token analysis: what the syntax tree has no node of (`and`, `or`, `not`,
    // `val`), and outside conditions an output's `%field`, an exception's field or operator, a list's item.
    const token = holding(analysis?.tokens.filter((t) => t.span.start >= n.span.start && t.span.end <= n.span.end) ?? [], (t) => t.span);
    const last = spans[spans.length - 1];
    if (token && last.start <= token.span.start && token.span.end <= last.end) spans.push(token.span);
  }

  function condition(ast: Expr, prefix: number, docSpan: (s: AstSpan) => Span): void {
    // From the root down, the part holding the offset (a word it is in before one it ends), never the stand-in of
    // an appended condition's earlier part.
    for (let p: Part | undefined = exprPart(ast); p; p = holding(p.children().filter((c) => c.span.end > prefix), (c) => docSpan(c.span))) {
      const d = docSpan(p.span);
      if (!contains(d, offset)) return;
      spans.push(d);
    }
  }

  /** The one of `items` whose span holds the offset, else one that ends at it (the cursor after a word). */
  function holding<T>(items: T[], spanOf: (t: T) => Span): T | undefined {
    return items.find((t) => { const s = spanOf(t); return s.start <= offset && offset < s.end; }) ?? items.find((t) => spanOf(t).end === offset);
  }

  // Innermost first: only ranges that hold the offset, each one strictly larger than the one inside it.
  let result: SelectionRange | undefined;
  const chain: Span[] = [];
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i];
    if (!contains(s, offset) || (s.start === s.end && i > 0)) continue;
    const inner = chain[chain.length - 1];
    // A parent always contains its child (a span the scalar map could not place exactly is widened).
    const span = inner ? { start: Math.min(s.start, inner.start), end: Math.max(s.end, inner.end) } : s;
    if (inner && span.start === inner.start && span.end === inner.end) continue;
    chain.push(span);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    result = { range: model.lines.range(chain[i].start, chain[i].end), ...(result ? { parent: result } : {}) };
  }
  return result!;
}
