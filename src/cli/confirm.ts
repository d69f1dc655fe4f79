import { createInterface } from 'node:readline/promises';
import { RetractError } from '../errors/index.js';

/**
 * Asks before a command changes mailboxes. `--yes` skips the question; with
 * no terminal to ask on and no `--yes`, the command is refused rather than
 * run unasked.
 */
export async function confirm(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new RetractError(
      'CLI_CONFIRMATION_REQUIRED',
      'this command changes mailboxes and there is no terminal to confirm on; add --yes',
      { failureClass: 'config', context: { field: 'yes' } },
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    if (/^y(es)?$/i.test(answer.trim())) return;
  } finally {
    rl.close();
  }
  throw new RetractError('CLI_CANCELLED', 'cancelled; nothing was changed', {
    failureClass: 'config',
  });
}
