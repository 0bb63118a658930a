/** The seed's technical topic, used by the health checkers to prove the publish -> consume path. */
export const HealthCheckTopic = 'health_check_topic';

/** Headers the bus adds to every message (its envelope); user headers travel beside them unchanged. */
export const EnvelopeHeader = {
  id: 'eventbus-id',
  time: 'eventbus-time',
  type: 'eventbus-type',
  trace: 'eventbus-trace-id',
  tenant: 'eventbus-tenant',
} as const;

/** Headers on a dead-lettered message that say where it came from and why it failed. */
export const DeadLetterHeader = {
  originalTopic: 'eventbus-dlq-original-topic',
  group: 'eventbus-dlq-group',
  attempts: 'eventbus-dlq-attempts',
  error: 'eventbus-dlq-error',
  failedAt: 'eventbus-dlq-failed-at',
} as const;

/** Names the instance whose publisher health checker sent a health message. */
export const HealthInstanceHeader = 'eventbus-health-instance';
