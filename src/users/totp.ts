import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults that every authenticator app understands: SHA-1, 6 digits, 30 s. */
const PERIOD_S = 30;
/** One step either side, for phones whose clocks drift. */
const TOLERANCE_S = PERIOD_S;

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app scans (as a QR code) or takes pasted. */
export function totpUri(secret: string, userName: string): string {
  return generateURI({ issuer: 'Retract', label: userName, secret });
}

/**
 * Checks a code and returns its time step, or null if wrong. A code whose
 * step is not after `lastStep` is refused: one code signs in once.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(nowMs / 1000);
  const result = await verify({
    secret,
    token: code,
    epoch,
    period: PERIOD_S,
    epochTolerance: TOLERANCE_S,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  if (!result.valid || !('timeStep' in result)) return null;
  return result.timeStep;
}
