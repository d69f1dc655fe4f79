import { describe, expect, it } from 'vitest';
import type { DeliveryWriteCounts } from '../../src/store/index.js';
import type { DeliveryBatchWriter, DeliveryRecord } from '../../src/trace/index.js';
import { PipelinedWrites } from '../../src/trace/pipelined-writes.js';

/** A writer whose batches settle only when the test says so. */
class HeldWriter implements DeliveryBatchWriter {
  readonly held: { resolve: (c: DeliveryWriteCounts) => void; reject: (e: Error) => void }[] = [];

  write(): Promise<DeliveryWriteCounts> {
    return new Promise((resolve, reject) => this.held.push({ resolve, reject }));
  }

  async close(): Promise<void> {}
}

const batch = [{} as DeliveryRecord];
const added = (n: number): DeliveryWriteCounts => ({ added: n, updated: 0, unchanged: 0 });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('pipelined writes', () => {
  it('hands over batches without waiting until several are unanswered, then waits for the oldest', async () => {
    const writer = new HeldWriter();
    const writes = new PipelinedWrites(writer);
    let sent = 0;
    const sending = (async () => {
      for (let i = 0; i < 12; i++) {
        await writes.send(batch, 'test');
        sent++;
      }
    })();
    await settle();
    const handedOver = writer.held.length;
    expect(handedOver).toBeGreaterThan(1);
    expect(sent).toBe(handedOver - 1);

    writer.held[0]?.resolve(added(1));
    await settle();
    expect(writer.held.length).toBe(handedOver + 1);

    for (let i = 1; i < 12; i++) {
      writer.held[i]?.resolve(added(1));
      await settle();
    }
    await sending;
    await writes.drain();
    expect(writer.held.length).toBe(12);
    expect(writes.counts).toEqual(added(12));
  });

  it('reports a failed batch from drain', async () => {
    const writer = new HeldWriter();
    const writes = new PipelinedWrites(writer);
    await writes.send(batch, 'test');
    writer.held[0]?.reject(new Error('disk full'));
    await expect(writes.drain()).rejects.toThrow('disk full');
  });

  it('sends nothing for an empty batch', async () => {
    const writer = new HeldWriter();
    const writes = new PipelinedWrites(writer);
    await writes.send([], 'test');
    await writes.drain();
    expect(writer.held).toEqual([]);
  });
});
