import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, WRONG_HOST_NAME, type Simulator, type TlsMode } from '../../sim/index.js';
import { probeConnection, ZimbraClient } from '../../src/zimbra/index.js';

const sims: Simulator[] = [];
const clients: ZimbraClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function sim(tls?: TlsMode): Promise<Simulator> {
  const s = await startSimulator(tls === undefined ? {} : { tls: { mode: tls } });
  sims.push(s);
  return s;
}

const MINUTE_MS = 60_000;

describe('probeConnection over TLS', () => {
  it('describes a trusted certificate, the egress address, the round trip and the clock', async () => {
    const s = await sim('ok');
    s.setClockOffsetMs(7 * MINUTE_MS);

    const report = await probeConnection({ soapUrl: s.soapUrl, caPem: s.caPem });

    expect(report.error).toBeUndefined();
    expect(report.dns).toEqual({ ok: true, hostname: '127.0.0.1', addresses: ['127.0.0.1'] });
    expect(report.tls).toMatchObject({ ok: true, selfSigned: false });
    expect(report.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(report.tls?.subjectAltNames).toContain('IP Address:127.0.0.1');
    expect(Date.parse(report.tls!.validTo!)).toBeGreaterThan(Date.now());
    expect(report.tls?.issuer).not.toBe(report.tls?.subject);
    expect(report.egress?.address).toBe('127.0.0.1');
    expect(report.egress?.port).toBeGreaterThan(0);
    expect(report.rttMs).toBeGreaterThanOrEqual(0);
    expect(report.httpStatus).toBeGreaterThanOrEqual(200);
    expect(Math.abs(report.clockSkewMs! - 7 * MINUTE_MS)).toBeLessThan(1500);
  });

  it.each([
    ['expired', true, 'ZIMBRA_TLS_EXPIRED', 'CERT_HAS_EXPIRED'],
    ['wrong-host', true, 'ZIMBRA_TLS_HOST_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['self-signed', true, 'ZIMBRA_TLS_UNTRUSTED', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['ok', false, 'ZIMBRA_TLS_UNTRUSTED', undefined],
  ] as const)(
    'describes a %s certificate (CA given: %s) as %s and sends nothing on that connection',
    async (mode, trustCa, code, verifyCode) => {
      const s = await sim(mode);
      const report = await probeConnection({
        soapUrl: s.soapUrl,
        caPem: trustCa ? s.caPem : undefined,
      });

      expect(report.tls).toMatchObject({ ok: false, error: { code, failureClass: 'config' } });
      if (verifyCode !== undefined) expect(report.tls?.verifyCode).toBe(verifyCode);
      expect(report.error?.code).toBe(code);
      expect(report.tls?.subject).toBeTruthy();
      expect(report.httpStatus).toBeUndefined();
      expect(s.requests).toHaveLength(0);
    },
  );

  it('shows the names a wrong-host certificate does carry and the dates of an expired one', async () => {
    const wrong = await probeConnection({ soapUrl: (await sim('wrong-host')).soapUrl });
    expect(wrong.tls?.subjectAltNames).toEqual([`DNS:${WRONG_HOST_NAME}`]);

    const expired = await sim('expired');
    const report = await probeConnection({ soapUrl: expired.soapUrl, caPem: expired.caPem });
    expect(Date.parse(report.tls!.validTo!)).toBeLessThan(Date.now());
  });

  it('marks a self-signed certificate as such', async () => {
    const s = await sim('self-signed');
    const report = await probeConnection({ soapUrl: s.soapUrl });
    expect(report.tls?.selfSigned).toBe(true);
  });
});

describe('probeConnection before TLS', () => {
  it('stops at DNS when the name resolves to a metadata address', async () => {
    const report = await probeConnection({
      soapUrl: 'https://zimbra.example.test/service/soap/',
      lookup: async () => [{ address: '169.254.169.254', family: 4 }],
    });
    expect(report.dns).toMatchObject({ ok: false, error: { code: 'ZIMBRA_ADDRESS_REFUSED' } });
    expect(report.tls).toBeUndefined();
    expect(report.error?.code).toBe('ZIMBRA_ADDRESS_REFUSED');
  });

  it('reports a host that does not resolve', async () => {
    const report = await probeConnection({
      soapUrl: 'https://nowhere.example.test/service/soap/',
      lookup: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    expect(report.dns.error).toMatchObject({
      code: 'ZIMBRA_HOST_NOT_FOUND',
      failureClass: 'config',
    });
  });

  it('reports a port where nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const report = await probeConnection({ soapUrl: `http://127.0.0.1:${port}/service/soap/` });
    expect(report.dns.ok).toBe(true);
    expect(report.error?.code).toBe('ZIMBRA_CONNECTION_REFUSED');
  });

  it('reads a plain-HTTP simulator and sends from the configured local address', async () => {
    const s = await sim();
    const report = await probeConnection({ soapUrl: s.soapUrl, localAddress: '127.0.0.2' });
    expect(report.tls).toBeUndefined();
    expect(report.egress?.address).toBe('127.0.0.2');
    expect(report.serverDateMs).toBeGreaterThan(0);
  });
});

describe('ZimbraClient.probePreAuth', () => {
  async function world() {
    const s = await sim();
    const { preauthKey } = s.addDomain('example.test');
    s.addAccount('alice@example.test');
    return { s, preauthKey };
  }

  function client(soapUrl: string, preauthKey: string) {
    const c = new ZimbraClient({ soapUrl, preauthKey });
    clients.push(c);
    return c;
  }

  it('logs in once and says what a failed login would cost', async () => {
    const { s, preauthKey } = await world();
    const probe = await client(s.soapUrl, preauthKey).probePreAuth('Alice@Example.test');
    expect(probe).toMatchObject({ ok: true, account: 'alice@example.test' });
    expect(probe.lifetimeMs).toBeGreaterThan(0);
    expect(probe.warning).toMatch(/10 failed logins/);
  });

  it('sends exactly one AuthRequest for a wrong key and returns the refusal', async () => {
    const { s } = await world();
    const probe = await client(s.soapUrl, 'f'.repeat(64)).probePreAuth('alice@example.test');
    expect(probe.ok).toBe(false);
    expect(probe.error).toMatchObject({ code: 'ZIMBRA_AUTH_FAILED', failureClass: 'config' });
    expect(s.countRequests('AuthRequest')).toBe(1);
  });

  it('corrects a clock 10 minutes off and says how far off it was', async () => {
    const { s, preauthKey } = await world();
    s.setClockOffsetMs(-10 * MINUTE_MS);
    const probe = await client(s.soapUrl, preauthKey).probePreAuth('alice@example.test');
    expect(probe.ok).toBe(true);
    expect(Math.abs(probe.clockSkewMs! + 10 * MINUTE_MS)).toBeLessThan(1500);
  });
});
