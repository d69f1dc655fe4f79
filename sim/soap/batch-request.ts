import { NS_SOAP, NS_ZIMBRA } from './envelope.js';
import type { HandlerResult, RequestContext, SoapHandler } from './handler.js';
import { attrText, childElements, type JsonObject } from './json-element.js';
import { SoapFault } from './soap-fault.js';
import type { SoapDispatcher } from './dispatcher.js';

function pushTo(body: JsonObject, key: string, value: JsonObject): void {
  const list = body[key];
  if (Array.isArray(list)) list.push(value);
  else body[key] = [value];
}

function withRequestId(el: JsonObject, requestId: string | undefined): JsonObject {
  return requestId === undefined ? el : { ...el, requestId };
}

/**
 * BatchRequest (reference §10): sub-requests run in JSON key order then array order and
 * share the header context; `onerror="stop"` ends the batch at the first fault.
 * An AuthRequest inside the batch sets the token for later sub-requests only when the
 * receiving server is the account's home server; elsewhere they keep the batch's own
 * context (no token: AUTH_REQUIRED). Reference §10 marks this [inferred].
 */
export function createBatchRequest(dispatcher: SoapDispatcher): SoapHandler {
  const handle = (request: JsonObject, ctx: RequestContext): HandlerResult => {
    const stopOnError = attrText(request, 'onerror') === 'stop';
    const sub: RequestContext = { ...ctx };
    const body: JsonObject = {};
    const names = Object.keys(request).filter((k) => !k.startsWith('_') && k !== 'onerror');

    outer: for (const name of names) {
      for (const el of childElements(request, name)) {
        const requestId = attrText(el, 'requestId');
        const ns = attrText(el, '_jsns') ?? NS_ZIMBRA;
        try {
          const { handler, result } = dispatcher.runDocument(name, ns, el, sub);
          if (handler.name === 'AuthRequest' && result.account?.server === ctx.server) {
            sub.account = result.account;
          }
          const response = withRequestId({ ...result.body }, requestId);
          pushTo(body, name.replace(/Request$/, 'Response'), { ...response, _jsns: handler.ns });
        } catch (err) {
          if (!(err instanceof SoapFault)) throw err;
          const fault = { ...dispatcher.faultElement(err), ...(requestId ? { requestId } : {}) };
          pushTo(body, 'Fault', { ...fault, _jsns: NS_SOAP });
          if (stopOnError) break outer;
        }
      }
    }
    return { body, account: sub.account };
  };
  return { name: 'BatchRequest', ns: NS_ZIMBRA, requiresAuth: false, handle };
}
