import type { AccountToken } from './account-token.js';
import { transportError } from './faults.js';
import { withRetry, type RetryRunner } from './retry.js';
import type { SoapCall } from './soap-call.js';
import type { SoapExchange } from './soap-exchange.js';
import { isZimbraError, type ZimbraError } from './zimbra-error.js';

export interface CallContext {
  exchange: SoapExchange;
  retry: RetryRunner;
  account: string;
  token: AccountToken;
}

/**
 * Sends an authenticated call with the account's token, retrying transient
 * failures as the call's resend policy allows. When Zimbra refuses the token
 * (AUTH_EXPIRED / AUTH_REQUIRED, raised before any handler runs, so nothing was
 * done), it logs in again once and sends once more; a second refusal of a
 * fresh token points at the configuration, not at the token.
 */
export async function runAuthorized<T>(call: SoapCall<T>, context: CallContext): Promise<T> {
  const first = await context.token.get();
  try {
    return await sendWithRetry(call, context, first);
  } catch (error) {
    if (!needsReauth(error)) throw error;
  }

  const fresh = await context.token.renew(first);
  try {
    return await sendWithRetry(call, context, fresh);
  } catch (error) {
    if (!needsReauth(error)) throw error;
    throw tokenRejected(error, call.soapRequest);
  }
}

function sendWithRetry<T>(call: SoapCall<T>, context: CallContext, authToken: string): Promise<T> {
  return withRetry(call.resend, context.retry, (attempt) =>
    context.exchange.send(call, { authToken, account: context.account, attempt }),
  );
}

function needsReauth(error: unknown): error is ZimbraError {
  return isZimbraError(error) && error.retry === 'reauth';
}

function tokenRejected(error: ZimbraError, soapRequest: string): ZimbraError {
  return transportError('ZIMBRA_TOKEN_REJECTED', {
    soapRequest,
    faultCode: error.faultCode,
    httpStatus: error.httpStatus,
    cause: error,
    detail: `${error.faultCode ?? error.code} again right after a new login; a proxy or load balancer may send requests to another Zimbra installation, or the account was disabled meanwhile`,
  });
}
