import { QuerySyntaxError } from './query-error.js';
import { tokenizeQuery, type QueryField, type QueryToken } from './query-lexer.js';

/** The parsed query: AND by juxtaposition, OR, NOT and parentheses (reference §3.3). */
export type QueryNode =
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'term'; field: QueryField; value: string; column: number };

class Parser {
  readonly #tokens: QueryToken[];
  readonly #query: string;
  #pos = 0;

  constructor(query: string) {
    this.#query = query;
    this.#tokens = tokenizeQuery(query);
  }

  parse(): QueryNode {
    if (this.#tokens.length === 0) throw new QuerySyntaxError('empty query', '', 0);
    const node = this.#parseOr();
    const extra = this.#peek();
    if (extra !== undefined) throw this.#error('unexpected token', extra);
    return node;
  }

  #peek(): QueryToken | undefined {
    return this.#tokens[this.#pos];
  }

  #next(): QueryToken | undefined {
    const token = this.#tokens[this.#pos];
    this.#pos += 1;
    return token;
  }

  #error(message: string, token: QueryToken | undefined): QuerySyntaxError {
    if (token === undefined) {
      return new QuerySyntaxError(`${message} at end of query`, '', this.#query.length);
    }
    return new QuerySyntaxError(message, token.text, token.column);
  }

  #parseOr(): QueryNode {
    const items = [this.#parseAnd()];
    while (this.#peek()?.kind === 'or') {
      this.#next();
      items.push(this.#parseAnd());
    }
    return items.length === 1 ? (items[0] as QueryNode) : { kind: 'or', items };
  }

  #parseAnd(): QueryNode {
    const items: QueryNode[] = [];
    for (let token = this.#peek(); token !== undefined; token = this.#peek()) {
      if (token.kind === 'rparen' || token.kind === 'or') break;
      if (token.kind === 'and') {
        if (items.length === 0) throw this.#error('AND without a left operand', token);
        this.#next();
      }
      items.push(this.#parseUnary());
    }
    if (items.length === 0) throw this.#error('expected a term', this.#peek());
    return items.length === 1 ? (items[0] as QueryNode) : { kind: 'and', items };
  }

  #parseUnary(): QueryNode {
    const token = this.#peek();
    if (token?.kind === 'not') {
      this.#next();
      return { kind: 'not', item: this.#parseUnary() };
    }
    if (token?.kind === 'plus') {
      this.#next();
      return this.#parseUnary();
    }
    return this.#parsePrimary();
  }

  #parsePrimary(): QueryNode {
    const token = this.#next();
    if (token?.kind === 'lparen') {
      const inner = this.#parseOr();
      const close = this.#next();
      if (close?.kind !== 'rparen') throw this.#error('expected ")"', close);
      return inner;
    }
    if (token?.kind === 'field') {
      const value = this.#next();
      if (value?.kind !== 'text') throw this.#error(`expected a value for ${token.text}`, value);
      return { kind: 'term', field: token.field, value: value.value, column: value.column };
    }
    if (token?.kind === 'text') {
      return { kind: 'term', field: 'content', value: token.value, column: token.column };
    }
    throw this.#error('expected a term', token);
  }
}

/** Parses a search query; throws QuerySyntaxError with the token and column at fault. */
export function parseQuery(query: string): QueryNode {
  return new Parser(query).parse();
}
