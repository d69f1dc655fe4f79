import type { AuthResult } from './auth-request.js';

/**
 * One account's auth token, kept in memory only. It is renewed shortly before
 * Zimbra's stated lifetime runs out, and on demand when the server refuses it.
 * Concurrent callers share one login.
 */
export class AccountToken {
  readonly #login: () => Promise<AuthResult>;
  readonly #now: () => number;
  readonly #renewMarginMs: number;
  #current: { token: string; expiresAtMs: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(login: () => Promise<AuthResult>, now: () => number, renewMarginMs: number) {
    this.#login = login;
    this.#now = now;
    this.#renewMarginMs = renewMarginMs;
  }

  /** A token that should still be valid, logging in when there is none. */
  async get(): Promise<string> {
    const current = this.#current;
    if (current !== undefined && current.expiresAtMs - this.#now() > this.#renewMarginMs) {
      return current.token;
    }
    return this.#loginOnce();
  }

  /** A token other than `refused`: the current one if someone renewed it already, else a new login. */
  async renew(refused: string): Promise<string> {
    const current = this.#current;
    if (current !== undefined && current.token !== refused) return current.token;
    this.#current = undefined;
    return this.#loginOnce();
  }

  forget(): void {
    this.#current = undefined;
  }

  #loginOnce(): Promise<string> {
    this.#pending ??= this.#login()
      .then((result) => {
        this.#current = { token: result.authToken, expiresAtMs: this.#now() + result.lifetimeMs };
        return result.authToken;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}
