import type { ResendPolicy } from './soap-call.js';
import { isZimbraError } from './zimbra-error.js';

/** Jittered exponential backoff; `attempts` counts the first try. */
export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryRunner {
  options: RetryOptions;
  /** Injected so tests never wait. */
  sleep(ms: number): Promise<void>;
  /** In [0, 1); injected so tests can pin the jitter. */
  random(): number;
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

/**
 * "Full jitter": a uniform delay in [0, min(max, base·2^(failures−1))], so
 * many mailbox tasks backing off from one throttled server spread out instead
 * of returning together.
 */
export function backoffDelayMs(
  failures: number,
  options: RetryOptions,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (failures - 1));
  return Math.floor(random() * ceiling);
}

/** Whether an error of a call with this resend policy may be sent again soon. */
export function isResendable(error: unknown, resend: ResendPolicy): boolean {
  if (!isZimbraError(error) || error.retry !== 'backoff') return false;
  // The DoS filter answers 429 before any servlet sees the request (reference
  // §9.1): nothing ran, so even a delete may go again.
  if (error.code === 'ZIMBRA_THROTTLED') return true;
  if (resend === 'none') return false;
  return resend === 'any' || error.faultCode === undefined;
}

/**
 * Runs `attempt` until it succeeds, the error may not be resent, or the
 * attempts run out; the last error is thrown as it is.
 */
export async function withRetry<T>(
  resend: ResendPolicy,
  runner: RetryRunner,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (attemptNumber >= runner.options.attempts || !isResendable(error, resend)) throw error;
      const delayMs = retryDelayMs(error, attemptNumber, runner);
      runner.onRetry?.(error, attemptNumber, delayMs);
      await runner.sleep(delayMs);
    }
  }
}

/** The backoff delay, but never shorter than a Retry-After the server sent (capped at max). */
function retryDelayMs(error: unknown, failures: number, runner: RetryRunner): number {
  const jittered = backoffDelayMs(failures, runner.options, runner.random);
  const retryAfterMs = isZimbraError(error) ? error.context['retryAfterMs'] : undefined;
  if (typeof retryAfterMs !== 'number') return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, runner.options.maxDelayMs));
}
