import type { MailAddress } from '../model/address-list.js';
import type { SimMessage } from '../model/mailbox.js';
import type { JsonObject } from '../soap/json-element.js';

type AddressType = 'f' | 't' | 'c';

/** `d` is the short display name: the first word of the personal name, else the local part. */
function shortName(address: MailAddress): string {
  const first = address.personal?.split(/\s+/)[0];
  if (first !== undefined && first.length > 0) return first;
  const at = address.address.indexOf('@');
  return at === -1 ? address.address : address.address.slice(0, at);
}

/** One `e` entry (ToXML.encodeEmail): `a` address, `d` short name, `p` personal, `t` type. */
export function encodeAddress(address: MailAddress, type: AddressType): JsonObject {
  const entry: JsonObject = { a: address.address, d: shortName(address) };
  if (address.personal !== undefined) entry.p = address.personal;
  entry.t = type;
  return entry;
}

export function encodeAddresses(message: SimMessage, types: readonly AddressType[]): JsonObject[] {
  const lists: Record<AddressType, MailAddress[]> = {
    f: message.parsed.from,
    t: message.parsed.to,
    c: message.parsed.cc,
  };
  return types.flatMap((type) => lists[type].map((a) => encodeAddress(a, type)));
}

/** The common message fields of a search hit and a GetMsg answer (reference §3.5, §6). */
export function encodeMessageSummary(
  message: SimMessage,
  types: readonly AddressType[],
): JsonObject {
  const hit: JsonObject = {
    s: message.parsed.sizeBytes,
    d: message.date,
    l: String(message.folderId),
    cid: `-${message.id}`,
  };
  if (message.flags.length > 0) hit.f = message.flags;
  hit.rev = message.rev;
  hit.id = String(message.id);
  if (message.parsed.fragment.length > 0) hit.fr = message.parsed.fragment;
  hit.e = encodeAddresses(message, types);
  hit.su = message.parsed.subject;
  return hit;
}
