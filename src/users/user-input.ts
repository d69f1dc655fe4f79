import { DEFAULTS } from '../config/index.js';
import { InputError } from '../errors/index.js';

const USER_NAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
const MAX_PASSWORD_CHARS = 1_024;

/** Checks and lower-cases a user name: 2 to 64 of `a-z 0-9 . _ @ -`, starting alphanumeric. */
export function parseUserName(input: string): string {
  const name = input.trim().toLowerCase();
  if (!USER_NAME.test(name)) {
    throw new InputError(
      'USER_BAD_NAME',
      'name',
      'name: use 2 to 64 characters of a-z, 0-9, ".", "_", "@" and "-", starting with a letter or digit',
    );
  }
  return name;
}

/**
 * Checks a new password's length only: long passphrases beat composition
 * rules (NIST SP 800-63B §5.1.1). The password never appears in the message.
 */
export function parseNewPassword(password: string, field = 'password'): string {
  const min = DEFAULTS.passwordMinLength;
  if (password.length < min || password.length > MAX_PASSWORD_CHARS) {
    throw new InputError(
      'USER_BAD_PASSWORD',
      field,
      `${field}: use ${min} to ${MAX_PASSWORD_CHARS} characters; a few unrelated words make a good one`,
    );
  }
  return password;
}
