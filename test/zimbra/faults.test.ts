import { describe, expect, it } from 'vitest';
import { readSoapResponse } from '../../src/zimbra/envelope.js';
import { classifyNetworkError } from '../../src/zimbra/network-errors.js';
import { FAULT_RULES, ZimbraError } from '../../src/zimbra/index.js';

// Reference §2.7 (zm-mailbox ServiceException.java, AccountServiceException.java,
// MailServiceException.java): every code a retraction client must handle.
const SECTION_2_7: [string, string, string, string, boolean][] = [
  // Zimbra code, Retract code, class, retry policy, gone
  ['account.AUTH_FAILED', 'ZIMBRA_AUTH_FAILED', 'config', 'never', false],
  ['account.MAINTENANCE_MODE', 'ZIMBRA_ACCOUNT_MAINTENANCE', 'mailbox', 'later', false],
  ['account.ACCOUNT_INACTIVE', 'ZIMBRA_ACCOUNT_INACTIVE', 'mailbox', 'never', false],
  ['account.NO_SUCH_ACCOUNT', 'ZIMBRA_NO_SUCH_ACCOUNT', 'mailbox', 'never', false],
  [
    'account.NO_SUCH_DISTRIBUTION_LIST',
    'ZIMBRA_NO_SUCH_DISTRIBUTION_LIST',
    'mailbox',
    'never',
    false,
  ],
  ['service.AUTH_EXPIRED', 'ZIMBRA_AUTH_EXPIRED', 'config', 'reauth', false],
  ['service.AUTH_REQUIRED', 'ZIMBRA_AUTH_REQUIRED', 'config', 'reauth', false],
  ['service.PERM_DENIED', 'ZIMBRA_PERM_DENIED', 'mailbox', 'never', false],
  ['service.INVALID_REQUEST', 'ZIMBRA_INVALID_REQUEST', 'internal', 'never', false],
  ['service.PARSE_ERROR', 'ZIMBRA_PARSE_ERROR', 'internal', 'never', false],
  ['service.UNKNOWN_DOCUMENT', 'ZIMBRA_UNKNOWN_DOCUMENT', 'internal', 'never', false],
  ['mail.QUERY_PARSE_ERROR', 'ZIMBRA_QUERY_PARSE_ERROR', 'internal', 'never', false],
  ['mail.NO_SUCH_MSG', 'ZIMBRA_NO_SUCH_MSG', 'mailbox', 'never', true],
  ['mail.NO_SUCH_ITEM', 'ZIMBRA_NO_SUCH_ITEM', 'mailbox', 'never', true],
  ['mail.NO_SUCH_CONV', 'ZIMBRA_NO_SUCH_CONV', 'mailbox', 'never', true],
  ['mail.NO_SUCH_FOLDER', 'ZIMBRA_NO_SUCH_FOLDER', 'mailbox', 'never', false],
  ['mail.ALREADY_EXISTS', 'ZIMBRA_ALREADY_EXISTS', 'mailbox', 'never', false],
  ['mail.CANNOT_CONTAIN', 'ZIMBRA_CANNOT_CONTAIN', 'config', 'never', false],
  ['mail.INVALID_NAME', 'ZIMBRA_INVALID_NAME', 'config', 'never', false],
  ['mail.MAINTENANCE', 'ZIMBRA_MAILBOX_MAINTENANCE', 'mailbox', 'later', false],
  ['mail.MODIFY_CONFLICT', 'ZIMBRA_MODIFY_CONFLICT', 'transient', 'backoff', false],
  ['service.PROXY_ERROR', 'ZIMBRA_PROXY_ERROR', 'transient', 'backoff', false],
  ['service.RESOURCE_UNREACHABLE', 'ZIMBRA_RESOURCE_UNREACHABLE', 'transient', 'backoff', false],
  [
    'service.TEMPORARILY_UNAVAILABLE',
    'ZIMBRA_TEMPORARILY_UNAVAILABLE',
    'transient',
    'backoff',
    false,
  ],
  ['service.FAILURE', 'ZIMBRA_SERVER_FAILURE', 'transient', 'backoff', false],
  ['service.TOO_MANY_HOPS', 'ZIMBRA_TOO_MANY_HOPS', 'config', 'never', false],
];

function faultAnswer(code: string, side = 'soap:Sender', reason = 'some reason') {
  const envelope = {
    Body: {
      Fault: {
        Code: { Value: side },
        Reason: { Text: reason },
        Detail: { Error: { Code: code, Trace: 'qtp-1', _jsns: 'urn:zimbra' } },
      },
    },
    _jsns: 'urn:zimbraSoap',
  };
  return { status: 500, headers: {}, bodyText: JSON.stringify(envelope) };
}

function readError(answer: Parameters<typeof readSoapResponse>[0], soapRequest = 'SearchRequest') {
  try {
    readSoapResponse(answer, { soapRequest });
  } catch (error) {
    return error as ZimbraError;
  }
  throw new Error('expected a ZimbraError');
}

describe('each §2.7 fault maps to its Retract code, class and policy', () => {
  it.each(SECTION_2_7)('%s → %s (%s, %s)', (faultCode, code, failureClass, retry, gone) => {
    const error = readError(faultAnswer(faultCode, 'soap:Sender', 'why it failed'));
    expect(error).toBeInstanceOf(ZimbraError);
    expect(error).toMatchObject({
      code,
      failureClass,
      retry,
      gone,
      faultCode,
      soapRequest: 'SearchRequest',
      httpStatus: 500,
    });
    expect(error.retryable).toBe(retry === 'backoff' || retry === 'later');
    expect(error.message).toContain(faultCode);
    expect(error.message).toContain('why it failed');
  });

  it('the table covers every §2.7 code and no Retract code twice', () => {
    expect(Object.keys(FAULT_RULES).sort()).toEqual(SECTION_2_7.map((row) => row[0]).sort());
    const codes = Object.values(FAULT_RULES).map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('keeps the message saying a failed preauth may be an unknown or locked account', () => {
    const error = readError(faultAnswer('account.AUTH_FAILED'), 'AuthRequest');
    expect(error.message).toMatch(/not exist/);
    expect(error.message).toMatch(/locked/);
  });

  it('reads INVALID_REQUEST on AuthRequest as a domain without a PreAuth key', () => {
    const error = readError(faultAnswer('service.INVALID_REQUEST'), 'AuthRequest');
    expect(error).toMatchObject({ code: 'ZIMBRA_PREAUTH_NOT_CONFIGURED', failureClass: 'config' });
  });

  it('keeps an unknown code and its text as an internal error', () => {
    const error = readError(faultAnswer('mail.SOMETHING_NEW', 'soap:Receiver', 'brand new'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_UNKNOWN_FAULT',
      failureClass: 'internal',
      faultCode: 'mail.SOMETHING_NEW',
    });
    expect(error.message).toContain('mail.SOMETHING_NEW');
    expect(error.context['zimbraReason']).toBe('brand new');
    expect(error.context['zimbraSide']).toBe('soap:Receiver');
  });

  it('reads fault arguments in array and object shapes', () => {
    const envelope = JSON.parse(faultAnswer('mail.NO_SUCH_MSG').bodyText) as {
      Body: { Fault: { Detail: { Error: Record<string, unknown> } } };
    };
    envelope.Body.Fault.Detail.Error['a'] = { n: 'itemId', t: 'IID', _content: '999' };
    const error = readError({ status: 500, headers: {}, bodyText: JSON.stringify(envelope) });
    expect(error.context['zimbraArgs']).toEqual([{ name: 'itemId', type: 'IID', value: '999' }]);
  });
});

describe('answers that are not SOAP are never read as SOAP', () => {
  const html = '<html><head><title>Error 429</title></head><body>Too Many Requests</body></html>';

  it('429 with the DoSFilter header is ZIMBRA_THROTTLED, transient with backoff', () => {
    const error = readError({
      status: 429,
      headers: { dosfilter: 'unavailable', 'retry-after': '2' },
      bodyText: html,
    });
    expect(error).toMatchObject({
      code: 'ZIMBRA_THROTTLED',
      failureClass: 'transient',
      retry: 'backoff',
      httpStatus: 429,
    });
    expect(error.context).toMatchObject({ dosFilter: 'unavailable', retryAfterMs: 2000 });
  });

  it('a 429 whose body looks like a SOAP fault is still throttling', () => {
    const error = readError({ ...faultAnswer('account.AUTH_FAILED'), status: 429 });
    expect(error.code).toBe('ZIMBRA_THROTTLED');
    expect(error.faultCode).toBeUndefined();
  });

  it.each([
    [503, 'ZIMBRA_SERVICE_UNAVAILABLE', 'transient'],
    [502, 'ZIMBRA_BAD_GATEWAY', 'transient'],
    [504, 'ZIMBRA_BAD_GATEWAY', 'transient'],
    [501, 'ZIMBRA_HTTP_SERVER_ERROR', 'transient'],
    [404, 'ZIMBRA_HTTP_REJECTED', 'config'],
    [403, 'ZIMBRA_HTTP_REJECTED', 'config'],
    [302, 'ZIMBRA_HTTP_REJECTED', 'config'],
  ])('HTTP %s → %s (%s)', (status, code, failureClass) => {
    expect(readError({ status, headers: {}, bodyText: html })).toMatchObject({
      code,
      failureClass,
      httpStatus: status,
    });
  });

  it('a 500 HTML page is a server error, not a fault', () => {
    expect(readError({ status: 500, headers: {}, bodyText: html })).toMatchObject({
      code: 'ZIMBRA_HTTP_SERVER_ERROR',
      httpStatus: 500,
      faultCode: undefined,
    });
  });

  it('a 200 that is not JSON is a bad response', () => {
    expect(readError({ status: 200, headers: {}, bodyText: 'OK' })).toMatchObject({
      code: 'ZIMBRA_BAD_RESPONSE',
      failureClass: 'internal',
    });
  });

  it('a 200 without the expected response element is a bad response', () => {
    const bodyText = JSON.stringify({ Body: { OtherResponse: {} } });
    expect(readError({ status: 200, headers: {}, bodyText })).toMatchObject({
      code: 'ZIMBRA_BAD_RESPONSE',
    });
  });
});

describe('XML faults', () => {
  const xml = (code: string, extra = '') =>
    `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text>invalid request: too big &amp; bad</soap:Text></soap:Reason><soap:Detail><Error xmlns="urn:zimbra"><Code>${code}</Code><Trace>t</Trace>${extra}</Error></soap:Detail></soap:Fault></soap:Body></soap:Envelope>`;

  it('reads code, reason (entities decoded), side and arguments', () => {
    const error = readError({
      status: 500,
      headers: {},
      bodyText: xml('mail.NO_SUCH_MSG', '<a n="itemId" t="IID">9</a>'),
    });
    expect(error).toMatchObject({
      code: 'ZIMBRA_NO_SUCH_MSG',
      faultCode: 'mail.NO_SUCH_MSG',
      gone: true,
    });
    expect(error.context).toMatchObject({
      zimbraReason: 'invalid request: too big & bad',
      zimbraSide: 'soap:Sender',
      zimbraArgs: [{ name: 'itemId', type: 'IID', value: '9' }],
    });
  });

  it('an oversize request answered in XML is INVALID_REQUEST', () => {
    expect(
      readError({ status: 500, headers: {}, bodyText: xml('service.INVALID_REQUEST') }).code,
    ).toBe('ZIMBRA_INVALID_REQUEST');
  });

  it('an XML service.FAILURE is the wrong SOAP URL, config class', () => {
    const error = readError({ status: 500, headers: {}, bodyText: xml('service.FAILURE') });
    expect(error).toMatchObject({
      code: 'ZIMBRA_WRONG_SOAP_URL',
      failureClass: 'config',
      faultCode: 'service.FAILURE',
      retry: 'never',
    });
  });
});

describe('network and TLS failures', () => {
  const withCode = (code: string, nested = false) =>
    nested
      ? Object.assign(new Error('outer'), { cause: Object.assign(new Error('inner'), { code }) })
      : Object.assign(new Error('x'), { code });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'ZIMBRA_TLS_UNTRUSTED'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'ZIMBRA_TLS_UNTRUSTED'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ZIMBRA_TLS_UNTRUSTED'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ZIMBRA_TLS_UNTRUSTED'],
    ['CERT_HAS_EXPIRED', 'ZIMBRA_TLS_EXPIRED'],
    ['CERT_NOT_YET_VALID', 'ZIMBRA_TLS_EXPIRED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'ZIMBRA_TLS_HOST_MISMATCH'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'ZIMBRA_TLS_FAILURE'],
    ['UND_ERR_CONNECT_TIMEOUT', 'ZIMBRA_CONNECT_TIMEOUT'],
    ['UND_ERR_HEADERS_TIMEOUT', 'ZIMBRA_TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'ZIMBRA_TIMEOUT'],
    ['ECONNRESET', 'ZIMBRA_CONNECTION_RESET'],
    ['UND_ERR_SOCKET', 'ZIMBRA_CONNECTION_RESET'],
    ['ECONNREFUSED', 'ZIMBRA_CONNECTION_REFUSED'],
    ['ENOTFOUND', 'ZIMBRA_HOST_NOT_FOUND'],
    ['EHOSTUNREACH', 'ZIMBRA_NETWORK_ERROR'],
  ])('%s → %s', (code, expected) => {
    expect(classifyNetworkError(withCode(code))).toBe(expected);
  });

  it('finds the code on a wrapped cause', () => {
    expect(classifyNetworkError(withCode('CERT_HAS_EXPIRED', true))).toBe('ZIMBRA_TLS_EXPIRED');
  });
});
