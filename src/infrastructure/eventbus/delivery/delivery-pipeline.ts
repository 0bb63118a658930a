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
export class DeliveryPipeline {
  private readonly deadlines: AttemptDeadlines | undefined;

  constructor(private readonly options: DeliveryPipelineOptions) {
    const { attemptTimeout, signal } = options;
    if (attemptTimeout)
      this.deadlines = new AttemptDeadlines(attemptTimeout.ms, attemptTimeout.setting, signal);
  }

  deliver(message: InboundMessage, firstAttempt = 1): Promise<DeliveryOutcome> {
    const { tracing, topic, group } = this.options;
    if (!tracing?.enabled) return this.attempts(message, firstAttempt, undefined);
    return tracing.deliver(topic, group, message, (span) => this.attempts(message, firstAttempt, span));
  }

  private async attempts(
    message: InboundMessage,
    firstAttempt: number,
    span: DeliveryTrace | undefined,
  ): Promise<DeliveryOutcome> {
    const { handler, retry, series, signal, topic, group } = this.options;
    const deadlines = this.deadlines;
    series.inFlight++;
    try {
      let lastError: unknown;
      for (let attempt = firstAttempt; ; attempt++) {
        const context = new AttemptContext(
          topic,
          group,
          attempt,
          message,
          signal,
          deadlines ? Date.now() + deadlines.limit : Infinity,
        );
        const started = performance.now();
        try {
          await (deadlines
            ? deadlines.run(handler, message.payload, context)
            : handler(message.payload, context));
          series.handlerDuration.observe((performance.now() - started) / 1000);
          series.consumed++;
          return 'handled';
        } catch (error) {
          series.handlerDuration.observe((performance.now() - started) / 1000);
          series.errors++;
          lastError = error;
          this.options.onHandlerError?.(error, context);
        }
        if (attempt >= retry.maxAttempts) return await this.giveUp(message, attempt, lastError, span);
        span?.retrying(attempt, lastError);
        if (!(await sleep(backoffDelay(attempt + 1, retry), signal))) return 'abandoned';
        series.retried++;
      }
    } finally {
      series.inFlight--;
    }
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
