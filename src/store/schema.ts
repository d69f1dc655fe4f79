import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The tables, as Kysely sees them. Times are integer epoch milliseconds in
 * every table; JSON documents are stored as text and parsed by the service
 * that owns them.
 */
export interface Database {
  tenants: TenantTable;
  domains: DomainTable;
  deliveries: DeliveryTable;
  retractions: RetractionTable;
  mailbox_tasks: MailboxTaskTable;
  audit_log: AuditLogTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  retraction_leases: RetractionLeaseTable;
  trace_subjects: TraceSubjectTable;
  trace_sources: TraceSourceTable;
}

export interface TenantTable {
  id: string;
  name: string;
  plan: string;
  created_at: number;
}

export interface DomainTable {
  id: string;
  tenant_id: string;
  name: string;
  soap_url: string;
  soap_url_kind: string;
  /** `v<keyVersion>:<iv>:<tag>:<ciphertext>`, base64 parts; see domains/key-vault.ts. */
  preauth_key_enc: string;
  key_fingerprint: string;
  key_set_at: number;
  ca_pem: string | null;
  max_concurrency: number;
  /** Null: the default pace; 0: no cap. */
  requests_per_second: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

export interface DeliveryTable {
  id: Generated<number>;
  tenant_id: string;
  time_ms: number;
  /** UTC day number, `floor(time_ms / 86_400_000)`: leads the indexes (see 0003-trace.ts). */
  time_bucket: number;
  message_id: string | null;
  /** As logged; null when that was `<message_id>`. */
  message_id_raw: string | null;
  queue_id: string;
  /** JSON array, first queue id (smtpd) to last. */
  queue_ids: string;
  /** Lower case, without <>; '' for the null sender. */
  sender: string;
  /** Lower case. */
  recipient: string;
  original_recipient: string | null;
  size_bytes: number | null;
  client_address: string | null;
  client_host: string | null;
  subject: string | null;
  /** As logged; null when it equals `subject`. */
  subject_raw: string | null;
  status: string;
  dsn: string | null;
  relay: string | null;
  detail: string | null;
  source: string;
  imported_at: number;
  /** The header From, when the MTA logged it (header_checks) or a gateway sent it. */
  header_from: string | null;
  /** `trace_subjects.id` of `subject`. */
  subject_id: number | null;
}

/** One distinct subject per tenant; word search runs on its FTS5 twin `trace_subject_words`. */
export interface TraceSubjectTable {
  id: Generated<number>;
  tenant_id: string;
  subject: string;
  /** Lower case, accents dropped (store/fold-text.ts), for substring search. */
  subject_folded: string;
}

/** Where `trace follow` stopped in one log file. */
export interface TraceSourceTable {
  tenant_id: string;
  name: string;
  /** `dev:inode` of the file read, to notice a rotation by rename. */
  file_id: string;
  offset_bytes: number;
  /** SHA-256 (hex) of the line that ends at `offset_bytes`, to notice a truncation. */
  line_hash: string;
  /** JSON snapshot of the parser's open queue entries. */
  parser_state: string;
  updated_at: number;
}

export interface RetractionTable {
  id: string;
  tenant_id: string;
  message_id: string;
  action: string;
  dry_run: number;
  status: string;
  requested_by: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  restore_status: string | null;
  restored_at: number | null;
}

export interface MailboxTaskTable {
  id: string;
  tenant_id: string;
  retraction_id: string;
  account: string;
  domain: string;
  state: string;
  attempt: number;
  error_class: string | null;
  error_code: string | null;
  error_message: string | null;
  /** JSON receipt; see retraction/receipt.ts. */
  receipt: string;
  created_at: number;
  updated_at: number;
}

export interface RetractionLeaseTable {
  retraction_id: string;
  tenant_id: string;
  /** `host:pid:instance` of the process working on the retraction. */
  owner: string;
  expires_at: number;
}

export interface AuditLogTable {
  seq: Generated<number>;
  tenant_id: string;
  at_ms: number;
  actor: string;
  action: string;
  target: string;
  /** JSON object. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface UserTable {
  id: string;
  tenant_id: string;
  name: string;
  role: string;
  /** argon2id PHC string. */
  password_hash: string;
  /** Base32 TOTP secret once confirmed; null when the user has no second factor. */
  totp_secret: string | null;
  /** A secret being enrolled, until the user proves it with a code. */
  totp_pending_secret: string | null;
  /** The last TOTP time step accepted, so a code cannot be replayed. */
  totp_last_step: number | null;
  disabled: number;
  failed_logins: number;
  locked_until: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionTable {
  /** SHA-256 (hex) of the session id; the id itself lives only in the cookie. */
  id_hash: string;
  tenant_id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ApiTokenTable {
  id: string;
  tenant_id: string;
  name: string;
  role: string;
  /** SHA-256 (hex) of the token; the token is shown once, at creation. */
  token_hash: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export type DomainRow = Selectable<DomainTable>;
export type NewDomainRow = Insertable<DomainTable>;
export type DeliveryRow = Selectable<DeliveryTable>;
export type NewDeliveryRow = Insertable<DeliveryTable>;
export type RetractionRow = Selectable<RetractionTable>;
export type MailboxTaskRow = Selectable<MailboxTaskTable>;
export type MailboxTaskUpdate = Updateable<MailboxTaskTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type TraceSourceRow = Selectable<TraceSourceTable>;
