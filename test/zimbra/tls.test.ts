import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type TlsMode } from '../../sim/index.js';
import { ZimbraClient, ZimbraError } from '../../src/zimbra/index.js';

// Real TLS handshakes on 127.0.0.1 against the simulator's HTTPS modes; its
// certificates are made in-process (@peculiar/x509), so nothing here needs the
// openssl binary or is ever skipped.
const ACCOUNT = 'alice@example.test';
const open: { sim: Simulator; client?: ZimbraClient }[] = [];

afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    await client?.close();
    await sim.close();
  }
});

async function tlsSim(mode: TlsMode) {
  const sim = await startSimulator({ tls: { mode } });
  const { preauthKey } = sim.addDomain('example.test');
  sim.addAccount(ACCOUNT);
  const entry: { sim: Simulator; client?: ZimbraClient } = { sim };
  open.push(entry);
  const connect = (caPem: string | undefined) => {
    entry.client = new ZimbraClient({
      soapUrl: sim.soapUrl,
      preauthKey,
      caPem,
      retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
    });
    return entry.client;
  };
  return { sim, connect };
}

async function failureOf(promise: Promise<unknown>): Promise<ZimbraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZimbraError);
  return error as ZimbraError;
}

describe('TLS verification', () => {
  it('logs in over HTTPS when the domain CA is given, on top of the system CAs', async () => {
    const { sim, connect } = await tlsSim('ok');
    expect(sim.soapUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    await expect(connect(sim.caPem).openMailbox(ACCOUNT)).resolves.toMatchObject({
      account: ACCOUNT,
    });
    expect(sim.countRequests('AuthRequest')).toBe(1);
  });

  it.each([
    ['a CA it was not given', 'ok', false, 'ZIMBRA_TLS_UNTRUSTED'],
    ['a self-signed certificate', 'self-signed', true, 'ZIMBRA_TLS_UNTRUSTED'],
    ['an expired certificate', 'expired', true, 'ZIMBRA_TLS_EXPIRED'],
    ['a certificate for another host', 'wrong-host', true, 'ZIMBRA_TLS_HOST_MISMATCH'],
  ] as const)(
    'refuses %s as %s, never retried, and the server never receives a request',
    async (_what, mode, trustCa, code) => {
      const { sim, connect } = await tlsSim(mode);
      const error = await failureOf(connect(trustCa ? sim.caPem : undefined).openMailbox(ACCOUNT));

      expect(error).toMatchObject({ code, failureClass: 'config', retry: 'never' });
      // The key travels only in an AuthRequest body; no request of any kind
      // got through, so it was never sent on the unverified connection.
      expect(sim.countRequests('AuthRequest')).toBe(0);
      expect(sim.requests).toHaveLength(0);
    },
  );
});
