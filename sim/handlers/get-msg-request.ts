import { NS_MAIL } from '../soap/envelope.js';
import { authedAccount, type RequestContext, type SoapHandler } from '../soap/handler.js';
import { attrText, childElement, childElements, type JsonObject } from '../soap/json-element.js';
import { faults } from '../soap/soap-fault.js';
import type { SimMessage } from '../model/mailbox.js';
import { encodeMessageSummary } from './message-summary.js';

/** Requested headers as `_attrs`; a repeated header becomes an array (reference §2.2). */
function headerAttrs(message: SimMessage, names: string[]): JsonObject | undefined {
  const attrs: JsonObject = {};
  for (const name of names) {
    const values = message.parsed.headers.get(name.toLowerCase());
    if (values === undefined || values.length === 0) continue;
    attrs[name] = values.length === 1 ? values[0] : values;
  }
  return Object.keys(attrs).length > 0 ? attrs : undefined;
}

function encodeMessage(message: SimMessage, headerNames: string[]): JsonObject {
  const m = encodeMessageSummary(message, ['f', 't', 'c']);
  if (message.parsed.messageIdHeader !== null) m.mid = message.parsed.messageIdHeader;
  if (message.parsed.sentDate !== null) m.sd = message.parsed.sentDate;
  const attrs = headerAttrs(message, headerNames);
  if (attrs !== undefined) m._attrs = attrs;
  return m;
}

/**
 * GetMsgRequest (reference §6).
 * FIXME: no `mp` body parts and no `raw=1` content are returned; a client that reads the
 * body through GetMsg sees only the summary, `mid`, `sd` and requested headers.
 */
function handleGetMsg(request: JsonObject, ctx: RequestContext) {
  const account = authedAccount(ctx);
  const el = childElement(request, 'm');
  if (el === undefined) throw faults.invalidRequest('missing required element: m');
  const idText = attrText(el, 'id');
  if (idText === undefined) throw faults.invalidRequest('missing required attribute: id');
  if (!/^[0-9]+$/.test(idText)) throw faults.invalidRequest(`malformed item ID: ${idText}`);

  const message = ctx.state.mailboxOf(account).messages.get(Number(idText));
  if (message === undefined) throw faults.noSuchMsg(idText);
  const headerNames = childElements(el, 'header')
    .map((h) => attrText(h, 'n'))
    .filter((n): n is string => n !== undefined);
  return { body: { m: [encodeMessage(message, headerNames)] }, account };
}

export const getMsgRequest: SoapHandler = {
  name: 'GetMsgRequest',
  ns: NS_MAIL,
  requiresAuth: true,
  proxiesToHome: true,
  handle: handleGetMsg,
};
