import type { ClientAddress } from './client-address.js';
import { DosFilter, type DosFilterOptions } from './dos-filter.js';
import { LoginSuspension, type LoginSuspensionOptions } from './login-suspension.js';

/** Which filter turned a request away, for the request log. */
export type FilterVerdict = 'dos-filter' | 'login-suspension';

/**
 * The servlet filters in front of every URL, in web.xml.production order: Jetty's DoS
 * filter, then ZimbraInvalidLoginFilter. Both are off until configured. Zimbra keeps one
 * safe-IP list for both, so the DoS filter's `safeIps` also exempt from suspension.
 */
export class HttpFilters {
  #dos: DosFilter | undefined;
  #login: LoginSuspension | undefined;
  #dosSafeIps: readonly string[] = [];
  #loginOptions: LoginSuspensionOptions | null = null;

  /** Replaces the DoS filter (null turns it off); rebuilds the login filter's safe list. */
  configureDos(options: DosFilterOptions | null): void {
    this.#dos = options === null ? undefined : new DosFilter(options);
    this.#dosSafeIps = options?.safeIps ?? [];
    if (this.#loginOptions !== null) this.configureLogin(this.#loginOptions);
  }

  /** Replaces the invalid-login filter, forgetting counts and suspensions; null turns it off. */
  configureLogin(options: LoginSuspensionOptions | null): void {
    this.#loginOptions = options;
    if (options === null) {
      this.#login = undefined;
      return;
    }
    const safeIps = [...(options.safeIps ?? []), ...this.#dosSafeIps];
    this.#login = new LoginSuspension({ ...options, safeIps });
  }

  /** Null to let the request through, else the filter that rejects it. */
  admit(client: ClientAddress, nowMs: number): FilterVerdict | null {
    if (this.#dos?.isOverLimit(client, nowMs) === true) return 'dos-filter';
    if (this.#login?.isSuspended(client.ip, nowMs) === true) return 'login-suspension';
    return null;
  }

  recordAuthFailed(client: ClientAddress, nowMs: number): void {
    this.#login?.recordAuthFailed(client.ip, nowMs);
  }

  /** A connection closed: its DoS budget goes with it. */
  forget(client: ClientAddress): void {
    this.#dos?.forget(client);
  }
}
