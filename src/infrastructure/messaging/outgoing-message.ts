import { context as traceContext, propagation } from '@opentelemetry/api';
import type { DomainEvent } from '../../domain/shared/domain-event';
import { executionContext } from '../context/execution-context';
import { EnvelopeHeader, type MessageHeaders } from '../eventbus';
import type { DomainEventSerializer } from './domain-event.serializer';
import { topicForEvent } from './topic-naming';

/** An event as the bus will carry it: everything `EventBus.publish` needs, decided when it is recorded. */
export interface OutgoingMessage {
  readonly eventId: string;
  readonly eventName: string;
  readonly topic: string;
  readonly tenantId: string;
  readonly aggregateId: string;
  /** Tenant and aggregate: every backend keeps order per key, hence per aggregate. */
  readonly key: string;
  readonly payload: Uint8Array;
  readonly headers: MessageHeaders;
}

/**
 * Serializes `event` with the correlation and tenant of the work that caused it (the request, or the
 * event being handled). The event id becomes the message id, so broker de-duplication (JetStream
 * Nats-Msg-Id) drops a re-published copy. The active trace context is captured in the headers
 * (`traceparent`), so the span that publishes the event later, from the outbox, continues this trace.
 */
export function toOutgoingMessage(event: DomainEvent, serializer: DomainEventSerializer): OutgoingMessage {
  const context = executionContext.current();
  // Without a request or event behind it, an event starts its own chain.
  const correlationId = context?.correlationId ?? event.eventId;
  const tenantId = executionContext.tenantId();
  const headers: MessageHeaders = {
    [EnvelopeHeader.type]: event.eventName,
    [EnvelopeHeader.trace]: correlationId,
    [EnvelopeHeader.tenant]: tenantId,
  };
  // A no-op unless tracing registered a propagator.
  propagation.inject(traceContext.active(), headers);
  return {
    eventId: event.eventId,
    eventName: event.eventName,
    topic: topicForEvent(event),
    tenantId,
    aggregateId: event.aggregateId,
    key: messageKey(tenantId, event.aggregateId),
    payload: serializer.serialize(event, { correlationId, causationId: context?.causationId, tenantId }),
    headers,
  };
}

/** Aggregate ids are unique only within a tenant's data, so the key names both. */
export function messageKey(tenantId: string, aggregateId: string): string {
  return `${tenantId}/${aggregateId}`;
}
