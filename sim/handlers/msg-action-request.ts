import { FOLDER_INBOX, FOLDER_JUNK, FOLDER_ROOT, FOLDER_TRASH } from '../model/folders.js';
import type { Mailbox, SimMessage } from '../model/mailbox.js';
import { NS_MAIL } from '../soap/envelope.js';
import { authedAccount, type RequestContext, type SoapHandler } from '../soap/handler.js';
import { attrText, childElement, type JsonObject } from '../soap/json-element.js';
import { faults, type SoapFault } from '../soap/soap-fault.js';

interface Action {
  op: string;
  ids: number[];
  el: JsonObject;
}

function parseItemId(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw faults.invalidRequest(`malformed item ID: ${text}`);
  return Number(text);
}

function readAction(request: JsonObject): Action {
  const el = childElement(request, 'action');
  if (el === undefined) throw faults.invalidRequest('missing required element: action');
  const op = attrText(el, 'op');
  if (op === undefined) throw faults.invalidRequest('missing required attribute: op');
  const idText = attrText(el, 'id');
  if (idText === undefined) throw faults.invalidRequest('missing required attribute: id');
  const ids = [...new Set(idText.split(',').map((t) => parseItemId(t.trim())))];
  return { op: op.toLowerCase(), ids, el };
}

/** All messages or the first missing id's fault: one transaction, nothing half-done (§4.3). */
function requireMessages(mailbox: Mailbox, ids: number[], missing: (id: string) => SoapFault) {
  return ids.map((id) => {
    const message = mailbox.messages.get(id);
    if (message === undefined) throw missing(String(id));
    return message;
  });
}

function requireTarget(mailbox: Mailbox, el: JsonObject, fallback?: number): number {
  const text = attrText(el, 'l');
  if (text === undefined && fallback !== undefined) return fallback;
  if (text === undefined) throw faults.invalidRequest('missing required attribute: l');
  const id = parseItemId(text);
  if (!mailbox.folders.has(id)) throw faults.noSuchFolderId(String(id));
  if (id === FOLDER_ROOT) throw faults.cannotContain();
  return id;
}

/** Moves; an item already in the target is a successful no-op (§4.3). */
function moveAll(mailbox: Mailbox, messages: SimMessage[], target: number): void {
  const moving = messages.filter((m) => m.folderId !== target);
  if (moving.length === 0) return;
  const rev = mailbox.bumpChange();
  for (const message of moving) {
    message.folderId = target;
    message.rev = rev;
  }
}

function setFlag(mailbox: Mailbox, messages: SimMessage[], flag: string, on: boolean): void {
  const rev = mailbox.bumpChange();
  for (const message of messages) {
    const without = message.flags.replace(flag, '');
    message.flags = on ? without + flag : without;
    message.rev = rev;
  }
}

function deleteAll(mailbox: Mailbox, ids: number[]): void {
  const present = ids.filter((id) => mailbox.messages.has(id));
  if (present.length === 0) return;
  mailbox.bumpChange();
  for (const id of present) mailbox.messages.delete(id);
}

function apply(mailbox: Mailbox, action: Action): void {
  const { op, ids, el } = action;
  const messages = () => requireMessages(mailbox, ids, faults.noSuchMsg);
  switch (op) {
    case 'move':
      return moveAll(mailbox, messages(), requireTarget(mailbox, el));
    case 'trash':
      return moveAll(mailbox, requireMessages(mailbox, ids, faults.noSuchItem), FOLDER_TRASH);
    case 'delete':
      return deleteAll(mailbox, ids);
    case 'spam':
      return moveAll(mailbox, messages(), FOLDER_JUNK);
    case '!spam':
      return moveAll(mailbox, messages(), requireTarget(mailbox, el, FOLDER_INBOX));
    case 'read':
    case '!read':
      return setFlag(mailbox, messages(), 'u', op === '!read');
    case 'flag':
    case '!flag':
      return setFlag(mailbox, messages(), 'f', op === 'flag');
    default:
      throw faults.invalidRequest(`unknown operation: ${op}`);
  }
}

function handleMsgAction(request: JsonObject, ctx: RequestContext) {
  const account = authedAccount(ctx);
  const action = readAction(request);
  apply(ctx.state.mailboxOf(account), action);
  return { body: { action: { id: action.ids.join(','), op: action.op } }, account };
}

/**
 * MsgActionRequest (reference §4): move, trash, delete, spam/!spam, read/!read,
 * flag/!flag on comma-separated message ids.
 */
export const msgActionRequest: SoapHandler = {
  name: 'MsgActionRequest',
  ns: NS_MAIL,
  requiresAuth: true,
  proxiesToHome: true,
  handle: handleMsgAction,
};
