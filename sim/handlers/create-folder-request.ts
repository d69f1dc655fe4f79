import { FOLDER_ROOT, normaliseFolderName, type SimFolder } from '../model/folders.js';
import type { Mailbox } from '../model/mailbox.js';
import { NS_MAIL } from '../soap/envelope.js';
import { authedAccount, type RequestContext, type SoapHandler } from '../soap/handler.js';
import { attrBool, attrText, childElement, type JsonObject } from '../soap/json-element.js';
import { faults } from '../soap/soap-fault.js';
import { encodeFolder } from './folder-encoding.js';

interface FolderSpec {
  parentId: number;
  names: string[];
  view: string | undefined;
  fetchIfExists: boolean;
}

function readSpec(mailbox: Mailbox, el: JsonObject): FolderSpec {
  const name = attrText(el, 'name');
  if (name === undefined) throw faults.invalidRequest('missing required attribute: name');
  const parentText = attrText(el, 'l');
  // Without `l` the name is a path from the root (CreateFolder.java).
  const parts = parentText === undefined ? name.split('/').filter((p) => p.length > 0) : [name];
  const names = parts.map((part) => {
    const clean = normaliseFolderName(part);
    if (clean === null) throw faults.invalidName(part);
    return clean;
  });
  if (names.length === 0) throw faults.invalidName(name);

  const parentId = parentText === undefined ? FOLDER_ROOT : Number(parentText);
  if (!Number.isInteger(parentId) || !mailbox.folders.has(parentId)) {
    throw faults.noSuchFolderId(parentText ?? String(FOLDER_ROOT));
  }
  const fetchIfExists = attrBool(el, 'fie');
  return { parentId, names, view: attrText(el, 'view'), fetchIfExists };
}

/** Creates the folder and any missing intermediates; a clash at the leaf honours `fie`. */
export function createFolderPath(mailbox: Mailbox, spec: FolderSpec): SimFolder {
  let parentId = spec.parentId;
  let folder: SimFolder | undefined;
  spec.names.forEach((name, index) => {
    const isLeaf = index === spec.names.length - 1;
    const existing = mailbox.findChild(parentId, name);
    if (existing !== undefined && isLeaf && !spec.fetchIfExists) throw faults.alreadyExists(name);
    folder = existing ?? mailbox.createFolder(parentId, name, isLeaf ? spec.view : undefined);
    parentId = folder.id;
  });
  return folder as SimFolder;
}

function handleCreateFolder(request: JsonObject, ctx: RequestContext) {
  const account = authedAccount(ctx);
  const mailbox = ctx.state.mailboxOf(account);
  const el = childElement(request, 'folder');
  if (el === undefined) throw faults.invalidRequest('missing required element: folder');
  const folder = createFolderPath(mailbox, readSpec(mailbox, el));
  return { body: { folder: [encodeFolder(mailbox, folder, 0)] }, account };
}

/** CreateFolderRequest (reference §5): `name`, `l`, `view`, `fie`. */
export const createFolderRequest: SoapHandler = {
  name: 'CreateFolderRequest',
  ns: NS_MAIL,
  requiresAuth: true,
  proxiesToHome: true,
  handle: handleCreateFolder,
};
