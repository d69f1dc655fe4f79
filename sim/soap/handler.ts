import type { AuthTokens } from '../model/auth-tokens.js';
import type { Directory, SimAccount } from '../model/directory.js';
import type { DistributionLists } from '../model/distribution-lists.js';
import type { Mailbox } from '../model/mailbox.js';
import type { JsonObject } from './json-element.js';

/** The server state every handler reads and changes. */
export interface SimState {
  directory: Directory;
  lists: DistributionLists;
  tokens: AuthTokens;
  /** The simulator clock (epoch ms), skew included. */
  now(): number;
  tokenLifetimeMs: number;
  mailboxOf(account: SimAccount): Mailbox;
  /** Whether the proxy hop to mailbox server `server` fails this time. */
  isProxyFailing(server: string): boolean;
}

/** What a request did that the HTTP layer must know; shared by a batch's parts. */
export interface RequestTrail {
  /** An AuthFailedServiceException was answered (ZimbraInvalidLoginFilter counts it). */
  authFailed: boolean;
  /** The home server a part was proxied to, if any. */
  proxiedTo: string | null;
}

export interface RequestContext {
  state: SimState;
  /** The account of a valid header auth token, if any. */
  account: SimAccount | undefined;
  /** The mailbox server that received the request. */
  server: string;
  trail: RequestTrail;
}

export interface HandlerResult {
  /** Response element content, without `_jsns`. */
  body: JsonObject;
  /** The account whose mailbox change token goes into the response header, if any. */
  account: SimAccount | undefined;
}

/** One SOAP document handler, keyed by request name and namespace. */
export interface SoapHandler {
  name: string;
  ns: string;
  requiresAuth: boolean;
  /**
   * Works on the authenticated account's mailbox, so a server that is not its home
   * proxies it there (DocumentHandler.proxyIfNecessary).
   */
  proxiesToHome?: boolean;
  handle(request: JsonObject, ctx: RequestContext): HandlerResult;
}

/** The authenticated account, for handlers that declared `requiresAuth`. */
export function authedAccount(ctx: RequestContext): SimAccount {
  if (ctx.account === undefined) throw new TypeError('handler requires an authenticated account');
  return ctx.account;
}
