import { type Tracer } from '@opentelemetry/api';
import { type EventBusLogger } from './logger';
import { type EventBusMetrics } from './metrics/event-bus-metrics';

/** What every backend may be given besides its config; each falls back to a default when absent. */
export interface EventBusDependencies {
  metrics?: EventBusMetrics;
  logger?: EventBusLogger;
  /** Spans when `tracing.enabled`; defaults to the globally registered provider's tracer. */
  tracer?: Tracer;
}
