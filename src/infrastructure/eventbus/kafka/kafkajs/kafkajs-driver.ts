import { Kafka, type Admin, type ITopicConfig, type Producer } from 'kafkajs';
import { ConfigError } from '../../config/config-error';
import { type EventBusLogger } from '../../logger';
import { type KafkaSettings } from '../kafka-config-mapping';
import {
  type KafkaDriver,
  type KafkaSubscriber,
  type KafkaSubscriberOptions,
  type OutgoingKafkaRecord,
} from '../kafka-driver';
import { untilLeadersElected } from '../topic-leaders';
import { registerKafkaCodecs } from './kafka-codecs';
import { KafkajsConsumerRunner } from './kafkajs-consumer-runner';
import { isConnectionError, isTopicNotReady } from './kafkajs-errors';
import { KafkaHealthProbe } from './kafkajs-health-probe';
import { toTopicMessages } from './kafkajs-message';
import { kafkajsOptions, type KafkajsOptions } from './kafkajs-options';

/**
 * Kafka through kafkajs: one producer (replaced after an outage, since a kafkajs producer that lost
 * its broker stays broken), one admin for topics, a separate admin for probes, and one kafkajs
 * consumer per subscription.
 */
export class KafkajsDriver implements KafkaDriver {
  readonly name = 'kafkajs' as const;
  /** Produce requests in flight, per producer: a replaced producer disconnects once all of its settled. */
  private sending = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly settings: KafkaSettings,
    private readonly options: KafkajsOptions,
    private readonly kafka: Kafka,
    private producer: Producer,
    private readonly admin: Admin,
    private readonly probeClient: KafkaHealthProbe,
  ) {}

  /** Connects the producer and the admin; rejects (closing what it opened) if the broker does not answer. */
  static async connect(settings: KafkaSettings, logger: EventBusLogger): Promise<KafkajsDriver> {
    const codecs = registerKafkaCodecs();
    if (settings.send.compression === 'zstd' && !codecs.zstd) {
      throw new ConfigError([
        {
          key: 'eventbus.kafka.producer.compression',
          message:
            'zstd needs the optional package zstd-napi, which did not install here (it compiles with a C++ toolchain)',
        },
      ]);
    }
    const options = kafkajsOptions(settings, logger);
    const kafka = new Kafka(options.client);
    const producer = kafka.producer(options.producer);
    const admin = kafka.admin();
    const probe = new KafkaHealthProbe(() => kafka);
    try {
      await producer.connect();
      // connect() alone may succeed on a listener that then refuses every request (e.g. SASL).
      await probe.probe(settings.kafka.producer.timeout);
      await admin.connect();
    } catch (error) {
      await Promise.all([
        producer.disconnect().catch(() => undefined),
        admin.disconnect().catch(() => undefined),
        probe.close(),
      ]);
      throw error;
    }
    return new KafkajsDriver(settings, options, kafka, producer, admin, probe);
  }

  send(records: readonly OutgoingKafkaRecord[]): Promise<void> {
    const { acks, timeout } = this.settings.send;
    const sent = this.producer.sendBatch({
      topicMessages: toTopicMessages(records),
      acks,
      timeout,
      compression: this.options.compression,
    });
    const settled = sent.catch(() => undefined);
    const requests = this.sending;
    requests.add(settled);
    void settled.then(() => requests.delete(settled));
    return sent.then(() => undefined);
  }

  async createTopic(topic: string, partitions: number, replicationFactor: number): Promise<void> {
    await createTopicsWithLeaders(
      this.admin,
      [{ topic, numPartitions: partitions, replicationFactor }],
      this.settings.kafka.producer.timeout,
    );
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  probe(timeout: number, signal?: AbortSignal): Promise<void> {
    return this.probeClient.probe(timeout, signal);
  }

  subscriber(options: KafkaSubscriberOptions): KafkaSubscriber {
    return new KafkajsConsumerRunner({
      ...options,
      kafka: () => this.kafka,
      settings: this.settings,
      consumerConfig: this.options.consumer(options.group),
    });
  }

  /** A new producer swapped in; the request in flight finishes on the old one before it disconnects. */
  async reconnect(): Promise<void> {
    const producer = this.kafka.producer(this.options.producer);
    await producer.connect();
    if (this.closed) {
      await producer.disconnect();
      return;
    }
    const previous = this.producer;
    const previousRequests = [...this.sending];
    this.producer = producer;
    this.sending = new Set();
    // Up to producer.maxInFlight requests may still run on the old producer: all finish first.
    void Promise.all(previousRequests).then(() => previous.disconnect().catch(() => undefined));
  }

  isConnectionError(error: unknown): boolean {
    return isConnectionError(error);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([
      this.producer.disconnect().catch(() => undefined),
      this.admin.disconnect().catch(() => undefined),
      this.probeClient.close(),
    ]);
  }
}

/**
 * Creates the topics (those that exist already are fine) and resolves once every partition has a
 * leader. Not kafkajs's own wait for leaders: it gives up on the "unknown topic" a broker may still
 * answer right after creating one (every time on a broker just restarted with many topics).
 */
export async function createTopicsWithLeaders(
  admin: Admin,
  topics: ITopicConfig[],
  timeoutMs: number,
): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  for (const { topic } of topics)
    await untilLeadersElected(topic, timeoutMs, (name) => topicLeaders(admin, name));
}

/** Each partition's leader; none while the broker does not know a new topic or its leaders yet. */
async function topicLeaders(admin: Admin, topic: string): Promise<number[]> {
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return (topics[0]?.partitions ?? []).map((partition) => partition.leader);
  } catch (error) {
    if (isTopicNotReady(error)) return [];
    throw error;
  }
}
