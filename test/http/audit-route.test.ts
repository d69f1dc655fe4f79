import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';

describe('audit route', () => {
  const tempDir = useTempDir();
  let world: ApiWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function withEntries() {
    let t = Date.UTC(2026, 11, 1);
    world = await createApiWorld(tempDir(), { now: () => (t += 60_000) });
    const auditor = await world.browser('auditor', 'ada');
    for (let i = 0; i < 5; i += 1) {
      await world.app.audit.append({ actor: `user:bob`, action: 'domain.add', target: `d${i}` });
      await world.app.audit.append({
        actor: `user:cy`,
        action: 'retraction.create',
        target: `r${i}`,
      });
    }
    const get = async (query: string) =>
      world!.server.inject({
        method: 'GET',
        url: `/api/v1/audit?${query}`,
        headers: auditor.headers,
      });
    return { get };
  }

  it('filters by actor and action together', async () => {
    const { get } = await withEntries();
    const res = await get('actor=user:cy&action=retraction.create');
    const entries = res.json().entries as { actor: string; action: string; target: string }[];

    expect(entries.map((e) => e.target)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
    expect(new Set(entries.map((e) => e.actor))).toEqual(new Set(['user:cy']));
  });

  it('pages with the cursor until every matching entry was seen once', async () => {
    const { get } = await withEntries();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`actor=user:bob&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { entries: { target: string }[]; next: string | null };
      seen.push(...body.entries.map((e) => e.target));
      cursor = body.next;
    } while (cursor);

    expect(seen).toEqual(['d4', 'd3', 'd2', 'd1', 'd0']);
  });

  it('keeps entries within a time range', async () => {
    const { get } = await withEntries();
    const all = (await get('limit=100')).json().entries as { at: string; seq: number }[];
    const middle = all[Math.floor(all.length / 2)]!;
    const res = await get(`after=${encodeURIComponent(middle.at)}&limit=100`);
    const kept = res.json().entries as { at: string }[];

    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    expect(kept.every((e) => e.at >= middle.at)).toBe(true);
  });

  it('names the field of a bad time or cursor', async () => {
    const { get } = await withEntries();
    expect(errorOf(await get('before=tomorrow'))).toMatchObject({
      code: 'INPUT_BAD_TIME',
      field: 'before',
    });
    expect(errorOf(await get('cursor=eyJ4IjoxfQ'))).toMatchObject({ field: 'cursor' });
  });
});
