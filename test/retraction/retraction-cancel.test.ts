import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import type { App } from '../../src/app/index.js';
import type { RetractionEvent } from '../../src/retraction/index.js';
import { DOMAIN, phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const MID = 'cancel-me@mail.evil.example';

describe('RetractionService.cancel', () => {
  const tempDir = useTempDir();
  const open: { app: App; sim: Simulator }[] = [];
  afterEach(async () => {
    for (const { app, sim } of open.splice(0)) {
      await app.retractions.drain();
      await app.close();
      await sim.close();
    }
  });

  /** One mailbox at a time, so a cancel lands while most tasks are still queued. */
  async function world(n: number) {
    const { app } = await createTestApp(tempDir());
    const sim = await startSimulator();
    open.push({ app, sim });
    const { preauthKey } = sim.addDomain(DOMAIN);
    const accounts = Array.from({ length: n }, (_, i) => `user${i + 1}@${DOMAIN}`);
    for (const a of accounts) sim.addAccount(a);
    sim.deliver(phishMessage(MID), accounts);
    await app.domains.add(
      { name: DOMAIN, soapUrl: sim.soapUrl, preauthKey, maxConcurrency: 1 },
      'tester',
    );
    const r = await app.retractions.create({ messageId: MID, recipients: accounts }, 'tester');
    return { app, sim, accounts, id: r.id };
  }

  it('cancels queued tasks, lets the running one finish, and never logs into a cancelled mailbox', async () => {
    const { app, sim, id } = await world(6);
    sim.inject({ request: 'SearchRequest', delayMs: 20 });
    const finished = new Promise<RetractionEvent>((resolve) => {
      let asked = false;
      app.retractions.subscribe((e) => {
        if (e.retractionId !== id) return;
        if (e.type === 'task.settled' && !asked) {
          asked = true;
          void app.retractions.cancel(id, 'tester');
        }
        if (e.type === 'retraction.finished') resolve(e);
      });
    });

    app.retractions.start(id);
    const event = await finished;
    await app.retractions.drain();

    const report = await app.retractions.report(id);
    expect(event.type).toBe('retraction.finished');
    expect(report.status).toBe('cancelled');
    expect(report.counts.retracted).toBeGreaterThanOrEqual(1);
    expect(report.counts.cancelled).toBeGreaterThanOrEqual(1);
    expect(report.counts.retracted + report.counts.cancelled).toBe(6);
    expect(report.counts.failed).toBe(0);
    expect(sim.countRequests('AuthRequest')).toBe(report.counts.retracted);
    const audit = await app.audit.list({ action: 'retraction.cancel' });
    expect(audit.map((a) => a.target)).toEqual([id]);
  });

  it('cancels a retraction that is not running in this process at once', async () => {
    const { app, sim, id } = await world(3);
    const events: RetractionEvent[] = [];
    app.retractions.subscribe((e) => events.push(e));

    const report = await app.retractions.cancel(id, 'tester');

    expect(report.status).toBe('cancelled');
    expect(report.counts.cancelled).toBe(3);
    expect(events.map((e) => e.type)).toEqual(['retraction.finished']);
    expect(sim.countRequests('AuthRequest')).toBe(0);
  });

  it('refuses to cancel a retraction that already finished', async () => {
    const { app, id } = await world(1);
    await app.retractions.run(id);

    await expect(app.retractions.cancel(id, 'tester')).rejects.toMatchObject({
      code: 'RETRACTION_NOT_CANCELLABLE',
    });
    expect((await app.retractions.report(id)).status).toBe('completed');
  });
});
