import { transportError, type TransportErrorCode } from './faults.js';
import type { ZimbraError } from './zimbra-error.js';

// Node's OpenSSL verification codes and undici's error codes, grouped by what
// an operator has to do. A certificate problem is `config`: retrying will not
// fix it, and Retract never turns verification off.
const CODE_GROUPS: readonly [TransportErrorCode, readonly string[]][] = [
  ['ZIMBRA_TLS_EXPIRED', ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']],
  ['ZIMBRA_TLS_HOST_MISMATCH', ['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']],
  [
    'ZIMBRA_TLS_UNTRUSTED',
    [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'CERT_UNTRUSTED',
      'CERT_REJECTED',
      'CERT_SIGNATURE_FAILURE',
      'INVALID_CA',
    ],
  ],
  ['ZIMBRA_CONNECT_TIMEOUT', ['UND_ERR_CONNECT_TIMEOUT']],
  ['ZIMBRA_TIMEOUT', ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']],
  ['ZIMBRA_CONNECTION_RESET', ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']],
  ['ZIMBRA_CONNECTION_REFUSED', ['ECONNREFUSED']],
  ['ZIMBRA_HOST_NOT_FOUND', ['ENOTFOUND']],
  ['ZIMBRA_CLIENT_CLOSED', ['UND_ERR_DESTROYED', 'UND_ERR_CLOSED']],
];

const CODE_TABLE: ReadonlyMap<string, TransportErrorCode> = new Map(
  CODE_GROUPS.flatMap(([ours, theirs]) => theirs.map((code) => [code, ours] as const)),
);

/** The Retract code for a network or TLS error thrown by undici or Node. */
export function classifyNetworkError(error: unknown): TransportErrorCode {
  for (const code of errorCodes(error)) {
    const ours = CODE_TABLE.get(code);
    if (ours !== undefined) return ours;
    if (/^ERR_(SSL|TLS)_/.test(code) || code === 'EPROTO') return 'ZIMBRA_TLS_FAILURE';
  }
  return 'ZIMBRA_NETWORK_ERROR';
}

/** Wraps a network or TLS error; the original stays as `cause` with its code in context. */
export function networkError(error: unknown, soapRequest: string): ZimbraError {
  const codes = errorCodes(error);
  return transportError(classifyNetworkError(error), {
    soapRequest,
    cause: error,
    detail: codes[0],
    context: { networkCode: codes[0] },
  });
}

/** `code` of the error and of its causes, outermost first. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
