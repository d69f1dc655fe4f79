import type { ItemOutcome, Receipt, ReceiptItem, ZimbraAnswer } from './types.js';

/** Answers kept per receipt; a pathological mailbox must not bloat the store. */
const MAX_ANSWERS = 40;

export interface Hit {
  id: string;
  folderId: string;
}

/**
 * Adds hits the receipt has not seen. A copy seen before keeps the folder it
 * was first found in: after a crash mid-action the search shows it in
 * quarantine, but restore must put it back where the user had it.
 */
export function mergeHits(receipt: Receipt, hits: readonly Hit[]): ReceiptItem[] {
  const known = new Set(receipt.items.map((i) => i.id));
  const added = hits
    .filter((h) => !known.has(h.id))
    .map((h) => ({
      id: h.id,
      folderBefore: h.folderId,
      folderAfter: null,
      outcome: 'pending' as const,
    }));
  receipt.items.push(...added);
  return added;
}

export function setOutcome(
  receipt: Receipt,
  ids: Iterable<string>,
  outcome: ItemOutcome,
  folderAfter: string | null,
): void {
  const wanted = new Set(ids);
  for (const item of receipt.items) {
    if (!wanted.has(item.id)) continue;
    item.outcome = outcome;
    item.folderAfter = folderAfter;
  }
}

export function recordAnswer(receipt: Receipt, answer: ZimbraAnswer): void {
  receipt.answers.push(answer);
  if (receipt.answers.length > MAX_ANSWERS)
    receipt.answers.splice(0, receipt.answers.length - MAX_ANSWERS);
}

/** Items whose copy Retract moved or trashed, and so can put back. */
export function restorableItems(receipt: Receipt): ReceiptItem[] {
  return receipt.items.filter((i) => i.outcome === 'moved' || i.outcome === 'trashed');
}
