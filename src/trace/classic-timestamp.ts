import { assertTimeZone, wallTimeToEpochMs, zonedYear } from './zoned-time.js';

const DAY_MS = 86_400_000;
/** A line this far before the previous one is taken to be in the second pass of a repeated hour. */
const BACKSTEP_TOLERANCE_MS = 60_000;

export interface ClassicTimestampOptions {
  /** IANA zone the syslog daemon writes its wall clock in. */
  timeZone: string;
  /** The reference "now" (ms since epoch) the missing year is inferred against. */
  now: () => number;
}

function isRealDate(year: number, month0: number, day: number): boolean {
  return new Date(Date.UTC(year, month0, day)).getUTCDate() === day;
}

/**
 * Turns the year-less `Mmm dd hh:mm:ss` of a classic syslog line into ms since
 * epoch. The year is the current one in the zone, unless that puts the line
 * more than a day into the future: then it is the year before (a December line
 * read in January). Results are cached per minute, since a log holds thousands
 * of lines per minute and the zone lookups are the slow part.
 */
export class ClassicTimestampResolver {
  readonly #timeZone: string;
  readonly #now: () => number;
  #cachedKey = -1;
  #cachedMinuteStarts: number[] = [];
  #lastMs = Number.NEGATIVE_INFINITY;

  constructor(options: ClassicTimestampOptions) {
    assertTimeZone(options.timeZone);
    this.#timeZone = options.timeZone;
    this.#now = options.now;
  }

  /** `month0` is 0-11. Returns null for a date that exists in no recent year. */
  resolve(
    month0: number,
    day: number,
    hour: number,
    minute: number,
    second: number,
  ): number | null {
    const key = ((month0 * 32 + day) * 24 + hour) * 60 + minute;
    if (key !== this.#cachedKey) {
      this.#cachedMinuteStarts = this.#findMinuteStarts(month0, day, hour, minute);
      this.#cachedKey = key;
    }
    const starts = this.#cachedMinuteStarts;
    if (starts.length === 0) return null;

    let timeMs = (starts[0] as number) + second * 1000;
    const later = starts[1];
    if (later !== undefined && timeMs < this.#lastMs - BACKSTEP_TOLERANCE_MS) {
      timeMs = later + second * 1000;
    }
    this.#lastMs = timeMs;
    return timeMs;
  }

  #findMinuteStarts(month0: number, day: number, hour: number, minute: number): number[] {
    const nowMs = this.#now();
    let year = zonedYear(this.#timeZone, nowMs);
    let starts = this.#startsInYear(year, month0, day, hour, minute);
    if (starts.length > 0 && (starts[0] as number) > nowMs + DAY_MS) {
      year -= 1;
      starts = this.#startsInYear(year, month0, day, hour, minute);
    }
    // Feb 29 of a year that has none: the newest leap year before it.
    for (let tries = 0; starts.length === 0 && tries < 8; tries++) {
      year -= 1;
      starts = this.#startsInYear(year, month0, day, hour, minute);
    }
    return starts;
  }

  #startsInYear(year: number, month0: number, day: number, hour: number, minute: number): number[] {
    if (!isRealDate(year, month0, day)) return [];
    return wallTimeToEpochMs(this.#timeZone, Date.UTC(year, month0, day, hour, minute));
  }
}
