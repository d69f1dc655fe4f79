import type { Command } from 'commander';
import type { GlobalOptions } from '../cli-context.js';
import { parseIntegerOption } from '../parse-options.js';

/** `retract demo`: the main job end to end against the built-in simulator. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('simulate Zimbra with real mail, retract one message, check, restore, check')
    .option('--mailboxes <n>', 'simulated mailboxes', '200')
    .option('--messages <n>', 'corpus messages to deliver', '1000')
    .option('--min-recipients <n>', 'retract a message delivered to at least this many', '50')
    .option('--seed <n>', 'seed of the recipient draw', '20261204')
    .action(async (opts: Record<string, string>) => {
      const globals = program.opts<GlobalOptions>();
      const started = performance.now();
      // Loaded on demand, with the simulator it drives.
      const { runDemo } = await import('../demo.js');
      const result = await runDemo({
        ...(globals.dataDir ? { dataDir: globals.dataDir } : {}),
        mailboxes: parseIntegerOption(opts['mailboxes']!, '--mailboxes', 1, 100_000),
        messages: parseIntegerOption(opts['messages']!, '--messages', 1, 1_000_000),
        minRecipients: parseIntegerOption(opts['minRecipients']!, '--min-recipients', 1, 100_000),
        seed: parseIntegerOption(opts['seed']!, '--seed', 0, 2 ** 31),
        say: (line) => {
          if (!globals.json) process.stdout.write(`${line}\n`);
        },
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (globals.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        process.stdout.write(`${result.ok ? 'demo passed' : 'demo FAILED'} in ${seconds} s\n`);
        process.stdout.write(
          `inspect it: retract --data-dir ${result.dataDir} status ${result.retractionId ?? ''}\n`,
        );
      }
      if (!result.ok) process.exitCode = 1;
    });
}
