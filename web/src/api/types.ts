/** The API's JSON shapes as the portal reads them (see GET /api/openapi.json). */

export type Role = 'admin' | 'analyst' | 'auditor';

export type Permission =
  | 'domains:read'
  | 'domains:write'
  | 'trace:read'
  | 'trace:write'
  | 'retractions:read'
  | 'retractions:write'
  | 'audit:read'
  | 'users:manage'
  | 'tokens:manage';

/** GET /api/v1/session: who is calling. */
export interface SessionInfo {
  kind: 'session' | 'token';
  name: string;
  role: Role;
  csrfToken?: string;
}

export interface DomainView {
  name: string;
  soapUrl: string;
  soapUrlKind: 'user' | 'admin';
  /** The key itself is write-only and never comes back. */
  keyStatus: { setAt: string; fingerprint: string; summary: string };
  caSubjects: string[];
  maxConcurrency: number;
  createdAt: string;
  updatedAt: string;
}

export type CheckName = 'dns' | 'tls' | 'clock' | 'endpoint' | 'preauth';

export interface ConnectionCheck {
  name: CheckName | string;
  ok: boolean;
  summary: string;
  advice?: string;
  details?: Record<string, unknown>;
}

export interface ConnectionReport {
  domain: string;
  ok: boolean;
  checks: ConnectionCheck[];
  /** The configured SOAP URL. */
  soapUrl: string;
  /** The URL that accepted the PreAuth login; null when none did. */
  soapUrlAnswered: string | null;
  /** The other URL form, when it is the one that accepted the login. */
  alternativeUrl?: string;
  egressAddress: string | null;
  rttMs: number | null;
  /** Zimbra's clock minus Retract's, ms. */
  clockSkewMs: number | null;
  /** What a failed PreAuth login costs. */
  warning: string;
}

export interface Delivery {
  time: string;
  messageId: string | null;
  queueId: string;
  sender: string;
  headerFrom: string | null;
  clientAddress: string | null;
  recipient: string;
  subject: string | null;
  status: string;
  relay: string | null;
  detail: string | null;
}

/** One message of the Mail Query; mail that carried no Message-ID is keyed by its queue id. */
export interface MessageReach {
  messageId: string | null;
  /** Set when messageId is null. */
  queueId: string | null;
  sender: string;
  /** Mailboxes it was delivered to (status delivered); 0 when it reached none. */
  recipients: number;
  /** Recipients whatever their status. */
  allRecipients: number;
  /** Recipients per status, statuses with none left out. */
  byStatus: Record<string, number>;
  subject: string | null;
  /** ISO 8601: its earliest delivery, whatever the status. */
  firstSeen: string;
  /** ISO 8601: its earliest delivery with status delivered; null when none was. */
  firstDelivered: string | null;
}

export type RetractionAction = 'quarantine' | 'trash' | 'delete';

export interface RetractionCounts {
  mailboxes: number;
  retracted: number;
  not_found: number;
  failed: number;
  found: number;
  cancelled: number;
  restored: number;
  pending: number;
  copies: number;
}

export interface ReceiptItem {
  id: string;
  folderBefore: string;
  folderAfter: string | null;
  outcome: string;
  restoredTo?: string;
  restoreOutcome?: string;
}

export interface MailboxError {
  class: string;
  code: string;
  message: string;
}

export interface MailboxReport {
  account: string;
  status: string;
  copies: number;
  items: ReceiptItem[];
  error?: MailboxError;
}

export interface RetractionSummary {
  id: string;
  messageId: string;
  action: RetractionAction;
  dryRun: boolean;
  status: string;
  restoreStatus: string | null;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  counts?: RetractionCounts;
}

export interface RetractionDetail extends RetractionSummary {
  counts: RetractionCounts;
  /** Whether the server is running it or its restore right now. */
  busy: boolean;
}

export interface CreatedRetraction {
  id: string;
  messageId: string;
  mailboxes: number;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export interface UserView {
  id: string;
  name: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export type DeliveryStatus = 'delivered' | 'deferred' | 'bounced' | 'expired' | 'filtered';

/** The trace filters, as the query string and a retraction's `traceQuery` take them. */
export interface TraceFilter {
  messageId?: string;
  sender?: string;
  recipient?: string;
  subject?: string;
  subjectWords?: string;
  clientAddress?: string;
  queueId?: string;
  status?: DeliveryStatus;
  /** ISO 8601 or an age such as 7d. */
  after?: string;
  before?: string;
}

/** What POST /api/v1/trace/imports read and wrote. */
export interface ImportReport {
  name: string;
  lines: number;
  deliveries: number;
  delivered: number;
  deferred: number;
  rejected: number;
  filtered: number;
  added: number;
  updated: number;
  duplicates: number;
  unparsed: number;
  unparsedSample: string[];
  seconds: number;
  linesPerSecond: number;
}

export interface TokenView {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}
