import { type DeliveryPipeline } from '../delivery/delivery-pipeline';
import { type MessageHeaders } from '../event-bus';
import { type EventBusLogger } from '../logger';

/** One record of a produce request, as the publisher batches it. */
export interface OutgoingKafkaRecord {
  readonly topic: string;
  readonly key: string | undefined;
  /** The publisher's payload, never copied: a driver wraps it (`asBuffer`) only as it sends. */
  readonly value: Uint8Array;
  readonly headers: MessageHeaders;
}

/** What a subscription's consumer needs from the bus, whatever client runs it. */
export interface KafkaSubscriberOptions {
  readonly topic: string;
  readonly group: string;
  readonly fromBeginning: boolean;
  readonly concurrency: number;
  readonly pipeline: DeliveryPipeline;
  /** Aborted when the drain time is up: backoffs end and handlers are told to stop. */
  readonly stop: AbortController;
  readonly logger: EventBusLogger;
  /** The consumer crashed (broker lost, fatal group error): the bus restarts it via `restart()`. */
  readonly onCrash: (error: unknown) => void;
}

/**
 * One subscription's consumer in its group. It commits only the contiguous prefix of handled
 * messages per partition, so a crash or rebalance redelivers and never skips.
 */
export interface KafkaSubscriber {
  readonly topic: string;
  readonly group: string;
  /** False after a crash until `restart()` succeeded. */
  readonly running: boolean;
  /** How long a restart has been rejoining the group, or undefined when none is. */
  readonly rejoiningFor: number | undefined;
  /** The longest one join may take: a dead member's session, then the others' rebalance timeout. */
  readonly joinLimit: number;
  /** Resolves once the consumer joined its group and fetched (so `latest` starts from now). */
  start(): Promise<void>;
  /** After a crash or a broker restart: back into the group, from the committed offsets. */
  restart(): Promise<void>;
  /** Starts nothing new, lets running handlers finish within `timeout`, commits, leaves the group. */
  stop(timeout: number): Promise<void>;
}

/**
 * The Kafka client behind KafkaEventBus (kafkajs or @platformatic/kafka). The bus keeps what does
 * not depend on the client: batching, topics, the delivery pipeline, reconnects and health; a
 * driver only sends requests, runs consumers and says which errors mean a lost broker.
 */
export interface KafkaDriver {
  readonly name: KafkaClientName;
  /** Sends one produce request; resolves on the broker's ack, in the order of the calls. */
  send(records: readonly OutgoingKafkaRecord[]): Promise<void>;
  /** Creates the topic; resolves also when it exists already. */
  createTopic(topic: string, partitions: number, replicationFactor: number): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Asks the broker for cluster metadata; rejects after `timeout` ms or when `signal` aborts. */
  probe(timeout: number, signal?: AbortSignal): Promise<void>;
  subscriber(options: KafkaSubscriberOptions): KafkaSubscriber;
  /** After an outage: fresh connections for publishing. Consumers restart through their subscriber. */
  reconnect(): Promise<void>;
  /** True when the error means the broker is unreachable rather than that it refused a request. */
  isConnectionError(error: unknown): boolean;
  close(): Promise<void>;
}

export type KafkaClientName = 'kafkajs' | 'platformatic';
