import { InputError } from '../errors/index.js';
import { runAuthorized, type CallContext } from './call-runner.js';
import { createFolderRequest } from './create-folder-request.js';
import {
  expandDistributionList,
  lookupAddress,
  type DirectoryEntryKind,
  type ListExpansion,
} from './directory-lookup.js';
import { ZIMBRA_DEFAULTS } from './defaults.js';
import { transportError } from './faults.js';
import type { Folder } from './folder-element.js';
import { getFolderRequest } from './get-folder-request.js';
import { getMsgRequest, type MessageInfo } from './get-msg-request.js';
import { msgActionRequest, type MsgActionParams } from './msg-action-request.js';
import { messageIdQuery } from './query.js';
import { searchRequest, type MessageHit, type SearchPage } from './search-request.js';

/** One logged-in mailbox. All ids are kept exactly as Zimbra returned them. */
export interface MailboxSession {
  readonly account: string;
  search(query: string, page?: { limit?: number; offset?: number }): Promise<SearchPage>;
  findMessages(messageId: string): Promise<MessageHit[]>;
  getMessage(id: string): Promise<MessageInfo>;
  getFolder(path: string): Promise<Folder>;
  ensureFolder(path: string): Promise<Folder>;
  moveMessages(ids: readonly string[], folderId: string): Promise<void>;
  trashMessages(ids: readonly string[]): Promise<void>;
  deleteMessages(ids: readonly string[]): Promise<void>;
  lookupAddress(address: string): Promise<DirectoryEntryKind>;
  expandDistributionList(address: string): Promise<ListExpansion>;
}

const USER_ROOT_FOLDER_ID = '1';

/** The session ZimbraClient.openMailbox hands out; see MailboxSession in index.ts for the contract. */
export class ZimbraMailboxSession implements MailboxSession {
  readonly account: string;
  readonly #context: CallContext;

  constructor(context: CallContext) {
    this.account = context.account;
    this.#context = context;
  }

  search(query: string, page: { limit?: number; offset?: number } = {}): Promise<SearchPage> {
    return runAuthorized(searchRequest({ query, ...page }), this.#context);
  }

  async findMessages(messageId: string): Promise<MessageHit[]> {
    const query = messageIdQuery(messageId);
    const hits = new Map<string, MessageHit>();
    let offset = 0;

    // FIXME: pages by offset, so a copy moved or delivered during a long scan
    // can shift pages and be skipped; the caller's verify pass is the only
    // thing that catches it (Zimbra's `cursor` paging would avoid it).
    for (let page = 0; page < ZIMBRA_DEFAULTS.maxSearchPages; page++) {
      const result = await this.search(query, { limit: ZIMBRA_DEFAULTS.searchPageSize, offset });
      for (const hit of result.hits) if (!hits.has(hit.id)) hits.set(hit.id, hit);
      if (!result.more) return [...hits.values()];
      if (result.hits.length === 0) throw pagingError('more is true on a page without hits');
      offset += result.hits.length;
    }
    throw pagingError(`more than ${ZIMBRA_DEFAULTS.maxSearchPages} pages of hits`);
  }

  getMessage(id: string): Promise<MessageInfo> {
    return runAuthorized(getMsgRequest({ id }), this.#context);
  }

  getFolder(path: string): Promise<Folder> {
    const segments = splitFolderPath(path);
    return runAuthorized(getFolderRequest({ path: `/${segments.join('/')}` }), this.#context);
  }

  async ensureFolder(path: string): Promise<Folder> {
    let folder: Folder = { id: USER_ROOT_FOLDER_ID, name: '', path: '/' };
    // One CreateFolder (fie) per level keeps every step idempotent and names
    // each parent by id, so no path is ever resolved against the wrong root.
    for (const name of splitFolderPath(path)) {
      folder = await runAuthorized(
        createFolderRequest({ name, parentId: folder.id }),
        this.#context,
      );
    }
    return folder;
  }

  moveMessages(ids: readonly string[], folderId: string): Promise<void> {
    return this.#act({ op: 'move', ids, folderId });
  }

  trashMessages(ids: readonly string[]): Promise<void> {
    return this.#act({ op: 'trash', ids });
  }

  deleteMessages(ids: readonly string[]): Promise<void> {
    return this.#act({ op: 'delete', ids });
  }

  lookupAddress(address: string): Promise<DirectoryEntryKind> {
    return lookupAddress((call) => runAuthorized(call, this.#context), address);
  }

  expandDistributionList(address: string): Promise<ListExpansion> {
    return expandDistributionList((call) => runAuthorized(call, this.#context), address);
  }

  async #act(params: MsgActionParams): Promise<void> {
    if (params.ids.length === 0) return;
    await runAuthorized(msgActionRequest(params), this.#context);
  }
}

/** `Security/Quarantine` or `/Security/Quarantine` → `['Security', 'Quarantine']`. */
function splitFolderPath(path: string): string[] {
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  const bad = segments.find((s) => s.trim() === '' || /[\p{Cc}"]/u.test(s));
  if (bad !== undefined || segments.length === 0) {
    throw new InputError(
      'ZIMBRA_INVALID_FOLDER_PATH',
      'folderPath',
      `Folder path ${JSON.stringify(path)} is not usable: give names separated by /, e.g. Quarantine or Security/Quarantine, without empty parts, quotes or control characters`,
    );
  }
  return segments;
}

function pagingError(detail: string) {
  return transportError('ZIMBRA_BAD_RESPONSE', { soapRequest: 'SearchRequest', detail });
}
