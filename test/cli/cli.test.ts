import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { runCli } from '../helpers/run-cli.js';
import { phishMessage } from '../helpers/sim-fixture.js';
import { useTempDir } from '../helpers/temp-dir.js';

const DOMAIN = 'example.test';
const MID = 'cli-1$x=y@mail.evil.example';
const LOOPBACK = { RETRACT_ALLOW_LOOPBACK_TARGETS: '1' };

// Each command is a child process that loads the CLI from source: seconds apiece.
describe('retract CLI', { timeout: 120_000 }, () => {
  const tempDir = useTempDir();
  let sim: Simulator;
  let key: string;
  let mtaLog: string;
  let simDir: string;
  const accounts = ['ann', 'bob', 'cat'].map((u) => `${u}@${DOMAIN}`);

  beforeAll(async () => {
    simDir = (await import('node:fs')).mkdtempSync(
      join((await import('node:os')).tmpdir(), 'sim-'),
    );
    mtaLog = join(simDir, 'zimbra.log');
    sim = await startSimulator({ mtaLogPath: mtaLog });
    key = sim.addDomain(DOMAIN).preauthKey;
    for (const a of accounts) sim.addAccount(a);
    sim.deliver(phishMessage(MID), [...accounts, `gone@${DOMAIN}`]);
    await sim.flushMtaLog();
  });
  afterAll(async () => {
    await sim.close();
  });

  function setUp() {
    const cwd = tempDir();
    const keyFile = join(cwd, 'key');
    writeFileSync(keyFile, `${key}\n`);
    return { cwd, keyFile };
  }

  async function addDomain(cwd: string, keyFile: string) {
    const add = await runCli(
      ['domain', 'add', DOMAIN, '--soap-url', sim.soapUrl, '--preauth-key-file', keyFile],
      { cwd, env: LOOPBACK },
    );
    expect(add.code, add.stderr).toBe(0);
  }

  it('refuses a key that is not 64 hex digits, naming the field and not echoing it', async () => {
    const { cwd } = setUp();
    const bad = join(cwd, 'bad-key');
    writeFileSync(bad, `${key.slice(0, 40)}\n`);

    const result = await runCli(
      ['domain', 'add', DOMAIN, '--soap-url', sim.soapUrl, '--preauth-key-file', bad],
      { cwd, env: LOOPBACK },
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/preauthKey: a Zimbra domain PreAuth key is 64 hex digits/);
    expect(result.stderr + result.stdout).not.toContain(key.slice(0, 40));
    const list = await runCli(['--json', 'domain', 'list'], { cwd });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('refuses a plain-http loopback SOAP URL unless loopback targets are allowed', async () => {
    const { cwd, keyFile } = setUp();
    const args = [
      'domain',
      'add',
      DOMAIN,
      '--soap-url',
      sim.soapUrl,
      '--preauth-key-file',
      keyFile,
    ];

    const refused = await runCli(args, { cwd, env: { RETRACT_ALLOW_LOOPBACK_TARGETS: '0' } });

    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/soapUrl/);
  });

  it('names the option of a key file that does not exist', async () => {
    const { cwd } = setUp();
    const result = await runCli(
      ['domain', 'add', DOMAIN, '--soap-url', sim.soapUrl, '--preauth-key-file', 'nope'],
      { cwd, env: LOOPBACK },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--preauth-key-file: nope: no such file/);
  });

  it('imports the trace, retracts, reports JSON receipts and restores', async () => {
    const { cwd, keyFile } = setUp();
    await addDomain(cwd, keyFile);

    const imported = await runCli(['--json', 'trace', 'import', mtaLog], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ delivered: 3, rejected: 1 });

    const found = await runCli(['trace', 'search', '--message-id', `Message-ID: <${MID}>`], {
      cwd,
    });
    expect(found.stdout.split('\n').filter((l) => l.includes(MID))).toHaveLength(4);

    const run = await runCli(
      [
        'run',
        '--message-id',
        `<${MID}>`,
        '--recipients',
        [...accounts, `gone@${DOMAIN}`].join(','),
        '--yes',
        '--json',
      ],
      { cwd, env: LOOPBACK },
    );
    expect(run.code, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      id: expect.any(String),
      status: 'completed',
      counts: { retracted: 3, not_found: 0, failed: 1 },
    });
    expect(report.mailboxes).toHaveLength(4);
    const failed = report.mailboxes.find(
      (m: { account: string }) => m.account === `gone@${DOMAIN}`,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      items: [],
      error: { class: 'mailbox', code: expect.any(String), message: expect.any(String) },
    });
    const ok = report.mailboxes.find((m: { account: string }) => m.account === accounts[0]);
    expect(ok).toMatchObject({
      status: 'retracted',
      items: [{ folderBefore: '2', outcome: 'moved' }],
    });

    const status = await runCli(['status', report.id, '--json'], { cwd });
    expect(JSON.parse(status.stdout).counts).toMatchObject({ retracted: 3, failed: 1 });

    const restore = await runCli(['restore', report.id, '--yes', '--json'], { cwd, env: LOOPBACK });
    expect(JSON.parse(restore.stdout)).toMatchObject({ restoreStatus: 'completed' });
    for (const a of accounts) {
      expect(
        sim
          .listMessages(a)
          .filter((m) => m.messageId === MID)
          .map((m) => m.folderId),
      ).toEqual(['2']);
    }

    const everything = [imported, run, status, restore].map((r) => r.stdout + r.stderr).join('\n');
    const log = readFileSync(join(cwd, '.retract', 'retract.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(everything + log).not.toContain(key);
  });

  it('refuses to change mailboxes without a terminal or --yes, and changes nothing', async () => {
    const { cwd, keyFile } = setUp();
    await addDomain(cwd, keyFile);
    const before = sim.countRequests('MsgActionRequest');

    const run = await runCli(['run', '--message-id', MID, '--recipients', accounts[0]!], {
      cwd,
      env: LOOPBACK,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/add --yes/);
    expect(sim.countRequests('MsgActionRequest')).toBe(before);
    const list = await runCli(['--json', 'list'], { cwd });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('prints a JSON document larger than a pipe buffer whole', async () => {
    const { cwd } = setUp();
    const bulkLog = join(simDir, 'bulk.log');
    const bulk = await startSimulator({ mtaLogPath: bulkLog });
    try {
      bulk.addDomain(DOMAIN);
      for (const a of accounts) bulk.addAccount(a);
      for (let i = 0; i < 60; i += 1)
        bulk.deliver(phishMessage(`bulk-${i}@evil.example`), accounts);
      await bulk.flushMtaLog();
    } finally {
      await bulk.close();
    }
    await runCli(['trace', 'import', bulkLog], { cwd });

    const search = await runCli(['--json', 'trace', 'search', '--limit', '1000'], { cwd });

    expect(search.stdout.length).toBeGreaterThan(65_536);
    expect(JSON.parse(search.stdout).deliveries).toHaveLength(180);
  });

  it('refuses an empty recipient list instead of taking every recipient of the trace', async () => {
    const { cwd, keyFile } = setUp();
    await addDomain(cwd, keyFile);
    await runCli(['trace', 'import', mtaLog], { cwd });

    const run = await runCli(['run', '--message-id', MID, '--recipients', '', '--dry-run'], {
      cwd,
      env: LOOPBACK,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/recipients: the list is empty/);
    expect(JSON.parse((await runCli(['--json', 'list'], { cwd })).stdout)).toEqual([]);
  });

  it('names the path of a data directory that is a file', async () => {
    const { cwd, keyFile } = setUp();
    const result = await runCli(['--data-dir', keyFile, 'domain', 'list'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${keyFile}: exists already`);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('changes the SOAP URL of a domain with domain set, keeping its key', async () => {
    const { cwd, keyFile } = setUp();
    await addDomain(cwd, keyFile);
    const admin = sim.adminSoapUrl;

    const set = await runCli(['--json', 'domain', 'set', DOMAIN, '--soap-url', admin], {
      cwd,
      env: LOOPBACK,
    });
    const listed = JSON.parse((await runCli(['--json', 'domain', 'list'], { cwd })).stdout);

    expect(set.code, set.stderr).toBe(0);
    expect(listed).toMatchObject([{ name: DOMAIN, soapUrl: admin, soapUrlKind: 'admin' }]);
    expect(JSON.parse(set.stdout).keyFingerprint).toBe(listed[0].keyFingerprint);
  });

  it('refuses two Message-IDs in one field', async () => {
    const { cwd } = setUp();
    const run = await runCli(['run', '--message-id', '<a@x.example> <b@y.example>', '--yes'], {
      cwd,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/messageId/);
  });
});
