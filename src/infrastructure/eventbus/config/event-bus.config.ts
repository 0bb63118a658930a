/**
 * Runtime configuration of the event bus. Key names match the YAML (`config/*.yaml`) one to one;
 * every duration is a number of milliseconds here (the YAML may say `500ms`, `30s`, `5m`).
 */
export type EventBusType = 'memory' | 'kafka' | 'nats';

/** Handler retries with exponential backoff; `maxAttempts` counts the first try. */
export interface RetryConfig {
  maxAttempts: number;
  initialBackoff: number;
  maxBackoff: number;
  multiplier: number;
}

/** After the last attempt a message goes to `<topic><topicSuffix>`. */
export interface DeadLetterConfig {
  enabled: boolean;
  topicSuffix: string;
}

/** Periodic publish/consume round trip on `topic`; a message older than `maxMessageAge` means unhealthy. */
export interface HealthCheckConfig {
  enabled: boolean;
  interval: number;
  topic: string;
  maxMessageAge: number;
  timeout: number;
}

export interface MetricsConfig {
  enabled: boolean;
  collectInterval: number;
}

/** `sampleRate` is a fraction in [0, 1]. */
export interface TracingConfig {
  enabled: boolean;
  sampleRate: number;
}

export interface PublisherConfig {
  maxMessageBytes: number;
}

/** `concurrency`: max handlers in flight per subscription (per-key order is kept regardless). */
export interface SubscriberConfig {
  concurrency: number;
}

/** `groupId`: the group a memory subscription joins when it names none. */
export interface MemoryConfig {
  groupId: string;
}

/**
 * `requiredAcks`: -1 = all in-sync replicas (what production wants), 1 = leader only (the seed's value).
 * `compression`: codec of produce batches (gzip from kafkajs, snappy/lz4/zstd registered by the adapter).
 * `bufferSize`: messages waiting to be sent before `publish` pushes back.
 * `maxInFlight`: produce requests at a time (messages of one key are never in two at once).
 */
export interface KafkaProducerConfig {
  requiredAcks: -1 | 0 | 1;
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  flushFrequency: number;
  flushMessages: number;
  retryMax: number;
  timeout: number;
  batchSize: number;
  bufferSize: number;
  maxInFlight: number;
}

export interface KafkaConsumerConfig {
  groupId: string;
  autoOffsetReset: 'earliest' | 'latest';
  sessionTimeout: number;
  heartbeatInterval: number;
  maxProcessingTime: number;
  fetchMinBytes: number;
  fetchMaxBytes: number;
  fetchMaxWait: number;
  commitInterval: number;
}

/** `enabled: false` means PLAINTEXT; SASL_* protocols need `mechanism`, `username` and `password`. */
export interface KafkaSecurityConfig {
  enabled: boolean;
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  mechanism?: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface KafkaTopicsConfig {
  autoCreate: boolean;
  partitions: number;
  replicationFactor: number;
}

/**
 * `brokers`: `host:port` entries, no default. `client`: the Kafka client library behind the bus
 * (every instance of one consumer group must use the same one).
 */
export interface KafkaConfig {
  brokers: string[];
  client: 'kafkajs' | 'platformatic';
  clientId: string;
  healthCheckInterval: number;
  producer: KafkaProducerConfig;
  consumer: KafkaConsumerConfig;
  security: KafkaSecurityConfig;
  topics: KafkaTopicsConfig;
}

export interface NatsAuthConfig {
  user?: string;
  password?: string;
  token?: string;
  nkeySeed?: string;
  credentialsFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/** `maxAge`: 0 = unlimited; `maxDeliver`: -1 = unlimited. */
export interface NatsJetStreamConfig {
  storage: 'file' | 'memory';
  retention: 'limits' | 'interest' | 'workqueue';
  maxAge: number;
  replicas: number;
  duplicateWindow: number;
  ackWait: number;
  maxDeliver: number;
  maxAckPending: number;
}

/**
 * `urls`: `nats://host:port`, `tls://host:port` or `host:port`, no default.
 * `clusterId` belonged to NATS Streaming (end-of-life); JetStream has no such thing, so it is
 * accepted for seed compatibility and ignored. `maxReconnects`: attempts `reconnectWait` apart
 * (-1 = all of them); after those the bus keeps trying with a capped backoff, never giving up.
 */
export interface NatsConfig {
  urls: string[];
  clusterId?: string;
  clientId: string;
  durableName: string;
  maxReconnects: number;
  reconnectWait: number;
  connectionTimeout: number;
  /** A server that leaves two pings in a row unanswered (frozen, or a dead link) counts as lost. */
  pingInterval: number;
  healthCheckInterval: number;
  /**
   * How far one instance pulls ahead, in messages per handler slot: a group holds (queued or in a
   * handler) this many times its subscriptions' total `concurrency`, or what it handles in 20 ms if
   * that is more, and never more than `jetstream.maxAckPending`. Small, so the instances of a group
   * share a burst instead of the first to pull taking all of it.
   */
  prefetchMultiplier: number;
  auth: NatsAuthConfig;
  jetstream: NatsJetStreamConfig;
}

export interface EventBusConfig {
  type: EventBusType;
  memory: MemoryConfig;
  /** Required when `type` is 'kafka'. */
  kafka?: KafkaConfig;
  /** Required when `type` is 'nats'. */
  nats?: NatsConfig;
  publisher: PublisherConfig;
  subscriber: SubscriberConfig;
  retry: RetryConfig;
  deadLetter: DeadLetterConfig;
  healthCheck: HealthCheckConfig;
  metrics: MetricsConfig;
  tracing: TracingConfig;
  /** How long `close()` waits for in-flight handlers. */
  shutdownTimeout: number;
}
