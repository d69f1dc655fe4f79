import { RetractError } from '../errors/index.js';
import { readOptionFile } from './parse-options.js';

/**
 * A new password from `--password-file` (one trailing line break dropped)
 * or, on a terminal, typed twice without echo. Never from an argument: argv
 * is visible to every user of the machine and lands in shell history.
 */
export async function readNewPassword(passwordFile: string | undefined): Promise<string> {
  if (passwordFile !== undefined) {
    return readOptionFile(passwordFile, '--password-file').replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new RetractError(
      'CLI_PASSWORD_REQUIRED',
      'no terminal to type the password on; give it in a file with --password-file',
      { failureClass: 'config', context: { field: '--password-file' } },
    );
  }
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Password again: ');
  if (first !== second) {
    throw new RetractError(
      'CLI_PASSWORD_MISMATCH',
      'the two passwords differ; nothing was changed',
      {
        failureClass: 'config',
      },
    );
  }
  return first;
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');

  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(cancelled());
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

function cancelled(): RetractError {
  return new RetractError('CLI_CANCELLED', 'cancelled; nothing was changed', {
    failureClass: 'config',
  });
}
