import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PASSWORD = 'correct horse battery staple';

describe('retract user, token and serve commands', () => {
  const tempDir = useTempDir();

  function setUp() {
    const cwd = tempDir();
    const passwordFile = join(cwd, 'pw');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    return { cwd, passwordFile };
  }

  it('adds the first admin from a password file and lists it', async () => {
    const { cwd, passwordFile } = setUp();

    const add = await runCli(
      ['user', 'add', 'Root', '--role', 'admin', '--password-file', passwordFile],
      { cwd },
    );
    const list = await runCli(['--json', 'user', 'list'], { cwd });

    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('added root (admin)');
    expect(JSON.parse(list.stdout)).toMatchObject([
      { name: 'root', role: 'admin', disabled: false },
    ]);
    expect(list.stdout).not.toContain(PASSWORD);
  });

  it('never takes a password as an argument, and asks for a file when there is no terminal', async () => {
    const { cwd } = setUp();

    // Independent runs, in parallel: each CLI start costs seconds.
    const [asArgument, noTerminal] = await Promise.all([
      runCli(['user', 'add', 'eve', '--role', 'admin', '--password', PASSWORD], { cwd }),
      runCli(['user', 'add', 'eve', '--role', 'admin'], { cwd }),
    ]);

    expect(asArgument.code).toBe(2);
    expect(asArgument.stderr).toMatch(/unknown option '--password'/);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('CLI_PASSWORD_REQUIRED');
  });

  it('prints a new API token once, which the token list never shows', async () => {
    const { cwd } = setUp();

    const created = await runCli(
      ['token', 'create', '--role', 'analyst', '--expires', '7d', '--name', 'soar'],
      { cwd },
    );
    const [list, tooLong] = await Promise.all([
      runCli(['--json', 'token', 'list'], { cwd }),
      runCli(['token', 'create', '--role', 'analyst', '--expires', '400d'], { cwd }),
    ]);

    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('not shown again');
    expect(JSON.parse(list.stdout)).toMatchObject([
      { name: 'soar', role: 'analyst', revoked: false },
    ]);
    expect(list.stdout).not.toContain(token);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('TOKEN_BAD_EXPIRY');
  });

  it('serves on loopback until SIGTERM, then exits 0', async () => {
    const { cwd } = setUp();
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', '--port', '0'], {
      cwd,
      env: { ...process.env, RETRACT_PUBLIC_URL: 'https://retract.example.com/' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.on('close', done));
    let stderr = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('close', () => reject(new Error(`serve stopped: ${stderr}`)));
    });

    const health = await fetch(`${address}/healthz`);
    const ready = await fetch(`${address}/readyz`);
    child.kill('SIGTERM');

    expect(await health.json()).toEqual({ status: 'ok' });
    expect(ready.status).toBe(200);
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopping');
  });
});
