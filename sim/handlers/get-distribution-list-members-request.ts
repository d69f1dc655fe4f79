import type { SimAccount } from '../model/directory.js';
import type { SimDistributionList } from '../model/distribution-lists.js';
import { NS_ACCOUNT } from '../soap/envelope.js';
import { authedAccount, type RequestContext, type SoapHandler } from '../soap/handler.js';
import { attrText, childElement, elementText, type JsonObject } from '../soap/json-element.js';
import { faults } from '../soap/soap-fault.js';

/** Element.parseLong, then GetDistributionListMembers' own negative check (no space: sic). */
function readCount(request: JsonObject, name: 'offset' | 'limit'): number {
  const text = attrText(request, name);
  if (text === undefined) return 0;
  if (!/^-?[0-9]+$/.test(text.trim())) {
    throw faults.invalidRequest(`invalid long value '${text}' for attribute: ${name}`);
  }
  const value = Number(text.trim());
  if (value < 0) throw faults.invalidRequest(`${name}${value} is negative`);
  return value;
}

/**
 * Who may read the members: for a hidden list only its owners; otherwise anyone (owners
 * and members from LDAP, others through the GAL, with the same result here).
 */
function checkAccess(list: SimDistributionList, caller: SimAccount): void {
  const isOwner = list.owners.includes(caller.address);
  if (list.hidden && !isOwner) throw faults.noSuchDistributionList(list.address);
  if (list.viewDenied && !isOwner) {
    throw faults.permDenied(`can not access dl members: ${list.address}`);
  }
}

function handleGetMembers(request: JsonObject, ctx: RequestContext) {
  const caller = authedAccount(ctx);
  const dlEl = childElement(request, 'dl');
  if (dlEl === undefined) throw faults.invalidRequest('missing required element: dl');
  const name = elementText(dlEl) ?? '';
  const offset = readCount(request, 'offset');
  const limit = readCount(request, 'limit');

  const list = ctx.state.lists.find(name);
  if (list === undefined) throw faults.noSuchDistributionList(name);
  checkAccess(list, caller);

  const total = list.members.length;
  if (offset > 0 && offset >= total) {
    throw faults.invalidRequest(`offset ${offset} greater than size ${total}`);
  }
  const end = limit === 0 ? total : Math.min(offset + limit, total);
  const body: JsonObject = {};
  const page = list.members.slice(offset, end);
  if (page.length > 0) body.dlm = page.map((member) => ({ _content: member }));
  body.more = end < total;
  body.total = total;
  return { body, account: undefined };
}

/**
 * GetDistributionListMembersRequest (reference §7; zm-mailbox
 * store/src/java/com/zimbra/cs/service/account/GetDistributionListMembers.java):
 * `limit` 0 or absent means all; nested lists come back as plain member addresses.
 * Lists have no home server here, so the request is never proxied.
 */
export const getDistributionListMembersRequest: SoapHandler = {
  name: 'GetDistributionListMembersRequest',
  ns: NS_ACCOUNT,
  requiresAuth: true,
  handle: handleGetMembers,
};
