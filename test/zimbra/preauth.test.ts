import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computePreAuth, isValidPreAuthKey } from '../../src/zimbra/index.js';

// Reference §1.4 (worked vectors) and zm-mailbox:store/docs/preauth.md (upstream example).
const KEY = '0b1c2d3e4f5a6b7c8d9e0fa1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5';

describe('computePreAuth', () => {
  it.each([
    ['alice@example.com', 'name', 0, 'a8ba8f9142ae38da760a759f568afcf3d3a1cfbf'],
    ['alice@example.com', 'name', 1700003600000, 'd7a24663fdd2f444de64254149de8c20e49168d5'],
    ['7b1c2a3e-1111-4a2b-9c3d-0123456789ab', 'id', 0, 'cf727846ae784e309c2677050426f06d0568c64c'],
    ['Alice@Example.com', 'name', 0, 'a8975fe87d04aca3fda87a26fe4676b6f4c81c49'],
  ] as const)('signs %s by %s expires %s as the worked vector', (account, by, expires, hex) => {
    expect(computePreAuth({ account, by, expires, timestampMs: 1_700_000_000_000, key: KEY })).toBe(
      hex,
    );
  });

  it('reproduces the upstream preauth.md example', () => {
    const key = '6b7ead4bd425836e8cf0079cd6c1a05acc127acd07c8ee4b61023e19250e929c';
    const value = computePreAuth({
      account: 'john.doe@domain.com',
      timestampMs: 1135280708088,
      key,
    });
    expect(value).toBe('b248f6cfd027edd45c5369f8490125204772f844');
  });

  it('defaults to by=name and expires=0', () => {
    const value = computePreAuth({
      account: 'alice@example.com',
      timestampMs: 1_700_000_000_000,
      key: KEY,
    });
    expect(value).toBe('a8ba8f9142ae38da760a759f568afcf3d3a1cfbf');
  });

  it('does not hex-decode the key (the classic bug gives the negative-control value)', () => {
    const value = computePreAuth({
      account: 'alice@example.com',
      timestampMs: 1_700_000_000_000,
      key: KEY,
    });
    const decoded = createHmac('sha1', Buffer.from(KEY, 'hex'))
      .update('alice@example.com|name|0|1700000000000')
      .digest('hex');
    expect(decoded).toBe('e199b626c9d1aec8c2d0bcaf56c921bf5c303e76');
    expect(value).not.toBe(decoded);
  });

  it('refuses timestamps that Zimbra would render differently', () => {
    const base = { account: 'alice@example.com', key: KEY };
    expect(() => computePreAuth({ ...base, timestampMs: 1.5 })).toThrow(TypeError);
    expect(() => computePreAuth({ ...base, timestampMs: -1 })).toThrow(TypeError);
    expect(() => computePreAuth({ ...base, timestampMs: 1, expires: Number.NaN })).toThrow(
      TypeError,
    );
  });
});

describe('isValidPreAuthKey', () => {
  it('accepts 64 hex digits, surrounding space trimmed', () => {
    expect(isValidPreAuthKey(KEY)).toBe(true);
    expect(isValidPreAuthKey(`  ${KEY.toUpperCase()}\n`)).toBe(true);
  });

  it.each([
    ['63 digits', KEY.slice(1)],
    ['65 digits', `${KEY}0`],
    ['a non-hex letter', `g${KEY.slice(1)}`],
    ['inner space', `${KEY.slice(0, 32)} ${KEY.slice(33)}`],
    ['empty', ''],
  ])('refuses %s', (_label, key) => {
    expect(isValidPreAuthKey(key)).toBe(false);
  });
});
