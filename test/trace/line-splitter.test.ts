import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/trace/line-splitter.js';

describe('LineSplitter', () => {
  it('gives the same lines and byte counts however the input is cut', () => {
    const input = Buffer.from('Grüße\r\naus Köln\n\nlast line without end', 'utf8');
    for (let size = 1; size <= input.length; size++) {
      const splitter = new LineSplitter();
      const lines: string[] = [];
      for (let i = 0; i < input.length; i += size)
        lines.push(...splitter.push(input.subarray(i, i + size)));
      expect(splitter.consumedBytes, `chunks of ${size}`).toBe(input.lastIndexOf(0x0a) + 1);
      expect(splitter.pendingBytes).toBe(input.length - splitter.consumedBytes);
      lines.push(...splitter.finish());
      expect(lines, `chunks of ${size}`).toEqual([
        'Grüße',
        'aus Köln',
        '',
        'last line without end',
      ]);
      expect(splitter.consumedBytes).toBe(input.length);
    }
  });
});
