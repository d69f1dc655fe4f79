import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { LeaseRepo } from '../../src/retraction/lease-repo.js';
import { DEFAULT_TENANT_ID } from '../../src/store/index.js';
import { createSimWorld, foldersOf, phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const MID = 'lease-1@evil.example';

describe('one process at a time per retraction', () => {
  const tempDir = useTempDir();
  const sims: Simulator[] = [];
  afterEach(async () => {
    for (const sim of sims.splice(0)) await sim.close();
  });

  async function world(dir: string) {
    const { app } = await createTestApp(dir);
    const w = await createSimWorld(app, 4);
    sims.push(w.sim);
    w.sim.deliver(phishMessage(MID), w.accounts);
    const r = await app.retractions.create({ messageId: MID, recipients: w.accounts }, 't');
    return { app, r, ...w };
  }

  it('refuses to run a retraction another live process holds, and resume leaves it to that one', async () => {
    const { app, r, sim } = await world(tempDir());
    const leases = new LeaseRepo(app.store, DEFAULT_TENANT_ID, Date.now);
    await leases.acquire(r.id, 'other-host.example:4242:abcd1234', 60_000);

    await expect(app.retractions.run(r.id)).rejects.toMatchObject({ code: 'RETRACTION_BUSY' });
    const resumed = await app.retractions.resumeAll();
    await app.close();

    expect(resumed).toEqual({ resumed: [], busy: [r.id] });
    expect(sim.countRequests('AuthRequest')).toBe(0);
  });

  it('takes over at once the lease of a process of this host that died', async () => {
    const { app, r } = await world(tempDir());
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const leases = new LeaseRepo(app.store, DEFAULT_TENANT_ID, Date.now);
    await leases.acquire(r.id, `${hostname()}:${dead}:deadbeef`, 60_000);

    const report = await app.retractions.run(r.id);
    await app.close();
    expect(report.counts.retracted).toBe(4);
  });

  it('keeps the receipts right when a resume starts while a run is going on', async () => {
    const dir = tempDir();
    const { app, r, sim, accounts } = await world(dir);
    sim.setLatency('*', { baseMs: 30 });
    const other = (await createTestApp(dir)).app;

    const running = app.retractions.run(r.id);
    await new Promise((done) => setTimeout(done, 100));
    const resumed = await other.retractions.resumeAll();
    const report = await running;
    await other.close();
    await app.close();

    expect(resumed.busy).toEqual([r.id]);
    expect(report.counts.retracted).toBe(4);
    for (const m of report.mailboxes) expect(m.items.map((i) => i.folderBefore)).toEqual(['2']);
    const folders = foldersOf(sim, accounts, MID);
    for (const a of accounts) expect(folders[a]).toEqual([sim.folderIdByPath(a, '/Quarantine')]);
  });
});
