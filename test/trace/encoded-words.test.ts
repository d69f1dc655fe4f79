import { describe, expect, it } from 'vitest';
import { decodeEncodedWords } from '../../src/trace/index.js';

describe('decodeEncodedWords', () => {
  it('joins a UTF-8 character split across two adjacent Q-encoded words', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?Gr=C3?= =?UTF-8?Q?=BC=C3=9Fe_aus_K=C3=B6ln?=')).toBe(
      'Grüße aus Köln',
    );
  });

  it('joins a character split across two adjacent B-encoded words', () => {
    // "Grüße": bytes 47 72 C3 | BC C3 9F 65, split inside the ü.
    const first = Buffer.from([0x47, 0x72, 0xc3]).toString('base64');
    const second = Buffer.from([0xbc, 0xc3, 0x9f, 0x65]).toString('base64');
    expect(decodeEncodedWords(`=?UTF-8?B?${first}?= =?UTF-8?B?${second}?=`)).toBe('Grüße');
  });

  it('decodes an encoded Message-ID spread over two words', () => {
    expect(
      decodeEncodedWords('=?utf-8?Q?=3Cabc-123=40r=C3=A9seau?= =?utf-8?Q?.example.test=3E?='),
    ).toBe('<abc-123@réseau.example.test>');
  });

  it('decodes a Latin-1 word between plain text and keeps the plain text', () => {
    expect(decodeEncodedWords('Rechnung =?ISO-8859-1?Q?f=FCr?= M\u00e4rz')).toBe(
      'Rechnung für März',
    );
  });

  it('keeps a B-encoded word whose payload is not base64 as its raw text', () => {
    expect(decodeEncodedWords('=?utf-8?B?!!!notbase64?=')).toBe('=?utf-8?B?!!!notbase64?=');
    // Five letters leave a stray six bits; padding on a short group is no base64 either.
    expect(decodeEncodedWords('=?utf-8?B?R3LDv?=')).toBe('=?utf-8?B?R3LDv?=');
    expect(decodeEncodedWords('=?utf-8?B?R3I==?=')).toBe('=?utf-8?B?R3I==?=');
  });

  it('keeps a Q-encoded word with a broken =XX escape as its raw text', () => {
    expect(decodeEncodedWords('=?utf-8?Q?caf=ZZ?=')).toBe('=?utf-8?Q?caf=ZZ?=');
    expect(decodeEncodedWords('=?utf-8?Q?caf=C?=')).toBe('=?utf-8?Q?caf=C?=');
  });

  it('still decodes the valid words around a broken one', () => {
    expect(
      decodeEncodedWords('<=?utf-8?Q?K=C3=B6ln?= =?utf-8?B?!!!?= =?utf-8?B?R3LDvA?=@x.test>'),
    ).toBe('<Köln =?utf-8?B?!!!?= Grü@x.test>');
  });

  it('returns text without encoded words unchanged', () => {
    const plain = 'Are you free? Lunch = good';
    expect(decodeEncodedWords(plain)).toBe(plain);
  });
});
