import type { RetractError } from '../errors/index.js';

// The Zimbra layer's errors carry Zimbra's own fault code and whether a retry
// may help; these helpers read them without this layer depending on the
// client's classes, so a test double only needs the same two fields.

/** Zimbra's fault code (`mail.NO_SUCH_MSG`), if the error came from a fault. */
export function faultCodeOf(err: RetractError): string | undefined {
  const own = (err as { faultCode?: unknown }).faultCode;
  const code = typeof own === 'string' ? own : err.context['faultCode'];
  return typeof code === 'string' ? code : undefined;
}

/** Whether the failed call may work if made again later. */
export function isRetryable(err: RetractError): boolean {
  const own = (err as { retryable?: unknown }).retryable;
  return own === true || err.failureClass === 'transient';
}

/** Zimbra said to come back in minutes (maintenance), not seconds. */
export function isRetryLater(err: RetractError): boolean {
  return (err as { retry?: unknown }).retry === 'later';
}

/** The message vanished between a search and an action on it (reference §4.3). */
export function isGone(err: RetractError): boolean {
  const code = faultCodeOf(err);
  return code === 'mail.NO_SUCH_MSG' || code === 'mail.NO_SUCH_ITEM';
}

/** A failed PreAuth login: wrong key, skew, or an unknown, locked or closed account. */
export function isAuthFailure(err: RetractError): boolean {
  return faultCodeOf(err) === 'account.AUTH_FAILED';
}

export function isNoSuchFolder(err: RetractError): boolean {
  return faultCodeOf(err) === 'mail.NO_SUCH_FOLDER';
}
