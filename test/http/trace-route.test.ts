import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatDeliveryCursor,
  type DeliveryCursor,
  type DeliveryRecord,
} from '../../src/trace/index.js';
import { useSuiteTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';

const T0 = Date.parse('2026-12-01T08:00:00Z');

function delivery(i: number, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    timeMs: T0 + Math.floor(i / 2) * 60_000,
    queueId: `Q${String(i).padStart(6, '0')}`,
    queueIds: [`Q${String(i).padStart(6, '0')}`],
    messageId: `m${i % 5}@evil.example`,
    messageIdRaw: `<m${i % 5}@evil.example>`,
    sender: 'payroll@evil.example',
    recipient: `user${i}@unconfigured.test`,
    originalRecipient: null,
    sizeBytes: 1000 + i,
    clientAddress: '192.0.2.1',
    clientHost: 'mx.evil.example',
    subject: `Invoice ${i % 5}`,
    subjectRaw: null,
    status: 'delivered',
    dsn: '2.0.0',
    relay: 'mailbox.example.test[192.0.2.10]:7025',
    detail: '250 2.1.5 Delivery OK',
    ...overrides,
  };
}

describe('trace routes', () => {
  const tempDir = useSuiteTempDir();
  let world: ApiWorld;
  let headers: Record<string, string>;
  beforeAll(async () => {
    world = await createApiWorld(tempDir());
    headers = (await world.browser('auditor')).headers;
    await world.app.deliveries.upsert(
      Array.from({ length: 25 }, (_, i) => delivery(i)),
      'test.log',
    );
  });
  afterAll(async () => world.close());

  const get = (url: string, extra: Record<string, string> = {}) =>
    world.server.inject({ method: 'GET', url, headers: { ...headers, ...extra } });

  it('pages through deliveries newest first with an opaque cursor, each row once', async () => {
    const seen: string[] = [];
    let url = '/api/v1/trace/deliveries?limit=10';
    let pages = 0;
    for (;;) {
      const body = (await get(url)).json() as {
        deliveries: { queueId: string; time: string }[];
        next: string | null;
      };
      seen.push(...body.deliveries.map((d) => d.queueId));
      pages += 1;
      if (!body.next) break;
      url = `/api/v1/trace/deliveries?limit=10&cursor=${encodeURIComponent(body.next)}`;
    }

    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const expectedOrder = Array.from({ length: 25 }, (_, i) => delivery(i))
      .sort((a, b) => b.timeMs - a.timeMs || b.queueId.localeCompare(a.queueId))
      .map((d) => d.queueId);
    expect(seen).toEqual(expectedOrder);
  });

  it('returns the page cursor the CLI prints, and reads the one it printed', async () => {
    const body = (await get('/api/v1/trace/deliveries?limit=10')).json() as { next: string };
    const page = await world.app.deliveries.searchPage({ limit: 10 });
    const cliNext = formatDeliveryCursor(page.next as DeliveryCursor);
    const fromApi = (await get(`/api/v1/trace/deliveries?limit=10&cursor=${body.next}`)).json();
    const second = await world.app.deliveries.searchPage({ limit: 10 }, page.next ?? undefined);

    expect(body.next).toBe(cliNext);
    expect(fromApi.deliveries.map((d: { queueId: string }) => d.queueId)).toEqual(
      second.deliveries.map((d) => d.queueId),
    );
  });

  it('keeps the next page stable when newer deliveries arrive between pages', async () => {
    const first = (
      await get('/api/v1/trace/deliveries?limit=5&sender=payroll@evil.example')
    ).json();
    await world.app.deliveries.upsert([delivery(900, { timeMs: T0 + 86_400_000 })], 'late.log');
    const second = (
      await get(`/api/v1/trace/deliveries?limit=5&sender=payroll@evil.example&cursor=${first.next}`)
    ).json();

    const firstIds = first.deliveries.map((d: { queueId: string }) => d.queueId);
    const secondIds = second.deliveries.map((d: { queueId: string }) => d.queueId);
    expect(secondIds).toHaveLength(5);
    expect(secondIds.some((q: string) => firstIds.includes(q) || q === 'Q000900')).toBe(false);
  });

  it('filters by message, recipient, subject and time', async () => {
    const byMessage = (
      await get('/api/v1/trace/deliveries?messageId=%3Cm1%40evil.example%3E&limit=100')
    ).json();
    const byRecipient = (
      await get('/api/v1/trace/deliveries?recipient=USER3@unconfigured.test')
    ).json();
    const bySubject = (await get('/api/v1/trace/deliveries?subject=invoice%202')).json();
    const byTime = (
      await get('/api/v1/trace/deliveries?after=2026-12-01T08:05:00Z&before=2026-12-01T08:07:00Z')
    ).json();

    expect(byMessage.deliveries).toHaveLength(5);
    expect(byRecipient.deliveries.map((d: { recipient: string }) => d.recipient)).toEqual([
      'user3@unconfigured.test',
    ]);
    expect(bySubject.deliveries.every((d: { subject: string }) => d.subject === 'Invoice 2')).toBe(
      true,
    );
    expect(byTime.deliveries.map((d: { time: string }) => d.time).sort()).toEqual([
      '2026-12-01T08:05:00.000Z',
      '2026-12-01T08:05:00.000Z',
      '2026-12-01T08:06:00.000Z',
      '2026-12-01T08:06:00.000Z',
    ]);
  });

  it('groups matching deliveries by message with recipient counts, most first', async () => {
    const body = (await get('/api/v1/trace/messages?after=2026-11-30&before=2026-12-02')).json();
    expect(body.messages).toHaveLength(5);
    // Five recipients each: the newest first comes first, then by id.
    expect(body.messages.map((m: { messageId: string }) => m.messageId)).toEqual([
      'm4@evil.example',
      'm2@evil.example',
      'm3@evil.example',
      'm0@evil.example',
      'm1@evil.example',
    ]);
    expect(body.messages[0]).toMatchObject({
      recipients: 5,
      queueId: null,
      sender: 'payroll@evil.example',
    });
    expect(
      body.messages.reduce((sum: number, m: { recipients: number }) => sum + m.recipients, 0),
    ).toBe(25);
  });

  it('counts a message as reaching only the recipients it was delivered to', async () => {
    const at = (minutes: number) => Date.parse('2026-12-03T10:00:00Z') + minutes * 60_000;
    const amavis = { sender: 'eicar@virus.example', status: 'filtered', subject: 'EICAR' };
    const half = {
      sender: 'eicar@virus.example',
      messageId: 'half@virus.example',
      subject: 'Half',
    };
    await world.app.deliveries.upsert(
      [
        delivery(600, { ...amavis, messageId: 'eicar@virus.example', timeMs: at(0) }),
        delivery(601, { ...amavis, messageId: 'eicar@virus.example', timeMs: at(0) }),
        delivery(602, { ...half, status: 'bounced', timeMs: at(1) }),
        delivery(603, { ...half, timeMs: at(5) }),
      ],
      'amavis.log',
    );
    const body = (await get('/api/v1/trace/messages?sender=eicar@virus.example')).json();

    expect(body.messages).toEqual([
      {
        messageId: 'half@virus.example',
        queueId: null,
        sender: 'eicar@virus.example',
        recipients: 1,
        allRecipients: 2,
        byStatus: { delivered: 1, bounced: 1 },
        subject: 'Half',
        firstSeen: '2026-12-03T10:01:00.000Z',
        firstDelivered: '2026-12-03T10:05:00.000Z',
      },
      {
        messageId: 'eicar@virus.example',
        queueId: null,
        sender: 'eicar@virus.example',
        recipients: 0,
        allRecipients: 2,
        byStatus: { filtered: 2 },
        subject: 'EICAR',
        firstSeen: '2026-12-03T10:00:00.000Z',
        firstDelivered: null,
      },
    ]);
  });

  it('exports CSV with quoting and formula cells defused, by path and by Accept', async () => {
    await world.app.deliveries.upsert(
      [
        delivery(500, {
          subject: '=HYPERLINK("http://evil.example","click, now")',
          sender: '@bad@evil.example',
          recipient: 'csv@unconfigured.test',
        }),
      ],
      'csv.log',
    );

    const byPath = await get('/api/v1/trace/deliveries/export.csv?recipient=csv@unconfigured.test');
    const byAccept = await get('/api/v1/trace/deliveries?recipient=csv@unconfigured.test', {
      accept: 'text/csv',
    });

    expect(byPath.headers['content-type']).toMatch(/^text\/csv/);
    expect(byAccept.body).toBe(byPath.body);
    const [header, row] = byPath.body.split('\r\n');
    expect(header).toBe(
      'time,message_id,sender,header_from,recipient,original_recipient,subject,status,dsn,relay,queue_id,client_address,size_bytes,detail',
    );
    expect(row).toContain(`'@bad@evil.example`);
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""click, now"")"`);
  });

  it('exports every match, past one page', async () => {
    const csv = (await get('/api/v1/trace/deliveries/export.csv?sender=payroll@evil.example')).body;
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 26);
  });

  it('refuses a cursor it did not make, a bad time and two Message-IDs, naming the field', async () => {
    const cursor = await get('/api/v1/trace/deliveries?cursor=bm90LWEtY3Vyc29y');
    const time = await get('/api/v1/trace/deliveries?after=yesterday');
    const twoIds = await get('/api/v1/trace/deliveries?messageId=%3Ca%40x%3E%20%3Cb%40y%3E');

    expect(errorOf(cursor)).toMatchObject({ code: 'HTTP_BAD_CURSOR', field: 'cursor' });
    expect(errorOf(time)).toMatchObject({ code: 'INPUT_BAD_TIME', field: 'after' });
    expect(errorOf(twoIds)).toMatchObject({ code: 'TRACE_BAD_MESSAGE_ID', field: 'messageId' });
    const backwards = await get('/api/v1/trace/deliveries?after=2026-12-05&before=2026-12-01');
    expect(errorOf(backwards)).toMatchObject({ code: 'INPUT_BAD_RANGE', field: 'before' });
    expect(twoIds.statusCode).toBe(400);
  });

  it('retracts every message a trace query matches, one retraction each', async () => {
    const analyst = await world.browser('analyst');
    const res = await world.server.inject({
      method: 'POST',
      url: '/api/v1/retractions',
      headers: analyst.headers,
      payload: { traceQuery: { subject: 'invoice 3' }, dryRun: true },
    });

    expect(res.statusCode, res.body).toBe(202);
    const created = res.json().retractions as { messageId: string; mailboxes: number }[];
    expect(created).toEqual([
      { id: expect.any(String), messageId: 'm3@evil.example', mailboxes: 5 },
    ]);
    const empty = await world.server.inject({
      method: 'POST',
      url: '/api/v1/retractions',
      headers: analyst.headers,
      payload: { traceQuery: { subject: 'no such subject' } },
    });
    expect(errorOf(empty)).toMatchObject({ code: 'HTTP_TRACE_QUERY_EMPTY', field: 'traceQuery' });
    const badTime = await world.server.inject({
      method: 'POST',
      url: '/api/v1/retractions',
      headers: analyst.headers,
      payload: { traceQuery: { after: 'soon' } },
    });
    expect(errorOf(badTime)).toMatchObject({ code: 'INPUT_BAD_TIME', field: 'traceQuery.after' });
  });
});
