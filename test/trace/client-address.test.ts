import { describe, expect, it } from 'vitest';
import { canonicalClientAddress, readClientAddressInput } from '../../src/trace/index.js';

describe('canonicalClientAddress', () => {
  it('writes IPv6 in lower case with the longest zero run as ::', () => {
    expect(canonicalClientAddress('2001:DB8::25')).toBe('2001:db8::25');
    expect(canonicalClientAddress('2001:db8:0::25')).toBe('2001:db8::25');
    expect(canonicalClientAddress('2001:0db8:0000:0000:0000:0000:0000:0025')).toBe('2001:db8::25');
    expect(canonicalClientAddress('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
  });

  it('drops the ipv6: tag a log may put in front, in any case', () => {
    expect(canonicalClientAddress('IPv6:2001:DB8:0::25')).toBe('2001:db8::25');
    expect(canonicalClientAddress('ipv6:::1')).toBe('::1');
  });

  it('keeps an IPv4-mapped address as a dotted quad however it was written', () => {
    expect(canonicalClientAddress('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(canonicalClientAddress('::FFFF:C000:201')).toBe('::ffff:192.0.2.1');
  });

  it('keeps IPv4 and text that is no IP address as given', () => {
    expect(canonicalClientAddress('203.0.113.25')).toBe('203.0.113.25');
    expect(canonicalClientAddress('unknown')).toBe('unknown');
    expect(canonicalClientAddress('ipv6:not:an:address')).toBe('ipv6:not:an:address');
    expect(canonicalClientAddress('fe80::1%eth0')).toBe('fe80::1%eth0');
  });
});

describe('readClientAddressInput', () => {
  it('takes an address typed with brackets, an ipv6: tag or spaces, as the trace stores it', () => {
    expect(readClientAddressInput(' [2001:DB8:0::25] ')).toBe('2001:db8::25');
    expect(readClientAddressInput('ipv6:2001:db8::25')).toBe('2001:db8::25');
    expect(readClientAddressInput('[198.51.100.7]')).toBe('198.51.100.7');
  });

  it('refuses what is no IP address once those are dropped', () => {
    expect(readClientAddressInput('mail.example.test')).toBeNull();
    expect(readClientAddressInput('[2001:db8::25')).toBeNull();
    expect(readClientAddressInput('')).toBeNull();
  });
});
