import type { SimAccount } from '../model/directory.js';
import {
  NS_SOAP,
  NS_ZIMBRA,
  buildFaultElement,
  buildFaultEnvelope,
  buildResponseEnvelope,
  buildResponseHeader,
} from './envelope.js';
import type { RequestContext, SimState, SoapHandler } from './handler.js';
import {
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
  dispatch(prepared: PreparedRequest): DispatchResult {
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
      return this.#dispatchJson(prepared.envelope, prepared.requestName);
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

  /** Runs one document for BatchRequest and plain requests alike; faults propagate. */
  runDocument(name: string, ns: string, request: JsonObject, ctx: RequestContext) {
    const handler = this.#handlers.get(`${ns} ${name}`);
    if (handler === undefined) throw faults.unknownDocument(name);
    if (handler.requiresAuth && ctx.account === undefined) throw faults.authRequired();
    return { handler, result: handler.handle(request, ctx) };
  }

  #dispatchJson(envelope: JsonObject, name: string | null): DispatchResult {
    const body = envelope.Body;
    if (!isJsonObject(body) || name === null) {
      return this.#json(faults.invalidRequest('no SOAP body'), undefined, name, null);
    }
    let resolved: Resolved;
    try {
      resolved = this.#resolveContext(envelope);
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

  /** Header.context checks: namespace, then the auth token (expired → AUTH_EXPIRED now). */
  #resolveContext(envelope: JsonObject): Resolved {
    const header = isJsonObject(envelope.Header) ? envelope.Header : undefined;
    const context = header === undefined ? undefined : childElement(header, 'context');
    if (context !== undefined && attrText(context, '_jsns') !== NS_ZIMBRA) {
      throw new XmlFaultSignal(faults.failure('unable to parse SOAP header context'));
    }
    const token = context === undefined ? undefined : attrOrElementText(context, 'authToken');
    return { ctx: { state: this.#state, account: this.#accountOf(token) }, header };
  }

  #accountOf(token: string | undefined): SimAccount | undefined {
    if (token === undefined) return undefined;
    const found = this.#state.tokens.lookup(token, this.#state.now());
    // A forged or unknown token is silently dropped (ZimbraSoapContext).
    if (found.state === 'unknown') return undefined;
    if (found.state === 'expired') throw faults.authExpired();
    const account = this.#state.directory.findById(found.accountId);
    if (account === undefined) return undefined;
    // [inferred] a token of an account that is no longer active is refused like a
    // revoked one; maintenance has its own code.
    if (account.status === 'maintenance') throw faults.maintenanceMode();
    if (account.status !== 'active') throw faults.authExpired();
    return account;
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
