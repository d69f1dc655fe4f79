import { RetractError } from '../errors/index.js';

export function userNotFound(name: string): RetractError {
  return new RetractError('USER_NOT_FOUND', `no user named ${name}`, {
    failureClass: 'config',
    context: { field: 'name', user: name },
  });
}

/** The one answer to a wrong name or password: it must not say which was wrong. */
export function badCredentials(): RetractError {
  return new RetractError('AUTH_BAD_CREDENTIALS', 'wrong user name or password', {
    failureClass: 'config',
  });
}

export function lockedOut(name: string, untilMs: number, failures: number): RetractError {
  const until = new Date(untilMs).toISOString();
  return new RetractError(
    'AUTH_LOCKED',
    `sign-in for ${name} is locked after ${failures} failed attempts; try again after ${until} or ask an admin to unlock it`,
    { failureClass: 'config', context: { user: name, lockedUntil: until } },
  );
}

export function totpRequired(): RetractError {
  return new RetractError(
    'AUTH_TOTP_REQUIRED',
    'totpCode: this user signs in with a second factor; give the 6-digit code from the authenticator app',
    { failureClass: 'config', context: { field: 'totpCode' } },
  );
}

export function totpInvalid(): RetractError {
  return new RetractError(
    'AUTH_TOTP_INVALID',
    'totpCode: the code is wrong, expired or already used; give the current one',
    { failureClass: 'config', context: { field: 'totpCode' } },
  );
}

export function lastAdmin(name: string): RetractError {
  return new RetractError(
    'USER_LAST_ADMIN',
    `${name} is the last enabled admin; make another admin first`,
    { failureClass: 'config', context: { user: name } },
  );
}
