import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { sleep } from '../delivery/retry-policy';
import { createStopController } from '../delivery/stop-signal';
import { type EventBusLogger } from '../logger';
import { NatsPulledMessage } from './nats-pulled-message';

export interface NatsFetcherOptions {
  readonly connection: NatsConnection;
  /** The stream and the durable pull consumer to read. */
  readonly stream: string;
  readonly consumer: string;
  /** Most messages held (received, not finished) plus asked for at a time. */
  readonly window: () => number;
  /** Messages received and not finished yet. */
  readonly held: () => number;
  readonly onMessage: (message: NatsPulledMessage) => void;
  /** Re-creates stream and consumer if they are gone; idempotent. */
  readonly recreate: () => Promise<void>;
  readonly logger: EventBusLogger;
  readonly labels: { readonly topic: string; readonly group: string };
}

/**
 * How long a pull request waits on the server for messages: a stop waits at most this long for the
 * requests in progress to end.
 */
const PULL_EXPIRES = 1_000;
/** A request neither filled nor expired this long after it was sent was lost (see `sweep`). */
const PULL_LOST_AFTER = PULL_EXPIRES + 1_000;
/**
 * How long the inbox of a request given up as lost keeps listening: its messages may only be late
 * (a busy event loop runs the sweep before reading the socket), and a message sent to an inbox
 * nobody listens on is redelivered only after `ack_wait`.
 */
const LOST_INBOX_LINGER = 10_000;
const MAX_BACKOFF = 2_000;
/** Status codes that end a pull request normally: expired, or (never asked for here) no messages. */
const EXPIRED = new Set([404, 408]);

interface PullRequest {
  /** Messages asked for and not received yet. */
  remaining: number;
  readonly lostAt: number;
  readonly subscription: Subscription;
  ended: boolean;
}

/**
 * Pulls a group's messages with JetStream pull requests (`CONSUMER.MSG.NEXT`), keeping what is held
 * plus what is asked for within the window: a new request whenever a quarter of the window is free.
 * Each request has an inbox subscription of its own that ends with it: after its last message (the
 * server unsubscribes it by itself), on the server's signal that it expired, or, when the request
 * is given up as lost, some seconds later. So `stop` can wait for the requests to end instead of
 * leaving one on the server.
 * nats.js's `fetch` does the same exchange with timers, heartbeat checks and an async iterator per
 * request, which bounds a small window's rate.
 * Failures (connection lost, server restarting, consumer gone) back off and re-create the topology;
 * a reconnect ends the backoff (`resume`).
 */
export class NatsFetcher {
  private readonly prefix = `${createInbox()}.`;
  private readonly next: string;
  private readonly requests = new Set<PullRequest>();
  private sweeper: NodeJS.Timeout | undefined;
  private sequence = 0;
  private asked = 0;
  private failures = 0;
  private backingOff = false;
  private stopping = false;
  private readonly pause = createStopController();
  /** Ends the backoff sleep in progress early (a reconnect). */
  private wake: AbortController | undefined;
  private recheck = false;
  private ended: (() => void) | undefined;

  constructor(private readonly options: NatsFetcherOptions) {
    this.next = `$JS.API.CONSUMER.MSG.NEXT.${options.stream}.${options.consumer}`;
  }

  /** Asks for more when the window has room for at least a quarter of it. Call when room frees up. */
  pump(): void {
    if (this.stopping || this.backingOff) return;
    const window = this.options.window();
    const room = window - this.options.held() - this.asked;
    if (room < Math.max(1, Math.floor(window / 4))) return;
    this.pull(room);
  }

  /**
   * After a reconnect: the requests sent before it are given up (the old server took them along),
   * the topology is checked again and pulling starts at once, without waiting out a backoff.
   */
  resume(): void {
    if (this.stopping) return;
    for (const request of this.requests) this.end(request, true);
    this.failures = 0;
    // A recovery in progress checked the topology against the old server: it checks again.
    this.recheck = true;
    this.wake?.abort();
    void this.recover();
  }

  /** No new request goes out; resolves once the requests in progress have ended. */
  stop(): Promise<void> {
    this.stopping = true;
    this.pause.abort();
    if (this.requests.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.ended = resolve));
  }

  private pull(size: number): void {
    const { connection } = this.options;
    const inbox = this.prefix + (++this.sequence).toString(36);
    let request: PullRequest | undefined;
    try {
      const subscription = connection.subscribe(inbox, {
        // The server ends the subscription after the last message asked for.
        max: size,
        callback: (error, msg) => this.receive(request!, error, msg),
      });
      const lostAt = performance.now() + PULL_LOST_AFTER;
      request = { remaining: size, lostAt, subscription, ended: false };
      connection.publish(this.next, `{"batch":${size},"expires":${PULL_EXPIRES * 1_000_000}}`, {
        reply: inbox,
      });
    } catch (error) {
      request?.subscription.unsubscribe();
      void this.backOff(error);
      return;
    }
    this.requests.add(request);
    this.asked += size;
    this.sweeper ??= setInterval(() => this.sweep(), PULL_EXPIRES / 2).unref();
  }

  private receive(request: PullRequest, error: Error | null, msg: Msg): void {
    if (error) {
      this.end(request);
      void this.backOff(error);
    } else if (NatsPulledMessage.isDelivery(msg)) {
      // A request given up as lost may still deliver: the message is ours all the same.
      if (!request.ended) {
        this.asked--;
        if (--request.remaining === 0) this.end(request);
      }
      this.failures = 0;
      this.options.onMessage(new NatsPulledMessage(msg));
    } else {
      const code = msg.headers?.code ?? 0;
      // Heartbeats and flow control: not asked for, nothing to do.
      if (code === 100) return;
      if (request.ended) {
        request.subscription.unsubscribe();
        return;
      }
      this.end(request);
      if (EXPIRED.has(code)) {
        this.failures = 0;
        this.pump();
      } else {
        void this.backOff(new Error(`pull request failed: ${code} ${msg.headers?.description ?? ''}`));
      }
    }
  }

  private end(request: PullRequest, lost = false): void {
    if (request.ended) return;
    request.ended = true;
    this.requests.delete(request);
    this.asked -= request.remaining;
    if (request.remaining > 0) {
      if (lost) setTimeout(() => request.subscription.unsubscribe(), LOST_INBOX_LINGER).unref();
      else request.subscription.unsubscribe();
    }
    if (this.requests.size > 0) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    if (this.stopping) this.ended?.();
  }

  /**
   * Ends the requests the server will not answer any more: sent before a lost connection, or to a
   * consumer that is gone (the server drops those without a word), so the topology is checked again.
   */
  private sweep(): void {
    const now = performance.now();
    let lost = 0;
    for (const request of this.requests) {
      if (request.lostAt > now) continue;
      this.end(request, true);
      lost++;
    }
    if (lost > 0)
      void this.backOff(new Error(`${lost} pull request(s) not answered within ${PULL_LOST_AFTER} ms`));
    else this.pump();
  }

  private async backOff(error: unknown): Promise<void> {
    if (this.stopping) return;
    const { logger, labels } = this.options;
    this.failures++;
    if (this.failures === 1 || this.failures % 20 === 0) {
      logger.warn({ err: error, ...labels, failures: this.failures }, 'JetStream pull failed; retrying');
    }
    await this.recover();
  }

  /** Re-creates the topology, waits out the backoff of the failures so far (none after a resume), pulls. */
  private async recover(): Promise<void> {
    if (this.backingOff) return;
    this.backingOff = true;
    try {
      do {
        this.recheck = false;
        await this.options.recreate().catch(() => undefined);
        if (this.failures > 0) {
          this.wake = new AbortController();
          const delay = Math.min(MAX_BACKOFF, 50 * 2 ** Math.min(this.failures, 6));
          await sleep(delay, AbortSignal.any([this.pause.signal, this.wake.signal]));
        }
      } while (this.recheck && !this.stopping);
    } finally {
      this.wake = undefined;
      this.backingOff = false;
    }
    this.pump();
  }
}
