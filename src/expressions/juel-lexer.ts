/** Splits the inside of a `${…}` part into tokens, normalizing EL's word operators to their symbols. */
import { ExpressionError } from './expression-error.js';

export type TokenType = 'number' | 'string' | 'identifier' | 'literal' | 'symbol' | 'reserved' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** The characters as written, for error messages. */
  readonly text: string;
  /** Offset into the full expression text. */
  readonly pos: number;
  /** For `number`, `string` and `literal` tokens: the value. For `symbol`: the canonical operator or punctuation. */
  readonly value: string | number | boolean | null;
}

/** Word operators share precedence and meaning with their symbols, so the parser only sees symbols. */
const WORD_OPERATORS: Readonly<Record<string, string>> = {
  and: '&&',
  or: '||',
  not: '!',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  div: '/',
  mod: '%',
  empty: 'empty',
};

const WORD_LITERALS: Readonly<Record<string, boolean | null>> = { true: true, false: false, null: null };

/** Reserved by EL but without meaning in EL 2.2; rejecting them keeps models portable. */
const RESERVED_WORDS = new Set(['instanceof']);

const TWO_CHAR_SYMBOLS = new Set(['<=', '>=', '==', '!=', '&&', '||']);
const ONE_CHAR_SYMBOLS = new Set(['.', '[', ']', '(', ')', ',', '?', ':', '}', '+', '-', '*', '/', '%', '!', '<', '>']);

const IDENTIFIER_START = /[\p{L}_$]/u;
const IDENTIFIER_PART = /[\p{L}\p{N}_$]/u;

/** Builds the syntax error JUEL reports, so messages read the same as Camunda's. */
export function syntaxError(source: string, pos: number, encountered: string, expected?: string): ExpressionError {
  const tail = expected === undefined ? '' : `, expected ${expected}`;
  return new ExpressionError(source, `Error parsing '${source}': syntax error at position ${pos}, encountered ${encountered}${tail}`, {
    position: pos,
  });
}

export function describeToken(token: Token): string {
  return token.type === 'eof' ? 'end of input' : `'${token.text}'`;
}

export class JuelLexer {
  private offset: number;
  private lookahead: Token | undefined;

  constructor(
    private readonly source: string,
    start: number,
  ) {
    this.offset = start;
  }

  peek(): Token {
    this.lookahead ??= this.scan();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private scan(): Token {
    const src = this.source;
    while (this.offset < src.length && /\s/.test(src[this.offset])) this.offset++;
    const pos = this.offset;
    if (pos >= src.length) return { type: 'eof', text: '', pos, value: null };
    const c = src[pos];

    if (isDigit(c) || (c === '.' && isDigit(src[pos + 1] ?? ''))) return this.scanNumber(pos);
    if (c === "'" || c === '"') return this.scanString(pos, c);
    if (IDENTIFIER_START.test(c)) return this.scanWord(pos);

    const two = src.slice(pos, pos + 2);
    if (TWO_CHAR_SYMBOLS.has(two)) {
      this.offset += 2;
      return { type: 'symbol', text: two, pos, value: two };
    }
    if (ONE_CHAR_SYMBOLS.has(c)) {
      this.offset += 1;
      return { type: 'symbol', text: c, pos, value: c };
    }
    throw syntaxError(src, pos, `'${c}'`);
  }

  private scanNumber(pos: number): Token {
    const src = this.source;
    let end = pos;
    while (isDigit(src[end] ?? '')) end++;
    if (src[end] === '.' && !IDENTIFIER_START.test(src[end + 1] ?? '')) {
      end++;
      while (isDigit(src[end] ?? '')) end++;
    }
    if (src[end] === 'e' || src[end] === 'E') {
      let exp = end + 1;
      if (src[exp] === '+' || src[exp] === '-') exp++;
      if (!isDigit(src[exp] ?? '')) throw syntaxError(src, exp, describeChar(src, exp), 'an exponent');
      while (isDigit(src[exp] ?? '')) exp++;
      end = exp;
    }
    const text = src.slice(pos, end);
    this.offset = end;
    return { type: 'number', text, pos, value: Number(text) };
  }

  private scanString(pos: number, quote: string): Token {
    const src = this.source;
    let value = '';
    let i = pos + 1;
    while (i < src.length && src[i] !== quote) {
      // EL only defines escapes for backslash and quotes; other backslashes stay so regex arguments like '\d' survive.
      if (src[i] === '\\' && (src[i + 1] === '\\' || src[i + 1] === "'" || src[i + 1] === '"')) {
        value += src[i + 1];
        i += 2;
      } else {
        value += src[i];
        i += 1;
      }
    }
    if (i >= src.length) throw syntaxError(src, pos, 'an unterminated string literal');
    this.offset = i + 1;
    return { type: 'string', text: src.slice(pos, i + 1), pos, value };
  }

  private scanWord(pos: number): Token {
    const src = this.source;
    let end = pos + 1;
    while (end < src.length && IDENTIFIER_PART.test(src[end])) end++;
    const word = src.slice(pos, end);
    this.offset = end;
    if (Object.hasOwn(WORD_OPERATORS, word)) return { type: 'symbol', text: word, pos, value: WORD_OPERATORS[word] };
    if (Object.hasOwn(WORD_LITERALS, word)) return { type: 'literal', text: word, pos, value: WORD_LITERALS[word] };
    if (RESERVED_WORDS.has(word)) return { type: 'reserved', text: word, pos, value: word };
    return { type: 'identifier', text: word, pos, value: word };
  }
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function describeChar(src: string, pos: number): string {
  return pos >= src.length ? 'end of input' : `'${src[pos]}'`;
}
