/** Recursive-descent parser for the JUEL (EL 2.2) subset Camunda models use, including composite templates. */
import type { BinaryOperator, JuelNode, JuelTemplate, TemplatePart } from './juel-ast.js';
import { ExpressionError } from './expression-error.js';
import { describeToken, JuelLexer, syntaxError, type Token } from './juel-lexer.js';

/** Binary precedence levels, loosest first, exactly as the EL specification orders them. */
const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/** Bounds nesting so hostile input fails with a syntax error instead of exhausting the stack. */
const MAX_NESTING = 200;

/**
 * Bounds the depth of the parsed tree, which chains (`1+1+…`, `a.b.c…`, `s.trim().trim()…`) deepen without nesting:
 * the evaluator recurses through it, so a deeper tree would exhaust the stack instead of failing with a syntax error.
 */
const MAX_TREE_DEPTH = 1000;

const EXPECTED_OPERAND = 'an identifier, literal, function call, unary operator or \'(\'';

/** Parses a whole expression text: plain text, a single `${…}`/`#{…}`, or a composite of both. */
export function parseJuel(source: string): JuelTemplate {
  const parts: TemplatePart[] = [];
  let text = '';
  let deferred: boolean | undefined;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const opensExpression = (c === '$' || c === '#') && source[i + 1] === '{';
    if (c === '\\' && (source[i + 1] === '$' || source[i + 1] === '#') && source[i + 2] === '{') {
      // EL's escape for literal `${` / `#{` in template text.
      text += source.slice(i + 1, i + 3);
      i += 3;
    } else if (opensExpression) {
      const isDeferred = c === '#';
      if (deferred !== undefined && deferred !== isDeferred) {
        throw new ExpressionError(source, `Error parsing '${source}': cannot mix '\${…}' and '#{…}' in one expression (position ${i})`, {
          position: i,
        });
      }
      deferred = isDeferred;
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      const parser = new JuelParser(source, i + 2);
      const expression = parser.parseEnclosed();
      if (treeDepth(expression) > MAX_TREE_DEPTH) {
        throw syntaxError(source, i, `an expression deeper than ${MAX_TREE_DEPTH} levels (a chain of operators, properties or calls)`);
      }
      parts.push({ kind: 'eval', expression });
      i = parser.end;
    } else {
      text += c;
      i += 1;
    }
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return deferred === undefined ? { source, parts } : { source, parts, deferred };
}

/** Parses one `${…}` body, from just after the opening brace through the closing one. */
class JuelParser {
  private readonly lexer: JuelLexer;
  private depth = 0;
  end = 0;

  constructor(
    private readonly source: string,
    start: number,
  ) {
    this.lexer = new JuelLexer(source, start);
  }

  parseEnclosed(): JuelNode {
    const expression = this.parseExpression();
    const closing = this.lexer.next();
    if (!isSymbol(closing, '}')) throw this.unexpected(closing, "'}'");
    this.end = closing.pos + 1;
    return expression;
  }

  /** The conditional is right-associative: `a ? b : c ? d : e` groups as `a ? b : (c ? d : e)`. */
  private parseExpression(): JuelNode {
    return this.nested(() => this.parseConditional());
  }

  private parseConditional(): JuelNode {
    const test = this.parseBinary(0);
    if (!isSymbol(this.lexer.peek(), '?')) return test;
    this.lexer.next();
    const consequent = this.parseExpression();
    const colon = this.lexer.next();
    if (!isSymbol(colon, ':')) throw this.unexpected(colon, "':'");
    const alternate = this.parseExpression();
    return { kind: 'conditional', test, consequent, alternate, pos: test.pos };
  }

  private parseBinary(level: number): JuelNode {
    if (level >= BINARY_LEVELS.length) return this.parseUnary();
    const operators = BINARY_LEVELS[level];
    let left = this.parseBinary(level + 1);
    for (;;) {
      const token = this.lexer.peek();
      const operator = operators.find((op) => isSymbol(token, op));
      if (operator === undefined) return left;
      this.lexer.next();
      const right = this.parseBinary(level + 1);
      left = { kind: 'binary', operator, left, right, pos: token.pos };
    }
  }

  private parseUnary(): JuelNode {
    const token = this.lexer.peek();
    if (isSymbol(token, '-') || isSymbol(token, '!') || isSymbol(token, 'empty')) {
      this.lexer.next();
      const operand = this.nested(() => this.parseUnary());
      return { kind: 'unary', operator: token.value as '-' | '!' | 'empty', operand, pos: token.pos };
    }
    return this.parseValue();
  }

  /** A primary followed by any chain of `.name`, `.name(args)`, `[expr]` and `[expr](args)` suffixes. */
  private parseValue(): JuelNode {
    let node = this.parsePrimary();
    for (;;) {
      const token = this.lexer.peek();
      if (isSymbol(token, '.')) {
        this.lexer.next();
        const name = this.lexer.next();
        if (name.type !== 'identifier') throw this.unexpected(name, 'a property or method name');
        if (isSymbol(this.lexer.peek(), '(')) {
          node = { kind: 'methodCall', object: node, method: name.text, args: this.parseArguments(), pos: name.pos };
        } else {
          const property: JuelNode = { kind: 'literal', value: name.text, pos: name.pos };
          node = { kind: 'property', object: node, property, dotted: true, pos: name.pos };
        }
      } else if (isSymbol(token, '[')) {
        this.lexer.next();
        const property = this.parseExpression();
        const closing = this.lexer.next();
        if (!isSymbol(closing, ']')) throw this.unexpected(closing, "']'");
        if (isSymbol(this.lexer.peek(), '(')) {
          // EL 2.2 allows `a['m'](…)`; only a literal name is supported so the method stays statically checkable.
          if (property.kind !== 'literal' || typeof property.value !== 'string') {
            throw syntaxError(this.source, property.pos, 'a computed method name', 'a string literal method name');
          }
          node = { kind: 'methodCall', object: node, method: property.value, args: this.parseArguments(), pos: property.pos };
        } else {
          node = { kind: 'property', object: node, property, dotted: false, pos: token.pos };
        }
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): JuelNode {
    const token = this.lexer.next();
    switch (token.type) {
      case 'number':
      case 'string':
      case 'literal':
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'identifier':
        if (isSymbol(this.lexer.peek(), '(')) {
          return { kind: 'functionCall', name: token.text, args: this.parseArguments(), pos: token.pos };
        }
        return { kind: 'identifier', name: token.text, pos: token.pos };
      case 'symbol':
        if (token.value === '(') {
          const inner = this.parseExpression();
          const closing = this.lexer.next();
          if (!isSymbol(closing, ')')) throw this.unexpected(closing, "')'");
          return inner;
        }
        throw this.unexpected(token, EXPECTED_OPERAND);
      default:
        throw this.unexpected(token, EXPECTED_OPERAND);
    }
  }

  private parseArguments(): JuelNode[] {
    this.lexer.next(); // the opening parenthesis, already peeked by the caller
    const args: JuelNode[] = [];
    if (isSymbol(this.lexer.peek(), ')')) {
      this.lexer.next();
      return args;
    }
    for (;;) {
      args.push(this.parseExpression());
      const token = this.lexer.next();
      if (isSymbol(token, ')')) return args;
      if (!isSymbol(token, ',')) throw this.unexpected(token, "',' or ')'");
    }
  }

  private nested(parse: () => JuelNode): JuelNode {
    if (++this.depth > MAX_NESTING) {
      throw syntaxError(this.source, this.lexer.peek().pos, `nesting deeper than ${MAX_NESTING} levels`);
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private unexpected(token: Token, expected: string): ExpressionError {
    return syntaxError(this.source, token.pos, describeToken(token), expected);
  }
}

/** Measured without recursion, so that measuring cannot exhaust the stack either. */
function treeDepth(root: JuelNode): number {
  const pending: Array<{ node: object; depth: number }> = [{ node: root, depth: 1 }];
  let deepest = 0;
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_TREE_DEPTH) return deepest;
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (typeof child === 'object' && child !== null && 'kind' in child) pending.push({ node: child, depth: depth + 1 });
      }
    }
  }
  return deepest;
}

function isSymbol(token: Token, symbol: string): boolean {
  return token.type === 'symbol' && token.value === symbol;
}
