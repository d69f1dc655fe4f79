import { openCorpus, type SpamAssassinCorpus } from './corpus.js';
import type { DeliveryResult } from './delivery.js';
import { createPrng, sampleIndices } from './prng.js';
import type { Simulator } from './simulator.js';

export interface PopulateOptions {
  /** Mail domain of the simulated mailboxes; created when the simulator lacks it. */
  domain: string;
  /** Number of mailboxes, `user0001@<domain>` onwards. */
  mailboxes: number;
  /** Number of corpus messages to deliver. */
  messages: number;
  /** Seed of the corpus start and the recipient draw; same seed, same run. */
  seed: number;
  /** Receipt time of the first message, epoch ms; default the simulator clock minus the span. */
  startMs?: number;
  /** Gap between deliveries in ms; default 60_000. */
  spacingMs?: number;
  /** Most recipients per message; default 60. */
  maxRecipients?: number;
  /** Corpus to use; default the installed SpamAssassin corpus. */
  corpus?: SpamAssassinCorpus;
}

export interface PopulateResult {
  accounts: string[];
  /** Messages delivered. */
  delivered: number;
  /** Stored copies over all mailboxes. */
  copies: number;
  deliveries: (DeliveryResult & { recipients: string[]; corpusFile: string })[];
}

/** `user0001@example.com`: zero-padded to four digits (more for larger runs). */
export function mailboxAddress(index: number, domain: string, total: number): string {
  const width = Math.max(4, String(total).length);
  return `user${String(index + 1).padStart(width, '0')}@${domain}`;
}

function ensureAccounts(sim: Simulator, options: PopulateOptions): string[] {
  if (sim.getDomain(options.domain) === undefined) sim.addDomain(options.domain);
  const accounts: string[] = [];
  for (let i = 0; i < options.mailboxes; i += 1) {
    const address = mailboxAddress(i, options.domain, options.mailboxes);
    if (sim.getAccount(address) === undefined) sim.addAccount(address);
    accounts.push(address);
  }
  return accounts;
}

/**
 * Creates the mailboxes and delivers corpus messages to 1..60 distinct of them each,
 * writing the MTA log. Deterministic for a given seed and options.
 */
export async function populate(sim: Simulator, options: PopulateOptions): Promise<PopulateResult> {
  if (!Number.isInteger(options.mailboxes) || options.mailboxes < 1) {
    throw new TypeError('populate: mailboxes must be a positive integer');
  }
  const corpus = options.corpus ?? openCorpus();
  const prng = createPrng(options.seed);
  const accounts = ensureAccounts(sim, options);
  const spacingMs = options.spacingMs ?? 60_000;
  const startMs = options.startMs ?? sim.now() - options.messages * spacingMs;
  const maxRecipients = Math.min(options.maxRecipients ?? 60, accounts.length);
  const firstFile = prng.int(corpus.size);

  const result: PopulateResult = { accounts, delivered: 0, copies: 0, deliveries: [] };
  for (let i = 0; i < options.messages; i += 1) {
    const index = (firstFile + i) % corpus.size;
    const count = 1 + prng.int(maxRecipients);
    const recipients = sampleIndices(prng, accounts.length, count).map(
      (k) => accounts[k] as string,
    );
    const delivery = sim.deliver(corpus.read(index), recipients, { date: startMs + i * spacingMs });
    result.deliveries.push({ ...delivery, recipients, corpusFile: corpus.fileName(index) });
    result.delivered += 1;
    result.copies += delivery.items.length;
  }
  return result;
}
