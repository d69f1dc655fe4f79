import { BlockList, isIP } from 'node:net';
import { normaliseIp } from './client-address.js';

/**
 * zimbraHttpThrottleSafeIPs: addresses or CIDR ranges, IPv4 or IPv6, that the DoS filter
 * and the invalid-login filter leave alone (reference §9.1).
 */
export class IpAllowlist {
  readonly #list = new BlockList();

  /** Throws TypeError for an entry that is neither an address nor a CIDR range. */
  constructor(entries: readonly string[] = []) {
    for (const entry of entries) this.#add(entry.trim());
  }

  has(ip: string): boolean {
    const clean = normaliseIp(ip);
    const family = isIP(clean);
    if (family === 0) return false;
    return this.#list.check(clean, family === 6 ? 'ipv6' : 'ipv4');
  }

  #add(entry: string): void {
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new TypeError(`safe IP is not an address or CIDR range: ${entry}`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefixText === undefined) {
      this.#list.addAddress(address, type);
      return;
    }
    const prefix = Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new TypeError(`safe IP has a bad prefix length: ${entry}`);
    }
    this.#list.addSubnet(address, prefix, type);
  }
}
