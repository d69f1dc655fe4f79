import { randomUUID } from 'node:crypto';
import { FIRST_USER_ID, FOLDER_ROOT, createSystemFolders, type SimFolder } from './folders.js';
import type { ParsedMessage } from './parsed-message.js';

export interface SimMessage {
  id: number;
  folderId: number;
  /** Item date `d`: receipt time, epoch ms. */
  date: number;
  /** Zimbra flag letters, e.g. `u` for unread. */
  flags: string;
  rev: number;
  parsed: ParsedMessage;
}

export interface FolderStats {
  count: number;
  sizeBytes: number;
  unread: number;
}

/** One account's mailbox: folders, messages, one id counter and one change counter. */
export class Mailbox {
  readonly accountId: string;
  readonly folders = new Map<number, SimFolder>();
  readonly messages = new Map<number, SimMessage>();
  #nextId = FIRST_USER_ID;
  #changeToken = 1;

  constructor(accountId: string) {
    this.accountId = accountId;
    for (const folder of createSystemFolders(this.#changeToken)) {
      this.folders.set(folder.id, folder);
    }
  }

  get changeToken(): number {
    return this.#changeToken;
  }

  /** Advances the change counter, as every committed modification does. */
  bumpChange(): number {
    this.#changeToken += 1;
    return this.#changeToken;
  }

  /** Next free item id; folders and messages share the counter. */
  allocateId(): number {
    const id = this.#nextId;
    this.#nextId += 1;
    return id;
  }

  get nextId(): number {
    return this.#nextId;
  }

  childFolders(parentId: number): SimFolder[] {
    return [...this.folders.values()].filter((f) => f.parentId === parentId && f.id !== parentId);
  }

  /** A child folder by name, compared case-insensitively as Zimbra does. */
  findChild(parentId: number, name: string): SimFolder | undefined {
    const lower = name.toLowerCase();
    return this.childFolders(parentId).find((f) => f.name.toLowerCase() === lower);
  }

  /** Resolves `a/b/c` (leading `/` optional) from `baseId`. */
  findFolderByPath(path: string, baseId = FOLDER_ROOT): SimFolder | undefined {
    let folder = this.folders.get(baseId);
    for (const part of path.split('/').filter((p) => p.length > 0)) {
      if (folder === undefined) return undefined;
      folder = this.findChild(folder.id, part);
    }
    return folder;
  }

  folderPath(id: number): string {
    const names: string[] = [];
    let folder = this.folders.get(id);
    while (folder !== undefined && folder.id !== FOLDER_ROOT) {
      names.unshift(folder.name);
      folder = this.folders.get(folder.parentId);
    }
    return `/${names.join('/')}`;
  }

  /** Whether `folderId` is `ancestorId` or lies below it. */
  isUnder(folderId: number, ancestorId: number): boolean {
    let folder = this.folders.get(folderId);
    while (folder !== undefined) {
      if (folder.id === ancestorId) return true;
      if (folder.id === FOLDER_ROOT) return false;
      folder = this.folders.get(folder.parentId);
    }
    return false;
  }

  createFolder(parentId: number, name: string, view: string | undefined): SimFolder {
    const rev = this.bumpChange();
    const folder: SimFolder = {
      id: this.allocateId(),
      uuid: randomUUID(),
      name,
      parentId,
      view,
      rev,
      system: false,
    };
    this.folders.set(folder.id, folder);
    return folder;
  }

  addMessage(parsed: ParsedMessage, folderId: number, date: number, flags: string): SimMessage {
    const rev = this.bumpChange();
    const message: SimMessage = { id: this.allocateId(), folderId, date, flags, rev, parsed };
    this.messages.set(message.id, message);
    return message;
  }

  folderStats(folderId: number): FolderStats {
    const stats: FolderStats = { count: 0, sizeBytes: 0, unread: 0 };
    for (const message of this.messages.values()) {
      if (message.folderId !== folderId) continue;
      stats.count += 1;
      stats.sizeBytes += message.parsed.sizeBytes;
      if (message.flags.includes('u')) stats.unread += 1;
    }
    return stats;
  }
}
