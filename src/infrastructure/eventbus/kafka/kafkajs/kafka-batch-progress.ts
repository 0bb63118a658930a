const RUNNING = 1;
const HANDLED = 2;
const NOT_HANDLED = 3;

/**
 * Tracks one fetched batch of one partition: which messages were handled, so only the contiguous
 * handled prefix is ever committed (never past an unfinished or failed message).
 *
 * A halted batch starts nothing more (rebalance, stop): it is finished once its running messages
 * are; the messages it skipped are redelivered from the committed offset. An abandoned batch is
 * finished at once; whatever still runs completes without moving the offset.
 */
export class BatchProgress {
  private readonly states: Uint8Array;
  private handledPrefixLength = 0;
  private settled = 0;
  private running = 0;
  private halted = false;
  private abandoned = false;
  private waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    this.states = new Uint8Array(size);
  }

  /** How many messages from the start of the batch are handled (dead-lettered counts as handled). */
  get handledPrefix(): number {
    return this.handledPrefixLength;
  }

  /** Halted or abandoned: no further message of this batch may start. */
  get stopped(): boolean {
    return this.halted || this.abandoned;
  }

  get finished(): boolean {
    return this.abandoned || this.settled === this.size || (this.halted && this.running === 0);
  }

  /** False when the message must not start (the batch halted): it is left for redelivery. */
  begin(index: number): boolean {
    if (this.stopped) {
      this.settle(index, NOT_HANDLED);
      return false;
    }
    this.states[index] = RUNNING;
    this.running++;
    return true;
  }

  finish(index: number, handled: boolean): void {
    this.running--;
    this.settle(index, handled ? HANDLED : NOT_HANDLED);
  }

  halt(): void {
    this.halted = true;
    this.notifyIfFinished();
  }

  abandon(): void {
    this.abandoned = true;
    this.notifyIfFinished();
  }

  /** Resolves when the batch is finished or after `timeout` ms, whichever comes first. */
  waitFinished(timeout: number): Promise<void> {
    if (this.finished) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeout);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private settle(index: number, state: number): void {
    if (this.states[index] === HANDLED || this.states[index] === NOT_HANDLED) return;
    this.states[index] = state;
    this.settled++;
    while (this.handledPrefixLength < this.size && this.states[this.handledPrefixLength] === HANDLED)
      this.handledPrefixLength++;
    this.notifyIfFinished();
  }

  private notifyIfFinished(): void {
    if (!this.finished) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
