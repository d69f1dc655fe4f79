import { describe, expect, it } from 'vitest';
import {
  KeyVault,
  fingerprintKey,
  formatMasterKeys,
  generateMasterKey,
  parseMasterKeys,
} from '../../src/domains/index.js';

const KEY = '0b1c2d3e4f5a6b7c8d9e0fa1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5';

describe('KeyVault', () => {
  it('opens what it sealed, and the sealed text does not contain the key', () => {
    const vault = new KeyVault([generateMasterKey(1)]);
    const sealed = vault.seal(KEY, 'example.com');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(KEY);
    expect(vault.open(sealed, 'example.com')).toBe(KEY);
  });

  it('refuses a ciphertext moved to another domain', () => {
    const vault = new KeyVault([generateMasterKey(1)]);
    const sealed = vault.seal(KEY, 'example.com');
    expect(() => vault.open(sealed, 'example.org')).toThrow(
      expect.objectContaining({ code: 'DOMAIN_KEY_UNREADABLE' }),
    );
  });

  it('refuses a tampered ciphertext', () => {
    const vault = new KeyVault([generateMasterKey(1)]);
    const sealed = vault.seal(KEY, 'example.com');
    const body = sealed.split(':');
    const last = Buffer.from(body[3]!, 'base64');
    last[0] = last[0]! ^ 1;
    body[3] = last.toString('base64');
    expect(() => vault.open(body.join(':'), 'example.com')).toThrow(/cannot be decrypted/);
  });

  it('seals with the newest master key and still opens the older ones', () => {
    const v1 = generateMasterKey(1);
    const old = new KeyVault([v1]).seal(KEY, 'example.com');
    const rotated = new KeyVault([v1, generateMasterKey(2)]);
    expect(rotated.open(old, 'example.com')).toBe(KEY);
    expect(rotated.seal(KEY, 'example.com')).toMatch(/^v2:/);
  });

  it('round-trips master keys through their file format', () => {
    const keys = [generateMasterKey(1), generateMasterKey(3)];
    const parsed = parseMasterKeys(formatMasterKeys(keys), 'master.key');
    expect(parsed.map((k) => k.version)).toEqual([1, 3]);
    expect(parsed[1]!.key.equals(keys[1]!.key)).toBe(true);
  });

  it('names the source and the entry of a bad master key', () => {
    expect(() => parseMasterKeys('v1:dG9vLXNob3J0', 'RETRACT_MASTER_KEY')).toThrow(
      'RETRACT_MASTER_KEY: entry 1 is not "v<version>:<base64 of 32 bytes>"',
    );
    expect(() => parseMasterKeys('# nothing\n', 'master.key')).toThrow(
      'master.key: holds no master key',
    );
  });

  it('fingerprints a key with the first 8 hex digits of its SHA-256', () => {
    // `printf %s <KEY> | sha256sum | cut -c1-8` for the reference §1.4 key.
    expect(fingerprintKey(KEY)).toBe('5021c77b');
    expect(fingerprintKey(KEY)).not.toBe(fingerprintKey(KEY.replace('0b', '0c')));
  });
});
