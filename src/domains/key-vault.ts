import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { RetractError } from '../errors/index.js';

/** One master key of the keyring: `version` is written into each ciphertext. */
export interface MasterKey {
  version: number;
  key: Buffer;
}

const IV_BYTES = 12;
const KEY_BYTES = 32;

/**
 * Encrypts PreAuth keys at rest with AES-256-GCM under a versioned master key.
 *
 * The newest version encrypts; any version still in the ring decrypts, so a
 * master key can be rotated by adding a version and re-encrypting at leisure.
 * The domain name is bound as associated data, so a ciphertext copied onto
 * another domain's row does not decrypt.
 */
export class KeyVault {
  readonly #keys: Map<number, Buffer>;
  readonly #current: MasterKey;

  constructor(keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new TypeError('KeyVault needs at least one master key');
    for (const k of keys) {
      if (k.key.length !== KEY_BYTES) throw new TypeError('master keys are 32 bytes');
    }
    this.#keys = new Map(keys.map((k) => [k.version, k.key]));
    this.#current = [...keys].sort((a, b) => b.version - a.version)[0]!;
  }

  /** Returns `v<version>:<iv>:<tag>:<ciphertext>` (base64 parts). */
  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64'));
    return `v${this.#current.version}:${parts.join(':')}`;
  }

  /** Reverses `seal`; throws `DOMAIN_KEY_UNREADABLE` if tampered or keyless. */
  open(sealed: string, boundTo: string): string {
    const match = /^v(\d+):([^:]+):([^:]+):([^:]*)$/.exec(sealed);
    const key = match ? this.#keys.get(Number(match[1])) : undefined;
    if (!match || !key) throw unreadable(boundTo, 'unknown master key version');

    try {
      const [iv, tag, body] = [match[2]!, match[3]!, match[4]!].map((p) =>
        Buffer.from(p, 'base64'),
      );
      const decipher = createDecipheriv('aes-256-gcm', key, iv!);
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
    } catch (err) {
      throw unreadable(boundTo, 'authentication tag mismatch', err);
    }
  }
}

function unreadable(domain: string, why: string, cause?: unknown): RetractError {
  return new RetractError(
    'DOMAIN_KEY_UNREADABLE',
    `the stored PreAuth key of ${domain} cannot be decrypted (${why}); is this the right master key?`,
    { failureClass: 'config', cause, context: { domain } },
  );
}

/** A new random master key, for first start. */
export function generateMasterKey(version = 1): MasterKey {
  return { version, key: randomBytes(KEY_BYTES) };
}

/** Serialises master keys one per line as `v<version>:<base64>`. */
export function formatMasterKeys(keys: readonly MasterKey[]): string {
  return keys.map((k) => `v${k.version}:${k.key.toString('base64')}`).join('\n') + '\n';
}

/**
 * Parses the master key file or `RETRACT_MASTER_KEY` value: one
 * `v<version>:<base64 of 32 bytes>` per line (or comma). `source` names the
 * file or variable in the error.
 */
export function parseMasterKeys(text: string, source: string): MasterKey[] {
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const keys = entries.map((entry, i) => {
    const match = /^v(\d+):([A-Za-z0-9+/=]+)$/.exec(entry);
    const key = match ? Buffer.from(match[2]!, 'base64') : undefined;
    if (!match || key?.length !== KEY_BYTES) {
      throw new RetractError(
        'CONFIG_BAD_MASTER_KEY',
        `${source}: entry ${i + 1} is not "v<version>:<base64 of 32 bytes>"`,
        { failureClass: 'config', context: { source } },
      );
    }
    return { version: Number(match[1]), key };
  });
  if (keys.length === 0) {
    throw new RetractError('CONFIG_BAD_MASTER_KEY', `${source}: holds no master key`, {
      failureClass: 'config',
      context: { source },
    });
  }
  return keys;
}

/** The first 8 hex digits of the key's SHA-256: enough to tell keys apart, useless to attack. */
export function fingerprintKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8);
}
