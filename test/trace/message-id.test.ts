import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { normaliseMessageId, tryNormaliseMessageId } from '../../src/trace/index.js';

const ID = 'AbC-1.2@mail.example.test';

function refusal(input: string): InputError {
  try {
    normaliseMessageId(input);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('normaliseMessageId', () => {
  it.each([
    [' <AbC-1.2@mail.example.test> '],
    ['AbC-1.2@mail.example.test'],
    ['Message-ID: <AbC-1.2@mail.example.test>'],
    ['message-id:<AbC-1.2@mail.example.test>'],
    ['MESSAGE-ID:   AbC-1.2@mail.example.test'],
    ['Message-Id: <AbC-1.2@mail.example.test>\r\n'],
    ['<AbC-1.2@mail.example.test>\n'],
    ['\t<AbC-1.2@mail.example.test>\r\n'],
  ])('reduces %j to the bare id', (input) => {
    expect(normaliseMessageId(input)).toBe(ID);
  });

  it('keeps the case of the id', () => {
    expect(normaliseMessageId('<XyZ@Example.TEST>')).toBe('XyZ@Example.TEST');
  });

  it('keeps unusual but legal characters exactly', () => {
    const odd = `a$b!c&d'e=f"g#h%i+j/k?l^m_n\`o{p|q}r~s@weird.test`;
    expect(normaliseMessageId(`<${odd}>`)).toBe(odd);
  });

  it('strips only one pair of angle brackets and refuses what is left', () => {
    expect(refusal('<<a@x.test>>').code).toBe('TRACE_BAD_MESSAGE_ID');
  });

  it('keeps non-ASCII characters of a decoded id', () => {
    expect(normaliseMessageId('<abc-123@réseau.example.test>')).toBe('abc-123@réseau.example.test');
  });

  it.each([[''], ['   '], ['<>'], ['Message-ID:'], ['Message-ID: <>\r\n']])(
    'refuses the empty id %j',
    (input) => {
      const error = refusal(input);
      expect(error.code).toBe('TRACE_BAD_MESSAGE_ID');
      expect(error.field).toBe('messageId');
    },
  );

  it.each([
    ['<a@x.test> <b@y.test>'],
    ['a@x.test, b@y.test'],
    ['a@x.test,b@y.test'],
    ['<a@x.test><b@y.test>'],
  ])('refuses two ids in one field: %j', (input) => {
    expect(refusal(input).code).toBe('TRACE_BAD_MESSAGE_ID');
  });

  it.each([['<a\u0000b@x.test>'], ['<a\rb@x.test>'], ['a\nb@x.test'], ['<a\u007fb@x.test>']])(
    'refuses control characters inside the id: %j',
    (input) => {
      expect(refusal(input).code).toBe('TRACE_BAD_MESSAGE_ID');
    },
  );

  it('allows a space inside a quoted local part, which is one id', () => {
    expect(normaliseMessageId('<"two words"@x.test>')).toBe('"two words"@x.test');
  });

  it('marks the refusal as a config-class input error naming the field', () => {
    const error = refusal('<a@x.test> <b@y.test>');
    expect(error).toBeInstanceOf(InputError);
    expect(error.failureClass).toBe('config');
    expect(error.context).toEqual({ field: 'messageId' });
  });
});

describe('tryNormaliseMessageId', () => {
  it('returns the bare id for a good value', () => {
    expect(tryNormaliseMessageId('<AbC-1.2@mail.example.test>')).toBe(ID);
  });

  it.each([['<>'], ['<a@x.test> <b@y.test>'], ['a\u0001@x.test']])(
    'returns null instead of throwing for %j',
    (input) => {
      expect(tryNormaliseMessageId(input)).toBeNull();
    },
  );
});
