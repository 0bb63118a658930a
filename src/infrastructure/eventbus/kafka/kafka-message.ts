import { type IHeaders, type KafkaMessage, type Message } from 'kafkajs';
import { EnvelopeHeader } from '../constants';
import { type InboundMessage } from '../delivery/inbound-message';
import { type MessageHeaders } from '../event-bus';

const EMPTY = new Uint8Array(0);

/** A kafkajs message for our payload; the bytes are wrapped, not copied. */
export function toKafkaMessage(
  payload: Uint8Array,
  key: string | undefined,
  headers: MessageHeaders,
): Message {
  const value = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return { key: key ?? null, value, headers };
}

/** Bytes a message adds to a produce request, for the `batchSize` bound. */
export function messageBytes(payload: Uint8Array, key: string | undefined, headers: MessageHeaders): number {
  let bytes = payload.byteLength + (key?.length ?? 0);
  for (const name in headers) bytes += name.length + headers[name]!.length;
  return bytes;
}

/**
 * A fetched record as the delivery pipeline sees it. Kafka has no message id of its own: the
 * `eventbus-id` header carries ours, and a record without it (another producer) is named by its
 * position, which is stable across redeliveries.
 */
export function fromKafkaMessage(topic: string, partition: number, message: KafkaMessage): InboundMessage {
  const headers = decodeHeaders(message.headers);
  return {
    payload: message.value ?? EMPTY,
    key: message.key === null ? undefined : message.key.toString('utf8'),
    headers,
    messageId: headers[EnvelopeHeader.id] ?? `${topic}/${partition}/${message.offset}`,
  };
}

function decodeHeaders(raw: IHeaders | undefined): MessageHeaders {
  const headers: MessageHeaders = {};
  if (!raw) return headers;
  for (const name in raw) {
    // Kafka allows a header name twice (kafkajs then gives an array); the first value wins.
    const value = Array.isArray(raw[name]) ? raw[name][0] : raw[name];
    if (value !== undefined) headers[name] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return headers;
}
