import { readFileSync } from 'node:fs';
import { InputError } from '../errors/index.js';
import { parseTimeInput } from '../trace/index.js';

/** Reads a file named by an option, naming the option when it cannot. */
export function readOptionFile(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read';
    throw new InputError('CLI_BAD_FILE', option, `${option}: ${path}: ${why}`, err);
  }
}

/**
 * Parses a time option: an ISO 8601 date or date-time, or a time ago
 * (`30m`, `12h`, `7d`); the error names the option.
 */
export function parseTimeOption(value: string, option: string, nowMs: number): number {
  return parseTimeInput(value, option, nowMs);
}

export function parseIntegerOption(value: string, option: string, min: number, max: number) {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new InputError(
      'CLI_BAD_NUMBER',
      option,
      `${option}: must be a whole number from ${min} to ${max}`,
    );
  }
  return n;
}
