import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addCounts, type DeliveryWriteCounts } from '../store/index.js';
import type { DeliveryBatchWriter, DeliveryStore } from './delivery-store.js';
import type { DeliveryRecord } from './delivery-types.js';
import type { FollowStateStore } from './follow-state.js';
import {
  FollowedFile,
  findRenamed,
  findRotatedCopy,
  listNewerRotations,
  modifiedMs,
} from './followed-file.js';
import { LineSplitter } from './line-splitter.js';
import { PostfixLogParser } from './postfix-log-parser.js';
import { readLogBatches } from './read-log-lines.js';

/** How long a file renamed away by logrotate is still read: syslog writes to it until its HUP. */
const ROTATION_GRACE_MS = 30_000;

export interface FollowOptions {
  /** IANA zone of the log's year-less timestamps. Default 'UTC'. */
  timeZone?: string;
  now?: () => number;
  /** How often to look for new lines, a rotation or a truncation at the end of the file. Default 1000 ms. */
  pollMs?: number;
  /** Deliveries written per transaction while catching up. Default 5,000. */
  batchSize?: number;
  /** Stops the follow: what was read is written and the place saved. */
  signal?: AbortSignal;
  /** Return at the end of the file instead of waiting for more (a one-shot catch-up). */
  stopAtEnd?: boolean;
  /** Told after every save of the place, with the figures so far. */
  onCheckpoint?: (report: FollowReport) => void;
  /** Told when lines may have been missed (also listed in the report's `warnings`). */
  onWarning?: (message: string) => void;
}

/** What a follow read and wrote since it started. */
export interface FollowReport {
  path: string;
  /** The run started where an earlier one stopped (offset, and the parser's open messages). */
  resumed: boolean;
  lines: number;
  deliveries: number;
  added: number;
  updated: number;
  duplicates: number;
  unparsed: number;
  unparsedSample: string[];
  /** Times the file was renamed away (logrotate) and the new one taken up. */
  rotations: number;
  /** Times the file was cut short (copytruncate) and read again from its start. */
  truncations: number;
  /** Where the next line will be read, in the current file. */
  offsetBytes: number;
  /** Lines that may have been missed, and how to fill the gap. */
  warnings: string[];
}

/**
 * Follows a growing MTA log into the trace: reads to the end, waits, reads
 * what was added, takes up the new file after a rename (logrotate) or the
 * start after a truncation (copytruncate), and after every batch saves the
 * place: offset, file identity, a hash of the bytes before the offset and
 * the parser's open messages. A restart resumes there, so no delivery loses
 * the Message-ID logged before the stop, and lines read twice (a crash
 * between a write and its save) merge into the rows they made.
 */
export async function followMtaLog(
  path: string,
  deliveries: DeliveryStore,
  options: FollowOptions = {},
): Promise<FollowReport> {
  const name = resolve(path);
  const states = deliveries.followStates();
  const state = await states.load(name);
  const follower = new LogFollower(name, deliveries, states, {
    ...options,
    parser: new PostfixLogParser({
      timeZone: options.timeZone ?? 'UTC',
      now: options.now ?? Date.now,
      ...(state?.parser ? { snapshot: state.parser } : {}),
    }),
  });
  return follower.run(state);
}

interface FollowerSettings extends FollowOptions {
  parser: PostfixLogParser;
}

class LogFollower {
  readonly #name: string;
  readonly #states: FollowStateStore;
  readonly #settings: FollowerSettings;
  readonly #parser: PostfixLogParser;
  readonly #writer: DeliveryBatchWriter;
  readonly #written: DeliveryWriteCounts = { added: 0, updated: 0, unchanged: 0 };
  #file: FollowedFile | null = null;
  /** Where the splitter started in the current file, and how far the file has been read. */
  #base = 0;
  #position = 0;
  #splitter = new LineSplitter();
  #batch: DeliveryRecord[] = [];
  #records = 0;
  #savedOffset = -1;
  #savedHash = '';
  readonly #report = { resumed: false, rotations: 0, truncations: 0 };
  readonly #warnings: string[] = [];
  /**
   * The file logrotate renamed away, still read for ROTATION_GRACE_MS: syslog
   * writes to it until logrotate's HUP reaches it. Only the current file's
   * place is saved, so lines written to the old one while Retract is stopped
   * in that window are not read after the restart.
   */
  #retired: {
    file: FollowedFile;
    position: number;
    splitter: LineSplitter;
    untilMs: number;
  } | null = null;

  constructor(
    name: string,
    deliveries: DeliveryStore,
    states: FollowStateStore,
    settings: FollowerSettings,
  ) {
    this.#name = name;
    this.#states = states;
    this.#settings = settings;
    this.#parser = settings.parser;
    this.#writer = deliveries.openWriter();
  }

  async run(state: Awaited<ReturnType<FollowStateStore['load']>>): Promise<FollowReport> {
    try {
      await this.#openAtResumePoint(state);
      await this.#loop();
      await this.#checkpoint();
    } finally {
      await this.#writer.close();
      await this.#file?.close();
      await this.#retired?.file.close();
    }
    return this.#buildReport();
  }

  async #loop(): Promise<void> {
    const { signal, stopAtEnd, pollMs = 1000 } = this.#settings;
    while (signal?.aborted !== true) {
      if (await this.#readMore()) continue;
      await this.#readRetired();
      await this.#checkpoint();
      if (stopAtEnd) return;
      if (await this.#takeUpRotation()) continue;
      await this.#takeUpTruncation();
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
      // Again before reading on: copytruncate may have emptied the file and
      // syslog refilled it past our place while we slept.
      if (!isAborted(signal)) await this.#takeUpTruncation();
    }
  }

  async #openAtResumePoint(state: Awaited<ReturnType<FollowStateStore['load']>>): Promise<void> {
    const file = await FollowedFile.open(this.#name);
    this.#report.resumed = state !== null;
    if (state === null) return this.#start(file, 0);
    const sameFile = state.fileId === file.fileId;
    if (sameFile && (await this.#isResumePoint(file, state.offsetBytes, state.tailHash))) {
      return this.#start(file, state.offsetBytes);
    }

    // Rotated while Retract was stopped: finish the old file under its new name first.
    const renamed = sameFile ? null : await findRenamed(this.#name, state.fileId);
    if (renamed !== null) {
      const old = await FollowedFile.open(renamed);
      if (await this.#isResumePoint(old, state.offsetBytes, state.tailHash)) {
        this.#start(old, state.offsetBytes);
        while (await this.#readMore());
        this.#takeLines(this.#splitter.finish());
        await this.#checkpoint();
      }
      await old.close();
      this.#report.rotations++;
      await this.#readRotationsAfter(renamed);
      return this.#start(file, 0);
    }

    // Rotated and compressed at once, or copied and truncated: the old lines
    // are in another file, found by the bytes before the place.
    const copy = await this.#readCopyFrom(state.offsetBytes, state.tailHash);
    if (copy !== null) await this.#readRotationsAfter(copy);
    if (sameFile) this.#report.truncations++;
    else this.#report.rotations++;
    this.#start(file, 0);
  }

  /**
   * Reads whole the rotated files newer than `old` (the one follow stopped
   * in): logrotate ran more than once while follow was stopped. Lines read
   * twice only merge into the rows they made.
   */
  async #readRotationsAfter(old: string): Promise<void> {
    for (const path of await listNewerRotations(this.#name, old, await modifiedMs(old))) {
      for await (const lines of readLogBatches(path)) {
        this.#takeLines(lines);
        if (this.#isBatchFull()) await this.#writeBatch();
      }
      this.#report.rotations++;
    }
  }

  /**
   * Reads the lines after the place (`offset`, the hash of the bytes before
   * it) from the rotated copy that holds it, written as they come, the place
   * saved after; warns when no copy does. The copy's path, or null.
   */
  async #readCopyFrom(offset: number, tailHash: string): Promise<string | null> {
    const copy = await findRotatedCopy(this.#name, offset, tailHash);
    if (copy === null) {
      this.#warn(this.#missedMessage(offset));
      return null;
    }
    const splitter = new LineSplitter();
    for await (const chunk of copy.rest) {
      this.#takeLines(splitter.push(chunk));
      if (this.#isBatchFull()) await this.#writeBatch();
    }
    this.#takeLines(splitter.finish());
    return copy.path;
  }

  #isBatchFull(): boolean {
    return this.#batch.length >= (this.#settings.batchSize ?? 5_000);
  }

  #missedMessage(offsetBytes: number): string {
    return (
      `${this.#name} was rotated or cut, and no file next to it holds the place ` +
      `follow had reached (byte ${offsetBytes}); lines written to the old file after that ` +
      'were not read: import the rotated file together with the current one, ' +
      '`retract trace import ROTATED CURRENT` (lines already stored count as duplicates)'
    );
  }

  #warn(message: string): void {
    this.#warnings.push(message);
    this.#settings.onWarning?.(message);
  }

  async #isResumePoint(file: FollowedFile, offset: number, hash: string): Promise<boolean> {
    return (await file.sizeBytes()) >= offset && (await file.hashBefore(offset)) === hash;
  }

  #start(file: FollowedFile, offset: number): void {
    this.#file = file;
    this.#base = offset;
    this.#position = offset;
    this.#splitter = new LineSplitter();
    this.#savedOffset = -1;
  }

  /** Reads one chunk; false at the end of the file. */
  async #readMore(): Promise<boolean> {
    const chunk = await this.#file!.read(this.#position);
    if (chunk.length === 0) return false;
    this.#position += chunk.length;
    this.#takeLines(this.#splitter.push(chunk));
    if (this.#isBatchFull()) await this.#checkpoint();
    return true;
  }

  #takeLines(lines: string[]): void {
    for (const line of lines)
      for (const record of this.#parser.push(line)) this.#batch.push(record);
  }

  /** Writes what was parsed, then saves the place: a crash between the two only rereads. */
  async #checkpoint(): Promise<void> {
    const file = this.#file!;
    const offsetBytes = this.#base + this.#splitter.consumedBytes;
    if (this.#batch.length === 0 && offsetBytes === this.#savedOffset) return;

    await this.#writeBatch();
    const tailHash = await file.hashBefore(offsetBytes);
    const parser = this.#parser.snapshot();
    await this.#states.save(this.#name, { fileId: file.fileId, offsetBytes, tailHash, parser });
    this.#savedOffset = offsetBytes;
    this.#savedHash = tailHash;
    this.#settings.onCheckpoint?.(this.#buildReport());
  }

  async #writeBatch(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    this.#records += batch.length;
    if (batch.length > 0)
      addCounts(this.#written, await this.#writer.write(batch, `mta-log:${this.#name}`));
  }

  /**
   * After logrotate renamed the file: the rest of the old one is read, then
   * the new one from 0, while the old one is still read for a while (#retired).
   */
  async #takeUpRotation(): Promise<boolean> {
    if (!(await this.#file!.isRenamedAway())) return false;
    while (await this.#readMore());
    await this.#checkpoint();

    const next = await FollowedFile.open(this.#name);
    await this.#retireOld(0);
    this.#retired = {
      file: this.#file!,
      position: this.#position,
      splitter: this.#splitter,
      untilMs: Date.now() + ROTATION_GRACE_MS,
    };
    this.#start(next, 0);
    this.#report.rotations++;
    return true;
  }

  /** Reads what syslog added to the renamed-away file; closes it once its time is up. */
  async #readRetired(): Promise<void> {
    const retired = this.#retired;
    if (retired === null) return;
    for (;;) {
      const chunk = await retired.file.read(retired.position);
      if (chunk.length === 0) break;
      retired.position += chunk.length;
      this.#takeLines(retired.splitter.push(chunk));
    }
    await this.#retireOld(retired.untilMs);
  }

  /** Lets the old file go once `Date.now()` is past `untilMs` (0: at once). */
  async #retireOld(untilMs: number): Promise<void> {
    const retired = this.#retired;
    if (retired === null || Date.now() < untilMs) return;
    this.#takeLines(retired.splitter.finish());
    await retired.file.close();
    this.#retired = null;
  }

  /** After copytruncate: the file is shorter, or its bytes before our place changed. */
  async #takeUpTruncation(): Promise<void> {
    const file = this.#file!;
    const shorter = (await file.sizeBytes()) < this.#position;
    const changed =
      this.#savedOffset > 0 && (await file.hashBefore(this.#savedOffset)) !== this.#savedHash;
    if (!shorter && !changed) return;
    // copytruncate copied the file before cutting it: what was written after
    // the saved place (the last poll) is in the copy.
    if (this.#savedOffset > 0) await this.#readCopyFrom(this.#savedOffset, this.#savedHash);
    this.#start(file, 0);
    this.#report.truncations++;
  }

  #buildReport(): FollowReport {
    const stats = this.#parser.stats;
    return {
      path: this.#name,
      ...this.#report,
      lines: stats.lines,
      deliveries: this.#records,
      added: this.#written.added,
      updated: this.#written.updated,
      duplicates: this.#written.unchanged,
      unparsed: stats.unparsed,
      unparsedSample: stats.unparsedSample,
      offsetBytes: this.#base + this.#splitter.consumedBytes,
      warnings: [...this.#warnings],
    };
  }
}

/** Read through a call: TypeScript would keep the loop condition's narrowing across the await. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
