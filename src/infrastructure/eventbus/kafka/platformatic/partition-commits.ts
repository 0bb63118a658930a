import { PartitionProgress } from './partition-progress';

export interface OffsetToCommit {
  readonly partition: number;
  readonly offset: bigint;
}

/**
 * The progress of each partition a consumer reads, and the commits of their handled prefixes: one
 * request at a time, coalescing what is handled meanwhile into the next. A halted partition (taken
 * away, or the consumer stopping) is kept until its running messages finished and were committed.
 */
export class PartitionCommits {
  private readonly partitions = new Map<number, PartitionProgress>();
  private readonly draining = new Set<PartitionProgress>();
  private committing: Promise<void> | undefined;
  private commitAgain = false;

  /** `send` commits through the current consumer; it rejects to leave the offsets for the next commit. */
  constructor(private readonly send: (offsets: readonly OffsetToCommit[]) => Promise<void>) {}

  progressOf(partition: number): PartitionProgress {
    let progress = this.partitions.get(partition);
    if (!progress) {
      progress = new PartitionProgress(partition);
      this.partitions.set(partition, progress);
    }
    return progress;
  }

  halt(partition: number): void {
    const progress = this.partitions.get(partition);
    if (!progress) return;
    this.partitions.delete(partition);
    progress.halt();
    this.draining.add(progress);
  }

  haltAll(): void {
    for (const partition of [...this.partitions.keys()]) this.halt(partition);
  }

  /** A commit soon (after the request in flight, if any). */
  schedule(): void {
    if (this.committing) {
      this.commitAgain = true;
      return;
    }
    this.committing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.commitOnce())
      .finally(() => {
        this.committing = undefined;
        if (this.commitAgain) {
          this.commitAgain = false;
          this.schedule();
        }
      });
  }

  /** Commits everything handled so far, after the request in flight. */
  async flush(): Promise<void> {
    while (this.committing) await this.committing;
    await this.commitOnce();
  }

  private async commitOnce(): Promise<void> {
    const pending: { progress: PartitionProgress; offset: bigint }[] = [];
    for (const progress of [...this.partitions.values(), ...this.draining]) {
      const offset = progress.uncommitted;
      if (offset !== undefined) pending.push({ progress, offset });
    }
    if (pending.length > 0) {
      try {
        await this.send(pending.map(({ progress, offset }) => ({ partition: progress.partition, offset })));
        for (const { progress, offset } of pending) progress.committed(offset);
      } catch {
        // The offsets stay uncommitted and go with the next commit.
      }
    }
    for (const progress of this.draining) if (progress.done) this.draining.delete(progress);
  }
}
