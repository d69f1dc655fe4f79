import { FOLDER_ROOT, type SimFolder } from '../model/folders.js';
import type { Mailbox } from '../model/mailbox.js';
import { NS_MAIL } from '../soap/envelope.js';
import { authedAccount, type RequestContext, type SoapHandler } from '../soap/handler.js';
import { attrText, childElement, type JsonObject } from '../soap/json-element.js';
import { faults } from '../soap/soap-fault.js';
import { encodeFolder } from './folder-encoding.js';

function folderById(mailbox: Mailbox, text: string): SimFolder {
  const folder = /^[0-9]+$/.test(text) ? mailbox.folders.get(Number(text)) : undefined;
  if (folder === undefined) throw faults.noSuchFolderId(text);
  return folder;
}

function findRequested(mailbox: Mailbox, el: JsonObject | undefined): SimFolder {
  if (el === undefined) return folderById(mailbox, String(FOLDER_ROOT));
  const uuid = attrText(el, 'uuid');
  if (uuid !== undefined) {
    const match = [...mailbox.folders.values()].find((f) => f.uuid === uuid);
    if (match === undefined) throw faults.noSuchFolderId(uuid);
    return match;
  }
  const base = folderById(mailbox, attrText(el, 'l') ?? String(FOLDER_ROOT));
  const path = attrText(el, 'path');
  if (path === undefined) return base;
  const folder = mailbox.findFolderByPath(path, base.id);
  if (folder === undefined) throw faults.noSuchFolderPath(path);
  return folder;
}

function handleGetFolder(request: JsonObject, ctx: RequestContext) {
  const account = authedAccount(ctx);
  const mailbox = ctx.state.mailboxOf(account);
  const folder = findRequested(mailbox, childElement(request, 'folder'));
  const depthText = attrText(request, 'depth');
  const depth = depthText === undefined ? -1 : Number(depthText);
  if (!Number.isInteger(depth)) throw faults.invalidRequest(`invalid depth: ${depthText}`);
  return { body: { folder: [encodeFolder(mailbox, folder, depth)] }, account };
}

/** GetFolderRequest (reference §5): by `l`, `path` or `uuid`; no folder → whole tree. */
export const getFolderRequest: SoapHandler = {
  name: 'GetFolderRequest',
  ns: NS_MAIL,
  requiresAuth: true,
  proxiesToHome: true,
  handle: handleGetFolder,
};
