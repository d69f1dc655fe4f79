import { randomBytes } from 'node:crypto';

interface TokenRecord {
  accountId: string;
  expiresAt: number;
}

export type TokenLookup =
  | { state: 'valid'; accountId: string; expiresAt: number }
  | { state: 'expired'; accountId: string }
  | { state: 'unknown' };

/**
 * Auth tokens: opaque strings shaped like Zimbra's `0_<40 hex>_<hex data>`
 * (ZimbraAuthToken), mapped server-side to an account and an expiry instant.
 */
export class AuthTokens {
  readonly #tokens = new Map<string, TokenRecord>();

  issue(accountId: string, expiresAt: number): string {
    const data = Buffer.from(`id=36:${accountId};exp=13:${expiresAt};`).toString('hex');
    const token = `0_${randomBytes(20).toString('hex')}_${data}`;
    this.#tokens.set(token, { accountId, expiresAt });
    return token;
  }

  lookup(token: string, nowMs: number): TokenLookup {
    const record = this.#tokens.get(token);
    if (record === undefined) return { state: 'unknown' };
    if (record.expiresAt <= nowMs) return { state: 'expired', accountId: record.accountId };
    return { state: 'valid', accountId: record.accountId, expiresAt: record.expiresAt };
  }

  /** Makes every token of the account expire now; returns how many there were. */
  expireAll(accountId: string, nowMs: number): number {
    let count = 0;
    for (const record of this.#tokens.values()) {
      if (record.accountId !== accountId) continue;
      record.expiresAt = Math.min(record.expiresAt, nowMs);
      count += 1;
    }
    return count;
  }
}
