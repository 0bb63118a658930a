import { errors as natsErrors, type NatsConnection } from '@nats-io/transport-node';
import { sleep } from '../delivery/retry-policy';
import { createStopController } from '../delivery/stop-signal';
import { EventBusError, PublishAbortedError } from '../errors';
import { type PublishSeries } from '../metrics/series';
import { isTransientNatsError, NatsPublishError, StreamLookupTimeoutError } from './nats-errors';
import { NatsPubAckInbox } from './nats-pub-ack';
import { type NatsTopology } from './nats-topology';
import { IdleWaiters } from '../delivery/idle-waiters';

export interface NatsPublishRequest {
  readonly topic: string;
  readonly payload: Uint8Array;
  /** The encoded header block, with the message id as `Nats-Msg-Id`: a retry is stored once. */
  readonly headers: Uint8Array;
  readonly signal: AbortSignal | undefined;
}

const FIRST_RETRY_DELAY = 25;
/** A PubAck takes milliseconds; one lost with a dropped connection is re-sent after this long. */
const MIN_ATTEMPT_TIMEOUT = 500;
const MAX_ATTEMPT_TIMEOUT = 5_000;

/**
 * Publishes to JetStream and resolves on the PubAck. The message id goes out as `Nats-Msg-Id`, so
 * when a transient failure (connection lost, server restarting, ack timed out) makes us send it
 * again, JetStream stores it once within the stream's duplicate window. Retries stop at `deadline`
 * ms after the first attempt. A publish whose signal aborts ends at once with a PublishAbortedError
 * (if it went out, JetStream may still store it). Counts into the topic's publish series and tracks
 * publishes in flight so `close()` can wait for them.
 */
export class NatsPublisher {
  private pending = 0;
  private readonly idle = new IdleWaiters();
  /** Aborted when close() gives up waiting, so retry loops end. */
  private readonly stop = createStopController();
  private readonly attemptTimeout: number;
  private readonly pubAcks: NatsPubAckInbox;
  /** Stream lookups of first attempts in flight, by topic. */
  private readonly firstLookups = new Map<string, Promise<void>>();

  constructor(
    connection: NatsConnection,
    private readonly topology: NatsTopology,
    private readonly deadline: number,
    private readonly maxRetryDelay: number,
  ) {
    this.attemptTimeout = Math.min(MAX_ATTEMPT_TIMEOUT, Math.max(MIN_ATTEMPT_TIMEOUT, deadline / 5));
    this.pubAcks = new NatsPubAckInbox(connection);
  }

  publish(request: NatsPublishRequest, series: PublishSeries): Promise<void> {
    const { topic, payload, headers, signal } = request;
    if (this.topology.knownStream(topic) === undefined) return this.publishWithChecks(request, series);
    // The common case without an async frame: a known stream. Each layer of async function and
    // await on this path costs a measurable share of the publish rate.
    this.pending++;
    const started = performance.now();
    return new Promise<void>((resolve, reject) => {
      this.pubAcks.send(topic, payload, headers, this.attemptTimeout, signal, (error) => {
        if (error === undefined) {
          this.finish(series, started);
          resolve();
        } else {
          this.retryAndFinish(request, series, started, error).then(resolve, reject);
        }
      });
    });
  }

  /** Resolves once no publish is in flight. */
  onIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return this.idle.wait();
  }

  abortRetries(): void {
    this.stop.abort();
  }

  /** Before the connection closes: fails publishes still waiting for their PubAck. */
  close(): void {
    this.pubAcks.close();
  }

  /** The first publish to a topic looks its stream up (or creates it) first. */
  private async publishWithChecks(request: NatsPublishRequest, series: PublishSeries): Promise<void> {
    this.pending++;
    const started = performance.now();
    let failure: unknown;
    try {
      await this.attempt(request, this.attemptTimeout);
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) this.finish(series, started);
    else await this.retryAndFinish(request, series, started, failure);
  }

  private async retryAndFinish(
    request: NatsPublishRequest,
    series: PublishSeries,
    started: number,
    firstError: unknown,
  ): Promise<void> {
    try {
      await this.retry(request, started, firstError);
    } catch (error) {
      series.errors++;
      this.settled();
      throw error;
    }
    this.finish(series, started);
  }

  private finish(series: PublishSeries, started: number): void {
    series.published++;
    series.duration.observe((performance.now() - started) / 1000);
    this.settled();
  }

  private settled(): void {
    if (--this.pending === 0) this.idle.release();
  }

  private async attempt(request: NatsPublishRequest, timeout: number): Promise<void> {
    const { topic, payload, headers, signal } = request;
    if (this.topology.knownStream(topic) === undefined) {
      const lookup = this.lookUpStream(topic, timeout);
      await (signal ? abortable(lookup, signal, topic) : lookup);
    }
    await this.pubAcks.publish(topic, payload, headers, timeout, signal);
  }

  /**
   * The topic's stream, looked up (or created) within `timeout` ms: a JetStream API that does not
   * answer (a frozen or overloaded server) must not hold a publish past its deadline. First attempts
   * share one timeout, so they share one lookup: a burst of publishes to a new topic arms one timer.
   */
  private lookUpStream(topic: string, timeout: number): Promise<void> {
    if (timeout !== this.attemptTimeout) return this.boundedLookup(topic, timeout);
    let lookup = this.firstLookups.get(topic);
    if (lookup === undefined) {
      lookup = this.boundedLookup(topic, timeout).finally(() => this.firstLookups.delete(topic));
      this.firstLookups.set(topic, lookup);
    }
    return lookup;
  }

  private boundedLookup(topic: string, timeout: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new StreamLookupTimeoutError(
            `the stream of "${topic}" was not found or created within ${timeout} ms`,
          ),
        );
      }, timeout);
      timer.unref();
      this.topology.ensureStream(topic).then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** The slow path: the first attempt failed; try again while the failure is transient and time is left. */
  private async retry(request: NatsPublishRequest, started: number, firstError: unknown): Promise<void> {
    const { topic, signal } = request;
    let error = firstError;
    // What the failure reports: the server's last answer, not an attempt that merely ran out of time.
    let telling = firstError;
    let delay = FIRST_RETRY_DELAY;
    for (let attempts = 1; ; attempts++) {
      const elapsed = performance.now() - started;
      if (error instanceof PublishAbortedError) throw error;
      if (!isTimeout(error)) telling = error;
      if (!isTransientNatsError(error) || elapsed + delay >= this.deadline) {
        throw this.failure(topic, attempts, elapsed, telling);
      }
      // The stream may be gone (memory storage after a server restart): check it again.
      this.topology.forget(topic);
      const stopped = signal ? AbortSignal.any([signal, this.stop.signal]) : this.stop.signal;
      if (!(await sleep(delay, stopped))) {
        if (signal?.aborted) throw new PublishAbortedError(topic);
        throw this.failure(topic, attempts, elapsed, telling);
      }
      delay = Math.min(delay * 2, this.maxRetryDelay);
      const remaining = this.deadline - (performance.now() - started);
      try {
        await this.attempt(request, Math.max(1, Math.ceil(Math.min(remaining, this.attemptTimeout))));
        return;
      } catch (next) {
        error = next;
      }
    }
  }

  private failure(topic: string, attempts: number, elapsed: number, error: unknown): Error {
    if (error instanceof EventBusError) return error;
    const cause = error instanceof Error ? error.message : String(error);
    return new NatsPublishError(
      `publish to "${topic}" was not acknowledged by JetStream after ${attempts} attempt(s) in ${Math.round(elapsed)} ms: ${cause}`,
      { cause: error },
    );
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof natsErrors.TimeoutError || error instanceof StreamLookupTimeoutError;
}

/** The stream lookup's outcome, or a PublishAbortedError as soon as `signal` aborts. */
function abortable<T>(work: Promise<T>, signal: AbortSignal, topic: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new PublishAbortedError(topic));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new PublishAbortedError(topic));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
