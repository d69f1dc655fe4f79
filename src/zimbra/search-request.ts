import { ZIMBRA_DEFAULTS } from './defaults.js';
import {
  booleanAttr,
  elementList,
  numberAttr,
  stringAttr,
  type JsonObject,
} from './element-shape.js';
import { missingInResponse, type SoapCall } from './soap-call.js';

/** One message hit of a SearchResponse, in summary form (reference §3.5). */
export interface MessageHit {
  /** Exactly as returned: `301`, or `acctId:301` for an item in another mailbox. */
  id: string;
  /** The current folder (`l`): record it before moving, it is the only original folder there is. */
  folderId: string;
  /** Item date (receipt time), epoch ms. */
  dateMs: number;
  sizeBytes: number;
  subject?: string;
  /** The From address (`e` with `t:"f"`). */
  from?: string;
  /** `cid`; negative for a single-message virtual conversation. */
  conversationId?: string;
}

export interface SearchPage {
  hits: MessageHit[];
  /** More hits exist past `offset + hits.length`. */
  more: boolean;
  offset: number;
}

export interface SearchParams {
  query: string;
  /** 1..1000; default 100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/**
 * `SearchRequest` (urn:zimbraMail) for messages. `types` is always `message`:
 * the default, `conversation`, returns `c` hits instead of `m` (reference §3.1).
 */
export function searchRequest(params: SearchParams): SoapCall<SearchPage> {
  const limit = params.limit ?? ZIMBRA_DEFAULTS.searchPageSize;
  const offset = params.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new RangeError('limit must be an integer from 1 to 1000');
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw new RangeError('offset must be a non-negative integer');

  return {
    soapRequest: 'SearchRequest',
    resend: 'any',
    body: {
      SearchRequest: {
        _jsns: 'urn:zimbraMail',
        types: 'message',
        limit,
        offset,
        sortBy: 'dateDesc',
        query: params.query,
      },
    },
    read: (response) => readSearchResponse(response, offset),
  };
}

function readSearchResponse(response: JsonObject, requestedOffset: number): SearchPage {
  // An empty result has no `m` key at all.
  const hits = elementList(response['m']).map(readHit);
  return {
    hits,
    more: booleanAttr(response, 'more') ?? false,
    offset: numberAttr(response, 'offset') ?? requestedOffset,
  };
}

function readHit(m: JsonObject): MessageHit {
  const id = stringAttr(m, 'id');
  const folderId = stringAttr(m, 'l');
  const dateMs = numberAttr(m, 'd');
  const sizeBytes = numberAttr(m, 's');
  if (id === undefined) throw missingInResponse('SearchRequest', 'id on a message hit');
  if (folderId === undefined) throw missingInResponse('SearchRequest', `folder (l) on hit ${id}`);
  if (dateMs === undefined) throw missingInResponse('SearchRequest', `date (d) on hit ${id}`);
  if (sizeBytes === undefined) throw missingInResponse('SearchRequest', `size (s) on hit ${id}`);

  const hit: MessageHit = { id, folderId, dateMs, sizeBytes };
  const subject = stringAttr(m, 'su');
  if (subject !== undefined) hit.subject = subject;
  const from = elementList(m['e']).find((e) => e['t'] === 'f');
  const fromAddress = from === undefined ? undefined : stringAttr(from, 'a');
  if (fromAddress !== undefined) hit.from = fromAddress;
  const conversationId = stringAttr(m, 'cid');
  if (conversationId !== undefined) hit.conversationId = conversationId;
  return hit;
}
