import { createHmac } from 'node:crypto';
import { request } from 'undici';

/** A minimal SOAP-over-JSON caller of the test's own; it shares nothing with src/zimbra. */
export interface SoapAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function postRaw(url: string, body: string): Promise<SoapAnswer> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body,
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function envelope(name: string, ns: string, body: object, token?: string): object {
  const context: Record<string, unknown> = { _jsns: 'urn:zimbra', nosession: {} };
  if (token !== undefined) context.authToken = token;
  return { Header: { context }, Body: { [name]: { _jsns: ns, ...body } } };
}

export async function soap(
  url: string,
  name: string,
  ns: string,
  body: object,
  token?: string,
): Promise<SoapAnswer> {
  return postRaw(url, JSON.stringify(envelope(name, ns, body, token)));
}

/** The test's own signer: HMAC-SHA1 with the 64 hex chars as the ASCII key (reference §1.2). */
export function sign(key: string, account: string, by: string, expires: number, ts: number) {
  return createHmac('sha1', key).update(`${account}|${by}|${expires}|${ts}`).digest('hex');
}

export function preauthBody(key: string, account: string, ts: number, expires = 0, by = 'name') {
  return {
    account: { by, _content: account },
    preauth: { timestamp: ts, expires, _content: sign(key, account, by, expires, ts) },
  };
}

export async function login(url: string, key: string, account: string, ts: number) {
  const answer = await soap(url, 'AuthRequest', 'urn:zimbraAccount', preauthBody(key, account, ts));
  if (answer.status !== 200) throw new Error(`login failed: ${answer.text}`);
  return answer.json.Body.AuthResponse.authToken[0]._content as string;
}

export function faultCode(answer: SoapAnswer): string | undefined {
  return answer.json?.Body?.Fault?.Detail?.Error?.Code;
}

export function rawMessage(
  messageId: string | null,
  subject = 'Hello',
  from = 'Payroll <payroll@evil.example>',
) {
  const lines = [
    `From: ${from}`,
    'To: someone@example.com',
    `Subject: ${subject}`,
    'Date: Tue, 14 Nov 2023 22:13:20 +0000',
  ];
  if (messageId !== null) lines.push(`Message-ID: ${messageId}`);
  return `${lines.join('\r\n')}\r\n\r\nPlease sign in at the link below.\r\n`;
}
