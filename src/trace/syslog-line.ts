import { ClassicTimestampResolver } from './classic-timestamp.js';
import { wallTimeToEpochMs } from './zoned-time.js';
import { isPlausibleTraceTime } from './time-bounds.js';

/** One syslog line taken apart. */
export interface SyslogLine {
  timeMs: number;
  host: string;
  /** The tag without its pid: `postfix/submission/smtpd`; '' when the line has none. */
  tag: string;
  /** Last part of the tag: `smtpd`, `lmtp`, `amavis`. */
  program: string;
  /** Postfix's syslog_name, the tag before the program: `postfix/submission`; null without a `/`. */
  syslogName: string | null;
  /** The master.cf service between the first and last part (`submission`, `amavisd`), else null. */
  service: string | null;
  pid: number | null;
  /** The message after `tag[pid]: `. */
  text: string;
  /** rsyslog `message repeated N times: [...]` or sysklogd `last message repeated N times`. */
  isRepeatNotice: boolean;
}

export interface SyslogLineOptions {
  /** IANA zone of classic (year-less, offset-less) timestamps. Default 'UTC'. */
  timeZone?: string;
  /** Reference clock for the missing year, ms since epoch. Default Date.now. */
  now?: () => number;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** The number written in `length` ASCII digits at `start`, or -1. */
function readDigits(line: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    // Past the end charCodeAt gives NaN, which fails both comparisons: test for inside.
    const digit = line.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isRepeatNotice(text: string): boolean {
  return text.startsWith('message repeated ') || text.startsWith('last message repeated ');
}

interface Stamp {
  timeMs: number;
  /** Index of the space after the timestamp. */
  end: number;
}

/**
 * Parses syslog lines in both forms rsyslog writes, which may be mixed in one
 * file: classic `Dec  4 15:56:36 host tag[pid]: text` (no year, wall clock of
 * the configured zone) and RFC 3339 `2026-12-04T15:56:36.123456+00:00 host tag[pid]: text`.
 * Written with index arithmetic rather than one big regex: it runs on every line.
 */
export class SyslogLineParser {
  readonly #classic: ClassicTimestampResolver;
  readonly #timeZone: string;
  readonly #now: () => number;
  #zonedMinuteMs = Number.NaN;
  #zonedMinuteStartMs = 0;

  /** @throws InputError `TRACE_BAD_TIME_ZONE` for an unknown zone. */
  constructor(options: SyslogLineOptions = {}) {
    this.#timeZone = options.timeZone ?? 'UTC';
    this.#now = options.now ?? Date.now;
    this.#classic = new ClassicTimestampResolver({
      timeZone: this.#timeZone,
      now: options.now ?? Date.now,
    });
  }

  /** The parts of `line`, or null when it is not a syslog line. */
  parse(line: string): SyslogLine | null {
    const stamp = this.#readClassic(line) ?? this.#readRfc3339(line);
    if (stamp === null) return null;

    let hostStart = stamp.end;
    while (line.charCodeAt(hostStart) === 32) hostStart++;
    const hostEnd = line.indexOf(' ', hostStart);
    if (hostEnd <= hostStart) return null;
    return this.#readTagged(line, stamp.timeMs, line.slice(hostStart, hostEnd), hostEnd + 1);
  }

  #readTagged(line: string, timeMs: number, host: string, start: number): SyslogLine {
    const colon = line.indexOf(': ', start);
    const space = line.indexOf(' ', start);
    if (colon <= start || (space !== -1 && space < colon)) {
      const text = line.slice(start);
      return untagged(timeMs, host, text);
    }

    let tagEnd = colon;
    let pid: number | null = null;
    if (line.charCodeAt(colon - 1) === 93 /* ] */) {
      const open = line.lastIndexOf('[', colon);
      if (open > start) {
        pid = Number(line.slice(open + 1, colon - 1));
        tagEnd = open;
      }
    }
    const tag = line.slice(start, tagEnd);
    const text = line.slice(colon + 2);
    return { timeMs, host, text, isRepeatNotice: isRepeatNotice(text), ...splitTag(tag), pid };
  }

  #readClassic(line: string): Stamp | null {
    const month0 = MONTHS[line.slice(0, 3)];
    if (month0 === undefined || line.charCodeAt(3) !== 32 || line.charCodeAt(6) !== 32) return null;
    const day = line.charCodeAt(4) === 32 ? readDigits(line, 5, 1) : readDigits(line, 4, 2);
    const hour = readDigits(line, 7, 2);
    const minute = readDigits(line, 10, 2);
    const second = readDigits(line, 13, 2);
    if (day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
    if (second < 0 || second > 60 || line[9] !== ':' || line[12] !== ':') return null;
    // A fraction of a second (`09:00:00.123456`: journalctl -o short-precise,
    // rsyslog's high-precision classic templates) is kept to the millisecond.
    let end = 15;
    let fractionMs = 0;
    if (line.charCodeAt(15) === 46 /* . */) {
      end = 16;
      while (end < 25 && isDigit(line.charCodeAt(end))) end++;
      if (end === 16) return null;
      fractionMs = Math.floor(Number(`0.${line.slice(16, end)}`) * 1000);
    }
    if (line.charCodeAt(end) !== 32) return null;

    const timeMs = this.#classic.resolve(month0, day, hour, minute, Math.min(second, 59));
    return timeMs === null ? null : { timeMs: timeMs + fractionMs, end };
  }

  #readRfc3339(line: string): Stamp | null {
    if (line[4] !== '-' || line[7] !== '-' || line[10] !== 'T') return null;
    if (line[13] !== ':' || line[16] !== ':') return null;
    const year = readDigits(line, 0, 4);
    const month = readDigits(line, 5, 2);
    const day = readDigits(line, 8, 2);
    const hour = readDigits(line, 11, 2);
    const minute = readDigits(line, 14, 2);
    const second = readDigits(line, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
      return null;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
      return null;

    let pos = 19;
    let fractionMs = 0;
    if (line[pos] === '.') {
      const start = ++pos;
      while (readDigits(line, pos, 1) >= 0) pos++;
      fractionMs = pos > start ? Number(`0.${line.slice(start, pos)}`) * 1000 : 0;
    }
    const wallMs = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
    const stamp = this.#applyOffset(line, pos, wallMs + Math.floor(fractionMs));
    // Only a stamp with a year can be far off: a year-less one is placed in the last year.
    return stamp !== null && isPlausibleTraceTime(stamp.timeMs, this.#now()) ? stamp : null;
  }

  /** A wall time without offset, read in the configured zone; the zone lookup is cached per minute. */
  #fromZonedWall(wallMs: number): number {
    const minuteMs = wallMs - (wallMs % 60_000);
    if (minuteMs !== this.#zonedMinuteMs) {
      this.#zonedMinuteStartMs = wallTimeToEpochMs(this.#timeZone, minuteMs)[0] as number;
      this.#zonedMinuteMs = minuteMs;
    }
    return this.#zonedMinuteStartMs + (wallMs - minuteMs);
  }

  /** Reads `Z`, `+hh:mm`, `-hhmm` or nothing (then the configured zone) at `pos`. */
  #applyOffset(line: string, pos: number, wallMs: number): Stamp | null {
    const sign = line[pos];
    if (sign === 'Z')
      return line.charCodeAt(pos + 1) === 32 ? { timeMs: wallMs, end: pos + 1 } : null;
    if (sign === ' ') return { timeMs: this.#fromZonedWall(wallMs), end: pos };
    if (sign !== '+' && sign !== '-') return null;

    const hours = readDigits(line, pos + 1, 2);
    const colon = line[pos + 3] === ':' ? 1 : 0;
    const minutes = readDigits(line, pos + 3 + colon, 2);
    const end = pos + 5 + colon;
    if (hours < 0 || minutes < 0 || line.charCodeAt(end) !== 32) return null;
    const offsetMs = (hours * 60 + minutes) * 60_000 * (sign === '+' ? 1 : -1);
    return { timeMs: wallMs - offsetMs, end };
  }
}

function untagged(timeMs: number, host: string, text: string): SyslogLine {
  return {
    timeMs,
    host,
    text,
    isRepeatNotice: isRepeatNotice(text),
    tag: '',
    program: '',
    syslogName: null,
    service: null,
    pid: null,
  };
}

function splitTag(tag: string): Pick<SyslogLine, 'tag' | 'program' | 'syslogName' | 'service'> {
  const last = tag.lastIndexOf('/');
  if (last === -1) return { tag, program: tag, syslogName: null, service: null };
  const first = tag.indexOf('/');
  return {
    tag,
    program: tag.slice(last + 1),
    syslogName: tag.slice(0, last),
    service: first === last ? null : tag.slice(first + 1, last),
  };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year`; arithmetic, as it runs on every RFC 3339 line. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}
