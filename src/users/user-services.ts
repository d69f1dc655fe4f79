import type { AuditLog } from '../audit/index.js';
import type { Store } from '../store/index.js';
import { PasswordHasher, type PasswordHashCost } from './password-hasher.js';
import { SessionService, type SessionSettings } from './session-service.js';
import { TokenService } from './token-service.js';
import { UserService, type LockoutSettings, type SecretSealer } from './user-service.js';

export interface UserServicesOptions {
  store: Store;
  tenantId: string;
  audit: AuditLog;
  /** Seals TOTP secrets at rest. */
  secrets: SecretSealer;
  now?: () => number;
  /** argon2id cost; tests lower it. */
  hashCost?: PasswordHashCost;
  lockout?: Partial<LockoutSettings>;
  sessions?: Partial<SessionSettings>;
}

/** The three services of sign-in, over one store. */
export interface UserServices {
  users: UserService;
  sessions: SessionService;
  tokens: TokenService;
}

export function createUserServices(o: UserServicesOptions): UserServices {
  const base = { store: o.store, tenantId: o.tenantId, ...(o.now ? { now: o.now } : {}) };
  return {
    users: new UserService({
      ...base,
      audit: o.audit,
      secrets: o.secrets,
      hasher: new PasswordHasher(o.hashCost),
      ...(o.lockout ? { lockout: o.lockout } : {}),
    }),
    sessions: new SessionService({ ...base, ...(o.sessions ? { settings: o.sessions } : {}) }),
    tokens: new TokenService({ ...base, audit: o.audit }),
  };
}
