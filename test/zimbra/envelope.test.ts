import { describe, expect, it } from 'vitest';
import { authRequest } from '../../src/zimbra/auth-request.js';
import { buildEnvelope, readSoapResponse } from '../../src/zimbra/envelope.js';
import { searchRequest } from '../../src/zimbra/search-request.js';
import { getMsgRequest } from '../../src/zimbra/get-msg-request.js';
import { ZimbraError } from '../../src/zimbra/index.js';

function answer(envelope: unknown, status = 200) {
  return { status, headers: {}, bodyText: JSON.stringify(envelope) };
}

describe('buildEnvelope (reference §2.4)', () => {
  it('puts _jsns, the token, nosession and the user agent in Header.context, in that order', () => {
    const envelope = buildEnvelope(
      { NoOpRequest: {} },
      { authToken: 't', userAgentVersion: '1.2.3' },
    );
    expect(JSON.stringify(envelope)).toBe(
      '{"Header":{"context":{"_jsns":"urn:zimbra","authToken":"t","nosession":{},"userAgent":{"name":"Retract","version":"1.2.3"}}},"Body":{"NoOpRequest":{}}}',
    );
  });

  it('omits authToken when there is none', () => {
    const envelope = buildEnvelope({}, { userAgentVersion: '1' }) as {
      Header: { context: object };
    };
    expect(envelope.Header.context).not.toHaveProperty('authToken');
  });
});

describe('readers accept both element shapes (reference §2.2)', () => {
  it.each([
    ['an array of objects', [{ _content: 'tok' }]],
    ['one object', { _content: 'tok' }],
    ['a bare string', 'tok'],
  ])('reads authToken given as %s', (_label, authToken) => {
    const response = readSoapResponse(
      answer({ Body: { AuthResponse: { authToken, lifetime: '1000' } } }),
      {
        soapRequest: 'AuthRequest',
      },
    );
    expect(authRequest({ account: 'a@b.c', preauth: 'x', timestampMs: 1 }).read(response)).toEqual({
      authToken: 'tok',
      lifetimeMs: 1000,
    });
  });

  it('reads a single m object and string numbers in a SearchResponse', () => {
    const response = readSoapResponse(
      answer({
        Body: { SearchResponse: { m: { id: 7, l: 2, d: '5', s: '6' }, more: '0', offset: '0' } },
      }),
      { soapRequest: 'SearchRequest' },
    );
    expect(searchRequest({ query: 'x' }).read(response)).toEqual({
      hits: [{ id: '7', folderId: '2', dateMs: 5, sizeBytes: 6 }],
      more: false,
      offset: 0,
    });
  });

  it('reads the Message-ID from _attrs when mid is absent, first of a repeated header', () => {
    const response = readSoapResponse(
      answer({
        Body: {
          GetMsgResponse: {
            m: [{ id: '1', l: '2', _attrs: { 'Message-ID': ['<a@b>', '<c@d>'] } }],
          },
        },
      }),
      { soapRequest: 'GetMsgRequest' },
    );
    expect(getMsgRequest({ id: '1' }).read(response)).toEqual({
      id: '1',
      folderId: '2',
      messageId: '<a@b>',
    });
  });

  it('gives null for a message without a Message-ID', () => {
    const response = readSoapResponse(
      answer({ Body: { GetMsgResponse: { m: [{ id: '1', l: '2' }] } } }),
      {
        soapRequest: 'GetMsgRequest',
      },
    );
    expect(getMsgRequest({ id: '1' }).read(response).messageId).toBeNull();
  });

  it('reads a Fault given as an array', () => {
    const fault = [
      { Code: { Value: 'soap:Sender' }, Detail: { Error: [{ Code: 'mail.NO_SUCH_MSG' }] } },
    ];
    expect(() =>
      readSoapResponse(answer({ Body: { Fault: fault } }, 500), { soapRequest: 'GetMsgRequest' }),
    ).toThrow(expect.objectContaining({ code: 'ZIMBRA_NO_SUCH_MSG' }) as Error);
  });

  it('refuses a hit without a folder rather than guessing one', () => {
    const response = readSoapResponse(
      answer({ Body: { SearchResponse: { m: [{ id: '1', d: 1, s: 1 }] } } }),
      {
        soapRequest: 'SearchRequest',
      },
    );
    expect(() => searchRequest({ query: 'x' }).read(response)).toThrow(ZimbraError);
  });

  it('refuses search limits Zimbra would clamp or ignore', () => {
    expect(() => searchRequest({ query: 'x', limit: 0 })).toThrow(RangeError);
    expect(() => searchRequest({ query: 'x', limit: 1001 })).toThrow(RangeError);
    expect(() => searchRequest({ query: 'x', offset: -1 })).toThrow(RangeError);
  });
});

describe('defaults', () => {
  it('keeps the default user agent version equal to package.json', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    const { ZIMBRA_DEFAULTS } = await import('../../src/zimbra/index.js');
    expect(ZIMBRA_DEFAULTS.userAgentVersion).toBe(pkg.version);
  });
});
