#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { RetractError, toRetractError } from '../errors/index.js';
import type { GlobalOptions } from './cli-context.js';
import { registerDemoCommand } from './commands/demo-command.js';
import { registerDomainCommands } from './commands/domain-commands.js';
import { registerRetractionCommands } from './commands/retraction-commands.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerSimCommand } from './commands/sim-command.js';
import { registerTokenCommands } from './commands/token-commands.js';
import { registerTraceCommands } from './commands/trace-commands.js';
import { registerUserCommands } from './commands/user-commands.js';
import { createOutput } from './output.js';

/**
 * Exit codes: 0 done, 1 failed, 2 bad input or configuration, 3 some
 * mailboxes failed, 4 an NDJSON import rejected some records (the rest are
 * stored). Commands set 3 and 4 through `process.exitCode`.
 */
const EXIT_FAILED = 1;
const EXIT_BAD_INPUT = 2;

function buildProgram(): Command {
  const program = new Command('retract')
    .description('Pull delivered malicious email back out of Zimbra mailboxes')
    .option(
      '--data-dir <dir>',
      'where the database and master key live (RETRACT_DATA_DIR; default ./.retract)',
    )
    .option('--json', 'print results as JSON')
    .showHelpAfterError()
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();

  registerDomainCommands(program, globals);
  registerTraceCommands(program, globals);
  registerRetractionCommands(program, globals);
  registerServeCommand(program, globals);
  registerUserCommands(program, globals);
  registerTokenCommands(program, globals);
  registerSimCommand(program);
  registerDemoCommand(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      return thrown.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    const err = toRetractError(systemErrorOf(thrown) ?? thrown);
    createOutput(program.opts<GlobalOptions>().json === true).error(err);
    if (err.failureClass === 'internal' && err.cause instanceof Error) {
      process.stderr.write(`${err.cause.stack ?? err.cause.message}\n`);
    }
    return err.failureClass === 'config' ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
}

/**
 * An operating-system error about a file or port (a data directory that is
 * a file, a log that is a directory, a port in use) is the operator's to
 * fix: say which path and what is wrong, not a stack trace.
 */
function systemErrorOf(thrown: unknown): RetractError | undefined {
  if (thrown instanceof RetractError) return undefined;
  const sys = thrown as NodeJS.ErrnoException | undefined;
  if (!sys || typeof sys.code !== 'string' || !(sys.code in SYSTEM_ERRORS)) return undefined;
  const what = SYSTEM_ERRORS[sys.code]!;
  const where = sys.path ?? (sys as { address?: string }).address ?? '';
  const port = (sys as { port?: number }).port;
  return new RetractError('CLI_SYSTEM_ERROR', `${where}${port ? `:${port}` : ''}: ${what}`, {
    failureClass: 'config',
    cause: sys,
    context: { path: where },
  });
}

const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'exists already and is not what was expected (a file where a directory belongs?)',
  EISDIR: 'is a directory, where a file was expected',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EADDRINUSE: 'the address and port are in use by another program',
  EADDRNOTAVAIL: 'the address is not one of this machine',
};

/**
 * Exits once stdout and stderr are flushed: a pipe takes writes
 * asynchronously, and exiting at once would cut a large --json document.
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// Long-lived handles (keep-alive pools, a simulator) must not hold a finished
// command open, so every command exits explicitly. Long-running commands
// (`sim`) only return once they are asked to stop.
main(process.argv).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`retract: unexpected failure: ${String(err)}\n`);
  exitAfterFlush(EXIT_FAILED);
});
