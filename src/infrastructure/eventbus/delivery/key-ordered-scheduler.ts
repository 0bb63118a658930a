import { Deque } from './deque';
import { IdleWaiters } from './idle-waiters';

const RESOLVED = Promise.resolve();

interface Entry<T> {
  readonly key: string | undefined;
  readonly item: T;
}

/**
 * Runs items with at most `concurrency` in flight while items that share a key run one at a time,
 * in arrival order. Items without a key have no ordering constraint.
 *
 * A key is "busy" from the moment its first item is accepted until its queue drains, so a later
 * item for that key can never overtake an earlier one, even while the earlier one is retried.
 */
export class KeyOrderedScheduler<T> {
  private running = 0;
  private readonly ready = new Deque<Entry<T>>();
  /** Items waiting behind the busy item of their key. */
  private readonly behindKey = new Map<string, Deque<T>>();
  private readonly idle = new IdleWaiters();
  private pumpScheduled = false;

  constructor(
    private concurrency: number,
    /** Its result is ignored; only its settling matters. */
    private readonly run: (item: T) => Promise<unknown>,
  ) {}

  /** Changes the bound, e.g. when a competing consumer joins or leaves a group. */
  setConcurrency(concurrency: number): void {
    this.concurrency = concurrency;
    this.schedulePump();
  }

  /** Items accepted and not yet finished. */
  get pending(): number {
    let behind = 0;
    for (const queue of this.behindKey.values()) behind += queue.length;
    return this.running + this.ready.length + behind;
  }

  push(key: string | undefined, item: T): void {
    if (key !== undefined) {
      const queue = this.behindKey.get(key);
      if (queue) {
        queue.push(item);
        return;
      }
      this.behindKey.set(key, new Deque<T>());
    }
    this.ready.push({ key, item });
    this.schedulePump();
  }

  get isIdle(): boolean {
    return this.running === 0 && this.ready.length === 0;
  }

  /** Resolves when nothing is running or waiting. */
  onIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return this.idle.wait();
  }

  private start(key: string | undefined, item: T): void {
    this.running++;
    // `run` is expected not to reject; finishing on rejection too keeps the scheduler alive if it does.
    const done = (): void => this.finish(key);
    this.run(item).then(done, done);
  }

  private finish(key: string | undefined): void {
    this.running--;
    if (key !== undefined) {
      const queue = this.behindKey.get(key)!;
      const next = queue.shift();
      if (next === undefined) this.behindKey.delete(key);
      else this.ready.push({ key, item: next });
    }
    this.startReady();
    if (this.isIdle) this.idle.release();
  }

  /**
   * Items start on a microtask, never inside `push`: a publisher's call returns before any handler
   * runs, and a message reaches every group before a handler can publish a follow-up.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // A resolved promise, not queueMicrotask: Node wraps each queueMicrotask callback in an
    // AsyncResource, a cost paid here once per message.
    void RESOLVED.then(() => {
      this.pumpScheduled = false;
      this.startReady();
    });
  }

  private startReady(): void {
    while (this.running < this.concurrency) {
      const entry = this.ready.shift();
      if (entry === undefined) break;
      this.start(entry.key, entry.item);
    }
  }
}
