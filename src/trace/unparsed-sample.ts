/** The longest an unreadable line is kept in an import report's sample, the cut mark included. */
export const MAX_SAMPLE_CHARS = 500;

/**
 * `line` as an import report samples it: whole when short, else its start
 * and a mark with its full length (`… (3145728 characters)`), at most
 * MAX_SAMPLE_CHARS in all, so a multi-megabyte junk line neither floods a
 * terminal nor bloats the report.
 */
export function toSampleLine(line: string): string {
  if (line.length <= MAX_SAMPLE_CHARS) return line;
  const mark = `… (${line.length} characters)`;
  let end = MAX_SAMPLE_CHARS - mark.length;
  // Never keep half of a surrogate pair.
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return line.slice(0, end) + mark;
}
