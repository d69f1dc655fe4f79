import { RetractError } from '../errors/index.js';

export function authRequired(): RetractError {
  return new RetractError(
    'AUTH_REQUIRED',
    'sign in, or send an API token as "Authorization: Bearer rt_…"',
    {
      failureClass: 'config',
    },
  );
}

export function tokenInvalid(): RetractError {
  return new RetractError('AUTH_TOKEN_INVALID', 'the API token is unknown, expired or revoked', {
    failureClass: 'config',
  });
}

export function forbidden(role: string, need: string): RetractError {
  return new RetractError('AUTH_FORBIDDEN', `the ${role} role may not do this (it needs ${need})`, {
    failureClass: 'config',
    context: { role, need },
  });
}

export function csrfFailed(): RetractError {
  return new RetractError(
    'AUTH_CSRF_FAILED',
    'missing or wrong X-CSRF-Token header; a signed-in browser call that changes something sends the token GET /api/v1/session returns',
    { failureClass: 'config' },
  );
}

export function rateLimited(afterMs: number): RetractError {
  const seconds = Math.max(1, Math.ceil(afterMs / 1000));
  return new RetractError(
    'HTTP_RATE_LIMITED',
    `too many attempts from this address; wait ${seconds} seconds`,
    { failureClass: 'transient', context: { retryAfterS: seconds } },
  );
}

export function routeNotFound(method: string, url: string): RetractError {
  return new RetractError('HTTP_NOT_FOUND', `no route ${method} ${url.split('?')[0]}`, {
    failureClass: 'config',
  });
}
