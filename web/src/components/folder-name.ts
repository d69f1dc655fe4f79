// Zimbra's fixed system folder ids (Mailbox.ID_FOLDER_* in zm-mailbox); any
// other id is a folder the user made, shown by its number.
const SYSTEM_FOLDERS: Readonly<Record<string, string>> = {
  '1': 'root',
  '2': 'Inbox',
  '3': 'Trash',
  '4': 'Junk',
  '5': 'Sent',
  '6': 'Drafts',
};

/** A receipt's folder id in words: `Inbox` for 2, `folder 257` for a user's own. */
export function folderName(id: string | null | undefined): string {
  if (!id) return '—';
  const local = id.includes(':') ? id.slice(id.lastIndexOf(':') + 1) : id;
  return SYSTEM_FOLDERS[local] ?? `folder ${id}`;
}
