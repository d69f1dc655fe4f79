import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { InputError } from '../errors/index.js';
import { timeBucketsBetween, type Database, type SubjectSearch } from '../store/index.js';
import { readClientAddressInput } from './client-address.js';
import type { DeliveryFilter } from './delivery-types.js';

/** What a query needs to know of its store and tenant. */
export interface QueryScope {
  db: Kysely<Database>;
  tenantId: string;
  subjects: SubjectSearch;
}

/**
 * How a search reads the table. `days` lists the days a day-led index
 * (Message-ID, sender, recipient) is searched on, or is null when none is
 * used; `byTime` says whether `deliveries_time`, walked newest first, may
 * serve it.
 */
export interface SearchPlan {
  days: number[] | null;
  byTime: boolean;
}

/**
 * Past this many matching subjects, walking the deliveries newest first and
 * stopping at a page beats collecting every delivery of every subject and
 * sorting them: the word is common, so a page fills quickly.
 */
const MANY_SUBJECTS = 10_000;

/**
 * Day values bound in one search; SQLite binds at most 32,766 values. The
 * trace refuses times before 2000 or ahead of the clock, so its span stays
 * under this even when a recipient search names the days twice.
 */
const MAX_LISTED_DAYS = 30_000;

/** Words of a subject search, as the word index cuts them: letters and digits. */
export function readSubjectWords(text: string): string[] {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) {
    throw new InputError(
      'TRACE_BAD_SUBJECT_WORDS',
      'subjectWords',
      'subjectWords: give at least one word of letters or digits',
    );
  }
  return words;
}

function usesDayLedIndex(filter: DeliveryFilter): boolean {
  return Boolean(
    filter.messageId || filter.sender !== undefined || filter.recipient || filter.queueId,
  );
}

/**
 * The days (time buckets) a search touches: the filter's own bounds, else
 * the oldest and newest delivery stored. The day-led indexes are searched
 * once per day, so the list is what makes a search by Message-ID or address
 * an index search.
 */
async function findSearchDays(scope: QueryScope, filter: DeliveryFilter): Promise<number[]> {
  let fromMs = filter.afterMs;
  let toMs = filter.beforeMs === undefined ? undefined : filter.beforeMs - 1;
  if (fromMs === undefined || toMs === undefined) {
    // Two subqueries: SQLite answers a lone min() or max() from the index
    // in one step, but both in one query read every row of the tenant.
    const ofTenant = scope.db.selectFrom('deliveries').where('tenant_id', '=', scope.tenantId);
    const span = await scope.db
      .selectNoFrom([
        ofTenant.select((eb) => eb.fn.min('time_ms').as('t')).as('first'),
        ofTenant.select((eb) => eb.fn.max('time_ms').as('t')).as('last'),
      ])
      .executeTakeFirst();
    if (span?.first === null || span?.first === undefined) return [];
    fromMs = Math.max(fromMs ?? Number(span.first), Number(span.first));
    toMs = Math.min(toMs ?? Number(span.last), Number(span.last));
  }
  return fromMs > toMs ? [] : timeBucketsBetween(fromMs, toMs);
}

async function hasFewSubjects(scope: QueryScope, text: string): Promise<boolean> {
  const count = scope.subjects.countWithWords(scope.tenantId, readSubjectWords(text));
  const row = await scope.db.selectNoFrom(count.as('n')).executeTakeFirst();
  return Number(row?.n ?? 0) <= MANY_SUBJECTS;
}

/** Decides which index serves `filter`; see SearchPlan. */
export async function planSearch(scope: QueryScope, filter: DeliveryFilter): Promise<SearchPlan> {
  if (usesDayLedIndex(filter)) return { days: await findSearchDays(scope, filter), byTime: false };
  if (filter.subjectWords && (await hasFewSubjects(scope, filter.subjectWords))) {
    return { days: null, byTime: false };
  }
  return { days: null, byTime: true };
}

/** The tenant's deliveries matching every filter given, read the way `plan` says. */
export function selectMatching(scope: QueryScope, filter: DeliveryFilter, plan: SearchPlan) {
  const { tenantId, subjects } = scope;
  let q = scope.db.selectFrom('deliveries');
  // SQLite would take deliveries_time for any search (tenant first, already in
  // ORDER BY order) and read a month of rows to find one recipient; a tenant
  // test no index can serve leaves it the index the plan means.
  q = plan.byTime
    ? q.where('tenant_id', '=', tenantId)
    : q.where(sql<boolean>`${sql.ref('tenant_id')} || '' = ${tenantId}`);
  const recipient = filter.recipient?.trim().toLowerCase();
  if (plan.days !== null && recipient) {
    // The mailbox, or the alias or list address it was reached through: each
    // side of the OR names the days, so each is served by its own index.
    const days = plan.days;
    q = q.where((eb) =>
      eb.or([
        eb.and([onDays(eb, days, 2), eb('recipient', '=', recipient)]),
        eb.and([onDays(eb, days, 2), eb('original_recipient', '=', recipient)]),
      ]),
    );
  } else if (plan.days !== null) {
    const days = plan.days;
    q = q.where((eb) => onDays(eb, days, 1));
  } else if (recipient) {
    q = q.where((eb) =>
      eb.or([eb('recipient', '=', recipient), eb('original_recipient', '=', recipient)]),
    );
  }
  if (filter.messageId) q = q.where('message_id', '=', filter.messageId);
  // The empty sender is a filter too: the null sender of bounces.
  if (filter.sender !== undefined) q = q.where('sender', '=', filter.sender.trim().toLowerCase());
  if (filter.queueId) q = q.where('queue_id', '=', filter.queueId.trim());
  if (filter.clientAddress) {
    // Stored in the same form (delivery-rows.ts): `2001:DB8:0::25` finds `2001:db8::25`.
    const address = readClientAddressInput(filter.clientAddress) ?? filter.clientAddress.trim();
    q = q.where('client_address', '=', address);
  }
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.afterMs !== undefined) q = q.where('time_ms', '>=', filter.afterMs);
  if (filter.beforeMs !== undefined) q = q.where('time_ms', '<', filter.beforeMs);
  if (filter.subject) q = q.where(subjects.contains(tenantId, filter.subject));
  if (filter.subjectWords) {
    q = q.where(subjects.hasWords(tenantId, readSubjectWords(filter.subjectWords)));
  }
  return q;
}

/**
 * `time_bucket` in `days`: listed one by one, or, when the query would bind
 * more values than SQLite takes (the list appears `times` times), as a range,
 * read through, which still answers.
 */
function onDays(eb: ExpressionBuilder<Database, 'deliveries'>, days: number[], times: number) {
  if (days.length * times <= MAX_LISTED_DAYS) return eb('time_bucket', 'in', days);
  return eb.and([eb('time_bucket', '>=', days[0]!), eb('time_bucket', '<=', days.at(-1)!)]);
}

/** `ORDER BY time DESC, id DESC` after the cursor row, for keyset pagination. */
export function isBefore(cursor: { timeMs: number; id: number }) {
  return sql<boolean>`(time_ms < ${cursor.timeMs} OR (time_ms = ${cursor.timeMs} AND id < ${cursor.id}))`;
}
