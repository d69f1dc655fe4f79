/**
 * What the engine needs of one mailbox, in Zimbra's terms. The Zimbra
 * client's `MailboxSession` satisfies it; the engine depends on nothing else.
 */
export interface MailboxPort {
  findMessages(messageId: string): Promise<readonly { id: string; folderId: string }[]>;
  ensureFolder(path: string): Promise<{ id: string }>;
  moveMessages(ids: string[], folderId: string): Promise<void>;
  trashMessages(ids: string[]): Promise<void>;
  deleteMessages(ids: string[]): Promise<void>;
  /** What Zimbra's directory (GAL) says an address is; optional. */
  lookupAddress?(address: string): Promise<'account' | 'list' | 'unknown'>;
}

/** Opens mailboxes of one domain; one per domain and run. */
export interface MailboxGateway {
  openMailbox(account: string): Promise<MailboxPort>;
  close(): Promise<void>;
}

/** Zimbra's folder ids this layer relies on (zimbra-soap reference §4.5). */
export const INBOX_FOLDER_ID = '2';
export const TRASH_FOLDER_ID = '3';
