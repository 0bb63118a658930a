import { EnvelopeHeader } from '../constants';
import { type MessageHeaders } from '../event-bus';

/**
 * The envelope as Kafka carries it: the `eventbus-id` header only. Every Kafka record has a
 * timestamp of its own, so `eventbus-time` is not sent (a caller's is dropped, as the bus sets the
 * envelope) and consumers read it from the record instead: one header less on every message.
 */
export function kafkaEnvelope(headers: MessageHeaders | undefined, messageId: string): MessageHeaders {
  const envelope: MessageHeaders = {};
  for (const name in headers) if (name !== EnvelopeHeader.time) envelope[name] = headers[name]!;
  envelope[EnvelopeHeader.id] = messageId;
  return envelope;
}

/** The headers a consumer sees: the record's, with `eventbus-time` from its timestamp when it has none. */
export function withRecordTime(headers: MessageHeaders, timestampMs: number): MessageHeaders {
  if (!Object.hasOwn(headers, EnvelopeHeader.time) && Number.isFinite(timestampMs))
    headers[EnvelopeHeader.time] = new Date(timestampMs).toISOString();
  return headers;
}
