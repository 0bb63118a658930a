import { type NatsConnection } from '@nats-io/transport-node';
import { type DeliveryOutcome } from '../delivery/inbound-message';
import { KeyOrderedScheduler } from '../delivery/key-ordered-scheduler';
import { type EventBusLogger } from '../logger';
import { waitWithTimeout } from '../subscription-options';
import { NatsAckBatch } from './nats-ack-batch';
import { NatsFetcher } from './nats-fetcher';
import { type GroupMember } from '../delivery/group-member';
import { type HeldMessage, NatsHeldMessages } from './nats-held-messages';
import { NatsPrefetchWindow } from './nats-prefetch-window';
import { type NatsPulledMessage } from './nats-pulled-message';
import { IdleWaiters } from '../delivery/idle-waiters';

export interface NatsConsumerGroupOptions {
  readonly topic: string;
  readonly group: string;
  readonly connection: NatsConnection;
  /** The group's durable pull consumer and its stream. */
  readonly stream: string;
  readonly consumer: string;
  /** The consumer's `ack_wait` in ms: held messages signal progress well within it. */
  readonly ackWait: number;
  /** Messages this instance pulls ahead per handler slot of its members at least (NatsPrefetchWindow). */
  readonly prefetchMultiplier: number;
  /** The consumer's `max_ack_pending`: the window never asks for more than JetStream hands out. */
  readonly maxAckPending: number;
  readonly maxAttempts: number;
  readonly logger: EventBusLogger;
  /** Re-creates stream and consumer if they are gone (memory storage after a restart); idempotent. */
  readonly recreate: () => Promise<void>;
}

/**
 * One group on one topic in this process: one NatsFetcher on the group's durable consumer,
 * shared by every subscription of the group here (they compete for its messages), with per-key order
 * kept across them by one KeyOrderedScheduler over the members' DeliveryPipelines.
 *
 * Settling: handled -> ack; dead-lettered or discarded -> term (never redelivered); abandoned
 * (stopping) -> nak, so another instance of the group gets it at once. Messages not started when the
 * group stops are nak'ed at once, except those behind a busy key: they wait for its message to finish.
 */
export class NatsConsumerGroup {
  private members: GroupMember[] = [];
  private nextMember = 0;
  private readonly scheduler: KeyOrderedScheduler<HeldMessage>;
  private readonly held: NatsHeldMessages;
  /** Messages given back while stopping, nak'ed once the last fetch ended. */
  private readonly deferredNaks: HeldMessage[] = [];
  private fetchEnded = false;
  private readonly fetcher: NatsFetcher;
  private readonly acks: NatsAckBatch;
  private readonly window: NatsPrefetchWindow;
  private progressTimer: NodeJS.Timeout | undefined;
  /** Accepted and not yet finished (queued behind a key, ready, or in a handler). */
  private outstanding = 0;
  private readonly idle = new IdleWaiters();
  /** Every member that ever joined: a stop that times out aborts them all. */
  private readonly joined = new Set<GroupMember>();
  private started = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: NatsConsumerGroupOptions) {
    const progressEvery = Math.max(1, Math.floor(options.ackWait / 3));
    this.held = new NatsHeldMessages(progressEvery);
    this.scheduler = new KeyOrderedScheduler<HeldMessage>(0, (entry) => this.run(entry));
    this.acks = new NatsAckBatch();
    this.window = new NatsPrefetchWindow(options.prefetchMultiplier, options.maxAckPending);
    this.fetcher = new NatsFetcher({
      connection: options.connection,
      stream: options.stream,
      consumer: options.consumer,
      window: () => this.window.size,
      held: () => this.outstanding,
      onMessage: (message) => this.accept(message),
      recreate: options.recreate,
      logger: options.logger,
      labels: { topic: options.topic, group: options.group },
    });
  }

  get isEmpty(): boolean {
    return this.members.length === 0;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Starts fetching (on the first join), until `stop`. */
  private start(): void {
    this.started = true;
    this.fetcher.pump();
    const progressEvery = this.held.progressEvery;
    this.progressTimer = setInterval(
      () => this.held.signalProgress(performance.now()),
      Math.max(1, Math.floor(progressEvery / 2)),
    ).unref();
  }

  join(member: GroupMember): void {
    this.members.push(member);
    this.joined.add(member);
    this.resize();
    if (!this.started && !this.stopping) this.start();
  }

  /** After a reconnect: pulls again at once. */
  resume(): void {
    if (this.started && !this.stopping) this.fetcher.resume();
  }

  /** Takes `member` out: its queued messages go to the other members (or are nak'ed on stop). */
  leave(member: GroupMember): void {
    this.members = this.members.filter((candidate) => candidate !== member);
    this.resize();
  }

  /**
   * Stops pulling, lets in-flight handlers finish within `timeout` ms and nak's what did not start,
   * then aborts whatever still runs. Idempotent.
   */
  stop(timeout: number): Promise<void> {
    this.stopping = true;
    // Every queued message whose key is free starts now, and, stopping, is given back at once instead
    // of waiting for a handler slot; one behind a busy key still waits for it, to keep key order.
    this.scheduler.setConcurrency(Number.MAX_SAFE_INTEGER);
    this.stopped ??= this.shutdown(timeout);
    return this.stopped;
  }

  private async shutdown(timeout: number): Promise<void> {
    // The fetches in progress run out by themselves (within a second); only then are the messages we
    // give back nak'ed, so JetStream never tries to redeliver them to our expiring pull request.
    await this.fetcher.stop();
    this.fetchEnded = true;
    for (const entry of this.deferredNaks.splice(0)) entry.message.nak();
    const finished = await waitWithTimeout(this.onIdle(), timeout);
    if (!finished) {
      this.options.logger.warn(
        { topic: this.options.topic, group: this.options.group, timeoutMs: timeout },
        'handlers did not finish in time; their messages will be redelivered',
      );
      for (const member of this.joined) member.abort.abort();
      for (const entry of this.held.unsettled()) this.settle(entry, 'abandoned');
    }
    clearInterval(this.progressTimer);
    this.acks.flush();
  }

  private accept(message: NatsPulledMessage): void {
    const entry = this.held.hold(message, performance.now());
    if (!entry) return;
    if (this.stopping || this.members.length === 0) {
      this.held.release(entry);
      this.settle(entry, 'abandoned');
      return;
    }
    this.outstanding++;
    this.scheduler.push(entry.inbound.key, entry);
  }

  private async run(entry: HeldMessage): Promise<void> {
    try {
      if (entry.settled) return;
      const member = this.stopping ? undefined : this.pickMember();
      if (!member) return this.settle(entry, 'abandoned');
      // Continue the attempt count of earlier deliveries (a crash or a shutdown in between).
      const firstAttempt = Math.min(entry.message.deliveryCount, this.options.maxAttempts);
      this.settle(entry, await member.deliver(entry.inbound, firstAttempt));
    } finally {
      this.held.release(entry);
      this.outstanding--;
      this.window.finished(performance.now());
      this.fetcher.pump();
      if (this.outstanding === 0) this.idle.release();
    }
  }

  private settle(entry: HeldMessage, outcome: DeliveryOutcome): void {
    if (entry.settled) return;
    entry.settled = true;
    if (outcome === 'handled') this.acks.add(entry.message);
    else if (outcome !== 'abandoned') entry.message.term();
    // nats-server 2.9 loses track of a nak'ed message (until ack_wait) when it tries to redeliver it
    // to a pull request that has just expired or lost its subscriber: hold naks until our fetch ended.
    else if (this.stopping && !this.fetchEnded) this.deferredNaks.push(entry);
    else entry.message.nak();
  }

  /** Round robin over members with spare capacity; undefined once every member left. */
  private pickMember(): GroupMember | undefined {
    const count = this.members.length;
    for (let tried = 0; tried < count; tried++) {
      const member = this.members[this.nextMember++ % count]!;
      if (member.hasCapacity) return member;
    }
    return undefined;
  }

  private resize(): void {
    if (this.stopping) return;
    const concurrency = this.members.reduce((sum, member) => sum + member.concurrency, 0);
    this.scheduler.setConcurrency(concurrency);
    this.window.setConcurrency(concurrency);
    if (this.started) this.fetcher.pump();
  }

  private onIdle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return this.idle.wait();
  }
}
