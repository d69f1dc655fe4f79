/** What a retraction does with each copy it finds. */
export type RetractionAction = 'quarantine' | 'trash' | 'delete';
export const RETRACTION_ACTIONS: readonly RetractionAction[] = ['quarantine', 'trash', 'delete'];

/**
 * The mailbox task state machine (see docs/retraction.md):
 * `queued → authenticating → searching → acting → verifying → <done>`.
 * A dry run stops after searching, as `found` or `not_found`.
 */
export type TaskState =
  'queued' | 'authenticating' | 'searching' | 'acting' | 'verifying' | DoneState;

export type DoneState = 'retracted' | 'not_found' | 'found' | 'failed' | 'cancelled' | 'restored';

const DONE_STATES: ReadonlySet<string> = new Set<DoneState>([
  'retracted',
  'not_found',
  'found',
  'failed',
  'cancelled',
  'restored',
]);

export function isDoneState(state: string): state is DoneState {
  return DONE_STATES.has(state);
}

/** A retraction is `running` until every mailbox task is done. */
export type RetractionStatus = 'running' | 'completed' | 'cancelled';

export type RestoreStatus = 'running' | 'completed' | 'partial';

/** What happened to one copy of the message in one mailbox. */
export type ItemOutcome =
  /** Recorded before acting; the action has not been confirmed yet. */
  | 'pending'
  | 'moved'
  | 'trashed'
  | 'deleted'
  /** It already sat where the action would put it. */
  | 'already_there'
  /** It disappeared between search and action (the user or a filter moved it). */
  | 'vanished';

export interface ReceiptItem {
  /** Zimbra's item id exactly as search returned it. */
  id: string;
  /** The folder it was in when first found: where restore puts it back. */
  folderBefore: string;
  folderAfter: string | null;
  outcome: ItemOutcome;
  restoredTo?: string;
  /** `moved_since`: the copy was no longer where the retraction put it, so it was left alone. */
  restoreOutcome?: 'restored' | 'restored_to_inbox' | 'vanished' | 'moved_since';
}

/** One Zimbra answer worth keeping: the request and the fault code if any. */
export interface ZimbraAnswer {
  request: string;
  atMs: number;
  ok: boolean;
  faultCode?: string;
  detail?: string;
}

/** What a mailbox task found and did. */
export interface Receipt {
  items: ReceiptItem[];
  targetFolderId?: string;
  answers: ZimbraAnswer[];
  searchedAtMs?: number;
  actedAtMs?: number;
  verifiedAtMs?: number;
  restoredAtMs?: number;
  /** Copies seen again in the verify pass that the first search had not seen. */
  lateCopies?: number;
}

export function emptyReceipt(): Receipt {
  return { items: [], answers: [] };
}
