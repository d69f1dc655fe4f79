import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ZimbraClient, ZimbraError } from '../../src/zimbra/index.js';
import { KEY, authOk } from './helpers/scripted.js';
import { hasOpenssl, makeTestCerts, type TestCerts } from './helpers/tls-certs.js';

// Real TLS handshakes on 127.0.0.1 with certificates made by the openssl CLI.
// Skipped only where no openssl binary exists; the code mapping itself is also
// covered without sockets in faults.test.ts.
const servers: Server[] = [];
const clients: ZimbraClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function tlsZimbra(certPem: string, keyPem: string): Promise<string> {
  const server = createServer({ cert: certPem, key: keyPem }, (_req, res) => authOk(res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/service/soap/`;
}

function client(soapUrl: string, caPem?: string): ZimbraClient {
  const c = new ZimbraClient({
    soapUrl,
    preauthKey: KEY,
    caPem,
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  });
  clients.push(c);
  return c;
}

async function failureOf(promise: Promise<unknown>): Promise<ZimbraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZimbraError);
  return error as ZimbraError;
}

describe.skipIf(!hasOpenssl())('TLS verification', () => {
  let certs: TestCerts;

  beforeAll(() => {
    certs = makeTestCerts();
  });

  it('refuses a certificate from an unknown CA as ZIMBRA_TLS_UNTRUSTED', async () => {
    const url = await tlsZimbra(certs.goodPem, certs.keyPem);
    const error = await failureOf(client(url).openMailbox('alice@example.com'));
    expect(error).toMatchObject({
      code: 'ZIMBRA_TLS_UNTRUSTED',
      failureClass: 'config',
      retry: 'never',
    });
  });

  it('trusts the domain CA given as caPem, on top of the system CAs', async () => {
    const url = await tlsZimbra(certs.goodPem, certs.keyPem);
    await expect(client(url, certs.caPem).openMailbox('alice@example.com')).resolves.toMatchObject({
      account: 'alice@example.com',
    });
  });

  it('refuses a certificate for another host as ZIMBRA_TLS_HOST_MISMATCH', async () => {
    const url = await tlsZimbra(certs.otherHostPem, certs.keyPem);
    const error = await failureOf(client(url, certs.caPem).openMailbox('alice@example.com'));
    expect(error).toMatchObject({ code: 'ZIMBRA_TLS_HOST_MISMATCH', failureClass: 'config' });
  });

  it('refuses an expired certificate as ZIMBRA_TLS_EXPIRED', async () => {
    const url = await tlsZimbra(certs.expiredPem, certs.keyPem);
    const error = await failureOf(client(url, certs.caPem).openMailbox('alice@example.com'));
    expect(error).toMatchObject({ code: 'ZIMBRA_TLS_EXPIRED', failureClass: 'config' });
  });
});
