import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { transportError } from './faults.js';
import { classifyAddress, isAllowedKind, type AddressKind } from './ip-address.js';
import type { ZimbraError } from './zimbra-error.js';

/** Every address a host name resolves to (`dns.lookup` with `all: true`). */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export interface AddressPolicy {
  /** Loopback addresses are reached only when this is true (the simulator, tests). */
  allowLoopback: boolean;
  /** Default: the system resolver, as every other program on the machine uses it. */
  lookup?: HostLookup;
}

/** One resolved address and what it is. */
export interface CheckedAddress extends LookupAddress {
  kind: AddressKind;
}

const systemLookup: HostLookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * Resolves `hostname` and checks every address it gives (DESIGN: "the
 * resolved address is checked"). One refused address refuses the host: a name
 * that mixes a public and a metadata address is an attack or a mistake.
 *
 * @throws ZimbraError `ZIMBRA_ADDRESS_REFUSED` (config) for link-local,
 *   metadata, unspecified, multicast, or loopback when not allowed; the DNS
 *   error as it is (ENOTFOUND and the like) when the name does not resolve.
 */
export async function resolveCheckedAddresses(
  hostname: string,
  policy: AddressPolicy,
): Promise<CheckedAddress[]> {
  const addresses = await (policy.lookup ?? systemLookup)(hostname);
  if (addresses.length === 0) throw notFound(hostname);

  const checked = addresses.map((a) => ({ ...a, kind: classifyAddress(a.address) ?? 'public' }));
  const refused = checked.find((a) => !isAllowedKind(a.kind, policy.allowLoopback));
  if (refused !== undefined) throw addressRefused(hostname, refused);
  return checked;
}

/**
 * A `lookup` for `net.connect`/`tls.connect` (undici's `connect.lookup`) that
 * hands the socket only addresses checked by resolveCheckedAddresses. The
 * check runs at every connection, on the very answer the socket connects to,
 * so a DNS answer that changes between a check and the connect (rebinding)
 * cannot slip a forbidden address in.
 */
export function createGuardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveCheckedAddresses(hostname, policy).then(
      (addresses) => answerLookup(addresses, options, callback),
      (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}

function answerLookup(
  addresses: CheckedAddress[],
  options: LookupOptions,
  callback: Parameters<LookupFunction>[2],
): void {
  const wanted = addresses.filter((a) => !options.family || a.family === options.family);
  const plain = wanted.map(({ address, family }) => ({ address, family }));
  if (options.all === true) return callback(null, plain);
  const first = plain[0];
  if (first === undefined) return callback(notFound('the host'), '');
  callback(null, first.address, first.family);
}

function addressRefused(hostname: string, address: CheckedAddress): ZimbraError {
  const why = address.kind === 'loopback' ? 'loopback, which is not allowed here' : address.kind;
  return transportError('ZIMBRA_ADDRESS_REFUSED', {
    detail: `${hostname} resolves to ${address.address} (${why})`,
    context: { hostname, address: address.address, addressKind: address.kind },
  });
}

function notFound(hostname: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
  error.code = 'ENOTFOUND';
  return error;
}
