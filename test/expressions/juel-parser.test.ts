/** Specifies JUEL parsing: EL precedence, literals, member chains, templates and syntax errors. */
import { expect } from 'chai';
import type { JuelNode } from '../../src/expressions/juel-ast.js';
import { ExpressionError } from '../../src/expressions/expression-error.js';
import { parseJuel } from '../../src/expressions/juel-parser.js';

/** Renders the tree fully parenthesized, so tests state grouping rather than tree shapes. */
function show(node: JuelNode): string {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'identifier':
      return node.name;
    case 'property':
      if (node.dotted && node.property.kind === 'literal') return `${show(node.object)}.${String(node.property.value)}`;
      return `${show(node.object)}[${show(node.property)}]`;
    case 'methodCall':
      return `${show(node.object)}.${node.method}(${node.args.map(show).join(', ')})`;
    case 'functionCall':
      return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'unary':
      return `(${node.operator} ${show(node.operand)})`;
    case 'binary':
      return `(${show(node.left)} ${node.operator} ${show(node.right)})`;
    case 'conditional':
      return `(${show(node.test)} ? ${show(node.consequent)} : ${show(node.alternate)})`;
  }
}

function parseOne(text: string): string {
  const { parts } = parseJuel(text);
  expect(parts).to.have.length(1);
  const [part] = parts;
  if (part.kind !== 'eval') throw new Error('expected an eval part');
  return show(part.expression);
}

function syntaxErrorOf(text: string): ExpressionError {
  try {
    parseJuel(text);
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`expected '${text}' to fail parsing`);
}

describe('juel-parser', () => {
  describe('precedence', () => {
    it('should bind * tighter than +', () => {
      expect(parseOne('${1 + 2 * 3}')).to.equal('(1 + (2 * 3))');
    });

    it('should apply unary ! before &&', () => {
      expect(parseOne('${!a && b}')).to.equal('((! a) && b)');
    });

    it('should bind && tighter than ||', () => {
      expect(parseOne('${a || b && c}')).to.equal('(a || (b && c))');
    });

    it('should group relational above equality above logical', () => {
      expect(parseOne('${a < b == c > d and e}')).to.equal('(((a < b) == (c > d)) && e)');
    });

    it('should nest ternaries to the right', () => {
      expect(parseOne('${a ? b : c ? d : e}')).to.equal('(a ? b : (c ? d : e))');
    });

    it('should parse a ternary in the consequent', () => {
      expect(parseOne('${a ? b ? 1 : 2 : 3}')).to.equal('(a ? (b ? 1 : 2) : 3)');
    });

    it('should read not empty as not applied to empty', () => {
      expect(parseOne('${not empty x}')).to.equal('(! (empty x))');
    });

    it('should apply unary minus to the whole member chain', () => {
      expect(parseOne('${-a.b * 2}')).to.equal('((- a.b) * 2)');
    });

    it('should associate subtraction to the left', () => {
      expect(parseOne('${10 - 4 - 3}')).to.equal('((10 - 4) - 3)');
    });

    it('should honour parentheses', () => {
      expect(parseOne('${(1 + 2) * 3}')).to.equal('((1 + 2) * 3)');
    });
  });

  describe('word operators and literals', () => {
    it('should normalize word operators to their symbols', () => {
      expect(parseOne('${a eq 1 or b ne 2 and c lt 3}')).to.equal('((a == 1) || ((b != 2) && (c < 3)))');
      expect(parseOne('${a gt 1 && b le 2 && c ge 3}')).to.equal('(((a > 1) && (b <= 2)) && (c >= 3))');
      expect(parseOne('${a div 2 mod 3}')).to.equal('((a / 2) % 3)');
    });

    it('should parse integer, decimal and exponent literals', () => {
      expect(parseOne('${12 + 1.5 + .5 + 2e3 + 1.5E-2}')).to.equal('((((12 + 1.5) + 0.5) + 2000) + 0.015)');
    });

    it('should unescape quotes and backslashes in both string forms', () => {
      expect(parseOne(`\${'it\\'s' + "say \\"hi\\"" + 'a\\\\b'}`)).to.equal(`(('it's' + 'say "hi"') + 'a\\b')`);
    });

    it('should parse true, false and null as literals', () => {
      expect(parseOne('${true || false || null}')).to.equal('((true || false) || null)');
    });
  });

  describe('member access and calls', () => {
    it('should parse property, index, method and function chains', () => {
      expect(parseOne("${a.b['c'][0].d(1, x).e}")).to.equal("a.b['c'][0].d(1, x).e");
      expect(parseOne('${now()}')).to.equal('now()');
      expect(parseOne("${S(p).prop('x')}")).to.equal("S(p).prop('x')");
    });

    it('should parse a bracketed method name given as a string literal', () => {
      expect(parseOne("${a['size']()}")).to.equal('a.size()');
    });
  });

  describe('templates', () => {
    it('should treat text without expressions as a literal', () => {
      expect(parseJuel('plain text').parts).to.deep.equal([{ kind: 'text', text: 'plain text' }]);
    });

    it('should split composite templates into text and expression parts', () => {
      const { parts } = parseJuel('user-${id}-x');
      expect(parts.map((part) => part.kind)).to.deep.equal(['text', 'eval', 'text']);
    });

    it('should read #{} exactly like ${}', () => {
      expect(parseJuel('#{a + 1}').parts).to.deep.equal(parseJuel('${a + 1}').parts);
      expect(parseJuel('#{a}').deferred).to.equal(true);
    });

    it('should keep escaped \\${ as literal text', () => {
      expect(parseJuel('cost: \\${x} and \\#{y}').parts).to.deep.equal([{ kind: 'text', text: 'cost: ${x} and #{y}' }]);
    });

    it('should allow a closing brace inside a string literal', () => {
      expect(parseOne("${'}' == x}")).to.equal("('}' == x)");
    });

    it('should reject mixing ${} and #{} in one template', () => {
      expect(syntaxErrorOf('${a}#{b}').message).to.match(/cannot mix/);
    });
  });

  describe('syntax errors', () => {
    it('should report the position and token of a missing operand', () => {
      const error = syntaxErrorOf('${a +}');
      expect(error.position).to.equal(5);
      expect(error.message).to.equal(
        "Error parsing '${a +}': syntax error at position 5, encountered '}', expected an identifier, literal, function call, unary operator or '('",
      );
      expect(error.expression).to.equal('${a +}');
    });

    it('should reject an unterminated expression', () => {
      expect(syntaxErrorOf('${a + 1').message).to.match(/encountered end of input/);
    });

    it('should reject an empty expression', () => {
      expect(syntaxErrorOf('${}').position).to.equal(2);
    });

    it('should reject reserved words and keywords used as names', () => {
      expect(syntaxErrorOf('${a instanceof b}').message).to.match(/encountered 'instanceof'/);
      expect(syntaxErrorOf('${and}').message).to.match(/encountered 'and'/);
      expect(syntaxErrorOf('${a.div}').message).to.match(/expected a property or method name/);
    });

    it('should reject characters outside the grammar', () => {
      expect(syntaxErrorOf('${a = 1}').message).to.match(/position 4, encountered '='/);
      expect(syntaxErrorOf('${a & b}').message).to.match(/encountered '&'/);
    });

    it('should reject an unterminated string', () => {
      expect(syntaxErrorOf("${'abc}").message).to.match(/unterminated string/);
    });

    it('should reject absurdly deep nesting with a syntax error rather than a stack overflow', () => {
      expect(syntaxErrorOf(`\${${'('.repeat(5000)}1${')'.repeat(5000)}}`).message).to.match(/nesting deeper than 200/);
      expect(syntaxErrorOf(`\${${'!'.repeat(5000)}a}`).message).to.match(/nesting deeper than 200/);
    });

    it('should reject chains of operators, properties and calls deeper than 1000 levels with a syntax error, not a stack overflow', () => {
      const chains = [Array(100_000).fill('1').join('+'), `a${'.b'.repeat(100_000)}`, `s${'.trim()'.repeat(100_000)}`, `a${'[0]'.repeat(100_000)}`];
      for (const chain of chains) {
        const error = syntaxErrorOf(`x \${${chain}}`);
        expect(error.position).to.equal(2);
        expect(error.message).to.match(/syntax error at position 2, encountered an expression deeper than 1000 levels \(a chain of operators, properties or calls\)$/);
      }
      expect(parseJuel(`\${${Array(500).fill('1').join('+')}}`).parts).to.have.length(1);
    });

    it('should reject an unbalanced ternary', () => {
      expect(syntaxErrorOf('${a ? b}').message).to.match(/expected ':'/);
    });
  });
});
