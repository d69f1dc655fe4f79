import { ZIMBRA_DEFAULTS } from './defaults.js';
import type { HttpAnswer } from './envelope.js';

/**
 * The wait a `Retry-After` header asks for, in ms, capped at
 * ZIMBRA_DEFAULTS.maxRetryAfterMs: either delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). A date is read against the answer's own `Date` header,
 * so a skewed local clock does not stretch or cancel the wait; without one
 * it is ignored.
 */
export function retryAfterMsOf(answer: HttpAnswer): number | undefined {
  const value = answer.headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return capped(Number(value) * 1000);

  const untilMs = Date.parse(value);
  const serverNowMs = Date.parse(answer.headers['date'] ?? '');
  if (!Number.isFinite(untilMs) || !Number.isFinite(serverNowMs)) return undefined;
  return capped(Math.max(0, untilMs - serverNowMs));
}

function capped(ms: number): number {
  return Math.min(ms, ZIMBRA_DEFAULTS.maxRetryAfterMs);
}
