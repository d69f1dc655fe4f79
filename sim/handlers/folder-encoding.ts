import { FOLDER_MAILBOX_ROOT, type SimFolder } from '../model/folders.js';
import type { Mailbox } from '../model/mailbox.js';
import type { JsonObject } from '../soap/json-element.js';

/** A folder as ToXML.encodeFolder writes it (reference §5), children to `depth` (-1 = all). */
export function encodeFolder(mailbox: Mailbox, folder: SimFolder, depth: number): JsonObject {
  const stats = mailbox.folderStats(folder.id);
  const parent = mailbox.folders.get(folder.parentId);
  const el: JsonObject = { id: String(folder.id), uuid: folder.uuid };
  if (!folder.system) el.deletable = true;
  el.name = folder.name;
  el.absFolderPath = mailbox.folderPath(folder.id);
  el.l = String(folder.parentId);
  if (parent !== undefined && folder.parentId !== FOLDER_MAILBOX_ROOT) el.luuid = parent.uuid;
  if (folder.view !== undefined) el.view = folder.view;
  Object.assign(el, { rev: folder.rev, ms: folder.rev, webOfflineSyncDays: 0 });
  el.activesyncdisabled = false;
  el.n = stats.count;
  el.s = stats.sizeBytes;
  if (stats.unread > 0) el.u = stats.unread;
  Object.assign(el, { i4ms: mailbox.changeToken, i4next: mailbox.nextId });

  const children = depth === 0 ? [] : mailbox.childFolders(folder.id);
  if (children.length > 0) {
    el.folder = children.map((child) => encodeFolder(mailbox, child, depth - 1));
  }
  return el;
}
