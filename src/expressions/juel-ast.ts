/** The syntax tree the JUEL parser produces and the evaluator walks. */

/** Offset of the node's first character in the full expression text, for error messages. */
interface Positioned {
  readonly pos: number;
}

export interface LiteralNode extends Positioned {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
}

export interface IdentifierNode extends Positioned {
  readonly kind: 'identifier';
  readonly name: string;
}

/** `a.b` and `a['b']` alike: EL treats both as property resolution on the base value. */
export interface PropertyNode extends Positioned {
  readonly kind: 'property';
  readonly object: JuelNode;
  readonly property: JuelNode;
  /** True for the `a.b` form; kept so error messages can echo what the author wrote. */
  readonly dotted: boolean;
}

export interface MethodCallNode extends Positioned {
  readonly kind: 'methodCall';
  readonly object: JuelNode;
  readonly method: string;
  readonly args: readonly JuelNode[];
}

export interface FunctionCallNode extends Positioned {
  readonly kind: 'functionCall';
  readonly name: string;
  readonly args: readonly JuelNode[];
}

export type UnaryOperator = '-' | '!' | 'empty';

export interface UnaryNode extends Positioned {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: JuelNode;
}

/** Word operators (`and`, `eq`, `div`, …) are normalized to their symbol form by the lexer. */
export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '<' | '>' | '<=' | '>=' | '==' | '!=' | '&&' | '||';

export interface BinaryNode extends Positioned {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: JuelNode;
  readonly right: JuelNode;
}

export interface ConditionalNode extends Positioned {
  readonly kind: 'conditional';
  readonly test: JuelNode;
  readonly consequent: JuelNode;
  readonly alternate: JuelNode;
}

export type JuelNode =
  | LiteralNode
  | IdentifierNode
  | PropertyNode
  | MethodCallNode
  | FunctionCallNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode;

export interface TextPart {
  readonly kind: 'text';
  readonly text: string;
}

export interface EvalPart {
  readonly kind: 'eval';
  readonly expression: JuelNode;
}

export type TemplatePart = TextPart | EvalPart;

/** A whole expression text: literal runs and `${…}`/`#{…}` parts in source order. */
export interface JuelTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Whether the parts use `#{…}`; undefined for plain text. Camunda evaluates both forms immediately. */
  readonly deferred?: boolean;
}
