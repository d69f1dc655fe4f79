import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from '../helpers/run-cli.js';
import { WEB_DIST } from './portal-build.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const START_TIMEOUT_MS = 30_000;

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** The environment of every child: the simulator is plain http on loopback. */
const SERVE_ENV = { RETRACT_ALLOW_LOOPBACK_TARGETS: '1', RETRACT_LOG_LEVEL: 'debug' };

/** Adds a user through `retract user add`, the password read from a 0600 file. */
export async function addUser(dataDir: string, name: string, role: string, password: string) {
  const file = join(dataDir, `${name}.password`);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  const args = ['--data-dir', dataDir, 'user', 'add', name, '--role', role];
  const res = await runCli([...args, '--password-file', file], { cwd: dataDir, env: SERVE_ENV });
  if (res.code !== 0) throw new Error(`user add ${name} failed: ${res.stderr}`);
}

/** Starts `retract serve` on 127.0.0.1 with a port the system picks, and waits for it. */
export async function startServe(dataDir: string): Promise<ServeProcess> {
  const args = ['--data-dir', dataDir, 'serve', '--host', '127.0.0.1', '--port', '0'];
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args, '--web-root', WEB_DIST], {
    cwd: dataDir,
    env: { ...process.env, ...SERVE_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = await waitForUrl(child, () => output);
  return { url, output: () => output, stop: () => stopChild(child) };
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error('retract serve did not start')),
      START_TIMEOUT_MS,
    );
    const check = () => {
      const match = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      resolve(match[1]!);
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`${error.message}:\n${output()}`));
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => fail(new Error(`retract serve exited with ${code}`)));
  });
}

/** SIGTERM to our own child, by its pid; it lets running retractions finish first. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
