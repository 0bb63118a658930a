import { Deque } from '../../delivery/deque';

const WAITING = 0;
const RUNNING = 1;
const HANDLED = 2;
/** Left unhandled (halted before it started, or abandoned at stop): redelivered from the commit. */
const LEFT = 3;

export interface PartitionEntry {
  readonly offset: bigint;
  state: number;
}

/**
 * The messages of one assigned partition in fetch order, so only the contiguous handled prefix is
 * ever committed (never past an unfinished, failed or skipped message).
 *
 * The client's fetch position rewinds to the committed offset whenever the group rejoins, so a
 * partition kept across a rebalance sees offsets again that it already holds: those are dropped,
 * not handled twice. A halted partition (revoked, or the consumer stopping) starts nothing more;
 * what it skipped is redelivered from the committed offset, to whichever member owns it then.
 */
export class PartitionProgress {
  private readonly entries = new Deque<PartitionEntry>();
  /** One past the last accepted offset. */
  private nextOffset: bigint | undefined;
  /** Where the group should resume: the first offset not handled yet. */
  private commitOffset: bigint | undefined;
  private committedOffset: bigint | undefined;
  private runningCount = 0;
  private halted = false;

  constructor(readonly partition: number) {}

  /** The entry to handle, or undefined for an offset already held (a rewound fetch) or when halted. */
  accept(offset: bigint): PartitionEntry | undefined {
    if (this.halted || (this.nextOffset !== undefined && offset < this.nextOffset)) return undefined;
    // The first offset is committed at once: a partition with a commit rewinds on every rejoin.
    this.commitOffset ??= offset;
    this.nextOffset = offset + 1n;
    const entry = { offset, state: WAITING };
    this.entries.push(entry);
    return entry;
  }

  /** False when the message must not start (the partition halted): it is left for redelivery. */
  begin(entry: PartitionEntry): boolean {
    if (this.halted) {
      entry.state = LEFT;
      return false;
    }
    entry.state = RUNNING;
    this.runningCount++;
    return true;
  }

  finish(entry: PartitionEntry, handled: boolean): void {
    this.runningCount--;
    entry.state = handled ? HANDLED : LEFT;
    for (let front = this.entries.peek(); front?.state === HANDLED; front = this.entries.peek()) {
      this.entries.shift();
      this.commitOffset = front.offset + 1n;
    }
  }

  halt(): void {
    this.halted = true;
  }

  get running(): number {
    return this.runningCount;
  }

  /** The offset to commit, or undefined when the last commit already says it. */
  get uncommitted(): bigint | undefined {
    const offset = this.commitOffset;
    return offset === undefined || offset === this.committedOffset ? undefined : offset;
  }

  committed(offset: bigint): void {
    if (this.committedOffset === undefined || offset > this.committedOffset) this.committedOffset = offset;
  }

  /** Halted, nothing running and everything handled committed: the progress can be dropped. */
  get done(): boolean {
    return this.halted && this.runningCount === 0 && this.uncommitted === undefined;
  }
}
