// The syntax tree of Falco conditions (libsinsp filter language) and output formats. Offsets are relative to the
// string given to the parser; the rules model maps them back to document offsets.

export interface Span { start: number; end: number }

/** A field reference, possibly wrapped in transformers: `proc.aname[2]`, `evt.arg.flags`, `tolower(proc.name)`. */
export type FieldExpr =
  | {
    kind: 'field';
    /** As written without the argument: `proc.aname`, `evt.arg.flags` (dot forms stay in the name). */
    name: string;
    nameSpan: Span;
    /** The `[...]` argument, without brackets; span covers the text inside the brackets. */
    arg?: { text: string; span: Span };
    span: Span;
  }
  | {
    kind: 'transformer';
    /** tolower, toupper, b64, basename, len, join, concat, getopt. */
    name: string;
    nameSpan: Span;
    args: FieldExpr[];
    /** Literal arguments of transformers such as join(", ", ...) or getopt(...). */
    literalArgs: Literal[];
    /** A selector after the closing parenthesis, `getopt(proc.args, "t:")[t]`. (Added by the parser.) */
    arg?: { text: string; span: Span };
    span: Span;
  };

export interface Literal { kind: 'literal'; text: string; quoted: boolean; span: Span }

/** `(a, b, "c d")`: bare items may be names of lists, which Falco expands; other bare items are strings. */
export interface ListValue { kind: 'list'; items: Literal[]; span: Span }

/** `val(proc.pname)`: compares a field with another field. */
export interface FieldValue { kind: 'field-value'; field: FieldExpr; span: Span }

export type Value = Literal | ListValue | FieldValue;

export type Expr =
  | { kind: 'and' | 'or'; operands: Expr[]; span: Span }
  | { kind: 'not'; operand: Expr; span: Span }
  | { kind: 'paren'; inner: Expr; span: Span }
  /** A bare identifier: a macro reference. */
  | { kind: 'macro'; name: string; span: Span }
  | {
    kind: 'compare';
    lhs: FieldExpr;
    /** exists, =, ==, !=, <, <=, >, >=, contains, icontains, bcontains, startswith, bstartswith, endswith, glob,
     *  iglob, regex, in, intersects, pmatch — as written (lower case). */
    op: string;
    opSpan: Span;
    /** oneof / anyof / allof after a string operator (Falco 0.44). */
    modifier?: { name: string; span: Span };
    /** Absent for `exists`. */
    rhs?: Value;
    span: Span;
  }
  /**
   * Placeholder where the parser recovered from an error. `field`: the field (or transformer) a comparison had read
   * when it failed, as libsinsp had read it; hovers and colouring show it, checks do not judge it (Falco stops at the
   * syntax error). `glued`: the text right after that field's name that Falco's parser takes into no field name
   * (`-tier` of `k8s.ns.label.app-tier`).
   */
  | { kind: 'error'; span: Span; field?: FieldExpr; glued?: Span };

export interface SyntaxError {
  message: string;
  span: Span;
  /** Set when the error is text glued to a field's name (`-tier` after `k8s.ns.label.app`): the field read, the text. */
  fieldCut?: { field: string; glued: string };
}

export interface ConditionParse {
  /** Present unless nothing could be parsed. */
  ast?: Expr;
  errors: SyntaxError[];
}

/** One `%field` of an output format. */
export interface OutputField {
  /** Field name as written, without `%`, parentheses or argument. */
  name: string;
  arg?: { text: string; span: Span };
  /** Span of the field name only. */
  nameSpan: Span;
  /** Span from `%` to the end of the reference (including `)` or `]`). */
  span: Span;
  /** Transformers around the field, outermost first: `%tolower(proc.name)` gives [tolower]. (Added by the parser.) */
  transformers?: { name: string; span: Span }[];
  /**
   * A bracket after the field that is no argument libsinsp can read (`%proc.env[A B]`): Falco's formatter prints the
   * field without it and the bracket as text. `text` runs from `[` to its `]` (or to the next `%` or the end).
   * `fieldInside`: the bracket parses but the field's check refuses it, and it holds a '%', which starts the next field
   * (`%proc.aname[%proc.name]`): `text` runs up to that '%' and `why` is the check's refusal.
   */
  unreadArg?: { text: string; span: Span; why: string; fieldInside?: true };
  /**
   * The end of a field-shaped name that is no field (`x` of `%proc.namex`, `.x` of `%proc.name.x`): Falco reads the
   * longest field the name starts with and prints the rest as text.
   */
  textAfter?: { text: string; span: Span };
}

/**
 * An output error; `noField`: a `%` that no field follows (`%%`, `%(`), which Falco words as an unknown field;
 * `openTransformer`: a reference that opens a transformer (`%tolower(`) and does not parse.
 */
export interface OutputSyntaxError extends SyntaxError { noField?: true; openTransformer?: true }

export interface OutputParse {
  fields: OutputField[];
  /** A leading `*` (always output, even with missing values). */
  leadingStar: boolean;
  errors: OutputSyntaxError[];
}
