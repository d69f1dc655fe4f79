import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { DOMAIN } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';
import { KEY_B } from './route-cases.js';

describe('POST /api/v1/domains/{name}/test', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  let sim: Simulator | undefined;
  afterEach(async () => {
    await world?.close();
    await sim?.close();
    world = sim = undefined;
  });

  async function setUp(key?: string) {
    world = await createApiWorld(tempDir());
    sim = await startSimulator();
    const { preauthKey } = sim.addDomain(DOMAIN);
    sim.addAccount(`ann@${DOMAIN}`);
    await world.app.domains.add(
      { name: DOMAIN, soapUrl: sim.soapUrl, preauthKey: key ?? preauthKey },
      'test',
    );
    const admin = await world.browser('admin');
    const test = (account: string, name = DOMAIN) =>
      world!.server.inject({
        method: 'POST',
        url: `/api/v1/domains/${name}/test`,
        headers: admin.headers,
        payload: { account },
      });
    return { w: world, test };
  }

  it('reports every check passing against a reachable Zimbra, and audits the test', async () => {
    const { w, test } = await setUp();

    const res = await test(`ann@${DOMAIN}`);

    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ domain: DOMAIN, ok: true });
    expect(report.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['dns', true],
      ['tls', true],
      ['clock', true],
      ['endpoint', true],
      ['preauth', true],
    ]);
    expect((await w.app.audit.list({ action: 'domain.test' }))[0]).toMatchObject({
      target: DOMAIN,
      details: { ok: true },
    });
  });

  it('says the PreAuth login failed, with advice, when the stored key is wrong', async () => {
    const { test } = await setUp(KEY_B);

    const report = (await test(`ann@${DOMAIN}`)).json();

    expect(report.ok).toBe(false);
    const preauth = report.checks.find((c: { name: string }) => c.name === 'preauth');
    expect(preauth).toMatchObject({ ok: false, advice: expect.any(String) });
    expect(JSON.stringify(report)).not.toContain(KEY_B);
  });

  it('answers 404 for an unknown domain and 400 for an account that is not an address', async () => {
    const { test } = await setUp();
    const unknown = await test('ann@nowhere.example', 'nowhere.example');
    const badAccount = await test('not an address');
    expect(errorOf(unknown)).toMatchObject({ code: 'DOMAIN_NOT_FOUND', field: 'name' });
    expect(badAccount.statusCode).toBe(400);
    expect(errorOf(badAccount)).toMatchObject({ code: 'ZIMBRA_INVALID_ACCOUNT', field: 'account' });
  });
});
