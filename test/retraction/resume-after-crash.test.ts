import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import { createSimWorld, foldersOf, phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const MID = 'resume-1@mail.evil.example';

/**
 * A worker that dies stops writing. These tests make the store refuse the
 * write of one state (and of `failed`, so the engine cannot record its own
 * death), as a process killed at that instant would leave it; then a fresh
 * app over the same file resumes.
 */
function killWorkerAt(dbPath: string, state: string): void {
  const db = new SQLite(dbPath);
  db.exec(`CREATE TRIGGER worker_killed BEFORE UPDATE OF state ON mailbox_tasks
    WHEN NEW.state IN ('${state}', 'failed')
    BEGIN SELECT RAISE(ABORT, 'worker killed'); END`);
  db.close();
}

function reviveWorker(dbPath: string): void {
  const db = new SQLite(dbPath);
  db.exec('DROP TRIGGER worker_killed');
  db.close();
}

function taskStates(dbPath: string): string[] {
  const db = new SQLite(dbPath, { readonly: true });
  const rows = db.prepare('select state from mailbox_tasks order by account').all();
  db.close();
  return rows.map((r) => (r as { state: string }).state);
}

describe('resuming a retraction after its worker died', () => {
  const tempDir = useTempDir();
  const sims: Simulator[] = [];
  afterEach(async () => {
    for (const sim of sims.splice(0)) await sim.close();
  });

  async function firstRun(stateToDieAt: string) {
    const dir = tempDir();
    const first = await createTestApp(dir);
    const world = await createSimWorld(first.app, 3);
    sims.push(world.sim);
    world.sim.deliver(phishMessage(MID), world.accounts);
    const dbPath = join(dir, 'data', 'retract.db');
    const retraction = await first.app.retractions.create(
      { messageId: MID, recipients: world.accounts },
      'tester',
    );

    killWorkerAt(dbPath, stateToDieAt);
    await expect(first.app.retractions.run(retraction.id)).rejects.toThrow(/worker killed/);
    await first.app.close();
    reviveWorker(dbPath);
    return { dir, dbPath, retraction, ...world };
  }

  it('searches again before acting when a task resumes in acting after its action', async () => {
    const { dir, dbPath, retraction, sim, accounts } = await firstRun('verifying');
    expect(taskStates(dbPath)).toEqual(['acting', 'acting', 'acting']);
    const movesBefore = sim.countRequests('MsgActionRequest');
    expect(movesBefore).toBe(3);
    const searchesBefore = sim.countRequests('SearchRequest');

    const second = await createTestApp(dir);
    const {
      resumed: [report],
    } = await second.app.retractions.resumeAll();
    await second.app.close();

    expect(sim.countRequests('MsgActionRequest')).toBe(movesBefore);
    expect(sim.countRequests('SearchRequest')).toBeGreaterThan(searchesBefore);
    expect(report?.id).toBe(retraction.id);
    expect(report?.counts).toMatchObject({ retracted: 3, failed: 0 });
    expect(report?.status).toBe('completed');
    for (const m of report!.mailboxes) {
      expect(m.items).toEqual([expect.objectContaining({ folderBefore: '2', outcome: 'moved' })]);
    }
    const folders = foldersOf(sim, accounts, MID);
    for (const a of accounts) expect(folders[a]).toEqual([sim.folderIdByPath(a, '/Quarantine')]);
  });

  it('acts once when a task resumes in acting before its action reached Zimbra', async () => {
    const dir = tempDir();
    const first = await createTestApp(dir);
    const world = await createSimWorld(first.app, 1);
    sims.push(world.sim);
    world.sim.deliver(phishMessage(MID), world.accounts);
    const dbPath = join(dir, 'data', 'retract.db');
    const r = await first.app.retractions.create(
      { messageId: MID, recipients: world.accounts },
      't',
    );
    // The action is refused once; the engine then tries to record a failure,
    // and dies there.
    world.sim.inject({
      request: 'MsgActionRequest',
      times: 1,
      fault: { code: 'service.INVALID_REQUEST' },
    });
    killWorkerAt(dbPath, 'failed');
    await expect(first.app.retractions.run(r.id)).rejects.toThrow(/worker killed/);
    await first.app.close();
    reviveWorker(dbPath);
    expect(taskStates(dbPath)).toEqual(['acting']);

    const second = await createTestApp(dir);
    const report = await second.app.retractions.run(r.id);
    await second.app.close();

    expect(report.counts.retracted).toBe(1);
    expect(world.sim.countRequests('MsgActionRequest')).toBe(2);
    const [a] = world.accounts as [string];
    expect(foldersOf(world.sim, world.accounts, MID)[a]).toEqual([
      world.sim.folderIdByPath(a, '/Quarantine'),
    ]);
  });

  it('finishes a restore that a stopped process left running', async () => {
    const { dir, dbPath, retraction, sim, accounts } = await firstRun('verifying');
    const second = await createTestApp(dir);
    await second.app.retractions.run(retraction.id);
    // The restore dies when it tries to mark its first mailbox restored.
    killWorkerAt(dbPath, 'restored');
    await expect(second.app.retractions.restore(retraction.id, 'tester')).rejects.toThrow(
      /worker killed/,
    );
    await second.app.close();
    reviveWorker(dbPath);

    const third = await createTestApp(dir);
    const { resumed } = await third.app.retractions.resumeAll();
    await third.app.close();

    expect(resumed.map((r) => [r.id, r.restoreStatus])).toEqual([[retraction.id, 'completed']]);
    const folders = foldersOf(sim, accounts, MID);
    for (const a of accounts) expect(folders[a]).toEqual(['2']);
  });

  it('lets a restore after the resumed run put the copies back in Inbox', async () => {
    const { dir, retraction, sim, accounts } = await firstRun('verifying');
    const second = await createTestApp(dir);
    await second.app.retractions.run(retraction.id);
    const restored = await second.app.retractions.restore(retraction.id, 'tester');
    await second.app.close();

    expect(restored.restoreStatus).toBe('completed');
    const folders = foldersOf(sim, accounts, MID);
    for (const a of accounts) expect(folders[a]).toEqual(['2']);
  });
});
