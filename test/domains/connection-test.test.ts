import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/index.js';
import type { App } from '../../src/app/index.js';
import {
  testDomainConnection,
  type ConnectionCheckName,
  type ConnectionTestReport,
} from '../../src/domains/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const DOMAIN = 'example.test';
const ACCOUNT = `alice@${DOMAIN}`;
const MINUTE_MS = 60_000;

/**
 * AuthRequests that reached Zimbra's handler. The wrong-port answer (XML
 * service.FAILURE) comes from the servlet before any handler, so it costs no
 * failed login (reference §8.2).
 */
function handledLogins(sim: Simulator): number {
  return sim.requests.filter(
    (r) =>
      r.requestName === 'AuthRequest' && r.server !== null && r.faultCode !== 'service.FAILURE',
  ).length;
}

describe('testDomainConnection against the simulator', () => {
  const tempDir = useTempDir();
  const open: { app: App; sim: Simulator }[] = [];
  afterEach(async () => {
    for (const { app, sim } of open.splice(0)) {
      await app.close();
      await sim.close();
    }
  });

  async function world(
    options: SimulatorOptions = {},
    domain: { soapUrl?: (sim: Simulator) => string; key?: string; ca?: boolean } = {},
  ) {
    const { app } = await createTestApp(tempDir());
    const sim = await startSimulator(options);
    open.push({ app, sim });
    const { preauthKey } = sim.addDomain(DOMAIN);
    sim.addAccount(ACCOUNT);
    await app.domains.add(
      {
        name: DOMAIN,
        soapUrl: domain.soapUrl?.(sim) ?? sim.soapUrl,
        preauthKey: domain.key ?? preauthKey,
        caPem: domain.ca === false ? null : (sim.caPem ?? null),
      },
      'tester',
    );
    const test = (extra: { alternativeSoapUrl?: string } = {}) =>
      testDomainConnection(app.domains, DOMAIN, {
        account: ACCOUNT,
        allowLoopback: true,
        ...extra,
      });
    return { app, sim, test };
  }

  function checkOf(report: ConnectionTestReport, name: ConnectionCheckName) {
    const found = report.checks.find((c) => c.name === name);
    expect(found, name).toBeDefined();
    return found!;
  }

  it('passes every check over HTTPS with the domain CA and names the egress address', async () => {
    const { sim, test } = await world({ tls: true });
    const report = await test();

    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['dns', true],
      ['tls', true],
      ['clock', true],
      ['endpoint', true],
      ['preauth', true],
    ]);
    expect(report).toMatchObject({
      ok: true,
      soapUrlAnswered: sim.soapUrl,
      egressAddress: '127.0.0.1',
    });
    expect(report.alternativeUrl).toBeUndefined();
    expect(report.rttMs).toBeGreaterThanOrEqual(0);
    expect(report.warning).toMatch(/10 failed logins/);
    expect(handledLogins(sim)).toBe(1);
  });

  it('reports a wrong key once, with what to check, and sends one login only', async () => {
    const { sim, test } = await world({}, { key: 'a'.repeat(64) });
    const report = await test();

    const preauth = checkOf(report, 'preauth');
    expect(preauth).toMatchObject({ ok: false, details: { code: 'ZIMBRA_AUTH_FAILED' } });
    expect(preauth.advice).toMatch(/zmprov generateDomainPreAuthKey example\.test/);
    expect(preauth.advice).toMatch(/10 failures/);
    expect(checkOf(report, 'endpoint').ok).toBe(true);
    expect(report).toMatchObject({ ok: false, soapUrlAnswered: null });
    expect(handledLogins(sim)).toBe(1);
  });

  it('finds the form that accepts the login when the configured port refuses its servlet', async () => {
    // The admin path on the user port: Zimbra answers "Request not allowed on port".
    const { sim, test } = await world(
      {},
      { soapUrl: (s) => `${new URL(s.soapUrl).origin}/service/admin/soap/` },
    );
    const report = await test({ alternativeSoapUrl: sim.soapUrl });

    const endpoint = checkOf(report, 'endpoint');
    expect(endpoint.ok).toBe(false);
    expect(endpoint.summary).toMatch(/not served on its port/);
    expect(endpoint.summary).toContain(`${sim.soapUrl} accepts the account's PreAuth login`);
    expect(endpoint.advice).toContain(`--soap-url ${sim.soapUrl}`);
    expect(checkOf(report, 'preauth').ok).toBe(true);
    expect(report).toMatchObject({
      ok: false,
      soapUrlAnswered: sim.soapUrl,
      alternativeUrl: sim.soapUrl,
    });
    expect(handledLogins(sim)).toBe(1);
  });

  it('says so when neither URL form accepts the login', async () => {
    const { sim, test } = await world(
      {},
      { soapUrl: (s) => `${new URL(s.adminSoapUrl).origin}/service/soap/` },
    );
    const wrongOnUser = `${new URL(sim.soapUrl).origin}/service/admin/soap/`;
    const report = await test({ alternativeSoapUrl: wrongOnUser });

    expect(checkOf(report, 'endpoint').summary).toMatch(/did not accept the login either/);
    expect(checkOf(report, 'preauth')).toMatchObject({ ok: false, summary: /^not tried/ });
    expect(report.soapUrlAnswered).toBeNull();
    expect(handledLogins(sim)).toBe(0);
  });

  it.each([
    ['self-signed', true, /self-signed/, /--ca-file/],
    ['expired', true, /expired on/, /zmcertmgr/],
    ['wrong-host', true, /names DNS:mail\.wrong-host\.invalid, not 127\.0\.0\.1/, /subjectAltName/],
    ['ok', false, /not signed by a CA Retract trusts/, /--ca-file/],
  ] as const)(
    'explains a %s certificate (CA given: %s) and never logs in',
    async (mode, withCa, summary, advice) => {
      const { sim, test } = await world({ tls: { mode } }, { ca: withCa });
      const report = await test();

      const tls = checkOf(report, 'tls');
      expect(tls.ok).toBe(false);
      expect(tls.summary).toMatch(summary);
      expect(tls.advice).toMatch(advice);
      expect(checkOf(report, 'preauth')).toMatchObject({ ok: false, summary: /^not tried/ });
      expect(handledLogins(sim)).toBe(0);
    },
  );

  it('warns about a clock more than 5 minutes off, which Retract corrects', async () => {
    const { sim, test } = await world();
    sim.setClockOffsetMs(8 * MINUTE_MS);
    const report = await test();

    const clock = checkOf(report, 'clock');
    expect(clock.summary).toMatch(
      /8 min \d+ s behind the Zimbra server: more than the 5 minutes Zimbra allows/,
    );
    expect(clock.summary).toMatch(/would fail without correction/);
    expect(clock.advice).toMatch(/NTP/);
    expect(checkOf(report, 'preauth').ok).toBe(true);
    expect(Math.abs(report.clockSkewMs! - 8 * MINUTE_MS)).toBeLessThan(1500);
  });

  it('says when Zimbra answers a bare 503 because the address is suspended', async () => {
    const { sim, test } = await world({}, { key: 'b'.repeat(64) });
    sim.configureLoginSuspension({ maxFailures: 1, exemptLoopback: false });
    await test();
    await test();
    const report = await test();

    expect(checkOf(report, 'preauth')).toMatchObject({
      ok: false,
      summary: /bare HTTP 503/,
      advice: /15 minutes/,
    });
  });

  it('refuses an unknown domain', async () => {
    const { app } = await world();
    await expect(
      testDomainConnection(app.domains, 'nope.test', { account: ACCOUNT, allowLoopback: true }),
    ).rejects.toMatchObject({ code: 'DOMAIN_NOT_FOUND' });
  });
});
