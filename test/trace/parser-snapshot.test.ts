import { describe, expect, it } from 'vitest';
import { PostfixLogParser, type QueueSnapshot } from '../../src/trace/index.js';
import { DEC_4_2026_EVENING_UTC, readFixtureLines } from './parse-fixture.js';

const FIXTURES = [
  'multi-recipient.log',
  'deferred-bounced.log',
  'content-filter.log',
  'encoded-headers.log',
  'no-message-id.log',
  'filter-drop.log',
];
const options = { now: () => DEC_4_2026_EVENING_UTC };

describe('PostfixLogParser snapshots', () => {
  it('continues from a snapshot taken after any line exactly as one parser would', () => {
    for (const name of FIXTURES) {
      const lines = readFixtureLines(name);
      const whole = new PostfixLogParser(options);
      const expected = lines.flatMap((line) => whole.push(line));

      for (let cut = 0; cut <= lines.length; cut++) {
        const before = new PostfixLogParser(options);
        const head = lines.slice(0, cut).flatMap((line) => before.push(line));
        // Through JSON, as trace follow stores it.
        const snapshot = JSON.parse(JSON.stringify(before.snapshot())) as QueueSnapshot;
        const after = new PostfixLogParser({ ...options, snapshot });
        const tail = lines.slice(cut).flatMap((line) => after.push(line));
        expect([...head, ...tail], `${name} cut after line ${cut}`).toEqual(expected);
      }
    }
  });

  it('keeps a closed first hop a re-queued copy still points to', () => {
    const lines = readFixtureLines('content-filter.log');
    const cut = lines.findIndex((l) => l.includes('3A4B5C6D7E: removed')) + 1;
    const parser = new PostfixLogParser(options);
    lines.slice(0, cut).forEach((line) => parser.push(line));
    const snapshot = parser.snapshot();

    const child = snapshot.entries.find((e) => e.queueId === '8F9A0B1C2D');
    expect(child?.parent).not.toBeNull();
    expect(snapshot.entries[child!.parent!]?.messageId).toBe('invoice-8841@phish.test');
  });
});
