import type { Message, MessageToProduce } from '@platformatic/kafka' with { 'resolution-mode': 'import' };
import { EnvelopeHeader } from '../../constants';
import { type InboundMessage } from '../../delivery/inbound-message';
import { type MessageHeaders } from '../../event-bus';
import { type OutgoingKafkaRecord } from '../kafka-driver';
import { withRecordTime } from '../kafka-envelope';
import { asBuffer } from '../kafka-message';

const EMPTY = new Uint8Array(0);

/** Header names repeat on every message (the envelope's above all): each is encoded once. */
const headerNames = new Map<string, Buffer>();
const HEADER_NAMES_KEPT = 256;

function encodedName(name: string): Buffer {
  let encoded = headerNames.get(name);
  if (!encoded) {
    encoded = Buffer.from(name);
    if (headerNames.size < HEADER_NAMES_KEPT) headerNames.set(name, encoded);
  }
  return encoded;
}

export type PlatformaticMessage = Message<Buffer, Buffer, Buffer, Buffer>;

/** A record for `producer.send`: key and header values encoded, the value wrapped (not copied). */
export function toPlatformaticMessage({
  topic,
  key,
  value,
  headers,
}: OutgoingKafkaRecord): MessageToProduce<Buffer, Buffer, Buffer, Buffer> {
  const encoded = new Map<Buffer, Buffer>();
  for (const name in headers) encoded.set(encodedName(name), Buffer.from(headers[name]!));
  const keyBytes = key === undefined ? undefined : Buffer.from(key);
  return { topic, key: keyBytes, value: asBuffer(value), headers: encoded };
}

/**
 * A fetched record as the delivery pipeline sees it, headers decoded only when read. As on kafkajs,
 * the `eventbus-id` header names the message, and a record without it is named by its position.
 */
class PlatformaticInboundMessage implements InboundMessage {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  private decoded: MessageHeaders | undefined;

  constructor(private readonly record: PlatformaticMessage) {
    this.payload = record.value ?? EMPTY;
    this.key = record.key == null ? undefined : record.key.toString('utf8');
  }

  get headers(): MessageHeaders {
    return (this.decoded ??= withRecordTime(
      decodeHeaders(this.record.headers),
      Number(this.record.timestamp),
    ));
  }

  get position(): { partition: number; offset: string } {
    return { partition: this.record.partition, offset: this.record.offset.toString() };
  }

  get messageId(): string {
    const { topic, partition, offset } = this.record;
    return this.headers[EnvelopeHeader.id] ?? `${topic}/${partition}/${offset}`;
  }
}

export function fromPlatformaticMessage(record: PlatformaticMessage): InboundMessage {
  return new PlatformaticInboundMessage(record);
}

function decodeHeaders(raw: Map<Buffer, Buffer> | undefined): MessageHeaders {
  const headers: MessageHeaders = {};
  if (!raw) return headers;
  for (const [name, value] of raw) {
    const text = name.toString('utf8');
    // Kafka allows a header name twice; the first value wins, as on kafkajs.
    if (!Object.hasOwn(headers, text)) headers[text] = value?.toString('utf8') ?? '';
  }
  return headers;
}
