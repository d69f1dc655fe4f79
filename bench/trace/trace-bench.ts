/**
 * `npm run bench:trace`: generates a Zimbra-style MTA log of 10 million
 * deliveries in a temporary folder, imports it the way `retract trace import`
 * does, and prints the import rates, the database size, peak memory and
 * the latency of the searches an analyst runs. Options:
 *   --deliveries N   log size (default 10,000,000)
 *   --days N         days the log spans (default 90); a smaller log over
 *                    fewer days keeps the load per day of the full run
 *   --dir PATH       work folder (default: a new one under the system temp dir)
 *   --keep           leave the log and database behind; a later run with the
 *                    same --dir and --deliveries reuses the log
 *   --runs N         searches timed per kind (default 300)
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, openSqliteStore } from '../../src/store/index.js';
import { DeliveryStore, importMtaLogs, type LogImportReport } from '../../src/trace/index.js';
import { Prng } from './log-vocabulary.js';
import { MtaLogGenerator, type GeneratedMtaLog } from './mta-log-generator.js';
import { timeSearches, type SearchKind } from './search-latency.js';

const DAY_MS = 86_400_000;
/** The log ends here; "now" for the import is an hour later. */
const END_MS = Date.UTC(2026, 10, 30, 23, 0, 0);

interface Options {
  deliveries: number;
  days: number;
  dir: string | null;
  keep: boolean;
  runs: number;
}

function readOptions(argv: string[]): Options {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  return {
    deliveries: Number(value('--deliveries') ?? 10_000_000),
    days: Number(value('--days') ?? 90),
    dir: value('--dir') ?? null,
    keep: argv.includes('--keep'),
    runs: Number(value('--runs') ?? 300),
  };
}

/** The log of the plan, reused when a kept one of the same size is there. */
function prepareLog(
  dir: string,
  deliveries: number,
  spanDays: number,
): { path: string; log: GeneratedMtaLog; seconds: number } {
  const path = join(dir, `zimbra-${deliveries}-${spanDays}d.log`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    return { path, log: JSON.parse(readFileSync(meta, 'utf8')) as GeneratedMtaLog, seconds: 0 };
  }
  const started = performance.now();
  const plan = { deliveries, endMs: END_MS, spanDays, mailboxes: 20_000, seed: 20261204 };
  const log = new MtaLogGenerator(path, plan).run();
  writeFileSync(meta, JSON.stringify(log));
  return { path, log, seconds: (performance.now() - started) / 1000 };
}

/** Peak resident memory while `run` goes, sampled four times a second. */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ result: T; peakRssMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  try {
    const result = await run();
    return { result, peakRssMiB: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

interface TraceSample {
  words: string[];
  clients: string[];
}

function searchKinds(log: GeneratedMtaLog, { words, clients }: TraceSample): SearchKind[] {
  const since = (days: number) => ({
    afterMs: END_MS - days * DAY_MS + 3_600_000,
    beforeMs: END_MS + 3_600_000,
  });
  return [
    {
      name: 'Message-ID',
      targetMedianMs: 5,
      makeFilter: (p) => ({ messageId: p.pick(log.sampleMessageIds) }),
    },
    {
      name: 'recipient, 30 days',
      targetMedianMs: 5,
      makeFilter: (p) => ({ recipient: p.pick(log.sampleRecipients), ...since(30) }),
    },
    {
      name: 'sender, 7 days',
      makeFilter: (p) => ({ sender: p.pick(log.sampleSenders), ...since(7) }),
    },
    {
      name: 'subject word, 30 days',
      targetMedianMs: 100,
      makeFilter: (p) => ({ subjectWords: p.pick(words), ...since(30) }),
    },
    {
      name: 'subject substring, 30 days',
      runs: 20,
      makeFilter: (p) => ({ subject: p.pick(words).slice(0, 5), ...since(30) }),
    },
    {
      name: 'client address, 7 days',
      runs: 20,
      makeFilter: (p) => ({ clientAddress: p.pick(clients), ...since(7) }),
    },
  ];
}

/**
 * Subject words and client addresses as they occur in the trace's last 30
 * days, so common words come up often and rare ones now and then.
 */
async function sampleTrace(store: DeliveryStore, prng: Prng): Promise<TraceSample> {
  const rows = await store.search({ afterMs: END_MS - 30 * DAY_MS, limit: 2000 });
  const words = rows.flatMap((r) => (r.subject ?? '').match(/[\p{L}\p{N}]{3,}/gu) ?? []);
  const clients = rows.flatMap((r) => (r.clientAddress === null ? [] : [r.clientAddress]));
  return {
    words: Array.from({ length: 200 }, () => prng.pick(words)),
    clients: Array.from({ length: 200 }, () => prng.pick(clients)),
  };
}

/** One section of the figures, printed as soon as it is known: a long run shows its way. */
function printSection(name: string, figures: unknown): void {
  console.log(JSON.stringify({ [name]: figures }, null, 2));
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'retract-bench-'));
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });

  console.error(`generating ${options.deliveries} deliveries in ${dir} ...`);
  const { path, log, seconds: generateSeconds } = prepareLog(dir, options.deliveries, options.days);
  const { sampleMessageIds: _m, sampleRecipients: _r, sampleSenders: _s, ...logFigures } = log;
  printSection('log', { ...logFigures, generateSeconds: Math.round(generateSeconds) });
  const store = await openSqliteStore({ path: dbPath });
  const deliveries = new DeliveryStore(store, DEFAULT_TENANT_ID);

  console.error(`importing ${log.lines} lines ...`);
  const { result: report, peakRssMiB } = await withPeakRss<LogImportReport>(() =>
    importMtaLogs([path], deliveries, { now: () => END_MS + 3_600_000 }),
  );
  const { files: _f, unparsedSample: _u, ...importFigures } = report;
  printSection('import', { ...importFigures, peakRssMiB });
  printSection('databaseMiB', Math.round(statSync(dbPath).size / 2 ** 20));

  console.error('timing searches ...');
  const prng = new Prng(7);
  const sample = await sampleTrace(deliveries, prng);
  for (const kind of searchKinds(log, sample)) {
    printSection('search', await timeSearches(deliveries, kind, prng, options.runs));
  }
  await store.close();
  if (!options.keep) rmSync(dir, { recursive: true, force: true });
}

await main();
