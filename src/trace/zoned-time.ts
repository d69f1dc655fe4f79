import { InputError } from '../errors/index.js';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  try {
    // h23 because some ICU versions print midnight as hour 24 under hour12: false.
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (cause) {
    throw badTimeZone(timeZone, 'timeZone', cause);
  }
}

/** Names the field as the caller knows it: `timeZone` in the API, `--time-zone` on the command line. */
function badTimeZone(timeZone: string, field: string, cause: unknown): InputError {
  const shown = JSON.stringify(timeZone.slice(0, 64));
  return new InputError(
    'TRACE_BAD_TIME_ZONE',
    field,
    `${field}: ${shown} is not a time zone this system knows; use an IANA name such as UTC or Europe/Berlin`,
    cause,
  );
}

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = createFormatter(timeZone);
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Checks that `timeZone` is an IANA zone this runtime knows.
 *
 * @throws InputError `TRACE_BAD_TIME_ZONE` naming `field` (default `timeZone`).
 */
export function assertTimeZone(timeZone: string, field = 'timeZone'): void {
  try {
    getFormatter(timeZone);
  } catch (err) {
    if (field === 'timeZone') throw err;
    throw badTimeZone(timeZone, field, err);
  }
}

/** The wall clock of `epochMs` in `timeZone`, written as if it were UTC, in whole seconds. */
function readWallMs(timeZone: string, epochMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of getFormatter(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** How far `timeZone` is ahead of UTC at the instant `epochMs`, in ms. */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const wholeSecondMs = Math.floor(epochMs / 1000) * 1000;
  return readWallMs(timeZone, wholeSecondMs) - wholeSecondMs;
}

/** The calendar year at instant `epochMs` in `timeZone`. */
export function zonedYear(timeZone: string, epochMs: number): number {
  return new Date(readWallMs(timeZone, epochMs)).getUTCFullYear();
}

/**
 * The instants at which the wall clock of `timeZone` reads `wallMs` (a wall
 * time written as if it were UTC), earliest first. Two in the hour a DST
 * change repeats; in the hour it skips there is none, and the pre-change
 * offset is used, which moves the time forward as the clock did.
 */
export function wallTimeToEpochMs(timeZone: string, wallMs: number): number[] {
  const before = zoneOffsetMs(timeZone, wallMs - DAY_MS);
  const after = zoneOffsetMs(timeZone, wallMs + DAY_MS);
  const offsets = before === after ? [before] : [before, after];

  const instants = offsets
    .map((offset) => wallMs - offset)
    .filter((instant) => zoneOffsetMs(timeZone, instant) === wallMs - instant)
    .sort((a, b) => a - b);
  return instants.length > 0 ? instants : [wallMs - before];
}
