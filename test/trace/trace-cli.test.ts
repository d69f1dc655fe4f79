import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const LOGS = join(import.meta.dirname, '..', 'fixtures', 'mta-logs');
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

// Each command is a child process that loads the CLI from source: seconds apiece.
describe('retract trace commands', { timeout: 60_000 }, () => {
  const tempDir = useTempDir();

  it('imports an MTA log and reports added, updated, duplicates and unparsed lines', async () => {
    const cwd = tempDir();
    const log = join(cwd, 'zimbra.log');
    copyFileSync(join(LOGS, 'filter-drop.log'), log);
    const first = await runCli(['--json', 'trace', 'import', log], { cwd });
    const again = await runCli(['--json', 'trace', 'import', log], { cwd });

    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      lines: 14,
      added: 2,
      duplicates: 0,
      unparsed: 1,
    });
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, updated: 0, duplicates: 2 });
  });

  it('reads rotated logs oldest first and says what it took up from the previous import', async () => {
    const cwd = tempDir();
    const old = join(cwd, 'zimbra.log.1');
    const current = join(cwd, 'zimbra.log');
    const lmtp = (to: string) =>
      `Dec  4 10:00:05 mta1 postfix/lmtp[13]: 7A8B9C0D1E: to=<${to}>, relay=m.example.test[192.0.2.10]:7025, delay=3, delays=0/0/1/2, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)`;
    writeFileSync(
      old,
      [
        'Dec  4 10:00:01 mta1 postfix/smtpd[10]: 7A8B9C0D1E: client=mail.evil.test[203.0.113.9]',
        'Dec  4 10:00:01 mta1 postfix/cleanup[11]: 7A8B9C0D1E: message-id=<split-2@evil.test>',
        'Dec  4 10:00:02 mta1 postfix/qmgr[12]: 7A8B9C0D1E: from=<boss@evil.test>, size=2048, nrcpt=1 (queue active)',
        '',
      ].join('\n'),
    );
    writeFileSync(current, `${lmtp('alice@example.test')}\n`);
    const both = await runCli(['trace', 'import', current, old], { cwd });
    const first = await runCli(['trace', 'import', old], { cwd: tempDir() });
    const split = tempDir();
    await runCli(['trace', 'import', old], { cwd: split });
    const second = await runCli(['trace', 'import', current], { cwd: split });
    const found = await runCli(['--json', 'trace', 'search', '--message-id', 'split-2@evil.test'], {
      cwd: split,
    });

    const junk = join(cwd, 'access.log');
    writeFileSync(junk, '127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] "GET / HTTP/1.1" 200 5\n');
    const nothing = await runCli(['trace', 'import', junk], { cwd });

    expect(nothing.stdout).toContain('no delivery found in 1 line(s)');
    expect(both.stdout).not.toContain('no delivery found');
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toContain(`files read oldest first: ${old}, ${current}`);
    expect(first.stdout).not.toContain('took up');
    expect(second.stdout).toContain('took up 1 message(s) the previous import left in the queue');
    expect(JSON.parse(found.stdout).deliveries).toMatchObject([
      { recipient: 'alice@example.test', sender: 'boss@evil.test' },
    ]);
  });

  it('imports NDJSON and finds it by subject words and client', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'gateway.ndjson');
    const record = {
      sourceId: 'gw-1',
      time: '2026-12-04T10:00:00Z',
      messageId: '<gw-1@partner.test>',
      sender: 'billing@partner.test',
      recipient: 'ann@example.test',
      subject: 'Rechnung für März',
      clientAddress: '198.51.100.7',
      status: 'delivered',
    };
    writeFileSync(file, `${JSON.stringify(record)}\n`);
    const imported = await runCli(['trace', 'import', '--format', 'ndjson', file], { cwd });
    const found = await runCli(
      ['--json', 'trace', 'search', '--subject-words', 'marz', '--client', '198.51.100.7'],
      { cwd },
    );
    const badFormat = await runCli(['trace', 'import', '--format', 'csv', file], { cwd });

    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('1 added');
    expect(JSON.parse(found.stdout).deliveries.map((r: { queueId: string }) => r.queueId)).toEqual([
      'ext:gw-1',
    ]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('CLI_BAD_FORMAT');
  });

  it('ends an NDJSON import that rejected records with exit code 4, after the report', async () => {
    const cwd = tempDir();
    const file = join(cwd, 'gateway.ndjson');
    const good = {
      sourceId: 'gw-2',
      time: '2026-12-04T10:00:00Z',
      sender: 'billing@partner.test',
      recipient: 'ann@example.test',
      status: 'delivered',
    };
    const { time: _time, ...noTime } = { ...good, sourceId: 'gw-3' };
    writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify(noTime)}\n`);
    const human = await runCli(['trace', 'import', '--format', 'ndjson', file], { cwd });
    const json = await runCli(['--json', 'trace', 'import', '--format', 'ndjson', file], { cwd });
    const clean = join(cwd, 'clean.ndjson');
    writeFileSync(clean, `${JSON.stringify(good)}\n`);
    const allGood = await runCli(['trace', 'import', '--format', 'ndjson', clean], { cwd });

    expect(human.code, human.stderr).toBe(4);
    expect(human.stdout).toContain('1 added');
    expect(human.stdout).toContain('records rejected: 1');
    expect(human.stdout).toContain(`${file}:2: record.time: required`);
    expect(human.stderr).toContain('1 record(s) rejected and not stored; exit code 4');
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ unparsed: 1, duplicates: 1 });
    expect(allGood.code, allGood.stderr).toBe(0);
  });

  it('pages a search with the cursor it prints, and counts recipients by message', async () => {
    const cwd = tempDir();
    const log = join(cwd, 'zimbra.log');
    copyFileSync(join(LOGS, 'multi-recipient.log'), log);
    await runCli(['trace', 'import', log], { cwd });
    const all = JSON.parse((await runCli(['--json', 'trace', 'search'], { cwd })).stdout);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const args = ['--json', 'trace', 'search', '--limit', '2'];
      const page = await runCli(cursor ? [...args, '--cursor', cursor] : args, { cwd });
      const body = JSON.parse(page.stdout) as { deliveries: { id: number }[]; next: string | null };
      seen.push(...body.deliveries.map((d) => String(d.id)));
      cursor = body.next;
      pages++;
    } while (cursor && pages < 20);
    const human = await runCli(['trace', 'search', '--limit', '1'], { cwd });
    const byMessage = JSON.parse(
      (await runCli(['--json', 'trace', 'search', '--by-message'], { cwd })).stdout,
    );
    const badCursor = await runCli(['trace', 'search', '--cursor', 'page-two'], { cwd });

    expect(all.deliveries.length).toBeGreaterThan(2);
    expect(seen).toEqual(all.deliveries.map((d: { id: number }) => String(d.id)));
    expect(human.stdout).toMatch(/more: add --cursor \d+\.\d+/);
    const total = all.deliveries.filter((d: { messageId: string | null }) => d.messageId).length;
    expect(
      byMessage.messages.reduce((n: number, m: { recipients: number }) => n + m.recipients, 0),
    ).toBe(total);
    expect(badCursor.code).toBe(2);
    expect(badCursor.stderr).toContain('--cursor');
  });

  it('counts by message only the recipients a message was delivered to', async () => {
    const cwd = tempDir();
    const logs = ['filter-drop.log', 'deferred-bounced.log'].map((f) => join(LOGS, f));
    await runCli(['trace', 'import', ...logs], { cwd });
    const json = await runCli(['--json', 'trace', 'search', '--by-message'], { cwd });
    const human = await runCli(['trace', 'search', '--by-message'], { cwd });

    expect(json.code, json.stderr).toBe(0);
    const messages = JSON.parse(json.stdout).messages as { messageId: string }[];
    const byId = new Map(messages.map((m) => [m.messageId, m]));
    // amavis discarded it: the content filter took it, no mailbox got it.
    expect(byId.get('eicar-1@virus.test')).toMatchObject({
      recipients: 0,
      allRecipients: 1,
      byStatus: { filtered: 1 },
      firstDeliveredMs: null,
    });
    // Bounced for nobody@ at 09:00:05, delivered to partner@ at 09:10:09.
    expect(byId.get('f00d.1@example.test')).toMatchObject({
      recipients: 1,
      allRecipients: 2,
      byStatus: { delivered: 1, bounced: 1 },
      firstDeliveredMs: Date.parse('2026-12-04T09:10:09Z'),
    });
    const row = (id: string) => human.stdout.split('\n').find((l) => l.includes(id));
    expect(human.stdout.split('\n')[0]).toMatch(/^FIRST DELIVERED\s+RECIPIENTS\s+NOT DELIVERED/);
    expect(row('eicar-1@virus.test')).toMatch(/^-\s+0\s+filtered 1\s/);
    expect(row('f00d.1@example.test')).toMatch(/^2026-12-04T09:10:09\.000Z\s+1\s+bounced 1\s/);
  });

  it('finds mail by queue id and shows the queue id, also of mail with no Message-ID', async () => {
    const cwd = tempDir();
    await runCli(['trace', 'import', join(LOGS, 'no-message-id.log')], { cwd });
    const json = await runCli(['--json', 'trace', 'search', '--queue-id', '7A8B9C0D1E'], { cwd });
    const human = await runCli(['trace', 'search', '--queue-id', ' 8B9C0D1E2F '], { cwd });
    const blank = await runCli(['trace', 'search', '--queue-id', ''], { cwd });

    expect(json.code, json.stderr).toBe(0);
    const found = JSON.parse(json.stdout).deliveries as { queueId: string; recipient: string }[];
    expect(found.map((d) => [d.queueId, d.recipient]).sort()).toEqual([
      ['7A8B9C0D1E', 'laura@example.test'],
      ['7A8B9C0D1E', 'mike@example.test'],
    ]);
    const [header, row, ...rest] = human.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^TIME\s+STATUS\s+QUEUE-ID\s+RECIPIENT\s/);
    expect(row).toMatch(/\sdelivered\s+8B9C0D1E2F\s+nina@example\.test\s.*\(none\)/);
    expect(rest).toEqual([]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('--queue-id: is empty');
  });

  it('names --time-zone, not the API field, when import or follow get a zone it does not know', async () => {
    const cwd = tempDir();
    const log = join(LOGS, 'multi-recipient.log');
    const imported = await runCli(['trace', 'import', '--time-zone', 'Mars/Olympus', log], { cwd });
    const followed = await runCli(['trace', 'follow', '--time-zone', 'Europe/Berlim', log], {
      cwd,
    });
    const json = await runCli(['--json', 'trace', 'import', '--time-zone', 'CEST', log], { cwd });

    expect(imported.code).toBe(2);
    expect(imported.stderr).toBe(
      'retract: --time-zone: "Mars/Olympus" is not a time zone this system knows; use an IANA name such as UTC or Europe/Berlin [TRACE_BAD_TIME_ZONE, field --time-zone]\n',
    );
    expect(followed.code).toBe(2);
    expect(followed.stderr).toContain('--time-zone: "Europe/Berlim" is not a time zone');
    expect(followed.stderr).toContain('field --time-zone]');
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'TRACE_BAD_TIME_ZONE',
      field: '--time-zone',
    });
  });

  it('refuses an empty filter value instead of searching the whole trace', async () => {
    const cwd = tempDir();
    const empty = await runCli(['trace', 'search', '--message-id', ''], { cwd });
    const blankSender = await runCli(['trace', 'search', '--sender', '  '], { cwd });
    const badClient = await runCli(['trace', 'search', '--client', 'not-an-ip'], { cwd });

    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--message-id: is empty');
    expect(blankSender.code).toBe(2);
    expect(blankSender.stderr).toContain("'<>' for the null sender");
    expect(badClient.code).toBe(2);
    expect(badClient.stderr).toContain('CLI_BAD_ADDRESS');
  });

  it("names a directory given as a log, and never writes a log line's control characters raw", async () => {
    const cwd = tempDir();
    const dirAsLog = await runCli(['trace', 'import', cwd], { cwd });
    const log = join(cwd, 'evil.log');
    writeFileSync(log, 'garbage \u001b[31mred\u001b[0m line\n');
    const evil = await runCli(['trace', 'import', log], { cwd });

    expect(dirAsLog.code).toBe(2);
    expect(dirAsLog.stderr).toContain(`cannot read log file ${cwd}: it is a directory`);
    expect(evil.code, evil.stderr).toBe(0);
    expect(evil.stdout).not.toContain('\u001b');
    expect(evil.stdout).toContain('garbage \\x1b[31mred');
  });

  it('follows a log until stopped, saving its place, and resumes there', async () => {
    const cwd = tempDir();
    const log = join(cwd, 'zimbra.log');
    copyFileSync(join(LOGS, 'multi-recipient.log'), log);
    const follow = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', TSX, MAIN, 'trace', 'follow', log, '--poll-ms', '50'],
          { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        // Each save of the place is noted on stderr (`..., byte N`); stop after the first.
        child.stderr.on('data', (d: Buffer) => {
          if (d.toString().includes(', byte ')) child.kill('SIGTERM');
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout }));
      });

    const first = await follow();
    const second = await follow();

    expect(first.code).toBe(0);
    expect(first.stdout).toContain('started');
    expect(first.stdout).toContain('3 added');
    expect(second.stdout).toContain('resumed');
    expect(second.stdout).toContain('0 added');
  });
});
