import { InputError } from '../errors/index.js';
import { isCalendarDate } from './time-bounds.js';

const AGE_UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Reads a time a person typed: an ISO 8601 date or date-time
 * (`2026-12-01`, `2026-12-01T08:00:00Z`) or an age before `nowMs`
 * (`30m`, `12h`, `7d`). Returns epoch ms.
 *
 * @throws InputError `INPUT_BAD_TIME` naming `field`.
 */
export function parseTimeInput(text: string, field: string, nowMs: number): number {
  const age = /^(\d{1,6})([mhd])$/.exec(text.trim());
  if (age) return nowMs - Number(age[1]) * AGE_UNITS_MS[age[2] as 'm' | 'h' | 'd'];

  const ms = isCalendarDate(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (Number.isNaN(ms)) {
    throw new InputError(
      'INPUT_BAD_TIME',
      field,
      `${field}: "${text.slice(0, 40)}" is not a time; use 2026-12-01, 2026-12-01T08:00:00Z or 7d`,
    );
  }
  return ms;
}

/**
 * Checks that a time range can hold anything: `after` before `before`.
 *
 * @throws InputError `INPUT_BAD_RANGE` naming `beforeField`.
 */
export function checkTimeRange(
  afterMs: number | undefined,
  beforeMs: number | undefined,
  afterField: string,
  beforeField: string,
): void {
  if (afterMs === undefined || beforeMs === undefined || afterMs < beforeMs) return;
  throw new InputError(
    'INPUT_BAD_RANGE',
    beforeField,
    `${beforeField}: is not later than ${afterField}, so nothing could match`,
  );
}
