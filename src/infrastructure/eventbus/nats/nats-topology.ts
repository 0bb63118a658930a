import { type ConsumerInfo, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { type NatsJetStreamConfig } from '../config/event-bus.config';
import { type EventBusLogger } from '../logger';
import {
  isTransientNatsError,
  jetStreamErrorCode,
  JetStreamErrorCode,
  NatsTopologyError,
} from './nats-errors';
import {
  CONSUMER_UPDATED,
  consumerSettingsFor,
  type ConsumerSettings,
  settingsDifferences,
  STREAM_COMPARED,
  streamSettingsFor,
  type StreamSettings,
} from './nats-jetstream-settings';
import { consumerNameFor, streamNameFor } from './nats-names';

/**
 * Creates or validates, on first use, the stream of a topic and the durable consumer of a group.
 * Streams: one per topic, named by `streamNameFor`; a stream an operator created that already
 * captures the subject (e.g. `users.>`) is used as it is. An existing stream is never changed; settings
 * that differ from the config are logged. Consumers belong to the bus and are updated to the config.
 */
export class NatsTopology {
  private readonly streams = new Map<string, Promise<string>>();
  /** Topics whose stream is known on this connection: the publish hot path skips the lookup. */
  private readonly known = new Map<string, string>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly config: NatsJetStreamConfig,
    private readonly logger: EventBusLogger,
  ) {}

  knownStream(topic: string): string | undefined {
    return this.known.get(topic);
  }

  ensureStream(topic: string): Promise<string> {
    let pending = this.streams.get(topic);
    if (!pending) {
      pending = this.resolveStream(topic).then(
        (name) => {
          this.known.set(topic, name);
          return name;
        },
        (error: unknown) => {
          this.streams.delete(topic);
          throw error;
        },
      );
      this.streams.set(topic, pending);
    }
    return pending;
  }

  /** Checks again on next use: after a reconnect a restarted server may have lost memory streams. */
  forget(topic?: string): void {
    if (topic === undefined) {
      this.streams.clear();
      this.known.clear();
      return;
    }
    this.streams.delete(topic);
    this.known.delete(topic);
  }

  async ensureConsumer(
    topic: string,
    group: string,
    startFrom: 'earliest' | 'latest',
  ): Promise<ConsumerInfo> {
    const stream = await this.ensureStream(topic);
    const wanted = consumerSettingsFor(topic, group, consumerNameFor(group), startFrom, this.config);
    try {
      const existing = await this.existingConsumer(stream, wanted.durable_name);
      if (existing) return await this.alignConsumer(stream, topic, group, existing, wanted);
      const created = await this.jsm.consumers.add(stream, wanted);
      this.logger.info({ stream, consumer: wanted.durable_name, group, topic }, 'created JetStream consumer');
      return created;
    } catch (error) {
      if (error instanceof NatsTopologyError || isTransientNatsError(error)) throw error;
      throw new NatsTopologyError(
        `cannot create or update consumer "${wanted.durable_name}" (group "${group}") on stream "${stream}": ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private async resolveStream(topic: string): Promise<string> {
    const name = streamNameFor(topic);
    const wanted = streamSettingsFor(topic, name, this.config);
    try {
      const existing = await this.existingStream(name);
      if (existing) return this.checkStream(topic, existing, wanted);
      await this.jsm.streams.add(wanted);
      this.logger.info({ stream: name, topic }, 'created JetStream stream');
      return name;
    } catch (error) {
      const code = jetStreamErrorCode(error);
      if (code === JetStreamErrorCode.subjectsOverlap) return this.streamCapturing(topic);
      if (code === JetStreamErrorCode.streamNameInUse) {
        // Another instance created it between our lookup and our add.
        const existing = await this.existingStream(name);
        if (existing) return this.checkStream(topic, existing, wanted);
      }
      if (error instanceof NatsTopologyError || isTransientNatsError(error)) throw error;
      throw new NatsTopologyError(
        `cannot create stream "${name}" for topic "${topic}": ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private async existingStream(name: string): Promise<StreamConfig | undefined> {
    try {
      return (await this.jsm.streams.info(name)).config;
    } catch (error) {
      if (jetStreamErrorCode(error) === JetStreamErrorCode.streamNotFound) return undefined;
      throw error;
    }
  }

  private async existingConsumer(stream: string, durable: string): Promise<ConsumerInfo | undefined> {
    try {
      return await this.jsm.consumers.info(stream, durable);
    } catch (error) {
      if (jetStreamErrorCode(error) === JetStreamErrorCode.consumerNotFound) return undefined;
      throw error;
    }
  }

  private async streamCapturing(topic: string): Promise<string> {
    const name = await this.jsm.streams.find(topic);
    this.logger.info({ stream: name, topic }, 'using the existing JetStream stream that captures the topic');
    return name;
  }

  private checkStream(topic: string, existing: StreamConfig, wanted: StreamSettings): string {
    if (!(existing.subjects ?? []).includes(topic)) {
      throw new NatsTopologyError(
        `stream "${wanted.name}" exists but does not hold subject "${topic}" (it holds ${JSON.stringify(existing.subjects ?? [])}); delete or rename it`,
      );
    }
    const differences = settingsDifferences(wanted, existing, STREAM_COMPARED);
    if (differences.length > 0 && !this.reported.has(wanted.name)) {
      this.reported.add(wanted.name);
      this.logger.warn(
        { stream: wanted.name, topic, differences },
        'JetStream stream settings differ from eventbus.nats.jetstream; the bus leaves existing streams as they are',
      );
    }
    return wanted.name;
  }

  private async alignConsumer(
    stream: string,
    topic: string,
    group: string,
    existing: ConsumerInfo,
    wanted: ConsumerSettings,
  ): Promise<ConsumerInfo> {
    const config = existing.config;
    if (config.ack_policy !== 'explicit' || (config.filter_subject ?? topic) !== topic) {
      throw new NatsTopologyError(
        `consumer "${wanted.durable_name}" on stream "${stream}" exists with ack_policy ${config.ack_policy} and filter ${String(config.filter_subject)}; group "${group}" on topic "${topic}" needs explicit acks filtered on "${topic}": delete the consumer`,
      );
    }
    const differences = settingsDifferences(wanted, config, CONSUMER_UPDATED);
    if (differences.length === 0) return existing;
    this.logger.info(
      { stream, consumer: wanted.durable_name, differences },
      'updating JetStream consumer to eventbus.nats.jetstream',
    );
    const update: Partial<ConsumerSettings> = {};
    for (const key of CONSUMER_UPDATED)
      if (wanted[key] !== undefined) Object.assign(update, { [key]: wanted[key] });
    return this.jsm.consumers.update(stream, wanted.durable_name, update);
  }
}
