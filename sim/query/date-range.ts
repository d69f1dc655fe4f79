/**
 * Date terms with zm-mailbox DateQuery semantics: a value names a unit [begin, end)
 * (one second for epoch ms, a day for `mm/dd/yyyy`), then
 * `before:`/`<` → d < begin, `<=` → d < end, `>=` → d >= begin,
 * `after:`/`>` → d >= end, `date:` → begin <= d < end. Calendar maths is in UTC.
 */
export interface DateRange {
  /** Inclusive lower bound, epoch ms. */
  low?: number;
  /** Exclusive upper bound, epoch ms. */
  high?: number;
}

export type DateTermKind = 'after' | 'before' | 'date';

const RELATIVE = /^([+-])([0-9]+)(mi|minutes?|hours?|days?|weeks?|months?|years?|[mhdwy])?$/;
const DAY_MS = 86_400_000;

type Unit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

function unitOf(text: string | undefined): Unit {
  if (text === undefined) return 'day';
  if (text.startsWith('mi')) return 'minute';
  const map: Record<string, Unit> = { m: 'month', h: 'hour', d: 'day', w: 'week', y: 'year' };
  return map[text.charAt(0)] ?? 'day';
}

/** Truncates `date` to the start of its unit, as DateQuery clears the lower fields. */
function truncate(date: Date, unit: Unit): void {
  if (unit === 'year') date.setUTCMonth(0);
  if (unit === 'year' || unit === 'month') date.setUTCDate(1);
  if (unit === 'week') date.setUTCDate(date.getUTCDate() - date.getUTCDay());
  if (unit !== 'minute' && unit !== 'hour') date.setUTCHours(0);
  if (unit !== 'minute') date.setUTCMinutes(0);
  date.setUTCSeconds(0, 0);
}

function add(date: Date, unit: Unit, amount: number): void {
  if (unit === 'minute') date.setUTCMinutes(date.getUTCMinutes() + amount);
  else if (unit === 'hour') date.setUTCHours(date.getUTCHours() + amount);
  else if (unit === 'day') date.setUTCDate(date.getUTCDate() + amount);
  else if (unit === 'week') date.setUTCDate(date.getUTCDate() + 7 * amount);
  else if (unit === 'month') date.setUTCMonth(date.getUTCMonth() + amount);
  else date.setUTCFullYear(date.getUTCFullYear() + amount);
}

function relativeUnit(text: string, nowMs: number): [number, number] | undefined {
  const match = RELATIVE.exec(text);
  if (match === null) return undefined;
  const unit = unitOf(match[3]);
  const amount = Number(match[2]) * (match[1] === '-' ? -1 : 1);
  const date = new Date(nowMs);
  truncate(date, unit);
  add(date, unit, amount);
  const begin = date.getTime();
  add(date, unit, 1);
  return [begin, date.getTime()];
}

function absoluteUnit(text: string): [number, number] | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (match === null) return undefined;
  const begin = Date.UTC(Number(match[3]), Number(match[1]) - 1, Number(match[2]));
  return Number.isNaN(begin) ? undefined : [begin, begin + DAY_MS];
}

function unitRange(text: string, nowMs: number): [number, number] | undefined {
  if (/^[0-9]+$/.test(text)) return [Number(text), Number(text) + 1000];
  const lower = text.toLowerCase();
  if (lower === 'today') return relativeUnit('-0d', nowMs);
  if (lower === 'yesterday') return relativeUnit('-1d', nowMs);
  return relativeUnit(text, nowMs) ?? absoluteUnit(text);
}

/** Parses a date term value; undefined when it cannot be read. */
export function parseDateTerm(
  kind: DateTermKind,
  rawValue: string,
  nowMs: number,
): DateRange | undefined {
  const value = rawValue.endsWith(',') ? rawValue.slice(0, -1) : rawValue;
  const op = /^(<=|>=|<|>)/.exec(value)?.[1];
  if (op !== undefined && kind !== 'date') return undefined;

  const unit = unitRange(value.slice(op?.length ?? 0), nowMs);
  if (unit === undefined) return undefined;
  const [begin, end] = unit;

  const effective = op ?? (kind === 'before' ? '<' : kind === 'after' ? '>' : '=');
  if (effective === '<') return { high: begin };
  if (effective === '<=') return { high: end };
  if (effective === '>=') return { low: begin };
  if (effective === '>') return { low: end };
  return { low: begin, high: end };
}

export function isInRange(ms: number, range: DateRange): boolean {
  if (range.low !== undefined && ms < range.low) return false;
  if (range.high !== undefined && ms >= range.high) return false;
  return true;
}
