import { ZIMBRA_DEFAULTS } from './defaults.js';
import { transportError } from './faults.js';
import { getDistributionListMembersRequest } from './get-distribution-list-members-request.js';
import type { SoapCall } from './soap-call.js';
import { searchGalRequest } from './search-gal-request.js';

/** What an address is in the caller's GAL. `unknown`: no GAL entry (external, hidden or a typo). */
export type DirectoryEntryKind = 'account' | 'list' | 'unknown';

/** Every address a distribution list reaches, nested lists followed. */
export interface ListExpansion {
  /** Addresses the GAL knows as accounts (resources included): mailboxes to log in to. */
  accounts: string[];
  /** The list itself and every nested list that was expanded. */
  lists: string[];
  /** Members the GAL does not know: logging in to them would only fail (reference §1.7). */
  unknown: string[];
}

/** Sends one authenticated call of the session. */
export type CallSender = <T>(call: SoapCall<T>) => Promise<T>;

/**
 * Asks the GAL what `address` is (one SearchGalRequest, more pages only when
 * the name matched many entries). Zimbra matches `name` as a substring, so
 * only an entry carrying exactly this address, as primary address or alias,
 * counts.
 */
export async function lookupAddress(
  send: CallSender,
  address: string,
): Promise<DirectoryEntryKind> {
  const wanted = address.trim().toLowerCase();
  const limit = ZIMBRA_DEFAULTS.directoryPageSize;
  for (let page = 0, offset = 0; page < ZIMBRA_DEFAULTS.maxDirectoryPages; page++) {
    const result = await send(searchGalRequest({ name: wanted, limit, offset }));
    const entry = result.entries.find((e) => e.addresses.includes(wanted));
    if (entry !== undefined) return entry.isGroup ? 'list' : 'account';
    if (!result.more || result.entries.length === 0) return 'unknown';
    offset += result.entries.length;
  }
  return 'unknown';
}

/**
 * Expands a distribution list to the accounts it reaches: every page of
 * members, and each member that the GAL calls a list in turn. Each address is
 * looked at once, so a list that contains itself, or two lists that contain
 * each other, end.
 *
 * FIXME: one SearchGalRequest per distinct member, because a member list says
 * nothing of which members are lists: a list of 4,000 costs 4,000 requests
 * (minutes at the default 10 per second). A GAL search by type `group` could
 * name the lists in a few pages, but its paging depends on the GAL mode
 * (reference §12), which no live server has confirmed yet.
 *
 * @throws ZimbraError `ZIMBRA_NO_SUCH_DISTRIBUTION_LIST` when the top list is
 *   unknown or hidden from the caller; `ZIMBRA_PERM_DENIED` when reading it is denied.
 */
export async function expandDistributionList(
  send: CallSender,
  address: string,
): Promise<ListExpansion> {
  const top = address.trim().toLowerCase();
  const result: ListExpansion = { accounts: [], lists: [top], unknown: [] };
  const seen = new Set([top]);
  const pending = [top];

  for (let list = pending.shift(); list !== undefined; list = pending.shift()) {
    for (const member of await allMembers(send, list)) {
      const normalised = member.trim().toLowerCase();
      if (seen.has(normalised)) continue;
      seen.add(normalised);

      const kind = await lookupAddress(send, normalised);
      const bucket = { list: result.lists, account: result.accounts, unknown: result.unknown };
      bucket[kind].push(normalised);
      if (kind === 'list') pending.push(normalised);
    }
  }
  return result;
}

async function allMembers(send: CallSender, address: string): Promise<string[]> {
  const members: string[] = [];
  const limit = ZIMBRA_DEFAULTS.directoryPageSize;
  for (let page = 0; page < ZIMBRA_DEFAULTS.maxDirectoryPages; page++) {
    const result = await send(
      getDistributionListMembersRequest({ address, limit, offset: members.length }),
    );
    members.push(...result.members);
    if (!result.more) return members;
    if (result.members.length === 0) throw pagingError('more is true on a page without members');
  }
  throw pagingError(`more than ${ZIMBRA_DEFAULTS.maxDirectoryPages} pages of members`);
}

function pagingError(detail: string) {
  return transportError('ZIMBRA_BAD_RESPONSE', {
    soapRequest: 'GetDistributionListMembersRequest',
    detail,
  });
}
