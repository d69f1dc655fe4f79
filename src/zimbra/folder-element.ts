import { firstElement, stringAttr, type JsonObject } from './element-shape.js';
import { missingInResponse } from './soap-call.js';

/** A mail folder as GetFolder and CreateFolder return it (reference §5). */
export interface Folder {
  id: string;
  name: string;
  /** `absFolderPath`, e.g. `/Quarantine`. */
  path: string;
  /** `l`: the parent folder id; absent only for the root. */
  parentId?: string;
}

/** Reads the first `folder` element of a GetFolderResponse or CreateFolderResponse. */
export function readFolderResponse(response: JsonObject, soapRequest: string): Folder {
  const element = firstElement(response['folder']);
  if (element === undefined) throw missingInResponse(soapRequest, 'folder');
  const id = stringAttr(element, 'id');
  const name = stringAttr(element, 'name');
  const path = stringAttr(element, 'absFolderPath');
  if (id === undefined || name === undefined || path === undefined) {
    throw missingInResponse(soapRequest, 'folder id, name or absFolderPath');
  }

  const folder: Folder = { id, name, path };
  const parentId = stringAttr(element, 'l');
  if (parentId !== undefined) folder.parentId = parentId;
  return folder;
}
