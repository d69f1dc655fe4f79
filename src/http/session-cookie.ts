import type { CookieSerializeOptions } from '@fastify/cookie';

/** The cookie that carries the session id; nothing else is stored in the browser. */
export const SESSION_COOKIE = 'retract_session';

/** The header a cookie-authenticated state-changing call must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * HttpOnly so scripts cannot read it, SameSite=Strict so other sites cannot
 * send it, Secure whenever Retract is served over TLS.
 */
export function sessionCookieOptions(secure: boolean, maxAgeS?: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    ...(maxAgeS === undefined ? {} : { maxAge: maxAgeS }),
  };
}
