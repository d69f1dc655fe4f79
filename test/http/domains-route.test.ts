import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSuiteTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';
import { KEY_A, KEY_B } from './route-cases.js';

const SOAP = 'https://mail.example.com/service/soap/';

describe('domain routes', () => {
  const tempDir = useSuiteTempDir();
  let world: ApiWorld;
  let headers: Record<string, string>;
  beforeAll(async () => {
    world = await createApiWorld(tempDir());
    headers = (await world.browser('admin')).headers;
  });
  afterAll(async () => world.close());

  const add = (payload: Record<string, unknown>) =>
    world.server.inject({ method: 'POST', url: '/api/v1/domains', headers, payload });

  it('adds a domain and shows its key only as date and fingerprint', async () => {
    const res = await add({
      name: 'Alpha.Example.com',
      soapUrl: 'https://mail.example.com:7071/service/admin/soap',
      preauthKey: KEY_A,
    });

    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'alpha.example.com',
      soapUrlKind: 'admin',
      maxConcurrency: 8,
      caSubjects: [],
    });
    expect(body.keyStatus.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(body.keyStatus.summary).toBe(
      `set on ${body.keyStatus.setAt}, fingerprint ${body.keyStatus.fingerprint}`,
    );
    expect(res.body).not.toContain(KEY_A);
    const listed = await world.server.inject({ method: 'GET', url: '/api/v1/domains', headers });
    expect(listed.json().domains.map((d: { name: string }) => d.name)).toContain(
      'alpha.example.com',
    );
  });

  it('replaces the key: a new fingerprint and date, the key still never shown', async () => {
    const before = (
      await add({ name: 'beta.example.com', soapUrl: SOAP, preauthKey: KEY_A })
    ).json();

    const res = await world.server.inject({
      method: 'PUT',
      url: '/api/v1/domains/beta.example.com/preauth-key',
      headers,
      payload: { preauthKey: KEY_B },
    });

    expect(res.statusCode).toBe(200);
    expect(res.json().keyStatus.fingerprint).not.toBe(before.keyStatus.fingerprint);
    expect(res.body).not.toContain(KEY_B);
    const creds = await world.app.domains.openCredentials('beta.example.com');
    expect(creds.preauthKey).toBe(KEY_B);
  });

  it('answers 409 for a domain added twice and 404 for an unknown one', async () => {
    await add({ name: 'gamma.example.com', soapUrl: SOAP, preauthKey: KEY_A });
    const twice = await add({ name: 'gamma.example.com', soapUrl: SOAP, preauthKey: KEY_A });
    const unknown = await world.server.inject({
      method: 'GET',
      url: '/api/v1/domains/nope.example.com',
      headers,
    });

    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice)).toMatchObject({ code: 'DOMAIN_EXISTS', field: 'name' });
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ code: 'DOMAIN_NOT_FOUND', field: 'name' });
  });

  it('removes a domain', async () => {
    await add({ name: 'delta.example.com', soapUrl: SOAP, preauthKey: KEY_A });
    const del = await world.server.inject({
      method: 'DELETE',
      url: '/api/v1/domains/delta.example.com',
      headers,
    });
    const after = await world.server.inject({
      method: 'GET',
      url: '/api/v1/domains/delta.example.com',
      headers,
    });
    expect([del.statusCode, after.statusCode]).toEqual([204, 404]);
  });

  // What the services check beyond the schema, with the field named as the API names it.
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['a bad domain name', { name: 'localhost' }, 'DOMAIN_BAD_NAME', 'name'],
    [
      'a plain-http SOAP URL',
      { soapUrl: 'http://mail.example.com/service/soap/' },
      'ZIMBRA_INVALID_SOAP_URL',
      'soapUrl',
    ],
    [
      'a SOAP URL with another path',
      { soapUrl: 'https://mail.example.com/zimbra/' },
      'ZIMBRA_INVALID_SOAP_URL',
      'soapUrl',
    ],
    [
      'a metadata address',
      { soapUrl: 'https://169.254.169.254/service/soap/' },
      'ZIMBRA_INVALID_SOAP_URL',
      'soapUrl',
    ],
    ['a short key', { preauthKey: 'abc123' }, 'DOMAIN_BAD_PREAUTH_KEY', 'preauthKey'],
    ['a CA that is not PEM', { caPem: 'hello' }, 'DOMAIN_BAD_CA', 'caPem'],
    [
      'a private key as CA',
      { caPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' },
      'DOMAIN_BAD_CA',
      'caPem',
    ],
    ['concurrency 0', { maxConcurrency: 0 }, 'DOMAIN_BAD_CONCURRENCY', 'maxConcurrency'],
    ['concurrency 65', { maxConcurrency: 65 }, 'DOMAIN_BAD_CONCURRENCY', 'maxConcurrency'],
  ];
  for (const [what, change, code, field] of cases) {
    it(`refuses ${what} with 400 naming ${field}`, async () => {
      const res = await add({
        name: 'epsilon.example.com',
        soapUrl: SOAP,
        preauthKey: KEY_A,
        ...change,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(errorOf(res)).toMatchObject({ code, field });
    });
  }

  it('refuses a bad replacement key naming preauthKey', async () => {
    await add({ name: 'zeta.example.com', soapUrl: SOAP, preauthKey: KEY_A });
    const res = await world.server.inject({
      method: 'PUT',
      url: '/api/v1/domains/zeta.example.com/preauth-key',
      headers,
      payload: { preauthKey: 'zz' },
    });
    expect(errorOf(res)).toMatchObject({ code: 'DOMAIN_BAD_PREAUTH_KEY', field: 'preauthKey' });
  });
});
