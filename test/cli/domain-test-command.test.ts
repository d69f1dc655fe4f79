import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const DOMAIN = 'example.test';
const ACCOUNT = `ann@${DOMAIN}`;
const LOOPBACK = { RETRACT_ALLOW_LOOPBACK_TARGETS: '1' };

describe('retract domain test', () => {
  const tempDir = useTempDir();
  let sim: Simulator;
  let key: string;

  beforeAll(async () => {
    sim = await startSimulator();
    key = sim.addDomain(DOMAIN).preauthKey;
    sim.addAccount(ACCOUNT);
  });
  afterAll(async () => {
    await sim.close();
  });

  async function withDomain(preauthKey: string) {
    const cwd = tempDir();
    const keyFile = join(cwd, 'key');
    writeFileSync(keyFile, `${preauthKey}\n`);
    const add = await runCli(
      ['domain', 'add', DOMAIN, '--soap-url', sim.soapUrl, '--preauth-key-file', keyFile],
      { cwd, env: LOOPBACK },
    );
    expect(add.code, add.stderr).toBe(0);
    return cwd;
  }

  it('prints every check and exits 0 when the domain works', async () => {
    const cwd = await withDomain(key);
    const result = await runCli(['domain', 'test', DOMAIN, '--account', ACCOUNT], {
      cwd,
      env: LOOPBACK,
    });

    expect(result.code, result.stderr).toBe(0);
    for (const name of ['dns', 'tls', 'clock', 'endpoint', 'preauth']) {
      expect(result.stdout).toMatch(new RegExp(`ok {4}${name}`));
    }
    expect(result.stdout).toContain(`PreAuth accepted at   ${sim.soapUrl}`);
    expect(result.stdout).toMatch(/egress address\s+127\.0\.0\.1/);
  });

  it('reports a wrong key as JSON with advice, exits 1 and never prints the key', async () => {
    const wrong = 'c'.repeat(64);
    const cwd = await withDomain(wrong);
    const result = await runCli(['domain', 'test', DOMAIN, '--account', ACCOUNT, '--json'], {
      cwd,
      env: LOOPBACK,
    });

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: { name: string; ok: boolean; advice?: string }[];
    };
    expect(report.ok).toBe(false);
    const preauth = report.checks.find((c) => c.name === 'preauth');
    expect(preauth).toMatchObject({
      ok: false,
      advice: expect.stringMatching(/set-key/) as string,
    });
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });
});
