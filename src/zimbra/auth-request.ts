import { contentOf, numberAttr, type JsonObject } from './element-shape.js';
import { missingInResponse, type SoapCall } from './soap-call.js';

export interface AuthParams {
  /** The full address, exactly as signed. */
  account: string;
  /** The 40-hex PreAuth value from computePreAuth. */
  preauth: string;
  timestampMs: number;
}

export interface AuthResult {
  /** Opaque; never log it. */
  authToken: string;
  /** Milliseconds the token has left, as Zimbra counts them. */
  lifetimeMs: number;
}

/**
 * `AuthRequest` (urn:zimbraAccount) with `<preauth>`, reference §1.5–1.6.
 * `account` and `preauth` must be objects: a bare string would become an
 * attribute, and the server would see no `<account>` element.
 * Always `expires=0`: a non-zero value is an absolute instant, not a duration (§1.3).
 */
export function authRequest(params: AuthParams): SoapCall<AuthResult> {
  return {
    soapRequest: 'AuthRequest',
    resend: 'transport-only',
    body: {
      AuthRequest: {
        _jsns: 'urn:zimbraAccount',
        account: { by: 'name', _content: params.account },
        preauth: { timestamp: params.timestampMs, expires: 0, _content: params.preauth },
      },
    },
    read: readAuthResponse,
  };
}

function readAuthResponse(response: JsonObject): AuthResult {
  const authToken = contentOf(response['authToken']);
  if (authToken === undefined || authToken === '')
    throw missingInResponse('AuthRequest', 'authToken');
  const lifetimeMs = numberAttr(response, 'lifetime');
  if (lifetimeMs === undefined) throw missingInResponse('AuthRequest', 'lifetime');
  return { authToken, lifetimeMs };
}
