import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as users from './0002-users.js';
import * as trace from './0003-trace.js';
import * as leases from './0004-leases.js';
import * as pacing from './0005-domain-pacing.js';
import * as originalRecipient from './0006-original-recipient.js';

/** Every migration, in order. Names never change once released. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': initial,
  '0002-users': users,
  '0003-trace': trace,
  '0004-leases': leases,
  '0005-domain-pacing': pacing,
  '0006-original-recipient': originalRecipient,
});
