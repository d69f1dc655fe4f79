/**
 * The users layer: people and API tokens, their roles, sign-in and sessions.
 * Secrets are stored only as hashes; nothing here returns one after creation.
 */

/**
 * Builds UserService, SessionService and TokenService over one store.
 * `hashCost` defaults to argon2id at 19 MiB and 2 passes; lockout to 5
 * failures for 15 minutes; sessions to 12 h lifetime and 30 min idle.
 */
export { createUserServices } from './user-services.js';
export type { UserServices, UserServicesOptions } from './user-services.js';

/**
 * Users: `add`, `list`, `get`, `setRole`, `setDisabled`, `unlock`,
 * `setPassword`, `changeOwnPassword`, `beginTotp`/`confirmTotp`/`resetTotp`,
 * and `authenticate`, which throws `AUTH_BAD_CREDENTIALS`, `AUTH_LOCKED`,
 * `AUTH_TOTP_REQUIRED` or `AUTH_TOTP_INVALID`. Every change is audited.
 */
export { UserService } from './user-service.js';
export type {
  LockoutSettings,
  NewUser,
  SecretSealer,
  SignInAttempt,
  UserServiceOptions,
  UserView,
} from './user-service.js';

/**
 * Server-side sessions: `create(userId)` → `{ id, csrfToken, expiresAtMs }`
 * (the id goes only into the cookie), `resolve(id)` → Principal or null,
 * `end(idHash)`, `endAllOf(userId)`, `sweep()`.
 */
export { SessionService } from './session-service.js';
export type { NewSession, SessionServiceOptions, SessionSettings } from './session-service.js';

/**
 * API tokens: `create({ name, role, lifetimeMs }, actor)` → `{ token, view }`
 * (the token `rt_…` is shown once), `list`, `revoke(id, actor)`,
 * `resolve(token)` → Principal or null. Throws `TOKEN_NOT_FOUND`.
 */
export { TokenService, TOKEN_PREFIX } from './token-service.js';
export type { NewToken, TokenServiceOptions, TokenView } from './token-service.js';

/** Token input checks: name, lifetime in days (API) or `30d` (CLI); they return milliseconds. */
export { parseTokenDays, parseTokenLifetime, parseTokenName } from './token-input.js';

/** Roles, the permissions a route may ask for, and the check between them. */
export { ROLES, hasPermission, isRole, parseRole } from './roles.js';
export type { Permission, Role } from './roles.js';

/** Who is calling, and the actor strings audit entries carry (`user:<name>`, `token:<name>`). */
export type { Principal } from './principal.js';
export { tokenActor, userActor } from './principal.js';

/** argon2id hashing with a configurable cost. */
export { PasswordHasher, DEFAULT_HASH_COST } from './password-hasher.js';
export type { PasswordHashCost } from './password-hasher.js';

/** Constant-time comparison, for CSRF tokens. */
export { secretsEqual } from './secret-token.js';

/** User input checks: names and new passwords (length only). */
export { parseNewPassword, parseUserName } from './user-input.js';
