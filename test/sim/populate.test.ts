import { afterEach, describe, expect, it } from 'vitest';
import {
  openCorpus,
  populate,
  startSimulator,
  stripMboxFromLine,
  type Simulator,
} from '../../sim/index.js';

const T = 1_700_000_000_000;
const started: Simulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

async function run(seed: number, mailboxes = 80, messages = 60) {
  const sim = await startSimulator({ now: () => T });
  started.push(sim);
  const result = await populate(sim, { domain: 'example.com', mailboxes, messages, seed });
  return { sim, result };
}

describe('populate', () => {
  it('gives the same recipients and Message-IDs for the same seed', async () => {
    const a = await run(7);
    const b = await run(7);
    const shape = (r: typeof a.result) =>
      r.deliveries.map((d) => [d.corpusFile, d.messageId, d.recipients]);
    expect(shape(b.result)).toEqual(shape(a.result));
  });

  it('draws differently for another seed', async () => {
    const a = await run(7);
    const c = await run(8);
    expect(c.result.deliveries.map((d) => d.recipients)).not.toEqual(
      a.result.deliveries.map((d) => d.recipients),
    );
  });

  it('creates user0001.. accounts and sends each message to 1..60 distinct of them', async () => {
    const { sim, result } = await run(3, 80, 60);
    expect(result.accounts[0]).toBe('user0001@example.com');
    expect(result.accounts.at(-1)).toBe('user0080@example.com');
    for (const d of result.deliveries) {
      expect(d.recipients.length).toBeGreaterThanOrEqual(1);
      expect(d.recipients.length).toBeLessThanOrEqual(60);
      expect(new Set(d.recipients).size).toBe(d.recipients.length);
    }
    const stored = result.accounts.reduce((sum, a) => sum + sim.listMessages(a).length, 0);
    expect(stored).toBe(result.copies);
    expect(result.copies).toBe(result.deliveries.reduce((sum, d) => sum + d.recipients.length, 0));
  });

  it('keeps an existing domain key', async () => {
    const sim = await startSimulator({ now: () => T });
    started.push(sim);
    const { preauthKey } = sim.addDomain('example.com');
    await populate(sim, { domain: 'example.com', mailboxes: 2, messages: 1, seed: 1 });
    expect(sim.getDomain('example.com')?.preauthKey).toBe(preauthKey);
  });
});

describe('SpamAssassin corpus', () => {
  it('lists the 6046 messages and strips only the mbox From line', () => {
    const corpus = openCorpus();
    expect(corpus.size).toBe(6046);
    const text = corpus.read(0);
    expect(text.startsWith('From ')).toBe(false);
    expect(text.startsWith('Return-Path: ')).toBe(true);
  });

  it('keeps a message that has no Message-ID, which then has a null messageId', async () => {
    const corpus = openCorpus();
    const index = Array.from({ length: corpus.size }, (_, i) => i).find((i) =>
      corpus.fileName(i).startsWith('spam-2/00712.'),
    ) as number;
    const sim = await startSimulator({ now: () => T });
    started.push(sim);
    sim.addAccount('a@example.com');
    const result = sim.deliver(corpus.read(index), ['a@example.com']);
    expect(result.messageId).toBeNull();
    expect(result.items).toHaveLength(1);
  });

  it('leaves text without an mbox line alone', () => {
    expect(stripMboxFromLine('Subject: x\n\nbody')).toBe('Subject: x\n\nbody');
    expect(stripMboxFromLine('From a@b  Thu Aug 22 12:36:23 2002\nSubject: x\n')).toBe(
      'Subject: x\n',
    );
  });
});
