import { randomUUID } from 'node:crypto';

/** System folder ids (zm-mailbox Mailbox.ID_FOLDER_*; reference §4.5). */
export const FOLDER_ROOT = 1;
export const FOLDER_INBOX = 2;
export const FOLDER_TRASH = 3;
export const FOLDER_JUNK = 4;
export const FOLDER_SENT = 5;
export const FOLDER_DRAFTS = 6;
/** The internal mailbox root that is the parent of the user root. */
export const FOLDER_MAILBOX_ROOT = 11;
/** First id handed to user items and folders. */
export const FIRST_USER_ID = 256;

export interface SimFolder {
  id: number;
  uuid: string;
  name: string;
  parentId: number;
  view: string | undefined;
  rev: number;
  system: boolean;
}

const SYSTEM_FOLDERS: ReadonlyArray<[number, string, string | undefined]> = [
  [FOLDER_ROOT, 'USER_ROOT', undefined],
  [FOLDER_INBOX, 'Inbox', 'message'],
  [FOLDER_TRASH, 'Trash', undefined],
  [FOLDER_JUNK, 'Junk', 'message'],
  [FOLDER_SENT, 'Sent', 'message'],
  [FOLDER_DRAFTS, 'Drafts', 'message'],
  [7, 'Contacts', 'contact'],
  [10, 'Calendar', 'appointment'],
  [13, 'Emailed Contacts', 'contact'],
  [14, 'Chats', 'message'],
  [15, 'Tasks', 'task'],
  [16, 'Briefcase', 'document'],
];

/** The system folders a fresh mailbox starts with, all revision `rev`. */
export function createSystemFolders(rev: number): SimFolder[] {
  return SYSTEM_FOLDERS.map(([id, name, view]) => ({
    id,
    uuid: randomUUID(),
    name,
    parentId: id === FOLDER_ROOT ? FOLDER_MAILBOX_ROOT : FOLDER_ROOT,
    view,
    rev,
    system: true,
  }));
}

/**
 * Zimbra's folder-name rule (MailItem.validateItemName): trimmed, 1-128 chars, none of
 * `:` `/` `"` or control characters. Returns the trimmed name, or null when invalid.
 */
export function normaliseFolderName(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 128) return null;
  if (trimmed === '.' || trimmed === '..') return null;
  // eslint-disable-next-line no-control-regex
  if (/[:/"\u0000-\u001f\u007f]/.test(trimmed)) return null;
  return trimmed;
}
