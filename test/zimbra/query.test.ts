import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { messageIdQuery } from '../../src/zimbra/index.js';

// Quoting rules: zm-mailbox:store/src/java/com/zimbra/cs/index/query/parser/Parser.jjt
// (QUOTED_TERM, _ESCAPED_QUOTE) and reference §3.2, §3.4.
describe('messageIdQuery', () => {
  it.each([
    ['CAF123abc@mail.evil.example', 'msgid:"CAF123abc@mail.evil.example" is:anywhere'],
    ['a"b@x', 'msgid:"a\\"b@x" is:anywhere'],
    ['"quoted"@x', 'msgid:"\\"quoted\\"@x" is:anywhere'],
    ['a\\"b@x', 'msgid:"a\\\\"b@x" is:anywhere'],
    ['a\\b@x', 'msgid:"a\\b@x" is:anywhere'],
    ['$price!&a=b@x', 'msgid:"$price!&a=b@x" is:anywhere'],
    ['with space@x', 'msgid:"with space@x" is:anywhere'],
    ['(paren)@x', 'msgid:"(paren)@x" is:anywhere'],
    ['{brace}@x', 'msgid:"{brace}@x" is:anywhere'],
    ['-starts+with@x', 'msgid:"-starts+with@x" is:anywhere'],
    ['colon:inside@x', 'msgid:"colon:inside@x" is:anywhere'],
    ['OR@x', 'msgid:"OR@x" is:anywhere'],
  ])('quotes %s', (id, query) => {
    expect(messageIdQuery(id)).toBe(query);
  });

  it('always lifts the Trash and Junk exclusion', () => {
    expect(messageIdQuery('x@y').endsWith(' is:anywhere')).toBe(true);
  });

  it.each([
    ['a trailing backslash', 'abc@x\\', /backslash/],
    ['CR LF', 'abc@x\r\nBcc: evil', /CR, LF or NUL/],
    ['a lone LF', 'abc\n@x', /CR, LF or NUL/],
    ['a NUL', 'abc\0@x', /CR, LF or NUL/],
    ['angle brackets', '<abc@x>', /angle brackets/],
    ['an empty id', '', /empty/],
  ])('refuses %s', (_label, id, message) => {
    let thrown: unknown;
    try {
      messageIdQuery(id);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect(thrown).toMatchObject({ code: 'ZIMBRA_UNSAFE_MESSAGE_ID', field: 'messageId' });
    expect((thrown as Error).message).toMatch(message);
  });

  it('keeps an inner angle bracket, which the server only strips at the ends', () => {
    expect(messageIdQuery('a<b>c@x')).toBe('msgid:"a<b>c@x" is:anywhere');
  });
});
