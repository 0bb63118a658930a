import type { DomainEvent } from '../../domain/shared/domain-event';
import { MalformedEventMessageError } from './messaging.errors';

/** Who caused an event; travels beside it so consumers can trace a request across contexts. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId?: string;
  /** Whose data the event is about; absent on events written before tenancy existed. */
  readonly tenantId?: string;
}

/**
 * The one wire shape every backend carries. `causationId` is written as null when absent so the
 * shape is the same on every message.
 */
export interface DomainEventEnvelope {
  eventId: string;
  eventName: string;
  version: number;
  aggregateId: string;
  /** ISO-8601 with a time zone. */
  occurredOn: string;
  attributes: Record<string, unknown>;
  metadata: { correlationId: string; causationId: string | null; tenantId?: string };
}

// A zone is required: a zone-less time would be read in whatever zone the consumer runs in.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function toEnvelope(event: DomainEvent, metadata: EventMetadata): DomainEventEnvelope {
  const { eventId, eventName, version, aggregateId, occurredOn, attributes } = event.toEnvelopePrimitives();
  return {
    eventId,
    eventName,
    version,
    aggregateId,
    occurredOn,
    attributes,
    metadata: {
      correlationId: metadata.correlationId,
      causationId: metadata.causationId ?? null,
      ...(metadata.tenantId !== undefined ? { tenantId: metadata.tenantId } : {}),
    },
  };
}

/** Checks a parsed JSON value field by field, in envelope order; the error names the first bad field. */
export function parseEnvelope(value: unknown): DomainEventEnvelope {
  const envelope = requireObject(value, 'message', 'a JSON object');
  const eventId = requireString(envelope, 'eventId');
  const eventName = requireString(envelope, 'eventName');
  const version = envelope.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new MalformedEventMessageError('field "version" must be a positive integer');
  }
  const aggregateId = requireString(envelope, 'aggregateId');
  const occurredOn = requireString(envelope, 'occurredOn');
  if (!ISO_DATE_TIME.test(occurredOn) || Number.isNaN(Date.parse(occurredOn))) {
    throw new MalformedEventMessageError('field "occurredOn" must be an ISO-8601 date-time with a time zone');
  }
  const attributes = requireObject(envelope.attributes, 'field "attributes"', 'an object');
  const metadata = requireObject(envelope.metadata, 'field "metadata"', 'an object');
  const correlationId = requireString(metadata, 'correlationId', 'metadata.');
  const causationId = metadata.causationId ?? null;
  if (causationId !== null && (typeof causationId !== 'string' || causationId === '')) {
    throw new MalformedEventMessageError('field "metadata.causationId" must be a non-empty string or null');
  }
  // Not checked against the tenant rule here: the subscription decides, per tenancy mode, what a
  // missing or malformed tenant means (and dead-letters it with the reason).
  const tenantId = metadata.tenantId;
  if (tenantId !== undefined && typeof tenantId !== 'string') {
    throw new MalformedEventMessageError('field "metadata.tenantId" must be a string when present');
  }
  return {
    eventId,
    eventName,
    version,
    aggregateId,
    occurredOn,
    attributes,
    metadata: { correlationId, causationId, ...(tenantId !== undefined ? { tenantId } : {}) },
  };
}

function requireObject(value: unknown, what: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedEventMessageError(`${what} must be ${expected}`);
  }
  return value as Record<string, unknown>;
}

function requireString(source: Record<string, unknown>, field: string, prefix = ''): string {
  const value = source[field];
  if (typeof value !== 'string' || value === '') {
    throw new MalformedEventMessageError(`field "${prefix}${field}" must be a non-empty string`);
  }
  return value;
}
