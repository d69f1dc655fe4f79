import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMtaLogs } from '../../src/trace/index.js';
import { useSuiteTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld, type Caller } from './api-fixture.js';

// Mail that carried no Message-ID (issue 4): listed by queue id, never
// retracted by one. Fixture lines: test/fixtures/mta-logs/README.md.
const LOG = join(import.meta.dirname, '..', 'fixtures', 'mta-logs', 'no-message-id.log');
const NOW = () => Date.UTC(2026, 11, 4, 18, 0, 0);

describe('trace of mail without a Message-ID', () => {
  const tempDir = useSuiteTempDir();
  let world: ApiWorld;
  let analyst: Caller;
  beforeAll(async () => {
    world = await createApiWorld(tempDir());
    analyst = await world.browser('analyst');
    await importMtaLogs([LOG], world.app.deliveries, { now: NOW });
  });
  afterAll(async () => world.close());

  const get = (url: string) =>
    world.server.inject({ method: 'GET', url, headers: analyst.headers });

  it('lists each such message once per queue id, with its sender and recipient count', async () => {
    const body = (await get('/api/v1/trace/messages?sender=scanner@example.test')).json();

    expect(body.messages).toEqual([
      expect.objectContaining({
        messageId: null,
        queueId: '7A8B9C0D1E',
        sender: 'scanner@example.test',
        recipients: 2,
      }),
      expect.objectContaining({ messageId: null, queueId: '8B9C0D1E2F', recipients: 1 }),
    ]);
  });

  it('finds the deliveries of one by its queue id', async () => {
    const body = (await get('/api/v1/trace/deliveries?queueId=7A8B9C0D1E')).json();
    expect(body.deliveries.map((d: { recipient: string }) => d.recipient).sort()).toEqual([
      'laura@example.test',
      'mike@example.test',
    ]);
  });

  it('refuses a retraction whose trace query matches only such mail, saying how to look instead', async () => {
    const res = await world.server.inject({
      method: 'POST',
      url: '/api/v1/retractions',
      headers: analyst.headers,
      payload: { traceQuery: { sender: 'scanner@example.test' }, dryRun: true },
    });

    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({
      code: 'HTTP_TRACE_QUERY_NO_MESSAGE_ID',
      field: 'traceQuery',
    });
    expect(errorOf(res).message).toMatch(
      /2 messages it matches carry no Message-ID.*sender, subject and time/,
    );
  });
});
