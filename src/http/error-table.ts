import type { FailureClass, RetractError } from '../errors/index.js';
import { InputError } from '../errors/index.js';

/**
 * The one table from error code to HTTP status. Exact codes first, then the
 * naming conventions (`*_NOT_FOUND`, `*_EXISTS`), then bad input, then the
 * failure class. A new code needs a row only when none of those fits.
 */
const BY_CODE: Readonly<Record<string, number>> = {
  AUTH_REQUIRED: 401,
  AUTH_TOKEN_INVALID: 401,
  AUTH_BAD_CREDENTIALS: 401,
  AUTH_LOCKED: 401,
  AUTH_TOTP_REQUIRED: 401,
  AUTH_TOTP_INVALID: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_CSRF_FAILED: 403,
  HTTP_NOT_FOUND: 404,
  HTTP_BODY_TOO_LARGE: 413,
  HTTP_UNSUPPORTED_MEDIA_TYPE: 415,
  HTTP_RATE_LIMITED: 429,
  HTTP_INTERNAL: 500,
  RETRACTION_NOT_CANCELLABLE: 409,
  RETRACTION_NOT_RESTORABLE: 409,
  USER_LAST_ADMIN: 409,
  DOMAIN_KEY_UNREADABLE: 500,
  STORE_OPEN_FAILED: 503,
};

const BY_CLASS: Readonly<Record<FailureClass, number>> = {
  config: 422,
  mailbox: 502,
  transient: 503,
  internal: 500,
};

/** The HTTP status of an error, from its code. */
export function httpStatusOf(err: RetractError): number {
  const exact = BY_CODE[err.code];
  if (exact !== undefined) return exact;
  if (err.code.endsWith('_NOT_FOUND')) return 404;
  if (err.code.endsWith('_EXISTS')) return 409;
  if (err instanceof InputError) return 400;
  return BY_CLASS[err.failureClass];
}
