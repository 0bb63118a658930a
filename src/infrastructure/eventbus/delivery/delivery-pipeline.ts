import { type DeadLetterConfig, type RetryConfig } from '../config/event-bus.config';
import { DeadLetterHeader } from '../constants';
import { type MessageContext, type MessageHandler, type MessageHeaders } from '../event-bus';
import { type ConsumeSeries } from '../metrics/series';
import { AttemptContext } from './attempt-context';
import { AttemptDeadlines } from './attempt-deadlines';
import { type DeliveryOutcome, type InboundMessage } from './inbound-message';
import { backoffDelay, sleep } from './retry-policy';
import { describeError } from '../describe-error';
import { type BusTracing, type DeliveryTrace } from '../tracing/bus-tracing';

export type DeadLetterPublish = (
  topic: string,
  payload: Uint8Array,
  options: { key: string | undefined; headers: MessageHeaders },
) => Promise<void>;

export interface DeliveryPipelineOptions {
  readonly topic: string;
  readonly group: string;
  readonly handler: MessageHandler;
  readonly retry: RetryConfig;
  readonly deadLetter: DeadLetterConfig;
  readonly publishDeadLetter: DeadLetterPublish;
  readonly series: ConsumeSeries;
  /** Aborts backoff waits and tells handlers to stop; the message is then left unacknowledged. */
  readonly signal: AbortSignal;
  /** Bounds each handler attempt; past `ms` it fails with HandlerTimeoutError naming `setting`. */
  readonly attemptTimeout?: { readonly ms: number; readonly setting: string };
  readonly onHandlerError?: (error: unknown, context: MessageContext) => void;
  /** A consumer span per delivery, when tracing is on. */
  readonly tracing?: BusTracing;
}

/**
 * The consumer semantics every backend shares: run the handler, retry with exponential backoff,
 * dead-letter after the last attempt, count everything. Backends only decide how to ack the outcome.
 */
/** What `afterFailure` answers when another attempt should follow. */
const RETRY = Symbol('retry');

export class DeliveryPipeline {
  private readonly deadlines: AttemptDeadlines | undefined;

  constructor(private readonly options: DeliveryPipelineOptions) {
    const { attemptTimeout, signal } = options;
    if (attemptTimeout)
      this.deadlines = new AttemptDeadlines(attemptTimeout.ms, attemptTimeout.setting, signal);
  }

  deliver(message: InboundMessage, firstAttempt = 1): Promise<DeliveryOutcome> {
    const { tracing, topic, group } = this.options;
    if (!tracing?.enabled) return this.firstAttempt(message, firstAttempt);
    return tracing.deliver(topic, group, message, (span) => this.attempts(message, firstAttempt, span));
  }

  /**
   * One attempt without an async frame of its own, retries only after a failure: nearly every
   * message needs a single attempt, and the frames of the retry loop cost a fifth of a fast handler.
   */
  private firstAttempt(message: InboundMessage, attempt: number): Promise<DeliveryOutcome> {
    const { series } = this.options;
    series.inFlight++;
    const context = this.contextFor(message, attempt);
    const started = performance.now();
    return this.run(message, context).then(
      () => {
        this.succeeded(started);
        series.inFlight--;
        return 'handled';
      },
      (error: unknown) => {
        this.failed(started, error, context);
        return this.retryAfter(message, attempt, error);
      },
    );
  }

  private async retryAfter(
    message: InboundMessage,
    attempt: number,
    error: unknown,
  ): Promise<DeliveryOutcome> {
    try {
      const next = await this.afterFailure(message, attempt, error, undefined);
      return next === RETRY ? await this.attemptLoop(message, attempt + 1, undefined) : next;
    } finally {
      this.options.series.inFlight--;
    }
  }

  private async attempts(
    message: InboundMessage,
    firstAttempt: number,
    span: DeliveryTrace | undefined,
  ): Promise<DeliveryOutcome> {
    this.options.series.inFlight++;
    try {
      return await this.attemptLoop(message, firstAttempt, span);
    } finally {
      this.options.series.inFlight--;
    }
  }

  private async attemptLoop(
    message: InboundMessage,
    firstAttempt: number,
    span: DeliveryTrace | undefined,
  ): Promise<DeliveryOutcome> {
    for (let attempt = firstAttempt; ; attempt++) {
      const context = this.contextFor(message, attempt);
      const started = performance.now();
      try {
        await this.run(message, context);
        this.succeeded(started);
        return 'handled';
      } catch (error) {
        this.failed(started, error, context);
        const next = await this.afterFailure(message, attempt, error, span);
        if (next !== RETRY) return next;
      }
    }
  }

  /** Dead-letters after the last attempt; otherwise waits out the backoff and says to retry. */
  private async afterFailure(
    message: InboundMessage,
    attempt: number,
    error: unknown,
    span: DeliveryTrace | undefined,
  ): Promise<DeliveryOutcome | typeof RETRY> {
    const { retry, series, signal } = this.options;
    if (attempt >= retry.maxAttempts) return this.giveUp(message, attempt, error, span);
    span?.retrying(attempt, error);
    if (!(await sleep(backoffDelay(attempt + 1, retry), signal))) return 'abandoned';
    series.retried++;
    return RETRY;
  }

  private contextFor(message: InboundMessage, attempt: number): AttemptContext {
    const { topic, group, signal } = this.options;
    const deadlines = this.deadlines;
    return new AttemptContext(
      topic,
      group,
      attempt,
      message,
      signal,
      deadlines ? Date.now() + deadlines.limit : Infinity,
    );
  }

  /** The handler's attempt, bounded by the attempt deadline when there is one; never throws synchronously. */
  private run(message: InboundMessage, context: AttemptContext): Promise<void> {
    const { handler } = this.options;
    try {
      return this.deadlines
        ? this.deadlines.run(handler, message.payload, context)
        : Promise.resolve(handler(message.payload, context));
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the handler's reason, passed on as is
      return Promise.reject(error);
    }
  }

  private succeeded(started: number): void {
    const { series } = this.options;
    series.handlerDuration.observe((performance.now() - started) / 1000);
    series.consumed++;
  }

  private failed(started: number, error: unknown, context: AttemptContext): void {
    const { series } = this.options;
    series.handlerDuration.observe((performance.now() - started) / 1000);
    series.errors++;
    this.options.onHandlerError?.(error, context);
  }

  /** Keeps trying to dead-letter until it works or we stop: acking without it would lose the message. */
  private async giveUp(
    message: InboundMessage,
    attempts: number,
    error: unknown,
    span: DeliveryTrace | undefined,
  ): Promise<DeliveryOutcome> {
    const { deadLetter, retry, series, signal, topic, group } = this.options;
    if (!deadLetter.enabled) {
      span?.discarded(attempts, error);
      return 'discarded';
    }
    const headers: MessageHeaders = {
      ...message.headers,
      [DeadLetterHeader.originalTopic]: topic,
      [DeadLetterHeader.group]: group,
      [DeadLetterHeader.attempts]: String(attempts),
      [DeadLetterHeader.error]: describeError(error),
      [DeadLetterHeader.failedAt]: new Date().toISOString(),
    };
    for (;;) {
      try {
        await this.options.publishDeadLetter(topic + deadLetter.topicSuffix, message.payload, {
          key: message.key,
          headers,
        });
        series.deadLettered++;
        span?.deadLettered(topic + deadLetter.topicSuffix, attempts, error);
        return 'dead-lettered';
      } catch {
        if (!(await sleep(retry.maxBackoff, signal))) return 'abandoned';
      }
    }
  }
}
