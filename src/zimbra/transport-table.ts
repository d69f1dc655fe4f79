import { rule } from './fault-rule.js';

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
  ZIMBRA_ADDRESS_REFUSED: rule(
    'ZIMBRA_ADDRESS_REFUSED',
    'config',
    'never',
    'The host of the SOAP URL resolves to an address Retract never connects to (link-local, cloud metadata, unspecified, multicast, or loopback when loopback targets are not allowed)',
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

/** The transport code for an HTTP status that carried no SOAP answer. */
export function codeForHttpStatus(status: number): TransportErrorCode {
  if (status === 429) return 'ZIMBRA_THROTTLED';
  if (status === 503) return 'ZIMBRA_SERVICE_UNAVAILABLE';
  if (status === 502 || status === 504) return 'ZIMBRA_BAD_GATEWAY';
  if (status >= 500) return 'ZIMBRA_HTTP_SERVER_ERROR';
  return 'ZIMBRA_HTTP_REJECTED';
}
