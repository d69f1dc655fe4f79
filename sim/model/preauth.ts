import { createHmac } from 'node:crypto';

/** Zimbra's preauth timestamp window (LdapProvisioning.TIMESTAMP_WINDOW), in ms. */
export const PREAUTH_WINDOW_MS = 300_000;

export interface PreauthFields {
  account: string;
  by: string;
  expires: number;
  timestamp: number;
}

/**
 * HMAC-SHA1 over `account|by|expires|timestamp` keyed with the key's ASCII text, not
 * its hex-decoded bytes (reference §1.1-1.2; zm-mailbox PreAuthKey.computePreAuth).
 */
export function computePreauth(key: string, fields: PreauthFields): string {
  const signed = [fields.account, fields.by, fields.expires, fields.timestamp].join('|');
  return createHmac('sha1', Buffer.from(key, 'utf8')).update(signed, 'utf8').digest('hex');
}

/** Whether `timestamp` is within the window of `nowMs`; the window is symmetric. */
export function isWithinWindow(timestamp: number, nowMs: number): boolean {
  return Math.abs(nowMs - timestamp) <= PREAUTH_WINDOW_MS;
}

/** Case-insensitive comparison of the trimmed submitted value (LdapProvisioning.verifyPreAuth). */
export function isPreauthMatch(key: string, fields: PreauthFields, submitted: string): boolean {
  return computePreauth(key, fields) === submitted.trim().toLowerCase();
}
