import { readFileSync } from 'node:fs';
import { InputError } from '../errors/index.js';

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
 * Parses a time option: an ISO 8601 date or date-time (`2026-12-01`,
 * `2026-12-01T08:00:00Z`), or a time ago (`30m`, `12h`, `7d`).
 */
export function parseTimeOption(value: string, option: string, nowMs: number): number {
  const ago = /^(\d+)([mhd])$/.exec(value.trim());
  if (ago) {
    const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 'm' | 'h' | 'd'];
    return nowMs - Number(ago[1]) * unitMs;
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new InputError(
      'CLI_BAD_TIME',
      option,
      `${option}: "${value}" is not a time; use 2026-12-01, 2026-12-01T08:00:00Z or 7d`,
    );
  }
  return ms;
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
