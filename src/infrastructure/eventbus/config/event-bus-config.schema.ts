/**
 * class-validator mirror of `event-bus.config.ts`. Every property carries a decorator, so with
 * `forbidNonWhitelisted` any key not declared here (a typo) is reported as unknown.
 */
// class-transformer's @Type reads design-time metadata; load the polyfill here rather than rely on the host.
import 'reflect-metadata';
import { IsOptional } from 'class-validator';
import { isBrokerAddress, isNatsUrl } from './address';
import {
  IsBool,
  IsDuration,
  IsIntIn,
  IsListOf,
  IsNumberIn,
  IsOneOf,
  IsSection,
  IsText,
} from './config-validators';
import type * as C from './event-bus.config';

export const EVENT_BUS_TYPES: readonly C.EventBusType[] = ['memory', 'kafka', 'nats'];
export const SASL_PROTOCOLS: readonly C.KafkaSecurityConfig['protocol'][] = ['SASL_PLAINTEXT', 'SASL_SSL'];

export class RetryConfigSchema implements C.RetryConfig {
  @IsIntIn(1, 100) maxAttempts!: number;
  @IsDuration() initialBackoff!: number;
  @IsDuration() maxBackoff!: number;
  @IsNumberIn(1) multiplier!: number;
}

export class DeadLetterConfigSchema implements C.DeadLetterConfig {
  @IsBool() enabled!: boolean;
  @IsText() topicSuffix!: string;
}

export class HealthCheckConfigSchema implements C.HealthCheckConfig {
  @IsBool() enabled!: boolean;
  // Each interval is a message through the broker: a millisecond would flood it (and never be fresh).
  @IsDuration({ min: 100 }) interval!: number;
  @IsText() topic!: string;
  @IsDuration({ positive: true }) maxMessageAge!: number;
  @IsDuration({ positive: true }) timeout!: number;
}

export class MetricsConfigSchema implements C.MetricsConfig {
  @IsBool() enabled!: boolean;
  @IsDuration({ positive: true }) collectInterval!: number;
}

export class TracingConfigSchema implements C.TracingConfig {
  @IsBool() enabled!: boolean;
  @IsNumberIn(0, 1) sampleRate!: number;
}

export class PublisherConfigSchema implements C.PublisherConfig {
  @IsIntIn(1) maxMessageBytes!: number;
}

export class SubscriberConfigSchema implements C.SubscriberConfig {
  @IsIntIn(1, 10_000) concurrency!: number;
}

export class MemoryConfigSchema implements C.MemoryConfig {
  @IsText() groupId!: string;
}

export class KafkaProducerConfigSchema implements C.KafkaProducerConfig {
  @IsOneOf([-1, 0, 1]) requiredAcks!: -1 | 0 | 1;
  @IsOneOf(['none', 'gzip', 'snappy', 'lz4', 'zstd']) compression!: C.KafkaProducerConfig['compression'];
  @IsDuration() flushFrequency!: number;
  @IsIntIn(1) flushMessages!: number;
  @IsIntIn(0) retryMax!: number;
  @IsDuration({ positive: true }) timeout!: number;
  @IsIntIn(1) batchSize!: number;
  @IsIntIn(1) bufferSize!: number;
  @IsIntIn(1, 16) maxInFlight!: number;
}

export class KafkaConsumerConfigSchema implements C.KafkaConsumerConfig {
  @IsText() groupId!: string;
  @IsOneOf(['earliest', 'latest']) autoOffsetReset!: 'earliest' | 'latest';
  @IsDuration({ positive: true }) sessionTimeout!: number;
  @IsDuration({ positive: true }) heartbeatInterval!: number;
  @IsDuration({ positive: true }) maxProcessingTime!: number;
  @IsIntIn(1) fetchMinBytes!: number;
  @IsIntIn(1) fetchMaxBytes!: number;
  @IsDuration() fetchMaxWait!: number;
  @IsDuration() commitInterval!: number;
}

export class KafkaSecurityConfigSchema implements C.KafkaSecurityConfig {
  @IsBool() enabled!: boolean;
  @IsOneOf(['PLAINTEXT', 'SSL', ...SASL_PROTOCOLS]) protocol!: C.KafkaSecurityConfig['protocol'];
  @IsOptional()
  @IsOneOf(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])
  mechanism?: C.KafkaSecurityConfig['mechanism'];
  @IsOptional() @IsText() username?: string;
  @IsOptional() @IsText({ secret: true }) password?: string;
  @IsOptional() @IsText() caFile?: string;
  @IsOptional() @IsText() certFile?: string;
  @IsOptional() @IsText() keyFile?: string;
}

export class KafkaTopicsConfigSchema implements C.KafkaTopicsConfig {
  @IsBool() autoCreate!: boolean;
  @IsIntIn(1) partitions!: number;
  @IsIntIn(1) replicationFactor!: number;
}

export class KafkaConfigSchema implements C.KafkaConfig {
  // May be empty here; "required when type is kafka" is a cross-field rule.
  @IsListOf(isBrokerAddress, 'host:port') brokers!: string[];
  @IsOneOf(['kafkajs', 'platformatic']) client!: 'kafkajs' | 'platformatic';
  @IsText() clientId!: string;
  @IsDuration({ positive: true }) healthCheckInterval!: number;
  @IsSection(() => KafkaProducerConfigSchema) producer!: KafkaProducerConfigSchema;
  @IsSection(() => KafkaConsumerConfigSchema) consumer!: KafkaConsumerConfigSchema;
  @IsSection(() => KafkaSecurityConfigSchema) security!: KafkaSecurityConfigSchema;
  @IsSection(() => KafkaTopicsConfigSchema) topics!: KafkaTopicsConfigSchema;
}

export class NatsTlsConfigSchema {
  @IsOptional() @IsText() caFile?: string;
  @IsOptional() @IsText() certFile?: string;
  @IsOptional() @IsText() keyFile?: string;
}

export class NatsAuthConfigSchema implements C.NatsAuthConfig {
  @IsOptional() @IsText() user?: string;
  @IsOptional() @IsText({ secret: true }) password?: string;
  @IsOptional() @IsText({ secret: true }) token?: string;
  @IsOptional() @IsText({ secret: true }) nkeySeed?: string;
  @IsOptional() @IsText() credentialsFile?: string;
  @IsOptional() @IsSection(() => NatsTlsConfigSchema) tls?: NatsTlsConfigSchema;
}

export class NatsJetStreamConfigSchema implements C.NatsJetStreamConfig {
  @IsOneOf(['file', 'memory']) storage!: 'file' | 'memory';
  @IsOneOf(['limits', 'interest', 'workqueue']) retention!: C.NatsJetStreamConfig['retention'];
  @IsDuration() maxAge!: number;
  // JetStream clusters hold at most 5 replicas of a stream.
  @IsIntIn(1, 5) replicas!: number;
  @IsDuration() duplicateWindow!: number;
  @IsDuration({ positive: true }) ackWait!: number;
  @IsIntIn(-1) maxDeliver!: number;
  @IsIntIn(1) maxAckPending!: number;
}

export class NatsConfigSchema implements C.NatsConfig {
  // May be empty here; "required when type is nats" is a cross-field rule.
  @IsListOf(isNatsUrl, 'nats://host:port, tls://host:port or host:port') urls!: string[];
  // NATS Streaming only (end-of-life): accepted for seed compatibility, ignored by JetStream.
  @IsOptional() @IsText() clusterId?: string;
  @IsText() clientId!: string;
  // JetStream durable names cannot contain '.', '*', '>', whitespace or path separators.
  @IsText({
    pattern: /^[^.*>\s/\\]+$/,
    hint: "must be a non-empty name without '.', '*', '>', spaces or slashes",
  })
  durableName!: string;
  @IsIntIn(-1) maxReconnects!: number;
  @IsDuration() reconnectWait!: number;
  @IsDuration({ positive: true }) connectionTimeout!: number;
  @IsDuration({ min: 100, max: 10 * 60_000 }) pingInterval!: number;
  @IsDuration({ positive: true }) healthCheckInterval!: number;
  @IsIntIn(1, 64) prefetchMultiplier!: number;
  @IsSection(() => NatsAuthConfigSchema) auth!: NatsAuthConfigSchema;
  @IsSection(() => NatsJetStreamConfigSchema) jetstream!: NatsJetStreamConfigSchema;
}

export class EventBusConfigSchema implements C.EventBusConfig {
  @IsOneOf(EVENT_BUS_TYPES) type!: C.EventBusType;
  @IsSection(() => MemoryConfigSchema) memory!: MemoryConfigSchema;
  @IsOptional() @IsSection(() => KafkaConfigSchema) kafka?: KafkaConfigSchema;
  @IsOptional() @IsSection(() => NatsConfigSchema) nats?: NatsConfigSchema;
  @IsSection(() => PublisherConfigSchema) publisher!: PublisherConfigSchema;
  @IsSection(() => SubscriberConfigSchema) subscriber!: SubscriberConfigSchema;
  @IsSection(() => RetryConfigSchema) retry!: RetryConfigSchema;
  @IsSection(() => DeadLetterConfigSchema) deadLetter!: DeadLetterConfigSchema;
  @IsSection(() => HealthCheckConfigSchema) healthCheck!: HealthCheckConfigSchema;
  @IsSection(() => MetricsConfigSchema) metrics!: MetricsConfigSchema;
  @IsSection(() => TracingConfigSchema) tracing!: TracingConfigSchema;
  // 0 would abandon every in-flight handler at close; more than minutes outlasts any orchestrator's grace.
  @IsDuration({ min: 100, max: 600_000 }) shutdownTimeout!: number;
}
