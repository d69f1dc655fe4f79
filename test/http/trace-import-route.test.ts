import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';

// Three lmtp deliveries of one message, in Postfix's classic syslog form.
const LOG = readFileSync(new URL('../fixtures/mta-logs/multi-recipient.log', import.meta.url));
const MESSAGE_ID = '20261204155630.GA1234@mail.sender.test';

describe('POST /api/v1/trace/imports', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  function upload(w: ApiWorld, headers: Record<string, string>, body: Buffer, query = '') {
    return w.server.inject({
      method: 'POST',
      url: `/api/v1/trace/imports${query}`,
      headers: { 'content-type': 'application/octet-stream', ...headers },
      payload: body,
    });
  }

  it('imports an uploaded log into the trace and says what it read', async () => {
    world = await createApiWorld(tempDir());
    const admin = await world.browser('admin');

    const res = await upload(world, admin.headers, LOG, '?name=zimbra.log');

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'zimbra.log', deliveries: 3, delivered: 3 });
    const recipients = await world.app.deliveries.recipientsOf(MESSAGE_ID);
    expect(recipients.sort()).toEqual([
      'alice@example.test',
      'bob@example.test',
      'carol@example.test',
    ]);
    const rows = await world.app.deliveries.search({ messageId: MESSAGE_ID });
    expect(rows.map((r) => r.source)).toEqual(Array(3).fill('upload:zimbra.log'));
  });

  it('reads a gzip upload the same as a plain one', async () => {
    world = await createApiWorld(tempDir());
    const token = await world.token('admin');

    const res = await upload(world, token.headers, gzipSync(LOG));

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'upload', delivered: 3 });
  });

  it('records the import in the audit log with who did it', async () => {
    world = await createApiWorld(tempDir());
    const admin = await world.browser('admin', 'ops');

    await upload(world, admin.headers, LOG, '?name=maillog');

    const [entry] = await world.app.audit.list({ action: 'trace.import' });
    expect(entry).toMatchObject({
      actor: 'user:ops',
      target: 'maillog',
      details: { deliveries: 3 },
    });
  });

  it('refuses analysts and auditors, who may read the trace but not feed it', async () => {
    world = await createApiWorld(tempDir());
    for (const role of ['analyst', 'auditor'] as const) {
      const res = await upload(world, (await world.browser(role)).headers, LOG);
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('AUTH_FORBIDDEN');
    }
    expect(await world.app.deliveries.recipientsOf(MESSAGE_ID)).toEqual([]);
  });

  it('refuses a signed-in upload without the CSRF header', async () => {
    world = await createApiWorld(tempDir());
    const { headers } = await world.browser('admin');

    const res = await upload(world, { cookie: headers['cookie']! }, LOG);

    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('AUTH_CSRF_FAILED');
  });

  it('names the field of a file name with a path in it', async () => {
    world = await createApiWorld(tempDir());
    const admin = await world.browser('admin');

    const res = await upload(world, admin.headers, LOG, '?name=..%2Fetc%2Fpasswd');

    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('name');
  });

  it('names the time zone field when the zone is unknown', async () => {
    world = await createApiWorld(tempDir());
    const admin = await world.browser('admin');

    const res = await upload(world, admin.headers, LOG, '?timeZone=Mars%2FOlympus');

    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'TRACE_BAD_TIME_ZONE', field: 'timeZone' });
  });

  it('names a cut-short gzip upload by the name it was sent under, not a temporary path', async () => {
    world = await createApiWorld(tempDir());
    const admin = await world.browser('admin');
    const gz = gzipSync(Buffer.concat(Array.from({ length: 50 }, () => LOG)));

    const res = await upload(
      world,
      admin.headers,
      gz.subarray(0, gz.length - 40),
      '?name=maillog.gz',
    );

    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'TRACE_LOG_UNREADABLE', field: 'body' });
    expect(errorOf(res).message).toMatch(
      /^cannot read the uploaded log maillog\.gz: the gzip data is cut short; the \d+ deliveries read before it are stored/,
    );
    expect(errorOf(res).message).not.toContain('retract-import-');
  });
});
