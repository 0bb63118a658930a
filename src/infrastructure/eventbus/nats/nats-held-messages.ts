import { type InboundMessage } from '../delivery/inbound-message';
import { toInboundMessage } from './nats-inbound-message';
import { type NatsPulledMessage } from './nats-pulled-message';

/** A message this instance received and has not settled (acked, termed or nak'ed) yet. */
export interface HeldMessage {
  /** The newest delivery: a redelivery while we still hold the message replaces the older one. */
  message: NatsPulledMessage;
  readonly inbound: InboundMessage;
  /** When we last told JetStream we are still working on it (or received it). */
  lastProgress: number;
  settled: boolean;
}

/**
 * The messages one group holds, queued or in flight, by stream sequence. Two jobs:
 *
 * - Progress: every held message, queued behind its key or in a handler (retries and backoff
 *   included), gets `working()` before `ack_wait` runs out, so JetStream does not redeliver a message
 *   that is still being handled, nor the ones waiting behind it for their key's turn.
 * - De-duplication: if JetStream redelivers a message we still hold anyway (ack_wait passed while the
 *   connection was down), the copy is not queued a second time, where it would run again after later
 *   messages of its key; the held entry takes the newest delivery, so its ack counts.
 */
export class NatsHeldMessages {
  private readonly held = new Map<number, HeldMessage>();

  constructor(readonly progressEvery: number) {}

  get size(): number {
    return this.held.size;
  }

  /** The entry to schedule for a new message, or undefined when the message is already held. */
  hold(message: NatsPulledMessage, now: number): HeldMessage | undefined {
    const existing = this.held.get(message.seq);
    if (existing) {
      existing.message = message;
      existing.lastProgress = now;
      message.working();
      return undefined;
    }
    const entry: HeldMessage = {
      message,
      inbound: toInboundMessage(message),
      lastProgress: now,
      settled: false,
    };
    this.held.set(message.seq, entry);
    return entry;
  }

  release(entry: HeldMessage): void {
    if (this.held.get(entry.message.seq) === entry) this.held.delete(entry.message.seq);
  }

  /** Sends `working()` for every held message whose last signal is older than `progressEvery`. */
  signalProgress(now: number): void {
    for (const entry of this.held.values()) {
      if (entry.settled || now - entry.lastProgress < this.progressEvery) continue;
      entry.lastProgress = now;
      entry.message.working();
    }
  }

  unsettled(): HeldMessage[] {
    return [...this.held.values()].filter((entry) => !entry.settled);
  }
}
