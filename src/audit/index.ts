/** The audit layer: an append-only, hash-chained record of who did what. */
export { AuditLog, GENESIS_HASH } from './audit-log.js';
export type { AuditEntry, AuditFilter, AuditRecord, ChainCheck } from './audit-log.js';
