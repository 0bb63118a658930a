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
  const byTopic = new Map<string, Message[]>();
  for (const { topic, key, value, headers } of records) {
    const message: Message = { key: key ?? null, value: asBuffer(value), headers };
    const messages = byTopic.get(topic);
    if (messages) messages.push(message);
    else byTopic.set(topic, [message]);
  }
  const topicMessages: TopicMessages[] = [];
  for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
  return topicMessages;
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
