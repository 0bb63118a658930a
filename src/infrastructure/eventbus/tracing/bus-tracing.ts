import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { type TracingConfig } from '../config/event-bus.config';
import { HealthCheckTopic } from '../constants';
import { type InboundMessage } from '../delivery/inbound-message';
import { describeError } from '../describe-error';
import { type MessageHeaders, type PublishOptions } from '../event-bus';
import { MessagingAttribute } from './messaging-attributes';

/** The OpenTelemetry name of this library's tracer. */
export const TRACER_NAME = 'eventbus';

/** What a consumer span records while the pipeline retries and gives up. */
export interface DeliveryTrace {
  retrying(attempt: number, error: unknown): void;
  deadLettered(deadLetterTopic: string, attempts: number, error: unknown): void;
  discarded(attempts: number, error: unknown): void;
}

const headerGetter = {
  keys: (carrier: Readonly<MessageHeaders>) => Object.keys(carrier),
  get: (carrier: Readonly<MessageHeaders>, key: string) => carrier[key],
};

/**
 * Producer and consumer spans, the same on every backend: `send <topic>` around a publish and
 * `process <topic>` around a delivery (all its attempts), following the messaging semantic
 * conventions. Trace context travels in the message headers through the globally registered
 * propagator (W3C `traceparent` unless the application chose another).
 *
 * A message that already carries a trace context (an outbox row captures the request's when it is
 * written) is sent as a child of that context, so a relay publishing later keeps the request's trace.
 * The health checker's own messages are not traced: they would be a span pair every interval.
 */
export class BusTracing {
  private constructor(
    private readonly tracer: Tracer | undefined,
    private readonly system: string,
  ) {}

  static create(config: TracingConfig, system: string, tracer?: Tracer): BusTracing {
    return new BusTracing(config.enabled ? (tracer ?? trace.getTracer(TRACER_NAME)) : undefined, system);
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  /** Runs `send` in a PRODUCER span, with that span's context added to the headers it is given. */
  async publish(
    topic: string,
    options: PublishOptions,
    send: (options: PublishOptions) => Promise<void>,
  ): Promise<void> {
    if (!this.tracer || topic === HealthCheckTopic) return send(options);
    const carried = options.headers ? extract(options.headers) : undefined;
    const parent = carried && trace.getSpanContext(carried) ? carried : context.active();
    const span = this.tracer.startSpan(
      `send ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          ...this.attributes(topic, 'send'),
          ...(options.messageId !== undefined && { [MessagingAttribute.messageId]: options.messageId }),
          ...(options.key !== undefined && this.keyAttribute(options.key)),
        },
      },
      parent,
    );
    const headers: MessageHeaders = { ...options.headers };
    propagation.inject(trace.setSpan(parent, span), headers);
    try {
      await send({ ...options, headers });
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** Runs the delivery `run` in a CONSUMER span whose parent is the context the message carries. */
  async deliver<T>(
    topic: string,
    group: string,
    message: InboundMessage,
    run: (trace: DeliveryTrace | undefined) => Promise<T>,
  ): Promise<T> {
    if (!this.tracer || topic === HealthCheckTopic) return run(undefined);
    const parent = extract(message.headers);
    const { position } = message;
    const span = this.tracer.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...this.attributes(topic, 'process'),
          [MessagingAttribute.messageId]: message.messageId,
          [MessagingAttribute.consumerGroup]: group,
          [MessagingAttribute.bodySize]: message.payload.byteLength,
          ...(message.key !== undefined && this.keyAttribute(message.key)),
          ...(position && {
            [MessagingAttribute.partition]: String(position.partition),
            [MessagingAttribute.kafkaOffset]: Number(position.offset),
          }),
        },
      },
      parent,
    );
    try {
      return await context.with(trace.setSpan(parent, span), () => run(deliveryTrace(span)));
    } finally {
      span.end();
    }
  }

  private attributes(topic: string, operation: 'send' | 'process'): Record<string, string> {
    return {
      [MessagingAttribute.system]: this.system,
      [MessagingAttribute.destination]: topic,
      [MessagingAttribute.operationType]: operation,
      [MessagingAttribute.operationName]: operation,
    };
  }

  private keyAttribute(key: string): Record<string, string> {
    return this.system === 'kafka' ? { [MessagingAttribute.kafkaKey]: key } : {};
  }
}

function extract(headers: Readonly<MessageHeaders>): Context {
  return propagation.extract(context.active(), headers, headerGetter);
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
}

function deliveryTrace(span: Span): DeliveryTrace {
  return {
    retrying: (attempt, error) =>
      span.addEvent('retry', { 'messaging.attempt': attempt, 'exception.message': describeError(error) }),
    deadLettered: (deadLetterTopic, attempts, error) => {
      span.addEvent('dead_letter', {
        'messaging.destination.name': deadLetterTopic,
        'messaging.attempts': attempts,
      });
      failed(span, error);
    },
    discarded: (attempts, error) => {
      span.addEvent('discarded', { 'messaging.attempts': attempts });
      failed(span, error);
    },
  };
}
