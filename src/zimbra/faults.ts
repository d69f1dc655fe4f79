import type { FailureClass } from '../errors/index.js';
import { ZimbraError, type RetryPolicy } from './zimbra-error.js';

/** How one Zimbra fault code or transport failure becomes a ZimbraError. */
export interface FaultRule {
  readonly code: string;
  readonly failureClass: FailureClass;
  readonly retry: RetryPolicy;
  readonly gone?: boolean;
  /** First sentence of the message: what happened and what an operator does. */
  readonly summary: string;
}

function rule(
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

/**
 * Every fault code of reference §2.7, keyed by Zimbra's `Detail.Error.Code`.
 * Sources: zm-mailbox ServiceException.java, AccountServiceException.java,
 * MailServiceException.java.
 */
export const FAULT_RULES: Readonly<Record<string, FaultRule>> = Object.freeze({
  'account.AUTH_FAILED': rule(
    'ZIMBRA_AUTH_FAILED',
    'config',
    'never',
    'Zimbra refused the PreAuth login: the domain key or the clock may be wrong, or the account may not exist, be locked or be closed (Zimbra gives one answer for all of these)',
  ),
  'account.MAINTENANCE_MODE': rule(
    'ZIMBRA_ACCOUNT_MAINTENANCE',
    'mailbox',
    'later',
    'The account is in maintenance mode; try again in a few minutes',
  ),
  'account.ACCOUNT_INACTIVE': rule(
    'ZIMBRA_ACCOUNT_INACTIVE',
    'mailbox',
    'never',
    'The account is not active',
  ),
  'account.NO_SUCH_ACCOUNT': rule(
    'ZIMBRA_NO_SUCH_ACCOUNT',
    'mailbox',
    'never',
    'Zimbra has no such account',
  ),
  'account.NO_SUCH_DISTRIBUTION_LIST': rule(
    'ZIMBRA_NO_SUCH_DISTRIBUTION_LIST',
    'mailbox',
    'never',
    'Zimbra has no such distribution list, or hides it from this account',
  ),
  'service.AUTH_EXPIRED': rule(
    'ZIMBRA_AUTH_EXPIRED',
    'config',
    'reauth',
    'The auth token expired or was revoked',
  ),
  'service.AUTH_REQUIRED': rule(
    'ZIMBRA_AUTH_REQUIRED',
    'config',
    'reauth',
    'Zimbra did not accept the auth token',
  ),
  'service.PERM_DENIED': rule(
    'ZIMBRA_PERM_DENIED',
    'mailbox',
    'never',
    'Zimbra denied permission for this item or account',
  ),
  'service.INVALID_REQUEST': rule(
    'ZIMBRA_INVALID_REQUEST',
    'internal',
    'never',
    'Zimbra rejected the request as invalid',
  ),
  'service.PARSE_ERROR': rule(
    'ZIMBRA_PARSE_ERROR',
    'internal',
    'never',
    'Zimbra could not parse the request',
  ),
  'service.UNKNOWN_DOCUMENT': rule(
    'ZIMBRA_UNKNOWN_DOCUMENT',
    'internal',
    'never',
    'Zimbra does not know this request',
  ),
  'mail.QUERY_PARSE_ERROR': rule(
    'ZIMBRA_QUERY_PARSE_ERROR',
    'internal',
    'never',
    'Zimbra could not parse the search query',
  ),
  'mail.NO_SUCH_MSG': rule(
    'ZIMBRA_NO_SUCH_MSG',
    'mailbox',
    'never',
    'The message no longer exists',
    true,
  ),
  'mail.NO_SUCH_ITEM': rule(
    'ZIMBRA_NO_SUCH_ITEM',
    'mailbox',
    'never',
    'The item no longer exists',
    true,
  ),
  'mail.NO_SUCH_CONV': rule(
    'ZIMBRA_NO_SUCH_CONV',
    'mailbox',
    'never',
    'The conversation no longer exists',
    true,
  ),
  'mail.NO_SUCH_FOLDER': rule(
    'ZIMBRA_NO_SUCH_FOLDER',
    'mailbox',
    'never',
    'The folder does not exist',
  ),
  'mail.ALREADY_EXISTS': rule(
    'ZIMBRA_ALREADY_EXISTS',
    'mailbox',
    'never',
    'An item with that name already exists',
  ),
  'mail.CANNOT_CONTAIN': rule(
    'ZIMBRA_CANNOT_CONTAIN',
    'config',
    'never',
    'The target folder cannot contain this item; check the configured folder',
  ),
  'mail.INVALID_NAME': rule(
    'ZIMBRA_INVALID_NAME',
    'config',
    'never',
    'Zimbra refused the folder name; check the configured folder',
  ),
  'mail.MAINTENANCE': rule(
    'ZIMBRA_MAILBOX_MAINTENANCE',
    'mailbox',
    'later',
    'The mailbox is locked for maintenance or a move; try again in a few minutes',
  ),
  'mail.MODIFY_CONFLICT': rule(
    'ZIMBRA_MODIFY_CONFLICT',
    'transient',
    'backoff',
    'The item changed while Zimbra worked on it',
  ),
  'service.PROXY_ERROR': rule(
    'ZIMBRA_PROXY_ERROR',
    'transient',
    'backoff',
    'Zimbra could not proxy the request to the mailbox home server',
  ),
  'service.RESOURCE_UNREACHABLE': rule(
    'ZIMBRA_RESOURCE_UNREACHABLE',
    'transient',
    'backoff',
    'A Zimbra back end was unreachable',
  ),
  'service.TEMPORARILY_UNAVAILABLE': rule(
    'ZIMBRA_TEMPORARILY_UNAVAILABLE',
    'transient',
    'backoff',
    'Zimbra user services are temporarily unavailable on that server',
  ),
  'service.FAILURE': rule(
    'ZIMBRA_SERVER_FAILURE',
    'transient',
    'backoff',
    'Zimbra reported a system failure',
  ),
  'service.TOO_MANY_HOPS': rule(
    'ZIMBRA_TOO_MANY_HOPS',
    'config',
    'never',
    'Zimbra found a proxy or mountpoint loop; check the installation',
  ),
});

// Per-request readings of a fault code that means something more precise there.
const REQUEST_RULES: Readonly<Record<string, Readonly<Record<string, FaultRule>>>> = {
  AuthRequest: {
    // LdapProvisioning.verifyPreAuth: "domain is not configured for preauth" is the
    // INVALID_REQUEST a correct signer meets in practice.
    'service.INVALID_REQUEST': rule(
      'ZIMBRA_PREAUTH_NOT_CONFIGURED',
      'config',
      'never',
      'Zimbra rejected the PreAuth request as invalid; most often the domain has no PreAuth key (zmprov generateDomainPreAuthKey)',
    ),
  },
};

const UNKNOWN_FAULT = rule(
  'ZIMBRA_UNKNOWN_FAULT',
  'internal',
  'never',
  'Zimbra answered with a fault Retract does not know',
);

/** Failures that are not SOAP faults: HTTP statuses, network, TLS, and misread answers. */
export const TRANSPORT_RULES = Object.freeze({
  ZIMBRA_THROTTLED: rule(
    'ZIMBRA_THROTTLED',
    'transient',
    'backoff',
    "Zimbra throttled Retract with HTTP 429 (DoS filter); lower the request rate or add Retract's address to zimbraHttpThrottleSafeIPs",
  ),
  ZIMBRA_SERVICE_UNAVAILABLE: rule(
    'ZIMBRA_SERVICE_UNAVAILABLE',
    'transient',
    'backoff',
    'Zimbra answered HTTP 503 without a SOAP body; after repeated failed logins Zimbra suspends the client address for 15 minutes or more',
  ),
  ZIMBRA_BAD_GATEWAY: rule(
    'ZIMBRA_BAD_GATEWAY',
    'transient',
    'backoff',
    'A proxy in front of Zimbra answered with a gateway error',
  ),
  ZIMBRA_HTTP_SERVER_ERROR: rule(
    'ZIMBRA_HTTP_SERVER_ERROR',
    'transient',
    'backoff',
    'The server answered with an HTTP server error and no SOAP fault',
  ),
  ZIMBRA_HTTP_REJECTED: rule(
    'ZIMBRA_HTTP_REJECTED',
    'config',
    'never',
    'The server answered with an unexpected HTTP status; check the SOAP URL and any proxy or firewall in front of Zimbra',
  ),
  ZIMBRA_BAD_RESPONSE: rule(
    'ZIMBRA_BAD_RESPONSE',
    'internal',
    'never',
    'The server answer is not the SOAP response Retract expected',
  ),
  ZIMBRA_RESPONSE_TOO_LARGE: rule(
    'ZIMBRA_RESPONSE_TOO_LARGE',
    'internal',
    'never',
    'The server answer exceeded the size limit',
  ),
  ZIMBRA_TIMEOUT: rule('ZIMBRA_TIMEOUT', 'transient', 'backoff', 'Zimbra did not answer in time'),
  ZIMBRA_CONNECT_TIMEOUT: rule(
    'ZIMBRA_CONNECT_TIMEOUT',
    'transient',
    'backoff',
    'Could not connect to Zimbra in time',
  ),
  ZIMBRA_CONNECTION_RESET: rule(
    'ZIMBRA_CONNECTION_RESET',
    'transient',
    'backoff',
    'The connection to Zimbra was reset or closed before the answer',
  ),
  ZIMBRA_CONNECTION_REFUSED: rule(
    'ZIMBRA_CONNECTION_REFUSED',
    'transient',
    'backoff',
    'Zimbra refused the connection; check the host and port of the SOAP URL',
  ),
  ZIMBRA_HOST_NOT_FOUND: rule(
    'ZIMBRA_HOST_NOT_FOUND',
    'config',
    'never',
    'The host of the SOAP URL does not resolve',
  ),
  ZIMBRA_NETWORK_ERROR: rule(
    'ZIMBRA_NETWORK_ERROR',
    'transient',
    'backoff',
    'A network error interrupted the call to Zimbra',
  ),
  ZIMBRA_TLS_UNTRUSTED: rule(
    'ZIMBRA_TLS_UNTRUSTED',
    'config',
    'never',
    "Zimbra's TLS certificate is not trusted; add the issuing CA to the domain's CA certificate",
  ),
  ZIMBRA_TLS_EXPIRED: rule(
    'ZIMBRA_TLS_EXPIRED',
    'config',
    'never',
    "Zimbra's TLS certificate has expired or is not yet valid",
  ),
  ZIMBRA_TLS_HOST_MISMATCH: rule(
    'ZIMBRA_TLS_HOST_MISMATCH',
    'config',
    'never',
    "Zimbra's TLS certificate does not name the host of the SOAP URL",
  ),
  ZIMBRA_TLS_FAILURE: rule(
    'ZIMBRA_TLS_FAILURE',
    'config',
    'never',
    'The TLS handshake with Zimbra failed',
  ),
  ZIMBRA_WRONG_SOAP_URL: rule(
    'ZIMBRA_WRONG_SOAP_URL',
    'config',
    'never',
    'Zimbra refused the SOAP path on this port (XML service.FAILURE to a JSON request, "Request not allowed on port")',
  ),
  ZIMBRA_TOKEN_REJECTED: rule(
    'ZIMBRA_TOKEN_REJECTED',
    'config',
    'never',
    'Zimbra rejected a freshly issued auth token; check that the SOAP URL reaches the installation that issued it',
  ),
  ZIMBRA_CLIENT_CLOSED: rule(
    'ZIMBRA_CLIENT_CLOSED',
    'internal',
    'never',
    'The Zimbra client was closed',
  ),
});

export type TransportErrorCode = keyof typeof TRANSPORT_RULES;

/** A parsed `Fault` (JSON or XML). */
export interface FaultDetails {
  faultCode: string;
  /** `Reason.Text`; for people, never branched on. */
  reason?: string;
  /** `soap:Sender` or `soap:Receiver`. */
  side?: string;
  args?: { name: string; type?: string; value: string }[];
}

export interface ErrorSite {
  soapRequest?: string;
  httpStatus?: number;
  cause?: unknown;
  context?: Record<string, unknown>;
}

/** The table row for a Zimbra fault code on a request; unknown codes get the internal row. */
export function ruleForFault(faultCode: string, soapRequest?: string): FaultRule {
  const special = soapRequest === undefined ? undefined : REQUEST_RULES[soapRequest]?.[faultCode];
  return special ?? FAULT_RULES[faultCode] ?? UNKNOWN_FAULT;
}

/** Turns a SOAP fault into a ZimbraError that keeps Zimbra's code and text. */
export function faultError(fault: FaultDetails, site: ErrorSite): ZimbraError {
  const found = ruleForFault(fault.faultCode, site.soapRequest);
  const said = fault.reason === undefined ? '' : `: ${fault.reason}`;
  const message = `${found.summary} (Zimbra ${fault.faultCode} on ${site.soapRequest ?? 'request'}${said})`;
  return new ZimbraError(found.code, message, {
    failureClass: found.failureClass,
    retry: found.retry,
    gone: found.gone,
    faultCode: fault.faultCode,
    soapRequest: site.soapRequest,
    httpStatus: site.httpStatus,
    cause: site.cause,
    context: {
      ...site.context,
      zimbraReason: fault.reason,
      zimbraSide: fault.side,
      zimbraArgs: fault.args,
    },
  });
}

/** A failure that is not a SOAP fault; `detail` is appended to the summary. */
export function transportError(
  code: TransportErrorCode,
  site: ErrorSite & { detail?: string; faultCode?: string },
): ZimbraError {
  const found = TRANSPORT_RULES[code];
  const message = site.detail === undefined ? found.summary : `${found.summary}: ${site.detail}`;
  return new ZimbraError(found.code, message, {
    failureClass: found.failureClass,
    retry: found.retry,
    faultCode: site.faultCode,
    soapRequest: site.soapRequest,
    httpStatus: site.httpStatus,
    cause: site.cause,
    context: site.context,
  });
}

/** The transport code for an HTTP status that carried no SOAP answer. */
export function codeForHttpStatus(status: number): TransportErrorCode {
  if (status === 429) return 'ZIMBRA_THROTTLED';
  if (status === 503) return 'ZIMBRA_SERVICE_UNAVAILABLE';
  if (status === 502 || status === 504) return 'ZIMBRA_BAD_GATEWAY';
  if (status >= 500) return 'ZIMBRA_HTTP_SERVER_ERROR';
  return 'ZIMBRA_HTTP_REJECTED';
}
