import type { JsonObject } from './element-shape.js';
import { transportError } from './faults.js';
import type { ZimbraError } from './zimbra-error.js';

/**
 * Which failures of a call may be retried by sending it again.
 *
 * - `any`: the request is idempotent; retry transient faults and transport errors.
 * - `transport-only`: retry only when no SOAP fault came back (AuthRequest: a
 *   fault there is an answer about the login, and AUTH_FAILED is never retried).
 * - `none`: never resend (delete: the caller searches again before acting).
 */
export type ResendPolicy = 'any' | 'transport-only' | 'none';

/** One SOAP request: what to send and how to read its answer. One file builds each kind. */
export interface SoapCall<T> {
  /** e.g. `SearchRequest`; the answer is read from `SearchResponse`. */
  readonly soapRequest: string;
  /** The Body content, e.g. `{ SearchRequest: {...} }`. */
  readonly body: JsonObject;
  readonly resend: ResendPolicy;
  /** Reads the response element into typed data; throws ZIMBRA_BAD_RESPONSE if it cannot. */
  read(response: JsonObject): T;
}

/** The error a reader throws when a response lacks what it must carry. */
export function missingInResponse(soapRequest: string, what: string): ZimbraError {
  return transportError('ZIMBRA_BAD_RESPONSE', {
    soapRequest,
    detail: `the response has no ${what}`,
  });
}
