import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimWorld, phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, type ApiWorld } from './api-fixture.js';
import { newRetraction } from './route-cases.js';

describe('health, metrics, API docs and the portal files', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('answers /healthz and /readyz, and /readyz says 503 when the store does not answer', async () => {
    world = await createApiWorld(tempDir());
    expect((await world.server.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await world.server.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });

    await world.app.store.db.destroy();
    const res = await world.server.inject({ url: '/readyz' });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', reason: 'the store does not answer' });
    await world.server.close();
    world = undefined;
  });

  it('counts retractions and mailbox tasks by outcome in /metrics', async () => {
    world = await createApiWorld(tempDir());
    await newRetraction(world, true);
    await newRetraction(world, true);

    const res = await world.server.inject({ url: '/metrics' });

    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain(
      'retract_retractions_total{outcome="completed_with_failures",dry_run="false"} 2',
    );
    expect(res.body).toContain('retract_mailbox_tasks_total{outcome="failed"} 2');
    expect(res.body).toContain(
      'retract_mailbox_task_failures_total{code="DOMAIN_NOT_FOUND",domain="unconfigured.test"} 2',
    );
  });

  it('times Zimbra calls by host and request, and counts faults by code', async () => {
    world = await createApiWorld(tempDir());
    const zimbra = await createSimWorld(world.app, 2);
    try {
      zimbra.sim.deliver(phishMessage('metrics-1@evil.example'), zimbra.accounts);
      zimbra.sim.inject({
        request: 'MsgActionRequest',
        times: 1,
        fault: { code: 'mail.NO_SUCH_MSG' },
      });
      const r = await world.app.retractions.create(
        { messageId: 'metrics-1@evil.example', recipients: zimbra.accounts },
        'test',
      );
      await world.app.retractions.run(r.id);

      const body = (await world.server.inject({ url: '/metrics' })).body;
      const host = new URL(zimbra.sim.soapUrl).origin;
      const searches = new RegExp(
        `retract_zimbra_request_seconds_count\\{host="${host}",request="SearchRequest"\\} (\\d+)`,
      ).exec(body);
      expect(Number(searches?.[1])).toBeGreaterThanOrEqual(4);
      expect(body).toContain(
        `retract_zimbra_faults_total{host="${host}",request="MsgActionRequest",code="mail.NO_SUCH_MSG"} 1`,
      );
    } finally {
      await zimbra.sim.close();
    }
  });

  it('serves the OpenAPI document and a docs page', async () => {
    world = await createApiWorld(tempDir());
    const doc = (await world.server.inject({ url: '/api/openapi.json' })).json();
    const page = await world.server.inject({ url: '/api/docs' });

    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/domains', '/api/v1/retractions/{id}/events']),
    );
    expect(
      doc.paths['/api/v1/domains'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['name', 'soapUrl', 'preauthKey']);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('sets a same-origin CSP and the other Helmet headers on API answers', async () => {
    world = await createApiWorld(tempDir());
    const res = await world.server.inject({ url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the built portal with index.html for its pages, and JSON 404s for API paths', async () => {
    const webRoot = join(tempDir(), 'dist');
    mkdirSync(join(webRoot, 'assets'), { recursive: true });
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Retract</title>');
    writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1)');
    world = await createApiWorld(tempDir(), { webRoot });

    const root = await world.server.inject({ url: '/' });
    const page = await world.server.inject({ url: '/retractions/123' });
    const asset = await world.server.inject({ url: '/assets/app.js' });
    const api = await world.server.inject({ url: '/api/v1/nope' });

    expect(root.body).toContain('<title>Retract</title>');
    expect(page.body).toContain('<title>Retract</title>');
    expect(asset.body).toBe('console.log(1)');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('HTTP_NOT_FOUND');
  });

  it('works as an API alone when the portal is not built', async () => {
    world = await createApiWorld(tempDir(), { webRoot: join(tempDir(), 'missing') });
    const res = await world.server.inject({ url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('HTTP_NOT_FOUND');
  });
});
