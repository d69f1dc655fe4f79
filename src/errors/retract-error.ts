/**
 * Where a failure comes from, and so who has to act on it.
 *
 * - `config`: the domain's set-up is wrong (bad key, clock skew, TLS, URL).
 * - `mailbox`: one mailbox cannot be served (no such account, closed, in
 *   maintenance after retries).
 * - `transient`: the server or network kept failing and the retries ran out.
 * - `internal`: a bug, or an answer Retract has never seen.
 */
export type FailureClass = 'config' | 'mailbox' | 'transient' | 'internal';

export const FAILURE_CLASSES: readonly FailureClass[] = [
  'config',
  'mailbox',
  'transient',
  'internal',
];

export interface RetractErrorOptions {
  failureClass: FailureClass;
  cause?: unknown;
  /** Typed context: domain, account, soapRequest, field, ... Never secrets. */
  context?: Record<string, unknown>;
}

/**
 * The one base class of every error Retract raises on purpose.
 *
 * `code` is stable, SCREAMING_SNAKE with a layer prefix (for example
 * `ZIMBRA_AUTH_FAILED`), documented in docs/errors.md, and the only thing
 * code may branch on. The message is for people.
 */
export class RetractError extends Error {
  readonly code: string;
  readonly failureClass: FailureClass;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: RetractErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RetractError';
    this.code = code;
    this.failureClass = options.failureClass;
    this.context = Object.freeze({ ...options.context });
  }
}

/**
 * Raised for bad input from a person or a caller: it always names the field.
 */
export class InputError extends RetractError {
  readonly field: string;

  constructor(code: string, field: string, message: string, cause?: unknown) {
    super(code, message, { failureClass: 'config', cause, context: { field } });
    this.name = 'InputError';
    this.field = field;
  }
}

export function isRetractError(value: unknown): value is RetractError {
  return value instanceof RetractError;
}

/**
 * Turns anything thrown into a RetractError, once, at a layer's edge. An
 * unknown throw becomes `INTERNAL_UNEXPECTED` with the original as `cause`.
 */
export function toRetractError(value: unknown): RetractError {
  if (value instanceof RetractError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new RetractError('INTERNAL_UNEXPECTED', message, {
    failureClass: 'internal',
    cause: value,
  });
}
