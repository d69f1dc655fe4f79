import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSuiteTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld, type Caller } from './api-fixture.js';

function record(i: number, overrides: Record<string, unknown> = {}) {
  return {
    sourceId: `gw-${i}`,
    time: `2026-12-02T09:${String(i % 60).padStart(2, '0')}:00Z`,
    messageId: '=?utf-8?Q?=3Cpromo-7=40r=C3=A9seau.example.test=3E?=',
    sender: 'bounce@sender.example',
    headerFrom: 'Offers <offers@sender.example>',
    recipient: `Reader${i}@Example.test`,
    subject: '=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=',
    clientAddress: '2001:db8::25',
    status: 'deferred',
    ...overrides,
  };
}

describe('POST /api/v1/trace/deliveries', () => {
  const tempDir = useSuiteTempDir();
  let world: ApiWorld;
  let admin: Caller;
  beforeAll(async () => {
    world = await createApiWorld(tempDir());
    admin = await world.token('admin');
  });
  afterAll(async () => world.close());

  const post = (payload: string | object, contentType = 'application/json') =>
    world.server.inject({
      method: 'POST',
      url: '/api/v1/trace/deliveries',
      headers: { ...admin.headers, 'content-type': contentType },
      payload,
    });
  const search = async (query: string) =>
    (
      await world.server.inject({
        method: 'GET',
        url: `/api/v1/trace/deliveries?${query}`,
        headers: admin.headers,
      })
    ).json().deliveries as Record<string, unknown>[];

  it('adds JSON deliveries once, counts a repeat as duplicates and a later status as updated', async () => {
    const first = await post({ deliveries: [record(1), record(2)] });
    const again = await post({ deliveries: [record(1), record(2)] });
    const delivered = await post({ deliveries: [record(1, { status: 'delivered' })] });

    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: 2, added: 2, updated: 0, duplicates: 0 });
    expect(again.json()).toEqual({ received: 2, added: 0, updated: 0, duplicates: 2 });
    expect(delivered.json()).toEqual({ received: 1, added: 0, updated: 1, duplicates: 0 });

    const rows = await search('messageId=promo-7@réseau.example.test');
    expect(rows).toHaveLength(2);
    const one = rows.find((r) => r['queueId'] === 'ext:gw-1')!;
    expect(one).toMatchObject({
      status: 'delivered',
      recipient: 'reader1@example.test',
      messageId: 'promo-7@réseau.example.test',
      headerFrom: 'Offers <offers@sender.example>',
      subject: 'Grüße aus Köln',
      subjectRaw: '=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=',
      clientAddress: '2001:db8::25',
    });
    expect(String(one['source'])).toMatch(/^api:token:/);
  });

  it('takes NDJSON, skipping blank lines', async () => {
    const body = [record(10), record(11)].map((r) => JSON.stringify(r)).join('\n\n') + '\n';
    const res = await post(body, 'application/x-ndjson');

    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ received: 2, added: 2 });
    expect(await search('recipient=reader11@example.test')).toHaveLength(1);
  });

  it('refuses the whole call for one bad record, naming it by index or NDJSON line', async () => {
    const badJson = await post({
      deliveries: [record(20), record(21, { recipient: 'not an address' })],
    });
    const ndjson = [record(22), record(23), { ...record(24), status: 'lost' }]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const badLine = await post(ndjson, 'application/x-ndjson');
    const notJson = await post(`${JSON.stringify(record(25))}\n{oops`, 'application/x-ndjson');

    expect(badJson.statusCode).toBe(400);
    expect(errorOf(badJson)).toMatchObject({
      code: 'TRACE_BAD_DELIVERY',
      field: 'deliveries[1].recipient',
    });
    expect(errorOf(badLine)).toMatchObject({ code: 'TRACE_BAD_DELIVERY', field: 'line[3].status' });
    expect(errorOf(notJson)).toMatchObject({ code: 'TRACE_BAD_DELIVERY', field: 'line[2]' });
    for (const i of [20, 22, 23, 25]) {
      expect(await search(`recipient=reader${i}@example.test`), `reader${i}`).toEqual([]);
    }
  });

  it('says which fields of a record are missing, in JSON and in NDJSON', async () => {
    const { time: _time, ...noTime } = record(40);
    const { sender: _sender, ...noSender } = record(41);
    const json = await post({ deliveries: [noTime] });
    const ndjson = await post(
      `${JSON.stringify(record(42))}\n${JSON.stringify(noSender)}\n`,
      'application/x-ndjson',
    );

    expect(json.statusCode).toBe(400);
    expect(errorOf(json)).toEqual({
      code: 'TRACE_BAD_DELIVERY',
      field: 'deliveries[0].time',
      message: 'deliveries[0].time: required',
    });
    expect(errorOf(ndjson)).toEqual({
      code: 'TRACE_BAD_DELIVERY',
      field: 'line[2].sender',
      message: 'line[2].sender: required',
    });
  });

  it('refuses a body of the wrong shape and more records than one call may carry', async () => {
    const bare = await post([record(30)]);
    const empty = await post({ deliveries: [] });
    const tooMany = await post({
      deliveries: Array.from({ length: 10_001 }, (_, i) => record(i, { sourceId: `many-${i}` })),
    });

    expect(errorOf(bare)).toMatchObject({ code: 'HTTP_BAD_INPUT', field: 'body' });
    expect(errorOf(empty)).toMatchObject({ code: 'HTTP_BAD_INPUT', field: 'deliveries' });
    expect(errorOf(tooMany)).toMatchObject({
      code: 'TRACE_TOO_MANY_DELIVERIES',
      field: 'deliveries',
    });
  });

  it('refuses a body over the limit with 413, stating the limit, in JSON and in NDJSON', async () => {
    const padding = 'x'.repeat(17 * 1024 ** 2);
    const json = await post({ deliveries: [record(40, { subject: padding })] });
    const ndjson = await post(
      `${JSON.stringify(record(41, { subject: padding }))}\n`,
      'application/x-ndjson',
    );

    for (const answer of [json, ndjson]) {
      expect(answer.statusCode).toBe(413);
      expect(errorOf(answer)).toMatchObject({ code: 'HTTP_BODY_TOO_LARGE' });
      expect(errorOf(answer).message).toContain('16 MiB');
    }
  });

  it('leaves an audit entry and counts the outcome in the metrics', async () => {
    await post({ deliveries: [record(40)] });
    const audit = (
      await world.server.inject({
        method: 'GET',
        url: '/api/v1/audit?action=trace.ingest',
        headers: admin.headers,
      })
    ).json();
    const metrics = await world.server.inject({ method: 'GET', url: '/metrics' });

    expect(audit.entries.length).toBeGreaterThan(0);
    expect(audit.entries[0]).toMatchObject({ action: 'trace.ingest' });
    expect(metrics.body).toMatch(
      /retract_trace_ingested_deliveries_total\{outcome="added"\} [1-9]/,
    );
  });
});
