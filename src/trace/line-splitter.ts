const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

/**
 * Cuts a byte stream into lines, a chunk at a time: far cheaper per line
 * than readline's events, which matters at millions of lines. A line cut
 * by a chunk boundary waits for the rest; CR of a CRLF end is dropped.
 * Counts the bytes of complete lines, so a follower knows where it stands.
 */
export class LineSplitter {
  #rest: Buffer = EMPTY;
  #consumedBytes = 0;

  /** Bytes of every complete line returned so far, newlines included. */
  get consumedBytes(): number {
    return this.#consumedBytes;
  }

  /** Bytes of an unfinished last line held back. */
  get pendingBytes(): number {
    return this.#rest.length;
  }

  /** The complete lines `chunk` finishes. */
  push(chunk: Buffer): string[] {
    const data = this.#rest.length === 0 ? chunk : Buffer.concat([this.#rest, chunk]);
    const end = data.lastIndexOf(NEWLINE);
    if (end === -1) {
      this.#rest = data;
      return [];
    }
    this.#rest = data.subarray(end + 1);
    this.#consumedBytes += end + 1;
    return splitLines(data.toString('utf8', 0, end));
  }

  /** The unfinished last line, if any, as a line: the input has ended. */
  finish(): string[] {
    if (this.#rest.length === 0) return [];
    const text = this.#rest.toString('utf8');
    this.#consumedBytes += this.#rest.length;
    this.#rest = EMPTY;
    return splitLines(text);
  }
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (!text.includes('\r')) return lines;
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
