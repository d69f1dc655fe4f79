import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.js';
import { parseSoapUrl } from '../../src/zimbra/index.js';

describe('parseSoapUrl accepts the two Zimbra forms', () => {
  it.each([
    ['https://mail.example.com/service/soap/', 'https://mail.example.com/service/soap/', 'user'],
    ['https://mail.example.com/service/soap', 'https://mail.example.com/service/soap/', 'user'],
    [
      '  HTTPS://Mail.Example.COM:443/service/soap/ ',
      'https://mail.example.com/service/soap/',
      'user',
    ],
    [
      'https://mail.example.com:8443/service/soap',
      'https://mail.example.com:8443/service/soap/',
      'user',
    ],
    [
      'https://mbox1.example.com:7071/service/admin/soap/',
      'https://mbox1.example.com:7071/service/admin/soap/',
      'admin',
    ],
    [
      'https://mbox1.example.com:7071/service/admin/soap',
      'https://mbox1.example.com:7071/service/admin/soap/',
      'admin',
    ],
    ['https://[2001:db8::10]/service/soap/', 'https://[2001:db8::10]/service/soap/', 'user'],
  ])('%s → %s (%s)', (input, url, kind) => {
    const parsed = parseSoapUrl(input);
    expect(parsed).toMatchObject({ url, kind, isLoopback: false });
    expect(parsed.path).toBe(kind === 'user' ? '/service/soap/' : '/service/admin/soap/');
  });

  it.each([
    'http://127.0.0.1:8080/service/soap/',
    'https://localhost/service/soap/',
    'http://[::1]:7070/service/admin/soap',
    'http://127.9.9.9/service/soap',
  ])('accepts loopback %s only when allowed', (input) => {
    expect(parseSoapUrl(input, { allowLoopback: true }).isLoopback).toBe(true);
    expect(() => parseSoapUrl(input)).toThrow(/loopback addresses are not allowed/);
  });
});

describe('parseSoapUrl refuses', () => {
  it.each([
    ['empty', '', /it is empty/],
    ['not a URL', 'mail.example.com/service/soap/', /not a URL/],
    [
      'http to a public host',
      'http://mail.example.com/service/soap/',
      /scheme http is not allowed, only https/,
    ],
    [
      'http to a public host even with loopback allowed',
      'http://mail.example.com/service/soap/',
      /only https/,
    ],
    ['another scheme', 'ftp://mail.example.com/service/soap/', /scheme ftp/],
    ['credentials', 'https://admin:pw@mail.example.com/service/soap/', /credentials/],
    ['a query string', 'https://mail.example.com/service/soap/?x=1', /query string or fragment/],
    ['an empty query', 'https://mail.example.com/service/soap/?', /query string or fragment/],
    ['a fragment', 'https://mail.example.com/service/soap/#top', /query string or fragment/],
    ['the root path', 'https://mail.example.com/', /path \/ is not a Zimbra SOAP path/],
    [
      'a request suffix',
      'https://mail.example.com/service/soap/AuthRequest',
      /not a Zimbra SOAP path/,
    ],
    ['the web client', 'https://mail.example.com/zimbra/', /not a Zimbra SOAP path/],
    ['AWS metadata', 'https://169.254.169.254/service/soap/', /link-local, metadata/],
    ['link-local v4', 'https://169.254.10.1/service/soap/', /link-local, metadata/],
    ['a numeric metadata host', 'https://2852039166/service/soap/', /link-local, metadata/],
    ['link-local v6', 'https://[fe80::1]/service/soap/', /link-local, metadata/],
    ['EC2 v6 metadata', 'https://[fd00:ec2::254]/service/soap/', /link-local, metadata/],
    [
      'mapped v4 metadata',
      'https://[::ffff:169.254.169.254]/service/soap/',
      /link-local, metadata/,
    ],
    ['GCP metadata name', 'https://metadata.google.internal/service/soap/', /link-local, metadata/],
    ['Alibaba metadata', 'https://100.100.100.200/service/soap/', /link-local, metadata/],
    ['the unspecified address', 'https://0.0.0.0/service/soap/', /unspecified/],
  ])('%s', (_label, input, message) => {
    let thrown: unknown;
    try {
      parseSoapUrl(input, { allowLoopback: _label.includes('loopback allowed') });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    const error = thrown as InputError;
    expect(error.code).toBe('ZIMBRA_INVALID_SOAP_URL');
    expect(error.field).toBe('soapUrl');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('https://mail.example.com/service/soap/');
  });

  it('does not echo credentials back in the message', () => {
    expect(() => parseSoapUrl('https://admin:s3cret@mail.example.com/service/soap/')).toThrow(
      expect.not.objectContaining({
        message: expect.stringContaining('s3cret') as string,
      }) as Error,
    );
  });

  it('refuses metadata even when loopback is allowed', () => {
    expect(() =>
      parseSoapUrl('http://169.254.169.254/service/soap/', { allowLoopback: true }),
    ).toThrow(/link-local/);
  });
});
