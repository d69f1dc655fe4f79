import type { SimAccount } from '../model/directory.js';
import { NS_ACCOUNT } from '../soap/envelope.js';
import { authedAccount, type RequestContext, type SoapHandler } from '../soap/handler.js';
import { attrText, type JsonObject } from '../soap/json-element.js';
import { faults } from '../soap/soap-fault.js';

/** GalSearchType values (zm-mailbox soap/.../type/GalSearchType.java). */
const SEARCH_TYPES = ['all', 'account', 'resource', 'group'];
const DEFAULT_LIMIT = 100;

interface GalEntry {
  email: string;
  id: string;
  type: 'account' | 'group';
}

function readInt(request: JsonObject, name: string, fallback: number): number {
  const text = attrText(request, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw faults.invalidRequest(`invalid value '${text}' for attribute: ${name}`);
  }
  return value;
}

/** Substring match as the LDAP GAL filters (`*%s*`) do; empty, `.` and `*` match all. */
function matches(email: string, name: string): boolean {
  const needle = name.trim().toLowerCase();
  if (needle === '' || needle === '.' || needle === '*') return true;
  return email.includes(needle);
}

function galEntries(ctx: RequestContext, caller: SimAccount, type: string): GalEntry[] {
  const entries: GalEntry[] = [];
  if (type === 'all' || type === 'account') {
    for (const account of ctx.state.directory.accounts()) {
      if (account.domain !== caller.domain) continue;
      entries.push({ email: account.address, id: account.id, type: 'account' });
    }
  }
  if (type === 'all' || type === 'group') {
    for (const list of ctx.state.lists.all()) {
      if (list.domain !== caller.domain || list.hidden) continue;
      entries.push({ email: list.address, id: list.id, type: 'group' });
    }
  }
  return entries.sort((a, b) => a.email.localeCompare(b.email));
}

/**
 * GAL contact as SearchGal encodes it: `id` is the LDAP DN for a directory GAL, the
 * fields sit in `_attrs`. Groups carry `type: group` (LdapGalMapRules); `type: account`
 * on accounts is [inferred], so a client should read anything but `group` as an entry
 * that is not a list.
 */
function encodeEntry(entry: GalEntry) {
  const local = entry.email.slice(0, entry.email.indexOf('@'));
  const dc = entry.email
    .slice(entry.email.indexOf('@') + 1)
    .split('.')
    .map((part) => `dc=${part}`)
    .join(',');
  return {
    id: `uid=${local},ou=people,${dc}`,
    _attrs: { email: entry.email, fullName: local, zimbraId: entry.id, type: entry.type },
  };
}

function handleSearchGal(request: JsonObject, ctx: RequestContext) {
  const caller = authedAccount(ctx);
  const type = attrText(request, 'type') ?? 'all';
  if (!SEARCH_TYPES.includes(type)) throw faults.invalidRequest(`Invalid search type: ${type}`);
  const limit = readInt(request, 'limit', DEFAULT_LIMIT) || DEFAULT_LIMIT;
  const offset = readInt(request, 'offset', 0);

  const name = attrText(request, 'name') ?? '';
  const hits = galEntries(ctx, caller, type).filter((e) => matches(e.email, name));
  const page = hits.slice(offset, offset + limit);
  const body: JsonObject = {};
  if (page.length > 0) body.cn = page.map(encodeEntry);
  body.more = offset + page.length < hits.length;
  body.tokenizeKey = false;
  body.paginationSupported = true;
  return { body, account: undefined };
}

/**
 * SearchGalRequest, minimal (reference §7): `name`, `type` account|group|all, `limit`,
 * `offset`; searches the caller's domain; hidden lists are left out. Resources are not
 * modelled, so `type=resource` finds nothing.
 */
export const searchGalRequest: SoapHandler = {
  name: 'SearchGalRequest',
  ns: NS_ACCOUNT,
  requiresAuth: true,
  handle: handleSearchGal,
};
