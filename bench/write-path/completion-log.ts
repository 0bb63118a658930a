import type { DomainEventSubscriber } from '../../src/application/shared/domain-event-subscriber';
import type { DomainEvent, DomainEventClass } from '../../src/domain/shared/domain-event';
import type { Inbox } from '../../src/infrastructure/messaging/inbox';
import { nowMs, sleep } from './clock';

/**
 * When each user's welcome notification committed, recorded inside the service (no polling of the
 * HTTP API or the table): the subscriber wrapper notes which user an event is about, the inbox
 * wrapper stamps the time once the inbox transaction (notification + inbox row) has committed.
 */
export class CompletionLog {
  private readonly userOfEvent = new Map<string, string>();
  private readonly committed = new Map<string, number>();
  private readonly handling = new Map<string, number>();

  noteHandling(event: DomainEvent): void {
    this.userOfEvent.set(event.eventId, event.aggregateId);
    this.handling.set(event.aggregateId, nowMs());
  }

  noteCommitted(eventId: string): void {
    const userId = this.userOfEvent.get(eventId);
    if (userId === undefined) return;
    this.userOfEvent.delete(eventId);
    this.committed.set(userId, nowMs());
  }

  /** When the notification of `userId` committed, or undefined while it has not. */
  committedAt(userId: string): number | undefined {
    return this.committed.get(userId);
  }

  /** When the subscriber began handling the event of `userId` (its last attempt). */
  handlingAt(userId: string): number | undefined {
    return this.handling.get(userId);
  }

  /** Resolves once every user in `userIds` has its notification, or at `deadline` (nowMs clock). */
  async waitFor(userIds: readonly string[], deadline: number): Promise<boolean> {
    let missing = userIds.filter((id) => !this.committed.has(id));
    while (missing.length > 0 && nowMs() < deadline) {
      await sleep(5);
      missing = missing.filter((id) => !this.committed.has(id));
    }
    return missing.length === 0;
  }
}

/** A subscriber that tells the log which user the event it handles is about. */
export class LoggedSubscriber implements DomainEventSubscriber {
  constructor(
    private readonly inner: DomainEventSubscriber,
    private readonly log: CompletionLog,
  ) {}

  get subscriberName(): string {
    return this.inner.subscriberName;
  }

  subscribedTo(): readonly DomainEventClass[] {
    return this.inner.subscribedTo();
  }

  on(event: DomainEvent): Promise<void> {
    this.log.noteHandling(event);
    return this.inner.on(event);
  }
}

/** The inbox, stamping each handled event once its transaction has committed. */
export class LoggedInbox implements Inbox {
  constructor(
    private readonly inner: Inbox,
    private readonly log: CompletionLog,
  ) {}

  async handleOnce(consumer: string, eventId: string, work: () => Promise<void>): Promise<boolean> {
    const handled = await this.inner.handleOnce(consumer, eventId, work);
    if (handled) this.log.noteCommitted(eventId);
    return handled;
  }
}
