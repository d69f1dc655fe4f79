import {
  contentOf,
  firstElement,
  isJsonObject,
  stringAttr,
  type JsonObject,
} from './element-shape.js';
import { missingInResponse, type SoapCall } from './soap-call.js';

export interface MessageInfo {
  id: string;
  /** The current folder id (`l`). */
  folderId: string;
  /** The Message-ID header exactly as stored, angle brackets included; null when absent. */
  messageId: string | null;
}

/**
 * `GetMsgRequest` (urn:zimbraMail) for one message's folder and Message-ID
 * (`mid`), used to verify a search hit before acting. `max: 1` keeps the inlined
 * body to one byte; fetching does not mark the message read (no `read`).
 * Source: zm-mailbox GetMsg.java, MsgSpec.java, reference §6.
 */
export function getMsgRequest(params: { id: string }): SoapCall<MessageInfo> {
  return {
    soapRequest: 'GetMsgRequest',
    resend: 'any',
    body: {
      GetMsgRequest: {
        _jsns: 'urn:zimbraMail',
        m: { id: params.id, header: [{ n: 'Message-ID' }], max: 1 },
      },
    },
    read: readGetMsgResponse,
  };
}

function readGetMsgResponse(response: JsonObject): MessageInfo {
  const m = firstElement(response['m']);
  if (m === undefined) throw missingInResponse('GetMsgRequest', 'm');
  const id = stringAttr(m, 'id');
  const folderId = stringAttr(m, 'l');
  if (id === undefined || folderId === undefined)
    throw missingInResponse('GetMsgRequest', 'id or l');
  return { id, folderId, messageId: stringAttr(m, 'mid') ?? headerValue(m, 'Message-ID') ?? null };
}

/** A requested header from `_attrs`; a repeated header arrives as an array (§2.2). */
function headerValue(m: JsonObject, name: string): string | undefined {
  const attrs = m['_attrs'];
  if (!isJsonObject(attrs)) return undefined;
  const value = attrs[name];
  return Array.isArray(value) ? contentOf(value[0]) : contentOf(value);
}
