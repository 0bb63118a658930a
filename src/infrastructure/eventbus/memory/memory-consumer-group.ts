import { type GroupMember } from '../delivery/group-member';
import { type InboundMessage } from '../delivery/inbound-message';
import { KeyOrderedScheduler } from '../delivery/key-ordered-scheduler';

/**
 * A consumer group on one topic: every message published to the topic is queued once here and
 * handed to one member (competing consumers). Per-key order is kept at the group level, so it
 * holds across members and while a message is being retried.
 */
export class MemoryConsumerGroup {
  private members: GroupMember[] = [];
  private nextMember = 0;
  private readonly scheduler = new KeyOrderedScheduler<InboundMessage>(0, (message) =>
    this.dispatch(message),
  );

  constructor(readonly name: string) {}

  get isEmpty(): boolean {
    return this.members.length === 0;
  }

  get isIdle(): boolean {
    return this.scheduler.isIdle;
  }

  enqueue(message: InboundMessage): void {
    this.scheduler.push(message.key, message);
  }

  join(member: GroupMember): void {
    this.members.push(member);
    this.resize();
  }

  leave(member: GroupMember): void {
    this.members = this.members.filter((candidate) => candidate !== member);
    this.resize();
  }

  onIdle(): Promise<void> {
    return this.scheduler.onIdle();
  }

  /** Tells every member's handlers and retries to stop (shutdown timeout reached). */
  abortMembers(): void {
    for (const member of this.members) member.abort.abort();
  }

  private resize(): void {
    this.scheduler.setConcurrency(this.members.reduce((sum, member) => sum + member.concurrency, 0));
  }

  /** Round robin over members with spare capacity; the scheduler's bound guarantees one exists. */
  private dispatch(message: InboundMessage): Promise<unknown> {
    const count = this.members.length;
    for (let tried = 0; tried < count; tried++) {
      const member = this.members[this.nextMember++ % count]!;
      if (member.hasCapacity) return member.deliver(message);
    }
    // Only reachable once every member left: a memory bus keeps nothing for an absent group.
    return Promise.resolve();
  }
}
