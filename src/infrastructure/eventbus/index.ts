/** Public surface of the event bus library; the rest of the service imports from here only. */
export * from './event-bus';
export * from './errors';
export { HealthCheckTopic, EnvelopeHeader, DeadLetterHeader, HealthInstanceHeader } from './constants';
export * from './config/event-bus.config';
export { getDefaultMemoryConfig, getDefaultKafkaConfig, getDefaultNatsConfig } from './config/defaults';
export { parseEventBusConfig, validateEventBusConfig } from './config/validate-event-bus-config';
export { parseDuration } from './config/duration';
export { ConfigError, type ConfigIssue } from './config/config-error';
export { EventBusFactory, createEventBus } from './factory';
export { TRACER_NAME } from './tracing/bus-tracing';
export { initializeFromConfig, getGlobal, closeGlobal } from './global';
export { runtime, EventBusRuntime } from './runtime';
export { MemoryEventBus } from './memory/memory-event-bus';
export { type EventBusDependencies } from './dependencies';
export { KafkaEventBus } from './kafka/kafka-event-bus';
export { KafkaConnectionError, KafkaTopicMissingError } from './kafka/kafka-errors';
export { EventBusMetrics } from './metrics/event-bus-metrics';
export {
  PublisherHealthChecker,
  type PublisherHealthCheckerOptions,
} from './health/publisher-health-checker';
export {
  SubscriberHealthChecker,
  type SubscriberHealthCheckerOptions,
} from './health/subscriber-health-checker';
export { type HealthStatus } from './health/health-status';
export { type EventBusLogger } from './logger';
export { NatsEventBus } from './nats/nats-event-bus';
export { NatsConnectionError, NatsPublishError, NatsTopologyError } from './nats/nats-errors';

// Config building blocks the service's own configuration reuses, so that its keys are read, merged,
// validated and reported exactly as the bus's own.
export { isBrokerAddress, isNatsUrl } from './config/address';
export { deepMerge, isMapping, type Mapping } from './config/merge';
export { EVENT_BUS_TYPES } from './config/event-bus-config.schema';
export { isEventBusType } from './config/validate-event-bus-config';
export { toPlain, validateSchema } from './config/validate-schema';
export { IsBool, IsDuration, IsIntIn, IsOneOf, IsSection, IsText } from './config/config-validators';
