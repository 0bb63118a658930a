import type { Inbox } from '../../../src/infrastructure/messaging/inbox';

export interface HandledKey {
  readonly consumer: string;
  readonly eventId: string;
}

/**
 * The inbox in memory, with the database inbox's semantics: a record per (consumer, eventId) kept
 * only when the work succeeded, and a second call for a key in progress waits for the first.
 */
export class FakeInbox implements Inbox {
  private readonly handled = new Map<string, HandledKey>();
  private readonly inProgress = new Map<string, Promise<void>>();

  async handleOnce(consumer: string, eventId: string, work: () => Promise<void>): Promise<boolean> {
    const key = JSON.stringify([consumer, eventId]);
    // Like the row lock the database takes on the key: wait until the other attempt ends.
    for (let other = this.inProgress.get(key); other; other = this.inProgress.get(key)) await other;
    if (this.handled.has(key)) return false;
    const attempt = work();
    this.inProgress.set(
      key,
      attempt.then(
        () => undefined,
        () => undefined,
      ),
    );
    try {
      await attempt;
      this.handled.set(key, { consumer, eventId });
      return true;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /** Test helper: the (consumer, eventId) records kept so far, in the order they were kept. */
  get handledKeys(): HandledKey[] {
    return [...this.handled.values()];
  }
}
