import { QuerySyntaxError } from './query-error.js';

/** Field keywords the simulator understands (a subset of zm-mailbox Parser.jjt). */
export const QUERY_FIELDS = [
  'msgid',
  'from',
  'to',
  'cc',
  'subject',
  'content',
  'in',
  'under',
  'inid',
  'underid',
  'after',
  'before',
  'date',
  'is',
  'item',
] as const;

export type QueryField = (typeof QUERY_FIELDS)[number];

export type QueryToken =
  | { kind: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'plus'; text: string; column: number }
  | { kind: 'field'; field: QueryField; text: string; column: number }
  | { kind: 'text'; value: string; text: string; column: number };

/** Characters that end an unquoted term (reference §3.2). */
const TERM_END = /[\s()"{}]/;

function isField(name: string): name is QueryField {
  return (QUERY_FIELDS as readonly string[]).includes(name);
}

/** Reads `"..."` where `\"` is a literal quote and other backslashes stay as they are. */
function readQuoted(query: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < query.length; i += 1) {
    const ch = query[i] as string;
    if (ch === '\\' && query[i + 1] === '"') {
      value += '"';
      i += 1;
    } else if (ch === '"') return { value, end: i + 1 };
    else value += ch;
  }
  throw new QuerySyntaxError('unterminated quoted string', query.slice(start), start);
}

function readBraced(query: string, start: number): { value: string; end: number } {
  const close = query.indexOf('}', start + 1);
  if (close === -1) {
    throw new QuerySyntaxError('unterminated braces', query.slice(start), start);
  }
  return { value: query.slice(start + 1, close), end: close + 1 };
}

function readWord(query: string, start: number): number {
  let end = start;
  while (end < query.length && !TERM_END.test(query[end] as string)) end += 1;
  return end;
}

const OPERATORS: Record<string, 'or' | 'and' | 'not'> = {
  or: 'or',
  '||': 'or',
  and: 'and',
  '&&': 'and',
  not: 'not',
};

/** Turns one unquoted word into tokens: an operator, `field:` (+ value), or a term. */
function wordTokens(word: string, column: number): QueryToken[] {
  const op = OPERATORS[word.toLowerCase()];
  if (op !== undefined) return [{ kind: op, text: word, column }];

  const colon = word.indexOf(':');
  if (colon === -1) return [{ kind: 'text', value: word, text: word, column }];

  const name = word.slice(0, colon).toLowerCase();
  if (!isField(name)) throw new QuerySyntaxError(`unknown field: ${name}`, word, column);
  const field: QueryToken = { kind: 'field', field: name, text: word.slice(0, colon + 1), column };
  const rest = word.slice(colon + 1);
  if (rest.length === 0) return [field];
  if (rest.includes(':')) {
    throw new QuerySyntaxError('unquoted term contains ":"', rest, column + colon + 1);
  }
  return [field, { kind: 'text', value: rest, text: rest, column: column + colon + 1 }];
}

/** Splits a query into tokens; throws QuerySyntaxError on unterminated quotes or braces. */
export function tokenizeQuery(query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', text: ch, column: i });
      i += 1;
    } else if (ch === '"' || ch === '{') {
      const read = ch === '"' ? readQuoted(query, i) : readBraced(query, i);
      tokens.push({ kind: 'text', value: read.value, text: query.slice(i, read.end), column: i });
      i = read.end;
    } else if ((ch === '-' || ch === '!' || ch === '+') && i + 1 < query.length) {
      tokens.push({ kind: ch === '+' ? 'plus' : 'not', text: ch, column: i });
      i += 1;
    } else if (ch === '}') {
      throw new QuerySyntaxError('unbalanced braces', ch, i);
    } else {
      const end = readWord(query, i);
      tokens.push(...wordTokens(query.slice(i, end), i));
      i = end;
    }
  }
  return tokens;
}
