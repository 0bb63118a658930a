import { type IHeaders, type KafkaMessage, type Message, type TopicMessages } from 'kafkajs';
import { EnvelopeHeader } from '../../constants';
import { type InboundMessage } from '../../delivery/inbound-message';
import { type MessageHeaders } from '../../event-bus';
import { type OutgoingKafkaRecord } from '../kafka-driver';
import { withRecordTime } from '../kafka-envelope';
import { asBuffer } from '../kafka-message';

const EMPTY = new Uint8Array(0);

/** One produce request's records as kafkajs's `sendBatch` takes them: grouped by topic, in order. */
export function toTopicMessages(records: readonly OutgoingKafkaRecord[]): TopicMessages[] {
  const first = records[0]?.topic;
  // Most requests hold one topic: one pass, no map.
  if (first !== undefined && records.every(({ topic }) => topic === first))
    return [{ topic: first, messages: records.map(toMessage) }];
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    const messages = byTopic.get(record.topic);
    if (messages) messages.push(toMessage(record));
    else byTopic.set(record.topic, [toMessage(record)]);
  }
  const topicMessages: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
  return topicMessages;
}

function toMessage({ key, value, headers }: OutgoingKafkaRecord): Message {
  return { key: key ?? null, value: asBuffer(value), headers };
}

/**
 * A fetched record as the delivery pipeline sees it. Headers are decoded to strings only when read
 * (most handlers never do, and decoding costs more per message than the rest of the pipeline).
 * Kafka has no message id of its own: the `eventbus-id` header carries ours, and a record without it
 * (another producer) is named by its position, which is stable across redeliveries.
 */
class KafkaInboundMessage implements InboundMessage {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  private decoded: MessageHeaders | undefined;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly record: KafkaMessage,
  ) {
    this.payload = record.value ?? EMPTY;
    this.key = record.key === null ? undefined : record.key.toString('utf8');
  }

  get headers(): MessageHeaders {
    return (this.decoded ??= withRecordTime(
      decodeHeaders(this.record.headers),
      Number(this.record.timestamp),
    ));
  }

  get position(): { partition: number; offset: string } {
    return { partition: this.partition, offset: this.record.offset };
  }

  get messageId(): string {
    return this.headers[EnvelopeHeader.id] ?? `${this.topic}/${this.partition}/${this.record.offset}`;
  }
}

export function fromKafkajsMessage(topic: string, partition: number, message: KafkaMessage): InboundMessage {
  return new KafkaInboundMessage(topic, partition, message);
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
