/** Specifies JUEL tokenizing: word operators, literals and positions. */
import { expect } from 'chai';
import { JuelLexer, type Token } from '../../src/expressions/juel-lexer.js';

function tokens(body: string): Token[] {
  const lexer = new JuelLexer(body, 0);
  const result: Token[] = [];
  for (let token = lexer.next(); token.type !== 'eof'; token = lexer.next()) result.push(token);
  return result;
}

describe('juel-lexer', () => {
  it('should normalize word operators and keep their source text', () => {
    const [and, eq, empty] = tokens('and eq empty');
    expect([and.value, eq.value, empty.value]).to.deep.equal(['&&', '==', 'empty']);
    expect(and.text).to.equal('and');
  });

  it('should prefer two-character symbols and record offsets', () => {
    expect(tokens('a<=b').map((token) => [token.value, token.pos])).to.deep.equal([
      ['a', 0],
      ['<=', 1],
      ['b', 3],
    ]);
  });

  it('should keep unknown backslash escapes so regex arguments survive', () => {
    expect(tokens("'\\d+'")[0].value).to.equal('\\d+');
  });

  it('should not take the dot of a member access as a decimal point', () => {
    expect(tokens('1.toString').map((token) => token.value)).to.deep.equal([1, '.', 'toString']);
  });
});
