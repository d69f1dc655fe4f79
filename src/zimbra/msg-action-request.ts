import { firstElement, stringAttr, type JsonObject } from './element-shape.js';
import { missingInResponse, type SoapCall } from './soap-call.js';

/** The MsgAction ops Retract uses; `spam` is left out on purpose: it trains the filter. */
export type MsgActionOp = 'move' | 'trash' | 'delete';

export interface MsgActionParams {
  op: MsgActionOp;
  /** Item ids as Search returned them; joined with commas, no spaces. */
  ids: readonly string[];
  /** Target folder id; required for `move` only. */
  folderId?: string;
}

export interface MsgActionResult {
  op: string;
  /** `action.id` split on commas; `delete` lists missing ids too (reference §4.3). */
  ids: string[];
}

/**
 * `MsgActionRequest` (urn:zimbraMail), reference §4. `move` and `trash` are
 * idempotent (moving an item to the folder it is in is a no-op), so they may
 * be resent; `delete` never is.
 */
export function msgActionRequest(params: MsgActionParams): SoapCall<MsgActionResult> {
  checkIds(params.ids);
  const action: JsonObject = { op: params.op, id: params.ids.join(',') };
  if (params.op === 'move') {
    if (params.folderId === undefined || params.folderId === '') {
      throw new TypeError('move needs a target folderId');
    }
    action['l'] = params.folderId;
  }

  return {
    soapRequest: 'MsgActionRequest',
    resend: params.op === 'delete' ? 'none' : 'any',
    body: { MsgActionRequest: { _jsns: 'urn:zimbraMail', action } },
    read: readMsgActionResponse,
  };
}

function checkIds(ids: readonly string[]): void {
  if (ids.length === 0) throw new TypeError('MsgAction needs at least one id');
  // A comma or space inside one id would make Zimbra act on other items.
  const bad = ids.find((id) => id === '' || /[,\s]/.test(id));
  if (bad !== undefined) throw new TypeError(`not an item id: ${JSON.stringify(bad)}`);
}

function readMsgActionResponse(response: JsonObject): MsgActionResult {
  const action = firstElement(response['action']);
  const op = action === undefined ? undefined : stringAttr(action, 'op');
  if (action === undefined || op === undefined)
    throw missingInResponse('MsgActionRequest', 'action');
  const ids = (stringAttr(action, 'id') ?? '').split(',').filter((id) => id !== '');
  return { op, ids };
}
