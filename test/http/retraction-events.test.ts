import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { DOMAIN, phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, type ApiWorld } from './api-fixture.js';
import { parseSse } from './sse.js';

const MID = 'sse-1@mail.evil.example';

describe('retraction progress over Server-Sent Events', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  let sim: Simulator | undefined;
  afterEach(async () => {
    await world?.close();
    await sim?.close();
    world = sim = undefined;
  });

  async function setUp(accounts: number) {
    world = await createApiWorld(tempDir());
    sim = await startSimulator();
    const { preauthKey } = sim.addDomain(DOMAIN);
    const mailboxes = Array.from({ length: accounts }, (_, i) => `user${i + 1}@${DOMAIN}`);
    for (const a of mailboxes) sim.addAccount(a);
    sim.deliver(phishMessage(MID), mailboxes);
    const analyst = await world.browser('analyst');
    const admin = await world.browser('admin');
    const added = await world.server.inject({
      method: 'POST',
      url: '/api/v1/domains',
      headers: admin.headers,
      payload: { name: DOMAIN, soapUrl: sim.soapUrl, preauthKey },
    });
    expect(added.statusCode, added.body).toBe(201);
    return { w: world, s: sim, mailboxes, analyst };
  }

  it('streams the state, one task event per mailbox, then finished', async () => {
    const { w, s, mailboxes, analyst } = await setUp(3);
    // Slow searches keep every mailbox busy until the stream is open.
    s.inject({ request: 'SearchRequest', delayMs: 150 });

    const created = await w.server.inject({
      method: 'POST',
      url: '/api/v1/retractions',
      headers: analyst.headers,
      payload: { messageId: `<${MID}>`, recipients: mailboxes },
    });
    expect(created.statusCode, created.body).toBe(202);
    const { id } = (created.json().retractions as { id: string }[])[0]!;
    const res = await w.server.inject({
      method: 'GET',
      url: `/api/v1/retractions/${id}/events`,
      headers: analyst.headers,
    });

    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(res.body);
    expect(events[0]!.event).toBe('state');
    const tasks = events
      .filter((e) => e.event === 'task')
      .map((e) => e.data as { account: string; status: string });
    expect(tasks.map((t) => t.account).sort()).toEqual(mailboxes);
    expect(tasks.every((t) => t.status === 'retracted')).toBe(true);
    const last = events[events.length - 1]!;
    expect(last.event).toBe('finished');
    expect(last.data).toMatchObject({
      phase: 'retraction',
      retraction: { id, status: 'completed', counts: { retracted: 3, failed: 0 } },
    });
  });

  it('gives a late subscriber the whole state and finished at once', async () => {
    const { w, mailboxes, analyst } = await setUp(2);
    const created = await w.server.inject({
      method: 'POST',
      url: '/api/v1/retractions',
      headers: analyst.headers,
      payload: { messageId: MID, recipients: mailboxes, action: 'trash' },
    });
    const { id } = (created.json().retractions as { id: string }[])[0]!;
    await w.app.retractions.drain();

    const res = await w.server.inject({
      method: 'GET',
      url: `/api/v1/retractions/${id}/events`,
      headers: analyst.headers,
    });

    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).toEqual(['state', 'finished']);
    const state = events[0]!.data as { mailboxes: { account: string; status: string }[] };
    expect(state.mailboxes.map((m) => [m.account, m.status])).toEqual(
      mailboxes.map((m) => [m, 'retracted']),
    );
    expect(events[1]!.data).toMatchObject({ phase: 'idle', retraction: { status: 'completed' } });
  });

  it('streams a restore started through the API, and puts every copy back', async () => {
    const { w, s, mailboxes, analyst } = await setUp(2);
    const created = await w.server.inject({
      method: 'POST',
      url: '/api/v1/retractions',
      headers: analyst.headers,
      payload: { messageId: MID, recipients: mailboxes },
    });
    const { id } = (created.json().retractions as { id: string }[])[0]!;
    await w.app.retractions.drain();
    s.inject({ request: 'MsgActionRequest', delayMs: 150 });

    const restore = await w.server.inject({
      method: 'POST',
      url: `/api/v1/retractions/${id}/restore`,
      headers: analyst.headers,
    });
    const res = await w.server.inject({
      method: 'GET',
      url: `/api/v1/retractions/${id}/events`,
      headers: analyst.headers,
    });

    expect(restore.statusCode, restore.body).toBe(202);
    const events = parseSse(res.body);
    expect(events.filter((e) => e.event === 'task')).toHaveLength(2);
    expect(events[events.length - 1]).toMatchObject({
      event: 'finished',
      data: {
        phase: 'restore',
        retraction: { restoreStatus: 'completed', counts: { restored: 2 } },
      },
    });
    for (const a of mailboxes) {
      expect(
        s
          .listMessages(a)
          .filter((m) => m.messageId === MID)
          .map((m) => m.folderId),
      ).toEqual(['2']);
    }
  });

  it('answers 404 in the error shape for an unknown retraction', async () => {
    const { w, analyst } = await setUp(1);
    const res = await w.server.inject({
      method: 'GET',
      url: '/api/v1/retractions/00000000-0000-4000-8000-000000000000/events',
      headers: analyst.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('RETRACTION_NOT_FOUND');
  });
});
