import {
  booleanAttr,
  contentOf,
  elementList,
  isJsonObject,
  stringAttr,
  type JsonObject,
} from './element-shape.js';
import type { SoapCall } from './soap-call.js';

/** GalSearchType (zm-mailbox soap/src/java/com/zimbra/soap/type/GalSearchType.java). */
export type GalSearchType = 'all' | 'account' | 'resource' | 'group';

export interface SearchGalParams {
  /** Matched by Zimbra as a substring of names and addresses, not exactly. */
  name: string;
  type?: GalSearchType;
  limit: number;
  offset: number;
}

/** One GAL contact (`cn`). */
export interface GalEntry {
  /** A DN for an LDAP GAL, an item id for a GAL sync account. */
  id?: string;
  /** `email`, `email2`, …: the primary address and aliases, lower-cased. */
  addresses: string[];
  /** `_attrs.type` is `group` for a distribution list (LdapGalMapRules). */
  isGroup: boolean;
}

export interface GalPage {
  entries: GalEntry[];
  more: boolean;
}

/**
 * `SearchGalRequest` (urn:zimbraAccount), reference §7: the caller's GAL,
 * searched by `name`. Each hit is a `cn` whose fields sit in `_attrs`.
 * Sources: zm-mailbox store/src/java/com/zimbra/cs/service/account/SearchGal.java,
 * .../gal/GalSearchResultCallback.java, .../service/mail/ToXML.java (encodeGalContact),
 * .../account/ldap/LdapGalMapRules.java (`type: group`).
 */
export function searchGalRequest(params: SearchGalParams): SoapCall<GalPage> {
  return {
    soapRequest: 'SearchGalRequest',
    resend: 'any',
    body: {
      SearchGalRequest: {
        _jsns: 'urn:zimbraAccount',
        name: params.name,
        type: params.type ?? 'all',
        limit: params.limit,
        offset: params.offset,
      },
    },
    read: readSearchGalResponse,
  };
}

function readSearchGalResponse(response: JsonObject): GalPage {
  return {
    entries: elementList(response['cn']).map(readEntry),
    more: booleanAttr(response, 'more') ?? false,
  };
}

function readEntry(cn: JsonObject): GalEntry {
  const attrs = isJsonObject(cn['_attrs']) ? cn['_attrs'] : {};
  const addresses = Object.entries(attrs)
    .filter(([name]) => /^email\d*$/.test(name))
    .flatMap(([, value]) => valuesOf(value))
    .map((address) => address.trim().toLowerCase());
  const entry: GalEntry = { addresses, isGroup: valuesOf(attrs['type']).includes('group') };
  const id = stringAttr(cn, 'id');
  if (id !== undefined) entry.id = id;
  return entry;
}

/** An `_attrs` value: one string, or an array of them for a repeated name (reference §2.2). */
function valuesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => contentOf(v)).filter((v): v is string => v !== undefined);
}
