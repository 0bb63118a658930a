import { type Consumer, type JsMsg } from '@nats-io/jetstream';
import { sleep } from '../delivery/retry-policy';
import { createStopController } from '../delivery/stop-signal';
import { type EventBusLogger } from '../logger';

export interface NatsFetcherOptions {
  readonly consumer: Consumer;
  /** Most messages held (received, not finished) plus asked for at a time. */
  readonly window: number;
  /** Messages received and not finished yet. */
  readonly held: () => number;
  readonly onMessage: (message: JsMsg) => void;
  /** Re-creates stream and consumer if they are gone; idempotent. */
  readonly recreate: () => Promise<void>;
  readonly logger: EventBusLogger;
  readonly labels: { readonly topic: string; readonly group: string };
}

/**
 * How long one fetch waits for messages (the client's minimum): a stop waits at most this long for
 * the fetches in progress to end. Their heartbeats (every half of it) detect a dead connection.
 */
const FETCH_EXPIRES = 1_000;
/** Two fetches overlap, so the next batch is on its way while the current one is handled. */
const MAX_FETCHES = 2;
const MAX_BACKOFF = 2_000;

/**
 * Pulls a group's messages with `fetch` requests, keeping what is held plus what is asked for within
 * the window. Each fetch is one pull request that ends on a signal from the server (batch complete,
 * or expired), so `stop` can wait for them to end instead of leaving a pull request on the server (a
 * continuous `consume()` keeps queueing follow-up pulls that may reach the server after a stop).
 * Failures (connection lost, server restarting, consumer gone) back off and re-create the topology.
 */
export class NatsFetcher {
  private asked = 0;
  private fetches = 0;
  private failures = 0;
  private backingOff = false;
  private stopping = false;
  private readonly pause = createStopController();
  private ended: (() => void) | undefined;

  constructor(private readonly options: NatsFetcherOptions) {}

  /** Starts fetches while the window has room for at least a quarter of it. Call when room frees up. */
  pump(): void {
    const { window, held } = this.options;
    const minimumBatch = Math.max(1, Math.floor(window / 4));
    while (!this.stopping && !this.backingOff && this.fetches < MAX_FETCHES) {
      const room = window - held() - this.asked;
      if (room < minimumBatch) return;
      this.fetches++;
      this.asked += room;
      void this.fetch(room);
    }
  }

  /** No new fetch starts; resolves once the fetches in progress have ended (within FETCH_EXPIRES). */
  stop(): Promise<void> {
    this.stopping = true;
    this.pause.abort();
    if (this.fetches === 0) return Promise.resolve();
    return new Promise((resolve) => (this.ended = resolve));
  }

  private async fetch(size: number): Promise<void> {
    let received = 0;
    try {
      const batch = await this.options.consumer.fetch({ max_messages: size, expires: FETCH_EXPIRES });
      // Not iterated yet, so its pull request was never sent: closing it is enough. Its close
      // promise settles only once iterated, which would send the pull: do not wait for it.
      if (this.stopping) {
        void batch.close();
        return;
      }
      for await (const message of batch) {
        received++;
        this.asked--;
        this.options.onMessage(message);
      }
      this.failures = 0;
    } catch (error) {
      if (!this.stopping) await this.backOff(error);
    } finally {
      this.asked -= size - received;
      this.fetches--;
      if (this.fetches === 0 && this.stopping) this.ended?.();
      this.pump();
    }
  }

  private async backOff(error: unknown): Promise<void> {
    const { logger, labels } = this.options;
    this.failures++;
    if (this.failures === 1 || this.failures % 20 === 0) {
      logger.warn({ err: error, ...labels, failures: this.failures }, 'JetStream fetch failed; retrying');
    }
    if (this.backingOff) return;
    this.backingOff = true;
    try {
      await this.options.recreate().catch(() => undefined);
      await sleep(Math.min(MAX_BACKOFF, 50 * 2 ** Math.min(this.failures, 6)), this.pause.signal);
    } finally {
      this.backingOff = false;
    }
  }
}
