// HTTPS listeners with a CA the simulator generates (@peculiar/x509 + WebCrypto). Zimbra
// serves its SOAP URLs over TLS (reference §8.2, https://host/service/soap/); the bad
// certificate modes are there for the client's "never a global don't-verify" rule.
import { X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { Agent, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type TlsMode } from '../../sim/index.js';
import { envelope, login, preauthBody } from './sim-helpers.js';

const T = Date.now();
const sims: Simulator[] = [];

async function tlsSim(mode?: TlsMode) {
  const sim = await startSimulator({ now: () => T, tls: mode === undefined ? true : { mode } });
  sims.push(sim);
  return sim;
}

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

/** POSTs over node:https and resolves the status, or rejects with node's TLS error. */
function postHttps(url: string, body: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', ca, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (err: NodeJS.ErrnoException) => err.code,
  );
}

const authBody = (key: string) =>
  JSON.stringify(
    envelope('AuthRequest', 'urn:zimbraAccount', preauthBody(key, 'a@example.com', T)),
  );

describe('HTTPS with the simulator CA', () => {
  let sim: Simulator;
  let key: string;

  beforeAll(async () => {
    sim = await tlsSim();
    key = sim.addDomain('example.com').preauthKey;
    sim.addAccount('a@example.com');
  });

  it('announces https URLs and exposes the CA and served certificate as PEM', () => {
    expect(sim.soapUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/service\/soap\/$/);
    expect(sim.adminSoapUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/service\/admin\/soap\/$/);
    expect(sim.tlsMode).toBe('ok');
    expect(sim.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(sim.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('serves a certificate for localhost, 127.0.0.1 and ::1 that the CA signed', () => {
    const cert = new X509Certificate(sim.certPem as string);
    const ca = new X509Certificate(sim.caPem as string);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
  });

  it('completes a preauth over node:https when the CA is trusted', async () => {
    expect(await postHttps(sim.soapUrl, authBody(key), sim.caPem)).toBe(200);
  });

  it('completes a login and a search over undici with the CA on the connector', async () => {
    const agent = new Agent({ connect: { ca: sim.caPem } });
    try {
      const answer = await undiciRequest(sim.adminSoapUrl, {
        method: 'POST',
        body: authBody(key),
        dispatcher: agent,
      });
      const json = (await answer.body.json()) as { Body: { AuthResponse: unknown } };
      expect(answer.statusCode).toBe(200);
      expect(json.Body.AuthResponse).toBeDefined();
    } finally {
      await agent.close();
    }
  });

  it('fails verification without the CA: the leaf alone cannot be chained', async () => {
    expect(await errorCode(postHttps(sim.soapUrl, authBody(key)))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
  });

  it('still answers the wrong-port XML fault over TLS', async () => {
    const url = sim.adminSoapUrl.replace('/service/admin/soap/', '/service/soap/');
    expect(await postHttps(url, authBody(key), sim.caPem)).toBe(500);
  });

  it('shares one CA per process between simulators', async () => {
    const other = await tlsSim();
    expect(other.caPem).toBe(sim.caPem);
    expect(other.certPem).toBe(sim.certPem);
  });
});

describe('certificates a careful client must refuse', () => {
  it('an expired certificate fails with CERT_HAS_EXPIRED even with the CA trusted', async () => {
    const sim = await tlsSim('expired');
    const cert = new X509Certificate(sim.certPem as string);
    expect(Date.parse(cert.validTo)).toBeLessThan(Date.now());
    expect(await errorCode(postHttps(sim.soapUrl, '{}', sim.caPem))).toBe('CERT_HAS_EXPIRED');
  });

  it('a certificate for another host fails with ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    const sim = await tlsSim('wrong-host');
    const cert = new X509Certificate(sim.certPem as string);
    expect(cert.checkIssued(new X509Certificate(sim.caPem as string))).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBeUndefined();
    expect(await errorCode(postHttps(sim.soapUrl, '{}', sim.caPem))).toBe(
      'ERR_TLS_CERT_ALTNAME_INVALID',
    );
  });

  it('a self-signed certificate fails with DEPTH_ZERO_SELF_SIGNED_CERT, CA or not', async () => {
    const sim = await tlsSim('self-signed');
    const cert = new X509Certificate(sim.certPem as string);
    expect(cert.checkIssued(new X509Certificate(sim.caPem as string))).toBe(false);
    expect(await errorCode(postHttps(sim.soapUrl, '{}', sim.caPem))).toBe(
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
    expect(await errorCode(postHttps(sim.soapUrl, '{}'))).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});

describe('plain HTTP stays the default', () => {
  it('serves http URLs and no CA when tls is not asked for', async () => {
    const sim = await startSimulator({ now: () => T });
    sims.push(sim);
    const key = sim.addDomain('example.com').preauthKey;
    sim.addAccount('a@example.com');
    expect(sim.soapUrl).toMatch(/^http:\/\//);
    expect(sim.caPem).toBeUndefined();
    expect(sim.tlsMode).toBeNull();
    await expect(login(sim.soapUrl, key, 'a@example.com', T)).resolves.toMatch(/^0_/);
  });

  it('refuses an unknown TLS mode', async () => {
    await expect(startSimulator({ tls: { mode: 'broken' as unknown as 'ok' } })).rejects.toThrow(
      TypeError,
    );
  });
});
