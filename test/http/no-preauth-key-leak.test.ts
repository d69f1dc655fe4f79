import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { DOMAIN, phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, PASSWORD, type ApiWorld } from './api-fixture.js';

const MID = 'leak-check@mail.evil.example';
const OTHER_KEY = 'c3'.repeat(32);

describe('no PreAuth key leaves the server', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  let sim: Simulator | undefined;
  afterEach(async () => {
    await world?.close();
    await sim?.close();
    world = sim = undefined;
  });

  it('appears in no response body, header or log line across a full session', async () => {
    world = await createApiWorld(tempDir());
    sim = await startSimulator();
    const { preauthKey } = sim.addDomain(DOMAIN);
    const accounts = ['ann', 'bob'].map((u) => `${u}@${DOMAIN}`);
    for (const a of accounts) sim.addAccount(a);
    sim.deliver(phishMessage(MID), accounts);
    const admin = await world.browser('admin');
    const token = await world.token('auditor');
    const answers: LightMyRequestResponse[] = [];
    const call = async (options: InjectOptions, who = admin.headers) => {
      const res = await world!.server.inject({
        ...options,
        headers: { ...who, ...options.headers },
      });
      answers.push(res);
      return res;
    };
    const domainUrl = `/api/v1/domains/${DOMAIN}`;

    // A key that fails the format check must not be echoed in the error either.
    await call({
      method: 'POST',
      url: '/api/v1/domains',
      payload: { name: DOMAIN, soapUrl: sim.soapUrl, preauthKey: `${preauthKey}zz` },
    });
    await call({
      method: 'POST',
      url: '/api/v1/domains',
      payload: { name: 'x', soapUrl: sim.soapUrl, preauthKey },
    });
    const added = await call({
      method: 'POST',
      url: '/api/v1/domains',
      payload: { name: DOMAIN, soapUrl: sim.soapUrl, preauthKey },
    });
    expect(added.statusCode).toBe(201);
    await call({
      method: 'POST',
      url: '/api/v1/domains',
      payload: { name: DOMAIN, soapUrl: sim.soapUrl, preauthKey },
    });
    await call({ method: 'GET', url: '/api/v1/domains' });
    const tested = await call({
      method: 'POST',
      url: `${domainUrl}/test`,
      payload: { account: accounts[0] },
    });
    expect(tested.json().ok).toBe(true);
    await call({ method: 'GET', url: domainUrl });
    await call({ method: 'GET', url: domainUrl }, token.headers);
    const created = await call({
      method: 'POST',
      url: '/api/v1/retractions',
      payload: { messageId: MID, recipients: accounts },
    });
    const { id } = (created.json().retractions as { id: string }[])[0]!;
    await call({ method: 'GET', url: `/api/v1/retractions/${id}/events` });
    await world.app.retractions.drain();
    await call({ method: 'GET', url: `/api/v1/retractions/${id}` });
    await call({ method: 'GET', url: `/api/v1/retractions/${id}/mailboxes` });
    await call({ method: 'GET', url: `/api/v1/retractions/${id}/mailboxes/export.csv` });
    await call({
      method: 'PUT',
      url: `${domainUrl}/preauth-key`,
      payload: { preauthKey: OTHER_KEY },
    });
    await call({ method: 'PUT', url: `${domainUrl}/preauth-key`, payload: { preauthKey } });
    await call({ method: 'GET', url: '/api/v1/audit?limit=1000' });
    await call({ method: 'GET', url: '/api/v1/audit?limit=1000' }, token.headers);
    await call({ method: 'GET', url: '/api/v1/audit/verify' });
    await call({ method: 'GET', url: '/api/openapi.json' });
    await call({ method: 'GET', url: '/metrics' });
    await call({ method: 'DELETE', url: domainUrl });

    const retraction = await world.app.retractions.report(id);
    expect(retraction.counts.retracted).toBe(2);
    const audit = await world.app.audit.list({ limit: 1000 });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['domain.add', 'domain.replace_key', 'domain.remove']),
    );
    for (const secret of [preauthKey, OTHER_KEY, preauthKey.toUpperCase()]) {
      for (const res of answers) {
        expect(res.body, `${res.statusCode} body`).not.toContain(secret);
        expect(JSON.stringify(res.headers)).not.toContain(secret);
      }
      expect(world.logs.lines.length).toBeGreaterThan(20);
      expect(world.logs.text).not.toContain(secret);
      expect(JSON.stringify(audit)).not.toContain(secret);
    }
  });
});

describe('no password, token or session id in the logs', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('logs requests without cookies, Authorization headers or bodies', async () => {
    world = await createApiWorld(tempDir());
    await world.users.users.add({ name: 'ann', role: 'admin', password: PASSWORD }, 'test');
    const login = await world.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'ann', password: PASSWORD },
    });
    const cookie = login.cookies.find((c) => c.name === 'retract_session')!.value;
    const csrf = login.json().csrfToken as string;
    const created = await world.server.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: `retract_session=${cookie}`, 'x-csrf-token': csrf },
      payload: { name: 'ci', role: 'admin' },
    });
    const token = created.json().token as string;
    await world.server.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${token}` },
    });
    await world.server.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'ann', password: `${PASSWORD}!` },
    });

    expect(world.logs.text).toContain('request completed');
    for (const secret of [PASSWORD, cookie, csrf, token])
      expect(world.logs.text).not.toContain(secret);
  });
});
