// The simulator's query grammar, a subset of zm-mailbox
// store/src/java/com/zimbra/cs/index/query/parser/Parser.jjt (reference §3.2-3.3).
import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from '../../sim/query/query-error.js';
import { parseQuery } from '../../sim/query/query-parser.js';
import { parseDateTerm } from '../../sim/query/date-range.js';

const term = (field: string, value: string) =>
  expect.objectContaining({ kind: 'term', field, value });

describe('parseQuery', () => {
  it('joins juxtaposed terms with AND', () => {
    const node = parseQuery('msgid:"a@b" is:anywhere');
    expect(node).toEqual({ kind: 'and', items: [term('msgid', 'a@b'), term('is', 'anywhere')] });
  });

  it('reads field names case-insensitively', () => {
    expect(parseQuery('MsgId:"x@y"')).toEqual(term('msgid', 'x@y'));
  });

  it('unescapes \\" and keeps other backslashes inside quotes', () => {
    expect(parseQuery('msgid:"a\\"b\\c"')).toEqual(term('msgid', 'a"b\\c'));
  });

  it('takes braces as quotes that may hold spaces, quotes and parentheses', () => {
    expect(parseQuery('msgid:{a "b" (c)}')).toEqual(term('msgid', 'a "b" (c)'));
  });

  it('binds OR looser than AND and NOT tighter', () => {
    expect(parseQuery('a b OR -c')).toEqual({
      kind: 'or',
      items: [
        { kind: 'and', items: [term('content', 'a'), term('content', 'b')] },
        { kind: 'not', item: term('content', 'c') },
      ],
    });
  });

  it('reports the offending token and column', () => {
    try {
      parseQuery('in:inbox bogus:x');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(QuerySyntaxError);
      expect((err as QuerySyntaxError).column).toBe(9);
      expect((err as QuerySyntaxError).token).toBe('bogus:x');
    }
  });

  for (const bad of ['', '   ', 'msgid:', '"open', '{open', 'a)', '(a', 'OR a', 'msgid:a:b']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(() => parseQuery(bad)).toThrow(QuerySyntaxError);
    });
  }
});

describe('parseDateTerm', () => {
  const T = 1_700_000_000_000;

  it('treats an epoch-ms value as a one-second unit', () => {
    expect(parseDateTerm('after', String(T), 0)).toEqual({ low: T + 1000 });
    expect(parseDateTerm('before', String(T), 0)).toEqual({ high: T });
    expect(parseDateTerm('date', String(T), 0)).toEqual({ low: T, high: T + 1000 });
    expect(parseDateTerm('date', `<=${T}`, 0)).toEqual({ high: T + 1000 });
  });

  it('refuses comparison operators on after: and before:', () => {
    expect(parseDateTerm('after', `>${T}`, 0)).toBeUndefined();
  });

  it('reads relative days from the start of the current UTC day', () => {
    const now = Date.UTC(2026, 11, 4, 15, 0, 0);
    expect(parseDateTerm('date', '-1d', now)).toEqual({
      low: Date.UTC(2026, 11, 3),
      high: Date.UTC(2026, 11, 4),
    });
    expect(parseDateTerm('after', 'today', now)).toEqual({ low: Date.UTC(2026, 11, 5) });
  });

  it('reads mm/dd/yyyy as a UTC day', () => {
    expect(parseDateTerm('date', '12/04/2026', 0)).toEqual({
      low: Date.UTC(2026, 11, 4),
      high: Date.UTC(2026, 11, 5),
    });
  });
});
