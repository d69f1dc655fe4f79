import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  PostfixLogParser,
  type ParsedDelivery,
  type PostfixLogParserOptions,
  type PostfixLogStats,
} from '../../src/trace/index.js';

/** Reference "now" for fixtures written on 4 December 2026. */
export const DEC_4_2026_EVENING_UTC = Date.UTC(2026, 11, 4, 20, 0, 0);

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/mta-logs/${name}`, import.meta.url));
}

export function readFixtureLines(name: string): string[] {
  return readFileSync(fixturePath(name), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

export interface FixtureRun {
  records: ParsedDelivery[];
  stats: PostfixLogStats;
}

/** Feeds a fixture through a fresh parser, collecting every record it emits in order. */
export function parseFixture(name: string, options: PostfixLogParserOptions = {}): FixtureRun {
  const parser = new PostfixLogParser({ now: () => DEC_4_2026_EVENING_UTC, ...options });
  const records = readFixtureLines(name).flatMap((line) => parser.push(line));
  return { records, stats: parser.stats };
}

/** What the store keeps after upserting on (queueId, recipient): the last record wins. */
export function upsertByQueueAndRecipient(records: ParsedDelivery[]): ParsedDelivery[] {
  const rows = new Map<string, ParsedDelivery>();
  for (const record of records) rows.set(`${record.queueId} ${record.recipient}`, record);
  return [...rows.values()];
}
