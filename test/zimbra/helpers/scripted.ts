import type { ServerResponse } from 'node:http';
import { requestNameOf, sendSoap, type SeenRequest } from './fake-server.js';

export const TOKEN = '0_feedfacecafebeef0123456789abcdef01234567_746f6b656e2d6e6f742d7265616c';
export const KEY = '0b1c2d3e4f5a6b7c8d9e0fa1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5';

export function authOk(res: ServerResponse, token = TOKEN, lifetimeMs = 172_799_985): void {
  sendSoap(res, {
    Body: {
      AuthResponse: {
        authToken: [{ _content: token }],
        lifetime: lifetimeMs,
        skin: [{ _content: 'harmony' }],
        _jsns: 'urn:zimbraAccount',
      },
    },
    _jsns: 'urn:zimbraSoap',
  });
}

export function fault(
  res: ServerResponse,
  code: string,
  side = 'soap:Sender',
  reason = 'failed',
): void {
  sendSoap(res, {
    Body: {
      Fault: {
        Code: { Value: side },
        Reason: { Text: reason },
        Detail: { Error: { Code: code, Trace: 'qtp-1', _jsns: 'urn:zimbra' } },
      },
    },
    _jsns: 'urn:zimbraSoap',
  });
}

export function ok(res: ServerResponse, name: string, element: Record<string, unknown>): void {
  sendSoap(res, {
    Body: { [name]: { ...element, _jsns: 'urn:zimbraMail' } },
    _jsns: 'urn:zimbraSoap',
  });
}

export function html(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/html;charset=iso-8859-1', ...headers });
  res.end(
    `<html><head><title>Error ${status}</title></head><body><h2>HTTP ERROR ${status}</h2></body></html>`,
  );
}

/** The request element of a posted envelope. */
export function requestElement(request: SeenRequest): Record<string, unknown> {
  const body = (request.json as { Body: Record<string, Record<string, unknown>> }).Body;
  return body[requestNameOf(request)] ?? {};
}

/** The auth token a posted envelope carried in its header, if any. */
export function tokenOf(request: SeenRequest): unknown {
  return (request.json as { Header: { context: Record<string, unknown> } }).Header.context[
    'authToken'
  ];
}
