import { createHmac } from 'node:crypto';

/** How the `<account>` element names the account (reference §1.1). */
export type PreAuthBy = 'name' | 'id' | 'foreignPrincipal';

export interface PreAuthInput {
  /** Exactly the text sent in `<account>`; Zimbra signs it without case folding. */
  account: string;
  by?: PreAuthBy;
  /** 0 = the account's normal token lifetime; otherwise an absolute epoch-ms instant. */
  expires?: number;
  /** Milliseconds since the epoch, within ±5 minutes of the server's clock. */
  timestampMs: number;
  /** The domain's 64-hex-digit `zimbraPreAuthKey`. */
  key: string;
}

/**
 * HMAC-SHA1 over `account|by|expires|timestamp`, as 40 lower-case hex digits.
 *
 * The key's 64 ASCII characters are the HMAC key; they are NOT hex-decoded
 * (zm-mailbox PreAuthKey.computePreAuth feeds the string's bytes to the MAC).
 */
export function computePreAuth(input: PreAuthInput): string {
  const by = input.by ?? 'name';
  const expires = input.expires ?? 0;
  assertEpochInteger('timestampMs', input.timestampMs);
  assertEpochInteger('expires', expires);

  const signed = `${input.account}|${by}|${expires}|${input.timestampMs}`;
  return createHmac('sha1', Buffer.from(input.key, 'utf8')).update(signed, 'utf8').digest('hex');
}

/** True when the key is exactly 64 hexadecimal digits once surrounding space is trimmed. */
export function isValidPreAuthKey(key: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(key.trim());
}

function assertEpochInteger(name: string, value: number): void {
  // Zimbra re-renders the parsed long, so "1.5" or "1e12" would be signed differently.
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer number of milliseconds`);
  }
}
