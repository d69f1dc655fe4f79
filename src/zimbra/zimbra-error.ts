import { RetractError, type FailureClass } from '../errors/index.js';

/**
 * What a caller may do about a failed call.
 *
 * - `never`: retrying cannot help (bad key, bad request, missing item).
 * - `backoff`: retry soon with jittered exponential backoff; the session does.
 * - `later`: retry in minutes (maintenance); the session does not wait, its caller reschedules.
 * - `reauth`: log in again once, then retry once; the session does.
 */
export type RetryPolicy = 'never' | 'backoff' | 'later' | 'reauth';

export interface ZimbraErrorOptions {
  failureClass: FailureClass;
  retry: RetryPolicy;
  /** Zimbra's `Detail.Error.Code`, when the server answered with a fault. */
  faultCode?: string;
  /** The request name, e.g. `SearchRequest`. */
  soapRequest?: string;
  httpStatus?: number;
  /** The item the call was about no longer exists (NO_SUCH_MSG, NO_SUCH_ITEM, NO_SUCH_CONV). */
  gone?: boolean;
  cause?: unknown;
  /** Never secrets: no key, token, password or envelope. */
  context?: Record<string, unknown>;
}

/**
 * An error from talking to Zimbra: a SOAP fault, an HTTP status, or a network
 * or TLS failure. `code` is Retract's stable code (`ZIMBRA_...`); `faultCode`
 * keeps Zimbra's own code when there was one.
 */
export class ZimbraError extends RetractError {
  readonly faultCode: string | undefined;
  readonly soapRequest: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retry: RetryPolicy;
  /** True for `backoff` and `later`: the same call may succeed if tried again. */
  readonly retryable: boolean;
  readonly gone: boolean;

  constructor(code: string, message: string, options: ZimbraErrorOptions) {
    super(code, message, {
      failureClass: options.failureClass,
      cause: options.cause,
      context: {
        ...options.context,
        faultCode: options.faultCode,
        soapRequest: options.soapRequest,
        httpStatus: options.httpStatus,
      },
    });
    this.name = 'ZimbraError';
    this.faultCode = options.faultCode;
    this.soapRequest = options.soapRequest;
    this.httpStatus = options.httpStatus;
    this.retry = options.retry;
    this.retryable = options.retry === 'backoff' || options.retry === 'later';
    this.gone = options.gone === true;
  }
}

export function isZimbraError(value: unknown): value is ZimbraError {
  return value instanceof ZimbraError;
}
