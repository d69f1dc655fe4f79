import { DEFAULTS } from '../config/index.js';
import { InputError } from '../errors/index.js';

const DAY_MS = 86_400_000;

/** Checks a token's label: 1 to 64 printable characters, no control characters. */
export function parseTokenName(input: string): string {
  const name = input.trim();
  if (name.length === 0 || name.length > 64 || /[\p{Cc}]/u.test(name)) {
    throw new InputError(
      'TOKEN_BAD_NAME',
      'name',
      'name: give the token a label of 1 to 64 characters, such as "soar-playbook"',
    );
  }
  return name;
}

/** Checks a lifetime in whole days, 1 to `DEFAULTS.apiTokenMaxDays`; returns milliseconds. */
export function parseTokenDays(days: number, field = 'expiresInDays'): number {
  const max = DEFAULTS.apiTokenMaxDays;
  if (!Number.isInteger(days) || days < 1 || days > max) {
    throw new InputError(
      'TOKEN_BAD_EXPIRY',
      field,
      `${field}: a token lives 1 to ${max} whole days`,
    );
  }
  return days * DAY_MS;
}

/** Parses the CLI form `30d` (or a bare number of days). */
export function parseTokenLifetime(text: string, field = '--expires'): number {
  const match = /^(\d{1,4})d?$/.exec(text.trim());
  if (!match) {
    throw new InputError(
      'TOKEN_BAD_EXPIRY',
      field,
      `${field}: "${text}" is not a number of days such as 30d`,
    );
  }
  return parseTokenDays(Number(match[1]), field);
}
