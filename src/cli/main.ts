#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { toRetractError } from '../errors/index.js';
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

/** Exit codes: 0 done, 1 failed, 2 bad input or configuration, 3 some mailboxes failed. */
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
    const err = toRetractError(thrown);
    createOutput(program.opts<GlobalOptions>().json === true).error(err);
    if (err.failureClass === 'internal' && err.cause instanceof Error) {
      process.stderr.write(`${err.cause.stack ?? err.cause.message}\n`);
    }
    return err.failureClass === 'config' ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
}

// Long-lived handles (keep-alive pools, a simulator) must not hold a finished
// command open, so every command exits explicitly. Long-running commands
// (`sim`) only return once they are asked to stop.
main(process.argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`retract: unexpected failure: ${String(err)}\n`);
    process.exit(EXIT_FAILED);
  },
);
