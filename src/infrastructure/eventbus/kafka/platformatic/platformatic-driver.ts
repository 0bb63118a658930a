import zlib from 'node:zlib';
import type { Admin, Producer } from '@platformatic/kafka' with { 'resolution-mode': 'import' };
import { ConfigError } from '../../config/config-error';
import { type EventBusLogger } from '../../logger';
import { type KafkaSettings } from '../kafka-config-mapping';
import {
  type KafkaDriver,
  type KafkaSubscriber,
  type KafkaSubscriberOptions,
  type OutgoingKafkaRecord,
} from '../kafka-driver';
import { withDeadline } from '../kafka-health';
import { untilLeadersElected } from '../topic-leaders';
import { PlatformaticConsumerRunner } from './platformatic-consumer-runner';
import { isPlatformaticConnectionError, isTopicAlreadyExists, isTopicNotReady } from './platformatic-errors';
import { toPlatformaticMessage } from './platformatic-message';
import { loadPlatformaticKafka, type PlatformaticKafka } from './platformatic-module';
import { platformaticOptions, type PlatformaticOptions } from './platformatic-options';

/**
 * Kafka through @platformatic/kafka: one producer and one admin, which reconnect by themselves on
 * the next request, a separate admin without retries for probes, and one consumer per subscription.
 */
export class PlatformaticDriver implements KafkaDriver {
  readonly name = 'platformatic' as const;
  private probeAdmin: Admin | undefined;

  private constructor(
    private readonly client: PlatformaticKafka,
    private readonly settings: KafkaSettings,
    private readonly options: PlatformaticOptions,
    private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>,
    private readonly admin: Admin,
    private readonly logger: EventBusLogger,
  ) {}

  /** Rejects (closing what it opened) if the broker does not answer a metadata request. */
  static async connect(settings: KafkaSettings, logger: EventBusLogger): Promise<PlatformaticDriver> {
    if (settings.send.compression === 'zstd' && !hasZstd()) {
      throw new ConfigError([
        {
          key: 'eventbus.kafka.producer.compression',
          message: 'zstd with eventbus.kafka.client platformatic needs Node.js 22.15 or newer (zlib zstd)',
        },
      ]);
    }
    const client = await loadPlatformaticKafka();
    const options = platformaticOptions(settings, client);
    const producer = new client.Producer<Buffer, Buffer, Buffer, Buffer>(options.producer);
    const admin = new client.Admin(options.base);
    const driver = new PlatformaticDriver(client, settings, options, producer, admin, logger);
    for (const client of [producer, admin])
      client.on('error', (error: Error) => logger.warn({ err: error }, 'kafka client error'));
    try {
      await driver.probe(settings.kafka.producer.timeout);
    } catch (error) {
      await driver.close();
      throw error;
    }
    return driver;
  }

  async send(records: readonly OutgoingKafkaRecord[]): Promise<void> {
    await this.producer.send({ messages: records.map(toPlatformaticMessage) });
  }

  async createTopic(topic: string, partitions: number, replicationFactor: number): Promise<void> {
    try {
      await this.admin.createTopics({ topics: [topic], partitions, replicas: replicationFactor });
    } catch (error) {
      if (!isTopicAlreadyExists(error)) throw error;
    }
    await untilLeadersElected(topic, this.settings.kafka.producer.timeout, (name) => this.leadersOf(name));
  }

  async listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  /** Metadata from a client of its own without retries: a failed probe closes it, the next one connects afresh. */
  async probe(timeout: number, signal?: AbortSignal): Promise<void> {
    const admin = (this.probeAdmin ??= this.newProbeAdmin());
    try {
      await withDeadline(admin.metadata({ topics: [], forceUpdate: true }), timeout, signal);
    } catch (error) {
      if (this.probeAdmin === admin) this.probeAdmin = undefined;
      admin.close().catch(() => undefined);
      throw error;
    }
  }

  subscriber(options: KafkaSubscriberOptions): KafkaSubscriber {
    return new PlatformaticConsumerRunner({
      ...options,
      client: this.client,
      settings: this.settings,
      consumerOptions: this.options.consumer(options.group),
    });
  }

  /** Nothing to replace: the producer's connection pool reconnects on the next request. */
  async reconnect(): Promise<void> {}

  isConnectionError(error: unknown): boolean {
    return isPlatformaticConnectionError(error);
  }

  async close(): Promise<void> {
    const probeAdmin = this.probeAdmin;
    this.probeAdmin = undefined;
    await Promise.all([
      this.producer.close().catch(() => undefined),
      this.admin.close().catch(() => undefined),
      probeAdmin?.close().catch(() => undefined),
    ]);
  }

  private newProbeAdmin(): Admin {
    const admin = new this.client.Admin({ ...this.options.base, retries: false });
    admin.on('error', (error: Error) => this.logger.debug({ err: error }, 'kafka probe client error'));
    return admin;
  }

  /** Each partition's leader; none while the broker does not know the new topic or its leaders yet. */
  private async leadersOf(topic: string): Promise<number[]> {
    try {
      const metadata = await this.admin.metadata({ topics: [topic], forceUpdate: true });
      return (metadata.topics.get(topic)?.partitions ?? []).map((partition) => partition.leader);
    } catch (error) {
      if (isTopicNotReady(error)) return [];
      throw error;
    }
  }
}

function hasZstd(): boolean {
  return typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
}
