import type { FailureClass } from '../errors/index.js';
import type { RetryPolicy } from './zimbra-error.js';

/** How one Zimbra fault code or transport failure becomes a ZimbraError. */
export interface FaultRule {
  readonly code: string;
  readonly failureClass: FailureClass;
  readonly retry: RetryPolicy;
  readonly gone?: boolean;
  /** First sentence of the message: what happened and what an operator does. */
  readonly summary: string;
}

/** A frozen table row. */
export function rule(
  code: string,
  failureClass: FailureClass,
  retry: RetryPolicy,
  summary: string,
  gone?: boolean,
): FaultRule {
  return Object.freeze(
    gone === true
      ? { code, failureClass, retry, summary, gone }
      : { code, failureClass, retry, summary },
  );
}
