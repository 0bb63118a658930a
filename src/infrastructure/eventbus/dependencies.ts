import { type EventBusLogger } from './logger';
import { type EventBusMetrics } from './metrics/event-bus-metrics';

/** What every backend may be given besides its config; each falls back to a default when absent. */
export interface EventBusDependencies {
  metrics?: EventBusMetrics;
  logger?: EventBusLogger;
}
