import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';

describe('per-mailbox receipts route', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function retractionOfSeven() {
    world = await createApiWorld(tempDir());
    const analyst = await world.browser('analyst', 'ann');
    // Mailboxes of a domain Retract does not know fail at once, with no
    // Zimbra call: enough to page over.
    const recipients = ['g', 'a', 'e', 'c', 'b', 'f', 'd'].map((u) => `${u}@nowhere.example`);
    const r = await world.app.retractions.create({ messageId: 'm@x.example', recipients }, 'test');
    await world.app.retractions.run(r.id);
    const get = (query: string) =>
      world!.server.inject({
        method: 'GET',
        url: `/api/v1/retractions/${r.id}/mailboxes?${query}`,
        headers: analyst.headers,
      });
    return { get };
  }

  it('pages through every receipt once, in account order', async () => {
    const { get } = await retractionOfSeven();
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { mailboxes: { account: string }[]; next: string | null };
      sizes.push(body.mailboxes.length);
      seen.push(...body.mailboxes.map((m) => m.account));
      cursor = body.next;
    } while (cursor);

    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((u) => `${u}@nowhere.example`));
  });

  it('filters by status and refuses a cursor it did not make', async () => {
    const { get } = await retractionOfSeven();
    const failed = (await get('status=failed&limit=100')).json().mailboxes as unknown[];
    const retracted = (await get('status=retracted')).json().mailboxes as unknown[];

    expect(failed).toHaveLength(7);
    expect(retracted).toHaveLength(0);
    expect(errorOf(await get('cursor=eyJvZmZzZXQiOjN9'))).toMatchObject({ field: 'cursor' });
  });
});
