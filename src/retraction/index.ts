/**
 * The retraction layer: plans a retraction, runs its mailbox tasks through
 * the state machine, keeps receipts, and restores.
 */
export { RetractionService } from './retraction-service.js';
export type {
  ProgressListener,
  RetractionEvent,
  RetractionEventListener,
  RetractionPlan,
  ResumeResult,
  RetractionServiceOptions,
  RetractionSettings,
} from './retraction-service.js';
export type { RetractionRequest } from './retraction-request.js';
export type { MailboxGateway, MailboxPort } from './mailbox-port.js';
export { INBOX_FOLDER_ID, TRASH_FOLDER_ID } from './mailbox-port.js';
export type { MailboxTask, Retraction } from './task-repo.js';
export type { MailboxReport, RetractionCounts, RetractionReport } from './report.js';
export { RETRACTION_ACTIONS, isDoneState } from './types.js';
export type { ItemOutcome, Receipt, ReceiptItem, RetractionAction, TaskState } from './types.js';
