import type { Mailbox, SimMessage } from '../model/mailbox.js';
import { QuerySyntaxError } from '../query/query-error.js';
import { compileQuery, isSearchable, type CompiledQuery } from '../query/query-matcher.js';
import { parseQuery } from '../query/query-parser.js';
import { NS_MAIL } from '../soap/envelope.js';
import { authedAccount, type RequestContext, type SoapHandler } from '../soap/handler.js';
import { attrOrElementText, attrText, type JsonObject } from '../soap/json-element.js';
import { faults } from '../soap/soap-fault.js';
import { encodeMessageSummary } from './message-summary.js';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 1000;
/** zimbraPrefMailInitialSearch default, used when the request has no query. */
const DEFAULT_QUERY = 'in:inbox';
const ITEM_TYPES = [
  'conversation',
  'message',
  'contact',
  'appointment',
  'task',
  'document',
  'wiki',
  'note',
  'chat',
];
const RECIP_TYPES: Record<string, readonly ('f' | 't' | 'c')[]> = {
  '0': ['f'],
  '1': ['t'],
  '2': ['f', 't'],
  '3': ['f', 't', 'c'],
};

interface SearchParams {
  query: string;
  types: string[];
  limit: number;
  offset: number;
  sortBy: 'dateDesc' | 'dateAsc' | 'none';
  recip: readonly ('f' | 't' | 'c')[];
}

function readInt(request: JsonObject, name: string, fallback: number): number {
  const text = attrText(request, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value)) {
    throw faults.invalidRequest(`invalid value '${text}' for attribute: ${name}`);
  }
  return value;
}

function readParams(request: JsonObject): SearchParams {
  const types = (attrText(request, 'types') ?? attrText(request, 'type') ?? 'conversation')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  const unknown = types.find((t) => !ITEM_TYPES.includes(t));
  if (unknown !== undefined) throw faults.invalidRequest(`unknown item type: ${unknown}`);

  const limit = readInt(request, 'limit', DEFAULT_LIMIT);
  const sortBy = attrText(request, 'sortBy');
  return {
    query: attrOrElementText(request, 'query') ?? DEFAULT_QUERY,
    types,
    limit: limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT),
    offset: Math.max(0, readInt(request, 'offset', 0)),
    // FIXME: sort orders other than date and none (subject, name, size...) fall back to
    // dateDesc; a client sorting by them would get date order back.
    sortBy: sortBy === 'dateAsc' || sortBy === 'none' ? sortBy : 'dateDesc',
    recip: RECIP_TYPES[attrText(request, 'recip') ?? '0'] ?? ['f'],
  };
}

function compile(params: SearchParams, mailbox: Mailbox, nowMs: number): CompiledQuery {
  try {
    return compileQuery(parseQuery(params.query), mailbox, nowMs);
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
    throw faults.queryParseError(params.query, err.token, err.column, err.message);
  }
}

function sortMessages(messages: SimMessage[], sortBy: SearchParams['sortBy']): SimMessage[] {
  if (sortBy === 'none') return messages.sort((a, b) => a.id - b.id);
  const sign = sortBy === 'dateAsc' ? 1 : -1;
  return messages.sort((a, b) => sign * (a.date - b.date || a.id - b.id));
}

function encodeHit(message: SimMessage, params: SearchParams): JsonObject {
  const hit = encodeMessageSummary(message, params.recip);
  hit.cm = true;
  hit.sf = String(params.sortBy === 'none' ? message.id : message.date);
  return hit;
}

/** Every message is its own virtual conversation (cid `-<id>`), as single messages are. */
function encodeConversationHit(message: SimMessage, params: SearchParams): JsonObject {
  const summary = encodeMessageSummary(message, params.recip);
  const hit: JsonObject = { id: `-${message.id}`, u: message.flags.includes('u') ? 1 : 0, n: 1 };
  if (summary.f !== undefined) hit.f = summary.f;
  hit.d = message.date;
  hit.m = [{ id: String(message.id), l: String(message.folderId) }];
  hit.su = summary.su;
  if (summary.fr !== undefined) hit.fr = summary.fr;
  hit.e = summary.e;
  hit.sf = String(message.date);
  return hit;
}

function handleSearch(request: JsonObject, ctx: RequestContext) {
  const account = authedAccount(ctx);
  const mailbox = ctx.state.mailboxOf(account);
  const params = readParams(request);
  const query = compile(params, mailbox, ctx.state.now());

  const wantsConversations = params.types.includes('conversation');
  const wantsMessages = params.types.includes('message');
  const found =
    wantsConversations || wantsMessages
      ? [...mailbox.messages.values()].filter((m) => isSearchable(m, query, mailbox))
      : [];
  const page = sortMessages(found, params.sortBy).slice(
    params.offset,
    params.offset + params.limit,
  );

  const body: JsonObject = { sortBy: params.sortBy, offset: params.offset };
  if (page.length > 0 && wantsConversations)
    body.c = page.map((m) => encodeConversationHit(m, params));
  else if (page.length > 0) body.m = page.map((m) => encodeHit(m, params));
  body.more = params.offset + params.limit < found.length;
  return { body, account };
}

/** SearchRequest (reference §3). */
export const searchRequest: SoapHandler = {
  name: 'SearchRequest',
  ns: NS_MAIL,
  requiresAuth: true,
  proxiesToHome: true,
  handle: handleSearch,
};
