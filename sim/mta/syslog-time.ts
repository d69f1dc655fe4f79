const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How a log line's timestamp is written. */
export type SyslogTimestamps = 'bsd' | 'rfc3339';

const two = (n: number) => String(n).padStart(2, '0');

/** Classic syslog `Dec  4 15:56:36` (day space-padded, no year), in UTC. */
export function formatBsdTime(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${MONTHS[d.getUTCMonth()]} ${day} ${time}`;
}

/** rsyslog's high-precision form `2026-12-04T15:56:36.123456+00:00`, in UTC. */
export function formatRfc3339Time(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString().slice(0, 19);
  const fraction = String((ms % 1000) * 1000 + (micros % 1000)).padStart(6, '0');
  return `${iso}.${fraction}+00:00`;
}
