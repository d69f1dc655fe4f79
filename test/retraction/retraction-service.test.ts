import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim/index.js';
import type { App } from '../../src/app/index.js';
import { ZimbraClient } from '../../src/zimbra/index.js';
import { createSimWorld, DOMAIN, foldersOf, phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const MID = 'CAF123abc$!&=x@mail.evil.example';

describe('RetractionService against the simulator', () => {
  const tempDir = useTempDir();
  const open: { app: App; sim: Simulator }[] = [];
  afterEach(async () => {
    for (const { app, sim } of open.splice(0)) {
      await app.close();
      await sim.close();
    }
  });

  async function world(n: number) {
    const { app, logs } = await createTestApp(tempDir());
    const w = await createSimWorld(app, n);
    open.push({ app, sim: w.sim });
    return { app, logs, ...w };
  }

  async function retract(app: App, recipients: string[], action = 'quarantine', dryRun = false) {
    const r = await app.retractions.create(
      { messageId: `<${MID}>`, recipients, action, dryRun },
      'tester',
    );
    return app.retractions.run(r.id);
  }

  it('quarantines every copy, wherever the user had filed it, and records where it was', async () => {
    const { app, sim, accounts } = await world(3);
    const [inbox, filed, trashed] = accounts as [string, string, string];
    sim.deliver(phishMessage(MID), [inbox]);
    const projects = sim.createFolder(filed, 'Projects');
    sim.fileMessage(filed, phishMessage(MID), { folderId: projects });
    sim.fileMessage(filed, phishMessage(MID), { folderId: projects });
    sim.fileMessage(trashed, phishMessage(MID), { folderId: '3' });

    const report = await retract(app, accounts);

    expect(report.counts).toMatchObject({ mailboxes: 3, retracted: 3, failed: 0, not_found: 0 });
    const quarantine = (a: string) => sim.folderIdByPath(a, '/Quarantine');
    expect(foldersOf(sim, accounts, MID)).toEqual({
      [inbox]: [quarantine(inbox)],
      [filed]: [quarantine(filed), quarantine(filed)],
      [trashed]: [quarantine(trashed)],
    });
    const before = (a: string) =>
      report.mailboxes
        .find((m) => m.account === a)!
        .items.map((i) => i.folderBefore)
        .sort();
    expect(before(inbox)).toEqual(['2']);
    expect(before(filed)).toEqual([projects, projects]);
    expect(before(trashed)).toEqual(['3']);
  });

  it('restores every copy to the folder it was found in', async () => {
    const { app, sim, accounts } = await world(2);
    const [a, b] = accounts as [string, string];
    sim.deliver(phishMessage(MID), [a]);
    const folder = sim.createFolder(b, 'Invoices');
    sim.fileMessage(b, phishMessage(MID), { folderId: folder });
    const report = await retract(app, accounts);

    const restored = await app.retractions.restore(report.id, 'tester');

    expect(restored.restoreStatus).toBe('completed');
    expect(restored.counts.restored).toBe(2);
    expect(foldersOf(sim, accounts, MID)).toEqual({ [a]: ['2'], [b]: [folder] });
  });

  it('refuses to restore a second retraction that found every copy already quarantined', async () => {
    const { app, sim, accounts } = await world(2);
    const [a, b] = accounts as [string, string];
    sim.deliver(phishMessage(MID), [a, b]);
    const first = await retract(app, accounts);
    const second = await retract(app, accounts);

    expect(second.mailboxes.flatMap((m) => m.items.map((i) => i.outcome))).toEqual([
      'already_there',
      'already_there',
    ]);
    await expect(app.retractions.restore(second.id, 'tester')).rejects.toMatchObject({
      code: 'RETRACTION_NOT_RESTORABLE',
      message: expect.stringContaining('restore the retraction that moved them'),
    });
    await expect(app.retractions.startRestore(second.id, 'tester')).rejects.toMatchObject({
      code: 'RETRACTION_NOT_RESTORABLE',
    });
    const restored = await app.retractions.restore(first.id, 'tester');
    expect(restored.counts.restored).toBe(2);
    expect(foldersOf(sim, accounts, MID)).toEqual({ [a]: ['2'], [b]: ['2'] });
  });

  it('leaves a copy the user moved after the retraction where the user put it', async () => {
    const { app, sim, accounts, key } = await world(2);
    sim.deliver(phishMessage(MID), accounts);
    const [a, b] = accounts as [string, string];
    const report = await retract(app, accounts);
    const user = new ZimbraClient({ soapUrl: sim.soapUrl, preauthKey: key });
    const copy = report.mailboxes.find((m) => m.account === b)!.items[0]!;
    await (await user.openMailbox(b)).moveMessages([copy.id], '4');
    await user.close();

    const restored = await app.retractions.restore(report.id, 'tester');

    expect(foldersOf(sim, accounts, MID)).toEqual({ [a]: ['2'], [b]: ['4'] });
    const item = restored.mailboxes.find((m) => m.account === b)!.items[0]!;
    expect(item).toMatchObject({ restoreOutcome: 'moved_since', restoredTo: '4' });
    expect(item.folderAfter).toBe(sim.folderIdByPath(b, '/Quarantine'));
  });

  it('moves a copy already in Trash to quarantine, and back to Trash on restore', async () => {
    const { app, sim, accounts } = await world(1);
    const [a] = accounts as [string];
    sim.fileMessage(a, phishMessage(MID), { folderId: '3' });

    const report = await retract(app, accounts);
    expect(foldersOf(sim, accounts, MID)[a]).toEqual([sim.folderIdByPath(a, '/Quarantine')]);
    await app.retractions.restore(report.id, 'tester');
    expect(foldersOf(sim, accounts, MID)[a]).toEqual(['3']);
  });

  it('trashes copies and leaves one already in Trash as it was', async () => {
    const { app, sim, accounts } = await world(1);
    const [a] = accounts as [string];
    sim.fileMessage(a, phishMessage(MID), { folderId: '2' });
    sim.fileMessage(a, phishMessage(MID), { folderId: '3' });

    const report = await retract(app, accounts, 'trash');

    expect(foldersOf(sim, accounts, MID)[a]).toEqual(['3', '3']);
    expect(report.mailboxes[0]!.items.map((i) => i.outcome).sort()).toEqual([
      'already_there',
      'trashed',
    ]);
  });

  it('acts on both copies when one mailbox holds two', async () => {
    const { app, sim, accounts } = await world(1);
    const [a] = accounts as [string];
    sim.deliver(phishMessage(MID), [a]);
    sim.deliver(phishMessage(MID), [a]);

    const report = await retract(app, accounts, 'delete');

    expect(report.counts.copies).toBe(2);
    expect(foldersOf(sim, accounts, MID)[a]).toEqual([]);
    expect(report.mailboxes[0]!.items.map((i) => i.outcome)).toEqual(['deleted', 'deleted']);
  });

  it('leaves the mailbox untouched on a dry run, and reports what it would act on', async () => {
    const { app, sim, accounts } = await world(2);
    sim.deliver(phishMessage(MID), [accounts[0]!]);

    const report = await retract(app, accounts, 'quarantine', true);

    expect(report.counts).toMatchObject({ found: 1, not_found: 1, retracted: 0 });
    expect(sim.countRequests('MsgActionRequest')).toBe(0);
    expect(sim.countRequests('CreateFolderRequest')).toBe(0);
    expect(foldersOf(sim, accounts, MID)[accounts[0]!]).toEqual(['2']);
    await expect(app.retractions.restore(report.id, 'tester')).rejects.toMatchObject({
      code: 'RETRACTION_NOT_RESTORABLE',
    });
  });

  it('refuses to restore a delete', async () => {
    const { app, sim, accounts } = await world(1);
    sim.deliver(phishMessage(MID), accounts);
    const report = await retract(app, accounts, 'delete');
    await expect(app.retractions.restore(report.id, 'tester')).rejects.toThrow(/delete/);
  });

  it('fails a mailbox that does not exist as a mailbox problem when others log in', async () => {
    const { app, sim, accounts } = await world(2);
    sim.deliver(phishMessage(MID), accounts);
    const ghost = `nobody@${DOMAIN}`;

    const report = await retract(app, [...accounts, ghost]);

    expect(report.counts).toMatchObject({ retracted: 2, failed: 1 });
    const failed = report.mailboxes.find((m) => m.account === ghost)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({
      class: 'mailbox',
      code: 'RETRACTION_MAILBOX_LOGIN_FAILED',
    });
  });

  it('stops a domain after a few failed logins with a wrong key, as one config failure', async () => {
    const { app, sim, accounts } = await world(40);
    sim.deliver(phishMessage(MID), accounts);
    await app.domains.replaceKey(DOMAIN, 'a'.repeat(64), 'tester');

    const report = await retract(app, accounts);

    expect(sim.countRequests('AuthRequest')).toBeLessThanOrEqual(3);
    expect(report.counts).toMatchObject({ failed: 40, retracted: 0 });
    const classes = new Set(report.mailboxes.map((m) => m.error?.class));
    expect(classes).toEqual(new Set(['config']));
    const stopped = report.mailboxes.filter(
      (m) => m.error?.code === 'RETRACTION_DOMAIN_LOGINS_STOPPED',
    );
    expect(stopped.length).toBeGreaterThanOrEqual(37);
    expect(stopped[0]!.error!.message).toMatch(/PreAuth key/);
    expect(foldersOf(sim, accounts, MID)[accounts[0]!]).toEqual(['2']);
  });

  it('fails recipients of a domain that is not configured, without a Zimbra call', async () => {
    const { app, sim, accounts } = await world(1);
    sim.deliver(phishMessage(MID), accounts);

    const report = await retract(app, [...accounts, 'eve@elsewhere.example']);

    const other = report.mailboxes.find((m) => m.account === 'eve@elsewhere.example')!;
    expect(other.error).toMatchObject({ class: 'config', code: 'DOMAIN_NOT_FOUND' });
    expect(report.counts.retracted).toBe(1);
  });

  it('searches again and acts on what is left when a copy vanishes before the move', async () => {
    const { app, sim, accounts } = await world(1);
    sim.deliver(phishMessage(MID), accounts);
    sim.inject({ request: 'MsgActionRequest', times: 1, fault: { code: 'mail.NO_SUCH_MSG' } });

    const report = await retract(app, accounts);

    expect(report.counts.retracted).toBe(1);
    expect(sim.countRequests('SearchRequest')).toBeGreaterThanOrEqual(3);
    expect(foldersOf(sim, accounts, MID)[accounts[0]!]).toEqual([
      sim.folderIdByPath(accounts[0]!, '/Quarantine'),
    ]);
  });

  it('retries a mailbox in maintenance, then fails it as a mailbox problem', async () => {
    const { app, sim, accounts } = await world(2);
    sim.deliver(phishMessage(MID), accounts);
    sim.setAccountStatus(accounts[1]!, 'maintenance');

    const report = await retract(app, accounts);

    const failed = report.mailboxes.find((m) => m.account === accounts[1])!;
    expect(failed.error).toMatchObject({ class: 'mailbox' });
    expect(report.counts.retracted).toBe(1);
  });

  it('waits minutes, not seconds, before retrying a mailbox in maintenance', async () => {
    const waits: number[] = [];
    const { app } = await createTestApp(tempDir(), { laterRetryDelayMs: 60_000 }, async (ms) => {
      waits.push(ms);
    });
    const w = await createSimWorld(app, 1);
    open.push({ app, sim: w.sim });
    w.sim.deliver(phishMessage(MID), w.accounts);
    w.sim.setAccountStatus(w.accounts[0]!, 'maintenance');

    await retract(app, w.accounts);

    const engineWaits = waits.filter((ms) => ms >= 60_000);
    expect(engineWaits).toEqual([60_000, 120_000]);
  });

  it('reports not_found for a mailbox without the message', async () => {
    const { app, accounts } = await world(1);
    const report = await retract(app, accounts);
    expect(report.counts).toMatchObject({ not_found: 1, retracted: 0, failed: 0 });
    expect(report.status).toBe('completed');
  });

  it('never writes the PreAuth key or an auth token to the log', async () => {
    const { app, sim, key, accounts, logs } = await world(2);
    sim.deliver(phishMessage(MID), accounts);
    await retract(app, accounts);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.text).not.toContain(key);
    expect(logs.text).not.toMatch(/0_[0-9a-f]{40}_/);
  });
});
