import { InputError } from '../errors/index.js';
import { normaliseMessageId } from '../trace/index.js';
import { RETRACTION_ACTIONS, type RetractionAction } from './types.js';

/** A retraction as a caller asks for it; every field is checked. */
export interface RetractionRequest {
  messageId: string;
  action?: string;
  dryRun?: boolean;
  /** Mailboxes to visit; when absent, the trace's recipients of the message. */
  recipients?: readonly string[];
}

export interface ParsedRetractionRequest {
  messageId: string;
  action: RetractionAction;
  dryRun: boolean;
  recipients: string[] | null;
}

const ADDRESS =
  /^[^\s@<>()",;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

export function parseRetractionRequest(input: RetractionRequest): ParsedRetractionRequest {
  const messageId = normaliseMessageId(input.messageId);
  const action = input.action ?? 'quarantine';
  if (!RETRACTION_ACTIONS.includes(action as RetractionAction)) {
    throw new InputError(
      'RETRACTION_BAD_ACTION',
      'action',
      `action: "${action}" is not one of ${RETRACTION_ACTIONS.join(', ')}`,
    );
  }
  return {
    messageId,
    action: action as RetractionAction,
    dryRun: input.dryRun ?? false,
    recipients: input.recipients ? parseRecipients(input.recipients) : null,
  };
}

function parseRecipients(list: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of list) {
    const address = raw.trim().toLowerCase();
    if (address === '') continue;
    if (!ADDRESS.test(address)) {
      throw new InputError(
        'RETRACTION_BAD_RECIPIENT',
        'recipients',
        `recipients: "${raw.trim()}" is not a mailbox address such as alice@example.com`,
      );
    }
    seen.add(address);
  }
  if (seen.size === 0) {
    throw new InputError('RETRACTION_BAD_RECIPIENT', 'recipients', 'recipients: the list is empty');
  }
  return [...seen];
}
