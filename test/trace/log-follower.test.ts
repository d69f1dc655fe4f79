import {
  appendFileSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followMtaLog, type FollowReport } from '../../src/trace/index.js';
import type { App } from '../../src/app/index.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { createTestApp } from '../helpers/test-app.js';

const NOW = () => Date.UTC(2026, 11, 4, 18, 0, 0);

/** A message's lines as Zimbra's Postfix logs them; `arrival` and `delivery` split it. */
function message(queueId: string, minute: number, recipients: string[]) {
  const at = (s: number) => `Dec  4 10:${String(minute).padStart(2, '0')}:0${s} mta1`;
  const arrival = [
    `${at(0)} postfix/smtpd[4101]: ${queueId}: client=mail.sender.test[203.0.113.25]`,
    `${at(0)} postfix/cleanup[4102]: ${queueId}: message-id=<${queueId}@sender.test>`,
    `${at(1)} postfix/qmgr[2000]: ${queueId}: from=<news@sender.test>, size=1200, nrcpt=${recipients.length} (queue active)`,
  ];
  const delivery = [
    ...recipients.map(
      (r) =>
        `${at(2)} postfix/lmtp[4103]: ${queueId}: to=<${r}>, relay=mailbox.example.test[192.0.2.10]:7025, delay=0.4, delays=0.1/0/0.1/0.2, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)`,
    ),
    `${at(3)} postfix/qmgr[2000]: ${queueId}: removed`,
  ];
  return { arrival, delivery, all: [...arrival, ...delivery] };
}

const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('following a growing MTA log', () => {
  const tempDir = useTempDir();

  async function setUp() {
    const dir = tempDir();
    const { app } = await createTestApp(dir);
    const log = join(dir, 'zimbra.log');
    const follow = (more: Partial<Parameters<typeof followMtaLog>[2]> = {}) =>
      followMtaLog(log, app.deliveries, { now: NOW, stopAtEnd: true, ...more });
    /** Follows as `retract trace follow` does until `step`, told each saved place, stops it. */
    const followLive = (pollMs: number, step: (report: FollowReport, stop: () => void) => void) => {
      const stop = new AbortController();
      const onCheckpoint = (r: FollowReport) => step(r, () => stop.abort());
      return follow({ stopAtEnd: false, pollMs, signal: stop.signal, onCheckpoint });
    };
    return { app, log, follow, followLive };
  }

  const rowsOf = async (app: App) =>
    (await app.deliveries.search({ limit: 1000 }))
      .map((r) => `${r.queueId} ${r.recipient} ${r.messageId}`)
      .sort();

  it('keeps the Message-ID of a message whose delivery is logged after a restart, and stores nothing twice', async () => {
    const { app, log, follow } = await setUp();
    const m = message('1A2B3C4D5E', 1, ['a@example.test', 'b@example.test']);
    writeFileSync(log, text(m.arrival) + m.delivery[0]!.slice(0, 30));

    const first = await follow();
    appendFileSync(log, text([m.delivery[0]!.slice(30), ...m.delivery.slice(1)]));
    const second = await follow();
    const third = await follow();
    const rows = await rowsOf(app);
    await app.close();

    expect(first).toMatchObject({ resumed: false, added: 0 });
    expect(second).toMatchObject({ resumed: true, added: 2, duplicates: 0 });
    expect(third).toMatchObject({ lines: 0, added: 0, duplicates: 0 });
    expect(rows).toEqual([
      '1A2B3C4D5E a@example.test 1A2B3C4D5E@sender.test',
      '1A2B3C4D5E b@example.test 1A2B3C4D5E@sender.test',
    ]);
  });

  it('rereads after a stop between a write and the save of its place, without a second row', async () => {
    const { app, log, follow } = await setUp();
    const m = message('2B3C4D5E6F', 2, ['c@example.test']);
    writeFileSync(log, text(m.arrival));
    await follow();
    const states = app.deliveries.followStates();
    const before = await states.load(log);

    appendFileSync(log, text(m.delivery));
    await follow();
    await states.save(log, before!);
    const again = await follow();
    const rows = await rowsOf(app);
    await app.close();

    expect(again).toMatchObject({ resumed: true, added: 0, duplicates: 1 });
    expect(rows).toEqual(['2B3C4D5E6F c@example.test 2B3C4D5E6F@sender.test']);
  });

  it('after a rename by logrotate while stopped, reads the rest of the old file, then the new one', async () => {
    const { app, log, follow } = await setUp();
    const early = message('3C4D5E6F7A', 3, ['d@example.test']);
    const late = message('4D5E6F7A8B', 4, ['e@example.test']);
    writeFileSync(log, text(early.arrival));
    await follow();

    appendFileSync(log, text(early.delivery));
    renameSync(log, `${log}.1`);
    writeFileSync(log, text(late.all));
    const report = await follow();
    const rows = await rowsOf(app);
    await app.close();

    expect(report).toMatchObject({ rotations: 1, added: 2 });
    expect(rows).toEqual([
      '3C4D5E6F7A d@example.test 3C4D5E6F7A@sender.test',
      '4D5E6F7A8B e@example.test 4D5E6F7A8B@sender.test',
    ]);
  });

  it('after a rotation compressed at once while stopped, reads the rest from the .gz', async () => {
    const { app, log, follow } = await setUp();
    const early = message('7A8B9C0D1E', 7, ['i@example.test', 'j@example.test']);
    const late = message('8B9C0D1E2F', 8, ['k@example.test']);
    writeFileSync(log, text(early.arrival));
    await follow();

    // logrotate with `compress` and no `delaycompress`: the old file exists only gzipped.
    appendFileSync(log, text(early.delivery));
    writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
    rmSync(log);
    writeFileSync(log, text(late.all));
    const report = await follow();
    const rows = await rowsOf(app);
    await app.close();

    // The new file may get the old one's inode back: then it looks like a truncation.
    expect(report.rotations + report.truncations).toBe(1);
    expect(report).toMatchObject({ added: 3, warnings: [] });
    expect(rows).toEqual([
      '7A8B9C0D1E i@example.test 7A8B9C0D1E@sender.test',
      '7A8B9C0D1E j@example.test 7A8B9C0D1E@sender.test',
      '8B9C0D1E2F k@example.test 8B9C0D1E2F@sender.test',
    ]);
  });

  it('after copytruncate while stopped, reads the rest from the copy before the file again', async () => {
    const { app, log, follow } = await setUp();
    const early = message('9C0D1E2F3A', 9, ['l@example.test']);
    writeFileSync(log, text(early.arrival));
    await follow();

    appendFileSync(log, text(early.delivery));
    writeFileSync(`${log}.1`, readFileSync(log));
    truncateSync(log, 0);
    const report = await follow();
    const rows = await rowsOf(app);
    await app.close();

    expect(report).toMatchObject({ truncations: 1, added: 1, warnings: [] });
    expect(rows).toEqual(['9C0D1E2F3A l@example.test 9C0D1E2F3A@sender.test']);
  });

  it('warns, naming the place, when the rotated file cannot be found', async () => {
    const { app, log, follow } = await setUp();
    const early = message('0D1E2F3A4B', 10, ['m@example.test']);
    writeFileSync(log, text(early.arrival));
    const first = await follow();

    rmSync(log);
    writeFileSync(log, text(message('1E2F3A4B5C', 11, ['n@example.test']).all));
    const warned: string[] = [];
    const report = await follow({ onWarning: (m) => warned.push(m) });
    await app.close();

    expect(report.rotations + report.truncations).toBe(1);
    expect(report).toMatchObject({ added: 1 });
    expect(report.warnings).toEqual(warned);
    expect(warned).toEqual([
      expect.stringContaining(
        `follow had reached (byte ${first.offsetBytes}); lines written to the old file`,
      ),
    ]);
  });

  it('after copytruncate, reads the file again from its start', async () => {
    const { app, log, follow } = await setUp();
    writeFileSync(log, text(message('5E6F7A8B9C', 5, ['f@example.test', 'g@example.test']).all));
    await follow();

    truncateSync(log, 0);
    writeFileSync(log, text(message('6F7A8B9C0D', 6, ['h@example.test']).all));
    const report = await follow();
    const rows = await rowsOf(app);
    await app.close();

    expect(report).toMatchObject({ truncations: 1, added: 1 });
    expect(rows).toHaveLength(3);
  });

  it('takes up the new file when logrotate renames the followed one while it runs', async () => {
    const { app, log, followLive } = await setUp();
    const first = message('7A8B9C0D1E', 7, ['i@example.test']);
    const next = message('8B9C0D1E2F', 8, ['j@example.test']);
    writeFileSync(log, text(first.all));

    let rotated = false;
    const report = await followLive(20, (r, stop) => {
      if (!rotated) {
        rotated = true;
        renameSync(log, `${log}.1`);
        writeFileSync(log, text(next.all));
      } else if (r.added >= 2) stop();
    });
    const rows = await rowsOf(app);
    await app.close();

    expect(report.rotations).toBe(1);
    expect(rows).toEqual([
      '7A8B9C0D1E i@example.test 7A8B9C0D1E@sender.test',
      '8B9C0D1E2F j@example.test 8B9C0D1E2F@sender.test',
    ]);
  });

  it('still reads what syslog writes to the renamed file before its HUP, after taking up the new one', async () => {
    const { app, log, followLive } = await setUp();
    const first = message('7A8B9C0D1E', 7, ['i@example.test']);
    const next = message('8B9C0D1E2F', 8, ['j@example.test']);
    const late = message('9C0D1E2F3A', 9, ['k@example.test']);
    writeFileSync(log, text(first.all));

    let step = 0;
    const report = await followLive(20, (r, stop) => {
      if (step === 0) {
        step = 1;
        renameSync(log, `${log}.1`);
        writeFileSync(log, text(next.all));
      } else if (step === 1 && r.rotations === 1 && r.added >= 2) {
        // The new file is being read; syslog has not had its HUP yet.
        step = 2;
        appendFileSync(`${log}.1`, text(late.all));
      } else if (step === 2 && r.added >= 3) stop();
    });
    const rows = await rowsOf(app);
    await app.close();

    expect(report.rotations).toBe(1);
    expect(rows).toEqual([
      '7A8B9C0D1E i@example.test 7A8B9C0D1E@sender.test',
      '8B9C0D1E2F j@example.test 8B9C0D1E2F@sender.test',
      '9C0D1E2F3A k@example.test 9C0D1E2F3A@sender.test',
    ]);
  });

  it('starts over when copytruncate empties the file and syslog refills it past our place between two looks', async () => {
    const { app, log, followLive } = await setUp();
    const first = message('7A8B9C0D1E', 7, ['i@example.test']);
    const refill = [
      message('8B9C0D1E2F', 8, ['j@example.test']),
      message('9C0D1E2F3A', 9, ['k@example.test']),
    ].flatMap((m) => m.all);
    writeFileSync(log, text(first.all));

    let truncated = false;
    const report = await followLive(200, (r, stop) => {
      if (!truncated) {
        truncated = true;
        // While the follower sleeps: truncated, then more bytes than were read before.
        setTimeout(() => writeFileSync(log, text(refill)), 50);
      } else if (r.added >= 3) stop();
    });
    const rows = await rowsOf(app);
    await app.close();

    expect(report.truncations).toBe(1);
    expect(report.unparsed).toBe(0);
    expect(rows).toEqual([
      '7A8B9C0D1E i@example.test 7A8B9C0D1E@sender.test',
      '8B9C0D1E2F j@example.test 8B9C0D1E2F@sender.test',
      '9C0D1E2F3A k@example.test 9C0D1E2F3A@sender.test',
    ]);
  });

  it('reads from the copy what was written since its last look when copytruncate runs while it follows', async () => {
    const { app, log, followLive } = await setUp();
    const early = message('2F3A4B5C6D', 12, ['o@example.test']);
    const late = message('3A4B5C6D7E', 13, ['p@example.test']);
    writeFileSync(log, text(early.arrival));

    let rotated = false;
    const report = await followLive(200, (r, stop) => {
      if (!rotated) {
        rotated = true;
        // While the follower sleeps: more lines, then copytruncate, then a new message.
        setTimeout(() => {
          appendFileSync(log, text(early.delivery));
          writeFileSync(`${log}.1`, readFileSync(log));
          truncateSync(log, 0);
          writeFileSync(log, text(late.all));
        }, 50);
      } else if (r.added >= 2) stop();
    });
    const rows = await rowsOf(app);
    await app.close();

    expect(report).toMatchObject({ truncations: 1, warnings: [] });
    expect(rows).toEqual([
      '2F3A4B5C6D o@example.test 2F3A4B5C6D@sender.test',
      '3A4B5C6D7E p@example.test 3A4B5C6D7E@sender.test',
    ]);
  });

  it('reads every file logrotate made while it was stopped, not only the one it stopped in', async () => {
    const { app, log, follow } = await setUp();
    const first = message('4B5C6D7E8F', 14, ['q@example.test']);
    const middle = message('5C6D7E8F9A', 15, ['r@example.test']);
    const last = message('6D7E8F9A0B', 16, ['s@example.test']);
    writeFileSync(log, text(first.arrival));
    await follow();

    appendFileSync(log, text(first.delivery));
    renameSync(log, `${log}.1`);
    writeFileSync(log, text(middle.all));
    // A second rotation.
    renameSync(`${log}.1`, `${log}.2`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, text(last.all));
    const report = await follow();
    const rows = await rowsOf(app);
    await app.close();

    expect(report).toMatchObject({ rotations: 2, added: 3, warnings: [] });
    expect(rows).toEqual([
      '4B5C6D7E8F q@example.test 4B5C6D7E8F@sender.test',
      '5C6D7E8F9A r@example.test 5C6D7E8F9A@sender.test',
      '6D7E8F9A0B s@example.test 6D7E8F9A0B@sender.test',
    ]);
  });

  it('says why it cannot follow a file that is not there', async () => {
    const { app, log } = await setUp();
    const failure = await followMtaLog(log, app.deliveries, { now: NOW, stopAtEnd: true }).catch(
      (e: unknown) => e,
    );
    await app.close();

    expect(failure).toMatchObject({
      code: 'TRACE_LOG_UNREADABLE',
      message: `cannot open log file ${log}: no such file`,
    });
  });
});
