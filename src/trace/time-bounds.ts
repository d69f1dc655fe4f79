/** No mail server log Retract reads predates this. */
export const EARLIEST_TRACE_MS = Date.UTC(2000, 0, 1);

/** How far ahead of Retract's clock a delivery time may be (a server's clock running fast). */
export const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a delivery time is one a log or gateway can mean. A time far off
 * (a garbled line, a gateway's bug) is refused: it would sort above every
 * real delivery and stretch each search over all the days between.
 */
export function isPlausibleTraceTime(timeMs: number, nowMs: number): boolean {
  return timeMs >= EARLIEST_TRACE_MS && timeMs <= nowMs + FUTURE_SLACK_MS;
}

/** Whether the `YYYY-MM-DD` at the start of `text` is a real calendar day (not 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}
