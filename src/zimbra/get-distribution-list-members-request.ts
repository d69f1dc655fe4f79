import {
  booleanAttr,
  contentOf,
  elementList,
  numberAttr,
  type JsonObject,
} from './element-shape.js';
import type { SoapCall } from './soap-call.js';

export interface ListMembersParams {
  /** The list's address; Zimbra takes no `by`, only the address (reference §7). */
  address: string;
  /** 1 and up; 0 would mean "all members" to Zimbra. */
  limit: number;
  offset: number;
}

/** One page of a list's direct members; nested lists appear as plain addresses. */
export interface ListMembersPage {
  members: string[];
  more: boolean;
  /** Members in all, as Zimbra counts them; undefined when not sent. */
  total?: number;
}

/**
 * `GetDistributionListMembersRequest` (urn:zimbraAccount), reference §7.
 * A PreAuth'd user may call it for any list not hidden from the GAL; an
 * unknown or hidden list is `account.NO_SUCH_DISTRIBUTION_LIST`, and an
 * `offset` past the end (when > 0) is `service.INVALID_REQUEST`.
 * Source: zm-mailbox store/src/java/com/zimbra/cs/service/account/GetDistributionListMembers.java.
 */
export function getDistributionListMembersRequest(
  params: ListMembersParams,
): SoapCall<ListMembersPage> {
  if (!Number.isInteger(params.limit) || params.limit < 1) {
    throw new RangeError('limit must be a positive integer');
  }
  if (!Number.isInteger(params.offset) || params.offset < 0) {
    throw new RangeError('offset must be a non-negative integer');
  }
  return {
    soapRequest: 'GetDistributionListMembersRequest',
    resend: 'any',
    body: {
      GetDistributionListMembersRequest: {
        _jsns: 'urn:zimbraAccount',
        limit: params.limit,
        offset: params.offset,
        dl: { _content: params.address },
      },
    },
    read: readMembersResponse,
  };
}

function readMembersResponse(response: JsonObject): ListMembersPage {
  // An empty page has no `dlm` key at all.
  const members = elementList(response['dlm'])
    .map((m) => contentOf(m['_content']))
    .filter((m): m is string => m !== undefined && m !== '');
  const page: ListMembersPage = { members, more: booleanAttr(response, 'more') ?? false };
  const total = numberAttr(response, 'total');
  if (total !== undefined) page.total = total;
  return page;
}
