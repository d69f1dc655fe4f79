import type { SimAccount } from '../model/directory.js';
import {
  NS_SOAP,
  NS_ZIMBRA,
  buildFaultElement,
  buildFaultEnvelope,
  buildResponseEnvelope,
  buildResponseHeader,
} from './envelope.js';
import { proxyErrorFault } from '../cluster/proxy-failures.js';
import type { RequestContext, RequestTrail, SimState, SoapHandler } from './handler.js';
import {
  attrBool,
  attrOrElementText,
  attrText,
  childElement,
  elementText,
  isJsonObject,
  type JsonObject,
} from './json-element.js';
import { SoapFault, faults } from './soap-fault.js';
import { renderXmlFault } from './xml-fault.js';

/** A request body after format detection (reference §2.1: first byte `<` means XML). */
export type PreparedRequest =
  | { kind: 'xml' }
  | { kind: 'unparsable'; reason: string }
  | { kind: 'json'; envelope: JsonObject; requestName: string | null };

export interface DispatchResult {
  status: number;
  format: 'json' | 'xml';
  body: string;
  requestName: string | null;
  account: string | null;
  faultCode: string | null;
  /** Set when an AUTH_FAILED was answered, for the invalid-login filter. */
  authFailed?: boolean;
  /** The home server the request was proxied to, if any. */
  proxiedTo?: string | null;
}

/** Where a request arrived: the mailbox server behind the listener. */
export interface RequestOrigin {
  server: string;
}

/** The first element of Body, or null (keys starting with `_` are attributes). */
function requestElementName(envelope: JsonObject): string | null {
  const body = envelope.Body;
  if (!isJsonObject(body)) return null;
  return Object.keys(body).find((key) => !key.startsWith('_')) ?? null;
}

/** Parses a body once, so the HTTP layer can match injections by request name. */
export function prepareRequest(text: string): PreparedRequest {
  if (text.startsWith('<')) return { kind: 'xml' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { kind: 'unparsable', reason: (err as Error).message };
  }
  if (!isJsonObject(parsed)) return { kind: 'unparsable', reason: 'envelope is not an object' };
  return { kind: 'json', envelope: parsed, requestName: requestElementName(parsed) };
}

/** Raised internally for faults Zimbra answers in XML whatever the request format. */
class XmlFaultSignal {
  constructor(readonly fault: SoapFault) {}
}

interface Resolved {
  ctx: RequestContext;
  header: JsonObject | undefined;
}

function newTrail(): RequestTrail {
  return { authFailed: false, proxiedTo: null };
}

/** Whether the header asks to treat an expired token as none (`authTokenControl`). */
function isVoidOnExpired(context: JsonObject): boolean {
  const control = childElement(context, 'authTokenControl');
  return control !== undefined && attrBool(control, 'voidOnExpired');
}

/** Routes JSON SOAP documents to handlers, with the header auth rules of reference §2.4. */
export class SoapDispatcher {
  readonly #state: SimState;
  readonly #handlers = new Map<string, SoapHandler>();
  readonly #nextTrace: () => string;

  constructor(state: SimState, handlers: SoapHandler[], nextTrace: () => string) {
    this.#state = state;
    this.#nextTrace = nextTrace;
    for (const handler of handlers) this.#handlers.set(`${handler.ns} ${handler.name}`, handler);
  }

  /** Runs one prepared request and renders the complete HTTP answer body. */
  dispatch(prepared: PreparedRequest, origin: RequestOrigin): DispatchResult {
    const trail = newTrail();
    const result = this.#dispatchPrepared(prepared, origin, trail);
    return { ...result, authFailed: trail.authFailed, proxiedTo: trail.proxiedTo };
  }

  #dispatchPrepared(
    prepared: PreparedRequest,
    origin: RequestOrigin,
    trail: RequestTrail,
  ): DispatchResult {
    if (prepared.kind === 'xml') {
      // FIXME: XML SOAP requests are refused; a client that speaks XML cannot be tested here.
      return this.#xml(
        faults.invalidRequest('XML requests are not supported by the simulator'),
        null,
      );
    }
    if (prepared.kind === 'unparsable') {
      return this.#json(faults.parseError(prepared.reason), undefined, null, null);
    }
    try {
      return this.#dispatchJson(prepared.envelope, prepared.requestName, { ...origin, trail });
    } catch (err) {
      if (err instanceof XmlFaultSignal) return this.#xml(err.fault, prepared.requestName);
      throw err;
    }
  }

  /** Adds a handler after construction (BatchRequest needs the dispatcher itself). */
  register(handler: SoapHandler): void {
    this.#handlers.set(`${handler.ns} ${handler.name}`, handler);
  }

  /** A Fault element with a fresh trace, for BatchResponse. */
  faultElement(fault: SoapFault): JsonObject {
    return buildFaultElement(fault, this.#nextTrace());
  }

  /**
   * Runs one document for BatchRequest and plain requests alike; faults propagate.
   * AUTH_FAILED marks the trail, as SoapEngine marks the HTTP request for the filter.
   */
  runDocument(name: string, ns: string, request: JsonObject, ctx: RequestContext) {
    const handler = this.#handlers.get(`${ns} ${name}`);
    if (handler === undefined) throw faults.unknownDocument(name);
    try {
      if (handler.requiresAuth) this.#checkAuth(handler, ctx);
      return { handler, result: handler.handle(request, ctx) };
    } catch (err) {
      if (err instanceof SoapFault && err.code === 'account.AUTH_FAILED') {
        ctx.trail.authFailed = true;
      }
      throw err;
    }
  }

  /**
   * SoapEngine.dispatchRequest for a handler that needs auth: a token is required, its
   * account must still be active (AuthProvider.validateAuthToken answers AUTH_EXPIRED
   * for any other status, maintenance included), then the request is proxied to the
   * account's home server when it landed elsewhere.
   */
  #checkAuth(handler: SoapHandler, ctx: RequestContext): void {
    const account = ctx.account;
    if (account === undefined) throw faults.authRequired();
    if (account.status !== 'active') throw faults.authExpired();
    if (handler.proxiesToHome !== true || account.server === ctx.server) return;
    ctx.trail.proxiedTo = account.server;
    if (this.#state.isProxyFailing(account.server)) throw proxyErrorFault();
  }

  #dispatchJson(
    envelope: JsonObject,
    name: string | null,
    origin: RequestOrigin & { trail: RequestTrail },
  ): DispatchResult {
    const body = envelope.Body;
    if (!isJsonObject(body) || name === null) {
      return this.#json(faults.invalidRequest('no SOAP body'), undefined, name, null);
    }
    let resolved: Resolved;
    try {
      resolved = this.#resolveContext(envelope, origin);
    } catch (err) {
      if (err instanceof SoapFault) return this.#json(err, undefined, name, null);
      throw err;
    }

    const request = childElement(body, name);
    const ns = attrText(request ?? {}, '_jsns') ?? attrText(body, '_jsns') ?? NS_SOAP;
    const logAccount = this.#logAccount(name, request, resolved.ctx.account);
    try {
      if (request === undefined) throw faults.unknownDocument(name);
      const { handler, result } = this.#runTop(name, ns, request, resolved.ctx);
      const changed = result.account;
      const changeToken =
        changed === undefined ? undefined : this.#state.mailboxOf(changed).changeToken;
      const header = buildResponseHeader(changeToken);
      const text = JSON.stringify(
        buildResponseEnvelope(responseName(handler.name), handler.ns, result.body, header),
      );
      const account = changed?.address ?? logAccount;
      return {
        status: 200,
        format: 'json',
        body: text,
        requestName: name,
        account,
        faultCode: null,
      };
    } catch (err) {
      if (!(err instanceof SoapFault)) throw err;
      return this.#json(err, buildResponseHeader(undefined), name, logAccount);
    }
  }

  #runTop(name: string, ns: string, request: JsonObject, ctx: RequestContext) {
    try {
      return this.runDocument(name, ns, request, ctx);
    } catch (err) {
      if (err instanceof SoapFault) throw err;
      throw faults.failure((err as Error).message);
    }
  }

  /**
   * Header.context checks (ZimbraSoapContext): namespace, then the auth token. An
   * expired token fails every request at once, before any handler, unless
   * `authTokenControl voidOnExpired="1"` turns it into no token.
   */
  #resolveContext(envelope: JsonObject, origin: RequestOrigin & { trail: RequestTrail }) {
    const header = isJsonObject(envelope.Header) ? envelope.Header : undefined;
    const context = header === undefined ? undefined : childElement(header, 'context');
    if (context !== undefined && attrText(context, '_jsns') !== NS_ZIMBRA) {
      throw new XmlFaultSignal(faults.failure('unable to parse SOAP header context'));
    }
    const token = context === undefined ? undefined : attrOrElementText(context, 'authToken');
    const voidOnExpired = context !== undefined && isVoidOnExpired(context);
    const account = this.#accountOf(token, voidOnExpired);
    const ctx: RequestContext = { state: this.#state, account, ...origin };
    return { ctx, header } satisfies Resolved;
  }

  #accountOf(token: string | undefined, voidOnExpired: boolean): SimAccount | undefined {
    if (token === undefined) return undefined;
    const found = this.#state.tokens.lookup(token, this.#state.now());
    // A forged or unknown token is silently dropped (ZimbraSoapContext).
    if (found.state === 'unknown') return undefined;
    if (found.state === 'expired') {
      if (voidOnExpired) return undefined;
      throw faults.authExpired();
    }
    return this.#state.directory.findById(found.accountId);
  }

  #logAccount(name: string, request: JsonObject | undefined, account: SimAccount | undefined) {
    if (account !== undefined) return account.address;
    if (name !== 'AuthRequest' || request === undefined) return null;
    const el = childElement(request, 'account');
    return el === undefined ? null : (elementText(el) ?? null);
  }

  #json(
    fault: SoapFault,
    header: JsonObject | undefined,
    name: string | null,
    account: string | null,
  ): DispatchResult {
    const body = JSON.stringify(buildFaultEnvelope(fault, this.#nextTrace(), header));
    return { status: 500, format: 'json', body, requestName: name, account, faultCode: fault.code };
  }

  #xml(fault: SoapFault, name: string | null): DispatchResult {
    const body = renderXmlFault(fault, this.#nextTrace());
    return {
      status: 500,
      format: 'xml',
      body,
      requestName: name,
      account: null,
      faultCode: fault.code,
    };
  }
}

/** `FooRequest` → `FooResponse`. */
export function responseName(requestName: string): string {
  return requestName.replace(/Request$/, 'Response');
}
